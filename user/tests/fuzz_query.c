// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_query - libFuzzer target for the module's query parser.
 *
 * The parser is the only code that sees arbitrary bytes from user space
 * before any check, so it is fuzzed on the host (ASan + UBSan) where a bug
 * costs nothing.  Invariants checked on every input:
 *   - the result is 0 or -EINVAL, and -EINVAL always comes with a reason;
 *   - an accepted query is internally consistent (ranges non-empty, known
 *     format and walker);
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
		if (q.format < PTWALK_FMT_TEXT || q.format > PTWALK_FMT_BINARY)
			abort();
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
