# Guest plan step: the superpage state of a THP refuses a second mark and a
# second release, and a user allocation refuses a page flagged unmapped
# whose PTE is present, each with a warning: load the KUnit module
# xpfo_refusal_test between expected-splat markers (its KTAP goes to the
# console, where make check counts its cases too).  Every case must pass,
# not skip; the section must hold the three warnings and no other splat.  It
# needs a THP that leaves the direct map as one 2 MiB entry, so it runs
# before the selftest and the soak fragment the direct map (then the
# refusals, WARN_ON_ONCE, do not warn again in that boot).  Sourced by
# tests/guest/xpfo.sh.
refusal_test() {
	name="xpfo refuses a second mark and a second release of a THP, and a flagged page still mapped"
	ko=$XK_KERNEL_BUILD/mm/xpfo_refusal_test.ko
	[ -f "$ko" ] || { tap 1 "$name" "no $ko"; return; }
	expect_splat_begin xpfo-refusal
	insmod "$ko"
	rc=$?
	expect_splat_end
	results=$(cat /sys/kernel/debug/kunit/xpfo_refusal/results 2>&1)
	rmmod xpfo_refusal_test
	echo "$results" | sed 's/^/xk| /'
	# The kernel log of the last expected-splat section
	dmesg | awk '/xk: expect-splat begin/ { w = ""; on = 1; next }
		/xk: expect-splat end/ { on = 0 } on { w = w $0 "\n" } END { printf "%s", w }' >/tmp/xk-refusal.log
	# The warnings the section may hold (find-splats' table);
	# xpfo_still_unmapped() is inlined into __xpfo_alloc_pages()
	expected=$("$XK_ROOT/scripts/find-splats" --kind xpfo-refusal) ||
		{ tap 1 "$name" "find-splats names no xpfo-refusal warning"; return; }
	warned=$(grep -oE "$expected" /tmp/xk-refusal.log | sed 's/.* //; s/^xpfo_still_unmapped$/__xpfo_alloc_pages/' |
		sort -u | tr '\n' ' ')
	warned=${warned% }
	want=$(printf '%s\n' xpfo_remap_huge xpfo_unmap_huge __xpfo_alloc_pages | sort -u | tr '\n' ' ')
	want=${want% }
	other=$("$XK_ROOT/scripts/find-splats" /tmp/xk-refusal.log | grep -vE "^[0-9]+: .*($expected|Call Trace:)" | head -3)
	[ "$rc" = 0 ] || { tap 1 "$name" "insmod exited $rc"; return; }
	for c in xpfo_refusal_mark_twice xpfo_refusal_release_twice xpfo_refusal_present_flagged; do
		echo "$results" | grep -Eq "^ *ok [0-9]+ $c\$" ||
			{ tap 1 "$name" "$c: $(echo "$results" | grep -E " $c( |\$)" | tr '\n' ' ')"; return; }
	done
	if [ -n "$other" ]; then
		tap 1 "$name" "another splat in the section: $(echo "$other" | head -1)"
	elif [ "$warned" != "$want" ]; then
		tap 1 "$name" "warnings: ${warned:-none}, expected $want"
	else
		tap 0 "$name" "all three refused, warned in $warned"
	fi
}
refusal_test
