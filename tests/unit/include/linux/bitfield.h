/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-in for <linux/bitfield.h>: the same results for the contiguous,
 * constant masks the module uses, without the kernel's compile-time checks
 * (the module build keeps those).
 */
#ifndef UNIT_LINUX_BITFIELD_H
#define UNIT_LINUX_BITFIELD_H

#define FIELD_GET(mask, reg) \
	((__typeof__(mask))(((reg) & (mask)) >> __builtin_ctzll(mask)))
#define FIELD_PREP(mask, val) \
	((__typeof__(mask))(((__typeof__(mask))(val) << __builtin_ctzll(mask)) & (mask)))

#endif
