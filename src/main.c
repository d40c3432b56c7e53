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
#include <linux/panic.h>
#include <linux/utsname.h>

#include "smmu_btm.h"

static char *enable = "auto";
module_param(enable, charp, 0444);
MODULE_PARM_DESC(enable,
		 "Use broadcast TLB maintenance: auto (where the SMMU, CPU and kernel allow it), off, or force (field trials only: overrides a known erratum or the VMID condition, never missing hardware; taints the kernel)");

static char *test_missing_symbol;
module_param(test_missing_symbol, charp, 0400);
MODULE_PARM_DESC(test_missing_symbol,
		 "Test only: look this driver symbol up under a name that cannot exist, to exercise the refusal path");

static struct btm_state state = {
	.smmus = LIST_HEAD_INIT(state.smmus),
};

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

static int __init smmu_btm_init(void)
{
	int ret;

	if (btm_parse_mode(enable, &state.mode)) {
		pr_err("invalid enable=%s: use auto, off or force\n", enable);
		return -EINVAL;
	}
	ret = smmu_btm_bind();
	if (ret)
		return ret;
	smmu_btm_decide();

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
	return 0;
}

static void __exit smmu_btm_exit(void)
{
	smmu_btm_status_exit();
	smmu_btm_forget(&state.smmus);
	pr_info("unloaded\n");
}

module_init(smmu_btm_init);
module_exit(smmu_btm_exit);

MODULE_DESCRIPTION("Broadcast TLB maintenance for SVA on arm-smmu-v3");
MODULE_AUTHOR("smmu-btm developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(SMMU_BTM_VERSION);
