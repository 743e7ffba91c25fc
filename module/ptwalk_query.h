/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_query.h - the query parser, plain C shared by the module and the
 * host-side tests and fuzzer (no kernel-only dependencies).
 */
#ifndef _PTWALK_QUERY_H
#define _PTWALK_QUERY_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t u64;
typedef int32_t s32;
#endif

enum ptwalk_format {
	PTWALK_FMT_TEXT,
	PTWALK_FMT_MERGED,
	PTWALK_FMT_BINARY,
	PTWALK_FMT_SUMMARY,	/* binary, counts per VMA (ptwalk.h) */
};

/* enum ptwalk_walker values from ptwalk.h, plus 0 for "module default" */
#define PTWALK_WALKER_DEFAULT	0

struct ptwalk_query {
	s32 pid;		/* 0: the caller ("self") */
	bool has_pid;
	bool single;		/* addr= given */
	bool has_range;
	bool who;		/* pfn= given: who maps [start, end) */
	bool kernel;		/* kernel=1: the kernel's page tables */
	bool kaddr;		/* kaddr= given: translate kernel address start */
	bool kpti;		/* user=1: the KPTI user copy of the PGD */
	u64 start;		/* [start, end) or the single address; who: PFNs */
	u64 end;
	int format;		/* enum ptwalk_format */
	int walker;		/* PTWALK_WALKER_* */
};

/**
 * ptwalk_parse_query - parse one query line
 * @buf: the bytes written, not NUL terminated
 * @len: number of bytes in @buf
 * @q: filled in on success
 * @why: on failure, set to a constant one-line reason
 *
 * Locking: none; plain C, also built for user space (tests, fuzzer).
 * Return: 0, or -EINVAL with @why set.  Never reads past @len.
 */
int ptwalk_parse_query(const char *buf, size_t len, struct ptwalk_query *q,
		       const char **why);

#endif /* _PTWALK_QUERY_H */
