// SPDX-License-Identifier: GPL-2.0
/*
 * metrics_test - "ptwalk metrics"' formatter on the host: classes, the
 * PSS/USS-like shares, nodes, the unprivileged view, label escaping, the
 * text's shape (HELP and TYPE before each family's samples, one block per
 * family, # EOF last) on built streams and on the recorded fixtures in
 * tests/fixtures/.  promtool, when installed (Debian's prometheus), checks
 * the same texts.  Each check says the bug it would catch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libptwalk.h"
#include "metrics.h"
#include "stream.h"

#define FIXTURES "tests/fixtures"

static struct ptwalk_rec present(uint64_t va, uint64_t pfn, uint32_t page)
{
	struct ptwalk_rec r = {
		.type = PTWALK_REC_ENTRY, .vaddr = va, .pfn = pfn, .shift = 12,
		.level = PTWALK_LVL_PTE, .kind = PTWALK_K_PRESENT,
		.bits = PTWALK_B_PRESENT | PTWALK_B_RW | PTWALK_B_USER,
		.page = page, .mapcount = 1, .refcount = 1,
		.cow = PTWALK_COW_WRITABLE, .node = 0,
	};

	return r;
}

/*
 * One VMA of each class:
 *   [heap]     2 exclusive pages, one of them on node 1
 *   [stack]    1 page mapped twice (after fork), CoW copy
 *   anon       a 2M THP, one swapped page (soft-dirty), a zero page
 *   /lib/x.so  a file page mapped 4 times
 *   /dev/zero  a shmem page (MAP_SHARED anonymous)
 *   hugetlb    one 2M hugetlb page
 */
static void sample(struct stream *s, const char *comm, uint32_t flags)
{
	struct ptwalk_rec r;

	stream_hdr(s, PTWALK_REC_SIZE, PTWALK_WALKER_KERNEL, 42, comm);
	((struct ptwalk_hdr *)s->buf)->flags = flags;
	stream_vma(s, PTWALK_REC_SIZE, 0x10000, 0x20000, "[heap]");
	r = present(0x10000, 0x100, PTWALK_P_ANON | PTWALK_P_ANON_EXCL);
	stream_rec(s, &r, PTWALK_REC_SIZE);
	r = present(0x11000, 0x205, PTWALK_P_ANON | PTWALK_P_ANON_EXCL);
	r.node = 1;
	stream_rec(s, &r, PTWALK_REC_SIZE);
	stream_vma_flags(s, PTWALK_REC_SIZE, 0x7ff000, 0x800000, 0,
			 PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_GROWSDOWN, "[stack]");
	r = present(0x7ff000, 0x300, PTWALK_P_ANON);
	r.bits &= ~PTWALK_B_RW;
	r.cow = PTWALK_COW_COPY;
	r.mapcount = 2;
	stream_rec(s, &r, PTWALK_REC_SIZE);
	stream_vma(s, PTWALK_REC_SIZE, 0x1000000, 0x1400000, "[anon]");
	r = present(0x1000000, 0x4000, PTWALK_P_ANON | PTWALK_P_THP);
	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.order = 9;
	stream_rec(s, &r, PTWALK_REC_SIZE);
	r = (struct ptwalk_rec){ .type = PTWALK_REC_ENTRY, .vaddr = 0x1200000, .shift = 12,
				 .kind = PTWALK_K_SWAP, .swap_type = 0, .swap_offset = 9,
				 .bits = PTWALK_B_SOFT_DIRTY, .node = -1 };
	stream_rec(s, &r, PTWALK_REC_SIZE);
	r = present(0x1201000, 0x0, PTWALK_P_ZERO);
	r.bits &= ~PTWALK_B_RW;
	r.cow = PTWALK_COW_COPY;
	stream_rec(s, &r, PTWALK_REC_SIZE);
	stream_vma_flags(s, PTWALK_REC_SIZE, 0x2000000, 0x2001000, 0,
			 PTWALK_VMA_READ | PTWALK_VMA_EXEC | PTWALK_VMA_FILE, "/lib/x.so");
	r = present(0x2000000, 0x900, PTWALK_P_FILE);
	r.mapcount = 4;
	r.cow = PTWALK_COW_NONE;
	stream_rec(s, &r, PTWALK_REC_SIZE);
	stream_vma_flags(s, PTWALK_REC_SIZE, 0x3000000, 0x3001000, 0,
			 PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_SHARED | PTWALK_VMA_FILE,
			 "/dev/zero (deleted)");
	r = present(0x3000000, 0x901, PTWALK_P_FILE | PTWALK_P_SHMEM);
	r.cow = PTWALK_COW_NONE;
	stream_rec(s, &r, PTWALK_REC_SIZE);
	stream_vma_flags(s, PTWALK_REC_SIZE, 0x40000000, 0x40200000, 0,
			 PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_HUGETLB |
			 PTWALK_VMA_FILE, "/anon_hugepage (deleted)");
	r = present(0x40000000, 0x8000, PTWALK_P_ANON | PTWALK_P_HUGETLB);
	r.shift = 21;
	r.level = PTWALK_LVL_PMD;
	r.order = 9;
	stream_rec(s, &r, PTWALK_REC_SIZE);
}

/* The metrics text of @n answers @s, @vanished more counted as vanished. */
static char *text_of(struct stream *s, size_t n, int vanished)
{
	struct ptw_metrics *m = ptw_metrics_new();
	char *out = NULL, err[256];
	size_t len = 0, i;
	FILE *f;

	if (!m)
		return NULL;
	for (i = 0; i < n; i++) {
		struct ptw_result res;

		if (ptw_parse(s[i].buf, stream_end(&s[i]), &res, err, sizeof(err))) {
			fprintf(stderr, "# parse: %s\n", err);
			ptw_metrics_free(m);
			return NULL;
		}
		if (ptw_metrics_add(m, &res))
			abort();
		ptw_free(&res);
	}
	while (vanished--)
		ptw_metrics_note(m, PTW_S_VANISHED);
	f = open_memstream(&out, &len);
	ptw_metrics_print(f, m);
	fclose(f);
	ptw_metrics_free(m);
	return out;
}

/* Whether @text has the sample line @line exactly. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
		p++;
	}
	return false;
}

#define SAMPLE(name, class, v) \
	name "{pid=\"42\",comm=\"t\",class=\"" class "\"} " v

/*
 * The text's shape, as the formats require: HELP then TYPE gauge before a
 * family's first sample, each family in one block (never named again
 * after another family started), sample names all of known families, no
 * series twice, "# EOF" the last line.
 */
static const char *shape_error(const char *text)
{
	static char why[256];
	char *copy = strdup(text), *save = NULL, *line, fam[128] = "";
	char *seen = calloc(1, strlen(text) + 2), *series = calloc(1, strlen(text) + 2);
	bool eof = false;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[128];

		if (eof) {
			snprintf(why, sizeof(why), "a line after # EOF: %.80s", line);
			goto bad;
		}
		if (!strcmp(line, "# EOF")) {
			eof = true;
			continue;
		}
		if (sscanf(line, "# HELP %127s", name) == 1) {
			char key[132];

			snprintf(key, sizeof(key), "|%s|", name);
			if (strstr(seen, key)) {
				snprintf(why, sizeof(why), "family %s twice", name);
				goto bad;
			}
			strcat(seen, key);
			snprintf(fam, sizeof(fam), "%s", name);
			continue;
		}
		if (sscanf(line, "# TYPE %127s", name) == 1) {
			char want[200];

			snprintf(want, sizeof(want), "# TYPE %s gauge", fam);
			if (strcmp(name, fam) || strcmp(line, want)) {
				snprintf(why, sizeof(why), "TYPE not after its HELP: %.80s", line);
				goto bad;
			}
			continue;
		}
		if (strncmp(line, fam, strlen(fam)) || line[strlen(fam)] != '{') {
			snprintf(why, sizeof(why), "sample outside its family %s: %.80s", fam, line);
			goto bad;
		}
		{
			char key[512];

			snprintf(key, sizeof(key), "|%.*s|", (int)(strrchr(line, ' ') - line), line);
			if (strstr(series, key)) {
				snprintf(why, sizeof(why), "series twice: %.80s", line);
				goto bad;
			}
			strcat(series, key);
		}
	}
	if (!eof) {
		snprintf(why, sizeof(why), "no # EOF");
		goto bad;
	}
	free(copy);
	free(seen);
	free(series);
	return NULL;
bad:
	free(copy);
	free(seen);
	free(series);
	return why;
}

/* promtool check metrics on @text: 0 ok, 1 complaint, -1 not installed. */
static int promtool(const char *text)
{
	FILE *p;

	if (system("command -v promtool >/dev/null 2>&1"))
		return -1;
	p = popen("promtool check metrics >&2", "w");
	if (!p)
		return 1;
	fputs(text, p);
	return pclose(p) ? 1 : 0;
}

/* Each class gets its VMA's pages: a class picked by the wrong rule moves bytes. */
TEST(classes)
{
	struct stream s;
	char *t;

	sample(&s, "t", 0);
	t = text_of(&s, 1, 0);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_present_bytes", "heap", "8192")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_present_bytes", "stack", "4096")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_present_bytes", "anon", "2101248")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_present_bytes", "file", "4096")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_present_bytes", "shmem", "4096")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_present_bytes", "hugetlb", "2097152")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_vmas", "anon", "1")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_swapped_bytes", "anon", "4096")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_thp_bytes", "anon", "2097152")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_hugetlb_bytes", "hugetlb", "2097152")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_zero_bytes", "anon", "4096")));
	/* the zero page and the stack's shared page: a write copies both */
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_cow_pending_bytes", "anon", "4096")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_cow_pending_bytes", "stack", "4096")));
	/* a swapped page's soft-dirty bit counts too */
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_soft_dirty_bytes", "anon", "4096")));
	free(t);
}

/* PSS divides by the mapcount, USS-like counts mapcount 1; zero pages neither. */
TEST(shares)
{
	struct stream s;
	char *t;

	sample(&s, "t", 0);
	t = text_of(&s, 1, 0);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_pss_bytes", "heap", "8192")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_exclusive_bytes", "heap", "8192")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_pss_bytes", "stack", "2048")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_exclusive_bytes", "stack", "0")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_pss_bytes", "file", "1024")));
	/* the THP counts, the zero page does not */
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_pss_bytes", "anon", "2097152")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_exclusive_bytes", "anon", "2097152")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_counts_hidden_bytes", "file", "0")));
	free(t);
}

/* Per node, in node order; a zero page has no node to count. */
TEST(nodes)
{
	struct stream s;
	char *t;

	sample(&s, "t", 0);
	t = text_of(&s, 1, 0);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(has_line(t, "ptwalk_node_bytes{pid=\"42\",comm=\"t\",class=\"heap\",node=\"0\"} 4096"));
	EXPECT_TRUE(has_line(t, "ptwalk_node_bytes{pid=\"42\",comm=\"t\",class=\"heap\",node=\"1\"} 4096"));
	EXPECT_TRUE(has_line(t, "ptwalk_node_bytes{pid=\"42\",comm=\"t\",class=\"anon\",node=\"0\"} 2097152"));
	EXPECT_TRUE(strstr(t, "class=\"heap\",node=\"0\"") < strstr(t, "class=\"heap\",node=\"1\""));
	free(t);
}

/*
 * The unprivileged view: no KSM sample (the module never tells it), and
 * pages with hidden counts go to counts_hidden, not into PSS as if single.
 */
TEST(hidden_view)
{
	struct stream s;
	struct ptwalk_rec r;
	char *t;

	stream_hdr(&s, PTWALK_REC_SIZE, PTWALK_WALKER_KERNEL, 42, "t");
	((struct ptwalk_hdr *)s.buf)->flags = PTWALK_H_PHYS_HIDDEN;
	stream_vma_flags(&s, PTWALK_REC_SIZE, 0x2000000, 0x2002000, 0,
			 PTWALK_VMA_READ | PTWALK_VMA_FILE, "/lib/x.so");
	r = present(0x2000000, 0, PTWALK_P_FILE | PTWALK_P_HIDDEN);
	r.mapcount = 0;
	stream_rec(&s, &r, PTWALK_REC_SIZE);
	t = text_of(&s, 1, 0);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(NULL, strstr(t, "ptwalk_ksm_bytes{"));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_counts_hidden_bytes", "file", "4096")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_pss_bytes", "file", "0")));
	EXPECT_TRUE(has_line(t, SAMPLE("ptwalk_exclusive_bytes", "file", "0")));
	free(t);
}

/* A hostile comm (quote, backslash, newline, not UTF-8) cannot break a line. */
TEST(comm_escaped)
{
	struct stream s;
	char *t;

	sample(&s, "a\"b\\c\nd\xff", 0);
	t = text_of(&s, 1, 0);
	ASSERT_NE(NULL, t);
	EXPECT_NE(NULL, strstr(t, "comm=\"a\\\"b\\\\c?d?\""));
	EXPECT_EQ(NULL, shape_error(t));
	EXPECT_NE(1, promtool(t));
	free(t);
}

/* Two processes: each family one block; vanished ones are counted. */
TEST(two_processes_shape)
{
	struct stream s[2];
	const char *why;
	char *t;

	sample(&s[0], "t", 0);
	sample(&s[1], "u", 0);
	((struct ptwalk_hdr *)s[1].buf)->pid = 43;
	t = text_of(s, 2, 3);
	ASSERT_NE(NULL, t);
	why = shape_error(t);
	EXPECT_EQ(NULL, why) TH_LOG("%s", why);
	EXPECT_TRUE(has_line(t, "ptwalk_scrape_processes{result=\"ok\"} 2"));
	EXPECT_TRUE(has_line(t, "ptwalk_scrape_processes{result=\"vanished\"} 3"));
	EXPECT_TRUE(has_line(t, "ptwalk_present_bytes{pid=\"43\",comm=\"u\",class=\"heap\"} 8192"));
	EXPECT_EQ(NULL, strstr(t, "0x"));	/* no addresses */
	EXPECT_NE(1, promtool(t));
	free(t);
}

/* The shape checker itself: each broken text must be refused. */
TEST(shape_checker_refuses)
{
	EXPECT_NE(NULL, shape_error("# HELP a x\n# TYPE a gauge\na{b=\"1\"} 1\n"));
	EXPECT_NE(NULL, shape_error("a{b=\"1\"} 1\n# EOF\n"));
	EXPECT_NE(NULL, shape_error("# HELP a x\n# TYPE a gauge\na{b=\"1\"} 1\na{b=\"1\"} 2\n# EOF\n"));
	EXPECT_NE(NULL, shape_error("# HELP a x\n# TYPE a gauge\n# HELP c x\n# TYPE c gauge\n"
				    "a{b=\"1\"} 1\n# EOF\n"));
	EXPECT_EQ(NULL, shape_error("# HELP a x\n# TYPE a gauge\na{b=\"1\"} 1\n# EOF\n"));
}

/*
 * The recorded guest answers: per-class present and swapped bytes add up
 * to ptw_count()'s totals (what "ptwalk summary" shows), and the text has
 * its shape and passes promtool.
 */
TEST(fixtures)
{
	static const char *const names[] = { "states.ptw", "sleep.ptw" };
	size_t i, k;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[256], err[256], *out = NULL, *line, *save = NULL;
		uint64_t want_p = 0, want_s = 0, got_p = 0, got_s = 0;
		struct ptw_metrics *m = ptw_metrics_new();
		struct ptw_result res;
		struct ptw_counts *c;
		const char *why;
		size_t len = 0;
		void *buf;
		FILE *f;

		snprintf(path, sizeof(path), FIXTURES "/%s", names[i]);
		ASSERT_EQ(0, ptw_read_file(path, &buf, &len, err, sizeof(err))) TH_LOG("%s", err);
		ASSERT_EQ(0, ptw_parse(buf, len, &res, err, sizeof(err))) TH_LOG("%s", err);
		free(buf);
		c = ptw_count(&res, NULL);
		ASSERT_NE(NULL, c);
		for (k = 0; k <= res.nvmas; k++) {
			want_p += c[k].present << 12;
			want_s += c[k].swapped << 12;
		}
		free(c);
		ASSERT_EQ(0, ptw_metrics_add(m, &res));
		ptw_free(&res);
		f = open_memstream(&out, &len);
		ptw_metrics_print(f, m);
		fclose(f);
		ptw_metrics_free(m);
		why = shape_error(out);
		EXPECT_EQ(NULL, why) TH_LOG("%s: %s", names[i], why);
		EXPECT_NE(1, promtool(out));
		for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			unsigned long long v;
			char *sp = strrchr(line, ' ');

			if (!sp || sscanf(sp, " %llu", &v) != 1)
				continue;
			if (!strncmp(line, "ptwalk_present_bytes{", 21))
				got_p += v;
			if (!strncmp(line, "ptwalk_swapped_bytes{", 21))
				got_s += v;
		}
		EXPECT_NE(0ULL, (unsigned long long)want_p);
		EXPECT_EQ(want_p, got_p) TH_LOG("%s", names[i]);
		EXPECT_EQ(want_s, got_s) TH_LOG("%s", names[i]);
		free(out);
	}
}

TEST_HARNESS_MAIN
