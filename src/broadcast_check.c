// SPDX-License-Identifier: GPL-2.0
/*
 * The broadcast check: prove on the board itself, per SMMU, that a CPU's
 * broadcast TLBI reaches the SMMU's TLB, before anything relies on it.
 * IDR0.BTM says the SMMU can take part; whether the interconnect delivers
 * the broadcasts (DVM routing, firmware) is a fact of the board.
 *
 * The writer's own process is the test: a page of its own, mapped for the
 * check, is bound to a device behind the SMMU (an SVA context on the CPU's
 * ASID, as smmu-btm gives every SVA domain). The observer is the SMMU's
 * ATOS interface, which may answer from the TLB (IHI 0070 9.1):
 *   1. look the page up: the SMMU walks and caches the first page;
 *   2. rewrite the page's entry to a second page with no invalidation, and
 *      look it up again: the negative control, which must still give the
 *      first page (else the observer cannot see a stale entry, and the
 *      check proves nothing);
 *   3. send the CPU's broadcast TLBI for the page, nothing through the
 *      command queue, and look it up: the second page is "delivered", the
 *      first "NOT delivered".
 * The entry is then put back, and the ASID invalidated through the command
 * queue, whatever the verdict.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/iopoll.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <linux/sched/mm.h>
#include <asm/mmu.h>
#include <asm/tlbflush.h>

#include "broadcast_verdict.h"
#include "btm_enable.h"
#include "cmdq.h"
#include "compat.h"
#include "smmu_btm.h"
#include "smmu_btm_observer.h"
#include "smmu_cmds.h"

/* ATOS lookups are global to the SMMU: one check at a time. */
static DEFINE_MUTEX(check_lock);

/* One page's entry, rewritten for the check and put back after. */
struct pte_swap {
	struct page *to;
	pte_t saved;
	bool done;
};

static int swap_pte(pte_t *ptep, unsigned long addr, void *data)
{
	struct pte_swap *sw = data;
	pte_t old = READ_ONCE(*ptep);

	if (!pte_present(old))
		return -EFAULT;
	sw->saved = old;
	/*
	 * A plain store, and no TLBI: the point is an entry that nothing
	 * invalidated. The barrier makes it visible to the SMMU's walker.
	 */
	WRITE_ONCE(*ptep, pfn_pte(page_to_pfn(sw->to), pte_pgprot(old)));
	dsb(ishst);
	sw->done = true;
	return 0;
}

static int restore_pte(pte_t *ptep, unsigned long addr, void *data)
{
	struct pte_swap *sw = data;

	WRITE_ONCE(*ptep, sw->saved);
	dsb(ishst);
	return 0;
}

/*
 * The CPU's broadcast TLBI of one kind for the test page of @mm, and
 * nothing else: no mmu_notifier, so no command reaches the SMMU. Under
 * KPTI user space runs on the odd ASID of the pair, which the SVA context
 * carries. The range form covers the next page too.
 */
static void broadcast_tlbi(enum bcheck_kind kind, struct mm_struct *mm,
			   unsigned long va)
{
	bool user = arm64_kernel_unmapped_at_el0();
	u16 asid = ASID(mm);
	u64 arg;

	dsb(ishst);
	switch (kind) {
	case BCHECK_BY_VA:
		arg = tlbi_va_arg(va, asid);
		__tlbi(vale1is, arg);
		if (user)
			__tlbi(vale1is, arg | USER_ASID_FLAG);
		break;
	case BCHECK_BY_ASID:
		arg = tlbi_asid_arg(asid);
		__tlbi(aside1is, arg);
		if (user)
			__tlbi(aside1is, arg | USER_ASID_FLAG);
		break;
	default:
		arg = tlbi_range2_arg(va, asid, PAGE_SHIFT);
		__tlbi(rvale1is, arg);
		if (user)
			__tlbi(rvale1is, arg | USER_ASID_FLAG);
		break;
	}
	dsb(ish);
}

/*
 * What looks the test page up: the SMMU's ATOS interface, or a device
 * reading the page through its SVA binding. lookup() reports the page the
 * observer saw the address translated to.
 */
struct observer {
	const char *name;
	struct bcheck_lookup (*lookup)(struct observer *o, unsigned long va);
	/* ATOS */
	void __iomem *regs;
	u32 sid;
	u32 ssid;
	unsigned int fault;
	/* a device */
	smmu_btm_read_fn read;
	void *ctx;
	u64 old_pa;
	u64 new_pa;
};

/* One GATOS lookup of a stage 1 read of @va by the stream and substream. */
static struct bcheck_lookup atos_lookup(struct observer *o, unsigned long va)
{
	void __iomem *regs = o->regs;
	struct bcheck_lookup l = {};
	u32 ctrl;

	o->fault = 0xfd;
	if (readl_relaxed(regs + SMMU_GATOS_CTRL) & GATOS_CTRL_RUN)
		return l;
	writeq_relaxed(gatos_sid_value(o->sid, true, o->ssid),
		       regs + SMMU_GATOS_SID);
	writeq_relaxed(gatos_addr_value(va), regs + SMMU_GATOS_ADDR);
	writel(GATOS_CTRL_RUN, regs + SMMU_GATOS_CTRL);
	if (readl_relaxed_poll_timeout(regs + SMMU_GATOS_CTRL, ctrl,
				       !(ctrl & GATOS_CTRL_RUN), 1, 100000))
		return l;
	l.ok = gatos_par_decode(readq(regs + SMMU_GATOS_PAR), &l.pa, &o->fault);
	return l;
}

/* The bytes each page starts with: which one the device read tells. */
#define PATTERN_OLD	0x5a
#define PATTERN_NEW	0xa5
#define PATTERN_LEN	64

/* The device reads the page's first bytes through its PASID. */
static struct bcheck_lookup device_lookup(struct observer *o,
					  unsigned long va)
{
	struct bcheck_lookup l = {};
	u8 buf[PATTERN_LEN];

	if (o->read(o->ctx, va, buf, sizeof(buf)))
		return l;
	l.ok = true;
	if (!memchr_inv(buf, PATTERN_OLD, sizeof(buf)))
		l.pa = o->old_pa;
	else if (!memchr_inv(buf, PATTERN_NEW, sizeof(buf)))
		l.pa = o->new_pa;
	return l;
}

/* Invalidate @mm's ASIDs (both of a KPTI pair) on @smmu's TLB. */
static int smmu_forget_asid(struct btm_smmu *smmu, struct mm_struct *mm)
{
	struct smmu_cmd cmds[2];
	u32 cr0, cr2;
	bool el2;

	btm_live_regs(smmu->drv, &cr0, &cr2);
	el2 = cr2 & CR2_E2H;
	smmu_cmd_tlbi_asid(&cmds[0], ASID(mm), el2);
	smmu_cmd_tlbi_asid(&cmds[1], ASID(mm) | 1, el2);
	return btm_cmdq_submit(smmu->drv, cmds, ARRAY_SIZE(cmds), true);
}

/*
 * Forget the test page on @smmu after one kind's lookups, whatever the
 * board loses: the CPU's broadcast by ASID and the same through the
 * command queue (a board may lose either).
 */
static void forget_page(struct btm_smmu *smmu, struct mm_struct *mm,
			unsigned long va)
{
	broadcast_tlbi(BCHECK_BY_ASID, mm, va);
	if (smmu_forget_asid(smmu, mm))
		pr_warn("%s: the ASID's invalidation after the check failed\n",
			dev_name(smmu->hwdev));
}

static void fill_page(struct page *page, int byte)
{
	void *p = kmap_local_page(page);

	memset(p, byte, PATTERN_LEN);
	kunmap_local(p);
}

/*
 * For each kind of broadcast, the three lookups, with the mm's lock held
 * for writing so that nothing else changes or faults the test page
 * meanwhile, and the page put back after each. The pages need no fault:
 * a device's read does not wait for the mm's lock.
 */
static int observe(struct btm_smmu *smmu, struct mm_struct *mm,
		   unsigned long va, struct observer *o, bool skip_control,
		   struct bcheck_result *res)
{
	unsigned int k, nkinds = BCHECK_KINDS;
	struct pte_swap sw = {};
	struct bcheck_obs *obs;
	int ret = 0;

	sw.to = alloc_page(GFP_KERNEL);
	if (!sw.to)
		return -ENOMEM;
	fill_page(sw.to, PATTERN_NEW);
	o->new_pa = page_to_phys(sw.to);
	if (!system_supports_tlb_range())
		nkinds = BCHECK_BY_RANGE;

	mmap_write_lock(mm);
	for (k = 0; k < nkinds && !ret; k++) {
		obs = &res->obs[k];
		obs->old_pa = o->old_pa;
		obs->new_pa = o->new_pa;
		obs->before = o->lookup(o, va);
		sw.done = false;
		ret = apply_to_page_range(mm, va, PAGE_SIZE, swap_pte, &sw);
		if (!ret) {
			obs->stale = skip_control ? obs->before :
						    o->lookup(o, va);
			broadcast_tlbi(k, mm, va);
			obs->after = o->lookup(o, va);
			res->kind[k] = bcheck_decide(obs, &res->kind_why[k]);
			res->nkinds = k + 1;
		}
		if (sw.done)
			WARN_ON(apply_to_page_range(mm, va, PAGE_SIZE,
						    restore_pte, &sw));
		forget_page(smmu, mm, va);
	}
	mmap_write_unlock(mm);
	__free_page(sw.to);
	return ret;
}

/*
 * Run the check on @smmu with the current process's mm through a page of
 * its own bound to @dev (@pasid: the binding the device's driver made;
 * 0: bind here), and record the verdict in @res.
 */
static void check_through(struct btm_smmu *smmu, struct device *dev,
			  u32 pasid, struct observer *o, bool skip_control,
			  struct bcheck_result *res)
{
	struct mm_struct *mm = current->mm;
	struct iommu_sva *sva = NULL;
	struct page *page;
	unsigned long va;
	unsigned int k;
	int ret;

	memset(res, 0, sizeof(*res));
	res->verdict = BCHECK_UNPROVEN;
	res->observer = o->name;
	res->why = "";
	snprintf(res->device, sizeof(res->device), "%s", dev_name(dev));

	va = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, 0);
	if (IS_ERR_VALUE(va)) {
		res->err = (int)va;
		res->why = "no test page could be mapped";
		return;
	}
	ret = get_user_pages_fast(va, 1, FOLL_WRITE, &page);
	if (ret != 1) {
		res->err = ret < 0 ? ret : -EFAULT;
		res->why = "the test page could not be held";
		goto unmap;
	}
	fill_page(page, PATTERN_OLD);
	o->old_pa = page_to_phys(page);

	if (!pasid) {
		sva = btm_sva_bind(dev, mm);
		if (IS_ERR_OR_NULL(sva)) {
			res->err = sva ? PTR_ERR(sva) : -ENODEV;
			res->why = "the device could not bind the process (SVA)";
			goto put;
		}
		pasid = iommu_sva_get_pasid(sva);
	}
	o->ssid = pasid;

	/*
	 * The page's entry goes with a broadcast only where the binding is on
	 * the mm's CPU ASID: on a private one it would look lost.
	 */
	if (!btm_provider_mm_shared(&smmu->provider, mm)) {
		res->why = "not bound on the CPU's ASID: broadcasts cannot be seen through it";
		goto unbind;
	}
	ret = observe(smmu, mm, va, o, skip_control, res);
	res->fault = o->fault;
	if (ret) {
		res->err = ret;
		res->why = "the test page's entry could not be rewritten";
	} else {
		res->verdict = bcheck_combine(res->kind, res->nkinds, &k);
		res->why = res->kind_why[k];
	}
unbind:
	if (sva)
		iommu_sva_unbind_device(sva);
put:
	put_page(page);
unmap:
	vm_munmap(va, PAGE_SIZE);
}

/**
 * btm_broadcasts_relied_on() - whether the shim skips TLBIs on an SMMU
 * @smmu: the SMMU
 *
 * Return: true when SVA domains on the CPU's ASIDs get no TLBI commands
 * there: BTM active with PTM 0, not waiting for a check (verify=required),
 * and no check found the broadcasts lost.
 */
bool btm_broadcasts_relied_on(const struct btm_smmu *smmu)
{
	return smmu->activity == BTM_ACT_ACTIVE && smmu->ptm_zero &&
	       !smmu->verifying && !smmu->broadcasts_lost;
}

/*
 * What a verdict changes: whether the shim relies on the broadcasts. Lost
 * by any observer is lost; one observer's proof is enough to rely on them.
 */
static void apply_verdict(struct btm_smmu *smmu, enum bcheck_verdict verdict)
{
	u32 cr0, cr2;

	switch (verdict) {
	case BCHECK_DELIVERED:
		if (!smmu->verifying || smmu->broadcasts_lost)
			return;
		smmu->verifying = false;
		btm_provider_rely(&smmu->provider, true);
		pr_info("%s: broadcasts proven: SVA domains on the CPU's ASIDs get no TLBI from now on\n",
			dev_name(smmu->hwdev));
		return;
	case BCHECK_NOT_DELIVERED:
		smmu->verifying = false;
		smmu->broadcasts_lost = true;
		btm_provider_rely(&smmu->provider, false);
		/* What the shim skipped until now may be stale: all of it. */
		btm_live_regs(smmu->drv, &cr0, &cr2);
		if (btm_invalidate_all(smmu->drv, cr2 & CR2_E2H))
			pr_warn("%s: invalidating the whole TLB failed\n",
				dev_name(smmu->hwdev));
		pr_err("%s: CPU broadcasts do not reach this SMMU: its TLBI commands are sent again; load with not_delivered=%pa (smmu-btm-check -s) to leave it alone\n",
		       dev_name(smmu->hwdev), &smmu->base);
		return;
	default:
		return;
	}
}

/* The SMMU smmu-btm uses BTM on that translates for @dev, or an errno. */
static struct btm_smmu *checkable_smmu(struct btm_state *state,
				       struct device *dev)
{
	struct iommu_device *iommu = dev->iommu ? dev->iommu->iommu_dev : NULL;
	struct btm_smmu *smmu;

	if (!dev_iommu_fwspec_get(dev))
		return ERR_PTR(-ENXIO);
	list_for_each_entry(smmu, &state->smmus, node) {
		if (!iommu || smmu->iommu != iommu)
			continue;
		if (smmu->activity != BTM_ACT_ACTIVE || !smmu->ptm_zero)
			return ERR_PTR(-EOPNOTSUPP);
		return smmu;
	}
	return ERR_PTR(-ENXIO);
}

static void log_result(struct btm_smmu *smmu, const struct bcheck_result *r)
{
	pr_info("%s: broadcast check through %s by %s: %s: %s\n",
		dev_name(smmu->hwdev), r->device, r->observer,
		bcheck_verdict_name(r->verdict), r->why);
}

/**
 * btm_broadcast_check() - run the broadcast check by ATOS on a device's SMMU
 * @state: the module's state
 * @name: the device, by name (a PCI function such as 0000:00:03.0)
 * @skip_control: a mutation, for tests only: take the first lookup for the
 *	negative control instead of looking again
 *
 * The device must be able to do SVA (its driver enabled it), its SMMU must
 * use BTM (PTM 0, smmu-btm's SVA domains on the CPU's ASID), and the
 * calling process must have an mm. The verdict goes to the SMMU's record
 * and to the kernel log. Delivered ends verify=required's wait on the
 * SMMU; NOT delivered makes the shim send the TLBI commands again there,
 * for as long as the module stays loaded.
 *
 * Context: process; sleeps.
 * Return: 0 when the check ran (whatever it found), else a negative errno:
 * -ENODEV no such device, -ENXIO not behind an SMMU smmu-btm knows,
 * -EOPNOTSUPP BTM not in use there.
 */
int btm_broadcast_check(struct btm_state *state, const char *name,
			bool skip_control)
{
	struct observer o = { .name = "ATOS", .lookup = atos_lookup };
	struct bcheck_result *res;
	struct btm_smmu *smmu;
	struct device *dev;
	int ret = 0;

	if (!current->mm)
		return -EINVAL;
	dev = bus_find_device_by_name(&pci_bus_type, NULL, name);
	if (!dev)
		return -ENODEV;
	smmu = checkable_smmu(state, dev);
	if (IS_ERR(smmu)) {
		ret = PTR_ERR(smmu);
		goto out;
	}

	mutex_lock(&check_lock);
	res = &smmu->check;
	if (!(smmu->regs.idr0 & IDR0_ATOS)) {
		memset(res, 0, sizeof(*res));
		res->verdict = BCHECK_UNPROVEN;
		res->observer = "none";
		res->why = "no observer: the SMMU has no ATOS (IDR0.ATOS 0); "
			   "a device doing SVA DMA would prove it";
		snprintf(res->device, sizeof(res->device), "%s", dev_name(dev));
	} else {
		o.regs = btm_regs(smmu->drv);
		o.sid = dev_iommu_fwspec_get(dev)->ids[0];
		check_through(smmu, dev, 0, &o, skip_control, res);
	}
	apply_verdict(smmu, res->verdict);
	log_result(smmu, res);
	mutex_unlock(&check_lock);
out:
	put_device(dev);
	return ret;
}

/**
 * btm_check_verdict() - an SMMU's verdict over both observers
 * @smmu: the SMMU
 *
 * Return: NOT delivered when either observer found it, else delivered when
 * either proved it, else unproven, or not run when neither ran.
 */
enum bcheck_verdict btm_check_verdict(const struct btm_smmu *smmu)
{
	return bcheck_observers(smmu->check.verdict, smmu->check_dev.verdict);
}

static struct btm_state *check_state;

/**
 * btm_check_setup() - let devices' drivers run the check (or stop them)
 * @state: the module's state, or NULL at unload
 */
void btm_check_setup(struct btm_state *state)
{
	mutex_lock(&check_lock);
	check_state = state;
	mutex_unlock(&check_lock);
}

/**
 * smmu_btm_check_device() - the broadcast check, observed by a device
 * @dev: the device, which its driver bound to the calling process for SVA
 * @pasid: that binding's PASID
 * @read: makes the device read through @pasid (its own DMA, no fault
 *	expected: the pages are present)
 * @ctx: passed to @read
 *
 * The check of btm_broadcast_check(), with the device's reads as the
 * observer: the test page starts with one pattern and the page its entry
 * is rewritten to with another, so what the device reads says which page
 * the SMMU translated to. For SMMUs without ATOS, through a device that
 * does SVA DMA anyway (the accelerators a board has). A device with ATS
 * enabled is refused: it reads through its own ATC, which no broadcast
 * reaches (the shim invalidates it with commands).
 *
 * Context: process, the process @dev is bound to; sleeps. The caller
 * holds a reference on this module (symbol_get()).
 * Return: 0 when the check ran (the verdict is in the status file and the
 * log), else a negative errno as btm_broadcast_check(), or -EBUSY while
 * the module is loading or unloading.
 */
int smmu_btm_check_device(struct device *dev, u32 pasid,
			  smmu_btm_read_fn read, void *ctx)
{
	struct observer o = {
		.name = "device", .lookup = device_lookup,
		.read = read, .ctx = ctx,
	};
	struct btm_smmu *smmu;
	int ret = 0;

	if (!current->mm || !pasid)
		return -EINVAL;
	if (dev_is_pci(dev) && to_pci_dev(dev)->ats_enabled)
		return -EOPNOTSUPP;
	mutex_lock(&check_lock);
	if (!check_state) {
		ret = -EBUSY;
		goto out;
	}
	smmu = checkable_smmu(check_state, dev);
	if (IS_ERR(smmu)) {
		ret = PTR_ERR(smmu);
		goto out;
	}
	check_through(smmu, dev, pasid, &o, false, &smmu->check_dev);
	apply_verdict(smmu, smmu->check_dev.verdict);
	log_result(smmu, &smmu->check_dev);
out:
	mutex_unlock(&check_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(smmu_btm_check_device);
