// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect - protection lives in the page-table entry.
 *
 * Lab 09 (labs/09-mprotect/README.md).
 *
 *   step 1: write a page: present, writable
 *   step 2: mprotect(PROT_READ): the W bit goes, the frame stays
 *   step 3: mprotect(PROT_NONE): still the same frame, but not accessible
 *           (the kernel keeps P clear and marks the entry PROT_NONE)
 *   step 4: mprotect(PROT_READ | PROT_WRITE), and write again
 */
#include "demo.h"

int main(int argc, char **argv)
{
	char *buf;

	demo_start(argc, argv, "mprotect: PROT_READ, PROT_NONE and back");

	step("wrote a fresh page");
	buf = map_anon(4 * KB);
	buf[0] = 1;
	show("buf", buf);
	pause_here();

	step("mprotect(PROT_READ)");
	mprotect(buf, 4 * KB, PROT_READ);
	pause_here();

	step("mprotect(PROT_NONE): any access would now be SIGSEGV");
	mprotect(buf, 4 * KB, PROT_NONE);
	pause_here();

	step("mprotect(PROT_READ | PROT_WRITE), wrote it again");
	mprotect(buf, 4 * KB, PROT_READ | PROT_WRITE);
	buf[0] = 2;
	pause_here();
	return 0;
}
