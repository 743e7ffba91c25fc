/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verify - ptwalk verify's comparison of the module's answer with pagemap,
 * kpageflags and kpagecount.  The disagreements and the pages that kept
 * changing are collected, not printed: the caller prints them as tables
 * (views.h) and picks the exit status (ptw_verify_status()).
 */
#ifndef PTWALK_VERIFY_H
#define PTWALK_VERIFY_H

#include "libptwalk.h"
#include "views.h"

/* Rounds of module + pagemap + kpageflags + kpagecount for a page. */
#define PTW_VERIFY_ROUNDS	3
/* Stable rounds in a row, in both orders, that make a disagreement. */
#define PTW_VERIFY_STABLE	2
/* The most one verify sleeps between rounds (check_page()), in us. */
#define PTW_VERIFY_PAUSE_BUDGET_US	(1000 * 1000)

/* ptwalk verify's exit statuses (ptwalk(1), EXIT STATUS). */
enum {
	PTW_VERIFY_AGREE	= 0,	/* every page checked agreed */
	PTW_VERIFY_DISAGREE	= 1,	/* a stable disagreement */
	PTW_VERIFY_MISUSE	= 2,
	PTW_VERIFY_GONE		= 3,	/* the target went during the check */
	PTW_VERIFY_CHANGED	= 4,	/* pages kept changing while checked */
	PTW_VERIFY_FAILED	= 5,	/* could not check: no such process, ... */
};

#define PTW_VERIFY_BATCH	512
/* pagemap entries read at once for the holes: 64 KiB, 32 MiB of address space */
#define PTW_VERIFY_PM_BATCH	8192

struct ptw_verify {
	/* set by the caller */
	pid_t pid;		/* the target, whose pagemap is read */
	bool live;		/* ask the module again (not a snapshot) */
	struct ptw_filter filter;	/* which entries to compare */
	bool holes;		/* also read the pages the module left out */
	/*
	 * Host tests: stand-ins for asking the module about one page's
	 * range (ptw_query()) and reading one pagemap entry; NULL: the real
	 * ones.  @priv is theirs.
	 */
	int (*query)(struct ptw_verify *vs, const char *q, struct ptw_result *res,
		     char *err, size_t len);
	bool (*read_pagemap)(struct ptw_verify *vs, uint64_t va, uint64_t *pm);
	void *priv;
	/* the outcome */
	int pmfd, kpf, kpc;	/* -1 when not open (kpf, kpc: not root) */
	unsigned long long start_time;	/* /proc/PID/stat's, 0: unknown */
	bool hidden;		/* the answer hides frames */
	bool failed;		/* another failure (said on stderr) */
	bool nomem;
	struct ptw_verify_gone gone;	/* gone.why: the target went */
	struct ptw_verify_totals n;
	struct ptw_mismatch *bad;	/* n.bad disagreements */
	struct ptw_mismatch *changed;	/* n.changed pages that kept changing */
	size_t cap, ccap;
	uint64_t skip_end;	/* pages below it went with their VMA */
	unsigned int seed;	/* of the pauses between rounds */
	unsigned long long paused_us;	/* slept between rounds so far */
	unsigned int pauses;
	/*
	 * The first read of pagemap for the entries, PTW_VERIFY_BATCH pages
	 * at a time from @pm_va (@pm_n read), not past @pm_end (the answer's
	 * end): one pread() instead of one a page (a page's own read cost
	 * verify 3 syscalls a page to page-types' 2, issue 16).  The pages
	 * the module left out are read into it PTW_VERIFY_PM_BATCH at a time
	 * (a syscall is dear under emulation: 32 reads for a GiB of holes,
	 * not 512).  Rechecks read one entry, afresh.
	 */
	uint64_t pm_batch[PTW_VERIFY_PM_BATCH], pm_va, pm_end;
	size_t pm_n;
	/* The same for kpageflags over the frames of a huge entry. */
	uint64_t kpf_batch[PTW_VERIFY_BATCH], kpf_pfn;
	size_t kpf_n;
};

#define PTW_VERIFY_INIT	{ .pmfd = -1, .kpf = -1, .kpc = -1 }

/*
 * Note the start time of @pid (vs->start_time), to tell an exit (or a
 * reused pid) from an exec later.  Return: 0, or -1 when @pid is no
 * process (or a zombie), having said so.
 */
int ptw_verify_begin(struct ptw_verify *vs, pid_t pid);

/*
 * Open /proc/@pid/pagemap (and kpageflags, kpagecount when readable).
 * A process gone by then sets vs->gone.
 * Return: 0, or -1 (gone, or vs->failed having said why).
 */
int ptw_verify_open(struct ptw_verify *vs, pid_t pid);

/*
 * Compare every page of @res's entries that pass vs->filter with pagemap,
 * kpageflags and kpagecount; then, when vs->holes, the pages of each VMA
 * the module reported nothing for.  A page that disagrees is read again
 * from both sides (vs->live), up to PTW_VERIFY_ROUNDS rounds in
 * alternating order: it agrees as soon as they agree, disagrees when
 * PTW_VERIFY_STABLE rounds in a row (both orders, a random pause between)
 * found each side saying the same every time and still differing, and
 * otherwise kept changing (check_page() says why).
 * Stops when the process exits or execs (vs->gone); a VMA unmapped under
 * the check is noted in vs->gone too, and the check goes on after it.
 */
void ptw_verify_run(struct ptw_verify *vs, const struct ptw_result *res);

/*
 * Whether the process's mm went since ptw_verify_open() (pagemap reads
 * nothing any more): an exit or an exec, noted in vs->gone.
 */
bool ptw_verify_went(struct ptw_verify *vs);

/*
 * The exit status: PTW_VERIFY_DISAGREE > _FAILED (vs->failed or out of
 * memory) > _GONE > _CHANGED > _AGREE.
 */
int ptw_verify_status(const struct ptw_verify *vs);

/* "agree", "disagree", "target-gone", "changed", "failed" for ptw_verify_status(). */
const char *ptw_verify_result_name(int status);

/* "pid 5 exited during the check after 12 pages" into @buf. */
char *ptw_verify_gone_words(const struct ptw_verify *vs, char *buf, size_t len);

void ptw_verify_close(struct ptw_verify *vs);

#endif /* PTWALK_VERIFY_H */
