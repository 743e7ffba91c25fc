# shellcheck shell=sh
# Lab 02: multi-level page tables, 4 and 5 levels; on arm64 TTBR0/TTBR1,
# AP/UXN/PXN and the contiguous bit (README.md).
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 02 "page tables: 4 and 5 levels (arm64: two tables and contiguous entries)"

ksym() { awk -v s="$1" '$3 == s { print "0x" $1; exit }' /proc/kallsyms; }
plus() { printf '0x%x' $(($1 + $2)); }
machine=$(uname -m)

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

if [ "$machine" = aarch64 ]; then
	stack=$(addr stack) code=$(addr code) stext=$(ksym _stext)
	heading "arm64 step 1: two tables, TTBR0_EL1 for user space, TTBR1_EL1 for the kernel"
	say "The pgd above is this process's own table: TTBR0_EL1 holds its address"
	say "while the process runs.  The kernel's table is swapper_pg_dir"
	say "($(ksym swapper_pg_dir)), in TTBR1_EL1 for every process: the MMU takes"
	say "TTBR1 when an address's top 16 bits are ones (_stext is $stext)."
	expect arm64_user_reaches_2_48 "user space reaches 256 TiB: the stack is above 2^47, where x86-64's kernel half begins" \
		'^yes$' sh -c "[ \$(( $stack >> 47 )) -eq 1 ] && echo yes"
	expect arm64_all_pgd_entries_user "the stack's pgd index is above 255: all 512 entries of TTBR0's table are user space" \
		'^  pgd +(25[6-9]|2[6-9][0-9]|[34][0-9][0-9]|50[0-9]|51[01]) ' "$PTWALK" "$DEMO_PID" "$stack"
	run "$PTWALK" "$DEMO_PID" "$stext"
	expect arm64_kernel_not_in_ttbr0 "the kernel's text is not in the process's table at all" \
		'beyond user space' "$PTWALK" "$DEMO_PID" "$stext"

	heading "arm64 step 1: AP, UXN, PXN and nG instead of x86's W, U, NX and G"
	say "code:  $(entry "$code" | field hw)"
	say "stack: $(entry "$stack" | field hw)"
	expect arm64_code_bits "code: the user may run it (no UXN, shown as NX), the kernel may not (PXN), read-only (RO: AP[2])" \
		'^ok$' bits "$(hw "$code")" +U +PXN +RO -NX -W
	expect arm64_stack_bits "stack: writable (W: DBM), written (D: RO cleared), never executable (NX: UXN, and PXN)" \
		'^ok$' bits "$(hw "$stack")" +U +W +D +NX +PXN -RO
	expect arm64_user_not_global "user entries are not global (nG): the TLB tags them with the process's ASID" \
		'^yes$' has_bit "$(hw "$stack")" nG
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
elif [ "$machine" = aarch64 ]; then
	expect high_hint_ignored "with 48-bit VA the hint is ignored: the address is below 2^48" \
		'^yes$' sh -c "[ \$(( $(addr high) >> 48 )) -eq 0 ] && echo yes"
	skip high_address_la57 "5-level paging is x86-64's; arm64 goes above 2^48 only with 52-bit VA (LPA2)"
else
	expect high_hint_ignored "with 4-level paging the hint is ignored: the address is below 2^47" \
		'^yes$' sh -c "[ \$(( $(addr high) >> 47 )) -eq 0 ] && echo yes"
	skip high_address_la57 "4-level paging (boot with --la57)"
fi
done_demo

if [ "$machine" != aarch64 ]; then
	# The arm64 part's observations (lab.02.arm64_*): one SKIP for all.
	skip arm64 "the arm64 part runs on arm64 only (make lab-2 PTWALK_ARCH=arm64)"
	return 0
fi

heading "arm64 step 4: the contiguous bit, next to a 2M block"
demo contig
h=$(addr huge64k)
unless hugetlb_64k "no 64K hugetlb page (boot with hugepagesz=64K hugepages=16)" test -n "$h"
[ -z "$h" ] || run "$PTWALK" "$DEMO_PID" --range "$h-$(plus "$h" 0x10000)"
expect arm64_hugetlb_64k_cont "a 64K hugetlb page is 16 pte entries, each with CONT" \
	'^16$' count "$h" "$(plus "$h" 0x10000)" ' 4K pte .*hw=([^ ]*,)?CONT[, ]'
resume
next
h=$(addr huge32m)
unless hugetlb_32m "no 32M hugetlb page (boot with hugepagesz=32M hugepages=2)" test -n "$h"
[ -z "$h" ] || run "$PTWALK" "$DEMO_PID" --range "$h-$(plus "$h" 0x2000000)"
expect arm64_hugetlb_32m_cont "a 32M hugetlb page is 16 pmd block entries of 2M, each with CONT" \
	'^16$' count "$h" "$(plus "$h" 0x2000000)" ' 2M pmd .*hw=([^ ]*,)?CONT[, ]'
resume
next
h=$(addr thp2m)
run "$PTWALK" "$DEMO_PID" "$h"
unless thp "no THP here (transparent_hugepage/enabled is never)" match 'page=anon,thp' entry "$h"
expect arm64_thp_2m_one_pmd "a 2M THP is one pmd block entry, as on x86-64 (PS there)" \
	'^1$' count "$h" "$(plus "$h" 0x200000)" ' 2M pmd '
expect arm64_thp_2m_no_cont "and it has no CONT: a block is one TLB entry by itself" \
	'^no$' has_bit "$(hw "$h")" CONT
resume
next
h=$(addr mthp64k)
run "$PTWALK" "$DEMO_PID" --range "$h-$(plus "$h" 0x10000)"
unless mthp "no 64K mTHP size (hugepages-64kB: 6.8+)" \
	test -e /sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled
expect arm64_mthp_64k_contpte "a 64K anonymous folio (mTHP) is mapped with 16 CONT pte entries (contpte, 6.9+)" \
	'^16$' count "$h" "$(plus "$h" 0x10000)" ' 4K pte .*hw=([^ ]*,)?CONT[, ].* page=anon,thp'
resume
done_demo
