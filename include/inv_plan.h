/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands one CPU-side invalidation of an SVA domain's mm costs the
 * SMMU's command queue: none for TLBs where the SMMU takes part in the
 * CPU's broadcasts (BTM) on the mm's own ASID, else what the stock driver
 * sends (range TLBIs up to its threshold, else the whole ASID); ATC
 * invalidations for ATS masters in both cases. Pure logic: no kernel
 * dependencies; compiled into the module and into the host tests.
 */
#ifndef SMMU_BTM_INV_PLAN_H
#define SMMU_BTM_INV_PLAN_H

#include <linux/types.h>

#include "smmu_cmds.h"

/* Commands handed to the queue at once, as the driver batches them. */
#define INV_BATCH_CMDS	64

/**
 * struct inv_smmu - what planning needs to know of one SMMU
 * @range_inv: SMMU_IDR3.RIL: TLBIs may name a range of pages
 * @el2: stage-1 contexts are in the EL2-E2H StreamWorld (SMMU_CR2.E2H), so
 *	 the CMD_TLBI_EL2_* forms
 * @page_shift: the CPU's page size, log2 (12, 14 or 16): the granule of
 *		an mm's mappings
 * @force_sync: the queue needs a CMD_SYNC after at most 63 other commands
 *		(the driver's ARM_SMMU_OPT_CMDQ_FORCE_SYNC, Arm MMU-700
 *		erratum 2812531)
 */
struct inv_smmu {
	bool range_inv;
	bool el2;
	unsigned int page_shift;
	bool force_sync;
};

/**
 * struct inv_counts - what invalidations cost, and what BTM saved
 * @seen: invalidations planned
 * @tlbi: TLBI commands sent
 * @atc: ATC_INV commands sent
 * @sync: CMD_SYNCs sent
 * @avoided: commands (TLBIs and their CMD_SYNC) the stock path would have
 *	     sent and broadcast maintenance made unnecessary
 * @flushes: whole-ASID invalidations of an SVA domain's own, at its
 *	     detach, its mm's exit and its free, which no CPU-side change
 *	     asked for; counted apart by their user, not by the plan, and
 *	     their commands in @flush_cmds rather than above
 * @flush_cmds: the commands those sent
 * @local: of @seen, the invalidations of a domain on its mm's CPU ASID,
 *	   under BTM, that followed a flush of the CPU's own TLB only (7.x)
 *	   or one that could not be told from it: no SMMU snooped it, so
 *	   they were sent as the stock path sends them
 * @local_cmds: the commands those sent (counted above as well)
 */
struct inv_counts {
	u64 seen;
	u64 tlbi;
	u64 atc;
	u64 sync;
	u64 avoided;
	u64 flushes;
	u64 flush_cmds;
	u64 local;
	u64 local_cmds;
};

/**
 * typedef inv_submit_fn - hand commands to the SMMU's command queue
 * @ctx: the batch's context
 * @cmds: the commands, in order
 * @n: how many (0 only with @sync)
 * @sync: follow them with a CMD_SYNC and wait for its completion
 *
 * Return: 0, or a negative errno (the queue reported an error).
 */
typedef int (*inv_submit_fn)(void *ctx, struct smmu_cmd *cmds,
			     unsigned int n, bool sync);

/**
 * struct inv_batch - commands gathered for one submission
 * @cmd: the commands not yet submitted
 * @n: how many of @cmd are used
 * @unsynced: commands were submitted since the last CMD_SYNC
 * @force_sync: a full batch is submitted at 63 commands, with a CMD_SYNC
 * @submit: where they go
 * @ctx: passed to @submit
 * @counts: what is sent is added here
 * @err: the first error @submit returned, else 0
 */
struct inv_batch {
	struct smmu_cmd cmd[INV_BATCH_CMDS];
	unsigned int n;
	bool unsynced;
	bool force_sync;
	inv_submit_fn submit;
	void *ctx;
	struct inv_counts *counts;
	int err;
};

void inv_batch_init(struct inv_batch *b, const struct inv_smmu *s,
		    inv_submit_fn submit, void *ctx, struct inv_counts *counts);
int inv_batch_sync(struct inv_batch *b);
u64 inv_range_size(const struct inv_smmu *s, u64 start, u64 end);
u64 inv_plan_avoided(const struct inv_smmu *s, u64 start, u64 size);
void inv_plan_tlbi(struct inv_batch *b, const struct inv_smmu *s, u16 asid,
		   bool broadcast, u64 start, u64 size);
void inv_plan_atc(struct inv_batch *b, u32 sid, u32 ssid, u64 start,
		  u64 size);

#endif /* SMMU_BTM_INV_PLAN_H */
