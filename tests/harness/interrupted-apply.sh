# Test: make check applies the series again when an earlier apply was cut short
. "$(dirname "$0")/lib.sh"

# What an apply-series killed half-way leaves, in a scratch worktree of the
# tree: its marker, five patches applied, "git am" stopped in the sixth.
. "$ROOT/scripts/lib.sh"
set +e
tree=$SCRATCH/tree
trap 'tgit worktree remove --force "$tree" 2>/dev/null; tgit branch -q -D xk-harness-am 2>/dev/null' EXIT
tgit worktree prune
tgit worktree add -q -f -B xk-harness-am "$tree" "$BASE_TAG" || fail "no worktree"
mapfile -t list < <(series_patches)
git -C "$tree" am -q $(for p in "${list[@]:0:5}"; do echo "$PATCHES/$p"; done) || fail "the first five patches do not apply"
sed 's/^+/+xk-harness /' "$PATCHES/${list[5]}" >"$SCRATCH/broken.patch"
git -C "$tree" am -q "$SCRATCH/broken.patch" 2>/dev/null && fail "the broken patch applied"
mkdir -p "$SCRATCH/build"
: >"$SCRATCH/build/apply-series.incomplete"

rc=0
XK_SRC=$tree XK_BUILD=$SCRATCH/build XK_SERIES_BRANCH=xk-harness-am XK_CHECK_DIR=$SCRATCH/check \
	"$ROOT/scripts/check" --only tree >"$SCRATCH/check.out" 2>&1 || rc=$?
cat "$SCRATCH/check.out"
grep -q '^ok .* again (an earlier apply was cut short)' "$SCRATCH/check.out" ||
	fail "the series was not applied again"
[ ! -e "$SCRATCH/build/apply-series.incomplete" ] || fail "the marker is still there"
[ "$(git -C "$tree" rev-list --count "$BASE_TAG..HEAD")" = "${#list[@]}" ] || fail "the tree lacks patches"
# The same files as the series applied in build/src (its export is
# compared by check-series, whose hunk headers differ in a worktree).
[ "$(git -C "$tree" rev-parse 'HEAD^{tree}')" = "$(tgit rev-parse "refs/heads/$SERIES_BRANCH^{tree}")" ] ||
	fail "the tree applied again differs from the series in $SRC"
[ ! -d "$(git -C "$tree" rev-parse --git-path rebase-apply)" ] || fail "git am is still stopped"
echo "harness $NAME: ok"
