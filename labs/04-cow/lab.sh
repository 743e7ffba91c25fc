# shellcheck shell=sh
# Lab 04: copy-on-write after fork (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 04 "copy-on-write after fork"

heading "step 1: a page of our own"
demo cow
b=$(addr buf)
run "$PTWALK" "$DEMO_PID" "$b"
expect before_fork_writable "before fork: exclusive and writable" 'page=anon,excl .*cow=writable' entry "$b"
before=$(pfn "$b")

heading "step 2: fork()"
next
parent=$DEMO_PID child=$(value child)
run "$PTWALK" "$parent" --range "$b-$(printf "0x%x" $((b + 4096)))"
run "$PTWALK" "$child" --range "$b-$(printf "0x%x" $((b + 4096)))"
expect fork_parent_write_protected "after fork the parent's entry is read-only: a write copies" \
	'page=anon,shared .*map=2 .*cow=copy' entry "$b" "$parent"
expect fork_child_write_protected "and so is the child's" 'cow=copy' entry "$b" "$child"
expect fork_same_frame "parent and child map the same frame" '^same' \
	same "$(pfn "$b" "$parent")" "$(pfn "$b" "$child")"
run "$PTWALK" who "$parent" "$b"
pair=$(printf '%s\n' "$parent" "$child" | sort -n | tr '\n' ' ')
expect who_parent_and_child "ptwalk who: the frame is mapped by the parent and the child, no one else" \
	"^$pair\$" who_pids "$before"
expect who_all_found "and that is all of them: the kernel's mapcount is 2" \
	'^# tally mappings=2 mapcount=2 equal=yes' q "pfn=$before"

heading "step 3: the child writes"
next
run "$PTWALK" "$parent" --range "$b-$(printf "0x%x" $((b + 4096)))"
run "$PTWALK" "$child" --range "$b-$(printf "0x%x" $((b + 4096)))"
expect child_write_copies "the child's write gave it a new frame" '^different' \
	same "$(pfn "$b" "$parent")" "$(pfn "$b" "$child")"
expect child_copy_writable "the child's copy is exclusive and writable" 'page=anon,excl .*cow=writable' entry "$b" "$child"
expect parent_keeps_frame "the parent kept the original frame" '^same' same "$before" "$(pfn "$b" "$parent")"
run "$PTWALK" who "$before"
expect who_only_parent "ptwalk who: the original frame is the parent's alone now" \
	"^$parent \$" who_pids "$before"
expect parent_will_reuse "the parent is the only user now: its next write reuses the page" \
	'map=1 .*cow=reuse' entry "$b" "$parent"

heading "step 4: the parent writes"
next
run "$PTWALK" "$parent" "$b"
expect parent_write_reuses "the parent's write made the entry writable without a copy" \
	'cow=writable' entry "$b" "$parent"
expect parent_reuse_same_frame "same frame as before fork" '^same' same "$before" "$(pfn "$b" "$parent")"
done_demo
