/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Switching broadcast TLB maintenance on and off on one live SMMU.
 */
#ifndef SMMU_BTM_ENABLE_H
#define SMMU_BTM_ENABLE_H

#include <linux/types.h>

#include "binding.h"
#include "cr2_switch.h"

int btm_enable_init(void);
int btm_set_ptm(void *smmu, bool ptm, struct cr2_switch_report *rep);
void btm_live_regs(void *smmu, u32 *cr0, u32 *cr2);
void __iomem *btm_regs(void *smmu);
int btm_invalidate_all(void *smmu, bool el2);

#endif /* SMMU_BTM_ENABLE_H */
