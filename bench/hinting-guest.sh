# Guest side of bench/hinting, in whichever mode the guest was booted:
# QEMU's RSS after a 768 MiB free (timeline, seconds until 90% has left),
# the fraction returned after freeing every other 4 KiB page of 512 MiB,
# and a page-fault loop (memwork fault, 8 x 64 MiB) timed seven times, with
# the drain_all_pages() calls (vmstat pcp_drain_all) and the pages
# allocated out of hinted memory (page_hinting's refaults) per iteration
# over the seven; with this hinting, the loop again with it switched off
# in the same boot.  Prints
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
# fault_loop NAME: seven timed runs of the loop, "xk-bench: MODE NAME MS"
fault_loop() {
	local i t0
	for i in 1 2 3 4 5 6 7; do
		t0=$(date +%s%N)
		"$work" fault 64 8 >/dev/null || exit 1
		echo "xk-bench: $mode $1 $((($(date +%s%N) - t0) / 1000000))"
	done
}
vmstat_mark
r0=$(hstat refaults)
fault_loop fault_ms
echo "xk-bench: $mode drain_all_pages_calls $(vmstat_since pcp_drain_all)"
echo "xk-bench: $mode refaulted_pages_per_iteration $((($(hstat refaults) - r0) / (7 * 8)))"
# The same loop in the same boot with this hinting switched off at run
# time (one untimed run first, to fault back what was reported): boots
# differ in speed by more than hinting's cost.
enabled=/sys/module/page_hinting/parameters/enabled
if [ "$(cat /sys/module/virtio_balloon/parameters/hinting)" = kvm ] && [ -w "$enabled" ]; then
	echo 0 >"$enabled" || exit 1
	"$work" fault 64 8 >/dev/null || exit 1
	r0=$(hstat reported_pages)
	fault_loop fault_off_ms
	[ "$(hstat reported_pages)" = "$r0" ] || { echo "xk: hinting reported while switched off"; exit 1; }
	echo 1 >"$enabled" || exit 1
fi
[ ! -r "$hstats" ] || sed 's/^/xk: page_hinting /' "$hstats"
