# The users' scenarios, end to end: this guest (L1, booted with xpfo=on) is a
# KVM host running this same kernel as its guest (L2) with the host's Debian
# QEMU (tests/guest/nested.sh).  Sourced after lib.sh and nested.sh by
# tests/guest/check-*.sh plans and by "make run"; each function records its
# results with tap and prints the figures it measured.

# L2's devices, the same on both ends of a migration: the balloon with free
# page reporting, driven by this series' hinting.
L2_DEVICES="-device virtio-balloon,free-page-reporting=on"
L2_APPEND="virtio_balloon.hinting=kvm"
# The migrating guest: 384 MiB, its writer dirtying 64 MiB at 4000 pages
# (16 MiB) a second.
L2_MIG_MIB=384
L2_WRITER="xk_mib=64 xk_rate=4000"
L2_PORT=4444
# L1's MMU modes for the migrations (lib.sh's XK_MMU_MODES less shadow
# paging): with kvm_amd.npt=0 a nested Linux guest printed nothing in 120 s
# under TCG, where with NPT it boots in about 15 s.
L2_MMU_MODES="tdp|| shadow-tdp|tdp_mmu=0|"
# What the last l2_migration measured (total_ms downtime_ms transferred_kib).
mig_total= mig_downtime= mig_kib=

# Run a scenario ("$@", a function that starts and stops L2 guests and
# records its results with tap) a second time when its first run failed
# only the way the emulator fails: an L2 guest reset itself (its QEMU
# reported SHUTDOWN "guest-reset", a triple fault) while no L2 console
# shows a lost write (MISMATCH, a FAIL answer) or a kernel splat.  Measured
# under QEMU 10.0's emulated SVM: a dirty-logged L2 guest reset itself in
# about 1 migration of 12 with L1 booted xpfo=on and the lockless harvest
# on or off, and with the 'off' kernel as L1 too (docs/emulator.md).  The
# first run's results become TAP comments (its mmu_lock checks, which a
# reset cannot fail, still count), its logs are kept as l2-*-first-*.log,
# and the repeat is said on the console; a second reset fails the scenario.
l2_once_more_on_reset() { # FUNCTION ARGS...
	tap_kept=$XK_TAP failed_kept=$xk_failed
	mkdir -p "$L2_DIR" || return 1
	XK_TAP=$L2_DIR/first.tap
	: >"$XK_TAP"
	: >"$L2_DIR/started"
	"$@"
	XK_TAP=$tap_kept
	if grep -q '^not ok' "$L2_DIR/first.tap" && l2_reset_only; then
		echo "xk: $1 $2: an L2 guest reset itself (SHUTDOWN \"guest-reset\"), no lost write and no splat in any console: run once more"
		for f in "$XK_LOGS"/l2-"$L2_LOG_TAG"-*.log; do
			mv "$f" "$(echo "$f" | sed "s|/l2-$L2_LOG_TAG-|/l2-$L2_LOG_TAG-first-|")"
		done
		# The repeat is said in the TAP; failures a reset cannot cause
		# (how the harvests took mmu_lock) are kept.
		sed 's/^/# first run, before an L2 reset: /' "$L2_DIR/first.tap" >>"$XK_TAP"
		xk_failed=$failed_kept
		# (with counts: a source QEMU that a reset ended has none, "-")
		grep -E '^not ok .*mmu_lock.* # write [0-9]+, read [0-9]+, none [0-9]+' "$L2_DIR/first.tap" |
			sed 's/$/ (first run)/' >"$L2_DIR/kept.tap"
		cat "$L2_DIR/kept.tap" >>"$XK_TAP"
		xk_failed=$((xk_failed + $(wc -l <"$L2_DIR/kept.tap")))
		"$@"
	else
		cat "$L2_DIR/first.tap" >>"$XK_TAP"
	fi
}

# Whether a guest started since $L2_DIR/started was emptied reset itself
# and none shows a lost write or a splat.
l2_reset_only() {
	reset=
	for n in $(sort -u "$L2_DIR/started"); do
		d=$L2_DIR/$n
		grep -q '"reason": "guest-reset"' "$d/qmp.log" && reset=1
		grep -Eq '^l2: (MISMATCH|[0-9]+ FAIL)' "$d/console.log" && return 1
		"$XK_ROOT/scripts/find-splats" "$d/console.log" >/dev/null || return 1
	done
	[ -n "$reset" ]
}

# Scenario 1: a guest with free page hinting fills, verifies and frees MIB;
# at least 80% of it must leave its QEMU's RSS (in this guest) within 60 s;
# memory it allocates again reads as zero and keeps fresh data.
l2_hinting() { # MIB
	mib=$1
	l2_log_tag hinting
	l2_start hint $((mib * 2)) "$L2_DEVICES" "$L2_APPEND xk_mib=0" &&
		l2_wait hint "^l2: ready" 120 >/dev/null || { tap 1 "L2 guest with free page hinting boots"; l2_stop hint; return; }
	rc=0
	l2_cmd hint 300 fill "$mib" || rc=1
	sleep 1
	want=$((mib * 1024 * 8 / 10)) t0=$(date +%s)
	if held=$(l2_rss hint) && l2_cmd hint 120 free && low=$(l2_lowest_rss hint "$held" "$want" 60); then
		secs=$(($(date +%s) - t0))
		echo "xk: L2 QEMU RSS: $((held / 1024)) MiB holding $mib MiB, $((low / 1024)) MiB after the free:" \
			"$(((held - low) / 1024)) MiB returned in ${secs} s"
		[ $((held - low)) -ge "$want" ]
		tap $? "L2 with hinting: >= 80% of $mib MiB freed leaves its QEMU's RSS in L1" \
			"$(((held - low) / 1024)) MiB of $mib returned in $secs s"
	else
		rc=1
		tap 1 "L2 with hinting: >= 80% of $mib MiB freed leaves its QEMU's RSS in L1" \
			"the free or the RSS reading failed (QEMU $(l2_alive hint && echo running || echo gone))"
	fi
	l2_cmd hint 300 refill && sleep 3 && l2_cmd hint 120 check
	tap $? "L2 with hinting: memory allocated again reads as zero and keeps fresh data"
	l2_stop hint running
	tap $? "L2 with hinting: no kernel splat in its console"
	[ "$rc" = 0 ]
	tap $? "L2 with hinting: fill, verify and free $mib MiB"
}

# The KiB of RAM a query-migrate answer says were sent (0 when it says none).
transferred_kib() { n=$(json_num transferred "$1"); echo $((${n:-0} / 1024)); }

# Source guest "src" running, destination "dst" waiting on $L2_PORT, both
# with MIB of memory, QEMU arguments DEVICES and kernel parameters APPEND.
# The source's writer has run 2 s: a status line "t=S" with S >= 2 (l2-init
# prints the rounded time once it is due, so a late line skips "t=2").
# The wait fails early when its QEMU exits and scales with XK_TIME_SCALE.
l2_pair() { # MIB DEVICES APPEND
	l2_start dst "$1" "$2 -incoming tcp:127.0.0.1:$L2_PORT" "$3" &&
		l2_start src "$1" "$2" "$3" &&
		l2_wait src "^l2: t=([2-9]|[1-9][0-9]+) " 300 >/dev/null
}

# After l2_pair failed: report it, show why, stop both.
l2_pair_failed() { # LABEL
	tap 1 "$1: source and destination QEMU start"
	l2_show_qemu dst src
	l2_stop src
	l2_stop dst
}

# Writes of guest NAME so far.
l2_written() { l2_cmd "$1" 30 status | sed -n 's/.* written=\([0-9]*\).*/\1/p'; }
# Whether guest NAME keeps writing: more pages written after 2 s.  Says
# what it saw.
l2_keeps_writing() {
	w0=$(l2_written "$1") && sleep 2 && w1=$(l2_written "$1")
	echo "xk: l2 $1: ${w0:-no answer} pages written, 2 s later ${w1:-no answer}"
	[ -n "$w0" ] && [ -n "$w1" ] && [ "$w1" -gt "$w0" ]
}

# Guest NAME keeps writing, then every page holds its last write; on
# failure l2_why says which did not happen and the guest's last console
# lines are shown (as test output: l2_stop scans the console itself).
l2_keeps_writing_and_verifies() { # NAME
	l2_why=
	if ! l2_keeps_writing "$1"; then
		l2_why="not writing: ${w0:-no answer} pages written, 2 s later ${w1:-no answer}"
	elif ! v=$(l2_cmd "$1" 120 verify); then
		l2_why="verify: $(echo "${v:-no answer in 120 s}" | tr '\n' ' ')"
	else
		return 0
	fi
	tail -n 12 "$L2_DIR/$1/console.log" | sed "s/^/xk| l2 $1: /"
	return 1
}

# Scenario 2: live migration of a dirtying guest to a second QEMU on
# loopback, in the current MMU mode and lockless setting (LABEL names them).
# The destination must keep running and verify every page the writer wrote;
# the source's harvests must take mmu_lock as the lockless setting says.
l2_migration() { # LABEL [LOCKLESS]
	label=$1 ll=${2:--}
	mig_total= mig_downtime= mig_kib=
	l2_log_tag "migration $label"
	if ! l2_pair "$L2_MIG_MIB" "$L2_DEVICES" "$L2_APPEND $L2_WRITER"; then
		l2_pair_failed "migration ($label)"
		return
	fi
	l2_migrate_pair "$label"
	w=$(l2_kvm_stat src dirty_log_mmu_lock_write) r=$(l2_kvm_stat src dirty_log_mmu_lock_read)
	n=$(l2_kvm_stat src dirty_log_mmu_lock_none)
	echo "xk: migration ($label): source harvests took mmu_lock for write $w, for read $r times, none $n times"
	# Lockless: the TDP MMU harvests with mmu_lock for read, the shadow
	# MMU alone (kvm.tdp_mmu=0) without mmu_lock.
	case "$ll,$(cat /sys/module/kvm/parameters/tdp_mmu)" in
	1,Y) [ "$w" = 0 ] && [ "$n" = 0 ] && [ "$r" != - ] && [ "$r" -gt 0 ] ;;
	1,*) [ "$w" = 0 ] && [ "$r" = 0 ] && [ "$n" != - ] && [ "$n" -gt 0 ] ;;
	0,*) [ "$w" != - ] && [ "$w" -gt 0 ] && [ "$r" = 0 ] && [ "$n" = 0 ] ;;
	*) true ;;
	esac
	tap $? "migration ($label): the source's harvests took mmu_lock as kvm.dirty_log_lockless=$ll says" \
		"write $w, read $r, none $n"
	l2_finish_pair "$label"
}

# Migrate src to dst (l2_pair), record the figures in mig_*.
l2_migrate_pair() { # LABEL
	q=$(l2_migrate src "tcp:127.0.0.1:$L2_PORT" 300)
	mrc=$?
	mig_total=$(json_num total-time "$q") mig_downtime=$(json_num downtime "$q")
	mig_kib=$(transferred_kib "$q")
	echo "xk: migration ($1): $(json_str status "$q"), total ${mig_total} ms," \
		"downtime ${mig_downtime} ms, ${mig_kib} KiB transferred"
	tap $mrc "migration ($1): completes" "$(json_str status "$q"), total ${mig_total:-?} ms"
}

# After l2_migrate_pair: the destination keeps running and verifies, no splat.
l2_finish_pair() { # LABEL
	l2_stop src
	if [ "$mrc" = 0 ]; then
		if l2_wait_running dst 60; then
			l2_keeps_writing_and_verifies dst
		else
			l2_why="not running 60 s after the migration"
			false
		fi
		tap $? "migration ($1): the destination keeps running and verifies every page written" "$l2_why"
	fi
	l2_stop dst running
	tap $? "migration ($1): no kernel splat in the guests' consoles"
}

# A guest of 1024 MiB that filled and freed 768 MiB, then migrates: how much
# the migration sends (mig_kib) with DEVICES and APPEND for L2.
l2_freed_migration() { # LABEL DEVICES APPEND
	mig_total= mig_downtime= mig_kib=
	l2_log_tag "migration $1"
	if ! l2_pair 1024 "$2" "$3 xk_mib=16 xk_rate=1000"; then
		l2_pair_failed "migration ($1)"
		return
	fi
	l2_cmd src 300 fill 768 >/dev/null && sleep 1 && held=$(l2_rss src) && l2_cmd src 120 free >/dev/null
	tap $? "migration ($1): the source fills and frees 768 MiB"
	# As long as free page hinting needs to return 80% (10 s at most).
	low=$(l2_lowest_rss src "${held:-0}" $((768 * 1024 * 8 / 10)) 10) &&
		echo "xk: migration ($1): source QEMU RSS $((held / 1024)) MiB holding 768 MiB, $((low / 1024)) MiB after the free"
	l2_migrate_pair "$1"
	l2_finish_pair "$1"
}

# Scenario 3: failed migrations leave the source running, its memory intact:
# one to a port with no listener, one to a destination killed mid-stream.
l2_failed_migrations() {
	l2_log_tag failed-migrations
	if ! l2_pair "$L2_MIG_MIB" "$L2_DEVICES" "$L2_APPEND $L2_WRITER"; then
		l2_pair_failed "failed migrations"
		return
	fi
	q=$(l2_migrate src "tcp:127.0.0.1:$((L2_PORT + 1))" 60)
	[ $? != 0 ] && [ "$(json_str status "$q")" = failed ]
	tap $? "migration to a port with no listener fails" "$(json_str status "$q") $(json_str error-desc "$q")"
	l2_keeps_writing src
	tap $? "after it, the source guest keeps running"
	# Slow the stream down so the destination dies in the middle of it.
	l2_qmp src '"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": 4194304}' >/dev/null
	l2_qmp src "\"execute\": \"migrate\", \"arguments\": {\"uri\": \"tcp:127.0.0.1:$L2_PORT\"}" >/dev/null
	kib=0
	for _ in $(seq 100); do
		q=$(l2_qmp src '"execute": "query-migrate"')
		kib=$(transferred_kib "$q")
		[ "$kib" -ge 8192 ] && break
		sleep 0.3
	done
	kill -KILL "$(cat "$L2_DIR/dst/qemu-pid")"
	echo "xk: destination killed after $kib KiB of the stream"
	q=$(l2_migrate_wait src 60)
	st=$(json_str status "$q")
	[ "$st" = failed ]
	tap $? "migration to a destination killed mid-stream fails" "$st after $kib KiB"
	l2_qmp src '"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": 134217728}' >/dev/null
	l2_keeps_writing_and_verifies src
	tap $? "after it, the source guest keeps running and verifies every page written" "$l2_why"
	l2_stop dst
	l2_stop src running
	tap $? "failed migrations: no kernel splat in the source guest's console"
}
