/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVA support of one SMMU as the bound driver generation decides it,
 * from the driver's own view of the SMMU (src/gen/sva_rules.c).
 */
#ifndef SMMU_BTM_SVA_RULES_H
#define SMMU_BTM_SVA_RULES_H

#include <linux/types.h>

#include "btm_decision.h"
#include "sva_support.h"

bool btm_sva_facts(void *drv_smmu, const struct btm_cpu_facts *cpu,
		   enum sva_support *verdict, struct sva_cd_hw *hw);

#endif /* SMMU_BTM_SVA_RULES_H */
