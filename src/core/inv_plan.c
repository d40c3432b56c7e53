// SPDX-License-Identifier: GPL-2.0
/*
 * The commands of one CPU-side invalidation of an SVA domain's mm. Pure
 * logic: compiled into the module and into the host unit tests.
 *
 * Without BTM the figures are the stock driver's, so that the fallback
 * path costs what upstream costs and "commands avoided" is an honest
 * difference: TLBIs first, each range TLBI covering up to 31 blocks of
 * 2^SCALE pages, then a CMD_SYNC; ATC invalidations only after that sync
 * (a device must not refill its ATC from SMMU TLB entries about to go),
 * then their own CMD_SYNC.
 *
 * Design: doc/invalidation-shim.md.
 */
#include <linux/types.h>

#include "inv_plan.h"
#include "smmu_cmds.h"

/* The largest range one TLBI can name: 31 blocks of 2^31 pages. */
#define RANGE_MAX_PAGES	((u64)(SMMU_TLBI_RANGE_NUM - 1) << 31)

/**
 * inv_batch_init() - start an empty batch
 * @b: the batch
 * @s: the SMMU the batch is for
 * @submit: where its commands go
 * @ctx: passed to @submit
 * @counts: what is sent is added here
 */
void inv_batch_init(struct inv_batch *b, const struct inv_smmu *s,
		    inv_submit_fn submit, void *ctx, struct inv_counts *counts)
{
	b->n = 0;
	b->unsynced = false;
	b->force_sync = s->force_sync;
	b->submit = submit;
	b->ctx = ctx;
	b->counts = counts;
	b->err = 0;
}

static void batch_submit(struct inv_batch *b, bool sync)
{
	int ret = b->submit(b->ctx, b->cmd, b->n, sync);

	if (ret && !b->err)
		b->err = ret;
	b->unsynced = !sync;
	b->n = 0;
	if (sync)
		b->counts->sync++;
}

/*
 * The next free entry, submitting a full batch first: without a sync, or
 * at 63 commands with one where the queue needs it.
 */
static struct smmu_cmd *batch_next(struct inv_batch *b)
{
	if (b->n == INV_BATCH_CMDS)
		batch_submit(b, false);
	else if (b->force_sync && b->n == INV_BATCH_CMDS - 1)
		batch_submit(b, true);
	return &b->cmd[b->n++];
}

/**
 * inv_batch_sync() - submit what is gathered, then a CMD_SYNC
 * @b: the batch
 *
 * Nothing is sent when no command was gathered since the last sync.
 *
 * Return: the first error any submission of @b returned, else 0.
 */
int inv_batch_sync(struct inv_batch *b)
{
	if (b->n || b->unsynced)
		batch_submit(b, true);
	return b->err;
}

/**
 * inv_range_size() - the size of a notifier's range, as the plan takes it
 * @s: the SMMU
 * @start: first address, as the mm notifier gives it
 * @end: the first address after the range (ULONG_MAX for the whole mm)
 *
 * Return: @end - @start, or 0 for "the whole ASID": the whole mm, more
 * pages than range TLBIs can name, or, without range TLBIs, more pages than
 * the driver sends one TLBI each for (as many as one page of the CPU's
 * tables maps: 512 with 4KB pages).
 */
u64 inv_range_size(const struct inv_smmu *s, u64 start, u64 end)
{
	u64 size = end - start, pages = size >> s->page_shift;

	/* The whole mm is (0, ULONG_MAX); an empty range is taken as whole. */
	if (end <= start || end == ~0ULL)
		return 0;
	if (s->range_inv ? pages >= RANGE_MAX_PAGES :
			   pages >= 1ULL << (s->page_shift - 3))
		return 0;
	return size;
}

/* The TLBIs of [start, start + size), or of the whole ASID for size 0. */
static u64 plan_tlbi(struct inv_batch *b, const struct inv_smmu *s, u16 asid,
		     u64 start, u64 size)
{
	u64 pages, va = start, count = 0;
	unsigned int scale, num;

	if (!size) {
		if (b)
			smmu_cmd_tlbi_asid(batch_next(b), asid, s->el2);
		return 1;
	}
	pages = ((start + size - 1) >> s->page_shift) -
		(start >> s->page_shift) + 1;
	va = start & ~((1ULL << s->page_shift) - 1);
	/* Only counting: one TLBI per page. */
	if (!s->range_inv && !b)
		return pages;
	if (!s->range_inv) {
		for (; pages; pages--, va += 1ULL << s->page_shift, count++)
			smmu_cmd_tlbi_va(batch_next(b), asid, va, false,
					 s->el2);
		return count;
	}
	/*
	 * A range TLBI with NUM and SCALE both 0 would be a single page at
	 * some level of the tables, which a non-leaf invalidation must not
	 * be: round such a count up to two pages, wider never narrower.
	 */
	if ((pages & (SMMU_TLBI_RANGE_NUM - 1)) == 1)
		pages++;
	/* Each command takes the lowest five set bits' worth of pages. */
	while (pages) {
		scale = __builtin_ctzll(pages);
		num = (pages >> scale) & (SMMU_TLBI_RANGE_NUM - 1);
		if (b)
			smmu_cmd_tlbi_range(batch_next(b), asid, va, num, scale,
					    s->page_shift, s->el2);
		pages -= (u64)num << scale;
		va += (u64)num << (scale + s->page_shift);
		count++;
	}
	return count;
}

/**
 * inv_plan_avoided() - what broadcast maintenance saves one invalidation
 * @s: the SMMU
 * @start: first address
 * @size: from inv_range_size(); 0 for the whole ASID
 *
 * Return: the commands the stock path would send for the range: its TLBIs
 * and the CMD_SYNC after them.
 */
u64 inv_plan_avoided(const struct inv_smmu *s, u64 start, u64 size)
{
	return plan_tlbi(NULL, s, 0, start, size) + 1;
}

/**
 * inv_plan_tlbi() - the SMMU TLB part of one invalidation
 * @b: the batch; synced at the end when anything was sent
 * @s: the SMMU
 * @asid: the domain's ASID
 * @broadcast: the SMMU already took the CPU's broadcast TLBIs for @asid
 *	       (BTM on the mm's own ASID): send nothing, count what the
 *	       stock path would have sent as avoided
 * @start: first address
 * @size: from inv_range_size(); 0 for the whole ASID
 */
void inv_plan_tlbi(struct inv_batch *b, const struct inv_smmu *s, u16 asid,
		   bool broadcast, u64 start, u64 size)
{
	u64 n;

	b->counts->seen++;
	if (broadcast) {
		b->counts->avoided += inv_plan_avoided(s, start, size);
		return;
	}
	n = plan_tlbi(b, s, asid, start, size);
	b->counts->tlbi += n;
	inv_batch_sync(b);
}

/**
 * inv_plan_atc() - invalidate one ATS stream's ATC for the range
 * @b: the batch; the caller syncs it after the last stream
 * @sid: the master's StreamID
 * @ssid: the SubstreamID (PASID) the domain is attached with
 * @start: first address
 * @size: from inv_range_size(); 0 for the whole address space
 */
void inv_plan_atc(struct inv_batch *b, u32 sid, u32 ssid, u64 start,
		  u64 size)
{
	smmu_cmd_atc_inv(batch_next(b), sid, ssid, true, start, size);
	b->counts->atc++;
}
