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
#include "generated/layout.h"

/* The command queue became an argument of the driver's function in 6.10. */
static bool cmdq_issue_has_queue;

/**
 * btm_cmdq_init() - find the driver's command queue function
 * @binding: the validated binding
 *
 * Return: 0, or -EOPNOTSUPP for a driver generation before 6.2, whose
 * other structures smmu-btm does not drive.
 */
int btm_cmdq_init(const struct btm_binding *binding)
{
	if (binding->gen != BTM_DRIVER_S1_CFG &&
	    binding->gen != BTM_DRIVER_MASTER_CD &&
	    binding->gen != BTM_DRIVER_DOMAIN && binding->gen != BTM_DRIVER_INVS)
		return -EOPNOTSUPP;
	cmdq_issue_has_queue = binding->gen == BTM_DRIVER_DOMAIN ||
			       binding->gen == BTM_DRIVER_INVS;
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
	if (!cmdq_issue_has_queue)
		return btm_drv.cmdq_issue_cmdlist.on_main(smmu, cmds, n, sync);
	return btm_drv.cmdq_issue_cmdlist.on_queue(smmu,
			BTM_AT(smmu, BTM_OFF_arm_smmu_device__cmdq), cmds, n, sync);
}
