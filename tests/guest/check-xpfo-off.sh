# Guest plan for the features-on kernel booted without xpfo=on in
# "make check": XPFO built in but disabled leaves every page mapped; ext4 on
# a loop device and on the scratch disk as with it on.
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/xpfo.sh"
. "$XK_ROOT/tests/guest/storage.sh"
. "$XK_ROOT/tests/guest/zswap.sh"
. "$XK_ROOT/tests/guest/af-alg.sh"
finish
