/* SPDX-License-Identifier: GPL-2.0 */
/*
 * demo.h - the few helpers every ptwalk lab program shares.
 *
 * A lab program does one thing per step and says so:
 *
 *   step 2: wrote one byte to page 1
 *   addr page1 0x7f2a1c5fd000
 *
 * Run it with --step and it stops after every step until you press Enter,
 * so that you can look at it from another shell:
 *
 *   sudo user/ptwalk PID ADDRESS
 *
 * Without --step it runs straight through.  The "addr NAME 0x..." lines are
 * meant for scripts too (labs/lib.sh and the tests read them); a script
 * feeds the newlines through a pipe and waits for "paused after step N".
 */
#ifndef PTWALK_DEMO_H
#define PTWALK_DEMO_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define KB (1UL << 10)
#define MB (1UL << 20)
#define GB (1UL << 30)

static int demo_stepping;	/* --step given: pause after each step */
static int demo_stepno;		/* the step we are in */

/* Call first: line-buffered output, parse --step, say who we are. */
static inline void demo_start(int argc, char **argv, const char *what)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--step")) {
			demo_stepping = 1;
		} else {
			fprintf(stderr, "usage: %s [--step]\n  %s\n", argv[0], what);
			exit(strcmp(argv[i], "-h") && strcmp(argv[i], "--help") ? 2 : 0);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid %d: %s\n", (int)getpid(), what);
}

/* Start the next step: "step N: what I did". */
static inline void step(const char *fmt, ...)
{
	va_list ap;

	printf("\nstep %d: ", ++demo_stepno);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* An address worth looking at, in a form scripts can pick up. */
static inline void show(const char *name, const void *addr)
{
	printf("addr %-8s %p\n", name, addr);
}

/* With --step: wait for a newline (EOF ends the program quietly). */
static inline void pause_here(void)
{
	int c;

	if (!demo_stepping)
		return;
	printf("-- paused after step %d (pid %d): inspect now, Enter continues\n",
	       demo_stepno, (int)getpid());
	while ((c = getchar()) != '\n')
		if (c == EOF)
			exit(0);
}

/* Minor and major page faults of this process so far. */
static inline void show_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("faults so far: %ld minor, %ld major\n", ru.ru_minflt, ru.ru_majflt);
}

/* mmap anonymous private memory or die. */
static inline char *map_anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

/* len bytes of anonymous memory starting at a multiple of align. */
static inline char *map_aligned(size_t len, size_t align)
{
	char *p = map_anon(len + align);
	char *a = (char *)(((unsigned long)p + align - 1) & ~(align - 1));

	/* Give back the unaligned head and tail. */
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (p + len + align > a + len)
		munmap(a + len, (size_t)(p + len + align - (a + len)));
	return a;
}

/* Write a string to a /proc or /sys file; 0 or -1. */
static inline int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -1;
	if (fputs(s, f) < 0)
		ret = -1;
	if (fclose(f))
		ret = -1;
	return ret;
}

#endif /* PTWALK_DEMO_H */
