# Guest plan for the kernel "make deb" built (scripts/boot-deb): Debian's
# config with the features on, booted with xpfo=on; its modules are the
# package's (zram is one there).  XPFO on, then the XPFO selftest, as make
# check's boots run it.
. "$XK_ROOT/tests/guest/lib.sh"

echo "xk: kernel $(uname -r)"
xpfo_on_tap
if modprobe zram 2>"$XK_LOGS/modprobe.log"; then
	tap 0 "zram loads from the package's modules"
else
	tap 1 "zram loads from the package's modules" "$(tail -1 "$XK_LOGS/modprobe.log")"
fi
xpfo_selftest
finish
