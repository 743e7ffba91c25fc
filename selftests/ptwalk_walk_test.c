// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_walk_test - one memory state per test, built in the test process
 * itself, checked through /proc/self/pagemap, then queried through ptwalk
 * and compared field by field against pagemap, /proc/kpageflags and
 * /proc/kpagecount.  Every test runs once per walker (walker=kernel and
 * walker=builtin).  A state that cannot be built here is SKIPped with the
 * reason.
 *
 * Runs as root in a guest with ptwalk.ko loaded (selftests/run_guest.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/userfaultfd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* TEST_F's fork()/setjmp() in kselftest_harness.h trips -Wclobbered (-Wextra). */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "ptwalk_util.h"
#include "ptwalk.h"

#define PAGE		4096UL
#define HPAGE		(2UL << 20)
#define LINE_MAX_LEN	512
#define MPOL_BIND_MODE	2	/* MPOL_BIND, include/uapi/linux/mempolicy.h */

/* ---- helpers ------------------------------------------------------------ */

static void *map_aligned(size_t size, size_t align, int prot, int flags)
{
	size_t len = size + align;
	char *p = mmap(NULL, len, prot, flags, -1, 0);
	unsigned long a;

	if (p == MAP_FAILED)
		return MAP_FAILED;
	a = ((unsigned long)p + align - 1) & ~(align - 1);
	if (a > (unsigned long)p)
		munmap(p, a - (unsigned long)p);
	if ((unsigned long)p + len > a + size)
		munmap((char *)a + size, (unsigned long)p + len - (a + size));
	return (void *)a;
}

static void touch_write(void *p, size_t len, int val)
{
	size_t i;

	for (i = 0; i < len; i += PAGE)
		((volatile char *)p)[i] = (char)val;
}

static int touch_read(const void *p)
{
	return *(const volatile char *)p;
}

/*
 * Pages reach the LRU through a per-CPU batch: fault in enough other pages
 * on this CPU that the batch holding the pages under test is drained, so
 * their pg= flags stop changing between two queries.
 */
static void settle_lru(void)
{
	size_t len = 128 * PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	touch_write(p, len, 1);
	munmap(p, len);
}

#define write_file ptwalk_write_file
#define read_file ptwalk_read_file

/* "AnonHugePages:" etc. of the VMA holding @addr in /proc/self/smaps, in kB. */
static long smaps_kb(unsigned long addr, const char *key)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	bool in = false;
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx ", &s, &e) == 2) {
			in = addr >= s && addr < e;
			continue;
		}
		if (in && !strncmp(line, key, strlen(key))) {
			v = strtol(line + strlen(key), NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static bool thp_possible(void)
{
	char buf[128];

	if (!read_file("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)))
		return false;
	return !strstr(buf, "[never]");
}

/* ---- queries ------------------------------------------------------------ */

static char *walk_range(const char *walker, pid_t pid, unsigned long start,
			unsigned long end, const char *fmt, size_t *len)
{
	char q[PTWALK_QUERY_MAX];

	if (pid)
		snprintf(q, sizeof(q), "pid=%d start=0x%lx end=0x%lx walker=%s format=%s",
			 pid, start, end, walker, fmt);
	else
		snprintf(q, sizeof(q), "pid=self start=0x%lx end=0x%lx walker=%s format=%s",
			 start, end, walker, fmt);
	return ptwalk_query(PTWALK_WALK, q, len);
}

static char *walk_single(const char *walker, pid_t pid, unsigned long addr)
{
	char q[PTWALK_QUERY_MAX];

	if (pid)
		snprintf(q, sizeof(q), "pid=%d addr=0x%lx walker=%s", pid, addr, walker);
	else
		snprintf(q, sizeof(q), "pid=self addr=0x%lx walker=%s", addr, walker);
	return ptwalk_query(PTWALK_WALK, q, NULL);
}

/* @line without the tokens that may change between two reads (pg=, ref=). */
static void stable_part(const char *line, char *out, size_t len)
{
	char buf[LINE_MAX_LEN], *tok, *save = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	out[0] = '\0';
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (!strncmp(tok, "pg=", 3) || !strncmp(tok, "ref=", 4))
			continue;
		n += snprintf(out + n, len > n ? len - n : 0, "%s%s", n ? " " : "", tok);
	}
}

/*
 * The entry line reported at @entry_addr by a range query of the page at
 * @addr (of @pid, 0: self).  The single-address query of @addr must report
 * the same entry.  False when the range query has no entry there.
 */
static bool get_entry(struct __test_metadata *_metadata, const char *walker,
		      pid_t pid, unsigned long addr, unsigned long entry_addr,
		      char *line, size_t len)
{
	char single[LINE_MAX_LEN], a[LINE_MAX_LEN], b[LINE_MAX_LEN];
	char *text, *text1;
	bool found;

	text = walk_range(walker, pid, addr, addr + PAGE, "text", NULL);
	if (!text) {
		TH_LOG("range query of 0x%lx failed: %s", addr, strerror(errno));
		return false;
	}
	found = ptwalk_find_entry(text, entry_addr, line, len);
	text1 = walk_single(walker, pid, addr);
	if (!text1) {
		TH_LOG("single query of 0x%lx failed: %s", addr, strerror(errno));
		free(text);
		return false;
	}
	if (found) {
		bool found1 = ptwalk_find_entry(text1, entry_addr, single,
						sizeof(single));

		EXPECT_TRUE(!!(found1))
			TH_LOG("addr=0x%lx has no entry line:\n%s", addr, text1);
		if (found1) {
			stable_part(line, a, sizeof(a));
			stable_part(single, b, sizeof(b));
			EXPECT_STREQ(a, b) TH_LOG("range and addr= queries differ");
		}
	} else {
		TH_LOG("no entry at 0x%lx in:\n%s", entry_addr, text);
	}
	free(text);
	free(text1);
	return found;
}

static uint64_t field_u64(struct __test_metadata *_metadata, const char *line,
			  const char *key)
{
	uint64_t v = 0;

	EXPECT_TRUE(!!(ptwalk_field_u64(line, key, &v)))
		TH_LOG("no %s= in: %s", key, line);
	return v;
}

#define EXPECT_FIELD(line, key, want) do {				\
	char __v[128] = "";						\
	EXPECT_TRUE(ptwalk_field(line, key, __v, sizeof(__v)))		\
		TH_LOG("no %s= in: %s", key, line);			\
	EXPECT_STREQ(want, __v) TH_LOG("%s", line);			\
} while (0)

#define EXPECT_HAS(line, key, name)					\
	EXPECT_TRUE(ptwalk_field_has(line, key, name))			\
		TH_LOG("%s= lacks %s: %s", key, name, line)
#define EXPECT_LACKS(line, key, name)					\
	EXPECT_FALSE(ptwalk_field_has(line, key, name))			\
		TH_LOG("%s= has %s: %s", key, name, line)

/* Size and level words after the address: "0xADDR 4K pte raw=...". */
static void expect_size_level(struct __test_metadata *_metadata,
			      const char *line, const char *size,
			      const char *level)
{
	char s[16] = "", l[16] = "";

	EXPECT_EQ(2, sscanf(line, "%*s %15s %15s", s, l));
	EXPECT_STREQ(size, s) TH_LOG("%s", line);
	EXPECT_STREQ(level, l) TH_LOG("%s", line);
}

/*
 * Whether /proc/kpageflags' KSM bit means KSM here.  Debian's 6.12 sets
 * KPF_KSM on every anonymous page (stable_page_flags() tests
 * mapping & PAGE_MAPPING_KSM, which PAGE_MAPPING_ANON alone satisfies), so
 * there a plain written page shows it and the bit proves nothing.
 */
static bool kpf_ksm_reliable(void)
{
	static int reliable = -1;
	char *p;

	if (reliable >= 0)
		return reliable;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return false;
	touch_write(p, PAGE, 1);
	reliable = !(kpageflags(pagemap_entry(0, (unsigned long)p) & PTWALK_PM_PFRAME_MASK) &
		     (1ULL << KPF_KSM));
	munmap(p, PAGE);
	return reliable;
}

/*
 * What every present entry must agree on with pagemap (@pm, of the first
 * page the entry maps), kpageflags and kpagecount.
 */
static void check_present(struct __test_metadata *_metadata, const char *line,
			  uint64_t pm, bool small)
{
	uint64_t pfn = field_u64(_metadata, line, "pfn");
	bool huge_zero = ptwalk_field_has(line, "page", "huge-zero");
	bool zero = ptwalk_field_has(line, "page", "zero") || huge_zero;
	uint64_t kpf;

	EXPECT_FIELD(line, "kind", "present");
	ASSERT_TRUE(!!(pm & PTWALK_PM_PRESENT)) TH_LOG("pagemap 0x%" PRIx64, pm);
	EXPECT_EQ(pm & PTWALK_PM_PFRAME_MASK, pfn) TH_LOG("%s", line);
	/*
	 * pagemap: bit 61 for a page that is not anonymous (the huge zero
	 * page is neither, and kernels differ on it).
	 */
	if (!huge_zero)
		EXPECT_EQ(!!(pm & PTWALK_PM_FILE), ptwalk_field_has(line, "page", "file"))
			TH_LOG("pagemap 0x%" PRIx64 ": %s", pm, line);
	EXPECT_EQ(!!(pm & PTWALK_PM_UFFD_WP), ptwalk_field_has(line, "sw", "uffd-wp"))
		TH_LOG("pagemap 0x%" PRIx64 ": %s", pm, line);
	/* A soft-dirty entry is soft-dirty in pagemap (which ORs the VMA's). */
	if (ptwalk_field_has(line, "sw", "sd"))
		EXPECT_TRUE(!!(pm & PTWALK_PM_SOFT_DIRTY)) TH_LOG("%s", line);
	kpf = kpageflags(pfn);
	EXPECT_EQ(zero, !!(kpf & (1ULL << KPF_ZERO_PAGE)))
		TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	/* kpageflags gives the huge zero page THP as well as ZERO_PAGE. */
	if (huge_zero)
		EXPECT_TRUE(!!(kpf & (1ULL << KPF_THP)))
			TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	if (zero)
		return;
	EXPECT_EQ(!!(kpf & (1ULL << KPF_ANON)), ptwalk_field_has(line, "page", "anon"))
		TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	if (kpf_ksm_reliable()) {
		EXPECT_EQ(!!(kpf & (1ULL << KPF_KSM)), ptwalk_field_has(line, "page", "ksm"))
			TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	} else if (ptwalk_field_has(line, "page", "ksm")) {
		EXPECT_TRUE(!!(kpf & (1ULL << KPF_KSM)))
			TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	}
	EXPECT_EQ(!!(kpf & (1ULL << KPF_HUGE)), ptwalk_field_has(line, "page", "hugetlb"))
		TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	EXPECT_EQ(!!(kpf & (1ULL << KPF_THP)), ptwalk_field_has(line, "page", "thp"))
		TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	if (small) {
		uint64_t map = field_u64(_metadata, line, "map");

		EXPECT_EQ(kpagecount(pfn), map) TH_LOG("kpagecount vs %s", line);
		/* pagemap bit 56: the page is mapped exactly once. */
		EXPECT_EQ(!!(pm & PTWALK_PM_MMAP_EXCLUSIVE), map == 1)
			TH_LOG("pagemap 0x%" PRIx64 ": %s", pm, line);
	}
}

/* ---- fixture: one variant per walker -------------------------------------- */

FIXTURE(walk) {
	char dummy;
};

FIXTURE_VARIANT(walk) {
	const char *walker;
};

FIXTURE_VARIANT_ADD(walk, kernel) {
	.walker = "kernel",
};

FIXTURE_VARIANT_ADD(walk, builtin) {
	.walker = "builtin",
};

FIXTURE_SETUP(walk)
{
	cpu_set_t cpus;
	char *t;

	if (access(PTWALK_WALK, F_OK))
		SKIP(return, "ptwalk.ko is not loaded (no %s)", PTWALK_WALK);
	t = walk_range(variant->walker, 0, PAGE, 2 * PAGE, "text", NULL);
	if (!t && errno == EOPNOTSUPP)
		SKIP(return, "walker=%s unavailable on this kernel", variant->walker);
	ASSERT_NE(NULL, t) TH_LOG("query failed: %s", strerror(errno));
	free(t);
	kpf_ksm_reliable();	/* probe once, before any state is built */
	/* One CPU: the per-CPU LRU batches then behave predictably. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
}

FIXTURE_TEARDOWN(walk)
{
}

#define W	(variant->walker)

/* ---- anonymous private memory ------------------------------------------- */

TEST_F(walk, anon_untouched)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a;
	char line[LINE_MAX_LEN], *t;

	ASSERT_NE(MAP_FAILED, p);
	a = (unsigned long)p + PAGE;
	if (pagemap_entry(0, a) & (PTWALK_PM_PRESENT | PTWALK_PM_SWAP))
		SKIP(return, "untouched page is mapped per pagemap");
	t = walk_range(W, 0, a, a + PAGE, "text", NULL);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(NULL, ptwalk_find_entry(t, a, line, sizeof(line))) TH_LOG("%s", t);
	EXPECT_EQ(1, ptwalk_count_lines(t, "vma ")) TH_LOG("%s", t);
	free(t);
	t = walk_single(W, 0, a);
	ASSERT_NE(NULL, t);
	ASSERT_NE(NULL, ptwalk_find_entry(t, a, line, sizeof(line))) TH_LOG("%s", t);
	EXPECT_FIELD(line, "kind", "none");
	EXPECT_EQ(1, ptwalk_count_lines(t, "level pgd ")) TH_LOG("%s", t);
	free(t);
	munmap(p, 4 * PAGE);
}

TEST_F(walk, anon_touched)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	char line[LINE_MAX_LEN];
	uint64_t pm;

	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, PAGE, 1);
	settle_lru();
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_PRESENT))
		SKIP(return, "written page not present per pagemap");
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	expect_size_level(_metadata, line, "4K", "pte");
	check_present(_metadata, line, pm, true);
	EXPECT_HAS(line, "hw", "P");
	EXPECT_HAS(line, "hw", "W");
	EXPECT_HAS(line, "hw", "U");
	EXPECT_HAS(line, "hw", "D");
	EXPECT_HAS(line, "sw", "sd");
	EXPECT_FIELD(line, "page", "anon,excl");
	EXPECT_FIELD(line, "cow", "writable");
	EXPECT_FIELD(line, "map", "1");
	EXPECT_FIELD(line, "order", "0");
	EXPECT_TRUE(!!(pm & PTWALK_PM_MMAP_EXCLUSIVE));
	munmap(p, PAGE);
}

TEST_F(walk, anon_read_fault_zero_page)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	char line[LINE_MAX_LEN];
	uint64_t pm;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, touch_read(p));
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_PRESENT) ||
	    !(kpageflags(pm & PTWALK_PM_PFRAME_MASK) & (1ULL << KPF_ZERO_PAGE)))
		SKIP(return, "read fault did not map the zero page (pagemap 0x%" PRIx64 ")", pm);
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	expect_size_level(_metadata, line, "4K", "pte");
	check_present(_metadata, line, pm, false);
	EXPECT_FIELD(line, "page", "zero");
	EXPECT_LACKS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "copy");
	munmap(p, PAGE);
}

/* ---- fork ---------------------------------------------------------------- */

static void child_loop(char *p, int rd, int wr)
{
	char c = 'r';

	if (write(wr, &c, 1) != 1)
		_exit(1);
	while (read(rd, &c, 1) == 1) {
		if (c == 'w')
			*(volatile char *)p = 2;
		else
			break;
		if (write(wr, &c, 1) != 1)
			break;
	}
	_exit(0);
}

TEST_F(walk, anon_after_fork)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	char line[LINE_MAX_LEN], c;
	int p2c[2], c2p[2], status;
	uint64_t pm, cpm, pfn;
	pid_t child;

	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, PAGE, 1);
	settle_lru();
	ASSERT_EQ(0, pipe(p2c));
	ASSERT_EQ(0, pipe(c2p));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		close(p2c[1]);
		close(c2p[0]);
		child_loop(p, p2c[0], c2p[1]);
	}
	close(p2c[0]);
	close(c2p[1]);
	ASSERT_EQ(1, read(c2p[0], &c, 1));

	pm = pagemap_entry(0, a);
	cpm = pagemap_entry(child, a);
	pfn = pm & PTWALK_PM_PFRAME_MASK;
	if (!(pm & PTWALK_PM_PRESENT) || !(cpm & PTWALK_PM_PRESENT) || (cpm & PTWALK_PM_PFRAME_MASK) != pfn) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
		SKIP(return, "page not shared after fork (pagemap 0x%" PRIx64 "/0x%" PRIx64 ")",
		     pm, cpm);
	}
	/* Both sides map the same page, write-protected, to be copied. */
	EXPECT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	check_present(_metadata, line, pm, true);
	EXPECT_FIELD(line, "page", "anon,shared");
	EXPECT_LACKS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "copy");
	EXPECT_FIELD(line, "map", "2");
	EXPECT_TRUE(!!(get_entry(_metadata, W, child, a, a, line, sizeof(line))));
	check_present(_metadata, line, cpm, true);
	EXPECT_FIELD(line, "page", "anon,shared");
	EXPECT_LACKS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "copy");
	EXPECT_FIELD(line, "map", "2");

	/* The child writes: it gets its own copy. */
	c = 'w';
	ASSERT_EQ(1, write(p2c[1], &c, 1));
	ASSERT_EQ(1, read(c2p[0], &c, 1));
	cpm = pagemap_entry(child, a);
	EXPECT_TRUE(!!(get_entry(_metadata, W, child, a, a, line, sizeof(line))));
	EXPECT_NE(pfn, cpm & PTWALK_PM_PFRAME_MASK);
	check_present(_metadata, line, cpm, true);
	EXPECT_FIELD(line, "page", "anon,excl");
	EXPECT_HAS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "writable");
	EXPECT_FIELD(line, "map", "1");
	/* The parent still maps the old page, now mapped once. */
	pm = pagemap_entry(0, a);
	EXPECT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	EXPECT_EQ(pfn, pm & PTWALK_PM_PFRAME_MASK);
	check_present(_metadata, line, pm, true);
	EXPECT_FIELD(line, "map", "1");
	/*
	 * Not exclusive any more, but only the parent references it: the
	 * write fault reuses it (wp_can_reuse_anon_folio), unless a transient
	 * extra reference (LRU batch) makes the kernel copy.
	 */
	{
		uint64_t ref = 0;

		ASSERT_TRUE(ptwalk_field_u64(line, "ref", &ref));
		EXPECT_FIELD(line, "cow", ref == 1 ? "reuse" : "copy");
	}

	c = 'x';
	EXPECT_EQ(1, write(p2c[1], &c, 1));
	waitpid(child, &status, 0);
	munmap(p, PAGE);
}

/* ---- THP ----------------------------------------------------------------- */

/* A PMD-mapped THP at a 2M-aligned address, or MAP_FAILED with @why set. */
static char *make_thp(const char **why)
{
	char *p;
	uint64_t pm;

	if (!thp_possible()) {
		*why = "THP disabled (transparent_hugepage/enabled is never)";
		return MAP_FAILED;
	}
	p = map_aligned(HPAGE, HPAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS);
	if (p == MAP_FAILED) {
		*why = "mmap failed";
		return MAP_FAILED;
	}
	if (madvise(p, HPAGE, MADV_HUGEPAGE)) {
		*why = "MADV_HUGEPAGE failed";
		munmap(p, HPAGE);
		return MAP_FAILED;
	}
	touch_write(p, HPAGE, 1);
	pm = pagemap_entry(0, (unsigned long)p);
	if (!(pm & PTWALK_PM_PRESENT) ||
	    !(kpageflags(pm & PTWALK_PM_PFRAME_MASK) & (1ULL << KPF_THP)) ||
	    smaps_kb((unsigned long)p, "AnonHugePages:") < 2048) {
		*why = "no THP could be allocated (not PMD-mapped after MADV_HUGEPAGE)";
		munmap(p, HPAGE);
		return MAP_FAILED;
	}
	return p;
}

TEST_F(walk, anon_thp_pmd)
{
	const char *why = NULL;
	char *p = make_thp(&why);
	unsigned long a = (unsigned long)p;
	char line[LINE_MAX_LEN];
	uint64_t pm, pfn;

	if (p == MAP_FAILED)
		SKIP(return, "%s", why);
	pm = pagemap_entry(0, a);
	pfn = pm & PTWALK_PM_PFRAME_MASK;
	/* Query a page in the middle: the entry is the PMD at the start. */
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a + 5 * PAGE, a, line, sizeof(line))));
	expect_size_level(_metadata, line, "2M", "pmd");
	check_present(_metadata, line, pm, false);
	EXPECT_HAS(line, "hw", "PS");
	EXPECT_HAS(line, "page", "thp");
	EXPECT_HAS(line, "page", "anon");
	EXPECT_HAS(line, "page", "excl");
	EXPECT_FIELD(line, "order", "9");
	EXPECT_FIELD(line, "cow", "writable");
	EXPECT_FIELD(line, "map", "1");
	/* The walk did not split it. */
	pm = pagemap_entry(0, a + 511 * PAGE);
	EXPECT_EQ(pfn + 511, pm & PTWALK_PM_PFRAME_MASK);
	EXPECT_TRUE(!!(kpageflags(pfn + 511) & (1ULL << KPF_THP)));
	EXPECT_EQ(2048, smaps_kb(a, "AnonHugePages:"));
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	expect_size_level(_metadata, line, "2M", "pmd");
	munmap(p, HPAGE);
}

TEST_F(walk, anon_thp_pte_mapped)
{
	const char *why = NULL;
	char *p = make_thp(&why);
	unsigned long a = (unsigned long)p, b;
	char line[LINE_MAX_LEN];
	uint64_t pm, pfn;

	if (p == MAP_FAILED)
		SKIP(return, "%s", why);
	pfn = pagemap_entry(0, a) & PTWALK_PM_PFRAME_MASK;
	/* mprotect of the last page splits the PMD, not the folio. */
	ASSERT_EQ(0, mprotect(p + HPAGE - PAGE, PAGE, PROT_READ));
	b = a + 7 * PAGE;
	pm = pagemap_entry(0, b);
	if ((pm & PTWALK_PM_PFRAME_MASK) != pfn + 7 ||
	    !(kpageflags(pfn + 7) & (1ULL << KPF_THP)))
		SKIP(return, "THP split by mprotect (pagemap 0x%" PRIx64 ")", pm);
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, b, b, line, sizeof(line))));
	expect_size_level(_metadata, line, "4K", "pte");
	check_present(_metadata, line, pm, false);
	EXPECT_HAS(line, "page", "thp");
	EXPECT_FIELD(line, "order", "9");
	EXPECT_FIELD(line, "sub", "7");
	EXPECT_FIELD(line, "cow", "writable");
	munmap(p, HPAGE);
}

TEST_F(walk, anon_thp_read_fault_huge_zero)
{
	char *p, buf[64];
	unsigned long a;
	char line[LINE_MAX_LEN];
	uint64_t pm;

	if (!thp_possible())
		SKIP(return, "THP disabled (transparent_hugepage/enabled is never)");
	if (read_file("/sys/kernel/mm/transparent_hugepage/use_zero_page", buf,
		      sizeof(buf)) && buf[0] == '0')
		SKIP(return, "transparent_hugepage/use_zero_page is 0");
	p = map_aligned(HPAGE, HPAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS);
	ASSERT_NE(MAP_FAILED, p);
	a = (unsigned long)p;
	ASSERT_EQ(0, madvise(p, HPAGE, MADV_HUGEPAGE));
	ASSERT_EQ(0, touch_read(p));
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_PRESENT) ||
	    (kpageflags(pm & PTWALK_PM_PFRAME_MASK) & ((1ULL << KPF_ZERO_PAGE) | (1ULL << KPF_THP))) !=
	    ((1ULL << KPF_ZERO_PAGE) | (1ULL << KPF_THP)))
		SKIP(return, "read fault did not map the huge zero page (pagemap 0x%" PRIx64 ")",
		     pm);
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a + 9 * PAGE, a, line, sizeof(line))));
	expect_size_level(_metadata, line, "2M", "pmd");
	check_present(_metadata, line, pm, false);
	EXPECT_HAS(line, "page", "huge-zero");
	EXPECT_LACKS(line, "page", "anon");
	EXPECT_LACKS(line, "page", "thp");
	EXPECT_LACKS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "copy");
	EXPECT_EQ((pm & PTWALK_PM_PFRAME_MASK) + 9, pagemap_entry(0, a + 9 * PAGE) & PTWALK_PM_PFRAME_MASK);
	munmap(p, HPAGE);
}

/* ---- hugetlb ------------------------------------------------------------- */

TEST_F(walk, hugetlb_2m)
{
	char buf[4096], *s, *p;
	unsigned long a;
	char line[LINE_MAX_LEN];
	long free_huge = 0;
	uint64_t pm;

	if (read_file("/proc/meminfo", buf, sizeof(buf)) &&
	    (s = strstr(buf, "HugePages_Free:")))
		free_huge = strtol(s + strlen("HugePages_Free:"), NULL, 10);
	if (free_huge < 1)
		SKIP(return, "no 2M huge pages reserved (boot with hugepages=N)");
	p = mmap(NULL, HPAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED)
		SKIP(return, "mmap(MAP_HUGETLB) failed: %s", strerror(errno));
	a = (unsigned long)p;
	touch_write(p, PAGE, 1);
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_PRESENT) ||
	    !(kpageflags(pm & PTWALK_PM_PFRAME_MASK) & (1ULL << KPF_HUGE)))
		SKIP(return, "hugetlb page not mapped (pagemap 0x%" PRIx64 ")", pm);
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a + 3 * PAGE, a, line, sizeof(line))));
	expect_size_level(_metadata, line, "2M", "pmd");
	check_present(_metadata, line, pm, false);
	EXPECT_HAS(line, "page", "hugetlb");
	EXPECT_LACKS(line, "page", "thp");
	EXPECT_FIELD(line, "order", "9");
	EXPECT_FIELD(line, "cow", "writable");
	EXPECT_EQ(kpagecount(pm & PTWALK_PM_PFRAME_MASK), field_u64(_metadata, line, "map"))
		TH_LOG("kpagecount vs %s", line);
	munmap(p, HPAGE);
}

#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30 << 26)
#endif
#define GPAGE		(1UL << 30)

/* A 1G hugetlb page: one PUD entry (boot with hugepagesz=1G hugepages=1). */
TEST_F(walk, hugetlb_1g)
{
	char buf[64], line[LINE_MAX_LEN], *t;
	unsigned long a;
	uint64_t pm;
	char *p;

	if (!read_file("/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages",
		       buf, sizeof(buf)) || atol(buf) < 1)
		SKIP(return, "no 1G huge page reserved (boot with hugepagesz=1G hugepages=1)");
	p = mmap(NULL, GPAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, -1, 0);
	if (p == MAP_FAILED)
		SKIP(return, "mmap(MAP_HUGE_1GB) failed: %s", strerror(errno));
	a = (unsigned long)p;
	touch_write(p, PAGE, 1);
	pm = pagemap_entry(0, a + 5 * PAGE);
	if (!(pm & PTWALK_PM_PRESENT)) {
		munmap(p, GPAGE);
		SKIP(return, "1G page not mapped (pagemap 0x%" PRIx64 ")", pm);
	}
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a + 5 * PAGE, a, line, sizeof(line))));
	expect_size_level(_metadata, line, "1G", "pud");
	EXPECT_HAS(line, "page", "hugetlb");
	EXPECT_FIELD(line, "order", "18");
	EXPECT_FIELD(line, "cow", "writable");
	/* pagemap reports the PFN of the 4K page asked for. */
	EXPECT_EQ((pm & PTWALK_PM_PFRAME_MASK) - 5, field_u64(_metadata, line, "pfn"));
	EXPECT_TRUE(!!(kpageflags((pm & PTWALK_PM_PFRAME_MASK) - 5) & (1ULL << KPF_HUGE)));
	/* The translation stops at the PUD: no pmd or pte level. */
	t = walk_single(W, 0, a + 5 * PAGE);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, ptwalk_count_lines(t, "level pud ")) TH_LOG("%s", t);
	EXPECT_EQ(0, ptwalk_count_lines(t, "level pmd ")) TH_LOG("%s", t);
	free(t);
	munmap(p, GPAGE);
}

/* mremap() moves the page-table entries, not the pages. */
TEST_F(walk, anon_mremapped)
{
	char line[LINE_MAX_LEN], *p, *q, *t;
	uint64_t pfn[4];
	unsigned long a;
	int i;

	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	q = mmap(NULL, 64 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, q);
	touch_write(p, 4 * PAGE, 1);
	for (i = 0; i < 4; i++)
		pfn[i] = pagemap_entry(0, (unsigned long)p + i * PAGE) & PTWALK_PM_PFRAME_MASK;
	q = mremap(p, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, q + 32 * PAGE);
	ASSERT_NE(MAP_FAILED, q);
	/* Nothing left at the old address. */
	t = walk_range(W, 0, (unsigned long)p, (unsigned long)p + 4 * PAGE, "text", NULL);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(0, ptwalk_count_lines(t, "0x")) TH_LOG("%s", t);
	free(t);
	for (i = 0; i < 4; i++) {
		a = (unsigned long)q + i * PAGE;
		ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
		check_present(_metadata, line, pagemap_entry(0, a), true);
		EXPECT_EQ(pfn[i], field_u64(_metadata, line, "pfn"))
			TH_LOG("page %d moved frames: %s", i, line);
		EXPECT_FIELD(line, "cow", "writable");
	}
	munmap(q - 32 * PAGE, 64 * PAGE);
}

/* ---- swap ---------------------------------------------------------------- */

TEST_F(walk, anon_swapped_out)
{
	const char *why = ptwalk_swap_setup();
	char line[LINE_MAX_LEN], *p;
	unsigned long a;
	uint64_t pm;
	size_t i;

	if (why)
		SKIP(return, "no swap: %s", why);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	a = (unsigned long)p;
	for (i = 0; i < PAGE; i++)
		p[i] = (char)(i * 7 + 3);
	settle_lru();
	for (i = 0; i < 10; i++) {
		madvise(p, PAGE, MADV_PAGEOUT);
		pm = pagemap_entry(0, a);
		if (pm & PTWALK_PM_SWAP)
			break;
		usleep(10000);
	}
	if (!(pm & PTWALK_PM_SWAP))
		SKIP(return, "MADV_PAGEOUT did not swap the page out (pagemap 0x%" PRIx64 ")", pm);
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	expect_size_level(_metadata, line, "4K", "pte");
	EXPECT_FIELD(line, "kind", "swap");
	EXPECT_EQ(pm & PTWALK_PM_SWAP_TYPE_MASK, field_u64(_metadata, line, "type"));
	EXPECT_EQ((pm & PTWALK_PM_PFRAME_MASK) >> 5, field_u64(_metadata, line, "offset"));
	EXPECT_EQ(!!(pm & PTWALK_PM_SOFT_DIRTY), ptwalk_field_has(line, "sw", "sd"));
	EXPECT_EQ(NULL, strstr(line, " pfn=")) TH_LOG("%s", line);
	/* Still swapped: the walk did not fault it in. */
	EXPECT_TRUE(!!(pagemap_entry(0, a) & PTWALK_PM_SWAP));
	munmap(p, PAGE);
}

/* ---- shared and file-backed ---------------------------------------------- */

TEST_F(walk, shared_anon)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	char line[LINE_MAX_LEN];
	uint64_t pm;

	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, PAGE, 1);
	settle_lru();
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_PRESENT))
		SKIP(return, "shared page not present per pagemap");
	EXPECT_TRUE(!!(pm & PTWALK_PM_FILE));
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	expect_size_level(_metadata, line, "4K", "pte");
	check_present(_metadata, line, pm, true);
	EXPECT_HAS(line, "page", "shmem");
	EXPECT_HAS(line, "page", "file");
	EXPECT_LACKS(line, "page", "anon");
	EXPECT_HAS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "none");
	munmap(p, PAGE);
}

TEST_F(walk, file_private_before_and_after_write)
{
	char path[] = "/tmp/ptwalk_walk_XXXXXX", buf[PAGE], line[LINE_MAX_LEN];
	int fd = mkstemp(path);
	unsigned long a;
	uint64_t pm, pfn;
	char *p;

	ASSERT_LE(0, fd);
	unlink(path);
	memset(buf, 'f', sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(buf), write(fd, buf, sizeof(buf)));
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	a = (unsigned long)p;
	ASSERT_EQ('f', touch_read(p));
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_PRESENT) || !(pm & PTWALK_PM_FILE))
		SKIP(return, "read fault did not map the page cache page (pagemap 0x%" PRIx64 ")",
		     pm);
	pfn = pm & PTWALK_PM_PFRAME_MASK;
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	check_present(_metadata, line, pm, false);
	EXPECT_HAS(line, "page", "file");
	EXPECT_LACKS(line, "page", "anon");
	EXPECT_LACKS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "copy");

	touch_write(p, PAGE, 'g');
	settle_lru();
	pm = pagemap_entry(0, a);
	ASSERT_TRUE(!!(pm & PTWALK_PM_PRESENT));
	EXPECT_FALSE(!!(pm & PTWALK_PM_FILE));
	EXPECT_NE(pfn, pm & PTWALK_PM_PFRAME_MASK);
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	check_present(_metadata, line, pm, true);
	EXPECT_FIELD(line, "page", "anon,excl");
	EXPECT_HAS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "writable");
	munmap(p, PAGE);
	close(fd);
}

/* ---- protections --------------------------------------------------------- */

TEST_F(walk, anon_mprotect_read)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	char line[LINE_MAX_LEN];
	uint64_t pm;

	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, PAGE, 1);
	settle_lru();
	ASSERT_EQ(0, mprotect(p, PAGE, PROT_READ));
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_PRESENT))
		SKIP(return, "page not present after mprotect");
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	check_present(_metadata, line, pm, true);
	EXPECT_HAS(line, "hw", "P");
	EXPECT_LACKS(line, "hw", "W");
	EXPECT_FIELD(line, "page", "anon,excl");
	EXPECT_FIELD(line, "cow", "none");
	munmap(p, PAGE);
}

TEST_F(walk, anon_mprotect_none)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	char line[LINE_MAX_LEN];
	uint64_t pm;

	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, PAGE, 1);
	settle_lru();
	ASSERT_EQ(0, mprotect(p, PAGE, PROT_NONE));
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_PRESENT))
		SKIP(return, "PROT_NONE page not present per pagemap");
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	check_present(_metadata, line, pm, true);
	EXPECT_FIELD(line, "kind", "present");
	EXPECT_HAS(line, "sw", "protnone");
	EXPECT_LACKS(line, "hw", "P");
	EXPECT_LACKS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "none");
	munmap(p, PAGE);
}

/* ---- soft-dirty ------------------------------------------------------------ */

TEST_F(walk, anon_soft_dirty_cleared)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	char line[LINE_MAX_LEN];
	uint64_t pm;

	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, PAGE, 1);
	settle_lru();
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_SOFT_DIRTY))
		SKIP(return, "no soft-dirty after a write (CONFIG_MEM_SOFT_DIRTY off?)");
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	EXPECT_HAS(line, "sw", "sd");

	ASSERT_TRUE(!!(write_file("/proc/self/clear_refs", "4")));
	pm = pagemap_entry(0, a);
	if (pm & PTWALK_PM_SOFT_DIRTY)
		SKIP(return, "clear_refs 4 left pagemap soft-dirty set");
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	check_present(_metadata, line, pm, true);
	EXPECT_LACKS(line, "sw", "sd");
	EXPECT_LACKS(line, "hw", "W");
	/* Write-protected but exclusive: the write fault reuses the page. */
	EXPECT_FIELD(line, "cow", "reuse");

	touch_write(p, PAGE, 2);
	pm = pagemap_entry(0, a);
	EXPECT_TRUE(!!(pm & PTWALK_PM_SOFT_DIRTY));
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	EXPECT_HAS(line, "sw", "sd");
	EXPECT_FIELD(line, "cow", "writable");
	munmap(p, PAGE);
}

/* ---- NUMA ------------------------------------------------------------------ */

TEST_F(walk, anon_bound_to_node1)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p, mask = 1UL << 1;
	char line[LINE_MAX_LEN];
	int status = -1;
	void *pages[1] = { p };
	uint64_t pm;

	ASSERT_NE(MAP_FAILED, p);
	if (access("/sys/devices/system/node/node1", F_OK))
		SKIP(return, "no NUMA node 1");
	if (syscall(SYS_mbind, p, PAGE, MPOL_BIND_MODE, &mask,
		    8 * sizeof(mask), 0))
		SKIP(return, "mbind(MPOL_BIND, node 1) failed: %s", strerror(errno));
	touch_write(p, PAGE, 1);
	settle_lru();
	pm = pagemap_entry(0, a);
	if (syscall(SYS_move_pages, 0, 1, pages, NULL, &status, 0) || status != 1)
		SKIP(return, "page not on node 1 (move_pages status %d)", status);
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	check_present(_metadata, line, pm, true);
	EXPECT_FIELD(line, "node", "1");
	munmap(p, PAGE);
}

/* ---- KSM ------------------------------------------------------------------- */

TEST_F_TIMEOUT(walk, anon_ksm_merged, 60)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	char line[LINE_MAX_LEN];
	uint64_t pm = 0, pm2 = 0;
	int i;

	ASSERT_NE(MAP_FAILED, p);
	if (access("/sys/kernel/mm/ksm/run", F_OK))
		SKIP(return, "no KSM (/sys/kernel/mm/ksm/run)");
	memset(p, 0x5a, 2 * PAGE);
	if (madvise(p, 2 * PAGE, MADV_MERGEABLE))
		SKIP(return, "MADV_MERGEABLE failed: %s", strerror(errno));
	write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	write_file("/sys/kernel/mm/ksm/pages_to_scan", "5000");
	if (!write_file("/sys/kernel/mm/ksm/run", "1"))
		SKIP(return, "cannot start ksmd");
	for (i = 0; i < 300; i++) {
		pm = pagemap_entry(0, a);
		pm2 = pagemap_entry(0, a + PAGE);
		if ((pm & PTWALK_PM_PRESENT) &&
		    (kpageflags(pm & PTWALK_PM_PFRAME_MASK) & (1ULL << KPF_KSM)) &&
		    (pm & PTWALK_PM_PFRAME_MASK) == (pm2 & PTWALK_PM_PFRAME_MASK))
			break;
		usleep(20000);
	}
	write_file("/sys/kernel/mm/ksm/run", "0");
	if (!(kpageflags(pm & PTWALK_PM_PFRAME_MASK) & (1ULL << KPF_KSM)) ||
	    (pm & PTWALK_PM_PFRAME_MASK) != (pm2 & PTWALK_PM_PFRAME_MASK))
		SKIP(return, "ksmd did not merge the two pages within 6 s");
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	check_present(_metadata, line, pm, true);
	EXPECT_HAS(line, "page", "ksm");
	EXPECT_HAS(line, "page", "anon");
	EXPECT_LACKS(line, "page", "excl");
	EXPECT_LACKS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "copy");
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a + PAGE, a + PAGE, line, sizeof(line))));
	EXPECT_EQ(pm & PTWALK_PM_PFRAME_MASK, field_u64(_metadata, line, "pfn"));
	munmap(p, 2 * PAGE);
}

/* ---- userfaultfd write-protect ---------------------------------------------- */

TEST_F(walk, anon_uffd_wp)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP };
	struct uffdio_register reg = {
		.range = { .start = a, .len = PAGE },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = { .start = a, .len = PAGE },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	char line[LINE_MAX_LEN];
	uint64_t pm;
	int uffd;

	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, PAGE, 1);
	settle_lru();
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		SKIP(return, "userfaultfd: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_API, &api) ||
	    !(api.features & UFFD_FEATURE_PAGEFAULT_FLAG_WP))
		SKIP(return, "userfaultfd write-protect unsupported");
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		SKIP(return, "UFFDIO_REGISTER (WP) failed: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp));
	pm = pagemap_entry(0, a);
	if (!(pm & PTWALK_PM_UFFD_WP))
		SKIP(return, "pagemap shows no uffd-wp (0x%" PRIx64 ")", pm);
	ASSERT_TRUE(!!(get_entry(_metadata, W, 0, a, a, line, sizeof(line))));
	check_present(_metadata, line, pm, true);
	EXPECT_HAS(line, "sw", "uffd-wp");
	EXPECT_LACKS(line, "hw", "W");
	EXPECT_FIELD(line, "cow", "uffd");
	close(uffd);
	munmap(p, PAGE);
}

/* ---- formats ----------------------------------------------------------------- */

/* Entry lines ("0x...") of a text answer. */
static int entry_lines(const char *t)
{
	return ptwalk_count_lines(t, "0x");
}

TEST_F(walk, merged_16_pages)
{
	char *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	bool contiguous = true;
	uint64_t pfn0, prev, pfn;
	int i, n, runs = 1;
	char *t;

	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, 16 * PAGE, 1);
	settle_lru();
	pfn0 = pagemap_entry(0, a) & PTWALK_PM_PFRAME_MASK;
	for (i = 1, prev = pfn0; i < 16; i++, prev = pfn) {
		pfn = pagemap_entry(0, a + i * PAGE) & PTWALK_PM_PFRAME_MASK;
		if (pfn != pfn0 + i)
			contiguous = false;
		if (pfn != prev + 1)
			runs++;
	}
	t = walk_range(W, 0, a, a + 16 * PAGE, "merged", NULL);
	ASSERT_NE(NULL, t);
	n = entry_lines(t);
	/* Never merged across a PFN gap. */
	EXPECT_LE(runs, n) TH_LOG("%d PFN runs:\n%s", runs, t);
	EXPECT_GE(16, n) TH_LOG("%s", t);
	if (contiguous) {
		char want[128];

		EXPECT_EQ(1, n) TH_LOG("contiguous PFNs 0x%" PRIx64 "..:\n%s", pfn0, t);
		snprintf(want, sizeof(want), "0x%012lx-0x%012lx 16x4K pte ",
			 a, a + 16 * PAGE);
		EXPECT_NE(NULL, strstr(t, want)) TH_LOG("want %s in:\n%s", want, t);
		snprintf(want, sizeof(want), " pfn=0x%" PRIx64 "-0x%" PRIx64 " ",
			 pfn0, pfn0 + 15);
		EXPECT_NE(NULL, strstr(t, want)) TH_LOG("want %s in:\n%s", want, t);
	} else {
		TH_LOG("PFNs not contiguous: %d runs, %d merged lines", runs, n);
	}
	EXPECT_EQ(NULL, strstr(t, " raw=")) TH_LOG("%s", t);
	EXPECT_EQ(NULL, strstr(t, " map=")) TH_LOG("%s", t);
	free(t);
	munmap(p, 16 * PAGE);
}

TEST_F(walk, merged_pte_mapped_thp)
{
	const char *why = NULL;
	char *p = make_thp(&why);
	unsigned long a = (unsigned long)p;
	uint64_t pfn;
	char want[128], *t;

	if (p == MAP_FAILED)
		SKIP(return, "%s", why);
	pfn = pagemap_entry(0, a) & PTWALK_PM_PFRAME_MASK;
	ASSERT_EQ(0, mprotect(p + HPAGE - PAGE, PAGE, PROT_READ));
	if ((pagemap_entry(0, a + 20 * PAGE) & PTWALK_PM_PFRAME_MASK) != pfn + 20)
		SKIP(return, "THP split by mprotect");
	t = walk_range(W, 0, a + 16 * PAGE, a + 32 * PAGE, "merged", NULL);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, entry_lines(t)) TH_LOG("%s", t);
	snprintf(want, sizeof(want), "0x%012lx-0x%012lx 16x4K pte ",
		 a + 16 * PAGE, a + 32 * PAGE);
	EXPECT_NE(NULL, strstr(t, want)) TH_LOG("want %s in:\n%s", want, t);
	snprintf(want, sizeof(want), " pfn=0x%" PRIx64 "-0x%" PRIx64 " ",
		 pfn + 16, pfn + 31);
	EXPECT_NE(NULL, strstr(t, want)) TH_LOG("want %s in:\n%s", want, t);
	free(t);
	munmap(p, HPAGE);
}

TEST_F(walk, binary_touched_page)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;
	const struct ptwalk_hdr *h;
	const struct ptwalk_rec *r, *entry = NULL, *vma = NULL;
	size_t len, off;
	uint64_t pm;
	char *t;

	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, PAGE, 1);
	pm = pagemap_entry(0, a);
	ASSERT_TRUE(!!(pm & PTWALK_PM_PRESENT));
	t = walk_range(W, 0, a, a + PAGE, "binary", &len);
	ASSERT_NE(NULL, t);
	ASSERT_LE(sizeof(*h), len);
	h = (const struct ptwalk_hdr *)t;
	EXPECT_EQ(PTWALK_MAGIC, h->magic);
	EXPECT_EQ(PTWALK_VERSION, (int)h->version);
	EXPECT_EQ((int)sizeof(struct ptwalk_hdr), h->hdr_size);
	ASSERT_EQ((int)sizeof(struct ptwalk_rec), h->rec_size);
	EXPECT_EQ(!strcmp(W, "kernel") ? PTWALK_WALKER_KERNEL : PTWALK_WALKER_BUILTIN,
		  h->walker);
	EXPECT_EQ((uint32_t)getpid(), h->pid);
	EXPECT_EQ(a, h->start);
	EXPECT_EQ(a + PAGE, h->end);
	EXPECT_EQ(0U, h->flags & PTWALK_H_PHYS_HIDDEN);
	EXPECT_EQ(0UL, (len - h->hdr_size) % h->rec_size);
	for (off = h->hdr_size; off + h->rec_size <= len; off += h->rec_size) {
		r = (const struct ptwalk_rec *)(t + off);
		if (r->type == PTWALK_REC_VMA && !entry)
			vma = r;
		if (r->type == PTWALK_REC_ENTRY && r->vaddr == a)
			entry = r;
	}
	ASSERT_NE(NULL, vma);
	EXPECT_LE(vma->vaddr, a);
	EXPECT_LT(a, vma->swap_offset);
	ASSERT_NE(NULL, entry);
	EXPECT_EQ(PTWALK_K_PRESENT, entry->kind);
	EXPECT_EQ(PTWALK_LVL_PTE, entry->level);
	EXPECT_EQ(12, entry->shift);
	EXPECT_EQ(pm & PTWALK_PM_PFRAME_MASK, entry->pfn);
	EXPECT_EQ(PTWALK_COW_WRITABLE, entry->cow);
	EXPECT_TRUE(!!(entry->page & PTWALK_P_ANON));
	EXPECT_TRUE(!!(entry->page & PTWALK_P_ANON_EXCL));
	EXPECT_TRUE(!!(entry->bits & PTWALK_B_RW));
	EXPECT_EQ(1, entry->mapcount);
	free(t);
	munmap(p, PAGE);
}

/* ---- walker vs walker -------------------------------------------------------- */

/* @t without its first line (the header, which names the walker). */
static const char *after_header(const char *t)
{
	const char *nl = strchr(t, '\n');

	return nl ? nl + 1 : t;
}

TEST_F(walk, kernel_and_builtin_agree)
{
	size_t len = 3 * HPAGE;
	char *p = map_aligned(len, HPAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS);
	unsigned long a = (unsigned long)p, end = a + HPAGE + 64 * PAGE;
	char *k = NULL, *b = NULL, *k2 = NULL;
	bool same = false;
	int i;

	ASSERT_NE(MAP_FAILED, p);
	/* A THP (if one can be had) in its own VMA, then 64 small pages. */
	if (thp_possible())
		madvise(p, HPAGE, MADV_HUGEPAGE);
	madvise(p + HPAGE, len - HPAGE, MADV_NOHUGEPAGE);
	touch_write(p, HPAGE + 64 * PAGE, 1);
	settle_lru();
	for (i = 0; i < 3 && !same; i++) {
		free(k);
		free(b);
		free(k2);
		k = walk_range("kernel", 0, a, end, "text", NULL);
		b = walk_range("builtin", 0, a, end, "text", NULL);
		k2 = walk_range("kernel", 0, a, end, "text", NULL);
		if (!k && errno == EOPNOTSUPP)
			SKIP(return, "walker=kernel unavailable on this kernel");
		ASSERT_NE(NULL, k);
		ASSERT_NE(NULL, b);
		ASSERT_NE(NULL, k2);
		same = !strcmp(after_header(k), after_header(b)) ||
		       !strcmp(after_header(k2), after_header(b));
	}
	EXPECT_TRUE(!!(same)) TH_LOG("kernel:\n%s\nbuiltin:\n%s", k, b);
	if (same && i > 1)
		TH_LOG("outputs agreed on try %d (pg= flags moved meanwhile)", i);
	EXPECT_NE(NULL, strstr(k, " walker=kernel "));
	EXPECT_NE(NULL, strstr(b, " walker=builtin "));
	EXPECT_LE(64, entry_lines(b)) TH_LOG("%s", b);
	TH_LOG("%d entry lines, THP %s", entry_lines(b),
	       strstr(b, " 2M pmd ") ? "present" : "absent");
	free(k);
	free(b);
	free(k2);
	munmap(p, len);
}

TEST_HARNESS_MAIN
