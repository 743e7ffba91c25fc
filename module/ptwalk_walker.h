/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_walker.h - which walker runs, the builtin walker, and the target's
 * mmap lock.
 *
 * Only ptwalk_walker.c knows where the kernel's walk_page_range() is and
 * whether it may be called (module parameters "walker" and "simulate");
 * everything else names a walker by enum ptwalk_walker and runs it with
 * ptwalk_walker_run().
 */
#ifndef _PTWALK_WALKER_H
#define _PTWALK_WALKER_H

#include <linux/mm_types.h>
#include <linux/pagewalk.h>
#include <linux/seq_file.h>

/**
 * struct ptwalk_hold - one hold of a target's mmap lock (read)
 * @mm: the address space whose lock is held
 * @t0: when it was taken (ns), for the hold statistics
 */
struct ptwalk_hold {
	struct mm_struct *mm;
	u64 t0;
};

int ptwalk_walker_init(void);
void ptwalk_walker_exit(void);
int ptwalk_walker_default(void);
bool ptwalk_walker_available(int walker);
const char *ptwalk_walker_name(int walker);
void ptwalk_walker_status(struct seq_file *m);
int ptwalk_walker_run(int walker, struct mm_struct *mm, unsigned long start,
		      unsigned long end, const struct mm_walk_ops *ops,
		      void *private);
int ptwalk_builtin_hugetlb_range(unsigned long addr, unsigned long end,
				 struct mm_walk *walk);
int ptwalk_mm_lock(struct ptwalk_hold *h, struct mm_struct *mm);
void ptwalk_mm_unlock(struct ptwalk_hold *h);

#endif /* _PTWALK_WALKER_H */
