// SPDX-License-Identifier: GPL-2.0
/*
 * smmu-btm's own entries in the driver's ASID table: see
 * include/asid_claims.h. Pure logic: compiled into the module and into the
 * host tests, so it includes only headers tests/unit/include/ stands in for.
 *
 * Design: doc/asid-move.md.
 */
#include <linux/errno.h>
#include <linux/types.h>

#include "asid_claims.h"

#define CLAIM_CPU	0x80000000u
#define CLAIM_USERS	0x7fffffffu

static bool claim_in_range(const struct asid_claims *c, u16 asid)
{
	return asid && asid < c->nr;
}

/**
 * asid_claims_init() - no claim yet
 * @c: the claims
 * @nr: one more than the highest ASID the table takes (1 << 16)
 * @ops: the table
 * @ctx: passed to @ops
 *
 * Return: 0, or -ENOMEM.
 */
int asid_claims_init(struct asid_claims *c, u32 nr,
		     const struct asid_table_ops *ops, void *ctx)
{
	c->users = ops->zalloc(nr * sizeof(*c->users));
	if (!c->users)
		return -ENOMEM;
	c->ops = ops;
	c->ctx = ctx;
	c->nr = nr;
	return 0;
}

/**
 * asid_claims_destroy() - free the claims; the table keeps its entries
 * @c: the claims, every one given back
 */
void asid_claims_destroy(struct asid_claims *c)
{
	c->ops->free(c->users);
	c->users = NULL;
}

/**
 * asid_claim_kind() - is an ASID of the table smmu-btm's, and which kind
 * @c: the claims
 * @asid: any ASID
 *
 * Return: ASID_CLAIM_CPU, ASID_CLAIM_PRIVATE, or ASID_CLAIM_NONE for an
 * ASID smmu-btm does not hold (free in the table, or someone else's).
 */
enum asid_claim_kind asid_claim_kind(const struct asid_claims *c, u16 asid)
{
	u32 v;

	if (!claim_in_range(c, asid))
		return ASID_CLAIM_NONE;
	v = c->users[asid];
	if (!v)
		return ASID_CLAIM_NONE;
	return v & CLAIM_CPU ? ASID_CLAIM_CPU : ASID_CLAIM_PRIVATE;
}

/**
 * asid_cpu_route() - how an SVA domain may take its mm's CPU ASID
 * @c: the claims
 * @asid: the mm's pinned CPU ASID
 * @entry: what the driver's table holds at @asid
 *
 * The claims come first: a table entry that is smmu-btm's own is a CPU
 * ASID to share, or a private ASID of another SVA domain, never to be
 * shared or moved; only then does the table's entry decide. A CPU ASID is
 * pinned to one mm at a time, so a CPU claim on @asid is the same mm's.
 *
 * Return: the route.
 */
enum asid_cpu_route asid_cpu_route(const struct asid_claims *c, u16 asid,
				   enum asid_table_entry entry)
{
	switch (asid_claim_kind(c, asid)) {
	case ASID_CLAIM_CPU:
		return ASID_CPU_SHARE;
	case ASID_CLAIM_PRIVATE:
		return ASID_CPU_REFUSED;
	case ASID_CLAIM_NONE:
		break;
	}
	if (!claim_in_range(c, asid))
		return ASID_CPU_REFUSED;
	switch (entry) {
	case ASID_TABLE_EMPTY:
		return ASID_CPU_RESERVE;
	case ASID_TABLE_DOMAIN:
		return ASID_CPU_MOVE;
	default:
		return ASID_CPU_REFUSED;
	}
}

/**
 * asid_claim_cpu() - hold a CPU ASID for one more SVA domain
 * @c: the claims
 * @asid: the mm's pinned CPU ASID
 *
 * The first user reserves it in the table, which must have no entry there:
 * one of the driver's (a DMA domain must be moved off it first) or anyone
 * else's is never taken over. Later users, of any SMMU, share that entry.
 *
 * Return: 0; -EBUSY when the table or a private claim holds @asid;
 * -EINVAL out of range; -EOVERFLOW with no count left.
 */
int asid_claim_cpu(struct asid_claims *c, u16 asid)
{
	u32 v;
	int ret;

	if (!claim_in_range(c, asid))
		return -EINVAL;
	v = c->users[asid];
	if (v && !(v & CLAIM_CPU))
		return -EBUSY;
	if ((v & CLAIM_USERS) == CLAIM_USERS)
		return -EOVERFLOW;
	if (!v) {
		ret = c->ops->reserve(c->ctx, asid);
		if (ret)
			return ret;
	}
	c->users[asid] = CLAIM_CPU | ((v & CLAIM_USERS) + 1);
	return 0;
}

/**
 * asid_unclaim_cpu() - one SVA domain fewer on a CPU ASID
 * @c: the claims
 * @asid: an ASID asid_claim_cpu() gave this user
 *
 * The last user takes the reservation out of the table.
 */
void asid_unclaim_cpu(struct asid_claims *c, u16 asid)
{
	u32 v;

	if (asid_claim_kind(c, asid) != ASID_CLAIM_CPU)
		return;
	v = (c->users[asid] & CLAIM_USERS) - 1;
	c->users[asid] = v ? CLAIM_CPU | v : 0;
	if (!v)
		c->ops->erase(c->ctx, asid);
}

/**
 * asid_claim_private() - a private ASID for an SVA domain
 * @c: the claims
 * @entry: what the table stores for it (NULL: a reservation)
 * @limit: the SMMU's ASID count (1 << its ASID bits)
 * @asid: set to the ASID
 *
 * Return: 0, or the table's error (nothing claimed).
 */
int asid_claim_private(struct asid_claims *c, void *entry, u32 limit,
		       u16 *asid)
{
	int ret;

	if (limit > c->nr)
		limit = c->nr;
	ret = c->ops->alloc(c->ctx, entry, limit, asid);
	if (ret)
		return ret;
	if (!claim_in_range(c, *asid) || c->users[*asid]) {
		/* The table gave what it holds already: never share it. */
		return -EIO;
	}
	c->users[*asid] = 1;
	return 0;
}

/**
 * asid_unclaim_private() - give a private ASID back to the table
 * @c: the claims
 * @asid: an ASID asid_claim_private() gave
 */
void asid_unclaim_private(struct asid_claims *c, u16 asid)
{
	if (asid_claim_kind(c, asid) != ASID_CLAIM_PRIVATE)
		return;
	c->users[asid] = 0;
	c->ops->erase(c->ctx, asid);
}

/**
 * asid_claims_count() - how many ASIDs of a kind smmu-btm holds
 * @c: the claims
 * @kind: ASID_CLAIM_CPU or ASID_CLAIM_PRIVATE
 *
 * Return: the count (a scan: for the status and the tests, not a hot path).
 */
u32 asid_claims_count(const struct asid_claims *c, enum asid_claim_kind kind)
{
	u32 asid, n = 0;

	for (asid = 1; asid < c->nr; asid++)
		if (c->users[asid] && asid_claim_kind(c, asid) == kind)
			n++;
	return n;
}
