// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU side of an SVA context. With BTM the SMMU must tag the context's
 * TLB entries with the CPU's own ASID for the mm, so that the CPU's
 * broadcast TLBI instructions reach them; the ASID is pinned so that an ASID
 * rollover on the CPU never hands it to another mm while a device uses it.
 */
#include <linux/bitfield.h>
#include <linux/mm_types.h>
#include <asm/memory.h>
#include <asm/mmu_context.h>
#include <asm/sysreg.h>

#include "sva_mm.h"

/* TCR_EL1 fields (Arm ARM D19.2): the CD mirrors the CPU's TTBR0 walk. */
#define TCR_EL1_T0SZ_FIELD	GENMASK_ULL(5, 0)
#define TCR_EL1_TG0_FIELD	GENMASK_ULL(15, 14)
#define TCR_EL1_IPS_FIELD	GENMASK_ULL(34, 32)

/**
 * btm_sva_pin_asid() - pin @mm's CPU ASID
 * @mm: the process's mm
 *
 * The ASID the CPU uses for @mm in user space (with KPTI, the odd one of
 * the pair), kept across ASID rollovers until btm_sva_unpin_asid().
 *
 * Return: the ASID, or 0 when the CPU allocator has no pin left.
 */
u16 btm_sva_pin_asid(struct mm_struct *mm)
{
	return arm64_mm_context_get(mm);
}

/**
 * btm_sva_unpin_asid() - release a pin taken by btm_sva_pin_asid()
 * @mm: the process's mm
 */
void btm_sva_unpin_asid(struct mm_struct *mm)
{
	arm64_mm_context_put(mm);
}

/**
 * btm_sva_cd_params() - the CD parameters for @mm's page tables
 * @mm: the process's mm
 * @asid: the ASID the context uses
 * @shared: @asid is @mm's pinned CPU ASID (CD.ASET = 0)
 * @params: filled in
 *
 * Granule, input and output sizes come from the CPU's own TCR_EL1 and the
 * attribute indexes from its MAIR_EL1, both the same on every CPU, so the
 * SMMU reads the page tables exactly as the CPU does.
 */
void btm_sva_cd_params(struct mm_struct *mm, u16 asid, bool shared,
		       struct smmu_sva_cd *params)
{
	u64 tcr = read_sysreg(tcr_el1);

	params->asid = asid;
	params->shared = shared;
	params->ttb0 = virt_to_phys(mm->pgd);
	params->va_bits = 64 - FIELD_GET(TCR_EL1_T0SZ_FIELD, tcr);
	params->tg0 = FIELD_GET(TCR_EL1_TG0_FIELD, tcr);
	params->ips = FIELD_GET(TCR_EL1_IPS_FIELD, tcr);
	params->mair = read_sysreg(mair_el1);
	params->stall = false;
}
