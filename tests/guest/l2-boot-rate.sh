# Guest plan for scripts/l2-boot-rate: boot a nested (L2) guest with free
# page hinting $XK_L2_BOOTS times (default 20), one after the other; each
# boot fills and frees 64 MiB and is stopped.  One line per boot on the
# console: "xk-l2-boot: N ok|reset|splat|fail"; at the end the L1's XPFO
# counters that say how many TLB flushes of every CPU it sent
# ("xk-l2-vmstat: NAME VALUE").
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/nested.sh"
. "$XK_ROOT/tests/guest/e2e.sh"

load_kvm "" "" || exit 1
for i in $(seq "${XK_L2_BOOTS:-20}"); do
	l2_log_tag "boot-$i"
	mkdir -p "$L2_DIR" && : >"$L2_DIR/started"
	if l2_start b 512 "$L2_DEVICES" "$L2_APPEND xk_mib=0" >/dev/null &&
		l2_wait b "^l2: ready" 120 >/dev/null &&
		l2_cmd b 120 fill 64 >/dev/null && l2_cmd b 60 free >/dev/null; then
		res=ok
		l2_stop b running >/dev/null || res=splat
	else
		res=fail
		grep -q '"reason": "guest-reset"' "$L2_DIR/b/qmp.log" && res=reset
		l2_stop b >/dev/null || res="$res+splat"
	fi
	echo "xk-l2-boot: $i $res"
done
grep -E '^(xpfo_tlb_flushes|xpfo_debug_flushes|xpfo_unmapped|xpfo_kmaps_global) ' /proc/vmstat |
	sed 's/^/xk-l2-vmstat: /'
