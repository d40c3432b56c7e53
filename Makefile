# SPDX-License-Identifier: GPL-2.0
# smmu-btm: the front door. `make` builds the module against the running
# kernel or KDIR=; the other targets drive the tests (see doc/testing.md).

KDIR ?= /lib/modules/$(shell uname -r)/build
SCRIPTS := $(CURDIR)/scripts

# An arm64 tree on another host architecture: cross-build by default.
ifeq ($(ARCH),)
ifneq ($(shell uname -m),aarch64)
ifneq ($(shell grep -s '^CONFIG_ARM64=y' $(KDIR)/.config),)
export ARCH := arm64
export CROSS_COMPILE ?= aarch64-linux-gnu-
endif
endif
endif

.PHONY: all modules clean setup unit model bench matrix qemu probe dkms-check lint \
	check check-full demo install uninstall deb rpm packages board \
	board-image board-sb

all: modules

modules:
	@test -f "$(KDIR)/Makefile" || { echo "smmu-btm: error: KDIR=$(KDIR) is not a kernel build tree (no Makefile there); install the headers of the target kernel or pass KDIR=<path>" >&2; exit 1; }
	@! test -f "$(KDIR)/.config" || grep -q '^CONFIG_ARM64=y' "$(KDIR)/.config" || { echo "smmu-btm: error: KDIR=$(KDIR) is not an arm64 kernel tree (CONFIG_ARM64 is not set); smmu-btm supports arm64 kernels only" >&2; exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

clean:
	@if test -f "$(KDIR)/Makefile"; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	for t in unit model bench; do \
		if test -d tests/$$t; then $(MAKE) -C tests/$$t clean; fi; \
	done
	rm -rf build

setup:
	$(SCRIPTS)/setup

unit:
	$(MAKE) -C tests/unit run

model:
	$(MAKE) -C tests/model run-asan run-tsan

bench:
	$(SCRIPTS)/bench

matrix:
	$(SCRIPTS)/matrix

qemu:
	$(SCRIPTS)/qemu-tests

probe:
	$(SCRIPTS)/scope-probe

dkms-check:
	$(SCRIPTS)/dkms-check

lint:
	$(SCRIPTS)/lint

check:
	$(SCRIPTS)/check

check-full:
	SMMU_BTM_FULL=1 $(SCRIPTS)/check

demo:
	$(SCRIPTS)/demo

deb:
	$(CURDIR)/packaging/build-deb

rpm:
	$(CURDIR)/packaging/build-rpm

packages:
	$(SCRIPTS)/packages

board: deb
	$(SCRIPTS)/board

board-image:
	$(SCRIPTS)/board-image

board-sb: deb
	$(SCRIPTS)/board --secure-boot

install:
	$(SCRIPTS)/dkms-install

uninstall:
	$(SCRIPTS)/dkms-install --remove
