// SPDX-License-Identifier: GPL-2.0
/*
 * view_test - what the ptwalk views are built from, on the host: filters,
 * merged runs, JSON, snapshot diffs, and the recorded fixtures in
 * tests/fixtures/ (real guest answers from "ptwalk snap", plus corrupted
 * copies that must be rejected; "make fixtures" remakes them, see
 * tests/mkfixtures.c).  Each check says the bug it would catch.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libptwalk.h"
#include "ptwalk_names.h"
#include "stream.h"
#include "views.h"

#define FIXTURES "tests/fixtures"

static void hdr(struct stream *s, __u16 rec_size)
{
	stream_hdr(s, rec_size, PTWALK_WALKER_BUILTIN, 7, "t\"q");
}

static struct ptwalk_rec present(uint64_t va, uint64_t pfn)
{
	struct ptwalk_rec r = {
		.type = PTWALK_REC_ENTRY, .vaddr = va, .pfn = pfn, .shift = 12,
		.level = PTWALK_LVL_PTE, .kind = PTWALK_K_PRESENT,
		.bits = PTWALK_B_PRESENT | PTWALK_B_RW | PTWALK_B_USER,
		.page = PTWALK_P_ANON | PTWALK_P_ANON_EXCL, .mapcount = 1,
		.refcount = 1, .cow = PTWALK_COW_WRITABLE, .node = 0,
	};

	return r;
}

static struct ptwalk_rec swapped(uint64_t va, uint64_t off)
{
	struct ptwalk_rec r = {
		.type = PTWALK_REC_ENTRY, .vaddr = va, .swap_offset = off,
		.shift = 12, .level = PTWALK_LVL_PTE, .kind = PTWALK_K_SWAP,
		.swap_type = 1, .node = -1,
	};

	return r;
}

/*
 * Two VMAs: "[heap]" with 3 contiguous anon pages, a copy-on-write page and
 * two swapped pages; "/lib/libc.so" with 2 file pages and a 2M THP on node 1.
 */
static void sample(struct stream *s, size_t rs)
{
	struct ptwalk_rec r;

	hdr(s, rs);
	stream_vma(s, rs, 0x10000, 0x20000, "[heap]");
	r = present(0x10000, 0x100); stream_rec(s, &r, rs);
	r = present(0x11000, 0x101); stream_rec(s, &r, rs);
	r = present(0x12000, 0x102); stream_rec(s, &r, rs);
	r = present(0x13000, 0x103);
	r.bits &= ~PTWALK_B_RW;
	r.cow = PTWALK_COW_COPY;
	r.mapcount = 2;
	stream_rec(s, &r, rs);
	r = swapped(0x14000, 0x50); stream_rec(s, &r, rs);
	r = swapped(0x15000, 0x51); stream_rec(s, &r, rs);
	stream_vma(s, rs, 0x200000, 0x600000, "/lib/libc.so");
	r = present(0x200000, 0x900);
	r.page = PTWALK_P_FILE;
	r.cow = PTWALK_COW_NONE;
	stream_rec(s, &r, rs);
	r = present(0x201000, 0x901);
	r.page = PTWALK_P_FILE;
	r.cow = PTWALK_COW_NONE;
	stream_rec(s, &r, rs);
	r = present(0x400000, 0x4000);
	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.bits |= PTWALK_B_PSE;
	r.page |= PTWALK_P_THP;
	r.order = 9;
	r.node = 1;
	stream_rec(s, &r, rs);
}

static int parse(struct stream *s, struct ptw_result *res)
{
	char err[256];
	int ret = ptw_parse(s->buf, stream_end(s), res, err, sizeof(err));

	if (ret)
		fprintf(stderr, "# parse: %s\n", err);
	return ret;
}

/* ---- the views' JSON pieces, one object each ---- */

static void json_entry(FILE *f, const struct ptwalk_rec *r, size_t count, bool hidden,
		       uint32_t vma_flags)
{
	struct ptw_entry_row e = { r, count, hidden, vma_flags };
	struct ptw_json j;

	ptw_json_begin(&j, f);
	ptw_json_row(&j, NULL, &ptw_entry_table, &e);
}

static void json_vma(FILE *f, const struct ptw_vma *v)
{
	struct ptw_vma_row w = { v };
	struct ptw_json j;

	ptw_json_begin(&j, f);
	ptw_json_row(&j, NULL, &ptw_vma_table, &w);
}

static void json_str(FILE *f, const char *s)
{
	char q[256];

	fputs(ptw_json_quote(q, sizeof(q), s), f);
}

/* {"end":{...}} */
static void json_end(FILE *f, const struct ptw_result *res)
{
	struct ptw_doc d = { .res = res };
	struct ptw_json j;

	ptw_json_begin(&j, f);
	ptw_json_open(&j, NULL, '{');
	ptw_json_cols(&j, &ptw_end_doc, &d);
	ptw_json_close(&j, '}');
}

static void json_change(FILE *f, const struct ptw_change *c)
{
	struct ptw_json j;

	ptw_json_begin(&j, f);
	ptw_json_row(&j, NULL, &ptw_change_table, c);
}

/* ---- a minimal JSON syntax checker ---- */

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *value(const char *p, int depth);

static const char *string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *list(const char *p, char close, bool obj, int depth)
{
	p = ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			p = string(ws(p));
			if (!p)
				return NULL;
			p = ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = value(p, depth + 1);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *value(const char *p, int depth)
{
	p = ws(p);
	if (depth > 32)
		return NULL;
	if (*p == '{')
		return list(p, '}', true, depth);
	if (*p == '[')
		return list(p, ']', false, depth);
	if (*p == '"')
		return string(p);
	if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		p++;
		while ((*p >= '0' && *p <= '9') || *p == '.')
			p++;
		return p;
	}
	return NULL;
}

static bool json_ok(const char *s)
{
	const char *end = value(s, 0);

	return end && !*ws(end);
}

/* Runs @fn into a string; caller frees. */
#define CAPTURE(buf, code) do {						\
	size_t _len;							\
	FILE *f = open_memstream(&(buf), &_len);			\
	code;								\
	fclose(f);							\
} while (0)

/* ---- tests ---- */

TEST(checker_catches_bad_json)
{
	EXPECT_TRUE(json_ok("{\"a\":[1,\"x\",{\"b\":null}],\"c\":true}"));
	EXPECT_FALSE(json_ok("{\"a\":[,1]}"));		/* leading comma */
	EXPECT_FALSE(json_ok("{\"a\":1}}"));		/* trailing junk */
	EXPECT_FALSE(json_ok("{\"a\":\"\x01\"}"));	/* raw control byte */
}

TEST(runs_merge_and_split)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptw_run *runs;
	long n;

	ASSERT_NE(NULL, s);
	sample(s, sizeof(struct ptwalk_rec));
	ASSERT_EQ(0, parse(s, &res));
	n = ptw_runs(&res, NULL, &runs);
	/* 3 anon | cow | 2 swap (contiguous offsets) | 2 file | THP */
	ASSERT_EQ(5, n) TH_LOG("wrong merging of attributes, frames or swap slots");
	EXPECT_EQ(3U, runs[0].count);
	EXPECT_EQ(0x100U, runs[0].first.pfn);
	EXPECT_EQ(1U, runs[1].count) TH_LOG("cow page merged into writable run");
	EXPECT_EQ(2U, runs[2].count) TH_LOG("contiguous swap slots not merged");
	EXPECT_EQ(0U, runs[2].vma);
	EXPECT_EQ(2U, runs[3].count);
	EXPECT_EQ(1U, runs[3].vma) TH_LOG("run attributed to the wrong VMA");
	EXPECT_EQ(21, runs[4].first.shift);
	free(runs);
	ptw_free(&res);
	free(s);
}

TEST(runs_never_cross_a_vma)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptw_run *runs;
	struct ptwalk_rec r;

	ASSERT_NE(NULL, s);
	hdr(s, sizeof(r));
	stream_vma(s, sizeof(r), 0x1000, 0x2000, "a");
	r = present(0x1000, 0x10); stream_rec(s, &r, sizeof(r));
	stream_vma(s, sizeof(r), 0x2000, 0x3000, "b");
	r = present(0x2000, 0x11); stream_rec(s, &r, sizeof(r));
	ASSERT_EQ(0, parse(s, &res));
	EXPECT_EQ(2, ptw_runs(&res, NULL, &runs)) TH_LOG("run merged across VMAs");
	free(runs);
	ptw_free(&res);
	free(s);
}

/*
 * Groups (the overview): scattered frames, holes and scattered swap slots
 * stay one group; each attribute the rule names starts a new one (the
 * comments say which), and so does a VMA.
 */
TEST(groups_by_attributes)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptw_group *g;
	struct ptw_run *runs;
	struct ptwalk_rec r;
	long n, ng;
	size_t i;

	ASSERT_NE(NULL, s);
	hdr(s, sizeof(r));
	stream_vma(s, sizeof(r), 0x10000, 0x100000, "[anon]");
	/* 0: scattered frames, a hole, scattered again: one group of 4 runs */
	r = present(0x10000, 0x500); stream_rec(s, &r, sizeof(r));
	r = present(0x11000, 0x900); stream_rec(s, &r, sizeof(r));
	r = present(0x13000, 0x901); stream_rec(s, &r, sizeof(r));
	/* ... and page flags and A/D bits that churn do not split it either */
	r = present(0x14000, 0x300); r.page |= PTWALK_P_LRU | PTWALK_P_ACTIVE;
	r.bits |= PTWALK_B_ACCESSED | PTWALK_B_DIRTY;
	stream_rec(s, &r, sizeof(r));
	/* 1: another bit (soft-dirty) */
	r = present(0x15000, 0x301); r.bits |= PTWALK_B_SOFT_DIRTY; stream_rec(s, &r, sizeof(r));
	/* 2: other page facts */
	r = present(0x16000, 0x302); r.page |= PTWALK_P_SHARED; stream_rec(s, &r, sizeof(r));
	/* 3: cow */
	r = present(0x17000, 0x303); r.cow = PTWALK_COW_COPY; stream_rec(s, &r, sizeof(r));
	/* 4: node */
	r = present(0x18000, 0x304); r.node = 1; stream_rec(s, &r, sizeof(r));
	/* 5: folio order */
	r = present(0x19000, 0x305); r.order = 2; stream_rec(s, &r, sizeof(r));
	/* 6: swap, slots scattered: one group; 7: another swap area */
	r = swapped(0x20000, 0x40); stream_rec(s, &r, sizeof(r));
	r = swapped(0x21000, 0x90); stream_rec(s, &r, sizeof(r));
	r = swapped(0x22000, 0x91); r.swap_type = 2; stream_rec(s, &r, sizeof(r));
	stream_vma(s, sizeof(r), 0x100000, 0x400000, "[anon]");
	/* 8: the same attributes as group 0, but in the next VMA */
	r = present(0x100000, 0x501); stream_rec(s, &r, sizeof(r));
	/* 9: level and size: a 2M entry, the same otherwise */
	r = present(0x200000, 0x1000); r.shift = 21; r.level = PTWALK_LVL_PMD;
	stream_rec(s, &r, sizeof(r));
	ASSERT_EQ(0, parse(s, &res));
	n = ptw_runs(&res, NULL, &runs);
	ASSERT_LT(0, n);
	ng = ptw_groups(runs, (size_t)n, &g);
	ASSERT_EQ(10, ng) TH_LOG("%ld groups from %ld runs", ng, n);
	EXPECT_EQ(4U, g[0].count);
	EXPECT_EQ(4U, g[0].runs) TH_LOG("scattered frames or a hole split the group");
	EXPECT_EQ(0x15000U, g[0].end);
	EXPECT_EQ(0U, g[0].first.bits & PTWALK_B_ACCESSED) TH_LOG("A shown, not all accessed");
	for (i = 1; i <= 5; i++)
		EXPECT_EQ(1U, g[i].count) TH_LOG("group %zu: a changed attribute merged", i);
	EXPECT_EQ(2U, g[6].count) TH_LOG("scattered swap slots split");
	EXPECT_EQ(2U, g[6].runs);
	EXPECT_EQ(1U, g[7].count) TH_LOG("another swap area merged");
	EXPECT_EQ(1U, g[8].vma) TH_LOG("a group across VMAs");
	EXPECT_EQ(0U, g[0].run);
	EXPECT_EQ(g[7].run + g[7].runs, g[8].run) TH_LOG("groups do not tile the runs");
	EXPECT_EQ(21, g[9].first.shift) TH_LOG("a 2M entry merged with 4K ones");
	free(g);
	free(runs);
	ptw_free(&res);
	free(s);
}

/* Each filter and how many 4K-or-larger entries it must keep in sample(). */
static const struct {
	struct ptw_filter f;
	size_t kept;
	const char *bug;
} filters[] = {
	{ { .node = -1 }, 9, "no filter drops entries" },
	{ { .present = true, .node = -1 }, 7, "--present keeps swap entries" },
	{ { .swapped = true, .node = -1 }, 2, "--swapped wrong" },
	{ { .huge = true, .node = -1 }, 1, "--huge keeps 4K pages" },
	{ { .cow = true, .node = -1 }, 1, "--cow keeps writable pages" },
	{ { .anon = true, .node = -1 }, 5, "--anon wrong" },
	{ { .file = true, .node = -1 }, 2, "--file keeps anon pages" },
	{ { .node = 1 }, 1, "--node ignores the node" },
	{ { .vma = "libc", .node = -1 }, 3, "--vma does not match substrings" },
	{ { .vma = "heap", .present = true, .node = -1 }, 4, "filters do not combine" },
	{ { .vma = "nomatch", .node = -1 }, 0, "--vma matches everything" },
};

TEST(each_filter)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	size_t t, i, kept;

	ASSERT_NE(NULL, s);
	sample(s, sizeof(struct ptwalk_rec));
	ASSERT_EQ(0, parse(s, &res));
	for (t = 0; t < sizeof(filters) / sizeof(filters[0]); t++) {
		for (kept = 0, i = 0; i < res.nrecs; i++)
			kept += ptw_keep(&res, i, &filters[t].f);
		EXPECT_EQ(filters[t].kept, kept) TH_LOG("%s", filters[t].bug);
	}
	ptw_free(&res);
	free(s);
}

TEST(larger_records_from_a_newer_module)
{
	struct stream *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct ptw_result ra, rb;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	sample(a, sizeof(struct ptwalk_rec));
	sample(b, sizeof(struct ptwalk_rec) + 24);
	ASSERT_EQ(0, parse(a, &ra));
	ASSERT_EQ(0, parse(b, &rb)) TH_LOG("rec_size larger than ours rejected");
	ASSERT_EQ(ra.nrecs, rb.nrecs) TH_LOG("stepped by sizeof, not rec_size");
	EXPECT_EQ(0, memcmp(ra.recs, rb.recs, ra.nrecs * sizeof(*ra.recs)));
	EXPECT_STREQ("/lib/libc.so", rb.vmas[1].name);
	ptw_free(&ra);
	ptw_free(&rb);
	free(a);
	free(b);
}

TEST(json_is_valid_and_escaped)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	char *out = NULL;
	size_t i;

	ASSERT_NE(NULL, s);
	sample(s, sizeof(struct ptwalk_rec));
	ASSERT_EQ(0, parse(s, &res));
	CAPTURE(out, {
		fputc('[', f);
		for (i = 0; i < res.nrecs; i++) {
			fputs(i ? "," : "", f);
			json_entry(f, &res.recs[i], 1, false, 0);
		}
		fputc(',', f);
		json_vma(f, &res.vmas[0]);
		fputc(',', f);
		json_str(f, "a\"b\\c\nd\x7f");
		fputc(']', f);
	});
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(json_ok(out)) TH_LOG("invalid JSON: %s", out);
	EXPECT_NE(NULL, strstr(out, "\"a\\\"b\\\\c\\u000ad\\u007f\"")) TH_LOG("bad escaping");
	EXPECT_NE(NULL, strstr(out, "\"kind\":\"swap\",")) TH_LOG("kind name");
	EXPECT_NE(NULL, strstr(out, "\"swap_offset\":\"0x50\"")) TH_LOG("swap keys missing");
	EXPECT_NE(NULL, strstr(out, "\"cow\":\"copy\"")) TH_LOG("cow name");
	EXPECT_NE(NULL, strstr(out, "\"size\":2097152")) TH_LOG("THP size");
	EXPECT_NE(NULL, strstr(out, "\"perms\":\"rw-p\""));
	free(out);
	ptw_free(&res);
	free(s);
}

static bool has_change(const struct ptw_change *c, long n, uint64_t va,
		       unsigned int what, const char *words)
{
	char buf[512];
	long i;

	for (i = 0; i < n; i++)
		if (c[i].vaddr == va && (c[i].what & what) == what &&
		    strstr(ptw_change_words(&c[i], buf, sizeof(buf)), words))
			return true;
	return false;
}

TEST(diff_in_words)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result a, b;
	struct ptw_change *c;
	char *out = NULL;
	long n, i;

	ASSERT_NE(NULL, s);
	sample(s, sizeof(struct ptwalk_rec));
	ASSERT_EQ(0, parse(s, &a));
	ASSERT_EQ(0, parse(s, &b));
	EXPECT_EQ(0, ptw_diff(&a, &b, &c)) TH_LOG("a snapshot differs from itself");
	free(c);

	/* Accessed/dirty churn is not a change. */
	b.recs[0].bits |= PTWALK_B_ACCESSED | PTWALK_B_DIRTY;
	b.recs[0].page |= PTWALK_P_LRU;
	/* A new frame, reclaim to swap, fork's write protection, a new page. */
	b.recs[1].pfn = 0x777;
	b.recs[2] = swapped(0x12000, 0x99);
	b.recs[3].cow = PTWALK_COW_REUSE;
	b.recs[3].mapcount = 1;
	b.recs[0].bits &= ~PTWALK_B_RW;
	b.recs[0].cow = PTWALK_COW_REUSE;
	b.recs[7].vaddr = 0x202000;	/* 0x201000 gone, 0x202000 appeared */
	n = ptw_diff(&a, &b, &c);
	ASSERT_EQ(6, n);
	EXPECT_TRUE(has_change(c, n, 0x10000, PTW_D_WRPROT | PTW_D_COW, "write-protected"));
	EXPECT_TRUE(has_change(c, n, 0x11000, PTW_D_PFN, "pfn 0x101 -> 0x777"));
	EXPECT_TRUE(has_change(c, n, 0x12000, PTW_D_KIND, "became swapped"));
	EXPECT_TRUE(has_change(c, n, 0x13000, PTW_D_COW | PTW_D_MAP, "cow copy -> reuse"));
	EXPECT_TRUE(has_change(c, n, 0x201000, PTW_D_GONE, "disappeared"));
	EXPECT_TRUE(has_change(c, n, 0x202000, PTW_D_APPEARED, "appeared"));
	for (i = 1; i < n; i++)
		EXPECT_LT(c[i - 1].vaddr, c[i].vaddr) TH_LOG("changes not in address order");
	CAPTURE(out, {
		fputc('[', f);
		for (i = 0; i < n; i++) {
			fputs(i ? "," : "", f);
			json_change(f, &c[i]);
		}
		fputc(']', f);
	});
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(json_ok(out)) TH_LOG("invalid JSON: %s", out);
	EXPECT_NE(NULL, strstr(out, "\"what\":[\"appeared\"],")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"old\":null"));
	EXPECT_NE(NULL, strstr(out, "\"new\":null"));
	free(out);
	free(c);
	ptw_free(&a);
	ptw_free(&b);
	free(s);
}

TEST(decode_words)
{
	char buf[128];
	unsigned int c;

	for (c = PTWALK_COW_NA; c <= PTWALK_COW_UFFD; c++)
		EXPECT_NE(NULL, ptw_cow_words(c)) TH_LOG("no words for cow %u", c);
	EXPECT_NE(NULL, strstr(ptw_cow_words(PTWALK_COW_REUSE), "reuses"));
	EXPECT_NE(NULL, strstr(ptw_cow_words(PTWALK_COW_NONE), "no copy-on-write"));
	EXPECT_NE(NULL, strstr(ptw_cow_words(PTWALK_COW_UFFD), "userfaultfd"));
	EXPECT_NE(NULL, strstr(ptw_cow_words(PTWALK_COW_NA), "not present"));
	EXPECT_STREQ("sd,uffd-wp", ptw_names(buf, sizeof(buf), PTWALK_B_SOFT_DIRTY |
					     PTWALK_B_UFFD_WP | PTWALK_B_RW, PTWALK_B_SW_MASK,
					     ptwalk_bit_names));
	EXPECT_STREQ("lru,dirty", ptw_names(buf, sizeof(buf), PTWALK_P_LRU |
					    PTWALK_P_DIRTY | PTWALK_P_ANON,
					    PTWALK_P_PGFLAGS_MASK, ptwalk_page_names));
	/* A tiny buffer truncates, never overflows (ASan would say). */
	ptw_names(buf, 4, ~0U, ~0U, ptwalk_bit_names);
	EXPECT_EQ(3U, strlen(buf));
	EXPECT_STREQ("0K", ptw_size(buf, sizeof(buf), 0));
	EXPECT_STREQ("1G", ptw_size(buf, sizeof(buf), 1ULL << 30));
	EXPECT_STREQ("12K", ptw_size(buf, sizeof(buf), 3 * 4096));
	ptw_perms(PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_SHARED, buf);
	EXPECT_STREQ("rw-s", buf);
	/* Would catch: perms decoded from the kernel's vm_flags values. */
	ptw_perms(PTWALK_VMA_EXEC | PTWALK_VMA_SOFTDIRTY, buf);
	EXPECT_STREQ("--xp", buf);
}

/*
 * The unprivileged view: PFNs, swap slots and page flags read as 0, and
 * PTWALK_P_HIDDEN pages' counts too.  None may be shown as a real 0.
 */
static void hidden_sample(struct stream *s)
{
	const size_t rs = sizeof(struct ptwalk_rec);
	struct ptwalk_rec r;

	hdr(s, rs);
	((struct ptwalk_hdr *)s->buf)->flags |= PTWALK_H_PHYS_HIDDEN;
	stream_vma(s, rs, 0x10000, 0x20000, "[heap]");
	r = present(0x10000, 0);	/* exclusive anon: counts exact */
	stream_rec(s, &r, rs);
	r = present(0x11000, 0);	/* mapped twice: counts hidden */
	r.page = PTWALK_P_ANON | PTWALK_P_SHARED | PTWALK_P_HIDDEN;
	r.mapcount = r.refcount = 0;
	r.cow = PTWALK_COW_COPY;
	stream_rec(s, &r, rs);
	r = present(0x12000, 0);
	r.page = PTWALK_P_ANON | PTWALK_P_SHARED | PTWALK_P_HIDDEN;
	r.mapcount = r.refcount = 0;
	r.cow = PTWALK_COW_COPY;
	stream_rec(s, &r, rs);
	r = swapped(0x13000, 0);
	r.swap_type = 0;
	stream_rec(s, &r, rs);
}

TEST(hidden_values_are_not_zeros)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	struct ptw_run *runs;
	char *out = NULL, buf[256];
	long n;

	ASSERT_NE(NULL, s);
	hidden_sample(s);
	ASSERT_EQ(0, parse(s, &res));
	CAPTURE(out, {
		fputc('[', f);
		for (size_t i = 0; i < res.nrecs; i++) {
			fputs(i ? "," : "", f);
			json_entry(f, &res.recs[i], 1, true, 0);
		}
		fputc(']', f);
	});
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(json_ok(out)) TH_LOG("invalid JSON: %s", out);
	/* Would catch: "pfn":"0x0", "swap_type":0, "pg":[] shown as facts. */
	EXPECT_EQ(NULL, strstr(out, "\"pfn\":\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"pfn\":null"));
	EXPECT_NE(NULL, strstr(out, "\"pg\":null"));
	EXPECT_NE(NULL, strstr(out, "\"swap_type\":null,\"swap_offset\":null"));
	EXPECT_EQ(NULL, strstr(out, "\"swap_offset\":\"")) TH_LOG("%s", out);
	/* Exact counts stay; hidden ones are null, never 0. */
	EXPECT_NE(NULL, strstr(out, "\"order\":0,\"subpage\":0,\"mapcount\":1,\"refcount\":1"));
	EXPECT_NE(NULL, strstr(out, "\"order\":null,\"subpage\":null,\"mapcount\":null,\"refcount\":null"));
	EXPECT_EQ(NULL, strstr(out, "\"hidden\"],\"pg\":null,\"order\":0")) TH_LOG("%s", out);
	free(out);

	/* The text pieces the views print. */
	EXPECT_STREQ("hidden", ptw_frame(buf, sizeof(buf), &res.recs[0], 1, true));
	EXPECT_STREQ("hidden", ptw_frame(buf, sizeof(buf), &res.recs[1], 2, true));
	EXPECT_STREQ("swap hidden", ptw_frame(buf, sizeof(buf), &res.recs[3], 1, true));
	EXPECT_STREQ("0x100-0x101", ptw_frame(buf, sizeof(buf), &(struct ptwalk_rec){
		.pfn = 0x100, .shift = 12, .kind = PTWALK_K_PRESENT }, 2, false));
	ASSERT_NE(NULL, ptw_folio_words(buf, sizeof(buf), &res.recs[1]));
	EXPECT_NE(NULL, strstr(buf, "hidden")) TH_LOG("%s", buf);
	EXPECT_EQ(NULL, strstr(buf, "mapped 0")) TH_LOG("%s", buf);
	ASSERT_NE(NULL, ptw_folio_words(buf, sizeof(buf), &res.recs[0]));
	EXPECT_NE(NULL, strstr(buf, "mapped 1 time,")) TH_LOG("%s", buf);

	/* Merging: frames unknown, so by address; hidden and exact apart. */
	n = ptw_runs(&res, NULL, &runs);
	ASSERT_EQ(3, n) TH_LOG("exclusive | 2 shared (no PFNs to check) | swap");
	EXPECT_EQ(1U, runs[0].count) TH_LOG("hidden page merged with an exact one");
	EXPECT_EQ(2U, runs[1].count) TH_LOG("hidden frames kept apart as if they differ");
	free(runs);
	ptw_free(&res);
	free(s);
}

/* A diff of unprivileged snapshots: no fake frame or mapcount changes. */
TEST(hidden_diff_has_no_fake_changes)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result a, b, root;
	struct ptw_change *c;
	char words[512];
	long n;

	ASSERT_NE(NULL, s);
	hidden_sample(s);
	ASSERT_EQ(0, parse(s, &a));
	ASSERT_EQ(0, parse(s, &b));
	b.recs[0].page |= PTWALK_P_HIDDEN;	/* forked: now shared */
	b.recs[0].page |= PTWALK_P_SHARED;
	b.recs[0].mapcount = 0;
	n = ptw_diff(&a, &b, &c);
	ASSERT_EQ(1, n);
	EXPECT_FALSE(!!(c[0].what & PTW_D_MAP)) TH_LOG("mapped 1 -> 0 times: a hidden count");
	EXPECT_TRUE(!!(c[0].what & PTW_D_PAGE));
	free(c);
	/* against a root snapshot of the same pages */
	sample(s, sizeof(struct ptwalk_rec));
	ASSERT_EQ(0, parse(s, &root));
	n = ptw_diff(&root, &a, &c);
	ASSERT_LE(0, n);
	for (long i = 0; i < n; i++) {
		EXPECT_FALSE(!!(c[i].what & (PTW_D_PFN | PTW_D_SWAP)))
			TH_LOG("0x%llx: %s", (unsigned long long)c[i].vaddr,
			       ptw_change_words(&c[i], words, sizeof(words)));
		if (c[i].what & PTW_D_APPEARED)
			EXPECT_NE(NULL, strstr(ptw_change_words(&c[i], words, sizeof(words)),
					       "hidden")) TH_LOG("%s", words);
	}
	free(c);
	ptw_free(&a);
	ptw_free(&b);
	ptw_free(&root);
	free(s);
}

TEST(json_end_object)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct ptw_result res;
	char *out = NULL;

	ASSERT_NE(NULL, s);
	sample(s, sizeof(struct ptwalk_rec));
	ASSERT_EQ(0, parse(s, &res));
	CAPTURE(out, json_end(f, &res));
	EXPECT_TRUE(json_ok(out)) TH_LOG("%s", out);
	EXPECT_STREQ("{\"end\":{\"status\":\"complete\",\"next\":\"0x800000000000\","
		     "\"entries\":9,\"vmas\":2}}", out);
	free(out);
	res.end.status = PTWALK_END_STOPPED;
	res.end.error = -4;
	CAPTURE(out, json_end(f, &res));
	EXPECT_TRUE(json_ok(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"status\":\"stopped\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"error\":-4")) TH_LOG("%s", out);
	free(out);
	ptw_free(&res);
	free(s);
}

/* Each corrupted fixture must fail for its own reason, not another. */
static const struct {
	const char *file, *err;
} bad_fixtures[] = {
	{ "bad-magic.ptw", "bad magic" },
	{ "bad-recsize.ptw", "corrupt ptwalk header" },
	{ "bad-rectype.ptw", "record type" },
	{ "bad-shift.ptw", "corrupt entry record" },
	{ "bad-truncated.ptw", "stray bytes" },
	{ "bad-version1.ptw", "made by an older ptwalk.ko, format 1" },
	{ "bad-version2.ptw",
	  "made by an older ptwalk.ko, format 2; this ptwalk reads format 3" },
	{ "bad-arch.ptw",
	  "this stream is from architecture 3, which this ptwalk cannot decode" },
	{ "bad-noend.ptw", "truncated answer: no end record" },
	{ "bad-endcount.ptw", "end record says 371 entries, stream has 370" },
};

static const char *bad_reason(const char *file)
{
	size_t i;

	for (i = 0; i < sizeof(bad_fixtures) / sizeof(bad_fixtures[0]); i++)
		if (!strcmp(bad_fixtures[i].file, file))
			return bad_fixtures[i].err;
	return NULL;
}

/* Real answers recorded in a guest: every one parses and renders. */
TEST(recorded_fixtures)
{
	DIR *d = opendir(FIXTURES);
	struct dirent *e;
	int good = 0, bad = 0;

	ASSERT_NE(NULL, d) TH_LOG("run from user/: %s missing", FIXTURES);
	while ((e = readdir(d))) {
		struct ptw_result res, again;
		struct ptw_change *c;
		struct ptw_run *runs;
		char path[512], err[256], *out = NULL;
		void *buf;
		size_t len, i, pages = 0, run_pages = 0;
		long n;

		if (!strstr(e->d_name, ".ptw"))
			continue;
		snprintf(path, sizeof(path), FIXTURES "/%s", e->d_name);
		ASSERT_EQ(0, ptw_read_file(path, &buf, &len, err, sizeof(err))) TH_LOG("%s", err);
		if (!strncmp(e->d_name, "bad-", 4)) {
			/* Corrupted copies: a clean error, never a crash. */
			EXPECT_EQ(-1, ptw_parse(buf, len, &res, err, sizeof(err)))
				TH_LOG("%s accepted", path);
			ASSERT_NE(NULL, bad_reason(e->d_name)) TH_LOG("%s: reason not listed", path);
			EXPECT_NE(NULL, strstr(err, bad_reason(e->d_name)))
				TH_LOG("%s: rejected for another reason: %s", path, err);
			EXPECT_EQ(NULL, res.recs);
			free(buf);
			bad++;
			continue;
		}
		ASSERT_EQ(0, ptw_parse(buf, len, &res, err, sizeof(err))) TH_LOG("%s: %s", path, err);
		ASSERT_EQ(0, ptw_parse(buf, len, &again, err, sizeof(err)));
		free(buf);
		EXPECT_EQ(PTWALK_END_COMPLETE, res.end.status) TH_LOG("%s", path);
		EXPECT_EQ(res.hdr.end, res.end.next) TH_LOG("%s: complete, not to the end", path);
		EXPECT_LT(0U, res.nvmas) TH_LOG("%s: no VMAs", path);
		EXPECT_LT(0U, res.nrecs) TH_LOG("%s: no entries", path);
		for (i = 1; i < res.nrecs; i++)
			EXPECT_LT(res.recs[i - 1].vaddr, res.recs[i].vaddr);
		/* Would catch: VMA records read in the old layout (vm_flags). */
		for (i = 0; i < res.nvmas; i++) {
			const struct ptw_vma *v = &res.vmas[i];
			uint32_t want = v->name[0] == '/' ? PTWALK_VMA_FILE :
					!strcmp(v->name, "[heap]") ? PTWALK_VMA_ANON |
					PTWALK_VMA_READ | PTWALK_VMA_WRITE : 0;

			EXPECT_LT(v->start, v->end) TH_LOG("%s: VMA %zu", path, i);
			EXPECT_EQ(want, v->flags & want) TH_LOG("%s: %s flags 0x%x", path,
								 v->name, v->flags);
		}
		for (i = 0; i < res.nrecs; i++) {
			const struct ptw_vma *v = &res.vmas[res.rec_vma[i]];

			EXPECT_TRUE(v->start <= res.recs[i].vaddr && res.recs[i].vaddr < v->end)
				TH_LOG("%s: entry 0x%llx outside its VMA", path,
				       (unsigned long long)res.recs[i].vaddr);
			pages += ptw_pages(&res.recs[i]);
		}
		n = ptw_runs(&res, NULL, &runs);
		ASSERT_LE(0, n);
		EXPECT_GE((long)res.nrecs, n);
		for (i = 0; i < (size_t)n; i++)
			run_pages += runs[i].count * ptw_pages(&runs[i].first);
		EXPECT_EQ(pages, run_pages) TH_LOG("%s: merging lost pages", path);
		CAPTURE(out, {
			fputc('[', f);
			for (i = 0; i < (size_t)n; i++) {
				fputs(i ? "," : "", f);
				json_entry(f, &runs[i].first, runs[i].count,
					   res.hdr.flags & PTWALK_H_PHYS_HIDDEN,
					   res.vmas[runs[i].vma].flags);
			}
			for (i = 0; i < res.nvmas; i++) {
				fputc(',', f);
				json_vma(f, &res.vmas[i]);
			}
			fputc(']', f);
		});
		EXPECT_TRUE(json_ok(out)) TH_LOG("%s: invalid JSON", path);
		free(out);
		EXPECT_EQ(0, ptw_diff(&res, &again, &c));
		free(c);
		free(runs);
		ptw_free(&res);
		ptw_free(&again);
		good++;
	}
	closedir(d);
	EXPECT_LT(0, good) TH_LOG("no recorded fixtures");
	EXPECT_EQ((int)(sizeof(bad_fixtures) / sizeof(bad_fixtures[0])), bad)
		TH_LOG("a corrupted fixture is missing");
}

TEST_HARNESS_MAIN
