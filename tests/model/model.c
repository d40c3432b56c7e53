// SPDX-License-Identifier: GPL-2.0
/*
 * Host model of one SMMU with broadcast TLB maintenance, to check the
 * make-before-break ASID move (src/core/asid_move.c, with src/core/asid_alloc.c) under
 * concurrent device walks, unmaps, SVA binds and CPU broadcasts, and to show
 * that the same checks catch the two historical orders (broken_orders.c).
 *
 * The simulated SMMU: CDs (in memory, plus the SMMU's cached copy that
 * CMD_CFGI_CD refreshes and that a walk may also refetch at any time), and a
 * TLB of entries tagged (ASID, ASET, page). One lock makes a walk (read the
 * CD, look up, read the PTE, insert) and each invalidation atomic, which is
 * what the SMMU guarantees at this level of detail. Pages of different
 * contexts never overlap, so an entry for a page names its context, and
 * "no entry for this page under any ASID" is a check that a stale entry
 * under an old ASID cannot escape.
 *
 * Invariants:
 *  I1: once an unmap's (or a CPU munmap's) invalidation has returned, no
 *      TLB entry for the page survives, under any ASID.
 *  I2: an ASID in a CD (in memory or cached) belongs to one context only,
 *      and when a CD takes an ASID, the TLB holds no other context's entry
 *      under it. The moving domain uses a and b at once: that is one
 *      context with two ASIDs, which I2 allows.
 *  I3: at the end every pin is released and every ASID but the domains'
 *      is free; each domain's CDs and targets agree on its ASID.
 *
 * Usage: model [seed [seeds [iterations]]], or MODEL_SEED, MODEL_SEEDS,
 * MODEL_ITERS in the environment. Output: one "PASS model/<case>" or
 * "FAIL model/<case>: <why>" per case, "# " lines of information, then
 * "N passed, M failed"; the exit status is 1 iff a case failed.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asid_alloc.h"
#include "asid_move.h"
#include "broken_orders.h"

#define ASID_BITS	8
#define NR_MASTERS	4
#define NR_SSIDS	4
#define NR_CDS		(NR_MASTERS * NR_SSIDS)
#define NR_DOMAINS	3
#define NR_MMS		3
#define NR_CTX		(NR_DOMAINS + NR_MMS)
#define PAGES		8	/* per context */
#define NR_PAGES	(NR_CTX * PAGES)
#define TLB_SIZE	64
#define MAX_DOM_CDS	3
#define NR_MAPPERS	2
/* The fewest random schedule steps a run of the correct order must make. */
#define MIN_STEPS	100000

/* A CD as one word, so a walk reads it whole. */
#define CD_VALID	(1u << 31)
#define CD_ASET		(1u << 30)
#define CD_CTX(w)	(((w) >> 16) & 0xff)
#define CD_ASID(w)	((u16)(w))
#define CD_WORD(ctx, aset, asid) \
	(CD_VALID | ((aset) ? CD_ASET : 0) | (u32)(ctx) << 16 | (asid))

typedef int (*move_fn)(const struct asid_move_ops *ops, void *ctx,
		       struct asid_alloc *aa, u16 a, enum asid_move_end end,
		       void *owner, u16 *b);

struct tlb_entry {
	bool valid;
	bool aset;
	u16 asid;
	u8 ctx;		/* for the checks only: the SMMU does not see it */
	u32 page;
	u64 pa;
};

struct cd {
	_Atomic u32 mem;	/* written by the driver */
	u32 cached;		/* the SMMU's copy, under smmu_lock */
};

struct domain {
	unsigned int id;	/* its context number */
	u16 asid;		/* under asid_lock */
	_Atomic u64 targets;	/* n << 32 | asid1 << 16 | asid0 */
	unsigned int nr_cds;
	unsigned int cds[MAX_DOM_CDS];
};

struct mm {
	unsigned int id;	/* its context number */
	u16 asid;		/* the CPU's ASID for it: fixed */
	unsigned int binds;	/* under asid_lock */
};

struct model {
	pthread_mutex_t smmu_lock;	/* TLB and cached CDs */
	pthread_mutex_t asid_lock;	/* allocator, binds, moves */
	struct tlb_entry tlb[TLB_SIZE];
	unsigned int tlb_next;
	struct cd cds[NR_CDS];
	int sva_slot[NR_CDS];	/* bound mm + 1, 0: free; under asid_lock */
	_Atomic u64 pte[NR_PAGES];
	struct asid_alloc aa;
	struct domain dom[NR_DOMAINS];
	struct mm mms[NR_MMS];
	move_fn move;
	bool inject;		/* fail a callback now and then */
	unsigned int fail_at;	/* or fail this (1-based) int callback of a move */
	unsigned int iters;
	u64 seed;
	atomic_int violations;
	atomic_int i3;		/* of which I3 */
	atomic_int moves, undos;
	/* Operations the threads ran: walks, maps, binds, munmaps, moves. */
	atomic_long steps;
	pthread_mutex_t why_lock;
	char why[256];
};

struct rng {
	u64 s;
};

static u32 rnd(struct rng *r, u32 n)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (u32)((r->s >> 11) % n);
}

static void violation(struct model *m, const char *fmt, ...)
{
	va_list ap;

	if (!strncmp(fmt, "I3", 2))
		atomic_fetch_add(&m->i3, 1);
	if (atomic_fetch_add(&m->violations, 1))
		return;
	pthread_mutex_lock(&m->why_lock);
	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&m->why_lock);
}

static void *host_zalloc(size_t size)
{
	return calloc(1, size);
}

static const struct asid_alloc_ops host_ops = {
	.zalloc = host_zalloc,
	.free = free,
};

/* ---- the SMMU ---- */

/* I2, under smmu_lock: after a CD (memory or cache) changed. */
static void check_i2(struct model *m)
{
	u32 w[2 * NR_CDS];
	unsigned int i, j;

	for (i = 0; i < NR_CDS; i++) {
		w[2 * i] = atomic_load(&m->cds[i].mem);
		w[2 * i + 1] = m->cds[i].cached;
	}
	for (i = 0; i < 2 * NR_CDS; i++) {
		if (!(w[i] & CD_VALID))
			continue;
		for (j = i + 1; j < 2 * NR_CDS; j++)
			if ((w[j] & CD_VALID) &&
			    CD_ASID(w[j]) == CD_ASID(w[i]) &&
			    CD_CTX(w[j]) != CD_CTX(w[i]))
				violation(m, "I2: ASID %u in CD%u (ctx %u) and CD%u (ctx %u)",
					  CD_ASID(w[i]), i / 2, CD_CTX(w[i]),
					  j / 2, CD_CTX(w[j]));
		for (j = 0; j < TLB_SIZE; j++)
			if (m->tlb[j].valid && m->tlb[j].asid == CD_ASID(w[i]) &&
			    m->tlb[j].ctx != CD_CTX(w[i]))
				violation(m, "I2: CD%u gives ASID %u to ctx %u while the TLB holds ctx %u's page %u under it",
					  i / 2, CD_ASID(w[i]), CD_CTX(w[i]),
					  m->tlb[j].ctx, m->tlb[j].page);
	}
}

static void cd_write(struct model *m, unsigned int cdi, u32 word)
{
	pthread_mutex_lock(&m->smmu_lock);
	atomic_store(&m->cds[cdi].mem, word);
	check_i2(m);
	pthread_mutex_unlock(&m->smmu_lock);
}

static void cd_cfgi(struct model *m, unsigned int cdi)
{
	pthread_mutex_lock(&m->smmu_lock);
	m->cds[cdi].cached = atomic_load(&m->cds[cdi].mem);
	check_i2(m);
	pthread_mutex_unlock(&m->smmu_lock);
}

/* A device access through CD @cdi to a random page of the CD's context. */
static void walk(struct model *m, unsigned int cdi, struct rng *r)
{
	struct tlb_entry *e;
	unsigned int i;
	u32 w, page;
	u64 pa;

	pthread_mutex_lock(&m->smmu_lock);
	/* The SMMU may refetch a CD whenever it likes. */
	if (!rnd(r, 4))
		m->cds[cdi].cached = atomic_load(&m->cds[cdi].mem);
	w = m->cds[cdi].cached;
	if (!(w & CD_VALID))
		goto out;
	page = CD_CTX(w) * PAGES + rnd(r, PAGES);
	for (i = 0; i < TLB_SIZE; i++)
		if (m->tlb[i].valid && m->tlb[i].asid == CD_ASID(w) &&
		    m->tlb[i].page == page)
			goto out;
	pa = atomic_load(&m->pte[page]);
	if (!pa)
		goto out;
	e = &m->tlb[m->tlb_next++ % TLB_SIZE];
	*e = (struct tlb_entry){ .valid = true, .aset = w & CD_ASET,
				 .asid = CD_ASID(w), .ctx = CD_CTX(w),
				 .page = page, .pa = pa };
out:
	pthread_mutex_unlock(&m->smmu_lock);
}

enum inv {
	INV_ASID,	/* CMD_TLBI_NH_ASID: both ASETs */
	INV_VA,		/* CMD_TLBI_NH_VA */
	BC_ASID,	/* broadcast TLBI ASIDE1IS: ASET=0 only */
	BC_VA,		/* broadcast TLBI VAE1IS */
	BC_ALL,		/* broadcast TLBI VMALLE1IS: everything */
};

static void invalidate(struct model *m, enum inv kind, u16 asid, u32 page)
{
	struct tlb_entry *e;
	unsigned int i;

	pthread_mutex_lock(&m->smmu_lock);
	for (i = 0; i < TLB_SIZE; i++) {
		e = &m->tlb[i];
		if (!e->valid)
			continue;
		if (kind != BC_ALL && e->asid != asid)
			continue;
		if ((kind == BC_ASID || kind == BC_VA) && e->aset)
			continue;
		if ((kind == INV_VA || kind == BC_VA) && e->page != page)
			continue;
		e->valid = false;
	}
	pthread_mutex_unlock(&m->smmu_lock);
}

/* I1, once the invalidation of @page, from the targets @t, returned. */
static void check_gone(struct model *m, u32 page, const char *what, u64 t)
{
	char targets[16];
	unsigned int i;

	if ((t >> 32) > 1)
		snprintf(targets, sizeof(targets), "%u,%u", (u16)t,
			 (u16)(t >> 16));
	else
		snprintf(targets, sizeof(targets), "%u", (u16)t);
	pthread_mutex_lock(&m->smmu_lock);
	for (i = 0; i < TLB_SIZE; i++)
		if (m->tlb[i].valid && m->tlb[i].page == page)
			violation(m, "I1: %s of page %u: entry under ASID %u (ASET=%d) survived; invalidated {%s}",
				  what, page, m->tlb[i].asid, m->tlb[i].aset,
				  targets);
	pthread_mutex_unlock(&m->smmu_lock);
}

/* ---- the driver side ---- */

/* A DMA unmap: clear the PTE, then invalidate every published target. */
static void dma_unmap(struct model *m, struct domain *d, u32 page)
{
	unsigned int i, n;
	u64 t;

	atomic_store(&m->pte[page], 0);
	t = atomic_load(&d->targets);
	n = t >> 32;
	for (i = 0; i < n; i++)
		invalidate(m, INV_VA, (u16)(t >> (16 * i)), page);
	check_gone(m, page, "unmap", t);
}

#define PUBLISHED	100

struct move_ctx {
	struct model *m;
	struct domain *d;
	struct rng *r;
	bool failed;
	unsigned int calls;
	/*
	 * Called after each CD's sync, with the number of CDs done, and
	 * after each publish, with PUBLISHED + the number of targets.
	 */
	void (*hook)(struct move_ctx *c, unsigned int cds_done);
	unsigned int cds_done;
	bool in_cd;
};

/* Injected failure: at most one per move, so the undo runs clean. */
static int maybe_fail(struct move_ctx *c, int err)
{
	if (c->m->fail_at) {
		if (++c->calls != c->m->fail_at)
			return 0;
		c->failed = true;
		return err;
	}
	if (!c->m->inject || c->failed || rnd(c->r, 48))
		return 0;
	c->failed = true;
	return err;
}

static void op_publish(void *ctx, const u16 *asids, unsigned int n)
{
	struct move_ctx *c = ctx;

	atomic_store(&c->d->targets, (u64)n << 32 |
		     (n > 1 ? (u64)asids[1] << 16 : 0) | asids[0]);
	if (c->hook)
		c->hook(c, PUBLISHED + n);
}

static void *op_next_cd(void *ctx, void *cd)
{
	struct move_ctx *c = ctx;
	struct domain *d = c->d;
	unsigned int i = 0;

	if (cd) {
		while (&c->m->cds[d->cds[i]] != cd)
			i++;
		i++;
	}
	return i < d->nr_cds ? &c->m->cds[d->cds[i]] : NULL;
}

static int op_write_cd(void *ctx, void *cd, u16 asid)
{
	struct move_ctx *c = ctx;
	struct cd *p = cd;
	int ret = maybe_fail(c, -EIO);

	if (ret)
		return ret;
	cd_write(c->m, p - c->m->cds,
		 (atomic_load(&p->mem) & ~0xffffu) | asid);
	c->in_cd = true;
	return 0;
}

static int op_cfgi(void *ctx, void *cd)
{
	struct move_ctx *c = ctx;
	int ret = maybe_fail(c, -EIO);

	if (ret)
		return ret;
	cd_cfgi(c->m, (struct cd *)cd - c->m->cds);
	return 0;
}

static int op_sync(void *ctx)
{
	struct move_ctx *c = ctx;
	int ret = maybe_fail(c, -ETIMEDOUT);

	if (ret)
		return ret;
	/* Widen the windows between steps. */
	if (!rnd(c->r, 2))
		sched_yield();
	if (c->in_cd) {
		c->in_cd = false;
		c->cds_done++;
		if (c->hook)
			c->hook(c, c->cds_done);
	}
	return 0;
}

static int op_tlbi(void *ctx, u16 asid)
{
	struct move_ctx *c = ctx;
	int ret = maybe_fail(c, -EIO);

	if (ret)
		return ret;
	invalidate(c->m, INV_ASID, asid, 0);
	return 0;
}

static const struct asid_move_ops model_ops = {
	.publish_targets = op_publish,
	.next_cd = op_next_cd,
	.write_cd_asid = op_write_cd,
	.cfgi_cd = op_cfgi,
	.sync = op_sync,
	.tlbi_asid = op_tlbi,
};

/* Under asid_lock: move @d off its ASID with the model's move order. */
static int move_domain(struct model *m, struct domain *d,
		       enum asid_move_end end, struct mm *mm, struct rng *r,
		       void (*hook)(struct move_ctx *, unsigned int))
{
	struct move_ctx c = { .m = m, .d = d, .r = r, .hook = hook };
	u16 b;
	int ret;

	ret = m->move(&model_ops, &c, &m->aa, d->asid, end, mm, &b);
	if (!ret) {
		d->asid = b;
		atomic_fetch_add(&m->moves, 1);
	} else if (c.failed) {
		atomic_fetch_add(&m->undos, 1);
	}
	return ret;
}

/* SVA bind of @mm on a free SVA CD; moves a DMA domain off its ASID if needed. */
static int sva_bind(struct model *m, struct mm *mm, struct rng *r,
		    void (*hook)(struct move_ctx *, unsigned int))
{
	void *displaced = NULL;
	unsigned int cdi, i;
	int ret;

	pthread_mutex_lock(&m->asid_lock);
	for (i = 0, cdi = rnd(r, NR_CDS); i < NR_CDS; i++, cdi = (cdi + 1) % NR_CDS)
		if (!m->sva_slot[cdi])
			break;
	ret = -EBUSY;
	if (i == NR_CDS)
		goto out;
	ret = asid_pin_shared(&m->aa, mm->asid, mm, &displaced);
	if (ret == ASID_PIN_MOVE)
		ret = move_domain(m, displaced, ASID_MOVE_PIN, mm, r, hook);
	if (ret)
		goto out;
	m->sva_slot[cdi] = mm->id - NR_DOMAINS + 1;
	mm->binds++;
	cd_write(m, cdi, CD_WORD(mm->id, false, mm->asid));
	cd_cfgi(m, cdi);
out:
	pthread_mutex_unlock(&m->asid_lock);
	return ret;
}

static void sva_unbind_cd(struct model *m, unsigned int cdi)
{
	struct mm *mm = &m->mms[m->sva_slot[cdi] - 1];

	cd_write(m, cdi, 0);
	cd_cfgi(m, cdi);
	/* Before the last unpin: a free ASID may become a DMA domain's. */
	invalidate(m, INV_ASID, mm->asid, 0);
	if (asid_unpin(&m->aa, mm->asid) < 0)
		violation(m, "unpin of ASID %u failed", mm->asid);
	m->sva_slot[cdi] = 0;
	mm->binds--;
}

/* ---- the random schedule ---- */

struct worker {
	struct model *m;
	unsigned int id;
	void *(*fn)(void *);
	struct rng r;
};

static void *device_thread(void *arg)
{
	struct worker *w = arg;
	unsigned int i;

	for (i = 0; i < w->m->iters * 4; i++)
		walk(w->m, rnd(&w->r, NR_CDS), &w->r);
	atomic_fetch_add(&w->m->steps, i);
	return NULL;
}

/* Maps and unmaps the pages of every domain whose index is its own. */
static void *mapper_thread(void *arg)
{
	struct worker *w = arg;
	struct model *m = w->m;
	unsigned int i, k, walks;
	struct domain *d;
	u32 page;

	for (i = 0; i < m->iters; i++) {
		d = &m->dom[rnd(&w->r, NR_DOMAINS)];
		page = d->id * PAGES + w->id + NR_MAPPERS * rnd(&w->r, PAGES / NR_MAPPERS);
		atomic_store(&m->pte[page], (u64)page << 12 | 1);
		walks = rnd(&w->r, 8);
		for (k = 0; k < walks; k++)
			walk(m, d->cds[rnd(&w->r, d->nr_cds)], &w->r);
		dma_unmap(m, d, page);
	}
	atomic_fetch_add(&m->steps, i);
	return NULL;
}

static void *sva_thread(void *arg)
{
	struct worker *w = arg;
	struct model *m = w->m;
	unsigned int i, cdi;

	for (i = 0; i < m->iters; i++) {
		if (rnd(&w->r, 2)) {
			sva_bind(m, &m->mms[rnd(&w->r, NR_MMS)], &w->r, NULL);
			continue;
		}
		pthread_mutex_lock(&m->asid_lock);
		cdi = rnd(&w->r, NR_CDS);
		if (m->sva_slot[cdi] > 0)
			sva_unbind_cd(m, cdi);
		pthread_mutex_unlock(&m->asid_lock);
	}
	atomic_fetch_add(&m->steps, i);
	return NULL;
}

static void *mover_thread(void *arg)
{
	struct worker *w = arg;
	struct model *m = w->m;
	unsigned int i;

	for (i = 0; i < m->iters / 4; i++) {
		pthread_mutex_lock(&m->asid_lock);
		move_domain(m, &m->dom[rnd(&w->r, NR_DOMAINS)],
			    ASID_MOVE_FREE, NULL, &w->r, NULL);
		pthread_mutex_unlock(&m->asid_lock);
		sched_yield();
	}
	atomic_fetch_add(&m->steps, i);
	return NULL;
}

/* The CPU: map, let devices walk, munmap with a broadcast, check. */
static void *cpu_thread(void *arg)
{
	struct worker *w = arg;
	struct model *m = w->m;
	unsigned int i, k, walks;
	struct mm *mm;
	u32 page;

	for (i = 0; i < m->iters; i++) {
		mm = &m->mms[rnd(&w->r, NR_MMS)];
		page = mm->id * PAGES + rnd(&w->r, PAGES);
		atomic_store(&m->pte[page], (u64)page << 12 | 1);
		walks = rnd(&w->r, 8);
		for (k = 0; k < walks; k++)
			walk(m, rnd(&w->r, NR_CDS), &w->r);
		atomic_store(&m->pte[page], 0);
		switch (rnd(&w->r, 16)) {
		case 0:
			invalidate(m, BC_ALL, 0, 0);
			break;
		case 1:
			invalidate(m, BC_ASID, mm->asid, 0);
			break;
		default:
			invalidate(m, BC_VA, mm->asid, page);
		}
		check_gone(m, page, "CPU munmap", 1ULL << 32 | mm->asid);
	}
	atomic_fetch_add(&m->steps, i);
	return NULL;
}

static int model_init(struct model *m, move_fn move, u64 seed,
		      unsigned int iters)
{
	/* Domain CDs, as (master, SSID) = index / NR_SSIDS, index % NR_SSIDS. */
	static const unsigned int dom_cds[NR_DOMAINS][MAX_DOM_CDS + 1] = {
		{ 2, 0, 4 }, { 3, 8, 12, 7 }, { 1, 11 },
	};
	unsigned int i, j;
	u16 asid;

	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->smmu_lock, NULL);
	pthread_mutex_init(&m->asid_lock, NULL);
	pthread_mutex_init(&m->why_lock, NULL);
	m->move = move;
	m->seed = seed;
	m->iters = iters;
	if (asid_alloc_init(&m->aa, ASID_BITS, &host_ops))
		return -ENOMEM;
	for (i = 0; i < NR_DOMAINS; i++) {
		struct domain *d = &m->dom[i];

		d->id = i;
		if (asid_alloc_private(&m->aa, d, &asid))
			return -ENOSPC;
		d->asid = asid;
		atomic_store(&d->targets, 1ULL << 32 | asid);
		d->nr_cds = dom_cds[i][0];
		for (j = 0; j < d->nr_cds; j++) {
			d->cds[j] = dom_cds[i][j + 1];
			m->sva_slot[d->cds[j]] = -1;
			atomic_store(&m->cds[d->cds[j]].mem,
				     CD_WORD(i, true, asid));
			m->cds[d->cds[j]].cached = CD_WORD(i, true, asid);
		}
	}
	/* CPU ASIDs that collide with the domains' (1, 2, 3) half the time. */
	for (i = 0; i < NR_MMS; i++) {
		m->mms[i].id = NR_DOMAINS + i;
		m->mms[i].asid = 2 * i + 1;
	}
	return 0;
}

/* I3 and the end state; tears the model down. */
static void model_finish(struct model *m)
{
	struct asid_counts c;
	unsigned int i, j;
	u64 t;

	pthread_mutex_lock(&m->asid_lock);
	for (i = 0; i < NR_CDS; i++)
		if (m->sva_slot[i] > 0)
			sva_unbind_cd(m, i);
	pthread_mutex_unlock(&m->asid_lock);
	for (i = 0; i < TLB_SIZE; i++)
		if (m->tlb[i].valid)
			violation(m, "I1: at the end, the TLB still holds page %u under ASID %u",
				  m->tlb[i].page, m->tlb[i].asid);
	for (i = 0; i < NR_DOMAINS; i++) {
		struct domain *d = &m->dom[i];

		t = atomic_load(&d->targets);
		if (t != (1ULL << 32 | d->asid))
			violation(m, "I3: domain %u on ASID %u has targets %#llx",
				  i, d->asid, (unsigned long long)t);
		for (j = 0; j < d->nr_cds; j++)
			if (atomic_load(&m->cds[d->cds[j]].mem) != CD_WORD(i, true, d->asid) ||
			    m->cds[d->cds[j]].cached != CD_WORD(i, true, d->asid))
				violation(m, "I3: domain %u's CD%u is not on its ASID %u",
					  i, d->cds[j], d->asid);
		if (asid_kind_of(&m->aa, d->asid) != ASID_PRIVATE ||
		    asid_owner(&m->aa, d->asid) != d)
			violation(m, "I3: domain %u does not own its ASID %u",
				  i, d->asid);
		asid_free_private(&m->aa, d->asid);
	}
	asid_alloc_counts(&m->aa, &c);
	if (c.nr_private || c.nr_moving || c.nr_pinned ||
	    c.nr_free != (1u << ASID_BITS) - 1)
		violation(m, "I3: ASIDs left: %u private, %u moving, %u pinned",
			  c.nr_private, c.nr_moving, c.nr_pinned);
	asid_alloc_destroy(&m->aa);
	pthread_mutex_destroy(&m->smmu_lock);
	pthread_mutex_destroy(&m->asid_lock);
	pthread_mutex_destroy(&m->why_lock);
}

/*
 * One random schedule; returns the number of I1 and I2 violations, adds
 * those of I3 to *i3; *why is the first violation of any kind.
 */
static int run_random(move_fn move, bool inject, u64 seed, unsigned int iters,
		      char *why, size_t len, int *moves, int *undos, int *i3,
		      long *steps)
{
	static void *(*const roles[])(void *) = {
		device_thread, device_thread, mapper_thread, mapper_thread,
		sva_thread, cpu_thread, mover_thread,
	};
	const unsigned int n = sizeof(roles) / sizeof(roles[0]);
	struct worker w[sizeof(roles) / sizeof(roles[0])];
	pthread_t tid[sizeof(roles) / sizeof(roles[0])];
	struct model *m = calloc(1, sizeof(*m));
	unsigned int i, mapper = 0;
	int v;

	if (!m || model_init(m, move, seed, iters)) {
		snprintf(why, len, "model_init failed");
		free(m);
		return 1;
	}
	m->inject = inject;
	for (i = 0; i < n; i++) {
		w[i] = (struct worker){ .m = m, .fn = roles[i],
			.r = { (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (i + 1) * 0xbf58476d1ce4e5b9ULL } };
		w[i].id = roles[i] == mapper_thread ? mapper++ : i;
		pthread_create(&tid[i], NULL, roles[i], &w[i]);
	}
	for (i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
	model_finish(m);
	v = atomic_load(&m->violations);
	if (v)
		snprintf(why, len, "%s", m->why);
	*i3 += atomic_load(&m->i3);
	v -= atomic_load(&m->i3);
	*moves += atomic_load(&m->moves);
	*undos += atomic_load(&m->undos);
	*steps += atomic_load(&m->steps);
	free(m);
	return v;
}

/* ---- the deterministic window ---- */

/*
 * After the first CD of the moving domain has been rewritten (and synced),
 * the other CD still says a: a device walks a page of the domain through
 * both, so entries exist under a and b, then the page is unmapped while the
 * move is paused there. Run inline in the mover's thread, so the
 * interleaving is the same every time.
 */
static void window_hook(struct move_ctx *c, unsigned int cds_done)
{
	struct domain *d = c->d;
	u32 page = d->id * PAGES;
	unsigned int i;

	if (cds_done != 1)
		return;
	atomic_store(&c->m->pte[page], (u64)page << 12 | 1);
	for (i = 0; i < 16; i++) {
		walk(c->m, d->cds[0], c->r);
		walk(c->m, d->cds[1], c->r);
	}
	dma_unmap(c->m, d, page);
}

/* The same walks, then the move fails at its next callback and is undone. */
static void fill_hook(struct move_ctx *c, unsigned int cds_done)
{
	struct domain *d = c->d;
	u32 page = d->id * PAGES;
	unsigned int i;

	if (cds_done != 1)
		return;
	atomic_store(&c->m->pte[page], (u64)page << 12 | 1);
	for (i = 0; i < 16; i++) {
		walk(c->m, d->cds[0], c->r);
		walk(c->m, d->cds[1], c->r);
	}
}

/*
 * Once the targets are down to one ASID, the page cached under a before the
 * move is unmapped: a must have been invalidated before that publish.
 */
static void late_hook(struct move_ctx *c, unsigned int step)
{
	if (step == PUBLISHED + 1)
		dma_unmap(c->m, c->d, c->d->id * PAGES);
}

/*
 * Domain 0 moves for mm 0's bind with @hook after its first CD; with
 * @fail_at the move fails at that callback. Then the page is unmapped.
 * Returns the number of violations, or -1 if the scenario went wrong.
 */
static int run_window(move_fn move, unsigned int fail_at,
		      void (*hook)(struct move_ctx *, unsigned int),
		      char *why, size_t len)
{
	struct model *m = calloc(1, sizeof(*m));
	struct rng r = { 42 };
	u32 page;
	int v, i;

	if (!m || model_init(m, move, 0, 0)) {
		snprintf(why, len, "model_init failed");
		free(m);
		return -1;
	}
	/* Domain 0 (ASID 1, two CDs) has a page cached before the move. */
	page = 0;
	atomic_store(&m->pte[page], (u64)page << 12 | 1);
	for (i = 0; i < 16; i++)
		walk(m, m->dom[0].cds[0], &r);
	/* mm 0's CPU ASID is 1: the bind moves domain 0. */
	m->fail_at = fail_at;
	if (sva_bind(m, &m->mms[0], &r, hook) ? !fail_at : !!fail_at) {
		snprintf(why, len, "the bind did not %s", fail_at ? "fail" : "succeed");
		model_finish(m);
		free(m);
		return -1;
	}
	dma_unmap(m, &m->dom[0], page);
	model_finish(m);
	v = atomic_load(&m->violations);
	if (v)
		snprintf(why, len, "%s", m->why);
	free(m);
	return v;
}

/* ---- exhaustion ---- */

static int dummy_owner;

static int run_exhaustion(char *why, size_t len)
{
	struct model *m = calloc(1, sizeof(*m));
	struct asid_counts before, after;
	struct rng r = { 7 };
	int ret, bad = 0;
	u16 asid;

	if (!m || model_init(m, asid_move_run, 0, 0)) {
		free(m);
		snprintf(why, len, "model_init failed");
		return 1;
	}
	while (!asid_alloc_private(&m->aa, &dummy_owner, &asid))
		;
	asid_alloc_counts(&m->aa, &before);
	/* mm 0's CPU ASID 1 is domain 0's and there is no ASID to move to. */
	ret = sva_bind(m, &m->mms[0], &r, NULL);
	asid_alloc_counts(&m->aa, &after);
	if (ret != -ENOSPC) {
		snprintf(why, len, "bind with every ASID taken returned %d, not -ENOSPC", ret);
		bad = 1;
	} else if (memcmp(&before, &after, sizeof(before)) ||
		   after.nr_free || asid_kind_of(&m->aa, 1) != ASID_PRIVATE ||
		   atomic_load(&m->dom[0].targets) != (1ULL << 32 | 1) ||
		   atomic_load(&m->cds[m->dom[0].cds[0]].mem) != CD_WORD(0, true, 1)) {
		snprintf(why, len, "a failed move changed the state");
		bad = 1;
	} else if (asid_free_private(&m->aa, 200) ||
		   sva_bind(m, &m->mms[0], &r, NULL) || m->dom[0].asid != 200 ||
		   asid_kind_of(&m->aa, 1) != ASID_PINNED) {
		snprintf(why, len, "with ASID 200 freed, the bind did not move domain 0 to it");
		bad = 1;
	}
	for (asid = 1; asid; asid++)
		if (asid_owner(&m->aa, asid) == &dummy_owner)
			asid_free_private(&m->aa, asid);
	model_finish(m);
	if (!bad && atomic_load(&m->violations)) {
		snprintf(why, len, "%s", m->why);
		bad = 1;
	}
	free(m);
	return bad;
}

/* ---- the cases ---- */

static unsigned int passed, failed;

static void report(const char *name, bool ok, const char *why)
{
	if (ok) {
		printf("PASS model/%s\n", name);
		passed++;
	} else {
		printf("FAIL model/%s: %s\n", name, why);
		failed++;
	}
	fflush(stdout);
}

static unsigned long env_or(const char *name, int argc, char **argv, int idx,
			    unsigned long def)
{
	const char *s = idx < argc ? argv[idx] : getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : def;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		move_fn move;
	} broken[] = {
		{ "upstream-2024-order-breaks", asid_move_run_upstream_2024 },
		{ "linux-6.6-order-breaks", asid_move_run_linux_6_6 },
	};
	u64 seed0 = env_or("MODEL_SEED", argc, argv, 1, 1);
	unsigned int seeds = env_or("MODEL_SEEDS", argc, argv, 2, 24);
	unsigned int iters = env_or("MODEL_ITERS", argc, argv, 3, 2000);
	char why[256] = "", first[300] = "", i3_why[300] = "";
	int moves = 0, undos = 0, v, i3 = 0, i3_broken = 0, caught;
	long steps = 0, broken_steps = 0;
	unsigned int s, i;
	bool ok;

	printf("# seed %llu, %u seeds, %u iterations (MODEL_SEED, MODEL_SEEDS, MODEL_ITERS)\n",
	       (unsigned long long)seed0, seeds, iters);

	/* make-before-break: the window, then random schedules with failures. */
	ok = true;
	v = run_window(asid_move_run, 0, window_hook, why, sizeof(why));
	if (v) {
		ok = false;
		snprintf(first, sizeof(first), "window: %s", why);
	}
	v = run_window(asid_move_run, 0, late_hook, why, sizeof(why));
	if (v && ok) {
		ok = false;
		snprintf(first, sizeof(first), "late publish: %s", why);
	}
	/* write cd0, cfgi cd0, sync (the hook fills b), write cd1: fails. */
	v = run_window(asid_move_run, 4, fill_hook, why, sizeof(why));
	if (v && ok) {
		ok = false;
		snprintf(first, sizeof(first), "undo: %s", why);
	}
	for (s = 0; s < seeds; s++) {
		v = run_random(asid_move_run, s % 2, seed0 + s, iters, why,
			       sizeof(why), &moves, &undos, &i3, &steps);
		if (v && ok)
			snprintf(first, sizeof(first), "seed %llu: %s",
				 (unsigned long long)(seed0 + s), why);
		if (v)
			ok = false;
		if (i3 && !i3_why[0])
			snprintf(i3_why, sizeof(i3_why), "seed %llu: %s",
				 (unsigned long long)(seed0 + s), why);
	}
	printf("# make-before-break: %ld schedule steps, %d moves, %d undone after an injected failure\n",
	       steps, moves, undos);
	/* A run that exercised too little proves nothing: that fails too. */
	if (ok && (steps < MIN_STEPS || !moves || !undos)) {
		ok = false;
		snprintf(first, sizeof(first),
			 "exercised too little: %ld steps (at least %d), %d moves, %d undos",
			 steps, MIN_STEPS, moves, undos);
	}
	report("make-before-break", ok, first);

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		v = run_window(broken[i].move, 0, window_hook, why, sizeof(why));
		if (v > 0)
			printf("# %s: window caught: %s\n", broken[i].name, why);
		caught = 0;
		moves = undos = 0;
		for (s = 0; s < seeds; s++)
			caught += run_random(broken[i].move, false, seed0 + s,
					     iters, why, sizeof(why), &moves,
					     &undos, &i3_broken,
					     &broken_steps) > 0;
		printf("# %s: random schedules caught it in %d of %u seeds\n",
		       broken[i].name, caught, seeds);
		report(broken[i].name, v > 0,
		       v < 0 ? why : "the broken order was not caught in the window");
	}

	report("alloc-exhaustion", !run_exhaustion(why, sizeof(why)), why);
	report("pins-released", !i3, i3_why);

	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
