/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_compat.h - every kernel-version difference ptwalk cares about.
 *
 * Tested on Debian 6.1, 6.12 and 7.2.  Features are detected by what the
 * headers provide (a header's presence, tested in Kbuild; macros) where
 * possible; version checks are used only where nothing else tells the APIs
 * apart.  Debian's 6.12 carries a partial softleaf backport (a
 * softleaf_from_pte macro but no leafops.h), so the header decides.
 */
#ifndef _PTWALK_COMPAT_H
#define _PTWALK_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/pagewalk.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/huge_mm.h>
#include <linux/memcontrol.h>
#include <linux/rcupdate.h>
#include "../include/ptwalk.h"
/* Set by Kbuild when the headers have leafops.h (sparse lacks __has_include). */
#ifdef PTWALK_HAVE_LEAFOPS
#include <linux/leafops.h>
#endif

/* mm_walk_ops.walk_lock: 6.5+.  PGWALK_RDLOCK is the zero value. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define PTWALK_OPS_WALK_LOCK	.walk_lock = PGWALK_RDLOCK,
#else
#define PTWALK_OPS_WALK_LOCK
#endif

/*
 * pmdp_get_lockless() exists on 6.1 only for 32-bit PAE; on x86-64 a PMD is
 * one word and READ_ONCE() is what the helper does.
 */
#define ptwalk_pmdp_get(pmdp)	READ_ONCE(*(pmdp))

/* pmd_devmap()/pte_devmap() went away with ZONE_DEVICE devmap (6.17). */
#ifdef _PAGE_DEVMAP
#define ptwalk_pmd_devmap(pmd)	pmd_devmap(pmd)
#define ptwalk_pud_devmap(pud)	pud_devmap(pud)
#define PTWALK_PTE_DEVMAP	_PAGE_DEVMAP
#else
static inline bool ptwalk_pmd_devmap(pmd_t pmd)
{
	return false;
}

static inline bool ptwalk_pud_devmap(pud_t pud)
{
	return false;
}

#define PTWALK_PTE_DEVMAP	0
#endif

/*
 * p4d_index(): arm64's 6.1 (folded p4d, pgtable-nop4d.h) has none; this is
 * x86's definition (the only caller runs with 5 levels).
 */
#define ptwalk_p4d_index(addr)	(((addr) >> P4D_SHIFT) & (PTRS_PER_P4D - 1))

/*
 * arm64: PTE_DEVMAP (bit 57) until 6.17 removed it; the permission overlay
 * index POIndex (bits 60-62, PTE_PO_IDX_MASK) from 6.12 (FEAT_S1POE).
 */
#ifdef PTE_DEVMAP
#define PTWALK_ARM64_PTE_DEVMAP		PTE_DEVMAP
#else
#define PTWALK_ARM64_PTE_DEVMAP		0
#endif
/*
 * arm64 LPA2 (6.9+; Debian's 6.12 and 7.2 are built with it): in use when
 * TCR_EL1.DS is set, and then the pgd is a fifth level.
 */
#ifdef CONFIG_ARM64_LPA2
#define ptwalk_arm64_lpa2()	lpa2_is_enabled()
#else
#define ptwalk_arm64_lpa2()	false
#endif
#if defined(CONFIG_ARM64) && CONFIG_PGTABLE_LEVELS > 4
#define ptwalk_arm64_l5()	pgtable_l5_enabled()
#else
#define ptwalk_arm64_l5()	false
#endif
/* arm64 Guarded Control Stacks (6.13+, FEAT_GCS; Debian's 7.2 has them). */
#ifdef CONFIG_ARM64_GCS
#define ptwalk_arm64_gcs()	system_supports_gcs()
#else
#define ptwalk_arm64_gcs()	false
#endif
#if defined(PTE_PO_IDX_MASK) && IS_ENABLED(CONFIG_ARM64_POE)
#define PTWALK_ARM64_PO_IDX_MASK	PTE_PO_IDX_MASK
#else
#define PTWALK_ARM64_PO_IDX_MASK	0
#endif

/*
 * x86's SavedDirty (bit 58, 6.6+ with user shadow stacks): where a
 * write-protected leaf keeps its D bit; pte_dirty() tests both.
 */
#ifdef _PAGE_SAVED_DIRTY
#define PTWALK_PAGE_SAVED_DIRTY	_PAGE_SAVED_DIRTY
#else
#define PTWALK_PAGE_SAVED_DIRTY	0
#endif

/*
 * A huge leaf without a struct page to look at: in a PFN map, or marked
 * special in a mixed map (6.12+: ARCH_SUPPORTS_PMD/PUD_PFNMAP, as
 * vm_normal_page_pmd() reads it).  Elsewhere the special bit says nothing
 * ptwalk needs: 7.2 marks the huge zero page's PMD special too, and that
 * page is reported as the huge zero page.
 */
static inline bool ptwalk_pmd_special(struct vm_area_struct *vma, pmd_t pmd)
{
	if (vma->vm_flags & VM_PFNMAP)
		return true;
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	if ((vma->vm_flags & VM_MIXEDMAP) && pmd_special(pmd))
		return true;
#endif
	return false;
}

static inline bool ptwalk_pud_special(struct vm_area_struct *vma, pud_t pud)
{
	if (vma->vm_flags & VM_PFNMAP)
		return true;
#ifdef CONFIG_ARCH_SUPPORTS_PUD_PFNMAP
	if ((vma->vm_flags & VM_MIXEDMAP) && pud_special(pud))
		return true;
#endif
	return false;
}

/* The VMA is soft-dirty as a whole (VM_SOFTDIRTY is 0 without the config). */
static inline bool ptwalk_vma_soft_dirty(struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_SOFTDIRTY;
}

/*
 * walk_page_range() takes the hugetlb VMA lock around hugetlb_entry from
 * 6.2 on; before, a shared PMD table can be unshared and freed under it.
 */
#define PTWALK_KERNEL_WALK_HUGETLB_UNLOCKED \
	(LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0))

/*
 * The kernel's per-page mapcount of @page in @folio (not hugetlb): what
 * /proc/kpagecount reports.  Up to 6.1 a PMD-mapped file or shmem THP
 * counts its mapping in every page's _mapcount as well as in the folio's
 * entire mapcount, which page_mapcount() (via the exported
 * __page_mapcount()) knows; from 6.2 on the entire mapcount is separate.
 */
static inline int ptwalk_page_mapcount(struct folio *folio, struct page *page,
				       bool large)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	return page_mapcount(page);
#else
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (large)
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
#endif
}

#ifndef _PAGE_UFFD_WP
#define _PAGE_UFFD_WP		0
#endif
#ifndef _PAGE_SOFT_DIRTY
#define _PAGE_SOFT_DIRTY	0
#endif

/* VM_SHADOW_STACK: 6.6+ (VM_NONE without CONFIG_X86_USER_SHADOW_STACK). */
#ifndef VM_SHADOW_STACK
#define VM_SHADOW_STACK		VM_NONE
#endif

/* A page's flags word: memdesc_flags_t (a struct) from 6.18. */
static inline unsigned long ptwalk_page_flags(const struct page *page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0)
	return READ_ONCE(page->flags.f);
#else
	return READ_ONCE(page->flags);
#endif
}

#define ptwalk_folio_flags(folio)	ptwalk_page_flags(&(folio)->page)

/* The folio's "maybe shared" estimate: renamed twice. */
static inline bool ptwalk_folio_maybe_shared(struct folio *folio)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
	return folio_maybe_mapped_shared(folio);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	return folio_likely_mapped_shared(folio);
#else
	return folio_estimated_sharers(folio) > 1;
#endif
}

/*
 * A non-present, non-none entry decoded into kind, swap type/offset,
 * migration flavour, marker bits and PFN.  swapops.h in 6.1/6.12, the
 * softleaf API (leafops.h) from 6.19 on.
 */
struct ptwalk_leaf {
	int kind;		/* enum ptwalk_kind */
	unsigned int sub;	/* PTWALK_MIG_* or PTWALK_MARKER_* */
	unsigned int type;	/* swap type */
	unsigned long offset;	/* swap offset */
	unsigned long pfn;	/* migration/device/hwpoison target */
};

#ifdef PTWALK_HAVE_LEAFOPS
static inline void ptwalk_decode_leaf(softleaf_t e, struct ptwalk_leaf *l)
{
	memset(l, 0, sizeof(*l));
	if (softleaf_is_swap(e)) {
		l->kind = PTWALK_K_SWAP;
		l->type = swp_type(e);
		l->offset = swp_offset(e);
	} else if (softleaf_is_migration(e)) {
		l->kind = PTWALK_K_MIGRATION;
		l->sub = softleaf_is_migration_write(e) ? PTWALK_MIG_WRITE :
			 softleaf_is_migration_read_exclusive(e) ?
			 PTWALK_MIG_READ_EXCL : PTWALK_MIG_READ;
		l->pfn = softleaf_to_pfn(e);
	} else if (softleaf_is_device_private(e)) {
		l->kind = PTWALK_K_DEVICE_PRIVATE;
		l->pfn = softleaf_to_pfn(e);
	} else if (softleaf_is_device_exclusive(e)) {
		l->kind = PTWALK_K_DEVICE_EXCL;
		l->pfn = softleaf_to_pfn(e);
	} else if (softleaf_is_hwpoison(e)) {
		l->kind = PTWALK_K_HWPOISON;
		l->pfn = softleaf_to_pfn(e);
	} else if (softleaf_is_marker(e)) {
		l->kind = PTWALK_K_MARKER;
		l->sub = (softleaf_is_uffd_wp_marker(e) ? PTWALK_MARKER_UFFD_WP : 0) |
			 (softleaf_is_poison_marker(e) ? PTWALK_MARKER_POISON : 0) |
			 (softleaf_is_guard_marker(e) ? PTWALK_MARKER_GUARD : 0);
	} else {
		l->kind = PTWALK_K_UNKNOWN;
	}
}

static inline void ptwalk_decode_pte_leaf(pte_t pte, struct ptwalk_leaf *l)
{
	ptwalk_decode_leaf(softleaf_from_pte(pte), l);
}

static inline void ptwalk_decode_pmd_leaf(pmd_t pmd, struct ptwalk_leaf *l)
{
	ptwalk_decode_leaf(softleaf_from_pmd(pmd), l);
}
#else /* swapops.h */
static inline void ptwalk_decode_leaf(swp_entry_t e, struct ptwalk_leaf *l)
{
	memset(l, 0, sizeof(*l));
	if (!non_swap_entry(e)) {
		l->kind = PTWALK_K_SWAP;
		l->type = swp_type(e);
		l->offset = swp_offset(e);
	} else if (is_migration_entry(e)) {
		l->kind = PTWALK_K_MIGRATION;
		l->sub = is_writable_migration_entry(e) ? PTWALK_MIG_WRITE :
			 is_readable_exclusive_migration_entry(e) ?
			 PTWALK_MIG_READ_EXCL : PTWALK_MIG_READ;
		l->pfn = swp_offset_pfn(e);
	} else if (is_device_private_entry(e)) {
		l->kind = PTWALK_K_DEVICE_PRIVATE;
		l->pfn = swp_offset_pfn(e);
	} else if (is_device_exclusive_entry(e)) {
		l->kind = PTWALK_K_DEVICE_EXCL;
		l->pfn = swp_offset_pfn(e);
	} else if (is_hwpoison_entry(e)) {
		l->kind = PTWALK_K_HWPOISON;
		l->pfn = swp_offset_pfn(e);
	} else if (is_pte_marker_entry(e)) {
		pte_marker m = pte_marker_get(e);

		l->kind = PTWALK_K_MARKER;
		l->sub = (m & PTE_MARKER_UFFD_WP ? PTWALK_MARKER_UFFD_WP : 0);
#ifdef PTE_MARKER_POISONED
		l->sub |= (m & PTE_MARKER_POISONED ? PTWALK_MARKER_POISON : 0);
#endif
#ifdef PTE_MARKER_SWAPIN_ERROR
		l->sub |= (m & PTE_MARKER_SWAPIN_ERROR ? PTWALK_MARKER_POISON : 0);
#endif
#ifdef PTE_MARKER_GUARD
		l->sub |= (m & PTE_MARKER_GUARD ? PTWALK_MARKER_GUARD : 0);
#endif
	} else {
		l->kind = PTWALK_K_UNKNOWN;
	}
}

static inline void ptwalk_decode_pte_leaf(pte_t pte, struct ptwalk_leaf *l)
{
	ptwalk_decode_leaf(pte_to_swp_entry(pte), l);
}

static inline void ptwalk_decode_pmd_leaf(pmd_t pmd, struct ptwalk_leaf *l)
{
#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
	ptwalk_decode_leaf(pmd_to_swp_entry(pmd), l);
#else
	memset(l, 0, sizeof(*l));
	l->kind = PTWALK_K_UNKNOWN;
#endif
}
#endif /* PTWALK_HAVE_LEAFOPS */

/*
 * The memory cgroup @folio is charged to, with a css reference the caller
 * drops (css_put()); NULL when it is charged to none; ERR_PTR(-ENOENT)
 * when that cgroup is going away, -EOPNOTSUPP without CONFIG_MEMCG.
 * folio_memcg() has the same name and contract on 6.1, 6.12 and 7.2 but
 * reads memcg_data differently: 6.1 and 6.12 hold the memcg itself, or an
 * objcg for a kmem folio (MEMCG_DATA_KMEM), 7.x an objcg for every folio
 * (folio_objcg()).  An objcg's memcg can be reparented and freed, and a
 * memcg is freed after an RCU grace period: so RCU around the read and
 * css_tryget() before leaving it.  The caller holds a reference on @folio,
 * which keeps memcg_data from being cleared by a free; slab and page-table
 * folios must not be asked (6.1/6.12 folio_memcg() is not for slab).
 */
static inline struct mem_cgroup *ptwalk_folio_memcg_get(struct folio *folio)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg;

	rcu_read_lock();
	memcg = folio_memcg(folio);
	if (memcg && !css_tryget(&memcg->css))
		memcg = ERR_PTR(-ENOENT);
	rcu_read_unlock();
	return memcg;
#else
	return ERR_PTR(-EOPNOTSUPP);
#endif
}

#endif /* _PTWALK_COMPAT_H */
