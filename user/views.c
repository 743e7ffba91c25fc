// SPDX-License-Identifier: GPL-2.0
/*
 * views.c - the columns of every view of the ptwalk command, once.
 *
 * A column's formatter fills the text and the JSON form of its value from
 * one row (struct ptw_*_row in views.h).  Widths are the text layout of
 * ptwalk 0.1 and its JSON the schema of ptwalk(1).
 */
#include <stdio.h>
#include <string.h>

#include "ptwalk_names.h"
#include "views.h"

#define COL(id, ...)	static const struct ptw_col id = { __VA_ARGS__ }
#define ROW(type)	const struct type *w = row

static void range_text(struct ptw_cell *c, uint64_t start, uint64_t end)
{
	snprintf(c->text, sizeof(c->text), "0x%012llx-0x%012llx",
		 (unsigned long long)start, (unsigned long long)end);
}

static uint64_t run_end(const struct ptw_entry_row *w)
{
	return w->r->vaddr + (w->count << w->r->shift);
}

/* ---- entries: ptwalk PID, and the entry object ---------------------------- */

static void e_range(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	range_text(c, w->r->vaddr, run_end(w));
}

static void e_addr(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_hex(c, w->r->vaddr);
}

static void e_end(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_hex(c, run_end(w));
}

static void e_count(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);
	char size[16];

	ptw_cell_num(c, (long long)w->count);
	snprintf(c->text, sizeof(c->text), "%5zux%-3s", w->count,
		 ptw_size(size, sizeof(size), 1ULL << w->r->shift));
}

static void e_size(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_num(c, 1LL << w->r->shift);
}

static void e_level(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_str(c, ptwalk_level_name(w->r->level));
}

static void e_kind(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_str(c, ptwalk_kind_name(w->r->kind));
}

static void e_raw(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_hex(c, w->r->raw);
}

static void e_pfn(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	if (w->hidden)
		ptw_cell_null(c, "");
	else
		ptw_cell_hex(c, w->r->pfn);
	ptw_frame(c->text, sizeof(c->text), w->r, w->count, w->hidden);
}

static void e_flags(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_names(c, w->r->bits, ~0U, ptw_bit_names());
}

static void e_hw(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_names(c, w->r->bits, PTWALK_B_HW_MASK, ptw_bit_names());
}

static void e_sw(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_names(c, w->r->bits, PTWALK_B_SW_MASK, ptw_bit_names());
}

static void e_page(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_names(c, w->r->page, ~PTWALK_P_PGFLAGS_MASK, ptwalk_page_names);
}

static void e_pg(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	if (w->hidden)
		ptw_cell_null(c, "hidden");
	else
		ptw_cell_names(c, w->r->page, PTWALK_P_PGFLAGS_MASK, ptwalk_page_names);
}

/* A folio count, null when PTWALK_P_HIDDEN says it is hidden. */
static void count_cell(const struct ptw_entry_row *w, struct ptw_cell *c, long long v)
{
	if (w->r->page & PTWALK_P_HIDDEN)
		ptw_cell_null(c, "hidden");
	else
		ptw_cell_num(c, v);
}

static void e_order(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	count_cell(w, c, w->r->order);
}

static void e_subpage(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	count_cell(w, c, w->r->subpage);
}

static void e_mapcount(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	count_cell(w, c, w->r->mapcount);
}

static void e_refcount(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	count_cell(w, c, w->r->refcount);
}

static void e_node(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_num(c, w->r->node);
}

/* Text shows the verdict of present entries only. */
static void e_cow(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_str(c, ptwalk_cow_name(w->r->cow));
	if (w->r->kind != PTWALK_K_PRESENT)
		c->text[0] = '\0';
}

static void e_soft_dirty(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	ptw_cell_bool(c, ptw_soft_dirty(w->r, w->vma_flags));
}

/* Only swap entries have the swap keys. */
static void e_swap_type(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	if (w->r->kind != PTWALK_K_SWAP)
		return;
	if (w->hidden)
		ptw_cell_null(c, "hidden");
	else
		ptw_cell_num(c, w->r->swap_type);
}

static void e_swap_offset(const void *row, struct ptw_cell *c)
{
	ROW(ptw_entry_row);

	if (w->r->kind != PTWALK_K_SWAP)
		return;
	if (w->hidden)
		ptw_cell_null(c, "hidden");
	else
		ptw_cell_hex(c, w->r->swap_offset);
}

COL(col_e_range, "address range", 29, 0, 0, NULL, e_range, "first and end address of the run");
COL(col_e_addr, "addr", 0, 0, PTW_COL_NOTEXT, "addr", e_addr, "first address of the run");
COL(col_e_end, "end", 0, 0, PTW_COL_NOTEXT, "end", e_end, "first address after the run");
COL(col_e_count, "count", 9, 0, PTW_COL_RIGHT, "count", e_count, "entries in the run (text: x size)");
COL(col_e_size, "size", 0, 0, PTW_COL_NOTEXT, "size", e_size, "bytes mapped by each entry");
COL(col_e_level, "lvl", 3, 0, 0, "level", e_level, "pte, pmd or pud");
COL(col_e_kind, "kind", 8, 0, 0, "kind", e_kind, "present, swap, migration, marker, ...");
COL(col_e_raw, "raw", 0, 0, PTW_COL_NOTEXT, "raw", e_raw, "the raw entry (of the first)");
COL(col_e_pfn, "pfn (or swap type:offset)", 27, 0, 0, "pfn", e_pfn,
    "frames, or the swap slot (null when hidden)");
COL(col_e_flags, "flags", 20, 0, 0, NULL, e_flags, "entry bits, hardware and software");
COL(col_e_hw, "hw", 0, 0, PTW_COL_NOTEXT, "hw", e_hw, "hardware bits");
COL(col_e_sw, "sw", 0, 0, PTW_COL_NOTEXT, "sw", e_sw, "software bits");
COL(col_e_page, "page", 22, 0, 0, "page", e_page, "facts about the page (anon, thp, ...)");
COL(col_e_pg, "pg", 0, 0, PTW_COL_NOTEXT, "pg", e_pg, "page flags (lru ... swapcache)");
COL(col_e_order, "order", 0, 0, PTW_COL_NOTEXT, "order", e_order, "folio order");
COL(col_e_subpage, "subpage", 0, 0, PTW_COL_NOTEXT, "subpage", e_subpage,
    "index of the page in its folio");
COL(col_e_mapcount, "mapcount", 0, 0, PTW_COL_NOTEXT, "mapcount", e_mapcount, "mapcount");
COL(col_e_refcount, "refcount", 0, 0, PTW_COL_NOTEXT, "refcount", e_refcount, "references");
COL(col_e_node, "node", 0, 0, PTW_COL_NOTEXT, "node", e_node, "NUMA node, -1 if none");
COL(col_e_cow, "cow", 0, 0, 0, "cow", e_cow, "what the next write does");
COL(col_e_soft_dirty, "soft_dirty", 0, 0, PTW_COL_NOTEXT, "soft_dirty", e_soft_dirty,
    "soft-dirty by pagemap's rule");
COL(col_e_swap_type, "swap_type", 0, 0, PTW_COL_NOTEXT, "swap_type", e_swap_type,
    "swap area (swap entries)");
COL(col_e_swap_offset, "swap_offset", 0, 0, PTW_COL_NOTEXT, "swap_offset", e_swap_offset,
    "swap offset (swap entries)");

static const struct ptw_col *const entry_cols[] = {
	&col_e_range, &col_e_addr, &col_e_end, &col_e_count, &col_e_size, &col_e_level,
	&col_e_kind, &col_e_raw, &col_e_pfn, &col_e_flags, &col_e_hw, &col_e_sw,
	&col_e_page, &col_e_pg, &col_e_order, &col_e_subpage, &col_e_mapcount,
	&col_e_refcount, &col_e_node, &col_e_cow, &col_e_soft_dirty, &col_e_swap_type,
	&col_e_swap_offset,
};
const struct ptw_table ptw_entry_table = PTW_TABLE("ptwalk PID --frames (runs)", entry_cols);

/* ---- groups: ptwalk PID (the overview), and the group object ------------- */

/* The group's first entry as an entry row, for the entry columns it shares. */
static struct ptw_entry_row group_entry(const struct ptw_group_row *w)
{
	struct ptw_entry_row e = {
		.r = &w->g->first, .count = w->g->count, .hidden = w->hidden,
		.vma_flags = w->vma_flags,
	};

	return e;
}

#define GROUP_AS_ENTRY(name, fmt)					\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	struct ptw_entry_row e = group_entry(row);			\
									\
	fmt(&e, c);							\
}
GROUP_AS_ENTRY(gr_count, e_count)
GROUP_AS_ENTRY(gr_size, e_size)
GROUP_AS_ENTRY(gr_level, e_level)
GROUP_AS_ENTRY(gr_kind, e_kind)
GROUP_AS_ENTRY(gr_flags, e_flags)
GROUP_AS_ENTRY(gr_hw, e_hw)
GROUP_AS_ENTRY(gr_sw, e_sw)
GROUP_AS_ENTRY(gr_page, e_page)
GROUP_AS_ENTRY(gr_order, e_order)
GROUP_AS_ENTRY(gr_node, e_node)
GROUP_AS_ENTRY(gr_cow, e_cow)
GROUP_AS_ENTRY(gr_soft_dirty, e_soft_dirty)
GROUP_AS_ENTRY(gr_swap_type, e_swap_type)

static void gr_range(const void *row, struct ptw_cell *c)
{
	const struct ptw_group_row *w = row;

	range_text(c, w->g->first.vaddr, w->g->end);
}

static void gr_addr(const void *row, struct ptw_cell *c)
{
	ptw_cell_hex(c, ((const struct ptw_group_row *)row)->g->first.vaddr);
}

static void gr_end(const void *row, struct ptw_cell *c)
{
	ptw_cell_hex(c, ((const struct ptw_group_row *)row)->g->end);
}

/*
 * Text: the frames as a range when they are one run, else "scattered, N
 * runs" (a swap group: its area, "swap 1:scattered, N runs").  JSON: the
 * first frame (or swap offset), null when hidden.
 */
static void gr_frames(const void *row, struct ptw_cell *c)
{
	const struct ptw_group_row *w = row;
	const struct ptwalk_rec *r = &w->g->first;
	bool swap = r->kind == PTWALK_K_SWAP;

	if (w->hidden)
		ptw_cell_null(c, "");
	else
		ptw_cell_hex(c, swap ? r->swap_offset : r->pfn);
	if (w->hidden || w->g->runs == 1)
		ptw_frame(c->text, sizeof(c->text), r, w->g->count, w->hidden);
	else if (swap)
		snprintf(c->text, sizeof(c->text), "swap %u:scattered, %zu runs", r->swap_type,
			 w->g->runs);
	else
		snprintf(c->text, sizeof(c->text), "scattered, %zu runs", w->g->runs);
}

/* Contiguous: one run, frames (swap slots) and addresses; null when hidden. */
static void gr_contiguous(const void *row, struct ptw_cell *c)
{
	const struct ptw_group_row *w = row;

	if (w->hidden)
		ptw_cell_null(c, "");
	else
		ptw_cell_bool(c, w->g->runs == 1);
}

static void gr_runs(const void *row, struct ptw_cell *c)
{
	ptw_cell_num(c, (long long)((const struct ptw_group_row *)row)->g->runs);
}

COL(col_gr_range, "address range", 29, 0, 0, NULL, gr_range,
    "first address of the group and end of its last entry");
COL(col_gr_addr, "addr", 0, 0, PTW_COL_NOTEXT, "addr", gr_addr, "first address of the group");
COL(col_gr_end, "end", 0, 0, PTW_COL_NOTEXT, "end", gr_end,
    "first address after its last entry (holes may lie between)");
COL(col_gr_count, "count", 9, 0, PTW_COL_RIGHT, "count", gr_count,
    "entries in the group (text: x size)");
COL(col_gr_frames, "frames", 27, 0, 0, "first", gr_frames,
    "frames as a range if contiguous, else scattered (JSON: first pfn or swap offset)");
COL(col_gr_contiguous, "contiguous", 0, 0, PTW_COL_NOTEXT, "contiguous", gr_contiguous,
    "one run: contiguous addresses and frames (null when hidden)");
COL(col_gr_runs, "runs", 0, 0, PTW_COL_NOTEXT, "runs", gr_runs,
    "runs of contiguous frames it holds (ptwalk --frames prints them)");

/* The entry columns a group shares: the same names, keys and help. */
COL(col_gr_size, "size", 0, 0, PTW_COL_NOTEXT, "size", gr_size, "bytes mapped by each entry");
COL(col_gr_level, "lvl", 3, 0, 0, "level", gr_level, "pte, pmd or pud");
COL(col_gr_kind, "kind", 8, 0, 0, "kind", gr_kind, "present, swap, migration, marker, ...");
COL(col_gr_flags, "flags", 20, 0, 0, NULL, gr_flags, "entry bits, hardware and software");
COL(col_gr_hw, "hw", 0, 0, PTW_COL_NOTEXT, "hw", gr_hw, "hardware bits");
COL(col_gr_sw, "sw", 0, 0, PTW_COL_NOTEXT, "sw", gr_sw, "software bits");
COL(col_gr_page, "page", 22, 0, 0, "page", gr_page, "facts about the page (anon, thp, ...)");
COL(col_gr_order, "order", 0, 0, PTW_COL_NOTEXT, "order", gr_order, "folio order");
COL(col_gr_node, "node", 0, 0, PTW_COL_NOTEXT, "node", gr_node, "NUMA node, -1 if none");
COL(col_gr_cow, "cow", 0, 0, 0, "cow", gr_cow, "what the next write does");
COL(col_gr_soft_dirty, "soft_dirty", 0, 0, PTW_COL_NOTEXT, "soft_dirty", gr_soft_dirty,
    "soft-dirty by pagemap's rule");
COL(col_gr_swap_type, "swap_type", 0, 0, PTW_COL_NOTEXT, "swap_type", gr_swap_type,
    "swap area (swap entries)");

static const struct ptw_col *const group_cols[] = {
	&col_gr_range, &col_gr_addr, &col_gr_end, &col_gr_count, &col_gr_size, &col_gr_level,
	&col_gr_kind, &col_gr_frames, &col_gr_contiguous, &col_gr_runs, &col_gr_flags,
	&col_gr_hw, &col_gr_sw, &col_gr_page, &col_gr_order, &col_gr_node,
	&col_gr_cow, &col_gr_soft_dirty, &col_gr_swap_type,
};
const struct ptw_table ptw_group_table = PTW_TABLE("ptwalk PID (groups: the overview)",
						    group_cols);

/* ---- VMAs: the lines of ptwalk PID, and the VMA object ------------------- */

static void v_range(const void *row, struct ptw_cell *c)
{
	ROW(ptw_vma_row);

	range_text(c, w->v->start, w->v->end);
}

static void v_start(const void *row, struct ptw_cell *c)
{
	ROW(ptw_vma_row);

	if (w->v)
		ptw_cell_hex(c, w->v->start);
	else
		ptw_cell_null(c, "");
}

static void v_end(const void *row, struct ptw_cell *c)
{
	ROW(ptw_vma_row);

	if (w->v)
		ptw_cell_hex(c, w->v->end);
	else
		ptw_cell_null(c, "");
}

static void v_perms(const void *row, struct ptw_cell *c)
{
	ROW(ptw_vma_row);
	char perms[5];

	if (!w->v) {
		ptw_cell_null(c, "");
		return;
	}
	ptw_perms(w->v->flags, perms);
	ptw_cell_str(c, perms);
}

static void v_soft_dirty(const void *row, struct ptw_cell *c)
{
	ROW(ptw_vma_row);

	if (w->v)
		ptw_cell_bool(c, w->v->flags & PTWALK_VMA_SOFTDIRTY);
	else
		ptw_cell_null(c, "");
}

static void v_flags(const void *row, struct ptw_cell *c)
{
	ROW(ptw_vma_row);

	if (w->v)
		ptw_cell_names(c, w->v->flags, ~0U, ptwalk_vma_names);
	else
		ptw_cell_null(c, "");
}

static void v_size(const void *row, struct ptw_cell *c)
{
	ROW(ptw_vma_row);

	ptw_size(c->text, sizeof(c->text), w->v->end - w->v->start);
}

static void v_name(const void *row, struct ptw_cell *c)
{
	ROW(ptw_vma_row);

	if (w->v)
		ptw_cell_str(c, w->v->name);
	else
		ptw_cell_null(c, "");
}

COL(col_v_range, "vma", 29, 0, 0, NULL, v_range, "the VMA's address range");
COL(col_v_start, "start", 0, 0, PTW_COL_NOTEXT, "start", v_start, "first address");
COL(col_v_end, "end", 0, 0, PTW_COL_NOTEXT, "end", v_end, "first address after it");
COL(col_v_perms, "perm", 4, 0, 0, "perms", v_perms, "rwxp or rwxs, as /proc/PID/maps");
COL(col_v_soft_dirty, "soft_dirty", 0, 0, PTW_COL_NOTEXT, "soft_dirty", v_soft_dirty,
    "the whole VMA is soft-dirty (VM_SOFTDIRTY)");
COL(col_v_flags, "vmflags", 0, 0, PTW_COL_NOTEXT, "flags", v_flags,
    "PTWALK_VMA_* as smaps VmFlags names (rd, wr, sd, pf, ...)");
COL(col_v_size, "size", 6, 0, PTW_COL_RIGHT, NULL, v_size, "its size");
COL(col_v_name, "name", 0, 0, 0, "name", v_name, "file, [heap], [stack], [anon], ...");

static const struct ptw_col *const vma_cols[] = {
	&col_v_range, &col_v_start, &col_v_end, &col_v_perms, &col_v_soft_dirty,
	&col_v_flags, &col_v_size, &col_v_name,
};
const struct ptw_table ptw_vma_table = PTW_TABLE("ptwalk PID (VMA lines)", vma_cols);

/* ---- levels: ptwalk PID ADDR ------------------------------------------------ */

static void l_level(const void *row, struct ptw_cell *c)
{
	ROW(ptw_level_row);

	ptw_cell_str(c, ptwalk_level_name(w->l->level));
}

static void l_index(const void *row, struct ptw_cell *c)
{
	ROW(ptw_level_row);

	ptw_cell_num(c, w->l->index);
}

static void l_raw(const void *row, struct ptw_cell *c)
{
	ROW(ptw_level_row);

	ptw_cell_hex(c, w->l->raw);
	snprintf(c->text, sizeof(c->text), "0x%016llx", (unsigned long long)w->l->raw);
}

static void l_table(const void *row, struct ptw_cell *c)
{
	ROW(ptw_level_row);

	if (w->hidden)
		ptw_cell_null(c, "hidden");
	else
		ptw_cell_hex(c, (uint64_t)w->l->table_pfn << 12);
}

static void l_kind(const void *row, struct ptw_cell *c)
{
	ROW(ptw_level_row);

	ptw_cell_str(c, ptwalk_kind_name(w->l->kind));
}

/* Text: "(empty)", or the bits and where a table entry points. */
static void l_bits(const void *row, struct ptw_cell *c)
{
	ROW(ptw_level_row);
	size_t n;

	ptw_cell_names(c, w->l->bits, PTWALK_B_HW_MASK, ptw_bit_names());
	if (w->l->kind == PTWALK_K_NONE)
		snprintf(c->text, sizeof(c->text), "(empty)");
	n = strlen(c->text);
	if (w->l->kind == PTWALK_K_TABLE)
		snprintf(c->text + n, sizeof(c->text) - n, "  -> next table");
}

COL(col_l_level, "level", 5, 0, 0, "level", l_level, "pgd, p4d, pud, pmd or pte");
COL(col_l_index, "index", 6, 1, PTW_COL_RIGHT, "index", l_index, "index of the entry in its table");
COL(col_l_raw, "entry", 18, 2, 0, "raw", l_raw, "the raw entry");
COL(col_l_table, "table (phys)", 14, 2, 0, "table", l_table,
    "physical address of the table (null when hidden)");
COL(col_l_kind, "kind", 0, 0, PTW_COL_NOTEXT, "kind", l_kind, "table, present, none, unknown");
COL(col_l_bits, "bits", 0, 2, 0, "hw", l_bits, "hardware bits of the entry");

static const struct ptw_col *const level_cols[] = {
	&col_l_level, &col_l_index, &col_l_raw, &col_l_table, &col_l_kind, &col_l_bits,
};
const struct ptw_table ptw_level_table = PTW_TABLE("ptwalk PID ADDR (levels)", level_cols);

/* ---- summary ------------------------------------------------------------------ */

static void s_vma(const void *row, struct ptw_cell *c, void (*fmt)(const void *, struct ptw_cell *))
{
	ROW(ptw_summary_row);
	struct ptw_vma_row v = { w->v };

	fmt(&v, c);
}

/* A count in 4K pages: JSON the number, text its size. */
static void pages_cell(struct ptw_cell *c, uint64_t pages)
{
	ptw_cell_num(c, (long long)pages);
	ptw_size(c->text, sizeof(c->text), pages << 12);
}

#define SUMMARY_VMA(name, fmt)						\
static void name(const void *row, struct ptw_cell *c) { s_vma(row, c, fmt); }
SUMMARY_VMA(s_range, v_range)
SUMMARY_VMA(s_start, v_start)
SUMMARY_VMA(s_end, v_end)
SUMMARY_VMA(s_perms, v_perms)
SUMMARY_VMA(s_soft_dirty, v_soft_dirty)
SUMMARY_VMA(s_flags, v_flags)
SUMMARY_VMA(s_name, v_name)

static void s_size(const void *row, struct ptw_cell *c)
{
	ROW(ptw_summary_row);

	ptw_size(c->text, sizeof(c->text), w->v->end - w->v->start);
}

#define SUMMARY_PAGES(name, field)					\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	ROW(ptw_summary_row);						\
									\
	pages_cell(c, w->k->field);					\
}
SUMMARY_PAGES(s_present, present)
SUMMARY_PAGES(s_swapped, swapped)
SUMMARY_PAGES(s_thp, thp)
SUMMARY_PAGES(s_hugetlb, hugetlb)
SUMMARY_PAGES(s_zero, zero)
SUMMARY_PAGES(s_cow, cow)
SUMMARY_PAGES(s_sd, soft_dirty)

/* The unprivileged view never says "ksm": its count is unknown. */
static void s_ksm(const void *row, struct ptw_cell *c)
{
	ROW(ptw_summary_row);

	if (w->hidden)
		ptw_cell_null(c, "hidden");
	else
		pages_cell(c, w->k->ksm);
}

COL(col_s_range, "vma", 29, 0, 0, NULL, s_range, "the VMA's address range");
COL(col_s_start, "start", 0, 0, PTW_COL_NOTEXT, "start", s_start, "first address");
COL(col_s_end, "end", 0, 0, PTW_COL_NOTEXT, "end", s_end, "first address after it");
COL(col_s_perms, "perm", 4, 0, 0, "perms", s_perms, "rwxp or rwxs, as /proc/PID/maps");
COL(col_s_soft_dirty, "soft_dirty", 0, 0, PTW_COL_NOTEXT, "soft_dirty", s_soft_dirty,
    "the whole VMA is soft-dirty (VM_SOFTDIRTY)");
COL(col_s_flags, "vmflags", 0, 0, PTW_COL_NOTEXT, "flags", s_flags,
    "PTWALK_VMA_* as smaps VmFlags names");
COL(col_s_size, "size", 7, 0, PTW_COL_RIGHT, NULL, s_size, "the VMA's size");
COL(col_s_present, "present", 7, 0, PTW_COL_RIGHT, "pages.present", s_present,
    "present (JSON: in 4K pages)");
COL(col_s_swapped, "swapped", 7, 0, PTW_COL_RIGHT, "pages.swapped", s_swapped, "swapped out");
COL(col_s_thp, "thp", 7, 0, PTW_COL_RIGHT, "pages.thp", s_thp, "in transparent huge pages");
COL(col_s_hugetlb, "hugetlb", 7, 0, PTW_COL_RIGHT, "pages.hugetlb", s_hugetlb, "hugetlb");
COL(col_s_zero, "zero", 7, 0, PTW_COL_RIGHT, "pages.zero", s_zero, "the zero pages");
COL(col_s_ksm, "ksm", 7, 0, PTW_COL_RIGHT, "pages.ksm", s_ksm, "KSM (null when hidden)");
COL(col_s_cow, "cow", 7, 0, PTW_COL_RIGHT, "pages.cow", s_cow, "a write would copy or reuse");
COL(col_s_sd, "sd", 7, 0, PTW_COL_RIGHT, "pages.soft_dirty", s_sd, "soft-dirty, pagemap's rule");
COL(col_s_name, "name", 0, 2, 0, "name", s_name, "file, [heap], [stack], [anon], ...");

static const struct ptw_col *const summary_cols[] = {
	&col_s_range, &col_s_start, &col_s_end, &col_s_perms, &col_s_soft_dirty,
	&col_s_flags, &col_s_size, &col_s_present, &col_s_swapped, &col_s_thp,
	&col_s_hugetlb, &col_s_zero, &col_s_ksm, &col_s_cow, &col_s_sd, &col_s_name,
};
const struct ptw_table ptw_summary_table = PTW_TABLE("ptwalk summary PID", summary_cols);

/* ---- verify's disagreements ------------------------------------------------- */

static void m_addr(const void *row, struct ptw_cell *c)
{
	ptw_cell_hex(c, ((const struct ptw_mismatch *)row)->va);
}

static void m_level(const void *row, struct ptw_cell *c)
{
	ptw_cell_str(c, ((const struct ptw_mismatch *)row)->level);
}

static void m_kind(const void *row, struct ptw_cell *c)
{
	ptw_cell_str(c, ((const struct ptw_mismatch *)row)->kind);
	snprintf(c->text, sizeof(c->text), "%s:", ((const struct ptw_mismatch *)row)->kind);
}

static void m_reason(const void *row, struct ptw_cell *c)
{
	ptw_cell_str(c, ((const struct ptw_mismatch *)row)->reason);
}

COL(col_m_addr, "address", 0, 0, 0, "addr", m_addr, "the page");
COL(col_m_level, "level", 0, 0, 0, "level", m_level, "the entry's level, - if none");
COL(col_m_kind, "kind", 0, 0, 0, "kind", m_kind, "the entry's kind, none if none");
COL(col_m_reason, "reason", 0, 0, 0, "reason", m_reason, "what disagrees");

static const struct ptw_col *const mismatch_cols[] = {
	&col_m_addr, &col_m_level, &col_m_kind, &col_m_reason,
};
const struct ptw_table ptw_mismatch_table =
	PTW_TABLE("ptwalk verify PID (MISMATCH and CHANGED lines)", mismatch_cols);

/* ---- diff's changes ------------------------------------------------------------ */

static const char *const change_names[] = {
	"appeared", "disappeared", "kind", "pfn", "swap", "write-protected",
	"writable", "bits", "cow", "page", "mapcount", "size",
};

static void d_addr(const void *row, struct ptw_cell *c)
{
	const struct ptw_change *ch = row;

	ptw_cell_hex(c, ch->vaddr);
	snprintf(c->text, sizeof(c->text), "0x%012llx", (unsigned long long)ch->vaddr);
}

static void d_size(const void *row, struct ptw_cell *c)
{
	const struct ptw_change *ch = row;
	const struct ptwalk_rec *r = ch->what & PTW_D_APPEARED ? &ch->new : &ch->old;
	char size[16];

	snprintf(c->text, sizeof(c->text), "%s:", ptw_size(size, sizeof(size), 1ULL << r->shift));
}

static void d_what(const void *row, struct ptw_cell *c)
{
	const struct ptw_change *ch = row;

	ptw_cell_names(c, ch->what, (1U << PTWALK_ARRAY_LEN(change_names)) - 1, change_names);
}

static void d_words(const void *row, struct ptw_cell *c)
{
	char words[512];

	ptw_cell_str(c, ptw_change_words(row, words, sizeof(words)));
}

/* An entry object as one cell, or null. */
static void entry_cell(struct ptw_cell *c, const struct ptwalk_rec *r, bool absent,
		       bool hidden, uint32_t vma_flags)
{
	struct ptw_entry_row e = { .r = r, .count = 1, .hidden = hidden, .vma_flags = vma_flags };
	struct ptw_json j;
	FILE *f;

	f = absent ? NULL : fmemopen(c->json, sizeof(c->json), "w");
	if (!f) {
		ptw_cell_null(c, "");
		return;
	}
	ptw_json_begin(&j, f);
	ptw_json_row(&j, NULL, &ptw_entry_table, &e);
	fclose(f);
}

static void d_old(const void *row, struct ptw_cell *c)
{
	const struct ptw_change *ch = row;

	entry_cell(c, &ch->old, ch->what & PTW_D_APPEARED, ch->phys_hidden, ch->old_vma_flags);
}

static void d_new(const void *row, struct ptw_cell *c)
{
	const struct ptw_change *ch = row;

	entry_cell(c, &ch->new, ch->what & PTW_D_GONE, ch->phys_hidden, ch->new_vma_flags);
}

COL(col_d_addr, "address", 0, 0, 0, "addr", d_addr, "the entry's address");
COL(col_d_size, "size", 0, 0, 0, NULL, d_size, "its size (the new one's if it appeared)");
COL(col_d_what, "what", 0, 0, PTW_COL_NOTEXT, "what", d_what,
    "appeared, disappeared, kind, pfn, swap, write-protected, ...");
COL(col_d_words, "change", 0, 0, 0, "words", d_words, "the change in words");
COL(col_d_old, "old", 0, 0, PTW_COL_NOTEXT, "old", d_old, "entry object before, or null");
COL(col_d_new, "new", 0, 0, PTW_COL_NOTEXT, "new", d_new, "entry object after, or null");

static const struct ptw_col *const change_cols[] = {
	&col_d_addr, &col_d_size, &col_d_what, &col_d_words, &col_d_old, &col_d_new,
};
const struct ptw_table ptw_change_table = PTW_TABLE("ptwalk diff FILE1 FILE2", change_cols);

/* ---- who maps: ptwalk who ------------------------------------------------------ */

#define WHO(name, expr)							\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	const struct ptw_who_row *w = row;				\
									\
	expr;								\
}
WHO(w_pid, ptw_cell_num(c, w->t->pid))
WHO(w_ppid, ptw_cell_num(c, w->t->ppid))
WHO(w_comm, ptw_cell_str(c, w->t->comm))
WHO(w_addr, ptw_cell_hex(c, w->addr))
WHO(w_pfn, ptw_cell_hex(c, w->e.r->pfn))
WHO(w_frames, ptw_cell_num(c, (long long)w->frames))
WHO(w_size, e_size(&w->e, c); ptw_size(c->text, sizeof(c->text), 1ULL << w->e.r->shift))
WHO(w_level, e_level(&w->e, c))
WHO(w_cow, e_cow(&w->e, c))
WHO(w_page, e_page(&w->e, c))
WHO(w_hw, e_hw(&w->e, c))
WHO(w_sw, e_sw(&w->e, c))
WHO(w_mapcount, e_mapcount(&w->e, c))
WHO(w_perms, v_perms(&w->v, c))
WHO(w_vma_start, v_start(&w->v, c))
WHO(w_vma_end, v_end(&w->v, c))
WHO(w_vma_name, v_name(&w->v, c))

COL(col_w_pid, "pid", 7, 0, PTW_COL_RIGHT, "pid", w_pid, "the process (thread-group id)");
COL(col_w_ppid, "ppid", 7, 0, PTW_COL_RIGHT, "ppid", w_ppid, "its parent, 0 if not visible");
COL(col_w_comm, "comm", 15, 0, 0, "comm", w_comm, "its name");
COL(col_w_addr, "address", 14, 0, 0, "addr", w_addr,
    "where it maps the first frame of the range");
COL(col_w_size, "size", 4, 0, 0, "size", w_size, "bytes the entry maps");
COL(col_w_level, "lvl", 3, 0, 0, "level", w_level, "pte, pmd or pud");
COL(col_w_pfn, "entry pfn", 0, 0, PTW_COL_NOTEXT, "pfn", w_pfn, "the entry's first frame");
COL(col_w_frames, "frames", 6, 0, PTW_COL_RIGHT, "frames", w_frames,
    "frames of the range the entry maps");
COL(col_w_cow, "cow", 8, 0, 0, "cow", w_cow, "what its next write does");
COL(col_w_page, "page", 0, 0, PTW_COL_NOTEXT, "page", w_page, "facts about the page");
COL(col_w_hw, "hw", 0, 0, PTW_COL_NOTEXT, "hw", w_hw, "hardware bits of the entry");
COL(col_w_sw, "sw", 0, 0, PTW_COL_NOTEXT, "sw", w_sw, "software bits of the entry");
COL(col_w_mapcount, "mapcount", 0, 0, PTW_COL_NOTEXT, "mapcount", w_mapcount,
    "the page's mapcount as the walk saw it");
COL(col_w_perms, "perm", 4, 0, 0, "vma.perms", w_perms, "its VMA's rwxp");
COL(col_w_vma_start, "vma start", 0, 0, PTW_COL_NOTEXT, "vma.start", w_vma_start,
    "its VMA's first address");
COL(col_w_vma_end, "vma end", 0, 0, PTW_COL_NOTEXT, "vma.end", w_vma_end,
    "its VMA's end");
COL(col_w_vma_name, "vma", 0, 0, 0, "vma.name", w_vma_name, "its VMA's name");

static const struct ptw_col *const who_cols[] = {
	&col_w_pid, &col_w_ppid, &col_w_comm, &col_w_addr, &col_w_size, &col_w_level,
	&col_w_pfn, &col_w_frames, &col_w_cow, &col_w_page, &col_w_hw, &col_w_sw,
	&col_w_mapcount, &col_w_perms, &col_w_vma_start, &col_w_vma_end, &col_w_vma_name,
};
const struct ptw_table ptw_who_table = PTW_TABLE("ptwalk who (mappings)", who_cols);

#define FRM(name, expr)							\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	const struct ptwalk_frame *f = &((const struct ptw_frame_row *)row)->f->f; \
	const char *path = ((const struct ptw_frame_row *)row)->f->path; \
									\
	(void)f; (void)path;						\
	expr;								\
}
FRM(f_pfn, ptw_cell_hex(c, f->pfn))
FRM(f_state, ptw_cell_str(c, ptwalk_frame_state_name(f->state)))
FRM(f_page, ptw_cell_names(c, f->page, ~PTWALK_P_PGFLAGS_MASK, ptwalk_page_names))
FRM(f_pg, ptw_cell_names(c, f->page, PTWALK_P_PGFLAGS_MASK, ptwalk_page_names))
FRM(f_order, ptw_cell_num(c, f->order))
FRM(f_subpage, ptw_cell_num(c, f->subpage))
FRM(f_mapcount, ptw_cell_num(c, f->mapcount))
FRM(f_refcount, ptw_cell_num(c, f->refcount))
FRM(f_node, ptw_cell_num(c, f->node))
FRM(f_kaddr, ptw_cell_hex(c, f->kaddr))
FRM(f_index, if (f->page & PTWALK_P_FILE) ptw_cell_hex(c, f->index);
	     else ptw_cell_null(c, "-"))
FRM(f_path, if (path[0]) ptw_cell_str(c, path); else ptw_cell_null(c, "-"))
FRM(f_memcg, const char *m = ((const struct ptw_frame_row *)row)->f->memcg;
	     if (f->memcg == PTWALK_MEMCG_PATH) ptw_cell_str(c, m);
	     else if (f->memcg == PTWALK_MEMCG_NONE) ptw_cell_str(c, "none");
	     else ptw_cell_null(c, "-"))

COL(col_f_pfn, "pfn", 12, 0, 0, "pfn", f_pfn, "the frame");
COL(col_f_state, "state", 8, 0, 0, "state", f_state,
    "mapped, unmapped, free, slab, pgtable, reserved or zero");
COL(col_f_page, "page", 14, 0, 0, "page", f_page, "anon, file, shmem, ksm, thp, hugetlb");
COL(col_f_pg, "pg", 0, 0, PTW_COL_NOTEXT, "pg", f_pg, "page flags (lru ... swapcache)");
COL(col_f_order, "order", 5, 0, PTW_COL_RIGHT, "order", f_order, "folio order");
COL(col_f_subpage, "sub", 4, 0, PTW_COL_RIGHT, "subpage", f_subpage,
    "index of the frame in its folio");
COL(col_f_mapcount, "map", 5, 0, PTW_COL_RIGHT, "mapcount", f_mapcount,
    "the kernel's mapcount (as /proc/kpagecount)");
COL(col_f_refcount, "ref", 5, 0, PTW_COL_RIGHT, "refcount", f_refcount, "references");
COL(col_f_node, "node", 4, 0, PTW_COL_RIGHT, "node", f_node, "NUMA node");
COL(col_f_kaddr, "kaddr", 0, 0, PTW_COL_NOTEXT, "kaddr", f_kaddr,
    "its direct-map kernel address (0: no struct page)");
COL(col_f_index, "index", 10, 0, 0, "index", f_index,
    "page-cache frames: offset in the file, in pages (null: anonymous)");
COL(col_f_path, "path", 0, 0, 0, "path", f_path,
    "the file, when a mapping of it was found (null: none, or anonymous)");
COL(col_f_memcg, "memcg", 0, 2, 0, "memcg", f_memcg,
    "its memory cgroup, as /proc/PID/cgroup names it; none: uncharged (null: not read)");

static const struct ptw_col *const frame_cols[] = {
	&col_f_pfn, &col_f_state, &col_f_page, &col_f_pg, &col_f_order, &col_f_subpage,
	&col_f_mapcount, &col_f_refcount, &col_f_node, &col_f_kaddr, &col_f_index,
	&col_f_path, &col_f_memcg,
};
const struct ptw_table ptw_frame_table = PTW_TABLE("ptwalk who (frames)", frame_cols);

/* ---- the commands' JSON envelopes ----------------------------------------------- */

#define DOC(name, expr)							\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	const struct ptw_doc *d = row;					\
	const struct ptwalk_hdr *h = &d->res->hdr;			\
	const struct ptwalk_end *e = &d->res->end;			\
									\
	(void)h; (void)e;						\
	expr;								\
}
DOC(doc_pid, ptw_cell_num(c, h->pid))
DOC(doc_comm, ptw_cell_str(c, h->comm))
DOC(doc_addr, ptw_cell_hex(c, d->addr))
DOC(doc_paging, ptw_cell_num(c, h->flags & PTWALK_H_LA57 ? 5 : 4))
DOC(doc_hidden, ptw_cell_bool(c, h->flags & PTWALK_H_PHYS_HIDDEN))
DOC(doc_start, ptw_cell_hex(c, h->start))
DOC(doc_end, ptw_cell_hex(c, h->end))
DOC(doc_file, ptw_cell_str(c, d->file))
DOC(end_status, ptw_cell_str(c, ptwalk_end_name(e->status)))
DOC(end_next, ptw_cell_hex(c, e->next))
DOC(end_entries, ptw_cell_num(c, (long long)e->entries))
DOC(end_vmas, ptw_cell_num(c, (long long)e->vmas))
DOC(end_error, if (e->status == PTWALK_END_STOPPED) ptw_cell_num(c, e->error))
DOC(doc_pfn_start, ptw_cell_hex(c, h->start))
DOC(doc_pfn_end, ptw_cell_hex(c, h->end))
DOC(doc_walker, ptw_cell_str(c, h->walker == PTWALK_WALKER_KERNEL ? "kernel" : "builtin"))
DOC(t_mappings, ptw_cell_num(c, (long long)d->res->tally.mappings))
DOC(t_mapcount, ptw_cell_num(c, (long long)d->res->tally.mapcount))
DOC(t_equal, ptw_cell_bool(c, d->res->tally.equal))
DOC(t_tasks, ptw_cell_num(c, d->res->tally.tasks))
DOC(t_gone, ptw_cell_num(c, d->res->tally.gone))

COL(col_doc_pid, "pid", 0, 0, PTW_COL_NOTEXT, "pid", doc_pid, "the process");
COL(col_doc_comm, "comm", 0, 0, PTW_COL_NOTEXT, "comm", doc_comm, "its name");
COL(col_doc_addr, "addr", 0, 0, PTW_COL_NOTEXT, "addr", doc_addr, "the address");
COL(col_doc_paging, "paging", 0, 0, PTW_COL_NOTEXT, "paging", doc_paging, "4 or 5 levels");
COL(col_doc_hidden, "phys_hidden", 0, 0, PTW_COL_NOTEXT, "phys_hidden", doc_hidden,
    "the unprivileged view");
COL(col_doc_start, "start", 0, 0, PTW_COL_NOTEXT, "start", doc_start, "queried range");
COL(col_doc_end, "end", 0, 0, PTW_COL_NOTEXT, "end", doc_end, "queried range");
COL(col_doc_file, "file", 0, 0, PTW_COL_NOTEXT, "file", doc_file, "the snapshot");
COL(col_end_status, "status", 0, 0, PTW_COL_NOTEXT, "end.status", end_status,
    "complete, exited or stopped");
COL(col_end_next, "next", 0, 0, PTW_COL_NOTEXT, "end.next", end_next,
    "first address not covered");
COL(col_end_entries, "entries", 0, 0, PTW_COL_NOTEXT, "end.entries", end_entries,
    "entries the module reported");
COL(col_end_vmas, "vmas", 0, 0, PTW_COL_NOTEXT, "end.vmas", end_vmas, "VMAs it reported");
COL(col_end_error, "error", 0, 0, PTW_COL_NOTEXT, "end.error", end_error,
    "-errno when stopped");

COL(col_doc_pfn_start, "pfn_start", 0, 0, PTW_COL_NOTEXT, "pfn_start", doc_pfn_start,
    "first frame asked for");
COL(col_doc_pfn_end, "pfn_end", 0, 0, PTW_COL_NOTEXT, "pfn_end", doc_pfn_end,
    "first frame after the range");
COL(col_doc_walker, "walker", 0, 0, PTW_COL_NOTEXT, "walker", doc_walker, "kernel or builtin");
COL(col_t_mappings, "mappings", 0, 0, PTW_COL_NOTEXT, "tally.mappings", t_mappings,
    "(entry, frame) pairs found");
COL(col_t_mapcount, "mapcount", 0, 0, PTW_COL_NOTEXT, "tally.mapcount", t_mapcount,
    "the frames' mapcounts, summed");
COL(col_t_equal, "equal", 0, 0, PTW_COL_NOTEXT, "tally.equal", t_equal,
    "mappings == mapcount: likely all found");
COL(col_t_tasks, "tasks", 0, 0, PTW_COL_NOTEXT, "tally.tasks", t_tasks, "processes visited");
COL(col_t_gone, "gone", 0, 0, PTW_COL_NOTEXT, "tally.gone", t_gone,
    "of them, exited before all their VMAs were seen");

static const struct ptw_col *const who_doc_cols[] = {
	&col_doc_pfn_start, &col_doc_pfn_end, &col_doc_walker,
};
static const struct ptw_col *const tally_doc_cols[] = {
	&col_t_mappings, &col_t_mapcount, &col_t_equal, &col_t_tasks, &col_t_gone,
};
const struct ptw_table ptw_who_doc = PTW_TABLE("ptwalk who", who_doc_cols);
const struct ptw_table ptw_tally_doc = PTW_TABLE("ptwalk who: the tally object", tally_doc_cols);

static const struct ptw_col *const vtop_doc_cols[] = {
	&col_doc_pid, &col_doc_comm, &col_doc_addr, &col_doc_paging, &col_doc_hidden,
};
static const struct ptw_col *const range_doc_cols[] = {
	&col_doc_pid, &col_doc_comm, &col_doc_start, &col_doc_end, &col_doc_hidden,
};
static const struct ptw_col *const summary_doc_cols[] = { &col_doc_pid, &col_doc_hidden };
static const struct ptw_col *const end_doc_cols[] = {
	&col_end_status, &col_end_next, &col_end_entries, &col_end_vmas, &col_end_error,
};
static const struct ptw_col *const snapshot_doc_cols[] = {
	&col_doc_file, &col_doc_pid, &col_end_status, &col_end_next, &col_end_entries,
	&col_end_vmas, &col_end_error,
};
const struct ptw_table ptw_vtop_doc = PTW_TABLE("ptwalk PID ADDR", vtop_doc_cols);
const struct ptw_table ptw_range_doc = PTW_TABLE("ptwalk PID", range_doc_cols);
const struct ptw_table ptw_summary_doc = PTW_TABLE("ptwalk summary PID", summary_doc_cols);
const struct ptw_table ptw_end_doc = PTW_TABLE("the end object", end_doc_cols);
const struct ptw_table ptw_snapshot_doc = PTW_TABLE("ptwalk diff: a, b", snapshot_doc_cols);

#define TOTAL(name, field)						\
static void name(const void *row, struct ptw_cell *c)			\
{									\
	ptw_cell_num(c, (long long)((const struct ptw_verify_totals *)row)->field); \
}
TOTAL(t_checked, checked)
TOTAL(t_rechecked, rechecked)
TOTAL(t_bad, bad)
TOTAL(t_changed, changed)
TOTAL(t_status, status)

static void t_result(const void *row, struct ptw_cell *c)
{
	static const char *const names[] = {
		"agree", "disagree", "disagree", "target-gone", "changed", "failed",
	};
	int st = ((const struct ptw_verify_totals *)row)->status;

	ptw_cell_str(c, st >= 0 && st < (int)PTWALK_ARRAY_LEN(names) ? names[st] : "disagree");
}

COL(col_t_checked, "pages_checked", 0, 0, PTW_COL_NOTEXT, "pages_checked", t_checked,
    "pages compared");
COL(col_t_rechecked, "rechecked", 0, 0, PTW_COL_NOTEXT, "rechecked", t_rechecked,
    "pages read again after a first disagreement");
COL(col_t_bad, "mismatches", 0, 0, PTW_COL_NOTEXT, "mismatches", t_bad,
    "disagreements that remained (stable on both sides)");
COL(col_t_result, "result", 0, 0, PTW_COL_NOTEXT, "result", t_result,
    "agree, disagree, target-gone, changed or failed (the exit status in words)");
COL(col_t_status, "status", 0, 0, PTW_COL_NOTEXT, "status", t_status,
    "the exit status: 0, 1, 3, 4 or 5");
COL(col_t_checked2, "checked", 0, 0, PTW_COL_NOTEXT, "checked", t_checked,
    "pages compared (pages_checked)");
COL(col_c_checked, "counts.checked", 0, 0, PTW_COL_NOTEXT, "counts.checked", t_checked,
    "pages compared");
COL(col_c_rechecked, "counts.rechecked", 0, 0, PTW_COL_NOTEXT, "counts.rechecked",
    t_rechecked, "pages read again");
COL(col_c_bad, "counts.disagreements", 0, 0, PTW_COL_NOTEXT, "counts.disagreements", t_bad,
    "stable disagreements");
COL(col_c_changed, "counts.changed", 0, 0, PTW_COL_NOTEXT, "counts.changed", t_changed,
    "pages that kept changing while checked");

static const struct ptw_col *const verify_doc_cols[] = {
	&col_t_checked, &col_t_rechecked, &col_t_bad, &col_t_result, &col_t_status,
	&col_t_checked2, &col_c_checked, &col_c_rechecked, &col_c_bad, &col_c_changed,
};
const struct ptw_table ptw_verify_doc = PTW_TABLE("ptwalk verify PID", verify_doc_cols);

/* How the target went: the "gone" object (null when it did not). */
static void g_why(const void *row, struct ptw_cell *c)
{
	static const char *const why[] = { "", "exited", "exec", "unmapped" };
	int w = ((const struct ptw_verify_gone *)row)->why;

	ptw_cell_str(c, w > 0 && w < (int)PTWALK_ARRAY_LEN(why) ? why[w] : "exited");
}

static void g_after(const void *row, struct ptw_cell *c)
{
	ptw_cell_num(c, (long long)((const struct ptw_verify_gone *)row)->after);
}

static void g_start(const void *row, struct ptw_cell *c)
{
	const struct ptw_verify_gone *g = row;

	if (g->why == PTW_GONE_UNMAPPED)
		ptw_cell_hex(c, g->start);
}

static void g_end(const void *row, struct ptw_cell *c)
{
	const struct ptw_verify_gone *g = row;

	if (g->why == PTW_GONE_UNMAPPED)
		ptw_cell_hex(c, g->end);
}

COL(col_g_why, "why", 0, 0, PTW_COL_NOTEXT, "why", g_why, "exited, exec or unmapped");
COL(col_g_after, "after", 0, 0, PTW_COL_NOTEXT, "after", g_after,
    "pages checked before it went");
COL(col_g_start, "start", 0, 0, PTW_COL_NOTEXT, "start", g_start, "unmapped: the VMA's start");
COL(col_g_end, "end", 0, 0, PTW_COL_NOTEXT, "end", g_end, "unmapped: the VMA's end");

static const struct ptw_col *const verify_gone_cols[] = {
	&col_g_why, &col_g_after, &col_g_start, &col_g_end,
};
const struct ptw_table ptw_verify_gone_doc = PTW_TABLE("ptwalk verify PID: gone",
							verify_gone_cols);

const struct ptw_table *const ptw_views[] = {
	&ptw_level_table, &ptw_vma_table, &ptw_group_table, &ptw_entry_table,
	&ptw_summary_table,
	&ptw_mismatch_table, &ptw_change_table, &ptw_who_table, &ptw_frame_table, NULL,
};
