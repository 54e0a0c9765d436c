# Test: a failing KUnit case fails make check
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/lib.sh"

# An out-of-tree module with a failing KUnit case, built against kernel 'on'
# and loaded by the boot step's plan.
cp -r "$ROOT/tests/harness/kunit-fail" "$SCRATCH/mod"
make -C "$OUT/on" M="$SCRATCH/mod" CC="$(kernel_cc)" modules >"$SCRATCH/mod.log" 2>&1 ||
	{ cat "$SCRATCH/mod.log"; fail "could not build the module"; }
mkdir -p "$SCRATCH/plans"
cat >"$SCRATCH/plans/check-on.sh" <<PLAN
. "\$XK_ROOT/tests/guest/lib.sh"
insmod $SCRATCH/mod/xk_harness_kunit_fail.ko
tap \$? "loaded the failing KUnit module"
finish
PLAN
XK_PLANS=$SCRATCH/plans expect_check_fails --only boot-on
grep -q "^ok .*boot kernel 'on'" "$SCRATCH/check.out" || fail "the boot itself failed"
grep -q "^ok .*kunit: xk_harness_kunit_fail.xk_harness_passes" "$SCRATCH/check.out" ||
	fail "the passing case was not counted"
grep -q "^not ok .*kunit: xk_harness_kunit_fail.xk_harness_fails" "$SCRATCH/check.out" ||
	fail "the failing case was not counted as a failure"
echo "harness $NAME: ok"
