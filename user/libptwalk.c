// SPDX-License-Identifier: GPL-2.0
/*
 * libptwalk.c - query ptwalk.ko and parse its binary answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kernel-page-flags.h>

#include "libptwalk.h"
#include "ptwalk_names.h"

#define DEBUGFS_WALK	"/sys/kernel/debug/ptwalk/walk"
#define PROC_WALK	"/proc/ptwalk"

static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void ptw_free(struct ptw_result *res)
{
	free(res->vmas);
	free(res->recs);
	free(res->rec_vma);
	free(res->levels);
	free(res->tasks);
	free(res->rec_task);
	free(res->frames);
	memset(res, 0, sizeof(*res));
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *np;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 64;
	np = realloc(*p, *cap * size);
	if (!np)
		return -1;
	*p = np;
	return 0;
}

/* What ptw_parse() carries from one record to the next. */
struct parser {
	struct ptw_result *res;
	size_t vcap, rcap, vmcap, lcap, tcap, rtcap, fcap;
	unsigned int prev_type;
	unsigned int named;	/* who a NAME belongs to: VMA, FRAME or 0 */
	bool ended, tallied;
	bool who;		/* PTWALK_H_WHO */
	size_t vma_task;	/* who: TASKs seen when the last VMA came */
	uint64_t mappings;	/* who: frames the entries map */
	char *err;
	size_t errlen;
	struct ptwalk_rec last;	/* the last entry, which a MORE or SWAPRUN continues */
	size_t last_vma;
	/* ptw_parse_count(): count the entries per VMA instead of keeping them */
	bool count_only;
	/* ptw_parse_summary(): a format=summary answer, its counts per VMA */
	bool want_summary, summary;
	size_t summed;		/* VMAs whose SUMMARY2 came */
	uint64_t sum_present;	/* the last SUMMARY's present */
	const struct ptw_filter *filter;
	struct ptw_counts *counts;
	size_t ccap;
	/*
	 * ptw_parse_groups(): runs and groups as the entries come, the
	 * entries not kept.  @cur is the run open (@open), which the last
	 * entry passing the filter is in; @last_kept: whether ps->last did.
	 */
	bool grouping, open, last_kept, keep_runs;
	struct ptw_run cur;
	struct ptw_run *runs;
	size_t nruns, runcap;
	struct ptw_group *groups;
	size_t ngroups, gcap;
};

static int count_entry(struct parser *ps, const struct ptwalk_rec *e, size_t vma);
static int group_entry(struct parser *ps, const struct ptwalk_rec *e, size_t vma);
static int group_add(struct ptw_group **out, size_t *ng, size_t *cap, const struct ptw_run *r,
		     size_t i);
static bool keep_rec(const struct ptw_result *res, const struct ptwalk_rec *r, size_t vma,
		     const struct ptw_filter *f);

/* Appends entry @e of VMA @vma to the result; -1 when out of memory. */
static int add_entry(struct parser *ps, const struct ptwalk_rec *e, size_t vma)
{
	struct ptw_result *res = ps->res;

	ps->last = *e;
	ps->last_vma = vma;
	if (ps->count_only)
		return count_entry(ps, e, vma);
	if (ps->grouping)
		return group_entry(ps, e, vma);
	if (grow((void **)&res->recs, &ps->rcap, res->nrecs, sizeof(*res->recs)) ||
	    grow((void **)&res->rec_vma, &ps->vmcap, res->nrecs, sizeof(size_t)))
		return fail(ps->err, ps->errlen, "out of memory");
	res->recs[res->nrecs] = *e;
	res->rec_vma[res->nrecs] = vma;
	if (ps->who) {
		if (grow((void **)&res->rec_task, &ps->rtcap, res->nrecs, sizeof(size_t)))
			return fail(ps->err, ps->errlen, "out of memory");
		res->rec_task[res->nrecs] = res->ntasks - 1;
	}
	res->nrecs++;
	return 0;
}

uint64_t ptw_overlap(const struct ptwalk_rec *r, uint64_t lo, uint64_t hi)
{
	uint64_t first = r->pfn, last = r->pfn + (1ULL << (r->shift - 12));

	if (first < lo)
		first = lo;
	if (last > hi)
		last = hi;
	return last > first ? last - first : 0;
}

/* The END record @e against what the stream carried. */
static int check_end(const struct ptw_result *res, const struct ptwalk_end *e,
		     char *err, size_t errlen)
{
	if (e->status < PTWALK_END_COMPLETE || e->status > PTWALK_END_STOPPED)
		return fail(err, errlen, "corrupt answer: end record with status %u",
			    e->status);
	if (e->entries != res->nrecs)
		return fail(err, errlen, "corrupt answer: end record says %llu entries, stream has %zu",
			    (unsigned long long)e->entries, res->nrecs);
	if (e->vmas != res->nvmas)
		return fail(err, errlen, "corrupt answer: end record says %llu VMAs, stream has %zu",
			    (unsigned long long)e->vmas, res->nvmas);
	if ((res->hdr.flags & PTWALK_H_SINGLE) && (res->nrecs > 1 || res->nvmas > 1))
		return fail(err, errlen, "corrupt answer: %zu entries and %zu VMAs for one address",
			    res->nrecs, res->nvmas);
	return 0;
}

/* The header of a @len byte stream: this format, this architecture. */
/* @len: the stream's bytes, or (!@whole) those read so far. */
static int check_hdr(const struct ptwalk_hdr *hdr, size_t len, bool whole, char *err,
		     size_t errlen)
{
	if (hdr->magic != PTWALK_MAGIC)
		return fail(err, errlen, "not a ptwalk stream (bad magic)");
	/*
	 * Older formats cannot tell a truncated answer from a whole one and
	 * lay VMA and LEVEL records out differently.
	 */
	if (hdr->version != PTWALK_VERSION)
		return fail(err, errlen, "made by %s ptwalk.ko, format %u; this ptwalk reads format %u",
			    hdr->version < PTWALK_VERSION ? "an older" : "a newer",
			    hdr->version, PTWALK_VERSION);
	/* raw, pkey and the per-architecture bits are hdr.arch's. */
	if (hdr->arch != PTWALK_ARCH_X86_64 && hdr->arch != PTWALK_ARCH_ARM64)
		return fail(err, errlen, "this stream is from architecture %u, which this ptwalk cannot decode",
			    hdr->arch);
	if (hdr->hdr_size < sizeof(*hdr) || hdr->hdr_size > len || hdr->hdr_size > 4096 ||
	    hdr->rec_size < PTWALK_REC_SIZE || hdr->rec_size > 4096)
		return fail(err, errlen, "corrupt ptwalk header (sizes %u/%u)",
			    hdr->hdr_size, hdr->rec_size);
	if (whole && (len - hdr->hdr_size) % hdr->rec_size)
		return fail(err, errlen, "truncated ptwalk stream (%zu stray bytes)",
			    (len - hdr->hdr_size) % hdr->rec_size);
	return 0;
}

static int parse_vma(struct parser *ps, const struct ptwalk_vma *r)
{
	struct ptw_result *res = ps->res;
	struct ptw_vma *v;

	if (grow((void **)&res->vmas, &ps->vcap, res->nvmas, sizeof(*res->vmas)))
		return fail(ps->err, ps->errlen, "out of memory");
	v = &res->vmas[res->nvmas++];
	memset(v, 0, sizeof(*v));
	v->start = r->start;
	v->end = r->end;
	v->pgoff = r->pgoff;
	v->flags = r->flags;
	return 0;
}

/*
 * NAME records append to the name of the VMA before them, or (who maps)
 * to the path of the FRAME before them.
 */
static int parse_name(struct parser *ps, const struct ptwalk_name *r)
{
	char *name;
	size_t have, n, cap;

	if (ps->named == PTWALK_REC_MEMCG) {
		return fail(ps->err, ps->errlen, "corrupt stream: a name after a frame's memcg");
	} else if (ps->named == PTWALK_REC_FRAME) {
		name = ps->res->frames[ps->res->nframes - 1].path;
		cap = sizeof(ps->res->frames[0].path);
	} else if (ps->named == PTWALK_REC_VMA) {
		name = ps->res->vmas[ps->res->nvmas - 1].name;
		cap = sizeof(ps->res->vmas[0].name);
	} else {
		return fail(ps->err, ps->errlen, "corrupt stream: name before any VMA");
	}
	have = strlen(name);
	n = strnlen(r->name, PTWALK_NAME_BYTES);
	if (have + n < cap)
		memcpy(name + have, r->name, n);
	return 0;
}

/* Who maps: MEMCG records append to the memcg path of the FRAME before them. */
static int parse_memcg(struct parser *ps, const struct ptwalk_memcg *r, size_t off)
{
	struct ptw_frame *f = ps->res->nframes ? &ps->res->frames[ps->res->nframes - 1] : NULL;
	size_t have, n;

	if (!f || (ps->named != PTWALK_REC_FRAME && ps->named != PTWALK_REC_MEMCG) ||
	    f->f.memcg != PTWALK_MEMCG_PATH)
		return fail(ps->err, ps->errlen, "corrupt memcg record at offset %zu", off);
	have = strlen(f->memcg);
	n = strnlen(r->path, PTWALK_NAME_BYTES);
	if (have + n < sizeof(f->memcg))
		memcpy(f->memcg + have, r->path, n);
	return 0;
}

/* Who maps: a TASK, before any FRAME. */
static int parse_task(struct parser *ps, const struct ptwalk_task *t, size_t off)
{
	struct ptw_result *res = ps->res;

	if (!ps->who || res->nframes)
		return fail(ps->err, ps->errlen, "corrupt stream: task record at offset %zu", off);
	if (grow((void **)&res->tasks, &ps->tcap, res->ntasks, sizeof(*t)))
		return fail(ps->err, ps->errlen, "out of memory");
	res->tasks[res->ntasks] = *t;
	res->tasks[res->ntasks].comm[sizeof(t->comm) - 1] = '\0';
	res->ntasks++;
	return 0;
}

/* Who maps: the FRAME of the next frame of the range. */
static int parse_frame(struct parser *ps, const struct ptwalk_frame *f, size_t off)
{
	struct ptw_result *res = ps->res;

	if (!ps->who || f->pfn != res->hdr.start + res->nframes ||
	    f->pfn >= res->hdr.end || f->state < PTWALK_FRAME_MAPPED ||
	    f->state > PTWALK_FRAME_ZERO || f->memcg > PTWALK_MEMCG_PATH)
		return fail(ps->err, ps->errlen, "corrupt frame record at offset %zu", off);
	if (grow((void **)&res->frames, &ps->fcap, res->nframes, sizeof(*res->frames)))
		return fail(ps->err, ps->errlen, "out of memory");
	memset(&res->frames[res->nframes], 0, sizeof(res->frames[0]));
	res->frames[res->nframes++].f = *f;
	return 0;
}

/* Who maps: the TALLY, after every frame, agreeing with the stream. */
static int parse_tally(struct parser *ps, const struct ptwalk_tally *t, size_t off)
{
	struct ptw_result *res = ps->res;
	uint64_t mapcount = 0;
	size_t i;

	for (i = 0; i < res->nframes; i++)
		if (res->frames[i].f.mapcount > 0)
			mapcount += (uint64_t)res->frames[i].f.mapcount;
	if (!ps->who || ps->tallied ||
	    res->nframes != res->hdr.end - res->hdr.start || t->frames != res->nframes)
		return fail(ps->err, ps->errlen, "corrupt tally record at offset %zu", off);
	if (t->mappings != ps->mappings || t->mapcount != mapcount ||
	    t->equal != (t->mappings == t->mapcount))
		return fail(ps->err, ps->errlen,
			    "corrupt answer: tally says %llu mappings and mapcount %llu, stream has %llu and %llu",
			    (unsigned long long)t->mappings, (unsigned long long)t->mapcount,
			    (unsigned long long)ps->mappings, (unsigned long long)mapcount);
	res->tally = *t;
	ps->tallied = true;
	return 0;
}

static int parse_entry(struct parser *ps, const struct ptwalk_rec *r, size_t off)
{
	size_t nvmas = ps->res->nvmas;

	if (r->kind > PTWALK_K_UNKNOWN || r->level > PTWALK_LVL_PGD ||
	    (r->shift != 12 && r->shift != 21 && r->shift != 30))
		return fail(ps->err, ps->errlen, "corrupt entry record at offset %zu", off);
	if (ps->who) {
		/* A match: after its TASK and VMA, mapping a frame of the range. */
		uint64_t k = ptw_overlap(r, ps->res->hdr.start, ps->res->hdr.end);

		if (!ps->res->ntasks || !nvmas || ps->vma_task != ps->res->ntasks ||
		    ps->res->nframes || r->kind != PTWALK_K_PRESENT || !k)
			return fail(ps->err, ps->errlen,
				    "corrupt answer: entry at offset %zu is no mapping of the frames", off);
		ps->mappings += k;
	}
	return add_entry(ps, r, nvmas ? nvmas - 1 : 0);
}

/*
 * ptw_parse_groups(): the run open is done; it goes to the groups (and
 * the runs, when kept) as ptw_groups() would take it.  Return: 0 or -1.
 */
static int close_run(struct parser *ps)
{
	if (!ps->open)
		return 0;
	ps->open = false;
	if (ps->keep_runs) {
		if (grow((void **)&ps->runs, &ps->runcap, ps->nruns, sizeof(*ps->runs)))
			return fail(ps->err, ps->errlen, "out of memory");
		ps->runs[ps->nruns] = ps->cur;
	}
	if (group_add(&ps->groups, &ps->ngroups, &ps->gcap, &ps->cur, ps->nruns))
		return fail(ps->err, ps->errlen, "out of memory");
	ps->nruns++;
	return 0;
}

/* Entry @e of VMA @vma into the runs, as ptw_runs() takes entries. */
static int group_entry(struct parser *ps, const struct ptwalk_rec *e, size_t vma)
{
	bool hidden = ps->res->hdr.flags & PTWALK_H_PHYS_HIDDEN;

	ps->res->nrecs++;
	ps->last_kept = keep_rec(ps->res, e, vma, ps->filter);
	if (!ps->last_kept)
		return 0;
	if (ps->open && ps->cur.vma == vma &&
	    ptwalk_run_continues(&ps->cur.first, ps->cur.count, e, hidden)) {
		ps->cur.count++;
		return 0;
	}
	if (close_run(ps))
		return -1;
	ps->cur = (struct ptw_run){ .first = *e, .count = 1, .vma = vma };
	ps->open = true;
	return 0;
}

/*
 * The entries a MORE or SWAPRUN stands for differ from ps->last in vaddr,
 * frame (swap offset) and raw only, none of which keep_rec() reads: they
 * all pass the filter or none does, and they continue the run open or
 * start one each, by ptwalk_run_continues() asked about each.  So each
 * costs a comparison, not a copy of its record; @e is rebuilt in full
 * only where a run starts and for ps->last.
 */
static int more_grouped(struct parser *ps, const struct ptwalk_more *m)
{
	bool hidden = ps->res->hdr.flags & PTWALK_H_PHYS_HIDDEN;
	struct ptwalk_rec e = ps->last;
	int form = ptwalk_raw_pfn_form(e.raw, e.pfn, e.shift);
	uint64_t step = 1ULL << e.shift, pages = step >> 12, next_pfn = 0;
	bool fast = false;
	unsigned int i;

	ps->res->nrecs += m->count;
	for (i = 0; i < m->count; i++) {
		e.vaddr += step;
		e.pfn = m->pfn[i];
		if (!ps->last_kept)
			continue;
		/*
		 * @fast: the entry before continued the run, of its size.  The
		 * attributes and the address then continue it too: only the
		 * frame can break it (what ptwalk_run_continues() would say).
		 */
		if (fast && (hidden || e.pfn == next_pfn)) {
			ps->cur.count++;
			next_pfn += pages;
			continue;
		}
		if (ps->open && ps->cur.vma == ps->last_vma &&
		    ptwalk_run_continues(&ps->cur.first, ps->cur.count, &e, hidden)) {
			ps->cur.count++;
			fast = e.shift == ps->cur.first.shift;
			next_pfn = e.pfn + pages;
			continue;
		}
		if (close_run(ps))
			return -1;
		e.raw = (e.raw & ~PTWALK_RAW_PFN_MASK) | ptwalk_raw_pfn_field(e.pfn, form, e.shift);
		ps->cur = (struct ptw_run){ .first = e, .count = 1, .vma = ps->last_vma };
		ps->open = true;
		fast = true;
		next_pfn = e.pfn + pages;
	}
	e.raw = (e.raw & ~PTWALK_RAW_PFN_MASK) | ptwalk_raw_pfn_field(e.pfn, form, e.shift);
	ps->last = e;
	return 0;
}

/*
 * The @count entries of a SWAPRUN, grouped.  Past the first, each is the
 * one before it one page and one slot on (ptwalk_swap_next()), and
 * ptwalk_run_continues() is linear in both for a run of 4K entries: once
 * the first continues the run open (or starts one), the rest continue it
 * too.  So a SWAPRUN costs two comparisons, not one per page.
 */
static int swaprun_grouped(struct parser *ps, uint32_t count, bool hidden)
{
	struct ptwalk_rec e = ps->last;

	ps->res->nrecs += count;
	ptwalk_swap_next(&e, hidden);
	if (ps->last_kept) {
		if (!ps->open || ps->cur.vma != ps->last_vma ||
		    ps->cur.first.shift != e.shift ||
		    !ptwalk_run_continues(&ps->cur.first, ps->cur.count, &e, hidden)) {
			if (close_run(ps))
				return -1;
			ps->cur = (struct ptw_run){ .first = e, .count = 0, .vma = ps->last_vma };
			ps->open = true;
		}
		ps->cur.count += count;
	}
	/* ps->last: the last entry, count - 1 slots after the first. */
	e.vaddr += (uint64_t)(count - 1) << e.shift;
	if (!hidden) {
		e.swap_offset += count - 1;
		e.raw -= (uint64_t)(count - 1) * PTWALK_RAW_SWP_OFFSET_STEP;
	}
	ps->last = e;
	return 0;
}

/*
 * A MORE continues the entry just before it (see ptwalk.h), which must be
 * another MORE or a present entry whose raw can be rebuilt from its PFN.
 */
static int parse_more(struct parser *ps, const struct ptwalk_more *m, size_t off)
{
	struct ptw_result *res = ps->res;
	const struct ptwalk_rec *prev = res->nrecs ? &ps->last : NULL;
	int arch = res->hdr.arch;
	bool ok = prev && (ps->prev_type == PTWALK_REC_MORE ||
			   (ps->prev_type == PTWALK_REC_ENTRY &&
			    prev->kind == PTWALK_K_PRESENT &&
			    ptwalk_raw_pfn_form_arch(prev->raw, prev->pfn, prev->shift,
						     arch) != PTWALK_PFN_OTHER));
	unsigned int i;

	if (!ok || m->count < 1 || m->count > PTWALK_MORE_MAX)
		return fail(ps->err, ps->errlen, "corrupt MORE record at offset %zu", off);
	if (ps->grouping)
		return more_grouped(ps, m);
	for (i = 0; i < m->count; i++) {
		struct ptwalk_rec e = ps->last;
		int form = ptwalk_raw_pfn_form_arch(e.raw, e.pfn, e.shift, arch);

		e.vaddr += 1ULL << e.shift;
		e.pfn = m->pfn[i];
		e.raw = (e.raw & ~ptwalk_raw_pfn_mask(arch)) |
			ptwalk_raw_pfn_field_arch(m->pfn[i], form, e.shift, arch);
		if (add_entry(ps, &e, ps->last_vma))
			return -1;
	}
	return 0;
}

/*
 * A SWAPRUN continues the entry just before it (see ptwalk.h), which must
 * be a 4K swap entry or the last of another SWAPRUN, slot after slot; the
 * entries stay in the header's range.
 */
static int parse_swaprun(struct parser *ps, const struct ptwalk_swaprun *sr, size_t off)
{
	struct ptw_result *res = ps->res;
	const struct ptwalk_rec *prev = res->nrecs ? &ps->last : NULL;
	bool hidden = res->hdr.flags & PTWALK_H_PHYS_HIDDEN;
	bool ok = prev && (ps->prev_type == PTWALK_REC_SWAPRUN ||
			   ps->prev_type == PTWALK_REC_ENTRY) &&
		  prev->kind == PTWALK_K_SWAP && prev->shift == 12 &&
		  prev->level == PTWALK_LVL_PTE;
	uint32_t i;

	if (!ok || sr->count < 1 || sr->count > PTWALK_SWAPRUN_MAX ||
	    prev->vaddr + ((uint64_t)sr->count << 12) >= res->hdr.end ||
	    prev->vaddr + ((uint64_t)sr->count << 12) < prev->vaddr)
		return fail(ps->err, ps->errlen, "corrupt SWAPRUN record at offset %zu", off);
	if (ps->grouping)
		return swaprun_grouped(ps, sr->count, hidden);
	for (i = 0; i < sr->count; i++) {
		struct ptwalk_rec e = ps->last;

		ptwalk_swap_next(&e, hidden);
		if (add_entry(ps, &e, ps->last_vma))
			return -1;
	}
	return 0;
}

static int parse_level(struct parser *ps, const struct ptwalk_lvl *l, size_t off)
{
	struct ptw_result *res = ps->res;

	if (l->level > PTWALK_LVL_PGD || l->kind > PTWALK_K_UNKNOWN)
		return fail(ps->err, ps->errlen, "corrupt level record at offset %zu", off);
	if (grow((void **)&res->levels, &ps->lcap, res->nlevels, sizeof(*l)))
		return fail(ps->err, ps->errlen, "out of memory");
	res->levels[res->nlevels++] = *l;
	return 0;
}

static int grow_counts(struct parser *ps, size_t n);

/*
 * format=summary: the SUMMARY of the VMA just announced (after its VMA and
 * NAME records, once), then at once its SUMMARY2; the counts must fit the
 * VMA.  --vma's filter counts a VMA it leaves out as empty, as
 * ptw_parse_count() does.
 */
static int parse_summary(struct parser *ps, const union ptwalk_record *r, size_t off)
{
	struct ptw_result *res = ps->res;
	struct ptw_vma *v = res->nvmas ? &res->vmas[res->nvmas - 1] : NULL;
	uint64_t pages = v ? (v->end - v->start) >> 12 : 0;
	bool hidden = res->hdr.flags & PTWALK_H_PHYS_HIDDEN;
	bool keep = !ps->filter || !ps->filter->vma || !ps->filter->vma[0] ||
		    (v && strstr(v->name, ps->filter->vma));
	struct ptw_counts *k;

	if (grow_counts(ps, res->nvmas + 1))
		return fail(ps->err, ps->errlen, "out of memory");
	k = &ps->counts[res->nvmas ? res->nvmas - 1 : 0];
	if (r->type.type == PTWALK_REC_SUMMARY) {
		const struct ptwalk_summary *m = &r->summary;

		if (!v || ps->summed != res->nvmas - 1 ||
		    (ps->prev_type != PTWALK_REC_VMA && ps->prev_type != PTWALK_REC_NAME) ||
		    m->present > pages || m->swapped > pages - m->present ||
		    m->thp > pages || m->hugetlb > pages || m->zero > pages ||
		    m->ksm > pages || m->cow > pages || (hidden && m->ksm))
			return fail(ps->err, ps->errlen, "corrupt summary record at offset %zu", off);
		if (keep) {
			k->present = m->present;
			k->swapped = m->swapped;
			k->thp = m->thp;
			k->hugetlb = m->hugetlb;
			k->zero = m->zero;
			k->ksm = m->ksm;
			k->cow = m->cow;
		}
		ps->named = 0;		/* no NAME after it */
		return 0;
	} else {
		const struct ptwalk_summary2 *m = &r->summary2;
		uint64_t nodes = m->node_other;
		unsigned int i;

		for (i = 0; i < PTWALK_SUM_NODES; i++)
			nodes += m->node[i] <= pages ? m->node[i] : pages + 1;
		if (!v || ps->prev_type != PTWALK_REC_SUMMARY || m->soft_dirty > pages ||
		    m->entries > pages || m->node_other > pages ||
		    nodes != ps->sum_present)
			return fail(ps->err, ps->errlen, "corrupt summary record at offset %zu", off);
		if (keep)
			k->soft_dirty = m->soft_dirty;
		res->nrecs += m->entries;
		ps->summed = res->nvmas;
		return 0;
	}
}

/* One record of the stream, at byte @off. */
static int parse_record(struct parser *ps, const union ptwalk_record *r, size_t off)
{
	unsigned int type = r->type.type;
	int ret;

	if (ps->ended)
		return fail(ps->err, ps->errlen,
			    "corrupt answer: record type %u after the end record (offset %zu)",
			    type, off);
	/* Records a kind of answer never has. */
	if (ps->summary ? type == PTWALK_REC_ENTRY || type == PTWALK_REC_MORE ||
			  type == PTWALK_REC_SWAPRUN || type == PTWALK_REC_LEVEL ||
			  type == PTWALK_REC_TASK || type == PTWALK_REC_FRAME ||
			  type == PTWALK_REC_TALLY || type == PTWALK_REC_MEMCG ||
			  ((type == PTWALK_REC_VMA || type == PTWALK_REC_END) &&
			   ps->summed != ps->res->nvmas) ||
			  (type == PTWALK_REC_SUMMARY2) != (ps->prev_type == PTWALK_REC_SUMMARY)
			: type == PTWALK_REC_SUMMARY || type == PTWALK_REC_SUMMARY2)
		return fail(ps->err, ps->errlen,
			    "corrupt stream: record type %u out of place at offset %zu", type, off);
	if (ps->who ? type == PTWALK_REC_MORE || type == PTWALK_REC_LEVEL ||
		      type == PTWALK_REC_SWAPRUN ||
		      (ps->tallied && type != PTWALK_REC_END) ||
		      (type == PTWALK_REC_END && !ps->tallied) ||
		      (type == PTWALK_REC_VMA && (ps->res->nframes || !ps->res->ntasks))
		    : type == PTWALK_REC_TASK || type == PTWALK_REC_FRAME ||
		      type == PTWALK_REC_TALLY || type == PTWALK_REC_MEMCG)
		return fail(ps->err, ps->errlen,
			    "corrupt stream: record type %u out of place at offset %zu", type, off);
	switch (type) {
	case PTWALK_REC_VMA:
		ret = parse_vma(ps, &r->vma);
		ps->vma_task = ps->res->ntasks;
		ps->named = PTWALK_REC_VMA;
		break;
	case PTWALK_REC_NAME:
		ret = parse_name(ps, &r->name);
		break;
	case PTWALK_REC_TASK:
		ret = parse_task(ps, &r->task, off);
		ps->named = 0;
		break;
	case PTWALK_REC_FRAME:
		ret = parse_frame(ps, &r->frame, off);
		ps->named = PTWALK_REC_FRAME;
		break;
	case PTWALK_REC_MEMCG:
		ret = parse_memcg(ps, &r->memcg, off);
		ps->named = PTWALK_REC_MEMCG;
		break;
	case PTWALK_REC_TALLY:
		ret = parse_tally(ps, &r->tally, off);
		ps->named = 0;
		break;
	case PTWALK_REC_ENTRY:
		ret = parse_entry(ps, &r->entry, off);
		break;
	case PTWALK_REC_MORE:
		ret = parse_more(ps, &r->more, off);
		break;
	case PTWALK_REC_SWAPRUN:
		ret = parse_swaprun(ps, &r->swaprun, off);
		break;
	case PTWALK_REC_LEVEL:
		ret = parse_level(ps, &r->level, off);
		break;
	case PTWALK_REC_SUMMARY:
	case PTWALK_REC_SUMMARY2:
		ret = parse_summary(ps, r, off);
		if (type == PTWALK_REC_SUMMARY)
			ps->sum_present = r->summary.present;
		break;
	case PTWALK_REC_END:
		ps->res->end = r->end;
		ps->ended = true;
		ret = check_end(ps->res, &r->end, ps->err, ps->errlen);
		break;
	default:
		ret = fail(ps->err, ps->errlen, "corrupt stream: record type %u at offset %zu",
			   type, off);
	}
	ps->prev_type = type;
	return ret;
}

static int ptw_arch = PTWALK_ARCH_X86_64;

const char *const *ptw_bit_names(void)
{
	return ptwalk_arch_bit_names(ptw_arch);
}

/*
 * The header, from the first @len bytes of the stream (all of it when
 * @whole).  Return: 0, or -1 with @ps->res zeroed.
 */
static int parse_head(struct parser *ps, const void *buf, size_t len, bool whole)
{
	struct ptw_result *res = ps->res;
	char *err = ps->err;
	size_t errlen = ps->errlen;

	memset(res, 0, sizeof(*res));
	if (len < sizeof(res->hdr))
		return fail(err, errlen, "not a ptwalk stream: %zu bytes", len);
	memcpy(&res->hdr, buf, sizeof(res->hdr));
	if (check_hdr(&res->hdr, len, whole, err, errlen)) {
		memset(res, 0, sizeof(*res));
		return -1;
	}
	res->hdr.comm[sizeof(res->hdr.comm) - 1] = '\0';
	ptw_arch = res->hdr.arch;
	ps->who = res->hdr.flags & PTWALK_H_WHO;
	ps->summary = res->hdr.flags & PTWALK_H_SUMMARY;
	if (ps->summary != ps->want_summary ||
	    (ps->summary && (res->hdr.flags & (PTWALK_H_WHO | PTWALK_H_SINGLE |
					       PTWALK_H_KERNEL)))) {
		fail(err, errlen, ps->summary && !ps->want_summary ?
		     "a summary answer (format=summary) has counts, not entries" :
		     ps->summary ? "corrupt summary header (flags 0x%x)" :
		     "not a summary answer (format=summary)", res->hdr.flags);
		memset(res, 0, sizeof(*res));
		return -1;
	}
	if (ps->who && (ps->count_only || res->hdr.start >= res->hdr.end ||
			res->hdr.end - res->hdr.start > PTWALK_WHO_MAX_FRAMES)) {
		fail(err, errlen, "corrupt who-maps header (frames 0x%llx-0x%llx)%s",
		     (unsigned long long)res->hdr.start, (unsigned long long)res->hdr.end,
		     ps->count_only ? ", or not a walk" : "");
		memset(res, 0, sizeof(*res));
		return -1;
	}
	return 0;
}

/*
 * The whole records in @p's @n bytes, the first at offset @off of the
 * stream.  Readers step by rec_size: later versions may append fields.
 * Return: 0, or -1 with @ps->res freed.
 */
static int parse_records(struct parser *ps, const unsigned char *p, size_t n, size_t off)
{
	size_t rs = ps->res->hdr.rec_size, i;
	union ptwalk_record r;

	for (i = 0; i + rs <= n; i += rs) {
		memcpy(&r, p + i, sizeof(r));
		if (parse_record(ps, &r, off + i)) {
			ptw_free(ps->res);
			return -1;
		}
	}
	return 0;
}

static int parse_ended(struct parser *ps)
{
	if (ps->ended)
		return 0;
	ptw_free(ps->res);
	return fail(ps->err, ps->errlen, "truncated answer: no end record");
}

static int parse(struct parser *ps, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t hs;

	if (parse_head(ps, buf, len, true))
		return -1;
	hs = ps->res->hdr.hdr_size;
	if (parse_records(ps, p + hs, len - hs, hs))
		return -1;
	return parse_ended(ps);
}

/*
 * parse() on the stream read from @fd (@path in errors) as it comes,
 * through one buffer of PTW_STREAM_BUF bytes: an answer is never held
 * whole.  A GiB of 4K pages is 2.4 MB of records; reading them into a
 * buffer that doubles cost its page faults and copies, a tenth of what
 * pagemap costs for the same pages under emulation (issue 16).
 */
#define PTW_STREAM_BUF	(256U << 10)

/* Read @fd until *@have reaches @want or the stream ends.  Return: 0 or -1, said. */
static int fill(struct parser *ps, int fd, const char *path, unsigned char *buf,
		size_t *have, size_t want, bool *eof)
{
	while (*have < want && !*eof) {
		ssize_t n = read(fd, buf + *have, PTW_STREAM_BUF - *have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			fail(ps->err, ps->errlen, "reading %s: %s", path, strerror(e));
			errno = e;
			return -1;
		}
		*eof = n == 0;
		*have += (size_t)n;
	}
	return 0;
}

static int parse_stream(struct parser *ps, int fd, const char *path)
{
	struct ptw_result *res = ps->res;
	unsigned char *buf = malloc(PTW_STREAM_BUF);
	size_t have = 0, off, hs, rs, n;
	struct ptwalk_hdr h;
	bool eof = false;

	memset(res, 0, sizeof(*res));
	if (!buf)
		return fail(ps->err, ps->errlen, "out of memory");
	if (fill(ps, fd, path, buf, &have, sizeof(h), &eof))
		goto fail;
	if (have >= sizeof(h)) {
		memcpy(&h, buf, sizeof(h));
		/* Over 4096 bytes, check_hdr() refuses it. */
		if (h.hdr_size <= 4096 && fill(ps, fd, path, buf, &have, h.hdr_size, &eof))
			goto fail;
	}
	if (parse_head(ps, buf, have, eof))
		goto fail;
	hs = res->hdr.hdr_size;
	rs = res->hdr.rec_size;
	/* buf[0] is at offset @off of the stream; whole records are parsed. */
	memmove(buf, buf + hs, have - hs);
	have -= hs;
	off = hs;
	for (;;) {
		/* One read a round: what it gave is parsed before the next. */
		if (fill(ps, fd, path, buf, &have, have + 1, &eof)) {
			ptw_free(res);
			goto fail;
		}
		n = have / rs * rs;
		if (parse_records(ps, buf, n, off))
			goto fail;
		memmove(buf, buf + n, have - n);
		have -= n;
		off += n;
		if (eof)
			break;
	}
	free(buf);
	if (have) {
		ptw_free(res);
		return fail(ps->err, ps->errlen, "truncated ptwalk stream (%zu stray bytes)", have);
	}
	return parse_ended(ps);
fail:
	free(buf);
	return -1;
}

int ptw_parse(const void *buf, size_t len, struct ptw_result *res,
	      char *err, size_t errlen)
{
	struct parser ps = { .res = res, .err = err, .errlen = errlen };

	return parse(&ps, buf, len);
}

/* ps->counts to at least @n, the new ones zeroed.  Return: 0 or -1. */
static int grow_counts(struct parser *ps, size_t n)
{
	struct ptw_counts *c;
	size_t cap = ps->ccap ? ps->ccap : 16;

	if (n <= ps->ccap)
		return 0;
	while (cap < n)
		cap *= 2;
	c = realloc(ps->counts, cap * sizeof(*c));
	if (!c)
		return -1;
	memset(c + ps->ccap, 0, (cap - ps->ccap) * sizeof(*c));
	ps->counts = c;
	ps->ccap = cap;
	return 0;
}

static void count_one(struct ptw_counts *k, const struct ptwalk_rec *r, uint32_t vmf);
static bool keep_rec(const struct ptw_result *res, const struct ptwalk_rec *r, size_t vma,
		     const struct ptw_filter *f);

static int count_entry(struct parser *ps, const struct ptwalk_rec *e, size_t vma)
{
	struct ptw_result *res = ps->res;

	if (grow_counts(ps, res->nvmas + 1))
		return fail(ps->err, ps->errlen, "out of memory");
	if (keep_rec(res, e, vma, ps->filter))
		count_one(&ps->counts[vma], e, res->nvmas ? res->vmas[vma].flags : 0);
	res->nrecs++;
	return 0;
}

/* Parse with @ps; its counts, one per VMA plus one for entries outside any. */
static struct ptw_counts *parse_counts(struct parser *ps, const void *buf, size_t len)
{
	if (parse(ps, buf, len)) {
		free(ps->counts);
		return NULL;
	}
	/* One per VMA plus one for entries outside any, as ptw_count() gives. */
	if (grow_counts(ps, ps->res->nvmas + 1)) {
		free(ps->counts);
		ptw_free(ps->res);
		fail(ps->err, ps->errlen, "out of memory");
		return NULL;
	}
	return ps->counts;
}

struct ptw_counts *ptw_parse_count(const void *buf, size_t len, struct ptw_result *res,
				   const struct ptw_filter *f, char *err, size_t errlen)
{
	struct parser ps = { .res = res, .err = err, .errlen = errlen, .count_only = true,
			     .filter = f };

	return parse_counts(&ps, buf, len);
}

struct ptw_counts *ptw_parse_summary(const void *buf, size_t len, struct ptw_result *res,
				     const char *vma, char *err, size_t errlen)
{
	struct ptw_filter f = { .vma = vma, .node = -1 };
	struct parser ps = { .res = res, .err = err, .errlen = errlen, .want_summary = true,
			     .filter = &f };

	return parse_counts(&ps, buf, len);
}

char *ptw_end_words(const struct ptw_result *res, char *buf, size_t len)
{
	const struct ptwalk_end *e = &res->end;

	switch (e->status) {
	case PTWALK_END_COMPLETE:
		return NULL;
	case PTWALK_END_EXITED:
		snprintf(buf, len, "pid %u exited during the walk: the answer covers 0x%llx-0x%llx only",
			 res->hdr.pid, (unsigned long long)res->hdr.start,
			 (unsigned long long)e->next);
		break;
	case PTWALK_END_STOPPED:
		snprintf(buf, len, "pid %u: the walk stopped at 0x%llx: %s", res->hdr.pid,
			 (unsigned long long)e->next, strerror(-e->error));
		break;
	default:
		snprintf(buf, len, "pid %u: the answer has no end record", res->hdr.pid);
	}
	return buf;
}

/* What went wrong, in words a person can act on. */
static int explain_open(const char *path, int e, char *err, size_t errlen)
{
	if (e == ENOENT) {
		/* The module makes both files: only one missing is debugfs. */
		if (access(PROC_WALK, F_OK) == 0)
			return fail(err, errlen,
				    "debugfs is not mounted: sudo mount -t debugfs none /sys/kernel/debug");
		return fail(err, errlen,
			    "ptwalk.ko is not loaded: run 'sudo insmod ptwalk.ko' (or 'sudo modprobe ptwalk')");
	}
	if (e == EACCES)
		return fail(err, errlen,
			    "%s: permission denied: run as root to inspect other processes (/proc/ptwalk shows only your own)",
			    path);
	if (e == EPERM)
		return fail(err, errlen,
			    "%s: refused: the kernel is locked down (Secure Boot); use /proc/ptwalk for your own process",
			    path);
	return fail(err, errlen, "%s: %s", path, strerror(e));
}

/* Read @fd to its end into malloc'd memory; @path names it in errors. */
static int read_to_end(int fd, const char *path, void **bufp, size_t *lenp,
		       char *err, size_t errlen)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap), *nb;
	ssize_t n;

	if (!buf)
		return fail(err, errlen, "out of memory");
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += n;
		if (len < cap)
			continue;
		nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			return fail(err, errlen, "out of memory");
		}
		buf = nb;
		cap *= 2;
	}
	if (n < 0) {
		int e = errno;

		free(buf);
		fail(err, errlen, "reading %s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int ptw_query(pid_t pid, const char *query, struct ptw_result *res,
	      char *err, size_t errlen)
{
	void *buf;
	size_t len;
	int ret;

	if (ptw_query_raw(pid, query, &buf, &len, err, errlen))
		return -1;
	ret = ptw_parse(buf, len, res, err, errlen);
	free(buf);
	return ret;
}

int ptw_query_who(const char *query, struct ptw_result *res, char *err,
		  size_t errlen)
{
	return ptw_query(0, query, res, err, errlen);
}

static int query_fmt(pid_t pid, const char *query, const char *fmt, void **bufp,
		     size_t *lenp, char *err, size_t errlen);

int ptw_query_raw(pid_t pid, const char *query, void **bufp, size_t *lenp,
		  char *err, size_t errlen)
{
	return query_fmt(pid, query, "binary", bufp, lenp, err, errlen);
}

int ptw_query_summary_raw(pid_t pid, const char *query, void **bufp, size_t *lenp,
			  char *err, size_t errlen)
{
	return query_fmt(pid, query, "summary", bufp, lenp, err, errlen);
}

static int query_open(pid_t pid, const char *query, const char *fmt, const char **pathp,
		      char *err, size_t errlen);

static int query_fmt(pid_t pid, const char *query, const char *fmt, void **bufp,
		     size_t *lenp, char *err, size_t errlen)
{
	const char *path;
	int fd = query_open(pid, query, fmt, &path, err, errlen), ret, e;

	if (fd < 0)
		return -1;
	ret = read_to_end(fd, path, bufp, lenp, err, errlen);
	e = errno;
	close(fd);
	errno = e;
	return ret;
}

int ptw_query_open(pid_t pid, const char *query, const char **path, char *err,
		   size_t errlen)
{
	return query_open(pid, query, "binary", path, err, errlen);
}

/* The module's file, the query written.  Return: its fd, or -1, said (errno kept). */
static int query_open(pid_t pid, const char *query, const char *fmt, const char **pathp,
		      char *err, size_t errlen)
{
	char q[PTWALK_QUERY_MAX + 1], why[256] = "";
	const char *path = DEBUGFS_WALK;
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == ENOENT) &&
	    pid && pid == getpid()) {
		e = errno;
		fd = open(PROC_WALK, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			path = PROC_WALK;
		else
			errno = e;
	}
	if (fd < 0) {
		e = errno;
		explain_open(path, e, err, errlen);
		errno = e;
		return -1;
	}
	if (pid)
		snprintf(q, sizeof(q), "pid=%d %s format=%s", (int)pid, query ? query : "", fmt);
	else
		snprintf(q, sizeof(q), "%s format=%s", query ? query : "", fmt);
	if (write(fd, q, strlen(q)) < 0) {
		char who[32] = "who maps";

		e = errno;
		if (pid)
			snprintf(who, sizeof(who), "pid %d", (int)pid);
		/* The module leaves a one-line reason to read back. */
		n = read(fd, why, sizeof(why) - 1);
		close(fd);
		if (n > 7 && !strncmp(why, "error: ", 7)) {
			why[n] = '\0';
			why[strcspn(why, "\n")] = '\0';
			fail(err, errlen, "%s: %s", who, why + 7);
		} else {
			fail(err, errlen, "%s: %s", who, strerror(e));
		}
		errno = e;	/* ESRCH: the caller may want to know it is gone */
		return -1;
	}
	*pathp = path;
	return fd;
}

int ptw_read_file(const char *path, void **bufp, size_t *lenp, char *err,
		  size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	ret = read_to_end(fd, path, bufp, lenp, err, errlen);
	close(fd);
	return ret;
}

const struct ptwalk_rec *ptw_find(const struct ptw_result *res, uint64_t addr)
{
	const struct ptwalk_rec *found = NULL;
	size_t i;

	for (i = 0; i < res->nrecs; i++)
		if (res->recs[i].vaddr <= addr &&
		    addr < res->recs[i].vaddr + (1ULL << res->recs[i].shift))
			found = &res->recs[i];
	return found;
}

uint32_t ptw_vma_flags(const struct ptw_result *res, size_t i)
{
	return res->nvmas ? res->vmas[res->rec_vma[i]].flags : 0;
}

uint64_t ptw_pages(const struct ptwalk_rec *r)
{
	return 1ULL << (r->shift - 12);
}

/* Whether @r is in a hugetlb VMA: its page says so, or (not present) its VMA. */
static bool in_hugetlb(const struct ptwalk_rec *r, uint32_t vma_flags)
{
	return (r->page & PTWALK_P_HUGETLB) || (vma_flags & PTWALK_VMA_HUGETLB);
}

bool ptw_soft_dirty(const struct ptwalk_rec *r, uint32_t vma_flags)
{
	/* Every path of pagemap_read() ORs in the VMA's VM_SOFTDIRTY. */
	if (vma_flags & PTWALK_VMA_SOFTDIRTY)
		return true;
	/* mm/pagewalk.c: walk_page_test() hands a PFN map to pagemap_pte_hole(). */
	if (vma_flags & PTWALK_VMA_PFNMAP)
		return false;
	/* fs/proc/task_mmu.c: pagemap_hugetlb_range() never reads the entry's. */
	if (in_hugetlb(r, vma_flags))
		return false;
	/*
	 * pte_to_pagemap_entry(): pte_soft_dirty() or pte_swp_soft_dirty();
	 * pagemap_pmd_range(): pmd_soft_dirty() or pmd_swp_soft_dirty().  The
	 * module decodes each into PTWALK_B_SOFT_DIRTY.
	 */
	return r->bits & PTWALK_B_SOFT_DIRTY;
}

const char *ptw_soft_dirty_words(const struct ptwalk_rec *r, uint32_t vma_flags)
{
	bool entry = r->bits & PTWALK_B_SOFT_DIRTY, vma = vma_flags & PTWALK_VMA_SOFTDIRTY;

	if (in_hugetlb(r, vma_flags) || (vma_flags & PTWALK_VMA_PFNMAP)) {
		if (vma)
			return "soft-dirty (VMA)";
		if (entry && (vma_flags & PTWALK_VMA_PFNMAP))
			return "not soft-dirty (PFN map: pagemap reads only the VMA's flag)";
		return entry ? "not soft-dirty (hugetlb: pagemap reads only the VMA's flag, not the entry's)" :
			       "not soft-dirty";
	}
	if (entry && vma)
		return "soft-dirty (entry and VMA)";
	if (entry)
		return "soft-dirty (entry)";
	return vma ? "soft-dirty (VMA)" : "not soft-dirty";
}

const char *ptw_dirty_words(const struct ptwalk_rec *r)
{
	if (r->bits & PTWALK_B_SAVED_DIRTY)
		return "dirty (saved in bit 58: write-protected dirty entry)";
	return r->bits & PTWALK_B_DIRTY ? "dirty" : "clean";
}

char *ptw_frame(char *buf, size_t len, const struct ptwalk_rec *r, size_t count,
		bool phys_hidden)
{
	if (r->kind == PTWALK_K_SWAP && phys_hidden)
		snprintf(buf, len, "swap hidden");
	else if (r->kind == PTWALK_K_SWAP)
		snprintf(buf, len, "swap %u:0x%llx", r->swap_type,
			 (unsigned long long)r->swap_offset);
	else if (phys_hidden)
		snprintf(buf, len, "hidden");
	else if (count > 1)
		snprintf(buf, len, "0x%llx-0x%llx", (unsigned long long)r->pfn,
			 (unsigned long long)(r->pfn + count * ptw_pages(r) - 1));
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)r->pfn);
	return buf;
}

char *ptw_folio_words(char *buf, size_t len, const struct ptwalk_rec *r)
{
	if (r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO))
		return NULL;
	if (r->page & PTWALK_P_HIDDEN)
		snprintf(buf, len, "order, page in the folio, mapcount and references hidden (others may map this page), node %d",
			 r->node);
	else
		snprintf(buf, len, "order %u, page %u of the folio, mapped %d time%s, %d reference%s, node %d",
			 r->order, r->subpage, r->mapcount, r->mapcount == 1 ? "" : "s",
			 r->refcount, r->refcount == 1 ? "" : "s", r->node);
	return buf;
}

char *ptw_names(char *buf, size_t len, uint32_t v, uint32_t mask,
		const char *const *tab)
{
	size_t at = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 32; i++) {
		if (!(v & mask & (1U << i)) || !tab[i])
			continue;
		at += snprintf(buf + at, at < len ? len - at : 0, "%s%s",
			       at ? "," : "", tab[i]);
	}
	if (!at)
		snprintf(buf, len, "-");
	return buf;
}

char *ptw_size(char *buf, size_t len, uint64_t bytes)
{
	static const char unit[] = "KMGTP";
	double v = bytes / 1024.0;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (v == (uint64_t)v)
		snprintf(buf, len, "%llu%c", (unsigned long long)v, unit[u]);
	else
		snprintf(buf, len, "%.1f%c", v, unit[u]);
	return buf;
}

const char *ptw_cow_words(unsigned int cow)
{
	switch (cow) {
	case PTWALK_COW_WRITABLE:
		return "writable now: a write goes straight through";
	case PTWALK_COW_REUSE:
		return "next write faults and reuses this page (only this mapping has it)";
	case PTWALK_COW_COPY:
		return "next write faults and copies the page (copy-on-write)";
	case PTWALK_COW_NONE:
		return "no copy-on-write: shared or read-only mapping";
	case PTWALK_COW_UFFD:
		return "a write is reported to userfaultfd (write-protected)";
	default:
		return "not present: a write faults a page in";
	}
}

bool ptw_keep(const struct ptw_result *res, size_t i, const struct ptw_filter *f)
{
	return keep_rec(res, &res->recs[i], res->rec_vma[i], f);
}

/* Whether entry @r of VMA @vma of @res passes @f. */
static bool keep_rec(const struct ptw_result *res, const struct ptwalk_rec *r, size_t vma,
		     const struct ptw_filter *f)
{
	const struct ptw_vma *v = res->nvmas ? &res->vmas[vma] : NULL;

	if (!f)
		return true;
	if (f->vma && f->vma[0] && (!v || !strstr(v->name, f->vma)))
		return false;
	if (f->present && r->kind != PTWALK_K_PRESENT)
		return false;
	if (f->swapped && r->kind != PTWALK_K_SWAP)
		return false;
	if (f->huge && r->shift == 12 && !(r->page & (PTWALK_P_THP | PTWALK_P_HUGETLB)))
		return false;
	if (f->cow && r->cow != PTWALK_COW_COPY && r->cow != PTWALK_COW_REUSE)
		return false;
	if (f->anon && !(r->page & PTWALK_P_ANON))
		return false;
	if (f->file && !(r->page & PTWALK_P_FILE))
		return false;
	if (f->node >= 0 && r->node != f->node)
		return false;
	return true;
}

long ptw_runs(const struct ptw_result *res, const struct ptw_filter *f,
	      struct ptw_run **runs)
{
	bool hidden = res->hdr.flags & PTWALK_H_PHYS_HIDDEN;
	size_t i, n = 0, cap = 0;
	struct ptw_run *out = NULL;

	for (i = 0; i < res->nrecs; i++) {
		const struct ptwalk_rec *r = &res->recs[i];
		struct ptw_run *last = n ? &out[n - 1] : NULL;

		if (!ptw_keep(res, i, f))
			continue;
		if (last && last->vma == res->rec_vma[i] &&
		    ptwalk_run_continues(&last->first, last->count, r, hidden)) {
			last->count++;
			continue;
		}
		if (grow((void **)&out, &cap, n, sizeof(*out))) {
			free(out);
			*runs = NULL;
			return -1;
		}
		out[n].first = *r;
		out[n].count = 1;
		out[n].vma = res->rec_vma[i];
		n++;
	}
	*runs = out;
	return (long)n;
}

bool ptw_same_attrs(const struct ptwalk_rec *a, const struct ptwalk_rec *b)
{
	uint32_t facts = ~PTWALK_P_PGFLAGS_MASK, bits = ~PTW_GROUP_CHURN;

	return a->level == b->level && a->shift == b->shift && a->kind == b->kind &&
	       (a->bits & bits) == (b->bits & bits) && (a->page & facts) == (b->page & facts) &&
	       a->cow == b->cow &&
	       a->node == b->node && a->order == b->order && a->sub == b->sub &&
	       a->pkey == b->pkey && a->swap_type == b->swap_type;
}

/* Run @r, the @i-th, into the groups *@out (@ng of @cap).  Return: 0 or -1. */
static int group_add(struct ptw_group **out, size_t *ng, size_t *cap, const struct ptw_run *r,
		     size_t i)
{
	struct ptw_group *last = *ng ? &(*out)[*ng - 1] : NULL;
	uint64_t end = r->first.vaddr + ((uint64_t)r->count << r->first.shift);

	if (last && last->vma == r->vma && ptw_same_attrs(&last->first, &r->first)) {
		/* The bits every entry has: accessed and dirty may vary. */
		last->first.bits &= r->first.bits;
		last->count += r->count;
		last->end = end;
		last->runs++;
		return 0;
	}
	if (grow((void **)out, cap, *ng, sizeof(**out)))
		return -1;
	(*out)[*ng] = (struct ptw_group){ .first = r->first, .count = r->count, .end = end,
					  .runs = 1, .run = i, .vma = r->vma };
	(*ng)++;
	return 0;
}

long ptw_groups(const struct ptw_run *runs, size_t n, struct ptw_group **groups)
{
	struct ptw_group *out = NULL;
	size_t i, ng = 0, cap = 0;

	for (i = 0; i < n; i++) {
		if (group_add(&out, &ng, &cap, &runs[i], i)) {
			free(out);
			*groups = NULL;
			return -1;
		}
	}
	*groups = out;
	return (long)ng;
}

/* The end of ptw_parse_groups*() after parsing, which returned @parsed. */
static long groups_done(struct parser *ps, int parsed, struct ptw_run **runs, size_t *nruns,
			struct ptw_group **groups)
{
	if (parsed || close_run(ps)) {
		free(ps->runs);
		free(ps->groups);
		ptw_free(ps->res);	/* parse() freed it on its errors: zeroed */
		return -1;
	}
	*nruns = ps->nruns;
	if (runs)
		*runs = ps->runs;
	*groups = ps->groups;
	return (long)ps->ngroups;
}

long ptw_parse_groups(const void *buf, size_t len, struct ptw_result *res,
		      const struct ptw_filter *f, struct ptw_run **runs, size_t *nruns,
		      struct ptw_group **groups, char *err, size_t errlen)
{
	struct parser ps = { .res = res, .err = err, .errlen = errlen, .grouping = true,
			     .filter = f, .keep_runs = runs != NULL };

	*groups = NULL;
	*nruns = 0;
	if (runs)
		*runs = NULL;
	/* A VMA's name may come after its entries: filter by it afterwards. */
	if (f && f->vma && f->vma[0]) {
		struct ptw_run *r = NULL;
		long n, ng = -1;

		if (ptw_parse(buf, len, res, err, errlen))
			return -1;
		n = ptw_runs(res, f, &r);
		if (n >= 0)
			ng = ptw_groups(r, (size_t)n, groups);
		free(res->recs);
		free(res->rec_vma);
		res->recs = NULL;
		res->rec_vma = NULL;
		if (ng < 0) {
			free(r);
			ptw_free(res);
			return fail(err, errlen, "out of memory");
		}
		*nruns = (size_t)n;
		if (runs)
			*runs = r;
		else
			free(r);
		return ng;
	}
	return groups_done(&ps, parse(&ps, buf, len), runs, nruns, groups);
}

long ptw_parse_groups_fd(int fd, const char *path, struct ptw_result *res,
			 const struct ptw_filter *f, struct ptw_run **runs, size_t *nruns,
			 struct ptw_group **groups, char *err, size_t errlen)
{
	struct parser ps = { .res = res, .err = err, .errlen = errlen, .grouping = true,
			     .filter = f, .keep_runs = runs != NULL };

	/* A VMA's name may come after its entries: the whole answer first. */
	if (f && f->vma && f->vma[0]) {
		void *buf;
		size_t len;
		long ng;

		if (read_to_end(fd, path, &buf, &len, err, errlen)) {
			memset(res, 0, sizeof(*res));
			*groups = NULL;
			*nruns = 0;
			if (runs)
				*runs = NULL;
			return -1;
		}
		ng = ptw_parse_groups(buf, len, res, f, runs, nruns, groups, err, errlen);
		free(buf);
		return ng;
	}
	*groups = NULL;
	*nruns = 0;
	if (runs)
		*runs = NULL;
	return groups_done(&ps, parse_stream(&ps, fd, path), runs, nruns, groups);
}

struct ptw_counts *ptw_count(const struct ptw_result *res, const struct ptw_filter *f)
{
	struct ptw_counts *c = calloc(res->nvmas + 1, sizeof(*c));
	size_t i;

	for (i = 0; c && i < res->nrecs; i++)
		if (ptw_keep(res, i, f))
			count_one(&c[res->rec_vma[i]], &res->recs[i], ptw_vma_flags(res, i));
	return c;
}

/* Entry @r, in a VMA with flags @vmf, into its VMA's counts @k. */
static void count_one(struct ptw_counts *k, const struct ptwalk_rec *r, uint32_t vmf)
{
	uint64_t n = ptw_pages(r);

	if (r->kind == PTWALK_K_PRESENT)
		k->present += n;
	if (r->kind == PTWALK_K_SWAP)
		k->swapped += n;
	if (r->page & PTWALK_P_THP)
		k->thp += n;
	if (r->page & PTWALK_P_HUGETLB)
		k->hugetlb += n;
	if (r->page & (PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO))
		k->zero += n;
	if (r->page & PTWALK_P_KSM)
		k->ksm += n;
	if (r->cow == PTWALK_COW_COPY || r->cow == PTWALK_COW_REUSE)
		k->cow += n;
	if (ptw_soft_dirty(r, vmf))
		k->soft_dirty += n;
}

bool ptw_mapcount_comparable(const struct ptwalk_rec *r, uint64_t page)
{
	if (r->kind != PTWALK_K_PRESENT ||
	    (r->page & (PTWALK_P_HIDDEN | PTWALK_P_NOPAGE | PTWALK_P_ZERO |
			PTWALK_P_HUGE_ZERO)))
		return false;
	/*
	 * A 4K entry carries its own page's mapcount, whatever the folio's
	 * order; a 2M or 1G entry the head page's, which is the first page's.
	 */
	return r->level == PTWALK_LVL_PTE || page == 0;
}

/*
 * pagemap's model.  Each rule below is written once, named after the
 * kernel function it mirrors (fs/proc/task_mmu.c unless said otherwise),
 * as read in Debian's linux-source-6.12 (6.12.117) and 6.1: make_pme()
 * builds every entry from a frame and flags; pagemap_pte_hole() fills
 * what the walk does not visit; pte_to_pagemap_entry() a PTE;
 * pagemap_pmd_range() a huge PMD (THP, the huge zero page, a THP
 * migration entry); pagemap_hugetlb_range() a hugetlb entry.
 */

/* The rule @m is built by, and the bit @want says for @bit. */
static void pm_rule(struct ptw_pm_model *m, uint64_t bit, bool want)
{
	m->mask |= bit;
	if (want)
		m->want |= bit;
}

/* make_pme(): frame in bits 0-54, exact when known. */
static void pm_frame(struct ptw_pm_model *m, uint64_t frame)
{
	m->mask |= PTWALK_PM_PFRAME_MASK;
	m->want |= frame & PTWALK_PM_PFRAME_MASK;
}

/* A swap entry's frame: swp_type() | swp_offset() << MAX_SWAPFILES_SHIFT. */
static uint64_t pm_swap_frame(unsigned int type, uint64_t offset)
{
	return type | (offset << PTWALK_PM_SWAP_TYPE_BITS);
}

/*
 * Bit 56 of a present page with a struct page: the page's mapcount is 1
 * (6.12: folio_precise_page_mapcount(), 6.1: page_mapcount()), which is
 * ptwalk's mapcount rule.  Unknown when ptwalk's count is hidden or is
 * another page's (the pages after the first of a 2M/1G entry).
 */
static void pm_exclusive(struct ptw_pm_model *m, const struct ptwalk_rec *r, uint64_t page)
{
	if (ptw_mapcount_comparable(r, page))
		pm_rule(m, PTWALK_PM_MMAP_EXCLUSIVE, r->mapcount == 1);
}

void ptw_pagemap_model(const struct ptwalk_rec *r, uint32_t vma_flags, uint64_t page,
		       bool phys_hidden, struct ptw_pm_model *m)
{
	bool present = r->kind == PTWALK_K_PRESENT, sd = ptw_soft_dirty(r, vma_flags);
	bool uffd = r->bits & PTWALK_B_UFFD_WP;
	bool marker_wp = r->kind == PTWALK_K_MARKER && (r->sub & PTWALK_MARKER_UFFD_WP);

	*m = (struct ptw_pm_model){ 0 };
	/* pagemap_read(): no frames without CAP_SYS_ADMIN (pm->show_pfn). */
	m->hidden = phys_hidden;
	/* Bits 59-60 are zero on every kernel, on every path. */
	pm_rule(m, 3ULL << 59, false);

	/*
	 * mm/pagewalk.c: walk_page_test() does not walk a VM_PFNMAP VMA but
	 * hands it to pagemap_pte_hole(): every page reads 0, or
	 * PM_SOFT_DIRTY for a VM_SOFTDIRTY VMA.
	 */
	if (vma_flags & PTWALK_VMA_PFNMAP) {
		m->path = "pfnmap";
		m->mask = ~0ULL;
		m->want = sd ? PTWALK_PM_SOFT_DIRTY : 0;
		return;
	}
	/* Bit 55 on every other path: see ptw_soft_dirty(). */
	pm_rule(m, PTWALK_PM_SOFT_DIRTY, sd);

	if (in_hugetlb(r, vma_flags)) {
		/*
		 * pagemap_hugetlb_range(): present: PM_PRESENT, the frame,
		 * PM_FILE unless the folio is anon, PM_UFFD_WP from
		 * huge_pte_uffd_wp(), and PM_MMAP_EXCLUSIVE unless the folio
		 * is mapped more than once (6.12:
		 * !folio_likely_mapped_shared(), 6.1: page_mapcount() == 1:
		 * both the folio's entire mapcount, ptwalk's map= for hugetlb),
		 * the same for every page of the entry.  6.12 and later also
		 * clear it when hugetlb_pmd_shared() calls the entry's table
		 * shared, which ptwalk reports as "table-shared" (for a 1G
		 * entry 7.2 reads that from the PUD table, and says shared for
		 * an unshared one); 6.1 does not: for such an entry mapped
		 * once bit 56 is not compared.  Not present (migration, a
		 * marker): never PM_SWAP, no frame; only PM_UFFD_WP from
		 * pte_swp_uffd_wp_any().
		 */
		m->path = "hugetlb";
		pm_rule(m, PTWALK_PM_PRESENT, present);
		pm_rule(m, PTWALK_PM_SWAP, false);
		pm_rule(m, PTWALK_PM_GUARD_REGION, false);
		if (!present) {
			pm_rule(m, PTWALK_PM_UFFD_WP, uffd || marker_wp);
			pm_rule(m, PTWALK_PM_FILE, false);
			pm_rule(m, PTWALK_PM_MMAP_EXCLUSIVE, false);
			pm_frame(m, 0);
			return;
		}
		pm_rule(m, PTWALK_PM_UFFD_WP, uffd);
		pm_frame(m, phys_hidden ? 0 : r->pfn + page);
		pm_rule(m, PTWALK_PM_FILE, !(r->page & PTWALK_P_ANON));
		if (!(r->page & PTWALK_P_HIDDEN) &&
		    !(r->mapcount == 1 && (r->page & PTWALK_P_TABLE_SHARED)))
			pm_rule(m, PTWALK_PM_MMAP_EXCLUSIVE, r->mapcount == 1);
		return;
	}

	if (r->level > PTWALK_LVL_PMD) {
		/* A huge PUD outside hugetlb (DAX): walk_pud_range() splits it. */
		m->path = NULL;
		m->mask = 0;
		return;
	}
	if (r->level == PTWALK_LVL_PMD) {
		/*
		 * pagemap_pmd_range(), pmd_trans_huge_lock() taken: present:
		 * PM_PRESENT, frame pmd_pfn() + index, PM_UFFD_WP from
		 * pmd_uffd_wp(), PM_FILE unless pmd_page()'s folio is anon
		 * (the huge zero page is not: set), PM_MMAP_EXCLUSIVE per page
		 * (6.12: folio_precise_page_mapcount() of that page; 6.1:
		 * page_mapcount() of the head page for all), so known for the
		 * first page only, and for the huge zero page, which no rmap
		 * counts (0: clear), for every page.  A THP migration entry:
		 * PM_SWAP, soft-dirty and uffd-wp from pmd_swp_*(), never
		 * PM_MMAP_EXCLUSIVE; its frame is the migration swap type,
		 * which ptwalk does not report, and PM_FILE its folio's,
		 * which ptwalk does not read.
		 */
		m->path = "pmd";
		pm_rule(m, PTWALK_PM_PRESENT, present);
		pm_rule(m, PTWALK_PM_UFFD_WP, uffd);
		pm_rule(m, PTWALK_PM_GUARD_REGION, false);
		if (r->kind == PTWALK_K_MIGRATION) {
			pm_rule(m, PTWALK_PM_SWAP, true);
			pm_rule(m, PTWALK_PM_MMAP_EXCLUSIVE, false);
			return;
		}
		if (!present)
			return;
		pm_rule(m, PTWALK_PM_SWAP, false);
		pm_frame(m, phys_hidden ? 0 : r->pfn + page);
		if (r->page & PTWALK_P_NOPAGE)	/* DAX and such: not ptwalk's to know */
			return;
		pm_rule(m, PTWALK_PM_FILE, !(r->page & PTWALK_P_ANON));
		if (r->page & PTWALK_P_HUGE_ZERO)
			pm_rule(m, PTWALK_PM_MMAP_EXCLUSIVE, false);
		else
			pm_exclusive(m, r, page);
		return;
	}

	/*
	 * pte_to_pagemap_entry().  Present: PM_PRESENT, frame pte_pfn() (the
	 * zero page's and a PFN map's too), PM_UFFD_WP from pte_uffd_wp();
	 * with a page from vm_normal_page() PM_FILE unless it is anon and
	 * PM_MMAP_EXCLUSIVE by its mapcount (pm_exclusive()); the zero page
	 * has none (vm_normal_page() is NULL): both clear.  ptwalk's
	 * "nopage" is a special entry (no page: both clear) or a reserved
	 * page such as [vdso]'s, which vm_normal_page() does return: not
	 * ptwalk's to tell apart, so neither is compared.
	 */
	m->path = "pte";
	if (present) {
		pm_rule(m, PTWALK_PM_PRESENT, true);
		pm_rule(m, PTWALK_PM_SWAP, false);
		pm_rule(m, PTWALK_PM_UFFD_WP, uffd);
		pm_rule(m, PTWALK_PM_GUARD_REGION, false);
		pm_frame(m, phys_hidden ? 0 : r->pfn);
		if (r->page & PTWALK_P_NOPAGE)
			return;
		if (r->page & PTWALK_P_ZERO) {
			pm_rule(m, PTWALK_PM_FILE, false);
			pm_rule(m, PTWALK_PM_MMAP_EXCLUSIVE, false);
			return;
		}
		pm_rule(m, PTWALK_PM_FILE, !(r->page & PTWALK_P_ANON));
		pm_exclusive(m, r, page);
		return;
	}
	if (r->kind == PTWALK_K_NONE || r->kind == PTWALK_K_UNKNOWN) {
		m->path = NULL;		/* nothing to compare */
		m->mask = 0;
		return;
	}
	/*
	 * is_swap_pte(): every other entry (swap, migration, device,
	 * hwpoison, markers): PM_SWAP, never PM_PRESENT nor
	 * PM_MMAP_EXCLUSIVE (only a present page is tested), PM_UFFD_WP from
	 * pte_swp_uffd_wp() or a uffd-wp marker (pte_marker_entry_uffd_wp()).
	 * A swap entry: frame = type | offset << 5, no page: PM_FILE clear.
	 * A migration, device or hwpoison entry: PM_FILE is its page's, and
	 * its frame's type the kernel's internal one: neither is compared.
	 * A marker: no page (PM_FILE clear), its frame the marker's internal
	 * type and bits (not compared); 6.14+ sets PM_GUARD_REGION (bit 58)
	 * for a guard marker (MADV_GUARD_INSTALL, 6.13+), 6.13 does not.
	 */
	pm_rule(m, PTWALK_PM_PRESENT, false);
	pm_rule(m, PTWALK_PM_SWAP, true);
	pm_rule(m, PTWALK_PM_MMAP_EXCLUSIVE, false);
	pm_rule(m, PTWALK_PM_UFFD_WP, uffd || marker_wp);
	if (!(r->kind == PTWALK_K_MARKER && (r->sub & PTWALK_MARKER_GUARD)))
		pm_rule(m, PTWALK_PM_GUARD_REGION, false);
	if (r->kind == PTWALK_K_SWAP) {
		pm_rule(m, PTWALK_PM_FILE, false);
		pm_frame(m, phys_hidden ? 0 : pm_swap_frame(r->swap_type, r->swap_offset));
	} else if (r->kind == PTWALK_K_MARKER) {
		pm_rule(m, PTWALK_PM_FILE, false);
	}
}

void ptw_hole_model(uint32_t vma_flags, struct ptw_pm_model *m)
{
	/*
	 * pagemap_pte_hole() and pte_to_pagemap_entry() of pte_none(): 0, or
	 * PM_SOFT_DIRTY in a VM_SOFTDIRTY VMA; outside any VMA always 0.
	 */
	*m = (struct ptw_pm_model){ .path = "none", .mask = ~0ULL };
	if (vma_flags & PTWALK_VMA_SOFTDIRTY)
		m->want = PTWALK_PM_SOFT_DIRTY;
}

/* The first bit of @diff in words: what pagemap says against @m. */
static const char *pm_words(const struct ptw_pm_model *m, uint64_t pm, uint64_t diff,
			    char *why, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} bits[] = {
		{ PTWALK_PM_PRESENT, "present (bit 63)" },
		{ PTWALK_PM_SWAP, "swapped (bit 62)" },
		{ PTWALK_PM_PFRAME_MASK, "frame" },
		{ PTWALK_PM_SOFT_DIRTY, "soft-dirty (bit 55)" },
		{ PTWALK_PM_MMAP_EXCLUSIVE, "exclusively mapped (bit 56)" },
		{ PTWALK_PM_UFFD_WP, "uffd-wp (bit 57)" },
		{ PTWALK_PM_FILE, "file/shared (bit 61)" },
		{ PTWALK_PM_GUARD_REGION, "guard region (bit 58)" },
		{ 3ULL << 59, "bits 59-60" },
	};
	size_t i;

	for (i = 0; i < PTWALK_ARRAY_LEN(bits); i++) {
		uint64_t b = bits[i].bit;

		if (!(diff & b))
			continue;
		if (b == PTWALK_PM_PFRAME_MASK) {
			bool swap = m->want & PTWALK_PM_SWAP;

			snprintf(why, len, "%s path: %s 0x%llx, pagemap 0x%llx", m->path,
				 swap ? "swap entry" : "pfn",
				 (unsigned long long)ptwalk_pm_pfn(m->want),
				 (unsigned long long)ptwalk_pm_pfn(pm));
		} else {
			snprintf(why, len, "%s path: %s should be %s, pagemap has it %s", m->path,
				 bits[i].name, m->want & b ? "set" : "clear",
				 pm & b ? "set" : "clear");
		}
		return why;
	}
	return NULL;
}

const char *ptw_compare_model(const struct ptw_pm_model *m, uint64_t pm, char *why, size_t len)
{
	return pm_words(m, pm, (pm ^ m->want) & m->mask, why, len);
}

/* Page @page of present entry @r against kpageflags and kpagecount. */
static const char *compare_kpage(const struct ptwalk_rec *r, uint64_t page,
				 const struct ptw_kpage *kp, char *why, size_t len)
{
	uint64_t kf = kp->flags;

	if (kp->has_flags) {
		if (!!(r->page & PTWALK_P_ANON) != !!(kf & (1ULL << KPF_ANON)) &&
		    !(r->page & (PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO)))
			return "anon differs from kpageflags ANON";
		if ((r->page & PTWALK_P_KSM) && !(kf & (1ULL << KPF_KSM)))
			return "ksm but kpageflags lacks KSM";
		if ((r->page & PTWALK_P_ZERO) && !(kf & (1ULL << KPF_ZERO_PAGE)))
			return "zero page but kpageflags lacks ZERO_PAGE";
		if ((r->page & PTWALK_P_HUGETLB) && !(kf & (1ULL << KPF_HUGE)))
			return "hugetlb but kpageflags lacks HUGE";
		if ((r->page & PTWALK_P_THP) && r->shift == 21 && !(kf & (1ULL << KPF_THP)))
			return "THP but kpageflags lacks THP";
	}
	if (kp->has_count && ptw_mapcount_comparable(r, page) &&
	    kp->count != (uint64_t)r->mapcount) {
		snprintf(why, len, "map=%d, kpagecount %llu", r->mapcount,
			 (unsigned long long)kp->count);
		return why;
	}
	return NULL;
}

const char *ptw_compare_pagemap(const struct ptwalk_rec *r, uint32_t vma_flags,
				uint64_t page, uint64_t pm, const struct ptw_kpage *kp,
				bool phys_hidden, char *why, size_t len)
{
	struct ptw_pm_model m;
	const char *msg;

	ptw_pagemap_model(r, vma_flags, page, phys_hidden, &m);
	msg = ptw_compare_model(&m, pm, why, len);
	if (msg || r->kind != PTWALK_K_PRESENT || (vma_flags & PTWALK_VMA_PFNMAP))
		return msg;
	/* kpageflags and kpagecount are root's: never with PFNs hidden. */
	if (phys_hidden || !kp || (r->page & PTWALK_P_NOPAGE))
		return NULL;
	return compare_kpage(r, page, kp, why, len);
}

bool ptw_same_for_pagemap(const struct ptwalk_rec *a, const struct ptwalk_rec *b)
{
	const uint32_t bits = PTWALK_B_PRESENT | PTWALK_B_SOFT_DIRTY | PTWALK_B_UFFD_WP;
	const uint32_t page = PTWALK_P_ANON | PTWALK_P_FILE | PTWALK_P_SHMEM | PTWALK_P_KSM |
			      PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO | PTWALK_P_THP |
			      PTWALK_P_HUGETLB | PTWALK_P_NOPAGE | PTWALK_P_HIDDEN |
			      PTWALK_P_TABLE_SHARED;

	return a->vaddr == b->vaddr && a->kind == b->kind && a->level == b->level &&
	       a->shift == b->shift && a->pfn == b->pfn && a->sub == b->sub &&
	       a->swap_type == b->swap_type && a->swap_offset == b->swap_offset &&
	       (a->bits & bits) == (b->bits & bits) && (a->page & page) == (b->page & page) &&
	       a->mapcount == b->mapcount;
}

/* The entry of @r mapping @va exactly at its start, by binary search. */
static const struct ptwalk_rec *find_rec(const struct ptw_result *r, uint64_t va)
{
	size_t lo = 0, hi = r->nrecs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->recs[mid].vaddr < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nrecs && r->recs[lo].vaddr == va ? &r->recs[lo] : NULL;
}

#define IGNORED_BITS	(PTWALK_B_ACCESSED | PTWALK_B_DIRTY | PTWALK_B_RW)

static unsigned int changes(const struct ptwalk_rec *a, const struct ptwalk_rec *b,
			    bool phys_hidden)
{
	unsigned int w = 0;

	if (a->kind != b->kind)
		w |= PTW_D_KIND;
	else if (phys_hidden)
		;	/* frames and slots read as 0: nothing to compare */
	else if (a->kind == PTWALK_K_SWAP &&
		 (a->swap_type != b->swap_type || a->swap_offset != b->swap_offset))
		w |= PTW_D_SWAP;
	else if (a->kind != PTWALK_K_SWAP && a->pfn != b->pfn)
		w |= PTW_D_PFN;
	if (a->shift != b->shift)
		w |= PTW_D_SIZE;
	if ((a->bits & PTWALK_B_RW) && !(b->bits & PTWALK_B_RW))
		w |= PTW_D_WRPROT;
	if (!(a->bits & PTWALK_B_RW) && (b->bits & PTWALK_B_RW))
		w |= PTW_D_WRITABLE;
	if ((a->bits ^ b->bits) & ~IGNORED_BITS)
		w |= PTW_D_BITS;
	if (a->cow != b->cow)
		w |= PTW_D_COW;
	if ((a->page ^ b->page) & ~PTWALK_P_PGFLAGS_MASK)
		w |= PTW_D_PAGE;
	if (a->kind == PTWALK_K_PRESENT && b->kind == PTWALK_K_PRESENT &&
	    !((a->page | b->page) & PTWALK_P_HIDDEN) && a->mapcount != b->mapcount)
		w |= PTW_D_MAP;
	return w;
}

/* The two answers of a diff, and whether either hides frames. */
struct diff_pair {
	const struct ptw_result *a, *b;
	bool phys_hidden;
};

/* The PTWALK_VMA_* flags of the VMA of entry @r of @res (one of its recs). */
static uint32_t rec_vma_flags(const struct ptw_result *res, const struct ptwalk_rec *r)
{
	return res->nvmas ? res->vmas[res->rec_vma[r - res->recs]].flags : 0;
}

static int add_change(struct ptw_change **out, size_t *n, size_t *cap,
		      const struct diff_pair *d, const struct ptwalk_rec *a,
		      const struct ptwalk_rec *b, unsigned int what)
{
	struct ptw_change *c;

	if (grow((void **)out, cap, *n, sizeof(**out)))
		return -1;
	c = &(*out)[(*n)++];
	memset(c, 0, sizeof(*c));
	c->vaddr = a ? a->vaddr : b->vaddr;
	c->what = what;
	c->phys_hidden = d->phys_hidden;
	if (a) {
		c->old = *a;
		c->old_vma_flags = rec_vma_flags(d->a, a);
	}
	if (b) {
		c->new = *b;
		c->new_vma_flags = rec_vma_flags(d->b, b);
	}
	return 0;
}

static int cmp_change(const void *x, const void *y)
{
	const struct ptw_change *a = x, *b = y;

	return a->vaddr < b->vaddr ? -1 : a->vaddr > b->vaddr;
}

long ptw_diff(const struct ptw_result *a, const struct ptw_result *b,
	      struct ptw_change **out)
{
	struct diff_pair d = {
		.a = a, .b = b,
		.phys_hidden = (a->hdr.flags | b->hdr.flags) & PTWALK_H_PHYS_HIDDEN,
	};
	size_t i, n = 0, cap = 0;
	unsigned int w;

	*out = NULL;
	for (i = 0; i < a->nrecs; i++) {
		const struct ptwalk_rec *o = &a->recs[i], *nw = find_rec(b, o->vaddr);

		if (!nw)
			w = PTW_D_GONE;
		else
			w = changes(o, nw, d.phys_hidden);
		if (w && add_change(out, &n, &cap, &d, o, nw, w))
			goto nomem;
	}
	for (i = 0; i < b->nrecs; i++)
		if (!find_rec(a, b->recs[i].vaddr) &&
		    add_change(out, &n, &cap, &d, NULL, &b->recs[i], PTW_D_APPEARED))
			goto nomem;
	if (n)
		qsort(*out, n, sizeof(**out), cmp_change);
	return (long)n;
nomem:
	free(*out);
	*out = NULL;
	return -1;
}

/* Appends to @buf at *@at, "; " between items. */
static void say(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*at && *at < len) {
		n = snprintf(buf + *at, len - *at, "; ");
		*at += n > 0 ? (size_t)n : 0;
	}
	va_start(ap, fmt);
	n = vsnprintf(buf + (*at < len ? *at : len), *at < len ? len - *at : 0, fmt, ap);
	va_end(ap);
	*at += n > 0 ? (size_t)n : 0;
}

static const char *kind_change(unsigned int from, unsigned int to)
{
	if (to == PTWALK_K_SWAP)
		return "became swapped";
	if (from == PTWALK_K_SWAP && to == PTWALK_K_PRESENT)
		return "swapped back in";
	if (to == PTWALK_K_MIGRATION)
		return "under migration";
	if (from == PTWALK_K_MIGRATION && to == PTWALK_K_PRESENT)
		return "migrated";
	return NULL;
}

/* An entry that appeared or disappeared, in words; the rest is moot. */
static char *came_or_went(const struct ptw_change *c, char *buf, size_t len)
{
	const struct ptwalk_rec *a = &c->old, *b = &c->new;
	size_t at = 0;
	char x[128];

	if (c->what & PTW_D_GONE) {
		say(buf, len, &at, "disappeared: %s %s (unmapped, reclaimed or now part of a larger entry)",
		    ptwalk_level_name(a->level), ptwalk_kind_name(a->kind));
		return buf;
	}
	ptw_frame(x, sizeof(x), b, 1, c->phys_hidden);
	if (b->kind == PTWALK_K_SWAP)
		say(buf, len, &at, "appeared: %s", x);
	else
		say(buf, len, &at, "appeared: %s %s pfn %s, cow %s",
		    ptwalk_level_name(b->level), ptwalk_kind_name(b->kind),
		    x, ptwalk_cow_name(b->cow));
	return buf;
}

char *ptw_change_words(const struct ptw_change *c, char *buf, size_t len)
{
	const struct ptwalk_rec *a = &c->old, *b = &c->new;
	char x[128], y[128];
	size_t at = 0;

	buf[0] = '\0';
	if (c->what & (PTW_D_APPEARED | PTW_D_GONE))
		return came_or_went(c, buf, len);
	if (c->what & PTW_D_KIND) {
		const char *k = kind_change(a->kind, b->kind);

		if (k)
			say(buf, len, &at, "%s", k);
		else
			say(buf, len, &at, "%s -> %s", ptwalk_kind_name(a->kind),
			    ptwalk_kind_name(b->kind));
	}
	if (c->what & PTW_D_SIZE)
		say(buf, len, &at, "%s %s -> %s %s", ptw_size(x, sizeof(x), 1ULL << a->shift),
		    ptwalk_level_name(a->level), ptw_size(y, sizeof(y), 1ULL << b->shift),
		    ptwalk_level_name(b->level));
	if (c->what & PTW_D_PFN)
		say(buf, len, &at, "pfn 0x%llx -> 0x%llx (another page)",
		    (unsigned long long)a->pfn, (unsigned long long)b->pfn);
	if (c->what & PTW_D_SWAP)
		say(buf, len, &at, "swap slot %u:0x%llx -> %u:0x%llx", a->swap_type,
		    (unsigned long long)a->swap_offset, b->swap_type,
		    (unsigned long long)b->swap_offset);
	if (c->what & PTW_D_WRPROT)
		say(buf, len, &at, "write-protected");
	if (c->what & PTW_D_WRITABLE)
		say(buf, len, &at, "became writable");
	if (c->what & PTW_D_BITS)
		say(buf, len, &at, "bits %s -> %s",
		    ptw_names(x, sizeof(x), a->bits & ~IGNORED_BITS, ~0U, ptw_bit_names()),
		    ptw_names(y, sizeof(y), b->bits & ~IGNORED_BITS, ~0U, ptw_bit_names()));
	if (c->what & PTW_D_COW)
		say(buf, len, &at, "cow %s -> %s", ptwalk_cow_name(a->cow),
		    ptwalk_cow_name(b->cow));
	if (c->what & PTW_D_PAGE)
		say(buf, len, &at, "page %s -> %s",
		    ptw_names(x, sizeof(x), a->page, ~PTWALK_P_PGFLAGS_MASK, ptwalk_page_names),
		    ptw_names(y, sizeof(y), b->page, ~PTWALK_P_PGFLAGS_MASK, ptwalk_page_names));
	if (c->what & PTW_D_MAP)
		say(buf, len, &at, "mapped %d -> %d time%s", a->mapcount, b->mapcount,
		    b->mapcount == 1 ? "" : "s");
	return buf;
}

void ptw_perms(uint32_t vma_flags, char *p)
{
	p[0] = vma_flags & PTWALK_VMA_READ ? 'r' : '-';
	p[1] = vma_flags & PTWALK_VMA_WRITE ? 'w' : '-';
	p[2] = vma_flags & PTWALK_VMA_EXEC ? 'x' : '-';
	p[3] = vma_flags & PTWALK_VMA_SHARED ? 's' : 'p';
	p[4] = '\0';
}
