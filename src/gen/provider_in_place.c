// SPDX-License-Identifier: GPL-2.0
/*
 * The SVA provider's route on 6.2 to 6.9, where the core allocates an SVA
 * domain by type and tells it its mm only at attach.
 *
 * The driver's probe refuses a device whose fwspec was made with other
 * ops than its own, and the core makes it with the SMMU's
 * iommu_device.ops, so a copy there would keep every device added later
 * (hotplug, a rescan, an SR-IOV VF) from translating. Those drivers' ops
 * are writable data, whose two SVA entries the provider patches in place,
 * for all of the driver's SMMUs: an SVA domain first attached on an SMMU
 * without a provider is handed to the driver's SVA, which attaches and
 * detaches by the domain's mm alone.
 *
 * The provider's domain is a bare iommu_domain, set up at its first attach
 * (its ASID, its notifier); its CDs go into the CD table of each device's
 * DMA domain with the driver's CD writer (src/gen/sva_cd_table.c).
 *
 * Design: doc/sva-provider.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "driver_calls.h"
#include "driver_domain.h"
#include "binding.h"
#include "provider_route.h"
#include "sva_cd_table.h"
#include "sva_mm.h"
#include "sva_notifier.h"

/*
 * The driver's ops (patched while a provider is installed), its own SVA
 * entries there, the ops of its SVA domains, and how many providers are
 * installed: set by in_place_init(); the count under the install lock.
 */
static struct {
	struct iommu_ops *ops;
	struct btm_sva_entries orig;
	const struct iommu_domain_ops *sva_ops;
	unsigned int patched;
} drv;

/*
 * The domain_alloc() patched into the driver's ops. An SVA domain is the
 * provider's, set up at its first attach (the core tells it its mm after
 * this returns); every other type is the driver's. NULL on failure, as
 * those kernels want. The core reaches it without a reference on this
 * module: it takes one inside the entry's read section.
 */
static struct iommu_domain *in_place_alloc_by_type(unsigned int type)
{
	struct iommu_domain *domain;
	struct btm_sva *sva;
	int idx;

	idx = srcu_read_lock(&btm_provider_entry_srcu);
	if (!btm_type_is_sva(type)) {
		domain = drv.orig.alloc_by_type(type);
		srcu_read_unlock(&btm_provider_entry_srcu, idx);
		return domain;
	}
	if (!try_module_get(THIS_MODULE)) {
		srcu_read_unlock(&btm_provider_entry_srcu, idx);
		return NULL;
	}
	srcu_read_unlock(&btm_provider_entry_srcu, idx);
	sva = kzalloc(sizeof(*sva), GFP_KERNEL);
	if (!sva) {
		module_put(THIS_MODULE);
		return NULL;
	}
	mutex_init(&sva->attach_lock);
	INIT_LIST_HEAD(&sva->attached);
	sva->domain.ops = &btm_provider_sva_ops;
	sva->domain.pgsize_bitmap = PAGE_SIZE;
	btm_provider_list_sva(sva);
	return &sva->domain;
}

/*
 * The remove_dev_pasid() patched into the driver's ops: the provider's SVA
 * domains detach here, every other goes to the driver.
 */
static void in_place_remove_dev_pasid(struct device *dev, ioasid_t pasid)
{
	struct iommu_domain *domain;
	struct btm_sva *sva;
	int idx;

	idx = srcu_read_lock(&btm_provider_entry_srcu);
	domain = btm_dev_pasid_sva(dev, pasid);
	sva = IS_ERR_OR_NULL(domain) ? NULL : btm_provider_find_sva(domain);
	/* The driver's SVA finds its bond by the domain's mm alone. */
	if (!sva || sva->delegated) {
		drv.orig.remove_pasid(dev, pasid);
	} else {
		mutex_lock(&sva->attach_lock);
		btm_cdt_detach(sva, dev, pasid);
		mutex_unlock(&sva->attach_lock);
	}
	srcu_read_unlock(&btm_provider_entry_srcu, idx);
}

static const struct btm_sva_entries in_place_entries = {
	.alloc_by_type = in_place_alloc_by_type,
	.remove_pasid = in_place_remove_dev_pasid,
};

static bool in_place_hooks(const struct iommu_ops *ops)
{
	struct btm_sva_entries now = {};

	btm_ops_get_sva(ops, &now);
	return now.alloc_by_type == in_place_alloc_by_type &&
	       now.remove_pasid == in_place_remove_dev_pasid;
}

static int in_place_init(void)
{
	unsigned long ops = (unsigned long)btm_drv.ops;
	struct iommu_domain *probe;

	if (!BTM_SVA_MM_AT_ATTACH)
		return -EOPNOTSUPP;
	if (!ops)
		return -ENOENT;
	if (ops < btm_kallsyms_lookup("_sdata") ||
	    ops >= btm_kallsyms_lookup("_edata")) {
		pr_err("the driver's arm_smmu_ops are not writable data here; no SVA provider\n");
		return -EOPNOTSUPP;
	}
	btm_ops_get_sva(btm_drv.ops, &drv.orig);
	if (!drv.orig.alloc_by_type || !drv.orig.remove_pasid)
		return -ENOENT;
	/* The driver's SVA domain ops, from one of its domains (NULL: none). */
	probe = btm_driver_sva_domain(&drv.orig);
	if (probe) {
		drv.sva_ops = probe->ops;
		probe->ops->free(probe);
	}
	drv.ops = btm_drv.ops;
	return btm_shim_init();
}

/* Every SMMU of the driver shares its ops: a provider installs on those. */
static int in_place_ops_get(struct btm_provider *p)
{
	p->ops = drv.ops;
	return p->orig == drv.ops ? 0 : -EINVAL;
}

/* The first provider patches the entries; the others share them. */
static int in_place_take(struct btm_provider *p)
{
	if (!drv.patched++)
		btm_ops_set_sva(drv.ops, &in_place_entries);
	return 0;
}

/*
 * The last provider puts the driver's entries back: only those it put
 * there, since if another module changed them since, putting the driver's
 * back would bypass it. Callers are waited for either way, then warned.
 */
static void in_place_give_back(struct btm_provider *p)
{
	bool ours;

	if (--drv.patched)
		return;
	ours = in_place_hooks(drv.ops);
	if (ours)
		btm_ops_set_sva(drv.ops, &drv.orig);
	btm_provider_wait_callers();
	WARN_ON(!ours);
}

/*
 * Set the domain up at its first attach, where the core has told it its
 * mm; then its CD goes into the device's DMA domain's table. A domain
 * serves the SMMU it was first attached on.
 */
static int in_place_set_dev_pasid(struct btm_sva *sva, struct device *dev,
				  ioasid_t pasid, struct iommu_domain *old)
{
	struct mm_struct *mm = btm_sva_domain_mm(&sva->domain);
	struct btm_provider *p = btm_provider_of_dev(dev);
	__le64 cd[8];
	u64 words[4];
	unsigned int i;
	int ret = 0;

	/* Held from before the notifier is registered to after the CD. */
	if (!mm || !mmget_not_zero(mm))
		return -EINVAL;
	mutex_lock(&sva->attach_lock);
	/*
	 * On an SMMU without a provider the domain goes to the driver's own
	 * SVA, whose attach and detach work on the domain's mm alone.
	 */
	if (!p && !sva->p) {
		sva->delegated = true;
		mutex_unlock(&sva->attach_lock);
		mmput(mm);
		return drv.sva_ops ? btm_ops_set_dev_pasid(drv.sva_ops,
							   &sva->domain, dev,
							   pasid) :
				     -ENODEV;
	}
	if (!sva->p && !sva->delegated)
		ret = btm_provider_sva_setup(p, sva, mm, false);
	else if (sva->p != p)
		ret = -EINVAL;
	if (!ret && (!pasid || pasid >= btm_dev_max_pasids(dev)))
		ret = -EINVAL;
	if (!ret)
		/* The driver's writer adds CD.S for a stalling domain. */
		ret = btm_provider_build_cd(sva, false, cd);
	if (!ret) {
		for (i = 0; i < ARRAY_SIZE(words); i++)
			words[i] = le64_to_cpu(cd[i]);
		ret = btm_cdt_attach(sva, dev, pasid, words);
	}
	mutex_unlock(&sva->attach_lock);
	mmput(mm);
	return ret;
}

/* The driver's CD writer adds CD.S for a stalling domain. */
static bool in_place_cd_stalls(void *master)
{
	return false;
}

const struct btm_provider_route btm_route_in_place = {
	.init = in_place_init,
	.ops_get = in_place_ops_get,
	.take = in_place_take,
	.give_back = in_place_give_back,
	.hooks = in_place_hooks,
	.set_dev_pasid = in_place_set_dev_pasid,
	.cd_stalls = in_place_cd_stalls,
};
