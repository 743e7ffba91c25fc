/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_walk.h - reporting a reader's range or address: the walk
 * callbacks, driven chunk by chunk, and the single-address translation.
 */
#ifndef _PTWALK_WALK_H
#define _PTWALK_WALK_H

#include "ptwalk_internal.h"

int ptwalk_walk_chunk(struct ptwalk_ctx *ctx);
int ptwalk_translate(struct ptwalk_ctx *ctx);
u32 ptwalk_pg_facts(unsigned long f);
struct ptwalk_hold;
int ptwalk_lock_target(struct ptwalk_ctx *ctx, struct ptwalk_hold *hold);
int ptwalk_walk_span(struct ptwalk_ctx *ctx, unsigned long start,
		     unsigned long end);

#endif /* _PTWALK_WALK_H */
