// SPDX-License-Identifier: GPL-2.0
/*
 * mkfixtures - keep tests/fixtures/ reproducible: `make -C user fixtures`.
 *
 * The good fixtures (sleep.ptw, states.ptw) are real answers recorded in a
 * guest with "ptwalk snap" (format 1), converted to format 3 once by
 * appending their END record.  This program
 *
 *  1. converts a good fixture from the first format 3 layout, whose VMA
 *     records reused struct ptwalk_rec's fields (vaddr, swap_offset = end,
 *     raw = vm_pgoff, bits = the low 32 bits of the kernel's vm_flags) and
 *     whose LEVEL records held the index in subpage, into today's
 *     struct ptwalk_vma / struct ptwalk_lvl, and sets hdr.arch.  The old
 *     layout is known by hdr.arch == 0 (it was a zero pad byte), so running
 *     it again changes nothing.  vm_flags are read with x86-64 Linux 6.1-7.2
 *     values (the guests that recorded them); PTWALK_VMA_ANON and _FILE,
 *     which vm_flags do not hold, are taken from the name the module gave
 *     (a path or "[file]": a file; "[heap]", "[stack]", "[anon]": anonymous);
 *  2. derives every bad-*.ptw from sleep.ptw, one corruption each, which
 *     view_test's bad_fixtures[] lists with the reason it must give;
 *  3. builds overview.ptw, a synthetic answer with one VMA per memory state
 *     in the numbers real processes have: a dense 8 MiB anonymous VMA whose
 *     frames come in runs of 16 (as fresh anonymous memory does: the old
 *     overview printed one line per run), a sparse one (1 page in 16),
 *     swapped pages with scattered slots, a THP, a 2M hugetlb page, zero
 *     pages, CoW-pending pages, pages on node 1 and soft-dirty ones.  The
 *     overview and ptwalk map tests (cli_test, scripts/check.d/60-browser)
 *     read it.
 *
 * A fixture recorded afresh ("ptwalk snap PID > tests/fixtures/NAME.ptw" in
 * a guest) is already in the new layout and needs step 2 only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptwalk.h"

#define FIX	"tests/fixtures/"
#define MAXLEN	(1 << 20)

/* The kernel's vm_flags (x86-64, Linux 6.1-7.2): not an ABI, read once here. */
static const struct {
	unsigned long vm;
	__u32 flag;
} vm_map[] = {
	{ 0x00000001, PTWALK_VMA_READ },	{ 0x00000002, PTWALK_VMA_WRITE },
	{ 0x00000004, PTWALK_VMA_EXEC },	{ 0x00000080, PTWALK_VMA_SHARED },
	{ 0x00000100, PTWALK_VMA_GROWSDOWN },	{ 0x00000200, PTWALK_VMA_UFFD_MISSING },
	{ 0x00000400, PTWALK_VMA_PFNMAP },	{ 0x00001000, PTWALK_VMA_UFFD_WP },
	{ 0x00002000, PTWALK_VMA_LOCKED },	{ 0x00004000, PTWALK_VMA_IO },
	{ 0x00400000, PTWALK_VMA_HUGETLB },	{ 0x08000000, PTWALK_VMA_SOFTDIRTY },
	{ 0x10000000, PTWALK_VMA_MIXEDMAP },	{ 0x20000000, PTWALK_VMA_HUGEPAGE },
	{ 0x40000000, PTWALK_VMA_NOHUGEPAGE },	{ 0x80000000, PTWALK_VMA_MERGEABLE },
};

struct file {
	unsigned char buf[MAXLEN];
	size_t len;
};

static struct file *load(const char *path)
{
	struct file *f = calloc(1, sizeof(*f));
	FILE *in = fopen(path, "rb");

	if (!f || !in) {
		perror(path);
		exit(1);
	}
	f->len = fread(f->buf, 1, sizeof(f->buf), in);
	fclose(in);
	return f;
}

static void save(const char *path, const struct file *f, size_t len)
{
	FILE *out = fopen(path, "wb");

	if (!out || fwrite(f->buf, 1, len, out) != len || fclose(out)) {
		perror(path);
		exit(1);
	}
}

static struct ptwalk_hdr *hdr(struct file *f)
{
	return (struct ptwalk_hdr *)f->buf;
}

/* The name of the VMA whose record is at @off: its NAME records. */
static void vma_name(const struct file *f, size_t off, size_t rs, char *name, size_t len)
{
	size_t at = 0;

	name[0] = '\0';
	for (off += rs; off + rs <= f->len && at + PTWALK_NAME_BYTES < len; off += rs) {
		const struct ptwalk_name *n = (const void *)(f->buf + off);

		if (n->type != PTWALK_REC_NAME)
			break;
		at += strnlen(n->name, PTWALK_NAME_BYTES);
		strncat(name, n->name, PTWALK_NAME_BYTES);
	}
}

static __u32 vma_flags(unsigned long vm, const char *name)
{
	__u32 flags = 0;
	size_t i;

	for (i = 0; i < sizeof(vm_map) / sizeof(vm_map[0]); i++)
		if (vm & vm_map[i].vm)
			flags |= vm_map[i].flag;
	if (name[0] == '/' || !strcmp(name, "[file]"))
		flags |= PTWALK_VMA_FILE;
	else if (!strcmp(name, "[heap]") || !strcmp(name, "[stack]") || !strcmp(name, "[anon]"))
		flags |= PTWALK_VMA_ANON;
	return flags;
}

static void convert_record(struct file *f, size_t off, size_t rs)
{
	struct ptwalk_rec old;
	char name[512];

	memcpy(&old, f->buf + off, sizeof(old));
	if (old.type == PTWALK_REC_VMA) {
		struct ptwalk_vma v = {
			.type = PTWALK_REC_VMA, .start = old.vaddr, .end = old.swap_offset,
			.pgoff = old.raw,
		};

		vma_name(f, off, rs, name, sizeof(name));
		v.flags = vma_flags(old.bits, name);
		memcpy(f->buf + off, &v, sizeof(v));
	} else if (old.type == PTWALK_REC_LEVEL) {
		struct ptwalk_lvl l = {
			.type = PTWALK_REC_LEVEL, .vaddr = old.vaddr, .raw = old.raw,
			.table_pfn = old.pfn, .bits = old.bits, .index = old.subpage,
			.level = old.level, .kind = old.kind,
		};

		memcpy(f->buf + off, &l, sizeof(l));
	}
}

/* Step 1: the old layout (hdr.arch 0) to today's, in place. */
static void convert(const char *path)
{
	struct file *f = load(path);
	size_t off, rs = hdr(f)->rec_size;

	if (hdr(f)->arch == 0 && hdr(f)->version == PTWALK_VERSION) {
		for (off = hdr(f)->hdr_size; off + rs <= f->len; off += rs)
			convert_record(f, off, rs);
		hdr(f)->arch = PTWALK_ARCH_X86_64;
		save(path, f, f->len);
	}
	free(f);
}

/* The record at index @i of @f (0 is the first after the header). */
static unsigned char *rec(struct file *f, size_t i)
{
	return f->buf + hdr(f)->hdr_size + i * hdr(f)->rec_size;
}

static struct ptwalk_end *end_rec(struct file *f)
{
	return (struct ptwalk_end *)(f->buf + f->len - hdr(f)->rec_size);
}

/* Step 2: the corrupted copies, each from a fresh copy of sleep.ptw. */
static void derive_bad(void)
{
	struct file *f = load(FIX "sleep.ptw");
	size_t rs = hdr(f)->rec_size, noend = f->len - rs;
	struct file *g = malloc(sizeof(*g));

	if (!g)
		exit(1);
#define FRESH() memcpy(g, f, sizeof(*g))
	FRESH();
	g->buf[1] ^= 0xff;				/* bad magic */
	save(FIX "bad-magic.ptw", g, 4096);
	FRESH();
	hdr(g)->rec_size = 16;				/* smaller than a record */
	save(FIX "bad-recsize.ptw", g, noend);
	FRESH();
	rec(g, 3)[PTWALK_REC_TYPE_OFFSET] = 119;	/* an ENTRY of no known type */
	end_rec(g)->entries--;
	save(FIX "bad-rectype.ptw", g, g->len);
	FRESH();
	((struct ptwalk_rec *)rec(g, 2))->shift = 99;	/* the first ENTRY */
	save(FIX "bad-shift.ptw", g, g->len);
	FRESH();
	save(FIX "bad-truncated.ptw", g, 393);		/* cut inside a record */
	FRESH();
	hdr(g)->version = 1;				/* older formats had no END */
	hdr(g)->arch = 0;				/* and a pad byte here */
	save(FIX "bad-version1.ptw", g, noend);
	FRESH();
	hdr(g)->version = 2;
	hdr(g)->arch = 0;
	save(FIX "bad-version2.ptw", g, noend);
	FRESH();
	hdr(g)->arch = 3;				/* no such architecture */
	save(FIX "bad-arch.ptw", g, g->len);
	FRESH();
	save(FIX "bad-noend.ptw", g, noend);		/* cut at a record boundary */
	FRESH();
	end_rec(g)->entries++;
	save(FIX "bad-endcount.ptw", g, g->len);
#undef FRESH
	free(g);
	free(f);
}

/* Step 3: overview.ptw. */
struct builder {
	struct file f;
	__u64 entries, vmas;
};

static void put_rec(struct builder *b, const void *r)
{
	memcpy(b->f.buf + b->f.len, r, PTWALK_REC_SIZE);
	b->f.len += PTWALK_REC_SIZE;
}

static void put_vma(struct builder *b, __u64 start, __u64 end, __u32 flags, const char *name)
{
	struct ptwalk_vma v = { .type = PTWALK_REC_VMA, .start = start, .end = end,
				.pgoff = start >> 12, .flags = flags };
	struct ptwalk_name n = { .type = PTWALK_REC_NAME };

	put_rec(b, &v);
	memcpy(n.name, name, strnlen(name, sizeof(n.name)));
	put_rec(b, &n);
	b->vmas++;
}

static void put_entry(struct builder *b, struct ptwalk_rec r)
{
	r.type = PTWALK_REC_ENTRY;
	if (!r.shift)
		r.shift = 12;
	if (r.kind == PTWALK_K_PRESENT)
		r.raw = (r.pfn << 12) | (r.bits & 0xfff) | (r.bits & PTWALK_B_NX ? 1ULL << 63 : 0);
	put_rec(b, &r);
	b->entries++;
}

#define ANON_VMA	(PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_ANON)
#define PRESENT_RW	(PTWALK_B_PRESENT | PTWALK_B_RW | PTWALK_B_USER | PTWALK_B_ACCESSED | \
			 PTWALK_B_DIRTY | PTWALK_B_NX)
#define PRESENT_RO	(PTWALK_B_PRESENT | PTWALK_B_USER | PTWALK_B_ACCESSED | PTWALK_B_NX)

static void make_overview(void)
{
	struct builder *b = calloc(1, sizeof(*b));
	struct ptwalk_hdr h = {
		.magic = PTWALK_MAGIC, .version = PTWALK_VERSION, .hdr_size = sizeof(h),
		.rec_size = PTWALK_REC_SIZE, .walker = PTWALK_WALKER_KERNEL,
		.arch = PTWALK_ARCH_X86_64, .pid = 4242, .end = 1ULL << 47,
	};
	struct ptwalk_rec r;
	struct ptwalk_end e = { .type = PTWALK_REC_END, .status = PTWALK_END_COMPLETE,
				.next = 1ULL << 47 };
	__u64 va, i, base;

	if (!b)
		exit(1);
	memcpy(h.comm, "overview", 8);
	memcpy(b->f.buf, &h, sizeof(h));
	b->f.len = sizeof(h);
	/* dense: 2048 pages, frames in runs of 16 from scattered places */
	base = 0x7f0000000000;
	put_vma(b, base, base + (8 << 20), ANON_VMA, "[anon]");
	for (i = 0; i < 2048; i++) {
		r = (struct ptwalk_rec){ .vaddr = base + (i << 12), .kind = PTWALK_K_PRESENT,
			.pfn = 0x100000 + (i / 16) * 0x1000 * ((i / 16) % 2 ? 1 : 3) + i % 16,
			.bits = PRESENT_RW | PTWALK_B_SOFT_DIRTY,
			.page = PTWALK_P_ANON | PTWALK_P_ANON_EXCL | PTWALK_P_LRU,
			.cow = PTWALK_COW_WRITABLE, .mapcount = 1, .refcount = 1 };
		put_entry(b, r);
	}
	/* sparse: 1 page in 16 of 8 MiB, not soft-dirty (cleared since) */
	base = 0x7f0001000000;
	put_vma(b, base, base + (8 << 20), ANON_VMA, "[anon]");
	for (i = 0; i < 2048; i += 16) {
		r = (struct ptwalk_rec){ .vaddr = base + (i << 12), .kind = PTWALK_K_PRESENT,
			.pfn = 0x200000 + i, .bits = PRESENT_RW,
			.page = PTWALK_P_ANON | PTWALK_P_ANON_EXCL | PTWALK_P_LRU,
			.cow = PTWALK_COW_WRITABLE, .mapcount = 1, .refcount = 1 };
		put_entry(b, r);
	}
	/* swapped: 128 pages out on swap, slots in runs of 8 */
	base = 0x7f0002000000;
	put_vma(b, base, base + (512 << 10), ANON_VMA, "[anon]");
	for (i = 0; i < 128; i++) {
		r = (struct ptwalk_rec){ .vaddr = base + (i << 12), .kind = PTWALK_K_SWAP,
			.swap_offset = 0x4000 + (i / 8) * 64 + i % 8,
			.raw = (0x4000 + (i / 8) * 64 + i % 8) << 9,
			.bits = PTWALK_B_SOFT_DIRTY | PTWALK_B_SWP_EXCL, .node = -1 };
		put_entry(b, r);
	}
	/* THP: one 2M pmd, then a hugetlb 2M page */
	base = 0x7f0002200000;
	put_vma(b, base, base + (2 << 20), ANON_VMA | PTWALK_VMA_HUGEPAGE, "[anon]");
	r = (struct ptwalk_rec){ .vaddr = base, .kind = PTWALK_K_PRESENT, .level = PTWALK_LVL_PMD,
		.shift = 21, .pfn = 0x300000, .bits = PRESENT_RW | PTWALK_B_PSE,
		.page = PTWALK_P_ANON | PTWALK_P_THP | PTWALK_P_ANON_EXCL, .order = 9,
		.cow = PTWALK_COW_WRITABLE, .mapcount = 1, .refcount = 1 };
	put_entry(b, r);
	base = 0x7f0002400000;
	put_vma(b, base, base + (2 << 20), PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_FILE |
		PTWALK_VMA_HUGETLB | PTWALK_VMA_SHARED,
		"/dev/hugepages/fixture");
	r = (struct ptwalk_rec){ .vaddr = base, .kind = PTWALK_K_PRESENT, .level = PTWALK_LVL_PMD,
		.shift = 21, .pfn = 0x300200, .bits = PRESENT_RW | PTWALK_B_PSE,
		.page = PTWALK_P_FILE | PTWALK_P_HUGETLB, .order = 9,
		.cow = PTWALK_COW_NONE, .mapcount = 1, .refcount = 1 };
	put_entry(b, r);
	/* zero pages (read only), then CoW-pending pages after fork */
	base = 0x7f0002600000;
	put_vma(b, base, base + (64 << 10), ANON_VMA, "[anon]");
	for (va = base; va < base + (32 << 10); va += 4096) {
		r = (struct ptwalk_rec){ .vaddr = va, .kind = PTWALK_K_PRESENT, .pfn = 0xae538,
			.bits = PRESENT_RO | PTWALK_B_SPECIAL, .page = PTWALK_P_ZERO,
			.cow = PTWALK_COW_COPY, .node = 0 };
		put_entry(b, r);
	}
	for (i = 0; va < base + (64 << 10); va += 4096, i++) {
		r = (struct ptwalk_rec){ .vaddr = va, .kind = PTWALK_K_PRESENT, .pfn = 0x400000 + i,
			.bits = PRESENT_RO | PTWALK_B_SOFT_DIRTY,
			.page = PTWALK_P_ANON | PTWALK_P_SHARED | PTWALK_P_LRU,
			.cow = PTWALK_COW_COPY, .mapcount = 2, .refcount = 2 };
		put_entry(b, r);
	}
	/* node 1: 32 pages */
	base = 0x7f0002700000;
	put_vma(b, base, base + (128 << 10), ANON_VMA, "[anon]");
	for (i = 0; i < 32; i++) {
		r = (struct ptwalk_rec){ .vaddr = base + (i << 12), .kind = PTWALK_K_PRESENT,
			.pfn = 0x500000 + i, .bits = PRESENT_RW,
			.page = PTWALK_P_ANON | PTWALK_P_ANON_EXCL | PTWALK_P_LRU,
			.cow = PTWALK_COW_WRITABLE, .mapcount = 1, .refcount = 1, .node = 1 };
		put_entry(b, r);
	}
	e.entries = b->entries;
	e.vmas = b->vmas;
	put_rec(b, &e);
	save(FIX "overview.ptw", &b->f, b->f.len);
	free(b);
}

/*
 * 3. derives the kernel=1 fixtures (.kptw: view_test reads every .ptw as a
 *    process answer) from kernel.kptw (a real answer, recorded
 *    in a 6.12 guest with "kernel=1 format=binary"): kernel-wx.kptw makes
 *    the first range of the kernel image ("High Kernel Mapping", its text)
 *    writable, the W+X mapping `ptwalk kernel --wx` must find;
 *    kernel-noend.kptw is cut before its END, which it must refuse to judge.
 */
static void derive_kernel(void)
{
	struct file *f = load(FIX "kernel.kptw");
	size_t rs = hdr(f)->rec_size, n = (f->len - hdr(f)->hdr_size) / rs, i;
	__u32 region = ~0U, r = 0;

	for (i = 0; i < n; i++) {
		union ptwalk_record *x = (union ptwalk_record *)rec(f, i);

		if (x->type.type == PTWALK_REC_REGION &&
		    !strcmp(x->region.name, "High Kernel Mapping"))
			region = r;
		if (x->type.type == PTWALK_REC_REGION)
			r++;
		if (x->type.type == PTWALK_REC_KRANGE && x->krange.region == region &&
		    !(x->krange.bits & PTWALK_B_NX)) {
			x->krange.bits |= PTWALK_B_RW;
			break;
		}
	}
	if (i == n) {
		fprintf(stderr, "kernel.kptw: no executable range of the kernel image\n");
		exit(1);
	}
	save(FIX "kernel-wx.kptw", f, f->len);
	save(FIX "kernel-noend.kptw", f, f->len - rs);
	free(f);
}

int main(void)
{
	convert(FIX "sleep.ptw");
	convert(FIX "states.ptw");
	derive_bad();
	make_overview();
	derive_kernel();
	return 0;
}
