// SPDX-License-Identifier: GPL-2.0
/*
 * Switching broadcast TLB maintenance on and off on one live SMMU: clearing
 * SMMU_CR2.PTM, and setting it again at unload.
 *
 * CR2 can only change while the SMMU is disabled (IHI 0070 6.3.12), so the
 * switch (src/core/cr2_switch.c) makes incoming transactions abort (GBPA.ABORT),
 * disables the SMMU, writes CR2, invalidates every cached configuration and
 * TLB entry through the command queue (which runs while SMMUEN is 0),
 * enables the SMMU again and restores GBPA. A device's DMA in that window
 * is aborted, never let through untranslated; so the switch is made only
 * when asked for (ptm=clear), for SMMUs whose devices are idle (MSIs that
 * go through the SMMU are aborted too).
 *
 * Nothing else may write CR0 meanwhile. The driver does in two places: its
 * global error handler, which disables an SMMU in Service Failure Mode, is
 * held off (its interrupt disabled, after any running handler finished),
 * and the switch itself refuses to enable an SMMU that entered that mode;
 * and its shutdown, which the device's lock excludes (the driver core
 * holds it around ->shutdown(), and around unbinding). The window itself
 * runs with preemption off, so that it lasts microseconds, not a timeslice.
 *
 * Design: doc/ptm-switch.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/preempt.h>

#include "btm_enable.h"
#include "cmdq.h"
#include "driver_domain.h"
#include "generated/layout.h"
#include "smmu_cmds.h"

/* The driver's own bound on a register poll: one second. */
#define POLL_LIMIT_US	1000000

/**
 * btm_regs() - the driver's mapping of an SMMU's register page 0
 * @smmu: the driver's struct arm_smmu_device
 *
 * Return: the mapping, valid while the driver holds the SMMU.
 */
void __iomem *btm_regs(void *smmu)
{
	return *(void __iomem **)BTM_AT(smmu, BTM_OFF_arm_smmu_device__base);
}

static u32 reg_read(void *smmu, unsigned int offset)
{
	return readl_relaxed(btm_regs(smmu) + offset);
}

/* Ordered after every earlier access, as a register update must be. */
static void reg_write(void *smmu, unsigned int offset, u32 val)
{
	writel(val, btm_regs(smmu) + offset);
}

/**
 * btm_invalidate_all() - drop everything an SMMU may have cached: its
 * configuration, and its TLB of the EL1&0 regime and, with @el2, of EL2&0
 * @smmu: the driver's struct arm_smmu_device
 * @el2: the SMMU's StreamWorld is EL2&0 too (SMMU_CR2.E2H)
 *
 * Context: any the driver issues commands from.
 * Return: 0, or the driver's error for the CMD_SYNC.
 */
int btm_invalidate_all(void *smmu, bool el2)
{
	struct smmu_cmd cmds[3];
	unsigned int n = 0;

	smmu_cmd_cfgi_all(&cmds[n++]);
	if (el2)
		smmu_cmd_tlbi_all(&cmds[n++], true);
	smmu_cmd_tlbi_all(&cmds[n++], false);
	return btm_cmdq_submit(smmu, cmds, n, true);
}

static void delay_1us(void *smmu)
{
	udelay(1);
}

/**
 * btm_enable_init() - find what switching needs in the bound driver
 *
 * Return: 0, or -EOPNOTSUPP for a driver generation before 6.2.
 */
int btm_enable_init(void)
{
	return btm_cmdq_init();
}

/* The interrupt the driver's global error handler runs on: 0 for none. */
static int gerror_irq(void *smmu)
{
	int irq = *(int *)BTM_AT(smmu, BTM_OFF_arm_smmu_device__combined_irq);

	return irq > 0 ? irq :
	       *(int *)BTM_AT(smmu, BTM_OFF_arm_smmu_device__gerr_irq);
}

/**
 * btm_set_ptm() - set or clear SMMU_CR2.PTM on a live SMMU
 * @smmu: the driver's struct arm_smmu_device
 * @ptm: the value wanted: false lets the SMMU take part in the CPU's
 *	 broadcast TLB maintenance, true is the driver's own setting
 * @rep: what happened, step by step
 *
 * Context: process, may sleep before and after the window; btm_enable_init()
 * succeeded.
 * Return: 0, or the error of the step @rep names.
 */
int btm_set_ptm(void *smmu, bool ptm, struct cr2_switch_report *rep)
{
	const struct smmu_reg_io io = {
		.read = reg_read,
		.write = reg_write,
		.invalidate_all = btm_invalidate_all,
		.delay = delay_1us,
		.ctx = smmu,
		.poll_limit = POLL_LIMIT_US,
	};
	struct device *dev = *(struct device **)BTM_AT(smmu,
					BTM_OFF_arm_smmu_device__dev);
	int irq = gerror_irq(smmu);
	int ret;

	device_lock(dev);
	if (irq > 0)
		disable_irq(irq);
	preempt_disable();
	ret = smmu_cr2_set_ptm(&io, ptm, rep);
	preempt_enable();
	/* An error raised meanwhile is handled now, as it would have been. */
	if (irq > 0)
		enable_irq(irq);
	device_unlock(dev);
	return ret;
}

/**
 * btm_live_regs() - read SMMU_CR0 and SMMU_CR2 as they are now
 * @smmu: the driver's struct arm_smmu_device
 * @cr0: set to SMMU_CR0
 * @cr2: set to SMMU_CR2
 */
void btm_live_regs(void *smmu, u32 *cr0, u32 *cr2)
{
	*cr0 = reg_read(smmu, SMMU_CR0);
	*cr2 = reg_read(smmu, SMMU_CR2);
}
