# Nested (L2) guests for the end-to-end tests, run from a test guest (L1)
# with the host's Debian QEMU and this kernel's KVM.  Sourced after lib.sh.
#
# An L2 guest boots this same kernel with an initramfs whose only program is
# tests/guest/l2-init.c (it keeps writing tagged pages and obeys commands
# read from its serial console).  No 9p: QEMU refuses to migrate a guest
# that has a 9p share mounted.  Each guest NAME has a folder $L2_DIR/NAME
# with its console (console.log), QEMU's messages (qemu.log) and its QMP
# conversation (qmp.log); serial port and QMP monitor are FIFO pairs.
L2_DIR=/tmp/l2
# Measured in L1 under QEMU's emulated SVM: with kvmclock, L2's clock ran
# about 6 to 20 times slower than real time (its boot log said 7 s after 40 s;
# a poll(100 ms) took seconds), so L2 keeps to the TSC.  Every character on
# the serial port is a trip through L1's KVM and QEMU: loglevel=5 prints
# warnings and worse (every splat find-splats looks for), not the boot.
L2_BASE_APPEND="console=ttyS0,115200 loglevel=5 panic=-1 oops=panic kunit.enable=0 tsc=reliable no-kvmclock"

# The L2 initramfs: l2-init.c built static as /init, and /dev/console.
l2_initramfs() {
	[ -s "$L2_DIR/initramfs.cpio" ] && return 0
	mkdir -p "$L2_DIR/root/dev" "$L2_DIR/root/proc" &&
		gcc -static -O2 -Wall -o "$L2_DIR/root/init" "$XK_ROOT/tests/guest/l2-init.c" &&
		mknod -m 600 "$L2_DIR/root/dev/console" c 5 1 &&
		(cd "$L2_DIR/root" && find . | cpio -o -H newc --quiet) >"$L2_DIR/initramfs.cpio"
}

# Start guest NAME: l2_start NAME MIB "QEMU ARGS" "KERNEL PARAMETERS".
# Identical QEMU arguments on both ends of a migration, plus -incoming on
# the destination.
l2_start() {
	d=$L2_DIR/$1
	l2_initramfs || return 1
	rm -rf "$d"
	mkdir -p "$d"
	echo "$1" >>"$L2_DIR/started"
	mkfifo "$d/ser.in" "$d/ser.out" "$d/qmp.in" "$d/qmp.out"
	echo 0 >"$d/seq"
	cat "$d/ser.out" >"$d/console.log" &
	cat "$d/qmp.out" >"$d/qmp.log" &
	# shellcheck disable=SC2086
	qemu-system-x86_64 -accel kvm -cpu host,-xsave -smp 1 -m "$2" \
		-kernel "$XK_KERNEL_BUILD/arch/x86/boot/bzImage" \
		-initrd "$L2_DIR/initramfs.cpio" -append "$L2_BASE_APPEND $4" \
		-display none -vga none -nic none -no-reboot -pidfile "$d/pid" \
		-serial "pipe:$d/ser" -chardev "pipe,id=qmp,path=$d/qmp" \
		-mon chardev=qmp,mode=control $3 >"$d/qemu.log" 2>&1 &
	echo $! >"$d/qemu-pid"
	echo "xk: l2 $1: qemu pid $!, ${2} MiB, QEMU args '$3', kernel parameters '$4'"
	l2_qmp "$1" '"execute": "qmp_capabilities"' >/dev/null
}

l2_alive() { kill -0 "$(cat "$L2_DIR/$1/qemu-pid")" 2>/dev/null; }
# Why a QEMU did not come up: whether it runs, the last lines it printed.
l2_show_qemu() { # NAME...
	for n in "$@"; do
		state=exited
		l2_alive "$n" && state=running
		echo "xk| l2 $n: QEMU $state, its last output:"
		tail -n 5 "$L2_DIR/$n/qemu.log" 2>/dev/null | sed "s/^/xk| l2 $n: /"
	done
}
# The KiB QEMU of guest NAME has resident; fails, printing nothing, when
# that QEMU is gone (an exited QEMU is not a QEMU holding 0 KiB).
l2_rss() {
	kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$(cat "$L2_DIR/$1/qemu-pid")/status" 2>/dev/null)
	[ -n "$kb" ] && echo "$kb"
}

# Wait until a new line of FILE, past line SKIP, matches the extended
# regular expression RE; print that line.  Fails after TIMEOUT seconds or
# when guest NAME's QEMU is gone.
l2_wait_line() { # NAME FILE SKIP RE TIMEOUT (times $XK_TIME_SCALE)
	end=$(($(date +%s) + $5 * ${XK_TIME_SCALE:-1}))
	while [ "$(date +%s)" -lt "$end" ]; do
		line=$(tail -n +"$(($3 + 1))" "$2" | grep -E -m1 -e "$4") && { echo "$line"; return 0; }
		l2_alive "$1" || { sleep 0.5; line=$(tail -n +"$(($3 + 1))" "$2" | grep -E -m1 -e "$4") &&
			{ echo "$line"; return 0; }; echo "xk: l2 $1: QEMU is gone: $(tail -3 "$L2_DIR/$1/qemu.log")"; return 1; }
		sleep 0.2
	done
	echo "xk: l2 $1: no line matching '$4' within $5 s"
	return 1
}
# Wait for a console line of guest NAME matching RE.
l2_wait() { l2_wait_line "$1" "$L2_DIR/$1/console.log" 0 "$2" "$3"; }

# Write LINE into FIFO of guest NAME (ser.in or qmp.in); a FIFO whose QEMU
# is gone would block the writer for good.
l2_send() { # NAME FIFO LINE
	l2_alive "$1" && timeout 10 sh -c 'printf "%s\n" "$1" >"$2"' - "$3" "$L2_DIR/$1/$2" ||
		{ echo "xk: l2 $1: cannot write to its $2 (QEMU gone?)"; return 1; }
}

l2_next_seq() { s=$(($(cat "$L2_DIR/$1/seq") + 1)); echo "$s" >"$L2_DIR/$1/seq"; echo "$s"; }

# Send l2-init a command, print its answer; fails unless the answer is ok.
l2_cmd() { # NAME TIMEOUT WORD [ARG]
	l2n=$1 limit=$2
	shift 2
	seq=$(l2_next_seq "$l2n")
	skip=$(wc -l <"$L2_DIR/$l2n/console.log")
	l2_send "$l2n" ser.in "$seq $*" || return 1
	reply=$(l2_wait_line "$l2n" "$L2_DIR/$l2n/console.log" "$skip" "^l2: $seq (ok|FAIL)" "$limit") ||
		{ echo "$reply"; return 1; }
	echo "$reply"
	case "$reply" in "l2: $seq ok"*) return 0 ;; *) return 1 ;; esac
}

# Send a QMP command (the members of its object, without braces) to guest
# NAME's QEMU, print the answer: l2_qmp NAME '"execute": "query-migrate"'.
l2_qmp() {
	seq=$(l2_next_seq "$1")
	skip=$(wc -l <"$L2_DIR/$1/qmp.log")
	l2_send "$1" qmp.in "{$2, \"id\": \"xk$seq\"}" || return 1
	l2_wait_line "$1" "$L2_DIR/$1/qmp.log" "$skip" "\"id\": \"xk$seq\"" 30
}
# The number after "KEY": in a JSON line.
json_num() { # KEY LINE
	printf '%s\n' "$2" | sed -n "s/.*\"$1\": \([0-9][0-9]*\).*/\1/p" | head -1
}
json_str() { # KEY LINE
	printf '%s\n' "$2" | sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" | head -1
}

# Migrate guest NAME to URI and wait until the migration ends (at most
# TIMEOUT s).  Prints the last query-migrate answer; succeeds only when
# the status is "completed".
l2_migrate() { # NAME URI TIMEOUT
	l2_qmp "$1" "\"execute\": \"migrate\", \"arguments\": {\"uri\": \"$2\"}" >/dev/null || return 1
	l2_migrate_wait "$1" "$3"
}
# Wait for guest NAME's running migration to end, as l2_migrate does.
l2_migrate_wait() { # NAME TIMEOUT (times $XK_TIME_SCALE)
	end=$(($(date +%s) + $2 * ${XK_TIME_SCALE:-1}))
	while :; do
		q=$(l2_qmp "$1" '"execute": "query-migrate"') || { echo "$q"; return 1; }
		st=$(json_str status "$q")
		case "$st" in
		completed) echo "$q"; return 0 ;;
		failed|cancelled) echo "$q"; return 1 ;;
		esac
		if [ "$(date +%s)" -ge "$end" ]; then
			l2_qmp "$1" '"execute": "migrate_cancel"' >/dev/null
			echo "xk: l2 $1: migration still '$st' after $2 s, cancelled: $q"
			return 1
		fi
		sleep 0.5
	done
}

# The lowest RSS of guest NAME's QEMU within SECONDS, stopping early once
# it is WANT KiB below HELD.  Fails when that QEMU goes away meanwhile.
l2_lowest_rss() { # NAME HELD WANT SECONDS
	low=$2 t0=$(date +%s)
	while [ $(($2 - low)) -lt "$3" ] && [ $(($(date +%s) - t0)) -lt "$4" ]; do
		kib=$(l2_rss "$1") || { echo "xk: l2 $1: QEMU is gone, its RSS cannot be read" >&2; return 1; }
		[ "$kib" -lt "$low" ] && low=$kib
		sleep 0.2
	done
	echo "$low"
}

# Wait until guest NAME's VM runs (a migration's destination starts once it
# has loaded the last state; a character sent to its serial port before
# that is lost with the device state it arrived in).
l2_wait_running() { # NAME TIMEOUT (times $XK_TIME_SCALE)
	end=$(($(date +%s) + $2 * ${XK_TIME_SCALE:-1}))
	while :; do
		q=$(l2_qmp "$1" '"execute": "query-status"') && [ "$(json_str status "$q")" = running ] && return 0
		[ "$(date +%s)" -lt "$end" ] || { echo "xk: l2 $1: not running after $2 s: $q"; return 1; }
		sleep 0.5
	done
}

# This kernel's KVM statistic STAT of guest NAME's VM (debugfs).
l2_kvm_stat() { # NAME STAT
	for f in /sys/kernel/debug/kvm/"$(cat "$L2_DIR/$1/qemu-pid")"-*/"$2"; do
		[ -r "$f" ] && cat "$f" && return 0
	done
	echo "-"
}

# Logs of the stopped guests go to $XK_LOGS/l2-[$L2_LOG_TAG-]NAME-*.log.
L2_LOG_TAG=
l2_log_tag() { L2_LOG_TAG=$(echo "$1" | tr -c 'A-Za-z0-9_.=-' '_'); }

# Stop guest NAME's QEMU (QMP quit, then SIGKILL after 10 s); fails when
# its console shows a kernel splat.  With "running" (a guest that still
# runs, not the paused source of a migration) it first asks the guest for
# its kernel's taint flags, which find-splats checks too.
l2_stop() { # NAME [running]
	pid=$(cat "$L2_DIR/$1/qemu-pid")
	[ "${2:-}" != running ] || l2_cmd "$1" 20 tainted >/dev/null || true
	if kill -0 "$pid" 2>/dev/null; then
		l2_send "$1" qmp.in '{"execute": "quit"}' >/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	for f in console qemu qmp; do
		cp "$L2_DIR/$1/$f.log" "$XK_LOGS/l2-${L2_LOG_TAG:+$L2_LOG_TAG-}$1-$f.log" 2>/dev/null
	done
	src=0
	splats=$("$XK_ROOT/scripts/find-splats" "$L2_DIR/$1/console.log") || src=$?
	[ "$src" -le 1 ] || splats="find-splats could not scan its console (exit $src)"
	[ -z "$splats" ] || { echo "xk: l2 $1: kernel splat in its console:"; echo "$splats" | head -20; return 1; }
}
