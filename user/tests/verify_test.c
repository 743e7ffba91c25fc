// SPDX-License-Identifier: GPL-2.0
/*
 * verify_test - ptwalk verify's rounds and outcomes on the host: the
 * module and pagemap are stand-ins (struct ptw_verify's query and
 * read_pagemap) that answer from a script, one answer per read, so a page
 * that agrees late, disagrees stably, keeps changing, or whose process or
 * VMA goes between two reads is made exactly.
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ptwalk_names.h"
#include "verify.h"

#include "stream.h"

#define VA	0x10000ULL
#define PFN	0x100

/* What the module answers, per query. */
enum { M_NONE = -1, M_NO_VMA = -2, M_ESRCH = -3, M_EXITED = -4 };
/* What pagemap reads, per read. */
enum { P_EMPTY = -1, P_FAIL = -2 };

struct world {
	const long *mod, *pm;	/* scripts: the last answer repeats */
	size_t nm, np, im, ip;
};

static long next(const long *v, size_t n, size_t *i)
{
	long x = v[*i < n ? *i : n - 1];

	(*i)++;
	return x;
}

static struct ptwalk_rec entry(uint64_t va, uint64_t pfn)
{
	struct ptwalk_rec r = {
		.type = PTWALK_REC_ENTRY, .vaddr = va, .pfn = pfn, .shift = 12,
		.level = PTWALK_LVL_PTE, .kind = PTWALK_K_PRESENT,
		.bits = PTWALK_B_PRESENT | PTWALK_B_RW | PTWALK_B_USER,
		.page = PTWALK_P_ANON | PTWALK_P_ANON_EXCL, .mapcount = 1, .refcount = 1,
		.cow = PTWALK_COW_WRITABLE, .raw = (pfn << 12) | 0x67,
	};

	return r;
}

/* An answer for [VA, VA + 4K): its VMA, and the entry unless @pfn < 0. */
static int answer(long pfn, bool vma, __u8 status, struct ptw_result *res, char *err,
		  size_t len)
{
	static struct stream s;
	struct ptwalk_rec r = entry(VA, pfn < 0 ? 0 : (uint64_t)pfn);
	__u64 entries = 0, vmas = 0;

	stream_hdr(&s, sizeof(r), PTWALK_WALKER_KERNEL, 1, "t");
	if (vma)
		stream_vma(&s, sizeof(r), VA, VA + 4096, "[anon]");
	if (vma && pfn >= 0)
		stream_rec(&s, &r, sizeof(r));
	stream_counts(&s, &entries, &vmas);
	stream_end_rec(&s, sizeof(r), status, status == PTWALK_END_COMPLETE ? 1ULL << 47 : VA,
		       entries, vmas, 0);
	return ptw_parse(s.buf, s.len, res, err, len);
}

static int fake_query(struct ptw_verify *vs, const char *q, struct ptw_result *res,
		      char *err, size_t len)
{
	struct world *w = vs->priv;
	long m = next(w->mod, w->nm, &w->im);

	if (m == M_ESRCH) {
		snprintf(err, len, "no such process");
		errno = ESRCH;
		return -1;
	}
	if (m == M_EXITED)
		return answer(M_NONE, false, PTWALK_END_EXITED, res, err, len);
	return answer(m, m != M_NO_VMA, PTWALK_END_COMPLETE, res, err, len);
}

static uint64_t pm_of(long pfn)
{
	return pfn < 0 ? 0 : PTWALK_PM_PRESENT | PTWALK_PM_MMAP_EXCLUSIVE | (uint64_t)pfn;
}

static bool fake_pagemap(struct ptw_verify *vs, uint64_t va, uint64_t *pm)
{
	struct world *w = vs->priv;
	long p = next(w->pm, w->np, &w->ip);

	*pm = pm_of(p);
	return p != P_FAIL;
}

/* A pid that is no process any more. */
static pid_t dead_pid(void)
{
	pid_t c = fork();

	if (c == 0)
		_exit(0);
	waitpid(c, NULL, 0);
	return c;
}

/*
 * Verify the one page the module first said maps PFN, with pagemap first
 * reading @pm0, then the scripts.  Return: the exit status.
 */
static int run_at(struct ptw_verify *vs, struct world *w, bool live, pid_t pid,
		  unsigned long long start)
{
	struct ptw_result res;
	char err[256];

	*vs = (struct ptw_verify)PTW_VERIFY_INIT;
	vs->pid = pid;
	vs->start_time = start;
	vs->live = live;
	vs->filter.node = -1;
	vs->query = fake_query;
	vs->read_pagemap = fake_pagemap;
	vs->priv = w;
	if (answer(PFN, true, PTWALK_END_COMPLETE, &res, err, sizeof(err)))
		return -1;
	ptw_verify_run(vs, &res);
	ptw_free(&res);
	return ptw_verify_status(vs);
}

/* The same with a start time no process has: every mm gone is an exit. */
static int run(struct ptw_verify *vs, struct world *w, bool live, pid_t pid)
{
	return run_at(vs, w, live, pid, 1);
}

#define WORLD(m, p)	{ .mod = (m), .pm = (p), .nm = PTWALK_ARRAY_LEN(m), .np = PTWALK_ARRAY_LEN(p) }

TEST(agrees_at_once)
{
	static const long mod[] = { PFN }, pm[] = { PFN };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;

	EXPECT_EQ(PTW_VERIFY_AGREE, run(&vs, &w, true, getpid()));
	EXPECT_EQ(1U, vs.n.checked);
	EXPECT_EQ(0U, vs.n.rechecked);
	EXPECT_EQ(0U, w.im) TH_LOG("the module asked again about an agreeing page");
	ptw_verify_close(&vs);
}

/* Would catch: a page that moved once reported (issue 18's 70 entries). */
TEST(agrees_on_recheck)
{
	static const long mod[] = { PFN + 1 }, pm[] = { PFN + 1 };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;

	EXPECT_EQ(PTW_VERIFY_AGREE, run(&vs, &w, true, getpid()));
	EXPECT_EQ(1U, vs.n.rechecked);
	EXPECT_EQ(0U, vs.n.bad);
	ptw_verify_close(&vs);
}

TEST(stable_disagreement_exits_1)
{
	static const long mod[] = { PFN }, pm[] = { PFN + 1 };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;

	EXPECT_EQ(PTW_VERIFY_DISAGREE, run(&vs, &w, true, getpid()));
	ASSERT_EQ(1U, vs.n.bad);
	EXPECT_EQ(VA, vs.bad[0].va);
	EXPECT_NE(NULL, strstr(vs.bad[0].reason, "pfn 0x100, pagemap 0x101")) TH_LOG("%s", vs.bad[0].reason);
	/* Two rounds (both orders): module and pagemap twice each, one pause. */
	EXPECT_EQ(2U * PTW_VERIFY_STABLE, w.im);
	EXPECT_EQ(1U + 2U * PTW_VERIFY_STABLE, w.ip);
	EXPECT_EQ(1U, vs.pauses);
	EXPECT_LE(vs.paused_us, 1000ULL);
	ptw_verify_close(&vs);
}

/*
 * Would catch: a disagreement from reads at different moments of a
 * periodic change (the module always in one phase, pagemap in another)
 * taken for stable: in each round the other side changed between reads.
 */
TEST(changing_sides_never_disagree)
{
	static const long mod[] = { PFN, PFN + 1, PFN + 2, PFN + 3, PFN + 4, PFN + 5, PFN + 6 };
	static const long pm[] = { 0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207 };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;

	EXPECT_EQ(PTW_VERIFY_CHANGED, run(&vs, &w, true, getpid()));
	EXPECT_EQ(0U, vs.n.bad);
	ASSERT_EQ(1U, vs.n.changed);
	EXPECT_EQ(VA, vs.changed[0].va);
	EXPECT_EQ(1U, vs.n.checked);
	/* Bounded: PTW_VERIFY_ROUNDS rounds of two reads of each side. */
	EXPECT_EQ(2U * PTW_VERIFY_ROUNDS, w.im);
	ptw_verify_close(&vs);
}

/*
 * Would catch: the lock convoy of mm's soft-dirty selftest on 7.2 taken for
 * a disagreement.  The target's clear_refs write waits on whichever side
 * reads first and runs before the other, so the first reader of each pair
 * always sees soft-dirty set (here PFN) and the second sees it clear
 * (PFN + 1): module first in round 1, pagemap first in round 2.  Each
 * round alone is stable and differs; across the two orders the sides swap.
 */
TEST(lock_convoy_is_changed_not_disagreement)
{
	static const long mod[] = { PFN, PFN, PFN + 1, PFN + 1, PFN, PFN };
	static const long pm[] = { PFN + 1, PFN + 1, PFN + 1, PFN, PFN, PFN + 1, PFN + 1 };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;

	EXPECT_EQ(PTW_VERIFY_CHANGED, run(&vs, &w, true, getpid()));
	EXPECT_EQ(0U, vs.n.bad);
	EXPECT_EQ(1U, vs.n.changed);
	EXPECT_EQ(2U * PTW_VERIFY_ROUNDS, w.im);
	ptw_verify_close(&vs);
}

/* Changed in round 1, then stably different in both orders: disagrees. */
TEST(stable_after_a_change_disagrees)
{
	static const long mod[] = { PFN + 7, PFN };
	static const long pm[] = { PFN + 1, PFN + 1 };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;

	EXPECT_EQ(PTW_VERIFY_DISAGREE, run(&vs, &w, true, getpid()));
	EXPECT_EQ(1U, vs.pauses) TH_LOG("a pause before round 3 only");
	EXPECT_EQ(2U * PTW_VERIFY_ROUNDS, w.im);
	ptw_verify_close(&vs);
}

/* One side stable, the other not: no disagreement either. */
TEST(one_side_changing_is_changed)
{
	static const long mod[] = { PFN }, pm[] = { 0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206 };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;

	EXPECT_EQ(PTW_VERIFY_CHANGED, run(&vs, &w, true, getpid()));
	ptw_verify_close(&vs);
}

TEST(snapshot_is_not_asked_again)
{
	static const long mod[] = { PFN }, pm[] = { PFN + 1 };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;

	EXPECT_EQ(PTW_VERIFY_DISAGREE, run(&vs, &w, false, getpid()));
	EXPECT_EQ(0U, w.im);
	ptw_verify_close(&vs);
}

/* Would catch: "recheck failed: no such process" reported (issue 18's 800). */
TEST(exited_during_recheck_exits_3)
{
	static const long mod[] = { M_ESRCH }, pm[] = { PFN + 1 };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;
	char words[128];

	EXPECT_EQ(PTW_VERIFY_GONE, run(&vs, &w, true, dead_pid()));
	EXPECT_EQ(PTW_GONE_EXITED, vs.gone.why);
	EXPECT_EQ(0U, vs.n.bad);
	EXPECT_NE(NULL, strstr(ptw_verify_gone_words(&vs, words, sizeof(words)),
			       "exited during the check after 0 pages")) TH_LOG("%s", words);
	ptw_verify_close(&vs);
}

TEST(module_says_exited_exits_3)
{
	static const long mod[] = { M_EXITED }, pm[] = { PFN + 1 };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;

	EXPECT_EQ(PTW_VERIFY_GONE, run(&vs, &w, true, dead_pid()));
	EXPECT_EQ(PTW_GONE_EXITED, vs.gone.why);
	ptw_verify_close(&vs);
}

/*
 * pagemap opened at the start reads nothing (the mm went) while the same
 * process (start time) lives with an mm: an exec; another start time: the
 * pid was reused after an exit.
 */
TEST(pagemap_gone_process_alive_is_exec)
{
	static const long mod[] = { PFN }, pm[] = { PFN + 1, P_FAIL };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs = PTW_VERIFY_INIT;
	unsigned long long start;
	char words[128];

	ASSERT_EQ(0, ptw_verify_begin(&vs, getpid()));
	start = vs.start_time;
	EXPECT_EQ(PTW_VERIFY_GONE, run_at(&vs, &w, true, getpid(), start));
	EXPECT_EQ(PTW_GONE_EXEC, vs.gone.why);
	EXPECT_NE(NULL, strstr(ptw_verify_gone_words(&vs, words, sizeof(words)),
			       "exec'd during the check after 0 pages")) TH_LOG("%s", words);
	ptw_verify_close(&vs);
	w.im = w.ip = 0;
	EXPECT_EQ(PTW_VERIFY_GONE, run_at(&vs, &w, true, getpid(), start + 1));
	EXPECT_EQ(PTW_GONE_EXITED, vs.gone.why) TH_LOG("another start time: an exit");
	ptw_verify_close(&vs);
}

/* Would catch: an unmapped range checked as agreeing (the old verify: 0). */
TEST(unmapped_vma_exits_3)
{
	static const long mod[] = { M_NO_VMA }, pm[] = { P_EMPTY };
	struct world w = WORLD(mod, pm);
	struct ptw_verify vs;
	char words[128];

	EXPECT_EQ(PTW_VERIFY_GONE, run(&vs, &w, true, getpid()));
	EXPECT_EQ(PTW_GONE_UNMAPPED, vs.gone.why);
	EXPECT_EQ(VA, vs.gone.start);
	EXPECT_EQ(VA + 4096, vs.gone.end);
	EXPECT_STREQ("pid 1 unmapped 0x10000-0x11000 during the check after 0 pages",
		     (vs.pid = 1, ptw_verify_gone_words(&vs, words, sizeof(words))));
	ptw_verify_close(&vs);
}

/* 1 > 5 > 3 > 4 > 0. */
TEST(status_precedence)
{
	struct ptw_verify vs = PTW_VERIFY_INIT;

	EXPECT_EQ(PTW_VERIFY_AGREE, ptw_verify_status(&vs));
	vs.n.changed = 2;
	EXPECT_EQ(PTW_VERIFY_CHANGED, ptw_verify_status(&vs));
	vs.gone.why = PTW_GONE_EXEC;
	EXPECT_EQ(PTW_VERIFY_GONE, ptw_verify_status(&vs));
	vs.n.bad = 1;
	EXPECT_EQ(PTW_VERIFY_DISAGREE, ptw_verify_status(&vs));
	vs.failed = true;
	EXPECT_EQ(PTW_VERIFY_DISAGREE, ptw_verify_status(&vs)) TH_LOG("a disagreement found wins");
	vs.n.bad = 0;
	/* Would catch: "could not check" told apart from a disagreement no more. */
	EXPECT_EQ(PTW_VERIFY_FAILED, ptw_verify_status(&vs));
	vs.failed = false;
	vs.nomem = true;
	EXPECT_EQ(PTW_VERIFY_FAILED, ptw_verify_status(&vs));
	EXPECT_STREQ("agree", ptw_verify_result_name(0));
	EXPECT_STREQ("disagree", ptw_verify_result_name(1));
	EXPECT_STREQ("target-gone", ptw_verify_result_name(3));
	EXPECT_STREQ("changed", ptw_verify_result_name(4));
	EXPECT_STREQ("failed", ptw_verify_result_name(5));
}

/*
 * A snapshot answer of one VMA of @pages pages at VA begun in @st (its
 * header and VMA record), and an unlinked file standing in for pagemap,
 * page N's entry at N * 8.  Return: the file's fd, or -1.
 */
static int snapshot_start(struct stream *st, unsigned int pages)
{
	char path[] = "/tmp/ptwalk-verify-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	stream_hdr(st, sizeof(struct ptwalk_rec), PTWALK_WALKER_KERNEL, 1, "t");
	stream_vma(st, sizeof(struct ptwalk_rec), VA, VA + pages * 4096ULL, "[anon]");
	return fd;
}

/* pagemap's entry @pm for page @i of that VMA.  Return: whether written. */
static bool set_pm(int fd, unsigned int i, uint64_t pm)
{
	return pwrite(fd, &pm, 8, (off_t)((VA >> 12) + i) * 8) == 8;
}

/* Verify @res, a snapshot, against the pagemap of @fd, holes too. */
static void verify_snapshot(struct ptw_verify *vs, int fd, const struct ptw_result *res)
{
	*vs = (struct ptw_verify)PTW_VERIFY_INIT;
	vs->pmfd = fd;
	vs->holes = true;
	vs->filter.node = -1;
	ptw_verify_run(vs, res);
}

/*
 * The pages no entry covers (verify_holes()): a VMA of 20,000 pages, more
 * than two of verify's pagemap batches (PTW_VERIFY_PM_BATCH), with
 * entries at pages 0-9, 20-29, 50, 63 and 8000-8299, and pagemap saying
 * something at pages 15, 19 (just before an entry), 30 and 51 (just
 * after one), 40, 7999 and 8300 (around the long stretch, which ends past
 * the first batch), 16500 and 19999 (the last) as well.  Each of those is
 * a disagreement, and nothing else is; the covered pages agree.  A
 * snapshot (no rechecks), pagemap from a file.
 */
TEST(holes_between_entries_are_read)
{
	static const unsigned int lone[] = { 15, 19, 30, 40, 51, 7999, 8300, 16500, 19999 };
	static struct stream st;
	struct ptw_verify vs;
	struct ptw_result res;
	__u64 entries = 0, vmas = 0;
	unsigned int i, n = 0;
	char err[256];
	int fd = snapshot_start(&st, 20000);

	ASSERT_LE(0, fd);
	for (i = 0; i < 20000; i++) {
		struct ptwalk_rec r = entry(VA + i * 4096ULL, PFN + i);

		if (i >= 30 && i != 50 && i != 63 && (i < 8000 || i >= 8300))
			continue;
		if (i >= 10 && i < 20)
			continue;
		stream_rec(&st, &r, sizeof(r));
		ASSERT_TRUE(set_pm(fd, i, pm_of(PFN + i)));
		n++;
	}
	stream_counts(&st, &entries, &vmas);
	stream_end_rec(&st, sizeof(struct ptwalk_rec), PTWALK_END_COMPLETE, 1ULL << 47,
		       entries, vmas, 0);
	ASSERT_EQ(0, ptw_parse(st.buf, st.len, &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(n, res.nrecs);
	for (i = 0; i < PTWALK_ARRAY_LEN(lone); i++)
		ASSERT_TRUE(set_pm(fd, lone[i], lone[i] == 40 ? PTWALK_PM_SWAP | (7ULL << 5) :
				   pm_of(0x999)));
	verify_snapshot(&vs, fd, &res);
	/* Would catch: a gap next to an entry taken as covered, or one skipped. */
	ASSERT_EQ(PTWALK_ARRAY_LEN(lone), vs.n.bad);
	for (i = 0; i < PTWALK_ARRAY_LEN(lone); i++) {
		EXPECT_EQ(VA + lone[i] * 4096ULL, vs.bad[i].va);
		EXPECT_NE(NULL, strstr(vs.bad[i].reason, "no entry"))
			TH_LOG("%s", vs.bad[i].reason);
	}
	EXPECT_EQ(n + PTWALK_ARRAY_LEN(lone), vs.n.checked);
	EXPECT_EQ(PTW_VERIFY_DISAGREE, ptw_verify_status(&vs));
	free(vs.bad);
	ptw_free(&res);
	close(fd);
}

static struct ptwalk_rec swap_rec(uint64_t va, uint64_t off)
{
	struct ptwalk_rec r = {
		.type = PTWALK_REC_ENTRY, .vaddr = va, .shift = 12, .level = PTWALK_LVL_PTE,
		.kind = PTWALK_K_SWAP, .cow = PTWALK_COW_NA, .node = -1, .swap_offset = off,
		.raw = (~off & ((1ULL << 50) - 1)) << 9,
	};

	return r;
}

/*
 * Swap runs (an ENTRY and a SWAPRUN each, the second starting at slot
 * 133 where the first ended at 131): a page agreeing after the page
 * before it is told by one comparison (verify_entry()'s swap_agreed), so
 * pagemap saying another slot (page 10), another bit (page 20:
 * soft-dirty), the next slot where the module's run jumped (page 32: 132
 * against 133) or a present page (page 40) must still be a disagreement,
 * and the pages after each must still agree.  A snapshot, pagemap from a
 * file.
 */
TEST(swap_runs_agree_page_by_page)
{
	static const unsigned int bad[] = { 10, 20, 32, 40 };
	struct ptwalk_swaprun sr = { .type = PTWALK_REC_SWAPRUN, .count = 31 };
	static struct stream st;
	struct ptw_verify vs;
	struct ptw_result res;
	__u64 entries = 0, vmas = 0;
	unsigned int i;
	uint64_t pm;
	char err[256];
	int fd = snapshot_start(&st, 64);

	ASSERT_LE(0, fd);
	for (i = 0; i < 2; i++) {
		struct ptwalk_rec r = swap_rec(VA + i * 32 * 4096ULL, 100 + 33 * i);

		stream_rec(&st, &r, sizeof(r));
		stream_any(&st, &sr, sizeof(struct ptwalk_rec));
	}
	stream_counts(&st, &entries, &vmas);
	stream_end_rec(&st, sizeof(struct ptwalk_rec), PTWALK_END_COMPLETE, 1ULL << 47,
		       entries, vmas, 0);
	ASSERT_EQ(0, ptw_parse(st.buf, st.len, &res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(64, (int)res.nrecs);
	for (i = 0; i < 64; i++) {
		uint64_t off = i < 33 ? 100 + i : 101 + i;

		pm = PTWALK_PM_SWAP | (off << PTWALK_PM_SWAP_TYPE_BITS);
		if (i == 10)
			pm += 2ULL << PTWALK_PM_SWAP_TYPE_BITS;
		if (i == 20)
			pm |= PTWALK_PM_SOFT_DIRTY;
		if (i == 40)
			pm = pm_of(0x999);
		ASSERT_TRUE(set_pm(fd, i, pm));
	}
	verify_snapshot(&vs, fd, &res);
	/* Would catch: a page taken as agreeing because the one before did. */
	ASSERT_EQ(PTWALK_ARRAY_LEN(bad), vs.n.bad);
	for (i = 0; i < PTWALK_ARRAY_LEN(bad); i++)
		EXPECT_EQ(VA + bad[i] * 4096ULL, vs.bad[i].va) TH_LOG("%s", vs.bad[i].reason);
	EXPECT_EQ(64UL, vs.n.checked);
	free(vs.bad);
	ptw_free(&res);
	close(fd);
}

TEST_HARNESS_MAIN
