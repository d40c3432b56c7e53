/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two ways the SVA provider takes over SVA domains, one per SVA API of
 * the iommu core (src/gen/provider_in_place.c to 6.9,
 * src/gen/provider_ops_copy.c from 6.10), and what of the provider's
 * shared code (src/sva_provider.c) they use. The generation's table names
 * its route; the provider calls through it and never tests the API.
 *
 * Design: doc/sva-provider.md.
 */
#ifndef SMMU_BTM_PROVIDER_ROUTE_H
#define SMMU_BTM_PROVIDER_ROUTE_H

#include <linux/iommu.h>
#include <linux/srcu.h>
#include <linux/types.h>

#include "sva_objects.h"

/**
 * struct btm_provider_route - how the provider takes over SVA domains
 * @init: check that this kernel's SVA API is the route's and that the
 *	  driver has what the route calls (0, -EOPNOTSUPP or -ENOENT)
 * @ops_get: give a new provider the ops it installs (@p->ops), from the
 *	     SMMU's (@p->orig); 0 or a negative errno, with nothing to undo
 * @ops_put: undo @ops_get for a provider that was never installed; NULL:
 *	     nothing to undo
 * @take: under the install lock, the provider listed: make the SMMU's
 *	  devices allocate SVA domains through the provider (0, or a
 *	  negative errno: the provider is then removed)
 * @give_back: under the install lock, the provider unlisted: undo @take
 *	       and wait for the callers inside its entries
 * @removed: after @give_back, out of the lock: what is left of @p->ops;
 *	     NULL: nothing
 * @hooks: whether @ops allocates SVA domains through the provider
 * @set_dev_pasid: attach the provider's SVA domain @sva to @dev's @pasid
 *		   (@old: the domain attached there before, where the core
 *		   says)
 * @cd_stalls: whether the provider's CD for a master (NULL: none) sets
 *	       CD.S itself; false where the driver's CD writer adds it
 */
struct btm_provider_route {
	int (*init)(void);
	int (*ops_get)(struct btm_provider *p);
	void (*ops_put)(struct btm_provider *p);
	int (*take)(struct btm_provider *p);
	void (*give_back)(struct btm_provider *p);
	void (*removed)(struct btm_provider *p);
	bool (*hooks)(const struct iommu_ops *ops);
	int (*set_dev_pasid)(struct btm_sva *sva, struct device *dev,
			     ioasid_t pasid, struct iommu_domain *old);
	bool (*cd_stalls)(void *master);
};

extern const struct btm_provider_route btm_route_in_place;
extern const struct btm_provider_route btm_route_ops_copy;

/* The provider's, for its routes (src/sva_provider.c). */
extern struct srcu_struct btm_provider_entry_srcu;
extern struct iommu_domain_ops btm_provider_sva_ops;

struct btm_provider *btm_provider_of_dev(struct device *dev);
struct btm_sva *btm_provider_find_sva(struct iommu_domain *domain);
void btm_provider_list_sva(struct btm_sva *sva);
int btm_provider_sva_setup(struct btm_provider *p, struct btm_sva *sva,
			   struct mm_struct *mm, bool list);
void btm_provider_sva_free(struct btm_sva *sva);
int btm_provider_build_cd(struct btm_sva *sva, bool stall, __le64 *cd);
int btm_provider_reown(struct iommu_device *iommu,
		       const struct iommu_ops *from, const struct iommu_ops *to);
void btm_provider_wait_callers(void);

#endif /* SMMU_BTM_PROVIDER_ROUTE_H */
