# shellcheck shell=sh
# Lab 10: soft-dirty tracking (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 10 "soft-dirty: which pages were written?"
not_on aarch64 "arm64 has no soft-dirty bit (no CONFIG_HAVE_ARCH_SOFT_DIRTY there; lab 05's A and D bits are the nearest)" && return 0

heading "step 1: write 8 pages"
demo softdirty
b=$(addr buf) e=$(addr end)
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
unless soft_dirty "no soft-dirty bit in this kernel" match 'sw=[^ ]*sd' entry "$b"
expect written_sd "all 8 written pages are soft-dirty" '^8$' count "$b" "$e" 'sw=[^ ]*sd'

heading "step 2: echo 4 > /proc/PID/clear_refs"
next
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
expect clear_refs_4_clears_sd "clear_refs 4 cleared soft-dirty everywhere" '^0$' count "$b" "$e" 'sw=[^ ]*sd'
expect clear_refs_4_write_protects "and write-protected the entries, so the next write faults" \
	'^8$' count "$b" "$e" 'hw=P,U,'

heading "step 3: write pages 2 and 5"
next
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
expect written_again_sd "exactly the 2 written pages are soft-dirty again" '^2$' count "$b" "$e" 'sw=[^ ]*sd'
expect page2_sd "page 2 is soft-dirty" '^yes$' has_bit "$(sw "$(addr page2)")" sd
expect page3_clean "page 3 is not" '^no$' has_bit "$(sw "$(addr page3)")" sd
done_demo
