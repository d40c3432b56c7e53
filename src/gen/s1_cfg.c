// SPDX-License-Identifier: GPL-2.0
/*
 * Driver generation 6.2 to 6.6: the CD table is the DMA domain's
 * (s1_cfg); SVA CDs go into it with the driver's arm_smmu_write_ctx_desc()
 * (sva_cd_table.c), and commands to the SMMU's main queue.
 *
 * An ASID move rewrites the domain's one CD, SSID 0 of its table
 * (move_cd_table.c). The driver's writer sends CMD_CFGI_CD for every master
 * on the domain's list, which is not every master the SMMU may have cached
 * the CD for: attach installs a master's STE before it adds the master to
 * the list, and detach takes it off the list before its STE goes, each
 * under the group's mutex and the domain's devices_lock, not the ASID
 * mutex a move holds. So after the rewrite the move invalidates every
 * cached configuration of the SMMU (CMD_CFGI_ALL and a sync), and no
 * stream can keep the old CD. Invalidations are covered by the probes
 * (move_probes.c).
 *
 * Design: doc/binding.md, doc/asid-move.md.
 */
#include <linux/errno.h>
#include <linux/error-injection.h>

#include "cmdq.h"
#include "driver_calls.h"
#include "driver_gen.h"
#include "move_cd_table.h"
#include "move_private.h"
#include "move_probes.h"
#include "provider_route.h"
#include "smmu_cmds.h"
#include "sva_cd_table.h"

static noinline int s1_cfg_move_write_cd(struct btm_move *m,
					 struct btm_cd_ref *ref, u16 asid)
{
	u64 copy[MOVE_CD_MAX_BYTES / 8];

	btm_cdt_move_ctx_desc(m, asid, copy);
	return btm_drv.write_ctx_desc(m->smmu_domain, 0, copy);
}

ALLOW_ERROR_INJECTION(s1_cfg_move_write_cd, ERRNO);

/* Every cached configuration of the SMMU: see the top of this file. */
static noinline int s1_cfg_move_cfgi(struct btm_move *m)
{
	struct smmu_cmd cmd;

	smmu_cmd_cfgi_all(&cmd);
	return btm_cmdq_submit(m->smmu, &cmd, 1, true);
}

ALLOW_ERROR_INJECTION(s1_cfg_move_cfgi, ERRNO);

static int s1_cfg_move_init(void)
{
	return btm_drv.write_ctx_desc ? btm_probes_init() : -ENOENT;
}

const struct btm_gen_ops btm_gen_s1_cfg = {
	.gen = BTM_DRIVER_S1_CFG,
	.s1_s2vmid_zero = true,
	.provider = &btm_route_in_place,
	.cmdq_issue = btm_cmdq_issue_main,
	.shim_init = btm_cdt_shim_init,
	.sva_ats_possible = btm_cdt_ats_possible,
	.sva_plan_atcs = btm_cdt_plan_atcs,
	.sva_quiesce = btm_cdt_quiesce,
	.xa_holds_cd = true,
	.move_init = s1_cfg_move_init,
	BTM_GEN_MOVE_PROBES,
	.move_find_cds = btm_cdt_move_find_cds,
	.move_write_cd = s1_cfg_move_write_cd,
	.move_cfgi = s1_cfg_move_cfgi,
};
