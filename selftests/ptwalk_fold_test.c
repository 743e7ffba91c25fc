// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_fold_test - the fast paths of a walk over many pages, checked page
 * by page against pagemap, kpageflags and kpagecount.
 *
 * The per-state tests in ptwalk_walk_test look at one page at a time; the
 * module's fast paths only act on runs of pages: the memo that reuses the
 * last small page's record, and the PTWALK_REC_MORE records that carry the
 * frames of entries equal to the one before (include/ptwalk.h).  Here one
 * VMA holds runs that change state every few pages, so a record reused or
 * folded where it should not be shows up as a wrong frame, mapcount or
 * copy-on-write verdict.  The binary stream is decoded by this file's own
 * reading of the format, not by libptwalk, and compared with the text
 * format, with the other walker, and with the kernel's own files.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "ptwalk_util.h"
#include "ptwalk.h"

#define PAGE		4096UL
#define HPAGE		(2UL << 20)
#define NPAGES		1024UL
/*
 * Per architecture: the accessed bit and the PFN field of raw.  arm64
 * keeps a frame plain (never inverted) in bits 12-47, and its writable
 * entries carry DBM (bit 51) inside x86's PFN field, which the MORE rule
 * uses on both (include/ptwalk.h): they are never folded.  Nor are arm64
 * swap entries: SWAPRUN steps raw as x86 stores the offset (inverted from
 * bit 9), arm64 stores it plain from bit 12 (6.12+) or 8 (6.1).
 */
#ifdef __aarch64__
#define RAW_A		0x400ULL	/* arm64 AF */
#define RAW_PFN_MASK	PTWALK_ARM64_RAW_PFN_MASK
#define ARM64		1
#else
#define RAW_A		0x20ULL		/* x86 accessed bit in raw */
#define RAW_PFN_MASK	PTWALK_RAW_PFN_MASK
#define ARM64		0
#endif
#define LRU_FLAGS	(PTWALK_P_LRU | PTWALK_P_ACTIVE | PTWALK_P_REFERENCED)

/*
 * The region, page by page (index: state):
 *   0-299    written: exclusive anonymous pages, one long run
 *   300-349  only read: the shared zero page
 *   350-399  written, then MADV_DONTNEED: no entries
 *   400-699  written, then shared with a forked child; the parent then
 *            writes every third page again (exclusive, new frame), so
 *            mapcount and cow alternate 2/copy, 2/copy, 1/writable
 *   700-799  written, then mprotect(PROT_READ): a VMA of its own
 *   800-1023 written: exclusive again, after the shared stretch
 */
struct decoded {
	struct ptwalk_rec *e;
	size_t n;
	size_t mores;		/* PTWALK_REC_MORE records seen */
	size_t swapruns;	/* PTWALK_REC_SWAPRUN records seen */
};

/* The binary stream as ptwalk.h describes it, MOREs expanded. */
static int decode(const char *buf, size_t len, struct decoded *d)
{
	const struct ptwalk_hdr *h = (const void *)buf;
	size_t off;

	memset(d, 0, sizeof(*d));
	if (len < sizeof(*h) || h->magic != PTWALK_MAGIC ||
	    h->rec_size < sizeof(struct ptwalk_rec) ||
	    (len - h->hdr_size) % h->rec_size)
		return -1;
	d->e = calloc((len - h->hdr_size) / h->rec_size *
		      (PTWALK_MORE_MAX > PTWALK_SWAPRUN_MAX ? PTWALK_MORE_MAX :
		       PTWALK_SWAPRUN_MAX) + 1, sizeof(*d->e));
	if (!d->e)
		return -1;
	for (off = h->hdr_size; off < len; off += h->rec_size) {
		const struct ptwalk_rec *r = (const void *)(buf + off);
		const struct ptwalk_more *m = (const void *)(buf + off);
		unsigned int i;

		if (r->type == PTWALK_REC_ENTRY) {
			d->e[d->n++] = *r;
			continue;
		}
		if (r->type == PTWALK_REC_SWAPRUN) {
			const struct ptwalk_swaprun *sr = (const void *)(buf + off);

			if (!d->n || d->e[d->n - 1].kind != PTWALK_K_SWAP ||
			    sr->count < 1 || sr->count > PTWALK_SWAPRUN_MAX)
				return -1;
			d->swapruns++;
			for (i = 0; i < sr->count; i++) {
				d->e[d->n] = d->e[d->n - 1];
				ptwalk_swap_next(&d->e[d->n++],
						 !!(h->flags & PTWALK_H_PHYS_HIDDEN));
			}
			continue;
		}
		if (r->type != PTWALK_REC_MORE)
			continue;
		if (!d->n || m->count < 1 || m->count > PTWALK_MORE_MAX)
			return -1;
		d->mores++;
		for (i = 0; i < m->count; i++) {
			struct ptwalk_rec e = d->e[d->n - 1];
			int form = ptwalk_raw_pfn_form_arch(e.raw, e.pfn, e.shift, h->arch);

			if (form == PTWALK_PFN_OTHER)
				return -1;
			e.vaddr += 1ULL << e.shift;
			e.pfn = m->pfn[i];
			e.raw = (e.raw & ~ptwalk_raw_pfn_mask(h->arch)) |
				ptwalk_raw_pfn_field_arch(m->pfn[i], form, e.shift, h->arch);
			d->e[d->n++] = e;
		}
	}
	return 0;
}

static char *walk(const char *walker, unsigned long a, const char *fmt,
		  size_t *len)
{
	char q[PTWALK_QUERY_MAX];

	snprintf(q, sizeof(q), "pid=self start=0x%lx end=0x%lx walker=%s format=%s",
		 a, a + NPAGES * PAGE, walker, fmt);
	return ptwalk_query(PTWALK_WALK, q, len);
}

FIXTURE(fold) {
	char *p;
	pid_t child;
	int hold[2];
};

FIXTURE_VARIANT(fold) {
	const char *walker;
};

FIXTURE_VARIANT_ADD(fold, kernel) {
	.walker = "kernel",
};

FIXTURE_VARIANT_ADD(fold, builtin) {
	.walker = "builtin",
};

FIXTURE_SETUP(fold)
{
	volatile char sink;
	char c;
	size_t i;

	if (access(PTWALK_WALK, R_OK | W_OK))
		SKIP(return, "ptwalk.ko not loaded (%s)", PTWALK_WALK);
	self->p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->p);
	/* 4K pages only: a THP would cover the runs with one entry. */
	ASSERT_EQ(0, madvise(self->p, NPAGES * PAGE, MADV_NOHUGEPAGE));
	for (i = 0; i < NPAGES; i++) {
		if (i >= 300 && i < 350)
			sink = self->p[i * PAGE];
		else
			self->p[i * PAGE] = (char)i;
	}
	(void)sink;
	ASSERT_EQ(0, madvise(self->p + 350 * PAGE, 50 * PAGE, MADV_DONTNEED));
	ASSERT_EQ(0, pipe(self->hold));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		/* Keep the pages shared until the parent is done. */
		close(self->hold[1]);
		if (read(self->hold[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(self->hold[0]);
	/*
	 * fork() write-protected every page; write the ones outside the
	 * shared stretch again (reused in place), and every third one in it
	 * (copied).
	 */
	for (i = 0; i < NPAGES; i++) {
		if (i >= 300 && i < 400)
			continue;
		if (i >= 400 && i < 700 && i % 3)
			continue;
		self->p[i * PAGE] = (char)(i + 1);
	}
	ASSERT_EQ(0, mprotect(self->p + 700 * PAGE, 100 * PAGE, PROT_READ));
}

FIXTURE_TEARDOWN(fold)
{
	if (self->child > 0) {
		close(self->hold[1]);
		waitpid(self->child, NULL, 0);
	}
	if (self->p && self->p != MAP_FAILED)
		munmap(self->p, NPAGES * PAGE);
}

/* Every page the kernel maps has one entry, and that entry is right. */
TEST_F(fold, binary_matches_pagemap_kpageflags_kpagecount)
{
	unsigned long a = (unsigned long)self->p;
	struct decoded d;
	size_t len, i, k = 0, present = 0;
	char *t;

	t = walk(variant->walker, a, "binary", &len);
	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, decode(t, len, &d));
	/* Would catch: the MORE encoding not used (or not parsed). */
	EXPECT_LT(100UL, d.mores) TH_LOG("only %zu MORE records", d.mores);
	for (i = 0; i < NPAGES; i++) {
		unsigned long va = a + i * PAGE;
		uint64_t pm = pagemap_entry(0, va), pfn = pm & PTWALK_PM_PFRAME_MASK;
		const struct ptwalk_rec *e;
		unsigned int cow;
		uint64_t kc;

		if (!(pm & PTWALK_PM_PRESENT)) {
			/* Would catch: an entry invented for a hole. */
			EXPECT_TRUE(k >= d.n || d.e[k].vaddr != va) TH_LOG("page %zu", i);
			continue;
		}
		present++;
		ASSERT_LT(k, d.n) TH_LOG("no entry for page %zu", i);
		e = &d.e[k++];
		/* Would catch: a MORE continuing from the wrong address. */
		ASSERT_EQ(va, e->vaddr) TH_LOG("page %zu", i);
		EXPECT_EQ(PTWALK_K_PRESENT, e->kind);
		/* Would catch: a folded or memo entry keeping the last frame. */
		EXPECT_EQ(pfn, e->pfn) TH_LOG("page %zu", i);
		EXPECT_EQ(pfn << 12, e->raw & RAW_PFN_MASK) TH_LOG("page %zu", i);
		if (i >= 300 && i < 350) {
			EXPECT_TRUE(!!(e->page & PTWALK_P_ZERO)) TH_LOG("page %zu", i);
			EXPECT_EQ(PTWALK_COW_COPY, e->cow) TH_LOG("page %zu", i);
			continue;
		}
		kc = kpagecount(pfn);
		/* Would catch: a memo record carrying another page's counts. */
		EXPECT_EQ((int64_t)kc, e->mapcount) TH_LOG("page %zu", i);
		EXPECT_EQ(!!(pm & PTWALK_PM_MMAP_EXCLUSIVE), e->mapcount == 1) TH_LOG("page %zu", i);
		EXPECT_EQ(!!(kpageflags(pfn) & (1ULL << KPF_ANON)),
			  !!(e->page & PTWALK_P_ANON)) TH_LOG("page %zu", i);
		if (i >= 700 && i < 800)
			cow = PTWALK_COW_NONE;
		else if (i >= 400 && i < 700 && i % 3)
			cow = PTWALK_COW_COPY;
		else
			cow = PTWALK_COW_WRITABLE;
		/* Would catch: a record reused across a change of state. */
		EXPECT_EQ(cow, e->cow) TH_LOG("page %zu", i);
		EXPECT_EQ(cow == PTWALK_COW_WRITABLE, !!(e->bits & PTWALK_B_RW))
			TH_LOG("page %zu", i);
	}
	/* Would catch: entries beyond what pagemap shows. */
	EXPECT_EQ(k, d.n);
	EXPECT_EQ(NPAGES - 50, present);
	free(d.e);
	free(t);
}

/* The text format (no MOREs, no fast fold) says the same, entry by entry. */
TEST_F(fold, binary_equals_text)
{
	unsigned long a = (unsigned long)self->p;
	char *t, *b, *line, *save = NULL;
	struct decoded d;
	size_t len, k = 0;

	b = walk(variant->walker, a, "binary", &len);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, decode(b, len, &d));
	t = walk(variant->walker, a, "text", NULL);
	ASSERT_NE(NULL, t);
	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint64_t va, v;

		if (strncmp(line, "0x", 2))
			continue;
		va = strtoull(line, NULL, 16);
		ASSERT_LT(k, d.n) TH_LOG("text has more entries: %s", line);
		EXPECT_EQ(d.e[k].vaddr, va) TH_LOG("%s", line);
		/* Two walks: the kernel's aging may clear A in between. */
		EXPECT_TRUE(ptwalk_field_u64(line, "raw", &v));
		EXPECT_EQ(d.e[k].raw & ~RAW_A, v & ~RAW_A) TH_LOG("%s", line);
		EXPECT_TRUE(ptwalk_field_u64(line, "pfn", &v));
		EXPECT_EQ(d.e[k].pfn, v) TH_LOG("%s", line);
		if (ptwalk_field_u64(line, "map", &v))
			EXPECT_EQ((uint64_t)d.e[k].mapcount, v) TH_LOG("%s", line);
		k++;
	}
	EXPECT_EQ(d.n, k);
	free(d.e);
	free(t);
	free(b);
}

/* Both walkers produce the same stream over a quiescent region. */
TEST_F(fold, walkers_agree)
{
	unsigned long a = (unsigned long)self->p;
	size_t klen, blen, i;
	struct decoded dk, db;
	char *k, *b;

	k = walk("kernel", a, "binary", &klen);
	b = walk("builtin", a, "binary", &blen);
	ASSERT_NE(NULL, k);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, decode(k, klen, &dk));
	ASSERT_EQ(0, decode(b, blen, &db));
	ASSERT_EQ(dk.n, db.n);
	for (i = 0; i < dk.n; i++) {
		/*
		 * Between two walks the refcount and LRU flags may move (per-CPU
		 * LRU batches drain) and aging may clear A; nothing else may.
		 */
		dk.e[i].refcount = db.e[i].refcount = 0;
		dk.e[i].page &= ~LRU_FLAGS;
		db.e[i].page &= ~LRU_FLAGS;
		dk.e[i].raw &= ~RAW_A;
		db.e[i].raw &= ~RAW_A;
		dk.e[i].bits &= ~PTWALK_B_ACCESSED;
		db.e[i].bits &= ~PTWALK_B_ACCESSED;
		EXPECT_EQ(0, memcmp(&dk.e[i], &db.e[i], sizeof(dk.e[i])))
			TH_LOG("entry %zu at 0x%llx", i, (unsigned long long)dk.e[i].vaddr);
	}
	free(dk.e);
	free(db.e);
	free(k);
	free(b);
}

/*
 * A run of THPs: one 2M entry each, folded into MOREs that step 2M, each
 * with the frame pagemap gives for its first page and still a THP after
 * the walk (nothing split).  Then the same after mprotect(PROT_NONE), which
 * x86 stores with the frame bits from 21 up inverted.
 */
TEST(thp_run)
{
	static const char *const walkers[] = { "kernel", "builtin" };
	static const char *const nb_path = "/proc/sys/kernel/numa_balancing";
	const size_t n = 8, len = n * HPAGE;
	char *raw, *p, nb[16];
	bool have_nb;
	unsigned long a;
	struct decoded d;
	size_t blen, i, w;
	char *t;

	/*
	 * NUMA balancing (on by default with two nodes) would turn the THPs
	 * into PROT_NONE NUMA hints behind the test's back (seen on 6.1):
	 * off until the test ends.
	 */
	have_nb = ptwalk_read_file(nb_path, nb, sizeof(nb)) &&
		  ptwalk_write_file(nb_path, "0");
	raw = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, raw);
	p = (char *)(((unsigned long)raw + HPAGE - 1) & ~(HPAGE - 1));
	a = (unsigned long)p;
	if (madvise(p, len, MADV_HUGEPAGE))
		SKIP(goto out, "MADV_HUGEPAGE refused (THP disabled?)");
	memset(p, 1, len);
	for (i = 0; i < n; i++)
		if (!(kpageflags(pagemap_entry(0, a + i * HPAGE) & PTWALK_PM_PFRAME_MASK) &
		      (1ULL << KPF_THP)))
			SKIP(goto out, "no THP at 2M %zu: THP unavailable", i);
	for (w = 0; w < 4; w++) {
		char q[PTWALK_QUERY_MAX];
		bool protnone = w >= 2;

		if (w == 2)
			ASSERT_EQ(0, mprotect(p, len, PROT_NONE));
		snprintf(q, sizeof(q), "pid=self start=0x%lx end=0x%lx walker=%s format=binary",
			 a, a + len, walkers[w % 2]);
		t = ptwalk_query(PTWALK_WALK, q, &blen);
		ASSERT_NE(NULL, t);
		ASSERT_EQ(0, decode(t, blen, &d));
		/* Would catch: a THP reported as 4K entries, or lost. */
		ASSERT_EQ(n, d.n) TH_LOG("%s", walkers[w % 2]);
		/*
		 * Would catch: 2M entries never folded.  arm64 too: its frame
		 * field is bits 12-49 (ptwalk_raw_pfn_mask()), so DBM (bit 51)
		 * is one of the entry's other bits and a writable THP folds.
		 */
		EXPECT_LT(0UL, d.mores) TH_LOG("%s", walkers[w % 2]);
		for (i = 0; i < n; i++) {
			uint64_t pm = pagemap_entry(0, a + i * HPAGE);

			EXPECT_EQ(a + i * HPAGE, d.e[i].vaddr) TH_LOG("%s THP %zu", walkers[w % 2], i);
			EXPECT_EQ(21, d.e[i].shift);
			EXPECT_EQ(PTWALK_LVL_PMD, d.e[i].level);
			EXPECT_EQ(pm & PTWALK_PM_PFRAME_MASK, d.e[i].pfn) TH_LOG("%s THP %zu", walkers[w % 2], i);
			EXPECT_EQ(protnone, !!(d.e[i].bits & PTWALK_B_PROTNONE));
			/* Would catch: a frame rebuilt in the wrong form. */
			if (ARM64) {	/* arm64 never inverts a frame */
				EXPECT_EQ((pm & PTWALK_PM_PFRAME_MASK) << 12,
					  d.e[i].raw & RAW_PFN_MASK) TH_LOG("THP %zu", i);
			} else {
				EXPECT_EQ(ptwalk_raw_pfn_field(pm & PTWALK_PM_PFRAME_MASK, protnone ?
							       PTWALK_PFN_INVERTED : PTWALK_PFN_PLAIN, 21),
					  d.e[i].raw & PTWALK_RAW_PFN_MASK) TH_LOG("THP %zu", i);
			}
			EXPECT_TRUE(!!(d.e[i].page & PTWALK_P_THP));
			/* Would catch: a split by the walk. */
			EXPECT_TRUE(!!(kpageflags(pm & PTWALK_PM_PFRAME_MASK) & (1ULL << KPF_THP)));
		}
		free(d.e);
		free(t);
	}
out:
	munmap(raw, len + HPAGE);
	if (have_nb)
		ptwalk_write_file(nb_path, nb);
}

/*
 * A run of PROT_NONE pages, as NUMA balancing leaves a whole region between
 * its scan and the hinting faults: x86 stores their frames inverted, and
 * they fold into MOREs all the same, each with pagemap's frame.
 */
TEST(protnone_run)
{
	static const char *const walkers[] = { "kernel", "builtin" };
	const size_t n = 64;
	struct decoded d;
	size_t blen, i, w;
	unsigned long a;
	char *p, *t;

	const char *why;

	if (access(PTWALK_WALK, R_OK | W_OK))
		SKIP(return, "ptwalk.ko not loaded (%s)", PTWALK_WALK);
	/* zram, as walk_test's swapped state: fold runs before any other. */
	why = ptwalk_swap_setup();
	if (why)
		SKIP(return, "no swap: %s", why);
	p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	a = (unsigned long)p;
	ASSERT_EQ(0, madvise(p, n * PAGE, MADV_NOHUGEPAGE));
	for (i = 0; i < n; i++)
		p[i * PAGE] = 1;
	ASSERT_EQ(0, mprotect(p, n * PAGE, PROT_NONE));
	for (w = 0; w < 2; w++) {
		char q[PTWALK_QUERY_MAX];

		snprintf(q, sizeof(q), "pid=self start=0x%lx end=0x%lx walker=%s format=binary",
			 a, a + n * PAGE, walkers[w]);
		t = ptwalk_query(PTWALK_WALK, q, &blen);
		ASSERT_NE(NULL, t);
		ASSERT_EQ(0, decode(t, blen, &d));
		ASSERT_EQ(n, d.n) TH_LOG("%s", walkers[w]);
		/* Would catch: PROT_NONE runs sent one full record per page. */
		EXPECT_LT(n / PTWALK_MORE_MAX - 2, d.mores) TH_LOG("%s", walkers[w]);
		for (i = 0; i < n; i++) {
			uint64_t pfn = pagemap_entry(0, a + i * PAGE) & PTWALK_PM_PFRAME_MASK;

			EXPECT_EQ(a + i * PAGE, d.e[i].vaddr);
			EXPECT_TRUE(!!(d.e[i].bits & PTWALK_B_PROTNONE)) TH_LOG("page %zu", i);
			/* Would catch: a folded entry keeping the first frame. */
			EXPECT_EQ(pfn, d.e[i].pfn) TH_LOG("%s page %zu", walkers[w], i);
			/* Would catch: the frame rebuilt plain, not inverted (x86). */
			if (ARM64) {
				EXPECT_EQ(pfn << 12, d.e[i].raw & RAW_PFN_MASK) TH_LOG("page %zu", i);
			} else {
				EXPECT_EQ(ptwalk_raw_pfn_field(pfn, PTWALK_PFN_INVERTED, 12),
					  d.e[i].raw & PTWALK_RAW_PFN_MASK) TH_LOG("page %zu", i);
			}
		}
		free(d.e);
		free(t);
	}
	munmap(p, n * PAGE);
}

/*
 * Debugfs readers pass one buffer on to the next query: an answer must be
 * exactly what its own query wrote, nothing of a larger answer before it.
 */
TEST(reused_buffer_carries_nothing_over)
{
	static const char *const fmts[] = { "binary", "text", "merged" };
	char q[PTWALK_QUERY_MAX], *t, *hole;
	size_t len, f;
	unsigned long a;

	if (access(PTWALK_WALK, R_OK | W_OK))
		SKIP(return, "ptwalk.ko not loaded (%s)", PTWALK_WALK);
	hole = mmap(NULL, HPAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap(hole, HPAGE));
	a = (unsigned long)hole;
	for (f = 0; f < 3; f++) {
		/* A whole address space fills the buffer at least once. */
		snprintf(q, sizeof(q), "pid=self format=%s", fmts[f]);
		t = ptwalk_query(PTWALK_WALK, q, &len);
		ASSERT_NE(NULL, t);
		ASSERT_LT(4096UL, len);
		free(t);
		snprintf(q, sizeof(q), "pid=self start=0x%lx end=0x%lx format=%s",
			 a, a + HPAGE, fmts[f]);
		t = ptwalk_query(PTWALK_WALK, q, &len);
		ASSERT_NE(NULL, t);
		/* Would catch: bytes of the earlier answer after this one's. */
		if (f == 0) {
			const struct ptwalk_hdr *h = (const void *)t;
			const struct ptwalk_end *e = (const void *)(t + sizeof(*h));

			/* The header and the end record: nothing else. */
			ASSERT_EQ(sizeof(*h) + sizeof(*e), len);
			EXPECT_EQ(PTWALK_MAGIC, h->magic);
			EXPECT_EQ(a, h->start);
			EXPECT_EQ(PTWALK_REC_END, e->type);
			EXPECT_EQ(0ULL, e->entries);
			EXPECT_EQ(0ULL, e->vmas);
		} else {
			const char *l;

			EXPECT_EQ(0, strncmp(t, "# ptwalk ", 9)) TH_LOG("%.80s", t);
			EXPECT_EQ(strlen(t), len);
			ASSERT_EQ('\n', t[len - 1]);
			/* Only comment lines (header, end): nothing is mapped. */
			for (l = t; l < t + len; l = strchr(l, '\n') + 1)
				EXPECT_EQ('#', *l) TH_LOG("%s", t);
		}
		free(t);
	}
}

static long lock_holds(void)
{
	char *v = ptwalk_status("lock_holds");
	long n = v ? strtol(v, NULL, 10) : -1;

	free(v);
	return n;
}

/* Holds of the mmap lock one binary walk of [a, a + len) takes. */
static long holds_for_walk(unsigned long a, size_t len)
{
	char q[PTWALK_QUERY_MAX];
	long before = lock_holds();
	size_t blen;
	char *t;

	snprintf(q, sizeof(q), "pid=self start=0x%lx end=0x%lx format=binary", a, a + len);
	t = ptwalk_query(PTWALK_WALK, q, &blen);
	if (!t)
		return -1;
	free(t);
	return lock_holds() - before;
}

/*
 * The lock is held for bounded work, not for the whole walk: 160 MiB of 4K
 * pages need at least three holds (32 PTE tables each at most), while
 * 64 MiB of THPs (32 huge entries) fit in one.  Structure, not timing.
 */
TEST(lock_held_for_bounded_work)
{
	const size_t dense = 160UL << 20, huge = 64UL << 20;
	char *raw, *p;
	long n;

	p = mmap(NULL, dense, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, madvise(p, dense, MADV_NOHUGEPAGE));
	memset(p, 1, dense);
	n = holds_for_walk((unsigned long)p, dense);
	/* Would catch: the whole range walked under one hold. */
	EXPECT_LE(3, n) TH_LOG("%ld holds for 160 MiB of 4K pages", n);
	munmap(p, dense);

	raw = mmap(NULL, huge + HPAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, raw);
	p = (char *)(((unsigned long)raw + HPAGE - 1) & ~(HPAGE - 1));
	if (madvise(p, huge, MADV_HUGEPAGE))
		SKIP(goto out, "MADV_HUGEPAGE refused");
	memset(p, 1, huge);
	if (!(kpageflags(pagemap_entry(0, (unsigned long)p) & PTWALK_PM_PFRAME_MASK) & (1ULL << KPF_THP)))
		SKIP(goto out, "no THP: THP unavailable");
	n = holds_for_walk((unsigned long)p, huge);
	/*
	 * Would catch: huge entries charged like PTE tables (a hold per
	 * 64 MiB).  A chunk ends at a 1 GiB boundary too.
	 */
	EXPECT_EQ(1 + (((unsigned long)p >> 30) != (((unsigned long)p + huge - 1) >> 30)), n)
		TH_LOG("%ld holds for 64 MiB of THPs", n);
out:
	munmap(raw, huge + HPAGE);
}

/*
 * The answer to @q read @chunk bytes at a time (a multiple of the record
 * size): every read() is a buffer of its own in the module, so a run that
 * goes on past one continues in the next.  Return: malloc'd, or NULL.
 */
static char *read_in_chunks(const char *q, size_t chunk, size_t *lenp)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd = open(PTWALK_WALK, O_RDWR);

	if (!buf || fd < 0 || write(fd, q, strlen(q)) < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, chunk)) > 0) {
		len += n;
		if (cap - len < chunk) {
			char *b = realloc(buf, cap *= 2);

			if (!b)
				break;
			buf = b;
		}
	}
	close(fd);
	*lenp = len;
	return buf;
}

/*
 * @n written 4K pages (no THP) for a swap test, or NULL with what is
 * missing in *@why: ptwalk.ko, swap (zram, as walk_test's swapped state),
 * or memory.
 */
static char *swap_test_pages(size_t n, const char **why)
{
	char *p;
	size_t i;

	*why = "ptwalk.ko not loaded (" PTWALK_WALK ")";
	if (access(PTWALK_WALK, R_OK | W_OK))
		return NULL;
	*why = ptwalk_swap_setup();
	if (*why)
		return NULL;
	*why = "mmap failed";
	p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, n * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < n; i++)
		p[i * PAGE] = (char)i;
	return p;
}

/*
 * A run of swapped-out pages: consecutive slots fold into SWAPRUN records,
 * read whole and read 7 records at a time (so runs continue across the
 * module's buffers), each page with pagemap's type and offset and a raw
 * that holds them.
 */
TEST(swap_run)
{
	static const char *const walkers[] = { "kernel", "builtin" };
	const size_t n = 2048;
	size_t blen, i, w, swapped = 0;
	struct decoded d;
	unsigned long a;
	const char *why;
	char *p, *t;

	p = swap_test_pages(n, &why);
	if (!p)
		SKIP(return, "%s", why);
	a = (unsigned long)p;
	if (madvise(p, n * PAGE, 21 /* MADV_PAGEOUT */))
		SKIP(goto out, "MADV_PAGEOUT refused");
	for (i = 0; i < n; i++)
		swapped += !!(pagemap_entry(0, a + i * PAGE) & PTWALK_PM_SWAP);
	if (swapped < n / 2)
		SKIP(goto out, "only %zu of %zu pages swapped out: is swap enabled?", swapped, n);
	for (w = 0; w < 4; w++) {
		char q[PTWALK_QUERY_MAX];
		size_t records;

		snprintf(q, sizeof(q), "pid=self start=0x%lx end=0x%lx walker=%s format=binary",
			 a, a + n * PAGE, walkers[w % 2]);
		t = w < 2 ? ptwalk_query(PTWALK_WALK, q, &blen) :
			    read_in_chunks(q, 7 * sizeof(struct ptwalk_rec), &blen);
		ASSERT_NE(NULL, t);
		ASSERT_EQ(0, decode(t, blen, &d));
		records = (blen - sizeof(struct ptwalk_hdr)) / sizeof(struct ptwalk_rec);
		/*
		 * Would catch: swap entries sent one record per page.  arm64:
		 * one record per entry, as x86's SWAPRUN step would rebuild a
		 * wrong raw (see the top of this file): would catch arm64 folded so.
		 */
		if (ARM64) {
			EXPECT_EQ(0UL, d.swapruns) TH_LOG("%s", walkers[w % 2]);
		} else {
			EXPECT_LT(0UL, d.swapruns) TH_LOG("%s", walkers[w % 2]);
			if (w < 2)
				EXPECT_GT(swapped / 8, records) TH_LOG("%zu records", records);
		}
		for (i = 0; i < d.n; i++) {
			uint64_t pm = pagemap_entry(0, d.e[i].vaddr);

			ASSERT_LE(a, d.e[i].vaddr);
			ASSERT_GT(a + n * PAGE, d.e[i].vaddr);
			if (!(pm & PTWALK_PM_SWAP))
				continue;	/* swapped in meanwhile, or never out */
			/* Would catch: a run continuing the wrong slot or page. */
			EXPECT_EQ(PTWALK_K_SWAP, d.e[i].kind) TH_LOG("entry %zu", i);
			EXPECT_EQ(ptwalk_pm_swap_offset(pm), d.e[i].swap_offset)
				TH_LOG("%s entry %zu of %zu", walkers[w % 2], i, d.n);
			EXPECT_EQ(ptwalk_pm_swap_type(pm), d.e[i].swap_type);
			/* Would catch: raw not stepped with the slot (x86: inverted). */
			if (ARM64) {	/* plain, from bit 12 (6.12+) or 8 (6.1) */
				EXPECT_TRUE(((d.e[i].raw >> 12) & ((1ULL << 50) - 1)) ==
					    d.e[i].swap_offset ||
					    ((d.e[i].raw >> 8) & ((1ULL << 50) - 1)) ==
					    d.e[i].swap_offset) TH_LOG("entry %zu", i);
			} else {
				EXPECT_EQ(~d.e[i].swap_offset & ((1ULL << 50) - 1),
					  (d.e[i].raw >> 9) & ((1ULL << 50) - 1)) TH_LOG("entry %zu", i);
			}
		}
		EXPECT_EQ(n, d.n) TH_LOG("%s", walkers[w % 2]);
		free(d.e);
		free(t);
	}
out:
	munmap(p, n * PAGE);
}

/*
 * Swap runs that break: the second half of the region paged out before
 * the first (its slots come first, so the offsets jump back at the half),
 * every 37th page read back in (present between swap entries), and a
 * read-only VMA in the middle.  The walker folds the next slot of a run
 * without building its record (ptwalk_swap_continues()): every page must
 * still come out as pagemap has it, the run ending exactly where the slot
 * or the entry's other bits stop continuing, read whole, 7 records and 1
 * record at a time (a run then resumes in a later read).
 */
TEST(swap_run_breaks)
{
	static const char *const walkers[] = { "kernel", "builtin" };
	static const size_t chunks[] = { 0, 7 * sizeof(struct ptwalk_rec),
					 sizeof(struct ptwalk_rec) };
	const size_t n = 2048, half = n / 2;
	size_t blen, i, w, c, swapped = 0, present = 0, breaks = 0;
	uint64_t prev = 0;
	struct decoded d;
	unsigned long a;
	const char *why;
	volatile char sink;
	char *p, *t;
	FILE *f;

	p = swap_test_pages(n, &why);
	if (!p)
		SKIP(return, "%s", why);
	a = (unsigned long)p;
	/* Soft-dirty (x86) on one page in five: a run's raw changes there. */
	f = fopen("/proc/self/clear_refs", "w");
	if (f) {
		fputs("4", f);
		fclose(f);
	}
	for (i = 0; i < n; i += 5)
		p[i * PAGE] = (char)(i + 1);
	if (madvise(p + half * PAGE, half * PAGE, 21 /* MADV_PAGEOUT */) ||
	    madvise(p, half * PAGE, 21))
		SKIP(goto out, "MADV_PAGEOUT refused");
	for (i = 5; i < n; i += 37)
		sink = p[i * PAGE];
	(void)sink;
	ASSERT_EQ(0, mprotect(p + 600 * PAGE, 10 * PAGE, PROT_READ));
	for (i = 0; i < n; i++) {
		uint64_t pm = pagemap_entry(0, a + i * PAGE);

		if (pm & PTWALK_PM_SWAP) {
			if (swapped && i && ptwalk_pm_swap_offset(pm) != prev + 1)
				breaks++;
			prev = ptwalk_pm_swap_offset(pm);
			swapped++;
		} else if (pm & PTWALK_PM_PRESENT) {
			present++;
		}
	}
	if (swapped < n / 2)
		SKIP(goto out, "only %zu of %zu pages swapped out: is swap enabled?", swapped, n);
	/* Would catch: a region whose runs never break (this test's point). */
	ASSERT_LT(50UL, breaks) TH_LOG("%zu breaks", breaks);
	for (w = 0; w < 2; w++) {
		for (c = 0; c < ARRAY_SIZE(chunks); c++) {
			char q[PTWALK_QUERY_MAX];

			snprintf(q, sizeof(q),
				 "pid=self start=0x%lx end=0x%lx walker=%s format=binary",
				 a, a + n * PAGE, walkers[w]);
			t = chunks[c] ? read_in_chunks(q, chunks[c], &blen) :
					ptwalk_query(PTWALK_WALK, q, &blen);
			ASSERT_NE(NULL, t);
			ASSERT_EQ(0, decode(t, blen, &d));
			if (!ARM64)
				EXPECT_LT(0UL, d.swapruns) TH_LOG("%s", walkers[w]);
			/* Would catch: a page lost or told twice where a run broke. */
			EXPECT_EQ(swapped + present, d.n)
				TH_LOG("%s, reads of %zu: %zu entries", walkers[w], chunks[c], d.n);
			for (i = 0; i < d.n; i++) {
				uint64_t pm = pagemap_entry(0, d.e[i].vaddr);

				ASSERT_EQ(a + i * PAGE, d.e[i].vaddr)
					TH_LOG("%s, reads of %zu: entry %zu", walkers[w], chunks[c], i);
				if (pm & PTWALK_PM_SWAP) {
					/* Would catch: a run folding past a break. */
					EXPECT_EQ(PTWALK_K_SWAP, d.e[i].kind) TH_LOG("page %zu", i);
					EXPECT_EQ(ptwalk_pm_swap_offset(pm), d.e[i].swap_offset)
						TH_LOG("%s, reads of %zu: page %zu", walkers[w],
						       chunks[c], i);
					EXPECT_EQ(ptwalk_pm_swap_type(pm), d.e[i].swap_type);
					if (!ARM64)
						EXPECT_EQ(~d.e[i].swap_offset & ((1ULL << 50) - 1),
							  (d.e[i].raw >> 9) & ((1ULL << 50) - 1))
							TH_LOG("page %zu", i);
					/* Would catch: a run folded past a change of bits. */
					EXPECT_EQ(!!(pm & PTWALK_PM_SOFT_DIRTY),
						  !!(d.e[i].bits & PTWALK_B_SOFT_DIRTY))
						TH_LOG("%s, reads of %zu: page %zu", walkers[w],
						       chunks[c], i);
				} else {
					EXPECT_EQ(PTWALK_K_PRESENT, d.e[i].kind) TH_LOG("page %zu", i);
					EXPECT_EQ(pm & PTWALK_PM_PFRAME_MASK, d.e[i].pfn)
						TH_LOG("page %zu", i);
				}
			}
			free(d.e);
			free(t);
		}
	}
out:
	munmap(p, n * PAGE);
}

TEST_HARNESS_MAIN
