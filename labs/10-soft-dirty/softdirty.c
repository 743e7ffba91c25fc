// SPDX-License-Identifier: GPL-2.0
/*
 * softdirty - which pages did I write since I last looked?
 *
 * Lab 10 (labs/10-soft-dirty/README.md).  The soft-dirty bit is a software
 * bit in the page-table entry (CRIU uses it for incremental checkpoints):
 * writing 4 to /proc/PID/clear_refs clears it and write-protects the
 * entries, and the next write to a page sets it again.
 *
 *   step 1: write 8 pages: all soft-dirty
 *   step 2: echo 4 > /proc/self/clear_refs: none soft-dirty
 *   step 3: write pages 2 and 5: only those are soft-dirty again
 */
#include "demo.h"

#define PAGES 8

int main(int argc, char **argv)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *buf;

	demo_start(argc, argv, "softdirty: tracking writes with the soft-dirty bit");

	step("wrote %d pages", PAGES);
	buf = map_anon(PAGES * pg);
	for (int i = 0; i < PAGES; i++)
		buf[i * pg] = 1;
	show("buf", buf);
	show("end", buf + PAGES * pg);
	pause_here();

	step("cleared soft-dirty bits: echo 4 > /proc/self/clear_refs");
	if (write_file("/proc/self/clear_refs", "4"))
		perror("clear_refs");
	pause_here();

	step("wrote pages 2 and 5");
	buf[2 * pg] = 2;
	buf[5 * pg] = 2;
	show("page2", buf + 2 * pg);
	show("page3", buf + 3 * pg);
	pause_here();
	return 0;
}
