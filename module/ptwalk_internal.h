/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_internal.h - what the module's files share: the reader's context,
 * the memo, the limits and the return rule.
 */
#ifndef _PTWALK_INTERNAL_H
#define _PTWALK_INTERNAL_H

#include <linux/errno.h>
#include <linux/mm_types.h>
#include <linux/pagewalk.h>
#include "../include/ptwalk.h"
#include "ptwalk_query.h"

/*
 * One mmap-lock hold (a chunk) walks at most PTWALK_CHUNK of address space
 * and stops early once it has spent PTWALK_CHUNK_WORK: a PTE table costs
 * PTRS_PER_PTE (its slots are scanned), a huge entry PTWALK_HUGE_WORK.  So
 * a hold scans at most 32 PTE tables, as many as 64 MiB of 4K pages, but
 * reports a GiB of THPs in one go, instead of paying a lock round trip per
 * 64 MiB for a few records.  Bounded like pagemap_read, by work done.
 */
#define PTWALK_CHUNK		(1UL << 30)
#define PTWALK_CHUNK_WORK	(32 * 512)
#define PTWALK_HUGE_WORK	32
/*
 * Output is made per read(2), into a buffer that lives only for that call
 * (pagemap's rule): at most PTWALK_BUF_SIZE, and for a short read about
 * as much as was asked for.  A unit of output (an entry, a vma line with
 * its name records, a merged run, the header, the end record) is written
 * whole or not at all; a new unit starts only while the buffer holds less
 * than the reader asked for, so what is left over for the next read(2) is
 * less than one unit, at most PTWALK_UNIT_MAX bytes.
 */
#define PTWALK_BUF_SIZE		(64UL << 10)
#define PTWALK_UNIT_MAX		1024UL
/**
 * DOC: return values
 *
 * One rule at every boundary, as mm/pagewalk.c states it: 0 continues,
 * a positive value stops the walk and is handed back to the walk's caller,
 * a negative value is an error (-errno).  Positive values only steer the
 * walk: ptwalk_walk_chunk() and ptwalk_translate() turn them into 0
 * (``ret < 0 ? ret : 0``, as pagemap_read() does with PM_END_OF_BUFFER),
 * so none reaches read(2).  The one positive value is PTWALK_STOP_FULL,
 * "the buffer is full" (or the chunk's work is spent): ctx->full is then
 * set and ctx->next says where the next chunk resumes.
 *
 * test_walk can only skip a VMA with a positive value, so it stops the walk
 * with PTWALK_STOP_VMA instead, which ptwalk_walk_chunk() turns back into
 * "buffer full" when ctx->full is set.  Control flow that is not a stop
 * (retry a PMD that changed under the walk) goes in a field of its own,
 * as walk->action does, never in a return value.
 */
#define PTWALK_STOP_FULL	1
#define PTWALK_STOP_VMA		(-ENOBUFS)
/* What announcing (or skipping) a VMA costs a chunk's work budget. */
#define PTWALK_VMA_WORK		16

/* Who maps: what kind of frame a target is (struct ptwalk_who_target). */
enum ptwalk_who_kind {
	PTWALK_WHO_ANON = 1,	/* anonymous: VMAs with an anon_vma, linear */
	PTWALK_WHO_FILE,	/* page cache: VMAs of its file, linear */
	PTWALK_WHO_KSM,		/* KSM: every mergeable VMA, whole */
	PTWALK_WHO_HUGETLB,	/* hugetlb: every hugetlb VMA, whole */
};

/**
 * struct ptwalk_who_target - frames of the range in one folio
 * @mapping: the folio's mapping pointer as read at query time (FILE only;
 *	compared, never dereferenced)
 * @pfn: the first frame
 * @index: page index (vma_address() rule) of the first frame
 * @nr: number of frames, contiguous in pfn and index
 * @kind: enum ptwalk_who_kind
 *
 * A span walked for a target reports only the target's own frames, so
 * spans of two targets that overlap (anonymous folios of two processes
 * with the same index) never report an entry twice.
 */
struct ptwalk_who_target {
	unsigned long mapping;
	unsigned long pfn;
	unsigned long index;
	unsigned int nr;
	u8 kind;
};

/**
 * struct ptwalk_who - the state of a who-maps answer (pfn= query)
 * @ntargets: entries of @t in use
 * @last_pid: global tgid of the process being (or last) visited
 * @ppid: its parent's pid in the reader's namespace
 * @task_shown: its TASK record is out
 * @group: a match's TASK, VMA (and NAME) records and its first ENTRY are
 *	being written as one unit of output (ptwalk_unit_ok()): without it a
 *	read smaller than them would never get any of them
 * @vaddr: where the VMA scan of the current mm resumes
 * @tgt: the target whose span in that VMA is walked next
 * @mappings: (entry, frame) pairs reported
 * @mapcount: sum of the mapcounts of the FRAME records out
 * @tasks: processes visited
 * @gone: of them, exited before all their VMAs were seen
 * @frame_next: FRAME records out
 * @path_mapping: the mapping whose file path is in @path, 0 none
 * @path: a file path, from a VMA of that file with a match
 * @memcg: the memory cgroup path of the FRAME being written
 * @t: the targets, one per folio of the range
 */
struct ptwalk_who {
	unsigned int ntargets;
	pid_t last_pid;
	pid_t ppid;
	bool task_shown;
	bool group;
	unsigned long vaddr;
	unsigned int tgt;
	u64 mappings;
	u64 mapcount;
	u32 tasks;
	u32 gone;
	unsigned long frame_next;
	unsigned long path_mapping;
	char path[256];
	char memcg[256];
	struct ptwalk_who_target t[PTWALK_WHO_MAX_FRAMES];
};

struct ptwalk_kern;	/* ptwalk_kernel.c */

/* Where a reader's answer is (struct ptwalk_ctx.phase). */
enum ptwalk_phase {
	PTWALK_PH_HEADER,	/* nothing produced yet */
	PTWALK_PH_TRANSLATE,	/* single address: the level records */
	PTWALK_PH_WALK,		/* entries of [next, end) */
	PTWALK_PH_TAIL,		/* the last merged run, an empty translation */
	PTWALK_PH_END,		/* the end record */
	PTWALK_PH_EOF,		/* all produced */
};

/**
 * struct ptwalk_pagesnap - the struct page words a small folio's facts are
 * computed from (ptwalk_page_facts())
 * @flags: the flags word (PG_* bits, node)
 * @mapping: the mapping pointer with its anon/KSM bits
 * @mapcount: _mapcount
 * @refcount: _refcount
 * @tail: PageTail(): part of a large folio
 */
struct ptwalk_pagesnap {
	unsigned long flags;
	unsigned long mapping;
	int mapcount;
	int refcount;
	bool tail;
};

/**
 * struct ptwalk_memo - the last small page's record, for reuse
 * @vma: the VMA it was computed in; NULL when empty
 * @pte_flags: the PTE without its PFN
 * @snap: the page words it was computed from
 * @rec: the record; vaddr, raw and pfn are the page's own
 * @gen: changes whenever the memo does (never 0)
 * @foldable: @rec is a present 4K PTE a MORE record may continue
 *
 * A present PTE's record is a function of the PTE's non-PFN bits, its VMA
 * and, for a small folio, of @snap (plus the PFN, which only goes into pfn
 * and raw).  Neighbouring pages of a dense mapping usually agree in all of
 * them, so their records are copied instead of computed again.  Valid for
 * one mmap-lock hold.
 */
struct ptwalk_memo {
	struct vm_area_struct *vma;
	unsigned long pte_flags;
	struct ptwalk_pagesnap snap;
	struct ptwalk_rec rec;
	u64 gen;
	bool foldable;
};

/**
 * struct ptwalk_sums - format=summary: one VMA's sums until they are out
 * @s: the first record
 * @s2: the second
 * @vmf: the VMA's PTWALK_VMA_* flags
 * @pending: a VMA was announced and its sums are not out yet
 */
struct ptwalk_sums {
	struct ptwalk_summary s;
	struct ptwalk_summary2 s2;
	u32 vmf;
	bool pending;
};

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
 * @phase: what is produced next (enum ptwalk_phase)
 * @end_status: how the answer ends (enum ptwalk_end_status)
 * @error: STOPPED: the -errno the walk stopped on
 * @buf: this read(2)'s output buffer of @cap bytes (NULL between reads)
 * @cap: size of @buf
 * @soft: a new unit of output starts only while @len is below this
 * @len: bytes of @buf filled
 * @full: set by a callback that could not fit its output; @next then points
 *	to the first address not reported
 * @vma_start: start of the VMA last announced (a "vma" line/record)
 * @run: merged format: the run being accumulated
 * @run_pages: number of entries in @run, 0 if none
 * @emitted: entries reported so far (single-address: whether the leaf was)
 * @vmas: VMA records or lines reported so far
 * @last: binary format: the last entry reported, which a PTWALK_REC_MORE
 *	record continues; valid when @have_last
 * @have_last: nothing but entries, MOREs and SWAPRUNs followed @last in
 *	the stream
 * @last_gen: @memo.gen when @last equals the memo's record but for vaddr,
 *	raw and pfn; 0 otherwise
 * @more_off: offset in @buf of the MORE record being filled, or
 *	PTWALK_NO_MORE
 * @swap_off: the same for a PTWALK_REC_SWAPRUN record
 * @swap_next_raw: the raw PTE value (not hidden) of the swap slot after
 *	the one @last tells, while @last ends a SWAPRUN; 0 otherwise
 *	(ptwalk_swap_continues())
 * @online_sec: memory section last found to be ordinary online memory
 *	without ZONE_DEVICE, so its other PFNs need no pfn_to_online_page();
 *	ULONG_MAX none
 * @memo: the last small page's record (ptwalk_memo_hit())
 * @sums: format=summary: the sums of the VMA announced last (an allocation
 *	of its own: a context is the cursor kept between reads)
 * @work: what the current chunk may still spend (PTWALK_CHUNK_WORK)
 * @kern: a kernel answer (kernel=1, kaddr=): its records; NULL otherwise
 * @who: a who-maps answer (pfn=): its state; NULL for a walk.  @mm is
 *	then the process being visited (NULL between processes), @next the
 *	address in the current span where the walk resumes (0: its start)
 *
 * All fields are used under the file's mutex; callbacks run under the
 * target's mmap lock and page-table locks, so they only format into @buf.
 * Between reads a context keeps only the cursor (this struct, charged to
 * the reader's memory cgroup), never a buffer.
 */
struct ptwalk_ctx {
	struct ptwalk_query q;
	int walker;
	/* The flags together, in the hole before @mm: 512 bytes at most. */
	bool show_phys;
	bool full;
	bool have_last;
	struct mm_struct *mm;
	pid_t pid;
	char comm[16];
	unsigned long start;
	unsigned long end;
	unsigned long next;
	u8 phase;
	u8 end_status;
	int error;
	char *buf;
	size_t cap;
	size_t soft;
	size_t len;
	unsigned long vma_start;
	struct ptwalk_rec run;
	unsigned long run_pages;
	unsigned long emitted;
	unsigned long vmas;
	struct ptwalk_rec last;
	u64 last_gen;
	size_t more_off;
	size_t swap_off;
	u64 swap_next_raw;
	unsigned long online_sec;
	struct ptwalk_memo memo;
	struct ptwalk_sums *sums;
	long work;
	struct ptwalk_kern *kern;
	struct ptwalk_who *who;
};

/*
 * Who maps, match-only mode: does entry @r map a frame of the target whose
 * span is being walked (ctx->who->tgt)?  Only present entries with a
 * struct page count (a migration entry is not a mapping the mapcount
 * holds).  Return: how many frames of it do, 0 none.
 */
static inline u64 ptwalk_who_overlap(const struct ptwalk_ctx *ctx,
				     const struct ptwalk_rec *r)
{
	const struct ptwalk_who_target *t = &ctx->who->t[ctx->who->tgt];
	u64 first = r->pfn, last = r->pfn + (1ULL << (r->shift - 12));

	if (r->kind != PTWALK_K_PRESENT ||
	    (r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO)))
		return 0;
	if (first < t->pfn)
		first = t->pfn;
	if (last > t->pfn + t->nr)
		last = t->pfn + t->nr;
	return last > first ? last - first : 0;
}

#define PTWALK_NO_MORE		((size_t)-1)

#endif /* _PTWALK_INTERNAL_H */
