// SPDX-License-Identifier: GPL-2.0
/*
 * The stock driver's SVA rules for the bound generation, applied to an
 * SMMU as the driver holds it: its feature word (coherence from the
 * firmware, and on 7.x HTTU as the firmware may override it, BBML2 and
 * HAFT), its output size and its granules. Every generation checks
 * coherence, VAX, the page size, the output size and the ASID width; 7.x
 * adds BBML2 and HAFT and sets HA, HD and HAFT in its SVA CD.
 *
 * Design: doc/sva-provider.md.
 */
#include <linux/sizes.h>
#include <linux/types.h>

#include "driver_domain.h"
#include "driver_gen.h"
#include "generated/layout.h"
#include "smmu_btm.h"
#include "sva_rules.h"

/* The driver's struct arm_smmu_device, as sva_support_check() takes it. */
static void drv_features(void *smmu, bool gen7,
			 struct smmu_features *feat)
{
	u32 f = *(const u32 *)BTM_AT(smmu, BTM_OFF_arm_smmu_device__features);
	unsigned long pgsizes = *(const unsigned long *)
		BTM_AT(smmu, BTM_OFF_arm_smmu_device__pgsize_bitmap);

	feat->coherent = f & SMMU_DRV_FEAT_COHERENCY;
	feat->vax52 = f & SMMU_DRV_FEAT_VAX;
	feat->asid_bits = *(const unsigned int *)
		BTM_AT(smmu, BTM_OFF_arm_smmu_device__asid_bits);
	feat->oas_bits = *(const unsigned long *)
		BTM_AT(smmu, BTM_OFF_arm_smmu_device__oas);
	/* Block sizes are in the bitmap too; only the granules count. */
	feat->page_sizes = pgsizes & (SZ_4K | SZ_16K | SZ_64K);
	if (!gen7)
		return;
	if (f & SMMU_DRV_FEAT_HAFT)
		feat->httu = 3;
	else if (f & SMMU_DRV_FEAT_HD)
		feat->httu = 2;
	else if (f & SMMU_DRV_FEAT_HA)
		feat->httu = 1;
	feat->bbml = f & SMMU_DRV_FEAT_BBML2 ? IDR3_BBML2 : 0;
}

/**
 * btm_sva_facts() - whether the bound driver would do SVA on an SMMU, and
 * what an SVA CD on it says of the SMMU's side
 * @drv_smmu: the driver's struct arm_smmu_device
 * @cpu: the CPU facts
 * @verdict: set to sva_support_check()'s outcome
 * @hw: set to the CD's IPS cap, HA, HD and HAFT
 *
 * Context: the binding has chosen the generation (btm_gen is set).
 * Return: true where the provider must refuse an SVA domain that
 * @verdict refuses, as the driver's own allocation refuses it without its
 * SVA feature: 7.x. Before, the provider is left as it was (6.2 to 6.8
 * need the device's SVA enabled, which the driver refuses without its SVA
 * feature; on 6.10 to 6.12 the test module's provider on QEMU's stock SMMU
 * still makes them).
 */
bool btm_sva_facts(void *drv_smmu, const struct btm_cpu_facts *cpu,
		   enum sva_support *verdict, struct sva_cd_hw *hw)
{
	bool gen7 = btm_gen && btm_gen->gen == BTM_DRIVER_INVS;
	const struct sva_rules rules = {
		.bbml2 = gen7,
		.haft = gen7,
		.cd_httu = gen7,
	};
	struct smmu_features feat = {};

	drv_features(drv_smmu, gen7, &feat);
	*verdict = sva_support_check(&feat, cpu, &rules);
	sva_cd_hw_of(&feat, cpu, &rules, hw);
	return gen7;
}
