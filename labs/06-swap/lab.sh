# shellcheck shell=sh
# Lab 06: swap and page replacement (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 06 "swap: out under pressure, back in on touch"

heading "setup: swap on a zram device"
swap_on
run cat /proc/swaps
unless swap_on "no swap (zram) in this machine" grep -q '^/' /proc/swaps

heading "step 1: write 16 pages"
demo swap
b=$(addr buf) e=$(addr end)
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
expect written_present "16 present pages" '^16$' count "$b" "$e" kind=present

heading "step 2: MADV_PAGEOUT"
next
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
run "$PTWALK" "$DEMO_PID" "$b"
expect pageout_swaps_out "after MADV_PAGEOUT page 0 is a swap entry: type (device) and offset" \
	'kind=swap type=[0-9]+ offset=0x' entry "$b"
expect pageout_all_out "all 16 entries are swap entries" '^16$' count "$b" "$e" kind=swap

heading "step 3: read page 0"
next
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
run "$PTWALK" "$DEMO_PID" "$b"
expect read_swaps_in "reading page 0 brought it back: present again" 'kind=present .*page=anon' entry "$b"
expect others_stay_out "page 1, not touched, is still on swap" 'kind=swap' entry "$(addr page1)"
expect major_fault "the swap-in was a major fault" '[1-9][0-9]* major' tail -n 3 "$DEMO_OUT"
done_demo
