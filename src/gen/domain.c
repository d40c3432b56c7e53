// SPDX-License-Identifier: GPL-2.0
/*
 * Driver generations 6.10 to 6.12 and 6.13 to 6.19: SVA domains of the
 * driver's own kind with their CDs written through arm_smmu_write_cd_entry()
 * (sva_domain.c), and commands to a queue the driver's function is given.
 * An ASID move finds its CDs through the stream tree (move_streams.c);
 * invalidations are covered by the probes (move_probes.c). The two differ
 * only in arm_smmu_set_pasid(), which 6.13 on is told the domain attached
 * at the PASID before (the driver replaces one in place).
 *
 * Design: doc/binding.md.
 */
#include <linux/errno.h>

#include "cmdq.h"
#include "driver_calls.h"
#include "driver_gen.h"
#include "generated/layout.h"
#include "move_probes.h"
#include "move_streams.h"
#include "provider_route.h"
#include "sva_domain.h"

static int domain_move_init(void)
{
	return btm_drv.get_cd_ptr && btm_drv.write_cd_entry ?
	       btm_probes_init() : -ENOENT;
}

/* What the two generations share. */
#define DOMAIN_GEN_OPS					\
	.s1_s2vmid_zero = true,				\
	.provider = &btm_route_ops_copy,		\
	.sva_stage = BTM_ENUM_ARM_SMMU_DOMAIN_S1,	\
	.cmdq_issue = btm_cmdq_issue_queue,		\
	.shim_init = btm_sd_shim_init,			\
	.sva_ats_possible = btm_sd_ats_possible,	\
	.sva_plan_atcs = btm_sd_plan_atcs,		\
	.sva_quiesce = btm_sd_quiesce,			\
	.sva_domain_free = btm_sd_domain_free,		\
	.move_init = domain_move_init,			\
	BTM_GEN_MOVE_PROBES,				\
	.move_find_cds = btm_streams_find_cds,		\
	.move_write_cd = btm_streams_write_cd,		\
	.move_unlisted_cds = btm_streams_unlisted_cds

const struct btm_gen_ops btm_gen_domain = {
	.gen = BTM_DRIVER_DOMAIN,
	.sva_attach_cd = btm_sd_attach_cd,
	DOMAIN_GEN_OPS,
};

const struct btm_gen_ops btm_gen_replace = {
	.gen = BTM_DRIVER_REPLACE,
	.sva_attach_cd = btm_sd_attach_cd_old,
	DOMAIN_GEN_OPS,
};
