# Test: an interrupted make check stops the kernel build it runs in the background
. "$(dirname "$0")/lib.sh"

# The processes whose command line names DIR or that run in it (make -C
# runs the compilers there, with relative paths).
procs() { # DIR
	local p
	for p in /proc/[0-9]*; do
		case "$(readlink "$p/cwd" 2>/dev/null)" in "$1"|"$1"/*) echo "${p#/proc/}"; continue ;; esac
		{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -q -F -- "$1" && echo "${p#/proc/}"
	done
	return 0
}

# A real build of kernel 'off' into a scratch folder, interrupted once it
# compiles; nothing of it may be left running.
for sig in TERM HUP; do
	out=$SCRATCH/$sig/out
	# (env: a shell cannot trap a signal ignored when it started, as HUP
	# is under nohup.)
	env --default-signal="$sig" XK_OUT="$out" XK_CHECK_DIR="$SCRATCH/$sig/check" \
		"$ROOT/scripts/check" --only build-off \
		>"$SCRATCH/$sig.out" 2>&1 &
	check=$!
	for _ in $(seq 240); do [ -n "$(procs "$out/off")" ] && break; sleep 0.5; done
	[ -n "$(procs "$out/off")" ] ||
		fail "$sig: the build never started (another build holding the build lock?): $(tail -3 "$SCRATCH/$sig/check/build-off.log" 2>/dev/null)"
	sleep 3
	kill -"$sig" "$check"
	for _ in $(seq 40); do kill -0 "$check" 2>/dev/null || break; sleep 0.5; done
	kill -0 "$check" 2>/dev/null && fail "$sig: scripts/check still runs 20 s after SIG$sig"
	rc=0
	wait "$check" || rc=$?
	[ "$rc" = 130 ] || fail "$sig: scripts/check exited $rc, not 130"
	for _ in $(seq 30); do [ -z "$(procs "$out/off")" ] && break; sleep 0.5; done
	left=$(procs "$out/off")
	if [ -n "$left" ]; then
		kill -KILL $left 2>/dev/null || true
		fail "$sig: build processes still run 15 s after scripts/check got SIG$sig: $left"
	fi
	cat "$SCRATCH/$sig.out"
	rm -rf "$out"
done
echo "harness $NAME: ok"
