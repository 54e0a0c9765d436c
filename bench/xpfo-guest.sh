# Guest side of bench/xpfo: run each kind of work three times and print, per run,
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
	vmstat_mark
	t0=$(date +%s%N)
	"$@" >/dev/null || { echo "xk-bench: $name failed"; return 1; }
	t1=$(date +%s%N)
	echo "xk-bench: $XK_BENCH_MODE $name $(((t1 - t0) / 1000000))" \
		"$(vmstat_since xpfo_tlb_flushes) $(vmstat_since xpfo_user_pages)" \
		"$(vmstat_since direct_map_level2_splits)"
}

compile() { # a small C compile, three times
	for i in 1 2 3; do
		gcc -O2 -c "$XK_ROOT/bench/memwork.c" -o /tmp/memwork.o || return 1
	done
}

echo "xk: xpfo.batch=$(cat /sys/module/xpfo/parameters/batch 2>/dev/null || echo -)"
# Three rounds: bench/xpfo takes each work's median time.
for round in 1 2 3; do
	bench fault "$work" fault 64 4 &&
		bench thp "$work" thp 64 2 &&
		bench fork "$work" fork 16 16 &&
		bench file "$work" file 32 4 &&
		bench compile compile || exit 1
done
