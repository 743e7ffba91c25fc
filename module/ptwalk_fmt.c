// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_fmt.c - every byte of an answer, into the reader's buffer: text,
 * merged or binary.
 *
 * Called from walk callbacks under page-table locks: no sleeping, no
 * allocation, only formatting into the buffer allocated before the walk.
 * Every function returns 0, or PTWALK_STOP_FULL when the record does not
 * fit or the reader's request is already met (ptwalk_unit_ok()); nothing
 * partial is ever left in the buffer.
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/string.h>
#include "../include/ptwalk_names.h"
#include "ptwalk_arch.h"
#include "ptwalk_compat.h"
#include "ptwalk_fmt.h"
#include "ptwalk_internal.h"
#include "ptwalk_text.h"
#include "ptwalk_walker.h"

/* Every record kind is PTWALK_REC_SIZE bytes with its type at one offset. */
#define PTWALK_CHECK_REC(type_)						\
	do {								\
		BUILD_BUG_ON(sizeof(type_) != PTWALK_REC_SIZE);		\
		BUILD_BUG_ON(offsetof(type_, type) !=			\
			     PTWALK_REC_TYPE_OFFSET);			\
	} while (0)

static void ptwalk_check_layout(void)
{
	PTWALK_CHECK_REC(struct ptwalk_rec);
	PTWALK_CHECK_REC(struct ptwalk_vma);
	PTWALK_CHECK_REC(struct ptwalk_name);
	PTWALK_CHECK_REC(struct ptwalk_lvl);
	PTWALK_CHECK_REC(struct ptwalk_more);
	PTWALK_CHECK_REC(struct ptwalk_end);
	PTWALK_CHECK_REC(struct ptwalk_task);
	PTWALK_CHECK_REC(struct ptwalk_frame);
	PTWALK_CHECK_REC(struct ptwalk_tally);
	PTWALK_CHECK_REC(struct ptwalk_swaprun);
	PTWALK_CHECK_REC(struct ptwalk_kinfo);
	PTWALK_CHECK_REC(struct ptwalk_region);
	PTWALK_CHECK_REC(struct ptwalk_krange);
	PTWALK_CHECK_REC(struct ptwalk_kaddr);
	PTWALK_CHECK_REC(struct ptwalk_summary);
	PTWALK_CHECK_REC(struct ptwalk_summary2);
	BUILD_BUG_ON(sizeof(union ptwalk_record) != PTWALK_REC_SIZE);
	BUILD_BUG_ON(offsetof(union ptwalk_record, type.type) !=
		     PTWALK_REC_TYPE_OFFSET);
	BUILD_BUG_ON(PTWALK_NAME_BYTES != PTWALK_REC_TYPE_OFFSET);
}

/**
 * ptwalk_unit_ok - may a new unit of output start in the buffer?
 * @ctx: the reader's context
 *
 * Only while the buffer holds less than the reader asked for; the first
 * unit of a buffer always may, so every read makes progress.  Who maps:
 * the records that announce a match are part of its unit (@who->group).
 * Return: whether it may.
 */
bool ptwalk_unit_ok(const struct ptwalk_ctx *ctx)
{
	return ctx->len < ctx->soft || (ctx->who && ctx->who->group);
}

/**
 * ptwalk_printf - append formatted text to the reader's buffer, all or nothing
 * @ctx: the reader's context
 * @fmt: printf format
 *
 * Return: 0, or PTWALK_STOP_FULL when the text does not fit; the caller
 * decides where to resume.
 */
static __printf(2, 3) int ptwalk_printf(struct ptwalk_ctx *ctx, const char *fmt, ...)
{
	size_t room = ctx->cap - ctx->len;
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(ctx->buf + ctx->len, room, fmt, args);
	va_end(args);
	if (n < 0 || (size_t)n >= room) {
		ctx->buf[ctx->len] = '\0';
		return PTWALK_STOP_FULL;
	}
	ctx->len += n;
	return 0;
}

/**
 * ptwalk_buf_reset - empty the reader's buffer once it has been read
 * @ctx: the reader's context
 *
 * A MORE record being filled lives in the buffer and goes with it; the
 * entry it continues stays in @ctx->last, since a MORE refers to the
 * stream, not to a buffer.
 *
 * Locking: under the file's mutex, like every use of @ctx.
 */
void ptwalk_buf_reset(struct ptwalk_ctx *ctx)
{
	ctx->len = 0;
	ctx->more_off = PTWALK_NO_MORE;
	ctx->swap_off = PTWALK_NO_MORE;
	ctx->full = false;
}

/* Binary records: format=binary, and format=summary's counts. */
static bool ptwalk_binary(const struct ptwalk_ctx *ctx)
{
	return ctx->q.format == PTWALK_FMT_BINARY ||
	       ctx->q.format == PTWALK_FMT_SUMMARY;
}

/* Any record but a folded entry: it ends the run a MORE could extend. */
static int ptwalk_put(struct ptwalk_ctx *ctx, const union ptwalk_record *r)
{
	if (ctx->cap - ctx->len < sizeof(*r))
		return PTWALK_STOP_FULL;
	memcpy(ctx->buf + ctx->len, r, sizeof(*r));
	ctx->len += sizeof(*r);
	ctx->more_off = PTWALK_NO_MORE;
	ctx->swap_off = PTWALK_NO_MORE;
	ctx->last_gen = 0;
	ctx->swap_next_raw = 0;
	/* Who maps never folds: each match is a record of its own. */
	ctx->have_last = r->type.type == PTWALK_REC_ENTRY && !ctx->who;
	if (ctx->have_last)
		ctx->last = r->entry;
	return 0;
}

/*
 * Can @r be told as a PFN in a MORE record after ctx->last?  See the format
 * notes in ptwalk.h: a present entry whose raw PFN field holds its PFN in
 * the form the last entry's did (so raw can be rebuilt; a 2M entry's PAT
 * bit sits in that field), right after the last entry and equal to it in
 * everything from swap_offset on (level, size, bits, page facts, counts,
 * cow, node, order, sub-page, pkey) and in raw's other bits.
 */
static bool ptwalk_foldable(const struct ptwalk_ctx *ctx,
			    const struct ptwalk_rec *r)
{
	const struct ptwalk_rec *l = &ctx->last;
	size_t off = offsetof(struct ptwalk_rec, swap_offset);
	const u64 *a = (const u64 *)((const char *)r + off);
	const u64 *b = (const u64 *)((const char *)l + off);
	int form;

	BUILD_BUG_ON(sizeof(*r) - offsetof(struct ptwalk_rec, swap_offset) != 5 * 8);
	if (!ctx->have_last || r->type != PTWALK_REC_ENTRY ||
	    r->kind != PTWALK_K_PRESENT)
		return false;
	form = ptwalk_raw_pfn_form_arch(r->raw, r->pfn, r->shift, PTWALK_ARCH);
	if (form == PTWALK_PFN_OTHER ||
	    form != ptwalk_raw_pfn_form_arch(l->raw, l->pfn, l->shift, PTWALK_ARCH))
		return false;
	if (r->vaddr != l->vaddr + (1ULL << l->shift) ||
	    ((r->raw ^ l->raw) & ~ptwalk_raw_pfn_mask(PTWALK_ARCH)))
		return false;
	return !((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) |
		 (a[3] ^ b[3]) | (a[4] ^ b[4]));
}

/*
 * Is @r the swap entry after ctx->last, in the next slot, and equal to it
 * in every other field?  Then a SWAPRUN tells it (ptwalk_swap_next(),
 * ptwalk.h); @r is already in the reader's view (hidden or not).
 */
static bool ptwalk_swap_foldable(const struct ptwalk_ctx *ctx,
				 const struct ptwalk_rec *r)
{
	const struct ptwalk_rec *l = &ctx->last;
	size_t off = offsetof(struct ptwalk_rec, bits);
	const u64 *a = (const u64 *)((const char *)r + off);
	const u64 *b = (const u64 *)((const char *)l + off);
	struct ptwalk_rec want;

	if (!ctx->have_last || r->kind != PTWALK_K_SWAP ||
	    r->level != PTWALK_LVL_PTE || r->shift != PAGE_SHIFT ||
	    l->kind != PTWALK_K_SWAP)
		return false;
	/* vaddr, raw, swap_offset as ptwalk_swap_next() makes them ... */
	want.vaddr = l->vaddr;
	want.raw = l->raw;
	want.swap_offset = l->swap_offset;
	want.shift = l->shift;
	ptwalk_swap_next(&want, !ctx->show_phys);
	if (r->vaddr != want.vaddr || r->raw != want.raw ||
	    r->swap_offset != want.swap_offset || r->pfn != l->pfn)
		return false;
	/* ... and every field from bits on the same (word by word, no memcmp). */
	BUILD_BUG_ON(sizeof(*r) - offsetof(struct ptwalk_rec, bits) != 4 * 8);
	return !((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]));
}

/**
 * ptwalk_swaprun_start - start a new SWAPRUN record in the reader's buffer
 * @ctx: the reader's context, binary format
 *
 * The one being filled, if any, is full.
 *
 * Locking: under the file's mutex; may run under page-table locks.
 * Return: 0, or PTWALK_STOP_FULL when the buffer has no room for it.
 */
int ptwalk_swaprun_start(struct ptwalk_ctx *ctx)
{
	struct ptwalk_swaprun *run = (struct ptwalk_swaprun *)(ctx->buf + ctx->len);

	if (!ptwalk_unit_ok(ctx) || ctx->cap - ctx->len < sizeof(*run))
		return PTWALK_STOP_FULL;
	memset(run, 0, sizeof(*run));
	run->type = PTWALK_REC_SWAPRUN;
	ctx->swap_off = ctx->len;
	ctx->len += sizeof(*run);
	return 0;
}

/**
 * ptwalk_more_start - start a new MORE record in the reader's buffer
 * @ctx: the reader's context, binary format
 *
 * The one being filled, if any, is full.
 *
 * Locking: under the file's mutex; may run under page-table locks.
 * Return: 0, or PTWALK_STOP_FULL when the buffer has no room for it.
 */
int ptwalk_more_start(struct ptwalk_ctx *ctx)
{
	struct ptwalk_more *m = (struct ptwalk_more *)(ctx->buf + ctx->len);

	if (!ptwalk_unit_ok(ctx) || ctx->cap - ctx->len < sizeof(*m))
		return PTWALK_STOP_FULL;
	memset(m, 0, sizeof(*m));
	m->type = PTWALK_REC_MORE;
	ctx->more_off = ctx->len;
	ctx->len += sizeof(*m);
	return 0;
}

/**
 * ptwalk_stop_at - the buffer is full: the next chunk resumes at @next
 * @ctx: the reader's context
 * @next: the first address not reported
 *
 * The first unit that does not fit decides where the next chunk resumes:
 * whatever a walk tries after that (another VMA, a later entry) must not
 * move the resume point past what was never reported.
 *
 * Locking: under the file's mutex, like every use of @ctx.
 * Return: PTWALK_STOP_FULL, for the walk callbacks to pass on.
 */
int ptwalk_stop_at(struct ptwalk_ctx *ctx, unsigned long next)
{
	if (!ctx->full) {
		ctx->full = true;
		ctx->next = next;
	}
	return PTWALK_STOP_FULL;
}

/*
 * "name,name" for the set bits of @v in @mask, or "-", NUL terminated, for
 * the lines still built with scnprintf() (level, frame): cut at @e - 1.
 */
static char *ptwalk_names(char *s, char *e, u32 v, u32 mask,
			  const char *const *tab)
{
	s = ptwalk_put_names(s, e - 1, v, mask, tab);
	*s = '\0';
	return s;
}

/*
 * The unprivileged view (see "Unprivileged view" in ptwalk.h and the
 * README's access model): nothing /proc/self/pagemap would not tell.
 * Physical memory (PFNs, table addresses, the PFN or swap-offset bits of
 * raw, swap type and offset) never shows; neither does page-cache and LRU
 * state, which the kernel keeps in 0400 files (kpageflags, kpagecount)
 * because it reveals other users' access to shared files; nor KSM, which
 * says another process holds the same bytes.  Counts and folio geometry
 * are the caller's own only for an anonymous page mapped exactly once:
 * pagemap's bit 56 tells that much.  The entry bits, size, kind, node
 * (move_pages(2) tells it) and the copy-on-write verdict describe the
 * caller's own mapping and stay.
 */
static void ptwalk_hide(struct ptwalk_rec *r)
{
	bool present = r->kind == PTWALK_K_PRESENT;

	r->raw = ptwalk_arch_hide_raw(r->raw, present);
	r->pfn = 0;
	r->swap_offset = 0;
	r->swap_type = 0;
	if (r->kind != PTWALK_K_PRESENT)
		return;
	r->page &= ~(PTWALK_P_PGFLAGS_MASK | PTWALK_P_KSM);
	if (r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO))
		return;
	if ((r->page & PTWALK_P_ANON) && !(r->page & PTWALK_P_SHMEM) &&
	    r->mapcount == 1)
		return;
	r->page |= PTWALK_P_HIDDEN;
	r->mapcount = 0;
	r->refcount = 0;
	r->subpage = 0;
	/* A huge entry's size tells its order; a PTE's folio is not told. */
	if (r->level == PTWALK_LVL_PTE) {
		r->order = 0;
		r->page &= ~PTWALK_P_THP;
	}
}

/*
 * The tail of the last present line made on this CPU (ptwalk_text_tail():
 * everything after its frames), keyed by what it is made of: the record's
 * words from swap_offset on, the view and the format.  Neighbouring pages
 * of a mapping usually agree in all of them (and a sparse mapping's runs
 * are one entry each), so a line is its head by hand and this, copied.
 * Per CPU and used with preemption off, so a reader keeps nothing of it
 * between reads; whoever made it, its key says whether it applies.
 */
struct ptwalk_tailcache {
	u64 key[5];
	bool valid;
	bool hidden;
	bool merged;
	unsigned int len;
	char tail[PTWALK_LINE_MAX] __aligned(8);
};

static DEFINE_PER_CPU(struct ptwalk_tailcache, ptwalk_tailcache);

/*
 * ptwalk_put_line() of a present entry or run, the caller having
 * PTWALK_TEXT_HEAD_MAX + PTWALK_LINE_MAX bytes of room.  Return: whether
 * the line is written (false: a tail too long for the fast path).
 */
static bool ptwalk_put_line_fast(struct ptwalk_ctx *ctx, const struct ptwalk_rec *r,
				 bool merged, unsigned long pages, u32 pat)
{
	size_t off = offsetof(struct ptwalk_rec, swap_offset);
	const u64 *w = (const u64 *)((const char *)r + off);
	bool hidden = !ctx->show_phys, done = false;
	struct ptwalk_tailcache *tc;
	char *s = ctx->buf + ctx->len;

	BUILD_BUG_ON(sizeof(*r) - offsetof(struct ptwalk_rec, swap_offset) != 5 * 8);
	tc = get_cpu_ptr(&ptwalk_tailcache);
	if (!tc->valid || tc->hidden != hidden || tc->merged != merged ||
	    ((w[0] ^ tc->key[0]) | (w[1] ^ tc->key[1]) | (w[2] ^ tc->key[2]) |
	     (w[3] ^ tc->key[3]) | (w[4] ^ tc->key[4]))) {
		tc->len = ptwalk_text_tail(tc->tail, tc->tail + PTWALK_LINE_MAX - 8,
					   r, merged, pat, hidden) - tc->tail;
		memcpy(tc->key, w, sizeof(tc->key));
		tc->hidden = hidden;
		tc->merged = merged;
		tc->valid = true;
	}
	if (tc->len + PTWALK_TEXT_HEAD_MAX <= PTWALK_LINE_MAX - 1) {
		if (merged)
			s = ptwalk_text_run_fast(s, r, pages, tc->tail, tc->len);
		else
			s = ptwalk_text_entry_fast(s, r, tc->tail, tc->len);
		*s++ = '\n';
		ctx->len = s - ctx->buf;
		done = true;
	}
	put_cpu_ptr(&ptwalk_tailcache);
	return done;
}

/*
 * An entry line (format=text) or, when @merged, the line of a run of @pages
 * entries from @r, straight into the reader's buffer, by hand
 * (ptwalk_text.c: vsnprintf() cost 85-127x pagemap on dense pages).  A
 * line is cut at PTWALK_LINE_MAX - 1 bytes before its newline, as the
 * scnprintf() into a line buffer it replaced cut it.
 * Return: 0, or PTWALK_STOP_FULL when it does not fit (nothing written).
 */
static int ptwalk_put_line(struct ptwalk_ctx *ctx, const struct ptwalk_rec *r,
			   bool merged, unsigned long pages)
{
	size_t room = ctx->cap - ctx->len, n;
	char *s = ctx->buf + ctx->len;
	char *e = s + min_t(size_t, room, PTWALK_LINE_MAX - 1);
	u32 pat = ptwalk_arch_pat_bit(r->level);

	if (r->kind == PTWALK_K_PRESENT &&
	    room > PTWALK_TEXT_HEAD_MAX + PTWALK_LINE_MAX &&
	    ptwalk_put_line_fast(ctx, r, merged, pages, pat))
		return 0;
	if (merged)
		n = ptwalk_text_run(s, e, r, pages, pat, !ctx->show_phys) - s;
	else
		n = ptwalk_text_entry(s, e, r, pat, !ctx->show_phys) - s;
	if (n + 1 >= room)
		return PTWALK_STOP_FULL;
	s[n] = '\n';
	ctx->len += n + 1;
	return 0;
}

static int ptwalk_text_level(struct ptwalk_ctx *ctx, const struct ptwalk_lvl *l)
{
	char line[256], *s = line, *e = line + sizeof(line);

	s += scnprintf(s, e - s, "level %s index=%u raw=0x%016llx table=0x%llx",
		       ptwalk_level_name(l->level),
		       l->index, l->raw, (u64)l->table_pfn << PAGE_SHIFT);
	s += scnprintf(s, e - s, " kind=%s", ptwalk_kind_name(l->kind));
	if (l->kind == PTWALK_K_PRESENT || l->kind == PTWALK_K_TABLE) {
		s += scnprintf(s, e - s, " hw=");
		s = ptwalk_names(s, e, l->bits, PTWALK_B_HW_MASK, PTWALK_ARCH_BIT_NAMES);
		if (l->bits & PTWALK_B_PROTNONE)
			s += scnprintf(s, e - s, " sw=protnone");
	}
	return ptwalk_printf(ctx, "%s\n", line);
}

/* Can @r extend the current run?  ptwalk_run_continues(), ptwalk.h. */
static bool ptwalk_mergeable(const struct ptwalk_ctx *ctx,
			     const struct ptwalk_rec *r)
{
	return ctx->run_pages &&
	       ptwalk_run_continues(&ctx->run, ctx->run_pages, r, !ctx->show_phys);
}

/**
 * ptwalk_flush_run - print the merged run accumulated so far, if any
 * @ctx: the reader's context
 *
 * Return: 0, or PTWALK_STOP_FULL with the run kept for the next buffer.
 */
static int ptwalk_flush_run(struct ptwalk_ctx *ctx)
{
	int ret;

	if (!ctx->run_pages)
		return 0;
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	ret = ptwalk_put_line(ctx, &ctx->run, true, ctx->run_pages);
	if (!ret)
		ctx->run_pages = 0;
	return ret;
}

/* One record of any kind, binary: a new unit unless the request is met. */
static int ptwalk_put_unit(struct ptwalk_ctx *ctx, const void *rec)
{
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	return ptwalk_put(ctx, rec);
}

/* Merged format: add @r to the run, or print the run and start one. */
static int ptwalk_merge(struct ptwalk_ctx *ctx, const struct ptwalk_rec *r)
{
	int ret;

	if (ptwalk_mergeable(ctx, r)) {
		ctx->run_pages++;
		return 0;
	}
	ret = ptwalk_flush_run(ctx);
	if (!ret) {
		ctx->run = *r;
		ctx->run_pages = 1;
	}
	return ret;
}

/*
 * format=summary: entry @r (in the reader's view) into its VMA's sums, by
 * the rules "ptwalk summary" counts a binary answer's entries with
 * (user/libptwalk.c, count_one() and ptw_soft_dirty()).
 */
static void ptwalk_sum_add(struct ptwalk_ctx *ctx, const struct ptwalk_rec *r)
{
	struct ptwalk_summary *s = &ctx->sums->s;
	struct ptwalk_summary2 *m = &ctx->sums->s2;
	u64 n = 1ULL << (r->shift - 12);	/* 4 KiB pages */
	u32 vmf = ctx->sums->vmf;

	if (r->kind == PTWALK_K_PRESENT) {
		s->present += n;
		if (r->node >= 0 && r->node < PTWALK_SUM_NODES)
			m->node[r->node] += n;
		else
			m->node_other += n;
	}
	if (r->kind == PTWALK_K_SWAP)
		s->swapped += n;
	if (r->page & PTWALK_P_THP)
		s->thp += n;
	if (r->page & PTWALK_P_HUGETLB)
		s->hugetlb += n;
	if (r->page & (PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO))
		s->zero += n;
	if (r->page & PTWALK_P_KSM)
		s->ksm += n;
	if (r->cow == PTWALK_COW_COPY || r->cow == PTWALK_COW_REUSE)
		s->cow += n;
	/* pagemap's rule: the VMA's VM_SOFTDIRTY; none for PFN maps, hugetlb. */
	if ((vmf & PTWALK_VMA_SOFTDIRTY) ||
	    (!(vmf & PTWALK_VMA_PFNMAP) && !(r->page & PTWALK_P_HUGETLB) &&
	     !(vmf & PTWALK_VMA_HUGETLB) && (r->bits & PTWALK_B_SOFT_DIRTY)))
		m->soft_dirty += n;
	m->entries++;
}

/*
 * format=summary: the sums of the VMA announced last, if not yet out, both
 * records or neither.  Return: 0, or PTWALK_STOP_FULL (kept for the next
 * buffer).
 */
static int ptwalk_sum_flush(struct ptwalk_ctx *ctx)
{
	struct ptwalk_sums *m = ctx->sums;

	if (!m || !m->pending)
		return 0;
	if (!ptwalk_unit_ok(ctx) || ctx->cap - ctx->len < sizeof(m->s) + sizeof(m->s2))
		return PTWALK_STOP_FULL;
	m->s.type = PTWALK_REC_SUMMARY;
	m->s2.type = PTWALK_REC_SUMMARY2;
	memcpy(ctx->buf + ctx->len, &m->s, sizeof(m->s));
	ctx->len += sizeof(m->s);
	memcpy(ctx->buf + ctx->len, &m->s2, sizeof(m->s2));
	ctx->len += sizeof(m->s2);
	m->pending = false;
	return 0;
}

/*
 * format=summary keeps the last 4K swap entry summed in ctx->last (no
 * record of an entry is ever put, so nothing else uses it there): when
 * @r was the next slot of it, in root's view, the walker may sum the
 * next slots itself (ptwalk_swap_continues(), ptwalk_sum_swap_next()), as
 * the binary format's SWAPRUN does.  @raw: @r's raw value, not hidden.
 */
static void ptwalk_sum_note(struct ptwalk_ctx *ctx, const struct ptwalk_rec *r, u64 raw)
{
	bool swap = r->kind == PTWALK_K_SWAP && r->level == PTWALK_LVL_PTE &&
		    r->shift == PAGE_SHIFT;

	ctx->swap_next_raw = swap && ctx->show_phys && ptwalk_swap_foldable(ctx, r) ?
			     raw - PTWALK_RAW_SWP_OFFSET_STEP : 0;
	ctx->have_last = swap;
	if (swap)
		ctx->last = *r;
}

/**
 * ptwalk_sum_swap_next - sum the swap entry ptwalk_swap_continues() accepted
 * @ctx: the reader's context, format=summary
 *
 * It is ctx->last one page and one slot on (root's view).
 *
 * Locking: under the file's mutex; may run under page-table locks.
 */
void ptwalk_sum_swap_next(struct ptwalk_ctx *ctx)
{
	ptwalk_swap_next(&ctx->last, 0);
	ptwalk_sum_add(ctx, &ctx->last);
	ctx->swap_next_raw -= PTWALK_RAW_SWP_OFFSET_STEP;
	ctx->emitted++;
}

/**
 * ptwalk_emit - report one entry in the query's format
 * @ctx: the reader's context
 * @r: an ENTRY record; its physical addresses are zeroed in place when the
 *	reader may not see them
 *
 * Locking: under the file's mutex; may run under page-table locks.
 * Return: 0, or PTWALK_STOP_FULL; then ctx->next is @r's address, from
 * which the next chunk resumes.
 */
int ptwalk_emit(struct ptwalk_ctx *ctx, struct ptwalk_rec *r)
{
	u64 frames = 0, raw = r->raw;
	int ret;

	/* Match-only mode: entries mapping no frame of the range are not told. */
	if (ctx->who) {
		frames = ptwalk_who_overlap(ctx, r);
		if (!frames)
			return 0;
	}
	if (!ctx->show_phys)
		ptwalk_hide(r);
	switch (ctx->q.format) {
	case PTWALK_FMT_BINARY:
		if (ptwalk_foldable(ctx, r))
			ret = ptwalk_more_add(ctx, r->vaddr, r->raw, r->pfn);
		else if (!ctx->who && ptwalk_swap_foldable(ctx, r)) {
			ret = ptwalk_swaprun_add(ctx, r->vaddr, r->raw,
						 r->swap_offset);
			/*
			 * The slot step was just seen to hold (offsets are
			 * compared only in root's view): the walker may take
			 * the next entries itself.
			 */
			if (!ret && ctx->show_phys)
				ctx->swap_next_raw = raw - PTWALK_RAW_SWP_OFFSET_STEP;
		} else {
			ret = ptwalk_put_unit(ctx, r);
		}
		break;
	case PTWALK_FMT_MERGED:
		ret = ptwalk_merge(ctx, r);
		break;
	case PTWALK_FMT_SUMMARY:
		ptwalk_sum_add(ctx, r);
		ptwalk_sum_note(ctx, r, raw);
		ret = 0;
		break;
	default:
		ret = ptwalk_unit_ok(ctx) ? ptwalk_put_line(ctx, r, false, 1) :
					    PTWALK_STOP_FULL;
		break;
	}
	if (ret)
		return ptwalk_stop_at(ctx, r->vaddr);
	ctx->emitted++;
	if (ctx->who) {
		ctx->who->mappings += frames;
		ctx->who->group = false;	/* the unit is complete */
	}
	return 0;
}

/**
 * ptwalk_emit_level - report one level of a single-address translation
 * @ctx: the reader's context
 * @l: a LEVEL record; its raw frame and table are zeroed in place when the
 *	reader may not see them
 *
 * Locking: under the file's mutex; may run under page-table locks.
 * Return: 0, or PTWALK_STOP_FULL (ctx->next is then @l's address).
 */
int ptwalk_emit_level(struct ptwalk_ctx *ctx, struct ptwalk_lvl *l)
{
	int ret;

	if (!ctx->show_phys) {
		l->raw = ptwalk_arch_hide_raw(l->raw, l->kind == PTWALK_K_PRESENT ||
					      l->kind == PTWALK_K_TABLE);
		l->table_pfn = 0;
	}
	if (ptwalk_binary(ctx))
		ret = ptwalk_put_unit(ctx, l);
	else
		ret = ptwalk_unit_ok(ctx) ? ptwalk_text_level(ctx, l) :
					    PTWALK_STOP_FULL;
	return ret ? ptwalk_stop_at(ctx, l->vaddr) : 0;
}

/*
 * ptwalk's VMA flags (PTWALK_VMA_*, the format's own names) for @vma: the
 * kernel's vm_flags values are not an ABI.  Flags a kernel lacks read 0
 * (VM_SOFTDIRTY without CONFIG_MEM_SOFT_DIRTY, VM_SHADOW_STACK: compat).
 */
static u32 ptwalk_vma_flags(struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	u32 v = 0;

	v |= f & VM_READ ? PTWALK_VMA_READ : 0;
	v |= f & VM_WRITE ? PTWALK_VMA_WRITE : 0;
	v |= f & VM_EXEC ? PTWALK_VMA_EXEC : 0;
	v |= f & VM_MAYSHARE ? PTWALK_VMA_SHARED : 0;
	v |= ptwalk_vma_soft_dirty(vma) ? PTWALK_VMA_SOFTDIRTY : 0;
	v |= f & VM_PFNMAP ? PTWALK_VMA_PFNMAP : 0;
	v |= f & VM_MIXEDMAP ? PTWALK_VMA_MIXEDMAP : 0;
	v |= is_vm_hugetlb_page(vma) ? PTWALK_VMA_HUGETLB : 0;
	v |= f & VM_LOCKED ? PTWALK_VMA_LOCKED : 0;
	v |= f & VM_IO ? PTWALK_VMA_IO : 0;
	v |= f & VM_GROWSDOWN ? PTWALK_VMA_GROWSDOWN : 0;
	v |= f & VM_UFFD_WP ? PTWALK_VMA_UFFD_WP : 0;
	v |= f & VM_UFFD_MISSING ? PTWALK_VMA_UFFD_MISSING : 0;
	v |= f & VM_SHADOW_STACK ? PTWALK_VMA_SHADOW_STACK : 0;
	v |= f & VM_HUGEPAGE ? PTWALK_VMA_HUGEPAGE : 0;
	v |= f & VM_NOHUGEPAGE ? PTWALK_VMA_NOHUGEPAGE : 0;
	v |= f & VM_MERGEABLE ? PTWALK_VMA_MERGEABLE : 0;
	v |= vma_is_anonymous(vma) ? PTWALK_VMA_ANON : 0;
	v |= vma->vm_file ? PTWALK_VMA_FILE : 0;
	return v;
}

/* What /proc/PID/maps would call the VMA. */
static const char *ptwalk_vma_name(struct vm_area_struct *vma, char *buf,
				   size_t len)
{
	struct mm_struct *mm = vma->vm_mm;
	const char *name;

	if (vma->vm_file) {
		name = file_path(vma->vm_file, buf, len);
		return IS_ERR(name) ? "[file]" : name;
	}
	if (vma->vm_ops && vma->vm_ops->name) {
		name = vma->vm_ops->name(vma);
		if (name)
			return name;
	}
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return "[stack]";
	return "[anon]";
}

/**
 * ptwalk_emit_vma - announce the VMA the following entries belong to
 * @ctx: the reader's context
 * @vma: the VMA; its mm's mmap lock is held
 *
 * The run a merged answer was accumulating is flushed first, a unit of
 * its own: if the vma line then does not fit, the run is already out.
 *
 * Locking: under the file's mutex and the target's mmap lock; may sleep
 * (d_path), so never called under a page-table lock.
 * Return: 0, or PTWALK_STOP_FULL (ctx->next is then where to resume, the
 * VMA's announcement included, unless an earlier unit set it).
 */
int ptwalk_emit_vma(struct ptwalk_ctx *ctx, struct vm_area_struct *vma)
{
	u32 f = ptwalk_vma_flags(vma);
	char path[256];
	const char *name = ptwalk_vma_name(vma, path, sizeof(path));
	size_t mark;
	int ret;

	ret = ptwalk_flush_run(ctx);
	if (!ret)
		ret = ptwalk_sum_flush(ctx);
	if (ret)
		return ret;
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	mark = ctx->len;
	if (ptwalk_binary(ctx)) {
		struct ptwalk_vma v = {
			.start = vma->vm_start,
			.end = vma->vm_end,
			.pgoff = vma->vm_pgoff,
			.flags = f,
			.type = PTWALK_REC_VMA,
		};
		size_t n = strlen(name), off;

		ret = ptwalk_put(ctx, (const union ptwalk_record *)&v);
		for (off = 0; !ret && off < n; off += PTWALK_NAME_BYTES) {
			struct ptwalk_name nm = { .type = PTWALK_REC_NAME };

			memcpy(nm.name, name + off,
			       min_t(size_t, n - off, PTWALK_NAME_BYTES));
			ret = ptwalk_put(ctx, (const union ptwalk_record *)&nm);
		}
	} else {
		ret = ptwalk_printf(ctx, "vma 0x%012lx-0x%012lx %c%c%c%c pgoff=0x%lx %s %s\n",
				    vma->vm_start, vma->vm_end,
				    f & PTWALK_VMA_READ ? 'r' : '-',
				    f & PTWALK_VMA_WRITE ? 'w' : '-',
				    f & PTWALK_VMA_EXEC ? 'x' : '-',
				    f & PTWALK_VMA_SHARED ? 's' : 'p',
				    vma->vm_pgoff,
				    f & PTWALK_VMA_SOFTDIRTY ? "sd" : "-", name);
	}
	if (ret) {
		ctx->len = mark;	/* all or nothing */
		return ret;
	}
	ctx->vma_start = vma->vm_start;
	ctx->vmas++;
	if (ctx->sums) {
		memset(ctx->sums, 0, sizeof(*ctx->sums));
		ctx->sums->vmf = f;
		ctx->sums->pending = true;
	}
	return 0;
}

/*
 * The binary header of every answer, alone in the empty buffer: @single
 * (one address asked) starts it at the address asked, else where the walk
 * starts.
 */
static void ptwalk_bin_header(struct ptwalk_ctx *ctx, u32 flags, bool single)
{
	struct ptwalk_hdr *h = (struct ptwalk_hdr *)ctx->buf;

	memset(h, 0, sizeof(*h));
	h->magic = PTWALK_MAGIC;
	h->version = PTWALK_VERSION;
	h->hdr_size = sizeof(*h);
	h->rec_size = PTWALK_REC_SIZE;
	h->walker = ctx->walker;
	h->arch = PTWALK_ARCH;
	h->pid = ctx->pid;
	h->flags = flags;
	h->start = single ? ctx->q.start : ctx->start;
	h->end = ctx->end;
	memcpy(h->comm, ctx->comm, sizeof(h->comm));
	ctx->len = sizeof(*h);
}

/**
 * ptwalk_emit_header - the answer's header (binary) or comment lines
 * @ctx: the reader's context, its buffer empty
 *
 * Always fits: the buffer holds at least PTWALK_UNIT_MAX bytes.
 *
 * Locking: under the file's mutex.
 */
void ptwalk_emit_header(struct ptwalk_ctx *ctx)
{
	int levels = ptwalk_arch_paging_levels();
	u32 flags = (ctx->show_phys ? 0 : PTWALK_H_PHYS_HIDDEN) |
		    (levels == 5 ? PTWALK_H_LA57 : 0) |
		    (ctx->q.single ? PTWALK_H_SINGLE : 0) |
		    (ctx->q.format == PTWALK_FMT_SUMMARY ? PTWALK_H_SUMMARY : 0);

	ptwalk_check_layout();
	if (ctx->who)
		flags |= PTWALK_H_WHO;
	if (ptwalk_binary(ctx)) {
		ptwalk_bin_header(ctx, flags, ctx->q.single);
		return;
	}
	if (ctx->who) {
		ptwalk_printf(ctx, "# ptwalk %d who pfn=0x%lx-0x%lx walker=%s paging=%d phys=shown arch=%s\n",
			      PTWALK_VERSION, ctx->start, ctx->end,
			      ptwalk_walker_name(ctx->walker), levels,
			      PTWALK_ARCH_NAME);
		ptwalk_printf(ctx, "# not an atomic snapshot: processes run on, mappings may change while they are visited\n");
		return;
	}
	ptwalk_printf(ctx, "# ptwalk %d pid=%d comm=%s walker=%s range=0x%lx-0x%lx paging=%d phys=%s%s arch=%s\n",
		      PTWALK_VERSION, ctx->pid, ctx->comm,
		      ptwalk_walker_name(ctx->walker), ctx->start, ctx->end,
		      levels, ctx->show_phys ? "shown" : "hidden",
		      ctx->q.single ? " single" : "", PTWALK_ARCH_NAME);
	ptwalk_printf(ctx, "# not an atomic snapshot: the process runs on, entries may change while read\n");
	if (ctx->q.single)
		ptwalk_printf(ctx, "# translate 0x%llx\n", ctx->q.start);
}

/**
 * ptwalk_emit_tail - what follows the last entry: the merged run still
 *	accumulated, and for a single address without an entry, its "none"
 *	line (text formats)
 * @ctx: the reader's context
 *
 * Locking: under the file's mutex.
 * Return: 0, or PTWALK_STOP_FULL (the rest is written by the next read).
 */
int ptwalk_emit_tail(struct ptwalk_ctx *ctx)
{
	int ret = ptwalk_flush_run(ctx);

	if (!ret)
		ret = ptwalk_sum_flush(ctx);
	if (ret)
		return ret;
	if (!ctx->q.single || ctx->emitted ||
	    ctx->end_status != PTWALK_END_COMPLETE ||
	    ptwalk_binary(ctx))
		return 0;
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	ret = ptwalk_printf(ctx, "0x%012llx 4K pte raw=0x0000000000000000 kind=none\n",
			    ctx->q.start & PAGE_MASK);
	if (!ret)
		ctx->emitted = 1;
	return ret;
}

/**
 * ptwalk_emit_end - the end record: complete, exited or stopped, and where
 * @ctx: the reader's context; ctx->end_status, ctx->next and ctx->error
 *	say how the answer ends
 *
 * Locking: under the file's mutex.
 * Return: 0, or PTWALK_STOP_FULL (written by the next read).
 */
int ptwalk_emit_end(struct ptwalk_ctx *ctx)
{
	unsigned long next = ctx->end_status == PTWALK_END_COMPLETE ?
			     ctx->end : ctx->who ? ctx->start : ctx->next;

	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	if (ptwalk_binary(ctx)) {
		struct ptwalk_end *e;

		if (ctx->cap - ctx->len < sizeof(*e))
			return PTWALK_STOP_FULL;
		e = (struct ptwalk_end *)(ctx->buf + ctx->len);
		memset(e, 0, sizeof(*e));
		e->next = next;
		e->entries = ctx->emitted;
		e->vmas = ctx->vmas;
		e->error = ctx->error;
		e->status = ctx->end_status;
		e->type = PTWALK_REC_END;
		ctx->len += sizeof(*e);
		ctx->more_off = PTWALK_NO_MORE;
		ctx->swap_off = PTWALK_NO_MORE;
		ctx->have_last = false;
		ctx->swap_next_raw = 0;
		return 0;
	}
	if (ctx->end_status == PTWALK_END_STOPPED)
		return ptwalk_printf(ctx, "# end status=%s next=0x%lx entries=%lu vmas=%lu error=%d\n",
				     ptwalk_end_name(ctx->end_status), next,
				     ctx->emitted, ctx->vmas, ctx->error);
	return ptwalk_printf(ctx, "# end status=%s next=0x%lx entries=%lu vmas=%lu\n",
			     ptwalk_end_name(ctx->end_status), next,
			     ctx->emitted, ctx->vmas);
}

/**
 * ptwalk_emit_task - who maps: the process the next records belong to
 * @ctx: the reader's context; ctx->pid, ctx->comm and ctx->who->ppid
 *	describe it
 *
 * Locking: under the file's mutex and the process's mmap lock.
 * Return: 0, or PTWALK_STOP_FULL (nothing written).
 */
int ptwalk_emit_task(struct ptwalk_ctx *ctx)
{
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	if (ptwalk_binary(ctx)) {
		struct ptwalk_task t = {
			.pid = ctx->pid,
			.ppid = ctx->who->ppid,
			.type = PTWALK_REC_TASK,
		};

		memcpy(t.comm, ctx->comm, sizeof(t.comm));
		return ptwalk_put(ctx, (const union ptwalk_record *)&t);
	}
	return ptwalk_printf(ctx, "task pid=%d ppid=%d comm=%s\n", ctx->pid,
			     ctx->who->ppid, ctx->comm);
}

/* @s in records of @type (NAME, MEMCG: the same layout), 48 bytes each. */
static int ptwalk_put_name_recs(struct ptwalk_ctx *ctx, u8 type, const char *s)
{
	size_t n = s ? strlen(s) : 0, off;
	int ret = 0;

	BUILD_BUG_ON(offsetof(struct ptwalk_memcg, type) != offsetof(struct ptwalk_name, type));
	for (off = 0; !ret && off < n; off += PTWALK_NAME_BYTES) {
		struct ptwalk_name nm = { .type = type };

		memcpy(nm.name, s + off, min_t(size_t, n - off, PTWALK_NAME_BYTES));
		ret = ptwalk_put(ctx, (const union ptwalk_record *)&nm);
	}
	return ret;
}

/**
 * ptwalk_emit_frame - who maps: one frame's facts, with its file's path
 * @ctx: the reader's context
 * @f: the FRAME record
 * @path: the file's path, or NULL
 * @memcg: its memory cgroup's path when @f->memcg is PTWALK_MEMCG_PATH
 *
 * Locking: under the file's mutex; no other lock.
 * Return: 0, or PTWALK_STOP_FULL (nothing written).
 */
int ptwalk_emit_frame(struct ptwalk_ctx *ctx, const struct ptwalk_frame *f,
		      const char *path, const char *memcg)
{
	char line[1024], *s = line, *e = line + sizeof(line);
	size_t mark = ctx->len;
	int ret;

	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	if (ptwalk_binary(ctx)) {
		ret = ptwalk_put(ctx, (const union ptwalk_record *)f);
		if (!ret)
			ret = ptwalk_put_name_recs(ctx, PTWALK_REC_NAME, path);
		if (!ret)
			ret = ptwalk_put_name_recs(ctx, PTWALK_REC_MEMCG, memcg);
		if (ret)
			ctx->len = mark;
		return ret;
	}
	s += scnprintf(s, e - s, "frame pfn=0x%llx state=%s page=", f->pfn,
		       ptwalk_frame_state_name(f->state));
	s = ptwalk_names(s, e, f->page, ~PTWALK_P_PGFLAGS_MASK, ptwalk_page_names);
	s += scnprintf(s, e - s, " order=%u sub=%u map=%d ref=%d node=%d pg=",
		       f->order, f->subpage, f->mapcount, f->refcount, f->node);
	s = ptwalk_names(s, e, f->page, PTWALK_P_PGFLAGS_MASK, ptwalk_page_names);
	s += scnprintf(s, e - s, " kaddr=0x%llx", f->kaddr);
	if (f->page & PTWALK_P_FILE)
		s += scnprintf(s, e - s, " index=0x%llx", f->index);
	if (path)
		s += scnprintf(s, e - s, " path=%s", path);
	if (f->memcg == PTWALK_MEMCG_PATH && memcg)
		s += scnprintf(s, e - s, " memcg=%s", memcg);
	else if (f->memcg == PTWALK_MEMCG_NONE)
		s += scnprintf(s, e - s, " memcg=none");
	return ptwalk_printf(ctx, "%s\n", line);
}

/**
 * ptwalk_emit_tally - who maps: mappings found against the mapcounts
 * @ctx: the reader's context, every FRAME record out
 *
 * Locking: under the file's mutex.
 * Return: 0, or PTWALK_STOP_FULL (nothing written).
 */
int ptwalk_emit_tally(struct ptwalk_ctx *ctx)
{
	const struct ptwalk_who *w = ctx->who;

	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	if (ptwalk_binary(ctx)) {
		struct ptwalk_tally t = {
			.mappings = w->mappings,
			.mapcount = w->mapcount,
			.tasks = w->tasks,
			.gone = w->gone,
			.frames = w->frame_next,
			.equal = w->mappings == w->mapcount,
			.type = PTWALK_REC_TALLY,
		};

		return ptwalk_put(ctx, (const union ptwalk_record *)&t);
	}
	return ptwalk_printf(ctx, "# tally mappings=%llu mapcount=%llu equal=%s tasks=%u gone=%u\n",
			     w->mappings, w->mapcount,
			     w->mappings == w->mapcount ? "yes" : "no",
			     w->tasks, w->gone);
}

/* The kernel's page tables (kernel=1, kaddr=): see ptwalk.h. */

/* Bytes as ptdump prints them: the largest unit that divides them. */
static char *ptwalk_kbytes(char *s, char *e, u64 bytes)
{
	static const char units[] = "BKMGTPE";
	const char *u = units;

	while (bytes && !(bytes & 1023) && u[1]) {
		bytes >>= 10;
		u++;
	}
	return s + scnprintf(s, e - s, "%llu%c", bytes, *u);
}

static char *ptwalk_khw(char *s, char *e, u32 bits)
{
	s += scnprintf(s, e - s, "hw=");
	s = ptwalk_names(s, e, bits, PTWALK_B_HW_MASK, ptwalk_bit_names);
	return s + scnprintf(s, e - s, " mt=%s",
			     ptwalk_memtype_names[ptwalk_pat_index(bits)]);
}

/**
 * ptwalk_emit_kheader - the header of a kernel answer and its KINFO record
 * @ctx: the reader's context
 * @ki: the bases, filled in by the caller
 *
 * Locking: under the file's mutex; the buffer is empty.
 */
void ptwalk_emit_kheader(struct ptwalk_ctx *ctx, const struct ptwalk_kinfo *ki)
{
	u32 flags = PTWALK_H_KERNEL | ki->flags |
		    (ki->levels == 5 ? PTWALK_H_LA57 : 0) |
		    (ctx->q.kaddr ? PTWALK_H_SINGLE : 0);

	ptwalk_check_layout();
	if (ptwalk_binary(ctx)) {
		ptwalk_bin_header(ctx, flags, ctx->q.kaddr);
		ptwalk_put(ctx, (const union ptwalk_record *)ki);
		return;
	}
	ptwalk_printf(ctx, "# ptwalk %d kernel pid=%d comm=%s walker=%s paging=%d phys=shown arch=%s\n",
		      PTWALK_VERSION, ctx->pid, ctx->comm,
		      ctx->walker == PTWALK_WALKER_PTDUMP ? "ptdump" : "lockless",
		      ki->levels, PTWALK_ARCH_NAME);
	ptwalk_printf(ctx, "# kernel page_offset_base=0x%llx vmalloc_base=0x%llx vmemmap_base=0x%llx phys_base=0x%llx pgd=%s kpti=%s\n",
		      ki->page_offset_base, ki->vmalloc_base, ki->vmemmap_base,
		      ki->phys_base, ki->flags & PTWALK_H_KPTI ? "user" : "kernel",
		      ki->flags & PTWALK_H_KPTI_OFF ? "off" : "on");
	if ((ki->flags & PTWALK_H_KPTI) && (ki->flags & PTWALK_H_KPTI_OFF))
		ptwalk_printf(ctx, "# kpti off: there is no user copy of the page tables; user mode runs on the kernel's PGD, its kernel half guarded only by U=0\n");
	if (ctx->q.kaddr)
		ptwalk_printf(ctx, "# translate 0x%llx (read without the kernel's page-table locks, see README)\n",
			      ctx->q.start);
}

/**
 * ptwalk_emit_krec - one record of a kernel answer: REGION, KRANGE or KADDR
 * @ctx: the reader's context
 * @r: the record
 *
 * Locking: under the file's mutex.
 * Return: 0, or PTWALK_STOP_FULL (nothing written).
 */
int ptwalk_emit_krec(struct ptwalk_ctx *ctx, const union ptwalk_record *r)
{
	char line[256], *s = line, *e = line + sizeof(line);

	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	if (ptwalk_binary(ctx))
		return ptwalk_put(ctx, r);
	switch (r->type.type) {
	case PTWALK_REC_REGION:
		s += scnprintf(s, e - s, "region 0x%016llx %.*s", r->region.start,
			       PTWALK_KDESC_BYTES, r->region.name);
		if (r->region.skipped)
			s += scnprintf(s, e - s, " skipped=%u", r->region.skipped);
		break;
	case PTWALK_REC_KRANGE:
		s += scnprintf(s, e - s, "0x%016llx-0x%016llx ",
			       r->krange.start, r->krange.end);
		s = ptwalk_kbytes(s, e, r->krange.end - r->krange.start);
		s += scnprintf(s, e - s, " %s ",
			       ptwalk_level_name(r->krange.level));
		s = ptwalk_khw(s, e, r->krange.bits);
		break;
	case PTWALK_REC_KADDR:
		s += scnprintf(s, e - s, "kaddr 0x%016llx", r->kaddr.vaddr);
		if (r->kaddr.lk_level != 0xff)
			s += scnprintf(s, e - s, " lookup=%s,0x%016llx",
				       ptwalk_level_name(r->kaddr.lk_level),
				       r->kaddr.lk_raw);
		else
			s += scnprintf(s, e - s, " lookup=none");
		if (r->kaddr.kind != PTWALK_K_PRESENT) {
			s += scnprintf(s, e - s, " kind=none");
			break;
		}
		s += scnprintf(s, e - s, " phys=0x%llx pfn=0x%llx raw=0x%016llx ",
			       r->kaddr.phys, r->kaddr.pfn, r->kaddr.raw);
		s = ptwalk_kbytes(s, e, 1ULL << r->kaddr.shift);
		s += scnprintf(s, e - s, " %s ",
			       ptwalk_level_name(r->kaddr.level));
		s = ptwalk_khw(s, e, r->kaddr.bits);
		break;
	default:
		return 0;
	}
	return ptwalk_printf(ctx, "%s\n", line);
}

/**
 * ptwalk_emit_krun - format=merged: a run of contiguous kernel ranges of one
 *	region with equal bits but PS
 * @ctx: the reader's context
 * @first: the run's first range (its bits, without PS, are the run's)
 * @end: the run's end
 * @pages: entries of the run per level (enum ptwalk_level)
 * @shifts: the entry size of each level, log2
 *
 * Locking: under the file's mutex.
 * Return: 0, or PTWALK_STOP_FULL (nothing written).
 */
int ptwalk_emit_krun(struct ptwalk_ctx *ctx, const struct ptwalk_krange *first,
		     u64 end, const u64 *pages, const u8 *shifts)
{
	char line[256], *s = line, *e = line + sizeof(line);
	bool any = false;
	int lvl;

	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	s += scnprintf(s, e - s, "0x%016llx-0x%016llx ", first->start, end);
	s = ptwalk_kbytes(s, e, end - first->start);
	s += scnprintf(s, e - s, " ");
	s = ptwalk_khw(s, e, first->bits & ~PTWALK_B_PSE);
	s += scnprintf(s, e - s, " pages=");
	for (lvl = PTWALK_LVL_PGD; lvl >= PTWALK_LVL_PTE; lvl--) {
		if (!pages[lvl])
			continue;
		s += scnprintf(s, e - s, "%s", any ? "," : "");
		s = ptwalk_kbytes(s, e, 1ULL << shifts[lvl]);
		s += scnprintf(s, e - s, "x%llu", pages[lvl]);
		any = true;
	}
	return ptwalk_printf(ctx, "%s\n", line);
}
