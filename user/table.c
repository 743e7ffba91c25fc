// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - render a view's column table as text and as JSON.
 */
#include <stdio.h>
#include <string.h>

#include "table.h"

static bool text_col(const struct ptw_col *c)
{
	return !(c->flags & PTW_COL_NOTEXT);
}

/* One text column: @s (its name or a cell) after its gap, aligned. */
static void text_cell(FILE *f, const struct ptw_col *c, const char *s, bool first,
		      bool last)
{
	int w = c->width;

	if (!first)
		fprintf(f, "%*s", c->gap ? c->gap : 1, "");
	/* The last column is not padded: no trailing blanks. */
	if (c->flags & PTW_COL_RIGHT)
		fprintf(f, "%*s", w, s);
	else if (last)
		fputs(s, f);
	else
		fprintf(f, "%-*s", w, s);
}

static size_t last_text_col(const struct ptw_table *t)
{
	size_t i, last = 0;

	for (i = 0; i < t->ncols; i++)
		if (text_col(t->cols[i]))
			last = i;
	return last;
}

void ptw_text_header(FILE *f, const struct ptw_table *t)
{
	size_t i, last = last_text_col(t);
	bool first = true;

	for (i = 0; i < t->ncols; i++) {
		if (!text_col(t->cols[i]))
			continue;
		text_cell(f, t->cols[i], t->cols[i]->name, first, i == last);
		first = false;
	}
}

void ptw_text_row(FILE *f, const struct ptw_table *t, const void *row)
{
	size_t i, last = last_text_col(t);
	struct ptw_cell c;
	bool first = true;

	for (i = 0; i < t->ncols; i++) {
		if (!text_col(t->cols[i]))
			continue;
		memset(&c, 0, sizeof(c));
		t->cols[i]->fmt(row, &c);
		text_cell(f, t->cols[i], c.text, first, i == last);
		first = false;
	}
}

/* ---- JSON ---------------------------------------------------------------- */

char *ptw_json_quote(char *buf, size_t len, const char *s)
{
	size_t at = 0;

	for (buf[at++] = '"'; *s && at + 8 < len; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			at += snprintf(buf + at, len - at, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			at += snprintf(buf + at, len - at, "\\u%04x", ch);
		else
			buf[at++] = ch;
	}
	buf[at++] = '"';
	buf[at] = '\0';
	return buf;
}

void ptw_json_begin(struct ptw_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* The comma and "key": before an item at the current depth. */
static void item(struct ptw_json *j, const char *key)
{
	char q[512];

	if (j->more[j->depth])
		fputc(',', j->f);
	j->more[j->depth] = true;
	if (key)
		fprintf(j->f, "%s:", ptw_json_quote(q, sizeof(q), key));
}

void ptw_json_open(struct ptw_json *j, const char *key, char bracket)
{
	item(j, key);
	fputc(bracket, j->f);
	if (j->depth + 1 < (int)(sizeof(j->more) / sizeof(j->more[0])))
		j->depth++;
	j->more[j->depth] = false;
}

void ptw_json_close(struct ptw_json *j, char bracket)
{
	fputc(bracket, j->f);
	if (j->depth > 0)
		j->depth--;
}

void ptw_json_raw(struct ptw_json *j, const char *key, const char *value)
{
	item(j, key);
	fputs(value, j->f);
}

void ptw_json_strval(struct ptw_json *j, const char *key, const char *s)
{
	char q[1024];

	ptw_json_raw(j, key, ptw_json_quote(q, sizeof(q), s));
}

void ptw_json_u64(struct ptw_json *j, const char *key, uint64_t v)
{
	item(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void ptw_json_bool(struct ptw_json *j, const char *key, bool v)
{
	ptw_json_raw(j, key, v ? "true" : "false");
}

void ptw_json_cols(struct ptw_json *j, const struct ptw_table *t, const void *row)
{
	const char *group = NULL;	/* the "a." of the nested object open */
	size_t i, glen = 0;
	struct ptw_cell c;

	for (i = 0; i < t->ncols; i++) {
		const struct ptw_col *col = t->cols[i];
		const char *key = col->json, *dot;

		if (!key)
			continue;
		memset(&c, 0, sizeof(c));
		col->fmt(row, &c);
		if (!c.json[0])
			continue;
		dot = strchr(key, '.');
		if (group && (!dot || (size_t)(dot - key) != glen || strncmp(key, group, glen))) {
			ptw_json_close(j, '}');
			group = NULL;
		}
		if (dot && !group) {
			char name[64];

			snprintf(name, sizeof(name), "%.*s", (int)(dot - key), key);
			ptw_json_open(j, name, '{');
			group = key;
			glen = dot - key;
		}
		ptw_json_raw(j, dot ? dot + 1 : key, c.json);
	}
	if (group)
		ptw_json_close(j, '}');
}

void ptw_json_row(struct ptw_json *j, const char *key, const struct ptw_table *t,
		  const void *row)
{
	ptw_json_open(j, key, '{');
	ptw_json_cols(j, t, row);
	ptw_json_close(j, '}');
}

void ptw_table_help(FILE *f, const struct ptw_table *t)
{
	size_t i;

	fprintf(f, "columns of %s:\n", t->view);
	for (i = 0; i < t->ncols; i++) {
		const struct ptw_col *c = t->cols[i];

		fprintf(f, "  %-26s %-18s %s\n", text_col(c) ? c->name : "(json only)",
			c->json ? c->json : "(text only)", c->help);
	}
}

/* ---- cells ----------------------------------------------------------------- */

void ptw_cell_str(struct ptw_cell *c, const char *s)
{
	snprintf(c->text, sizeof(c->text), "%s", s);
	ptw_json_quote(c->json, sizeof(c->json), s);
}

void ptw_cell_hex(struct ptw_cell *c, uint64_t v)
{
	snprintf(c->text, sizeof(c->text), "0x%llx", (unsigned long long)v);
	snprintf(c->json, sizeof(c->json), "\"0x%llx\"", (unsigned long long)v);
}

void ptw_cell_num(struct ptw_cell *c, long long v)
{
	snprintf(c->text, sizeof(c->text), "%lld", v);
	snprintf(c->json, sizeof(c->json), "%lld", v);
}

void ptw_cell_null(struct ptw_cell *c, const char *text)
{
	snprintf(c->text, sizeof(c->text), "%s", text);
	snprintf(c->json, sizeof(c->json), "null");
}

void ptw_cell_bool(struct ptw_cell *c, bool v)
{
	snprintf(c->text, sizeof(c->text), "%s", v ? "yes" : "no");
	snprintf(c->json, sizeof(c->json), "%s", v ? "true" : "false");
}

void ptw_cell_names(struct ptw_cell *c, uint32_t v, uint32_t mask,
		    const char *const *tab)
{
	size_t t = 0, jn = 0;
	int i;

	c->json[jn++] = '[';
	for (i = 0; i < 32; i++) {
		if (!(v & mask & (1U << i)) || !tab[i])
			continue;
		t += snprintf(c->text + t, t < sizeof(c->text) ? sizeof(c->text) - t : 0,
			      "%s%s", t ? "," : "", tab[i]);
		jn += snprintf(c->json + jn, jn < sizeof(c->json) ? sizeof(c->json) - jn : 0,
			       "%s\"%s\"", jn > 1 ? "," : "", tab[i]);
	}
	if (!t)
		snprintf(c->text, sizeof(c->text), "-");
	if (jn + 2 > sizeof(c->json))
		jn = sizeof(c->json) - 2;
	c->json[jn++] = ']';
	c->json[jn] = '\0';
}
