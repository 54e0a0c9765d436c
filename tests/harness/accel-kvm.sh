# Test: run-qemu --accel kvm runs QEMU on KVM with the host's CPU, the
# default stays TCG with "-cpu max", contradictory or unknown choices are
# refused, and run-show ("make run ACCEL=kvm") passes the choice on
. "$(dirname "$0")/lib.sh"

# A QEMU that exits at once (a guest that reset): only its command line,
# which run-qemu writes to OUT/qemu-cmd, matters here.
mkdir -p "$SCRATCH/bin"
printf '#!/bin/sh\nexit 0\n' >"$SCRATCH/bin/qemu-system-x86_64"
chmod +x "$SCRATCH/bin/qemu-system-x86_64"
: >"$SCRATCH/bzImage"
runq() { # OUT run-qemu-options...
	local o=$SCRATCH/$1
	shift
	rc=0
	PATH=$SCRATCH/bin:$PATH "$ROOT/scripts/run-qemu" -k "$SCRATCH/bzImage" -o "$o" -t 60 "$@" -- 'exit 0' \
		>"$o.out" 2>&1 || rc=$?
	cat "$o.out"
}

runq tcg
grep -q -- '-accel tcg,thread=multi -cpu max ' "$SCRATCH/tcg/qemu-cmd" ||
	fail "default: not TCG with -cpu max: $(cat "$SCRATCH/tcg/qemu-cmd")"

# A device node the runner can open (a file stands in for /dev/kvm: only
# QEMU, here the stand-in, would use it)
: >"$SCRATCH/kvm-dev"
export XK_DEV_KVM=$SCRATCH/kvm-dev
runq kvm --accel kvm
grep -q -- '-accel kvm -cpu host ' "$SCRATCH/kvm/qemu-cmd" ||
	fail "--accel kvm: not '-accel kvm -cpu host': $(cat "$SCRATCH/kvm/qemu-cmd")"
! grep -q -e '-cpu max' -e 'tsc_early_khz' -e 'accel tcg' "$SCRATCH/kvm/qemu-cmd" ||
	fail "--accel kvm: TCG's options left in: $(cat "$SCRATCH/kvm/qemu-cmd")"
grep -q '(KVM, ' "$SCRATCH/kvm.out" || fail "--accel kvm: the boot line does not say KVM"
# run-show passes the choice on to both of its boots
rc=0
PATH=$SCRATCH/bin:$PATH "$ROOT/scripts/run-show" -k "$SCRATCH/bzImage" -o "$SCRATCH/show" \
	--accel kvm -t 60 >"$SCRATCH/show.out" 2>&1 || rc=$?
for part in features nested; do
	grep -q -- '-accel kvm -cpu host ' "$SCRATCH/show/$part/qemu-cmd" ||
		fail "run-show --accel kvm: the $part boot was not on KVM"
done

# No usable device: refused, naming it
XK_DEV_KVM=$SCRATCH/no-such-kvm runq nokvm --accel kvm
[ "$rc" = 1 ] && grep -q "no-such-kvm is missing or not readable and writable" "$SCRATCH/nokvm.out" ||
	fail "--accel kvm without a usable device: exit $rc, not refused naming it"
[ ! -e "$SCRATCH/nokvm/qemu-cmd" ] || fail "--accel kvm without a usable device: QEMU was started"

runq both --accel kvm --tcg single
[ "$rc" = 1 ] && grep -q -- '--tcg single is for --accel tcg' "$SCRATCH/both.out" ||
	fail "--accel kvm --tcg single: exit $rc, not refused"
runq xen --accel xen
[ "$rc" = 1 ] && grep -q -- "--accel takes tcg or kvm, not 'xen'" "$SCRATCH/xen.out" ||
	fail "--accel xen: exit $rc, not refused"
echo "harness $NAME: ok"
