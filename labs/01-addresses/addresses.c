// SPDX-License-Identifier: GPL-2.0
/*
 * addresses - virtual addresses, and the physical frames behind them.
 *
 * Lab 01 and 02 (labs/01-addresses/, labs/02-page-tables/).  Run two copies: both map a page at the same
 * virtual address, yet each reaches a different physical frame.
 *
 *   step 1: print where code, data, heap, stack and an mmap live
 *   step 2: map one page at the fixed address 0x5a0000000000 and write it
 *   step 3: map a page with a hint above 128 TiB: only 5-level paging
 *           (la57) can place it there; on arm64 user space already reaches
 *           256 TiB (48-bit VA), and only a 52-bit VA kernel goes above
 */
#include "demo.h"

/* Where user space ends unless mmap is given a hint above it. */
#ifdef __aarch64__
#define USER_TOP_BITS 48
#define BEYOND "got it: this kernel uses 52-bit virtual addresses (arm64 LPA2)"
#define NORMAL "got a normal address: 48-bit VA, user space ends at 256 TiB"
#else
#define USER_TOP_BITS 47
#define BEYOND "got it: this machine uses 5-level paging (57-bit addresses)"
#define NORMAL "got a normal address: 4-level paging, user space ends at 128 TiB"
#endif

int global = 42;

int main(int argc, char **argv)
{
	char *heap, *mapped, *fixed, *high;
	int local = 1;

	demo_start(argc, argv, "addresses: virtual addresses and their frames");

	step("where things are in my virtual address space");
	heap = malloc(64);
	mapped = map_anon(4 * KB);
	mapped[0] = 1;
	show("code", (void *)main);
	show("data", &global);
	show("heap", heap);
	show("stack", &local);
	show("mmap", mapped);
	pause_here();

	step("mapped one page at the same fixed address in every copy of me, wrote my pid into it");
	fixed = mmap((void *)0x5a0000000000UL, 4 * KB, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (fixed == MAP_FAILED) {
		perror("mmap at 0x5a0000000000");
		return 1;
	}
	snprintf(fixed, 4 * KB, "pid %d was here", (int)getpid());
	show("fixed", fixed);
	printf("it holds: \"%s\"\n", fixed);
	pause_here();

	step("asked for a page above 128 TiB (hint 0x100000000000000)");
	high = mmap((void *)(1UL << 56), 4 * KB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (high == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	high[0] = 1;
	show("high", high);
	printf("%s\n", (unsigned long)high >= (1UL << USER_TOP_BITS) ? BEYOND : NORMAL);
	pause_here();
	return 0;
}
