/* SPDX-License-Identifier: GPL-2.0 */
/*
 * table - every view of the ptwalk command is a table of columns, as
 * util-linux lsmem's coldescs[] are: one description per column (name,
 * width, alignment, formatter, JSON key, help) serves the header row, the
 * text rows, --help's column list and --json.  A formatter fills one cell
 * with both forms of the same value, so text and JSON cannot drift apart.
 *
 * A column is text only (json NULL), JSON only (PTW_COL_NOTEXT), or both.
 * A JSON key "a.b" puts b into a nested object "a" (consecutive columns
 * with the same "a." share it).  A cell left with json empty is left out
 * of the JSON object (e.g. swap_type for an entry that is not swapped).
 */
#ifndef PTWALK_TABLE_H
#define PTWALK_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One value in both forms. */
struct ptw_cell {
	char text[256];		/* as the text view prints it */
	char json[4096];	/* a JSON value (an entry object fits); "" leaves it out */
};

/* struct ptw_col.flags */
#define PTW_COL_RIGHT	(1U << 0)	/* text: right-aligned */
#define PTW_COL_NOTEXT	(1U << 1)	/* JSON only */

struct ptw_col {
	const char *name;	/* header and --help */
	int width;		/* text: minimum width (0: as wide as the value) */
	int gap;		/* text: spaces before it (0 means 1) */
	unsigned int flags;	/* PTW_COL_* */
	const char *json;	/* JSON key, NULL for text only */
	void (*fmt)(const void *row, struct ptw_cell *c);
	const char *help;	/* --help: what the column says */
};

/* A view: its columns in order (text order and JSON order agree). */
struct ptw_table {
	const char *view;	/* --help: "ptwalk PID" */
	const struct ptw_col *const *cols;
	size_t ncols;
};

#define PTW_TABLE(v, c)	{ .view = (v), .cols = (c), .ncols = sizeof(c) / sizeof((c)[0]) }

/* The header row and one row of @t in text, without a newline. */
void ptw_text_header(FILE *f, const struct ptw_table *t);
void ptw_text_row(FILE *f, const struct ptw_table *t, const void *row);

/*
 * A streaming JSON writer: keys and values, objects and arrays, commas
 * where they belong.  @key is NULL inside arrays.
 */
struct ptw_json {
	FILE *f;
	int depth;
	bool more[16];		/* an item was written at this depth */
};

void ptw_json_begin(struct ptw_json *j, FILE *f);
void ptw_json_open(struct ptw_json *j, const char *key, char bracket);
void ptw_json_close(struct ptw_json *j, char bracket);
/* "key":VALUE with @value already JSON (a number, "\"str\"", null...). */
void ptw_json_raw(struct ptw_json *j, const char *key, const char *value);
void ptw_json_strval(struct ptw_json *j, const char *key, const char *s);
void ptw_json_u64(struct ptw_json *j, const char *key, uint64_t v);
void ptw_json_bool(struct ptw_json *j, const char *key, bool v);

/* Row @row of @t as an object's keys, inside an object already open. */
void ptw_json_cols(struct ptw_json *j, const struct ptw_table *t, const void *row);
/* Row @row of @t as one object (member @key, or an array item). */
void ptw_json_row(struct ptw_json *j, const char *key, const struct ptw_table *t,
		  const void *row);

/* --help: every column of @t with its JSON key and help. */
void ptw_table_help(FILE *f, const struct ptw_table *t);

/* Cell helpers: both forms at once. */
void ptw_cell_str(struct ptw_cell *c, const char *s);	/* text s, JSON "s" */
void ptw_cell_hex(struct ptw_cell *c, uint64_t v);	/* 0x.. and "0x.." */
void ptw_cell_num(struct ptw_cell *c, long long v);
void ptw_cell_null(struct ptw_cell *c, const char *text);	/* JSON null */
void ptw_cell_bool(struct ptw_cell *c, bool v);
/* The names of the bits of @v in @mask: "a,b" or "-", and ["a","b"]. */
void ptw_cell_names(struct ptw_cell *c, uint32_t v, uint32_t mask,
		    const char *const *tab);

/* @s as a JSON string into @buf. */
char *ptw_json_quote(char *buf, size_t len, const char *s);

#endif /* PTWALK_TABLE_H */
