// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_summary_test - format=summary (include/ptwalk.h): the module's
 * per-VMA counts against the same counts made from the format=binary
 * answer of the same idle process, with both walkers, as root and in the
 * unprivileged view; the answer's shape (two records a VMA, after the
 * VMA's records, END's entries their sum); and the queries it refuses.
 *
 * The process counted is an idle child of a parent that made every state
 * a summary counts: dense 4K anonymous pages, THP, zero pages, pages
 * swapped out (with zram; in one region soft-dirty on one in three), a
 * file mapping, and CoW after the fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ptwalk_util.h"

#define PROC_WALK	"/proc/ptwalk"
#define MAXV		512
#define MB		(1UL << 20)

struct sums {
	uint64_t start;
	uint64_t c[8];		/* present swapped thp hugetlb zero ksm cow sd */
	uint64_t entries;
	uint64_t node[PTWALK_SUM_NODES + 1];
};

static const char *const names[8] = {
	"present", "swapped", "thp", "hugetlb", "zero", "ksm", "cow", "soft_dirty",
};

/*
 * The region swapped out with soft-dirty on one page in three (0: none)
 * and, while the root test runs, the child holding it (0: none).
 */
static unsigned long sd_start;
static pid_t pm_pid;

/*
 * That region's VMA against pagemap itself: an error the binary and the
 * summary paths share (both take the next swap slot without a record)
 * would still agree between them.  Return: NULL, or what differs.
 */
static const char *check_sd_region(const struct sums *b, size_t nb, char *why, size_t wlen)
{
	uint64_t swapped = 0, sd = 0, pm;
	size_t i;

	for (i = 0; i < 1024; i++) {
		pm = pagemap_entry(pm_pid, sd_start + i * 4096);
		swapped += !!(pm & PTWALK_PM_SWAP);
		sd += (pm & (PTWALK_PM_SWAP | PTWALK_PM_PRESENT)) && (pm & PTWALK_PM_SOFT_DIRTY);
	}
	for (i = 0; i < nb; i++) {
		if (b[i].start != sd_start)
			continue;
		/* Would catch: a run summed past a change of soft-dirty. */
		if (b[i].c[1] != swapped || b[i].c[7] != sd)
			return snprintf(why, wlen, "VMA 0x%lx: swapped %llu soft-dirty %llu, pagemap %llu and %llu",
					sd_start, (unsigned long long)b[i].c[1],
					(unsigned long long)b[i].c[7], (unsigned long long)swapped,
					(unsigned long long)sd), why;
		if (PTWALK_TEST_ARCH != PTWALK_ARCH_ARM64 && (sd < 100 || sd > 900))
			return snprintf(why, wlen, "pagemap: %llu of 1024 soft-dirty, not one in three",
					(unsigned long long)sd), why;
		return NULL;
	}
	return snprintf(why, wlen, "no VMA at 0x%lx", sd_start), why;
}

/* The counts "ptwalk summary" makes of a binary answer (libptwalk's count_one()). */
static const char *from_binary(const char *buf, size_t len, struct sums *v, size_t *nv,
			       char *why, size_t wlen)
{
	struct ptwalk_stream s;
	size_t i;

	if (ptwalk_parse(buf, len, &s, why, wlen))
		return why;
	if (s.nvma > MAXV) {
		ptwalk_stream_free(&s);
		snprintf(why, wlen, "%zu VMAs", s.nvma);
		return why;
	}
	memset(v, 0, s.nvma * sizeof(*v));
	for (i = 0; i < s.nvma; i++)
		v[i].start = s.vma[i].start;
	for (i = 0; i < s.n; i++) {
		const struct ptwalk_rec *r = &s.e[i];
		struct sums *k;
		uint64_t n = 1ULL << (r->shift - 12);
		uint32_t f;

		if (s.vma_of[i] == (size_t)-1)
			continue;
		k = &v[s.vma_of[i]];
		f = s.vma[s.vma_of[i]].flags;
		if (r->kind == PTWALK_K_PRESENT) {
			k->c[0] += n;
			k->node[r->node >= 0 && r->node < PTWALK_SUM_NODES ?
				r->node : PTWALK_SUM_NODES] += n;
		}
		k->c[1] += r->kind == PTWALK_K_SWAP ? n : 0;
		k->c[2] += r->page & PTWALK_P_THP ? n : 0;
		k->c[3] += r->page & PTWALK_P_HUGETLB ? n : 0;
		k->c[4] += r->page & (PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO) ? n : 0;
		k->c[5] += r->page & PTWALK_P_KSM ? n : 0;
		k->c[6] += r->cow == PTWALK_COW_COPY || r->cow == PTWALK_COW_REUSE ? n : 0;
		if ((f & PTWALK_VMA_SOFTDIRTY) ||
		    (!(f & (PTWALK_VMA_PFNMAP | PTWALK_VMA_HUGETLB)) &&
		     !(r->page & PTWALK_P_HUGETLB) && (r->bits & PTWALK_B_SOFT_DIRTY)))
			k->c[7] += n;
		k->entries++;
	}
	*nv = s.nvma;
	ptwalk_stream_free(&s);
	return NULL;
}

/* A summary answer, read strictly: VMA [NAME...] SUMMARY SUMMARY2, ..., END. */
static const char *from_summary(const char *buf, size_t len, struct sums *v, size_t *nv,
				struct ptwalk_hdr *hdr, char *why, size_t wlen)
{
	uint64_t entries = 0;
	unsigned int prev = 0;
	size_t off, n = 0;
	bool ended = false;

	if (len < sizeof(*hdr))
		return snprintf(why, wlen, "short answer"), why;
	memcpy(hdr, buf, sizeof(*hdr));
	if (!(hdr->flags & PTWALK_H_SUMMARY) || hdr->rec_size != PTWALK_REC_SIZE)
		return snprintf(why, wlen, "header flags 0x%x", hdr->flags), why;
	for (off = hdr->hdr_size; off + PTWALK_REC_SIZE <= len; off += PTWALK_REC_SIZE) {
		union ptwalk_record r;
		unsigned int t;

		memcpy(&r, buf + off, sizeof(r));
		t = r.type.type;
		if (ended)
			return snprintf(why, wlen, "record after END"), why;
		if ((prev == PTWALK_REC_SUMMARY) != (t == PTWALK_REC_SUMMARY2))
			return snprintf(why, wlen, "type %u after %u at %zu", t, prev, off), why;
		switch (t) {
		case PTWALK_REC_VMA:
			if (n && prev != PTWALK_REC_SUMMARY2)
				return snprintf(why, wlen, "VMA %zu without a summary", n), why;
			if (n == MAXV)
				return snprintf(why, wlen, "too many VMAs"), why;
			memset(&v[n], 0, sizeof(v[n]));
			v[n++].start = r.vma.start;
			break;
		case PTWALK_REC_NAME:
			if (prev != PTWALK_REC_VMA && prev != PTWALK_REC_NAME)
				return snprintf(why, wlen, "NAME after type %u", prev), why;
			break;
		case PTWALK_REC_SUMMARY:
			if (prev != PTWALK_REC_VMA && prev != PTWALK_REC_NAME)
				return snprintf(why, wlen, "SUMMARY after type %u", prev), why;
			v[n - 1].c[0] = r.summary.present;
			v[n - 1].c[1] = r.summary.swapped;
			v[n - 1].c[2] = r.summary.thp;
			v[n - 1].c[3] = r.summary.hugetlb;
			v[n - 1].c[4] = r.summary.zero;
			v[n - 1].c[5] = r.summary.ksm;
			v[n - 1].c[6] = r.summary.cow;
			break;
		case PTWALK_REC_SUMMARY2:
			v[n - 1].c[7] = r.summary2.soft_dirty;
			v[n - 1].entries = r.summary2.entries;
			memcpy(v[n - 1].node, r.summary2.node, sizeof(r.summary2.node));
			v[n - 1].node[PTWALK_SUM_NODES] = r.summary2.node_other;
			entries += r.summary2.entries;
			break;
		case PTWALK_REC_END:
			if (n && prev != PTWALK_REC_SUMMARY2)
				return snprintf(why, wlen, "last VMA without a summary"), why;
			if (r.end.entries != entries || r.end.vmas != n ||
			    r.end.status != PTWALK_END_COMPLETE)
				return snprintf(why, wlen, "END: %llu entries %llu VMAs status %u, "
						"summed %llu and %zu",
						(unsigned long long)r.end.entries,
						(unsigned long long)r.end.vmas, r.end.status,
						(unsigned long long)entries, n), why;
			ended = true;
			break;
		default:
			return snprintf(why, wlen, "record type %u in a summary", t), why;
		}
		prev = t;
	}
	if (!ended)
		return snprintf(why, wlen, "no END"), why;
	*nv = n;
	return NULL;
}

/* Both answers for @query ("pid=N start=... walker=..."): the same counts? */
static const char *compare(const char *path, const char *query, bool hidden, char *why,
			   size_t wlen)
{
	static struct sums a[MAXV], b[MAXV];
	struct ptwalk_hdr hdr;
	char q[256];
	size_t na = 0, nb = 0, la, lb, i;
	char *bin, *sum;
	int j;

	snprintf(q, sizeof(q), "%s format=binary", query);
	bin = ptwalk_query(path, q, &la);
	snprintf(q, sizeof(q), "%s format=summary", query);
	sum = ptwalk_query(path, q, &lb);
	if (!bin || !sum) {
		snprintf(why, wlen, "query %s: %s", q, strerror(errno));
		goto out;
	}
	if (from_binary(bin, la, a, &na, why, wlen) ||
	    from_summary(sum, lb, b, &nb, &hdr, why, wlen))
		goto out;
	if (!!(hdr.flags & PTWALK_H_PHYS_HIDDEN) != hidden) {
		snprintf(why, wlen, "view: header flags 0x%x", hdr.flags);
		goto out;
	}
	if (na != nb) {
		snprintf(why, wlen, "%zu VMAs from binary, %zu from summary", na, nb);
		goto out;
	}
	/* Bounded: a summary is the VMAs' records and two more each. */
	if (lb > sizeof(hdr) + (nb * 8 + 1) * PTWALK_REC_SIZE) {
		snprintf(why, wlen, "summary of %zu VMAs is %zu bytes", nb, lb);
		goto out;
	}
	for (i = 0; i < na; i++) {
		if (a[i].start != b[i].start || a[i].entries != b[i].entries ||
		    memcmp(a[i].node, b[i].node, sizeof(a[i].node))) {
			snprintf(why, wlen, "VMA 0x%llx: start, entries (%llu, %llu) or nodes differ",
				 (unsigned long long)a[i].start, (unsigned long long)a[i].entries,
				 (unsigned long long)b[i].entries);
			goto out;
		}
		for (j = 0; j < 8; j++)
			if (a[i].c[j] != b[i].c[j]) {
				snprintf(why, wlen, "VMA 0x%llx: %s %llu from binary, %llu summed",
					 (unsigned long long)a[i].start, names[j],
					 (unsigned long long)a[i].c[j],
					 (unsigned long long)b[i].c[j]);
				goto out;
			}
		if (hidden && b[i].c[5]) {
			snprintf(why, wlen, "hidden view counts KSM");
			goto out;
		}
	}
	if (!hidden && pm_pid && sd_start && check_sd_region(b, nb, why, wlen))
		goto out;
	why = NULL;
out:
	free(bin);
	free(sum);
	return why;
}

/* Every state a summary counts, in this process. */
static void make_states(void)
{
	size_t i;
	char *p;
	FILE *f;

	p = mmap(NULL, 8 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(p, 8 * MB, MADV_NOHUGEPAGE);
	for (i = 0; i < 8 * MB; i += 4096)
		p[i] = 1;
	p = mmap(NULL, 8 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p = (char *)(((unsigned long)p + 2 * MB - 1) & ~(2 * MB - 1));
	madvise(p, 4 * MB, MADV_HUGEPAGE);
	memset(p, 2, 4 * MB);
	p = mmap(NULL, 2 * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(p, 2 * MB, MADV_NOHUGEPAGE);
	for (i = 0; i < 2 * MB; i += 4096)
		(void)*(volatile char *)(p + i);	/* the zero page */
	p = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(p, 4 * MB, MADV_NOHUGEPAGE);
	for (i = 0; i < 4 * MB; i += 4096)
		p[i] = 3;
	if (!ptwalk_swap_setup())
		madvise(p, 4 * MB, 21 /* MADV_PAGEOUT */);
	/*
	 * Swapped out in one go after soft-dirty was cleared and every third
	 * page written again: slot after slot, soft-dirty on one in three.
	 * The module sums the next slot of a run without building its
	 * record (ptwalk_sum_swap_next()); the binary answer has each bit.
	 */
	p = mmap(NULL, 4 * MB + 2 * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Guard pages: a VMA of its own, which compare() finds by address. */
	mprotect(p, 4096, PROT_NONE);
	mprotect(p + 4096 + 4 * MB, 4096, PROT_NONE);
	p += 4096;
	madvise(p, 4 * MB, MADV_NOHUGEPAGE);
	for (i = 0; i < 4 * MB; i += 4096)
		p[i] = 4;
	f = fopen("/proc/self/clear_refs", "w");
	if (f) {
		fputs("4", f);
		fclose(f);
	}
	for (i = 0; i < 4 * MB; i += 3 * 4096)
		p[i] = 5;
	if (!ptwalk_swap_setup() && !madvise(p, 4 * MB, 21 /* MADV_PAGEOUT */))
		sd_start = (unsigned long)p;
	f = fopen("/proc/self/exe", "r");
	if (f) {
		p = mmap(NULL, 64 * 1024, PROT_READ, MAP_PRIVATE, fileno(f), 0);
		if (p != MAP_FAILED)
			for (i = 0; i < 64 * 1024; i += 4096)
				(void)*(volatile char *)(p + i);
		fclose(f);
	}
}

/* An idle child holding every state (CoW with its parent). */
static pid_t idle_child(void)
{
	pid_t pid;

	make_states();
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	usleep(200000);
	return pid;
}

/* A few tries: a page the kernel changes between the two answers is no fault. */
static const char *compare_retry(const char *path, const char *query, bool hidden,
				 char *why, size_t wlen)
{
	const char *w = NULL;
	int i;

	for (i = 0; i < 4; i++) {
		w = compare(path, query, hidden, why, wlen);
		if (!w)
			return NULL;
		usleep(100000);
	}
	return w;
}

TEST(summary_equals_binary_counts_root)
{
	const char *walkers[] = { "kernel", "builtin" };
	char q[128], why[512];
	pid_t pid = idle_child();
	int w;

	ASSERT_LT(0, pid);
	pm_pid = pid;
	for (w = 0; w < 2; w++) {
		const char *bad;

		snprintf(q, sizeof(q), "pid=%d walker=%s", (int)pid, walkers[w]);
		bad = compare_retry(PTWALK_WALK, q, false, why, sizeof(why));
		EXPECT_EQ(NULL, bad) TH_LOG("%s: %s", walkers[w], bad);
	}
	pm_pid = 0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * The unprivileged view, /proc/ptwalk on the caller's own process: the
 * counts of its hidden entries, KSM never.  Each region alone (start/end),
 * so the answers' own buffers, mapped while they are read, stay out.
 */
TEST(summary_equals_binary_counts_unprivileged)
{
	pid_t pid;
	int st;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char q[160], why[512], line[256];
		const char *bad;
		FILE *m;
		int fails = 0, regions = 0;

		make_states();
		if (!ptwalk_drop_to_nobody())
			_exit(3);
		m = fopen("/proc/self/maps", "r");
		if (!m)
			_exit(4);
		while (fgets(line, sizeof(line), m) && regions < 64) {
			unsigned long lo, hi;

			if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || strstr(line, "[heap]") || strstr(line, "[vsyscall]") ||
			    hi - lo > 64 * MB)
				continue;
			snprintf(q, sizeof(q), "pid=self start=0x%lx end=0x%lx", lo, hi);
			bad = compare_retry(PROC_WALK, q, true, why, sizeof(why));
			if (bad) {
				fprintf(stderr, "# %s: %s\n", q, bad);
				fails++;
			}
			regions++;
		}
		fclose(m);
		_exit(fails ? 1 : regions ? 0 : 5);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
}

/* Only walks: not one address, who maps, or the kernel's tables. */
TEST(summary_refused_where_it_means_nothing)
{
	static const char *const bad[] = {
		"pid=self addr=0x1000 format=summary",
		"pfn=0x1000 format=summary",
		"kernel=1 format=summary",
		"format=summery",
	};
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *a = ptwalk_query(PTWALK_WALK, bad[i], &len);

		EXPECT_EQ(NULL, a) TH_LOG("%s accepted", bad[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("%s", bad[i]);
		free(a);
	}
}

/* The summary answer to @q read in reads of @chunk bytes; malloc'd. */
static char *read_sized(const char *q, size_t chunk, size_t *lenp)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	ssize_t n = 0;
	int fd = open(PTWALK_WALK, O_RDWR | O_CLOEXEC);

	if (!buf || fd < 0 || write(fd, q, strlen(q)) != (ssize_t)strlen(q))
		goto fail;
	while (len + chunk <= cap && (n = read(fd, buf + len, chunk)) > 0)
		len += n;
	if (n != 0)
		goto fail;
	close(fd);
	*lenp = len;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/*
 * Catches: a read smaller than one VMA's unit (VMA, NAME, SUMMARY,
 * SUMMARY2) that spins or loses a record, or an answer that depends on the
 * read size.  The child is idle; a size whose answer differs is read again
 * (NUMA balancing may move a page between two reads), at most 3 times.
 */
TEST(summary_same_at_every_read_size)
{
	static const size_t sizes[] = { 1, 7, 63, 64, 100, 333, 4096, 65536 };
	pid_t pid = idle_child();
	char q[128];

	ASSERT_LT(0, pid);
	snprintf(q, sizeof(q), "pid=%d format=summary", (int)pid);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		bool same = false;

		for (int tries = 0; tries < 3 && !same; tries++) {
			size_t la = 0, lb = 0;
			char *a = read_sized(q, 65536, &la), *b = read_sized(q, sizes[i], &lb);

			ASSERT_NE(NULL, a);
			ASSERT_NE(NULL, b) TH_LOG("reads of %zu: %s", sizes[i], strerror(errno));
			same = la == lb && !memcmp(a, b, la);
			free(a);
			free(b);
		}
		EXPECT_TRUE(same) TH_LOG("reads of %zu bytes give another answer", sizes[i]);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST_HARNESS_MAIN
