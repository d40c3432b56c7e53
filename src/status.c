// SPDX-License-Identifier: GPL-2.0
/*
 * The status file: /sys/kernel/debug/smmu_btm/status, root-only and
 * read-only (0400, so it stays readable under lockdown). One "key: value"
 * per line, for people and for scripts alike.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/math64.h>
#include <linux/pci.h>
#include <linux/pci-ats.h>
#include <linux/property.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string_helpers.h>
#include <linux/utsname.h>

#include "btm_enable.h"
#include "domain_move.h"
#include "smmu_btm.h"
#include "smmu_masters.h"

static struct dentry *status_dir;

static const char * const ptm_keys[] = {
	[BTM_PTM_KEEP] = "keep",
	[BTM_PTM_CLEAR] = "clear",
	[BTM_PTM_CLEAR_RESTORE] = "clear-restore",
};

static const char * const activity_keys[] = {
	[BTM_ACT_OFF] = "off",
	[BTM_ACT_PENDING] = "pending",
	[BTM_ACT_ACTIVE] = "active",
	[BTM_ACT_FAILED] = "failed",
	[BTM_ACT_REFUSED] = "refused",
};

/* One observer's last broadcast check on SMMU @i, as KEY lines. */
static void show_result(struct seq_file *m, unsigned int i, const char *key,
			const struct bcheck_result *c)
{
	const struct bcheck_obs *o;
	unsigned int k;

	if (c->verdict == BCHECK_NOT_RUN)
		return;
	seq_printf(m, "smmu%u.%s: %s: through %s, observer %s: %s", i, key,
		   bcheck_verdict_name(c->verdict), c->device, c->observer,
		   c->why);
	if (c->err)
		seq_printf(m, " (%d)", c->err);
	seq_puts(m, "\n");
	for (k = 0; k < c->nkinds; k++) {
		o = &c->obs[k];
		seq_printf(m, "smmu%u.%s_kind: %s: %s: pages 0x%llx then 0x%llx; seen 0x%llx, without an invalidation 0x%llx, after the broadcast 0x%llx (0: neither)\n",
			   i, key, bcheck_kind_name(k),
			   bcheck_verdict_name(c->kind[k]), o->old_pa, o->new_pa,
			   o->before.ok ? o->before.pa : 0,
			   o->stale.ok ? o->stale.pa : 0,
			   o->after.ok ? o->after.pa : 0);
	}
}

/* The broadcast checks on @smmu: by ATOS and by a device. */
static void show_check(struct seq_file *m, struct btm_smmu *smmu)
{
	unsigned int i = smmu->index;

	seq_printf(m, "smmu%u.atos: %s\n", i,
		   str_yes_no(smmu->regs.idr0 & IDR0_ATOS));
	seq_printf(m, "smmu%u.broadcast_check: %s\n", i,
		   bcheck_verdict_name(btm_check_verdict(smmu)));
	show_result(m, i, "broadcast_check_atos", &smmu->check);
	show_result(m, i, "broadcast_check_device", &smmu->check_dev);
}

/* The last timing of @smmu's CMD_SYNCs (time_syncs=), if one was made. */
static void show_sync_timing(struct seq_file *m, struct btm_smmu *smmu)
{
	struct btm_sync_timing r;

	btm_sync_timing_read(smmu, &r);
	if (r.err)
		seq_printf(m, "smmu%u.cmd_sync_ns: a sync failed (%d)\n",
			   smmu->index, r.err);
	else if (r.n)
		seq_printf(m, "smmu%u.cmd_sync_ns: median %llu p99 %llu min %llu max %llu of %u (each sync alone, queued to completion)\n",
			   smmu->index, r.median_ns, r.p99_ns, r.min_ns,
			   r.max_ns, r.n);
}

/* Whether the shim relies on @smmu's broadcasts, and why not. */
static const char *broadcasts_text(const struct btm_smmu *smmu)
{
	if (btm_broadcasts_relied_on(smmu))
		return "relied on: SVA domains on the CPU's ASIDs get no TLBI";
	if (smmu->broadcasts_lost)
		return "NOT delivered (smmu-btm-check): the TLBI commands are sent again";
	if (smmu->verifying)
		return "verify=required: TLBI commands sent until smmu-btm-check proves delivery";
	return "not relied on (PTM is 1): the TLBI commands are sent";
}

/* What BTM is doing on @smmu, and why, for people. */
static void show_activity(struct seq_file *m, struct btm_smmu *smmu,
			  bool test_btm_active, bool state_restores)
{
	const struct cr2_switch_report *sw = &smmu->sw;
	unsigned int i = smmu->index;

	seq_printf(m, "smmu%u.btm_state: %s\n", i, activity_keys[smmu->activity]);
	switch (smmu->activity) {
	case BTM_ACT_OFF:
		seq_printf(m, "smmu%u.btm_state_text: not used: see reason\n", i);
		break;
	case BTM_ACT_PENDING:
		seq_printf(m, "smmu%u.btm_state_text: usable, but SMMU_CR2.PTM is 1 and CR2 can only change while the SMMU is disabled (IHI 0070 6.3.12); load with ptm=clear while this SMMU's devices are idle to switch it on\n",
			   i);
		break;
	case BTM_ACT_ACTIVE:
		if (test_btm_active)
			seq_printf(m, "smmu%u.btm_state_text: provider installed without switching (test_btm_active=1, for tests only: no register written; TLBIs are skipped only if PTM is 0)\n",
				   i);
		else if (smmu->ptm_cleared)
			seq_printf(m, "smmu%u.btm_state_text: switched on: PTM cleared at load, SVA domains on the CPU's ASIDs need no TLBI\n",
				   i);
		else
			seq_printf(m, "smmu%u.btm_state_text: switched on: PTM was 0 already (left so by an earlier load, or by firmware), SVA domains on the CPU's ASIDs need no TLBI\n",
				   i);
		break;
	case BTM_ACT_FAILED:
		seq_printf(m, "smmu%u.btm_state_text: switching on failed (%d): the SMMU stays on the driver's own path\n",
			   i, smmu->err);
		break;
	case BTM_ACT_REFUSED:
		seq_printf(m, "smmu%u.btm_state_text: refused: not_delivered= names this SMMU (smmu-btm-check found that CPU broadcasts do not reach it); PTM and the driver's path left alone\n",
			   i);
		break;
	}
	if (smmu->activity == BTM_ACT_ACTIVE)
		seq_printf(m, "smmu%u.broadcasts: %s\n", i, broadcasts_text(smmu));
	if (sw->cr2_before || sw->err)
		seq_printf(m, "smmu%u.ptm_switch: %s: CR2 %#x to %#x in %llu us (translation stopped within that), failed step %s\n",
			   i, sw->err ? "failed" : "done", sw->cr2_before,
			   sw->cr2_after, smmu->sw_us,
			   cr2_switch_step_name(sw->failed_step));
	else
		seq_printf(m, "smmu%u.ptm_switch: none\n", i);
	if (smmu->ptm_zero && state_restores)
		seq_printf(m, "smmu%u.ptm_at_unload: set to 1 again (ptm=clear-restore: the SMMU stops for a moment once more)\n",
			   i);
	else if (smmu->ptm_zero)
		seq_printf(m, "smmu%u.ptm_at_unload: left 0 (the driver's own TLBIs go on; broadcasts only add invalidations; ptm=clear-restore sets it again)\n",
			   i);
}

/* The SVA domains and invalidations of @smmu's provider. */
static void show_provider(struct seq_file *m, struct btm_smmu *smmu)
{
	struct btm_provider *p = &smmu->provider;
	unsigned int i = smmu->index;
	struct inv_counts c = {};

	if (smmu->activity != BTM_ACT_ACTIVE) {
		seq_printf(m, "smmu%u.provider: not installed\n", i);
		return;
	}
	btm_provider_counts(p, &c);
	seq_printf(m, "smmu%u.provider: installed, %s\n", i,
		   p->btm ? "no TLBI for SVA domains on their CPU ASID" :
			    "stock TLBIs (PTM is 1)");
	seq_printf(m, "smmu%u.sva_domains: %d live, %d set up since load (%d live on their CPU ASID; %d fell back to a private one; %d DMA domains moved; %d outlived their mm)\n",
		   i, atomic_read(&p->domains), atomic_read(&p->allocated),
		   atomic_read(&p->shared),
		   atomic_read(&p->fallbacks), atomic_read(&p->moved),
		   atomic_read(&p->released));
	seq_printf(m, "smmu%u.invalidations: seen %llu tlbi %llu atc %llu sync %llu avoided %llu local %llu local_cmds %llu\n",
		   i, c.seen, c.tlbi, c.atc, c.sync, c.avoided, c.local,
		   c.local_cmds);
	seq_printf(m, "smmu%u.flushes: %llu (whole-ASID, at SVA detach, mm exit and free: %llu commands)\n",
		   i, c.flushes, c.flush_cmds);
}

/* The stall and ATS masters of every SMMU, read when the file is read. */
struct masters_walk {
	const struct btm_state *state;
	struct smmu_masters *masters;	/* one per SMMU, by its index */
};

/*
 * A client of @iommu, under its iommu group's mutex: whether the driver
 * made it a stall master, and whether it has ATS on, or could.
 */
static int note_master(struct device *dev, struct iommu_device *iommu,
		       void *data)
{
	struct masters_walk *w = data;
	struct iommu_fwspec *fwspec;
	struct smmu_masters *sm;
	struct btm_smmu *smmu;
	struct pci_dev *pdev;
	bool rc_ats;

	list_for_each_entry(smmu, &w->state->smmus, node)
		if (smmu->iommu == iommu)
			break;
	/* An SMMU whose first client came after the load has no smmuN. */
	if (list_entry_is_head(smmu, &w->state->smmus, node))
		return 0;
	sm = &w->masters[smmu->index];
	/*
	 * The driver's own verdict (arm_smmu_master.stall_enabled) is private;
	 * its rule takes only the property and the stall model, both public.
	 */
	if (smmu_master_stalls(smmu->feat.stall_model,
			       device_property_read_bool(dev, "dma-can-stall")))
		master_list_add(&sm->stall, dev_name(dev));
	if (!dev_is_pci(dev))
		return 0;
	pdev = to_pci_dev(dev);
	/* The driver enables ATS at attach, under the mutex held here. */
	if (pdev->ats_enabled)
		master_list_add(&sm->ats, dev_name(dev));
	fwspec = dev_iommu_fwspec_get(dev);
	rc_ats = fwspec && (fwspec->flags & IOMMU_FWSPEC_PCI_RC_ATS);
	if (smmu_master_ats_capable(&smmu->feat, rc_ats,
				    pci_ats_supported(pdev)))
		master_list_add(&sm->ats_capable, dev_name(dev));
	return 0;
}

/*
 * One struct smmu_masters per SMMU of @state (@n of them), or an ERR_PTR.
 * Read live rather than at load: ATS comes and goes with the domain a
 * device is attached to, and devices are hot-plugged.
 */
static struct smmu_masters *read_masters(const struct btm_state *state,
					 unsigned int n)
{
	struct masters_walk w = { .state = state };
	int ret;

	w.masters = kcalloc(n, sizeof(*w.masters), GFP_KERNEL);
	if (!w.masters)
		return ERR_PTR(-ENOMEM);
	ret = btm_walk_clients(note_master, &w);
	if (ret) {
		kfree(w.masters);
		return ERR_PTR(ret);
	}
	return w.masters;
}

static void show_master_list(struct seq_file *m, unsigned int i,
			     const char *key, const struct master_list *l)
{
	if (l->count)
		seq_printf(m, "smmu%u.%s: %u (%s)\n", i, key, l->count, l->text);
	else
		seq_printf(m, "smmu%u.%s: 0\n", i, key);
}

static void show_masters(struct seq_file *m, unsigned int i,
			 const struct smmu_masters *masters)
{
	if (IS_ERR(masters)) {
		seq_printf(m, "smmu%u.stall_masters: not read (%ld)\n", i,
			   PTR_ERR(masters));
		seq_printf(m, "smmu%u.ats_masters: not read (%ld)\n", i,
			   PTR_ERR(masters));
		seq_printf(m, "smmu%u.ats_capable: not read (%ld)\n", i,
			   PTR_ERR(masters));
		return;
	}
	show_master_list(m, i, "stall_masters", &masters[i].stall);
	show_master_list(m, i, "ats_masters", &masters[i].ats);
	show_master_list(m, i, "ats_capable", &masters[i].ats_capable);
}

static void show_smmu(struct seq_file *m, struct btm_smmu *smmu,
		      const struct btm_state *state,
		      const struct smmu_masters *masters)
{
	const struct smmu_features *f = &smmu->feat;
	const struct smmu_id_regs *r = &smmu->regs;
	unsigned int i = smmu->index;
	u32 cr0, cr2;

	seq_printf(m, "smmu%u.name: %s\n", i, dev_name(smmu->iommu->dev));
	seq_printf(m, "smmu%u.device: %s\n", i, dev_name(smmu->hwdev));
	seq_printf(m, "smmu%u.base: %pa\n", i, &smmu->base);
	seq_printf(m, "smmu%u.clients: %u\n", i, smmu->clients);
	show_masters(m, i, masters);
	seq_printf(m, "smmu%u.arch: SMMUv%u.%u\n", i, f->arch_major,
		   f->arch_minor);
	seq_printf(m, "smmu%u.iidr: implementer=0x%03x product=0x%03x variant=%u revision=%u\n",
		   i, f->implementer, f->product_id, f->variant, f->revision);
	seq_printf(m, "smmu%u.regs: idr0=0x%08x idr1=0x%08x idr3=0x%08x idr5=0x%08x iidr=0x%08x aidr=0x%08x cr0=0x%08x cr2=0x%08x\n",
		   i, r->idr0, r->idr1, r->idr3, r->idr5, r->iidr, r->aidr,
		   r->cr0, r->cr2);
	seq_printf(m, "smmu%u.btm: %s\n", i, str_yes_no(f->btm));
	seq_printf(m, "smmu%u.hyp: %s\n", i, str_yes_no(f->hyp));
	seq_printf(m, "smmu%u.asid_bits: %u\n", i, f->asid_bits);
	seq_printf(m, "smmu%u.stages: s1=%s s2=%s\n", i, str_yes_no(f->s1p),
		   str_yes_no(f->s2p));
	seq_printf(m, "smmu%u.ats: %s\n", i, str_yes_no(f->ats));
	seq_printf(m, "smmu%u.pri: %s\n", i, str_yes_no(f->pri));
	seq_printf(m, "smmu%u.stall_model: %s\n", i,
		   smmu_stall_model_name(f->stall_model));
	seq_printf(m, "smmu%u.ssid_bits: %u\n", i, f->ssid_bits);
	seq_printf(m, "smmu%u.range_inv: %s\n", i, str_yes_no(f->range_inv));
	seq_printf(m, "smmu%u.driver_features: 0x%08x\n", i, smmu->drv_features);
	seq_printf(m, "smmu%u.driver_btm: %s\n", i,
		   str_yes_no(smmu->kernel.driver_btm));
	seq_printf(m, "smmu%u.btm_usable: %s\n", i,
		   str_yes_no(btm_usable(&smmu->decision)));
	seq_printf(m, "smmu%u.reason: %s\n", i,
		   btm_reason_key(smmu->decision.reason));
	seq_printf(m, "smmu%u.reason_text: %s\n", i,
		   btm_reason_text(smmu->decision.reason));
	seq_printf(m, "smmu%u.sva_support: %s\n", i, sva_support_key(smmu->sva));
	seq_printf(m, "smmu%u.sva_support_text: %s\n", i,
		   sva_support_text(smmu->sva));
	seq_printf(m, "smmu%u.sva_cd: ips_max=%u ha=%u hd=%u haft=%u\n", i,
		   smmu->sva_cd.ips_max, smmu->sva_cd.ha, smmu->sva_cd.hd,
		   smmu->sva_cd.haft);
	if (smmu->decision.erratum)
		seq_printf(m, "smmu%u.erratum: %s %s\n", i,
			   smmu->decision.erratum->part,
			   smmu->decision.erratum->errata);
	btm_live_regs(smmu->drv, &cr0, &cr2);
	seq_printf(m, "smmu%u.cr0: 0x%08x (now)\n", i, cr0);
	seq_printf(m, "smmu%u.cr2: 0x%08x (now): PTM %u, E2H %u, RECINVSID %u\n",
		   i, cr2, !!(cr2 & CR2_PTM), !!(cr2 & CR2_E2H),
		   !!(cr2 & CR2_RECINVSID));
	show_activity(m, smmu, state->test_btm_active,
		      state->ptm == BTM_PTM_CLEAR_RESTORE);
	show_provider(m, smmu);
	show_check(m, smmu);
	show_sync_timing(m, smmu);
}

/*
 * The kprobes an ASID move arms on drivers without invalidation arrays:
 * registered (disarmed, no trap) while a provider is installed, armed
 * from a move until a second passes without one.
 */
static void show_move_hooks(struct seq_file *m)
{
	struct btm_move_stats st;

	btm_move_read_stats(&st);
	if (!st.needs_hooks)
		seq_puts(m, "move_hooks: none (this driver's invalidation arrays take a moving domain's two ASIDs)\n");
	else if (!st.hooks)
		seq_puts(m, "move_hooks: none registered (only while a provider is installed)\n");
	else
		seq_printf(m, "move_hooks: %u registered, %s (armed from a move until 1 s without one; %llu moves, %llu armings of %llu us on average, %llu invalidations widened, %llu refused busy)\n",
			   st.hooks, st.armed ? "armed" : "disarmed",
			   st.moves, st.armings,
			   st.armings ? div64_u64(st.arm_ns, st.armings * 1000) : 0,
			   st.covers, st.busy);
}

static int status_show(struct seq_file *m, void *unused)
{
	const struct btm_state *state = m->private;
	const struct btm_cpu_facts *cpu = &state->cpu;
	const struct btm_binding *b = &state->binding;
	struct smmu_masters *masters;
	unsigned int n = 0, asids;
	struct btm_smmu *smmu;
	u16 lowest, highest;

	list_for_each_entry(smmu, &state->smmus, node)
		n++;
	seq_printf(m, "version: %s\n", SMMU_BTM_VERSION);
	seq_printf(m, "kernel: %s\n", init_utsname()->release);
	seq_printf(m, "enable: %s\n", btm_mode_name(state->mode));
	seq_printf(m, "ptm: %s\n", ptm_keys[state->ptm]);
	seq_printf(m, "verify: %s\n", state->verify_required ? "required" : "off");
	if (state->test_btm_active)
		seq_puts(m, "test_btm_active: yes (tests only; the kernel is tainted)\n");
	seq_printf(m, "binding.driver: %s\n", btm_driver_gen_name(b->gen));
	seq_printf(m, "binding.symbols: %u/%u\n", b->resolved, b->required);
	seq_printf(m, "binding.btf: %s\n", b->btf);
	seq_puts(m, "binding.layout: checked\n");
	seq_printf(m, "cpu.el: %s\n", cpu->vhe ? "EL2 (VHE)" : "EL1");
	seq_printf(m, "cpu.asid_bits: %u\n", cpu->asid_bits);
	seq_printf(m, "cpu.kpti: %s\n", str_yes_no(cpu->kpti));
	seq_printf(m, "cpu.tlbi_range: %s\n", str_yes_no(cpu->tlbi_range));
	seq_printf(m, "kernel.iommu_sva: %s\n",
		   str_yes_no(IS_ENABLED(CONFIG_IOMMU_SVA)));
	seq_printf(m, "kernel.arm_smmu_v3_sva: %s\n",
		   str_yes_no(IS_ENABLED(CONFIG_ARM_SMMU_V3_SVA)));
	if (btm_driver_asids(&asids, &lowest, &highest))
		seq_puts(m, "driver.asids: not visible on this kernel\n");
	else
		seq_printf(m, "driver.asids: %u in use, lowest %u, highest %u\n",
			   asids, lowest, highest);
	seq_printf(m, "smmus: %u\n", n);
	show_move_hooks(m);
	masters = read_masters(state, n);
	list_for_each_entry(smmu, &state->smmus, node)
		show_smmu(m, smmu, state, masters);
	if (!IS_ERR(masters))
		kfree(masters);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

/**
 * smmu_btm_status_init() - create the status file
 * @state: what to report; must stay unchanged until smmu_btm_status_exit()
 *	   has returned
 *
 * Return: 0, or a negative errno when debugfs cannot hold the file.
 */
int smmu_btm_status_init(const struct btm_state *state)
{
	struct dentry *file;

	status_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(status_dir)) {
		int ret = PTR_ERR(status_dir);

		status_dir = NULL;
		return ret;
	}
	file = debugfs_create_file("status", 0400, status_dir, (void *)state,
				   &status_fops);
	if (IS_ERR(file)) {
		debugfs_remove(status_dir);
		status_dir = NULL;
		return PTR_ERR(file);
	}
	return 0;
}

/**
 * smmu_btm_status_exit() - remove the status file
 *
 * Returns once no reader is left inside status_show(), so the list it shows
 * may be freed afterwards.
 */
void smmu_btm_status_exit(void)
{
	debugfs_remove(status_dir);
}
