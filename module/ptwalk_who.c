// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_who.c - who maps a frame: a reverse lookup without rmap.
 *
 * rmap_walk(), page_vma_mapped_walk() and the anon_vma / i_mmap interval
 * trees are not exported, so the answer is found the long way: every
 * process in pid order, each of its VMAs that can hold a frame of the
 * range, and in such a VMA only the pages where the kernel's reverse map
 * would look (vma_address(): vm_start + (index - vm_pgoff) pages, the rule
 * rmap itself relies on for anonymous and page-cache folios).  KSM and
 * hugetlb frames, whose index does not place them, are looked for in the
 * whole of every candidate VMA.  The spans are walked by the ordinary walk
 * callbacks in their match-only mode (ptwalk_emit() drops entries that map
 * no frame of the range), so a match is decoded exactly as a walk decodes
 * it.
 *
 * Bounded like a walk: one process at a time, its mm pinned (mmgrab while
 * the answer lives, mmget while a chunk runs), its mmap lock taken
 * killable for at most PTWALK_CHUNK_WORK of work (VMAs looked at cost
 * PTWALK_WHO_VMA_WORK each, walked pages as in a walk) and dropped between
 * chunks and before any copy to user space.  The module allocates one
 * struct ptwalk_who per answer (17 KiB, a 32 KiB slab object, charged
 * to the reader's memory cgroup) whatever the number of processes: the
 * cursor is the last pid visited, so finding the next process scans the
 * task list (O(n) per process, under RCU only).
 *
 * Not atomic (see ptwalk.h): processes fork, exit and fault meanwhile.
 */
#include <linux/cgroup.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/nsproxy.h>
#include <linux/page-flags.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include "ptwalk_compat.h"
#include "ptwalk_fmt.h"
#include "ptwalk_internal.h"
#include "ptwalk_walk.h"
#include "ptwalk_walker.h"
#include "ptwalk_who.h"

/* What looking at one VMA costs a chunk (most are skipped unwalked). */
#define PTWALK_WHO_VMA_WORK	4

/*
 * The state of @pfn now, and its struct page.  Reads struct page words of
 * a frame nobody pins, as /proc/kpageflags does: the memmap of an online
 * section stays, the values are a racy snapshot and are only compared or
 * reported, never followed (no mapping or inode is dereferenced).
 * Return: enum ptwalk_frame_state, or 0 when @pfn has no struct page or is
 * offline.
 */
static int ptwalk_who_state(unsigned long pfn, struct page **pagep)
{
	struct page *page = pfn_to_online_page(pfn);
	struct folio *folio;

	*pagep = page;
	if (!page)
		return 0;
	if (is_zero_pfn(pfn))
		return PTWALK_FRAME_ZERO;
	/* Before the refcount: slab and page-table pages have none on 7.x. */
	if (PageSlab(page))
		return PTWALK_FRAME_SLAB;
	if (PageTable(page))
		return PTWALK_FRAME_PGTABLE;
	folio = page_folio(page);
	if (!folio_ref_count(folio))
		return PTWALK_FRAME_FREE;
	if (PageReserved(page))
		return PTWALK_FRAME_RESERVED;
	return ptwalk_who_mapcount(folio, page) > 0 ? PTWALK_FRAME_MAPPED :
						     PTWALK_FRAME_UNMAPPED;
}

/* The per-page mapcount rule of struct ptwalk_rec (kpagecount's). */
int ptwalk_who_mapcount(struct folio *folio, struct page *page)
{
	bool large = ptwalk_folio_flags(folio) & BIT(PG_head);

	if (large && folio_test_hugetlb(folio))
		return folio_entire_mapcount(folio);
	return ptwalk_page_mapcount(folio, page, large);
}

static const char *const ptwalk_who_why[] = {
	[0] = "pfn has no struct page (a hole, device memory or offline memory)",
	[PTWALK_FRAME_UNMAPPED] = "pfn is mapped by no user page table (mapcount 0: kernel memory or unmapped page cache)",
	[PTWALK_FRAME_FREE] = "pfn is a free page (refcount 0)",
	[PTWALK_FRAME_SLAB] = "pfn is slab memory (kernel only)",
	[PTWALK_FRAME_PGTABLE] = "pfn is a page table (kernel only)",
	[PTWALK_FRAME_RESERVED] = "pfn is reserved memory (kernel image, firmware, ...)",
	[PTWALK_FRAME_ZERO] = "pfn is the shared zero page: not looked up (every untouched read maps it)",
};

/*
 * Add frame @pfn (@page of @folio) to the targets, joining the previous
 * one when it continues it (same folio kind and mapping, next frame, next
 * index: a large folio is one target).
 */
static void ptwalk_who_add(struct ptwalk_who *w, unsigned long pfn,
			   struct folio *folio, struct page *page)
{
	unsigned long mapping = (unsigned long)READ_ONCE(folio->mapping);
	unsigned long index = READ_ONCE(folio->index) + (page - &folio->page);
	struct ptwalk_who_target *t = w->ntargets ? &w->t[w->ntargets - 1] : NULL;
	u8 kind;

	if (folio_test_hugetlb(folio))
		kind = PTWALK_WHO_HUGETLB;
	else if (folio_test_ksm(folio))
		kind = PTWALK_WHO_KSM;
	else if (folio_test_anon(folio))
		kind = PTWALK_WHO_ANON;
	else if (mapping && !(mapping & 3))
		kind = PTWALK_WHO_FILE;
	else
		return;	/* driver pages (vm_insert_page), movable: not in rmap */
	if (kind != PTWALK_WHO_FILE)
		mapping = 0;
	if (t && t->kind == kind && t->mapping == mapping &&
	    t->pfn + t->nr == pfn && t->index + t->nr == index) {
		t->nr++;
		return;
	}
	t = &w->t[w->ntargets++];
	*t = (struct ptwalk_who_target) {
		.mapping = mapping, .pfn = pfn, .index = index, .nr = 1,
		.kind = kind,
	};
}

/**
 * ptwalk_who_setup - check a pfn= query's frames and note where to look
 * @ctx: the reader's context, ctx->who zeroed, ctx->q parsed
 * @why: set to a one-line reason on failure
 *
 * A single frame that no user page table can map (no struct page, free,
 * slab, page table, reserved, the zero page, mapcount 0) is refused with
 * its reason.  A range needs struct pages for all its frames and at least
 * one mapped frame; the others are reported in their FRAME records.
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ptwalk_who_setup(struct ptwalk_ctx *ctx, const char **why)
{
	struct ptwalk_who *w = ctx->who;
	unsigned long pfn;
	bool any = false;

	for (pfn = ctx->q.start; pfn < ctx->q.end; pfn++) {
		struct page *page;
		int state = ptwalk_who_state(pfn, &page);

		if (!state || (ctx->q.end - ctx->q.start == 1 &&
			       state != PTWALK_FRAME_MAPPED)) {
			*why = state || ctx->q.end - ctx->q.start == 1 ?
			       ptwalk_who_why[state] :
			       "a frame of the range has no struct page (a hole, device memory or offline memory)";
			return -EINVAL;
		}
		if (state != PTWALK_FRAME_MAPPED)
			continue;
		any = true;
		ptwalk_who_add(w, pfn, page_folio(page), page);
	}
	if (!any) {
		*why = "no frame of the range is mapped by a user page table";
		return -EINVAL;
	}
	w->last_pid = 0;
	return 0;
}

/*
 * The part of @vma where target @t can be mapped, [*@start, *@end).
 * Return: whether there is one.
 */
static bool ptwalk_who_span(struct vm_area_struct *vma,
			    const struct ptwalk_who_target *t,
			    unsigned long *start, unsigned long *end)
{
	unsigned long pgoff = vma->vm_pgoff, n = vma_pages(vma), first, last;

	switch (t->kind) {
	case PTWALK_WHO_HUGETLB:
		if (!is_vm_hugetlb_page(vma))
			return false;
		goto whole;
	case PTWALK_WHO_KSM:
		if (!vma->anon_vma || !(vma->vm_flags & VM_MERGEABLE))
			return false;
		goto whole;
	case PTWALK_WHO_ANON:
		/* No anon_vma: no anonymous page was ever mapped here. */
		if (!vma->anon_vma)
			return false;
		break;
	case PTWALK_WHO_FILE:
		if (!vma->vm_file ||
		    (unsigned long)vma->vm_file->f_mapping != t->mapping)
			return false;
		break;
	default:
		return false;
	}
	if (is_vm_hugetlb_page(vma))
		return false;
	/* vma_address(): where rmap looks for page index i in this VMA. */
	if (t->index + t->nr <= pgoff || t->index >= pgoff + n)
		return false;
	first = max(t->index, pgoff);
	last = min(t->index + t->nr, pgoff + n);
	*start = vma->vm_start + ((first - pgoff) << PAGE_SHIFT);
	*end = vma->vm_start + ((last - pgoff) << PAGE_SHIFT);
	return true;
whole:
	*start = vma->vm_start;
	*end = vma->vm_end;
	return true;
}

/*
 * Walk [@start, @end) of @vma in match-only mode, the TASK and VMA records
 * before its first match; none of them when there is none (the records
 * are taken back).  Return: 0 (ctx->full: resume at ctx->next) or -errno.
 */
static int ptwalk_who_walk(struct ptwalk_ctx *ctx, struct vm_area_struct *vma,
			   unsigned long start, unsigned long end)
{
	struct ptwalk_who *w = ctx->who;
	unsigned long emitted = ctx->emitted, vmas = ctx->vmas;
	bool shown = w->task_shown;
	size_t mark = ctx->len;
	int ret = 0;

	/*
	 * The TASK and VMA records and the first match are one unit: it
	 * starts only where a unit may, and then goes out whole (it is less
	 * than PTWALK_UNIT_MAX), so a read of any size makes progress.
	 */
	if (!ptwalk_unit_ok(ctx)) {
		ptwalk_stop_at(ctx, start);
		return 0;
	}
	w->group = true;
	if (!shown) {
		if (ptwalk_emit_task(ctx)) {
			ptwalk_stop_at(ctx, start);
			goto undo;
		}
		w->task_shown = true;
	}
	if (ptwalk_emit_vma(ctx, vma)) {
		ptwalk_stop_at(ctx, start);
		goto undo;
	}
	ret = ptwalk_walk_span(ctx, start, end);
	w->group = false;
	if (ctx->emitted != emitted) {
		/* A match: remember the file's path for its FRAME records. */
		if (vma->vm_file && !w->path_mapping) {
			const char *p = file_path(vma->vm_file, w->path,
						  sizeof(w->path));

			if (!IS_ERR(p)) {
				memmove(w->path, p, strlen(p) + 1);
				w->path_mapping = (unsigned long)vma->vm_file->f_mapping;
			}
		}
		return ret;
	}
undo:
	w->group = false;
	ctx->len = mark;
	ctx->vmas = vmas;
	w->task_shown = shown;
	return ret;
}

/*
 * One chunk of the current process: its VMAs from w->vaddr on, under one
 * hold of its mmap lock.  Return: 0 (w->vaddr == ULONG_MAX once all its
 * VMAs are done) or -errno.
 */
static int ptwalk_who_mm_chunk(struct ptwalk_ctx *ctx)
{
	struct ptwalk_who *w = ctx->who;
	struct ptwalk_hold hold;
	int ret;

	ret = ptwalk_lock_target(ctx, &hold);
	if (ret)
		return ret;
	ctx->work = PTWALK_CHUNK_WORK;
	ctx->full = false;
	while (!ctx->full && ctx->work > 0) {
		struct vm_area_struct *vma = find_vma(ctx->mm, w->vaddr);

		if (!vma) {
			w->vaddr = ULONG_MAX;
			break;
		}
		if (vma->vm_start > w->vaddr) {
			w->vaddr = vma->vm_start;
			w->tgt = 0;
			ctx->next = 0;
		}
		ctx->work -= PTWALK_WHO_VMA_WORK;
		for (; w->tgt < w->ntargets && !ctx->full; w->tgt++) {
			unsigned long s, e;

			if (!ptwalk_who_span(vma, &w->t[w->tgt], &s, &e))
				continue;
			if (ctx->next > s)
				s = ctx->next;
			ctx->next = 0;
			if (s >= e)
				continue;
			ret = ptwalk_who_walk(ctx, vma, s, e);
			if (ret)
				goto out;
			if (ctx->full)
				goto out;	/* resume this span at ctx->next */
		}
		w->tgt = 0;
		ctx->next = 0;
		w->vaddr = vma->vm_end;
	}
out:
	ptwalk_mm_unlock(&hold);
	return ret;
}

/* Stop visiting the current process. */
static void ptwalk_who_drop_mm(struct ptwalk_ctx *ctx)
{
	mmdrop(ctx->mm);
	ctx->mm = NULL;
}

/*
 * Start on the first process with a global tgid above w->last_pid that has
 * a user address space.  Return: true, or false when there is none left.
 */
static bool ptwalk_who_next_task(struct ptwalk_ctx *ctx)
{
	struct ptwalk_who *w = ctx->who;

	for (;;) {
		struct task_struct *p, *best = NULL;
		struct mm_struct *mm;

		rcu_read_lock();
		for_each_process(p) {
			pid_t nr = task_tgid_nr(p);

			if (nr <= w->last_pid || (p->flags & PF_KTHREAD))
				continue;
			if (!best || nr < task_tgid_nr(best))
				best = p;
		}
		if (best) {
			get_task_struct(best);
			w->ppid = task_tgid_vnr(rcu_dereference(best->real_parent));
		}
		rcu_read_unlock();
		if (!best)
			return false;
		w->last_pid = task_tgid_nr(best);
		ctx->pid = task_tgid_vnr(best);
		get_task_comm(ctx->comm, best);
		/* NULL for a zombie or an exiting process: skipped. */
		mm = get_task_mm(best);
		put_task_struct(best);
		if (!mm) {
			cond_resched();
			continue;
		}
		mmgrab(mm);
		mmput(mm);
		ctx->mm = mm;
		w->tasks++;
		w->task_shown = false;
		w->vaddr = 0;
		w->tgt = 0;
		ctx->next = 0;
		return true;
	}
}

/**
 * ptwalk_who_chunk - the next piece of a who-maps answer
 * @ctx: the reader's context
 *
 * Moves to the next process when the current one is done or gone, else
 * does one chunk of it (ptwalk_who_mm_chunk()).  When every process has
 * been visited, ctx->phase becomes PTWALK_PH_TAIL.
 *
 * Locking: under the file's mutex; takes and drops processes' mmap locks.
 * Return: 0, or -EINTR when the reader is dying.
 */
int ptwalk_who_chunk(struct ptwalk_ctx *ctx)
{
	struct ptwalk_who *w = ctx->who;
	int ret;

	if (fatal_signal_pending(current))
		return -EINTR;
	if (!ctx->mm) {
		if (!ptwalk_who_next_task(ctx))
			ctx->phase = PTWALK_PH_TAIL;
		return 0;
	}
	if (!mmget_not_zero(ctx->mm)) {
		w->gone++;
		ptwalk_who_drop_mm(ctx);
		return 0;
	}
	ret = ptwalk_who_mm_chunk(ctx);
	mmput(ctx->mm);
	if (ret == -EINTR)
		return ret;
	if (ret) {
		ctx->end_status = PTWALK_END_STOPPED;
		ctx->error = ret;
		ctx->phase = PTWALK_PH_TAIL;
		return 0;
	}
	if (w->vaddr == ULONG_MAX)
		ptwalk_who_drop_mm(ctx);
	cond_resched();
	return 0;
}

/*
 * The memory cgroup path of @page's folio @folio into @buf, as the
 * reader's cgroup namespace sees it.  The folio is pinned for the read
 * (folio_try_get(), then checked to be still @page's: it may have been
 * freed and reused meanwhile).  Return: enum ptwalk_memcg_state; never a
 * path the kernel did not give (a dying cgroup, a path longer than @len,
 * a folio that changed: PTWALK_MEMCG_UNKNOWN).
 */
static u8 ptwalk_who_memcg(struct page *page, struct folio *folio, char *buf, size_t len)
{
	struct mem_cgroup *memcg;
	int n;

	if (!folio_try_get(folio))
		return PTWALK_MEMCG_UNKNOWN;
	if (page_folio(page) != folio) {
		folio_put(folio);
		return PTWALK_MEMCG_UNKNOWN;
	}
	memcg = ptwalk_folio_memcg_get(folio);
	folio_put(folio);
	if (!memcg)
		return PTWALK_MEMCG_NONE;
	if (IS_ERR(memcg))
		return PTWALK_MEMCG_UNKNOWN;
	n = cgroup_path_ns(memcg->css.cgroup, buf, len, current->nsproxy->cgroup_ns);
	css_put(&memcg->css);
	return n > 0 && n < len ? PTWALK_MEMCG_PATH : PTWALK_MEMCG_UNKNOWN;
}

/* The FRAME record of @pfn, as it is now; its memcg path into @memcg. */
static void ptwalk_who_frame(unsigned long pfn, struct ptwalk_frame *f,
			     unsigned long *mapping, char *memcg, size_t len)
{
	struct page *page;
	struct folio *folio;
	unsigned long fl;
	u32 p = 0;

	*f = (struct ptwalk_frame) {
		.pfn = pfn, .node = NUMA_NO_NODE, .type = PTWALK_REC_FRAME,
	};
	*mapping = 0;
	f->state = ptwalk_who_state(pfn, &page);
	if (!page || f->state == PTWALK_FRAME_ZERO) {
		f->page = page ? PTWALK_P_ZERO : PTWALK_P_NOPAGE;
		return;
	}
	/* The direct map holds all memory on x86-64; root reads this only. */
	f->kaddr = (unsigned long)pfn_to_kaddr(pfn);
	folio = page_folio(page);
	fl = ptwalk_folio_flags(folio);
	f->refcount = folio_ref_count(folio);
	f->node = page_to_nid(page);
	if (f->state == PTWALK_FRAME_FREE || f->state == PTWALK_FRAME_SLAB ||
	    f->state == PTWALK_FRAME_PGTABLE)
		return;
	f->mapcount = ptwalk_who_mapcount(folio, page);
	f->memcg = ptwalk_who_memcg(page, folio, memcg, len);
	if (fl & BIT(PG_head)) {
		f->order = folio_order(folio);
		f->subpage = page - &folio->page;
		p |= folio_test_hugetlb(folio) ? PTWALK_P_HUGETLB : PTWALK_P_THP;
	}
	if (folio_test_anon(folio)) {
		p |= PTWALK_P_ANON;
		if (folio_test_ksm(folio))
			p |= PTWALK_P_KSM;
	} else if (READ_ONCE(folio->mapping)) {
		p |= PTWALK_P_FILE;
		if (fl & BIT(PG_swapbacked))
			p |= PTWALK_P_SHMEM;
		*mapping = (unsigned long)READ_ONCE(folio->mapping);
		if (!(p & PTWALK_P_HUGETLB))
			f->index = READ_ONCE(folio->index) + f->subpage;
	}
	f->page = p | ptwalk_pg_facts(fl);
}

/**
 * ptwalk_who_tail - the FRAME records and the TALLY of a who-maps answer
 * @ctx: the reader's context, every process visited
 *
 * The frames' facts and mapcounts are read now, after the walk.
 *
 * Locking: under the file's mutex only.
 * Return: 0, or PTWALK_STOP_FULL (the rest goes out with the next read).
 */
int ptwalk_who_tail(struct ptwalk_ctx *ctx)
{
	struct ptwalk_who *w = ctx->who;

	while (ctx->q.start + w->frame_next < ctx->q.end) {
		struct ptwalk_frame f;
		unsigned long mapping;
		const char *path;

		ptwalk_who_frame(ctx->q.start + w->frame_next, &f, &mapping, w->memcg,
				 sizeof(w->memcg));
		path = mapping && mapping == w->path_mapping ? w->path : NULL;
		if (ptwalk_emit_frame(ctx, &f, path,
				      f.memcg == PTWALK_MEMCG_PATH ? w->memcg : NULL))
			return PTWALK_STOP_FULL;
		w->frame_next++;
		if (f.mapcount > 0)
			w->mapcount += f.mapcount;
	}
	return ptwalk_emit_tally(ctx);
}
