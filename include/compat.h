/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place kernel-generation differences are bridged. Each seam is
 * driven by a HAVE_* macro that scripts/conftest probed at build time.
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
 * The SVA domain API: iommu_ops.domain_alloc_sva(dev, mm) and a
 * set_dev_pasid() that is told the old domain. Without it (6.1), the SVA
 * provider refuses to install.
 */
typedef struct iommu_domain *(*btm_sva_alloc_fn)(struct device *dev,
						 struct mm_struct *mm);

#ifdef HAVE_SVA_DOMAIN_API
#define BTM_HAVE_SVA_DOMAIN_API	true
#define BTM_SET_DEV_PASID_PARAMS struct iommu_domain *domain, \
	struct device *dev, ioasid_t pasid, struct iommu_domain *old
#define BTM_SET_DEV_PASID_OLD	old

typedef int (*btm_set_dev_pasid_fn)(BTM_SET_DEV_PASID_PARAMS);

static inline void btm_ops_set_sva_alloc(struct iommu_ops *ops,
					 btm_sva_alloc_fn fn)
{
	ops->domain_alloc_sva = fn;
}

static inline void btm_domain_ops_set_dev_pasid(struct iommu_domain_ops *ops,
						btm_set_dev_pasid_fn fn)
{
	ops->set_dev_pasid = fn;
}

static inline struct iommu_domain *
btm_ops_sva_alloc(const struct iommu_ops *ops, struct device *dev,
		  struct mm_struct *mm)
{
	if (!ops->domain_alloc_sva)
		return ERR_PTR(-EOPNOTSUPP);
	return ops->domain_alloc_sva(dev, mm);
}

static inline int btm_set_dev_pasid(struct iommu_domain *domain,
				    struct device *dev, ioasid_t pasid)
{
	return domain->ops->set_dev_pasid(domain, dev, pasid, NULL);
}

static inline u32 btm_dev_max_pasids(struct device *dev)
{
	return dev->iommu->max_pasids;
}
#else
#define BTM_HAVE_SVA_DOMAIN_API	false
#define BTM_SET_DEV_PASID_PARAMS struct iommu_domain *domain, \
	struct device *dev, ioasid_t pasid
#define BTM_SET_DEV_PASID_OLD	NULL

typedef int (*btm_set_dev_pasid_fn)(BTM_SET_DEV_PASID_PARAMS);

static inline void btm_ops_set_sva_alloc(struct iommu_ops *ops,
					 btm_sva_alloc_fn fn)
{
}

static inline void btm_domain_ops_set_dev_pasid(struct iommu_domain_ops *ops,
						btm_set_dev_pasid_fn fn)
{
}

static inline struct iommu_domain *
btm_ops_sva_alloc(const struct iommu_ops *ops, struct device *dev,
		  struct mm_struct *mm)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int btm_set_dev_pasid(struct iommu_domain *domain,
				    struct device *dev, ioasid_t pasid)
{
	return -EOPNOTSUPP;
}

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

#endif /* SMMU_BTM_COMPAT_H */
