// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding of the stage-1 Context Descriptor of an SVA domain (IHI 0070
 * section 5.4). Pure logic: compiled into the module and into the host unit
 * tests.
 */
#include <linux/bitfield.h>

#include "smmu_cd.h"

/**
 * smmu_encode_sva_cd() - the CD words for a process's page tables
 * @cd: the four words (0 to 3), in CPU byte order
 * @params: what the context needs
 *
 * The context walks the process's TTB0 with the CPU's own attributes
 * (granule, walk cacheability, shareability, MAIR), faults on accesses to
 * the upper range (EPD1: the kernel's half is not the device's), and uses
 * 64-bit translation tables. R and A record faults and report them as
 * aborts rather than silently (which a terminate model also requires).
 * HA, HD and HAFT let the SMMU update the Access flag and dirty state in
 * the tables as the CPU does, where @params asks for them (include/
 * sva_support.h decides); an HD or HAFT without HA is not encoded, since
 * the SMMU takes such a CD as ILLEGAL (IHI 0070 5.4: HD alone is Reserved,
 * HAFT without HA gives C_BAD_CD).
 */
void smmu_encode_sva_cd(u64 cd[4], const struct smmu_sva_cd *params)
{
	cd[0] = FIELD_PREP(SMMU_CD0_T0SZ, 64 - params->va_bits) |
		FIELD_PREP(SMMU_CD0_TG0, params->tg0) |
		FIELD_PREP(SMMU_CD0_IR0, SMMU_CD_RGN_WBWA) |
		FIELD_PREP(SMMU_CD0_OR0, SMMU_CD_RGN_WBWA) |
		FIELD_PREP(SMMU_CD0_SH0, SMMU_CD_SH_IS) |
		SMMU_CD0_EPD1 | SMMU_CD0_V |
		FIELD_PREP(SMMU_CD0_IPS, params->ips) |
		SMMU_CD0_AA64 | SMMU_CD0_R | SMMU_CD0_A |
		(params->stall ? SMMU_CD0_S : 0) |
		(params->shared ? 0 : SMMU_CD0_ASET) |
		FIELD_PREP(SMMU_CD0_ASID, params->asid);
	if (params->ha)
		cd[0] |= SMMU_CD0_HA | (params->hd ? SMMU_CD0_HD : 0);
	cd[1] = params->ttb0 & SMMU_CD1_TTB0;
	if (params->ha && params->haft)
		cd[1] |= SMMU_CD1_HAFT;
	cd[2] = 0;
	cd[3] = params->mair;
}

/**
 * smmu_cd_make_faulting() - turn an SVA CD into one whose walks all fault
 * @cd: the CD's four words, in CPU byte order, changed in place
 * @stall_force: the SMMU stalls every fault (IDR0.STALL_MODEL forced)
 *
 * For an mm going away while a device may still issue DMA: the CD stays
 * valid with its ASID (so the SMMU reports translation faults rather than
 * bad-CD errors) but no longer walks the mm's tables, which are about to be
 * freed: EPD0 disables TTB0 walks, and TTB0 and the other fields EPD0
 * makes the SMMU ignore (T0SZ, TG0, IR0, OR0, SH0) are cleared, as in the
 * driver's own faulting CD: 6.10+'s CD writer warns on a set bit that its
 * used-bits mask calls ignored. S and R are cleared
 * too, so that a device still issuing DMA gets an abort at once instead of
 * a stall, and does not fill the event queue with a fault record per
 * transaction, as the stock driver does; where the SMMU forces stalls, CD.S
 * cannot be cleared, and with it R stays.
 */
void smmu_cd_make_faulting(u64 cd[4], bool stall_force)
{
	cd[0] &= ~(SMMU_CD0_T0SZ | SMMU_CD0_TG0 | SMMU_CD0_IR0 | SMMU_CD0_OR0 |
		   SMMU_CD0_SH0);
	cd[0] |= SMMU_CD0_EPD0;
	if (!stall_force)
		cd[0] &= ~(SMMU_CD0_S | SMMU_CD0_R);
	cd[1] &= ~SMMU_CD1_TTB0;
}

/**
 * smmu_cd0_ctx_tcr() - what of a CD's word 0 the 6.2 to 6.9 driver takes
 * @cd0: word 0 of a CD smmu_encode_sva_cd() made
 *
 * That driver's CD writer builds word 0 from a context descriptor's tcr,
 * adding V, R, A, AA64, the ASID, ASET for a descriptor without an mm, and
 * S for a stalling domain. This is @cd0 without those, so that the writer
 * puts back exactly @cd0 for a descriptor with the same ASID and ASET.
 *
 * Return: the value for the descriptor's tcr.
 */
u64 smmu_cd0_ctx_tcr(u64 cd0)
{
	return cd0 & ~(SMMU_CD0_V | SMMU_CD0_R | SMMU_CD0_A | SMMU_CD0_ASET |
		       SMMU_CD0_S | SMMU_CD0_ASID);
}

/**
 * smmu_cd0_private_on() - whether a CD is a valid private CD on an ASID
 * @cd0: word 0 of the CD, as the SMMU reads it (CPU order)
 * @asid: the ASID
 *
 * A CD that is not valid tags nothing; one with ASET clear shares its ASID
 * with the CPU (an SVA CD), and an ASID move never takes those.
 *
 * Return: true when @cd0 has V and ASET set and its ASID is @asid.
 */
bool smmu_cd0_private_on(u64 cd0, u16 asid)
{
	return (cd0 & SMMU_CD0_V) && (cd0 & SMMU_CD0_ASET) &&
	       FIELD_GET(SMMU_CD0_ASID, cd0) == asid;
}

/**
 * smmu_cd0_with_asid() - a CD's word 0 on another ASID
 * @cd0: word 0 of the CD (CPU order)
 * @asid: the ASID it is to hold
 *
 * Return: @cd0 with its ASID field @asid and every other bit unchanged.
 */
u64 smmu_cd0_with_asid(u64 cd0, u16 asid)
{
	return (cd0 & ~SMMU_CD0_ASID) | FIELD_PREP(SMMU_CD0_ASID, asid);
}
