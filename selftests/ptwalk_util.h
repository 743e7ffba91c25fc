/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_util.h - small helpers shared by ptwalk's selftests: loading the
 * module, querying it, reading pagemap/kpageflags/kpagecount.
 */
#ifndef PTWALK_UTIL_H
#define PTWALK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptwalk.h"

/*
 * The architecture this test binary runs on (scripts/cross-user builds the
 * arm64 ones): the module's hdr.arch, whose names the entry bits have.
 */
#ifdef __aarch64__
#define PTWALK_TEST_ARCH	PTWALK_ARCH_ARM64
#else
#define PTWALK_TEST_ARCH	PTWALK_ARCH_X86_64
#endif

#define PTWALK_DEBUGFS		"/sys/kernel/debug/ptwalk"
#define PTWALK_WALK		PTWALK_DEBUGFS "/walk"
#define PTWALK_STATUS		PTWALK_DEBUGFS "/status"

/*
 * pagemap bits (PTWALK_PM_*) from the one header the CLI shares, and
 * /proc/kpageflags bits (KPF_*) from the kernel's uapi header.
 */
#include <linux/kernel-page-flags.h>
#include "ptwalk_pagemap.h"
/*
 * kpageflags bit 33, PG_mlocked: the kernel defines it (and the other
 * KPF_ bits from 32 up) in include/linux/kernel-page-flags.h, which is not
 * uapi, so no installed header has it; fs/proc/page.c reports it all the
 * same.
 */
#ifndef KPF_MLOCKED
#define KPF_MLOCKED		33
#endif
#ifndef KPF_RESERVED
#define KPF_RESERVED		32	/* the same: PG_reserved */
#endif

/* The ko to load: $PTWALK_KO, set by the guest test runner. */
const char *ptwalk_ko_path(void);
/* finit_module(); 0 or -errno. */
int ptwalk_load(const char *params);
/* delete_module(); 0 or -errno. */
int ptwalk_unload(void);
bool ptwalk_loaded(void);

/*
 * Run one query and return the whole answer (malloc'd, NUL terminated,
 * *len set), or NULL with errno set by the failing write/read.
 */
char *ptwalk_query(const char *path, const char *query, size_t *len);
/* The value of "key: " in the status file, malloc'd, or NULL. */
char *ptwalk_status(const char *key);

/* The entry line for @addr in a text answer, or NULL. */
const char *ptwalk_find_entry(const char *text, unsigned long addr,
			      char *line, size_t len);
/* Value of " key=" in an entry line, copied into @val; false if absent. */
bool ptwalk_field(const char *line, const char *key, char *val, size_t len);
/* Numeric value of " key=" (hex with 0x or decimal); false if absent. */
bool ptwalk_field_u64(const char *line, const char *key, uint64_t *v);
/* Whether the comma list of " key=" contains @name. */
bool ptwalk_field_has(const char *line, const char *key, const char *name);

/* pagemap/kpageflags/kpagecount of one page of pid (0: self). */
uint64_t pagemap_entry(pid_t pid, unsigned long addr);
uint64_t kpageflags(uint64_t pfn);
uint64_t kpagecount(uint64_t pfn);

/* pagemap entries of @n pages from @addr of pid (0: self) into @out; how many. */
size_t pagemap_range(pid_t pid, unsigned long addr, size_t n, uint64_t *out);

/*
 * A binary answer, parsed: its header, its ENTRY records with every MORE
 * expanded into the entries it stands for, the start of each VMA record
 * and the END record.
 */
struct ptwalk_stream {
	struct ptwalk_hdr hdr;
	struct ptwalk_rec *e;	/* entries, in stream order */
	size_t *vma_of;		/* per entry: index of its VMA, or (size_t)-1 */
	size_t n;
	struct ptwalk_vma *vma;	/* the VMA records */
	size_t nvma;
	struct ptwalk_end end;
	size_t swapruns;	/* PTWALK_REC_SWAPRUN records seen */
};
/*
 * Parse @len bytes of a format=binary answer into @s (free with
 * ptwalk_stream_free()).  Return: NULL, or why the stream is malformed
 * (written into @why).
 */
const char *ptwalk_parse(const char *buf, size_t len, struct ptwalk_stream *s,
			 char *why, size_t wlen);
void ptwalk_stream_free(struct ptwalk_stream *s);
/*
 * The VMA record @r as a struct ptwalk_vma.  Written for the format 3
 * layout of include/ptwalk.h; the only place the selftests read a VMA
 * record's fields (they use its start, which the older layout had at the
 * same offset, and take the rest from /proc/self/maps).
 */
void ptwalk_rec_vma(const union ptwalk_record *r, struct ptwalk_vma *v);

/* The names of the bits of @v & @mask in @tab (32 entries), "a,b", or "-". */
char *ptwalk_names_join(uint32_t v, uint32_t mask, const char *const *tab,
			char *buf, size_t len);

/* The ptwalk command: $PTWALK_CLI, else ../user/ptwalk next to this test. */
const char *ptwalk_cli_path(void);
/*
 * Run @argv[0] with @argv, its stdout and stderr into @out (NUL
 * terminated, cut at @len).  Return: its exit status, or -1.
 */
int ptwalk_run(char *const argv[], char *out, size_t len);

/* Write @s to @path / read it into @buf (NUL terminated); false on error. */
bool ptwalk_write_file(const char *path, const char *s);
bool ptwalk_read_file(const char *path, char *buf, size_t len);
/* zram swap, set up once per guest; NULL, or why it could not be. */
const char *ptwalk_swap_setup(void);
/* Drop to uid/gid 65534 (nobody) for good; false on error. */
bool ptwalk_drop_to_nobody(void);

/* $NAME as a positive number, or @def when unset or not one. */
long ptwalk_env_long(const char *name, long def);
/* CLOCK_MONOTONIC in seconds. */
double ptwalk_now(void);
/*
 * A child holding @mb MiB of written anonymous memory (4K pages only with
 * @nohugepage), paused until killed; its pid.
 */
pid_t ptwalk_spawn_touched(size_t mb, bool nohugepage);
/* Wait until @pid's RSS reaches @kb, at most 60 s; whether it did. */
bool ptwalk_wait_rss(pid_t pid, long kb);

/* Count lines in @text starting with @prefix. */
int ptwalk_count_lines(const char *text, const char *prefix);
/* Last lines of dmesg containing "ptwalk", for failure messages. */
void ptwalk_dmesg_tail(void);

#endif /* PTWALK_UTIL_H */
