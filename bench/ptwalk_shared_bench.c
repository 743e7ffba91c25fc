// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_shared_bench - `ptwalk shared PID` against what a user would
 * script without it: read PID's maps and pagemap (its frames, sorted),
 * then every other process's maps and pagemap, joined on PFN.  PID has
 * MIB of anonymous memory and a child that wrote half of it (so half is
 * shared after fork); EXTRA idle processes with 16 MiB of their own each
 * make the rest of the system.  Ratios only; both must find the same
 * number of PID's pages mapped by another process.  Run by scripts/bench
 * (make bench) as root with ptwalk.ko loaded, from build/bench.  Each side
 * runs 3 times, alternating; the fastest of each is reported.
 *
 * Usage: ptwalk_shared_bench [MIB [EXTRA]]   default 1024 MiB, 20 processes
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

#define CLI		"../../user/ptwalk"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct frames {
	uint64_t **out;		/* collect here, or */
	const uint64_t *join;	/* count the pages whose frame is in join[0..njoin) */
	size_t njoin, n, cap;
	unsigned char *hit;
};

static void frame_of(uint64_t pme, void *arg)
{
	struct frames *fr = arg;
	uint64_t pfn = pme & PM_PFN, *f;

	if (!(pme & PM_PRESENT) || !pfn)
		return;
	if (fr->out) {
		if (fr->n == fr->cap) {
			fr->cap = fr->cap ? 2 * fr->cap : 65536;
			*fr->out = realloc(*fr->out, fr->cap * sizeof(**fr->out));
			if (!*fr->out)
				exit(1);
		}
		(*fr->out)[fr->n++] = pfn;
		return;
	}
	f = bsearch(&pfn, fr->join, fr->njoin, sizeof(*fr->join), cmp_u64);
	if (f) {
		/* every page of PID with this frame */
		while (f > fr->join && f[-1] == pfn)
			f--;
		for (; f < fr->join + fr->njoin && *f == pfn; f++)
			fr->hit[f - fr->join] = 1;
		fr->n++;
	}
}

/*
 * The present frames of process @pid into *@out (malloc'd, not sorted),
 * or, with @join, the number of its present pages whose frame is in
 * @join[0..@njoin) (marked in @hit).
 */
static size_t frames(const char *pid, uint64_t **out, const uint64_t *join, size_t njoin,
		     unsigned char *hit)
{
	struct frames fr = { out, join, njoin, 0, 0, hit };

	if (out)
		*out = NULL;
	pagemap_scan(pid, frame_of, &fr);
	return fr.n;
}

/* The script: PID's frames sorted, every other process joined. */
static size_t script(pid_t target, double *secs, int *procs)
{
	double t0 = now();
	char me[16];
	uint64_t *f;
	unsigned char *hit;
	size_t n, shared = 0, i;
	struct dirent *e;
	DIR *d;

	snprintf(me, sizeof(me), "%d", (int)target);
	n = frames(me, &f, NULL, 0, NULL);
	qsort(f, n, sizeof(*f), cmp_u64);
	hit = calloc(n ? n : 1, 1);
	*procs = 0;
	d = opendir("/proc");
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' || !strcmp(e->d_name, me))
			continue;
		if (frames(e->d_name, NULL, f, n, hit))
			(*procs)++;
	}
	if (d)
		closedir(d);
	for (i = 0; i < n; i++)
		shared += hit[i];
	free(hit);
	free(f);
	*secs = now() - t0;
	return shared;
}

/* ptwalk shared --json PID: the pages it found shared with another process. */
static long ptwalk(pid_t target, double *secs)
{
	static char out[1 << 22];
	char pid[16], *t;
	size_t len = 0;
	double t0 = now();
	long shared, self;
	int pfd[2], st;
	ssize_t r;
	pid_t p;

	snprintf(pid, sizeof(pid), "%d", (int)target);
	if (pipe(pfd))
		exit(1);
	p = fork();
	if (!p) {
		dup2(pfd[1], 1);
		execl(CLI, CLI, "shared", "--json", pid, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while ((r = read(pfd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += r;
	close(pfd[0]);
	waitpid(p, &st, 0);
	*secs = now() - t0;
	out[len] = '\0';
	t = strstr(out, "\"totals\":");
	if (!t || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	shared = strstr(t, "\"shared\":") ? strtol(strstr(t, "\"shared\":") + 9, NULL, 10) : -1;
	self = strstr(t, "\"only_itself\":") ?
	       strtol(strstr(t, "\"only_itself\":") + 14, NULL, 10) : 0;
	return shared - self;
}

int main(int argc, char **argv)
{
	int mb = argc > 1 ? atoi(argv[1]) : 1024, extra = argc > 2 ? atoi(argv[2]) : 20;
	size_t size = (size_t)mb << 20, own = 16UL << 20;
	pid_t *kids = calloc(extra + 2, sizeof(*kids)), target;
	int go[2], i, procs;
	double ts, tp;
	size_t a;
	long b;

	if (!kids || pipe(go))
		return 1;
	/* The idle rest of the system: forked before PID has its memory. */
	for (i = 0; i < extra; i++) {
		kids[i] = fork();
		if (!kids[i]) {
			char *p = mmap(NULL, own, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p != MAP_FAILED)
				memset(p, 2, own);
			pause();
			_exit(0);
		}
	}
	target = fork();
	if (!target) {
		char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		pid_t child;

		if (p == MAP_FAILED)
			_exit(1);
		madvise(p, size, MADV_NOHUGEPAGE);
		memset(p, 1, size);
		child = fork();
		if (!child) {
			memset(p, 3, size / 2);	/* the child's own copy of half */
			child = getpid();
			if (write(go[1], &child, sizeof(child)) != sizeof(child))
				_exit(1);
			pause();
			_exit(0);
		}
		pause();
		_exit(0);
	}
	kids[extra] = target;
	if (read(go[0], &kids[extra + 1], sizeof(pid_t)) != sizeof(pid_t))
		return 1;
	printf("shared: pid %d with %d MiB, half shared with its child after fork, %d other processes with 16 MiB each\n",
	       (int)target, mb, extra);
	/* The best of 3 rounds each, alternating (the first exec reads the binary). */
	ts = tp = 1e9;
	for (i = 0; i < 3; i++) {
		double t;

		a = script(target, &t, &procs);
		ts = t < ts ? t : ts;
		b = ptwalk(target, &t);
		tp = t < tp ? t : tp;
	}
	printf("shared pid %d: pagemap script %zu pages shared in %.0f ms (%d processes), ptwalk shared %ld in %.0f ms: %.1fx, %s answer\n",
	       (int)target, a, ts * 1e3, procs, b, tp * 1e3, tp > 0 ? ts / tp : 0.0,
	       (long)a == b ? "same" : "DIFFERENT");
	for (i = 0; i <= extra + 1; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return (long)a == b ? 0 : 1;
}
