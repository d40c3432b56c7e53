// SPDX-License-Identifier: GPL-2.0
/*
 * 6.2 to 6.x: how an ASID move is covered on the drivers without
 * invalidation arrays. Their invalidation entry points (iotlb_sync,
 * flush_iotlb_all and the io-pgtable walk and context flushes) read the
 * domain's cd.asid and issue TLBIs for it alone. A kprobe on each entry
 * point looks up the moving domain first and, when the call is for it,
 * invalidates both ASIDs before the driver goes on. The probe runs after
 * the caller's page-table writes and before the driver's read of cd.asid:
 * it issues a full barrier, then reads the move record. The move sets
 * cd.asid and then, after a full barrier, withdraws the record, so an entry
 * point that no longer sees the record reads the new ASID; and the move
 * publishes the record, then a full barrier, then writes the first CD, so
 * an entry point that does not see the record yet wrote its page tables
 * before any walk under the new ASID.
 *
 * The probes are registered disarmed while a provider that may move
 * domains is installed, armed by a move and disarmed once no move has run
 * for BTM_PROBES_IDLE_MS, so an invalidation pays a trap only around moves.
 * Arming patches four instructions, each under stop_machine() on arm64:
 * doing that twice per move made one move cost some 20 times its own work,
 * and binds come in bursts (one per queue a process opens), each of which
 * may move a domain. An invalidation already past an entry point when the
 * probes are armed is covered all the same: it wrote its page tables
 * before it got there, and the arming is followed by a barrier on every CPU
 * (kick_all_cpus_sync()), so those writes are visible before the move
 * writes its first CD, and every walk under the new ASID sees them; entries
 * under the old ASID go with the move's TLBI of it. A move that finds the
 * probes still armed needs no such barrier: every invalidation since the
 * last arming went through a probe.
 *
 * Design: doc/asid-move.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/iommu.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "asid_move.h"
#include "domain_move.h"
#include "driver_calls.h"
#include "driver_domain.h"
#include "move_private.h"
#include "move_probes.h"

/* The probes' places: see btm_probes_init(). */
enum { HOOK_IOTLB_SYNC, HOOK_FLUSH_ALL, HOOK_INV_CONTEXT, HOOK_INV_WALK,
	NR_HOOKS };

static unsigned long hook_addr[NR_HOOKS];

/*
 * The domain being moved, for the hooks. The driver's ASID mutex
 * serialises moves, so there is one.
 */
static struct {
	raw_spinlock_t lock;
	void *domain;
	struct arm_smmu_device *smmu;
	u16 asid[ASID_MOVE_MAX_TARGETS];
} moving = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(moving.lock),
};

static atomic64_t stat_covers;
static DEFINE_PER_CPU(u64, stat_hooked);

/*
 * Widen an invalidation of @smmu_domain, about to be issued, to both ASIDs
 * of its move; nothing when it is not moving. See the top of this file for
 * why the barrier comes first.
 */
static void btm_move_cover(void *smmu_domain)
{
	struct arm_smmu_device *smmu = NULL;
	unsigned long flags;
	u16 asid[2];

	/* Page-table writes before the read of the record: see the top. */
	smp_mb();
	if (!smmu_domain || READ_ONCE(moving.domain) != smmu_domain)
		return;
	raw_spin_lock_irqsave(&moving.lock, flags);
	if (moving.domain == smmu_domain) {
		smmu = moving.smmu;
		asid[0] = moving.asid[0];
		asid[1] = moving.asid[1];
	}
	raw_spin_unlock_irqrestore(&moving.lock, flags);
	if (!smmu)
		return;
	btm_drv.tlb_inv_asid(smmu, asid[0]);
	btm_drv.tlb_inv_asid(smmu, asid[1]);
	atomic64_inc(&stat_covers);
}

/**
 * struct btm_inv_hook - a kprobe on one of the driver's invalidation entries
 * @kp: the probe
 * @name: the driver function it is on
 * @arg: which argument holds the domain
 * @iommu_domain: the argument is the iommu_domain inside the driver's
 *		  domain, not the driver's domain itself
 */
struct btm_inv_hook {
	struct kprobe kp;
	const char *name;
	unsigned int arg;
	bool iommu_domain;
};

static int btm_inv_hook_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct btm_inv_hook *hook = container_of(kp, struct btm_inv_hook, kp);
	unsigned long arg = regs_get_kernel_argument(regs, hook->arg);

	this_cpu_inc(stat_hooked);
	if (arg && hook->iommu_domain)
		arg = (unsigned long)smmu_domain_of((struct iommu_domain *)arg);
	btm_move_cover((void *)arg);
	return 0;
}

static struct btm_inv_hook hooks[NR_HOOKS] = {
	[HOOK_IOTLB_SYNC] = { .name = "arm_smmu_iotlb_sync", .arg = 0,
			      .iommu_domain = true },
	[HOOK_FLUSH_ALL] = { .name = "arm_smmu_flush_iotlb_all", .arg = 0,
			     .iommu_domain = true },
	[HOOK_INV_CONTEXT] = { .name = "arm_smmu_tlb_inv_context", .arg = 0 },
	[HOOK_INV_WALK] = { .name = "arm_smmu_tlb_inv_walk", .arg = 3 },
};

/*
 * The probes are registered (disarmed) while some user may move domains,
 * counted under hooks_lock; armed only during a move, under the driver's
 * ASID mutex.
 */
static DEFINE_MUTEX(hooks_lock);
static unsigned int hooks_users;
static unsigned int hooks_registered;
static bool hooks_armed;
static atomic64_t stat_armings;
static atomic64_t stat_arm_ns;

/* How long the probes stay armed after a move. */
#define BTM_PROBES_IDLE_MS	1000

static void btm_probes_idle(struct work_struct *work);
static DECLARE_DELAYED_WORK(disarm_work, btm_probes_idle);

/* @addr must be the entry of the driver function called @name. */
static int btm_check_entry(unsigned long addr, const char *name)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);

	if (!addr)
		return -ENOENT;
	sprint_symbol(sym, addr);
	if (strncmp(sym, name, len) || strncmp(sym + len, "+0x0/", 5)) {
		pr_err("the driver's %s is at %s; not hooking it\n", name, sym);
		return -EINVAL;
	}
	return 0;
}

static void btm_hooks_unregister(void)
{
	while (hooks_registered)
		unregister_kprobe(&hooks[--hooks_registered].kp);
	hooks_armed = false;
}

/* Register every probe, disarmed: nothing traps until a move arms them. */
static int btm_hooks_register(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < NR_HOOKS; i++) {
		ret = btm_check_entry(hook_addr[i], hooks[i].name);
		if (ret)
			goto unwind;
		memset(&hooks[i].kp, 0, sizeof(hooks[i].kp));
		hooks[i].kp.addr = (kprobe_opcode_t *)hook_addr[i];
		hooks[i].kp.pre_handler = btm_inv_hook_pre;
		hooks[i].kp.flags = KPROBE_FLAG_DISABLED;
		ret = register_kprobe(&hooks[i].kp);
		if (ret) {
			pr_err("cannot hook the driver's %s (%d)\n",
			       hooks[i].name, ret);
			goto unwind;
		}
		hooks_registered = i + 1;
	}
	return 0;

unwind:
	btm_hooks_unregister();
	return ret;
}

/**
 * btm_probes_get() - make moves possible from now on: place the probes a
 * move arms
 *
 * Context: process; btm_probes_init() succeeded.
 * Return: 0, or the error of a probe that could not be placed.
 */
int btm_probes_get(void)
{
	int ret = 0;

	mutex_lock(&hooks_lock);
	if (!hooks_users)
		ret = btm_hooks_register();
	if (!ret)
		hooks_users++;
	mutex_unlock(&hooks_lock);
	return ret;
}

/**
 * btm_probes_put() - undo btm_probes_get(); the last user's put removes
 * the probes
 *
 * Context: process; no move running for this user.
 */
void btm_probes_put(void)
{
	mutex_lock(&hooks_lock);
	if (!WARN_ON(!hooks_users) && !--hooks_users) {
		/* No move can queue it again: no user is left. */
		cancel_delayed_work_sync(&disarm_work);
		btm_hooks_unregister();
	}
	mutex_unlock(&hooks_lock);
}

/* Disarm the probes now. */
static void btm_probes_disarm_now(void)
{
	unsigned int i;

	lockdep_assert_held(btm_drv.asid_lock);
	if (!hooks_armed)
		return;
	for (i = 0; i < hooks_registered; i++)
		disable_kprobe(&hooks[i].kp);
	hooks_armed = false;
}

/* No move for BTM_PROBES_IDLE_MS: no invalidation should trap any more. */
static void btm_probes_idle(struct work_struct *work)
{
	mutex_lock(btm_drv.asid_lock);
	btm_probes_disarm_now();
	mutex_unlock(btm_drv.asid_lock);
}

/**
 * btm_probes_disarm() - a move is over: disarm the probes once no other
 * has followed it for BTM_PROBES_IDLE_MS
 *
 * Context: the driver's ASID mutex held.
 */
void btm_probes_disarm(void)
{
	lockdep_assert_held(btm_drv.asid_lock);
	if (hooks_armed)
		mod_delayed_work(system_wq, &disarm_work,
				 msecs_to_jiffies(BTM_PROBES_IDLE_MS));
}

/**
 * btm_probes_arm() - arm the probes for one move unless they still are,
 * then make every CPU pass a full barrier: see the top of this file for
 * why an invalidation already past its entry point needs no probe after
 * that
 *
 * Context: the driver's ASID mutex held.
 * Return: 0, or the error of a probe that could not be armed.
 */
int btm_probes_arm(void)
{
	unsigned int i;
	u64 t0;
	int ret;

	lockdep_assert_held(btm_drv.asid_lock);
	if (hooks_registered != NR_HOOKS)
		return -ENOENT;
	if (hooks_armed)
		return 0;
	t0 = ktime_get_ns();
	for (i = 0; i < NR_HOOKS; i++) {
		ret = enable_kprobe(&hooks[i].kp);
		if (ret) {
			while (i)
				disable_kprobe(&hooks[--i].kp);
			return ret;
		}
	}
	hooks_armed = true;
	kick_all_cpus_sync();
	atomic64_inc(&stat_armings);
	atomic64_add(ktime_get_ns() - t0, &stat_arm_ns);
	return 0;
}

/**
 * btm_probes_init() - where the probes go: the driver's invalidation entry
 * points
 *
 * Return: 0, or -ENOENT when the binding lacks what the move calls.
 */
int btm_probes_init(void)
{
	const struct iommu_ops *ops = btm_drv.ops;
	const struct iommu_domain_ops *dops = ops ? ops->default_domain_ops :
						    NULL;

	hook_addr[HOOK_IOTLB_SYNC] =
		(unsigned long)(dops ? dops->iotlb_sync : NULL);
	hook_addr[HOOK_FLUSH_ALL] =
		(unsigned long)(dops ? dops->flush_iotlb_all : NULL);
	hook_addr[HOOK_INV_CONTEXT] = btm_drv.tlb_inv_context_at;
	hook_addr[HOOK_INV_WALK] = btm_drv.tlb_inv_walk_at;
	return btm_drv.tlb_inv_asid ? 0 : -ENOENT;
}

/**
 * btm_probes_publish() - publish a move's targets to the probes
 * @m: the move
 * @asids: the ASIDs every invalidation must cover now
 * @n: how many: 2 during the move, 1 at its end
 *
 * Context: the driver's ASID mutex held; the domain's ASID already set
 * when @n is 1.
 */
void btm_probes_publish(struct btm_move *m, const u16 *asids, unsigned int n)
{
	unsigned long flags;

	/* The ASID is set before the record goes: see the top. */
	smp_mb();
	raw_spin_lock_irqsave(&moving.lock, flags);
	if (n == 2) {
		moving.smmu = m->smmu;
		moving.asid[0] = asids[0];
		moving.asid[1] = asids[1];
	}
	WRITE_ONCE(moving.domain, n == 2 ? m->smmu_domain : NULL);
	raw_spin_unlock_irqrestore(&moving.lock, flags);
}

/**
 * btm_probes_tlbi() - invalidate one of a move's ASIDs on its SMMU
 * @m: the move
 * @asid: the ASID
 */
void btm_probes_tlbi(struct btm_move *m, u16 asid)
{
	btm_drv.tlb_inv_asid(m->smmu, asid);
}

/**
 * btm_probes_read_stats() - what the probes have done so far
 * @stats: its probe fields filled in
 */
void btm_probes_read_stats(struct btm_move_stats *stats)
{
	unsigned int i;
	int cpu;

	stats->covers = atomic64_read(&stat_covers);
	stats->armings = atomic64_read(&stat_armings);
	stats->arm_ns = atomic64_read(&stat_arm_ns);
	stats->hooked = 0;
	for_each_possible_cpu(cpu)
		stats->hooked += per_cpu(stat_hooked, cpu);
	stats->missed = 0;
	mutex_lock(&hooks_lock);
	stats->hooks = hooks_registered;
	for (i = 0; i < hooks_registered; i++)
		stats->missed += hooks[i].kp.nmissed;
	mutex_unlock(&hooks_lock);
	stats->armed = READ_ONCE(hooks_armed);
	stats->covering = READ_ONCE(moving.domain);
	stats->needs_hooks = true;
}
