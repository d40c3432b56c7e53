// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the broadcast check's GATOS encodings and verdict
 * (src/core/broadcast_verdict.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "broadcast_verdict.h"

#define OLD	0x41000000ULL
#define NEW	0x52345000ULL

static struct bcheck_obs obs_of(u64 before, u64 stale, u64 after)
{
	struct bcheck_obs o = {
		.old_pa = OLD, .new_pa = NEW,
		.before = { before != 0, before },
		.stale = { stale != 0, stale },
		.after = { after != 0, after },
	};
	return o;
}

static enum bcheck_verdict decide(u64 before, u64 stale, u64 after)
{
	struct bcheck_obs o = obs_of(before, stale, after);
	const char *why = NULL;
	enum bcheck_verdict v = bcheck_decide(&o, &why);

	assert_non_null(why);
	return v;
}

static void test_verdicts(void **state)
{
	(void)state;
	assert_int_equal(decide(OLD, OLD, NEW), BCHECK_DELIVERED);
	assert_int_equal(decide(OLD, OLD, OLD), BCHECK_NOT_DELIVERED);
	/* no first translation, or a wrong one */
	assert_int_equal(decide(0, OLD, NEW), BCHECK_UNPROVEN);
	assert_int_equal(decide(NEW, OLD, NEW), BCHECK_UNPROVEN);
	/* nothing after the broadcast, or a third page */
	assert_int_equal(decide(OLD, OLD, 0), BCHECK_UNPROVEN);
	assert_int_equal(decide(OLD, OLD, 0x9000), BCHECK_UNPROVEN);
}

/*
 * The negative control: an observer that shows the new page before any
 * invalidation (an ATOS that walks every time) proves nothing, even when
 * it shows the new page after the broadcast too. Skipping the control
 * would call that board delivered, on a board that may lose broadcasts.
 */
static void test_control_failed(void **state)
{
	(void)state;
	assert_int_equal(decide(OLD, NEW, NEW), BCHECK_UNPROVEN);
	assert_int_equal(decide(OLD, 0, NEW), BCHECK_UNPROVEN);
	assert_int_equal(decide(OLD, NEW, OLD), BCHECK_UNPROVEN);
}

static void test_tlbi_arg(void **state)
{
	(void)state;
	assert_int_equal(tlbi_va_arg(0xffff81234567ULL, 0x2a),
			 0xffff81234ULL | (0x2aULL << 48));
	/* the tag byte, VA[63:56], is no part of it */
	assert_int_equal(tlbi_va_arg(0xff00000000001000ULL, 1),
			 1 | (1ULL << 48));
}

static void test_tlbi_asid_range(void **state)
{
	(void)state;
	assert_int_equal(tlbi_asid_arg(0x2a), 0x2aULL << 48);
	/* two 4KB pages from 0x1234000: TG 0b01, SCALE 0, NUM 0 */
	assert_int_equal(tlbi_range2_arg(0x1234567, 7, 12),
			 (7ULL << 48) | (1ULL << 46) | 0x1234);
	/* 64KB pages: TG 0b11, the 64KB page number */
	assert_int_equal(tlbi_range2_arg(0x1234567, 7, 16),
			 (7ULL << 48) | (3ULL << 46) | 0x123);
	assert_int_equal(tlbi_range2_arg(0x1234567, 7, 13), 0);
}

/* A board that loses one kind of broadcast is NOT delivered. */
static void test_combine(void **state)
{
	enum bcheck_verdict all[] = {
		BCHECK_DELIVERED, BCHECK_DELIVERED, BCHECK_DELIVERED,
	};
	unsigned int d;

	(void)state;
	assert_int_equal(bcheck_combine(all, 3, &d), BCHECK_DELIVERED);
	all[2] = BCHECK_UNPROVEN;
	assert_int_equal(bcheck_combine(all, 3, &d), BCHECK_UNPROVEN);
	assert_int_equal(d, 2);
	all[1] = BCHECK_NOT_DELIVERED;
	assert_int_equal(bcheck_combine(all, 3, &d), BCHECK_NOT_DELIVERED);
	assert_int_equal(d, 1);
	/* a CPU without range TLBIs: two kinds */
	all[1] = BCHECK_DELIVERED;
	assert_int_equal(bcheck_combine(all, 2, &d), BCHECK_DELIVERED);
	assert_int_equal(bcheck_combine(all, 0, &d), BCHECK_NOT_RUN);
	assert_string_equal(bcheck_kind_name(BCHECK_BY_RANGE), "by range");
}

static void test_observers(void **state)
{
	(void)state;
	assert_int_equal(bcheck_observers(BCHECK_NOT_RUN, BCHECK_NOT_RUN),
			 BCHECK_NOT_RUN);
	/* no ATOS: the device proves it */
	assert_int_equal(bcheck_observers(BCHECK_UNPROVEN, BCHECK_DELIVERED),
			 BCHECK_DELIVERED);
	assert_int_equal(bcheck_observers(BCHECK_DELIVERED, BCHECK_NOT_RUN),
			 BCHECK_DELIVERED);
	assert_int_equal(bcheck_observers(BCHECK_UNPROVEN, BCHECK_NOT_RUN),
			 BCHECK_UNPROVEN);
	/* lost for either is lost, whatever the other proved */
	assert_int_equal(bcheck_observers(BCHECK_DELIVERED,
					  BCHECK_NOT_DELIVERED),
			 BCHECK_NOT_DELIVERED);
	assert_int_equal(bcheck_observers(BCHECK_NOT_DELIVERED,
					  BCHECK_DELIVERED),
			 BCHECK_NOT_DELIVERED);
}

static void test_gatos_sid(void **state)
{
	(void)state;
	assert_int_equal(gatos_sid_value(0x18, false, 5), 0x18);
	assert_int_equal(gatos_sid_value(0x18, true, 5),
			 0x18 | (5ULL << 32) | (1ULL << 52));
	/* SUBSTREAMID is 20 bits */
	assert_int_equal(gatos_sid_value(1, true, 0xfffff),
			 1 | (0xfffffULL << 32) | (1ULL << 52));
}

static void test_gatos_addr(void **state)
{
	(void)state;
	/* stage 1 (TYPE 0b01), a read (RnW), unprivileged, data */
	assert_int_equal(gatos_addr_value(0xffff81234567ULL),
			 0xffff81234000ULL | (1 << 10) | (1 << 8));
}

static void test_gatos_par(void **state)
{
	unsigned int code;
	u64 pa;

	(void)state;
	/* a 4KB translation, with ATTR and SH */
	assert_true(gatos_par_decode(0xff00000041000300ULL, &pa, &code));
	assert_int_equal(pa, OLD);
	assert_int_equal(code, 0);
	/* a 2MB block: Size, and bit 20 set below the size */
	assert_true(gatos_par_decode(0x41000000ULL | (1 << 20) | (1 << 11),
				     &pa, &code));
	assert_int_equal(pa, OLD);
	/* a fault: F_TRANSLATION */
	assert_false(gatos_par_decode(1 | (0x10 << 4), &pa, &code));
	assert_int_equal(code, 0x10);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(bcheck_verdict_name(BCHECK_NOT_RUN), "not run");
	assert_string_equal(bcheck_verdict_name(BCHECK_DELIVERED), "delivered");
	assert_string_equal(bcheck_verdict_name(BCHECK_NOT_DELIVERED),
			    "NOT delivered");
	assert_string_equal(bcheck_verdict_name(BCHECK_UNPROVEN), "unproven");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_control_failed),
		cmocka_unit_test(test_tlbi_arg),
		cmocka_unit_test(test_tlbi_asid_range),
		cmocka_unit_test(test_combine),
		cmocka_unit_test(test_observers),
		cmocka_unit_test(test_gatos_sid),
		cmocka_unit_test(test_gatos_addr),
		cmocka_unit_test(test_gatos_par),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("broadcast_verdict", tests, NULL,
					   NULL);
}
