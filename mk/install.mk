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

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/ptwalk
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := $(DESTDIR)/usr/src/ptwalk-$(VERSION)

.PHONY: install uninstall modules_install dkms-src dkms-install dkms-uninstall deb

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
# writes next to the source tree, so it runs on a copy in DEB_OUT/src (the
# files git knows, or everything but build/ without git) and the work tree
# stays as it was.
DEB_OUT ?= build/deb
DEB_ABS := $(abspath $(DEB_OUT))

deb:
	@command -v dpkg-buildpackage >/dev/null || \
	  { echo "make deb needs: apt-get install dpkg-dev debhelper dh-dkms"; exit 1; }
	rm -rf $(DEB_ABS)/src $(DEB_ABS)/ptwalk*.deb $(DEB_ABS)/ptwalk_*.buildinfo $(DEB_ABS)/ptwalk_*.changes
	mkdir -p $(DEB_ABS)/src/ptwalk-$(VERSION)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git ls-files -z -co --exclude-standard | \
	    tar --null --ignore-failed-read -T - -cf - 2>/dev/null; \
	else \
	  tar --exclude=./build --exclude=./.git -cf - .; \
	fi | tar -xf - -C $(DEB_ABS)/src/ptwalk-$(VERSION)
	cd $(DEB_ABS)/src/ptwalk-$(VERSION) && dpkg-buildpackage -us -uc -b
	mv $(DEB_ABS)/src/*.deb $(DEB_ABS)/src/*.buildinfo $(DEB_ABS)/src/*.changes $(DEB_ABS)/
	rm -rf $(DEB_ABS)/src
	@ls -1 $(DEB_ABS)/*.deb
