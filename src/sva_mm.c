// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU side of an SVA context. With BTM the SMMU must tag the context's
 * TLB entries with the CPU's own ASID for the mm, so that the CPU's
 * broadcast TLBI instructions reach them; the ASID is pinned so that an ASID
 * rollover on the CPU never hands it to another mm while a device uses it.
 *
 * Design: doc/sva-provider.md.
 */
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/mm_types.h>
#include <linux/sizes.h>
#include <asm/cpufeature.h>
#include <asm/memory.h>
#include <asm/mmu_context.h>
#include <asm/sysreg.h>

#include "sva_mm.h"

/* TCR_EL1.T0SZ and .DS, ID_AA64MMFR0_EL1.PARange (Arm ARM D19.2) */
#define TCR_EL1_T0SZ_FIELD	GENMASK_ULL(5, 0)
#define TCR_EL1_DS_BIT		BIT_ULL(59)
#define MMFR0_PARANGE		GENMASK_ULL(3, 0)

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

/* CD.TG0 for the kernel's page size (the CPU's TCR_EL1.TG0 encoding). */
static unsigned int page_size_tg0(void)
{
	switch (PAGE_SIZE) {
	case SZ_64K:
		return SMMU_CD_TG0_64K;
	case SZ_16K:
		return SMMU_CD_TG0_16K;
	default:
		return SMMU_CD_TG0_4K;
	}
}

/**
 * btm_sva_cd_params() - the CD parameters for @mm's page tables
 * @mm: the process's mm
 * @asid: the ASID the context uses
 * @shared: @asid is @mm's pinned CPU ASID (CD.ASET = 0)
 * @params: filled in
 *
 * The input size is the CPU's own (TCR_EL1.T0SZ, the same on every CPU),
 * the granule the kernel's page size, the output size the system-wide
 * PARange, and the attribute indexes the CPU's MAIR_EL1, so the SMMU reads
 * the page tables as the CPU does; every field as the driver's own SVA CD
 * has it (its IPS is the raw PARange too: with a 4KB or 16KB granule and no
 * LPA2, a 52-bit size acts as 48 bits). @params->stall is left false: it is
 * the master's, not the mm's.
 *
 * Return: 0, or -EOPNOTSUPP when the CPU uses 52-bit addresses with a 4KB
 * or 16KB granule (TCR_EL1.DS, LPA2): such page tables have another
 * descriptor format, which this CD does not describe.
 */
int btm_sva_cd_params(struct mm_struct *mm, u16 asid, bool shared,
		      struct smmu_sva_cd *params)
{
	u64 tcr = read_sysreg(tcr_el1);

	if (tcr & TCR_EL1_DS_BIT)
		return -EOPNOTSUPP;
	params->asid = asid;
	params->shared = shared;
	params->ttb0 = virt_to_phys(mm->pgd);
	params->va_bits = 64 - FIELD_GET(TCR_EL1_T0SZ_FIELD, tcr);
	params->tg0 = page_size_tg0();
	params->ips = FIELD_GET(MMFR0_PARANGE,
				read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1));
	params->mair = read_sysreg(mair_el1);
	params->stall = false;
	return 0;
}
