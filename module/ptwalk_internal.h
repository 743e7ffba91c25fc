/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_internal.h - what the module's files share.
 */
#ifndef _PTWALK_INTERNAL_H
#define _PTWALK_INTERNAL_H

#include <linux/mm_types.h>
#include <linux/pagewalk.h>
#include "../include/ptwalk.h"
#include "ptwalk_query.h"

/* Address space walked per mmap-lock hold: bounded like pagemap_read. */
#define PTWALK_CHUNK		(64UL << 20)
/* Output buffered per reader; a chunk stops early when this is full. */
#define PTWALK_BUF_SIZE		(64UL << 10)
/* Walker callbacks return this to stop the walk: the buffer is full. */
#define PTWALK_STOP_FULL	1

typedef int (*ptwalk_walk_fn)(struct mm_struct *mm, unsigned long start,
			      unsigned long end, const struct mm_walk_ops *ops,
			      void *private);

/**
 * struct ptwalk_ctx - one reader's walk: the query, its output and cursor
 * @q: the parsed query
 * @walker: PTWALK_WALKER_KERNEL or PTWALK_WALKER_BUILTIN
 * @show_phys: PFNs, physical addresses and swap offsets may be shown
 * @mm: the target's mm, held with mmgrab() while the context lives
 * @pid: the target's pid in the reader's namespace (for the header)
 * @comm: the target's name at query time
 * @start: first address of the query
 * @end: end of the query (exclusive)
 * @next: where the next chunk starts
 * @buf: output buffer of PTWALK_BUF_SIZE bytes, allocated before any walk
 * @len: bytes of @buf filled
 * @full: set by a callback that could not fit its output; @next then points
 *	to the first address not reported
 * @vma_start: start of the VMA last announced (a "vma" line/record)
 * @run: merged format: the run being accumulated
 * @run_pages: number of entries in @run, 0 if none
 * @emitted: entries reported so far (single-address: whether the leaf was)
 *
 * All fields are used under the file's mutex; callbacks run under the
 * target's mmap lock and page-table locks, so they only format into @buf.
 */
struct ptwalk_ctx {
	struct ptwalk_query q;
	int walker;
	bool show_phys;
	struct mm_struct *mm;
	pid_t pid;
	char comm[16];
	unsigned long start;
	unsigned long end;
	unsigned long next;
	char *buf;
	size_t len;
	bool full;
	unsigned long vma_start;
	struct ptwalk_rec run;
	unsigned long run_pages;
	unsigned long emitted;
};

/* ptwalk_walk.c */
extern ptwalk_walk_fn ptwalk_kernel_walk;
int ptwalk_walk_chunk(struct ptwalk_ctx *ctx);
int ptwalk_translate(struct ptwalk_ctx *ctx);
void ptwalk_emit_header(struct ptwalk_ctx *ctx);
void ptwalk_finish(struct ptwalk_ctx *ctx);
int ptwalk_builtin_walk(struct mm_struct *mm, unsigned long start,
			unsigned long end, const struct mm_walk_ops *ops,
			void *private);

/* ptwalk_fmt.c */
int ptwalk_emit(struct ptwalk_ctx *ctx, const struct ptwalk_rec *rec);
int ptwalk_emit_vma(struct ptwalk_ctx *ctx, struct vm_area_struct *vma);
int ptwalk_flush_run(struct ptwalk_ctx *ctx);
int ptwalk_printf(struct ptwalk_ctx *ctx, const char *fmt, ...) __printf(2, 3);

#endif /* _PTWALK_INTERNAL_H */
