// SPDX-License-Identifier: GPL-2.0
/*
 * smmu-btm: Broadcast TLB Maintenance for Shared Virtual Addressing on the
 * arm-smmu-v3 driver of an unmodified kernel.
 *
 * Module entry points: find the SMMUs, publish the status, undo it all at
 * unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/module.h>

#include "smmu_btm.h"

static LIST_HEAD(smmus);

static int __init smmu_btm_init(void)
{
	struct btm_smmu *smmu;
	int ret;

	ret = smmu_btm_discover(&smmus);
	if (ret) {
		pr_err("SMMU discovery failed (%d); not loading\n", ret);
		return ret;
	}
	if (list_empty(&smmus)) {
		pr_err("no arm-smmu-v3 SMMU translates for any device; not loading\n");
		return -ENODEV;
	}
	list_for_each_entry(smmu, &smmus, node)
		pr_info("%s: arm-smmu-v3 %s at %pa, SMMUv%u.%u, %u client device(s)\n",
			dev_name(smmu->iommu->dev), dev_name(smmu->hwdev),
			&smmu->base, smmu->feat.arch_major,
			smmu->feat.arch_minor, smmu->clients);

	ret = smmu_btm_status_init(&smmus);
	if (ret) {
		pr_err("cannot create the status file in debugfs (%d); not loading\n",
		       ret);
		smmu_btm_forget(&smmus);
		return ret;
	}
	pr_info("version %s loaded\n", SMMU_BTM_VERSION);
	return 0;
}

static void __exit smmu_btm_exit(void)
{
	smmu_btm_status_exit();
	smmu_btm_forget(&smmus);
	pr_info("unloaded\n");
}

module_init(smmu_btm_init);
module_exit(smmu_btm_exit);

MODULE_DESCRIPTION("Broadcast TLB maintenance for SVA on arm-smmu-v3");
MODULE_AUTHOR("smmu-btm developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(SMMU_BTM_VERSION);
