# Guest plan for the features-on kernel as a KVM host, booted with xpfo=on:
# nested KVM in every MMU mode (tests/guest/check-kvm.sh).
. "$XK_ROOT/tests/guest/lib.sh"
. "$XK_ROOT/tests/guest/check-kvm.sh"
finish
