// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb - huge pages from the reserved hugetlb pool.
 *
 * Lab 07 (labs/07-huge-pages/README.md).  Pages come from a pool reserved at
 * boot (hugepages=N, hugepagesz=1G hugepages=1) or in
 * /proc/sys/vm/nr_hugepages; without a reservation the mmap fails.
 *
 *   step 1: MAP_HUGETLB 2M, written: one 2M PMD entry from the pool
 *   step 2: MAP_HUGETLB | MAP_HUGE_1GB, written: one 1G PUD entry
 */
#include <errno.h>
#include "demo.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_2M (21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1G (30 << MAP_HUGE_SHIFT)

static void pool(const char *size)
{
	char path[128], line[64] = "?\n";
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/hugepages/hugepages-%s/free_hugepages", size);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			strcpy(line, "?\n");
		fclose(f);
	}
	printf("free %s hugetlb pages: %s", size, f ? line : "none (size not supported)\n");
}

int main(int argc, char **argv)
{
	char *p;

	demo_start(argc, argv, "hugetlb: huge pages from the reserved pool");
	pool("2048kB");
	pool("1048576kB");

	step("mmap(MAP_HUGETLB) 2M, wrote one byte");
	p = mmap(NULL, 2 * MB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2M, -1, 0);
	if (p == MAP_FAILED) {
		printf("no 2M hugetlb page: %s (reserve some: hugepages=N)\n", strerror(errno));
	} else {
		p[0] = 1;
		show("huge2m", p);
		pool("2048kB");
	}
	pause_here();

	step("mmap(MAP_HUGETLB | MAP_HUGE_1GB) 1G, wrote one byte");
	p = mmap(NULL, GB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1G, -1, 0);
	if (p == MAP_FAILED) {
		printf("no 1G hugetlb page: %s (reserve one: hugepagesz=1G hugepages=1)\n",
		       strerror(errno));
	} else {
		p[0] = 1;
		show("huge1g", p);
		pool("1048576kB");
	}
	pause_here();
	return 0;
}
