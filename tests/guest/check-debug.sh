# Guest plan for the debug kernel (KASAN, lockdep, PROVE_RCU, DEBUG_VM) in
# "make check", booted with xpfo=on, virtio_balloon.hinting=kvm and
# swiotlb=force: the XPFO checks and their batched flushes, ext4 on a loop
# device and on the scratch disk, free page hinting, and a shorter soak
# (this kernel runs 3-4 times slower).  Nested KVM runs in its own boot
# (check-kvm-debug.sh).
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/xpfo.sh"
. "$XK_ROOT/tests/guest/storage.sh"
. "$XK_ROOT/tests/guest/zswap.sh"
. "$XK_ROOT/tests/guest/af-alg.sh"
. "$XK_ROOT/tests/guest/hinting.sh"
XK_SOAK_SECONDS=30 . "$XK_ROOT/tests/guest/soak.sh"
finish
