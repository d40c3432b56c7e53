// SPDX-License-Identifier: GPL-2.0
/*
 * Commands through the arm-smmu-v3 driver's own command queue: its
 * arm_smmu_cmdq_issue_cmdlist(), on the SMMU's main queue (which takes
 * every command, where an implementation adds secondary ones). The driver
 * serialises producers itself, so smmu-btm's commands interleave safely
 * with its own, from any context the driver issues from.
 *
 * Design: doc/invalidation-shim.md.
 */
#include <linux/errno.h>

#include "cmdq.h"
#include "driver_calls.h"
#include "driver_domain.h"
#include "driver_gen.h"
#include "generated/layout.h"

/**
 * btm_cmdq_issue_main() - 6.2 to 6.8: commands to the SMMU's main queue
 * @smmu: the driver's struct arm_smmu_device
 * @cmds: the commands (struct smmu_cmd, the driver's command layout)
 * @n: how many (0 with @sync: only the sync)
 * @sync: add a CMD_SYNC and wait for it
 *
 * Context: any the driver issues commands from.
 * Return: 0, or the driver's error (a sync that timed out).
 */
int btm_cmdq_issue_main(struct arm_smmu_device *smmu, void *cmds,
			unsigned int n, bool sync)
{
	return btm_drv.cmdq_issue_cmdlist.on_main(smmu, cmds, n, sync);
}

/**
 * btm_cmdq_issue_queue() - 6.10+: the same, the main queue given to the
 * driver's function, which takes the queue to use since 6.10
 * @smmu: the driver's struct arm_smmu_device
 * @cmds: the commands
 * @n: how many
 * @sync: add a CMD_SYNC and wait for it
 *
 * Context: any the driver issues commands from.
 * Return: 0, or the driver's error.
 */
int btm_cmdq_issue_queue(struct arm_smmu_device *smmu, void *cmds,
			 unsigned int n, bool sync)
{
	return btm_drv.cmdq_issue_cmdlist.on_queue(smmu,
			BTM_AT(smmu, BTM_OFF_arm_smmu_device__cmdq), cmds, n, sync);
}

/**
 * btm_cmdq_init() - check that the bound driver's command queue is usable
 *
 * Return: 0, or -EOPNOTSUPP for a driver generation whose structures
 * smmu-btm does not drive (6.1), or -ENOENT without the driver's function.
 */
int btm_cmdq_init(void)
{
	if (!btm_gen || !btm_gen->cmdq_issue)
		return -EOPNOTSUPP;
	return btm_drv.cmdq_issue_cmdlist.on_main ? 0 : -ENOENT;
}

/**
 * btm_cmdq_submit() - queue commands on one SMMU, optionally a sync after
 * @smmu: the driver's struct arm_smmu_device
 * @cmds: the commands
 * @n: how many (0 with @sync: only the sync)
 * @sync: add a CMD_SYNC and wait for it
 *
 * Context: any the driver issues commands from; btm_cmdq_init() succeeded.
 * Return: 0, or the driver's error (a sync that timed out).
 */
int btm_cmdq_submit(void *smmu, struct smmu_cmd *cmds, unsigned int n,
		    bool sync)
{
	return btm_gen->cmdq_issue(smmu, cmds, n, sync);
}
