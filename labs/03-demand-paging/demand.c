// SPDX-License-Identifier: GPL-2.0
/*
 * demand - demand paging: mmap promises memory, the first touch gets it.
 *
 * Lab 03 (labs/03-demand-paging/README.md).
 *
 *   step 1: mmap 16 pages: no page-table entries yet
 *   step 2: write one byte to page 0: one fault, one page
 *   step 3: write one byte to every page: one fault each
 */
#include "demo.h"

#define PAGES 16

int main(int argc, char **argv)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *buf;

	demo_start(argc, argv, "demand: memory arrives page by page, on first touch");

	step("mmap'ed %d pages (%zu KiB), touched none", PAGES, PAGES * pg / KB);
	buf = map_anon(PAGES * pg);
	show("buf", buf);
	show("end", buf + PAGES * pg);
	show_faults();
	pause_here();

	step("wrote one byte to page 0");
	buf[0] = 1;
	show("page0", buf);
	show_faults();
	pause_here();

	step("wrote one byte to each of the other %d pages", PAGES - 1);
	for (int i = 1; i < PAGES; i++)
		buf[i * pg] = 1;
	show("page15", buf + (PAGES - 1) * pg);
	show_faults();
	pause_here();
	return 0;
}
