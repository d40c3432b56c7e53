/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smmu-btm: module-wide state shared by its kernel-side files.
 */
#ifndef SMMU_BTM_H
#define SMMU_BTM_H

#include <linux/list.h>
#include <linux/types.h>

#include "smmu_regs.h"

struct device;
struct iommu_device;
struct module;

/* The driver name the arm-smmu-v3 platform driver registers. */
#define SMMU_V3_DRIVER_NAME	"arm-smmu-v3"

/**
 * struct btm_smmu - one arm-smmu-v3 instance found at load
 * @node: entry in the list smmu_btm_discover() builds
 * @index: position in discovery order, as shown in the status file
 * @iommu: the driver's iommu_device, as the iommu core holds it in the
 *	   dev->iommu of every client device
 * @hwdev: the SMMU's own (platform) device; a reference is held
 * @driver: the module of the driver bound to @hwdev, pinned; NULL if built in
 * @base: physical address of register page 0
 * @clients: devices attached through the iommu core at discovery
 * @regs: ID and control registers read at discovery
 * @feat: @regs decoded
 */
struct btm_smmu {
	struct list_head node;
	unsigned int index;
	struct iommu_device *iommu;
	struct device *hwdev;
	struct module *driver;
	phys_addr_t base;
	unsigned int clients;
	struct smmu_id_regs regs;
	struct smmu_features feat;
};

int smmu_btm_discover(struct list_head *smmus);
void smmu_btm_forget(struct list_head *smmus);

int smmu_btm_status_init(struct list_head *smmus);
void smmu_btm_status_exit(void);

#endif /* SMMU_BTM_H */
