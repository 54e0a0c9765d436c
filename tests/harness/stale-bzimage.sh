# Test: a piggy.o that holds another build's kernel (a stale ccache hit) fails the build's check
. "$(dirname "$0")/lib.sh"

# A build folder with the compressed kernel's piggy.S and piggy.o as
# arch/x86/boot/compressed/Makefile makes them, around a payload of 64 KiB.
o=$SCRATCH/out c=$SCRATCH/out/arch/x86/boot/compressed
mkdir -p "$c"
head -c 65536 /dev/urandom >"$c/vmlinux.bin.gz"
cat >"$c/piggy.S" <<'S'
.section ".rodata..compressed","a",@progbits
.globl input_data, input_data_end
input_data:
.incbin "arch/x86/boot/compressed/vmlinux.bin.gz"
input_data_end:
S
assemble() { (cd "$o" && gcc -c -o arch/x86/boot/compressed/piggy.o arch/x86/boot/compressed/piggy.S); }
assemble || fail "cannot assemble piggy.S"
"$ROOT/scripts/check-bzimage" "$o" || fail "a piggy.o made from its payload was refused"
# the next build's payload, of the same size: piggy.S is the same, and so
# is what ccache's depend mode hashes
head -c 65536 /dev/urandom >"$c/vmlinux.bin.gz"
rc=0
"$ROOT/scripts/check-bzimage" "$o" 2>"$SCRATCH/err" || rc=$?
cat "$SCRATCH/err"
[ "$rc" = 1 ] || fail "a piggy.o holding the earlier payload: exit $rc, not 1"
grep -q "holds another build's kernel" "$SCRATCH/err" || fail "the refusal does not say why"
assemble && "$ROOT/scripts/check-bzimage" "$o" || fail "the rebuilt piggy.o was refused"
# no piggy.o to read: "cannot tell" (2), not "stale" (1)
rm "$c/piggy.o"
rc=0
"$ROOT/scripts/check-bzimage" "$o" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "no piggy.o: exit $rc, not 2"
echo "harness $NAME: ok"
