# Guest plan for the features-on kernel as a KVM host running this same
# kernel as its guest (tests/guest/e2e.sh): booted with xpfo=on, the lockless
# dirty-log harvest on.  A guest with free page hinting returns what it
# frees; live migration of a dirtying guest loses no write, in the TDP MMU
# and the shadow MMU over NPT, with the lockless harvest off and on; failed
# migrations leave the source intact.  A migration scenario whose only
# failure is an L2 guest resetting itself runs once more (e2e.sh says why).
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/nested.sh"
. "$XK_ROOT/tests/guest/e2e.sh"

e2e_migration() { l2_once_more_on_reset l2_migration "$label" "$ll"; }

if load_kvm "" ""; then
	tap 0 "kvm loads"
	[ ! -e "$XK_DIRTY_LOG_LOCKLESS" ] || set_dirty_log_lockless 1
	l2_hinting 256
	l2_once_more_on_reset l2_failed_migrations
else
	tap 1 "kvm loads"
fi
XK_MMU_MODES=$L2_MMU_MODES
for_each_mmu_mode for_each_dirty_log_lockless e2e_migration
finish
