# shellcheck shell=sh
# Lab 08: NUMA placement (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 08 "NUMA placement"

heading "step 1: default policy, first touch"
demo numa
run "$PTWALK" "$DEMO_PID" "$(addr local)"
unless two_nodes "only one NUMA node" test -e /sys/devices/system/node/node1
expect local_node_reported "the page's node is reported, and agrees with get_mempolicy()" \
	"node=$(sed -n 's/^get_mempolicy says: node //p' "$DEMO_OUT" | head -1) " entry "$(addr local)"

heading "step 2: mbind(MPOL_BIND, node 1)"
next
b=$(addr bound)
run "$PTWALK" "$DEMO_PID" "$b"
expect bind_node1 "the page bound to node 1 is on node 1" 'node=1 ' entry "$b"
before=$(pfn "$b")

heading "step 3: mbind(MPOL_BIND, node 0, MPOL_MF_MOVE)"
next
run "$PTWALK" "$DEMO_PID" "$b"
expect moved_node0 "after MPOL_MF_MOVE the page is on node 0" 'node=0 ' entry "$b"
expect moved_new_frame "migration copied it to a new frame at the same virtual address" \
	'^different' same "$before" "$(pfn "$b")"
done_demo
