# Test: find-splats fails closed and expected-splat sections hold only their warning
. "$(dirname "$0")/lib.sh"

# Console logs written here, each with what scripts/find-splats must say.
warn='WARNING: CPU: 0 PID: 215 at mm/xpfo.c:499 xpfo_kernel_fault+0x8b/0x90'
section() { # TAINT_AT_BEGIN LINE...
	local t=$1
	shift
	echo "[ 2.0] xk: expect-splat begin xpfo-fault taint=$t"
	printf '[ 2.1] %s\n' "$@"
	echo "[ 2.2] xk: expect-splat end"
}
scan() { # NAME WANT_RC: scan $SCRATCH/NAME.log, its exit status must be WANT_RC
	rc=0
	"$ROOT/scripts/find-splats" "$SCRATCH/$1.log" >"$SCRATCH/$1.out" 2>&1 || rc=$?
	[ "$rc" = "$2" ] || { cat "$SCRATCH/$1.log"; fail "$1: find-splats exited $rc, not $2: $(cat "$SCRATCH/$1.out")"; }
}
{ section 0 "$warn" "Call Trace:"; section 512 "$warn"; echo "xk-guest: tainted 512"; } >"$SCRATCH/clean.log"
scan clean 0
{ section 0 "$warn" "BUG: KASAN: use-after-free in foo"; echo "xk-guest: tainted 512"; } >"$SCRATCH/other.log"
scan other 1
{ section 0 "$warn" "Call Trace:" "WARNING: CPU: 1 PID: 3 at mm/page_alloc.c:10 bar+0x1/0x2"; } >"$SCRATCH/another-warning.log"
scan another-warning 1
{ section 512 "$warn"; echo "xk-guest: tainted 512"; } >"$SCRATCH/tainted-before.log"
scan tainted-before 1
{ section 0 "$warn"; echo "xk-guest: tainted 640"; } >"$SCRATCH/died.log"
scan died 1
{ echo "[ 1.0] ok"; echo "xk-guest: tainted 512"; } >"$SCRATCH/taint-no-section.log"
scan taint-no-section 1
section 0 "$warn" | sed 's/xpfo-fault/no-such-kind/' >"$SCRATCH/unknown-kind.log"
scan unknown-kind 1
section 0 "$warn" | sed '/expect-splat end/d' >"$SCRATCH/no-end.log"
scan no-end 1
echo "[ 1.0] ** 12 printk messages dropped **" >"$SCRATCH/dropped.log"
scan dropped 1
scan does-not-exist 2
# --kind prints a kind's warning (the guest's refusal check matches with
# it): it matches that kind's line; an unknown kind is an error.
re=$("$ROOT/scripts/find-splats" --kind xpfo-fault) || fail "--kind xpfo-fault failed"
printf '%s\n' "$warn" | grep -Eq "$re" || fail "--kind xpfo-fault: '$re' does not match '$warn'"
refusal='WARNING: CPU: 1 PID: 90 at mm/xpfo.c:1234 xpfo_unmap_huge+0x1c/0x40'
re=$("$ROOT/scripts/find-splats" --kind xpfo-refusal) || fail "--kind xpfo-refusal failed"
printf '%s\n' "$refusal" | grep -Eq "$re" || fail "--kind xpfo-refusal: '$re' does not match '$refusal'"
! printf '%s\n' "$warn" | grep -Eq "$re" || fail "--kind xpfo-refusal: '$re' matches xpfo-fault's '$warn'"
for k in no-such-kind 'xpfo-.*' xpfo; do
	if "$ROOT/scripts/find-splats" --kind "$k" >/dev/null 2>&1; then fail "--kind '$k' succeeded"; fi
done
echo "harness $NAME: ok"
