// SPDX-License-Identifier: GPL-2.0
/*
 * Per-SMMU ASID allocator: see include/asid_alloc.h. Pure logic: compiled
 * into the module and into the host unit tests and model, so it includes
 * only headers that tests/unit/include/linux/ stands in for.
 *
 * Design: doc/asid-move.md.
 */
#include <linux/errno.h>
#include <linux/types.h>

#include "asid_alloc.h"

/*
 * One per ASID: 16 bytes, so 1 MiB for a 16-bit SMMU, allocated once at
 * init so that no operation allocates.
 */
struct asid_slot {
	void *owner;	/* the domain (private, moving) or the mm (pinned) */
	u32 pins;	/* ASID_PINNED only */
	u8 kind;	/* enum asid_kind */
};

static bool asid_in_range(const struct asid_alloc *aa, u16 asid)
{
	return asid && asid < aa->nr;
}

/* Clear @asid's free bit and, when a word empties, its summary bits. */
static void asid_mark_taken(struct asid_alloc *aa, u32 asid)
{
	u32 w0 = asid / 64, w1 = w0 / 64;

	aa->free0[w0] &= ~(1ULL << (asid % 64));
	if (aa->free0[w0])
		return;
	aa->free1[w1] &= ~(1ULL << (w0 % 64));
	if (!aa->free1[w1])
		aa->free2 &= ~(1ULL << w1);
}

static void asid_mark_free(struct asid_alloc *aa, u32 asid)
{
	u32 w0 = asid / 64, w1 = w0 / 64;

	aa->free0[w0] |= 1ULL << (asid % 64);
	aa->free1[w1] |= 1ULL << (w0 % 64);
	aa->free2 |= 1ULL << w1;
}

/* The count of @kind; ASID_RESERVED never changes kind, so has none. */
static u32 *asid_count_of(struct asid_counts *counts, enum asid_kind kind)
{
	switch (kind) {
	case ASID_PRIVATE:
		return &counts->nr_private;
	case ASID_MOVING:
		return &counts->nr_moving;
	case ASID_PINNED:
		return &counts->nr_pinned;
	default:
		return &counts->nr_free;
	}
}

/* Move @asid from one kind to another, keeping the bitmaps and counts. */
static void asid_set_kind(struct asid_alloc *aa, u16 asid,
			  enum asid_kind kind)
{
	struct asid_slot *slot = &aa->slot[asid];

	(*asid_count_of(&aa->counts, slot->kind))--;
	(*asid_count_of(&aa->counts, kind))++;
	if (slot->kind == ASID_FREE)
		asid_mark_taken(aa, asid);
	else if (kind == ASID_FREE)
		asid_mark_free(aa, asid);
	slot->kind = kind;
	if (kind == ASID_FREE) {
		slot->owner = NULL;
		slot->pins = 0;
	}
}

/**
 * asid_alloc_init() - set up the allocator of one SMMU
 * @aa: the allocator
 * @bits: the SMMU's ASID width, 8 or 16
 * @ops: where the storage comes from; must outlive @aa
 *
 * Every ASID but 0 starts free: Linux never uses ASID 0 for a context
 * (the CPU's allocator reserves it), so neither does the SMMU. The caller
 * serialises calls on one allocator.
 *
 * Return: 0, -EINVAL for another width, -ENOMEM.
 */
int asid_alloc_init(struct asid_alloc *aa, unsigned int bits,
		    const struct asid_alloc_ops *ops)
{
	u32 nr, n0, n1, i;
	u8 *mem;

	if (bits != 8 && bits != 16)
		return -EINVAL;
	nr = 1U << bits;
	n0 = nr / 64;
	n1 = (n0 + 63) / 64;
	/* One block: the slots first, so the u64 words stay aligned. */
	mem = ops->zalloc(nr * sizeof(*aa->slot) + (n0 + n1) * sizeof(u64));
	if (!mem)
		return -ENOMEM;
	aa->ops = ops;
	aa->nr = nr;
	aa->slot = (struct asid_slot *)mem;
	aa->free0 = (u64 *)(mem + nr * sizeof(*aa->slot));
	aa->free1 = aa->free0 + n0;
	aa->free2 = 0;
	for (i = 0; i < nr; i++)
		asid_mark_free(aa, i);
	asid_mark_taken(aa, 0);
	aa->slot[0].kind = ASID_RESERVED;
	aa->counts = (struct asid_counts){ .nr_free = nr - 1 };
	return 0;
}

/**
 * asid_alloc_destroy() - release the allocator's storage
 * @aa: the allocator; may be reinitialised afterwards
 *
 * Holders that are left are forgotten: the caller has released them (the
 * model checks that through asid_alloc_counts()).
 */
void asid_alloc_destroy(struct asid_alloc *aa)
{
	aa->ops->free(aa->slot);
	aa->slot = NULL;
	aa->free0 = NULL;
	aa->free1 = NULL;
}

/**
 * asid_alloc_private() - take the lowest free ASID for a DMA domain
 * @aa: the allocator
 * @owner: the domain, returned by asid_owner() and asid_pin_shared()
 * @asid: set to the ASID taken
 *
 * Lowest first, as the driver's xarray allocator does, so the ASIDs in use
 * stay dense and a status dump stays short. Constant time.
 *
 * Return: 0, or -ENOSPC with nothing changed when every ASID is taken.
 */
int asid_alloc_private(struct asid_alloc *aa, void *owner, u16 *asid)
{
	u32 w1, w0, a;

	if (!aa->free2)
		return -ENOSPC;
	w1 = __builtin_ctzll(aa->free2);
	w0 = w1 * 64 + __builtin_ctzll(aa->free1[w1]);
	a = w0 * 64 + __builtin_ctzll(aa->free0[w0]);
	asid_set_kind(aa, a, ASID_PRIVATE);
	aa->slot[a].owner = owner;
	*asid = a;
	return 0;
}

/**
 * asid_reserve_private() - take one given ASID for a DMA domain
 * @aa: the allocator
 * @asid: the ASID
 * @owner: the domain
 *
 * For a domain the driver already set up before the module took over.
 *
 * Return: 0, -EINVAL for ASID 0 or one beyond the width, -EBUSY if taken.
 */
int asid_reserve_private(struct asid_alloc *aa, u16 asid, void *owner)
{
	if (!asid_in_range(aa, asid))
		return -EINVAL;
	if (aa->slot[asid].kind != ASID_FREE)
		return -EBUSY;
	asid_set_kind(aa, asid, ASID_PRIVATE);
	aa->slot[asid].owner = owner;
	return 0;
}

/**
 * asid_free_private() - release a DMA domain's ASID
 * @aa: the allocator
 * @asid: an ASID_PRIVATE ASID
 *
 * Return: 0, or -EINVAL with nothing changed if @asid is not private.
 */
int asid_free_private(struct asid_alloc *aa, u16 asid)
{
	if (!asid_in_range(aa, asid) || aa->slot[asid].kind != ASID_PRIVATE)
		return -EINVAL;
	asid_set_kind(aa, asid, ASID_FREE);
	return 0;
}

/* @asid becomes a CPU ASID pinned once, for @owner's mm. */
static void asid_make_pinned(struct asid_alloc *aa, u16 asid, void *owner)
{
	asid_set_kind(aa, asid, ASID_PINNED);
	aa->slot[asid].owner = owner;
	aa->slot[asid].pins = 1;
}

/**
 * asid_pin_shared() - take a CPU ASID for the SVA domains of one mm
 * @aa: the allocator
 * @asid: the mm's CPU ASID, pinned on the CPU side (arm64_mm_context_get)
 * @owner: the mm
 * @displaced: set to the DMA domain that holds @asid when ASID_PIN_MOVE is
 *	       returned, else untouched
 *
 * Pins are counted: every SVA domain of the mm on this SMMU pins once and
 * unpins once. A private ASID cannot be pinned in place because the SMMU
 * would then match the domain's TLB entries for the mm; the caller moves
 * the domain away with asid_move_run(), whose ASID_MOVE_PIN end does the
 * pin.
 *
 * Return: 0 when pinned; ASID_PIN_MOVE with nothing changed when @asid is
 * a DMA domain's; -EBUSY with nothing changed when @asid is moving or is
 * pinned for another mm (the CPU gives one ASID to one live mm, so the
 * latter is a caller bug); -EINVAL for ASID 0 or one beyond the width.
 */
int asid_pin_shared(struct asid_alloc *aa, u16 asid, void *owner,
		    void **displaced)
{
	struct asid_slot *slot;

	if (!asid_in_range(aa, asid))
		return -EINVAL;
	slot = &aa->slot[asid];
	switch (slot->kind) {
	case ASID_FREE:
		asid_make_pinned(aa, asid, owner);
		return 0;
	case ASID_PINNED:
		if (slot->owner != owner)
			return -EBUSY;
		slot->pins++;
		return 0;
	case ASID_PRIVATE:
		*displaced = slot->owner;
		return ASID_PIN_MOVE;
	default:
		return -EBUSY;
	}
}

/**
 * asid_unpin() - drop one pin of a shared ASID
 * @aa: the allocator
 * @asid: an ASID_PINNED ASID
 *
 * The caller invalidates the ASID in the SMMU before the last unpin: once
 * free it can be a DMA domain's, which must not hit the mm's entries.
 *
 * Return: the pins left (0: the ASID is free again), or -EINVAL with
 * nothing changed if @asid is not pinned.
 */
int asid_unpin(struct asid_alloc *aa, u16 asid)
{
	struct asid_slot *slot;

	if (!asid_in_range(aa, asid) || aa->slot[asid].kind != ASID_PINNED)
		return -EINVAL;
	slot = &aa->slot[asid];
	if (--slot->pins == 0)
		asid_set_kind(aa, asid, ASID_FREE);
	return slot->pins;
}

/**
 * asid_begin_move() - mark a private ASID as being moved away from
 * @aa: the allocator
 * @asid: an ASID_PRIVATE ASID
 *
 * The ASID stays taken, with its owner, until asid_end_move(): until then
 * its domain's CDs and TLB entries may still use it.
 *
 * Return: 0, or -EINVAL with nothing changed if @asid is not private.
 */
int asid_begin_move(struct asid_alloc *aa, u16 asid)
{
	if (!asid_in_range(aa, asid) || aa->slot[asid].kind != ASID_PRIVATE)
		return -EINVAL;
	asid_set_kind(aa, asid, ASID_MOVING);
	return 0;
}

/**
 * asid_end_move() - settle an ASID that was being moved away from
 * @aa: the allocator
 * @asid: an ASID_MOVING ASID
 * @end: back to its domain, pinned once for @owner, or freed
 * @owner: the mm for ASID_MOVE_PIN; ignored otherwise
 *
 * One call, so that the ASID goes from its old domain to the mm without
 * ever being free, where another domain could take it.
 *
 * Return: 0, or -EINVAL with nothing changed if @asid is not moving or
 * @end is unknown.
 */
int asid_end_move(struct asid_alloc *aa, u16 asid, enum asid_move_end end,
		  void *owner)
{
	if (!asid_in_range(aa, asid) || aa->slot[asid].kind != ASID_MOVING)
		return -EINVAL;
	switch (end) {
	case ASID_MOVE_ABORT:
		asid_set_kind(aa, asid, ASID_PRIVATE);
		return 0;
	case ASID_MOVE_PIN:
		asid_make_pinned(aa, asid, owner);
		return 0;
	case ASID_MOVE_FREE:
		asid_set_kind(aa, asid, ASID_FREE);
		return 0;
	}
	return -EINVAL;
}

/**
 * asid_kind_of() - what holds an ASID
 * @aa: the allocator
 * @asid: any value
 *
 * Return: the kind; ASID_RESERVED for 0 and beyond the width.
 */
enum asid_kind asid_kind_of(const struct asid_alloc *aa, u16 asid)
{
	if (asid >= aa->nr)
		return ASID_RESERVED;
	return aa->slot[asid].kind;
}

/**
 * asid_owner() - who holds an ASID
 * @aa: the allocator
 * @asid: any value
 *
 * Return: the owner given when the ASID was taken (a moving ASID keeps
 * its domain), or NULL when free, reserved or beyond the width.
 */
void *asid_owner(const struct asid_alloc *aa, u16 asid)
{
	if (asid >= aa->nr)
		return NULL;
	return aa->slot[asid].owner;
}

/**
 * asid_alloc_counts() - how many ASIDs are held, and how
 * @aa: the allocator
 * @out: filled in
 *
 * Constant time: the counts are kept by every operation, so the status
 * file can show them without walking the ASIDs.
 */
void asid_alloc_counts(const struct asid_alloc *aa, struct asid_counts *out)
{
	*out = aa->counts;
}
