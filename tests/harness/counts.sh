# Test: a skip counts as skipped, a missing or unparsed test fails, a kselftest's cases are counted
. "$(dirname "$0")/lib.sh"

# The xpfo-off boot of make check with a plan that passes one test, skips
# one, leaves a kselftest TAP log with a skipped case and one whose plan
# promises a case that never reports, and an expect list naming a test the
# plan never runs.
mkdir -p "$SCRATCH/plans"
cat >"$SCRATCH/plans/check-xpfo-off.sh" <<'PLAN'
. "$XK_ROOT/tests/guest/lib.sh"
tap 0 "a passing case"
skip "a skipped case" "on purpose"
skip "a case that must run" "but skipped"
printf 'TAP version 13\n1..2\nok 1 h.a\nok 2 h.b # SKIP no such thing\n' >"$XK_LOGS/one.log"
printf 'TAP version 13\n1..3\nok 1 h.a\nok 2 h.b\n' >"$XK_LOGS/short.log"
printf 'logs/one.log\tselftest one\nlogs/short.log\tselftest short\n' >>"$XK_GUEST_OUT/ksft"
finish
PLAN
cat >"$SCRATCH/plans/check-xpfo-off.expect" <<'EXPECT'
a passing case
a skipped case?
selftest one: *
kunit: xpfo.*?
a test that never ran
a case that must run
EXPECT
XK_PLANS=$SCRATCH/plans expect_check_fails --only boot-xpfo-off
out=$SCRATCH/check.out
grep -q '^ok [0-9]* - xpfo-off: a skipped case # SKIP on purpose$' "$out" || fail "the skip is not an ok # SKIP line"
grep -q '^ok [0-9]* - xpfo-off: selftest one: h.b # SKIP$' "$out" || fail "the kselftest's skipped case is not its own # SKIP line"
grep -q '^ok [0-9]* - xpfo-off: selftest one: h.a$' "$out" || fail "the kselftest's passing case is not its own line"
grep -q '^not ok [0-9]* - xpfo-off: selftest short: case 3 (no result line)' "$out" ||
	fail "a kselftest case promised by its plan and never reported did not fail"
grep -q '^not ok [0-9]* - xpfo-off: a test that never ran # expected, not run' "$out" ||
	fail "a test the expect list names and the plan never ran did not fail"
grep -q '^not ok [0-9]* - xpfo-off: a case that must run # expected, not run' "$out" ||
	fail "a skip of a test the expect list says must run did not fail"
grep -q ' - xpfo-off: a skipped case # expected' "$out" && fail "a skip the expect list allows failed"
grep -q '^ok [0-9]* - xpfo-off: kunit: xpfo\.' "$out" || fail "no series KUnit case in the xpfo-off boot"
grep -q '^\(not \)\?ok .* upstream kunit: ' "$out" && fail "an upstream KUnit suite ran in the xpfo-off boot (kunit.filter_glob)"
# The skips: the plan's and the kselftest's (and the xpfo KUnit cases
# that skip with xpfo off), never among the passed.
sk=$(sed -n 's/^[0-9]* passed, [0-9]* failed, \([0-9]*\) skipped$/\1/p' "$out")
n=$(grep -c '^ok [0-9]* - .* # SKIP' "$out")
[ -n "$sk" ] && [ "$sk" = "$n" ] && [ "$sk" -ge 2 ] || fail "the summary says '${sk:-no}' skipped, the TAP has $n # SKIP lines"

# A plan that ends before it reports anything: every expected test fails,
# and make check goes on to its summary.
cat >"$SCRATCH/plans/check-xpfo-off.sh" <<'PLAN'
exit 3
PLAN
XK_PLANS=$SCRATCH/plans expect_check_fails --only boot-xpfo-off
grep -q '^not ok [0-9]* - xpfo-off: a passing case # expected, not run' "$out" ||
	fail "a plan that reported nothing did not fail its expected tests"
echo "harness $NAME: ok"
