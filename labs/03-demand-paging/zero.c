// SPDX-License-Identifier: GPL-2.0
/*
 * zero - the shared zero page, then the first write.
 *
 * Lab 03 (labs/03-demand-paging/README.md).
 *
 *   step 1: read a never-written page: mapped read-only to the zero page
 *   step 2: write it: the fault gives it a page of its own
 */
#include "demo.h"

int main(int argc, char **argv)
{
	volatile char *buf;
	char c;

	demo_start(argc, argv, "zero: reading untouched memory maps the zero page");

	buf = map_anon(4 * KB);
	step("read one byte of a fresh page (it is %d)", buf[0]);
	show("buf", (char *)buf);
	show_faults();
	pause_here();

	c = 7;
	buf[0] = c;
	step("wrote %d to it", c);
	show("buf", (char *)buf);
	show_faults();
	pause_here();
	return 0;
}
