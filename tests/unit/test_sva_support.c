// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the SVA support check and the SMMU's side of the SVA CD
 * (src/core/sva_support.c), against the rules of the stock driver's
 * arm_smmu_sva_supported() and SVA CD (7.2's for the 7.x rules). CD field
 * positions are restated from IHI 0070 section 5.4, independently of
 * include/smmu_cd.h: IPS bits [34:32], HD bit 42, HA bit 43 (word 0), HAFT
 * bit 67 (word 1, bit 3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sva_support.h"

#define SZ_4K	0x1000UL
#define SZ_16K	0x4000UL
#define SZ_64K	0x10000UL

static u64 bits(u64 word, unsigned int hi, unsigned int lo)
{
	return (word >> lo) & ((1ULL << (hi - lo + 1)) - 1);
}

static const struct sva_rules rules_6x = { 0 };
static const struct sva_rules rules_7x = {
	.bbml2 = true, .haft = true, .cd_httu = true,
};

/* A server SMMU that supports SVA: coherent, 48-bit OAS, every granule. */
static struct smmu_features smmu_ok(void)
{
	struct smmu_features f = {
		.coherent = true,
		.httu = 2,
		.asid_bits = 16,
		.oas_bits = 48,
		.vax52 = false,
		.bbml = 2,
		.page_sizes = SZ_4K | SZ_16K | SZ_64K,
	};
	return f;
}

/* A 48-bit VA, 48-bit PA CPU with 4KB pages and 16-bit ASIDs. */
static struct btm_cpu_facts cpu_ok(void)
{
	struct btm_cpu_facts c = {
		.asid_bits = 16,
		.va_bits = 48,
		.parange = 5,
		.page_size = SZ_4K,
	};
	return c;
}

static void both(const struct smmu_features *f, const struct btm_cpu_facts *c,
		 enum sva_support want)
{
	enum sva_support g6 = sva_support_check(f, c, &rules_6x);
	enum sva_support g7 = sva_support_check(f, c, &rules_7x);

	if (g6 != want || g7 != want)
		fail_msg("6.x rules gave %s, 7.x %s, want %s",
			 sva_support_key(g6), sva_support_key(g7),
			 sva_support_key(want));
}

static void test_supported(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();

	(void)state;
	both(&f, &c, SVA_SUPPORTED);
}

/* The driver refuses a non-coherent SMMU (FEAT_COHERENCY in its mask). */
static void test_not_coherent(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();

	(void)state;
	f.coherent = false;
	both(&f, &c, SVA_NOT_COHERENT);
	/* First in order: an OAS refusal too does not hide it. */
	f.oas_bits = 40;
	both(&f, &c, SVA_NOT_COHERENT);
}

/* 52-bit VA: 64KB pages need IDR5.VAX; 4KB and 16KB (LPA2) are refused. */
static void test_52bit_va(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();

	(void)state;
	c.va_bits = 52;
	c.page_size = SZ_4K;
	f.vax52 = true;
	both(&f, &c, SVA_LPA2);
	c.page_size = SZ_16K;
	both(&f, &c, SVA_LPA2);
	c.page_size = SZ_64K;
	both(&f, &c, SVA_SUPPORTED);
	f.vax52 = false;
	both(&f, &c, SVA_NO_VAX);
	/* A 48-bit VA needs no VAX. */
	c.va_bits = 48;
	both(&f, &c, SVA_SUPPORTED);
	/* LPA2 comes first: before coherence, as the driver returns early. */
	c.va_bits = 52;
	c.page_size = SZ_4K;
	f.coherent = false;
	both(&f, &c, SVA_LPA2);
}

/* 7.x: CPUs with BBML2_NOABORT need an SMMU with BBML2; 6.x does not ask. */
static void test_bbml2(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();

	(void)state;
	c.bbml2_noabort = true;
	assert_int_equal(sva_support_check(&f, &c, &rules_7x), SVA_SUPPORTED);
	f.bbml = 1;
	assert_int_equal(sva_support_check(&f, &c, &rules_7x), SVA_NO_BBML2);
	f.bbml = 0;
	assert_int_equal(sva_support_check(&f, &c, &rules_7x), SVA_NO_BBML2);
	assert_int_equal(sva_support_check(&f, &c, &rules_6x), SVA_SUPPORTED);
	c.bbml2_noabort = false;
	assert_int_equal(sva_support_check(&f, &c, &rules_7x), SVA_SUPPORTED);
}

/* 7.x: CPUs using HAFT need an SMMU with HTTU 0b11; 6.x does not ask. */
static void test_haft(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();

	(void)state;
	c.haft = true;
	f.httu = 2;
	assert_int_equal(sva_support_check(&f, &c, &rules_7x), SVA_NO_HAFT);
	f.httu = 0;
	assert_int_equal(sva_support_check(&f, &c, &rules_7x), SVA_NO_HAFT);
	assert_int_equal(sva_support_check(&f, &c, &rules_6x), SVA_SUPPORTED);
	f.httu = 3;
	assert_int_equal(sva_support_check(&f, &c, &rules_7x), SVA_SUPPORTED);
	c.haft = false;
	f.httu = 0;
	assert_int_equal(sva_support_check(&f, &c, &rules_7x), SVA_SUPPORTED);
}

/* The SMMU must have a granule of the kernel's page size. */
static void test_page_size(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();

	(void)state;
	f.page_sizes = SZ_64K;
	both(&f, &c, SVA_PAGE_SIZE);
	c.page_size = SZ_64K;
	both(&f, &c, SVA_SUPPORTED);
	c.page_size = SZ_16K;
	f.page_sizes = SZ_4K | SZ_64K;
	both(&f, &c, SVA_PAGE_SIZE);
}

/* The SMMU's OAS must cover the CPUs' PA size (PARange). */
static void test_oas(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();

	(void)state;
	f.oas_bits = 44;
	both(&f, &c, SVA_OAS);
	c.parange = 4;		/* 44 bits */
	both(&f, &c, SVA_SUPPORTED);
	c.parange = 6;		/* 52 bits */
	f.oas_bits = 48;
	both(&f, &c, SVA_OAS);
	f.oas_bits = 52;
	both(&f, &c, SVA_SUPPORTED);
}

/* 8-bit SMMU ASIDs under 16-bit CPU ASIDs are refused; wider is fine. */
static void test_asid_width(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();

	(void)state;
	f.asid_bits = 8;
	both(&f, &c, SVA_ASID_WIDTH);
	c.asid_bits = 8;
	both(&f, &c, SVA_SUPPORTED);
	f.asid_bits = 16;
	both(&f, &c, SVA_SUPPORTED);
}

/*
 * From the registers: QEMU's stock SMMUv3 (IDR5 0x74: OAS 44 bits, the
 * three granules, no VAX) under QEMU's max CPU (PARange 52 bits), as
 * scripts/qemu-run 7 el1 has it: refused for its output size.
 */
static void test_qemu_stock_registers(void **state)
{
	const struct smmu_id_regs regs = {
		.idr0 = 0x0d40101a, .idr1 = 0x02730010, .idr3 = 0x00001404,
		.idr5 = 0x00000074, .aidr = 0x01,
	};
	struct btm_cpu_facts c = cpu_ok();
	struct smmu_features f;

	(void)state;
	smmu_decode_features(&regs, &f);
	assert_int_equal(f.oas_bits, 44);
	assert_false(f.vax52);
	assert_int_equal(f.bbml, 2);	/* IDR3[12:11] */
	assert_int_equal(f.page_sizes, SZ_4K | SZ_16K | SZ_64K);
	assert_true(f.coherent);	/* IDR0.COHACC, bit 4 */
	c.parange = 6;
	both(&f, &c, SVA_OAS);
	/* The project's board: 52-bit OAS and VAX (IDR5 0x476). */
	{
		const struct smmu_id_regs btm = {
			.idr0 = 0x0d40103a, .idr5 = 0x00000476,
		};

		smmu_decode_features(&btm, &f);
		assert_int_equal(f.oas_bits, 52);
		assert_true(f.vax52);	/* IDR5[11:10] == 0b01 */
		assert_int_equal(f.page_sizes, SZ_4K | SZ_16K | SZ_64K);
		both(&f, &c, SVA_SUPPORTED);
	}
}

/* The stock CD's HA, HD and HAFT: 7.x rules only, as the SMMU has them. */
static void test_cd_hw_bits(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();
	static const struct {
		unsigned int httu;
		bool cpu_haft;
		bool ha, hd, haft;
	} t[] = {
		{ 0, false, false, false, false },
		{ 0, true, false, false, false },
		{ 1, false, true, false, false },
		{ 2, false, true, true, false },
		{ 2, true, true, true, false },
		{ 3, false, true, true, false },
		{ 3, true, true, true, true },
	};
	struct sva_cd_hw hw;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		f.httu = t[i].httu;
		c.haft = t[i].cpu_haft;
		sva_cd_hw_of(&f, &c, &rules_7x, &hw);
		if (hw.ha != t[i].ha || hw.hd != t[i].hd ||
		    hw.haft != t[i].haft)
			fail_msg("HTTU %u, CPU HAFT %d: HA %d HD %d HAFT %d",
				 t[i].httu, t[i].cpu_haft, hw.ha, hw.hd,
				 hw.haft);
		/* 6.x drivers' SVA CDs set none of them. */
		sva_cd_hw_of(&f, &c, &rules_6x, &hw);
		assert_false(hw.ha || hw.hd || hw.haft);
	}
}

/* The CD's IPS: the CPUs' PARange, capped to the SMMU's OAS. */
static void test_cd_ips(void **state)
{
	struct smmu_features f = smmu_ok();
	struct btm_cpu_facts c = cpu_ok();
	struct smmu_sva_cd params = { .va_bits = 48, .ips = 6 };
	struct sva_cd_hw hw;
	u64 cd[4];

	(void)state;
	f.oas_bits = 44;
	sva_cd_hw_of(&f, &c, &rules_6x, &hw);
	assert_int_equal(hw.ips_max, 4);
	sva_cd_hw_apply(&hw, &params);
	assert_int_equal(params.ips, 4);
	smmu_encode_sva_cd(cd, &params);
	assert_int_equal(bits(cd[0], 34, 32), 4);	/* 44 bits */

	/* Below the cap the PARange stays, as the driver writes it. */
	f.oas_bits = 52;
	params.ips = 5;
	sva_cd_hw_of(&f, &c, &rules_7x, &hw);
	assert_int_equal(hw.ips_max, 6);
	sva_cd_hw_apply(&hw, &params);
	assert_int_equal(params.ips, 5);
	smmu_encode_sva_cd(cd, &params);
	assert_int_equal(bits(cd[0], 34, 32), 5);	/* 48 bits */
}

/* HA, HD and HAFT land in the CD's bits 43, 42 and 67. */
static void test_cd_encoding(void **state)
{
	struct smmu_sva_cd params = {
		.asid = 7, .shared = true, .ttb0 = 0x40001000ULL,
		.va_bits = 48, .ips = 5,
	};
	u64 plain[4], cd[4];

	(void)state;
	smmu_encode_sva_cd(plain, &params);
	assert_int_equal(bits(plain[0], 43, 42), 0);
	assert_int_equal(bits(plain[1], 3, 3), 0);

	params.ha = true;
	smmu_encode_sva_cd(cd, &params);
	assert_int_equal(cd[0], plain[0] | (1ULL << 43));
	assert_int_equal(cd[1], plain[1]);

	params.hd = true;
	smmu_encode_sva_cd(cd, &params);
	assert_int_equal(cd[0], plain[0] | (1ULL << 43) | (1ULL << 42));
	assert_int_equal(cd[1], plain[1]);

	params.haft = true;
	smmu_encode_sva_cd(cd, &params);
	assert_int_equal(cd[0], plain[0] | (1ULL << 43) | (1ULL << 42));
	assert_int_equal(cd[1], plain[1] | (1ULL << 3));	/* bit 67 */
	assert_int_equal(cd[2], plain[2]);
	assert_int_equal(cd[3], plain[3]);

	/* Without HA, HD is Reserved and HAFT a C_BAD_CD: neither is set. */
	params.ha = false;
	smmu_encode_sva_cd(cd, &params);
	assert_int_equal(cd[0], plain[0]);
	assert_int_equal(cd[1], plain[1]);
}

static void test_sizes(void **state)
{
	static const unsigned int want[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	unsigned int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		assert_int_equal(sva_pa_bits(i), want[i]);
		assert_int_equal(sva_ips_of_bits(want[i]), i);
	}
	assert_int_equal(sva_pa_bits(15), 56);
	assert_int_equal(sva_ips_of_bits(47), 4);
	assert_int_equal(sva_ips_of_bits(20), 0);
}

static void test_keys(void **state)
{
	static const char * const keys[SVA_NR_REASONS] = {
		[SVA_SUPPORTED] = "supported",
		[SVA_LPA2] = "lpa2",
		[SVA_NOT_COHERENT] = "not-coherent",
		[SVA_NO_VAX] = "no-vax",
		[SVA_NO_BBML2] = "no-bbml2",
		[SVA_NO_HAFT] = "no-haft",
		[SVA_PAGE_SIZE] = "page-size",
		[SVA_OAS] = "oas",
		[SVA_ASID_WIDTH] = "asid-width",
	};
	int i;

	(void)state;
	for (i = 0; i < SVA_NR_REASONS; i++) {
		assert_non_null(keys[i]);
		assert_string_equal(sva_support_key(i), keys[i]);
		assert_string_not_equal(sva_support_text(i), "unknown reason");
	}
	assert_string_equal(sva_support_key(SVA_NR_REASONS), "unknown");
	assert_string_equal(sva_support_text((enum sva_support)-1),
			    "unknown reason");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supported),
		cmocka_unit_test(test_not_coherent),
		cmocka_unit_test(test_52bit_va),
		cmocka_unit_test(test_bbml2),
		cmocka_unit_test(test_haft),
		cmocka_unit_test(test_page_size),
		cmocka_unit_test(test_oas),
		cmocka_unit_test(test_asid_width),
		cmocka_unit_test(test_qemu_stock_registers),
		cmocka_unit_test(test_cd_hw_bits),
		cmocka_unit_test(test_cd_ips),
		cmocka_unit_test(test_cd_encoding),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_keys),
	};

	return cmocka_run_group_tests_name("sva_support", tests, NULL, NULL);
}
