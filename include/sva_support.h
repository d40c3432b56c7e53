/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether an SMMU can do SVA for these CPUs, as the stock driver decides it
 * before it sets its SVA feature, and what an SVA CD on it must say about
 * the output size and hardware table updates. Pure logic: no kernel
 * dependencies; compiled into the module and into the host unit tests.
 */
#ifndef SMMU_BTM_SVA_SUPPORT_H
#define SMMU_BTM_SVA_SUPPORT_H

#include <linux/types.h>

#include "btm_decision.h"
#include "smmu_cd.h"
#include "smmu_regs.h"

/*
 * Outcomes, tested in enum order; the first refusal that applies is the
 * reason given. SVA_SUPPORTED: none applies.
 */
enum sva_support {
	SVA_SUPPORTED,
	SVA_LPA2,
	SVA_NOT_COHERENT,
	SVA_NO_VAX,
	SVA_NO_BBML2,
	SVA_NO_HAFT,
	SVA_PAGE_SIZE,
	SVA_OAS,
	SVA_ASID_WIDTH,
	SVA_NR_REASONS,
};

/**
 * struct sva_rules - what the bound driver generation's own SVA checks and
 *		      writes, beyond what every generation does
 * @bbml2: an SMMU without BBML2 is refused where the CPUs have
 *	   BBML2_NOABORT (7.x)
 * @haft: an SMMU without HAFT is refused where the CPUs use HAFT (7.x)
 * @cd_httu: the SVA CD sets HA, HD and HAFT where the SMMU has them (7.x)
 */
struct sva_rules {
	bool bbml2;
	bool haft;
	bool cd_httu;
};

/**
 * struct sva_cd_hw - what an SVA CD on one SMMU says of the SMMU's side
 * @ips_max: the SMMU's output size, as CD.IPS encodes it: the CD's IPS is
 *	     the CPUs' PARange capped to it
 * @ha: CD.HA
 * @hd: CD.HD
 * @haft: CD.HAFT
 */
struct sva_cd_hw {
	unsigned int ips_max;
	bool ha;
	bool hd;
	bool haft;
};

enum sva_support sva_support_check(const struct smmu_features *feat,
				   const struct btm_cpu_facts *cpu,
				   const struct sva_rules *rules);
void sva_cd_hw_of(const struct smmu_features *feat,
		  const struct btm_cpu_facts *cpu,
		  const struct sva_rules *rules, struct sva_cd_hw *hw);
void sva_cd_hw_apply(const struct sva_cd_hw *hw, struct smmu_sva_cd *params);
unsigned int sva_pa_bits(unsigned int parange);
unsigned int sva_ips_of_bits(unsigned int bits);
const char *sva_support_key(enum sva_support reason);
const char *sva_support_text(enum sva_support reason);

#endif /* SMMU_BTM_SVA_SUPPORT_H */
