// SPDX-License-Identifier: GPL-2.0
/*
 * Driver generation 6.7 to 6.8: the CD table is each master's; SVA CDs go
 * into it with the driver's arm_smmu_write_ctx_desc() (sva_cd_table.c),
 * and commands to the SMMU's main queue.
 *
 * An ASID move rewrites SSID 0 of each master on the domain's list, through
 * arm_smmu_write_ctx_desc() on the master, under the domain's devices_lock
 * as the driver's own ASID sharing does. A master's CD 0 is cleared by its
 * detach (under its group's mutex, not the ASID mutex) only after the
 * master has left the list, and is written by its attach under the ASID
 * mutex, so each master on the list is rewritten while its CD is the
 * domain's; one whose table is not set up yet (attach adds it to the list
 * first) or whose CD 0 is not on the move's ASIDs is left alone. A master
 * that left the list during the move may keep its CD 0 on the old ASID,
 * its STE still live, until its detach completes: once the CDs are
 * rewritten, the move looks at CD 0 of every master of the SMMU's stream
 * tree (under the tree's mutex, which removal takes before freeing a
 * master or its tables) and fails, undone, if one still holds the old
 * ASID, before it invalidates that ASID and gives it up. Invalidations are
 * covered by the probes (move_probes.c).
 *
 * Design: doc/binding.md, doc/asid-move.md.
 */
#include <linux/errno.h>
#include <linux/error-injection.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>

#include "asid_move.h"
#include "cmdq.h"
#include "driver_calls.h"
#include "driver_domain.h"
#include "driver_gen.h"
#include "move_cd_table.h"
#include "move_private.h"
#include "move_probes.h"
#include "provider_route.h"
#include "smmu_cd.h"
#include "sva_cd_table.h"

/*
 * 6.7, 6.8: CD 0 of @master's own table, or NULL while the table (or its
 * first leaf) is not set up. Read with the master held: on the domain's
 * list under its devices_lock, or in the stream tree under its mutex.
 */
static __le64 *master_cd0(void *master)
{
	void *cfg = BTM_AT(master, BTM_OFF_arm_smmu_master__cd_table);
	__le64 **cdtab = BTM_AT(cfg, BTM_OFF_arm_smmu_ctx_desc_cfg__cdtab);
	u8 *s1fmt = BTM_AT(cfg, BTM_OFF_arm_smmu_ctx_desc_cfg__s1fmt);
	void **l1_desc = BTM_AT(cfg, BTM_OFF_arm_smmu_ctx_desc_cfg__l1_desc);
	void *l1;

	if (!READ_ONCE(*cdtab))
		return NULL;
	/* STRTAB_STE_0_S1FMT_LINEAR is 0. */
	if (!READ_ONCE(*s1fmt))
		return READ_ONCE(*cdtab);
	l1 = READ_ONCE(*l1_desc);
	if (!l1)
		return NULL;
	/* SSID 0: the first leaf, its first CD. */
	return READ_ONCE(*(__le64 **)BTM_AT(l1,
			 BTM_OFF_arm_smmu_l1_ctx_desc__l2ptr));
}

/* 6.7, 6.8: whether @master's CD 0 is a valid private CD on @asid. */
static bool master_cd0_on(void *master, u16 asid)
{
	__le64 *cd0 = master_cd0(master);

	return cd0 && smmu_cd0_private_on(le64_to_cpu(READ_ONCE(*cd0)), asid);
}

/*
 * 6.7, 6.8: rewrite CD 0 of every master on the domain's list that holds
 * one of the move's ASIDs, from @copy: see the top of this file.
 */
static void btm_move_write_masters(struct btm_move *m, void *copy)
{
	struct list_head *head = BTM_AT(m->smmu_domain,
				    BTM_OFF_arm_smmu_domain__devices);
	spinlock_t *lock = BTM_AT(m->smmu_domain,
				  BTM_OFF_arm_smmu_domain__devices_lock);
	unsigned long flags;
	struct list_head *pos;

	spin_lock_irqsave(lock, flags);
	list_for_each(pos, head) {
		void *master = (char *)pos -
			       BTM_OFF_arm_smmu_master__domain_head;
		__le64 *cd0 = master_cd0(master);

		if (cd0 && asid_move_cd_side(le64_to_cpu(READ_ONCE(*cd0)), m->a,
					     m->b) != ASID_MOVE_CD_FOREIGN)
			btm_drv.write_ctx_desc(master, 0, copy);
	}
	spin_unlock_irqrestore(lock, flags);
}

static noinline int master_cd_move_write_cd(struct btm_move *m,
					    struct btm_cd_ref *ref, u16 asid)
{
	u64 copy[MOVE_CD_MAX_BYTES / 8];

	btm_cdt_move_ctx_desc(m, asid, copy);
	btm_move_write_masters(m, copy);
	m->written = asid;
	return 0;
}

ALLOW_ERROR_INJECTION(master_cd_move_write_cd, ERRNO);

/*
 * 6.7, 6.8: after the rewrite, fail the move if some master of the SMMU
 * still has its CD 0 on the old ASID (one that left the domain's list
 * during the move, its detach not done): see the top of this file.
 * The move's CFGI step: the driver's writer invalidated the CDs it wrote.
 */
static noinline int master_cd_move_check(struct btm_move *m)
{
	struct mutex *streams_mutex = BTM_AT(m->smmu,
				BTM_OFF_arm_smmu_device__streams_mutex);
	struct rb_root *streams = BTM_AT(m->smmu,
				BTM_OFF_arm_smmu_device__streams);
	struct rb_node *node;
	int ret = 0;

	/* The undo puts them back on the old ASID: nothing to check. */
	if (m->written != m->b)
		return 0;
	mutex_lock(streams_mutex);
	for (node = rb_first(streams); node && !ret; node = rb_next(node)) {
		void *stream = (char *)node - BTM_OFF_arm_smmu_stream__node;
		void *master = *(void **)BTM_AT(stream,
				BTM_OFF_arm_smmu_stream__master);

		if (master_cd0_on(master, m->a))
			ret = -EBUSY;
	}
	mutex_unlock(streams_mutex);
	if (ret)
		btm_move_count_busy();
	return ret;
}

ALLOW_ERROR_INJECTION(master_cd_move_check, ERRNO);

static int master_cd_move_init(void)
{
	return btm_drv.write_ctx_desc ? btm_probes_init() : -ENOENT;
}

const struct btm_gen_ops btm_gen_master_cd = {
	.gen = BTM_DRIVER_MASTER_CD,
	.s1_s2vmid_zero = true,
	.provider = &btm_route_in_place,
	.cdt_in_master = true,
	.cmdq_issue = btm_cmdq_issue_main,
	.shim_init = btm_cdt_shim_init,
	.sva_ats_possible = btm_cdt_ats_possible,
	.sva_plan_atcs = btm_cdt_plan_atcs,
	.sva_quiesce = btm_cdt_quiesce,
	.xa_holds_cd = true,
	.move_init = master_cd_move_init,
	BTM_GEN_MOVE_PROBES,
	.move_find_cds = btm_cdt_move_find_cds,
	.move_write_cd = master_cd_move_write_cd,
	.move_cfgi = master_cd_move_check,
};
