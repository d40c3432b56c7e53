/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether broadcast TLB maintenance can be used on one SMMU, and why not.
 * Pure logic: no kernel dependencies; compiled into the module and into the
 * host unit tests.
 */
#ifndef SMMU_BTM_DECISION_H
#define SMMU_BTM_DECISION_H

#include <linux/types.h>

#include "smmu_regs.h"

/* The enable= module parameter. */
enum btm_mode {
	BTM_MODE_AUTO,
	BTM_MODE_OFF,
	BTM_MODE_FORCE,
};

/* The arm-smmu-v3 driver generation, as the binding recognised it. */
enum btm_driver_gen {
	BTM_DRIVER_UNKNOWN,	/* matches no supported shape */
	BTM_DRIVER_BOND,	/* 6.1: bond-based SVA ops */
	BTM_DRIVER_S1_CFG,	/* 6.2 to 6.6: CD table in the domain (s1_cfg) */
	BTM_DRIVER_MASTER_CD,	/* 6.7 to 6.8: CD table in each master */
	BTM_DRIVER_DOMAIN,	/* 6.10 to 6.12: SVA domains with private ASIDs */
	BTM_DRIVER_REPLACE,	/* 6.13+: as above, arm_smmu_set_pasid() told the old domain */
	BTM_DRIVER_INVS,	/* 7.x: as above plus invalidation arrays */
};

/**
 * struct btm_cpu_facts - what the CPU side brings to the decision
 * @vhe: the kernel runs at EL2 with VHE (the EL2&0 regime)
 * @asid_bits: the CPU's ASID width (ID_AA64MMFR0_EL1.ASIDBits): 8 or 16
 * @kpti: the kernel is unmapped at EL0, so each mm uses an ASID pair
 * @tlbi_range: the CPU has TLBI range instructions
 * @tlbi_repeat: the kernel works around broken broadcast TLB invalidation
 *		 on these CPUs by repeating it (ARM64_WORKAROUND_REPEAT_TLBI)
 * @va_bits: the user virtual address size (64 - TCR_EL1.T0SZ)
 * @parange: ID_AA64MMFR0_EL1.PARange, sanitised over every CPU
 * @page_size: the kernel's page size, in bytes
 * @bbml2_noabort: the kernel changes live mappings without
 *		   break-before-make (BBML2 with no abort, on every CPU)
 * @haft: the kernel uses hardware Access flag updates in table descriptors
 */
struct btm_cpu_facts {
	bool vhe;
	unsigned int asid_bits;
	bool kpti;
	bool tlbi_range;
	bool tlbi_repeat;
	unsigned int va_bits;
	unsigned int parange;
	unsigned long page_size;
	bool bbml2_noabort;
	bool haft;
};

/**
 * struct btm_kernel_facts - what the running kernel and driver bring
 * @driver_gen: the driver generation the binding recognised
 * @iommu_sva: CONFIG_IOMMU_SVA
 * @driver_sva: CONFIG_ARM_SMMU_V3_SVA
 * @driver_btm: the driver's feature word already has its BTM bit
 * @s1_s2vmid_zero: the driver writes STE.S2VMID = 0 for stage-1-only
 *		    streams, so an NS-EL1 host's broadcasts (VMID 0) match
 * @kvm: KVM can run guests here. btm_read_kernel_facts() can only see that
 *	 on a VHE host; the decision takes it on either kind.
 * @sva_refused: the stock driver of this generation would not do SVA on
 *		 this SMMU for these CPUs (sva_support_check() refused it)
 */
struct btm_kernel_facts {
	enum btm_driver_gen driver_gen;
	bool iommu_sva;
	bool driver_sva;
	bool driver_btm;
	bool s1_s2vmid_zero;
	bool kvm;
	bool sva_refused;
};

/*
 * Outcomes. The refusals, BTM_DISABLED to BTM_VMID, are tested in enum
 * order and the first that applies is the reason given. When none applies,
 * BTM is usable, and the outcome says how; btm_usable() is true for these
 * three only:
 *
 * BTM_USABLE_FORCED: enable=force overrode BTM_ERRATUM, BTM_CPU_ERRATUM or
 * BTM_VMID. It is
 * given even where BTM_USABLE_KVM also holds, since an overridden known
 * problem is the more important fact to report.
 *
 * BTM_USABLE_KVM: KVM can run guests (btm_kernel_facts.kvm) and
 *  - the SMMU has stage 2 (SMMU_IDR0.S2P): guests' broadcasts by VMID, and
 *    the TLBI ALLE1IS with which KVM rolls its VMIDs over, also invalidate
 *    the SMMU's stage-2 and nested entries of devices passed through; or
 *  - the host is non-VHE: that ALLE1IS, an EL1&0 invalidation of every
 *    VMID, also drops the host's own stage-1 entries in the SMMU.
 * Either is over-invalidation, which costs refills but never misses an
 * invalidation, so BTM is usable without enable=force. The KVM cases that
 * would miss one are BTM_VMID's.
 *
 * BTM_USABLE: none of the above.
 */
enum btm_reason {
	BTM_USABLE,
	BTM_USABLE_FORCED,
	BTM_USABLE_KVM,
	BTM_DISABLED,
	BTM_NO_STAGE1,
	BTM_NO_BTM,
	BTM_ALREADY_ENABLED,
	BTM_VHE_NO_HYP,
	BTM_E2H_MISMATCH,
	BTM_ASID_WIDTH,
	BTM_ERRATUM,
	BTM_CPU_ERRATUM,
	BTM_DRIVER_UNSUPPORTED,
	BTM_NO_SVA,
	BTM_SVA_UNSUPPORTED,
	BTM_VMID,
	BTM_NR_REASONS,
};

/**
 * struct btm_erratum - a known SMMU erratum that rules BTM out
 * @implementer: IIDR.Implementer
 * @product_id: IIDR.ProductID
 * @part: the product's name
 * @errata: the erratum numbers, as the vendor publishes them
 */
struct btm_erratum {
	u16 implementer;
	u16 product_id;
	const char *part;
	const char *errata;
};

/**
 * struct btm_decision - the outcome for one SMMU
 * @reason: why BTM is or is not usable
 * @erratum: the matching entry when @reason is BTM_ERRATUM (or when an
 *	     erratum was overridden by force), else NULL
 */
struct btm_decision {
	enum btm_reason reason;
	const struct btm_erratum *erratum;
};

void btm_decide(const struct smmu_features *feat, u32 cr2,
		const struct btm_cpu_facts *cpu,
		const struct btm_kernel_facts *kernel, enum btm_mode mode,
		struct btm_decision *out);
bool btm_usable(const struct btm_decision *decision);
const char *btm_reason_key(enum btm_reason reason);
const char *btm_reason_text(enum btm_reason reason);
const struct btm_erratum *btm_find_erratum(const struct smmu_features *feat);
int btm_parse_mode(const char *text, enum btm_mode *mode);
const char *btm_mode_name(enum btm_mode mode);
const char *btm_driver_gen_name(enum btm_driver_gen gen);

#endif /* SMMU_BTM_DECISION_H */
