/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVA provider's objects: the provider installed on one SMMU and its
 * SVA domains. Shared by the provider (sva_provider.c), the shim
 * (sva_notifier.c) and the generations' files (src/gen/), which call each
 * other only one way: the provider calls the shim, the shim the
 * generation's table.
 */
#ifndef SMMU_BTM_SVA_OBJECTS_H
#define SMMU_BTM_SVA_OBJECTS_H

#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "asid_alloc.h"
#include "inv_plan.h"
#include "sva_support.h"

/**
 * struct btm_provider - the provider installed on one SMMU
 * @node: entry in the list of installed providers
 * @iommu: the SMMU's iommu_device, whose ops are swapped
 * @smmu: the driver's arm_smmu_device
 * @stall_force: the SMMU stalls every faulting transaction: a CD made to
 *		 fault keeps CD.S and CD.R, as the driver's own does
 * @orig: the driver's ops, put back at removal
 * @ops: the copy installed, with the SVA domain allocation replaced; 6.2
 *	 to 6.9: the driver's ops themselves, patched in place
 * @aa: the SMMU's ASIDs; under the driver's ASID mutex
 * @domains: SVA domains of this provider alive
 * @allocated: SVA domains set up since it was installed
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
 * @sva: whether the driver would do SVA on the SMMU for these CPUs
 *	 (include/sva_support.h), set at install
 * @sva_refuse: an SVA domain is refused (-EOPNOTSUPP) unless @sva is
 *		SVA_SUPPORTED, as this generation's driver refuses its own
 * @cd_hw: the SMMU's side of every SVA CD: IPS cap, HA, HD, HAFT
 */
struct btm_provider {
	struct list_head node;
	struct iommu_device *iommu;
	void *smmu;
	bool stall_force;
	const struct iommu_ops *orig;
	struct iommu_ops *ops;
	struct asid_alloc aa;
	atomic_t domains;
	atomic_t allocated;
	atomic_t shared;
	atomic_t fallbacks;
	atomic_t moved;
	atomic_t released;
	struct inv_smmu inv;
	bool btm;
	struct inv_counts __percpu *counts;
	enum sva_support sva;
	bool sva_refuse;
	struct sva_cd_hw cd_hw;
};

/**
 * struct btm_sva - one SVA domain of a provider
 * @node: entry in the list of live SVA domains
 * @p: the provider; 6.2 to 6.9: NULL until the first attach
 * @smmu_domain: 6.10+: the driver's struct arm_smmu_domain, which is the
 *		 domain; else NULL
 * @domain: 6.2 to 6.9: the domain (the driver's SVA domain is a bare
 *	    iommu_domain too)
 * @mm: the mm it shares
 * @mn: registered on @mm; the domain is freed after its SRCU grace period
 * @free: frees it, once no notifier callback can reach it
 * @attach_lock: 6.2 to 6.9: serialises the first attach, which sets the
 *		 domain up, and changes to @attached
 * @attached: 6.2 to 6.9: its CDs (struct btm_sva_attach), in DMA domains'
 *	      CD tables
 * @asid: its ASID
 * @shared: @asid is the mm's CPU ASID, pinned
 * @delegated: 6.2 to 6.9: first attached on an SMMU without a provider,
 *	       so the driver's own SVA attaches it, there only
 */
struct btm_sva {
	struct list_head node;
	struct btm_provider *p;
	void *smmu_domain;
	struct iommu_domain domain;
	struct mm_struct *mm;
	struct mmu_notifier mn;
	void (*free)(struct btm_sva *sva);
	struct mutex attach_lock; /* see @attach_lock above */
	struct list_head attached;
	u16 asid;
	bool shared;
	bool delegated;
};

#endif /* SMMU_BTM_SVA_OBJECTS_H */
