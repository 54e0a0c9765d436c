# Guest plan for the debug kernel (KASAN, lockdep, PROVE_RCU) as a KVM host,
# booted with xpfo=on: the dirty-log selftests, short runs, with the default
# kvm.dirty_log_lockless (on when the kernel has it), so lockdep and PROVE_RCU
# check the lockless harvest (mmu_lock for read with the TDP MMU, no mmu_lock
# and RCU rmap walks without it): in every MMU mode dirty_log_lockless_test
# (when the tree has it: the get and clear harvests beside writing vCPUs, also
# with aliases and SPTEs zapped under the harvest) and
# dirty_log_test's dirty-ring mode; dirty_log_test's get-log mode with
# shadow paging (kvm_amd.npt=0), the rmap harvest.  Its dirty-log and
# clear-log modes cost about 8 minutes per MMU mode here, the dirty ring's
# about 1: with both, this boot ran past its 40 minutes beside kvm-on, so the
# clear-log harvest is checked here by dirty_log_lockless_test and in every
# log mode by kvm-on (tests/guest/check-kvm.sh).
. "$XK_ROOT/tests/guest/lib.sh"
kvm_dirty_log_test() {
	local log=dirty-ring
	[ "$mode" = shadow ] && log=dirty-log
	t "dirty_log_test ($mode, $log)" "$(selftest kvm/dirty_log_test)" -M "$log" -i 3
	t_ksft "dirty_log_lockless_test ($mode)" "$(selftest kvm/dirty_log_lockless_test)" -d 4 -r 1
	t_ksft "dirty_log_lockless_test, 16 aliases, SPTEs zapped ($mode)" \
		"$(selftest kvm/dirty_log_lockless_test)" -a 16 -z -b 2M -d 4 -r 1
	return 0
}
for_each_mmu_mode kvm_dirty_log_test
finish
