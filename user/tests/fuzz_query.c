// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_query - libFuzzer target for the module's query parser.
 *
 * The parser is the only code that sees arbitrary bytes from user space
 * before any check, so it is fuzzed on the host (ASan + UBSan) where a bug
 * costs nothing.  Invariants checked on every input:
 *   - the result is 0 or -EINVAL, and -EINVAL always comes with a reason;
 *   - an accepted query is internally consistent (ranges non-empty, known
 *     format and walker, and the rules between keys: check_rules());
 *   - nothing is read past the input (the copy below has no slack, so ASan
 *     catches an overread).
 * Built and run for a bounded time by scripts/check.d/20-fuzz.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ptwalk.h"
#include "ptwalk_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The rules between words (ptwalk_check_query()), seen from the result. */
static void check_rules(const struct ptwalk_query *q)
{
	bool kq = q->kernel || q->kaddr;

	if (q->kernel && q->kaddr)
		abort();
	if (q->kpti && !kq)
		abort();
	if (kq && (q->single || q->has_range || q->who ||
		   q->walker != PTWALK_WALKER_DEFAULT))
		abort();
	if (q->who && (q->has_pid || q->single || q->has_range ||
		       q->start >= q->end ||
		       q->end - q->start > PTWALK_WHO_MAX_FRAMES))
		abort();
	if ((q->who || q->kaddr) && q->format == PTWALK_FMT_MERGED)
		abort();
	if (q->format == PTWALK_FMT_SUMMARY && (q->single || q->who || kq))
		abort();
	if (q->single && q->has_range)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ptwalk_query q;
	const char *why = NULL;
	char *buf = malloc(size ? size : 1);
	int ret;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	ret = ptwalk_parse_query(buf, size, &q, &why);
	if (ret != 0 && ret != -EINVAL)
		abort();
	if (ret) {
		if (!why || !*why)
			abort();
	} else {
		if (size > PTWALK_QUERY_MAX)
			abort();
		if ((q.single || q.has_range) && q.start >= q.end)
			abort();
		/* A new format must be added here and given a seed. */
		if (q.format < PTWALK_FMT_TEXT || q.format > PTWALK_FMT_SUMMARY)
			abort();
		check_rules(&q);
		if (q.walker != PTWALK_WALKER_DEFAULT &&
		    q.walker != PTWALK_WALKER_KERNEL &&
		    q.walker != PTWALK_WALKER_BUILTIN)
			abort();
		if (q.has_pid && q.pid < 0)
			abort();
	}
	free(buf);
	return 0;
}
