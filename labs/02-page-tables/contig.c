// SPDX-License-Identifier: GPL-2.0
/*
 * contig - arm64's contiguous hint next to a plain 2M block.
 *
 * Lab 02, arm64 part (labs/02-page-tables/README.md).  On arm64 with the
 * 4K granule a PTE or PMD may carry the contiguous bit: 16 adjacent entries
 * that map 16 adjacent, aligned frames with the same attributes, which the
 * TLB may cache as one entry (64K at the pte level, 32M at the pmd level).
 * x86-64 has nothing like it: its larger pages are one entry each (2M PS at
 * the pmd, 1G at the pud).  Built and run on x86-64 too, where the 64K and
 * 32M steps say that the sizes do not exist.
 *
 *   step 1: MAP_HUGETLB | MAP_HUGE_64KB, written: 16 PTEs with CONT
 *   step 2: MAP_HUGETLB | MAP_HUGE_32MB, written: 16 PMD blocks with CONT
 *   step 3: 2M aligned, MADV_HUGEPAGE, written: one PMD block (a THP)
 *   step 4: 64K aligned, one byte written with the 64K mTHP size set to
 *           "always" (6.8+): one 64K folio, mapped with CONT PTEs (6.9+)
 */
#include <errno.h>
#include "demo.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_64K (16 << MAP_HUGE_SHIFT)
#define MAP_HUGE_32M (25 << MAP_HUGE_SHIFT)

static const char mthp_ctl[] = "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled";

static char *hugetlb(size_t len, int size_flag, const char *what)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | size_flag, -1, 0);

	if (p == MAP_FAILED) {
		printf("no %s hugetlb page: %s (arm64 only; reserve: hugepagesz=%s hugepages=N)\n",
		       what, strerror(errno), what);
		return NULL;
	}
	p[0] = 1;
	return p;
}

/* The bracketed word of "always [inherit] madvise never", or NULL. */
static const char *mthp_setting(char *buf, size_t len)
{
	FILE *f = fopen(mthp_ctl, "r");
	char *a, *b;

	if (!f)
		return NULL;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	a = strchr(buf, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!b)
		return NULL;
	*b = '\0';
	return a + 1;
}

int main(int argc, char **argv)
{
	char was[128], *p;
	const char *set;

	demo_start(argc, argv, "contig: arm64's contiguous entries, and a 2M block");

	step("mmap(MAP_HUGETLB | MAP_HUGE_64KB) 64K, wrote one byte");
	p = hugetlb(64 * KB, MAP_HUGE_64K, "64K");
	if (p)
		show("huge64k", p);
	pause_here();

	step("mmap(MAP_HUGETLB | MAP_HUGE_32MB) 32M, wrote one byte");
	p = hugetlb(32 * MB, MAP_HUGE_32M, "32M");
	if (p)
		show("huge32m", p);
	pause_here();

	step("2M-aligned region with MADV_HUGEPAGE, wrote its first byte");
	p = map_aligned(2 * MB, 2 * MB);
	if (madvise(p, 2 * MB, MADV_HUGEPAGE))
		perror("madvise(MADV_HUGEPAGE)");
	p[0] = 1;
	show("thp2m", p);
	pause_here();

	step("64K-aligned region, wrote one byte with hugepages-64kB set to always");
	p = map_aligned(64 * KB, 64 * KB);
	set = mthp_setting(was, sizeof(was));
	if (!set) {
		printf("no 64K mTHP size here (%s: before 6.8)\n", mthp_ctl);
	} else if (write_file(mthp_ctl, "always")) {
		printf("cannot set %s (not root?)\n", mthp_ctl);
		set = NULL;
	}
	p[0] = 1;
	if (set)
		write_file(mthp_ctl, set);
	show("mthp64k", p);
	pause_here();
	return 0;
}
