// SPDX-License-Identifier: GPL-2.0
/*
 * tlb - what a program can see of the TLB: accessed bits and page sizes.
 *
 * Lab 05 (labs/05-tlb/README.md).  The TLB itself is invisible from software;
 * its footprints are the accessed (A) bit the CPU sets in a page-table entry
 * when it loads that entry into the TLB, and the number of entries needed
 * to cover a working set.
 *
 *   step 1: write 64 pages: every entry has A (and D) set
 *   step 2: clear the accessed bits (/proc/self/clear_refs, which also
 *           flushes the TLB)
 *   step 3: read every 4th page: only those entries get A back
 *   step 4: a 2M huge page: one entry covers what 512 4K entries cover
 */
#include "demo.h"

#define PAGES 64

int main(int argc, char **argv)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	volatile char *buf;
	char *huge;
	long sum = 0;

	demo_start(argc, argv, "tlb: accessed bits, the TLB's footprints");

	step("wrote %d pages", PAGES);
	buf = map_anon(PAGES * pg);
	for (int i = 0; i < PAGES; i++)
		buf[i * pg] = 1;
	show("buf", (char *)buf);
	show("end", (char *)buf + PAGES * pg);
	pause_here();

	step("cleared the accessed bits: echo 1 > /proc/self/clear_refs");
	if (write_file("/proc/self/clear_refs", "1"))
		perror("clear_refs");
	pause_here();

	step("read every 4th page (0, 4, 8, ...)");
	for (int i = 0; i < PAGES; i += 4)
		sum += buf[i * pg];
	show("page0", (char *)buf);
	show("page1", (char *)buf + pg);
	printf("read %ld pages\n", sum);
	pause_here();

	step("a 2M region with MADV_HUGEPAGE, written");
	huge = map_aligned(2 * MB, 2 * MB);
	madvise(huge, 2 * MB, MADV_HUGEPAGE);
	memset(huge, 1, 2 * MB);
	show("huge", huge);
	pause_here();
	return 0;
}
