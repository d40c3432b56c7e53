// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a live stage-1 DMA domain of the arm-smmu-v3 driver to a fresh
 * ASID: the protocol of src/asid_move.c, carried out on the driver's own
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
 * 7.x: every invalidation walks the domain's RCU array of invalidation
 *	targets (smmu_domain->invs) after a full barrier of its own. The move
 *	installs a copy with an INV_TYPE_S1_ASID entry for the new ASID added
 *	next to the old one, and at the end a copy with the old one's entry
 *	turned into the new one's; the arrays it replaces are freed after a
 *	grace period.
 *
 * The CDs are found before the move (btm_move_find_cds()). 6.2 to 6.9 keep
 * one CD table per domain, shared by its masters: the one CD to rewrite is
 * its SSID 0, through arm_smmu_write_ctx_desc(), which for a live CD
 * changes only the ASID and sends CMD_CFGI_CD for every master on the
 * domain's list. From 6.10 each master has its own table. Either way the
 * driver's CD writer (arm_smmu_write_cd_entry from 6.10) issues
 * CMD_CFGI_CD and CMD_SYNC itself for each CD it changes, so the
 * protocol's own CFGI and sync steps have nothing left to do. Attach,
 * detach and domain free all take the driver's ASID mutex, which the
 * caller holds for the whole move: the set of CDs
 * cannot change under it.
 */
/* Not KBUILD_MODNAME: the test module links this file too. */
#define pr_fmt(fmt) "smmu_btm: " fmt

#include <linux/atomic.h>
#include <linux/bitfield.h>
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
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "asid_move.h"
#include "domain_move.h"
#include "driver_domain.h"
#include "generated/layout.h"
#include "smmu_cd.h"

struct arm_smmu_cd;
struct arm_smmu_device;
struct arm_smmu_domain;
struct arm_smmu_master;

/* Driver functions the move calls, with the driver's own prototypes. */
struct btm_move_driver {
	struct arm_smmu_cd *(*get_cd_ptr)(struct arm_smmu_master *master,
					  u32 ssid);
	void (*write_cd_entry)(struct arm_smmu_master *master, int ssid,
			       struct arm_smmu_cd *cdptr,
			       const struct arm_smmu_cd *target);
	/* 6.2 to 6.9: cd is a struct arm_smmu_ctx_desc */
	int (*write_ctx_desc)(struct arm_smmu_domain *smmu_domain, int ssid,
			      void *cd);
	void (*tlb_inv_asid)(struct arm_smmu_device *smmu, u16 asid);
	void (*domain_inv_range)(struct arm_smmu_domain *smmu_domain,
				 unsigned long iova, size_t size,
				 unsigned int granule, bool leaf);
	struct xarray *asid_xa;
	/* The driver's ASID mutex: serialises moves, attach and detach */
	struct mutex *asid_lock;
	bool invs;
	bool cd_table;
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
 * The domain being moved, for the hooks (6.10+ without invalidation
 * arrays). The driver's ASID mutex serialises moves, so there is one.
 */
static struct {
	raw_spinlock_t lock;
	void *domain;
	struct arm_smmu_device *smmu;
	u16 asid[ASID_MOVE_MAX_TARGETS];
} moving = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(moving.lock),
};

static atomic64_t stat_moves, stat_undone, stat_covers;
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
	drv.tlb_inv_asid(smmu, asid[0]);
	drv.tlb_inv_asid(smmu, asid[1]);
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

static struct btm_inv_hook hooks[] = {
	{ .name = "arm_smmu_iotlb_sync", .arg = 0, .iommu_domain = true },
	{ .name = "arm_smmu_flush_iotlb_all", .arg = 0, .iommu_domain = true },
	{ .name = "arm_smmu_tlb_inv_context", .arg = 0 },
	{ .name = "arm_smmu_tlb_inv_walk", .arg = 3 },
};

static unsigned int hooks_registered;

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

static int btm_hooks_register(const struct btm_binding *binding)
{
	const struct iommu_ops *ops = (const void *)binding->addr[BTM_SYM_OPS];
	const struct iommu_domain_ops *dops = ops->default_domain_ops;
	unsigned long addr[ARRAY_SIZE(hooks)] = {
		(unsigned long)(dops ? dops->iotlb_sync : NULL),
		(unsigned long)(dops ? dops->flush_iotlb_all : NULL),
		binding->addr[BTM_SYM_TLB_INV_CONTEXT],
		binding->addr[BTM_SYM_TLB_INV_WALK],
	};
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		ret = btm_check_entry(addr[i], hooks[i].name);
		if (ret)
			goto unwind;
		memset(&hooks[i].kp, 0, sizeof(hooks[i].kp));
		hooks[i].kp.addr = (kprobe_opcode_t *)addr[i];
		hooks[i].kp.pre_handler = btm_inv_hook_pre;
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
	while (hooks_registered)
		unregister_kprobe(&hooks[--hooks_registered].kp);
	return ret;
}

/**
 * btm_move_init() - make domain moves possible on this kernel
 * @binding: the validated binding to the driver
 *
 * Context: process, at module load.
 * Return: 0; -EOPNOTSUPP for a driver generation without moves here; or
 * the error of a hook that could not be placed.
 */
int btm_move_init(const struct btm_binding *binding)
{
	if (binding->gen != BTM_DRIVER_CD_SHARED &&
	    binding->gen != BTM_DRIVER_DOMAIN && binding->gen != BTM_DRIVER_INVS)
		return -EOPNOTSUPP;
	drv.cd_table = binding->gen == BTM_DRIVER_CD_SHARED;
	drv.write_ctx_desc = (void *)binding->addr[BTM_SYM_WRITE_CTX_DESC];
	drv.get_cd_ptr = (void *)binding->addr[BTM_SYM_GET_CD_PTR];
	drv.write_cd_entry = (void *)binding->addr[BTM_SYM_WRITE_CD_ENTRY];
	drv.tlb_inv_asid = (void *)binding->addr[BTM_SYM_TLB_INV_ASID];
	drv.domain_inv_range = (void *)binding->addr[BTM_SYM_DOMAIN_INV_RANGE];
	drv.asid_xa = (void *)binding->addr[BTM_SYM_ASID_XA];
	drv.asid_lock = (void *)binding->addr[BTM_SYM_ASID_LOCK];
	drv.invs = binding->gen == BTM_DRIVER_INVS;
	if ((drv.cd_table ? !drv.write_ctx_desc :
			    !drv.get_cd_ptr || !drv.write_cd_entry) ||
	    !drv.asid_xa || !drv.asid_lock ||
	    (drv.invs ? !drv.domain_inv_range : !drv.tlb_inv_asid))
		return -ENOENT;
	return drv.invs ? 0 : btm_hooks_register(binding);
}

/**
 * btm_move_exit() - remove the hooks, and wait for every array to be freed
 *
 * Context: process, at module unload; no move may be running.
 */
void btm_move_exit(void)
{
	while (hooks_registered)
		unregister_kprobe(&hooks[--hooks_registered].kp);
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
	return drv.asid_lock;
}

/**
 * btm_move_asid_xa() - the driver's ASID xarray, global to its SMMUs
 *
 * Return: the xarray; NULL before btm_move_init() succeeded.
 */
struct xarray *btm_move_asid_xa(void)
{
	return drv.asid_xa;
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

	if (!drv.asid_lock || !(domain->type & __IOMMU_DOMAIN_PAGING) ||
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
 * the driver's own SVA (6.2 to 6.9), which no move may take.
 */
struct iommu_domain *btm_move_holder(void *entry)
{
	lockdep_assert_held(drv.asid_lock);
	if (!DRIVER_XA_HOLDS_CD)
		return domain_in(entry);
	if (*(struct mm_struct **)BTM_AT(entry, BTM_OFF_arm_smmu_ctx_desc__mm))
		return NULL;
	return domain_in((char *)entry - DOMAIN_CD_OFF);
}

/**
 * btm_move_mirror_driver_asids() - mark the driver's ASIDs taken in @aa
 * @aa: an SMMU's allocator
 * @foreign: owner recorded for ASIDs the driver holds that @aa did not know
 *
 * The driver hands out ASIDs from its own xarray, for all its SMMUs, and
 * frees them there. Every ASID the xarray holds becomes private in @aa;
 * every private ASID of @foreign that the xarray no longer holds is freed.
 *
 * Context: process; the driver's ASID mutex held.
 * Return: 0, or the error of the first ASID that could not be marked.
 */
int btm_move_mirror_driver_asids(struct asid_alloc *aa, void *foreign)
{
	unsigned long index;
	void *entry;
	u32 asid;
	int ret;

	lockdep_assert_held(drv.asid_lock);
	for (asid = 1; asid < aa->nr; asid++)
		if (asid_kind_of(aa, asid) == ASID_PRIVATE &&
		    asid_owner(aa, asid) == foreign &&
		    !xa_load(drv.asid_xa, asid))
			asid_free_private(aa, asid);
	xa_for_each(drv.asid_xa, index, entry) {
		if (index >= aa->nr ||
		    asid_kind_of(aa, index) != ASID_FREE)
			continue;
		ret = asid_reserve_private(aa, index, foreign);
		if (ret)
			return ret;
	}
	return 0;
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

/**
 * struct btm_move - one move in progress
 * @smmu_domain: the driver's domain
 * @smmu: its SMMU
 * @a: its ASID before the move
 * @b: its ASID after the move, once claimed
 * @before: 7.x: its invalidation array before the move (the driver's)
 * @during: 7.x: the same plus an entry for the new ASID
 * @after: 7.x: the array before, with the old ASID's entry on the new one
 * @published: the targets {old, new} were published: the move started
 * @cds: the CDs that reference the domain, as (master, SSID)
 * @nr_cds: how many
 */
struct btm_move {
	void *smmu_domain;
	struct arm_smmu_device *smmu;
	u16 a, b;
	void *before, *during, *after;
	bool published;
	struct btm_cd_ref *cds;
	unsigned int nr_cds;
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
static int btm_move_build_invs(struct btm_move *m, u16 b)
{
	void *old = rcu_dereference_protected(*domain_invs(m->smmu_domain),
					      lockdep_is_held(drv.asid_lock));
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
	struct arm_smmu_cd *cdptr = drv.get_cd_ptr(ref->master, ref->ssid);
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
 * 6.2 to 6.9: the driver's CD writer, given a copy of the domain's context
 * descriptor on @asid, changes only the ASID of its live SSID 0 CD (and
 * would write the whole CD from the copy, as the driver would, were it not
 * live), then sends CMD_CFGI_CD for every master and a sync.
 */
static int btm_move_write_ctx_desc(struct btm_move *m, u16 asid)
{
	u64 copy[CD_MAX_BYTES / 8];

	memcpy(copy, BTM_AT(m->smmu_domain, DOMAIN_CD_OFF), CTX_DESC_BYTES);
	*(u16 *)BTM_AT(copy, BTM_OFF_arm_smmu_ctx_desc__asid) = asid;
	return drv.write_ctx_desc(m->smmu_domain, 0, copy);
}

static int btm_move_write_cd_asid(void *ctx, void *cd, u16 asid)
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
	drv.write_cd_entry(ref->master, ref->ssid, cdptr, (void *)target);
	return 0;
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
 * Every CD that references the domain: those of its list of attached
 * masters (with their SSIDs), and the SSID-0 CD of every master of the
 * SMMU that holds the domain's ASID, which a private ASID is to one
 * domain alone. The 6.12 driver drops a device that joins a group whose
 * domain is set already from that domain's list (it adds the device, then
 * removes it again as if from an old domain), so the list alone would leave
 * that device's CD on the old ASID: it did, in QEMU, and its disk read
 * garbage. The stream tree has every master; its mutex is taken under the
 * ASID mutex and the driver never takes them the other way round.
 */
static int btm_move_find_cds(struct btm_move *m)
{
	struct list_head *head = BTM_AT(m->smmu_domain,
				    BTM_OFF_arm_smmu_domain__devices);
	struct rb_root *streams = BTM_AT(m->smmu, BTM_OFF_arm_smmu_device__streams);
	struct mutex *streams_mutex = BTM_AT(m->smmu,
					 BTM_OFF_arm_smmu_device__streams_mutex);
	unsigned int max = 0;
	struct btm_cd_ref ref;
	struct list_head *pos;
	struct rb_node *node;

	lockdep_assert_held(drv.asid_lock);
	if (drv.cd_table) {
		/* The domain's own table: its SSID 0, for every master. */
		m->cds = kzalloc(sizeof(*m->cds), GFP_KERNEL);
		if (!m->cds)
			return -ENOMEM;
		m->nr_cds = 1;
		return 0;
	}
	mutex_lock(streams_mutex);
	list_for_each(pos, head)
		max++;
	for (node = rb_first(streams); node; node = rb_next(node))
		max++;
	m->cds = kmalloc_array(max ?: 1, sizeof(*m->cds), GFP_KERNEL);
	if (!m->cds) {
		mutex_unlock(streams_mutex);
		return -ENOMEM;
	}
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
		if (!btm_move_has_cd(m, ref.master, 0) && btm_cd_on(&ref, m->a))
			m->cds[m->nr_cds++] = ref;
	}
	mutex_unlock(streams_mutex);
	return 0;
}

/* The driver's CD writer has issued CMD_CFGI_CD and CMD_SYNC already. */
static int btm_move_cfgi_cd(void *ctx, void *cd)
{
	return 0;
}

/* Every invalidation the move issues through the driver ends in a sync. */
static int btm_move_sync(void *ctx)
{
	return 0;
}

static int btm_move_tlbi_asid(void *ctx, u16 asid)
{
	struct btm_move *m = ctx;

	if (drv.invs)
		/* Whole-domain: both ASIDs of the array installed now. */
		drv.domain_inv_range(m->smmu_domain, 0, 0, 0, false);
	else
		drv.tlb_inv_asid(m->smmu, asid);
	return 0;
}

static int btm_move_claim_asid(void *ctx, u16 asid)
{
	struct btm_move *m = ctx;
	int ret;

	ret = xa_insert(drv.asid_xa, asid, domain_xa_entry(m->smmu_domain),
			GFP_KERNEL);
	if (ret)
		return ret;
	m->b = asid;
	if (drv.invs) {
		ret = btm_move_build_invs(m, asid);
		if (ret)
			xa_erase(drv.asid_xa, asid);
	}
	return ret;
}

static void btm_move_release_asid(void *ctx, u16 asid)
{
	xa_erase(drv.asid_xa, asid);
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
 * @aa: the allocator of the domain's SMMU, mirrored from the driver's
 * @domain: the domain, attached or not
 * @end: ASID_MOVE_FREE, or ASID_MOVE_PIN to give the old ASID to @owner;
 *	 for ASID_MOVE_FREE the driver's xarray forgets it too, for
 *	 ASID_MOVE_PIN the caller stores its owner there
 * @owner: the owner for ASID_MOVE_PIN
 * @from: set to the domain's ASID before the move
 * @to: set to its ASID after
 *
 * Context: process; the driver's ASID mutex held (btm_move_asid_lock()).
 * Return: 0, or a negative errno with the domain unchanged.
 */
int btm_move_domain(struct asid_alloc *aa, struct iommu_domain *domain,
		    enum asid_move_end end, void *owner, u16 *from, u16 *to)
{
	struct btm_move m = { .smmu_domain = smmu_domain_of(domain) };
	int ret;

	lockdep_assert_held(drv.asid_lock);
	ret = btm_move_domain_asid(domain, &m.a);
	if (ret)
		return ret;
	m.smmu = domain_smmu(m.smmu_domain);
	if (asid_kind_of(aa, m.a) != ASID_PRIVATE)
		return -EINVAL;
	ret = btm_move_find_cds(&m);
	if (ret)
		return ret;
	ret = asid_move_run(&btm_move_ops, &m, aa, m.a, end, owner, to);
	kfree(m.cds);
	if (drv.invs)
		btm_move_free_unused_invs(&m, !ret);
	if (ret) {
		/* A failed claim leaves nothing to undo. */
		if (m.published)
			atomic64_inc(&stat_undone);
		return ret;
	}
	if (end == ASID_MOVE_FREE)
		xa_erase(drv.asid_xa, m.a);
	atomic64_inc(&stat_moves);
	*from = m.a;
	return 0;
}

/**
 * btm_move_domain_cds() - how many masters' CDs a move of a domain changes
 * @domain: a stage-1 domain of the driver
 *
 * Context: process; the driver's ASID mutex held, which attach and detach
 * take to change the count.
 * Return: the number of CDs btm_move_find_cds() finds for @domain, or on
 * 6.2 to 6.9, where its masters share one, the masters on its list; 0 when
 * it is not a stage-1 domain or memory ran out.
 */
unsigned int btm_move_domain_cds(struct iommu_domain *domain)
{
	struct btm_move m = { .smmu_domain = smmu_domain_of(domain) };
	spinlock_t *lock = BTM_AT(m.smmu_domain,
				  BTM_OFF_arm_smmu_domain__devices_lock);
	struct list_head *head = BTM_AT(m.smmu_domain,
					BTM_OFF_arm_smmu_domain__devices);
	struct list_head *pos;
	unsigned long flags;
	unsigned int n = 0;

	if (btm_move_domain_asid(domain, &m.a))
		return 0;
	if (drv.cd_table) {
		spin_lock_irqsave(lock, flags);
		list_for_each(pos, head)
			n++;
		spin_unlock_irqrestore(lock, flags);
		return n;
	}
	m.smmu = domain_smmu(m.smmu_domain);
	if (btm_move_find_cds(&m))
		return 0;
	n = m.nr_cds;
	kfree(m.cds);
	return n;
}

/**
 * btm_move_read_stats() - what the moves and their hooks have done so far
 * @stats: filled in
 */
void btm_move_read_stats(struct btm_move_stats *stats)
{
	int cpu;

	stats->moves = atomic64_read(&stat_moves);
	stats->undone = atomic64_read(&stat_undone);
	stats->covers = atomic64_read(&stat_covers);
	stats->arrays = atomic_long_read(&stat_arrays);
	stats->hooked = 0;
	for_each_possible_cpu(cpu)
		stats->hooked += per_cpu(stat_hooked, cpu);
	stats->missed = 0;
	for (cpu = 0; cpu < hooks_registered; cpu++)
		stats->missed += hooks[cpu].kp.nmissed;
}
