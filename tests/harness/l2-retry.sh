# Test: a nested scenario run again after an L2 reset says so in the TAP and keeps failures a reset cannot cause
. "$(dirname "$0")/lib.sh"

# tests/guest/e2e.sh's l2_once_more_on_reset on this host, with a stand-in
# scenario: its first run fails as a reset does (QMP "guest-reset", the
# migration not completed) and with a wrong mmu_lock count; its second run
# passes.
XK_GUEST_OUT=$SCRATCH/out
mkdir -p "$XK_GUEST_OUT"
# shellcheck source=../guest/lib.sh
. "$ROOT/tests/guest/lib.sh"
XK_ROOT=$ROOT
. "$ROOT/tests/guest/nested.sh"
. "$ROOT/tests/guest/e2e.sh"
L2_DIR=$SCRATCH/l2
# The guest scripts run without -e and -u, as the guest's sh runs them.
set +eu
# FIRST_COUNTS: the mmu_lock counts of the first run's failed check ("-"
# when the source QEMU was gone, as after its reset).
scenario() { # LABEL
	runs=$((runs + 1))
	mkdir -p "$L2_DIR/src"
	echo src >>"$L2_DIR/started"
	: >"$L2_DIR/src/console.log"
	if [ "$runs" = 1 ]; then
		echo '{"event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-reset"}}' >"$L2_DIR/src/qmp.log"
		tap 1 "migration ($1): completes" "failed"
		tap 1 "migration ($1): the source's harvests took mmu_lock as kvm.dirty_log_lockless=1 says" "$FIRST_COUNTS"
	else
		: >"$L2_DIR/src/qmp.log"
		tap 0 "migration ($1): completes"
		tap 0 "migration ($1): the source's harvests took mmu_lock as kvm.dirty_log_lockless=1 says"
	fi
}
# Runs the scenario under l2_once_more_on_reset; WANT_FAILED: the failures
# it must leave counted.
retry() { # FIRST_COUNTS WANT_FAILED
	FIRST_COUNTS=$1 runs=0 xk_failed=0
	rm -rf "$L2_DIR"
	: >"$XK_TAP"
	l2_log_tag "migration x"
	l2_once_more_on_reset scenario x >"$SCRATCH/console" 2>&1
	cat "$SCRATCH/console" "$XK_TAP"
	[ "$runs" = 2 ] || fail "the scenario ran $runs times, not twice"
	grep -q 'run once more' "$SCRATCH/console" || fail "the repeat was not said on the console"
	grep -q '^# first run, before an L2 reset: not ok - migration (x): completes' "$XK_TAP" ||
		fail "the first run's results are not kept as TAP comments"
	grep -q '^ok - migration (x): completes' "$XK_TAP" || fail "the second run's result is missing"
	[ "$xk_failed" = "$2" ] || fail "first counts '$1': $xk_failed failures counted, not $2"
}
# A source gone with its reset has no counts: nothing kept.
retry "write -, read -, none -" 0
# Counts that are wrong are wrong whatever reset later: kept.
retry "write 3, read 0, none 0" 1
grep -q '^not ok - migration (x): the source.s harvests took mmu_lock.*(first run)$' "$XK_TAP" ||
	fail "the first run's mmu_lock failure was dropped"
echo "harness $NAME: ok"
