/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU side of an SVA context: the mm's pinned CPU ASID and the CD
 * parameters that make the SMMU walk the mm's page tables as the CPU does.
 */
#ifndef SMMU_BTM_SVA_MM_H
#define SMMU_BTM_SVA_MM_H

#include <linux/types.h>

#include "smmu_cd.h"

struct mm_struct;

u16 btm_sva_pin_asid(struct mm_struct *mm);
void btm_sva_unpin_asid(struct mm_struct *mm);
int btm_sva_cd_params(struct mm_struct *mm, u16 asid, bool shared,
		      struct smmu_sva_cd *params);

#endif /* SMMU_BTM_SVA_MM_H */
