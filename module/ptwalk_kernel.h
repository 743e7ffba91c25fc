/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_kernel.h - the kernel's page tables (kernel=1, kaddr=): the
 * kernel's own ptdump walk captured and parsed, one address translated.
 */
#ifndef _PTWALK_KERNEL_H
#define _PTWALK_KERNEL_H

struct ptwalk_ctx;
struct seq_file;

void ptwalk_kernel_init(void);
void ptwalk_kernel_status(struct seq_file *m);

int ptwalk_kernel_setup(struct ptwalk_ctx *ctx, const char **why);
void ptwalk_kernel_header(struct ptwalk_ctx *ctx);
int ptwalk_kernel_chunk(struct ptwalk_ctx *ctx);
void ptwalk_kernel_free(struct ptwalk_ctx *ctx);

#endif /* _PTWALK_KERNEL_H */
