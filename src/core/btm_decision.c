// SPDX-License-Identifier: GPL-2.0
/*
 * Whether broadcast TLB maintenance can be used on one SMMU, and why not.
 * Pure logic: compiled into the module and into the host unit tests, so it
 * includes only headers that tests/unit/include/linux/ stands in for.
 *
 * Design: doc/decision.md.
 */
#include <linux/errno.h>
#include <linux/types.h>

#include "btm_decision.h"
#include "smmu_regs.h"

/* JEP106 code of Arm Ltd. as IIDR.Implementer holds it (bank 5, 0x3b). */
#define IIDR_IMPLEMENTER_ARM		0x43b

/*
 * SMMUs whose BTM is known to be broken, by IIDR. Every revision is listed
 * because no fixed revision is published for any of them.
 *
 * Arm MMU-600 (product 0x483) is deliberately absent: it has no documented
 * BTM erratum (the driver's MMU-600 quirks, errata 1076982 and 1209401,
 * concern SEV and nesting), and its BTM works.
 */
static const struct btm_erratum btm_errata[] = {
	{
		.implementer = IIDR_IMPLEMENTER_ARM,
		.product_id = 0x487,
		.part = "MMU-700",
		.errata = "several (the driver clears BTM on every MMU-700 for \"many errata\")",
	},
	{
		.implementer = IIDR_IMPLEMENTER_ARM,
		.product_id = 0x48a,
		.part = "MMU-L1",
		.errata = "3878312",
	},
	{
		.implementer = IIDR_IMPLEMENTER_ARM,
		.product_id = 0x498,
		.part = "MMU-S3",
		.errata = "3995052",
	},
};

/*
 * Keys are for scripts and must never change; texts are for people and
 * follow the key's meaning. Indexed by enum btm_reason.
 */
static const struct {
	const char *key;
	const char *text;
} btm_reasons[BTM_NR_REASONS] = {
	[BTM_USABLE] = {
		"usable",
		"broadcast TLB maintenance can be used with this SMMU",
	},
	[BTM_USABLE_FORCED] = {
		"usable-forced",
		"usable only because enable=force overrides a known problem",
	},
	[BTM_USABLE_KVM] = {
		"usable-kvm",
		"usable, with extra invalidation from KVM: guests' broadcasts by VMID and KVM's VMID rollovers also drop this SMMU's stage-2 entries (SMMU_IDR0.S2P) or, on a non-VHE host, the host's own stage-1 ones",
	},
	[BTM_DISABLED] = {
		"disabled",
		"disabled by enable=off",
	},
	[BTM_NO_STAGE1] = {
		"no-stage1",
		"SMMU_IDR0.S1P is 0: SVA needs stage 1 translation",
	},
	[BTM_NO_BTM] = {
		"no-btm",
		"SMMU_IDR0.BTM is 0: the SMMU does not take part in broadcast TLB maintenance",
	},
	[BTM_ALREADY_ENABLED] = {
		"already-enabled",
		"BTM is already enabled by this kernel (SMMU_CR2.PTM is 0 or the driver's BTM feature is set); smmu-btm stands aside",
	},
	[BTM_VHE_NO_HYP] = {
		"vhe-no-hyp",
		"VHE host but SMMU_IDR0.HYP is 0: the SMMU has no EL2-E2H StreamWorld, so the CPU's EL2 broadcasts would not match",
	},
	[BTM_E2H_MISMATCH] = {
		"e2h-mismatch",
		"SMMU_CR2.E2H disagrees with the CPU: a VHE host needs it at 1 (its EL2&0 broadcasts match only the EL2-E2H StreamWorld), a non-VHE host at 0",
	},
	[BTM_ASID_WIDTH] = {
		"asid-width",
		"SMMU ASIDs are narrower than the CPU's",
	},
	[BTM_ERRATUM] = {
		"erratum",
		"a known erratum of this SMMU rules BTM out",
	},
	[BTM_CPU_ERRATUM] = {
		"cpu-erratum",
		"the kernel repeats broadcast TLB invalidations for an erratum of these CPUs (ARM64_WORKAROUND_REPEAT_TLBI): that they complete at the SMMU as BTM needs is not established",
	},
	[BTM_DRIVER_UNSUPPORTED] = {
		"driver-unsupported",
		"this arm-smmu-v3 driver generation is not supported (6.1's bond-based SVA, or an unrecognised driver)",
	},
	[BTM_NO_SVA] = {
		"no-sva",
		"the kernel lacks CONFIG_IOMMU_SVA: nothing can bind an SVA domain",
	},
	[BTM_SVA_UNSUPPORTED] = {
		"sva-unsupported",
		"the SMMU cannot do SVA for these CPUs, as the driver decides it (see sva_support)",
	},
	[BTM_VMID] = {
		"vmid",
		"non-VHE host, SMMU_IDR0.S2P is 1 and the driver does not set STE.S2VMID to 0: the CPU's VMID 0 broadcasts would not match",
	},
};

static const char * const btm_mode_names[] = {
	[BTM_MODE_AUTO] = "auto",
	[BTM_MODE_OFF] = "off",
	[BTM_MODE_FORCE] = "force",
};

static const char * const btm_driver_gen_names[] = {
	[BTM_DRIVER_UNKNOWN] = "unknown",
	[BTM_DRIVER_BOND] = "6.1-bond",
	[BTM_DRIVER_S1_CFG] = "6.2-6.6-s1cfg",
	[BTM_DRIVER_MASTER_CD] = "6.7-6.8-master-cd",
	[BTM_DRIVER_DOMAIN] = "6.10-6.12-domain",
	[BTM_DRIVER_REPLACE] = "6.13-6.19-replace",
	[BTM_DRIVER_INVS] = "7.x-invs",
};

#define BTM_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/**
 * btm_find_erratum() - look an SMMU up in the table of BTM errata
 * @feat: the SMMU's decoded ID registers
 *
 * Return: the matching entry, or NULL if no known erratum rules BTM out.
 */
const struct btm_erratum *btm_find_erratum(const struct smmu_features *feat)
{
	unsigned int i;

	for (i = 0; i < BTM_ARRAY_SIZE(btm_errata); i++) {
		if (btm_errata[i].implementer == feat->implementer &&
		    btm_errata[i].product_id == feat->product_id)
			return &btm_errata[i];
	}
	return NULL;
}

/*
 * The hardware and configuration checks of btm_decide(), in enum order.
 * *forced is set when enable=force overrode a reason on the way.
 */
static enum btm_reason btm_check(const struct smmu_features *feat, u32 cr2,
				 const struct btm_cpu_facts *cpu,
				 const struct btm_kernel_facts *kernel,
				 enum btm_mode mode,
				 const struct btm_erratum **erratum,
				 bool *forced)
{
	bool force = mode == BTM_MODE_FORCE;

	if (mode == BTM_MODE_OFF)
		return BTM_DISABLED;
	/* SVA shares the CPU's stage-1 page tables. */
	if (!feat->s1p)
		return BTM_NO_STAGE1;
	if (!feat->btm)
		return BTM_NO_BTM;
	/*
	 * A kernel that does BTM itself (openEuler's 5.10) says so in its
	 * driver's feature word, and its own SVA skips the TLBIs: smmu-btm
	 * stands aside. A clear CR2.PTM alone is not that: every driver
	 * smmu-btm binds to writes PTM = 1 at each reset, so a 0 without the
	 * feature bit was cleared later, by an earlier smmu-btm (which leaves
	 * it so at unload) or by firmware, and BTM is usable with nothing to
	 * switch.
	 */
	if (kernel->driver_btm)
		return BTM_ALREADY_ENABLED;
	/*
	 * A VHE host's TLBIs are EL2&0 broadcasts; they only match SMMU
	 * entries of the EL2-E2H StreamWorld, which needs IDR0.HYP.
	 */
	if (cpu->vhe && !feat->hyp)
		return BTM_VHE_NO_HYP;
	/*
	 * With IDR0.HYP, CR2.E2H decides whether the SMMU's EL2 StreamWorld is
	 * EL2-E2H, which a VHE host's SVA contexts must be in to match its
	 * broadcasts. The driver sets E2H on VHE hosts only, so on a non-VHE
	 * host E2H at 1 means the SMMU was set up by someone who assumed
	 * otherwise. Without IDR0.HYP, E2H is RES0 and says nothing.
	 */
	if (feat->hyp && !!(cr2 & CR2_E2H) != cpu->vhe)
		return BTM_E2H_MISMATCH;
	/* A narrower SMMU ASID would alias several CPU ASIDs. */
	if (feat->asid_bits < cpu->asid_bits)
		return BTM_ASID_WIDTH;
	*erratum = btm_find_erratum(feat);
	if (*erratum) {
		if (!force)
			return BTM_ERRATUM;
		*forced = true;
	}
	/*
	 * The CPUs' own broadcasts need repeating for an erratum: BTM relies
	 * on exactly those broadcasts, complete at the SMMU when the CPU's
	 * DSB completes. The shim repeats as the kernel does, but that this
	 * suffices for an SMMU is not documented for any such CPU.
	 */
	if (cpu->tlbi_repeat) {
		if (!force)
			return BTM_CPU_ERRATUM;
		*forced = true;
	}
	if (kernel->driver_gen == BTM_DRIVER_UNKNOWN ||
	    kernel->driver_gen == BTM_DRIVER_BOND)
		return BTM_DRIVER_UNSUPPORTED;
	if (!kernel->iommu_sva)
		return BTM_NO_SVA;
	/* SVA itself is refused here: nothing to share an ASID with. */
	if (kernel->sva_refused)
		return BTM_SVA_UNSUPPORTED;
	/*
	 * An NS-EL1 host broadcasts with VMID 0; with IDR0.S2P the SMMU tags
	 * stage-1-only entries with STE.S2VMID, which must then be 0.
	 */
	if (!cpu->vhe && feat->s2p && !kernel->s1_s2vmid_zero) {
		if (!force)
			return BTM_VMID;
		*forced = true;
	}
	/* The override is the more important fact, so it hides the KVM one. */
	if (*forced)
		return BTM_USABLE_FORCED;
	/*
	 * Guests' broadcasts by VMID and KVM's ALLE1IS on VMID rollover also
	 * reach stage-2 entries, and on a non-VHE host ALLE1IS also drops the
	 * host's stage-1 ones (NS-EL1): more invalidation, never less.
	 */
	if (kernel->kvm && (feat->s2p || !cpu->vhe))
		return BTM_USABLE_KVM;
	return BTM_USABLE;
}

/**
 * btm_decide() - decide whether BTM can be used on one SMMU
 * @feat: the SMMU's decoded ID registers
 * @cr2: the SMMU's current SMMU_CR2 value
 * @cpu: facts about the CPUs
 * @kernel: facts about the running kernel and arm-smmu-v3 driver
 * @mode: the enable= module parameter
 * @out: filled in with the first reason that applies, in enum btm_reason
 *	 order; enable=force overrides only BTM_ERRATUM, BTM_CPU_ERRATUM and
 *	 BTM_VMID
 *
 * When no refusal applies, the outcome is BTM_USABLE_FORCED, BTM_USABLE_KVM
 * or BTM_USABLE, as enum btm_reason describes.
 */
void btm_decide(const struct smmu_features *feat, u32 cr2,
		const struct btm_cpu_facts *cpu,
		const struct btm_kernel_facts *kernel, enum btm_mode mode,
		struct btm_decision *out)
{
	const struct btm_erratum *erratum = NULL;
	bool forced = false;

	out->reason = btm_check(feat, cr2, cpu, kernel, mode, &erratum,
				&forced);
	out->erratum = erratum;
}

/**
 * btm_usable() - whether a decision lets BTM be used
 * @decision: the outcome of btm_decide()
 *
 * Return: true for BTM_USABLE, BTM_USABLE_FORCED and BTM_USABLE_KVM, else
 * false.
 */
bool btm_usable(const struct btm_decision *decision)
{
	return decision->reason == BTM_USABLE ||
	       decision->reason == BTM_USABLE_FORCED ||
	       decision->reason == BTM_USABLE_KVM;
}

/**
 * btm_reason_key() - a stable lowercase key for a reason, for scripts
 * @reason: the reason
 *
 * Return: e.g. "usable" or "no-btm"; "unknown" for an out-of-range value.
 */
const char *btm_reason_key(enum btm_reason reason)
{
	if ((unsigned int)reason >= BTM_NR_REASONS)
		return "unknown";
	return btm_reasons[reason].key;
}

/**
 * btm_reason_text() - a human explanation of a reason
 * @reason: the reason
 *
 * Return: a sentence fragment without trailing period or newline;
 * "unknown reason" for an out-of-range value.
 */
const char *btm_reason_text(enum btm_reason reason)
{
	if ((unsigned int)reason >= BTM_NR_REASONS)
		return "unknown reason";
	return btm_reasons[reason].text;
}

/*
 * Whether @text is @word, optionally followed by one '\n' as a sysfs or
 * module parameter write leaves it. Open-coded so that this file needs no
 * string header, which the host build does not stand in for.
 */
static bool btm_word_is(const char *text, const char *word)
{
	while (*word && *text == *word) {
		text++;
		word++;
	}
	if (*word)
		return false;
	if (*text == '\n')
		text++;
	return *text == '\0';
}

/**
 * btm_parse_mode() - parse a value of the enable= module parameter
 * @text: "auto", "off" or "force", optionally with one trailing newline
 * @mode: set to the parsed mode on success, untouched otherwise
 *
 * Return: 0 on success, -EINVAL for anything else (including NULL).
 */
int btm_parse_mode(const char *text, enum btm_mode *mode)
{
	unsigned int i;

	if (!text)
		return -EINVAL;
	for (i = 0; i < BTM_ARRAY_SIZE(btm_mode_names); i++) {
		if (btm_word_is(text, btm_mode_names[i])) {
			*mode = i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * btm_mode_name() - the enable= spelling of a mode
 * @mode: the mode
 *
 * Return: "auto", "off" or "force"; "unknown" for an out-of-range value.
 */
const char *btm_mode_name(enum btm_mode mode)
{
	if ((unsigned int)mode >= BTM_ARRAY_SIZE(btm_mode_names))
		return "unknown";
	return btm_mode_names[mode];
}

/**
 * btm_driver_gen_name() - a short name for a driver generation
 * @gen: the generation
 *
 * Return: e.g. "6.10-6.12-domain"; "unknown" for BTM_DRIVER_UNKNOWN and for an
 * out-of-range value.
 */
const char *btm_driver_gen_name(enum btm_driver_gen gen)
{
	if ((unsigned int)gen >= BTM_ARRAY_SIZE(btm_driver_gen_names))
		return "unknown";
	return btm_driver_gen_names[gen];
}
