/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smmu-btm: module-wide state shared by its kernel-side files.
 */
#ifndef SMMU_BTM_H
#define SMMU_BTM_H

#include <linux/list.h>
#include <linux/types.h>

#include "binding.h"
#include "broadcast_verdict.h"
#include "btm_decision.h"
#include "cr2_switch.h"
#include "smmu_regs.h"
#include "sva_provider.h"
#include "sva_support.h"

struct device;
struct iommu_device;
struct module;

/* The driver name the arm-smmu-v3 platform driver registers. */
#define SMMU_V3_DRIVER_NAME	"arm-smmu-v3"

/*
 * Bits of the driver's feature word (struct arm_smmu_device.features) that
 * smmu-btm reads. #defines are not in BTF; these are the same in the 6.1,
 * 6.6, 6.12 and 7.2 driver sources, and btm_bind_smmu() cross-checks the
 * first three against the ID registers before the others are trusted.
 */
#define SMMU_DRV_FEAT_COHERENCY	BIT(8)
#define SMMU_DRV_FEAT_TRANS_S1	BIT(9)
#define SMMU_DRV_FEAT_HYP	BIT(12)
#define SMMU_DRV_FEAT_RANGE_INV	BIT(15)
#define SMMU_DRV_FEAT_BTM	BIT(16)
#define SMMU_DRV_FEAT_VAX	BIT(14)
#define SMMU_DRV_FEAT_E2H	BIT(18)
/*
 * 7.x's (src/gen/sva_rules.c reads them there only): hardware Access flag
 * and dirty updates, BBML2, HAFT, as the ID registers or the firmware
 * (ACPI IORT) give them.
 */
#define SMMU_DRV_FEAT_HA	BIT(21)
#define SMMU_DRV_FEAT_HD	BIT(22)
#define SMMU_DRV_FEAT_BBML2	BIT(24)
#define SMMU_DRV_FEAT_HAFT	BIT(25)
/* ... and of its options word (the same in 6.6, 6.12 and 7.2) */
#define SMMU_DRV_OPT_CMDQ_FORCE_SYNC	BIT(3)

/* Whether BTM is in use on an SMMU, after the decision. */
enum btm_activity {
	BTM_ACT_OFF,		/* the decision found BTM unusable */
	BTM_ACT_PENDING,	/* usable, but CR2.PTM is 1 and ptm=keep */
	BTM_ACT_ACTIVE,		/* PTM 0, the provider installed */
	BTM_ACT_FAILED,		/* usable, but switching or installing failed */
	BTM_ACT_REFUSED,	/* usable, but listed in not_delivered= */
};

/* The ptm= module parameter. */
enum btm_ptm_mode {
	BTM_PTM_KEEP,		/* never disable an SMMU to change CR2 */
	BTM_PTM_CLEAR,		/* clear PTM on usable SMMUs, leave it so */
	BTM_PTM_CLEAR_RESTORE,	/* the same, and set it again at unload */
};

/**
 * struct bcheck_result - the last broadcast check on an SMMU
 * @verdict: what it found, over every kind checked
 * @observer: what observed ("ATOS", or "none")
 * @why: one line saying why, constant
 * @err: an errno when the check could not run to the end
 * @device: the device it went through
 * @nkinds: how many kinds of broadcast were checked (range TLBIs only on
 *	    CPUs that have them)
 * @kind: each kind's verdict
 * @kind_why: each kind's reason
 * @obs: each kind's pages and lookups
 * @fault: the last ATOS fault code, 0 when none
 */
struct bcheck_result {
	enum bcheck_verdict verdict;
	const char *observer;
	const char *why;
	int err;
	char device[32];
	unsigned int nkinds;
	enum bcheck_verdict kind[BCHECK_KINDS];
	const char *kind_why[BCHECK_KINDS];
	struct bcheck_obs obs[BCHECK_KINDS];
	unsigned int fault;
};

/**
 * struct btm_sync_timing - CMD_SYNC round trips timed on one SMMU
 * @n: syncs timed (0: never timed)
 * @err: the driver's error, when a sync failed
 * @min_ns: the fastest
 * @median_ns: the median
 * @p99_ns: the 99th percentile
 * @max_ns: the slowest
 */
struct btm_sync_timing {
	unsigned int n;
	int err;
	u64 min_ns;
	u64 median_ns;
	u64 p99_ns;
	u64 max_ns;
};

/* The most syncs time_syncs= takes per SMMU */
#define BTM_SYNC_TIMING_MAX	1000000

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
 * @drv: the driver's struct arm_smmu_device for this SMMU, layout-checked
 * @drv_features: the driver's feature word
 * @kernel: the kernel facts for this SMMU's decision
 * @decision: whether BTM is usable here, and why
 * @sva: whether the driver would do SVA here for these CPUs, and why not
 * @sva_cd: what an SVA CD on it says of the SMMU's side
 * @activity: whether BTM is in use here
 * @err: why @activity is BTM_ACT_FAILED
 * @sw: the PTM switch made at load, if one was tried
 * @sw_us: how long it took (translation was stopped within that time)
 * @ptm_cleared: smmu-btm cleared PTM at this load
 * @ptm_zero: BTM is in use here with PTM 0, cleared at this load or left
 *	      so by an earlier one (not under test_btm_active)
 * @provider: the SVA domain provider, when @activity is BTM_ACT_ACTIVE
 * @check: the last broadcast check by ATOS (btm_broadcast_check())
 * @check_dev: the last broadcast check observed by a device
 *	       (smmu_btm_check_device())
 * @verifying: verify=required and no check has proven delivery yet: the
 *	       shim still sends the TLBI commands
 * @broadcasts_lost: a check found broadcasts not delivered: the shim sends
 *		     the TLBI commands again, for good
 * @sync_timing: the last timing of its CMD_SYNCs (btm_time_syncs())
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
	void *drv;
	u32 drv_features;
	struct btm_kernel_facts kernel;
	struct btm_decision decision;
	enum sva_support sva;
	struct sva_cd_hw sva_cd;
	enum btm_activity activity;
	int err;
	struct cr2_switch_report sw;
	u64 sw_us;
	bool ptm_cleared;
	bool ptm_zero;
	struct btm_provider provider;
	struct bcheck_result check;
	struct bcheck_result check_dev;
	bool verifying;
	bool broadcasts_lost;
	struct btm_sync_timing sync_timing;
};

/**
 * struct btm_state - the module's state, built at load
 * @smmus: the SMMUs found, struct btm_smmu
 * @mode: the enable= parameter
 * @ptm: the ptm= parameter
 * @test_btm_active: the test_btm_active= parameter
 * @verify_required: verify=required: rely on an SMMU's broadcasts only once
 *		     the broadcast check has proven them there
 * @prepared: the move, provider and switch are initialised
 * @binding: what was bound in the driver
 * @cpu: the CPU facts
 */
struct btm_state {
	struct list_head smmus;
	enum btm_mode mode;
	enum btm_ptm_mode ptm;
	bool test_btm_active;
	bool verify_required;
	bool prepared;
	struct btm_binding binding;
	struct btm_cpu_facts cpu;
};

/* A client of an arm-smmu-v3 SMMU, for btm_walk_clients(). */
typedef int (*btm_client_fn)(struct device *dev, struct iommu_device *iommu,
			     void *data);

int btm_walk_clients(btm_client_fn fn, void *data);
int smmu_btm_discover(struct list_head *smmus);
void smmu_btm_forget(struct list_head *smmus);

int btm_bind_smmu(struct btm_smmu *smmu);
int btm_driver_asids(unsigned int *count, u16 *lowest, u16 *highest);

void btm_read_cpu_facts(struct btm_cpu_facts *cpu);
void btm_read_kernel_facts(struct btm_kernel_facts *kernel,
			   enum btm_driver_gen gen, u32 driver_features);

int btm_broadcast_check(struct btm_state *state, const char *name,
			bool skip_control);
bool btm_broadcasts_relied_on(const struct btm_smmu *smmu);
int btm_time_syncs(struct btm_state *state, unsigned int n);
void btm_sync_timing_read(const struct btm_smmu *smmu,
			  struct btm_sync_timing *r);
void btm_check_setup(struct btm_state *state);
enum bcheck_verdict btm_check_verdict(const struct btm_smmu *smmu);

int smmu_btm_status_init(const struct btm_state *state);
void smmu_btm_status_exit(void);

#endif /* SMMU_BTM_H */
