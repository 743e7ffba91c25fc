// SPDX-License-Identifier: GPL-2.0
/*
 * lib_test - libptwalk on the host: parsing the module's binary stream,
 * VMA names, merging, names and sizes, and rejecting corrupt streams.
 * Streams are built here, record by record, as the module writes them.
 */
#include <string.h>

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
	vma(s, 0x20000, 0x21000, "[heap]");
	r = entry(0x20000, 0x900);
	put(s, &r, sizeof(r));
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(42U, res.hdr.pid);
	EXPECT_STREQ("demo", res.hdr.comm);
	ASSERT_EQ(2U, res.nvmas);
	/* A name longer than one NAME record survives whole. */
	EXPECT_STREQ(longname, res.vmas[0].name);
	EXPECT_STREQ("[heap]", res.vmas[1].name);
	ASSERT_EQ(5U, res.nrecs);
	EXPECT_EQ(0U, res.rec_vma[3]);
	EXPECT_EQ(1U, res.rec_vma[4]);
	ptw_free(&res);
	free(s);
}

TEST(merge_rules)
{
	struct ptwalk_rec a = entry(0x1000, 0x500), b = entry(0x2000, 0x501);

	EXPECT_TRUE(ptw_mergeable(&a, 1, &b, false));
	b.pfn = 0x600;				/* PFN gap */
	EXPECT_FALSE(ptw_mergeable(&a, 1, &b, false));
	EXPECT_TRUE(ptw_mergeable(&a, 1, &b, true));	/* PFNs hidden */
	b = entry(0x3000, 0x501);		/* address gap */
	EXPECT_FALSE(ptw_mergeable(&a, 1, &b, false));
	b = entry(0x2000, 0x501);
	b.cow = PTWALK_COW_COPY;		/* other attributes */
	EXPECT_FALSE(ptw_mergeable(&a, 1, &b, false));
	b = entry(0x3000, 0x502);		/* third of a run of two */
	EXPECT_TRUE(ptw_mergeable(&a, 2, &b, false));
}

TEST(names_and_sizes)
{
	char buf[128];

	EXPECT_STREQ("P,W,U", ptw_names(buf, sizeof(buf), PTWALK_B_PRESENT |
					PTWALK_B_RW | PTWALK_B_USER, 0xffff,
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

/* Each corruption, and the bug that accepting it would be. */
TEST(rejects_corrupt_streams)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptwalk_rec r;
	char err[256];
	size_t good;

	ASSERT_NE(NULL, s);
	hdr(s);
	vma(s, 0x1000, 0x2000, "x");
	r = entry(0x1000, 1);
	put(s, &r, sizeof(r));
	good = s->len;
	ASSERT_EQ(0, ptw_parse(s->buf, good, &res, err, sizeof(err)));
	ptw_free(&res);

	EXPECT_EQ(-1, ptw_parse(s->buf, 10, &res, err, sizeof(err)));	/* short */
	EXPECT_EQ(-1, ptw_parse(s->buf, good - 1, &res, err, sizeof(err))); /* truncated */
	EXPECT_NE(NULL, strstr(err, "truncated"));
	s->buf[0] ^= 1;						/* magic */
	EXPECT_EQ(-1, ptw_parse(s->buf, good, &res, err, sizeof(err)));
	s->buf[0] ^= 1;
	s->buf[good - sizeof(r) + offsetof(struct ptwalk_rec, type)] = 99;
	EXPECT_EQ(-1, ptw_parse(s->buf, good, &res, err, sizeof(err))); /* type */
	s->buf[good - sizeof(r) + offsetof(struct ptwalk_rec, type)] = PTWALK_REC_ENTRY;
	s->buf[good - sizeof(r) + offsetof(struct ptwalk_rec, shift)] = 13;
	EXPECT_EQ(-1, ptw_parse(s->buf, good, &res, err, sizeof(err))); /* shift */
	/* A NAME record with no VMA before it. */
	hdr(s);
	memset(&r, 0, sizeof(r));
	r.type = PTWALK_REC_NAME;
	put(s, &r, sizeof(r));
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
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
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
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
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
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
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
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
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
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
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
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
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
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
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	/* after a swap entry */
	hdr(s);
	r = entry(0x10000, 0);
	r.kind = PTWALK_K_SWAP;
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	/* after a 2M entry with PAT (bit 12) set: raw cannot be rebuilt */
	hdr(s);
	r = entry(0x200000, 0x200);
	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.raw = (0x200ULL << 12) | 0x10e7;
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	/* after an entry whose raw holds another frame than its pfn */
	hdr(s);
	r = entry(0x10000, 0x800);
	r.raw = (0x801ULL << 12) | 0x67;
	put(s, &r, sizeof(r));
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	/* count 0 and count above the maximum */
	hdr(s);
	r = entry(0x10000, 0x800);
	put(s, &r, sizeof(r));
	m.count = 0;
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	s->len -= sizeof(m);
	m.count = PTWALK_MORE_MAX + 1;
	put(s, &m, sizeof(m));
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	/* a version 1 stream has no MORE records */
	s->len -= sizeof(m);
	m.count = 1;
	put(s, &m, sizeof(m));
	((struct ptwalk_hdr *)s->buf)->version = 1;
	EXPECT_EQ(-1, ptw_parse(s->buf, s->len, &res, err, sizeof(err)));
	/* and the same stream as version 2 is fine */
	((struct ptwalk_hdr *)s->buf)->version = 2;
	ASSERT_EQ(0, ptw_parse(s->buf, s->len, &res, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(2, (int)res.nrecs);
	ptw_free(&res);
	free(s);
}

TEST_HARNESS_MAIN
