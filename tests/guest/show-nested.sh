# Guest plan for "make run", second boot (one vCPU, see scripts/run-show):
# this kernel as the host of itself.  A nested guest (Debian's QEMU in this
# guest) with free page hinting, and a live migration of a dirtying one.
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/nested.sh"
. "$XK_ROOT/tests/guest/e2e.sh"

nested_report() {
	msg=$(load_kvm "" "") || { echo "nested KVM: KVM did not load: $(echo "$msg" | tail -1)"; return 1; }
	[ ! -e "$XK_DIRTY_LOG_LOCKLESS" ] || set_dirty_log_lockless 1 >/dev/null
	echo "==== xpfo-kvm as a KVM host: $(uname -r), $(nproc) vCPU ===="
	echo "nested KVM: /dev/kvm ready ($(kvm_vendor), tdp_mmu=$(cat /sys/module/kvm/parameters/tdp_mmu))"
	echo "dirty-log harvest without mmu_lock for write (for read with the TDP MMU, none without):" \
		"kvm.dirty_log_lockless=$(cat "$XK_DIRTY_LOG_LOCKLESS" 2>/dev/null || echo "(no such parameter)")"
	echo "dirty-log harvest of a nested guest (dirty_log_perf_test, 2 vCPUs, 64 MiB each):"
	"$(selftest kvm/dirty_log_perf_test)" -v 2 -b 64M -i 2 >/tmp/perf.log 2>&1 ||
		{ cat /tmp/perf.log; return 1; }
	grep -E 'Get dirty log over|Clear dirty log over|Dirty memory time|Iteration 2 dirty memory' \
		/tmp/perf.log | sed 's/^/    /'
	echo "a nested guest with free page hinting, run by this kernel's KVM (tests/guest/e2e.sh):"
	l2_once_more_on_reset l2_hinting 256 >/tmp/e2e-hinting.log 2>&1
	grep -E '^(xk: L2 QEMU RSS|xk: .*run once more|not ok)' /tmp/e2e-hinting.log | sed 's/^xk: /    /'
	echo "live migration of a nested guest dirtying 64 MiB at 16 MiB/s, between two QEMUs here:"
	l2_once_more_on_reset l2_migration "tdp, lockless=1" 1 >/tmp/e2e-migration.log 2>&1
	grep -E '^(xk: migration|xk: .*run once more|ok - .*verifies|not ok)' /tmp/e2e-migration.log |
		sed -e 's/^xk: migration ([^)]*): /    /' -e 's/^ok - migration ([^)]*): /    /'
	[ "$xk_failed" = 0 ] || { echo "    FAILED: see the logs in $XK_GUEST_OUT/logs"; return 1; }
	echo "===="
}

rc=0
nested_report >"$XK_GUEST_OUT/report" 2>&1 || rc=$?
cat "$XK_GUEST_OUT/report"
exit $rc
