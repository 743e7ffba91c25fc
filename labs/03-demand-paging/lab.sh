# shellcheck shell=sh
# Lab 03: page faults and demand paging (README.md)
# Sourced by labs/guest and selftests/guest.d/50-labs after labs/lib.sh.
lab 03 "page faults and demand paging"

heading "step 1: mmap 16 pages, touch none"
demo demand
b=$(addr buf) e=$(addr end)
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
run "$PTWALK" "$DEMO_PID" "$b"
expect mmap_maps_nothing "after mmap alone: no page-table entries in the region" \
	'^0$' count "$b" "$e"

heading "step 2: write page 0"
next
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
expect first_write_one_page "one write, one page: a single present entry" '^1$' count "$b" "$e" kind=present
expect first_write_anon_page "it is a private anonymous page of its own" 'page=anon,excl' entry "$b"

heading "step 3: write the other 15 pages"
next
run "$PTWALK" "$DEMO_PID" --range "$b-$e"
expect every_page_on_touch "after touching all 16 pages: 16 present entries" '^16$' count "$b" "$e" kind=present
done_demo

heading "zero page: read first, write later"
demo zero
run "$PTWALK" "$DEMO_PID" "$(addr buf)"
expect read_maps_zero_page "a read of untouched memory maps the shared zero page" 'page=zero' entry "$(addr buf)"
expect zero_page_read_only "the zero page is mapped read-only: a write will copy it" 'cow=copy' entry "$(addr buf)"
zpfn=$(pfn "$(addr buf)")
next
run "$PTWALK" "$DEMO_PID" "$(addr buf)"
expect write_gets_own_page "the first write replaced it with a private, writable page" \
	'page=anon,excl .*cow=writable' entry "$(addr buf)"
expect write_changes_frame "a new frame: the pfn changed from the zero page's" \
	'^different' same "$zpfn" "$(pfn "$(addr buf)")"
done_demo
