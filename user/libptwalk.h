/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libptwalk - read ptwalk.ko's binary answers into memory.
 *
 * A small library other tools can link: it runs a query through debugfs
 * (root) or /proc/ptwalk (own process), parses the binary stream defined in
 * include/ptwalk.h, merges runs like ptdump, and reads pagemap for checks.
 */
#ifndef LIBPTWALK_H
#define LIBPTWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptwalk.h"
#include "ptwalk_pagemap.h"

struct ptw_vma {
	uint64_t start, end, pgoff;
	uint32_t flags;		/* PTWALK_VMA_* */
	char name[256];
};

/* A FRAME record (who maps) and the file path its NAME records hold. */
struct ptw_frame {
	struct ptwalk_frame f;
	char path[256];		/* "" when none was sent */
	char memcg[256];	/* its memory cgroup (f.memcg PTWALK_MEMCG_PATH), else "" */
};

struct ptw_result {
	struct ptwalk_hdr hdr;
	struct ptwalk_end end;		/* the END record: complete or not */
	struct ptw_vma *vmas;
	size_t nvmas;
	struct ptwalk_rec *recs;	/* ENTRY records */
	size_t *rec_vma;		/* index into vmas, per entry */
	size_t nrecs;
	struct ptwalk_lvl *levels;	/* LEVEL records (single address) */
	size_t nlevels;
	/* Who maps (hdr.flags & PTWALK_H_WHO): */
	struct ptwalk_task *tasks;	/* TASK records */
	size_t ntasks;
	size_t *rec_task;		/* index into tasks, per entry */
	struct ptw_frame *frames;	/* FRAME records, one per frame */
	size_t nframes;
	struct ptwalk_tally tally;	/* the TALLY record */
};

/* One merged run: @count entries starting at @first, same attributes. */
struct ptw_run {
	struct ptwalk_rec first;
	size_t count;
	size_t vma;
};

/*
 * Run "pid=PID QUERY format=binary" and parse the answer.  Uses debugfs
 * when it is accessible, else /proc/ptwalk for the caller's own pid.
 * An answer cut short (the process exited, the walk stopped on an error)
 * is returned: res->end.status says so, ptw_end_words() in words.
 * Return: 0, or -1 with a one-line explanation in @err and errno set
 * (ESRCH: no such process, or a zombie).
 */
int ptw_query(pid_t pid, const char *query, struct ptw_result *res,
	      char *err, size_t errlen);

/*
 * Who maps: run @query (e.g. "pfn=0x1234"), which names no process,
 * through debugfs (root only; /proc/ptwalk refuses it) and parse it.
 */
int ptw_query_who(const char *query, struct ptw_result *res, char *err,
		  size_t errlen);

/*
 * The frames of entry @r that lie in [@lo, @hi): how many (who maps: an
 * entry maps k frames of the range).
 */
uint64_t ptw_overlap(const struct ptwalk_rec *r, uint64_t lo, uint64_t hi);

/*
 * The same, returning the raw stream (malloc'd) instead of parsing it.
 * @pid 0: a query that names no process (pfn=), through debugfs only.
 */
int ptw_query_raw(pid_t pid, const char *query, void **buf, size_t *len,
		  char *err, size_t errlen);

/*
 * ptw_query_raw()'s query sent, the answer not read: the module's file
 * (*@path names it), to read and close.  Return: the fd, or -1, said in
 * @err (errno kept: ESRCH when the process is gone).
 */
int ptw_query_open(pid_t pid, const char *query, const char **path, char *err,
		   size_t errlen);

/* ptw_query_raw() with format=summary (see ptw_parse_summary()). */
int ptw_query_summary_raw(pid_t pid, const char *query, void **buf, size_t *len,
			  char *err, size_t errlen);

/*
 * Parse a binary answer (also a saved snapshot) of format PTWALK_VERSION
 * exactly, from an architecture this ptwalk decodes (PTWALK_ARCH_X86_64,
 * PTWALK_ARCH_ARM64; the last one parsed names the bits, ptw_bit_names()):
 * other formats and architectures, a stream without its END record as the
 * last one, and an END whose counts disagree with the records are
 * rejected.  A who-maps stream (PTWALK_H_WHO) must be TASK (VMA NAME*
 * ENTRY*)* ... FRAME NAME* MEMCG* per frame of the range in order (MEMCG
 * records only for a frame whose memcg is PTWALK_MEMCG_PATH), TALLY, END,
 * every entry a present one mapping a frame of the range, and the TALLY
 * must agree with the entries and frames.  Return: 0 or -1, @err.
 */
/*
 * The PTWALK_B_* names of the architecture of the last stream ptw_parse()
 * accepted (x86-64 before any): a process reads its own machine's streams.
 */
const char *const *ptw_bit_names(void);

int ptw_parse(const void *buf, size_t len, struct ptw_result *res,
	      char *err, size_t errlen);

/* Read a whole file into malloc'd memory. Return: 0 or -1, @err. */
int ptw_read_file(const char *path, void **buf, size_t *len, char *err,
		  size_t errlen);

void ptw_free(struct ptw_result *res);

/*
 * Why @res is not the whole answer, e.g. "pid 5 exited during the walk:
 * the answer covers 0x0-0x7f0000 only".  Return: @buf, or NULL when the
 * answer is complete.
 */
char *ptw_end_words(const struct ptw_result *res, char *buf, size_t len);

/*
 * Whether pagemap calls the page of @r soft-dirty (bit 55), @vma_flags
 * (PTWALK_VMA_*) being its VMA's: the entry's bit or the VMA's
 * PTWALK_VMA_SOFTDIRTY, except for hugetlb, where pagemap_hugetlb_range()
 * reads only VM_SOFTDIRTY.
 */
bool ptw_soft_dirty(const struct ptwalk_rec *r, uint32_t vma_flags);

/* The same in words: "soft-dirty (entry)", "soft-dirty (VMA)", ... */
const char *ptw_soft_dirty_words(const struct ptwalk_rec *r, uint32_t vma_flags);

/* "dirty", "dirty (saved in bit 58: ...)" or "clean". */
const char *ptw_dirty_words(const struct ptwalk_rec *r);

/* The entry of @res that maps @addr (anywhere in it), or NULL. */
const struct ptwalk_rec *ptw_find(const struct ptw_result *res, uint64_t addr);

/* The PTWALK_VMA_* flags of the VMA of entry @i of @res (0: no VMAs). */
uint32_t ptw_vma_flags(const struct ptw_result *res, size_t i);

/* Entries mapped by @r, in 4K pages. */
uint64_t ptw_pages(const struct ptwalk_rec *r);

/* "name,name" for the bits of @v in @mask from @tab, or "-". */
char *ptw_names(char *buf, size_t len, uint32_t v, uint32_t mask,
		const char *const *tab);

/* Sizes as 4K, 2M, 1.5G. */
char *ptw_size(char *buf, size_t len, uint64_t bytes);

/*
 * The frame of @count entries from @r: "0x100", "0x100-0x1ff", "swap
 * 1:0x50", or "hidden" / "swap hidden" when @phys_hidden.
 */
char *ptw_frame(char *buf, size_t len, const struct ptwalk_rec *r, size_t count,
		bool phys_hidden);

/*
 * The folio of @r: "order 0, page 0 of the folio, mapped 2 times, 2
 * references, node 1", its counts "hidden" when PTWALK_P_HIDDEN says so.
 * Return: @buf, or NULL for a page without them (no struct page, zero page).
 */
char *ptw_folio_words(char *buf, size_t len, const struct ptwalk_rec *r);

/* The CoW verdict in words, for people. */
const char *ptw_cow_words(unsigned int cow);

/* Which entries a view shows.  Zero-initialise, then set node = -1. */
struct ptw_filter {
	const char *vma;	/* substring of the VMA name, or NULL */
	bool present, swapped, huge, cow, anon, file;
	int node;		/* NUMA node, -1 for any */
};

/* Whether entry @i of @res passes @f (NULL: everything passes). */
bool ptw_keep(const struct ptw_result *res, size_t i, const struct ptw_filter *f);

/*
 * Merge the entries of @res that pass @f into runs of equal attributes and
 * contiguous frames (swap offsets), never across a VMA boundary.
 * Return: the number of runs in malloc'd *@runs (NULL when 0), or -1 when
 * out of memory.
 */
long ptw_runs(const struct ptw_result *res, const struct ptw_filter *f,
	      struct ptw_run **runs);

/*
 * One line of the overview (ptwalk PID): consecutive runs of one VMA whose
 * entries share the attributes ptw_runs() compares (level, size, kind,
 * bits, page facts, cow, node, order, ...) but not frame contiguity, not
 * address adjacency, and not what churns while a process runs, which
 * ptw_diff() ignores too: the accessed and dirty bits (page aging, MGLRU's
 * page-table walks and writeback clear them) and the page flags (lru,
 * active, ...: PTWALK_P_PGFLAGS_MASK).  A dense VMA of scattered frames, or
 * a sparse one, is one group.  A group's first.bits are those all its
 * entries have (so "A" only when every entry was accessed).  @runs of ptw_runs()'s runs from index @run make it: 1
 * means contiguous frames, one range; more means scattered (or holes).
 */
struct ptw_group {
	struct ptwalk_rec first;	/* the first entry */
	size_t count;			/* entries */
	uint64_t end;			/* first address after the last entry */
	size_t runs, run;		/* how many runs, from which */
	size_t vma;
};

/* Entry bits a group's entries may differ in. */
#define PTW_GROUP_CHURN	(PTWALK_B_ACCESSED | PTWALK_B_DIRTY)

/* Whether entries @a and @b have the same attributes (ptw_group). */
bool ptw_same_attrs(const struct ptwalk_rec *a, const struct ptwalk_rec *b);

/*
 * Group the @n runs from ptw_runs().  Return: the number of groups in
 * malloc'd *@groups (NULL when 0), or -1 when out of memory.
 */
long ptw_groups(const struct ptw_run *runs, size_t n, struct ptw_group **groups);

/*
 * ptw_parse(), ptw_runs() and ptw_groups() in one pass over a binary
 * answer, the entries not kept (the overview of a GiB is 262,144 of them,
 * 64 bytes each): the same groups, and the same runs into *@runs when
 * @runs is not NULL (else only counted, *@nruns), as those three give.
 * @res gets what ptw_parse() gives but the entries: res->nrecs counts
 * them, res->recs stays NULL.  MORE and SWAPRUN records cost a comparison
 * per entry, not a record.  Return: the number of groups in malloc'd
 * *@groups (NULL when 0), or -1 with @err (nothing to free then).
 */
long ptw_parse_groups(const void *buf, size_t len, struct ptw_result *res,
		      const struct ptw_filter *f, struct ptw_run **runs, size_t *nruns,
		      struct ptw_group **groups, char *err, size_t errlen);

/*
 * ptw_parse_groups() on the answer read from @fd (@path in errors) as it
 * comes, never held whole (but with a --vma filter, whose names may come
 * after the entries); @fd is read to its end, not closed.
 */
long ptw_parse_groups_fd(int fd, const char *path, struct ptw_result *res,
			 const struct ptw_filter *f, struct ptw_run **runs, size_t *nruns,
			 struct ptw_group **groups, char *err, size_t errlen);

/* Pages per VMA, in 4K pages, as "ptwalk summary" shows them. */
struct ptw_counts {
	uint64_t present, swapped, thp, hugetlb, zero, ksm, cow, soft_dirty;
};

/*
 * Count the entries of @res that pass @f, per VMA: soft-dirty by
 * ptw_soft_dirty().  The KSM count means nothing in an answer with
 * PTWALK_H_PHYS_HIDDEN (the module never says "ksm" there).
 * Return: calloc'd counts, one per VMA of @res plus one for entries
 * outside any, or NULL when out of memory.
 */
struct ptw_counts *ptw_count(const struct ptw_result *res, const struct ptw_filter *f);

/*
 * ptw_count() straight from a binary answer, as ptw_parse() checks it, but
 * without keeping its entries: a whole process is millions of them, and
 * "ptwalk summary" needs only their sums.  @res gets what ptw_parse()
 * gives but the entries (recs and rec_vma stay NULL, nrecs counts them).
 * Not for who-maps answers.  Return: the counts as ptw_count() returns
 * them, or NULL with @err (@res then freed).
 */
struct ptw_counts *ptw_parse_count(const void *buf, size_t len, struct ptw_result *res,
				   const struct ptw_filter *f, char *err, size_t errlen);

/*
 * The counts of a format=summary answer (PTWALK_H_SUMMARY, ptwalk.h): the
 * module summed each VMA's entries, so the answer is two records a VMA.
 * @res gets what ptw_parse_count() gives (nrecs: the entries summed).  The
 * counts are ptw_count()'s with no filter but @vma (a VMA whose name does
 * not contain it counts as empty; NULL or "" none).  ptw_parse() and
 * ptw_parse_count() refuse summary answers, this one every other.
 * Return: calloc'd counts, one per VMA plus one, or NULL with @err.
 */
struct ptw_counts *ptw_parse_summary(const void *buf, size_t len, struct ptw_result *res,
				     const char *vma, char *err, size_t errlen);

/* What /proc/kpageflags and /proc/kpagecount say about one PFN. */
struct ptw_kpage {
	bool has_flags, has_count;	/* false: not read (not root, ...) */
	uint64_t flags, count;
};

/*
 * Whether ptwalk's mapcount of page @page of @r is one pagemap's bit 56
 * and /proc/kpagecount report exactly: every 4K entry (any folio order),
 * and the first page of a 2M or 1G entry (the head page's count); never a
 * page whose counts are hidden, without struct page, or a zero page.
 */
bool ptw_mapcount_comparable(const struct ptwalk_rec *r, uint64_t page);

/*
 * What pagemap must say about one page: the bits of @mask must equal those
 * of @want (frame bits 0-54 included when known).  @path names the
 * kernel path that makes the entry ("pte", "pmd", "hugetlb", "pfnmap",
 * "none"), NULL when nothing is compared.
 */
struct ptw_pm_model {
	uint64_t want, mask;
	const char *path;
	bool hidden;		/* frames hidden: pagemap shows 0 */
};

/*
 * pagemap's entry for page @page (4K index) of @r in a VMA with
 * @vma_flags (PTWALK_VMA_*), rule by rule as fs/proc/task_mmu.c makes it
 * (see libptwalk.c: each rule names the kernel function it mirrors).
 * @phys_hidden: the reader has no CAP_SYS_ADMIN (frames read 0).
 */
void ptw_pagemap_model(const struct ptwalk_rec *r, uint32_t vma_flags, uint64_t page,
		       bool phys_hidden, struct ptw_pm_model *m);

/* The same for a page ptwalk reports nothing for, in a VMA with @vma_flags. */
void ptw_hole_model(uint32_t vma_flags, struct ptw_pm_model *m);

/* Pagemap entry @pm against @m.  Return: the disagreement in words, or NULL. */
const char *ptw_compare_model(const struct ptw_pm_model *m, uint64_t pm, char *why, size_t len);

/*
 * Compare page @page (4K index) of @r, in a VMA with @vma_flags
 * (PTWALK_VMA_*), with its pagemap entry @pm (PTWALK_PM_*) by
 * ptw_pagemap_model() and, when @kp has them, its kpageflags and
 * kpagecount (of PFN r->pfn + @page).  @phys_hidden: the answer's PFNs
 * are hidden.  A pure function: nothing is read here.
 * Return: the disagreement in words (maybe in @why), or NULL.
 */
const char *ptw_compare_pagemap(const struct ptwalk_rec *r, uint32_t vma_flags,
				uint64_t page, uint64_t pm, const struct ptw_kpage *kp,
				bool phys_hidden, char *why, size_t len);

/*
 * Whether two answers of the module about one page say the same to
 * pagemap's model: entry, frame, kind, the soft-dirty, uffd-wp and page
 * facts it reads, the mapcount (not A/D, LRU flags or refcounts).
 */
bool ptw_same_for_pagemap(const struct ptwalk_rec *a, const struct ptwalk_rec *b);

/* What changed at one address between two snapshots (struct ptw_change.what) */
enum {
	PTW_D_APPEARED	= 1 << 0,	/* no entry before */
	PTW_D_GONE	= 1 << 1,	/* no entry after */
	PTW_D_KIND	= 1 << 2,	/* e.g. present -> swap */
	PTW_D_PFN	= 1 << 3,	/* another frame */
	PTW_D_SWAP	= 1 << 4,	/* another swap slot */
	PTW_D_WRPROT	= 1 << 5,	/* lost W */
	PTW_D_WRITABLE	= 1 << 6,	/* gained W */
	PTW_D_BITS	= 1 << 7,	/* other entry bits (not A/D/W) */
	PTW_D_COW	= 1 << 8,	/* CoW verdict */
	PTW_D_PAGE	= 1 << 9,	/* page facts (anon, thp, ksm, ...) */
	PTW_D_MAP	= 1 << 10,	/* mapcount */
	PTW_D_SIZE	= 1 << 11,	/* mapping size, e.g. 4K -> 2M */
};

struct ptw_change {
	uint64_t vaddr;
	unsigned int what;		/* PTW_D_* */
	struct ptwalk_rec old, new;	/* zeroed when absent */
	uint32_t old_vma_flags, new_vma_flags;	/* their VMAs', PTWALK_VMA_* */
	bool phys_hidden;		/* either answer hides PFNs */
};

/*
 * Compare two answers entry by entry, by virtual address; accessed and
 * dirty bits and page-flag churn (lru, active, ...) are not changes, nor
 * are frames when either answer hides them, nor hidden mapcounts.
 * Return: the number of changes in malloc'd *@out, or -1 (out of memory).
 */
long ptw_diff(const struct ptw_result *a, const struct ptw_result *b,
	      struct ptw_change **out);

/* The change in words: "became swapped; cow copy -> reuse". */
char *ptw_change_words(const struct ptw_change *c, char *buf, size_t len);

/*
 * "rwxp" from PTWALK_VMA_* flags, as /proc/PID/maps spells them ("s" is
 * VM_MAYSHARE); @p has room for 5.
 */
void ptw_perms(uint32_t vma_flags, char *p);

#endif /* LIBPTWALK_H */
