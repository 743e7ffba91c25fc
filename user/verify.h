/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verify - ptwalk verify's comparison of the module's answer with pagemap,
 * kpageflags and kpagecount.  The disagreements are collected, not
 * printed: the caller prints them as a table (views.h).
 */
#ifndef PTWALK_VERIFY_H
#define PTWALK_VERIFY_H

#include "libptwalk.h"
#include "views.h"

struct ptw_verify {
	/* set by the caller */
	pid_t pid;		/* 0: a snapshot, nothing to ask again */
	struct ptw_filter filter;	/* which entries to compare */
	bool holes;		/* also read the pages the module left out */
	/* the outcome */
	int pmfd, kpf, kpc;	/* -1 when not open (kpf, kpc: not root) */
	bool hidden;		/* the answer hides frames */
	bool gone;		/* the process exited during the check */
	bool nomem;
	struct ptw_verify_totals n;
	struct ptw_mismatch *bad;	/* n.bad disagreements */
	size_t cap;
};

#define PTW_VERIFY_INIT	{ .pmfd = -1, .kpf = -1, .kpc = -1 }

/*
 * Open /proc/@pid/pagemap (and kpageflags, kpagecount when readable).
 * Return: 0, or -1 having said why (warnx).
 */
int ptw_verify_open(struct ptw_verify *vs, pid_t pid);

/*
 * Compare every page of @res's entries that pass vs->filter with pagemap,
 * kpageflags and kpagecount, asking again (vs->pid) before a disagreement
 * counts; then, when vs->holes, the pages of each VMA the module reported
 * nothing for.  Stops when the process is gone (vs->gone).
 */
void ptw_verify_run(struct ptw_verify *vs, const struct ptw_result *res);

void ptw_verify_close(struct ptw_verify *vs);

#endif /* PTWALK_VERIFY_H */
