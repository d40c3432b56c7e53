/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Make-before-break move of a stage-1 DMA domain from one private ASID to a
 * fresh one, so that its old ASID can be given to an SVA mm as the CPU's
 * ASID. A state machine over callbacks: the module drives the SMMU with it,
 * the host model (tests/model/) a simulated SMMU, with the same code. Pure
 * logic: no kernel dependencies.
 */
#ifndef SMMU_BTM_ASID_MOVE_H
#define SMMU_BTM_ASID_MOVE_H

#include <linux/types.h>

#include "asid_alloc.h"

/*
 * Most ASIDs a domain is invalidated under at once: its old and its new one
 * while it moves.
 */
#define ASID_MOVE_MAX_TARGETS	2

/**
 * struct asid_move_ops - what a move does to one domain and its SMMU
 * @publish_targets: make @asids (@n of them, at most ASID_MOVE_MAX_TARGETS)
 *		     the ASIDs that every invalidation of the domain issued
 *		     from now on covers. Cannot fail: the storage for two
 *		     ASIDs is the domain's own. Must be a release, ordered
 *		     after every CD write before it.
 * @next_cd: iterate the CDs that reference the domain, every master and
 *	     every SSID: the first for @cd NULL, the one after @cd otherwise,
 *	     NULL at the end. The set must not change during a move (the
 *	     caller holds the lock that attach and detach take).
 * @write_cd_asid: set the ASID in the CD @cd, in memory
 * @cfgi_cd: queue CMD_CFGI_CD for @cd
 * @sync: queue CMD_SYNC and wait for it: the commands before it are done
 * @tlbi_asid: queue CMD_TLBI_NH_ASID for @asid
 * @claim_asid: optional; pick the new ASID where ASIDs are really handed
 *		out (the driver's own allocator, global to its SMMUs), take
 *		it there and set @asid to it, before anything uses it. Without
 *		it the new ASID is the lowest free in the allocator. An error
 *		ends the move before it starts.
 * @release_asid: optional; give back what @claim_asid took, when the move
 *		  is undone or the allocator already holds it
 *
 * The int callbacks return 0 or a negative errno, which fails the move.
 */
struct asid_move_ops {
	void (*publish_targets)(void *ctx, const u16 *asids, unsigned int n);
	void *(*next_cd)(void *ctx, void *cd);
	int (*write_cd_asid)(void *ctx, void *cd, u16 asid);
	int (*cfgi_cd)(void *ctx, void *cd);
	int (*sync)(void *ctx);
	int (*tlbi_asid)(void *ctx, u16 asid);
	int (*claim_asid)(void *ctx, u16 *asid);
	void (*release_asid)(void *ctx, u16 asid);
};

int asid_move_run(const struct asid_move_ops *ops, void *ctx,
		  struct asid_alloc *aa, u16 a, enum asid_move_end end,
		  void *owner, u16 *b);
/**
 * enum asid_move_cd_side - what a CD found for a move holds
 * @ASID_MOVE_CD_OLD: a valid private CD on the move's old ASID
 * @ASID_MOVE_CD_NEW: a valid private CD on its new ASID
 * @ASID_MOVE_CD_FOREIGN: anything else: not the move's to write
 */
enum asid_move_cd_side {
	ASID_MOVE_CD_OLD,
	ASID_MOVE_CD_NEW,
	ASID_MOVE_CD_FOREIGN,
};

enum asid_move_cd_side asid_move_cd_side(u64 cd0, u16 a, u16 b);
u32 asid_move_limit(const struct asid_alloc *aa, unsigned int owner_bits);
size_t asid_move_array_source(size_t j, size_t at, u16 a, u16 b,
			      bool *is_new);

#endif /* SMMU_BTM_ASID_MOVE_H */
