/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types and helpers the pure-logic files use, so that the same
 * source builds in the module and in the host unit tests (the way the
 * kernel's tools/ harnesses provide <linux/types.h> to user space).
 */
#ifndef SMMU_BTM_TYPES_H
#define SMMU_BTM_TYPES_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/stddef.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define BIT(nr)		(1UL << (nr))
#define GENMASK(h, l)	((~0UL << (l)) & (~0UL >> (63 - (h))))
#endif

/* Extract the field @mask (contiguous, non-zero) from @reg. */
static inline u32 btm_field(u64 reg, u64 mask)
{
	return (u32)((reg & mask) >> __builtin_ctzll(mask));
}

#endif /* SMMU_BTM_TYPES_H */
