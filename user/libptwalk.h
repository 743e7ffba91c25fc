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
#include <stdio.h>
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

/* Which entries a view shows.  Zero-initialise, then set node = -1. */
struct ptw_filter {
	const char *vma;	/* substring of the VMA name, or NULL */
	bool present, swapped, huge, cow, anon, file;
	int node;		/* NUMA node, -1 for any */
};

/* Whether entry @i of @res passes @f (NULL: everything passes). */
bool ptw_keep(const struct ptw_result *res, size_t i, const struct ptw_filter *f);

/*
 * Merge the entries of @res that pass @f into runs of equal attributes and
 * contiguous frames (swap offsets), never across a VMA boundary.
 * Return: the number of runs in malloc'd *@runs (NULL when 0), or -1 when
 * out of memory.
 */
long ptw_runs(const struct ptw_result *res, const struct ptw_filter *f,
	      struct ptw_run **runs);

/* What changed at one address between two snapshots (struct ptw_change.what) */
enum {
	PTW_D_APPEARED	= 1 << 0,	/* no entry before */
	PTW_D_GONE	= 1 << 1,	/* no entry after */
	PTW_D_KIND	= 1 << 2,	/* e.g. present -> swap */
	PTW_D_PFN	= 1 << 3,	/* another frame */
	PTW_D_SWAP	= 1 << 4,	/* another swap slot */
	PTW_D_WRPROT	= 1 << 5,	/* lost W */
	PTW_D_WRITABLE	= 1 << 6,	/* gained W */
	PTW_D_BITS	= 1 << 7,	/* other entry bits (not A/D/W) */
	PTW_D_COW	= 1 << 8,	/* CoW verdict */
	PTW_D_PAGE	= 1 << 9,	/* page facts (anon, thp, ksm, ...) */
	PTW_D_MAP	= 1 << 10,	/* mapcount */
	PTW_D_SIZE	= 1 << 11,	/* mapping size, e.g. 4K -> 2M */
};

struct ptw_change {
	uint64_t vaddr;
	unsigned int what;		/* PTW_D_* */
	struct ptwalk_rec old, new;	/* zeroed when absent */
};

/*
 * Compare two answers entry by entry, by virtual address; accessed and
 * dirty bits and page-flag churn (lru, active, ...) are not changes.
 * Return: the number of changes in malloc'd *@out, or -1 (out of memory).
 */
long ptw_diff(const struct ptw_result *a, const struct ptw_result *b,
	      struct ptw_change **out);

/* The change in words: "became swapped; cow copy -> reuse". */
char *ptw_change_words(const struct ptw_change *c, char *buf, size_t len);

/* JSON pieces, schema in docs/ptwalk.1. */
void ptw_json_str(FILE *f, const char *s);
void ptw_json_names(FILE *f, uint32_t v, uint32_t mask, const char *const *tab);
void ptw_json_entry(FILE *f, const struct ptwalk_rec *r, size_t count);
/* Opens a VMA object and leaves it open for more keys. */
void ptw_json_vma_open(FILE *f, const struct ptw_vma *v);
/* Names of diff bits as a JSON array. */
void ptw_json_change(FILE *f, const struct ptw_change *c);

/* "rwxp" from vm_flags; @p has room for 5. */
void ptw_perms(uint32_t vm_flags, char *p);

#endif /* LIBPTWALK_H */
