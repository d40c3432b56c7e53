/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMMUv3 identification and control registers that smmu-btm reads, and their
 * decoded form. Offsets and fields are from the Arm SMMUv3 architecture
 * specification (IHI 0070), section 6.3. Pure logic: no kernel dependencies.
 */
#ifndef SMMU_BTM_REGS_H
#define SMMU_BTM_REGS_H

#include <linux/bits.h>
#include <linux/types.h>

/* Offsets in register page 0 (IHI 0070 6.3). */
#define SMMU_IDR0		0x00
#define SMMU_IDR1		0x04
#define SMMU_IDR3		0x0c
#define SMMU_IDR5		0x14
#define SMMU_IIDR		0x18
#define SMMU_AIDR		0x1c
#define SMMU_CR0		0x20
#define SMMU_CR0ACK		0x24
#define SMMU_CR2		0x2c
/* How much of page 0 the module maps to read the registers above. */
#define SMMU_PROBE_SIZE		0x30
/* Beyond the probe mapping: only the CR2 switch uses it. */
#define SMMU_GBPA		0x44
#define SMMU_GERROR		0x60
#define SMMU_GERRORN		0x64

/* SMMU_IDR0 (6.3.1) */
#define IDR0_S2P		BIT(0)
#define IDR0_S1P		BIT(1)
#define IDR0_TTF		GENMASK(3, 2)
#define IDR0_COHACC		BIT(4)
#define IDR0_BTM		BIT(5)
#define IDR0_HTTU		GENMASK(7, 6)
#define IDR0_DORMHINT		BIT(8)
#define IDR0_HYP		BIT(9)
#define IDR0_ATS		BIT(10)
#define IDR0_NS1ATS		BIT(11)
#define IDR0_ASID16		BIT(12)
#define IDR0_MSI		BIT(13)
#define IDR0_SEV		BIT(14)
#define IDR0_ATOS		BIT(15)
#define IDR0_PRI		BIT(16)
#define IDR0_VMW		BIT(17)
#define IDR0_VMID16		BIT(18)
#define IDR0_CD2L		BIT(19)
#define IDR0_VATOS		BIT(20)
#define IDR0_TTENDIAN		GENMASK(22, 21)
#define IDR0_ATSRECERR		BIT(23)
#define IDR0_STALL_MODEL	GENMASK(25, 24)
#define IDR0_TERM_MODEL		BIT(26)
#define IDR0_ST_LEVEL		GENMASK(28, 27)

/* SMMU_IDR1 (6.3.2) */
#define IDR1_SIDSIZE		GENMASK(5, 0)
#define IDR1_SSIDSIZE		GENMASK(10, 6)
#define IDR1_PRIQS		GENMASK(15, 11)
#define IDR1_EVENTQS		GENMASK(20, 16)
#define IDR1_CMDQS		GENMASK(25, 21)

/* SMMU_IDR3 (6.3.4) */
#define IDR3_HAD		BIT(2)
#define IDR3_RIL		BIT(10)
#define IDR3_BBML		GENMASK(12, 11)
#define IDR3_BBML2		2	/* break-before-make level 2 */

/* SMMU_IDR5 (6.3.6) */
#define IDR5_OAS		GENMASK(2, 0)
#define IDR5_GRAN4K		BIT(4)
#define IDR5_GRAN16K		BIT(5)
#define IDR5_GRAN64K		BIT(6)
#define IDR5_VAX		GENMASK(11, 10)
#define IDR5_VAX_52		1	/* 52-bit virtual addresses */
#define IDR5_STALL_MAX		GENMASK(31, 16)

/* SMMU_IIDR (6.3.7) */
#define IIDR_IMPLEMENTER	GENMASK(11, 0)
#define IIDR_REVISION		GENMASK(15, 12)
#define IIDR_VARIANT		GENMASK(19, 16)
#define IIDR_PRODUCTID		GENMASK(31, 20)

/* SMMU_AIDR (6.3.8) */
#define AIDR_MINOR		GENMASK(3, 0)
#define AIDR_MAJOR		GENMASK(7, 4)

/* SMMU_CR0 (6.3.9) */
#define CR0_SMMUEN		BIT(0)
#define CR0_PRIQEN		BIT(1)
#define CR0_EVENTQEN		BIT(2)
#define CR0_CMDQEN		BIT(3)

/*
 * SMMU_CR0ACK (6.3.10) has CR0's layout, hence uses the CR0_* masks: each
 * field reads as CR0's once the SMMU has completed the update to it.
 */

/* SMMU_CR2 (6.3.12) */
#define CR2_E2H			BIT(0)
#define CR2_RECINVSID		BIT(1)
#define CR2_PTM			BIT(2)

/* SMMU_GBPA (6.3.14): what happens to transactions while SMMUEN is 0 */
/* SMMU_GERROR/GERRORN: an error is active while the two bits differ. */
#define GERROR_SFM_ERR		BIT(8)

#define GBPA_ABORT		BIT(20)
#define GBPA_UPDATE		BIT(31)

/**
 * struct smmu_id_regs - raw values of the registers smmu-btm probes
 * @idr0: SMMU_IDR0
 * @idr1: SMMU_IDR1
 * @idr3: SMMU_IDR3
 * @idr5: SMMU_IDR5
 * @iidr: SMMU_IIDR
 * @aidr: SMMU_AIDR
 * @cr0: SMMU_CR0
 * @cr2: SMMU_CR2
 */
struct smmu_id_regs {
	u32 idr0;
	u32 idr1;
	u32 idr3;
	u32 idr5;
	u32 iidr;
	u32 aidr;
	u32 cr0;
	u32 cr2;
};

/* IDR0.STALL_MODEL */
enum smmu_stall_model {
	SMMU_STALL_BOTH = 0,	/* stall and terminate both supported */
	SMMU_STALL_NONE = 1,	/* no stall */
	SMMU_STALL_FORCED = 2,	/* stall forced */
	SMMU_STALL_RESERVED = 3,
};

/**
 * struct smmu_features - what the ID registers say, in the terms smmu-btm
 *			  reasons about
 * @arch_major: SMMUv3.x: 3 for every SMMUv3
 * @arch_minor: the x in SMMUv3.x
 * @implementer: IIDR.Implementer, JEP106 code (continuation code in [11:8])
 * @product_id: IIDR.ProductID
 * @variant: IIDR.Variant (major revision)
 * @revision: IIDR.Revision (minor revision)
 * @s1p: stage 1 translation
 * @s2p: stage 2 translation
 * @btm: broadcast TLB maintenance
 * @hyp: EL2 StreamWorld, hence CR2.E2H
 * @asid_bits: 16 with IDR0.ASID16, else 8
 * @vmid_bits: 16 with IDR0.VMID16, else 8
 * @ats: PCIe ATS
 * @pri: PCIe PRI
 * @coherent: coherent table and queue accesses (IDR0.COHACC)
 * @httu: hardware access flag (1) and dirty state (2) updates
 * @stall_model: IDR0.STALL_MODEL
 * @cd2l: two-level context descriptor tables
 * @sid_bits: StreamID width
 * @ssid_bits: SubstreamID (PASID) width
 * @range_inv: range-based invalidation (IDR3.RIL)
 * @oas_bits: output address size
 * @vax52: 52-bit virtual addresses (IDR5.VAX)
 * @bbml: break-before-make level of translation changes (IDR3.BBML)
 * @page_sizes: the translation granules, as a mask of their sizes in bytes
 *		(IDR5.GRAN4K, GRAN16K, GRAN64K)
 */
struct smmu_features {
	unsigned int arch_major;
	unsigned int arch_minor;
	u16 implementer;
	u16 product_id;
	u8 variant;
	u8 revision;
	bool s1p;
	bool s2p;
	bool btm;
	bool hyp;
	unsigned int asid_bits;
	unsigned int vmid_bits;
	bool ats;
	bool pri;
	bool coherent;
	unsigned int httu;
	enum smmu_stall_model stall_model;
	bool cd2l;
	unsigned int sid_bits;
	unsigned int ssid_bits;
	bool range_inv;
	unsigned int oas_bits;
	bool vax52;
	unsigned int bbml;
	u32 page_sizes;
};

void smmu_decode_features(const struct smmu_id_regs *regs,
			  struct smmu_features *feat);
const char *smmu_stall_model_name(enum smmu_stall_model model);
unsigned int smmu_oas_bits(unsigned int oas);

#endif /* SMMU_BTM_REGS_H */
