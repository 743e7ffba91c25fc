/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_who.h - who maps a frame (pfn= queries): the process scan, the
 * frames' facts and the tally.
 */
#ifndef _PTWALK_WHO_H
#define _PTWALK_WHO_H

#include "ptwalk_internal.h"

int ptwalk_who_setup(struct ptwalk_ctx *ctx, const char **why);
int ptwalk_who_chunk(struct ptwalk_ctx *ctx);
int ptwalk_who_tail(struct ptwalk_ctx *ctx);
int ptwalk_who_mapcount(struct folio *folio, struct page *page);

#endif /* _PTWALK_WHO_H */
