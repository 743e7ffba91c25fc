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
 *     view_test's bad_fixtures[] lists with the reason it must give.
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

int main(void)
{
	convert(FIX "sleep.ptw");
	convert(FIX "states.ptw");
	derive_bad();
	return 0;
}
