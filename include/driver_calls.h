/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm-smmu-v3 driver's functions and data that smmu-btm uses, typed.
 *
 * One table, filled once by btm_bind_symbols() from the validated symbols,
 * replaces a cast at every call site. Each function's prototype here is
 * the one its "func" line in src/driver/layout.fields gives, which kbuild/gen-layout
 * checks parameter by parameter against the target kernel's BTF: a driver
 * that changed one stops the build instead of being called wrongly. Where
 * a function's prototype differs between driver generations, a union holds
 * one typed member per prototype, named for the generations that have it.
 *
 * Design: doc/binding.md.
 */
#ifndef SMMU_BTM_DRIVER_CALLS_H
#define SMMU_BTM_DRIVER_CALLS_H

#include <linux/types.h>

struct arm_smmu_cd;
struct arm_smmu_device;
struct arm_smmu_domain;
struct arm_smmu_master;
struct iommu_domain;
struct iommu_ops;
struct mutex;
struct xarray;

/**
 * struct btm_driver_calls - the driver's symbols smmu-btm uses, typed
 * @ops: its iommu_ops, as the iommu core holds them
 * @asid_xa: its global ASID allocator (6.2+)
 * @asid_lock: the mutex that guards @asid_xa and every CD's ASID
 * @quiet_cd: 6.2 to 6.8: the CD the driver gives an exited mm's PASID
 * @sva_lock: 6.2 to 6.8: the mutex of masters' bonds and sva_enabled
 * @cmdq_issue_cmdlist: queue commands, then a CMD_SYNC if asked:
 *	@cmdq_issue_cmdlist.on_main on the SMMU's main queue (6.2 to 6.8),
 *	@cmdq_issue_cmdlist.on_queue on the queue given (6.10+)
 * @write_ctx_desc: 6.2 to 6.8: write a CD of a CD table, the DMA domain's
 *		    (to 6.6) or a master's (6.7, 6.8); NULL clears it
 * @tlb_inv_asid: to 6.x: invalidate one ASID on one SMMU, then sync
 * @get_cd_ptr: 6.10+: a master's CD by SSID, NULL when it has none
 * @write_cd_entry: 6.10+: write one CD, ordering its words for the SMMU
 * @domain_inv_range: 7.x: invalidate a range of a domain through its
 *		      invalidation array (size 0: all of it)
 * @domain_alloc: 6.10+: a new, unfinalised driver domain
 * @set_pasid: 6.10+: attach a domain's CD to a master's PASID:
 *	@set_pasid.cd on 6.10 to 6.12, @set_pasid.cd_old from 6.13 (also
 *	told the domain attached there before)
 * @tlb_inv_context_at: to 6.x: the entry of arm_smmu_tlb_inv_context(),
 *			only probed, never called
 * @tlb_inv_walk_at: to 6.x: the entry of arm_smmu_tlb_inv_walk(), only
 *		     probed, never called
 *
 * A member is NULL (0) where the generation bound has no such symbol.
 */
struct btm_driver_calls {
	struct iommu_ops *ops;
	struct xarray *asid_xa;
	struct mutex *asid_lock;	/* see @asid_lock above */
	void *quiet_cd;
	struct mutex *sva_lock;		/* see @sva_lock above */
	union {
		int (*on_main)(struct arm_smmu_device *smmu, void *cmds, int n,
			       bool sync);
		int (*on_queue)(struct arm_smmu_device *smmu, void *cmdq,
				void *cmds, int n, bool sync);
	} cmdq_issue_cmdlist;
	int (*write_ctx_desc)(void *table, int ssid, void *cd);
	void (*tlb_inv_asid)(struct arm_smmu_device *smmu, u16 asid);
	struct arm_smmu_cd *(*get_cd_ptr)(struct arm_smmu_master *master,
					  u32 ssid);
	void (*write_cd_entry)(struct arm_smmu_master *master, int ssid,
			       struct arm_smmu_cd *cdptr,
			       const struct arm_smmu_cd *target);
	void (*domain_inv_range)(struct arm_smmu_domain *smmu_domain,
				 unsigned long iova, size_t size,
				 unsigned int granule, bool leaf);
	struct arm_smmu_domain *(*domain_alloc)(void);
	union {
		int (*cd)(struct arm_smmu_master *master,
			  struct arm_smmu_domain *smmu_domain, u32 pasid,
			  struct arm_smmu_cd *cd);
		int (*cd_old)(struct arm_smmu_master *master,
			      struct arm_smmu_domain *smmu_domain, u32 pasid,
			      struct arm_smmu_cd *cd, struct iommu_domain *old);
	} set_pasid;
	unsigned long tlb_inv_context_at;
	unsigned long tlb_inv_walk_at;
};

/* Filled by btm_bind_symbols(); all 0 before, and after a failed bind. */
extern struct btm_driver_calls btm_drv;

#endif /* SMMU_BTM_DRIVER_CALLS_H */
