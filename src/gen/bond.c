// SPDX-License-Identifier: GPL-2.0
/*
 * Driver generation 6.1: SVA through the driver's own bonds, which
 * smmu-btm does not drive; it only reads the SMMUs and decides.
 *
 * Design: doc/binding.md.
 */
#include "driver_gen.h"

const struct btm_gen_ops btm_gen_bond = {
	.gen = BTM_DRIVER_BOND,
	.s1_s2vmid_zero = true,
};
