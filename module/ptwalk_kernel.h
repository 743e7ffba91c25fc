/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_kernel.h - the kernel's page tables (kernel=1, kaddr=): the
 * kernel's own ptdump walk captured and parsed, one address translated.
 */
#ifndef _PTWALK_KERNEL_H
#define _PTWALK_KERNEL_H

struct ptwalk_ctx;
struct seq_file;

#ifdef CONFIG_X86_64
void ptwalk_kernel_init(void);
void ptwalk_kernel_status(struct seq_file *m);

int ptwalk_kernel_setup(struct ptwalk_ctx *ctx, const char **why);
void ptwalk_kernel_header(struct ptwalk_ctx *ctx);
int ptwalk_kernel_chunk(struct ptwalk_ctx *ctx);
void ptwalk_kernel_free(struct ptwalk_ctx *ctx);
#else
#include <linux/errno.h>

/*
 * The kernel's tables are read through x86's ptdump (ptwalk_kernel.c is
 * built for x86-64 only): elsewhere kernel=1 and kaddr= are refused.
 */
static inline void ptwalk_kernel_init(void) { }
static inline void ptwalk_kernel_status(struct seq_file *m) { }

static inline int ptwalk_kernel_setup(struct ptwalk_ctx *ctx, const char **why)
{
	*why = "kernel=1/kaddr=: the kernel's page tables are read on x86-64 only";
	return -EOPNOTSUPP;
}

static inline void ptwalk_kernel_header(struct ptwalk_ctx *ctx) { }
static inline int ptwalk_kernel_chunk(struct ptwalk_ctx *ctx) { return 0; }
static inline void ptwalk_kernel_free(struct ptwalk_ctx *ctx) { }
#endif

#endif /* _PTWALK_KERNEL_H */
