// SPDX-License-Identifier: GPL-2.0
/*
 * Host benchmark: allocator operations per second at several fill levels of
 * a 16-bit allocator, and the host cost of one asid_move_run() with no-op
 * callbacks. Each figure is the median of RUNS runs. Informational only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "asid_alloc.h"
#include "asid_move.h"
#include "bench.h"

#define OPS		2000000
#define MOVES		200000
#define MAX_CDS		64

static void *bench_zalloc(size_t size)
{
	return calloc(1, size);
}

static const struct asid_alloc_ops host_ops = {
	.zalloc = bench_zalloc,
	.free = free,
};

static u64 rng_state = 88172645463325252ULL;

static u32 rnd(u32 n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)(rng_state % n);
}

static int owner;

/* @fill ASIDs taken at random, so the free ones are scattered. */
static void fill(struct asid_alloc *aa, u32 fill)
{
	u32 n = 0;

	while (n < fill)
		n += !asid_reserve_private(aa, rnd(65535) + 1, &owner);
}

/* Returns the pairs per second. */
static double bench_alloc_free(u32 level)
{
	struct asid_alloc aa;
	double t;
	u16 asid;
	int i;

	asid_alloc_init(&aa, 16, &host_ops);
	fill(&aa, level);
	t = now();
	for (i = 0; i < OPS; i++) {
		asid_alloc_private(&aa, &owner, &asid);
		asid_free_private(&aa, asid);
	}
	t = now() - t;
	asid_alloc_destroy(&aa);
	return OPS / t;
}

static double bench_pin_unpin(u32 level)
{
	static u16 free_asids[65536];
	struct asid_alloc aa;
	void *displaced;
	u32 nr_free = 0, a;
	double t;
	int i;

	asid_alloc_init(&aa, 16, &host_ops);
	fill(&aa, level);
	for (a = 1; a < 65536; a++)
		if (asid_kind_of(&aa, a) == ASID_FREE)
			free_asids[nr_free++] = a;
	t = now();
	for (i = 0; i < OPS; i++) {
		a = free_asids[i % nr_free];
		asid_pin_shared(&aa, a, &owner, &displaced);
		asid_unpin(&aa, a);
	}
	t = now() - t;
	asid_alloc_destroy(&aa);
	return OPS / t;
}

struct noop_domain {
	unsigned int nr_cds;
	u16 cd[MAX_CDS];
};

static void noop_publish(void *ctx, const u16 *asids, unsigned int n)
{
	(void)ctx;
	(void)asids;
	(void)n;
}

static void *noop_next_cd(void *ctx, void *cd)
{
	struct noop_domain *d = ctx;
	u16 *next = cd ? (u16 *)cd + 1 : d->cd;

	return next < d->cd + d->nr_cds ? next : NULL;
}

static int noop_write_cd(void *ctx, void *cd, u16 asid)
{
	(void)ctx;
	*(u16 *)cd = asid;
	return 0;
}

static int noop_cfgi(void *ctx, void *cd)
{
	(void)ctx;
	(void)cd;
	return 0;
}

static int noop_sync(void *ctx)
{
	(void)ctx;
	return 0;
}

static int noop_tlbi(void *ctx, u16 asid)
{
	(void)ctx;
	(void)asid;
	return 0;
}

static const struct asid_move_ops noop_ops = {
	.publish_targets = noop_publish,
	.next_cd = noop_next_cd,
	.write_cd_asid = noop_write_cd,
	.cfgi_cd = noop_cfgi,
	.sync = noop_sync,
	.tlbi_asid = noop_tlbi,
};

/* Returns nanoseconds per move. */
static double bench_move(unsigned int nr_cds)
{
	struct noop_domain d = { .nr_cds = nr_cds };
	struct asid_alloc aa;
	u16 a, b;
	double t;
	int i;

	asid_alloc_init(&aa, 16, &host_ops);
	asid_alloc_private(&aa, &d, &a);
	t = now();
	for (i = 0; i < MOVES; i++) {
		if (asid_move_run(&noop_ops, &d, &aa, a, ASID_MOVE_FREE, NULL,
				  &b)) {
			fprintf(stderr, "move failed\n");
			exit(1);
		}
		a = b;
	}
	t = now() - t;
	asid_alloc_destroy(&aa);
	return t / MOVES * 1e9;
}

int main(void)
{
	static const u32 levels[] = { 10000, 30000, 50000, 65000 };
	static const unsigned int cds[] = { 1, 8, 64 };
	double af[RUNS], pu[RUNS], mv[RUNS];
	unsigned int i, r;

	printf("asid allocator, 16-bit, median of %d runs of %d pairs\n",
	       RUNS, OPS);
	printf("%10s %24s %20s\n", "taken", "alloc+free Mpairs/s",
	       "pin+unpin Mpairs/s");
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		for (r = 0; r < RUNS; r++) {
			af[r] = bench_alloc_free(levels[i]);
			pu[r] = bench_pin_unpin(levels[i]);
		}
		printf("%10u %24.1f %20.1f\n", levels[i], median(af) / 1e6,
		       median(pu) / 1e6);
	}
	printf("\nasid_move_run, no-op callbacks, median of %d runs of %d moves\n",
	       RUNS, MOVES);
	printf("%10s %14s\n", "CDs", "ns per move");
	for (i = 0; i < sizeof(cds) / sizeof(cds[0]); i++) {
		for (r = 0; r < RUNS; r++)
			mv[r] = bench_move(cds[i]);
		printf("%10u %14.1f\n", cds[i], median(mv));
	}
	return 0;
}
