# shellcheck shell=sh
# Lab 01: virtual versus physical addresses (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 01 "virtual versus physical addresses"

heading "step 1: a process's virtual addresses"
demo addresses
say "Every address the program prints is virtual. Translate one:"
run "$PTWALK" "$DEMO_PID" "$(addr mmap)"
a=$(addr mmap)
expect pte_index_is_bits_20_12 "the pte index is bits 20-12 of the address: $(( (a >> 12) & 511 ))" \
	"^  pte +$(( (a >> 12) & 511 )) " "$PTWALK" "$DEMO_PID" "$a"
# 4-level paging: pgd holds bits 47-39; 5-level: p4d does, pgd bits 56-48.
top=pgd
q "pid=$DEMO_PID range=0x1000-0x2000" | grep -q ' paging=5' && top=p4d
expect "${top}_index_is_bits_47_39" "the $top index is bits 47-39 of the address: $(( (a >> 39) & 511 ))" \
	"^  $top +$(( (a >> 39) & 511 )) " "$PTWALK" "$DEMO_PID" "$a"
expect physical_is_pfn_times_4096 "the physical address is the frame number times 4096 plus the offset" \
	"at pfn 0x$(printf '%x' $(( $(pfn "$a") )) ): physical address 0x$(printf '%x' $(( $(pfn "$a") * 4096 )))" \
	"$PTWALK" "$DEMO_PID" "$a"

heading "step 2: two processes, one virtual address, two frames"
next
first=$DEMO_PID
mkfifo "${LAB_TMP:?}/second"
"$DEMO_PROG" --step <"$LAB_TMP/second" >"$LAB_TMP/second.out" 2>&1 &
second=$!
exec 5>"$LAB_TMP/second"
echo >&5
i=0
while ! grep -q 'paused after step 2' "$LAB_TMP/second.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
say "A second copy of the program (pid $second) mapped the same address:"
[ -n "$LAB_TAP" ] || grep -E '^addr fixed|holds' "$LAB_TMP/second.out" | sed 's/^/  | /'
run "$PTWALK" "$first" --range 0x5a0000000000-0x5a0000001000
run "$PTWALK" "$second" --range 0x5a0000000000-0x5a0000001000
expect same_va_two_frames "pid $first and pid $second reach different frames at 0x5a0000000000" \
	'^different' same "$(pfn 0x5a0000000000 "$first")" "$(pfn 0x5a0000000000 "$second")"
both() { { entry 0x5a0000000000 "$first"; entry 0x5a0000000000 "$second"; } | grep -c kind=present; }
expect both_present "both translations are present" '^2$' both
exec 5>&-
wait "$second"
done_demo
