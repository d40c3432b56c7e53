// SPDX-License-Identifier: GPL-2.0
/*
 * Counter-examples for the model, NOT for the module: the two ASID move
 * orders that leave a window in which an unmap invalidates only the new
 * ASID while TLB entries under the old one are live. They live here rather
 * than in src/ because the module must never call them. They take the same
 * callbacks as asid_move_run() (src/core/asid_move.c) and ignore callback
 * errors: the model injects none into them.
 */
#include "broken_orders.h"

/* Steps shared by both: take b, switch the targets to {b}, rewrite the CDs. */
static int switch_then_rewrite(const struct asid_move_ops *ops, void *ctx,
			       struct asid_alloc *aa, u16 a, u16 *b)
{
	void *cd = NULL;
	int ret;

	ret = asid_begin_move(aa, a);
	if (ret)
		return ret;
	ret = asid_alloc_private(aa, asid_owner(aa, a), b);
	if (ret) {
		asid_end_move(aa, a, ASID_MOVE_ABORT, NULL);
		return ret;
	}
	/* The domain's ASID is b from now on: unmaps invalidate b only. */
	ops->publish_targets(ctx, b, 1);
	while ((cd = ops->next_cd(ctx, cd))) {
		ops->write_cd_asid(ctx, cd, *b);
		ops->cfgi_cd(ctx, cd);
		ops->sync(ctx);
	}
	return 0;
}

/**
 * asid_move_run_upstream_2024() - counter-example only: the 2024 upstream
 * order (switch to b, rewrite the CDs, invalidate b), after which entries
 * cached under a through CDs not yet rewritten survive every unmap, and a
 * goes to the SVA mm with them.
 * @ops: as asid_move_run()
 * @ctx: as asid_move_run()
 * @aa: as asid_move_run()
 * @a: as asid_move_run()
 * @end: as asid_move_run()
 * @owner: as asid_move_run()
 * @b: as asid_move_run()
 *
 * Return: 0, or the allocator's error.
 */
int asid_move_run_upstream_2024(const struct asid_move_ops *ops, void *ctx,
				struct asid_alloc *aa, u16 a,
				enum asid_move_end end, void *owner, u16 *b)
{
	u16 nb;
	int ret = switch_then_rewrite(ops, ctx, aa, a, &nb);

	if (ret)
		return ret;
	ops->tlbi_asid(ctx, nb);
	ops->sync(ctx);
	asid_end_move(aa, a, end, owner);
	*b = nb;
	return 0;
}

/**
 * asid_move_run_linux_6_6() - counter-example only: the 6.6 driver's order
 * (switch to b, rewrite the CDs, then invalidate a): while the CDs are being
 * rewritten an unmap invalidates only b although entries under a are live.
 * @ops: as asid_move_run()
 * @ctx: as asid_move_run()
 * @aa: as asid_move_run()
 * @a: as asid_move_run()
 * @end: as asid_move_run()
 * @owner: as asid_move_run()
 * @b: as asid_move_run()
 *
 * Return: 0, or the allocator's error.
 */
int asid_move_run_linux_6_6(const struct asid_move_ops *ops, void *ctx,
			    struct asid_alloc *aa, u16 a,
			    enum asid_move_end end, void *owner, u16 *b)
{
	u16 nb;
	int ret = switch_then_rewrite(ops, ctx, aa, a, &nb);

	if (ret)
		return ret;
	ops->tlbi_asid(ctx, a);
	ops->sync(ctx);
	asid_end_move(aa, a, end, owner);
	*b = nb;
	return 0;
}
