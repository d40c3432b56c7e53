// SPDX-License-Identifier: GPL-2.0
/*
 * Make-before-break ASID move: see include/asid_move.h. Pure logic:
 * compiled into the module and into the host unit tests and model.
 *
 * The protocol, for a domain moving from ASID a to ASID b (the SMMU
 * specification's ASID rollover sequence, IHI 0070 section 3.17):
 *
 *  1. Reserve b, and mark a moving: both are the domain's until the end,
 *     so neither can be given to anyone else while the SMMU may still hold
 *     the domain's TLB entries under it.
 *  2. Publish the invalidation targets {a, b}, before any CD changes. From
 *     the first CD rewrite on, devices fill the TLB under b while entries
 *     under a stay live: an unmap that invalidated only one of them would
 *     leave a stale translation under the other.
 *  3. Rewrite every CD that references the domain to b, each followed by
 *     CMD_CFGI_CD and CMD_SYNC: after the sync the SMMU can no longer use
 *     the CD's old copy, so no walk fills the TLB under a through it.
 *  4. CMD_TLBI_NH_ASID a and CMD_SYNC, only after the last CD's sync: before
 *     that, walks through CDs still on a could refill a at once.
 *  5. Publish the targets {b}: nothing is cached under a any more, and
 *     nothing can cache under it again.
 *  6. Only now settle a (pin it for the SVA mm, or free it): given away
 *     earlier, its new holder could hit the domain's entries under a.
 *
 * An unmap clears its page table entry first, then reads the published
 * targets and invalidates each. It may read the targets of a step just
 * before or just after: reading {a} before step 2 is safe because every
 * walk under b comes after step 2, so after the entry was cleared; reading
 * {a, b} after step 5 only over-invalidates.
 *
 * The upstream move (2024) published b and rewrote the CDs with no window
 * covering both, and the 6.6 driver invalidated a only after the CDs:
 * either way an unmap in the middle invalidated b alone while entries
 * under a were live. tests/model/ runs both orders and shows that its
 * checks catch them.
 *
 * Design: doc/asid-move.md.
 */
#include <linux/errno.h>
#include <linux/types.h>

#include "asid_move.h"
#include "smmu_cd.h"

/*
 * Undo a move that failed in step 3 or 4: every CD up to and including
 * @last (all of them when @last is NULL) back on @a, each with CFGI and
 * sync; then TLBI @b, because the devices may have filled it and it is
 * about to be free for another domain; then the targets {@a}, and only
 * then @b released and @a private again. The targets stay {@a, @b} until
 * no entry under @b is left, for the same reason as in the forward
 * direction. The undo's own errors are not acted upon: the SMMU not
 * completing commands is what failed the move, and there is no better
 * state to go back to than the one these same commands aim at.
 */
static void asid_move_undo(const struct asid_move_ops *ops, void *ctx,
			   struct asid_alloc *aa, u16 a, u16 b, void *last)
{
	void *cd = NULL;

	while ((cd = ops->next_cd(ctx, cd))) {
		ops->write_cd_asid(ctx, cd, a);
		ops->cfgi_cd(ctx, cd);
		ops->sync(ctx);
		if (cd == last)
			break;
	}
	ops->tlbi_asid(ctx, b);
	ops->sync(ctx);
	ops->publish_targets(ctx, &a, 1);
	if (ops->release_asid)
		ops->release_asid(ctx, b);
	asid_free_private(aa, b);
	asid_end_move(aa, a, ASID_MOVE_ABORT, NULL);
}

/**
 * asid_move_run() - move a DMA domain from ASID @a to a fresh one
 * @ops: the callbacks that act on the domain and its SMMU
 * @ctx: passed to every callback
 * @aa: the SMMU's allocator; the caller holds the lock that serialises it
 *	for the whole move
 * @a: the domain's ASID, ASID_PRIVATE
 * @end: what @a becomes once the domain is off it: ASID_MOVE_PIN (for an
 *	 SVA mm whose CPU ASID is @a) or ASID_MOVE_FREE
 * @owner: the mm for ASID_MOVE_PIN
 * @b: set to the domain's new ASID on success
 *
 * Runs the protocol described at the top of this file. On failure the
 * domain is as before: all its CDs on @a, targets {@a}, @a private, the
 * new ASID released.
 *
 * Return: 0; -EINVAL if @a is not private or @end is neither of those two;
 * -ENOSPC if no ASID is free, @ops->claim_asid's error, or -EBUSY when it
 * claimed an ASID the allocator holds (nothing was changed); or the first
 * error a callback returned (the move was undone).
 */
int asid_move_run(const struct asid_move_ops *ops, void *ctx,
		  struct asid_alloc *aa, u16 a, enum asid_move_end end,
		  void *owner, u16 *b)
{
	u16 targets[ASID_MOVE_MAX_TARGETS];
	void *cd = NULL;
	int ret;

	if (end != ASID_MOVE_PIN && end != ASID_MOVE_FREE)
		return -EINVAL;
	/* 1 */
	ret = asid_begin_move(aa, a);
	if (ret)
		return ret;
	if (ops->claim_asid) {
		ret = ops->claim_asid(ctx, &targets[1]);
		if (!ret) {
			ret = asid_reserve_private(aa, targets[1],
						   asid_owner(aa, a));
			/* The outside allocator gave one of the allocator's. */
			if (ret)
				ops->release_asid(ctx, targets[1]);
		}
	} else {
		ret = asid_alloc_private(aa, asid_owner(aa, a), &targets[1]);
	}
	if (ret) {
		asid_end_move(aa, a, ASID_MOVE_ABORT, NULL);
		return ret;
	}
	/* 2 */
	targets[0] = a;
	ops->publish_targets(ctx, targets, 2);
	/* 3 */
	while ((cd = ops->next_cd(ctx, cd))) {
		ret = ops->write_cd_asid(ctx, cd, targets[1]);
		if (!ret)
			ret = ops->cfgi_cd(ctx, cd);
		if (!ret)
			ret = ops->sync(ctx);
		if (ret)
			goto undo;
	}
	/* 4 */
	ret = ops->tlbi_asid(ctx, a);
	if (!ret)
		ret = ops->sync(ctx);
	if (ret)
		goto undo;
	/* 5 */
	ops->publish_targets(ctx, &targets[1], 1);
	/* 6 */
	asid_end_move(aa, a, end, owner);
	*b = targets[1];
	return 0;

undo:
	asid_move_undo(ops, ctx, aa, a, targets[1], cd);
	return ret;
}

/**
 * asid_move_limit() - the ASIDs a move may pick a domain's new ASID from
 * @aa: the allocator the move runs in, which holds the new ASID for the
 *	move too
 * @owner_bits: the ASID width of the SMMU the domain belongs to
 *
 * The new ASID goes into the CDs of the domain's own SMMU, whose width
 * may be narrower than that of @aa's SMMU: an SVA bind through one SMMU
 * moves a DMA domain of another off its CPU ASID. An ASID past the
 * owner's width would alias another domain's there, or be a bad CD.
 *
 * Return: one past the highest ASID the move may take.
 */
u32 asid_move_limit(const struct asid_alloc *aa, unsigned int owner_bits)
{
	u32 owner_nr = 1U << (owner_bits < 16 ? owner_bits : 16);

	return aa->nr < owner_nr ? aa->nr : owner_nr;
}

/**
 * asid_move_array_source() - where an entry of the invalidation array a
 * move installs on 7.x comes from
 * @j: the entry's index in the new array, one entry longer than the old
 * @at: the index of the old ASID's entry in the old array
 * @a: the old ASID
 * @b: the new ASID, not @a
 * @is_new: set when the entry is the old ASID's, copied to take @b
 *
 * The driver keeps the array sorted by SMMU, type, then ASID, and its
 * invalidations rely on the order: the copy for @b goes right before the
 * old ASID's entry when @b is lower, right after it when higher; every
 * other entry keeps its order.
 *
 * Return: the index in the old array to copy the entry from.
 */
size_t asid_move_array_source(size_t j, size_t at, u16 a, u16 b,
			      bool *is_new)
{
	size_t ins = b < a ? at : at + 1;

	*is_new = j == ins;
	if (j == ins)
		return at;
	return j < ins ? j : j - 1;
}

/**
 * asid_move_cd_side() - which of a move's ASIDs a CD it found holds
 * @cd0: word 0 of the CD (CPU order)
 * @a: the move's old ASID
 * @b: its new ASID, not @a
 *
 * A move rewrites a CD only while it is a valid private CD on one of its
 * two ASIDs: the old one going forward, the new one when it is undone. Any
 * other CD (invalid, shared with the CPU, or on a third ASID) has changed
 * hands since it was found, and writing it would corrupt its new owner.
 *
 * Return: ASID_MOVE_CD_OLD, ASID_MOVE_CD_NEW, or ASID_MOVE_CD_FOREIGN.
 */
enum asid_move_cd_side asid_move_cd_side(u64 cd0, u16 a, u16 b)
{
	if (smmu_cd0_private_on(cd0, a))
		return ASID_MOVE_CD_OLD;
	if (smmu_cd0_private_on(cd0, b))
		return ASID_MOVE_CD_NEW;
	return ASID_MOVE_CD_FOREIGN;
}
