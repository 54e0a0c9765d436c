# Helpers for the harness's own tests: each runs a piece of "make check" on
# a deliberately broken input and asserts that it fails the right way.
set -eu
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NAME=$(basename "$0" .sh)
# Scratch space under results/: the guest mounts its own /tmp, but sees the
# host's root (and so this folder) over 9p.
SCRATCH=$ROOT/results/harness/$NAME
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"

fail() { echo "harness $NAME: FAIL: $*" >&2; exit 1; }

# Run scripts/check with the given arguments on the scratch folder; it must
# fail, and its summary must count at least one failure.
expect_check_fails() {
	rc=0
	XK_CHECK_DIR=$SCRATCH/check "$ROOT/scripts/check" "$@" >"$SCRATCH/check.out" 2>&1 || rc=$?
	cat "$SCRATCH/check.out"
	[ "$rc" != 0 ] || fail "scripts/check $* passed"
	grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed, [0-9]+ skipped$' "$SCRATCH/check.out" ||
		fail "scripts/check $* did not end with 'N passed, M failed, K skipped', M > 0"
}
