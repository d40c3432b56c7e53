// SPDX-License-Identifier: GPL-2.0
/*
 * Driver generation 7.x: as 6.10 (sva_domain.c), plus each domain's
 * invalidation array, which the driver's invalidations walk.
 *
 * An ASID move is covered through that array: every invalidation walks the
 * domain's RCU array of invalidation targets (smmu_domain->invs) after a
 * full barrier of its own. The move installs a copy with an
 * INV_TYPE_S1_ASID entry for the new ASID added next to the old one, and
 * at the end a copy with the old one's entry turned into the new one's;
 * the arrays it replaces are freed after a grace period. No probe is
 * needed.
 *
 * Design: doc/binding.md, doc/asid-move.md.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/error-injection.h>
#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "asid_move.h"
#include "cmdq.h"
#include "domain_move.h"
#include "driver_calls.h"
#include "driver_domain.h"
#include "driver_gen.h"
#include "generated/layout.h"
#include "move_private.h"
#include "move_streams.h"
#include "provider_route.h"
#include "sva_domain.h"

#define INV_BYTES	MOVE_LAYOUT_SIZE(arm_smmu_inv)

static atomic_long_t stat_arrays;

static size_t *invs_num(void *invs)
{
	return BTM_AT(invs, BTM_OFF_arm_smmu_invs__num_invs);
}

static void *invs_entry(void *invs, size_t i)
{
	return BTM_AT(invs, BTM_OFF_arm_smmu_invs__inv + i * INV_BYTES);
}

static void __rcu **domain_invs(void *smmu_domain)
{
	return BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__invs);
}

static bool inv_is_asid(void *inv, struct arm_smmu_device *smmu, u16 asid)
{
	return *(struct arm_smmu_device **)BTM_AT(inv, BTM_OFF_arm_smmu_inv__smmu) == smmu &&
	       *(u8 *)BTM_AT(inv, BTM_OFF_arm_smmu_inv__type) == BTM_ENUM_INV_TYPE_S1_ASID &&
	       *(u32 *)BTM_AT(inv, BTM_OFF_arm_smmu_inv__id) == asid &&
	       READ_ONCE(*(int *)BTM_AT(inv, BTM_OFF_arm_smmu_inv__users)) > 0;
}

/*
 * The copy's lock, unlocked, in the class of @like's: the driver's. The
 * driver keeps the copy after this module is gone, so its lock must not
 * carry a class keyed (and named) in this module's memory, as
 * rwlock_init() here would give it.
 */
static void invs_lock_init_like(rwlock_t *lock, rwlock_t *like)
{
	*lock = __RW_LOCK_UNLOCKED(lock);
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	lockdep_set_class_and_name(lock, like->dep_map.key, like->dep_map.name);
#endif
}

/* A copy of @invs's header for @num entries, not yet filled in. */
static void *invs_alloc_like(void *invs, size_t num)
{
	void *copy;

	copy = kzalloc(BTM_OFF_arm_smmu_invs__inv + num * INV_BYTES,
		       GFP_KERNEL);
	if (!copy)
		return NULL;
	atomic_long_inc(&stat_arrays);
	*(size_t *)BTM_AT(copy, BTM_OFF_arm_smmu_invs__max_invs) = num;
	*invs_num(copy) = num;
	*(size_t *)BTM_AT(copy, BTM_OFF_arm_smmu_invs__num_trashes) =
		*(size_t *)BTM_AT(invs, BTM_OFF_arm_smmu_invs__num_trashes);
	*(bool *)BTM_AT(copy, BTM_OFF_arm_smmu_invs__has_ats) =
		*(bool *)BTM_AT(invs, BTM_OFF_arm_smmu_invs__has_ats);
	invs_lock_init_like(BTM_AT(copy, BTM_OFF_arm_smmu_invs__rwlock),
			    BTM_AT(invs, BTM_OFF_arm_smmu_invs__rwlock));
	return copy;
}

static void invs_free_own(struct rcu_head *head)
{
	kfree((char *)head - BTM_OFF_arm_smmu_invs__rcu);
	atomic_long_dec(&stat_arrays);
}

static void invs_free_drivers(struct rcu_head *head)
{
	kfree((char *)head - BTM_OFF_arm_smmu_invs__rcu);
}

static struct rcu_head *invs_rcu(void *invs)
{
	return BTM_AT(invs, BTM_OFF_arm_smmu_invs__rcu);
}

/*
 * Build the two arrays the move installs: during (old ASID's entry and a
 * copy of it for @b, in the driver's sort order: by SMMU, type, then ASID)
 * and after (the old entry's ASID changed to @b). A domain attached
 * nowhere has no entry for its ASID (the driver adds it at attach, which
 * waits for the ASID mutex the move holds): nothing then to build or
 * install, and the move just changes the ASID the next attach takes.
 */
static noinline int btm_move_build_invs(struct btm_move *m, u16 b)
{
	void *old = rcu_dereference_protected(*domain_invs(m->smmu_domain),
					      lockdep_is_held(btm_drv.asid_lock));
	size_t i, j, num = *invs_num(old), at = num;

	for (i = 0; i < num; i++)
		if (inv_is_asid(invs_entry(old, i), m->smmu, m->a))
			at = i;
	if (at == num)
		return 0;
	m->before = old;
	m->during = invs_alloc_like(old, num + 1);
	m->after = invs_alloc_like(old, num);
	if (!m->during || !m->after)
		return -ENOMEM;
	for (j = 0; j <= num; j++) {
		void *to = invs_entry(m->during, j);
		bool is_new;

		i = asid_move_array_source(j, at, m->a, b, &is_new);
		memcpy(to, invs_entry(old, i), INV_BYTES);
		if (is_new)
			*(u32 *)BTM_AT(to, BTM_OFF_arm_smmu_inv__id) = b;
	}
	memcpy(invs_entry(m->after, 0), invs_entry(old, 0), num * INV_BYTES);
	*(u32 *)BTM_AT(invs_entry(m->after, at), BTM_OFF_arm_smmu_inv__id) = b;
	return 0;
}

ALLOW_ERROR_INJECTION(btm_move_build_invs, ERRNO);

static void invs_move_finish(struct btm_move *m, bool success)
{
	if (m->during && m->published)
		call_rcu(invs_rcu(m->during), invs_free_own);
	else if (m->during)
		invs_free_own(invs_rcu(m->during));
	if (success && m->after) {
		/* after is the driver's now, and before is no longer used */
		atomic_long_dec(&stat_arrays);
		call_rcu(invs_rcu(m->before), invs_free_drivers);
	} else if (m->after) {
		invs_free_own(invs_rcu(m->after));
	}
}

static void invs_move_publish(struct btm_move *m, const u16 *asids,
			      unsigned int n)
{
	void *invs = n == 2 ? m->during :
		     asids[0] == m->a ? m->before : m->after;

	if (!m->before)
		return;
	rcu_assign_pointer(*domain_invs(m->smmu_domain), invs);
}

/* Whole-domain: both ASIDs of the array installed now. */
static void invs_move_tlbi(struct btm_move *m, u16 asid)
{
	btm_drv.domain_inv_range(m->smmu_domain, 0, 0, 0, false);
}

static void invs_move_read_stats(struct btm_move_stats *stats)
{
	stats->arrays = atomic_long_read(&stat_arrays);
	stats->needs_hooks = false;
}

static int invs_move_init(void)
{
	return btm_drv.domain_inv_range && btm_drv.get_cd_ptr &&
	       btm_drv.write_cd_entry ? 0 : -ENOENT;
}

/* arm_smmu_domain_alloc() gave the domain its invalidation array too. */
static void invs_sva_domain_free(void *smmu_domain)
{
	void __rcu **invs = BTM_AT(smmu_domain, BTM_OFF_arm_smmu_domain__invs);

	kfree(rcu_dereference_protected(*invs, true));
	kfree(smmu_domain);
}

const struct btm_gen_ops btm_gen_invs = {
	.gen = BTM_DRIVER_INVS,
	.s1_s2vmid_zero = true,
	.provider = &btm_route_ops_copy,
	.sva_stage = BTM_ENUM_ARM_SMMU_DOMAIN_SVA,
	.cmdq_issue = btm_cmdq_issue_queue,
	.shim_init = btm_sd_shim_init,
	.sva_ats_possible = btm_sd_ats_possible,
	.sva_plan_atcs = btm_sd_plan_atcs,
	.sva_quiesce = btm_sd_quiesce,
	.sva_attach_cd = btm_sd_attach_cd_old,
	.sva_domain_free = invs_sva_domain_free,
	.move_init = invs_move_init,
	.move_publish = invs_move_publish,
	.move_claimed = btm_move_build_invs,
	.move_finish = invs_move_finish,
	.move_tlbi = invs_move_tlbi,
	.move_find_cds = btm_streams_find_cds,
	.move_write_cd = btm_streams_write_cd,
	.move_unlisted_cds = btm_streams_unlisted_cds,
	.move_read_stats = invs_move_read_stats,
	.local_flush_get = btm_local_flush_get,
	.local_flush_put = btm_local_flush_put,
	.local_flush_now = btm_local_flush_now,
};
