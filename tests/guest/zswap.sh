# Guest plan step: zswap.  Anonymous pages pushed out with MADV_PAGEOUT are
# compressed by zswap (lzo, a compressor crypto's scompress drives) straight
# from the user pages, which with xpfo=on are out of the direct map, and
# decompressed into new user pages when touched again.  The swap device is
# a loop device over a tmpfs file.  Sourced by tests/guest/check-*.sh plans.
zs_param=/sys/module/zswap/parameters
zs_stored=/sys/kernel/debug/zswap/stored_pages
if [ ! -e "$zs_param/enabled" ]; then
	tap 1 "zswap: in this kernel" "no $zs_param"
elif ! echo lzo >"$zs_param/compressor" || ! echo 1 >"$zs_param/enabled"; then
	tap 1 "zswap: enable it with lzo"
else
	truncate -s 128M /tmp/xk-swap.img
	if zs_loop=$(losetup -f --show /tmp/xk-swap.img 2>"$XK_LOGS/zswap.log") &&
		mkswap "$zs_loop" >>"$XK_LOGS/zswap.log" 2>&1 &&
		swapon "$zs_loop" 2>>"$XK_LOGS/zswap.log"; then
		# 32 MiB of compressible pages, each naming its index; out with
		# MADV_PAGEOUT, then read back.  Prints the pages zswap stored.
		/usr/bin/python3 - "$zs_stored" >"$XK_LOGS/zswap.out" 2>>"$XK_LOGS/zswap.log" <<'PY'
import mmap, sys
n, ps = 8192, mmap.PAGESIZE
stored = lambda: int(open(sys.argv[1]).read())
page = lambda i: (b"%08d" % i) * (ps // 8)
m = mmap.mmap(-1, n * ps, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
for i in range(n):
    m[i * ps:(i + 1) * ps] = page(i)
before = stored()
m.madvise(getattr(mmap, "MADV_PAGEOUT", 21))  # not in every build of Python
print(stored() - before)
bad = [i for i in range(n) if m[i * ps:(i + 1) * ps] != page(i)]
if bad:
    sys.exit("%d of %d pages differ after swap-in, the first %d" % (len(bad), n, bad[0]))
print("%d pages compared" % n)
PY
		zs_rc=$?
		zs_n=$(head -1 "$XK_LOGS/zswap.out")
		[ "${zs_n:-0}" -gt 0 ] 2>/dev/null
		tap $? "zswap: MADV_PAGEOUT compressed user pages into zswap" "${zs_n:-no} of 8192 pages stored"
		if [ "$zs_rc" = 0 ]; then zs_diag=$(sed -n 2p "$XK_LOGS/zswap.out"); else zs_diag=$(tail -1 "$XK_LOGS/zswap.log"); fi
		tap "$zs_rc" "zswap: the pages read back intact after swap-in" "$zs_diag"
		swapoff "$zs_loop"
		losetup -d "$zs_loop"
	else
		tap 1 "zswap: a swap device on a loop device" "$(tail -1 "$XK_LOGS/zswap.log")"
	fi
	rm -f /tmp/xk-swap.img
	echo 0 >"$zs_param/enabled"
fi
