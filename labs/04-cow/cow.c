// SPDX-License-Identifier: GPL-2.0
/*
 * cow - copy-on-write after fork(), seen from both sides.
 *
 * Lab 04 (labs/04-cow/README.md).
 *
 *   step 1: write a page: ours alone, writable
 *   step 2: fork(): parent and child map the same frame, both read-only
 *   step 3: the child writes: it gets a copy, the parent keeps the frame
 *   step 4: the parent writes: no copy needed any more, the page is reused
 */
#include <signal.h>
#include <sys/wait.h>
#include "demo.h"

int main(int argc, char **argv)
{
	int to_child[2], from_child[2];
	pid_t child;
	char *buf, c;

	demo_start(argc, argv, "cow: fork() shares pages until someone writes");

	step("wrote \"parent\" into a fresh page");
	buf = map_anon(4 * KB);
	strcpy(buf, "parent");
	show("buf", buf);
	pause_here();

	if (pipe(to_child) || pipe(from_child)) {
		perror("pipe");
		return 1;
	}
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		/* The child writes when told to, then waits to be killed. */
		if (read(to_child[0], &c, 1) != 1)
			_exit(0);
		strcpy(buf, "child");
		printf("child %d: wrote \"child\" into buf\n", (int)getpid());
		if (write(from_child[1], "w", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	step("fork()ed child %d: same virtual address, same frame, both write-protected", (int)child);
	printf("child %d\n", (int)child);
	pause_here();

	step("told the child to write its copy");
	if (write(to_child[1], "w", 1) != 1 || read(from_child[0], &c, 1) != 1) {
		perror("child");
		return 1;
	}
	printf("parent sees \"%s\", the child saw its own copy\n", buf);
	pause_here();

	step("the parent writes too");
	strcpy(buf, "parent again");
	show_faults();
	pause_here();

	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	return 0;
}
