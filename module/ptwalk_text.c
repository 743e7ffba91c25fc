// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_text.c - the entry and run lines of format=text and format=merged,
 * formatted by hand (see ptwalk_text.h).
 *
 * Plain C on purpose, like ptwalk_query.c: the same file builds into the
 * module and into the host-side test that holds it to the bytes of the
 * scnprintf() code it replaced.  The line layout is include/ptwalk.h's.
 */
#include "../include/ptwalk_names.h"
#include "ptwalk_text.h"

/*
 * The hardware bits' names are the architecture's (include/ptwalk.h); the
 * host-side test is x86-64's.
 */
#ifdef CONFIG_ARM64
#define PTWALK_TEXT_BIT_NAMES	ptwalk_arm64_bit_names
#else
#define PTWALK_TEXT_BIT_NAMES	ptwalk_bit_names
#endif

/* The format counts frames in 4 KiB pages whatever the kernel's PAGE_SHIFT. */
#define PTWALK_TEXT_PAGE_SHIFT	12

/*
 * @str up to its NUL, cut at @e.  A byte loop that ends on the data, so
 * the compiler cannot make it a memcpy(): x86's string instructions are
 * what emulation runs slowest, and the pieces are a few bytes each.
 */
static inline char *ptwalk_put(char *s, char *e, const char *str)
{
	while (*str && s < e)
		*s++ = *str++;
	return s;
}

char *ptwalk_put_str(char *s, char *e, const char *str)
{
	return ptwalk_put(s, e, str);
}

char *ptwalk_put_hex(char *s, char *e, u64 v, unsigned int width)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[32], *p = tmp + sizeof(tmp) - 1;
	unsigned int n = 0;

	*p = '\0';

	do {
		*--p = digits[v & 0xf];
		v >>= 4;
		n++;
	} while (v);
	while (n < width && n < sizeof(tmp) - 1) {
		*--p = '0';
		n++;
	}
	return ptwalk_put(s, e, p);
}

char *ptwalk_put_udec(char *s, char *e, u64 v)
{
	char tmp[24], *p = tmp + sizeof(tmp) - 1;

	*p = '\0';
	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	return ptwalk_put(s, e, p);
}

char *ptwalk_put_sdec(char *s, char *e, long long v)
{
	if (v >= 0)
		return ptwalk_put_udec(s, e, v);
	s = ptwalk_put(s, e, "-");
	return ptwalk_put_udec(s, e, -(u64)v);
}

char *ptwalk_put_names(char *s, char *e, u32 v, u32 mask, const char *const *tab)
{
	bool any = false;
	u32 m = v & mask;

	/* The set bits in ascending order, as a loop over all 32 would. */
	while (m) {
		unsigned int i = __builtin_ctz(m);

		m &= m - 1;
		if (!tab[i])
			continue;
		if (any)
			s = ptwalk_put(s, e, ",");
		s = ptwalk_put(s, e, tab[i]);
		any = true;
	}
	return any ? s : ptwalk_put(s, e, "-");
}

static const char *ptwalk_text_size(unsigned int shift)
{
	return shift == 30 ? "1G" : shift == 21 ? "2M" : "4K";
}

/* " hw=..." of a present entry: the PAT bit by its name at the entry's level. */
static char *ptwalk_text_hw(char *s, char *e, u32 hw, u32 pat)
{
	s = ptwalk_put(s, e, " hw=");
	s = ptwalk_put_names(s, e, hw & ~pat, PTWALK_B_HW_MASK, PTWALK_TEXT_BIT_NAMES);
	return hw & pat ? ptwalk_put(s, e, ",PAT") : s;
}

static char *ptwalk_text_present_rest(char *s, char *e, const struct ptwalk_rec *r,
				      bool merged, u32 pat, bool hidden);

/* A present entry's attributes after " kind=present". */
static char *ptwalk_text_present(char *s, char *e, const struct ptwalk_rec *r,
				 bool merged, unsigned long pages, u32 pat,
				 bool hidden)
{
	s = ptwalk_put(s, e, " pfn=0x");
	s = ptwalk_put_hex(s, e, r->pfn, 0);
	if (merged && pages > 1) {
		s = ptwalk_put(s, e, "-0x");
		s = ptwalk_put_hex(s, e, r->pfn + (((u64)pages << (r->shift -
					PTWALK_TEXT_PAGE_SHIFT)) - 1), 0);
	}
	return ptwalk_text_present_rest(s, e, r, merged, pat, hidden);
}

/* What follows a present entry's pfn= (and a run's frame range). */
static char *ptwalk_text_present_rest(char *s, char *e, const struct ptwalk_rec *r,
				      bool merged, u32 pat, bool hidden)
{
	bool page = !(r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO));

	s = ptwalk_text_hw(s, e, r->bits & PTWALK_B_HW_MASK, pat);
	s = ptwalk_put(s, e, " sw=");
	s = ptwalk_put_names(s, e, r->bits, PTWALK_B_SW_MASK, PTWALK_TEXT_BIT_NAMES);
	s = ptwalk_put(s, e, " pkey=");
	s = ptwalk_put_udec(s, e, r->pkey);
	s = ptwalk_put(s, e, " page=");
	s = ptwalk_put_names(s, e, r->page, ~PTWALK_P_PGFLAGS_MASK,
			     ptwalk_page_names);
	if (r->page & PTWALK_P_HIDDEN) {
		s = ptwalk_put(s, e, " node=");
		s = ptwalk_put_sdec(s, e, r->node);
	} else if (page) {
		s = ptwalk_put(s, e, " order=");
		s = ptwalk_put_udec(s, e, r->order);
		if (!merged) {
			s = ptwalk_put(s, e, " sub=");
			s = ptwalk_put_udec(s, e, r->subpage);
			s = ptwalk_put(s, e, " map=");
			s = ptwalk_put_sdec(s, e, r->mapcount);
			s = ptwalk_put(s, e, " ref=");
			s = ptwalk_put_sdec(s, e, r->refcount);
		}
		s = ptwalk_put(s, e, " node=");
		s = ptwalk_put_sdec(s, e, r->node);
	}
	if (!hidden && page) {
		s = ptwalk_put(s, e, " pg=");
		s = ptwalk_put_names(s, e, r->page, PTWALK_P_PGFLAGS_MASK,
				     ptwalk_page_names);
	}
	s = ptwalk_put(s, e, " cow=");
	return ptwalk_put(s, e, ptwalk_cow_name(r->cow));
}

/* The attributes of a record after its address: " kind=... cow=...". */
static char *ptwalk_text_attrs(char *s, char *e, const struct ptwalk_rec *r,
			       bool merged, unsigned long pages, u32 pat,
			       bool hidden)
{
	u32 sw = r->bits & PTWALK_B_SW_MASK;

	s = ptwalk_put(s, e, " kind=");
	s = ptwalk_put(s, e, ptwalk_kind_name(r->kind));
	switch (r->kind) {
	case PTWALK_K_PRESENT:
		return ptwalk_text_present(s, e, r, merged, pages, pat, hidden);
	case PTWALK_K_SWAP:
		s = ptwalk_put(s, e, " type=");
		s = ptwalk_put_udec(s, e, r->swap_type);
		s = ptwalk_put(s, e, " offset=0x");
		s = ptwalk_put_hex(s, e, r->swap_offset, 0);
		s = ptwalk_put(s, e, " sw=");
		return ptwalk_put_names(s, e, sw, ~0U, PTWALK_TEXT_BIT_NAMES);
	case PTWALK_K_MIGRATION:
		s = ptwalk_put(s, e, " mig=");
		s = ptwalk_put(s, e, ptwalk_name(ptwalk_mig_names,
						     PTWALK_ARRAY_LEN(ptwalk_mig_names),
						     r->sub));
		s = ptwalk_put(s, e, " pfn=0x");
		s = ptwalk_put_hex(s, e, r->pfn, 0);
		s = ptwalk_put(s, e, " sw=");
		return ptwalk_put_names(s, e, sw, ~0U, PTWALK_TEXT_BIT_NAMES);
	case PTWALK_K_MARKER:
		s = ptwalk_put(s, e, " marker=");
		return ptwalk_put_names(s, e, r->sub, 0x7, ptwalk_marker_names);
	case PTWALK_K_DEVICE_PRIVATE:
	case PTWALK_K_DEVICE_EXCL:
	case PTWALK_K_HWPOISON:
		s = ptwalk_put(s, e, " pfn=0x");
		return ptwalk_put_hex(s, e, r->pfn, 0);
	default:
		return s;
	}
}

char *ptwalk_text_entry(char *s, char *e, const struct ptwalk_rec *r, u32 pat,
			bool hidden)
{
	s = ptwalk_put(s, e, "0x");
	s = ptwalk_put_hex(s, e, r->vaddr, 12);
	s = ptwalk_put(s, e, " ");
	s = ptwalk_put(s, e, ptwalk_text_size(r->shift));
	s = ptwalk_put(s, e, " ");
	s = ptwalk_put(s, e, ptwalk_level_name(r->level));
	s = ptwalk_put(s, e, " raw=0x");
	s = ptwalk_put_hex(s, e, r->raw, 16);
	return ptwalk_text_attrs(s, e, r, false, 1, pat, hidden);
}

char *ptwalk_text_run(char *s, char *e, const struct ptwalk_rec *r,
		      unsigned long pages, u32 pat, bool hidden)
{
	s = ptwalk_put(s, e, "0x");
	s = ptwalk_put_hex(s, e, r->vaddr, 12);
	s = ptwalk_put(s, e, "-0x");
	s = ptwalk_put_hex(s, e, r->vaddr + ((u64)pages << r->shift), 12);
	s = ptwalk_put(s, e, " ");
	s = ptwalk_put_udec(s, e, pages);
	s = ptwalk_put(s, e, "x");
	s = ptwalk_put(s, e, ptwalk_text_size(r->shift));
	s = ptwalk_put(s, e, " ");
	s = ptwalk_put(s, e, ptwalk_level_name(r->level));
	return ptwalk_text_attrs(s, e, r, true, pages, pat, hidden);
}

char *ptwalk_text_tail(char *s, char *e, const struct ptwalk_rec *r,
		       bool merged, u32 pat, bool hidden)
{
	return ptwalk_text_present_rest(s, e, r, merged, pat, hidden);
}

/*
 * Hide @v from the optimiser: the word loop below must stay a loop of
 * 8-byte moves, not become a memcpy() call (a string instruction).
 */
static inline u64 ptwalk_text_hide(u64 v)
{
	__asm__ ("" : "+r" (v));
	return v;
}

/* "%0*llx" of @v forward, no bound: the caller has the room. */
static inline char *ptwalk_text_hex_fast(char *s, u64 v, unsigned int width)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int n = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;
	char *p;

	if (n < width)
		n = width;
	p = s + n;
	while (p > s) {
		*--p = digits[v & 0xf];
		v >>= 4;
	}
	return s + n;
}

/* A constant piece, forward, no bound. */
static inline char *ptwalk_text_lit(char *s, const char *str)
{
	while (*str)
		*s++ = *str++;
	return s;
}

/* "%llu" of @v forward, no bound. */
static inline char *ptwalk_text_udec_fast(char *s, u64 v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	while (p < tmp + sizeof(tmp))
		*s++ = *p++;
	return s;
}

/* The tail by words; its buffer and the room are rounded up to 8. */
static inline char *ptwalk_text_copy_tail(char *s, const char *tail,
					  unsigned int tail_len)
{
	unsigned int i;

	for (i = 0; i < tail_len; i += 8) {
		u64 w;

		__builtin_memcpy(&w, tail + i, 8);
		w = ptwalk_text_hide(w);
		__builtin_memcpy(s + i, &w, 8);
	}
	return s + tail_len;
}

char *ptwalk_text_run_fast(char *s, const struct ptwalk_rec *r,
			   unsigned long pages, const char *tail,
			   unsigned int tail_len)
{
	*s++ = '0';
	*s++ = 'x';
	s = ptwalk_text_hex_fast(s, r->vaddr, 12);
	s = ptwalk_text_lit(s, "-0x");
	s = ptwalk_text_hex_fast(s, r->vaddr + ((u64)pages << r->shift), 12);
	*s++ = ' ';
	s = ptwalk_text_udec_fast(s, pages);
	*s++ = 'x';
	s = ptwalk_text_lit(s, ptwalk_text_size(r->shift));
	*s++ = ' ';
	s = ptwalk_text_lit(s, ptwalk_level_name(r->level));
	s = ptwalk_text_lit(s, " kind=present pfn=0x");
	s = ptwalk_text_hex_fast(s, r->pfn, 0);
	if (pages > 1) {
		s = ptwalk_text_lit(s, "-0x");
		s = ptwalk_text_hex_fast(s, r->pfn + (((u64)pages << (r->shift -
					 PTWALK_TEXT_PAGE_SHIFT)) - 1), 0);
	}
	return ptwalk_text_copy_tail(s, tail, tail_len);
}

char *ptwalk_text_entry_fast(char *s, const struct ptwalk_rec *r,
			     const char *tail, unsigned int tail_len)
{
	*s++ = '0';
	*s++ = 'x';
	s = ptwalk_text_hex_fast(s, r->vaddr, 12);
	*s++ = ' ';
	s = ptwalk_text_lit(s, ptwalk_text_size(r->shift));
	*s++ = ' ';
	s = ptwalk_text_lit(s, ptwalk_level_name(r->level));
	s = ptwalk_text_lit(s, " raw=0x");
	s = ptwalk_text_hex_fast(s, r->raw, 16);
	s = ptwalk_text_lit(s, " kind=present pfn=0x");
	s = ptwalk_text_hex_fast(s, r->pfn, 0);
	return ptwalk_text_copy_tail(s, tail, tail_len);
}
