/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ptwalk_names.h - the one table of names for ptwalk's bits and values.
 *
 * The module's text output and the ptwalk command both print from these
 * tables, so a name is spelled once.  Tables are keyed by the constant
 * they name: PTWALK_BIT(flag) for flags, the enum value otherwise.
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
#define PTWALK_TABLE	static __maybe_unused const char *const

/* The table index of a one-bit flag: [PTWALK_BIT(PTWALK_B_RW)] = "W". */
#define PTWALK_BIT(flag)	__builtin_ctz(flag)

/* PTWALK_B_* by bit number; PSE is PS at pmd/pud and PAT at pte. */
PTWALK_TABLE ptwalk_bit_names[32] = {
	[PTWALK_BIT(PTWALK_B_PRESENT)] = "P",
	[PTWALK_BIT(PTWALK_B_RW)] = "W",
	[PTWALK_BIT(PTWALK_B_USER)] = "U",
	[PTWALK_BIT(PTWALK_B_PWT)] = "PWT",
	[PTWALK_BIT(PTWALK_B_PCD)] = "PCD",
	[PTWALK_BIT(PTWALK_B_ACCESSED)] = "A",
	[PTWALK_BIT(PTWALK_B_DIRTY)] = "D",
	[PTWALK_BIT(PTWALK_B_PSE)] = "PS",
	[PTWALK_BIT(PTWALK_B_GLOBAL)] = "G",
	[PTWALK_BIT(PTWALK_B_NX)] = "NX",
	[PTWALK_BIT(PTWALK_B_PAT)] = "PAT",
	[PTWALK_BIT(PTWALK_B_SOFT_DIRTY)] = "sd",
	[PTWALK_BIT(PTWALK_B_UFFD_WP)] = "uffd-wp",
	[PTWALK_BIT(PTWALK_B_SPECIAL)] = "special",
	[PTWALK_BIT(PTWALK_B_DEVMAP)] = "devmap",
	[PTWALK_BIT(PTWALK_B_PROTNONE)] = "protnone",
	[PTWALK_BIT(PTWALK_B_SWP_EXCL)] = "swp-excl",
	[PTWALK_BIT(PTWALK_B_SAVED_DIRTY)] = "saved-dirty",
};

/* PTWALK_B_* by bit number on arm64 (hdr.arch PTWALK_ARCH_ARM64). */
PTWALK_TABLE ptwalk_arm64_bit_names[32] = {
	[PTWALK_BIT(PTWALK_B_PRESENT)] = "P",
	[PTWALK_BIT(PTWALK_B_RW)] = "W",
	[PTWALK_BIT(PTWALK_B_USER)] = "U",
	[PTWALK_BIT(PTWALK_B_ARM64_PXN)] = "PXN",
	[PTWALK_BIT(PTWALK_B_ARM64_CONT)] = "CONT",
	[PTWALK_BIT(PTWALK_B_ACCESSED)] = "A",
	[PTWALK_BIT(PTWALK_B_DIRTY)] = "D",
	[PTWALK_BIT(PTWALK_B_ARM64_RDONLY)] = "RO",
	[PTWALK_BIT(PTWALK_B_ARM64_NG)] = "nG",
	[PTWALK_BIT(PTWALK_B_NX)] = "NX",
	[PTWALK_BIT(PTWALK_B_ARM64_DBM)] = "DBM",
	[PTWALK_BIT(PTWALK_B_ARM64_OSH)] = "OSH",
	[PTWALK_BIT(PTWALK_B_ARM64_ISH)] = "ISH",
	[PTWALK_BIT(PTWALK_B_ARM64_DEVICE)] = "DEVICE",
	[PTWALK_BIT(PTWALK_B_ARM64_NC)] = "NC",
	[PTWALK_BIT(PTWALK_B_ARM64_GP)] = "GP",
	[PTWALK_BIT(PTWALK_B_SOFT_DIRTY)] = "sd",
	[PTWALK_BIT(PTWALK_B_UFFD_WP)] = "uffd-wp",
	[PTWALK_BIT(PTWALK_B_SPECIAL)] = "special",
	[PTWALK_BIT(PTWALK_B_DEVMAP)] = "devmap",
	[PTWALK_BIT(PTWALK_B_PROTNONE)] = "protnone",
	[PTWALK_BIT(PTWALK_B_SWP_EXCL)] = "swp-excl",
	[PTWALK_BIT(PTWALK_B_SAVED_DIRTY)] = "saved-dirty",
	[PTWALK_BIT(PTWALK_B_ARM64_SH_TCR)] = "sh-tcr",
	[PTWALK_BIT(PTWALK_B_ARM64_NGNRNE)] = "nGnRnE",
	[PTWALK_BIT(PTWALK_B_ARM64_NGNRE)] = "nGnRE",
	[PTWALK_BIT(PTWALK_B_ARM64_GCS)] = "gcs",
};

/* The PTWALK_B_* names of a stream's architecture (hdr.arch). */
static inline __maybe_unused const char *const *ptwalk_arch_bit_names(int arch)
{
	return arch == PTWALK_ARCH_ARM64 ? ptwalk_arm64_bit_names :
					   ptwalk_bit_names;
}

/* PTWALK_P_* by bit number. */
PTWALK_TABLE ptwalk_page_names[32] = {
	[PTWALK_BIT(PTWALK_P_ANON)] = "anon",
	[PTWALK_BIT(PTWALK_P_FILE)] = "file",
	[PTWALK_BIT(PTWALK_P_SHMEM)] = "shmem",
	[PTWALK_BIT(PTWALK_P_KSM)] = "ksm",
	[PTWALK_BIT(PTWALK_P_ZERO)] = "zero",
	[PTWALK_BIT(PTWALK_P_HUGE_ZERO)] = "huge-zero",
	[PTWALK_BIT(PTWALK_P_THP)] = "thp",
	[PTWALK_BIT(PTWALK_P_HUGETLB)] = "hugetlb",
	[PTWALK_BIT(PTWALK_P_ANON_EXCL)] = "excl",
	[PTWALK_BIT(PTWALK_P_LRU)] = "lru",
	[PTWALK_BIT(PTWALK_P_ACTIVE)] = "active",
	[PTWALK_BIT(PTWALK_P_REFERENCED)] = "referenced",
	[PTWALK_BIT(PTWALK_P_DIRTY)] = "dirty",
	[PTWALK_BIT(PTWALK_P_WRITEBACK)] = "writeback",
	[PTWALK_BIT(PTWALK_P_MLOCKED)] = "mlocked",
	[PTWALK_BIT(PTWALK_P_UNEVICTABLE)] = "unevictable",
	[PTWALK_BIT(PTWALK_P_SWAPCACHE)] = "swapcache",
	[PTWALK_BIT(PTWALK_P_NOPAGE)] = "nopage",
	[PTWALK_BIT(PTWALK_P_SHARED)] = "shared",
	[PTWALK_BIT(PTWALK_P_HIDDEN)] = "hidden",
	[PTWALK_BIT(PTWALK_P_TABLE_SHARED)] = "table-shared",
};

/* The "pg=" group of page facts: the page-cache and LRU flags. */
#define PTWALK_P_PGFLAGS_MASK	(PTWALK_P_LRU | PTWALK_P_ACTIVE | \
				 PTWALK_P_REFERENCED | PTWALK_P_DIRTY | \
				 PTWALK_P_WRITEBACK | PTWALK_P_MLOCKED | \
				 PTWALK_P_UNEVICTABLE | PTWALK_P_SWAPCACHE)

/* PTWALK_VMA_* by bit number: /proc/PID/smaps VmFlags mnemonics. */
PTWALK_TABLE ptwalk_vma_names[32] = {
	[PTWALK_BIT(PTWALK_VMA_READ)] = "rd",
	[PTWALK_BIT(PTWALK_VMA_WRITE)] = "wr",
	[PTWALK_BIT(PTWALK_VMA_EXEC)] = "ex",
	[PTWALK_BIT(PTWALK_VMA_SHARED)] = "sh",
	[PTWALK_BIT(PTWALK_VMA_SOFTDIRTY)] = "sd",
	[PTWALK_BIT(PTWALK_VMA_PFNMAP)] = "pf",
	[PTWALK_BIT(PTWALK_VMA_MIXEDMAP)] = "mm",
	[PTWALK_BIT(PTWALK_VMA_HUGETLB)] = "ht",
	[PTWALK_BIT(PTWALK_VMA_LOCKED)] = "lo",
	[PTWALK_BIT(PTWALK_VMA_IO)] = "io",
	[PTWALK_BIT(PTWALK_VMA_GROWSDOWN)] = "gd",
	[PTWALK_BIT(PTWALK_VMA_UFFD_WP)] = "uw",
	[PTWALK_BIT(PTWALK_VMA_UFFD_MISSING)] = "um",
	[PTWALK_BIT(PTWALK_VMA_SHADOW_STACK)] = "ss",
	[PTWALK_BIT(PTWALK_VMA_HUGEPAGE)] = "hg",
	[PTWALK_BIT(PTWALK_VMA_NOHUGEPAGE)] = "nh",
	[PTWALK_BIT(PTWALK_VMA_MERGEABLE)] = "mg",
	[PTWALK_BIT(PTWALK_VMA_ANON)] = "an",
	[PTWALK_BIT(PTWALK_VMA_FILE)] = "fl",
};

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
	[PTWALK_BIT(PTWALK_MARKER_UFFD_WP)] = "uffd-wp",
	[PTWALK_BIT(PTWALK_MARKER_POISON)] = "poison",
	[PTWALK_BIT(PTWALK_MARKER_GUARD)] = "guard",
};

PTWALK_TABLE ptwalk_end_names[] = {
	[0] = "?", [PTWALK_END_COMPLETE] = "complete",
	[PTWALK_END_EXITED] = "exited", [PTWALK_END_STOPPED] = "stopped",
};

PTWALK_TABLE ptwalk_frame_state_names[] = {
	[0] = "?", [PTWALK_FRAME_MAPPED] = "mapped",
	[PTWALK_FRAME_UNMAPPED] = "unmapped", [PTWALK_FRAME_FREE] = "free",
	[PTWALK_FRAME_SLAB] = "slab", [PTWALK_FRAME_PGTABLE] = "pgtable",
	[PTWALK_FRAME_RESERVED] = "reserved", [PTWALK_FRAME_ZERO] = "zero",
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

static inline const char *ptwalk_frame_state_name(unsigned int s)
{
	return ptwalk_name(ptwalk_frame_state_names,
			   PTWALK_ARRAY_LEN(ptwalk_frame_state_names), s);
}

/* x86 memory types by ptwalk_pat_index() (kernel records). */
PTWALK_TABLE ptwalk_memtype_names[8] = {
	"WB", "WC", "UC-", "UC", "WB", "WP", "UC-", "WT",
};

#endif /* _PTWALK_NAMES_H */
