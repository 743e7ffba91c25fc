// SPDX-License-Identifier: GPL-2.0
/*
 * thp - transparent huge pages: one 2M entry instead of 512 4K ones.
 *
 * Lab 07 (labs/07-huge-pages/README.md).  THP runs in one of three modes
 * (/sys/kernel/mm/transparent_hugepage/enabled): "always", "madvise" (only
 * regions marked MADV_HUGEPAGE get huge pages at fault time) or "never".
 *
 *   step 1: 2M aligned, MADV_HUGEPAGE, first write: one 2M PMD entry
 *   step 2: 2M aligned, MADV_NOHUGEPAGE, written: 512 4K PTE entries
 *   step 3: MADV_HUGEPAGE and MADV_COLLAPSE on it (6.1+): collapsed into
 *           one huge page, what khugepaged does in the background
 *   step 4: MADV_DONTNEED on one 4K page of the first huge page: the PMD
 *           is split into a page table, 511 entries left (MADV_NOHUGEPAGE
 *           first, so that khugepaged does not collapse it back)
 */
#include <errno.h>
#include "demo.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

int main(int argc, char **argv)
{
	char *a, *b, mode[128] = "?";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f) {
		if (!fgets(mode, sizeof(mode), f))
			strcpy(mode, "?\n");
		fclose(f);
	}
	demo_start(argc, argv, "thp: transparent huge pages");
	printf("THP mode: %s", mode);

	step("2M-aligned region with MADV_HUGEPAGE, wrote its first byte");
	a = map_aligned(2 * MB, 2 * MB);
	if (madvise(a, 2 * MB, MADV_HUGEPAGE))
		perror("madvise(MADV_HUGEPAGE)");
	a[0] = 1;
	show("thp", a);
	show_faults();
	pause_here();

	step("2M-aligned region with MADV_NOHUGEPAGE, wrote all of it");
	b = map_aligned(2 * MB, 2 * MB);
	madvise(b, 2 * MB, MADV_NOHUGEPAGE);	/* even if THP is "always" */
	memset(b, 1, 2 * MB);
	show("small", b);
	show("smallend", b + 2 * MB);
	show_faults();
	pause_here();

	step("madvise(MADV_HUGEPAGE), then madvise(MADV_COLLAPSE) on the second region");
	madvise(b, 2 * MB, MADV_HUGEPAGE);
	if (madvise(b, 2 * MB, MADV_COLLAPSE))
		printf("MADV_COLLAPSE failed: %s (khugepaged may still do it later)\n",
		       strerror(errno));
	show("small", b);
	pause_here();

	step("madvise(MADV_DONTNEED) on the 4K page at offset 4K of the first huge page");
	/* MADV_NOHUGEPAGE first, or khugepaged may collapse it again. */
	madvise(a, 2 * MB, MADV_NOHUGEPAGE);
	madvise(a + 4 * KB, 4 * KB, MADV_DONTNEED);
	show("thp", a);
	show("hole", a + 4 * KB);
	pause_here();
	return 0;
}
