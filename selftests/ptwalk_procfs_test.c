// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_procfs_test - the unprivileged view: /proc/ptwalk shows a user
 * their own address space with physical addresses hidden, and nothing else.
 *
 * Each test drops to uid/gid 65534 (nobody) inside the harness's per-test
 * child, so root privileges never leak between tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ptwalk_util.h"

static void drop_to_nobody(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setresgid(65534, 65534, 65534));
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));
	ASSERT_NE((uid_t)0, geteuid());
}

TEST(self_visible_pfn_hidden)
{
	char line[512], *out;
	volatile char *p;
	uint64_t pfn = 1;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)p);
	p[0] = 1;
	drop_to_nobody(_metadata);

	{
		char q[96];

		snprintf(q, sizeof(q), "pid=self addr=%p", (void *)p);
		out = ptwalk_query("/proc/ptwalk", q, NULL);
	}
	ASSERT_NE(NULL, out) TH_LOG("query failed: %s", strerror(errno));
	EXPECT_NE(NULL, strstr(out, "phys=hidden"));
	ASSERT_NE(NULL, ptwalk_find_entry(out, (unsigned long)p, line, sizeof(line)))
		TH_LOG("no entry for %p in:\n%s", (void *)p, out);
	EXPECT_TRUE(ptwalk_field_has(line, "kind", "present"));
	ASSERT_TRUE(ptwalk_field_u64(line, "pfn", &pfn));
	EXPECT_EQ((uint64_t)0, pfn);
	/* Table addresses of the translation are hidden too. */
	EXPECT_EQ(NULL, strstr(out, "table=0x1")) TH_LOG("%s", out);
	free(out);
}

TEST(other_process_refused)
{
	char *out;

	drop_to_nobody(_metadata);
	out = ptwalk_query("/proc/ptwalk", "pid=1", NULL);
	EXPECT_EQ(NULL, out);
	EXPECT_EQ(EPERM, errno);
	free(out);
}

TEST(debugfs_refused)
{
	drop_to_nobody(_metadata);
	EXPECT_EQ(-1, open(PTWALK_WALK, O_RDWR));
	EXPECT_TRUE(errno == EACCES || errno == EPERM);
}

/* The reason for a refused query is readable from the same open file. */
TEST(reason_after_refusal)
{
	char buf[256] = "";
	ssize_t n;
	int fd;

	drop_to_nobody(_metadata);
	fd = open("/proc/ptwalk", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, "pid=1", 5));
	EXPECT_EQ(EPERM, errno);
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_EQ(0, strncmp(buf, "error: ", 7)) TH_LOG("%s", buf);
	close(fd);
}

TEST_HARNESS_MAIN
