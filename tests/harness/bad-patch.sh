# Test: a patch that does not apply fails make check and git am, naming the patch and file
. "$(dirname "$0")/lib.sh"

# The series as it is, plus one well-formed patch whose context is not in
# the base's Makefile.
cp -r "$ROOT/patches" "$SCRATCH/patches"
bad=9999-kbuild-change-a-line-the-base-does-not-have.patch
cat >"$SCRATCH/patches/$bad" <<'PATCH'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Harness Test <harness@xpfo-kvm.example.org>
Date: Sat, 1 Jan 2000 00:00:00 +0000
Subject: [PATCH] kbuild: change a line the base does not have

This patch deliberately does not apply.

Signed-off-by: Harness Test <harness@xpfo-kvm.example.org>
---
 Makefile | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/Makefile b/Makefile
--- a/Makefile
+++ b/Makefile
@@ -1,5 +1,5 @@
 # SPDX-License-Identifier: GPL-2.0
 VERSION = 6
-PATCHLEVEL = 99
+PATCHLEVEL = 98
 SUBLEVEL = 117
 EXTRAVERSION =
PATCH
echo "$bad" >>"$SCRATCH/patches/series"

XK_PATCHES=$SCRATCH/patches expect_check_fails --only apply
grep -q "patch $bad .*does not apply.*files: Makefile" "$SCRATCH/check.out" ||
	fail "the failure does not name the patch and the file"

# The same series through "git am" (scripts/apply-series) in a scratch
# worktree of the tree: it must stop at the bad patch, name it and the file,
# and leave "git am" stopped there.
. "$ROOT/scripts/lib.sh"
tree=$SCRATCH/tree
trap 'tgit worktree remove --force "$tree" 2>/dev/null; tgit branch -q -D xk-harness 2>/dev/null || true' EXIT
tgit worktree add -q --detach "$tree" "$BASE_TAG"
rc=0
XK_SRC=$tree XK_PATCHES=$SCRATCH/patches XK_SERIES_BRANCH=xk-harness \
	"$ROOT/scripts/apply-series" >"$SCRATCH/apply.out" 2>&1 || rc=$?
cat "$SCRATCH/apply.out"
[ "$rc" != 0 ] || fail "apply-series applied a patch that does not apply"
grep -q "patch $bad .*does not apply; files: Makefile" "$SCRATCH/apply.out" ||
	fail "apply-series did not name the patch and the file"
[ -d "$(git -C "$tree" rev-parse --git-path rebase-apply)" ] ||
	fail "apply-series did not leave 'git am' stopped at the patch"
echo "harness $NAME: ok"
