/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ptwalk.h - the contract between ptwalk.ko, the ptwalk command and tests.
 *
 * Interface
 * ---------
 * /sys/kernel/debug/ptwalk/walk (root only, any pid) and /proc/ptwalk (any
 * user, own address space only) take a query written to an open file and
 * answer it by reading the same open file (a stream: no seeks, no pread;
 * a new write starts a new answer).  A query is one
 * line of space-separated words, at most PTWALK_QUERY_MAX bytes:
 *
 *   pid=N | pid=self             target process (required on debugfs)
 *   addr=A                       one address: every level of its translation
 *   start=A end=B | range=A-B    a range [A, B); default: all user space
 *   format=text|merged|binary    default text
 *   walker=auto|kernel|builtin   default: the module parameter "walker"
 *
 * Numbers are hex with 0x, or decimal.  A bad query fails the write with an
 * errno and leaves a one-line reason; reading then returns "error: REASON".
 *
 * Every answer, in every format, ends with an end record (binary: struct
 * ptwalk_end; text and merged: a "# end" line) saying whether it is
 * complete, the target exited during the walk, or the walk stopped on an
 * error, and the first address it does not cover.  A reader that meets end
 * of file without one holds a truncated answer and must say so.
 *
 * The answer is not an atomic snapshot: the target keeps running and the
 * mmap lock is dropped between chunks, so entries may change while read.
 *
 * Text format (format=text, one line per item, stable):
 *   # ptwalk VERSION pid=N comm=NAME walker=W range=0xA-0xB paging=4|5 ...
 *   vma 0xSTART-0xEND PERMS pgoff=0xN FLAGS NAME
 *   0xVADDR SIZE LEVEL raw=0xRAW kind=KIND [key=value ...]
 * SIZE is 4K, 2M or 1G, LEVEL pte, pmd or pud.  Keys, present when they
 * apply: pfn= hw= sw= pkey= page= order= sub= map= ref= node= pg= cow=
 * (present), type= offset= (swap), mig= (migration), marker= (markers).
 * List values are comma separated names from the tables below; "-" is empty.
 * format=merged collapses runs of entries with equal attributes and
 * contiguous PFNs into "0xSTART-0xEND COUNTxSIZE ..." lines (no raw=, map=,
 * ref=).  A single-address query first prints one "level" line per table
 * level (pgd, p4d, pud, pmd, pte) with index, raw value and table address.
 * The vma line's FLAGS are "sd" when the VMA is soft-dirty as a whole
 * (VM_SOFTDIRTY: pagemap then reports every page of it soft-dirty), else "-".
 * The last line is
 *   # end status=complete|exited|stopped next=0xA entries=N vmas=N [error=-E]
 * where next is the first address not covered (the range's end when
 * complete), entries counts the entries reported (merged: the pages of the
 * runs) and vmas the vma lines.
 *
 * Unprivileged view (opener without CAP_SYS_ADMIN, header flag
 * PTWALK_H_PHYS_HIDDEN): the reader learns nothing /proc/self/pagemap would
 * not tell it.  PFNs, table addresses, swap type and offset read as 0; raw
 * keeps only the flag bits (ptwalk_hide_raw()); page-cache and LRU state
 * (pg=, ksm) is never shown; and for a page others may use (file or shmem,
 * or anonymous but not mapped exactly once) mapcount, refcount, folio order
 * and sub-page are zeroed and the page fact PTWALK_P_HIDDEN is set; the text
 * formats then leave out map=, ref=, order= and sub=.  See README, "Access
 * model", for the table.
 *
 * Binary format (format=binary): a struct ptwalk_hdr, then records of
 * hdr.rec_size bytes each until the END record.  Readers must use rec_size
 * to step, so later versions may append fields.  Every record kind has its
 * own struct (union ptwalk_record), all PTWALK_REC_SIZE bytes with the
 * record type at byte PTWALK_REC_TYPE_OFFSET: struct ptwalk_rec (ENTRY),
 * struct ptwalk_vma (VMA: announces the VMA the following entries belong
 * to), struct ptwalk_name (NAME: the bytes of that VMA's name, NUL padded,
 * concatenated), struct ptwalk_lvl (LEVEL), struct ptwalk_more (MORE) and
 * struct ptwalk_end (END).  Fields no kind uses are zero.
 *
 * Version 2 adds PTWALK_REC_MORE (struct ptwalk_more), which stands for up
 * to PTWALK_MORE_MAX entries that differ from the entry before them only in
 * their frame: each is that entry with vaddr + (1 << shift), pfn = pfn[i]
 * and the PFN field of raw (ptwalk_raw_pfn_mask(hdr.arch)) holding pfn[i]
 * in the same form as the entry before held its own
 * (ptwalk_raw_pfn_form_arch()): pfn << 12,
 * or with its bits from the entry's size up complemented, which is how x86
 * stores the frame of a PROT_NONE or NUMA-hinting entry (the L1TF
 * mitigation).  Only present entries whose raw PFN field is in one of these
 * forms are folded so (a 2M entry with its PAT bit, in that field, is not),
 * and only when every other field (level, size, bits, page facts, mapcount,
 * refcount, cow, node, order, sub-page, pkey, the other bits of raw) is
 * equal: expanding the MOREs gives exactly the records a version 1 stream
 * carried, in a sixth of the bytes for a run of ordinary anonymous pages or
 * THPs.  ptw_parse() in user/libptwalk.c expands them.
 *
 * Version 3 adds PTWALK_REC_END (struct ptwalk_end), always the last record
 * of an answer, and PTWALK_B_SAVED_DIRTY; vma text lines gain FLAGS.  It
 * gives VMA, NAME and LEVEL records their own structs: a VMA carries
 * ptwalk's PTWALK_VMA_* flags (the kernel's vm_flags values are not an ABI)
 * and its page offset in a field of its own, a LEVEL its table index.  The
 * header says the architecture (hdr.arch), which names the per-architecture
 * bits.  Readers reject a version 3 stream whose last record is not its
 * END, and streams of older versions (which cannot tell truncation from the
 * end and lay VMA and LEVEL records out differently).
 *
 * Format 3 also has PTWALK_REC_SWAPRUN (struct ptwalk_swaprun, added
 * before format 3's release), which stands for @count (1 to
 * PTWALK_SWAPRUN_MAX) swap entries, each the entry before it (an ENTRY,
 * or the last one a SWAPRUN stood for) with vaddr + 4K, swap_offset + 1
 * and raw - PTWALK_RAW_SWP_OFFSET_STEP (ptwalk_swap_next()); in the
 * unprivileged view, where offsets read 0 and raw keeps only its flag
 * bits, the same entry but for vaddr.  The module folds a 4K swap entry so
 * only when it is exactly that (every other field equal): pages swapped
 * out in order take consecutive slots, so a swapped region costs a record
 * per PTWALK_SWAPRUN_MAX pages instead of one per page.  Like a MORE, a
 * SWAPRUN continues the stream, not a read: it may open the bytes of a
 * read() whose entry came in the read before.
 *
 * Who maps a frame (debugfs only, root: CAP_SYS_ADMIN; /proc/ptwalk
 * refuses it with EPERM).  The query
 *
 *   pfn=N | pfn=A-B              frame N, or frames [A, B), at most
 *                                PTWALK_WHO_MAX_FRAMES (512: one 2M folio)
 *   format=text|binary           (merged is refused: EINVAL)
 *   walker=auto|kernel|builtin
 *
 * (no pid=, addr= or range=) answers with every user mapping of any frame
 * of the range.  Every process is visited in pid order (kernel threads and
 * exiting processes are skipped); of each, only the VMAs that can hold a
 * frame are walked, and of those only the pages where the kernel's own
 * reverse map would look (vma_address(): vm_start + (index - vm_pgoff)
 * pages): an anonymous frame in VMAs with an anon_vma, a page-cache frame
 * in VMAs of its file (f_mapping) whose offsets cover it.  KSM and hugetlb
 * frames are looked for in all of each candidate VMA (KSM: mergeable VMAs
 * with an anon_vma; hugetlb: hugetlb VMAs).  The walk is the ordinary one,
 * in a match-only mode: an entry is reported only if it is present and
 * maps a frame of the range.  The binary header has PTWALK_H_WHO, pid 0
 * and start/end = [A, B) in frames.  The stream is
 *
 *   TASK                 a process with a match (struct ptwalk_task)
 *     VMA NAME*          a VMA of it with a match (may repeat)
 *       ENTRY...         each entry mapping a frame of the range, decoded
 *                        as in a walk (bits, page facts, counts, cow); its
 *                        vaddr and pfn are the entry's: a 2M entry covers
 *                        the frames pfn .. pfn + 511
 *   FRAME NAME* MEMCG*   per frame of the range, its facts now (struct
 *                        ptwalk_frame); a page-cache frame's NAME records
 *                        hold its file's path when a mapping of that file
 *                        was found (else none), an anonymous one's none;
 *                        MEMCG records its memory cgroup's path when
 *                        ptwalk_frame.memcg is PTWALK_MEMCG_PATH
 *   TALLY                mappings found against the kernel's mapcounts
 *   END                  as everywhere; next = B
 *
 * Text: "task pid=N ppid=N comm=NAME", the usual vma and entry lines,
 * "frame pfn=0xN state=S page=... order= sub= map= ref= node= pg=...
 * kaddr=0xK [index=0xN] [path=PATH] [memcg=PATH|none]", "# tally mappings=N mapcount=N equal=yes|no tasks=N
 * gone=N", then "# end ...".
 *
 * Not atomic: processes fork, exit, fault and unmap while they are
 * visited one at a time (each mm's mmap lock is held for bounded work and
 * dropped between chunks), so a mapping made or removed meanwhile may be
 * missed or reported, and the mapcounts are read at the end.  TALLY says
 * whether the count found equals the kernel's: equal means the answer is
 * likely whole, unequal that it is certainly not (a race, or a mapping no
 * process page table shows: see README, "Who maps a frame").
 *
 * Architectures.  What is common to every architecture has a neutral name
 * here (levels, kinds, page facts, cow, the software bits).  The low
 * sixteen bits of ptwalk_rec.bits (PTWALK_B_HW_MASK) are the entry's
 * hardware bits: bits 0, 1, 2, 5, 6 and 9 mean present, writable, user,
 * accessed, dirty and no-execute everywhere; the others are named per
 * architecture (the x86-64 names are below).  raw, pkey and the raw-field
 * masks (PTWALK_RAW_*, PTWALK_ARM64_RAW_*) are per architecture: x86-64
 * (PTWALK_ARCH_X86_64) and arm64 (PTWALK_ARCH_ARM64) are produced.  The
 * MORE folding rule uses the PFN field of the stream's architecture
 * (ptwalk_raw_pfn_mask(), ptwalk_raw_pfn_form_arch()): on arm64 bits
 * 12-49, so writable entries (DBM, bit 51) and guarded pages (GP, 50) fold
 * as x86's do.
 */
#ifndef _PTWALK_H
#define _PTWALK_H

#include <linux/types.h>

#define PTWALK_VERSION		3
#define PTWALK_MAGIC		0x4b4c4157545000ULL	/* "\0PTWALK" */
#define PTWALK_QUERY_MAX	256

/* struct ptwalk_rec.type */
enum ptwalk_rec_type {
	PTWALK_REC_ENTRY	= 1,	/* one page-table leaf entry */
	PTWALK_REC_VMA		= 2,	/* struct ptwalk_vma */
	PTWALK_REC_NAME		= 3,	/* struct ptwalk_name */
	PTWALK_REC_LEVEL	= 4,	/* struct ptwalk_lvl */
	PTWALK_REC_MORE		= 5,	/* struct ptwalk_more (version 2) */
	PTWALK_REC_END		= 6,	/* struct ptwalk_end (version 3) */
	PTWALK_REC_TASK		= 7,	/* struct ptwalk_task (who maps) */
	PTWALK_REC_FRAME	= 8,	/* struct ptwalk_frame (who maps) */
	PTWALK_REC_TALLY	= 9,	/* struct ptwalk_tally (who maps) */
	PTWALK_REC_KINFO	= 10,	/* struct ptwalk_kinfo (kernel) */
	PTWALK_REC_REGION	= 11,	/* struct ptwalk_region (kernel) */
	PTWALK_REC_KRANGE	= 12,	/* struct ptwalk_krange (kernel) */
	PTWALK_REC_KADDR	= 13,	/* struct ptwalk_kaddr (kernel) */
	PTWALK_REC_MEMCG	= 14,	/* struct ptwalk_memcg (who maps) */
	PTWALK_REC_SWAPRUN	= 15,	/* struct ptwalk_swaprun */
	PTWALK_REC_SUMMARY	= 16,	/* struct ptwalk_summary (format=summary) */
	PTWALK_REC_SUMMARY2	= 17,	/* struct ptwalk_summary2 (format=summary) */
};

/* Page-table levels (struct ptwalk_rec.level) */
enum ptwalk_level {
	PTWALK_LVL_PTE	= 0,
	PTWALK_LVL_PMD	= 1,
	PTWALK_LVL_PUD	= 2,
	PTWALK_LVL_P4D	= 3,
	PTWALK_LVL_PGD	= 4,
};

/* What the entry holds (struct ptwalk_rec.kind) */
enum ptwalk_kind {
	PTWALK_K_NONE		= 0,	/* empty (single-address queries only) */
	PTWALK_K_PRESENT	= 1,	/* maps a page (PROT_NONE/NUMA-hint too) */
	PTWALK_K_SWAP		= 2,	/* swapped out: swap_type, swap_offset */
	PTWALK_K_MIGRATION	= 3,	/* under migration: sub = PTWALK_MIG_* */
	PTWALK_K_DEVICE_PRIVATE	= 4,
	PTWALK_K_DEVICE_EXCL	= 5,
	PTWALK_K_HWPOISON	= 6,
	PTWALK_K_MARKER		= 7,	/* PTE marker: sub = PTWALK_MARKER_* */
	PTWALK_K_TABLE		= 8,	/* PTWALK_REC_LEVEL: points to a table */
	PTWALK_K_UNKNOWN	= 9,
};

enum ptwalk_mig {
	PTWALK_MIG_READ		= 1,
	PTWALK_MIG_READ_EXCL	= 2,
	PTWALK_MIG_WRITE	= 3,
};

#define PTWALK_MARKER_UFFD_WP	(1U << 0)
#define PTWALK_MARKER_POISON	(1U << 1)	/* swapin error / poisoned */
#define PTWALK_MARKER_GUARD	(1U << 2)	/* MADV_GUARD_INSTALL */

/*
 * Decoded entry bits (struct ptwalk_rec.bits).  Bits 0-15 are hardware bits
 * (PTWALK_B_HW_MASK): the common ones first, then the x86-64 names of the
 * per-architecture ones (3, 4, 7, 8) ...
 */
#define PTWALK_B_PRESENT	(1U << 0)	/* P: valid */
#define PTWALK_B_RW		(1U << 1)	/* W: writable */
#define PTWALK_B_USER		(1U << 2)	/* U: user accessible */
#define PTWALK_B_ACCESSED	(1U << 5)	/* A */
#define PTWALK_B_DIRTY		(1U << 6)	/* D */
#define PTWALK_B_NX		(1U << 9)	/* no execute */
#define PTWALK_B_PWT		(1U << 3)	/* x86: write-through */
#define PTWALK_B_PCD		(1U << 4)	/* x86: cache disable */
#define PTWALK_B_PSE		(1U << 7)	/* x86: PS at pmd/pud, PAT at pte */
#define PTWALK_B_GLOBAL		(1U << 8)	/* x86: G */
/* x86, kernel records only: PAT (bit 7 of a PTE, bit 12 of a huge entry) */
#define PTWALK_B_PAT		(1U << 12)
/*
 * ... and the arm64 names of bits 3, 4, 7, 8 and 10-15 (hdr.arch
 * PTWALK_ARCH_ARM64).  There P is the valid bit, W is pte_write() (the
 * kernel's PTE_WRITE, which is the DBM bit), U is AP[1], A is AF, NX is
 * UXN.  SH and the memory type (AttrIndx looked up in MAIR_EL1) are fields:
 * OSH/ISH and DEVICE/NC name their values (neither: non-shareable, resp.
 * normal cacheable memory).
 */
#define PTWALK_B_ARM64_PXN	(1U << 3)	/* privileged execute never */
#define PTWALK_B_ARM64_CONT	(1U << 4)	/* contiguous hint */
#define PTWALK_B_ARM64_RDONLY	(1U << 7)	/* AP[2]: hardware read-only */
#define PTWALK_B_ARM64_NG	(1U << 8)	/* not global */
#define PTWALK_B_ARM64_DBM	(1U << 10)	/* dirty bit management */
#define PTWALK_B_ARM64_OSH	(1U << 11)	/* SH = outer shareable */
#define PTWALK_B_ARM64_ISH	(1U << 12)	/* SH = inner shareable */
#define PTWALK_B_ARM64_DEVICE	(1U << 13)	/* MAIR: device memory */
#define PTWALK_B_ARM64_NC	(1U << 14)	/* MAIR: normal non-cacheable */
#define PTWALK_B_ARM64_GP	(1U << 15)	/* BTI guarded page */
#define PTWALK_B_HW_MASK	0x0000ffffU
#define PTWALK_B_SW_MASK	(~PTWALK_B_HW_MASK)
/* ... and software bits, the same on every architecture */
#define PTWALK_B_SOFT_DIRTY	(1U << 16)
#define PTWALK_B_UFFD_WP	(1U << 17)
#define PTWALK_B_SPECIAL	(1U << 18)
#define PTWALK_B_DEVMAP		(1U << 19)
#define PTWALK_B_PROTNONE	(1U << 20)	/* PROT_NONE or NUMA hint */
#define PTWALK_B_SWP_EXCL	(1U << 21)	/* swap entry: was exclusive */
/*
 * D (PTWALK_B_DIRTY) is dirty as pte_dirty()/pmd_dirty() say: the hardware
 * D bit, or x86's SavedDirty (bit 58), where kernels with user shadow
 * stacks (Debian 6.12, 7.2) move D when they write-protect a dirty entry
 * (fork, mprotect, uffd-wp) so that W=0,D=1 never looks like shadow stack.
 * PTWALK_B_SAVED_DIRTY says the dirtiness is held there (hardware D clear).
 * arm64: hardware dirty is DBM set with AP[2] clear, the software dirty
 * bit (PTE_DIRTY, 55) holds it across write-protection: SAVED_DIRTY is
 * software dirty without hardware dirty.
 */
#define PTWALK_B_SAVED_DIRTY	(1U << 22)
/*
 * arm64 only, decoded from hardware bits (so not in PTWALK_B_HW_MASK):
 * SH_TCR says OSH/ISH come from TCR_EL1.SH0, as every entry's do with
 * LPA2 (52-bit PA: descriptor bits 8-9 are then address bits 50-51);
 * NGNRNE/NGNRE name the device memory type of a DEVICE entry (MAIR
 * attribute 0x00/0x04: Linux's MT_DEVICE_nGnRnE/MT_DEVICE_nGnRE; neither:
 * nGRE or GRE); GCS marks a Guarded Control Stack page
 * (ptwalk_arm64_is_gcs()), only where the kernel has FEAT_GCS (6.13+).
 */
#define PTWALK_B_ARM64_SH_TCR	(1U << 23)
#define PTWALK_B_ARM64_NGNRNE	(1U << 24)
#define PTWALK_B_ARM64_NGNRE	(1U << 25)
#define PTWALK_B_ARM64_GCS	(1U << 26)

/* Facts about the mapped page (struct ptwalk_rec.page) */
#define PTWALK_P_ANON		(1U << 0)
#define PTWALK_P_FILE		(1U << 1)	/* page cache, incl. shmem */
#define PTWALK_P_SHMEM		(1U << 2)	/* shmem/tmpfs, MAP_SHARED anon */
#define PTWALK_P_KSM		(1U << 3)
#define PTWALK_P_ZERO		(1U << 4)	/* the shared zero page */
#define PTWALK_P_HUGE_ZERO	(1U << 5)	/* the huge zero page */
#define PTWALK_P_THP		(1U << 6)	/* large folio, not hugetlb */
#define PTWALK_P_HUGETLB	(1U << 7)
#define PTWALK_P_ANON_EXCL	(1U << 8)	/* PageAnonExclusive */
#define PTWALK_P_LRU		(1U << 9)
#define PTWALK_P_ACTIVE		(1U << 10)
#define PTWALK_P_REFERENCED	(1U << 11)
#define PTWALK_P_DIRTY		(1U << 12)
#define PTWALK_P_WRITEBACK	(1U << 13)
#define PTWALK_P_MLOCKED	(1U << 14)
#define PTWALK_P_UNEVICTABLE	(1U << 15)
#define PTWALK_P_SWAPCACHE	(1U << 16)
#define PTWALK_P_NOPAGE		(1U << 17)	/* no struct page (PFN map) */
#define PTWALK_P_SHARED		(1U << 18)	/* folio maybe mapped by >1 mm */
#define PTWALK_P_HIDDEN		(1U << 19)	/* unprivileged: counts hidden */
/*
 * hugetlb: the kernel's hugetlb_pmd_shared() calls the table holding the
 * entry shared (PMD table sharing between processes mapping one hugetlbfs
 * file), and pagemap (6.12 and later) then clears bit 56 whatever the
 * mapcount.  For a 1G entry the kernel reads this from the PUD table, where
 * the field it reads (page->index) means nothing, so it can be set for an
 * unshared table: ptwalk reports what the kernel reads.
 */
#define PTWALK_P_TABLE_SHARED	(1U << 20)

/*
 * Copy-on-write verdict for a present entry (struct ptwalk_rec.cow):
 * what the next write through this mapping does.
 */
enum ptwalk_cow {
	PTWALK_COW_NA		= 0,	/* not present: a write faults */
	PTWALK_COW_WRITABLE	= 1,	/* writable now, no fault */
	PTWALK_COW_REUSE	= 2,	/* write fault reuses the page */
	PTWALK_COW_COPY		= 3,	/* write fault copies the page */
	PTWALK_COW_NONE		= 4,	/* shared or read-only: no CoW */
	PTWALK_COW_UFFD		= 5,	/* uffd-wp: the write is reported */
};

/* struct ptwalk_hdr.flags */
#define PTWALK_H_PHYS_HIDDEN	(1U << 0)	/* unprivileged view, see above */
#define PTWALK_H_LA57		(1U << 1)	/* 5-level paging */
#define PTWALK_H_SINGLE		(1U << 2)	/* single-address query */
#define PTWALK_H_WHO		(1U << 3)	/* who maps: start/end are PFNs */
#define PTWALK_H_KERNEL		(1U << 4)	/* kernel=1 or kaddr= answer */
#define PTWALK_H_KPTI		(1U << 5)	/* user=1: the KPTI user copy */
#define PTWALK_H_KPTI_OFF	(1U << 6)	/* KPTI is off on this boot */
#define PTWALK_H_SUMMARY	(1U << 7)	/* format=summary: counts, no entries */

enum ptwalk_walker {
	PTWALK_WALKER_KERNEL	= 1,	/* the kernel's walk_page_range */
	PTWALK_WALKER_BUILTIN	= 2,	/* ptwalk's own walker */
	PTWALK_WALKER_PTDUMP	= 3,	/* the kernel's ptdump walk (kernel=1) */
};

/* struct ptwalk_hdr.arch: whose names the per-architecture bits have */
enum ptwalk_arch {
	PTWALK_ARCH_X86_64	= 1,
	PTWALK_ARCH_ARM64	= 2,	/* 4K granule, 48-bit VA, 4 levels */
};

struct ptwalk_hdr {
	__u64 magic;		/* PTWALK_MAGIC */
	__u16 version;		/* PTWALK_VERSION */
	__u16 hdr_size;		/* sizeof(struct ptwalk_hdr) */
	__u16 rec_size;		/* size of each following record */
	__u8  walker;		/* enum ptwalk_walker */
	__u8  arch;		/* enum ptwalk_arch */
	__u32 pid;
	__u32 flags;		/* PTWALK_H_* */
	__u64 start;		/* queried range [start, end) */
	__u64 end;
	char  comm[16];
};

#define PTWALK_REC_SIZE		64
#define PTWALK_REC_TYPE_OFFSET	48

/* PTWALK_REC_ENTRY: one page-table leaf entry. */
struct ptwalk_rec {
	__u64 vaddr;		/* first address mapped by the entry */
	__u64 raw;		/* raw entry value as in the page table */
	__u64 pfn;		/* present/migration: PFN */
	__u64 swap_offset;	/* swap offset */
	__u32 bits;		/* PTWALK_B_* */
	__u32 page;		/* PTWALK_P_* */
	__s32 mapcount;		/* see README: per-page mapcount rule */
	__s32 refcount;		/* folio reference count */
	__u8  type;		/* enum ptwalk_rec_type: at offset 48 always */
	__u8  level;		/* enum ptwalk_level */
	__u8  kind;		/* enum ptwalk_kind */
	__u8  shift;		/* log2 of the size mapped: 12, 21, 30 */
	__u8  order;		/* folio order */
	__u8  cow;		/* enum ptwalk_cow */
	__u8  sub;		/* PTWALK_MIG_* or PTWALK_MARKER_* */
	__u8  pkey;		/* protection key */
	__u16 swap_type;	/* swap area index, as in /proc/swaps order */
	__s16 node;		/* NUMA node of the page, -1 if none */
	__u32 subpage;		/* index of this page in its folio */
};

/* struct ptwalk_vma.flags: ptwalk's names, translated from vm_flags */
#define PTWALK_VMA_READ		(1U << 0)	/* rd: VM_READ */
#define PTWALK_VMA_WRITE	(1U << 1)	/* wr: VM_WRITE */
#define PTWALK_VMA_EXEC		(1U << 2)	/* ex: VM_EXEC */
#define PTWALK_VMA_SHARED	(1U << 3)	/* sh: VM_MAYSHARE (maps' "s") */
#define PTWALK_VMA_SOFTDIRTY	(1U << 4)	/* sd: VM_SOFTDIRTY, see above */
#define PTWALK_VMA_PFNMAP	(1U << 5)	/* pf: VM_PFNMAP, no struct page */
#define PTWALK_VMA_MIXEDMAP	(1U << 6)	/* mm: VM_MIXEDMAP */
#define PTWALK_VMA_HUGETLB	(1U << 7)	/* ht: hugetlbfs */
#define PTWALK_VMA_LOCKED	(1U << 8)	/* lo: VM_LOCKED (mlock) */
#define PTWALK_VMA_IO		(1U << 9)	/* io: VM_IO */
#define PTWALK_VMA_GROWSDOWN	(1U << 10)	/* gd: a stack */
#define PTWALK_VMA_UFFD_WP	(1U << 11)	/* uw: userfaultfd wp */
#define PTWALK_VMA_UFFD_MISSING	(1U << 12)	/* um: userfaultfd missing */
#define PTWALK_VMA_SHADOW_STACK	(1U << 13)	/* ss: user shadow stack */
#define PTWALK_VMA_HUGEPAGE	(1U << 14)	/* hg: MADV_HUGEPAGE */
#define PTWALK_VMA_NOHUGEPAGE	(1U << 15)	/* nh: MADV_NOHUGEPAGE */
#define PTWALK_VMA_MERGEABLE	(1U << 16)	/* mg: MADV_MERGEABLE (KSM) */
#define PTWALK_VMA_ANON		(1U << 17)	/* an: vma_is_anonymous() */
#define PTWALK_VMA_FILE		(1U << 18)	/* fl: has a file (vm_file) */

/* PTWALK_REC_VMA: a VMA, [start, end). */
struct ptwalk_vma {
	__u64 start;
	__u64 end;
	__u64 pgoff;		/* vm_pgoff: file offset in pages */
	__u32 flags;		/* PTWALK_VMA_* */
	__u8  pad[20];
	__u8  type;		/* PTWALK_REC_VMA, at offset 48 */
	__u8  pad2[15];
};

/* PTWALK_REC_NAME: PTWALK_NAME_BYTES more bytes of the VMA's name. */
#define PTWALK_NAME_BYTES	48
struct ptwalk_name {
	char  name[PTWALK_NAME_BYTES];	/* NUL padded */
	__u8  type;		/* PTWALK_REC_NAME, at offset 48 */
	__u8  pad[15];
};

/*
 * PTWALK_REC_LEVEL: the entry at one level of a single-address query's
 * translation (pgd, p4d when 5-level, pud, pmd, pte), from the top down.
 * @kind is PTWALK_K_TABLE for an entry pointing to the next table,
 * PTWALK_K_PRESENT for the leaf, PTWALK_K_NONE for an empty entry and
 * PTWALK_K_UNKNOWN for a non-present one (the entry record says more).
 */
struct ptwalk_lvl {
	__u64 vaddr;		/* the queried address */
	__u64 raw;		/* raw entry value */
	__u64 table_pfn;	/* PFN of the table holding the entry */
	__u64 pad;
	__u32 bits;		/* PTWALK_B_*: present or table entries */
	__u32 index;		/* index of the entry in its table */
	__u8  pad2[8];
	__u8  type;		/* PTWALK_REC_LEVEL, at offset 48 */
	__u8  level;		/* enum ptwalk_level */
	__u8  kind;		/* enum ptwalk_kind */
	__u8  pad3[13];
};

/* x86-64: the PFN field of a present entry (bits 12-51), as in raw. */
#define PTWALK_RAW_PFN_MASK	0x000ffffffffff000ULL
/*
 * x86-64: what a non-present entry (swap, migration, device, hwpoison,
 * marker) keeps of raw in the unprivileged view: bits 0-8, its software
 * flags.  The type sits in bits 59-63 and the inverted offset or PFN in
 * bits 9-58 (SWP_OFFSET_FIRST_BIT): all of them go.
 */
#define PTWALK_RAW_SWP_FLAGS	0x00000000000001ffULL
/*
 * arm64 (4K granule): the output address of a present entry is bits 12-49
 * (48-49 are RES0 with 48-bit PA; with LPA2, 52-bit PA, address bits 50-51
 * sit in bits 8-9, which the module hides in the unprivileged view and the
 * MORE rule treats as other bits); a non-present entry keeps bits 0-2
 * (valid, table/page and the swap-exclusive flag): the swap type starts at
 * bit 3 (6.1) or 6 (6.12+), the offset above it.
 */
#define PTWALK_ARM64_RAW_PFN_MASK	0x0003fffffffff000ULL
#define PTWALK_ARM64_RAW_SWP_FLAGS	0x0000000000000007ULL

/*
 * arm64: a descriptor's permission indirection index (FEAT_S1PIE), as the
 * kernel's pte_pi_index(): UXN (bit 54), PXN (53), DBM = PTE_WRITE (51)
 * and AP[1] = PTE_USER (6) as index bits 3-0.
 */
static inline unsigned int ptwalk_arm64_pi_index(__u64 raw)
{
	return (unsigned int)(((raw >> 54) & 1) << 3 | ((raw >> 53) & 1) << 2 |
			      ((raw >> 51) & 1) << 1 | ((raw >> 6) & 1));
}

/*
 * arm64: is valid descriptor @raw a Guarded Control Stack page as Linux
 * 6.13+ encodes one (arch/arm64/include/asm/pgtable-prot.h, 7.2): index
 * 0xb, _PAGE_GCS (UXN, PTE_WRITE, PTE_USER, no PXN), or 0x9, _PAGE_GCS_RO
 * (UXN, PTE_USER)?  Other user pages always carry PXN.  The encoding means
 * GCS only where the kernel runs with GCS and PIE; the module asks
 * system_supports_gcs() before it sets PTWALK_B_ARM64_GCS.
 */
static inline int ptwalk_arm64_is_gcs(__u64 raw)
{
	unsigned int pi = ptwalk_arm64_pi_index(raw);

	return (raw & 1) && (pi == 0x9 || pi == 0xb);
}
#define PTWALK_MORE_MAX		6
/*
 * x86-64: a swap entry keeps its offset inverted in bits 9-58 (the L1TF
 * mitigation, __swp_entry()), so the entry of the next slot holds raw
 * minus this.
 */
#define PTWALK_RAW_SWP_OFFSET_STEP	(1ULL << 9)

/* How an entry's raw PFN field holds its PFN (ptwalk_raw_pfn_form()). */
enum ptwalk_pfn_form {
	PTWALK_PFN_OTHER	= 0,	/* neither: never continued by a MORE */
	PTWALK_PFN_PLAIN	= 1,	/* pfn << 12 */
	PTWALK_PFN_INVERTED	= 2,	/* x86 PROT_NONE entries, see below */
};

/*
 * The PFN field of an entry of 1 << @shift bytes holding @pfn in @form.
 * Inverted: the bits from @shift up are complemented, as x86 stores a
 * PROT_NONE or NUMA-hinting entry (flip_protnone_guard() with the PTE, PMD
 * or PUD page mask); below @shift they are plain (zero but for a huge
 * entry's PAT bit, which never folds).
 */
static inline __u64 ptwalk_raw_pfn_field(__u64 pfn, int form,
					 unsigned int shift)
{
	__u64 field = pfn << 12;

	if (form == PTWALK_PFN_INVERTED)
		field ^= ~((1ULL << shift) - 1);
	return field & PTWALK_RAW_PFN_MASK;
}

/*
 * The form in which @raw holds @pfn for an entry of 1 << @shift bytes.  The
 * two forms differ in every bit of the field from @shift up, so at most
 * one matches.
 */
static inline int ptwalk_raw_pfn_form(__u64 raw, __u64 pfn,
				      unsigned int shift)
{
	__u64 field = raw & PTWALK_RAW_PFN_MASK;

	if (field == ptwalk_raw_pfn_field(pfn, PTWALK_PFN_PLAIN, shift))
		return PTWALK_PFN_PLAIN;
	if (field == ptwalk_raw_pfn_field(pfn, PTWALK_PFN_INVERTED, shift))
		return PTWALK_PFN_INVERTED;
	return PTWALK_PFN_OTHER;
}

/* The PFN field of raw in a stream of architecture @arch (hdr.arch). */
static inline __u64 ptwalk_raw_pfn_mask(int arch)
{
	return arch == PTWALK_ARCH_ARM64 ? PTWALK_ARM64_RAW_PFN_MASK :
					   PTWALK_RAW_PFN_MASK;
}

/*
 * ptwalk_raw_pfn_field() for architecture @arch: arm64 stores every frame
 * plainly in bits 12-49 (a PROT_NONE entry too), so there @form is
 * PTWALK_PFN_PLAIN; its DBM (the kernel's PTE_WRITE, bit 51) and GP (50)
 * bits lie outside the field, unlike x86's bits 12-51.
 */
static inline __u64 ptwalk_raw_pfn_field_arch(__u64 pfn, int form,
					      unsigned int shift, int arch)
{
	if (arch == PTWALK_ARCH_ARM64)
		return (pfn << 12) & PTWALK_ARM64_RAW_PFN_MASK;
	return ptwalk_raw_pfn_field(pfn, form, shift);
}

/* ptwalk_raw_pfn_form() for architecture @arch: arm64 knows PLAIN only. */
static inline int ptwalk_raw_pfn_form_arch(__u64 raw, __u64 pfn,
					   unsigned int shift, int arch)
{
	if (arch == PTWALK_ARCH_ARM64)
		return (raw & PTWALK_ARM64_RAW_PFN_MASK) ==
		       ptwalk_raw_pfn_field_arch(pfn, PTWALK_PFN_PLAIN, shift, arch) ?
		       PTWALK_PFN_PLAIN : PTWALK_PFN_OTHER;
	return ptwalk_raw_pfn_form(raw, pfn, shift);
}

/*
 * PTWALK_REC_MORE: @count (1..PTWALK_MORE_MAX) entries following the one
 * before, each differing from its predecessor only by its size of vaddr and
 * its frame (see the format notes above).  Same size and @type offset as
 * struct ptwalk_rec; the bytes after @count are zero.
 */
struct ptwalk_more {
	__u64 pfn[PTWALK_MORE_MAX];
	__u8  type;		/* PTWALK_REC_MORE, at offset 48 */
	__u8  count;
	__u8  pad[14];
};

/*
 * PTWALK_REC_SWAPRUN: @count (1..PTWALK_SWAPRUN_MAX) 4K swap entries
 * following the one before, each in the next swap slot (see the format
 * notes above and ptwalk_swap_next()).  Unused bytes are zero.
 */
#define PTWALK_SWAPRUN_MAX	512
struct ptwalk_swaprun {
	__u32 count;
	__u8  pad[44];
	__u8  type;		/* PTWALK_REC_SWAPRUN, at offset 48 */
	__u8  pad2[15];
};

/*
 * format=summary (a walk query, not with addr=, pfn=, kernel=1 or kaddr=):
 * the binary answer with PTWALK_H_SUMMARY in its header, the same VMA and
 * NAME records as format=binary, but instead of each VMA's entries one
 * PTWALK_REC_SUMMARY and one PTWALK_REC_SUMMARY2 after the VMA's records:
 * the sums, over the entries format=binary would have carried for the VMA
 * in the same view (an unprivileged reader's entries as hidden, so its
 * counts tell nothing its entries would not), in 4 KiB pages, of what
 * "ptwalk summary" shows.  No ENTRY, MORE, SWAPRUN or LEVEL record; the END
 * record's entries is the sum of the SUMMARY2 records' @entries.  Two
 * records a VMA whatever its size, so a whole process is a few KiB.
 */
struct ptwalk_summary {
	__u64 present;		/* kind present */
	__u64 swapped;		/* kind swap */
	__u64 thp;		/* page & PTWALK_P_THP */
	__u64 hugetlb;		/* page & PTWALK_P_HUGETLB */
	__u64 zero;		/* page & (PTWALK_P_ZERO | PTWALK_P_HUGE_ZERO) */
	__u64 ksm;		/* page & PTWALK_P_KSM (0 in the hidden view) */
	__u8  type;		/* PTWALK_REC_SUMMARY, at offset 48 */
	__u8  pad[7];
	__u64 cow;		/* cow is PTWALK_COW_COPY or PTWALK_COW_REUSE */
};

/* How many NUMA nodes a PTWALK_REC_SUMMARY2 counts one by one. */
#define PTWALK_SUM_NODES	4
struct ptwalk_summary2 {
	__u64 soft_dirty;	/* soft-dirty by pagemap's rule (the VMA's too) */
	__u64 entries;		/* entries summed (ENTRY records plus folded) */
	__u64 node[PTWALK_SUM_NODES];	/* present pages on nodes 0-3 */
	__u8  type;		/* PTWALK_REC_SUMMARY2, at offset 48 */
	__u8  pad[7];
	__u64 node_other;	/* present pages on other nodes, or none (-1) */
};

/*
 * Entry @r of a swap run made the next one in place: the next page, the
 * next slot.  @hidden: the unprivileged view (PTWALK_H_PHYS_HIDDEN), where
 * the offset and its bits of raw read 0 and stay so.
 */
static inline void ptwalk_swap_next(struct ptwalk_rec *r, int hidden)
{
	r->vaddr += 1ULL << r->shift;
	if (hidden)
		return;
	r->swap_offset++;
	r->raw -= PTWALK_RAW_SWP_OFFSET_STEP;
}

/* struct ptwalk_end.status */
enum ptwalk_end_status {
	PTWALK_END_COMPLETE	= 1,	/* every entry of [start, end) */
	PTWALK_END_EXITED	= 2,	/* the target exited: up to @next */
	PTWALK_END_STOPPED	= 3,	/* stopped at @next on @error */
};

/*
 * PTWALK_REC_END: the last record of every answer (version 3).  Same size
 * and @type offset as struct ptwalk_rec; unused bytes are zero.
 */
struct ptwalk_end {
	__u64 next;		/* first address not covered */
	__u64 entries;		/* entries reported, MOREs counted */
	__u64 vmas;		/* VMA records reported */
	__s32 error;		/* -errno when STOPPED, else 0 */
	__u8  status;		/* enum ptwalk_end_status */
	__u8  pad[19];
	__u8  type;		/* PTWALK_REC_END, at offset 48 */
	__u8  pad2[15];
};

/* Who maps: at most this many frames per query (PTWALK_H_WHO). */
#define PTWALK_WHO_MAX_FRAMES	512

/*
 * PTWALK_REC_TASK: the process the following VMA and ENTRY records belong
 * to (who maps).  Pids are as the reader's pid namespace sees them.
 */
struct ptwalk_task {
	__u32 pid;		/* thread-group id */
	__u32 ppid;		/* its parent's, 0 if not visible */
	char  comm[16];
	__u8  pad[24];
	__u8  type;		/* PTWALK_REC_TASK, at offset 48 */
	__u8  pad2[15];
};

/* struct ptwalk_frame.state: what the frame is used for now */
enum ptwalk_frame_state {
	PTWALK_FRAME_MAPPED	= 1,	/* mapped by user page tables */
	PTWALK_FRAME_UNMAPPED	= 2,	/* in use, mapcount 0 (kernel, cache) */
	PTWALK_FRAME_FREE	= 3,	/* refcount 0: free (or being freed) */
	PTWALK_FRAME_SLAB	= 4,	/* slab memory */
	PTWALK_FRAME_PGTABLE	= 5,	/* a page table */
	PTWALK_FRAME_RESERVED	= 6,	/* PageReserved (kernel image, ...) */
	PTWALK_FRAME_ZERO	= 7,	/* the shared zero page */
};

/*
 * PTWALK_REC_FRAME: one frame's facts when the walk was over (who maps).
 * @page holds PTWALK_P_ANON, _FILE, _SHMEM, _KSM, _THP, _HUGETLB and the
 * page-flag facts (_LRU ... _SWAPCACHE); @mapcount is the per-page rule of
 * struct ptwalk_rec (what /proc/kpagecount says).  @index is the frame's
 * page offset in its file for a page-cache frame, else 0 (anonymous pages
 * have no file offset to tell).  @kaddr is the kernel's direct-map address
 * of the frame (the answer is root's only).  NAME records follow with the
 * file's path when it is known, then MEMCG records with the path of the
 * memory cgroup the frame is charged to when @memcg is PTWALK_MEMCG_PATH.
 */
struct ptwalk_frame {
	__u64 pfn;
	__u64 index;		/* page-cache frames: offset in pages */
	__u32 page;		/* PTWALK_P_* */
	__s32 mapcount;
	__s32 refcount;
	__u32 subpage;		/* index of the frame in its folio */
	__s16 node;
	__u8  order;		/* folio order */
	__u8  state;		/* enum ptwalk_frame_state */
	__u8  memcg;		/* enum ptwalk_memcg_state */
	__u8  pad[3];
	__u64 kaddr;		/* its direct-map address, 0 without struct page */
	__u8  type;		/* PTWALK_REC_FRAME, at offset 48 */
	__u8  pad2[15];
};

/* struct ptwalk_frame.memcg: the memory cgroup the frame is charged to */
enum ptwalk_memcg_state {
	PTWALK_MEMCG_UNKNOWN	= 0,	/* not read: not mapped/unmapped, changed, no memcg */
	PTWALK_MEMCG_NONE	= 1,	/* charged to none */
	PTWALK_MEMCG_PATH	= 2,	/* MEMCG records follow with the path */
};

/*
 * PTWALK_REC_MEMCG: PTWALK_NAME_BYTES more bytes of the path of a FRAME's
 * memory cgroup, as the reader's cgroup namespace sees it (as in
 * /proc/PID/cgroup), after the FRAME's NAME records.
 */
struct ptwalk_memcg {
	char  path[PTWALK_NAME_BYTES];	/* NUL padded */
	__u8  type;		/* PTWALK_REC_MEMCG, at offset 48 */
	__u8  pad[15];
};

/*
 * PTWALK_REC_TALLY: the last record before END (who maps).  @mappings
 * counts (entry, frame) pairs found: an entry mapping k frames of the range
 * counts k.  @mapcount is the sum of the frames' mapcounts (struct
 * ptwalk_frame).  @tasks processes were visited, @gone of them exited (or
 * were exiting) before their VMAs were all seen.
 */
struct ptwalk_tally {
	__u64 mappings;
	__u64 mapcount;
	__u32 tasks;
	__u32 gone;
	__u32 frames;		/* FRAME records */
	__u8  equal;		/* @mappings == @mapcount */
	__u8  pad[19];
	__u8  type;		/* PTWALK_REC_TALLY, at offset 48 */
	__u8  pad2[15];
};

/*
 * The kernel's page tables (debugfs only, root: CAP_SYS_ADMIN; /proc/ptwalk
 * refuses them with EPERM: kernel addresses are KASLR secrets).
 *
 *   kernel=1 [user=1] [pid=N|self]   every range of pid's PGD (default: the
 *                                    reader's), user half and the kernel
 *                                    half every process shares; user=1:
 *                                    the KPTI user copy of that PGD
 *   kaddr=A [user=1] [pid=N|self]    every level of kernel address A
 *   format=text|merged|binary        (merged: kernel=1 text only)
 *
 * kernel=1 is answered by the kernel's own walk,
 * ptdump_walk_pgd_level_debugfs() (hdr.walker PTWALK_WALKER_PTDUMP), with
 * the locks it takes (get_online_mems, the mm's and init_mm's mmap locks
 * for writing), into a buffer of the module's, parsed into records.  Its
 * ranges are ptdump's: runs of equal leaf protection at one level, a run
 * also broken at every region marker.  The stream is
 *
 *   KINFO                the bases (struct ptwalk_kinfo), always first
 *   REGION KRANGE*       per ptdump marker ("Low Kernel Mapping" is the
 *                        direct map, "High Kernel Mapping" the kernel
 *                        image ...), then its present ranges
 *   END                  entries = KRANGE records, vmas = REGION records
 *
 * With user=1 and KPTI off the answer holds only KINFO (hdr and KINFO flag
 * PTWALK_H_KPTI_OFF) and END: there is no user copy, user mode runs on the
 * same PGD as the kernel.  kaddr= answers LEVEL records (the ones of a
 * user address query, struct ptwalk_lvl), one KADDR and END.
 *
 * Text: "# kernel page_offset_base=0x.. vmalloc_base=0x.. vmemmap_base=0x..
 * phys_base=0x.. pgd=kernel|user kpti=on|off", "region 0xSTART NAME",
 * "0xSTART-0xEND SIZE LEVEL hw=BITS mt=MEMTYPE"; merged: one line per run
 * of contiguous ranges of one region with equal bits but PS,
 * "0xSTART-0xEND SIZE hw=BITS mt=MEMTYPE pages=1Gx3,2Mx7,4Kx9"; kaddr:
 * level lines then "kaddr 0xA phys=0xP pfn=0xN SIZE LEVEL hw=BITS".
 * ptdump prints at most 16 lines of the ESPfix area: REGION.skipped says
 * how many ranges it left out.
 *
 * KRANGE and KADDR bits are a leaf's own (PTWALK_B_PSE is only ever PS
 * there, PAT is PTWALK_B_PAT), not the effective ones: on x86-64 every
 * kernel table entry above a leaf is _KERNPG_TABLE (RW, no NX), so for the
 * kernel half the two agree.  Not an atomic snapshot across readers: the
 * walk holds the locks only while it runs.
 */
#define PTWALK_KDESC_BYTES	24

/* PTWALK_REC_KINFO: where this boot put things (KASLR moves them). */
struct ptwalk_kinfo {
	__u64 page_offset_base;	/* the direct map: phys 0 */
	__u64 vmalloc_base;
	__u64 vmemmap_base;
	__u64 phys_base;	/* the kernel image's physical load delta */
	__u32 flags;		/* PTWALK_H_KPTI, PTWALK_H_KPTI_OFF */
	__u32 levels;		/* 4 or 5 */
	__u8  pad[8];
	__u8  type;		/* PTWALK_REC_KINFO, at offset 48 */
	__u8  pad2[15];
};

/* PTWALK_REC_REGION: one of ptdump's address markers. */
struct ptwalk_region {
	__u64 start;		/* first range's start (0 if none) */
	__u32 ranges;		/* KRANGE records that follow */
	__u32 skipped;		/* ranges ptdump did not print */
	char  name[PTWALK_KDESC_BYTES];	/* ptdump's name, NUL padded */
	__u8  pad[8];
	__u8  type;		/* PTWALK_REC_REGION, at offset 48 */
	__u8  pad2[15];
};

/*
 * PTWALK_REC_KRANGE: [start, end) mapped by entries of one level; a range
 * reaching the top of the address space has end 0xffffffffffffffff.
 */
struct ptwalk_krange {
	__u64 start;
	__u64 end;
	__u64 pad[2];
	__u32 bits;		/* PTWALK_B_*: P W U PWT PCD PS G NX PAT */
	__u32 region;		/* index of its REGION, from 0 */
	__u8  pad2[8];
	__u8  type;		/* PTWALK_REC_KRANGE, at offset 48 */
	__u8  level;		/* enum ptwalk_level */
	__u8  shift;		/* log2 of the entry size: 12, 21, 30 ... */
	__u8  pad3[13];
};

/*
 * PTWALK_REC_KADDR: kaddr='s leaf, after its LEVEL records, and for a
 * cross-check what the kernel's exported lookup_address() says of it.
 */
struct ptwalk_kaddr {
	__u64 vaddr;		/* the queried address */
	__u64 phys;		/* its physical address, 0 if not mapped */
	__u64 pfn;		/* the leaf's frame */
	__u64 raw;		/* the leaf entry */
	__u32 bits;		/* PTWALK_B_* as in KRANGE */
	__u8  lk_level;		/* lookup_address()'s leaf level, 0xff none */
	__u8  pad[3];
	__u64 lk_raw;		/* the entry lookup_address() returned */
	__u8  type;		/* PTWALK_REC_KADDR, at offset 48 */
	__u8  level;		/* enum ptwalk_level of the leaf */
	__u8  shift;		/* 0: not mapped */
	__u8  kind;		/* PTWALK_K_PRESENT or _NONE */
	__u8  pad2[12];
};

/*
 * x86 memory type of a kernel range from PWT, PCD and PAT, by Linux's PAT
 * MSR setup (pat_bp_init(): WB WC UC- UC WB WP UC- WT); without PAT the
 * last bit is ignored.
 */
static inline unsigned int ptwalk_pat_index(__u32 bits)
{
	return (bits & PTWALK_B_PWT ? 1 : 0) | (bits & PTWALK_B_PCD ? 2 : 0) |
	       (bits & PTWALK_B_PAT ? 4 : 0);
}

/* Every record, by kind; @type.type is the kind of any of them. */
union ptwalk_record {
	struct ptwalk_rec  entry;
	struct ptwalk_vma  vma;
	struct ptwalk_name name;
	struct ptwalk_lvl  level;
	struct ptwalk_more more;
	struct ptwalk_end  end;
	struct ptwalk_task task;
	struct ptwalk_frame frame;
	struct ptwalk_tally tally;
	struct ptwalk_memcg memcg;
	struct ptwalk_swaprun swaprun;
	struct ptwalk_kinfo kinfo;
	struct ptwalk_region region;
	struct ptwalk_krange krange;
	struct ptwalk_kaddr kaddr;
	struct ptwalk_summary summary;
	struct ptwalk_summary2 summary2;
	struct {
		__u8 pad[PTWALK_REC_TYPE_OFFSET];
		__u8 type;
	} type;
};

/*
 * The run rule of format=merged and of the CLI's overview: entry @r
 * continues the run of @count entries starting with @first when it has the
 * same level, kind, bits, page facts, cow, node, order, sub, pkey and swap
 * type, starts where the run ends and, when frames are shown (!@hidden),
 * maps the next frame (or, swapped, the next swap slot).  Mapcount,
 * refcount, sub-page and raw may differ.
 */
static inline int ptwalk_run_continues(const struct ptwalk_rec *first,
				       __u64 count, const struct ptwalk_rec *r,
				       int hidden)
{
	if (r->level != first->level || r->kind != first->kind ||
	    r->bits != first->bits || r->page != first->page ||
	    r->cow != first->cow || r->node != first->node ||
	    r->order != first->order || r->sub != first->sub ||
	    r->pkey != first->pkey || r->swap_type != first->swap_type)
		return 0;
	if (r->vaddr != first->vaddr + (count << first->shift))
		return 0;
	if (hidden)
		return 1;
	if (r->kind == PTWALK_K_SWAP)
		return r->swap_offset == first->swap_offset + count;
	return r->pfn == first->pfn + (count << (first->shift - 12));
}

/*
 * @raw as the unprivileged view shows it: a present (or PROT_NONE/NUMA
 * hinting) entry without its PFN field, a non-present one with only its
 * flag bits.  @present: the entry maps a page (kind present or table).
 */
static inline __u64 ptwalk_hide_raw(__u64 raw, int present)
{
	return present ? raw & ~PTWALK_RAW_PFN_MASK : raw & PTWALK_RAW_SWP_FLAGS;
}

/* ptwalk_hide_raw() for a stream of architecture @arch (hdr.arch). */
static inline __u64 ptwalk_hide_raw_arch(__u64 raw, int present, int arch)
{
	if (arch == PTWALK_ARCH_ARM64)
		return present ? raw & ~PTWALK_ARM64_RAW_PFN_MASK :
				 raw & PTWALK_ARM64_RAW_SWP_FLAGS;
	return ptwalk_hide_raw(raw, present);
}

#endif /* _PTWALK_H */
