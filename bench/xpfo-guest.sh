# Guest side of bench/xpfo: run each kind of work five times and print, per run,
# "xk-bench: MODE WORK SECONDS TLB_FLUSHES USER_PAGES L2_SPLITS" (deltas of
# the /proc/vmstat counters over the work), then, once all work is done,
# "xk-pageblocks: MODE BLOCKS FREE USER KERNEL MIXED" summed over the zones
# of /sys/kernel/debug/xpfo/pageblocks.  MODE comes from $XK_BENCH_MODE.
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
# Five rounds of each work, one work after the other: bench/xpfo takes each
# work's median time.  Work by work, not round by round: a page-fault round
# run right after a compile took 4 to 8 times as long as one before it (in
# every mode; measured 2.1-3.6 s before, 12.7 s after).  Likely a TCG
# effect: the compiler's text leaves the page cache as free pages, and the
# first write to a page QEMU has translated code from is slow (QEMU drops
# that code first).
for w in "fault $work fault 64 4" "thp $work thp 64 2" "fork $work fork 16 16" \
	"file $work file 32 4" "compile compile"; do
	for round in 1 2 3 4 5; do
		# shellcheck disable=SC2086
		bench $w || exit 1
	done
done

# How user and kernel pages share the pageblocks after all that work.
pb=$(xpfo_pageblocks) || { echo "xk-bench: no /sys/kernel/debug/xpfo/pageblocks"; exit 1; }
echo "xk-pageblocks: $XK_BENCH_MODE $pb"
