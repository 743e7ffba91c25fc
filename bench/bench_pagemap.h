/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_pagemap.h - what the who and shared benches' "script" side does
 * without ptwalk: read a process's maps, then its pagemap VMA by VMA in
 * preads of 4096 entries.  One copy, so both benches time the same loop.
 */
#ifndef PTWALK_BENCH_PAGEMAP_H
#define PTWALK_BENCH_PAGEMAP_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN		((1ULL << 55) - 1)

static inline double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * @fn(pme, @arg) for every pagemap entry of process @pid's user VMAs;
 * a process that went is no entries.  Static inline with a constant @fn:
 * the compiler inlines the call, as a script's own loop would be.
 */
static inline void pagemap_scan(const char *pid, void (*fn)(uint64_t pme, void *arg),
				void *arg)
{
	static uint64_t buf[4096];
	char path[300], line[512];
	FILE *m;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	m = fopen(path, "re");
	if (!m)
		return;
	snprintf(path, sizeof(path), "/proc/%s/pagemap", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && fgets(line, sizeof(line), m)) {
		unsigned long s, t, a;

		if (sscanf(line, "%lx-%lx", &s, &t) != 2 || s >= 0x800000000000UL)
			continue;
		for (a = s; a < t; a += 4096UL * 4096) {
			size_t cnt = (t - a) / 4096 < 4096 ? (t - a) / 4096 : 4096;
			ssize_t got = pread(fd, buf, cnt * 8, (off_t)(a / 4096) * 8), i;

			for (i = 0; i < got / 8; i++)
				fn(buf[i], arg);
		}
	}
	if (fd >= 0)
		close(fd);
	fclose(m);
}

#endif
