# bench/xpfo's report, from its results file: the "xk-bench:" lines of
# bench/xpfo-guest.sh (fields: MODE WORK WALL_MS FLUSHES USER_PAGES
# L2_SPLITS USER_US SYS_US KMAPS KMAPS_GLOBAL INVLPGS) and the
# "xk-pageblocks:" lines.  Variables: ci, cf (ns per local TLB flush and per
# kernel TLB flush of every CPU, for the modelled hardware cost).
$1 == "xk-pageblocks:" { mixed[$2] = $7; blocks[$2] = $3 - $4; next }
$1 == "xk-bench:" && NF != 12 { print "xpfo-report: ignored: " $0 > "/dev/stderr"; next }
$1 == "xk-bench:" {
	m = $2; w = $3; k = ++n[m, w]
	wall[m, w, k] = $4; cpu[m, w, k] = $8 + $9; sys[m, w, k] = $9
	flushes[m, w] += $5; pages[m, w] += $6; splits[m, w] += $7
	kmaps[m, w] += $10; invlpgs[m, w] += $12
	seen[m] = 1
}
function median(a, m, w,   i, j, k, x, v) {
	k = n[m, w]
	for (i = 1; i <= k; i++) v[i] = a[m, w, i] + 0
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
	return k ? (k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2) : 0
}
# The TCG figure of a work: wall clock, or for the kernel build system time.
function tmed(m, w) { return w == "kbuild" ? median(sys, m, w) : median(wall, m, w) }
# One round's events, in ns, as hardware would pay them.
function events_ns(m, w) {
	return n[m, w] ? (kmaps[m, w] * ci + (flushes[m, w] + splits[m, w]) * cf) / n[m, w] : 0
}
# A JSON object of one figure per work, under the JSON keys.
function obj(a,   i, r, v) {
	for (i = 1; i <= nw; i++) {
		v = a[works[i]]
		r = r sprintf("%s\"%s\": %s", (i > 1 ? ", " : ""), keys[i], (v == "" || v == "-") ? "null" : v)
	}
	return "{" r "}"
}
function ratio(a, b) { return b > 0 ? sprintf("%.3f", a / b) : "null" }
function per_page(x, m, w) { return pages[m, w] ? sprintf("%.2f", x / pages[m, w]) : "-" }
END {
	nw = split("fault thp thpsplit fork file compile kbuild", works)
	split("page_fault thp thp_split fork file compile kernel_build_sys", keys)
	if (seen["icount-off"] && seen["icount-on"]) {
		print "instructions (-icount: CPU time of the work counts guest instructions, 1 per ns), xpfo=on vs xpfo=off"
		printf "%-8s %10s %10s %8s %8s %9s %9s %10s %10s\n", "work", "off ms", "on ms", "ratio", "sys", "spread", "invlpg/pg", "flush/1k", "modelled"
		for (i = 1; i <= nw; i++) {
			w = works[i]
			if (!n["icount-off", w] || !n["icount-on", w]) continue
			off = median(cpu, "icount-off", w); on = median(cpu, "icount-on", w)
			soff = median(sys, "icount-off", w); son = median(sys, "icount-on", w)
			# spread: the largest difference between a mode's rounds, of its median
			sp = 0
			split("icount-off icount-on", ms)
			for (j = 1; j <= 2; j++) {
				mm = ms[j]; md = median(cpu, mm, w)
				for (r = 1; r <= n[mm, w]; r++) {
					d = cpu[mm, w, r] - md; if (d < 0) d = -d
					if (md > 0 && d / md > sp) sp = d / md
				}
			}
			if (sp > maxsp) maxsp = sp
			hw_off = off * 1000 + events_ns("icount-off", w)
			hw_on = on * 1000 + events_ns("icount-on", w)
			if (w == "kbuild") {
				# The tick splits user from system time (noise of
				# a few %); the total is exact, and XPFO adds no
				# user instructions: system time on = off + the
				# total's difference.
				son = soff + on - off
				instr[w] = ratio(son, soff)
				model[w] = ratio(son * 1000 + events_ns("icount-on", w), soff * 1000 + events_ns("icount-off", w))
			} else {
				instr[w] = ratio(on, off)
				model[w] = ratio(hw_on, hw_off)
			}
			inv[w] = per_page(kmaps["icount-on", w], "icount-on", w)
			tf += flushes["icount-on", w] + splits["icount-on", w]; tp += pages["icount-on", w]
			printf "%-8s %10.1f %10.1f %8s %8s %8.1f%% %9s %10s %10s\n", w, off / 1000, on / 1000,
				ratio(on, off), ratio(son, soff), sp * 100, inv[w],
				pages["icount-on", w] ? sprintf("%.1f", (flushes["icount-on", w] + splits["icount-on", w]) * 1000 / pages["icount-on", w]) : "-",
				model[w]
		}
		printf "modelled: instructions at 1 per ns, %d ns per local TLB flush, %d ns per kernel TLB flush of all CPUs\n", ci, cf
		print "kbuild ratio and modelled: system time, taken as xpfo=off's plus the difference of the totals"
	}
	if (seen["off"]) {
		print "TCG wall clock (multi-threaded TCG, 2 vCPUs; medians), ratios to off"
		printf "%-8s %10s %10s %10s %10s %12s\n", "work", "off ms", "batched", "invlpg", "invlpg/pg", "emulated/pg"
		for (i = 1; i <= nw; i++) {
			w = works[i]
			if (!n["off", w]) continue
			off = tmed("off", w)
			toff = tmed("off", w)
			wallr[w] = n["batched", w] ? ratio(tmed("batched", w), toff) : "-"
			# a mode that made none of the flushes it stands for shows nothing
			invr[w] = "-"
			if (n["invlpg", w] && (invlpgs["invlpg", w] || !kmaps["batched", w]))
				invr[w] = ratio(tmed("invlpg", w), toff)
			if (n["invlpg", w] && invr[w] == "-") noinv = noinv " " w
			printf "%-8s %10d %10s %10s %10s %12s\n", w, off, wallr[w],
				invr[w], per_page(kmaps["batched", w], "batched", w), per_page(invlpgs["invlpg", w], "invlpg", w)
		}
		print "invlpg: xpfo=off plus as many local flushes of an unused kmap_local slot per user page as batched made; kbuild: system time (ms too)"
		if (noinv != "") print "invlpg made no local flushes for" noinv ": no ratio"
		for (m in mixed) printf "%-10s pageblocks holding user and kernel pages: %d of %d in use\n", m, mixed[m], blocks[m]
	}
	printf "{"
	sep = ""
	if (seen["icount-on"]) {
		printf "\"overhead_vs_off\": %s, \"modelled_hw_vs_off\": %s", obj(instr), obj(model)
		printf ", \"local_flushes_per_user_page\": %s", obj(inv)
		printf ", \"kernel_flushes_per_1000_user_pages\": %s", tp ? sprintf("%.1f", tf * 1000 / tp) : "null"
		printf ", \"icount_spread_max\": %.4f", maxsp
		sep = ", "
	}
	if (seen["off"]) {
		printf "%s\"tcg_wall_vs_off\": %s, \"tcg_wall_invlpg_vs_off\": %s", sep, obj(wallr), obj(invr)
		printf ", \"mixed_pageblocks\": {\"off\": %s, \"batched\": %s}", ("off" in mixed) ? mixed["off"] : "null", ("batched" in mixed) ? mixed["batched"] : "null"
	}
	print "}"
}
