# Test: a feature option that Debian's config drops fails make check's deb check, naming the option
. "$(dirname "$0")/lib.sh"

# The fragments as they are, but without the virtio balloon, which
# CONFIG_KVM_FREE_PAGE_HINTING depends on: olddefconfig drops the option.
cp -r "$ROOT/configs" "$SCRATCH/configs"
echo '# CONFIG_VIRTIO_BALLOON is not set' >>"$SCRATCH/configs/deb.config"

XK_CONFIGS=$SCRATCH/configs XK_OUT=$SCRATCH/out expect_check_fails --only build-deb
grep -q "^not ok .*Debian's amd64 config .*keeps every feature option" "$SCRATCH/check.out" ||
	fail "no failed line for the dropped option"
grep -q 'CONFIG_KVM_FREE_PAGE_HINTING: fragment asks y, .config has n' "$SCRATCH/check.out" ||
	fail "the failure does not name CONFIG_KVM_FREE_PAGE_HINTING"
echo "harness $NAME: ok"
