// SPDX-License-Identifier: GPL-2.0
/*
 * The SVA provider's route from 6.10, where the core asks the ops for an
 * SVA domain of a given mm (domain_alloc_sva).
 *
 * The SMMU's iommu_device.ops is pointed at a copy of the driver's
 * iommu_ops whose domain_alloc_sva is the provider's. The other route, an
 * ftrace redirect of the driver's own SVA allocation, needs that function,
 * which the driver has only with CONFIG_ARM_SMMU_V3_SVA: Debian's 6.12 and
 * 7.2 kernels are built without it (their arm_smmu_ops.domain_alloc_sva is
 * NULL), and 7.2's arm_smmu_ops is const, so only the copy works on every
 * kernel here, and it leaves the SMMUs the provider is not installed on
 * untouched. The core stamps each domain with its device's ops, so the
 * provider re-owns the domains of the SMMU's groups at the swap and back.
 *
 * An SVA domain is the driver's own struct arm_smmu_domain, allocated by
 * the driver and laid out from BTF, so the driver's attach path
 * (arm_smmu_set_pasid) takes it as its own.
 *
 * Design: doc/sva-provider.md.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kmemleak.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "driver_calls.h"
#include "driver_domain.h"
#include "driver_gen.h"
#include "generated/layout.h"
#include "provider_route.h"
#include "sva_notifier.h"

/*
 * The domain_alloc_sva() of the ops copy: the driver's domain, on the mm's
 * CPU ASID where it can be. The core reaches it without a reference on the
 * module: it takes one inside the entry's read section.
 */
static struct iommu_domain *ops_copy_alloc_sva(struct device *dev,
					       struct mm_struct *mm)
{
	struct iommu_domain *domain;
	struct btm_provider *p;
	struct btm_sva *sva;
	void *smmu_domain;
	bool got;
	int ret, idx;

	idx = srcu_read_lock(&btm_provider_entry_srcu);
	got = try_module_get(THIS_MODULE);
	srcu_read_unlock(&btm_provider_entry_srcu, idx);
	if (!got)
		return ERR_PTR(-ENODEV);
	sva = kzalloc(sizeof(*sva), GFP_KERNEL);
	if (!sva) {
		module_put(THIS_MODULE);
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&sva->attached);
	smmu_domain = btm_drv.domain_alloc();
	if (IS_ERR(smmu_domain)) {
		kfree(sva);
		module_put(THIS_MODULE);
		return smmu_domain;
	}
	sva->smmu_domain = smmu_domain;
	p = btm_provider_of_dev(dev);
	if (!p) {
		ret = -ENODEV;
		goto err;
	}
	/* Where the driver would not have its SVA feature, as it refuses. */
	if (p->sva_refuse) {
		ret = -EOPNOTSUPP;
		goto err;
	}
	domain = domain_in(smmu_domain);
	/* The core sets the type, mm and owner once it has the domain. */
	domain->ops = &btm_provider_sva_ops;
	domain->pgsize_bitmap = PAGE_SIZE;
	*(void **)BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__smmu) = p->smmu;
	*(u32 *)BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__stage) =
		btm_gen->sva_stage;
	ret = btm_provider_sva_setup(p, sva, mm, true);
	if (ret)
		goto err;
	return domain;

err:
	btm_provider_sva_free(sva);
	return ERR_PTR(ret);
}

static const struct btm_sva_entries ops_copy_entries = {
	.alloc_sva = ops_copy_alloc_sva,
};

static bool ops_copy_hooks(const struct iommu_ops *ops)
{
	struct btm_sva_entries now = {};

	btm_ops_get_sva(ops, &now);
	return now.alloc_sva == ops_copy_alloc_sva;
}

static int ops_copy_init(void)
{
	if (BTM_SVA_MM_AT_ATTACH)
		return -EOPNOTSUPP;
	if (!btm_drv.domain_alloc || !btm_drv.set_pasid.cd)
		return -ENOENT;
	return btm_shim_init();
}

static int ops_copy_ops_get(struct btm_provider *p)
{
	p->ops = kmemdup(p->orig, sizeof(*p->ops), GFP_KERNEL);
	if (!p->ops)
		return -ENOMEM;
	btm_ops_set_sva(p->ops, &ops_copy_entries);
	return 0;
}

static void ops_copy_ops_put(struct btm_provider *p)
{
	kfree(p->ops);
}

/* The SMMU's devices reach the copy, and its groups' domains own by it. */
static int ops_copy_take(struct btm_provider *p)
{
	WRITE_ONCE(p->iommu->ops, p->ops);
	return btm_provider_reown(p->iommu, p->orig, p->ops);
}

/*
 * Where someone else replaced the ops since, putting the driver's back
 * would bypass them: they stay, and the rest of the give-back is still
 * done (domains re-owned, callers waited for) before the warning.
 */
static void ops_copy_give_back(struct btm_provider *p)
{
	bool ours = p->iommu->ops == p->ops;

	if (ours)
		WRITE_ONCE(p->iommu->ops, p->orig);
	btm_provider_reown(p->iommu, p->ops, p->orig);
	btm_provider_wait_callers();
	WARN_ON(!ours);
}

/*
 * The copy is not freed: the core reads a device's ops without a lock or
 * grace period the provider could wait for, and a domain allocated
 * unattached while it was installed keeps it as its owner (compared,
 * never dereferenced). One iommu_ops per installation is the price, kept
 * on purpose: kmemleak is told so, and doc/sva-provider.md says it.
 */
static void ops_copy_removed(struct btm_provider *p)
{
	kmemleak_not_leak(p->ops);
}

/* The master stalls on faults (STALL_FORCE, or dma-can-stall). */
static bool ops_copy_cd_stalls(void *master)
{
	return master && READ_ONCE(*(bool *)BTM_AT(master,
			 BTM_OFF_arm_smmu_master__stall_enabled));
}

/*
 * The driver's attach path writes the CD, with CD.S where the master
 * stalls, and its invalidations.
 */
static int ops_copy_set_dev_pasid(struct btm_sva *sva, struct device *dev,
				  ioasid_t pasid, struct iommu_domain *old)
{
	void *master = dev_iommu_priv_get(dev);
	__le64 cd[8];
	int ret;

	/*
	 * The driver trusts the core to have checked the PASID against the
	 * device's; check again, so no caller can make it write a CD past the
	 * end of the master's table. PASID 0 is the device's own translation.
	 */
	if (!pasid || pasid >= btm_dev_max_pasids(dev))
		return -EINVAL;
	/*
	 * The mm must not be released while the CD is built and written: a
	 * release in between would make the old CD fault, and the new one
	 * would then walk tables exit_mmap() is freeing.
	 */
	if (!mmget_not_zero(sva->mm))
		return -EINVAL;
	ret = btm_provider_build_cd(sva, ops_copy_cd_stalls(master), cd);
	if (!ret)
		ret = btm_gen->sva_attach_cd(master, sva->smmu_domain, pasid,
					     cd, old);
	mmput(sva->mm);
	return ret;
}

const struct btm_provider_route btm_route_ops_copy = {
	.init = ops_copy_init,
	.ops_get = ops_copy_ops_get,
	.ops_put = ops_copy_ops_put,
	.take = ops_copy_take,
	.give_back = ops_copy_give_back,
	.removed = ops_copy_removed,
	.hooks = ops_copy_hooks,
	.set_dev_pasid = ops_copy_set_dev_pasid,
	.cd_stalls = ops_copy_cd_stalls,
};
