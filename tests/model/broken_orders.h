/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two historical ASID move orders, kept only as counter-examples for the
 * model: it must catch both. Same signature and callbacks as
 * asid_move_run(), so the model runs all three the same way.
 */
#ifndef MODEL_BROKEN_ORDERS_H
#define MODEL_BROKEN_ORDERS_H

#include "asid_move.h"

int asid_move_run_upstream_2024(const struct asid_move_ops *ops, void *ctx,
				struct asid_alloc *aa, u16 a,
				enum asid_move_end end, void *owner, u16 *b);
int asid_move_run_linux_6_6(const struct asid_move_ops *ops, void *ctx,
			    struct asid_alloc *aa, u16 a,
			    enum asid_move_end end, void *owner, u16 *b);

#endif
