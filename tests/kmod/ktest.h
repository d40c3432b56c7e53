/* SPDX-License-Identifier: GPL-2.0 */
/* The in-guest test module's checks (tests only). */
#ifndef SMMU_BTM_KTEST_H
#define SMMU_BTM_KTEST_H

#include <linux/bits.h>
#include <linux/types.h>

struct btm_provider;
struct device;
struct mm_struct;

/* TCR_EL1.DS: 52-bit addresses with 4KB or 16KB granules (LPA2) */
#define KTEST_TCR_DS		BIT_ULL(59)

__printf(3, 4)
void check(const char *name, bool ok, const char *fmt, ...);
void ktest_moves(struct mm_struct *mm, unsigned int moves, bool keep);
void ktest_moves_exit(void);
void ktest_bench(unsigned int moves);
struct btm_provider *ktest_provider(struct device **dev);
int ktest_shim_init(void);
void ktest_shim_exit(void);

#endif /* SMMU_BTM_KTEST_H */
