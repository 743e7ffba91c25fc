// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_who_bench - who maps a frame: ptwalk's pfn= query against what a
 * user would script without it (read every process's maps and pagemap and
 * search them for the frame), for a libc frame and an anonymous one, in
 * one guest run.  Ratios only; the two must find the same number of
 * mappings.  Run by scripts/bench (make bench) as root with ptwalk.ko
 * loaded.
 *
 * Usage: ptwalk_who_bench [PROCESSES [MIB]]   default 100 processes, 16 MiB
 * of their own anonymous memory each, all children of one parent sharing
 * its (also MIB) anonymous pages after fork.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_pagemap.h"

#define WALK		"/sys/kernel/debug/ptwalk/walk"

struct match {
	uint64_t pfn;
	long n;
};

static void count_pfn(uint64_t pme, void *arg)
{
	struct match *m = arg;

	m->n += (pme & PM_PRESENT) && (pme & PM_PFN) == m->pfn;
}

/* Mappings of @pfn in the pagemap of process @pid (its maps' VMAs). */
static long scan_pid(const char *pid, uint64_t pfn)
{
	struct match m = { pfn, 0 };

	pagemap_scan(pid, count_pfn, &m);
	return m.n;
}

/* The script: every process, every VMA, its pagemap searched. */
static long scan(uint64_t pfn, double *secs)
{
	double t0 = now();
	struct dirent *e;
	DIR *d = opendir("/proc");
	long n = 0;

	while (d && (e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			n += scan_pid(e->d_name, pfn);
	if (d)
		closedir(d);
	*secs = now() - t0;
	return n;
}

/* ptwalk: one pfn= query; the mappings from its tally line. */
static long who(uint64_t pfn, double *secs, int *equal)
{
	size_t cap = 1 << 22, len = 0;
	char q[64], *buf = malloc(cap), *t;
	double t0 = now();
	long n = -1;
	ssize_t r;
	int fd;

	fd = open(WALK, O_RDWR | O_CLOEXEC);
	snprintf(q, sizeof(q), "pfn=0x%llx", (unsigned long long)pfn);
	if (!buf || fd < 0 || write(fd, q, strlen(q)) < 0) {
		perror(WALK);
		exit(1);
	}
	while ((r = read(fd, buf + len, cap - 1 - len)) > 0)
		len += r;
	close(fd);
	*secs = now() - t0;
	buf[len] = '\0';
	t = strstr(buf, "# tally mappings=");
	if (t) {
		n = strtol(t + 17, NULL, 10);
		*equal = strstr(t, "equal=yes") != NULL;
	}
	free(buf);
	return n;
}

static uint64_t pfn_of(pid_t pid, const void *p)
{
	char path[64];
	uint64_t e = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, &e, 8, (off_t)((uintptr_t)p / 4096) * 8) != 8)
		e = 0;
	if (fd >= 0)
		close(fd);
	return e & PM_PRESENT ? e & PM_PFN : 0;
}

static void compare(const char *what, uint64_t pfn)
{
	double ts, tw;
	long a, b;
	int equal = 0;

	a = scan(pfn, &ts);
	b = who(pfn, &tw, &equal);
	printf("who %-4s frame 0x%llx: pagemap script %ld mappings in %.1f ms, ptwalk who %ld in %.1f ms (%s mapcount): %.1fx, %s answer\n",
	       what, (unsigned long long)pfn, a, ts * 1e3, b, tw * 1e3,
	       equal ? "equals" : "differs from", tw > 0 ? ts / tw : 0.0,
	       a == b ? "same" : "DIFFERENT");
}

int main(int argc, char **argv)
{
	int nproc = argc > 1 ? atoi(argv[1]) : 100, mb = argc > 2 ? atoi(argv[2]) : 16;
	size_t size = (size_t)mb << 20;
	char *anon = mmap(NULL, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t *kids = calloc(nproc, sizeof(*kids));
	void *libc_page = (void *)((uintptr_t)&pause & ~4095UL);
	int i;

	if (anon == MAP_FAILED || !kids || nproc < 1)
		return 1;
	memset(anon, 1, size);
	for (i = 0; i < nproc; i++) {
		kids[i] = fork();
		if (!kids[i]) {
			char *own = mmap(NULL, size, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (own != MAP_FAILED)
				memset(own, 2, size);
			pause();	/* maps libc's page of pause() */
			_exit(0);
		}
	}
	sleep(2);
	printf("%d processes sharing %d MiB after fork, %d MiB of their own each\n",
	       nproc + 1, mb, mb);
	compare("libc", pfn_of(kids[0], libc_page));
	compare("anon", pfn_of(getpid(), anon + 7 * 4096));
	for (i = 0; i < nproc; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}
