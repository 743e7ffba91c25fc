/* SPDX-License-Identifier: GPL-2.0 */
/*
 * views - the column tables of the ptwalk command's views (see table.h),
 * and the rows they print.  The JSON they make is documented in
 * ptwalk(1); each table's JSON keys are its columns' keys, in order.
 */
#ifndef PTWALK_VIEWS_H
#define PTWALK_VIEWS_H

#include "libptwalk.h"
#include "table.h"

/* A run of @count entries from @r (ptwalk PID; an entry object). */
struct ptw_entry_row {
	const struct ptwalk_rec *r;
	size_t count;
	bool hidden;		/* the answer's PTWALK_H_PHYS_HIDDEN */
	uint32_t vma_flags;	/* its VMA's PTWALK_VMA_* */
};

/* A group of runs with equal attributes (ptwalk PID; a group object). */
struct ptw_group_row {
	const struct ptw_group *g;
	bool hidden;		/* the answer's PTWALK_H_PHYS_HIDDEN */
	uint32_t vma_flags;	/* its VMA's PTWALK_VMA_* */
};

/* One level of a translation (ptwalk PID ADDR). */
struct ptw_level_row {
	const struct ptwalk_lvl *l;
	bool hidden;
};

/* A VMA (its line in ptwalk PID; the VMA object).  @v NULL: all null. */
struct ptw_vma_row {
	const struct ptw_vma *v;
};

/* A VMA's counts (ptwalk summary). */
struct ptw_summary_row {
	const struct ptw_vma *v;
	const struct ptw_counts *k;
	bool hidden;		/* the KSM count is unknown */
};

/* A disagreement of ptwalk verify. */
struct ptw_mismatch {
	uint64_t va;
	const char *level, *kind;
	char reason[160];
};

/* Who maps: one mapping, entry @i of @res (ptwalk who). */
struct ptw_who_row {
	struct ptw_entry_row e;	/* the entry, count 1 */
	struct ptw_vma_row v;	/* its VMA */
	const struct ptwalk_task *t;
	uint64_t addr;		/* where it maps the first frame of the range */
	uint64_t frames;	/* frames of the range it maps */
};

/* Who maps: one frame's facts (ptwalk who). */
struct ptw_frame_row {
	const struct ptw_frame *f;
};

/* The answer a command's JSON object describes. */
struct ptw_doc {
	const struct ptw_result *res;
	uint64_t addr;		/* ptwalk PID ADDR */
	const char *file;	/* diff: the snapshot's file */
};

/* ptwalk verify's counts. */
struct ptw_verify_totals {
	size_t checked, rechecked, bad, changed;
	int status;		/* the exit status, PTW_VERIFY_* (verify.h) */
};

/* How the target went during ptwalk verify (why 0: it did not). */
enum { PTW_GONE_EXITED = 1, PTW_GONE_EXEC, PTW_GONE_UNMAPPED };
struct ptw_verify_gone {
	int why;		/* PTW_GONE_* */
	size_t after;		/* pages checked before it went */
	uint64_t start, end;	/* PTW_GONE_UNMAPPED: the VMA */
};

extern const struct ptw_table ptw_entry_table, ptw_group_table, ptw_vma_table, ptw_level_table,
	ptw_summary_table, ptw_mismatch_table, ptw_change_table, ptw_who_table,
	ptw_frame_table;
/* The JSON envelopes: JSON only. */
extern const struct ptw_table ptw_vtop_doc, ptw_range_doc, ptw_summary_doc,
	ptw_end_doc, ptw_snapshot_doc, ptw_verify_doc, ptw_verify_gone_doc, ptw_who_doc,
	ptw_tally_doc;

/* The views --help lists, NULL terminated. */
extern const struct ptw_table *const ptw_views[];

#endif /* PTWALK_VIEWS_H */
