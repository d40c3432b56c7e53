/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smmu-btm's own entries in the arm-smmu-v3 driver's ASID table.
 *
 * The driver hands ASIDs out of one table for all its SMMUs (a global
 * xarray) and checks it, not any SMMU's allocator, before giving one out.
 * smmu-btm enters two kinds of ASID there:
 *
 *  - a CPU ASID that SVA domains on their mm's pinned ASID use: a reserved
 *    entry, so the driver never hands it out and its own SVA never takes
 *    it for one of its context descriptors; one entry however many SVA
 *    domains of that mm, on however many SMMUs, use it, so it goes with
 *    the last of them;
 *  - a private ASID, for an SVA domain that could not have its CPU ASID,
 *    as the stock driver gives one.
 *
 * The table only says that an ASID is taken, not by whom: these claims say
 * which entries are smmu-btm's, of which kind, and how many users a CPU
 * ASID has, in one place for every SMMU. Nothing else may put an entry
 * there for smmu-btm, nor take one of its entries away. Pure logic: the
 * table is reached through callbacks (the driver's xarray in the module, a
 * model of it in the host tests). The caller serialises every call with
 * the driver's own allocations (its ASID mutex).
 */
#ifndef SMMU_BTM_ASID_CLAIMS_H
#define SMMU_BTM_ASID_CLAIMS_H

#include <linux/types.h>

/* Whose entry an ASID of the driver's table is, as far as smmu-btm knows. */
enum asid_claim_kind {
	ASID_CLAIM_NONE,	/* not smmu-btm's (absent, or the driver's) */
	ASID_CLAIM_CPU,		/* a CPU ASID smmu-btm holds for SVA domains */
	ASID_CLAIM_PRIVATE,	/* a private ASID of one of its SVA domains */
};

/*
 * What the driver's table holds at one ASID, as the caller found it:
 * nothing; a stage-1 DMA domain of the driver on that ASID; or anything
 * else (a reservation, a context of the driver's own SVA, a domain that is
 * not on that ASID).
 */
enum asid_table_entry {
	ASID_TABLE_EMPTY,
	ASID_TABLE_DOMAIN,
	ASID_TABLE_OTHER,
};

/* How an SVA domain may come to use its mm's CPU ASID. */
enum asid_cpu_route {
	ASID_CPU_SHARE,		/* smmu-btm holds it as a CPU ASID: one more user */
	ASID_CPU_RESERVE,	/* free: reserve it */
	ASID_CPU_MOVE,		/* a DMA domain is on it: move that away first */
	ASID_CPU_REFUSED,	/* someone else's: a private ASID instead */
};

/**
 * struct asid_table_ops - the driver's ASID table, as the claims use it
 * @reserve: reserve @asid (an entry no lookup returns); -EBUSY when the
 *	     table has any entry at @asid, reserved or not
 * @alloc: store @entry (NULL: a reservation) at the lowest free ASID from 1
 *	   below @limit, and set @asid; -EBUSY when none is free
 * @erase: remove smmu-btm's entry at @asid
 * @zalloc: zeroed memory for the claims, or NULL
 * @free: give back what @zalloc gave
 */
struct asid_table_ops {
	int (*reserve)(void *ctx, u16 asid);
	int (*alloc)(void *ctx, void *entry, u32 limit, u16 *asid);
	void (*erase)(void *ctx, u16 asid);
	void *(*zalloc)(size_t size);
	void (*free)(void *ptr);
};

/**
 * struct asid_claims - smmu-btm's entries in the driver's ASID table
 * @ops: the table
 * @ctx: passed to @ops
 * @nr: ASIDs 1 to @nr - 1 can be claimed
 * @users: per ASID, 0 when not claimed, else its users (a private ASID
 *	   has one) and, in the top bit, whether it is a CPU ASID
 */
struct asid_claims {
	const struct asid_table_ops *ops;
	void *ctx;
	u32 nr;
	u32 *users;
};

int asid_claims_init(struct asid_claims *c, u32 nr,
		     const struct asid_table_ops *ops, void *ctx);
void asid_claims_destroy(struct asid_claims *c);
enum asid_claim_kind asid_claim_kind(const struct asid_claims *c, u16 asid);
enum asid_cpu_route asid_cpu_route(const struct asid_claims *c, u16 asid,
				   enum asid_table_entry entry);
int asid_claim_cpu(struct asid_claims *c, u16 asid);
void asid_unclaim_cpu(struct asid_claims *c, u16 asid);
int asid_claim_private(struct asid_claims *c, void *entry, u32 limit,
		       u16 *asid);
void asid_unclaim_private(struct asid_claims *c, u16 asid);
u32 asid_claims_count(const struct asid_claims *c, enum asid_claim_kind kind);

#endif /* SMMU_BTM_ASID_CLAIMS_H */
