// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the stall and ATS master rules and of the status file's
 * lists of masters (src/core/smmu_masters.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "smmu_masters.h"

/* The driver's rule, IDR0.STALL_MODEL by IDR0.STALL_MODEL. */
static void test_stall_rule(void **state)
{
	(void)state;
	/* stall+terminate: only the masters firmware marks dma-can-stall */
	assert_true(smmu_master_stalls(SMMU_STALL_BOTH, true));
	assert_false(smmu_master_stalls(SMMU_STALL_BOTH, false));
	/* terminate only: none, whatever the firmware says */
	assert_false(smmu_master_stalls(SMMU_STALL_NONE, true));
	assert_false(smmu_master_stalls(SMMU_STALL_NONE, false));
	/* forced: every master */
	assert_true(smmu_master_stalls(SMMU_STALL_FORCED, true));
	assert_true(smmu_master_stalls(SMMU_STALL_FORCED, false));
	/* reserved: the driver sets neither of its stall features */
	assert_false(smmu_master_stalls(SMMU_STALL_RESERVED, true));
}

static void test_ats_rule(void **state)
{
	struct smmu_features f = { .ats = true };
	unsigned int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		f.ats = i & 1;
		assert_int_equal(smmu_master_ats_capable(&f, i & 2, i & 4),
				 i == 7);
	}
}

static void test_list_empty(void **state)
{
	struct master_list l = {};

	(void)state;
	assert_int_equal(l.count, 0);
	assert_string_equal(l.text, "");
}

static void test_list_names(void **state)
{
	struct master_list l = {};

	(void)state;
	master_list_add(&l, "0001:40:00.0");
	assert_int_equal(l.count, 1);
	assert_string_equal(l.text, "0001:40:00.0");
	master_list_add(&l, "2f000000.hisi_sec");
	assert_int_equal(l.count, 2);
	assert_int_equal(l.named, 2);
	assert_string_equal(l.text, "0001:40:00.0, 2f000000.hisi_sec");
	assert_int_equal(l.len, strlen(l.text));
}

/* Past MASTER_LIST_NAMES, one "..." however many more. */
static void test_list_more(void **state)
{
	struct master_list l = {};
	char name[16], want[MASTER_LIST_TEXT] = "";
	unsigned int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "0000:%02x:00.0", i);
		master_list_add(&l, name);
		if (i < MASTER_LIST_NAMES)
			snprintf(want + strlen(want), sizeof(want) - strlen(want),
				 "%s%s", i ? ", " : "", name);
	}
	strcat(want, ", ...");
	assert_int_equal(l.count, 20);
	assert_int_equal(l.named, MASTER_LIST_NAMES);
	assert_string_equal(l.text, want);
	assert_int_equal(l.len, strlen(l.text));
}

/* Long names: as many as fit, the "..." always fits, the text never overflows. */
static void test_list_long_names(void **state)
{
	struct master_list l = {};
	char name[MASTER_LIST_TEXT];
	unsigned int i;

	(void)state;
	memset(name, 'a', 60);
	name[60] = '\0';
	for (i = 0; i < 5; i++) {
		name[0] = '0' + i;
		master_list_add(&l, name);
		assert_true(l.len < sizeof(l.text));
		assert_int_equal(l.len, strlen(l.text));
	}
	assert_int_equal(l.count, 5);
	assert_int_equal(l.named, 2);
	assert_int_equal(l.len, 60 + 2 + 60 + 5);
	assert_string_equal(l.text + l.len - 5, ", ...");

	/* a first name that leaves no room: "..." alone */
	memset(&l, 0, sizeof(l));
	memset(name, 'b', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	master_list_add(&l, name);
	master_list_add(&l, "0000:01:00.0");
	assert_int_equal(l.count, 2);
	assert_int_equal(l.named, 0);
	assert_string_equal(l.text, "...");
}

/* The longest first name that fits leaves exactly the room ", ..." needs. */
static void test_list_exact_fit(void **state)
{
	struct master_list l = {};
	char name[MASTER_LIST_TEXT];
	size_t n = sizeof(l.text) - sizeof(", ...");

	(void)state;
	memset(name, 'c', n + 1);
	name[n + 1] = '\0';
	master_list_add(&l, name);		/* one too long */
	assert_string_equal(l.text, "...");

	memset(&l, 0, sizeof(l));
	name[n] = '\0';
	master_list_add(&l, name);
	assert_int_equal(l.named, 1);
	master_list_add(&l, "x");
	assert_int_equal(l.len, sizeof(l.text) - 1);
	assert_string_equal(l.text + n, ", ...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stall_rule),
		cmocka_unit_test(test_ats_rule),
		cmocka_unit_test(test_list_empty),
		cmocka_unit_test(test_list_names),
		cmocka_unit_test(test_list_more),
		cmocka_unit_test(test_list_long_names),
		cmocka_unit_test(test_list_exact_fit),
	};

	return cmocka_run_group_tests_name("smmu_masters", tests, NULL, NULL);
}
