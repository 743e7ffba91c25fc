// SPDX-License-Identifier: GPL-2.0
/*
 * kparse_test - the module's ptdump text parser (module/ptwalk_kparse.c) on
 * crafted dumps: every line form ptdump prints, and text it must refuse.
 * Each case names the bug it would catch.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../module/ptwalk_kparse.h"

static const __u8 shifts[] = { 12, 21, 30, 39, 39 };

static int parse(const char *text, union ptwalk_record *r, size_t cap, size_t *n)
{
	return ptwalk_kparse(text, strlen(text), r, cap, n, shifts);
}

/* Lines as printk_prot() and note_page() print them (6.1 - 7.2). */
static const char dump[] =
	"---[ User Space ]---\n"
	"0x0000000000000000-0x0000558000000000   342528G                               pgd\n"
	"---[ Low Kernel Mapping ]---\n"
	"0xffff888000000000-0xffff888000001000           4K     RW                     GLB NX pte\n"
	"0xffff888000001000-0xffff888000200000        2044K     ro                     GLB x  pte\n"
	"0xffff888000200000-0xffff888040000000        1022M     RW         PSE         GLB NX pmd\n"
	"0xffff888040000000-0xffff888100000000           3G     RW         PSE         GLB NX pud\n"
	"0xffff888100000000-0xffff888100001000           4K     RW PWT PCD     PAT     GLB NX pte\n"
	"---[ ESPfix Area ]---\n"
	"0xffffff0000000000-0xffffff7f00000000         508G                               p4d\n"
	"0xffffff7f0000e000-0xffffff7f0000f000           4K     ro                     GLB NX pte\n"
	"... 131059 entries skipped ... \n"
	"---[ Fixmap Area ]---\n"
	"0xffffffffff5fc000-0xffffffffff5fe000           8K USR RW PWT PCD         PAT GLB NX pte\n"
	"0xffffffffff600000-0x0000000000000000          10M                               pmd\n";

TEST(every_line_form)
{
	union ptwalk_record r[32];
	size_t n = 0;

	ASSERT_EQ(0, parse(dump, r, 32, &n));
	ASSERT_EQ(11U, n);
	/* catches: a marker's name cut or the region start not set by a hole */
	EXPECT_EQ((int)PTWALK_REC_REGION, (int)r[0].type.type);
	EXPECT_STREQ("User Space", r[0].region.name);
	EXPECT_EQ(0ULL, r[0].region.start);
	EXPECT_EQ(0U, r[0].region.ranges);
	EXPECT_STREQ("Low Kernel Mapping", r[1].region.name);
	EXPECT_EQ(0xffff888000000000ULL, r[1].region.start);
	EXPECT_EQ(5U, r[1].region.ranges);
	/* catches: RW, GLB, NX misread */
	EXPECT_EQ((int)PTWALK_REC_KRANGE, (int)r[2].type.type);
	EXPECT_EQ(PTWALK_B_PRESENT | PTWALK_B_RW | PTWALK_B_GLOBAL | PTWALK_B_NX,
		  r[2].krange.bits);
	EXPECT_EQ(1U, r[2].krange.region);
	EXPECT_EQ(12U, r[2].krange.shift);
	/* catches: "ro" and "x" read as writable or NX */
	EXPECT_EQ(PTWALK_B_PRESENT | PTWALK_B_GLOBAL, r[3].krange.bits);
	/* catches: the level or page size of huge ranges */
	EXPECT_EQ((int)PTWALK_LVL_PMD, (int)r[4].krange.level);
	EXPECT_EQ(21U, r[4].krange.shift);
	EXPECT_NE(0U, r[4].krange.bits & PTWALK_B_PSE);
	EXPECT_EQ((int)PTWALK_LVL_PUD, (int)r[5].krange.level);
	EXPECT_EQ(30U, r[5].krange.shift);
	/* catches: the memory-type bits lost (UC- with PAT: index 7, WT) */
	EXPECT_EQ(PTWALK_B_PWT | PTWALK_B_PCD | PTWALK_B_PAT,
		  r[6].krange.bits & (PTWALK_B_PWT | PTWALK_B_PCD | PTWALK_B_PAT));
	EXPECT_EQ(7U, ptwalk_pat_index(r[6].krange.bits));
	/* catches: the skipped count dropped, or a hole kept as a range */
	EXPECT_STREQ("ESPfix Area", r[7].region.name);
	EXPECT_EQ(131059U, r[7].region.skipped);
	EXPECT_EQ(1U, r[7].region.ranges);
	EXPECT_EQ(0xffffff0000000000ULL, r[7].region.start);
	/* catches: USR lost; the last range, ending at 2^64 (printed 0), refused */
	EXPECT_NE(0U, r[10].krange.bits & PTWALK_B_USER);
	EXPECT_EQ(3U, r[10].krange.region);
	EXPECT_STREQ("Fixmap Area", r[9].region.name);
	EXPECT_EQ(1U, r[9].region.ranges);
}

TEST(refused)
{
	static const char *const bad[] = {
		"0xffff888000000000-0xffff888000001000 4K RW GLB NX pte\n",	/* before a marker */
		"---[ A ]---\n0xffff888000000000-0xffff888000001000 4K RW WHAT pte\n",
		"---[ A ]---\n0xffff888000001000-0xffff888000000000 4K RW pte\n", /* backwards */
		"---[ A ]---\n0xffff888000000000-0xffff888000001000 4K RW\n",	/* no level */
		"---[ A ]---\n0xffff888000000000-0xffff888000001000 4K RW pte pte\n",
		"---[ A ]---\n0xzz-0x1000 4K RW pte\n",
		"---[ A ]---\n0x1000 4K RW pte\n",
		"---[ A ]---\n0x-0x1000 4K RW pte\n",
	};
	union ptwalk_record r[8];
	size_t n;

	for (size_t bi = 0; bi < sizeof(bad) / sizeof(bad[0]); bi++) {
		const char *t = bad[bi];

		EXPECT_EQ(-EPROTO, parse(t, r, 8, &n)) TH_LOG("accepted: %s", t);
	}
}

/* catches: writing past the records given, or reading past the length */
TEST(bounds)
{
	union ptwalk_record r[3];
	size_t n;
	char text[] = "---[ A ]---\n"
		      "0xffff888000000000-0xffff888000001000 4K RW pte\n"
		      "0xffff888000001000-0xffff888000002000 4K ro pte\n"
		      "0xffff888000002000-0xffff888000003000 4K RW pte\n";

	EXPECT_EQ(5U, ptwalk_kparse_lines(text, strlen(text)));
	EXPECT_EQ(-EPROTO, parse(text, r, 3, &n));
	EXPECT_GE(3U, n);
	/* cut inside a line: what is left must still parse, or be refused */
	for (size_t len = 0; len < strlen(text); len++) {
		union ptwalk_record big[8];
		int ret = ptwalk_kparse(text, len, big, 8, &n, shifts);

		EXPECT_TRUE(ret == 0 || ret == -EPROTO);
		EXPECT_GE(8U, n);
	}
	/* a name longer than the record holds is cut, NUL terminated */
	ASSERT_EQ(0, parse("---[ A region name much longer than twenty-four bytes ]---\n",
			   r, 3, &n));
	EXPECT_EQ(PTWALK_KDESC_BYTES - 1, (int)strlen(r[0].region.name));
}

TEST_HARNESS_MAIN
