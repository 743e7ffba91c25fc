# shellcheck shell=sh
# Lab 05: the TLB and access patterns (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 05 "the TLB and access patterns"

heading "step 1: write 64 pages"
demo tlb
b=$(addr buf) e=$(addr end)
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
expect written_accessed "after writing, all 64 entries have A (accessed) and D (dirty)" \
	'^64$' count "$b" "$e" 'hw=([^ ]*,)?A,D[, ]'

heading "step 2: clear the accessed bits"
next
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
expect clear_refs_clears_a "echo 1 > clear_refs cleared A on every entry" \
	'^0$' count "$b" "$e" 'hw=([^ ]*,)?A[, ]'

heading "step 3: read every 4th page"
next
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
expect read_sets_a "the CPU set A again on the 16 pages read" '^16$' count "$b" "$e" 'hw=([^ ]*,)?A[, ]'
expect read_page_has_a "page 0 (read) has A" '^yes$' has_bit "$(hw "$(addr page0)")" A
expect unread_page_no_a "page 1 (not read) still has no A" '^no$' has_bit "$(hw "$(addr page1)")" A

heading "step 4: one 2M entry"
next
run "$PTWALK" "$DEMO_PID" "$(addr huge)"
unless thp_available "no THP for the 2M region" match '2M pmd' entry "$(addr huge)"
expect huge_one_entry "a 2M huge page is one entry (one TLB entry) for 512 pages" \
	'2M pmd .*page=anon,thp' entry "$(addr huge)"
done_demo
