// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the make-before-break ASID move (src/core/asid_move.c): the exact
 * order of the callbacks, and the undo when one fails. The callbacks act on
 * a fake domain and record what they are asked to do.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "asid_alloc.h"
#include "asid_move.h"

#define MAX_CDS		64
#define LOG_LEN		8192

struct fake_domain {
	unsigned int nr_cds;
	u16 cd_asid[MAX_CDS];
	u16 targets[ASID_MOVE_MAX_TARGETS];
	unsigned int nr_targets;
	/* What the outside allocator of claiming_ops hands out next. */
	u16 claim_next;
	/* Fail the fail_at'th int callback (1-based; 0: never), once. */
	unsigned int fail_at, calls;
	char log[LOG_LEN];
};

static void log_add(struct fake_domain *d, const char *fmt, ...)
{
	size_t len = strlen(d->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->log + len, LOG_LEN - len, fmt, ap);
	va_end(ap);
}

/* Whether this int callback fails; a failed call does nothing. */
static bool fails(struct fake_domain *d)
{
	if (++d->calls != d->fail_at)
		return false;
	log_add(d, "FAIL ");
	return true;
}

static unsigned int cd_index(struct fake_domain *d, void *cd)
{
	return (unsigned int)((u16 *)cd - d->cd_asid);
}

static void fake_publish(void *ctx, const u16 *asids, unsigned int n)
{
	struct fake_domain *d = ctx;
	unsigned int i;

	assert_true(n >= 1 && n <= ASID_MOVE_MAX_TARGETS);
	log_add(d, "publish");
	for (i = 0; i < n; i++) {
		d->targets[i] = asids[i];
		log_add(d, "%c%u", i ? ',' : ' ', asids[i]);
	}
	d->nr_targets = n;
	log_add(d, "; ");
}

static void *fake_next_cd(void *ctx, void *cd)
{
	struct fake_domain *d = ctx;
	unsigned int next = cd ? cd_index(d, cd) + 1 : 0;

	return next < d->nr_cds ? &d->cd_asid[next] : NULL;
}

static int fake_write_cd(void *ctx, void *cd, u16 asid)
{
	struct fake_domain *d = ctx;

	if (fails(d))
		return -EIO;
	log_add(d, "write cd%u %u; ", cd_index(d, cd), asid);
	*(u16 *)cd = asid;
	return 0;
}

static int fake_cfgi(void *ctx, void *cd)
{
	struct fake_domain *d = ctx;

	if (fails(d))
		return -EIO;
	log_add(d, "cfgi cd%u; ", cd_index(d, cd));
	return 0;
}

static int fake_sync(void *ctx)
{
	struct fake_domain *d = ctx;

	if (fails(d))
		return -ETIMEDOUT;
	log_add(d, "sync; ");
	return 0;
}

static int fake_tlbi(void *ctx, u16 asid)
{
	struct fake_domain *d = ctx;

	if (fails(d))
		return -EIO;
	log_add(d, "tlbi %u; ", asid);
	return 0;
}

static const struct asid_move_ops fake_ops = {
	.publish_targets = fake_publish,
	.next_cd = fake_next_cd,
	.write_cd_asid = fake_write_cd,
	.cfgi_cd = fake_cfgi,
	.sync = fake_sync,
	.tlbi_asid = fake_tlbi,
};

static int fake_claim(void *ctx, u16 *asid)
{
	struct fake_domain *d = ctx;

	if (fails(d))
		return -EBUSY;
	*asid = d->claim_next;
	log_add(d, "claim %u; ", *asid);
	return 0;
}

static void fake_release(void *ctx, u16 asid)
{
	log_add(ctx, "release %u; ", asid);
}

/* The same, with an outside allocator that the new ASID is claimed from. */
static const struct asid_move_ops claiming_ops = {
	.publish_targets = fake_publish,
	.next_cd = fake_next_cd,
	.write_cd_asid = fake_write_cd,
	.cfgi_cd = fake_cfgi,
	.sync = fake_sync,
	.tlbi_asid = fake_tlbi,
	.claim_asid = fake_claim,
	.release_asid = fake_release,
};

static void *test_zalloc(size_t size)
{
	return calloc(1, size);
}

static const struct asid_alloc_ops host_ops = {
	.zalloc = test_zalloc,
	.free = free,
};

static int mm_x, other_domain;

/* A domain on ASID 1 with @nr_cds CDs; ASID 2 belongs to another domain. */
static void setup_domain(struct asid_alloc *aa, struct fake_domain *d,
			 unsigned int nr_cds, unsigned int bits)
{
	unsigned int i;
	u16 asid;

	memset(d, 0, sizeof(*d));
	assert_int_equal(asid_alloc_init(aa, bits, &host_ops), 0);
	assert_int_equal(asid_alloc_private(aa, d, &asid), 0);
	assert_int_equal(asid, 1);
	assert_int_equal(asid_alloc_private(aa, &other_domain, &asid), 0);
	d->nr_cds = nr_cds;
	for (i = 0; i < nr_cds; i++)
		d->cd_asid[i] = 1;
	d->targets[0] = 1;
	d->nr_targets = 1;
}

static void assert_cds_on(struct fake_domain *d, u16 asid)
{
	unsigned int i;

	for (i = 0; i < d->nr_cds; i++)
		assert_int_equal(d->cd_asid[i], asid);
}

static void test_move_success_order(void **state)
{
	struct fake_domain d;
	struct asid_alloc aa;
	struct asid_counts c;
	u16 b = 0;

	(void)state;
	setup_domain(&aa, &d, 3, 16);
	assert_int_equal(asid_move_run(&fake_ops, &d, &aa, 1, ASID_MOVE_PIN,
				       &mm_x, &b), 0);
	assert_string_equal(d.log,
			    "publish 1,3; "
			    "write cd0 3; cfgi cd0; sync; "
			    "write cd1 3; cfgi cd1; sync; "
			    "write cd2 3; cfgi cd2; sync; "
			    "tlbi 1; sync; "
			    "publish 3; ");
	assert_int_equal(b, 3);
	assert_cds_on(&d, 3);
	assert_int_equal(d.nr_targets, 1);
	assert_int_equal(d.targets[0], 3);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_PINNED);
	assert_ptr_equal(asid_owner(&aa, 1), &mm_x);
	assert_int_equal(asid_kind_of(&aa, 3), ASID_PRIVATE);
	assert_ptr_equal(asid_owner(&aa, 3), &d);
	asid_alloc_counts(&aa, &c);
	assert_int_equal(c.nr_private, 2);
	assert_int_equal(c.nr_pinned, 1);
	assert_int_equal(c.nr_moving, 0);
	assert_int_equal(asid_unpin(&aa, 1), 0);
	asid_alloc_destroy(&aa);
}

static void test_move_free_end_no_cds(void **state)
{
	struct fake_domain d;
	struct asid_alloc aa;
	u16 b = 0;

	(void)state;
	setup_domain(&aa, &d, 0, 8);
	assert_int_equal(asid_move_run(&fake_ops, &d, &aa, 1, ASID_MOVE_FREE,
				       NULL, &b), 0);
	assert_string_equal(d.log, "publish 1,3; tlbi 1; sync; publish 3; ");
	assert_int_equal(b, 3);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_FREE);
	asid_alloc_destroy(&aa);
}

static void test_move_bad_args(void **state)
{
	struct fake_domain d;
	struct asid_alloc aa;
	u16 b = 0;

	(void)state;
	setup_domain(&aa, &d, 2, 8);
	assert_int_equal(asid_move_run(&fake_ops, &d, &aa, 1,
				       ASID_MOVE_ABORT, NULL, &b), -EINVAL);
	assert_int_equal(asid_move_run(&fake_ops, &d, &aa, 5, ASID_MOVE_FREE,
				       NULL, &b), -EINVAL);
	assert_int_equal(asid_move_run(&fake_ops, &d, &aa, 0, ASID_MOVE_FREE,
				       NULL, &b), -EINVAL);
	assert_string_equal(d.log, "");
	assert_int_equal(b, 0);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_PRIVATE);
	asid_alloc_destroy(&aa);
}

/*
 * The new ASID is the one the outside allocator picks (not the allocator's
 * lowest free), claimed before anything is published; a claim that fails
 * ends the move with nothing issued and the allocator as before, an ASID
 * claimed that the allocator holds already is given back at once, and an
 * undone move gives back what it claimed, after the last TLBI of it.
 */
static void test_move_claim_release(void **state)
{
	struct fake_domain d;
	struct asid_alloc aa;
	struct asid_counts before, after;
	u16 b = 0;

	(void)state;
	setup_domain(&aa, &d, 2, 8);
	d.claim_next = 7;
	asid_alloc_counts(&aa, &before);
	d.fail_at = 1;
	assert_int_equal(asid_move_run(&claiming_ops, &d, &aa, 1,
				       ASID_MOVE_FREE, NULL, &b), -EBUSY);
	assert_string_equal(d.log, "FAIL ");
	asid_alloc_counts(&aa, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(asid_kind_of(&aa, 1), ASID_PRIVATE);
	assert_int_equal(asid_kind_of(&aa, 7), ASID_FREE);

	/* ASID 2 is another domain's here: released, nothing else done. */
	d.log[0] = 0;
	d.calls = 0;
	d.fail_at = 0;
	d.claim_next = 2;
	assert_int_equal(asid_move_run(&claiming_ops, &d, &aa, 1,
				       ASID_MOVE_FREE, NULL, &b), -EBUSY);
	assert_string_equal(d.log, "claim 2; release 2; ");
	asid_alloc_counts(&aa, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_ptr_equal(asid_owner(&aa, 2), &other_domain);

	/* Fail the second CD's write: the undo releases 7 at its very end. */
	d.log[0] = 0;
	d.calls = 0;
	d.fail_at = 5;
	d.claim_next = 7;
	assert_int_equal(asid_move_run(&claiming_ops, &d, &aa, 1,
				       ASID_MOVE_FREE, NULL, &b), -EIO);
	assert_string_equal(d.log,
			    "claim 7; publish 1,7; "
			    "write cd0 7; cfgi cd0; sync; FAIL "
			    "write cd0 1; cfgi cd0; sync; "
			    "write cd1 1; cfgi cd1; sync; "
			    "tlbi 7; sync; publish 1; release 7; ");
	asid_alloc_counts(&aa, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_cds_on(&d, 1);

	d.log[0] = 0;
	d.fail_at = 0;
	assert_int_equal(asid_move_run(&claiming_ops, &d, &aa, 1,
				       ASID_MOVE_FREE, NULL, &b), 0);
	assert_string_equal(d.log,
			    "claim 7; publish 1,7; "
			    "write cd0 7; cfgi cd0; sync; "
			    "write cd1 7; cfgi cd1; sync; "
			    "tlbi 1; sync; publish 7; ");
	assert_int_equal(b, 7);
	assert_int_equal(asid_kind_of(&aa, 7), ASID_PRIVATE);
	asid_alloc_destroy(&aa);
}

/* No ASID for b: nothing is issued and nothing changes. */
static void test_move_enospc(void **state)
{
	struct fake_domain d;
	struct asid_alloc aa;
	struct asid_counts c;
	u16 asid, b = 0;

	(void)state;
	setup_domain(&aa, &d, 2, 8);
	while (!asid_alloc_private(&aa, &other_domain, &asid))
		;
	assert_int_equal(asid_move_run(&fake_ops, &d, &aa, 1, ASID_MOVE_PIN,
				       &mm_x, &b), -ENOSPC);
	assert_string_equal(d.log, "");
	assert_int_equal(b, 0);
	assert_cds_on(&d, 1);
	assert_int_equal(asid_kind_of(&aa, 1), ASID_PRIVATE);
	assert_ptr_equal(asid_owner(&aa, 1), &d);
	asid_alloc_counts(&aa, &c);
	assert_int_equal(c.nr_private, 255);
	assert_int_equal(c.nr_moving, 0);
	assert_int_equal(c.nr_free, 0);
	asid_alloc_destroy(&aa);
}

/* A failure at the second CD's CFGI, in full. */
static void test_move_failure_order(void **state)
{
	struct fake_domain d;
	struct asid_alloc aa;
	u16 b = 0;

	(void)state;
	setup_domain(&aa, &d, 3, 16);
	d.fail_at = 5;	/* write cd0, cfgi cd0, sync, write cd1, cfgi cd1 */
	assert_int_equal(asid_move_run(&fake_ops, &d, &aa, 1, ASID_MOVE_PIN,
				       &mm_x, &b), -EIO);
	assert_string_equal(d.log,
			    "publish 1,3; "
			    "write cd0 3; cfgi cd0; sync; "
			    "write cd1 3; FAIL "
			    "write cd0 1; cfgi cd0; sync; "
			    "write cd1 1; cfgi cd1; sync; "
			    "tlbi 3; sync; "
			    "publish 1; ");
	assert_int_equal(b, 0);
	asid_alloc_destroy(&aa);
}

/*
 * A failure at every int callback of the forward path in turn: each time
 * the domain ends as it began, and the allocator too.
 */
static void test_move_failure_rollback(void **state)
{
	const unsigned int nr_cds = 4;
	/* 3 per CD, then TLBI and sync. */
	const unsigned int nr_calls = 3 * nr_cds + 2;
	struct asid_counts before, after;
	struct fake_domain d;
	struct asid_alloc aa;
	unsigned int k;
	const char *undo;
	u16 b;

	(void)state;
	for (k = 1; k <= nr_calls; k++) {
		setup_domain(&aa, &d, nr_cds, 16);
		asid_alloc_counts(&aa, &before);
		d.fail_at = k;
		b = 0;
		assert_true(asid_move_run(&fake_ops, &d, &aa, 1, ASID_MOVE_PIN,
					  &mm_x, &b) < 0);
		assert_int_equal(b, 0);
		assert_cds_on(&d, 1);
		assert_int_equal(d.nr_targets, 1);
		assert_int_equal(d.targets[0], 1);
		assert_int_equal(asid_kind_of(&aa, 1), ASID_PRIVATE);
		assert_ptr_equal(asid_owner(&aa, 1), &d);
		assert_int_equal(asid_kind_of(&aa, 3), ASID_FREE);
		asid_alloc_counts(&aa, &after);
		assert_memory_equal(&before, &after, sizeof(before));
		/* b is invalidated before the targets drop it. */
		undo = strstr(d.log, "FAIL ");
		assert_non_null(undo);
		assert_non_null(strstr(undo, "tlbi 3; sync; publish 1; "));
		assert_null(strstr(undo, "write cd0 3"));
		asid_alloc_destroy(&aa);
	}
}

/* The 7.x array the move installs: the copy for the new ASID in order. */
static void test_array_source_examples(void **state)
{
	/* Old array: ids 3, 7, 10 (the old ASID, at 2), 12 (another SMMU). */
	static const size_t lower[] = { 0, 1, 2, 2, 3 };	/* b = 5 */
	static const size_t higher[] = { 0, 1, 2, 2, 3 };	/* b = 11 */
	static const bool lower_new[] = { false, false, true, false, false };
	static const bool higher_new[] = { false, false, false, true, false };
	bool is_new;
	size_t j;

	(void)state;
	for (j = 0; j < 5; j++) {
		assert_int_equal(asid_move_array_source(j, 2, 10, 5, &is_new),
				 lower[j]);
		assert_int_equal(is_new, lower_new[j]);
		assert_int_equal(asid_move_array_source(j, 2, 10, 11, &is_new),
				 higher[j]);
		assert_int_equal(is_new, higher_new[j]);
	}
}

/*
 * Review R4: a bind through a 16-bit SMMU moves a DMA domain of an 8-bit
 * one; its new ASID must fit the 8-bit SMMU, and both ways round.
 */
static void test_limit_owner_width(void **state)
{
	struct asid_alloc wide, narrow;

	(void)state;
	assert_int_equal(asid_alloc_init(&wide, 16, &host_ops), 0);
	assert_int_equal(asid_alloc_init(&narrow, 8, &host_ops), 0);
	assert_int_equal(asid_move_limit(&wide, 8), 256);
	assert_int_equal(asid_move_limit(&wide, 16), 65536);
	assert_int_equal(asid_move_limit(&narrow, 16), 256);
	assert_int_equal(asid_move_limit(&narrow, 8), 256);
	asid_alloc_destroy(&wide);
	asid_alloc_destroy(&narrow);
}

/*
 * Every length, position and side: each old entry once and in order, one
 * copy of the old ASID's entry, next to it on the side its ASID sorts.
 */
static void test_array_source_all(void **state)
{
	size_t num, at, j, src, prev, news, at_pos;
	bool is_new, lower;

	(void)state;
	for (num = 1; num <= 9; num++) {
		for (at = 0; at < num; at++) {
			for (lower = false; ; lower = true) {
				prev = 0;
				news = 0;
				at_pos = 0;
				for (j = 0; j <= num; j++) {
					src = asid_move_array_source(j, at, 100,
								     lower ? 50 : 150,
								     &is_new);
					assert_true(src < num);
					assert_true(j == 0 || src >= prev);
					assert_true(src == j || src + 1 == j);
					if (is_new) {
						news++;
						assert_int_equal(src, at);
						at_pos = j;
					}
					prev = src;
				}
				assert_int_equal(news, 1);
				assert_int_equal(at_pos, lower ? at : at + 1);
				if (lower)
					break;
			}
		}
	}
}

/*
 * Which of a move's ASIDs a CD holds: the old one and the new one (for the
 * undo) are the move's to write; anything else changed hands (word 0's V
 * is bit 31, ASET bit 47, the ASID bits 63:48, in IHI 0070).
 */
static void test_cd_side(void **state)
{
	const u64 v = 1ULL << 31, aset = 1ULL << 47, other = 0x0000123400c0ffeeULL;
	const u16 a = 0x2a, b = 0x2b01;

	(void)state;
	assert_int_equal(asid_move_cd_side(v | aset | other | (u64)a << 48, a, b),
			 ASID_MOVE_CD_OLD);
	assert_int_equal(asid_move_cd_side(v | aset | other | (u64)b << 48, a, b),
			 ASID_MOVE_CD_NEW);
	/* The sides follow the arguments, not the values. */
	assert_int_equal(asid_move_cd_side(v | aset | (u64)a << 48, b, a),
			 ASID_MOVE_CD_NEW);
	/* A third ASID: another domain's CD now. */
	assert_int_equal(asid_move_cd_side(v | aset | (u64)0x2c << 48, a, b),
			 ASID_MOVE_CD_FOREIGN);
	/* Invalid: cleared by a detach since it was found. */
	assert_int_equal(asid_move_cd_side(aset | (u64)a << 48, a, b),
			 ASID_MOVE_CD_FOREIGN);
	/* Shared with the CPU: an SVA CD on that ASID, never a move's. */
	assert_int_equal(asid_move_cd_side(v | (u64)a << 48, a, b),
			 ASID_MOVE_CD_FOREIGN);
	assert_int_equal(asid_move_cd_side(v | (u64)b << 48, a, b),
			 ASID_MOVE_CD_FOREIGN);
	assert_int_equal(asid_move_cd_side(0, a, b), ASID_MOVE_CD_FOREIGN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_success_order),
		cmocka_unit_test(test_move_free_end_no_cds),
		cmocka_unit_test(test_move_bad_args),
		cmocka_unit_test(test_move_enospc),
		cmocka_unit_test(test_move_claim_release),
		cmocka_unit_test(test_move_failure_order),
		cmocka_unit_test(test_move_failure_rollback),
		cmocka_unit_test(test_limit_owner_width),
		cmocka_unit_test(test_array_source_examples),
		cmocka_unit_test(test_array_source_all),
		cmocka_unit_test(test_cd_side),
	};

	return cmocka_run_group_tests_name("asid_move", tests, NULL, NULL);
}
