// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of the SMMUv3 ID registers (IHI 0070 section 6.3). Pure logic:
 * compiled into the module and into the host unit tests.
 */
#include <linux/bitfield.h>

#include "smmu_regs.h"

/**
 * smmu_oas_bits() - output address size in bits for an IDR5.OAS encoding
 * @oas: the IDR5.OAS field
 *
 * Return: the number of address bits; 56 for 0b111, the largest encoding.
 */
unsigned int smmu_oas_bits(unsigned int oas)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };

	return bits[oas & 7];
}

/**
 * smmu_stall_model_name() - a word for an IDR0.STALL_MODEL value
 * @model: the decoded stall model
 *
 * Return: "stall+terminate", "terminate", "stall-forced" or "reserved".
 */
const char *smmu_stall_model_name(enum smmu_stall_model model)
{
	switch (model) {
	case SMMU_STALL_BOTH:
		return "stall+terminate";
	case SMMU_STALL_NONE:
		return "terminate";
	case SMMU_STALL_FORCED:
		return "stall-forced";
	default:
		return "reserved";
	}
}

/**
 * smmu_decode_features() - decode the ID registers smmu-btm reasons about
 * @regs: raw register values
 * @feat: filled in from @regs
 *
 * Fields that the specification makes RES0 under a condition (PRI without
 * ATS, HYP without both stages) are reported as the register holds them: the
 * eligibility decision, not the decoder, judges them.
 */
void smmu_decode_features(const struct smmu_id_regs *regs,
			  struct smmu_features *feat)
{
	u32 idr0 = regs->idr0;

	/* AIDR.ArchMajorRev 0 is SMMUv3; ArchMinorRev is the x of v3.x. */
	feat->arch_major = 3 + FIELD_GET(AIDR_MAJOR, regs->aidr);
	feat->arch_minor = FIELD_GET(AIDR_MINOR, regs->aidr);
	feat->implementer = FIELD_GET(IIDR_IMPLEMENTER, regs->iidr);
	feat->product_id = FIELD_GET(IIDR_PRODUCTID, regs->iidr);
	feat->variant = FIELD_GET(IIDR_VARIANT, regs->iidr);
	feat->revision = FIELD_GET(IIDR_REVISION, regs->iidr);

	feat->s1p = idr0 & IDR0_S1P;
	feat->s2p = idr0 & IDR0_S2P;
	feat->btm = idr0 & IDR0_BTM;
	feat->hyp = idr0 & IDR0_HYP;
	feat->asid_bits = (idr0 & IDR0_ASID16) ? 16 : 8;
	feat->vmid_bits = (idr0 & IDR0_VMID16) ? 16 : 8;
	feat->ats = idr0 & IDR0_ATS;
	feat->pri = idr0 & IDR0_PRI;
	feat->coherent = idr0 & IDR0_COHACC;
	feat->httu = FIELD_GET(IDR0_HTTU, idr0);
	feat->stall_model = FIELD_GET(IDR0_STALL_MODEL, idr0);
	feat->cd2l = idr0 & IDR0_CD2L;

	feat->sid_bits = FIELD_GET(IDR1_SIDSIZE, regs->idr1);
	feat->ssid_bits = FIELD_GET(IDR1_SSIDSIZE, regs->idr1);
	feat->range_inv = regs->idr3 & IDR3_RIL;
	feat->oas_bits = smmu_oas_bits(FIELD_GET(IDR5_OAS, regs->idr5));
	feat->vax52 = FIELD_GET(IDR5_VAX, regs->idr5) == IDR5_VAX_52;
	feat->bbml = FIELD_GET(IDR3_BBML, regs->idr3);
	feat->page_sizes = ((regs->idr5 & IDR5_GRAN4K) ? 0x1000 : 0) |
			   ((regs->idr5 & IDR5_GRAN16K) ? 0x4000 : 0) |
			   ((regs->idr5 & IDR5_GRAN64K) ? 0x10000 : 0);
}
