// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the per-SMMU ASID allocator (src/core/asid_alloc.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "asid_alloc.h"

static void *test_zalloc(size_t size)
{
	return calloc(1, size);
}

static void *failing_zalloc(size_t size)
{
	(void)size;
	return NULL;
}

static const struct asid_alloc_ops host_ops = {
	.zalloc = test_zalloc,
	.free = free,
};

static const struct asid_alloc_ops failing_ops = {
	.zalloc = failing_zalloc,
	.free = free,
};

/* Owners are opaque to the allocator: any distinct addresses do. */
static int dom_a, dom_b, mm_x, mm_y;

static void assert_counts(const struct asid_alloc *aa, u32 private_,
			  u32 moving, u32 pinned, u32 free_)
{
	struct asid_counts c;

	asid_alloc_counts(aa, &c);
	assert_int_equal(c.nr_private, private_);
	assert_int_equal(c.nr_moving, moving);
	assert_int_equal(c.nr_pinned, pinned);
	assert_int_equal(c.nr_free, free_);
}

static void test_init_widths(void **state)
{
	struct asid_alloc aa;

	(void)state;
	assert_int_equal(asid_alloc_init(&aa, 8, &host_ops), 0);
	assert_counts(&aa, 0, 0, 0, 255);
	assert_int_equal(asid_kind_of(&aa, 0), ASID_RESERVED);
	assert_int_equal(asid_kind_of(&aa, 255), ASID_FREE);
	assert_int_equal(asid_kind_of(&aa, 256), ASID_RESERVED);
	asid_alloc_destroy(&aa);

	assert_int_equal(asid_alloc_init(&aa, 16, &host_ops), 0);
	assert_counts(&aa, 0, 0, 0, 65535);
	assert_int_equal(asid_kind_of(&aa, 65535), ASID_FREE);
	asid_alloc_destroy(&aa);

	assert_int_equal(asid_alloc_init(&aa, 12, &host_ops), -EINVAL);
	assert_int_equal(asid_alloc_init(&aa, 0, &host_ops), -EINVAL);
	assert_int_equal(asid_alloc_init(&aa, 8, &failing_ops), -ENOMEM);
}

static void test_lowest_free_order(void **state)
{
	struct asid_alloc aa;
	u16 asid, i;

	(void)state;
	assert_int_equal(asid_alloc_init(&aa, 16, &host_ops), 0);
	for (i = 1; i <= 5000; i++) {
		assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), 0);
		assert_int_equal(asid, i);
	}
	/* Holes in different words of every bitmap level come back lowest first. */
	assert_int_equal(asid_free_private(&aa, 4097), 0);
	assert_int_equal(asid_free_private(&aa, 64), 0);
	assert_int_equal(asid_free_private(&aa, 2), 0);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), 0);
	assert_int_equal(asid, 2);
	assert_ptr_equal(asid_owner(&aa, 2), &dom_b);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), 0);
	assert_int_equal(asid, 64);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), 0);
	assert_int_equal(asid, 4097);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), 0);
	assert_int_equal(asid, 5001);
	asid_alloc_destroy(&aa);
}

/* Random operations against a linear-scan reference of the lowest free. */
static void test_lowest_free_random(void **state)
{
	static u8 taken[65536];
	struct asid_alloc aa;
	unsigned int seed = 12345, n;
	u32 expect, r;
	u16 asid;

	(void)state;
	memset(taken, 0, sizeof(taken));
	assert_int_equal(asid_alloc_init(&aa, 16, &host_ops), 0);
	for (n = 0; n < 200000; n++) {
		seed = seed * 1103515245 + 12345;
		r = (seed >> 8) % 65535 + 1;
		if ((seed >> 4) % 3) {
			if (taken[r]) {
				assert_int_equal(asid_free_private(&aa, r), 0);
				taken[r] = 0;
			}
			continue;
		}
		for (expect = 1; expect < 65536 && taken[expect]; expect++)
			;
		if (expect == 65536)
			continue;
		assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), 0);
		assert_int_equal(asid, expect);
		taken[asid] = 1;
	}
	asid_alloc_destroy(&aa);
}

static void test_asid0_and_8bit_limit(void **state)
{
	struct asid_alloc aa;
	void *displaced = NULL;
	u16 asid, i;

	(void)state;
	assert_int_equal(asid_alloc_init(&aa, 8, &host_ops), 0);
	for (i = 1; i <= 255; i++) {
		assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), 0);
		assert_int_equal(asid, i);
	}
	assert_counts(&aa, 255, 0, 0, 0);
	asid = 77;
	assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), -ENOSPC);
	assert_int_equal(asid, 77);
	assert_counts(&aa, 255, 0, 0, 0);

	assert_int_equal(asid_reserve_private(&aa, 0, &dom_a), -EINVAL);
	assert_int_equal(asid_reserve_private(&aa, 256, &dom_a), -EINVAL);
	assert_int_equal(asid_free_private(&aa, 0), -EINVAL);
	assert_int_equal(asid_free_private(&aa, 256), -EINVAL);
	assert_int_equal(asid_pin_shared(&aa, 0, &mm_x, &displaced), -EINVAL);
	assert_int_equal(asid_pin_shared(&aa, 300, &mm_x, &displaced),
			 -EINVAL);
	assert_int_equal(asid_unpin(&aa, 0), -EINVAL);
	assert_int_equal(asid_begin_move(&aa, 0), -EINVAL);
	assert_null(displaced);
	assert_null(asid_owner(&aa, 0));
	assert_null(asid_owner(&aa, 256));
	assert_counts(&aa, 255, 0, 0, 0);
	asid_alloc_destroy(&aa);
}

static void test_exhaustion_16bit(void **state)
{
	struct asid_alloc aa;
	u32 i;
	u16 asid;

	(void)state;
	assert_int_equal(asid_alloc_init(&aa, 16, &host_ops), 0);
	for (i = 1; i < 65536; i++) {
		assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), 0);
		assert_int_equal(asid, i);
	}
	assert_counts(&aa, 65535, 0, 0, 0);
	assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), -ENOSPC);
	assert_counts(&aa, 65535, 0, 0, 0);
	assert_int_equal(asid_free_private(&aa, 40000), 0);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), 0);
	assert_int_equal(asid, 40000);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), -ENOSPC);
	for (i = 1; i < 65536; i++)
		assert_int_equal(asid_free_private(&aa, i), 0);
	assert_counts(&aa, 0, 0, 0, 65535);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), 0);
	assert_int_equal(asid, 1);
	asid_alloc_destroy(&aa);
}

static void test_reserve_free(void **state)
{
	struct asid_alloc aa;
	void *displaced;
	u16 asid;

	(void)state;
	assert_int_equal(asid_alloc_init(&aa, 16, &host_ops), 0);
	assert_int_equal(asid_reserve_private(&aa, 1, &dom_a), 0);
	assert_int_equal(asid_reserve_private(&aa, 1, &dom_b), -EBUSY);
	assert_ptr_equal(asid_owner(&aa, 1), &dom_a);
	assert_int_equal(asid_pin_shared(&aa, 3, &mm_x, &displaced), 0);
	assert_int_equal(asid_reserve_private(&aa, 3, &dom_b), -EBUSY);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), 0);
	assert_int_equal(asid, 2);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), 0);
	assert_int_equal(asid, 4);
	assert_counts(&aa, 3, 0, 1, 65531);

	/* Only private ASIDs are freed by asid_free_private(). */
	assert_int_equal(asid_free_private(&aa, 3), -EINVAL);
	assert_int_equal(asid_free_private(&aa, 5), -EINVAL);
	assert_int_equal(asid_free_private(&aa, 1), 0);
	assert_int_equal(asid_free_private(&aa, 1), -EINVAL);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_FREE);
	assert_null(asid_owner(&aa, 1));
	assert_counts(&aa, 2, 0, 1, 65532);
	asid_alloc_destroy(&aa);
}

static void test_pin_refcount(void **state)
{
	struct asid_alloc aa;
	void *displaced = NULL;
	u16 asid;

	(void)state;
	assert_int_equal(asid_alloc_init(&aa, 8, &host_ops), 0);
	assert_int_equal(asid_pin_shared(&aa, 1, &mm_x, &displaced), 0);
	assert_int_equal(asid_pin_shared(&aa, 1, &mm_x, &displaced), 0);
	assert_null(displaced);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_PINNED);
	assert_ptr_equal(asid_owner(&aa, 1), &mm_x);
	assert_counts(&aa, 0, 0, 1, 254);
	/* The CPU never gives one ASID to two live mms. */
	assert_int_equal(asid_pin_shared(&aa, 1, &mm_y, &displaced), -EBUSY);
	/* Pinned ASIDs are not handed out as private ones. */
	assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), 0);
	assert_int_equal(asid, 2);

	assert_int_equal(asid_unpin(&aa, 1), 1);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_PINNED);
	assert_int_equal(asid_unpin(&aa, 1), 0);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_FREE);
	assert_int_equal(asid_unpin(&aa, 1), -EINVAL);
	assert_int_equal(asid_unpin(&aa, 2), -EINVAL);
	assert_counts(&aa, 1, 0, 0, 254);
	assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), 0);
	assert_int_equal(asid, 1);
	asid_alloc_destroy(&aa);
}

static void test_pin_private_reports_owner(void **state)
{
	struct asid_alloc aa;
	void *displaced = NULL;
	u16 asid;

	(void)state;
	assert_int_equal(asid_alloc_init(&aa, 16, &host_ops), 0);
	assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), 0);
	assert_int_equal(asid_alloc_private(&aa, &dom_b, &asid), 0);
	assert_int_equal(asid_pin_shared(&aa, 2, &mm_x, &displaced),
			 ASID_PIN_MOVE);
	assert_ptr_equal(displaced, &dom_b);
	assert_int_equal(asid_kind_of(&aa, 2), ASID_PRIVATE);
	assert_ptr_equal(asid_owner(&aa, 2), &dom_b);
	assert_counts(&aa, 2, 0, 0, 65533);
	asid_alloc_destroy(&aa);
}

static void test_move_states(void **state)
{
	struct asid_alloc aa;
	void *displaced = NULL;
	u16 asid;

	(void)state;
	assert_int_equal(asid_alloc_init(&aa, 8, &host_ops), 0);
	assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), 0);
	assert_int_equal(asid_begin_move(&aa, 1), 0);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_MOVING);
	assert_ptr_equal(asid_owner(&aa, 1), &dom_a);
	assert_counts(&aa, 0, 1, 0, 254);
	/* Still reserved: not handed out, not pinnable, not freeable. */
	assert_int_equal(asid_alloc_private(&aa, &dom_a, &asid), 0);
	assert_int_equal(asid, 2);
	assert_int_equal(asid_pin_shared(&aa, 1, &mm_x, &displaced), -EBUSY);
	assert_null(displaced);
	assert_int_equal(asid_free_private(&aa, 1), -EINVAL);
	assert_int_equal(asid_reserve_private(&aa, 1, &dom_b), -EBUSY);
	assert_int_equal(asid_begin_move(&aa, 1), -EINVAL);
	assert_int_equal(asid_end_move(&aa, 1, 42, NULL), -EINVAL);
	assert_counts(&aa, 1, 1, 0, 253);

	/* Moving to pinned in one step: never free in between. */
	assert_int_equal(asid_end_move(&aa, 1, ASID_MOVE_PIN, &mm_x), 0);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_PINNED);
	assert_ptr_equal(asid_owner(&aa, 1), &mm_x);
	assert_counts(&aa, 1, 0, 1, 253);
	assert_int_equal(asid_end_move(&aa, 1, ASID_MOVE_FREE, NULL), -EINVAL);
	assert_int_equal(asid_pin_shared(&aa, 1, &mm_x, &displaced), 0);
	assert_int_equal(asid_unpin(&aa, 1), 1);
	assert_int_equal(asid_unpin(&aa, 1), 0);

	/* Abort: back to private with the same owner. */
	assert_int_equal(asid_begin_move(&aa, 2), 0);
	assert_int_equal(asid_end_move(&aa, 2, ASID_MOVE_ABORT, &mm_y), 0);
	assert_int_equal(asid_kind_of(&aa, 2), ASID_PRIVATE);
	assert_ptr_equal(asid_owner(&aa, 2), &dom_a);

	/* Free. */
	assert_int_equal(asid_begin_move(&aa, 2), 0);
	assert_int_equal(asid_end_move(&aa, 2, ASID_MOVE_FREE, NULL), 0);
	assert_int_equal(asid_kind_of(&aa, 2), ASID_FREE);
	assert_null(asid_owner(&aa, 2));
	assert_counts(&aa, 0, 0, 0, 255);
	asid_alloc_destroy(&aa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_widths),
		cmocka_unit_test(test_lowest_free_order),
		cmocka_unit_test(test_lowest_free_random),
		cmocka_unit_test(test_asid0_and_8bit_limit),
		cmocka_unit_test(test_exhaustion_16bit),
		cmocka_unit_test(test_reserve_free),
		cmocka_unit_test(test_pin_refcount),
		cmocka_unit_test(test_pin_private_reports_owner),
		cmocka_unit_test(test_move_states),
	};

	return cmocka_run_group_tests_name("asid_alloc", tests, NULL, NULL);
}
