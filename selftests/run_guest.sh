#!/bin/sh
# run_guest.sh: run every ptwalk selftest inside a guest (called by
# scripts/check through scripts/vm-run).  TAP on stdout.
#
# Usage: selftests/run_guest.sh PATH/TO/ptwalk.ko
#
# ptwalk_load_test loads and unloads the module itself; the other tests
# expect it loaded with walker=auto and query both walkers explicitly.
set -u
PTWALK_KO=$(readlink -f "$1")
export PTWALK_KO
cd "$(dirname "$0")" || exit 1
rc=0

# PTWALK_ONLY="ptwalk_walk_test ...": only these tests, and no guest.d
# suites but those in PTWALK_SUITES="40-cli ..." (scripts/check-arm64:
# make check's arm64 set).
only() { [ -z "${PTWALK_ONLY:-}" ] || case " $PTWALK_ONLY " in *" $1 "*) ;; *) return 1 ;; esac; }

if only ptwalk_load_test; then ./ptwalk_load_test || rc=1; fi

insmod "$PTWALK_KO" || { echo "not ok 1 insmod $PTWALK_KO"; exit 1; }
for t in ./ptwalk_*_test; do
	[ "$t" = ./ptwalk_load_test ] && continue
	only "${t#./}" || continue
	"$t" || rc=1
done

# Extra guest-side suites, one file each (TAP on stdout, module loaded).
# PTWALK_NO_SUITES="50-labs ...": these are left out, as one SKIP line
# each with PTWALK_NO_SUITES_WHY (scripts/check-arm64).
for t in ./guest.d/*; do
	[ -x "$t" ] || continue
	if [ -n "${PTWALK_SUITES:-}" ]; then
		case " $PTWALK_SUITES " in *" ${t#./guest.d/} "*) ;; *) continue ;; esac
	elif [ -n "${PTWALK_ONLY:-}" ]; then
		continue
	fi
	case " ${PTWALK_NO_SUITES:-} " in *" ${t#./guest.d/} "*)
		printf 'TAP version 13\nok 1 %s # SKIP %s\n1..1\n' "${t#./guest.d/}" \
			"${PTWALK_NO_SUITES_WHY:-left out (PTWALK_NO_SUITES)}"
		continue ;;
	esac
	"$t" || rc=1
done

# Every reader's buffer, answer and file, and every byte they held, must be
# gone once the tests have exited.
echo "TAP version 13"
echo "1..1"
st=/sys/kernel/debug/ptwalk/status
if grep -q '^buffers: 0$' $st && grep -q '^open_files: 0$' $st &&
	grep -q '^answers: 0$' $st && grep -q '^idle_bytes: 0$' $st; then
	echo "ok 1 module.no_leaked_buffers_or_files"
else
	echo "not ok 1 module.no_leaked_buffers_or_files"
	cat /sys/kernel/debug/ptwalk/status
	rc=1
fi
rmmod ptwalk || rc=1
exit $rc
