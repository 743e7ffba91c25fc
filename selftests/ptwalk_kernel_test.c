// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_kernel_test - the kernel's page tables (issue 15): kernel=1 (the
 * kernel's own ptdump walk, captured and parsed) and kaddr= translations,
 * checked against /proc/iomem, /proc/meminfo, /proc/kallsyms, the user
 * side query and lookup_address() (the module's KADDR lookup= field).
 *
 * Runs as root in a guest with ptwalk.ko loaded (selftests/run_guest.sh).
 * Prints the region list, the walk's time, and this boot's KASLR bases
 * (page_offset_base, _stext) as "#" lines: two boots' outputs differ.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "ptwalk_util.h"
#include "ptwalk.h"

#define MAXR	65536

struct krange {
	uint64_t start, end;
	char level[8];
	char hw[96];
	int region;
};

struct kdump {
	char *text;
	struct krange *r;
	int nr;
	char regions[32][32];
	uint64_t region_start[32];
	int nreg;
	uint64_t pob;		/* page_offset_base */
};

static bool hw_has(const char *hw, const char *bit)
{
	char buf[96], *save = NULL, *t;

	snprintf(buf, sizeof(buf), "%s", hw);
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!strcmp(t, bit))
			return true;
	return false;
}

/* kernel=1 text into ranges; false with errno on failure. */
static bool kdump_read(struct kdump *d, const char *query)
{
	char *line, *save = NULL;
	size_t len;

	memset(d, 0, sizeof(*d));
	d->text = ptwalk_query(PTWALK_WALK, query, &len);
	if (!d->text)
		return false;
	d->r = calloc(MAXR, sizeof(*d->r));
	char *copy = strdup(d->text);

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct krange *k = &d->r[d->nr];
		unsigned long long a, b;
		char size[16];

		if (!strncmp(line, "# kernel ", 9)) {
			const char *p = strstr(line, "page_offset_base=");

			if (p)
				d->pob = strtoull(p + 17, NULL, 16);
		} else if (!strncmp(line, "region ", 7) && d->nreg < 32) {
			char *name;

			d->region_start[d->nreg] = strtoull(line + 7, &name, 16);
			snprintf(d->regions[d->nreg], 32, "%s", name + 1);
			d->nreg++;
		} else if (d->nr < MAXR &&
			   sscanf(line, "0x%llx-0x%llx %15s %7s hw=%95s", &a, &b,
				  size, k->level, k->hw) == 5) {
			k->start = a;
			k->end = b;
			k->region = d->nreg - 1;
			d->nr++;
		}
	}
	free(copy);
	return true;
}

static void kdump_free(struct kdump *d)
{
	free(d->text);
	free(d->r);
}

static int region_index(const struct kdump *d, const char *name)
{
	for (int i = 0; i < d->nreg; i++)
		if (!strcmp(d->regions[i], name))
			return i;
	return -1;
}

static uint64_t kallsyms(const char *sym)
{
	char line[256], name[128], t;
	unsigned long long a;
	uint64_t v = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %127s", &a, &t, name) == 3 &&
		    !strcmp(name, sym)) {
			v = a;
			break;
		}
	fclose(f);
	return v;
}

static long meminfo_kb(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

/*
 * arm64: the kernel's tables are read through x86's ptdump only
 * (module/ptwalk_kernel.h), so every test here SKIPs there; what is still
 * checked is the refusal of @q: EOPNOTSUPP, and a reason that says so.
 */
static bool refused_as_x86_only(const char *q)
{
	char buf[256];
	int fd = open(PTWALK_WALK, O_RDWR);
	bool refused;
	ssize_t n;

	if (fd < 0)
		return false;
	refused = write(fd, q, strlen(q)) < 0 && errno == EOPNOTSUPP;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return refused && strstr(buf, "read on x86-64 only");
}

#define SKIP_ON_ARM64(q) do {							\
	if (PTWALK_TEST_ARCH == PTWALK_ARCH_ARM64) {				\
		ASSERT_TRUE(refused_as_x86_only(q)) TH_LOG("%s not refused", q); \
		SKIP(return, "arm64: the kernel's page tables are read on x86-64 only"); \
	}									\
} while (0)

FIXTURE(kernel) {
	struct kdump d;
	double secs;
};

FIXTURE_SETUP(kernel)
{
	double t0 = ptwalk_now();

	SKIP_ON_ARM64("kernel=1");
	if (!kdump_read(&self->d, "kernel=1") && errno == EOPNOTSUPP)
		SKIP(return, "kernel=1: ptdump_walk_pgd_level_debugfs not exported by this kernel (7.x)");
	ASSERT_NE(NULL, self->d.text) TH_LOG("kernel=1: %s", strerror(errno));
	self->secs = ptwalk_now() - t0;
	ASSERT_NE(NULL, strstr(self->d.text, "# end status=complete")) TH_LOG("%s", self->d.text);
	ASSERT_NE((uint64_t)0, self->d.pob);
}

FIXTURE_TEARDOWN(kernel)
{
	if (self->d.text)
		kdump_free(&self->d);
}

/* Catches: a marker lost or misparsed, regions out of order. */
TEST_F(kernel, regions_in_order)
{
	static const char *const need[] = {
		"Kernel Space", "Low Kernel Mapping", "vmalloc() Area", "Vmemmap",
		"CPU entry Area", "High Kernel Mapping", "Modules", "Fixmap Area",
	};
	/* 32 names of at most 31 bytes, ", " between them. */
	char list[32 * 33 + 1] = "";
	size_t len = 0;

	for (int i = 0; i < self->d.nreg; i++) {
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%.31s",
					i ? ", " : "", self->d.regions[i]);
		if (len >= sizeof(list))
			len = sizeof(list) - 1;
		if (i)
			EXPECT_LE(self->d.region_start[i - 1], self->d.region_start[i])
				TH_LOG("%s before %s", self->d.regions[i - 1], self->d.regions[i]);
	}
	printf("# regions: %s\n", list);
	printf("# kernel=1: %d ranges in %.1f ms; page_offset_base=0x%" PRIx64 " _stext=0x%" PRIx64 "\n",
	       self->d.nr, self->secs * 1e3, self->d.pob, kallsyms("_stext"));
	for (size_t ni = 0; ni < sizeof(need) / sizeof(need[0]); ni++) {
		const char *want = need[ni];

		EXPECT_LE(0, region_index(&self->d, want)) TH_LOG("no region %s", want);
	}
	for (int i = 1; i < self->d.nr; i++)
		EXPECT_LE(self->d.r[i - 1].end, self->d.r[i].start);
}

/* Catches: direct-map ranges dropped or page sizes misread. */
TEST_F(kernel, direct_map_covers_ram)
{
	int dm = region_index(&self->d, "Low Kernel Mapping");
	uint64_t kb4 = 0, kb2m = 0, kb1g = 0, ram = 0, missing = 0;
	char line[256];
	FILE *f;

	ASSERT_LE(0, dm);
	for (int i = 0; i < self->d.nr; i++) {
		const struct krange *k = &self->d.r[i];
		uint64_t kb = (k->end - k->start) >> 10;

		if (k->region != dm)
			continue;
		if (!strcmp(k->level, "pte"))
			kb4 += kb;
		else if (!strcmp(k->level, "pmd"))
			kb2m += kb;
		else if (!strcmp(k->level, "pud"))
			kb1g += kb;
	}
	printf("# direct map: 4K %" PRIu64 " kB, 2M %" PRIu64 " kB, 1G %" PRIu64 " kB\n",
	       kb4, kb2m, kb1g);

	f = fopen("/proc/iomem", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b;
		uint64_t va, vend;
		int i = 0;

		if (line[0] == ' ' || !strstr(line, ": System RAM") ||
		    sscanf(line, "%llx-%llx", &a, &b) != 2)
			continue;
		ASSERT_FALSE(a == 0 && b == 0) TH_LOG("iomem addresses hidden: not root?");
		va = self->d.pob + (a & ~4095ULL);
		vend = self->d.pob + ((b + 1 + 4095) & ~4095ULL);
		ram += vend - va;
		/* Walk the sorted ranges across [va, vend). */
		while (va < vend) {
			while (i < self->d.nr && self->d.r[i].end <= va)
				i++;
			if (i == self->d.nr || self->d.r[i].start > va) {
				uint64_t to = i == self->d.nr ? vend :
					      self->d.r[i].start < vend ? self->d.r[i].start : vend;
				missing += to - va;
				va = to;
				continue;
			}
			va = self->d.r[i].end;
		}
	}
	fclose(f);
	printf("# System RAM %" PRIu64 " MiB, %" PRIu64 " KiB of it not in the direct map\n",
	       ram >> 20, missing >> 10);
	/* KFENCE's guard pages and secretmem are taken out of the direct map. */
	EXPECT_GE(4ULL << 20, missing);
}

/*
 * /proc/meminfo's DirectMap4k/2M/1G from the tables.  The kernel does not
 * read those counters from its tables (arch/x86/mm, the same in Debian's
 * 6.1, 6.12 and 7.2): the boot mapping code adds what it maps, and CPA's
 * split_page_count() moves one page of a level to 512 of the next one
 * down.  Two things make them differ from the tables, both modelled here:
 *
 * - init_mem_mapping() maps RAM in steps, top down (memory_map_top_down()),
 *   and adjust_range_page_size_mask() lets a step use a 1G (2M) page when
 *   the whole 1G (2M) around it is RAM.  A later step over the same 1G
 *   finds that leaf and phys_pud_init() counts it again ("if
 *   (!after_bootmem) pages++"); phys_pmd_init() and phys_pte_init() do the
 *   same one level down, and a leaf replaced by a table is never taken
 *   back.  dm_model_boot() replays it on /proc/iomem's System RAM (what
 *   memblock.memory held then) and gives, per size, the counts that are
 *   not leaves.
 * - __split_large_page() counts a split when virt_addr_valid(address),
 *   which is also true in the kernel image's high mapping: every 2M page
 *   of the High Kernel Mapping that CPA split (mark_rodata_ro(),
 *   free_kernel_image_pages()) moved 2M from DirectMap2M to DirectMap4k
 *   although the direct map kept its page.
 */
#define DM_2M	(1ULL << 21)
#define DM_1G	(1ULL << 30)
enum { DM_NONE, DM_LEAF, DM_TABLE };

struct dm_model {
	uint64_t ram[64][2];	/* memblock.memory: [start, end) */
	int nram;
	uint64_t end;		/* max_pfn << PAGE_SHIFT */
	uint8_t *pud, *pmd, *pte;
	long cnt[3];		/* update_page_count(): 4K, 2M, 1G */
	bool gbpages;
};

static bool dm_is_region_memory(const struct dm_model *m, uint64_t a, uint64_t b)
{
	for (int i = 0; i < m->nram; i++)
		if (m->ram[i][0] <= a && a < m->ram[i][1])
			return m->ram[i][1] >= b;
	return false;
}

/* phys_pte_init(): every page of [pa, pend) in this table counts, new or not. */
static void dm_pte(struct dm_model *m, uint64_t pa, uint64_t pend)
{
	uint64_t stop = (pa & ~(DM_2M - 1)) + DM_2M;

	for (; pa < stop && pa < pend; pa += 4096) {
		m->pte[pa >> 12] = 1;
		m->cnt[0]++;
	}
}

/* phys_pmd_init() */
static void dm_pmd(struct dm_model *m, uint64_t pa, uint64_t pend, int mask)
{
	uint64_t stop = (pa & ~(DM_1G - 1)) + DM_1G, next;

	for (; pa < stop && pa < pend; pa = next) {
		uint8_t *s = &m->pmd[pa >> 21];

		next = (pa & ~(DM_2M - 1)) + DM_2M;
		if (*s == DM_TABLE) {
			dm_pte(m, pa, pend);
		} else if (mask & 2) {
			*s = DM_LEAF;	/* a new leaf, or the old one counted again */
			m->cnt[1]++;
		} else {
			*s = DM_TABLE;	/* an old leaf's count stays */
			dm_pte(m, pa, pend);
		}
	}
}

/* phys_pud_init() (and the p4d/pgd loops above it, which count nothing) */
static void dm_pud(struct dm_model *m, uint64_t pa, uint64_t pend, int mask)
{
	uint64_t next;

	for (; pa < pend; pa = next) {
		uint8_t *s = &m->pud[pa >> 30];

		next = (pa & ~(DM_1G - 1)) + DM_1G;
		if (*s == DM_TABLE) {
			dm_pmd(m, pa, pend, mask);
		} else if (mask & 4) {
			*s = DM_LEAF;
			m->cnt[2]++;
		} else {
			*s = DM_TABLE;
			dm_pmd(m, pa, pend, mask);
		}
	}
}

/* init_memory_mapping(): split_mem_range() + adjust_range_page_size_mask() */
static void dm_map(struct dm_model *m, uint64_t start, uint64_t end)
{
	uint64_t r[5][2];
	int mask[5], n = 0, all = 2 | (m->gbpages ? 4 : 0);
	uint64_t pa = start, a, b;

#define DM_RU(x, y)	(((x) + (y) - 1) & ~((y) - 1))
#define DM_RD(x, y)	((x) & ~((y) - 1))
#define DM_SAVE(s, e, mk) do { if ((s) < (e)) { r[n][0] = (s); r[n][1] = (e); mask[n++] = (mk); pa = (e); } } while (0)
	b = DM_RU(pa, DM_2M) < end ? DM_RU(pa, DM_2M) : end;
	DM_SAVE(pa, b, 0);
	a = DM_RU(pa, DM_2M);
	b = DM_RU(pa, DM_1G) < DM_RD(end, DM_2M) ? DM_RU(pa, DM_1G) : DM_RD(end, DM_2M);
	DM_SAVE(a, b, all & 2);
	DM_SAVE(DM_RU(pa, DM_1G), DM_RD(end, DM_1G), all);
	DM_SAVE(DM_RU(pa, DM_2M), DM_RD(end, DM_2M), all & 2);
	DM_SAVE(pa, end, 0);
	for (int i = 0; i < n; i++) {
		if (!(mask[i] & 2) &&
		    dm_is_region_memory(m, DM_RD(r[i][0], DM_2M), DM_RU(r[i][1], DM_2M)))
			mask[i] |= 2;
		if ((all & 4) && !(mask[i] & 4) &&
		    dm_is_region_memory(m, DM_RD(r[i][0], DM_1G), DM_RU(r[i][1], DM_1G)))
			mask[i] |= 4;
		dm_pud(m, r[i][0], r[i][1], mask[i]);
	}
}

/* init_range_memory_mapping() */
static uint64_t dm_map_range(struct dm_model *m, uint64_t rs, uint64_t re)
{
	uint64_t mapped = 0;

	for (int i = 0; i < m->nram; i++) {
		uint64_t s = m->ram[i][0] < rs ? rs : m->ram[i][0] > re ? re : m->ram[i][0];
		uint64_t e = m->ram[i][1] < rs ? rs : m->ram[i][1] > re ? re : m->ram[i][1];

		if (s >= e)
			continue;
		dm_map(m, s, e);
		mapped += e - s;
	}
	return mapped;
}

/*
 * init_mem_mapping(), top down: the ISA range, then memory_map_top_down()
 * from the highest 2M block of RAM (memblock_phys_alloc_range() finds it
 * free in these guests), in steps of 2M, 512M, 128G.  Returns false if the
 * layout is not one this models (bottom-up with movable_node, too many
 * ranges); excess[] = counts that are not leaves, per size.
 */
static bool dm_model_boot(struct dm_model *m, long excess[3])
{
	uint64_t real_end = 0, last, step = DM_2M, mapped = 0, leaves[3] = { 0 };

	for (int i = 0; i < m->nram; i++) {
		uint64_t top = DM_RD(m->ram[i][1], DM_2M);

		if (top >= DM_RU(m->ram[i][0], DM_2M) + DM_2M && top > real_end)
			real_end = top;
	}
	if (!real_end || !m->end)
		return false;
	m->pud = calloc((m->end >> 30) + 2, 1);
	m->pmd = calloc((m->end >> 21) + 2, 1);
	m->pte = calloc((m->end >> 12) + 2, 1);
	if (!m->pud || !m->pmd || !m->pte)
		return false;
	dm_map(m, 0, 0x100000);
	last = real_end;
	while (last > 0x100000) {
		uint64_t start = last > step ? DM_RD(last - 1, step) : 0x100000;

		if (start < 0x100000)
			start = 0x100000;
		mapped += dm_map_range(m, start, last);
		last = start;
		if (mapped >= step)
			step <<= 8;
	}
	if (real_end < m->end)
		dm_map_range(m, real_end, m->end);
	for (uint64_t pa = 0; pa < m->end; pa += DM_2M) {
		uint8_t pud = m->pud[pa >> 30], pmd = m->pmd[pa >> 21];

		if (pud == DM_LEAF && !(pa & (DM_1G - 1)))
			leaves[2]++;
		if (pud != DM_TABLE)
			continue;
		if (pmd == DM_LEAF)
			leaves[1]++;
		if (pmd == DM_TABLE)
			for (uint64_t p = pa; p < pa + DM_2M && p < m->end; p += 4096)
				leaves[0] += m->pte[p >> 12];
	}
	for (int l = 0; l < 3; l++)
		excess[l] = m->cnt[l] - (long)leaves[l];
	free(m->pud);
	free(m->pmd);
	free(m->pte);
	return true;
}

static bool dm_read_ram(struct dm_model *m)
{
	char line[256], flags[4096] = "";
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b;

		if (line[0] == ' ' || !strstr(line, ": System RAM") ||
		    sscanf(line, "%llx-%llx", &a, &b) != 2)
			continue;
		b++;
		/* memblock merges neighbours; e820 RAM is page-aligned there */
		a = (a + 4095) & ~4095ULL;
		b &= ~4095ULL;
		if (m->nram && m->ram[m->nram - 1][1] == a) {
			m->ram[m->nram - 1][1] = b;
		} else if (m->nram < 64) {
			m->ram[m->nram][0] = a;
			m->ram[m->nram++][1] = b;
		}
		if (b > m->end)
			m->end = b;
	}
	fclose(f);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(flags, sizeof(flags), f))
		if (!strncmp(flags, "flags", 5)) {
			m->gbpages = strstr(flags, " pdpe1gb") != NULL;
			break;
		}
	if (f)
		fclose(f);
	f = fopen("/proc/cmdline", "r");
	if (f && fgets(flags, sizeof(flags), f) &&
	    (strstr(flags, "nogbpages") || strstr(flags, "movable_node"))) {
		fclose(f);
		return false;
	}
	if (f)
		fclose(f);
	return m->nram > 0;
}

/*
 * Catches: page sizes misread, or a direct-map leaf lost, as a per-size
 * difference from the kernel's own counters that the two effects above
 * do not explain.
 */
TEST_F(kernel, direct_map_sizes_match_meminfo)
{
	int dm = region_index(&self->d, "Low Kernel Mapping");
	int hk = region_index(&self->d, "High Kernel Mapping");
	uint64_t kb[3] = { 0 }, last_slot = 0;
	long excess[3], split = 0, want[3];
	static const char *const key[3] = { "DirectMap4k:", "DirectMap2M:", "DirectMap1G:" };
	struct dm_model m = { 0 };

	ASSERT_LE(0, dm);
	ASSERT_LE(0, hk);
	for (int i = 0; i < self->d.nr; i++) {
		const struct krange *k = &self->d.r[i];
		int l = !strcmp(k->level, "pte") ? 0 : !strcmp(k->level, "pmd") ? 1 :
			!strcmp(k->level, "pud") ? 2 : -1;

		if (k->region == dm && l >= 0)
			kb[l] += (k->end - k->start) >> 10;
		/* each 2M of the high mapping held by a PTE table was split */
		if (k->region == hk && l == 0)
			for (uint64_t s = k->start & ~(DM_2M - 1); s < k->end; s += DM_2M)
				if (s + 1 != last_slot) {
					split++;
					last_slot = s + 1;
				}
	}
	if (!dm_read_ram(&m))
		SKIP(return, "boot layout not modelled (nogbpages, movable_node or no System RAM)");
	ASSERT_TRUE(dm_model_boot(&m, excess));
	want[0] = (long)kb[0] + excess[0] * 4 + split * 2048;
	want[1] = (long)kb[1] + excess[1] * 2048 - split * 2048;
	want[2] = (long)kb[2] + excess[2] * 1048576;
	printf("# model: %d RAM ranges to 0x%" PRIx64 ", gbpages %d; boot counts 4K %ld 2M %ld 1G %ld, of which not leaves %ld/%ld/%ld; %ld high-mapping 2M pages split\n",
	       m.nram, m.end, m.gbpages, m.cnt[0], m.cnt[1], m.cnt[2],
	       excess[0], excess[1], excess[2], split);
	for (int l = 0; l < 3; l++) {
		printf("# %s tables %" PRIu64 " kB, model %ld kB, meminfo %ld kB\n",
		       key[l], kb[l], want[l], meminfo_kb(key[l]));
		EXPECT_EQ(want[l], meminfo_kb(key[l]));
	}
}

static void range_check(struct __test_metadata *_metadata, const struct kdump *d,
			const char *from, const char *to, bool want_x)
{
	uint64_t a = kallsyms(from), b = kallsyms(to);
	int hk = region_index(d, "High Kernel Mapping"), seen = 0;

	ASSERT_NE((uint64_t)0, a);
	ASSERT_LT(a, b);
	for (int i = 0; i < d->nr; i++) {
		const struct krange *k = &d->r[i];

		if (k->region != hk || k->end <= a || k->start >= b)
			continue;
		seen++;
		EXPECT_FALSE(hw_has(k->hw, "W")) TH_LOG("%s..%s: 0x%" PRIx64 " %s", from, to, k->start, k->hw);
		EXPECT_EQ(want_x, !hw_has(k->hw, "NX")) TH_LOG("%s..%s: 0x%" PRIx64 " %s", from, to, k->start, k->hw);
	}
	EXPECT_LT(0, seen);
}

/* Catches: RW or NX misparsed (or a kernel with its text writable). */
TEST_F(kernel, text_and_rodata)
{
	range_check(_metadata, &self->d, "_stext", "_etext", true);
	range_check(_metadata, &self->d, "__start_rodata", "__end_rodata", false);
}

/* Catches: a W+X kernel range (the --wx audit's subject) on a stock boot. */
TEST_F(kernel, no_wx)
{
	int n = 0;

	for (int i = 0; i < self->d.nr; i++) {
		const struct krange *k = &self->d.r[i];

		if (k->start < (1ULL << 63) || !hw_has(k->hw, "W") || hw_has(k->hw, "NX"))
			continue;
		n++;
		TH_LOG("W+X 0x%" PRIx64 "-0x%" PRIx64 " %s", k->start, k->end, k->hw);
	}
	EXPECT_EQ(0, n);
}

static bool kaddr_line(const char *text, uint64_t *phys, char *lookup, size_t llen,
		       char *leaf_raw, size_t rlen)
{
	const char *p = strstr(text, "\nkaddr ");

	if (!p)
		return false;
	p++;
	*phys = 0;
	if (!ptwalk_field(p, "lookup", lookup, llen))
		return false;
	leaf_raw[0] = 0;
	ptwalk_field(p, "raw", leaf_raw, rlen);
	return ptwalk_field_u64(p, "phys", phys) || strstr(p, "kind=none");
}

/* Catches: a kaddr walk that reads the wrong table, level or frame. */
TEST_F(kernel, kaddr_agrees_with_lookup_address)
{
	static const char *const regions[] = {
		"Low Kernel Mapping", "High Kernel Mapping", "Modules", "vmalloc() Area",
	};
	int checked = 0, moved = 0;

	for (size_t ri = 0; ri < 4; ri++) {
		int reg = region_index(&self->d, regions[ri]), n = 0;

		for (int i = 0; i < self->d.nr && n < 40; i++) {
			const struct krange *k = &self->d.r[i];
			uint64_t addrs[3] = { k->start, k->start + (k->end - k->start) / 2,
					      k->end - 1 };

			if (k->region != reg)
				continue;
			n++;
			for (int j = 0; j < 3; j++) {
				char q[64], lookup[64], raw[40], want[64];
				uint64_t phys;
				char *t;

				snprintf(q, sizeof(q), "kaddr=0x%" PRIx64, addrs[j]);
				t = ptwalk_query(PTWALK_WALK, q, NULL);
				ASSERT_NE(NULL, t) TH_LOG("%s: %s", q, strerror(errno));
				ASSERT_TRUE(kaddr_line(t, &phys, lookup, sizeof(lookup), raw, sizeof(raw))) TH_LOG("%s", t);
				snprintf(want, sizeof(want), "%s,%s", k->level, raw);
				if (strcmp(lookup, want)) {
					/* vmalloc and modules change while we look */
					if (ri >= 2)
						moved++;
					else
						EXPECT_STREQ(want, lookup) TH_LOG("%s", t);
				}
				if (ri == 0 && !strstr(t, "kind=none"))
					EXPECT_EQ(addrs[j] - self->d.pob, phys) TH_LOG("%s", t);
				checked++;
				free(t);
			}
		}
	}
	printf("# kaddr: %d addresses checked against lookup_address(), %d changed meanwhile\n",
	       checked, moved);
	EXPECT_LT(100, checked);
	EXPECT_GE(checked / 10, moved);
}

/* Catches: a kaddr answer that is not the user page's own frame. */
TEST(kaddr_of_user_page)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char q[96], ebuf[512], *t, *line;
	uint64_t pfn = 0, phys = 0, pob = 0;
	const char *e;

	SKIP_ON_ARM64("kaddr=0xffffffffff600000");
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	snprintf(q, sizeof(q), "pid=self addr=0x%lx", (unsigned long)p);
	t = ptwalk_query(PTWALK_WALK, q, NULL);
	ASSERT_NE(NULL, t);
	e = ptwalk_find_entry(t, (unsigned long)p, ebuf, sizeof(ebuf));
	ASSERT_NE(NULL, e) TH_LOG("%s", t);
	ASSERT_TRUE(ptwalk_field_u64(e, "pfn", &pfn));
	free(t);
	t = ptwalk_query(PTWALK_WALK, "kaddr=0xffffffffff600000", NULL);
	ASSERT_NE(NULL, t);
	line = strstr(t, "page_offset_base=");
	ASSERT_NE(NULL, line);
	pob = strtoull(line + 17, NULL, 16);
	free(t);
	snprintf(q, sizeof(q), "kaddr=0x%" PRIx64, pob + (pfn << 12) + 0x123);
	t = ptwalk_query(PTWALK_WALK, q, NULL);
	ASSERT_NE(NULL, t);
	line = strstr(t, "\nkaddr ");
	ASSERT_NE(NULL, line) TH_LOG("%s", t);
	ASSERT_TRUE(ptwalk_field_u64(line + 1, "phys", &phys)) TH_LOG("%s", t);
	EXPECT_EQ((pfn << 12) + 0x123, phys) TH_LOG("%s", t);
	free(t);
	munmap(p, 4096);
}

/* Catches: KASLR secrets leaking to a non-root reader. */
TEST(unprivileged_refused)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (!pid) {
		int fd;

		if (!ptwalk_drop_to_nobody())
			_exit(10);
		if (open(PTWALK_WALK, O_RDWR) >= 0 || errno != EACCES)
			_exit(11);
		fd = open("/proc/ptwalk", O_RDWR);
		if (fd < 0)
			_exit(12);
		if (write(fd, "kernel=1", 8) >= 0 || errno != EPERM)
			_exit(13);
		if (write(fd, "kaddr=0xffffffff81000000", 24) >= 0 || errno != EPERM)
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

static long status_long(const char *key)
{
	char *v = ptwalk_status(key);
	long n = v ? strtol(v, NULL, 10) : -1;

	free(v);
	return n;
}

/*
 * Catches: an answer's records or the dump's text not given back, or an
 * open answer that holds more than its records.
 */
TEST(kernel_memory_returned)
{
	long before, held;
	char buf[4096];
	int fd;

	SKIP_ON_ARM64("kernel=1 format=merged");
	fd = open(PTWALK_WALK, O_RDWR);
	before = status_long("kernel_bytes");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, before) TH_LOG("kernel_bytes %ld with no kernel answer open", before);
	if (write(fd, "kernel=1", 8) < 0 && errno == EOPNOTSUPP) {
		close(fd);
		SKIP(return, "kernel=1 unavailable here");
	}
	ASSERT_LT(0, read(fd, buf, sizeof(buf)));
	held = status_long("kernel_bytes");
	printf("# one open kernel=1 answer holds %ld bytes\n", held);
	EXPECT_LT(0, held);
	EXPECT_GT(1L << 20, held);
	close(fd);
	EXPECT_EQ(0, status_long("kernel_bytes"));
}

/* The answer to @q read @chunk bytes at a time (NUL terminated), or NULL. */
static char *read_in_chunks(const char *q, size_t chunk)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	int fd = open(PTWALK_WALK, O_RDWR);
	ssize_t n;

	if (fd < 0 || !buf || write(fd, q, strlen(q)) < 0) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	while (len + chunk < cap && (n = read(fd, buf + len, chunk)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Catches: a unit of a kernel answer split or lost across short reads. */
TEST(short_reads)
{
	char q[64], *whole, *bytewise;

	SKIP_ON_ARM64("kaddr=0xffff800080000000");
	snprintf(q, sizeof(q), "kaddr=0x%" PRIx64, kallsyms("_stext"));
	whole = read_in_chunks(q, 65536);
	bytewise = read_in_chunks(q, 1);
	ASSERT_NE(NULL, whole);
	ASSERT_NE(NULL, bytewise);
	EXPECT_STREQ(whole, bytewise);
	free(whole);
	free(bytewise);
	whole = read_in_chunks("kernel=1 format=merged", 65536);
	bytewise = read_in_chunks("kernel=1 format=merged", 3);
	ASSERT_NE(NULL, whole);
	if (strstr(whole, "error:"))
		SKIP(return, "kernel=1 unavailable here");
	ASSERT_NE(NULL, bytewise);
	EXPECT_NE(NULL, strstr(bytewise, "\n# end status=complete")) TH_LOG("%s", bytewise);
	/* Two walks: vmalloc may change between them, the regions do not. */
	EXPECT_EQ(ptwalk_count_lines(whole, "region "), ptwalk_count_lines(bytewise, "region "));
	free(whole);
	free(bytewise);
}

/* Catches: a silent empty answer for the KPTI copy. */
TEST(kpti_copy_said)
{
	char vuln[256] = "";
	char *t;

	SKIP_ON_ARM64("kernel=1 user=1");
	t = ptwalk_query(PTWALK_WALK, "kernel=1 user=1", NULL);
	if (!t && errno == EOPNOTSUPP)
		SKIP(return, "kernel=1: ptdump_walk_pgd_level_debugfs not exported by this kernel (7.x)");
	ASSERT_NE(NULL, t);
	ptwalk_read_file("/sys/devices/system/cpu/vulnerabilities/meltdown", vuln, sizeof(vuln));
	printf("# meltdown: %s", vuln);
	EXPECT_NE(NULL, strstr(t, "# end status=complete")) TH_LOG("%s", t);
	if (strstr(t, "kpti=off")) {
		EXPECT_NE(NULL, strstr(t, "# kpti off:"));
		EXPECT_EQ(NULL, strstr(vuln, "PTI"));
	} else {
		/*
		 * The user copy maps the entry code, the cpu_entry_area and
		 * little else: not the direct map (kB, not GiB of it), not
		 * the kernel's text beyond the entry code.
		 */
		struct kdump d;
		uint64_t dm_bytes = 0;
		char q[64], *k;
		int dm;

		ASSERT_TRUE(kdump_read(&d, "kernel=1 user=1"));
		dm = region_index(&d, "Low Kernel Mapping");
		for (int i = 0; i < d.nr; i++)
			if (d.r[i].region == dm)
				dm_bytes += d.r[i].end - d.r[i].start;
		printf("# kpti on: the user copy has %d ranges, %" PRIu64 " KiB of the direct map\n",
		       d.nr, dm_bytes >> 10);
		EXPECT_GT(16ULL << 20, dm_bytes);
		EXPECT_LT(0, region_index(&d, "CPU entry Area"));
		kdump_free(&d);
		snprintf(q, sizeof(q), "kaddr=0x%" PRIx64 " user=1", kallsyms("entry_SYSCALL_64"));
		k = ptwalk_query(PTWALK_WALK, q, NULL);
		ASSERT_NE(NULL, k);
		EXPECT_EQ(NULL, strstr(k, "kind=none")) TH_LOG("entry code unmapped in the user copy: %s", k);
		free(k);
		/*
		 * The kernel's text may be there: pti_clone_kernel_text()
		 * clones it (global) when pti_kernel_image_global_ok(), as
		 * 7.2 did in a TCG guest.  Its data never is.
		 */
		snprintf(q, sizeof(q), "kaddr=0x%" PRIx64 " user=1", kallsyms("_stext"));
		k = ptwalk_query(PTWALK_WALK, q, NULL);
		ASSERT_NE(NULL, k);
		printf("# kpti on: the kernel text (_stext) is %s in the user copy\n",
		       strstr(k, "kind=none") ? "not mapped" : "mapped (cloned)");
		free(k);
		snprintf(q, sizeof(q), "kaddr=0x%" PRIx64 " user=1", kallsyms("_sdata"));
		k = ptwalk_query(PTWALK_WALK, q, NULL);
		ASSERT_NE(NULL, k);
		EXPECT_NE(NULL, strstr(k, "kind=none")) TH_LOG("kernel data (_sdata) mapped in the user copy: %s", k);
		free(k);
	}
	free(t);
}

TEST_HARNESS_MAIN
