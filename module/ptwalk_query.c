// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_query.c - parse "pid=N addr=A format=text ..." query lines.
 *
 * Plain C on purpose: the same file builds into the module and into the
 * host-side unit tests and fuzzer (user/tests), so hostile input is
 * exercised where a crash costs nothing.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "../include/ptwalk.h"
#include "ptwalk_query.h"

static bool ptwalk_is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse an unsigned number: 0x-prefixed hex or decimal, no overflow. */
static int ptwalk_parse_u64(const char *s, size_t n, u64 *out)
{
	unsigned int base = 10;
	u64 v = 0;
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return -EINVAL;
	for (; i < n; i++) {
		unsigned int d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		if (v > (~0ULL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static bool ptwalk_word_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

/* What has been seen of a query so far. */
struct ptwalk_parse {
	struct ptwalk_query *q;
	bool seen_start;
	bool seen_end;
	bool seen_fmt;
	bool seen_walker;
	const char *why;
};

static int ptwalk_bad(struct ptwalk_parse *p, const char *why)
{
	p->why = why;
	return -EINVAL;
}

/* The index of @val in @words (NULL terminated), or -1. */
static int ptwalk_pick(const char *val, size_t vlen, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (ptwalk_word_is(val, vlen, words[i]))
			return i;
	return -1;
}

static int ptwalk_key_pid(struct ptwalk_parse *p, const char *val, size_t vlen)
{
	u64 v;

	if (p->q->has_pid)
		return ptwalk_bad(p, "pid given twice");
	p->q->has_pid = true;
	if (ptwalk_word_is(val, vlen, "self")) {
		p->q->pid = 0;
		return 0;
	}
	if (ptwalk_parse_u64(val, vlen, &v) || v == 0 || v > 0x3fffffff)
		return ptwalk_bad(p, "pid must be a positive number or 'self'");
	p->q->pid = (s32)v;
	return 0;
}

static int ptwalk_key_addr(struct ptwalk_parse *p, const char *val, size_t vlen)
{
	u64 v;

	if (p->q->single || p->seen_start || p->seen_end || p->q->who)
		return ptwalk_bad(p, "addr conflicts with another addr/range");
	if (ptwalk_parse_u64(val, vlen, &v))
		return ptwalk_bad(p, "addr is not a number");
	p->q->single = true;
	p->q->start = v;
	p->q->end = v + 1;
	return 0;
}

static int ptwalk_key_bound(struct ptwalk_parse *p, bool is_start,
			    const char *val, size_t vlen)
{
	u64 v;

	if (p->q->single || p->q->who ||
	    (is_start ? p->seen_start : p->seen_end))
		return ptwalk_bad(p, "start/end given twice or with addr/range");
	if (ptwalk_parse_u64(val, vlen, &v))
		return ptwalk_bad(p, "start/end is not a number");
	if (is_start) {
		p->seen_start = true;
		p->q->start = v;
	} else {
		p->seen_end = true;
		p->q->end = v;
	}
	return 0;
}

static int ptwalk_key_range(struct ptwalk_parse *p, const char *val, size_t vlen)
{
	size_t d;

	if (p->q->single || p->seen_start || p->seen_end || p->q->who)
		return ptwalk_bad(p, "range conflicts with addr/start/end");
	for (d = 0; d < vlen && val[d] != '-'; d++)
		;
	if (d == vlen || ptwalk_parse_u64(val, d, &p->q->start) ||
	    ptwalk_parse_u64(val + d + 1, vlen - d - 1, &p->q->end))
		return ptwalk_bad(p, "range must be START-END");
	p->seen_start = true;
	p->seen_end = true;
	return 0;
}

/* pfn=N or pfn=A-B: who maps frame N, or frames [A, B). */
static int ptwalk_key_pfn(struct ptwalk_parse *p, const char *val, size_t vlen)
{
	size_t d;

	if (p->q->who)
		return ptwalk_bad(p, "pfn given twice");
	if (p->q->single || p->seen_start || p->seen_end)
		return ptwalk_bad(p, "pfn conflicts with addr/start/end/range");
	for (d = 0; d < vlen && val[d] != '-'; d++)
		;
	if (ptwalk_parse_u64(val, d, &p->q->start))
		return ptwalk_bad(p, "pfn must be N or A-B");
	if (d == vlen)
		p->q->end = p->q->start + 1;
	else if (ptwalk_parse_u64(val + d + 1, vlen - d - 1, &p->q->end))
		return ptwalk_bad(p, "pfn must be N or A-B");
	if (p->q->start >= p->q->end)
		return ptwalk_bad(p, "pfn range A-B needs A below B");
	if (p->q->end - p->q->start > PTWALK_WHO_MAX_FRAMES)
		return ptwalk_bad(p, "pfn range larger than 512 frames");
	p->q->who = true;
	return 0;
}

static int ptwalk_key_format(struct ptwalk_parse *p, const char *val, size_t vlen)
{
	/* Indexed by enum ptwalk_format. */
	static const char *const formats[] = { "text", "merged", "binary", "summary",
					       NULL };
	int f;

	if (p->seen_fmt)
		return ptwalk_bad(p, "format given twice");
	p->seen_fmt = true;
	f = ptwalk_pick(val, vlen, formats);
	if (f < 0)
		return ptwalk_bad(p, "format must be text, merged, binary or summary");
	p->q->format = f;
	return 0;
}

static int ptwalk_key_walker(struct ptwalk_parse *p, const char *val, size_t vlen)
{
	static const char *const names[] = { "auto", "kernel", "builtin", NULL };
	static const int walkers[] = {
		PTWALK_WALKER_DEFAULT, PTWALK_WALKER_KERNEL, PTWALK_WALKER_BUILTIN,
	};
	int w;

	if (p->seen_walker)
		return ptwalk_bad(p, "walker given twice");
	p->seen_walker = true;
	w = ptwalk_pick(val, vlen, names);
	if (w < 0)
		return ptwalk_bad(p, "walker must be auto, kernel or builtin");
	p->q->walker = walkers[w];
	return 0;
}

/* kernel=1 and user=1: a flag, given once, 1 only. */
static int ptwalk_key_flag(struct ptwalk_parse *p, bool *flag, const char *val,
			   size_t vlen)
{
	if (*flag)
		return ptwalk_bad(p, "kernel= or user= given twice");
	if (!ptwalk_word_is(val, vlen, "1"))
		return ptwalk_bad(p, "kernel= and user= take 1");
	*flag = true;
	return 0;
}

static int ptwalk_key_kaddr(struct ptwalk_parse *p, const char *val, size_t vlen)
{
	u64 v;

	if (p->q->kaddr)
		return ptwalk_bad(p, "kaddr given twice");
	if (ptwalk_parse_u64(val, vlen, &v))
		return ptwalk_bad(p, "kaddr is not a number");
	p->q->kaddr = true;
	p->q->start = v;
	p->q->end = v;
	return 0;
}

/* One key=value word. */
static int ptwalk_parse_word(struct ptwalk_parse *p, const char *key,
			     size_t klen, const char *val, size_t vlen)
{
	if (ptwalk_word_is(key, klen, "pid"))
		return ptwalk_key_pid(p, val, vlen);
	if (ptwalk_word_is(key, klen, "addr"))
		return ptwalk_key_addr(p, val, vlen);
	if (ptwalk_word_is(key, klen, "start"))
		return ptwalk_key_bound(p, true, val, vlen);
	if (ptwalk_word_is(key, klen, "end"))
		return ptwalk_key_bound(p, false, val, vlen);
	if (ptwalk_word_is(key, klen, "range"))
		return ptwalk_key_range(p, val, vlen);
	if (ptwalk_word_is(key, klen, "pfn"))
		return ptwalk_key_pfn(p, val, vlen);
	if (ptwalk_word_is(key, klen, "format"))
		return ptwalk_key_format(p, val, vlen);
	if (ptwalk_word_is(key, klen, "walker"))
		return ptwalk_key_walker(p, val, vlen);
	if (ptwalk_word_is(key, klen, "kernel"))
		return ptwalk_key_flag(p, &p->q->kernel, val, vlen);
	if (ptwalk_word_is(key, klen, "user"))
		return ptwalk_key_flag(p, &p->q->kpti, val, vlen);
	if (ptwalk_word_is(key, klen, "kaddr"))
		return ptwalk_key_kaddr(p, val, vlen);
	return ptwalk_bad(p, "unknown key (pid addr start end range pfn format walker kernel user kaddr)");
}

/* One line of printable ASCII (@len without the trailing newline). */
static int ptwalk_check_bytes(struct ptwalk_parse *p, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (!ptwalk_is_space(c) && (c < 0x21 || c > 0x7e))
			return ptwalk_bad(p, c == '\n' ? "one query per write, on one line" :
					  "query contains a non-printable byte");
	}
	return 0;
}

/* Split the line into key=value words and parse each. */
static int ptwalk_parse_words(struct ptwalk_parse *p, const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *key, *val;
		size_t klen, vlen, j;
		int err;

		while (i < len && ptwalk_is_space(buf[i]))
			i++;
		if (i == len)
			break;
		key = buf + i;
		for (j = i; j < len && !ptwalk_is_space(buf[j]) && buf[j] != '='; j++)
			;
		klen = j - i;
		if (j == len || buf[j] != '=')
			return ptwalk_bad(p, "expected key=value");
		val = buf + j + 1;
		for (i = j + 1; i < len && !ptwalk_is_space(buf[i]); i++)
			;
		vlen = buf + i - val;
		if (!vlen)
			return ptwalk_bad(p, "empty value after '='");
		err = ptwalk_parse_word(p, key, klen, val, vlen);
		if (err)
			return err;
	}
	return 0;
}

/* The rules between words, once all are read. */
static int ptwalk_check_query(struct ptwalk_parse *p)
{
	struct ptwalk_query *q = p->q;

	if (!q->has_pid && !p->seen_fmt && !q->single && !p->seen_start &&
	    !p->seen_end && !p->seen_walker && !q->who && !q->kernel &&
	    !q->kaddr && !q->kpti)
		return ptwalk_bad(p, "empty query");
	if (q->kpti && !q->kernel && !q->kaddr)
		return ptwalk_bad(p, "user=1 goes with kernel=1 or kaddr=");
	if (q->kernel && q->kaddr)
		return ptwalk_bad(p, "kernel=1 and kaddr= are two queries");
	if ((q->kernel || q->kaddr) &&
	    (q->single || p->seen_start || p->seen_end || q->who ||
	     p->seen_walker))
		return ptwalk_bad(p, "kernel=1/kaddr= take only pid, user and format");
	if (q->kaddr && q->format == PTWALK_FMT_MERGED)
		return ptwalk_bad(p, "format=merged does not apply to kaddr= (text or binary)");

	if (q->who && q->has_pid)
		return ptwalk_bad(p, "pfn= looks in every process: no pid=");
	if (q->who && q->format == PTWALK_FMT_MERGED)
		return ptwalk_bad(p, "format=merged does not apply to pfn= (text or binary)");
	if (q->format == PTWALK_FMT_SUMMARY &&
	    (q->single || q->who || q->kernel || q->kaddr))
		return ptwalk_bad(p, "format=summary is for walks (not addr=, pfn=, kernel=1, kaddr=)");
	if (p->seen_start != p->seen_end)
		return ptwalk_bad(p, "start and end go together");
	if (p->seen_start) {
		if (q->start >= q->end)
			return ptwalk_bad(p, "start must be below end");
		q->has_range = true;
	}
	if (q->single && q->start == ~0ULL)
		return ptwalk_bad(p, "addr out of range");
	return 0;
}

int ptwalk_parse_query(const char *buf, size_t len, struct ptwalk_query *q,
		       const char **why)
{
	struct ptwalk_parse p = { .q = q };
	int err;

	memset(q, 0, sizeof(*q));
	q->format = PTWALK_FMT_TEXT;
	q->walker = PTWALK_WALKER_DEFAULT;
	if (len > PTWALK_QUERY_MAX) {
		*why = "query longer than 256 bytes";
		return -EINVAL;
	}
	/* One line of printable ASCII; a single trailing newline is fine. */
	if (len && buf[len - 1] == '\n')
		len--;
	err = ptwalk_check_bytes(&p, buf, len);
	if (!err)
		err = ptwalk_parse_words(&p, buf, len);
	if (!err)
		err = ptwalk_check_query(&p);
	if (err)
		*why = p.why;
	return err;
}
