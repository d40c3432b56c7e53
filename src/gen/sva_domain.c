// SPDX-License-Identifier: GPL-2.0
/*
 * 6.10+: the provider's SVA domains are the driver's own kind. Each is
 * attached to a master at an SSID, recorded on the domain's own list of
 * attachments (struct arm_smmu_master_domain), and its CD is written with
 * the driver's arm_smmu_write_cd_entry(). The shim reaches its ATS masters
 * through that list, and quiesces its CDs in place when the mm goes away.
 *
 * Design: doc/invalidation-shim.md.
 */
#include <linux/bitfield.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "driver_calls.h"
#include "driver_domain.h"
#include "generated/layout.h"
#include "smmu_cd.h"
#include "sva_domain.h"
#include "sva_notifier.h"
#include "sva_objects.h"

/* The CD's size here (-1 in the layout before 6.10): 0 there. */
#define CD_BYTES	(BTM_SIZEOF_arm_smmu_cd > 0 ? BTM_SIZEOF_arm_smmu_cd : 0)
#define CD_MAX_BYTES	64
static_assert(CD_BYTES <= CD_MAX_BYTES);

/**
 * btm_sd_shim_init() - check that the binding has the driver's CD lookup
 * and CD writer
 *
 * Return: 0, or -ENOENT when it lacks one.
 */
int btm_sd_shim_init(void)
{
	return btm_drv.get_cd_ptr && btm_drv.write_cd_entry ? 0 : -ENOENT;
}

/**
 * btm_sd_attach_cd() - attach an SVA domain's CD to a master's PASID with
 * the driver's arm_smmu_set_pasid(), which writes it and invalidates
 * @master: the driver's master
 * @smmu_domain: the driver's SVA domain
 * @pasid: the PASID
 * @cd: the CD's words, as the SMMU reads them
 * @old: the domain attached there before, which 6.10 to 6.12 are not told
 *
 * Return: 0, or the driver's error.
 */
int btm_sd_attach_cd(void *master, void *smmu_domain, u32 pasid, __le64 *cd,
		     struct iommu_domain *old)
{
	return btm_drv.set_pasid.cd(master, smmu_domain, pasid,
				    (struct arm_smmu_cd *)cd);
}

/**
 * btm_sd_attach_cd_old() - btm_sd_attach_cd() where the driver replaces a
 * domain in place and so is told the one attached at the PASID (6.13+)
 * @master: the driver's master
 * @smmu_domain: the driver's SVA domain
 * @pasid: the PASID
 * @cd: the CD's words, as the SMMU reads them
 * @old: the domain attached there before, as the iommu core gave it
 *
 * Return: 0, or the driver's error.
 */
int btm_sd_attach_cd_old(void *master, void *smmu_domain, u32 pasid,
			 __le64 *cd, struct iommu_domain *old)
{
	return btm_drv.set_pasid.cd_old(master, smmu_domain, pasid,
					(struct arm_smmu_cd *)cd, old);
}

/**
 * btm_sd_domain_free() - free a domain arm_smmu_domain_alloc() allocated
 * @smmu_domain: the driver's domain, never finalised by the driver
 */
void btm_sd_domain_free(void *smmu_domain)
{
	kfree(smmu_domain);
}

/*
 * The attachment of domain @sd after @md (the first for NULL), as its
 * driver's master and SSID; NULL after the last. devices_lock is held.
 */
static void *next_attachment(void *sd, void *md, void **master, u32 *ssid)
{
	struct list_head *head = BTM_AT(sd, BTM_OFF_arm_smmu_domain__devices);
	struct list_head *pos;

	pos = md ? BTM_AT(md, BTM_OFF_arm_smmu_master_domain__devices_elm) :
		   head;
	if (pos->next == head)
		return NULL;
	md = (char *)pos->next - BTM_OFF_arm_smmu_master_domain__devices_elm;
	*master = *(void **)BTM_AT(md, BTM_OFF_arm_smmu_master_domain__master);
	*ssid = *(u32 *)BTM_AT(md, BTM_OFF_arm_smmu_master_domain__ssid);
	return md;
}

/**
 * btm_sd_ats_possible() - whether a master with ATS enabled may be attached
 * with an SVA domain
 * @sva: the SVA domain
 *
 * Context: after a full barrier (see btm_shim_domain_ats()).
 * Return: whether the ATCs must be invalidated.
 */
bool btm_sd_ats_possible(struct btm_sva *sva)
{
	return btm_shim_domain_ats(sva->smmu_domain);
}

/**
 * btm_sd_plan_atcs() - the ATC invalidations of an SVA domain: every ATS
 * stream of each of its attachments, at the attachment's SSID
 * @b: the batch
 * @sva: the SVA domain
 * @start: the range's start
 * @size: its size (0: everything)
 *
 * Context: after a full barrier (see btm_shim_domain_ats()).
 */
void btm_sd_plan_atcs(struct inv_batch *b, struct btm_sva *sva, u64 start,
		      u64 size)
{
	void *sd = sva->smmu_domain, *md, *master;
	spinlock_t *lock = BTM_AT(sd, BTM_OFF_arm_smmu_domain__devices_lock);
	unsigned long flags;
	u32 ssid;

	if (!btm_shim_domain_ats(sd))
		return;
	spin_lock_irqsave(lock, flags);
	for (md = NULL; (md = next_attachment(sd, md, &master, &ssid));)
		btm_shim_plan_master_atcs(b, master, ssid, start, size);
	spin_unlock_irqrestore(lock, flags);
}

/**
 * btm_sd_quiesce() - make every CD of an SVA domain fault, keeping it valid
 * @sva: the SVA domain, whose mm is going away
 *
 * Late DMA then faults instead of walking the tables exit_mmap() frees.
 *
 * Context: the mmu_notifier's release.
 */
void btm_sd_quiesce(struct btm_sva *sva)
{
	void *sd = sva->smmu_domain, *md, *master;
	spinlock_t *lock = BTM_AT(sd, BTM_OFF_arm_smmu_domain__devices_lock);
	__le64 target[CD_MAX_BYTES / 8];
	struct arm_smmu_cd *cdptr;
	unsigned long flags;
	u64 words[4];
	unsigned int i;
	u32 ssid;

	spin_lock_irqsave(lock, flags);
	for (md = NULL; (md = next_attachment(sd, md, &master, &ssid));) {
		cdptr = btm_drv.get_cd_ptr(master, ssid);
		if (WARN_ON_ONCE(!cdptr))
			continue;
		memcpy(target, cdptr, CD_BYTES);
		for (i = 0; i < ARRAY_SIZE(words); i++)
			words[i] = le64_to_cpu(target[i]);
		smmu_cd_make_faulting(words, sva->p->stall_force);
		for (i = 0; i < ARRAY_SIZE(words); i++)
			target[i] = cpu_to_le64(words[i]);
		btm_drv.write_cd_entry(master, ssid, cdptr,
				       (const struct arm_smmu_cd *)target);
	}
	spin_unlock_irqrestore(lock, flags);
}
