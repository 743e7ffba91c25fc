/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stream.h - build ptwalk binary streams record by record, as the module
 * writes them, for the host tests (lib_test, view_test).  A stream ends as
 * a complete answer does, with an END record counting what it carries:
 * parse stream_end(s) bytes.  A test that wants another end (none, a
 * wrong one, an exited walk) puts its own, or parses s->len bytes.
 */
#ifndef _PTWALK_TEST_STREAM_H
#define _PTWALK_TEST_STREAM_H

#include <stdbool.h>
#include <stddef.h>
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
		.walker = walker, .arch = PTWALK_ARCH_X86_64, .pid = pid,
		.end = 1ULL << 47,
	};

	strncpy(h.comm, comm, sizeof(h.comm) - 1);
	s->len = 0;
	put(s, &h, sizeof(h));
}

/*
 * Any record (struct ptwalk_rec, _vma, _name, _lvl, _more, _end) padded to
 * @rec_size, as a later module version might send.
 */
static inline void stream_any(struct stream *s, const void *r, size_t rec_size)
{
	unsigned char pad[256] = { 0 };

	memcpy(pad, r, PTWALK_REC_SIZE);
	put(s, pad, rec_size);
}

/* An ENTRY record padded to @rec_size. */
static inline void stream_rec(struct stream *s, const struct ptwalk_rec *r,
			      size_t rec_size)
{
	stream_any(s, r, rec_size);
}

/*
 * A VMA record with PTWALK_VMA_* @flags and page offset @pgoff, and its
 * name in as many NAME records as it takes.
 */
static inline void stream_vma_flags(struct stream *s, size_t rec_size, uint64_t start,
				    uint64_t end, uint64_t pgoff, uint32_t flags,
				    const char *name)
{
	struct ptwalk_vma v = { .type = PTWALK_REC_VMA, .start = start, .end = end,
				.pgoff = pgoff, .flags = flags };
	size_t n = strlen(name), off;

	stream_any(s, &v, rec_size);
	for (off = 0; off < n; off += PTWALK_NAME_BYTES) {
		struct ptwalk_name r = { .type = PTWALK_REC_NAME };

		memcpy(r.name, name + off,
		       n - off < PTWALK_NAME_BYTES ? n - off : PTWALK_NAME_BYTES);
		stream_any(s, &r, rec_size);
	}
}

/* A private read-write anonymous VMA ("rw-p"). */
static inline void stream_vma(struct stream *s, size_t rec_size, uint64_t start,
			      uint64_t end, const char *name)
{
	stream_vma_flags(s, rec_size, start, end, start >> 12,
			 PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_ANON, name);
}

/* A LEVEL record: entry @index of the @level table at @table_pfn. */
static inline void stream_level(struct stream *s, size_t rec_size, uint64_t va,
				__u8 level, __u8 kind, __u32 index, __u64 raw,
				__u64 table_pfn, __u32 bits)
{
	struct ptwalk_lvl l = { .type = PTWALK_REC_LEVEL, .vaddr = va, .raw = raw,
				.table_pfn = table_pfn, .bits = bits, .index = index,
				.level = level, .kind = kind };

	stream_any(s, &l, rec_size);
}

/* An END record as the module ends an answer. */
static inline void stream_end_rec(struct stream *s, size_t rec_size, __u8 status,
				  __u64 next, __u64 entries, __u64 vmas, __s32 error)
{
	struct ptwalk_end e = {
		.type = PTWALK_REC_END, .status = status, .next = next,
		.entries = entries, .vmas = vmas, .error = error,
	};
	unsigned char pad[256] = { 0 };

	memcpy(pad, &e, sizeof(e));
	put(s, pad, rec_size);
}

/*
 * What @s carries so far, counted as the module counts it in its END:
 * entries with MOREs expanded, VMAs.  Return: whether its last record is
 * an END already.
 */
static inline bool stream_counts(const struct stream *s, __u64 *entries, __u64 *vmas)
{
	struct ptwalk_hdr h;
	unsigned int type = 0;
	size_t off;

	memcpy(&h, s->buf, sizeof(h));
	*entries = *vmas = 0;
	for (off = h.hdr_size; h.rec_size && off + h.rec_size <= s->len; off += h.rec_size) {
		type = s->buf[off + PTWALK_REC_TYPE_OFFSET];
		if (type == PTWALK_REC_ENTRY)
			(*entries)++;
		else if (type == PTWALK_REC_MORE)
			*entries += s->buf[off + offsetof(struct ptwalk_more, count)];
		else if (type == PTWALK_REC_SWAPRUN) {
			__u32 n;

			memcpy(&n, s->buf + off + offsetof(struct ptwalk_swaprun, count), sizeof(n));
			*entries += n;
		}
		else if (type == PTWALK_REC_VMA)
			(*vmas)++;
	}
	return type == PTWALK_REC_END;
}

/*
 * The length of @s ended as a complete answer: an END with the right
 * counts is written after its records unless the last one is an END.  The
 * END is not counted in s->len, so records may still be added or cut.
 */
static inline size_t stream_end(struct stream *s)
{
	struct ptwalk_hdr h;
	__u64 entries, vmas;
	size_t len = s->len;

	if (stream_counts(s, &entries, &vmas))
		return len;
	memcpy(&h, s->buf, sizeof(h));
	stream_end_rec(s, h.rec_size, PTWALK_END_COMPLETE, h.end, entries, vmas, 0);
	s->len = len;
	return len + h.rec_size;
}

/* Who maps: a header for frames [@start, @end). */
static inline void stream_who_hdr(struct stream *s, uint64_t start, uint64_t end)
{
	struct ptwalk_hdr *h;

	stream_hdr(s, PTWALK_REC_SIZE, PTWALK_WALKER_BUILTIN, 0, "");
	h = (struct ptwalk_hdr *)s->buf;
	h->flags = PTWALK_H_WHO;
	h->start = start;
	h->end = end;
}

static inline void stream_task(struct stream *s, __u32 pid, __u32 ppid, const char *comm)
{
	struct ptwalk_task t = { .type = PTWALK_REC_TASK, .pid = pid, .ppid = ppid };

	strncpy(t.comm, comm, sizeof(t.comm) - 1);
	put(s, &t, sizeof(t));
}

/* A FRAME of @state with @mapcount, and @path in NAME records (or NULL). */
static inline void stream_frame(struct stream *s, uint64_t pfn, __u8 state,
				__s32 mapcount, __u32 page, const char *path)
{
	struct ptwalk_frame f = { .type = PTWALK_REC_FRAME, .pfn = pfn, .state = state,
				  .mapcount = mapcount, .refcount = mapcount,
				  .page = page, .node = 0 };
	size_t n = path ? strlen(path) : 0, off;

	put(s, &f, sizeof(f));
	for (off = 0; off < n; off += PTWALK_NAME_BYTES) {
		struct ptwalk_name r = { .type = PTWALK_REC_NAME };

		memcpy(r.name, path + off,
		       n - off < PTWALK_NAME_BYTES ? n - off : PTWALK_NAME_BYTES);
		put(s, &r, sizeof(r));
	}
}

static inline void stream_tally(struct stream *s, __u64 mappings, __u64 mapcount,
				__u32 frames, __u32 tasks)
{
	struct ptwalk_tally t = { .type = PTWALK_REC_TALLY, .mappings = mappings,
				  .mapcount = mapcount, .frames = frames, .tasks = tasks,
				  .equal = mappings == mapcount };

	put(s, &t, sizeof(t));
}

#endif /* _PTWALK_TEST_STREAM_H */
