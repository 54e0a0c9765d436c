# Guest plan for a guest that scripts/run-qemu booted with --accel kvm from
# inside another guest (tests/guest/check-e2e.sh): the kernel runs on KVM,
# not on QEMU's emulator, with xpfo=on; the XPFO selftest, as make check's
# other boots run it.
. "$XK_ROOT/tests/guest/lib.sh"

if dmesg | grep -q 'Hypervisor detected: KVM'; then
	tap 0 "the guest runs on KVM" "$(dmesg | grep -m1 -o 'Hypervisor detected: .*')"
else
	tap 1 "the guest runs on KVM" "$(dmesg | grep -m1 -o 'Hypervisor detected: .*' || echo 'no hypervisor line')"
fi
xpfo_on_tap
xpfo_selftest
finish
