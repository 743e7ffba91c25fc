/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map - ptwalk map: a picture of an address space.  One SVG (every VMA a
 * row in address order, the gaps between them folded into a line that
 * says how large they are; each run of ptw_runs() a rectangle coloured by
 * its state, with stripes for soft-dirty and the NUMA node), either alone
 * (--svg) or in one self-contained HTML page with a legend, the summary
 * counts, details per run on hover and click, and the same data as JSON
 * in <script type="application/json" id="ptwalk-data">, which the browser
 * test (scripts/check.d/60-browser) compares with what is drawn.
 */
#ifndef PTWALK_MAP_H
#define PTWALK_MAP_H

#include <stdbool.h>
#include <stdio.h>

#include "libptwalk.h"

/* The state a run is drawn in: one each, by these rules in this order. */
enum ptw_map_state {
	PTW_MS_HUGETLB,		/* page PTWALK_P_HUGETLB */
	PTW_MS_THP,		/* page PTWALK_P_THP */
	PTW_MS_SWAPPED,		/* kind swap */
	PTW_MS_OTHER,		/* not present: migration, marker, ... */
	PTW_MS_ZERO,		/* the zero page or the huge zero page */
	PTW_MS_COW,		/* a write copies or reuses (CoW pending) */
	PTW_MS_PRESENT,		/* any other present entry */
	PTW_MS_N
};

enum ptw_map_state ptw_map_state(const struct ptwalk_rec *r);
const char *ptw_map_state_name(enum ptw_map_state s);

/*
 * Write the map of @res (its @n runs from ptw_runs()) to @f: an SVG
 * document when @svg, else the HTML page.  Return: 0, or -1 when out of
 * memory.
 */
int ptw_map_write(FILE *f, const struct ptw_result *res, const struct ptw_run *runs,
		  size_t n, bool svg);

#endif /* PTWALK_MAP_H */
