# Helpers for guest-side test plans (sourced inside the QEMU guest, whose
# root is the host's, read-only).  Results go to $XK_GUEST_OUT/tap as TAP
# lines without numbers ("ok - name", "not ok - name"); the host numbers them.

XK_TAP=$XK_GUEST_OUT/tap
XK_LOGS=$XK_GUEST_OUT/logs
mkdir -p "$XK_LOGS"
: >>"$XK_TAP"
xk_failed=0

# Record one result.  NAME stays the same from run to run (the host checks
# it against the boot's list of expected tests); figures go into DIAG.
tap() { # 0|1 NAME [DIAG]
	if [ "$1" = 0 ]; then
		echo "ok - $2${3:+ # $3}" | tee -a "$XK_TAP"
	else
		echo "not ok - $2${3:+ # $3}" | tee -a "$XK_TAP"
		xk_failed=$((xk_failed + 1))
	fi
}
# Record a test that did not run: a skip, never a pass.
skip() { # NAME WHY
	echo "ok - $1 # SKIP $2" | tee -a "$XK_TAP"
}

# What each thread of process $1 is doing: state, CPU time and kernel stack
# (a hung test's threads, before it is killed).  Goes to stdout.
dump_threads() { # PID
	for task in /proc/"$1"/task/*; do
		[ -e "$task/stat" ] || continue
		# comm may hold spaces: the fields after ") " are state, ...
		st=$(sed 's/.*) //' "$task/stat" | cut -d' ' -f1,12,13)
		echo "thread ${task##*/} ($(cat "$task/comm")): state, utime, stime: $st"
		cat "$task/stack" 2>/dev/null | sed 's/^/    /'
	done
	# A VM of that process: which of its KVM statistics still move.
	for vm in /sys/kernel/debug/kvm/"$1"-*; do
		[ -d "$vm" ] || continue
		grep -r . "$vm" 2>/dev/null | grep -v ':0$' >/tmp/xk-kvm-stats.1
		sleep 2
		grep -r . "$vm" 2>/dev/null | grep -v ':0$' >/tmp/xk-kvm-stats.2
		echo "KVM statistics of ${vm##*/} that changed in 2 s:"
		diff /tmp/xk-kvm-stats.1 /tmp/xk-kvm-stats.2 | sed -n 's/^> /    /p'
	done
}

# Run "$@" with output to LOG, killed after LIMIT seconds; exit status 124
# on timeout (like timeout(1)), after dumping its threads into LOG.
run_limited() { # LIMIT LOG cmd...
	limit=$1 log=$2
	shift 2
	"$@" >"$log" 2>&1 &
	pid=$!
	waited=0
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$waited" -ge "$limit" ]; then
			{ echo "timeout after $limit s, threads of pid $pid:"; dump_threads "$pid"; } >>"$log"
			kill -TERM "$pid" 2>/dev/null
			sleep 10
			kill -KILL "$pid" 2>/dev/null
			wait "$pid"
			return 124
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait "$pid"
}

# Run a test command with a time limit ($XK_TEST_TIMEOUT s, default 900,
# times $XK_TIME_SCALE);
# its output goes to logs/<slug>.log, and its last lines to the console
# (prefixed "xk| ", which the splat scanner skips) when it fails.
# Run NAME's command into logs/<slug>.log with the time limit; sets $name,
# $slug, $start and $rc for the caller.
t_run() { # NAME NOTE cmd...
	name=$1
	slug=$(echo "$name" | tr -c 'A-Za-z0-9_.=-' '_')
	note=$2
	shift 2
	echo "xk: begin $name$note: $*"
	start=$(date +%s)
	rc=0
	run_limited $((${XK_TEST_TIMEOUT:-900} * ${XK_TIME_SCALE:-1})) "$XK_LOGS/$slug.log" "$@" || rc=$?
}
t() { # NAME cmd...
	name=$1
	shift
	t_run "$name" "" "$@"
	case "$rc" in
	0) tap 0 "$name" "$(($(date +%s) - start)) s" ;;
	4) skip "$name" "exit 4 (KSFT_SKIP): $(tail -1 "$XK_LOGS/$slug.log")" ;;
	*) tail -40 "$XK_LOGS/$slug.log" | sed 's/^/xk| /'
	   tap "$rc" "$name" "exit $rc after $(($(date +%s) - start)) s" ;;
	esac
	return 0
}

# A run that must FAIL with a write lost, because the kernel was told to
# break what it relies on (kvm.dirty_log_inject=2): passes only when the test
# exits non-zero and its log reports a lost write, so that a pass of the same
# test with the protocol intact means something.
t_lost_write() { # NAME cmd...
	name=$1
	shift
	t_run "$name" " (must lose a write)" "$@"
	lost=$(grep -m1 -o 'write lost at gfn 0x[0-9a-f]*' "$XK_LOGS/$slug.log")
	if [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ -n "$lost" ]; then
		tap 0 "$name" "exit $rc, $lost"
	else
		tail -20 "$XK_LOGS/$slug.log" | sed 's/^/xk| /'
		tap 1 "$name" "exit $rc after $(($(date +%s) - start)) s, no lost write reported"
	fi
	return 0
}

# KVM's vendor module for this CPU: kvm_amd (SVM, as "-cpu max" emulates
# it, or an AMD host under --accel kvm) or kvm_intel (VMX, an Intel host).
kvm_vendor() {
	if grep -qw svm /proc/cpuinfo; then echo kvm_amd
	elif grep -qw vmx /proc/cpuinfo; then echo kvm_intel
	else echo none; fi
}

# (Re)load KVM from the kernel's build folder with the given parameters.
#   load_kvm "kvm params" "vendor params"
# The vendor parameters are kvm_amd's; on VMX, npt=0 (no two-dimensional
# paging) is passed to kvm_intel as ept=0.
load_kvm() {
	local v p2 tp m
	v=$(kvm_vendor)
	[ "$v" != none ] || { echo "xk: the CPU has neither SVM nor VMX: no KVM"; return 1; }
	rmmod kvm_amd 2>/dev/null
	rmmod kvm_intel 2>/dev/null
	rmmod kvm 2>/dev/null
	b=$XK_KERNEL_BUILD
	p2=$2 tp=npt
	[ "$v" = kvm_amd ] || { p2=$(echo "$2" | sed 's/\bnpt=/ept=/g'); tp=ept; }
	grep -q '^irqbypass ' /proc/modules || insmod "$b/virt/lib/irqbypass.ko" || return 1
	# shellcheck disable=SC2086
	insmod "$b/arch/x86/kvm/kvm.ko" $1 || return 1
	m=$b/arch/x86/kvm/$(echo "$v" | tr _ -).ko
	[ -f "$m" ] || { echo "xk: no $m: this kernel was built without $v"; return 1; }
	# shellcheck disable=SC2086
	insmod "$m" $p2 || return 1
	[ -c /dev/kvm ] || return 1
	tdp=$(cat /sys/module/kvm/parameters/tdp_mmu)
	npt=$(cat "/sys/module/$v/parameters/$tp")
	echo "xk: kvm loaded: kvm $1, $v $p2; tdp_mmu=$tdp $tp=$npt"
	# The mode asked for must be the mode we got (kvm_amd and kvm_intel
	# fall back to shadow paging silently when the CPU lacks NPT or EPT).
	case " $1 $2 " in *" npt=0 "*) want_npt=N ;; *) want_npt=Y ;; esac
	case " $1 " in *" tdp_mmu=0 "*) want_tdp=N ;; *) want_tdp=Y ;; esac
	[ "$npt" = "$want_npt" ] && [ "$tdp" = "$want_tdp" ] ||
		{ echo "xk: asked $tp=$want_npt tdp_mmu=$want_tdp, got $tp=$npt tdp_mmu=$tdp"; return 1; }
}

# The MMU modes every KVM test runs in: name, kvm params, vendor params
# (kvm_amd's: load_kvm).
XK_MMU_MODES="tdp|| shadow-tdp|tdp_mmu=0| shadow|tdp_mmu=0|npt=0"

# Run "$@" once per MMU mode, KVM reloaded for it; $mode names the mode.
for_each_mmu_mode() {
	for m in $XK_MMU_MODES; do
		mode=${m%%|*}
		rest=${m#*|}
		if load_kvm "${rest%%|*}" "${rest#*|}"; then
			"$@"
		else
			tap 1 "kvm loads ($mode)"
		fi
	done
}

selftest() { echo "$XK_SELFTESTS/$1"; }
# dirty_log_lockless_test -x: under emulation a vCPU may starve for most of a
# round, which then goes on up to this many times its length (patch 0096).
XK_LOCKLESS_STRETCH=4
# A kselftest that prints TAP (kselftest_harness.h): one result for the
# run, and the host parses its log into one result per case (its
# $XK_GUEST_OUT/ksft entry: log file, name).
t_ksft() { # NAME cmd...
	t "$@"
	[ "$rc" != 4 ] || return 0
	printf '%s\t%s\n' "logs/$slug.log" "$1" >>"$XK_GUEST_OUT/ksft"
}

# A TAP line: the kernel log says XPFO is on.
xpfo_on_tap() {
	if dmesg | grep -q 'xpfo: enabled'; then
		tap 0 "XPFO is on" "$(dmesg | grep -m1 -o 'xpfo: enabled.*')"
	else
		tap 1 "XPFO is on" "no 'xpfo: enabled' in the kernel log (command line: $(cat /proc/cmdline))"
	fi
}

# The XPFO selftest as the boots run it, with swap on zram meanwhile: its
# swap case pages out with MADV_PAGEOUT (and would skip without swap).
xpfo_selftest() {
	if ! { echo 64M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null &&
		swapon /dev/zram0; } 2>"$XK_LOGS/zram.log"; then
		tap 1 "swap on zram for the xpfo selftest" "$(tail -1 "$XK_LOGS/zram.log")"
	fi
	xm=off
	grep -qw 'xpfo=on' /proc/cmdline && xm=on
	t_ksft "xpfo selftest (xpfo=$xm)" "$(selftest xpfo/xpfo_test)"
	swapoff /dev/zram0 2>/dev/null
	echo 1 >/sys/block/zram0/reset
}

# kvm.dirty_log_lockless (runtime-writable) exists with
# CONFIG_KVM_X86_LOCKLESS_DIRTY_LOG.  The values to test: "0 1", or "-" when
# the kernel does not have the parameter.
XK_DIRTY_LOG_LOCKLESS=/sys/module/kvm/parameters/dirty_log_lockless
dirty_log_lockless_values() {
	if [ -e "$XK_DIRTY_LOG_LOCKLESS" ]; then echo "0 1"; else echo "-"; fi
}
set_dirty_log_lockless() { # 0|1
	echo "$1" >"$XK_DIRTY_LOG_LOCKLESS" &&
		echo "xk: kvm.dirty_log_lockless=$(cat "$XK_DIRTY_LOG_LOCKLESS")"
}
# Run "$@" once per value of kvm.dirty_log_lockless ($ll, "-" for a kernel
# without the parameter), set for it; $label names $mode and the value.
for_each_dirty_log_lockless() {
	for ll in $(dirty_log_lockless_values); do
		label=$mode
		if [ "$ll" != - ]; then
			label="$mode, lockless=$ll"
			set_dirty_log_lockless "$ll" || { tap 1 "set kvm.dirty_log_lockless ($label)"; continue; }
		fi
		"$@"
	done
}

# How much /proc/vmstat counters grew over a stretch of work (0 for a
# counter the kernel does not have):
#   vmstat_mark; work...; flushes=$(vmstat_since xpfo_tlb_flushes)
# (several counters at one instant: copy /proc/vmstat after the work and
# pass the copy).
# Sums over the zones of /sys/kernel/debug/xpfo/pageblocks (or FILE):
# "BLOCKS FREE USER KERNEL MIXED".
xpfo_pageblocks() { # [FILE]
	awk '{ for (i = 3; i <= NF; i++) { split($i, kv, "="); n[kv[1]] += kv[2] } }
	END { print n["blocks"] + 0, n["free"] + 0, n["user"] + 0, n["kernel"] + 0, n["mixed"] + 0 }' \
		"${1:-/sys/kernel/debug/xpfo/pageblocks}"
}

# A statistic of free page hinting (its debugfs file), 0 when there is none.
hstats=/sys/kernel/debug/page_hinting/stats
hstat() { # KEY
	if [ -r "$hstats" ]; then awk -v k="$1" '$1 == k { print $2 }' "$hstats"; else echo 0; fi
}

vmstat_mark() { cp /proc/vmstat /tmp/xk-vmstat.mark; }
vmstat_since() { # COUNTER [COPY]: up to now, or up to a copy of /proc/vmstat
	awk -v k="$1" 'FNR == NR { if ($1 == k) v0 = $2; next }
		$1 == k { v1 = $2 } END { print v1 - v0 }' /tmp/xk-vmstat.mark "${2:-/proc/vmstat}"
}

# Whether writing VALUE to a parameter file is refused with EINVAL and a new
# kernel log line matching PATTERN; says what went wrong when not.
refuses() { # FILE VALUE PATTERN
	n0=$(dmesg | grep -c -e "$3")
	# coreutils' echo names the error (dash's says "I/O error" for all)
	if err=$( (/bin/echo "$2" >"$1") 2>&1); then
		echo "'$2' was accepted by $1"
		return 1
	fi
	case "$err" in
	*"Invalid argument"*) ;;
	*) echo "'$2' was refused with '$err', not EINVAL"; return 1 ;;
	esac
	[ "$(dmesg | grep -c -e "$3")" -gt "$n0" ] || { echo "no log line '$3' for '$2'"; return 1; }
}

# Build a C program of tests/guest/ for the guest into /tmp; prints its path.
guest_tool() { # NAME
	[ -x "/tmp/$1" ] || gcc -O2 -Wall -o "/tmp/$1" "$XK_ROOT/tests/guest/$1.c" >&2 || return 1
	echo "/tmp/$1"
}

# Bracket a splat a test provokes on purpose; KIND names the one warning
# scripts/find-splats lets the section hold (its table), and the taint
# printed with "begin" tells it no warning came before.
expect_splat_begin() { # KIND
	echo "xk: expect-splat begin $1 taint=$(cat /proc/sys/kernel/tainted)" >/dev/kmsg
}
expect_splat_end() { echo "xk: expect-splat end" >/dev/kmsg; }

finish() {
	echo "xk: plan done, $xk_failed failed"
	[ "$xk_failed" = 0 ]
}

# Nested SVM: the test VM's own VMRUN, its #VMEXIT and VMLOAD/VMSAVE make
# KVM map the test VM's VMCB (a user page) through kvm_vcpu_map_local():
# with xpfo=on a kmap_local slot, not a kmap() alias whose teardown flushes
# every CPU's TLB (xpfo_kmaps_global).
nested_svm_vmcb_maps() {
	vmstat_mark
	t "svm_vmcall_test" "$(selftest kvm/x86_64/svm_vmcall_test)"
	[ "$rc" = 0 ] || return 0
	g=$(vmstat_since xpfo_kmaps_global) l=$(vmstat_since xpfo_kmaps)
	if grep -qw 'xpfo=on' /proc/cmdline; then
		[ "$g" = 0 ] && [ "$l" -gt 0 ] &&
			tap 0 "nested SVM maps the VMCB without a kmap() alias" "$l kmap_local, $g kmap() aliases" ||
			tap 1 "nested SVM maps the VMCB without a kmap() alias" "$l kmap_local, $g kmap() aliases (expected some and 0)"
	fi
}
