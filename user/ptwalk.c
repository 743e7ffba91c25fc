// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk - show a process's page tables as ptwalk.ko reports them.
 *
 *   ptwalk PID ADDR           every level of one translation, in words
 *   ptwalk PID                merged range view grouped by VMA (ptdump-like)
 *   ptwalk summary PID        one line per VMA with counts
 *   ptwalk verify PID         check the module against pagemap/kpageflags
 *   ptwalk snap PID > F       save the raw answer; ptwalk diff A B compares
 *
 * Options come from one table (opts[]), which also prints --help.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libptwalk.h"
#include "ptwalk_names.h"

struct opt {
	const char *name;
	int has_arg;
	int val;
	const char *arg, *help;
};

enum {
	O_RANGE = 'r', O_VMA = 'v', O_JSON = 'j', O_HELP = 'h', O_PRESENT = 256,
	O_SWAPPED, O_HUGE, O_COW, O_ANON, O_FILE, O_NODE, O_WALKER, O_FROM,
	O_COLOR,
};

static const struct opt opts[] = {
	{ "range", 1, O_RANGE, "START-END", "only this address range" },
	{ "vma", 1, O_VMA, "NAME", "only VMAs whose name contains NAME" },
	{ "present", 0, O_PRESENT, NULL, "only present entries" },
	{ "swapped", 0, O_SWAPPED, NULL, "only swapped-out entries" },
	{ "huge", 0, O_HUGE, NULL, "only huge mappings and large folios" },
	{ "cow", 0, O_COW, NULL, "only entries a write would copy or reuse" },
	{ "anon", 0, O_ANON, NULL, "only anonymous pages" },
	{ "file", 0, O_FILE, NULL, "only page-cache pages" },
	{ "node", 1, O_NODE, "N", "only pages on NUMA node N" },
	{ "walker", 1, O_WALKER, "W", "kernel or builtin (default: the module's)" },
	{ "from", 1, O_FROM, "FILE", "verify/summary: read a saved snapshot" },
	{ "json", 0, O_JSON, NULL, "JSON output (schema in ptwalk(1))" },
	{ "color", 1, O_COLOR, "WHEN", "auto (default), always or never" },
	{ "help", 0, O_HELP, NULL, "this help" },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static struct {
	char range[80], vma[128], walker[16], from[512];
	bool json, present, swapped, huge, cow, anon, file, color;
	int node;
} cfg = { .node = -1 };

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ptwalk [OPTIONS] PID ADDR    translate one address\n"
		   "       ptwalk [OPTIONS] PID         entries grouped by VMA, merged\n"
		   "       ptwalk summary [OPTIONS] PID counts per VMA\n"
		   "       ptwalk verify [OPTIONS] PID  check against pagemap, kpageflags, kpagecount\n"
		   "       ptwalk snap PID > FILE       save the module's raw answer\n"
		   "       ptwalk diff FILE1 FILE2      what changed between two snapshots\n"
		   "options:\n");
	for (i = 0; i < NOPTS; i++) {
		char left[40];

		char shrt[8] = "    ";

		if (opts[i].val < 256)
			snprintf(shrt, sizeof(shrt), "-%c, ", opts[i].val);
		snprintf(left, sizeof(left), "%s--%s%s%s", shrt, opts[i].name,
			 opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-24s %s\n", left, opts[i].help);
	}
	fprintf(f, "PID may be 'self'.  Needs ptwalk.ko loaded; root for other processes,\n"
		   "/proc/ptwalk for your own (see ptwalk(1)).\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end ? -1 : 0;
}

static int parse_pid(const char *s, pid_t *pid)
{
	uint64_t v;

	if (!strcmp(s, "self")) {
		*pid = getpid();
		return 0;
	}
	if (parse_u64(s, &v) || v == 0 || v > 0x3fffffff) {
		fprintf(stderr, "ptwalk: '%s' is not a process id\n", s);
		return -1;
	}
	*pid = (pid_t)v;
	return 0;
}

static struct ptw_filter filter(void)
{
	struct ptw_filter f = {
		.vma = cfg.vma, .present = cfg.present, .swapped = cfg.swapped,
		.huge = cfg.huge, .cow = cfg.cow, .anon = cfg.anon, .file = cfg.file,
		.node = cfg.node,
	};

	return f;
}

static const char *C(const char *code)
{
	return cfg.color ? code : "";
}

/* Query text for the options: range and walker. */
static void query_words(char *q, size_t len, const char *extra)
{
	snprintf(q, len, "%s%s%s%s%s", cfg.range[0] ? "range=" : "", cfg.range,
		 cfg.walker[0] ? " walker=" : "", cfg.walker, extra ? extra : "");
}

static int load(pid_t pid, const char *extra, struct ptw_result *res)
{
	char q[200], err[512];

	if (cfg.from[0]) {
		void *buf;
		size_t len;
		int ret;

		if (ptw_read_file(cfg.from, &buf, &len, err, sizeof(err)))
			goto bad;
		ret = ptw_parse(buf, len, res, err, sizeof(err));
		free(buf);
		if (ret)
			goto bad;
		return 0;
	}
	query_words(q, sizeof(q), extra);
	if (!ptw_query(pid, q, res, err, sizeof(err)))
		return 0;
bad:
	fprintf(stderr, "ptwalk: %s\n", err);
	return -1;
}

/*
 * After a view printed what it got: when the answer is not complete, say
 * why on stderr.  Return: the exit status, 0 or 1.
 */
static int finish(const struct ptw_result *res)
{
	char why[256];

	if (!ptw_end_words(res, why, sizeof(why)))
		return 0;
	fprintf(stderr, "ptwalk: %s\n", why);
	return 1;
}

/* The VMA flags of entry @i of @res (0 when it has no VMAs). */
static uint32_t vm_flags_of(const struct ptw_result *res, size_t i)
{
	return res->nvmas ? res->vmas[res->rec_vma[i]].flags : 0;
}

/*
 * The swap device or file of swap type @type.  /proc/swaps lists areas in
 * type order, skipping unused slots, so this is right unless an area with
 * a lower type was swapped off while a higher one stayed on.
 */
static const char *swap_name(unsigned int type, char *buf, size_t len)
{
	FILE *f = fopen("/proc/swaps", "re");
	char line[512];
	unsigned int n = 0;

	snprintf(buf, len, "see /proc/swaps");
	if (!f)
		return buf;
	if (fgets(line, sizeof(line), f)) {	/* header */
		while (fgets(line, sizeof(line), f)) {
			if (n++ == type) {
				line[strcspn(line, " \t\n")] = '\0';
				snprintf(buf, len, "%.100s, by /proc/swaps order", line);
				break;
			}
		}
	}
	fclose(f);
	return buf;
}

/* ---- ptwalk PID ADDR ------------------------------------------------- */

static int cmd_vtop(pid_t pid, uint64_t addr)
{
	char q[64], b1[160], b2[128];
	struct ptw_result res;
	const struct ptwalk_rec *leaf = NULL;
	uint32_t vmf;
	bool hidden;
	size_t i;
	int ret;

	snprintf(q, sizeof(q), " addr=0x%llx", (unsigned long long)addr);
	cfg.range[0] = '\0';
	if (load(pid, q, &res))
		return 1;
	hidden = res.hdr.flags & PTWALK_H_PHYS_HIDDEN;
	vmf = res.nvmas ? res.vmas[0].flags : 0;
	for (i = 0; i < res.nrecs; i++)
		if (res.recs[i].vaddr <= addr &&
		    addr < res.recs[i].vaddr + (1ULL << res.recs[i].shift))
			leaf = &res.recs[i];
	if (cfg.json) {
		printf("{\"pid\":%u,\"comm\":", res.hdr.pid);
		ptw_json_str(stdout, res.hdr.comm);
		printf(",\"addr\":\"0x%llx\",\"paging\":%d,\"phys_hidden\":%s,\"levels\":[",
		       (unsigned long long)addr, res.hdr.flags & PTWALK_H_LA57 ? 5 : 4,
		       hidden ? "true" : "false");
		for (i = 0; i < res.nlevels; i++) {
			const struct ptwalk_lvl *l = &res.levels[i];

			printf("%s{\"level\":\"%s\",\"index\":%u,\"raw\":\"0x%llx\",\"table\":",
			       i ? "," : "", ptwalk_level_name(l->level), l->index,
			       (unsigned long long)l->raw);
			if (hidden)
				printf("null");
			else
				printf("\"0x%llx\"", (unsigned long long)l->table_pfn << 12);
			printf(",\"kind\":\"%s\",\"hw\":", ptwalk_kind_name(l->kind));
			ptw_json_names(stdout, l->bits, PTWALK_B_HW_MASK, ptwalk_bit_names);
			putchar('}');
		}
		printf("],\"vma\":");
		if (res.nvmas) {
			ptw_json_vma_open(stdout, &res.vmas[0]);
			putchar('}');
		} else {
			printf("null");
		}
		printf(",\"entry\":");
		if (leaf)
			ptw_json_entry(stdout, leaf, 1, hidden, vmf);
		else
			printf("null");
		putchar(',');
		ptw_json_end(stdout, &res);
		printf("}\n");
		goto out;
	}

	printf("%spid %u (%s), virtual address 0x%llx%s, %d-level paging\n",
	       C("\033[1m"), res.hdr.pid, res.hdr.comm, (unsigned long long)addr,
	       C("\033[0m"), res.hdr.flags & PTWALK_H_LA57 ? 5 : 4);
	if (res.nvmas) {
		char perms[5];

		ptw_perms(res.vmas[0].flags, perms);
		printf("in VMA 0x%llx-0x%llx %s %s\n",
		       (unsigned long long)res.vmas[0].start,
		       (unsigned long long)res.vmas[0].end, perms, res.vmas[0].name);
	} else {
		printf("not in any VMA: the address is not mapped\n");
	}
	printf("\n  %-5s %6s  %-18s  %-14s  %s\n", "level", "index", "entry",
	       "table (phys)", "bits");
	for (i = 0; i < res.nlevels; i++) {
		const struct ptwalk_lvl *l = &res.levels[i];

		if (hidden)
			snprintf(b2, sizeof(b2), "hidden");
		else
			snprintf(b2, sizeof(b2), "0x%llx", (unsigned long long)l->table_pfn << 12);
		printf("  %-5s %6u  0x%016llx  %-14s  %s%s\n", ptwalk_level_name(l->level),
		       l->index, (unsigned long long)l->raw, b2,
		       l->kind == PTWALK_K_NONE ? "(empty)" :
		       ptw_names(b1, sizeof(b1), l->bits, PTWALK_B_HW_MASK, ptwalk_bit_names),
		       l->kind == PTWALK_K_TABLE ? "  -> next table" : "");
	}
	putchar('\n');
	if (!leaf) {
		printf("no page: %s\n", res.nvmas ?
		       "never touched (or dropped); the first access faults a page in" :
		       "an access here is a segmentation fault");
		goto out;
	}
	switch (leaf->kind) {
	case PTWALK_K_PRESENT: {
		uint64_t off = addr - leaf->vaddr;

		printf("%s page at pfn ", ptw_size(b1, sizeof(b1), 1ULL << leaf->shift));
		if (hidden)
			printf("hidden (physical addresses hidden: needs CAP_SYS_ADMIN)\n");
		else
			printf("0x%llx: physical address %s0x%llx%s\n",
			       (unsigned long long)leaf->pfn, C("\033[1;32m"),
			       (unsigned long long)((leaf->pfn << 12) + off), C("\033[0m"));
		printf("  bits: %s", ptw_names(b1, sizeof(b1), leaf->bits, PTWALK_B_HW_MASK,
						ptwalk_bit_names));
		printf("  software: %s\n", ptw_names(b2, sizeof(b2), leaf->bits, PTWALK_B_SW_MASK,
						    ptwalk_bit_names));
		printf("  state: %s; %s\n", ptw_dirty_words(leaf),
		       ptw_soft_dirty_words(leaf, vmf));
		printf("  page: %s", ptw_names(b2, sizeof(b2), leaf->page,
					       ~PTWALK_P_PGFLAGS_MASK, ptwalk_page_names));
		if (ptw_folio_words(b1, sizeof(b1), leaf))
			printf("  %s\n  flags: %s", b1, hidden ? "hidden" :
			       ptw_names(b2, sizeof(b2), leaf->page, PTWALK_P_PGFLAGS_MASK,
					 ptwalk_page_names));
		printf("\n  write: %s%s%s\n", C("\033[1;33m"), ptw_cow_words(leaf->cow),
		       C("\033[0m"));
		break;
	}
	case PTWALK_K_SWAP:
		if (hidden)
			printf("swapped out: swap area and offset hidden (needs CAP_SYS_ADMIN)\n");
		else
			printf("swapped out: swap area %u (%s), offset 0x%llx\n", leaf->swap_type,
			       swap_name(leaf->swap_type, b1, sizeof(b1)),
			       (unsigned long long)leaf->swap_offset);
		printf("  %s\n  the next access faults and reads it back\n",
		       ptw_soft_dirty_words(leaf, vmf));
		break;
	default:
		printf("not present: %s entry\n", ptwalk_kind_name(leaf->kind));
	}
out:
	ret = finish(&res);
	ptw_free(&res);
	return ret;
}

/* ---- ptwalk PID: merged view ------------------------------------------ */

static void print_run(const struct ptwalk_rec *r, size_t count, bool hidden)
{
	char pfn[48], hw[96], page[96], size[16];

	ptw_frame(pfn, sizeof(pfn), r, count, hidden);
	ptw_size(size, sizeof(size), 1ULL << r->shift);
	printf("  0x%012llx-0x%012llx %5zux%-3s %-3s %-8s %-27s %-20s %-22s %s\n",
	       (unsigned long long)r->vaddr,
	       (unsigned long long)(r->vaddr + (count << r->shift)), count, size,
	       ptwalk_level_name(r->level), ptwalk_kind_name(r->kind), pfn,
	       ptw_names(hw, sizeof(hw), r->bits, ~0U, ptwalk_bit_names),
	       ptw_names(page, sizeof(page), r->page, ~PTWALK_P_PGFLAGS_MASK,
			 ptwalk_page_names),
	       r->kind == PTWALK_K_PRESENT ? ptwalk_cow_name(r->cow) : "");
}

static int cmd_range(pid_t pid)
{
	struct ptw_filter f = filter();
	struct ptw_result res;
	struct ptw_run *runs;
	size_t i, vma = (size_t)-1;
	bool hidden;
	long n;
	int ret;

	if (load(pid, NULL, &res))
		return 1;
	hidden = res.hdr.flags & PTWALK_H_PHYS_HIDDEN;
	n = ptw_runs(&res, &f, &runs);
	if (n < 0) {
		fprintf(stderr, "ptwalk: out of memory\n");
		ptw_free(&res);
		return 1;
	}
	if (cfg.json) {
		/* Grouped like the text view: VMAs with their merged entries. */
		printf("{\"pid\":%u,\"comm\":", res.hdr.pid);
		ptw_json_str(stdout, res.hdr.comm);
		printf(",\"start\":\"0x%llx\",\"end\":\"0x%llx\",\"phys_hidden\":%s,\"vmas\":[",
		       (unsigned long long)res.hdr.start, (unsigned long long)res.hdr.end,
		       hidden ? "true" : "false");
		for (i = 0; i < (size_t)n; i++) {
			if (runs[i].vma != vma) {
				if (vma != (size_t)-1)
					printf("]},");
				vma = runs[i].vma;
				if (res.nvmas) {
					ptw_json_vma_open(stdout, &res.vmas[vma]);
					printf(",\"entries\":[");
				} else {
					printf("{\"start\":null,\"end\":null,\"perms\":null,\"name\":null,\"entries\":[");
				}
			} else {
				putchar(',');
			}
			ptw_json_entry(stdout, &runs[i].first, runs[i].count, hidden,
				       res.nvmas ? res.vmas[runs[i].vma].flags : 0);
		}
		printf("%s],", vma != (size_t)-1 ? "]}" : "");
		ptw_json_end(stdout, &res);
		printf("}\n");
		goto out;
	}
	printf("%spid %u (%s): merged entries, grouped by VMA%s\n", C("\033[1m"),
	       res.hdr.pid, res.hdr.comm, C("\033[0m"));
	printf("  %-29s %9s %-3s %-8s %-27s %-20s %-22s %s\n", "address range",
	       "count", "lvl", "kind", "pfn (or swap type:offset)", "flags", "page", "cow");
	for (i = 0; i < (size_t)n; i++) {
		if (runs[i].vma != vma && res.nvmas) {
			const struct ptw_vma *v = &res.vmas[runs[i].vma];
			char perms[5], size[16];

			ptw_perms(v->flags, perms);
			printf("%s0x%012llx-0x%012llx %s %6s %s%s\n", C("\033[36m"),
			       (unsigned long long)v->start, (unsigned long long)v->end,
			       perms, ptw_size(size, sizeof(size), v->end - v->start),
			       v->name, C("\033[0m"));
		}
		vma = runs[i].vma;
		print_run(&runs[i].first, runs[i].count, hidden);
	}
	if (!n)
		printf("  (no entries%s)\n", cfg.vma[0] || cfg.present || cfg.swapped ||
		       cfg.huge || cfg.cow || cfg.anon || cfg.file || cfg.node >= 0 ?
		       " match the filters" : "");
out:
	ret = finish(&res);
	free(runs);
	ptw_free(&res);
	return ret;
}

/* ---- summary ------------------------------------------------------------ */

static int cmd_summary(pid_t pid)
{
	struct ptw_filter f = filter();
	struct ptw_result res;
	struct ptw_counts *c;
	bool first = true, hidden;
	size_t i;
	int ret;

	if (load(pid, NULL, &res))
		return 1;
	c = ptw_count(&res, &f);
	if (!c) {
		fprintf(stderr, "ptwalk: out of memory\n");
		ptw_free(&res);
		return 1;
	}
	/* The unprivileged view never says "ksm": its count is unknown. */
	hidden = res.hdr.flags & PTWALK_H_PHYS_HIDDEN;
	if (cfg.json)
		printf("{\"pid\":%u,\"phys_hidden\":%s,\"vmas\":[", res.hdr.pid,
		       hidden ? "true" : "false");
	else
		printf("%-29s %-4s %7s %7s %7s %7s %7s %7s %7s %7s %7s  %s\n", "vma",
		       "perm", "size", "present", "swapped", "thp", "hugetlb", "zero",
		       "ksm", "cow", "sd", "name");
	for (i = 0; i < res.nvmas; i++) {
		const struct ptw_vma *v = &res.vmas[i];
		const struct ptw_counts *k = &c[i];
		char perms[5], s[9][16], ksm[24];

		if (cfg.vma[0] && !strstr(v->name, cfg.vma))
			continue;
		if (cfg.json) {
			printf("%s", first ? "" : ",");
			first = false;
			if (hidden)
				snprintf(ksm, sizeof(ksm), "null");
			else
				snprintf(ksm, sizeof(ksm), "%" PRIu64, k->ksm);
			ptw_json_vma_open(stdout, v);
			printf(",\"pages\":{\"present\":%" PRIu64 ",\"swapped\":%" PRIu64
			       ",\"thp\":%" PRIu64 ",\"hugetlb\":%" PRIu64 ",\"zero\":%" PRIu64
			       ",\"ksm\":%s,\"cow\":%" PRIu64 ",\"soft_dirty\":%" PRIu64 "}}",
			       k->present, k->swapped, k->thp, k->hugetlb, k->zero, ksm,
			       k->cow, k->soft_dirty);
			continue;
		}
		ptw_perms(v->flags, perms);
		if (hidden)
			snprintf(s[6], 16, "hidden");
		else
			ptw_size(s[6], 16, k->ksm << 12);
		printf("0x%012llx-0x%012llx %-4s %7s %7s %7s %7s %7s %7s %7s %7s %7s  %s\n",
		       (unsigned long long)v->start, (unsigned long long)v->end, perms,
		       ptw_size(s[0], 16, v->end - v->start),
		       ptw_size(s[1], 16, k->present << 12), ptw_size(s[2], 16, k->swapped << 12),
		       ptw_size(s[3], 16, k->thp << 12), ptw_size(s[4], 16, k->hugetlb << 12),
		       ptw_size(s[5], 16, k->zero << 12), s[6],
		       ptw_size(s[7], 16, k->cow << 12), ptw_size(s[8], 16, k->soft_dirty << 12),
		       v->name);
	}
	if (cfg.json) {
		printf("],");
		ptw_json_end(stdout, &res);
		printf("}\n");
	}
	ret = finish(&res);
	free(c);
	ptw_free(&res);
	return ret;
}

/* ---- verify ------------------------------------------------------------- */

/* Entry @index of the u64 array file @fd into *@v.  Return: whether read. */
static bool read_u64(int fd, uint64_t index, uint64_t *v)
{
	*v = 0;
	return fd >= 0 && pread(fd, v, sizeof(*v), index * 8) == sizeof(*v);
}

struct verify {
	pid_t pid;		/* 0: a snapshot, nothing to ask again */
	int pmfd, kpf, kpc;
	bool hidden;
	bool gone;		/* the process exited during the check */
	size_t checked, rechecked, bad;
	FILE *out;		/* the disagreements, printed at the end */
};

/* Compare page @page of @r with pagemap entry @pm, kpageflags, kpagecount. */
static const char *check_page(const struct verify *vs, const struct ptwalk_rec *r,
			      uint32_t vmf, uint64_t page, uint64_t pm,
			      char *why, size_t len)
{
	struct ptw_kpage kp = { 0 };
	uint64_t pfn = r->pfn + page;

	/* Root's files, about real frames: not for hidden ones or PFN maps. */
	if (!vs->hidden && r->kind == PTWALK_K_PRESENT && !(r->page & PTWALK_P_NOPAGE)) {
		kp.has_flags = read_u64(vs->kpf, pfn, &kp.flags);
		if (ptw_mapcount_comparable(r, page))
			kp.has_count = read_u64(vs->kpc, pfn, &kp.count);
	}
	return ptw_compare_pagemap(r, vmf, page, pm, &kp, vs->hidden, why, len);
}

static void report(struct verify *vs, uint64_t va, const char *lvl,
		   const char *kind, const char *msg)
{
	if (cfg.json) {
		fprintf(vs->out, "%s{\"addr\":\"0x%llx\",\"level\":\"%s\",\"kind\":\"%s\",\"reason\":",
			vs->bad ? "," : "", (unsigned long long)va, lvl, kind);
		ptw_json_str(vs->out, msg);
		fputc('}', vs->out);
	} else {
		fprintf(vs->out, "%sMISMATCH%s 0x%llx %s %s: %s\n", C("\033[1;31m"),
			C("\033[0m"), (unsigned long long)va, lvl, kind, msg);
	}
	vs->bad++;
}

/*
 * Ask the module again about the page at @va and compare it once more with
 * a fresh pagemap read.  A process that is gone sets vs->gone: that is no
 * disagreement.  Return: the disagreement that remains, or NULL.
 */
static const char *recheck(struct verify *vs, uint64_t va, uint32_t vmf,
			   char *why, size_t len)
{
	struct ptw_result again;
	const struct ptwalk_rec *r = NULL;
	const char *msg = NULL;
	uint64_t pm;
	char q[64], err[256];
	size_t i;

	vs->rechecked++;
	snprintf(q, sizeof(q), "addr=0x%llx", (unsigned long long)va);
	if (ptw_query(vs->pid, q, &again, err, sizeof(err))) {
		if (errno == ESRCH) {
			vs->gone = true;
			return NULL;
		}
		snprintf(why, len, "recheck failed: %.100s", err);
		return why;
	}
	if (again.end.status == PTWALK_END_EXITED) {
		vs->gone = true;
		ptw_free(&again);
		return NULL;
	}
	for (i = 0; i < again.nrecs; i++)
		if (again.recs[i].vaddr <= va &&
		    va < again.recs[i].vaddr + (1ULL << again.recs[i].shift))
			r = &again.recs[i];
	read_u64(vs->pmfd, va >> 12, &pm);
	if (r)
		msg = check_page(vs, r, vmf, (va - r->vaddr) >> 12, pm, why, len);
	else if (pm & (PTWALK_PM_PRESENT | PTWALK_PM_SWAP))
		msg = pm & PTWALK_PM_PRESENT ? "pagemap: present, ptwalk: no entry" :
					    "pagemap: swapped, ptwalk: no entry";
	ptw_free(&again);
	return msg;
}

/*
 * Pages of [start, end) that the module reported nothing for must be empty
 * in pagemap too.  @res's entries are sorted by address.
 */
static void verify_holes(struct verify *vs, const struct ptw_result *res,
			 const struct ptw_vma *v, size_t *next)
{
	uint64_t start = v->start > res->hdr.start ? v->start : res->hdr.start;
	uint64_t end = v->end < res->hdr.end ? v->end : res->hdr.end;
	uint64_t pm[512], va;
	char why[128];

	for (va = start; va < end && !vs->gone; ) {
		uint64_t n = (end - va) >> 12, k;
		ssize_t got;

		while (*next < res->nrecs && res->recs[*next].vaddr +
		       (1ULL << res->recs[*next].shift) <= va)
			(*next)++;
		if (n > 512)
			n = 512;
		got = pread(vs->pmfd, pm, n * 8, (va >> 12) * 8);
		if (got <= 0) {
			/* pagemap reads nothing of user space once the mm is gone. */
			vs->gone = vs->pid != 0;
			return;
		}
		n = (uint64_t)got / 8;
		for (k = 0; k < n && !vs->gone; k++, va += 4096) {
			const char *msg;

			while (*next < res->nrecs && res->recs[*next].vaddr +
			       (1ULL << res->recs[*next].shift) <= va)
				(*next)++;
			if (*next < res->nrecs && res->recs[*next].vaddr <= va)
				continue;	/* covered: compared entry by entry */
			if (!(pm[k] & (PTWALK_PM_PRESENT | PTWALK_PM_SWAP)))
				continue;
			vs->checked++;
			if (vs->pid == 0)	/* a snapshot: nothing to ask again */
				msg = pm[k] & PTWALK_PM_PRESENT ? "pagemap: present, ptwalk: no entry" :
							       "pagemap: swapped, ptwalk: no entry";
			else
				msg = recheck(vs, va, v->flags, why, sizeof(why));
			if (msg)
				report(vs, va, "-", "none", msg);
		}
	}
}

/* Compare every page of @res with pagemap (and kpage*), then its holes. */
static void verify_all(struct verify *vs, const struct ptw_result *res)
{
	struct ptw_filter f = filter();
	size_t i, next = 0;
	char why[128];
	bool kinds;

	for (i = 0; i < res->nrecs && !vs->gone; i++) {
		const struct ptwalk_rec *r = &res->recs[i];
		uint32_t vmf = vm_flags_of(res, i);
		uint64_t p, n = ptw_pages(r), pm;

		/* pagemap does not walk PFN maps (VM_PFNMAP): [vvar] and such. */
		if (!ptw_keep(res, i, &f) || (vmf & PTWALK_VMA_PFNMAP))
			continue;
		for (p = 0; p < n && !vs->gone; p++) {
			uint64_t va = r->vaddr + (p << 12);
			const char *msg;

			vs->checked++;
			read_u64(vs->pmfd, va >> 12, &pm);
			msg = check_page(vs, r, vmf, p, pm, why, sizeof(why));
			if (!msg)
				continue;
			/* The process runs on: ask both sides once more. */
			if (vs->pid)
				msg = recheck(vs, va, vmf, why, sizeof(why));
			if (msg)
				report(vs, va, ptwalk_level_name(r->level), ptwalk_kind_name(r->kind), msg);
		}
	}
	/* Pages the module left out, unless a filter left them out. */
	kinds = cfg.present || cfg.swapped || cfg.huge || cfg.cow || cfg.anon ||
		cfg.file || cfg.node >= 0;
	for (i = 0; !kinds && i < res->nvmas && !vs->gone; i++) {
		const struct ptw_vma *v = &res->vmas[i];

		if ((v->flags & PTWALK_VMA_PFNMAP) || (cfg.vma[0] && !strstr(v->name, cfg.vma)))
			continue;
		verify_holes(vs, res, v, &next);
	}
}

static int cmd_verify(pid_t pid)
{
	struct verify vs = { .pid = pid };
	char path[64], words[256], *out = NULL;
	struct ptw_result res;
	size_t outlen;
	int ret = 1;

	if (load(pid, NULL, &res))
		return 1;
	if (cfg.from[0])
		vs.pid = 0;
	if (vs.pid && res.end.status == PTWALK_END_EXITED) {
		fprintf(stderr, "ptwalk: pid %d exited during the check\n", (int)pid);
		goto out_res;
	}
	if (ptw_end_words(&res, words, sizeof(words))) {
		fprintf(stderr, "ptwalk: %s: nothing verified\n", words);
		goto out_res;
	}
	vs.hidden = res.hdr.flags & PTWALK_H_PHYS_HIDDEN;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	vs.pmfd = open(path, O_RDONLY | O_CLOEXEC);
	if (vs.pmfd < 0) {
		if (vs.pid && (errno == ENOENT || errno == ESRCH))
			fprintf(stderr, "ptwalk: pid %d exited during the check\n", (int)pid);
		else
			fprintf(stderr, "ptwalk: %s: %s\n", path,
				errno == ENOENT ? "no such process" : strerror(errno));
		goto out_res;
	}
	vs.kpf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	vs.kpc = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	vs.out = open_memstream(&out, &outlen);
	if (!vs.out) {
		fprintf(stderr, "ptwalk: out of memory\n");
		goto out_fds;
	}
	verify_all(&vs, &res);
	if (fclose(vs.out) || !out) {
		fprintf(stderr, "ptwalk: out of memory\n");
		goto out_fds;
	}
	/* What a process that exited left to compare is no disagreement. */
	if (vs.gone) {
		fprintf(stderr, "ptwalk: pid %d exited during the check\n", (int)pid);
		goto out_fds;
	}
	if (cfg.json) {
		printf("{\"pid\":%u,\"phys_hidden\":%s,\"disagreements\":[%s],\"pages_checked\":%zu,"
		       "\"rechecked\":%zu,\"mismatches\":%zu,", res.hdr.pid,
		       vs.hidden ? "true" : "false", out, vs.checked, vs.rechecked, vs.bad);
		ptw_json_end(stdout, &res);
		printf("}\n");
	} else {
		fputs(out, stdout);
		printf("verify pid %u: %zu pages checked against pagemap%s%s, %zu rechecked, %zu mismatch%s\n"
		       "  (mapcount against bit 56%s: every 4K entry and the first page of each\n"
		       "   2M/1G entry; not compared: their other pages, zero pages, PFN maps%s)\n",
		       res.hdr.pid, vs.checked, vs.kpf >= 0 ? ", kpageflags" : "",
		       vs.kpc >= 0 ? " and kpagecount" : "", vs.rechecked, vs.bad,
		       vs.bad == 1 ? "" : "es", vs.kpc >= 0 ? " and kpagecount" : "",
		       vs.hidden ? " and hidden counts" : "");
	}
	ret = vs.bad ? 1 : 0;
out_fds:
	free(out);
	close(vs.pmfd);
	if (vs.kpf >= 0)
		close(vs.kpf);
	if (vs.kpc >= 0)
		close(vs.kpc);
out_res:
	ptw_free(&res);
	return ret;
}

/* ---- snap and diff ------------------------------------------------------ */

static int cmd_snap(pid_t pid)
{
	char q[200], err[512];
	struct ptw_result res;
	void *buf;
	size_t len, off = 0;
	int ret;

	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ptwalk: snap writes binary: redirect it, e.g. ptwalk snap %d > a.snap\n",
			(int)pid);
		return 2;
	}
	query_words(q, sizeof(q), NULL);
	if (ptw_query_raw(pid, q, &buf, &len, err, sizeof(err))) {
		fprintf(stderr, "ptwalk: %s\n", err);
		return 1;
	}
	/* A snapshot diff cannot read is no snapshot: check it first. */
	if (ptw_parse(buf, len, &res, err, sizeof(err))) {
		fprintf(stderr, "ptwalk: %s\n", err);
		free(buf);
		return 1;
	}
	while (off < len) {
		ssize_t n = write(STDOUT_FILENO, (char *)buf + off, len - off);

		if (n <= 0) {
			perror("ptwalk: write");
			free(buf);
			ptw_free(&res);
			return 1;
		}
		off += n;
	}
	free(buf);
	ret = finish(&res);
	ptw_free(&res);
	return ret;
}

static int load_file(const char *path, struct ptw_result *res)
{
	char err[512];
	void *buf;
	size_t len;
	int ret;

	if (ptw_read_file(path, &buf, &len, err, sizeof(err))) {
		fprintf(stderr, "ptwalk: %s\n", err);
		return -1;
	}
	ret = ptw_parse(buf, len, res, err, sizeof(err));
	free(buf);
	if (ret)
		fprintf(stderr, "ptwalk: %s: %s\n", path, err);
	return ret;
}

static int cmd_diff(const char *fa, const char *fb)
{
	struct ptw_result a, b;
	struct ptw_change *ch;
	char words[512], size[16], why[256];
	long n, i;
	int ret = 0;

	if (load_file(fa, &a))
		return 1;
	if (load_file(fb, &b)) {
		ptw_free(&a);
		return 1;
	}
	n = ptw_diff(&a, &b, &ch);
	if (n < 0) {
		fprintf(stderr, "ptwalk: out of memory\n");
		ptw_free(&a);
		ptw_free(&b);
		return 1;
	}
	if (cfg.json) {
		printf("{\"a\":{\"file\":");
		ptw_json_str(stdout, fa);
		printf(",\"pid\":%u,", a.hdr.pid);
		ptw_json_end(stdout, &a);
		printf("},\"b\":{\"file\":");
		ptw_json_str(stdout, fb);
		printf(",\"pid\":%u,", b.hdr.pid);
		ptw_json_end(stdout, &b);
		printf("},\"changes\":[");
		for (i = 0; i < n; i++) {
			if (i)
				putchar(',');
			ptw_json_change(stdout, &ch[i]);
		}
		printf("]}\n");
	} else {
		if (a.hdr.pid != b.hdr.pid)
			printf("note: the snapshots are of different processes (pid %u and %u)\n",
			       a.hdr.pid, b.hdr.pid);
		for (i = 0; i < n; i++) {
			const struct ptwalk_rec *r = ch[i].what & PTW_D_APPEARED ?
						     &ch[i].new : &ch[i].old;

			printf("0x%012llx %s: %s\n", (unsigned long long)ch[i].vaddr,
			       ptw_size(size, sizeof(size), 1ULL << r->shift),
			       ptw_change_words(&ch[i], words, sizeof(words)));
		}
		printf("%ld change%s between %s (pid %u) and %s (pid %u)\n", n,
		       n == 1 ? "" : "s", fa, a.hdr.pid, fb, b.hdr.pid);
	}
	/* Past an incomplete snapshot's end, entries only seem to be gone. */
	if (ptw_end_words(&a, why, sizeof(why))) {
		fprintf(stderr, "ptwalk: %s: %s\n", fa, why);
		ret = 1;
	}
	if (ptw_end_words(&b, why, sizeof(why))) {
		fprintf(stderr, "ptwalk: %s: %s\n", fb, why);
		ret = 1;
	}
	free(ch);
	ptw_free(&a);
	ptw_free(&b);
	return ret;
}

int main(int argc, char **argv)
{
	struct option lopts[NOPTS + 1];
	const char *cmd = NULL, *color = "auto";
	uint64_t addr;
	pid_t pid;
	size_t i;
	int c;

	for (i = 0; i < NOPTS; i++)
		lopts[i] = (struct option){ opts[i].name, opts[i].has_arg, NULL, opts[i].val };
	memset(&lopts[NOPTS], 0, sizeof(lopts[NOPTS]));
	if (argc > 1 && (!strcmp(argv[1], "summary") || !strcmp(argv[1], "verify") ||
			 !strcmp(argv[1], "snap") || !strcmp(argv[1], "diff"))) {
		cmd = argv[1];
		argv++;
		argc--;
	}
	while ((c = getopt_long(argc, argv, "r:v:jh", lopts, NULL)) != -1) {
		switch (c) {
		case O_RANGE:
			snprintf(cfg.range, sizeof(cfg.range), "%s", optarg);
			break;
		case O_VMA:
			snprintf(cfg.vma, sizeof(cfg.vma), "%s", optarg);
			break;
		case O_WALKER:
			if (strcmp(optarg, "kernel") && strcmp(optarg, "builtin")) {
				fprintf(stderr, "ptwalk: --walker takes kernel or builtin\n");
				return 2;
			}
			snprintf(cfg.walker, sizeof(cfg.walker), "%s", optarg);
			break;
		case O_FROM:
			snprintf(cfg.from, sizeof(cfg.from), "%s", optarg);
			break;
		case O_NODE: {
			uint64_t n;

			if (parse_u64(optarg, &n) || n > 1023) {
				fprintf(stderr, "ptwalk: --node takes a node number\n");
				return 2;
			}
			cfg.node = (int)n;
			break;
		}
		case O_COLOR:
			color = optarg;
			break;
		case O_JSON: cfg.json = true; break;
		case O_PRESENT: cfg.present = true; break;
		case O_SWAPPED: cfg.swapped = true; break;
		case O_HUGE: cfg.huge = true; break;
		case O_COW: cfg.cow = true; break;
		case O_ANON: cfg.anon = true; break;
		case O_FILE: cfg.file = true; break;
		case O_HELP:
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
		fprintf(stderr, "ptwalk: --color takes auto, always or never\n");
		return 2;
	}
	cfg.color = !strcmp(color, "always") ||
		    (!strcmp(color, "auto") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	if (cfg.range[0] && !strchr(cfg.range, '-')) {
		fprintf(stderr, "ptwalk: --range takes START-END\n");
		return 2;
	}
	argc -= optind;
	argv += optind;
	/* getopt_long moved options first: "ptwalk --json summary PID". */
	if (!cmd && argc > 0 && (!strcmp(argv[0], "summary") || !strcmp(argv[0], "verify") ||
				 !strcmp(argv[0], "snap") || !strcmp(argv[0], "diff"))) {
		cmd = argv[0];
		argv++;
		argc--;
	}

	if (cmd && !strcmp(cmd, "diff")) {
		if (argc != 2) {
			usage(stderr);
			return 2;
		}
		return cmd_diff(argv[0], argv[1]);
	}
	if (argc < 1 && !(cmd && cfg.from[0])) {
		usage(stderr);
		return 2;
	}
	pid = getpid();
	if (argc >= 1 && parse_pid(argv[0], &pid))
		return 2;
	if (cmd && !strcmp(cmd, "summary"))
		return argc > 1 ? (usage(stderr), 2) : cmd_summary(pid);
	if (cmd && !strcmp(cmd, "verify"))
		return argc > 1 ? (usage(stderr), 2) : cmd_verify(pid);
	if (cmd && !strcmp(cmd, "snap"))
		return argc > 1 ? (usage(stderr), 2) : cmd_snap(pid);
	if (argc == 2) {
		if (parse_u64(argv[1], &addr)) {
			fprintf(stderr, "ptwalk: '%s' is not an address\n", argv[1]);
			return 2;
		}
		return cmd_vtop(pid, addr);
	}
	if (argc > 2) {
		usage(stderr);
		return 2;
	}
	return cmd_range(pid);
}
