// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_fmt.c - every byte of an answer, into the reader's buffer: text,
 * merged or binary.
 *
 * Called from walk callbacks under page-table locks: no sleeping, no
 * allocation, only formatting into the buffer allocated before the walk.
 * Every function returns 0, or PTWALK_STOP_FULL when the record does not
 * fit or the reader's request is already met (ptwalk_unit_ok()); nothing
 * partial is ever left in the buffer.
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/string.h>
#include "../include/ptwalk_names.h"
#include "ptwalk_arch.h"
#include "ptwalk_compat.h"
#include "ptwalk_fmt.h"
#include "ptwalk_internal.h"
#include "ptwalk_walker.h"

/* Every record kind is PTWALK_REC_SIZE bytes with its type at one offset. */
#define PTWALK_CHECK_REC(type_)						\
	do {								\
		BUILD_BUG_ON(sizeof(type_) != PTWALK_REC_SIZE);		\
		BUILD_BUG_ON(offsetof(type_, type) !=			\
			     PTWALK_REC_TYPE_OFFSET);			\
	} while (0)

static void ptwalk_check_layout(void)
{
	PTWALK_CHECK_REC(struct ptwalk_rec);
	PTWALK_CHECK_REC(struct ptwalk_vma);
	PTWALK_CHECK_REC(struct ptwalk_name);
	PTWALK_CHECK_REC(struct ptwalk_lvl);
	PTWALK_CHECK_REC(struct ptwalk_more);
	PTWALK_CHECK_REC(struct ptwalk_end);
	PTWALK_CHECK_REC(struct ptwalk_task);
	PTWALK_CHECK_REC(struct ptwalk_frame);
	PTWALK_CHECK_REC(struct ptwalk_tally);
	BUILD_BUG_ON(sizeof(union ptwalk_record) != PTWALK_REC_SIZE);
	BUILD_BUG_ON(offsetof(union ptwalk_record, type.type) !=
		     PTWALK_REC_TYPE_OFFSET);
	BUILD_BUG_ON(PTWALK_NAME_BYTES != PTWALK_REC_TYPE_OFFSET);
}

/**
 * ptwalk_unit_ok - may a new unit of output start in the buffer?
 * @ctx: the reader's context
 *
 * Only while the buffer holds less than the reader asked for; the first
 * unit of a buffer always may, so every read makes progress.  Who maps:
 * the records that announce a match are part of its unit (@who->group).
 * Return: whether it may.
 */
bool ptwalk_unit_ok(const struct ptwalk_ctx *ctx)
{
	return ctx->len < ctx->soft || (ctx->who && ctx->who->group);
}

/**
 * ptwalk_printf - append formatted text to the reader's buffer, all or nothing
 * @ctx: the reader's context
 * @fmt: printf format
 *
 * Return: 0, or PTWALK_STOP_FULL when the text does not fit; the caller
 * decides where to resume.
 */
static __printf(2, 3) int ptwalk_printf(struct ptwalk_ctx *ctx, const char *fmt, ...)
{
	size_t room = ctx->cap - ctx->len;
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(ctx->buf + ctx->len, room, fmt, args);
	va_end(args);
	if (n < 0 || (size_t)n >= room) {
		ctx->buf[ctx->len] = '\0';
		return PTWALK_STOP_FULL;
	}
	ctx->len += n;
	return 0;
}

/**
 * ptwalk_buf_reset - empty the reader's buffer once it has been read
 * @ctx: the reader's context
 *
 * A MORE record being filled lives in the buffer and goes with it; the
 * entry it continues stays in @ctx->last, since a MORE refers to the
 * stream, not to a buffer.
 *
 * Locking: under the file's mutex, like every use of @ctx.
 */
void ptwalk_buf_reset(struct ptwalk_ctx *ctx)
{
	ctx->len = 0;
	ctx->more_off = PTWALK_NO_MORE;
	ctx->full = false;
}

/* Any record but a folded entry: it ends the run a MORE could extend. */
static int ptwalk_put(struct ptwalk_ctx *ctx, const union ptwalk_record *r)
{
	if (ctx->cap - ctx->len < sizeof(*r))
		return PTWALK_STOP_FULL;
	memcpy(ctx->buf + ctx->len, r, sizeof(*r));
	ctx->len += sizeof(*r);
	ctx->more_off = PTWALK_NO_MORE;
	ctx->last_gen = 0;
	/* Who maps never folds: each match is a record of its own. */
	ctx->have_last = r->type.type == PTWALK_REC_ENTRY && !ctx->who;
	if (ctx->have_last)
		ctx->last = r->entry;
	return 0;
}

/*
 * Can @r be told as a PFN in a MORE record after ctx->last?  See the format
 * notes in ptwalk.h: a present entry whose raw PFN field holds its PFN in
 * the form the last entry's did (so raw can be rebuilt; a 2M entry's PAT
 * bit sits in that field), right after the last entry and equal to it in
 * everything from swap_offset on (level, size, bits, page facts, counts,
 * cow, node, order, sub-page, pkey) and in raw's other bits.
 */
static bool ptwalk_foldable(const struct ptwalk_ctx *ctx,
			    const struct ptwalk_rec *r)
{
	const struct ptwalk_rec *l = &ctx->last;
	size_t off = offsetof(struct ptwalk_rec, swap_offset);
	const u64 *a = (const u64 *)((const char *)r + off);
	const u64 *b = (const u64 *)((const char *)l + off);
	int form;

	BUILD_BUG_ON(sizeof(*r) - offsetof(struct ptwalk_rec, swap_offset) != 5 * 8);
	if (!ctx->have_last || r->type != PTWALK_REC_ENTRY ||
	    r->kind != PTWALK_K_PRESENT)
		return false;
	form = ptwalk_raw_pfn_form(r->raw, r->pfn, r->shift);
	if (form == PTWALK_PFN_OTHER ||
	    form != ptwalk_raw_pfn_form(l->raw, l->pfn, l->shift))
		return false;
	if (r->vaddr != l->vaddr + (1ULL << l->shift) ||
	    ((r->raw ^ l->raw) & ~PTWALK_RAW_PFN_MASK))
		return false;
	return !((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) |
		 (a[3] ^ b[3]) | (a[4] ^ b[4]));
}

/**
 * ptwalk_more_start - start a new MORE record in the reader's buffer
 * @ctx: the reader's context, binary format
 *
 * The one being filled, if any, is full.
 *
 * Locking: under the file's mutex; may run under page-table locks.
 * Return: 0, or PTWALK_STOP_FULL when the buffer has no room for it.
 */
int ptwalk_more_start(struct ptwalk_ctx *ctx)
{
	struct ptwalk_more *m = (struct ptwalk_more *)(ctx->buf + ctx->len);

	if (!ptwalk_unit_ok(ctx) || ctx->cap - ctx->len < sizeof(*m))
		return PTWALK_STOP_FULL;
	memset(m, 0, sizeof(*m));
	m->type = PTWALK_REC_MORE;
	ctx->more_off = ctx->len;
	ctx->len += sizeof(*m);
	return 0;
}

/**
 * ptwalk_stop_at - the buffer is full: the next chunk resumes at @next
 * @ctx: the reader's context
 * @next: the first address not reported
 *
 * The first unit that does not fit decides where the next chunk resumes:
 * whatever a walk tries after that (another VMA, a later entry) must not
 * move the resume point past what was never reported.
 *
 * Locking: under the file's mutex, like every use of @ctx.
 * Return: PTWALK_STOP_FULL, for the walk callbacks to pass on.
 */
int ptwalk_stop_at(struct ptwalk_ctx *ctx, unsigned long next)
{
	if (!ctx->full) {
		ctx->full = true;
		ctx->next = next;
	}
	return PTWALK_STOP_FULL;
}

/* "name,name" for the set bits of @v in @mask, or "-". */
static char *ptwalk_names(char *s, char *e, u32 v, u32 mask,
			  const char *const *tab)
{
	bool any = false;
	int i;

	for (i = 0; i < 32; i++) {
		if (!(v & mask & (1U << i)) || !tab[i])
			continue;
		s += scnprintf(s, e - s, "%s%s", any ? "," : "", tab[i]);
		any = true;
	}
	if (!any)
		s += scnprintf(s, e - s, "-");
	return s;
}

static const char *ptwalk_size_name(unsigned int shift)
{
	return shift == 30 ? "1G" : shift == 21 ? "2M" : "4K";
}

/*
 * The unprivileged view (see "Unprivileged view" in ptwalk.h and the
 * README's access model): nothing /proc/self/pagemap would not tell.
 * Physical memory (PFNs, table addresses, the PFN or swap-offset bits of
 * raw, swap type and offset) never shows; neither does page-cache and LRU
 * state, which the kernel keeps in 0400 files (kpageflags, kpagecount)
 * because it reveals other users' access to shared files; nor KSM, which
 * says another process holds the same bytes.  Counts and folio geometry
 * are the caller's own only for an anonymous page mapped exactly once:
 * pagemap's bit 56 tells that much.  The entry bits, size, kind, node
 * (move_pages(2) tells it) and the copy-on-write verdict describe the
 * caller's own mapping and stay.
 */
static void ptwalk_hide(struct ptwalk_rec *r)
{
	bool present = r->kind == PTWALK_K_PRESENT;

	r->raw = ptwalk_hide_raw_arch(r->raw, present, PTWALK_ARCH);
	r->pfn = 0;
	r->swap_offset = 0;
	r->swap_type = 0;
	if (r->kind != PTWALK_K_PRESENT)
		return;
	r->page &= ~(PTWALK_P_PGFLAGS_MASK | PTWALK_P_KSM);
	if (r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO))
		return;
	if ((r->page & PTWALK_P_ANON) && !(r->page & PTWALK_P_SHMEM) &&
	    r->mapcount == 1)
		return;
	r->page |= PTWALK_P_HIDDEN;
	r->mapcount = 0;
	r->refcount = 0;
	r->subpage = 0;
	/* A huge entry's size tells its order; a PTE's folio is not told. */
	if (r->level == PTWALK_LVL_PTE) {
		r->order = 0;
		r->page &= ~PTWALK_P_THP;
	}
}

/* " hw=..." of bits @hw at @level: the arch's PAT bit by its name there. */
static char *ptwalk_fmt_hw(char *s, char *e, u32 hw, int level)
{
	u32 pat = ptwalk_arch_pat_bit(level);

	s += scnprintf(s, e - s, " hw=");
	s = ptwalk_names(s, e, hw & ~pat, PTWALK_B_HW_MASK, PTWALK_ARCH_BIT_NAMES);
	if (hw & pat)
		s += scnprintf(s, e - s, ",PAT");
	return s;
}

/* A present entry's attributes after " kind=present". */
static char *ptwalk_fmt_present(char *s, char *e, const struct ptwalk_rec *r,
				bool merged, unsigned long pages, bool hidden)
{
	bool page = !(r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO));

	if (merged && pages > 1)
		s += scnprintf(s, e - s, " pfn=0x%llx-0x%llx", r->pfn,
			       r->pfn + ((pages << (r->shift - PAGE_SHIFT)) - 1));
	else
		s += scnprintf(s, e - s, " pfn=0x%llx", r->pfn);
	s = ptwalk_fmt_hw(s, e, r->bits & PTWALK_B_HW_MASK, r->level);
	s += scnprintf(s, e - s, " sw=");
	s = ptwalk_names(s, e, r->bits, PTWALK_B_SW_MASK, PTWALK_ARCH_BIT_NAMES);
	s += scnprintf(s, e - s, " pkey=%u page=", r->pkey);
	s = ptwalk_names(s, e, r->page, ~PTWALK_P_PGFLAGS_MASK,
			 ptwalk_page_names);
	if (r->page & PTWALK_P_HIDDEN)
		s += scnprintf(s, e - s, " node=%d", r->node);
	else if (page && merged)
		s += scnprintf(s, e - s, " order=%u node=%d", r->order, r->node);
	else if (page)
		s += scnprintf(s, e - s, " order=%u sub=%u map=%d ref=%d node=%d",
			       r->order, r->subpage, r->mapcount, r->refcount,
			       r->node);
	if (!hidden && page) {
		s += scnprintf(s, e - s, " pg=");
		s = ptwalk_names(s, e, r->page, PTWALK_P_PGFLAGS_MASK,
				 ptwalk_page_names);
	}
	return s + scnprintf(s, e - s, " cow=%s", ptwalk_cow_name(r->cow));
}

/* The attributes of a record after its address: " kind=... cow=...". */
static char *ptwalk_fmt_attrs(char *s, char *e, const struct ptwalk_rec *r,
			      bool merged, unsigned long pages, bool hidden)
{
	const char *const *bits = PTWALK_ARCH_BIT_NAMES;
	u32 sw = r->bits & PTWALK_B_SW_MASK;

	s += scnprintf(s, e - s, " kind=%s", ptwalk_kind_name(r->kind));
	switch (r->kind) {
	case PTWALK_K_PRESENT:
		return ptwalk_fmt_present(s, e, r, merged, pages, hidden);
	case PTWALK_K_SWAP:
		s += scnprintf(s, e - s, " type=%u offset=0x%llx sw=",
			       r->swap_type, r->swap_offset);
		return ptwalk_names(s, e, sw, ~0U, bits);
	case PTWALK_K_MIGRATION:
		s += scnprintf(s, e - s, " mig=%s pfn=0x%llx sw=",
			       ptwalk_name(ptwalk_mig_names,
					   PTWALK_ARRAY_LEN(ptwalk_mig_names), r->sub),
			       r->pfn);
		return ptwalk_names(s, e, sw, ~0U, bits);
	case PTWALK_K_MARKER:
		s += scnprintf(s, e - s, " marker=");
		return ptwalk_names(s, e, r->sub, 0x7, ptwalk_marker_names);
	case PTWALK_K_DEVICE_PRIVATE:
	case PTWALK_K_DEVICE_EXCL:
	case PTWALK_K_HWPOISON:
		return s + scnprintf(s, e - s, " pfn=0x%llx", r->pfn);
	default:
		return s;
	}
}

static int ptwalk_text_entry(struct ptwalk_ctx *ctx, const struct ptwalk_rec *r)
{
	char line[512], *s = line, *e = line + sizeof(line);

	s += scnprintf(s, e - s, "0x%012llx %s %s raw=0x%016llx", r->vaddr,
		       ptwalk_size_name(r->shift),
		       ptwalk_level_name(r->level),
		       r->raw);
	s = ptwalk_fmt_attrs(s, e, r, false, 1, !ctx->show_phys);
	return ptwalk_printf(ctx, "%s\n", line);
}

static int ptwalk_text_level(struct ptwalk_ctx *ctx, const struct ptwalk_lvl *l)
{
	char line[256], *s = line, *e = line + sizeof(line);

	s += scnprintf(s, e - s, "level %s index=%u raw=0x%016llx table=0x%llx",
		       ptwalk_level_name(l->level),
		       l->index, l->raw, (u64)l->table_pfn << PAGE_SHIFT);
	s += scnprintf(s, e - s, " kind=%s", ptwalk_kind_name(l->kind));
	if (l->kind == PTWALK_K_PRESENT || l->kind == PTWALK_K_TABLE) {
		s += scnprintf(s, e - s, " hw=");
		s = ptwalk_names(s, e, l->bits, PTWALK_B_HW_MASK, PTWALK_ARCH_BIT_NAMES);
		if (l->bits & PTWALK_B_PROTNONE)
			s += scnprintf(s, e - s, " sw=protnone");
	}
	return ptwalk_printf(ctx, "%s\n", line);
}

/* Can @r extend the current run?  ptwalk_run_continues(), ptwalk.h. */
static bool ptwalk_mergeable(const struct ptwalk_ctx *ctx,
			     const struct ptwalk_rec *r)
{
	return ctx->run_pages &&
	       ptwalk_run_continues(&ctx->run, ctx->run_pages, r, !ctx->show_phys);
}

/**
 * ptwalk_flush_run - print the merged run accumulated so far, if any
 * @ctx: the reader's context
 *
 * Return: 0, or PTWALK_STOP_FULL with the run kept for the next buffer.
 */
static int ptwalk_flush_run(struct ptwalk_ctx *ctx)
{
	const struct ptwalk_rec *r = &ctx->run;
	char line[512], *s = line, *e = line + sizeof(line);
	int ret;

	if (!ctx->run_pages)
		return 0;
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	s += scnprintf(s, e - s, "0x%012llx-0x%012llx %lux%s %s", r->vaddr,
		       r->vaddr + (ctx->run_pages << r->shift), ctx->run_pages,
		       ptwalk_size_name(r->shift),
		       ptwalk_level_name(r->level));
	s = ptwalk_fmt_attrs(s, e, r, true, ctx->run_pages, !ctx->show_phys);
	ret = ptwalk_printf(ctx, "%s\n", line);
	if (!ret)
		ctx->run_pages = 0;
	return ret;
}

/* One record of any kind, binary: a new unit unless the request is met. */
static int ptwalk_put_unit(struct ptwalk_ctx *ctx, const void *rec)
{
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	return ptwalk_put(ctx, rec);
}

/* Merged format: add @r to the run, or print the run and start one. */
static int ptwalk_merge(struct ptwalk_ctx *ctx, const struct ptwalk_rec *r)
{
	int ret;

	if (ptwalk_mergeable(ctx, r)) {
		ctx->run_pages++;
		return 0;
	}
	ret = ptwalk_flush_run(ctx);
	if (!ret) {
		ctx->run = *r;
		ctx->run_pages = 1;
	}
	return ret;
}

/**
 * ptwalk_emit - report one entry in the query's format
 * @ctx: the reader's context
 * @r: an ENTRY record; its physical addresses are zeroed in place when the
 *	reader may not see them
 *
 * Locking: under the file's mutex; may run under page-table locks.
 * Return: 0, or PTWALK_STOP_FULL; then ctx->next is @r's address, from
 * which the next chunk resumes.
 */
int ptwalk_emit(struct ptwalk_ctx *ctx, struct ptwalk_rec *r)
{
	u64 frames = 0;
	int ret;

	/* Match-only mode: entries mapping no frame of the range are not told. */
	if (ctx->who) {
		frames = ptwalk_who_overlap(ctx, r);
		if (!frames)
			return 0;
	}
	if (!ctx->show_phys)
		ptwalk_hide(r);
	switch (ctx->q.format) {
	case PTWALK_FMT_BINARY:
		if (ptwalk_foldable(ctx, r))
			ret = ptwalk_more_add(ctx, r->vaddr, r->raw, r->pfn);
		else
			ret = ptwalk_put_unit(ctx, r);
		break;
	case PTWALK_FMT_MERGED:
		ret = ptwalk_merge(ctx, r);
		break;
	default:
		ret = ptwalk_unit_ok(ctx) ? ptwalk_text_entry(ctx, r) :
					    PTWALK_STOP_FULL;
		break;
	}
	if (ret)
		return ptwalk_stop_at(ctx, r->vaddr);
	ctx->emitted++;
	if (ctx->who) {
		ctx->who->mappings += frames;
		ctx->who->group = false;	/* the unit is complete */
	}
	return 0;
}

/**
 * ptwalk_emit_level - report one level of a single-address translation
 * @ctx: the reader's context
 * @l: a LEVEL record; its raw frame and table are zeroed in place when the
 *	reader may not see them
 *
 * Locking: under the file's mutex; may run under page-table locks.
 * Return: 0, or PTWALK_STOP_FULL (ctx->next is then @l's address).
 */
int ptwalk_emit_level(struct ptwalk_ctx *ctx, struct ptwalk_lvl *l)
{
	int ret;

	if (!ctx->show_phys) {
		l->raw = ptwalk_hide_raw_arch(l->raw, l->kind == PTWALK_K_PRESENT ||
					      l->kind == PTWALK_K_TABLE, PTWALK_ARCH);
		l->table_pfn = 0;
	}
	if (ctx->q.format == PTWALK_FMT_BINARY)
		ret = ptwalk_put_unit(ctx, l);
	else
		ret = ptwalk_unit_ok(ctx) ? ptwalk_text_level(ctx, l) :
					    PTWALK_STOP_FULL;
	return ret ? ptwalk_stop_at(ctx, l->vaddr) : 0;
}

/*
 * ptwalk's VMA flags (PTWALK_VMA_*, the format's own names) for @vma: the
 * kernel's vm_flags values are not an ABI.  Flags a kernel lacks read 0
 * (VM_SOFTDIRTY without CONFIG_MEM_SOFT_DIRTY, VM_SHADOW_STACK: compat).
 */
static u32 ptwalk_vma_flags(struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	u32 v = 0;

	v |= f & VM_READ ? PTWALK_VMA_READ : 0;
	v |= f & VM_WRITE ? PTWALK_VMA_WRITE : 0;
	v |= f & VM_EXEC ? PTWALK_VMA_EXEC : 0;
	v |= f & VM_MAYSHARE ? PTWALK_VMA_SHARED : 0;
	v |= ptwalk_vma_soft_dirty(vma) ? PTWALK_VMA_SOFTDIRTY : 0;
	v |= f & VM_PFNMAP ? PTWALK_VMA_PFNMAP : 0;
	v |= f & VM_MIXEDMAP ? PTWALK_VMA_MIXEDMAP : 0;
	v |= is_vm_hugetlb_page(vma) ? PTWALK_VMA_HUGETLB : 0;
	v |= f & VM_LOCKED ? PTWALK_VMA_LOCKED : 0;
	v |= f & VM_IO ? PTWALK_VMA_IO : 0;
	v |= f & VM_GROWSDOWN ? PTWALK_VMA_GROWSDOWN : 0;
	v |= f & VM_UFFD_WP ? PTWALK_VMA_UFFD_WP : 0;
	v |= f & VM_UFFD_MISSING ? PTWALK_VMA_UFFD_MISSING : 0;
	v |= f & VM_SHADOW_STACK ? PTWALK_VMA_SHADOW_STACK : 0;
	v |= f & VM_HUGEPAGE ? PTWALK_VMA_HUGEPAGE : 0;
	v |= f & VM_NOHUGEPAGE ? PTWALK_VMA_NOHUGEPAGE : 0;
	v |= f & VM_MERGEABLE ? PTWALK_VMA_MERGEABLE : 0;
	v |= vma_is_anonymous(vma) ? PTWALK_VMA_ANON : 0;
	v |= vma->vm_file ? PTWALK_VMA_FILE : 0;
	return v;
}

/* What /proc/PID/maps would call the VMA. */
static const char *ptwalk_vma_name(struct vm_area_struct *vma, char *buf,
				   size_t len)
{
	struct mm_struct *mm = vma->vm_mm;
	const char *name;

	if (vma->vm_file) {
		name = file_path(vma->vm_file, buf, len);
		return IS_ERR(name) ? "[file]" : name;
	}
	if (vma->vm_ops && vma->vm_ops->name) {
		name = vma->vm_ops->name(vma);
		if (name)
			return name;
	}
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return "[stack]";
	return "[anon]";
}

/**
 * ptwalk_emit_vma - announce the VMA the following entries belong to
 * @ctx: the reader's context
 * @vma: the VMA; its mm's mmap lock is held
 *
 * The run a merged answer was accumulating is flushed first, a unit of
 * its own: if the vma line then does not fit, the run is already out.
 *
 * Locking: under the file's mutex and the target's mmap lock; may sleep
 * (d_path), so never called under a page-table lock.
 * Return: 0, or PTWALK_STOP_FULL (ctx->next is then where to resume, the
 * VMA's announcement included, unless an earlier unit set it).
 */
int ptwalk_emit_vma(struct ptwalk_ctx *ctx, struct vm_area_struct *vma)
{
	u32 f = ptwalk_vma_flags(vma);
	char path[256];
	const char *name = ptwalk_vma_name(vma, path, sizeof(path));
	size_t mark;
	int ret;

	ret = ptwalk_flush_run(ctx);
	if (ret)
		return ret;
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	mark = ctx->len;
	if (ctx->q.format == PTWALK_FMT_BINARY) {
		struct ptwalk_vma v = {
			.start = vma->vm_start,
			.end = vma->vm_end,
			.pgoff = vma->vm_pgoff,
			.flags = f,
			.type = PTWALK_REC_VMA,
		};
		size_t n = strlen(name), off;

		ret = ptwalk_put(ctx, (const union ptwalk_record *)&v);
		for (off = 0; !ret && off < n; off += PTWALK_NAME_BYTES) {
			struct ptwalk_name nm = { .type = PTWALK_REC_NAME };

			memcpy(nm.name, name + off,
			       min_t(size_t, n - off, PTWALK_NAME_BYTES));
			ret = ptwalk_put(ctx, (const union ptwalk_record *)&nm);
		}
	} else {
		ret = ptwalk_printf(ctx, "vma 0x%012lx-0x%012lx %c%c%c%c pgoff=0x%lx %s %s\n",
				    vma->vm_start, vma->vm_end,
				    f & PTWALK_VMA_READ ? 'r' : '-',
				    f & PTWALK_VMA_WRITE ? 'w' : '-',
				    f & PTWALK_VMA_EXEC ? 'x' : '-',
				    f & PTWALK_VMA_SHARED ? 's' : 'p',
				    vma->vm_pgoff,
				    f & PTWALK_VMA_SOFTDIRTY ? "sd" : "-", name);
	}
	if (ret) {
		ctx->len = mark;	/* all or nothing */
		return ret;
	}
	ctx->vma_start = vma->vm_start;
	ctx->vmas++;
	return 0;
}

/**
 * ptwalk_emit_header - the answer's header (binary) or comment lines
 * @ctx: the reader's context, its buffer empty
 *
 * Always fits: the buffer holds at least PTWALK_UNIT_MAX bytes.
 *
 * Locking: under the file's mutex.
 */
void ptwalk_emit_header(struct ptwalk_ctx *ctx)
{
	int levels = ptwalk_arch_paging_levels();
	u32 flags = (ctx->show_phys ? 0 : PTWALK_H_PHYS_HIDDEN) |
		    (levels == 5 ? PTWALK_H_LA57 : 0) |
		    (ctx->q.single ? PTWALK_H_SINGLE : 0);

	ptwalk_check_layout();
	if (ctx->who)
		flags |= PTWALK_H_WHO;
	if (ctx->q.format == PTWALK_FMT_BINARY) {
		struct ptwalk_hdr *h = (struct ptwalk_hdr *)ctx->buf;

		memset(h, 0, sizeof(*h));
		h->magic = PTWALK_MAGIC;
		h->version = PTWALK_VERSION;
		h->hdr_size = sizeof(*h);
		h->rec_size = PTWALK_REC_SIZE;
		h->walker = ctx->walker;
		h->arch = PTWALK_ARCH;
		h->pid = ctx->pid;
		h->flags = flags;
		h->start = ctx->q.single ? ctx->q.start : ctx->start;
		h->end = ctx->end;
		memcpy(h->comm, ctx->comm, sizeof(h->comm));
		ctx->len = sizeof(*h);
		return;
	}
	if (ctx->who) {
		ptwalk_printf(ctx, "# ptwalk %d who pfn=0x%lx-0x%lx walker=%s paging=%d phys=shown arch=%s\n",
			      PTWALK_VERSION, ctx->start, ctx->end,
			      ptwalk_walker_name(ctx->walker), levels,
			      PTWALK_ARCH_NAME);
		ptwalk_printf(ctx, "# not an atomic snapshot: processes run on, mappings may change while they are visited\n");
		return;
	}
	ptwalk_printf(ctx, "# ptwalk %d pid=%d comm=%s walker=%s range=0x%lx-0x%lx paging=%d phys=%s%s arch=%s\n",
		      PTWALK_VERSION, ctx->pid, ctx->comm,
		      ptwalk_walker_name(ctx->walker), ctx->start, ctx->end,
		      levels, ctx->show_phys ? "shown" : "hidden",
		      ctx->q.single ? " single" : "", PTWALK_ARCH_NAME);
	ptwalk_printf(ctx, "# not an atomic snapshot: the process runs on, entries may change while read\n");
	if (ctx->q.single)
		ptwalk_printf(ctx, "# translate 0x%llx\n", ctx->q.start);
}

/**
 * ptwalk_emit_tail - what follows the last entry: the merged run still
 *	accumulated, and for a single address without an entry, its "none"
 *	line (text formats)
 * @ctx: the reader's context
 *
 * Locking: under the file's mutex.
 * Return: 0, or PTWALK_STOP_FULL (the rest is written by the next read).
 */
int ptwalk_emit_tail(struct ptwalk_ctx *ctx)
{
	int ret = ptwalk_flush_run(ctx);

	if (ret)
		return ret;
	if (!ctx->q.single || ctx->emitted ||
	    ctx->end_status != PTWALK_END_COMPLETE ||
	    ctx->q.format == PTWALK_FMT_BINARY)
		return 0;
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	ret = ptwalk_printf(ctx, "0x%012llx 4K pte raw=0x0000000000000000 kind=none\n",
			    ctx->q.start & PAGE_MASK);
	if (!ret)
		ctx->emitted = 1;
	return ret;
}

/**
 * ptwalk_emit_end - the end record: complete, exited or stopped, and where
 * @ctx: the reader's context; ctx->end_status, ctx->next and ctx->error
 *	say how the answer ends
 *
 * Locking: under the file's mutex.
 * Return: 0, or PTWALK_STOP_FULL (written by the next read).
 */
int ptwalk_emit_end(struct ptwalk_ctx *ctx)
{
	unsigned long next = ctx->end_status == PTWALK_END_COMPLETE ?
			     ctx->end : ctx->who ? ctx->start : ctx->next;

	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	if (ctx->q.format == PTWALK_FMT_BINARY) {
		struct ptwalk_end *e;

		if (ctx->cap - ctx->len < sizeof(*e))
			return PTWALK_STOP_FULL;
		e = (struct ptwalk_end *)(ctx->buf + ctx->len);
		memset(e, 0, sizeof(*e));
		e->next = next;
		e->entries = ctx->emitted;
		e->vmas = ctx->vmas;
		e->error = ctx->error;
		e->status = ctx->end_status;
		e->type = PTWALK_REC_END;
		ctx->len += sizeof(*e);
		ctx->more_off = PTWALK_NO_MORE;
		ctx->have_last = false;
		return 0;
	}
	if (ctx->end_status == PTWALK_END_STOPPED)
		return ptwalk_printf(ctx, "# end status=%s next=0x%lx entries=%lu vmas=%lu error=%d\n",
				     ptwalk_end_name(ctx->end_status), next,
				     ctx->emitted, ctx->vmas, ctx->error);
	return ptwalk_printf(ctx, "# end status=%s next=0x%lx entries=%lu vmas=%lu\n",
			     ptwalk_end_name(ctx->end_status), next,
			     ctx->emitted, ctx->vmas);
}

/**
 * ptwalk_emit_task - who maps: the process the next records belong to
 * @ctx: the reader's context; ctx->pid, ctx->comm and ctx->who->ppid
 *	describe it
 *
 * Locking: under the file's mutex and the process's mmap lock.
 * Return: 0, or PTWALK_STOP_FULL (nothing written).
 */
int ptwalk_emit_task(struct ptwalk_ctx *ctx)
{
	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	if (ctx->q.format == PTWALK_FMT_BINARY) {
		struct ptwalk_task t = {
			.pid = ctx->pid,
			.ppid = ctx->who->ppid,
			.type = PTWALK_REC_TASK,
		};

		memcpy(t.comm, ctx->comm, sizeof(t.comm));
		return ptwalk_put(ctx, (const union ptwalk_record *)&t);
	}
	return ptwalk_printf(ctx, "task pid=%d ppid=%d comm=%s\n", ctx->pid,
			     ctx->who->ppid, ctx->comm);
}

/**
 * ptwalk_emit_frame - who maps: one frame's facts, with its file's path
 * @ctx: the reader's context
 * @f: the FRAME record
 * @path: the file's path, or NULL
 *
 * Locking: under the file's mutex; no other lock.
 * Return: 0, or PTWALK_STOP_FULL (nothing written).
 */
int ptwalk_emit_frame(struct ptwalk_ctx *ctx, const struct ptwalk_frame *f,
		      const char *path)
{
	char line[512], *s = line, *e = line + sizeof(line);
	size_t mark = ctx->len;
	int ret;

	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	if (ctx->q.format == PTWALK_FMT_BINARY) {
		size_t n = path ? strlen(path) : 0, off;

		ret = ptwalk_put(ctx, (const union ptwalk_record *)f);
		for (off = 0; !ret && off < n; off += PTWALK_NAME_BYTES) {
			struct ptwalk_name nm = { .type = PTWALK_REC_NAME };

			memcpy(nm.name, path + off,
			       min_t(size_t, n - off, PTWALK_NAME_BYTES));
			ret = ptwalk_put(ctx, (const union ptwalk_record *)&nm);
		}
		if (ret)
			ctx->len = mark;
		return ret;
	}
	s += scnprintf(s, e - s, "frame pfn=0x%llx state=%s page=", f->pfn,
		       ptwalk_frame_state_name(f->state));
	s = ptwalk_names(s, e, f->page, ~PTWALK_P_PGFLAGS_MASK, ptwalk_page_names);
	s += scnprintf(s, e - s, " order=%u sub=%u map=%d ref=%d node=%d pg=",
		       f->order, f->subpage, f->mapcount, f->refcount, f->node);
	s = ptwalk_names(s, e, f->page, PTWALK_P_PGFLAGS_MASK, ptwalk_page_names);
	s += scnprintf(s, e - s, " kaddr=0x%llx", f->kaddr);
	if (f->page & PTWALK_P_FILE)
		s += scnprintf(s, e - s, " index=0x%llx", f->index);
	if (path)
		s += scnprintf(s, e - s, " path=%s", path);
	return ptwalk_printf(ctx, "%s\n", line);
}

/**
 * ptwalk_emit_tally - who maps: mappings found against the mapcounts
 * @ctx: the reader's context, every FRAME record out
 *
 * Locking: under the file's mutex.
 * Return: 0, or PTWALK_STOP_FULL (nothing written).
 */
int ptwalk_emit_tally(struct ptwalk_ctx *ctx)
{
	const struct ptwalk_who *w = ctx->who;

	if (!ptwalk_unit_ok(ctx))
		return PTWALK_STOP_FULL;
	if (ctx->q.format == PTWALK_FMT_BINARY) {
		struct ptwalk_tally t = {
			.mappings = w->mappings,
			.mapcount = w->mapcount,
			.tasks = w->tasks,
			.gone = w->gone,
			.frames = w->frame_next,
			.equal = w->mappings == w->mapcount,
			.type = PTWALK_REC_TALLY,
		};

		return ptwalk_put(ctx, (const union ptwalk_record *)&t);
	}
	return ptwalk_printf(ctx, "# tally mappings=%llu mapcount=%llu equal=%s tasks=%u gone=%u\n",
			     w->mappings, w->mapcount,
			     w->mappings == w->mapcount ? "yes" : "no",
			     w->tasks, w->gone);
}
