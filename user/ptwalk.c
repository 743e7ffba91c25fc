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
 * Three tables drive it: the options (opts[], which also make the getopt
 * strings and --help), the commands (cmds[]) and, in views.c, the columns
 * of every view, which print both its text and its JSON.  verify.c does
 * verify's comparisons.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel.h"
#include "libptwalk.h"
#include "map.h"
#include "metrics.h"
#include "ptwalk_names.h"
#include "shared.h"
#include "verify.h"
#include "views.h"

#ifndef PTWALK_PKG_VERSION
#define PTWALK_PKG_VERSION	"unknown"
#endif

/* Misuse: the reason, a pointer to --help, exit status 2. */
#define misuse(...)	do {							\
	warnx(__VA_ARGS__);							\
	fprintf(stderr, "Try 'ptwalk --help' for more information.\n");	\
	exit(2);								\
} while (0)

struct opt {
	const char *name;
	int has_arg;
	int val;
	const char *arg, *help;
};

enum {
	O_RANGE = 'r', O_VMA = 'v', O_JSON = 'j', O_HELP = 'h', O_VERSION = 'V', O_OUTPUT = 'o',
	O_PRESENT = 256, O_SWAPPED, O_HUGE, O_COW, O_ANON, O_FILE, O_NODE, O_WALKER,
	O_FROM, O_COLOR, O_FRAMES, O_SVG, O_NO_PAGER,
	O_COMM, O_ALL,
	O_WX, O_KPTI,
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
	{ "frames", 0, O_FRAMES, NULL, "ptwalk PID: one line per run of contiguous frames" },
	{ "walker", 1, O_WALKER, "W", "kernel or builtin (default: the module's)" },
	{ "from", 1, O_FROM, "FILE", "verify/summary: read a saved snapshot" },
	{ "wx", 0, O_WX, NULL, "kernel: only W+X ranges; exit 1 if any, 0 if none, 3 if it could not look" },
	{ "kpti", 0, O_KPTI, NULL, "kernel: the KPTI user copy of the PGD" },
	{ "json", 0, O_JSON, NULL, "JSON output (schema in ptwalk(1))" },
	{ "output", 1, O_OUTPUT, "FILE", "map: write the picture to FILE (default: stdout)" },
	{ "svg", 0, O_SVG, NULL, "map: a static SVG instead of the HTML page" },
	{ "color", 1, O_COLOR, "WHEN", "auto (default), always or never" },
	{ "no-pager", 0, O_NO_PAGER, NULL, "never page (else: a terminal pages through $PAGER)" },
	{ "comm", 1, O_COMM, "NAME", "metrics: every process named NAME (root)" },
	{ "all", 0, O_ALL, NULL, "metrics: every process (root)" },
	{ "version", 0, O_VERSION, NULL, "the version and the format it reads" },
	{ "help", 0, O_HELP, NULL, "this help" },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static struct {
	char range[80], vma[128], walker[16], from[512], output[512], comm[16];
	bool json, present, swapped, huge, cow, anon, file, color, frames, svg, no_pager, all, wx,
	     kpti;
	int node;
} cfg = { .node = -1 };

/*
 * The commands.  Unnamed ones are chosen by their number of arguments;
 * @from_ok: with --from, the PID may be left out (the snapshot has one).
 */
struct cmd {
	const char *name, *args, *help;
	int min, max;
	bool from_ok;
	int (*run)(char **argv, int argc);
};

static int run_vtop(char **argv, int argc);
static int run_range(char **argv, int argc);
static int run_summary(char **argv, int argc);
static int run_verify(char **argv, int argc);
static int run_snap(char **argv, int argc);
static int run_diff(char **argv, int argc);
static int run_who(char **argv, int argc);
static int run_map(char **argv, int argc);
static int run_shared(char **argv, int argc);
static int run_metrics(char **argv, int argc);
static int run_kernel(char **argv, int argc);

static const struct cmd cmds[] = {
	{ NULL, "[OPTIONS] PID ADDR", "translate one address", 2, 2, false, run_vtop },
	{ NULL, "[OPTIONS] PID", "overview: entries grouped by attributes, per VMA", 1, 1, true,
	  run_range },
	{ "summary", "[OPTIONS] PID", "counts per VMA", 1, 1, true, run_summary },
	{ "verify", "[OPTIONS] PID", "check against pagemap, kpageflags, kpagecount", 1, 1,
	  true, run_verify },
	{ "snap", "PID|kernel > FILE", "save the module's raw answer", 1, 1, true, run_snap },
	{ "diff", "FILE1 FILE2", "what changed between two snapshots", 2, 2, false, run_diff },
	{ "who", "PFN[-END] | PID ADDR", "every process mapping a frame (root)", 1, 2, true,
	  run_who },
	{ "map", "[OPTIONS] PID -o FILE.html", "a picture of the address space (HTML, --svg)",
	  1, 1, true, run_map },
	{ "shared", "PID", "PID's pages other processes map too, per VMA (root)", 1, 1, false,
	  run_shared },
	{ "metrics", "PID... | --comm NAME | --all", "OpenMetrics text for Prometheus", 0, 4096,
	  true, run_metrics },
	{ "kernel", "[--wx] [--kpti] [ADDR]", "the kernel's page tables (root)", 0, 1, true,
	  run_kernel },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	char left[64];
	size_t i;

	for (i = 0; i < NCMDS; i++) {
		snprintf(left, sizeof(left), "ptwalk %s%s%s", cmds[i].name ? cmds[i].name : "",
			 cmds[i].name ? " " : "", cmds[i].args);
		fprintf(f, "%s %-28s %s\n", i ? "      " : "usage:", left, cmds[i].help);
	}
	fprintf(f, "options:\n");
	for (i = 0; i < NOPTS; i++) {
		char shrt[8] = "    ";

		if (opts[i].val < 256)
			snprintf(shrt, sizeof(shrt), "-%c, ", opts[i].val);
		snprintf(left, sizeof(left), "%s--%s%s%s", shrt, opts[i].name,
			 opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-24s %s\n", left, opts[i].help);
	}
	fprintf(f, "PID may be 'self'.  Needs ptwalk.ko loaded; root for other processes,\n"
		   "/proc/ptwalk for your own (see ptwalk(1)).\n");
	fprintf(f, "\nThe columns of each view: text header, JSON key, meaning.\n");
	for (i = 0; ptw_views[i]; i++) {
		fputc('\n', f);
		ptw_table_help(f, ptw_views[i]);
	}
	fputc('\n', f);
	ptw_table_help(f, &ptw_shared_vma_table);
	fputc('\n', f);
	ptw_table_help(f, &ptw_shared_pair_table);
	for (i = 0; i < 2; i++) {
		fputc('\n', f);
		ptw_table_help(f, i ? &ptw_kwx_table : &ptw_krun_table);
	}
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end ? -1 : 0;
}

static pid_t parse_pid(const char *s)
{
	uint64_t v;

	if (!strcmp(s, "self"))
		return getpid();
	if (parse_u64(s, &v) || v == 0 || v > 0x3fffffff)
		misuse("'%s' is not a process id", s);
	return (pid_t)v;
}

/* The PID of a command that may take it from --from's snapshot. */
static pid_t pid_arg(char **argv, int argc)
{
	return argc ? parse_pid(argv[0]) : getpid();
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

/* Whether a filter other than --vma and --range is set. */
static bool kind_filters(void)
{
	return cfg.present || cfg.swapped || cfg.huge || cfg.cow || cfg.anon ||
	       cfg.file || cfg.node >= 0;
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

/* A snapshot file, parsed; @path says which in errors when @name_it. */
static int load_file(const char *path, struct ptw_result *res, bool name_it)
{
	char err[512];
	void *buf;
	size_t len;
	int ret;

	if (ptw_read_file(path, &buf, &len, err, sizeof(err))) {
		warnx("%s", err);
		return -1;
	}
	ret = ptw_parse(buf, len, res, err, sizeof(err));
	free(buf);
	if (ret && name_it)
		warnx("%s: %s", path, err);
	else if (ret)
		warnx("%s", err);
	return ret;
}

static int load(pid_t pid, const char *extra, struct ptw_result *res)
{
	char q[200], err[512];

	if (cfg.from[0])
		return load_file(cfg.from, res, false);
	query_words(q, sizeof(q), extra);
	if (!ptw_query(pid, q, res, err, sizeof(err)))
		return 0;
	warnx("%s", err);
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
	warnx("%s", why);
	return 1;
}

static bool hidden_of(const struct ptw_result *res)
{
	return res->hdr.flags & PTWALK_H_PHYS_HIDDEN;
}

/* The JSON of a command: its envelope @doc, then the caller's members. */
static void json_doc(struct ptw_json *j, const struct ptw_table *doc,
		     const struct ptw_result *res, uint64_t addr)
{
	struct ptw_doc d = { .res = res, .addr = addr };

	ptw_json_begin(j, stdout);
	ptw_json_open(j, NULL, '{');
	ptw_json_cols(j, doc, &d);
}

/* ... and its end object, closing it. */
static void json_doc_end(struct ptw_json *j, const struct ptw_result *res)
{
	struct ptw_doc d = { .res = res };

	ptw_json_cols(j, &ptw_end_doc, &d);
	ptw_json_close(j, '}');
	putchar('\n');
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

static void vtop_json(const struct ptw_result *res, uint64_t addr,
		      const struct ptwalk_rec *leaf)
{
	struct ptw_entry_row e = { .r = leaf, .count = 1, .hidden = hidden_of(res),
				   .vma_flags = res->nvmas ? res->vmas[0].flags : 0 };
	struct ptw_vma_row v = { res->nvmas ? &res->vmas[0] : NULL };
	struct ptw_json j;
	size_t i;

	json_doc(&j, &ptw_vtop_doc, res, addr);
	ptw_json_open(&j, "levels", '[');
	for (i = 0; i < res->nlevels; i++) {
		struct ptw_level_row l = { &res->levels[i], e.hidden };

		ptw_json_row(&j, NULL, &ptw_level_table, &l);
	}
	ptw_json_close(&j, ']');
	if (v.v)
		ptw_json_row(&j, "vma", &ptw_vma_table, &v);
	else
		ptw_json_raw(&j, "vma", "null");
	if (leaf)
		ptw_json_row(&j, "entry", &ptw_entry_table, &e);
	else
		ptw_json_raw(&j, "entry", "null");
	json_doc_end(&j, res);
}

/* The leaf's page, in words. */
static void vtop_present(const struct ptwalk_rec *leaf, uint64_t addr, bool hidden,
			 uint32_t vmf)
{
	char b1[160], b2[128];

	printf("%s page at pfn ", ptw_size(b1, sizeof(b1), 1ULL << leaf->shift));
	if (hidden)
		printf("hidden (physical addresses hidden: needs CAP_SYS_ADMIN)\n");
	else
		printf("0x%llx: physical address %s0x%llx%s\n",
		       (unsigned long long)leaf->pfn, C("\033[1;32m"),
		       (unsigned long long)((leaf->pfn << 12) + addr - leaf->vaddr),
		       C("\033[0m"));
	printf("  bits: %s", ptw_names(b1, sizeof(b1), leaf->bits, PTWALK_B_HW_MASK,
					ptw_bit_names()));
	printf("  software: %s\n", ptw_names(b2, sizeof(b2), leaf->bits, PTWALK_B_SW_MASK,
					    ptw_bit_names()));
	printf("  state: %s; %s\n", ptw_dirty_words(leaf), ptw_soft_dirty_words(leaf, vmf));
	printf("  page: %s", ptw_names(b2, sizeof(b2), leaf->page, ~PTWALK_P_PGFLAGS_MASK,
				       ptwalk_page_names));
	if (ptw_folio_words(b1, sizeof(b1), leaf))
		printf("  %s\n  flags: %s", b1, hidden ? "hidden" :
		       ptw_names(b2, sizeof(b2), leaf->page, PTWALK_P_PGFLAGS_MASK,
				 ptwalk_page_names));
	printf("\n  write: %s%s%s\n", C("\033[1;33m"), ptw_cow_words(leaf->cow), C("\033[0m"));
}

/* What the leaf maps, in words. */
static void vtop_leaf(const struct ptw_result *res, const struct ptwalk_rec *leaf,
		      uint64_t addr)
{
	uint32_t vmf = res->nvmas ? res->vmas[0].flags : 0;
	bool hidden = hidden_of(res);
	char b1[160];

	if (!leaf) {
		printf("no page: %s\n", res->nvmas ?
		       "never touched (or dropped); the first access faults a page in" :
		       "an access here is a segmentation fault");
		return;
	}
	switch (leaf->kind) {
	case PTWALK_K_PRESENT:
		vtop_present(leaf, addr, hidden, vmf);
		break;
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
}

static void vtop_text(const struct ptw_result *res, uint64_t addr,
		      const struct ptwalk_rec *leaf)
{
	size_t i;

	printf("%spid %u (%s), virtual address 0x%llx%s, %d-level paging\n",
	       C("\033[1m"), res->hdr.pid, res->hdr.comm, (unsigned long long)addr,
	       C("\033[0m"), res->hdr.flags & PTWALK_H_LA57 ? 5 : 4);
	if (res->nvmas) {
		char perms[5];

		ptw_perms(res->vmas[0].flags, perms);
		printf("in VMA 0x%llx-0x%llx %s %s\n", (unsigned long long)res->vmas[0].start,
		       (unsigned long long)res->vmas[0].end, perms, res->vmas[0].name);
	} else {
		printf("not in any VMA: the address is not mapped\n");
	}
	printf("\n  ");
	ptw_text_header(stdout, &ptw_level_table);
	putchar('\n');
	for (i = 0; i < res->nlevels; i++) {
		struct ptw_level_row l = { &res->levels[i], hidden_of(res) };

		printf("  ");
		ptw_text_row(stdout, &ptw_level_table, &l);
		putchar('\n');
	}
	putchar('\n');
	vtop_leaf(res, leaf, addr);
}

static int run_vtop(char **argv, int argc)
{
	pid_t pid = parse_pid(argv[0]);
	const struct ptwalk_rec *leaf;
	struct ptw_result res;
	uint64_t addr;
	char q[64];
	int ret;

	(void)argc;
	if (parse_u64(argv[1], &addr))
		misuse("'%s' is not an address", argv[1]);
	snprintf(q, sizeof(q), " addr=0x%llx", (unsigned long long)addr);
	cfg.range[0] = '\0';
	if (load(pid, q, &res))
		return 1;
	leaf = ptw_find(&res, addr);
	if (cfg.json)
		vtop_json(&res, addr, leaf);
	else
		vtop_text(&res, addr, leaf);
	ret = finish(&res);
	ptw_free(&res);
	return ret;
}

/* ---- ptwalk PID: the overview (groups), or runs with --frames -------- */

static struct ptw_entry_row run_row(const struct ptw_result *res, const struct ptw_run *r)
{
	struct ptw_entry_row e = {
		.r = &r->first, .count = r->count, .hidden = hidden_of(res),
		.vma_flags = res->nvmas ? res->vmas[r->vma].flags : 0,
	};

	return e;
}

static struct ptw_group_row group_row(const struct ptw_result *res, const struct ptw_group *g)
{
	struct ptw_group_row w = {
		.g = g, .hidden = hidden_of(res),
		.vma_flags = res->nvmas ? res->vmas[g->vma].flags : 0,
	};

	return w;
}

/* The overview's lines: groups, and the runs of each with --frames. */
struct range_view {
	const struct ptw_run *runs;
	const struct ptw_group *groups;
	size_t ngroups;
};

/*
 * Grouped like the text view: VMAs with their groups and, with --frames,
 * their runs ("entries").
 */
static void range_json(const struct ptw_result *res, const struct range_view *rv)
{
	size_t i, r, first = 0, vma = (size_t)-1;
	struct ptw_json j;

	json_doc(&j, &ptw_range_doc, res, 0);
	ptw_json_open(&j, "vmas", '[');
	for (i = 0; i <= rv->ngroups; i++) {
		const struct ptw_group *g = i < rv->ngroups ? &rv->groups[i] : NULL;
		struct ptw_group_row w;

		if (vma != (size_t)-1 && (!g || g->vma != vma)) {
			/* The VMA's groups are written: its runs (groups first..i-1). */
			ptw_json_close(&j, ']');
			if (cfg.frames) {
				const struct ptw_group *last = &rv->groups[i - 1];

				ptw_json_open(&j, "entries", '[');
				for (r = rv->groups[first].run; r < last->run + last->runs; r++) {
					struct ptw_entry_row e = run_row(res, &rv->runs[r]);

					ptw_json_row(&j, NULL, &ptw_entry_table, &e);
				}
				ptw_json_close(&j, ']');
			}
			ptw_json_close(&j, '}');
		}
		if (!g)
			break;
		if (g->vma != vma) {
			struct ptw_vma_row v = { res->nvmas ? &res->vmas[g->vma] : NULL };

			vma = g->vma;
			first = i;
			ptw_json_open(&j, NULL, '{');
			ptw_json_cols(&j, &ptw_vma_table, &v);
			ptw_json_open(&j, "groups", '[');
		}
		w = group_row(res, g);
		ptw_json_row(&j, NULL, &ptw_group_table, &w);
	}
	ptw_json_close(&j, ']');
	json_doc_end(&j, res);
}

static void range_text(const struct ptw_result *res, const struct range_view *rv)
{
	size_t i, r, vma = (size_t)-1;

	printf("%spid %u (%s): %s, by VMA%s\n", C("\033[1m"), res->hdr.pid, res->hdr.comm,
	       cfg.frames ? "merged entries (runs of contiguous frames)" :
	       "entries grouped by attributes (--frames: by contiguous frames)", C("\033[0m"));
	printf("  ");
	ptw_text_header(stdout, cfg.frames ? &ptw_entry_table : &ptw_group_table);
	putchar('\n');
	for (i = 0; i < rv->ngroups; i++) {
		const struct ptw_group *g = &rv->groups[i];
		struct ptw_group_row w = group_row(res, g);

		if (g->vma != vma && res->nvmas) {
			struct ptw_vma_row v = { &res->vmas[g->vma] };

			printf("%s", C("\033[36m"));
			ptw_text_row(stdout, &ptw_vma_table, &v);
			printf("%s\n", C("\033[0m"));
		}
		vma = g->vma;
		if (!cfg.frames) {
			printf("  ");
			ptw_text_row(stdout, &ptw_group_table, &w);
			putchar('\n');
			continue;
		}
		for (r = 0; r < g->runs; r++) {
			struct ptw_entry_row e = run_row(res, &rv->runs[g->run + r]);

			printf("  ");
			ptw_text_row(stdout, &ptw_entry_table, &e);
			putchar('\n');
		}
	}
	if (!rv->ngroups)
		printf("  (no entries%s)\n", cfg.vma[0] || kind_filters() ?
		       " match the filters" : "");
}

static int run_kpti(pid_t pid);

/*
 * The answer for @pid's range as a file to read: the module's, the query
 * sent, or --from's snapshot.  Return: the fd (*@path names it), or -1, said.
 */
static int open_raw(pid_t pid, const char **path)
{
	char q[200], err[512];
	int fd;

	if (cfg.from[0]) {
		*path = cfg.from;
		fd = open(cfg.from, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			warn("%s", cfg.from);
		return fd;
	}
	query_words(q, sizeof(q), NULL);
	fd = ptw_query_open(pid, q, path, err, sizeof(err));
	if (fd < 0)
		warnx("%s", err);
	return fd;
}

static int run_range(char **argv, int argc)
{
	struct ptw_filter f = filter();
	struct ptw_group *groups = NULL;
	struct ptw_run *runs = NULL;
	struct ptw_result res;
	const char *path;
	char err[512];
	size_t nruns;
	long ng;
	int ret, fd;

	if (cfg.kpti)
		return run_kpti(pid_arg(argv, argc));
	fd = open_raw(pid_arg(argv, argc), &path);
	if (fd < 0)
		return 1;
	/*
	 * Runs only for --frames: the groups are made as the answer is read,
	 * through one buffer (a GiB's answer is never held whole).
	 */
	ng = ptw_parse_groups_fd(fd, path, &res, &f, cfg.frames ? &runs : NULL, &nruns,
				 &groups, err, sizeof(err));
	close(fd);
	if (ng < 0) {
		warnx("%s", err);
		return 1;
	}
	{
		struct range_view rv = { runs, groups, (size_t)ng };

		if (cfg.json)
			range_json(&res, &rv);
		else
			range_text(&res, &rv);
	}
	ret = finish(&res);
	free(groups);
	free(runs);
	ptw_free(&res);
	return ret;
}

/* ---- map ---------------------------------------------------------------- */

static int run_map(char **argv, int argc)
{
	struct ptw_filter f = filter();
	struct ptw_result res;
	struct ptw_run *runs;
	FILE *out = stdout;
	long n;
	int ret;

	if (cfg.json)
		misuse("map takes no --json: the page holds its data as JSON");
	if (!cfg.output[0] && isatty(STDOUT_FILENO)) {
		warnx("map writes %s: give it a file, e.g. ptwalk map %s -o map.%s",
		      cfg.svg ? "SVG" : "HTML", argc ? argv[0] : "PID", cfg.svg ? "svg" : "html");
		return 2;
	}
	if (load(pid_arg(argv, argc), NULL, &res))
		return 1;
	n = ptw_runs(&res, &f, &runs);
	if (n >= 0 && cfg.output[0] && strcmp(cfg.output, "-")) {
		out = fopen(cfg.output, "we");
		if (!out) {
			warn("%s", cfg.output);
			free(runs);
			ptw_free(&res);
			return 1;
		}
	}
	ret = n < 0 || ptw_map_write(out, &res, runs, (size_t)n, cfg.svg) ? -1 : 0;
	if (ret)
		warnx("out of memory");
	if (out != stdout && fclose(out) && !ret) {
		warn("%s", cfg.output);
		ret = -1;
	}
	ret = ret ? 1 : finish(&res);
	free(runs);
	ptw_free(&res);
	return ret;
}

/* ---- summary ------------------------------------------------------------ */

static void summary_print(const struct ptw_result *res, const struct ptw_counts *c)
{
	struct ptw_json j;
	size_t i;

	if (cfg.json) {
		json_doc(&j, &ptw_summary_doc, res, 0);
		ptw_json_open(&j, "vmas", '[');
	} else {
		ptw_text_header(stdout, &ptw_summary_table);
		putchar('\n');
	}
	for (i = 0; i < res->nvmas; i++) {
		struct ptw_summary_row s = { &res->vmas[i], &c[i], hidden_of(res) };

		if (cfg.vma[0] && !strstr(s.v->name, cfg.vma))
			continue;
		if (cfg.json) {
			ptw_json_row(&j, NULL, &ptw_summary_table, &s);
			continue;
		}
		ptw_text_row(stdout, &ptw_summary_table, &s);
		putchar('\n');
	}
	if (cfg.json) {
		ptw_json_close(&j, ']');
		json_doc_end(&j, res);
	}
}

/*
 * The answer for @pid (or --from's snapshot) counted per VMA as it is
 * parsed, its entries not kept (ptw_parse_count()).  Return: the counts,
 * or NULL having said why.
 */
static struct ptw_counts *load_counts(pid_t pid, const struct ptw_filter *f,
				      struct ptw_result *res)
{
	struct ptw_counts *c;
	char q[200], err[512];
	void *buf;
	size_t len;

	/*
	 * The module counts (format=summary) unless the counts need the
	 * entries: a snapshot (--from) or a filter but --vma and --range.
	 */
	bool in_module = !cfg.from[0] && !kind_filters();

	if (cfg.from[0]) {
		if (ptw_read_file(cfg.from, &buf, &len, err, sizeof(err))) {
			warnx("%s", err);
			return NULL;
		}
	} else {
		query_words(q, sizeof(q), NULL);
		if ((in_module ? ptw_query_summary_raw : ptw_query_raw)(pid, q, &buf, &len,
									 err, sizeof(err))) {
			warnx("%s", err);
			return NULL;
		}
	}
	c = in_module ? ptw_parse_summary(buf, len, res, f->vma, err, sizeof(err)) :
			ptw_parse_count(buf, len, res, f, err, sizeof(err));
	free(buf);
	if (!c)
		warnx("%s", err);
	return c;
}

static int run_summary(char **argv, int argc)
{
	struct ptw_filter f = filter();
	struct ptw_result res;
	struct ptw_counts *c;
	int ret;

	c = load_counts(pid_arg(argv, argc), &f, &res);
	if (!c)
		return 1;
	summary_print(&res, c);
	ret = finish(&res);
	free(c);
	ptw_free(&res);
	return ret;
}

/* ---- verify ------------------------------------------------------------- */

static void verify_print(const struct ptw_verify *vs, const struct ptw_result *res)
{
	struct ptw_verify_totals n = vs->n;
	struct ptw_json j;
	size_t i;

	n.status = ptw_verify_status(vs);
	if (cfg.json) {
		json_doc(&j, &ptw_summary_doc, res, 0);
		ptw_json_open(&j, "disagreements", '[');
		for (i = 0; i < vs->n.bad; i++)
			ptw_json_row(&j, NULL, &ptw_mismatch_table, &vs->bad[i]);
		ptw_json_close(&j, ']');
		ptw_json_open(&j, "changed", '[');
		for (i = 0; i < vs->n.changed; i++)
			ptw_json_row(&j, NULL, &ptw_mismatch_table, &vs->changed[i]);
		ptw_json_close(&j, ']');
		ptw_json_cols(&j, &ptw_verify_doc, &n);
		if (vs->gone.why)
			ptw_json_row(&j, "gone", &ptw_verify_gone_doc, &vs->gone);
		else
			ptw_json_raw(&j, "gone", "null");
		json_doc_end(&j, res);
		return;
	}
	for (i = 0; i < vs->n.bad; i++) {
		printf("%sMISMATCH%s ", C("\033[1;31m"), C("\033[0m"));
		ptw_text_row(stdout, &ptw_mismatch_table, &vs->bad[i]);
		putchar('\n');
	}
	for (i = 0; i < vs->n.changed; i++) {
		printf("%sCHANGED%s ", C("\033[1;33m"), C("\033[0m"));
		ptw_text_row(stdout, &ptw_mismatch_table, &vs->changed[i]);
		putchar('\n');
	}
	printf("verify pid %d: %zu page%s checked against pagemap%s%s, %zu rechecked, %zu mismatch%s, "
	       "%zu changed while checked: %s\n"
	       "  (mapcount against bit 56%s: every 4K entry and the first page of each\n"
	       "   2M/1G entry; not compared: their other pages, zero pages, hidden counts%s)\n",
	       (int)vs->pid, vs->n.checked, vs->n.checked == 1 ? "" : "s",
	       vs->kpf >= 0 ? ", kpageflags" : "",
	       vs->kpc >= 0 ? " and kpagecount" : "", vs->n.rechecked, vs->n.bad,
	       vs->n.bad == 1 ? "" : "es", vs->n.changed, ptw_verify_result_name(n.status),
	       vs->kpc >= 0 ? " and kpagecount" : "", vs->hidden ? " (all hidden here)" : "");
}

static int run_verify(char **argv, int argc)
{
	pid_t pid = pid_arg(argv, argc);
	struct ptw_verify vs = PTW_VERIFY_INIT;
	struct ptw_result res = { 0 };
	char words[256];
	int ret;

	vs.pid = pid;
	vs.live = !cfg.from[0];
	vs.filter = filter();
	/* Pages the module left out, unless a filter left them out. */
	vs.holes = !kind_filters();
	/*
	 * The process must be there when the check starts, and its pagemap
	 * open first: reading it stops working once the mm the module is
	 * asked about next is gone (exit or exec).
	 */
	if (ptw_verify_begin(&vs, pid) || ptw_verify_open(&vs, pid)) {
		if (!vs.gone.why) {
			ptw_verify_close(&vs);
			return PTW_VERIFY_FAILED;
		}
		/* No answer: the end object says why. */
		res.hdr.pid = pid;
		res.end.status = PTWALK_END_EXITED;
	} else if (load(pid, NULL, &res)) {
		/* Gone since: it went during the check; else a failure. */
		if (!ptw_verify_went(&vs)) {
			ptw_verify_close(&vs);
			return PTW_VERIFY_FAILED;
		}
		/* No answer: the end object says why. */
		res.hdr.pid = pid;
		res.end.status = PTWALK_END_EXITED;
	} else if (vs.live && res.end.status == PTWALK_END_EXITED) {
		ptw_verify_went(&vs);
		if (!vs.gone.why)	/* the module said so: an exit */
			vs.gone.why = PTW_GONE_EXITED;
	} else if (ptw_end_words(&res, words, sizeof(words))) {
		warnx("%s: nothing verified", words);
		vs.failed = true;
	} else {
		ptw_verify_run(&vs, &res);
	}
	if (vs.nomem)
		warnx("out of memory");
	if (vs.gone.why)
		warnx("%s", ptw_verify_gone_words(&vs, words, sizeof(words)));
	if (!vs.failed && !vs.nomem)
		verify_print(&vs, &res);
	ret = ptw_verify_status(&vs);
	ptw_verify_close(&vs);
	ptw_free(&res);
	return ret;
}

/* ---- snap and diff ------------------------------------------------------ */

static int write_all(const void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(STDOUT_FILENO, (const char *)buf + off, len - off);

		if (n <= 0) {
			warn("write");
			return -1;
		}
		off += n;
	}
	return 0;
}

static int snap_kernel(void);

static int run_snap(char **argv, int argc)
{
	pid_t pid;
	char q[200], err[512];
	struct ptw_result res;
	void *buf;
	size_t len;
	int ret;

	if (argc && !strcmp(argv[0], "kernel"))
		return snap_kernel();
	pid = pid_arg(argv, argc);
	if (isatty(STDOUT_FILENO)) {
		warnx("snap writes binary: redirect it, e.g. ptwalk snap %d > a.snap", (int)pid);
		return 2;
	}
	query_words(q, sizeof(q), NULL);
	if (ptw_query_raw(pid, q, &buf, &len, err, sizeof(err))) {
		warnx("%s", err);
		return 1;
	}
	/* A snapshot diff cannot read is no snapshot: check it first. */
	if (ptw_parse(buf, len, &res, err, sizeof(err))) {
		warnx("%s", err);
		free(buf);
		return 1;
	}
	ret = write_all(buf, len) ? 1 : finish(&res);
	free(buf);
	ptw_free(&res);
	return ret;
}

static void diff_print(const struct ptw_result *a, const struct ptw_result *b,
		       char **files, const struct ptw_change *ch, long n)
{
	struct ptw_doc da = { .res = a, .file = files[0] }, db = { .res = b, .file = files[1] };
	struct ptw_json j;
	long i;

	if (cfg.json) {
		ptw_json_begin(&j, stdout);
		ptw_json_open(&j, NULL, '{');
		ptw_json_row(&j, "a", &ptw_snapshot_doc, &da);
		ptw_json_row(&j, "b", &ptw_snapshot_doc, &db);
		ptw_json_open(&j, "changes", '[');
		for (i = 0; i < n; i++)
			ptw_json_row(&j, NULL, &ptw_change_table, &ch[i]);
		ptw_json_close(&j, ']');
		ptw_json_close(&j, '}');
		putchar('\n');
		return;
	}
	if (a->hdr.pid != b->hdr.pid)
		printf("note: the snapshots are of different processes (pid %u and %u)\n",
		       a->hdr.pid, b->hdr.pid);
	for (i = 0; i < n; i++) {
		ptw_text_row(stdout, &ptw_change_table, &ch[i]);
		putchar('\n');
	}
	printf("%ld change%s between %s (pid %u) and %s (pid %u)\n", n, n == 1 ? "" : "s",
	       files[0], a->hdr.pid, files[1], b->hdr.pid);
}

static int run_diff(char **argv, int argc)
{
	struct ptw_result res[2];
	struct ptw_change *ch;
	char why[256];
	int i, ret = 0;
	long n;

	(void)argc;
	if (load_file(argv[0], &res[0], true))
		return 1;
	if (load_file(argv[1], &res[1], true)) {
		ptw_free(&res[0]);
		return 1;
	}
	n = ptw_diff(&res[0], &res[1], &ch);
	if (n < 0)
		warnx("out of memory");
	else
		diff_print(&res[0], &res[1], argv, ch, n);
	/* Past an incomplete snapshot's end, entries only seem to be gone. */
	for (i = 0; i < 2; i++) {
		if (n < 0 || ptw_end_words(&res[i], why, sizeof(why))) {
			if (n >= 0)
				warnx("%s: %s", argv[i], why);
			ret = 1;
		}
	}
	if (n >= 0)
		free(ch);
	ptw_free(&res[0]);
	ptw_free(&res[1]);
	return ret;
}

/* ---- options and commands ---------------------------------------------- */

/* getopt_long's tables from opts[]: ":r:v:jVh" and the long options. */
static void getopt_tables(char *shrt, size_t len, struct option *lopts)
{
	size_t i, at = 0;

	shrt[at++] = ':';	/* a missing argument is ':', not '?' */
	for (i = 0; i < NOPTS; i++) {
		lopts[i] = (struct option){ opts[i].name, opts[i].has_arg, NULL, opts[i].val };
		if (opts[i].val >= 256 || at + 3 > len)
			continue;
		shrt[at++] = (char)opts[i].val;
		if (opts[i].has_arg)
			shrt[at++] = ':';
	}
	shrt[at] = '\0';
	memset(&lopts[NOPTS], 0, sizeof(lopts[NOPTS]));
}

static void set_string(char *dst, size_t len, const char *src, const char *what)
{
	if (strlen(src) >= len)
		misuse("%s is too long", what);
	snprintf(dst, len, "%s", src);
}

/* One option; --color sets *@color, checked. */
static void option(int c, const char **color, char **argv)
{
	uint64_t n;

	switch (c) {
	case O_RANGE:
		set_string(cfg.range, sizeof(cfg.range), optarg, "--range");
		if (!strchr(cfg.range, '-'))
			misuse("--range takes START-END");
		break;
	case O_VMA: set_string(cfg.vma, sizeof(cfg.vma), optarg, "--vma"); break;
	case O_FROM: set_string(cfg.from, sizeof(cfg.from), optarg, "--from"); break;
	case O_COMM: set_string(cfg.comm, sizeof(cfg.comm), optarg, "--comm"); break;
	case O_ALL: cfg.all = true; break;
	case O_WX: cfg.wx = true; break;
	case O_KPTI: cfg.kpti = true; break;
	case O_WALKER:
		if (strcmp(optarg, "kernel") && strcmp(optarg, "builtin"))
			misuse("--walker takes kernel or builtin");
		set_string(cfg.walker, sizeof(cfg.walker), optarg, "--walker");
		break;
	case O_NODE:
		if (parse_u64(optarg, &n) || n > 1023)
			misuse("--node takes a node number");
		cfg.node = (int)n;
		break;
	case O_COLOR:
		if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
			misuse("--color takes auto, always or never");
		*color = optarg;
		break;
	case O_JSON: cfg.json = true; break;
	case O_PRESENT: cfg.present = true; break;
	case O_SWAPPED: cfg.swapped = true; break;
	case O_HUGE: cfg.huge = true; break;
	case O_COW: cfg.cow = true; break;
	case O_ANON: cfg.anon = true; break;
	case O_FILE: cfg.file = true; break;
	case O_FRAMES: cfg.frames = true; break;
	case O_SVG: cfg.svg = true; break;
	case O_NO_PAGER: cfg.no_pager = true; break;
	case O_OUTPUT: set_string(cfg.output, sizeof(cfg.output), optarg, "--output"); break;
	case O_HELP: usage(stdout); exit(0);
	case O_VERSION: printf("ptwalk %s (format %d)\n", PTWALK_PKG_VERSION, PTWALK_VERSION); exit(0);
	case ':': misuse("option '%s' requires an argument", argv[optind - 1]);
	default: misuse("unrecognized option '%s'", argv[optind - 1]);
	}
}

static void parse_options(int argc, char **argv)
{
	struct option lopts[NOPTS + 1];
	const char *color = "auto";
	char shrt[2 * NOPTS + 2];
	int c;

	getopt_tables(shrt, sizeof(shrt), lopts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, shrt, lopts, NULL)) != -1)
		option(c, &color, argv);
	cfg.color = !strcmp(color, "always") ||
		    (!strcmp(color, "auto") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
}

/* The command named @name, or NULL. */
/* ---- who ---------------------------------------------------------------- */

/* "N" or "A-B" (B exclusive, as the module's pfn=) into [*lo, *hi). */
static void parse_pfns(const char *s, uint64_t *lo, uint64_t *hi)
{
	char a[40], *dash;

	snprintf(a, sizeof(a), "%s", s);
	dash = strchr(a, '-');
	if (dash)
		*dash = '\0';
	if (parse_u64(a, lo) || (dash && parse_u64(dash + 1, hi)))
		misuse("'%s' is not a frame number (PFN) or PFN-END", s);
	if (!dash)
		*hi = *lo + 1;
	if (*hi <= *lo || *hi - *lo > PTWALK_WHO_MAX_FRAMES)
		misuse("'%s': a range of 1 to %d frames, END exclusive", s, PTWALK_WHO_MAX_FRAMES);
}

/* The frame @pid maps @addr to, by the module's translation; 0 if none. */
static int frame_of(pid_t pid, uint64_t addr, uint64_t *pfn)
{
	const struct ptwalk_rec *e;
	struct ptw_result res;
	char extra[64];

	snprintf(extra, sizeof(extra), " addr=0x%llx", (unsigned long long)addr);
	if (load(pid, extra, &res))
		return -1;
	e = ptw_find(&res, addr);
	if (!e || e->kind != PTWALK_K_PRESENT) {
		warnx("pid %d: 0x%llx maps no frame (%s)", (int)pid, (unsigned long long)addr,
		      e ? ptwalk_kind_name(e->kind) : "no entry");
	} else if (hidden_of(&res)) {
		warnx("pid %d: frames are hidden from you: ptwalk who needs root", (int)pid);
	} else if (e->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO)) {
		warnx("pid %d: 0x%llx maps %s: nothing to look up", (int)pid,
		      (unsigned long long)addr, e->page & PTWALK_P_NOPAGE ?
		      "a frame without struct page (a PFN map)" : "the shared zero page");
	} else {
		*pfn = e->pfn + ((addr - e->vaddr) >> 12);
		ptw_free(&res);
		return 0;
	}
	ptw_free(&res);
	return -1;
}

static struct ptw_who_row who_row(const struct ptw_result *res, size_t i)
{
	const struct ptwalk_rec *r = &res->recs[i];
	uint64_t first = r->pfn > res->hdr.start ? r->pfn : res->hdr.start;
	struct ptw_who_row w = {
		.e = { .r = r, .count = 1, .vma_flags = res->vmas[res->rec_vma[i]].flags },
		.v = { &res->vmas[res->rec_vma[i]] },
		.t = &res->tasks[res->rec_task[i]],
		.addr = r->vaddr + ((first - r->pfn) << 12),
		.frames = ptw_overlap(r, res->hdr.start, res->hdr.end),
	};

	return w;
}

static void who_json(const struct ptw_result *res)
{
	struct ptw_doc d = { .res = res };
	struct ptw_json j;
	size_t i;

	json_doc(&j, &ptw_who_doc, res, 0);
	ptw_json_open(&j, "mappings", '[');
	for (i = 0; i < res->nrecs; i++) {
		struct ptw_who_row w = who_row(res, i);

		ptw_json_row(&j, NULL, &ptw_who_table, &w);
	}
	ptw_json_close(&j, ']');
	ptw_json_open(&j, "frames", '[');
	for (i = 0; i < res->nframes; i++) {
		struct ptw_frame_row f = { &res->frames[i] };

		ptw_json_row(&j, NULL, &ptw_frame_table, &f);
	}
	ptw_json_close(&j, ']');
	ptw_json_cols(&j, &ptw_tally_doc, &d);
	json_doc_end(&j, res);
}

static void who_text(const struct ptw_result *res)
{
	const struct ptwalk_tally *t = &res->tally;
	size_t i;

	if (res->hdr.end - res->hdr.start == 1)
		printf("%swho maps frame 0x%llx%s (not atomic: processes run on while visited)\n",
		       C("\033[1m"), (unsigned long long)res->hdr.start, C("\033[0m"));
	else
		printf("%swho maps frames 0x%llx-0x%llx%s (not atomic: processes run on while visited)\n",
		       C("\033[1m"), (unsigned long long)res->hdr.start,
		       (unsigned long long)res->hdr.end - 1, C("\033[0m"));
	ptw_text_header(stdout, &ptw_who_table);
	putchar('\n');
	for (i = 0; i < res->nrecs; i++) {
		struct ptw_who_row w = who_row(res, i);

		ptw_text_row(stdout, &ptw_who_table, &w);
		putchar('\n');
	}
	if (!res->nrecs)
		printf("(no process maps it)\n");
	putchar('\n');
	ptw_text_header(stdout, &ptw_frame_table);
	putchar('\n');
	for (i = 0; i < res->nframes; i++) {
		struct ptw_frame_row f = { &res->frames[i] };

		ptw_text_row(stdout, &ptw_frame_table, &f);
		putchar('\n');
	}
	printf("\n%llu mapping%s found in %u process%s visited; the kernel's mapcount is %llu: %s\n",
	       (unsigned long long)t->mappings, t->mappings == 1 ? "" : "s", t->tasks,
	       t->tasks == 1 ? "" : "es",
	       (unsigned long long)t->mapcount,
	       t->equal ? "all found" :
	       "not all found (they changed meanwhile, or a mapping no process page table shows: see ptwalk(1))");
}

static int run_who(char **argv, int argc)
{
	struct ptw_result res;
	uint64_t lo, hi;
	char q[128], err[512];
	int ret;

	if (cfg.range[0])
		misuse("who takes no --range");
	if (cfg.from[0]) {
		/* A saved who-maps answer (the module's raw stream). */
		if (argc)
			misuse("who --from FILE takes no PFN or PID ADDR");
		if (load_file(cfg.from, &res, false))
			return 1;
		if (!(res.hdr.flags & PTWALK_H_WHO)) {
			warnx("%s: not a who-maps answer", cfg.from);
			ptw_free(&res);
			return 1;
		}
		goto show;
	}
	if (argc == 2) {
		pid_t pid = parse_pid(argv[0]);
		uint64_t addr;

		if (parse_u64(argv[1], &addr))
			misuse("'%s' is not an address", argv[1]);
		if (frame_of(pid, addr, &lo))
			return 1;
		hi = lo + 1;
	} else {
		parse_pfns(argv[0], &lo, &hi);
	}
	if (hi - lo == 1)
		snprintf(q, sizeof(q), "pfn=0x%llx", (unsigned long long)lo);
	else
		snprintf(q, sizeof(q), "pfn=0x%llx-0x%llx", (unsigned long long)lo,
			 (unsigned long long)hi);
	if (cfg.walker[0])
		snprintf(q + strlen(q), sizeof(q) - strlen(q), " walker=%s", cfg.walker);
	if (ptw_query_who(q, &res, err, sizeof(err))) {
		warnx("%s", err);
		return 1;
	}
show:
	if (cfg.json)
		who_json(&res);
	else
		who_text(&res);
	ret = finish(&res);
	ptw_free(&res);
	return ret;
}

/* ---- the pager ------------------------------------------------------------ */

static pid_t pager_pid;

/* The commands never paged: binary output, or a file. */
static bool pages(const struct cmd *cmd)
{
	return !cmd->name || (strcmp(cmd->name, "snap") && strcmp(cmd->name, "map"));
}

/* At exit: the output to the pager ends, and it is waited for. */
static void pager_wait(void)
{
	fflush(stdout);
	close(STDOUT_FILENO);
	while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/*
 * As git does: when stdout is a terminal, output goes through
 * $PTWALK_PAGER, else $PAGER, else "less -FRX" (which quits when it fits
 * on one screen and passes colours).  An empty one or "cat" means none.
 */
static void start_pager(void)
{
	const char *pager = getenv("PTWALK_PAGER");
	int fd[2];

	if (cfg.no_pager || !isatty(STDOUT_FILENO))
		return;
	if (!pager)
		pager = getenv("PAGER");
	if (!pager)
		pager = "less -FRX";
	if (!pager[0] || !strcmp(pager, "cat") || pipe(fd))
		return;
	fflush(stdout);
	pager_pid = fork();
	if (pager_pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return;
	}
	if (pager_pid == 0) {
		dup2(fd[0], STDIN_FILENO);
		close(fd[0]);
		close(fd[1]);
		if (!getenv("LESS"))
			setenv("LESS", "FRX", 0);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		warn("%s", pager);
		_exit(127);
	}
	dup2(fd[1], STDOUT_FILENO);
	close(fd[0]);
	close(fd[1]);
	atexit(pager_wait);
}

/* ---- shared ------------------------------------------------------------- */

static int run_shared(char **argv, int argc)
{
	pid_t pid = parse_pid(argv[0]);
	char err[512];
	struct sh s;
	int ret = 0;

	(void)argc;
	if (cfg.range[0] || cfg.from[0])
		misuse("shared takes no --range or --from");
	if (sh_run(&s, pid, cfg.walker, err, sizeof(err))) {
		warnx("%s", err);
		sh_free(&s);
		return 1;
	}
	if (cfg.json)
		sh_json(stdout, &s);
	else
		sh_text(stdout, &s);
	if (s.end.status != PTWALK_END_COMPLETE) {
		warnx("pid %d %s during the walk at 0x%llx: the answer covers its pages before that only",
		      (int)pid, s.end.status == PTWALK_END_EXITED ? "exited" : "stopped",
		      (unsigned long long)s.end.next);
		ret = 1;
	}
	sh_free(&s);
	return ret;
}

/* ---- metrics ------------------------------------------------------------ */

/*
 * Whether /proc/PID is a user process whose comm is @comm (any, if NULL):
 * kernel threads (PF_KTHREAD in stat's flags) have no address space.
 * Return: 1 yes, 0 no, -1 gone (its /proc files vanished).
 */
static int metrics_wanted(pid_t pid, const char *comm)
{
	char path[64], buf[512], *p;
	unsigned long flags;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* comm may hold ") ": the fields follow the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
		return -1;
	if (flags & 0x00200000)		/* PF_KTHREAD */
		return 0;
	if (!comm)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return !strcmp(buf, comm);
}

/* Walk @pid and add it to @m, or count why not.  Return: 0, or 1 on failure. */
static int metrics_one(struct ptw_metrics *m, pid_t pid)
{
	struct ptw_result res;
	char q[200], err[512];
	int ret = 0;

	query_words(q, sizeof(q), NULL);
	if (ptw_query(pid, q, &res, err, sizeof(err))) {
		int e = errno;

		if (e == ESRCH) {
			ptw_metrics_note(m, PTW_S_VANISHED);
			return 0;
		}
		warnx("%s", err);
		ptw_metrics_note(m, e == EACCES || e == EPERM ? PTW_S_DENIED : PTW_S_FAILED);
		return 1;
	}
	if (res.end.status == PTWALK_END_EXITED) {
		ptw_metrics_note(m, PTW_S_VANISHED);
	} else if (res.end.status != PTWALK_END_COMPLETE) {
		ret = finish(&res);
		ptw_metrics_note(m, PTW_S_FAILED);
	} else if (ptw_metrics_add(m, &res)) {
		warnx("out of memory");
		ret = 1;
	}
	ptw_free(&res);
	return ret;
}

/* --all and --comm: every user process of /proc but this one. */
static int metrics_scan(struct ptw_metrics *m)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int ret = 0;

	if (!d) {
		warn("/proc");
		return 1;
	}
	while ((de = readdir(d))) {
		uint64_t v;
		int w;

		if (parse_u64(de->d_name, &v) || !v || (pid_t)v == getpid())
			continue;
		w = metrics_wanted((pid_t)v, cfg.all ? NULL : cfg.comm);
		if (w < 0)
			ptw_metrics_note(m, PTW_S_VANISHED);
		else if (w)
			ret |= metrics_one(m, (pid_t)v);
	}
	closedir(d);
	return ret;
}

static int run_metrics(char **argv, int argc)
{
	struct ptw_metrics *m;
	int i, ret = 0;

	if (!!argc + !!cfg.comm[0] + cfg.all + !!cfg.from[0] != 1)
		misuse("metrics takes PIDs, --comm NAME, --all or --from FILE (one of them)");
	if ((cfg.all || cfg.comm[0]) && access("/sys/kernel/debug/ptwalk/walk", R_OK | W_OK))
		errx(1, "metrics %s needs root (CAP_SYS_ADMIN and debugfs mounted, module "
			"loaded): without it /proc/ptwalk shows only your own process, "
			"'ptwalk metrics self'", cfg.all ? "--all" : "--comm");
	m = ptw_metrics_new();
	if (!m)
		errx(1, "out of memory");
	if (cfg.from[0]) {
		struct ptw_result res;

		ret = load_file(cfg.from, &res, false) ? 1 : finish(&res);
		if (!ret && ptw_metrics_add(m, &res))
			errx(1, "out of memory");
		if (ret)
			ptw_metrics_note(m, PTW_S_FAILED);
		else
			ptw_free(&res);
	} else if (argc) {
		for (i = 0; i < argc; i++)
			ret |= metrics_one(m, parse_pid(argv[i]));
	} else {
		ret = metrics_scan(m);
	}
	ptw_metrics_print(stdout, m);
	ptw_metrics_free(m);
	return ret;
}

/*
 * ptwalk kernel: the module's kernel=1 text (format=merged for the
 * overview), kaddr= for ADDR.  --wx reads the text form (or a saved one,
 * --from) and lists every present kernel-half range that is writable and
 * executable: exit 1 if any, 0 if none, 3 if it could not look.
 */
#define KERNEL_CANNOT	3

static char *kernel_answer(const char *query, size_t *len)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	*len = 0;
	fd = open("/sys/kernel/debug/ptwalk/walk", O_RDWR | O_CLOEXEC);
	if (fd < 0 || !buf) {
		warn("/sys/kernel/debug/ptwalk/walk (root and ptwalk.ko needed)");
		goto fail;
	}
	if (write(fd, query, strlen(query)) < 0) {
		int e = errno;

		n = read(fd, buf, cap - 1);
		buf[n > 0 ? n : 0] = '\0';
		warnx("%s: %s (%s)", query, strerror(e), buf);
		goto fail;
	}
	while ((n = read(fd, buf + *len, cap - *len - 1)) > 0) {
		*len += n;
		if (cap - *len < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				goto fail;
			buf = nb;
			cap *= 2;
		}
	}
	buf[*len] = '\0';
	close(fd);
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* ptwalk PID --kpti: the KPTI user copy of PID's PGD, merged by region. */
static int run_kpti(pid_t pid)
{
	char q[96], *text;
	size_t len;
	int ret;

	struct ptw_kernel k;
	char err[512];

	if (cfg.from[0])
		misuse("PID --kpti takes no --from (use kernel --kpti --from FILE)");
	snprintf(q, sizeof(q), "kernel=1 user=1 pid=%d format=binary", (int)pid);
	text = kernel_answer(q, &len);
	if (!text)
		return 1;
	ret = ptw_kernel_parse(text, len, &k, err, sizeof(err));
	free(text);
	if (ret) {
		warnx("%s", err);
		return 1;
	}
	ptw_kernel_show(stdout, &k, cfg.json);
	ret = k.end.status == PTWALK_END_COMPLETE ? 0 : 1;
	ptw_kernel_free(&k);
	return ret;
}

/* ptwalk snap kernel > FILE: a kernel=1 answer for kernel --from FILE. */
static int snap_kernel(void)
{
	struct ptw_kernel k;
	char err[512];
	size_t len;
	char *buf;
	int ret;

	if (isatty(STDOUT_FILENO)) {
		warnx("snap writes binary: redirect it, e.g. ptwalk snap kernel > k.snap");
		return 2;
	}
	buf = kernel_answer(cfg.kpti ? "kernel=1 user=1 format=binary" :
			    "kernel=1 format=binary", &len);
	if (!buf)
		return 1;
	ret = ptw_kernel_parse(buf, len, &k, err, sizeof(err));
	if (ret)
		warnx("%s", err);
	else if (write_all(buf, len))
		ret = 1;
	else
		ret = k.end.status == PTWALK_END_COMPLETE ? 0 : 1;
	ptw_kernel_free(&k);
	free(buf);
	return ret ? 1 : 0;
}

static int run_kernel(char **argv, int argc)
{
	struct ptw_kernel k;
	char q[96], err[512];
	void *buf;
	size_t len;
	int ret;

	if (argc && (cfg.wx || cfg.from[0]))
		misuse("kernel ADDR takes no --wx or --from");
	if (argc) {
		char *end;
		unsigned long long a;

		errno = 0;
		a = strtoull(argv[0], &end, 0);
		if (errno || *end || end == argv[0])
			misuse("kernel: bad address '%s'", argv[0]);
		snprintf(q, sizeof(q), "kaddr=0x%llx%s%s", a, cfg.kpti ? " user=1" : "",
			 cfg.json ? " format=binary" : "");
		if (!cfg.json) {
			/* The module's own lines: every level, then the leaf. */
			buf = kernel_answer(q, &len);
			if (!buf)
				return 1;
			fwrite(buf, 1, len, stdout);
			ret = strstr(buf, "# end status=complete") ? 0 : 1;
			free(buf);
			return ret;
		}
	} else {
		snprintf(q, sizeof(q), "kernel=1%s format=binary", cfg.kpti ? " user=1" : "");
	}
	if (cfg.from[0]) {
		if (ptw_read_file(cfg.from, &buf, &len, err, sizeof(err))) {
			warnx("%s", err);
			return cfg.wx ? KERNEL_CANNOT : 1;
		}
	} else {
		buf = kernel_answer(q, &len);
		if (!buf)
			return cfg.wx ? KERNEL_CANNOT : 1;
	}
	ret = ptw_kernel_parse(buf, len, &k, err, sizeof(err));
	free(buf);
	if (ret) {
		warnx("%s", err);
		return cfg.wx ? KERNEL_CANNOT : 1;
	}
	if (cfg.wx) {
		if (k.end.status != PTWALK_END_COMPLETE) {
			warnx("the answer is not complete (%s): W+X not checked everywhere",
			      ptwalk_end_name(k.end.status));
			ret = KERNEL_CANNOT;
		} else {
			ret = ptw_kernel_show_wx(stdout, &k, cfg.json) ? 1 : 0;
		}
	} else if (argc) {
		ptw_kernel_show_kaddr(stdout, &k);
		ret = k.end.status == PTWALK_END_COMPLETE ? 0 : 1;
	} else {
		ptw_kernel_show(stdout, &k, cfg.json);
		ret = k.end.status == PTWALK_END_COMPLETE ? 0 : 1;
	}
	ptw_kernel_free(&k);
	return ret;
}

static const struct cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; name && i < NCMDS; i++)
		if (cmds[i].name && !strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

/* The unnamed command that takes @argc arguments, or NULL. */
static const struct cmd *default_cmd(int argc)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (!cmds[i].name && argc >= cmds[i].min && argc <= cmds[i].max)
			return &cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd = argc > 1 ? find_cmd(argv[1]) : NULL;
	int min;

	if (cmd) {
		argv++;
		argc--;
	}
	parse_options(argc, argv);
	argc -= optind;
	argv += optind;
	/* getopt_long moved options first: "ptwalk --json summary PID". */
	if (!cmd && argc > 0 && (cmd = find_cmd(argv[0]))) {
		argv++;
		argc--;
	}
	if (!cmd)
		cmd = default_cmd(argc);
	if (!cmd)
		misuse(argc ? "too many arguments" : "no process id");
	min = cmd->from_ok && cfg.from[0] ? 0 : cmd->min;
	if (argc < min || argc > cmd->max)
		misuse("usage: ptwalk %s%s%s", cmd->name ? cmd->name : "", cmd->name ? " " : "",
		       cmd->args);
	if (pages(cmd))
		start_pager();
	return cmd->run(argv, argc);
}
