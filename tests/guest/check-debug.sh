# Guest plan for the debug kernel (KASAN, lockdep, PROVE_RCU, DEBUG_VM) in
# "make check", booted with xpfo=on and virtio_balloon.hinting=kvm: the XPFO
# checks and their batched flushes, free page hinting, and a shorter soak
# (this kernel runs 3-4 times slower).  Nested KVM runs in its own boot
# (check-kvm-debug.sh).
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/xpfo.sh"
. "$XK_ROOT/tests/guest/hinting.sh"
XK_SOAK_SECONDS=30 . "$XK_ROOT/tests/guest/soak.sh"
finish
