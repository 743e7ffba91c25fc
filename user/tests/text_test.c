// SPDX-License-Identifier: GPL-2.0
/*
 * text_test - module/ptwalk_text.c, the hand-rolled entry and run lines of
 * format=text and format=merged, against the scnprintf() code they
 * replaced (copied below as it was in module/ptwalk_fmt.c, commit
 * 148355b, with a user-space scnprintf()): the same bytes for every kind,
 * level, size, view and field value, and the same cut when a line does
 * not fit.  Built on the host from the module's own file, like query_test.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ptwalk_names.h"
#include "ptwalk_text.h"

/* ---- the old formatter, as it was (only scnprintf and the arch rule are shims) ---- */

#define PAGE_SHIFT	12
typedef uint64_t u64_old;

static int scnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!size)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < 0 ? 0 : (size_t)n >= size ? (int)size - 1 : n;
}

static u32 ptwalk_arch_pat_bit(int level)
{
	return level == PTWALK_LVL_PTE ? PTWALK_B_PSE : 0;
}

static char *old_names(char *s, char *e, u32 v, u32 mask, const char *const *tab)
{
	bool any = false;
	int i;

	for (i = 0; i < 32; i++) {
		if (!(v & mask & (1U << i)) || !tab[i])
			continue;
		s += scnprintf(s, e - s, "%s%s", any ? "," : "", tab[i]);
		any = true;
	}
	if (!any)
		s += scnprintf(s, e - s, "-");
	return s;
}

static const char *old_size_name(unsigned int shift)
{
	return shift == 30 ? "1G" : shift == 21 ? "2M" : "4K";
}

static char *old_fmt_hw(char *s, char *e, u32 hw, int level)
{
	u32 pat = ptwalk_arch_pat_bit(level);

	s += scnprintf(s, e - s, " hw=");
	s = old_names(s, e, hw & ~pat, PTWALK_B_HW_MASK, ptwalk_bit_names);
	if (hw & pat)
		s += scnprintf(s, e - s, ",PAT");
	return s;
}

static char *old_fmt_present(char *s, char *e, const struct ptwalk_rec *r,
			     bool merged, unsigned long pages, bool hidden)
{
	bool page = !(r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO));

	if (merged && pages > 1)
		s += scnprintf(s, e - s, " pfn=0x%llx-0x%llx", r->pfn,
			       r->pfn + ((pages << (r->shift - PAGE_SHIFT)) - 1));
	else
		s += scnprintf(s, e - s, " pfn=0x%llx", r->pfn);
	s = old_fmt_hw(s, e, r->bits & PTWALK_B_HW_MASK, r->level);
	s += scnprintf(s, e - s, " sw=");
	s = old_names(s, e, r->bits, PTWALK_B_SW_MASK, ptwalk_bit_names);
	s += scnprintf(s, e - s, " pkey=%u page=", r->pkey);
	s = old_names(s, e, r->page, ~PTWALK_P_PGFLAGS_MASK,
		      ptwalk_page_names);
	if (r->page & PTWALK_P_HIDDEN)
		s += scnprintf(s, e - s, " node=%d", r->node);
	else if (page && merged)
		s += scnprintf(s, e - s, " order=%u node=%d", r->order, r->node);
	else if (page)
		s += scnprintf(s, e - s, " order=%u sub=%u map=%d ref=%d node=%d",
			       r->order, r->subpage, r->mapcount, r->refcount,
			       r->node);
	if (!hidden && page) {
		s += scnprintf(s, e - s, " pg=");
		s = old_names(s, e, r->page, PTWALK_P_PGFLAGS_MASK,
			      ptwalk_page_names);
	}
	return s + scnprintf(s, e - s, " cow=%s", ptwalk_cow_name(r->cow));
}

static char *old_fmt_attrs(char *s, char *e, const struct ptwalk_rec *r,
			   bool merged, unsigned long pages, bool hidden)
{
	const char *const *bits = ptwalk_bit_names;
	u32 sw = r->bits & PTWALK_B_SW_MASK;

	s += scnprintf(s, e - s, " kind=%s", ptwalk_kind_name(r->kind));
	switch (r->kind) {
	case PTWALK_K_PRESENT:
		return old_fmt_present(s, e, r, merged, pages, hidden);
	case PTWALK_K_SWAP:
		s += scnprintf(s, e - s, " type=%u offset=0x%llx sw=",
			       r->swap_type, r->swap_offset);
		return old_names(s, e, sw, ~0U, bits);
	case PTWALK_K_MIGRATION:
		s += scnprintf(s, e - s, " mig=%s pfn=0x%llx sw=",
			       ptwalk_name(ptwalk_mig_names,
					   PTWALK_ARRAY_LEN(ptwalk_mig_names), r->sub),
			       r->pfn);
		return old_names(s, e, sw, ~0U, bits);
	case PTWALK_K_MARKER:
		s += scnprintf(s, e - s, " marker=");
		return old_names(s, e, r->sub, 0x7, ptwalk_marker_names);
	case PTWALK_K_DEVICE_PRIVATE:
	case PTWALK_K_DEVICE_EXCL:
	case PTWALK_K_HWPOISON:
		return s + scnprintf(s, e - s, " pfn=0x%llx", r->pfn);
	default:
		return s;
	}
}

/* The old ptwalk_text_entry()'s line, in a buffer of @size (512 then). */
static size_t old_entry(char *line, size_t size, const struct ptwalk_rec *r, bool hidden)
{
	char *s = line, *e = line + size;

	s += scnprintf(s, e - s, "0x%012llx %s %s raw=0x%016llx", r->vaddr,
		       old_size_name(r->shift),
		       ptwalk_level_name(r->level),
		       r->raw);
	s = old_fmt_attrs(s, e, r, false, 1, hidden);
	return s - line;
}

/* The old ptwalk_flush_run()'s line. */
static size_t old_run(char *line, size_t size, const struct ptwalk_rec *r,
		      unsigned long run_pages, bool hidden)
{
	char *s = line, *e = line + size;

	s += scnprintf(s, e - s, "0x%012llx-0x%012llx %lux%s %s", r->vaddr,
		       r->vaddr + (run_pages << r->shift), run_pages,
		       old_size_name(r->shift),
		       ptwalk_level_name(r->level));
	s = old_fmt_attrs(s, e, r, true, run_pages, hidden);
	return s - line;
}

/* ---- records ---- */

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

/* A value that is often an edge: 0, 1, small, all ones, the type's extremes. */
static uint64_t edgy(unsigned int bits)
{
	uint64_t m = bits == 64 ? ~0ULL : (1ULL << bits) - 1;

	switch (rnd() % 7) {
	case 5: return rnd() % 16 & m;
	case 0: return 0;
	case 1: return 1;
	case 2: return m;
	case 3: return m >> 1;
	case 4: return (m >> 1) + 1;
	default: return rnd() & m;
	}
}

static const unsigned int shifts[] = { 12, 21, 30 };

static struct ptwalk_rec any_rec(void)
{
	struct ptwalk_rec r = { .type = PTWALK_REC_ENTRY };

	r.vaddr = rnd() % 3 ? edgy(48) : edgy(57);
	r.raw = edgy(64);
	r.pfn = edgy(rnd() % 2 ? 40 : 64);
	r.swap_offset = edgy(64);
	r.bits = rnd() % 2 ? (uint32_t)rnd() : (uint32_t)edgy(32);
	r.page = rnd() % 2 ? (uint32_t)rnd() : (uint32_t)edgy(32);
	if (rnd() % 3 == 0)
		r.page &= ~(PTWALK_P_HIDDEN | PTWALK_P_NOPAGE | PTWALK_P_ZERO);
	r.mapcount = (int32_t)edgy(32);
	r.refcount = (int32_t)edgy(32);
	r.level = rnd() % 7;		/* 5, 6: not a level */
	r.kind = rnd() % 12;		/* 10, 11: not a kind */
	r.shift = shifts[rnd() % 3];
	r.order = (uint8_t)edgy(8);
	r.cow = rnd() % 8;		/* 6, 7: not a verdict */
	r.sub = (uint8_t)edgy(8);
	r.pkey = (uint8_t)edgy(8);
	r.swap_type = (uint16_t)edgy(16);
	r.node = rnd() % 3 ? -1 : (int16_t)edgy(16);
	r.subpage = (uint32_t)edgy(32);
	return r;
}

/* Old and new bytes of one line, cut to @width bytes (old: a buffer of width + 1). */
static int same(const struct ptwalk_rec *r, bool merged, unsigned long pages, bool hidden,
		size_t width, char *why, size_t len)
{
	char a[1024], b[1024];
	size_t na, nb;

	memset(b, 0x5a, sizeof(b));
	if (merged) {
		na = old_run(a, width + 1, r, pages, hidden);
		nb = ptwalk_text_run(b, b + width, r, pages, ptwalk_arch_pat_bit(r->level),
				     hidden) - b;
	} else {
		na = old_entry(a, width + 1, r, hidden);
		nb = ptwalk_text_entry(b, b + width, r, ptwalk_arch_pat_bit(r->level),
				       hidden) - b;
	}
	if (b[width] != 0x5a) {
		snprintf(why, len, "wrote past the end at width %zu", width);
		return 0;
	}
	if (na == nb && !memcmp(a, b, na))
		return 1;
	snprintf(why, len, "width %zu merged %d pages %lu hidden %d\n# old %.*s\n# new %.*s",
		 width, merged, pages, hidden, (int)na, a, (int)nb, b);
	return 0;
}

/* Every kind in every view on edge values and random ones: 200,000 lines each way. */
TEST(same_bytes_as_scnprintf)
{
	char why[2600];
	int i, bad = 0;

	for (i = 0; i < 200000 && bad < 5; i++) {
		struct ptwalk_rec r = any_rec();
		unsigned long pages = rnd() % 4 ? 1 + rnd() % 3 : (unsigned long)edgy(20) + 1;
		bool hidden = rnd() % 2;

		if (!same(&r, false, 1, hidden, PTWALK_LINE_MAX - 1, why, sizeof(why)) ||
		    !same(&r, true, pages, hidden, PTWALK_LINE_MAX - 1, why, sizeof(why))) {
			bad++;
			TH_LOG("%s", why);
		}
	}
	EXPECT_EQ(0, bad);
}

/* The states the module really reports, one record each, as a sanity anchor. */
TEST(known_lines)
{
	struct ptwalk_rec r = {
		.type = PTWALK_REC_ENTRY, .vaddr = 0x7f0000001000ULL, .raw = 0x8000000123456867ULL,
		.pfn = 0x123456, .bits = PTWALK_B_PRESENT | PTWALK_B_RW | PTWALK_B_USER |
		PTWALK_B_ACCESSED | PTWALK_B_DIRTY | PTWALK_B_NX | PTWALK_B_SOFT_DIRTY,
		.page = PTWALK_P_ANON | PTWALK_P_ANON_EXCL | PTWALK_P_LRU, .mapcount = 1,
		.refcount = 1, .level = PTWALK_LVL_PTE, .kind = PTWALK_K_PRESENT, .shift = 12,
		.cow = PTWALK_COW_WRITABLE, .node = 0,
	};
	char b[PTWALK_LINE_MAX];
	size_t n;

	n = ptwalk_text_entry(b, b + sizeof(b) - 1, &r, PTWALK_B_PSE, false) - b;
	b[n] = '\0';
	EXPECT_STREQ("0x7f0000001000 4K pte raw=0x8000000123456867 kind=present pfn=0x123456 "
		     "hw=P,W,U,A,D,NX sw=sd pkey=0 page=anon,excl order=0 sub=0 map=1 "
		     "ref=1 node=0 pg=lru cow=writable", b);
	r.kind = PTWALK_K_SWAP;
	r.swap_type = 1;
	r.swap_offset = 0x50;
	r.bits = PTWALK_B_SWP_EXCL;
	n = ptwalk_text_run(b, b + sizeof(b) - 1, &r, 3, 0, false) - b;
	b[n] = '\0';
	EXPECT_STREQ("0x7f0000001000-0x7f0000004000 3x4K pte kind=swap type=1 offset=0x50 "
		     "sw=swp-excl", b);
}

/* Cut anywhere: the same prefix as scnprintf() into a shorter buffer, nothing past it. */
TEST(same_cut_when_short)
{
	char why[2600];
	int i, bad = 0;

	for (i = 0; i < 20000 && bad < 5; i++) {
		struct ptwalk_rec r = any_rec();
		size_t width = rnd() % 300;

		if (!same(&r, rnd() % 2, 1 + rnd() % 1000, rnd() % 2, width, why, sizeof(why))) {
			bad++;
			TH_LOG("%s", why);
		}
	}
	EXPECT_EQ(0, bad);
}

/*
 * The memo's fast path (ptwalk_fmt.c's ptwalk_put_line()): a present
 * entry's or run's head written by hand plus the tail made once, copied by
 * words, is ptwalk_text_entry()'s or ptwalk_text_run()'s line whenever the
 * total fits a line; and the copy stays within the rounded-up room it is
 * given.
 */
TEST(fast_lines_same_bytes)
{
	static char tail[PTWALK_LINE_MAX] __attribute__((aligned(8)));
	char a[1024], b[1024];
	int i, bad = 0, fast = 0;

	for (i = 0; i < 400000 && bad < 5; i++) {
		struct ptwalk_rec r = any_rec();
		bool hidden = rnd() % 2, merged = rnd() % 2;
		unsigned long pages = rnd() % 4 ? 1 + rnd() % 3 : (unsigned long)edgy(20) + 1;
		uint32_t pat = ptwalk_arch_pat_bit(r.level);
		size_t na, nb, tl, room;

		r.kind = PTWALK_K_PRESENT;
		if (rnd() % 2) {	/* what a memo holds: a PTE */
			r.level = PTWALK_LVL_PTE;
			r.shift = 12;
		}
		memset(tail, 0x33, sizeof(tail));
		tl = ptwalk_text_tail(tail, tail + PTWALK_LINE_MAX - 8, &r, merged, pat,
				      hidden) - tail;
		if (merged)
			na = ptwalk_text_run(a, a + PTWALK_LINE_MAX - 1, &r, pages, pat,
					     hidden) - a;
		else
			na = ptwalk_text_entry(a, a + PTWALK_LINE_MAX - 1, &r, pat, hidden) - a;
		if (tl + PTWALK_TEXT_HEAD_MAX > PTWALK_LINE_MAX - 1)
			continue;
		fast++;
		memset(b, 0x5a, sizeof(b));
		if (merged)
			nb = ptwalk_text_run_fast(b, &r, pages, tail, tl) - b;
		else
			nb = ptwalk_text_entry_fast(b, &r, tail, tl) - b;
		room = PTWALK_TEXT_HEAD_MAX + ((tl + 7) & ~7UL);
		if (nb + 1 > room || b[room] != 0x5a) {
			TH_LOG("fast line past its room: %zu bytes, tail %zu", nb, tl);
			bad++;
		} else if (na != nb || memcmp(a, b, na)) {
			TH_LOG("merged %d pages %lu\n# slow %.*s\n# fast %.*s", merged, pages,
			       (int)na, a, (int)nb, b);
			bad++;
		}
	}
	EXPECT_EQ(0, bad);
	EXPECT_GT(fast, 100000);
}

/* The number helpers at their extremes, against printf. */
TEST(numbers)
{
	static const long long s[] = { 0, 1, -1, 9, 10, -10, INT_MIN, INT_MAX, LLONG_MIN, LLONG_MAX };
	static const unsigned long long u[] = { 0, 1, 9, 10, 0xf, 0x10, 0xffffffffULL, ~0ULL };
	char a[128], b[128];
	size_t i, n;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		snprintf(a, sizeof(a), "%lld", s[i]);
		n = ptwalk_put_sdec(b, b + sizeof(b), s[i]) - b;
		b[n] = '\0';
		EXPECT_STREQ(a, b);
	}
	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		snprintf(a, sizeof(a), "%llu %llx %012llx %016llx", u[i], u[i], u[i], u[i]);
		n = ptwalk_put_udec(b, b + sizeof(b), u[i]) - b;
		b[n++] = ' ';
		n = ptwalk_put_hex(b + n, b + sizeof(b), u[i], 0) - b;
		b[n++] = ' ';
		n = ptwalk_put_hex(b + n, b + sizeof(b), u[i], 12) - b;
		b[n++] = ' ';
		n = ptwalk_put_hex(b + n, b + sizeof(b), u[i], 16) - b;
		b[n] = '\0';
		EXPECT_STREQ(a, b);
	}
}

TEST_HARNESS_MAIN
