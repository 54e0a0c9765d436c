# Guest plan for the debug kernel (KASAN, lockdep, PROVE_RCU, DEBUG_VM) in
# "make check", booted with xpfo=on: the XPFO checks, a shorter soak, the
# dirty-log selftests in each MMU mode, short runs (this
# kernel runs 3-4 times slower), with the default kvm.dirty_log_lockless (on
# when the kernel has it), so lockdep checks the mmu_lock read-mode harvest;
# dirty_log_lockless_test when the tree has it.
. "$XK_ROOT/tests/guest/lib.sh"
# Booted with xpfo=on: XPFO and its batched flushes under KASAN and lockdep.
. "$XK_ROOT/tests/guest/xpfo.sh"
XK_SOAK_SECONDS=30 . "$XK_ROOT/tests/guest/soak.sh"
kvm_dirty_log_test() {
	t "dirty_log_test ($mode)" "$(selftest kvm/dirty_log_test)" -i 3
	have_selftest kvm/dirty_log_lockless_test &&
		t "dirty_log_lockless_test ($mode)" "$(selftest kvm/dirty_log_lockless_test)" -d 4 -r 1
	return 0
}
for_each_mmu_mode kvm_dirty_log_test
finish
