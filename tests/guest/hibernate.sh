# Guest plan of scripts/check-hibernate's first boot: swap on the disk
# (/dev/vda), then tests/guest/xpfo-hibernate.c fills memory and hibernates
# (the machine powers off once the image is written).  The second boot
# resumes from that disk and the same program, resumed, checks its memory
# and powers off: nothing after it here runs.  Its output goes straight to
# the console, as the 9p shares do not survive the resume.
. "$XK_ROOT/tests/guest/lib.sh"
tool=$(guest_tool xpfo-hibernate) || { tap 1 "build xpfo-hibernate"; finish; exit; }
mkswap /dev/vda >/dev/null && swapon /dev/vda || { tap 1 "swap on /dev/vda"; finish; exit; }
echo shutdown >/sys/power/disk
"$tool" "${XK_HIBERNATE_MIB:-256}" >/dev/console 2>&1
tap 1 "hibernate" "xpfo-hibernate exit $? (hibernation refused)"
finish
