# Guest plan for the features-on kernel booted without xpfo=on in
# "make check": XPFO built in but disabled leaves every page mapped.
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/xpfo.sh"
finish
