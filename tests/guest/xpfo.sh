# Guest plan step: the XPFO selftest (tools/testing/selftests/xpfo), run in
# whatever XPFO mode the kernel was booted with (xpfo=on: user pages must be
# absent from the direct map; otherwise present), then the XPFO counters.
# Sourced by tests/guest/check-*.sh plans.
xpfo_mode=off
grep -qw 'xpfo=on' /proc/cmdline && xpfo_mode=on
t "xpfo selftest (xpfo=$xpfo_mode)" "$(selftest xpfo/xpfo_test)"
grep -E '^(xpfo_|direct_map_level)' /proc/vmstat | tee "$XK_LOGS/xpfo-vmstat.log"
if [ "$xpfo_mode" = on ]; then
	unmapped=$(awk '$1 == "xpfo_unmapped" { print $2 }' /proc/vmstat)
	[ "${unmapped:-0}" -gt 0 ] && tap 0 "xpfo unmaps user pages" ||
		tap 1 "xpfo unmaps user pages" "xpfo_unmapped=${unmapped:-missing}"
fi
