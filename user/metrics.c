// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - "ptwalk metrics": one ptw_result per process, summed per VMA
 * class, printed family by family (every sample of a family together, as
 * the text formats require).  What each family counts is its HELP text,
 * the one place it is written (ptwalk(1) repeats it).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

/* Bytes per class; @node[i] holds the bytes on node @node_id[i]. */
struct ptw_mclass {
	uint64_t vmas, present, swapped, thp, hugetlb, zero, ksm, cow, soft_dirty;
	uint64_t exclusive, hidden;
	double pss;
	int16_t *node_id;
	uint64_t *node;
	size_t nnodes;
};

struct ptw_mproc {
	uint32_t pid;
	char comm[16];
	bool hidden;		/* PTWALK_H_PHYS_HIDDEN: no KSM figure */
	struct ptw_mclass c[PTW_C_COUNT];
};

struct ptw_metrics {
	struct ptw_mproc *p;
	size_t n, cap;
	uint64_t scrape[PTW_S_COUNT];
};

static const char *const class_names[PTW_C_COUNT] = {
	[PTW_C_HEAP] = "heap", [PTW_C_STACK] = "stack", [PTW_C_ANON] = "anon",
	[PTW_C_FILE] = "file", [PTW_C_SHMEM] = "shmem", [PTW_C_HUGETLB] = "hugetlb",
};

static const char *const scrape_names[PTW_S_COUNT] = {
	[PTW_S_OK] = "ok", [PTW_S_VANISHED] = "vanished", [PTW_S_DENIED] = "denied",
	[PTW_S_FAILED] = "failed",
};

struct ptw_metrics *ptw_metrics_new(void)
{
	return calloc(1, sizeof(struct ptw_metrics));
}

void ptw_metrics_free(struct ptw_metrics *m)
{
	size_t i, k;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		for (k = 0; k < PTW_C_COUNT; k++) {
			free(m->p[i].c[k].node_id);
			free(m->p[i].c[k].node);
		}
	}
	free(m->p);
	free(m);
}

void ptw_metrics_note(struct ptw_metrics *m, enum ptw_scrape what)
{
	m->scrape[what]++;
}

static bool prefixed(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/*
 * hugetlb VMAs; [heap] and [stack] (and other stacks: VM_GROWSDOWN) by
 * name; a VMA with a file is shmem when it maps a shmem page or its name
 * says tmpfs-backed (MAP_SHARED anonymous memory is "/dev/zero (deleted)",
 * memfd, POSIX and SysV shared memory), else file; everything else anon.
 */
enum ptw_class ptw_vma_class(const struct ptw_vma *v, bool shmem_page)
{
	if (v->flags & PTWALK_VMA_HUGETLB)
		return PTW_C_HUGETLB;
	if (!strcmp(v->name, "[heap]"))
		return PTW_C_HEAP;
	if (!strcmp(v->name, "[stack]") || (v->flags & PTWALK_VMA_GROWSDOWN))
		return PTW_C_STACK;
	if (!(v->flags & PTWALK_VMA_FILE))
		return PTW_C_ANON;
	if (shmem_page || prefixed(v->name, "/dev/zero") || prefixed(v->name, "/memfd:") ||
	    prefixed(v->name, "/dev/shm/") || prefixed(v->name, "/SYSV"))
		return PTW_C_SHMEM;
	return PTW_C_FILE;
}

static int add_node(struct ptw_mclass *c, int16_t node, uint64_t bytes)
{
	int16_t *ids;
	uint64_t *b;
	size_t i;

	for (i = 0; i < c->nnodes; i++) {
		if (c->node_id[i] == node) {
			c->node[i] += bytes;
			return 0;
		}
	}
	ids = realloc(c->node_id, (c->nnodes + 1) * sizeof(*ids));
	if (!ids)
		return -1;
	c->node_id = ids;
	b = realloc(c->node, (c->nnodes + 1) * sizeof(*b));
	if (!b)
		return -1;
	c->node = b;
	/* Kept in node order, so the output is too. */
	for (i = c->nnodes; i > 0 && c->node_id[i - 1] > node; i--) {
		c->node_id[i] = c->node_id[i - 1];
		c->node[i] = c->node[i - 1];
	}
	c->node_id[i] = node;
	c->node[i] = bytes;
	c->nnodes++;
	return 0;
}

/*
 * The PSS and USS-like shares of a present entry of @bytes: a page mapped
 * @mapcount times counts 1/mapcount of itself (the kernel's PSS), and
 * wholly as exclusive when mapped once.  A 2M or 1G entry carries its head
 * page's mapcount (README, the mapcount rule), used for all its pages.
 * Zero pages and frames without struct page count in neither (smaps
 * leaves them out too); pages whose counts the unprivileged view hides
 * count as hidden.
 */
static void add_shares(struct ptw_mclass *c, const struct ptwalk_rec *r, uint64_t bytes)
{
	if (r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO))
		return;
	if (r->page & PTWALK_P_HIDDEN) {
		c->hidden += bytes;
		return;
	}
	if (r->mapcount <= 1) {
		c->exclusive += bytes;
		c->pss += (double)bytes;
	} else {
		c->pss += (double)bytes / r->mapcount;
	}
}

static int add_entry(struct ptw_mclass *c, const struct ptwalk_rec *r, uint32_t vmf)
{
	uint64_t b = ptw_pages(r) << 12;

	if (r->kind == PTWALK_K_SWAP)
		c->swapped += b;
	if (ptw_soft_dirty(r, vmf))
		c->soft_dirty += b;
	if (r->kind != PTWALK_K_PRESENT)
		return 0;
	c->present += b;
	if (r->page & PTWALK_P_THP)
		c->thp += b;
	if (r->page & PTWALK_P_HUGETLB)
		c->hugetlb += b;
	if (r->page & (PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO))
		c->zero += b;
	if (r->page & PTWALK_P_KSM)
		c->ksm += b;
	if (r->cow == PTWALK_COW_COPY || r->cow == PTWALK_COW_REUSE)
		c->cow += b;
	add_shares(c, r, b);
	if (r->node >= 0 && !(r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO)))
		return add_node(c, r->node, b);
	return 0;
}

int ptw_metrics_add(struct ptw_metrics *m, const struct ptw_result *res)
{
	struct ptw_mproc *p;
	enum ptw_class *cls;
	bool *shm;
	size_t i;
	int ret = 0;

	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		struct ptw_mproc *np = realloc(m->p, cap * sizeof(*np));

		if (!np)
			return -1;
		m->p = np;
		m->cap = cap;
	}
	/* One more than the VMAs: entries outside any (none expected) are anon. */
	cls = calloc(res->nvmas + 1, sizeof(*cls));
	shm = calloc(res->nvmas + 1, sizeof(*shm));
	if (!cls || !shm) {
		free(cls);
		free(shm);
		return -1;
	}
	p = &m->p[m->n];
	memset(p, 0, sizeof(*p));
	p->pid = res->hdr.pid;
	memcpy(p->comm, res->hdr.comm, sizeof(p->comm) - 1);
	p->hidden = res->hdr.flags & PTWALK_H_PHYS_HIDDEN;
	for (i = 0; i < res->nrecs; i++)
		if (res->recs[i].page & PTWALK_P_SHMEM)
			shm[res->rec_vma[i]] = true;
	cls[res->nvmas] = PTW_C_ANON;
	for (i = 0; i < res->nvmas; i++) {
		cls[i] = ptw_vma_class(&res->vmas[i], shm[i]);
		p->c[cls[i]].vmas++;
	}
	for (i = 0; !ret && i < res->nrecs; i++)
		ret = add_entry(&p->c[cls[res->rec_vma[i]]], &res->recs[i],
				ptw_vma_flags(res, i));
	m->n++;		/* freed with the rest even when incomplete */
	free(cls);
	free(shm);
	if (ret)
		return -1;
	m->scrape[PTW_S_OK]++;
	return 0;
}

/*
 * A label value: printable ASCII as it is but for \ and " (escaped), any
 * other byte '?' (comm is whatever the process set: it may hold newlines,
 * quotes or bytes that are not UTF-8).
 */
static void put_label(FILE *f, const char *s, size_t max)
{
	size_t i;

	for (i = 0; i < max && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\\' || ch == '"')
			fprintf(f, "\\%c", ch);
		else if (ch >= 0x20 && ch < 0x7f)
			fputc(ch, f);
		else
			fputc('?', f);
	}
}

enum fam_kind { FAM_CLASS, FAM_NODE };

/* One family of per-class figures: the field at @off of struct ptw_mclass. */
struct fam {
	const char *name, *help;
	size_t off;
	bool pss, ksm;		/* @pss: a double; @ksm: not in hidden answers */
};

#define FIELD(f)	offsetof(struct ptw_mclass, f)

static const struct fam fams[] = {
	{ "ptwalk_vmas", "VMAs of the class (a count, not bytes).", FIELD(vmas), false, false },
	{ "ptwalk_present_bytes", "Bytes mapped by present entries (every page size, zero and hugetlb pages included).",
	  FIELD(present), false, false },
	{ "ptwalk_swapped_bytes", "Bytes of swap entries (pages swapped out).", FIELD(swapped), false, false },
	{ "ptwalk_thp_bytes", "Present bytes of large folios (THP, PMD- or PTE-mapped; not hugetlb).",
	  FIELD(thp), false, false },
	{ "ptwalk_hugetlb_bytes", "Present bytes of hugetlb pages.", FIELD(hugetlb), false, false },
	{ "ptwalk_zero_bytes", "Present bytes mapping the shared zero page or the huge zero page.",
	  FIELD(zero), false, false },
	{ .name = "ptwalk_ksm_bytes", .help = "Present bytes of KSM-merged pages (root only: not in the unprivileged view).",
	  .off = FIELD(ksm), .ksm = true },
	{ "ptwalk_cow_pending_bytes", "Present bytes a write would copy-on-write fault on (copy or reuse).",
	  FIELD(cow), false, false },
	{ "ptwalk_soft_dirty_bytes", "Bytes pagemap calls soft-dirty (present and swapped).",
	  FIELD(soft_dirty), false, false },
	{ "ptwalk_exclusive_bytes", "USS-like: present bytes of pages mapped once (mapcount 1; no zero pages).",
	  FIELD(exclusive), false, false },
	{ .name = "ptwalk_pss_bytes", .help = "PSS-like: each page's bytes divided by its mapcount (no zero pages).",
	  .off = FIELD(pss), .pss = true },
	{ "ptwalk_counts_hidden_bytes", "Present bytes whose mapcount the unprivileged view hides (in neither exclusive nor pss).",
	  FIELD(hidden), false, false },
};

#define NFAMS (sizeof(fams) / sizeof(fams[0]))

static void labels(FILE *f, const struct ptw_mproc *p, int k)
{
	fprintf(f, "{pid=\"%u\",comm=\"", p->pid);
	put_label(f, p->comm, sizeof(p->comm));
	fprintf(f, "\",class=\"%s\"", class_names[k]);
}

static void print_fam(FILE *f, const struct ptw_metrics *m, const struct fam *fm)
{
	size_t i;
	int k;

	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", fm->name, fm->help, fm->name);
	for (i = 0; i < m->n; i++) {
		const struct ptw_mproc *p = &m->p[i];

		if (fm->ksm && p->hidden)
			continue;
		/* Only the classes the process has VMAs of. */
		for (k = 0; k < PTW_C_COUNT; k++) {
			const struct ptw_mclass *c = &p->c[k];
			const char *v = (const char *)c + fm->off;

			if (!c->vmas)
				continue;
			fprintf(f, "%s", fm->name);
			labels(f, p, k);
			if (fm->pss)
				fprintf(f, "} %.0f\n", *(const double *)v);
			else
				fprintf(f, "} %llu\n", (unsigned long long)*(const uint64_t *)v);
		}
	}
}

void ptw_metrics_print(FILE *f, const struct ptw_metrics *m)
{
	size_t i, j;
	int k;

	for (i = 0; i < NFAMS; i++)
		print_fam(f, m, &fams[i]);
	fprintf(f, "# HELP ptwalk_node_bytes Present bytes on each NUMA node (no zero pages).\n"
		   "# TYPE ptwalk_node_bytes gauge\n");
	for (i = 0; i < m->n; i++) {
		for (k = 0; k < PTW_C_COUNT; k++) {
			const struct ptw_mclass *c = &m->p[i].c[k];

			for (j = 0; j < c->nnodes; j++) {
				fprintf(f, "ptwalk_node_bytes");
				labels(f, &m->p[i], k);
				fprintf(f, ",node=\"%d\"} %llu\n", c->node_id[j],
					(unsigned long long)c->node[j]);
			}
		}
	}
	fprintf(f, "# HELP ptwalk_scrape_processes Processes asked for, by what became of them "
		   "(vanished: exited before or during the walk, skipped).\n"
		   "# TYPE ptwalk_scrape_processes gauge\n");
	for (k = 0; k < PTW_S_COUNT; k++)
		fprintf(f, "ptwalk_scrape_processes{result=\"%s\"} %llu\n", scrape_names[k],
			(unsigned long long)m->scrape[k]);
	fprintf(f, "# EOF\n");
}
