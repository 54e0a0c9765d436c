# Guest side of bench/xpfo: run each kind of work once and print, per work,
# "xk-bench: MODE WORK SECONDS TLB_FLUSHES USER_PAGES L2_SPLITS" (deltas of
# the /proc/vmstat counters over the work).  MODE comes from $XK_BENCH_MODE.
. "$XK_ROOT/tests/guest/lib.sh"

work=${XK_BENCH_WORK:?}
export XK_WORK_DIR=/tmp

bench() { # NAME command...
	name=$1
	shift
	sync
	echo 3 >/proc/sys/vm/drop_caches
	f0=$(vmstat_value xpfo_tlb_flushes) u0=$(vmstat_value xpfo_user_pages)
	s0=$(vmstat_value direct_map_level2_splits)
	t0=$(date +%s%N)
	"$@" >/dev/null || { echo "xk-bench: $name failed"; return 1; }
	t1=$(date +%s%N)
	f1=$(vmstat_value xpfo_tlb_flushes) u1=$(vmstat_value xpfo_user_pages)
	s1=$(vmstat_value direct_map_level2_splits)
	echo "xk-bench: $XK_BENCH_MODE $name $(((t1 - t0) / 1000000)) $((f1 - f0)) $((u1 - u0)) $((s1 - s0))"
}

compile() { # a small C compile, three times
	for i in 1 2 3; do
		gcc -O2 -c "$XK_ROOT/bench/xpfo-work.c" -o /tmp/xpfo-work.o || return 1
	done
}

echo "xk: xpfo.batch=$(cat /sys/module/xpfo/parameters/batch 2>/dev/null || echo -)"
bench fault "$work" fault 64 4 &&
	bench thp "$work" thp 64 2 &&
	bench fork "$work" fork 16 16 &&
	bench file "$work" file 32 4 &&
	bench compile compile
