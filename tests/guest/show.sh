# Guest plan for "make run": what this kernel is and what each feature of
# the series is doing, in a short report (in $XK_GUEST_OUT/report too).
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/nested.sh"
. "$XK_ROOT/tests/guest/e2e.sh"

cfg() { zcat /proc/config.gz | grep -E "^$1=" | cut -d= -f2; }
state() { # NAME CONFIG
	v=$(cfg "$2")
	if [ -n "$v" ]; then
		printf '  %-34s %s\n' "$1" "$2=$v"
	else
		printf '  %-34s %s\n' "$1" "not in this kernel ($2 unset)"
	fi
}

report() {
	echo "==== xpfo-kvm: $(uname -r) ===="
	echo "kernel:   $(cat /proc/version)"
	echo "cmdline:  $(cat /proc/cmdline)"
	tree=$XK_ROOT/build/src
	echo "series:   $(git -C "$tree" rev-list --count base..HEAD) patches on the base (git log base..HEAD in build/src)"
	git -C "$tree" log --reverse --format='            %s' base..HEAD
	echo "features:"
	state "XPFO" CONFIG_XPFO
	state "guest free page hinting" CONFIG_KVM_FREE_PAGE_HINTING
	state "lockless rmap write-protect" CONFIG_KVM_X86_LOCKLESS_DIRTY_LOG
	echo "memory:   $(awk '/MemTotal|MemFree/ { printf "%s %d MiB  ", $1, $2 / 1024 }' /proc/meminfo)"
	echo "direct map: $(grep -E '^DirectMap' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
	echo "xpfo:     $(grep -E '^xpfo_' /proc/vmstat | tr '\n' ' ')"
	hstats=/sys/kernel/debug/page_hinting/stats
	if [ -r "$hstats" ]; then
		echo "free page hinting: virtio_balloon.hinting=$(cat /sys/module/virtio_balloon/parameters/hinting);" \
			"the guest fills, frees and refills 512 MiB (QEMU's RSS read on the host):"
		memtest=$(guest_tool hinting-memtest) &&
			"$memtest" check 512 "$XK_GUEST_OUT/host-rss" 30 >/tmp/memtest.log 2>&1 ||
			{ sed 's/^/    /' /tmp/memtest.log; return 1; }
		sed 's/^/    /' /tmp/memtest.log
		echo "    $(grep -E '^(captured|reported_pages|refaults|sweeps) ' "$hstats" | tr '\n' ' ')"
	fi
	if load_kvm "" "" >/dev/null; then
		echo "nested KVM: /dev/kvm ready (kvm_amd, tdp_mmu=$(cat /sys/module/kvm/parameters/tdp_mmu))"
		echo "dirty-log harvest without mmu_lock for write (for read with the TDP MMU, none without):" \
			"kvm.dirty_log_lockless=$(cat "$XK_DIRTY_LOG_LOCKLESS" 2>/dev/null || echo "(no such parameter)")"
		echo "dirty-log harvest of a nested guest (dirty_log_perf_test, 2 vCPUs, 64 MiB each):"
		"$(selftest kvm/dirty_log_perf_test)" -v 2 -b 64M -i 2 >/tmp/perf.log 2>&1 ||
			{ cat /tmp/perf.log; return 1; }
		grep -E 'Get dirty log over|Clear dirty log over|Dirty memory time|Iteration 2 dirty memory' \
			/tmp/perf.log | sed 's/^/    /'
		nested_report || return 1
	else
		echo "nested KVM: kvm_amd did not load"
		return 1
	fi
	echo "===="
}
# This kernel as the host of itself: a nested guest (Debian's QEMU in this
# guest) with free page hinting, and a live migration of a dirtying one.
nested_report() {
	echo "a nested guest with free page hinting, run by this kernel's KVM (tests/guest/e2e.sh):"
	l2_hinting 256 >/tmp/e2e-hinting.log 2>&1
	grep -E '^(xk: L2 QEMU RSS|not ok)' /tmp/e2e-hinting.log | sed 's/^xk: /    /'
	echo "live migration of a nested guest dirtying 64 MiB at 16 MiB/s, between two QEMUs here:"
	l2_once_more_on_reset l2_migration "tdp, lockless=1" 1 >/tmp/e2e-migration.log 2>&1
	grep -E '^(xk: migration|xk: .*run once more|ok - .*verifies|not ok)' /tmp/e2e-migration.log |
		sed -e 's/^xk: migration ([^)]*): /    /' -e 's/^ok - migration ([^)]*): /    /'
	[ "$xk_failed" = 0 ] || { echo "    FAILED: see the logs in $XK_GUEST_OUT/logs"; return 1; }
}

rc=0
report >"$XK_GUEST_OUT/report" 2>&1 || rc=$?
cat "$XK_GUEST_OUT/report"
exit $rc
