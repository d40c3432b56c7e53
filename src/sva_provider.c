// SPDX-License-Identifier: GPL-2.0
/*
 * The SVA domain provider (6.10+ drivers).
 *
 * Route: the SMMU's iommu_device.ops is pointed at a copy of the driver's
 * iommu_ops whose domain_alloc_sva is the provider's. The other route, an
 * ftrace redirect of the driver's own SVA allocation, needs that function,
 * which the driver has only with CONFIG_ARM_SMMU_V3_SVA: Debian's 6.12 and
 * 7.2 kernels are built without it (their arm_smmu_ops.domain_alloc_sva is
 * NULL), and 7.2's arm_smmu_ops is const, so only the copy works on every
 * kernel here, and it leaves the SMMUs the provider is not installed on
 * untouched.
 *
 * The iommu core stamps domain->owner with the ops of the device a domain
 * is allocated for, and attaching a domain to a group or PASID requires the
 * owner to be the device's ops now. So at the swap, and again at removal,
 * every domain of every group on the SMMU (default, blocking, current) is
 * re-owned under the group's mutex; the swap is refused while any group on
 * the SMMU has a PASID attached. A domain allocated before the swap but
 * attached to nothing at that moment (one a VFIO or iommufd user holds) is
 * not found: attaching it later fails with -EINVAL, it does not crash.
 *
 * An SVA domain is the driver's own struct arm_smmu_domain, allocated by
 * the driver and laid out from BTF, so the driver's attach path
 * (arm_smmu_set_pasid) takes it as its own. Its ASID is the mm's CPU ASID,
 * pinned (arm64_mm_context_get) and held in the SMMU's allocator and in
 * the driver's global ASID xarray (a reserved entry, which the driver's
 * allocations skip); a stage-1 DMA domain holding that ASID is moved away
 * first (src/domain_move.c). When the CPU ASID cannot be pinned, or does
 * not fit the SMMU, the domain gets a private ASID as the stock driver
 * gives, and is counted. Each live SVA domain holds a reference on this
 * module, so it cannot be unloaded under them.
 */
/* Not KBUILD_MODNAME: the test module links this file too. */
#define pr_fmt(fmt) "smmu_btm: " fmt

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/platform_device.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "compat.h"
#include "domain_move.h"
#include "driver_domain.h"
#include "generated/layout.h"
#include "sva_mm.h"
#include "sva_notifier.h"
#include "sva_provider.h"

struct arm_smmu_cd;
struct arm_smmu_device;
struct arm_smmu_domain;
struct arm_smmu_master;

/* The driver functions the provider calls, with the driver's prototypes. */
static struct {
	struct arm_smmu_domain *(*domain_alloc)(void);
	/* 6.10 to 6.x */
	int (*set_pasid)(struct arm_smmu_master *master,
			 struct arm_smmu_domain *smmu_domain, ioasid_t pasid,
			 struct arm_smmu_cd *cd);
	/* 7.x: also told the domain attached to the PASID before */
	int (*set_pasid_old)(struct arm_smmu_master *master,
			     struct arm_smmu_domain *smmu_domain,
			     ioasid_t pasid, struct arm_smmu_cd *cd,
			     struct iommu_domain *old);
	void (*tlb_inv_asid)(struct arm_smmu_device *smmu, u16 asid);
	bool invs;
} drv;

/*
 * Installed providers and live SVA domains. Never held while taking a
 * group's mutex: attach takes it under the group's.
 */
static DEFINE_MUTEX(providers_lock);
/* Serialises installing and removing, which take every group's mutex. */
static DEFINE_MUTEX(install_lock);
static LIST_HEAD(providers);
static LIST_HEAD(sva_domains);

/* Owner of the ASIDs the driver holds for others, in each allocator. */
static int foreign;

static struct btm_sva *sva_of(struct iommu_domain *domain)
{
	struct btm_sva *sva;

	lockdep_assert_held(&providers_lock);
	list_for_each_entry(sva, &sva_domains, node)
		if (domain_in(sva->smmu_domain) == domain)
			return sva;
	return NULL;
}

static struct btm_provider *provider_of(struct iommu_device *iommu)
{
	struct btm_provider *p;

	lockdep_assert_held(&providers_lock);
	list_for_each_entry(p, &providers, node)
		if (p->iommu == iommu)
			return p;
	return NULL;
}

/* --- the ASID of a new SVA domain --- */

/*
 * Give @sva its mm's CPU ASID @cpu (0: none pinned) on @p's SMMU, moving a
 * DMA domain that holds it; else a private ASID. The driver's ASID mutex
 * is held: the driver allocates, attaches and frees under it too.
 */
static int sva_take_asid(struct btm_provider *p, struct btm_sva *sva, u16 cpu)
{
	struct xarray *xa = btm_move_asid_xa();
	struct iommu_domain *holder;
	void *displaced = NULL;
	u16 from, to, asid;
	u32 id;
	int ret;

	lockdep_assert_held(btm_move_asid_lock());
	ret = btm_move_mirror_driver_asids(&p->aa, &foreign);
	if (ret)
		return ret;
	ret = cpu ? asid_pin_shared(&p->aa, cpu, sva->mm, &displaced) : -ERANGE;
	if (ret == ASID_PIN_MOVE) {
		holder = xa_load(xa, cpu);
		ret = holder ? btm_move_domain_asid(domain_in(holder), &asid) :
			       -ENOENT;
		if (!ret && asid == cpu)
			ret = btm_move_domain(&p->aa, domain_in(holder),
					      ASID_MOVE_PIN, sva->mm, &from,
					      &to);
		else if (!ret)
			ret = -EBUSY;
		if (!ret) {
			atomic_inc(&p->moved);
			xa_erase(xa, cpu);
		}
	}
	if (!ret) {
		/* The first pin of @cpu reserves it in the driver's xarray. */
		ret = xa_reserve(xa, cpu, GFP_KERNEL);
		if (ret) {
			asid_unpin(&p->aa, cpu);
		} else {
			sva->asid = cpu;
			sva->shared = true;
			return 0;
		}
	}

	/* The stock driver's way: a private ASID, invalidated explicitly. */
	ret = xa_alloc(xa, &id, sva->smmu_domain,
		       XA_LIMIT(1, p->aa.nr - 1), GFP_KERNEL);
	if (ret)
		return ret;
	ret = asid_reserve_private(&p->aa, id, sva->smmu_domain);
	if (ret) {
		xa_erase(xa, id);
		return ret;
	}
	sva->asid = id;
	sva->shared = false;
	atomic_inc(&p->fallbacks);
	return 0;
}

static void sva_release_asid(struct btm_sva *sva)
{
	struct btm_provider *p = sva->p;
	struct xarray *xa = btm_move_asid_xa();

	lockdep_assert_held(btm_move_asid_lock());
	/* Nothing may hit the domain's entries under the ASID once free. */
	if (!drv.invs)
		drv.tlb_inv_asid(p->smmu, sva->asid);
	if (!sva->shared) {
		asid_free_private(&p->aa, sva->asid);
		xa_erase(xa, sva->asid);
	} else if (asid_unpin(&p->aa, sva->asid) == 0) {
		xa_release(xa, sva->asid);
	}
}

/* --- the SVA domain's ops --- */

/* What arm_smmu_domain_alloc() allocated: the domain, and its 7.x array. */
static void free_smmu_domain(void *smmu_domain)
{
	void __rcu **invs = BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__invs);

	if (drv.invs)
		kfree(rcu_dereference_protected(*invs, true));
	kfree(smmu_domain);
}

static void btm_sva_domain_free(struct iommu_domain *domain)
{
	struct mutex *asid_lock = btm_move_asid_lock();
	struct btm_sva *sva;

	mutex_lock(&providers_lock);
	sva = sva_of(domain);
	if (sva)
		list_del(&sva->node);
	mutex_unlock(&providers_lock);
	if (WARN_ON(!sva))
		return;
	mutex_lock(asid_lock);
	sva_release_asid(sva);
	mutex_unlock(asid_lock);
	if (sva->shared) {
		btm_sva_unpin_asid(sva->mm);
		atomic_dec(&sva->p->shared);
	}
	atomic_dec(&sva->p->domains);
	/* The notifier may still be running: freed after its grace period. */
	btm_sva_notifier_put(sva);
}

/**
 * btm_sva_free() - free an SVA domain no notifier callback can reach
 * @sva: the domain, taken off every list
 *
 * Context: any; called by the notifier after its SRCU grace period.
 */
void btm_sva_free(struct btm_sva *sva)
{
	free_smmu_domain(sva->smmu_domain);
	kfree(sva);
	module_put(THIS_MODULE);
}

static int btm_sva_build_cd(struct btm_sva *sva, __le64 *cd)
{
	struct smmu_sva_cd params;
	u64 words[4];
	unsigned int i;
	int ret;

	ret = btm_sva_cd_params(sva->mm, sva->asid, sva->shared, &params);
	if (ret)
		return ret;
	smmu_encode_sva_cd(words, &params);
	memset(cd, 0, BTM_SIZEOF_arm_smmu_cd > 0 ? BTM_SIZEOF_arm_smmu_cd : 0);
	for (i = 0; i < ARRAY_SIZE(words); i++)
		cd[i] = cpu_to_le64(words[i]);
	return 0;
}

static int btm_sva_set_dev_pasid(BTM_SET_DEV_PASID_PARAMS)
{
	__le64 cd[8];
	struct btm_sva *sva;
	int ret;

	/*
	 * The driver trusts the core to have checked the PASID against the
	 * device's; check again, so no caller can make it write a CD past the
	 * end of the master's table. PASID 0 is the device's own translation.
	 */
	if (!pasid || pasid >= btm_dev_max_pasids(dev))
		return -EINVAL;
	mutex_lock(&providers_lock);
	sva = sva_of(domain);
	mutex_unlock(&providers_lock);
	if (!sva)
		return -ENOENT;
	/*
	 * The mm must not be released while the CD is built and written: a
	 * release in between would make the old CD fault, and the new one
	 * would then walk tables exit_mmap() is freeing.
	 */
	if (!mmget_not_zero(sva->mm))
		return -EINVAL;
	ret = btm_sva_build_cd(sva, cd);
	/* The driver's attach path: it writes the CD and its invalidations. */
	if (!ret && drv.invs)
		ret = drv.set_pasid_old(dev_iommu_priv_get(dev),
					sva->smmu_domain, pasid,
					(struct arm_smmu_cd *)cd,
					BTM_SET_DEV_PASID_OLD);
	else if (!ret)
		ret = drv.set_pasid(dev_iommu_priv_get(dev), sva->smmu_domain,
				    pasid, (struct arm_smmu_cd *)cd);
	mmput(sva->mm);
	return ret;
}

/* Not const: set_dev_pasid is filled in where the kernel has it. */
static struct iommu_domain_ops btm_sva_domain_ops = {
	.free = btm_sva_domain_free,
};

static struct iommu_domain *btm_sva_domain_alloc(struct device *dev,
						 struct mm_struct *mm)
{
	struct mutex *asid_lock = btm_move_asid_lock();
	struct smmu_sva_cd params;
	struct iommu_domain *domain;
	struct btm_provider *p;
	struct btm_sva *sva;
	void *smmu_domain;
	u16 cpu;
	int ret;

	/* A CPU context the SMMU cannot walk (LPA2) gets no domain at all. */
	ret = btm_sva_cd_params(mm, 1, true, &params);
	if (ret)
		return ERR_PTR(ret);
	sva = kzalloc(sizeof(*sva), GFP_KERNEL);
	if (!sva)
		return ERR_PTR(-ENOMEM);
	if (!try_module_get(THIS_MODULE)) {
		kfree(sva);
		return ERR_PTR(-ENODEV);
	}
	smmu_domain = drv.domain_alloc();
	if (IS_ERR(smmu_domain)) {
		ret = PTR_ERR(smmu_domain);
		goto err_put;
	}
	mutex_lock(&providers_lock);
	p = provider_of(dev->iommu->iommu_dev);
	mutex_unlock(&providers_lock);
	if (!p) {
		ret = -ENODEV;
		goto err_free;
	}
	sva->p = p;
	sva->mm = mm;
	sva->smmu_domain = smmu_domain;
	domain = domain_in(smmu_domain);
	/* The core sets the type, mm and owner once it has the domain. */
	domain->ops = &btm_sva_domain_ops;
	domain->pgsize_bitmap = PAGE_SIZE;
	*(void **)BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__smmu) = p->smmu;
	*(u32 *)BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__stage) =
		drv.invs ? BTM_ENUM_ARM_SMMU_DOMAIN_SVA :
			   BTM_ENUM_ARM_SMMU_DOMAIN_S1;

	cpu = btm_sva_pin_asid(mm);
	if (cpu >= p->aa.nr) {
		btm_sva_unpin_asid(mm);
		cpu = 0;
	}
	mutex_lock(asid_lock);
	ret = sva_take_asid(p, sva, cpu);
	if (!ret)
		*domain_asid(smmu_domain) = sva->asid;
	mutex_unlock(asid_lock);
	if (cpu && (ret || !sva->shared))
		btm_sva_unpin_asid(mm);
	if (ret)
		goto err_free;
	ret = btm_sva_notifier_register(sva);
	if (ret) {
		mutex_lock(asid_lock);
		sva_release_asid(sva);
		mutex_unlock(asid_lock);
		if (sva->shared)
			btm_sva_unpin_asid(mm);
		goto err_free;
	}
	atomic_inc(&p->domains);
	if (sva->shared)
		atomic_inc(&p->shared);
	mutex_lock(&providers_lock);
	list_add(&sva->node, &sva_domains);
	mutex_unlock(&providers_lock);
	return domain;

err_free:
	free_smmu_domain(smmu_domain);
err_put:
	module_put(THIS_MODULE);
	kfree(sva);
	return ERR_PTR(ret);
}

/* --- re-owning the domains of the SMMU's groups --- */

struct reown {
	struct iommu_device *iommu;
	const struct iommu_ops *from, *to;
	struct iommu_group *group;
	bool check_only;
	bool group_done;
	int busy;
};

/* Called by iommu_group_for_each_dev() with the group's mutex held. */
static int reown_device(struct device *dev, void *data)
{
	static const size_t fields[] = {
		BTM_OFF_iommu_group__default_domain,
		BTM_OFF_iommu_group__blocking_domain,
		BTM_OFF_iommu_group__domain,
	};
	struct reown *r = data;
	struct iommu_domain *domain;
	unsigned int i;

	if (r->group_done || !dev->iommu || dev->iommu->iommu_dev != r->iommu)
		return 0;
	r->group_done = true;
	if (r->check_only) {
		struct xarray *pasids = BTM_AT(r->group,
					   BTM_OFF_iommu_group__pasid_array);

		if (!xa_empty(pasids))
			r->busy++;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		domain = *(struct iommu_domain **)BTM_AT(r->group, fields[i]);
		if (domain)
			btm_domain_reown(domain, r->from, r->to);
	}
	return 0;
}

static int reown_visit(struct device *dev, void *data)
{
	struct reown *r = data;
	struct iommu_group *group = iommu_group_get(dev);
	int ret;

	if (!group)
		return 0;
	r->group = group;
	r->group_done = false;
	ret = iommu_group_for_each_dev(group, r, reown_device);
	iommu_group_put(group);
	return ret;
}

/* Walk every group of a device on @r->iommu (a group may be seen twice). */
static int reown_all(struct reown *r)
{
	int ret;

	ret = bus_for_each_dev(&pci_bus_type, NULL, r, reown_visit);
	if (!ret)
		ret = bus_for_each_dev(&platform_bus_type, NULL, r,
				       reown_visit);
	return ret;
}

static void *provider_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static void provider_free(void *ptr)
{
	kvfree(ptr);
}

static const struct asid_alloc_ops provider_alloc_ops = {
	.zalloc = provider_zalloc,
	.free = provider_free,
};

/**
 * btm_provider_init() - resolve the driver functions the provider calls
 * @binding: the validated binding; btm_move_init() has succeeded
 *
 * Return: 0, or -EOPNOTSUPP where this kernel has no SVA domain API or the
 * driver generation is not one the provider knows.
 */
int btm_provider_init(const struct btm_binding *binding)
{
	if (!BTM_HAVE_SVA_DOMAIN_API || !btm_move_asid_lock() ||
	    (binding->gen != BTM_DRIVER_DOMAIN &&
	     binding->gen != BTM_DRIVER_INVS))
		return -EOPNOTSUPP;
	btm_domain_ops_set_dev_pasid(&btm_sva_domain_ops, btm_sva_set_dev_pasid);
	drv.invs = binding->gen == BTM_DRIVER_INVS;
	drv.domain_alloc = (void *)binding->addr[BTM_SYM_DOMAIN_ALLOC];
	drv.set_pasid = drv.invs ? NULL :
			(void *)binding->addr[BTM_SYM_SET_PASID];
	drv.set_pasid_old = drv.invs ?
			    (void *)binding->addr[BTM_SYM_SET_PASID] : NULL;
	drv.tlb_inv_asid = (void *)binding->addr[BTM_SYM_TLB_INV_ASID];
	if (!drv.domain_alloc || !(drv.set_pasid || drv.set_pasid_old) ||
	    (!drv.invs && !drv.tlb_inv_asid))
		return -ENOENT;
	return btm_notifier_init(binding);
}

/**
 * btm_provider_install() - provide CPU-ASID SVA domains on one SMMU
 * @p: the provider, zeroed by the caller
 * @iommu: the SMMU's iommu_device
 * @smmu: the driver's arm_smmu_device for it
 * @asid_bits: the SMMU's ASID width
 * @inv: what invalidation planning needs of the SMMU
 * @btm: the SMMU takes part in the CPU's broadcast TLB maintenance
 *
 * Context: process; btm_provider_init() has succeeded.
 * Return: 0; -EBUSY while a group on the SMMU has a PASID attached; or
 * another negative errno, with nothing changed.
 */
int btm_provider_install(struct btm_provider *p, struct iommu_device *iommu,
			 void *smmu, unsigned int asid_bits,
			 const struct inv_smmu *inv, bool btm)
{
	struct reown r = { .iommu = iommu, .check_only = true };
	int ret;

	if (!drv.domain_alloc)
		return -EOPNOTSUPP;
	ret = asid_alloc_init(&p->aa, asid_bits, &provider_alloc_ops);
	if (ret)
		return ret;
	p->iommu = iommu;
	p->smmu = smmu;
	p->inv = *inv;
	p->btm = btm;
	p->orig = iommu->ops;
	p->counts = alloc_percpu(struct inv_counts);
	p->ops = kmemdup(p->orig, sizeof(*p->ops), GFP_KERNEL);
	if (!p->ops || !p->counts) {
		ret = -ENOMEM;
		goto err;
	}
	btm_ops_set_sva_alloc(p->ops, btm_sva_domain_alloc);

	mutex_lock(&install_lock);
	ret = reown_all(&r);
	if (!ret && r.busy)
		ret = -EBUSY;
	if (!ret) {
		/* Listed first: a domain allocated through the copy finds it. */
		mutex_lock(&providers_lock);
		list_add(&p->node, &providers);
		mutex_unlock(&providers_lock);
		WRITE_ONCE(iommu->ops, p->ops);
		r = (struct reown){ .iommu = iommu, .from = p->orig,
				    .to = p->ops };
		ret = reown_all(&r);
	}
	mutex_unlock(&install_lock);
	if (ret && iommu->ops == p->ops) {
		btm_provider_remove(p);
		return ret;
	}
	if (!ret)
		return 0;
err:
	kfree(p->ops);
	free_percpu(p->counts);
	asid_alloc_destroy(&p->aa);
	return ret;
}

/**
 * btm_provider_remove() - put the driver's ops back on the SMMU
 * @p: an installed provider
 *
 * Context: process. Every SVA domain of @p has been freed: each holds a
 * reference on this module, so module unload cannot come here before.
 * Return: 0, or -EBUSY (nothing changed) while one of its domains lives.
 */
int btm_provider_remove(struct btm_provider *p)
{
	struct reown r = { .iommu = p->iommu, .from = p->ops, .to = p->orig };

	mutex_lock(&install_lock);
	mutex_lock(&providers_lock);
	if (atomic_read(&p->domains)) {
		mutex_unlock(&providers_lock);
		mutex_unlock(&install_lock);
		return -EBUSY;
	}
	list_del(&p->node);
	mutex_unlock(&providers_lock);
	/*
	 * Only the ops this provider put there: if another copy was installed
	 * over it since, putting the driver's back would bypass that one.
	 */
	if (!WARN_ON(p->iommu->ops != p->ops)) {
		WRITE_ONCE(p->iommu->ops, p->orig);
		reown_all(&r);
	}
	mutex_unlock(&install_lock);
	/*
	 * The copy is not freed: the core reads a device's ops without a lock
	 * or grace period the provider could wait for, and a domain allocated
	 * unattached while it was installed keeps it as its owner (compared,
	 * never dereferenced). One iommu_ops per installation is the price.
	 * A freed domain's notifier may still be running until its grace
	 * period ends, counting into @p.
	 */
	btm_notifier_exit();
	free_percpu(p->counts);
	asid_alloc_destroy(&p->aa);
	return 0;
}

/**
 * btm_provider_counts() - what the provider's SVA invalidations cost
 * @p: an installed provider
 * @sum: filled with the counts of every CPU added up
 */
void btm_provider_counts(struct btm_provider *p, struct inv_counts *sum)
{
	const struct inv_counts *c;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(p->counts, cpu);
		sum->seen += READ_ONCE(c->seen);
		sum->tlbi += READ_ONCE(c->tlbi);
		sum->atc += READ_ONCE(c->atc);
		sum->sync += READ_ONCE(c->sync);
		sum->avoided += READ_ONCE(c->avoided);
	}
}

/**
 * btm_sva_domain_asid() - the ASID of one of the provider's SVA domains
 * @domain: the domain
 * @asid: set to its ASID
 * @shared: set to whether it is its mm's CPU ASID
 *
 * Return: 0, or -ENOENT when @domain is not the provider's.
 */
int btm_sva_domain_asid(struct iommu_domain *domain, u16 *asid, bool *shared)
{
	struct btm_sva *sva;

	mutex_lock(&providers_lock);
	sva = sva_of(domain);
	if (sva) {
		*asid = sva->asid;
		*shared = sva->shared;
	}
	mutex_unlock(&providers_lock);
	return sva ? 0 : -ENOENT;
}

/**
 * btm_sva_domain_cd() - the CD the provider writes for an SVA domain
 * @domain: one of the provider's SVA domains
 * @cd: filled with the CD's first four words, as the SMMU reads them
 *
 * Return: 0, or -ENOENT when @domain is not the provider's, or the error
 * of building the CD for its mm.
 */
int btm_sva_domain_cd(struct iommu_domain *domain, __le64 *cd)
{
	__le64 full[8];
	struct btm_sva *sva;
	int ret;

	mutex_lock(&providers_lock);
	sva = sva_of(domain);
	ret = sva ? btm_sva_build_cd(sva, full) : -ENOENT;
	mutex_unlock(&providers_lock);
	if (!ret)
		memcpy(cd, full, 4 * sizeof(*cd));
	return ret;
}
