# Test: a WARN in the guest console fails make check
. "$(dirname "$0")/lib.sh"

# The same boot step as make check, with a plan that provokes a WARNING
# through LKDTM and otherwise passes.
mkdir -p "$SCRATCH/plans"
cat >"$SCRATCH/plans/check-on.sh" <<'PLAN'
. "$XK_ROOT/tests/guest/lib.sh"
echo WARNING >/sys/kernel/debug/provoke-crash/DIRECT
tap 0 "provoked a WARNING"
finish
PLAN
XK_PLANS=$SCRATCH/plans expect_check_fails --only boot-on
grep -q "^not ok .*boot kernel 'on'.*# splat" "$SCRATCH/check.out" ||
	fail "the boot step did not fail on the splat"
grep -q "WARNING:.*lkdtm" "$SCRATCH/check/boot-on/console.log" ||
	fail "no WARNING from lkdtm in the console: the test proved nothing"
echo "harness $NAME: ok"
