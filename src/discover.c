// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the arm-smmu-v3 instances through the iommu core.
 *
 * Every device the iommu core has probed carries dev->iommu->iommu_dev, the
 * iommu_device of the IOMMU that translates for it. That pointer is only
 * stable while the device is a member of its iommu group, because the core
 * frees dev->iommu when it takes the device out of the group, under the
 * group's mutex. So the walk visits each group once, with a reference held,
 * and reads dev->iommu only from iommu_group_for_each_dev(), which holds that
 * mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/list_sort.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "smmu_btm.h"

struct discovery {
	struct list_head *smmus;
	unsigned int count;
};

/* A walk of btm_walk_clients(). */
struct client_walk {
	btm_client_fn fn;
	void *data;
	/* iommu groups already visited, by group id, each holding a ref */
	struct xarray groups;
};

static bool is_smmu_v3(struct device *hwdev)
{
	return hwdev && hwdev->driver &&
	       !strcmp(hwdev->driver->name, SMMU_V3_DRIVER_NAME);
}

static struct btm_smmu *smmu_lookup(struct discovery *disc,
				    struct iommu_device *iommu)
{
	struct btm_smmu *smmu;

	list_for_each_entry(smmu, disc->smmus, node)
		if (smmu->iommu == iommu)
			return smmu;
	return NULL;
}

static struct btm_smmu *smmu_add(struct discovery *disc,
				 struct iommu_device *iommu,
				 struct device *hwdev)
{
	struct btm_smmu *smmu;

	smmu = kzalloc(sizeof(*smmu), GFP_KERNEL);
	if (!smmu)
		return ERR_PTR(-ENOMEM);
	/*
	 * Pin the driver when it is a module: the module reads its registers
	 * and, later, its structures, for as long as it is loaded.
	 */
	if (!try_module_get(hwdev->driver->owner)) {
		kfree(smmu);
		return ERR_PTR(-ENODEV);
	}
	smmu->driver = hwdev->driver->owner;
	smmu->iommu = iommu;
	smmu->hwdev = get_device(hwdev);
	smmu->index = disc->count++;
	list_add_tail(&smmu->node, disc->smmus);
	return smmu;
}

/* A client of @iommu, seen by btm_walk_clients(). */
static int note_client(struct device *dev, struct iommu_device *iommu,
		       void *data)
{
	struct discovery *disc = data;
	struct btm_smmu *smmu;

	smmu = smmu_lookup(disc, iommu);
	if (!smmu)
		smmu = smmu_add(disc, iommu, iommu->dev->parent);
	if (IS_ERR(smmu))
		return PTR_ERR(smmu);
	smmu->clients++;
	return 0;
}

/* Called by iommu_group_for_each_dev() with the group's mutex held. */
static int visit_member(struct device *dev, void *data)
{
	struct client_walk *walk = data;
	struct iommu_device *iommu;

	iommu = dev->iommu ? dev->iommu->iommu_dev : NULL;
	if (!iommu || !iommu->dev || !is_smmu_v3(iommu->dev->parent))
		return 0;
	return walk->fn(dev, iommu, walk->data);
}

static int visit_device(struct device *dev, void *data)
{
	struct client_walk *walk = data;
	struct iommu_group *group;
	int ret;

	group = iommu_group_get(dev);
	if (!group)
		return 0;
	ret = xa_insert(&walk->groups, iommu_group_id(group), group,
			GFP_KERNEL);
	if (ret) {
		iommu_group_put(group);
		return ret == -EBUSY ? 0 : ret;
	}
	/* The reference is dropped once the whole walk is done. */
	return iommu_group_for_each_dev(group, walk, visit_member);
}

/**
 * btm_walk_clients() - call a function for each client of an arm-smmu-v3
 * @fn: called with a client device, the iommu_device of its SMMU and
 *	@data, under the mutex of the device's iommu group: the device's
 *	dev->iommu and what the driver sets at attach (a PCI device's ATS)
 *	hold still meanwhile; a non-zero return ends the walk
 * @data: passed to @fn
 *
 * Walks the PCI and platform buses, visiting each iommu group once, and
 * calls @fn for every member that an arm-smmu-v3 SMMU translates for.
 *
 * Context: process; takes each iommu group's mutex in turn, none of which
 * the caller may hold.
 * Return: 0, the first non-zero return of @fn, or a negative errno.
 */
int btm_walk_clients(btm_client_fn fn, void *data)
{
	struct client_walk walk = { .fn = fn, .data = data };
	struct iommu_group *group;
	unsigned long id;
	int ret;

	xa_init(&walk.groups);
	ret = bus_for_each_dev(&pci_bus_type, NULL, &walk, visit_device);
	if (!ret)
		ret = bus_for_each_dev(&platform_bus_type, NULL, &walk,
				       visit_device);
	xa_for_each(&walk.groups, id, group)
		iommu_group_put(group);
	xa_destroy(&walk.groups);
	return ret;
}

static int smmu_read_regs(struct btm_smmu *smmu)
{
	struct resource *res;
	void __iomem *page0;

	if (!dev_is_platform(smmu->hwdev))
		return -ENODEV;
	res = platform_get_resource(to_platform_device(smmu->hwdev),
				    IORESOURCE_MEM, 0);
	if (!res || resource_size(res) < SMMU_PROBE_SIZE)
		return -ENODEV;
	smmu->base = res->start;

	/*
	 * The driver owns the region; a second mapping for reads of ID and
	 * control registers has no side effect on the SMMU.
	 */
	page0 = ioremap(res->start, SMMU_PROBE_SIZE);
	if (!page0)
		return -ENOMEM;
	smmu->regs.idr0 = readl_relaxed(page0 + SMMU_IDR0);
	smmu->regs.idr1 = readl_relaxed(page0 + SMMU_IDR1);
	smmu->regs.idr3 = readl_relaxed(page0 + SMMU_IDR3);
	smmu->regs.idr5 = readl_relaxed(page0 + SMMU_IDR5);
	smmu->regs.iidr = readl_relaxed(page0 + SMMU_IIDR);
	smmu->regs.aidr = readl_relaxed(page0 + SMMU_AIDR);
	smmu->regs.cr0 = readl_relaxed(page0 + SMMU_CR0);
	smmu->regs.cr2 = readl_relaxed(page0 + SMMU_CR2);
	iounmap(page0);
	smmu_decode_features(&smmu->regs, &smmu->feat);
	return 0;
}

/* By register base: see smmu_btm_discover(). */
static int base_order(void *priv, const struct list_head *a,
		      const struct list_head *b)
{
	phys_addr_t x = list_entry(a, struct btm_smmu, node)->base;
	phys_addr_t y = list_entry(b, struct btm_smmu, node)->base;

	return x < y ? -1 : x > y;
}

/**
 * smmu_btm_discover() - find every arm-smmu-v3 instance with client devices
 * @smmus: empty list, filled with one struct btm_smmu per instance
 *
 * Collects the distinct arm-smmu-v3 iommu_devices behind the clients that
 * btm_walk_clients() finds on the PCI and platform buses. An
 * SMMU that translates for no device the core has probed is not found: the
 * iommu core offers no other route to it that the module may take. The
 * list is in order of register base, numbered so.
 *
 * Return: 0 with @smmus filled (possibly empty), or a negative errno with
 * @smmus empty.
 */
int smmu_btm_discover(struct list_head *smmus)
{
	struct discovery disc = { .smmus = smmus };
	struct btm_smmu *smmu;
	int ret;

	ret = btm_walk_clients(note_client, &disc);
	list_for_each_entry(smmu, smmus, node) {
		if (ret)
			break;
		ret = smmu_read_regs(smmu);
		if (ret)
			pr_err("%s: cannot read the SMMU's ID registers (%d)\n",
			       dev_name(smmu->hwdev), ret);
	}
	if (ret) {
		smmu_btm_forget(smmus);
		return ret;
	}
	/*
	 * smmuN is the Nth by register base, not by the order the buses were
	 * walked in, which follows the host bridges' probe order: the same
	 * SMMU keeps its name at every load and boot.
	 */
	list_sort(NULL, smmus, base_order);
	disc.count = 0;
	list_for_each_entry(smmu, smmus, node)
		smmu->index = disc.count++;
	return 0;
}

/**
 * smmu_btm_forget() - release what smmu_btm_discover() took
 * @smmus: the list it filled; empty on return
 */
void smmu_btm_forget(struct list_head *smmus)
{
	struct btm_smmu *smmu, *next;

	list_for_each_entry_safe(smmu, next, smmus, node) {
		list_del(&smmu->node);
		module_put(smmu->driver);
		put_device(smmu->hwdev);
		kfree(smmu);
	}
}
