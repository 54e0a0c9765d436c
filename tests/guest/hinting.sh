# Guest plan step: guest free page hinting, in a guest booted with
# virtio_balloon.hinting=kvm on QEMU's virtio-balloon with
# free-page-reporting=on (scripts/check adds both).  Freed memory must leave
# the QEMU process on the host (its RSS, which run-qemu samples into
# $XK_GUEST_OUT/host-rss) and the guest must lose nothing by it.  Sourced by
# tests/guest/check-*.sh plans.
hp=/sys/module/page_hinting/parameters

# Before each free whose return to the host is measured: free memory in
# whole pageblocks.  The steps before leave movable pages scattered through
# the free pageblocks, the allocator fills those holes first, and a page
# freed into a hole merges into no block of min_order (a pageblock): none
# of it can be reported.  Seen: 0% of 128 MiB returned in 12 s with every
# other page of 600 MiB held, 89% in 0.2 s after drop_caches and
# compaction, and 41% in 30 s in the on plan after its storage tests.
# compact_free then switches hinting off and on, so that nothing the
# compaction freed stays held or captured, no sweep is pending and there is
# no reserve, and waits 3 s for the sweep that starts it.  /proc/buddyinfo
# before each goes to the plan's logs.
compact() {
	{ echo "== $(date +%T)"; cat /proc/buddyinfo; } >>"$XK_LOGS/hinting-buddyinfo.log"
	echo 1 >/proc/sys/vm/compact_memory
}
compact_free() {
	compact
	echo 0 >"$hp/enabled"
	echo 1 >"$hp/enabled"
	sleep 3
}

driver=$(cat /sys/module/virtio_balloon/parameters/hinting 2>/dev/null)
[ "$driver" = kvm ] && [ "$(hstat active)" = 1 ] &&
	tap 0 "free page hinting drives the balloon's reporting queue" ||
	tap 1 "free page hinting drives the balloon's reporting queue" \
		"virtio_balloon.hinting=${driver:-missing}, active=$(hstat active)"

why=
for kv in enabled=maybe min_order=11 min_order=-1 threshold_bytes=abc threshold_bytes=100 \
	max_delay_ms=0 max_delay_ms=60001 reserve_decay_ms=60001 reserve_decay_ms=-1 \
	min_age_ms=60001 min_age_ms=-1; do
	k=${kv%%=*} v=${kv#*=}
	w=$(refuses "$hp/$k" "$v" "page_hinting: $k: '$v'") || why="$why${why:+; }$w"
done
[ -z "$why" ]
tap $? "page_hinting tunables refuse bad values with -EINVAL and a log line" "$why"

# built (on first use) before the compaction and the first reading
memtest=$(guest_tool hinting-memtest)
compact_free
cat "$hstats" >"$XK_LOGS/hinting-stats-before.log"
r0=$(hstat reported_pages)
# 768 MiB of a 2 GiB guest; TCG, KASAN and lockdep make the fill slow, the
# return itself takes about a second.
[ -n "$memtest" ] &&
	t "freed memory leaves the host's RSS, nothing lost (768 MiB)" \
		"$memtest" check 768 "$XK_GUEST_OUT/host-rss" 60
cat "$hstats" >"$XK_LOGS/hinting-stats.log"
r1=$(hstat reported_pages)
echo "xk: page_hinting reported $((r1 - r0)) pages during the test"
[ $((r1 - r0)) -ge $((768 * 256 * 8 / 10)) ]
tap $? "page_hinting statistics count the reported pages" "$((r1 - r0)) reported; $(tr '\n' ' ' <"$hstats")"

# A large free of 4 KiB pages on one CPU (hinting-memtest pcpfree, 256
# MiB): the per-CPU lists' auto-tuned limit lets a CPU that allocated much
# keep up to an eighth of the zone there, given back over seconds, and
# hinting reports only from the buddy lists and drains no per-CPU list.
# While hinting captures, a CPU freeing without allocating keeps four
# batches at most: 2 MiB is the bound checked, and no drain.  The same
# free with hinting switched off at run time is the control: it must keep
# more, or the check shows nothing.  Hinting is switched off and on first:
# the lists are kept short only while its reserve is none, and switching
# it on starts with none (the steps before may have grown one); the
# control comes second, as what it leaves on the lists is reported later
# and, allocated again, could grow a reserve.
pcpfree() { # sets pcp, pcp_out, drains
	vmstat_mark
	pcp_out=$("$memtest" pcpfree 256 "$XK_GUEST_OUT/host-rss" "$1" 2>&1 | tr '\n' ' ')
	pcp=$(echo "$pcp_out" | sed -n 's/.*pcp_pages_after_free \([0-9]*\).*/\1/p')
	drains=$(vmstat_since pcp_drain_all)
}
compact_free
pcpfree $((60 * ${XK_TIME_SCALE:-1}))
case "$pcp_out" in *FAIL*) pcp= ;; esac
on_pcp=$pcp on_drains=$drains on_out="$pcp_out; reserve_pages $(hstat reserve_pages) after"
echo 0 >"$hp/enabled"
pcpfree 3
echo 1 >"$hp/enabled"
[ -n "$pcp" ] && [ "$pcp" -gt 512 ] && [ -n "$on_pcp" ] && [ "$on_pcp" -le 512 ] &&
	[ "$on_drains" = 0 ]
tap $? "a large free leaves at most 2 MiB on its CPU's per-CPU lists, drained by none" \
	"hinting on: ${on_pcp:-?} pages kept, $on_drains drains ($on_out); off: ${pcp:-?} ($pcp_out)"

# The minimum age: a free smaller than threshold_bytes (128 MiB of
# anonymous memory, 4 KiB pages as THP is madvise-only in the test
# kernels; the threshold raised to 1G) is reported only once it has stayed
# free for min_age_ms.  With min_age_ms=6000, half of it may not leave the
# host within 5 s of the free and must within 6 s more (scaled), and half
# of it at least must have been held; with min_age_ms=0 in the same boot
# (the control, or the check shows nothing) it must leave within 4 s, none
# of it held.  No reserve (reserve_decay_ms=0) and no sweep pending (hinting
# switched off and on, then 3 s for the sweep that starts it; 3 s after
# the control for its last free), so nothing else holds it back or
# reports it.
ph_set() { # NAME=VALUE...: set page_hinting tunables
	for kv; do echo "${kv#*=}" >"$hp/${kv%%=*}"; done
}
tunables="min_order threshold_bytes max_delay_ms reserve_decay_ms min_age_ms"
saved=$(for k in $tunables; do echo "$k=$(cat "$hp/$k")"; done)
scale=${XK_TIME_SCALE:-1}
age_run() { # MIN_AGE_MS: sets age_t (seconds until half had left), held, age_out
	ph_set min_age_ms="$1"
	sleep 1	# a run already under way uses the old age
	h0=$(hstat held) p0=$(hstat reported_pages) s0=$(hstat sweeps)
	age_out=$("$memtest" check 128 "$XK_GUEST_OUT/host-rss" $((30 * scale)) 50 2>&1 |
		tr '\n' ' ')
	held=$(($(hstat held) - h0))
	age_out="$age_out; held $held, reported $(($(hstat reported_pages) - p0)) pages, $(($(hstat sweeps) - s0)) sweeps"
	age_t=$(echo "$age_out" | sed -n 's/.* returned ([0-9]*%) in \([0-9.]*\) s.*/\1/p')
	case "$age_out" in *FAIL*) age_t= ;; esac
}
ph_set threshold_bytes=1G max_delay_ms=200 reserve_decay_ms=0
compact_free
age_run 0
c_age_t=$age_t c_held=$held c_age_out=$age_out
sleep 3
age_run 6000
[ -n "$age_t" ] && [ -n "$c_age_t" ] && [ "$held" -ge 16384 ] && [ "$c_held" = 0 ] &&
	awk -v a="$age_t" -v c="$c_age_t" -v s="$scale" 'BEGIN { exit !(a >= 5 && a < 6 + 6 * s && c < 4) }'
tap $? "a free below threshold_bytes waits min_age_ms before it leaves the host" \
	"min_age_ms=6000: half left in ${age_t:-?} s ($age_out); min_age_ms=0: ${c_age_t:-?} s ($c_age_out)"

# A large free skips the wait: with min_age_ms=30000 and the default
# threshold_bytes (64M), half of 256 MiB must leave the host within 10 s
# (no reserve, which would keep what the fill takes back from the host).
compact_free
ph_set $saved reserve_decay_ms=0 min_age_ms=30000
t "a large free leaves the host without waiting for min_age_ms (256 MiB, min_age_ms=30000)" \
	"$memtest" check 256 "$XK_GUEST_OUT/host-rss" $((10 * scale)) 50
ph_set $saved

# Two processes churn tagged memory for 20 s (hinting-memtest churn: fill,
# free every other page, verify the rest) while hinting reports as eagerly
# as it can (every order, a run for every 4 KiB captured, no reserve, no
# minimum age): no page in use may lose its data, and reports must have run
# meanwhile.
ph_set min_order=0 threshold_bytes=4096 max_delay_ms=1 reserve_decay_ms=0 min_age_ms=0
r0=$(hstat reported_pages)
t "hinting reports nothing a churning process still holds (eager tunables, 20 s)" \
	"$memtest" churn 128 "$XK_GUEST_OUT/host-rss" 20
r1=$(hstat reported_pages)
[ $((r1 - r0)) -gt 0 ]
tap $? "hinting reported memory during the churn" "$((r1 - r0)) pages"

# With memory hot-remove in the kernel (on, debug): the same churn while memory
# blocks go offline and online again, highest first.  Offlining isolates
# pageblocks around blocks hinting holds out for a report and migrates
# pages it is looking up; nothing in use may lose its data, at least one
# block must go offline, and every block must be online again after.  Run
# with threshold_bytes=1G and min_age_ms=20, so that the blocks found free
# are held and looked up again 20 ms later, after some went offline: some
# must have been held.
mem=/sys/devices/system/memory
if ls "$mem"/memory*/state >/dev/null 2>&1; then
	blocks=$(ls "$mem" | sed -n 's/^memory\([0-9]*\)$/\1/p' | sort -n -r |
		sed "s|^|$mem/memory|")
	(
		end=$(($(date +%s) + 20)) n=0 tries=0
		while [ "$(date +%s)" -lt "$end" ]; do
			for b in $blocks; do
				[ "$(date +%s)" -lt "$end" ] || break
				[ "$(cat "$b/state")" = online ] || continue
				tries=$((tries + 1))
				# offlining retries until a fatal signal while a
				# page will not migrate
				timeout -s KILL 10 sh -c "echo offline >$b/state" \
					2>/dev/null || continue
				n=$((n + 1))
				echo online >"$b/state"
			done
		done
		echo "$n $tries" >"$XK_GUEST_OUT/offlined"
	) &
	off_pid=$!
	# second sightings 20 ms after the first, of pfns going offline
	ph_set threshold_bytes=1G min_age_ms=20
	h0=$(hstat held)
	t "hinting reports nothing a churning process holds while memory goes offline (20 s)" \
		"$memtest" churn 128 "$XK_GUEST_OUT/host-rss" 20
	held=$(($(hstat held) - h0))
	wait "$off_pid"
	read -r n tries <"$XK_GUEST_OUT/offlined" || n=0 tries=0
	left=$(grep -l -v '^online$' "$mem"/memory*/state | tr '\n' ' ')
	[ "$n" -gt 0 ] && [ -z "$left" ] && [ "$held" -gt 0 ]
	tap $? "memory blocks went offline and online again while hinting ran, blocks held for a second sighting" \
		"$n of $tries offline attempts succeeded${left:+; not online: $left}; $held pages held"
fi
ph_set $saved

# A loop that frees and takes back the same 64 MiB of transparent huge pages
# for 10 s (hinting-memtest reuse), first with reserve_decay_ms=0 (no
# reserve: each round's memory is reported and allocated again, a refault
# of hinted memory), then with
# reserve_decay_ms=5000 (longer than the default, for the debug kernel,
# whose rounds take seconds): the reserve must keep most of it in the
# guest.  Then 10 s more of the same loop, the reserve formed: hinting must
# not drain the per-CPU lists meanwhile (vmstat pcp_drain_all; without the
# reserve each round's free is a large free parked there, and may be).
reuse_run() { # RESERVE_DECAY_MS: sets rounds, ref (refaults), drains
	echo "$1" >"$hp/reserve_decay_ms"
	sleep 3
	vmstat_mark
	f0=$(hstat refaults)
	rounds=$("$memtest" reuse 64 "$XK_GUEST_OUT/host-rss" 10 | awk '$1 == "reuse_rounds" { print $2 }')
	rounds=${rounds:-0} ref=$(($(hstat refaults) - f0)) drains=$(vmstat_since pcp_drain_all)
}
# The control must churn (an eighth of its rounds' pages refaulted), or the
# comparison shows nothing; with the reserve, a quarter of its refaults a
# round at most.
reserve_kept() {
	[ "$c_rounds" -gt 0 ] && [ "$r_rounds" -gt 0 ] &&
		[ $((c_ref * 8)) -ge $((c_rounds * 16384)) ] &&
		[ $((r_ref * c_rounds * 4)) -le $((c_ref * r_rounds)) ]
}
decay=$(cat "$hp/reserve_decay_ms")
reuse_run 0
c_rounds=$rounds c_ref=$ref c_drains=$drains
reuse_run 5000
r_rounds=$rounds r_ref=$ref r_drains=$drains
reuse_run 5000
s_drains=$drains
echo "$decay" >"$hp/reserve_decay_ms"
diag="no reserve: $c_ref refaults in $c_rounds rounds; reserve_decay_ms=5000: $r_ref in $r_rounds"
reserve_kept
tap $? "the reserve keeps memory a loop reuses: a quarter of the refaults or fewer" "$diag"
grep -q '^pcp_drain_all ' /proc/vmstat && [ "$s_drains" = 0 ]
tap $? "hinting drains no per-CPU lists while a loop reuses memory" \
	"pcp_drain_all: $s_drains with the reserve formed ($c_drains without a reserve, $r_drains while it formed)$(grep -q '^pcp_drain_all ' /proc/vmstat || echo '; no such vmstat')"

# The same comparison while another process holds 768 MiB with every other
# 4 KiB page freed (hinting-memtest fraghold): 384 MiB free in single pages,
# which hinting cannot report at min_order 9.  The reserve is measured in
# the memory a run could report, so they must not stand in for it; counted
# in all free memory, they exceeded the largest reserve (RAM/8) and the
# reserve kept nothing.
frag_out=$XK_GUEST_OUT/fraghold
"$memtest" fraghold 768 "$XK_GUEST_OUT/host-rss" 600 >"$frag_out" 2>&1 &
frag_pid=$!
t=0
while ! grep -q '^fragments_ready' "$frag_out" && kill -0 "$frag_pid" 2>/dev/null &&
	[ "$t" -lt $((120 * ${XK_TIME_SCALE:-1})) ]; do
	sleep 1
	t=$((t + 1))
done
fdiag="fragments not in place after ${t}s: $(tail -1 "$frag_out")"
if grep -q '^fragments_ready' "$frag_out"; then
	reuse_run 0
	c_rounds=$rounds c_ref=$ref
	reuse_run 5000
	r_rounds=$rounds r_ref=$ref
	echo "$decay" >"$hp/reserve_decay_ms"
	fdiag="no reserve: $c_ref refaults in $c_rounds rounds; reserve_decay_ms=5000: $r_ref in $r_rounds"
fi
kill -TERM "$frag_pid" 2>/dev/null
wait "$frag_pid"
frag_rc=$?
grep -q '^fragments_ready' "$frag_out" && [ "$frag_rc" = 0 ] && reserve_kept
tap $? "the reserve keeps memory a loop reuses while single free pages abound" \
	"$fdiag; fraghold: $(tail -1 "$frag_out") (exit $frag_rc)"

# The balloon driver unbound and bound again (it reads its hinting
# parameter at probe): hinting stops with it; bound with
# hinting=page_reporting the probe must fail and say so (free page
# reporting may not take the reported mark hinting holds); bound with
# hinting=kvm again, freed memory must leave the host again: half of it at
# least (late in a boot, after the tests above, 79% of 256 MiB had left in
# 60 s once; with hinting not running again, none leaves).
bdrv=/sys/bus/virtio/drivers/virtio_balloon bpar=/sys/module/virtio_balloon/parameters/hinting
bdev=$(cd "$bdrv" 2>/dev/null && ls -d virtio* 2>/dev/null | head -1)
refusal="Free page reporting not enabled: free page hinting is in use"
rwhy=
if [ -z "$bdev" ]; then
	rwhy="no balloon device bound to $bdrv"
else
	# compacted before: the bind itself restarts hinting, as it must
	compact
	echo "$bdev" >"$bdrv/unbind" || rwhy="unbind failed"
	[ "$(hstat active)" = 0 ] || rwhy="${rwhy:+$rwhy; }hinting still active once unbound"
	n0=$(dmesg | grep -c "$refusal")
	echo page_reporting >"$bpar" || rwhy="${rwhy:+$rwhy; }hinting=page_reporting not taken"
	# coreutils' echo names the error: the probe's -EBUSY
	berr=$( (/bin/echo "$bdev" >"$bdrv/bind") 2>&1)
	case "$berr" in
	*busy*) ;;
	*) rwhy="${rwhy:+$rwhy; }bind with hinting=page_reporting: '${berr:-no error}', not EBUSY" ;;
	esac
	[ "$(dmesg | grep -c "$refusal")" -gt "$n0" ] || rwhy="${rwhy:+$rwhy; }no log line '$refusal'"
	# bound all the same: not with page_reporting for the tests after this
	[ ! -e "$bdrv/$bdev" ] || echo "$bdev" >"$bdrv/unbind"
	echo kvm >"$bpar" || rwhy="${rwhy:+$rwhy; }hinting=kvm not taken"
	kerr=$( (/bin/echo "$bdev" >"$bdrv/bind") 2>&1) || kerr="bind with hinting=kvm: $kerr"
fi
[ -z "$rwhy" ]
tap $? "the balloon bound again with hinting=page_reporting refuses: hinting holds the reported mark" "$rwhy"
[ -n "$bdev" ] && [ -e "$bdrv/$bdev" ] && [ "$(hstat active)" = 1 ] &&
	t "the balloon bound again with hinting=kvm: freed memory leaves the host again (256 MiB)" \
		"$memtest" check 256 "$XK_GUEST_OUT/host-rss" 60 50 ||
	tap 1 "the balloon bound again with hinting=kvm: freed memory leaves the host again (256 MiB)" \
		"bound: $([ -e "$bdrv/$bdev" ] && echo yes || echo no)${kerr:+ ($kerr)}, active $(hstat active)"
