/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.10+: the provider's SVA domains are the driver's own kind, attached
 * per master and SSID; how the shim reaches their masters and quiesces
 * their CDs.
 */
#ifndef SMMU_BTM_SVA_DOMAIN_H
#define SMMU_BTM_SVA_DOMAIN_H

#include <linux/types.h>

struct btm_sva;
struct inv_batch;
struct iommu_domain;

int btm_sd_shim_init(void);
bool btm_sd_ats_possible(struct btm_sva *sva);
void btm_sd_plan_atcs(struct inv_batch *b, struct btm_sva *sva, u64 start,
		      u64 size);
void btm_sd_quiesce(struct btm_sva *sva);
int btm_sd_attach_cd(void *master, void *smmu_domain, u32 pasid, __le64 *cd,
		     struct iommu_domain *old);
int btm_sd_attach_cd_old(void *master, void *smmu_domain, u32 pasid,
			 __le64 *cd, struct iommu_domain *old);
void btm_sd_domain_free(void *smmu_domain);

#endif /* SMMU_BTM_SVA_DOMAIN_H */
