// SPDX-License-Identifier: GPL-2.0
/*
 * bt_trigger: make the memory events that the bpftrace tools
 * (tools/NAME.bt) report, on demand, for the guest suite
 * guest.d/60-bpftrace.
 *
 * Usage: bt_trigger MODE     MODE: faults, cow, swap, thp, numa
 *
 * Prints "pid N", then waits for one line on stdin (so that a tracer can
 * attach to that pid first), then makes the events and prints one line per
 * event made ("EVENT KIND 0xADDRESS"), or "skip REASON" for an event this
 * guest cannot make.  Exits 0, or 1 on an unexpected error.
 *
 *   faults read, write, write to the zero page, exec: four user page faults
 *   cow    a write to a page shared with a live child (copy), then to a
 *          page whose child has exited (reuse)
 *   swap   MADV_PAGEOUT of a page (needs swap on), then a read of it
 *   thp    a fault on a MADV_HUGEPAGE range, a PMD split (mprotect of half
 *          of it), a THP split (debugfs split_huge_pages), MADV_COLLAPSE of
 *          a range of small pages
 *   numa   mbind(MPOL_BIND, MPOL_MF_MOVE) of a page to the node it is not
 *          on (a migration), then touches present pages until that faults: a
 *          NUMA hinting fault (needs kernel.numa_balancing=1)
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ptwalk_pagemap.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#define MPOL_BIND_ 2		/* <linux/mempolicy.h>, not in libc headers */
#define MPOL_MF_MOVE_ (1 << 1)
#define MPOL_F_NODE_ (1 << 0)
#define MPOL_F_ADDR_ (1 << 1)
#define THP (2UL << 20)

static long pg;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void event(const char *ev, const char *kind, const void *p)
{
	printf("%s %s %#lx\n", ev, kind, (unsigned long)p);
	fflush(stdout);
}

static void skip(const char *why)
{
	printf("skip %s\n", why);
	fflush(stdout);
}

static char *map(size_t len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

/* A 2M-aligned anonymous range of len bytes (len a multiple of 2M). */
static char *map_aligned(size_t len)
{
	char *p = map(len + THP, PROT_READ | PROT_WRITE);
	char *a = (char *)(((uintptr_t)p + THP - 1) & ~(THP - 1));

	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + THP - a);
	return a;
}

static uint64_t pagemap(const void *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &e, sizeof(e), (uintptr_t)p / pg * sizeof(e)) != sizeof(e))
		e = 0;
	if (fd >= 0)
		close(fd);
	return e;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

static void do_fault(void)
{
	volatile char *p = map(3 * pg, PROT_READ | PROT_WRITE);
#ifdef __aarch64__
	static const unsigned int ret = 0xd65f03c0;	/* A64 "ret" (x30) */
#else
	static const unsigned char ret = 0xc3;	/* x86 "ret" */
#endif
	void (*fn)(void);
	char *x;
	int fd;

	(void)p[0];
	event("fault", "read", (const void *)p);
	p[pg] = 1;
	event("fault", "write", (const void *)(p + pg));
	p[0] = 1;	/* the zero page mapped by the read: present */
	event("fault", "write-present", (const void *)p);

	fd = memfd_create("bt_trigger", 0);
	if (fd < 0 || write(fd, &ret, sizeof(ret)) != sizeof(ret))
		die("memfd");
	x = mmap(NULL, pg, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (x == MAP_FAILED)
		die("mmap exec");
	fn = (void (*)(void))x;
	fn();
	event("fault", "exec", x);
	close(fd);
}

static void do_cow(void)
{
	char *p = map(2 * pg, PROT_READ | PROT_WRITE);
	int pipefd[2], st;
	cpu_set_t one;
	pid_t child;
	char c;

	/* One CPU: the fault's LRU drain then sees every batched reference. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	p[0] = 1;
	p[pg] = 1;
	if (pipe(pipefd))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		close(pipefd[1]);
		while (read(pipefd[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(pipefd[0]);
	p[0] = 2;	/* shared with the child: copied */
	event("cow", "copy", p);
	close(pipefd[1]);
	if (waitpid(child, &st, 0) != child)
		die("waitpid");
	p[pg] = 2;	/* the child is gone: ours alone again, reused */
	event("cow", "reuse", p + pg);
}

static void do_swap(void)
{
	volatile char *p = map(pg, PROT_READ | PROT_WRITE);
	int i;

	memset((char *)p, 0x5a, pg);
	for (i = 0; i < 20; i++) {
		madvise((char *)p, pg, MADV_PAGEOUT);
		if (pagemap((const void *)p) & PTWALK_PM_SWAP)
			break;
		usleep(50000);
	}
	if (!(pagemap((const void *)p) & PTWALK_PM_SWAP)) {
		skip("swap: MADV_PAGEOUT did not swap the page out (is swap on?)");
		return;
	}
	event("swap", "out", (const void *)p);
	if (p[0] != 0x5a)
		die("swap-in read back wrong data");
	event("swap", "in", (const void *)p);
}

static int thp_on(void)
{
	char buf[128] = "";
	int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);

	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return !strstr(buf, "[never]");
}

static void do_thp(void)
{
	char *a, *b, cmd[128];
	int i, r = -1;

	if (!thp_on()) {
		skip("thp: transparent hugepages are off");
		return;
	}
	a = map_aligned(THP);
	madvise(a, THP, MADV_HUGEPAGE);
	a[0] = 1;
	if (!(pagemap(a) & (1ULL << 63)) || !(pagemap(a + THP - pg) & (1ULL << 63))) {
		skip("thp: no huge page on the fault (memory too fragmented?)");
		return;
	}
	event("thp", "fault", a);
	/* Half of it read-only: the PMD is split, the folio stays large. */
	if (mprotect(a, THP / 2, PROT_READ))
		die("mprotect");
	event("thp", "split-pmd", a);
	snprintf(cmd, sizeof(cmd), "%d,%#lx,%#lx", getpid(),
		 (unsigned long)a, (unsigned long)(a + THP));
	if (write_str("/sys/kernel/debug/split_huge_pages", cmd) == 0)
		event("thp", "split", a);
	else
		skip("thp-split: no /sys/kernel/debug/split_huge_pages");

	/* Small pages in a 2M range of their own, collapsed on request. */
	b = map_aligned(THP);
	madvise(b, THP, MADV_NOHUGEPAGE);
	for (i = 0; i < (int)(THP / pg); i++)
		b[i * pg] = 1;
	madvise(b, THP, MADV_HUGEPAGE);
	for (i = 0; i < 5 && r; i++) {
		r = madvise(b, THP, MADV_COLLAPSE);
		if (r && errno != EAGAIN)
			break;
	}
	if (r)
		printf("skip thp-collapse: MADV_COLLAPSE: %s\n", strerror(errno));
	else
		event("thp", "collapse", b);
	fflush(stdout);
}

static void do_numa(void)
{
	unsigned long mask = 1UL << 1;	/* node 1 */
	int node = -1;
	volatile char *p = map(pg, PROT_READ | PROT_WRITE);
	volatile char *q = map(64 * pg, PROT_READ | PROT_WRITE);
	struct timespec t0, t;
	struct rusage r0, r1;
	cpu_set_t cpu;
	int i;

	p[0] = 1;
	/* To the node the page is not on, whichever CPU faulted it in. */
	if (syscall(SYS_get_mempolicy, &node, NULL, 0, p,
		    MPOL_F_NODE_ | MPOL_F_ADDR_) == 0 && node == 1)
		mask = 1UL << 0;
	if (syscall(SYS_mbind, p, pg, MPOL_BIND_, &mask, 8 * sizeof(mask),
		    MPOL_MF_MOVE_))
		printf("skip numa-migrate: mbind: %s\n", strerror(errno));
	else
		event("numa", "migrate", (const void *)p);
	fflush(stdout);

	/*
	 * NUMA balancing makes pages PROT_NONE from task_work after a tick,
	 * but leaves a single-threaded task's pages alone when they are on
	 * the node it runs on: fault q in on CPU 1 (node 1), run on CPU 0
	 * (node 0) and keep touching q, all present, until touching faults.
	 */
	CPU_ZERO(&cpu);
	CPU_SET(1, &cpu);
	if (sched_setaffinity(0, sizeof(cpu), &cpu)) {
		skip("numa-hint: needs a CPU 1 (on the second node)");
		return;
	}
	for (i = 0; i < 64; i++)
		q[i * pg] = 1;
	CPU_ZERO(&cpu);
	CPU_SET(0, &cpu);
	sched_setaffinity(0, sizeof(cpu), &cpu);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		getrusage(RUSAGE_SELF, &r0);
		for (i = 0; i < 64; i++)
			q[i * pg]++;
		getrusage(RUSAGE_SELF, &r1);
		if (r1.ru_minflt > r0.ru_minflt) {
			event("numa", "hint", (const void *)q);
			return;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < 20);
	skip("numa-hint: no hinting fault in 20 s (kernel.numa_balancing off?)");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} modes[] = {
		{ "faults", do_fault }, { "cow", do_cow }, { "swap", do_swap },
		{ "thp", do_thp }, { "numa", do_numa },
	};
	char line[16];
	size_t i;

	pg = sysconf(_SC_PAGESIZE);
	for (i = 0; argc == 2 && i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(argv[1], modes[i].name))
			continue;
		printf("pid %d\n", getpid());
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 1;
		modes[i].fn();
		return 0;
	}
	fprintf(stderr, "usage: bt_trigger faults|cow|swap|thp|numa\n");
	return 2;
}
