// SPDX-License-Identifier: GPL-2.0
/*
 * 6.10+: the CDs an ASID move rewrites, and how. Each master has its own
 * CD table, and attach and detach change a domain's list of masters and
 * their CDs under the ASID mutex, which the caller holds for the whole
 * move. The CDs are those of the domain's list (with their SSIDs), and the
 * SSID-0 CD of every master of the SMMU's stream tree that holds the
 * domain's private ASID: the 6.12 driver leaves a device that joins a group
 * whose domain is set already out of that domain's list. Such a master is
 * not kept by the ASID mutex: the driver clears its CD 0 after dropping the
 * mutex when it leaves for an identity or blocking domain, and frees it on
 * removal without taking it. So the move holds the stream tree's mutex from
 * the search to the last CD write (removal takes it before freeing a
 * master), and the group mutex of each such master (the core holds it over
 * both); a group whose mutex another task holds fails the move (-EBUSY)
 * before anything changes: the driver takes the ASID mutex under the
 * group's, so under the ASID mutex a group's can only be tried, never
 * waited for; the stream tree's is never held where the driver takes the
 * ASID mutex. The driver's CD writer issues CMD_CFGI_CD and CMD_SYNC itself
 * for each CD it changes.
 *
 * Design: doc/asid-move.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/error-injection.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "asid_move.h"
#include "driver_calls.h"
#include "driver_domain.h"
#include "move_private.h"
#include "move_streams.h"
#include "smmu_cd.h"

/* The CD of @ref, if it is a valid private CD on @asid. */
static struct arm_smmu_cd *btm_cd_on(struct btm_cd_ref *ref, u16 asid)
{
	struct arm_smmu_cd *cdptr = btm_drv.get_cd_ptr(ref->master, ref->ssid);

	if (!cdptr ||
	    !smmu_cd0_private_on(le64_to_cpu(READ_ONCE(*(__le64 *)cdptr)), asid))
		return NULL;
	return cdptr;
}

static bool btm_move_has_cd(struct btm_move *m, struct arm_smmu_master *master,
			    u32 ssid)
{
	unsigned int i;

	for (i = 0; i < m->nr_cds; i++)
		if (m->cds[i].master == master && m->cds[i].ssid == ssid)
			return true;
	return false;
}

/*
 * Hold the group of @master, found through the stream tree alone, for the
 * rest of the move: its mutex, which the core holds while the driver clears
 * the master's CD 0 and frees the master, and whose domain must then be the
 * moving one. Under the ASID mutex the group's can only be tried.
 */
static noinline int btm_move_hold_group(struct btm_move *m,
					struct arm_smmu_master *master)
{
	struct device *dev = *(struct device **)BTM_AT(master,
					BTM_OFF_arm_smmu_master__dev);
	struct iommu_group *group = iommu_group_get(dev);
	unsigned int i;

	if (!group)
		return -EBUSY;
	for (i = 0; i < m->nr_groups; i++) {
		if (m->groups[i] == group) {
			iommu_group_put(group);
			return 0;
		}
	}
	if (m->nr_groups == MOVE_MAX_GROUPS ||
	    !mutex_trylock(BTM_AT(group, BTM_OFF_iommu_group__mutex))) {
		iommu_group_put(group);
		return -EBUSY;
	}
	m->groups[m->nr_groups++] = group;
	if (*(struct iommu_domain **)BTM_AT(group, BTM_OFF_iommu_group__domain) !=
	    domain_in(m->smmu_domain))
		return -EBUSY;
	return 0;
}

ALLOW_ERROR_INJECTION(btm_move_hold_group, ERRNO);

/**
 * btm_streams_find_cds() - every CD that references a moving domain, held
 * until the move puts them: see the top of this file for what is found
 * and why each part is held
 * @m: the move
 *
 * Context: the driver's ASID mutex held.
 * Return: 0, -EBUSY when a master's group is busy, or -ENOMEM.
 */
int btm_streams_find_cds(struct btm_move *m)
{
	struct list_head *head = BTM_AT(m->smmu_domain,
				    BTM_OFF_arm_smmu_domain__devices);
	struct rb_root *streams = BTM_AT(m->smmu, BTM_OFF_arm_smmu_device__streams);
	unsigned int max = 0;
	struct btm_cd_ref ref;
	struct list_head *pos;
	struct rb_node *node;
	int ret;

	lockdep_assert_held(btm_drv.asid_lock);
	m->streams_mutex = BTM_AT(m->smmu,
				  BTM_OFF_arm_smmu_device__streams_mutex);
	mutex_lock(m->streams_mutex);
	list_for_each(pos, head)
		max++;
	for (node = rb_first(streams); node; node = rb_next(node))
		max++;
	m->cds = kmalloc_array(max ?: 1, sizeof(*m->cds), GFP_KERNEL);
	if (!m->cds)
		return -ENOMEM;
	list_for_each(pos, head) {
		void *md = (char *)pos - BTM_OFF_arm_smmu_master_domain__devices_elm;

		ref.master = *(struct arm_smmu_master **)
			BTM_AT(md, BTM_OFF_arm_smmu_master_domain__master);
		ref.ssid = *(u32 *)BTM_AT(md, BTM_OFF_arm_smmu_master_domain__ssid);
		if (!btm_move_has_cd(m, ref.master, ref.ssid))
			m->cds[m->nr_cds++] = ref;
	}
	for (node = rb_first(streams); node; node = rb_next(node)) {
		void *stream = (char *)node - BTM_OFF_arm_smmu_stream__node;

		ref.master = *(struct arm_smmu_master **)
			BTM_AT(stream, BTM_OFF_arm_smmu_stream__master);
		ref.ssid = 0;
		if (btm_move_has_cd(m, ref.master, 0) || !btm_cd_on(&ref, m->a))
			continue;
		ret = btm_move_hold_group(m, ref.master);
		if (ret) {
			btm_move_count_busy();
			return ret;
		}
		/* Read again now that the group is held: it may have left. */
		if (btm_cd_on(&ref, m->a))
			m->cds[m->nr_cds++] = ref;
	}
	return 0;
}

/**
 * btm_streams_write_cd() - rewrite one CD of a moving domain on @asid
 * @m: the move
 * @ref: the CD
 * @asid: its new ASID
 *
 * Only ever a valid private CD on one of the move's ASIDs; the driver's
 * writer sends CMD_CFGI_CD and CMD_SYNC itself.
 *
 * Return: 0, or -EIO for a CD that holds neither ASID.
 */
int btm_streams_write_cd(struct btm_move *m, struct btm_cd_ref *ref, u16 asid)
{
	__le64 target[MOVE_CD_MAX_BYTES / 8] = {};
	struct arm_smmu_cd *cdptr;

	cdptr = btm_drv.get_cd_ptr(ref->master, ref->ssid);
	if (!cdptr ||
	    asid_move_cd_side(le64_to_cpu(READ_ONCE(*(__le64 *)cdptr)), m->a,
			      m->b) == ASID_MOVE_CD_FOREIGN) {
		pr_err("CD of SSID %u holds no private ASID %u; not moving it\n",
		       ref->ssid, m->a);
		return -EIO;
	}
	memcpy(target, cdptr, MOVE_CD_BYTES);
	target[0] = cpu_to_le64(smmu_cd0_with_asid(le64_to_cpu(target[0]),
						   asid));
	btm_drv.write_cd_entry(ref->master, ref->ssid, cdptr,
			       (const struct arm_smmu_cd *)target);
	return 0;
}

/**
 * btm_streams_unlisted_cds() - the stream-tree masters whose CD 0 holds a
 * domain's private ASID without the master being on the domain's list
 * @smmu_domain: the driver's stage-1 domain
 * @asid: its ASID
 *
 * Context: the driver's ASID mutex held.
 * Return: how many.
 */
unsigned int btm_streams_unlisted_cds(void *smmu_domain, u16 asid)
{
	struct list_head *head = BTM_AT(smmu_domain,
					BTM_OFF_arm_smmu_domain__devices);
	struct arm_smmu_device *smmu = domain_smmu(smmu_domain);
	struct mutex *streams_mutex;	/* the SMMU's stream tree's */
	struct btm_cd_ref ref = {};
	struct list_head *pos;
	struct rb_node *node;
	unsigned int n = 0;

	streams_mutex = BTM_AT(smmu, BTM_OFF_arm_smmu_device__streams_mutex);
	mutex_lock(streams_mutex);
	for (node = rb_first(BTM_AT(smmu, BTM_OFF_arm_smmu_device__streams));
	     node; node = rb_next(node)) {
		void *md, *stream = (char *)node - BTM_OFF_arm_smmu_stream__node;
		bool listed = false;

		ref.master = *(struct arm_smmu_master **)
			BTM_AT(stream, BTM_OFF_arm_smmu_stream__master);
		list_for_each(pos, head) {
			md = (char *)pos - BTM_OFF_arm_smmu_master_domain__devices_elm;
			listed |= *(void **)BTM_AT(md,
				BTM_OFF_arm_smmu_master_domain__master) ==
				ref.master;
		}
		if (!listed && btm_cd_on(&ref, asid))
			n++;
	}
	mutex_unlock(streams_mutex);
	return n;
}
