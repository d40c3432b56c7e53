/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Accessors for the arm-smmu-v3 driver's struct arm_smmu_domain, laid out
 * from the target kernel's BTF (generated/layout.h). 6.2+ drivers.
 */
#ifndef SMMU_BTM_DRIVER_DOMAIN_H
#define SMMU_BTM_DRIVER_DOMAIN_H

#include <linux/types.h>

#include "btm_decision.h"
#include "driver_gen.h"
#include "generated/layout.h"

struct arm_smmu_device;
struct iommu_domain;

/* The address @off bytes into the driver's structure at @p. */
#define BTM_AT(p, off)	((void *)((char *)(p) + (off)))

/* The driver's domain that holds @domain. */
static inline void *smmu_domain_of(struct iommu_domain *domain)
{
	return (char *)domain - BTM_OFF_arm_smmu_domain__domain;
}

/* The iommu_domain inside the driver's domain @smmu_domain. */
static inline struct iommu_domain *domain_in(void *smmu_domain)
{
	return BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__domain);
}

/*
 * Where the driver's domain keeps its context descriptor, struct
 * arm_smmu_ctx_desc: cd (6.7+), or s1_cfg.cd (6.2 to 6.6).
 */
#define DOMAIN_CD_OFF	(BTM_OFF_arm_smmu_domain__cd >= 0 ?		\
			 BTM_OFF_arm_smmu_domain__cd :			\
			 BTM_OFF_arm_smmu_domain__s1_cfg +		\
			 BTM_OFF_arm_smmu_s1_cfg__cd)

/* What the driver's ASID xarray holds: see struct btm_gen_ops. */
#define DRIVER_XA_HOLDS_CD	(btm_gen->xa_holds_cd)

/* Where the driver's domain keeps its ASID (cd.asid). */
static inline u16 *domain_asid(void *smmu_domain)
{
	return BTM_AT(smmu_domain, DOMAIN_CD_OFF +
		  BTM_OFF_arm_smmu_ctx_desc__asid);
}

/* What the driver's ASID xarray holds for the domain @smmu_domain. */
static inline void *domain_xa_entry(void *smmu_domain)
{
	return DRIVER_XA_HOLDS_CD ? BTM_AT(smmu_domain, DOMAIN_CD_OFF) :
				    smmu_domain;
}

/* The SMMU the driver's domain is finalised on. */
static inline struct arm_smmu_device *domain_smmu(void *smmu_domain)
{
	return *(struct arm_smmu_device **)
		BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__smmu);
}

#endif /* SMMU_BTM_DRIVER_DOMAIN_H */
