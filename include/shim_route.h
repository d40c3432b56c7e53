/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the invalidation shim sends for the TLBs at one notifier call: the
 * stock TLBIs, or none because the SMMU took the CPU's broadcast TLBIs.
 * The notifier's callback does not say how the CPU flushed; 7.x flushes
 * some changes from its own TLB only (TLBF_NOBROADCAST), which no SMMU
 * snoops, and calls the notifier all the same. Pure logic: no kernel
 * dependencies; compiled into the module and into the host tests.
 *
 * Design: doc/invalidation-shim.md.
 */
#ifndef SMMU_BTM_SHIM_ROUTE_H
#define SMMU_BTM_SHIM_ROUTE_H

#include <linux/types.h>

/**
 * enum shim_cpu_flush - how the CPU flushed before the notifier call
 * @SHIM_FLUSH_BROADCAST: by broadcast TLBIs (inner shareable), which an
 *			  SMMU with BTM takes as well
 * @SHIM_FLUSH_LOCAL: from the calling CPU's own TLB only
 * @SHIM_FLUSH_UNKNOWN: the kernel has local-only flushes that call the
 *			notifier, and whether this call follows one cannot
 *			be told (their markers are not placed, or one was
 *			missed)
 */
enum shim_cpu_flush {
	SHIM_FLUSH_BROADCAST,
	SHIM_FLUSH_LOCAL,
	SHIM_FLUSH_UNKNOWN,
};

/**
 * enum shim_route - what one notifier call sends for the TLBs
 * @SHIM_ROUTE_STOCK: TLBIs by ASID and VA and a CMD_SYNC, as the stock
 *		      driver sends them
 * @SHIM_ROUTE_SNOOPED: none: the SMMU took the CPU's broadcasts (ATCs
 *			are invalidated either way)
 */
enum shim_route {
	SHIM_ROUTE_STOCK,
	SHIM_ROUTE_SNOOPED,
};

enum shim_cpu_flush shim_cpu_flush(bool kernel_local, bool placed,
				   bool missed, unsigned int depth);
enum shim_route shim_route(bool btm, bool shared, enum shim_cpu_flush flush);

#endif /* SMMU_BTM_SHIM_ROUTE_H */
