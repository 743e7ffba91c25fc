/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_kparse.h - the ptdump text parser, plain C shared by the module
 * and the host-side test (no kernel-only dependencies).
 */
#ifndef _PTWALK_KPARSE_H
#define _PTWALK_KPARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif
#include "../include/ptwalk.h"

/**
 * ptwalk_kparse_lines - how many records ptwalk_kparse() may make of @text
 * @text: the dump's text
 * @len: its bytes
 *
 * Locking: none.
 * Return: the number of lines, plus one.
 */
size_t ptwalk_kparse_lines(const char *text, size_t len);

/**
 * ptwalk_kparse - the dump's text into REGION and KRANGE records
 * @text: the dump's text, not NUL terminated
 * @len: its bytes
 * @recs: room for @cap records
 * @cap: records @recs holds (ptwalk_kparse_lines())
 * @nrecs: set to the records made
 * @shifts: log2 of the entry size at each enum ptwalk_level
 *
 * One REGION per marker, one KRANGE per present range (holes only move a
 * region's start), a region's skipped count from ptdump's "... skipped"
 * line.  Never reads past @len, never writes past @cap.
 *
 * Locking: none.
 * Return: 0, or -EPROTO for text it does not understand (a range before
 * any marker, an unknown word, a range ending before it starts).
 */
int ptwalk_kparse(const char *text, size_t len, union ptwalk_record *recs,
		  size_t cap, size_t *nrecs, const __u8 *shifts);

#endif /* _PTWALK_KPARSE_H */
