# Guest plan for the debug kernel (KASAN, lockdep, PROVE_RCU) as a KVM host,
# booted with xpfo=on: the dirty-log selftests, short runs, with the default
# kvm.dirty_log_lockless (on when the kernel has it), so lockdep and PROVE_RCU
# check the lockless harvest (mmu_lock for read with the TDP MMU, no mmu_lock
# and rmap walks under each rmap's lock bit without it): in every MMU mode
# dirty_log_lockless_test
# (when the tree has it: the get and clear harvests beside writing vCPUs, also
# with aliases and SPTEs zapped under the harvest) and
# dirty_log_test's dirty-ring mode; dirty_log_test's get-log mode with
# shadow paging (kvm_amd.npt=0), the rmap harvest.  Its dirty-log and
# clear-log modes cost about 8 minutes per MMU mode here, the dirty ring's
# about 1: with both, this boot ran past its 40 minutes beside kvm-on, so the
# clear-log harvest is checked here by dirty_log_lockless_test and in every
# log mode by kvm-on (tests/guest/check-kvm.sh).  Without the TDP MMU, the
# lockless harvest also runs under kvm.dirty_log_inject (see
# dirty_log_inject_tests).
. "$XK_ROOT/tests/guest/lib.sh"
XK_DIRTY_LOG_INJECT=/sys/module/kvm/parameters/dirty_log_inject
set_dirty_log_inject() { # 0|1|2
	echo "$1" >"$XK_DIRTY_LOG_INJECT" &&
		echo "xk: kvm.dirty_log_inject=$(cat "$XK_DIRTY_LOG_INJECT")"
}
# The harvest without mmu_lock (shadow MMU only) under injected faults
# (CONFIG_KVM_X86_LOCKLESS_DIRTY_LOG_DEBUG): with its race windows widened it
# must lose nothing, also with SPTEs zapped under it; with its order broken on
# purpose (a fault marks the gfn dirty before it installs the SPTE) the same
# test must report a lost write.  That one writes every page through one
# mapping and zaps nothing: an SPTE whose bit a harvest took in the window
# then stays writable and unreported to the end (with -z the next zap makes
# the next write fault and be reported; with aliases the next write may go
# through another, protected, SPTE), and 1 MiB per vCPU gives 512 such
# windows, about a quarter of which a harvest hits here.
dirty_log_inject_tests() {
	local lockless
	lockless="$(selftest kvm/dirty_log_lockless_test)"
	set_dirty_log_inject 1 || { tap 1 "set kvm.dirty_log_inject=1 ($mode)"; return 0; }
	# 4 aliases: each rmap entry costs 20 us more per harvest here, and
	# with 16 the vCPUs once wrote a single generation in a 2 s round.
	t_ksft "dirty_log_lockless_test, race windows widened ($mode)" \
		"$lockless" -a 4 -z -b 64K -d 8 -r 1 -x "$XK_LOCKLESS_STRETCH"
	set_dirty_log_inject 2 || { tap 1 "set kvm.dirty_log_inject=2 ($mode)"; return 0; }
	t_lost_write "dirty_log_lockless_test loses a write, order broken ($mode)" \
		"$lockless" -b 1M -d 3 -r 1 -M get -x "$XK_LOCKLESS_STRETCH"
	set_dirty_log_inject 0 || tap 1 "set kvm.dirty_log_inject=0 ($mode)"
}
kvm_dirty_log_test() {
	local log=dirty-ring
	[ "$mode" = shadow ] && log=dirty-log
	t "dirty_log_test ($mode, $log)" "$(selftest kvm/dirty_log_test)" -M "$log" -i 3
	t_ksft "dirty_log_lockless_test ($mode)" "$(selftest kvm/dirty_log_lockless_test)" \
		-b 256K -d 4 -r 1 -x "$XK_LOCKLESS_STRETCH"
	t_ksft "dirty_log_lockless_test, 16 aliases, SPTEs zapped ($mode)" \
		"$(selftest kvm/dirty_log_lockless_test)" -a 16 -z -b 128K -d 4 -r 1 -x "$XK_LOCKLESS_STRETCH"
	[ "$mode" != shadow ] ||
		t_ksft "dirty_log_lockless_test, aliases remapped by a vCPU ($mode)" \
			"$(selftest kvm/dirty_log_lockless_test)" -a 4 -c -b 128K -d 4 -r 1 -x "$XK_LOCKLESS_STRETCH"
	[ "$mode" = tdp ] || dirty_log_inject_tests
	# The kvmclock pfn cache's page reference, under KASAN and lockdep.
	t "pfncache_xpfo_test ($mode)" "$(selftest kvm/x86_64/pfncache_xpfo_test)"
	return 0
}
for_each_mmu_mode kvm_dirty_log_test
# Nested SVM's VMCB mappings (kmap_local) under KASAN and lockdep.
nested_svm_vmcb_maps
finish
