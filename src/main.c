// SPDX-License-Identifier: GPL-2.0
/*
 * smmu-btm: Broadcast TLB Maintenance for Shared Virtual Addressing on the
 * arm-smmu-v3 driver of an unmodified kernel.
 *
 * Module entry points: check the kernel, bind to the driver, find the SMMUs,
 * decide per SMMU whether BTM is usable, publish the status; undo it all at
 * unload. Any refusal leaves nothing behind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/ktime.h>
#include <linux/kstrtox.h>
#include <linux/minmax.h>
#include <linux/math64.h>
#include <linux/panic.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "btm_enable.h"
#include "domain_move.h"
#include "driver_domain.h"
#include "smmu_btm.h"
#include "sva_provider.h"
#include "sva_rules.h"

static char *enable = "auto";
module_param(enable, charp, 0444);
MODULE_PARM_DESC(enable,
		 "Use broadcast TLB maintenance: auto (where the SMMU, CPU and kernel allow it), off, or force (field trials only: overrides a known erratum or the VMID condition, never missing hardware; taints the kernel)");

static char *ptm = "keep";
module_param(ptm, charp, 0444);
MODULE_PARM_DESC(ptm,
		 "SMMU_CR2.PTM of SMMUs where BTM is usable: keep (never disable an SMMU), clear (disable each such SMMU for a moment to clear it, aborting its devices' DMA meanwhile: only while they are idle; left clear at unload, which is harmless), or clear-restore (the same, and set again at unload, with a second such moment)");

static char *verify = "off";
module_param(verify, charp, 0444);
MODULE_PARM_DESC(verify,
		 "Whether to rely on an SMMU's broadcasts before smmu-btm-check has proven them there: off (from the moment PTM is 0), or required (PTM is cleared as ptm= says, but the TLBI commands go on until the check says delivered)");

static char *not_delivered;
module_param(not_delivered, charp, 0444);
MODULE_PARM_DESC(not_delivered,
		 "SMMUs where smmu-btm-check found CPU broadcasts not delivered, by register base address (comma-separated, as smmu-btm-check -s writes them): PTM and the driver's path are left alone there");

static bool test_btm_active;
module_param(test_btm_active, bool, 0400);
MODULE_PARM_DESC(test_btm_active,
		 "Test only: use every SMMU as if BTM were usable and switched on, without writing any register (taints the kernel)");

static char *test_missing_symbol;
module_param(test_missing_symbol, charp, 0400);
MODULE_PARM_DESC(test_missing_symbol,
		 "Test only: look this driver symbol up under a name that cannot exist, to exercise the refusal path");

static bool test_skip_control;
module_param(test_skip_control, bool, 0600);
MODULE_PARM_DESC(test_skip_control,
		 "Test only: the broadcast check skips its negative control (a mutation its tests must catch; taints the kernel)");

static struct btm_state state = {
	.smmus = LIST_HEAD_INIT(state.smmus),
};

/* Set once init has finished: the check runs on a loaded module only. */
static bool loaded;

static const char *check_refusal(int err)
{
	switch (err) {
	case -ENODEV:
		return "no such PCI device";
	case -ENXIO:
		return "not behind an SMMU this module knows";
	case -EOPNOTSUPP:
		return "BTM is not in use on its SMMU (see its btm_state)";
	default:
		return "the calling process has no address space";
	}
}

/*
 * A write-only parameter's action needs the module's state, complete and
 * kept: 0 with a reference on the module (module_put() when done), or why
 * not.
 */
static int state_get(void)
{
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	/* Pairs with the release at the end of init: the state is complete. */
	if (smp_load_acquire(&loaded))
		return 0;
	module_put(THIS_MODULE);
	return -EBUSY;
}

/*
 * Writing a device's name to the check parameter runs the broadcast check
 * on its SMMU, in the writer's process (a sysfs parameter, which lockdown
 * leaves writable, unlike debugfs).
 */
static int check_set(const char *val, const struct kernel_param *kp)
{
	char name[32];
	int ret;

	ret = state_get();
	if (ret)
		return ret;
	strscpy(name, val, sizeof(name));
	strim(name);
	if (test_skip_control)
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	ret = btm_broadcast_check(&state, name, test_skip_control);
	if (ret)
		pr_err("broadcast check through %s not run: %s\n", name,
		       check_refusal(ret));
	module_put(THIS_MODULE);
	return ret;
}

static const struct kernel_param_ops check_ops = {
	.set = check_set,
};
module_param_cb(check, &check_ops, NULL, 0200);
MODULE_PARM_DESC(check,
		 "Write a PCI device's name (e.g. 0000:00:03.0) to prove, through it, that CPU broadcast TLBIs reach its SMMU; the result is in the status file (smmu-btm-check does this)");

/*
 * Writing a count to time_syncs times that many CMD_SYNCs, each alone, on
 * every SMMU found: the round trip a flush waits for without BTM. The
 * figures are in the status file (smmu-btm-check -t does this).
 */
static int time_syncs_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (!ret)
		ret = state_get();
	if (ret)
		return ret;
	ret = btm_time_syncs(&state, n);
	module_put(THIS_MODULE);
	return ret;
}

static const struct kernel_param_ops time_syncs_ops = {
	.set = time_syncs_set,
};
module_param_cb(time_syncs, &time_syncs_ops, NULL, 0200);
MODULE_PARM_DESC(time_syncs,
		 "Write a count (1 to 1000000) to time that many CMD_SYNCs on every SMMU, each alone; the figures are in the status file (smmu-btm-check -t does this)");

static int __init smmu_btm_bind(void)
{
	struct btm_smmu *smmu, *first;
	int ret;

	ret = btm_kallsyms_init();
	if (ret)
		return ret;
	ret = btm_check_kernel(&state.binding);
	if (ret)
		return ret;

	ret = smmu_btm_discover(&state.smmus);
	if (ret) {
		pr_err("SMMU discovery failed (%d); not loading\n", ret);
		return ret;
	}
	if (list_empty(&state.smmus)) {
		pr_err("no arm-smmu-v3 SMMU translates for any device; not loading\n");
		return -ENODEV;
	}
	/*
	 * One driver binding serves every SMMU: they must share the driver's
	 * ops, and the driver must be built in, where kallsyms_on_each_symbol()
	 * sees its symbols.
	 */
	first = list_first_entry(&state.smmus, struct btm_smmu, node);
	list_for_each_entry(smmu, &state.smmus, node) {
		if (smmu->driver) {
			pr_err("%s: arm-smmu-v3 is a module (%s) on this kernel, which smmu-btm does not support yet; not loading\n",
			       init_utsname()->release, module_name(smmu->driver));
			ret = -EOPNOTSUPP;
		} else if (smmu->iommu->ops != first->iommu->ops) {
			pr_err("%s: %s and %s have different iommu_ops; not loading\n",
			       init_utsname()->release, dev_name(first->hwdev),
			       dev_name(smmu->hwdev));
			ret = -EINVAL;
		}
		if (ret)
			break;
	}
	if (!ret)
		ret = btm_bind_symbols(&state.binding, first->iommu->ops,
				       test_missing_symbol);
	list_for_each_entry(smmu, &state.smmus, node) {
		if (ret)
			break;
		ret = btm_bind_smmu(smmu);
	}
	if (ret)
		smmu_btm_forget(&state.smmus);
	return ret;
}

static void __init smmu_btm_decide(void)
{
	struct btm_smmu *smmu;

	btm_read_cpu_facts(&state.cpu);
	list_for_each_entry(smmu, &state.smmus, node) {
		btm_read_kernel_facts(&smmu->kernel, state.binding.gen,
				      smmu->drv_features);
		/* As the driver holds the SMMU: its firmware's word included. */
		btm_sva_facts(smmu->drv, &state.cpu, &smmu->sva, &smmu->sva_cd);
		smmu->kernel.sva_refused = smmu->sva != SVA_SUPPORTED;
		btm_decide(&smmu->feat, smmu->regs.cr2, &state.cpu,
			   &smmu->kernel, state.mode, &smmu->decision);
		pr_info("%s: arm-smmu-v3 %s at %pa, SMMUv%u.%u, %u client device(s): BTM %s (%s)\n",
			dev_name(smmu->iommu->dev), dev_name(smmu->hwdev),
			&smmu->base, smmu->feat.arch_major,
			smmu->feat.arch_minor, smmu->clients,
			btm_usable(&smmu->decision) ? "usable" : "not usable",
			btm_reason_text(smmu->decision.reason));
	}
}

/*
 * The driver parts BTM needs: the move, the provider and the shim, CR2.
 * Nothing is placed in the driver here: the first provider installed does.
 */
static int __init smmu_btm_prepare(void)
{
	int ret;

	ret = btm_move_init();
	if (ret)
		return ret;
	ret = btm_provider_init();
	if (!ret)
		ret = btm_enable_init();
	if (ret)
		btm_move_exit();
	return ret;
}

/*
 * The notifier's facts of @smmu, from the driver and its live CR2; true
 * when PTM is 0 now, so that broadcasts reach the SMMU's TLB.
 */
static bool __init smmu_inv_facts(struct btm_smmu *smmu, struct inv_smmu *inv)
{
	u32 cr0, cr2;

	btm_live_regs(smmu->drv, &cr0, &cr2);
	inv->range_inv = smmu->drv_features & SMMU_DRV_FEAT_RANGE_INV;
	inv->el2 = cr2 & CR2_E2H;
	inv->page_shift = PAGE_SHIFT;
	inv->force_sync = *(u32 *)BTM_AT(smmu->drv,
					 BTM_OFF_arm_smmu_device__options) &
			  SMMU_DRV_OPT_CMDQ_FORCE_SYNC;
	return !(cr2 & CR2_PTM);
}

/*
 * Put BTM to use on @smmu, whose decision allows it: clear PTM if asked
 * to (an earlier load may have left it clear already), then install the
 * SVA provider. Either failing leaves the SMMU as it was, on the driver's
 * own path.
 */
/* Whether not_delivered= names @smmu. */
static bool __init listed_not_delivered(const struct btm_smmu *smmu)
{
	const char *p = not_delivered;
	char word[24];
	size_t n;
	u64 base;

	while (p && *p) {
		n = strcspn(p, ",");
		strscpy(word, p, min(n + 1, sizeof(word)));
		if (!kstrtou64(strim(word), 16, &base) && base == smmu->base)
			return true;
		p += n + !!p[n];
	}
	return false;
}

static void __init smmu_btm_activate(struct btm_smmu *smmu)
{
	struct cr2_switch_report undo = {};
	struct inv_smmu inv;
	bool ptm_clear;
	u32 cr0, cr2;
	u64 t0;
	int ret;

	if (listed_not_delivered(smmu)) {
		pr_warn("%s: BTM refused: smmu-btm-check found that CPU broadcasts do not reach this SMMU (not_delivered=%pa); PTM and the driver's path left alone\n",
			dev_name(smmu->hwdev), &smmu->base);
		smmu->activity = BTM_ACT_REFUSED;
		return;
	}
	btm_live_regs(smmu->drv, &cr0, &cr2);
	if (!state.test_btm_active && (cr2 & CR2_PTM) &&
	    state.ptm == BTM_PTM_KEEP) {
		smmu->activity = BTM_ACT_PENDING;
		return;
	}
	if (!state.test_btm_active && (cr2 & CR2_PTM)) {
		t0 = ktime_get_ns();
		ret = btm_set_ptm(smmu->drv, false, &smmu->sw);
		smmu->sw_us = div_u64(ktime_get_ns() - t0, NSEC_PER_USEC);
		smmu->ptm_cleared = !ret;
		if (ret) {
			pr_err("%s: clearing SMMU_CR2.PTM failed at %s (%d); BTM stays off\n",
			       dev_name(smmu->hwdev),
			       cr2_switch_step_name(smmu->sw.failed_step), ret);
			goto failed;
		}
		pr_info("%s: SMMU_CR2.PTM cleared (CR2 %#x to %#x) in %llu us, translation stopped within that\n",
			dev_name(smmu->hwdev), smmu->sw.cr2_before,
			smmu->sw.cr2_after, smmu->sw_us);
	}
	/*
	 * The shim skips TLBIs only where PTM really is 0: under
	 * test_btm_active on an SMMU whose PTM is 1 it sends the stock ones.
	 */
	ptm_clear = smmu_inv_facts(smmu, &inv);
	smmu->ptm_zero = ptm_clear && !state.test_btm_active;
	/* verify=required: the commands go on until a check proves delivery */
	smmu->verifying = state.verify_required && ptm_clear;
	ret = btm_provider_install(&smmu->provider, smmu->iommu, smmu->drv,
				   smmu->feat.asid_bits,
				   smmu->feat.stall_model == SMMU_STALL_FORCED,
				   &inv, ptm_clear && !smmu->verifying);
	if (!ret) {
		smmu->activity = BTM_ACT_ACTIVE;
		return;
	}
	pr_err("%s: installing the SVA provider failed (%d); BTM stays off\n",
	       dev_name(smmu->hwdev), ret);
	if (smmu->ptm_cleared && !btm_set_ptm(smmu->drv, true, &undo))
		smmu->ptm_cleared = false;
	smmu->ptm_zero = false;
failed:
	smmu->activity = BTM_ACT_FAILED;
	smmu->err = ret;
}

static void __init smmu_btm_use(void)
{
	struct btm_smmu *smmu;
	bool prepared = false;
	int ret = 0;

	list_for_each_entry(smmu, &state.smmus, node) {
		if (!btm_usable(&smmu->decision) && !state.test_btm_active)
			continue;
		if (!prepared && !ret) {
			ret = smmu_btm_prepare();
			prepared = !ret;
		}
		if (ret) {
			smmu->activity = BTM_ACT_FAILED;
			smmu->err = ret;
			continue;
		}
		smmu_btm_activate(smmu);
	}
	state.prepared = prepared;
}

/*
 * Undo smmu_btm_use(): SVA domains are gone, as each holds a reference.
 * PTM stays clear unless ptm=clear-restore asked for it to be set again
 * (whether this load cleared it or an earlier one left it clear):
 * with PTM 0 the SMMU only takes part in broadcasts besides the driver's
 * own TLBIs, which over-invalidates and never misses, and setting it again
 * means stopping the SMMU once more.
 */
static void smmu_btm_unuse(void)
{
	struct cr2_switch_report rep = {};
	struct btm_smmu *smmu;
	int ret;

	list_for_each_entry(smmu, &state.smmus, node) {
		if (smmu->activity == BTM_ACT_ACTIVE)
			WARN_ON(btm_provider_remove(&smmu->provider));
		if (!smmu->ptm_zero || state.ptm != BTM_PTM_CLEAR_RESTORE)
			continue;
		ret = btm_set_ptm(smmu->drv, true, &rep);
		if (ret)
			pr_err("%s: setting SMMU_CR2.PTM again failed at %s (%d)\n",
			       dev_name(smmu->hwdev),
			       cr2_switch_step_name(rep.failed_step), ret);
	}
	if (state.prepared)
		btm_move_exit();
}

static int __init parse_ptm(const char *text, enum btm_ptm_mode *mode)
{
	if (sysfs_streq(text, "keep"))
		*mode = BTM_PTM_KEEP;
	else if (sysfs_streq(text, "clear"))
		*mode = BTM_PTM_CLEAR;
	else if (sysfs_streq(text, "clear-restore"))
		*mode = BTM_PTM_CLEAR_RESTORE;
	else
		return -EINVAL;
	return 0;
}

static int __init smmu_btm_init(void)
{
	int ret;

	if (btm_parse_mode(enable, &state.mode)) {
		pr_err("invalid enable=%s: use auto, off or force\n", enable);
		return -EINVAL;
	}
	if (!ptm || parse_ptm(ptm, &state.ptm)) {
		pr_err("invalid ptm=%s: use keep, clear or clear-restore\n", ptm);
		return -EINVAL;
	}
	if (!verify || (!sysfs_streq(verify, "off") &&
			!sysfs_streq(verify, "required"))) {
		pr_err("invalid verify=%s: use off or required\n", verify);
		return -EINVAL;
	}
	state.verify_required = sysfs_streq(verify, "required");
	state.test_btm_active = test_btm_active;
	ret = smmu_btm_bind();
	if (ret)
		return ret;
	smmu_btm_decide();
	if (state.test_btm_active) {
		pr_warn("test_btm_active=1: SMMUs used as if BTM were switched on, for tests only; tainting the kernel\n");
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}
	smmu_btm_use();

	/* The status is diagnostics: without debugfs the module still works. */
	ret = smmu_btm_status_init(&state);
	if (ret)
		pr_warn("no status file: debugfs is unavailable (%d)\n", ret);
	if (state.mode == BTM_MODE_FORCE) {
		pr_warn("enable=force: known problems are overridden, for field trials only; tainting the kernel\n");
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}
	pr_info("version %s loaded (driver %s, %u symbols bound, BTF %s)\n",
		SMMU_BTM_VERSION, btm_driver_gen_name(state.binding.gen),
		state.binding.resolved, state.binding.btf);
	btm_check_setup(&state);
	/* Everything above is visible to a check that sees this. */
	smp_store_release(&loaded, true);
	return 0;
}

static void __exit smmu_btm_exit(void)
{
	/* A check holds a module reference: none runs from here on. */
	WRITE_ONCE(loaded, false);
	btm_check_setup(NULL);
	smmu_btm_status_exit();
	smmu_btm_unuse();
	smmu_btm_forget(&state.smmus);
	pr_info("unloaded\n");
}

module_init(smmu_btm_init);
module_exit(smmu_btm_exit);

MODULE_DESCRIPTION("Broadcast TLB maintenance for SVA on arm-smmu-v3");
MODULE_AUTHOR("smmu-btm developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(SMMU_BTM_VERSION);
