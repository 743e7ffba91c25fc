# install, uninstall, modules_install and DKMS (included by the Makefile).
#
#   make install [DESTDIR=...] [PREFIX=/usr/local]   the command, its man
#                                     page and the bpftrace tools of tools/
#   make uninstall [DESTDIR=...] [PREFIX=...]
#   make modules_install [KVER=...] [INSTALL_MOD_PATH=...]   then depmod;
#                                     `modprobe ptwalk` works afterwards
#   sudo make dkms-install / dkms-uninstall           DKMS for every kernel
#   make deb [DEB_OUT=build/deb]   the ptwalk-dkms and ptwalk-tools .debs
#                  (needs dpkg-dev, debhelper, dh-dkms)
#   make deb-arm64 (or make deb ARCH=arm64) [DEB_OUT=build/deb]
#                  ptwalk-tools_VERSION_arm64.deb, cross-built (needs
#                  gcc-aarch64-linux-gnu, libc6-dev-arm64-cross)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/ptwalk
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := $(DESTDIR)/usr/src/ptwalk-$(VERSION)

.PHONY: install uninstall modules_install dkms-src dkms-install dkms-uninstall deb deb-arm64

install: user
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 user/ptwalk $(DESTDIR)$(BINDIR)/ptwalk
	install -m 0644 docs/ptwalk.1 $(DESTDIR)$(MANDIR)/man1/ptwalk.1
	install -d $(DESTDIR)$(DATADIR)/bpftrace
	install -m 0755 tools/*.bt $(DESTDIR)$(DATADIR)/bpftrace/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ptwalk $(DESTDIR)$(MANDIR)/man1/ptwalk.1
	rm -rf $(DESTDIR)$(DATADIR)

# Debian's headers ask kbuild to sign with the kernel's own key, which they do
# not ship: install unsigned (sign with a MOK key for Secure Boot, README).
modules_install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_MODULE_SIG_ALL= modules_install
	@if [ -z "$(INSTALL_MOD_PATH)" ]; then depmod -a $(KVER); fi

# The DKMS source tree alone (also what the ptwalk-dkms package ships).
dkms-src:
	install -d $(DKMS_SRC)/module $(DKMS_SRC)/include
	install -m 0644 Kbuild dkms.conf $(DKMS_SRC)/
	install -m 0644 module/*.c module/*.h $(DKMS_SRC)/module/
	install -m 0644 include/*.h $(DKMS_SRC)/include/

dkms-install: dkms-src
	dkms add -m ptwalk -v $(VERSION) || true
	dkms build -m ptwalk -v $(VERSION)
	dkms install -m ptwalk -v $(VERSION)

dkms-uninstall:
	-dkms remove -m ptwalk -v $(VERSION) --all
	rm -rf /usr/src/ptwalk-$(VERSION)

# Debian packages, into DEB_OUT (default build/deb).  dpkg-buildpackage
# writes next to the source tree, so it runs on a copy in DEB_OUT/src-ARCH
# (the files git knows, or everything but build/ without git) and the work
# tree stays as it was.
#
# ARCH=arm64 (make deb-arm64) cross-builds the architecture-dependent
# package alone (ptwalk-dkms is arch all: make deb): dpkg-buildpackage -B
# --host-arch arm64 with the cross profiles, from Debian's cross toolchain
# packages; the host's dpkg never learns the arm64 architecture.  ARCH and
# the make flags stay out of the package build (the kbuild meaning of ARCH
# is not the package's).
DEB_OUT ?= build/deb
DEB_ABS := $(abspath $(DEB_OUT))
DEB_HOST := $(if $(filter arm64,$(ARCH)),arm64,$(shell dpkg --print-architecture 2>/dev/null))
DEB_SRC := $(DEB_ABS)/src-$(DEB_HOST)
ifeq ($(filter arm64,$(ARCH)),)
DEB_BUILD := dpkg-buildpackage -us -uc -b
DEB_FILES := ptwalk-dkms_*.deb ptwalk-tools*_$(DEB_HOST).deb ptwalk_*_$(DEB_HOST).buildinfo \
	ptwalk_*_$(DEB_HOST).changes
else
DEB_BUILD := env -u ARCH -u MAKEFLAGS -u MAKELEVEL -u MFLAGS DEB_BUILD_OPTIONS=nocheck \
	dpkg-buildpackage -us -uc -B --host-arch $(DEB_HOST) -Pcross,nocheck
DEB_FILES := ptwalk-tools*_$(DEB_HOST).deb ptwalk_*_$(DEB_HOST).buildinfo \
	ptwalk_*_$(DEB_HOST).changes
endif

deb:
	@command -v dpkg-buildpackage >/dev/null || \
	  { echo "make deb needs: apt-get install dpkg-dev debhelper dh-dkms"; exit 1; }
	rm -rf $(DEB_SRC) $(addprefix $(DEB_ABS)/,$(DEB_FILES))
	mkdir -p $(DEB_SRC)/ptwalk-$(VERSION)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git ls-files -z -co --exclude-standard | \
	    tar --null --ignore-failed-read -T - -cf - 2>/dev/null; \
	else \
	  tar --exclude=./build --exclude=./.git -cf - .; \
	fi | tar -xf - -C $(DEB_SRC)/ptwalk-$(VERSION)
	cd $(DEB_SRC)/ptwalk-$(VERSION) && $(DEB_BUILD)
	mv $(addprefix $(DEB_SRC)/,$(DEB_FILES)) $(DEB_ABS)/
	rm -rf $(DEB_SRC)
	@ls -1 $(addprefix $(DEB_ABS)/,$(filter %.deb,$(DEB_FILES)))

deb-arm64:
	$(MAKE) deb ARCH=arm64
