// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the invalidation plan (src/core/inv_plan.c): what one CPU-side
 * invalidation sends to the SMMU with and without BTM, decoded back from
 * the commands (field positions restated from IHI 0070 chapter 4).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "inv_plan.h"

#define MAX_LOG		20000

/* Every command submitted, and where the syncs fell. */
static struct {
	struct smmu_cmd cmd[MAX_LOG];
	unsigned int n;
	unsigned int calls;
	unsigned int syncs;
	unsigned int sync_after[64];	/* commands logged before each sync */
	int fail_at;			/* call number that fails, 0: none */
} qlog;

static int log_submit(void *ctx, struct smmu_cmd *cmds, unsigned int n,
		      bool sync)
{
	(void)ctx;
	qlog.calls++;
	assert_true(n <= INV_BATCH_CMDS);
	assert_true(n || sync);
	assert_true(qlog.n + n <= MAX_LOG);
	memcpy(&qlog.cmd[qlog.n], cmds, n * sizeof(*cmds));
	qlog.n += n;
	if (sync) {
		assert_true(qlog.syncs < 64);
		qlog.sync_after[qlog.syncs++] = qlog.n;
	}
	return qlog.calls == (unsigned int)qlog.fail_at ? -ETIMEDOUT : 0;
}

static int reset(void **state)
{
	(void)state;
	memset(&qlog, 0, sizeof(qlog));
	return 0;
}

static uint64_t bits(uint64_t word, unsigned int hi, unsigned int lo)
{
	return (word >> lo) & ((1ULL << (hi - lo + 1)) - 1);
}

static const struct inv_smmu ril4k = { .range_inv = true, .page_shift = 12 };
static const struct inv_smmu va4k = { .range_inv = false, .page_shift = 12 };

static void test_range_size(void **state)
{
	(void)state;
	/* The whole mm, and an empty range, are the whole ASID. */
	assert_int_equal(inv_range_size(&ril4k, 0, ~0ULL), 0);
	assert_int_equal(inv_range_size(&va4k, 0, ~0ULL), 0);
	assert_int_equal(inv_range_size(&ril4k, 0x5000, 0x5000), 0);
	/* With range TLBIs, any real range stays a range. */
	assert_int_equal(inv_range_size(&ril4k, 0x400000, 0x40400000),
			 0x40000000);
	/* Without, 511 pages are sent one by one, 512 become the ASID. */
	assert_int_equal(inv_range_size(&va4k, 0x400000, 0x400000 + 511 * 4096),
			 511 * 4096);
	assert_int_equal(inv_range_size(&va4k, 0x400000, 0x400000 + 512 * 4096),
			 0);
}

/* Stock, no range TLBIs: one TLBI per page, a sync, in that order. */
static void test_stock_pages(void **state)
{
	struct inv_counts c = { 0 };
	struct inv_batch b;
	unsigned int i;

	(void)state;
	inv_batch_init(&b, &va4k, log_submit, NULL, &c);
	inv_plan_tlbi(&b, &va4k, 0x42, false, 0x10000,
		      inv_range_size(&va4k, 0x10000, 0x20000));
	assert_int_equal(inv_batch_sync(&b), 0);
	assert_int_equal(qlog.n, 16);
	assert_int_equal(qlog.syncs, 1);
	assert_int_equal(qlog.sync_after[0], 16);
	for (i = 0; i < 16; i++) {
		assert_int_equal(bits(qlog.cmd[i].dw[0], 7, 0), 0x12);
		assert_int_equal(bits(qlog.cmd[i].dw[0], 63, 48), 0x42);
		assert_int_equal(qlog.cmd[i].dw[1], 0x10000 + i * 0x1000);
	}
	assert_int_equal(c.seen, 1);
	assert_int_equal(c.tlbi, 16);
	assert_int_equal(c.sync, 1);
	assert_int_equal(c.atc, 0);
	assert_int_equal(c.avoided, 0);
}

/* The whole ASID: one TLBI_NH_ASID, or TLBI_EL2_ASID at EL2. */
static void test_stock_asid(void **state)
{
	const struct inv_smmu el2 = { .range_inv = true, .el2 = true,
				      .page_shift = 12 };
	struct inv_counts c = { 0 };
	struct inv_batch b;

	(void)state;
	inv_batch_init(&b, &el2, log_submit, NULL, &c);
	inv_plan_tlbi(&b, &el2, 9, false, 0, inv_range_size(&el2, 0, ~0ULL));
	assert_int_equal(qlog.n, 1);
	assert_int_equal(bits(qlog.cmd[0].dw[0], 7, 0), 0x21);
	assert_int_equal(bits(qlog.cmd[0].dw[0], 63, 48), 9);
	assert_int_equal(c.tlbi, 1);
	assert_int_equal(c.sync, 1);
}

/* Decode a range TLBI into its first page and page count. */
static void decode_range(const struct smmu_cmd *cmd, unsigned int page_shift,
			 uint64_t *first, uint64_t *pages)
{
	uint64_t num = bits(cmd->dw[0], 16, 12) + 1;
	uint64_t scale = bits(cmd->dw[0], 24, 20);

	assert_int_equal(bits(cmd->dw[1], 11, 10), (page_shift - 10) / 2);
	assert_int_equal(bits(cmd->dw[1], 9, 8), 0);
	assert_int_equal(bits(cmd->dw[1], 0, 0), 0);
	/* A non-leaf range must never be the single-page form. */
	assert_false(num == 1 && scale == 0);
	*first = (cmd->dw[1] & ~0xfffULL) >> page_shift;
	*pages = num << scale;
}

/*
 * Range TLBIs: for many sizes and starts the commands tile the range in
 * order, with no gap, ending at its last page or one page beyond.
 */
static void test_range_tiles(void **state)
{
	static const unsigned int shifts[] = { 12, 14, 16 };
	uint64_t n, first, pages, next, start, want;
	unsigned int i, k, s;
	struct inv_counts c;
	struct inv_batch b;

	(void)state;
	srand(5);
	for (s = 0; s < 3; s++) {
		struct inv_smmu smmu = { .range_inv = true,
					 .page_shift = shifts[s] };

		for (k = 0; k < 3000; k++) {
			n = k < 300 ? k + 1 : (uint64_t)rand() % 2000000 + 1;
			start = ((uint64_t)rand() % (1 << 20)) << shifts[s];
			reset(NULL);
			memset(&c, 0, sizeof(c));
			inv_batch_init(&b, &smmu, log_submit, NULL, &c);
			inv_plan_tlbi(&b, &smmu, 1, false, start,
				      n << shifts[s]);
			assert_true(qlog.n >= 1 && qlog.n <= 6);
			assert_int_equal(c.tlbi, qlog.n);
			next = start >> shifts[s];
			for (i = 0; i < qlog.n; i++) {
				decode_range(&qlog.cmd[i], shifts[s], &first,
					     &pages);
				assert_int_equal(first, next);
				next += pages;
			}
			want = (start >> shifts[s]) + n;
			assert_true(next == want ||
				    (next == want + 1 && (n & 31) == 1));
		}
	}
}

/* BTM on the mm's ASID: nothing sent, the stock cost counted as avoided. */
static void test_broadcast_avoids(void **state)
{
	struct inv_counts c = { 0 };
	struct inv_batch b;

	(void)state;
	inv_batch_init(&b, &va4k, log_submit, NULL, &c);
	inv_plan_tlbi(&b, &va4k, 3, true, 0x10000, 16 * 4096);
	assert_int_equal(inv_batch_sync(&b), 0);
	assert_int_equal(qlog.calls, 0);
	assert_int_equal(c.seen, 1);
	assert_int_equal(c.tlbi, 0);
	assert_int_equal(c.sync, 0);
	assert_int_equal(c.avoided, 17);
	inv_plan_tlbi(&b, &ril4k, 3, true, 0x10000, 16 * 4096);
	assert_int_equal(c.avoided, 17 + 2);
	assert_int_equal(qlog.calls, 0);
}

/*
 * The notifier's fast path counts with inv_plan_avoided() alone: the same
 * figure the plan counts, for single pages, ranges, whole ASIDs, with and
 * without range TLBIs.
 */
static void test_avoided_alone(void **state)
{
	static const u64 sizes[] = { 0, 4096, 2 * 4096, 17 * 4096, 0x200000 };
	const struct inv_smmu *smmus[] = { &va4k, &ril4k };
	struct inv_counts c;
	struct inv_batch b;
	unsigned int i, j;

	(void)state;
	for (i = 0; i < 2; i++)
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			memset(&c, 0, sizeof(c));
			inv_batch_init(&b, smmus[i], log_submit, NULL, &c);
			inv_plan_tlbi(&b, smmus[i], 9, true, 0x7000, sizes[j]);
			assert_int_equal(inv_plan_avoided(smmus[i], 0x7000,
							  sizes[j]),
					 c.avoided);
		}
	assert_int_equal(inv_plan_avoided(&va4k, 0x7000, 0), 2);
	assert_int_equal(inv_plan_avoided(&va4k, 0x7000, 3 * 4096), 4);
	assert_int_equal(qlog.calls, 0);
}

/*
 * ATC: after the TLBIs' sync, one command per ATS stream, then a sync of
 * their own; under BTM only the latter half.
 */
static void test_atc_order(void **state)
{
	struct inv_counts c = { 0 };
	struct inv_batch b;
	int btm;

	(void)state;
	for (btm = 0; btm < 2; btm++) {
		reset(NULL);
		memset(&c, 0, sizeof(c));
		inv_batch_init(&b, &ril4k, log_submit, NULL, &c);
		inv_plan_tlbi(&b, &ril4k, 5, btm, 0x200000, 0x4000);
		inv_plan_atc(&b, 0x10, 1, 0x200000, 0x4000);
		inv_plan_atc(&b, 0x11, 1, 0x200000, 0x4000);
		assert_int_equal(inv_batch_sync(&b), 0);
		assert_int_equal(qlog.n, btm ? 2 : 3);
		assert_int_equal(qlog.syncs, btm ? 1 : 2);
		if (!btm)
			assert_int_equal(qlog.sync_after[0], 1);
		assert_int_equal(qlog.sync_after[qlog.syncs - 1], qlog.n);
		assert_int_equal(bits(qlog.cmd[qlog.n - 2].dw[0], 7, 0), 0x40);
		assert_int_equal(bits(qlog.cmd[qlog.n - 2].dw[0], 63, 32), 0x10);
		assert_int_equal(bits(qlog.cmd[qlog.n - 1].dw[0], 63, 32), 0x11);
		assert_int_equal(bits(qlog.cmd[qlog.n - 1].dw[0], 31, 12), 1);
		assert_int_equal(bits(qlog.cmd[qlog.n - 1].dw[0], 11, 11), 1);
		assert_int_equal(c.atc, 2);
		assert_int_equal(c.tlbi, btm ? 0 : 1);
		assert_int_equal(c.avoided, btm ? 2 : 0);
	}
}

/* More commands than a batch: submitted full without sync, synced once. */
static void test_batches(void **state)
{
	const struct inv_smmu va64k = { .page_shift = 16 };
	struct inv_counts c = { 0 };
	struct inv_batch b;

	(void)state;
	inv_batch_init(&b, &va64k, log_submit, NULL, &c);
	inv_plan_tlbi(&b, &va64k, 1, false, 0, 200ULL << 16);
	assert_int_equal(qlog.n, 200);
	assert_int_equal(qlog.calls, 4);
	assert_int_equal(qlog.syncs, 1);
	assert_int_equal(qlog.sync_after[0], 200);
	assert_int_equal(c.sync, 1);
	/* Nothing pending: a further sync sends nothing. */
	assert_int_equal(inv_batch_sync(&b), 0);
	assert_int_equal(qlog.calls, 4);
}

/* A queue that needs it gets a CMD_SYNC after every 63 commands. */
static void test_force_sync(void **state)
{
	const struct inv_smmu va64k = { .page_shift = 16, .force_sync = true };
	struct inv_counts c = { 0 };
	struct inv_batch b;

	(void)state;
	inv_batch_init(&b, &va64k, log_submit, NULL, &c);
	inv_plan_tlbi(&b, &va64k, 1, false, 0, 200ULL << 16);
	assert_int_equal(qlog.n, 200);
	assert_int_equal(qlog.syncs, 4);
	assert_int_equal(qlog.sync_after[0], 63);
	assert_int_equal(qlog.sync_after[1], 126);
	assert_int_equal(qlog.sync_after[2], 189);
	assert_int_equal(qlog.sync_after[3], 200);
	assert_int_equal(c.sync, 4);
}

/* Beyond what range TLBIs can name, the whole ASID. */
static void test_range_too_big(void **state)
{
	(void)state;
	assert_int_equal(inv_range_size(&ril4k, 0, (31ULL << 31) << 12), 0);
	assert_int_equal(inv_range_size(&ril4k, 0, ((31ULL << 31) - 1) << 12),
			 ((31ULL << 31) - 1) << 12);
}

/* The first error of any submission is what the batch reports. */
static void test_error_kept(void **state)
{
	const struct inv_smmu va64k = { .page_shift = 16 };
	struct inv_counts c = { 0 };
	struct inv_batch b;

	(void)state;
	qlog.fail_at = 2;
	inv_batch_init(&b, &va64k, log_submit, NULL, &c);
	inv_plan_tlbi(&b, &va64k, 1, false, 0, 100ULL << 16);
	assert_int_equal(qlog.calls, 2);
	assert_int_equal(inv_batch_sync(&b), -ETIMEDOUT);
	assert_int_equal(b.err, -ETIMEDOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_range_size, reset),
		cmocka_unit_test_setup(test_stock_pages, reset),
		cmocka_unit_test_setup(test_stock_asid, reset),
		cmocka_unit_test_setup(test_range_tiles, reset),
		cmocka_unit_test_setup(test_broadcast_avoids, reset),
		cmocka_unit_test_setup(test_avoided_alone, reset),
		cmocka_unit_test_setup(test_atc_order, reset),
		cmocka_unit_test_setup(test_batches, reset),
		cmocka_unit_test_setup(test_error_kept, reset),
		cmocka_unit_test_setup(test_force_sync, reset),
		cmocka_unit_test_setup(test_range_too_big, reset),
	};

	return cmocka_run_group_tests_name("inv_plan", tests, NULL, NULL);
}
