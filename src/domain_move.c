// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a live stage-1 DMA domain of the arm-smmu-v3 driver to a fresh
 * ASID: the protocol of src/core/asid_move.c, carried out on the driver's own
 * structures (layouts from BTF) with the driver's own CD writer.
 *
 * What differs between driver generations is in their tables (btm_gen,
 * src/gen/): how a concurrent invalidation is made to cover both ASIDs
 * while the move runs (step 2 of the protocol: kprobes on the driver's
 * invalidation entry points to 6.x, move_probes.c; the domain's
 * invalidation array on 7.x, invs.c), which CDs reference the domain and
 * how each is rewritten (SSID 0 of a CD table the driver writes, to 6.8:
 * move_cd_table.c, s1_cfg.c, master_cd.c; the domain's list and the SMMU's
 * stream tree from 6.10: move_streams.c), and what else the SMMU may have
 * cached of them.
 *
 * The new ASID comes from the driver's own ASID xarray (global to its
 * SMMUs, which is where the driver itself allocates), stored there for the
 * domain before anything uses it. The domain's ASIDs are entered in the
 * SMMU's allocator only for the move: they are the driver's.
 *
 * Its fallible steps are kept out of line and marked ALLOW_ERROR_INJECTION,
 * so that a debug kernel's fail_function can fail each in turn (the guest
 * test fault-inject-bind and fault-inject-move); elsewhere the mark is
 * empty.
 *
 * Design: doc/asid-move.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/error-injection.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "asid_move.h"
#include "cmdq.h"
#include "domain_move.h"
#include "driver_calls.h"
#include "driver_domain.h"
#include "driver_gen.h"
#include "generated/layout.h"
#include "move_private.h"

static atomic64_t stat_moves, stat_undone, stat_busy;

/* btm_move_init() succeeded: moves are possible on the bound driver. */
static bool ready;

/**
 * btm_move_count_busy() - count a move refused because a master was busy
 */
void btm_move_count_busy(void)
{
	atomic64_inc(&stat_busy);
}

/**
 * btm_move_hooks_get() - make moves possible from now on: place what
 * covers invalidations during a move, on a driver that needs it
 *
 * Context: process; btm_move_init() succeeded.
 * Return: 0, or the error of a probe that could not be placed.
 */
int btm_move_hooks_get(void)
{
	return btm_gen->move_cover_get ? btm_gen->move_cover_get() : 0;
}

/**
 * btm_move_hooks_put() - undo btm_move_hooks_get()
 *
 * Context: process; no move running for this user.
 */
void btm_move_hooks_put(void)
{
	if (btm_gen->move_cover_put)
		btm_gen->move_cover_put();
}

/**
 * btm_move_init() - check what moving domains takes on the bound driver
 *
 * Nothing is placed in the driver yet: btm_move_hooks_get() does that.
 *
 * Context: process, at load.
 * Return: 0, or -EOPNOTSUPP for a driver generation without moves here, or
 * -ENOENT when the binding lacks what the generation needs.
 */
int btm_move_init(void)
{
	int ret;

	if (!btm_gen || !btm_gen->move_init)
		return -EOPNOTSUPP;
	ret = btm_cmdq_init();
	if (ret)
		return ret;
	if (!btm_drv.asid_xa || !btm_drv.asid_lock)
		return -ENOENT;
	ret = btm_gen->move_init();
	ready = !ret;
	return ret;
}

/**
 * btm_move_exit() - wait for every array a move replaced to be freed
 *
 * Context: process, at unload; every btm_move_hooks_get() was put.
 */
void btm_move_exit(void)
{
	rcu_barrier();
	ready = false;
}

/**
 * btm_move_asid_lock() - the driver's ASID mutex, which a move runs under
 *
 * Return: the mutex; NULL before btm_move_init() succeeded.
 */
struct mutex *btm_move_asid_lock(void)
{
	return ready ? btm_drv.asid_lock : NULL;
}

/**
 * btm_move_asid_xa() - the driver's ASID xarray, global to its SMMUs
 *
 * Return: the xarray; NULL before btm_move_init() succeeded.
 */
struct xarray *btm_move_asid_xa(void)
{
	return ready ? btm_drv.asid_xa : NULL;
}

/**
 * btm_move_domain_asid() - the ASID of a stage-1 domain of the driver
 * @domain: a paging domain of an arm-smmu-v3 device
 * @asid: set to the domain's ASID
 *
 * Return: 0, or -EINVAL when @domain is not a finalised stage-1 domain.
 */
int btm_move_domain_asid(struct iommu_domain *domain, u16 *asid)
{
	void *smmu_domain = smmu_domain_of(domain);

	if (!ready || !(domain->type & __IOMMU_DOMAIN_PAGING) ||
	    *(u32 *)BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__stage) !=
	    BTM_ENUM_ARM_SMMU_DOMAIN_S1 || !domain_smmu(smmu_domain))
		return -EINVAL;
	*asid = READ_ONCE(*domain_asid(smmu_domain));
	return 0;
}

/**
 * btm_move_holder() - the DMA domain an entry of the driver's xarray is
 * @entry: what the driver's ASID xarray holds for an ASID, not NULL
 *
 * Context: the driver's ASID mutex held.
 * Return: the domain's iommu_domain; NULL when @entry is a shared CD of
 * the driver's own SVA (6.2 to 6.8), which no move may take.
 */
struct iommu_domain *btm_move_holder(void *entry)
{
	lockdep_assert_held(btm_drv.asid_lock);
	if (!DRIVER_XA_HOLDS_CD)
		return domain_in(entry);
	if (*(struct mm_struct **)BTM_AT(entry, BTM_OFF_arm_smmu_ctx_desc__mm))
		return NULL;
	return domain_in((char *)entry - DOMAIN_CD_OFF);
}

/* --- the protocol's callbacks --- */

static void btm_move_publish(void *ctx, const u16 *asids, unsigned int n)
{
	struct btm_move *m = ctx;

	m->published |= n == 2;
	if (n == 1)
		WRITE_ONCE(*domain_asid(m->smmu_domain), asids[0]);
	btm_gen->move_publish(m, asids, n);
	/* The targets, before the CD writes that follow. */
	smp_mb();
}

static void *btm_move_next_cd(void *ctx, void *cd)
{
	struct btm_move *m = ctx;
	struct btm_cd_ref *ref = cd ? (struct btm_cd_ref *)cd + 1 : m->cds;

	return ref < m->cds + m->nr_cds ? ref : NULL;
}

static noinline int btm_move_write_cd_asid(void *ctx, void *cd, u16 asid)
{
	return btm_gen->move_write_cd(ctx, cd, asid);
}

ALLOW_ERROR_INJECTION(btm_move_write_cd_asid, ERRNO);

/* Let go of what btm_move_find_cds() took. */
static void btm_move_put_cds(struct btm_move *m)
{
	while (m->nr_groups) {
		struct iommu_group *group = m->groups[--m->nr_groups];

		mutex_unlock(BTM_AT(group, BTM_OFF_iommu_group__mutex));
		iommu_group_put(group);
	}
	if (m->streams_mutex)
		mutex_unlock(m->streams_mutex);
	m->streams_mutex = NULL;
	kfree(m->cds);
	m->cds = NULL;
}

/* Every CD that references the domain, held until btm_move_put_cds(). */
static noinline int btm_move_find_cds(struct btm_move *m)
{
	lockdep_assert_held(btm_drv.asid_lock);
	return btm_gen->move_find_cds(m);
}

ALLOW_ERROR_INJECTION(btm_move_find_cds, ERRNO);

/*
 * The driver's CD writer has issued CMD_CFGI_CD and CMD_SYNC already, for
 * the masters it knows use each CD; what else the SMMU may have cached of
 * them is the generation's.
 */
static noinline int btm_move_cfgi_cd(void *ctx, void *cd)
{
	return btm_gen->move_cfgi ? btm_gen->move_cfgi(ctx) : 0;
}

ALLOW_ERROR_INJECTION(btm_move_cfgi_cd, ERRNO);

/* Every invalidation the move issues through the driver ends in a sync. */
static noinline int btm_move_sync(void *ctx)
{
	return 0;
}

ALLOW_ERROR_INJECTION(btm_move_sync, ERRNO);

static noinline int btm_move_tlbi_asid(void *ctx, u16 asid)
{
	btm_gen->move_tlbi(ctx, asid);
	return 0;
}

ALLOW_ERROR_INJECTION(btm_move_tlbi_asid, ERRNO);

/*
 * The new ASID, from the driver's own xarray, stored there for the domain:
 * within the width of the domain's SMMU, which need not be @m->aa's.
 */
static noinline int btm_move_claim_asid(void *ctx, u16 *asid)
{
	struct btm_move *m = ctx;
	u32 bits = *(u32 *)BTM_AT(m->smmu, BTM_OFF_arm_smmu_device__asid_bits);
	u32 id;
	int ret;

	ret = xa_alloc(btm_drv.asid_xa, &id, domain_xa_entry(m->smmu_domain),
		       XA_LIMIT(1, asid_move_limit(m->aa, bits) - 1),
		       GFP_KERNEL);
	if (ret)
		return ret;
	m->b = id;
	*asid = id;
	if (btm_gen->move_claimed) {
		ret = btm_gen->move_claimed(m, id);
		if (ret)
			xa_erase(btm_drv.asid_xa, id);
	}
	return ret;
}

ALLOW_ERROR_INJECTION(btm_move_claim_asid, ERRNO);

static void btm_move_release_asid(void *ctx, u16 asid)
{
	xa_erase(btm_drv.asid_xa, asid);
}

static const struct asid_move_ops btm_move_ops = {
	.publish_targets = btm_move_publish,
	.next_cd = btm_move_next_cd,
	.write_cd_asid = btm_move_write_cd_asid,
	.cfgi_cd = btm_move_cfgi_cd,
	.sync = btm_move_sync,
	.tlbi_asid = btm_move_tlbi_asid,
	.claim_asid = btm_move_claim_asid,
	.release_asid = btm_move_release_asid,
};

/**
 * btm_move_domain() - move a stage-1 DMA domain to a fresh ASID
 * @aa: the allocator the move runs in: the caller's SMMU's, which may not
 *	be the domain's (an SVA bind through another SMMU); the new ASID
 *	fits both widths
 * @domain: the domain, attached or not
 * @end: ASID_MOVE_FREE, or ASID_MOVE_PIN to give the old ASID to @owner;
 *	 for ASID_MOVE_FREE the driver's xarray forgets it too, for
 *	 ASID_MOVE_PIN the caller stores its owner there
 * @owner: the owner for ASID_MOVE_PIN
 * @from: set to the domain's ASID before the move
 * @to: set to its ASID after
 *
 * The domain's ASIDs are the driver's: @aa holds the old one only for the
 * move (and pinned for @owner after it, with ASID_MOVE_PIN), never the new.
 *
 * Context: process; the driver's ASID mutex held (btm_move_asid_lock()).
 * Return: 0; -EBUSY when @aa holds the domain's ASID already or a master
 * found through the stream tree is busy; or another negative errno; on
 * error the domain is unchanged.
 */
int btm_move_domain(struct asid_alloc *aa, struct iommu_domain *domain,
		    enum asid_move_end end, void *owner, u16 *from, u16 *to)
{
	struct btm_move m = { .smmu_domain = smmu_domain_of(domain), .aa = aa };
	int ret;

	lockdep_assert_held(btm_drv.asid_lock);
	ret = btm_move_domain_asid(domain, &m.a);
	if (ret)
		return ret;
	m.smmu = domain_smmu(m.smmu_domain);
	ret = asid_reserve_private(aa, m.a, domain);
	if (ret)
		return ret;
	ret = btm_gen->move_cover_arm ? btm_gen->move_cover_arm() : 0;
	if (!ret)
		ret = btm_move_find_cds(&m);
	if (!ret)
		ret = asid_move_run(&btm_move_ops, &m, aa, m.a, end, owner, to);
	btm_move_put_cds(&m);
	if (btm_gen->move_cover_disarm)
		btm_gen->move_cover_disarm();
	if (btm_gen->move_finish)
		btm_gen->move_finish(&m, !ret);
	if (ret) {
		/* A failed claim leaves nothing to undo. */
		if (m.published)
			atomic64_inc(&stat_undone);
		asid_free_private(aa, m.a);
		return ret;
	}
	/* The domain's new ASID is the driver's. */
	asid_free_private(aa, *to);
	if (end == ASID_MOVE_FREE)
		xa_erase(btm_drv.asid_xa, m.a);
	atomic64_inc(&stat_moves);
	*from = m.a;
	return 0;
}

ALLOW_ERROR_INJECTION(btm_move_domain, ERRNO);

/**
 * btm_move_domain_cds() - how many CDs a move of a domain would change now
 * @domain: a stage-1 domain of the driver
 *
 * Context: process; the driver's ASID mutex held, which attach and detach
 * take to change the count.
 * Return: the CDs on the domain's list of masters and, from 6.10, the
 * stream-tree masters whose CD 0 holds its ASID; on 6.2 to 6.8 the masters
 * on its list (sharing one CD to 6.6); 0 when it is not a stage-1 domain.
 */
unsigned int btm_move_domain_cds(struct iommu_domain *domain)
{
	void *sd = smmu_domain_of(domain);
	spinlock_t *lock = BTM_AT(sd, BTM_OFF_arm_smmu_domain__devices_lock);
	struct list_head *head = BTM_AT(sd, BTM_OFF_arm_smmu_domain__devices);
	struct list_head *pos;
	unsigned long flags;
	unsigned int n = 0;
	u16 asid;

	lockdep_assert_held(btm_drv.asid_lock);
	if (btm_move_domain_asid(domain, &asid))
		return 0;
	spin_lock_irqsave(lock, flags);
	list_for_each(pos, head)
		n++;
	spin_unlock_irqrestore(lock, flags);
	if (btm_gen->move_unlisted_cds)
		n += btm_gen->move_unlisted_cds(sd, asid);
	return n;
}

/**
 * btm_move_read_stats() - what the moves and their cover have done so far
 * @stats: filled in
 */
void btm_move_read_stats(struct btm_move_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	stats->moves = atomic64_read(&stat_moves);
	stats->undone = atomic64_read(&stat_undone);
	stats->busy = atomic64_read(&stat_busy);
	/* Unless the generation covers moves otherwise (7.x's arrays). */
	stats->needs_hooks = true;
	if (btm_gen && btm_gen->move_read_stats)
		btm_gen->move_read_stats(stats);
}
