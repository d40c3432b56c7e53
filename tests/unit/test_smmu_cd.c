// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the SVA CD encoder (src/core/smmu_cd.c). Field positions are
 * restated from IHI 0070 section 5.4, independently of include/smmu_cd.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smmu_cd.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static u64 bits(u64 word, unsigned int hi, unsigned int lo)
{
	return (word >> lo) & ((1ULL << (hi - lo + 1)) - 1);
}

/* A 48-bit-VA, 4KB-granule process on a 44-bit-PA CPU, BTM-shared ASID. */
static const struct smmu_sva_cd shared = {
	.asid = 0x2a5,
	.shared = true,
	.ttb0 = 0x0000012345678000ULL,
	.va_bits = 48,
	.tg0 = 0,
	.ips = 4,
	.mair = 0x000000040044ffffULL,
	.stall = false,
};

static void test_shared_cd(void **state)
{
	u64 cd[4];

	(void)state;
	smmu_encode_sva_cd(cd, &shared);
	assert_int_equal(bits(cd[0], 5, 0), 16);	/* T0SZ = 64 - 48 */
	assert_int_equal(bits(cd[0], 7, 6), 0);		/* TG0 4KB */
	assert_int_equal(bits(cd[0], 9, 8), 1);		/* IR0 WBWA */
	assert_int_equal(bits(cd[0], 11, 10), 1);	/* OR0 WBWA */
	assert_int_equal(bits(cd[0], 13, 12), 3);	/* SH0 inner shareable */
	assert_int_equal(bits(cd[0], 14, 14), 0);	/* EPD0: TTB0 walks */
	assert_int_equal(bits(cd[0], 30, 30), 1);	/* EPD1: no TTB1 */
	assert_int_equal(bits(cd[0], 31, 31), 1);	/* V */
	assert_int_equal(bits(cd[0], 34, 32), 4);	/* IPS 44 bits */
	assert_int_equal(bits(cd[0], 41, 41), 1);	/* AA64 */
	assert_int_equal(bits(cd[0], 44, 44), 0);	/* S */
	assert_int_equal(bits(cd[0], 45, 45), 1);	/* R */
	assert_int_equal(bits(cd[0], 46, 46), 1);	/* A */
	assert_int_equal(bits(cd[0], 47, 47), 0);	/* ASET 0: shared */
	assert_int_equal(bits(cd[0], 63, 48), 0x2a5);	/* ASID */
	assert_int_equal(cd[1], 0x0000012345678000ULL);	/* TTB0 */
	assert_int_equal(cd[2], 0);
	assert_int_equal(cd[3], 0x000000040044ffffULL);	/* MAIR */
}

static void test_private_cd_and_options(void **state)
{
	struct smmu_sva_cd p = shared;
	u64 cd[4];

	(void)state;
	p.shared = false;
	p.stall = true;
	p.va_bits = 52;
	p.tg0 = 1;			/* 64KB */
	p.ttb0 = 0x000f00000000ffffULL;	/* low bits are not an address */
	smmu_encode_sva_cd(cd, &p);
	assert_int_equal(bits(cd[0], 47, 47), 1);	/* ASET 1: private */
	assert_int_equal(bits(cd[0], 44, 44), 1);	/* S */
	assert_int_equal(bits(cd[0], 5, 0), 12);
	assert_int_equal(bits(cd[0], 7, 6), 1);
	/* TTB0 is bits [51:4]. */
	assert_int_equal(cd[1], 0x000f00000000fff0ULL);
}

/*
 * Released: still valid, same ASID and attributes, but TTB0 walks fault,
 * abort rather than stall, and are not recorded; on an SMMU that forces
 * stalls S cannot go, and R stays with it (as the driver's own).
 */
static void test_faulting_cd(void **state)
{
	struct smmu_sva_cd stalling = shared;
	u64 cd[4], orig[4];
	unsigned int i;

	(void)state;
	stalling.stall = true;
	smmu_encode_sva_cd(orig, &stalling);
	assert_int_equal(bits(orig[0], 44, 44), 1);	/* S */
	for (i = 0; i < 4; i++)
		cd[i] = orig[i];
	smmu_cd_make_faulting(cd, false);
	assert_int_equal(bits(cd[0], 14, 14), 1);	/* EPD0 */
	assert_int_equal(bits(cd[0], 31, 31), 1);	/* still V */
	assert_int_equal(bits(cd[0], 63, 48), 0x2a5);	/* same ASID */
	assert_int_equal(bits(cd[0], 45, 44), 0);	/* R, S: abort, unrecorded */
	/* T0SZ, TG0, IR0, OR0, SH0: ignored under EPD0, and cleared */
	assert_int_not_equal(bits(orig[0], 13, 0), 0);
	assert_int_equal(bits(cd[0], 13, 0), 0);
	assert_int_equal(cd[0] & ~(1ULL << 14 | 0x3fffULL),
			 orig[0] & ~(1ULL << 45 | 1ULL << 44 | 0x3fffULL));
	assert_int_equal(bits(cd[1], 51, 4), 0);	/* no table left */
	assert_int_equal(cd[2], orig[2]);
	assert_int_equal(cd[3], orig[3]);

	for (i = 0; i < 4; i++)
		cd[i] = orig[i];
	smmu_cd_make_faulting(cd, true);
	assert_int_equal(bits(cd[0], 45, 44), 3);	/* R, S kept */
	assert_int_equal(bits(cd[0], 13, 0), 0);
	assert_int_equal(cd[0] & ~(1ULL << 14 | 0x3fffULL),
			 orig[0] & ~0x3fffULL);
	assert_int_equal(bits(cd[1], 51, 4), 0);
}

/*
 * What the 6.2 to 6.9 driver's CD writer makes of a context descriptor's
 * tcr, restated from its source: word 0 is the tcr with V (31), R (45),
 * A (46), AA64 (41) and the ASID (63:48) added, ASET (47) when the
 * descriptor has no mm, and S (44) for a stalling domain.
 */
static u64 driver_cd0(u64 tcr, u16 asid, bool has_mm, bool stall)
{
	return tcr | 1ULL << 31 | 1ULL << 45 | 1ULL << 46 | 1ULL << 41 |
	       (u64)asid << 48 | (has_mm ? 0 : 1ULL << 47) |
	       (stall ? 1ULL << 44 : 0);
}

/* The tcr given to that writer makes it write exactly the encoded word. */
static void test_ctx_tcr_round_trip(void **state)
{
	struct smmu_sva_cd p = shared;
	u64 cd[4], tcr;

	(void)state;
	smmu_encode_sva_cd(cd, &shared);
	tcr = smmu_cd0_ctx_tcr(cd[0]);
	/* None of the bits the writer adds itself. */
	assert_int_equal(bits(tcr, 31, 31), 0);
	assert_int_equal(bits(tcr, 63, 44), 0);
	assert_int_equal(driver_cd0(tcr, 0x2a5, true, false), cd[0]);

	p.shared = false;
	p.stall = true;
	smmu_encode_sva_cd(cd, &p);
	tcr = smmu_cd0_ctx_tcr(cd[0]);
	assert_int_equal(bits(tcr, 63, 44), 0);
	assert_int_equal(driver_cd0(tcr, 0x2a5, false, true), cd[0]);
	/* The translation fields survive. */
	assert_int_equal(bits(tcr, 5, 0), bits(cd[0], 5, 0));
	assert_int_equal(bits(tcr, 34, 32), bits(cd[0], 34, 32));
	assert_int_equal(bits(tcr, 30, 30), 1);
}

/* Word 0 from its fields, at the positions IHI 0070 gives (V 31, ASET 47, ASID 63:48). */
static u64 cd0_of(bool v, bool aset, u16 asid, u64 other)
{
	return other | ((u64)v << 31) | ((u64)aset << 47) | ((u64)asid << 48);
}

/* The CD search's test: valid, private (ASET 1), on that very ASID. */
static void test_cd0_private_on(void **state)
{
	static const u16 asids[] = { 0, 1, 0x2a5, 0xff, 0x100, 0xfffe, 0xffff };
	/* Every bit word 0 has but V, ASET and the ASID: they must not count. */
	const u64 other = ~cd0_of(true, true, 0xffff, 0);
	unsigned int i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(asids); i++) {
		u16 a = asids[i];

		assert_true(smmu_cd0_private_on(cd0_of(true, true, a, 0), a));
		assert_true(smmu_cd0_private_on(cd0_of(true, true, a, other), a));
		/* Not valid: it tags nothing. */
		assert_false(smmu_cd0_private_on(cd0_of(false, true, a, other), a));
		/* ASET 0: an ASID shared with the CPU, never moved. */
		assert_false(smmu_cd0_private_on(cd0_of(true, false, a, other), a));
		for (j = 0; j < ARRAY_SIZE(asids); j++)
			if (asids[j] != a)
				assert_false(smmu_cd0_private_on(cd0_of(true, true,
									asids[j],
									other),
								 a));
	}
	/* One of the encoder's own private CDs, and its shared one. */
	{
		struct smmu_sva_cd priv = shared;
		u64 cd[4];

		priv.shared = false;
		smmu_encode_sva_cd(cd, &priv);
		assert_true(smmu_cd0_private_on(cd[0], shared.asid));
		smmu_encode_sva_cd(cd, &shared);
		assert_false(smmu_cd0_private_on(cd[0], shared.asid));
	}
}

/* The rewrite of a moved CD changes its ASID and no other bit. */
static void test_cd0_with_asid(void **state)
{
	static const u64 words[] = { 0, ~0ULL, 0x0123456789abcdefULL,
				     0xfedcba9876543210ULL };
	static const u16 asids[] = { 0, 1, 0x2a5, 0xffff };
	unsigned int i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		for (j = 0; j < ARRAY_SIZE(asids); j++) {
			u64 w = smmu_cd0_with_asid(words[i], asids[j]);

			assert_int_equal(bits(w, 63, 48), asids[j]);
			assert_int_equal(bits(w, 47, 0), bits(words[i], 47, 0));
		}
	}
	assert_true(smmu_cd0_private_on(smmu_cd0_with_asid(cd0_of(true, true, 7, 0), 9), 9));
	assert_false(smmu_cd0_private_on(smmu_cd0_with_asid(cd0_of(true, true, 7, 0), 9), 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_cd),
		cmocka_unit_test(test_private_cd_and_options),
		cmocka_unit_test(test_faulting_cd),
		cmocka_unit_test(test_ctx_tcr_round_trip),
		cmocka_unit_test(test_cd0_private_on),
		cmocka_unit_test(test_cd0_with_asid),
	};

	return cmocka_run_group_tests_name("smmu_cd", tests, NULL, NULL);
}
