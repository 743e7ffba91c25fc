// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_robust_test - hostile input, a target that changes or dies under
 * the walk, a reader killed mid-walk, and proof that walking does not
 * disturb what it observes.
 *
 * Sizes come from the environment so make check runs a short version and
 * make stress a long one:
 *   PTWALK_HOSTILE_N    queries in hostile_queries       (default 100000)
 *   PTWALK_STRESS_SECS  seconds of changing_target       (default 5)
 *   PTWALK_WALKS        walks in observation_...         (default 1000)
 *   PTWALK_SEED         random seed                      (default 1)
 * The guest's dmesg (oops, WARN, hung task) is checked by vm-run; the
 * module's live buffer/file counters by selftests/run_guest.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ptwalk_util.h"

/* TEST_F's setjmp trips -Wclobbered under -Wextra; nothing here relies on it. */
#pragma GCC diagnostic ignored "-Wclobbered"

#define PAGE	4096UL
#define HPAGE	(2UL << 20)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from PTWALK_SEED. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Errnos a query may legitimately fail with. */
static bool write_errno_ok(int e)
{
	return e == EINVAL || e == ESRCH || e == EPERM || e == EOPNOTSUPP;
}

FIXTURE(robust) {
	int dummy;
};

FIXTURE_SETUP(robust)
{
	rng_state = (uint64_t)ptwalk_env_long("PTWALK_SEED", 1) * 0x9E3779B97F4A7C15ULL | 1;
	ASSERT_EQ(0, access(PTWALK_WALK, W_OK)) TH_LOG("module not loaded?");
}

FIXTURE_TEARDOWN(robust)
{
}

static const char *const words[] = {
	"pid=self", "pid=1", "pid=2", "pid=999999", "pid=0", "pid=-5",
	"pid=4294967296", "addr=0x0", "addr=0xffffffffffffffff",
	"addr=0xffff888000000000", "addr=0x0000800000000000",
	"addr=0x00007ffffffff000", "range=0x0-0xffffffffffffffff",
	"range=0x1000-0x1000", "range=0x2000-0x1000", "start=0x1000",
	"end=0x2000", "format=text", "format=merged", "format=binary",
	"format=json", "walker=kernel", "walker=builtin", "walker=auto",
	"walker=x", "color=red", "=", "pid=", "==", "pid==1", " ", "\t",
};

/* Build one hostile query into @q; returns its length. */
static size_t make_query(char *q, size_t cap, unsigned long heap)
{
	size_t len = 0, i, n;

	switch (rnd() % 6) {
	case 0:		/* binary junk */
		n = rnd() % 300;
		for (i = 0; i < n && i < cap; i++)
			q[i] = (char)rnd();
		return i;
	case 1:		/* grammar soup */
		n = 1 + rnd() % 5;
		for (i = 0; i < n; i++)
			len += snprintf(q + len, cap - len, "%s%s", i ? " " : "",
					words[rnd() % (sizeof(words) / sizeof(words[0]))]);
		return len < cap ? len : cap - 1;
	case 2:		/* a valid query, mutated */
		len = snprintf(q, cap, "pid=self range=0x%lx-0x%lx format=%s",
			       heap, heap + 16 * PAGE,
			       rnd() & 1 ? "text" : "binary");
		for (i = 0; i < 1 + rnd() % 4; i++) {
			size_t at = rnd() % len;

			switch (rnd() % 3) {
			case 0:
				q[at] = (char)rnd();
				break;
			case 1:
				memmove(q + at, q + at + 1, len - at);
				len--;
				break;
			default:
				if (len + 1 < cap) {
					memmove(q + at + 1, q + at, len - at);
					q[at] = "0x-= \n9f"[rnd() % 8];
					len++;
				}
			}
		}
		return len;
	case 3:		/* overlong */
		n = 257 + rnd() % (cap - 257);
		memset(q, rnd() & 1 ? ' ' : 'a', n);
		memcpy(q, "pid=self ", 9);
		return n;
	default:	/* valid, small: the answer is read back */
		return snprintf(q, cap, "pid=self %s=0x%lx%s%s walker=%s format=%s",
				rnd() & 1 ? "addr" : "start",
				heap + (rnd() % 16) * PAGE, "",
				"", rnd() & 1 ? "kernel" : "builtin",
				(const char *[]){ "text", "merged", "binary" }[rnd() % 3]);
	}
}

TEST_F_TIMEOUT(robust, hostile_queries, 600)
{
	long total = ptwalk_env_long("PTWALK_HOSTILE_N", 100000), i;
	long accepted = 0, rejected = 0, bytes = 0;
	char *q = malloc(8192), *buf = malloc(65536);
	char *heap = malloc(32 * PAGE);
	int fd = -1, uses = 0;
	const char *path = PTWALK_WALK;

	ASSERT_NE(NULL, q);
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, heap);
	memset(heap, 1, 32 * PAGE);
	for (i = 0; i < total; i++) {
		size_t len;
		ssize_t n;

		if (fd < 0 || ++uses > 64) {
			if (fd >= 0)
				close(fd);
			/* Alternate debugfs and /proc/ptwalk every 64 queries. */
			path = (i / 64) & 1 ? "/proc/ptwalk" : PTWALK_WALK;
			fd = open(path, O_RDWR | O_CLOEXEC);
			ASSERT_LE(0, fd) TH_LOG("open %s: %s", path, strerror(errno));
			uses = 0;
			/* A read before any query gives a reason, not an error. */
			n = read(fd, buf, 1 + rnd() % 64);
			ASSERT_LE(0, n) TH_LOG("read before query: %s", strerror(errno));
		}
		len = make_query(q, 4096, (unsigned long)heap);
		if (rnd() % 1000 == 0)
			len = 4096 + rnd() % 4096;	/* page-sized and larger */
		n = write(fd, q, len);
		if (n < 0) {
			ASSERT_TRUE(write_errno_ok(errno))
				TH_LOG("write of %zu bytes: %s", len, strerror(errno));
			rejected++;
		} else {
			ASSERT_EQ((ssize_t)len, n);
			accepted++;
		}
		/* The file is a stream: positioned reads are refused. */
		if (rnd() % 100 == 0) {
			EXPECT_EQ(-1, pread(fd, buf, 1 + rnd() % 4096, rnd() % 100000));
			EXPECT_EQ(ESPIPE, errno);
		}
		/* Read the answer (or the reason) in odd-sized pieces. */
		for (;;) {
			n = read(fd, buf, 1 + rnd() % (rnd() & 1 ? 7 : 65535));
			ASSERT_LE(0, n) TH_LOG("read after '%.*s': %s",
					       (int)(len < 80 ? len : 80), q,
					       strerror(errno));
			bytes += n;
			if (!n || rnd() % 8 == 0)
				break;	/* sometimes stop mid-answer */
		}
	}
	if (fd >= 0)
		close(fd);
	TH_LOG("%ld queries: %ld accepted, %ld rejected, %ld bytes read",
	       total, accepted, rejected, bytes);
	EXPECT_LT(0, accepted);
	EXPECT_LT(0, rejected);
	free(q);
	free(buf);
	free(heap);
}

TEST_F_TIMEOUT(robust, reader_killed_mid_walk, 120)
{
	pid_t target = ptwalk_spawn_touched(64, false), reader;
	double t0;
	int status;

	ASSERT_LT(0, target);
	ASSERT_TRUE(ptwalk_wait_rss(target, 60 << 10));
	reader = fork();
	if (reader == 0) {
		char q[64];
		size_t cap = 256 << 20;
		char *buf = malloc(cap);
		int fd = open(PTWALK_WALK, O_RDWR);

		snprintf(q, sizeof(q), "pid=%d", target);
		if (!buf || fd < 0 || write(fd, q, strlen(q)) < 0)
			_exit(2);
		/* One huge read: many chunks inside a single syscall. */
		for (;;)
			if (read(fd, buf, cap) <= 0 && write(fd, q, strlen(q)) < 0)
				_exit(3);
	}
	ASSERT_LT(0, reader);
	usleep(300000);
	t0 = ptwalk_now();
	kill(reader, SIGKILL);
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	EXPECT_LT(ptwalk_now() - t0, 2.0) TH_LOG("reader took %.2fs to die", ptwalk_now() - t0);
	EXPECT_TRUE(WIFSIGNALED(status));
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
}

TEST_F_TIMEOUT(robust, target_killed_mid_walk, 120)
{
	pid_t target = ptwalk_spawn_touched(64, false);
	char q[64], buf[4096];
	long total = 0;
	ssize_t n;
	int fd;

	ASSERT_LT(0, target);
	ASSERT_TRUE(ptwalk_wait_rss(target, 60 << 10));
	fd = open(PTWALK_WALK, O_RDWR);
	ASSERT_LE(0, fd);
	snprintf(q, sizeof(q), "pid=%d", target);
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
	ASSERT_LT(0, read(fd, buf, sizeof(buf)));
	kill(target, SIGKILL);
	ASSERT_EQ(target, waitpid(target, NULL, 0));
	/* The rest of the answer ends cleanly: EOF, no error, no hang. */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	EXPECT_EQ(0, n) TH_LOG("read after the target died: %s", strerror(errno));
	TH_LOG("%ld more bytes after the kill", total);
	/* A new query for the dead pid is refused with ESRCH. */
	EXPECT_EQ(-1, write(fd, q, strlen(q)));
	EXPECT_EQ(ESRCH, errno);
	close(fd);
}

/* The mutator: every kind of change a walk must survive, in a loop. */
static void mutate(void)
{
	char *slot[16] = { 0 };
	size_t size[16] = { 0 };
	unsigned long nodes;

	for (;;) {
		int s = rnd() % 16, i;

		switch (rnd() % 12) {
		case 0:	/* map */
			if (slot[s])
				munmap(slot[s], size[s]);
			size[s] = (1 + rnd() % 1024) * PAGE;
			slot[s] = mmap(NULL, size[s], PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (slot[s] == MAP_FAILED)
				slot[s] = NULL;
			break;
		case 1:	/* THP, then split it by a partial munmap */
			if (slot[s])
				munmap(slot[s], size[s]);
			size[s] = 2 * HPAGE;
			slot[s] = mmap(NULL, size[s], PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (slot[s] == MAP_FAILED) {
				slot[s] = NULL;
				break;
			}
			madvise(slot[s], size[s], MADV_HUGEPAGE);
			memset(slot[s], 1, size[s]);
			if (rnd() & 1) {
				munmap(slot[s] + size[s] - PAGE, PAGE);
				size[s] -= PAGE;
			}
			break;
		default:
			if (!slot[s])
				break;
			switch (rnd() % 10) {
			case 0:
				for (i = 0; i < 64; i++)
					slot[s][(rnd() % (size[s] / PAGE)) * PAGE] = 1;
				break;
			case 1:
				madvise(slot[s], size[s], MADV_DONTNEED);
				break;
			case 2:
				madvise(slot[s], size[s], MADV_PAGEOUT);
				break;
			case 3:
				madvise(slot[s], size[s], MADV_COLLAPSE);
				break;
			case 4:
				mprotect(slot[s], size[s], (rnd() & 1) ? PROT_READ :
					 (rnd() & 1) ? PROT_NONE : PROT_READ | PROT_WRITE);
				break;
			case 5: {
				char *n = mremap(slot[s], size[s], size[s] * 2, MREMAP_MAYMOVE);

				if (n != MAP_FAILED) {
					slot[s] = n;
					size[s] *= 2;
				}
				break;
			}
			case 6:	/* migrate to the other node */
				nodes = 1UL << (rnd() & 1);
				syscall(SYS_mbind, slot[s], size[s], 2 /* BIND */,
					&nodes, 8, 2 /* MPOL_MF_MOVE */);
				break;
			case 7:	/* fork, touch, exit: CoW and teardown */
				if (fork() == 0) {
					slot[s][0] = 2;
					_exit(0);
				}
				while (waitpid(-1, NULL, WNOHANG) > 0)
					;
				break;
			case 8:
				munmap(slot[s], size[s]);
				slot[s] = NULL;
				break;
			default:
				mprotect(slot[s], size[s], PROT_READ | PROT_WRITE);
				memset(slot[s], 3, size[s] < HPAGE ? size[s] : HPAGE);
				break;
			}
		}
	}
}

/* A walker process: queries whatever pid *@target holds until killed. */
static void walk_loop(volatile pid_t *target, int id, long *walks)
{
	static const char *const fmts[] = { "text", "merged", "binary" };
	char q[128], *buf = malloc(1 << 20);
	int fd = open(PTWALK_WALK, O_RDWR);

	if (fd < 0 || !buf)
		_exit(2);
	for (;;) {
		ssize_t n;

		if (rnd() % 4 == 0)
			snprintf(q, sizeof(q), "pid=%d addr=0x%llx walker=%s", *target,
				 0x7f0000000000ULL + (rnd() % (1ULL << 32)) * PAGE,
				 id & 1 ? "kernel" : "builtin");
		else
			snprintf(q, sizeof(q), "pid=%d walker=%s format=%s", *target,
				 (rnd() & 1) ? "kernel" : "builtin", fmts[rnd() % 3]);
		if (write(fd, q, strlen(q)) < 0) {
			if (!write_errno_ok(errno))
				_exit(3);
			continue;
		}
		while ((n = read(fd, buf, 1 << 20)) > 0)
			;
		if (n < 0)
			_exit(4);
		__atomic_add_fetch(walks, 1, __ATOMIC_RELAXED);
	}
}

TEST_F_TIMEOUT(robust, changing_target, 900)
{
	long secs = ptwalk_env_long("PTWALK_STRESS_SECS", 5);
	struct shared { pid_t target; long walks; } *sh;
	pid_t walkers[3], target;
	double t0 = ptwalk_now(), last = 0;
	int i, status, kills = 0;

	sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	target = fork();
	if (target == 0)
		mutate();
	sh->target = target;
	for (i = 0; i < 3; i++) {
		walkers[i] = fork();
		if (walkers[i] == 0) {
			rng_state += i + 1;
			walk_loop(&sh->target, i, &sh->walks);
		}
	}
	while (ptwalk_now() - t0 < secs) {
		usleep(100000);
		/* Kill the target mid-walk now and then; start a new one. */
		if (ptwalk_now() - last > 1.0) {
			last = ptwalk_now();
			kill(sh->target, SIGKILL);
			waitpid(sh->target, NULL, 0);
			kills++;
			rng_state++;
			target = fork();
			if (target == 0)
				mutate();
			sh->target = target;
		}
		for (i = 0; i < 3; i++) {
			ASSERT_EQ(0, waitpid(walkers[i], &status, WNOHANG))
				TH_LOG("walker %d died: status 0x%x", i, status);
		}
	}
	for (i = 0; i < 3; i++) {
		kill(walkers[i], SIGKILL);
		waitpid(walkers[i], NULL, 0);
	}
	kill(sh->target, SIGKILL);
	waitpid(sh->target, NULL, 0);
	TH_LOG("%lds: %ld walks, %d targets killed", secs, sh->walks, kills);
	EXPECT_LT(0, sh->walks);
	munmap(sh, PAGE);
}

/* Stable view of the target's private ranges: raw entries (A/D bits too). */
static char *raw_view(pid_t pid, unsigned long start, unsigned long end)
{
	char q[128], *t, *out, *line, *save = NULL;
	size_t len = 0;

	snprintf(q, sizeof(q), "pid=%d range=0x%lx-0x%lx", pid, start, end);
	t = ptwalk_query(PTWALK_WALK, q, NULL);
	if (!t)
		return NULL;
	out = calloc(1, strlen(t) + 1);
	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *kind = strstr(line, " kind=");

		if (strncmp(line, "0x", 2) || !kind)
			continue;
		/* Address, size, level, raw, kind and pfn; not pg=/ref=. */
		len += sprintf(out + len, "%.*s\n", (int)(strcspn(kind + 1, " ") + (kind + 1 - line)), line);
	}
	free(t);
	return out;
}

static void proc_stat_faults(pid_t pid, unsigned long *minflt, unsigned long *majflt)
{
	char path[64], buf[1024], *p;
	FILE *f;

	*minflt = *majflt = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		/* fields after comm: state ppid pgrp session tty tpgid flags minflt cminflt majflt */
		if (p)
			sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %lu %*u %lu",
			       minflt, majflt);
	}
	fclose(f);
}

static long smaps_rollup(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			v = strtol(line + klen + 1, NULL, 10);
	fclose(f);
	return v;
}

static void log_first_change(struct __test_metadata *_metadata,
			     const char *a0, const char *b0)
{
	size_t i = 0, line = 0;

	for (; a0[i] && a0[i] == b0[i]; i++)
		if (a0[i] == '\n')
			line = i + 1;
	TH_LOG("before: %.*s", (int)strcspn(a0 + line, "\n"), a0 + line);
	TH_LOG("after:  %.*s", (int)strcspn(b0 + line, "\n"), b0 + line);
}

/*
 * Equal views, except that an accessed bit may have been cleared: 7.2's
 * reclaim/aging clears PMD accessed bits on its own (seen even on mlocked
 * THPs), and clearing needs a write to the entry, which ptwalk never makes.
 * A bit set, or anything else changed, still counts.
 */
static bool same_but_aged(const char *a, const char *b)
{
	while (*a || *b) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		const char *ra = strstr(a, " raw="), *rb = strstr(b, " raw=");

		if (la != lb)
			return false;
		if (strncmp(a, b, la)) {
			unsigned long long x, y;

			if (!ra || !rb || ra - a != rb - b || ra > a + la ||
			    strncmp(a, b, ra - a))
				return false;
			x = strtoull(ra + 5, NULL, 16);
			y = strtoull(rb + 5, NULL, 16);
			if ((x ^ y) != 0x20 || !(x & 0x20))
				return false;
		}
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
	return true;
}

/* @walks queries over @target with both walkers and all formats. */
static void do_walks(struct __test_metadata *_metadata, pid_t target,
		     unsigned long start, long walks)
{
	static const char *const fmts[] = { "text", "merged", "binary" };
	long i;

	for (i = 0; i < walks; i++) {
		char q[128], *t;

		snprintf(q, sizeof(q), "pid=%d walker=%s format=%s", target,
			 i & 1 ? "kernel" : "builtin", fmts[i % 3]);
		if (i % 5 == 0)
			snprintf(q, sizeof(q), "pid=%d addr=0x%lx", target,
				 start + (i % 1024) * PAGE);
		t = ptwalk_query(PTWALK_WALK, q, NULL);
		ASSERT_NE(NULL, t) TH_LOG("walk %ld: %s", i, strerror(errno));
		free(t);
	}
}

TEST_F_TIMEOUT(robust, observation_does_not_disturb, 900)
{
	long walks = ptwalk_env_long("PTWALK_WALKS", 1000);
	bool changed = true, quiet = false;
	double span;
	int attempt;
	unsigned long min1, maj1, min2, maj2, start, end;
	long rss1, thp1, rss2, thp2;
	char *v1, *v2;
	int ready[2];
	pid_t target;

	ASSERT_EQ(0, pipe(ready));
	target = fork();
	if (target == 0) {
		char *p = mmap(NULL, 8 * HPAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *a = (char *)(((unsigned long)p + HPAGE - 1) & ~(HPAGE - 1));
		volatile char sink;
		size_t j;

		madvise(a, 2 * HPAGE, MADV_HUGEPAGE);
		memset(a, 1, 2 * HPAGE);			/* two THPs */
		madvise(a + 2 * HPAGE, 2 * HPAGE, MADV_NOHUGEPAGE);
		for (j = 0; j < 256; j++) {
			if (j & 1)
				a[2 * HPAGE + j * PAGE] = 1;	/* A and D */
			else
				sink = a[2 * HPAGE + j * PAGE];	/* A only */
		}
		(void)sink;
		if (write(ready[1], &a, sizeof(a)) != sizeof(a))
			_exit(1);
		for (;;)
			pause();
	}
	ASSERT_LT(0, target);
	ASSERT_EQ((ssize_t)sizeof(start), read(ready[0], &start, sizeof(start)));
	end = start + 4 * HPAGE;
	usleep(200000);
	/*
	 * Reclaim and MGLRU aging may clear accessed bits on their own.  A
	 * change counts against ptwalk only if the same span without walks
	 * leaves the entries alone; otherwise the system was busy: try again.
	 */
	for (attempt = 0; attempt < 4; attempt++) {
		double t0;

		proc_stat_faults(target, &min1, &maj1);
		rss1 = smaps_rollup(target, "Rss");
		thp1 = smaps_rollup(target, "AnonHugePages");
		v1 = raw_view(target, start, end);
		ASSERT_NE(NULL, v1);
		t0 = ptwalk_now();
		do_walks(_metadata, target, start, walks);
		span = ptwalk_now() - t0;
		v2 = raw_view(target, start, end);
		ASSERT_NE(NULL, v2);
		proc_stat_faults(target, &min2, &maj2);
		rss2 = smaps_rollup(target, "Rss");
		thp2 = smaps_rollup(target, "AnonHugePages");
		changed = !same_but_aged(v1, v2);
		if (changed)
			log_first_change(_metadata, v1, v2);
		free(v1);
		free(v2);
		if (!changed)
			break;
		/* The control: the same time, no walks. */
		v1 = raw_view(target, start, end);
		usleep((useconds_t)(span * 1e6));
		v2 = raw_view(target, start, end);
		ASSERT_NE(NULL, v1);
		ASSERT_NE(NULL, v2);
		quiet = same_but_aged(v1, v2);
		free(v1);
		free(v2);
		TH_LOG("attempt %d: entries changed during walks; without walks they %s",
		       attempt, quiet ? "did not" : "changed too (reclaim/aging)");
		if (quiet)
			break;
	}
	if (changed && !quiet) {
		kill(target, SIGKILL);
		waitpid(target, NULL, 0);
		SKIP(return, "reclaim/aging kept changing accessed bits: cannot judge");
	}
	TH_LOG("%ld walks; rss %ld kB, AnonHugePages %ld kB, minflt %lu", walks,
	       rss2, thp2, min2);
	EXPECT_FALSE(changed) TH_LOG("entries (raw, A/D bits) changed by walking");
	EXPECT_EQ(4096, thp1) TH_LOG("the target did not get two THPs");
	EXPECT_EQ(thp1, thp2);
	EXPECT_EQ(rss1, rss2);
	EXPECT_EQ(min1, min2);
	EXPECT_EQ(maj1, maj2);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
}

TEST_HARNESS_MAIN
