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

int ptwalk_parse_query(const char *buf, size_t len, struct ptwalk_query *q,
		       const char **why)
{
	bool seen_start = false, seen_end = false, seen_fmt = false;
	bool seen_walker = false;
	size_t i = 0;

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
	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (!ptwalk_is_space(c) && (c < 0x21 || c > 0x7e)) {
			*why = c == '\n' ? "one query per write, on one line" :
					   "query contains a non-printable byte";
			return -EINVAL;
		}
	}

	i = 0;
	while (i < len) {
		const char *key, *val;
		size_t klen, vlen, j;
		u64 v;
		int err;

		while (i < len && ptwalk_is_space(buf[i]))
			i++;
		if (i == len)
			break;
		key = buf + i;
		for (j = i; j < len && !ptwalk_is_space(buf[j]) && buf[j] != '='; j++)
			;
		klen = j - i;
		if (j == len || buf[j] != '=') {
			*why = "expected key=value";
			return -EINVAL;
		}
		val = buf + j + 1;
		for (i = j + 1; i < len && !ptwalk_is_space(buf[i]); i++)
			;
		vlen = buf + i - val;
		if (!vlen) {
			*why = "empty value after '='";
			return -EINVAL;
		}

		if (ptwalk_word_is(key, klen, "pid")) {
			if (q->has_pid) {
				*why = "pid given twice";
				return -EINVAL;
			}
			q->has_pid = true;
			if (ptwalk_word_is(val, vlen, "self")) {
				q->pid = 0;
				continue;
			}
			err = ptwalk_parse_u64(val, vlen, &v);
			if (err || v == 0 || v > 0x3fffffff) {
				*why = "pid must be a positive number or 'self'";
				return -EINVAL;
			}
			q->pid = (s32)v;
		} else if (ptwalk_word_is(key, klen, "addr")) {
			if (q->single || seen_start || seen_end) {
				*why = "addr conflicts with another addr/range";
				return -EINVAL;
			}
			if (ptwalk_parse_u64(val, vlen, &v)) {
				*why = "addr is not a number";
				return -EINVAL;
			}
			q->single = true;
			q->start = v;
			q->end = v + 1;
		} else if (ptwalk_word_is(key, klen, "start") ||
			   ptwalk_word_is(key, klen, "end")) {
			bool is_start = klen == 5;

			if (q->single || (is_start ? seen_start : seen_end)) {
				*why = "start/end given twice or with addr/range";
				return -EINVAL;
			}
			if (ptwalk_parse_u64(val, vlen, &v)) {
				*why = "start/end is not a number";
				return -EINVAL;
			}
			if (is_start) {
				seen_start = true;
				q->start = v;
			} else {
				seen_end = true;
				q->end = v;
			}
		} else if (ptwalk_word_is(key, klen, "range")) {
			size_t d;

			if (q->single || seen_start || seen_end) {
				*why = "range conflicts with addr/start/end";
				return -EINVAL;
			}
			for (d = 0; d < vlen && val[d] != '-'; d++)
				;
			if (d == vlen || ptwalk_parse_u64(val, d, &q->start) ||
			    ptwalk_parse_u64(val + d + 1, vlen - d - 1, &q->end)) {
				*why = "range must be START-END";
				return -EINVAL;
			}
			seen_start = seen_end = true;
		} else if (ptwalk_word_is(key, klen, "format")) {
			if (seen_fmt) {
				*why = "format given twice";
				return -EINVAL;
			}
			seen_fmt = true;
			if (ptwalk_word_is(val, vlen, "text"))
				q->format = PTWALK_FMT_TEXT;
			else if (ptwalk_word_is(val, vlen, "merged"))
				q->format = PTWALK_FMT_MERGED;
			else if (ptwalk_word_is(val, vlen, "binary"))
				q->format = PTWALK_FMT_BINARY;
			else {
				*why = "format must be text, merged or binary";
				return -EINVAL;
			}
		} else if (ptwalk_word_is(key, klen, "walker")) {
			if (seen_walker) {
				*why = "walker given twice";
				return -EINVAL;
			}
			seen_walker = true;
			if (ptwalk_word_is(val, vlen, "auto"))
				q->walker = PTWALK_WALKER_DEFAULT;
			else if (ptwalk_word_is(val, vlen, "kernel"))
				q->walker = PTWALK_WALKER_KERNEL;
			else if (ptwalk_word_is(val, vlen, "builtin"))
				q->walker = PTWALK_WALKER_BUILTIN;
			else {
				*why = "walker must be auto, kernel or builtin";
				return -EINVAL;
			}
		} else {
			*why = "unknown key (pid addr start end range format walker)";
			return -EINVAL;
		}
	}

	if (!q->has_pid && !seen_fmt && !q->single && !seen_start && !seen_end &&
	    !seen_walker) {
		*why = "empty query";
		return -EINVAL;
	}
	if (seen_start != seen_end) {
		*why = "start and end go together";
		return -EINVAL;
	}
	if (seen_start) {
		if (q->start >= q->end) {
			*why = "start must be below end";
			return -EINVAL;
		}
		q->has_range = true;
	}
	if (q->single && q->start == ~0ULL) {
		*why = "addr out of range";
		return -EINVAL;
	}
	return 0;
}
