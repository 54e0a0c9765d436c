# Guest plan for "make run", first boot: what this kernel is and what each
# feature of the series is doing, in a short report (in $XK_GUEST_OUT/report
# too).  The nested guests run in the second boot (show-nested.sh).
. "$XK_ROOT/tests/guest/lib.sh"

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
	if [ -r "$hstats" ]; then
		echo "free page hinting: virtio_balloon.hinting=$(cat /sys/module/virtio_balloon/parameters/hinting);" \
			"the guest fills, frees and refills 512 MiB (QEMU's RSS read on the host):"
		memtest=$(guest_tool hinting-memtest) &&
			"$memtest" check 512 "$XK_GUEST_OUT/host-rss" 30 >/tmp/memtest.log 2>&1 ||
			{ sed 's/^/    /' /tmp/memtest.log; return 1; }
		sed 's/^/    /' /tmp/memtest.log
		echo "    $(grep -E '^(captured|reported_pages|refaults|sweeps) ' "$hstats" | tr '\n' ' ')"
	fi
	echo "===="
}
rc=0
report >"$XK_GUEST_OUT/report" 2>&1 || rc=$?
cat "$XK_GUEST_OUT/report"
exit $rc
