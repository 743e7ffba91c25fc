// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_procfs_test - the unprivileged view: /proc/ptwalk shows a user
 * their own address space with physical addresses hidden, and nothing else.
 *
 * Each test drops to uid/gid 65534 (nobody) inside the harness's per-test
 * child, so root privileges never leak between tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ptwalk_util.h"
#include "ptwalk.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

static void drop_to_nobody(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setresgid(65534, 65534, 65534));
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));
	ASSERT_NE((uid_t)0, geteuid());
	/* Changing uid made us undumpable: /proc/self/pagemap would refuse us. */
	ASSERT_EQ(0, prctl(PR_SET_DUMPABLE, 1));
}

TEST(self_visible_pfn_hidden)
{
	char line[512], *out;
	volatile char *p;
	uint64_t pfn = 1;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)p);
	p[0] = 1;
	drop_to_nobody(_metadata);

	{
		char q[96];

		snprintf(q, sizeof(q), "pid=self addr=%p", (void *)p);
		out = ptwalk_query("/proc/ptwalk", q, NULL);
	}
	ASSERT_NE(NULL, out) TH_LOG("query failed: %s", strerror(errno));
	EXPECT_NE(NULL, strstr(out, "phys=hidden"));
	ASSERT_NE(NULL, ptwalk_find_entry(out, (unsigned long)p, line, sizeof(line)))
		TH_LOG("no entry for %p in:\n%s", (void *)p, out);
	EXPECT_TRUE(ptwalk_field_has(line, "kind", "present"));
	ASSERT_TRUE(ptwalk_field_u64(line, "pfn", &pfn));
	EXPECT_EQ((uint64_t)0, pfn);
	/* Table addresses of the translation are hidden too. */
	EXPECT_EQ(NULL, strstr(out, "table=0x1")) TH_LOG("%s", out);
	free(out);
}

TEST(other_process_refused)
{
	char *out;

	drop_to_nobody(_metadata);
	out = ptwalk_query("/proc/ptwalk", "pid=1", NULL);
	EXPECT_EQ(NULL, out);
	EXPECT_EQ(EPERM, errno);
	free(out);
}

TEST(debugfs_refused)
{
	drop_to_nobody(_metadata);
	EXPECT_EQ(-1, open(PTWALK_WALK, O_RDWR));
	EXPECT_TRUE(errno == EACCES || errno == EPERM);
}

/* The reason for a refused query is readable from the same open file. */
TEST(reason_after_refusal)
{
	char buf[256] = "";
	ssize_t n;
	int fd;

	drop_to_nobody(_metadata);
	fd = open("/proc/ptwalk", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, "pid=1", 5));
	EXPECT_EQ(EPERM, errno);
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_EQ(0, strncmp(buf, "error: ", 7)) TH_LOG("%s", buf);
	close(fd);
}

/*
 * The unprivileged view, field by field (README, "Access model"): entry
 * bits, sizes, kinds, node and the CoW verdict of the caller's own
 * mappings; counts only for anonymous pages mapped exactly once; never
 * PFNs, LRU or page-cache state, or counts of pages others may use.
 */
TEST(fields_follow_pagemap_rules)
{
	char q[128], line[512], *out, *libc = NULL, buf[8192];
	char *own, *shared, c;
	int ready[2];
	unsigned long a;
	pid_t child;
	FILE *maps;

	own = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, own);
	ASSERT_NE(MAP_FAILED, shared);
	own[0] = 1;
	shared[0] = 1;
	ASSERT_EQ(0, pipe(ready));
	child = fork();			/* shares @shared (and @own) with us */
	if (child == 0) {
		/* Nobody too, so that nobody can kill it below; dies with us. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (!ptwalk_drop_to_nobody() || write(ready[1], "", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_LT(0, child);
	/* Not before it is nobody: a kill of a root child would fail. */
	ASSERT_EQ(1, read(ready[0], &c, 1));
	own[0] = 2;			/* our own copy again: mapped once */
	/* A page of libc's text: a page-cache page other processes map. */
	maps = fopen("/proc/self/maps", "re");
	ASSERT_NE(NULL, maps);
	while (fgets(buf, sizeof(buf), maps))
		if (strstr(buf, "libc.so") && strstr(buf, "r-xp")) {
			libc = (char *)strtoul(buf, NULL, 16);
			break;
		}
	fclose(maps);
	ASSERT_NE(NULL, libc);
	drop_to_nobody(_metadata);

	snprintf(q, sizeof(q), "pid=self addr=%p", (void *)own);
	out = ptwalk_query("/proc/ptwalk", q, NULL);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, ptwalk_find_entry(out, (unsigned long)own, line, sizeof(line))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(line, " map=1 ")) TH_LOG("own anon page: %s", line);
	EXPECT_NE(NULL, strstr(line, " ref=")) TH_LOG("%s", line);
	EXPECT_EQ(NULL, strstr(line, " pg=")) TH_LOG("LRU state shown: %s", line);
	free(out);

	for (a = (unsigned long)shared; a; a = a == (unsigned long)shared ? (unsigned long)libc : 0) {
		snprintf(q, sizeof(q), "pid=self addr=0x%lx", a);
		out = ptwalk_query("/proc/ptwalk", q, NULL);
		ASSERT_NE(NULL, out);
		ASSERT_NE(NULL, ptwalk_find_entry(out, a, line, sizeof(line))) TH_LOG("%s", out);
		EXPECT_TRUE(ptwalk_field_has(line, "page", "hidden")) TH_LOG("%s", line);
		EXPECT_EQ(NULL, strstr(line, " map=")) TH_LOG("%s", line);
		EXPECT_EQ(NULL, strstr(line, " ref=")) TH_LOG("%s", line);
		EXPECT_EQ(NULL, strstr(line, " pg=")) TH_LOG("%s", line);
		EXPECT_EQ(NULL, strstr(line, " sub=")) TH_LOG("%s", line);
		EXPECT_FALSE(ptwalk_field_has(line, "page", "ksm")) TH_LOG("%s", line);
		EXPECT_NE(NULL, strstr(line, " cow=")) TH_LOG("%s", line);
		free(out);
	}
	EXPECT_EQ(0, kill(child, SIGKILL));
	waitpid(child, NULL, 0);
}

/* The raw fields the unprivileged view clears, per architecture (ptwalk.h). */
#ifdef __aarch64__
#define RAW_PFN_MASK	PTWALK_ARM64_RAW_PFN_MASK
#define RAW_SWP_FLAGS	PTWALK_ARM64_RAW_SWP_FLAGS
#define ARCH_NAME	" arch=arm64"
#else
#define RAW_PFN_MASK	PTWALK_RAW_PFN_MASK
#define RAW_SWP_FLAGS	PTWALK_RAW_SWP_FLAGS
#define ARCH_NAME	" arch=x86_64"
#endif

/* Every record of a whole unprivileged binary answer obeys the same rules. */
TEST(binary_answer_hides_what_pagemap_hides)
{
	const struct ptwalk_hdr *h;
	size_t len, off, entries = 0, hidden = 0;
	char *out;

	drop_to_nobody(_metadata);
	out = ptwalk_query("/proc/ptwalk", "pid=self format=binary", &len);
	ASSERT_NE(NULL, out);
	ASSERT_LE(sizeof(*h), len);
	h = (const void *)out;
	EXPECT_TRUE(!!(h->flags & PTWALK_H_PHYS_HIDDEN));
	for (off = h->hdr_size; off + h->rec_size <= len; off += h->rec_size) {
		const union ptwalk_record *u = (const void *)(out + off);
		const struct ptwalk_rec *r = &u->entry;
		bool present = r->kind == PTWALK_K_PRESENT;

		if (u->type.type == PTWALK_REC_MORE) {
			for (int i = 0; i < u->more.count; i++)
				EXPECT_EQ(0ULL, u->more.pfn[i]);
			continue;
		}
		if (u->type.type == PTWALK_REC_LEVEL) {
			const struct ptwalk_lvl *l = &u->level;

			present = l->kind == PTWALK_K_PRESENT || l->kind == PTWALK_K_TABLE;
			EXPECT_EQ(0ULL, l->table_pfn);
			EXPECT_EQ(0ULL, l->raw & (present ? RAW_PFN_MASK : ~RAW_SWP_FLAGS));
			continue;
		}
		if (u->type.type != PTWALK_REC_ENTRY)
			continue;
		EXPECT_EQ(0ULL, r->pfn) TH_LOG("0x%llx", (unsigned long long)r->vaddr);
		EXPECT_EQ(0ULL, r->swap_offset);
		EXPECT_EQ(0, (int)r->swap_type);
		EXPECT_EQ(0ULL, r->raw & (present ? RAW_PFN_MASK : ~RAW_SWP_FLAGS))
			TH_LOG("raw 0x%llx", (unsigned long long)r->raw);
		if (r->kind != PTWALK_K_PRESENT)
			continue;
		entries++;
		EXPECT_EQ(0U, r->page & (0xffU << 9)) TH_LOG("pg= bits 0x%x", r->page);
		EXPECT_EQ(0U, r->page & PTWALK_P_KSM);
		if (r->page & (PTWALK_P_NOPAGE | PTWALK_P_ZERO))
			continue;
		if ((r->page & PTWALK_P_ANON) && !(r->page & PTWALK_P_SHMEM) &&
		    r->mapcount == 1) {
			EXPECT_FALSE(!!(r->page & PTWALK_P_HIDDEN));
			continue;
		}
		hidden++;
		EXPECT_TRUE(!!(r->page & PTWALK_P_HIDDEN))
			TH_LOG("0x%llx page 0x%x map=%d", (unsigned long long)r->vaddr,
			       r->page, r->mapcount);
		EXPECT_EQ(0, r->mapcount);
		EXPECT_EQ(0, r->refcount);
		EXPECT_EQ(0U, r->subpage);
	}
	TH_LOG("%zu present entries, %zu with their counts hidden", entries, hidden);
	EXPECT_LT(0U, hidden);
	free(out);
}

/*
 * A single address in binary: one VMA record in ptwalk's own flags, one
 * LEVEL record per level with the index the address selects (the same as
 * the text's index=), the table hidden; the header names the architecture.
 * Would catch: LEVEL index or VMA fields at another kind's offsets, the
 * kernel's vm_flags passed through, a table address shown to nobody.
 */
TEST(binary_single_address_levels_and_vma)
{
	static const int shift[] = { 12, 21, 30, 39, 48 };
	static const int order4[] = { PTWALK_LVL_PGD, PTWALK_LVL_PUD,
				      PTWALK_LVL_PMD, PTWALK_LVL_PTE };
	static const int order5[] = { PTWALK_LVL_PGD, PTWALK_LVL_P4D, PTWALK_LVL_PUD,
				      PTWALK_LVL_PMD, PTWALK_LVL_PTE };
	const struct ptwalk_hdr *h;
	const struct ptwalk_vma *vma = NULL;
	char q[96], *out, *text, *l;
	const int *order;
	int levels = 0, nlevels;
	unsigned long a;
	size_t len, off;
	char *p;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	a = (unsigned long)p;
	drop_to_nobody(_metadata);
	snprintf(q, sizeof(q), "pid=self addr=%p format=binary", (void *)p);
	out = ptwalk_query("/proc/ptwalk", q, &len);
	ASSERT_NE(NULL, out);
	snprintf(q, sizeof(q), "pid=self addr=%p", (void *)p);
	text = ptwalk_query("/proc/ptwalk", q, NULL);
	ASSERT_NE(NULL, text);
	l = strchr(text, '\n');
	ASSERT_NE(NULL, l);
	*l = '\0';
	EXPECT_EQ(0, strcmp(l - strlen(ARCH_NAME), ARCH_NAME)) TH_LOG("%s", text);
	*l = '\n';
	ASSERT_LE(sizeof(*h), len);
	h = (const void *)out;
	EXPECT_EQ(PTWALK_TEST_ARCH, (int)h->arch);
	ASSERT_EQ(PTWALK_REC_SIZE, (int)h->rec_size);
	nlevels = h->flags & PTWALK_H_LA57 ? 5 : 4;
	order = nlevels == 5 ? order5 : order4;
	for (off = h->hdr_size; off + h->rec_size <= len; off += h->rec_size) {
		const union ptwalk_record *u = (const void *)(out + off);
		const struct ptwalk_lvl *lv = &u->level;
		int sh;
		char want[64];

		if (u->type.type == PTWALK_REC_VMA)
			vma = &u->vma;
		if (u->type.type != PTWALK_REC_LEVEL)
			continue;
		ASSERT_GT(nlevels, levels);
		EXPECT_EQ(order[levels], (int)lv->level);
		EXPECT_EQ(a, lv->vaddr);
		/* With 4 levels the pgd indexes bits 39-47, as a p4d would. */
		sh = lv->level == PTWALK_LVL_PGD && nlevels == 4 ? 39 : shift[lv->level];
		EXPECT_EQ((a >> sh) & 511, (unsigned long)lv->index)
			TH_LOG("level %d", lv->level);
		EXPECT_EQ(0ULL, lv->table_pfn);
		EXPECT_EQ(lv->level == PTWALK_LVL_PTE ? PTWALK_K_PRESENT : PTWALK_K_TABLE,
			  (int)lv->kind);
		snprintf(want, sizeof(want), "index=%u raw=", lv->index);
		EXPECT_NE(NULL, strstr(text, want)) TH_LOG("no %s in\n%s", want, text);
		levels++;
	}
	EXPECT_EQ(nlevels, levels);
	ASSERT_NE(NULL, vma);
	EXPECT_LE(vma->start, a);
	EXPECT_LT(a, vma->end);
	/* An anonymous VMA's page offset is its start's page number. */
	EXPECT_EQ(vma->start >> 12, vma->pgoff);
	EXPECT_EQ(PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_ANON,
		  vma->flags & (PTWALK_VMA_READ | PTWALK_VMA_WRITE | PTWALK_VMA_EXEC |
				PTWALK_VMA_SHARED | PTWALK_VMA_ANON | PTWALK_VMA_FILE))
		TH_LOG("flags 0x%x", vma->flags);
	free(text);
	free(out);
}

/* A swapped page's entry: no bit of the type or the offset survives. */
TEST(swap_entry_keeps_only_flag_bits)
{
	const char *why = ptwalk_swap_setup();
	const struct ptwalk_hdr *h;
	const struct ptwalk_rec *found = NULL;
	char q[128], *out, *p;
	cpu_set_t one;
	size_t len, off;
	int i;

	if (why)
		SKIP(return, "no swap: %s", why);
	drop_to_nobody(_metadata);
	/* MADV_PAGEOUT drains this CPU's LRU batch only: stay on one CPU. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 0x5a, 4096);
	for (i = 0; i < 20 && !(pagemap_entry(0, (unsigned long)p) & PTWALK_PM_SWAP); i++) {
		madvise(p, 4096, MADV_PAGEOUT);
		usleep(10000);
	}
	if (!(pagemap_entry(0, (unsigned long)p) & PTWALK_PM_SWAP))
		SKIP(return, "MADV_PAGEOUT did not swap the page out");
	snprintf(q, sizeof(q), "pid=self range=%p-%p format=binary", (void *)p, (void *)(p + 4096));
	out = ptwalk_query("/proc/ptwalk", q, &len);
	ASSERT_NE(NULL, out);
	h = (const void *)out;
	for (off = h->hdr_size; off + h->rec_size <= len; off += h->rec_size) {
		const struct ptwalk_rec *r = (const void *)(out + off);

		if (r->type == PTWALK_REC_ENTRY && r->vaddr == (unsigned long)p)
			found = r;
	}
	ASSERT_NE(NULL, found);
	EXPECT_EQ(PTWALK_K_SWAP, (int)found->kind);
	EXPECT_EQ(0ULL, found->raw >> 9) TH_LOG("raw 0x%llx", (unsigned long long)found->raw);
	EXPECT_EQ(0, (int)found->swap_type);
	EXPECT_EQ(0ULL, found->swap_offset);
	free(out);
}

/* x86 swap-format entries of every kind (type 0-31) and many offsets. */
TEST(hide_raw_clears_type_and_offset)
{
	uint64_t type, off;

	for (type = 0; type < 32; type++)
		for (off = 1; off < (1ULL << 50); off = off * 3 + 1) {
			/* __swp_entry_to_pte(): offset inverted from bit 9, type at 59. */
			uint64_t raw = (~off << 14 >> 5) | (type << 59) | 0x6;

			EXPECT_EQ(raw & 0x1ff, (uint64_t)ptwalk_hide_raw(raw, 0));
		}
	EXPECT_EQ(0x8000000000000067ULL,
		  (unsigned long long)ptwalk_hide_raw(0x8000000123456067ULL, 1));
}

TEST_HARNESS_MAIN
