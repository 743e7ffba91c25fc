/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shared - ptwalk shared PID: which of PID's pages other processes map
 * too, with whom and how much, per VMA of PID.
 *
 * One walk of PID keeps its pages whose frame has a mapcount over 1 (an
 * array sorted by PFN, one slot per page of PID: bounded by PID's mapped
 * pages); then every other process is walked only where it can map such a
 * frame (by its /proc/PID/maps: private VMAs for anonymous frames, VMAs of
 * the same file, by device and inode, at the frames' page offsets, for
 * page-cache frames, VMAs of the same name for the others, e.g. [vdso]),
 * relatives first, until every mapping PID's mapcounts count is found (then
 * nobody else can map them), in chunks of at most
 * SH_CHUNK_BYTES of VMA so that one answer stays bounded, and its frames
 * are joined with PID's by binary search.  The walks use the binary format
 * through debugfs (root).  Not atomic: every process runs on meanwhile.
 *
 * The join (sh_add_target, sh_index, sh_join, sh_finish) and the output
 * (sh_text, sh_json) are pure, for the host tests; sh_run() does the /proc
 * and module reads.
 */
#ifndef PTWALK_SHARED_H
#define PTWALK_SHARED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "libptwalk.h"
#include "table.h"

/* At most this much VMA per query, so an answer holds <= 262144 4K entries. */
#define SH_CHUNK_BYTES	(1ULL << 30)

/* A VMA as /proc/PID/maps gives it, and (PID's) what was found in it. */
struct sh_vma {
	uint64_t start, end, pgoff, inode;
	unsigned int dev_major, dev_minor;
	char perms[5];
	char name[256];		/* the path, [heap] ..., or "[anon]" */
	bool want;		/* PID's: holds a page whose mapcount is over 1 */
	uint64_t need;		/* PID's: mappings of its file frames not found yet */
	/* PID's VMAs, after sh_finish(): */
	uint64_t pages;		/* pages mapped to a frame with a struct page */
	uint64_t multi;		/* of them, mapcount > 1 */
	uint64_t found;		/* of them, found mapped by another process (or twice here) */
	uint32_t nprocs;	/* processes found sharing with it */
};

/* A process: pid and parent from /proc/PID/stat. */
struct sh_proc {
	pid_t pid, ppid;
	char comm[17];
};

/* One page of PID, its frame, for the join. */
struct sh_slot {
	uint64_t pfn;
	uint64_t idx;		/* its page index: VMA's pgoff + page in the VMA (rmap's rule) */
	uint32_t vma;		/* index into sh.vmas */
	int32_t mapcount;
	uint32_t others;	/* first slot of a PFN's run: mappings found in other processes */
	uint32_t stamp;		/* first slot of a run: the last process that hit it */
	uint32_t run;		/* first slot of a run: PID's pages mapping the frame */
	uint8_t cat;		/* SH_CAT_* */
};

enum { SH_CAT_ANON = 1, SH_CAT_KSM, SH_CAT_FILE, SH_CAT_OTHER };

/*
 * Page indexes [lo, hi) of the file @dev:@ino where PID has page-cache
 * frames to find.  rmap finds a page of index i only in a VMA at vm_start
 * + (i - vm_pgoff) pages, so only there is it looked for.
 */
struct sh_span {
	uint64_t ino, lo, hi;
	unsigned int dev_major, dev_minor;
};

/* An address range of another process to walk. */
struct sh_range {
	uint64_t start, end;
	size_t vma;		/* index into that process's VMAs */
};

/* (PID's VMA, other process): pages of that VMA the process maps too. */
struct sh_pair {
	uint32_t vma, proc;	/* proc: index into sh.partners */
	uint64_t pages;
};

struct sh {
	struct sh_proc self;
	struct sh_vma *vmas;	/* PID's, by address */
	size_t nvmas;
	struct sh_slot *slots;	/* sorted by pfn after sh_index() */
	size_t nslots, cap;
	struct sh_proc *all;	/* every process seen in /proc, by pid (relations) */
	size_t nall;
	struct sh_proc *partners;	/* processes with a page found shared */
	size_t npartners;
	struct sh_pair *pairs;
	size_t npairs, pairs_cap;
	uint64_t *cnt;		/* per PID VMA, the current process's pages */
	uint32_t serial;	/* the current process, 1 based */
	struct sh_proc cur;	/* the current process */
	struct sh_span *spans;	/* by (file, lo); anonymous first */
	size_t nspans;
	/* Mappings not found yet (mapcount - found), by kind; files in sh_vma.need */
	uint64_t need_anon, need_ksm, need_other;
	/* Totals (sh_finish) */
	uint64_t pages, multi, found, self_found;
	uint64_t frames, frames_multi, frames_all_found;
	uint64_t mappings, mapcount;	/* of the frames with mapcount > 1 */
	uint64_t unplaced;	/* PID's pages in no VMA of its maps (changed meanwhile) */
	uint32_t visited, gone, queries, skipped;
	int walker;		/* the walker that answered (PTWALK_WALKER_*) */
	struct ptwalk_end end;	/* PID's walk: complete, exited or stopped */
};

void sh_init(struct sh *s, const struct sh_proc *self);
void sh_free(struct sh *s);

/*
 * Parse the text of a /proc/PID/maps into malloc'd *@out.
 * Return: the number of VMAs, or -1 (malformed or out of memory).
 */
long sh_parse_maps(const char *text, struct sh_vma **out);

/*
 * PID's answer @r for [@lo, @hi): its pages that map a frame with a struct
 * page become slots, in the VMA of s->vmas holding them.  Return: 0 or -1.
 */
int sh_add_target(struct sh *s, const struct ptw_result *r, uint64_t lo, uint64_t hi);

/*
 * After PID's answers: sort the slots, count the mappings to find, make
 * the spans.  Return: 0 or -1 (out of memory).
 */
int sh_index(struct sh *s);

/* Whether a mapping of PID's frames is still to be found. */
bool sh_needed(const struct sh *s);

/*
 * Where another process's VMA @v (index @vi of its VMAs) can map a frame
 * of PID still to be found: anonymous (and KSM) frames anywhere in private
 * VMAs, page-cache frames in VMAs of the same file (device and inode) at
 * their index, KSM frames anywhere in private VMAs, others ([vdso] ...)
 * in the VMA of the same name.  Appends to *@r (*@n ranges, *@cap room).
 * Return: 0 or -1 (out of memory).
 */
int sh_ranges(const struct sh *s, const struct sh_vma *v, size_t vi, struct sh_range **r,
	      size_t *n, size_t *cap);

/* Start another process @p (call before its sh_join()s). */
void sh_begin(struct sh *s, const struct sh_proc *p);

/* Its answer @r for [@lo, @hi), joined on PFN. */
void sh_join(struct sh *s, const struct ptw_result *r, uint64_t lo, uint64_t hi);

/* Done with it: its (VMA, process) pairs.  Return: 0 or -1 (no memory). */
int sh_end(struct sh *s);

/* The totals, per-VMA counts, pairs sorted (VMA, pages down, pid). */
void sh_finish(struct sh *s);

/* What @pid is to s->self by s->all: "parent", "child", ... or "". */
const char *sh_relation(const struct sh *s, pid_t pid);

void sh_text(FILE *f, const struct sh *s);
void sh_json(FILE *f, const struct sh *s);

/*
 * Walk PID and every other process (see above), @walker "" or a walker
 * name.  Return: 0, or -1 with @err (no such process, not root, ...).
 */
int sh_run(struct sh *s, pid_t pid, const char *walker, char *err, size_t errlen);

/* The column tables (ptwalk --help). */
extern const struct ptw_table ptw_shared_vma_table, ptw_shared_pair_table;

#endif /* PTWALK_SHARED_H */
