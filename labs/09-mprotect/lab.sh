# shellcheck shell=sh
# Lab 09: mprotect and PROT_NONE (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 09 "mprotect: protection lives in the entry"

heading "step 1: a written page"
demo mprotect
b=$(addr buf)
run "$PTWALK" "$DEMO_PID" "$b"
expect rw_has_w "read-write: the W bit is set" '^yes$' has_bit "$(hw "$b")" W
frame=$(pfn "$b")

heading "step 2: mprotect(PROT_READ)"
next
run "$PTWALK" "$DEMO_PID" "$b"
expect ro_no_w "read-only: W is cleared" '^no$' has_bit "$(hw "$b")" W
expect ro_no_cow "no copy-on-write: the mapping itself forbids writes" 'cow=none' entry "$b"
expect ro_same_frame "same frame" '^same' same "$frame" "$(pfn "$b")"

heading "step 3: mprotect(PROT_NONE)"
next
run "$PTWALK" "$DEMO_PID" "$b"
expect none_not_present "PROT_NONE: the hardware P bit is clear" '^no$' has_bit "$(hw "$b")" P
expect none_protnone "the entry is marked protnone: still mapped, not accessible" '^yes$' has_bit "$(sw "$b")" protnone
expect none_same_frame "the frame is kept" '^same' same "$frame" "$(pfn "$b")"

heading "step 4: back to PROT_READ|PROT_WRITE, written"
next
run "$PTWALK" "$DEMO_PID" "$b"
expect back_writable "writable again" 'hw=P,W,.* cow=writable' entry "$b"
done_demo
