# Guest plan for the features-off kernel in "make check": it boots, runs its
# KUnit suites, and runs a nested KVM guest in the default MMU mode.
. "$XK_ROOT/tests/guest/lib.sh"
load_kvm "" "" && tap 0 "kvm loads" || tap 1 "kvm loads"
t "dirty_log_test (tdp)" "$(selftest kvm/dirty_log_test)" -i 3
# No kvm.dirty_log_lockless here: every harvest must take mmu_lock for write.
t_ksft "dirty_log_lockless_test (tdp)" "$(selftest kvm/dirty_log_lockless_test)" -b 512K -d 4 -r 1 -x "$XK_LOCKLESS_STRETCH"
finish
