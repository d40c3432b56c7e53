// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the command encoder (src/core/smmu_cmds.c). Field positions are
 * restated from IHI 0070 chapter 4, independently of include/smmu_cmds.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "smmu_cmds.h"

static uint64_t bits(uint64_t word, unsigned int hi, unsigned int lo)
{
	return (word >> lo) & ((hi - lo == 63) ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1));
}

static void test_cfgi_cd(void **state)
{
	struct smmu_cmd cmd;

	(void)state;
	smmu_cmd_cfgi_cd(&cmd, 0xfedcba98, 0xabcde, true);
	assert_int_equal(bits(cmd.dw[0], 7, 0), 0x05);
	assert_int_equal(bits(cmd.dw[0], 31, 12), 0xabcde);
	assert_int_equal(bits(cmd.dw[0], 63, 32), 0xfedcba98);
	assert_int_equal(bits(cmd.dw[0], 11, 8), 0);
	assert_int_equal(cmd.dw[1], 1);
	smmu_cmd_cfgi_cd(&cmd, 8, 0, false);
	assert_int_equal(cmd.dw[1], 0);
}

static void test_invalidate_all(void **state)
{
	struct smmu_cmd cmd;

	(void)state;
	smmu_cmd_cfgi_all(&cmd);
	assert_int_equal(bits(cmd.dw[0], 7, 0), 0x04);	/* CFGI_STE_RANGE */
	assert_int_equal(bits(cmd.dw[0], 63, 32), 0);	/* from SID 0 */
	assert_int_equal(bits(cmd.dw[1], 4, 0), 31);	/* Range 31: all */
	assert_int_equal(cmd.dw[1] >> 5, 0);
	smmu_cmd_tlbi_all(&cmd, false);
	assert_int_equal(cmd.dw[0], 0x30);		/* TLBI_NSNH_ALL */
	assert_int_equal(cmd.dw[1], 0);
	smmu_cmd_tlbi_all(&cmd, true);
	assert_int_equal(cmd.dw[0], 0x20);		/* TLBI_EL2_ALL */
}

static void test_tlbi_asid(void **state)
{
	struct smmu_cmd cmd;

	(void)state;
	smmu_cmd_tlbi_asid(&cmd, 0xbeef, false);
	assert_int_equal(bits(cmd.dw[0], 7, 0), 0x11);
	assert_int_equal(bits(cmd.dw[0], 63, 48), 0xbeef);
	/* The host's VMID, 0. */
	assert_int_equal(bits(cmd.dw[0], 47, 32), 0);
	assert_int_equal(cmd.dw[1], 0);
	smmu_cmd_tlbi_asid(&cmd, 7, true);
	assert_int_equal(bits(cmd.dw[0], 7, 0), 0x21);
	assert_int_equal(bits(cmd.dw[0], 63, 48), 7);
}

static void test_tlbi_va(void **state)
{
	struct smmu_cmd cmd;

	(void)state;
	smmu_cmd_tlbi_va(&cmd, 0x1234, 0xffff800012345fffULL, true, false);
	assert_int_equal(bits(cmd.dw[0], 7, 0), 0x12);
	assert_int_equal(bits(cmd.dw[0], 63, 48), 0x1234);
	/* No range: NUM [16:12] and SCALE [24:20] are 0, and so is TG. */
	assert_int_equal(bits(cmd.dw[0], 24, 12), 0);
	assert_int_equal(bits(cmd.dw[1], 11, 10), 0);
	assert_int_equal(cmd.dw[1] & ~0xfffULL, 0xffff800012345000ULL);
	assert_int_equal(bits(cmd.dw[1], 0, 0), 1);
	smmu_cmd_tlbi_va(&cmd, 1, 0x1000, false, true);
	assert_int_equal(bits(cmd.dw[0], 7, 0), 0x22);
	assert_int_equal(bits(cmd.dw[1], 0, 0), 0);
}

static void atc_block(const struct smmu_cmd *cmd, uint64_t *first,
		      uint64_t *end)
{
	unsigned int size = bits(cmd->dw[1], 5, 0);
	uint64_t span = size >= 52 ? 0 : (1ULL << size) << 12;

	*first = cmd->dw[1] & ~0xfffULL;
	*end = span ? *first + span : 0;
}

static void test_tlbi_range(void **state)
{
	struct smmu_cmd cmd;

	(void)state;
	/* 31 blocks of 2^5 pages of 4KB at 0x7f0000401000, ASID 0x1234. */
	smmu_cmd_tlbi_range(&cmd, 0x1234, 0x7f0000401abcULL, 31, 5, 12, false);
	assert_int_equal(bits(cmd.dw[0], 7, 0), 0x12);
	assert_int_equal(bits(cmd.dw[0], 16, 12), 30);	/* NUM is minus one */
	assert_int_equal(bits(cmd.dw[0], 24, 20), 5);
	assert_int_equal(bits(cmd.dw[0], 47, 32), 0);	/* VMID 0 */
	assert_int_equal(bits(cmd.dw[0], 63, 48), 0x1234);
	assert_int_equal(bits(cmd.dw[1], 0, 0), 0);	/* not leaf-only */
	assert_int_equal(bits(cmd.dw[1], 9, 8), 0);	/* TTL: any level */
	assert_int_equal(bits(cmd.dw[1], 11, 10), 1);	/* TG 4KB */
	assert_int_equal(cmd.dw[1] & ~0xfffULL, 0x7f0000401000ULL);
	/* EL2 form, one block, 16KB and 64KB granules. */
	smmu_cmd_tlbi_range(&cmd, 7, 0, 1, 0, 14, true);
	assert_int_equal(bits(cmd.dw[0], 7, 0), 0x22);
	assert_int_equal(bits(cmd.dw[0], 16, 12), 0);
	assert_int_equal(bits(cmd.dw[1], 11, 10), 2);
	smmu_cmd_tlbi_range(&cmd, 7, 0, 2, 31, 16, false);
	assert_int_equal(bits(cmd.dw[0], 24, 20), 31);
	assert_int_equal(bits(cmd.dw[1], 11, 10), 3);
}

static void test_atc_inv_fields(void **state)
{
	struct smmu_cmd cmd;

	(void)state;
	smmu_cmd_atc_inv(&cmd, 0x10, 0x77, true, 0x5000, 0x1000);
	assert_int_equal(bits(cmd.dw[0], 7, 0), 0x40);
	assert_int_equal(bits(cmd.dw[0], 11, 11), 1);
	assert_int_equal(bits(cmd.dw[0], 31, 12), 0x77);
	assert_int_equal(bits(cmd.dw[0], 63, 32), 0x10);
	/* One page: Size 0 at that page. */
	assert_int_equal(bits(cmd.dw[1], 5, 0), 0);
	assert_int_equal(cmd.dw[1] & ~0xfffULL, 0x5000);

	smmu_cmd_atc_inv(&cmd, 0x10, 0x77, false, 0x5000, 0x1000);
	assert_int_equal(bits(cmd.dw[0], 31, 11), 0);

	/* Whole space for size 0 and for a range that wraps. */
	smmu_cmd_atc_inv(&cmd, 1, 0, false, 0x1234000, 0);
	assert_int_equal(bits(cmd.dw[1], 5, 0), 52);
	assert_int_equal(cmd.dw[1] & ~0xfffULL, 0);
	smmu_cmd_atc_inv(&cmd, 1, 0, false, ~0xfffULL, 0x2000);
	assert_int_equal(bits(cmd.dw[1], 5, 0), 52);

	/* Pages 7 and 8 straddle a 16-page boundary: 16 pages (Size 4) at 0. */
	smmu_cmd_atc_inv(&cmd, 1, 0, false, 0x7000, 0x2000);
	assert_int_equal(bits(cmd.dw[1], 5, 0), 4);
	assert_int_equal(cmd.dw[1] & ~0xfffULL, 0);
}

/* Random ranges: the block holds the range, is aligned, and is minimal. */
static void test_atc_inv_covers(void **state)
{
	unsigned int i;

	(void)state;
	srand(1);
	for (i = 0; i < 100000; i++) {
		uint64_t start = ((uint64_t)rand() << 20 ^ rand()) & ((1ULL << 48) - 1);
		uint64_t size = 1 + ((uint64_t)rand() % (1ULL << (rand() % 30)));
		uint64_t first, end, half;
		struct smmu_cmd cmd;
		unsigned int s;

		smmu_cmd_atc_inv(&cmd, 1, 0, false, start, size);
		atc_block(&cmd, &first, &end);
		s = bits(cmd.dw[1], 5, 0);
		if (first > start || end < start + size)
			fail_msg("[%#llx,+%#llx) not in block [%#llx,%#llx)",
				 (unsigned long long)start,
				 (unsigned long long)size,
				 (unsigned long long)first,
				 (unsigned long long)end);
		if (first & (((1ULL << s) << 12) - 1))
			fail_msg("block at %#llx not aligned to 2^%u pages",
				 (unsigned long long)first, s);
		/* Half the block, aligned, never holds the whole range. */
		if (s) {
			half = (1ULL << (s - 1)) << 12;
			if ((start & ~(half - 1)) + half >= start + size)
				fail_msg("[%#llx,+%#llx): size %u is not minimal",
					 (unsigned long long)start,
					 (unsigned long long)size, s);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfgi_cd),
		cmocka_unit_test(test_invalidate_all),
		cmocka_unit_test(test_tlbi_asid),
		cmocka_unit_test(test_tlbi_va),
		cmocka_unit_test(test_tlbi_range),
		cmocka_unit_test(test_atc_inv_fields),
		cmocka_unit_test(test_atc_inv_covers),
	};

	return cmocka_run_group_tests_name("smmu_cmds", tests, NULL, NULL);
}
