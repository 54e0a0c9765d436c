# Test: a QEMU assertion abort is booted again once, a second one fails the boot
. "$(dirname "$0")/lib.sh"

# A qemu-system-x86_64 ahead of the real one on PATH that dies the way QEMU's
# multi-threaded TCG sometimes does (its assertion on stderr, SIGABRT) for the
# first $SCRATCH/aborts calls and then runs the real QEMU.
real=$(command -v qemu-system-x86_64) || fail "no qemu-system-x86_64"
mkdir -p "$SCRATCH/bin"
cat >"$SCRATCH/bin/qemu-system-x86_64" <<FAKE
#!/bin/bash
echo call >>"$SCRATCH/calls"
if [ "\$(wc -l <"$SCRATCH/calls")" -le "\$(cat "$SCRATCH/aborts")" ]; then
	echo "qemu-system-x86_64: system/physmem.c:2678: iotlb_to_section: Assertion \\\`section_index < d->map.sections_nb' failed." >&2
	kill -ABRT \$\$
fi
exec "$real" "\$@"
FAKE
chmod +x "$SCRATCH/bin/qemu-system-x86_64"

# Boot kernel 'off' with the first N QEMU starts aborting; sets rc.
boot_aborting() { # N NAME COMMAND
	rm -f "$SCRATCH/calls"
	echo "$1" >"$SCRATCH/aborts"
	rc=0
	PATH=$SCRATCH/bin:$PATH "$ROOT/scripts/run-qemu" -k off -o "$SCRATCH/$2" -t 300 -- "$3" \
		>"$SCRATCH/$2.out" 2>&1 || rc=$?
	cat "$SCRATCH/$2.out"
	calls=$(wc -l <"$SCRATCH/calls")
}

# One abort: the second boot runs the command and its status is returned.
boot_aborting 1 once 'exit 7'
[ "$rc" = 7 ] || fail "after one QEMU abort run-qemu returned $rc, not the guest's 7"
[ "$calls" = 2 ] || fail "QEMU was started $calls times, not twice"
grep -q 'Assertion' "$SCRATCH/once/console.qemu-abort.log" || fail "the aborted console was not kept"
grep -q 'QEMU itself aborted' "$SCRATCH/once.out" || fail "the second boot was not announced"

# Two aborts: no third try, and the boot fails.
boot_aborting 2 twice 'exit 0'
[ "$rc" = 126 ] || fail "after two QEMU aborts run-qemu returned $rc, not 126 (no status)"
[ "$calls" = 2 ] || fail "QEMU was started $calls times, not twice"
grep -q no-status "$SCRATCH/twice/result" || fail "the result is not no-status"
echo "harness $NAME: ok"
