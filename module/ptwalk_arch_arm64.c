// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_arch_arm64.c - arm64 entry bits, levels and call targets.
 *
 * The contracts are ptwalk_arch_x86.h's; ptwalk_arch_arm64.h says what
 * differs.  Every decision about a present entry goes through the
 * kernel's own inline helpers (pte_present(), pte_valid(), pte_write(),
 * pte_dirty(), pte_hw_dirty(), pte_sw_dirty()), whose encodings moved
 * between 6.1 and 6.12 (PTE_PROT_NONE became PTE_PRESENT_INVALID).
 */
#include <linux/bitfield.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>
#include "ptwalk_compat.h"
#include "ptwalk_arch_arm64.h"

/* A64 encodings of the instructions a BLR may land on. */
#define PTWALK_BTI_C	0xd503245fU
#define PTWALK_BTI_JC	0xd50324dfU
#define PTWALK_PACIASP	0xd503233fU
#define PTWALK_PACIBSP	0xd503237fU

/* MAIR_EL1 at load: AttrIndx n is its byte n. */
static u64 ptwalk_mair;
/* TCR_EL1.DS at load: LPA2 descriptors (see ptwalk_arch_arm64.h). */
bool ptwalk_arm64_lpa2_on;
/* With LPA2: TCR_EL1.SH0, the shareability of every TTBR0 (user) walk. */
static u32 ptwalk_tcr_sh;

int ptwalk_arch_check(const char **why)
{
	*why = NULL;
	if (PAGE_SHIFT != 12) {
		*why = "only the 4K granule is decoded (this kernel uses 16K or 64K pages)";
		return -EOPNOTSUPP;
	}
	if (CONFIG_PGTABLE_LEVELS < 4) {
		*why = "only 48-bit VA with 4 levels is decoded (this kernel has fewer levels)";
		return -EOPNOTSUPP;
	}
	if (vabits_actual != 48 && vabits_actual != 52) {
		*why = "only 48-bit and 52-bit VA are decoded";
		return -EOPNOTSUPP;
	}
	ptwalk_mair = read_sysreg(mair_el1);
	ptwalk_arm64_lpa2_on = ptwalk_arm64_lpa2();
	if (ptwalk_arm64_lpa2_on) {
		u64 sh = FIELD_GET(TCR_SH0_MASK, read_sysreg(tcr_el1));

		ptwalk_tcr_sh = PTWALK_B_ARM64_SH_TCR |
				(sh == 3 ? PTWALK_B_ARM64_ISH :
				 sh == 2 ? PTWALK_B_ARM64_OSH : 0);
	}
	return 0;
}

/*
 * PTWALK_B_ARM64_DEVICE (with NGNRNE or NGNRE) or _NC for an AttrIndx,
 * through MAIR_EL1.
 */
static u32 ptwalk_memtype(unsigned long raw)
{
	unsigned int idx = (raw & PTE_ATTRINDX_MASK) >> 2;
	u8 attr = ptwalk_mair >> (8 * idx);

	if (!(attr & 0xf0))			/* Device-nGnRnE ... -GRE */
		return PTWALK_B_ARM64_DEVICE |
		       (attr == 0x00 ? PTWALK_B_ARM64_NGNRNE :
			attr == 0x04 ? PTWALK_B_ARM64_NGNRE : 0);
	if (attr == 0x44)
		return PTWALK_B_ARM64_NC;	/* Normal, inner/outer NC */
	return 0;
}

u32 ptwalk_arch_entry_bits(unsigned long raw, bool leaf)
{
	pte_t pte = __pte(raw);
	u32 b = 0;

	b |= pte_valid(pte) ? PTWALK_B_PRESENT : 0;
	if (!leaf)
		return b;
	b |= pte_write(pte) ? PTWALK_B_RW : 0;
	b |= raw & PTE_USER ? PTWALK_B_USER : 0;
	b |= raw & PTE_PXN ? PTWALK_B_ARM64_PXN : 0;
	b |= raw & PTE_CONT ? PTWALK_B_ARM64_CONT : 0;
	b |= raw & PTE_AF ? PTWALK_B_ACCESSED : 0;
	b |= pte_dirty(pte) ? PTWALK_B_DIRTY : 0;
	b |= raw & PTE_RDONLY ? PTWALK_B_ARM64_RDONLY : 0;
	b |= raw & PTE_NG ? PTWALK_B_ARM64_NG : 0;
	b |= raw & PTE_UXN ? PTWALK_B_NX : 0;
	b |= raw & PTE_DBM ? PTWALK_B_ARM64_DBM : 0;
	/* With LPA2, bits 8-9 are output address bits 50-51. */
	if (ptwalk_arm64_lpa2_on)
		b |= ptwalk_tcr_sh;
	else if ((raw & PTE_SHARED) == PTE_SHARED)
		b |= PTWALK_B_ARM64_ISH;
	else if (raw & BIT(9))
		b |= PTWALK_B_ARM64_OSH;
	b |= ptwalk_memtype(raw);
	b |= raw & PTE_GP ? PTWALK_B_ARM64_GP : 0;
	/* Untested in guests: QEMU 7.2 does not emulate FEAT_GCS. */
	if (ptwalk_arm64_gcs() && ptwalk_arm64_is_gcs(raw))
		b |= PTWALK_B_ARM64_GCS;
	b |= pte_special(pte) ? PTWALK_B_SPECIAL : 0;
	b |= raw & PTWALK_ARM64_PTE_DEVMAP ? PTWALK_B_DEVMAP : 0;
	b |= pte_uffd_wp(pte) ? PTWALK_B_UFFD_WP : 0;
	if (pte_sw_dirty(pte) && !pte_hw_dirty(pte))
		b |= PTWALK_B_SAVED_DIRTY;
	/* Present to the kernel, invalid to the MMU: PROT_NONE, NUMA hint. */
	if (pte_present(pte) && !pte_valid(pte))
		b = (b & ~PTWALK_B_ARM64_NG) | PTWALK_B_PROTNONE;
	return b;
}

u8 ptwalk_arch_pkey(unsigned long raw)
{
	return (raw & PTWALK_ARM64_PO_IDX_MASK) >> 60;
}

u32 ptwalk_arch_pmd_swp_bits(pmd_t pmd)
{
	return 0;
}

int ptwalk_arch_level_kind(int level, unsigned long raw)
{
	if (!raw)
		return PTWALK_K_NONE;
	if (level != PTWALK_LVL_PTE && (raw & PTE_TYPE_MASK) == PMD_TYPE_TABLE)
		return PTWALK_K_TABLE;
	if (pte_present(__pte(raw)))
		return PTWALK_K_PRESENT;
	return PTWALK_K_UNKNOWN;
}

int ptwalk_arch_paging_levels(void)
{
	return ptwalk_arm64_l5() ? 5 : 4;
}

bool ptwalk_arch_p4d_is_top(void)
{
	return CONFIG_PGTABLE_LEVELS > 4 && !ptwalk_arm64_l5();
}

pte_t *ptwalk_arch_huge_pte_offset(struct mm_struct *mm, unsigned long addr,
				   unsigned long sz)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud, pudv;
	pmd_t *pmd, pmdv;

	if (!pgd_present(READ_ONCE(*pgd)))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (!p4d_present(READ_ONCE(*p4d)))
		return NULL;
	pud = pud_offset(p4d, addr);
	pudv = READ_ONCE(*pud);
	if (sz != PUD_SIZE && pud_none(pudv))
		return NULL;
	if (sz == PUD_SIZE || !pud_present(pudv) || pud_leaf(pudv))
		return (pte_t *)pud;
	if (sz == CONT_PMD_SIZE)
		addr &= CONT_PMD_MASK;
	pmd = pmd_offset(pud, addr);
	pmdv = READ_ONCE(*pmd);
	if (sz != PMD_SIZE && sz != CONT_PMD_SIZE && pmd_none(pmdv))
		return NULL;
	if (sz == PMD_SIZE || sz == CONT_PMD_SIZE || !pmd_present(pmdv) ||
	    pmd_leaf(pmdv))
		return (pte_t *)pmd;
	if (sz == CONT_PTE_SIZE)
		return pte_offset_kernel(pmd, addr & CONT_PTE_MASK);
	return NULL;
}

pte_t ptwalk_arch_huge_ptep_get(pte_t *ptep, unsigned long sz)
{
	pte_t pte = ptep_get(ptep);
	int i, n;

	if (!pte_present(pte) || !pte_cont(pte))
		return pte;
	n = sz == CONT_PMD_SIZE ? CONT_PMDS : sz == CONT_PTE_SIZE ? CONT_PTES : 1;
	for (i = 1; i < n; i++) {
		pte_t e = ptep_get(ptep + i);

		if (pte_dirty(e))
			pte = pte_mkdirty(pte);
		if (pte_young(e))
			pte = pte_mkyoung(pte);
	}
	return pte;
}

bool ptwalk_arch_ibt_enforced(void)
{
	return IS_ENABLED(CONFIG_ARM64_BTI_KERNEL) && system_supports_bti();
}

static bool ptwalk_is_pad(u32 insn)
{
	return insn == PTWALK_BTI_C || insn == PTWALK_BTI_JC ||
	       insn == PTWALK_PACIASP || insn == PTWALK_PACIBSP;
}

int ptwalk_arch_call_entry(unsigned long kp_addr, unsigned long *entry,
			   bool *landing)
{
	u32 insn = 0, before = 0;

	*entry = kp_addr;
	if (get_kernel_nofault(insn, (u32 *)kp_addr))
		return -EFAULT;
	if (!ptwalk_is_pad(insn) &&
	    !get_kernel_nofault(before, (u32 *)(kp_addr - 4)) &&
	    ptwalk_is_pad(before)) {
		*entry = kp_addr - 4;
		insn = before;
	}
	*landing = ptwalk_is_pad(insn);
	return 0;
}
