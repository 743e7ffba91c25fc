// SPDX-License-Identifier: GPL-2.0
/*
 * lib_test - libptwalk on the host: parsing the module's binary stream,
 * VMA names, merging, names and sizes, and rejecting corrupt streams.
 * Streams are built here, record by record, as the module writes them.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kernel-page-flags.h>

#include "kselftest_harness.h"
#include "libptwalk.h"
#include "ptwalk_names.h"

#include "stream.h"

static void hdr(struct stream *s)
{
	stream_hdr(s, sizeof(struct ptwalk_rec), PTWALK_WALKER_KERNEL, 42, "demo");
}

static void vma(struct stream *s, uint64_t start, uint64_t end, const char *name)
{
	stream_vma(s, sizeof(struct ptwalk_rec), start, end, name);
}

static struct ptwalk_rec entry(uint64_t va, uint64_t pfn)
{
	struct ptwalk_rec r = {
		.type = PTWALK_REC_ENTRY, .vaddr = va, .pfn = pfn, .shift = 12,
		.level = PTWALK_LVL_PTE, .kind = PTWALK_K_PRESENT,
		.bits = PTWALK_B_PRESENT | PTWALK_B_RW | PTWALK_B_USER,
		.page = PTWALK_P_ANON | PTWALK_P_ANON_EXCL, .mapcount = 1,
		.refcount = 1, .cow = PTWALK_COW_WRITABLE,
		.raw = (pfn << 12) | 0x67,	/* P W U A D, as the module reads it */
	};

	return r;
}

TEST(parse_vmas_names_entries)
{
	const char *longname = "/usr/lib/x86_64-linux-gnu/a-rather-long-library-name.so.6";
	struct ptw_result res;
	struct stream *s = calloc(1, sizeof(*s));
	struct ptwalk_rec r;
	char err[256];
	int i;

	ASSERT_NE(NULL, s);
	hdr(s);
	vma(s, 0x1000, 0x9000, longname);
	for (i = 0; i < 4; i++) {
		r = entry(0x1000 + i * 0x1000, 0x500 + i);
		put(s, &r, sizeof(r));
	}
	stream_vma_flags(s, sizeof(r), 0x20000, 0x21000, 0x1234,
			 PTWALK_VMA_READ | PTWALK_VMA_SOFTDIRTY | PTWALK_VMA_FILE, "[heap]");
	r = entry(0x20000, 0x900);
	put(s, &r, sizeof(r));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(42U, res.hdr.pid);
	EXPECT_STREQ("demo", res.hdr.comm);
	ASSERT_EQ(2U, res.nvmas);
	/* Would catch: struct ptwalk_vma read as the old ENTRY-shaped layout. */
	EXPECT_EQ(0x20000ULL, res.vmas[1].start);
	EXPECT_EQ(0x21000ULL, res.vmas[1].end);
	EXPECT_EQ(0x1234ULL, res.vmas[1].pgoff);
	EXPECT_EQ(PTWALK_VMA_READ | PTWALK_VMA_SOFTDIRTY | PTWALK_VMA_FILE, res.vmas[1].flags);
	/* A name longer than one NAME record survives whole. */
	EXPECT_STREQ(longname, res.vmas[0].name);
	EXPECT_STREQ("[heap]", res.vmas[1].name);
	ASSERT_EQ(5U, res.nrecs);
	EXPECT_EQ(0U, res.rec_vma[3]);
	EXPECT_EQ(1U, res.rec_vma[4]);
	ptw_free(&res);
	free(s);
}

/* The run rule of ptwalk.h, as ptw_runs() and the module use it. */
TEST(merge_rules)
{
	struct ptwalk_rec a = entry(0x1000, 0x500), b = entry(0x2000, 0x501);

	EXPECT_TRUE(ptwalk_run_continues(&a, 1, &b, 0));
	b.pfn = 0x600;				/* PFN gap */
	EXPECT_FALSE(ptwalk_run_continues(&a, 1, &b, 0));
	EXPECT_TRUE(ptwalk_run_continues(&a, 1, &b, 1));	/* PFNs hidden */
	b = entry(0x3000, 0x501);		/* address gap */
	EXPECT_FALSE(ptwalk_run_continues(&a, 1, &b, 0));
	b = entry(0x2000, 0x501);
	b.cow = PTWALK_COW_COPY;		/* other attributes */
	EXPECT_FALSE(ptwalk_run_continues(&a, 1, &b, 0));
	b = entry(0x3000, 0x502);		/* third of a run of two */
	EXPECT_TRUE(ptwalk_run_continues(&a, 2, &b, 0));
	/* Would catch: a 2M run stepping by 4K frames. */
	a.shift = b.shift = 21;
	b.vaddr = a.vaddr + (2ULL << 20);
	b.pfn = a.pfn + 1;
	EXPECT_FALSE(ptwalk_run_continues(&a, 1, &b, 0));
	b.pfn = a.pfn + 512;
	EXPECT_TRUE(ptwalk_run_continues(&a, 1, &b, 0));
	/* Swapped: the next swap slot, not the next frame. */
	a = entry(0x1000, 0);
	a.kind = PTWALK_K_SWAP;
	a.swap_offset = 0x50;
	b = a;
	b.vaddr = 0x2000;
	b.swap_offset = 0x51;
	EXPECT_TRUE(ptwalk_run_continues(&a, 1, &b, 0));
	b.swap_offset = 0x52;
	EXPECT_FALSE(ptwalk_run_continues(&a, 1, &b, 0));
}

TEST(names_and_sizes)
{
	char buf[128];

	EXPECT_STREQ("P,W,U", ptw_names(buf, sizeof(buf), PTWALK_B_PRESENT |
					PTWALK_B_RW | PTWALK_B_USER, PTWALK_B_HW_MASK,
					ptwalk_bit_names));
	EXPECT_STREQ("-", ptw_names(buf, sizeof(buf), 0, ~0U, ptwalk_bit_names));
	EXPECT_STREQ("anon,excl", ptw_names(buf, sizeof(buf), PTWALK_P_ANON |
					    PTWALK_P_ANON_EXCL | PTWALK_P_LRU,
					    ~PTWALK_P_PGFLAGS_MASK, ptwalk_page_names));
	EXPECT_STREQ("4K", ptw_size(buf, sizeof(buf), 4096));
	EXPECT_STREQ("2M", ptw_size(buf, sizeof(buf), 2 << 20));
	EXPECT_STREQ("1.5G", ptw_size(buf, sizeof(buf), 3ULL << 29));
	EXPECT_NE(NULL, strstr(ptw_cow_words(PTWALK_COW_COPY), "copies"));
}

/*
 * arm64 GCS (Linux 6.13+): synthetic descriptors, as pgtable-prot.h of 7.2
 * encodes them; no guest can make one (QEMU 7.2 has no FEAT_GCS).
 */
TEST(arm64_gcs_entries)
{
	/* valid page, AP[1] USER, ISH, AF, nG, a frame */
	const uint64_t base = 0x3 | (1ULL << 6) | (3ULL << 8) | (1ULL << 10) |
			      (1ULL << 11) | (0x4242ULL << 12);
	const uint64_t uxn = 1ULL << 54, pxn = 1ULL << 53, write = 1ULL << 51;
	char buf[128];

	/* _PAGE_GCS and _PAGE_GCS_RO: UXN and USER without PXN. */
	EXPECT_EQ(0xbU, ptwalk_arm64_pi_index(base | uxn | write));
	EXPECT_TRUE(ptwalk_arm64_is_gcs(base | uxn | write));
	EXPECT_EQ(0x9U, ptwalk_arm64_pi_index(base | uxn));
	EXPECT_TRUE(ptwalk_arm64_is_gcs(base | uxn));
	/* Would catch: ordinary user data (PXN always set) taken for GCS. */
	EXPECT_FALSE(ptwalk_arm64_is_gcs(base | uxn | pxn | write));
	EXPECT_FALSE(ptwalk_arm64_is_gcs(base | uxn | pxn));
	EXPECT_FALSE(ptwalk_arm64_is_gcs(base | pxn));	/* read-only exec */
	/* Kernel text/data (no USER), and an invalid entry. */
	EXPECT_FALSE(ptwalk_arm64_is_gcs((base & ~(1ULL << 6)) | uxn | write));
	EXPECT_FALSE(ptwalk_arm64_is_gcs((base & ~1ULL) | uxn | write));
	/* The names a stream's arm64 bits print with. */
	EXPECT_STREQ("gcs", ptw_names(buf, sizeof(buf), PTWALK_B_ARM64_GCS,
				      PTWALK_B_SW_MASK, ptwalk_arm64_bit_names));
	EXPECT_STREQ("special,sh-tcr,nGnRE",
		     ptw_names(buf, sizeof(buf), PTWALK_B_SPECIAL | PTWALK_B_ARM64_SH_TCR |
			       PTWALK_B_ARM64_NGNRE, PTWALK_B_SW_MASK, ptwalk_arm64_bit_names));
	EXPECT_STREQ("nGnRnE", ptw_names(buf, sizeof(buf), PTWALK_B_ARM64_NGNRNE,
					 PTWALK_B_SW_MASK, ptwalk_arm64_bit_names));
	/* x86 streams have none of these names. */
	EXPECT_STREQ("-", ptw_names(buf, sizeof(buf), PTWALK_B_ARM64_GCS,
				    PTWALK_B_SW_MASK, ptwalk_bit_names));
}

/* Each corruption, and the bug that accepting it would be. */
TEST(rejects_corrupt_streams)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	size_t good, last;

	ASSERT_NE(NULL, s);
	hdr(s);
	vma(s, 0x1000, 0x2000, "x");
	r = entry(0x1000, 1);
	put(s, &r, sizeof(r));
	good = stream_end(s);
	last = s->len - sizeof(r);	/* the entry, before the END */
	ASSERT_EQ(0, ptw_parse(s->buf, good, &res, err, sizeof(err)));
	ptw_free(&res);

	EXPECT_EQ(-1, ptw_parse(s->buf, 10, &res, err, sizeof(err)));	/* short */
	EXPECT_EQ(-1, ptw_parse(s->buf, good - 1, &res, err, sizeof(err))); /* truncated */
	EXPECT_NE(NULL, strstr(err, "truncated"));
	s->buf[0] ^= 1;						/* magic */
	EXPECT_EQ(-1, ptw_parse(s->buf, good, &res, err, sizeof(err)));
	s->buf[0] ^= 1;
	s->buf[last + offsetof(struct ptwalk_rec, type)] = 99;
	EXPECT_EQ(-1, ptw_parse(s->buf, good, &res, err, sizeof(err))); /* type */
	s->buf[last + offsetof(struct ptwalk_rec, type)] = PTWALK_REC_ENTRY;
	s->buf[last + offsetof(struct ptwalk_rec, shift)] = 13;
	EXPECT_EQ(-1, ptw_parse(s->buf, good, &res, err, sizeof(err))); /* shift */
	/* A NAME record with no VMA before it. */
	hdr(s);
	memset(&r, 0, sizeof(r));
	r.type = PTWALK_REC_NAME;
	put(s, &r, sizeof(r));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	free(s);
}

/* Version 2: an entry followed by MOREs expands to one record a page. */
TEST(more_records_expand)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptwalk_more m = { .type = PTWALK_REC_MORE };
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	int i;

	ASSERT_NE(NULL, s);
	hdr(s);
	vma(s, 0x10000, 0x40000, "[anon]");
	r = entry(0x10000, 0x800);
	r.raw = 0x8000000000800067ULL;	/* NX, pfn 0x800, P W U A D */
	put(s, &r, sizeof(r));
	m.count = PTWALK_MORE_MAX;
	for (i = 0; i < PTWALK_MORE_MAX; i++)
		m.pfn[i] = 0x900 + i;
	put(s, &m, sizeof(m));
	memset(&m, 0, sizeof(m));
	m.type = PTWALK_REC_MORE;
	m.count = 2;
	m.pfn[0] = 0x123456789ULL;
	m.pfn[1] = 0x7;
	put(s, &m, sizeof(m));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	/* Would catch: MOREs dropped, miscounted or not chained. */
	ASSERT_EQ(1 + PTWALK_MORE_MAX + 2, (int)res.nrecs);
	for (i = 1; i < (int)res.nrecs; i++) {
		const struct ptwalk_rec *e = &res.recs[i];

		/* Would catch: a MORE entry that is not its predecessor + 4K. */
		EXPECT_EQ(0x10000ULL + i * 0x1000, e->vaddr);
		EXPECT_EQ(r.bits, e->bits);
		EXPECT_EQ(r.page, e->page);
		EXPECT_EQ(r.cow, e->cow);
		EXPECT_EQ(r.mapcount, e->mapcount);
		EXPECT_EQ(0U, res.rec_vma[i]);
		/* Would catch: raw keeping the first frame, or losing NX/flags. */
		EXPECT_EQ((r.raw & ~PTWALK_RAW_PFN_MASK) | (e->pfn << 12), e->raw);
	}
	EXPECT_EQ(0x900ULL, res.recs[1].pfn);
	EXPECT_EQ(0x905ULL, res.recs[PTWALK_MORE_MAX].pfn);
	EXPECT_EQ(0x123456789ULL, res.recs[PTWALK_MORE_MAX + 1].pfn);
	EXPECT_EQ(0x7ULL, res.recs[PTWALK_MORE_MAX + 2].pfn);
	ptw_free(&res);
	free(s);
}

/* A swap entry of slot @off, raw as x86 holds it: type 1, offset inverted. */
static struct ptwalk_rec swap_entry(uint64_t va, uint64_t off)
{
	struct ptwalk_rec r = {
		.type = PTWALK_REC_ENTRY, .vaddr = va, .swap_offset = off, .swap_type = 1,
		.shift = 12, .level = PTWALK_LVL_PTE, .kind = PTWALK_K_SWAP,
		.bits = PTWALK_B_SOFT_DIRTY, .node = -1,
		.raw = (1ULL << 59) | ((~off & ((1ULL << 50) - 1)) << 9) | 0x80,
	};

	return r;
}

static void put_swaprun(struct stream *s, uint32_t count)
{
	struct ptwalk_swaprun sr = { .type = PTWALK_REC_SWAPRUN, .count = count };

	put(s, &sr, sizeof(sr));
}

/*
 * SWAPRUNs: each stands for entries in the next slots, chained, also as
 * the first record after another SWAPRUN (a new read's buffer in the
 * module), raw stepping with the inverted offset.
 */
TEST(swaprun_records_expand)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	int i;

	ASSERT_NE(NULL, s);
	hdr(s);
	vma(s, 0x10000, 0x400000, "[anon]");
	r = swap_entry(0x10000, 0x50);
	put(s, &r, sizeof(r));
	put_swaprun(s, PTWALK_SWAPRUN_MAX);
	put_swaprun(s, 3);
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	/* Would catch: SWAPRUNs dropped, miscounted or not chained. */
	ASSERT_EQ(1 + PTWALK_SWAPRUN_MAX + 3, (int)res.nrecs);
	for (i = 0; i < (int)res.nrecs; i++) {
		struct ptwalk_rec want = swap_entry(0x10000 + i * 0x1000ULL, 0x50 + i);

		/* Would catch: raw not stepped, or any other field changed. */
		EXPECT_EQ(0, memcmp(&want, &res.recs[i], sizeof(want))) TH_LOG("entry %d", i);
	}
	ptw_free(&res);
	free(s);
}

/* The unprivileged view: offsets read 0 and raw its flags only; a run keeps them. */
TEST(swaprun_hidden)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	int i;

	ASSERT_NE(NULL, s);
	hdr(s);
	((struct ptwalk_hdr *)s->buf)->flags |= PTWALK_H_PHYS_HIDDEN;
	vma(s, 0x10000, 0x400000, "[anon]");
	r = swap_entry(0x10000, 0);
	r.raw = ptwalk_hide_raw(r.raw, 0);
	r.swap_type = 0;
	put(s, &r, sizeof(r));
	put_swaprun(s, 9);
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(10, (int)res.nrecs);
	for (i = 0; i < 10; i++) {
		EXPECT_EQ(0x10000 + i * 0x1000ULL, res.recs[i].vaddr);
		/* Would catch: hidden slots or raw bits invented by stepping. */
		EXPECT_EQ(0ULL, res.recs[i].swap_offset);
		EXPECT_EQ(r.raw, res.recs[i].raw);
	}
	ptw_free(&res);
	free(s);
}

/* What a SWAPRUN may not follow or claim. */
TEST(swaprun_refused)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	int k;

	ASSERT_NE(NULL, s);
	for (k = 0; k < 5; k++) {
		hdr(s);
		vma(s, 0x10000, 0x400000, "[anon]");
		switch (k) {
		case 0:		/* after a present entry */
			r = entry(0x10000, 0x800);
			put(s, &r, sizeof(r));
			put_swaprun(s, 1);
			break;
		case 1:		/* count 0 */
			r = swap_entry(0x10000, 5);
			put(s, &r, sizeof(r));
			put_swaprun(s, 0);
			break;
		case 2:		/* over PTWALK_SWAPRUN_MAX */
			r = swap_entry(0x10000, 5);
			put(s, &r, sizeof(r));
			put_swaprun(s, PTWALK_SWAPRUN_MAX + 1);
			break;
		case 3:		/* past the header's end: a hostile count */
			r = swap_entry((1ULL << 47) - 0x2000, 5);
			put(s, &r, sizeof(r));
			put_swaprun(s, 2);
			break;
		default:	/* with no entry before it */
			put_swaprun(s, 1);
			break;
		}
		EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)))
			TH_LOG("case %d", k);
		if (k < 4)
			EXPECT_NE(NULL, strstr(err, "SWAPRUN")) TH_LOG("case %d: %s", k, err);
	}
	free(s);
}

/*
 * ptw_parse_count() (ptwalk summary) gives what ptw_parse() + ptw_count()
 * give, filters too, on the recorded answers and on MORE and SWAPRUN
 * streams, and refuses what ptw_parse() refuses.
 */
TEST(parse_count_equals_count)
{
	static const char *const files[] = {
		"tests/fixtures/states.ptw", "tests/fixtures/sleep.ptw",
		"tests/fixtures/bad-endcount.ptw", "tests/fixtures/bad-noend.ptw",
		"tests/fixtures/bad-truncated.ptw",
	};
	struct ptw_filter filters[4] = { { .node = -1 }, { .present = true, .node = -1 },
					 { .vma = "lib", .node = -1 }, { .anon = true, .node = 0 } };
	struct stream *s = calloc(1, sizeof(*s));
	size_t i, k;

	ASSERT_NE(NULL, s);
	for (i = 0; i <= sizeof(files) / sizeof(files[0]); i++) {
		struct ptw_result a, b;
		struct ptw_counts *ca, *cb;
		char err[256];
		void *buf;
		size_t len;

		if (i < sizeof(files) / sizeof(files[0])) {
			ASSERT_EQ(0, ptw_read_file(files[i], &buf, &len, err, sizeof(err)));
		} else {
			struct ptwalk_more m = { .type = PTWALK_REC_MORE, .count = 2,
						 .pfn = { 0x901, 0x777 } };
			struct ptwalk_rec r;

			hdr(s);
			vma(s, 0x10000, 0x400000, "[anon]");
			r = entry(0x10000, 0x900);
			put(s, &r, sizeof(r));
			put(s, &m, sizeof(m));
			r = swap_entry(0x20000, 7);
			put(s, &r, sizeof(r));
			put_swaprun(s, 40);
			len = stream_end(s);
			buf = malloc(len);
			memcpy(buf, s->buf, len);
		}
		for (k = 0; k < 4; k++) {
			int pa = ptw_parse(buf, len, &a, err, sizeof(err));

			cb = ptw_parse_count(buf, len, &b, &filters[k], err, sizeof(err));
			/* Would catch: a corrupt answer counted instead of refused. */
			EXPECT_EQ(pa == 0, cb != NULL) TH_LOG("%s", i < 5 ? files[i] : "stream");
			if (pa || !cb) {
				if (!pa)
					ptw_free(&a);
				free(cb);
				continue;
			}
			ca = ptw_count(&a, &filters[k]);
			ASSERT_NE(NULL, ca);
			EXPECT_EQ(a.nrecs, b.nrecs);
			EXPECT_EQ(a.nvmas, b.nvmas);
			/* Would catch: a MORE or SWAPRUN counted from the wrong entry. */
			EXPECT_EQ(0, memcmp(ca, cb, (a.nvmas + 1) * sizeof(*ca)))
				TH_LOG("%s filter %zu", i < 5 ? files[i] : "stream", k);
			free(ca);
			free(cb);
			ptw_free(&a);
			ptw_free(&b);
		}
		free(buf);
	}
	free(s);
}

/* ---- format=summary answers (ptw_parse_summary()) ---- */

/* A summary answer for what @a's entries say, as the module would write it. */
static size_t summary_of(struct stream *s, const struct ptw_result *a, const struct ptw_counts *c,
			 bool hidden)
{
	struct ptwalk_hdr h;
	size_t i, j;

	stream_hdr(s, PTWALK_REC_SIZE, PTWALK_WALKER_KERNEL, a->hdr.pid, "demo");
	memcpy(&h, s->buf, sizeof(h));
	h.flags = PTWALK_H_SUMMARY | (hidden ? PTWALK_H_PHYS_HIDDEN : 0);
	h.start = a->hdr.start;
	h.end = a->hdr.end;
	memcpy(s->buf, &h, sizeof(h));
	for (i = 0; i < a->nvmas; i++) {
		const struct ptw_vma *v = &a->vmas[i];
		struct ptwalk_summary m = {
			.type = PTWALK_REC_SUMMARY, .present = c[i].present,
			.swapped = c[i].swapped, .thp = c[i].thp, .hugetlb = c[i].hugetlb,
			.zero = c[i].zero, .ksm = c[i].ksm, .cow = c[i].cow,
		};
		struct ptwalk_summary2 m2 = { .type = PTWALK_REC_SUMMARY2,
					      .soft_dirty = c[i].soft_dirty };

		for (j = 0; j < a->nrecs; j++) {
			const struct ptwalk_rec *r = &a->recs[j];

			if (a->rec_vma[j] != i)
				continue;
			m2.entries++;
			if (r->kind != PTWALK_K_PRESENT)
				continue;
			if (r->node >= 0 && r->node < PTWALK_SUM_NODES)
				m2.node[r->node] += ptw_pages(r);
			else
				m2.node_other += ptw_pages(r);
		}
		stream_vma_flags(s, PTWALK_REC_SIZE, v->start, v->end, v->pgoff, v->flags, v->name);
		put(s, &m, sizeof(m));
		put(s, &m2, sizeof(m2));
	}
	stream_end_rec(s, PTWALK_REC_SIZE, a->end.status, a->end.next, a->nrecs, a->nvmas,
		       a->end.error);
	return s->len;
}

/* The counts of a summary answer are the counts of the walk it sums. */
TEST(summary_counts_equal_walk_counts)
{
	static const char *const files[] = {
		"tests/fixtures/states.ptw", "tests/fixtures/sleep.ptw",
		"tests/fixtures/overview.ptw",
	};
	static const char *const vmas[] = { NULL, "lib", "[heap]" };
	struct stream *s = calloc(1, sizeof(*s));
	size_t i, k;

	ASSERT_NE(NULL, s);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct ptw_result a, b;
		struct ptw_counts *ca, *cb;
		char err[256];
		void *buf;
		size_t len;

		ASSERT_EQ(0, ptw_read_file(files[i], &buf, &len, err, sizeof(err)));
		ASSERT_EQ(0, ptw_parse(buf, len, &a, err, sizeof(err))) TH_LOG("%s", err);
		free(buf);
		ca = ptw_count(&a, NULL);
		ASSERT_NE(NULL, ca);
		len = summary_of(s, &a, ca, a.hdr.flags & PTWALK_H_PHYS_HIDDEN);
		/* A summary is no walk, a walk no summary. */
		EXPECT_NE(0, ptw_parse(s->buf, len, &b, err, sizeof(err)));
		EXPECT_NE(NULL, strstr(err, "summary")) TH_LOG("%s", err);
		for (k = 0; k < sizeof(vmas) / sizeof(vmas[0]); k++) {
			struct ptw_filter f = { .vma = vmas[k], .node = -1 };
			struct ptw_counts *cf = ptw_count(&a, &f);

			ASSERT_NE(NULL, cf);
			cb = ptw_parse_summary(s->buf, len, &b, vmas[k], err, sizeof(err));
			ASSERT_NE(NULL, cb) TH_LOG("%s: %s", files[i], err);
			EXPECT_EQ(a.nrecs, b.nrecs);
			EXPECT_EQ(a.nvmas, b.nvmas);
			EXPECT_EQ(0, memcmp(&a.hdr, &b.hdr, offsetof(struct ptwalk_hdr, flags)));
			EXPECT_EQ(0, memcmp(cf, cb, (a.nvmas + 1) * sizeof(*cf)))
				TH_LOG("%s vma %s", files[i], vmas[k] ? vmas[k] : "-");
			EXPECT_EQ(0, strcmp(a.vmas[a.nvmas - 1].name, b.vmas[b.nvmas - 1].name));
			free(cf);
			free(cb);
			ptw_free(&b);
		}
		ASSERT_EQ(0, ptw_read_file(files[i], &buf, &len, err, sizeof(err)));
		EXPECT_EQ(NULL, ptw_parse_summary(buf, len, &b, NULL, err, sizeof(err)));
		EXPECT_NE(NULL, strstr(err, "not a summary")) TH_LOG("%s", err);
		free(buf);
		free(ca);
		ptw_free(&a);
	}
	free(s);
}

/* Every way a summary answer can be malformed is refused, not counted. */
TEST(summary_rejects_corrupt)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptwalk_summary m = { .type = PTWALK_REC_SUMMARY, .present = 3, .cow = 1 };
	struct ptwalk_summary2 m2 = { .type = PTWALK_REC_SUMMARY2, .entries = 3,
				      .node = { 2, 1 } };
	enum { OK, NO_SUMMARY, NO_SUMMARY2, TWICE, NODES, TOO_MANY, KSM_HIDDEN, ENTRY,
	       END_COUNT, NAME_AFTER, BEFORE_VMA, SUMMARY2_ALONE, NCASES };
	struct ptw_result b;
	struct ptw_counts *c;
	char err[256];
	int t;

	ASSERT_NE(NULL, s);
	for (t = 0; t < NCASES; t++) {
		struct ptwalk_summary mm = m;
		struct ptwalk_summary2 mm2 = m2;
		struct ptwalk_hdr h;
		__u64 entries = 3;
		size_t len;

		if (t == NODES)
			mm2.node[1] = 2;
		if (t == TOO_MANY)
			mm.swapped = 1021;	/* with 3 present, more than the VMA's 1023 pages */
		if (t == KSM_HIDDEN)
			mm.ksm = 1;
		stream_hdr(s, PTWALK_REC_SIZE, PTWALK_WALKER_KERNEL, 42, "demo");
		memcpy(&h, s->buf, sizeof(h));
		h.flags = PTWALK_H_SUMMARY | (t == KSM_HIDDEN ? PTWALK_H_PHYS_HIDDEN : 0);
		memcpy(s->buf, &h, sizeof(h));
		if (t == BEFORE_VMA)
			put(s, &mm, sizeof(mm));
		vma(s, 0x1000, 0x400000, "[anon]");
		if (t == ENTRY) {
			struct ptwalk_rec r = entry(0x1000, 0x900);

			put(s, &r, sizeof(r));
		}
		if (t != NO_SUMMARY && t != BEFORE_VMA && t != SUMMARY2_ALONE)
			put(s, &mm, sizeof(mm));
		if (t == NAME_AFTER)
			stream_any(s, &(struct ptwalk_name){ .type = PTWALK_REC_NAME, .name = "x" },
				   PTWALK_REC_SIZE);
		if (t != NO_SUMMARY2)
			put(s, &mm2, sizeof(mm2));
		if (t == TWICE) {
			put(s, &mm, sizeof(mm));
			put(s, &mm2, sizeof(mm2));
		}
		if (t == END_COUNT)
			entries = 4;
		stream_end_rec(s, PTWALK_REC_SIZE, PTWALK_END_COMPLETE, h.end,
			       entries + (t == ENTRY), 1, 0);
		len = s->len;
		c = ptw_parse_summary(s->buf, len, &b, NULL, err, sizeof(err));
		if (t == OK) {
			ASSERT_NE(NULL, c) TH_LOG("%s", err);
			EXPECT_EQ(3ULL, c[0].present);
			EXPECT_EQ(1ULL, c[0].cow);
			EXPECT_EQ(3U, b.nrecs);
			free(c);
			ptw_free(&b);
			continue;
		}
		/* Would catch: a malformed summary counted. */
		EXPECT_EQ(NULL, c) TH_LOG("case %d accepted", t);
		free(c);
	}
}

/* A stream bigger than struct stream holds, for parse_groups_equals_runs_and_groups. */
struct big {
	unsigned char *buf;
	size_t len, cap;
	uint64_t entries, vmas, seed;
};

static void big_put(struct big *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->cap + n) * 2;
		b->buf = realloc(b->buf, b->cap);
		if (!b->buf)
			abort();
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static uint64_t big_rand(struct big *b, uint64_t n)
{
	b->seed ^= b->seed << 13;
	b->seed ^= b->seed >> 7;
	b->seed ^= b->seed << 17;
	return b->seed % n;
}

/*
 * A walk of @nvmas VMAs of every shape the overview meets: runs of 4K
 * pages in MOREs whose frames continue or jump, sparse pages, 2M entries
 * in MOREs, PROT_NONE (inverted) entries, swap entries in SWAPRUNs whose
 * slots continue or jump, attributes that change now and then (bits,
 * accessed and dirty among them, page facts, cow, node), VMAs of
 * different names; @hidden: the unprivileged view.
 */
static void big_stream(struct big *b, struct stream *scratch, int nvmas, bool hidden)
{
	static const char *const names[] = { "[anon]", "[heap]", "/usr/lib/libc.so.6", "" };
	struct ptwalk_end e = { .type = PTWALK_REC_END, .status = PTWALK_END_COMPLETE };
	uint64_t va = 0x10000000, pfn = 0x1000, slot = 0x40;
	int v;

	hdr(scratch);
	if (hidden)
		((struct ptwalk_hdr *)scratch->buf)->flags |= PTWALK_H_PHYS_HIDDEN;
	b->len = b->entries = b->vmas = 0;
	big_put(b, scratch->buf, scratch->len);
	for (v = 0; v < nvmas; v++) {
		uint64_t start = va, end = va + (64ULL << 20);
		int pieces = 1 + (int)big_rand(b, 12), k;

		scratch->len = 0;
		vma(scratch, start, end, names[big_rand(b, 4)]);
		big_put(b, scratch->buf, scratch->len);
		b->vmas++;
		for (k = 0; k < pieces && va + (8ULL << 20) < end; k++) {
			uint64_t shape = big_rand(b, 5), n = 1 + big_rand(b, 300), i;
			struct ptwalk_rec r;

			if (shape == 3) {		/* swapped, slot after slot or not */
				r = swap_entry(va, slot);
				if (hidden) {
					r.swap_offset = 0;
					r.swap_type = 0;
					r.raw = ptwalk_hide_raw(r.raw, 0);
				}
				big_put(b, &r, sizeof(r));
				b->entries++;
				va += 0x1000;
				slot++;
				while (n > 1) {
					uint32_t c = (uint32_t)(n > 700 ? 512 : 1 + big_rand(b, n - 1));
					struct ptwalk_swaprun sr = { .type = PTWALK_REC_SWAPRUN, .count = c };

					if (va + ((uint64_t)c << 12) >= end - 0x100000)
						break;
					big_put(b, &sr, sizeof(sr));
					b->entries += c;
					va += (uint64_t)c << 12;
					slot += c;
					n -= c;
				}
				slot += big_rand(b, 3);	/* the next run may jump */
				va += big_rand(b, 3) << 12;
				continue;
			}
			r = entry(va, pfn);
			if (shape == 4) {		/* 2M entries */
				va = (va + (2ULL << 20) - 1) & ~((2ULL << 20) - 1);
				r.vaddr = va;
				r.shift = 21;
				r.level = PTWALK_LVL_PMD;
				r.page |= PTWALK_P_THP;
				r.raw = (pfn << 12) | 0xe7;
				n = 1 + big_rand(b, 3);
			}
			if (shape == 2) {		/* PROT_NONE: the frame inverted */
				r.bits = PTWALK_B_USER | PTWALK_B_ACCESSED;
				r.raw = ptwalk_raw_pfn_field(pfn, PTWALK_PFN_INVERTED, 12) | 0x20;
			}
			if (big_rand(b, 3) == 0)
				r.bits |= PTWALK_B_ACCESSED | PTWALK_B_DIRTY;
			if (big_rand(b, 4) == 0)
				r.page = PTWALK_P_FILE;
			r.cow = big_rand(b, 5) ? PTWALK_COW_WRITABLE : PTWALK_COW_COPY;
			r.node = (__s8)big_rand(b, 2);
			big_put(b, &r, sizeof(r));
			b->entries++;
			if (shape == 1) {		/* sparse: single pages, gaps between */
				va += (1 + big_rand(b, 16)) << 12;
				pfn += 1 + big_rand(b, 2);
				continue;
			}
			pfn += 1ULL << (r.shift - 12);
			va += 1ULL << r.shift;
			for (i = 1; i < n; ) {
				struct ptwalk_more m = { .type = PTWALK_REC_MORE };
				unsigned int c = 1 + (unsigned int)big_rand(b, PTWALK_MORE_MAX), j;

				if (va + ((uint64_t)c << r.shift) >= end - 0x400000)
					break;
				for (j = 0; j < c; j++) {
					if (big_rand(b, 8) == 0)	/* a frame elsewhere */
						pfn += 1 + big_rand(b, 1000);
					m.pfn[j] = pfn;
					pfn += 1ULL << (r.shift - 12);
					va += 1ULL << r.shift;
				}
				m.count = (__u8)c;
				big_put(b, &m, sizeof(m));
				b->entries += c;
				i += c;
			}
			va += big_rand(b, 2) << 12;
		}
		va = end + (big_rand(b, 2) << 20);
	}
	e.entries = b->entries;
	e.vmas = b->vmas;
	e.next = ((struct ptwalk_hdr *)b->buf)->end;
	big_put(b, &e, sizeof(e));
}

/* memcmp() of @n bytes, which may be none (and the pointers NULL). */
static bool same_bytes(const void *a, const void *b, size_t n)
{
	return !n || (a && b && !memcmp(a, b, n));
}

/*
 * ptw_parse_groups_fd() on @buf's @len bytes coming through a pipe, the
 * writer (a child) writing @chunk bytes at a time, so reads end inside
 * the header and inside records.  Return: what it returned.
 */
static long groups_through_pipe(const void *buf, size_t len, size_t chunk,
				struct ptw_result *res, const struct ptw_filter *f,
				struct ptw_run **runs, size_t *nruns, struct ptw_group **groups,
				char *err, size_t errlen)
{
	int fds[2], status;
	pid_t child;
	long ng;

	if (pipe(fds))
		return -2;
	child = fork();
	if (child < 0)
		return -2;
	if (!child) {
		size_t off = 0;

		close(fds[0]);
		while (off < len) {
			size_t n = len - off < chunk ? len - off : chunk;
			ssize_t w = write(fds[1], (const char *)buf + off, n);

			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	ng = ptw_parse_groups_fd(fds[0], "pipe", res, f, runs, nruns, groups, err, errlen);
	/* A refused stream is not read to its end: the writer may be blocked. */
	kill(child, SIGKILL);
	close(fds[0]);
	waitpid(child, &status, 0);
	return ng;
}

/*
 * The answer read as it comes (ptw_parse_groups_fd(), what the overview
 * uses) against the whole answer parsed at once, on every stream of the
 * test below and on cuts of it: the same groups, runs and result, or the
 * same error, whatever the reads' sizes.
 */
static void check_streamed(struct __test_metadata *_metadata, const void *buf, size_t len,
			   const struct ptw_filter *f, const char *what)
{
	static const size_t chunks[] = { 1, 63, 64, 65, 4103, 1 << 20 };
	size_t cuts[] = { len, len - 1, len - 64, len / 2, 200, 10, 0 };
	size_t c, k;

	for (k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
		size_t l = cuts[k] > len ? len : cuts[k];
		struct ptw_group *ga = NULL, *gb = NULL;
		struct ptw_run *ra = NULL, *rb = NULL;
		struct ptw_result a, b;
		size_t na, nb;
		char ea[256] = "", eb[256] = "";
		long nga = ptw_parse_groups(buf, l, &a, f, &ra, &na, &ga, ea, sizeof(ea));

		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			/* 1-byte writes of a big stream: only for the short cuts. */
			if (chunks[c] == 1 && l > 20000)
				continue;
			long ngb = groups_through_pipe(buf, l, chunks[c], &b, f, &rb, &nb, &gb, eb,
						       sizeof(eb));

			/* Would catch: a record split by a read lost, or a cut stream taken. */
			ASSERT_EQ(nga, ngb) TH_LOG("%s cut %zu of %zu, writes of %zu: %s / %s",
						   what, l, len, chunks[c], ea, eb);
			if (nga < 0) {
				EXPECT_STREQ(ea, eb) TH_LOG("%s cut %zu, writes of %zu", what, l,
							    chunks[c]);
				continue;
			}
			EXPECT_EQ(na, nb);
			EXPECT_EQ(a.nrecs, b.nrecs);
			ASSERT_EQ(a.nvmas, b.nvmas);
			EXPECT_TRUE(same_bytes(a.vmas, b.vmas, a.nvmas * sizeof(*a.vmas)));
			EXPECT_EQ(0, memcmp(&a.hdr, &b.hdr, sizeof(a.hdr)));
			EXPECT_EQ(0, memcmp(&a.end, &b.end, sizeof(a.end)));
			EXPECT_TRUE(same_bytes(ra, rb, na * sizeof(*ra))) TH_LOG("%s", what);
			EXPECT_TRUE(same_bytes(ga, gb, (size_t)nga * sizeof(*ga))) TH_LOG("%s", what);
			free(rb);
			free(gb);
			ptw_free(&b);
		}
		if (nga >= 0)
			ptw_free(&a);
		free(ra);
		free(ga);
	}
}

/*
 * ptw_parse_groups() (ptwalk PID, its --frames and --json) gives the runs
 * and groups that ptw_parse() + ptw_runs() + ptw_groups() give, field for
 * field, with every filter, on the recorded answers and on big streams of
 * every shape, and refuses what ptw_parse() refuses: the overview's
 * output, made of them, is the same byte for byte.
 */
TEST(parse_groups_equals_runs_and_groups)
{
	static const char *const files[] = {
		"tests/fixtures/states.ptw", "tests/fixtures/sleep.ptw",
		"tests/fixtures/overview.ptw", "tests/fixtures/bad-endcount.ptw",
		"tests/fixtures/bad-noend.ptw", "tests/fixtures/bad-truncated.ptw",
		"tests/fixtures/bad-shift.ptw",
	};
	const size_t nfiles = sizeof(files) / sizeof(files[0]);
	struct ptw_filter filters[] = {
		{ .node = -1 }, { .present = true, .node = -1 }, { .swapped = true, .node = -1 },
		{ .huge = true, .node = -1 }, { .cow = true, .node = -1 },
		{ .anon = true, .node = 1 }, { .file = true, .node = -1 },
		{ .vma = "lib", .node = -1 },
	};
	const size_t nfilters = sizeof(filters) / sizeof(filters[0]);
	struct stream *s = calloc(1, sizeof(*s));
	struct big b = { .seed = 0x9e3779b97f4a7c15ULL };
	size_t i, k, compared = 0, big_entries = 0;

	ASSERT_NE(NULL, s);
	for (i = 0; i < nfiles + 25; i++) {
		char err[256], what[64];
		void *buf;
		size_t len;

		if (i < nfiles) {
			ASSERT_EQ(0, ptw_read_file(files[i], &buf, &len, err, sizeof(err)));
			snprintf(what, sizeof(what), "%s", files[i]);
		} else if (i == nfiles + 24) {
			/*
			 * Hostile: a 2M-sized swap entry at the PTE level starts a
			 * run that a 4K one 2M on continues; the SWAPRUN after it
			 * does not (4K on, not 2M).
			 */
			struct ptwalk_rec r = swap_entry(0x200000, 9);

			hdr(s);
			vma(s, 0x200000, 0x800000, "[anon]");
			r.shift = 21;
			put(s, &r, sizeof(r));
			r = swap_entry(0x400000, 10);
			put(s, &r, sizeof(r));
			put_swaprun(s, 5);
			/* The same with frames: a 2M-sized 4K-level entry, then a MORE. */
			vma(s, 0x800000, 0x1000000, "[anon]");
			r = entry(0x800000, 0x100);
			put(s, &r, sizeof(r));
			r = entry(0x801000, 0x101);
			r.shift = 21;
			put(s, &r, sizeof(r));
			{
				struct ptwalk_more m = { .type = PTWALK_REC_MORE, .count = 3,
							 .pfn = { 0x102, 0x103, 0x104 } };

				put(s, &m, sizeof(m));
			}
			len = stream_end(s);
			buf = malloc(len);
			ASSERT_NE(NULL, buf);
			memcpy(buf, s->buf, len);
			snprintf(what, sizeof(what), "hostile swap runs");
		} else {
			big_stream(&b, s, 1 + (int)(i - nfiles) * 3, (i - nfiles) % 4 == 3);
			len = b.len;
			buf = malloc(len);
			ASSERT_NE(NULL, buf);
			memcpy(buf, b.buf, len);
			big_entries += b.entries;
			snprintf(what, sizeof(what), "big stream %zu", i - nfiles);
		}
		for (k = 0; k < nfilters * 2; k++) {
			const struct ptw_filter *f = k < nfilters ? &filters[k] : NULL;
			struct ptw_run *ra = NULL, *rb = NULL;
			struct ptw_group *ga = NULL, *gb = NULL;
			struct ptw_result a, bres;
			long na = -1, nga = -1, ngb;
			size_t nrb;
			bool with_runs = k < nfilters || k % 2;
			int pa = ptw_parse(buf, len, &a, err, sizeof(err));

			if (k >= nfilters)	/* also no filter at all, with and without runs */
				f = k % 2 ? NULL : &filters[0];
			if (!pa) {
				na = ptw_runs(&a, f, &ra);
				ASSERT_LE(0, na);
				nga = ptw_groups(ra, (size_t)na, &ga);
				ASSERT_LE(0, nga);
			}
			ngb = ptw_parse_groups(buf, len, &bres, f, with_runs ? &rb : NULL, &nrb, &gb,
					       err, sizeof(err));
			/* Would catch: a corrupt answer grouped instead of refused. */
			ASSERT_EQ(pa == 0, ngb >= 0) TH_LOG("%s: %s", what, err);
			if (pa) {
				EXPECT_EQ(NULL, gb);
				continue;
			}
			EXPECT_EQ(a.nrecs, bres.nrecs) TH_LOG("%s", what);
			EXPECT_EQ(NULL, bres.recs);
			ASSERT_EQ(a.nvmas, bres.nvmas) TH_LOG("%s", what);
			EXPECT_TRUE(same_bytes(a.vmas, bres.vmas, a.nvmas * sizeof(*a.vmas)));
			EXPECT_EQ(0, memcmp(&a.hdr, &bres.hdr, sizeof(a.hdr)));
			EXPECT_EQ(0, memcmp(&a.end, &bres.end, sizeof(a.end)));
			/* Would catch: a MORE or SWAPRUN run joined, split or miscounted. */
			ASSERT_EQ((size_t)na, nrb) TH_LOG("%s filter %zu", what, k);
			ASSERT_EQ(nga, ngb) TH_LOG("%s filter %zu", what, k);
			if (with_runs)
				EXPECT_TRUE(same_bytes(ra, rb, (size_t)na * sizeof(*ra)))
					TH_LOG("%s filter %zu", what, k);
			EXPECT_TRUE(same_bytes(ga, gb, (size_t)nga * sizeof(*ga)))
				TH_LOG("%s filter %zu", what, k);
			compared++;
			free(ra);
			free(rb);
			free(ga);
			free(gb);
			ptw_free(&a);
			ptw_free(&bres);
		}
		/* Read as it comes: every 4th stream, two filters (the time it takes). */
		if (i % 4 == 0 || i >= nfiles + 24) {
			check_streamed(_metadata, buf, len, NULL, what);
			check_streamed(_metadata, buf, len, &filters[2], what);
		}
		free(buf);
	}
	/* The big streams are big: tens of thousands of entries each. */
	EXPECT_LT(400000UL, big_entries);
	EXPECT_LT(300UL, compared);
	free(b.buf);
	free(s);
}

/* THPs: a MORE after a 2M entry steps 2M at a time. */
TEST(more_records_after_a_2m_entry)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptwalk_more m = { .type = PTWALK_REC_MORE, .count = 3,
				 .pfn = { 0x400, 0xa00, 0x600 } };
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	int i;

	ASSERT_NE(NULL, s);
	hdr(s);
	r = entry(0x40000000, 0x200);
	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.order = 9;
	r.page |= PTWALK_P_THP;
	r.raw = (0x200ULL << 12) | 0x80000000000000e7ULL;	/* PS, NX */
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(4, (int)res.nrecs);
	for (i = 1; i < 4; i++) {
		/* Would catch: a 4K step, or the PS/NX bits lost. */
		EXPECT_EQ(0x40000000ULL + i * (2ULL << 20), res.recs[i].vaddr);
		EXPECT_EQ(m.pfn[i - 1], res.recs[i].pfn);
		EXPECT_EQ((m.pfn[i - 1] << 12) | 0x80000000000000e7ULL, res.recs[i].raw);
		EXPECT_EQ(21, res.recs[i].shift);
		EXPECT_EQ(9, res.recs[i].order);
	}
	ptw_free(&res);
	free(s);
}

/*
 * PROT_NONE and NUMA-hinting entries: x86 stores the complement of their
 * frame (L1TF), and a MORE after one holds its frames the same way.
 */
TEST(more_records_after_an_inverted_entry)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptwalk_more m = { .type = PTWALK_REC_MORE, .count = 3,
				 .pfn = { 0x801, 0x1234, 0x7 } };
	const uint64_t flags = 0x8000000000000120ULL;	/* NX, PROTNONE, A */
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	int i;

	ASSERT_NE(NULL, s);
	hdr(s);
	r = entry(0x10000, 0x800);
	r.bits = PTWALK_B_USER | PTWALK_B_ACCESSED | PTWALK_B_NX | PTWALK_B_PROTNONE;
	r.cow = PTWALK_COW_NONE;
	r.raw = flags | ((~0x800ULL << 12) & PTWALK_RAW_PFN_MASK);
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(4, (int)res.nrecs);
	for (i = 1; i < 4; i++) {
		/* Would catch: a plain frame put into an inverted entry. */
		EXPECT_EQ(flags | ((~m.pfn[i - 1] << 12) & PTWALK_RAW_PFN_MASK),
			  res.recs[i].raw);
		EXPECT_EQ(m.pfn[i - 1], res.recs[i].pfn);
		EXPECT_EQ(r.bits, res.recs[i].bits);
	}
	ptw_free(&res);

	/* Physical addresses hidden: pfn 0 and a zero field, plain form. */
	hdr(s);
	r.pfn = 0;
	r.raw = flags;
	put(s, &r, sizeof(r));
	memset(m.pfn, 0, sizeof(m.pfn));
	put(s, &m, sizeof(m));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(4, (int)res.nrecs);
	for (i = 1; i < 4; i++)
		EXPECT_EQ(flags, res.recs[i].raw);
	ptw_free(&res);

	/* A 2M PROT_NONE entry: x86 inverts only the bits from 21 up. */
	hdr(s);
	r = entry(0x40000000, 0x200);
	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.bits = PTWALK_B_USER | PTWALK_B_PSE | PTWALK_B_PROTNONE;
	r.raw = 0x1a0ULL | ((~(0x200ULL << 12) & ~0x1fffffULL) & PTWALK_RAW_PFN_MASK);
	put(s, &r, sizeof(r));
	m.count = 2;
	m.pfn[0] = 0x400;
	m.pfn[1] = 0xa00;
	put(s, &m, sizeof(m));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(3, (int)res.nrecs);
	for (i = 1; i < 3; i++)
		/* Would catch: bits 12-20 inverted too, or the frame plain. */
		EXPECT_EQ(0x1a0ULL | ((~(m.pfn[i - 1] << 12) & ~0x1fffffULL) &
				      PTWALK_RAW_PFN_MASK), res.recs[i].raw);
	ptw_free(&res);

	/* Each form is its own: the field neither plain nor inverted. */
	r = entry(0x10000, 0x800);
	r.bits = PTWALK_B_USER | PTWALK_B_ACCESSED | PTWALK_B_NX | PTWALK_B_PROTNONE;
	hdr(s);
	r.pfn = 0x800;
	r.raw = flags | ((~0x801ULL << 12) & PTWALK_RAW_PFN_MASK);
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	free(s);
}

/* An arm64 stream's header: hdr() with arch = PTWALK_ARCH_ARM64. */
static void hdr_arm64(struct stream *s)
{
	hdr(s);
	((struct ptwalk_hdr *)s->buf)->arch = PTWALK_ARCH_ARM64;
}

/*
 * arm64: the frame sits in bits 12-49, plainly; DBM (the kernel's
 * PTE_WRITE, bit 51) and GP (50) are other bits.  A writable entry's MOREs
 * expand with them kept, frames up to bit 49 included.
 */
TEST(more_records_arm64_writable)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptwalk_more m = { .type = PTWALK_REC_MORE, .count = 3,
				 .pfn = { 0x801, 0x3ffffffffULL, 0x7 } };
	/* UXN PXN DBM GP, nG AF ISH AP[1] page valid */
	const uint64_t flags = (1ULL << 54) | (1ULL << 53) | (1ULL << 51) |
			       (1ULL << 50) | 0xf43;
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	int i;

	ASSERT_NE(NULL, s);
	hdr_arm64(s);
	r = entry(0x10000, 0x800);
	r.bits |= PTWALK_B_ARM64_DBM | PTWALK_B_ARM64_GP | PTWALK_B_ARM64_NG;
	r.raw = flags | (0x800ULL << 12);
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	/* Would catch: the x86 field (bits 12-51) used, DBM taken for a frame bit. */
	ASSERT_EQ(4, (int)res.nrecs);
	for (i = 1; i < 4; i++) {
		EXPECT_EQ(flags | (m.pfn[i - 1] << 12), res.recs[i].raw);
		EXPECT_EQ(m.pfn[i - 1], res.recs[i].pfn);
		EXPECT_EQ(r.bits, res.recs[i].bits);
	}
	ptw_free(&res);
	EXPECT_EQ(PTWALK_PFN_PLAIN, ptwalk_raw_pfn_form_arch(r.raw, 0x800, 12, PTWALK_ARCH_ARM64));
	EXPECT_EQ(PTWALK_PFN_OTHER, ptwalk_raw_pfn_form_arch(r.raw, 0x800, 12, PTWALK_ARCH_X86_64));

	/* The same entry in an x86-64 stream: bits 50-51 are frame bits there. */
	hdr(s);
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));

	/* arm64 has no inverted form: x86's PROT_NONE encoding is corruption. */
	hdr_arm64(s);
	r.raw = flags | ((~0x800ULL << 12) & PTWALK_ARM64_RAW_PFN_MASK);
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));

	/* Nor is a field holding another frame than pfn. */
	hdr_arm64(s);
	r.raw = flags | (0x801ULL << 12);
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));

	/* Hidden: pfn 0, a zero field, the flags kept. */
	hdr_arm64(s);
	r.pfn = 0;
	r.raw = flags;
	put(s, &r, sizeof(r));
	memset(m.pfn, 0, sizeof(m.pfn));
	put(s, &m, sizeof(m));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(4, (int)res.nrecs);
	for (i = 1; i < 4; i++)
		EXPECT_EQ(flags, res.recs[i].raw);
	ptw_free(&res);
	free(s);
}

/* A MORE anywhere but after a present entry it can continue is corruption. */
TEST(more_records_rejected_out_of_place)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptwalk_more m = { .type = PTWALK_REC_MORE, .count = 1, .pfn = { 5 } };
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];

	ASSERT_NE(NULL, s);
	/* after a VMA record: nothing to continue */
	hdr(s);
	vma(s, 0x10000, 0x40000, "x");
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	/* after a swap entry */
	hdr(s);
	r = entry(0x10000, 0);
	r.kind = PTWALK_K_SWAP;
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	/* after a 2M entry with PAT (bit 12) set: raw cannot be rebuilt */
	hdr(s);
	r = entry(0x200000, 0x200);
	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.raw = (0x200ULL << 12) | 0x10e7;
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	/* after an entry whose raw holds another frame than its pfn */
	hdr(s);
	r = entry(0x10000, 0x800);
	r.raw = (0x801ULL << 12) | 0x67;
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	/* count 0 and count above the maximum */
	hdr(s);
	r = entry(0x10000, 0x800);
	put(s, &r, sizeof(r));
	m.count = 0;
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	s->len -= sizeof(m);
	m.count = PTWALK_MORE_MAX + 1;
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	/* and with a count in range, the same stream is fine */
	s->len -= sizeof(m);
	m.count = 1;
	put(s, &m, sizeof(m));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(2, (int)res.nrecs);
	ptw_free(&res);
	free(s);
}

/* The END record: the only way to tell a whole answer from a cut one. */
TEST(end_record_required_last_and_counted)
{
	struct stream *s = calloc(1, sizeof(*s));
	const size_t rs = sizeof(struct ptwalk_rec);
	struct ptwalk_more m = { .type = PTWALK_REC_MORE, .count = 6,
				 .pfn = { 2, 3, 4, 5, 6, 7 } };
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	size_t body;

	ASSERT_NE(NULL, s);
	hdr(s);
	vma(s, 0x1000, 0x9000, "x");
	r = entry(0x1000, 1);
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	body = s->len;

	/* Would catch: a stream cut at a record boundary taken as whole. */
	EXPECT_EQ(-1, ptw_parse(s->buf, body, &res, err, sizeof(err)));
	EXPECT_STREQ("truncated answer: no end record", err);
	EXPECT_EQ(NULL, res.recs);

	/* Would catch: END counted as records, not as entries with MOREs. */
	stream_end_rec(s, rs, PTWALK_END_COMPLETE, 1ULL << 47, 7, 1, 0);
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(7U, res.nrecs);
	EXPECT_EQ(PTWALK_END_COMPLETE, res.end.status);
	EXPECT_EQ(1ULL << 47, res.end.next);
	ptw_free(&res);

	/* Would catch: anything accepted after the END. */
	r = entry(0x8000, 9);
	put(s, &r, sizeof(r));
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "after the end record")) TH_LOG("%s", err);
	s->len = body;
	stream_end_rec(s, rs, PTWALK_END_COMPLETE, 1ULL << 47, 7, 1, 0);
	stream_end_rec(s, rs, PTWALK_END_COMPLETE, 1ULL << 47, 7, 1, 0);
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("two ENDs");

	/* Would catch: an END whose counts disagree with the stream. */
	s->len = body;
	stream_end_rec(s, rs, PTWALK_END_COMPLETE, 1ULL << 47, 2, 1, 0);
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	EXPECT_STREQ("corrupt answer: end record says 2 entries, stream has 7", err);
	s->len = body;
	stream_end_rec(s, rs, PTWALK_END_COMPLETE, 1ULL << 47, 7, 2, 0);
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	EXPECT_STREQ("corrupt answer: end record says 2 VMAs, stream has 1", err);
	s->len = body;
	stream_end_rec(s, rs, 0, 1ULL << 47, 7, 1, 0);	/* no such status */
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	s->len = body;
	stream_end_rec(s, rs, PTWALK_END_STOPPED + 1, 1ULL << 47, 7, 1, 0);
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));

	/* A single-address answer has at most one entry. */
	s->len = body;
	((struct ptwalk_hdr *)s->buf)->flags |= PTWALK_H_SINGLE;
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	free(s);
}

/* A single-address answer: LEVEL records in their own struct. */
TEST(level_records)
{
	struct stream *s = calloc(1, sizeof(*s));
	const size_t rs = sizeof(struct ptwalk_rec) + 8;
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];

	ASSERT_NE(NULL, s);
	stream_hdr(s, rs, PTWALK_WALKER_KERNEL, 42, "demo");
	((struct ptwalk_hdr *)s->buf)->flags |= PTWALK_H_SINGLE;
	stream_vma(s, rs, 0x1000, 0x9000, "x");
	stream_level(s, rs, 0x1000, PTWALK_LVL_PGD, PTWALK_K_TABLE, 255, 0x1234067,
		     0x99, PTWALK_B_PRESENT | PTWALK_B_RW);
	stream_level(s, rs, 0x1000, PTWALK_LVL_PTE, PTWALK_K_PRESENT, 1, 0x500067,
		     0x1234, PTWALK_B_PRESENT);
	r = entry(0x1000, 0x500);
	stream_rec(s, &r, rs);
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2U, res.nlevels);
	/* Would catch: the index read from subpage, the table from pfn. */
	EXPECT_EQ(255U, res.levels[0].index);
	EXPECT_EQ(0x99ULL, res.levels[0].table_pfn);
	EXPECT_EQ(PTWALK_LVL_PGD, res.levels[0].level);
	EXPECT_EQ(PTWALK_K_TABLE, res.levels[0].kind);
	EXPECT_EQ(PTWALK_B_PRESENT | PTWALK_B_RW, res.levels[0].bits);
	EXPECT_EQ(1U, res.levels[1].index);
	EXPECT_EQ(0x500067ULL, res.levels[1].raw);
	EXPECT_EQ(1U, res.nrecs);
	ptw_free(&res);
	/* A level no table has is corruption. */
	s->buf[sizeof(struct ptwalk_hdr) + rs + 2 * rs + offsetof(struct ptwalk_lvl, level)] = 9;
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "corrupt level record")) TH_LOG("%s", err);
	free(s);
}

/* raw, pkey and hardware bits 3, 4, 7, 8 mean what hdr.arch says. */
TEST(rejects_other_architectures)
{
	static const struct {
		__u8 arch;
		const char *err;
	} v[] = {
		{ 3, "this stream is from architecture 3, which this ptwalk cannot decode" },
		/* the pad byte of the old layout: a stream this reader would misread */
		{ 0, "this stream is from architecture 0, which this ptwalk cannot decode" },
		{ 200, "this stream is from architecture 200, which this ptwalk cannot decode" },
	};
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	size_t i, len;

	ASSERT_NE(NULL, s);
	hdr(s);
	r = entry(0x1000, 1);
	put(s, &r, sizeof(r));
	len = stream_end(s);
	ASSERT_EQ(0, ptw_parse(s->buf, len, &res, err, sizeof(err))) TH_LOG("%s", err);
	ptw_free(&res);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		((struct ptwalk_hdr *)s->buf)->arch = v[i].arch;
		EXPECT_EQ(-1, ptw_parse(s->buf, len, &res, err, sizeof(err)));
		EXPECT_STREQ(v[i].err, err);
		EXPECT_EQ(NULL, res.recs);
	}
	free(s);
}

/* An arm64 stream parses, and its bits take arm64's names from then on. */
TEST(decodes_arm64_streams)
{
	struct stream *s = calloc(1, sizeof(*s));
	const char *const *names;
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	size_t len;

	ASSERT_NE(NULL, s);
	hdr(s);
	((struct ptwalk_hdr *)s->buf)->arch = PTWALK_ARCH_ARM64;
	r = entry(0x1000, 1);
	put(s, &r, sizeof(r));
	len = stream_end(s);
	ASSERT_EQ(0, ptw_parse(s->buf, len, &res, err, sizeof(err))) TH_LOG("%s", err);
	names = ptw_bit_names();
	EXPECT_STREQ("CONT", names[PTWALK_BIT(PTWALK_B_ARM64_CONT)]);
	EXPECT_STREQ("nG", names[PTWALK_BIT(PTWALK_B_ARM64_NG)]);
	EXPECT_STREQ("W", names[PTWALK_BIT(PTWALK_B_RW)]);
	ptw_free(&res);
	/* ... and an x86-64 stream gives the x86 names back. */
	((struct ptwalk_hdr *)s->buf)->arch = PTWALK_ARCH_X86_64;
	ASSERT_EQ(0, ptw_parse(s->buf, len, &res, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("PCD", ptw_bit_names()[PTWALK_BIT(PTWALK_B_PCD)]);
	ptw_free(&res);
	free(s);
}

/* Only format 3 has END records: older streams cannot be trusted whole. */
TEST(rejects_other_formats)
{
	static const struct {
		__u16 version;
		const char *err;
	} v[] = {
		{ 1, "made by an older ptwalk.ko, format 1; this ptwalk reads format 3" },
		{ 2, "made by an older ptwalk.ko, format 2; this ptwalk reads format 3" },
		{ 4, "made by a newer ptwalk.ko, format 4; this ptwalk reads format 3" },
	};
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	size_t i, len;

	ASSERT_NE(NULL, s);
	hdr(s);
	r = entry(0x1000, 1);
	put(s, &r, sizeof(r));
	len = stream_end(s);
	ASSERT_EQ(0, ptw_parse(s->buf, len, &res, err, sizeof(err))) TH_LOG("%s", err);
	ptw_free(&res);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		((struct ptwalk_hdr *)s->buf)->version = v[i].version;
		EXPECT_EQ(-1, ptw_parse(s->buf, len, &res, err, sizeof(err)));
		EXPECT_STREQ(v[i].err, err);
	}
	free(s);
}

/* An answer cut short by the target's exit is data, and says so. */
TEST(exited_and_stopped_answers_are_returned)
{
	struct stream *s = calloc(1, sizeof(*s));
	const size_t rs = sizeof(struct ptwalk_rec);
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256], words[256];
	size_t body;

	ASSERT_NE(NULL, s);
	hdr(s);
	vma(s, 0x1000, 0x9000, "x");
	r = entry(0x1000, 1);
	put(s, &r, sizeof(r));
	r = entry(0x2000, 2);
	put(s, &r, sizeof(r));
	body = s->len;
	stream_end_rec(s, rs, PTWALK_END_EXITED, 0x3000, 2, 1, 0);
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(2U, res.nrecs) TH_LOG("the entries before the exit were dropped");
	EXPECT_EQ(PTWALK_END_EXITED, res.end.status);
	EXPECT_EQ(0x3000ULL, res.end.next);
	ASSERT_NE(NULL, ptw_end_words(&res, words, sizeof(words)));
	EXPECT_STREQ("pid 42 exited during the walk: the answer covers 0x0-0x3000 only", words);
	ptw_free(&res);

	s->len = body;
	stream_end_rec(s, rs, PTWALK_END_STOPPED, 0x3000, 2, 1, -ENOMEM);
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(-ENOMEM, res.end.error);
	ASSERT_NE(NULL, ptw_end_words(&res, words, sizeof(words)));
	EXPECT_STREQ("pid 42: the walk stopped at 0x3000: Cannot allocate memory", words);
	ptw_free(&res);

	s->len = body;
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(NULL, ptw_end_words(&res, words, sizeof(words))) TH_LOG("complete said incomplete");
	ptw_free(&res);
	free(s);
}

/* pagemap's soft-dirty rule, case by case, and the bug each would catch. */
TEST(soft_dirty_follows_pagemap)
{
	static const struct {
		uint32_t page, bits, vm_flags;
		bool sd;
		const char *words, *bug;
	} t[] = {
		{ PTWALK_P_ANON, 0, 0, false, "not soft-dirty", "clean page soft-dirty" },
		{ PTWALK_P_ANON, PTWALK_B_SOFT_DIRTY, 0, true, "soft-dirty (entry)",
		  "entry bit ignored" },
		{ PTWALK_P_ANON, 0, PTWALK_VMA_SOFTDIRTY, true, "soft-dirty (VMA)",
		  "VM_SOFTDIRTY ignored" },
		{ PTWALK_P_FILE, PTWALK_B_SOFT_DIRTY, PTWALK_VMA_SOFTDIRTY, true,
		  "soft-dirty (entry and VMA)", "both sources" },
		{ PTWALK_P_HUGETLB, PTWALK_B_SOFT_DIRTY, 0, false,
		  "not soft-dirty (hugetlb", "hugetlb entry bit taken, pagemap ignores it" },
		{ PTWALK_P_HUGETLB, 0, PTWALK_VMA_SOFTDIRTY, true, "soft-dirty (VMA)",
		  "hugetlb VM_SOFTDIRTY ignored" },
		{ PTWALK_P_HUGETLB, PTWALK_B_SOFT_DIRTY, PTWALK_VMA_SOFTDIRTY, true,
		  "soft-dirty (VMA)", "hugetlb said to be soft-dirty by its entry" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ptwalk_rec r = entry(0x1000, 1);

		r.page = t[i].page;
		r.bits |= t[i].bits;
		EXPECT_EQ(t[i].sd, ptw_soft_dirty(&r, t[i].vm_flags)) TH_LOG("%s", t[i].bug);
		EXPECT_NE(NULL, strstr(ptw_soft_dirty_words(&r, t[i].vm_flags), t[i].words))
			TH_LOG("%zu: %s", i, ptw_soft_dirty_words(&r, t[i].vm_flags));
	}
}

TEST(dirty_words_say_where_dirtiness_is)
{
	struct ptwalk_rec r = entry(0x1000, 1);

	EXPECT_STREQ("clean", ptw_dirty_words(&r));
	r.bits |= PTWALK_B_DIRTY;
	EXPECT_STREQ("dirty", ptw_dirty_words(&r));
	/* Would catch: a write-protected dirty entry (SavedDirty) shown clean. */
	r.bits |= PTWALK_B_SAVED_DIRTY;
	EXPECT_STREQ("dirty (saved in bit 58: write-protected dirty entry)", ptw_dirty_words(&r));
	EXPECT_STREQ("saved-dirty", ptw_names((char[32]){ 0 }, 32, r.bits, PTWALK_B_SW_MASK,
					      ptwalk_bit_names));
}

/* Summary counts: soft-dirty by pagemap's rule, per VMA. */
TEST(counts_per_vma)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptw_counts *c;
	struct ptwalk_rec r;
	char err[256];

	ASSERT_NE(NULL, s);
	hdr(s);
	vma(s, 0x1000, 0x3000, "a");
	r = entry(0x1000, 1);
	r.bits |= PTWALK_B_SOFT_DIRTY;
	put(s, &r, sizeof(r));
	r = entry(0x2000, 2);
	put(s, &r, sizeof(r));
	vma(s, 0x200000, 0x400000, "hugetlb");
	r = entry(0x200000, 0x200);
	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.page = PTWALK_P_ANON | PTWALK_P_HUGETLB;
	r.bits |= PTWALK_B_SOFT_DIRTY;
	put(s, &r, sizeof(r));
	vma(s, 0x400000, 0x401000, "vm_softdirty");
	r = entry(0x400000, 9);
	r.page |= PTWALK_P_KSM;
	put(s, &r, sizeof(r));
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	res.vmas[2].flags |= PTWALK_VMA_SOFTDIRTY;
	c = ptw_count(&res, NULL);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(2U, c[0].present);
	EXPECT_EQ(1U, c[0].soft_dirty) TH_LOG("entry bit not counted, or clean page counted");
	EXPECT_EQ(512U, c[1].hugetlb);
	EXPECT_EQ(0U, c[1].soft_dirty) TH_LOG("hugetlb entry bit counted: pagemap ignores it");
	EXPECT_EQ(1U, c[2].soft_dirty) TH_LOG("VM_SOFTDIRTY not counted");
	EXPECT_EQ(1U, c[2].ksm);
	free(c);
	ptw_free(&res);
	free(s);
}

/* ---- verify's comparison with pagemap, kpageflags and kpagecount ---- */

#define PM_OK(pfn)	(PTWALK_PM_PRESENT | (pfn))

static const char *cmp(const struct ptwalk_rec *r, uint32_t vmf, uint64_t page,
		       uint64_t pm, long long kpagecount)
{
	static char why[128];
	struct ptw_kpage kp = {
		.has_flags = true, .has_count = kpagecount >= 0,
		.flags = r->page & PTWALK_P_ANON ? 1ULL << KPF_ANON : 0,
		.count = kpagecount >= 0 ? (uint64_t)kpagecount : 0,
	};

	if (r->page & PTWALK_P_HUGETLB)
		kp.flags |= 1ULL << KPF_HUGE;
	if (r->page & PTWALK_P_THP)
		kp.flags |= 1ULL << KPF_THP;
	if (r->page & PTWALK_P_ZERO)
		kp.flags |= 1ULL << KPF_ZERO_PAGE;
	return ptw_compare_pagemap(r, vmf, page, pm, &kp, false, why, sizeof(why));
}

/* A 4K entry of a large folio: its own page's mapcount is exact. */
TEST(compare_pte_mapped_large_folio)
{
	struct ptwalk_rec r = entry(0x1000, 0x805);

	r.page |= PTWALK_P_THP;
	r.order = 9;
	r.subpage = 5;
	EXPECT_EQ(NULL, cmp(&r, 0, 0, PM_OK(0x805) | PTWALK_PM_MMAP_EXCLUSIVE, 1));
	/* Would catch: kpagecount skipped for pages of large folios. */
	EXPECT_NE(NULL, cmp(&r, 0, 0, PM_OK(0x805) | PTWALK_PM_MMAP_EXCLUSIVE, 2));
	/* Would catch: bit 56 skipped for pages of large folios. */
	EXPECT_NE(NULL, cmp(&r, 0, 0, PM_OK(0x805), 1));
	r.mapcount = 2;
	EXPECT_NE(NULL, cmp(&r, 0, 0, PM_OK(0x805) | PTWALK_PM_MMAP_EXCLUSIVE, 2));
	EXPECT_EQ(NULL, cmp(&r, 0, 0, PM_OK(0x805), 2));
	EXPECT_TRUE(ptw_mapcount_comparable(&r, 0));
}

/* A 2M entry carries the head page's mapcount: only page 0 compares. */
TEST(compare_huge_entry_first_page_only)
{
	struct ptwalk_rec r = entry(0x200000, 0x200);

	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.page |= PTWALK_P_THP;
	r.order = 9;
	EXPECT_EQ(NULL, cmp(&r, 0, 0, PM_OK(0x200) | PTWALK_PM_MMAP_EXCLUSIVE, 1));
	EXPECT_NE(NULL, cmp(&r, 0, 0, PM_OK(0x200) | PTWALK_PM_MMAP_EXCLUSIVE, 3))
		TH_LOG("head page's kpagecount not compared");
	EXPECT_NE(NULL, cmp(&r, 0, 0, PM_OK(0x200), 1)) TH_LOG("head page's bit 56 not compared");
	/* Would catch: the head's count compared with a tail page's. */
	EXPECT_EQ(NULL, cmp(&r, 0, 5, PM_OK(0x205), 3));
	EXPECT_FALSE(ptw_mapcount_comparable(&r, 5));
	/* hugetlb alike, 1G too */
	r.page = PTWALK_P_ANON | PTWALK_P_HUGETLB;
	r.shift = 30;
	r.level = PTWALK_LVL_PUD;
	EXPECT_NE(NULL, cmp(&r, 0, 0, PM_OK(0x200) | PTWALK_PM_MMAP_EXCLUSIVE, 2));
	EXPECT_EQ(NULL, cmp(&r, 0, 7, PM_OK(0x207) | PTWALK_PM_MMAP_EXCLUSIVE, 2));
}

/* Counts nobody can compare: hidden, no struct page, the zero pages. */
TEST(compare_skips_unknown_counts)
{
	static const uint32_t skip[] = {
		PTWALK_P_ANON | PTWALK_P_HIDDEN, PTWALK_P_NOPAGE, PTWALK_P_ZERO,
		PTWALK_P_HUGE_ZERO,
	};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		struct ptwalk_rec r = entry(0x1000, 0x10);

		r.page = skip[i];
		r.mapcount = 0;
		EXPECT_FALSE(ptw_mapcount_comparable(&r, 0)) TH_LOG("page 0x%x", skip[i]);
	}
	/* Would catch: fake zeros compared with kpagecount's real value. */
	{
		struct ptwalk_rec r = entry(0x1000, 0x10);

		r.page |= PTWALK_P_HIDDEN;
		r.mapcount = 0;
		EXPECT_EQ(NULL, cmp(&r, 0, 0, PM_OK(0x10) | PTWALK_PM_MMAP_EXCLUSIVE, 5));
		EXPECT_EQ(NULL, cmp(&r, 0, 0, PM_OK(0x10), 5));
	}
}

/*
 * pagemap's model, rule by rule: one row per rule and memory state, with
 * the kernel function it mirrors, a pagemap entry that agrees and one
 * that must not.  Guest tests name the state that exercises each
 * (selftests/guest.d/40-cli, ptwalk_verify_test).
 */
enum st {
	ST_ANON, ST_FILE, ST_KPAGE, ST_ZERO, ST_NOPAGE, ST_PFNMAP, ST_PFNMAP_SD,
	ST_HUGETLB_SD_ENTRY, ST_HUGETLB_TAIL, ST_HUGETLB_SHARED_PMD, ST_HUGETLB_SHARED_TWICE,
	ST_HUGETLB_1G, ST_HUGETLB_MIG,
	ST_HUGETLB_MARKER, ST_THP_HEAD, ST_THP_TAIL, ST_THP_SD, ST_HUGE_ZERO, ST_THP_MIG,
	ST_SWAP_SD, ST_SWAP_WP, ST_MIG, ST_MARKER_WP, ST_MARKER_GUARD, ST_VMA_SD,
	ST_HIDDEN, ST_PTE_LARGE,
};

static struct ptwalk_rec state(enum st st, uint32_t *vmf, uint64_t *page)
{
	struct ptwalk_rec r = entry(0x200000, 0x400);

	*vmf = 0;
	*page = 0;
	switch (st) {
	case ST_ANON:
		break;
	case ST_FILE:
		r.page = PTWALK_P_FILE;
		r.mapcount = 2;
		break;
	case ST_KPAGE:		/* [vdso]: neither anon nor in a mapping */
		r.page = 0;
		break;
	case ST_ZERO:
		r.page = PTWALK_P_ZERO;
		r.mapcount = 0;
		break;
	case ST_NOPAGE:
		r.page = PTWALK_P_NOPAGE;
		r.mapcount = 0;
		*vmf = PTWALK_VMA_MIXEDMAP;
		break;
	case ST_PFNMAP_SD:
		*vmf = PTWALK_VMA_SOFTDIRTY;
		/* fall through */
	case ST_PFNMAP:
		r.page = PTWALK_P_NOPAGE;
		r.mapcount = 0;
		r.bits |= PTWALK_B_SOFT_DIRTY;
		*vmf |= PTWALK_VMA_PFNMAP | PTWALK_VMA_IO;
		break;
	case ST_HUGETLB_SHARED_PMD:
	case ST_HUGETLB_SHARED_TWICE:
	case ST_HUGETLB_1G:
		*vmf = PTWALK_VMA_SHARED;
		/* fall through */
	case ST_HUGETLB_TAIL:
	case ST_HUGETLB_SD_ENTRY:
		r.shift = 21;
		r.level = PTWALK_LVL_PMD;
		r.page = PTWALK_P_ANON | PTWALK_P_HUGETLB;
		r.bits |= PTWALK_B_SOFT_DIRTY;
		r.order = 9;
		*vmf |= PTWALK_VMA_HUGETLB;
		*page = st == ST_HUGETLB_TAIL ? 5 : 0;
		if (st != ST_HUGETLB_TAIL && st != ST_HUGETLB_SD_ENTRY)
			r.page |= PTWALK_P_TABLE_SHARED;
		if (st == ST_HUGETLB_SHARED_TWICE)
			r.mapcount = 2;
		if (st == ST_HUGETLB_1G) {
			r.shift = 30;
			r.level = PTWALK_LVL_PUD;
			*vmf &= ~PTWALK_VMA_SHARED;
		}
		break;
	case ST_HUGETLB_MIG:
	case ST_HUGETLB_MARKER:
		r.shift = 21;
		r.level = PTWALK_LVL_PMD;
		r.kind = st == ST_HUGETLB_MIG ? PTWALK_K_MIGRATION : PTWALK_K_MARKER;
		r.sub = st == ST_HUGETLB_MIG ? PTWALK_MIG_READ : PTWALK_MARKER_UFFD_WP;
		r.page = 0;
		r.bits = 0;
		*vmf = PTWALK_VMA_HUGETLB;
		break;
	case ST_THP_HEAD:
	case ST_THP_TAIL:
	case ST_THP_SD:
		r.shift = 21;
		r.level = PTWALK_LVL_PMD;
		r.page |= PTWALK_P_THP;
		r.order = 9;
		if (st == ST_THP_SD)
			r.bits |= PTWALK_B_SOFT_DIRTY;
		*page = st == ST_THP_TAIL ? 7 : 0;
		break;
	case ST_HUGE_ZERO:
		r.shift = 21;
		r.level = PTWALK_LVL_PMD;
		r.page = PTWALK_P_HUGE_ZERO;
		r.mapcount = 0;
		*page = 3;
		break;
	case ST_THP_MIG:
		r.shift = 21;
		r.level = PTWALK_LVL_PMD;
		r.kind = PTWALK_K_MIGRATION;
		r.sub = PTWALK_MIG_READ_EXCL;
		r.page = 0;
		r.bits = 0;
		break;
	case ST_SWAP_SD:
	case ST_SWAP_WP:
		r.kind = PTWALK_K_SWAP;
		r.pfn = 0;
		r.page = 0;
		r.swap_type = 1;
		r.swap_offset = 0x50;
		r.bits = st == ST_SWAP_SD ? PTWALK_B_SOFT_DIRTY : PTWALK_B_UFFD_WP;
		break;
	case ST_MIG:
		r.kind = PTWALK_K_MIGRATION;
		r.sub = PTWALK_MIG_WRITE;
		r.page = 0;
		r.bits = 0;
		break;
	case ST_MARKER_WP:
	case ST_MARKER_GUARD:
		r.kind = PTWALK_K_MARKER;
		r.sub = st == ST_MARKER_WP ? PTWALK_MARKER_UFFD_WP : PTWALK_MARKER_GUARD;
		r.pfn = 0;
		r.page = 0;
		r.bits = 0;
		break;
	case ST_VMA_SD:
		*vmf = PTWALK_VMA_SOFTDIRTY;
		break;
	case ST_HIDDEN:
		r.pfn = 0;
		break;
	case ST_PTE_LARGE:
		r.page |= PTWALK_P_THP;
		r.order = 4;
		r.subpage = 3;
		r.mapcount = 2;
		break;
	}
	return r;
}

#define P	PTWALK_PM_PRESENT
#define SW	PTWALK_PM_SWAP
#define SD	PTWALK_PM_SOFT_DIRTY
#define EX	PTWALK_PM_MMAP_EXCLUSIVE
#define WP	PTWALK_PM_UFFD_WP
#define FI	PTWALK_PM_FILE
#define GU	PTWALK_PM_GUARD_REGION
#define SWF(t, o)	((uint64_t)(t) | ((uint64_t)(o) << 5))

TEST(pagemap_model_rules)
{
	static const struct {
		enum st st;
		const char *rule;	/* the kernel function it mirrors */
		uint64_t agrees, differs;
		const char *bug;	/* what the "differs" entry would catch */
	} t[] = {
		{ ST_ANON, "pte_to_pagemap_entry", P | 0x400 | EX, P | 0x400,
		  "exclusive anon page without bit 56" },
		{ ST_FILE, "pte_to_pagemap_entry", P | 0x400 | FI, P | 0x400,
		  "file page without bit 61" },
		{ ST_KPAGE, "pte_to_pagemap_entry", P | 0x400 | FI | EX, P | 0x400 | EX,
		  "a page of no mapping, not anon: bit 61 (vm_normal_page() has it)" },
		{ ST_ZERO, "pte_to_pagemap_entry", P | 0x400, P | 0x400 | EX,
		  "zero page exclusive: vm_normal_page() is NULL" },
		{ ST_ZERO, "pte_to_pagemap_entry", P | 0x400, P | 0x400 | FI,
		  "zero page file" },
		{ ST_ZERO, "pte_to_pagemap_entry", P | 0x400, P,
		  "zero page's PFN: reported like any" },
		{ ST_NOPAGE, "pte_to_pagemap_entry", P | 0x400 | FI, SW,
		  "special entry: present, bits 61/56 unknown" },
		{ ST_PFNMAP, "walk_page_test+pagemap_pte_hole", 0, P | 0x400,
		  "VM_PFNMAP walked: pagemap skips it" },
		{ ST_PFNMAP, "walk_page_test+pagemap_pte_hole", 0, SD,
		  "PFN map soft-dirty from its entry" },
		{ ST_PFNMAP_SD, "walk_page_test+pagemap_pte_hole", SD, 0,
		  "PFN map in a VM_SOFTDIRTY VMA: bit 55" },
		{ ST_HUGETLB_SD_ENTRY, "pagemap_hugetlb_range", P | 0x400 | EX, P | 0x400 | EX | SD,
		  "hugetlb soft-dirty from its entry (issue 18: the 300 false alarms)" },
		{ ST_HUGETLB_TAIL, "pagemap_hugetlb_range", P | 0x405 | EX, P | 0x405,
		  "hugetlb bit 56 is the folio's: every page" },
		{ ST_HUGETLB_TAIL, "pagemap_hugetlb_range", P | 0x405 | EX, P | 0x400 | EX,
		  "hugetlb frame: pfn + index" },
		{ ST_HUGETLB_SHARED_PMD, "pagemap_hugetlb_range", P | 0x400, P | 0x400 | SW,
		  "hugetlb_pmd_shared() (table-shared): bit 56 clear must pass" },
		{ ST_HUGETLB_SHARED_PMD, "pagemap_hugetlb_range", P | 0x400 | EX, P | 0x400 | SW,
		  "table-shared on 6.1 (bit 56 by the mapcount): set must pass" },
		{ ST_HUGETLB_SHARED_TWICE, "pagemap_hugetlb_range", P | 0x400, P | 0x400 | EX,
		  "table-shared, mapped twice: bit 56 clear on every kernel" },
		{ ST_HUGETLB_1G, "pagemap_hugetlb_range", P | 0x400, P | 0x400 | SW,
		  "1G entry whose PUD table reads shared (7.2): bit 56 clear must pass" },
		{ ST_HUGETLB_MIG, "pagemap_hugetlb_range", 0, SW,
		  "hugetlb migration entry: never PM_SWAP" },
		{ ST_HUGETLB_MARKER, "pagemap_hugetlb_range", WP, 0,
		  "hugetlb uffd-wp marker: pte_swp_uffd_wp_any()" },
		{ ST_THP_HEAD, "pagemap_pmd_range", P | 0x400 | EX, P | 0x400,
		  "THP head page's bit 56" },
		{ ST_THP_TAIL, "pagemap_pmd_range", P | 0x407, P | 0x400,
		  "THP frame: pmd_pfn() + index" },
		{ ST_THP_TAIL, "pagemap_pmd_range", P | 0x407 | EX, P | 0x407 | FI,
		  "anon THP with bit 61" },
		{ ST_THP_SD, "pagemap_pmd_range", P | 0x400 | EX | SD, P | 0x400 | EX,
		  "THP soft-dirty from pmd_soft_dirty()" },
		{ ST_HUGE_ZERO, "pagemap_pmd_range", P | 0x403 | FI, P | 0x403,
		  "huge zero page: its folio is not anon, bit 61" },
		{ ST_HUGE_ZERO, "pagemap_pmd_range", P | 0x403 | FI, P | 0x403 | FI | EX,
		  "huge zero page exclusive: no rmap counts it" },
		{ ST_THP_MIG, "pagemap_pmd_range", SW | SWF(30, 0x400), SW | EX,
		  "THP migration entry exclusive" },
		{ ST_THP_MIG, "pagemap_pmd_range", SW | FI, 0, "THP migration entry: PM_SWAP" },
		{ ST_SWAP_SD, "pte_to_pagemap_entry", SW | SD | SWF(1, 0x50), SW | SWF(1, 0x50),
		  "swap entry soft-dirty from pte_swp_soft_dirty()" },
		{ ST_SWAP_SD, "pte_to_pagemap_entry", SW | SD | SWF(1, 0x50), SW | SD | SWF(1, 0x51),
		  "swap offset" },
		{ ST_SWAP_WP, "pte_to_pagemap_entry", SW | WP | SWF(1, 0x50), SW | SWF(1, 0x50),
		  "swap entry uffd-wp from pte_swp_uffd_wp()" },
		{ ST_SWAP_WP, "pte_to_pagemap_entry", SW | WP | SWF(1, 0x50), SW | WP | FI | SWF(1, 0x50),
		  "swap entry has no page: bit 61 clear" },
		{ ST_MIG, "pte_to_pagemap_entry", SW | FI | SWF(29, 0x400), SW | EX | SWF(29, 0x400),
		  "migration entry exclusive: only present pages are" },
		{ ST_MIG, "pte_to_pagemap_entry", SW | SWF(29, 0x400), P | 0x400,
		  "migration entry present" },
		{ ST_MARKER_WP, "pte_to_pagemap_entry", SW | WP | SWF(31, 1), WP,
		  "uffd-wp marker without PM_SWAP: is_swap_pte() sets it" },
		{ ST_MARKER_WP, "pte_to_pagemap_entry", SW | WP, SW,
		  "uffd-wp marker: pte_marker_entry_uffd_wp()" },
		{ ST_MARKER_GUARD, "pte_to_pagemap_entry", SW | GU, SW | WP,
		  "guard marker: bit 58 on 6.14+ (and none on 6.13)" },
		{ ST_MARKER_GUARD, "pte_to_pagemap_entry", SW, SW | FI, "marker has no page" },
		{ ST_ANON, "make_pme", P | 0x400 | EX, P | 0x400 | EX | GU,
		  "bit 58 on a page that is no guard" },
		{ ST_ANON, "make_pme", P | 0x400 | EX, P | 0x400 | EX | (1ULL << 60), "bits 59-60" },
		{ ST_VMA_SD, "pte_to_pagemap_entry", P | 0x400 | EX | SD, P | 0x400 | EX,
		  "VM_SOFTDIRTY VMA: every page soft-dirty" },
		{ ST_PTE_LARGE, "pte_to_pagemap_entry", P | 0x400, P | 0x400 | EX,
		  "PTE-mapped large folio: its page's own mapcount" },
	};
	size_t i;

	for (i = 0; i < PTWALK_ARRAY_LEN(t); i++) {
		uint32_t vmf;
		uint64_t page;
		struct ptwalk_rec r = state(t[i].st, &vmf, &page);
		bool hidden = t[i].st == ST_HIDDEN;
		char why[160];

		EXPECT_EQ(NULL, ptw_compare_pagemap(&r, vmf, page, t[i].agrees, NULL, hidden,
						    why, sizeof(why)))
			TH_LOG("%zu %s: agreeing entry 0x%llx flagged: %s", i, t[i].rule,
			       (unsigned long long)t[i].agrees, why);
		EXPECT_NE(NULL, ptw_compare_pagemap(&r, vmf, page, t[i].differs, NULL, hidden,
						    why, sizeof(why)))
			TH_LOG("%zu %s: would miss: %s", i, t[i].rule, t[i].bug);
	}
}

/* Unprivileged: pagemap shows no frames; ptwalk's are 0 too. */
TEST(pagemap_model_hidden_frames)
{
	uint32_t vmf;
	uint64_t page;
	struct ptwalk_rec r = state(ST_HIDDEN, &vmf, &page);
	char why[160];

	EXPECT_EQ(NULL, ptw_compare_pagemap(&r, vmf, page, P | EX, NULL, true, why, sizeof(why)));
	EXPECT_NE(NULL, ptw_compare_pagemap(&r, vmf, page, P | EX | 0x400, NULL, true, why,
					    sizeof(why)));
}

/* A page ptwalk reports nothing for: pagemap_pte_hole(), pte_none(). */
TEST(pagemap_model_holes)
{
	struct ptw_pm_model m;
	char why[160];

	ptw_hole_model(0, &m);
	EXPECT_EQ(NULL, ptw_compare_model(&m, 0, why, sizeof(why)));
	EXPECT_NE(NULL, ptw_compare_model(&m, SD, why, sizeof(why)));
	EXPECT_NE(NULL, ptw_compare_model(&m, P | 5, why, sizeof(why)));
	EXPECT_NE(NULL, ptw_compare_model(&m, SW | 5, why, sizeof(why)));
	ptw_hole_model(PTWALK_VMA_SOFTDIRTY, &m);
	EXPECT_EQ(NULL, ptw_compare_model(&m, SD, why, sizeof(why)));
	EXPECT_NE(NULL, ptw_compare_model(&m, 0, why, sizeof(why))) TH_LOG("VM_SOFTDIRTY hole");
}

/* Stability across rounds: what pagemap's model reads, not A/D or LRU churn. */
TEST(same_for_pagemap_ignores_churn)
{
	struct ptwalk_rec a = entry(0x1000, 0x10), b = a;

	b.bits ^= PTWALK_B_ACCESSED | PTWALK_B_DIRTY;
	b.page |= PTWALK_P_LRU | PTWALK_P_ACTIVE;
	b.refcount = 7;
	b.raw ^= 0x60;
	EXPECT_TRUE(ptw_same_for_pagemap(&a, &b));
	b.pfn++;
	EXPECT_FALSE(ptw_same_for_pagemap(&a, &b)) TH_LOG("a new frame is a change");
	b = a;
	b.mapcount = 2;
	EXPECT_FALSE(ptw_same_for_pagemap(&a, &b)) TH_LOG("a new mapcount is a change");
	b = a;
	b.bits |= PTWALK_B_SOFT_DIRTY;
	EXPECT_FALSE(ptw_same_for_pagemap(&a, &b));
}

TEST(compare_soft_dirty_rule)
{
	struct ptwalk_rec r = entry(0x1000, 0x10);
	const uint64_t pm = PM_OK(0x10) | PTWALK_PM_MMAP_EXCLUSIVE;

	r.bits |= PTWALK_B_SOFT_DIRTY;
	EXPECT_EQ(NULL, cmp(&r, 0, 0, pm | PTWALK_PM_SOFT_DIRTY, 1));
	EXPECT_NE(NULL, cmp(&r, 0, 0, pm, 1)) TH_LOG("entry soft-dirty, pagemap clear");
	r.bits &= ~PTWALK_B_SOFT_DIRTY;
	EXPECT_NE(NULL, cmp(&r, 0, 0, pm | PTWALK_PM_SOFT_DIRTY, 1));
	EXPECT_EQ(NULL, cmp(&r, PTWALK_VMA_SOFTDIRTY, 0, pm | PTWALK_PM_SOFT_DIRTY, 1));
	EXPECT_NE(NULL, cmp(&r, PTWALK_VMA_SOFTDIRTY, 0, pm, 1)) TH_LOG("VMA soft-dirty, pagemap clear");

	/* hugetlb: pagemap reports the VMA's flag only. */
	r = entry(0x200000, 0x200);
	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.page = PTWALK_P_ANON | PTWALK_P_HUGETLB;
	r.bits |= PTWALK_B_SOFT_DIRTY;
	/* Would catch: the mismatch verify used to report here. */
	EXPECT_EQ(NULL, cmp(&r, 0, 0, PM_OK(0x200) | PTWALK_PM_MMAP_EXCLUSIVE, 1));
	EXPECT_NE(NULL, cmp(&r, 0, 0, PM_OK(0x200) | PTWALK_PM_MMAP_EXCLUSIVE | PTWALK_PM_SOFT_DIRTY, 1));
	EXPECT_EQ(NULL, cmp(&r, PTWALK_VMA_SOFTDIRTY, 0,
			    PM_OK(0x200) | PTWALK_PM_MMAP_EXCLUSIVE | PTWALK_PM_SOFT_DIRTY, 1));
	EXPECT_NE(NULL, cmp(&r, PTWALK_VMA_SOFTDIRTY, 0, PM_OK(0x200) | PTWALK_PM_MMAP_EXCLUSIVE, 1));
}

TEST(compare_frames_and_swap)
{
	static char why[128];
	struct ptwalk_rec r = entry(0x1000, 0x10);

	EXPECT_NE(NULL, cmp(&r, 0, 0, PM_OK(0x11) | PTWALK_PM_MMAP_EXCLUSIVE, 1));
	EXPECT_NE(NULL, cmp(&r, 0, 0, 0, 1)) TH_LOG("present, pagemap empty");
	/* Hidden frames: pagemap shows 0, ptwalk 0: no PFN or kpage checks. */
	r.pfn = 0;
	EXPECT_EQ(NULL, ptw_compare_pagemap(&r, 0, 0, PTWALK_PM_PRESENT | PTWALK_PM_MMAP_EXCLUSIVE,
					    NULL, true, why, sizeof(why)));
	r = entry(0x1000, 0);
	r.kind = PTWALK_K_SWAP;
	r.swap_type = 1;
	r.swap_offset = 0x50;
	EXPECT_EQ(NULL, cmp(&r, 0, 0, PTWALK_PM_SWAP | (0x50 << 5) | 1, -1));
	EXPECT_NE(NULL, cmp(&r, 0, 0, PTWALK_PM_SWAP | (0x51 << 5) | 1, -1));
	EXPECT_NE(NULL, cmp(&r, 0, 0, PTWALK_PM_SWAP | (0x50 << 5) | 2, -1));
	/* hidden: type and offset read as 0 on both sides */
	r.swap_type = 0;
	r.swap_offset = 0;
	EXPECT_EQ(NULL, ptw_compare_pagemap(&r, 0, 0, PTWALK_PM_SWAP, NULL, true, why, sizeof(why)));
}

/*
 * Who maps: TASK, VMA, ENTRY, then a FRAME per frame (with its path), the
 * TALLY and the END, for two processes.
 */
static void who_stream(struct stream *s)
{
	struct ptwalk_rec r;

	stream_who_hdr(s, 0x100, 0x102);
	stream_task(s, 10, 1, "parent");
	vma(s, 0x1000, 0x9000, "[heap]");
	r = entry(0x2000, 0x100);
	r.cow = PTWALK_COW_COPY;
	put(s, &r, sizeof(r));
	stream_task(s, 11, 10, "child");
	vma(s, 0x1000, 0x9000, "[heap]");
	put(s, &r, sizeof(r));
	r = entry(0x3000, 0x101);
	put(s, &r, sizeof(r));
	stream_frame(s, 0x100, PTWALK_FRAME_MAPPED, 2, PTWALK_P_ANON, NULL);
	stream_frame(s, 0x101, PTWALK_FRAME_MAPPED, 1, PTWALK_P_FILE,
		     "/usr/lib/x86_64-linux-gnu/a-rather-long-library-name-for-two-records.so");
	stream_tally(s, 3, 3, 2, 2);
}

/* A FRAME's memory cgroup: MEMCG records after it, only when it says so. */
TEST(who_memcg)
{
	static const char cg[] = "/system.slice/a-service-with-a-long-name.service/payload";
	struct stream *s = calloc(1, sizeof(*s));
	struct ptwalk_memcg m = { .type = PTWALK_REC_MEMCG };
	struct ptwalk_frame *f;
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	int round;

	ASSERT_NE(NULL, s);
	for (round = 0; round < 3; round++) {
		stream_who_hdr(s, 0x100, 0x101);
		stream_task(s, 10, 1, "p");
		vma(s, 0x1000, 0x9000, "x");
		r = entry(0x2000, 0x100);
		put(s, &r, sizeof(r));
		stream_frame(s, 0x100, PTWALK_FRAME_MAPPED, 1, PTWALK_P_ANON, NULL);
		f = (struct ptwalk_frame *)(s->buf + s->len - sizeof(*f));
		/* round 0: the path in two records; 1: none; 2: records for "none" */
		f->memcg = round == 0 ? PTWALK_MEMCG_PATH : PTWALK_MEMCG_NONE;
		if (round != 1) {
			memcpy(m.path, cg, PTWALK_NAME_BYTES);
			put(s, &m, sizeof(m));
			memset(m.path, 0, sizeof(m.path));
			memcpy(m.path, cg + PTWALK_NAME_BYTES, sizeof(cg) - 1 - PTWALK_NAME_BYTES);
			put(s, &m, sizeof(m));
		}
		stream_tally(s, 1, 1, 1, 1);
		if (round == 2) {
			EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
			EXPECT_NE(NULL, strstr(err, "corrupt memcg record")) TH_LOG("%s", err);
			continue;
		}
		ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)))
			TH_LOG("%s", err);
		ASSERT_EQ(1U, res.nframes);
		EXPECT_STREQ(round == 0 ? cg : "", res.frames[0].memcg);
		EXPECT_EQ(round == 0 ? PTWALK_MEMCG_PATH : PTWALK_MEMCG_NONE, res.frames[0].f.memcg);
		ptw_free(&res);
	}
	/* Not in a walk's answer. */
	stream_hdr(s, PTWALK_REC_SIZE, PTWALK_WALKER_BUILTIN, 1, "x");
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	free(s);
}

TEST(who_records)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	char err[256];

	ASSERT_NE(NULL, s);
	who_stream(s);
	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2U, res.ntasks);
	EXPECT_EQ(11U, res.tasks[1].pid);
	EXPECT_EQ(10U, res.tasks[1].ppid);
	EXPECT_STREQ("child", res.tasks[1].comm);
	ASSERT_EQ(3U, res.nrecs);
	EXPECT_EQ(0U, res.rec_task[0]);
	EXPECT_EQ(1U, res.rec_task[1]);
	EXPECT_EQ(1U, res.rec_task[2]);
	EXPECT_EQ(1U, res.rec_vma[2]);
	EXPECT_STREQ("[heap]", res.vmas[1].name);
	ASSERT_EQ(2U, res.nframes);
	EXPECT_STREQ("", res.frames[0].path);
	EXPECT_STREQ("/usr/lib/x86_64-linux-gnu/a-rather-long-library-name-for-two-records.so",
		     res.frames[1].path);
	EXPECT_EQ(3ULL, res.tally.mappings);
	EXPECT_EQ(1, res.tally.equal);
	ptw_free(&res);
	free(s);
}

/* Each would catch a reader that trusts a who-maps stream it should not. */
TEST(who_records_rejected)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptwalk_rec r;
	struct ptwalk_more m = { .type = PTWALK_REC_MORE, .count = 1, .pfn = { 0x101 } };
	char err[256];
	size_t body;

	ASSERT_NE(NULL, s);
	/* An entry mapping no frame of the range. */
	stream_who_hdr(s, 0x100, 0x101);
	stream_task(s, 10, 1, "p");
	vma(s, 0x1000, 0x9000, "x");
	r = entry(0x2000, 0x200);
	put(s, &r, sizeof(r));
	stream_frame(s, 0x100, PTWALK_FRAME_MAPPED, 1, PTWALK_P_ANON, NULL);
	stream_tally(s, 0, 1, 1, 1);
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no mapping of the frames")) TH_LOG("%s", err);

	/* A VMA before any TASK; an entry in the VMA of the TASK before. */
	stream_who_hdr(s, 0x100, 0x101);
	vma(s, 0x1000, 0x9000, "x");
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	stream_who_hdr(s, 0x100, 0x101);
	stream_task(s, 10, 1, "p");
	vma(s, 0x1000, 0x9000, "x");
	stream_task(s, 11, 1, "q");
	r = entry(0x2000, 0x100);
	put(s, &r, sizeof(r));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));

	/* A tally that disagrees with the entries or the frames. */
	stream_who_hdr(s, 0x100, 0x101);
	stream_task(s, 10, 1, "p");
	vma(s, 0x1000, 0x9000, "x");
	r = entry(0x2000, 0x100);
	put(s, &r, sizeof(r));
	stream_frame(s, 0x100, PTWALK_FRAME_MAPPED, 1, PTWALK_P_ANON, NULL);
	body = s->len;
	stream_tally(s, 2, 1, 1, 1);
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "tally says 2 mappings")) TH_LOG("%s", err);
	s->len = body;
	stream_tally(s, 1, 2, 1, 1);
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	/* equal must say what the counts say */
	s->len = body;
	stream_tally(s, 1, 1, 1, 1);
	((struct ptwalk_tally *)(s->buf + s->len - PTWALK_REC_SIZE))->equal = 0;
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	/* The END without a TALLY before it; a record after the TALLY. */
	s->len = body;
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	stream_tally(s, 1, 1, 1, 1);
	stream_task(s, 12, 1, "late");
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	/* The good one, for contrast. */
	s->len = body;
	stream_tally(s, 1, 1, 1, 1);
	EXPECT_EQ(0, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err))) TH_LOG("%s", err);
	ptw_free(&res);

	/* Frames out of order, missing, or beyond the range. */
	stream_who_hdr(s, 0x100, 0x102);
	stream_frame(s, 0x101, PTWALK_FRAME_MAPPED, 0, 0, NULL);
	stream_frame(s, 0x100, PTWALK_FRAME_MAPPED, 0, 0, NULL);
	stream_tally(s, 0, 0, 2, 0);
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	stream_who_hdr(s, 0x100, 0x102);
	stream_frame(s, 0x100, PTWALK_FRAME_MAPPED, 0, 0, NULL);
	stream_tally(s, 0, 0, 1, 0);
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	stream_who_hdr(s, 0x100, 0x101);
	stream_frame(s, 0x100, 0, 0, 0, NULL);	/* no such state */
	stream_tally(s, 0, 0, 1, 0);
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));

	/* MORE and LEVEL never come in a who stream; TASK never in a walk. */
	stream_who_hdr(s, 0x100, 0x102);
	stream_task(s, 10, 1, "p");
	vma(s, 0x1000, 0x9000, "x");
	r = entry(0x2000, 0x100);
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "out of place")) TH_LOG("%s", err);
	hdr(s);
	stream_task(s, 10, 1, "p");
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	hdr(s);
	stream_frame(s, 0x100, PTWALK_FRAME_MAPPED, 0, 0, NULL);
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));

	/* A who header over more than 512 frames, or none. */
	stream_who_hdr(s, 0x100, 0x100 + PTWALK_WHO_MAX_FRAMES + 1);
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	stream_who_hdr(s, 0x100, 0x100);
	EXPECT_EQ(-1, ptw_parse(s->buf, stream_end(s), &res, err, sizeof(err)));
	free(s);
}

TEST_HARNESS_MAIN
