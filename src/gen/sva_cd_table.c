// SPDX-License-Identifier: GPL-2.0
/*
 * 6.2 to 6.8: where the provider's SVA CDs live.
 *
 * 6.2 to 6.6 keep one CD table per stage-1 DMA domain, shared by the
 * domain's masters; 6.7 and 6.8 one per master. Either way the driver puts
 * a device's SVA CDs in the table at their PASIDs:
 * arm_smmu_write_ctx_desc() (given the domain to 6.6, the master from 6.7)
 * writes a CD from a struct arm_smmu_ctx_desc (whole into a free slot;
 * NULL clears it; the driver's quiet_cd keeps it valid with walks
 * disabled) and sends CMD_CFGI_CD for every master using the table, then a
 * sync. The provider does the same with a context descriptor of its own,
 * built on the stack from the CD smmu-btm encodes, that the driver never
 * keeps: its ASID xarray holds only a reserved entry for the ASID.
 *
 * To 6.6 the masters of a group share the DMA domain, so a group's PASID
 * is one CD, counted by its users; from 6.7 each master of the group has
 * its own CD (the core attaches each device). A slot another SVA domain
 * holds is refused.
 *
 * The driver changes a master's DMA domain, and frees the old one with
 * its table, only once SVA is disabled on the master, and it refuses to
 * disable SVA while the master's list of bonds is not empty. smmu-btm's
 * attachments are not the driver's bonds, so each attached master gets a
 * placeholder on that list for as long as the CD is in its table, under
 * the driver's SVA mutex: a bond whose mm is the attachment itself, which
 * the driver's lookups (by a process's mm) never match.
 * Every CD write takes cdt_lock: the driver serialises its own with its
 * SVA mutex (the writer may allocate a leaf table). An SVA domain's list of
 * attachments is written under its attach_lock and cdt_lock, and read by
 * the notifier under RCU.
 *
 * The shim reaches such an SVA domain's ATS masters the same way: every
 * master of each DMA domain whose table holds one of its CDs, at that
 * CD's SSID (btm_cdt_plan_atcs()).
 *
 * Its fallible steps are kept out of line and marked ALLOW_ERROR_INJECTION,
 * so that a debug kernel's fail_function can fail each in turn (the guest
 * test fault-inject-bind and fault-inject-move); elsewhere the mark is
 * empty.
 *
 * Design: doc/sva-provider.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/error-injection.h>
#include <linux/iommu.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "driver_calls.h"
#include "driver_domain.h"
#include "generated/layout.h"
#include "smmu_cd.h"
#include "driver_gen.h"
#include "sva_cd_table.h"
#include "sva_notifier.h"
#include "sva_objects.h"

struct arm_smmu_domain;

/* The sizes this generation has (-1 in the layout elsewhere): 0 there. */
#define CTX_DESC_BYTES	(BTM_SIZEOF_arm_smmu_ctx_desc > 0 ? \
			 BTM_SIZEOF_arm_smmu_ctx_desc : 0)
#define CTX_DESC_MAX	64
static_assert(CTX_DESC_BYTES <= CTX_DESC_MAX);
#define BOND_BYTES	(BTM_SIZEOF_arm_smmu_bond > 0 ? \
			 BTM_SIZEOF_arm_smmu_bond : 0)

/**
 * struct btm_bond_hold - a placeholder on one master's list of bonds
 * @node: entry in the attachment's list
 * @master: the driver's master
 * @bond: the placeholder, laid out as the driver's struct arm_smmu_bond
 */
struct btm_bond_hold {
	struct list_head node;
	void *master;
	void *bond;
};

static DEFINE_MUTEX(cdt_lock);
static LIST_HEAD(all_attached);

/**
 * btm_cdt_shim_init() - check that the binding has the driver's CD writer,
 * its quiet CD and its SVA mutex
 *
 * Return: 0, or -ENOENT when it lacks one.
 */
int btm_cdt_shim_init(void)
{
	return btm_drv.write_ctx_desc && btm_drv.quiet_cd && btm_drv.sva_lock ?
	       0 : -ENOENT;
}

/*
 * The master after @master (the first for NULL) on the list of the DMA
 * domain @dma, whose devices_lock is held; NULL after the last.
 */
static void *next_master(void *dma, void *master)
{
	struct list_head *head = BTM_AT(dma, BTM_OFF_arm_smmu_domain__devices);
	struct list_head *pos;

	pos = master ? BTM_AT(master, BTM_OFF_arm_smmu_master__domain_head) :
		       head;
	if (pos->next == head)
		return NULL;
	return (char *)pos->next - BTM_OFF_arm_smmu_master__domain_head;
}

/**
 * btm_cdt_ats_possible() - whether a master with ATS enabled may be
 * attached with an SVA domain: through one of the DMA domains whose CD
 * tables hold its CD
 * @sva: the SVA domain
 *
 * Context: after a full barrier (see btm_shim_domain_ats()).
 * Return: whether the ATCs must be invalidated.
 */
bool btm_cdt_ats_possible(struct btm_sva *sva)
{
	struct btm_sva_attach *at;
	bool ats = false;

	rcu_read_lock();
	list_for_each_entry_rcu(at, &sva->attached, node)
		ats |= btm_shim_domain_ats(at->dma);
	rcu_read_unlock();
	return ats;
}

/**
 * btm_cdt_plan_atcs() - the ATC invalidations of an SVA domain: for every
 * master of each DMA domain whose CD table holds its CD, at that CD's SSID
 * @b: the batch
 * @sva: the SVA domain
 * @start: the range's start
 * @size: its size (0: everything)
 *
 * Context: after a full barrier (see btm_shim_domain_ats()).
 */
void btm_cdt_plan_atcs(struct inv_batch *b, struct btm_sva *sva, u64 start,
		       u64 size)
{
	struct btm_sva_attach *at;
	unsigned long flags;
	spinlock_t *lock;	/* the DMA domain's devices_lock */
	void *master;

	rcu_read_lock();
	list_for_each_entry_rcu(at, &sva->attached, node) {
		if (!btm_shim_domain_ats(at->dma))
			continue;
		lock = BTM_AT(at->dma, BTM_OFF_arm_smmu_domain__devices_lock);
		spin_lock_irqsave(lock, flags);
		for (master = NULL; (master = next_master(at->dma, master));)
			btm_shim_plan_master_atcs(b, master, at->pasid, start,
						  size);
		spin_unlock_irqrestore(lock, flags);
	}
	rcu_read_unlock();
}

/*
 * The stage-1 DMA domain the device @dev is attached to, or NULL; with
 * @sva_enabled, NULL also where the device's driver has not enabled SVA,
 * which keeps the driver from changing that domain while it is bound.
 */
static void *dma_domain_of(struct device *dev, bool sva_enabled)
{
	void *master = dev_iommu_priv_get(dev);
	void *dma;

	if (!master || (sva_enabled &&
			!READ_ONCE(*(bool *)BTM_AT(master,
				BTM_OFF_arm_smmu_master__sva_enabled))))
		return NULL;
	dma = *(void **)BTM_AT(master, BTM_OFF_arm_smmu_master__domain);
	if (!dma || !domain_smmu(dma) ||
	    *(u32 *)BTM_AT(dma, BTM_OFF_arm_smmu_domain__stage) !=
	    BTM_ENUM_ARM_SMMU_DOMAIN_S1)
		return NULL;
	return dma;
}

/* The owner of the CD table an SVA CD of @master goes into. */
static void *table_of(void *master, void *dma)
{
	return btm_gen->cdt_in_master ? master : dma;
}

/* The attachment at @pasid in @table. */
static struct btm_sva_attach *find(void *table, u32 pasid)
{
	struct btm_sva_attach *at;

	lockdep_assert_held(&cdt_lock);
	list_for_each_entry(at, &all_attached, all)
		if (at->table == table && at->pasid == pasid)
			return at;
	return NULL;
}

/* @sva's attachment at @pasid, in @table (NULL: in whichever table). */
static struct btm_sva_attach *find_own(struct btm_sva *sva, void *table,
				       u32 pasid)
{
	struct btm_sva_attach *at;

	lockdep_assert_held(&cdt_lock);
	list_for_each_entry(at, &sva->attached, node)
		if ((!table || at->table == table) && at->pasid == pasid)
			return at;
	return NULL;
}

/* Hold SVA enabled on @master for @at: a placeholder on its bonds. */
static int bond_hold(struct btm_sva_attach *at, void *master)
{
	struct btm_bond_hold *hold;

	hold = kzalloc(sizeof(*hold), GFP_KERNEL);
	if (hold)
		hold->bond = kzalloc(BOND_BYTES, GFP_KERNEL);
	if (!hold || !hold->bond) {
		kfree(hold);
		return -ENOMEM;
	}
	hold->master = master;
	*(void **)BTM_AT(hold->bond, BTM_OFF_arm_smmu_bond__mm) = at;
	mutex_lock(btm_drv.sva_lock);
	list_add(BTM_AT(hold->bond, BTM_OFF_arm_smmu_bond__list),
		 BTM_AT(master, BTM_OFF_arm_smmu_master__bonds));
	mutex_unlock(btm_drv.sva_lock);
	list_add(&hold->node, &at->bonds);
	return 0;
}

/* Take @master's placeholder for @at off its bonds; all of them for NULL. */
static void bond_release(struct btm_sva_attach *at, void *master)
{
	struct btm_bond_hold *hold, *tmp;

	list_for_each_entry_safe(hold, tmp, &at->bonds, node) {
		if (master && hold->master != master)
			continue;
		mutex_lock(btm_drv.sva_lock);
		list_del(BTM_AT(hold->bond, BTM_OFF_arm_smmu_bond__list));
		mutex_unlock(btm_drv.sva_lock);
		list_del(&hold->node);
		kfree(hold->bond);
		kfree(hold);
		if (master)
			return;
	}
}

/*
 * Take @at off every list and free it. The notifier reads @at->dma under
 * RCU alone, and that DMA domain is freed (plainly) once SVA may be
 * disabled: so the placeholders go only after a grace period, when no
 * reader can still hold @at.
 */
static void unlink_free(struct btm_sva_attach *at)
{
	lockdep_assert_held(&cdt_lock);
	list_del(&at->all);
	list_del_rcu(&at->node);
	synchronize_rcu();
	bond_release(at, NULL);
	kfree(at);
}

/**
 * btm_cdt_attach() - put an SVA domain's CD at a device's PASID
 * @sva: the provider's SVA domain, its ASID set
 * @dev: the device; its DMA domain's CD table (to 6.6) or its own (from
 *	 6.7) takes the CD
 * @pasid: checked against the device's PASIDs by the caller
 * @cd: the CD's four words, as smmu_encode_sva_cd() made them
 *
 * Context: process; @sva's attach_lock held; the mm is held by a user.
 * Return: 0; -ENODEV when the device has no stage-1 DMA domain (an
 * identity or stage-2 domain has no CD table) or its driver did not
 * enable SVA; -EBUSY when another SVA domain holds that slot; or the
 * writer's error.
 */
int btm_cdt_attach(struct btm_sva *sva, struct device *dev, u32 pasid,
		   const u64 cd[4])
{
	u64 ctx[CTX_DESC_MAX / 8] = {};
	struct btm_sva_attach *at;
	void *dma, *table;
	int ret = 0;

	lockdep_assert_held(&sva->attach_lock);
	dma = dma_domain_of(dev, true);
	if (!dma)
		return -ENODEV;
	table = table_of(dev_iommu_priv_get(dev), dma);
	mutex_lock(&cdt_lock);
	at = find(table, pasid);
	if (at) {
		if (at->sva != sva)
			ret = -EBUSY;
		else
			ret = bond_hold(at, dev_iommu_priv_get(dev));
		if (!ret)
			at->users++;
		goto out;
	}
	at = kzalloc(sizeof(*at), GFP_KERNEL);
	if (!at) {
		ret = -ENOMEM;
		goto out;
	}
	INIT_LIST_HEAD(&at->bonds);
	ret = bond_hold(at, dev_iommu_priv_get(dev));
	if (ret) {
		kfree(at);
		goto out;
	}
	at->sva = sva;
	at->dma = dma;
	at->table = table;
	at->pasid = pasid;
	at->users = 1;
	/* Listed first: an invalidation from now on covers its ATCs. */
	list_add(&at->all, &all_attached);
	list_add_rcu(&at->node, &sva->attached);
	/* The driver writes ASET 0 exactly for a descriptor with an mm. */
	*(u16 *)BTM_AT(ctx, BTM_OFF_arm_smmu_ctx_desc__asid) =
		FIELD_GET(SMMU_CD0_ASID, cd[0]);
	*(u64 *)BTM_AT(ctx, BTM_OFF_arm_smmu_ctx_desc__tcr) =
		smmu_cd0_ctx_tcr(cd[0]);
	*(u64 *)BTM_AT(ctx, BTM_OFF_arm_smmu_ctx_desc__ttbr) = cd[1];
	*(u64 *)BTM_AT(ctx, BTM_OFF_arm_smmu_ctx_desc__mair) = cd[3];
	*(struct mm_struct **)BTM_AT(ctx, BTM_OFF_arm_smmu_ctx_desc__mm) =
		cd[0] & SMMU_CD0_ASET ? NULL : sva->mm;
	ret = btm_drv.write_ctx_desc(table, pasid, ctx);
	if (ret)
		unlink_free(at);
out:
	mutex_unlock(&cdt_lock);
	return ret;
}

ALLOW_ERROR_INJECTION(btm_cdt_attach, ERRNO);

/**
 * btm_cdt_detach() - take an SVA domain's CD off a device's PASID
 * @sva: the provider's SVA domain
 * @dev: the device
 * @pasid: the PASID
 *
 * Nothing when @sva is not attached there (the core also calls this for a
 * device whose attach failed). The last user clears the CD, then the ASID
 * and the ATCs are invalidated, the attachment still listed so that the
 * ATC invalidation covers it.
 *
 * Context: process; @sva's attach_lock held.
 */
void btm_cdt_detach(struct btm_sva *sva, struct device *dev, u32 pasid)
{
	struct btm_sva_attach *at;

	lockdep_assert_held(&sva->attach_lock);
	mutex_lock(&cdt_lock);
	/*
	 * To 6.6 by PASID alone: an SVA domain of these kernels serves one
	 * device's group, all of whose masters share a DMA domain; from 6.7
	 * by the device's own table too.
	 */
	at = find_own(sva, btm_gen->cdt_in_master ? dev_iommu_priv_get(dev) : NULL,
		      pasid);
	if (!at) {
		mutex_unlock(&cdt_lock);
		return;
	}
	if (--at->users) {
		bond_release(at, dev_iommu_priv_get(dev));
		mutex_unlock(&cdt_lock);
		return;
	}
	/*
	 * The domain cannot have changed while SVA was enabled; if the
	 * device's driver broke that contract, the old table may be gone:
	 * never write to it.
	 */
	if (!WARN_ON_ONCE(dma_domain_of(dev, false) != at->dma))
		btm_drv.write_ctx_desc(at->table, pasid, NULL);
	btm_shim_flush(sva);
	/* SVA may be disabled then: the CD is gone, and no flush reaches it. */
	unlink_free(at);
	mutex_unlock(&cdt_lock);
}

/**
 * btm_cdt_quiesce() - make every CD of an SVA domain fault
 * @sva: the provider's SVA domain, whose mm is exiting
 *
 * Each CD stays valid (no bad-CD events for late DMA) with TTB0 walks
 * disabled: the driver's own quiet CD.
 *
 * Context: process (the notifier's release).
 */
void btm_cdt_quiesce(struct btm_sva *sva)
{
	struct btm_sva_attach *at;

	mutex_lock(&sva->attach_lock);
	mutex_lock(&cdt_lock);
	list_for_each_entry(at, &sva->attached, node)
		btm_drv.write_ctx_desc(at->table, at->pasid, btm_drv.quiet_cd);
	mutex_unlock(&cdt_lock);
	mutex_unlock(&sva->attach_lock);
}
