// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_walk.c - the mm_walk_ops callbacks that turn entries into
 * records, the chunked walk and the single-address translation.
 *
 * The same callbacks run under either walker (ptwalk_walker_run(): the
 * kernel's walk_page_range() or ptwalk's own); the entry bits come from the
 * architecture file (ptwalk_arch.h), the bytes from ptwalk_fmt.c.
 *
 * Observation must not change the target:
 * - There is no pte_entry.  PTE tables are read by pmd_entry itself, so
 *   neither walker ever splits a huge PMD or PUD (the kernel walker splits
 *   only to descend to a pte_entry); huge leaves are reported at their
 *   level and the walk is told ACTION_CONTINUE.
 * - Entries are only read: nothing faults pages in or touches the
 *   accessed/dirty bits, and struct page fields are read only while the
 *   page-table lock pins the mapping.
 */
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/page-flags.h>
#include <linux/pagewalk.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include "ptwalk_arch.h"
#include "ptwalk_compat.h"
#include "ptwalk_fmt.h"
#include "ptwalk_internal.h"
#include "ptwalk_walk.h"
#include "ptwalk_walker.h"

/* Bits and protection key of a present entry at any level; see the arch file. */
static void ptwalk_present_bits(struct ptwalk_rec *r, unsigned long raw,
				bool leaf)
{
	r->bits = ptwalk_arch_entry_bits(raw, leaf);
	r->pkey = ptwalk_arch_pkey(raw);
}

/* Software bits a swap-style PTE keeps: soft-dirty, uffd-wp, exclusive. */
static void ptwalk_swp_bits(struct ptwalk_rec *r, pte_t pte)
{
	r->bits = 0;
	if (pte_swp_soft_dirty(pte))
		r->bits |= PTWALK_B_SOFT_DIRTY;
	if (pte_swp_uffd_wp(pte))
		r->bits |= PTWALK_B_UFFD_WP;
	if (pte_swp_exclusive(pte))
		r->bits |= PTWALK_B_SWP_EXCL;
}

/* A fresh entry record: not present, no page, no node. */
static void ptwalk_rec_init(struct ptwalk_rec *r, unsigned long addr,
			    int level, unsigned long raw)
{
	*r = (struct ptwalk_rec) {
		.vaddr = addr,
		.raw = raw,
		.type = PTWALK_REC_ENTRY,
		.level = level,
		.kind = PTWALK_K_NONE,
		.shift = level == PTWALK_LVL_PUD ? PUD_SHIFT :
			 level == PTWALK_LVL_PMD ? PMD_SHIFT : PAGE_SHIFT,
		.cow = PTWALK_COW_NA,
		.node = NUMA_NO_NODE,
	};
}

/*
 * What the next write through this mapping does.  The rules follow the
 * write-fault path (do_wp_page, do_huge_pmd_wp_page, hugetlb_wp): a shared
 * or read-only mapping never copies; a write-protected exclusive anonymous
 * page, or a small anonymous page that only this mapping references, is
 * reused; every other write-protected page in a private writable
 * mapping is copied (anonymous pages shared after fork, KSM pages, the zero
 * pages, private file pages still in the page cache).
 */
static u8 ptwalk_cow_verdict(struct vm_area_struct *vma,
			     const struct ptwalk_rec *r)
{
	if (vma->vm_flags & VM_SHARED)
		return PTWALK_COW_NONE;
	if (!(vma->vm_flags & VM_WRITE))
		return PTWALK_COW_NONE;
	if (r->bits & PTWALK_B_UFFD_WP)
		return PTWALK_COW_UFFD;
	if ((r->bits & (PTWALK_B_RW | PTWALK_B_PROTNONE)) == PTWALK_B_RW)
		return PTWALK_COW_WRITABLE;
	if (r->page & (PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO | PTWALK_P_KSM |
		       PTWALK_P_NOPAGE))
		return PTWALK_COW_COPY;
	if ((r->page & (PTWALK_P_ANON | PTWALK_P_ANON_EXCL)) ==
	    (PTWALK_P_ANON | PTWALK_P_ANON_EXCL))
		return PTWALK_COW_REUSE;
	/*
	 * wp_can_reuse_anon_folio(): a small anonymous page no one else
	 * references (say, the parent's after the child copied) is reused.
	 */
	if ((r->page & PTWALK_P_ANON) && !r->order && r->mapcount == 1 &&
	    r->refcount == 1 + !!(r->page & PTWALK_P_SWAPCACHE))
		return PTWALK_COW_REUSE;
	return PTWALK_COW_COPY;
}

/**
 * ptwalk_pg_facts - the "pg=" page facts from a folio's flags word
 * @f: the flags, read once (a racy snapshot)
 *
 * Return: PTWALK_P_* bits of the PTWALK_P_PGFLAGS_MASK group.
 */
u32 ptwalk_pg_facts(unsigned long f)
{
	u32 p = 0;

	p |= f & BIT(PG_lru) ? PTWALK_P_LRU : 0;
	p |= f & BIT(PG_active) ? PTWALK_P_ACTIVE : 0;
	p |= f & BIT(PG_referenced) ? PTWALK_P_REFERENCED : 0;
	p |= f & BIT(PG_dirty) ? PTWALK_P_DIRTY : 0;
	p |= f & BIT(PG_writeback) ? PTWALK_P_WRITEBACK : 0;
	p |= f & BIT(PG_mlocked) ? PTWALK_P_MLOCKED : 0;
	p |= f & BIT(PG_unevictable) ? PTWALK_P_UNEVICTABLE : 0;
	/* folio_test_swapcache(): PG_swapcache means it only if swap-backed. */
	if ((f & BIT(PG_swapbacked)) && (f & BIT(PG_swapcache)))
		p |= PTWALK_P_SWAPCACHE;
	return p;
}

/*
 * Page facts.  Called with the page-table lock held and the entry mapping
 * @page, so the folio cannot be freed underneath.
 *
 * Mapcount rule (struct ptwalk_rec.mapcount): the kernel's own per-page
 * mapcount (ptwalk_page_mapcount()), what /proc/kpagecount reports and
 * pagemap's bit 56 tests on 6.1-7.2 with per-page mapcounts.  For hugetlb,
 * the folio's entire mapcount.
 */
static void ptwalk_page_facts(struct ptwalk_rec *r, struct vm_area_struct *vma,
			      struct page *page)
{
	struct folio *folio = page_folio(page);
	/* One read of the flags word for every flag below (a racy snapshot). */
	unsigned long f = ptwalk_folio_flags(folio);
	bool large = f & BIT(PG_head);
	bool hugetlb = is_vm_hugetlb_page(vma);
	u32 p = 0;

	if (hugetlb)
		r->mapcount = folio_entire_mapcount(folio);
	else
		r->mapcount = ptwalk_page_mapcount(folio, page, large);
	if (folio_test_anon(folio)) {
		p |= PTWALK_P_ANON;
		if (folio_test_ksm(folio))
			p |= PTWALK_P_KSM;
		else if (PageAnonExclusive(hugetlb ? &folio->page : page))
			p |= PTWALK_P_ANON_EXCL;
		/* A small folio's estimate is its mapcount, read just above. */
		if (large ? ptwalk_folio_maybe_shared(folio) : r->mapcount > 1)
			p |= PTWALK_P_SHARED;
	} else if (folio->mapping) {
		p |= PTWALK_P_FILE;
		if (f & BIT(PG_swapbacked))
			p |= PTWALK_P_SHMEM;
	} else if (vma_is_anonymous(vma) && large) {
		/* The only non-anon large folio an anon VMA maps. */
		p |= PTWALK_P_HUGE_ZERO;
	}
	if (hugetlb)
		p |= PTWALK_P_HUGETLB;
	else if (large && !(p & PTWALK_P_HUGE_ZERO))
		p |= PTWALK_P_THP;

	r->page = p | ptwalk_pg_facts(f);

	r->order = large ? folio_order(folio) : 0;
	r->subpage = page - &folio->page;
	r->refcount = folio_ref_count(folio);
	r->node = folio_nid(folio);
}

/*
 * The struct page of @pfn if it is ordinary online memory, like
 * pfn_to_online_page().  Memory comes and goes by sections, and in a
 * section that holds no ZONE_DEVICE memory pfn_to_online_page() only adds
 * the subsection map, which a PFN mapped by a non-special entry passes
 * anyway (vm_normal_page() uses pfn_to_page() on it directly).  So once a
 * PFN of such a section was found online, the section's other PFNs are
 * looked up directly; this matters for THPs, one per 2 MiB.  The cache
 * lives for one mmap-lock hold, in which a mapped page keeps its section
 * online.
 */
static struct page *ptwalk_online_page(struct ptwalk_ctx *ctx,
				       unsigned long pfn)
{
	unsigned long sec = pfn_to_section_nr(pfn);
	struct page *page;

	if (sec == ctx->online_sec)
		return pfn_to_page(pfn);
	page = pfn_to_online_page(pfn);
	if (page && !online_device_section(__nr_to_section(sec)))
		ctx->online_sec = sec;
	return page;
}

static __always_inline void ptwalk_snap_page(struct page *page,
					     struct ptwalk_pagesnap *s)
{
	s->flags = ptwalk_page_flags(page);
	s->mapping = (unsigned long)READ_ONCE(page->mapping);
	s->mapcount = atomic_read(&page->_mapcount);
	s->refcount = atomic_read(&page->_refcount);
	s->tail = PageTail(page);
}

static __always_inline bool
ptwalk_snap_same(const struct ptwalk_pagesnap *a,
		 const struct ptwalk_pagesnap *b)
{
	return a->flags == b->flags && a->mapping == b->mapping &&
	       a->mapcount == b->mapcount && a->refcount == b->refcount &&
	       !a->tail && !b->tail;
}

/*
 * Fill a record for a present entry at any level mapping @pfn.  With @snap,
 * the page's words are read into it before its facts are.
 * Return: the page whose facts were read, or NULL (zero page, PFN map).
 */
static struct page *ptwalk_present(struct ptwalk_ctx *ctx,
				   struct ptwalk_rec *r,
				   struct vm_area_struct *vma, unsigned long pfn,
				   bool special, struct ptwalk_pagesnap *snap)
{
	struct page *page = NULL;

	r->kind = PTWALK_K_PRESENT;
	r->pfn = pfn;
	if (is_zero_pfn(pfn)) {
		r->page = PTWALK_P_ZERO;
	} else if (!special) {
		/* vm_normal_page() is not exported; PFN maps are special. */
		page = ptwalk_online_page(ctx, pfn);
		if (page && !PageReserved(page)) {
			if (snap)
				ptwalk_snap_page(page, snap);
			ptwalk_page_facts(r, vma, page);
		} else {
			page = NULL;
			r->page = PTWALK_P_NOPAGE;
		}
	} else {
		r->page = PTWALK_P_NOPAGE;
	}
	r->cow = ptwalk_cow_verdict(vma, r);
	return page;
}

/*
 * Remember @r, computed from @page as @before, if the page's words read
 * the same afterwards and it is a small folio: a memo must never join
 * values from two different states of the page.
 */
static void ptwalk_memo_put(struct ptwalk_ctx *ctx, struct vm_area_struct *vma,
			    pte_t pte, struct page *page,
			    const struct ptwalk_pagesnap *before,
			    const struct ptwalk_rec *r)
{
	struct ptwalk_memo *m = &ctx->memo;
	struct ptwalk_pagesnap after;

	m->vma = NULL;
	if (before->flags & BIT(PG_head))
		return;
	ptwalk_snap_page(page, &after);
	if (!ptwalk_snap_same(before, &after))
		return;
	m->vma = vma;
	m->pte_flags = ptwalk_arch_pte_flags(pte);
	m->snap = after;
	m->rec = *r;
	m->gen++;
	/*
	 * As ptwalk_foldable(): raw must be rebuildable from the PFN.  A PTE
	 * of this memo holds its PFN in the same form (its other bits are
	 * the same), so a run of NUMA-hinting entries folds too.
	 */
	m->foldable = r->kind == PTWALK_K_PRESENT &&
		      ptwalk_raw_pfn_form_arch(r->raw, r->pfn, r->shift,
						   PTWALK_ARCH) != PTWALK_PFN_OTHER;
}

/*
 * Does the memo apply to @pte: same VMA, same PTE bits but the PFN, a small
 * page in a section already found online, and the same page words?
 * Return: whether it does, with the frame in @pfn.
 */
static __always_inline bool ptwalk_memo_hit(struct ptwalk_ctx *ctx,
					    struct vm_area_struct *vma,
					    pte_t pte, unsigned long *pfn)
{
	struct ptwalk_memo *m = &ctx->memo;
	struct ptwalk_pagesnap s;

	/* A present PTE's bits: a swap PTE never equals them. */
	if (m->vma != vma || ptwalk_arch_pte_flags(pte) != m->pte_flags)
		return false;
	*pfn = pte_pfn(pte);
	if (pfn_to_section_nr(*pfn) != ctx->online_sec || is_zero_pfn(*pfn))
		return false;
	ptwalk_snap_page(pfn_to_page(*pfn), &s);
	return ptwalk_snap_same(&s, &m->snap);
}

/* Does a memo hit at @addr continue the last reported entry? */
static __always_inline bool
ptwalk_memo_continues(const struct ptwalk_ctx *ctx, unsigned long addr)
{
	return ctx->q.format == PTWALK_FMT_BINARY && ctx->have_last &&
	       ctx->last_gen == ctx->memo.gen && ctx->memo.foldable &&
	       addr == ctx->last.vaddr + PAGE_SIZE;
}

static void ptwalk_leaf(struct ptwalk_rec *r, const struct ptwalk_leaf *l)
{
	r->kind = l->kind;
	r->sub = l->sub;
	r->swap_type = l->type;
	r->swap_offset = l->offset;
	r->pfn = l->pfn;
}

/*
 * One PTE (present or not, never none) into a record.
 * Return: the memo generation if @r was remembered, else 0.
 */
static u64 ptwalk_pte_rec(struct ptwalk_ctx *ctx, struct ptwalk_rec *r,
			  struct vm_area_struct *vma, unsigned long addr,
			  pte_t pte)
{
	ptwalk_rec_init(r, addr, PTWALK_LVL_PTE, pte_val(pte));
	if (pte_present(pte)) {
		struct ptwalk_pagesnap before;
		struct page *page;

		ptwalk_present_bits(r, pte_val(pte), true);
		page = ptwalk_present(ctx, r, vma, pte_pfn(pte),
				      pte_special(pte), &before);
		if (page) {
			ptwalk_memo_put(ctx, vma, pte, page, &before, r);
			return ctx->memo.vma ? ctx->memo.gen : 0;
		}
	} else {
		struct ptwalk_leaf l;

		ptwalk_swp_bits(r, pte);
		ptwalk_decode_pte_leaf(pte, &l);
		ptwalk_leaf(r, &l);
	}
	return 0;
}

/*
 * Charge @cost to the chunk; when it has spent its work, stop the walk
 * here: the next chunk (after the lock was dropped) resumes at @addr.
 * Return: 0, or PTWALK_STOP_FULL.
 */
static int ptwalk_charge(struct ptwalk_ctx *ctx, unsigned long addr,
			 long cost)
{
	if (ctx->work <= 0)
		return ptwalk_stop_at(ctx, addr);
	ctx->work -= cost;
	return 0;
}

/* A "vma" line/record before the first entry of each VMA. */
static int ptwalk_announce_vma(struct ptwalk_ctx *ctx,
			       struct vm_area_struct *vma, unsigned long addr)
{
	int ret;

	/* Who maps announces a VMA itself, and only with a match in it. */
	if (ctx->who || ctx->vma_start == vma->vm_start)
		return 0;
	ret = ptwalk_emit_vma(ctx, vma);
	if (ret)
		return ptwalk_stop_at(ctx, addr);	/* announce it again */
	return 0;
}

/* A huge PMD: present (THP, huge zero, DAX) or a migration entry. */
static int ptwalk_huge_pmd(struct ptwalk_ctx *ctx, struct vm_area_struct *vma,
			   unsigned long addr, pmd_t pmd)
{
	struct ptwalk_rec r;

	ptwalk_rec_init(&r, addr & PMD_MASK, PTWALK_LVL_PMD, pmd_val(pmd));
	if (pmd_present(pmd)) {
		ptwalk_present_bits(&r, pmd_val(pmd), true);
		ptwalk_present(ctx, &r, vma, pmd_pfn(pmd),
			       ptwalk_pmd_special(vma, pmd), NULL);
	} else {
		struct ptwalk_leaf l;

		r.bits = ptwalk_arch_pmd_swp_bits(pmd);
		ptwalk_decode_pmd_leaf(pmd, &l);
		ptwalk_leaf(&r, &l);
	}
	return ptwalk_emit(ctx, &r);
}

static int ptwalk_level(struct ptwalk_ctx *ctx, int level, unsigned long addr,
			unsigned long raw, void *entryp, unsigned int index);

/*
 * Report the PTEs of [@addr, @end) under @pmdp (or, with @level_only, the
 * one PTE of a translation).  Maps and locks the table like
 * __pte_offset_map_lock(), which modules cannot call: on 6.5+ khugepaged's
 * retract_page_tables() may free a PTE table under RCU with only the mmap
 * lock read-held elsewhere, so the table is used inside an RCU read section
 * and the PMD is re-checked under the PTE lock.  If the PMD no longer
 * points to a PTE table, nothing is reported and *@changed is set: the
 * caller looks again (a retry, not a stop, so not a return value).
 *
 * Return: 0 or PTWALK_STOP_FULL.
 */
static int ptwalk_pte_range(struct ptwalk_ctx *ctx, struct mm_struct *mm,
			    struct vm_area_struct *vma, pmd_t *pmdp,
			    unsigned long addr, unsigned long end,
			    bool level_only, bool *changed)
{
	struct ptwalk_rec r;
	spinlock_t *ptl;
	pte_t *pte;
	pmd_t pmdval;
	int ret = 0;

	*changed = false;
	rcu_read_lock();
	pmdval = ptwalk_pmdp_get(pmdp);
	if (pmd_none(pmdval) || !pmd_present(pmdval) || pmd_leaf(pmdval) ||
	    ptwalk_pmd_devmap(pmdval) || pmd_bad(pmdval)) {
		*changed = true;
		goto out_rcu;
	}
	pte = pte_offset_kernel(&pmdval, addr);
	ptl = pte_lockptr(mm, &pmdval);
	spin_lock(ptl);
	if (unlikely(!pmd_same(pmdval, ptwalk_pmdp_get(pmdp)))) {
		*changed = true;
		goto out_unlock;
	}
	if (level_only) {
		ret = ptwalk_level(ctx, PTWALK_LVL_PTE, addr,
				   pte_val(ptep_get(pte)), pte, pte_index(addr));
		goto out_unlock;
	}
	for (; addr < end; pte++, addr += PAGE_SIZE) {
		pte_t entry = ptep_get(pte);
		unsigned long pfn;
		u64 gen;

		if (pte_none(entry))
			continue;
		/* The next slot of a run of swapped pages: no record to build. */
		if (ptwalk_swap_continues(ctx, addr, pte_val(entry))) {
			ret = ptwalk_emit_swap_next(ctx, addr);
			if (ret)
				break;
			continue;
		}
		if (ptwalk_memo_hit(ctx, vma, entry, &pfn)) {
			/* Same record as the last one but for the frame. */
			if (ptwalk_memo_continues(ctx, addr)) {
				ret = ptwalk_emit_more(ctx, addr, pte_val(entry), pfn);
				if (ret)
					break;
				continue;
			}
			gen = ctx->memo.gen;
			r = ctx->memo.rec;
			r.vaddr = addr;
			r.raw = pte_val(entry);
			r.pfn = pfn;
		} else {
			gen = ptwalk_pte_rec(ctx, &r, vma, addr, entry);
		}
		ret = ptwalk_emit(ctx, &r);
		if (ret)
			break;
		ctx->last_gen = gen;
	}
out_unlock:
	spin_unlock(ptl);
out_rcu:
	rcu_read_unlock();
	return ret;
}

static int ptwalk_pmd_entry(pmd_t *pmdp, unsigned long addr,
			    unsigned long end, struct mm_walk *walk)
{
	struct ptwalk_ctx *ctx = walk->private;
	struct vm_area_struct *vma = walk->vma;
	bool changed;
	spinlock_t *ptl;
	pmd_t pmd;
	int ret = 0;

	if (ctx->full)
		return PTWALK_STOP_FULL;
	pmd = ptwalk_pmdp_get(pmdp);
	if (pmd_none(pmd))
		return 0;
	ret = ptwalk_charge(ctx, addr, pmd_leaf(pmd) || !pmd_present(pmd) ||
			    ptwalk_pmd_devmap(pmd) ? PTWALK_HUGE_WORK : PTRS_PER_PTE);
	if (ret)
		return ret;
	ret = ptwalk_announce_vma(ctx, vma, addr);
	if (ret)
		return ret;

	if (pmd_leaf(pmd) || ptwalk_pmd_devmap(pmd) || !pmd_present(pmd)) {
		ptl = pmd_lock(walk->mm, pmdp);
		pmd = *pmdp;
		if (pmd_leaf(pmd) || ptwalk_pmd_devmap(pmd) ||
		    (!pmd_none(pmd) && !pmd_present(pmd)))
			ret = ptwalk_huge_pmd(ctx, vma, addr, pmd);
		spin_unlock(ptl);
		if (ret)
			return ret;
		if (!pmd_none(pmd) && (pmd_leaf(pmd) || !pmd_present(pmd) ||
				       ptwalk_pmd_devmap(pmd))) {
			/* Never descend: that would split a THP. */
			walk->action = ACTION_CONTINUE;
			return 0;
		}
	}

	ret = ptwalk_pte_range(ctx, walk->mm, vma, pmdp, addr, end, false,
			       &changed);
	if (!ret && changed) {
		pmd = ptwalk_pmdp_get(pmdp);
		/*
		 * The PMD changed under us: a new PTE table, a THP (a PTE table
		 * freed by PT_RECLAIM or collapsed, then refaulted huge) or a
		 * migration entry.  Look again and report whatever is there.
		 * pmd_bad() is true for leaves and swap PMDs on x86, so only a
		 * PMD that is none, or bad and neither, is left alone.
		 */
		if (!pmd_none(pmd) && (pmd_leaf(pmd) || !pmd_present(pmd) ||
				       ptwalk_pmd_devmap(pmd) || !pmd_bad(pmd)))
			walk->action = ACTION_AGAIN;
	}
	return ret;
}

static int ptwalk_pud_entry(pud_t *pudp, unsigned long addr,
			    unsigned long end, struct mm_walk *walk)
{
	struct ptwalk_ctx *ctx = walk->private;
	struct ptwalk_rec r;
	spinlock_t *ptl;
	pud_t pud;
	int ret = 0;

	if (ctx->full)
		return PTWALK_STOP_FULL;
	pud = READ_ONCE(*pudp);
	if (!pud_leaf(pud) && !ptwalk_pud_devmap(pud))
		return 0;

	/* A 1G leaf outside hugetlb (DAX, PFN maps): report, never split. */
	ret = ptwalk_charge(ctx, addr, PTWALK_HUGE_WORK);
	if (ret)
		return ret;
	ret = ptwalk_announce_vma(ctx, walk->vma, addr);
	if (ret)
		return ret;
	ptl = pud_lock(walk->mm, pudp);
	pud = *pudp;
	if (pud_leaf(pud) || ptwalk_pud_devmap(pud)) {
		ptwalk_rec_init(&r, addr & PUD_MASK, PTWALK_LVL_PUD, pud_val(pud));
		ptwalk_present_bits(&r, pud_val(pud), true);
		ptwalk_present(ctx, &r, walk->vma, pud_pfn(pud),
			       ptwalk_pud_special(walk->vma, pud), NULL);
		ret = ptwalk_emit(ctx, &r);
	}
	spin_unlock(ptl);
	walk->action = ACTION_CONTINUE;
	return ret;
}

/*
 * The records of one hugetlb page: one entry (x86: a PMD or PUD), or the
 * entries of a contiguous run (arm64's 64K and 32M pages: 16 PTEs or PMDs
 * with the contiguous bit), each with its own raw value and frame and the
 * run's gathered A and D bits (huge_ptep_get()); only those overlapping
 * [@from, @end), so that a chunk resuming inside a run repeats none.
 */
static int ptwalk_huge_run(struct ptwalk_ctx *ctx, struct vm_area_struct *vma,
			   pte_t *ptep, pte_t pte, unsigned long base,
			   unsigned long sz, unsigned long from,
			   unsigned long end)
{
	int level = sz >= PUD_SIZE ? PTWALK_LVL_PUD :
		    sz >= PMD_SIZE ? PTWALK_LVL_PMD : PTWALK_LVL_PTE;
	struct ptwalk_rec r;
	unsigned long n, i;
	int ret = 0;

	ptwalk_rec_init(&r, base, level, pte_val(pte));
	n = sz >> r.shift;
	for (i = 0; i < n && !ret; i++) {
		unsigned long va = base + (i << r.shift);
		pte_t e = n == 1 ? pte : ptep_get(ptep + i);

		if (va + (1UL << r.shift) <= from)
			continue;
		if (va >= end)
			break;
		ptwalk_rec_init(&r, va, level, pte_val(e));
		if (pte_present(pte)) {
			ptwalk_present_bits(&r, pte_val(pte), true);
			ptwalk_present(ctx, &r, vma, pte_pfn(pte) +
				       (i << (r.shift - PAGE_SHIFT)), false, NULL);
			/* What pagemap_hugetlb_range() reads for bit 56. */
			if (hugetlb_pmd_shared(ptep))
				r.page |= PTWALK_P_TABLE_SHARED;
		} else {
			struct ptwalk_leaf l;

			ptwalk_swp_bits(&r, e);
			ptwalk_decode_pte_leaf(e, &l);
			ptwalk_leaf(&r, &l);
		}
		ret = ptwalk_emit(ctx, &r);
	}
	return ret;
}

static int ptwalk_hugetlb_entry(pte_t *ptep, unsigned long hmask,
				unsigned long addr, unsigned long end,
				struct mm_walk *walk)
{
	struct ptwalk_ctx *ctx = walk->private;
	struct vm_area_struct *vma = walk->vma;
	struct hstate *h = hstate_vma(vma);
	unsigned long sz = huge_page_size(h);
	spinlock_t *ptl;
	pte_t pte;
	int ret;

	if (ctx->full)
		return PTWALK_STOP_FULL;
	ret = ptwalk_charge(ctx, addr, PTWALK_HUGE_WORK);
	if (ret)
		return ret;
	ret = ptwalk_announce_vma(ctx, vma, addr);
	if (ret)
		return ret;

	ptl = huge_pte_lock(h, walk->mm, ptep);
	pte = ptwalk_arch_huge_ptep_get(ptep, sz);
	if (!pte_none(pte))
		ret = ptwalk_huge_run(ctx, vma, ptep, pte, addr & hmask, sz,
				      addr, end);
	spin_unlock(ptl);
	return ret;
}

/*
 * Announce every VMA, even one without entries; walk PFN maps too.  Each
 * VMA costs the chunk some work, so a chunk over thousands of small VMAs
 * is bounded too.  Once the buffer is full the walk stops here instead of
 * skipping the chunk's remaining VMAs one by one under the lock.
 */
static int ptwalk_test_walk(unsigned long addr, unsigned long next,
			    struct mm_walk *walk)
{
	struct ptwalk_ctx *ctx = walk->private;

	if (ctx->full || ptwalk_charge(ctx, addr, PTWALK_VMA_WORK) ||
	    ptwalk_announce_vma(ctx, walk->vma, addr))
		return PTWALK_STOP_VMA;
	/*
	 * Before 6.2 walk_page_range() walks hugetlb without the hugetlb VMA
	 * lock, so a shared PMD table may be unshared and freed under it.
	 * Walk such a VMA here, under i_mmap_rwsem, and have the kernel
	 * walker skip it.
	 */
	if (PTWALK_KERNEL_WALK_HUGETLB_UNLOCKED && is_vm_hugetlb_page(walk->vma) &&
	    ctx->walker == PTWALK_WALKER_KERNEL) {
		int ret = ptwalk_builtin_hugetlb_range(addr, next, walk);

		return ret ? PTWALK_STOP_VMA : 1;
	}
	return 0;
}

static const struct mm_walk_ops ptwalk_ops = {
	.test_walk	= ptwalk_test_walk,
	.pud_entry	= ptwalk_pud_entry,
	.pmd_entry	= ptwalk_pmd_entry,
	.hugetlb_entry	= ptwalk_hugetlb_entry,
	PTWALK_OPS_WALK_LOCK
};

/*
 * Take the target's mmap lock for one bounded piece of work.  What was
 * learnt under an earlier hold (the memo, the online section) may be stale.
 */
int ptwalk_lock_target(struct ptwalk_ctx *ctx, struct ptwalk_hold *hold)
{
	int ret = ptwalk_mm_lock(hold, ctx->mm);

	if (ret)
		return ret;
	ctx->online_sec = ULONG_MAX;
	ctx->memo.vma = NULL;
	return 0;
}

/**
 * ptwalk_walk_chunk - report the entries of the next chunk into ctx->buf
 * @ctx: the reader's context
 *
 * A chunk starts at ctx->next, or at the next VMA if ctx->next is in a gap,
 * so unmapped address space costs nothing; it spans at most PTWALK_CHUNK
 * bytes and stops early when it has done PTWALK_CHUNK_WORK or filled the
 * buffer, which bounds how long the mmap lock is held.  The lock is taken
 * killable and dropped before returning; the caller copies the buffer to
 * user space afterwards.  On return ctx->next is where the next chunk
 * starts (ctx->end when done).
 *
 * Locking: takes and drops the mmap lock of ctx->mm; caller holds a
 * reference (mmget) on it.
 * Return: 0 or -errno.
 */
int ptwalk_walk_chunk(struct ptwalk_ctx *ctx)
{
	struct mm_struct *mm = ctx->mm;
	struct vm_area_struct *vma;
	struct ptwalk_hold hold;
	unsigned long end;
	int ret;

	ret = ptwalk_lock_target(ctx, &hold);
	if (ret)
		return ret;
	ctx->work = PTWALK_CHUNK_WORK;
	vma = find_vma(mm, ctx->next);
	if (!vma || vma->vm_start >= ctx->end) {
		ctx->next = ctx->end;
		goto out;
	}
	ctx->next = max(ctx->next, vma->vm_start);
	end = min(ctx->end, ALIGN(ctx->next + 1, PTWALK_CHUNK));
	ctx->full = false;
	ret = ptwalk_walker_run(ctx->walker, mm, ctx->next, end, &ptwalk_ops, ctx);
	/* Positive, or test_walk's stop: the buffer is full. */
	if (ret == PTWALK_STOP_VMA && ctx->full)
		ret = 0;
	if (ret >= 0 && !ctx->full)
		ctx->next = end;
out:
	ptwalk_mm_unlock(&hold);
	return ret < 0 ? ret : 0;
}

/**
 * ptwalk_walk_span - walk [@start, @end) of ctx->mm with the usual callbacks
 * @ctx: the reader's context (who maps: the match-only mode)
 * @start: first address, in one VMA
 * @end: end of the span
 *
 * Locking: the caller holds ctx->mm's mmap lock (ptwalk_lock_target()).
 * Return: 0 (ctx->full set when the buffer or the chunk's work ran out,
 * ctx->next the address to resume at) or -errno.
 */
int ptwalk_walk_span(struct ptwalk_ctx *ctx, unsigned long start,
		     unsigned long end)
{
	int ret;

	ret = ptwalk_walker_run(ctx->walker, ctx->mm, start, end, &ptwalk_ops,
				ctx);
	if (ret == PTWALK_STOP_VMA && ctx->full)
		ret = 0;
	return ret < 0 ? ret : 0;
}

static int ptwalk_level(struct ptwalk_ctx *ctx, int level, unsigned long addr,
			unsigned long raw, void *entryp, unsigned int index)
{
	struct ptwalk_lvl l = {
		.vaddr = addr,
		.raw = raw,
		/* Physical address of the table holding this entry. */
		.table_pfn = PHYS_PFN(__pa(entryp)),
		.index = index,
		.type = PTWALK_REC_LEVEL,
		.level = level,
		.kind = ptwalk_arch_level_kind(level, raw),
	};

	if (l.kind == PTWALK_K_PRESENT || l.kind == PTWALK_K_TABLE)
		l.bits = ptwalk_arch_entry_bits(raw, l.kind == PTWALK_K_PRESENT);
	return ptwalk_emit_level(ctx, &l);
}

/*
 * The level records of @addr from the pgd down to the PTE.
 * Return: 0 or PTWALK_STOP_FULL.
 */
static int ptwalk_translate_levels(struct ptwalk_ctx *ctx,
				   struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	pgd_t pgdv = READ_ONCE(*pgd);
	bool changed;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	p4d_t p4dv;
	pud_t pudv;
	pmd_t pmdv;
	int ret;

	/*
	 * arm64 kernels built for 5 levels (52-bit VA) fold the pgd at run
	 * time on 48-bit CPUs: pgd_offset() is then the table's first entry
	 * and the p4d the real top level, reported as the pgd.
	 */
	if (ptwalk_arch_p4d_is_top()) {
		p4d = p4d_offset(pgd, addr);
		p4dv = READ_ONCE(*p4d);
		ret = ptwalk_level(ctx, PTWALK_LVL_PGD, addr, p4d_val(p4dv), p4d,
				   ptwalk_p4d_index(addr));
		if (ret)
			return ret;
		goto p4d_read;
	}
	ret = ptwalk_level(ctx, PTWALK_LVL_PGD, addr, pgd_val(pgdv), pgd,
			   pgd_index(addr));
	if (ret || !pgd_present(pgdv))
		return ret;
	/*
	 * With 4-level paging the p4d is folded into the pgd and
	 * pgd_present() is always true: p4d_present() is the real test.
	 */
	p4d = p4d_offset(pgd, addr);
	p4dv = READ_ONCE(*p4d);
	if (ptwalk_arch_paging_levels() == 5) {
		ret = ptwalk_level(ctx, PTWALK_LVL_P4D, addr, p4d_val(p4dv), p4d,
				   ptwalk_p4d_index(addr));
		if (ret)
			return ret;
	}
p4d_read:
	if (!p4d_present(p4dv) || p4d_bad(p4dv))
		return 0;
	pud = pud_offset(p4d, addr);
	pudv = READ_ONCE(*pud);
	ret = ptwalk_level(ctx, PTWALK_LVL_PUD, addr, pud_val(pudv), pud,
			   pud_index(addr));
	if (ret || !pud_present(pudv) || pud_leaf(pudv) || pud_bad(pudv))
		return ret;
	pmd = pmd_offset(pud, addr);
	pmdv = ptwalk_pmdp_get(pmd);
	ret = ptwalk_level(ctx, PTWALK_LVL_PMD, addr, pmd_val(pmdv), pmd,
			   pmd_index(addr));
	if (ret || !pmd_present(pmdv) || pmd_leaf(pmdv))
		return ret;
	/* If the PMD changed under us, the walk reports the leaf. */
	return ptwalk_pte_range(ctx, mm, NULL, pmd, addr, addr + PAGE_SIZE,
				true, &changed);
}

/**
 * ptwalk_translate - every level of the translation of ctx->start
 * @ctx: a single-address query
 *
 * Emits one PTWALK_REC_LEVEL record per level (pgd, p4d when 5-level,
 * pud, pmd, pte) down to the leaf, like crash's vtop.  The leaf entry itself
 * is reported by the ordinary walk of the page containing the address.
 *
 * Locking: takes and drops the mmap lock of ctx->mm; caller holds a
 * reference (mmget) on it.
 * Return: 0 or -errno; never a positive value (see "return values").
 */
int ptwalk_translate(struct ptwalk_ctx *ctx)
{
	unsigned long addr = ctx->start;
	struct mm_struct *mm = ctx->mm;
	struct address_space *mapping = NULL;
	struct vm_area_struct *vma;
	struct ptwalk_hold hold;
	int ret;

	ret = ptwalk_lock_target(ctx, &hold);
	if (ret)
		return ret;
	/*
	 * A hugetlb PMD table may be shared between processes and freed by
	 * huge_pmd_unshare() (truncate, or munmap of the last other sharer)
	 * without this mm's mmap lock; it runs with i_mmap_rwsem held for
	 * write, so hold it for read while the levels are read.
	 */
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr && is_vm_hugetlb_page(vma))
		mapping = vma->vm_file->f_mapping;
	if (mapping)
		i_mmap_lock_read(mapping);
	ret = ptwalk_translate_levels(ctx, mm, addr);
	if (mapping)
		i_mmap_unlock_read(mapping);
	ptwalk_mm_unlock(&hold);
	return ret < 0 ? ret : 0;
}
