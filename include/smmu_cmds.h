/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SMMUv3 commands smmu-btm issues through the driver's command queue,
 * encoded as the two 64-bit words the queue takes (IHI 0070 chapter 4).
 * Pure logic: no kernel dependencies.
 */
#ifndef SMMU_BTM_CMDS_H
#define SMMU_BTM_CMDS_H

#include <linux/bits.h>
#include <linux/types.h>

/* Opcodes (IHI 0070 4.1) */
#define SMMU_CMD_CFGI_STE_RANGE	0x04
#define SMMU_CMD_CFGI_CD	0x05
#define SMMU_CMD_TLBI_NH_ASID	0x11
#define SMMU_CMD_TLBI_NH_VA	0x12
#define SMMU_CMD_TLBI_EL2_ASID	0x21
#define SMMU_CMD_TLBI_EL2_ALL	0x20
#define SMMU_CMD_TLBI_EL2_VA	0x22
#define SMMU_CMD_TLBI_NSNH_ALL	0x30
#define SMMU_CMD_ATC_INV	0x40

/* Fields common to every command, word 0 */
#define SMMU_CMD0_OP		GENMASK_ULL(7, 0)

/* CMD_CFGI_CD (4.3.3) */
#define SMMU_CFGI0_SSID		GENMASK_ULL(31, 12)
#define SMMU_CFGI0_SID		GENMASK_ULL(63, 32)
#define SMMU_CFGI1_LEAF		BIT_ULL(0)
/* CMD_CFGI_STE_RANGE (4.3.2): 2^(Range + 1) StreamIDs; 31 is all of them */
#define SMMU_CFGI1_RANGE	GENMASK_ULL(4, 0)
#define SMMU_CFGI_RANGE_ALL	31

/* CMD_TLBI_NH_ASID, _NH_VA, _EL2_ASID, _EL2_VA (4.4) */
#define SMMU_TLBI0_NUM		GENMASK_ULL(16, 12)
#define SMMU_TLBI0_SCALE	GENMASK_ULL(24, 20)
#define SMMU_TLBI0_VMID		GENMASK_ULL(47, 32)
#define SMMU_TLBI0_ASID		GENMASK_ULL(63, 48)
#define SMMU_TLBI1_LEAF		BIT_ULL(0)
#define SMMU_TLBI1_TTL		GENMASK_ULL(9, 8)
#define SMMU_TLBI1_TG		GENMASK_ULL(11, 10)
#define SMMU_TLBI1_ADDR		GENMASK_ULL(63, 12)
/* The largest NUM + 1 of a range TLBI: the range is (NUM + 1) << SCALE pages */
#define SMMU_TLBI_RANGE_NUM	32

/* CMD_ATC_INV (4.5.1) */
#define SMMU_ATC0_SSV		BIT_ULL(11)
#define SMMU_ATC0_SSID		GENMASK_ULL(31, 12)
#define SMMU_ATC0_SID		GENMASK_ULL(63, 32)
#define SMMU_ATC1_SIZE		GENMASK_ULL(5, 0)
#define SMMU_ATC1_ADDR		GENMASK_ULL(63, 12)
/* ATC_INV Size of the whole 64-bit address space, in 4KB pages */
#define SMMU_ATC_SIZE_ALL	52

/**
 * struct smmu_cmd - one command queue entry
 * @dw: its two words, in CPU byte order (the queue takes them little-endian)
 */
struct smmu_cmd {
	u64 dw[2];
};

void smmu_cmd_cfgi_cd(struct smmu_cmd *cmd, u32 sid, u32 ssid, bool leaf);
void smmu_cmd_cfgi_all(struct smmu_cmd *cmd);
void smmu_cmd_tlbi_all(struct smmu_cmd *cmd, bool el2);
void smmu_cmd_tlbi_asid(struct smmu_cmd *cmd, u16 asid, bool el2);
void smmu_cmd_tlbi_va(struct smmu_cmd *cmd, u16 asid, u64 va, bool leaf,
		      bool el2);
void smmu_cmd_tlbi_range(struct smmu_cmd *cmd, u16 asid, u64 va,
			 unsigned int num, unsigned int scale,
			 unsigned int page_shift, bool el2);
void smmu_cmd_atc_inv(struct smmu_cmd *cmd, u32 sid, u32 ssid, bool ssv,
		      u64 start, u64 size);

#endif /* SMMU_BTM_CMDS_H */
