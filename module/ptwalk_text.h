/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_text.h - the lines of the text and merged formats, by hand: plain
 * C shared by the module and the host-side tests (no kernel-only
 * dependencies), like ptwalk_query.h.
 *
 * Each function writes into [@s, @e) and returns the new end; what does
 * not fit is cut at @e (never written past it), as scnprintf() into a
 * buffer of @e - @s + 1 bytes would cut it.  No NUL is written.  These
 * replaced scnprintf() on the path every entry takes (vsnprintf() was
 * 85-127x pagemap's cost, issue 16); the bytes are the same, which
 * user/tests/text_test checks against the old scnprintf() code.
 */
#ifndef _PTWALK_TEXT_H
#define _PTWALK_TEXT_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t u64;
typedef uint32_t u32;
#endif

#include "../include/ptwalk.h"

/* The longest line, newline included: longer ones are cut before it. */
#define PTWALK_LINE_MAX	512

/* @str; "%llx" of @v; "%0*llx" of @v (at least @width digits); "%llu"; "%lld". */
char *ptwalk_put_str(char *s, char *e, const char *str);
char *ptwalk_put_hex(char *s, char *e, u64 v, unsigned int width);
char *ptwalk_put_udec(char *s, char *e, u64 v);
char *ptwalk_put_sdec(char *s, char *e, long long v);

/* "name,name" for the set bits of @v in @mask from @tab (NULL: none), or "-". */
char *ptwalk_put_names(char *s, char *e, u32 v, u32 mask, const char *const *tab);

/*
 * An entry line without its newline: "0xVADDR SIZE LEVEL raw=0xRAW kind=..."
 * (format=text).  @pat: the PTWALK_B_* bit that is PAT at the entry's
 * level (ptwalk_arch_pat_bit()); @hidden: the unprivileged view (no pg=).
 */
char *ptwalk_text_entry(char *s, char *e, const struct ptwalk_rec *r, u32 pat,
			bool hidden);

/* A run of @pages entries from @r: "0xSTART-0xEND NxSIZE LEVEL kind=..." (merged). */
char *ptwalk_text_run(char *s, char *e, const struct ptwalk_rec *r,
		      unsigned long pages, u32 pat, bool hidden);

#endif /* _PTWALK_TEXT_H */
