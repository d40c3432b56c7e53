// SPDX-License-Identifier: GPL-2.0
/*
 * What the invalidation shim sends for the TLBs at one notifier call.
 *
 * Design: doc/invalidation-shim.md.
 */
#include "shim_route.h"

/**
 * shim_cpu_flush() - how the CPU flushed before this notifier call
 * @kernel_local: the kernel has flushes of the CPU's own TLB only that call
 *		  the notifier (probed at build time)
 * @placed: the markers around those flushes are in place
 * @missed: a marker missed a call since it was placed
 * @depth: this CPU's count of those flushes under way
 *
 * Return: SHIM_FLUSH_BROADCAST where the kernel has no such flush or none
 * is under way on this CPU; SHIM_FLUSH_LOCAL within one; else (markers not
 * placed, or one missed) SHIM_FLUSH_UNKNOWN.
 */
enum shim_cpu_flush shim_cpu_flush(bool kernel_local, bool placed,
				   bool missed, unsigned int depth)
{
	if (!kernel_local)
		return SHIM_FLUSH_BROADCAST;
	if (!placed || missed)
		return SHIM_FLUSH_UNKNOWN;
	return depth ? SHIM_FLUSH_LOCAL : SHIM_FLUSH_BROADCAST;
}

/**
 * shim_route() - what one notifier call sends for the TLBs
 * @btm: the SMMU takes part in the CPU's broadcast TLB maintenance
 * @shared: the domain is on the mm's own CPU ASID
 * @flush: how the CPU flushed (shim_cpu_flush())
 *
 * Only a broadcast flush of the mm's own ASID reaches the SMMU's TLB; a
 * local-only one, or one that cannot be told from it, is sent as the stock
 * driver sends it.
 *
 * Return: SHIM_ROUTE_SNOOPED or SHIM_ROUTE_STOCK.
 */
enum shim_route shim_route(bool btm, bool shared, enum shim_cpu_flush flush)
{
	if (btm && shared && flush == SHIM_FLUSH_BROADCAST)
		return SHIM_ROUTE_SNOOPED;
	return SHIM_ROUTE_STOCK;
}
