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

/*
 * The fast path of a present entry's line (or a run's, @merged) whose
 * record a memo repeats (ptwalk_fmt.c): everything after its frames is the
 * same for every entry of the memo, so it is made once with
 * ptwalk_text_tail() (the bytes ptwalk_text_entry() or ptwalk_text_run()
 * write after the frame's digits) and copied.  ptwalk_text_entry_fast()
 * and ptwalk_text_run_fast() write the line without a bound: the caller
 * has PTWALK_TEXT_HEAD_MAX + @tail_len rounded up to 8 bytes of room, and
 * @tail holds @tail_len bytes rounded up to 8.  When that total is at most
 * PTWALK_LINE_MAX - 1, the bytes are the bounded functions', which would
 * not cut the line (user/tests/text_test holds them to that).
 */
#define PTWALK_TEXT_HEAD_MAX	128

char *ptwalk_text_tail(char *s, char *e, const struct ptwalk_rec *r,
		       bool merged, u32 pat, bool hidden);
char *ptwalk_text_entry_fast(char *s, const struct ptwalk_rec *r,
			     const char *tail, unsigned int tail_len);
char *ptwalk_text_run_fast(char *s, const struct ptwalk_rec *r,
			   unsigned long pages, const char *tail,
			   unsigned int tail_len);

#endif /* _PTWALK_TEXT_H */
