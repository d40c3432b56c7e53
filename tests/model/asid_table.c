// SPDX-License-Identifier: GPL-2.0
/*
 * Host model of the arm-smmu-v3 driver's ASID table, global to its SMMUs,
 * with smmu-btm's claims in it (src/core/asid_claims.c, src/core/asid_alloc.c): two
 * SMMUs, the driver's DMA domains coming and going on each, and SVA domains
 * of several processes bound and unbound on either, each on its mm's CPU
 * ASID where the claims allow it, else on a private ASID (some processes'
 * CPU ASIDs cannot be pinned, as happens when the CPU runs out of pins).
 *
 * The table behaves as the driver's xarray: an allocation takes the lowest
 * index with no entry, reserved ones included; a lookup reads a reserved
 * entry as empty. On 6.2 to 6.9 smmu-btm's private ASIDs are reserved
 * entries too, since that driver's table holds context descriptors.
 *
 * Invariants, checked after every step:
 *  T1: the ASID of every live context (a DMA domain, or an SVA domain) is
 *      taken in the table: the driver will not hand it out again;
 *  T2: no two live contexts on one SMMU share an ASID, but for SVA domains
 *      of one process on its CPU ASID;
 *  T3: at the end, with every context gone, the table is empty;
 *  T4: every DMA domain's ASID fits the ASID width of its own SMMU.
 *
 * A third SMMU, narrower (4-bit ASIDs) and without SVA, as a board mixes a
 * PCIe SMMU with an accelerator's, has DMA domains only: an SVA bind
 * through SMMU 0 or 1 moves them off a CPU ASID in its own allocator, with
 * asid_move_limit() keeping the new ASID within the owner's width (review
 * R4). The same moves capped by the binding SMMU's width only, as before
 * R4, must break T4.
 *
 * Also run: the bookkeeping of 570b0c8 (a per-ASID count of CPU ASID users
 * that reserved with xa_reserve(), which does nothing over an existing
 * entry, and let go with xa_release(), which erases any reserved entry; and
 * per-SMMU allocators mirrored from the table by xa_for_each(), which skips
 * reserved entries), which T2 must catch: the review's finding 4.
 *
 * Output: "PASS asid-table/<case>" or "FAIL asid-table/<case>: why" lines;
 * the exit status is 1 iff a case failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asid_alloc.h"
#include "asid_claims.h"
#include "asid_move.h"

#define NR_ASIDS	256	/* 8-bit SMMUs keep the model small */
#define NR_SMMUS	2	/* with SVA */
#define NARROW_SMMU	2	/* DMA domains only */
#define NR_DMA_SMMUS	3
#define NARROW_BITS	4
#define NR_MMS		6
#define NR_DOMAINS	24
#define STEPS		200000

/* What the table holds at one index. */
enum slot { EMPTY, RESERVED, ENTRY };

struct table {
	enum slot slot[NR_ASIDS];
	const void *entry[NR_ASIDS];
};

struct mm {
	u16 cpu_asid;		/* 0: the CPU cannot pin one */
	bool bound[NR_SMMUS];
	u16 asid[NR_SMMUS];	/* the SVA domain's, while bound */
	bool shared[NR_SMMUS];
};

struct dma {
	bool live;
	unsigned int smmu;
	u16 asid;
};

struct model {
	struct table t;
	struct asid_claims claims;
	struct asid_alloc aa[NR_SMMUS];
	struct mm mm[NR_MMS];
	struct dma dma[NR_DOMAINS];
	bool old;		/* 570b0c8's bookkeeping */
	bool binder_width;	/* moves capped by the binder's width (pre-R4) */
	unsigned int moves, shares, privates, refusals;
	unsigned int narrow_moves, narrow_full;	/* of SMMU 2's domains */
	u32 old_users[NR_ASIDS];
	char why[256];
	bool violated;
};

static int foreign_owner;
static unsigned long long rng_state;

static u32 rnd(u32 n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (u32)(rng_state >> 33) % n;
}

static void violation(struct model *m, const char *fmt, ...)
{
	va_list ap;

	if (m->violated)
		return;
	m->violated = true;
	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
}

/* --- the driver's xarray --- */

static int table_insert(struct table *t, u16 asid, const void *entry)
{
	if (t->slot[asid] != EMPTY)
		return -EBUSY;
	t->slot[asid] = entry ? ENTRY : RESERVED;
	t->entry[asid] = entry;
	return 0;
}

static int table_alloc(struct table *t, const void *entry, u32 limit,
		       u16 *asid)
{
	u32 i;

	for (i = 1; i < limit; i++) {
		if (t->slot[i] == EMPTY) {
			table_insert(t, i, entry);
			*asid = i;
			return 0;
		}
	}
	return -EBUSY;
}

static void table_erase(struct table *t, u16 asid)
{
	t->slot[asid] = EMPTY;
	t->entry[asid] = NULL;
}

/* The claims' view of it. */
static int ops_reserve(void *ctx, u16 asid)
{
	return table_insert(ctx, asid, NULL);
}

static int ops_alloc(void *ctx, void *entry, u32 limit, u16 *asid)
{
	return table_alloc(ctx, entry, limit, asid);
}

static void ops_erase(void *ctx, u16 asid)
{
	table_erase(ctx, asid);
}

static void *host_zalloc(size_t size)
{
	return calloc(1, size);
}

static const struct asid_table_ops table_ops = {
	.reserve = ops_reserve,
	.alloc = ops_alloc,
	.erase = ops_erase,
	.zalloc = host_zalloc,
	.free = free,
};

static const struct asid_alloc_ops alloc_ops = {
	.zalloc = host_zalloc,
	.free = free,
};

/* --- the driver's DMA domains --- */

/* The ASID width of an SMMU's DMA domains. */
static unsigned int smmu_bits(unsigned int smmu)
{
	return smmu == NARROW_SMMU ? NARROW_BITS : 8;
}

static void dma_alloc(struct model *m, unsigned int d, unsigned int smmu)
{
	struct dma *dom = &m->dma[d];

	if (table_alloc(&m->t, dom, 1U << smmu_bits(smmu), &dom->asid))
		return;
	dom->live = true;
	dom->smmu = smmu;
}

static void dma_free(struct model *m, unsigned int d)
{
	table_erase(&m->t, m->dma[d].asid);
	m->dma[d].live = false;
}

/* A DMA domain on @asid, as the table holds it. */
static struct dma *dma_on(struct model *m, u16 asid)
{
	const struct dma *dom = m->t.slot[asid] == ENTRY ? m->t.entry[asid] :
							    NULL;

	if (dom < m->dma || dom >= m->dma + NR_DOMAINS || dom->asid != asid)
		return NULL;
	return (struct dma *)dom;
}

/*
 * The move, as far as the table sees it: the domain takes the lowest free
 * ASID, then leaves the old one (make-before-break; the model of the SMMU
 * TLB in model.c checks the rest of it). It runs in the allocator of the
 * SMMU @s that the SVA domain is bound through.
 */
static int dma_move(struct model *m, unsigned int s, struct dma *dom)
{
	u32 limit = m->binder_width ? m->aa[s].nr :
		    asid_move_limit(&m->aa[s], smmu_bits(dom->smmu));
	u16 b;

	if (table_alloc(&m->t, dom, limit, &b)) {
		m->narrow_full += dom->smmu == NARROW_SMMU;
		return -ENOSPC;
	}
	m->narrow_moves += dom->smmu == NARROW_SMMU;
	dom->asid = b;
	return 0;
}

/* --- smmu-btm's SVA domains, as src/sva_provider.c takes their ASIDs --- */

static enum asid_table_entry classify(struct model *m, u16 asid)
{
	if (m->t.slot[asid] == EMPTY)
		return ASID_TABLE_EMPTY;
	return dma_on(m, asid) ? ASID_TABLE_DOMAIN : ASID_TABLE_OTHER;
}

static int take_cpu(struct model *m, unsigned int s, struct mm *mm)
{
	struct asid_alloc *aa = &m->aa[s];
	u16 cpu = mm->cpu_asid;
	void *displaced;
	int ret;

	switch (asid_cpu_route(&m->claims, cpu, classify(m, cpu))) {
	case ASID_CPU_REFUSED:
		m->refusals++;
		return -EBUSY;
	case ASID_CPU_MOVE:
		ret = dma_move(m, s, dma_on(m, cpu));
		if (ret)
			return ret;
		table_erase(&m->t, cpu);
		m->moves++;
		break;
	case ASID_CPU_SHARE:
		m->shares++;
		break;
	case ASID_CPU_RESERVE:
		break;
	}
	ret = asid_claim_cpu(&m->claims, cpu);
	if (ret)
		return ret;
	ret = asid_pin_shared(aa, cpu, mm, &displaced);
	if (ret) {
		asid_unclaim_cpu(&m->claims, cpu);
		return -EBUSY;
	}
	return 0;
}

static void bind_new(struct model *m, unsigned int s, struct mm *mm)
{
	u16 asid;

	if (mm->cpu_asid && !take_cpu(m, s, mm)) {
		mm->asid[s] = mm->cpu_asid;
		mm->shared[s] = true;
		mm->bound[s] = true;
		return;
	}
	/* 6.2 to 6.9: a reserved entry (NULL) for a private ASID. */
	if (asid_claim_private(&m->claims, NULL, NR_ASIDS, &asid))
		return;
	if (asid_reserve_private(&m->aa[s], asid, mm)) {
		asid_unclaim_private(&m->claims, asid);
		violation(m, "ASID %u from the table is taken in SMMU %u's allocator",
			  asid, s);
		return;
	}
	mm->asid[s] = asid;
	mm->shared[s] = false;
	mm->bound[s] = true;
	m->privates++;
}

static void unbind_new(struct model *m, unsigned int s, struct mm *mm)
{
	if (mm->shared[s]) {
		asid_unpin(&m->aa[s], mm->asid[s]);
		asid_unclaim_cpu(&m->claims, mm->asid[s]);
	} else {
		asid_free_private(&m->aa[s], mm->asid[s]);
		asid_unclaim_private(&m->claims, mm->asid[s]);
	}
	mm->bound[s] = false;
}

/* --- 570b0c8's bookkeeping, for the model to catch --- */

/* xa_reserve(): nothing when any entry is there. */
static void old_xa_reserve(struct table *t, u16 asid)
{
	if (t->slot[asid] == EMPTY)
		t->slot[asid] = RESERVED;
}

/* xa_release(): erases a reserved entry, whoever reserved it. */
static void old_xa_release(struct table *t, u16 asid)
{
	if (t->slot[asid] == RESERVED)
		t->slot[asid] = EMPTY;
}

/* The mirror: every non-reserved entry becomes the allocator's foreign. */
static void old_mirror(struct model *m, struct asid_alloc *aa)
{
	u32 i;

	for (i = 1; i < NR_ASIDS; i++) {
		if (asid_kind_of(aa, i) == ASID_PRIVATE &&
		    asid_owner(aa, i) == &foreign_owner &&
		    m->t.slot[i] != ENTRY)
			asid_free_private(aa, i);
		if (m->t.slot[i] == ENTRY && asid_kind_of(aa, i) == ASID_FREE)
			asid_reserve_private(aa, i, &foreign_owner);
	}
}

static void bind_old(struct model *m, unsigned int s, struct mm *mm)
{
	struct asid_alloc *aa = &m->aa[s];
	u16 cpu = mm->cpu_asid, asid;
	void *displaced;
	int ret;

	old_mirror(m, aa);
	ret = cpu ? asid_pin_shared(aa, cpu, mm, &displaced) : -ERANGE;
	if (ret == ASID_PIN_MOVE) {
		struct dma *dom = dma_on(m, cpu);

		ret = dom ? dma_move(m, s, dom) : -EBUSY;
		if (!ret) {
			table_erase(&m->t, cpu);
			asid_free_private(aa, cpu);
			asid_pin_shared(aa, cpu, mm, &displaced);
		}
	}
	if (!ret) {
		if (!m->old_users[cpu])
			old_xa_reserve(&m->t, cpu);
		m->old_users[cpu]++;
		mm->asid[s] = cpu;
		mm->shared[s] = true;
		mm->bound[s] = true;
		return;
	}
	if (table_alloc(&m->t, NULL, NR_ASIDS, &asid))
		return;
	if (asid_reserve_private(aa, asid, mm)) {
		table_erase(&m->t, asid);
		return;
	}
	mm->asid[s] = asid;
	mm->shared[s] = false;
	mm->bound[s] = true;
}

static void unbind_old(struct model *m, unsigned int s, struct mm *mm)
{
	if (mm->shared[s]) {
		asid_unpin(&m->aa[s], mm->asid[s]);
		if (!--m->old_users[mm->asid[s]])
			old_xa_release(&m->t, mm->asid[s]);
	} else {
		asid_free_private(&m->aa[s], mm->asid[s]);
		table_erase(&m->t, mm->asid[s]);
	}
	mm->bound[s] = false;
}

/* --- the model --- */

static void bind(struct model *m, unsigned int s, unsigned int i)
{
	if (m->old)
		bind_old(m, s, &m->mm[i]);
	else
		bind_new(m, s, &m->mm[i]);
}

static void unbind(struct model *m, unsigned int s, unsigned int i)
{
	if (m->old)
		unbind_old(m, s, &m->mm[i]);
	else
		unbind_new(m, s, &m->mm[i]);
}

static void check(struct model *m, const char *after)
{
	u16 owner_asid[NR_DMA_SMMUS][NR_ASIDS];
	const void *owner[NR_DMA_SMMUS][NR_ASIDS];
	unsigned int s, i;
	u16 a;

	memset(owner, 0, sizeof(owner));
	memset(owner_asid, 0, sizeof(owner_asid));
	for (i = 0; i < NR_DOMAINS; i++) {
		if (!m->dma[i].live)
			continue;
		s = m->dma[i].smmu;
		a = m->dma[i].asid;
		if (m->t.slot[a] == EMPTY)
			violation(m, "after %s: DMA domain %u's ASID %u is free in the table",
				  after, i, a);
		if (a >= 1U << smmu_bits(s))
			violation(m, "after %s: DMA domain %u of SMMU %u on ASID %u, past its %u-bit ASIDs",
				  after, i, s, a, smmu_bits(s));
		if (owner[s][a])
			violation(m, "after %s: ASID %u on SMMU %u has two contexts (DMA domain %u and another)",
				  after, a, s, i);
		owner[s][a] = &m->dma[i];
	}
	for (i = 0; i < NR_MMS; i++) {
		for (s = 0; s < NR_SMMUS; s++) {
			if (!m->mm[i].bound[s])
				continue;
			a = m->mm[i].asid[s];
			if (m->t.slot[a] == EMPTY)
				violation(m, "after %s: process %u's SVA ASID %u on SMMU %u is free in the table",
					  after, i, a, s);
			if (owner[s][a] && owner[s][a] != &m->mm[i])
				violation(m, "after %s: ASID %u on SMMU %u has two contexts (process %u's SVA domain and another)",
					  after, a, s, i);
			owner[s][a] = &m->mm[i];
		}
	}
}

static void model_init(struct model *m, bool old)
{
	unsigned int s;

	memset(m, 0, sizeof(*m));
	m->old = old;
	if (asid_claims_init(&m->claims, NR_ASIDS, &table_ops, &m->t))
		abort();
	for (s = 0; s < NR_SMMUS; s++)
		if (asid_alloc_init(&m->aa[s], 8, &alloc_ops))
			abort();
}

static void model_finish(struct model *m)
{
	unsigned int s;

	for (s = 0; s < NR_SMMUS; s++)
		asid_alloc_destroy(&m->aa[s]);
	asid_claims_destroy(&m->claims);
}

/*
 * The review's finding 4: a process whose CPU ASID cannot be pinned gets a
 * private ASID X on SMMU 0 (a reserved entry on 6.2 to 6.9); another,
 * whose CPU ASID is X, binds on SMMU 1 and unbinds; then the driver gives
 * a new DMA domain on SMMU 0 an ASID. It must not be X.
 */
static bool scenario(bool old, char *why, size_t len)
{
	struct model m;
	unsigned int i;

	model_init(&m, old);
	m.mm[0].cpu_asid = 0;
	bind(&m, 0, 0);
	m.mm[1].cpu_asid = m.mm[0].asid[0];
	bind(&m, 1, 1);
	check(&m, "the second bind");
	unbind(&m, 1, 1);
	for (i = 0; i < 4; i++) {
		dma_alloc(&m, i, 0);
		check(&m, "a DMA domain's allocation");
	}
	snprintf(why, len, "%s", m.why);
	model_finish(&m);
	return !m.violated;
}

static bool random_run(unsigned long long seed, bool binder_width,
		       char *why, size_t len, unsigned int *steps, char *counts,
		       size_t clen)
{
	struct model m;
	unsigned int n, i, s;
	char after[64];

	rng_state = seed;
	model_init(&m, false);
	m.binder_width = binder_width;
	for (i = 0; i < NR_MMS; i++)
		m.mm[i].cpu_asid = i % 3 ? 1 + rnd(16) : 0;
	for (n = 0; n < STEPS && !m.violated; n++) {
		s = rnd(NR_SMMUS);
		switch (rnd(5)) {
		case 0:
			i = rnd(NR_DOMAINS);
			if (m.dma[i].live)
				dma_free(&m, i);
			else
				dma_alloc(&m, i, rnd(NR_DMA_SMMUS));
			snprintf(after, sizeof(after), "step %u (DMA domain %u)", n, i);
			break;
		case 1:
		case 2:
			i = rnd(NR_MMS);
			if (m.mm[i].bound[s])
				unbind(&m, s, i);
			else
				bind(&m, s, i);
			snprintf(after, sizeof(after), "step %u (process %u on SMMU %u)",
				 n, i, s);
			break;
		default:
			/* A process's CPU ASID moves on when it holds none. */
			i = rnd(NR_MMS);
			if (!m.mm[i].bound[0] && !m.mm[i].bound[1] && m.mm[i].cpu_asid)
				m.mm[i].cpu_asid = 1 + rnd(16);
			snprintf(after, sizeof(after), "step %u (process %u's CPU ASID)",
				 n, i);
			break;
		}
		check(&m, after);
	}
	*steps = n;
	snprintf(counts, clen, "%u DMA domains moved (%u of the narrow SMMU's; %u more refused, no ASID free within its width), %u shared CPU ASIDs, %u private ASIDs, %u CPU ASIDs refused",
		 m.moves, m.narrow_moves, m.narrow_full, m.shares, m.privates,
		 m.refusals);
	for (i = 0; i < NR_MMS; i++)
		for (s = 0; s < NR_SMMUS; s++)
			if (m.mm[i].bound[s])
				unbind(&m, s, i);
	for (i = 0; i < NR_DOMAINS; i++)
		if (m.dma[i].live)
			dma_free(&m, i);
	for (i = 1; i < NR_ASIDS && !m.violated; i++)
		if (m.t.slot[i] != EMPTY)
			violation(&m, "ASID %u left taken in the table at the end", i);
	snprintf(why, len, "%s", m.why);
	model_finish(&m);
	return !m.violated;
}

int main(void)
{
	unsigned int passed = 0, failed = 0, steps, seed;
	char why[256], counts[192];

	if (scenario(false, why, sizeof(why))) {
		printf("PASS asid-table/cpu-asid-over-another-smmus-private\n");
		passed++;
	} else {
		printf("FAIL asid-table/cpu-asid-over-another-smmus-private: %s\n", why);
		failed++;
	}
	if (!scenario(true, why, sizeof(why))) {
		printf("PASS asid-table/570b0c8-bookkeeping-caught: %s\n", why);
		passed++;
	} else {
		printf("FAIL asid-table/570b0c8-bookkeeping-caught: no violation found\n");
		failed++;
	}
	for (seed = 1; seed <= 8; seed++) {
		if (random_run(seed, false, why, sizeof(why), &steps, counts,
			       sizeof(counts))) {
			printf("PASS asid-table/random-seed-%u: %u steps; %s\n",
			       seed, steps, counts);
			passed++;
		} else {
			printf("FAIL asid-table/random-seed-%u: %s\n", seed, why);
			failed++;
		}
	}
	/* Before R4: a move capped by the binding SMMU's width only. */
	if (!random_run(1, true, why, sizeof(why), &steps, counts,
			sizeof(counts))) {
		printf("PASS asid-table/cross-smmu-asid-width-pre-r4-caught: %s\n",
		       why);
		passed++;
	} else {
		printf("FAIL asid-table/cross-smmu-asid-width-pre-r4-caught: no violation in %u steps; %s\n",
		       steps, counts);
		failed++;
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
