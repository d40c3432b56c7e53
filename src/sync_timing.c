// SPDX-License-Identifier: GPL-2.0
/*
 * The CMD_SYNC round trip of each SMMU, timed on the board itself: the one
 * figure doc/performance.md's cost model needs from silicon. Without BTM,
 * every CPU-side flush of a bound mm waits for one CMD_SYNC per SMMU it is
 * bound through; with BTM it waits for none. Each sync is queued alone,
 * through the driver's own command queue, and timed by the CPU from the
 * call to the driver's return (the queue's consumer index passing it);
 * that is what a flush waits for. Triggered by writing a count to the
 * module's time_syncs parameter (smmu-btm-check -t does).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "cmdq.h"
#include "smmu_btm.h"

static DEFINE_MUTEX(timing_lock);

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Time @n syncs on @smmu into @ns, sorted; 0 or the driver's error. */
static int time_one(struct btm_smmu *smmu, u64 *ns, unsigned int n)
{
	unsigned int i;
	u64 t0;
	int ret;

	for (i = 0; i < n; i++) {
		t0 = ktime_get_ns();
		ret = btm_cmdq_submit(smmu->drv, NULL, 0, true);
		ns[i] = ktime_get_ns() - t0;
		if (ret)
			return ret;
		cond_resched();
	}
	sort(ns, n, sizeof(*ns), cmp_u64, NULL);
	return 0;
}

/**
 * btm_time_syncs() - time @n CMD_SYNCs, each alone, on every SMMU found
 * @state: the module's state
 * @n: syncs per SMMU, 1 to BTM_SYNC_TIMING_MAX
 *
 * The results go to each SMMU's @sync_timing, for the status file.
 *
 * Context: process; the module's state complete.
 * Return: 0; -EINVAL for a count out of range; -EOPNOTSUPP on a driver
 * whose command queue smmu-btm does not drive (6.1); -ENOMEM.
 */
int btm_time_syncs(struct btm_state *state, unsigned int n)
{
	struct btm_sync_timing r;
	struct btm_smmu *smmu;
	u64 *ns;
	int ret;

	if (!n || n > BTM_SYNC_TIMING_MAX)
		return -EINVAL;
	/* 6.1: smmu-btm does not drive that driver's command queue. */
	ret = btm_cmdq_init();
	if (ret)
		return ret;
	ns = kvmalloc_array(n, sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	mutex_lock(&timing_lock);
	list_for_each_entry(smmu, &state->smmus, node) {
		memset(&r, 0, sizeof(r));
		r.err = time_one(smmu, ns, n);
		if (!r.err) {
			r.n = n;
			r.min_ns = ns[0];
			r.median_ns = ns[n / 2];
			r.p99_ns = ns[(u64)n * 99 / 100];
			r.max_ns = ns[n - 1];
		}
		smmu->sync_timing = r;
		pr_info("smmu%u: %u CMD_SYNCs: median %llu ns, p99 %llu ns (error %d)\n",
			smmu->index, n, r.median_ns, r.p99_ns, r.err);
	}
	mutex_unlock(&timing_lock);
	kvfree(ns);
	return 0;
}

/**
 * btm_sync_timing_read() - the last timing of an SMMU's syncs
 * @smmu: the SMMU
 * @r: filled in; @r->n is 0 when none was made
 */
void btm_sync_timing_read(const struct btm_smmu *smmu,
			  struct btm_sync_timing *r)
{
	mutex_lock(&timing_lock);
	*r = smmu->sync_timing;
	mutex_unlock(&timing_lock);
}
