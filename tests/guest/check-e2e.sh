# Guest plan for the features-on kernel as a KVM host running this same
# kernel as its guest (tests/guest/e2e.sh): booted with xpfo=on, the lockless
# dirty-log harvest on.  A guest with free page hinting returns what it
# frees; live migration of a dirtying guest loses no write, in the TDP MMU
# and the shadow MMU over NPT, with the lockless harvest off and on; failed
# migrations leave the source intact.  A migration scenario whose only
# failure is an L2 guest resetting itself runs once more (e2e.sh says why).
# And scripts/run-qemu --accel kvm, run here, boots this kernel on this
# guest's KVM (tests/guest/accel-kvm.sh).
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/nested.sh"
. "$XK_ROOT/tests/guest/e2e.sh"

e2e_migration() { l2_once_more_on_reset l2_migration "$label" "$ll"; }

# The runner with --accel kvm (-cpu host) on this guest's KVM: its plan's
# results join this boot's as "accel kvm: NAME", its kselftest's cases too.
# Its result folder is on this guest's tmpfs, copied here after.  As for the
# nested guests of e2e.sh: no kvmclock (it runs slow under the emulated
# SVM), warnings and worse only on the console.
accel_kvm() {
	o=/tmp/xk-accel-kvm
	rc=0
	"$XK_ROOT/scripts/run-qemu" --accel kvm -s 1 -m 1024 -t 360 \
		-k "$XK_KERNEL_BUILD/arch/x86/boot/bzImage" -o "$o" \
		-a "xpfo=on kunit.enable=0 no-kvmclock loglevel=5" \
		-- ". '$XK_ROOT/tests/guest/accel-kvm.sh'" >"$XK_LOGS/accel-kvm.log" 2>&1 || rc=$?
	rm -rf "$XK_GUEST_OUT/accel-kvm"
	cp -r "$o" "$XK_GUEST_OUT/accel-kvm" 2>/dev/null
	o=$XK_GUEST_OUT/accel-kvm
	res=$(cat "$o/result" 2>/dev/null || echo none)
	if [ "$rc" = 0 ] && [ -s "$o/tap" ]; then
		tap 0 "run-qemu --accel kvm: the boot ends with its plan's status" "result $res"
	else
		tail -20 "$XK_LOGS/accel-kvm.log" | sed 's/^/xk| /'
		tap 1 "run-qemu --accel kvm: the boot ends with its plan's status" "exit $rc, result $res"
	fi
	if [ -f "$o/tap" ]; then
		sed -n 's/^\(\(not \)\?ok - \)/\1accel kvm: /p' "$o/tap" | tee -a "$XK_TAP"
		xk_failed=$((xk_failed + $(grep -c '^not ok - ' "$o/tap")))
	fi
	[ -f "$o/ksft" ] && while IFS="$(printf '\t')" read -r f n; do
		printf 'accel-kvm/%s\taccel kvm: %s\n' "$f" "$n" >>"$XK_GUEST_OUT/ksft"
	done <"$o/ksft"
	return 0
}

if load_kvm "" ""; then
	tap 0 "kvm loads"
	[ ! -e "$XK_DIRTY_LOG_LOCKLESS" ] || set_dirty_log_lockless 1
	l2_hinting 256
	l2_once_more_on_reset l2_failed_migrations
else
	tap 1 "kvm loads"
fi
XK_MMU_MODES=$L2_MMU_MODES
for_each_mmu_mode for_each_dirty_log_lockless e2e_migration
[ ! -c /dev/kvm ] || accel_kvm
finish
