# Guest plan step: guest free page hinting, in a guest booted with
# virtio_balloon.hinting=kvm on QEMU's virtio-balloon with
# free-page-reporting=on (scripts/check adds both).  Freed memory must leave
# the QEMU process on the host (its RSS, which run-qemu samples into
# $XK_GUEST_OUT/host-rss) and the guest must lose nothing by it.  Sourced by
# tests/guest/check-*.sh plans.
hp=/sys/module/page_hinting/parameters
hstats=/sys/kernel/debug/page_hinting/stats
hstat() { awk -v k="$1" '$1 == k { print $2 }' "$hstats"; }

driver=$(cat /sys/module/virtio_balloon/parameters/hinting 2>/dev/null)
[ "$driver" = kvm ] && [ "$(hstat active)" = 1 ] &&
	tap 0 "free page hinting drives the balloon's reporting queue" ||
	tap 1 "free page hinting drives the balloon's reporting queue" \
		"virtio_balloon.hinting=${driver:-missing}, active=$(hstat active)"

why=
for kv in enabled=maybe min_order=11 min_order=-1 threshold_bytes=abc threshold_bytes=100 \
	max_delay_ms=0 max_delay_ms=60001; do
	k=${kv%%=*} v=${kv#*=}
	w=$(refuses "$hp/$k" "$v" "page_hinting: $k: '$v'") || why="$why${why:+; }$w"
done
[ -z "$why" ]
tap $? "page_hinting tunables refuse bad values with -EINVAL and a log line" "$why"

cat "$hstats" >"$XK_LOGS/hinting-stats-before.log"
r0=$(hstat reported_pages)
# 768 MiB of a 2 GiB guest; TCG, KASAN and lockdep make the fill slow, the
# return itself takes about a second.
memtest=$(guest_tool hinting-memtest) &&
	t "freed memory leaves the host's RSS, nothing lost (768 MiB)" \
		"$memtest" check 768 "$XK_GUEST_OUT/host-rss" 60
cat "$hstats" >"$XK_LOGS/hinting-stats.log"
r1=$(hstat reported_pages)
echo "xk: page_hinting reported $((r1 - r0)) pages during the test"
[ $((r1 - r0)) -ge $((768 * 256 * 8 / 10)) ]
tap $? "page_hinting statistics count the reported pages" "$((r1 - r0)) reported; $(tr '\n' ' ' <"$hstats")"
