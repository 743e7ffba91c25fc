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

struct stream {
	unsigned char buf[64 * 1024];
	size_t len;
};

static void put(struct stream *s, const void *p, size_t n)
{
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void hdr(struct stream *s)
{
	struct ptwalk_hdr h = {
		.magic = PTWALK_MAGIC, .version = PTWALK_VERSION,
		.hdr_size = sizeof(h), .rec_size = sizeof(struct ptwalk_rec),
		.walker = PTWALK_WALKER_KERNEL, .pid = 42, .end = 1ULL << 47,
	};

	strcpy(h.comm, "demo");
	s->len = 0;
	put(s, &h, sizeof(h));
}

static void vma(struct stream *s, uint64_t start, uint64_t end, const char *name)
{
	struct ptwalk_rec r = { .type = PTWALK_REC_VMA, .vaddr = start,
				.swap_offset = end, .bits = 0x3 };
	size_t n = strlen(name), off;

	put(s, &r, sizeof(r));
	for (off = 0; off < n; off += PTWALK_NAME_BYTES) {
		memset(&r, 0, sizeof(r));
		memcpy(&r, name + off, n - off < PTWALK_NAME_BYTES ? n - off : PTWALK_NAME_BYTES);
		r.type = PTWALK_REC_NAME;
		put(s, &r, sizeof(r));
	}
}

static struct ptwalk_rec entry(uint64_t va, uint64_t pfn)
{
	struct ptwalk_rec r = {
		.type = PTWALK_REC_ENTRY, .vaddr = va, .pfn = pfn, .shift = 12,
		.level = PTWALK_LVL_PTE, .kind = PTWALK_K_PRESENT,
		.bits = PTWALK_B_PRESENT | PTWALK_B_RW | PTWALK_B_USER,
		.page = PTWALK_P_ANON | PTWALK_P_ANON_EXCL, .mapcount = 1,
		.refcount = 1, .cow = PTWALK_COW_WRITABLE,
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

TEST_HARNESS_MAIN
