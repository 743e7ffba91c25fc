/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_pagemap.h - the bits of /proc/PID/pagemap, once, for the ptwalk
 * command, its tests and the selftests (see
 * Documentation/admin-guide/mm/pagemap.rst and fs/proc/task_mmu.c, whose
 * PM_* names these mirror; the kernel has no uapi header for them).
 * /proc/kpageflags bits come from <linux/kernel-page-flags.h>.
 */
#ifndef _PTWALK_PAGEMAP_H
#define _PTWALK_PAGEMAP_H

#include <stdint.h>

#define PTWALK_PM_ENTRY_BYTES		8
#define PTWALK_PM_PFRAME_MASK		((1ULL << 55) - 1)	/* PFN, or swap */
#define PTWALK_PM_SWAP_TYPE_BITS	5	/* swap: type in bits 0-4 */
#define PTWALK_PM_SWAP_TYPE_MASK	((1ULL << PTWALK_PM_SWAP_TYPE_BITS) - 1)
#define PTWALK_PM_SOFT_DIRTY		(1ULL << 55)
#define PTWALK_PM_MMAP_EXCLUSIVE	(1ULL << 56)	/* mapped exactly once */
#define PTWALK_PM_UFFD_WP		(1ULL << 57)
#define PTWALK_PM_GUARD_REGION		(1ULL << 58)	/* 6.14+: MADV_GUARD */
#define PTWALK_PM_FILE			(1ULL << 61)	/* file or shared anon */
#define PTWALK_PM_SWAP			(1ULL << 62)
#define PTWALK_PM_PRESENT		(1ULL << 63)

static inline uint64_t ptwalk_pm_pfn(uint64_t e)
{
	return e & PTWALK_PM_PFRAME_MASK;
}

static inline unsigned int ptwalk_pm_swap_type(uint64_t e)
{
	return e & PTWALK_PM_SWAP_TYPE_MASK;
}

static inline uint64_t ptwalk_pm_swap_offset(uint64_t e)
{
	return (e & PTWALK_PM_PFRAME_MASK) >> PTWALK_PM_SWAP_TYPE_BITS;
}

#endif /* _PTWALK_PAGEMAP_H */
