// SPDX-License-Identifier: GPL-2.0
/*
 * map.c - ptwalk map: the address space as one SVG, alone or in an HTML
 * page (see map.h).
 *
 * The page is self-contained: inline CSS, script and SVG, no fonts, and a
 * Content-Security-Policy that forbids every fetch, so opening it reaches
 * no network.  Everything from the answer that it prints (VMA names are
 * file names any user can choose) is escaped: XML entities in the SVG,
 * and in the JSON block '<', '>' and '&' as \u escapes, so a name cannot
 * close the <script> element it sits in.
 */
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "ptwalk_names.h"
#include "views.h"

/* Layout, in SVG units (pixels at 100%). */
#define MAP_W		1100
#define LABEL_W		430	/* the VMA's label, left of its bar */
#define BAR_X		(LABEL_W + 10)
#define BAR_W		(MAP_W - BAR_X - 10)
#define ROW_H		26	/* a VMA: bar, soft-dirty stripe, node stripe */
#define GAP_H		14	/* a folded gap */
#define LEGEND_H	22	/* the legend row, at the top */
#define TOP		(8 + LEGEND_H)
#define NAME_CHARS	22	/* what fits after range, perms and size */

static const struct {
	const char *name, *colour, *help;
} states[PTW_MS_N] = {
	[PTW_MS_HUGETLB] = { "hugetlb", "#9467bd", "hugetlb page (pmd or pud)" },
	[PTW_MS_THP] = { "thp", "#2ca02c", "transparent huge page (large folio)" },
	[PTW_MS_SWAPPED] = { "swapped", "#d62728", "swapped out" },
	[PTW_MS_OTHER] = { "other", "#444444", "not present: migration, marker, ..." },
	[PTW_MS_ZERO] = { "zero", "#b0b0b0", "the shared zero page" },
	[PTW_MS_COW] = { "cow", "#ff7f0e", "CoW pending: a write copies or reuses" },
	[PTW_MS_PRESENT] = { "present", "#1f77b4", "present, writable or shared" },
};

/* NUMA nodes, in the node stripe (node % 8); -1 (none) is not drawn. */
static const char *const node_colours[] = {
	"#8dd3c7", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#bebada",
	"#ffed6f",
};
#define SD_COLOUR	"#222222"

enum ptw_map_state ptw_map_state(const struct ptwalk_rec *r)
{
	if (r->page & PTWALK_P_HUGETLB)
		return PTW_MS_HUGETLB;
	if (r->page & PTWALK_P_THP)
		return PTW_MS_THP;
	if (r->kind == PTWALK_K_SWAP)
		return PTW_MS_SWAPPED;
	if (r->kind != PTWALK_K_PRESENT)
		return PTW_MS_OTHER;
	if (r->page & (PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO))
		return PTW_MS_ZERO;
	if (r->cow == PTWALK_COW_COPY || r->cow == PTWALK_COW_REUSE)
		return PTW_MS_COW;
	return PTW_MS_PRESENT;
}

const char *ptw_map_state_name(enum ptw_map_state s)
{
	return s < PTW_MS_N ? states[s].name : "other";
}

/* @s with XML's five characters as entities, and no control characters. */
static void xml(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
		}
	}
}

/* @json (a JSON text) with '<', '>' and '&' escaped: safe in <script>. */
static void json_in_html(FILE *f, const char *json)
{
	for (; *json; json++) {
		if (*json == '<')
			fputs("\\u003c", f);
		else if (*json == '>')
			fputs("\\u003e", f);
		else if (*json == '&')
			fputs("\\u0026", f);
		else
			fputc(*json, f);
	}
}

struct map {
	const struct ptw_result *res;
	const struct ptw_run *runs;
	size_t n;
	size_t nstate[PTW_MS_N];	/* runs per state */
	uint64_t pstate[PTW_MS_N];	/* 4K pages per state */
	struct ptw_counts total;	/* ptwalk summary's counts, all VMAs */
	int height;
};

static uint64_t run_bytes(const struct ptw_run *r)
{
	return (uint64_t)r->count << r->first.shift;
}

static const struct ptw_vma *vma_of(const struct map *m, const struct ptw_run *r)
{
	return m->res->nvmas ? &m->res->vmas[r->vma] : NULL;
}

static int prepare(struct map *m)
{
	struct ptw_counts *c = ptw_count(m->res, NULL);
	size_t i;

	if (!c)
		return -1;
	for (i = 0; i <= m->res->nvmas; i++) {
		m->total.present += c[i].present;
		m->total.swapped += c[i].swapped;
		m->total.thp += c[i].thp;
		m->total.hugetlb += c[i].hugetlb;
		m->total.zero += c[i].zero;
		m->total.ksm += c[i].ksm;
		m->total.cow += c[i].cow;
		m->total.soft_dirty += c[i].soft_dirty;
	}
	free(c);
	for (i = 0; i < m->n; i++) {
		enum ptw_map_state s = ptw_map_state(&m->runs[i].first);

		m->nstate[s]++;
		m->pstate[s] += run_bytes(&m->runs[i]) >> 12;
	}
	m->height = TOP;
	for (i = 0; i < m->res->nvmas; i++)
		m->height += ROW_H + (i && m->res->vmas[i].start > m->res->vmas[i - 1].end ?
				      GAP_H : 0);
	m->height += TOP;
	return 0;
}

/* x of address @va in the bar of @v. */
static double bar_x(const struct ptw_vma *v, uint64_t va)
{
	return BAR_X + (double)(va - v->start) * BAR_W / (double)(v->end - v->start);
}

static void svg_vma(FILE *f, const struct ptw_vma *v, size_t i, int y)
{
	char size[16], perms[5];

	ptw_perms(v->flags, perms);
	ptw_size(size, sizeof(size), v->end - v->start);
	fprintf(f, "<g class=\"vma\" data-vma=\"%zu\">"
		   "<rect class=\"vma-bg\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\"/>"
		   "<text x=\"4\" y=\"%d\">0x%012llx-0x%012llx %s %6s ", i, BAR_X, y, BAR_W,
		y + 11, (unsigned long long)v->start, (unsigned long long)v->end, perms, size);
	/* Long names: their end, which says the most, in the label's width. */
	if (strlen(v->name) > NAME_CHARS) {
		fputs("...", f);
		xml(f, v->name + strlen(v->name) - (NAME_CHARS - 3));
	} else {
		xml(f, v->name);
	}
	fprintf(f, "</text></g>\n");
}

static void svg_run(FILE *f, const struct map *m, size_t i, int y)
{
	const struct ptw_run *r = &m->runs[i];
	const struct ptw_vma *v = vma_of(m, r);
	enum ptw_map_state s = ptw_map_state(&r->first);
	bool sd = ptw_soft_dirty(&r->first, v ? v->flags : 0);
	double x = bar_x(v, r->first.vaddr), w = bar_x(v, r->first.vaddr + run_bytes(r)) - x;
	char frames[64], size[16], page[128];

	if (w < 0.5)
		w = 0.5;
	ptw_frame(frames, sizeof(frames), &r->first, r->count,
		  m->res->hdr.flags & PTWALK_H_PHYS_HIDDEN);
	ptw_names(page, sizeof(page), r->first.page, ~PTWALK_P_PGFLAGS_MASK, ptwalk_page_names);
	fprintf(f, "<rect class=\"run\" data-i=\"%zu\" data-state=\"%s\" data-node=\"%d\" "
		   "data-sd=\"%d\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"12\" fill=\"%s\">"
		   "<title>0x%llx-0x%llx %zux%s %s %s, %s, node %d%s</title></rect>",
		i, states[s].name, r->first.node, sd, x, y, w, states[s].colour,
		(unsigned long long)r->first.vaddr,
		(unsigned long long)(r->first.vaddr + run_bytes(r)), r->count,
		ptw_size(size, sizeof(size), 1ULL << r->first.shift), states[s].name, frames,
		page, r->first.node, sd ? ", soft-dirty" : "");
	if (sd)
		fprintf(f, "<rect class=\"sd\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"3\" "
			   "fill=\"" SD_COLOUR "\"/>", x, y + 14, w);
	if (r->first.node >= 0)
		fprintf(f, "<rect class=\"node\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"3\" "
			   "fill=\"%s\"/>", x, y + 18, w,
			node_colours[r->first.node % (int)PTWALK_ARRAY_LEN(node_colours)]);
	fputc('\n', f);
}

/* The states' colours and the stripes', in one row (the SVG alone says it). */
static void svg_legend(FILE *f)
{
	int x = 4, i;

	fprintf(f, "<g class=\"legend\">");
	for (i = 0; i < PTW_MS_N; i++) {
		fprintf(f, "<rect x=\"%d\" y=\"6\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			   "<text x=\"%d\" y=\"15\">%s</text>", x, states[i].colour, x + 13,
			states[i].name);
		x += 13 + 7 * (int)strlen(states[i].name) + 14;
	}
	fprintf(f, "<rect x=\"%d\" y=\"12\" width=\"14\" height=\"3\" fill=\"" SD_COLOUR "\"/>"
		   "<text x=\"%d\" y=\"15\">soft-dirty</text>", x, x + 17);
	x += 17 + 7 * 10 + 14;
	for (i = 0; i < 2; i++) {
		fprintf(f, "<rect x=\"%d\" y=\"12\" width=\"14\" height=\"3\" fill=\"%s\"/>"
			   "<text x=\"%d\" y=\"15\">node %d</text>", x, node_colours[i], x + 17, i);
		x += 17 + 7 * 6 + 14;
	}
	fprintf(f, "</g>\n");
}

static void svg(FILE *f, const struct map *m)
{
	size_t i, k = 0;
	int y = TOP;

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"map\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\" "
		   "font-size=\"11\" shape-rendering=\"crispEdges\">\n"
		   "<style>.vma-bg{fill:#f4f4f4;stroke:#ccc;stroke-width:0.5}"
		   ".gap{fill:#888;font-style:italic}.pinned{stroke:#000;stroke-width:1.5}"
		   "</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		MAP_W, m->height, MAP_W, m->height);
	svg_legend(f);
	for (i = 0; i < m->res->nvmas; i++) {
		const struct ptw_vma *v = &m->res->vmas[i];

		if (i && v->start > m->res->vmas[i - 1].end) {
			char gap[16];

			fprintf(f, "<text class=\"gap\" x=\"%d\" y=\"%d\">... %s not mapped ...</text>\n",
				BAR_X, y + 10, ptw_size(gap, sizeof(gap),
							v->start - m->res->vmas[i - 1].end));
			y += GAP_H;
		}
		svg_vma(f, v, i, y);
		for (; k < m->n && m->runs[k].vma == i; k++)
			svg_run(f, m, k, y);
		y += ROW_H;
	}
	fprintf(f, "</svg>\n");
}

/* The data the page draws, as JSON (in memory: escaped for HTML after). */
static char *data_json(const struct map *m)
{
	struct ptw_doc d = { .res = m->res };
	struct ptw_json j;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	ptw_json_begin(&j, f);
	ptw_json_open(&j, NULL, '{');
	ptw_json_cols(&j, &ptw_range_doc, &d);
	ptw_json_open(&j, "states", '[');
	for (i = 0; i < PTW_MS_N; i++) {
		ptw_json_open(&j, NULL, '{');
		ptw_json_strval(&j, "name", states[i].name);
		ptw_json_strval(&j, "colour", states[i].colour);
		ptw_json_u64(&j, "runs", m->nstate[i]);
		ptw_json_u64(&j, "pages", m->pstate[i]);
		ptw_json_close(&j, '}');
	}
	ptw_json_close(&j, ']');
	ptw_json_open(&j, "summary", '{');
	ptw_json_u64(&j, "present", m->total.present);
	ptw_json_u64(&j, "swapped", m->total.swapped);
	ptw_json_u64(&j, "thp", m->total.thp);
	ptw_json_u64(&j, "hugetlb", m->total.hugetlb);
	ptw_json_u64(&j, "zero", m->total.zero);
	if (m->res->hdr.flags & PTWALK_H_PHYS_HIDDEN)
		ptw_json_raw(&j, "ksm", "null");
	else
		ptw_json_u64(&j, "ksm", m->total.ksm);
	ptw_json_u64(&j, "cow", m->total.cow);
	ptw_json_u64(&j, "soft_dirty", m->total.soft_dirty);
	ptw_json_close(&j, '}');
	ptw_json_open(&j, "vmas", '[');
	for (i = 0; i < m->res->nvmas; i++) {
		struct ptw_vma_row v = { &m->res->vmas[i] };

		ptw_json_row(&j, NULL, &ptw_vma_table, &v);
	}
	ptw_json_close(&j, ']');
	ptw_json_open(&j, "runs", '[');
	for (i = 0; i < m->n; i++) {
		const struct ptw_run *r = &m->runs[i];
		const struct ptw_vma *v = vma_of(m, r);
		struct ptw_entry_row e = {
			.r = &r->first, .count = r->count,
			.hidden = m->res->hdr.flags & PTWALK_H_PHYS_HIDDEN,
			.vma_flags = v ? v->flags : 0,
		};

		ptw_json_open(&j, NULL, '{');
		ptw_json_cols(&j, &ptw_entry_table, &e);
		ptw_json_strval(&j, "state", states[ptw_map_state(&r->first)].name);
		ptw_json_u64(&j, "vma", r->vma);
		ptw_json_close(&j, '}');
	}
	ptw_json_close(&j, ']');
	ptw_json_cols(&j, &ptw_end_doc, &d);
	ptw_json_close(&j, '}');
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static const char page_css[] =
	"body{font:13px/1.4 sans-serif;margin:16px;color:#111;background:#fff}"
	"h1{font-size:17px;margin:0 0 8px}"
	"table{border-collapse:collapse;margin:6px 0}"
	"td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}"
	"th{text-align:left}"
	"#legend span{display:inline-block;margin-right:14px}"
	"#legend i{display:inline-block;width:12px;height:12px;margin-right:4px;"
	"vertical-align:-2px}"
	"#details{font-family:monospace;white-space:pre;background:#f7f7f7;"
	"border:1px solid #ddd;padding:6px;min-height:3em;position:sticky;top:0}"
	"#picture{overflow-x:auto}#errors:empty{display:none}#errors{color:#b00;border:1px solid #b00}"
	".warn{color:#b00}";

/* Hover shows a run, a click pins it; "colour by" repaints the bars. */
static const char page_js[] =
	"(function () {\n"
	"  var errs = document.getElementById('errors');\n"
	"  function fail(m) { errs.textContent += m + '\\n'; }\n"
	"  function n(k, what) { return k + ' ' + what + (k === 1 ? '' : 's'); }\n"
	"  window.onerror = function (m, s, l) { fail(m + ' (line ' + l + ')'); };\n"
	"  try {\n"
	"    var data = JSON.parse(document.getElementById('ptwalk-data').textContent);\n"
	"    var svg = document.getElementById('map');\n"
	"    var det = document.getElementById('details');\n"
	"    var runs = svg.querySelectorAll('rect.run');\n"
	"    var colour = {}, pinned = null;\n"
	"    data.states.forEach(function (s) { colour[s.name] = s.colour; });\n"
	"    function show(el) {\n"
	"      var r = data.runs[+el.getAttribute('data-i')], v = data.vmas[r.vma];\n"
	"      var out = 'vma   ' + v.start + '-' + v.end + ' ' + v.perms + ' ' + v.name + '\\n';\n"
	"      Object.keys(r).forEach(function (k) {\n"
	"        if (k !== 'vma') out += (k + '      ').slice(0, 12) + JSON.stringify(r[k]) + '\\n';\n"
	"      });\n"
	"      det.textContent = out;\n"
	"    }\n"
	"    svg.addEventListener('mouseover', function (e) {\n"
	"      var t = e.target.closest('rect.run');\n"
	"      if (t && !pinned) show(t);\n"
	"    });\n"
	"    svg.addEventListener('click', function (e) {\n"
	"      var t = e.target.closest('rect.run');\n"
	"      if (pinned) pinned.classList.remove('pinned');\n"
	"      pinned = t && t !== pinned ? t : null;\n"
	"      if (pinned) { pinned.classList.add('pinned'); show(pinned); }\n"
	"    });\n"
	"    var nodes = ['#8dd3c7', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5',\n"
	"                 '#bebada', '#ffed6f'];\n"
	"    document.getElementById('colour-by').addEventListener('change', function (e) {\n"
	"      var by = e.target.value;\n"
	"      runs.forEach(function (el) {\n"
	"        var n = +el.getAttribute('data-node');\n"
	"        el.setAttribute('fill', by === 'node' ? (n < 0 ? '#ddd' : nodes[n % 8]) :\n"
	"          by === 'soft-dirty' ? (el.getAttribute('data-sd') === '1' ? '#222' : '#ddd') :\n"
	"          colour[el.getAttribute('data-state')]);\n"
	"      });\n"
	"    });\n"
	"    var drawn = {};\n"
	"    runs.forEach(function (el) {\n"
	"      var s = el.getAttribute('data-state');\n"
	"      drawn[s] = (drawn[s] || 0) + 1;\n"
	"    });\n"
	"    data.states.forEach(function (s) {\n"
	"      if ((drawn[s.name] || 0) !== s.runs)\n"
	"        fail(s.name + ': ' + n(drawn[s.name] || 0, 'run') + ' drawn, the data has ' + s.runs);\n"
	"    });\n"
	"    if (runs.length !== data.runs.length)\n"
	"      fail(n(runs.length, 'run') + ' drawn, the data has ' + data.runs.length);\n"
	"    var status = 'ready: ' + n(runs.length, 'run') + ' drawn in ' + n(data.vmas.length, 'VMA');\n"
	"    if (location.hash === '#selftest' && runs.length) {\n"
	"      var last = runs[runs.length - 1], sel = document.getElementById('colour-by');\n"
	"      runs[0].dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));\n"
	"      if (det.textContent.indexOf(data.runs[0].addr) < 0) fail('hover: no details');\n"
	"      last.dispatchEvent(new MouseEvent('click', { bubbles: true }));\n"
	"      if (!last.classList.contains('pinned')) fail('click: not pinned');\n"
	"      if (det.textContent.indexOf(data.runs[runs.length - 1].addr) < 0)\n"
	"        fail('click: no details');\n"
	"      sel.value = 'soft-dirty';\n"
	"      sel.dispatchEvent(new Event('change'));\n"
	"      runs.forEach(function (el) {\n"
	"        if (el.getAttribute('fill') !== (el.getAttribute('data-sd') === '1' ? '#222' : '#ddd'))\n"
	"          fail('colour by soft-dirty: run ' + el.getAttribute('data-i'));\n"
	"      });\n"
	"      sel.value = 'state';\n"
	"      sel.dispatchEvent(new Event('change'));\n"
	"      status += '; selftest done';\n"
	"    }\n"
	"    document.getElementById('status').textContent = status;\n"
	"  } catch (e) { fail(String(e)); }\n"
	"})();\n";

static void summary_cell(FILE *f, const char *name, uint64_t pages, bool hidden)
{
	char size[16];

	fprintf(f, "<td data-key=\"%s\" data-pages=\"%s%llu\">%s %s</td>", name,
		hidden ? "null" : "", hidden ? 0ULL : (unsigned long long)pages, name,
		hidden ? "hidden" : ptw_size(size, sizeof(size), pages << 12));
}

static void html(FILE *f, const struct map *m, const char *json)
{
	const struct ptw_result *res = m->res;
	bool hidden = res->hdr.flags & PTWALK_H_PHYS_HIDDEN;
	char why[256], size[16];
	size_t i;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		   "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n<title>ptwalk map: pid %u (",
		res->hdr.pid);
	xml(f, res->hdr.comm);
	fprintf(f, ")</title>\n<style>%s</style></head><body>\n<h1>ptwalk map: pid %u (",
		page_css, res->hdr.pid);
	xml(f, res->hdr.comm);
	fprintf(f, "), %zu VMA%s, %zu run%s%s</h1>\n", res->nvmas, res->nvmas == 1 ? "" : "s",
		m->n, m->n == 1 ? "" : "s", hidden ? ", frames hidden (unprivileged view)" : "");
	if (ptw_end_words(res, why, sizeof(why))) {
		fprintf(f, "<p class=\"warn\" id=\"incomplete\">");
		xml(f, why);
		fprintf(f, "</p>\n");
	}
	fprintf(f, "<div id=\"legend\">");
	for (i = 0; i < PTW_MS_N; i++)
		fprintf(f, "<span title=\"%s\"><i style=\"background:%s\"></i>%s: %zu run%s, %s</span>",
			states[i].help, states[i].colour, states[i].name, m->nstate[i],
			m->nstate[i] == 1 ? "" : "s", ptw_size(size, sizeof(size), m->pstate[i] << 12));
	fprintf(f, "<span><i style=\"background:" SD_COLOUR "\"></i>soft-dirty (stripe under "
		   "the bar)</span><span>");
	for (i = 0; i < PTWALK_ARRAY_LEN(node_colours) && i < 4; i++)
		fprintf(f, "<i style=\"background:%s\"></i>node %zu ", node_colours[i], i);
	fprintf(f, "(lower stripe)</span></div>\n<p>colour by <select id=\"colour-by\">"
		   "<option>state</option><option>node</option><option>soft-dirty</option>"
		   "</select> <span id=\"status\">loading</span></p>\n"
		   "<table id=\"summary\"><tr><th>summary</th>");
	summary_cell(f, "present", m->total.present, false);
	summary_cell(f, "swapped", m->total.swapped, false);
	summary_cell(f, "thp", m->total.thp, false);
	summary_cell(f, "hugetlb", m->total.hugetlb, false);
	summary_cell(f, "zero", m->total.zero, false);
	summary_cell(f, "ksm", m->total.ksm, hidden);
	summary_cell(f, "cow", m->total.cow, false);
	summary_cell(f, "soft_dirty", m->total.soft_dirty, false);
	fprintf(f, "</tr></table>\n<pre id=\"errors\"></pre>\n"
		   "<div id=\"details\">hover over a run for its entries, click to pin</div>\n");
	fprintf(f, "<div id=\"picture\">\n");
	svg(f, m);
	fprintf(f, "</div>\n<script type=\"application/json\" id=\"ptwalk-data\">");
	json_in_html(f, json);
	fprintf(f, "</script>\n<script>\n%s</script>\n</body></html>\n", page_js);
}

int ptw_map_write(FILE *f, const struct ptw_result *res, const struct ptw_run *runs,
		  size_t n, bool as_svg)
{
	struct map m = { .res = res, .runs = runs, .n = n };
	char *json;

	if (prepare(&m))
		return -1;
	if (as_svg) {
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		svg(f, &m);
		return 0;
	}
	json = data_json(&m);
	if (!json)
		return -1;
	html(f, &m, json);
	free(json);
	return 0;
}
