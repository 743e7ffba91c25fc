// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_who_test - who maps a frame (pfn= queries), checked against each
 * process's own /proc/PID/pagemap and /proc/kpagecount.
 *
 * Each memory state is built by a small process tree whose members pause
 * on a pipe; the answer's (pid, address) set for our processes must equal
 * the set their pagemaps give for the frame, no other process may map a
 * private anonymous frame of ours, and the count of mappings found must
 * equal kpagecount (the answer's own tally must say "equal=yes").  Every
 * check runs with both walkers (FIXTURE_VARIANT).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <linux/memfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ptwalk_util.h"
#include "ptwalk.h"

/* TEST_F's setjmp trips -Wclobbered under -Wextra; nothing here relies on it. */
#pragma GCC diagnostic ignored "-Wclobbered"

#define PAGE		4096UL
#define HPAGE		(2UL << 20)
#define NPAGES		16
#define MAXMAP		64

/* One (pid, address) mapping of a frame, and its entry's level. */
struct who_map {
	pid_t pid;
	unsigned long addr;
	char level[8];
};

struct who_answer {
	struct who_map m[MAXMAP];
	int n;
	uint64_t mappings, mapcount;
	bool equal, complete, tally;
	char frame[512];	/* the frame line */
	char *text;
};

static uint64_t pfn_of(pid_t pid, unsigned long addr)
{
	uint64_t e = pagemap_entry(pid, addr);

	return e & PTWALK_PM_PRESENT ? e & PTWALK_PM_PFRAME_MASK : 0;
}

/*
 * Run "pfn=@pfn walker=@walker" and parse the text answer.  Only the
 * mappings of @pfn itself are kept (one query, one frame).
 * Return: 0, or -errno of the failed query.
 */
static int who_range(uint64_t pfn, uint64_t n, const char *walker,
		     struct who_answer *a)
{
	char q[96], *line, *save = NULL;
	pid_t pid = 0;

	memset(a, 0, sizeof(*a));
	if (n == 1)
		snprintf(q, sizeof(q), "pfn=0x%llx walker=%s",
			 (unsigned long long)pfn, walker);
	else
		snprintf(q, sizeof(q), "pfn=0x%llx-0x%llx walker=%s",
			 (unsigned long long)pfn, (unsigned long long)(pfn + n),
			 walker);
	a->text = ptwalk_query(PTWALK_WALK, q, NULL);
	if (!a->text)
		return -errno;
	line = strdup(a->text);
	for (char *l = strtok_r(line, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		uint64_t v, epfn;
		char lv[8];
		unsigned long va;

		if (!strncmp(l, "task ", 5) && ptwalk_field_u64(l, "pid", &v)) {
			pid = (pid_t)v;
		} else if (!strncmp(l, "0x", 2) && a->n < MAXMAP &&
			   sscanf(l, "%lx %*s %7s", &va, lv) == 2 &&
			   ptwalk_field_u64(l, "pfn", &epfn)) {
			a->m[a->n].pid = pid;
			a->m[a->n].addr = va + (pfn - epfn) * PAGE;
			snprintf(a->m[a->n].level, sizeof(a->m[a->n].level), "%s", lv);
			a->n++;
		} else if (!strncmp(l, "frame ", 6)) {
			snprintf(a->frame, sizeof(a->frame), "%s", l);
		} else if (!strncmp(l, "# tally ", 8)) {
			a->tally = true;
			ptwalk_field_u64(l, "mappings", &a->mappings);
			ptwalk_field_u64(l, "mapcount", &a->mapcount);
			a->equal = strstr(l, "equal=yes") != NULL;
		} else if (!strncmp(l, "# end status=complete", 21)) {
			a->complete = true;
		}
	}
	free(line);
	return 0;
}

static int who(uint64_t pfn, const char *walker, struct who_answer *a)
{
	return who_range(pfn, 1, walker, a);
}

static bool has_map(const struct who_answer *a, pid_t pid, unsigned long addr)
{
	for (int i = 0; i < a->n; i++)
		if (a->m[i].pid == pid && a->m[i].addr == addr)
			return true;
	return false;
}

static int maps_of(const struct who_answer *a, pid_t pid)
{
	int n = 0;

	for (int i = 0; i < a->n; i++)
		n += a->m[i].pid == pid;
	return n;
}

/* Where one of our processes may map a frame. */
struct region {
	pid_t pid;
	unsigned long base;
	size_t len;
};

/*
 * The answer for @pfn against the pagemaps of @r[0..@nr): the same (pid,
 * address) set there, nobody else mapping it, and the count equal to
 * kpagecount and to the answer's own tally.
 */
static void check_regions(struct __test_metadata *_metadata,
			  const struct who_answer *a, uint64_t pfn,
			  const struct region *r, int nr)
{
	int expect = 0;

	ASSERT_TRUE(a->complete) TH_LOG("answer incomplete:\n%s", a->text);
	ASSERT_TRUE(a->tally) TH_LOG("no tally:\n%s", a->text);
	for (int i = 0; i < nr; i++) {
		for (unsigned long va = r[i].base; va < r[i].base + r[i].len; va += PAGE) {
			pid_t pid = r[i].pid;
			bool pm = pfn_of(pid, va) == pfn;

			expect += pm;
			EXPECT_EQ(pm, has_map(a, pid, va))
				TH_LOG("pid %d 0x%lx: pagemap %s frame 0x%llx, ptwalk %s it\n%s",
				       pid, va, pm ? "maps" : "does not map",
				       (unsigned long long)pfn,
				       pm ? "missed" : "reported", a->text);
		}
	}
	EXPECT_EQ((uint64_t)kpagecount(pfn), a->mappings) TH_LOG("%s", a->text);
	EXPECT_EQ(a->mappings, (uint64_t)a->n);
	EXPECT_TRUE(a->equal) TH_LOG("%s", a->text);
	/* Our frames are private to our tree: nobody else may map them. */
	EXPECT_EQ(expect, a->n) TH_LOG("others map our frame?\n%s", a->text);
}

/* check_regions() for @npids processes with the same region. */
static void check_against_pagemap(struct __test_metadata *_metadata,
				  const struct who_answer *a, uint64_t pfn,
				  const pid_t *pids, int npids,
				  unsigned long base, size_t len)
{
	struct region r[4];

	for (int i = 0; i < npids && i < 4; i++)
		r[i] = (struct region){ pids[i], base, len };
	check_regions(_metadata, a, pfn, r, npids);
}

/* A child that runs @fn, then waits for its pipe to close. */
struct kid {
	pid_t pid;
	int go[2];	/* parent -> child: a byte per step */
	int done[2];	/* child -> parent: a byte per step done */
};

/* The pipes of @k and the fork: the child's pid, 0 in it, -1 on failure. */
static pid_t kid_fork(struct kid *k)
{
	if (pipe(k->go) || pipe(k->done))
		return -1;
	return fork();
}

static void kid_step(struct kid *k)
{
	char c = 0;

	if (write(k->go[1], &c, 1) != 1 || read(k->done[0], &c, 1) != 1)
		abort();
}

/* In the child: wait for a step; false when the parent is gone. */
static bool kid_wait(struct kid *k)
{
	char c;

	return read(k->go[0], &c, 1) == 1;
}

static void kid_ack(struct kid *k)
{
	char c = 0;

	if (write(k->done[1], &c, 1) != 1)
		_exit(1);
}

static void kid_reap(struct kid *k)
{
	kill(k->pid, SIGKILL);
	waitpid(k->pid, NULL, 0);
}

FIXTURE(who) {
	char unused;
};

FIXTURE_VARIANT(who) {
	const char *walker;
};

FIXTURE_VARIANT_ADD(who, builtin) { .walker = "builtin" };
FIXTURE_VARIANT_ADD(who, kernel) { .walker = "kernel" };

FIXTURE_SETUP(who)
{
	char q[64], *out;

	if (access(PTWALK_WALK, F_OK))
		SKIP(return, "ptwalk.ko is not loaded (no %s)", PTWALK_WALK);
	snprintf(q, sizeof(q), "pid=self addr=0x%lx walker=%s",
		 (unsigned long)&q, variant->walker);
	out = ptwalk_query(PTWALK_WALK, q, NULL);
	if (!out && errno == EOPNOTSUPP)
		SKIP(return, "walker=%s unavailable on this kernel", variant->walker);
	free(out);
}

FIXTURE_TEARDOWN(who)
{
}

/*
 * Three processes (us, a child, its child) share anonymous pages after
 * fork; then the grandchild writes one: the old frame is then found only
 * in the two others, the new one only in the grandchild.
 */
TEST_F(who, anon_fork_tree)
{
	struct kid k1, k2;
	struct who_answer a;
	uint64_t pfn, newpfn;
	pid_t pids[3];
	char *p;

	p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	madvise(p, NPAGES * PAGE, MADV_NOHUGEPAGE);
	memset(p, 0x5a, NPAGES * PAGE);
	ASSERT_EQ(0, pipe(k1.go));
	ASSERT_EQ(0, pipe(k1.done));
	ASSERT_EQ(0, pipe(k2.go));
	ASSERT_EQ(0, pipe(k2.done));
	k1.pid = fork();
	ASSERT_LE(0, k1.pid);
	if (k1.pid == 0) {
		/* The middle one forks the grandchild and reports its pid. */
		k2.pid = fork();
		if (k2.pid == 0) {
			while (kid_wait(&k2)) {
				p[0] = 0x11;	/* a write: copy on write */
				kid_ack(&k2);
			}
			_exit(0);
		}
		if (write(k1.done[1], &k2.pid, sizeof(k2.pid)) != sizeof(k2.pid))
			_exit(1);
		while (kid_wait(&k1))
			;
		kill(k2.pid, SIGKILL);
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(k2.pid), read(k1.done[0], &k2.pid, sizeof(k2.pid)));
	pids[0] = getpid();
	pids[1] = k1.pid;
	pids[2] = k2.pid;

	pfn = pfn_of(0, (unsigned long)p);
	ASSERT_NE(0ULL, pfn);
	ASSERT_EQ(0, who(pfn, variant->walker, &a)) TH_LOG("query: %s", strerror(errno));
	check_against_pagemap(_metadata, &a, pfn, pids, 3, (unsigned long)p, NPAGES * PAGE);
	EXPECT_EQ(3, a.n);
	EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "anon")) TH_LOG("%s", a.frame);
	for (int i = 0; i < a.n; i++)
		EXPECT_EQ(0, strcmp(a.m[i].level, "pte"));
	free(a.text);

	kid_step(&k2);
	newpfn = pfn_of(k2.pid, (unsigned long)p);
	ASSERT_NE(0ULL, newpfn);
	ASSERT_NE(pfn, newpfn);
	ASSERT_EQ(0, who(pfn, variant->walker, &a));
	check_against_pagemap(_metadata, &a, pfn, pids, 3, (unsigned long)p, NPAGES * PAGE);
	EXPECT_EQ(2, a.n);
	EXPECT_EQ(0, maps_of(&a, k2.pid));
	free(a.text);
	ASSERT_EQ(0, who(newpfn, variant->walker, &a));
	check_against_pagemap(_metadata, &a, newpfn, pids, 3, (unsigned long)p, NPAGES * PAGE);
	EXPECT_EQ(1, a.n);
	EXPECT_TRUE(has_map(&a, k2.pid, (unsigned long)p));
	free(a.text);
	kid_reap(&k2);
	kid_reap(&k1);
}

/* A THP shared after fork: a PMD entry in both processes. */
TEST_F(who, thp_after_fork)
{
	struct who_answer a;
	struct kid k;
	uint64_t pfn, head;
	pid_t pids[2];
	char *raw, *p;

	raw = mmap(NULL, 2 * HPAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, raw);
	p = (char *)(((unsigned long)raw + HPAGE - 1) & ~(HPAGE - 1));
	if (madvise(p, HPAGE, MADV_HUGEPAGE))
		SKIP(return, "MADV_HUGEPAGE failed: no THP");
	memset(p, 1, HPAGE);
	pfn = pfn_of(0, (unsigned long)p + 5 * PAGE);
	ASSERT_NE(0ULL, pfn);
	if (!(kpageflags(pfn) & (1ULL << KPF_THP)))
		SKIP(return, "the kernel gave no THP (defrag off, fragmented?)");
	k.pid = kid_fork(&k);
	ASSERT_LE(0, k.pid);
	if (k.pid == 0) {
		while (kid_wait(&k)) {
			/* Split the child's PMD: a PTE-mapped THP there. */
			mprotect(p + HPAGE / 2, PAGE, PROT_READ);
			kid_ack(&k);
		}
		_exit(0);
	}
	pids[0] = getpid();
	pids[1] = k.pid;
	ASSERT_EQ(0, who(pfn, variant->walker, &a));
	check_against_pagemap(_metadata, &a, pfn, pids, 2, (unsigned long)p, HPAGE);
	EXPECT_EQ(2, a.n);
	for (int i = 0; i < a.n; i++)
		EXPECT_EQ(0, strcmp(a.m[i].level, "pmd")) TH_LOG("%s", a.text);
	free(a.text);

	/* One side split: the parent's PMD and the child's PTE, one folio. */
	kid_step(&k);
	ASSERT_EQ(pfn, pfn_of(k.pid, (unsigned long)p + 5 * PAGE));
	ASSERT_EQ(0, who(pfn, variant->walker, &a));
	check_against_pagemap(_metadata, &a, pfn, pids, 2, (unsigned long)p, HPAGE);
	ASSERT_EQ(2, a.n) TH_LOG("%s", a.text);
	for (int i = 0; i < a.n; i++)
		EXPECT_EQ(0, strcmp(a.m[i].level, a.m[i].pid == k.pid ? "pte" : "pmd"))
			TH_LOG("%s", a.text);
	EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "thp")) TH_LOG("%s", a.frame);
	free(a.text);

	/* The whole folio: the parent's PMD and the child's 512 PTEs. */
	head = pfn_of(0, (unsigned long)p);
	ASSERT_EQ(0, who_range(head, 512, variant->walker, &a));
	EXPECT_TRUE(a.complete);
	EXPECT_EQ(MAXMAP, a.n) TH_LOG("%s", a.text);	/* the first MAXMAP kept */
	EXPECT_EQ(513, ptwalk_count_lines(a.text, "0x"));
	EXPECT_EQ(1024ULL, a.mappings) TH_LOG("%s", a.text);
	EXPECT_EQ(1024ULL, a.mapcount);
	EXPECT_TRUE(a.equal);
	EXPECT_EQ(512, ptwalk_count_lines(a.text, "frame "));
	free(a.text);
	kid_reap(&k);
}

/* A memfd page mapped by two processes, at different addresses. */
TEST_F(who, memfd_two_processes)
{
	struct who_answer a;
	struct region r[2];
	struct kid k;
	uint64_t pfn, idx;
	pid_t pids[2];
	char *p, *kp = NULL;
	int fd, pp[2];

	fd = syscall(SYS_memfd_create, "ptwalk-who", 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, NPAGES * PAGE));
	p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 7, NPAGES * PAGE);
	ASSERT_EQ(0, pipe(pp));
	k.pid = kid_fork(&k);
	ASSERT_LE(0, k.pid);
	if (k.pid == 0) {
		/* Its own mapping of pages 2.. of the file, elsewhere. */
		munmap(p, NPAGES * PAGE);
		kp = mmap(NULL, (NPAGES - 2) * PAGE, PROT_READ, MAP_SHARED, fd, 2 * PAGE);
		if (kp == MAP_FAILED)
			_exit(1);
		for (size_t i = 0; i < (NPAGES - 2) * PAGE; i += PAGE)
			(void)*(volatile char *)(kp + i);
		if (write(pp[1], &kp, sizeof(kp)) != sizeof(kp))
			_exit(1);
		while (kid_wait(&k))
			;
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(kp), read(pp[0], &kp, sizeof(kp)));
	pids[0] = getpid();
	pids[1] = k.pid;
	pfn = pfn_of(0, (unsigned long)p + 3 * PAGE);
	ASSERT_NE(0ULL, pfn);
	r[0] = (struct region){ pids[0], (unsigned long)p, NPAGES * PAGE };
	r[1] = (struct region){ pids[1], (unsigned long)kp, (NPAGES - 2) * PAGE };
	ASSERT_EQ(0, who(pfn, variant->walker, &a));
	check_regions(_metadata, &a, pfn, r, 2);
	EXPECT_EQ(2, a.n);
	EXPECT_TRUE(has_map(&a, k.pid, (unsigned long)kp + PAGE)) TH_LOG("%s", a.text);
	EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "shmem")) TH_LOG("%s", a.frame);
	EXPECT_TRUE(ptwalk_field_u64(a.frame, "index", &idx));
	EXPECT_EQ(3ULL, idx);
	EXPECT_NE(NULL, strstr(a.frame, "path=/memfd:ptwalk-who")) TH_LOG("%s", a.frame);
	free(a.text);
	kid_reap(&k);
}

/* A hugetlb page of a file (memfd, MFD_HUGETLB) mapped by two processes. */
TEST_F(who, hugetlb_shared_file)
{
	struct who_answer a;
	struct kid k;
	uint64_t pfn;
	pid_t pids[2];
	char *p;
	int fd;

	fd = syscall(SYS_memfd_create, "ptwalk-who-huge", MFD_HUGETLB);
	if (fd < 0)
		SKIP(return, "no hugetlb memfd: %s", strerror(errno));
	ASSERT_EQ(0, ftruncate(fd, HPAGE));
	p = mmap(NULL, HPAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		SKIP(return, "no 2M hugetlb page reserved (hugepages=N): %s", strerror(errno));
	memset(p, 5, HPAGE);
	k.pid = kid_fork(&k);
	ASSERT_LE(0, k.pid);
	if (k.pid == 0) {
		/* fork() does not copy a shared file mapping's entries: fault. */
		(void)*(volatile char *)p;
		kid_ack(&k);
		while (kid_wait(&k))
			;
		_exit(0);
	}
	ASSERT_EQ(1, read(k.done[0], &(char){ 0 }, 1));
	pids[0] = getpid();
	pids[1] = k.pid;
	pfn = pfn_of(0, (unsigned long)p + 5 * PAGE);
	ASSERT_NE(0ULL, pfn);
	ASSERT_EQ(0, who(pfn, variant->walker, &a));
	check_against_pagemap(_metadata, &a, pfn, pids, 2, (unsigned long)p, HPAGE);
	EXPECT_EQ(2, a.n);
	for (int i = 0; i < a.n; i++)
		EXPECT_EQ(0, strcmp(a.m[i].level, "pmd")) TH_LOG("%s", a.text);
	EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "hugetlb")) TH_LOG("%s", a.frame);
	free(a.text);
	kid_reap(&k);
}

/* A KSM-merged page: the same bytes in two processes, one frame. */
TEST_F(who, ksm_merged)
{
	struct who_answer a;
	struct region r[2];
	struct kid k;
	uint64_t pfn = 0;
	char *p, *kp = NULL;
	int pp[2];

	if (access("/sys/kernel/mm/ksm/run", W_OK))
		SKIP(return, "no KSM (CONFIG_KSM off?)");
	ASSERT_EQ(0, pipe(pp));
	k.pid = kid_fork(&k);
	ASSERT_LE(0, k.pid);
	if (k.pid == 0) {
		kp = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (kp == MAP_FAILED)
			_exit(1);
		memset(kp, 0x6b, NPAGES * PAGE);
		madvise(kp, NPAGES * PAGE, MADV_MERGEABLE);
		if (write(pp[1], &kp, sizeof(kp)) != sizeof(kp))
			_exit(1);
		while (kid_wait(&k))
			;
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(kp), read(pp[0], &kp, sizeof(kp)));
	p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 0x6b, NPAGES * PAGE);
	ASSERT_EQ(0, madvise(p, NPAGES * PAGE, MADV_MERGEABLE));
	ptwalk_write_file("/sys/kernel/mm/ksm/pages_to_scan", "1000");
	ptwalk_write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	ASSERT_TRUE(ptwalk_write_file("/sys/kernel/mm/ksm/run", "1"));
	for (int i = 0; i < 300 && !pfn; i++) {
		uint64_t a = pfn_of(0, (unsigned long)p + 2 * PAGE);

		if (a && a == pfn_of(k.pid, (unsigned long)kp + 2 * PAGE))
			pfn = a;
		else
			usleep(100000);
	}
	if (!pfn) {
		ptwalk_write_file("/sys/kernel/mm/ksm/run", "2");
		kid_reap(&k);
		SKIP(return, "ksmd did not merge the pages within 30 s");
	}
	r[0] = (struct region){ getpid(), (unsigned long)p, NPAGES * PAGE };
	r[1] = (struct region){ k.pid, (unsigned long)kp, NPAGES * PAGE };
	ASSERT_EQ(0, who(pfn, variant->walker, &a));
	/* Every page of both holds the same bytes: one KSM frame for all. */
	check_regions(_metadata, &a, pfn, r, 2);
	EXPECT_LE(2, a.n) TH_LOG("%s", a.text);
	EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "ksm")) TH_LOG("%s", a.frame);
	free(a.text);
	ptwalk_write_file("/sys/kernel/mm/ksm/run", "2");	/* unmerge, stop */
	kid_reap(&k);
}

/*
 * A private file mapping shared after fork; the child writes its copy:
 * the page-cache frame is then found only in the parent, the copy only in
 * the child.
 */
TEST_F(who, private_file_copy)
{
	char path[] = "/tmp/ptwalk-who-XXXXXX", buf[PAGE];
	struct who_answer a;
	uint64_t pfn, copy;
	struct kid k;
	pid_t pids[2];
	char *p;
	int fd;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	unlink(path);
	memset(buf, 3, sizeof(buf));
	for (int i = 0; i < NPAGES; i++)
		ASSERT_EQ((ssize_t)PAGE, write(fd, buf, PAGE));
	p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (int i = 0; i < NPAGES; i++)
		(void)*(volatile char *)(p + i * PAGE);
	k.pid = kid_fork(&k);
	ASSERT_LE(0, k.pid);
	if (k.pid == 0) {
		while (kid_wait(&k)) {
			p[4 * PAGE] = 9;
			kid_ack(&k);
		}
		_exit(0);
	}
	pids[0] = getpid();
	pids[1] = k.pid;
	pfn = pfn_of(0, (unsigned long)p + 4 * PAGE);
	ASSERT_NE(0ULL, pfn);
	kid_step(&k);
	copy = pfn_of(k.pid, (unsigned long)p + 4 * PAGE);
	ASSERT_NE(0ULL, copy);
	ASSERT_NE(pfn, copy);

	ASSERT_EQ(0, who(pfn, variant->walker, &a));
	check_against_pagemap(_metadata, &a, pfn, pids, 2, (unsigned long)p, NPAGES * PAGE);
	EXPECT_EQ(1, maps_of(&a, getpid()));
	EXPECT_EQ(0, maps_of(&a, k.pid));
	EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "file")) TH_LOG("%s", a.frame);
	free(a.text);

	ASSERT_EQ(0, who(copy, variant->walker, &a));
	check_against_pagemap(_metadata, &a, copy, pids, 2, (unsigned long)p, NPAGES * PAGE);
	EXPECT_EQ(1, a.n);
	EXPECT_TRUE(has_map(&a, k.pid, (unsigned long)p + 4 * PAGE));
	EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "anon")) TH_LOG("%s", a.frame);
	free(a.text);
	kid_reap(&k);
}

/*
 * A libc page: mapped by many processes of the guest.  Ours and our
 * children's mappings are where their pagemaps say, and the total equals
 * kpagecount; the frame record names the file.
 */
TEST_F(who, libc_many)
{
	struct who_answer a;
	struct kid k[3];
	void *page = (void *)((uintptr_t)&pause & ~(PAGE - 1));
	uint64_t pfn;

	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, pipe(k[i].go));
		ASSERT_EQ(0, pipe(k[i].done));
		k[i].pid = fork();
		ASSERT_LE(0, k[i].pid);
		if (k[i].pid == 0) {
			/* fork() copies no entries of libc's text: fault it. */
			(void)*(volatile char *)page;
			kid_ack(&k[i]);
			while (kid_wait(&k[i]))
				;
			_exit(0);
		}
		ASSERT_EQ(1, read(k[i].done[0], &(char){ 0 }, 1));
	}
	(void)*(volatile char *)page;
	pfn = pfn_of(0, (unsigned long)page);
	ASSERT_NE(0ULL, pfn);
	ASSERT_EQ(0, who(pfn, variant->walker, &a));
	ASSERT_TRUE(a.complete);
	EXPECT_EQ((uint64_t)kpagecount(pfn), a.mappings) TH_LOG("%s", a.text);
	EXPECT_TRUE(a.equal) TH_LOG("%s", a.text);
	EXPECT_TRUE(has_map(&a, getpid(), (unsigned long)page)) TH_LOG("%s", a.text);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(pfn, pfn_of(k[i].pid, (unsigned long)page));
		EXPECT_TRUE(has_map(&a, k[i].pid, (unsigned long)page)) TH_LOG("%s", a.text);
	}
	EXPECT_LE(4, a.n);
	EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "file")) TH_LOG("%s", a.frame);
	EXPECT_NE(NULL, strstr(a.frame, "path=/")) TH_LOG("%s", a.frame);
	EXPECT_NE(NULL, strstr(a.frame, "libc")) TH_LOG("%s", a.frame);
	free(a.text);
	for (int i = 0; i < 3; i++)
		kid_reap(&k[i]);
}

/* The binary answer: TASK, VMA, ENTRY ... FRAME, TALLY, END, in order. */
TEST_F(who, binary_records)
{
	const union ptwalk_record *r;
	const struct ptwalk_hdr *h;
	size_t len, n, i;
	int tasks = 0, entries = 0, frames = 0, tallies = 0, memcgs = 0, frame_memcg = -1;
	char q[96], *out, *p;
	uint64_t pfn;

	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	pfn = pfn_of(0, (unsigned long)p);
	snprintf(q, sizeof(q), "pfn=0x%llx walker=%s format=binary",
		 (unsigned long long)pfn, variant->walker);
	out = ptwalk_query(PTWALK_WALK, q, &len);
	ASSERT_NE(NULL, out) TH_LOG("%s", strerror(errno));
	h = (const void *)out;
	ASSERT_LE(sizeof(*h), len);
	EXPECT_EQ(PTWALK_MAGIC, h->magic);
	EXPECT_TRUE((h->flags & PTWALK_H_WHO) != 0);
	EXPECT_EQ(pfn, h->start);
	EXPECT_EQ(pfn + 1, h->end);
	ASSERT_EQ(0UL, (len - h->hdr_size) % h->rec_size);
	n = (len - h->hdr_size) / h->rec_size;
	ASSERT_LE(4UL, n);
	for (i = 0; i < n; i++) {
		r = (const void *)(out + h->hdr_size + i * h->rec_size);
		/* NOLINT: the switch below covers every kind */
		switch (r->type.type) {
		case PTWALK_REC_TASK:
			EXPECT_EQ(0, frames);
			EXPECT_EQ((uint32_t)getpid(), r->task.pid);
			EXPECT_EQ((uint32_t)getppid(), r->task.ppid);
			tasks++;
			break;
		case PTWALK_REC_ENTRY:
			EXPECT_EQ(pfn, r->entry.pfn);
			EXPECT_EQ((unsigned long)p, r->entry.vaddr);
			EXPECT_EQ(PTWALK_COW_WRITABLE, r->entry.cow);
			entries++;
			break;
		case PTWALK_REC_FRAME:
			EXPECT_EQ(pfn, r->frame.pfn);
			EXPECT_EQ(PTWALK_FRAME_MAPPED, r->frame.state);
			EXPECT_EQ(1, r->frame.mapcount);
			EXPECT_TRUE((r->frame.page & PTWALK_P_ANON) != 0);
			EXPECT_EQ(0ULL, r->frame.index);
			/*
			 * The direct map: kernel half (x86: from bit 56 up
			 * with 5-level paging, bit 47 with 4; arm64's linear
			 * map: from PAGE_OFFSET, -2^48 with 48-bit VA, -2^52
			 * on a 52-bit VA kernel), page aligned.
			 */
			if (PTWALK_TEST_ARCH == PTWALK_ARCH_ARM64) {
				EXPECT_LE(0xfff0000000000000ULL, r->frame.kaddr);
			} else {
				EXPECT_LE(h->flags & PTWALK_H_LA57 ? 0xff00000000000000ULL :
					  0xffff800000000000ULL, r->frame.kaddr);
			}
			EXPECT_EQ(0ULL, r->frame.kaddr & (PAGE - 1));
			/* an anonymous page we faulted: charged, to our memcg */
			frame_memcg = r->frame.memcg;
			EXPECT_EQ(PTWALK_MEMCG_PATH, frame_memcg);
			frames++;
			break;
		case PTWALK_REC_TALLY:
			EXPECT_EQ(1ULL, r->tally.mappings);
			EXPECT_EQ(1ULL, r->tally.mapcount);
			EXPECT_EQ(1, r->tally.equal);
			EXPECT_EQ(1U, r->tally.frames);
			EXPECT_EQ(n - 2, i);
			tallies++;
			break;
		case PTWALK_REC_END:
			EXPECT_EQ(n - 1, i);
			EXPECT_EQ(PTWALK_END_COMPLETE, r->end.status);
			EXPECT_EQ(1ULL, r->end.entries);
			break;
		case PTWALK_REC_MEMCG:
			/* right after the FRAME: its memcg path, which it announced */
			EXPECT_EQ(PTWALK_MEMCG_PATH, frame_memcg) TH_LOG("record %zu", i);
			EXPECT_EQ('/', r->memcg.path[0]);
			memcgs++;
			break;
		case PTWALK_REC_VMA:
		case PTWALK_REC_NAME:
			break;
		default:
			EXPECT_EQ(0U, r->type.type) TH_LOG("record %zu", i);
		}
	}
	EXPECT_EQ(1, tasks);
	EXPECT_EQ(1, entries);
	EXPECT_EQ(1, frames);
	EXPECT_EQ(1, tallies);
	EXPECT_EQ(1, memcgs) TH_LOG("one MEMCG record: a memcg path fits in 48 bytes here");
	free(out);
}

/*
 * Reads of any size make progress: a match is announced with its TASK and
 * VMA records as one unit, so a read smaller than that unit still gets it
 * (a byte at a time), and the answer is the same.  Would catch a reader
 * spinning in the kernel because the unit never fits its request.
 */
TEST_F(who, tiny_reads)
{
	static const size_t sizes[] = { 1, 7, 64, 100, 4096 };
	char q[96], *p, *whole, *buf;
	size_t cap = 1 << 20;
	uint64_t pfn;

	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	pfn = pfn_of(0, (unsigned long)p);
	buf = malloc(cap);
	ASSERT_NE(NULL, buf);
	for (int bin = 0; bin < 2; bin++) {
		snprintf(q, sizeof(q), "pfn=0x%llx walker=%s format=%s",
			 (unsigned long long)pfn, variant->walker, bin ? "binary" : "text");
		whole = ptwalk_query(PTWALK_WALK, q, NULL);
		ASSERT_NE(NULL, whole);
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t len = 0;
			ssize_t n;
			int fd = open(PTWALK_WALK, O_RDWR);

			ASSERT_LE(0, fd);
			ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
			while (len + sizes[i] < cap && (n = read(fd, buf + len, sizes[i])) > 0)
				len += n;
			close(fd);
			if (!bin) {
				buf[len] = '\0';
				EXPECT_NE(NULL, strstr(buf, "# end status=complete"))
					TH_LOG("reads of %zu: %s", sizes[i], buf);
				EXPECT_EQ(ptwalk_count_lines(whole, "0x"),
					  ptwalk_count_lines(buf, "0x"));
				EXPECT_EQ(1, ptwalk_count_lines(buf, "task "));
			} else {
				/* header, TASK, VMA, NAME, ENTRY, FRAME, TALLY, END at least */
				EXPECT_LE(sizeof(struct ptwalk_hdr) + 7 * 64, len)
					TH_LOG("reads of %zu: %zu bytes", sizes[i], len);
				EXPECT_EQ(PTWALK_REC_END,
					  ((union ptwalk_record *)(buf + len - 64))->type.type);
			}
		}
		free(whole);
	}
	free(buf);
}

/* A frame no user page table can map is refused with its reason. */
static void expect_refused(struct __test_metadata *_metadata, const char *path,
			   const char *query, int err, const char *why)
{
	char buf[256] = "";
	ssize_t n;
	int fd;

	fd = open(path, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, query, strlen(query))) TH_LOG("%s accepted", query);
	EXPECT_EQ(err, errno) TH_LOG("%s: %s", query, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	EXPECT_LT(0, n);
	EXPECT_NE(NULL, strstr(buf, why)) TH_LOG("%s: reason '%s'", query, buf);
	close(fd);
}

/* The first pfn below 4 GiB whose kpageflags has all of @set. */
static uint64_t find_pfn(uint64_t set, bool count0)
{
	uint64_t flags[512], counts[512];
	int ff = open("/proc/kpageflags", O_RDONLY);
	int fc = open("/proc/kpagecount", O_RDONLY);
	uint64_t found = 0;

	for (uint64_t base = 0x1000; !found && base < (1ULL << 20); base += 512) {
		if (pread(ff, flags, sizeof(flags), base * 8) != sizeof(flags) ||
		    pread(fc, counts, sizeof(counts), base * 8) != sizeof(counts))
			break;
		for (int i = 0; i < 512 && !found; i++)
			if ((flags[i] & set) == set && (!count0 || !counts[i]))
				found = base + i;
	}
	close(ff);
	close(fc);
	return found;
}

TEST_F(who, bad_input)
{
	uint64_t slab = find_pfn(1ULL << KPF_SLAB, false);
	uint64_t buddy = find_pfn(1ULL << KPF_BUDDY, true);
	uint64_t pgtable = find_pfn(1ULL << KPF_PGTABLE, false);
	char q[96];

	snprintf(q, sizeof(q), "pfn=0x%llx walker=%s", 1ULL << 40, variant->walker);
	expect_refused(_metadata, PTWALK_WALK, q, EINVAL, "no struct page");
	if (slab) {
		snprintf(q, sizeof(q), "pfn=0x%llx walker=%s",
			 (unsigned long long)slab, variant->walker);
		expect_refused(_metadata, PTWALK_WALK, q, EINVAL, "slab");
	}
	if (pgtable) {
		snprintf(q, sizeof(q), "pfn=0x%llx walker=%s",
			 (unsigned long long)pgtable, variant->walker);
		expect_refused(_metadata, PTWALK_WALK, q, EINVAL, "page table");
	}
	if (buddy) {
		snprintf(q, sizeof(q), "pfn=0x%llx walker=%s",
			 (unsigned long long)buddy, variant->walker);
		expect_refused(_metadata, PTWALK_WALK, q, EINVAL, "free page");
	}
	expect_refused(_metadata, PTWALK_WALK, "pfn=0x1000-0x1201", EINVAL,
		       "larger than 512");
	expect_refused(_metadata, PTWALK_WALK, "pfn=0x1000 format=merged", EINVAL,
		       "merged");
	expect_refused(_metadata, PTWALK_WALK, "pfn=0x1000 pid=1", EINVAL, "no pid");
	expect_refused(_metadata, PTWALK_WALK, "pfn=0x1002-0x1001", EINVAL, "below");
	/* Even root may not ask through /proc/ptwalk. */
	expect_refused(_metadata, "/proc/ptwalk", "pfn=0x1000", EPERM, "debugfs only");
	ASSERT_NE(0ULL, slab) TH_LOG("no slab page found in kpageflags");
	ASSERT_NE(0ULL, buddy) TH_LOG("no free page found in kpageflags");
	ASSERT_NE(0ULL, pgtable) TH_LOG("no page table found in kpageflags");
}

/*
 * Whether block @n (@block bytes) holds a page no offline can move
 * (reserved, slab, page table): trying it would dump that page to dmesg.
 */
static bool block_pinned(long n, unsigned long long block)
{
	static uint64_t fl[4096];
	uint64_t first = n * block / PAGE, i, k;
	int fd = open("/proc/kpageflags", O_RDONLY);
	bool bad = fd < 0;

	for (i = 0; !bad && i < block / PAGE; i += k) {
		ssize_t got = pread(fd, fl, sizeof(fl), (off_t)((first + i) * 8));

		if (got <= 0)
			bad = true;
		for (k = 0; !bad && k < (uint64_t)got / 8; k++)
			bad = fl[k] & (1ULL << KPF_RESERVED | 1ULL << KPF_SLAB | 1ULL << KPF_PGTABLE);
	}
	if (fd >= 0)
		close(fd);
	return bad;
}

/*
 * Offline memory: a frame of a memory block taken offline has no online
 * struct page and is refused with the reason, and the block comes back.
 * Only blocks of ZONE_MOVABLE (valid_zones says Movable) with no reserved,
 * slab or page-table page (kpageflags) are tried, the lowest first: a
 * failed offline dumps the unmovable page to dmesg, which the guest's
 * dmesg check rightly calls unclean.  Skipped, with the
 * reason, without one (boot with movablecore=256M for one).
 */
TEST_F(who, offline_memory)
{
	const char *sys = "/sys/devices/system/memory";
	char path[128], state[32], zones[64], q[96], bs[32];
	unsigned long long block = 0;
	long n, last, found = -1, tries = 0;
	struct dirent *de;
	DIR *d;

	if (!ptwalk_read_file("/sys/devices/system/memory/block_size_bytes", bs, sizeof(bs)) ||
	    !(block = strtoull(bs, NULL, 16)))
		SKIP(return, "no memory hotplug sysfs (%s)", sys);
	d = opendir(sys);
	ASSERT_NE(NULL, d);
	last = -1;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "memory", 6) && isdigit((unsigned char)de->d_name[6]) &&
		    atol(de->d_name + 6) > last)
			last = atol(de->d_name + 6);
	closedir(d);
	for (n = 0; n <= last && tries < 4 && found < 0; n++) {
		snprintf(path, sizeof(path), "%s/memory%ld/state", sys, n);
		if (!ptwalk_read_file(path, state, sizeof(state)) || strncmp(state, "online", 6))
			continue;
		snprintf(path, sizeof(path), "%s/memory%ld/valid_zones", sys, n);
		if (!ptwalk_read_file(path, zones, sizeof(zones)) || !strstr(zones, "Movable") ||
		    block_pinned(n, block))
			continue;
		snprintf(path, sizeof(path), "%s/memory%ld/state", sys, n);
		tries++;
		if (ptwalk_write_file(path, "offline"))
			found = n;
	}
	if (found < 0)
		SKIP(return, "no memory block could be offlined (%ld of ZONE_MOVABLE tried%s)",
		     tries, tries ? "" : "; boot with movablecore=256M for one");
	snprintf(q, sizeof(q), "pfn=0x%llx walker=%s",
		 (unsigned long long)(found * block / PAGE + 7), variant->walker);
	expect_refused(_metadata, PTWALK_WALK, q, EINVAL, "no struct page");
	snprintf(q, sizeof(q), "pfn=0x%llx-0x%llx walker=%s",
		 (unsigned long long)(found * block / PAGE - 1),
		 (unsigned long long)(found * block / PAGE + 1), variant->walker);
	expect_refused(_metadata, PTWALK_WALK, q, EINVAL, "no struct page");
	snprintf(path, sizeof(path), "%s/memory%ld/state", sys, found);
	EXPECT_TRUE(ptwalk_write_file(path, "online")) TH_LOG("memory%ld stays offline", found);
}

/* The command: ptwalk who PID ADDR translates, then finds both processes. */
TEST_F(who, cli_pid_addr)
{
	char out[16384], pidarg[16], addrarg[32], pat[64];
	char *const *argv;
	struct kid k;
	char *p;

	if (access(ptwalk_cli_path(), X_OK))
		SKIP(return, "no ptwalk command at %s (make -C user)", ptwalk_cli_path());
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	k.pid = kid_fork(&k);
	ASSERT_LE(0, k.pid);
	if (k.pid == 0) {
		while (kid_wait(&k))
			;
		_exit(0);
	}
	snprintf(pidarg, sizeof(pidarg), "%d", k.pid);
	snprintf(addrarg, sizeof(addrarg), "%p", (void *)p);
	argv = (char *const[]){ (char *)ptwalk_cli_path(), "who", "--walker",
				(char *)variant->walker, pidarg, addrarg, NULL };
	ASSERT_EQ(0, ptwalk_run(argv, out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "2 mappings found")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "all found")) TH_LOG("%s", out);
	snprintf(pat, sizeof(pat), "\n%7d ", getpid());
	EXPECT_NE(NULL, strstr(out, pat)) TH_LOG("no row for us in\n%s", out);
	snprintf(pat, sizeof(pat), "\n%7d ", k.pid);
	EXPECT_NE(NULL, strstr(out, pat)) TH_LOG("no row for the child in\n%s", out);
	argv = (char *const[]){ (char *)ptwalk_cli_path(), "who", "--json", "--walker",
				(char *)variant->walker, pidarg, addrarg, NULL };
	ASSERT_EQ(0, ptwalk_run(argv, out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"mappings\":2")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"equal\":true")) TH_LOG("%s", out);
	/* A frame that is not there: the module's reason, exit 1. */
	argv = (char *const[]){ (char *)ptwalk_cli_path(), "who", "0x10000000000", NULL };
	EXPECT_EQ(1, ptwalk_run(argv, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "no struct page")) TH_LOG("%s", out);
	kid_reap(&k);
}

/* kB of "@key:" in the smaps block of @pid's VMA starting at @start; -1 if none. */
static long smaps_kb(pid_t pid, unsigned long start, const char *key)
{
	char path[64], line[512];
	bool in = false;
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;

		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = a == start;
		else if (in && !strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			kb = strtol(line + strlen(key) + 1, NULL, 10);
	}
	fclose(f);
	return kb;
}

/* A 2M-aligned MAP_SHARED mapping of @fd's first 2M, touched. */
static char *map_pmd(int fd)
{
	char *raw = mmap(NULL, 2 * HPAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *p;

	if (raw == MAP_FAILED)
		return MAP_FAILED;
	p = (char *)(((unsigned long)raw + HPAGE - 1) & ~(HPAGE - 1));
	p = mmap(p, HPAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (p != MAP_FAILED)
		for (size_t i = 0; i < HPAGE; i += PAGE)
			(void)*(volatile char *)(p + i);
	return p;
}

/*
 * A tmpfs (huge=always) file's THP mapped by a PMD in two processes, at
 * different addresses: found in both, level pmd, for its head and a tail
 * frame.  Skipped, with the reason, when the kernel gave no THP or no PMD
 * mapping (smaps' ShmemPmdMapped says).
 */
TEST_F(who, tmpfs_thp_pmd)
{
	char dir[64], file[96];
	struct who_answer a;
	struct region r[2];
	struct kid k;
	uint64_t head;
	char *p, *kp = NULL;
	int fd, pp[2];

	snprintf(dir, sizeof(dir), "/tmp/ptwalk-who-thp-%d", getpid());
	ASSERT_TRUE(mkdir(dir, 0700) == 0 || errno == EEXIST);
	if (mount("tmpfs", dir, "tmpfs", 0, "huge=always,size=8m")) {
		rmdir(dir);
		SKIP(return, "cannot mount tmpfs huge=always: %s", strerror(errno));
	}
	snprintf(file, sizeof(file), "%s/f", dir);
	fd = open(file, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, HPAGE));
	p = map_pmd(fd);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 9, HPAGE);
	head = pfn_of(0, (unsigned long)p);
	if (!head || !(kpageflags(head) & (1ULL << KPF_THP)) ||
	    pfn_of(0, (unsigned long)p + HPAGE - PAGE) != head + 511) {
		umount2(dir, MNT_DETACH);
		rmdir(dir);
		SKIP(return, "tmpfs gave no THP for the file (kpageflags: no THP)");
	}
	if (smaps_kb(getpid(), (unsigned long)p, "ShmemPmdMapped") < 2048) {
		umount2(dir, MNT_DETACH);
		rmdir(dir);
		SKIP(return, "a THP, but not mapped by a PMD (smaps ShmemPmdMapped < 2048 kB)");
	}
	ASSERT_EQ(0, pipe(pp));
	k.pid = kid_fork(&k);
	ASSERT_LE(0, k.pid);
	if (k.pid == 0) {
		munmap(p, HPAGE);
		kp = map_pmd(fd);
		if (kp == MAP_FAILED || write(pp[1], &kp, sizeof(kp)) != sizeof(kp))
			_exit(1);
		while (kid_wait(&k))
			;
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(kp), read(pp[0], &kp, sizeof(kp)));
	EXPECT_EQ(2048, smaps_kb(k.pid, (unsigned long)kp, "ShmemPmdMapped"))
		TH_LOG("the child's mapping is not a PMD");
	r[0] = (struct region){ getpid(), (unsigned long)p, HPAGE };
	r[1] = (struct region){ k.pid, (unsigned long)kp, HPAGE };
	for (int t = 0; t < 2; t++) {
		uint64_t pfn = head + (t ? 77 : 0);

		ASSERT_EQ(0, who(pfn, variant->walker, &a));
		check_regions(_metadata, &a, pfn, r, 2);
		EXPECT_EQ(2, a.n) TH_LOG("%s", a.text);
		for (int i = 0; i < a.n; i++)
			EXPECT_STREQ("pmd", a.m[i].level) TH_LOG("%s", a.text);
		EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "shmem")) TH_LOG("%s", a.frame);
		EXPECT_TRUE(ptwalk_field_has(a.frame, "page", "thp")) TH_LOG("%s", a.frame);
		free(a.text);
	}
	kid_reap(&k);
	munmap(p, HPAGE);
	close(fd);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

/* The cgroup /proc/@pid/cgroup gives (cgroup v2: "0::PATH"), into @buf. */
static bool cgroup_of(pid_t pid, char *buf, size_t len)
{
	char path[64], text[4096], *l;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (!ptwalk_read_file(path, text, sizeof(text)))
		return false;
	l = strstr(text, "0::");
	if (!l)
		return false;
	l += 3;
	l[strcspn(l, "\n")] = '\0';
	snprintf(buf, len, "%s", l);
	return true;
}

/*
 * The memory cgroup of a frame: a child moved into a new cgroup before it
 * faults its page; the FRAME's memcg= must be the path /proc/PID/cgroup
 * gives, and our own page's ours.
 */
TEST_F(who, memcg_path)
{
	char cg[128], procs[160], want[256], got[256], pidbuf[16];
	struct who_answer a;
	struct kid k;
	uint64_t pfn;
	char *p;
	int pp[2];

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) &&
	    mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL))
		SKIP(return, "no cgroup v2 at /sys/fs/cgroup (%s)", strerror(errno));
	ptwalk_write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/ptwalk-who-%d", getpid());
	if (mkdir(cg, 0755) && errno != EEXIST)
		SKIP(return, "cannot make %s: %s", cg, strerror(errno));
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	ASSERT_EQ(0, pipe(pp));
	k.pid = kid_fork(&k);
	ASSERT_LE(0, k.pid);
	if (k.pid == 0) {
		if (!kid_wait(&k))	/* moved meanwhile */
			_exit(1);
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		p[0] = 1;
		if (write(pp[1], &p, sizeof(p)) != sizeof(p))
			_exit(1);
		kid_ack(&k);
		while (kid_wait(&k))
			;
		_exit(0);
	}
	snprintf(pidbuf, sizeof(pidbuf), "%d", k.pid);
	ASSERT_TRUE(ptwalk_write_file(procs, pidbuf)) TH_LOG("cannot move %d into %s", k.pid, cg);
	kid_step(&k);
	ASSERT_EQ((ssize_t)sizeof(p), read(pp[0], &p, sizeof(p)));
	ASSERT_TRUE(cgroup_of(k.pid, want, sizeof(want)));
	EXPECT_STRNE("/", want);
	pfn = pfn_of(k.pid, (unsigned long)p);
	ASSERT_NE(0ULL, pfn);
	ASSERT_EQ(0, who(pfn, variant->walker, &a));
	EXPECT_TRUE(ptwalk_field(a.frame, "memcg", got, sizeof(got))) TH_LOG("%s", a.frame);
	EXPECT_STREQ(want, got) TH_LOG("%s", a.frame);
	free(a.text);

	/* Ours: the cgroup we are in. */
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	ASSERT_TRUE(cgroup_of(getpid(), want, sizeof(want)));
	ASSERT_EQ(0, who(pfn_of(0, (unsigned long)p), variant->walker, &a));
	EXPECT_TRUE(ptwalk_field(a.frame, "memcg", got, sizeof(got))) TH_LOG("%s", a.frame);
	EXPECT_STREQ(want, got) TH_LOG("%s", a.frame);
	free(a.text);
	kid_reap(&k);
	rmdir(cg);
}

TEST_HARNESS_MAIN
