# shellcheck shell=bash
# Shared helpers for ptwalk's scripts: the download cache, host packages,
# kernel resolution and the sid build chroot.  Sourced, never executed.

PTWALK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PTWALK_CACHE=${PTWALK_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/ptwalk}
KERNELS_CONF=$PTWALK_TOP/scripts/kernels.conf
SID_ROOT=$PTWALK_CACHE/sid-root

msg() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { msg "error: $*"; exit 1; }

# Serialise cache updates between concurrent runs (make -j, two terminals).
cache_lock() {
	mkdir -p "$PTWALK_CACHE"
	exec 9>"$PTWALK_CACHE/.lock"
	flock 9
}

cache_unlock() { exec 9>&-; }

apt_updated=
apt_update_once() {
	[ -n "$apt_updated" ] && return 0
	msg "apt-get update"
	apt-get update -qq -o DPkg::Lock::Timeout=600 >&2 || die "apt-get update failed"
	apt_updated=1
}

# need_pkgs PKG...: install the Debian packages that are missing.
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] ||
		die "missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
	apt_update_once
	msg "installing ${missing[*]}"
	# Wait for another apt/dpkg (a second make run) rather than fail.
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		-o DPkg::Lock::Timeout=600 \
		--no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install ${missing[*]} failed"
}

# The packages every host-side step needs.
need_host_tools() {
	need_pkgs make gcc libc6-dev qemu-system-x86 busybox-static cpio \
		xz-utils zstd kmod debootstrap sparse util-linux python3 bpftrace \
		shellcheck
}

# kconf ALIAS: print "suite image-meta headers-meta arch" for a kernel
# alias (arch: the fifth column, amd64 when absent).
kconf() {
	awk -v a="$1" '!/^#/ && NF >= 4 && $1 == a {
		print $2, $3, $4, (NF >= 5 ? $5 : "amd64"); f = 1 }
		END { exit !f }' "$KERNELS_CONF"
}

kaliases() { awk '!/^#/ && NF >= 4 { print $1 }' "$KERNELS_CONF"; }

debian_mirror() {
	local uri
	uri=$(grep -hs '^URIs:.*/debian$' /etc/apt/sources.list.d/*.sources | head -n1 | awk '{print $2}')
	[ -n "$uri" ] || uri=$(grep -hs '^deb .*/debian ' /etc/apt/sources.list | head -n1 | awk '{print $2}')
	echo "${uri:-http://deb.debian.org/debian}"
}

# The sid chroot holds sid's gcc and the newest kernel's headers.  Made once;
# concurrent first callers (two make runs, a suite and a guest) wait for the
# one that builds it instead of racing in the same temporary directory.
sid_root() {
	[ -x "$SID_ROOT/usr/bin/apt-get" ] && return 0
	[ "$(id -u)" -eq 0 ] || die "creating the sid build chroot needs root"
	need_pkgs debootstrap
	mkdir -p "$PTWALK_CACHE"
	(
		flock 8
		[ -x "$SID_ROOT/usr/bin/apt-get" ] && exit 0
		tmp=$SID_ROOT.tmp
		rm -rf "$tmp"
		msg "debootstrap sid into $SID_ROOT (once, about a minute)"
		debootstrap --variant=minbase sid "$tmp" "$(debian_mirror)" >"$PTWALK_CACHE/debootstrap.log" 2>&1 ||
			die "debootstrap failed, see $PTWALK_CACHE/debootstrap.log"
		# The registry's sid Release file can be past its Valid-Until date.
		echo 'Acquire::Check-Valid-Until "false";' >"$tmp/etc/apt/apt.conf.d/99ptwalk"
		chroot "$tmp" apt-get update -qq >&2 || die "apt-get update in sid chroot failed"
		mv "$tmp" "$SID_ROOT"
	) 8>"$PTWALK_CACHE/.sid-root.lock" || exit 1
}

# Foreign-architecture packages (arm64 kernels and headers) come from apt
# lists of their own under the cache: the host's dpkg never learns the
# architecture (installing an arm64 headers package would pull arm64 gcc
# and binutils, which apt cannot resolve); the packages are only
# downloaded and unpacked with dpkg-deb -x.
#
# xapt SUITE ARCH APT-GET-OR-APT-CACHE ARGS...
xapt() {
	local suite=$1 arch=$2 tool=$3 dir keyring mirror
	shift 3
	dir=$PTWALK_CACHE/apt-$arch-$suite
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	if [ "$suite" = sid ]; then
		sid_root
		keyring=$SID_ROOT/usr/share/keyrings/debian-archive-keyring.gpg
	fi
	local opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$dir/lists" -o "Dir::State::status=$dir/status"
		-o "Dir::Cache=$dir/cache" -o "APT::Architecture=$arch"
		-o "APT::Architectures::=$arch" -o Acquire::Check-Valid-Until=false
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root)
	if [ ! -s "$dir/updated" ] || [ -n "$(find "$dir/updated" -mmin +1440)" ]; then
		mirror=$(debian_mirror)
		mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
		: >"$dir/status"
		if [ "$suite" = sid ]; then
			echo "deb [arch=$arch signed-by=$keyring] $mirror sid main" >"$dir/sources.list"
		else
			{
				echo "deb [arch=$arch signed-by=$keyring] $mirror $suite main"
				echo "deb [arch=$arch signed-by=$keyring] $mirror $suite-updates main"
				echo "deb [arch=$arch signed-by=$keyring] ${mirror%/debian}/debian-security $suite-security main"
			} >"$dir/sources.list"
		fi
		msg "apt-get update ($suite, $arch lists under $dir)"
		apt-get "${opts[@]}" update -qq >&2 || die "apt-get update for $suite $arch failed"
		date >"$dir/updated"
	fi
	"$tool" "${opts[@]}" "$@"
}

# arch_root ARCH: a bookworm user space of ARCH (arm64) for its guests,
# served over 9p as x86 guests get the host's root.  Made once with
# debootstrap --foreign (download and unpack, nothing of ARCH runs): the
# packages the second stage would configure are unpacked too, and the few
# files their scripts would write (passwd, group, ld.so.cache, the
# alternatives' links such as /usr/bin/awk) are written here; qemu-user-static
# then checks that python3 and bpftrace run.  Prints its path.
#
# The root's directory is named by a checksum of ARCH_ROOT_PKGS and
# ARCH_ROOT_RECIPE (bump it when the steps below change), so a changed list
# builds a new root on the next run, while guests of a tree with the old
# list (another branch, a run in progress) keep theirs; old roots are left
# in the cache (rm -rf "$PTWALK_CACHE"/root-ARCH-* frees them).
ARCH_ROOT_PKGS=kmod,python3,procps,util-linux,psmisc,mawk,bpftrace
ARCH_ROOT_RECIPE=3
arch_root() {
	local arch=$1 root stamp
	stamp="$ARCH_ROOT_PKGS recipe=$ARCH_ROOT_RECIPE"
	root=$PTWALK_CACHE/root-$arch-$(printf '%s' "$stamp" | cksum | cut -d' ' -f1)
	if [ -x "$root/usr/bin/python3" ] && [ "$(cat "$root/.ptwalk-pkgs" 2>/dev/null)" = "$stamp" ]; then
		echo "$root"
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || die "creating the $arch root needs root"
	need_pkgs debootstrap qemu-user-static
	mkdir -p "$PTWALK_CACHE"
	(
		flock 8
		[ -x "$root/usr/bin/python3" ] && [ "$(cat "$root/.ptwalk-pkgs" 2>/dev/null)" = "$stamp" ] && exit 0
		tmp=$root.tmp
		rm -rf "$tmp"
		msg "debootstrap --foreign $arch bookworm into $root (once, a few minutes)"
		debootstrap --foreign --arch="$arch" --variant=minbase \
			--include="$ARCH_ROOT_PKGS" bookworm "$tmp" "$(debian_mirror)" \
			>"$PTWALK_CACHE/debootstrap-$arch.log" 2>&1 ||
			die "debootstrap failed, see $PTWALK_CACHE/debootstrap-$arch.log"
		for deb in "$tmp"/var/cache/apt/archives/*.deb; do
			dpkg-deb -x "$deb" "$tmp"
			arch_root_alternatives "$tmp" "$deb"
		done
		rm -f "$tmp"/var/cache/apt/archives/*.deb
		cp "$tmp/usr/share/base-passwd/passwd.master" "$tmp/etc/passwd"
		cp "$tmp/usr/share/base-passwd/group.master" "$tmp/etc/group"
		# Mount points the guest's init binds over (the root is read-only;
		# dpkg-deb -x makes /lib a directory of its own, not merged /usr).
		mkdir -p "$tmp/usr/lib/modules" "$tmp/lib/modules" "$tmp/run/vm"
		qemu-"$(uname_m "$arch")"-static "$tmp/sbin/ldconfig" -r "$tmp" ||
			die "ldconfig in the $arch root failed"
		qemu-"$(uname_m "$arch")"-static -L "$tmp" "$tmp/usr/bin/python3" -c 'pass' ||
			die "python3 does not run in the $arch root"
		[ -x "$tmp/usr/bin/awk" ] || die "no awk in the $arch root"
		qemu-"$(uname_m "$arch")"-static -L "$tmp" "$tmp/usr/bin/bpftrace" --version >&2 ||
			die "bpftrace does not run in the $arch root"
		echo "$stamp" >"$tmp/.ptwalk-pkgs"
		rm -rf "$root" && mv "$tmp" "$root"
	) 8>"$PTWALK_CACHE/.root-$arch.lock" || exit 1
	echo "$root"
}

# arch_root_alternatives ROOT DEB: the master links DEB's postinst would
# make with "update-alternatives --install LINK NAME PATH PRIO" (mawk's
# /usr/bin/awk), made in ROOT if no other package made that link first.
arch_root_alternatives() {
	local link path
	dpkg-deb -I "$2" postinst 2>/dev/null | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
		awk '{ for (i = 1; i + 4 <= NF; i++)
			if ($i == "update-alternatives" && $(i + 1) == "--install")
				print $(i + 2), $(i + 4) }' |
		while read -r link path; do
			case $link$path in *'$'* | *'"'*) continue ;; esac
			[ -e "$1$link" ] || [ -L "$1$link" ] || ln -s "$path" "$1$link"
		done
}

# uname_m ARCH: the kernel's machine name of a Debian architecture.
uname_m() {
	case $1 in
	arm64) echo aarch64 ;;
	amd64) echo x86_64 ;;
	*) die "unknown architecture $1" ;;
	esac
}

in_sid() { chroot "$SID_ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C "$@"; }

# canon ALIAS: the kernels.conf alias for ALIAS, which may also be a version
# prefix of a configured kernel (7.2 for sid while sid ships 7.2.x) or its
# exact release (6.12.117+deb12-arm64).
canon() {
	local a kver
	# The debug kernel (scripts/debug-kernel) is no kernels.conf line.
	if [ "$1" = debug ]; then echo debug; return 0; fi
	if kconf "$1" >/dev/null; then echo "$1"; return 0; fi
	for a in $(kaliases); do
		kver=$(resolve "$a") || continue
		case $kver in "$1"|"$1".*|"$1"-*|"$1"+*) echo "$a"; return 0 ;; esac
	done
	die "unknown kernel '$1' (known: $(kaliases | tr '\n' ' ')or a version prefix of one)"
}

# resolve ALIAS: print the kernel release (uname -r) the alias stands for.
# Cached per alias for a day so that offline runs stay fast.
resolve() {
	local alias conf suite meta kver f arch
	alias=$(canon "$1") || return 1
	if [ "$alias" = debug ]; then "$PTWALK_TOP/scripts/debug-kernel" release; return; fi
	conf=$(kconf "$alias")
	read -r suite meta _ <<<"$conf"
	f=$PTWALK_CACHE/kernels/$alias.kver
	if [ -s "$f" ] && [ -z "$(find "$f" -mmin +1440)" ]; then
		cat "$f"
		return 0
	fi
	mkdir -p "$PTWALK_CACHE/kernels"
	read -r _ _ _ arch <<<"$conf"
	if [ "$arch" != amd64 ]; then
		kver=$(xapt "$suite" "$arch" apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: linux-image-\([0-9].*\)$/\1/p' | head -n1)
	elif [ "$suite" = sid ]; then
		sid_root
		kver=$(in_sid apt-cache depends "$meta" | sed -n 's/^ *Depends: linux-image-\([0-9].*\)$/\1/p' | head -n1)
	else
		kver=$(apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: linux-image-\([0-9].*\)$/\1/p' | head -n1)
		if [ -z "$kver" ] && [ "$(id -u)" -eq 0 ]; then
			apt_update_once
			kver=$(apt-cache depends "$meta" | sed -n 's/^ *Depends: linux-image-\([0-9].*\)$/\1/p' | head -n1)
		fi
	fi
	if [ -z "$kver" ]; then
		# Offline or no lists: fall back to what was resolved before.
		[ -s "$f" ] && { cat "$f"; return 0; }
		die "cannot resolve $meta in $suite"
	fi
	echo "$kver" >"$f"
	echo "$kver"
}

ksuite() { kconf "$(canon "$1")" | awk '{print $1}'; }

# karch ALIAS: the kernel's Debian architecture (amd64, arm64).
karch() {
	if [ "$(canon "$1")" = debug ]; then echo amd64; return 0; fi
	kconf "$(canon "$1")" | awk '{print $4}'
}
