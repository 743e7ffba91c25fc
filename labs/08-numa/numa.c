// SPDX-License-Identifier: GPL-2.0
/*
 * numa - which NUMA node a page lands on, and moving it.
 *
 * Lab 08 (labs/08-numa/README.md).  Uses the raw mbind()/get_mempolicy()
 * system calls, so no libnuma is needed.  The lab guest has two nodes.
 *
 *   step 1: write a page with the default policy: local to the CPU
 *   step 2: mbind(MPOL_BIND, node 1), then write: the page is on node 1
 *   step 3: mbind(MPOL_BIND, node 0, MPOL_MF_MOVE): migrated to node 0,
 *           a new frame at the same virtual address
 */
#include <errno.h>
#include <sched.h>
#include <sys/syscall.h>
#include "demo.h"

#define MPOL_BIND	2	/* <linux/mempolicy.h> */
#define MPOL_MF_MOVE	(1 << 1)
#define MPOL_F_NODE	(1 << 0)
#define MPOL_F_ADDR	(1 << 1)

static long bind_to(void *addr, size_t len, int node, unsigned int flags)
{
	unsigned long mask = 1UL << node;

	return syscall(SYS_mbind, addr, len, MPOL_BIND, &mask, sizeof(mask) * 8, flags);
}

/* The node the kernel says the page at addr is on (-1 if unknown). */
static int node_of(void *addr)
{
	int node = -1;

	if (syscall(SYS_get_mempolicy, &node, NULL, 0, addr, MPOL_F_NODE | MPOL_F_ADDR))
		return -1;
	return node;
}

int main(int argc, char **argv)
{
	char *local, *bound;

	demo_start(argc, argv, "numa: page placement with mbind()");
	if (access("/sys/devices/system/node/node1", F_OK))
		printf("only one NUMA node here: steps 2 and 3 will fail\n");

	step("wrote a page with the default policy (local allocation), running on CPU %d",
	     sched_getcpu());
	local = map_anon(4 * KB);
	local[0] = 1;
	show("local", local);
	printf("get_mempolicy says: node %d\n", node_of(local));
	pause_here();

	step("mbind(MPOL_BIND, node 1) on a fresh page, then wrote it");
	bound = map_anon(4 * KB);
	if (bind_to(bound, 4 * KB, 1, 0))
		printf("mbind: %s\n", strerror(errno));
	bound[0] = 1;
	show("bound", bound);
	printf("get_mempolicy says: node %d\n", node_of(bound));
	pause_here();

	step("mbind(MPOL_BIND, node 0, MPOL_MF_MOVE) on that page: migrate it");
	if (bind_to(bound, 4 * KB, 0, MPOL_MF_MOVE))
		printf("mbind: %s\n", strerror(errno));
	show("bound", bound);
	printf("get_mempolicy says: node %d\n", node_of(bound));
	pause_here();
	return 0;
}
