# Guest plan: nested KVM in every MMU mode, the in-tree dirty-log selftests
# and dirty_log_lockless_test (short runs, when the tree has it), with the lockless dirty-log
# harvest off and on when the kernel has it.  Sourced by tests/guest/check-*.sh
# plans.
dirty_log_tests() {
	t "dirty_log_test ($label)" "$(selftest kvm/dirty_log_test)" -i 3
	# Fails on a lost write, and when the harvests' mmu_lock acquisitions
	# (VM statistics) do not match the lockless mode.
	t_ksft "dirty_log_lockless_test ($label)" "$(selftest kvm/dirty_log_lockless_test)" -b 1M -d 10 -x "$XK_LOCKLESS_STRETCH"
	# The same while KVM zaps the test memory's SPTEs every millisecond;
	# with shadow paging every gfn has 16 SPTEs (guest aliases), so the
	# harvest walks multi-descriptor rmap chains that change under it.
	t_ksft "dirty_log_lockless_test, 16 aliases, SPTEs zapped ($label)" \
		"$(selftest kvm/dirty_log_lockless_test)" -a 16 -z -b 512K -d 6 -x "$XK_LOCKLESS_STRETCH"
	# Shadow paging: one more vCPU remaps the test memory's aliases 1-3
	# (guest PTE changes, which KVM follows by zapping and faulting their
	# SPTEs) while the writers write through alias 0, whose SPTEs nothing
	# zaps: the rmaps change under the harvest, and a lost dirty bit is
	# not repaired by a later fault.
	[ "$mode" != shadow ] ||
		t_ksft "dirty_log_lockless_test, aliases remapped by a vCPU ($label)" \
			"$(selftest kvm/dirty_log_lockless_test)" -a 4 -c -b 256K -d 6 -x "$XK_LOCKLESS_STRETCH"
	# THP-backed test memory: huge SPTEs, which the clear mode's first
	# harvests write-protect (KVM_DIRTY_LOG_INITIALLY_SET) or, with eager
	# page splitting, split on KVM_CLEAR_DIRTY_LOG.  One 6 s round per log
	# mode: the clear mode's first pass over 512 pages took more than a
	# 1.5 s round here.
	for split in 0 1; do
		echo "$split" >/sys/module/kvm/parameters/eager_page_split ||
			{ tap 1 "set kvm.eager_page_split=$split ($label)"; continue; }
		t_ksft "dirty_log_lockless_test, THP, eager split $split ($label)" \
			"$(selftest kvm/dirty_log_lockless_test)" -s anonymous_thp -b 1M -d 12 -r 1 -x "$XK_LOCKLESS_STRETCH"
	done
	echo 1 >/sys/module/kvm/parameters/eager_page_split
}
kvm_dirty_log_tests() {
	for_each_dirty_log_lockless dirty_log_tests
	# With xpfo=on the kvmclock page's pfn cache keeps its page while it
	# maps it (freed with xpfo=off), and refreshes onto the new one.
	t "pfncache_xpfo_test ($mode)" "$(selftest kvm/x86_64/pfncache_xpfo_test)"
	t "dirty_log_perf_test ($mode)" "$(selftest kvm/dirty_log_perf_test)" -v 2 -b 64M -i 2
}
for_each_mmu_mode kvm_dirty_log_tests

nested_svm_vmcb_maps
