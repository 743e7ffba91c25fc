// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_bench - ptwalk against pagemap over the same prepared regions.
 *
 * Runs as root in a guest with ptwalk.ko freshly loaded (scripts/bench).
 * A child process holds the regions; every method reads every region in
 * rounds (each method twice in a row per round, the second run timed, so
 * host load falls on all alike and no method pays for the caches the one
 * before it left), median of PTWALK_BENCH_RUNS (default 5) rounds,
 * reported as ns per 4K page of the region and as a ratio to pagemap
 * measured in the same rounds:
 *   pagemap      /proc/PID/pagemap in 512 KiB reads            (baseline A)
 *   page-types   pagemap + kpageflags + kpagecount per PFN     (baseline B)
 *   binary       ptwalk's binary records, kernel walker; binary-bi: builtin
 *   text, merged ptwalk's text formats
 *   cli-json     user/ptwalk --json over the range (a fork+exec each)
 *   cli-range    user/ptwalk --range (the range view, text)
 *   cli-verify   user/ptwalk verify --range (against page-types' reads)
 *   proc-start   user/ptwalk --version: one start of the command, the
 *                part of every cli-* row that is not the range's
 * and, over the whole target process, "ptwalk summary PID" against
 * "cat /proc/PID/smaps" (each a fork+exec).
 * Before that, with the module's counters still fresh: the longest
 * mmap-lock hold of binary walks, and the worst mmap()+first-touch latency
 * of a thread in the target while walks run back to back, against the
 * same thread with no walks.  After: the module's peak memory (status).
 * Regions: PTWALK_BENCH_MB (default 1024) MiB of touched 4K pages, as much
 * backed by THP, as much with one page in 16 touched, a quarter of it
 * swapped out to zram, and a 64 GiB reservation with one page per GiB.
 * PTWALK_BENCH_ONLY (a comma-separated list of region and method names,
 * e.g. "dense-4K,pagemap,binary") limits the run; pagemap always runs, as
 * the ratios' base.  PTWALK_BENCH_NOLAT=1 skips the latency measurement.
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

/* relative: scripts/bench builds this file without -I include */
#include "../include/ptwalk_pagemap.h"

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
		/* mmap() takes the mmap lock for writing: a walk's hold delays it. */
		t = now_ns();
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			continue;
		p[0] = 1;
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
	unsigned long off = r->start / PAGE * PTWALK_PM_ENTRY_BYTES;
	unsigned long end = (r->start + r->len) / PAGE * PTWALK_PM_ENTRY_BYTES;
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
		for (i = 0; types && i < (size_t)got / PTWALK_PM_ENTRY_BYTES; i++) {
			uint64_t pfn = ptwalk_pm_pfn(e[i]), v;

			if (!(e[i] & PTWALK_PM_PRESENT))
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

/*
 * A shell command's time, or 0 when it failed: exit status above @ok_max
 * (verify exits 1 on a disagreement, which a live target may cause; it
 * still did all its work).
 */
static uint64_t run_shell(const char *cmd, int ok_max)
{
	uint64_t t = now_ns();
	int st = system(cmd);

	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) > ok_max) {
		fprintf(stderr, "ptwalk_bench: '%s' failed (status 0x%x)\n", cmd, st);
		return 0;
	}
	return now_ns() - t;
}

/* user/ptwalk @args (a printf format taking the range and the pid). */
static uint64_t run_cli(pid_t pid, const struct region *r, const char *args, int ok_max)
{
	char fmt[256], cmd[256];

	snprintf(fmt, sizeof(fmt), "../../user/ptwalk %s >/dev/null", args);
	snprintf(cmd, sizeof(cmd), fmt, r->start, r->start + r->len, pid);
	return run_shell(cmd, ok_max);
}

/* Whether @name is selected by PTWALK_BENCH_ONLY (everything without it). */
static bool wanted(const char *name)
{
	const char *only = getenv("PTWALK_BENCH_ONLY"), *p;
	size_t n = strlen(name);

	if (!only || !*only || !strcmp(name, "pagemap"))
		return true;
	for (p = only; (p = strstr(p, name)); p += n)
		if ((p == only || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

enum method {
	PAGEMAP, PAGE_TYPES, BINARY, BINARY_BI, TEXT, MERGED, CLI_JSON, CLI_RANGE, CLI_VERIFY,
	PROC_START, NMETHODS
};

static const char *const method_names[NMETHODS] = {
	"pagemap", "page-types", "binary", "binary-bi", "text", "merged", "cli-json",
	"cli-range", "cli-verify", "proc-start",
};

static uint64_t run_method(int m, pid_t pid, const struct region *r, char *buf, size_t cap)
{
	switch (m) {
	case PAGEMAP:
		return run_pagemap(pid, r, buf, false);
	case PAGE_TYPES:
		return run_pagemap(pid, r, buf, true);
	case BINARY:
		return run_ptwalk(pid, r, "binary", "kernel", buf, cap);
	case BINARY_BI:
		return run_ptwalk(pid, r, "binary", "builtin", buf, cap);
	case TEXT:
		return run_ptwalk(pid, r, "text", "kernel", buf, cap);
	case MERGED:
		return run_ptwalk(pid, r, "merged", "kernel", buf, cap);
	case CLI_JSON:
		return run_cli(pid, r, "--json --range 0x%lx-0x%lx %d", 0);
	case CLI_RANGE:
		return run_cli(pid, r, "--range 0x%lx-0x%lx %d", 0);
	case CLI_VERIFY:
		return run_cli(pid, r, "verify --range 0x%lx-0x%lx %d", 1);
	default:
		return run_shell("../../user/ptwalk --version >/dev/null", 0);
	}
}

/*
 * The whole target: "ptwalk summary PID" against "cat /proc/PID/smaps",
 * rounds of both, each timed on its second run, medians.
 */
static void whole_process(pid_t pid, int runs)
{
	uint64_t ns[2][16], med[2];
	char cmd[2][128];
	int j, k;

	snprintf(cmd[0], sizeof(cmd[0]), "cat /proc/%d/smaps >/dev/null", pid);
	snprintf(cmd[1], sizeof(cmd[1]), "../../user/ptwalk summary %d >/dev/null", pid);
	for (k = 0; k < runs; k++)
		for (j = 0; j < 2; j++) {
			run_shell(cmd[j], 0);
			ns[j][k] = run_shell(cmd[j], 0);
		}
	for (j = 0; j < 2; j++) {
		qsort(ns[j], runs, sizeof(ns[j][0]), cmp);
		med[j] = ns[j][runs / 2];
	}
	printf("whole process: cat smaps %.1f ms, ptwalk summary %.1f ms: %.2f x smaps\n",
	       med[0] / 1e6, med[1] / 1e6, med[0] ? (double)med[1] / med[0] : 0.0);
}

/* A number from the module's status file, or -1. */
static long long status_value(const char *key)
{
	FILE *f = fopen("/sys/kernel/debug/ptwalk/status", "r");
	char line[256];
	size_t n = strlen(key);
	long long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtoll(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/* Worst mmap+fault latency in the target over @secs, walking or not. */
static uint64_t latency(pid_t pid, char *buf, size_t cap, bool walking, int secs)
{
	uint64_t t;

	sh->worst_ns = 0;
	sh->fault_run = 1;
	for (t = now_ns(); now_ns() - t < secs * 1000000000ULL;) {
		if (walking)
			run_ptwalk(pid, &sh->r[0], "binary", "kernel", buf, cap);
		else
			usleep(10000);
	}
	sh->fault_run = 0;
	usleep(20000);
	return sh->worst_ns;
}

int main(void)
{
	const char *s = getenv("PTWALK_BENCH_MB"), *rs = getenv("PTWALK_BENCH_RUNS");
	unsigned long mb = s ? strtoul(s, NULL, 0) : 1024;
	int runs = rs ? atoi(rs) : 5, i, j, k;
	size_t cap = 8 << 20;
	char *buf = malloc(cap);
	uint64_t with = 0, without = 0;
	long long hold_binary = -1, holds_binary = -1;
	bool lat = !getenv("PTWALK_BENCH_NOLAT");
	pid_t pid;

	if (runs < 1 || runs > 15)
		runs = 5;
	if (!buf || mb < 16) {
		fprintf(stderr, "ptwalk_bench: PTWALK_BENCH_MB must be at least 16\n");
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid = fork();
	if (pid == 0)
		target(mb);
	while (!sh->ready)
		usleep(10000);

	/*
	 * First, with nothing else run yet: how long binary walks hold the
	 * target's mmap lock, and what that does to a thread that maps and
	 * faults (mmap() takes the lock for writing) next to the same thread
	 * with no walks.
	 */
	if (lat) {
		with = latency(pid, buf, cap, true, 3);
		hold_binary = status_value("lock_hold_max_ns");
		holds_binary = status_value("lock_holds");
		without = latency(pid, buf, cap, false, 3);
	}

	printf("%-12s %10s %-12s %10s %9s\n", "region", "pages", "method", "ns/page", "x pagemap");
	for (i = 0; i < 5; i++) {
		const struct region *r = &sh->r[i];
		uint64_t pages = r->len / PAGE, ns[NMETHODS][16], med[NMETHODS];

		if (!wanted(r->name))
			continue;
		/*
		 * Rounds of every method in turn, so that a burst of load on
		 * the host falls on all of them alike; then the median.  Each
		 * method is timed on its second run in a row: the first pays
		 * for what the method before it left in the caches (under
		 * emulation, QEMU's TLB and translated code too), which made
		 * whichever ptwalk method followed page-types 1.6x slower on
		 * a GiB of THPs.
		 */
		for (k = 0; k < runs; k++)
			for (j = 0; j < NMETHODS; j++) {
				ns[j][k] = 0;
				if (!wanted(method_names[j]))
					continue;
				run_method(j, pid, r, buf, cap);
				ns[j][k] = run_method(j, pid, r, buf, cap);
			}
		for (j = 0; j < NMETHODS; j++) {
			qsort(ns[j], runs, sizeof(ns[j][0]), cmp);
			med[j] = ns[j][runs / 2];
		}
		for (j = 0; j < NMETHODS; j++)
			if (med[j])
				printf("%-12s %10llu %-12s %10.1f %9.2f\n", r->name,
				       (unsigned long long)pages, method_names[j],
				       (double)med[j] / pages, (double)med[j] / med[PAGEMAP]);
	}
	if (wanted("summary"))
		whole_process(pid, runs);
	printf("module memory while walking: %lld bytes at most (one reader)\n",
	       status_value("bytes_peak"));
	if (lat) {
		printf("longest mmap-lock hold, binary walks of dense-4K: %.2f ms (%lld holds)\n",
		       hold_binary / 1e6, holds_binary);
		printf("longest mmap-lock hold, every method above: %.2f ms\n",
		       status_value("lock_hold_max_ns") / 1e6);
		printf("worst mmap+fault latency in the target: %.2f ms during walks, %.2f ms without (%llu faults)\n",
		       with / 1e6, without / 1e6, (unsigned long long)sh->faults);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	free(buf);
	return 0;
}
