/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Commands through the arm-smmu-v3 driver's own command queue (6.10+).
 */
#ifndef SMMU_BTM_CMDQ_H
#define SMMU_BTM_CMDQ_H

#include <linux/types.h>

#include "binding.h"
#include "smmu_cmds.h"

int btm_cmdq_init(const struct btm_binding *binding);
int btm_cmdq_submit(void *smmu, struct smmu_cmd *cmds, unsigned int n,
		    bool sync);

#endif /* SMMU_BTM_CMDQ_H */
