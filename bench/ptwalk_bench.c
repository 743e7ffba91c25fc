// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_bench - ptwalk against pagemap over the same prepared regions.
 *
 * Runs as root in a guest with ptwalk.ko loaded (scripts/bench).  A child
 * process holds the regions; each method reads one region, median of
 * PTWALK_BENCH_RUNS (default 5) runs, reported as ns per 4K page of the
 * region and as a ratio to pagemap measured in the same run:
 *   pagemap      /proc/PID/pagemap in 512 KiB reads            (baseline A)
 *   page-types   pagemap + kpageflags + kpagecount per PFN     (baseline B)
 *   binary/text/merged   ptwalk formats (kernel walker; builtin for binary)
 *   cli-json     user/ptwalk --json over the range
 * Then the worst page-fault latency of a thread in the target while walks
 * run, against the same without walks (the mmap lock is held per chunk).
 * Sizes scale with PTWALK_BENCH_MB (default 256): emulation is slow.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE	4096UL
#define HPAGE	(2UL << 20)
#define GB	(1UL << 30)

struct region {
	const char *name;
	unsigned long start, len;
};

struct shared {
	struct region r[5];
	int ready;
	volatile int fault_run;
	volatile uint64_t worst_ns, faults;
};

static struct shared *sh;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *faulter(void *arg)
{
	(void)arg;
	for (;;) {
		char *p;
		uint64_t t;

		while (!sh->fault_run)
			usleep(1000);
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			continue;
		t = now_ns();
		p[0] = 1;	/* takes the mmap lock (or the VMA lock) to fault */
		t = now_ns() - t;
		if (t > sh->worst_ns)
			sh->worst_ns = t;
		sh->faults++;
		munmap(p, PAGE);
	}
	return NULL;
}

static char *map(unsigned long len, unsigned long align)
{
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return (char *)(((unsigned long)p + align - 1) & ~(align - 1));
}

static void target(unsigned long mb)
{
	unsigned long len = mb << 20, i;
	pthread_t t;
	char *p;

	p = map(len, HPAGE);			/* dense 4K pages */
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += PAGE)
		p[i] = 1;
	sh->r[0] = (struct region){ "dense-4K", (unsigned long)p, len };
	p = map(len, HPAGE);			/* THP */
	madvise(p, len, MADV_HUGEPAGE);
	memset(p, 1, len);
	sh->r[1] = (struct region){ "thp", (unsigned long)p, len };
	p = map(len, HPAGE);			/* sparse: 1 page in 16 */
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += 16 * PAGE)
		p[i] = 1;
	sh->r[2] = (struct region){ "sparse-1/16", (unsigned long)p, len };
	p = map(len / 4, HPAGE);		/* swapped out */
	madvise(p, len / 4, MADV_NOHUGEPAGE);
	for (i = 0; i < len / 4; i += PAGE)
		p[i] = 1;
	madvise(p, len / 4, 21 /* MADV_PAGEOUT */);
	sh->r[3] = (struct region){ "swapped", (unsigned long)p, len / 4 };
	p = map(64 * GB, HPAGE);		/* 64 GiB, one page per GiB */
	for (i = 0; i < 64 * GB; i += GB)
		p[i] = 1;
	sh->r[4] = (struct region){ "empty-64G", (unsigned long)p, 64 * GB };
	pthread_create(&t, NULL, faulter, NULL);
	sh->ready = 1;
	for (;;)
		pause();
}

static void read_all(int fd, char *buf, size_t cap)
{
	while (read(fd, buf, cap) > 0)
		;
}

static uint64_t run_pagemap(pid_t pid, const struct region *r, char *buf, bool types)
{
	char path[64];
	uint64_t t = now_ns(), *e = (uint64_t *)buf;
	unsigned long off = r->start / PAGE * 8, end = (r->start + r->len) / PAGE * 8;
	int fd, kf = -1, kc = -1;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (types) {
		kf = open("/proc/kpageflags", O_RDONLY);
		kc = open("/proc/kpagecount", O_RDONLY);
	}
	while (off < end) {
		size_t n = end - off < 512 * 1024 ? end - off : 512 * 1024;
		ssize_t got = pread(fd, buf, n, off);
		size_t i;

		if (got <= 0)
			break;
		for (i = 0; types && i < (size_t)got / 8; i++) {
			uint64_t pfn = e[i] & ((1ULL << 55) - 1), v;

			if (!(e[i] >> 63))
				continue;
			if (pread(kf, &v, 8, pfn * 8) != 8 || pread(kc, &v, 8, pfn * 8) != 8)
				break;
		}
		off += got;
	}
	close(fd);
	if (types) {
		close(kf);
		close(kc);
	}
	return now_ns() - t;
}

static uint64_t run_ptwalk(pid_t pid, const struct region *r, const char *fmt,
			   const char *walker, char *buf, size_t cap)
{
	char q[160];
	uint64_t t = now_ns();
	int fd = open("/sys/kernel/debug/ptwalk/walk", O_RDWR);

	snprintf(q, sizeof(q), "pid=%d start=0x%lx end=0x%lx format=%s walker=%s", pid,
		 r->start, r->start + r->len, fmt, walker);
	if (fd < 0 || write(fd, q, strlen(q)) < 0) {
		perror("ptwalk query");
		exit(1);
	}
	read_all(fd, buf, cap);
	close(fd);
	return now_ns() - t;
}

static uint64_t run_cli(pid_t pid, const struct region *r)
{
	char cmd[256];
	uint64_t t = now_ns();

	snprintf(cmd, sizeof(cmd), "../../user/ptwalk --json --range 0x%lx-0x%lx %d >/dev/null",
		 r->start, r->start + r->len, pid);
	if (system(cmd))
		return 0;
	return now_ns() - t;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

#define MEDIAN(expr) ({						\
	uint64_t v_[16];					\
	int k_;							\
	for (k_ = 0; k_ < runs; k_++)				\
		v_[k_] = (expr);				\
	qsort(v_, runs, sizeof(v_[0]), cmp);			\
	v_[runs / 2];						\
})

int main(void)
{
	const char *s = getenv("PTWALK_BENCH_MB"), *rs = getenv("PTWALK_BENCH_RUNS");
	unsigned long mb = s ? strtoul(s, NULL, 0) : 256;
	int runs = rs ? atoi(rs) : 5, i;
	size_t cap = 8 << 20;
	char *buf = malloc(cap);
	uint64_t base, with, without;
	pid_t pid;

	if (runs < 1 || runs > 15)
		runs = 5;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid = fork();
	if (pid == 0)
		target(mb);
	while (!sh->ready)
		usleep(10000);
	printf("%-12s %10s %-12s %10s %8s\n", "region", "pages", "method", "ns/page", "x pagemap");
	for (i = 0; i < 5; i++) {
		const struct region *r = &sh->r[i];
		uint64_t pages = r->len / PAGE;
		struct { const char *name; uint64_t ns; } m[7];
		int j;

		m[0].name = "pagemap";
		m[0].ns = MEDIAN(run_pagemap(pid, r, buf, false));
		m[1].name = "page-types";
		m[1].ns = MEDIAN(run_pagemap(pid, r, buf, true));
		m[2].name = "binary";
		m[2].ns = MEDIAN(run_ptwalk(pid, r, "binary", "kernel", buf, cap));
		m[3].name = "binary-bi";
		m[3].ns = MEDIAN(run_ptwalk(pid, r, "binary", "builtin", buf, cap));
		m[4].name = "text";
		m[4].ns = MEDIAN(run_ptwalk(pid, r, "text", "kernel", buf, cap));
		m[5].name = "merged";
		m[5].ns = MEDIAN(run_ptwalk(pid, r, "merged", "kernel", buf, cap));
		m[6].name = "cli-json";
		m[6].ns = MEDIAN(run_cli(pid, r));
		base = m[0].ns;
		for (j = 0; j < 7; j++)
			printf("%-12s %10llu %-12s %10.1f %8.2f\n", r->name,
			       (unsigned long long)pages, m[j].name,
			       (double)m[j].ns / pages, (double)m[j].ns / base);
	}

	/* Fault latency in the target while walking vs idle, 3 s each. */
	sh->worst_ns = 0;
	sh->fault_run = 1;
	for (with = now_ns(); now_ns() - with < 3000000000ULL;)
		run_ptwalk(pid, &sh->r[0], "binary", "kernel", buf, cap);
	with = sh->worst_ns;
	sh->worst_ns = 0;
	usleep(3000000);
	without = sh->worst_ns;
	sh->fault_run = 0;
	printf("worst fault latency in the target: %.2f ms during walks, %.2f ms without (%llu faults)\n",
	       with / 1e6, without / 1e6, (unsigned long long)sh->faults);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	free(buf);
	return 0;
}
