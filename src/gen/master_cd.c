// SPDX-License-Identifier: GPL-2.0
/*
 * Driver generation 6.7 to 6.8: the CD table is each master's; SVA CDs go
 * into it with the driver's arm_smmu_write_ctx_desc() (sva_cd_table.c),
 * and commands to the SMMU's main queue.
 *
 * Design: doc/binding.md.
 */
#include "cmdq.h"
#include "driver_gen.h"
#include "sva_cd_table.h"

const struct btm_gen_ops btm_gen_master_cd = {
	.gen = BTM_DRIVER_MASTER_CD,
	.s1_s2vmid_zero = true,
	.provider = BTM_PROVIDER_IN_PLACE,
	.cdt_in_master = true,
	.cmdq_issue = btm_cmdq_issue_main,
	.shim_init = btm_cdt_shim_init,
	.sva_ats_possible = btm_cdt_ats_possible,
	.sva_plan_atcs = btm_cdt_plan_atcs,
	.sva_quiesce = btm_cdt_quiesce,
};
