// SPDX-License-Identifier: GPL-2.0
/*
 * swap - a page goes out to swap and comes back on the next touch.
 *
 * Lab 06 (labs/06-swap/README.md).  Needs swap: in the lab guest that is a
 * zram device (compressed RAM), made by the lab script.
 *
 *   step 1: write 16 pages, each with its own number
 *   step 2: MADV_PAGEOUT: reclaim them now (what memory pressure does
 *           slowly); each entry now says where on swap the page lives
 *   step 3: read page 0: a fault brings it back (swap-in)
 */
#include <sched.h>
#include "demo.h"

#define PAGES 16

int main(int argc, char **argv)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *buf, line[256];
	FILE *f;
	int swaps = 0;
	cpu_set_t cpus;

	demo_start(argc, argv, "swap: page out with MADV_PAGEOUT, page in by touching");
	f = fopen("/proc/swaps", "r");
	while (f && fgets(line, sizeof(line), f))
		if (line[0] == '/')
			printf("swap device: %s", line), swaps++;
	if (f)
		fclose(f);
	if (!swaps)
		printf("no swap is on: MADV_PAGEOUT cannot move anonymous pages out\n");

	/*
	 * Stay on one CPU: freshly faulted pages wait in a per-CPU batch
	 * before they reach the LRU lists that reclaim works on, and
	 * MADV_PAGEOUT flushes only the batch of the CPU it runs on.
	 */
	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);

	step("wrote %d pages, page i holds the number i", PAGES);
	buf = map_anon(PAGES * pg);
	for (int i = 0; i < PAGES; i++)
		buf[i * pg] = (char)i;
	show("buf", buf);
	show("end", buf + PAGES * pg);
	pause_here();

	step("madvise(MADV_PAGEOUT) on all %d pages", PAGES);
	if (madvise(buf, PAGES * pg, MADV_PAGEOUT))
		perror("madvise(MADV_PAGEOUT)");
	show_faults();
	pause_here();

	step("read page 0: it holds %d", buf[0]);
	show("page0", buf);
	show("page1", buf + pg);
	show_faults();
	pause_here();
	return 0;
}
