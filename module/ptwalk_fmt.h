/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_fmt.h - every byte of an answer: header, VMA announcements,
 * entries, level records, merged runs and the end record, in text, merged
 * or binary format (include/ptwalk.h has the formats).
 *
 * The emitters format into the reader's buffer only (ctx->buf): they never
 * sleep unless they say so, and return 0 or PTWALK_STOP_FULL (see "return
 * values" in ptwalk_internal.h), leaving nothing partial in the buffer.
 */
#ifndef _PTWALK_FMT_H
#define _PTWALK_FMT_H

#include <linux/mm_types.h>
#include "../include/ptwalk.h"
#include "ptwalk_internal.h"
#include "ptwalk_arch.h"

void ptwalk_buf_reset(struct ptwalk_ctx *ctx);
bool ptwalk_unit_ok(const struct ptwalk_ctx *ctx);
int ptwalk_stop_at(struct ptwalk_ctx *ctx, unsigned long next);
void ptwalk_emit_header(struct ptwalk_ctx *ctx);
int ptwalk_emit_vma(struct ptwalk_ctx *ctx, struct vm_area_struct *vma);
int ptwalk_emit(struct ptwalk_ctx *ctx, struct ptwalk_rec *rec);
int ptwalk_emit_level(struct ptwalk_ctx *ctx, struct ptwalk_lvl *lvl);
int ptwalk_emit_tail(struct ptwalk_ctx *ctx);
int ptwalk_emit_end(struct ptwalk_ctx *ctx);
int ptwalk_more_start(struct ptwalk_ctx *ctx);
int ptwalk_swaprun_start(struct ptwalk_ctx *ctx);
void ptwalk_sum_swap_next(struct ptwalk_ctx *ctx);
int ptwalk_emit_task(struct ptwalk_ctx *ctx);
void ptwalk_emit_kheader(struct ptwalk_ctx *ctx, const struct ptwalk_kinfo *ki);
int ptwalk_emit_krec(struct ptwalk_ctx *ctx, const union ptwalk_record *r);
int ptwalk_emit_krun(struct ptwalk_ctx *ctx, const struct ptwalk_krange *first,
		     u64 end, const u64 *pages, const u8 *shifts);
int ptwalk_emit_frame(struct ptwalk_ctx *ctx, const struct ptwalk_frame *f,
		      const char *path, const char *memcg);
int ptwalk_emit_tally(struct ptwalk_ctx *ctx);

/*
 * Add an entry that equals ctx->last but for @vaddr (4K on), @raw and @pfn
 * to the MORE record being filled, starting one when there is none or it
 * is full.  Inline: it runs for five pages in six of a dense mapping.
 * Return: 0, or PTWALK_STOP_FULL (nothing added).
 */
static __always_inline int ptwalk_more_add(struct ptwalk_ctx *ctx,
					   unsigned long vaddr, u64 raw,
					   u64 pfn)
{
	struct ptwalk_more *m;

	if (ctx->more_off == PTWALK_NO_MORE ||
	    ((struct ptwalk_more *)(ctx->buf + ctx->more_off))->count ==
	    PTWALK_MORE_MAX) {
		/* A new MORE record is a new unit of output. */
		if (ptwalk_more_start(ctx))
			return PTWALK_STOP_FULL;
	}
	m = (struct ptwalk_more *)(ctx->buf + ctx->more_off);
	m->pfn[m->count++] = pfn;
	ctx->last.vaddr = vaddr;
	ctx->last.raw = raw;
	ctx->last.pfn = pfn;
	return 0;
}

/*
 * ptwalk_emit() for a present entry the walker knows continues ctx->last
 * (ctx->last_gen), without building its record.
 * Return: 0, or PTWALK_STOP_FULL as ptwalk_emit().
 */
static __always_inline int ptwalk_emit_more(struct ptwalk_ctx *ctx,
					    unsigned long vaddr, u64 raw,
					    u64 pfn)
{
	if (!ctx->show_phys) {
		raw = ptwalk_arch_hide_raw(raw, 1);
		pfn = 0;
	}
	if (ptwalk_more_add(ctx, vaddr, raw, pfn))
		return ptwalk_stop_at(ctx, vaddr);
	ctx->emitted++;
	return 0;
}

/*
 * Add a 4K swap entry that equals ctx->last but for @vaddr, @raw and
 * @swap_offset (the next slot, ptwalk_swap_next(); @raw and @swap_offset
 * already in the reader's view) to the SWAPRUN record being filled,
 * starting one when there is none or it is full.
 * Return: 0, or PTWALK_STOP_FULL (nothing added).
 */
static __always_inline int ptwalk_swaprun_add(struct ptwalk_ctx *ctx,
					      unsigned long vaddr, u64 raw,
					      u64 swap_offset)
{
	struct ptwalk_swaprun *run;

	if (ctx->swap_off == PTWALK_NO_MORE ||
	    ((struct ptwalk_swaprun *)(ctx->buf + ctx->swap_off))->count ==
	    PTWALK_SWAPRUN_MAX) {
		if (ptwalk_swaprun_start(ctx))
			return PTWALK_STOP_FULL;
	}
	run = (struct ptwalk_swaprun *)(ctx->buf + ctx->swap_off);
	run->count++;
	ctx->last.vaddr = vaddr;
	ctx->last.raw = raw;
	ctx->last.swap_offset = swap_offset;
	return 0;
}

/*
 * Does the PTE @raw at @addr continue the SWAPRUN being told (or, for
 * format=summary, the swap entries just summed), in the next swap slot?
 * ptwalk_emit() sets ctx->swap_next_raw only once it folded a swap entry
 * into a SWAPRUN (or found it the next slot of the entry before) in
 * root's view, so the step raw -
 * PTWALK_RAW_SWP_OFFSET_STEP was just seen to give the next slot with
 * every other bit the same (on x86-64; on arm64 it never does); a
 * record of a swap PTE depends on its address and raw value only
 * (ptwalk_pte_rec()), so an entry of the raw value that step gives again
 * is one ptwalk_swap_foldable() would fold.  The step cannot borrow into
 * the type bits: swap offsets stay far below the field's top
 * (max_swapfile_size()).
 */
static __always_inline bool ptwalk_swap_continues(const struct ptwalk_ctx *ctx,
						  unsigned long addr, u64 raw)
{
	return ctx->swap_next_raw && raw == ctx->swap_next_raw &&
	       ctx->have_last && addr == ctx->last.vaddr + PAGE_SIZE;
}

/*
 * ptwalk_emit() for a swap PTE that ptwalk_swap_continues() accepted,
 * without building its record: into the SWAPRUN being filled, or
 * (format=summary) into the VMA's sums.
 * Return: 0, or PTWALK_STOP_FULL as ptwalk_emit().
 */
static __always_inline int ptwalk_emit_swap_next(struct ptwalk_ctx *ctx,
						 unsigned long addr)
{
	struct ptwalk_rec *l = &ctx->last;

	if (ctx->q.format == PTWALK_FMT_SUMMARY) {
		ptwalk_sum_swap_next(ctx);
		return 0;
	}
	/* Root's view only (ptwalk_swap_continues()): raw and offset shown. */
	if (ptwalk_swaprun_add(ctx, addr, l->raw - PTWALK_RAW_SWP_OFFSET_STEP,
			       l->swap_offset + 1))
		return ptwalk_stop_at(ctx, addr);
	ctx->swap_next_raw -= PTWALK_RAW_SWP_OFFSET_STEP;
	ctx->emitted++;
	return 0;
}

#endif /* _PTWALK_FMT_H */
