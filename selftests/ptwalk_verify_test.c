// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_verify_test - `ptwalk verify` against live targets in a guest.
 *
 * 1. Memory states, one per pagemap rule of the CLI's model
 *    (user/libptwalk.c, ptw_pagemap_model()): each is set up in a child
 *    that then waits, and `ptwalk verify --range` over it must exit 0.
 * 2. A target that goes during the check (exits, execs, unmaps the range):
 *    exit 3 and the message saying so, never 1.
 * 3. A target that keeps changing a range while checked (zaps, mprotect,
 *    migration; or soft-dirty cleared and set again in a loop, as mm's
 *    soft-dirty selftest does): exit 0 or 4, never 1, over
 *    PTWALK_VERIFY_RUNS runs (default 20).
 *
 * Run as root with the module loaded (run_guest.sh), hugepages reserved
 * for the hugetlb state.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ptwalk_names.h"
#include "ptwalk_util.h"

#define MB	(1UL << 20)

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

/* A child that set up a state and waits; its range, and the pipe it waits on. */
struct target {
	pid_t pid;
	unsigned long start, end;
	int hold;		/* write end: closing it lets the child go on */
	char skip[128];		/* the state could not be made: why */
};

struct msg {
	unsigned long start, end;
	char skip[128];
};

typedef void (*setup_fn)(struct msg *m);

/* What a child does after its setup: wait (-1), or go or churn. */
enum went { W_EXIT, W_UNMAP, W_EXEC, MODE_CHURN, MODE_SDFLIP };
static int child_mode = -1;
static char *big;		/* the mapping it unmaps or churns */
#define BIG	(256 * MB)
#define CHURN	(256 * 4096UL)
static void child_wait_and_go(void);
static void churn(char *p, size_t len);
static void sd_flip(char *p);

/* Fork a child that runs @setup, reports its range and waits for @hold. */
static struct target spawn(setup_fn setup)
{
	struct target t = { 0 };
	int up[2], down[2];
	struct msg m = { 0 };

	if (pipe(up) || pipe(down))
		abort();
	t.pid = fork();
	if (t.pid == 0) {
		char c;

		close(up[0]);
		close(down[1]);
		setup(&m);
		if (write(up[1], &m, sizeof(m)) != sizeof(m))
			_exit(1);
		if (!m.skip[0] && (child_mode == W_UNMAP || child_mode == W_EXEC))
			child_wait_and_go();
		if (!m.skip[0] && child_mode == MODE_CHURN)
			churn(big, CHURN);
		if (!m.skip[0] && child_mode == MODE_SDFLIP)
			sd_flip(big);
		/* Wait for the parent: EOF (or a byte) ends the wait. */
		if (read(down[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], &m, sizeof(m)) != sizeof(m))
		snprintf(m.skip, sizeof(m.skip), "the child died setting up");
	close(up[0]);
	t.start = m.start;
	t.end = m.end;
	t.hold = down[1];
	snprintf(t.skip, sizeof(t.skip), "%s", m.skip);
	return t;
}

static void reap(struct target *t)
{
	close(t->hold);
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
}

/* ptwalk verify [--json] [--range S-E] PID: its exit status, output in @out. */
static int verify(const struct target *t, bool range, bool json, char *out, size_t len)
{
	char pid[16], r[64];
	char *argv[8];
	int n = 0;

	snprintf(pid, sizeof(pid), "%d", (int)t->pid);
	snprintf(r, sizeof(r), "0x%lx-0x%lx", t->start, t->end);
	argv[n++] = (char *)ptwalk_cli_path();
	argv[n++] = "verify";
	if (json)
		argv[n++] = "--json";
	if (range) {
		argv[n++] = "--range";
		argv[n++] = r;
	}
	argv[n++] = pid;
	argv[n] = NULL;
	return ptwalk_run(argv, out, len);
}

static void *map(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* @len bytes aligned to 2M, in a mapping of twice that. */
static char *map_aligned(size_t len)
{
	char *p = map(len + 2 * MB, 0);

	return p ? (char *)(((unsigned long)p + 2 * MB - 1) & ~(2 * MB - 1)) : NULL;
}

static void range_of(struct msg *m, void *p, size_t len)
{
	m->start = (unsigned long)p;
	m->end = (unsigned long)p + len;
}

/* ---- 1. states ---- */

/* pagemap_hugetlb_range(): soft-dirty from VM_SOFTDIRTY only. */
static void st_hugetlb_sd(struct msg *m)
{
	char *p = map(2 * MB, MAP_HUGETLB);

	if (!p) {
		snprintf(m->skip, sizeof(m->skip), "no 2M hugetlb page (hugepages=)");
		return;
	}
	memset(p, 1, 2 * MB);
	/* The VMA is no longer VM_SOFTDIRTY; the entry keeps its bit. */
	ptwalk_write_file("/proc/self/clear_refs", "4");
	p[0] = 2;
	range_of(m, p, 2 * MB);
}

/* pagemap_pmd_range(): a PMD-mapped THP. */
static void st_thp(struct msg *m)
{
	char *p = map_aligned(4 * MB);

	madvise(p, 4 * MB, MADV_HUGEPAGE);
	memset(p, 1, 4 * MB);
	range_of(m, p, 4 * MB);
}

/* pte_to_pagemap_entry(): a large folio mapped by PTEs (the PMD split). */
static void st_pte_mapped_thp(struct msg *m)
{
	char *p = map_aligned(2 * MB);

	madvise(p, 2 * MB, MADV_HUGEPAGE);
	memset(p, 1, 2 * MB);
	/* Splits the PMD mapping only: the folio stays large. */
	mprotect(p + 64 * 4096, 4096, PROT_READ);
	range_of(m, p, 2 * MB);
}

/* pte_to_pagemap_entry(): the zero page (read faults), no page: bits 56, 61 clear. */
static void st_zero(struct msg *m)
{
	char *p = map(64 * 4096, 0);
	volatile char sink = 0;
	int i;

	madvise(p, 64 * 4096, MADV_NOHUGEPAGE);
	for (i = 0; i < 64; i++)
		sink += p[i * 4096];
	(void)sink;
	range_of(m, p, 64 * 4096);
}

/* pagemap_pmd_range(): the huge zero page (bit 61 set, 56 clear). */
static void st_huge_zero(struct msg *m)
{
	char *p = map_aligned(2 * MB);
	volatile char sink = 0;

	madvise(p, 2 * MB, MADV_HUGEPAGE);
	sink += p[0];
	(void)sink;
	range_of(m, p, 2 * MB);
}

/* pte_to_pagemap_entry(): swap entries (MADV_PAGEOUT to zram). */
static void st_swapped(struct msg *m)
{
	const char *why = ptwalk_swap_setup();
	char *p = map(64 * 4096, 0);

	if (why) {
		snprintf(m->skip, sizeof(m->skip), "%s", why);
		return;
	}
	madvise(p, 64 * 4096, MADV_NOHUGEPAGE);
	memset(p, 3, 64 * 4096);
	madvise(p, 64 * 4096, MADV_PAGEOUT);
	if (!(pagemap_entry(0, (unsigned long)p) & PTWALK_PM_SWAP))
		snprintf(m->skip, sizeof(m->skip), "MADV_PAGEOUT swapped nothing out");
	range_of(m, p, 64 * 4096);
}

/*
 * pte_to_pagemap_entry(): uffd-wp on shmem: write-protected present pages
 * (bit 57) and, after MADV_DONTNEED, uffd-wp markers (PM_SWAP | bit 57).
 */
static void st_uffd_wp_marker(struct msg *m)
{
	size_t len = 32 * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_WP_HUGETLBFS_SHMEM };
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)p, .len = len },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = { .start = (unsigned long)p, .len = len },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (p == MAP_FAILED || fd < 0 || ioctl(fd, UFFDIO_API, &api)) {
		snprintf(m->skip, sizeof(m->skip), "no userfaultfd wp for shmem");
		return;
	}
	memset(p, 4, len);
	if (ioctl(fd, UFFDIO_REGISTER, &reg) || ioctl(fd, UFFDIO_WRITEPROTECT, &wp)) {
		snprintf(m->skip, sizeof(m->skip), "UFFDIO_REGISTER/WRITEPROTECT: %s",
			 strerror(errno));
		return;
	}
	/* Half the pages zapped: the markers keep their uffd-wp. */
	madvise(p, len / 2, MADV_DONTNEED);
	if ((pagemap_entry(0, (unsigned long)p) & (PTWALK_PM_UFFD_WP | PTWALK_PM_SWAP)) !=
	    (PTWALK_PM_UFFD_WP | PTWALK_PM_SWAP))
		snprintf(m->skip, sizeof(m->skip), "no uffd-wp marker: pagemap 0x%llx",
			 (unsigned long long)pagemap_entry(0, (unsigned long)p));
	range_of(m, p, len);
	/* fd stays open: the registration lives with it. */
}

/* A fact the module must report for the first page of the state: " key=" has @name. */
struct want {
	const char *key, *name;
};

/*
 * Set the state up, make sure it is the state (the module's entry at its
 * start has every @want; else the state could not be made here: skip),
 * and verify it: exit 0.
 */
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102
#endif

/* pte_to_pagemap_entry(): guard markers (6.13+), bit 58 on 6.14+. */
static void st_guard(struct msg *m)
{
	char *p = map(16 * 4096, 0);

	madvise(p, 16 * 4096, MADV_NOHUGEPAGE);
	memset(p, 7, 16 * 4096);
	if (madvise(p, 4 * 4096, MADV_GUARD_INSTALL)) {
		snprintf(m->skip, sizeof(m->skip), "MADV_GUARD_INSTALL: %s (6.13+)", strerror(errno));
		return;
	}
	range_of(m, p, 16 * 4096);
}

static void check_state(struct __test_metadata *_metadata, setup_fn setup, bool whole,
			const struct want *want, size_t nwant)
{
	struct target t = spawn(setup);
	static char out[1 << 16];
	char q[128], line[512], val[128];
	char *ans;
	size_t len, i;
	int st;

	if (t.skip[0]) {
		reap(&t);
		SKIP(return, "%s", t.skip);
	}
	snprintf(q, sizeof(q), "pid=%d range=0x%lx-0x%lx", (int)t.pid, t.start, t.end);
	ans = ptwalk_query(PTWALK_WALK, q, &len);
	ASSERT_NE(NULL, ans);
	for (i = 0; i < nwant; i++) {
		bool has;

		if (!ptwalk_find_entry(ans, t.start, line, sizeof(line))) {
			free(ans);
			reap(&t);
			SKIP(return, "no entry at 0x%lx", t.start);
		}
		if (!strcmp(want[i].key, "level"))
			has = strstr(line, want[i].name) != NULL;
		else if (!strcmp(want[i].key, "kind"))
			has = ptwalk_field(line, "kind", val, sizeof(val)) &&
			      !strcmp(val, want[i].name);
		else
			has = ptwalk_field_has(line, want[i].key, want[i].name);
		if (!has) {
			free(ans);
			reap(&t);
			SKIP(return, "not the state: %s= lacks %s: %s", want[i].key, want[i].name,
			     line);
		}
	}
	free(ans);
	st = verify(&t, !whole, false, out, sizeof(out));
	reap(&t);
	EXPECT_EQ(0, st) TH_LOG("verify 0x%lx-0x%lx: %s", t.start, t.end, out);
}

#define STATE(name, fn, whole, ...)						\
TEST(name)									\
{										\
	static const struct want w[] = { __VA_ARGS__ };				\
										\
	check_state(_metadata, fn, whole, w, PTWALK_ARRAY_LEN(w));		\
}

/* The entry keeps "sd", pagemap clears bit 55 (the VMA's VM_SOFTDIRTY is gone). */
STATE(hugetlb_2m_soft_dirty_after_clear_refs, st_hugetlb_sd, false,
      { "page", "hugetlb" }, { "sw", "sd" })
STATE(thp, st_thp, false, { "level", " 2M pmd " }, { "page", "thp" })
STATE(pte_mapped_large_folio, st_pte_mapped_thp, false, { "level", " 4K pte " },
      { "page", "thp" })
STATE(zero_page, st_zero, false, { "page", "zero" })
STATE(huge_zero_page, st_huge_zero, false, { "level", " 2M pmd " }, { "page", "huge-zero" })
STATE(swapped, st_swapped, false, { "kind", "swap" })
STATE(uffd_wp_marker, st_uffd_wp_marker, false, { "kind", "marker" })
STATE(guard_marker, st_guard, false, { "kind", "marker" })
/* The whole process after clear_refs: [vvar] (PFN map), stack, libraries. */
STATE(whole_process_after_clear_refs, st_hugetlb_sd, true, { "page", "hugetlb" })

/* ---- 2. a target that goes during the check ---- */

/* What the child does on SIGUSR1. */
static volatile sig_atomic_t go;
static void on_usr1(int sig) { go = 1; }

/* 256M of 4K pages: checking them takes a while. */
static void st_big(struct msg *m)
{
	big = map(BIG, 0);
	if (!big) {
		snprintf(m->skip, sizeof(m->skip), "no 256M");
		return;
	}
	madvise(big, BIG, MADV_NOHUGEPAGE);
	memset(big, 5, BIG);
	range_of(m, big, BIG);
}

static void st_big_waits(struct msg *m, enum went w)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigaction(SIGUSR1, &sa, NULL);
	st_big(m);
	child_mode = w;
}

/*
 * Start verify of @t, after @ms milliseconds make the child go (@w), and
 * return verify's status with its output.
 */
static int verify_while(struct target *t, enum went w, int ms, bool json, char *out, size_t len)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	char pid[16], *argv[6];
	int pfd[2], status, n = 0;
	size_t have = 0;
	pid_t v;

	snprintf(pid, sizeof(pid), "%d", (int)t->pid);
	argv[n++] = (char *)ptwalk_cli_path();
	argv[n++] = "verify";
	if (json)
		argv[n++] = "--json";
	argv[n++] = pid;
	argv[n] = NULL;
	if (pipe(pfd))
		return -1;
	v = fork();
	if (v == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	nanosleep(&ts, NULL);
	if (w == W_EXIT)
		kill(t->pid, SIGKILL);
	else
		kill(t->pid, SIGUSR1);
	for (;;) {
		ssize_t got = read(pfd[0], out + have, len - 1 - have);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		have += got;
		if (have == len - 1)
			break;
	}
	out[have] = '\0';
	close(pfd[0]);
	waitpid(v, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The child's side of W_UNMAP and W_EXEC: wait for SIGUSR1, then go. */
static void child_wait_and_go(void)
{
	while (!go)
		pause();
	if (child_mode == W_UNMAP) {
		munmap(big, BIG);
		for (;;)
			pause();
	}
	execl("/bin/sleep", "sleep", "30", (char *)NULL);
	_exit(1);
}

static void st_big_exit(struct msg *m) { st_big_waits(m, W_EXIT); }
static void st_big_unmap(struct msg *m) { st_big_waits(m, W_UNMAP); }
static void st_big_exec(struct msg *m) { st_big_waits(m, W_EXEC); }

/*
 * The target goes @ms after verify started; try longer delays until it
 * went during the check (verify said so), up to 6 tries.  Every status
 * must be 3 (went during) or 0 (verify was done first), never 1.
 */
static void check_went(struct __test_metadata *_metadata, setup_fn setup, enum went w,
		       const char *words, bool json)
{
	static char out[1 << 16];
	int ms, tries = 0, st = 0;
	bool seen = false;

	for (ms = 20; ms <= 2000 && !seen && tries < 8; ms *= 2, tries++) {
		struct target t = spawn(setup);

		if (t.skip[0]) {
			reap(&t);
			SKIP(return, "%s", t.skip);
		}
		st = verify_while(&t, w, ms, json, out, sizeof(out));
		reap(&t);
		EXPECT_NE(1, st) TH_LOG("after %d ms: %s", ms, out);
		/*
		 * Gone before verify looked at it (a loaded host starts the
		 * command late): "could not check", 5, and that one reason
		 * only; the next try waits longer.
		 */
		if (st == 5 && w != W_UNMAP && strstr(out, "no such process")) {
			ksft_print_msg("%s: went before the check after %d ms: status 5\n", words, ms);
			continue;
		}
		EXPECT_TRUE(st == 0 || st == 3) TH_LOG("status %d after %d ms: %s", st, ms, out);
		if (st == 3) {
			seen = true;
			EXPECT_NE(NULL, strstr(out, words)) TH_LOG("wants \"%s\": %s", words, out);
			EXPECT_NE(NULL, strstr(out, "during the check after ")) TH_LOG("%s", out);
			if (json) {
				EXPECT_NE(NULL, strstr(out, "\"result\":\"target-gone\"")) TH_LOG("%s", out);
				EXPECT_NE(NULL, strstr(out, "\"status\":3")) TH_LOG("%s", out);
			}
		}
		ksft_print_msg("%s: went after %d ms: status %d\n", words, ms, st);
	}
	EXPECT_TRUE(seen) TH_LOG("never went during the check: %s", out);
}

/*
 * Each try maps and fills 256M and may take several: more than the
 * harness's 30 s under TCG (arm64's guest starts verify slower than its
 * target unmaps, and needs the later tries); the changing targets below
 * run verify 40 times, past 30 s on a loaded host.  Only the timeout
 * changes.
 */
#pragma push_macro("TEST_TIMEOUT_DEFAULT")
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 240

TEST(exits_during_check_status_3)
{
	check_went(_metadata, st_big_exit, W_EXIT, "exited", false);
}

TEST(unmaps_during_check_status_3)
{
	check_went(_metadata, st_big_unmap, W_UNMAP, "unmapped 0x", true);
}

TEST(execs_during_check_status_3)
{
	check_went(_metadata, st_big_exec, W_EXEC, "exec'd", false);
}

/* ---- 3. a target that keeps changing while checked ---- */

/*
 * The churner: zap and touch its pages, flip their protection, and (with
 * two nodes) migrate them, over and over until killed.
 */
static void churn(char *p, size_t len)
{
	unsigned long nodes = 2;
	size_t n = len / 4096, i;
	void **pages = calloc(n, sizeof(*pages));
	int *dst = calloc(n, sizeof(*dst)), *st = calloc(n, sizeof(*st));
	unsigned long round;

	for (i = 0; i < n; i++)
		pages[i] = p + i * 4096;
	for (round = 0;; round++) {
		switch (round % 3) {
		case 0:
			madvise(p, len, MADV_DONTNEED);
			memset(p, (int)round, len);
			break;
		case 1:
			mprotect(p, len / 2, PROT_READ);
			mprotect(p, len / 2, PROT_READ | PROT_WRITE);
			break;
		case 2:
			for (i = 0; i < n; i++)
				dst[i] = (int)((round / 3) % nodes);
			syscall(SYS_move_pages, 0, n, pages, dst, st, 0);
			break;
		}
	}
}

static void st_churning(struct msg *m)
{
	size_t len = CHURN;
	char *p = map(len, 0);

	if (!p) {
		snprintf(m->skip, sizeof(m->skip), "no memory");
		return;
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, 6, len);
	range_of(m, p, len);
	child_mode = MODE_CHURN;	/* churn instead of waiting */
	big = p;
}

TEST(changing_target_never_disagrees)
{
	long runs = ptwalk_env_long("PTWALK_VERIFY_RUNS", 20), i;
	int count[6] = { 0 };
	static char out[1 << 16];
	struct target t = spawn(st_churning);

	if (t.skip[0]) {
		reap(&t);
		SKIP(return, "%s", t.skip);
	}
	for (i = 0; i < runs; i++) {
		int st = verify(&t, false, false, out, sizeof(out));

		count[st >= 0 && st < 5 ? st : 5]++;
		EXPECT_TRUE(st == 0 || st == 4) TH_LOG("run %ld: status %d: %s", i, st, out);
	}
	/* The range alone too: most of its pages change under the check. */
	for (i = 0; i < runs; i++) {
		int st = verify(&t, true, i == 0, out, sizeof(out));

		count[st >= 0 && st < 5 ? st : 5]++;
		EXPECT_TRUE(st == 0 || st == 4) TH_LOG("range run %ld: status %d: %s", i, st, out);
	}
	reap(&t);
	ksft_print_msg("changing target: %ld runs: exit 0: %d, 1: %d, 3: %d, 4: %d, other: %d\n",
		       2 * runs, count[0], count[1], count[3], count[4], count[2] + count[5]);
}

/*
 * mm's soft-dirty selftest, test_hugepage(), forever: clear soft-dirty
 * (clear_refs takes the mmap lock for writing), write the THP, read its
 * pagemap entry, clear again.  Verify's two sides each take the mmap lock
 * for reading: the target's write-lock convoy once made a 7.2 verify of
 * that test report a THP's soft-dirty as a disagreement (check_page() in
 * user/verify.c).
 */
static void sd_flip(char *p)
{
	int cr = open("/proc/self/clear_refs", O_WRONLY);
	int pm = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e;

	for (;;) {
		if (pread(pm, &e, 8, ((uintptr_t)p >> 12) * 8) != 8 || write(cr, "4", 1) != 1)
			_exit(1);
		p[0]++;
		if (pread(pm, &e, 8, ((uintptr_t)p >> 12) * 8) != 8 || write(cr, "4", 1) != 1)
			_exit(1);
	}
}

static void st_sd_flipping(struct msg *m)
{
	char *p = map_aligned(2 * MB);

	madvise(p, 2 * MB, MADV_HUGEPAGE);
	memset(p, 1, 2 * MB);
	range_of(m, p, 2 * MB);
	child_mode = MODE_SDFLIP;
	big = p;
}

TEST(soft_dirty_flipping_target_never_disagrees)
{
	long runs = ptwalk_env_long("PTWALK_VERIFY_RUNS", 20), i;
	int count[6] = { 0 };
	static char out[1 << 16];
	struct target t = spawn(st_sd_flipping);

	if (t.skip[0]) {
		reap(&t);
		SKIP(return, "%s", t.skip);
	}
	for (i = 0; i < 2 * runs; i++) {
		/* The THP's range, and the whole process as mm-selftests' loop does. */
		int st = verify(&t, i & 1, false, out, sizeof(out));

		count[st >= 0 && st < 5 ? st : 5]++;
		EXPECT_TRUE(st == 0 || st == 4) TH_LOG("run %ld: status %d: %s", i, st, out);
	}
	reap(&t);
	ksft_print_msg("soft-dirty flipping target: %ld runs: exit 0: %d, 1: %d, 4: %d, other: %d\n",
		       2 * runs, count[0], count[1], count[4], count[2] + count[3] + count[5]);
}

#pragma pop_macro("TEST_TIMEOUT_DEFAULT")

TEST_HARNESS_MAIN
