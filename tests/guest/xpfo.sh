# Guest plan step: XPFO in whatever mode the kernel was booted with.  With
# xpfo=on first what needs a THP that can leave the direct map as one 2 MiB
# entry (the selftest's compaction and swap cases fragment the direct map):
# the page_address() warning and the refusals; then the XPFO selftest
# (tools/testing/selftests/xpfo; xpfo=on: user pages must be absent from the
# direct map, otherwise present), the counters and the batched flushes.
# Sourced by tests/guest/check-*.sh plans.
xpfo_mode=off
grep -qw 'xpfo=on' /proc/cmdline && xpfo_mode=on

# A kernel read through page_address() of a page XPFO holds (the probe's
# "touch", CONFIG_XPFO_DEBUG): the kernel warns, naming the reading
# function and the page, puts the page back (a THP removed as one entry:
# all of it) and the read returns its data.
touch_test() { # WHAT [thp]
	name=$1
	shift
	n0=$(dmesg | grep -c 'through the direct map, a user page out of it')
	expect_splat_begin xpfo-fault
	out=$("$tool" "$@" 2>&1)
	rc=$?
	expect_splat_end
	echo "$out"
	pfn=$(echo "$out" | awk '$1 == "pfn" { print $2 }')
	line=$(dmesg | grep 'through the direct map, a user page out of it' | tail -n +$((n0 + 1)))
	echo "$line"
	if [ "$rc" = 4 ]; then
		skip "xpfo catches a page_address() read of $name" "$(echo "$out" | tail -1)"
	elif [ "$rc" != 0 ]; then
		tap 1 "xpfo catches a page_address() read of $name" "$(echo "$out" | tail -1)"
	elif ! echo "$line" | grep -q "xpfo_probe_touch+.* accessed pfn $pfn "; then
		tap 1 "xpfo catches a page_address() read of $name" "no warning naming xpfo_probe_touch and pfn $pfn"
	else
		tap 0 "xpfo catches a page_address() read of $name" "warned, named the caller, put pfn $pfn back"
	fi
}
if [ "$xpfo_mode" = on ] && tool=$(guest_tool xpfo-touch); then
	touch_test "a page"
	touch_test "a THP's head" thp
fi

# The refusals of a THP's state (a KUnit module that warns on purpose)
[ "$xpfo_mode" != on ] || . "$XK_ROOT/tests/guest/xpfo-refusal.sh"

xpfo_selftest
grep -E '^(xpfo_|direct_map_level)' /proc/vmstat | tee "$XK_LOGS/xpfo-vmstat.log"

# The pageblock count (debugfs): 256 MiB of tmpfs held is 65536 user pages,
# at least 128 pageblocks of 512 pages holding user pages with xpfo=on; with
# xpfo=off no page is XPFO's and no block holds one.
dd if=/dev/zero of=/tmp/xk-pageblocks bs=1M count=256 2>/dev/null
tee "$XK_LOGS/xpfo-pageblocks.log" </sys/kernel/debug/xpfo/pageblocks
rm -f /tmp/xk-pageblocks
held=$(xpfo_pageblocks "$XK_LOGS/xpfo-pageblocks.log" | awk '{ print $3 + $5 }')
if [ "$xpfo_mode" = on ]; then
	[ "${held:-0}" -ge 128 ] && tap 0 "xpfo pageblocks: 256 MiB of tmpfs held in at least 128 blocks" "$held blocks" ||
		tap 1 "xpfo pageblocks: 256 MiB of tmpfs held in at least 128 blocks" "${held:-no count} blocks"
else
	[ "${held:-1}" = 0 ] && tap 0 "xpfo pageblocks: no block holds an XPFO page with xpfo=off" ||
		tap 1 "xpfo pageblocks: no block holds an XPFO page with xpfo=off" "${held:-no count} blocks"
fi
if [ "$xpfo_mode" = on ]; then
	unmapped=$(awk '$1 == "xpfo_unmapped" { print $2 }' /proc/vmstat)
	[ "${unmapped:-0}" -gt 0 ] && tap 0 "xpfo unmaps user pages" ||
		tap 1 "xpfo unmaps user pages" "xpfo_unmapped=${unmapped:-missing}"
fi

# 64 MiB of shmem written and freed: user pages allocated, for the counters.
shm_write_64m() {
	dd if=/dev/zero of=/dev/shm/xk-fill bs=1M count=64 2>/dev/null
	rm -f /dev/shm/xk-fill
}

# Batched TLB flushes (xpfo.batch): TLB flushes per 1000 user pages while
# 64 MiB of shmem is written, batching on then off; the target with batching
# is at most 20.  Each mode writes the 64 MiB once before it counts: pages
# freed to the pcp lists earlier with batching on are still out of the
# direct map, and the first pass takes them without a flush in either mode.
# That pass drains only the lists of the CPU it ran on: the other CPU's can
# still hold such pages (hundreds to thousands with the lists' auto-tuned
# high mark), so with batching off the count is per page the allocations
# took out of the direct map themselves (xpfo_unmapped), where the target
# is one flush each: at least 900 per 1000; and no page may have been
# unmapped by a batch (xpfo_pcp_unmapped) or kept unmapped at its free
# (xpfo_freed_unmapped).  The counters are read from one copy of vmstat.
if [ "$xpfo_mode" = on ]; then
	batch=/sys/module/xpfo/parameters/batch
	flushes_per_1000() { # xpfo.batch value: 1 per user page, 0 per page unmapped
		echo "$1" >"$batch" || return 1
		shm_write_64m
		vmstat_mark
		shm_write_64m
		end=/tmp/xk-vmstat.end
		cp /proc/vmstat "$end"
		for c in xpfo_tlb_flushes xpfo_user_pages xpfo_unmapped xpfo_pcp_unmapped xpfo_freed_unmapped; do
			grep -q "^$c " "$end" || { echo "no $c in /proc/vmstat" >&2; return 1; }
		done
		f=$(vmstat_since xpfo_tlb_flushes "$end") u=$(vmstat_since xpfo_user_pages "$end")
		m=$(vmstat_since xpfo_unmapped "$end") pcp=$(vmstat_since xpfo_pcp_unmapped "$end")
		kept=$(vmstat_since xpfo_freed_unmapped "$end")
		echo "xk: xpfo.batch=$1: $f TLB flushes, $u user pages, $m unmapped ($pcp by a batch)," \
			"$kept kept unmapped at free" >&2
		[ "$u" -ge 16384 ] || { echo "only $u user pages counted" >&2; return 1; }
		if [ "$1" = 1 ]; then
			echo $((f * 1000 / u))
			return
		fi
		[ "$pcp" = 0 ] && [ "$kept" = 0 ] || { echo "batching off, yet pages were batched" >&2; return 1; }
		[ "$((m * 2))" -ge "$u" ] || { echo "only $m of $u user pages unmapped" >&2; return 1; }
		echo $((f * 1000 / m))
	}
	on=$(flushes_per_1000 1) && off=$(flushes_per_1000 0)
	echo 1 >"$batch"
	echo "xk: xpfo TLB flushes per 1000 user pages batched: ${on:-?}; per 1000 pages unmapped unbatched: ${off:-?}"
	[ -n "$on" ] && [ "$on" -le 20 ] && tap 0 "xpfo batches TLB flushes" "batched: $on per 1000 user pages" ||
		tap 1 "xpfo batches TLB flushes" "${on:-no figure} per 1000 user pages, target 20"
	[ -n "$off" ] && [ "$off" -ge 900 ] && tap 0 "xpfo.batch=0 flushes per page" "$off per 1000 pages unmapped" ||
		tap 1 "xpfo.batch=0 flushes per page" "${off:-no figure} per 1000 pages unmapped"
	why=$(refuses "$batch" maybe "invalid xpfo.batch value 'maybe'")
	tap $? "xpfo.batch refuses a bad value with -EINVAL and a log line" "$why"
fi

# xpfo.invlpg_per_1000 (CONFIG_XPFO_DEBUG): with XPFO off, that many local
# TLB flushes per 1000 user pages allocated (the flushes XPFO's kmap_local
# mappings cost, for bench/xpfo), none once set back to 0.
invlpg=/sys/module/xpfo/parameters/invlpg_per_1000
if [ "$xpfo_mode" = off ] && [ -e "$invlpg" ]; then
	invlpgs_while() { # RATE: "FLUSHES USER_PAGES" over 64 MiB of shmem
		echo "$1" >"$invlpg" || return 1
		vmstat_mark
		shm_write_64m
		echo "$(vmstat_since xpfo_debug_invlpgs) $(vmstat_since xpfo_user_pages)"
	}
	r=$(invlpgs_while 500) && n=${r% *} u=${r#* }
	r=$(invlpgs_while 0) && n0=${r% *}
	echo "xk: xpfo.invlpg_per_1000=500: $n local flushes for $u user pages; =0: $n0"
	[ "${u:-0}" -ge 16384 ] && [ $((n * 1000)) -ge $((u * 450)) ] && [ $((n * 1000)) -le $((u * 550)) ] &&
		[ "$n0" = 0 ] && tap 0 "xpfo.invlpg_per_1000 adds local flushes with xpfo=off" "$n for $u user pages at 500, $n0 at 0" ||
		tap 1 "xpfo.invlpg_per_1000 adds local flushes with xpfo=off" "${n:-?} for ${u:-?} user pages at 500 (expected about half), ${n0:-?} at 0"
	why=$(refuses "$invlpg" 100001 "invalid xpfo.invlpg_per_1000 value '100001'")
	tap $? "xpfo.invlpg_per_1000 refuses a bad value with -EINVAL and a log line" "$why"
fi
