# shellcheck shell=sh
# Lab 11: the kernel's half (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 11 "the kernel's half: where the kernel lives in every address space"
not_on aarch64 "ptwalk reads the kernel's page tables on x86-64 only; arm64 keeps the kernel in a table of its own, TTBR1's swapper_pg_dir (lab 02's arm64 part)" && return 0

# The top-level entry of a kernel address in PID's PGD: "RAW TABLE".
pgd_of() { q "kaddr=$1 pid=$2" | awk '$1 == "level" && $2 == "pgd" { print $4, $5 }'; }
ksym() { awk -v s="$1" '$3 == s { print "0x" $1; exit }' /proc/kallsyms; }

heading "step 1: the kernel's ranges, by region"
unless kernel_tables "kernel=1 unavailable here (see status)" \
	match '^kernel_tables: ptdump' cat /sys/kernel/debug/ptwalk/status
run sh -c "$PTWALK kernel | grep -E '^(kernel|page_offset|[A-Za-z].* \\(0x[0-9a-f]+\\))'"
run sh -c "$PTWALK kernel | sed -n '/^Low Kernel Mapping/,/^vmalloc/p' | head -12"
expect regions "the regions: the direct map, vmalloc, vmemmap, the kernel image, modules, fixmap" \
	'Low Kernel Mapping.*vmalloc.*Vmemmap.*High Kernel Mapping.*Modules.*Fixmap Area' \
	sh -c "$PTWALK kernel | grep -E '^[A-Za-z].* \\(0x[0-9a-f]+\\)' | tr '\n' ' '"
expect direct_map_huge "the direct map is made of huge pages (1G or 2M)" \
	' (1G|2M)x[0-9]' sh -c "$PTWALK kernel | sed -n '/^Low Kernel Mapping/,/^vmalloc/p'"
resume

heading "step 2: the same kernel half in every process"
stext=$(ksym _stext)
run "$PTWALK" kernel "$stext"
say "pgd entry of _stext in pid 1 and in this shell: $(pgd_of "$stext" 1) / $(pgd_of "$stext" $$)"
expect same_pgd_entry "pid 1 and this shell hold the same top-level entry for the kernel" \
	'^same$' same "$(pgd_of "$stext" 1 | cut -d' ' -f1)" "$(pgd_of "$stext" $$ | cut -d' ' -f1)"
expect own_pgd_page "in PGD pages of their own" \
	'^different' same "$(pgd_of "$stext" 1 | cut -d' ' -f2)" "$(pgd_of "$stext" $$ | cut -d' ' -f2)"
expect text_not_writable "kernel text: executable, not writable" \
	' hw=P(,A)?(,PS)?(,G)? mt=' sh -c "$PTWALK kernel $stext | grep '^kaddr'"

heading "step 3: KASLR moved it"
unless kaslr "booted with nokaslr" sh -c '! grep -qw nokaslr /proc/cmdline'
run sh -c "$PTWALK kernel | sed -n 2p"
expect text_moved "_stext is not at the unrandomized 0xffffffff81000000" \
	'^moved$' sh -c "[ $stext != 0xffffffff81000000 ] && echo moved"
expect direct_map_moved "the direct map does not start at the unrandomized 0xffff888000000000" \
	'^moved$' sh -c "$PTWALK kernel | grep -q 'page_offset_base 0xffff888000000000 ' || echo moved"
resume

heading "step 4: what KPTI leaves to user mode"
run sh -c "$PTWALK $$ --kpti | head -4"
if match 'kpti=on' "$PTWALK" $$ --kpti; then
	expect kpti_entry_mapped "the user copy maps the entry code" \
		'phys=' "$PTWALK" kernel --kpti "$(ksym entry_SYSCALL_64)"
	expect kpti_text_gone "but not the rest of the kernel's text (Meltdown can read nothing there)" \
		'kind=none' "$PTWALK" kernel --kpti "$stext"
else
	expect kpti_off_said "KPTI is off, and ptwalk says so" '^KPTI is off:' "$PTWALK" $$ --kpti
fi

heading "step 5: the W+X audit"
unless kernel_tables "kernel=1 unavailable here (see status)" \
	match '^kernel_tables: ptdump' cat /sys/kernel/debug/ptwalk/status
run "$PTWALK" kernel --wx
expect no_wx "no kernel range is writable and executable" '^# 0 W\+X ranges' "$PTWALK" kernel --wx
resume
