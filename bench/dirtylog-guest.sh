# Guest side of bench/dirtylog: in the TDP MMU, the shadow MMU over NPT
# (kvm.tdp_mmu=0: "shadow", where vCPUs fix write-protected SPTEs without
# mmu_lock but the harvest held it for write) and shadow paging
# (kvm_amd.npt=0: "npt0", where every write fault takes mmu_lock for write),
# with 1, 2 and 4 vCPUs, with kvm.dirty_log_lockless=0 and =1:
# dirty_log_perf_test (vCPUs dirty memory, then the log is harvested) and
# dirty_log_lockless_test (vCPUs keep writing while the log is harvested in a
# loop, a harvest every millisecond as migration paces them, so that both
# modes harvest about as often).  Prints per run
# "xk-bench: MMU VCPUS LOCKLESS DIRTY_S GET_LOG_S GENERATIONS WRITE_LOCKS READ_LOCKS NO_LOCKS"
# (harvests by how they held mmu_lock).
. "$XK_ROOT/tests/guest/lib.sh"

perf=$(selftest kvm/dirty_log_perf_test) stress=$(selftest kvm/dirty_log_lockless_test)
# Run "$@" into LOG; once more if it fails (nested KVM under multi-threaded
# TCG), then give up.
run_once_more() { # LOG command...
	l=$1
	shift
	"$@" >"$l" 2>&1 && return 0
	echo "xk: failed, once more: $* ($(grep -a -m1 -E 'Assert|FAIL|error' "$l"))"
	"$@" >"$l" 2>&1 || { cat "$l"; exit 1; }
}
[ -x "$stress" ] || { echo "xk-bench: no dirty_log_lockless_test in this tree"; exit 1; }
for m in "tdp||" "shadow|tdp_mmu=0|" "npt0|tdp_mmu=0|npt=0"; do
	mmu=${m%%|*} rest=${m#*|}
	load_kvm "${rest%%|*}" "${rest#*|}" || exit 1
	[ -e "$XK_DIRTY_LOG_LOCKLESS" ] || { echo "xk-bench: no kvm.dirty_log_lockless in this kernel"; exit 1; }
	for v in 1 2 4; do
		for ll in 0 1; do
			set_dirty_log_lockless "$ll" >/dev/null || exit 1
			run_once_more /tmp/perf.log "$perf" -v "$v" -b 32M -i 4
			run_once_more /tmp/stress.log "$stress" -v "$v" -b 2M -d 12 -r 2 -p 1000
			# dirty time of iterations 2.. (1 faults the memory in)
			dirty=$(awk '/^Iteration [0-9]+ dirty memory time:/ && $2 > 1 { s += $6 } END { printf "%.3f", s }' /tmp/perf.log)
			get=$(sed -n 's/^Get dirty log over .* took \([0-9.]*\)s.*/\1/p' /tmp/perf.log)
			# "round R: vCPU I wrote N generations (M in all)"
			gens=$(awk '/ wrote [0-9]+ generations/ { s += $6 } END { print s + 0 }' /tmp/stress.log)
			locks=$(sed -n 's/^Dirty-log harvests by mmu_lock mode: \([0-9]*\) write, \([0-9]*\) read, \([0-9]*\) none.*/\1 \2 \3/p' /tmp/stress.log |
				awk '{ w += $1; r += $2; n += $3 } END { print w + 0, r + 0, n + 0 }')
			echo "xk-bench: $mmu $v $ll $dirty ${get:-0} $gens $locks"
		done
	done
done
