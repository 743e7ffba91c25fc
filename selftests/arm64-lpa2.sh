#!/bin/sh
# arm64-lpa2.sh: ptwalk on an arm64 kernel using LPA2 (52-bit VA, 5
# levels), run by scripts/check-arm64 in a guest booted with -cpu max.
# TAP on stdout.
#
# Usage: selftests/arm64-lpa2.sh PATH/TO/ptwalk.ko
#
# Checks that the module loads where LPA2 is in use, says 5-level paging,
# translates an address through all five levels (pgd = level -1) with SH
# read from TCR_EL1 (sh-tcr), then runs ptwalk_walk_test: every state
# against pagemap, kpageflags and kpagecount, both walkers.
set -u
KO=$(readlink -f "$1")
cd "$(dirname "$0")" || exit 1
W=/sys/kernel/debug/ptwalk/walk
n=0
rc=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n lpa2.$2"; else echo "not ok $n lpa2.$2"; rc=1; fi
}
echo "TAP version 13"
echo "1..5"
insmod "$KO"
ok $? insmod
if dmesg | grep "ptwalk: cannot decode"; then r=1; else r=0; fi
ok $r no_refusal
grep -q '^paging: 5-level$' /sys/kernel/debug/ptwalk/status
ok $? status_5_level
# This shell's stack top: a present, written, anonymous page.
line=$(grep -m1 '\[stack\]' /proc/$$/maps)
end=${line%% *}
addr=$(printf '0x%x' $((0x${end#*-} - 4096)))
exec 3<>"$W"
printf 'pid=%d addr=%s format=text\n' $$ "$addr" >&3
out=$(cat <&3)
exec 3>&-
printf '%s\n' "$out" | sed 's/^/# /'
levels=$(printf '%s\n' "$out" | grep -c '^level ')
[ "$levels" -eq 5 ] && printf '%s\n' "$out" | grep -q '^level pgd .*kind=table' &&
	printf '%s\n' "$out" | grep -q '^level p4d .*kind=table'
r=$?
ok $r translate_five_levels
printf '%s\n' "$out" | grep '^0x' | grep -q 'sw=[^ ]*sh-tcr' &&
	printf '%s\n' "$out" | grep '^0x' | grep -q 'hw=[^ ]*ISH'
r=$?
ok $r sh_from_tcr
./ptwalk_walk_test || rc=1
rmmod ptwalk || rc=1
exit $rc
