// SPDX-License-Identifier: GPL-2.0
/*
 * The SVA domain provider (6.2+ drivers).
 *
 * The provider takes SVA domains over by one of two routes, one per SVA
 * API of the core (include/provider_route.h): to 6.9 it patches the
 * driver's own ops in place and its domains are bare iommu_domains whose
 * CDs go into the DMA domains' CD tables (src/gen/provider_in_place.c);
 * from 6.10 the SMMU's iommu_device.ops points at a copy of the driver's
 * whose SVA allocation is the provider's, and its domains are the driver's
 * own (src/gen/provider_ops_copy.c). The generation's table names the
 * route. This file is what both share.
 *
 * The iommu core stamps domain->owner with the ops of the device a domain
 * is allocated for, and attaching a domain to a group or PASID requires the
 * owner to be the device's ops now. So where the route swaps the ops, at
 * the swap and again at removal every domain of every group on the SMMU
 * (default, blocking, current) is re-owned under the group's mutex; any
 * install is refused while a group on the SMMU has a PASID attached. A
 * domain allocated before the swap but attached to nothing at that moment
 * (one a VFIO or iommufd user holds) is not found: attaching it later
 * fails with -EINVAL, it does not crash.
 *
 * An SVA domain's ASID is the mm's CPU ASID, pinned (arm64_mm_context_get)
 * and held in the SMMU's allocator and in the driver's global ASID xarray
 * (a reserved entry, which the driver's allocations skip); a stage-1 DMA
 * domain holding that ASID is moved away first (src/domain_move.c). When
 * the CPU ASID cannot be pinned, or does not fit the SMMU, the domain gets
 * a private ASID as the stock driver gives, and is counted. Each live SVA
 * domain holds a reference on this module, so it cannot be unloaded under
 * them.
 *
 * Its fallible steps are kept out of line and marked ALLOW_ERROR_INJECTION,
 * so that a debug kernel's fail_function can fail each in turn (the guest
 * test fault-inject-bind and fault-inject-move); elsewhere the mark is
 * empty.
 *
 * Design: doc/sva-provider.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/error-injection.h>
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
#include <linux/srcu.h>
#include <linux/xarray.h>

#include "asid_claims.h"
#include "compat.h"
#include "domain_move.h"
#include "driver_calls.h"
#include "driver_gen.h"
#include "driver_domain.h"
#include "generated/layout.h"
#include "provider_route.h"
#include "smmu_btm.h"
#include "sva_mm.h"
#include "sva_notifier.h"
#include "sva_provider.h"
#include "sva_rules.h"

/* The bound generation's route, set by btm_provider_init(). */
static const struct btm_provider_route *route;

/*
 * Installed providers and live SVA domains. Never held while taking a
 * group's mutex: attach takes it under the group's.
 */
static DEFINE_MUTEX(providers_lock);
/* Serialises installing and removing, which take every group's mutex. */
static DEFINE_MUTEX(install_lock);
static LIST_HEAD(providers);
static LIST_HEAD(sva_domains);

/*
 * Callers inside the provider's entries that the core reaches without a
 * reference on this module: the SVA domain allocation of the ops copy
 * (6.10+), the driver's domain_alloc and remove_dev_pasid patched in place
 * (6.2 to 6.9). Each entry takes its module reference, or finishes, inside
 * a read section; removal waits for the callers
 * (btm_provider_wait_callers()).
 * A domain of the provider holds a module reference of its own.
 */
DEFINE_SRCU(btm_provider_entry_srcu);

/*
 * smmu-btm's entries in the driver's ASID xarray, for every provider (see
 * include/asid_claims.h); set up with the first provider, under the
 * driver's ASID mutex like every use.
 */
static struct asid_claims claims;

static struct iommu_domain *sva_domain(struct btm_sva *sva)
{
	return sva->smmu_domain ? domain_in(sva->smmu_domain) : &sva->domain;
}

static struct btm_sva *sva_of(struct iommu_domain *domain)
{
	struct btm_sva *sva;

	lockdep_assert_held(&providers_lock);
	list_for_each_entry(sva, &sva_domains, node)
		if (sva_domain(sva) == domain)
			return sva;
	return NULL;
}

/**
 * btm_provider_find_sva() - the provider's SVA domain that is a domain
 * @domain: an iommu_domain
 *
 * Return: the SVA domain, or NULL when @domain is none of the provider's.
 */
struct btm_sva *btm_provider_find_sva(struct iommu_domain *domain)
{
	struct btm_sva *sva;

	mutex_lock(&providers_lock);
	sva = sva_of(domain);
	mutex_unlock(&providers_lock);
	return sva;
}

/**
 * btm_provider_list_sva() - list a new SVA domain with the live ones
 * @sva: the domain, not listed yet
 */
void btm_provider_list_sva(struct btm_sva *sva)
{
	mutex_lock(&providers_lock);
	list_add(&sva->node, &sva_domains);
	mutex_unlock(&providers_lock);
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

static int table_reserve(void *ctx, u16 asid)
{
	return xa_insert(ctx, asid, NULL, GFP_KERNEL);
}

static int table_alloc(void *ctx, void *entry, u32 limit, u16 *asid)
{
	u32 id;
	int ret;

	ret = xa_alloc(ctx, &id, entry, XA_LIMIT(1, limit - 1), GFP_KERNEL);
	if (!ret)
		*asid = id;
	return ret;
}

static void table_erase(void *ctx, u16 asid)
{
	xa_erase(ctx, asid);
}

/* Memory for the pure-logic tables (ASID claims, the allocator). */
static void *pure_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static void pure_free(void *ptr)
{
	kvfree(ptr);
}

static const struct asid_table_ops driver_table_ops = {
	.reserve = table_reserve,
	.alloc = table_alloc,
	.erase = table_erase,
	.zalloc = pure_zalloc,
	.free = pure_free,
};

/*
 * What the driver's xarray holds at @asid, reserved entries included
 * (xa_load() reads those as NULL), and for a DMA domain of the driver on
 * @asid, that domain.
 */
static enum asid_table_entry table_lookup(u16 asid,
					  struct iommu_domain **holder)
{
	XA_STATE(xas, btm_move_asid_xa(), asid);
	void *entry;
	u16 on;

	*holder = NULL;
	rcu_read_lock();
	do {
		entry = xas_load(&xas);
	} while (xas_retry(&xas, entry) && !xa_is_zero(entry));
	rcu_read_unlock();
	if (!entry)
		return ASID_TABLE_EMPTY;
	if (xa_is_zero(entry))
		return ASID_TABLE_OTHER;
	*holder = btm_move_holder(entry);
	if (!*holder || btm_move_domain_asid(*holder, &on) || on != asid)
		return ASID_TABLE_OTHER;
	return ASID_TABLE_DOMAIN;
}

/*
 * Give @sva its mm's CPU ASID @cpu on @p's SMMU, by the route the claims
 * give (asid_cpu_route()): shared with the mm's SVA domains on any SMMU
 * that hold it already; reserved when free; or taken from one of the
 * driver's stage-1 DMA domains, which is moved away first.
 */
static noinline int sva_take_cpu_asid(struct btm_provider *p,
				      struct btm_sva *sva, u16 cpu)
{
	struct iommu_domain *holder;
	enum asid_table_entry entry;
	void *displaced = NULL;
	u16 from, to;
	int ret;

	lockdep_assert_held(btm_move_asid_lock());
	entry = table_lookup(cpu, &holder);
	switch (asid_cpu_route(&claims, cpu, entry)) {
	case ASID_CPU_REFUSED:
		return -EBUSY;
	case ASID_CPU_MOVE:
		/* The move leaves @cpu pinned for the mm in @p's allocator. */
		ret = btm_move_domain(&p->aa, holder, ASID_MOVE_PIN, sva->mm,
				      &from, &to);
		if (ret)
			return ret;
		atomic_inc(&p->moved);
		xa_erase(btm_move_asid_xa(), cpu);
		ret = asid_claim_cpu(&claims, cpu);
		if (ret)
			asid_unpin(&p->aa, cpu);
		return ret;
	case ASID_CPU_SHARE:
	case ASID_CPU_RESERVE:
		break;
	}
	ret = asid_claim_cpu(&claims, cpu);
	if (ret)
		return ret;
	ret = asid_pin_shared(&p->aa, cpu, sva->mm, &displaced);
	if (ret) {
		asid_unclaim_cpu(&claims, cpu);
		return ret < 0 ? ret : -EBUSY;
	}
	return 0;
}

ALLOW_ERROR_INJECTION(sva_take_cpu_asid, ERRNO);

/*
 * Give @sva its ASID on @p's SMMU: its mm's CPU ASID @cpu (0: none pinned)
 * where it can, else a private one as the stock driver gives. The driver's
 * ASID mutex is held: the driver allocates, attaches and frees under it.
 */
static int sva_take_asid(struct btm_provider *p, struct btm_sva *sva, u16 cpu)
{
	void *owner = sva->smmu_domain ?: sva;
	u16 id;
	int ret;

	lockdep_assert_held(btm_move_asid_lock());
	if (cpu && !sva_take_cpu_asid(p, sva, cpu)) {
		sva->asid = cpu;
		sva->shared = true;
		return 0;
	}
	/*
	 * Before 6.10 the driver's xarray holds its context descriptors, and
	 * the domain has none of the driver's: a reserved entry then.
	 */
	ret = asid_claim_private(&claims, sva->smmu_domain, p->aa.nr, &id);
	if (ret)
		return ret;
	ret = asid_reserve_private(&p->aa, id, owner);
	if (ret) {
		asid_unclaim_private(&claims, id);
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

	lockdep_assert_held(btm_move_asid_lock());
	/*
	 * Nothing may hit the domain's entries under the ASID once free: the
	 * whole ASID, with smmu-btm's own commands on every driver generation
	 * (7.x cleans an ASID when its last attachment goes, 6.x does not).
	 */
	btm_shim_flush(sva);
	if (!sva->shared) {
		asid_free_private(&p->aa, sva->asid);
		asid_unclaim_private(&claims, sva->asid);
	} else {
		asid_unpin(&p->aa, sva->asid);
		asid_unclaim_cpu(&claims, sva->asid);
	}
}

/* --- the SVA domain's ops --- */

/**
 * btm_provider_sva_free() - free an SVA domain of the provider's, and its
 * module reference
 * @sva: one never set up, or one no notifier callback can reach any more
 */
void btm_provider_sva_free(struct btm_sva *sva)
{
	if (sva->smmu_domain)
		btm_gen->sva_domain_free(sva->smmu_domain);
	kfree(sva);
	module_put(THIS_MODULE);
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
	/* 6.2 to 6.9: allocated, never attached, so never set up. */
	if (!sva->p) {
		btm_provider_sva_free(sva);
		return;
	}
	WARN_ON(!list_empty(&sva->attached));
	mutex_lock(asid_lock);
	sva_release_asid(sva);
	mutex_unlock(asid_lock);
	if (sva->shared) {
		btm_sva_unpin_asid(sva->mm);
		atomic_dec(&sva->p->shared);
	}
	atomic_dec(&sva->p->domains);
	/* The notifier may still be running: freed after its grace period. */
	btm_shim_put(sva);
}

/**
 * btm_provider_build_cd() - the CD of one of the provider's SVA domains
 * @sva: the domain, set up
 * @stall: the CD is for a master that stalls on faults: CD.S, as the
 *	   driver's own SVA CD sets where the master's stall_enabled says so
 *	   (which a stall-forced SMMU sets for every master)
 * @cd: filled with the CD, as many words as the driver's CD has
 *
 * Return: 0, or the error of building it for the domain's mm.
 */
noinline int btm_provider_build_cd(struct btm_sva *sva, bool stall, __le64 *cd)
{
	struct smmu_sva_cd params;
	u64 words[4];
	unsigned int i;
	int ret;

	ret = btm_sva_cd_params(sva->mm, sva->asid, sva->shared, &params);
	if (ret)
		return ret;
	params.stall = stall;
	/* IPS capped to the SMMU's output size; HA, HD, HAFT as it has them. */
	sva_cd_hw_apply(&sva->p->cd_hw, &params);
	smmu_encode_sva_cd(words, &params);
	memset(cd, 0, BTM_SIZEOF_arm_smmu_cd > 0 ? BTM_SIZEOF_arm_smmu_cd : 0);
	for (i = 0; i < ARRAY_SIZE(words); i++)
		cd[i] = cpu_to_le64(words[i]);
	return 0;
}

ALLOW_ERROR_INJECTION(btm_provider_build_cd, ERRNO);

/**
 * btm_provider_sva_setup() - give a new SVA domain its ASID and notifier
 * @p: the provider it serves
 * @sva: the domain
 * @mm: the mm it is for
 * @list: list it with the live SVA domains (the in-place route lists a
 *	  domain from its allocation on)
 *
 * Its ASID is the mm's CPU ASID where it can be, else a private one.
 *
 * Return: 0, or a negative errno with nothing of it set up.
 */
noinline int btm_provider_sva_setup(struct btm_provider *p,
				    struct btm_sva *sva, struct mm_struct *mm,
				    bool list)
{
	struct mutex *asid_lock = btm_move_asid_lock();
	struct smmu_sva_cd params;
	u16 cpu;
	int ret;

	/* A CPU context the SMMU cannot walk (LPA2) gets no domain at all. */
	ret = btm_sva_cd_params(mm, 1, true, &params);
	if (ret)
		return ret;
	sva->mm = mm;
	cpu = btm_sva_pin_asid(mm);
	if (cpu >= p->aa.nr) {
		btm_sva_unpin_asid(mm);
		cpu = 0;
	}
	mutex_lock(asid_lock);
	ret = sva_take_asid(p, sva, cpu);
	if (!ret && sva->smmu_domain)
		*domain_asid(sva->smmu_domain) = sva->asid;
	mutex_unlock(asid_lock);
	if (cpu && (ret || !sva->shared))
		btm_sva_unpin_asid(mm);
	if (ret)
		return ret;
	/* Its notifier counts into @p: set before the first callback. */
	smp_store_release(&sva->p, p);
	/* The shim frees it after its grace period (btm_shim_put()). */
	sva->free = btm_provider_sva_free;
	ret = btm_shim_register(sva);
	if (ret) {
		mutex_lock(asid_lock);
		sva_release_asid(sva);
		mutex_unlock(asid_lock);
		if (sva->shared)
			btm_sva_unpin_asid(mm);
		sva->p = NULL;
		return ret;
	}
	atomic_inc(&p->domains);
	atomic_inc(&p->allocated);
	if (sva->shared)
		atomic_inc(&p->shared);
	if (list)
		btm_provider_list_sva(sva);
	return 0;
}

ALLOW_ERROR_INJECTION(btm_provider_sva_setup, ERRNO);

/**
 * btm_provider_of_dev() - the provider installed on a device's SMMU
 * @dev: a device with an IOMMU
 *
 * Return: the provider, or NULL where none is.
 */
struct btm_provider *btm_provider_of_dev(struct device *dev)
{
	struct btm_provider *p;

	mutex_lock(&providers_lock);
	p = provider_of(dev->iommu->iommu_dev);
	mutex_unlock(&providers_lock);
	return p;
}

static int btm_sva_set_dev_pasid(BTM_SET_DEV_PASID_PARAMS)
{
	struct btm_sva *sva = btm_provider_find_sva(domain);

	if (!sva)
		return -ENOENT;
	return route->set_dev_pasid(sva, dev, pasid, BTM_SET_DEV_PASID_OLD);
}

/*
 * The ops of every SVA domain of the provider's. Not const: set_dev_pasid
 * is filled in where the kernel has it.
 */
struct iommu_domain_ops btm_provider_sva_ops = {
	.free = btm_sva_domain_free,
};

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

/**
 * btm_provider_reown() - re-own the domains of every group on an SMMU
 * @iommu: the SMMU's iommu_device
 * @from: the ops they are owned by
 * @to: the ops to own them by from now on
 *
 * Context: process; the install lock is held (the route's take or give
 * back).
 * Return: 0, or the error of walking the buses.
 */
int btm_provider_reown(struct iommu_device *iommu,
		       const struct iommu_ops *from, const struct iommu_ops *to)
{
	struct reown r = { .iommu = iommu, .from = from, .to = to };

	lockdep_assert_held(&install_lock);
	return reown_all(&r);
}

static const struct asid_alloc_ops provider_alloc_ops = {
	.zalloc = pure_zalloc,
	.free = pure_free,
};

/**
 * btm_provider_init() - check that the bound driver has what the provider
 * calls
 *
 * Context: btm_move_init() has succeeded.
 * Return: 0, or -EOPNOTSUPP where this kernel has no SVA domain API, the
 * provider does not drive the generation bound, or the generation's route
 * does not match the kernel's SVA API (the mm given at attach, to 6.9);
 * -ENOENT where the binding lacks what the route calls.
 */
int btm_provider_init(void)
{
	const struct btm_provider_route *r = btm_gen ? btm_gen->provider : NULL;
	int ret;

	if (!BTM_HAVE_SVA_DOMAIN_API || !btm_move_asid_lock() || !r)
		return -EOPNOTSUPP;
	btm_domain_ops_set_dev_pasid(&btm_provider_sva_ops,
				     btm_sva_set_dev_pasid);
	ret = r->init();
	if (!ret)
		route = r;
	return ret;
}

/* Installed providers: the first places what they share, the last removes it. */
static unsigned int nr_installed;

static int providers_get(void)
{
	struct mutex *asid_lock = btm_move_asid_lock();
	int ret;

	lockdep_assert_held(&install_lock);
	if (nr_installed) {
		nr_installed++;
		return 0;
	}
	ret = btm_move_hooks_get();
	if (ret)
		return ret;
	ret = btm_shim_local_get();
	if (ret) {
		btm_move_hooks_put();
		return ret;
	}
	mutex_lock(asid_lock);
	ret = asid_claims_init(&claims, 1U << 16, &driver_table_ops,
			       btm_move_asid_xa());
	mutex_unlock(asid_lock);
	if (ret) {
		btm_shim_local_put();
		btm_move_hooks_put();
		return ret;
	}
	nr_installed = 1;
	return 0;
}

static void providers_put(void)
{
	struct mutex *asid_lock = btm_move_asid_lock();

	lockdep_assert_held(&install_lock);
	if (WARN_ON(!nr_installed) || --nr_installed)
		return;
	mutex_lock(asid_lock);
	WARN_ON(asid_claims_count(&claims, ASID_CLAIM_CPU) ||
		asid_claims_count(&claims, ASID_CLAIM_PRIVATE));
	asid_claims_destroy(&claims);
	mutex_unlock(asid_lock);
	btm_shim_local_put();
	btm_move_hooks_put();
}

/**
 * btm_provider_install() - provide CPU-ASID SVA domains on one SMMU
 * @p: the provider, zeroed by the caller
 * @iommu: the SMMU's iommu_device
 * @smmu: the driver's arm_smmu_device for it
 * @asid_bits: the SMMU's ASID width
 * @stall_force: the SMMU stalls every faulting transaction (IDR0.STALL_MODEL)
 * @inv: what invalidation planning needs of the SMMU
 * @btm: the SMMU takes part in the CPU's broadcast TLB maintenance
 *
 * The first provider places the move's probes (disarmed) and starts the
 * claims on the driver's ASID table; the last one removed takes both away.
 * Whether the driver would do SVA on the SMMU is decided here, once, from
 * the driver's view of it (src/gen/sva_rules.c): where this generation's
 * driver refuses its own SVA domains for it, the provider refuses its own.
 *
 * Context: process; btm_provider_init() has succeeded.
 * Return: 0; -EBUSY while a group on the SMMU has a PASID attached; or
 * another negative errno, with nothing changed.
 */
int btm_provider_install(struct btm_provider *p, struct iommu_device *iommu,
			 void *smmu, unsigned int asid_bits, bool stall_force,
			 const struct inv_smmu *inv, bool btm)
{
	struct reown r = { .iommu = iommu, .check_only = true };
	struct btm_cpu_facts cpu;
	bool listed = false;
	int ret;

	if (!route)
		return -EOPNOTSUPP;
	ret = asid_alloc_init(&p->aa, asid_bits, &provider_alloc_ops);
	if (ret)
		return ret;
	p->iommu = iommu;
	p->smmu = smmu;
	p->stall_force = stall_force;
	p->inv = *inv;
	p->btm = btm;
	btm_read_cpu_facts(&cpu);
	p->sva_refuse = btm_sva_facts(smmu, &cpu, &p->sva, &p->cd_hw) &&
			p->sva != SVA_SUPPORTED;
	p->orig = iommu->ops;
	p->counts = alloc_percpu(struct inv_counts);
	if (!p->counts) {
		asid_alloc_destroy(&p->aa);
		return -ENOMEM;
	}
	ret = route->ops_get(p);
	if (ret)
		goto err_counts;

	mutex_lock(&install_lock);
	ret = reown_all(&r);
	if (!ret && r.busy)
		ret = -EBUSY;
	if (!ret)
		ret = providers_get();
	if (!ret) {
		/* Listed first: a domain allocated through the ops finds it. */
		mutex_lock(&providers_lock);
		list_add(&p->node, &providers);
		mutex_unlock(&providers_lock);
		listed = true;
	}
	if (!ret)
		ret = route->take(p);
	mutex_unlock(&install_lock);
	if (ret && listed) {
		btm_provider_remove(p);
		return ret;
	}
	if (!ret)
		return 0;
	if (route->ops_put)
		route->ops_put(p);
err_counts:
	free_percpu(p->counts);
	asid_alloc_destroy(&p->aa);
	return ret;
}

/**
 * btm_provider_wait_callers() - wait for the callers inside the provider's
 * entries
 *
 * Wait until no caller can be in a provider's entry that the core reached
 * without a module reference, once the entries are out of the ops: first
 * RCU Tasks, for a caller preempted after it loaded the entry and before
 * the read section; then the section; then RCU Tasks again, for one
 * preempted after the section and before its return. (A caller that sleeps
 * inside the section is quiescent for RCU Tasks: the section covers it.)
 */
void btm_provider_wait_callers(void)
{
	synchronize_rcu_tasks();
	synchronize_srcu(&btm_provider_entry_srcu);
	synchronize_rcu_tasks();
}

/**
 * btm_provider_rely() - whether the shim relies on broadcasts from now on
 * @p: an installed provider
 * @btm: true: SVA domains on the CPU's ASID get no TLBI commands (PTM must
 *	 be 0); false: the stock commands, as without BTM
 *
 * A notifier already past its read of the flag finishes the old way: the
 * caller invalidates the SMMU afterwards where that matters.
 */
void btm_provider_rely(struct btm_provider *p, bool btm)
{
	WRITE_ONCE(p->btm, btm);
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
	mutex_lock(&install_lock);
	mutex_lock(&providers_lock);
	if (atomic_read(&p->domains)) {
		mutex_unlock(&providers_lock);
		mutex_unlock(&install_lock);
		return -EBUSY;
	}
	list_del(&p->node);
	mutex_unlock(&providers_lock);
	route->give_back(p);
	providers_put();
	mutex_unlock(&install_lock);
	if (route->removed)
		route->removed(p);
	/*
	 * A freed domain's notifier may still be running until its grace
	 * period ends, counting into @p.
	 */
	btm_shim_exit();
	free_percpu(p->counts);
	asid_alloc_destroy(&p->aa);
	return 0;
}

/**
 * btm_provider_hooks() - do these ops allocate SVA domains through the
 * provider?
 * @ops: iommu_ops, the driver's or a copy
 *
 * Return: true when @ops's SVA domain allocation is the provider's.
 */
bool btm_provider_hooks(const struct iommu_ops *ops)
{
	return route && route->hooks(ops);
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
		sum->flushes += READ_ONCE(c->flushes);
		sum->flush_cmds += READ_ONCE(c->flush_cmds);
		sum->local += READ_ONCE(c->local);
		sum->local_cmds += READ_ONCE(c->local_cmds);
	}
}

/**
 * btm_provider_sva_asid() - the ASID of one of the provider's SVA domains
 * @domain: the domain
 * @asid: set to its ASID
 * @shared: set to whether it is its mm's CPU ASID
 *
 * Return: 0, or -ENOENT when @domain is not the provider's or, on 6.2 to
 * 6.9, not attached yet (it has no ASID before).
 */
int btm_provider_sva_asid(struct iommu_domain *domain, u16 *asid, bool *shared)
{
	struct btm_sva *sva;

	mutex_lock(&providers_lock);
	sva = sva_of(domain);
	/* Pairs with btm_provider_sva_setup(): a provider set means the ASID is. */
	if (sva && !smp_load_acquire(&sva->p))
		sva = NULL;
	if (sva) {
		*asid = sva->asid;
		*shared = sva->shared;
	}
	mutex_unlock(&providers_lock);
	return sva ? 0 : -ENOENT;
}

/**
 * btm_provider_mm_shared() - whether a provider has an SVA domain of @mm
 * on its CPU ASID
 * @p: the provider
 * @mm: the mm
 *
 * Only such a domain's entries go with the CPU's broadcasts for @mm: the
 * broadcast check must not read a private ASID's as lost ones.
 *
 * Return: true when one of @p's live SVA domains shares @mm's CPU ASID.
 */
bool btm_provider_mm_shared(struct btm_provider *p, struct mm_struct *mm)
{
	struct btm_sva *sva;
	bool found = false;

	mutex_lock(&providers_lock);
	list_for_each_entry(sva, &sva_domains, node)
		if (sva->mm == mm && READ_ONCE(sva->p) == p && sva->shared) {
			found = true;
			break;
		}
	mutex_unlock(&providers_lock);
	return found;
}

/**
 * btm_provider_sva_cd() - the CD the provider writes for an SVA domain
 * @domain: one of the provider's SVA domains
 * @master: 6.10+: the driver's master it is for (whose stall_enabled sets
 *	    CD.S), or NULL for one that does not stall
 * @cd: filled with the CD's first four words, as the SMMU reads them
 *
 * Return: 0, or -ENOENT when @domain is not the provider's, or the error
 * of building the CD for its mm.
 */
int btm_provider_sva_cd(struct iommu_domain *domain, void *master, __le64 *cd)
{
	__le64 full[8];
	struct btm_sva *sva;
	int ret;

	mutex_lock(&providers_lock);
	sva = sva_of(domain);
	/* Pairs with btm_provider_sva_setup(): a provider set means the ASID is. */
	if (sva && !smp_load_acquire(&sva->p))
		sva = NULL;
	ret = sva ? btm_provider_build_cd(sva, route->cd_stalls(master), full) :
		    -ENOENT;
	mutex_unlock(&providers_lock);
	if (!ret)
		memcpy(cd, full, 4 * sizeof(*cd));
	return ret;
}
