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
# XK_BENCH_PART: "perf" (the runs above), "lock" (the mmu_lock waits
# below), or both (default).
part=${XK_BENCH_PART:-perf lock}
case " $part " in *" perf "*) ;; *) m=skip ;; esac
[ "${m:-}" = skip ] || for m in "tdp||" "shadow|tdp_mmu=0|" "npt0|tdp_mmu=0|npt=0"; do
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
			# "round R: vCPU I completed N generations (M in all)"
			gens=$(awk '/ completed [0-9]+ generations/ { s += $6 } END { print s + 0 }' /tmp/stress.log)
			locks=$(sed -n 's/^Dirty-log harvests by mmu_lock mode: \([0-9]*\) write, \([0-9]*\) read, \([0-9]*\) none.*/\1 \2 \3/p' /tmp/stress.log |
				awk '{ w += $1; r += $2; n += $3 } END { print w + 0, r + 0, n + 0 }')
			echo "xk-bench: $mmu $v $ll $dirty ${get:-0} $gens $locks"
		done
	done
done

# The mmu_lock waits of vCPU faults that overlap harvests: one vCPU rewriting
# its memory while the log is harvested every millisecond, in workloads whose
# faults take mmu_lock: shadow paging ("npt0", where no write fault is fixed
# without mmu_lock: the fast path serves direct MMUs only), and THP-backed
# memory under the clear log mode with eager page splitting ("eager_split")
# and without ("thp_initially_set": the harvest makes huge SPTEs read-only,
# writes to them fault and map 4 KiB pages).  The THP ones make KVM zap the
# test memory's SPTEs every 10 ms (-Z 10000: a protection flip of the host
# mapping, as reclaim or migration would now and then): without zaps every
# huge page is split or mapped 4 KiB by the first harvests and later write
# faults are fixed without mmu_lock, so nothing overlaps.  The zaps take
# mmu_lock for write whatever the harvest does; "_zap_1ms" runs the same
# with a zap every millisecond (-z), where the zaps' share of the waits
# dominates.  Each
# runs XK_LOCK_RUNS times (default 10) with kvm.dirty_log_lockless=0 and =1
# alternating (which goes first alternates too; a failed run is run once
# more, "xk: failed, once more" on the console).  Prints per run
# "xk-bench-lock: WORKLOAD LOCKLESS RUN HARVESTS SLOW_FAULTS WAITS WAIT_NS RMAP_WAITS"
# (SLOW_FAULTS: faults taken minus those fixed without mmu_lock; RMAP_WAITS:
# the times a fault or zap, under mmu_lock, found an rmap locked by a
# lockless harvest, the lockless harvest's cost to them).
lock_run() { # WORKLOAD RUN args...
	w=$1 run=$2
	shift 2
	# Odd runs locked first, even runs lockless first.
	order="0 1"
	[ $((run % 2)) = 1 ] || order="1 0"
	for ll in $order; do
		set_dirty_log_lockless "$ll" >/dev/null || exit 1
		run_once_more /tmp/lock.log "$stress" -v 1 -r 1 -p 1000 "$@"
		rw=$(sed -n 's/^Rmap locks: .*, writers one locked by a lockless walk \([0-9]*\) times$/\1/p' /tmp/lock.log)
		sed -n 's/^vCPU faults: \([0-9]*\) taken, \([0-9]*\) fixed without mmu_lock, \([0-9]*\) waited for mmu_lock, \([0-9]*\) ns in all over \([0-9]*\) harvests$/\5 \1 \2 \3 \4/p' /tmp/lock.log |
			awk -v w="$w" -v ll="$ll" -v run="$run" -v rw="${rw:-null}" '{ print "xk-bench-lock:", w, ll, run, $1, $2 - $3, $4, $5, rw }'
	done
}
case " $part " in *" lock "*) ;; *) exit 0 ;; esac
runs=${XK_LOCK_RUNS:-10}
load_kvm "tdp_mmu=0" "npt=0" || exit 1
for i in $(seq "$runs"); do lock_run npt0 "$i" -b 1M -d 3 -M get; done
load_kvm "" "" || exit 1
echo 1 >/sys/module/kvm/parameters/eager_page_split || exit 1
for i in $(seq "$runs"); do lock_run eager_split "$i" -s anonymous_thp -b 4M -Z 10000 -d 3 -M clear; done
for i in $(seq "$runs"); do lock_run eager_split_zap_1ms "$i" -s anonymous_thp -b 4M -z -d 3 -M clear; done
echo 0 >/sys/module/kvm/parameters/eager_page_split || exit 1
for i in $(seq "$runs"); do lock_run thp_initially_set "$i" -s anonymous_thp -b 4M -Z 10000 -d 3 -M clear; done
for i in $(seq "$runs"); do lock_run thp_initially_set_zap_1ms "$i" -s anonymous_thp -b 4M -z -d 3 -M clear; done
echo 1 >/sys/module/kvm/parameters/eager_page_split
