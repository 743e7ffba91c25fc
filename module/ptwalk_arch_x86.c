// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_arch_x86.c - x86-64 entry bits, levels and call targets.
 *
 * Each function's contract (kerneldoc with Return: and Locking:) is in
 * ptwalk_arch_x86.h, the interface another architecture implements.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include "ptwalk_compat.h"
#include "ptwalk_arch_x86.h"

#define PTWALK_ENDBR64	0xfa1e0ff3U	/* f3 0f 1e fa */

static u32 ptwalk_hw_bits(unsigned long flags)
{
	u32 b = 0;

	b |= flags & _PAGE_PRESENT ? PTWALK_B_PRESENT : 0;
	b |= flags & _PAGE_RW ? PTWALK_B_RW : 0;
	b |= flags & _PAGE_USER ? PTWALK_B_USER : 0;
	b |= flags & _PAGE_PWT ? PTWALK_B_PWT : 0;
	b |= flags & _PAGE_PCD ? PTWALK_B_PCD : 0;
	b |= flags & _PAGE_ACCESSED ? PTWALK_B_ACCESSED : 0;
	b |= flags & _PAGE_DIRTY ? PTWALK_B_DIRTY : 0;
	b |= flags & _PAGE_PSE ? PTWALK_B_PSE : 0;
	b |= flags & _PAGE_GLOBAL ? PTWALK_B_GLOBAL : 0;
	b |= flags & _PAGE_NX ? PTWALK_B_NX : 0;
	b |= flags & _PAGE_SOFT_DIRTY ? PTWALK_B_SOFT_DIRTY : 0;
	b |= flags & _PAGE_UFFD_WP ? PTWALK_B_UFFD_WP : 0;
	b |= flags & _PAGE_SPECIAL ? PTWALK_B_SPECIAL : 0;
	b |= flags & PTWALK_PTE_DEVMAP ? PTWALK_B_DEVMAP : 0;
	return b;
}

u32 ptwalk_arch_entry_bits(unsigned long raw, bool leaf)
{
	unsigned long flags = raw & ~PTE_PFN_MASK;
	u32 bits = ptwalk_hw_bits(flags);

	if (leaf && (flags & PTWALK_PAGE_SAVED_DIRTY))
		bits |= PTWALK_B_DIRTY | PTWALK_B_SAVED_DIRTY;
	/*
	 * Present but not accessible: PROT_NONE or a NUMA-hinting entry.  The
	 * hardware sees P clear; _PAGE_PROTNONE reuses the G bit.
	 */
	if ((flags & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE)
		bits = (bits & ~PTWALK_B_GLOBAL) | PTWALK_B_PROTNONE;
	return bits;
}

u8 ptwalk_arch_pkey(unsigned long raw)
{
	return (raw & _PAGE_PKEY_MASK) >> _PAGE_BIT_PKEY_BIT0;
}

u32 ptwalk_arch_pmd_swp_bits(pmd_t pmd)
{
	return pmd_val(pmd) & _PAGE_SWP_SOFT_DIRTY ? PTWALK_B_SOFT_DIRTY : 0;
}

int ptwalk_arch_level_kind(int level, unsigned long raw)
{
	if (!raw)
		return PTWALK_K_NONE;
	if (!(raw & (_PAGE_PRESENT | _PAGE_PROTNONE)))
		return PTWALK_K_UNKNOWN;
	if (level == PTWALK_LVL_PTE || (raw & _PAGE_PSE))
		return PTWALK_K_PRESENT;
	return PTWALK_K_TABLE;
}

int ptwalk_arch_paging_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

pte_t *ptwalk_arch_huge_pte_offset(struct mm_struct *mm, unsigned long addr,
				   unsigned long sz)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;

	if (!pgd_present(READ_ONCE(*pgd)))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (!p4d_present(READ_ONCE(*p4d)))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (sz == PUD_SIZE)
		return (pte_t *)pud;
	if (!pud_present(READ_ONCE(*pud)))
		return NULL;
	return (pte_t *)pmd_offset(pud, addr);
}

bool ptwalk_arch_ibt_enforced(void)
{
	return cpu_feature_enabled(X86_FEATURE_IBT);
}

int ptwalk_arch_call_entry(unsigned long kp_addr, unsigned long *entry,
			   bool *landing)
{
	u32 insn = 0, before = 0;

	*entry = kp_addr;
	if (!get_kernel_nofault(before, (u32 *)(kp_addr - 4)) &&
	    before == PTWALK_ENDBR64)
		*entry = kp_addr - 4;
	if (get_kernel_nofault(insn, (u32 *)*entry))
		return -EFAULT;
	*landing = insn == PTWALK_ENDBR64;
	return 0;
}
