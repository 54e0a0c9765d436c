# Guest plan for the features-on kernel in "make check", booted with
# xpfo=on, virtio_balloon.hinting=kvm and swiotlb=force under multi-threaded
# TCG (vCPUs really run in parallel): the XPFO selftest and batched-flush
# checks, ext4 on a loop device and on the scratch disk (bounced through
# swiotlb), free page hinting, and a stress-ng soak with both on.  Nested KVM runs in its
# own boot (check-kvm-on.sh).
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/xpfo.sh"
. "$XK_ROOT/tests/guest/storage.sh"
. "$XK_ROOT/tests/guest/zswap.sh"
. "$XK_ROOT/tests/guest/af-alg.sh"
. "$XK_ROOT/tests/guest/hinting.sh"
. "$XK_ROOT/tests/guest/soak.sh"
finish
