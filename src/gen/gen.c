// SPDX-License-Identifier: GPL-2.0
/*
 * The driver generations' tables of operations, and the one bound.
 *
 * Design: doc/binding.md.
 */
#include <linux/kernel.h>

#include "driver_gen.h"

const struct btm_gen_ops *btm_gen;

/**
 * btm_gen_ops_of() - the table of operations of a driver generation
 * @gen: the generation
 *
 * Return: its table; NULL for a generation smmu-btm does not know.
 */
const struct btm_gen_ops *btm_gen_ops_of(enum btm_driver_gen gen)
{
	static const struct btm_gen_ops *const tables[] = {
		&btm_gen_bond, &btm_gen_s1_cfg, &btm_gen_master_cd,
		&btm_gen_domain, &btm_gen_replace, &btm_gen_invs,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tables); i++)
		if (tables[i]->gen == gen)
			return tables[i];
	return NULL;
}
