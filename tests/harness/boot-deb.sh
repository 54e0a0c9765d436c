# Test: scripts/boot-deb boots the vmlinuz of the newest linux-image
# package with an initramfs holding busybox, /dev/console, an /init and the
# package's 9p modules decompressed; without a package it names make deb,
# without the XPFO selftest make build
. "$(dirname "$0")/lib.sh"

out=$SCRATCH/out
mkdir -p "$out" "$SCRATCH/bin"
rc=0
XK_OUT=$out XK_RESULTS=$SCRATCH/results "$ROOT/scripts/boot-deb" >"$SCRATCH/none.out" 2>&1 || rc=$?
cat "$SCRATCH/none.out"
[ "$rc" != 0 ] || fail "no package: boot-deb passed"
grep -q 'run make deb first' "$SCRATCH/none.out" || fail "no package: the refusal does not name make deb"

# A package as bindeb-pkg lays it out, with xz-compressed modules
ver=6.12.0-xpfo-kvm
pkg=$SCRATCH/pkg
mkdir -p "$pkg/DEBIAN" "$pkg/boot" "$pkg/lib/modules/$ver/kernel/fs/9p" "$pkg/lib/modules/$ver/kernel/fs/netfs" \
	"$pkg/lib/modules/$ver/kernel/net/9p"
printf 'Package: linux-image-%s\nVersion: 1\nArchitecture: amd64\nMaintainer: t <t@t>\nDescription: t\n' "$ver" \
	>"$pkg/DEBIAN/control"
echo vmlinuz >"$pkg/boot/vmlinuz-$ver"
for m in fs/9p/9p fs/netfs/netfs net/9p/9pnet net/9p/9pnet_virtio; do
	echo "module $(basename $m)" | xz >"$pkg/lib/modules/$ver/kernel/$m.ko.xz"
done
dpkg-deb -b -Zgzip "$pkg" "$out/linux-image-${ver}_1_amd64.deb" >/dev/null || fail "dpkg-deb -b failed"

# The XPFO selftest the guest runs must be built
rc=0
XK_OUT=$out XK_RESULTS=$SCRATCH/results "$ROOT/scripts/boot-deb" >"$SCRATCH/noksft.out" 2>&1 || rc=$?
cat "$SCRATCH/noksft.out"
[ "$rc" != 0 ] || fail "no selftest: boot-deb passed"
grep -q 'run make build first' "$SCRATCH/noksft.out" || fail "no selftest: the refusal does not name make build"
mkdir -p "$out/kselftest/xpfo"
printf '#!/bin/sh\n' >"$out/kselftest/xpfo/xpfo_test"
chmod +x "$out/kselftest/xpfo/xpfo_test"

# A QEMU that exits at once: its command line and the initramfs are what counts
printf '#!/bin/sh\nexit 0\n' >"$SCRATCH/bin/qemu-system-x86_64"
chmod +x "$SCRATCH/bin/qemu-system-x86_64"
rc=0
PATH=$SCRATCH/bin:$PATH XK_OUT=$out XK_RESULTS=$SCRATCH/results "$ROOT/scripts/boot-deb" \
	>"$SCRATCH/boot.out" 2>&1 || rc=$?
cat "$SCRATCH/boot.out"
[ "$rc" != 0 ] || fail "a guest that never reported: boot-deb passed"
cmd=$(cat "$SCRATCH/results/deb-boot/qemu-cmd")
case $cmd in
*"-kernel $out/deb-boot/root/boot/vmlinuz-$ver "*"xpfo=on"*"-initrd $out/deb-boot/initrd.gz"*) ;;
*) fail "QEMU not given the package's vmlinuz, xpfo=on and the initramfs: $cmd" ;;
esac
mkdir -p "$SCRATCH/initrd"
(cd "$SCRATCH/initrd" && gzip -dc "$out/deb-boot/initrd.gz" | cpio -id --quiet 2>/dev/null) ||
	fail "the initramfs does not unpack"
for f in init bin/busybox lib/modules/9p.ko lib/modules/9pnet.ko lib/modules/9pnet_virtio.ko lib/modules/netfs.ko; do
	[ -e "$SCRATCH/initrd/$f" ] || fail "the initramfs lacks $f"
done
[ -c "$SCRATCH/initrd/dev/console" ] || fail "the initramfs lacks /dev/console"
grep -qx 'module 9pnet_virtio' "$SCRATCH/initrd/lib/modules/9pnet_virtio.ko" ||
	fail "9pnet_virtio.ko is not the package's module, decompressed"
grep -q "mount --bind \"/newroot$out/deb-boot/root/lib/modules\" /newroot/lib/modules" "$SCRATCH/initrd/init" ||
	fail "/init does not put the package's modules at /lib/modules"
grep -q 'exec switch_root /newroot "$init"' "$SCRATCH/initrd/init" || fail "/init does not switch to init="
echo "harness $NAME: ok"
