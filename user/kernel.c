// SPDX-License-Identifier: GPL-2.0
/*
 * kernel - ptwalk kernel (see kernel.h): the binary kernel=1 answer into
 * runs by region, through column tables; the W+X audit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "libptwalk.h"
#include "ptwalk_names.h"

#define KERNEL_HALF	(1ULL << 63)

static int bad(char *err, size_t len, const char *why)
{
	snprintf(err, len, "not a kernel answer ptwalk can read: %s", why);
	return -1;
}

int ptw_kernel_parse(const void *buf, size_t len, struct ptw_kernel *k,
		     char *err, size_t errlen)
{
	const struct ptwalk_hdr *h = buf;
	const unsigned char *p;
	size_t n, i, step;
	bool ended = false;

	memset(k, 0, sizeof(*k));
	if (len < sizeof(*h) || h->magic != PTWALK_MAGIC)
		return bad(err, errlen, "no ptwalk header");
	if (h->version != PTWALK_VERSION)
		return bad(err, errlen, "made by another format version");
	if (!(h->flags & PTWALK_H_KERNEL))
		return bad(err, errlen, "a process's answer, not the kernel's (kernel=1)");
	if (h->arch != PTWALK_ARCH_X86_64)
		return bad(err, errlen, "not an x86-64 answer");
	step = h->rec_size;
	if (step < PTWALK_REC_SIZE || step > 4096 || h->hdr_size < sizeof(*h) ||
	    h->hdr_size > len || (len - h->hdr_size) % step)
		return bad(err, errlen, "bad record size or truncated");
	k->hdr = *h;
	n = (len - h->hdr_size) / step;
	k->regions = calloc(n ? n : 1, sizeof(*k->regions));
	k->ranges = calloc(n ? n : 1, sizeof(*k->ranges));
	if (!k->regions || !k->ranges) {
		ptw_kernel_free(k);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p = (const unsigned char *)buf + h->hdr_size;
	for (i = 0; i < n; i++, p += step) {
		union ptwalk_record r;

		memcpy(&r, p, sizeof(r));
		if (ended || (i == 0) != (r.type.type == PTWALK_REC_KINFO))
			goto corrupt;
		switch (r.type.type) {
		case PTWALK_REC_KINFO:
			k->info = r.kinfo;
			break;
		case PTWALK_REC_REGION:
			r.region.name[PTWALK_KDESC_BYTES - 1] = '\0';
			k->regions[k->nregions++] = r.region;
			break;
		case PTWALK_REC_KRANGE:
			if (r.krange.region >= k->nregions ||
			    r.krange.region != k->nregions - 1 ||
			    r.krange.end <= r.krange.start || r.krange.shift < 12 ||
			    r.krange.shift > 48 || r.krange.level > PTWALK_LVL_PGD ||
			    (k->nranges && r.krange.start < k->ranges[k->nranges - 1].end))
				goto corrupt;
			k->ranges[k->nranges++] = r.krange;
			break;
		case PTWALK_REC_LEVEL:
			if (k->nlevels == 5 || r.level.level > PTWALK_LVL_PGD)
				goto corrupt;
			k->levels[k->nlevels++] = r.level;
			break;
		case PTWALK_REC_KADDR:
			if (k->has_kaddr)
				goto corrupt;
			k->kaddr = r.kaddr;
			k->has_kaddr = true;
			break;
		case PTWALK_REC_END:
			k->end = r.end;
			ended = true;
			break;
		default:
			goto corrupt;
		}
	}
	if (!ended) {
		ptw_kernel_free(k);
		snprintf(err, errlen, "truncated answer: no end record");
		return -1;
	}
	if (!(h->flags & PTWALK_H_SINGLE) &&
	    (k->end.entries != k->nranges || k->end.vmas != k->nregions)) {
		ptw_kernel_free(k);
		snprintf(err, errlen, "corrupt answer: end record says %llu ranges, stream has %zu",
			 (unsigned long long)k->end.entries, k->nranges);
		return -1;
	}
	return 0;
corrupt:
	ptw_kernel_free(k);
	return bad(err, errlen, "records out of place or out of range");
}

void ptw_kernel_free(struct ptw_kernel *k)
{
	free(k->regions);
	free(k->ranges);
	k->regions = NULL;
	k->ranges = NULL;
}

bool ptw_kernel_wx(const struct ptwalk_krange *r)
{
	return r->start >= KERNEL_HALF && (r->bits & PTWALK_B_RW) &&
	       !(r->bits & PTWALK_B_NX);
}

/* ---- the columns ---------------------------------------------------------- */

#define COL(id, ...)	static const struct ptw_col id = { __VA_ARGS__ }

static void cell_size(struct ptw_cell *c, uint64_t bytes)
{
	char b[32];

	ptw_cell_str(c, ptw_size(b, sizeof(b), bytes));
	snprintf(c->json, sizeof(c->json), "%llu", (unsigned long long)bytes);
}

static void cell_mt(struct ptw_cell *c, uint32_t bits)
{
	ptw_cell_str(c, ptwalk_memtype_names[ptwalk_pat_index(bits)]);
}

#define RUN(name, expr)							\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	const struct ptw_krun *r = row;					\
	expr;								\
}
RUN(kr_start, ptw_cell_hex(c, r->start))
RUN(kr_end, ptw_cell_hex(c, r->end))
RUN(kr_size, cell_size(c, r->end - r->start))
RUN(kr_hw, ptw_cell_names(c, r->bits, PTWALK_B_HW_MASK & ~PTWALK_B_PSE, ptwalk_bit_names))
RUN(kr_mt, cell_mt(c, r->bits))
RUN(kr_region, ptw_cell_str(c, r->k->regions[r->region].name))

static void kr_pages(const void *row, struct ptw_cell *c)
{
	const struct ptw_krun *r = row;
	size_t t = 0, j = 0;
	int l;

	c->text[0] = '\0';
	j += snprintf(c->json, sizeof(c->json), "{");
	for (l = PTWALK_LVL_PGD; l >= PTWALK_LVL_PTE; l--) {
		static const char *const sz[] = {
			[PTWALK_LVL_PTE] = "4K", [PTWALK_LVL_PMD] = "2M",
			[PTWALK_LVL_PUD] = "1G", [PTWALK_LVL_P4D] = "512G",
			[PTWALK_LVL_PGD] = "256T",
		};

		if (!r->pages[l])
			continue;
		t += snprintf(c->text + t, t < sizeof(c->text) ? sizeof(c->text) - t : 0,
			      "%s%sx%llu", t ? "," : "", sz[l], (unsigned long long)r->pages[l]);
		j += snprintf(c->json + j, j < sizeof(c->json) ? sizeof(c->json) - j : 0,
			      "%s\"%s\":%llu", j > 1 ? "," : "", sz[l],
			      (unsigned long long)r->pages[l]);
	}
	snprintf(c->json + j, j < sizeof(c->json) ? sizeof(c->json) - j : 0, "}");
}

COL(col_kr_start, "start", 18, 0, 0, "start", kr_start, "first address of the run");
COL(col_kr_end, "end", 18, 0, 0, "end", kr_end, "its end (exclusive; 0xff..ff: the top)");
COL(col_kr_size, "size", 7, 0, PTW_COL_RIGHT, "bytes", kr_size, "bytes it maps");
COL(col_kr_hw, "hw", 20, 2, 0, "hw", kr_hw, "bits: P W U PWT PCD G NX PAT (PS: see pages)");
COL(col_kr_mt, "mt", 3, 0, 0, "memtype", kr_mt, "memory type: WB WC UC- UC WP WT");
COL(col_kr_pages, "pages", 0, 0, 0, "pages", kr_pages,
    "entries by page size: 1Gx2,2Mx500,4Kx30");
COL(col_kr_region, "region", 0, 0, PTW_COL_NOTEXT, "region", kr_region,
    "ptdump's region name");

static const struct ptw_col *const krun_cols[] = {
	&col_kr_start, &col_kr_end, &col_kr_size, &col_kr_hw, &col_kr_mt, &col_kr_pages,
};
const struct ptw_table ptw_krun_table = PTW_TABLE("ptwalk kernel (runs)", krun_cols);

static const struct ptw_col *const kwx_cols[] = {
	&col_kr_start, &col_kr_end, &col_kr_size, &col_kr_hw, &col_kr_mt, &col_kr_pages,
	&col_kr_region,
};
const struct ptw_table ptw_kwx_table = PTW_TABLE("ptwalk kernel --wx", kwx_cols);

/* The run starting at range @i; Return: the index after it. */
static size_t krun_at(const struct ptw_kernel *k, size_t i, struct ptw_krun *run)
{
	const struct ptwalk_krange *f = &k->ranges[i];
	size_t j = i;

	memset(run, 0, sizeof(*run));
	run->k = k;
	run->start = f->start;
	run->bits = f->bits & ~PTWALK_B_PSE;
	run->region = f->region;
	for (; j < k->nranges; j++) {
		const struct ptwalk_krange *r = &k->ranges[j];

		if (r->region != f->region || (r->bits & ~PTWALK_B_PSE) != run->bits ||
		    (j > i && r->start != run->end))
			break;
		run->end = r->end;
		run->pages[r->level] += (r->end - r->start) >> r->shift;
	}
	return j;
}

static void json_hex(struct ptw_json *j, const char *key, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	ptw_json_strval(j, key, b);
}

static void show_kinfo(struct ptw_json *j, FILE *f, const struct ptw_kernel *k, bool json)
{
	const struct ptwalk_kinfo *ki = &k->info;
	const char *pgd = ki->flags & PTWALK_H_KPTI ? "user" : "kernel";
	const char *kpti = ki->flags & PTWALK_H_KPTI_OFF ? "off" : "on";

	if (!json) {
		fprintf(f, "kernel page tables (pid %u %.16s): pgd=%s kpti=%s paging=%u-level\n",
			k->hdr.pid, k->hdr.comm, pgd, kpti, ki->levels);
		fprintf(f, "page_offset_base 0x%llx  vmalloc_base 0x%llx  vmemmap_base 0x%llx  phys_base 0x%llx\n",
			(unsigned long long)ki->page_offset_base,
			(unsigned long long)ki->vmalloc_base,
			(unsigned long long)ki->vmemmap_base,
			(unsigned long long)ki->phys_base);
		if ((ki->flags & PTWALK_H_KPTI) && (ki->flags & PTWALK_H_KPTI_OFF))
			fprintf(f, "KPTI is off: there is no user copy; user mode runs on the kernel's PGD\n");
		return;
	}
	ptw_json_u64(j, "pid", k->hdr.pid);
	ptw_json_strval(j, "pgd", pgd);
	ptw_json_strval(j, "kpti", kpti);
	ptw_json_u64(j, "paging", ki->levels);
	ptw_json_open(j, "bases", '{');
	json_hex(j, "page_offset_base", ki->page_offset_base);
	json_hex(j, "vmalloc_base", ki->vmalloc_base);
	json_hex(j, "vmemmap_base", ki->vmemmap_base);
	json_hex(j, "phys_base", ki->phys_base);
	ptw_json_close(j, '}');
}

static void show_end(struct ptw_json *j, const struct ptw_kernel *k)
{
	ptw_json_open(j, "end", '{');
	ptw_json_strval(j, "status", ptwalk_end_name(k->end.status));
	json_hex(j, "next", k->end.next);
	ptw_json_u64(j, "entries", k->end.entries);
	ptw_json_u64(j, "vmas", k->end.vmas);
	if (k->end.error) {
		char e[16];

		snprintf(e, sizeof(e), "%d", k->end.error);
		ptw_json_raw(j, "error", e);
	}
	ptw_json_close(j, '}');
}

void ptw_kernel_show(FILE *f, const struct ptw_kernel *k, bool json)
{
	struct ptw_json j;
	size_t i = 0, reg;

	if (json) {
		ptw_json_begin(&j, f);
		ptw_json_open(&j, NULL, '{');
	}
	show_kinfo(&j, f, k, json);
	if (json)
		ptw_json_open(&j, "regions", '[');
	for (reg = 0; reg < k->nregions; reg++) {
		const struct ptwalk_region *g = &k->regions[reg];
		bool user = g->start < KERNEL_HALF && !(k->info.flags & PTWALK_H_KPTI);

		if (user) {
			/* The kernel's tables: the reader's own user half is not news. */
			while (i < k->nranges && k->ranges[i].region == reg)
				i++;
			continue;
		}
		if (json) {
			ptw_json_open(&j, NULL, '{');
			ptw_json_strval(&j, "name", g->name);
			json_hex(&j, "start", g->start);
			ptw_json_u64(&j, "skipped", g->skipped);
			ptw_json_open(&j, "runs", '[');
		} else {
			fprintf(f, "\n%s (0x%llx)%s\n", g->name, (unsigned long long)g->start,
				g->skipped ? " -- ptdump printed only the first ranges" : "");
			if (g->ranges) {
				ptw_text_header(f, &ptw_krun_table);
				fputc('\n', f);
			}
		}
		while (i < k->nranges && k->ranges[i].region == reg) {
			struct ptw_krun run;

			i = krun_at(k, i, &run);
			if (json) {
				ptw_json_row(&j, NULL, &ptw_krun_table, &run);
			} else {
				ptw_text_row(f, &ptw_krun_table, &run);
				fputc('\n', f);
			}
		}
		if (json) {
			ptw_json_close(&j, ']');
			ptw_json_close(&j, '}');
		}
	}
	if (json) {
		ptw_json_close(&j, ']');
		show_end(&j, k);
		ptw_json_close(&j, '}');
		fputc('\n', f);
	}
}

size_t ptw_kernel_show_wx(FILE *f, const struct ptw_kernel *k, bool json)
{
	struct ptw_json j;
	size_t i, n = 0;

	if (json) {
		ptw_json_begin(&j, f);
		ptw_json_open(&j, NULL, '{');
		show_kinfo(&j, f, k, json);
		ptw_json_open(&j, "wx", '[');
	}
	for (i = 0; i < k->nranges; i++) {
		struct ptw_krun run;

		if (!ptw_kernel_wx(&k->ranges[i]))
			continue;
		memset(&run, 0, sizeof(run));
		run.k = k;
		run.start = k->ranges[i].start;
		run.end = k->ranges[i].end;
		run.bits = k->ranges[i].bits;
		run.region = k->ranges[i].region;
		run.pages[k->ranges[i].level] =
			(run.end - run.start) >> k->ranges[i].shift;
		if (json) {
			ptw_json_row(&j, NULL, &ptw_kwx_table, &run);
		} else {
			if (!n) {
				ptw_text_header(f, &ptw_kwx_table);
				fprintf(f, "  region\n");
			}
			ptw_text_row(f, &ptw_kwx_table, &run);
			fprintf(f, "  %s\n", k->regions[run.region].name);
		}
		n++;
	}
	if (json) {
		ptw_json_close(&j, ']');
		ptw_json_u64(&j, "count", n);
		show_end(&j, k);
		ptw_json_close(&j, '}');
		fputc('\n', f);
	} else {
		fprintf(f, "# %zu W+X range%s in the kernel half\n", n, n == 1 ? "" : "s");
	}
	return n;
}

void ptw_kernel_show_kaddr(FILE *f, const struct ptw_kernel *k)
{
	const struct ptwalk_kaddr *a = &k->kaddr;
	struct ptw_json j;
	size_t i;

	ptw_json_begin(&j, f);
	ptw_json_open(&j, NULL, '{');
	show_kinfo(&j, f, k, true);
	json_hex(&j, "addr", k->hdr.start);
	ptw_json_open(&j, "levels", '[');
	for (i = 0; i < k->nlevels; i++) {
		const struct ptwalk_lvl *l = &k->levels[i];
		char names[128];

		ptw_json_open(&j, NULL, '{');
		ptw_json_strval(&j, "level", ptwalk_level_name(l->level));
		ptw_json_u64(&j, "index", l->index);
		json_hex(&j, "raw", l->raw);
		json_hex(&j, "table", l->table_pfn << 12);
		ptw_json_strval(&j, "kind", ptwalk_kind_name(l->kind));
		ptw_json_strval(&j, "hw", ptw_names(names, sizeof(names), l->bits,
						    PTWALK_B_HW_MASK, ptwalk_bit_names));
		ptw_json_close(&j, '}');
	}
	ptw_json_close(&j, ']');
	ptw_json_open(&j, "leaf", '{');
	ptw_json_bool(&j, "mapped", a->kind == PTWALK_K_PRESENT);
	if (a->kind == PTWALK_K_PRESENT) {
		char names[128];

		ptw_json_strval(&j, "level", ptwalk_level_name(a->level));
		ptw_json_u64(&j, "bytes", 1ULL << a->shift);
		json_hex(&j, "phys", a->phys);
		json_hex(&j, "pfn", a->pfn);
		json_hex(&j, "raw", a->raw);
		ptw_json_strval(&j, "hw", ptw_names(names, sizeof(names), a->bits,
						    PTWALK_B_HW_MASK, ptwalk_bit_names));
		ptw_json_strval(&j, "memtype",
				ptwalk_memtype_names[ptwalk_pat_index(a->bits)]);
	}
	ptw_json_close(&j, '}');
	ptw_json_open(&j, "lookup_address", '{');
	if (a->lk_level != 0xff) {
		ptw_json_strval(&j, "level", ptwalk_level_name(a->lk_level));
		json_hex(&j, "raw", a->lk_raw);
	}
	ptw_json_close(&j, '}');
	show_end(&j, k);
	ptw_json_close(&j, '}');
	fputc('\n', f);
}
