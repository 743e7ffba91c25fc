# shellcheck shell=sh
# Lab 07: huge pages, THP and hugetlb (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 07 "huge pages: THP and hugetlb"

heading "THP step 1: MADV_HUGEPAGE, first write"
demo thp
t=$(addr thp)
run "$PTWALK" "$DEMO_PID" "$t"
unless thp_available "THP is off in this kernel" match '2M pmd' entry "$t"
expect thp_one_pmd "one write filled a whole 2M THP: one pmd entry, order 9" \
	'^0x[0-9a-f]*00000 2M pmd .*page=anon,thp,excl order=9' entry "$t"

heading "THP step 2: the same size with MADV_NOHUGEPAGE, 4K at a time"
next
s=$(addr small) se=$(addr smallend)
run "$PTWALK" "$DEMO_PID" --range "$s-$se"
expect small_512_ptes "2M written without huge pages: 512 4K entries" '^512$' count "$s" "$se" '4K pte'

heading "THP step 3: MADV_COLLAPSE"
next
run "$PTWALK" "$DEMO_PID" --range "$s-$se"
if grep -q 'MADV_COLLAPSE failed' "$DEMO_OUT"; then
	LAB_N=$((LAB_N + 1))
	[ -n "$LAB_TAP" ] && echo "ok $LAB_N lab.07.collapse_one_pmd # SKIP $(grep 'MADV_COLLAPSE failed' "$DEMO_OUT")"
	say "  (MADV_COLLAPSE failed here; khugepaged would collapse it in the background)"
else
	expect collapse_one_pmd "MADV_COLLAPSE replaced the 512 entries by one 2M THP" \
		'2M pmd .*page=anon,thp' entry "$s"
fi

heading "THP step 4: MADV_DONTNEED on one 4K page of the THP"
next
run "$PTWALK" "$DEMO_PID" --frames --range "$t-$(printf '0x%x' $((t + 16384)))"
expect split_pmd_to_ptes "the pmd was split: the THP is now mapped by 4K ptes" \
	'4K pte .*page=anon,thp' entry "$t"
expect split_hole "the page given back has no entry" '^0$' count "$(addr hole)" "$(printf '0x%x' $(($(addr hole) + 4096)))"
expect split_511_left "511 of the 512 pages are still mapped" '^511$' count "$t" "$(printf '0x%x' $((t + 2097152)))" kind=present
done_demo

resume
heading "hugetlb step 1: a 2M page from the pool"
demo hugetlb
h=$(addr huge2m)
run "$PTWALK" "$DEMO_PID" "$h"
unless hugetlb_2m "no 2M hugetlb pages reserved (boot with hugepages=N)" test -n "$h"
expect hugetlb_2m_pmd "MAP_HUGETLB: one 2M pmd entry of a hugetlb page" '2M pmd .*page=anon,hugetlb' entry "$h"
resume
heading "hugetlb step 2: a 1G page from the pool"
next
g=$(addr huge1g)
[ -n "$g" ] && run "$PTWALK" "$DEMO_PID" "$g"
unless hugetlb_1g "no 1G hugetlb page reserved (boot with hugepagesz=1G hugepages=1)" test -n "$g"
expect hugetlb_1g_pud "MAP_HUGE_1GB: one 1G pud entry" '1G pud .*page=anon,hugetlb' entry "$g"
done_demo
