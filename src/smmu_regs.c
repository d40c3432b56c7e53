// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of the SMMUv3 ID registers (IHI 0070 section 6.3). Pure logic:
 * compiled into the module and into the host unit tests.
 */
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
	feat->arch_major = 3 + btm_field(regs->aidr, AIDR_MAJOR);
	feat->arch_minor = btm_field(regs->aidr, AIDR_MINOR);
	feat->implementer = btm_field(regs->iidr, IIDR_IMPLEMENTER);
	feat->product_id = btm_field(regs->iidr, IIDR_PRODUCTID);
	feat->variant = btm_field(regs->iidr, IIDR_VARIANT);
	feat->revision = btm_field(regs->iidr, IIDR_REVISION);

	feat->s1p = idr0 & IDR0_S1P;
	feat->s2p = idr0 & IDR0_S2P;
	feat->btm = idr0 & IDR0_BTM;
	feat->hyp = idr0 & IDR0_HYP;
	feat->asid_bits = (idr0 & IDR0_ASID16) ? 16 : 8;
	feat->vmid_bits = (idr0 & IDR0_VMID16) ? 16 : 8;
	feat->ats = idr0 & IDR0_ATS;
	feat->pri = idr0 & IDR0_PRI;
	feat->coherent = idr0 & IDR0_COHACC;
	feat->httu = btm_field(idr0, IDR0_HTTU);
	feat->stall_model = btm_field(idr0, IDR0_STALL_MODEL);
	feat->cd2l = idr0 & IDR0_CD2L;

	feat->sid_bits = btm_field(regs->idr1, IDR1_SIDSIZE);
	feat->ssid_bits = btm_field(regs->idr1, IDR1_SSIDSIZE);
	feat->range_inv = regs->idr3 & IDR3_RIL;
	feat->oas_bits = smmu_oas_bits(btm_field(regs->idr5, IDR5_OAS));
}
