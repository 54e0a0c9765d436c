# Test: the migration tests' guest writer catches a lost write
. "$(dirname "$0")/lib.sh"

# tests/guest/l2-init.c run as a plain process on the host: undo one write
# ("lose"), and its next sweep must report the page and the final verify
# must fail.  Without it, "no mismatch" after a migration would prove nothing.
gcc -O2 -Wall -o "$SCRATCH/l2-init" "$ROOT/tests/guest/l2-init.c" || fail "l2-init.c does not build"
{ sleep 1.5; echo "1 lose"; sleep 1.5; echo "2 verify"; sleep 0.5; } |
	xk_mib=1 xk_rate=2000 timeout 6 "$SCRATCH/l2-init" >"$SCRATCH/out.log" 2>&1 || true
cat "$SCRATCH/out.log"
grep -q '^l2: 1 ok page [0-9]* set back' "$SCRATCH/out.log" || fail "the writer did not undo a write"
grep -q '^l2: MISMATCH page ' "$SCRATCH/out.log" || fail "the lost write was not reported"
grep -q '^l2: 2 FAIL ' "$SCRATCH/out.log" || fail "verify passed after a lost write"
echo "harness $NAME: ok"
