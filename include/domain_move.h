/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving a live stage-1 DMA domain of the arm-smmu-v3 driver to a fresh
 * ASID, make-before-break (src/core/asid_move.c), and the hooks that make every
 * invalidation of a moving domain cover both of its ASIDs. 6.2+ drivers.
 */
#ifndef SMMU_BTM_DOMAIN_MOVE_H
#define SMMU_BTM_DOMAIN_MOVE_H

#include <linux/types.h>

#include "asid_alloc.h"
#include "binding.h"

struct iommu_domain;
struct mutex;
struct xarray;

/**
 * struct btm_move_stats - what the moves and their hooks did
 * @moves: moves completed
 * @undone: moves that failed and were undone
 * @busy: moves refused because a master's group was busy
 * @hooked: invalidations of any domain the hooks saw (6.2 to 6.x: the
 *	    drivers without invalidation arrays)
 * @missed: hits the kprobes missed (a probe hit while another ran)
 * @covers: invalidations of a moving domain that the hooks widened to
 *	    both of its ASIDs
 * @arrays: invalidation arrays allocated and not yet freed (7.x)
 * @armings: times the hooks were armed (a move that found them armed
 *	     does not count)
 * @arm_ns: time spent arming them, in all
 * @hooks: kprobes registered now (armed around moves only)
 * @armed: the kprobes are armed now
 * @covering: the kprobes widen a moving domain's invalidations now (only
 *	      during a move)
 * @needs_hooks: this driver generation moves with kprobes (not 7.x)
 */
struct btm_move_stats {
	u64 moves;
	u64 undone;
	u64 busy;
	u64 hooked;
	u64 missed;
	u64 covers;
	long arrays;
	u64 armings;
	u64 arm_ns;
	unsigned int hooks;
	bool armed;
	bool covering;
	bool needs_hooks;
};

int btm_move_init(void);
void btm_move_exit(void);
int btm_move_hooks_get(void);
void btm_move_hooks_put(void);
/* The driver's ASID mutex, which every move runs under */
struct mutex *btm_move_asid_lock(void);
struct xarray *btm_move_asid_xa(void);
int btm_move_domain_asid(struct iommu_domain *domain, u16 *asid);
struct iommu_domain *btm_move_holder(void *entry);
int btm_move_domain(struct asid_alloc *aa, struct iommu_domain *domain,
		    enum asid_move_end end, void *owner, u16 *from, u16 *to);
unsigned int btm_move_domain_cds(struct iommu_domain *domain);
void btm_move_read_stats(struct btm_move_stats *stats);

#endif /* SMMU_BTM_DOMAIN_MOVE_H */
