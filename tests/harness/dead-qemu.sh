# Test: a QEMU that is gone is an error with its reason, never "0 KiB" or a silent pass
. "$(dirname "$0")/lib.sh"

# 1. The nested guests' RSS reader (tests/guest/nested.sh), on this host:
#    a live process gives its RSS, a dead one an error and no number.
L2_DIR=$SCRATCH/l2
# shellcheck source=../guest/nested.sh
. "$ROOT/tests/guest/nested.sh"
L2_DIR=$SCRATCH/l2
mkdir -p "$L2_DIR/live" "$L2_DIR/dead"
sleep 60 &
echo $! >"$L2_DIR/live/qemu-pid"
sh -c 'exit 0' &
echo $! >"$L2_DIR/dead/qemu-pid"
wait $!
kb=$(l2_rss live) && [ "$kb" -gt 0 ] || fail "no RSS for a live process: '$kb'"
if kb=$(l2_rss dead); then fail "an exited process read as RSS '$kb'"; fi
[ -z "$kb" ] || fail "an exited process printed '$kb'"
if low=$(l2_lowest_rss dead 100000 50000 2 2>/dev/null); then fail "lowest RSS of an exited process: '$low'"; fi
kill %1

# 2. run-qemu with a QEMU that exits at once (as one does under -no-reboot
#    when the guest resets) and one killed by a signal: status 126, and
#    the reason said.
mkdir -p "$SCRATCH/bin"
cat >"$SCRATCH/bin/qemu-system-x86_64" <<FAKE
#!/bin/bash
case "\$(cat "$SCRATCH/how")" in
reset) exit 0 ;;
killed) kill -KILL \$\$ ;;
esac
FAKE
chmod +x "$SCRATCH/bin/qemu-system-x86_64"
: >"$SCRATCH/bzImage"
for how in reset killed; do
	echo "$how" >"$SCRATCH/how"
	rc=0
	PATH=$SCRATCH/bin:$PATH "$ROOT/scripts/run-qemu" -k "$SCRATCH/bzImage" -o "$SCRATCH/$how" -t 60 -- 'exit 0' \
		>"$SCRATCH/$how.out" 2>&1 || rc=$?
	cat "$SCRATCH/$how.out"
	[ "$rc" = 126 ] || fail "$how: run-qemu returned $rc, not 126"
	case "$how" in
	reset) want="the guest reset itself" ;;
	killed) want="killed by signal 9" ;;
	esac
	grep -q "no exit status after .*: .*$want" "$SCRATCH/$how.out" || fail "$how: the reason '$want' was not said"
	grep -q "$want" "$SCRATCH/$how/no-status-reason" || fail "$how: no-status-reason lacks '$want'"
done
echo "harness $NAME: ok"
