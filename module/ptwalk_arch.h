/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptwalk_arch.h - the architecture interface, from the file of the
 * architecture being built (Kbuild compiles the matching .c): x86-64 in
 * ptwalk_arch_x86.h, which documents each function, arm64 in
 * ptwalk_arch_arm64.h.  This is the one place that chooses.
 */
#ifndef _PTWALK_ARCH_H
#define _PTWALK_ARCH_H

#if defined(CONFIG_X86_64)
#include "ptwalk_arch_x86.h"
#elif defined(CONFIG_ARM64)
#include "ptwalk_arch_arm64.h"
#else
#error "ptwalk decodes x86-64 and arm64 page tables only"
#endif

#endif /* _PTWALK_ARCH_H */
