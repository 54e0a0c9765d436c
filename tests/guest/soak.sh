# Guest plan step: a bounded stress-ng soak over the vm, mmap, fork,
# pipe/splice, shm, io, secretmem, memfd and madvise classes
# (${XK_SOAK_SECONDS:-60} s), in whatever mode the kernel was booted with,
# with XPFO's own workloads beside it (tests/guest/xpfo-stress.c): io_uring
# fixed buffers in a THP, O_DIRECT reads into a THP that is split and
# collapsed meanwhile, and perf build-id reads of a large folio (the xpfo
# selftest's case, repeated).  Then memory pressure that takes the free
# pageblocks.  It fails on a stressor failure, on data that does not read
# back, and on an OOM kill; a splat fails the boot.  Sourced by
# tests/guest/check-*.sh.  (stress-ng 0.15's io-uring stressor is left out:
# its IORING_OP_STATX fails with ENOENT on any kernel; xpfo-stress drives
# io_uring instead.)
soak_secs=${XK_SOAK_SECONDS:-60}
soak_mode=$(grep -o 'xpfo=[a-z]*' /proc/cmdline || echo xpfo=off)
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

# Beside stress-ng, under run_limited (the soak's length and two minutes):
# each writes its verdict to $XK_LOGS/soak-<name>.log and its exit status
# to $XK_LOGS/soak-<name>.rc.
soak_bg() { # NAME cmd...
	n=$1
	shift
	( run_limited $(((soak_secs + 120) * ${XK_TIME_SCALE:-1})) "$XK_LOGS/soak-$n.log" "$@"
	  echo $? >"$XK_LOGS/soak-$n.rc" ) &
}
soak_bg_tap() { # NAME DESCRIPTION
	rc=$(cat "$XK_LOGS/soak-$1.rc" 2>/dev/null || echo missing)
	case "$rc" in
	0) tap 0 "$2" "$(tail -1 "$XK_LOGS/soak-$1.log")" ;;
	4) skip "$2" "$(tail -1 "$XK_LOGS/soak-$1.log")" ;;
	*) sed 's/^/xk| /' "$XK_LOGS/soak-$1.log" | tail -20
	   tap 1 "$2" "exit $rc" ;;
	esac
}
soak_buildid() { # SECONDS: the selftest's perf build-id case, repeated
	end=$(($(date +%s) + $1)) runs=0
	while [ "$(date +%s)" -lt "$end" ]; do
		"$(selftest xpfo/xpfo_test)" -t buildid_large_folio >"$XK_LOGS/soak-buildid-last.log" 2>&1 ||
			{ rc=$?; cat "$XK_LOGS/soak-buildid-last.log"; return "$rc"; }
		runs=$((runs + 1))
	done
	echo "$runs runs, each read its build id from a large folio"
}

stress=$(guest_tool xpfo-stress)
truncate -s 8M /tmp/xk-soak-odirect.img
soak_loop=$(losetup -f --show /tmp/xk-soak-odirect.img)
soak_bg uring "$stress" uring-fixed /tmp/xk-soak-uring "$soak_secs"
soak_bg odirect "$stress" odirect-split "$soak_loop" "$soak_secs"
if [ -x "$(selftest xpfo/xpfo_test)" ]; then
	soak_bg buildid soak_buildid "$soak_secs"
else
	echo "xpfo_test not built" >"$XK_LOGS/soak-buildid.log"; echo 4 >"$XK_LOGS/soak-buildid.rc"
fi
t "stress-ng soak ($soak_mode)" \
	stress-ng --vm 2 --vm-bytes 128M --mmap 1 --mmap-bytes 64M --fork 2 \
	--pipe 1 --splice 1 --shm 1 --io 1 --secretmem 1 --memfd 1 --madvise 1 \
	--temp-path /tmp --timeout "${soak_secs}s" --metrics-brief
wait
losetup -d "$soak_loop"
rm -f /tmp/xk-soak-odirect.img /tmp/xk-soak-uring
soak_bg_tap uring "soak: io_uring fixed buffers in a THP read back intact"
soak_bg_tap odirect "soak: O_DIRECT reads into a THP split and collapsed meanwhile read back intact"
soak_bg_tap buildid "soak: perf build-id reads of a large folio, repeated"

# Memory pressure: one worker takes 95% of MemAvailable, faulted in at once
# (--vm-populate), while the pageblocks are counted every second, and is
# stopped (SIGTERM: stress-ng ends its run as at its timeout) 2 s after no
# more than one block in eight is free, or after 120 s: on the debug
# kernel beside another boot, faulting in 1.4 GiB takes longer than the
# 15 s it once had, and 248 of 1024 blocks were still free when it ended.
# If more than one block in eight stayed free, once more with 98% of what
# is available then.  MemAvailable is read only once
# MemFree has stopped growing: a process that has just exited (the soak's,
# or the first worker) frees its memory over seconds on the debug kernel
# (init_on_free, KASAN), and a size read before that leaves blocks free
# that the worker never asked for.  The worker must succeed (no OOM kill
# below either); a pressure that did not take the free blocks is a skip,
# with the numbers, not a pass.
free_settled() { # waits, at most 30 s, until MemFree grows by < 16 MiB a second; sets n
	prev=0 n=0
	while [ "$n" -lt 30 ]; do
		cur=$(awk '/^MemFree:/ { print $2 }' /proc/meminfo)
		[ "$((cur - prev))" -lt 16384 ] && return 0
		prev=$cur n=$((n + 1))
		sleep 1
	done
}
pressure() { # PERCENT: sets prc, low ("free total" at the lowest), avail
	free_settled
	avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	stress-ng --vm 1 --vm-bytes "$((avail * $1 / 100))k" --vm-keep --vm-populate \
		--timeout "$((120 * ${XK_TIME_SCALE:-1}))s" \
		>>"$XK_LOGS/soak-pressure.log" 2>&1 &
	pid=$! low= taken=
	while kill -0 "$pid" 2>/dev/null; do
		fb=$(xpfo_pageblocks | awk '{ print $2, $1 }')
		[ -n "$low" ] && [ "${fb% *}" -ge "${low% *}" ] || low=$fb
		if [ -z "$taken" ] && [ "$((${low% *} * 8))" -lt "${low#* }" ]; then
			taken=1
			sleep 2
			kill -TERM "$pid" 2>/dev/null
		fi
		sleep 1
	done
	prc=0
	wait "$pid" || prc=$?
}
if [ -r /sys/kernel/debug/xpfo/pageblocks ]; then
	pressure 95
	diag="$avail KiB available (MemFree settled in $n s), ${low% *} of ${low#* } blocks free at the lowest"
	if [ "$prc" = 0 ] && [ "$((${low% *} * 8))" -ge "${low#* }" ]; then
		pressure 98
		diag="$diag; then $avail KiB (in $n s), ${low% *} free"
	fi
	if [ "$prc" != 0 ]; then
		tail -5 "$XK_LOGS/soak-pressure.log" | sed 's/^/xk| /'
		tap 1 "soak: memory pressure takes the free pageblocks" "stress-ng exit $prc; $diag"
	elif [ "$((${low% *} * 8))" -lt "${low#* }" ]; then
		tap 0 "soak: memory pressure takes the free pageblocks" "$diag"
	else
		skip "soak: memory pressure takes the free pageblocks" "the pressure did not take them: $diag"
	fi
else
	skip "soak: memory pressure takes the free pageblocks" "no /sys/kernel/debug/xpfo/pageblocks (CONFIG_XPFO_DEBUGFS)"
fi
if dmesg | grep -q -E 'Out of memory|oom-kill'; then
	tap 1 "no OOM kill during the soak" "$(dmesg | grep -m1 -E 'Out of memory|oom-kill')"
else
	tap 0 "no OOM kill during the soak"
fi
