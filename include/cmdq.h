/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Commands through the arm-smmu-v3 driver's own command queue.
 */
#ifndef SMMU_BTM_CMDQ_H
#define SMMU_BTM_CMDQ_H

#include <linux/types.h>

#include "smmu_cmds.h"

struct arm_smmu_device;

int btm_cmdq_init(void);
int btm_cmdq_issue_main(struct arm_smmu_device *smmu, void *cmds,
			unsigned int n, bool sync);
int btm_cmdq_issue_queue(struct arm_smmu_device *smmu, void *cmds,
			 unsigned int n, bool sync);
int btm_cmdq_submit(void *smmu, struct smmu_cmd *cmds, unsigned int n,
		    bool sync);

#endif /* SMMU_BTM_CMDQ_H */
