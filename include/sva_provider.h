/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVA domain provider: SVA domains on the CPU's own ASID for one
 * arm-smmu-v3 SMMU, plugged into the driver through a copy of its
 * iommu_ops installed in the SMMU's iommu_device. 6.2+ drivers.
 */
#ifndef SMMU_BTM_SVA_PROVIDER_H
#define SMMU_BTM_SVA_PROVIDER_H

#include <linux/iommu.h>
#include <linux/types.h>

#include "inv_plan.h"
#include "sva_objects.h"

int btm_provider_init(void);
int btm_provider_install(struct btm_provider *p, struct iommu_device *iommu,
			 void *smmu, unsigned int asid_bits, bool stall_force,
			 const struct inv_smmu *inv, bool btm);
int btm_provider_remove(struct btm_provider *p);
void btm_provider_rely(struct btm_provider *p, bool btm);
int btm_provider_sva_asid(struct iommu_domain *domain, u16 *asid, bool *shared);
bool btm_provider_mm_shared(struct btm_provider *p, struct mm_struct *mm);
int btm_provider_sva_cd(struct iommu_domain *domain, void *master, __le64 *cd);
void btm_provider_counts(struct btm_provider *p, struct inv_counts *sum);
bool btm_provider_hooks(const struct iommu_ops *ops);

#endif /* SMMU_BTM_SVA_PROVIDER_H */
