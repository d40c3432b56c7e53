// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the SMMUv3 ID register decoder (src/core/smmu_regs.c). Expected
 * bit positions are restated here from IHI 0070 section 6.3, independently
 * of include/smmu_regs.h, so a wrong mask there fails a test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "smmu_regs.h"

static struct smmu_features decode(struct smmu_id_regs regs)
{
	struct smmu_features feat;

	memset(&feat, 0xa5, sizeof(feat));
	smmu_decode_features(&regs, &feat);
	return feat;
}

/* Registers read from QEMU 7.2's emulated SMMUv3 (virt,iommu=smmuv3). */
static void test_qemu_smmu(void **state)
{
	struct smmu_id_regs regs = {
		.idr0 = 0x0d40101a, .idr1 = 0x02730010, .idr3 = 0x00001404,
		.idr5 = 0x00000074, .iidr = 0, .aidr = 0x01,
		.cr0 = 0x0d, .cr2 = 0x06,
	};
	struct smmu_features f = decode(regs);

	(void)state;
	assert_int_equal(f.arch_major, 3);
	assert_int_equal(f.arch_minor, 1);
	assert_true(f.s1p);
	assert_false(f.s2p);
	assert_false(f.btm);
	assert_false(f.hyp);
	assert_int_equal(f.asid_bits, 16);
	assert_int_equal(f.vmid_bits, 8);
	assert_false(f.ats);
	assert_false(f.pri);
	assert_true(f.coherent);
	assert_int_equal(f.httu, 0);
	assert_int_equal(f.stall_model, SMMU_STALL_NONE);
	assert_false(f.cd2l);
	assert_int_equal(f.sid_bits, 16);
	assert_int_equal(f.ssid_bits, 0);
	assert_true(f.range_inv);
	assert_int_equal(f.oas_bits, 44);
	assert_int_equal(f.implementer, 0);
}

/* Each single-bit IDR0 field, alone, sets exactly its own feature. */
static void test_idr0_single_bits(void **state)
{
	static const struct {
		unsigned int bit;
		size_t offset;
	} flags[] = {
		{ 0, offsetof(struct smmu_features, s2p) },
		{ 1, offsetof(struct smmu_features, s1p) },
		{ 4, offsetof(struct smmu_features, coherent) },
		{ 5, offsetof(struct smmu_features, btm) },
		{ 9, offsetof(struct smmu_features, hyp) },
		{ 10, offsetof(struct smmu_features, ats) },
		{ 16, offsetof(struct smmu_features, pri) },
		{ 19, offsetof(struct smmu_features, cd2l) },
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct smmu_id_regs regs = { .idr0 = 1u << flags[i].bit };
		struct smmu_features f = decode(regs);

		for (j = 0; j < sizeof(flags) / sizeof(flags[0]); j++) {
			bool set = *(bool *)((char *)&f + flags[j].offset);

			if (set != (i == j))
				fail_msg("IDR0 bit %u alone: feature of bit %u is %d",
					 flags[i].bit, flags[j].bit, set);
		}
		assert_int_equal(f.asid_bits, 8);
		assert_int_equal(f.vmid_bits, 8);
	}
}

static void test_idr0_widths_and_fields(void **state)
{
	struct smmu_id_regs regs = { .idr0 = (1u << 12) | (1u << 18) };
	struct smmu_features f = decode(regs);

	(void)state;
	assert_int_equal(f.asid_bits, 16);
	assert_int_equal(f.vmid_bits, 16);
	assert_false(f.btm);

	regs.idr0 = 2u << 6;	/* HTTU: access flag and dirty state */
	assert_int_equal(decode(regs).httu, 2);
	regs.idr0 = 3u << 24;	/* STALL_MODEL reserved value */
	assert_int_equal(decode(regs).stall_model, SMMU_STALL_RESERVED);
	regs.idr0 = 2u << 24;
	assert_int_equal(decode(regs).stall_model, SMMU_STALL_FORCED);
	regs.idr0 = 0;
	assert_int_equal(decode(regs).stall_model, SMMU_STALL_BOTH);
}

static void test_idr1_idr3_idr5(void **state)
{
	struct smmu_id_regs regs = {
		.idr1 = 20u << 6 | 32u,	/* SSIDSIZE 20, SIDSIZE 32 */
		.idr3 = 0,
		.idr5 = 6,		/* OAS 52 bits */
	};
	struct smmu_features f = decode(regs);

	(void)state;
	assert_int_equal(f.ssid_bits, 20);
	assert_int_equal(f.sid_bits, 32);
	assert_false(f.range_inv);
	assert_int_equal(f.oas_bits, 52);

	regs.idr3 = 1u << 10;
	assert_true(decode(regs).range_inv);
	regs.idr3 = ~(1u << 10);
	assert_false(decode(regs).range_inv);
}

static void test_oas_encodings(void **state)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	unsigned int i;

	(void)state;
	for (i = 0; i < 8; i++)
		assert_int_equal(smmu_oas_bits(i), bits[i]);
}

/* Arm MMU-600 r1p0 IIDR and SMMUv3.2 AIDR as a driver would read them. */
static void test_iidr_aidr(void **state)
{
	struct smmu_id_regs regs = {
		.iidr = 0x483u << 20 | 1u << 16 | 0u << 12 | 0x43b,
		.aidr = 0x02,
	};
	struct smmu_features f = decode(regs);

	(void)state;
	assert_int_equal(f.implementer, 0x43b);
	assert_int_equal(f.product_id, 0x483);
	assert_int_equal(f.variant, 1);
	assert_int_equal(f.revision, 0);
	assert_int_equal(f.arch_major, 3);
	assert_int_equal(f.arch_minor, 2);

	regs.iidr = 0xfffff000u | 0x43b;
	f = decode(regs);
	assert_int_equal(f.product_id, 0xfff);
	assert_int_equal(f.variant, 0xf);
	assert_int_equal(f.revision, 0xf);
}

static void test_stall_model_names(void **state)
{
	(void)state;
	assert_string_equal(smmu_stall_model_name(SMMU_STALL_BOTH),
			    "stall+terminate");
	assert_string_equal(smmu_stall_model_name(SMMU_STALL_NONE), "terminate");
	assert_string_equal(smmu_stall_model_name(SMMU_STALL_FORCED),
			    "stall-forced");
	assert_string_equal(smmu_stall_model_name(SMMU_STALL_RESERVED),
			    "reserved");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_smmu),
		cmocka_unit_test(test_idr0_single_bits),
		cmocka_unit_test(test_idr0_widths_and_fields),
		cmocka_unit_test(test_idr1_idr3_idr5),
		cmocka_unit_test(test_oas_encodings),
		cmocka_unit_test(test_iidr_aidr),
		cmocka_unit_test(test_stall_model_names),
	};

	return cmocka_run_group_tests_name("smmu_regs", tests, NULL, NULL);
}
