// SPDX-License-Identifier: GPL-2.0
/*
 * The invalidation shim: the mmu_notifier of the provider's SVA domains.
 *
 * arm64's TLB flushes of an mm call it once their own TLBIs are issued,
 * and on some paths before they have completed. Where the SMMU takes part
 * in the CPU's broadcast TLB maintenance and the domain is on the mm's own
 * ASID, those TLBIs reach the SMMU's TLB: the shim waits for them to
 * complete, then invalidates only ATS masters' ATCs, which no broadcast
 * reaches (an ATC refilled from an SMMU TLB entry the broadcast had yet to
 * remove would keep the stale translation); with no ATS master it sends
 * nothing, and costs what any mmu_notifier costs. Elsewhere it sends what
 * the stock driver sends. The commands are planned by src/core/inv_plan.c and go through the
 * driver's own command queue (src/driver/cmdq.c).
 *
 * Which masters an SVA domain's ATC invalidations reach, and how its CDs
 * are quiesced, differ by driver generation (btm_gen, src/gen/). When the
 * mm goes away while devices are still attached, each CD is kept valid but
 * made to fault (EPD0), so late DMA faults instead of walking freed
 * tables, and the ASID is invalidated explicitly: an exiting mm's
 * pages are unmapped without broadcast TLBIs. The domain itself is freed
 * after the notifier's SRCU grace period, once no callback can run.
 *
 * Its fallible steps are kept out of line and marked ALLOW_ERROR_INJECTION,
 * so that a debug kernel's fail_function can fail each in turn (the guest
 * test fault-inject-bind and fault-inject-move); elsewhere the mark is
 * empty.
 *
 * Design: doc/invalidation-shim.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/error-injection.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>

#include "cmdq.h"
#include "compat.h"
#include "driver_domain.h"
#include "driver_gen.h"
#include "generated/layout.h"
#include "inv_plan.h"
#include "sva_notifier.h"
#include "shim_route.h"
#include "sva_objects.h"

/* Offsets and sizes a generation may lack (-1 in the layout): 0 there. */
#define LAYOUT_NONNEG(name)	(BTM_##name > 0 ? BTM_##name : 0)
#define ATS_BIT			LAYOUT_NONNEG(BIT_arm_smmu_master__ats_enabled)
#define STREAM_BYTES		LAYOUT_NONNEG(SIZEOF_arm_smmu_stream)

/* A one-bit field from 6.10, a bool before. */
static bool master_ats(void *master)
{
	u8 byte;

	if (BTM_BIT_arm_smmu_master__ats_enabled < 0)
		return READ_ONCE(*(bool *)BTM_AT(master,
				BTM_OFF_arm_smmu_master__ats_enabled));
	byte = READ_ONCE(*(u8 *)BTM_AT(master, ATS_BIT / 8));
	return byte & BIT(ATS_BIT % 8);
}

/**
 * btm_shim_plan_master_atcs() - ATC invalidations for every ATS stream of
 * a master, at one SSID
 * @b: the batch
 * @master: the driver's master
 * @ssid: the substream
 * @start: the range's start
 * @size: its size (0: everything)
 *
 * Context: the lock of the master's list in its domain held.
 */
void btm_shim_plan_master_atcs(struct inv_batch *b, void *master, u32 ssid,
			       u64 start, u64 size)
{
	void *streams;
	unsigned int i, n;
	u32 sid;

	if (!master_ats(master))
		return;
	streams = *(void **)BTM_AT(master, BTM_OFF_arm_smmu_master__streams);
	n = *(unsigned int *)BTM_AT(master, BTM_OFF_arm_smmu_master__num_streams);
	for (i = 0; i < n; i++) {
		sid = *(u32 *)BTM_AT(streams, i * STREAM_BYTES +
				     BTM_OFF_arm_smmu_stream__id);
		inv_plan_atc(b, sid, ssid, start, size);
	}
}

/**
 * btm_shim_domain_ats() - whether a driver domain has a master with ATS
 * @sd: the driver's domain
 *
 * The driver counts the domain's ATS masters before it enables ATS on one:
 * read after a full barrier that follows the TLB invalidation's
 * completion, a count of 0 means no master whose ATS comes up later can
 * have cached the old entry. The stock driver skips the same way.
 *
 * Return: whether to invalidate ATCs of its masters.
 */
bool btm_shim_domain_ats(void *sd)
{
	return atomic_read(BTM_AT(sd, BTM_OFF_arm_smmu_domain__nr_ats_masters));
}

/*
 * Whether a master with ATS enabled may be attached with @sva, without a
 * lock: an ATS master attached after the read cannot have cached the
 * translation just invalidated. The barrier orders the completed TLB
 * invalidation before the reads of the ATS counts.
 */
static bool ats_possible(struct btm_sva *sva)
{
	/* The completed TLB invalidation, before the ATS counts' reads. */
	smp_mb();
	return btm_gen->sva_ats_possible(sva);
}

/* The ATC invalidations, after the same barrier. */
static void plan_atcs(struct inv_batch *b, struct btm_sva *sva, u64 start,
		      u64 size)
{
	/* The completed TLB invalidation, before the ATS counts' reads. */
	smp_mb();
	btm_gen->sva_plan_atcs(b, sva, start, size);
}

/*
 * What asked for an invalidation, for the counters: a CPU-side change; one
 * whose flush the SMMU did not snoop although the domain is on the BTM
 * path (7.x's local-only flushes); or the domain's own flush, which BTM
 * never replaces.
 */
enum inv_cause {
	INV_CPU,
	INV_CPU_LOCAL,
	INV_FLUSH,
};

/* Add @c to @p's counters, as @cause says. */
static void count(struct btm_provider *p, const struct inv_counts *c,
		  enum inv_cause cause)
{
	struct inv_counts *sum = get_cpu_ptr(p->counts);
	u64 cmds = c->tlbi + c->atc + c->sync;

	if (cause == INV_FLUSH) {
		sum->flushes++;
		sum->flush_cmds += cmds;
	} else {
		sum->seen += c->seen;
		sum->tlbi += c->tlbi;
		sum->atc += c->atc;
		sum->sync += c->sync;
		sum->avoided += c->avoided;
	}
	if (cause == INV_CPU_LOCAL) {
		sum->local += c->seen;
		sum->local_cmds += cmds;
	}
	put_cpu_ptr(p->counts);
}

/*
 * TLBIs, or with @broadcast none (the CPU's have completed); then the ATS
 * streams' ATCs and a sync, counted as @cause says.
 *
 * Out of line, so that only its callers that send commands pay for the
 * batch on the stack, which kernels built with CONFIG_INIT_STACK_ALL_ZERO
 * clear at every call (1 KiB): the BTM path's callbacks with no ATS master
 * do not.
 */
static noinline void invalidate(struct btm_sva *sva, bool broadcast,
				enum inv_cause cause, u64 start, u64 size)
{
	struct btm_provider *p = sva->p;
	struct inv_counts c = {};
	struct inv_batch b;
	int ret;

	inv_batch_init(&b, &p->inv, btm_cmdq_submit, p->smmu, &c);
	inv_plan_tlbi(&b, &p->inv, sva->asid, broadcast, start, size);
	plan_atcs(&b, sva, start, size);
	ret = inv_batch_sync(&b);
	count(p, &c, cause);
	if (ret)
		pr_warn_ratelimited("SVA invalidation of ASID %u failed (%d)\n",
				    sva->asid, ret);
}

/*
 * How the CPU flushed before this call: 7.x flushes some changes from its
 * own TLB only and calls the notifier all the same (src/gen/local_flush.c).
 */
static enum shim_cpu_flush cpu_flush(void)
{
	return btm_gen->local_flush_now ? btm_gen->local_flush_now() :
					  SHIM_FLUSH_BROADCAST;
}

static void sva_mn_invalidate(struct mmu_notifier *mn, struct mm_struct *mm,
			      unsigned long start, unsigned long end)
{
	struct btm_sva *sva = container_of(mn, struct btm_sva, mn);
	struct btm_provider *p = sva->p;
	u64 size = inv_range_size(&p->inv, start, end);
	bool btm = READ_ONCE(p->btm), on_cpu_asid = btm && sva->shared;
	/* The markers matter only where the SMMU could have snooped */
	enum shim_cpu_flush flush = on_cpu_asid ? cpu_flush() :
						  SHIM_FLUSH_UNKNOWN;

	/*
	 * Without BTM, off the CPU's ASID, or after a flush of the CPU's own
	 * TLB only (which the SMMU does not snoop): the stock commands.
	 */
	if (shim_route(btm, sva->shared, flush) == SHIM_ROUTE_STOCK) {
		invalidate(sva, false, on_cpu_asid ? INV_CPU_LOCAL : INV_CPU,
			   start, size);
		return;
	}
	btm_cpu_tlbi_complete();
	if (ats_possible(sva)) {
		invalidate(sva, true, INV_CPU, start, size);
		return;
	}
	/*
	 * The BTM path's common case: the SMMU took the CPU's broadcasts and
	 * no ATC can hold the range, so nothing is left to send. Only what
	 * the stock path would have sent is counted, on this CPU.
	 */
	this_cpu_inc(p->counts->seen);
	this_cpu_add(p->counts->avoided, inv_plan_avoided(&p->inv, start, size));
}

/**
 * btm_shim_flush() - invalidate the whole of an SVA domain's ASID and ATCs
 * @sva: the domain
 *
 * With commands, BTM or not: at a detach, an exit or a free the CPU sends
 * no broadcast for the ASID, which the CPU may later give another mm (it
 * flushes only its own TLBs then). Counted as a flush, not a CPU-side
 * invalidation.
 *
 * Context: any the driver issues commands from.
 */
void btm_shim_flush(struct btm_sva *sva)
{
	invalidate(sva, false, INV_FLUSH, 0, 0);
}

static void sva_mn_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct btm_sva *sva = container_of(mn, struct btm_sva, mn);

	btm_gen->sva_quiesce(sva);
	/* No broadcast will come for an exiting mm's pages: the whole ASID. */
	btm_shim_flush(sva);
	atomic_inc(&sva->p->released);
}

static void sva_mn_free(struct mmu_notifier *mn)
{
	struct btm_sva *sva = container_of(mn, struct btm_sva, mn);

	sva->free(sva);
}

static const struct mmu_notifier_ops sva_mn_ops = {
	.BTM_MN_INVALIDATE_SECONDARY = sva_mn_invalidate,
	.release = sva_mn_release,
	.free_notifier = sva_mn_free,
};

/**
 * btm_shim_init() - check that the bound driver has what the shim calls
 *
 * Return: 0, or -EOPNOTSUPP for a driver generation before 6.2, or -ENOENT
 * when the binding lacks a function the generation's shim calls.
 */
int btm_shim_init(void)
{
	int ret = btm_cmdq_init();

	if (ret)
		return ret;
	return btm_gen->shim_init ? btm_gen->shim_init() : -EOPNOTSUPP;
}

/**
 * btm_shim_local_get() - tell the CPU's local-only flushes from broadcast
 * ones from now on (one more user)
 *
 * Context: process.
 * Return: 0, or an error from the generation.
 */
int btm_shim_local_get(void)
{
	return btm_gen->local_flush_get ? btm_gen->local_flush_get() : 0;
}

/**
 * btm_shim_local_put() - undo btm_shim_local_get()
 *
 * Context: process.
 */
void btm_shim_local_put(void)
{
	if (btm_gen->local_flush_put)
		btm_gen->local_flush_put();
}

/**
 * btm_shim_register() - start invalidating for an SVA domain
 * @sva: the domain, its ASID set; its mm has a user
 *
 * Context: process, mmap_lock not held (it is taken for writing).
 * Return: 0, or the error of mmu_notifier_register().
 */
int btm_shim_register(struct btm_sva *sva)
{
	sva->mn.ops = &sva_mn_ops;
	return mmu_notifier_register(&sva->mn, sva->mm);
}

ALLOW_ERROR_INJECTION(btm_shim_register, ERRNO);

/**
 * btm_shim_put() - stop invalidating for an SVA domain, free it
 * @sva: a domain whose notifier is registered
 *
 * @sva->free() is called once no notifier callback can run any more.
 */
void btm_shim_put(struct btm_sva *sva)
{
	mmu_notifier_put(&sva->mn);
}

/**
 * btm_shim_exit() - wait until every SVA domain put has been freed
 *
 * Called at module exit: the frees run module code after the grace period.
 */
void btm_shim_exit(void)
{
	mmu_notifier_synchronize();
}
