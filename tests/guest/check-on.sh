# Guest plan for the features-on kernel in "make check", booted with
# xpfo=on: the XPFO selftest and batched-flush checks, a stress-ng soak,
# then nested KVM in every MMU mode.
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/xpfo.sh"
. "$XK_ROOT/tests/guest/soak.sh"
. "$XK_ROOT/tests/guest/check-kvm.sh"
finish
