/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_arch_arm64.h - what ptwalk needs to know about arm64 page tables.
 *
 * The same interface as ptwalk_arch_x86.h, whose kerneldoc states each
 * function's contract; only the arm64 meaning is said here.  Decoded:
 * the 4K granule, 48-bit VA with 4 levels and 52-bit VA with LPA2 and 5
 * levels.  Debian's 6.1 is built for 48 bits; its 6.12 and 7.2 are built
 * for 52-bit VA with LPA2 and fall back to 48 bits and 4 levels on CPUs
 * without LPA2, which most arm64 servers are: whether the pgd (level -1)
 * is folded is known at run time only (pgtable_l5_enabled()).  With LPA2
 * (TCR_EL1.DS) output address bits 50-51 sit in descriptor bits 8-9,
 * where SH was: SH then comes from TCR_EL1.SH0 (PTWALK_B_ARM64_SH_TCR)
 * and PFNs from the kernel's own pte_pfn()/__pte_to_phys().  Other
 * granules and fewer levels are refused at load (ptwalk_arch_check()).
 * The entry bits' names are PTWALK_B_ARM64_* in include/ptwalk.h.
 */
#ifndef _PTWALK_ARCH_ARM64_H
#define _PTWALK_ARCH_ARM64_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>
#include "../include/ptwalk.h"

#define PTWALK_ARCH		PTWALK_ARCH_ARM64
#define PTWALK_ARCH_NAME	"arm64"
#define PTWALK_ARCH_BIT_NAMES	ptwalk_arm64_bit_names
/* BTI: a BLR must land on BTI C/JC or PACIASP/PACIBSP in a guarded page. */
#define PTWALK_ARCH_BT		"BTI"
#define PTWALK_ARCH_NO_PAD	"no BTI landing pad"
#define PTWALK_ARCH_A_PAD	"a BTI landing pad"
/* Debian's arm64 kernels are built without CONFIG_ARM64_BTI_KERNEL. */
#define PTWALK_ARCH_BT_OFF	"BTI not enforced (kernel built without BTI, or the CPU lacks it)"

/*
 * The output address of an entry: bits 12-49 (bits 48-49 are RES0
 * without LPA2), and with LPA2 bits 8-9 too (address bits 50-51).
 */
#define PTWALK_ARM64_OA_MASK	GENMASK_ULL(49, 12)
#define PTWALK_ARM64_OA_HIGH	GENMASK_ULL(9, 8)

/* TCR_EL1.DS at load (set by ptwalk_arch_check()). */
extern bool ptwalk_arm64_lpa2_on;

/*
 * Refuses other granules than 4K and fewer than 4 levels; reads MAIR_EL1
 * (memory types) and, with LPA2, TCR_EL1's SH0 once.
 */
int ptwalk_arch_check(const char **why);

/*
 * P is the valid bit; a present-invalid entry (PROT_NONE, NUMA hint:
 * pte_present() && !pte_valid()) reads PTWALK_B_PROTNONE without nG.  W is
 * pte_write(), D pte_dirty(); a table entry (@leaf false) reads P only.
 */
u32 ptwalk_arch_entry_bits(unsigned long raw, bool leaf);

/* POIndex (bits 60-62) where the kernel has permission overlays, else 0. */
u8 ptwalk_arch_pkey(unsigned long raw);

/* arm64 has no soft-dirty: 0. */
u32 ptwalk_arch_pmd_swp_bits(pmd_t pmd);

static inline unsigned long ptwalk_arch_pte_flags(pte_t pte)
{
	return pte_val(pte) & ~(PTWALK_ARM64_OA_MASK |
				(ptwalk_arm64_lpa2_on ? PTWALK_ARM64_OA_HIGH : 0));
}

/* ptwalk_hide_raw_arch(), and with LPA2 without address bits 50-51. */
static inline u64 ptwalk_arch_hide_raw(u64 raw, int present)
{
	if (present && ptwalk_arm64_lpa2_on)
		raw &= ~PTWALK_ARM64_OA_HIGH;
	return ptwalk_hide_raw_arch(raw, present, PTWALK_ARCH_ARM64);
}

/* Bits 1:0 say it: 0b11 a table (above the PTE level), 0b01 a block. */
int ptwalk_arch_level_kind(int level, unsigned long raw);

/* No PAT on arm64. */
static inline u32 ptwalk_arch_pat_bit(int level)
{
	return 0;
}

/* 5 with 52-bit VA (LPA2, the pgd is level -1), else 4. */
int ptwalk_arch_paging_levels(void);

/*
 * Built for 5 levels (Debian's 6.12 and 7.2: 52-bit VA, LPA2) and running
 * with 4 (a CPU without LPA2, or arm64.nolva): the pgd is folded at run
 * time and the p4d is the top level's entry.
 */
bool ptwalk_arch_p4d_is_top(void);

/*
 * As arm64's huge_pte_offset(): PUD (1G), PMD (2M), contiguous PMDs (32M)
 * or contiguous PTEs (64K): the first entry of a contiguous run.
 */
pte_t *ptwalk_arch_huge_pte_offset(struct mm_struct *mm, unsigned long addr,
				   unsigned long sz);

/*
 * As arm64's huge_ptep_get() (not exported): the A and D bits of a
 * contiguous run are gathered from all its entries.
 */
pte_t ptwalk_arch_huge_ptep_get(pte_t *ptep, unsigned long sz);

/* Whether the kernel's text is BTI-guarded (CONFIG_ARM64_BTI_KERNEL). */
bool ptwalk_arch_ibt_enforced(void);

/*
 * @landing: BTI C, BTI JC, PACIASP or PACIBSP at @entry (a BLR target in a
 * guarded page).  A kprobe address one instruction past one is moved back.
 */
int ptwalk_arch_call_entry(unsigned long kp_addr, unsigned long *entry,
			   bool *landing);

#endif /* _PTWALK_ARCH_ARM64_H */
