# Guest plan step: a bounded stress-ng soak over the vm, mmap, fork,
# pipe/splice, shm and io classes (${XK_SOAK_SECONDS:-60} s), in whatever
# mode the kernel was booted with.  It fails on a stressor failure and on
# an OOM kill; a splat fails the boot.  Sourced by tests/guest/check-*.sh.
t "stress-ng soak ($(grep -o 'xpfo=[a-z]*' /proc/cmdline || echo xpfo=off))" \
	stress-ng --vm 2 --vm-bytes 128M --mmap 1 --mmap-bytes 64M --fork 2 \
	--pipe 1 --splice 1 --shm 1 --io 1 --temp-path /tmp \
	--timeout "${XK_SOAK_SECONDS:-60}s" --metrics-brief
if dmesg | grep -q -E 'Out of memory|oom-kill'; then
	tap 1 "no OOM kill during the soak" "$(dmesg | grep -m1 -E 'Out of memory|oom-kill')"
else
	tap 0 "no OOM kill during the soak"
fi
