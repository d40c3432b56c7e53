/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ASID move's objects, shared by the move (src/domain_move.c) and the
 * driver generations' ways of carrying it out (src/gen/): one move in
 * progress, the CDs it rewrites, and what a generation's step may call
 * back.
 *
 * Design: doc/asid-move.md.
 */
#ifndef SMMU_BTM_MOVE_PRIVATE_H
#define SMMU_BTM_MOVE_PRIVATE_H

#include <linux/types.h>

#include "generated/layout.h"

struct arm_smmu_device;
struct arm_smmu_master;
struct asid_alloc;
struct iommu_group;
struct mutex;

/* Sizes of structures a generation may lack (-1 in the layout): 0 there. */
#define MOVE_LAYOUT_SIZE(s)	(BTM_SIZEOF_##s > 0 ? BTM_SIZEOF_##s : 0)
#define MOVE_CD_BYTES		MOVE_LAYOUT_SIZE(arm_smmu_cd)
#define MOVE_CTX_DESC_BYTES	MOVE_LAYOUT_SIZE(arm_smmu_ctx_desc)

/* The CD is copied whole, ASID changed; no driver's CD is larger. */
#define MOVE_CD_MAX_BYTES	64
static_assert(MOVE_CD_BYTES <= MOVE_CD_MAX_BYTES);
static_assert(MOVE_CTX_DESC_BYTES <= MOVE_CD_MAX_BYTES);

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

void btm_move_count_busy(void);

#endif /* SMMU_BTM_MOVE_PRIVATE_H */
