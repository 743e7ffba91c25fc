# ptwalk top-level Makefile.
#
#   make                build ptwalk.ko for the running kernel (or KVER=...)
#                       when its headers are installed, the tools in user/
#                       and the lab programs in labs/; ARCH=arm64 with an
#                       arm64 KVER (or alias, 6.12-arm64) cross-builds it
#   make demo           boot a Debian kernel in QEMU and inspect a process
#   make check          every test: host unit tests, then build and run the
#                       selftests in guests for each kernel in KERNELS
#   make modules-all    build ptwalk.ko for every kernel in KERNELS (arm64
#                       aliases too: KERNELS="6.12-arm64")
#   make modules-arm64  build ptwalk.ko for every kernel in KERNELS_ARM64
#   make check-arm64    make check's arm64 suites in a 6.12 arm64 guest (and
#                       an LPA2 one); check-arm64-full: every suite
#   make lint           checkpatch (from Debian's linux-source) on module/
#                       and include/, shellcheck on every shell script
#   make bench          ptwalk against pagemap, in a guest per kernel
#   make stress         the long robustness run (make check runs a short one)
#   make check-debug    the guest suite and a stress run on a KASAN/lockdep
#                       6.12 kernel built once from Debian's source (not in check)
#   make lab-N          run lab N of labs/ in a guest (make lab-all: all;
#                       PTWALK_ARCH=arm64: in an arm64 guest)
#   make clean
#
# KERNELS are aliases from scripts/kernels.conf (6.1, 6.12, sid; the arm64
# kernels are 6.1-arm64, 6.12-arm64 and sid-arm64, built by modules-arm64).

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
KERNELS ?= 6.1 6.12 sid
# The module is built warning-free with W=1 and checked by sparse (C=1).
KFLAGS ?= W=1

# Cross-building for arm64 (make KVER=6.12.117+deb12-arm64 ARCH=arm64, or
# KVER=6.12-arm64): Debian's arm64 headers unpacked under the cache, the
# kernel's own gcc version as aarch64-linux-gnu-gcc-N (scripts/kernels).
ifeq ($(ARCH),arm64)
ifneq ($(shell uname -m),aarch64)
KALIAS = $(shell scripts/kernels alias $(KVER))
KDIR = $(shell scripts/kernels kbuild-dir $(KALIAS))
KFLAGS += $(shell scripts/kernels kbuild-args $(KALIAS))
endif
endif

.PHONY: all module user labs selftests modules-all check demo lint clean help \
	bench stress check-debug modules-arm64 check-arm64 check-arm64-full

all: user labs
	@if [ -d $(KDIR) ]; then $(MAKE) module; else \
	  echo "note: no headers for $(KVER) in $(KDIR): ptwalk.ko not built."; \
	  echo "      Install linux-headers-$(KVER), pass KVER=..., or run 'make demo'."; fi

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KFLAGS) modules

user:
	$(MAKE) -C user

labs:
	$(MAKE) -C labs

selftests:
	$(MAKE) -C selftests

# One copy of the sources per kernel, switched in atomically.
modules-all:
	scripts/build-modules $(KERNELS) -- $(KFLAGS) C=1

KERNELS_ARM64 ?= 6.1-arm64 6.12-arm64 sid-arm64

modules-arm64:
	scripts/build-modules $(KERNELS_ARM64) -- W=1 C=1

check:
	scripts/check $(KERNELS)

check-arm64:
	scripts/check-arm64

check-arm64-full:
	PTWALK_ARM64_FULL=1 scripts/check-arm64

demo:
	scripts/demo

lint:
	scripts/lint

bench:
	scripts/bench

stress:
	scripts/stress

check-debug:
	scripts/debug-kernel check

lab-%:
	scripts/lab $*

# install, uninstall, modules_install, dkms and Debian packages
-include mk/install.mk

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C user clean
	$(MAKE) -C labs clean
	$(MAKE) -C selftests clean
	rm -rf build

help:
	@sed -n '2,/^$$/p' Makefile | sed 's/^# \{0,1\}//'
