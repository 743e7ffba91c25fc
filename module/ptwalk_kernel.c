// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_kernel.c - the kernel's page tables: kernel=1 and kaddr= queries.
 *
 * kernel=1 does not walk the kernel's tables itself.  They change under a
 * walker (vmalloc and vunmap, the huge-vmap code freeing PTE and PMD
 * tables, set_memory splitting and collapsing the direct map, memory
 * hotplug), and the kernel's own dump guards against that with
 * get_online_mems() and the mmap locks of the mm and of init_mm taken for
 * writing (mm/ptdump.c, ptdump_walk_pgd()).  Neither get_online_mems()
 * nor init_mm is exported, so a walker of ptwalk's own could not take
 * those locks; ptdump_walk_pgd_level_debugfs() is exported (GPL) on every
 * kernel ptwalk supports, walks any mm's whole PGD with them and prints
 * into a seq_file.  So the module hands it a seq_file of its own, over a
 * buffer allocated before the walk and charged to the reader; when the
 * text does not fit, the buffer is doubled and the walk run again, up to
 * PTWALK_KDUMP_MAX.  The text is then parsed into REGION and KRANGE
 * records, which the reads of the answer hand out (no lock held there).
 * The dump is called with checkwx off: it prints nothing to the log.
 *
 * kaddr= reads the levels of one address itself, the way the exported
 * lookup_address() does: without those locks (the same reason), each
 * entry read once.  A table freed meanwhile can give a stale answer; the
 * direct map and kernel image tables it is mostly asked about are never
 * freed.  README, "The kernel's page tables", says this.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include "ptwalk_arch_x86.h"
#include "ptwalk_fmt.h"
#include "ptwalk_internal.h"
#include "ptwalk_kernel.h"
#include "ptwalk_kparse.h"

/*
 * Declared in asm/ptdump.h only when CONFIG_PTDUMP_DEBUGFS is set.  Debian
 * 6.1 and 6.12 export it (for their debug_pagetables module); 7.x does
 * not (Module.symvers): Kbuild sets PTWALK_HAVE_PTDUMP where it is.
 * Elsewhere it is found as walk_page_range() is (ptwalk_walker.c): through
 * a kprobe registered disabled, and called through a pointer only where
 * that is safe (no kCFI; IBT not enforced, or an intact ENDBR there).  The
 * function takes the kernel's locks itself either way.
 */
typedef void (*ptwalk_ptdump_fn)(struct seq_file *m, struct mm_struct *mm,
				 bool user);
#ifdef PTWALK_HAVE_PTDUMP
void ptdump_walk_pgd_level_debugfs(struct seq_file *m, struct mm_struct *mm,
				   bool user);
#endif
static ptwalk_ptdump_fn ptwalk_ptdump;
static const char *ptwalk_ptdump_how = "not resolved";
/* The last kernel=1 answer's ptdump walk alone, and how many walks (bench). */
static atomic64_t ptwalk_kwalk_ns = ATOMIC64_INIT(0);
static atomic_long_t ptwalk_kwalks = ATOMIC_LONG_INIT(0);
/* What a reader makes the module allocate: charged, refused when over. */
#define PTWALK_GFP_KERN		(GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN)

/* Bytes kernel answers hold now: parsed records, and dump text meanwhile. */
static atomic_long_t ptwalk_kbytes = ATOMIC_LONG_INIT(0);

/* kvcalloc() for a kernel answer, counted in ptwalk_kbytes (status). */
static void *ptwalk_kalloc(size_t n, size_t size)
{
	void *p = kvcalloc(n, size, PTWALK_GFP_KERN);

	if (p)
		atomic_long_add(n * size, &ptwalk_kbytes);
	return p;
}

static void ptwalk_kfree(void *p, size_t bytes)
{
	if (!p)
		return;
	atomic_long_sub(bytes, &ptwalk_kbytes);
	kvfree(p);
}

/*
 * The dump's text buffer: first PTWALK_KDUMP_FIRST, doubled while the
 * text overflows, at most PTWALK_KDUMP_MAX (a 6 GiB guest's dump is about
 * 40 KiB; a fragmented direct map of a large machine is longer).
 */
#define PTWALK_KDUMP_FIRST	(256UL << 10)
#define PTWALK_KDUMP_MAX	(32UL << 20)


#if defined(CONFIG_MITIGATION_PAGE_TABLE_ISOLATION) || defined(CONFIG_PAGE_TABLE_ISOLATION)
#define PTWALK_HAVE_PTI 1
#else
#define PTWALK_HAVE_PTI 0
#endif

/**
 * struct ptwalk_kern - a kernel answer
 * @info: the KINFO record
 * @recs: REGION and KRANGE records (kernel=1) or LEVEL and KADDR
 *	(kaddr=), made on the answer's first read
 * @nrecs: records in @recs
 * @cap: records @recs has room for
 * @next: the next record to hand out
 * @made: @recs is made
 * @walk_ns: how long the kernel's walk took (the last try), for bench
 * @tries: walks run (a buffer too small costs one more)
 */
struct ptwalk_kern {
	struct ptwalk_kinfo info;
	union ptwalk_record *recs;
	size_t nrecs;
	size_t cap;
	size_t next;
	bool made;
	u64 walk_ns;
	unsigned int tries;
};

static bool ptwalk_kpti_on(void)
{
	return PTWALK_HAVE_PTI && boot_cpu_has(X86_FEATURE_PTI);
}

/* The PGD a query looks at: the mm's, or with user=1 its KPTI user copy. */
static pgd_t *ptwalk_kernel_pgd(struct ptwalk_ctx *ctx)
{
#if PTWALK_HAVE_PTI
	if (ctx->q.kpti && ptwalk_kpti_on())
		return kernel_to_user_pgdp(ctx->mm->pgd);
#endif
	return ctx->mm->pgd;
}

/* Canonical with the paging in use: bits from the top one down agree. */
static bool ptwalk_canonical(u64 addr)
{
	unsigned int bits = ptwalk_arch_paging_levels() == 5 ? 57 : 48;

	return (u64)((s64)(addr << (64 - bits)) >> (64 - bits)) == addr;
}

/**
 * ptwalk_kernel_setup - check a kernel=1 or kaddr= query, make its state
 * @ctx: the context; q parsed, the target not pinned yet
 * @why: the reason on failure
 *
 * Locking: under the file's mutex.
 * Return: 0 or -errno (-EINVAL bad address, -ENOMEM).
 */
int ptwalk_kernel_setup(struct ptwalk_ctx *ctx, const char **why)
{
	struct ptwalk_kern *k;

	if (ctx->q.kernel && !ptwalk_ptdump) {
		*why = "kernel=1: the kernel's ptdump walk cannot be called here (see status); kaddr= works";
		return -EOPNOTSUPP;
	}
	if (ctx->q.kaddr) {
		if (!ptwalk_canonical(ctx->q.start)) {
			*why = "kaddr is not canonical with this paging";
			return -EINVAL;
		}
		if (ctx->q.start < TASK_SIZE_MAX) {
			*why = "kaddr is a user address: use addr= with pid=";
			return -EINVAL;
		}
	}
	k = kzalloc(sizeof(*k), PTWALK_GFP_KERN);
	if (!k) {
		*why = "out of memory (or the memory cgroup's limit reached)";
		return -ENOMEM;
	}
	k->info.type = PTWALK_REC_KINFO;
	k->info.page_offset_base = PAGE_OFFSET;
	k->info.vmalloc_base = VMALLOC_START;
	k->info.vmemmap_base = (unsigned long)vmemmap;
	k->info.phys_base = phys_base;
	k->info.levels = ptwalk_arch_paging_levels();
	k->info.flags = (ctx->q.kpti ? PTWALK_H_KPTI : 0) |
			(ptwalk_kpti_on() ? 0 : PTWALK_H_KPTI_OFF);
	ctx->kern = k;
	ctx->walker = ctx->q.kaddr ? PTWALK_WALKER_BUILTIN : PTWALK_WALKER_PTDUMP;
	ctx->show_phys = true;
	ctx->start = 0;
	ctx->end = ULONG_MAX;
	return 0;
}

/**
 * ptwalk_kernel_init - find the kernel's ptdump walk (see the top of the file)
 *
 * kernel=1 is refused later when the walk was not found.
 *
 * Locking: module init only.
 */
void ptwalk_kernel_init(void)
{
#ifdef PTWALK_HAVE_PTDUMP
	ptwalk_ptdump = ptdump_walk_pgd_level_debugfs;
	ptwalk_ptdump_how = "exported";
#else
	struct kprobe kp = {
		.symbol_name = "ptdump_walk_pgd_level_debugfs",
		.flags = KPROBE_FLAG_DISABLED,
	};
	unsigned long entry;
	bool landing;

	if (IS_ENABLED(CONFIG_CFI_CLANG) || IS_ENABLED(CONFIG_CFI)) {
		ptwalk_ptdump_how = "not exported, and kCFI forbids calling it through a pointer";
		return;
	}
	if (register_kprobe(&kp)) {
		ptwalk_ptdump_how = "not exported and not found (kprobes unavailable)";
		return;
	}
	if (ptwalk_arch_call_entry((unsigned long)kp.addr, &entry, &landing)) {
		ptwalk_ptdump_how = "not exported, its text unreadable";
	} else if (ptwalk_arch_ibt_enforced() && !landing) {
		ptwalk_ptdump_how = "not exported, IBT enforced and it has no ENDBR (sealed)";
	} else {
		ptwalk_ptdump = (ptwalk_ptdump_fn)entry;
		ptwalk_ptdump_how = ptwalk_arch_ibt_enforced() ?
			"not exported: found by kprobe, IBT enforced, it has an ENDBR" :
			"not exported: found by kprobe, IBT not enforced on this CPU";
	}
	unregister_kprobe(&kp);
#endif
}

/**
 * ptwalk_kernel_status - the "kernel_tables:" line of the status file
 * @m: the status file
 *
 * Locking: none.
 */
void ptwalk_kernel_status(struct seq_file *m)
{
	seq_printf(m, "kernel_tables: %s (ptdump_walk_pgd_level_debugfs %s)\n",
		   ptwalk_ptdump ? "ptdump" : "unavailable", ptwalk_ptdump_how);
	seq_printf(m, "kernel_walks: %ld\n", atomic_long_read(&ptwalk_kwalks));
	seq_printf(m, "kernel_walk_ns: %lld\n", (long long)atomic64_read(&ptwalk_kwalk_ns));
	seq_printf(m, "kernel_bytes: %ld\n", atomic_long_read(&ptwalk_kbytes));
}

/* The header of the answer, with its KINFO record. */
void ptwalk_kernel_header(struct ptwalk_ctx *ctx)
{
	ptwalk_emit_kheader(ctx, &ctx->kern->info);
}

void ptwalk_kernel_free(struct ptwalk_ctx *ctx)
{
	if (!ctx->kern)
		return;
	ptwalk_kfree(ctx->kern->recs, ctx->kern->cap * sizeof(*ctx->kern->recs));
	kfree(ctx->kern);
	ctx->kern = NULL;
}

/* Run the kernel's dump into a buffer of @size bytes: its text, or NULL. */
static char *ptwalk_kdump(struct ptwalk_ctx *ctx, size_t size, size_t *len,
			  bool *overflow)
{
	struct seq_file m;
	u64 t0;

	memset(&m, 0, sizeof(m));
	m.buf = ptwalk_kalloc(size, 1);
	if (!m.buf)
		return NULL;
	m.size = size;
	t0 = ktime_get_ns();
	ptwalk_ptdump(&m, ctx->mm, ctx->q.kpti);
	ctx->kern->walk_ns = ktime_get_ns() - t0;
	ctx->kern->tries++;
	atomic64_set(&ptwalk_kwalk_ns, ctx->kern->walk_ns);
	atomic_long_inc(&ptwalk_kwalks);
	*overflow = seq_has_overflowed(&m);
	*len = m.count;
	return m.buf;
}

/* kernel=1: run the dump (bigger buffers while it overflows), parse it. */
static int ptwalk_kernel_make(struct ptwalk_ctx *ctx)
{
	struct ptwalk_kern *k = ctx->kern;
	size_t size = PTWALK_KDUMP_FIRST, len;
	bool overflow;
	char *text;
	int ret;

	if (ctx->q.kpti && !ptwalk_kpti_on())
		return 0;	/* nothing to walk: the header says why */
	if (!mmget_not_zero(ctx->mm))
		return -ESRCH;
	for (;;) {
		text = ptwalk_kdump(ctx, size, &len, &overflow);
		if (!text) {
			ret = -ENOMEM;
			goto out_mmput;
		}
		if (!overflow)
			break;
		ptwalk_kfree(text, size);
		if (size >= PTWALK_KDUMP_MAX) {
			ret = -EFBIG;
			goto out_mmput;
		}
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_mmput;
		}
		size *= 2;
	}
	k->cap = ptwalk_kparse_lines(text, len);
	k->recs = ptwalk_kalloc(k->cap, sizeof(*k->recs));
	if (!k->recs) {
		k->cap = 0;
		ret = -ENOMEM;
	} else {
		static const u8 shifts[] = {
			[PTWALK_LVL_PTE] = PAGE_SHIFT, [PTWALK_LVL_PMD] = PMD_SHIFT,
			[PTWALK_LVL_PUD] = PUD_SHIFT, [PTWALK_LVL_P4D] = P4D_SHIFT,
			[PTWALK_LVL_PGD] = 0,
		};
		u8 sh[ARRAY_SIZE(shifts)];

		memcpy(sh, shifts, sizeof(sh));
		sh[PTWALK_LVL_PGD] = PGDIR_SHIFT;	/* 39 or 48: la57 */
		ret = ptwalk_kparse(text, len, k->recs, k->cap, &k->nrecs, sh);
	}
	ptwalk_kfree(text, size);
out_mmput:
	mmput(ctx->mm);
	return ret;
}

/* The PTWALK_B_* bits of a kernel leaf @raw at @level (KRANGE's rule). */
static u32 ptwalk_kleaf_bits(unsigned long raw, int level)
{
	u32 b = PTWALK_B_PRESENT;

	b |= raw & _PAGE_RW ? PTWALK_B_RW : 0;
	b |= raw & _PAGE_USER ? PTWALK_B_USER : 0;
	b |= raw & _PAGE_PWT ? PTWALK_B_PWT : 0;
	b |= raw & _PAGE_PCD ? PTWALK_B_PCD : 0;
	b |= raw & _PAGE_GLOBAL ? PTWALK_B_GLOBAL : 0;
	b |= raw & _PAGE_NX ? PTWALK_B_NX : 0;
	if (level == PTWALK_LVL_PTE)
		b |= raw & _PAGE_PAT ? PTWALK_B_PAT : 0;
	else
		b |= PTWALK_B_PSE | (raw & _PAGE_PAT_LARGE ? PTWALK_B_PAT : 0);
	return b;
}

static void ptwalk_klevel(struct ptwalk_kern *k, int level, unsigned long addr,
			  unsigned long raw, void *entryp, unsigned int index)
{
	struct ptwalk_lvl *l = &k->recs[k->nrecs++].level;

	l->vaddr = addr;
	l->raw = raw;
	l->table_pfn = PHYS_PFN(__pa(entryp));
	l->index = index;
	l->type = PTWALK_REC_LEVEL;
	l->level = level;
	l->kind = ptwalk_arch_level_kind(level, raw);
	if (l->kind == PTWALK_K_PRESENT || l->kind == PTWALK_K_TABLE)
		l->bits = ptwalk_arch_entry_bits(raw, l->kind == PTWALK_K_PRESENT);
}

static void ptwalk_kleaf(struct ptwalk_kaddr *ka, int level, unsigned long raw,
			 unsigned long pfn, unsigned int shift)
{
	ka->kind = PTWALK_K_PRESENT;
	ka->level = level;
	ka->shift = shift;
	ka->raw = raw;
	ka->pfn = pfn;
	ka->phys = PFN_PHYS(pfn) + (ka->vaddr & ((1UL << shift) - 1));
	ka->bits = ptwalk_kleaf_bits(raw, level);
}

/*
 * kaddr=: the levels of one kernel address, read as lookup_address() reads
 * them (see the top of the file: without the dump's locks).
 */
static int ptwalk_kaddr_make(struct ptwalk_ctx *ctx)
{
	struct ptwalk_kern *k = ctx->kern;
	unsigned long addr = ctx->q.start;
	struct ptwalk_kaddr kal = {
		.type = PTWALK_REC_KADDR,
		.vaddr = addr,
		.kind = PTWALK_K_NONE,
		.lk_level = 0xff,
	}, *ka = &kal;
	unsigned int lk_level;
	pgd_t *pgd, pgdv;
	p4d_t *p4d, p4dv;
	pud_t *pud, pudv;
	pmd_t *pmd, pmdv;
	pte_t *pte, ptev;

	k->recs = ptwalk_kalloc(6, sizeof(*k->recs));
	if (!k->recs)
		return -ENOMEM;
	k->cap = 6;
	if (!mmget_not_zero(ctx->mm))
		return -ESRCH;
	pgd = pgd_offset_pgd(ptwalk_kernel_pgd(ctx), addr);
	pgdv = READ_ONCE(*pgd);
	ptwalk_klevel(k, PTWALK_LVL_PGD, addr, pgd_val(pgdv), pgd, pgd_index(addr));
	if (!pgd_present(pgdv))
		goto out;
	p4d = p4d_offset(pgd, addr);
	p4dv = READ_ONCE(*p4d);
	if (ptwalk_arch_paging_levels() == 5)
		ptwalk_klevel(k, PTWALK_LVL_P4D, addr, p4d_val(p4dv), p4d,
			      p4d_index(addr));
	if (!p4d_present(p4dv) || p4d_bad(p4dv))
		goto out;
	pud = pud_offset(p4d, addr);
	pudv = READ_ONCE(*pud);
	ptwalk_klevel(k, PTWALK_LVL_PUD, addr, pud_val(pudv), pud, pud_index(addr));
	if (!pud_present(pudv))
		goto out;
	if (pud_leaf(pudv)) {
		ptwalk_kleaf(ka, PTWALK_LVL_PUD, pud_val(pudv), pud_pfn(pudv), PUD_SHIFT);
		goto out;
	}
	if (pud_bad(pudv))
		goto out;
	pmd = pmd_offset(pud, addr);
	pmdv = READ_ONCE(*pmd);
	ptwalk_klevel(k, PTWALK_LVL_PMD, addr, pmd_val(pmdv), pmd, pmd_index(addr));
	if (!pmd_present(pmdv))
		goto out;
	if (pmd_leaf(pmdv)) {
		ptwalk_kleaf(ka, PTWALK_LVL_PMD, pmd_val(pmdv), pmd_pfn(pmdv), PMD_SHIFT);
		goto out;
	}
	if (pmd_bad(pmdv))
		goto out;
	pte = pte_offset_kernel(pmd, addr);
	ptev = READ_ONCE(*pte);
	ptwalk_klevel(k, PTWALK_LVL_PTE, addr, pte_val(ptev), pte, pte_index(addr));
	if (pte_present(ptev))
		ptwalk_kleaf(ka, PTWALK_LVL_PTE, pte_val(ptev), pte_pfn(ptev), PAGE_SHIFT);
out:
	mmput(ctx->mm);
	/* The kernel's own answer, from init_mm's PGD, for comparison. */
	pte = lookup_address(addr, &lk_level);
	if (pte) {
		kal.lk_raw = pte_val(READ_ONCE(*pte));
		kal.lk_level = lk_level == PG_LEVEL_1G ? PTWALK_LVL_PUD :
			       lk_level == PG_LEVEL_2M ? PTWALK_LVL_PMD :
			       lk_level == PG_LEVEL_4K ? PTWALK_LVL_PTE : 0xff;
	}
	/* The KADDR record follows the levels read (at most five). */
	k->recs[k->nrecs++].kaddr = kal;
	return 0;
}

/*
 * format=merged: the run of ranges starting at record @i (a KRANGE): the
 * ones after it of its region, contiguous, with equal bits but PS.
 * Return: 0 (k->next past the run), or PTWALK_STOP_FULL.
 */
static int ptwalk_kernel_run(struct ptwalk_ctx *ctx, size_t i)
{
	struct ptwalk_kern *k = ctx->kern;
	const struct ptwalk_krange *first = &k->recs[i].krange, *r = first;
	u64 pages[PTWALK_LVL_PGD + 1] = { 0 };
	u8 shifts[PTWALK_LVL_PGD + 1] = { 0 };
	size_t j = i;
	int ret;

	for (; j < k->nrecs; j++) {
		const struct ptwalk_krange *c = &k->recs[j].krange;

		if (c->type != PTWALK_REC_KRANGE || c->region != first->region ||
		    (j > i && (c->start != r->end ||
			       (c->bits & ~PTWALK_B_PSE) != (first->bits & ~PTWALK_B_PSE))))
			break;
		pages[c->level] += (c->end - c->start) >> c->shift;
		shifts[c->level] = c->shift;
		r = c;
	}
	ret = ptwalk_emit_krun(ctx, first, r->end, pages, shifts);
	if (ret)
		return ret;
	ctx->emitted += j - i;
	k->next = j;
	return 0;
}

/**
 * ptwalk_kernel_chunk - make the answer's records (first call), then hand
 *	out as many as fit
 * @ctx: the reader's context
 *
 * The dump runs with the kernel's locks inside
 * ptdump_walk_pgd_level_debugfs(); none is held here or across the copy.
 * An error other than being killed ends the answer in its END record.
 *
 * Locking: under the file's mutex.
 * Return: 0 (ctx->phase moved to PTWALK_PH_TAIL once all is out) or -EINTR.
 */
int ptwalk_kernel_chunk(struct ptwalk_ctx *ctx)
{
	struct ptwalk_kern *k = ctx->kern;
	int ret;

	if (!k->made) {
		ret = ctx->q.kaddr ? ptwalk_kaddr_make(ctx) : ptwalk_kernel_make(ctx);
		k->made = true;
		if (ret == -EINTR)
			return ret;
		if (ret) {
			ctx->end_status = ret == -ESRCH ? PTWALK_END_EXITED :
							  PTWALK_END_STOPPED;
			ctx->error = ret == -ESRCH ? 0 : ret;
			k->nrecs = 0;
			ctx->phase = PTWALK_PH_TAIL;
			return 0;
		}
	}
	while (k->next < k->nrecs) {
		const union ptwalk_record *r = &k->recs[k->next];

		if (r->type.type == PTWALK_REC_KRANGE &&
		    ctx->q.format == PTWALK_FMT_MERGED) {
			ret = ptwalk_kernel_run(ctx, k->next);
		} else if (r->type.type == PTWALK_REC_LEVEL) {
			struct ptwalk_lvl l = r->level;

			ret = ptwalk_unit_ok(ctx) ? ptwalk_emit_level(ctx, &l) :
						    PTWALK_STOP_FULL;
			ctx->full = false;
			if (!ret)
				k->next++;
		} else {
			ret = ptwalk_emit_krec(ctx, r);
			if (!ret) {
				ctx->emitted += r->type.type == PTWALK_REC_KRANGE ||
						(r->type.type == PTWALK_REC_KADDR &&
						 r->kaddr.kind == PTWALK_K_PRESENT);
				ctx->vmas += r->type.type == PTWALK_REC_REGION;
				k->next++;
			}
		}
		if (ret) {
			ctx->full = true;
			return 0;
		}
	}
	ctx->phase = PTWALK_PH_TAIL;
	return 0;
}
