// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a live stage-1 DMA domain of the arm-smmu-v3 driver to a fresh
 * ASID: the protocol of src/core/asid_move.c, carried out on the driver's own
 * structures (layouts from BTF) with the driver's own CD writer.
 *
 * Where the driver reads the ASIDs it invalidates, and so how the move
 * publishes two of them (step 2 of the protocol):
 *
 * 6.2 to 6.x: the invalidation entry points (iotlb_sync, flush_iotlb_all
 *	and the io-pgtable walk and context flushes) read the domain's
 *	cd.asid and issue TLBIs for it alone. A kprobe on each entry point
 *	looks up the moving domain first and, when the call is for it,
 *	invalidates both ASIDs before the driver goes on. The probe runs
 *	after the caller's page-table writes and before the driver's read of
 *	cd.asid: it issues a full barrier, then reads the move record. The
 *	move sets cd.asid and then, after a full barrier, withdraws the
 *	record, so an entry point that no longer sees the record reads the
 *	new ASID; and the move publishes the record, then a full barrier,
 *	then writes the first CD, so an entry point that does not see the
 *	record yet wrote its page tables before any walk under the new ASID.
 *
 *	The probes are registered disarmed while a provider that may move
 *	domains is installed, and armed only for the duration of a move, so
 *	no invalidation pays a trap outside one. An invalidation already past
 *	an entry point when the probes are armed is covered all the same: it
 *	wrote its page tables before it got there, and the arming is followed
 *	by a barrier on every CPU (kick_all_cpus_sync()), so those writes are
 *	visible before the move writes its first CD, and every walk under the
 *	new ASID sees them; entries under the old ASID go with the move's
 *	TLBI of it.
 *
 * 7.x: every invalidation walks the domain's RCU array of invalidation
 *	targets (smmu_domain->invs) after a full barrier of its own. The move
 *	installs a copy with an INV_TYPE_S1_ASID entry for the new ASID added
 *	next to the old one, and at the end a copy with the old one's entry
 *	turned into the new one's; the arrays it replaces are freed after a
 *	grace period. No probe is needed.
 *
 * The new ASID comes from the driver's own ASID xarray (global to its
 * SMMUs, which is where the driver itself allocates), stored there for the
 * domain before anything uses it. The domain's ASIDs are entered in the
 * SMMU's allocator only for the move: they are the driver's.
 *
 * Finding the CDs (btm_move_find_cds()), and keeping them found:
 *
 * 6.2 to 6.6 keep one CD table per domain, shared by its masters: the one
 *	CD to rewrite is its SSID 0, through arm_smmu_write_ctx_desc(), which
 *	for a live CD changes only the ASID and sends CMD_CFGI_CD for every
 *	master on the domain's list. That list is not every master the SMMU
 *	may have cached the CD for: attach installs a master's STE before it
 *	adds the master to the list, and detach takes it off the list before
 *	its STE goes, each under the group's mutex and the domain's
 *	devices_lock, not the ASID mutex a move holds. So after the rewrite
 *	the move invalidates every cached configuration of the SMMU
 *	(CMD_CFGI_ALL and a sync), and no stream can keep the old CD.
 *
 * 6.7 and 6.8 give each master its own CD table, whose SSID 0 holds the
 *	domain's CD: the CDs to rewrite are the SSID 0 of each master on the
 *	domain's list, through arm_smmu_write_ctx_desc() on the master, under
 *	the domain's devices_lock as the driver's own ASID sharing does. A
 *	master's CD 0 is cleared by its detach (under its group's mutex, not
 *	the ASID mutex) only after the master has left the list, and is
 *	written by its attach under the ASID mutex, so each master on the
 *	list is rewritten while its CD is the domain's; one whose table is not
 *	set up yet (attach adds it to the list first) or whose CD 0 is not on
 *	the move's ASIDs is left alone. A master that left the list during the
 *	move may keep its CD 0 on the old ASID, its STE still live, until its
 *	detach completes: once the CDs are rewritten, the move looks at CD 0
 *	of every master of the SMMU's stream tree (under the tree's mutex,
 *	which removal takes before freeing a master or its tables) and fails,
 *	undone, if one still holds the old ASID, before it invalidates that
 *	ASID and gives it up.
 *
 * From 6.10 each master has its own CD table, and attach and detach change
 * a domain's list of masters and their CDs under the ASID mutex, which the
 * caller holds for the whole move. The CDs are those of the domain's list
 * (with their SSIDs), and the SSID-0 CD of every master of the SMMU's
 * stream tree that holds the domain's private ASID: the 6.12 driver leaves
 * a device that joins a group whose domain is set already out of that
 * domain's list. Such a master is not kept by the ASID mutex: the driver
 * clears its CD 0 after dropping the mutex when it leaves for an identity
 * or blocking domain, and frees it on removal without taking it. So the
 * move holds the stream tree's mutex from the search to the last CD write
 * (removal takes it before freeing a master), and the group mutex of each
 * such master (the core holds it over both); a group whose mutex another
 * task holds fails the move (-EBUSY) before anything changes: the driver
 * takes the ASID mutex under the group's, so under the ASID mutex a group's
 * can only be tried, never waited for; the stream tree's is never held
 * where the driver takes the ASID mutex. Either way the driver's CD writer
 * issues CMD_CFGI_CD and CMD_SYNC itself for each CD it changes.
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
#include <linux/bitfield.h>
#include <linux/error-injection.h>
#include <linux/iommu.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/rbtree.h>
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
#include "generated/layout.h"
#include "smmu_cd.h"
#include "smmu_cmds.h"

struct arm_smmu_cd;
struct arm_smmu_device;
struct arm_smmu_domain;
struct arm_smmu_master;

/* The probes' places: see btm_move_init(). */
enum { HOOK_IOTLB_SYNC, HOOK_FLUSH_ALL, HOOK_INV_CONTEXT, HOOK_INV_WALK,
	NR_HOOKS };

/*
 * What the bound generation means for a move, set by btm_move_init(); the
 * driver's functions themselves are in btm_drv.
 */
struct btm_move_driver {
	unsigned long hook_addr[NR_HOOKS];
	bool ready;
	bool invs;
	bool cd_table;
	bool master_cd;
};

static struct btm_move_driver drv;

/* Sizes of structures a generation may lack (-1 in the layout): 0 there. */
#define LAYOUT_SIZE(s)	(BTM_SIZEOF_##s > 0 ? BTM_SIZEOF_##s : 0)
#define CD_BYTES	LAYOUT_SIZE(arm_smmu_cd)
#define CTX_DESC_BYTES	LAYOUT_SIZE(arm_smmu_ctx_desc)
#define INV_BYTES	LAYOUT_SIZE(arm_smmu_inv)

/* The CD is copied whole, ASID changed; no driver's CD is larger. */
#define CD_MAX_BYTES	64
static_assert(CD_BYTES <= CD_MAX_BYTES && CTX_DESC_BYTES <= CD_MAX_BYTES);

/*
 * The domain being moved, for the hooks (6.2 to 6.x). The driver's ASID
 * mutex serialises moves, so there is one.
 */
static struct {
	raw_spinlock_t lock;
	void *domain;
	struct arm_smmu_device *smmu;
	u16 asid[ASID_MOVE_MAX_TARGETS];
} moving = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(moving.lock),
};

static atomic64_t stat_moves, stat_undone, stat_covers, stat_busy;
static DEFINE_PER_CPU(u64, stat_hooked);
static atomic_long_t stat_arrays;

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
}

/* Register every probe, disarmed: nothing traps until a move arms them. */
static int btm_hooks_register(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < NR_HOOKS; i++) {
		ret = btm_check_entry(drv.hook_addr[i], hooks[i].name);
		if (ret)
			goto unwind;
		memset(&hooks[i].kp, 0, sizeof(hooks[i].kp));
		hooks[i].kp.addr = (kprobe_opcode_t *)drv.hook_addr[i];
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
 * btm_move_hooks_get() - make moves possible from now on: place the probes
 * a move arms, on a driver that needs them
 *
 * Context: process; btm_move_init() succeeded.
 * Return: 0, or the error of a probe that could not be placed.
 */
int btm_move_hooks_get(void)
{
	int ret = 0;

	if (drv.invs)
		return 0;
	mutex_lock(&hooks_lock);
	if (!hooks_users)
		ret = btm_hooks_register();
	if (!ret)
		hooks_users++;
	mutex_unlock(&hooks_lock);
	return ret;
}

/**
 * btm_move_hooks_put() - undo btm_move_hooks_get(); the last user's put
 * removes the probes
 *
 * Context: process; no move running for this user.
 */
void btm_move_hooks_put(void)
{
	if (drv.invs)
		return;
	mutex_lock(&hooks_lock);
	if (!WARN_ON(!hooks_users) && !--hooks_users)
		btm_hooks_unregister();
	mutex_unlock(&hooks_lock);
}

static void btm_hooks_disarm(void)
{
	unsigned int i;

	lockdep_assert_held(btm_drv.asid_lock);
	if (!hooks_armed)
		return;
	for (i = 0; i < hooks_registered; i++)
		disable_kprobe(&hooks[i].kp);
	hooks_armed = false;
}

/*
 * Arm the probes for one move, then make every CPU pass a full barrier: see
 * the top of this file for why an invalidation already past its entry point
 * needs no probe after that.
 */
static int btm_hooks_arm(void)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(btm_drv.asid_lock);
	if (drv.invs)
		return 0;
	if (hooks_registered != NR_HOOKS)
		return -ENOENT;
	for (i = 0; i < NR_HOOKS; i++) {
		ret = enable_kprobe(&hooks[i].kp);
		if (ret) {
			while (i)
				disable_kprobe(&hooks[--i].kp);
			return ret;
		}
	}
	hooks_armed = true;
	atomic64_inc(&stat_armings);
	kick_all_cpus_sync();
	return 0;
}

/**
 * btm_move_init() - find what moving domains takes on this kernel
 * @binding: the validated binding to the driver
 *
 * Nothing is placed in the driver yet: btm_move_hooks_get() does that.
 *
 * Context: process, at load.
 * Return: 0, or -EOPNOTSUPP for a driver generation without moves here, or
 * -ENOENT when the binding lacks what the generation needs.
 */
int btm_move_init(const struct btm_binding *binding)
{
	const struct iommu_ops *ops = btm_drv.ops;
	const struct iommu_domain_ops *dops = ops ? ops->default_domain_ops :
						    NULL;
	int ret;

	if (binding->gen != BTM_DRIVER_S1_CFG &&
	    binding->gen != BTM_DRIVER_MASTER_CD &&
	    binding->gen != BTM_DRIVER_DOMAIN && binding->gen != BTM_DRIVER_INVS)
		return -EOPNOTSUPP;
	ret = btm_cmdq_init();
	if (ret)
		return ret;
	drv.master_cd = binding->gen == BTM_DRIVER_MASTER_CD;
	drv.cd_table = binding->gen == BTM_DRIVER_S1_CFG || drv.master_cd;
	drv.invs = binding->gen == BTM_DRIVER_INVS;
	drv.hook_addr[HOOK_IOTLB_SYNC] =
		(unsigned long)(dops ? dops->iotlb_sync : NULL);
	drv.hook_addr[HOOK_FLUSH_ALL] =
		(unsigned long)(dops ? dops->flush_iotlb_all : NULL);
	drv.hook_addr[HOOK_INV_CONTEXT] = btm_drv.tlb_inv_context_at;
	drv.hook_addr[HOOK_INV_WALK] = btm_drv.tlb_inv_walk_at;
	if ((drv.cd_table ? !btm_drv.write_ctx_desc :
			    !btm_drv.get_cd_ptr || !btm_drv.write_cd_entry) ||
	    !btm_drv.asid_xa || !btm_drv.asid_lock ||
	    (drv.invs ? !btm_drv.domain_inv_range : !btm_drv.tlb_inv_asid)) {
		memset(&drv, 0, sizeof(drv));
		return -ENOENT;
	}
	drv.ready = true;
	return 0;
}

/**
 * btm_move_exit() - wait for every array a move replaced to be freed
 *
 * Context: process, at unload; every btm_move_hooks_get() was put.
 */
void btm_move_exit(void)
{
	WARN_ON(hooks_users);
	rcu_barrier();
	memset(&drv, 0, sizeof(drv));
}

/**
 * btm_move_asid_lock() - the driver's ASID mutex, which a move runs under
 *
 * Return: the mutex; NULL before btm_move_init() succeeded.
 */
struct mutex *btm_move_asid_lock(void)
{
	return drv.ready ? btm_drv.asid_lock : NULL;
}

/**
 * btm_move_asid_xa() - the driver's ASID xarray, global to its SMMUs
 *
 * Return: the xarray; NULL before btm_move_init() succeeded.
 */
struct xarray *btm_move_asid_xa(void)
{
	return drv.ready ? btm_drv.asid_xa : NULL;
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

	if (!drv.ready || !(domain->type & __IOMMU_DOMAIN_PAGING) ||
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

/**
 * struct btm_cd_ref - a CD: the master whose table holds it, and its SSID
 * @master: the driver's master
 * @ssid: the substream
 */
struct btm_cd_ref {
	struct arm_smmu_master *master;
	u32 ssid;
};

/* The most groups of stream-tree masters one move holds. */
#define MOVE_MAX_GROUPS	8

/**
 * struct btm_move - one move in progress
 * @smmu_domain: the driver's domain
 * @smmu: its SMMU
 * @aa: the SMMU's allocator
 * @a: its ASID before the move
 * @b: its ASID after the move, once claimed
 * @before: 7.x: its invalidation array before the move (the driver's)
 * @during: 7.x: the same plus an entry for the new ASID
 * @after: 7.x: the array before, with the old ASID's entry on the new one
 * @published: the targets {old, new} were published: the move started
 * @written: 6.7, 6.8: the ASID the CDs were last rewritten to
 * @cds: the CDs that reference the domain, as (master, SSID)
 * @nr_cds: how many
 * @streams_mutex: 6.10+: the SMMU's stream tree's mutex, held from the
 *		   search for the CDs to the last CD write
 * @groups: the groups of masters found through the stream tree alone,
 *	    each held (its mutex and a reference) for as long
 * @nr_groups: how many
 */
struct btm_move {
	void *smmu_domain;
	struct arm_smmu_device *smmu;
	struct asid_alloc *aa;
	u16 a, b;
	void *before, *during, *after;
	bool published;
	u16 written;
	struct btm_cd_ref *cds;
	unsigned int nr_cds;
	struct mutex *streams_mutex;	/* see @streams_mutex above */
	struct iommu_group *groups[MOVE_MAX_GROUPS];
	unsigned int nr_groups;
};

/* --- 7.x invalidation arrays --- */

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
	rwlock_init((rwlock_t *)BTM_AT(copy, BTM_OFF_arm_smmu_invs__rwlock));
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
 * and after (the old entry's ASID changed to @b).
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
		return -ENOENT;
	m->before = old;
	m->during = invs_alloc_like(old, num + 1);
	m->after = invs_alloc_like(old, num);
	if (!m->during || !m->after)
		return -ENOMEM;
	for (i = 0, j = 0; i < num; i++) {
		void *inv = invs_entry(old, i);

		if (i == at && b < m->a) {
			memcpy(invs_entry(m->during, j), inv, INV_BYTES);
			*(u32 *)BTM_AT(invs_entry(m->during, j++), BTM_OFF_arm_smmu_inv__id) = b;
		}
		memcpy(invs_entry(m->during, j++), inv, INV_BYTES);
		if (i == at && b > m->a) {
			memcpy(invs_entry(m->during, j), inv, INV_BYTES);
			*(u32 *)BTM_AT(invs_entry(m->during, j++), BTM_OFF_arm_smmu_inv__id) = b;
		}
		memcpy(invs_entry(m->after, i), inv, INV_BYTES);
	}
	*(u32 *)BTM_AT(invs_entry(m->after, at), BTM_OFF_arm_smmu_inv__id) = b;
	return 0;
}

ALLOW_ERROR_INJECTION(btm_move_build_invs, ERRNO);

static void btm_move_free_unused_invs(struct btm_move *m, bool success)
{
	if (m->during && m->published)
		call_rcu(invs_rcu(m->during), invs_free_own);
	else if (m->during)
		invs_free_own(invs_rcu(m->during));
	if (success) {
		/* after is the driver's now, and before is no longer used */
		atomic_long_dec(&stat_arrays);
		call_rcu(invs_rcu(m->before), invs_free_drivers);
	} else if (m->after) {
		invs_free_own(invs_rcu(m->after));
	}
}

/* --- the protocol's callbacks --- */

static void btm_move_publish(void *ctx, const u16 *asids, unsigned int n)
{
	struct btm_move *m = ctx;
	unsigned long flags;

	m->published |= n == 2;
	if (n == 1)
		WRITE_ONCE(*domain_asid(m->smmu_domain), asids[0]);
	if (drv.invs) {
		void *invs = n == 2 ? m->during :
			     asids[0] == m->a ? m->before : m->after;

		rcu_assign_pointer(*domain_invs(m->smmu_domain), invs);
	} else {
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
	/* The targets, before the CD writes that follow. */
	smp_mb();
}

static void *btm_move_next_cd(void *ctx, void *cd)
{
	struct btm_move *m = ctx;
	struct btm_cd_ref *ref = cd ? (struct btm_cd_ref *)cd + 1 : m->cds;

	return ref < m->cds + m->nr_cds ? ref : NULL;
}

/* The CD of @ref, if it is a valid private CD on @asid. */
static struct arm_smmu_cd *btm_cd_on(struct btm_cd_ref *ref, u16 asid)
{
	struct arm_smmu_cd *cdptr = btm_drv.get_cd_ptr(ref->master, ref->ssid);
	__le64 cd0;

	if (!cdptr)
		return NULL;
	cd0 = READ_ONCE(*(__le64 *)cdptr);
	if (!(cd0 & cpu_to_le64(SMMU_CD0_V)) ||
	    !(cd0 & cpu_to_le64(SMMU_CD0_ASET)) ||
	    FIELD_GET(SMMU_CD0_ASID, le64_to_cpu(cd0)) != asid)
		return NULL;
	return cdptr;
}

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
	__le64 w;

	if (!cd0)
		return false;
	w = READ_ONCE(*cd0);
	return (w & cpu_to_le64(SMMU_CD0_V)) &&
	       (w & cpu_to_le64(SMMU_CD0_ASET)) &&
	       FIELD_GET(SMMU_CD0_ASID, le64_to_cpu(w)) == asid;
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

		if (master_cd0_on(master, m->a) || master_cd0_on(master, m->b))
			btm_drv.write_ctx_desc(master, 0, copy);
	}
	spin_unlock_irqrestore(lock, flags);
}

/*
 * 6.2 to 6.8: the driver's CD writer, given a copy of the domain's context
 * descriptor on @asid, changes only the ASID of a live SSID 0 CD (and
 * would write the whole CD from the copy, as the driver would, were it not
 * live), then sends CMD_CFGI_CD for every master using the table and a
 * sync. To 6.6 the domain's one table; from 6.7 each master's.
 */
static noinline int btm_move_write_ctx_desc(struct btm_move *m, u16 asid)
{
	u64 copy[CD_MAX_BYTES / 8];

	memcpy(copy, BTM_AT(m->smmu_domain, DOMAIN_CD_OFF), CTX_DESC_BYTES);
	*(u16 *)BTM_AT(copy, BTM_OFF_arm_smmu_ctx_desc__asid) = asid;
	if (drv.master_cd) {
		btm_move_write_masters(m, copy);
		m->written = asid;
		return 0;
	}
	return btm_drv.write_ctx_desc(m->smmu_domain, 0, copy);
}

ALLOW_ERROR_INJECTION(btm_move_write_ctx_desc, ERRNO);

/*
 * 6.7, 6.8: after the rewrite, fail the move if some master of the SMMU
 * still has its CD 0 on the old ASID (one that left the domain's list
 * during the move, its detach not done): see the top of this file.
 */
static noinline int btm_move_check_masters(struct btm_move *m)
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
		atomic64_inc(&stat_busy);
	return ret;
}

ALLOW_ERROR_INJECTION(btm_move_check_masters, ERRNO);

static noinline int btm_move_write_cd_asid(void *ctx, void *cd, u16 asid)
{
	struct btm_move *m = ctx;
	struct btm_cd_ref *ref = cd;
	__le64 target[CD_MAX_BYTES / 8] = {};
	struct arm_smmu_cd *cdptr;

	if (drv.cd_table)
		return btm_move_write_ctx_desc(m, asid);

	/* Only ever rewrite a valid private CD on one of the move's ASIDs. */
	cdptr = btm_cd_on(ref, m->a);
	if (!cdptr)
		cdptr = btm_cd_on(ref, m->b);
	if (!cdptr) {
		pr_err("CD of SSID %u holds no private ASID %u; not moving it\n",
		       ref->ssid, m->a);
		return -EIO;
	}
	memcpy(target, cdptr, CD_BYTES);
	target[0] &= ~cpu_to_le64(SMMU_CD0_ASID);
	target[0] |= cpu_to_le64(FIELD_PREP(SMMU_CD0_ASID, asid));
	btm_drv.write_cd_entry(ref->master, ref->ssid, cdptr,
			       (const struct arm_smmu_cd *)target);
	return 0;
}

ALLOW_ERROR_INJECTION(btm_move_write_cd_asid, ERRNO);

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

/*
 * Every CD that references the domain, held until btm_move_put_cds(): see
 * the top of this file for what is found and why each part is held.
 */
static noinline int btm_move_find_cds(struct btm_move *m)
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
	if (drv.cd_table) {
		/* The domain's own table: its SSID 0, for every master. */
		m->cds = kzalloc(sizeof(*m->cds), GFP_KERNEL);
		if (!m->cds)
			return -ENOMEM;
		m->nr_cds = 1;
		return 0;
	}
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
			atomic64_inc(&stat_busy);
			return ret;
		}
		/* Read again now that the group is held: it may have left. */
		if (btm_cd_on(&ref, m->a))
			m->cds[m->nr_cds++] = ref;
	}
	return 0;
}

ALLOW_ERROR_INJECTION(btm_move_find_cds, ERRNO);

/*
 * The driver's CD writer has issued CMD_CFGI_CD and CMD_SYNC already, for
 * the masters on the domain's list; 6.2 to 6.6 also drop every cached
 * configuration of the SMMU, for masters between their STE and the list;
 * 6.7 and 6.8 check that no master is left on the old ASID.
 */
static noinline int btm_move_cfgi_cd(void *ctx, void *cd)
{
	struct btm_move *m = ctx;
	struct smmu_cmd cmd;

	if (!drv.cd_table)
		return 0;
	if (drv.master_cd)
		return btm_move_check_masters(m);
	smmu_cmd_cfgi_all(&cmd);
	return btm_cmdq_submit(m->smmu, &cmd, 1, true);
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
	struct btm_move *m = ctx;

	if (drv.invs)
		/* Whole-domain: both ASIDs of the array installed now. */
		btm_drv.domain_inv_range(m->smmu_domain, 0, 0, 0, false);
	else
		btm_drv.tlb_inv_asid(m->smmu, asid);
	return 0;
}

ALLOW_ERROR_INJECTION(btm_move_tlbi_asid, ERRNO);

/* The new ASID, from the driver's own xarray, stored there for the domain. */
static noinline int btm_move_claim_asid(void *ctx, u16 *asid)
{
	struct btm_move *m = ctx;
	u32 id;
	int ret;

	ret = xa_alloc(btm_drv.asid_xa, &id, domain_xa_entry(m->smmu_domain),
		       XA_LIMIT(1, m->aa->nr - 1), GFP_KERNEL);
	if (ret)
		return ret;
	m->b = id;
	*asid = id;
	if (drv.invs) {
		ret = btm_move_build_invs(m, id);
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
 * @aa: the allocator of the domain's SMMU
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
	ret = btm_hooks_arm();
	if (!ret)
		ret = btm_move_find_cds(&m);
	if (!ret)
		ret = asid_move_run(&btm_move_ops, &m, aa, m.a, end, owner, to);
	btm_move_put_cds(&m);
	btm_hooks_disarm();
	if (drv.invs)
		btm_move_free_unused_invs(&m, !ret);
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
 * on its list (sharing one CD to 6.6); 0 when it is not a
 * stage-1 domain.
 */
unsigned int btm_move_domain_cds(struct iommu_domain *domain)
{
	void *sd = smmu_domain_of(domain);
	spinlock_t *lock = BTM_AT(sd, BTM_OFF_arm_smmu_domain__devices_lock);
	struct list_head *head = BTM_AT(sd, BTM_OFF_arm_smmu_domain__devices);
	struct arm_smmu_device *smmu;
	struct mutex *streams_mutex;	/* the SMMU's stream tree's */
	struct btm_cd_ref ref = {};
	struct list_head *pos;
	struct rb_node *node;
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
	if (drv.cd_table)
		return n;
	smmu = domain_smmu(sd);
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

/**
 * btm_move_read_stats() - what the moves and their hooks have done so far
 * @stats: filled in
 */
void btm_move_read_stats(struct btm_move_stats *stats)
{
	unsigned int i;
	int cpu;

	stats->moves = atomic64_read(&stat_moves);
	stats->undone = atomic64_read(&stat_undone);
	stats->busy = atomic64_read(&stat_busy);
	stats->covers = atomic64_read(&stat_covers);
	stats->arrays = atomic_long_read(&stat_arrays);
	stats->armings = atomic64_read(&stat_armings);
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
	stats->needs_hooks = !drv.invs;
}
