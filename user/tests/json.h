/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - a small JSON reader for the host tests: enough to hold the
 * ptwalk command's --json output as a tree and compare it with its text.
 * Strict about syntax (NULL on any error); strings keep \uXXXX below 0x80
 * as the byte and anything else as '?'.
 */
#ifndef _PTWALK_TEST_JSON_H
#define _PTWALK_TEST_JSON_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	bool b;
	double num;
	char *s;		/* J_STR */
	struct jv **v;		/* J_ARR, J_OBJ: the values */
	char **k;		/* J_OBJ: the keys */
	size_t n;
};

static void jv_free(struct jv *j)
{
	size_t i;

	if (!j)
		return;
	for (i = 0; i < j->n; i++) {
		jv_free(j->v[i]);
		if (j->k)
			free(j->k[i]);
	}
	free(j->v);
	free(j->k);
	free(j->s);
	free(j);
}

static const char *j_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* A string at @p (at its quote) into malloc'd *@out. */
static const char *j_str(const char *p, char **out)
{
	size_t cap = strlen(p) + 1, n = 0;
	char *s = malloc(cap);

	if (!s || *p++ != '"')
		goto bad;
	for (; *p && *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			goto bad;
		if (*p != '\\') {
			s[n++] = *p;
			continue;
		}
		p++;
		if (*p == 'u') {
			char hex[5] = { 0 };
			unsigned long c;

			memcpy(hex, p + 1, 4);
			if (strlen(hex) != 4 || strspn(hex, "0123456789abcdefABCDEF") != 4)
				goto bad;
			c = strtoul(hex, NULL, 16);
			s[n++] = c < 0x80 ? (char)c : '?';
			p += 4;
		} else if (*p && strchr("\"\\/", *p)) {
			s[n++] = *p;
		} else if (*p && strchr("bfnrt", *p)) {
			s[n++] = " \b\f\n\r\t"[strchr(" bfnrt", *p) - " bfnrt"];
		} else {
			goto bad;
		}
	}
	if (*p != '"')
		goto bad;
	s[n] = '\0';
	*out = s;
	return p + 1;
bad:
	free(s);
	return NULL;
}

static const char *j_value(const char *p, struct jv **out, int depth);

static const char *j_list(const char *p, struct jv *j, char close, int depth)
{
	p = j_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		char *key = NULL;
		struct jv *v;

		j->v = realloc(j->v, (j->n + 1) * sizeof(*j->v));
		if (j->t == J_OBJ)
			j->k = realloc(j->k, (j->n + 1) * sizeof(*j->k));
		if (!j->v || (j->t == J_OBJ && !j->k))
			return NULL;
		if (j->t == J_OBJ) {
			p = j_str(j_ws(p), &key);
			if (!p)
				return NULL;
			p = j_ws(p);
			if (*p++ != ':') {
				free(key);
				return NULL;
			}
		}
		p = j_value(p, &v, depth + 1);
		if (!p) {
			free(key);
			return NULL;
		}
		j->v[j->n] = v;
		if (j->k)
			j->k[j->n] = key;
		j->n++;
		p = j_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *j_value(const char *p, struct jv **out, int depth)
{
	struct jv *j = calloc(1, sizeof(*j));
	char *end;

	*out = j;
	p = j_ws(p);
	if (!j || depth > 32)
		return NULL;
	if (*p == '{' || *p == '[') {
		j->t = *p == '{' ? J_OBJ : J_ARR;
		return j_list(p, j, *p == '{' ? '}' : ']', depth);
	}
	if (*p == '"') {
		j->t = J_STR;
		return j_str(p, &j->s);
	}
	if (!strncmp(p, "null", 4))
		return p + 4;
	j->t = J_BOOL;
	if (!strncmp(p, "true", 4)) {
		j->b = true;
		return p + 4;
	}
	if (!strncmp(p, "false", 5))
		return p + 5;
	j->t = J_NUM;
	j->num = strtod(p, &end);
	return end == p ? NULL : end;
}

/* The whole of @s as one value, or NULL. */
static struct jv *jv_parse(const char *s)
{
	struct jv *j;
	const char *end = j_value(s, &j, 0);

	if (!end || *j_ws(end)) {
		jv_free(j);
		return NULL;
	}
	return j;
}

/* Member @key of object @j, or NULL. */
static struct jv *jv_get(const struct jv *j, const char *key)
{
	size_t i;

	for (i = 0; j && j->t == J_OBJ && i < j->n; i++)
		if (!strcmp(j->k[i], key))
			return j->v[i];
	return NULL;
}

/* Item @i of array @j, or NULL. */
static struct jv *jv_at(const struct jv *j, size_t i)
{
	return j && j->t == J_ARR && i < j->n ? j->v[i] : NULL;
}

static const char *jv_str(const struct jv *j)
{
	return j && j->t == J_STR ? j->s : NULL;
}

/* A "0x..." string member as a number (0 if absent). */
static unsigned long long jv_hex(const struct jv *j)
{
	return jv_str(j) ? strtoull(j->s, NULL, 16) : 0;
}

#endif /* _PTWALK_TEST_JSON_H */
