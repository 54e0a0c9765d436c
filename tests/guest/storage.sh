# Guest plan step: block storage with user pages (with xpfo=on, XPFO owns
# the page cache and the O_DIRECT buffers): ext4 on a loop device over a
# tmpfs file and on the scratch virtio-blk disk (scripts/run-qemu --disk:
# it is driven through the DMA API, so with swiotlb=force every transfer is
# bounced through swiotlb, which copies the pages).  Each writes 16 MiB,
# buffered, with O_DIRECT and through a shared mapping, and reads it back
# after dropping the caches.
# Sourced by tests/guest/check-*.sh plans.
st_data=/tmp/xk-storage.data
st_mnt=/tmp/xk-storage.mnt
mkdir -p "$st_mnt"
dd if=/dev/urandom of="$st_data" bs=1M count=16 2>/dev/null

# Copy $st_data into FILE through a MAP_SHARED mapping (write), or compare
# FILE, read through one, with it (check).
st_mmap() { # write|check FILE
	/usr/bin/python3 - "$1" "$st_data" "$2" <<'PY'
import mmap, os, sys
mode, data = sys.argv[1], open(sys.argv[2], "rb").read()
fd = os.open(sys.argv[3], os.O_RDWR | os.O_CREAT, 0o600)
if mode == "write":
    os.ftruncate(fd, len(data))
m = mmap.mmap(fd, len(data), mmap.MAP_SHARED)
if mode == "write":
    m[:] = data
    m.flush()
elif m[:] != data:
    sys.exit("%s differs from what was written through the mapping" % sys.argv[3])
PY
}

ext4_test() { # NAME DEVICE
	if ! mkfs.ext4 -q -F "$2" >"$XK_LOGS/mkfs.log" 2>&1 ||
		! mount -t ext4 "$2" "$st_mnt" 2>>"$XK_LOGS/mkfs.log"; then
		tap 1 "ext4 on $1: mkfs and mount" "$(tail -1 "$XK_LOGS/mkfs.log")"
		return
	fi
	cp "$st_data" "$st_mnt/buffered" && sync && echo 3 >/proc/sys/vm/drop_caches &&
		cmp "$st_data" "$st_mnt/buffered" >"$XK_LOGS/cmp.log" 2>&1
	tap $? "ext4 on $1: buffered write, read back after drop_caches" "$(tail -1 "$XK_LOGS/cmp.log")"
	dd if="$st_data" of="$st_mnt/direct" bs=1M oflag=direct 2>"$XK_LOGS/cmp.log" &&
		echo 3 >/proc/sys/vm/drop_caches &&
		dd if="$st_mnt/direct" bs=1M iflag=direct 2>>"$XK_LOGS/cmp.log" |
		cmp "$st_data" - >>"$XK_LOGS/cmp.log" 2>&1
	tap $? "ext4 on $1: O_DIRECT write and read" "$(tail -1 "$XK_LOGS/cmp.log")"
	st_mmap write "$st_mnt/mapped" 2>"$XK_LOGS/cmp.log" && sync &&
		echo 3 >/proc/sys/vm/drop_caches && st_mmap check "$st_mnt/mapped" 2>>"$XK_LOGS/cmp.log"
	tap $? "ext4 on $1: write through a shared mapping, read back through one after drop_caches" \
		"$(tail -1 "$XK_LOGS/cmp.log")"
	umount "$st_mnt"
}

truncate -s 64M /tmp/xk-loop.img
if loop=$(losetup -f --show /tmp/xk-loop.img); then
	ext4_test "a loop device" "$loop"
	losetup -d "$loop"
else
	tap 1 "ext4 on a loop device: losetup"
fi
rm -f /tmp/xk-loop.img

# dm-ebs, 512-byte blocks emulated over a loop device's 4 KiB ones: it
# copies between its buffers and the bio's pages, which for O_DIRECT are
# the writer's user pages (out of the direct map with xpfo=on).  The
# write starts 512 bytes in, so that every 4 KiB block is read, modified
# and written back.
truncate -s 32M /tmp/xk-ebs.img
if loop=$(losetup -f --show -b 4096 /tmp/xk-ebs.img 2>"$XK_LOGS/ebs.log"); then
	if dmsetup create --noudevsync xk-ebs --table "0 $((32 * 2048)) ebs $loop 0 1 8" \
		>>"$XK_LOGS/ebs.log" 2>&1 && dmsetup mknodes xk-ebs >>"$XK_LOGS/ebs.log" 2>&1; then
		dd if="$st_data" of=/dev/mapper/xk-ebs bs=1M seek=512 oflag=direct,seek_bytes \
			2>"$XK_LOGS/cmp.log" && echo 3 >/proc/sys/vm/drop_caches &&
			dd if=/dev/mapper/xk-ebs bs=1M skip=512 count=16 iflag=direct,skip_bytes \
				2>>"$XK_LOGS/cmp.log" | cmp "$st_data" - >>"$XK_LOGS/cmp.log" 2>&1
		tap $? "dm-ebs over a loop device: O_DIRECT write at 512 bytes in, read back" \
			"$(tail -1 "$XK_LOGS/cmp.log")"
		dmsetup remove --noudevsync xk-ebs >>"$XK_LOGS/ebs.log" 2>&1
	else
		tap 1 "dm-ebs over a loop device: dmsetup create" "$(tail -1 "$XK_LOGS/ebs.log")"
	fi
	losetup -d "$loop"
else
	tap 1 "dm-ebs over a loop device: losetup" "$(tail -1 "$XK_LOGS/ebs.log")"
fi
rm -f /tmp/xk-ebs.img

# MD RAID5 with skip_copy=1 over three loop devices: a full-stripe write
# uses the bio's pages as the stripe's and computes the parity from them
# (async_xor() without a DMA engine reads them through page_address()); for
# O_DIRECT they are the writer's user pages.  The data must read back after
# drop_caches, the parity check must find no mismatch, and no direct-map
# access of an XPFO page may be caught (xpfo_faults, with CONFIG_XPFO_DEBUG).
md_loops=
for i in 0 1 2; do
	truncate -s 32M /tmp/xk-md$i.img
	md_loops="$md_loops $(losetup -f --show /tmp/xk-md$i.img 2>>"$XK_LOGS/md.log")"
done
md_name="md RAID5 with skip_copy: O_DIRECT full-stripe writes read back, parity checked"
if ! grep -qw raid5 /proc/mdstat 2>/dev/null; then
	tap 1 "$md_name" "no raid5 personality in /proc/mdstat (CONFIG_MD_RAID456)"
elif ! mdadm --create /dev/md/xk --run --quiet --level=5 --raid-devices=3 --assume-clean \
	$md_loops >>"$XK_LOGS/md.log" 2>&1; then
	tap 1 "$md_name" "mdadm --create: $(tail -1 "$XK_LOGS/md.log")"
else
	md=/sys/block/$(basename "$(readlink -f /dev/md/xk)")/md
	vmstat_mark
	echo 1 >"$md/skip_copy" &&
		dd if="$st_data" of=/dev/md/xk bs=1M oflag=direct 2>"$XK_LOGS/cmp.log" &&
		echo 3 >/proc/sys/vm/drop_caches &&
		dd if=/dev/md/xk bs=1M count=16 iflag=direct 2>>"$XK_LOGS/cmp.log" |
		cmp "$st_data" - >>"$XK_LOGS/cmp.log" 2>&1
	ok=$?
	faults=$(vmstat_since xpfo_faults)
	# The parity check: sync_action reads "check" until it is done.
	echo check >"$md/sync_action"
	i=0
	while [ "$(cat "$md/sync_action")" != idle ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	mismatch=$(cat "$md/mismatch_cnt")
	[ "$ok" = 0 ] && [ "$(cat "$md/sync_action")" = idle ] && [ "$mismatch" = 0 ] &&
		[ "$faults" = 0 ]
	tap $? "$md_name" \
		"$(tail -1 "$XK_LOGS/cmp.log"); mismatch_cnt $mismatch; $faults direct-map accesses caught"
	mdadm --stop /dev/md/xk >>"$XK_LOGS/md.log" 2>&1
fi
for l in $md_loops; do losetup -d "$l"; done
rm -f /tmp/xk-md?.img

hiwater=/sys/kernel/debug/swiotlb/io_tlb_used_hiwater
if [ -b /dev/vda ]; then
	[ ! -e "$hiwater" ] || echo 0 >"$hiwater"
	ext4_test "virtio-blk" /dev/vda
	if grep -qw swiotlb=force /proc/cmdline; then
		used=$(cat "$hiwater" 2>/dev/null)
		[ "${used:-0}" -gt 0 ]
		tap $? "swiotlb bounced the disk's transfers (swiotlb=force)" "high-water mark ${used:-missing} slots"
	fi
else
	tap 1 "ext4 on virtio-blk" "no /dev/vda (scripts/run-qemu --disk)"
fi
rm -f "$st_data"
