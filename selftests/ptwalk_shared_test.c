// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_shared_test - ptwalk shared PID, checked against each process's
 * own /proc/PID/pagemap and /proc/kpagecount.
 *
 * The test process shares a 32-page anonymous region with a child after
 * fork; the child copies 8 of its pages by writing them and forks a
 * grandchild, which copies 4 more; a memfd of 16 pages is mapped by the
 * test, inherited by both, and mapped again (pages 4..15, elsewhere) by an
 * unrelated process (double-forked, so its parent is not us, with the
 * anonymous region never mapped); a 64-page region made after the forks
 * is ours alone.  Per (region, process) the pages ptwalk says are shared
 * must be exactly those where the other's pagemap gives our frame, the
 * relation must be what /proc says, the region's "map>1" count must equal
 * kpagecount's, and no page with a mapcount over 1 may be left unexplained
 * (a quiet guest).  Both walkers (FIXTURE_VARIANT).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ptwalk_util.h"
#include "ptwalk.h"

#pragma GCC diagnostic ignored "-Wclobbered"

#define PAGE		4096UL
#define NB		32	/* shared after fork */
#define NA		64	/* ours alone */
#define NM		16	/* memfd */
#define MOFF		4	/* the unrelated process maps the memfd from page 4 */

static uint64_t pfn_of(pid_t pid, unsigned long addr)
{
	uint64_t e = pagemap_entry(pid, addr);

	return e & PTWALK_PM_PRESENT ? e & PTWALK_PM_PFRAME_MASK : 0;
}

/* Pages i < @n where @q maps at @qa + i the frame we map at @a + i. */
static long same_frames(unsigned long a, pid_t q, unsigned long qa, size_t n)
{
	long k = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t p = pfn_of(0, a + i * PAGE);

		k += p && p == pfn_of(q, qa + i * PAGE);
	}
	return k;
}

/* Pages of ours from @a whose frame kpagecount counts more than once. */
static long multi_frames(unsigned long a, size_t n)
{
	long k = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t p = pfn_of(0, a + i * PAGE);

		k += p && kpagecount(p) > 1;
	}
	return k;
}

/* What the text answer says of one of our VMAs. */
struct vma_says {
	bool listed;
	long pages, multi, shared, procs;
	struct { pid_t pid; char rel[16]; long pages; } with[16];
	int n;
};

/* The VMA line whose range holds @addr, and its process rows. */
static void vma_says(const char *text, unsigned long addr, struct vma_says *v)
{
	const char *l;

	memset(v, 0, sizeof(*v));
	for (l = strstr(text, "\n0x"); l; l = strstr(l + 1, "\n0x")) {
		unsigned long a, b;

		if (sscanf(l + 1, "0x%lx-0x%lx", &a, &b) == 2 && a <= addr && addr < b)
			break;
	}
	if (!l)
		return;
	l++;
	v->listed = sscanf(strchr(l, ' '), " %*s %ld %ld %ld %*s %ld", &v->pages, &v->multi,
			   &v->shared, &v->procs) == 4;
	for (l = strchr(l, '\n'); l && !strncmp(l, "\n    ", 5); l = strchr(l + 1, '\n')) {
		int pid, ppid;
		char rel[16], comm[32];
		long pages;

		if (sscanf(l + 1, "%d %d %15s %31s %ld", &pid, &ppid, rel, comm, &pages) != 5)
			continue;	/* the header row */
		if (v->n < 16) {
			v->with[v->n].pid = pid;
			snprintf(v->with[v->n].rel, sizeof(v->with[v->n].rel), "%s", rel);
			v->with[v->n].pages = pages;
			v->n++;
		}
	}
}

/*
 * @n pages at @a between two PROT_NONE guard pages, so that the kernel
 * merges their VMA with no other.
 */
static char *guarded(size_t n)
{
	char *p = mmap(NULL, (n + 2) * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + PAGE, n * PAGE, PROT_READ | PROT_WRITE))
		return MAP_FAILED;
	madvise(p + PAGE, n * PAGE, MADV_NOHUGEPAGE);
	return p + PAGE;
}

/* Pages the answer says @pid shares with the VMA, and its relation. */
static long with_pid(const struct vma_says *v, pid_t pid, const char **rel)
{
	for (int i = 0; i < v->n; i++) {
		if (v->with[i].pid == pid) {
			*rel = v->with[i].rel;
			return v->with[i].pages;
		}
	}
	*rel = "(absent)";
	return 0;
}

/* Block until @fd closes (the test is done with us), then exit. */
static _Noreturn void wait_close(int fd)
{
	char c;

	while (read(fd, &c, 1) > 0)
		;
	_exit(0);
}

/* What the unrelated process says of itself. */
struct peer {
	pid_t pid;
	char *p;
};

FIXTURE(shared) {
	pid_t child, grandchild, other;
	int hold[2];		/* the helpers block on its read end */
	unsigned long a, b, m, om;
};

FIXTURE_VARIANT(shared) {
	const char *walker;
};

FIXTURE_VARIANT_ADD(shared, builtin) { .walker = "builtin" };
FIXTURE_VARIANT_ADD(shared, kernel) { .walker = "kernel" };

FIXTURE_SETUP(shared)
{
	char q[64], *out, *p;
	struct peer u;
	int fd, rp[2];
	pid_t x;

	self->child = self->grandchild = self->other = 0;
	if (access(PTWALK_WALK, F_OK))
		SKIP(return, "ptwalk.ko is not loaded (no %s)", PTWALK_WALK);
	if (access(ptwalk_cli_path(), X_OK))
		SKIP(return, "no ptwalk command at %s (make -C user)", ptwalk_cli_path());
	snprintf(q, sizeof(q), "pid=self addr=0x%lx walker=%s", (unsigned long)&q,
		 variant->walker);
	out = ptwalk_query(PTWALK_WALK, q, NULL);
	if (!out && errno == EOPNOTSUPP)
		SKIP(return, "walker=%s unavailable on this kernel", variant->walker);
	free(out);
	ASSERT_EQ(0, pipe(self->hold));
	ASSERT_EQ(0, pipe(rp));

	/* The memfd, filled; then the unrelated process maps part of it. */
	fd = syscall(SYS_memfd_create, "ptwalk-shared", 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, NM * PAGE));
	p = mmap(NULL, NM * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 5, NM * PAGE);
	self->m = (unsigned long)p;
	x = fork();
	ASSERT_LE(0, x);
	if (!x) {
		struct peer me;

		if (fork())	/* the middle one goes, so init adopts the other */
			_exit(0);
		close(self->hold[1]);
		munmap(p, NM * PAGE);
		p = mmap(NULL, (NM - MOFF) * PAGE, PROT_READ, MAP_SHARED, fd, MOFF * PAGE);
		if (p == MAP_FAILED)
			_exit(1);
		for (size_t i = 0; i < (NM - MOFF) * PAGE; i += PAGE)
			(void)*(volatile char *)(p + i);
		/* One write (< PIPE_BUF): pid and address together. */
		me.pid = getpid();
		me.p = p;
		if (write(rp[1], &me, sizeof(me)) != sizeof(me))
			_exit(1);
		wait_close(self->hold[0]);
	}
	ASSERT_EQ(x, waitpid(x, NULL, 0));
	ASSERT_EQ((ssize_t)sizeof(u), read(rp[0], &u, sizeof(u)));
	self->other = u.pid;
	self->om = (unsigned long)u.p;
	close(fd);

	/* The region shared after fork: the child copies 8 pages, its child 4. */
	p = guarded(NB);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 1, NB * PAGE);
	self->b = (unsigned long)p;
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		pid_t g;

		close(self->hold[1]);
		memset(p, 2, 8 * PAGE);
		g = fork();
		if (g < 0)
			_exit(1);
		if (!g) {
			memset(p + 8 * PAGE, 3, 4 * PAGE);
			g = getpid();
			if (write(rp[1], &g, sizeof(g)) != sizeof(g))
				_exit(1);
			wait_close(self->hold[0]);
		}
		wait_close(self->hold[0]);
	}
	ASSERT_EQ((ssize_t)sizeof(self->grandchild),
		  read(rp[0], &self->grandchild, sizeof(self->grandchild)));
	close(rp[0]);
	close(rp[1]);

	/* Ours alone: made after every fork. */
	p = guarded(NA);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 4, NA * PAGE);
	self->a = (unsigned long)p;
}

FIXTURE_TEARDOWN(shared)
{
	close(self->hold[1]);
	if (self->grandchild > 0)
		kill(self->grandchild, SIGKILL);
	if (self->other > 0)
		kill(self->other, SIGKILL);
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
}

/* The three regions: every (region, process) against the pagemaps. */
TEST_F(shared, fork_tree_and_memfd)
{
	static char out[1 << 20];
	char pidarg[16];
	struct vma_says v;
	const char *rel;
	long n;

	snprintf(pidarg, sizeof(pidarg), "%d", getpid());
	ASSERT_EQ(0, ptwalk_run((char *const[]){ (char *)ptwalk_cli_path(), "shared",
						  "--walker", (char *)variant->walker,
						  pidarg, NULL }, out, sizeof(out)))
		TH_LOG("%s", out);

	/* The region shared after fork. */
	vma_says(out, self->b, &v);
	ASSERT_TRUE(v.listed) TH_LOG("no line for 0x%lx in\n%s", self->b, out);
	EXPECT_EQ(multi_frames(self->b, NB), v.multi) TH_LOG("%s", out);
	EXPECT_EQ(NB, v.pages) TH_LOG("%s", out);
	EXPECT_EQ(v.multi, v.shared) TH_LOG("%s", out);
	n = same_frames(self->b, self->child, self->b, NB);
	EXPECT_EQ(NB - 8, n);
	EXPECT_EQ(n, with_pid(&v, self->child, &rel)) TH_LOG("%s", out);
	EXPECT_STREQ("child", rel);
	n = same_frames(self->b, self->grandchild, self->b, NB);
	EXPECT_EQ(NB - 12, n);
	EXPECT_EQ(n, with_pid(&v, self->grandchild, &rel)) TH_LOG("%s", out);
	EXPECT_STREQ("grandchild", rel);
	EXPECT_EQ(0, with_pid(&v, self->other, &rel)) TH_LOG("%s", out);

	/*
	 * The memfd: the child and grandchild inherited the mapping but not
	 * its PTEs (fork copies no page tables of a shared file mapping), the
	 * other maps pages 4.. of it.
	 */
	vma_says(out, self->m, &v);
	ASSERT_TRUE(v.listed) TH_LOG("no line for the memfd 0x%lx in\n%s", self->m, out);
	EXPECT_EQ(multi_frames(self->m, NM), v.multi) TH_LOG("%s", out);
	EXPECT_EQ(v.multi, v.shared) TH_LOG("%s", out);
	n = same_frames(self->m + MOFF * PAGE, self->other, self->om, NM - MOFF);
	EXPECT_EQ(NM - MOFF, n);
	EXPECT_EQ(n, with_pid(&v, self->other, &rel)) TH_LOG("%s", out);
	EXPECT_STREQ("-", rel) TH_LOG("its parent is not us: no relation");
	EXPECT_EQ(same_frames(self->m, self->child, self->m, NM),
		  with_pid(&v, self->child, &rel)) TH_LOG("%s", out);
	EXPECT_EQ(same_frames(self->m, self->grandchild, self->m, NM),
		  with_pid(&v, self->grandchild, &rel)) TH_LOG("%s", out);

	/* Ours alone: not listed, nothing of mapcount > 1 there. */
	EXPECT_EQ(0, multi_frames(self->a, NA));
	vma_says(out, self->a, &v);
	EXPECT_FALSE(v.listed) TH_LOG("%s", out);

	/* The sums: in a quiet guest every page of mapcount > 1 is explained. */
	EXPECT_NE(NULL, strstr(out, "every one explained by a process mapping")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "not atomic")) TH_LOG("%s", out);

	/* The JSON says the same. */
	ASSERT_EQ(0, ptwalk_run((char *const[]){ (char *)ptwalk_cli_path(), "shared", "--json",
						  "--walker", (char *)variant->walker,
						  pidarg, NULL }, out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"relation\":\"grandchild\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"not_found\":0")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"status\":\"complete\"")) TH_LOG("%s", out);
}

/* Bad input: a process that is not there, a kernel thread. */
TEST_F(shared, bad_input)
{
	char out[4096];

	EXPECT_EQ(1, ptwalk_run((char *const[]){ (char *)ptwalk_cli_path(), "shared",
						  "999999999", NULL }, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "no such process")) TH_LOG("%s", out);
	EXPECT_EQ(1, ptwalk_run((char *const[]){ (char *)ptwalk_cli_path(), "shared", "2",
						  NULL }, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "no user address space")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
