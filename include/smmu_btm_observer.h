/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What smmu_btm exports to device drivers: the broadcast check with the
 * device as its observer. A driver takes it with symbol_get(), so that it
 * does not depend on smmu_btm being loaded.
 */
#ifndef SMMU_BTM_OBSERVER_H
#define SMMU_BTM_OBSERVER_H

#include <linux/types.h>

struct device;

/**
 * typedef smmu_btm_read_fn - make the device read memory through a PASID
 * @ctx: the driver's
 * @va: the address in the bound process
 * @buf: where the bytes read go
 * @len: how many
 *
 * Return: 0, or a negative errno when the device could not read.
 */
typedef int (*smmu_btm_read_fn)(void *ctx, unsigned long va, void *buf,
				size_t len);

int smmu_btm_check_device(struct device *dev, u32 pasid,
			  smmu_btm_read_fn read, void *ctx);

#endif /* SMMU_BTM_OBSERVER_H */
