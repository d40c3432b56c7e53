/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stage-1 Context Descriptor smmu-btm builds for an SVA domain (IHI 0070
 * section 5.4), as the four 64-bit words the SMMU reads. Pure logic: no
 * kernel dependencies.
 */
#ifndef SMMU_BTM_CD_H
#define SMMU_BTM_CD_H

#include <linux/bits.h>
#include <linux/types.h>

/* CD word 0 */
#define SMMU_CD0_T0SZ		GENMASK_ULL(5, 0)
#define SMMU_CD0_TG0		GENMASK_ULL(7, 6)
#define SMMU_CD0_IR0		GENMASK_ULL(9, 8)
#define SMMU_CD0_OR0		GENMASK_ULL(11, 10)
#define SMMU_CD0_SH0		GENMASK_ULL(13, 12)
#define SMMU_CD0_EPD0		BIT_ULL(14)
#define SMMU_CD0_EPD1		BIT_ULL(30)
#define SMMU_CD0_V		BIT_ULL(31)
#define SMMU_CD0_IPS		GENMASK_ULL(34, 32)
#define SMMU_CD0_AA64		BIT_ULL(41)
#define SMMU_CD0_HD		BIT_ULL(42)
#define SMMU_CD0_HA		BIT_ULL(43)
#define SMMU_CD0_S		BIT_ULL(44)
#define SMMU_CD0_R		BIT_ULL(45)
#define SMMU_CD0_A		BIT_ULL(46)
#define SMMU_CD0_ASET		BIT_ULL(47)
#define SMMU_CD0_ASID		GENMASK_ULL(63, 48)
/* CD word 1 */
#define SMMU_CD1_HAFT		BIT_ULL(3)	/* the CD's bit 67 */
#define SMMU_CD1_TTB0		GENMASK_ULL(51, 4)

/* TG0 (as TCR_EL1.TG0) */
#define SMMU_CD_TG0_4K		0
#define SMMU_CD_TG0_64K		1
#define SMMU_CD_TG0_16K		2
/* IR0, OR0: Normal, Write-Back Read-Allocate Write-Allocate Cacheable */
#define SMMU_CD_RGN_WBWA	1
/* SH0: Inner Shareable */
#define SMMU_CD_SH_IS		3

/**
 * struct smmu_sva_cd - what a stage-1 CD for a process's page tables needs
 * @asid: the ASID the SMMU tags the context's TLB entries with
 * @shared: the ASID is the CPU's own for this mm: ASET = 0, so the SMMU
 *	    takes part in the CPU's broadcast invalidations of it; else ASET
 *	    = 1, a private ASID that broadcasts by ASID or address ignore
 * @ttb0: physical address of the mm's page table (its pgd)
 * @va_bits: the CPU's virtual address width for user space (T0SZ = 64 -
 *	     @va_bits)
 * @tg0: the translation granule, SMMU_CD_TG0_*
 * @ips: the physical address size, as ID_AA64MMFR0_EL1.PARange encodes
 *	 it (the same encoding as SMMU_IDR5.OAS)
 * @mair: the CPU's MAIR_EL1, so attribute indexes mean the same
 * @stall: faults stall rather than terminate
 * @ha: the SMMU sets Access flags in the page tables (CD.HA)
 * @hd: ... and dirty state (CD.HD; needs @ha)
 * @haft: ... and Access flags in table descriptors (CD.HAFT; needs @ha)
 */
struct smmu_sva_cd {
	u16 asid;
	bool shared;
	u64 ttb0;
	unsigned int va_bits;
	unsigned int tg0;
	unsigned int ips;
	u64 mair;
	bool stall;
	bool ha;
	bool hd;
	bool haft;
};

void smmu_encode_sva_cd(u64 cd[4], const struct smmu_sva_cd *params);
void smmu_cd_make_faulting(u64 cd[4], bool stall_force);
u64 smmu_cd0_ctx_tcr(u64 cd0);
bool smmu_cd0_private_on(u64 cd0, u16 asid);
u64 smmu_cd0_with_asid(u64 cd0, u16 asid);

#endif /* SMMU_BTM_CD_H */
