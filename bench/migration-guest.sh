# Guest side of bench/migration: this guest (booted with xpfo=on) is the KVM
# host of two QEMUs of the host's Debian QEMU, source and destination of a
# live migration on loopback (tests/guest/e2e.sh).  Prints per run
#   "xk-bench: dirty MMU LOCKLESS TOTAL_MS DOWNTIME_MS KIB" for a guest
#	dirtying 64 MiB at 16 MiB/s (tests/guest/e2e.sh: L2_WRITER), in the
#	TDP MMU and the shadow MMU over NPT (kvm.tdp_mmu=0; e2e.sh says why
#	not kvm_amd.npt=0), kvm.dirty_log_lockless=0 and =1, ROUNDS times each;
#   "xk-bench: freed HINTING TOTAL_MS DOWNTIME_MS KIB" for a 1 GiB guest
#	that filled and freed 768 MiB before the migration, with free page
#	hinting off (no free page reporting) and on.
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/nested.sh"
. "$XK_ROOT/tests/guest/e2e.sh"
ROUNDS=${XK_BENCH_ROUNDS:-3}

for m in $L2_MMU_MODES; do
	mode=${m%%|*} rest=${m#*|}
	load_kvm "${rest%%|*}" "${rest#*|}" || exit 1
	[ -e "$XK_DIRTY_LOG_LOCKLESS" ] || { echo "xk-bench: no kvm.dirty_log_lockless in this kernel"; exit 1; }
	for r in $(seq "$ROUNDS"); do
		# Alternate the order so neither setting always runs first.
		for ll in $([ $((r % 2)) = 1 ] && echo "0 1" || echo "1 0"); do
			set_dirty_log_lockless "$ll" >/dev/null || exit 1
			l2_once_more_on_reset l2_migration "$mode, lockless=$ll" "$ll"
			echo "xk-bench: dirty $mode $ll ${mig_total:-null} ${mig_downtime:-null} ${mig_kib:-null}"
		done
	done
done
load_kvm "" "" || exit 1
set_dirty_log_lockless 1 >/dev/null || exit 1
l2_once_more_on_reset l2_freed_migration "freed, hinting off" "-device virtio-balloon,free-page-reporting=off" ""
echo "xk-bench: freed off ${mig_total:-null} ${mig_downtime:-null} ${mig_kib:-null}"
l2_once_more_on_reset l2_freed_migration "freed, hinting on" "$L2_DEVICES" "$L2_APPEND"
echo "xk-bench: freed on ${mig_total:-null} ${mig_downtime:-null} ${mig_kib:-null}"
finish
