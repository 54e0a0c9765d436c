# Test: a boot that times out saves its vCPUs' registers from QEMU's monitor first
. "$(dirname "$0")/lib.sh"

# A QEMU that never ends: it writes its pid file, serves the human monitor
# on the socket run-qemu names, answers any command with a register dump,
# and sleeps until killed.
mkdir -p "$SCRATCH/bin"
cat >"$SCRATCH/bin/qemu-system-x86_64" <<'FAKE'
#!/usr/bin/python3
import os, socket, sys, time
args = sys.argv[1:]
mon = args[args.index("-monitor") + 1]
pidfile = args[args.index("-pidfile") + 1]
assert mon.startswith("unix:"), mon
path = mon[len("unix:"):].split(",")[0]
open(pidfile, "w").write("%d\n" % os.getpid())
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(1)
while True:
    c, _ = s.accept()
    c.sendall(b"QEMU 10.0 monitor - type 'help' for more information\n(qemu) ")
    for cmd in c.makefile("rb"):
        c.sendall(b"RIP=ffffffff81abcdef RFL=00000246 fake vCPU state for " + cmd.strip() + b"\n(qemu) ")
FAKE
chmod +x "$SCRATCH/bin/qemu-system-x86_64"
: >"$SCRATCH/bzImage"
rc=0
PATH=$SCRATCH/bin:$PATH "$ROOT/scripts/run-qemu" -k "$SCRATCH/bzImage" -o "$SCRATCH/out" -t 8 -- 'exit 0' \
	>"$SCRATCH/run.out" 2>&1 || rc=$?
cat "$SCRATCH/run.out"
[ "$rc" != 0 ] || fail "a boot that never ended passed"
[ "$(cat "$SCRATCH/out/result" 2>/dev/null)" = timeout ] || fail "result is not 'timeout'"
grep -q 'fake vCPU state for info registers -a' "$SCRATCH/out/hang-state" 2>/dev/null ||
	fail "no register dump in $SCRATCH/out/hang-state"
grep -q "TIMEOUT after .*hang-state" "$SCRATCH/run.out" || fail "the timeout message does not name the dump"

echo "harness $NAME: ok"
