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
#include "driver_domain.h"
#include "generated/layout.h"

struct arm_smmu_device;

/*
 * The driver's prototypes: from 6.10 with the queue to use, before without
 * (the SMMU's main queue). cmds is struct arm_smmu_cmd[n] (7.x) or
 * u64[2 * n] (6.x), the same bytes as struct smmu_cmd[n].
 */
static union {
	int (*queue)(struct arm_smmu_device *smmu, void *cmdq, void *cmds,
		     int n, bool sync);
	int (*main)(struct arm_smmu_device *smmu, void *cmds, int n,
		    bool sync);
} cmdq_issue;
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
	void *fn = (void *)binding->addr[BTM_SYM_CMDQ_ISSUE_CMDLIST];

	if (binding->gen != BTM_DRIVER_S1_CFG &&
	    binding->gen != BTM_DRIVER_MASTER_CD &&
	    binding->gen != BTM_DRIVER_DOMAIN && binding->gen != BTM_DRIVER_INVS)
		return -EOPNOTSUPP;
	/* The command queue became an argument in 6.10. */
	cmdq_issue_has_queue = binding->gen == BTM_DRIVER_DOMAIN ||
			       binding->gen == BTM_DRIVER_INVS;
	if (cmdq_issue_has_queue)
		cmdq_issue.queue = fn;
	else
		cmdq_issue.main = fn;
	return fn ? 0 : -ENOENT;
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
		return cmdq_issue.main(smmu, cmds, n, sync);
	return cmdq_issue.queue(smmu,
				BTM_AT(smmu, BTM_OFF_arm_smmu_device__cmdq),
				cmds, n, sync);
}
