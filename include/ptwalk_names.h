/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ptwalk_names.h - the one table of names for ptwalk's bits and values.
 *
 * The module's text output and the ptwalk command both print from these
 * tables, so a name is spelled once.  Index = bit number or enum value.
 */
#ifndef _PTWALK_NAMES_H
#define _PTWALK_NAMES_H

#include "ptwalk.h"

#ifndef __KERNEL__
#include <sys/cdefs.h>
#ifndef __maybe_unused
#define __maybe_unused __attribute__((__unused__))
#endif
#endif

/* Not every user prints every table. */
#define PTWALK_TABLE	static const char *const __maybe_unused

/* PTWALK_B_* by bit number; bit 7 is PS at pmd/pud and PAT at pte. */
PTWALK_TABLE ptwalk_bit_names[32] = {
	[0] = "P", [1] = "W", [2] = "U", [3] = "PWT", [4] = "PCD",
	[5] = "A", [6] = "D", [7] = "PS", [8] = "G", [9] = "NX",
	[16] = "sd", [17] = "uffd-wp", [18] = "special", [19] = "devmap",
	[20] = "protnone", [21] = "swp-excl", [22] = "saved-dirty",
};

/* PTWALK_P_* by bit number.  Bits 9-16 are the "pg=" (page flag) group. */
PTWALK_TABLE ptwalk_page_names[32] = {
	[0] = "anon", [1] = "file", [2] = "shmem", [3] = "ksm", [4] = "zero",
	[5] = "huge-zero", [6] = "thp", [7] = "hugetlb", [8] = "excl",
	[9] = "lru", [10] = "active", [11] = "referenced", [12] = "dirty",
	[13] = "writeback", [14] = "mlocked", [15] = "unevictable",
	[16] = "swapcache", [17] = "nopage", [18] = "shared", [19] = "hidden",
};

#define PTWALK_P_PGFLAGS_MASK	(0xffU << 9)

PTWALK_TABLE ptwalk_kind_names[] = {
	[PTWALK_K_NONE] = "none", [PTWALK_K_PRESENT] = "present",
	[PTWALK_K_SWAP] = "swap", [PTWALK_K_MIGRATION] = "migration",
	[PTWALK_K_DEVICE_PRIVATE] = "device-private",
	[PTWALK_K_DEVICE_EXCL] = "device-exclusive",
	[PTWALK_K_HWPOISON] = "hwpoison", [PTWALK_K_MARKER] = "marker",
	[PTWALK_K_TABLE] = "table", [PTWALK_K_UNKNOWN] = "unknown",
};

PTWALK_TABLE ptwalk_cow_names[] = {
	[PTWALK_COW_NA] = "fault", [PTWALK_COW_WRITABLE] = "writable",
	[PTWALK_COW_REUSE] = "reuse", [PTWALK_COW_COPY] = "copy",
	[PTWALK_COW_NONE] = "none", [PTWALK_COW_UFFD] = "uffd",
};

PTWALK_TABLE ptwalk_mig_names[] = {
	[0] = "?", [PTWALK_MIG_READ] = "read",
	[PTWALK_MIG_READ_EXCL] = "read-exclusive", [PTWALK_MIG_WRITE] = "write",
};

/* PTWALK_MARKER_* by bit number */
PTWALK_TABLE ptwalk_marker_names[3] = {
	"uffd-wp", "poison", "guard",
};

PTWALK_TABLE ptwalk_end_names[] = {
	[0] = "?", [PTWALK_END_COMPLETE] = "complete",
	[PTWALK_END_EXITED] = "exited", [PTWALK_END_STOPPED] = "stopped",
};

PTWALK_TABLE ptwalk_level_names[] = {
	[PTWALK_LVL_PTE] = "pte", [PTWALK_LVL_PMD] = "pmd",
	[PTWALK_LVL_PUD] = "pud", [PTWALK_LVL_P4D] = "p4d",
	[PTWALK_LVL_PGD] = "pgd",
};

#define PTWALK_ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static inline const char *ptwalk_name(const char *const *tab, unsigned int n,
				      unsigned int v)
{
	return v < n && tab[v] ? tab[v] : "?";
}

static inline const char *ptwalk_kind_name(unsigned int k)
{
	return ptwalk_name(ptwalk_kind_names,
			   PTWALK_ARRAY_LEN(ptwalk_kind_names), k);
}

static inline const char *ptwalk_level_name(unsigned int l)
{
	return ptwalk_name(ptwalk_level_names,
			   PTWALK_ARRAY_LEN(ptwalk_level_names), l);
}

static inline const char *ptwalk_cow_name(unsigned int c)
{
	return ptwalk_name(ptwalk_cow_names,
			   PTWALK_ARRAY_LEN(ptwalk_cow_names), c);
}

static inline const char *ptwalk_end_name(unsigned int s)
{
	return ptwalk_name(ptwalk_end_names,
			   PTWALK_ARRAY_LEN(ptwalk_end_names), s);
}

#endif /* _PTWALK_NAMES_H */
