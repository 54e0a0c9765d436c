# xpfo-kvm: XPFO, guest free page hinting and lockless rmap write-protect for
# Linux 6.12.  "make help" lists the targets.
S := scripts
KERNEL ?= on
# Kernel parameters and devices for "make run" and "make shell": the
# features on, and QEMU's virtio-balloon with free page reporting.
RUN_ARGS ?= -a "xpfo=on virtio_balloon.hinting=kvm" -q "-device virtio-balloon,free-page-reporting=on"
# ACCEL=kvm: "make run", "make soak-run" and "make shell" on the host's KVM
# (/dev/kvm) instead of QEMU's emulator (TCG).
ACCEL ?= tcg

.PHONY: help deps tree export check-series check-docs prepare-send deb deb-boot build build-each-patch build-all run soak-run shell check kunit bench-xpfo bench-xpfo-profile bench-hinting bench-dirtylog bench-migration clean

help: ## list the targets
	@awk -F':.*## ' '/^[a-z-]+:.*## / { printf "  make %-19s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

deps: ## install the Debian packages needed (as root; no-op when present)
	@$(S)/install-deps

tree: deps ## fetch the pinned base into build/src and git am the series
	@$(S)/fetch-base
	@if [ -e build/apply-series.incomplete ]; then $(S)/apply-series --force; else $(S)/apply-series; fi

export: ## export the tree's commits back into patches/ (and the cover letter)
	@$(S)/export-series

check-series: ## check that patches/ and the tree agree, and that the series applies
	@$(S)/check-apply && $(S)/check-series

check-docs: ## render the series' documentation (htmldocs), fail on a warning at its lines
	@$(S)/check-docs

prepare-send: ## the series as it would be posted, with To/Cc, into results/outgoing/ (VERSION=n)
	@$(S)/prepare-send $(VERSION)

build: deps ## build kernel KERNEL (default on; off, debug) and its selftests
	@[ -e build/src/.git ] || $(MAKE) --no-print-directory tree
	@[ ! -e build/apply-series.incomplete ] || $(S)/apply-series --force
	@$(S)/check-series --quiet || echo "warning: building a tree that differs from patches/ (see above)"
	@$(S)/build-kernel $(KERNEL) && $(S)/build-selftests $(KERNEL)

build-each-patch: ## build kernel KERNEL at every patch of the series in turn
	@$(S)/build-each-patch $(KERNEL)

build-all: ## build the off, on and debug kernels
	@for k in off on debug; do $(MAKE) --no-print-directory build KERNEL=$$k || exit 1; done

run: build ## boot the patched kernel with the features on and show what they do
	@$(S)/run-show -k $(KERNEL) --accel $(ACCEL) $(RUN_ARGS)

soak-run: build ## "make run" N times in a row (default 10), its tally in results/soak-run/
	@$(S)/soak-run $(or $(N),10) -k $(KERNEL) --accel $(ACCEL) $(RUN_ARGS)

shell: build ## an interactive shell in the patched kernel (leave with "exit")
	@$(S)/run-qemu -k $(KERNEL) --accel $(ACCEL) -i $(RUN_ARGS)

check: deps ## the tests: checkpatch, series, builds, boots, KUnit, KVM selftests (TAP)
	@$(S)/check $(CHECK_ARGS)

deb: deps ## an installable kernel: Debian's config + the features, bindeb-pkg into build/out/ (hours)
	@[ -e build/src/.git ] || $(MAKE) --no-print-directory tree
	@$(S)/build-deb

deb-boot: build ## boot the make deb kernel under QEMU (xpfo=on) and run the XPFO selftest on it
	@$(S)/boot-deb

kunit: deps ## the series' KUnit suites with the tree's kunit.py, x86_64 under QEMU (not in make check)
	@[ -e build/src/.git ] || $(MAKE) --no-print-directory tree
	@$(S)/run-kunit

bench-xpfo: ## XPFO cost: xpfo=off vs on, instructions (-icount) and TCG wall clock (not in make check)
	@$(MAKE) --no-print-directory build KERNEL=on
	@bench/xpfo

bench-xpfo-profile: ## where XPFO's extra instructions go: per kernel function, xpfo=off vs on (-icount plugin; WORKS="fork file fault")
	@$(MAKE) --no-print-directory build KERNEL=on
	@bench/xpfo-profile $(WORKS)

bench-hinting: ## free page hinting vs page_reporting vs off: RSS returned, fault cost (not in make check)
	@$(MAKE) --no-print-directory build KERNEL=on
	@bench/hinting

bench-dirtylog: ## dirty-log harvest with mmu_lock for write vs lockless, nested KVM (not in make check)
	@$(MAKE) --no-print-directory build KERNEL=on
	@bench/dirtylog

bench-migration: ## live migration of a nested guest: lockless off vs on, hinting off vs on (not in make check)
	@$(MAKE) --no-print-directory build KERNEL=on
	@bench/migration

clean: ## remove build outputs and results (keeps build/src and ccache)
	rm -rf build/out results
