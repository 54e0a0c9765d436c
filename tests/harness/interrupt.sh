# Test: an interrupted run-qemu leaves no QEMU running
. "$(dirname "$0")/lib.sh"

# A QEMU that writes its pid file and then runs until killed.
mkdir -p "$SCRATCH/bin"
cat >"$SCRATCH/bin/qemu-system-x86_64" <<'FAKE'
#!/bin/bash
while [ $# -gt 0 ]; do [ "$1" = -pidfile ] && echo $$ >"$2"; shift; done
exec sleep 300
FAKE
chmod +x "$SCRATCH/bin/qemu-system-x86_64"
: >"$SCRATCH/bzImage"
# (Not SIGINT: a background job of a script starts with it ignored.)
for sig in TERM HUP; do
	# (env: a shell cannot trap a signal ignored when it started, as HUP
	# is under nohup.)
	env --default-signal="$sig" PATH="$SCRATCH/bin:$PATH" \
		"$ROOT/scripts/run-qemu" -k "$SCRATCH/bzImage" -o "$SCRATCH/$sig" -t 300 -- 'exit 0' \
		>"$SCRATCH/$sig.out" 2>&1 &
	runner=$!
	for _ in $(seq 50); do [ -s "$SCRATCH/$sig/qemu.pid" ] && break; sleep 0.2; done
	qemu=$(cat "$SCRATCH/$sig/qemu.pid" 2>/dev/null) || fail "$sig: the QEMU never started"
	kill -"$sig" "$runner"
	for _ in $(seq 50); do kill -0 "$qemu" 2>/dev/null || break; sleep 0.2; done
	if kill -0 "$qemu" 2>/dev/null; then
		kill -KILL "$qemu"
		fail "$sig: QEMU (pid $qemu) still runs 10 s after run-qemu got SIG$sig"
	fi
	wait "$runner" && fail "$sig: run-qemu exited 0 after SIG$sig"
	cat "$SCRATCH/$sig.out"
done
echo "harness $NAME: ok"
