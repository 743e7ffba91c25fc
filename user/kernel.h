/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel - ptwalk kernel: the module's kernel=1 and kaddr= answers
 * (binary, include/ptwalk.h), checked, merged into runs and shown through
 * column tables (table.h) as text or JSON; the W+X audit.
 */
#ifndef PTWALK_KERNEL_H
#define PTWALK_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include "ptwalk.h"
#include "table.h"

struct ptw_kernel {
	struct ptwalk_hdr hdr;
	struct ptwalk_kinfo info;
	struct ptwalk_region *regions;
	size_t nregions;
	struct ptwalk_krange *ranges;
	size_t nranges;
	struct ptwalk_lvl levels[5];
	size_t nlevels;
	struct ptwalk_kaddr kaddr;
	bool has_kaddr;
	struct ptwalk_end end;
};

/* A run of contiguous ranges of one region, equal in bits but PS. */
struct ptw_krun {
	const struct ptw_kernel *k;
	uint64_t start, end;
	uint32_t bits;
	uint32_t region;
	uint64_t pages[PTWALK_LVL_PGD + 1];
};

/*
 * Check and index a kernel=1 or kaddr= answer: the header says
 * PTWALK_H_KERNEL, KINFO comes first and END last, every record is a kind
 * these answers hold, ranges point at a region before them and END's
 * counts match.  Return: 0, or -1 with @err set.  @k points into nothing
 * of @buf afterwards (copies).
 */
int ptw_kernel_parse(const void *buf, size_t len, struct ptw_kernel *k,
		     char *err, size_t errlen);
void ptw_kernel_free(struct ptw_kernel *k);

/* Is range @r writable and executable, in the kernel half? */
bool ptw_kernel_wx(const struct ptwalk_krange *r);

extern const struct ptw_table ptw_krun_table, ptw_kwx_table;

/* Print @k: the regions and their runs (text or JSON). */
void ptw_kernel_show(FILE *f, const struct ptw_kernel *k, bool json);
/* The W+X audit of @k: Return: the number of W+X ranges. */
size_t ptw_kernel_show_wx(FILE *f, const struct ptw_kernel *k, bool json);

/* kaddr=: the levels and the leaf of @k as JSON. */
void ptw_kernel_show_kaddr(FILE *f, const struct ptw_kernel *k);

#endif /* PTWALK_KERNEL_H */
