// SPDX-License-Identifier: GPL-2.0
/*
 * Driver generation 7.x: as 6.10 (sva_domain.c), plus each domain's
 * invalidation array, which the driver's invalidations walk.
 *
 * Design: doc/binding.md.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "cmdq.h"
#include "driver_calls.h"
#include "driver_domain.h"
#include "driver_gen.h"
#include "generated/layout.h"
#include "sva_domain.h"

/* arm_smmu_set_pasid() is told the domain attached at the PASID before. */
static int invs_sva_attach_cd(void *master, void *smmu_domain, u32 pasid,
			      __le64 *cd, struct iommu_domain *old)
{
	return btm_drv.set_pasid.cd_old(master, smmu_domain, pasid,
					(struct arm_smmu_cd *)cd, old);
}

/* arm_smmu_domain_alloc() gave the domain its invalidation array too. */
static void invs_sva_domain_free(void *smmu_domain)
{
	void __rcu **invs = BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__invs);

	kfree(rcu_dereference_protected(*invs, true));
	kfree(smmu_domain);
}

const struct btm_gen_ops btm_gen_invs = {
	.gen = BTM_DRIVER_INVS,
	.s1_s2vmid_zero = true,
	.provider = BTM_PROVIDER_OPS_COPY,
	.sva_stage = BTM_ENUM_ARM_SMMU_DOMAIN_SVA,
	.cmdq_issue = btm_cmdq_issue_queue,
	.shim_init = btm_sd_shim_init,
	.sva_ats_possible = btm_sd_ats_possible,
	.sva_plan_atcs = btm_sd_plan_atcs,
	.sva_quiesce = btm_sd_quiesce,
	.sva_attach_cd = invs_sva_attach_cd,
	.sva_domain_free = invs_sva_domain_free,
};
