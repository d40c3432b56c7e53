// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's own ASID allocator, as smmu-btm's must coordinate with it:
 * from 6.2 on, arm-smmu-v3 records every ASID it hands out in one global
 * xarray, for all SMMUs, under one mutex (arm_smmu_asid_xa and
 * arm_smmu_asid_lock). This file reads it, under that mutex.
 *
 * Design: doc/asid-move.md.
 */
#include <linux/mutex.h>
#include <linux/xarray.h>

#include "driver_calls.h"
#include "smmu_btm.h"

/**
 * btm_driver_asids() - what the driver's ASID allocator holds now
 * @count: set to the number of ASIDs in use
 * @lowest: set to the lowest ASID in use (0 when none)
 * @highest: set to the highest ASID in use (0 when none)
 *
 * Context: process, after btm_bind_symbols(); takes the driver's ASID mutex.
 * Return: 0, or -ENOENT when this kernel does not expose the allocator
 * (6.1: no such xarray, nor CONFIG_KALLSYMS_ALL).
 */
int btm_driver_asids(unsigned int *count, u16 *lowest, u16 *highest)
{
	struct xarray *xa = btm_drv.asid_xa;
	struct mutex *lock = btm_drv.asid_lock;
	unsigned long index;
	void *entry;

	if (!xa || !lock)
		return -ENOENT;
	*count = 0;
	*lowest = 0;
	*highest = 0;
	mutex_lock(lock);
	xa_for_each(xa, index, entry) {
		if (!*count)
			*lowest = index;
		*highest = index;
		(*count)++;
	}
	mutex_unlock(lock);
	return 0;
}
