// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the shim's TLB routing (src/core/shim_route.c): every
 * combination of how the CPU flushed, BTM and the domain's ASID.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "shim_route.h"

/* A kernel without local-only flushes: every call follows a broadcast. */
static void test_no_local_flushes(void **state)
{
	unsigned int depth;

	(void)state;
	for (depth = 0; depth < 3; depth++) {
		assert_int_equal(shim_cpu_flush(false, false, false, depth),
				 SHIM_FLUSH_BROADCAST);
		assert_int_equal(shim_cpu_flush(false, true, true, depth),
				 SHIM_FLUSH_BROADCAST);
	}
}

/* 7.x with the markers placed: local within one, broadcast outside. */
static void test_markers(void **state)
{
	(void)state;
	assert_int_equal(shim_cpu_flush(true, true, false, 0),
			 SHIM_FLUSH_BROADCAST);
	assert_int_equal(shim_cpu_flush(true, true, false, 1),
			 SHIM_FLUSH_LOCAL);
	/* contpte's flush calls the per-page one: nested. */
	assert_int_equal(shim_cpu_flush(true, true, false, 2),
			 SHIM_FLUSH_LOCAL);
}

/* Markers not placed, or one missed: no call can be told broadcast. */
static void test_unknown(void **state)
{
	unsigned int depth;

	(void)state;
	for (depth = 0; depth < 3; depth++) {
		assert_int_equal(shim_cpu_flush(true, false, false, depth),
				 SHIM_FLUSH_UNKNOWN);
		assert_int_equal(shim_cpu_flush(true, true, true, depth),
				 SHIM_FLUSH_UNKNOWN);
		assert_int_equal(shim_cpu_flush(true, false, true, depth),
				 SHIM_FLUSH_UNKNOWN);
	}
}

/* Only BTM, the CPU's ASID and a broadcast flush together send nothing. */
static void test_route(void **state)
{
	static const enum shim_cpu_flush flushes[] = {
		SHIM_FLUSH_BROADCAST, SHIM_FLUSH_LOCAL, SHIM_FLUSH_UNKNOWN,
	};
	unsigned int i, btm, shared;
	enum shim_route want;

	(void)state;
	for (i = 0; i < sizeof(flushes) / sizeof(flushes[0]); i++)
		for (btm = 0; btm < 2; btm++)
			for (shared = 0; shared < 2; shared++) {
				want = btm && shared &&
				       flushes[i] == SHIM_FLUSH_BROADCAST ?
				       SHIM_ROUTE_SNOOPED : SHIM_ROUTE_STOCK;
				assert_int_equal(shim_route(btm, shared,
							    flushes[i]), want);
			}
}

/* The decision end to end, as the notifier makes it on 7.x under BTM. */
static void test_write_after_cow(void **state)
{
	(void)state;
	/* wp_page_reuse: within __ptep_set_access_flags_anysz. */
	assert_int_equal(shim_route(true, true,
				    shim_cpu_flush(true, true, false, 1)),
			 SHIM_ROUTE_STOCK);
	/* fork's flush_tlb_mm: broadcast. */
	assert_int_equal(shim_route(true, true,
				    shim_cpu_flush(true, true, false, 0)),
			 SHIM_ROUTE_SNOOPED);
	/* 6.12: the same reuse flushed by broadcast. */
	assert_int_equal(shim_route(true, true,
				    shim_cpu_flush(false, false, false, 0)),
			 SHIM_ROUTE_SNOOPED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_local_flushes),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_write_after_cow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
