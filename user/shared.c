// SPDX-License-Identifier: GPL-2.0
/*
 * shared.c - ptwalk shared PID (see shared.h): PID's pages that other
 * processes map too, joined on PFN in user space.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ptwalk_names.h"
#include "shared.h"

#define PAGE_4K		4096ULL
/* User addresses end here on x86-64 with 5-level paging ([vsyscall] is above). */
#define USER_TOP	(1ULL << 57)

void sh_init(struct sh *s, const struct sh_proc *self)
{
	memset(s, 0, sizeof(*s));
	s->self = *self;
	s->end.status = PTWALK_END_COMPLETE;
}

void sh_free(struct sh *s)
{
	free(s->vmas);
	free(s->slots);
	free(s->all);
	free(s->partners);
	free(s->pairs);
	free(s->cnt);
	free(s->spans);
	memset(s, 0, sizeof(*s));
}

long sh_parse_maps(const char *text, struct sh_vma **out)
{
	struct sh_vma *v = NULL;
	size_t n = 0, cap = 0;
	const char *line = text;

	*out = NULL;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		unsigned long long a, b, off, ino;
		unsigned int ma, mi;
		char perms[8], buf[512];
		int at = 0;

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = nl ? nl + 1 : NULL;
		if (!buf[0])
			continue;
		if (sscanf(buf, "%llx-%llx %4s %llx %x:%x %llu %n", &a, &b, perms, &off, &ma,
			   &mi, &ino, &at) < 7 || strlen(perms) != 4 || a >= b) {
			free(v);
			return -1;
		}
		if (n == cap) {
			struct sh_vma *nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));

			if (!nv) {
				free(v);
				return -1;
			}
			v = nv;
		}
		v[n] = (struct sh_vma){ .start = a, .end = b, .pgoff = off / PAGE_4K,
					.inode = ino, .dev_major = ma, .dev_minor = mi };
		memcpy(v[n].perms, perms, 5);
		snprintf(v[n].name, sizeof(v[n].name), "%s", at && buf[at] ? buf + at : "[anon]");
		n++;
	}
	*out = v;
	return (long)n;
}

/* Whether @r maps a frame with a struct page that could be shared. */
static bool joinable(const struct ptwalk_rec *r)
{
	return r->kind == PTWALK_K_PRESENT &&
	       !(r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO |
			    PTWALK_P_HIDDEN));
}

/* The VMA of s->vmas holding @va, searching on from *@at; -1 if none. */
static long vma_of(const struct sh *s, uint64_t va, size_t *at)
{
	size_t lo = 0, hi = s->nvmas;

	if (*at < s->nvmas && s->vmas[*at].start <= va && va < s->vmas[*at].end)
		return (long)*at;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->vmas[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nvmas && s->vmas[lo].start <= va) {
		*at = lo;
		return (long)lo;
	}
	return -1;
}

int sh_add_target(struct sh *s, const struct ptw_result *r, uint64_t lo, uint64_t hi)
{
	size_t i, at = 0;

	for (i = 0; i < r->nrecs; i++) {
		const struct ptwalk_rec *e = &r->recs[i];
		uint64_t j, n = ptw_pages(e);

		if (!joinable(e))
			continue;
		for (j = 0; j < n; j++) {
			uint64_t va = e->vaddr + j * PAGE_4K;
			long v;

			if (va < lo || va >= hi)
				continue;
			v = vma_of(s, va, &at);
			if (v < 0) {
				s->unplaced++;
				continue;
			}
			s->vmas[v].pages++;
			s->pages++;
			if (e->mapcount <= 1)
				continue;
			if (s->nslots == s->cap) {
				size_t cap = s->cap ? 2 * s->cap : 1024;
				struct sh_slot *ns = realloc(s->slots, cap * sizeof(*ns));

				if (!ns)
					return -1;
				s->slots = ns;
				s->cap = cap;
			}
			s->slots[s->nslots++] = (struct sh_slot){
				.pfn = e->pfn + j, .vma = (uint32_t)v, .mapcount = e->mapcount,
				.idx = s->vmas[v].pgoff + (va - s->vmas[v].start) / PAGE_4K,
				.cat = e->page & PTWALK_P_KSM ? SH_CAT_KSM :
				       e->page & PTWALK_P_ANON ? SH_CAT_ANON :
				       e->page & PTWALK_P_FILE ? SH_CAT_FILE : SH_CAT_OTHER,
			};
		}
	}
	return 0;
}

static int slot_cmp(const void *a, const void *b)
{
	const struct sh_slot *x = a, *y = b;

	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	return x->vma < y->vma ? -1 : x->vma > y->vma;
}

/* Spans closer than this many pages are one (fewer, larger queries). */
#define SH_SPAN_GAP	16

static int span_cmp(const void *a, const void *b)
{
	const struct sh_span *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->dev_major != y->dev_major)
		return x->dev_major < y->dev_major ? -1 : 1;
	if (x->dev_minor != y->dev_minor)
		return x->dev_minor < y->dev_minor ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* How many mappings of the frame of run @f are still to be found. */
static uint64_t run_need(const struct sh_slot *f)
{
	uint64_t have = (uint64_t)f->run + f->others;

	return f->mapcount > 0 && (uint64_t)f->mapcount > have ? f->mapcount - have : 0;
}

/* The count of mappings to find that run @f belongs to. */
static uint64_t *need_of(struct sh *s, const struct sh_slot *f)
{
	switch (f->cat) {
	case SH_CAT_ANON:
		return &s->need_anon;
	case SH_CAT_KSM:
		return &s->need_ksm;
	case SH_CAT_FILE:
		return &s->vmas[f->vma].need;
	default:
		return &s->need_other;
	}
}

int sh_index(struct sh *s)
{
	size_t i, k, n = 0;

	if (s->nslots)
		qsort(s->slots, s->nslots, sizeof(*s->slots), slot_cmp);
	for (i = 0; i < s->nslots; i = k) {
		struct sh_slot *f = &s->slots[i];

		for (k = i; k < s->nslots && s->slots[k].pfn == f->pfn; k++)
			s->vmas[s->slots[k].vma].want = true;
		f->run = (uint32_t)(k - i);
		*need_of(s, f) += run_need(f);
	}
	/* The spans: every page-cache page's index in its file, merged. */
	free(s->spans);
	s->spans = malloc((s->nslots ? s->nslots : 1) * sizeof(*s->spans));
	if (!s->spans)
		return -1;
	for (i = 0; i < s->nslots; i++) {
		const struct sh_slot *sl = &s->slots[i];
		const struct sh_vma *v = &s->vmas[sl->vma];

		if (sl->cat != SH_CAT_FILE || !v->inode)
			continue;
		s->spans[n++] = (struct sh_span){
			.ino = v->inode, .lo = sl->idx, .hi = sl->idx + 1,
			.dev_major = v->dev_major, .dev_minor = v->dev_minor,
		};
	}
	if (n)
		qsort(s->spans, n, sizeof(*s->spans), span_cmp);
	for (i = k = 0; i < n; i++) {
		struct sh_span *t = k ? &s->spans[k - 1] : NULL, *x = &s->spans[i];

		if (t && t->ino == x->ino && t->dev_major == x->dev_major &&
		    t->dev_minor == x->dev_minor && x->lo <= t->hi + SH_SPAN_GAP) {
			if (x->hi > t->hi)
				t->hi = x->hi;
			continue;
		}
		s->spans[k++] = *x;
	}
	s->nspans = k;
	return 0;
}

bool sh_needed(const struct sh *s)
{
	size_t i;

	if (s->need_anon || s->need_ksm || s->need_other)
		return true;
	for (i = 0; i < s->nvmas; i++)
		if (s->vmas[i].need)
			return true;
	return false;
}

static int add_range(struct sh_range **r, size_t *n, size_t *cap, uint64_t a, uint64_t b,
		     size_t vi)
{
	if (*n && (*r)[*n - 1].vma == vi && (*r)[*n - 1].end >= a) {
		if (b > (*r)[*n - 1].end)
			(*r)[*n - 1].end = b;
		return 0;
	}
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 64;
		struct sh_range *nr = realloc(*r, nc * sizeof(*nr));

		if (!nr)
			return -1;
		*r = nr;
		*cap = nc;
	}
	(*r)[(*n)++] = (struct sh_range){ a, b, vi };
	return 0;
}

/* The spans of file @ino that meet @v, as its addresses. */
static int span_ranges(const struct sh *s, const struct sh_vma *v, size_t vi, uint64_t ino,
		       struct sh_range **r, size_t *n, size_t *cap)
{
	uint64_t first = v->pgoff, last = v->pgoff + (v->end - v->start) / PAGE_4K;
	size_t lo = 0, hi = s->nspans;
	struct sh_span key = { .ino = ino, .dev_major = ino ? v->dev_major : 0,
			       .dev_minor = ino ? v->dev_minor : 0, .lo = 0 };

	while (lo < hi) {	/* the first span of the file */
		size_t mid = lo + (hi - lo) / 2;

		if (span_cmp(&s->spans[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->nspans; lo++) {
		const struct sh_span *x = &s->spans[lo];
		uint64_t a, b;

		if (x->ino != key.ino || x->dev_major != key.dev_major ||
		    x->dev_minor != key.dev_minor || x->lo >= last)
			break;
		if (x->hi <= first)
			continue;
		a = x->lo > first ? x->lo : first;
		b = x->hi < last ? x->hi : last;
		if (add_range(r, n, cap, v->start + (a - first) * PAGE_4K,
			      v->start + (b - first) * PAGE_4K, vi))
			return -1;
	}
	return 0;
}

int sh_ranges(const struct sh *s, const struct sh_vma *v, size_t vi, struct sh_range **r,
	      size_t *n, size_t *cap)
{
	bool private = v->perms[3] == 'p', file = false, other = false;
	size_t i;

	if (v->start >= USER_TOP)
		return 0;
	for (i = 0; i < s->nvmas; i++) {
		const struct sh_vma *w = &s->vmas[i];

		if (w->need && w->inode && w->inode == v->inode &&
		    w->dev_major == v->dev_major && w->dev_minor == v->dev_minor)
			file = true;
		if (w->want && !w->inode && w->name[0] == '[' && !strcmp(w->name, v->name))
			other = true;
	}
	/*
	 * Anonymous frames, in private VMAs only, file-backed or not (CoW
	 * copies), anywhere in them: their index would place them, but maps
	 * shows no pgoff for an anonymous VMA (and mremap() moves it away
	 * from vm_start).  KSM frames have no index that places them.
	 */
	if ((private && (s->need_anon || s->need_ksm)) || (other && s->need_other))
		return add_range(r, n, cap, v->start, v->end, vi);
	if (file && span_ranges(s, v, vi, v->inode, r, n, cap))
		return -1;
	return 0;
}

void sh_begin(struct sh *s, const struct sh_proc *p)
{
	s->serial++;
	s->cur = *p;
	if (s->cnt)
		memset(s->cnt, 0, s->nvmas * sizeof(*s->cnt));
}

/* The first slot of @pfn, or -1. */
static long find_pfn(const struct sh *s, uint64_t pfn)
{
	size_t lo = 0, hi = s->nslots;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->slots[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nslots && s->slots[lo].pfn == pfn ? (long)lo : -1;
}

/* A hit on the run of slots from @first: the current process maps its frame. */
static void hit(struct sh *s, size_t first)
{
	struct sh_slot *f = &s->slots[first];
	size_t k;

	if (run_need(f))
		(*need_of(s, f))--;
	f->others++;
	if (f->stamp == s->serial)
		return;		/* it maps the frame twice: its pages count once */
	f->stamp = s->serial;
	for (k = first; k < s->nslots && s->slots[k].pfn == f->pfn; k++)
		s->cnt[s->slots[k].vma]++;
}

void sh_join(struct sh *s, const struct ptw_result *r, uint64_t lo, uint64_t hi)
{
	size_t i;

	if (!s->nslots)
		return;
	if (!s->cnt) {
		s->cnt = calloc(s->nvmas ? s->nvmas : 1, sizeof(*s->cnt));
		if (!s->cnt)
			return;
	}
	for (i = 0; i < r->nrecs; i++) {
		const struct ptwalk_rec *e = &r->recs[i];
		uint64_t j, n = ptw_pages(e);

		if (!joinable(e))
			continue;
		for (j = 0; j < n; j++) {
			uint64_t va = e->vaddr + j * PAGE_4K;
			long first;

			if (va < lo || va >= hi)
				continue;
			first = find_pfn(s, e->pfn + j);
			if (first >= 0)
				hit(s, (size_t)first);
		}
	}
}

int sh_end(struct sh *s)
{
	size_t v;
	bool any = false;

	for (v = 0; s->cnt && v < s->nvmas; v++) {
		if (!s->cnt[v])
			continue;
		if (!any) {
			struct sh_proc *np = realloc(s->partners,
						     (s->npartners + 1) * sizeof(*np));

			if (!np)
				return -1;
			s->partners = np;
			s->partners[s->npartners++] = s->cur;
			any = true;
		}
		if (s->npairs == s->pairs_cap) {
			size_t cap = s->pairs_cap ? 2 * s->pairs_cap : 64;
			struct sh_pair *np = realloc(s->pairs, cap * sizeof(*np));

			if (!np)
				return -1;
			s->pairs = np;
			s->pairs_cap = cap;
		}
		s->pairs[s->npairs++] = (struct sh_pair){
			.vma = (uint32_t)v, .proc = (uint32_t)(s->npartners - 1),
			.pages = s->cnt[v],
		};
	}
	return 0;
}

static const struct sh *sort_s;

static int pair_cmp(const void *a, const void *b)
{
	const struct sh_pair *x = a, *y = b;

	if (x->vma != y->vma)
		return x->vma < y->vma ? -1 : 1;
	if (x->pages != y->pages)
		return x->pages > y->pages ? -1 : 1;
	return sort_s->partners[x->proc].pid < sort_s->partners[y->proc].pid ? -1 : 1;
}

void sh_finish(struct sh *s)
{
	size_t i, k;

	if (s->nslots && !s->cnt)
		s->cnt = calloc(s->nvmas ? s->nvmas : 1, sizeof(*s->cnt));
	/* PID's own pages that map one frame twice or more: shared with itself. */
	sh_begin(s, &s->self);
	for (i = 0; i < s->nslots; i = k) {
		const struct sh_slot *f = &s->slots[i];
		uint64_t run, maps;

		for (k = i; k < s->nslots && s->slots[k].pfn == f->pfn; k++)
			;
		run = k - i;
		maps = run + f->others;
		s->frames_multi++;
		s->mappings += maps;
		s->mapcount += (uint64_t)f->mapcount;
		if (maps >= (uint64_t)f->mapcount)
			s->frames_all_found++;
		for (size_t m = i; m < k; m++) {
			struct sh_vma *v = &s->vmas[s->slots[m].vma];

			v->multi++;
			s->multi++;
			if (maps < 2)
				continue;
			v->found++;
			s->found++;
			if (!f->others)
				s->self_found++;
			if (run > 1 && s->cnt)
				s->cnt[s->slots[m].vma]++;
		}
	}
	sh_end(s);
	sort_s = s;
	if (s->npairs)
		qsort(s->pairs, s->npairs, sizeof(*s->pairs), pair_cmp);
	for (i = 0; i < s->npairs; i++)
		s->vmas[s->pairs[i].vma].nprocs++;
}

static const struct sh_proc *proc_of(const struct sh *s, pid_t pid)
{
	size_t lo = 0, hi = s->nall;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->all[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nall && s->all[lo].pid == pid ? &s->all[lo] : NULL;
}

/* Whether @anc is an ancestor of @pid, and how many generations up. */
static int generations(const struct sh *s, pid_t pid, pid_t anc)
{
	const struct sh_proc *p = proc_of(s, pid);
	int n;

	for (n = 1; p && n < 64; n++) {
		if (p->ppid == anc)
			return n;
		if (p->ppid <= 0)
			break;
		p = proc_of(s, p->ppid);
	}
	return 0;
}

const char *sh_relation(const struct sh *s, pid_t pid)
{
	const struct sh_proc *q = proc_of(s, pid);
	int n;

	if (pid == s->self.pid)
		return "itself";
	if (pid == s->self.ppid)
		return "parent";
	if (q && q->ppid == s->self.pid)
		return "child";
	if (q && q->ppid == s->self.ppid && s->self.ppid > 1)
		return "sibling";
	n = generations(s, pid, s->self.pid);
	if (n)
		return n == 2 ? "grandchild" : "descendant";
	n = generations(s, s->self.pid, pid);
	if (n)
		return n == 2 ? "grandparent" : "ancestor";
	return "";
}

/* ---- the column tables --------------------------------------------------- */

struct sh_vma_row {
	const struct sh *s;
	const struct sh_vma *v;
};

struct sh_pair_row {
	const struct sh *s;
	const struct sh_pair *p;
};

#define COL(id, ...)	static const struct ptw_col id = { __VA_ARGS__ }

static void size_cell(struct ptw_cell *c, uint64_t pages)
{
	ptw_size(c->text, sizeof(c->text), pages * PAGE_4K);
	snprintf(c->json, sizeof(c->json), "%llu", (unsigned long long)(pages * PAGE_4K));
}

#define SV(name, expr)							\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	const struct sh_vma *v = ((const struct sh_vma_row *)row)->v;	\
									\
	expr;								\
}
SV(sv_range, ptw_cell_hex(c, v->start);
	     snprintf(c->text, sizeof(c->text), "0x%012llx-0x%012llx",
		      (unsigned long long)v->start, (unsigned long long)v->end))
SV(sv_end, ptw_cell_hex(c, v->end))
SV(sv_perms, ptw_cell_str(c, v->perms))
SV(sv_pages, ptw_cell_num(c, (long long)v->pages))
SV(sv_multi, ptw_cell_num(c, (long long)v->multi))
SV(sv_found, ptw_cell_num(c, (long long)v->found))
SV(sv_size, size_cell(c, v->found))
SV(sv_nprocs, ptw_cell_num(c, v->nprocs))
SV(sv_name, ptw_cell_str(c, v->name))

COL(col_sv_range, "vma", 29, 0, 0, "start", sv_range, "PID's VMA (JSON: its start)");
COL(col_sv_end, "end", 0, 0, PTW_COL_NOTEXT, "end", sv_end, "its end");
COL(col_sv_perms, "perm", 4, 0, 0, "perms", sv_perms, "rwxp, as /proc/PID/maps");
COL(col_sv_pages, "pages", 7, 0, PTW_COL_RIGHT, "pages", sv_pages,
    "its pages mapping a frame with a struct page");
COL(col_sv_multi, "map>1", 7, 0, PTW_COL_RIGHT, "mapcount_over_1", sv_multi,
    "of them, with a mapcount over 1");
COL(col_sv_found, "shared", 7, 0, PTW_COL_RIGHT, "shared_pages", sv_found,
    "of those, found mapped by another process (or twice by PID)");
COL(col_sv_size, "size", 6, 0, PTW_COL_RIGHT, "shared_bytes", sv_size, "the same in bytes");
COL(col_sv_nprocs, "procs", 5, 0, PTW_COL_RIGHT, "processes", sv_nprocs,
    "processes found sharing them");
COL(col_sv_name, "name", 0, 2, 0, "name", sv_name, "the VMA's file or [heap], [anon] ...");

static const struct ptw_col *const shared_vma_cols[] = {
	&col_sv_range, &col_sv_end, &col_sv_perms, &col_sv_pages, &col_sv_multi,
	&col_sv_found, &col_sv_size, &col_sv_nprocs, &col_sv_name,
};
const struct ptw_table ptw_shared_vma_table = PTW_TABLE("ptwalk shared PID (VMAs)",
							 shared_vma_cols);

#define SP(name, expr)							\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	const struct sh_pair_row *w = row;				\
	const struct sh_proc *q = &w->s->partners[w->p->proc];		\
									\
	(void)q;							\
	expr;								\
}
SP(sp_pid, ptw_cell_num(c, q->pid))
SP(sp_ppid, ptw_cell_num(c, q->ppid))
SP(sp_rel, const char *r = sh_relation(w->s, q->pid);
	   if (r[0]) ptw_cell_str(c, r); else ptw_cell_null(c, "-"))
SP(sp_comm, ptw_cell_str(c, q->comm))
SP(sp_pages, ptw_cell_num(c, (long long)w->p->pages))
SP(sp_size, size_cell(c, w->p->pages))

COL(col_sp_pid, "pid", 9, 0, PTW_COL_RIGHT, "pid", sp_pid, "a process sharing pages of the VMA");
COL(col_sp_ppid, "ppid", 7, 0, PTW_COL_RIGHT, "ppid", sp_ppid, "its parent");
COL(col_sp_rel, "relation", 11, 0, 0, "relation", sp_rel,
    "to PID, by /proc: parent, child, sibling, grandchild, ... (null: none known)");
COL(col_sp_comm, "comm", 15, 0, 0, "comm", sp_comm, "its name");
COL(col_sp_pages, "pages", 7, 0, PTW_COL_RIGHT, "pages", sp_pages,
    "pages of PID's VMA whose frame it maps");
COL(col_sp_size, "size", 6, 0, PTW_COL_RIGHT, "bytes", sp_size, "the same in bytes");

static const struct ptw_col *const shared_pair_cols[] = {
	&col_sp_pid, &col_sp_ppid, &col_sp_rel, &col_sp_comm, &col_sp_pages, &col_sp_size,
};
const struct ptw_table ptw_shared_pair_table = PTW_TABLE("ptwalk shared PID (processes)",
							  shared_pair_cols);

#define ST(name, expr)							\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	const struct sh *s = row;					\
									\
	expr;								\
}
ST(st_pages, ptw_cell_num(c, (long long)s->pages))
ST(st_multi, ptw_cell_num(c, (long long)s->multi))
ST(st_found, ptw_cell_num(c, (long long)s->found))
ST(st_self, ptw_cell_num(c, (long long)s->self_found))
ST(st_missing, ptw_cell_num(c, (long long)(s->multi - s->found)))
ST(st_frames, ptw_cell_num(c, (long long)s->frames_multi))
ST(st_all, ptw_cell_num(c, (long long)s->frames_all_found))
ST(st_mappings, ptw_cell_num(c, (long long)s->mappings))
ST(st_mapcount, ptw_cell_num(c, (long long)s->mapcount))
ST(st_unplaced, ptw_cell_num(c, (long long)s->unplaced))
ST(st_visited, ptw_cell_num(c, s->visited))
ST(st_gone, ptw_cell_num(c, s->gone))
ST(st_queries, ptw_cell_num(c, s->queries))
ST(st_skipped, ptw_cell_num(c, s->skipped))

COL(col_st_pages, "pages", 0, 0, PTW_COL_NOTEXT, "totals.pages", st_pages,
    "PID's pages mapping a frame with a struct page");
COL(col_st_multi, "mapcount_over_1", 0, 0, PTW_COL_NOTEXT, "totals.mapcount_over_1", st_multi,
    "of them, with a mapcount over 1");
COL(col_st_found, "shared", 0, 0, PTW_COL_NOTEXT, "totals.shared", st_found,
    "of those, found mapped by another process or twice by PID");
COL(col_st_self, "only_itself", 0, 0, PTW_COL_NOTEXT, "totals.only_itself", st_self,
    "of those, found mapped twice by PID only");
COL(col_st_missing, "not_found", 0, 0, PTW_COL_NOTEXT, "totals.not_found", st_missing,
    "mapcount over 1, no other mapping found (see ptwalk(1): what is not found)");
COL(col_st_frames, "frames", 0, 0, PTW_COL_NOTEXT, "totals.frames", st_frames,
    "distinct frames with a mapcount over 1");
COL(col_st_all, "frames_all_found", 0, 0, PTW_COL_NOTEXT, "totals.frames_all_found", st_all,
    "of them, as many mappings found as their mapcount");
COL(col_st_mappings, "mappings", 0, 0, PTW_COL_NOTEXT, "totals.mappings", st_mappings,
    "mappings of those frames found (PID's included)");
COL(col_st_mapcount, "mapcount", 0, 0, PTW_COL_NOTEXT, "totals.mapcount", st_mapcount,
    "their mapcounts, summed, as PID's walk read them");
COL(col_st_unplaced, "unplaced", 0, 0, PTW_COL_NOTEXT, "totals.unplaced", st_unplaced,
    "pages in no VMA of PID's maps (mapped meanwhile)");
COL(col_st_visited, "processes", 0, 0, PTW_COL_NOTEXT, "totals.processes", st_visited,
    "other processes walked");
COL(col_st_gone, "gone", 0, 0, PTW_COL_NOTEXT, "totals.gone", st_gone,
    "of them, exited before all their candidate VMAs were walked");
COL(col_st_queries, "queries", 0, 0, PTW_COL_NOTEXT, "totals.queries", st_queries,
    "module queries made");
COL(col_st_skipped, "not_walked", 0, 0, PTW_COL_NOTEXT, "totals.not_walked", st_skipped,
    "other processes not walked: no VMA that could hold a frame still to find");

static const struct ptw_col *const shared_total_cols[] = {
	&col_st_pages, &col_st_multi, &col_st_found, &col_st_self, &col_st_missing,
	&col_st_frames, &col_st_all, &col_st_mappings, &col_st_mapcount, &col_st_unplaced,
	&col_st_visited, &col_st_gone, &col_st_queries, &col_st_skipped,
};
static const struct ptw_table shared_total_doc = PTW_TABLE("ptwalk shared PID: totals",
							    shared_total_cols);

/* ---- output ------------------------------------------------------------------ */

/* The pairs of VMA @v: [*@a, *@b) of s->pairs. */
static void pairs_of(const struct sh *s, size_t v, size_t *a, size_t *b)
{
	size_t i = 0;

	while (i < s->npairs && s->pairs[i].vma < v)
		i++;
	*a = i;
	while (i < s->npairs && s->pairs[i].vma == v)
		i++;
	*b = i;
}

static const char *walker_name(int w)
{
	return w == PTWALK_WALKER_KERNEL ? "kernel" : w == PTWALK_WALKER_BUILTIN ? "builtin" : "-";
}

void sh_text(FILE *f, const struct sh *s)
{
	char sz[32], sz2[32];
	size_t v, a, b, i;
	bool any = false;

	fprintf(f, "pid %d (%s): its pages other processes map too (not atomic: processes run on while visited)\n",
		(int)s->self.pid, s->self.comm);
	for (v = 0; v < s->nvmas; v++) {
		const struct sh_vma *m = &s->vmas[v];

		pairs_of(s, v, &a, &b);
		if (!m->found || a == b)
			continue;
		if (!any)
			fprintf(f, "\n");
		any = true;
		ptw_size(sz, sizeof(sz), m->found * PAGE_4K);
		if (b - a == 1) {
			const struct sh_proc *q = &s->partners[s->pairs[a].proc];
			const char *rel = sh_relation(s, q->pid);

			if (q->pid == s->self.pid)
				fprintf(f, "  maps %s twice itself in %s\n", sz, m->name);
			else
				fprintf(f, "  shares %s with pid %d%s%s%s in %s\n", sz, (int)q->pid,
					rel[0] ? " (its " : "", rel, rel[0] ? ")" : "", m->name);
		} else {
			fprintf(f, "  shares %s with %zu processes in %s\n", sz, b - a, m->name);
		}
	}
	fprintf(f, "\n");
	ptw_text_header(f, &ptw_shared_vma_table);
	fprintf(f, "\n");
	for (v = 0; v < s->nvmas; v++) {
		struct sh_vma_row r = { s, &s->vmas[v] };

		if (!s->vmas[v].multi)
			continue;
		ptw_text_row(f, &ptw_shared_vma_table, &r);
		fprintf(f, "\n");
		pairs_of(s, v, &a, &b);
		for (i = a; i < b; i++) {
			struct sh_pair_row p = { s, &s->pairs[i] };

			if (i == a) {
				fprintf(f, "    ");
				ptw_text_header(f, &ptw_shared_pair_table);
				fprintf(f, "\n");
			}
			fprintf(f, "    ");
			ptw_text_row(f, &ptw_shared_pair_table, &p);
			fprintf(f, "\n");
		}
	}
	if (!s->multi)
		fprintf(f, "(no page of it has a mapcount over 1)\n");
	ptw_size(sz, sizeof(sz), s->multi * PAGE_4K);
	ptw_size(sz2, sizeof(sz2), s->found * PAGE_4K);
	fprintf(f, "\n%llu of its %llu pages (%s) map a frame with a mapcount over 1; %llu (%s) found shared",
		(unsigned long long)s->multi, (unsigned long long)s->pages, sz,
		(unsigned long long)s->found, sz2);
	if (s->self_found)
		fprintf(f, " (%llu of them only with itself)", (unsigned long long)s->self_found);
	if (s->multi == s->found)
		fprintf(f, "; every one explained by a process mapping\n");
	else
		fprintf(f, "; %llu not found: mapcount over 1 but no other process mapping seen "
			   "(it changed meanwhile, or the mapping is in no process's page tables "
			   "that this /proc shows: see ptwalk(1))\n",
			(unsigned long long)(s->multi - s->found));
	fprintf(f, "%llu of %llu such frames have as many mappings found as their mapcount (%llu mappings found, mapcounts %llu)\n",
		(unsigned long long)s->frames_all_found, (unsigned long long)s->frames_multi,
		(unsigned long long)s->mappings, (unsigned long long)s->mapcount);
	fprintf(f, "%u other processes walked (%u exited meanwhile) in %u queries, walker %s; %u not walked (nothing of it left to find there)\n",
		s->visited, s->gone, s->queries, walker_name(s->walker), s->skipped);
	if (s->unplaced)
		fprintf(f, "%llu pages in VMAs mapped after its maps were read: left out\n",
			(unsigned long long)s->unplaced);
}

void sh_json(FILE *f, const struct sh *s)
{
	struct ptw_json j;
	size_t v, a, b, i;

	ptw_json_begin(&j, f);
	ptw_json_open(&j, NULL, '{');
	ptw_json_u64(&j, "pid", (uint64_t)s->self.pid);
	ptw_json_u64(&j, "ppid", (uint64_t)s->self.ppid);
	ptw_json_strval(&j, "comm", s->self.comm);
	ptw_json_strval(&j, "walker", walker_name(s->walker));
	ptw_json_open(&j, "vmas", '[');
	for (v = 0; v < s->nvmas; v++) {
		struct sh_vma_row r = { s, &s->vmas[v] };

		if (!s->vmas[v].multi)
			continue;
		ptw_json_open(&j, NULL, '{');
		ptw_json_cols(&j, &ptw_shared_vma_table, &r);
		ptw_json_open(&j, "with", '[');
		pairs_of(s, v, &a, &b);
		for (i = a; i < b; i++) {
			struct sh_pair_row p = { s, &s->pairs[i] };

			ptw_json_row(&j, NULL, &ptw_shared_pair_table, &p);
		}
		ptw_json_close(&j, ']');
		ptw_json_close(&j, '}');
	}
	ptw_json_close(&j, ']');
	ptw_json_cols(&j, &shared_total_doc, s);
	ptw_json_open(&j, "end", '{');
	ptw_json_strval(&j, "status", ptwalk_end_name(s->end.status));
	if (s->end.status != PTWALK_END_COMPLETE) {
		char n[32];

		snprintf(n, sizeof(n), "\"0x%llx\"", (unsigned long long)s->end.next);
		ptw_json_raw(&j, "next", n);
	}
	if (s->end.status == PTWALK_END_STOPPED) {
		char n[16];

		snprintf(n, sizeof(n), "%d", (int)s->end.error);
		ptw_json_raw(&j, "error", n);
	}
	ptw_json_close(&j, '}');
	ptw_json_close(&j, '}');
	fputc('\n', f);
}

/* ---- the reads: /proc and the module ----------------------------------------- */

/* A /proc file's text, NUL terminated, malloc'd; NULL on failure (errno). */
static char *read_text(const char *path)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	FILE *f = fopen(path, "re");

	if (!f)
		return NULL;
	for (;;) {
		size_t n;

		if (cap - len < 4097) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 16384);

			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (!n)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* /proc/@pid/stat: its parent and name.  Return: 0 or -1 (gone). */
static int read_stat(pid_t pid, struct sh_proc *p)
{
	char path[64], *t, *open, *close;
	int ppid = 0;
	char state;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	t = read_text(path);
	if (!t)
		return -1;
	open = strchr(t, '(');
	close = strrchr(t, ')');
	if (!open || !close || close < open ||
	    sscanf(close + 1, " %c %d", &state, &ppid) != 2) {
		free(t);
		return -1;
	}
	*close = '\0';
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	snprintf(p->comm, sizeof(p->comm), "%.16s", open + 1);
	free(t);
	return 0;
}

/* The VMAs of @pid, or -1 (gone, or a kernel thread's empty maps: 0). */
static long read_maps(pid_t pid, struct sh_vma **out)
{
	char path[64], *t;
	long n;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	t = read_text(path);
	if (!t)
		return -1;
	n = sh_parse_maps(t, out);
	free(t);
	return n;
}

static int proc_cmp(const void *a, const void *b)
{
	const struct sh_proc *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Every process /proc lists (tgids), by pid. */
static int scan_procs(struct sh *s)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t cap = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		struct sh_proc p;
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (!isdigit((unsigned char)de->d_name[0]) || *end || pid <= 0)
			continue;
		if (read_stat((pid_t)pid, &p))
			continue;
		if (s->nall == cap) {
			struct sh_proc *na = realloc(s->all, (cap = cap ? 2 * cap : 256) * sizeof(*na));

			if (!na) {
				closedir(d);
				return -1;
			}
			s->all = na;
		}
		s->all[s->nall++] = p;
	}
	closedir(d);
	if (s->nall)
		qsort(s->all, s->nall, sizeof(*s->all), proc_cmp);
	return 0;
}

/* How one process is walked: PID itself (all of it) or another (candidates). */
struct sh_walk {
	struct sh *s;
	pid_t pid;
	bool target;
	const char *walker;
	char *err;
	size_t errlen;
};

/*
 * Query [@a, @b) of the process.  Return: 1 to go on, 0 when it is gone
 * or its answer stopped short (PID: s->end says so), -1 on an error
 * (@err): not root, the module missing, out of memory.
 */
static int walk_range(struct sh_walk *w, uint64_t a, uint64_t b)
{
	struct sh *s = w->s;
	struct ptw_result res;
	char q[160];
	int ret = 1;

	snprintf(q, sizeof(q), "range=0x%llx-0x%llx%s%s", (unsigned long long)a,
		 (unsigned long long)b, w->walker[0] ? " walker=" : "", w->walker);
	s->queries++;
	if (ptw_query(w->pid, q, &res, w->err, w->errlen))
		return errno == ESRCH && !w->target ? 0 : -1;
	if (res.hdr.flags & PTWALK_H_PHYS_HIDDEN) {
		snprintf(w->err, w->errlen, "pid %d: frames are hidden from you: ptwalk shared needs root",
			 (int)w->pid);
		ptw_free(&res);
		return -1;
	}
	s->walker = (int)res.hdr.walker;
	if (w->target) {
		if (sh_add_target(s, &res, a, b)) {
			snprintf(w->err, w->errlen, "out of memory");
			ret = -1;
		}
		if (res.end.status != PTWALK_END_COMPLETE) {
			s->end = res.end;
			ret = ret < 0 ? ret : 0;
		}
	} else {
		sh_join(s, &res, a, b);
		if (res.end.status != PTWALK_END_COMPLETE)
			ret = 0;
	}
	ptw_free(&res);
	return ret;
}

/*
 * Walk PID's VMAs @v, consecutive ones in one query while they add up to
 * at most SH_CHUNK_BYTES, a bigger one in pieces of that size.
 * Return: as walk_range().
 */
static int walk_target(struct sh_walk *w, const struct sh_vma *v, size_t n)
{
	uint64_t a = 0, b = 0, acc = 0;
	size_t i, last = 0;
	int ret;

	for (i = 0; i < n; i++) {
		uint64_t ps;

		if (v[i].start >= USER_TOP)
			continue;
		for (ps = v[i].start; ps < v[i].end; ps += SH_CHUNK_BYTES) {
			uint64_t pe = v[i].end - ps > SH_CHUNK_BYTES ? ps + SH_CHUNK_BYTES : v[i].end;

			if (acc && (last + 1 == i || last == i) && acc + (pe - ps) <= SH_CHUNK_BYTES) {
				b = pe;
				acc += pe - ps;
			} else {
				if (acc && (ret = walk_range(w, a, b)) <= 0)
					return ret;
				a = ps;
				b = pe;
				acc = pe - ps;
			}
			last = i;
		}
	}
	return acc ? walk_range(w, a, b) : 1;
}

static int range_cmp(const void *a, const void *b)
{
	const struct sh_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Walk another process, VMAs @v, where sh_ranges() says: ranges in one
 * query while the span between them is small (SH_SPAN_GAP pages) or holds
 * no other VMA, at most SH_CHUNK_BYTES per query.
 * Return: as walk_range(); 2 when nothing was to be walked.
 */
static int walk_other(struct sh_walk *w, const struct sh_vma *v, size_t nv)
{
	struct sh_range *r = NULL;
	size_t n = 0, cap = 0, i, k = 0;
	uint64_t a = 0, b = 0;
	int ret = 1;

	for (i = 0; i < nv; i++) {
		if (sh_ranges(w->s, &v[i], i, &r, &n, &cap)) {
			free(r);
			snprintf(w->err, w->errlen, "out of memory");
			return -1;
		}
	}
	if (!n) {
		free(r);
		return 2;
	}
	qsort(r, n, sizeof(*r), range_cmp);
	for (i = 0; i < n && ret > 0; i++) {
		uint64_t ps;

		/* A range longer than a chunk goes in pieces. */
		for (ps = r[i].start; ps < r[i].end && ret > 0; ps += SH_CHUNK_BYTES) {
			uint64_t pe = r[i].end - ps > SH_CHUNK_BYTES ? ps + SH_CHUNK_BYTES : r[i].end;
			bool near = b && ps <= b + SH_SPAN_GAP * PAGE_4K;
			bool bare = b && (r[i].vma == k + 1 && b == v[k].end && ps == v[r[i].vma].start);

			if (b && (near || bare || ps <= b) && pe - a <= SH_CHUNK_BYTES) {
				if (pe > b)
					b = pe;
			} else {
				if (b)
					ret = walk_range(w, a, b);
				a = ps;
				b = pe;
			}
			k = r[i].vma;
		}
	}
	if (ret > 0 && b)
		ret = walk_range(w, a, b);
	free(r);
	return ret;
}

/* Relatives first (children, parent, siblings...): they hold most to find. */
static int rank(const struct sh *s, const struct sh_proc *p)
{
	const char *r = sh_relation(s, p->pid);

	return !strcmp(r, "child") ? 0 : !strcmp(r, "parent") ? 1 :
	       !strcmp(r, "sibling") ? 2 : r[0] ? 3 : 4;
}

static const struct sh *rank_s;

static int rank_cmp(const void *a, const void *b)
{
	const struct sh_proc *x = *(const struct sh_proc *const *)a;
	const struct sh_proc *y = *(const struct sh_proc *const *)b;
	int rx = rank(rank_s, x), ry = rank(rank_s, y);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int sh_run(struct sh *s, pid_t pid, const char *walker, char *err, size_t errlen)
{
	struct sh_proc self;
	struct sh_walk w = { .s = s, .pid = pid, .target = true, .walker = walker,
			     .err = err, .errlen = errlen };
	struct sh_proc **order;
	long n;
	size_t i;
	int ret;

	memset(s, 0, sizeof(*s));
	if (read_stat(pid, &self)) {
		snprintf(err, errlen, "pid %d: no such process", (int)pid);
		return -1;
	}
	sh_init(s, &self);
	n = read_maps(pid, &s->vmas);
	if (n < 0) {
		snprintf(err, errlen, "pid %d: cannot read /proc/%d/maps: %s", (int)pid, (int)pid,
			 strerror(errno));
		return -1;
	}
	s->nvmas = (size_t)n;
	if (!n) {
		snprintf(err, errlen, "pid %d: no user address space (a kernel thread or a zombie)",
			 (int)pid);
		return -1;
	}
	ret = walk_target(&w, s->vmas, s->nvmas);
	if (ret < 0)
		return -1;
	if (sh_index(s) || scan_procs(s)) {
		snprintf(err, errlen, "cannot list /proc: %s", strerror(errno));
		return -1;
	}
	order = malloc((s->nall ? s->nall : 1) * sizeof(*order));
	if (!order) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < s->nall; i++)
		order[i] = &s->all[i];
	rank_s = s;
	if (s->nall)
		qsort(order, s->nall, sizeof(*order), rank_cmp);
	for (i = 0; i < s->nall; i++) {
		struct sh_proc q = *order[i];
		struct sh_vma *qv = NULL;

		if (q.pid == pid)
			continue;
		/* Every mapping the mapcounts count found: nobody else maps them. */
		if (!sh_needed(s)) {
			s->skipped++;
			continue;
		}
		n = read_maps(q.pid, &qv);
		if (n <= 0) {
			free(qv);
			continue;	/* exited, a zombie or a kernel thread */
		}
		w.pid = q.pid;
		w.target = false;
		sh_begin(s, &q);
		ret = walk_other(&w, qv, (size_t)n);
		free(qv);
		if (ret < 0) {
			free(order);
			return -1;
		}
		if (ret == 2)
			s->skipped++;
		else
			s->visited++;
		if (!ret)
			s->gone++;
		if (sh_end(s)) {
			free(order);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	free(order);
	sh_finish(s);
	return 0;
}
