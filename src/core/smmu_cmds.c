// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding of the SMMUv3 commands smmu-btm issues (IHI 0070 chapter 4).
 * Pure logic: compiled into the module and into the host unit tests.
 */
#include <linux/bitfield.h>

#include "smmu_cmds.h"

/**
 * smmu_cmd_cfgi_cd() - CMD_CFGI_CD: forget the cached copy of one CD
 * @cmd: filled in
 * @sid: StreamID of the master
 * @ssid: SubstreamID whose CD changed
 * @leaf: only the CD itself changed, not a level-1 descriptor above it
 */
void smmu_cmd_cfgi_cd(struct smmu_cmd *cmd, u32 sid, u32 ssid, bool leaf)
{
	cmd->dw[0] = FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_CFGI_CD) |
		     FIELD_PREP(SMMU_CFGI0_SSID, ssid) |
		     FIELD_PREP(SMMU_CFGI0_SID, sid);
	cmd->dw[1] = leaf ? SMMU_CFGI1_LEAF : 0;
}

/**
 * smmu_cmd_cfgi_all() - forget every cached STE and CD
 * @cmd: filled in
 *
 * CMD_CFGI_STE_RANGE over all StreamIDs, which also covers the CDs each
 * STE leads to ("CMD_CFGI_ALL").
 */
void smmu_cmd_cfgi_all(struct smmu_cmd *cmd)
{
	cmd->dw[0] = FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_CFGI_STE_RANGE);
	cmd->dw[1] = FIELD_PREP(SMMU_CFGI1_RANGE, SMMU_CFGI_RANGE_ALL);
}

/**
 * smmu_cmd_tlbi_all() - invalidate every TLB entry of one translation regime
 * @cmd: filled in
 * @el2: CMD_TLBI_EL2_ALL (the EL2 and EL2-E2H StreamWorlds), else
 *	 CMD_TLBI_NSNH_ALL (every non-secure, non-hypervisor entry)
 */
void smmu_cmd_tlbi_all(struct smmu_cmd *cmd, bool el2)
{
	cmd->dw[0] = FIELD_PREP(SMMU_CMD0_OP, el2 ? SMMU_CMD_TLBI_EL2_ALL :
						    SMMU_CMD_TLBI_NSNH_ALL);
	cmd->dw[1] = 0;
}

/**
 * smmu_cmd_tlbi_asid() - invalidate every entry of one ASID
 * @cmd: filled in
 * @asid: the ASID
 * @el2: the SMMU's stage-1 contexts are in the EL2-E2H StreamWorld (VHE
 *	 host), so CMD_TLBI_EL2_ASID; else CMD_TLBI_NH_ASID with VMID 0, the
 *	 host's
 */
void smmu_cmd_tlbi_asid(struct smmu_cmd *cmd, u16 asid, bool el2)
{
	cmd->dw[0] = FIELD_PREP(SMMU_CMD0_OP, el2 ? SMMU_CMD_TLBI_EL2_ASID :
						    SMMU_CMD_TLBI_NH_ASID) |
		     FIELD_PREP(SMMU_TLBI0_ASID, asid);
	cmd->dw[1] = 0;
}

/**
 * smmu_cmd_tlbi_va() - invalidate one ASID's entries for one address
 * @cmd: filled in
 * @asid: the ASID
 * @va: the address; bits below 12 are ignored
 * @leaf: only last-level (leaf) entries need to go
 * @el2: as for smmu_cmd_tlbi_asid()
 *
 * A single-address form: no range (NUM, SCALE and TG are 0), so it applies
 * whatever the translation granule.
 */
void smmu_cmd_tlbi_va(struct smmu_cmd *cmd, u16 asid, u64 va, bool leaf,
		      bool el2)
{
	cmd->dw[0] = FIELD_PREP(SMMU_CMD0_OP, el2 ? SMMU_CMD_TLBI_EL2_VA :
						    SMMU_CMD_TLBI_NH_VA) |
		     FIELD_PREP(SMMU_TLBI0_ASID, asid);
	cmd->dw[1] = (va & SMMU_TLBI1_ADDR) | (leaf ? SMMU_TLBI1_LEAF : 0);
}

/**
 * smmu_cmd_tlbi_range() - invalidate one ASID's entries for a range of pages
 * @cmd: filled in
 * @asid: the ASID
 * @va: the first address; bits below 12 are ignored
 * @num: the range holds @num blocks (1 to SMMU_TLBI_RANGE_NUM) ...
 * @scale: ... of 2^@scale pages each (0 to 31)
 * @page_shift: the translation granule, log2 (12, 14 or 16), as TG
 * @el2: as for smmu_cmd_tlbi_asid()
 *
 * A range form for any level of the tables (TTL 0, not leaf-only): what an
 * mm's invalidation needs, since it may have freed intermediate tables.
 * Needs SMMU_IDR3.RIL.
 */
void smmu_cmd_tlbi_range(struct smmu_cmd *cmd, u16 asid, u64 va,
			 unsigned int num, unsigned int scale,
			 unsigned int page_shift, bool el2)
{
	cmd->dw[0] = FIELD_PREP(SMMU_CMD0_OP, el2 ? SMMU_CMD_TLBI_EL2_VA :
						    SMMU_CMD_TLBI_NH_VA) |
		     FIELD_PREP(SMMU_TLBI0_NUM, num - 1) |
		     FIELD_PREP(SMMU_TLBI0_SCALE, scale) |
		     FIELD_PREP(SMMU_TLBI0_ASID, asid);
	/* TG is 1, 2, 3 for 4KB, 16KB, 64KB granules. */
	cmd->dw[1] = (va & SMMU_TLBI1_ADDR) |
		     FIELD_PREP(SMMU_TLBI1_TG, (page_shift - 10) / 2);
}

/* Index of the most significant set bit, plus one; 0 for 0. */
static unsigned int bits_needed(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/**
 * smmu_cmd_atc_inv() - CMD_ATC_INV covering a range of addresses
 * @cmd: filled in
 * @sid: StreamID of the ATS master
 * @ssid: its SubstreamID (PASID), used when @ssv
 * @ssv: the invalidation is for that SubstreamID only
 * @start: first address of the range
 * @size: length of the range in bytes; 0 means the whole address space
 *
 * The command names a naturally aligned block of 2^Size 4KB pages, so the
 * smallest such block that holds the whole range is used: an ATC
 * invalidation may only ever be wider than asked, never narrower.
 */
void smmu_cmd_atc_inv(struct smmu_cmd *cmd, u32 sid, u32 ssid, bool ssv,
		      u64 start, u64 size)
{
	u64 first = start >> 12, last, addr = 0;
	unsigned int span = SMMU_ATC_SIZE_ALL;

	if (size && start + size - 1 >= start) {
		last = (start + size - 1) >> 12;
		/* The block's size is where the first and last pages differ. */
		span = bits_needed(first ^ last);
		addr = (first & ~((1ULL << span) - 1)) << 12;
	}
	cmd->dw[0] = FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_ATC_INV) |
		     (ssv ? SMMU_ATC0_SSV | FIELD_PREP(SMMU_ATC0_SSID, ssid) : 0) |
		     FIELD_PREP(SMMU_ATC0_SID, sid);
	cmd->dw[1] = (addr & SMMU_ATC1_ADDR) | FIELD_PREP(SMMU_ATC1_SIZE, span);
}
