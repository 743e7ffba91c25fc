// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_trust_test - the answers are complete or say where they stopped,
 * the facts are the kernel's own, and nobody can make the module hold
 * memory it is not charged for or block others (issue 12).
 *
 * Each test names the defect it would catch.  Runs as root in a guest with
 * ptwalk.ko loaded (selftests/run_guest.sh); tests that need another user
 * drop to uid 65534 in their own child.
 *
 *   PTWALK_HOARD_N   answers the unprivileged hoarder tries to keep open
 *                    (default 100000: more than 64 MiB of them)
 *   PTWALK_RACE_SECS seconds of the PMD race (default 3)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* TEST_F's fork()/setjmp() in kselftest_harness.h trips -Wclobbered (-Wextra). */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "ptwalk_util.h"
#include "ptwalk.h"

#define PAGE		4096UL
#define HPAGE		(2UL << 20)
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC	0x0001U
#endif

static void *map_aligned(size_t size, size_t align, int prot, int flags, int fd,
			 off_t off)
{
	size_t len = size + align;
	char *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a;

	if (p == MAP_FAILED)
		return MAP_FAILED;
	a = ((unsigned long)p + align - 1) & ~(align - 1);
	munmap(p, len);
	return mmap((void *)a, size, prot, flags | MAP_FIXED, fd, off);
}

/* Open @path, write @q; the fd, or -1 with errno. */
static int query_fd(const char *path, const char *q)
{
	int fd = open(path, O_RDWR | O_CLOEXEC), e;

	if (fd < 0)
		return -1;
	if (write(fd, q, strlen(q)) != (ssize_t)strlen(q)) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Read @fd to its end in reads of @chunk bytes; malloc'd, NUL terminated. */
static char *read_all(int fd, size_t chunk, size_t *lenp)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		return NULL;
	for (;;) {
		if (cap - len < chunk + 1) {
			char *nb = realloc(buf, cap * 2 + chunk);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap = cap * 2 + chunk;
		}
		n = read(fd, buf + len, chunk);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static char *query_in(const char *path, const char *q, size_t chunk, size_t *lenp)
{
	int fd = query_fd(path, q);
	char *out;

	if (fd < 0)
		return NULL;
	out = read_all(fd, chunk, lenp);
	close(fd);
	return out;
}

/*
 * @t with each entry line cut to what does not move on its own between two
 * reads of the same state: address, size, level and kind (7.2's aging
 * clears accessed bits, LRU batches drain: raw=, hw=, pg=, ref= change).
 * vma and comment lines stay whole.  In place; its new length.
 */
static size_t strip_moving(char *t, size_t len)
{
	char *r = t, *w = t, *end = t + len;

	while (r < end) {
		char *nl = memchr(r, '\n', end - r);
		size_t n = nl ? (size_t)(nl - r) + 1 : (size_t)(end - r);

		if (r[0] == '0' && r[1] == 'x') {
			char *raw = memmem(r, n, " raw=", 5);
			char *kind = memmem(r, n, " kind=", 6);
			size_t k;

			if (raw && kind) {
				k = strcspn(kind + 1, " \n") + 1;
				memmove(w, r, raw - r);
				w += raw - r;
				memmove(w, kind, k);
				w += k;
				*w++ = '\n';
				r += n;
				continue;
			}
		}
		memmove(w, r, n);
		w += n;
		r += n;
	}
	*w = '\0';
	return w - t;
}

/* The last line of a text answer (a pointer into @t). */
static const char *last_line(const char *t, size_t len)
{
	const char *p;

	if (!len)
		return t;
	p = t + len - 1;	/* the final newline */
	while (p > t && p[-1] != '\n')
		p--;
	return p;
}

/* What a text answer's "# end" line says; false if it has none. */
struct text_end {
	char status[16];
	unsigned long long next, entries, vmas;
};

static bool text_end(const char *t, size_t len, struct text_end *e)
{
	const char *l = last_line(t, len);

	memset(e, 0, sizeof(*e));
	return sscanf(l, "# end status=%15s next=0x%llx entries=%llu vmas=%llu",
		      e->status, &e->next, &e->entries, &e->vmas) == 4 &&
	       l[strcspn(l, "\n")] == '\n' && !l[strcspn(l, "\n") + 1];
}

/* Entries in a text answer: entry lines, or the COUNT of merged lines. */
static unsigned long long text_entries(const char *t, bool merged,
				       unsigned long long *vmas)
{
	unsigned long long n = 0, c;
	const char *p = t;

	*vmas = 0;
	while (*p) {
		if (!strncmp(p, "vma ", 4))
			(*vmas)++;
		else if (p[0] == '0' && p[1] == 'x')
			n += merged && sscanf(strchr(p, ' ') + 1, "%llux", &c) == 1 ? c : 1;
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	return n;
}

/* A binary answer, checked record by record. */
struct bin {
	struct ptwalk_hdr h;
	struct ptwalk_end end;
	bool has_end;
	unsigned long long entries, vmas;
	const char *why;
};

static bool bin_parse(const char *buf, size_t len, struct bin *b, bool lax)
{
	size_t off;

	memset(b, 0, sizeof(*b));
	if (len < sizeof(b->h)) {
		b->why = "shorter than a header";
		return false;
	}
	memcpy(&b->h, buf, sizeof(b->h));
	if (b->h.magic != PTWALK_MAGIC || (!lax && b->h.version != PTWALK_VERSION) ||
	    (len - b->h.hdr_size) % b->h.rec_size) {
		b->why = "bad header or stray bytes";
		return false;
	}
	for (off = b->h.hdr_size; off < len; off += b->h.rec_size) {
		const union ptwalk_record *r = (const void *)(buf + off);

		if (b->has_end) {
			b->why = "a record after the end record";
			return false;
		}
		switch (r->type.type) {
		case PTWALK_REC_ENTRY:
			b->entries++;
			break;
		case PTWALK_REC_MORE:
			b->entries += r->more.count;
			break;
		case PTWALK_REC_SWAPRUN:
			b->entries += r->swaprun.count;
			break;
		case PTWALK_REC_VMA:
			b->vmas++;
			break;
		case PTWALK_REC_END:
			memcpy(&b->end, r, sizeof(b->end));
			b->has_end = true;
			break;
		}
	}
	if (!b->has_end)
		b->why = "no end record";
	return b->has_end || lax;
}

static bool bin_check(const char *buf, size_t len, struct bin *b)
{
	return bin_parse(buf, len, b, false);
}

FIXTURE(trust) {
	int unused;
};

FIXTURE_SETUP(trust)
{
	ASSERT_EQ(0, access(PTWALK_WALK, W_OK)) TH_LOG("ptwalk.ko not loaded?");
}

FIXTURE_TEARDOWN(trust)
{
}

/* ---- items 6 and 7: complete at every buffer boundary ------------------ */

/*
 * @n small VMAs with gaps between them, each holding one kind of content:
 * untouched, two zero-page entries, two written pages, or 40 written pages
 * (MORE records in binary, one run in merged).  Return: the first byte.
 */
static char *make_vmas(int n, size_t *span)
{
	size_t slot = 64 * PAGE;
	char *base = mmap(NULL, n * slot, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	int i;

	if (base == MAP_FAILED)
		return NULL;
	munmap(base, n * slot);
	for (i = 0; i < n; i++) {
		char *p = mmap(base + i * slot, 48 * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		volatile char sink;
		int j;

		if (p == MAP_FAILED)
			return NULL;
		madvise(p, 48 * PAGE, MADV_NOHUGEPAGE);
		switch (i % 4) {
		case 1:
			sink = p[0];
			sink = p[PAGE];
			(void)sink;
			break;
		case 2:
			p[0] = 1;
			p[PAGE] = 1;
			break;
		case 3:
			for (j = 0; j < 40; j++)
				p[j * PAGE] = 1;
			break;
		}
	}
	*span = n * slot;
	return base;
}

/* Present or swapped pages pagemap sees in [a, a + len). */
static unsigned long long pagemap_count(unsigned long a, size_t len)
{
	unsigned long long n = 0;
	size_t i;

	for (i = 0; i < len; i += PAGE)
		n += !!(pagemap_entry(0, a + i) & (PTWALK_PM_PRESENT | PTWALK_PM_SWAP));
	return n;
}

TEST_F_TIMEOUT(trust, complete_at_every_boundary, 600)
{
	static const int counts[] = { 1, 7, 500, 2000 };
	static const size_t chunks[] = { 1, 3, 64, 100, 333, 4096, 65536 };
	static const char *const fmts[] = { "text", "merged", "binary" };
	unsigned int c, k, f;

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		int n = counts[c];
		size_t span;
		char *base = make_vmas(n, &span);
		unsigned long long want;
		char *ref = NULL;
		size_t ref_len = 0;

		ASSERT_NE(NULL, base);
		want = pagemap_count((unsigned long)base, span);
		for (f = 0; f < 3; f++) {
			for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
				char q[160], *out;
				size_t len;

				/* Byte-sized reads of thousands of VMAs take too long under TCG. */
				if (chunks[k] < 64 && n > 7)
					continue;
				snprintf(q, sizeof(q), "pid=self range=0x%lx-0x%lx format=%s walker=%s",
					 (unsigned long)base, (unsigned long)base + span, fmts[f],
					 k & 1 ? "kernel" : "builtin");
				out = query_in(PTWALK_WALK, q, chunks[k], &len);
				ASSERT_NE(NULL, out) TH_LOG("%s: %s", q, strerror(errno));
				if (f == 2) {
					struct bin b;

					ASSERT_TRUE(bin_check(out, len, &b))
						TH_LOG("%d VMAs, reads of %zu: %s", n, chunks[k], b.why);
					EXPECT_EQ(PTWALK_END_COMPLETE, b.end.status);
					EXPECT_EQ((unsigned long long)n, b.vmas)
						TH_LOG("%d VMAs, reads of %zu bytes", n, chunks[k]);
					EXPECT_EQ(b.vmas, b.end.vmas);
					EXPECT_EQ(want, b.entries)
						TH_LOG("%d VMAs, reads of %zu bytes", n, chunks[k]);
					EXPECT_EQ(b.entries, b.end.entries);
					EXPECT_EQ((unsigned long)base + span, b.end.next);
				} else {
					struct text_end e;
					unsigned long long vmas, got;

					ASSERT_TRUE(text_end(out, len, &e))
						TH_LOG("%d VMAs, %s, reads of %zu: last line '%s'", n,
						       fmts[f], chunks[k], last_line(out, len));
					EXPECT_STREQ("complete", e.status);
					got = text_entries(out, f == 1, &vmas);
					EXPECT_EQ((unsigned long long)n, vmas)
						TH_LOG("%d VMAs, %s, reads of %zu bytes", n, fmts[f], chunks[k]);
					EXPECT_EQ(vmas, e.vmas);
					EXPECT_EQ(want, got)
						TH_LOG("%d VMAs, %s, reads of %zu bytes", n, fmts[f], chunks[k]);
					EXPECT_EQ(got, e.entries);
					EXPECT_EQ((unsigned long)base + span, e.next);
					/*
					 * The same entries whatever the read size (one
					 * walker: walker= differs); see strip_moving().
					 */
					if (f == 0 && !(k & 1)) {
						len = strip_moving(out, len);
						if (!ref) {
							ref = out;
							ref_len = len;
							out = NULL;
						} else {
							EXPECT_EQ(ref_len, len);
							EXPECT_EQ(0, memcmp(ref, out, len < ref_len ? len : ref_len))
								TH_LOG("%d VMAs: reads of %zu differ", n, chunks[k]);
						}
					}
				}
				free(out);
			}
		}
		free(ref);
		munmap(base, span);
	}
}

/* ---- item 7: an answer whose target exits says so ---------------------- */

TEST_F_TIMEOUT(trust, end_says_target_exited, 120)
{
	static const char *const fmts[] = { "text", "merged", "binary" };
	unsigned int f;

	for (f = 0; f < 3; f++) {
		pid_t target = ptwalk_spawn_touched(16, true);
		char q[96], first[4096], *rest;
		size_t len;
		ssize_t n;
		int fd;

		ASSERT_LT(0, target);
		ptwalk_wait_rss(target, 16 << 10);
		snprintf(q, sizeof(q), "pid=%d format=%s", target, fmts[f]);
		fd = query_fd(PTWALK_WALK, q);
		ASSERT_LE(0, fd);
		n = read(fd, first, sizeof(first));
		ASSERT_LT(0, n);
		kill(target, SIGKILL);
		ASSERT_EQ(target, waitpid(target, NULL, 0));
		rest = read_all(fd, 65536, &len);
		ASSERT_NE(NULL, rest);
		close(fd);
		if (f == 2) {
			char *all = malloc(n + len);
			struct bin b;

			ASSERT_NE(NULL, all);
			memcpy(all, first, n);
			memcpy(all + n, rest, len);
			ASSERT_TRUE(bin_check(all, n + len, &b)) TH_LOG("%s", b.why);
			EXPECT_EQ(PTWALK_END_EXITED, b.end.status);
			EXPECT_EQ(b.entries, b.end.entries);
			EXPECT_GT(b.h.end, b.end.next);
			free(all);
		} else {
			struct text_end e;
			char *all = malloc(n + len + 1);
			unsigned long long vmas, got;

			ASSERT_NE(NULL, all);
			memcpy(all, first, n);
			memcpy(all + n, rest, len + 1);
			ASSERT_TRUE(text_end(all, n + len, &e))
				TH_LOG("%s: last line '%s'", fmts[f], last_line(all, n + len));
			EXPECT_STREQ("exited", e.status);
			/* A pending merged run is printed, not dropped. */
			got = text_entries(all, f == 1, &vmas);
			EXPECT_EQ(got, e.entries) TH_LOG("%s", fmts[f]);
			EXPECT_EQ(vmas, e.vmas);
			free(all);
		}
		free(rest);
	}
}

/* ---- item 11: the reason after an overlong write ------------------------ */

TEST_F(trust, reason_after_overlong_write)
{
	char big[300], buf[256];
	int pass;

	memset(big, 'a', sizeof(big));
	/* After a whole answer, and after the first bytes of one. */
	for (pass = 0; pass < 2; pass++) {
		int fd = query_fd(PTWALK_WALK, "pid=self");
		ssize_t n;

		ASSERT_LE(0, fd);
		if (pass == 0) {
			size_t len;
			char *out = read_all(fd, 65536, &len);

			ASSERT_NE(NULL, out);
			free(out);
		} else {
			ASSERT_EQ(100, read(fd, buf, 100));
		}
		EXPECT_EQ(-1, write(fd, big, sizeof(big)));
		EXPECT_EQ(EINVAL, errno);
		n = read(fd, buf, sizeof(buf) - 1);
		ASSERT_LT(0, n) TH_LOG("pass %d: read after the refused write gave %zd", pass, n);
		buf[n] = '\0';
		EXPECT_EQ(0, strncmp(buf, "error: query longer", 19)) TH_LOG("%s", buf);
		close(fd);
	}
}

/* ---- item 8: dirty as pte_dirty() says ---------------------------------- */

TEST_F(trust, dirty_survives_write_protect)
{
	char q[96], line[512], *out;
	uint64_t raw;
	pid_t child;
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;			/* D set */
	child = fork();			/* write-protects the parent's PTE */
	if (child == 0) {
		pause();
		_exit(0);
	}
	ASSERT_LT(0, child);
	snprintf(q, sizeof(q), "pid=self addr=%p", (void *)p);
	out = ptwalk_query(PTWALK_WALK, q, NULL);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, ptwalk_find_entry(out, (unsigned long)p, line, sizeof(line)))
		TH_LOG("%s", out);
	ASSERT_TRUE(ptwalk_field_u64(line, "raw", &raw));
	EXPECT_FALSE(ptwalk_field_has(line, "hw", "W")) TH_LOG("%s", line);
	/* pte_dirty(): the page is dirty on every kernel. */
	EXPECT_TRUE(ptwalk_field_has(line, "hw", "D")) TH_LOG("%s", line);
	/*
	 * x86 with user shadow stacks (6.12, 7.2): D lives in SavedDirty,
	 * bit 58, not in the hardware's D (6).  arm64: write-protecting moves
	 * the hardware dirty state (DBM without RDONLY) into the software
	 * PTE_DIRTY, bit 55, and makes the entry RDONLY (7).
	 */
	if (PTWALK_TEST_ARCH == PTWALK_ARCH_ARM64) {
		EXPECT_TRUE(!!(raw & (1ULL << 55))) TH_LOG("%s", line);
		EXPECT_TRUE(!!(raw & (1ULL << 7))) TH_LOG("%s", line);
		EXPECT_TRUE(ptwalk_field_has(line, "sw", "saved-dirty")) TH_LOG("%s", line);
	} else {
		EXPECT_EQ(!!(raw & (1ULL << 58)), ptwalk_field_has(line, "sw", "saved-dirty"))
			TH_LOG("%s", line);
		if (raw & (1ULL << 58))
			EXPECT_FALSE(!!(raw & (1ULL << 6))) TH_LOG("%s", line);
	}
	TH_LOG("%s", line);
	free(out);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/* ---- item 13: the VMA's soft-dirty state -------------------------------- */

TEST_F(trust, vma_line_says_soft_dirty)
{
	char q[128], *out, *l;
	char *old = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *new;

	ASSERT_NE(MAP_FAILED, old);
	old[0] = 1;
	if (!ptwalk_write_file("/proc/self/clear_refs", "4"))
		SKIP(return, "clear_refs 4 (soft-dirty) not supported");
	/* A VMA made after clear_refs is soft-dirty as a whole (VM_SOFTDIRTY). */
	new = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, new);
	snprintf(q, sizeof(q), "pid=self range=%p-%p", (void *)old, (void *)(old + PAGE));
	out = ptwalk_query(PTWALK_WALK, q, NULL);
	ASSERT_NE(NULL, out);
	l = strstr(out, "\nvma ");
	ASSERT_NE(NULL, l) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(l, " - [anon]")) TH_LOG("%s", out);
	EXPECT_TRUE(!(pagemap_entry(0, (unsigned long)old) & PTWALK_PM_SOFT_DIRTY));
	free(out);
	snprintf(q, sizeof(q), "pid=self range=%p-%p", (void *)new, (void *)(new + PAGE));
	out = ptwalk_query(PTWALK_WALK, q, NULL);
	ASSERT_NE(NULL, out);
	l = strstr(out, "\nvma ");
	ASSERT_NE(NULL, l) TH_LOG("%s", out);
	if (PTWALK_TEST_ARCH == PTWALK_ARCH_ARM64) {
		/*
		 * arm64 has no soft-dirty (no CONFIG_MEM_SOFT_DIRTY, VM_SOFTDIRTY
		 * is 0; clear_refs 4 is accepted and does nothing): the new VMA
		 * must not claim it either.  ASSERT, as SKIP would hide a failure.
		 */
		ASSERT_NE(NULL, strstr(l, " - [anon]")) TH_LOG("%s", out);
		free(out);
		SKIP(return, "soft-dirty does not exist on arm64 (no CONFIG_MEM_SOFT_DIRTY)");
	}
	EXPECT_NE(NULL, strstr(l, " sd [anon]")) TH_LOG("%s", out);
	free(out);
}

/* ---- item 9: mapcounts of file and shmem THPs --------------------------- */

/*
 * Every 4K page of [p, p + len) as ptwalk's binary answer tells it, against
 * /proc/kpagecount and pagemap's bit 56.  A huge entry is compared at its
 * first page only (its mapcount is the head page's).  Return: the PMD
 * entries seen, or -1 without an answer.
 */
static int check_mapcounts(struct __test_metadata *_metadata, const char *walker,
			   char *p, size_t len, const char *what)
{
	char q[160], *out;
	size_t n, off;
	struct bin b;
	int pmd = 0;

	snprintf(q, sizeof(q), "pid=self range=%p-%p format=binary walker=%s",
		 (void *)p, (void *)(p + len), walker);
	out = ptwalk_query(PTWALK_WALK, q, &n);
	/* Lax: the facts are checked here, the end record elsewhere. */
	if (!out || !bin_parse(out, n, &b, true)) {
		TH_LOG("%s: no answer", what);
		free(out);
		return -1;
	}
	for (off = b.h.hdr_size; off < n; off += b.h.rec_size) {
		const struct ptwalk_rec *r = (const void *)(out + off);
		uint64_t pm, kpc;

		if (r->type != PTWALK_REC_ENTRY || r->kind != PTWALK_K_PRESENT)
			continue;
		pm = pagemap_entry(0, r->vaddr);
		kpc = kpagecount(r->pfn);
		pmd += r->level == PTWALK_LVL_PMD;
		EXPECT_EQ(kpc, (uint64_t)r->mapcount)
			TH_LOG("%s: %s 0x%llx order %u map=%d, kpagecount %llu", what,
			       r->level ? "pmd" : "pte", (unsigned long long)r->vaddr,
			       r->order, r->mapcount, (unsigned long long)kpc);
		EXPECT_EQ(!!(pm & PTWALK_PM_MMAP_EXCLUSIVE), r->mapcount == 1)
			TH_LOG("%s: 0x%llx map=%d, pagemap bit 56 %d", what,
			       (unsigned long long)r->vaddr, r->mapcount,
			       !!(pm & PTWALK_PM_MMAP_EXCLUSIVE));
	}
	free(out);
	return pmd;
}

/* A 4 MiB file whose first 2 MiB are one THP, or -1 with @why. */
static int thp_file(const char *dir, const char **why)
{
	char path[128];
	char *p;
	int fd;

	if (dir) {
		snprintf(path, sizeof(path), "%s/thp", dir);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	} else {
		fd = syscall(SYS_memfd_create, "ptwalk-thp", MFD_CLOEXEC);
	}
	if (fd < 0 || ftruncate(fd, 2 * HPAGE)) {
		*why = "cannot create the file";
		return -1;
	}
	p = map_aligned(HPAGE, HPAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		*why = "mmap";
		return -1;
	}
	madvise(p, HPAGE, MADV_HUGEPAGE);
	memset(p, 1, HPAGE);
	if (!(kpageflags(pagemap_entry(0, (unsigned long)p) & PTWALK_PM_PFRAME_MASK) &
	      (1ULL << KPF_THP))) {
		*why = "the file did not get a THP (shmem_enabled?)";
		munmap(p, HPAGE);
		close(fd);
		return -1;
	}
	munmap(p, HPAGE);
	return fd;
}

static void file_thp_cases(struct __test_metadata *_metadata, int fd,
			   const char *name)
{
	static const char *const walkers[] = { "kernel", "builtin" };
	char what[96];
	unsigned int w;

	for (w = 0; w < 2; w++) {
		char *a, *b, *c;
		pid_t child;

		/* PMD-mapped, once. */
		a = map_aligned(HPAGE, HPAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, a);
		*(volatile char *)a;
		snprintf(what, sizeof(what), "%s, PMD-mapped once (%s)", name, walkers[w]);
		EXPECT_EQ(1, check_mapcounts(_metadata, walkers[w], a, HPAGE, what))
			TH_LOG("%s: not PMD-mapped", what);
		/* PMD-mapped twice in this process. */
		b = map_aligned(HPAGE, HPAGE, PROT_READ, MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, b);
		*(volatile char *)b;
		snprintf(what, sizeof(what), "%s, PMD-mapped twice (%s)", name, walkers[w]);
		EXPECT_LE(0, check_mapcounts(_metadata, walkers[w], a, HPAGE, what));
		/* PTE-mapped: a mapping at an odd offset cannot be PMD-mapped. */
		c = mmap(NULL, HPAGE - PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
		ASSERT_NE(MAP_FAILED, c);
		for (size_t i = 0; i < HPAGE - PAGE; i += PAGE)
			*(volatile char *)(c + i);
		snprintf(what, sizeof(what), "%s, PTE-mapped and PMD-mapped (%s)", name, walkers[w]);
		EXPECT_EQ(0, check_mapcounts(_metadata, walkers[w], c, HPAGE - PAGE, what));
		/* Shared with a child too. */
		child = fork();
		if (child == 0) {
			pause();
			_exit(0);
		}
		snprintf(what, sizeof(what), "%s, shared with a child (%s)", name, walkers[w]);
		EXPECT_LE(0, check_mapcounts(_metadata, walkers[w], a, HPAGE, what));
		EXPECT_LE(0, check_mapcounts(_metadata, walkers[w], c, HPAGE - PAGE, what));
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		munmap(c, HPAGE - PAGE);
		munmap(b, HPAGE);
		/* PTE-mapped only. */
		snprintf(what, sizeof(what), "%s, PTE-mapped only (%s)", name, walkers[w]);
		munmap(a, HPAGE);
		c = mmap(NULL, HPAGE - PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
		ASSERT_NE(MAP_FAILED, c);
		for (size_t i = 0; i < HPAGE - PAGE; i += PAGE)
			*(volatile char *)(c + i);
		EXPECT_LE(0, check_mapcounts(_metadata, walkers[w], c, HPAGE - PAGE, what));
		munmap(c, HPAGE - PAGE);
	}
}

TEST_F_TIMEOUT(trust, shmem_and_file_thp_mapcounts, 120)
{
	char old[64] = "", dir[] = "/tmp/ptwalk-hugetmpfs.XXXXXX";
	const char *why = NULL;
	bool ran = false;
	int fd;

	ptwalk_read_file("/sys/kernel/mm/transparent_hugepage/shmem_enabled", old, sizeof(old));
	ptwalk_write_file("/sys/kernel/mm/transparent_hugepage/shmem_enabled", "advise");
	fd = thp_file(NULL, &why);
	if (fd >= 0) {
		file_thp_cases(_metadata, fd, "memfd");
		close(fd);
		ran = true;
	} else {
		TH_LOG("memfd: %s", why);
	}
	ASSERT_NE(NULL, mkdtemp(dir));
	if (!mount("tmpfs", dir, "tmpfs", 0, "huge=always,size=64m")) {
		fd = thp_file(dir, &why);
		if (fd >= 0) {
			file_thp_cases(_metadata, fd, "tmpfs huge=always");
			close(fd);
			ran = true;
		} else {
			TH_LOG("tmpfs huge=always: %s", why);
		}
		umount(dir);
	}
	rmdir(dir);
	/* "[always] within_size advise [never] deny force": restore the choice. */
	if (strchr(old, '[')) {
		char *s = strchr(old, '[') + 1;

		s[strcspn(s, "]")] = '\0';
		ptwalk_write_file("/sys/kernel/mm/transparent_hugepage/shmem_enabled", s);
	}
	if (!ran)
		SKIP(return, "no shmem THP could be made");
}

/* ---- item 10: a PMD that changes under the walk ------------------------- */

TEST_F_TIMEOUT(trust, pmd_changes_under_walks, 300)
{
	long secs = ptwalk_env_long("PTWALK_RACE_SECS", 3);
	enum { slots = 8 };
	struct shared { volatile int stop, settled; } *sh;
	char *region;
	pid_t mut;
	double t0;
	long walks = 0;

	sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	region = map_aligned(slots * HPAGE, HPAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, region);
	mut = fork();
	if (mut == 0) {
		/* Each slot: PTE table, emptied (7.2 frees the table), THP again. */
		while (!sh->stop) {
			int s;

			for (s = 0; s < slots; s++) {
				char *p = region + s * HPAGE;

				madvise(p, HPAGE, MADV_NOHUGEPAGE);
				p[PAGE] = 1;
				madvise(p, HPAGE, MADV_DONTNEED);
				madvise(p, HPAGE, MADV_HUGEPAGE);
				memset(p, 2, HPAGE);
			}
		}
		sh->settled = 1;
		for (;;)
			pause();
	}
	ASSERT_LT(0, mut);
	t0 = ptwalk_now();
	while (ptwalk_now() - t0 < secs) {
		char q[160], *out;
		size_t len;
		struct bin b;

		snprintf(q, sizeof(q), "pid=%d range=%p-%p format=binary walker=%s", mut,
			 (void *)region, (void *)(region + slots * HPAGE),
			 walks & 1 ? "kernel" : "builtin");
		out = ptwalk_query(PTWALK_WALK, q, &len);
		ASSERT_NE(NULL, out);
		ASSERT_TRUE(bin_check(out, len, &b)) TH_LOG("%s", b.why);
		EXPECT_EQ(PTWALK_END_COMPLETE, b.end.status);
		free(out);
		walks++;
	}
	sh->stop = 1;
	while (!sh->settled)
		usleep(10000);
	/* Quiescent: both walkers report every page pagemap sees (present or
	 * swapped), slot by slot. */
	for (int w = 0; w < 2; w++) {
		unsigned long long want[slots] = { 0 }, got[slots] = { 0 };
		char q[160], path[64], *out;
		const char *l;
		size_t len, i;
		int pm, s;

		snprintf(q, sizeof(q), "pid=%d range=%p-%p format=text walker=%s", mut,
			 (void *)region, (void *)(region + slots * HPAGE),
			 w ? "kernel" : "builtin");
		out = ptwalk_query(PTWALK_WALK, q, &len);
		ASSERT_NE(NULL, out);
		snprintf(path, sizeof(path), "/proc/%d/pagemap", mut);
		pm = open(path, O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, pm);
		for (i = 0; i < slots * HPAGE; i += PAGE) {
			uint64_t e = 0;

			ASSERT_EQ(8, pread(pm, &e, 8, ((unsigned long)region + i) / PAGE * 8));
			want[i / HPAGE] += !!(e & (PTWALK_PM_PRESENT | PTWALK_PM_SWAP));
		}
		close(pm);
		for (l = out; (l = strstr(l, "\n0x")); ) {
			unsigned long a = strtoul(++l, NULL, 16);

			s = (a - (unsigned long)region) / HPAGE;
			if (s >= 0 && s < slots)
				got[s] += !strncmp(l + 15, "2M pmd ", 7) ? 512 : 1;
		}
		for (s = 0; s < slots; s++) {
			unsigned long long g = got[s], p = want[s];

			EXPECT_EQ(p, g) TH_LOG("quiescent %s walk, slot %d: %llu pages, pagemap %llu",
					       w ? "kernel" : "builtin", s, g, p);
		}
		if (_metadata->exit_code)
			TH_LOG("%.4000s", out);
		free(out);
	}
	TH_LOG("%ld walks raced %ld s of MADV_DONTNEED + THP refaults", walks, secs);
	kill(mut, SIGKILL);
	waitpid(mut, NULL, 0);
}

/* ---- item 4: a reader stalled in copy_to_user() -------------------------- */

struct stall {
	int fd;
	char *buf;
	ssize_t got;
	int err;
	pid_t tid;
};

static void *stalled_read(void *arg)
{
	struct stall *s = arg;

	s->tid = syscall(SYS_gettid);
	s->got = read(s->fd, s->buf, 2 * PAGE);
	s->err = errno;
	return NULL;
}

static void *blocked_write(void *arg)
{
	struct stall *s = arg;

	s->tid = syscall(SYS_gettid);
	s->got = write(s->fd, "pid=self", 8);
	s->err = errno;
	return NULL;
}

static char task_state(pid_t tid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	if (!ptwalk_read_file(path, buf, sizeof(buf)))
		return '?';
	p = strrchr(buf, ')');
	return p && p[1] ? p[2] : '?';
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST_F_TIMEOUT(trust, stalled_reader_blocks_nobody, 120)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct uffdio_zeropage zp = { 0 };
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct stall r = { 0 }, w = { 0 };
	struct pollfd pfd;
	pthread_t rt, wt;
	pid_t rm;
	int uffd, status;
	double t0;
	bool rm_done = false;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		SKIP(return, "userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	r.buf = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r.buf);
	reg.range.start = (unsigned long)r.buf;
	reg.range.len = 2 * PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	/* procfs: rmmod does not wait for open files there, only for calls. */
	r.fd = query_fd("/proc/ptwalk", "pid=self");
	ASSERT_LE(0, r.fd);
	w.fd = r.fd;
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */

	ASSERT_EQ(0, pthread_create(&rt, NULL, stalled_read, &r));
	/* The fault's event: the read now waits in copy_to_user(). */
	pfd.fd = uffd;
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 20000)) TH_LOG("the read never faulted");
	ASSERT_EQ(0, pthread_create(&wt, NULL, blocked_write, &w));
	/* The writer waits for the reader's file lock, interruptibly. */
	t0 = ptwalk_now();
	while (ptwalk_now() - t0 < 5 &&
	       (!__atomic_load_n(&w.tid, __ATOMIC_ACQUIRE) || task_state(w.tid) != 'S'))
		usleep(10000);
	EXPECT_EQ('S', task_state(w.tid)) TH_LOG("writer state %c", task_state(w.tid));
	pthread_kill(wt, SIGUSR1);
	t0 = ptwalk_now();
	while (ptwalk_now() - t0 < 2 && task_state(w.tid) != '?')
		usleep(10000);
	EXPECT_EQ('?', task_state(w.tid)) TH_LOG("the writer did not return on a signal");

	/* rmmod must not wait for the stalled reader: it is refused at once. */
	rm = fork();
	if (rm == 0)
		_exit(ptwalk_unload() ? 0 : 1);
	t0 = ptwalk_now();
	while (ptwalk_now() - t0 < 3) {
		if (waitpid(rm, &status, WNOHANG) == rm) {
			rm_done = true;
			break;
		}
		usleep(10000);
	}
	EXPECT_TRUE(rm_done) TH_LOG("rmmod waited for the stalled reader");
	if (rm_done)
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("rmmod succeeded under a stalled read");

	/* Let the read go on. */
	zp.range.start = (unsigned long)r.buf;
	zp.range.len = 2 * PAGE;
	ioctl(uffd, UFFDIO_ZEROPAGE, &zp);
	pthread_join(rt, NULL);
	pthread_join(wt, NULL);
	if (!rm_done)
		waitpid(rm, &status, 0);
	EXPECT_LT(0, r.got) TH_LOG("the stalled read: %s", strerror(r.err));
	close(r.fd);
	close(uffd);
	/* A module the old code let rmmod remove: put it back for the others. */
	if (!ptwalk_loaded())
		ASSERT_EQ(0, ptwalk_load(""));
}

/* ---- item 1: what an unprivileged hoarder costs, and who pays ----------- */

static long meminfo_kb(const char *key)
{
	char buf[8192], *p;

	if (!ptwalk_read_file("/proc/meminfo", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key) + 1, NULL, 10) : -1;
}

static long unreclaimable_kb(void)
{
	return meminfo_kb("SUnreclaim:") + meminfo_kb("VmallocUsed:");
}

#define CG	"/sys/fs/cgroup"
#define HOARD	CG "/ptwalk-hoard"

static const char *cgroup_setup(const char *max)
{
	char buf[256];

	if (access(CG "/cgroup.controllers", F_OK) &&
	    mount("cgroup2", CG, "cgroup2", 0, NULL))
		return "cannot mount cgroup2";
	if (!ptwalk_read_file(CG "/cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		return "no memory controller";
	ptwalk_write_file(CG "/cgroup.subtree_control", "+memory");
	rmdir(HOARD);
	if (mkdir(HOARD, 0755) && errno != EEXIST)
		return "mkdir " HOARD;
	if (!ptwalk_write_file(HOARD "/memory.max", max))
		return "memory.max";
	ptwalk_write_file(HOARD "/memory.swap.max", "0");
	return NULL;
}

/*
 * A child in @cgroup (or none) that, as nobody, keeps up to @n answers of
 * /proc/ptwalk open, each read one byte into; it reports each one kept on
 * @report and pauses once it can keep no more.
 */
static pid_t spawn_hoarder(const char *cgroup, long n, int report)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit rl = { n + 64, n + 64 };
		char c;
		long i;

		if (cgroup) {
			char me[32];

			snprintf(me, sizeof(me), "%d", getpid());
			if (!ptwalk_write_file(cgroup, me))
				_exit(2);
		}
		if (setrlimit(RLIMIT_NOFILE, &rl) || !ptwalk_drop_to_nobody())
			_exit(3);
		for (i = 0; i < n; i++) {
			int fd = query_fd("/proc/ptwalk", "pid=self");

			if (fd < 0 || read(fd, &c, 1) != 1)
				break;
			if (write(report, "+", 1) != 1)
				_exit(4);
		}
		if (write(report, ".", 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	return pid;
}

/* Count the hoarder's reports until it is done or dies; the peak rise of
 * unreclaimable kernel memory meanwhile in @peak_kb. */
static long hoard(int report, pid_t pid, long base_kb, long *peak_kb)
{
	long kept = 0;
	char c;

	*peak_kb = 0;
	for (;;) {
		struct pollfd pfd = { .fd = report, .events = POLLIN };
		long rise = unreclaimable_kb() - base_kb;

		if (rise > *peak_kb)
			*peak_kb = rise;
		if (poll(&pfd, 1, 100) <= 0) {
			if (waitpid(pid, NULL, WNOHANG) == pid)
				return kept;
			continue;
		}
		if (read(report, &c, 1) != 1 || c == '.')
			return kept;
		kept++;
	}
}

TEST_F_TIMEOUT(trust, hoarder_pays_for_its_answers, 600)
{
	long n = ptwalk_env_long("PTWALK_HOARD_N", 100000), base, peak, kept, limit_kb = 64 << 10;
	const char *why = cgroup_setup("64M");
	char buf[256], cur[64] = "";
	bool refused;
	int pipefd[2];
	pid_t pid;

	if (why)
		SKIP(return, "memory cgroup: %s", why);
	ASSERT_EQ(0, pipe(pipefd));
	base = unreclaimable_kb();
	pid = spawn_hoarder(HOARD "/cgroup.procs", n, pipefd[1]);
	ASSERT_LT(0, pid);
	kept = hoard(pipefd[0], pid, base, &peak);
	ptwalk_read_file(HOARD "/memory.events", buf, sizeof(buf));
	ptwalk_read_file(HOARD "/memory.peak", cur, sizeof(cur));
	TH_LOG("nobody in a 64M cgroup kept %ld of %ld answers; unreclaimable kernel memory rose %ld kB at most; memory.peak %s",
	       kept, n, peak, cur);
	TH_LOG("memory.events: %s", buf);
	/* The cgroup's limit, not the host, stopped it: refused or OOM-killed there. */
	refused = kept < n || !strstr(buf, "\nmax 0\n");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_TRUE(refused) TH_LOG("the hoarder was never refused: is it charged?");
	/* Charged to the cgroup: the host pays no more than its limit (plus slab slack). */
	EXPECT_GE(limit_kb + (16 << 10), peak);
	EXPECT_LT(0, kept);
	rmdir(HOARD);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_F_TIMEOUT(trust, idle_answer_cost, 300)
{
	const long n = 2000;
	long base, peak, kept, idle0, idle, files0, files;
	char *s;
	int pipefd[2];
	pid_t pid;

	s = ptwalk_status("idle_bytes");
	ASSERT_NE(NULL, s) TH_LOG("status has no idle_bytes");
	idle0 = strtol(s, NULL, 10);
	free(s);
	s = ptwalk_status("open_files");
	ASSERT_NE(NULL, s);
	files0 = strtol(s, NULL, 10);
	free(s);
	ASSERT_EQ(0, pipe(pipefd));
	base = unreclaimable_kb();
	pid = spawn_hoarder(NULL, n, pipefd[1]);
	ASSERT_LT(0, pid);
	kept = hoard(pipefd[0], pid, base, &peak);
	ASSERT_EQ(n, kept);
	s = ptwalk_status("idle_bytes");
	idle = strtol(s, NULL, 10) - idle0;
	free(s);
	s = ptwalk_status("open_files");
	files = strtol(s, NULL, 10) - files0;
	free(s);
	TH_LOG("%ld partly read answers: %ld bytes held by the module, %ld per answer; kernel memory rose %ld kB (%ld bytes per answer, struct file included)",
	       n, idle, idle / n, peak, peak * 1024 / n);
	EXPECT_EQ(n, files);
	/* About 1 KiB: the file's state, the cursor, and less than one unit. */
	EXPECT_GE(1024, idle / n);
	EXPECT_GE(4096, peak * 1024 / n);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_HARNESS_MAIN
