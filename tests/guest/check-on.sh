# Guest plan for the features-on kernel in "make check", booted with
# xpfo=on and virtio_balloon.hinting=kvm under multi-threaded TCG (vCPUs
# really run in parallel): the XPFO selftest and batched-flush checks, free
# page hinting, and a stress-ng soak with both on.  Nested KVM runs in its
# own boot (check-kvm-on.sh).
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/xpfo.sh"
. "$XK_ROOT/tests/guest/hinting.sh"
. "$XK_ROOT/tests/guest/soak.sh"
finish
