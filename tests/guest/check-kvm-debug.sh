# Guest plan for the debug kernel (KASAN, lockdep, PROVE_RCU) as a KVM host,
# booted with xpfo=on: the dirty-log selftests, short runs, with the default
# kvm.dirty_log_lockless (on when the kernel has it), so lockdep checks the
# mmu_lock read-mode harvest: dirty_log_lockless_test (when the tree has it)
# in every MMU mode, dirty_log_test in every log mode with the TDP MMU and
# with shadow paging (kvm_amd.npt=0).  Not dirty_log_test with the shadow
# MMU over NPT (kvm.tdp_mmu=0): its harvest is the shadow MMU's rmap walk,
# the same as shadow paging's, and each run costs about 5 minutes here.
. "$XK_ROOT/tests/guest/lib.sh"
kvm_dirty_log_test() {
	[ "$mode" = shadow-tdp ] || t "dirty_log_test ($mode)" "$(selftest kvm/dirty_log_test)" -i 3
	t_if_built "dirty_log_lockless_test ($mode)" kvm/dirty_log_lockless_test -d 4 -r 1
	return 0
}
for_each_mmu_mode kvm_dirty_log_test
finish
