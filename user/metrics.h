/* SPDX-License-Identifier: GPL-2.0 */
/*
 * metrics - "ptwalk metrics": per process and per VMA class, what the
 * page tables map, as Prometheus/OpenMetrics text for node_exporter's
 * textfile collector.
 *
 * Labels stay low-cardinality: pid, comm, class (heap, stack, anon, file,
 * shmem, hugetlb) and, for ptwalk_node_bytes, node.  No addresses, no
 * per-page or per-VMA labels.  Every family is a gauge (one scrape, no
 * counters), so the text is valid in both formats; it ends with "# EOF".
 */
#ifndef PTWALK_METRICS_H
#define PTWALK_METRICS_H

#include <stdio.h>

#include "libptwalk.h"

/* The VMA classes, the value of the "class" label. */
enum ptw_class {
	PTW_C_HEAP, PTW_C_STACK, PTW_C_ANON, PTW_C_FILE, PTW_C_SHMEM, PTW_C_HUGETLB,
	PTW_C_COUNT
};

/* What became of one process asked for (ptwalk_scrape_processes{result}). */
enum ptw_scrape {
	PTW_S_OK,		/* its metrics are in the output */
	PTW_S_VANISHED,		/* exited before or during its walk: skipped */
	PTW_S_DENIED,		/* not visible to the caller (not root) */
	PTW_S_FAILED,		/* any other error (said on stderr) */
	PTW_S_COUNT
};

struct ptw_metrics;

/* An empty collection, or NULL when out of memory. */
struct ptw_metrics *ptw_metrics_new(void);

/*
 * Add one process's complete answer @res (its pid and comm from the
 * header).  Return: 0, or -1 when out of memory.
 */
int ptw_metrics_add(struct ptw_metrics *m, const struct ptw_result *res);

/* Count one process asked for as @what (ptw_metrics_add() counts PTW_S_OK). */
void ptw_metrics_note(struct ptw_metrics *m, enum ptw_scrape what);

/* Every family, HELP and TYPE first, then "# EOF". */
void ptw_metrics_print(FILE *f, const struct ptw_metrics *m);

void ptw_metrics_free(struct ptw_metrics *m);

/* The class of VMA @v of @res (@shmem_page: an entry of it is shmem). */
enum ptw_class ptw_vma_class(const struct ptw_vma *v, bool shmem_page);

#endif /* PTWALK_METRICS_H */
