// SPDX-License-Identifier: GPL-2.0
/*
 * query_test - the module's query parser, on the host.  Each case names the
 * mistake it would catch.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ptwalk.h"
#include "ptwalk_query.h"

static int parse(const char *s, struct ptwalk_query *q, const char **why)
{
	return ptwalk_parse_query(s, strlen(s), q, why);
}

TEST(pid_and_defaults)
{
	struct ptwalk_query q;
	const char *why = NULL;

	ASSERT_EQ(0, parse("pid=42\n", &q, &why));
	EXPECT_TRUE(q.has_pid);
	EXPECT_EQ(42, q.pid);
	EXPECT_FALSE(q.single);
	EXPECT_FALSE(q.has_range);
	EXPECT_EQ(PTWALK_FMT_TEXT, q.format);
	EXPECT_EQ(PTWALK_WALKER_DEFAULT, q.walker);
}

TEST(self_addr_format_walker)
{
	struct ptwalk_query q;
	const char *why = NULL;

	ASSERT_EQ(0, parse("pid=self addr=0x7f0000001234 format=binary walker=builtin",
			   &q, &why));
	EXPECT_EQ(0, q.pid);
	EXPECT_TRUE(q.single);
	EXPECT_EQ(0x7f0000001234ULL, q.start);
	EXPECT_EQ(0x7f0000001235ULL, q.end);
	EXPECT_EQ(PTWALK_FMT_BINARY, q.format);
	EXPECT_EQ(PTWALK_WALKER_BUILTIN, q.walker);
}

TEST(range_forms)
{
	struct ptwalk_query q;
	const char *why = NULL;

	ASSERT_EQ(0, parse("pid=1 range=0x1000-0x3000 format=merged", &q, &why));
	EXPECT_TRUE(q.has_range);
	EXPECT_EQ(0x1000ULL, q.start);
	EXPECT_EQ(0x3000ULL, q.end);
	ASSERT_EQ(0, parse("pid=1 start=4096 end=0x3000\t", &q, &why));
	EXPECT_EQ(4096ULL, q.start);
	EXPECT_EQ(0x3000ULL, q.end);
}

/* Each entry: input, and the mistake accepting it would be. */
static const struct {
	const char *in;
	const char *bug;
} bad[] = {
	{ "", "empty query accepted" },
	{ "   \n", "blank query accepted" },
	{ "pid=0", "pid 0 accepted" },
	{ "pid=-1", "negative pid accepted" },
	{ "pid=99999999999999999999", "overflowing pid accepted" },
	{ "pid=1 pid=2", "duplicate key accepted" },
	{ "pid=1 addr=", "empty value accepted" },
	{ "pid=1 addr=0xg", "bad hex accepted" },
	{ "pid=1 addr=0x", "bare 0x accepted" },
	{ "pid=1 addr=0x10000000000000000", "overflowing address accepted" },
	{ "pid=1 addr=0xffffffffffffffff", "addr + 1 overflow accepted" },
	{ "pid=1 start=0x2000 end=0x1000", "start >= end accepted" },
	{ "pid=1 start=0x2000 end=0x2000", "empty range accepted" },
	{ "pid=1 start=0x2000", "start without end accepted" },
	{ "pid=1 range=0x1000", "range without '-' accepted" },
	{ "pid=1 range=0x1000-", "range without end accepted" },
	{ "pid=1 addr=0x1000 range=0x1000-0x2000", "addr with range accepted" },
	{ "pid=1 format=json", "unknown format accepted" },
	{ "pid=1 walker=fast", "unknown walker accepted" },
	{ "pid=1 color=red", "unknown key accepted" },
	{ "pid", "key without '=' accepted" },
	{ "pid=1\npid=2", "two lines accepted" },
	{ "pid=1\x01", "control byte accepted" },
	{ "pid=1 \xff", "high byte accepted" },
};

TEST(rejects_bad_queries)
{
	struct ptwalk_query q;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;

		EXPECT_EQ(-EINVAL, parse(bad[i].in, &q, &why))
			TH_LOG("%s: '%s'", bad[i].bug, bad[i].in);
		EXPECT_NE(NULL, why) TH_LOG("no reason for '%s'", bad[i].in);
	}
}

TEST(embedded_nul_and_length)
{
	struct ptwalk_query q;
	const char *why = NULL;
	char big[PTWALK_QUERY_MAX + 2];

	EXPECT_EQ(-EINVAL, ptwalk_parse_query("pid=1\0x", 7, &q, &why));
	memset(big, ' ', sizeof(big));
	memcpy(big, "pid=1", 5);
	EXPECT_EQ(-EINVAL, ptwalk_parse_query(big, sizeof(big), &q, &why));
	EXPECT_EQ(0, ptwalk_parse_query(big, PTWALK_QUERY_MAX, &q, &why));
}

/* format=summary: walks only (a range or the whole process). */
TEST(summary_format)
{
	static const char *const bad[] = {
		"pid=1 addr=0x1000 format=summary",
		"pfn=0x1000 format=summary",
		"kernel=1 format=summary",
		"kaddr=0xffffffff81000000 format=summary",
		"pid=1 format=summary format=binary",
	};
	struct ptwalk_query q;
	const char *why = NULL;
	size_t i;

	ASSERT_EQ(0, parse("pid=1 format=summary walker=builtin", &q, &why));
	EXPECT_EQ(PTWALK_FMT_SUMMARY, q.format);
	ASSERT_EQ(0, parse("pid=self range=0x1000-0x3000 format=summary", &q, &why));
	EXPECT_EQ(PTWALK_FMT_SUMMARY, q.format);
	EXPECT_TRUE(q.has_range);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		EXPECT_EQ(-EINVAL, parse(bad[i], &q, &why)) TH_LOG("%s accepted", bad[i]);
		EXPECT_NE(NULL, why);
	}
}

/* pfn= (who maps): one frame or [A, B), at most 512, alone with format/walker. */
TEST(pfn_forms)
{
	static const char *const bad[] = {
		"pfn=0x1000-0x1201",		/* 513 frames: the bound */
		"pfn=0x1001-0x1001",		/* empty range */
		"pfn=0x1002-0x1001",		/* backwards */
		"pfn=0x1000 pid=1",		/* who looks everywhere: no pid */
		"pid=1 pfn=0x1000",
		"pfn=0x1000 addr=0x1000",	/* pfn and an address */
		"addr=0x1000 pfn=0x1000",
		"pfn=0x1000 range=0x1000-0x2000",
		"pfn=0x1000 start=0x1000",
		"pfn=0x1000 pfn=0x1000",	/* twice */
		"pfn=0x1000 format=merged",	/* no runs of frames */
		"pfn=x", "pfn=0x1000-", "pfn=-0x1000", "pfn=0x1000-y",
		"pfn=18446744073709551615",	/* N + 1 overflows */
	};
	struct ptwalk_query q;
	const char *why = NULL;
	size_t i;

	ASSERT_EQ(0, parse("pfn=0x1234", &q, &why));
	EXPECT_TRUE(q.who);
	EXPECT_FALSE(q.has_pid);
	EXPECT_FALSE(q.single);
	EXPECT_EQ(0x1234ULL, q.start);
	EXPECT_EQ(0x1235ULL, q.end);
	ASSERT_EQ(0, parse("pfn=4096-4608 format=binary walker=kernel", &q, &why));
	EXPECT_EQ(4096ULL, q.start);
	EXPECT_EQ(4608ULL, q.end);
	EXPECT_EQ(PTWALK_FMT_BINARY, q.format);
	EXPECT_EQ(PTWALK_WALKER_KERNEL, q.walker);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		EXPECT_EQ(-EINVAL, parse(bad[i], &q, &why)) TH_LOG("accepted '%s'", bad[i]);
		EXPECT_NE(NULL, why) TH_LOG("no reason for '%s'", bad[i]);
	}
}

/* kernel=1 / kaddr= (issue 15): alone with pid, user and format. */
TEST(kernel_forms)
{
	static const char *const bad[] = {
		"kernel=0", "kernel=yes", "kernel=1 kernel=1",
		"user=1",			/* the user copy of what? */
		"kernel=1 kaddr=0xffffffff81000000",
		"kernel=1 addr=0x1000", "kernel=1 range=0x1000-0x2000",
		"kernel=1 start=0x1000", "kernel=1 end=0x2000",
		"kernel=1 pfn=0x1000", "kernel=1 walker=builtin",
		"kaddr=0xffffffff81000000 format=merged",
		"kaddr=x", "kaddr=0x1 kaddr=0x2",
	};
	struct ptwalk_query q;
	const char *why = NULL;
	size_t i;

	ASSERT_EQ(0, parse("kernel=1", &q, &why));
	EXPECT_TRUE(q.kernel);
	EXPECT_FALSE(q.kpti);
	EXPECT_FALSE(q.has_pid);
	ASSERT_EQ(0, parse("kernel=1 user=1 pid=7 format=merged", &q, &why));
	EXPECT_TRUE(q.kpti);
	EXPECT_EQ(7, q.pid);
	EXPECT_EQ(PTWALK_FMT_MERGED, q.format);
	ASSERT_EQ(0, parse("kaddr=0xffffffff81000000 format=binary", &q, &why));
	EXPECT_TRUE(q.kaddr);
	EXPECT_FALSE(q.single);
	EXPECT_EQ(0xffffffff81000000ULL, q.start);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		EXPECT_EQ(-EINVAL, parse(bad[i], &q, &why)) TH_LOG("accepted '%s'", bad[i]);
		EXPECT_NE(NULL, why) TH_LOG("no reason for '%s'", bad[i]);
	}
}

TEST_HARNESS_MAIN
