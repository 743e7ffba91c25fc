#!/bin/bash
# guest-mm.sh: run kernel mm selftests twice in a guest, alone and while
# every process is walked, and compare (run by scripts/mm-selftests through
# scripts/vm-run).  TAP on stdout, then the table between "# table" and
# "# end table".
#
# Usage: selftests/guest-mm.sh PTWALK.KO BINDIR TEST[:needs-VERSION]...
#
# While walked: a background loop walks every user process of the guest
# through debugfs in every format (text, merged, binary) with both walkers,
# and a second loop runs `ptwalk verify` on each process of the test's
# session until the test ends.  Per test, checks: the same exit status and
# the same TAP results (each "ok"/"not ok"/"# SKIP" line, numbers aside) both
# times, and no verify disagreement.
#
# `ptwalk verify` exit statuses (ptwalk(1)): 0 agree, 1 disagreement (the
# only failing one), 2 misuse, 3 the target went during the check (exited,
# exec'd, unmapped), 4 pages changed while checked, 5 could not check.  A
# process that is gone before its verify starts exits 5 with "no such
# process" (nothing was checked): such a 5 is counted as exited, as is a
# 1 from a verify from before statuses 3 and 4 saying "exited during the
# check".
# Any other status (2, a crash) fails the check too: the suite is broken.
#
# Given what run_vmtests.sh gives the tests: 128 2 MiB hugetlb pages (plus
# the command line's 1 GiB one), caches dropped and memory compacted before
# the hugetlb and THP tests, and zram swap (1 GiB) for the MADV_PAGEOUT
# cases (the binaries run from the guest's tmpfs, without address
# randomisation: setarch -R).  cow runs its
# first PTWALK_MM_COW_TESTS (60) tests unless PTWALK_MM_FULL=1 or
# PTWALK_STRESS_SECS is set; then it runs all of them.  PTWALK_MM_TEST_SECS
# (600) bounds each run.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
ko=$(readlink -f "$1")
bin=$2
shift 2
# PTWALK_MM_PTWALK: another ptwalk for verify (the negative control
# selftests/mm-control/ptwalk-disagree).
P=${PTWALK_MM_PTWALK:-$top/user/ptwalk}
W=/sys/kernel/debug/ptwalk/walk
cow_n=${PTWALK_MM_COW_TESTS:-60}
[ "${PTWALK_MM_FULL:-0}" = 1 ] || [ -n "${PTWALK_STRESS_SECS:-}" ] && cow_n=0
secs=${PTWALK_MM_TEST_SECS:-600}
T=$(mktemp -d)
# The tests run from the guest's tmpfs: pagemap_ioctl maps and reads its own
# binary, which over 9p in TCG took long enough for a soft lockup report.
mkdir "$T/bin" && cp -a "$bin/." "$T/bin/" || exit 1
bin=$T/bin
n=0
rc=0
kver=$(uname -r)
ok() { n=$((n + 1)); echo "ok $n mm.$1${2:+ # $2}"; }
no() { n=$((n + 1)); echo "not ok $n mm.$1${2:+ # $2}"; rc=1; }

echo "TAP version 13"
if ! insmod "$ko"; then no insmod "$ko"; echo "1..$n"; exit 1; fi

# Swap on zram, as the ptwalk selftests set it up.
if [ -e /sys/block/zram0/disksize ] || modprobe zram num_devices=1 2>/dev/null; then
	grep -q '^/dev/zram0 ' /proc/swaps ||
		{ echo 1G >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0; } ||
		echo "# no zram swap: MADV_PAGEOUT cases skip"
fi
hp=$(cat /proc/sys/vm/nr_hugepages)
[ "$hp" -ge 128 ] || echo 128 >/proc/sys/vm/nr_hugepages
echo "# $kver: $(grep -c . /proc/swaps) swap line(s), $(cat /proc/sys/vm/nr_hugepages) hugepages, $(find /sys/devices/system/node -maxdepth 1 -name "node[0-9]*" | wc -l) nodes"

ksm_scan=$(cat /sys/kernel/mm/ksm/pages_to_scan 2>/dev/null)
# Each run's output, kept in vm-run's --out directory.
keep=
if [ -n "${PTWALK_VM_OUT:-}" ] && mkdir -p "$PTWALK_VM_OUT/mm" 2>/dev/null; then keep=$PTWALK_VM_OUT/mm; fi

# The THP settings a killed cow leaves behind are put back.
thp_save() {
	find /sys/kernel/mm/transparent_hugepage -type f -perm -u+w 2>/dev/null |
		while read -r f; do printf '%s %s\n' "$f" "$(sed -n 's/.*\[\(.*\)\].*/\1/p; t; p' "$f")"; done
}
thp_restore() {
	local f v
	while read -r f v; do echo "$v" >"$f" 2>/dev/null; done <"$1"
}

# sid_procs SID: the pids of the test's processes in session SID.
sid_procs() {
	local d s sess
	for d in /proc/[0-9]*; do
		read -r s 2>/dev/null <"$d/stat" || continue
		read -r _ _ _ sess _ <<<"${s##*) }"
		# Not the session leader: that is timeout(1), the test's parent.
		[ "$sess" = "$1" ] && [ "${d#/proc/}" != "$1" ] && echo "${d#/proc/}"
	done
}

# walker_loop: every user process, every format, both walkers, until
# $T/stop appears.  Writes "walks failed" to $T/walks, and each walk that
# took over 10 s to $T/slow.
walker_loop() {
	local walks=0 failed=0 d p s f w ppid t0 dt
	: >"$T/slow"
	while [ ! -e "$T/stop" ]; do
		for d in /proc/[0-9]*; do
			p=${d#/proc/}
			read -r s 2>/dev/null <"$d/stat" || continue
			read -r _ ppid _ <<<"${s##*) }"
			# Kernel threads (kthreadd and its children) have no mm.
			[ "$p" = 2 ] || [ "$ppid" = 2 ] && continue
			for f in text merged binary; do
				for w in kernel builtin; do
					[ -e "$T/stop" ] && break 3
					t0=${EPOCHREALTIME/./}
					if { printf 'pid=%s format=%s walker=%s\n' "$p" "$f" "$w" >&3 &&
						cat <&3 >/dev/null; } 3<>"$W" 2>/dev/null; then
						walks=$((walks + 1))
					else
						failed=$((failed + 1))
					fi
					dt=$(((${EPOCHREALTIME/./} - t0) / 1000000))
					[ "$dt" -lt 10 ] ||
						echo "walk of pid $p ($(cat "$d/comm" 2>/dev/null)) format=$f walker=$w: ${dt}s" >>"$T/slow"
				done
			done
		done
	done
	echo "$walks $failed" >"$T/walks"
}

# verify_loop SID: ptwalk verify on each process of session SID until
# $T/stop appears.  Writes "runs agree disagree changed exited other" to
# $T/verify and the output of each failing run to $T/verify.bad.
verify_loop() {
	local SID=$1 runs=0 agree=0 dis=0 chg=0 gone=0 other=0 p out r
	: >"$T/verify.bad"
	while [ ! -e "$T/stop" ]; do
		for p in $(sid_procs "$SID"); do
			[ -e "$T/stop" ] && break
			out=$("$P" verify "$p" 2>&1)
			r=$?
			runs=$((runs + 1))
			case $r in
			0) agree=$((agree + 1)) ;;
			1)
				if printf '%s\n' "$out" | grep -qE 'exited during the check|no such process'; then
					gone=$((gone + 1))
				else
					dis=$((dis + 1))
					printf 'verify %s (%s) exit 1:\n%s\n' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)" "$out" >>"$T/verify.bad"
				fi
				;;
			3) gone=$((gone + 1)) ;;
			5)
				if printf '%s\n' "$out" | grep -q 'no such process'; then
					gone=$((gone + 1))
				else
					other=$((other + 1))
					printf 'verify %s exit 5:\n%s\n' "$p" "$out" >>"$T/verify.bad"
				fi
				;;
			4) chg=$((chg + 1)) ;;
			*)
				other=$((other + 1))
				printf 'verify %s exit %s:\n%s\n' "$p" "$r" "$out" >>"$T/verify.bad"
				;;
			esac
		done
		sleep 0.2
	done
	echo "$runs $agree $dis $chg $gone $other" >"$T/verify"
}

# run_one NAME OUT WALKED SECS: the test in its own session, walked when
# WALKED is set, killed after SECS; exit status to OUT.rc, output to OUT.
# cow stops after $cow_n results (0: all).
run_one() {
	local name=$1 out=$2 walked=$3 tmo=$4 pid r
	thp_save >"$T/thp"
	# As run_vmtests.sh: caches dropped and memory compacted before the
	# hugetlb and THP tests (dropping them before each test made the first
	# walks and verifies wait for their binaries over 9p).
	case $name in
	hugepage-mremap | khugepaged | split_huge_page_test)
		echo 3 >/proc/sys/vm/drop_caches
		echo 1 >/proc/sys/vm/compact_memory 2>/dev/null ;;
	esac
	rm -f "$T/stop"
	# ksmd at 1000 pages a wake-up instead of 100: each of the tests waits
	# for two full scans, which take minutes in TCG otherwise.
	[ "$name" = ksm_functional_tests ] && echo 1000 >/sys/kernel/mm/ksm/pages_to_scan
	# In a writable directory: soft-dirty and pagemap_ioctl make files there.
	rm -rf "$T/cwd" && mkdir "$T/cwd"
	# Without address randomisation, so that both runs get the same layout:
	# mremap_test's 40MB-preamble case maps below its chosen destination
	# without checking, and failed once with EEXIST (the heap was there).
	(cd "$T/cwd" && exec setsid setarch -R stdbuf -oL timeout "$tmo" "$bin/$name") >"$out" 2>&1 &
	pid=$!
	if [ -n "$walked" ]; then
		walker_loop &
		local wl=$!
		verify_loop "$pid" &
		local vl=$!
	fi
	if [ "$name" = cow ] && [ "$cow_n" -gt 0 ]; then
		while kill -0 "$pid" 2>/dev/null; do
			if [ "$(grep -cE '^(not )?ok ' "$out")" -ge "$cow_n" ]; then
				kill -TERM -- "-$pid" 2>/dev/null
				break
			fi
			sleep 0.2
		done
	fi
	wait "$pid"
	r=$?
	# Children left behind by a stopped cow.
	kill -KILL -- "-$pid" 2>/dev/null
	[ "$name" = cow ] && [ "$cow_n" -gt 0 ] && r=subset
	echo "$r" >"$out.rc"
	if [ -n "$walked" ]; then
		touch "$T/stop"
		wait "$wl" "$vl"
	fi
	thp_restore "$T/thp"
	echo "$ksm_scan" >/sys/kernel/mm/ksm/pages_to_scan 2>/dev/null
	[ -z "$keep" ] || cp "$out" "$out.rc" "$keep/" 2>/dev/null
}

# results OUT: the TAP result lines, test numbers left out and other numbers
# masked (pagemap_ioctl's transact_test names the extra faults it counted);
# cow's subset: the first $cow_n.
results() {
	local lim=1000000
	[ "$2" = cow ] && [ "$cow_n" -gt 0 ] && lim=$cow_n
	grep -aE '^(not )?ok [0-9]+ ' "$1" | head -n "$lim" | sed -E 's/^((not )?ok) [0-9]+ /\1 /; s/[0-9]+/N/g'
}
summary() { # OUT NAME: "rc=R Np/Nf/Ns"
	local p f s
	p=$(results "$1" "$2" | grep -c '^ok ' )
	s=$(results "$1" "$2" | grep -c '^ok .*# SKIP')
	f=$(results "$1" "$2" | grep -c '^not ok ')
	echo "rc=$(cat "$1.rc") $((p - s))p/${f}f/${s}s"
}

table=()
for spec in "$@"; do
	t=${spec%%:*}
	if [ "$t" != "$spec" ]; then
		ok "$t" "SKIP ${spec#*:} (kernel $kver)"
		table+=("$t|skip: ${spec#*:}|-|-|-|-|-|-")
		continue
	fi
	if [ ! -x "$bin/$t" ]; then no "$t.built" "no $bin/$t"; continue; fi
	retried=
	for try in 1 2; do
		t0=$SECONDS
		run_one "$t" "$T/$t.alone" "" "$secs"
		t1=$SECONDS
		# Walked, the test shares the guest's CPUs with the loops: it gets
		# three times as long as it took alone, at least $secs (7.2's
		# split_huge_page_test: 307 s alone, and cut at 600 s walked).
		run_one "$t" "$T/$t.walked" walked $((3 * (t1 - t0) > secs ? 3 * (t1 - t0) : secs))
		t2=$SECONDS
		a=$(summary "$T/$t.alone" "$t")
		b=$(summary "$T/$t.walked" "$t")
		results "$T/$t.alone" "$t" >"$T/res.alone"
		results "$T/$t.walked" "$t" >"$T/res.walked"
		[ "$a" = "$b" ] && cmp -s "$T/res.alone" "$T/res.walked" && break
		# Run the pair once more when walking cannot be what differs: the
		# alone run failed more than the walked one (6.12's migration:
		# move_pages gave up alone, -2, twice), or the test's own
		# timeout ran out (khugepaged waits a fixed time for khugepaged:
		# seen on 7.2 alone).  A walked run that did worse is never run
		# again, so a walk that breaks something (mm-control/flip) fails.
		fa=$(grep -c '^not ok' "$T/res.alone")
		fb=$(grep -c '^not ok' "$T/res.walked")
		[ "$(cat "$T/$t.alone.rc")" = 0 ] || fa=$((fa + 1))
		[ "$(cat "$T/$t.walked.rc")" = 0 ] || fb=$((fb + 1))
		if [ "$try" = 2 ] || { [ "$fa" -le "$fb" ] &&
			! grep -aqw Timeout "$T/$t.alone" "$T/$t.walked"; }; then
			break
		fi
		retried="; first pair: alone $a, walked $b: run again"
		# The verify counts and reports of the first pair are kept.
		cp "$T/verify" "$T/verify.1"
		cp "$T/verify.bad" "$T/verify.bad.1"
	done
	read -r walks wfail <"$T/walks"
	read -r runs _ dis chg gone other <"$T/verify"
	if [ -n "$retried" ]; then
		read -r r1 _ d1 c1 g1 o1 <"$T/verify.1"
		runs=$((runs + r1)) dis=$((dis + d1)) chg=$((chg + c1)) gone=$((gone + g1)) other=$((other + o1))
		cat "$T/verify.bad.1" >>"$T/verify.bad"
	fi
	echo "# $t: alone $a ($((t1 - t0))s), walked $b ($((t2 - t1))s); $walks walks ($wfail failed: targets that went), $runs verify runs$retried"
	same=1
	diff "$T/res.alone" "$T/res.walked" >"$T/diff" || same=
	if [ "$a" = "$b" ] && [ -n "$same" ]; then
		ok "$t.same_result_walked" "$b"
	else
		sed 's/^/#   /' "$T/diff"
		[ "$a" = "$b" ] || echo "#   alone: $a; walked: $b"
		grep -aE '^(not ok|# )' "$T/$t.walked" | head -n 20 | sed 's/^/#   walked: /'
		no "$t.same_result_walked" "alone $a, walked $b"
	fi
	sed 's/^/#   slow: /' "$T/slow"
	if [ "$dis" -eq 0 ] && [ "$other" -eq 0 ]; then
		ok "$t.verify_no_disagreements" "$runs runs, $chg changed, $gone exited"
	else
		head -n 40 "$T/verify.bad" | sed 's/^/#   /'
		no "$t.verify_no_disagreements" "$dis of $runs runs disagreed${other:+, $other other exit statuses}"
	fi
	table+=("$t|$a|$b|$walks|$runs|$dis|$chg|$gone")
done

st=/sys/kernel/debug/ptwalk/status
if grep -q '^buffers: 0$' $st && grep -q '^open_files: 0$' $st && grep -q '^answers: 0$' $st; then
	ok no_leaked_buffers_or_files
else
	no no_leaked_buffers_or_files
	sed 's/^/# /' $st
fi
rmmod ptwalk || no rmmod
swapoff /dev/zram0 2>/dev/null

echo "# table"
{
	echo "selftest|result alone|result while walked|walks|verify runs|disagreements|changed|exited"
	printf '%s\n' "${table[@]}"
} | awk -F'|' '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) }
	if (NF > nf) nf = NF } END { for (r = 1; r <= NR; r++) { l = "#"
	for (i = 1; i <= nf; i++) l = l sprintf(" %-*s |", w[i], c[r, i]); print l } }'
echo "# end table"
echo "1..$n"
rm -rf "$T"
exit $rc
