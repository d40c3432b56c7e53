// SPDX-License-Identifier: GPL-2.0
/*
 * smmu_btm_race: does smmu-btm's notifier outlive the DMA domain it reads?
 * (review R1, 6.2 to 6.8, tests only)
 *
 * On those kernels the notifier reads each attachment's DMA domain under
 * RCU alone (btm_cdt_ats_possible() hands it to btm_shim_domain_ats()),
 * and the driver frees that domain with a plain kfree once SVA may be
 * disabled on its masters. Writing 1 to the parameter "arm" makes the next
 * call of btm_shim_domain_ats() hold its reader, interrupts off, for up to
 * hold_ms, while the caller unbinds, disables SVA and removes the device
 * (tests/guest/pasid.sh). Probes see whether smmu-btm's detach ran during
 * the hold (the race was made), and the hold watches what lets the driver
 * free the held domain: smmu-btm's placeholder bond on the domain's master,
 * without which the driver disables SVA and may free the domain at once
 * (the device's removal here happens to wait for the reader before the
 * free itself, so a free seen during the hold is reported too, but is not
 * relied on). A freed domain would be read by the probed call: this module
 * makes it return false instead. The verdict is printed as
 * "CHECK notifier-vs-detach PASS|FAIL" when the module is unloaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/iommu.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/spinlock.h>

#include "driver_domain.h"
#include "generated/layout.h"

static bool arm;
module_param(arm, bool, 0600);
MODULE_PARM_DESC(arm, "1: hold the next notifier reader");

static unsigned int hold_ms = 3000;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "how long a held reader waits for the domain's free");

static void *held;		/* the driver's domain the held reader has */
static atomic_t holding;	/* a reader is held now */
static bool detached;		/* smmu-btm's detach ran during the hold */
static bool freed;		/* the driver freed the held domain meanwhile */
static bool unheld;		/* its master's placeholder bond went meanwhile */
static unsigned int held_ms;

/* The bonds of the first master of the driver's domain @sd, or NULL. */
static struct list_head *first_master_bonds(void *sd)
{
	struct list_head *head = BTM_AT(sd, BTM_OFF_arm_smmu_domain__devices);
	spinlock_t *lock = BTM_AT(sd, BTM_OFF_arm_smmu_domain__devices_lock);
	struct list_head *bonds = NULL;

	spin_lock(lock);
	if (!list_empty(head))
		bonds = BTM_AT((char *)head->next -
			       BTM_OFF_arm_smmu_master__domain_head,
			       BTM_OFF_arm_smmu_master__bonds);
	spin_unlock(lock);
	return bonds;
}

static int reader_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct list_head *bonds;
	u64 end;

	if (!READ_ONCE(arm) || held)
		return 0;
	WRITE_ONCE(arm, false);
	held = (void *)regs->regs[0];
	bonds = first_master_bonds(held);
	end = ktime_get_ns() + (u64)hold_ms * NSEC_PER_MSEC;
	atomic_set(&holding, 1);
	while (!READ_ONCE(freed) && ktime_get_ns() < end) {
		/* Not read again once gone: the master may go next. */
		if (bonds && list_empty_careful(bonds)) {
			unheld = true;
			bonds = NULL;
		}
		cpu_relax();
	}
	atomic_set(&holding, 0);
	held_ms = hold_ms - div_u64(end > ktime_get_ns() ?
				    end - ktime_get_ns() : 0, NSEC_PER_MSEC);
	if (!READ_ONCE(freed))
		return 0;
	/* Do not let the probed call read the freed domain: it returns false. */
	regs->regs[0] = 0;
	instruction_pointer_set(regs, procedure_link_pointer(regs));
	return 1;
}

static int detach_pre(struct kprobe *kp, struct pt_regs *regs)
{
	if (atomic_read(&holding))
		WRITE_ONCE(detached, true);
	return 0;
}

static int domain_free_pre(struct kprobe *kp, struct pt_regs *regs)
{
	void *sd = smmu_domain_of((struct iommu_domain *)regs->regs[0]);

	if (atomic_read(&holding) && sd == READ_ONCE(held))
		WRITE_ONCE(freed, true);
	return 0;
}

static struct kprobe probes[] = {
	{ .symbol_name = "smmu_btm:btm_shim_domain_ats", .pre_handler = reader_pre },
	{ .symbol_name = "smmu_btm:btm_cdt_detach", .pre_handler = detach_pre },
	{ .symbol_name = "arm_smmu_domain_free", .pre_handler = domain_free_pre },
};

static struct kprobe *probe_list[ARRAY_SIZE(probes)];

static int __init race_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(probes); i++)
		probe_list[i] = &probes[i];
	ret = register_kprobes(probe_list, ARRAY_SIZE(probe_list));
	if (ret)
		pr_info("CHECK notifier-vs-detach FAIL cannot probe the notifier, the detach and the driver's domain free: %d\n",
			ret);
	return ret;
}

static void __exit race_exit(void)
{
	unregister_kprobes(probe_list, ARRAY_SIZE(probe_list));
	if (!held)
		pr_info("CHECK notifier-vs-detach FAIL no notifier reader was held\n");
	else if (!detached)
		pr_info("CHECK notifier-vs-detach FAIL the detach did not run while a reader held domain %p (%u ms)\n",
			held, held_ms);
	else if (freed)
		pr_info("CHECK notifier-vs-detach FAIL the driver freed DMA domain %p while a notifier reader held it (after %u ms)\n",
			held, held_ms);
	else if (unheld)
		pr_info("CHECK notifier-vs-detach FAIL smmu-btm's placeholder bond left the master while a notifier reader held its DMA domain %p: the driver could disable SVA and free it\n",
			held);
	else
		pr_info("CHECK notifier-vs-detach PASS the detach ran while a reader held domain %p, which stayed allocated (%u ms)\n",
			held, held_ms);
}

module_init(race_init);
module_exit(race_exit);
MODULE_DESCRIPTION("smmu-btm tests: the notifier against a detach (tests only)");
MODULE_LICENSE("GPL");
