// SPDX-License-Identifier: GPL-2.0
/*
 * verify.c - ptwalk verify: compare an answer of the module, page by page,
 * with /proc/PID/pagemap, /proc/kpageflags and /proc/kpagecount, ask both
 * sides again about every disagreement (the process runs on), and read the
 * pages the module reported nothing for.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptwalk_names.h"
#include "verify.h"

/* Entry @index of the u64 array file @fd into *@v.  Return: whether read. */
static bool read_u64(int fd, uint64_t index, uint64_t *v)
{
	*v = 0;
	return fd >= 0 && pread(fd, v, sizeof(*v), index * 8) == sizeof(*v);
}

/* Compare page @page of @r with pagemap entry @pm, kpageflags, kpagecount. */
static const char *check_page(const struct ptw_verify *vs, const struct ptwalk_rec *r,
			      uint32_t vmf, uint64_t page, uint64_t pm,
			      char *why, size_t len)
{
	struct ptw_kpage kp = { 0 };
	uint64_t pfn = r->pfn + page;

	/* Root's files, about real frames: not for hidden ones or PFN maps. */
	if (!vs->hidden && r->kind == PTWALK_K_PRESENT && !(r->page & PTWALK_P_NOPAGE)) {
		kp.has_flags = read_u64(vs->kpf, pfn, &kp.flags);
		if (ptw_mapcount_comparable(r, page))
			kp.has_count = read_u64(vs->kpc, pfn, &kp.count);
	}
	return ptw_compare_pagemap(r, vmf, page, pm, &kp, vs->hidden, why, len);
}

static void report(struct ptw_verify *vs, uint64_t va, const char *lvl,
		   const char *kind, const char *msg)
{
	struct ptw_mismatch *m;

	if (vs->n.bad == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 16;

		m = realloc(vs->bad, cap * sizeof(*m));
		if (!m) {
			vs->nomem = true;
			return;
		}
		vs->bad = m;
		vs->cap = cap;
	}
	m = &vs->bad[vs->n.bad++];
	m->va = va;
	m->level = lvl;
	m->kind = kind;
	snprintf(m->reason, sizeof(m->reason), "%s", msg);
}

/*
 * Ask the module again about the page at @va and compare it once more with
 * a fresh pagemap read.  A process that is gone sets vs->gone: that is no
 * disagreement.  Return: the disagreement that remains, or NULL.
 */
static const char *recheck(struct ptw_verify *vs, uint64_t va, uint32_t vmf,
			   char *why, size_t len)
{
	struct ptw_result again;
	const struct ptwalk_rec *r;
	const char *msg = NULL;
	uint64_t pm;
	char q[64], err[256];

	vs->n.rechecked++;
	snprintf(q, sizeof(q), "addr=0x%llx", (unsigned long long)va);
	if (ptw_query(vs->pid, q, &again, err, sizeof(err))) {
		if (errno == ESRCH) {
			vs->gone = true;
			return NULL;
		}
		snprintf(why, len, "recheck failed: %.100s", err);
		return why;
	}
	if (again.end.status == PTWALK_END_EXITED) {
		vs->gone = true;
		ptw_free(&again);
		return NULL;
	}
	r = ptw_find(&again, va);
	read_u64(vs->pmfd, va >> 12, &pm);
	if (r)
		msg = check_page(vs, r, vmf, (va - r->vaddr) >> 12, pm, why, len);
	else if (pm & (PTWALK_PM_PRESENT | PTWALK_PM_SWAP))
		msg = pm & PTWALK_PM_PRESENT ? "pagemap: present, ptwalk: no entry" :
					       "pagemap: swapped, ptwalk: no entry";
	ptw_free(&again);
	return msg;
}

/* Skip the entries of @res that end at or before @va. */
static void skip_to(const struct ptw_result *res, size_t *next, uint64_t va)
{
	while (*next < res->nrecs && res->recs[*next].vaddr +
	       (1ULL << res->recs[*next].shift) <= va)
		(*next)++;
}

/* Page @va, which the module reported nothing for, is @pm in pagemap. */
static void verify_hole(struct ptw_verify *vs, uint64_t va, uint64_t pm, uint32_t vmf)
{
	const char *msg;
	char why[128];

	if (!(pm & (PTWALK_PM_PRESENT | PTWALK_PM_SWAP)))
		return;
	vs->n.checked++;
	if (vs->pid == 0)	/* a snapshot: nothing to ask again */
		msg = pm & PTWALK_PM_PRESENT ? "pagemap: present, ptwalk: no entry" :
					       "pagemap: swapped, ptwalk: no entry";
	else
		msg = recheck(vs, va, vmf, why, sizeof(why));
	if (msg)
		report(vs, va, "-", "none", msg);
}

/*
 * Pages of [start, end) that the module reported nothing for must be empty
 * in pagemap too.  @res's entries are sorted by address.
 */
static void verify_holes(struct ptw_verify *vs, const struct ptw_result *res,
			 const struct ptw_vma *v, size_t *next)
{
	uint64_t start = v->start > res->hdr.start ? v->start : res->hdr.start;
	uint64_t end = v->end < res->hdr.end ? v->end : res->hdr.end;
	uint64_t pm[512], va;

	for (va = start; va < end && !vs->gone; ) {
		uint64_t n = (end - va) >> 12, k;
		ssize_t got;

		if (n > 512)
			n = 512;
		got = pread(vs->pmfd, pm, n * 8, (va >> 12) * 8);
		if (got <= 0) {
			/* pagemap reads nothing of user space once the mm is gone. */
			vs->gone = vs->pid != 0;
			return;
		}
		n = (uint64_t)got / 8;
		for (k = 0; k < n && !vs->gone; k++, va += 4096) {
			skip_to(res, next, va);
			/* Covered ones are compared entry by entry. */
			if (*next >= res->nrecs || res->recs[*next].vaddr > va)
				verify_hole(vs, va, pm[k], v->flags);
		}
	}
}

/* Compare every page of entry @i of @res with pagemap (and kpage*). */
static void verify_entry(struct ptw_verify *vs, const struct ptw_result *res, size_t i)
{
	const struct ptwalk_rec *r = &res->recs[i];
	uint32_t vmf = ptw_vma_flags(res, i);
	uint64_t p, n = ptw_pages(r), pm;
	char why[128];

	for (p = 0; p < n && !vs->gone; p++) {
		uint64_t va = r->vaddr + (p << 12);
		const char *msg;

		vs->n.checked++;
		read_u64(vs->pmfd, va >> 12, &pm);
		msg = check_page(vs, r, vmf, p, pm, why, sizeof(why));
		if (!msg)
			continue;
		/* The process runs on: ask both sides once more. */
		if (vs->pid)
			msg = recheck(vs, va, vmf, why, sizeof(why));
		if (msg)
			report(vs, va, ptwalk_level_name(r->level), ptwalk_kind_name(r->kind), msg);
	}
}

void ptw_verify_run(struct ptw_verify *vs, const struct ptw_result *res)
{
	const struct ptw_filter *f = &vs->filter;
	size_t i, next = 0;

	vs->hidden = res->hdr.flags & PTWALK_H_PHYS_HIDDEN;

	/* pagemap does not walk PFN maps (VM_PFNMAP): [vvar] and such. */
	for (i = 0; i < res->nrecs && !vs->gone; i++)
		if (ptw_keep(res, i, f) && !(ptw_vma_flags(res, i) & PTWALK_VMA_PFNMAP))
			verify_entry(vs, res, i);
	/* Pages the module left out, unless a filter left them out. */
	for (i = 0; vs->holes && i < res->nvmas && !vs->gone; i++) {
		const struct ptw_vma *v = &res->vmas[i];

		if ((v->flags & PTWALK_VMA_PFNMAP) || (f->vma && f->vma[0] && !strstr(v->name, f->vma)))
			continue;
		verify_holes(vs, res, v, &next);
	}
}

int ptw_verify_open(struct ptw_verify *vs, pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	vs->pmfd = open(path, O_RDONLY | O_CLOEXEC);
	if (vs->pmfd < 0) {
		if (vs->pid && (errno == ENOENT || errno == ESRCH))
			warnx("pid %d exited during the check", (int)pid);
		else
			warnx("%s: %s", path, errno == ENOENT ? "no such process" : strerror(errno));
		return -1;
	}
	vs->kpf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	vs->kpc = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	return 0;
}

void ptw_verify_close(struct ptw_verify *vs)
{
	free(vs->bad);
	vs->bad = NULL;
	if (vs->pmfd >= 0)
		close(vs->pmfd);
	if (vs->kpf >= 0)
		close(vs->kpf);
	if (vs->kpc >= 0)
		close(vs->kpc);
	vs->pmfd = vs->kpf = vs->kpc = -1;
}
