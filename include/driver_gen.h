/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the arm-smmu-v3 driver generations smmu-btm drives,
 * as one table of operations per generation (src/gen/), chosen once at
 * bind. Shared code calls through btm_gen and never tests a generation;
 * dropping a generation means deleting its file in src/gen/ (and, with the
 * last generation of a family, the family's file there).
 *
 * Every table is compiled for every kernel, so W=1 and sparse see them all;
 * layouts a kernel lacks read as 0 there (generated/layout.h), and only the
 * bound generation's table is ever used.
 *
 * Design: doc/binding.md.
 */
#ifndef SMMU_BTM_DRIVER_GEN_H
#define SMMU_BTM_DRIVER_GEN_H

#include <linux/types.h>

#include "btm_decision.h"
#include "shim_route.h"

struct arm_smmu_device;
struct btm_cd_ref;
struct btm_move;
struct btm_move_stats;
struct btm_provider_route;
struct btm_sva;
struct inv_batch;
struct iommu_domain;

/**
 * struct btm_gen_ops - one driver generation's ways
 * @gen: the generation
 * @s1_s2vmid_zero: the driver builds stage-1-only STEs with S2VMID 0 (it
 *		    zeroes an STE before it sets the stage-1 fields)
 * @cdt_in_master: 6.7, 6.8: an SVA CD goes into its master's CD table, not
 *		   into the DMA domain's (6.2 to 6.6)
 * @provider: how the SVA provider takes over SVA domains
 *	      (include/provider_route.h); NULL: it does not (6.1)
 * @sva_stage: 6.10+: the stage the driver gives its SVA domains
 *	       (enum arm_smmu_domain_stage)
 * @cmdq_issue: queue @n commands on the SMMU's main queue, then a CMD_SYNC
 *		with @sync, through the driver; NULL where smmu-btm sends none
 * @shim_init: check that the binding has what the shim calls (0, or
 *	       -ENOENT); NULL where there is no shim
 * @sva_ats_possible: whether a master with ATS enabled may be attached with
 *		      the SVA domain (after a full barrier)
 * @sva_plan_atcs: the ATC invalidations of every ATS stream the SVA domain
 *		   is attached with
 * @sva_quiesce: the SVA domain's mm is going away: make each of its CDs
 *		 fault, and keep it valid, before its tables are freed
 * @sva_attach_cd: 6.10+: attach an SVA domain's CD (its first four words)
 *		   to a master's PASID through the driver's attach path,
 *		   told the domain attached there before (@old) where the
 *		   driver wants it
 * @sva_domain_free: 6.10+: free what the driver's arm_smmu_domain_alloc()
 *		     allocated for a domain
 * @xa_holds_cd: 6.2 to 6.8: the driver's ASID xarray holds context
 *		 descriptors (a domain's, or a shared one of the driver's SVA,
 *		 which has its mm set), not domains
 * @move_init: check that the binding has what an ASID move calls, and
 *	       find where its cover goes (0, or -ENOENT); NULL: no moves
 * @move_cover_get: make moves possible from now on (the probes placed,
 *		    disarmed); NULL where invalidations need no help
 * @move_cover_put: undo @move_cover_get
 * @move_cover_arm: arm the cover for one move (unless it still is), under
 *		    the ASID mutex
 * @move_cover_disarm: the move is over: disarm the cover once no move has
 *		       followed for a while
 * @move_publish: make every invalidation of the moving domain from now on
 *		  cover @asids (2 during the move, 1 at its end)
 * @move_claimed: the move's new ASID @b is claimed: prepare what publishing
 *		  it needs; NULL: nothing
 * @move_finish: the move ended (@success or undone): free what it
 *		 prepared; NULL: nothing
 * @move_tlbi: invalidate one of the move's ASIDs, then sync
 * @move_find_cds: every CD that references the moving domain, held for the
 *		   move (released by the move)
 * @move_write_cd: rewrite one of those CDs on @asid, with its CMD_CFGI_CD
 * @move_cfgi: after every CD is rewritten: what else the SMMU may have
 *	       cached of them; NULL: nothing
 * @move_unlisted_cds: the CDs holding the domain's @asid that are not on
 *		       its list of masters; NULL: none can be
 * @move_read_stats: fill in what the cover did
 * @local_flush_get: 7.x: place the markers of the CPU's local-only flushes
 *		     that call the notifier (one more user); NULL: the CPU's
 *		     flushes that call it are all broadcast
 * @local_flush_put: undo @local_flush_get
 * @local_flush_now: how the CPU flushed before this notifier call
 */
struct btm_gen_ops {
	enum btm_driver_gen gen;
	bool s1_s2vmid_zero;
	bool cdt_in_master;
	const struct btm_provider_route *provider;
	u32 sva_stage;
	int (*cmdq_issue)(struct arm_smmu_device *smmu, void *cmds,
			  unsigned int n, bool sync);
	int (*shim_init)(void);
	bool (*sva_ats_possible)(struct btm_sva *sva);
	void (*sva_plan_atcs)(struct inv_batch *b, struct btm_sva *sva,
			      u64 start, u64 size);
	void (*sva_quiesce)(struct btm_sva *sva);
	int (*sva_attach_cd)(void *master, void *smmu_domain, u32 pasid,
			     __le64 *cd, struct iommu_domain *old);
	void (*sva_domain_free)(void *smmu_domain);
	bool xa_holds_cd;
	int (*move_init)(void);
	int (*move_cover_get)(void);
	void (*move_cover_put)(void);
	int (*move_cover_arm)(void);
	void (*move_cover_disarm)(void);
	void (*move_publish)(struct btm_move *m, const u16 *asids,
			     unsigned int n);
	int (*move_claimed)(struct btm_move *m, u16 b);
	void (*move_finish)(struct btm_move *m, bool success);
	void (*move_tlbi)(struct btm_move *m, u16 asid);
	int (*move_find_cds)(struct btm_move *m);
	int (*move_write_cd)(struct btm_move *m, struct btm_cd_ref *ref,
			     u16 asid);
	int (*move_cfgi)(struct btm_move *m);
	unsigned int (*move_unlisted_cds)(void *smmu_domain, u16 asid);
	void (*move_read_stats)(struct btm_move_stats *stats);
	int (*local_flush_get)(void);
	void (*local_flush_put)(void);
	enum shim_cpu_flush (*local_flush_now)(void);
};

extern const struct btm_gen_ops btm_gen_bond;
extern const struct btm_gen_ops btm_gen_s1_cfg;
extern const struct btm_gen_ops btm_gen_master_cd;
extern const struct btm_gen_ops btm_gen_domain;
extern const struct btm_gen_ops btm_gen_replace;
extern const struct btm_gen_ops btm_gen_invs;

/* The bound generation's table: set by btm_bind_symbols(), else NULL. */
extern const struct btm_gen_ops *btm_gen;

const struct btm_gen_ops *btm_gen_ops_of(enum btm_driver_gen gen);

/* 7.x: the CPU's local-only flushes (src/gen/local_flush.c). */
int btm_local_flush_get(void);
void btm_local_flush_put(void);
enum shim_cpu_flush btm_local_flush_now(void);

#endif /* SMMU_BTM_DRIVER_GEN_H */
