# shellcheck shell=sh
# lib.sh: the driver shared by the labs (labs/NN-name/) and their tests.
# POSIX sh, sourced inside a guest (or on a real machine as root) with the
# module loaded and the current directory at the top of the work tree.
#
# Two modes, one set of lab files (labs/NN-name/lab.sh):
#   lab mode (scripts/lab N, labs/guest): print each step, the commands and their
#     output, and what the student should see;
#   test mode (LAB_TAP=1, selftests/guest.d/50-labs): print nothing but one
#     TAP line per expected observation.
#
# A lab file calls:
#   demo PROG [ARGS]      start the lab program PROG (labs/NN-name/PROG,
#                         built by labs/Makefile) --step, stop after step 1;
#                         DEMO_PID is its pid, DEMO_PROG its path
#   next                  let the program run its next step and stop again
#   addr NAME             an address the program printed ("addr NAME 0x...")
#   entry ADDR [PID]      ptwalk's text line(s) for the page at ADDR
#   run CMD...            lab mode: print "$ CMD" and its output
#   say TEXT              lab mode: print a line of explanation
#   expect NAME WHAT PATTERN CMD...
#                         the observation: CMD's output matches PATTERN
#                         (grep -E); WHAT says what that proves
#   unless NAME REASON CMD...
#                         skip the rest of the lab (every later expect)
#                         unless CMD succeeds
#   resume                the expects after this run again (the next part
#                         of the lab does not need what unless missed)
#   skip NAME REASON      an observation this machine cannot make (the other
#                         architecture's, 5-level paging ...): SKIP in test mode
#   not_on MACHINE REASON true on MACHINE (uname -m: aarch64, x86_64), where
#                         the whole lab does not apply: one SKIP (lab.NN.all)
#                         or the reason; the lab file then returns
#   done_demo             end the program
LAB_TAP=${LAB_TAP:-}
LAB_N=${LAB_N:-0}
LAB_FAILED=${LAB_FAILED:-0}
LAB_SKIP=
LAB_TMP=${LAB_TMP:-$(mktemp -d)}
PTWALK=${PTWALK:-user/ptwalk}

# The debugfs one-liner: write a query, read the answer on the same fd.
q() { { echo "$1" >&3; cat <&3; } 3<>/sys/kernel/debug/ptwalk/walk; }

say() { [ -n "$LAB_TAP" ] || printf '%s\n' "$*"; }
heading() { [ -n "$LAB_TAP" ] || printf '\n=== %s\n' "$*"; }

run() {
	[ -n "$LAB_TAP" ] && return 0
	printf '\n$'
	for w in "$@"; do
		case $w in
		*[!A-Za-z0-9_./=,:-]*) printf " '%s'" "$w" ;;
		*) printf ' %s' "$w" ;;
		esac
	done
	printf '\n'
	"$@" 2>&1 | sed 's/^/  /'
}

# lab NUMBER TITLE: start a lab (its TAP names are lab.NN.*).
lab() {
	LAB_ID=$1 LAB_SKIP=
	shift
	[ -n "$LAB_TAP" ] || printf '\n##### Lab %s: %s\n' "$LAB_ID" "$*"
}

expect() {
	name=$1 what=$2 pat=$3
	shift 3
	LAB_N=$((LAB_N + 1))
	if [ -n "$LAB_SKIP" ]; then
		[ -n "$LAB_TAP" ] && echo "ok $LAB_N lab.$LAB_ID.$name # SKIP $LAB_SKIP"
		return 0
	fi
	out=$("$@" 2>&1)
	if printf '%s\n' "$out" | grep -qE -- "$pat"; then
		if [ -n "$LAB_TAP" ]; then
			echo "ok $LAB_N lab.$LAB_ID.$name"
		else
			printf '  [seen] %s\n' "$what"
		fi
	else
		LAB_FAILED=$((LAB_FAILED + 1))
		if [ -n "$LAB_TAP" ]; then
			echo "not ok $LAB_N lab.$LAB_ID.$name"
			printf '# %s: wanted /%s/ from: %s\n' "$what" "$pat" "$*"
			printf '%s\n' "$out" | sed 's/^/#   /'
		else
			printf '  [NOT SEEN] %s (wanted /%s/ from %s)\n' "$what" "$pat" "$*"
		fi
	fi
}

unless() {
	name=$1 why=$2
	shift 2
	[ -n "$LAB_SKIP" ] && return 0
	if ! "$@" >/dev/null 2>&1; then
		LAB_SKIP=$why
		say "  (skipping the rest of this lab: $why)"
	fi
}

resume() { LAB_SKIP=; }

skip() {
	LAB_N=$((LAB_N + 1))
	[ -n "$LAB_TAP" ] && echo "ok $LAB_N lab.$LAB_ID.$1 # SKIP $2"
	return 0
}

not_on() {
	[ "$(uname -m)" = "$1" ] || return 1
	if [ -n "$LAB_TAP" ]; then
		skip all "$2"
	else
		printf '  This lab does not apply here (%s): %s\n' "$1" "$2"
	fi
}

# demo_path PROG: the lab program PROG, in whichever lab's folder it lives
# (lab 02 runs lab 01's addresses).
demo_path() {
	for p in labs/[0-9][0-9]-*/"$1"; do
		[ -x "$p" ] && { echo "$p"; return 0; }
	done
	echo "labs/*/$1 (not built: make -C labs)"
	return 1
}

# demo PROG [ARGS]: run the lab program PROG --step, fed through a fifo.
demo() {
	prog=$1
	shift
	DEMO_PROG=$(demo_path "$prog")
	DEMO_OUT=$LAB_TMP/$prog.out
	rm -f "$LAB_TMP/fifo" "$DEMO_OUT"
	mkfifo "$LAB_TMP/fifo"
	"$DEMO_PROG" --step "$@" <"$LAB_TMP/fifo" >"$DEMO_OUT" 2>&1 &
	DEMO_PID=$!
	exec 4>"$LAB_TMP/fifo"
	DEMO_STEP=1
	DEMO_SHOWN=0
	demo_wait
}

# Wait for "paused after step N" (or the end), then print the new output.
demo_wait() {
	i=0
	while ! grep -q "^-- paused after step $DEMO_STEP " "$DEMO_OUT" 2>/dev/null &&
		kill -0 "$DEMO_PID" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -z "$LAB_TAP" ]; then
		total=$(wc -l <"$DEMO_OUT")
		printf '\n'
		sed -n "$((DEMO_SHOWN + 1)),\$p" "$DEMO_OUT" | sed 's/^/  | /'
		DEMO_SHOWN=$total
	fi
}

next() {
	DEMO_STEP=$((DEMO_STEP + 1))
	echo >&4
	demo_wait
}

done_demo() {
	exec 4>&-
	wait "$DEMO_PID" 2>/dev/null
	DEMO_PID=
}

# addr NAME: the last address the program printed under NAME.
addr() { awk -v n="$1" '$1 == "addr" && $2 == n { a = $3 } END { print a }' "$DEMO_OUT"; }

# value KEY: the last "KEY N" line's N ("child 123").
value() { awk -v n="$1" '$1 == n { v = $2 } END { print v }' "$DEMO_OUT"; }

# entry ADDR [PID]: the entry lines covering ADDR (one, or none if unmapped).
entry() {
	a=$(printf '0x%x' "$1")
	q "pid=${2:-$DEMO_PID} range=$a-$(printf '0x%x' $(($1 + 1)))" | grep '^0x'
}

# who_pids PFN: the pids mapping frame PFN (who maps), sorted, one line.
who_pids() { q "pfn=$1" | awk '$1 == "task" { sub("pid=", "", $2); print $2 }' | sort -n | tr '\n' ' '; }

# entries START END [PID]: every entry line in [START, END).
entries() { q "pid=${3:-$DEMO_PID} range=$1-$2" | grep '^0x'; }

# field KEY: the values of KEY= on stdin's lines.
field() { sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p"; }

# quiet_numa / restore_numa: no automatic NUMA balancing while the labs
# run, so that pages stay where the steps put them (lab 08 explains it).
quiet_numa() {
	LAB_NUMA_BALANCING=$(cat /proc/sys/kernel/numa_balancing 2>/dev/null)
	[ -n "$LAB_NUMA_BALANCING" ] && echo 0 >/proc/sys/kernel/numa_balancing 2>/dev/null
	return 0
}
restore_numa() {
	[ -n "${LAB_NUMA_BALANCING:-}" ] &&
		echo "$LAB_NUMA_BALANCING" >/proc/sys/kernel/numa_balancing 2>/dev/null
	return 0
}

# swap_on: zram swap (the lab guests have zram as a module).
swap_on() {
	grep -q '^/dev/zram' /proc/swaps 2>/dev/null && return 0
	[ -e /sys/block/zram0 ] || modprobe zram num_devices=1 >/dev/null 2>&1 || return 1
	echo 512M >/sys/block/zram0/disksize 2>/dev/null
	mkswap /dev/zram0 >/dev/null 2>&1 && swapon /dev/zram0
}

# count START END [PATTERN [PID]]: how many entries in [START, END) match.
count() { entries "$1" "$2" "${4:-}" | grep -cE -- "${3:-.}"; }

# pfn ADDR [PID], hw ADDR [PID], sw ADDR [PID]: one field of one entry.
pfn() { entry "$1" "${2:-}" | field pfn; }
hw() { entry "$1" "${2:-}" | field hw; }
sw() { entry "$1" "${2:-}" | field sw; }

# same A B: "same" when both are equal and not empty, else "different".
same() { if [ -n "$1" ] && [ "$1" = "$2" ]; then echo same; else echo "different ($1 vs $2)"; fi; }

# bits LIST +BIT... -BIT...: "ok" if the comma-separated LIST holds every
# +BIT and no -BIT, else what is wrong ("missing RO, has NX").
bits() {
	l=$1 bad=
	shift
	for b in "$@"; do
		case ${b#?},$(has_bit "$l" "${b#?}") in
		*,yes) [ "${b%"${b#?}"}" = - ] && bad="$bad, has ${b#?}" ;;
		*) [ "${b%"${b#?}"}" = + ] && bad="$bad, missing ${b#?}" ;;
		esac
	done
	if [ -z "$bad" ]; then echo ok; else echo "${bad#, } (in $l)"; fi
}

# has_bit LIST BIT: "yes" if the comma-separated LIST holds BIT.
has_bit() { case ",$1," in *",$2,"*) echo yes ;; *) echo no ;; esac; }

# match PATTERN CMD...: succeed if CMD's output matches PATTERN.
match() { p=$1; shift; "$@" 2>/dev/null | grep -qE -- "$p"; }
