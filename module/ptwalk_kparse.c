// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_kparse.c - the kernel's ptdump text (arch/x86/mm/dump_pagetables.c:
 * "---[ NAME ]---" markers, "0xSTART-0xEND   SIZE PROT... LEVEL" ranges,
 * "... N entries skipped ...") into REGION and KRANGE records.
 *
 * Plain C on purpose, like ptwalk_query.c: the same file builds into the
 * module and into the host-side test (user/tests/kparse_test.c), so
 * malformed text is exercised where a crash costs nothing.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "ptwalk_kparse.h"

/* A hex digit's value, or -1 (hex_to_bin() moved to linux/hex.h in 7.x). */
static int ptwalk_xdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parse a hex number "0x..." at *@s; advance past it. */
static bool ptwalk_khex(const char **s, const char *e, __u64 *v)
{
	const char *p = *s;
	__u64 x = 0;
	int n = 0;

	if (e - p < 3 || p[0] != '0' || p[1] != 'x')
		return false;
	for (p += 2; p < e && n < 16; p++, n++) {
		int d = ptwalk_xdigit(*p);

		if (d < 0)
			break;
		x = (x << 4) | d;
	}
	if (!n)
		return false;
	*s = p;
	*v = x;
	return true;
}

static bool ptwalk_kword(const char *w, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(w, word, n);
}

/*
 * One range line of the dump, "0xSTART-0xEND   SIZE PROT... LEVEL" (the
 * format of printk_prot() in arch/x86/mm/dump_pagetables.c).
 * Return: 1 a present range filled in @kr, 0 a hole, -EPROTO not a range.
 */
static int ptwalk_kparse_range(const char *s, const char *e,
			       struct ptwalk_krange *kr, const __u8 *shifts)
{
	static const char *const levels[PTWALK_LVL_PGD + 1] = {
		[PTWALK_LVL_PGD] = "pgd", [PTWALK_LVL_P4D] = "p4d",
		[PTWALK_LVL_PUD] = "pud", [PTWALK_LVL_PMD] = "pmd",
		[PTWALK_LVL_PTE] = "pte",
	};
	bool present = false, size_seen = false, level_seen = false;
	unsigned int i;
	__u32 bits = 0;

	if (!ptwalk_khex(&s, e, &kr->start) || s >= e || *s++ != '-' ||
	    !ptwalk_khex(&s, e, &kr->end))
		return -EPROTO;
	while (s < e) {
		const char *w;
		size_t n;

		while (s < e && *s == ' ')
			s++;
		w = s;
		while (s < e && *s != ' ')
			s++;
		n = s - w;
		if (!n)
			break;
		if (!size_seen) {
			size_seen = true;	/* "4K", "2M": the range's size */
			continue;
		}
		if (level_seen)
			return -EPROTO;
		if (ptwalk_kword(w, n, "USR")) {
			bits |= PTWALK_B_USER;
		} else if (ptwalk_kword(w, n, "RW")) {
			bits |= PTWALK_B_RW;
			present = true;
		} else if (ptwalk_kword(w, n, "ro")) {
			present = true;
		} else if (ptwalk_kword(w, n, "PWT")) {
			bits |= PTWALK_B_PWT;
		} else if (ptwalk_kword(w, n, "PCD")) {
			bits |= PTWALK_B_PCD;
		} else if (ptwalk_kword(w, n, "PSE")) {
			bits |= PTWALK_B_PSE;
		} else if (ptwalk_kword(w, n, "PAT")) {
			bits |= PTWALK_B_PAT;
		} else if (ptwalk_kword(w, n, "GLB")) {
			bits |= PTWALK_B_GLOBAL;
		} else if (ptwalk_kword(w, n, "NX")) {
			bits |= PTWALK_B_NX;
		} else if (ptwalk_kword(w, n, "x")) {
			/* executable */
		} else {
			for (i = 0; i < PTWALK_LVL_PGD + 1U; i++)
				if (ptwalk_kword(w, n, levels[i]))
					break;
			if (i == PTWALK_LVL_PGD + 1U)
				return -EPROTO;
			kr->level = i;
			level_seen = true;
		}
	}
	/* The last range ends at the top: ptdump prints its end as 0. */
	if (!kr->end)
		kr->end = ~0ULL;
	if (!level_seen || kr->end <= kr->start)
		return -EPROTO;
	if (!present)
		return 0;
	kr->bits = bits | PTWALK_B_PRESENT;
	kr->shift = shifts[kr->level];
	kr->type = PTWALK_REC_KRANGE;
	return 1;
}

size_t ptwalk_kparse_lines(const char *text, size_t len)
{
	size_t lines = 1, i;

	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	return lines;
}

int ptwalk_kparse(const char *text, size_t len, union ptwalk_record *recs,
		  size_t cap, size_t *nrecs, const __u8 *shifts)
{
	const char *s = text, *end = text + len;
	struct ptwalk_region *reg = NULL;
	bool reg_started = false;
	__u32 nreg = 0;

	*nrecs = 0;
	while (s < end) {
		const char *e = memchr(s, '\n', end - s);
		union ptwalk_record *r;
		size_t n;

		if (*nrecs >= cap)
			return -EPROTO;
		r = &recs[*nrecs];
		memset(r, 0, sizeof(*r));

		if (!e)
			e = end;
		n = e - s;
		if (n > 9 && !memcmp(s, "---[ ", 5) && !memcmp(e - 5, " ]---", 5)) {
			reg = &r->region;
			reg->type = PTWALK_REC_REGION;
			memcpy(reg->name, s + 5, n - 10 < PTWALK_KDESC_BYTES - 1 ?
			       n - 10 : PTWALK_KDESC_BYTES - 1);
			nreg++;
			(*nrecs)++;
			reg_started = false;
		} else if (n > 4 && !memcmp(s, "... ", 4)) {
			__u32 skipped = 0;
			const char *p = s + 4;

			while (p < e && *p >= '0' && *p <= '9' && skipped < 100000000)
				skipped = skipped * 10 + (*p++ - '0');
			if (reg)
				reg->skipped = skipped;
		} else if (n) {
			int ret = ptwalk_kparse_range(s, e, &r->krange, shifts);

			if (ret < 0 || !reg)
				return -EPROTO;
			if (!reg_started)
				reg->start = r->krange.start;
			reg_started = true;
			if (ret) {
				r->krange.region = nreg - 1;
				reg->ranges++;
				(*nrecs)++;
			} else {
				memset(r, 0, sizeof(*r));
			}
		}
		s = e + 1;
	}
	return 0;
}
