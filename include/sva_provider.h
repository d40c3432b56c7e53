/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVA domain provider: SVA domains on the CPU's own ASID for one
 * arm-smmu-v3 SMMU, plugged into the driver through a copy of its
 * iommu_ops installed in the SMMU's iommu_device. 6.10+ drivers.
 */
#ifndef SMMU_BTM_SVA_PROVIDER_H
#define SMMU_BTM_SVA_PROVIDER_H

#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/types.h>

#include "asid_alloc.h"
#include "binding.h"
#include "inv_plan.h"

struct iommu_device;
struct iommu_domain;
struct iommu_ops;

/**
 * struct btm_provider - the provider installed on one SMMU
 * @node: entry in the list of installed providers
 * @iommu: the SMMU's iommu_device, whose ops are swapped
 * @smmu: the driver's arm_smmu_device
 * @orig: the driver's ops, put back at removal
 * @ops: the copy installed, with domain_alloc_sva replaced
 * @aa: the SMMU's ASIDs; under the driver's ASID mutex
 * @domains: SVA domains of this provider alive
 * @shared: of those, domains on their mm's CPU ASID
 * @fallbacks: domains given a private ASID because the CPU's could not be
 *	       pinned or did not fit the SMMU
 * @moved: DMA domains moved off a CPU ASID an SVA domain took
 * @released: SVA domains whose mm exited while they lived
 * @inv: what invalidation planning needs of the SMMU
 * @btm: the SMMU takes part in the CPU's broadcast TLB maintenance (its
 *	 SMMU_CR2.PTM is 0 and the decision found BTM usable): SVA domains
 *	 on their mm's CPU ASID need no TLBI command
 * @counts: per CPU, what the SVA domains' invalidations cost
 */
struct btm_provider {
	struct list_head node;
	struct iommu_device *iommu;
	void *smmu;
	const struct iommu_ops *orig;
	struct iommu_ops *ops;
	struct asid_alloc aa;
	atomic_t domains;
	atomic_t shared;
	atomic_t fallbacks;
	atomic_t moved;
	atomic_t released;
	struct inv_smmu inv;
	bool btm;
	struct inv_counts __percpu *counts;
};

/**
 * struct btm_sva - one SVA domain of a provider
 * @node: entry in the provider's list of live SVA domains
 * @p: the provider
 * @smmu_domain: the driver's struct arm_smmu_domain
 * @mm: the mm it shares
 * @mn: registered on @mm; the domain is freed after its SRCU grace period
 * @asid: its ASID
 * @shared: @asid is the mm's CPU ASID, pinned
 */
struct btm_sva {
	struct list_head node;
	struct btm_provider *p;
	void *smmu_domain;
	struct mm_struct *mm;
	struct mmu_notifier mn;
	u16 asid;
	bool shared;
};

int btm_provider_init(const struct btm_binding *binding);
int btm_provider_install(struct btm_provider *p, struct iommu_device *iommu,
			 void *smmu, unsigned int asid_bits,
			 const struct inv_smmu *inv, bool btm);
int btm_provider_remove(struct btm_provider *p);
int btm_sva_domain_asid(struct iommu_domain *domain, u16 *asid, bool *shared);
int btm_sva_domain_cd(struct iommu_domain *domain, __le64 *cd);
void btm_provider_counts(struct btm_provider *p, struct inv_counts *sum);
void btm_sva_free(struct btm_sva *sva);

#endif /* SMMU_BTM_SVA_PROVIDER_H */
