# Guest side of bench/hinting, in whichever mode the guest was booted:
# QEMU's RSS after a 768 MiB free (timeline, seconds until 90% has left),
# the fraction returned after freeing every other 4 KiB page of 512 MiB,
# and a page-fault loop (memwork fault, 8 x 64 MiB) timed seven times; with
# this hinting, three rounds of it on and off at run time in the same boot
# instead; the drain_all_pages() calls (vmstat pcp_drain_all) and the
# pages allocated out of hinted memory (page_hinting's refaults) per
# iteration of the loop (64 MiB) in the timed runs with hinting on.  Prints
# "xk-bench: MODE KEY VALUE" lines; MODE comes from $XK_BENCH_MODE.
. "$XK_ROOT/tests/guest/lib.sh"

mode=${XK_BENCH_MODE:?} work=${XK_BENCH_WORK:?}
rss=$XK_GUEST_OUT/host-rss
memtest=$(guest_tool hinting-memtest) || exit 1
echo "xk: virtio_balloon.hinting=$(cat /sys/module/virtio_balloon/parameters/hinting)" \
	"page_hinting.min_order=$(cat /sys/module/page_hinting/parameters/min_order)"
sleep 5	# let the boot's own frees settle

"$memtest" timeline 768 "$rss" 30 >"$XK_GUEST_OUT/timeline" || exit 1
echo "xk-bench: $mode seconds_to_90pct $(awk '$1 == "seconds_to_90pct" { print $2 }' "$XK_GUEST_OUT/timeline")"
"$memtest" frag 512 "$rss" 15 >"$XK_GUEST_OUT/frag" || { cat "$XK_GUEST_OUT/frag"; exit 1; }
echo "xk-bench: $mode fragmented_returned $(awk '$1 == "fragmented_returned" { print $2 }' "$XK_GUEST_OUT/frag")"
# One run of the loop, untimed
untimed() { "$work" fault 64 8 >/dev/null || exit 1; }
# fault_loop NAME RUNS: RUNS timed runs of the loop, "xk-bench: MODE NAME MS"
fault_loop() {
	local i t0
	for i in $(seq "$2"); do
		t0=$(date +%s%N)
		untimed
		echo "xk-bench: $mode $1 $((($(date +%s%N) - t0) / 1000000))"
	done
}
enabled=/sys/module/page_hinting/parameters/enabled
vmstat_mark
if [ "$(cat /sys/module/virtio_balloon/parameters/hinting)" != kvm ] || [ ! -w "$enabled" ]; then
	r0=$(hstat refaults)
	fault_loop fault_ms 7
	echo "xk-bench: $mode drain_all_pages_calls $(vmstat_since pcp_drain_all)"
	echo "xk-bench: $mode refaulted_pages_per_iteration $((($(hstat refaults) - r0) / (7 * 8)))"
else
	# This hinting: three rounds, each the loop with hinting on (two
	# untimed runs first: switching it on reports what is free and starts
	# with no reserve) then switched off at run time (one untimed run
	# first, to fault back what was reported), three timed runs each.
	# Boots differ in speed by more than hinting's cost and a boot drifts:
	# on and off runs close together in one boot are what compares.  The
	# drains and refaults count the timed runs with hinting on, as in the
	# other modes.
	drains=0 refaults=0
	for round in 1 2 3; do
		echo 1 >"$enabled" || exit 1
		untimed
		untimed
		vmstat_mark
		r0=$(hstat refaults)
		fault_loop fault_ms 3
		refaults=$((refaults + $(hstat refaults) - r0))
		drains=$((drains + $(vmstat_since pcp_drain_all)))
		echo 0 >"$enabled" || exit 1
		untimed
		r0=$(hstat reported_pages)
		fault_loop fault_off_ms 3
		[ "$(hstat reported_pages)" = "$r0" ] || { echo "xk: hinting reported while switched off"; exit 1; }
		echo "xk-bench: $mode round $round"
	done
	echo 1 >"$enabled" || exit 1
	echo "xk-bench: $mode drain_all_pages_calls $drains"
	echo "xk-bench: $mode refaulted_pages_per_iteration $((refaults / (3 * 3 * 8)))"
fi
[ ! -r "$hstats" ] || sed 's/^/xk: page_hinting /' "$hstats"
