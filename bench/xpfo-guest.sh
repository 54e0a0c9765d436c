# Guest side of bench/xpfo: run each kind of work $XK_BENCH_ROUNDS times
# (default 5): page faults, THP faults, THP faults and splits, forks with
# copy-on-write, file write and read, a small C compile, a kernel build.
# Print per run "xk-bench: MODE WORK WALL_MS FLUSHES USER_PAGES L2_SPLITS
# USER_US SYS_US KMAPS KMAPS_GLOBAL INVLPGS" (the work's wall and CPU time,
# and deltas of the /proc/vmstat counters over it: XPFO's kernel TLB
# flushes, user pages allocated, direct-map 2 MiB splits, kmap_local
# mappings of XPFO pages (one local TLB flush each), kmap() aliases, and the
# local flushes xpfo.invlpg_per_1000 added), then, once all work is done,
# "xk-pageblocks: MODE BLOCKS FREE USER KERNEL MIXED" summed over the zones
# of /sys/kernel/debug/xpfo/pageblocks.  MODE comes from $XK_BENCH_MODE.
# $XK_BENCH_KBUILD names a folder of preprocessed kernel sources (.i) and
# their Makefile: the kernel build work, run $XK_BENCH_KBUILD_ROUNDS times
# (default: as the others).  $XK_BENCH_WORKS, when set, names the works to run,
# in that order.
. "$XK_ROOT/tests/guest/lib.sh"

work=${XK_BENCH_WORK:?}
rounds=${XK_BENCH_ROUNDS:-5}
export XK_WORK_DIR=/tmp

bench() { # NAME SHELL-COMMAND
	name=$1
	sync
	echo 3 >/proc/sys/vm/drop_caches
	vmstat_mark
	t0=$(date +%s%N)
	"$work" cputime sh -c "$2" >/tmp/xk-bench.out ||
		{ echo "xk-bench: $name failed"; return 1; }
	t1=$(date +%s%N)
	cpu=$(sed -n 's/^cputime //p' /tmp/xk-bench.out)
	[ -n "$cpu" ] || { echo "xk-bench: $name printed no CPU time"; return 1; }
	echo "xk-bench: $XK_BENCH_MODE $name $(((t1 - t0) / 1000000))" \
		"$(vmstat_since xpfo_tlb_flushes) $(vmstat_since xpfo_user_pages)" \
		"$(vmstat_since direct_map_level2_splits) $cpu" \
		"$(vmstat_since xpfo_kmaps) $(vmstat_since xpfo_kmaps_global)" \
		"$(vmstat_since xpfo_debug_invlpgs)"
}

# xpfo.invlpg_per_1000 (CONFIG_XPFO_DEBUG) set per work: the mode that adds
# the local flushes XPFO's kmap_local slots cost, with XPFO off.
invlpg() { # WORK
	[ -n "${XK_BENCH_INVLPG:-}" ] || return 0
	rate=$(printf '%s\n' $XK_BENCH_INVLPG | sed -n "s/^$1=//p")
	echo "${rate:-0}" >/sys/module/xpfo/parameters/invlpg_per_1000 ||
		{ echo "xk-bench: cannot set xpfo.invlpg_per_1000"; return 1; }
}

echo "xk: xpfo.batch=$(cat /sys/module/xpfo/parameters/batch 2>/dev/null || echo -)"
if [ -n "${XK_BENCH_KBUILD:-}" ]; then
	rm -rf /tmp/kbuild
	cp -r "$XK_BENCH_KBUILD" /tmp/kbuild || exit 1
fi
# The rounds of each work run one work after the other: bench/xpfo takes
# each work's median.  Work by work, not round by round: a page-fault round
# run right after a compile took 4 to 8 times as long as one before it (in
# every mode; measured 2.1-3.6 s before, 12.7 s after).  Likely a TCG
# effect: the compiler's text leaves the page cache as free pages, and the
# first write to a page QEMU has translated code from is slow (QEMU drops
# that code first).
# compile: a small C compile, three times; kbuild: the preprocessed kernel
# sources, make -j2.
for w in ${XK_BENCH_WORKS:-fault thp thpsplit fork file compile ${XK_BENCH_KBUILD:+kbuild}}; do
	case $w in
	fault) cmd="$work fault 64 4" ;;
	thp) cmd="$work thp 64 2" ;;
	thpsplit) cmd="$work thpsplit 32 2" ;;
	fork) cmd="$work fork 16 16" ;;
	file) cmd="$work file 32 4" ;;
	compile) cmd="for i in 1 2 3; do gcc -O2 -c $XK_ROOT/bench/memwork.c -o /tmp/memwork.o || exit 1; done" ;;
	kbuild) cmd="rm -f /tmp/kbuild/*.o && make -s -j2 -C /tmp/kbuild" ;;
	*) echo "xk-bench: unknown work '$w'"; exit 1 ;;
	esac
	invlpg "$w" || exit 1
	n=$rounds
	[ "$w" = kbuild ] && n=${XK_BENCH_KBUILD_ROUNDS:-$rounds}
	for round in $(seq "$n"); do
		bench "$w" "$cmd" || exit 1
	done
done
invlpg none || exit 1

# How user and kernel pages share the pageblocks after all that work.
pb=$(xpfo_pageblocks) || { echo "xk-bench: no /sys/kernel/debug/xpfo/pageblocks"; exit 1; }
echo "xk-pageblocks: $XK_BENCH_MODE $pb"
# The end of the last work for bench/xpfo-profile, which starts a section
# at each drop of the caches.
sync
echo 3 >/proc/sys/vm/drop_caches
