// SPDX-License-Identifier: GPL-2.0
/*
 * states - hold one example of each memory state for ptwalk to inspect.
 *
 * Prints "NAME ADDRESS what-to-expect" for each state, then waits until
 * stdin closes (or a signal), so ptwalk can be run against it meanwhile:
 *
 *   labs/states & ; ptwalk $! ADDRESS
 *
 * States: untouched anonymous memory, touched memory, the zero page (read
 * before any write), a copy-on-write page shared with a forked child, a
 * transparent huge page, a hugetlb page (if reserved), a file mapping,
 * a read-only page, a PROT_NONE page, a swapped-out page (if swap is on)
 * and a page placed on NUMA node 1 with mbind() (if there is a node 1).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MB (1UL << 20)
#define MPOL_BIND 2	/* <linux/mempolicy.h>; no libnuma needed */

static void show(const char *name, void *addr, const char *what)
{
	printf("%-10s %p  %s\n", name, addr, what);
}

int main(void)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *anon, *thp, *huge, *file, *ro, *none, *swp, *numa;
	unsigned long node1 = 1UL << 1;
	volatile char sink;
	char path[] = "/tmp/ptwalk-demo-XXXXXX";
	pid_t child;
	int fd;

	anon = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	show("untouched", anon, "mapped, never touched: no entry yet");
	anon[pg] = 1;
	show("touched", anon + pg, "written: present, private, writable");
	sink = anon[2 * pg];
	show("zero", anon + 2 * pg, "only read: the shared zero page");
	anon[3 * pg] = 1;
	show("cow", anon + 3 * pg, "fork()ed: shared with the child until a write");

	/* A 2M-aligned region for a transparent huge page. */
	thp = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (thp != MAP_FAILED) {
		thp = (char *)(((uintptr_t)thp + 2 * MB - 1) & ~(2 * MB - 1));
		madvise(thp, 2 * MB, MADV_HUGEPAGE);
		memset(thp, 1, 2 * MB);
		show("thp", thp, "MADV_HUGEPAGE: one 2M entry (THP)");
	}
	huge = mmap(NULL, 2 * MB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (huge != MAP_FAILED) {
		huge[0] = 1;
		show("hugetlb", huge, "MAP_HUGETLB: a 2M page from the hugetlb pool");
	}
	fd = mkstemp(path);
	if (fd >= 0 && ftruncate(fd, (off_t)pg) == 0) {
		file = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
		if (file != MAP_FAILED) {
			sink = file[0];
			show("file", file, "a file's page in the page cache");
		}
		unlink(path);
	}
	ro = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro != MAP_FAILED) {
		ro[0] = 1;
		mprotect(ro, pg, PROT_READ);
		show("readonly", ro, "mprotect(PROT_READ): present, not writable");
	}
	none = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (none != MAP_FAILED) {
		none[0] = 1;
		mprotect(none, pg, PROT_NONE);
		show("protnone", none, "mprotect(PROT_NONE): mapped, no access");
	}
	(void)sink;
	swp = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (swp != MAP_FAILED) {
		swp[0] = 1;
		/* MADV_PAGEOUT (5.4+): swapped out if there is swap. */
		madvise(swp, pg, 21);
		show("swapped", swp, "MADV_PAGEOUT: out on swap, the entry says where");
		madvise(swp, pg, MADV_DONTFORK);
	}
	numa = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (numa != MAP_FAILED &&
	    syscall(SYS_mbind, numa, pg, MPOL_BIND, &node1, 64, 0) == 0) {
		numa[0] = 1;
		show("node1", numa, "mbind(node 1): the frame is on NUMA node 1");
		madvise(numa, pg, MADV_DONTFORK);
	}

	/*
	 * Only the "cow" page (and the program itself) is shared with the
	 * child; everything else keeps the state it was made for.
	 */
	madvise(anon, 3 * pg, MADV_DONTFORK);
	if (thp != MAP_FAILED)
		madvise(thp, 2 * MB, MADV_DONTFORK);
	if (huge != MAP_FAILED)
		madvise(huge, 2 * MB, MADV_DONTFORK);
	if (ro != MAP_FAILED)
		madvise(ro, pg, MADV_DONTFORK);
	if (none != MAP_FAILED)
		madvise(none, pg, MADV_DONTFORK);
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	printf("pid %d (child %d)\n", getpid(), child);
	fflush(stdout);

	/* Wait until stdin closes, then clean up the child. */
	while (getchar() != EOF)
		;
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	return 0;
}
