/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The broadcast check: whether a CPU's broadcast TLB invalidation reaches
 * an SMMU's TLB, seen through an observer that reads what the SMMU would
 * translate an address to (ATOS, IHI 0070 chapter 9). The register
 * encodings of the global ATOS interface and the verdict from what the
 * observer saw. Pure logic: no kernel dependencies.
 */
#ifndef SMMU_BTM_BROADCAST_VERDICT_H
#define SMMU_BTM_BROADCAST_VERDICT_H

#include <linux/bits.h>
#include <linux/types.h>

/* The global ATOS interface in register page 0 (IHI 0070 6.3) */
#define SMMU_GATOS_CTRL		0x100
#define SMMU_GATOS_SID		0x108
#define SMMU_GATOS_ADDR		0x110
#define SMMU_GATOS_PAR		0x118
/* How much of page 0 the check maps: up to the end of GATOS_PAR. */
#define SMMU_GATOS_MAP_SIZE	0x120

#define GATOS_CTRL_RUN		BIT(0)

/**
 * enum bcheck_verdict - what the broadcast check found on one SMMU
 * @BCHECK_NOT_RUN: no check has run on the SMMU
 * @BCHECK_DELIVERED: the observer saw a stale entry stay without a
 *	broadcast and go with one
 * @BCHECK_NOT_DELIVERED: the stale entry outlived the CPU's broadcast
 * @BCHECK_UNPROVEN: the observer could not tell (it never saw a stale
 *	entry, or could not translate at all)
 */
enum bcheck_verdict {
	BCHECK_NOT_RUN,
	BCHECK_DELIVERED,
	BCHECK_NOT_DELIVERED,
	BCHECK_UNPROVEN,
};

/**
 * enum bcheck_kind - the broadcast TLBIs the kernel sends for an mm, each
 *	checked on its own (an interconnect or an SMMU may lose one kind)
 * @BCHECK_BY_VA: TLBI VALE1IS, one page (unmap, mprotect, migration)
 * @BCHECK_BY_ASID: TLBI ASIDE1IS, the whole ASID (flush_tlb_mm)
 * @BCHECK_BY_RANGE: TLBI RVALE1IS, a range of pages (FEAT_TLBIRANGE CPUs)
 * @BCHECK_KINDS: how many
 */
enum bcheck_kind {
	BCHECK_BY_VA,
	BCHECK_BY_ASID,
	BCHECK_BY_RANGE,
	BCHECK_KINDS,
};

/**
 * struct bcheck_lookup - one translation the observer reported
 * @ok: it translated (an ATOS fault, or no answer, leaves it false)
 * @pa: the physical page it translated the test address to
 */
struct bcheck_lookup {
	bool ok;
	u64 pa;
};

/**
 * struct bcheck_obs - one run of the check, in order
 * @old_pa: the page the test address maps to at first
 * @new_pa: the page it maps to once the check has rewritten its entry
 * @before: the lookup with the first mapping, which fills the SMMU's TLB
 * @stale: the lookup after the rewrite, before any invalidation (the
 *	negative control: a TLB the observer sees still gives @old_pa)
 * @after: the lookup after the CPU's broadcast invalidation
 */
struct bcheck_obs {
	u64 old_pa;
	u64 new_pa;
	struct bcheck_lookup before;
	struct bcheck_lookup stale;
	struct bcheck_lookup after;
};

enum bcheck_verdict bcheck_decide(const struct bcheck_obs *obs,
				  const char **why);
enum bcheck_verdict bcheck_combine(const enum bcheck_verdict *kinds,
				   unsigned int n, unsigned int *decisive);
enum bcheck_verdict bcheck_observers(enum bcheck_verdict atos,
				     enum bcheck_verdict device);
const char *bcheck_kind_name(enum bcheck_kind kind);
const char *bcheck_verdict_name(enum bcheck_verdict verdict);

u64 tlbi_va_arg(u64 va, u16 asid);
u64 tlbi_asid_arg(u16 asid);
u64 tlbi_range2_arg(u64 va, u16 asid, unsigned int page_shift);
u64 gatos_sid_value(u32 sid, bool ssid_valid, u32 ssid);
u64 gatos_addr_value(u64 va);
bool gatos_par_decode(u64 par, u64 *pa, unsigned int *fault_code);

#endif /* SMMU_BTM_BROADCAST_VERDICT_H */
