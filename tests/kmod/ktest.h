/* SPDX-License-Identifier: GPL-2.0 */
/* The in-guest test module's checks (tests only). */
#ifndef SMMU_BTM_KTEST_H
#define SMMU_BTM_KTEST_H

#include <linux/types.h>

struct mm_struct;

__printf(3, 4)
void check(const char *name, bool ok, const char *fmt, ...);
void ktest_moves(struct mm_struct *mm, unsigned int moves);

#endif /* SMMU_BTM_KTEST_H */
