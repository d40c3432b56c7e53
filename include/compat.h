/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place kernel-generation differences are bridged. Each seam is
 * driven by a HAVE_* macro that kbuild/conftest probed at build time.
 */
#ifndef SMMU_BTM_COMPAT_H
#define SMMU_BTM_COMPAT_H

#include <linux/err.h>
#include <linux/iommu.h>
#include <asm/tlbflush.h>

#include "generated/conftest.h"

struct device;
struct mm_struct;
struct module;

/* The parameters of a kallsyms_on_each_symbol() callback. */
#if defined(HAVE_KALLSYMS_EACH_MODULE_ARG) == \
	defined(HAVE_KALLSYMS_EACH_NO_MODULE_ARG)
#error "kallsyms_on_each_symbol(): not exactly one known form (generated/conftest.h.log)"
#endif
#ifdef HAVE_KALLSYMS_EACH_MODULE_ARG
#define BTM_KSYM_CB_PARAMS \
	void *data, const char *name, struct module *mod, unsigned long addr
#else
#define BTM_KSYM_CB_PARAMS void *data, const char *name, unsigned long addr
#endif

/*
 * The SVA domain API, in three shapes:
 *
 * 6.10+: iommu_ops.domain_alloc_sva(dev, mm) gives the domain, which knows
 *	its mm from the start; set_dev_pasid() is told the old domain.
 * 6.2 to 6.9: iommu_ops.domain_alloc(IOMMU_DOMAIN_SVA) gives it, without a
 *	device; the core sets domain->mm afterwards, so the domain learns its
 *	mm at its first set_dev_pasid(); iommu_ops.remove_dev_pasid(dev,
 *	pasid) takes it off a PASID.
 * 6.1: none; the SVA provider refuses to install.
 *
 * struct btm_sva_entries holds the provider's entry points for every shape;
 * btm_ops_set_sva() puts those of this kernel's shape into iommu_ops, and
 * btm_ops_get_sva() reads them.
 */
typedef struct iommu_domain *(*btm_sva_alloc_fn)(struct device *dev,
						 struct mm_struct *mm);
typedef struct iommu_domain *(*btm_alloc_by_type_fn)(unsigned int type);
typedef void (*btm_remove_pasid_fn)(struct device *dev, ioasid_t pasid);

/**
 * struct btm_sva_entries - the SVA provider's entry points
 * @alloc_sva: 6.10+: the SVA domain for @mm
 * @alloc_by_type: 6.2 to 6.9: a domain of any type
 * @remove_pasid: 6.2 to 6.9: take whatever domain off a device's PASID
 */
struct btm_sva_entries {
	btm_sva_alloc_fn alloc_sva;
	btm_alloc_by_type_fn alloc_by_type;
	btm_remove_pasid_fn remove_pasid;
};

#if defined(HAVE_SVA_DOMAIN_API)
#define BTM_HAVE_SVA_DOMAIN_API	true
#define BTM_SVA_MM_AT_ATTACH	false
#define BTM_SET_DEV_PASID_PARAMS struct iommu_domain *domain, \
	struct device *dev, ioasid_t pasid, struct iommu_domain *old
#define BTM_SET_DEV_PASID_OLD	old

typedef int (*btm_set_dev_pasid_fn)(BTM_SET_DEV_PASID_PARAMS);

static inline void btm_domain_ops_set_dev_pasid(struct iommu_domain_ops *ops,
						btm_set_dev_pasid_fn fn)
{
	ops->set_dev_pasid = fn;
}

static inline void btm_ops_set_sva(struct iommu_ops *ops,
				   const struct btm_sva_entries *e)
{
	ops->domain_alloc_sva = e->alloc_sva;
}

static inline struct iommu_domain *
btm_ops_sva_alloc(const struct iommu_ops *ops, struct device *dev,
		  struct mm_struct *mm)
{
	if (!ops->domain_alloc_sva)
		return ERR_PTR(-EOPNOTSUPP);
	return ops->domain_alloc_sva(dev, mm);
}

static inline int btm_ops_set_dev_pasid(const struct iommu_domain_ops *ops,
					struct iommu_domain *domain,
					struct device *dev, ioasid_t pasid)
{
	return ops->set_dev_pasid(domain, dev, pasid, NULL);
}

static inline void btm_ops_get_sva(const struct iommu_ops *ops,
				   struct btm_sva_entries *e)
{
	e->alloc_sva = ops->domain_alloc_sva;
}
#elif defined(HAVE_SVA_DOMAIN_BY_TYPE)
#define BTM_HAVE_SVA_DOMAIN_API	true
#define BTM_SVA_MM_AT_ATTACH	true
#define BTM_SET_DEV_PASID_PARAMS struct iommu_domain *domain, \
	struct device *dev, ioasid_t pasid
#define BTM_SET_DEV_PASID_OLD	NULL

typedef int (*btm_set_dev_pasid_fn)(BTM_SET_DEV_PASID_PARAMS);

static inline void btm_domain_ops_set_dev_pasid(struct iommu_domain_ops *ops,
						btm_set_dev_pasid_fn fn)
{
	ops->set_dev_pasid = fn;
}

static inline void btm_ops_set_sva(struct iommu_ops *ops,
				   const struct btm_sva_entries *e)
{
	/* The driver's own ops, live: each entry is read without a lock. */
	WRITE_ONCE(ops->domain_alloc, e->alloc_by_type);
	WRITE_ONCE(ops->remove_dev_pasid, e->remove_pasid);
}

/* What the core's iommu_sva_domain_alloc() does, but the mm reference. */
static inline struct iommu_domain *
btm_ops_sva_alloc(const struct iommu_ops *ops, struct device *dev,
		  struct mm_struct *mm)
{
	struct iommu_domain *domain;

	if (!ops->domain_alloc)
		return ERR_PTR(-EOPNOTSUPP);
	domain = ops->domain_alloc(IOMMU_DOMAIN_SVA);
	if (!domain)
		return ERR_PTR(-ENOMEM);
	domain->type = IOMMU_DOMAIN_SVA;
	domain->mm = mm;
	return domain;
}

static inline int btm_ops_set_dev_pasid(const struct iommu_domain_ops *ops,
					struct iommu_domain *domain,
					struct device *dev, ioasid_t pasid)
{
	return ops->set_dev_pasid(domain, dev, pasid);
}

static inline void btm_ops_get_sva(const struct iommu_ops *ops,
				   struct btm_sva_entries *e)
{
	e->alloc_by_type = ops->domain_alloc;
	e->remove_pasid = ops->remove_dev_pasid;
}
#else
#define BTM_HAVE_SVA_DOMAIN_API	false
#define BTM_SVA_MM_AT_ATTACH	false
#define BTM_SET_DEV_PASID_PARAMS struct iommu_domain *domain, \
	struct device *dev, ioasid_t pasid
#define BTM_SET_DEV_PASID_OLD	NULL

typedef int (*btm_set_dev_pasid_fn)(BTM_SET_DEV_PASID_PARAMS);

static inline void btm_domain_ops_set_dev_pasid(struct iommu_domain_ops *ops,
						btm_set_dev_pasid_fn fn)
{
}

static inline void btm_ops_set_sva(struct iommu_ops *ops,
				   const struct btm_sva_entries *e)
{
}

static inline struct iommu_domain *
btm_ops_sva_alloc(const struct iommu_ops *ops, struct device *dev,
		  struct mm_struct *mm)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int btm_ops_set_dev_pasid(const struct iommu_domain_ops *ops,
					struct iommu_domain *domain,
					struct device *dev, ioasid_t pasid)
{
	return -EOPNOTSUPP;
}

static inline void btm_ops_get_sva(const struct iommu_ops *ops,
				   struct btm_sva_entries *e)
{
}
#endif

static inline int btm_set_dev_pasid(struct iommu_domain *domain,
				    struct device *dev, ioasid_t pasid)
{
	return btm_ops_set_dev_pasid(domain->ops, domain, dev, pasid);
}

/*
 * 6.2 to 6.9 only: an SVA domain's mm (set by the core after allocation),
 * whether a type asks for one, the SVA domain on a device's PASID, and a
 * bare SVA domain of the driver, for its ops (NULL without its SVA).
 */
#ifdef HAVE_SVA_DOMAIN_BY_TYPE
static inline struct mm_struct *btm_sva_domain_mm(struct iommu_domain *domain)
{
	return domain->mm;
}

static inline bool btm_type_is_sva(unsigned int type)
{
	return type == IOMMU_DOMAIN_SVA;
}

static inline struct iommu_domain *btm_dev_pasid_sva(struct device *dev,
						     ioasid_t pasid)
{
	return iommu_get_domain_for_dev_pasid(dev, pasid, IOMMU_DOMAIN_SVA);
}

static inline struct iommu_domain *
btm_driver_sva_domain(const struct btm_sva_entries *e)
{
	return e->alloc_by_type(IOMMU_DOMAIN_SVA);
}
#else
static inline struct mm_struct *btm_sva_domain_mm(struct iommu_domain *domain)
{
	return NULL;
}

static inline bool btm_type_is_sva(unsigned int type)
{
	return false;
}

static inline struct iommu_domain *btm_dev_pasid_sva(struct device *dev,
						     ioasid_t pasid)
{
	return NULL;
}

static inline struct iommu_domain *
btm_driver_sva_domain(const struct btm_sva_entries *e)
{
	return NULL;
}
#endif

/* The PASIDs a device supports: dev_iommu.max_pasids from 6.2. */
#ifdef HAVE_DEV_IOMMU_MAX_PASIDS
static inline u32 btm_dev_max_pasids(struct device *dev)
{
	return dev->iommu->max_pasids;
}
#else
static inline u32 btm_dev_max_pasids(struct device *dev)
{
	return 0;
}
#endif

/*
 * The ops a domain was allocated through, which attaching it requires to
 * be the device's: what swapping an SMMU's ops must carry over.
 */
#ifdef HAVE_IOMMU_DOMAIN_OWNER
static inline void btm_domain_reown(struct iommu_domain *domain,
				    const struct iommu_ops *from,
				    const struct iommu_ops *to)
{
	if (domain->owner == from)
		domain->owner = to;
}

static inline bool btm_domain_owned_by(struct iommu_domain *domain,
				       const struct iommu_ops *ops)
{
	return domain->owner == ops;
}
#else
static inline void btm_domain_reown(struct iommu_domain *domain,
				    const struct iommu_ops *from,
				    const struct iommu_ops *to)
{
}

static inline bool btm_domain_owned_by(struct iommu_domain *domain,
				       const struct iommu_ops *ops)
{
	return true;
}
#endif

/*
 * The mmu_notifier op that a CPU-side TLB invalidation of an mm calls for
 * the TLBs of devices sharing it: arch_invalidate_secondary_tlbs() from
 * 6.6, invalidate_range() before, with the same parameters.
 */
#if defined(HAVE_MN_ARCH_INVALIDATE_SECONDARY_TLBS) == \
	defined(HAVE_MN_INVALIDATE_RANGE)
#error "mmu_notifier_ops: not exactly one secondary TLB op (generated/conftest.h.log)"
#endif
#ifdef HAVE_MN_ARCH_INVALIDATE_SECONDARY_TLBS
#define BTM_MN_INVALIDATE_SECONDARY	arch_invalidate_secondary_tlbs
#else
#define BTM_MN_INVALIDATE_SECONDARY	invalidate_range
#endif

/*
 * Wait until the CPU's broadcast TLB invalidations issued so far have
 * completed everywhere, the SMMU's TLB included: arm64 calls the secondary
 * TLB notifier before its final DSB on some paths. Where the kernel
 * repeats a TLBI at completion for an erratum (ARM64_WORKAROUND_REPEAT_TLBI,
 * __repeat_tlbi_sync() from 6.1 stable on), so does this; before, the
 * repeat is inside every TLBI. Not the kernel's __tlbi_sync_s1ish(): in
 * 7.x it also syncs CPUs in streaming mode (SME) through a function not
 * exported to modules, which concerns CPUs, not the SMMU.
 */
static inline void btm_cpu_tlbi_complete(void)
{
	dsb(ish);
#ifdef __repeat_tlbi_sync
	__repeat_tlbi_sync(vale1is, 0);
#endif
}

/*
 * Tests only: a paging domain that the driver finalises for @dev at once
 * (from 6.11), or -EOPNOTSUPP where domains get their ASID at first attach.
 */
#ifdef HAVE_IOMMU_PAGING_DOMAIN_ALLOC
static inline struct iommu_domain *btm_paging_domain_for(struct device *dev)
{
	return iommu_paging_domain_alloc(dev);
}
#else
static inline struct iommu_domain *btm_paging_domain_for(struct device *dev)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/* Bind @mm to @dev the way a device driver does (the broadcast check, tests). */
#ifdef HAVE_IOMMU_SVA_BIND_DRVDATA
static inline struct iommu_sva *btm_sva_bind(struct device *dev,
					     struct mm_struct *mm)
{
	return iommu_sva_bind_device(dev, mm, NULL);
}
#else
static inline struct iommu_sva *btm_sva_bind(struct device *dev,
					     struct mm_struct *mm)
{
	return iommu_sva_bind_device(dev, mm);
}
#endif

/* Tests only: the domain a bind attached, NULL where the handle has none. */
#if defined(HAVE_IOMMU_SVA_ATTACH_HANDLE)
static inline struct iommu_domain *btm_sva_domain(struct iommu_sva *handle)
{
	return handle->handle.domain;
}
#elif defined(HAVE_IOMMU_SVA_DOMAIN)
static inline struct iommu_domain *btm_sva_domain(struct iommu_sva *handle)
{
	return handle->domain;
}
#else
static inline struct iommu_domain *btm_sva_domain(struct iommu_sva *handle)
{
	return NULL;
}
#endif

/*
 * Tests only: what a device driver must do before an SVA bind, and undo:
 * enable IOMMU_DEV_FEAT_SVA where the kernel has the call (6.x), nothing
 * where binding needs no such step (7.x). On 6.x a master that resolves
 * its faults through the IOMMU (a stall master, as Kunpeng's accelerators
 * are, or one with PRI) also needs IOMMU_DEV_FEAT_IOPF first; for any
 * other the driver refuses IOPF (-EINVAL), which is no error here. 7.x
 * enables IOPF itself when it attaches the domain.
 */
#ifdef HAVE_IOMMU_DEV_FEAT_SVA
static inline int btm_dev_sva_enable(struct device *dev)
{
	bool iopf = !iommu_dev_enable_feature(dev, IOMMU_DEV_FEAT_IOPF);
	int ret = iommu_dev_enable_feature(dev, IOMMU_DEV_FEAT_SVA);

	if (ret && iopf)
		iommu_dev_disable_feature(dev, IOMMU_DEV_FEAT_IOPF);
	return ret;
}

static inline int btm_dev_sva_disable(struct device *dev)
{
	int ret = iommu_dev_disable_feature(dev, IOMMU_DEV_FEAT_SVA);

	/* -EINVAL where IOPF was never enabled */
	iommu_dev_disable_feature(dev, IOMMU_DEV_FEAT_IOPF);
	return ret;
}
#else
static inline int btm_dev_sva_enable(struct device *dev)
{
	return 0;
}

static inline int btm_dev_sva_disable(struct device *dev)
{
	return 0;
}
#endif

#endif /* SMMU_BTM_COMPAT_H */
