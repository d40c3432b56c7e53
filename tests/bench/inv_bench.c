// SPDX-License-Identifier: GPL-2.0
/*
 * Host benchmark: the invalidation shim's own CPU cost per invalidation
 * (src/core/inv_plan.c, the module's source), with a submit function that only
 * counts, so the figure is the planning and encoding alone. Each figure is
 * the median of RUNS runs. Informational only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "inv_plan.h"

#define INVS	2000000

static unsigned long long submitted, touched;

static int count_submit(void *ctx, struct smmu_cmd *cmds, unsigned int n,
			bool sync)
{
	(void)ctx;
	/* Read the commands, as a queue write would. */
	if (n)
		touched += cmds[n - 1].dw[0];
	submitted += n + sync;
	return 0;
}

struct scenario {
	const char *name;
	bool range_inv;
	bool broadcast;
	unsigned int pages;
	unsigned int ats_streams;
};

/* ns per invalidation, and the commands each one sends. */
static double run(const struct scenario *s, double *cmds)
{
	const struct inv_smmu smmu = { .range_inv = s->range_inv,
				       .page_shift = 12 };
	double t[RUNS], start;
	struct inv_counts c = { 0 };
	struct inv_batch b;
	unsigned int r, i, k;
	u64 va, size;

	for (r = 0; r < RUNS; r++) {
		submitted = 0;
		start = now();
		for (i = 0; i < INVS; i++) {
			va = 0x400000000ULL + ((u64)(i & 1023) << 16);
			size = inv_range_size(&smmu, va,
					      va + ((u64)s->pages << 12));
			inv_batch_init(&b, &smmu, count_submit, NULL, &c);
			inv_plan_tlbi(&b, &smmu, 42, s->broadcast, va, size);
			for (k = 0; k < s->ats_streams; k++)
				inv_plan_atc(&b, 8 + k, 1, va, size);
			inv_batch_sync(&b);
		}
		t[r] = (now() - start) * 1e9 / INVS;
		*cmds = (double)submitted / INVS;
	}
	return median(t);
}

int main(void)
{
	static const struct scenario scenarios[] = {
		{ "btm, 16 pages, no ATS", true, true, 16, 0 },
		{ "btm, 16 pages, 1 ATS stream", true, true, 16, 1 },
		{ "stock RIL, 16 pages", true, false, 16, 0 },
		{ "stock RIL, 1000 pages", true, false, 1000, 0 },
		{ "stock no RIL, 16 pages", false, false, 16, 0 },
		{ "stock no RIL, 511 pages", false, false, 511, 0 },
		{ "stock no RIL, 512 pages (whole ASID)", false, false, 512, 0 },
	};
	unsigned int i;
	double ns, cmds;

	printf("# invalidation shim, host: ns per invalidation (median of %d runs of %d)\n",
	       RUNS, INVS);
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		ns = run(&scenarios[i], &cmds);
		printf("shim %-40s %8.1f ns  %6.1f commands (incl. sync)\n",
		       scenarios[i].name, ns, cmds);
	}
	return touched == 1;	/* never: keeps the reads */
}
