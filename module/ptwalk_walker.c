// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_walker.c - which walker runs, ptwalk's own walker, and the hold of
 * the target's mmap lock.
 *
 * The kernel's walk_page_range() is not exported.  It is found through a
 * kprobe and called through a pointer only where that is provably safe
 * (no kCFI; IBT not enforced, or an intact ENDBR at the target).  This file
 * alone holds that pointer and the module parameters that choose.  The
 * builtin walker implements the part of the mm_walk_ops contract ptwalk
 * uses, for the kernels where the pointer is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/hugetlb.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/pagewalk.h>
#include <linux/seq_file.h>
#include "../include/ptwalk.h"
#include "ptwalk_arch.h"
#include "ptwalk_compat.h"
#include "ptwalk_walker.h"

static char *walker = "auto";
module_param(walker, charp, 0444);
MODULE_PARM_DESC(walker,
		 "auto (kernel walker where provably safe), kernel or builtin");

/*
 * For tests only: behave as if the kernel were built with kCFI ("cfi") or
 * the CPU enforced IBT with walk_page_range sealed ("ibt"), so that the
 * refusal paths run on machines that have neither.
 */
static char *simulate = "";
module_param(simulate, charp, 0444);
MODULE_PARM_DESC(simulate, "tests only: cfi or ibt, to exercise refusing the kernel walker");

typedef int (*ptwalk_walk_fn)(struct mm_struct *mm, unsigned long start,
			      unsigned long end, const struct mm_walk_ops *ops,
			      void *private);

/* walk_page_range(), when it may be called; set once at load. */
static ptwalk_walk_fn ptwalk_kernel_walk;
static int ptwalk_default_walker = PTWALK_WALKER_BUILTIN;
static const char *ptwalk_walker_reason = "not resolved";

/* mmap-lock holds and the longest one since load (status). */
static atomic_long_t ptwalk_lock_holds = ATOMIC_LONG_INIT(0);
static atomic64_t ptwalk_lock_hold_max = ATOMIC64_INIT(0);

/*
 * Find walk_page_range() through a kprobe registered disabled, so no code
 * is patched, and decide whether it may be called through a pointer.  On a
 * CPU enforcing IBT an indirect call must land on an ENDBR, which
 * apply_seal_endbr() removes from functions whose address the kernel never
 * takes (walk_page_range is one): then only the builtin walker is safe.
 */
static int ptwalk_resolve_kernel_walker(void)
{
	struct kprobe kp = {
		.symbol_name = "walk_page_range",
		.flags = KPROBE_FLAG_DISABLED,
	};
	bool sim_ibt = !strcmp(simulate, "ibt");
	unsigned long entry;
	bool landing;
	int ret;

	/*
	 * kCFI (clang's CONFIG_CFI_CLANG, CONFIG_CFI from 6.18) checks a type
	 * hash before every indirect call's target, and walk_page_range()'s
	 * address is never taken, so it may carry none: refuse, as under IBT.
	 */
	if (IS_ENABLED(CONFIG_CFI_CLANG) || IS_ENABLED(CONFIG_CFI) ||
	    !strcmp(simulate, "cfi")) {
		ptwalk_walker_reason = "kCFI kernel: an indirect call to walk_page_range would trap";
		return -EOPNOTSUPP;
	}
	ret = register_kprobe(&kp);
	if (ret) {
		ptwalk_walker_reason = "walk_page_range not found (kprobes unavailable)";
		return ret;
	}
	ret = ptwalk_arch_call_entry((unsigned long)kp.addr, &entry, &landing);
	unregister_kprobe(&kp);
	if (ret) {
		ptwalk_walker_reason = "walk_page_range unreadable";
		return ret;
	}
	if (sim_ibt)
		landing = false;	/* as if apply_seal_endbr() had sealed it */
	if ((ptwalk_arch_ibt_enforced() || sim_ibt) && !landing) {
		ptwalk_walker_reason =
			PTWALK_ARCH_BT " enforced and walk_page_range has " PTWALK_ARCH_NO_PAD;
		return -EOPNOTSUPP;
	}
	ptwalk_kernel_walk = (ptwalk_walk_fn)entry;
	ptwalk_walker_reason = ptwalk_arch_ibt_enforced() ?
		PTWALK_ARCH_BT " enforced, walk_page_range has " PTWALK_ARCH_A_PAD :
		PTWALK_ARCH_BT_OFF;
	return 0;
}

/**
 * ptwalk_walker_init - choose the default walker from the module parameters
 *
 * walker=kernel fails the load when the kernel walker is refused; "auto"
 * falls back to the builtin walker.  Logs the choice.
 *
 * Locking: module init only.
 * Return: 0, or -errno for a bad parameter or a refused walker=kernel.
 */
int ptwalk_walker_init(void)
{
	int ret;

	if (*simulate && strcmp(simulate, "cfi") && strcmp(simulate, "ibt")) {
		pr_err("simulate must be cfi or ibt, not '%s'\n", simulate);
		return -EINVAL;
	}
	ret = ptwalk_resolve_kernel_walker();

	if (!strcmp(walker, "builtin")) {
		ptwalk_default_walker = PTWALK_WALKER_BUILTIN;
	} else if (!strcmp(walker, "kernel")) {
		if (ret) {
			pr_err("walker=kernel refused: %s\n", ptwalk_walker_reason);
			ptwalk_kernel_walk = NULL;
			return ret;
		}
		ptwalk_default_walker = PTWALK_WALKER_KERNEL;
	} else if (!strcmp(walker, "auto")) {
		ptwalk_default_walker = ret ? PTWALK_WALKER_BUILTIN :
					      PTWALK_WALKER_KERNEL;
	} else {
		pr_err("walker must be auto, kernel or builtin, not '%s'\n", walker);
		ptwalk_kernel_walk = NULL;
		return -EINVAL;
	}
	pr_info("walker %s (kernel walk_page_range %s: %s), %d-level paging\n",
		ptwalk_walker_name(ptwalk_default_walker),
		ptwalk_kernel_walk ? "usable" : "not usable",
		ptwalk_walker_reason, ptwalk_arch_paging_levels());
	return 0;
}

/**
 * ptwalk_walker_exit - forget the kernel walker
 *
 * Locking: module exit only, after every reader is gone.
 */
void ptwalk_walker_exit(void)
{
	ptwalk_kernel_walk = NULL;
}

/**
 * ptwalk_walker_default - the walker a query gets without walker=
 *
 * Locking: none; set once at load.
 * Return: PTWALK_WALKER_KERNEL or PTWALK_WALKER_BUILTIN.
 */
int ptwalk_walker_default(void)
{
	return ptwalk_default_walker;
}

/**
 * ptwalk_walker_available - may @walker run here?
 * @walker: enum ptwalk_walker
 *
 * Locking: none; set once at load.
 * Return: whether ptwalk_walker_run() accepts it.
 */
bool ptwalk_walker_available(int walker)
{
	return walker == PTWALK_WALKER_BUILTIN ||
	       (walker == PTWALK_WALKER_KERNEL && ptwalk_kernel_walk);
}

/**
 * ptwalk_walker_name - the name queries and headers use for @walker
 * @walker: enum ptwalk_walker
 *
 * Locking: none.
 * Return: "kernel" or "builtin".
 */
const char *ptwalk_walker_name(int walker)
{
	return walker == PTWALK_WALKER_KERNEL ? "kernel" : "builtin";
}

/**
 * ptwalk_walker_status - the status file's lines about walkers and locking
 * @m: the status file
 *
 * walker: the default; walker_param: the module parameter; kernel_walker:
 * whether walk_page_range may be called and why (IBT, kCFI, kprobes);
 * ibt: whether the CPU enforces it; simulate: the test parameter or "-";
 * lock_holds and lock_hold_max_ns: the target mmap-lock holds since load.
 *
 * Locking: none.
 */
void ptwalk_walker_status(struct seq_file *m)
{
	seq_printf(m, "walker: %s\n", ptwalk_walker_name(ptwalk_default_walker));
	seq_printf(m, "walker_param: %s\n", walker);
	seq_printf(m, "kernel_walker: %s (%s)\n",
		   ptwalk_kernel_walk ? "available" : "unavailable",
		   ptwalk_walker_reason);
	seq_printf(m, "ibt: %s\n", ptwalk_arch_ibt_enforced() ?
		   "enforced" : "not enforced");
	seq_printf(m, "simulate: %s\n", *simulate ? simulate : "-");
	seq_printf(m, "lock_holds: %ld\n", atomic_long_read(&ptwalk_lock_holds));
	seq_printf(m, "lock_hold_max_ns: %lld\n", atomic64_read(&ptwalk_lock_hold_max));
}

/**
 * ptwalk_mm_lock - take @mm's mmap lock for read, killable
 * @h: the hold, filled for ptwalk_mm_unlock()
 * @mm: the target's address space, pinned by the caller (mmget)
 *
 * Locking: takes the mmap lock; sleeps.
 * Return: 0, or -EINTR when a fatal signal came first.
 */
int ptwalk_mm_lock(struct ptwalk_hold *h, struct mm_struct *mm)
{
	int ret = mmap_read_lock_killable(mm);

	if (ret)
		return ret;
	h->mm = mm;
	h->t0 = ktime_get_ns();
	return 0;
}

/**
 * ptwalk_mm_unlock - drop a hold taken by ptwalk_mm_lock() and count it
 * @h: the hold
 *
 * The hold's length goes into the status file's lock_holds and
 * lock_hold_max_ns.
 *
 * Locking: drops the mmap lock ptwalk_mm_lock() took.
 */
void ptwalk_mm_unlock(struct ptwalk_hold *h)
{
	s64 ns = ktime_get_ns() - h->t0;
	s64 max = atomic64_read(&ptwalk_lock_hold_max);

	mmap_read_unlock(h->mm);
	atomic_long_inc(&ptwalk_lock_holds);
	while (ns > max &&
	       !atomic64_try_cmpxchg(&ptwalk_lock_hold_max, &max, ns))
		;
}

/* ---- ptwalk's own walker --------------------------------------------- */
static int ptwalk_builtin_pmd_range(pud_t *pud, unsigned long addr,
				    unsigned long end, struct mm_walk *walk)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;
	int err = 0;

	do {
again:
		next = pmd_addr_end(addr, end);
		if (pmd_none(ptwalk_pmdp_get(pmd)))
			continue;
		walk->action = ACTION_SUBTREE;
		err = walk->ops->pmd_entry(pmd, addr, next, walk);
		if (err)
			break;
		if (walk->action == ACTION_AGAIN)
			goto again;
	} while (pmd++, addr = next, addr != end);
	return err;
}

static int ptwalk_builtin_pud_range(p4d_t *p4d, unsigned long addr,
				    unsigned long end, struct mm_walk *walk)
{
	pud_t *pud = pud_offset(p4d, addr);
	unsigned long next;
	int err = 0;

	do {
		pud_t val;

again:
		next = pud_addr_end(addr, end);
		val = READ_ONCE(*pud);
		if (pud_none(val))
			continue;
		walk->action = ACTION_SUBTREE;
		err = walk->ops->pud_entry(pud, addr, next, walk);
		if (err)
			break;
		if (walk->action == ACTION_CONTINUE)
			continue;
		val = READ_ONCE(*pud);
		/* Became a leaf since pud_entry looked: let it report that. */
		if (pud_leaf(val) || ptwalk_pud_devmap(val))
			goto again;
		if (pud_none(val) || !pud_present(val) || pud_bad(val))
			continue;
		err = ptwalk_builtin_pmd_range(pud, addr, next, walk);
		if (err)
			break;
	} while (pud++, addr = next, addr != end);
	return err;
}

static int ptwalk_builtin_p4d_range(pgd_t *pgd, unsigned long addr,
				    unsigned long end, struct mm_walk *walk)
{
	p4d_t *p4d = p4d_offset(pgd, addr);
	unsigned long next;
	int err = 0;

	do {
		p4d_t val;

		next = p4d_addr_end(addr, end);
		val = READ_ONCE(*p4d);
		if (p4d_none(val) || !p4d_present(val) || p4d_bad(val))
			continue;
		err = ptwalk_builtin_pud_range(p4d, addr, next, walk);
		if (err)
			break;
	} while (p4d++, addr = next, addr != end);
	return err;
}

static int ptwalk_builtin_pgd_range(unsigned long addr, unsigned long end,
				    struct mm_walk *walk)
{
	pgd_t *pgd = pgd_offset(walk->mm, addr);
	unsigned long next;
	int err = 0;

	do {
		pgd_t val;

		next = pgd_addr_end(addr, end);
		val = READ_ONCE(*pgd);
		if (pgd_none(val) || !pgd_present(val) || pgd_bad(val))
			continue;
		err = ptwalk_builtin_p4d_range(pgd, addr, next, walk);
		if (err)
			break;
	} while (pgd++, addr = next, addr != end);
	return err;
}

/**
 * ptwalk_builtin_hugetlb_range - call walk->ops->hugetlb_entry for every
 *	huge page slot of [@addr, @end) in the hugetlb VMA walk->vma
 * @addr: start, in walk->vma
 * @end: end (exclusive), in walk->vma
 * @walk: the walk, its ops and private data
 *
 * hugetlb_vma_lock_read() is not exported.  Taking the file's i_mmap_rwsem
 * for read instead keeps huge_pmd_unshare() (which asserts it held for
 * write) from freeing a shared PMD table under the walk.  The kernel
 * walker's test_walk uses it where walk_page_range() would walk hugetlb
 * without the hugetlb VMA lock (before 6.2).
 *
 * Locking: the caller holds walk->mm's mmap lock for read; takes and drops
 * i_mmap_rwsem of the VMA's file.
 * Return: 0, or the first non-zero value hugetlb_entry returned.
 */
int ptwalk_builtin_hugetlb_range(unsigned long addr, unsigned long end,
				 struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct hstate *h = hstate_vma(vma);
	unsigned long hmask = huge_page_mask(h);
	unsigned long sz = huge_page_size(h);
	unsigned long next;
	int err = 0;

	i_mmap_lock_read(mapping);
	for (; addr < end; addr = next) {
		pte_t *pte;

		next = min((addr & hmask) + sz, end);
		pte = ptwalk_arch_huge_pte_offset(walk->mm, addr & hmask, sz);
		if (!pte)
			continue;
		err = walk->ops->hugetlb_entry(pte, hmask, addr, next, walk);
		if (err)
			break;
	}
	i_mmap_unlock_read(mapping);
	return err;
}

/*
 * ptwalk_builtin_walk - walk_page_range() for the hooks ptwalk uses
 * @mm: the address space, its mmap lock held for read
 * @start: start of the range
 * @end: end of the range (exclusive)
 * @ops: callbacks: test_walk, pud_entry, pmd_entry and hugetlb_entry are
 *	required (pte_entry, pte_hole and the others are not supported)
 * @private: passed in &struct mm_walk
 *
 * Follows walk_page_range()'s contract for those hooks: test_walk returning
 * >0 skips a VMA, a hook returning non-zero stops the walk and that value is
 * returned, walk->action selects ACTION_SUBTREE, ACTION_CONTINUE or
 * ACTION_AGAIN.  Huge PUDs/PMDs are never split.
 *
 * Locking: the caller holds @mm's mmap lock for read.
 * Return: 0, a positive value from a hook, or -errno.
 */
static int ptwalk_builtin_walk(struct mm_struct *mm, unsigned long start,
			       unsigned long end, const struct mm_walk_ops *ops,
			       void *private)
{
	struct mm_walk walk = {
		.ops = ops,
		.mm = mm,
		.private = private,
	};
	struct vm_area_struct *vma;
	unsigned long next;
	int err = 0;

	if (start >= end)
		return -EINVAL;
	mmap_assert_locked(mm);

	vma = find_vma(mm, start);
	for (; start < end; start = next) {
		if (!vma) {
			next = end;
			continue;
		}
		if (start < vma->vm_start) {
			next = min(end, vma->vm_start);
			continue;
		}
		walk.vma = vma;
		next = min(end, vma->vm_end);
		vma = find_vma(mm, vma->vm_end);

		err = ops->test_walk(start, next, &walk);
		if (err > 0) {
			err = 0;
			continue;
		}
		if (err < 0)
			break;
		if (is_vm_hugetlb_page(walk.vma))
			err = ptwalk_builtin_hugetlb_range(start, next, &walk);
		else
			err = ptwalk_builtin_pgd_range(start, next, &walk);
		if (err)
			break;
	}
	return err;
}


/**
 * ptwalk_walker_run - run @walker over [@start, @end) of @mm
 * @walker: PTWALK_WALKER_KERNEL or PTWALK_WALKER_BUILTIN, one that
 *	ptwalk_walker_available() accepts
 * @mm: the address space
 * @start: start of the range
 * @end: end of the range (exclusive)
 * @ops: the callbacks (see ptwalk_builtin_walk() for the subset both
 *	walkers honour)
 * @private: passed to the callbacks in &struct mm_walk
 *
 * Locking: the caller holds @mm's mmap lock for read (ptwalk_mm_lock()).
 * Return: as walk_page_range(): 0, a positive value a callback stopped the
 * walk with, or -errno (-EOPNOTSUPP for a walker that is unavailable).
 */
int ptwalk_walker_run(int walker, struct mm_struct *mm, unsigned long start,
		      unsigned long end, const struct mm_walk_ops *ops,
		      void *private)
{
	if (walker == PTWALK_WALKER_BUILTIN)
		return ptwalk_builtin_walk(mm, start, end, ops, private);
	if (WARN_ON_ONCE(walker != PTWALK_WALKER_KERNEL || !ptwalk_kernel_walk))
		return -EOPNOTSUPP;
	return ptwalk_kernel_walk(mm, start, end, ops, private);
}
