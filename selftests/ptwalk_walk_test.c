// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_walk_test - every check on every memory state, as
 * tools/testing/selftests/mm/cow.c does it.
 *
 * A state builder (one FIXTURE_VARIANT_ADD per memory state, below) makes
 * exactly that state in the test process, proves through
 * /proc/self/pagemap (and kpageflags) that it was built, and otherwise
 * SKIPs with the reason.  Its table entry says what ptwalk must report for
 * it and which bug the entry would catch.  Each check (one TEST_F each, at
 * the end) then runs on every state:
 *
 *   pagemap	every entry of the state's range agrees with pagemap,
 *		kpageflags and kpagecount, a single-address query and a
 *		one-page range agree with the range query, the vma lines with
 *		/proc/self/maps, and the state's own expectations hold;
 *   walkers_agree	walker=kernel and walker=builtin give the same answer;
 *   formats	format=binary, text and merged give the same records;
 *   cli_verify	"ptwalk verify --range" finds no disagreement.
 *
 * pagemap and formats run with each walker in turn (a failure says which);
 * where walker=kernel is refused (kCFI kernels) they run with builtin alone
 * and say so, and walkers_agree SKIPs with the reason.  So a new check
 * covers every state and a new state gets every check.  Each TEST_F builds
 * its state afresh: a check never sees what another did to it.
 *
 * Runs as root in a guest with ptwalk.ko loaded (selftests/run_guest.sh).
 */
#include <dirent.h>
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* TEST_F's fork()/setjmp() in kselftest_harness.h trips -Wclobbered (-Wextra). */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "ptwalk_util.h"
#include "ptwalk.h"
#include "ptwalk_names.h"

#define PAGE		4096UL
#define HPAGE		(2UL << 20)
#define GPAGE		(1UL << 30)
#define LINE_MAX_LEN	512
#define MPOL_BIND_MODE	2	/* MPOL_BIND, include/uapi/linux/mempolicy.h */
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30 << 26)
#endif

#define KPF(flag)	(1ULL << (flag))

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

static uint64_t pm_pfn(unsigned long addr)
{
	return ptwalk_pm_pfn(pagemap_entry(0, addr));
}

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

	if (!ptwalk_read_file("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)))
		return false;
	return !strstr(buf, "[never]");
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
	reliable = !(kpageflags(pm_pfn((unsigned long)p)) & KPF(KPF_KSM));
	munmap(p, PAGE);
	return reliable;
}

/* ---- queries ------------------------------------------------------------ */

static char *walk_range(const char *walker, pid_t pid, unsigned long start,
			unsigned long end, const char *fmt, size_t *len)
{
	char q[PTWALK_QUERY_MAX], who[32] = "self";

	if (pid)
		snprintf(who, sizeof(who), "%d", pid);
	snprintf(q, sizeof(q), "pid=%s start=0x%lx end=0x%lx walker=%s format=%s",
		 who, start, end, walker, fmt);
	return ptwalk_query(PTWALK_WALK, q, len);
}

static char *walk_single(const char *walker, pid_t pid, unsigned long addr)
{
	char q[PTWALK_QUERY_MAX], who[32] = "self";

	if (pid)
		snprintf(who, sizeof(who), "%d", pid);
	snprintf(q, sizeof(q), "pid=%s addr=0x%lx walker=%s", who, addr, walker);
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

/* @t without its first line (the header, which names the walker). */
static const char *after_header(const char *t)
{
	const char *nl = strchr(t, '\n');

	return nl ? nl + 1 : t;
}

/* The next line of @*p (copied into @line, no newline); false at the end. */
static bool next_line(const char **p, char *line, size_t len)
{
	const char *s = *p, *nl;
	size_t n;

	if (!s || !*s)
		return false;
	nl = strchr(s, '\n');
	n = nl ? (size_t)(nl - s) : strlen(s);
	*p = nl ? nl + 1 : s + n;
	if (n >= len)
		n = len - 1;
	memcpy(line, s, n);
	line[n] = '\0';
	return true;
}

static unsigned int size_shift(const char *size)
{
	return !strcmp(size, "1G") ? 30 : !strcmp(size, "2M") ? 21 : 12;
}

/*
 * The entry line of text answer @t whose entry maps @addr (its address and
 * size: "0xADDR 4K ..."), copied into @line; false when none does.
 */
static bool entry_covering(const char *t, unsigned long addr, char *line, size_t len)
{
	const char *p = t;
	char l[LINE_MAX_LEN], size[8];
	unsigned long a;

	while (next_line(&p, l, sizeof(l))) {
		if (sscanf(l, "0x%lx %7s ", &a, size) != 2)
			continue;
		if (a <= addr && addr - a < 1UL << size_shift(size)) {
			snprintf(line, len, "%s", l);
			return true;
		}
	}
	return false;
}

static uint64_t field_u64(struct __test_metadata *_metadata, const char *line,
			  const char *key)
{
	uint64_t v = 0;

	EXPECT_TRUE(ptwalk_field_u64(line, key, &v))
		TH_LOG("no %s= in: %s", key, line);
	return v;
}

#define EXPECT_FIELD(line, key, want) do {				\
	char __v[128] = "";						\
	EXPECT_TRUE(ptwalk_field(line, key, __v, sizeof(__v)))		\
		TH_LOG("no %s= in: %s", key, line);			\
	EXPECT_STREQ(want, __v) TH_LOG("%s= in %s", key, line);		\
} while (0)

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

/* ---- states -------------------------------------------------------------- */

/* What a builder made; the fixture's teardown undoes it. */
struct state {
	char *mem;			/* the mapping to unmap, @len bytes */
	size_t len;
	char *old;			/* mremap: the old address, now empty */
	unsigned long addr;		/* the page the expectations are about */
	unsigned long start, end;	/* the range every check walks */
	pid_t child;			/* fork states: the other side */
	int p2c, c2p;			/* pipes to and from @child */
	int fd;				/* a file or userfaultfd held open */
	uint64_t pfn;			/* a frame remembered at build time */
	uint64_t pfns[4];
};

/* Which map= a state's entries must agree with kpagecount (and bit 56) on. */
enum count_rule {
	COUNT_NONE,	/* not compared (shared zero pages, PTE-mapped folios) */
	COUNT_SMALL,	/* every 4K entry: map= = kpagecount, bit 56 = (map= 1) */
	COUNT_HEAD,	/* each entry's first page: map= = kpagecount (hugetlb) */
};

FIXTURE_VARIANT(walk);
typedef const char *(*build_fn)(struct __test_metadata *_metadata,
				struct state *st);
typedef void (*state_check_fn)(struct __test_metadata *_metadata,
			       const FIXTURE_VARIANT(walk) *variant,
			       const struct state *st, const char *walker,
			       const char *line);

/*
 * One memory state: its builder and what ptwalk must report for the entry
 * mapping st->addr (text-format values; NULL or empty: not checked).
 * has[] and lacks[] are "key=name": the comma list of key= contains name.
 */
FIXTURE_VARIANT(walk) {
	build_fn build;
	const char *catches;		/* the bug this state would catch */
	bool no_entry;			/* no entry maps st->addr */
	bool pfnmap;			/* VM_PFNMAP: pagemap reads holes */
	const char *size, *level, *kind, *page;
	const char *has[6], *lacks[6];
	const char *cow, *map, *order, *sub, *node;
	enum count_rule counts;
	state_check_fn check;		/* more, for this state only */
};

/*
 * What every present entry must agree on with pagemap (@pm, of page @k of
 * the entry), kpageflags and kpagecount.  @head: compare the page facts
 * (for a huge entry only its first page's flags are comparable on every
 * kernel: 6.1 gives a huge zero page's tails neither ZERO_PAGE nor THP).
 */
static void check_present(struct __test_metadata *_metadata, const char *line,
			  uint64_t k, uint64_t pm, bool head, enum count_rule counts)
{
	uint64_t pfn = field_u64(_metadata, line, "pfn") + k;
	bool huge_zero = ptwalk_field_has(line, "page", "huge-zero");
	bool zero = ptwalk_field_has(line, "page", "zero") || huge_zero;
	bool small = strstr(line, " 4K ") != NULL;
	uint64_t kpf;

	EXPECT_FIELD(line, "kind", "present");
	ASSERT_TRUE(!!(pm & PTWALK_PM_PRESENT))
		TH_LOG("page %" PRIu64 ": pagemap 0x%" PRIx64 ": %s", k, pm, line);
	EXPECT_EQ(ptwalk_pm_pfn(pm), pfn) TH_LOG("page %" PRIu64 " of %s", k, line);
	if (!head)
		return;
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
	EXPECT_EQ(zero, !!(kpf & KPF(KPF_ZERO_PAGE)))
		TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	/* kpageflags gives the huge zero page THP as well as ZERO_PAGE. */
	if (huge_zero)
		EXPECT_TRUE(!!(kpf & KPF(KPF_THP)))
			TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	if (zero)
		return;
	EXPECT_EQ(!!(kpf & KPF(KPF_ANON)), ptwalk_field_has(line, "page", "anon"))
		TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	if (kpf_ksm_reliable()) {
		EXPECT_EQ(!!(kpf & KPF(KPF_KSM)), ptwalk_field_has(line, "page", "ksm"))
			TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	} else if (ptwalk_field_has(line, "page", "ksm")) {
		EXPECT_TRUE(!!(kpf & KPF(KPF_KSM)))
			TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	}
	EXPECT_EQ(!!(kpf & KPF(KPF_HUGE)), ptwalk_field_has(line, "page", "hugetlb"))
		TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	EXPECT_EQ(!!(kpf & KPF(KPF_THP)), ptwalk_field_has(line, "page", "thp"))
		TH_LOG("kpageflags 0x%" PRIx64 ": %s", kpf, line);
	if ((counts == COUNT_SMALL && small) || counts == COUNT_HEAD) {
		uint64_t map = field_u64(_metadata, line, "map");

		EXPECT_EQ(kpagecount(pfn), map) TH_LOG("kpagecount vs %s", line);
		/* pagemap bit 56: the page is mapped exactly once. */
		if (counts == COUNT_SMALL)
			EXPECT_EQ(!!(pm & PTWALK_PM_MMAP_EXCLUSIVE), map == 1)
				TH_LOG("pagemap 0x%" PRIx64 ": %s", pm, line);
	}
}

/* A swap entry against pagemap's swap type, offset and soft-dirty bit. */
static void check_swap(struct __test_metadata *_metadata, const char *line,
		       uint64_t pm)
{
	EXPECT_FIELD(line, "kind", "swap");
	ASSERT_TRUE(!!(pm & PTWALK_PM_SWAP)) TH_LOG("pagemap 0x%" PRIx64 ": %s", pm, line);
	EXPECT_EQ(ptwalk_pm_swap_type(pm), field_u64(_metadata, line, "type"));
	EXPECT_EQ(ptwalk_pm_swap_offset(pm), field_u64(_metadata, line, "offset"));
	EXPECT_EQ(!!(pm & PTWALK_PM_SOFT_DIRTY), ptwalk_field_has(line, "sw", "sd"))
		TH_LOG("pagemap 0x%" PRIx64 ": %s", pm, line);
	EXPECT_EQ(NULL, strstr(line, " pfn=")) TH_LOG("%s", line);
}

/* The names of the entry bits in this architecture's streams. */
#define BIT_NAMES	ptwalk_arch_bit_names(PTWALK_TEST_ARCH)

/*
 * Whether a state's expectation applies here: arm64 has no soft-dirty bit
 * and no PS bit (a block's size is its level), x86 no contiguous bit.
 */
static bool arch_applies(const char *kv)
{
	if (PTWALK_TEST_ARCH == PTWALK_ARCH_ARM64)
		return strcmp(kv, "sw=sd") && strcmp(kv, "hw=PS");
	return strcmp(kv, "hw=CONT");	/* arm64's contiguous bit */
}

/* The state's own expectations of the entry @line mapping st->addr. */
static void check_expected(struct __test_metadata *_metadata,
			   const FIXTURE_VARIANT(walk) *variant, const char *line)
{
	const char *const *kv;
	int i;

	if (variant->size)
		expect_size_level(_metadata, line, variant->size, variant->level);
	if (variant->kind)
		EXPECT_FIELD(line, "kind", variant->kind);
	if (variant->page)
		EXPECT_FIELD(line, "page", variant->page);
	for (i = 0, kv = variant->has; i < 6 && kv[i]; i++) {
		char key[16];
		const char *eq = strchr(kv[i], '=');

		if (!arch_applies(kv[i]))
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv[i]), kv[i]);
		EXPECT_TRUE(ptwalk_field_has(line, key, eq + 1))
			TH_LOG("%s= lacks %s: %s", key, eq + 1, line);
	}
	for (i = 0, kv = variant->lacks; i < 6 && kv[i]; i++) {
		char key[16];
		const char *eq = strchr(kv[i], '=');

		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv[i]), kv[i]);
		EXPECT_FALSE(ptwalk_field_has(line, key, eq + 1))
			TH_LOG("%s= has %s: %s", key, eq + 1, line);
	}
	if (variant->cow)
		EXPECT_FIELD(line, "cow", variant->cow);
	if (variant->map)
		EXPECT_FIELD(line, "map", variant->map);
	if (variant->order)
		EXPECT_FIELD(line, "order", variant->order);
	if (variant->sub)
		EXPECT_FIELD(line, "sub", variant->sub);
	if (variant->node)
		EXPECT_FIELD(line, "node", variant->node);
}

/* ---- builders -------------------------------------------------------------
 *
 * Each returns NULL when the state was built (and proven by pagemap), or
 * the reason it could not be, for SKIP; it cleans up what it made then.
 */

/* @pages anonymous private pages, written; st->addr the first. */
static const char *anon_pages(struct __test_metadata *_metadata,
			      struct state *st, size_t pages)
{
	st->len = pages * PAGE;
	st->mem = mmap(NULL, st->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->addr = st->start = (unsigned long)st->mem;
	st->end = st->start + st->len;
	touch_write(st->mem, st->len, 1);
	settle_lru();
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_PRESENT))
		return "written page not present per pagemap";
	return NULL;
}

static const char *build_anon_untouched(struct __test_metadata *_metadata,
					struct state *st)
{
	st->len = 4 * PAGE;
	st->mem = mmap(NULL, st->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->start = (unsigned long)st->mem;
	st->end = st->start + st->len;
	st->addr = st->start + PAGE;
	if (pagemap_entry(0, st->addr) & (PTWALK_PM_PRESENT | PTWALK_PM_SWAP))
		return "untouched page is mapped per pagemap";
	return NULL;
}

static const char *build_anon_4k(struct __test_metadata *_metadata, struct state *st)
{
	return anon_pages(_metadata, st, 1);
}

static const char *build_anon_16_pages(struct __test_metadata *_metadata,
				       struct state *st)
{
	return anon_pages(_metadata, st, 16);
}

static const char *build_zero_page(struct __test_metadata *_metadata, struct state *st)
{
	uint64_t pm;

	st->len = PAGE;
	st->mem = mmap(NULL, st->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->addr = st->start = (unsigned long)st->mem;
	st->end = st->start + PAGE;
	ASSERT_EQ(0, touch_read(st->mem));
	pm = pagemap_entry(0, st->addr);
	if (!(pm & PTWALK_PM_PRESENT) ||
	    !(kpageflags(ptwalk_pm_pfn(pm)) & KPF(KPF_ZERO_PAGE)))
		return "read fault did not map the zero page";
	return NULL;
}

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

static void stop_child(struct state *st)
{
	int status;

	if (st->child <= 0)
		return;
	kill(st->child, SIGKILL);
	waitpid(st->child, &status, 0);
	st->child = 0;
}

/* A written page, then fork(): both sides map it, to be copied. */
static const char *build_anon_forked(struct __test_metadata *_metadata,
				     struct state *st)
{
	int p2c[2], c2p[2];
	uint64_t pm, cpm;
	char c;

	ASSERT_EQ(NULL, anon_pages(_metadata, st, 1));
	ASSERT_EQ(0, pipe(p2c));
	ASSERT_EQ(0, pipe(c2p));
	st->child = fork();
	ASSERT_LE(0, st->child);
	if (!st->child) {
		close(p2c[1]);
		close(c2p[0]);
		child_loop(st->mem, p2c[0], c2p[1]);
	}
	close(p2c[0]);
	close(c2p[1]);
	st->p2c = p2c[1];
	st->c2p = c2p[0];
	if (read(st->c2p, &c, 1) != 1) {
		stop_child(st);
		return "the child did not start";
	}
	pm = pagemap_entry(0, st->addr);
	cpm = pagemap_entry(st->child, st->addr);
	st->pfn = ptwalk_pm_pfn(pm);
	if (!(pm & PTWALK_PM_PRESENT) || !(cpm & PTWALK_PM_PRESENT) ||
	    ptwalk_pm_pfn(cpm) != st->pfn) {
		stop_child(st);
		return "page not shared after fork";
	}
	return NULL;
}

/* ... and the child wrote: it has its own copy, the parent the old page. */
static const char *build_anon_forked_child_wrote(struct __test_metadata *_metadata,
						 struct state *st)
{
	const char *why = build_anon_forked(_metadata, st);
	char c = 'w';

	if (why)
		return why;
	if (write(st->p2c, &c, 1) != 1 || read(st->c2p, &c, 1) != 1) {
		stop_child(st);
		return "the child did not write";
	}
	if (pm_pfn(st->addr) != st->pfn ||
	    ptwalk_pm_pfn(pagemap_entry(st->child, st->addr)) == st->pfn) {
		stop_child(st);
		return "the child's write did not copy the page";
	}
	return NULL;
}

/* A PMD-mapped THP at a 2M-aligned address. */
static const char *make_thp(struct __test_metadata *_metadata, struct state *st)
{
	uint64_t pm;

	if (!thp_possible())
		return "THP disabled (transparent_hugepage/enabled is never)";
	st->len = HPAGE;
	st->mem = map_aligned(HPAGE, HPAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->start = (unsigned long)st->mem;
	st->end = st->start + HPAGE;
	if (madvise(st->mem, HPAGE, MADV_HUGEPAGE))
		return "MADV_HUGEPAGE failed";
	touch_write(st->mem, HPAGE, 1);
	pm = pagemap_entry(0, st->start);
	st->pfn = ptwalk_pm_pfn(pm);
	if (!(pm & PTWALK_PM_PRESENT) || !(kpageflags(st->pfn) & KPF(KPF_THP)) ||
	    smaps_kb(st->start, "AnonHugePages:") < 2048)
		return "no THP could be allocated (not PMD-mapped after MADV_HUGEPAGE)";
	return NULL;
}

static const char *build_thp_pmd(struct __test_metadata *_metadata, struct state *st)
{
	const char *why = make_thp(_metadata, st);

	/* A page in the middle: the entry is the PMD at the start. */
	st->addr = st->start + 5 * PAGE;
	return why;
}

/* mprotect of the THP's last page splits the PMD, not the folio. */
static const char *build_thp_pte_mapped(struct __test_metadata *_metadata,
					struct state *st)
{
	const char *why = make_thp(_metadata, st);

	if (why)
		return why;
	ASSERT_EQ(0, mprotect(st->mem + HPAGE - PAGE, PAGE, PROT_READ));
	st->addr = st->start + 7 * PAGE;
	st->end = st->start + 32 * PAGE;
	if (pm_pfn(st->addr) != st->pfn + 7 || pm_pfn(st->start + 20 * PAGE) != st->pfn + 20 ||
	    !(kpageflags(st->pfn + 7) & KPF(KPF_THP)))
		return "THP split by mprotect";
	return NULL;
}

static const char *build_huge_zero(struct __test_metadata *_metadata, struct state *st)
{
	char buf[64];
	uint64_t pm;

	if (!thp_possible())
		return "THP disabled (transparent_hugepage/enabled is never)";
	if (ptwalk_read_file("/sys/kernel/mm/transparent_hugepage/use_zero_page", buf,
			     sizeof(buf)) && buf[0] == '0')
		return "transparent_hugepage/use_zero_page is 0";
	st->len = HPAGE;
	st->mem = map_aligned(HPAGE, HPAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->start = (unsigned long)st->mem;
	st->end = st->start + HPAGE;
	st->addr = st->start + 9 * PAGE;
	ASSERT_EQ(0, madvise(st->mem, HPAGE, MADV_HUGEPAGE));
	ASSERT_EQ(0, touch_read(st->mem));
	pm = pagemap_entry(0, st->start);
	if (!(pm & PTWALK_PM_PRESENT) ||
	    (kpageflags(ptwalk_pm_pfn(pm)) & (KPF(KPF_ZERO_PAGE) | KPF(KPF_THP))) !=
	    (KPF(KPF_ZERO_PAGE) | KPF(KPF_THP)))
		return "read fault did not map the huge zero page";
	return NULL;
}

static const char *build_hugetlb_2m(struct __test_metadata *_metadata,
				    struct state *st)
{
	char buf[4096], *s;
	long free_huge = 0;
	uint64_t pm;

	if (ptwalk_read_file("/proc/meminfo", buf, sizeof(buf)) &&
	    (s = strstr(buf, "HugePages_Free:")))
		free_huge = strtol(s + strlen("HugePages_Free:"), NULL, 10);
	if (free_huge < 1)
		return "no 2M huge pages reserved (boot with hugepages=N)";
	st->len = HPAGE;
	st->mem = mmap(NULL, HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (st->mem == MAP_FAILED)
		return "mmap(MAP_HUGETLB) failed";
	st->start = (unsigned long)st->mem;
	st->end = st->start + HPAGE;
	st->addr = st->start + 3 * PAGE;
	touch_write(st->mem, PAGE, 1);
	pm = pagemap_entry(0, st->start);
	if (!(pm & PTWALK_PM_PRESENT) || !(kpageflags(ptwalk_pm_pfn(pm)) & KPF(KPF_HUGE)))
		return "hugetlb page not mapped";
	return NULL;
}

/* A 1G hugetlb page: one PUD entry (boot with hugepagesz=1G hugepages=1). */
static const char *build_hugetlb_1g(struct __test_metadata *_metadata,
				    struct state *st)
{
	char buf[64];

	if (!ptwalk_read_file("/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages",
			      buf, sizeof(buf)) || atol(buf) < 1)
		return "no 1G huge page reserved (boot with hugepagesz=1G hugepages=1)";
	st->len = GPAGE;
	st->mem = mmap(NULL, GPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, -1, 0);
	if (st->mem == MAP_FAILED)
		return "mmap(MAP_HUGE_1GB) failed";
	st->start = (unsigned long)st->mem;
	st->end = st->start + GPAGE;
	st->addr = st->start + 5 * PAGE;
	touch_write(st->mem, PAGE, 1);
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_PRESENT))
		return "1G page not mapped";
	return NULL;
}

/*
 * arm64's contiguous hugetlb pages: 64K (16 PTEs) and 32M (16 PMDs), each
 * entry with the contiguous bit (boot with hugepagesz=64K hugepages=N
 * hugepagesz=32M hugepages=N); other architectures have no such size.
 */
static const char *build_hugetlb_cont(struct state *st, unsigned long size,
				      const char *sysfs)
{
	char buf[64];

	if (!ptwalk_read_file(sysfs, buf, sizeof(buf)) || atol(buf) < 1)
		return "no huge page of this size reserved (arm64: boot with hugepagesz=64K/32M hugepages=N)";
	st->len = size;
	st->mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
		       (__builtin_ctzl(size) << MAP_HUGE_SHIFT), -1, 0);
	if (st->mem == MAP_FAILED)
		return "mmap(MAP_HUGETLB) of the contiguous size failed";
	st->start = (unsigned long)st->mem;
	st->end = st->start + size;
	st->addr = st->start + 3 * (size / 16);
	touch_write(st->mem, PAGE, 1);
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_PRESENT))
		return "contiguous hugetlb page not mapped";
	return NULL;
}

static const char *build_hugetlb_64k(struct __test_metadata *_metadata,
				     struct state *st)
{
	return build_hugetlb_cont(st, 64UL << 10,
				  "/sys/kernel/mm/hugepages/hugepages-64kB/free_hugepages");
}

static const char *build_hugetlb_32m(struct __test_metadata *_metadata,
				     struct state *st)
{
	return build_hugetlb_cont(st, 32UL << 20,
				  "/sys/kernel/mm/hugepages/hugepages-32768kB/free_hugepages");
}

/*
 * A 64K anonymous large folio (mTHP, 6.8+: hugepages-64kB/enabled), which
 * arm64 (6.9+) maps with contiguous PTEs: 16 entries with CONT.  The
 * size's setting is "always" only while the folio is faulted in.
 */
static const char *build_thp_64k(struct __test_metadata *_metadata,
				 struct state *st)
{
	static const char ctl[] = "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled";
	char was[64], *p, *q;
	uint64_t pm;
	bool set;

	if (!thp_possible())
		return "THP disabled (transparent_hugepage/enabled is never)";
	if (!ptwalk_read_file(ctl, was, sizeof(was)))
		return "no 64K mTHP (hugepages-64kB: before 6.8)";
	/* "always [inherit] madvise never": the bracketed one is set. */
	p = strchr(was, '[');
	q = p ? strchr(p, ']') : NULL;
	if (!q)
		return "cannot read hugepages-64kB/enabled";
	*q = '\0';
	st->len = 64UL << 10;
	st->mem = map_aligned(st->len, st->len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS);
	ASSERT_NE(MAP_FAILED, st->mem);
	set = ptwalk_write_file(ctl, "always");
	ASSERT_TRUE(set);
	touch_write(st->mem, PAGE, 1);
	ASSERT_TRUE(ptwalk_write_file(ctl, p + 1));
	st->start = (unsigned long)st->mem;
	st->end = st->start + st->len;
	st->addr = st->start + 5 * PAGE;
	pm = pagemap_entry(0, st->addr);
	if (!(pm & PTWALK_PM_PRESENT) || !(kpageflags(ptwalk_pm_pfn(pm)) & KPF(KPF_THP)))
		return "no 64K folio (memory too fragmented?)";
	return NULL;
}

/* mremap() moves the page-table entries, not the pages. */
static const char *build_anon_mremapped(struct __test_metadata *_metadata,
					struct state *st)
{
	char *p, *q;
	int i;

	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	st->len = 64 * PAGE;
	st->mem = mmap(NULL, st->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st->mem);
	touch_write(p, 4 * PAGE, 1);
	for (i = 0; i < 4; i++)
		st->pfns[i] = pm_pfn((unsigned long)p + i * PAGE);
	q = mremap(p, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   st->mem + 32 * PAGE);
	ASSERT_NE(MAP_FAILED, q);
	st->old = p;
	st->addr = st->start = (unsigned long)q;
	st->end = st->start + 4 * PAGE;
	settle_lru();
	return NULL;
}

static const char *build_swapped(struct __test_metadata *_metadata, struct state *st)
{
	const char *why = ptwalk_swap_setup();
	static char reason[128];
	uint64_t pm = 0;
	size_t i;

	if (why) {
		snprintf(reason, sizeof(reason), "no swap: %s", why);
		return reason;
	}
	st->len = PAGE;
	st->mem = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->addr = st->start = (unsigned long)st->mem;
	st->end = st->start + PAGE;
	for (i = 0; i < PAGE; i++)
		st->mem[i] = (char)(i * 7 + 3);
	settle_lru();
	for (i = 0; i < 10; i++) {
		madvise(st->mem, PAGE, MADV_PAGEOUT);
		pm = pagemap_entry(0, st->addr);
		if (pm & PTWALK_PM_SWAP)
			break;
		usleep(10000);
	}
	if (!(pm & PTWALK_PM_SWAP))
		return "MADV_PAGEOUT did not work, is swap enabled?";
	return NULL;
}

static const char *build_shared_anon(struct __test_metadata *_metadata,
				     struct state *st)
{
	st->len = PAGE;
	st->mem = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->addr = st->start = (unsigned long)st->mem;
	st->end = st->start + PAGE;
	touch_write(st->mem, PAGE, 1);
	settle_lru();
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_PRESENT))
		return "shared page not present per pagemap";
	EXPECT_TRUE(!!(pagemap_entry(0, st->addr) & PTWALK_PM_FILE));
	return NULL;
}

/* A private mapping of a one-page file, read: the page-cache page. */
static const char *build_file_read(struct __test_metadata *_metadata,
				   struct state *st)
{
	char path[] = "/tmp/ptwalk_walk_XXXXXX", buf[PAGE];
	uint64_t pm;

	st->fd = mkstemp(path);
	ASSERT_LE(0, st->fd);
	unlink(path);
	memset(buf, 'f', sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(buf), write(st->fd, buf, sizeof(buf)));
	st->len = PAGE;
	st->mem = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, st->fd, 0);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->addr = st->start = (unsigned long)st->mem;
	st->end = st->start + PAGE;
	ASSERT_EQ('f', touch_read(st->mem));
	pm = pagemap_entry(0, st->addr);
	st->pfn = ptwalk_pm_pfn(pm);
	if (!(pm & PTWALK_PM_PRESENT) || !(pm & PTWALK_PM_FILE))
		return "read fault did not map the page cache page";
	return NULL;
}

/* ... then written: an anonymous copy replaces it. */
static const char *build_file_written(struct __test_metadata *_metadata,
				      struct state *st)
{
	const char *why = build_file_read(_metadata, st);
	uint64_t pm;

	if (why)
		return why;
	touch_write(st->mem, PAGE, 'g');
	settle_lru();
	pm = pagemap_entry(0, st->addr);
	ASSERT_TRUE(!!(pm & PTWALK_PM_PRESENT));
	EXPECT_FALSE(!!(pm & PTWALK_PM_FILE));
	EXPECT_NE(st->pfn, ptwalk_pm_pfn(pm));
	return NULL;
}

static const char *build_mprotect_read(struct __test_metadata *_metadata,
				       struct state *st)
{
	ASSERT_EQ(NULL, anon_pages(_metadata, st, 1));
	ASSERT_EQ(0, mprotect(st->mem, PAGE, PROT_READ));
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_PRESENT))
		return "page not present after mprotect";
	return NULL;
}

static const char *build_prot_none(struct __test_metadata *_metadata,
				   struct state *st)
{
	ASSERT_EQ(NULL, anon_pages(_metadata, st, 1));
	ASSERT_EQ(0, mprotect(st->mem, PAGE, PROT_NONE));
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_PRESENT))
		return "PROT_NONE page not present per pagemap";
	return NULL;
}

/* A written page whose soft-dirty bit clear_refs 4 cleared. */
static const char *build_soft_dirty_clean(struct __test_metadata *_metadata,
					  struct state *st)
{
	ASSERT_EQ(NULL, anon_pages(_metadata, st, 1));
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_SOFT_DIRTY))
		return "no soft-dirty after a write (CONFIG_MEM_SOFT_DIRTY off?)";
	ASSERT_TRUE(ptwalk_write_file("/proc/self/clear_refs", "4"));
	if (pagemap_entry(0, st->addr) & PTWALK_PM_SOFT_DIRTY)
		return "clear_refs 4 left pagemap soft-dirty set";
	return NULL;
}

/* ... and written again. */
static const char *build_soft_dirty_rewritten(struct __test_metadata *_metadata,
					      struct state *st)
{
	const char *why = build_soft_dirty_clean(_metadata, st);

	if (why)
		return why;
	touch_write(st->mem, PAGE, 2);
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_SOFT_DIRTY))
		return "a write after clear_refs 4 set no soft-dirty";
	return NULL;
}

static const char *build_node1(struct __test_metadata *_metadata, struct state *st)
{
	unsigned long mask = 1UL << 1;
	int status = -1;
	void *pages[1];

	if (access("/sys/devices/system/node/node1", F_OK))
		return "no NUMA node 1";
	st->len = PAGE;
	st->mem = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->addr = st->start = (unsigned long)st->mem;
	st->end = st->start + PAGE;
	pages[0] = st->mem;
	if (syscall(SYS_mbind, st->mem, PAGE, MPOL_BIND_MODE, &mask, 8 * sizeof(mask), 0))
		return "mbind(MPOL_BIND, node 1) failed";
	touch_write(st->mem, PAGE, 1);
	settle_lru();
	if (syscall(SYS_move_pages, 0, 1, pages, NULL, &status, 0) || status != 1)
		return "page not on node 1 (move_pages)";
	return NULL;
}

/* Two equal pages that ksmd merged into one KSM page. */
static const char *build_ksm(struct __test_metadata *_metadata, struct state *st)
{
	uint64_t pm = 0, pm2 = 0;
	int i;

	if (access("/sys/kernel/mm/ksm/run", F_OK))
		return "no KSM (/sys/kernel/mm/ksm/run)";
	st->len = 2 * PAGE;
	st->mem = mmap(NULL, st->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->addr = st->start = (unsigned long)st->mem;
	st->end = st->start + st->len;
	memset(st->mem, 0x5a, st->len);
	if (madvise(st->mem, st->len, MADV_MERGEABLE))
		return "MADV_MERGEABLE failed";
	ptwalk_write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	ptwalk_write_file("/sys/kernel/mm/ksm/pages_to_scan", "5000");
	if (!ptwalk_write_file("/sys/kernel/mm/ksm/run", "1"))
		return "cannot start ksmd";
	for (i = 0; i < 300; i++) {
		pm = pagemap_entry(0, st->addr);
		pm2 = pagemap_entry(0, st->addr + PAGE);
		if ((pm & PTWALK_PM_PRESENT) &&
		    (kpageflags(ptwalk_pm_pfn(pm)) & KPF(KPF_KSM)) &&
		    ptwalk_pm_pfn(pm) == ptwalk_pm_pfn(pm2))
			break;
		usleep(20000);
	}
	ptwalk_write_file("/sys/kernel/mm/ksm/run", "0");
	st->pfn = ptwalk_pm_pfn(pm);
	if (!(kpageflags(st->pfn) & KPF(KPF_KSM)) || st->pfn != ptwalk_pm_pfn(pm2))
		return "ksmd did not merge the two pages within 6 s";
	return NULL;
}

/* A written page, write-protected through userfaultfd. */
static const char *build_uffd_wp(struct __test_metadata *_metadata, struct state *st)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = { .mode = UFFDIO_WRITEPROTECT_MODE_WP };

	ASSERT_EQ(NULL, anon_pages(_metadata, st, 1));
	reg.range.start = wp.range.start = st->addr;
	reg.range.len = wp.range.len = PAGE;
	st->fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (st->fd < 0)
		return "no userfaultfd";
	if (ioctl(st->fd, UFFDIO_API, &api) ||
	    !(api.features & UFFD_FEATURE_PAGEFAULT_FLAG_WP))
		return "userfaultfd write-protect unsupported";
	if (ioctl(st->fd, UFFDIO_REGISTER, &reg))
		return "UFFDIO_REGISTER (WP) failed";
	ASSERT_EQ(0, ioctl(st->fd, UFFDIO_WRITEPROTECT, &wp));
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_UFFD_WP))
		return "pagemap shows no uffd-wp";
	return NULL;
}

/* A THP (if one can be had) in its own VMA, then 64 small pages. */
static const char *build_thp_and_small(struct __test_metadata *_metadata,
				       struct state *st)
{
	st->len = 3 * HPAGE;
	st->mem = map_aligned(st->len, HPAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS);
	ASSERT_NE(MAP_FAILED, st->mem);
	st->start = (unsigned long)st->mem;
	st->end = st->start + HPAGE + 64 * PAGE;
	st->addr = st->start + HPAGE;
	if (thp_possible())
		madvise(st->mem, HPAGE, MADV_HUGEPAGE);
	madvise(st->mem + HPAGE, st->len - HPAGE, MADV_NOHUGEPAGE);
	touch_write(st->mem, HPAGE + 64 * PAGE, 1);
	settle_lru();
	if (!(pagemap_entry(0, st->addr) & PTWALK_PM_PRESENT))
		return "written page not present per pagemap";
	return NULL;
}

/* ---- per-state checks ------------------------------------------------------ */

/* The entry mapping @addr in @pid's range query of that page, into @line. */
static bool entry_of(struct __test_metadata *_metadata, const char *walker,
		     pid_t pid, unsigned long addr, char *line, size_t len)
{
	char *t = walk_range(walker, pid, addr, addr + PAGE, "text", NULL);
	bool found;

	if (!t) {
		TH_LOG("range query of 0x%lx (pid %d) failed: %s", addr, pid, strerror(errno));
		return false;
	}
	found = entry_covering(t, addr, line, len);
	if (!found)
		TH_LOG("no entry at 0x%lx in:\n%s", addr, t);
	free(t);
	return found;
}

/* fork: the child maps the same page, as the parent does. */
static void check_forked(struct __test_metadata *_metadata,
			 const FIXTURE_VARIANT(walk) *variant,
			 const struct state *st, const char *walker, const char *line)
{
	char cl[LINE_MAX_LEN];

	ASSERT_TRUE(entry_of(_metadata, walker, st->child, st->addr, cl, sizeof(cl)));
	check_present(_metadata, cl, 0, pagemap_entry(st->child, st->addr), true,
		      COUNT_SMALL);
	check_expected(_metadata, variant, cl);
}

/*
 * The child wrote: it got its own copy.  The parent still maps the old
 * page, mapped once, not exclusive any more, but only the parent
 * references it: the write fault reuses it (wp_can_reuse_anon_folio),
 * unless a transient extra reference (LRU batch) makes the kernel copy.
 */
static void check_forked_child_wrote(struct __test_metadata *_metadata,
				     const FIXTURE_VARIANT(walk) *variant,
				     const struct state *st, const char *walker,
				     const char *line)
{
	uint64_t ref = 0, cpm = pagemap_entry(st->child, st->addr);
	char cl[LINE_MAX_LEN];

	EXPECT_EQ(st->pfn, field_u64(_metadata, line, "pfn"));
	ASSERT_TRUE(ptwalk_field_u64(line, "ref", &ref)) TH_LOG("%s", line);
	EXPECT_FIELD(line, "cow", ref == 1 ? "reuse" : "copy");
	ASSERT_TRUE(entry_of(_metadata, walker, st->child, st->addr, cl, sizeof(cl)));
	EXPECT_NE(st->pfn, ptwalk_pm_pfn(cpm));
	check_present(_metadata, cl, 0, cpm, true, COUNT_SMALL);
	EXPECT_FIELD(cl, "page", "anon,excl");
	EXPECT_TRUE(ptwalk_field_has(cl, "hw", "W")) TH_LOG("%s", cl);
	EXPECT_FIELD(cl, "cow", "writable");
	EXPECT_FIELD(cl, "map", "1");
}

/* The walk did not split the THP. */
static void check_thp_pmd(struct __test_metadata *_metadata,
			  const FIXTURE_VARIANT(walk) *variant,
			  const struct state *st, const char *walker, const char *line)
{
	EXPECT_EQ(st->pfn + 511, pm_pfn(st->start + 511 * PAGE));
	EXPECT_TRUE(!!(kpageflags(st->pfn + 511) & KPF(KPF_THP)));
	EXPECT_EQ(2048, smaps_kb(st->start, "AnonHugePages:"));
}

/* Merged: 16 pages of one folio are one run. */
static void check_thp_pte_mapped(struct __test_metadata *_metadata,
				 const FIXTURE_VARIANT(walk) *variant,
				 const struct state *st, const char *walker,
				 const char *line)
{
	char want[128], *t;

	t = walk_range(walker, 0, st->start + 16 * PAGE, st->start + 32 * PAGE,
		       "merged", NULL);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, ptwalk_count_lines(t, "0x")) TH_LOG("%s", t);
	snprintf(want, sizeof(want), "0x%012lx-0x%012lx 16x4K pte ",
		 st->start + 16 * PAGE, st->start + 32 * PAGE);
	EXPECT_NE(NULL, strstr(t, want)) TH_LOG("want %s in:\n%s", want, t);
	snprintf(want, sizeof(want), " pfn=0x%" PRIx64 "-0x%" PRIx64 " ",
		 st->pfn + 16, st->pfn + 31);
	EXPECT_NE(NULL, strstr(t, want)) TH_LOG("want %s in:\n%s", want, t);
	free(t);
}

static void check_huge_zero(struct __test_metadata *_metadata,
			    const FIXTURE_VARIANT(walk) *variant,
			    const struct state *st, const char *walker, const char *line)
{
	EXPECT_EQ(pm_pfn(st->start) + 9, pm_pfn(st->start + 9 * PAGE));
}

/* pagemap gives the PFN of the 4K page asked for; the walk stops at the PUD. */
static void check_hugetlb_1g(struct __test_metadata *_metadata,
			     const FIXTURE_VARIANT(walk) *variant,
			     const struct state *st, const char *walker, const char *line)
{
	uint64_t pfn = field_u64(_metadata, line, "pfn");
	char *t;

	EXPECT_EQ(pm_pfn(st->addr) - 5, pfn);
	EXPECT_TRUE(!!(kpageflags(pfn) & KPF(KPF_HUGE)));
	t = walk_single(walker, 0, st->addr);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, ptwalk_count_lines(t, "level pud ")) TH_LOG("%s", t);
	EXPECT_EQ(0, ptwalk_count_lines(t, "level pmd ")) TH_LOG("%s", t);
	free(t);
}

/* The pages kept their frames; nothing is left at the old address. */
static void check_mremapped(struct __test_metadata *_metadata,
			    const FIXTURE_VARIANT(walk) *variant,
			    const struct state *st, const char *walker, const char *line)
{
	char l[LINE_MAX_LEN], *t;
	int i;

	t = walk_range(walker, 0, (unsigned long)st->old,
		       (unsigned long)st->old + 4 * PAGE, "text", NULL);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(0, ptwalk_count_lines(t, "0x")) TH_LOG("%s", t);
	free(t);
	t = walk_range(walker, 0, st->start, st->end, "text", NULL);
	ASSERT_NE(NULL, t);
	for (i = 0; i < 4; i++) {
		EXPECT_TRUE(entry_covering(t, st->start + i * PAGE, l, sizeof(l)));
		EXPECT_EQ(st->pfns[i], field_u64(_metadata, l, "pfn"))
			TH_LOG("page %d moved frames: %s", i, l);
	}
	free(t);
}

/* Still swapped: the walk did not fault it in. */
static void check_swapped(struct __test_metadata *_metadata,
			  const FIXTURE_VARIANT(walk) *variant,
			  const struct state *st, const char *walker, const char *line)
{
	EXPECT_TRUE(!!(pagemap_entry(0, st->addr) & PTWALK_PM_SWAP));
}

static void check_file_written(struct __test_metadata *_metadata,
			       const FIXTURE_VARIANT(walk) *variant,
			       const struct state *st, const char *walker,
			       const char *line)
{
	EXPECT_NE(st->pfn, field_u64(_metadata, line, "pfn"));
}

/* Both pages map the one KSM page. */
static void check_ksm(struct __test_metadata *_metadata,
		      const FIXTURE_VARIANT(walk) *variant,
		      const struct state *st, const char *walker, const char *line)
{
	char l[LINE_MAX_LEN];

	ASSERT_TRUE(entry_of(_metadata, walker, 0, st->addr + PAGE, l, sizeof(l)));
	EXPECT_EQ(st->pfn, field_u64(_metadata, l, "pfn"));
}

/* Merged: never across a PFN gap; contiguous frames are one line. */
static void check_anon_16_pages(struct __test_metadata *_metadata,
				const FIXTURE_VARIANT(walk) *variant,
				const struct state *st, const char *walker,
				const char *line)
{
	uint64_t pfn0 = pm_pfn(st->start), prev, pfn;
	bool contiguous = true;
	int i, n, runs = 1;
	char *t;

	for (i = 1, prev = pfn0; i < 16; i++, prev = pfn) {
		pfn = pm_pfn(st->start + i * PAGE);
		if (pfn != pfn0 + i)
			contiguous = false;
		if (pfn != prev + 1)
			runs++;
	}
	t = walk_range(walker, 0, st->start, st->end, "merged", NULL);
	ASSERT_NE(NULL, t);
	n = ptwalk_count_lines(t, "0x");
	EXPECT_LE(runs, n) TH_LOG("%d PFN runs:\n%s", runs, t);
	EXPECT_GE(16, n) TH_LOG("%s", t);
	if (contiguous) {
		char want[128];

		EXPECT_EQ(1, n) TH_LOG("contiguous PFNs 0x%" PRIx64 "..:\n%s", pfn0, t);
		snprintf(want, sizeof(want), "0x%012lx-0x%012lx 16x4K pte ",
			 st->start, st->end);
		EXPECT_NE(NULL, strstr(t, want)) TH_LOG("want %s in:\n%s", want, t);
		snprintf(want, sizeof(want), " pfn=0x%" PRIx64 "-0x%" PRIx64 " ",
			 pfn0, pfn0 + 15);
		EXPECT_NE(NULL, strstr(t, want)) TH_LOG("want %s in:\n%s", want, t);
	} else {
		TH_LOG("PFNs not contiguous: %d runs, %d merged lines", runs, n);
	}
	free(t);
}

static void check_thp_and_small(struct __test_metadata *_metadata,
				const FIXTURE_VARIANT(walk) *variant,
				const struct state *st, const char *walker,
				const char *line)
{
	char *t = walk_range(walker, 0, st->start, st->end, "text", NULL);

	ASSERT_NE(NULL, t);
	EXPECT_LE(64, ptwalk_count_lines(t, "0x")) TH_LOG("%s", t);
	TH_LOG("%d entry lines, THP %s", ptwalk_count_lines(t, "0x"),
	       strstr(t, " 2M pmd ") ? "present" : "absent");
	free(t);
}

/*
 * Device memory: the first memory BAR of a PCI device no driver claims
 * (scripts/vm-run gives arm64 guests a pci-testdev), mapped through sysfs
 * resourceN as root: a VM_IO|VM_PFNMAP mapping with pgprot_device(), one
 * special PTE and no struct page.  Bound devices' BARs are busy, and
 * IO_STRICT_DEVMEM kernels refuse to map those.
 */
static const char *build_device_bar(struct __test_metadata *_metadata,
				    struct state *st)
{
	const char *base = "/sys/bus/pci/devices";
	unsigned long long lo, hi, flags;
	char path[512], line[128];
	struct dirent *d;
	uint64_t pm;
	DIR *dir;
	FILE *f;
	int i;

	dir = opendir(base);
	if (!dir)
		return "no PCI bus";
	while ((d = readdir(dir)) && st->fd < 0) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/driver", base, d->d_name);
		if (!access(path, F_OK))
			continue;
		snprintf(path, sizeof(path), "%s/%s/resource", base, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		for (i = 0; fgets(line, sizeof(line), f) && i < 6; i++) {
			if (sscanf(line, "%llx %llx %llx", &lo, &hi, &flags) != 3 ||
			    !(flags & 0x200) || hi < lo + PAGE - 1 || lo % PAGE)
				continue;	/* IORESOURCE_MEM, a whole page */
			snprintf(path, sizeof(path), "%s/%s/resource%d", base,
				 d->d_name, i);
			st->fd = open(path, O_RDWR);
			if (st->fd >= 0) {
				st->pfn = lo / PAGE;
				break;
			}
		}
		fclose(f);
	}
	closedir(dir);
	if (st->fd < 0)
		return "no memory BAR of a PCI device without a driver (arm64 guests have a pci-testdev)";
	st->len = PAGE;
	st->mem = mmap(NULL, st->len, PROT_READ | PROT_WRITE, MAP_SHARED, st->fd, 0);
	if (st->mem == MAP_FAILED)
		return "mmap of the BAR's resource file failed";
	st->addr = st->start = (unsigned long)st->mem;
	st->end = st->start + PAGE;
	touch_read(st->mem);	/* the register's value does not matter */
	/* A PFN map: pagemap cannot prove the frame (check_device() does). */
	pm = pagemap_entry(0, st->addr);
	if (pm & ~PTWALK_PM_SOFT_DIRTY)
		return "pagemap reads the BAR's mapping as more than a PFN map's hole";
	return NULL;
}

/*
 * The BAR's frame, and its memory type: arm64 AttrIndx MT_DEVICE_nGnRE
 * through MAIR (pgprot_device()); x86 uncached through PAT (UC-: PCD).
 */
static void check_device(struct __test_metadata *_metadata,
			 const FIXTURE_VARIANT(walk) *variant,
			 const struct state *st, const char *walker,
			 const char *line)
{
	EXPECT_EQ(st->pfn, field_u64(_metadata, line, "pfn")) TH_LOG("%s", line);
	if (PTWALK_TEST_ARCH == PTWALK_ARCH_ARM64) {
		EXPECT_TRUE(ptwalk_field_has(line, "hw", "DEVICE")) TH_LOG("%s", line);
		EXPECT_TRUE(ptwalk_field_has(line, "sw", "nGnRE")) TH_LOG("%s", line);
		EXPECT_FALSE(ptwalk_field_has(line, "sw", "nGnRnE")) TH_LOG("%s", line);
		EXPECT_FALSE(ptwalk_field_has(line, "hw", "NC")) TH_LOG("%s", line);
		/* AttrIndx 4: Linux's MAIR slot of MT_DEVICE_nGnRE. */
		EXPECT_EQ(4ULL, (field_u64(_metadata, line, "raw") >> 2) & 7)
			TH_LOG("%s", line);
	} else {
		EXPECT_TRUE(ptwalk_field_has(line, "hw", "PCD")) TH_LOG("%s", line);
	}
}

/* ---- the fixture and the states' table ---------------------------------- */

FIXTURE(walk) {
	struct state st;
};

FIXTURE_SETUP(walk)
{
	cpu_set_t cpus;
	const char *why;

	self->st.fd = self->st.p2c = self->st.c2p = -1;
	if (access(PTWALK_WALK, F_OK))
		SKIP(return, "ptwalk.ko is not loaded (no %s)", PTWALK_WALK);
	kpf_ksm_reliable();	/* probed before any state is built */
	/* One CPU: the per-CPU LRU batches then behave predictably. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	why = variant->build(_metadata, &self->st);
	if (why)
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(walk)
{
	struct state *st = &self->st;

	stop_child(st);
	if (st->p2c >= 0)
		close(st->p2c);
	if (st->c2p >= 0)
		close(st->c2p);
	if (st->fd >= 0)
		close(st->fd);
	if (st->mem && st->mem != MAP_FAILED)
		munmap(st->mem, st->len);
}

FIXTURE_VARIANT_ADD(walk, anon_untouched) {
	.build = build_anon_untouched,
	.catches = "entries reported for pages never touched; a single-address query failing on a hole",
	.no_entry = true,
};

FIXTURE_VARIANT_ADD(walk, anon_4k) {
	.build = build_anon_4k,
	.catches = "wrong PFN, hardware bits, soft-dirty, exclusivity or CoW verdict of the plainest page",
	.size = "4K", .level = "pte", .kind = "present", .page = "anon,excl",
	.has = { "hw=P", "hw=W", "hw=U", "hw=D", "sw=sd" },
	.cow = "writable", .map = "1", .order = "0", .counts = COUNT_SMALL,
};

FIXTURE_VARIANT_ADD(walk, zero_page) {
	.build = build_zero_page,
	.catches = "the shared zero page taken for an anonymous page, or called writable",
	.size = "4K", .level = "pte", .page = "zero",
	.lacks = { "hw=W" }, .cow = "copy",
};

FIXTURE_VARIANT_ADD(walk, anon_forked) {
	.build = build_anon_forked,
	.catches = "a page shared after fork() not seen as shared and to be copied, in either process",
	.size = "4K", .level = "pte", .page = "anon,shared",
	.lacks = { "hw=W" }, .cow = "copy", .map = "2", .counts = COUNT_SMALL,
	.check = check_forked,
};

FIXTURE_VARIANT_ADD(walk, anon_forked_child_wrote) {
	.build = build_anon_forked_child_wrote,
	.catches = "stale sharing after the child's CoW copy; reuse vs copy verdict of the parent's page",
	.size = "4K", .level = "pte", .map = "1", .counts = COUNT_SMALL,
	.check = check_forked_child_wrote,
};

FIXTURE_VARIANT_ADD(walk, thp_pmd) {
	.build = build_thp_pmd,
	.catches = "a PMD-mapped THP reported at the wrong level or size, or split by the walk",
	.size = "2M", .level = "pmd",
	.has = { "hw=PS", "page=thp", "page=anon", "page=excl" },
	.order = "9", .cow = "writable", .map = "1",
	.check = check_thp_pmd,
};

FIXTURE_VARIANT_ADD(walk, thp_pte_mapped) {
	.build = build_thp_pte_mapped,
	.catches = "a PTE-mapped large folio losing its order or sub-page, or not merged as one run",
	.size = "4K", .level = "pte", .has = { "page=thp" },
	.order = "9", .sub = "7", .cow = "writable",
	.check = check_thp_pte_mapped,
};

FIXTURE_VARIANT_ADD(walk, huge_zero) {
	.build = build_huge_zero,
	.catches = "the huge zero page taken for an anonymous THP, or called writable",
	.size = "2M", .level = "pmd", .has = { "page=huge-zero" },
	.lacks = { "page=anon", "page=thp", "hw=W" }, .cow = "copy",
	.check = check_huge_zero,
};

FIXTURE_VARIANT_ADD(walk, hugetlb_2m) {
	.build = build_hugetlb_2m,
	.catches = "a 2M hugetlb page taken for a THP, or its mapcount wrong",
	.size = "2M", .level = "pmd", .has = { "page=hugetlb" }, .lacks = { "page=thp" },
	.order = "9", .cow = "writable", .counts = COUNT_HEAD,
};

FIXTURE_VARIANT_ADD(walk, thp_64k) {
	.build = build_thp_64k,
	.catches = "a 64K mTHP losing its order or sub-page, or (arm64) its contiguous PTEs",
	.size = "4K", .level = "pte", .has = { "page=thp", "page=anon", "hw=CONT" },
	.order = "4", .sub = "5", .cow = "writable",
};
FIXTURE_VARIANT_ADD(walk, hugetlb_64k) {
	.build = build_hugetlb_64k,
	.catches = "a contiguous 64K hugetlb page reported as one entry or without CONT",
	.size = "4K", .level = "pte", .has = { "page=hugetlb", "hw=CONT" },
	.lacks = { "page=thp" }, .order = "4", .sub = "3", .cow = "writable",
};
FIXTURE_VARIANT_ADD(walk, hugetlb_32m) {
	.build = build_hugetlb_32m,
	.catches = "a contiguous 32M hugetlb page reported as one entry or without CONT",
	.size = "2M", .level = "pmd", .has = { "page=hugetlb", "hw=CONT" },
	.lacks = { "page=thp" }, .order = "13", .sub = "1536", .cow = "writable",
};
FIXTURE_VARIANT_ADD(walk, hugetlb_1g) {
	.build = build_hugetlb_1g,
	.catches = "a 1G page walked below its PUD, or its PFN or order wrong",
	.size = "1G", .level = "pud", .has = { "page=hugetlb" },
	.order = "18", .cow = "writable",
	.check = check_hugetlb_1g,
};

FIXTURE_VARIANT_ADD(walk, anon_mremapped) {
	.build = build_anon_mremapped,
	.catches = "entries left at the old address after mremap(), or frames changed by the move",
	.size = "4K", .level = "pte", .cow = "writable", .counts = COUNT_SMALL,
	.check = check_mremapped,
};

FIXTURE_VARIANT_ADD(walk, swapped) {
	.build = build_swapped,
	.catches = "swap type or offset decoded wrong, a PFN shown for a swap entry, or the walk faulting it in",
	.size = "4K", .level = "pte", .kind = "swap",
	.check = check_swapped,
};

FIXTURE_VARIANT_ADD(walk, shared_anon) {
	.build = build_shared_anon,
	.catches = "MAP_SHARED anonymous memory (shmem) taken for private anon, or given a CoW verdict",
	.size = "4K", .level = "pte",
	.has = { "page=shmem", "page=file", "hw=W" }, .lacks = { "page=anon" },
	.cow = "none", .counts = COUNT_SMALL,
};

FIXTURE_VARIANT_ADD(walk, file_read) {
	.build = build_file_read,
	.catches = "a private file mapping's page-cache page taken for anon or called writable",
	.size = "4K", .level = "pte", .has = { "page=file" },
	.lacks = { "page=anon", "hw=W" }, .cow = "copy",
};

FIXTURE_VARIANT_ADD(walk, file_written) {
	.build = build_file_written,
	.catches = "the anonymous copy of a written private file page still shown as the page cache's",
	.size = "4K", .level = "pte", .page = "anon,excl", .has = { "hw=W" },
	.cow = "writable", .counts = COUNT_SMALL,
	.check = check_file_written,
};

FIXTURE_VARIANT_ADD(walk, mprotect_read) {
	.build = build_mprotect_read,
	.catches = "a read-only mapping of an exclusive page given a CoW verdict",
	.size = "4K", .level = "pte", .page = "anon,excl",
	.has = { "hw=P" }, .lacks = { "hw=W" }, .cow = "none", .counts = COUNT_SMALL,
};

FIXTURE_VARIANT_ADD(walk, prot_none) {
	.build = build_prot_none,
	.catches = "a PROT_NONE (NUMA-hint) entry reported not present, or its inverted PFN not undone",
	.size = "4K", .level = "pte", .kind = "present", .has = { "sw=protnone" },
	.lacks = { "hw=P", "hw=W" }, .cow = "none", .counts = COUNT_SMALL,
};

FIXTURE_VARIANT_ADD(walk, soft_dirty_clean) {
	.build = build_soft_dirty_clean,
	.catches = "soft-dirty still shown after clear_refs 4; the write-protected exclusive page not reused",
	.size = "4K", .level = "pte", .lacks = { "sw=sd", "hw=W" },
	.cow = "reuse", .counts = COUNT_SMALL,
};

FIXTURE_VARIANT_ADD(walk, soft_dirty_rewritten) {
	.build = build_soft_dirty_rewritten,
	.catches = "soft-dirty not shown again after a write following clear_refs 4",
	.size = "4K", .level = "pte", .has = { "sw=sd" },
	.cow = "writable", .counts = COUNT_SMALL,
};

FIXTURE_VARIANT_ADD(walk, node1) {
	.build = build_node1,
	.catches = "the NUMA node of a page bound to node 1 reported wrong",
	.size = "4K", .level = "pte", .node = "1", .counts = COUNT_SMALL,
};

FIXTURE_VARIANT_ADD(walk, ksm) {
	.build = build_ksm,
	.catches = "a KSM page not recognised, or called exclusive or writable",
	.size = "4K", .level = "pte", .has = { "page=ksm", "page=anon" },
	.lacks = { "page=excl", "hw=W" }, .cow = "copy", .counts = COUNT_SMALL,
	.check = check_ksm,
};

FIXTURE_VARIANT_ADD(walk, uffd_wp) {
	.build = build_uffd_wp,
	.catches = "the uffd-wp bit missed, or the write given a CoW verdict instead of uffd",
	.size = "4K", .level = "pte", .has = { "sw=uffd-wp" }, .lacks = { "hw=W" },
	.cow = "uffd", .counts = COUNT_SMALL,
};

FIXTURE_VARIANT_ADD(walk, anon_16_pages) {
	.build = build_anon_16_pages,
	.catches = "format=merged joining across a PFN gap, or not joining contiguous frames",
	.size = "4K", .level = "pte", .counts = COUNT_SMALL,
	.check = check_anon_16_pages,
};

FIXTURE_VARIANT_ADD(walk, thp_and_small) {
	.build = build_thp_and_small,
	.catches = "the walkers disagreeing across a THP VMA next to a VMA of small pages",
	.size = "4K", .level = "pte", .counts = COUNT_SMALL,
	.check = check_thp_and_small,
};

FIXTURE_VARIANT_ADD(walk, device_bar) {
	.build = build_device_bar,
	.catches = "device memory (a PCI BAR) with a wrong memory type or frame, or taken for RAM",
	.size = "4K", .level = "pte", .kind = "present",
	.has = { "page=nopage", "hw=P", "hw=U", "sw=special" },
	.pfnmap = true, .check = check_device,
};

/* ---- (a) every entry against pagemap, kpageflags, kpagecount ------------ */

/* The VMAs of /proc/self/maps meeting [start, end), as ptwalk's vma lines begin. */
static int maps_vma_lines(unsigned long start, unsigned long end, char out[][96], int max)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512], perms[8];
	unsigned long s, e, off, ino;
	int n = 0;

	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s %lx %*s %lu", &s, &e, perms, &off, &ino) != 5)
			continue;
		if (e <= start || s >= end)
			continue;
		/* maps shows a file's offset only; anon vm_pgoff is not told. */
		if (ino)
			snprintf(out[n++], 96, "vma 0x%012lx-0x%012lx %s pgoff=0x%lx ",
				 s, e, perms, off / PAGE);
		else
			snprintf(out[n++], 96, "vma 0x%012lx-0x%012lx %s pgoff=", s, e, perms);
	}
	fclose(f);
	return n;
}

static void check_vma_lines(struct __test_metadata *_metadata, const struct state *st,
			    const char *t)
{
	char want[16][96], l[LINE_MAX_LEN];
	const char *p = t;
	int n = maps_vma_lines(st->start, st->end, want, 16), i = 0;

	ASSERT_LE(0, n);
	while (next_line(&p, l, sizeof(l))) {
		if (strncmp(l, "vma ", 4))
			continue;
		EXPECT_GT(n, i) TH_LOG("vma line beyond /proc/self/maps: %s", l);
		if (i < n)
			EXPECT_EQ(0, strncmp(want[i], l, strlen(want[i])))
				TH_LOG("maps: %s\nptwalk: %s", want[i], l);
		i++;
	}
	EXPECT_EQ(n, i) TH_LOG("%d VMAs in maps, %d vma lines:\n%s", n, i, t);
}

/* Pages [from, to) have no entry: pagemap must agree. */
static void expect_empty(struct __test_metadata *_metadata, unsigned long from,
			 unsigned long to)
{
	unsigned long va;

	for (va = from; va < to; va += PAGE) {
		uint64_t pm = pagemap_entry(0, va);

		EXPECT_EQ(0ULL, pm & (PTWALK_PM_PRESENT | PTWALK_PM_SWAP))
			TH_LOG("pagemap 0x%" PRIx64 " at 0x%lx, ptwalk: no entry", pm, va);
	}
}

static void check_pagemap(struct __test_metadata *_metadata,
			  const FIXTURE_VARIANT(walk) *variant,
			  const struct state *st, const char *walker)
{
	char l[LINE_MAX_LEN], line[LINE_MAX_LEN], single[LINE_MAX_LEN];
	char a_stable[LINE_MAX_LEN], b_stable[LINE_MAX_LEN], size[8], lvl[8];
	unsigned long covered = st->start, a, va;
	const char *p;
	char *t, *t1;
	bool found;

	t = walk_range(walker, 0, st->start, st->end, "text", NULL);
	ASSERT_NE(NULL, t) TH_LOG("range query failed: %s", strerror(errno));
	/* Entry by entry; the pages between entries must be empty in pagemap. */
	for (p = t; next_line(&p, l, sizeof(l)); ) {
		unsigned long n;

		if (sscanf(l, "0x%lx %7s %7s", &a, size, lvl) != 3)
			continue;
		n = 1UL << (size_shift(size) - 12);
		expect_empty(_metadata, covered, a < st->end ? a : st->end);
		covered = a + n * PAGE;
		if (ptwalk_field_has(l, "kind", "swap")) {
			check_swap(_metadata, l, pagemap_entry(0, a));
			continue;
		}
		if (!ptwalk_field_has(l, "kind", "present"))
			continue;
		/*
		 * mm/pagewalk.c: walk_page_test() hands a VM_PFNMAP VMA to
		 * pagemap_pte_hole(): 0, or soft-dirty from the VMA's flag.
		 */
		if (variant->pfnmap) {
			EXPECT_EQ(0ULL, pagemap_entry(0, a) & ~PTWALK_PM_SOFT_DIRTY) TH_LOG("%s", l);
			EXPECT_TRUE(ptwalk_field_has(l, "page", "nopage")) TH_LOG("%s", l);
			continue;
		}
		/* The first page in full; then the page asked about and the last. */
		check_present(_metadata, l, 0, pagemap_entry(0, a), true, variant->counts);
		va = st->addr;
		if (va > a && va < a + n * PAGE && va != a + (n - 1) * PAGE)
			check_present(_metadata, l, (va - a) / PAGE, pagemap_entry(0, va),
				      false, variant->counts);
		if (n > 1)
			check_present(_metadata, l, n - 1, pagemap_entry(0, covered - PAGE),
				      false, variant->counts);
	}
	expect_empty(_metadata, covered, st->end);
	check_vma_lines(_metadata, st, t);

	/* The single-address query reports the entry the range query did. */
	found = entry_covering(t, st->addr, line, sizeof(line));
	t1 = walk_single(walker, 0, st->addr);
	ASSERT_NE(NULL, t1) TH_LOG("single query failed: %s", strerror(errno));
	EXPECT_EQ(1, ptwalk_count_lines(t1, "level pgd ")) TH_LOG("%s", t1);
	if (variant->no_entry) {
		EXPECT_FALSE(found) TH_LOG("entry at 0x%lx: %s", st->addr, line);
		ASSERT_NE(NULL, ptwalk_find_entry(t1, st->addr, single, sizeof(single)))
			TH_LOG("%s", t1);
		EXPECT_FIELD(single, "kind", "none");
	} else {
		ASSERT_TRUE(found) TH_LOG("no entry maps 0x%lx:\n%s", st->addr, t);
		sscanf(line, "0x%lx", &a);
		ASSERT_NE(NULL, ptwalk_find_entry(t1, a, single, sizeof(single)))
			TH_LOG("addr=0x%lx has no entry line:\n%s", st->addr, t1);
		stable_part(line, a_stable, sizeof(a_stable));
		stable_part(single, b_stable, sizeof(b_stable));
		EXPECT_STREQ(a_stable, b_stable) TH_LOG("range and addr= queries differ");
		/* So does a range of just that page (inside a huge entry too). */
		ASSERT_TRUE(entry_of(_metadata, walker, 0, st->addr, single, sizeof(single)));
		stable_part(single, b_stable, sizeof(b_stable));
		EXPECT_STREQ(a_stable, b_stable) TH_LOG("range of 0x%lx differs", st->addr);
		/* The translation stops at the leaf. */
		if (strstr(line, " pud "))
			EXPECT_EQ(0, ptwalk_count_lines(t1, "level pmd ")) TH_LOG("%s", t1);
		if (strstr(line, " pud ") || strstr(line, " pmd "))
			EXPECT_EQ(0, ptwalk_count_lines(t1, "level pte ")) TH_LOG("%s", t1);
		check_expected(_metadata, variant, line);
		if (variant->check)
			variant->check(_metadata, variant, st, walker, line);
	}
	free(t1);
	free(t);
}

/* ---- (c) format=binary, text and merged say the same ---------------------- */

#define WHY_LEN	1024

/* NULL if @line's @key= is @want, else the difference in @why. */
static const char *want_field(const char *line, const char *key, const char *want,
			      char *why)
{
	char got[256];

	if (!ptwalk_field(line, key, got, sizeof(got)))
		snprintf(why, WHY_LEN, "no %s= (binary: %s) in: %.400s", key, want, line);
	else if (strcmp(got, want))
		snprintf(why, WHY_LEN, "%s=%s, binary: %s, in: %.400s", key, got, want, line);
	else
		return NULL;
	return why;
}

#define WANT(key, ...) do {						\
	char __w[256];							\
	snprintf(__w, sizeof(__w), __VA_ARGS__);			\
	if (want_field(line, key, __w, why))				\
		return why;						\
} while (0)

/*
 * NULL if the text (or, @merged, merged) @line says what binary entry @r
 * (the first of a run of @pages) says; else the first difference.
 */
static const char *rec_vs_line(const struct ptwalk_rec *r, unsigned long pages,
			       bool merged, const char *line, char *why)
{
	unsigned long a, e = 0, n = 1;
	uint32_t hw = r->bits & PTWALK_B_HW_MASK;
	char size[8], lvl[8], names[256];
	int got;

	if (merged)
		got = sscanf(line, "0x%lx-0x%lx %lux%7s %7s", &a, &e, &n, size, lvl) == 5;
	else
		got = sscanf(line, "0x%lx %7s %7s", &a, size, lvl) == 3;
	if (!got || a != r->vaddr || size_shift(size) != r->shift ||
	    strcmp(lvl, ptwalk_level_name(r->level)) || n != pages ||
	    (merged && e != r->vaddr + (pages << r->shift))) {
		snprintf(why, WHY_LEN, "binary 0x%llx %lux shift %u %s, text: %.400s",
			 (unsigned long long)r->vaddr, pages, r->shift,
			 ptwalk_level_name(r->level), line);
		return why;
	}
	if (merged) {
		if (strstr(line, " raw=") || strstr(line, " map=") || strstr(line, " ref=") ||
		    strstr(line, " sub=")) {
			snprintf(why, WHY_LEN, "merged line with raw=, map=, ref= or sub=: %.400s",
				 line);
			return why;
		}
	} else {
		WANT("raw", "0x%016llx", (unsigned long long)r->raw);
	}
	WANT("kind", "%s", ptwalk_kind_name(r->kind));
	switch (r->kind) {
	case PTWALK_K_PRESENT:
		if (merged && pages > 1)
			WANT("pfn", "0x%llx-0x%llx", (unsigned long long)r->pfn,
			     (unsigned long long)(r->pfn + (pages << (r->shift - 12)) - 1));
		else
			WANT("pfn", "0x%llx", (unsigned long long)r->pfn);
		/* x86: bit 7 is PAT in a PTE, PS (page size) above. */
		if (PTWALK_TEST_ARCH == PTWALK_ARCH_X86_64 &&
		    r->level == PTWALK_LVL_PTE && (hw & PTWALK_B_PSE))
			WANT("hw", "%s,PAT", ptwalk_names_join(hw & ~PTWALK_B_PSE,
				PTWALK_B_HW_MASK, BIT_NAMES, names, sizeof(names)));
		else
			WANT("hw", "%s", ptwalk_names_join(hw, PTWALK_B_HW_MASK,
				BIT_NAMES, names, sizeof(names)));
		WANT("sw", "%s", ptwalk_names_join(r->bits, PTWALK_B_SW_MASK,
			BIT_NAMES, names, sizeof(names)));
		WANT("pkey", "%u", r->pkey);
		WANT("page", "%s", ptwalk_names_join(r->page, ~PTWALK_P_PGFLAGS_MASK,
			ptwalk_page_names, names, sizeof(names)));
		if (!(r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO))) {
			WANT("order", "%u", r->order);
			WANT("node", "%d", r->node);
			WANT("pg", "%s", ptwalk_names_join(r->page, PTWALK_P_PGFLAGS_MASK,
				ptwalk_page_names, names, sizeof(names)));
			if (!merged) {
				WANT("sub", "%u", r->subpage);
				WANT("map", "%d", r->mapcount);
			}
		}
		WANT("cow", "%s", ptwalk_cow_name(r->cow));
		break;
	case PTWALK_K_SWAP:
		WANT("type", "%u", r->swap_type);
		WANT("offset", "0x%llx", (unsigned long long)r->swap_offset);
		WANT("sw", "%s", ptwalk_names_join(r->bits, PTWALK_B_SW_MASK,
			BIT_NAMES, names, sizeof(names)));
		break;
	default:
		break;
	}
	return NULL;
}

/* The "# end" line of a text answer says what binary END @end says. */
static const char *end_vs_line(const struct ptwalk_end *end, const char *t, char *why)
{
	const char *p = strstr(t, "# end ");
	char line[LINE_MAX_LEN];

	if (!p) {
		snprintf(why, WHY_LEN, "no # end line");
		return why;
	}
	next_line(&p, line, sizeof(line));
	WANT("status", "%s", ptwalk_end_name(end->status));
	WANT("next", "0x%llx", (unsigned long long)end->next);
	WANT("entries", "%llu", (unsigned long long)end->entries);
	WANT("vmas", "%llu", (unsigned long long)end->vmas);
	return NULL;
}

/*
 * Whether the binary VMA record @v says what its text line @l says: range,
 * permissions (from PTWALK_VMA_*, "s" for PTWALK_VMA_SHARED), page offset
 * and the soft-dirty FLAGS word.  Catches a module translating vm_flags
 * differently for its two formats, or misplacing end or pgoff.
 */
static bool vma_matches_line(const struct ptwalk_vma *v, const char *l)
{
	char want[96];

	snprintf(want, sizeof(want), "vma 0x%012llx-0x%012llx %c%c%c%c pgoff=0x%llx %s ",
		 (unsigned long long)v->start, (unsigned long long)v->end,
		 v->flags & PTWALK_VMA_READ ? 'r' : '-',
		 v->flags & PTWALK_VMA_WRITE ? 'w' : '-',
		 v->flags & PTWALK_VMA_EXEC ? 'x' : '-',
		 v->flags & PTWALK_VMA_SHARED ? 's' : 'p',
		 (unsigned long long)v->pgoff,
		 v->flags & PTWALK_VMA_SOFTDIRTY ? "sd" : "-");
	return !strncmp(l, want, strlen(want));
}

/* One try: NULL if binary, text and merged answers of the range agree. */
static const char *formats_differ(struct __test_metadata *_metadata,
				  const struct state *st, const char *walker,
				  bool first, char *why)
{
	struct ptwalk_stream s;
	char *bin, *txt, *mrg, l[LINE_MAX_LEN];
	const char *p, *ret = NULL;
	size_t blen, i, n, first_i, vi = 0;

	bin = walk_range(walker, 0, st->start, st->end, "binary", &blen);
	txt = walk_range(walker, 0, st->start, st->end, "text", NULL);
	mrg = walk_range(walker, 0, st->start, st->end, "merged", NULL);
	ASSERT_NE(NULL, bin);
	ASSERT_NE(NULL, txt);
	ASSERT_NE(NULL, mrg);
	if (ptwalk_parse(bin, blen, &s, why, WHY_LEN)) {
		ret = why;
		goto out;
	}
	if (first) {
		EXPECT_EQ(PTWALK_MAGIC, s.hdr.magic);
		EXPECT_EQ(PTWALK_VERSION, s.hdr.version);
		EXPECT_EQ(sizeof(struct ptwalk_hdr), s.hdr.hdr_size);
		EXPECT_EQ(PTWALK_REC_SIZE, s.hdr.rec_size);
		EXPECT_EQ(!strcmp(walker, "kernel") ? PTWALK_WALKER_KERNEL :
			  PTWALK_WALKER_BUILTIN, s.hdr.walker);
		EXPECT_EQ((uint32_t)getpid(), s.hdr.pid);
		EXPECT_EQ(st->start, s.hdr.start);
		EXPECT_EQ(st->end, s.hdr.end);
		EXPECT_EQ(0U, s.hdr.flags & (PTWALK_H_PHYS_HIDDEN | PTWALK_H_SINGLE));
		EXPECT_EQ(PTWALK_END_COMPLETE, s.end.status);
		EXPECT_EQ(st->end, s.end.next);
		EXPECT_EQ(0, s.end.error);
		EXPECT_EQ(s.n, s.end.entries);
		EXPECT_EQ(s.nvma, s.end.vmas);
	}
	/* text: one entry line per entry, one vma line per VMA record. */
	for (p = txt, i = 0; next_line(&p, l, sizeof(l)); ) {
		unsigned long vs;

		if (sscanf(l, "vma 0x%lx-", &vs) == 1) {
			if (vi >= s.nvma || !vma_matches_line(&s.vma[vi], l)) {
				snprintf(why, WHY_LEN, "vma line %zu of %zu (binary 0x%llx-0x%llx pgoff=0x%llx flags=0x%x): %.400s",
					 vi, s.nvma,
					 vi < s.nvma ? (unsigned long long)s.vma[vi].start : 0ULL,
					 vi < s.nvma ? (unsigned long long)s.vma[vi].end : 0ULL,
					 vi < s.nvma ? (unsigned long long)s.vma[vi].pgoff : 0ULL,
					 vi < s.nvma ? s.vma[vi].flags : 0U, l);
				ret = why;
				goto out_s;
			}
			vi++;
			continue;
		}
		if (strncmp(l, "0x", 2))
			continue;
		if (i >= s.n) {
			snprintf(why, WHY_LEN, "text has more than the %zu binary entries: %.400s",
				 s.n, l);
			ret = why;
			goto out_s;
		}
		ret = rec_vs_line(&s.e[i++], 1, false, l, why);
		if (ret)
			goto out_s;
	}
	if (i != s.n || vi != s.nvma) {
		snprintf(why, WHY_LEN, "text: %zu entries and %zu vmas, binary: %zu and %zu",
			 i, vi, s.n, s.nvma);
		ret = why;
		goto out_s;
	}
	ret = end_vs_line(&s.end, txt, why);
	if (ret)
		goto out_s;
	/* merged: the binary entries' runs (ptwalk.h's run rule), one line each. */
	p = mrg;
	for (first_i = 0; first_i < s.n; first_i += n) {
		for (n = 1; first_i + n < s.n &&
		     s.vma_of[first_i + n] == s.vma_of[first_i] &&
		     ptwalk_run_continues(&s.e[first_i], n, &s.e[first_i + n], 0); n++)
			;
		do {
			if (!next_line(&p, l, sizeof(l))) {
				snprintf(why, WHY_LEN, "merged ends before the run at 0x%llx",
					 (unsigned long long)s.e[first_i].vaddr);
				ret = why;
				goto out_s;
			}
		} while (strncmp(l, "0x", 2));
		ret = rec_vs_line(&s.e[first_i], n, true, l, why);
		if (ret)
			goto out_s;
	}
	while (next_line(&p, l, sizeof(l)))
		if (!strncmp(l, "0x", 2)) {
			snprintf(why, WHY_LEN, "merged line beyond the binary runs: %.400s", l);
			ret = why;
			goto out_s;
		}
	ret = end_vs_line(&s.end, mrg, why);
out_s:
	ptwalk_stream_free(&s);
out:
	free(bin);
	free(txt);
	free(mrg);
	return ret;
}

static void check_formats(struct __test_metadata *_metadata, const struct state *st,
			  const char *walker)
{
	char why[WHY_LEN];
	const char *diff = NULL;
	int i;

	/* pg= flags may move between the three queries: three tries. */
	for (i = 0; i < 3; i++) {
		diff = formats_differ(_metadata, st, walker, i == 0, why);
		if (!diff)
			break;
	}
	EXPECT_EQ(NULL, diff) TH_LOG("%s", diff);
	if (!diff && i)
		TH_LOG("formats agreed on try %d", i + 1);
}

/* ---- (b) walker=kernel and walker=builtin agree ------------------------- */

static void check_walkers(struct __test_metadata *_metadata, const struct state *st)
{
	char *k = NULL, *b = NULL, *k2 = NULL;
	bool same = false;
	int i, single;

	for (single = 0; single < 2; single++) {
		for (i = 0, same = false; i < 3 && !same; i++) {
			free(k);
			free(b);
			free(k2);
			/* kernel, builtin, kernel: either kernel answer may match. */
			if (single) {
				k = walk_single("kernel", 0, st->addr);
				b = walk_single("builtin", 0, st->addr);
			} else {
				k = walk_range("kernel", 0, st->start, st->end, "text", NULL);
				b = walk_range("builtin", 0, st->start, st->end, "text", NULL);
			}
			k2 = NULL;
			ASSERT_NE(NULL, k);
			ASSERT_NE(NULL, b);
			same = !strcmp(after_header(k), after_header(b));
			if (same)
				continue;
			k2 = single ? walk_single("kernel", 0, st->addr) :
				      walk_range("kernel", 0, st->start, st->end, "text", NULL);
			ASSERT_NE(NULL, k2);
			same = !strcmp(after_header(k2), after_header(b));
		}
		EXPECT_TRUE(same) TH_LOG("%s query, kernel:\n%s\nbuiltin:\n%s",
					 single ? "addr=" : "range", k, b);
		if (same && i > 1)
			TH_LOG("outputs agreed on try %d (pg= flags moved meanwhile)", i);
		EXPECT_NE(NULL, strstr(k, " walker=kernel ")) TH_LOG("%s", k);
		EXPECT_NE(NULL, strstr(b, " walker=builtin ")) TH_LOG("%s", b);
	}
	free(k);
	free(b);
	free(k2);
}

/* ---- (d) the CLI's verify finds nothing ----------------------------------- */

static void cli_verify(struct __test_metadata *_metadata, const struct state *st,
		       pid_t pid)
{
	const char *cli = ptwalk_cli_path();
	char range[64], who[16], out[8192];
	char *argv[] = { (char *)cli, "verify", "--range", range, who, NULL };
	int rc;

	snprintf(range, sizeof(range), "0x%lx-0x%lx", st->start, st->end);
	snprintf(who, sizeof(who), "%d", pid);
	rc = ptwalk_run(argv, out, sizeof(out));
	EXPECT_EQ(0, rc) TH_LOG("%s verify --range %s %s:\n%s", cli, range, who, out);
	EXPECT_NE(NULL, strstr(out, " 0 mismatches")) TH_LOG("%s", out);
}

/* ---- the checks, each on every state --------------------------------------- */

/*
 * Probed once, in the harness's process before it forks the tests: whether
 * walker=kernel is refused here (kCFI kernels), and why.
 */
static const char *kernel_refused;

__attribute__((constructor)) static void probe_walkers(void)
{
	char *t;

	if (access(PTWALK_WALK, F_OK))
		return;
	t = walk_range("kernel", 0, PAGE, 2 * PAGE, "text", NULL);
	if (!t && errno == EOPNOTSUPP) {
		kernel_refused = ptwalk_status("kernel_walker");
		if (!kernel_refused)
			kernel_refused = "?";
	}
	free(t);
	kpf_ksm_reliable();
}

static const char *const walker_names[] = { "kernel", "builtin", NULL };

/* The walkers to check with: both, or builtin alone when kernel is refused. */
static const char *const *walkers(struct __test_metadata *_metadata)
{
	if (!kernel_refused)
		return walker_names;
	TH_LOG("walker=kernel refused (%s): builtin only", kernel_refused);
	return walker_names + 1;
}

TEST_F_TIMEOUT(walk, pagemap, 60)
{
	for (const char *const *w = walkers(_metadata); *w; w++) {
		int failed = _metadata->exit_code == KSFT_FAIL;

		check_pagemap(_metadata, variant, &self->st, *w);
		if (!failed && _metadata->exit_code == KSFT_FAIL)
			TH_LOG("(the failures above: walker=%s)", *w);
	}
}

TEST_F_TIMEOUT(walk, walkers_agree, 60)
{
	if (kernel_refused)
		SKIP(return, "walker=kernel refused on this kernel: %s", kernel_refused);
	check_walkers(_metadata, &self->st);
}

TEST_F_TIMEOUT(walk, formats, 60)
{
	for (const char *const *w = walkers(_metadata); *w; w++) {
		int failed = _metadata->exit_code == KSFT_FAIL;

		check_formats(_metadata, &self->st, *w);
		if (!failed && _metadata->exit_code == KSFT_FAIL)
			TH_LOG("(the failures above: walker=%s)", *w);
	}
}

TEST_F_TIMEOUT(walk, cli_verify, 60)
{
	if (access(ptwalk_cli_path(), X_OK))
		SKIP(return, "no ptwalk command at %s (make -C user)", ptwalk_cli_path());
	cli_verify(_metadata, &self->st, getpid());
	if (self->st.child)
		cli_verify(_metadata, &self->st, self->st.child);
}

/*
 * A dense run of written anonymous pages folds into MORE records on every
 * architecture: on arm64 a writable entry carries DBM (bit 51), which is
 * outside its PFN field (bits 12-49) though inside x86's.  Each expanded
 * entry still has pagemap's frame.
 */
TEST(dense_writable_run_folds)
{
	static const char *const walkers[] = { "builtin", "kernel" };
	const size_t npages = 512;
	const char *why;
	unsigned int w;
	char *p;

	if (access(PTWALK_WALK, F_OK))
		SKIP(return, "ptwalk.ko is not loaded (no %s)", PTWALK_WALK);
	p = map_aligned(npages * PAGE, HPAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS);
	ASSERT_NE(MAP_FAILED, p);
	/* Small folios only: an mTHP's pages differ in sub-page and CONT. */
	ASSERT_EQ(0, madvise(p, npages * PAGE, MADV_NOHUGEPAGE));
	touch_write(p, npages * PAGE, 1);
	for (w = 0; w < 2; w++) {
		struct ptwalk_stream st;
		size_t len, off, mores = 0, recs = 0, i;
		char *b, whybuf[256];

		b = walk_range(walkers[w], 0, (unsigned long)p,
			       (unsigned long)p + npages * PAGE, "binary", &len);
		if (!b && w == 1) {
			TH_LOG("walker=kernel refused: %s", strerror(errno));
			break;
		}
		ASSERT_NE(NULL, b) TH_LOG("walker=%s: %s", walkers[w], strerror(errno));
		why = ptwalk_parse(b, len, &st, whybuf, sizeof(whybuf));
		ASSERT_EQ(NULL, why) TH_LOG("%s", why);
		for (off = st.hdr.hdr_size; off + st.hdr.rec_size <= len;
		     off += st.hdr.rec_size, recs++)
			mores += b[off + PTWALK_REC_TYPE_OFFSET] == PTWALK_REC_MORE;
		/* Would catch: writable arm64 entries never folded (DBM in the field). */
		EXPECT_LE(npages / PTWALK_MORE_MAX / 2, mores)
			TH_LOG("walker=%s: %zu records, %zu MOREs for %zu pages",
			       walkers[w], recs, mores, npages);
		ASSERT_EQ(npages, st.n) TH_LOG("walker=%s", walkers[w]);
		for (i = 0; i < npages; i++) {
			const struct ptwalk_rec *e = &st.e[i];
			unsigned long va = (unsigned long)p + i * PAGE;
			uint64_t pfn = ptwalk_pm_pfn(pagemap_entry(0, va));

			ASSERT_EQ(va, e->vaddr) TH_LOG("page %zu", i);
			/* Would catch: a MORE's frame or raw rebuilt wrongly. */
			EXPECT_EQ(pfn, e->pfn) TH_LOG("page %zu", i);
			EXPECT_EQ(pfn << 12, e->raw & ptwalk_raw_pfn_mask(st.hdr.arch))
				TH_LOG("page %zu raw 0x%llx", i, (unsigned long long)e->raw);
			EXPECT_TRUE(!!(e->bits & PTWALK_B_RW)) TH_LOG("page %zu", i);
		}
		TH_LOG("walker=%s: %zu records (%zu MOREs) for %zu pages", walkers[w],
		       recs, mores, npages);
		ptwalk_stream_free(&st);
		free(b);
	}
	munmap(p, npages * PAGE);
}

TEST_HARNESS_MAIN
