# Shared helpers for the scripts in this folder: paths, logging, errors, the
# kernel tree and the series.  Sourced, never run.  Every path can be moved
# with an environment variable so tests can point a script at a scratch copy.

set -eu

# Physical paths: the kernel's Makefile resolves symlinks, and the checks
# match the paths it prints against these.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
case "$ROOT" in *[[:space:]:]*)
	echo "$(basename "$0"): error: the checkout's path '$ROOT' has a space or a colon, which the kernel's build refuses: move it" >&2
	exit 1 ;;
esac
BUILD=${XK_BUILD:-$ROOT/build}
SRC=$(realpath -m "${XK_SRC:-$BUILD/src}")
OUT=${XK_OUT:-$BUILD/out}
DL=${XK_DL:-$BUILD/dl}
RESULTS=${XK_RESULTS:-$ROOT/results}
PATCHES=${XK_PATCHES:-$ROOT/patches}
CONFIGS=${XK_CONFIGS:-$ROOT/configs}
JOBS=${XK_JOBS:-$(($(nproc) + 1))}

# shellcheck source=../base.conf
. "$ROOT/base.conf"

# The tag of the pristine base commit in $SRC, and the branch of the series.
BASE_TAG=base
SERIES_BRANCH=${XK_SERIES_BRANCH:-series}
# Who commits in the tree (git am keeps each patch's author).
export GIT_COMMITTER_NAME="XPFO-KVM Developers" GIT_COMMITTER_EMAIL="dev@xpfo-kvm.example.org"

PROG=$(basename "$0")

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

# Whether $1 is a whole number above 0 without a leading 0 ("08" would be
# octal to the shell).
whole_number() { case "$1" in [1-9]|[1-9]*[0-9]) case "$1" in *[!0-9]*) return 1 ;; esac ;; *) return 1 ;; esac; }

# git in the kernel tree.
tgit() { git -C "$SRC" "$@"; }

have_tree() { [ -e "$SRC/.git" ] && tgit rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null; }
need_tree() { have_tree || die "no kernel tree in $SRC: run 'make tree' (scripts/fetch-base, scripts/apply-series)"; }
am_in_progress() { [ -d "$(tgit rev-parse --git-path rebase-apply)" ]; }
# Refuse to go on when the tree has edits that are not committed.
need_clean_tree() {
	local dirty
	dirty=$(tgit status --porcelain --untracked-files=no)
	[ -z "$dirty" ] || die "uncommitted changes in $SRC: commit them (or squash into their patch) first:
$dirty"
	! am_in_progress || die "a 'git am' is in progress in $SRC: finish it or 'git -C $SRC am --abort'"
}

# The file names patches/series lists, in order (comments and blank lines
# skipped): the cover letter first, then the patches.
COVER_LETTER=0000-cover-letter.patch
series_entries() {
	[ -f "$PATCHES/series" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$PATCHES/series"
}
# The patches git am applies: the entries but the cover letter (no diff).
series_patches() {
	series_entries | grep -vxF "$COVER_LETTER" || true
}
# Die when patches/series lists a file that does not exist.
need_series_files() {
	local p
	for p in $(series_entries); do
		[ -f "$PATCHES/$p" ] || die "patches/series lists $p, which does not exist"
	done
}

# Export the commits base..REV of the tree as patches into DIR, with options
# that keep an unchanged patch byte-identical whatever the user's git config
# and the repository's packing: no hashes in the From line, full blob ids,
# renames detected at git's default 50% similarity (a moved file is a
# rename, not a delete and an add), no git version signature, no "n/m"
# numbering.  Blank
# context lines are written empty rather than as one space, so no line of a
# patch ends in whitespace (git am reads both).
export_patches() { # REV DIR [FROM] (FROM: default the base tag)
	GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
	tgit -c diff.suppressBlankEmpty=true \
		format-patch --quiet --zero-commit --no-signature --no-numbered \
		--full-index --find-renames --no-thread --encode-email-headers \
		-o "$2" "${3:-$BASE_TAG}..$1" >/dev/null
}

# Print git format-patch's cover letter FILE with the subject (first line)
# and text of patches/cover-letter.txt in place of its placeholders, and
# DATE as its Date.
fill_cover_letter() { # FILE DATE
	local text=$PATCHES/cover-letter.txt
	[ -s "$text" ] || die "$text is missing or empty (the cover letter's subject, a blank line, its text)"
	awk -v date="$2" -v text="$text" '
		/^Date: / && !d { print "Date: " date; d = 1; next }
		!s && (i = index($0, "*** SUBJECT HERE ***")) && /^Subject: / {
			if ((getline subject <text) <= 0) exit 2
			print substr($0, 1, i - 1) subject; s = 1; next }
		!b && $0 == "*** BLURB HERE ***" {
			getline line <text   # the blank line after the subject
			while ((getline line <text) > 0) print line
			b = 1; next }
		{ print }
		END { if (!(s && b)) exit 2 }' "$1" ||
		die "could not fill the cover letter $1 from $text (placeholders or text missing)"
}

# patches/0000-cover-letter.patch for the commits BASE..REV, into DIR: git
# format-patch's cover letter (shortlog, diffstat, base-commit: the base
# tag) with the subject (first line) and text of patches/cover-letter.txt,
# dated as REV's commit (git would put the time of the export), so that an
# unchanged series gives a byte-identical cover letter.
export_cover_letter() { # REV DIR
	local tmp rc=0
	tmp=$(mktemp -d)
	GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
	tgit -c diff.suppressBlankEmpty=true \
		format-patch --quiet --zero-commit --no-signature --numbered --cover-letter \
		--base="$BASE_TAG" --full-index --no-renames --no-thread \
		-o "$tmp" "$BASE_TAG..$1" >/dev/null &&
	( fill_cover_letter "$tmp/0000-cover-letter.patch" "$(tgit log -1 --format=%aD "$1")" \
		>"$2/0000-cover-letter.patch" ) || rc=$?
	rm -rf "$tmp"
	[ $rc = 0 ] || die "could not write the cover letter (see above)"
}

# The files named in the error output of "git apply" / "git am".
failed_files() { # ERRFILE
	sed -n -e 's/^error: patch failed: \(.*\):[0-9]*$/\1/p' \
		-e 's/^error: \(.*\): does not exist in index$/\1/p' \
		-e 's/^error: \(.*\): already exists in index$/\1/p' \
		-e 's/^error: \(.*\): patch does not apply$/\1/p' "$1" | sort -u
}

tap_line() { # RC DESC [DIAG]: a TAP line without a number
	if [ "$1" = 0 ]; then echo "ok - $2${3:+ # $3}"; else echo "not ok - $2${3:+ # $3}"; fi
}

# The kernels configs/kernels names, and the fragments of one of them.
kernel_names() { awk '!/^#/ && NF { print $1 }' "$CONFIGS/kernels"; }
kernel_fragments() { # NAME
	awk -v n="$1" '$1 == n { $1 = ""; sub(/^ +/, ""); print }' "$CONFIGS/kernels"
}

# The C compiler for kernel, module and selftest builds, through ccache
# when it is there; paths under the checkout hash the same in every clone.
# Depend mode keys a result on the headers the compiler's -MD file names
# instead of running the preprocessor once more: measured on mm/ and
# kernel/sched/ of the 'on' kernel, an empty cache cost 106 core-seconds in
# ccache's default mode, 72.5 in depend mode and 70 without ccache.
kernel_cc() { if command -v ccache >/dev/null; then echo "ccache gcc"; else echo gcc; fi; }
export CCACHE_BASEDIR=$ROOT CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
export CCACHE_DEPEND=1
# Every kernel build the same whenever and wherever it runs (and so
# ccache hits): a fixed build timestamp, user and host.
export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=xk KBUILD_BUILD_HOST=xk

# One kernel build at a time on this machine, whichever tree it is from:
# holds the lock (fd 9) until the calling script exits.
build_lock() {
	local lock=${XK_BUILD_LOCK:-/tmp/xpfo-kvm-build.lock}
	( umask 0; : >>"$lock" ) 2>/dev/null || true
	exec 9<"$lock"
	flock -n 9 || { log "waiting for another kernel build to finish"; flock 9; }
}

# "file:line" for every line the tree's files add or change against the
# base, in the paths PATHSPEC... (git pathspecs).
added_lines() { # PATHSPEC...
	local diff
	diff=$(tgit diff -U0 "$BASE_TAG" -- "$@") || die "git diff against $BASE_TAG failed"
	printf '%s\n' "$diff" | awk '
	/^diff --git / { hdr = 1; next }
	hdr && /^\+\+\+ b\// { f = substr($0, 7); next }
	/^@@ / { hdr = 0; split($3, a, ","); s = substr(a[1], 2); n = (a[2] == "" ? 1 : a[2])
		for (i = 0; i < n; i++) print f ":" (s + i) }'
}

# Run a long command with its output in LOG, printing a progress line every
# 30 s and, on failure, the lines of LOG matching ERR_RE (or its tail).
run_logged() { # LOG ERR_RE DESC cmd...
	local logf=$1 err_re=$2 desc=$3 start rc ticker parent=$$
	shift 3
	mkdir -p "$(dirname "$logf")"
	start=$(date +%s)
	log "$desc (log: $logf)"
	( exec 9>&-
	  while sleep 30 </dev/null >/dev/null 2>&1 && kill -0 "$parent" 2>/dev/null; do
		log "  ... $desc: $(($(date +%s) - start)) s, $(wc -l <"$logf") log lines"
	  done ) &
	ticker=$!
	rc=0
	"$@" >"$logf" 2>&1 || rc=$?
	kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
	if [ "$rc" -ne 0 ]; then
		log "FAILED: $desc (exit $rc, $(($(date +%s) - start)) s); from $logf:"
		if grep -E -n "$err_re" "$logf" >/dev/null; then
			grep -E -n -A3 "$err_re" "$logf" | head -60 >&2
		else
			tail -30 "$logf" >&2
		fi
		return "$rc"
	fi
	log "done: $desc ($(($(date +%s) - start)) s)"
}
