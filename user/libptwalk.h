/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libptwalk - read ptwalk.ko's binary answers into memory.
 *
 * A small library other tools can link: it runs a query through debugfs
 * (root) or /proc/ptwalk (own process), parses the binary stream defined in
 * include/ptwalk.h, merges runs like ptdump, and reads pagemap for checks.
 */
#ifndef LIBPTWALK_H
#define LIBPTWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptwalk.h"

struct ptw_vma {
	uint64_t start, end, pgoff;
	uint32_t flags;		/* low 32 bits of vm_flags */
	char name[256];
};

struct ptw_result {
	struct ptwalk_hdr hdr;
	struct ptw_vma *vmas;
	size_t nvmas;
	struct ptwalk_rec *recs;	/* ENTRY records */
	size_t *rec_vma;		/* index into vmas, per entry */
	size_t nrecs;
	struct ptwalk_rec *levels;	/* LEVEL records (single address) */
	size_t nlevels;
};

/* One merged run: @count entries starting at @first, same attributes. */
struct ptw_run {
	struct ptwalk_rec first;
	size_t count;
	size_t vma;
};

/*
 * Run "pid=PID QUERY format=binary" and parse the answer.  Uses debugfs
 * when it is accessible, else /proc/ptwalk for the caller's own pid.
 * Return: 0, or -1 with a one-line explanation in @err.
 */
int ptw_query(pid_t pid, const char *query, struct ptw_result *res,
	      char *err, size_t errlen);

/* The same, returning the raw stream (malloc'd) instead of parsing it. */
int ptw_query_raw(pid_t pid, const char *query, void **buf, size_t *len,
		  char *err, size_t errlen);

/* Parse a binary answer (also a saved snapshot).  Return: 0 or -1, @err. */
int ptw_parse(const void *buf, size_t len, struct ptw_result *res,
	      char *err, size_t errlen);

/* Read a whole file into malloc'd memory. Return: 0 or -1, @err. */
int ptw_read_file(const char *path, void **buf, size_t *len, char *err,
		  size_t errlen);

void ptw_free(struct ptw_result *res);

/* Entries mapped by @r, in 4K pages. */
uint64_t ptw_pages(const struct ptwalk_rec *r);

/* Whether @b continues the run @a of @count entries (ptdump-style). */
bool ptw_mergeable(const struct ptwalk_rec *a, size_t count,
		   const struct ptwalk_rec *b, bool phys_hidden);

/* "name,name" for the bits of @v in @mask from @tab, or "-". */
char *ptw_names(char *buf, size_t len, uint32_t v, uint32_t mask,
		const char *const *tab);

/* Sizes as 4K, 2M, 1.5G. */
char *ptw_size(char *buf, size_t len, uint64_t bytes);

/* The CoW verdict in words, for people. */
const char *ptw_cow_words(unsigned int cow);

#endif /* LIBPTWALK_H */
