/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stream.h - build ptwalk binary streams record by record, as the module
 * writes them, for the host tests (lib_test, view_test).
 */
#ifndef _PTWALK_TEST_STREAM_H
#define _PTWALK_TEST_STREAM_H

#include <stdint.h>
#include <string.h>

#include "ptwalk.h"

struct stream {
	unsigned char buf[64 * 1024];
	size_t len;
};

static inline void put(struct stream *s, const void *p, size_t n)
{
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

/* Start @s over with a header announcing records of @rec_size bytes. */
static inline void stream_hdr(struct stream *s, __u16 rec_size, __u32 walker,
			      __u32 pid, const char *comm)
{
	struct ptwalk_hdr h = {
		.magic = PTWALK_MAGIC, .version = PTWALK_VERSION,
		.hdr_size = sizeof(h), .rec_size = rec_size,
		.walker = walker, .pid = pid, .end = 1ULL << 47,
	};

	strncpy(h.comm, comm, sizeof(h.comm) - 1);
	s->len = 0;
	put(s, &h, sizeof(h));
}

/* A record padded to @rec_size, as a later module version might send. */
static inline void stream_rec(struct stream *s, const struct ptwalk_rec *r,
			      size_t rec_size)
{
	unsigned char pad[256] = { 0 };

	memcpy(pad, r, sizeof(*r));
	put(s, pad, rec_size);
}

/* A VMA record and its name in as many NAME records as it takes. */
static inline void stream_vma(struct stream *s, size_t rec_size, uint64_t start,
			      uint64_t end, const char *name)
{
	struct ptwalk_rec r = { .type = PTWALK_REC_VMA, .vaddr = start,
				.swap_offset = end, .bits = 0x3 };
	size_t n = strlen(name), off;

	stream_rec(s, &r, rec_size);
	for (off = 0; off < n; off += PTWALK_NAME_BYTES) {
		memset(&r, 0, sizeof(r));
		memcpy(&r, name + off,
		       n - off < PTWALK_NAME_BYTES ? n - off : PTWALK_NAME_BYTES);
		r.type = PTWALK_REC_NAME;
		stream_rec(s, &r, rec_size);
	}
}

#endif /* _PTWALK_TEST_STREAM_H */
