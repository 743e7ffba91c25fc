# shellcheck shell=sh
# Lab 02: multi-level page tables, 4 and 5 levels (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 02 "page tables: 4 and 5 levels"

heading "step 1: the walk, level by level"
demo addresses
paging=$(q "pid=$DEMO_PID range=0x1000-0x2000" | sed -n 's/.* paging=\([45]\).*/\1/p')
say "This machine uses $paging-level paging."
run "$PTWALK" "$DEMO_PID" "$(addr stack)"
if [ "$paging" = 5 ]; then
	expect five_levels "a 5-level walk reads pgd, p4d, pud, pmd and pte" \
		'^  p4d ' "$PTWALK" "$DEMO_PID" "$(addr stack)"
else
	expect four_levels "a 4-level walk reads pgd, pud, pmd and pte (p4d is folded away)" \
		'4-level paging' "$PTWALK" "$DEMO_PID" "$(addr stack)"
	expect no_p4d_level "no p4d level is shown on 4-level paging" '^0$' \
		sh -c "$PTWALK $DEMO_PID $(addr stack) | grep -c '^  p4d '"
fi

heading "step 3: an address above 128 TiB"
next
next
run "$PTWALK" "$DEMO_PID" "$(addr high)"
if [ "$paging" = 5 ]; then
	expect high_address_la57 "with 5-level paging mmap can return an address above 2^47" \
		'^yes$' sh -c "[ \$(( $(addr high) >> 47 )) -gt 0 ] && echo yes"
	expect high_address_mapped "and it is mapped through all five levels" \
		'^  p4d .*next table' "$PTWALK" "$DEMO_PID" "$(addr high)"
else
	expect high_hint_ignored "with 4-level paging the hint is ignored: the address is below 2^47" \
		'^yes$' sh -c "[ \$(( $(addr high) >> 47 )) -eq 0 ] && echo yes"
	LAB_N=$((LAB_N + 1))
	[ -n "$LAB_TAP" ] && echo "ok $LAB_N lab.02.high_address_la57 # SKIP 4-level paging (boot with --la57)"
fi
done_demo
