// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_kernel_bench - a full kernel=1 answer (the kernel's ptdump walk
 * into the module's seq_file, parsing, formatting, copying out) against the
 * ptdump walk alone (status "kernel_walk_ns", timed around the exported
 * function in the same answer).  Issue 15's target: at most 2x.
 *
 * Usage: ptwalk_kernel_bench [ROUNDS]   (root, ptwalk.ko loaded)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long long status_ll(const char *key)
{
	char buf[4096], *p;
	long long v = -1;
	ssize_t n;
	int fd = open("/sys/kernel/debug/ptwalk/status", O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, key);
	if (p)
		v = strtoll(p + strlen(key), NULL, 10);
	return v;
}

/* One answer read whole; its bytes, or -1. */
static long answer(const char *q, const char *fmt)
{
	static char buf[1 << 16];
	char query[64];
	long total = 0;
	ssize_t n;
	int fd = open("/sys/kernel/debug/ptwalk/walk", O_RDWR);

	if (fd < 0)
		return -1;
	snprintf(query, sizeof(query), "%s format=%s", q, fmt);
	if (write(fd, query, strlen(query)) < 0) {
		close(fd);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	return n < 0 ? -1 : total;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const char *const fmts[] = { "text", "merged", "binary" };
	int rounds = argc > 1 ? atoi(argv[1]) : 15;
	double full[64], walk[64];
	int rc = 0;

	if (rounds < 3 || rounds > 64)
		rounds = 15;
	for (int f = 0; f < 3; f++) {
		long bytes = 0;

		for (int i = 0; i < rounds; i++) {
			double t0 = now();

			bytes = answer("kernel=1", fmts[f]);
			full[i] = now() - t0;
			walk[i] = status_ll("kernel_walk_ns: ") / 1e9;
			if (bytes < 0 || walk[i] <= 0) {
				fprintf(stderr, "kernel=1 failed (root? module? kernel_tables?)\n");
				return 2;
			}
		}
		qsort(full, rounds, sizeof(full[0]), cmp);
		qsort(walk, rounds, sizeof(walk[0]), cmp);
		printf("kernel=1 format=%-6s %7ld bytes: answer %7.2f ms, ptdump walk %7.2f ms, ratio %.2f (medians of %d)%s\n",
		       fmts[f], bytes, full[rounds / 2] * 1e3, walk[rounds / 2] * 1e3,
		       full[rounds / 2] / walk[rounds / 2], rounds,
		       full[rounds / 2] / walk[rounds / 2] > 2 ? "  ABOVE 2x" : "");
	}
	return rc;
}
