// SPDX-License-Identifier: GPL-2.0
/*
 * shared_test - ptwalk shared's join and its output, on a fixture: a
 * process (pid 100) whose heap a child (101) and a grandchild (102)
 * share after fork, whose memfd an unrelated process (200) maps, whose
 * libc the child and grandchild map, and one heap page with mapcount 2
 * that no process is seen mapping (the remainder the text must name).
 * The fixture's maps and module answers are built here as the module and
 * /proc would give them (stream.h).
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libptwalk.h"
#include "shared.h"
#include "stream.h"
#include "tests/json.h"

#define P(n)	((uint64_t)(n) << 12)

static const char maps100[] =
	"555555554000-555555558000 r--p 00000000 08:01 1234 /usr/bin/prog\n"
	"555555560000-555555660000 rw-p 00000000 00:00 0                          [heap]\n"
	"7f0000000000-7f0000010000 rw-s 00000000 00:05 777 /memfd:shm (deleted)\n"
	"7f0000100000-7f0000104000 r-xp 00002000 08:01 42 /usr/lib/libc.so.6\n"
	"7ffff7ff0000-7ffff7ff1000 rw-p 00000000 00:00 0 \n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";

static struct ptwalk_rec ent(uint64_t va, uint64_t pfn, int mapcount, uint32_t page)
{
	return (struct ptwalk_rec){
		.type = PTWALK_REC_ENTRY, .vaddr = va, .pfn = pfn, .shift = 12,
		.level = PTWALK_LVL_PTE, .kind = PTWALK_K_PRESENT, .mapcount = mapcount,
		.refcount = mapcount, .page = page, .bits = PTWALK_B_PRESENT | PTWALK_B_USER,
		.node = 0,
	};
}

/* @n pages from @va mapping frames from @pfn, into @s. */
static void ents(struct stream *s, uint64_t va, uint64_t pfn, size_t n, int mapcount,
		 uint32_t page)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct ptwalk_rec r = ent(va + P(i), pfn + i, mapcount, page);

		stream_rec(s, &r, PTWALK_REC_SIZE);
	}
}

static void parse(struct __test_metadata *_metadata, struct stream *s,
		  struct ptw_result *res)
{
	char err[256];

	ASSERT_EQ(0, ptw_parse(s->buf, stream_end(s), res, err, sizeof(err))) TH_LOG("%s", err);
}

#define HEAP	0x555555560000ULL
#define MEMFD	0x7f0000000000ULL
#define LIBC	0x7f0000100000ULL
#define ANON	(PTWALK_P_ANON | PTWALK_P_LRU)
#define FILEP	(PTWALK_P_FILE | PTWALK_P_LRU)

/* pid 100's answer. */
static void target(struct __test_metadata *_metadata, struct ptw_result *res)
{
	static struct stream s;

	stream_hdr(&s, PTWALK_REC_SIZE, PTWALK_WALKER_BUILTIN, 100, "parent");
	stream_vma(&s, PTWALK_REC_SIZE, HEAP, HEAP + P(256), "[heap]");
	ents(&s, HEAP, 0x1000, 32, 3, ANON);		/* with 101 and 102 */
	ents(&s, HEAP + P(32), 0x1020, 96, 2, ANON);	/* with 101 */
	ents(&s, HEAP + P(128), 0x1080, 127, 1, ANON | PTWALK_P_ANON_EXCL);
	ents(&s, HEAP + P(255), 0x5000, 1, 2, ANON);	/* nobody seen */
	stream_vma_flags(&s, PTWALK_REC_SIZE, MEMFD, MEMFD + P(16), 0,
			 PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_SHARED | PTWALK_VMA_FILE,
			 "/memfd:shm (deleted)");
	ents(&s, MEMFD, 0x2000, 16, 2, FILEP | PTWALK_P_SHMEM);
	stream_vma_flags(&s, PTWALK_REC_SIZE, LIBC, LIBC + P(4), 2,
			 PTWALK_VMA_READ | PTWALK_VMA_EXEC | PTWALK_VMA_FILE, "/usr/lib/libc.so.6");
	ents(&s, LIBC, 0x3000, 4, 3, FILEP);
	parse(_metadata, &s, res);
}

/* The fixture: pid 100 walked, then 101, 102, 200 joined. */
static void fixture(struct __test_metadata *_metadata, struct sh *sh)
{
	static const struct sh_proc self = { 100, 1, "parent" };
	static const struct sh_proc procs[] = {
		{ 1, 0, "init" }, { 100, 1, "parent" }, { 101, 100, "child" },
		{ 102, 101, "grandchild" }, { 200, 1, "other" },
	};
	static struct stream s;
	struct ptw_result res;
	long n;

	sh_init(sh, &self);
	n = sh_parse_maps(maps100, &sh->vmas);
	ASSERT_EQ(6, n);
	sh->nvmas = (size_t)n;
	target(_metadata, &res);
	ASSERT_EQ(0, sh_add_target(sh, &res, 0, 1ULL << 47));
	ptw_free(&res);
	ASSERT_EQ(0, sh_index(sh));
	sh->all = malloc(sizeof(procs));
	ASSERT_NE(NULL, sh->all);
	memcpy(sh->all, procs, sizeof(procs));
	sh->nall = 5;

	/* 101: the heap's first 128 pages, libc, and a page of its own. */
	sh_begin(sh, &procs[2]);
	stream_hdr(&s, PTWALK_REC_SIZE, PTWALK_WALKER_BUILTIN, 101, "child");
	stream_vma(&s, PTWALK_REC_SIZE, HEAP, HEAP + P(256), "[heap]");
	ents(&s, HEAP, 0x1000, 128, 2, ANON);
	ents(&s, HEAP + P(128), 0x4000, 1, 1, ANON);
	stream_vma_flags(&s, PTWALK_REC_SIZE, LIBC, LIBC + P(4), 2,
			 PTWALK_VMA_READ | PTWALK_VMA_EXEC | PTWALK_VMA_FILE, "/usr/lib/libc.so.6");
	ents(&s, LIBC, 0x3000, 4, 3, FILEP);
	parse(_metadata, &s, &res);
	sh_join(sh, &res, 0, 1ULL << 47);
	ptw_free(&res);
	ASSERT_EQ(0, sh_end(sh));

	/*
	 * 102: 32 heap pages, libc; its answer covers more than the range
	 * joined, [HEAP, HEAP + 32 pages): the rest must not count.
	 */
	sh_begin(sh, &procs[3]);
	stream_hdr(&s, PTWALK_REC_SIZE, PTWALK_WALKER_BUILTIN, 102, "grandchild");
	stream_vma(&s, PTWALK_REC_SIZE, HEAP, HEAP + P(256), "[heap]");
	ents(&s, HEAP, 0x1000, 40, 3, ANON);
	parse(_metadata, &s, &res);
	sh_join(sh, &res, HEAP, HEAP + P(32));
	ptw_free(&res);
	stream_hdr(&s, PTWALK_REC_SIZE, PTWALK_WALKER_BUILTIN, 102, "grandchild");
	stream_vma_flags(&s, PTWALK_REC_SIZE, LIBC, LIBC + P(4), 2,
			 PTWALK_VMA_READ | PTWALK_VMA_EXEC | PTWALK_VMA_FILE, "/usr/lib/libc.so.6");
	ents(&s, LIBC, 0x3000, 4, 3, FILEP);
	parse(_metadata, &s, &res);
	sh_join(sh, &res, LIBC, LIBC + P(4));
	ptw_free(&res);
	ASSERT_EQ(0, sh_end(sh));

	/* 200: the memfd, elsewhere, twice (its pages count once). */
	sh_begin(sh, &procs[4]);
	stream_hdr(&s, PTWALK_REC_SIZE, PTWALK_WALKER_BUILTIN, 200, "other");
	stream_vma_flags(&s, PTWALK_REC_SIZE, 0x7e0000000000ULL, 0x7e0000020000ULL, 0,
			 PTWALK_VMA_READ | PTWALK_VMA_SHARED | PTWALK_VMA_FILE,
			 "/memfd:shm (deleted)");
	ents(&s, 0x7e0000000000ULL, 0x2000, 16, 2, FILEP | PTWALK_P_SHMEM);
	ents(&s, 0x7e0000010000ULL, 0x2000, 16, 2, FILEP | PTWALK_P_SHMEM);
	parse(_metadata, &s, &res);
	sh_join(sh, &res, 0, 1ULL << 47);
	ptw_free(&res);
	ASSERT_EQ(0, sh_end(sh));
	sh->visited = 3;
	sh->queries = 5;
	sh->walker = PTWALK_WALKER_BUILTIN;
	sh_finish(sh);
}

#define CAPTURE(buf, code) do {						\
	size_t _len;							\
	FILE *f = open_memstream(&(buf), &_len);			\
	code;								\
	fclose(f);							\
} while (0)

TEST(maps_parse)
{
	struct sh_vma *v;
	long n = sh_parse_maps(maps100, &v);

	ASSERT_EQ(6, n);
	EXPECT_EQ(0x555555554000ULL, v[0].start);
	EXPECT_EQ(1234ULL, v[0].inode);
	EXPECT_EQ(8U, v[0].dev_major);
	EXPECT_STREQ("[heap]", v[1].name);
	EXPECT_STREQ("/memfd:shm (deleted)", v[2].name);
	EXPECT_STREQ("rw-s", v[2].perms);
	EXPECT_EQ(2ULL, v[3].pgoff);
	EXPECT_STREQ("[anon]", v[4].name);
	free(v);
	EXPECT_EQ(-1, sh_parse_maps("zzz\n", &v));
	EXPECT_EQ(-1, sh_parse_maps("2000-1000 rw-p 0 00:00 0\n", &v));
}

/* Where another process is walked: candidate VMAs, at the frames' indexes. */
TEST(ranges)
{
	static const struct sh_proc self = { 100, 1, "parent" };
	struct sh_range *r = NULL;
	size_t n = 0, cap = 0, i;
	struct ptw_result res;
	struct sh_vma *q;
	struct sh sh;

	sh_init(&sh, &self);
	ASSERT_EQ(6, sh_parse_maps(maps100, &sh.vmas));
	sh.nvmas = 6;
	target(_metadata, &res);
	ASSERT_EQ(0, sh_add_target(&sh, &res, 0, 1ULL << 47));
	ptw_free(&res);
	ASSERT_EQ(0, sh_index(&sh));
	/* Mappings to find: heap 32*2 + 96 + 1, memfd 16, libc 4*2. */
	EXPECT_EQ(64ULL + 96 + 1, sh.need_anon);
	EXPECT_EQ(16ULL, sh.vmas[2].need);
	EXPECT_EQ(8ULL, sh.vmas[3].need);
	EXPECT_TRUE(sh_needed(&sh));
	ASSERT_EQ(7, sh_parse_maps(
		/* 0: the heap where pid 100's is (forked): its indexes 0-127, 255 */
		"555555560000-555555660000 rw-p 00000000 00:00 0 [heap]\n"
		/* 1: private, elsewhere, its own indexes: nothing */
		"600000000000-600000100000 rw-p 00000000 00:00 0\n"
		/* 2: the memfd, elsewhere: its pages 0-15 */
		"7e0000000000-7e0000020000 rw-s 00000000 00:05 777 /memfd:shm (deleted)\n"
		/* 3: another memfd: nothing */
		"7e0000100000-7e0000200000 rw-s 00000000 00:05 778 /memfd:else (deleted)\n"
		/* 4: the same inode on another device: nothing */
		"7e0000300000-7e0000301000 r--s 00000000 08:02 42 /other/fs/same-inode\n"
		/* 5: libc from offset 0: pages 2-5 of the file are 2 pages in */
		"7f1000000000-7f1000010000 r-xp 00000000 08:01 42 /usr/lib/libc.so.6\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n", &q));
	for (i = 0; i < 7; i++)
		ASSERT_EQ(0, sh_ranges(&sh, &q[i], i, &r, &n, &cap));
	ASSERT_EQ(4U, n);
	/* Private VMAs whole (anonymous frames to find), wherever they are. */
	EXPECT_EQ(HEAP, r[0].start);
	EXPECT_EQ(HEAP + P(256), r[0].end);
	EXPECT_EQ(0x600000000000ULL, r[1].start);
	EXPECT_EQ(0x600000100000ULL, r[1].end);
	EXPECT_EQ(0x7e0000000000ULL, r[2].start);
	EXPECT_EQ(0x7e0000000000ULL + P(16), r[2].end);
	EXPECT_EQ(2U, r[2].vma);
	/* libc is private: whole while anonymous frames are to be found, */
	EXPECT_EQ(0x7f1000000000ULL, r[3].start);
	EXPECT_EQ(5U, r[3].vma);
	/* ... only its pages 2-5 of the file when only file frames are. */
	sh.need_anon = 0;
	n = 0;
	ASSERT_EQ(0, sh_ranges(&sh, &q[5], 5, &r, &n, &cap));
	ASSERT_EQ(1U, n);
	EXPECT_EQ(0x7f1000000000ULL + P(2), r[0].start) TH_LOG("libc pages 2-5");
	EXPECT_EQ(0x7f1000000000ULL + P(6), r[0].end);
	n = 0;
	ASSERT_EQ(0, sh_ranges(&sh, &q[0], 0, &r, &n, &cap));
	EXPECT_EQ(0U, n) TH_LOG("no anonymous frame left to find");
	/* Once every mapping is found, nothing is walked. */
	sh.vmas[2].need = sh.vmas[3].need = 0;
	EXPECT_FALSE(sh_needed(&sh));
	n = 0;
	for (i = 0; i < 7; i++)
		ASSERT_EQ(0, sh_ranges(&sh, &q[i], i, &r, &n, &cap));
	EXPECT_EQ(0U, n);
	free(r);
	free(q);
	sh_free(&sh);
}

TEST(join_sums)
{
	struct sh sh;
	size_t i;

	fixture(_metadata, &sh);
	EXPECT_EQ(128ULL + 127 + 1 + 16 + 4, sh.pages);
	EXPECT_EQ(128ULL + 1 + 16 + 4, sh.multi);
	EXPECT_EQ(128ULL + 16 + 4, sh.found);
	EXPECT_EQ(0ULL, sh.self_found);
	EXPECT_EQ(sh.multi, sh.frames_multi);
	EXPECT_EQ(sh.multi - 1, sh.frames_all_found);
	/* heap 32*3 + 96*2 + 1, memfd 16*3 (200 maps it twice), libc 4*3 */
	EXPECT_EQ(96ULL + 192 + 1 + 48 + 12, sh.mappings);
	EXPECT_EQ(96ULL + 192 + 2 + 32 + 12, sh.mapcount);
	EXPECT_EQ(128ULL, sh.vmas[1].found);
	EXPECT_EQ(2U, sh.vmas[1].nprocs);
	EXPECT_EQ(1U, sh.vmas[2].nprocs);
	EXPECT_EQ(2U, sh.vmas[3].nprocs);
	ASSERT_EQ(5U, sh.npairs);
	/* heap: 101 with 128 pages first, then 102 with 32 */
	EXPECT_EQ(1U, sh.pairs[0].vma);
	EXPECT_EQ(101, sh.partners[sh.pairs[0].proc].pid);
	EXPECT_EQ(128ULL, sh.pairs[0].pages);
	EXPECT_EQ(102, sh.partners[sh.pairs[1].proc].pid);
	EXPECT_EQ(32ULL, sh.pairs[1].pages);
	EXPECT_EQ(200, sh.partners[sh.pairs[2].proc].pid);
	EXPECT_EQ(16ULL, sh.pairs[2].pages);
	for (i = 0; i < sh.npairs; i++)
		EXPECT_NE(100, sh.partners[sh.pairs[i].proc].pid);
	EXPECT_STREQ("child", sh_relation(&sh, 101));
	EXPECT_STREQ("grandchild", sh_relation(&sh, 102));
	EXPECT_STREQ("", sh_relation(&sh, 200));
	EXPECT_STREQ("parent", sh_relation(&sh, 1));
	sh_free(&sh);
}

/* A frame PID maps twice: shared with itself, counted once per page. */
TEST(self_twice)
{
	static const struct sh_proc self = { 100, 1, "parent" };
	static struct stream s;
	struct ptw_result res;
	struct sh sh;

	sh_init(&sh, &self);
	ASSERT_EQ(6, sh_parse_maps(maps100, &sh.vmas));
	sh.nvmas = 6;
	stream_hdr(&s, PTWALK_REC_SIZE, PTWALK_WALKER_BUILTIN, 100, "parent");
	stream_vma(&s, PTWALK_REC_SIZE, HEAP, HEAP + P(256), "[heap]");
	ents(&s, HEAP, 0x1000, 2, 2, ANON | PTWALK_P_KSM);
	ents(&s, HEAP + P(2), 0x1000, 1, 2, ANON | PTWALK_P_KSM);
	parse(_metadata, &s, &res);
	ASSERT_EQ(0, sh_add_target(&sh, &res, 0, 1ULL << 47));
	ptw_free(&res);
	ASSERT_EQ(0, sh_index(&sh));
	sh_finish(&sh);
	EXPECT_EQ(3ULL, sh.multi);
	EXPECT_EQ(2ULL, sh.found);
	EXPECT_EQ(2ULL, sh.self_found);
	ASSERT_EQ(1U, sh.npairs);
	EXPECT_EQ(100, sh.partners[sh.pairs[0].proc].pid);
	EXPECT_STREQ("itself", sh_relation(&sh, 100));
	sh_free(&sh);
}

TEST(text)
{
	struct sh sh;
	char *out = NULL;

	fixture(_metadata, &sh);
	CAPTURE(out, sh_text(f, &sh));
	EXPECT_NE(NULL, strstr(out, "pid 100 (parent): its pages other processes map too (not atomic"));
	EXPECT_NE(NULL, strstr(out, "  shares 512K with 2 processes in [heap]\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "  shares 64K with pid 200 in /memfd:shm (deleted)\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "  shares 16K with 2 processes in /usr/lib/libc.so.6\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "0x555555560000-0x555555660000 rw-p     256     129     128   512K     2  [heap]\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\n          101     100 child       child               128   512K\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\n          102     101 grandchild  grandchild           32   128K\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\n          200       1 -           other                16    64K\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "149 of its 276 pages (596K) map a frame with a mapcount over 1; 148 (592K) found shared; 1 not found"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "148 of 149 such frames have as many mappings found as their mapcount"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "3 other processes walked (0 exited meanwhile) in 5 queries, walker builtin; 0 not walked"))
		TH_LOG("%s", out);
	/* VMAs with nothing of mapcount > 1 are not listed. */
	EXPECT_EQ(NULL, strstr(out, "/usr/bin/prog")) TH_LOG("%s", out);
	free(out);
	sh_free(&sh);
}

TEST(json)
{
	struct jv *j, *v, *w, *t;
	struct sh sh;
	char *out = NULL;

	fixture(_metadata, &sh);
	CAPTURE(out, sh_json(f, &sh));
	j = jv_parse(out);
	ASSERT_NE(NULL, j) TH_LOG("not JSON: %s", out);
	EXPECT_EQ(100, (int)jv_get(j, "pid")->num);
	EXPECT_STREQ("parent", jv_str(jv_get(j, "comm")));
	v = jv_get(j, "vmas");
	ASSERT_NE(NULL, v);
	ASSERT_EQ(3U, v->n) TH_LOG("%s", out);	/* heap, memfd, libc: and none else */
	EXPECT_STREQ("[heap]", jv_str(jv_get(jv_at(v, 0), "name")));
	EXPECT_EQ(0x555555560000ULL, jv_hex(jv_get(jv_at(v, 0), "start")));
	EXPECT_EQ(128, (int)jv_get(jv_at(v, 0), "shared_pages")->num);
	EXPECT_EQ(524288, (int)jv_get(jv_at(v, 0), "shared_bytes")->num);
	w = jv_get(jv_at(v, 0), "with");
	ASSERT_NE(NULL, w);
	ASSERT_EQ(2U, w->n);
	EXPECT_EQ(101, (int)jv_get(jv_at(w, 0), "pid")->num);
	EXPECT_STREQ("child", jv_str(jv_get(jv_at(w, 0), "relation")));
	EXPECT_STREQ("grandchild", jv_str(jv_get(jv_at(w, 1), "relation")));
	w = jv_get(jv_at(v, 1), "with");
	ASSERT_NE(NULL, w);
	EXPECT_TRUE(jv_get(jv_at(w, 0), "relation")->t == J_NULL);
	t = jv_get(j, "totals");
	ASSERT_NE(NULL, t);
	EXPECT_EQ(149, (int)jv_get(t, "mapcount_over_1")->num);
	EXPECT_EQ(148, (int)jv_get(t, "shared")->num);
	EXPECT_EQ(1, (int)jv_get(t, "not_found")->num);
	EXPECT_EQ(3, (int)jv_get(t, "processes")->num);
	EXPECT_STREQ("complete", jv_str(jv_get(jv_get(j, "end"), "status")));
	jv_free(j);
	free(out);
	sh_free(&sh);
}

TEST_HARNESS_MAIN
