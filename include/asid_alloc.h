/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-SMMU ASID allocator. Private ASIDs (stage-1 DMA domains, CD.ASET=1)
 * and shared ASIDs (the CPU's ASID of an SVA mm, CD.ASET=0) are one
 * namespace in the SMMU's TLB lookups and CMD_TLBI, so one allocator covers
 * both. Pure logic: no kernel dependencies, no locking; compiled into the
 * module and into the host unit tests and model.
 */
#ifndef SMMU_BTM_ASID_ALLOC_H
#define SMMU_BTM_ASID_ALLOC_H

#include <linux/types.h>

/* What holds an ASID. */
enum asid_kind {
	ASID_FREE,
	ASID_RESERVED,	/* ASID 0, or beyond the width: never handed out */
	ASID_PRIVATE,	/* a stage-1 DMA domain's own ASID */
	ASID_MOVING,	/* a private ASID whose domain is moving away from it */
	ASID_PINNED,	/* a CPU ASID shared by the SVA domains of one mm */
};

/* How asid_end_move() leaves an ASID_MOVING ASID. */
enum asid_move_end {
	ASID_MOVE_ABORT,	/* back to ASID_PRIVATE, same owner */
	ASID_MOVE_PIN,		/* ASID_PINNED once, for a new owner */
	ASID_MOVE_FREE,		/* released */
};

/*
 * asid_pin_shared()'s positive return: the ASID is a DMA domain's private
 * one; that domain must move away before the ASID can be pinned.
 */
#define ASID_PIN_MOVE	1

/**
 * struct asid_alloc_ops - where the allocator's storage comes from
 * @zalloc: returns @size zeroed bytes, or NULL (the module: kvzalloc)
 * @free: releases what @zalloc returned (the module: kvfree)
 */
struct asid_alloc_ops {
	void *(*zalloc)(size_t size);
	void (*free)(void *ptr);
};

/**
 * struct asid_counts - how the ASIDs of one allocator are held
 * @nr_private: ASID_PRIVATE
 * @nr_moving: ASID_MOVING
 * @nr_pinned: ASID_PINNED (ASIDs, not pins)
 * @nr_free: ASID_FREE
 */
struct asid_counts {
	u32 nr_private;
	u32 nr_moving;
	u32 nr_pinned;
	u32 nr_free;
};

struct asid_slot;

/**
 * struct asid_alloc - the ASIDs of one SMMU
 * @ops: storage hooks, kept for asid_alloc_destroy()
 * @nr: number of ASIDs, 1 << width
 * @slot: per ASID: kind, owner, pin count
 * @free0: one bit per ASID, set when free
 * @free1: one bit per word of @free0, set when that word has a free ASID
 * @free2: one bit per word of @free1, set when that word has a bit set
 * @counts: kept up to date by every operation
 *
 * The three bitmap levels make the lowest free ASID three count-trailing-
 * zeros away (65536 = 16 * 64 * 64), whatever the fill level. There is no
 * lock inside: the caller serialises calls on one allocator.
 */
struct asid_alloc {
	const struct asid_alloc_ops *ops;
	u32 nr;
	struct asid_slot *slot;
	u64 *free0;
	u64 *free1;
	u64 free2;
	struct asid_counts counts;
};

int asid_alloc_init(struct asid_alloc *aa, unsigned int bits,
		    const struct asid_alloc_ops *ops);
void asid_alloc_destroy(struct asid_alloc *aa);
int asid_alloc_private(struct asid_alloc *aa, void *owner, u16 *asid);
int asid_reserve_private(struct asid_alloc *aa, u16 asid, void *owner);
int asid_free_private(struct asid_alloc *aa, u16 asid);
int asid_pin_shared(struct asid_alloc *aa, u16 asid, void *owner,
		    void **displaced);
int asid_unpin(struct asid_alloc *aa, u16 asid);
int asid_begin_move(struct asid_alloc *aa, u16 asid);
int asid_end_move(struct asid_alloc *aa, u16 asid, enum asid_move_end end,
		  void *owner);
enum asid_kind asid_kind_of(const struct asid_alloc *aa, u16 asid);
void *asid_owner(const struct asid_alloc *aa, u16 asid);
void asid_alloc_counts(const struct asid_alloc *aa, struct asid_counts *out);

#endif /* SMMU_BTM_ASID_ALLOC_H */
