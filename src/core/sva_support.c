// SPDX-License-Identifier: GPL-2.0
/*
 * Whether an SMMU can do SVA for these CPUs, and what the SVA CD says of
 * the SMMU's side. Pure logic: compiled into the module and into the host
 * unit tests, so it includes only headers that tests/unit/include/linux/
 * stands in for.
 *
 * The rules are the stock driver's (arm_smmu_sva_supported(), which sets
 * its SVA feature, and its SVA CD), restated from what it checks: a
 * provider SVA domain that the stock driver would have refused walks the
 * CPU's tables where the SMMU cannot (non-coherent walks read stale tables,
 * a larger PA size than the SMMU outputs faults, a 52-bit VA without VAX
 * is a bad CD, a missing BBML2 or HAFT lets the CPU change live entries in
 * ways the SMMU cannot follow).
 *
 * Design: doc/sva-provider.md.
 */
#include <linux/types.h>

#include "btm_decision.h"
#include "smmu_cd.h"
#include "smmu_regs.h"
#include "sva_support.h"

#define SVA_PAGE_64K		0x10000UL

/* Address sizes by PARange (and IDR5.OAS, CD.IPS): the same encoding. */
static const unsigned char sva_size_bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };

#define SVA_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Keys are for scripts and never change; texts are for people. */
static const struct {
	const char *key;
	const char *text;
} sva_reasons[SVA_NR_REASONS] = {
	[SVA_SUPPORTED] = {
		"supported",
		"the SMMU can walk these CPUs' page tables for SVA",
	},
	[SVA_LPA2] = {
		"lpa2",
		"the CPUs use 52-bit virtual addresses with 4KB or 16KB pages (LPA2), whose tables an SVA CD does not describe",
	},
	[SVA_NOT_COHERENT] = {
		"not-coherent",
		"the SMMU's table walks are not coherent with the CPUs' caches: it would read stale page tables",
	},
	[SVA_NO_VAX] = {
		"no-vax",
		"the CPUs use 52-bit virtual addresses and the SMMU has no 52-bit VA (SMMU_IDR5.VAX)",
	},
	[SVA_NO_BBML2] = {
		"no-bbml2",
		"the CPUs change live mappings without break-before-make (BBML2_NOABORT) and the SMMU lacks BBML2 (SMMU_IDR3.BBML): TLB conflict aborts",
	},
	[SVA_NO_HAFT] = {
		"no-haft",
		"the CPUs use hardware Access flags in table descriptors (HAFT) and the SMMU does not update them (SMMU_IDR0.HTTU)",
	},
	[SVA_PAGE_SIZE] = {
		"page-size",
		"the SMMU has no translation granule of the kernel's page size (SMMU_IDR5.GRANx)",
	},
	[SVA_OAS] = {
		"oas",
		"the SMMU outputs fewer physical address bits (SMMU_IDR5.OAS) than the CPUs have (ID_AA64MMFR0_EL1.PARange)",
	},
	[SVA_ASID_WIDTH] = {
		"asid-width",
		"the SMMU's ASIDs are narrower than the CPUs'",
	},
};

/**
 * sva_pa_bits() - the address size an ID_AA64MMFR0_EL1.PARange gives
 * @parange: the field (SMMU_IDR5.OAS and CD.IPS share its encoding)
 *
 * Return: the number of bits; the largest (56) for a value above 0b111.
 */
unsigned int sva_pa_bits(unsigned int parange)
{
	if (parange >= SVA_ARRAY_SIZE(sva_size_bits))
		parange = SVA_ARRAY_SIZE(sva_size_bits) - 1;
	return sva_size_bits[parange];
}

/**
 * sva_ips_of_bits() - the CD.IPS encoding of an address size
 * @bits: a number of address bits
 *
 * Return: the largest encoding whose size is at most @bits (0 below 36).
 */
unsigned int sva_ips_of_bits(unsigned int bits)
{
	unsigned int i = SVA_ARRAY_SIZE(sva_size_bits) - 1;

	while (i && sva_size_bits[i] > bits)
		i--;
	return i;
}

/**
 * sva_support_check() - whether an SMMU can do SVA for these CPUs
 * @feat: the SMMU's features as the driver holds them (coherence and HTTU
 *	  from firmware where it overrides the ID registers)
 * @cpu: the CPU facts (@cpu->va_bits, @cpu->parange, @cpu->page_size,
 *	 @cpu->asid_bits, @cpu->bbml2_noabort, @cpu->haft)
 * @rules: what the bound driver generation checks beyond the others
 *
 * Return: SVA_SUPPORTED, or the first refusal in enum sva_support order.
 */
enum sva_support sva_support_check(const struct smmu_features *feat,
				   const struct btm_cpu_facts *cpu,
				   const struct sva_rules *rules)
{
	/*
	 * 52-bit VAs with 4KB or 16KB pages are LPA2 tables, whose format
	 * the CD (DS = 0) does not describe; with 64KB pages the SMMU needs
	 * 52-bit VAs itself.
	 */
	if (cpu->va_bits > 48 && cpu->page_size != SVA_PAGE_64K)
		return SVA_LPA2;
	if (!feat->coherent)
		return SVA_NOT_COHERENT;
	if (cpu->va_bits > 48 && !feat->vax52)
		return SVA_NO_VAX;
	if (rules->bbml2 && cpu->bbml2_noabort && feat->bbml < IDR3_BBML2)
		return SVA_NO_BBML2;
	if (rules->haft && cpu->haft && feat->httu < 3)
		return SVA_NO_HAFT;
	if (!(feat->page_sizes & cpu->page_size))
		return SVA_PAGE_SIZE;
	if (feat->oas_bits < sva_pa_bits(cpu->parange))
		return SVA_OAS;
	if (feat->asid_bits < cpu->asid_bits)
		return SVA_ASID_WIDTH;
	return SVA_SUPPORTED;
}

/**
 * sva_cd_hw_of() - what an SVA CD on an SMMU says of the SMMU's side
 * @feat: the SMMU's features, as for sva_support_check()
 * @cpu: the CPU facts (@cpu->haft)
 * @rules: the bound driver generation's
 * @hw: filled in
 *
 * The CD's output size is capped to the SMMU's (IHI 0070 5.4: the SMMU
 * caps it too, but software must not rely on that), so it equals the
 * CPUs' PARange wherever sva_support_check() allows SVA. Where @rules say
 * the driver's SVA CD does, HA is set on an SMMU with HTTU, HD on one that
 * also updates dirty state, and HAFT on one with HAFT while the CPUs use
 * it; the tables' writable-clean entries then take the SMMU's writes.
 */
void sva_cd_hw_of(const struct smmu_features *feat,
		  const struct btm_cpu_facts *cpu,
		  const struct sva_rules *rules, struct sva_cd_hw *hw)
{
	hw->ips_max = sva_ips_of_bits(feat->oas_bits);
	hw->ha = rules->cd_httu && feat->httu >= 1;
	hw->hd = rules->cd_httu && feat->httu >= 2;
	hw->haft = rules->cd_httu && feat->httu >= 3 && cpu->haft;
}

/**
 * sva_cd_hw_apply() - put the SMMU's side into an SVA CD's parameters
 * @hw: from sva_cd_hw_of()
 * @params: the CD's parameters, @params->ips the CPUs' PARange; changed
 */
void sva_cd_hw_apply(const struct sva_cd_hw *hw, struct smmu_sva_cd *params)
{
	if (params->ips > hw->ips_max)
		params->ips = hw->ips_max;
	params->ha = hw->ha;
	params->hd = hw->hd;
	params->haft = hw->haft;
}

/**
 * sva_support_key() - a stable lowercase key for an outcome, for scripts
 * @reason: the outcome
 *
 * Return: e.g. "supported" or "oas"; "unknown" for an out-of-range value.
 */
const char *sva_support_key(enum sva_support reason)
{
	if ((unsigned int)reason >= SVA_NR_REASONS)
		return "unknown";
	return sva_reasons[reason].key;
}

/**
 * sva_support_text() - a human explanation of an outcome
 * @reason: the outcome
 *
 * Return: a sentence fragment without trailing period or newline;
 * "unknown reason" for an out-of-range value.
 */
const char *sva_support_text(enum sva_support reason)
{
	if ((unsigned int)reason >= SVA_NR_REASONS)
		return "unknown reason";
	return sva_reasons[reason].text;
}
