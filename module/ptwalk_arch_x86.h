/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_arch_x86.h - what ptwalk needs to know about x86-64 page tables.
 *
 * The walker and the formatter are architecture neutral: they read entries
 * through the kernel's generic accessors (pte_present(), pte_pfn(),
 * pmd_leaf(), the swap-entry helpers) and ask this interface for the rest:
 * how an entry's bits map to PTWALK_B_*, its protection key, its bits
 * without the frame, what a translation level holds, how many levels there
 * are, where a hugetlb entry lives and whether a resolved kernel function
 * may be called through a pointer.  Another architecture (arm64 is next)
 * provides the same functions in a file of its own; the per-architecture
 * meaning of the record fields is stated in include/ptwalk.h, including
 * the raw PFN field and its L1TF-inverted form (ptwalk_raw_pfn_form()),
 * which the kernel's pte_pfn()/pmd_pfn() undo for the module.
 *
 * Kernel-version differences (SavedDirty, devmap, uffd-wp bits) stay in
 * ptwalk_compat.h.  Every function here is pure and lock free unless it
 * says otherwise.
 */
#ifndef _PTWALK_ARCH_X86_H
#define _PTWALK_ARCH_X86_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>
#include "../include/ptwalk.h"

/* struct ptwalk_hdr.arch and the text header's arch= value. */
#define PTWALK_ARCH		PTWALK_ARCH_X86_64
#define PTWALK_ARCH_NAME	"x86_64"
/* The names of PTWALK_B_* (include/ptwalk_names.h) on this architecture. */
#define PTWALK_ARCH_BIT_NAMES	ptwalk_bit_names
/*
 * The walker's words for the branch-target check and its landing pad
 * (ptwalk_walker.c's reasons: "IBT enforced and walk_page_range has no
 * ENDBR (sealed)").
 */
#define PTWALK_ARCH_BT		"IBT"
#define PTWALK_ARCH_NO_PAD	"no ENDBR (sealed)"
#define PTWALK_ARCH_A_PAD	"an ENDBR"
#define PTWALK_ARCH_BT_OFF	"IBT not enforced on this CPU"

/**
 * ptwalk_arch_check - can this kernel's page tables be decoded?
 * @why: set to a one-line reason when not
 *
 * x86-64 kernels always can (4 or 5 levels, 4K pages).
 *
 * Locking: module init only.
 * Return: 0, or -EOPNOTSUPP with @why set.
 */
static inline int ptwalk_arch_check(const char **why)
{
	*why = NULL;
	return 0;
}

/**
 * ptwalk_arch_entry_bits - PTWALK_B_* of a present entry at any level
 * @raw: the entry as stored (pte_val(), pmd_val(), ...)
 * @leaf: the entry maps a page: its D bit is pte_dirty()'s (SavedDirty
 *	included); a table entry's is not
 *
 * A PROT_NONE or NUMA-hinting entry reads PTWALK_B_PROTNONE, not G (x86's
 * _PAGE_PROTNONE reuses the G bit).
 *
 * Locking: none; @raw is a value already read.
 * Return: the bits.
 */
u32 ptwalk_arch_entry_bits(unsigned long raw, bool leaf);

/**
 * ptwalk_arch_pkey - protection key of a present entry
 * @raw: the entry as stored
 *
 * Locking: none.
 * Return: the key (0 without pkeys).
 */
u8 ptwalk_arch_pkey(unsigned long raw);

/**
 * ptwalk_arch_pmd_swp_bits - software bits of a non-present huge PMD
 * @pmd: a migration (swap-format) PMD
 *
 * Locking: none; @pmd is a value read under the PMD lock.
 * Return: PTWALK_B_SOFT_DIRTY or 0.
 */
u32 ptwalk_arch_pmd_swp_bits(pmd_t pmd);

/**
 * ptwalk_arch_pte_flags - a present PTE without its frame
 * @pte: the entry
 *
 * Two PTEs with equal flags differ only in the page they map (the memo's
 * key, struct ptwalk_memo).
 *
 * Locking: none.
 * Return: the entry with its PFN field cleared.
 */
static inline unsigned long ptwalk_arch_pte_flags(pte_t pte)
{
	return pte_val(pte) & ~PTE_PFN_MASK;
}

/**
 * ptwalk_arch_hide_raw - @raw as the unprivileged view shows it
 * @raw: an entry
 * @present: it maps a page or table (see ptwalk_hide_raw())
 *
 * Locking: none.
 * Return: ptwalk_hide_raw_arch() of x86-64.
 */
static inline u64 ptwalk_arch_hide_raw(u64 raw, int present)
{
	return ptwalk_hide_raw_arch(raw, present, PTWALK_ARCH_X86_64);
}

/**
 * ptwalk_arch_level_kind - what one level of a translation holds
 * @level: enum ptwalk_level of the entry
 * @raw: the entry as stored
 *
 * Locking: none.
 * Return: PTWALK_K_NONE (empty), PTWALK_K_UNKNOWN (not present: swap-style,
 * the entry record says more), PTWALK_K_PRESENT (the leaf: a PTE or a huge
 * entry) or PTWALK_K_TABLE (points to the next level's table).
 */
int ptwalk_arch_level_kind(int level, unsigned long raw);

/**
 * ptwalk_arch_pat_bit - the PTWALK_B_* bit that is PAT at @level
 * @level: enum ptwalk_level
 *
 * x86 has one bit 7: PAT in a PTE, PS (page size) in a PMD or PUD; the text
 * formats name it after its meaning at the entry's level.
 *
 * Locking: none.
 * Return: PTWALK_B_PSE for a PTE, else 0.
 */
static inline u32 ptwalk_arch_pat_bit(int level)
{
	return level == PTWALK_LVL_PTE ? PTWALK_B_PSE : 0;
}

/**
 * ptwalk_arch_paging_levels - how many levels translate a user address
 *
 * With 4 levels the p4d is folded into the pgd: a translation has no p4d
 * level then.
 *
 * Locking: none.
 * Return: 4 or 5.
 */
int ptwalk_arch_paging_levels(void);

/**
 * ptwalk_arch_p4d_is_top - is the p4d the top level with 4-level paging?
 *
 * x86 folds the p4d into the pgd (p4d_offset() returns the pgd entry, and
 * pgd_index() follows the paging mode): the pgd is the top.  arm64 kernels
 * built for 5 levels fold the pgd instead (ptwalk_arch_arm64.h).
 *
 * Locking: none.
 * Return: false.
 */
static inline bool ptwalk_arch_p4d_is_top(void)
{
	return false;
}

/**
 * ptwalk_arch_huge_pte_offset - the slot of a hugetlb entry, as
 *	huge_pte_offset() (not exported) finds it
 * @mm: the address space
 * @addr: a huge-page aligned address
 * @sz: the huge page size (PUD_SIZE or PMD_SIZE)
 *
 * x86 hugetlb entries are ordinary PUD (1G) or PMD (2M) entries.
 *
 * Locking: the caller holds @mm's mmap lock for read and whatever keeps a
 * shared PMD table alive (the hugetlb VMA lock or i_mmap_rwsem).
 * Return: the entry's slot, or NULL when an upper level is not present.
 */
pte_t *ptwalk_arch_huge_pte_offset(struct mm_struct *mm, unsigned long addr,
				   unsigned long sz);

/**
 * ptwalk_arch_huge_ptep_get - read a hugetlb entry
 * @ptep: its slot (ptwalk_arch_huge_pte_offset() or the walker's)
 * @sz: the huge page size
 *
 * x86 hugetlb entries are single PMD or PUD entries, read as a PTE; an
 * architecture with contiguous huge entries gathers their A/D bits here
 * (huge_ptep_get(), whose arguments differ between kernel versions).
 *
 * Locking: the caller holds the huge page-table lock.
 * Return: the entry.
 */
static inline pte_t ptwalk_arch_huge_ptep_get(pte_t *ptep, unsigned long sz)
{
	return ptep_get(ptep);
}

/**
 * ptwalk_arch_ibt_enforced - does the CPU check indirect branch targets?
 *
 * Locking: none.
 * Return: whether Intel IBT is enforced for kernel code (arm64: BTI).
 */
bool ptwalk_arch_ibt_enforced(void);

/**
 * ptwalk_arch_call_entry - where an indirect call to a kprobed function
 *	must go, and whether it starts with a landing pad
 * @kp_addr: the kprobe's address of the function
 * @entry: set to the function's first byte
 * @landing: set when an intact ENDBR64 sits at @entry; apply_seal_endbr()
 *	overwrites it in functions whose address the kernel never takes
 *
 * kprobes skip an intact ENDBR, so @kp_addr is then the function + 4.
 *
 * Locking: none; reads kernel text with get_kernel_nofault().
 * Return: 0, or -EFAULT when the text cannot be read.
 */
int ptwalk_arch_call_entry(unsigned long kp_addr, unsigned long *entry,
			   bool *landing);

#endif /* _PTWALK_ARCH_X86_H */
