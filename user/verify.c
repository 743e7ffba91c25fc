// SPDX-License-Identifier: GPL-2.0
/*
 * verify.c - ptwalk verify: compare an answer of the module, page by page,
 * with /proc/PID/pagemap, /proc/kpageflags and /proc/kpagecount by
 * pagemap's model (ptw_pagemap_model()), read the pages the module reported
 * nothing for, and read every page that disagrees again from both sides
 * (the process runs on and is never stopped or slowed): a disagreement
 * counts only when both sides gave the same answer twice in a row.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel-page-flags.h>

#include "ptwalk_names.h"
#include "verify.h"

/* The module's side of one round about one page. */
struct mod_side {
	bool has_vma, has_rec;
	struct ptwalk_rec r;
	uint32_t vmf;		/* the VMA's PTWALK_VMA_* (0 without one) */
	uint64_t vstart, vend;	/* the VMA */
};

/* pagemap's side: the entry, and what kpageflags and kpagecount say. */
struct pm_side {
	uint64_t pm;
	struct ptw_kpage kp;
};

/* Entry @index of the u64 array file @fd into *@v.  Return: whether read. */
static bool read_u64(int fd, uint64_t index, uint64_t *v)
{
	*v = 0;
	return fd >= 0 && pread(fd, v, sizeof(*v), index * 8) == sizeof(*v);
}

/* include/linux/sched.h: the task is exiting (/proc/PID/stat's flags). */
#define PF_EXITING	0x00000004ULL

/*
 * /proc/@pid/stat: its state (field 3), flags (field 9) and start time
 * (field 22).  Return: whether read.
 */
static bool proc_stat(pid_t pid, char *state, unsigned long long *flags,
		      unsigned long long *start)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	ssize_t got;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return false;
	buf[got] = '\0';
	/* comm may hold spaces and parentheses: fields start after the last ')'. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return false;
	p += 2;
	*state = *p;
	for (field = 3; *p && field < 22; p++) {
		if (*p != ' ')
			continue;
		field++;
		if (field == 9)
			*flags = strtoull(p + 1, NULL, 10);
	}
	if (field != 22 || !isdigit((unsigned char)*p))
		return false;
	v = strtoull(p, NULL, 10);
	*start = v;
	return true;
}

/* Whether @pid has an mm now: a fresh open of its pagemap reads. */
static bool has_mm(pid_t pid)
{
	char path[64];
	uint64_t pm;
	bool ok;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ok = read_u64(fd, 0, &pm);
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * The target's mm is gone (pagemap opened at the start reads nothing, the
 * module says it exited): an exec when the same process (same start time,
 * not exiting: PF_EXITING) lives on with a new mm, else an exit.  Either
 * ends the check.
 */
static void target_went(struct ptw_verify *vs)
{
	unsigned long long start = 0, flags = 0;
	char state = 0;
	bool exec;

	if (vs->gone.why == PTW_GONE_EXITED || vs->gone.why == PTW_GONE_EXEC)
		return;
	exec = proc_stat(vs->pid, &state, &flags, &start) && state != 'Z' && state != 'X' &&
	       !(flags & PF_EXITING) && vs->start_time && start == vs->start_time &&
	       has_mm(vs->pid);
	vs->gone = (struct ptw_verify_gone){
		.why = exec ? PTW_GONE_EXEC : PTW_GONE_EXITED, .after = vs->n.checked,
	};
}

/* The process exited or exec'd: nothing more to check. */
static bool went(const struct ptw_verify *vs)
{
	return vs->gone.why == PTW_GONE_EXITED || vs->gone.why == PTW_GONE_EXEC;
}

/* The VMA [@start, @end) went while its pages were checked. */
static void vma_went(struct ptw_verify *vs, uint64_t start, uint64_t end)
{
	vs->skip_end = end;
	if (vs->gone.why)
		return;
	vs->gone = (struct ptw_verify_gone){
		.why = PTW_GONE_UNMAPPED, .after = vs->n.checked, .start = start, .end = end,
	};
}

/* pagemap's entry for @va.  Return: whether read (else the mm is gone). */
static bool read_pm(struct ptw_verify *vs, uint64_t va, uint64_t *pm)
{
	if (vs->read_pagemap ? vs->read_pagemap(vs, va, pm) : read_u64(vs->pmfd, va >> 12, pm))
		return true;
	/* pagemap reads nothing of user space once the mm is gone. */
	target_went(vs);
	return false;
}

/*
 * pagemap's entry for @va for the first comparison of an entry's page,
 * from the batch read when @va is in it, else reading PTW_VERIFY_BATCH
 * entries from @va on (entries come in address order).  Read after the
 * module's answer, as read_pm() is.  Return: whether read.
 */
static bool read_pm_batched(struct ptw_verify *vs, uint64_t va, uint64_t *pm)
{
	uint64_t n;
	ssize_t got;

	if (vs->read_pagemap)
		return read_pm(vs, va, pm);
	if (va >= vs->pm_va && va < vs->pm_va + (vs->pm_n << 12) && vs->pm_n) {
		*pm = vs->pm_batch[(va - vs->pm_va) >> 12];
		return true;
	}
	/*
	 * 2 MiB at a time, not more: a VMA unmapped while its pages are
	 * checked must still be seen (pagemap read afresh says so).
	 */
	n = PTW_VERIFY_BATCH;
	if (vs->pm_end > va && (vs->pm_end - va) >> 12 < n)
		n = (vs->pm_end - va + 4095) >> 12;
	got = vs->pmfd < 0 ? -1 : pread(vs->pmfd, vs->pm_batch, n * 8, (va >> 12) * 8);
	if (got < 8) {
		vs->pm_n = 0;
		return read_pm(vs, va, pm);
	}
	vs->pm_va = va;
	vs->pm_n = (size_t)got / 8;
	*pm = vs->pm_batch[0];
	return true;
}

/* kpageflags' bits the comparison reads: other flags churn (lru, ...). */
#define KPF_COMPARED	((1ULL << KPF_ANON) | (1ULL << KPF_KSM) | (1ULL << KPF_ZERO_PAGE) | \
			 (1ULL << KPF_HUGE) | (1ULL << KPF_THP))

/*
 * kpageflags of @pfn, page @page of a huge entry of @pages: from the batch
 * when in it, else reading the entry's next frames (at most
 * PTW_VERIFY_BATCH).  Return: whether read.
 */
static bool read_kpf_batched(struct ptw_verify *vs, uint64_t pfn, uint64_t page,
			     uint64_t pages, uint64_t *v)
{
	uint64_t n = pages - page;
	ssize_t got;

	if (pfn >= vs->kpf_pfn && pfn < vs->kpf_pfn + vs->kpf_n) {
		*v = vs->kpf_batch[pfn - vs->kpf_pfn];
		return true;
	}
	if (n > PTW_VERIFY_BATCH)
		n = PTW_VERIFY_BATCH;
	got = vs->kpf < 0 ? -1 : pread(vs->kpf, vs->kpf_batch, n * 8, pfn * 8);
	if (got < 8) {
		vs->kpf_n = 0;
		return read_u64(vs->kpf, pfn, v);
	}
	vs->kpf_pfn = pfn;
	vs->kpf_n = (size_t)got / 8;
	*v = vs->kpf_batch[0];
	return true;
}

/*
 * kpageflags and kpagecount of page @page of @r, when they apply; @batch:
 * the first read of a huge entry's pages (read_kpf_batched()), else one
 * read of each.
 */
static void read_kpage(struct ptw_verify *vs, const struct ptwalk_rec *r,
		       uint64_t page, struct ptw_kpage *kp, bool batch)
{
	uint64_t pfn = r->pfn + page;

	*kp = (struct ptw_kpage){ 0 };
	/* Root's files, about real frames: not for hidden ones or PFN maps. */
	if (vs->hidden || r->kind != PTWALK_K_PRESENT || (r->page & PTWALK_P_NOPAGE))
		return;
	if (batch && ptw_pages(r) > 1)
		kp->has_flags = read_kpf_batched(vs, pfn, page, ptw_pages(r), &kp->flags);
	else
		kp->has_flags = read_u64(vs->kpf, pfn, &kp->flags);
	kp->flags &= KPF_COMPARED;
	if (ptw_mapcount_comparable(r, page))
		kp->has_count = read_u64(vs->kpc, pfn, &kp->count);
}

/* The two sides of one round about page @va.  Return: the disagreement, or NULL. */
static const char *compare(const struct ptw_verify *vs, uint64_t va, const struct mod_side *m,
			   const struct pm_side *p, char *why, size_t len)
{
	struct ptw_pm_model model;

	if (m->has_rec)
		return ptw_compare_pagemap(&m->r, m->vmf, (va - m->r.vaddr) >> 12, p->pm, &p->kp,
					   vs->hidden, why, len);
	ptw_hole_model(m->has_vma ? m->vmf : 0, &model);
	if (!ptw_compare_model(&model, p->pm, why, len))
		return NULL;
	if (p->pm & PTWALK_PM_PRESENT)
		return "pagemap: present, ptwalk: no entry";
	if (p->pm & PTWALK_PM_SWAP)
		return "pagemap: swapped, ptwalk: no entry";
	return why;
}

static bool same_mod(const struct mod_side *a, const struct mod_side *b)
{
	if (a->has_vma != b->has_vma || a->has_rec != b->has_rec || a->vmf != b->vmf)
		return false;
	return !a->has_rec || ptw_same_for_pagemap(&a->r, &b->r);
}

static bool same_pm(const struct pm_side *a, const struct pm_side *b)
{
	return a->pm == b->pm && a->kp.has_flags == b->kp.has_flags &&
	       a->kp.flags == b->kp.flags && a->kp.has_count == b->kp.has_count &&
	       a->kp.count == b->kp.count;
}

/* Append a row to *@rows (@n of @cap).  Return: false when out of memory. */
static bool add_row(struct ptw_verify *vs, struct ptw_mismatch **rows, size_t *n, size_t *cap,
		    uint64_t va, const struct mod_side *m, const char *msg)
{
	struct ptw_mismatch *row;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;

		row = realloc(*rows, c * sizeof(*row));
		if (!row) {
			vs->nomem = true;
			return false;
		}
		*rows = row;
		*cap = c;
	}
	row = &(*rows)[(*n)++];
	row->va = va;
	row->level = m->has_rec ? ptwalk_level_name(m->r.level) : "-";
	row->kind = m->has_rec ? ptwalk_kind_name(m->r.kind) : "none";
	snprintf(row->reason, sizeof(row->reason), "%s", msg);
	return true;
}

/*
 * The module's answer about page @va now, into @m.  Return: 0; 1 when the
 * process went (vs->gone); -1 when the module failed, @err saying why.
 */
static int ask_module(struct ptw_verify *vs, uint64_t va, struct mod_side *m,
		      char *err, size_t len)
{
	struct ptw_result again;
	const struct ptwalk_rec *r;
	char q[80];
	size_t i;

	snprintf(q, sizeof(q), "range=0x%llx-0x%llx", (unsigned long long)va,
		 (unsigned long long)va + 4096);
	if (vs->query ? vs->query(vs, q, &again, err, len) :
			ptw_query(vs->pid, q, &again, err, len)) {
		if (errno != ESRCH)
			return -1;
		target_went(vs);
		return 1;
	}
	if (again.end.status == PTWALK_END_EXITED) {
		ptw_free(&again);
		target_went(vs);
		return 1;
	}
	*m = (struct mod_side){ 0 };
	for (i = 0; i < again.nvmas; i++) {
		const struct ptw_vma *v = &again.vmas[i];

		if (v->start <= va && va < v->end) {
			m->has_vma = true;
			m->vmf = v->flags;
			m->vstart = v->start;
			m->vend = v->end;
		}
	}
	r = ptw_find(&again, va);
	if (r) {
		m->has_rec = true;
		m->r = *r;
	}
	ptw_free(&again);
	return 0;
}

/*
 * One read of both sides about page @va: the module into @m and pagemap,
 * kpageflags and kpagecount into @p; pagemap's entry before the module's
 * when @pm_first.  kpageflags and kpagecount are read last either way:
 * the module's entry says which frame and whether its count compares.
 * Return: 0; 1 when the target or the VMA the page was in (@m0's) went;
 * -1 when the module failed, @err saying why.
 */
static int read_sides(struct ptw_verify *vs, uint64_t va, const struct mod_side *m0,
		      struct mod_side *m, struct pm_side *p, bool pm_first, char *err,
		      size_t len)
{
	int ret;

	if (pm_first && !read_pm(vs, va, &p->pm))
		return 1;
	ret = ask_module(vs, va, m, err, len);
	if (ret)
		return ret;
	/* The VMA the page was in is gone (unmapped, or moved away). */
	if (m0->has_vma && !m->has_vma) {
		vma_went(vs, m0->vstart, m0->vend);
		return 1;
	}
	/* Read after the module: alive, the mm it answered for was this one. */
	if (!pm_first && !read_pm(vs, va, &p->pm))
		return 1;
	p->kp = (struct ptw_kpage){ 0 };
	if (m->has_rec)
		read_kpage(vs, &m->r, (va - m->r.vaddr) >> 12, &p->kp, false);
	return 0;
}

/*
 * Before round @round (2, 3) of a page whose last round disagreed stably: sleep
 * a random 0 to (@round - 1) ms, at most PTW_VERIFY_PAUSE_BUDGET_US in one
 * verify, so the next round's reads fall at another phase of whatever the
 * target repeats.  Only verify waits; the target runs on.
 */
static void pause_between_rounds(struct ptw_verify *vs, int round)
{
	unsigned int us;
	struct timespec ts;

	if (vs->paused_us >= PTW_VERIFY_PAUSE_BUDGET_US)
		return;
	if (!vs->seed)
		vs->seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);
	us = (unsigned int)rand_r(&vs->seed) % (1000U * (unsigned int)(round - 1) + 1);
	vs->paused_us += us;
	vs->pauses++;
	ts = (struct timespec){ .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Page @va: the module said @m0 and pagemap @p0.  Decide: agrees,
 * disagrees, kept changing, or the target went before it could be told.
 * A round reads both sides twice, in turn: module, pagemap, module,
 * pagemap in odd rounds, pagemap first in even ones.  A round is stable
 * when each side gave the same answer twice, around the other's read.  The
 * page agrees as soon as one read of both agrees.  It disagrees only after
 * PTW_VERIFY_STABLE rounds in a row (so in both orders), a random pause
 * before each but the first, stable and with the same answers on each
 * side; if PTW_VERIFY_ROUNDS rounds do not give that, it kept changing.
 *
 * Why both orders, after a pause: the module and pagemap both take the
 * target's mmap lock for reading, and a target that writes
 * /proc/self/clear_refs in a loop (mm's soft-dirty selftest) takes it for
 * writing.  A writer waiting on one side's read is queued ahead of the
 * other side's read, so the target can clear soft-dirty between the two
 * reads of every pair and set it again (a write fault takes no mmap lock)
 * before the next pair: each side is then "stable" and they differ, round
 * after round, without any error.  Seen once in 26 runs of that selftest on
 * 7.2, while one stable round was enough.  A real disagreement does not
 * depend on the order or the moment of the reads; such a convoy does.
 */
static void check_page(struct ptw_verify *vs, uint64_t va, const struct mod_side *m0,
		       const struct pm_side *p0)
{
	struct mod_side m[2], first_m = { 0 };
	struct pm_side p[2], first_p = { 0 };
	char why[2][160], err[256];
	const char *msg;
	int round, k, ret, streak = 0;

	msg = compare(vs, va, m0, p0, why[0], sizeof(why[0]));
	if (!msg || !vs->live) {
		vs->n.checked++;
		if (msg)
			add_row(vs, &vs->bad, &vs->n.bad, &vs->cap, va, m0, msg);
		return;
	}
	snprintf(why[1], sizeof(why[1]), "%s", msg);
	vs->n.rechecked++;
	for (round = 1; round <= PTW_VERIFY_ROUNDS; round++) {
		if (streak)
			pause_between_rounds(vs, round);
		for (k = 0; k < 2; k++) {
			ret = read_sides(vs, va, m0, &m[k], &p[k], !(round & 1), err, sizeof(err));
			if (ret > 0)
				return;
			if (ret < 0) {
				snprintf(why[k], sizeof(why[k]), "recheck failed: %.100s", err);
				vs->n.checked++;
				add_row(vs, &vs->bad, &vs->n.bad, &vs->cap, va, m0, why[k]);
				return;
			}
			msg = compare(vs, va, &m[k], &p[k], why[k], sizeof(why[k]));
			if (!msg) {
				vs->n.checked++;
				return;
			}
			if (msg != why[k])
				snprintf(why[k], sizeof(why[k]), "%s", msg);
		}
		if (!same_mod(&m[0], &m[1]) || !same_pm(&p[0], &p[1])) {
			streak = 0;
		} else if (streak && same_mod(&first_m, &m[1]) && same_pm(&first_p, &p[1])) {
			streak++;
		} else {
			streak = 1;
			first_m = m[1];
			first_p = p[1];
		}
		if (streak == PTW_VERIFY_STABLE) {
			vs->n.checked++;
			add_row(vs, &vs->bad, &vs->n.bad, &vs->cap, va, &m[1], why[1]);
			return;
		}
	}
	vs->n.checked++;
	add_row(vs, &vs->changed, &vs->n.changed, &vs->ccap, va, &m[1], why[1]);
}

/* The pages of [start, end) that went with their VMA are not checked. */
static bool skipped(const struct ptw_verify *vs, uint64_t va)
{
	return va < vs->skip_end;
}

/* Skip the entries of @res that end at or before @va. */
static void skip_to(const struct ptw_result *res, size_t *next, uint64_t va)
{
	while (*next < res->nrecs && res->recs[*next].vaddr +
	       (1ULL << res->recs[*next].shift) <= va)
		(*next)++;
}

/*
 * Pages of VMA @v that the module reported nothing for must be blank in
 * pagemap too (ptw_hole_model()).  @res's entries are sorted by address
 * and do not overlap.  The pages they cover are compared entry by entry
 * (verify_entry()): a covered stretch is stepped over whole.  pagemap is
 * read PTW_VERIFY_PM_BATCH pages at a time from the first page not
 * covered, and not again while the pages looked at stay in that batch: a
 * fully mapped GiB costs no read here, one with a page in 16 mapped 32
 * (a syscall is dear under emulation; one per gap would be 16,384).
 */
static void verify_holes(struct ptw_verify *vs, const struct ptw_result *res,
			 const struct ptw_vma *v, size_t *next)
{
	uint64_t start = v->start > res->hdr.start ? v->start : res->hdr.start;
	uint64_t end = v->end < res->hdr.end ? v->end : res->hdr.end;
	struct mod_side m = {
		.has_vma = true, .vmf = v->flags, .vstart = v->start, .vend = v->end,
	};
	uint64_t *pm = vs->pm_batch, va = start, batch_va = 0, batch_n = 0;

	vs->pm_n = 0;		/* the entries' batch is overwritten here */
	while (va < end && !went(vs) && !skipped(vs, va)) {
		struct pm_side p;
		uint64_t k;

		skip_to(res, next, va);
		/* Covered from here: step to the end of the entries that touch. */
		if (*next < res->nrecs && res->recs[*next].vaddr <= va) {
			const struct ptwalk_rec *r = &res->recs[*next];

			va = r->vaddr + (1ULL << r->shift);
			(*next)++;
			continue;
		}
		if (va < batch_va || va >= batch_va + (batch_n << 12)) {
			uint64_t n = (end - va) >> 12;
			ssize_t got;

			if (n > PTW_VERIFY_PM_BATCH)
				n = PTW_VERIFY_PM_BATCH;
			got = pread(vs->pmfd, pm, n * 8, (va >> 12) * 8);
			if (got < 8) {
				target_went(vs);
				return;
			}
			batch_va = va;
			batch_n = (uint64_t)got / 8;
		}
		k = (va - batch_va) >> 12;
		p = (struct pm_side){ .pm = pm[k] };
		va += 4096;
		/* A blank page is no news: count the ones pagemap says something about. */
		if (!(pm[k] & ~PTWALK_PM_SOFT_DIRTY) &&
		    !!(pm[k] & PTWALK_PM_SOFT_DIRTY) == !!(v->flags & PTWALK_VMA_SOFTDIRTY))
			continue;
		check_page(vs, va - 4096, &m, &p);
	}
}

/*
 * The entry verify_entry() last found agreeing at once, when it was a 4K
 * swap entry in root's view (@ok), with pagemap's entry for it and its
 * VMA.  ptw_pagemap_model() of a 4K swap entry wants its frame to be
 * type | offset << 5 and its other bits from fields the entry after it in
 * a run shares (ptwalk_swap_next(): one page and one slot on, nothing
 * else changed): so when pagemap's entry for that page is this one's one
 * slot on and nothing else, the two agree as these did, without building
 * a model.  A swapped region is then one comparison a page.
 */
struct swap_agreed {
	bool ok;
	struct ptwalk_rec r;
	uint64_t pm;
	size_t vma;
};

/* Offsets below this step without carrying out of pagemap's frame field. */
#define PTW_SWAP_OFFSET_MAX	((1ULL << (55 - PTWALK_PM_SWAP_TYPE_BITS)) - 1)

static bool swap_4k(const struct ptw_verify *vs, const struct ptwalk_rec *r)
{
	return !vs->hidden && r->kind == PTWALK_K_SWAP && r->level == PTWALK_LVL_PTE &&
	       r->shift == 12 && r->swap_offset < PTW_SWAP_OFFSET_MAX;
}

/* Is @r, in VMA @vma, @a's entry one page and one slot on? */
static bool swap_follows(const struct swap_agreed *a, const struct ptwalk_rec *r, size_t vma)
{
	struct ptwalk_rec want = a->r;

	if (!a->ok || a->vma != vma)
		return false;
	ptwalk_swap_next(&want, 0);
	return !memcmp(&want, r, sizeof(want));
}

/* Is pagemap's @pm @a's one slot on, every other bit the same? */
static bool pm_follows(const struct swap_agreed *a, uint64_t pm)
{
	return (pm & PTWALK_PM_SWAP) && (pm & ~PTWALK_PM_PFRAME_MASK) == (a->pm & ~PTWALK_PM_PFRAME_MASK) &&
	       (pm & PTWALK_PM_PFRAME_MASK) == (a->pm & PTWALK_PM_PFRAME_MASK) +
	       (1ULL << PTWALK_PM_SWAP_TYPE_BITS);
}

/*
 * Compare every page of entry @i of @res with pagemap (and kpage*); @sa:
 * the entry before, if it was a 4K swap entry that agreed at once.
 */
static void verify_entry(struct ptw_verify *vs, const struct ptw_result *res, size_t i,
			 struct swap_agreed *sa)
{
	const struct ptwalk_rec *r = &res->recs[i];
	uint64_t p, n = ptw_pages(r);
	struct mod_side m = { .has_rec = true, .r = *r, .vmf = ptw_vma_flags(res, i) };
	size_t vma = res->nvmas ? res->rec_vma[i] : 0;
	bool swap = swap_4k(vs, r), follows = swap && swap_follows(sa, r, vma);

	sa->ok = false;
	vs->kpf_n = 0;		/* frames of this entry only */
	if (res->nvmas) {
		const struct ptw_vma *v = &res->vmas[res->rec_vma[i]];

		m.has_vma = true;
		m.vstart = v->start;
		m.vend = v->end;
	}
	for (p = 0; p < n && !went(vs); p++) {
		uint64_t va = r->vaddr + (p << 12);
		struct pm_side s = { 0 };
		struct ptw_verify_totals before = vs->n;

		if (skipped(vs, va) || va < res->hdr.start || va >= res->hdr.end)
			continue;
		if (!read_pm_batched(vs, va, &s.pm))
			return;
		if (follows && pm_follows(sa, s.pm)) {
			vs->n.checked++;
		} else {
			read_kpage(vs, r, p, &s.kp, true);
			check_page(vs, va, &m, &s);
			/* Agreed at once: one page checked, nothing else counted. */
			if (!swap || went(vs) || vs->n.checked != before.checked + 1 ||
			    vs->n.rechecked != before.rechecked || vs->n.bad != before.bad ||
			    vs->n.changed != before.changed)
				continue;
		}
		if (swap)
			*sa = (struct swap_agreed){ .ok = true, .r = *r, .pm = s.pm, .vma = vma };
	}
}

void ptw_verify_run(struct ptw_verify *vs, const struct ptw_result *res)
{
	const struct ptw_filter *f = &vs->filter;
	struct swap_agreed sa = { .ok = false };
	size_t i, next = 0;

	vs->hidden = res->hdr.flags & PTWALK_H_PHYS_HIDDEN;
	vs->pm_end = res->hdr.end;
	for (i = 0; i < res->nrecs && !went(vs) && !vs->nomem; i++) {
		if (ptw_keep(res, i, f))
			verify_entry(vs, res, i, &sa);
		else
			sa.ok = false;
	}
	/* Pages the module left out, unless a filter left them out. */
	vs->skip_end = 0;
	for (i = 0; vs->holes && i < res->nvmas && !went(vs) && !vs->nomem; i++) {
		const struct ptw_vma *v = &res->vmas[i];

		if (f->vma && f->vma[0] && !strstr(v->name, f->vma))
			continue;
		if (vs->gone.why == PTW_GONE_UNMAPPED && v->start == vs->gone.start)
			continue;
		verify_holes(vs, res, v, &next);
	}
}

int ptw_verify_status(const struct ptw_verify *vs)
{
	if (vs->n.bad)
		return PTW_VERIFY_DISAGREE;
	if (vs->failed || vs->nomem)
		return PTW_VERIFY_FAILED;
	if (vs->gone.why)
		return PTW_VERIFY_GONE;
	if (vs->n.changed)
		return PTW_VERIFY_CHANGED;
	return PTW_VERIFY_AGREE;
}

const char *ptw_verify_result_name(int status)
{
	switch (status) {
	case PTW_VERIFY_AGREE: return "agree";
	case PTW_VERIFY_GONE: return "target-gone";
	case PTW_VERIFY_CHANGED: return "changed";
	case PTW_VERIFY_FAILED: return "failed";
	default: return "disagree";
	}
}

char *ptw_verify_gone_words(const struct ptw_verify *vs, char *buf, size_t len)
{
	const struct ptw_verify_gone *g = &vs->gone;
	char what[80];

	if (g->why == PTW_GONE_UNMAPPED)
		snprintf(what, sizeof(what), "unmapped 0x%llx-0x%llx",
			 (unsigned long long)g->start, (unsigned long long)g->end);
	else
		snprintf(what, sizeof(what), "%s", g->why == PTW_GONE_EXEC ? "exec'd" : "exited");
	snprintf(buf, len, "pid %d %s during the check after %zu page%s", (int)vs->pid, what,
		 g->after, g->after == 1 ? "" : "s");
	return buf;
}

bool ptw_verify_went(struct ptw_verify *vs)
{
	uint64_t pm;

	if (!went(vs) && !read_u64(vs->pmfd, 0, &pm))
		target_went(vs);
	return went(vs);
}

int ptw_verify_begin(struct ptw_verify *vs, pid_t pid)
{
	unsigned long long flags = 0;
	char state = 0;

	vs->pid = pid;
	if (!proc_stat(pid, &state, &flags, &vs->start_time) || state == 'Z' || state == 'X') {
		warnx("pid %d: no such process%s", (int)pid, state == 'Z' ? " (a zombie)" : "");
		vs->failed = true;
		return -1;
	}
	return 0;
}

int ptw_verify_open(struct ptw_verify *vs, pid_t pid)
{
	char path[64];

	vs->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	vs->pmfd = open(path, O_RDONLY | O_CLOEXEC);
	if (vs->pmfd < 0) {
		if (vs->start_time && (errno == ENOENT || errno == ESRCH)) {
			target_went(vs);
		} else {
			warnx("%s: %s", path, errno == ENOENT ? "no such process" : strerror(errno));
			vs->failed = true;
		}
		return -1;
	}
	vs->kpf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	vs->kpc = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	return 0;
}

void ptw_verify_close(struct ptw_verify *vs)
{
	free(vs->bad);
	free(vs->changed);
	vs->bad = vs->changed = NULL;
	if (vs->pmfd >= 0)
		close(vs->pmfd);
	if (vs->kpf >= 0)
		close(vs->kpf);
	if (vs->kpc >= 0)
		close(vs->kpc);
	vs->pmfd = vs->kpf = vs->kpc = -1;
}
