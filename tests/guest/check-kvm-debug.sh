# Guest plan for the debug kernel (KASAN, lockdep, PROVE_RCU) as a KVM host,
# booted with xpfo=on: the dirty-log selftests in each MMU mode, short runs,
# with the default kvm.dirty_log_lockless (on when the kernel has it), so
# lockdep checks the mmu_lock read-mode harvest: dirty_log_lockless_test
# (when the tree has it) for the get and clear harvests, dirty_log_test for
# the dirty ring's (its other modes are kvm-on's; each costs minutes here).
. "$XK_ROOT/tests/guest/lib.sh"
kvm_dirty_log_test() {
	t "dirty_log_test ($mode, dirty-ring)" "$(selftest kvm/dirty_log_test)" -M dirty-ring -i 3
	t_if_built "dirty_log_lockless_test ($mode)" kvm/dirty_log_lockless_test -d 4 -r 1
	return 0
}
for_each_mmu_mode kvm_dirty_log_test
finish
