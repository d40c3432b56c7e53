// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the BTM eligibility decision (src/core/btm_decision.c). The
 * fixtures are raw register values, decoded by smmu_decode_features(), so
 * the decoder and the decision are tested together as the module uses them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "btm_decision.h"
#include "smmu_regs.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* IDR0.TTF = 0b10: AArch64 translation tables only. */
#define TTF_AA64	(2u << 2)
/*
 * CR2 as the arm-smmu-v3 driver leaves it without BTM: with E2H on a VHE
 * host whose SMMU has IDR0.HYP, without it otherwise.
 */
#define CR2_NO_BTM	(CR2_PTM | CR2_RECINVSID)
#define CR2_NO_BTM_E2H	(CR2_PTM | CR2_RECINVSID | CR2_E2H)

/* IIDR = ProductID[31:20] Variant[19:16] Revision[15:12] Implementer[11:0] */
#define IIDR(prod, var, rev, impl) \
	((u32)(prod) << 20 | (u32)(var) << 16 | (u32)(rev) << 12 | (impl))
#define ARM		0x43b

/* An SMMU as the SVA-capable server parts describe themselves. */
#define IDR0_SVA_SERVER	(IDR0_S1P | IDR0_S2P | TTF_AA64 | IDR0_COHACC | \
			 IDR0_BTM | IDR0_HYP | IDR0_ATS | IDR0_ASID16 | \
			 IDR0_PRI | IDR0_VMID16)
#define IDR1_TYPICAL	(20u << 6 | 32u)	/* SSIDSIZE 20, SIDSIZE 32 */
#define IDR5_TYPICAL	(IDR5_GRAN64K | IDR5_GRAN4K | 5u) /* OAS 48 bits */

/* QEMU 7.2's emulated SMMUv3 (virt,iommu=smmuv3), as read from the guest. */
#define REGS_QEMU \
	{ .idr0 = 0x0d40101a, .idr1 = 0x02730010, .idr3 = 0x00001404, \
	  .idr5 = 0x00000074, .iidr = 0, .aidr = 0x01, .cr0 = 0x0d, \
	  .cr2 = 0x06 }
/*
 * HiSilicon Kunpeng 920 (Hip08): IIDR 0x00030736 (implementer 0x736,
 * variant 3), the way the kernel's SMMUv3 PMCG driver identifies the
 * parent SMMU.
 */
#define REGS_KP920_CR2(cr2_) \
	{ .idr0 = IDR0_SVA_SERVER, .idr1 = IDR1_TYPICAL, \
	  .idr5 = IDR5_TYPICAL, .iidr = 0x00030736, .cr0 = 0x0f, \
	  .cr2 = (cr2_) }
/* As a VHE host's driver leaves it, and as a non-VHE host's does. */
#define REGS_KP920	REGS_KP920_CR2(CR2_NO_BTM_E2H)
#define REGS_KP920_EL1	REGS_KP920_CR2(CR2_NO_BTM)
/* An Arm part: MMU-600 r1p1, MMU-700 r0p1, MMU-L1 r0p0, MMU-S3 r0p0. */
#define REGS_ARM_CR2(prod, var, rev, cr2_) \
	{ .idr0 = IDR0_SVA_SERVER, .idr1 = IDR1_TYPICAL, \
	  .idr5 = IDR5_TYPICAL, .iidr = IIDR(prod, var, rev, ARM), \
	  .aidr = 0x02, .cr0 = 0x0f, .cr2 = (cr2_) }
#define REGS_ARM(prod, var, rev) \
	REGS_ARM_CR2(prod, var, rev, CR2_NO_BTM_E2H)
#define REGS_MMU600	REGS_ARM(0x483, 1, 1)
#define REGS_MMU600_EL1	REGS_ARM_CR2(0x483, 1, 1, CR2_NO_BTM)
#define REGS_MMU700	REGS_ARM(0x487, 0, 1)
#define REGS_MMU700_EL1	REGS_ARM_CR2(0x487, 0, 1, CR2_NO_BTM)
#define REGS_MMU_L1	REGS_ARM(0x48a, 0, 0)
#define REGS_MMU_S3	REGS_ARM(0x498, 0, 0)
/* A generic (implementer 0) SMMU with the given IDR0 and CR2. */
#define REGS_GENERIC(idr0_, cr2_) \
	{ .idr0 = (idr0_), .idr1 = IDR1_TYPICAL, .idr5 = IDR5_TYPICAL, \
	  .cr0 = 0x0f, .cr2 = (cr2_) }

#define CPU_VHE		{ .vhe = true, .asid_bits = 16 }
#define CPU_EL1		{ .vhe = false, .asid_bits = 16 }
#define CPU_EL1_ASID8	{ .vhe = false, .asid_bits = 8 }
#define CPU_VHE_ASID8	{ .vhe = true, .asid_bits = 8 }
#define CPU_VHE_REPEAT_TLBI	{ .vhe = true, .asid_bits = 16, .tlbi_repeat = true }

/* Debian-style: a 6.10+ driver, but no CONFIG_IOMMU_SVA. */
#define KERNEL_NO_SVA	{ .driver_gen = BTM_DRIVER_DOMAIN }
/* An SVA kernel of the given driver generation. */
#define KERNEL_GEN(gen) \
	{ .driver_gen = (gen), .iommu_sva = true, .driver_sva = true, \
	  .s1_s2vmid_zero = true }
#define KERNEL_SVA	KERNEL_GEN(BTM_DRIVER_DOMAIN)
#define KERNEL_SVA_KVM \
	{ .driver_gen = BTM_DRIVER_DOMAIN, .iommu_sva = true, \
	  .driver_sva = true, .s1_s2vmid_zero = true, .kvm = true }
/* A driver that leaves STE.S2VMID non-zero for stage-1-only streams. */
#define KERNEL_S2VMID \
	{ .driver_gen = BTM_DRIVER_S1_CFG, .iommu_sva = true, \
	  .driver_sva = true }
#define KERNEL_S2VMID_KVM \
	{ .driver_gen = BTM_DRIVER_S1_CFG, .iommu_sva = true, \
	  .driver_sva = true, .kvm = true }
#define KERNEL_NO_SVA_KVM \
	{ .driver_gen = BTM_DRIVER_DOMAIN, .kvm = true }
/* An SMMU with BTM but neither stage 2 nor HYP. */
#define IDR0_S1_ONLY	(IDR0_S1P | TTF_AA64 | IDR0_BTM | IDR0_ASID16)
#define KERNEL_DRIVER_BTM \
	{ .driver_gen = BTM_DRIVER_DOMAIN, .iommu_sva = true, \
	  .driver_sva = true, .driver_btm = true, .s1_s2vmid_zero = true }

struct decide_case {
	const char *name;
	struct smmu_id_regs regs;	/* .cr2 is passed as btm_decide()'s cr2 */
	struct btm_cpu_facts cpu;
	struct btm_kernel_facts kernel;
	enum btm_mode mode;
	enum btm_reason reason;
	const char *erratum_part;	/* NULL: out->erratum must be NULL */
};

static const struct decide_case cases[] = {
	{ "qemu-7.2 at EL1, Debian kernel", REGS_QEMU, CPU_EL1,
	  KERNEL_NO_SVA, BTM_MODE_AUTO, BTM_NO_BTM,
	  NULL },
	{ "qemu-7.2 at EL2 (VHE), Debian kernel", REGS_QEMU, CPU_VHE,
	  KERNEL_NO_SVA, BTM_MODE_AUTO, BTM_NO_BTM,
	  NULL },
	{ "qemu-7.2, force does not invent BTM", REGS_QEMU, CPU_VHE,
	  KERNEL_SVA, BTM_MODE_FORCE, BTM_NO_BTM,
	  NULL },
	{ "qemu-7.2, PTM=0 is RES0 without BTM",
	  { .idr0 = 0x0d40101a, .idr1 = 0x02730010, .idr3 = 0x00001404,
	    .idr5 = 0x00000074, .aidr = 0x01, .cr0 = 0x0d, .cr2 = 0 },
	  CPU_VHE, KERNEL_SVA, BTM_MODE_AUTO, BTM_NO_BTM,
	  NULL },

	{ "kunpeng-920, VHE, SVA kernel", REGS_KP920, CPU_VHE, KERNEL_SVA,
	  BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "kunpeng-920, VHE, SVA kernel with KVM", REGS_KP920, CPU_VHE,
	  KERNEL_SVA_KVM, BTM_MODE_AUTO, BTM_USABLE_KVM, NULL },
	{ "kunpeng-920, enable=off", REGS_KP920, CPU_VHE, KERNEL_SVA_KVM,
	  BTM_MODE_OFF, BTM_DISABLED,
	  NULL },
	{ "kunpeng-920, enable=force with nothing to override", REGS_KP920,
	  CPU_VHE, KERNEL_SVA, BTM_MODE_FORCE, BTM_USABLE,
	  NULL },

	{ "mmu-600 r1p1, VHE", REGS_MMU600, CPU_VHE, KERNEL_SVA,
	  BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "mmu-600 r1p1, EL1", REGS_MMU600_EL1, CPU_EL1, KERNEL_SVA,
	  BTM_MODE_AUTO, BTM_USABLE,
	  NULL },

	{ "mmu-700", REGS_MMU700, CPU_VHE, KERNEL_SVA, BTM_MODE_AUTO,
	  BTM_ERRATUM, "MMU-700" },
	{ "mmu-700, enable=force", REGS_MMU700, CPU_VHE, KERNEL_SVA,
	  BTM_MODE_FORCE, BTM_USABLE_FORCED, "MMU-700" },
	{ "mmu-700, enable=force with KVM: forced hides usable-kvm",
	  REGS_MMU700, CPU_VHE, KERNEL_SVA_KVM, BTM_MODE_FORCE,
	  BTM_USABLE_FORCED, "MMU-700" },
	{ "mmu-700, enable=off wins over the erratum", REGS_MMU700, CPU_VHE,
	  KERNEL_SVA, BTM_MODE_OFF, BTM_DISABLED,
	  NULL },
	{ "mmu-700, enable=force, 6.1 bond driver", REGS_MMU700, CPU_VHE,
	  KERNEL_GEN(BTM_DRIVER_BOND), BTM_MODE_FORCE,
	  BTM_DRIVER_UNSUPPORTED, "MMU-700" },
	{ "mmu-700, enable=force, erratum and VMID both overridden",
	  REGS_MMU700_EL1, CPU_EL1, KERNEL_S2VMID, BTM_MODE_FORCE,
	  BTM_USABLE_FORCED, "MMU-700" },
	{ "mmu-700, 6.1 bond driver: erratum comes first", REGS_MMU700,
	  CPU_VHE, KERNEL_GEN(BTM_DRIVER_BOND), BTM_MODE_AUTO, BTM_ERRATUM,
	  "MMU-700" },
	{ "mmu-700 r2p3, every revision", REGS_ARM(0x487, 2, 3), CPU_VHE,
	  KERNEL_SVA, BTM_MODE_AUTO, BTM_ERRATUM, "MMU-700" },
	{ "mmu-l1", REGS_MMU_L1, CPU_VHE, KERNEL_SVA, BTM_MODE_AUTO,
	  BTM_ERRATUM, "MMU-L1" },
	{ "mmu-s3", REGS_MMU_S3, CPU_VHE, KERNEL_SVA, BTM_MODE_AUTO,
	  BTM_ERRATUM, "MMU-S3" },

	{ "btm without hyp, VHE",
	  REGS_GENERIC(IDR0_S1P | IDR0_S2P | TTF_AA64 | IDR0_BTM |
		       IDR0_ASID16, CR2_NO_BTM),
	  CPU_VHE, KERNEL_SVA, BTM_MODE_AUTO, BTM_VHE_NO_HYP,
	  NULL },
	{ "btm without hyp, VHE, force does not override",
	  REGS_GENERIC(IDR0_S1P | TTF_AA64 | IDR0_BTM | IDR0_ASID16,
		       CR2_NO_BTM),
	  CPU_VHE, KERNEL_SVA, BTM_MODE_FORCE, BTM_VHE_NO_HYP,
	  NULL },
	{ "btm without hyp, EL1, S2P with S2VMID 0",
	  REGS_GENERIC(IDR0_S1P | IDR0_S2P | TTF_AA64 | IDR0_BTM |
		       IDR0_ASID16, CR2_NO_BTM),
	  CPU_EL1, KERNEL_SVA, BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "btm without hyp, EL1, no S2P",
	  REGS_GENERIC(IDR0_S1P | TTF_AA64 | IDR0_BTM | IDR0_ASID16,
		       CR2_NO_BTM),
	  CPU_EL1, KERNEL_S2VMID, BTM_MODE_AUTO, BTM_USABLE,
	  NULL },

	{ "8-bit smmu asid, 16-bit cpu asid",
	  REGS_GENERIC(IDR0_S1P | TTF_AA64 | IDR0_BTM | IDR0_HYP,
		       CR2_NO_BTM_E2H),
	  CPU_VHE, KERNEL_SVA, BTM_MODE_AUTO, BTM_ASID_WIDTH,
	  NULL },
	{ "8-bit smmu asid, 8-bit cpu asid",
	  REGS_GENERIC(IDR0_S1P | TTF_AA64 | IDR0_BTM | IDR0_HYP,
		       CR2_NO_BTM_E2H),
	  CPU_VHE_ASID8, KERNEL_SVA, BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "8-bit smmu asid, 8-bit cpu asid at EL1",
	  REGS_GENERIC(IDR0_S1P | TTF_AA64 | IDR0_BTM, CR2_NO_BTM),
	  CPU_EL1_ASID8, KERNEL_SVA, BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "mmu-700 with 8-bit asid: width before erratum",
	  { .idr0 = IDR0_S1P | TTF_AA64 | IDR0_BTM | IDR0_HYP,
	    .iidr = IIDR(0x487, 0, 0, ARM), .cr2 = CR2_NO_BTM_E2H },
	  CPU_VHE, KERNEL_SVA, BTM_MODE_FORCE, BTM_ASID_WIDTH,
	  NULL },

	{ "kunpeng-920, CR2.PTM=0 without the driver's BTM bit: usable, nothing to switch",
	  { .idr0 = IDR0_SVA_SERVER, .iidr = 0x00030736,
	    .cr2 = CR2_RECINVSID | CR2_E2H },
	  CPU_VHE, KERNEL_SVA, BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "kunpeng-920, driver BTM feature set", REGS_KP920, CPU_VHE,
	  KERNEL_DRIVER_BTM, BTM_MODE_FORCE, BTM_ALREADY_ENABLED,
	  NULL },
	{ "mmu-700, driver BTM bit: stand aside before erratum",
	  { .idr0 = IDR0_SVA_SERVER, .iidr = IIDR(0x487, 0, 1, ARM),
	    .cr2 = CR2_RECINVSID },
	  CPU_EL1, KERNEL_DRIVER_BTM, BTM_MODE_AUTO, BTM_ALREADY_ENABLED,
	  NULL },
	{ "mmu-700, CR2.PTM=0 alone: the erratum still applies",
	  { .idr0 = IDR0_SVA_SERVER, .iidr = IIDR(0x487, 0, 1, ARM),
	    .cr2 = CR2_RECINVSID },
	  CPU_EL1, KERNEL_SVA, BTM_MODE_AUTO, BTM_ERRATUM, "MMU-700" },

	{ "kunpeng-920, CPUs that repeat broadcast TLBIs", REGS_KP920,
	  CPU_VHE_REPEAT_TLBI, KERNEL_SVA, BTM_MODE_AUTO, BTM_CPU_ERRATUM,
	  NULL },
	{ "kunpeng-920, CPUs that repeat broadcast TLBIs, enable=force",
	  REGS_KP920, CPU_VHE_REPEAT_TLBI, KERNEL_SVA_KVM, BTM_MODE_FORCE,
	  BTM_USABLE_FORCED, NULL },
	{ "mmu-700 on CPUs that repeat TLBIs: the SMMU's erratum first",
	  REGS_MMU700, CPU_VHE_REPEAT_TLBI, KERNEL_SVA, BTM_MODE_AUTO,
	  BTM_ERRATUM, "MMU-700" },
	{ "CPUs that repeat TLBIs, 6.1 bond driver: the erratum first",
	  REGS_KP920, CPU_VHE_REPEAT_TLBI, KERNEL_GEN(BTM_DRIVER_BOND),
	  BTM_MODE_AUTO, BTM_CPU_ERRATUM, NULL },

	{ "kunpeng-920, 6.1 bond driver", REGS_KP920, CPU_VHE,
	  KERNEL_GEN(BTM_DRIVER_BOND), BTM_MODE_AUTO,
	  BTM_DRIVER_UNSUPPORTED,
	  NULL },
	{ "kunpeng-920, unrecognised driver", REGS_KP920, CPU_VHE,
	  KERNEL_GEN(BTM_DRIVER_UNKNOWN), BTM_MODE_FORCE,
	  BTM_DRIVER_UNSUPPORTED,
	  NULL },
	{ "kunpeng-920, 6.2-6.6 driver", REGS_KP920, CPU_VHE,
	  KERNEL_GEN(BTM_DRIVER_S1_CFG), BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "kunpeng-920, 7.x driver", REGS_KP920, CPU_VHE,
	  KERNEL_GEN(BTM_DRIVER_INVS), BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "kunpeng-920, no CONFIG_IOMMU_SVA", REGS_KP920, CPU_VHE,
	  KERNEL_NO_SVA, BTM_MODE_FORCE, BTM_NO_SVA,
	  NULL },
	{ "kunpeng-920, SVA refused (sva_support), even with force",
	  REGS_KP920, CPU_VHE,
	  { .driver_gen = BTM_DRIVER_INVS, .iommu_sva = true,
	    .driver_sva = true, .s1_s2vmid_zero = true, .sva_refused = true },
	  BTM_MODE_FORCE, BTM_SVA_UNSUPPORTED, NULL },
	{ "no CONFIG_IOMMU_SVA comes before the SVA refusal",
	  REGS_KP920, CPU_VHE,
	  { .driver_gen = BTM_DRIVER_INVS, .sva_refused = true },
	  BTM_MODE_AUTO, BTM_NO_SVA, NULL },

	{ "kunpeng-920 at EL1, S2VMID not 0", REGS_KP920_EL1, CPU_EL1,
	  KERNEL_S2VMID, BTM_MODE_AUTO, BTM_VMID,
	  NULL },
	{ "kunpeng-920 at EL1, S2VMID not 0, enable=force", REGS_KP920_EL1,
	  CPU_EL1, KERNEL_S2VMID, BTM_MODE_FORCE, BTM_USABLE_FORCED,
	  NULL },
	{ "kunpeng-920 at EL1, S2VMID 0", REGS_KP920_EL1, CPU_EL1, KERNEL_SVA,
	  BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "kunpeng-920 under VHE, S2VMID irrelevant", REGS_KP920, CPU_VHE,
	  KERNEL_S2VMID, BTM_MODE_AUTO, BTM_USABLE,
	  NULL },

	{ "qemu-7.2, enable=off", REGS_QEMU, CPU_EL1, KERNEL_NO_SVA,
	  BTM_MODE_OFF, BTM_DISABLED,
	  NULL },
	{ "stage-2-only smmu with btm",
	  REGS_GENERIC(IDR0_S2P | TTF_AA64 | IDR0_BTM | IDR0_HYP |
		       IDR0_ASID16 | IDR0_VMID16, CR2_NO_BTM_E2H),
	  CPU_VHE, KERNEL_SVA, BTM_MODE_FORCE, BTM_NO_STAGE1,
	  NULL },
	{ "no stage 1 comes before no btm",
	  REGS_GENERIC(IDR0_S2P | TTF_AA64, 0),
	  CPU_EL1, KERNEL_NO_SVA, BTM_MODE_AUTO, BTM_NO_STAGE1,
	  NULL },

	{ "VHE, no S2P: KVM's invalidations miss the SMMU, plain usable",
	  REGS_GENERIC(IDR0_S1P | TTF_AA64 | IDR0_BTM | IDR0_HYP |
		       IDR0_ASID16, CR2_NO_BTM_E2H),
	  CPU_VHE, KERNEL_SVA_KVM, BTM_MODE_AUTO, BTM_USABLE,
	  NULL },
	{ "KVM does not make an erratum usable", REGS_MMU700, CPU_VHE,
	  KERNEL_SVA_KVM, BTM_MODE_AUTO, BTM_ERRATUM, "MMU-700" },
	{ "KVM does not make a kernel without SVA usable", REGS_KP920,
	  CPU_VHE, KERNEL_NO_SVA_KVM, BTM_MODE_AUTO, BTM_NO_SVA, NULL },
	{ "mmu-600, VHE, KVM: stage 2 over-invalidated", REGS_MMU600,
	  CPU_VHE, KERNEL_SVA_KVM, BTM_MODE_AUTO, BTM_USABLE_KVM, NULL },
	{ "kunpeng-920, VHE, KVM, enable=force: nothing overridden",
	  REGS_KP920, CPU_VHE, KERNEL_SVA_KVM, BTM_MODE_FORCE, BTM_USABLE_KVM,
	  NULL },
	{ "kunpeng-920 at EL1, KVM, S2VMID 0", REGS_KP920_EL1, CPU_EL1,
	  KERNEL_SVA_KVM, BTM_MODE_AUTO, BTM_USABLE_KVM, NULL },
	{ "non-VHE, no S2P, KVM: rollover drops the host's entries",
	  REGS_GENERIC(IDR0_S1_ONLY, CR2_NO_BTM), CPU_EL1, KERNEL_SVA_KVM,
	  BTM_MODE_AUTO, BTM_USABLE_KVM, NULL },
	{ "non-VHE, no S2P, no KVM", REGS_GENERIC(IDR0_S1_ONLY, CR2_NO_BTM),
	  CPU_EL1, KERNEL_SVA, BTM_MODE_AUTO, BTM_USABLE, NULL },
	{ "kunpeng-920 at EL1, KVM, S2VMID not 0: vmid, not usable-kvm",
	  REGS_KP920_EL1, CPU_EL1, KERNEL_S2VMID_KVM, BTM_MODE_AUTO, BTM_VMID,
	  NULL },
	{ "kunpeng-920 at EL1, KVM, S2VMID not 0, enable=force",
	  REGS_KP920_EL1, CPU_EL1, KERNEL_S2VMID_KVM, BTM_MODE_FORCE,
	  BTM_USABLE_FORCED, NULL },
	{ "mmu-700 at EL1, KVM, enable=force: forced, not usable-kvm",
	  REGS_MMU700_EL1, CPU_EL1, KERNEL_SVA_KVM, BTM_MODE_FORCE,
	  BTM_USABLE_FORCED, "MMU-700" },

	{ "kunpeng-920, VHE, CR2.E2H 0", REGS_KP920_EL1, CPU_VHE, KERNEL_SVA,
	  BTM_MODE_AUTO, BTM_E2H_MISMATCH, NULL },
	{ "kunpeng-920 at EL1, CR2.E2H 1", REGS_KP920, CPU_EL1, KERNEL_SVA,
	  BTM_MODE_AUTO, BTM_E2H_MISMATCH, NULL },
	{ "kunpeng-920, e2h-mismatch: force does not override", REGS_KP920,
	  CPU_EL1, KERNEL_SVA_KVM, BTM_MODE_FORCE, BTM_E2H_MISMATCH, NULL },
	{ "without HYP, E2H is RES0 and ignored",
	  REGS_GENERIC(IDR0_S1_ONLY, CR2_NO_BTM_E2H), CPU_EL1, KERNEL_SVA,
	  BTM_MODE_AUTO, BTM_USABLE, NULL },
	{ "VHE without HYP: vhe-no-hyp comes before e2h-mismatch",
	  REGS_GENERIC(IDR0_S1_ONLY, CR2_NO_BTM_E2H), CPU_VHE, KERNEL_SVA,
	  BTM_MODE_AUTO, BTM_VHE_NO_HYP, NULL },
	{ "driver BTM bit: already-enabled comes before e2h-mismatch",
	  REGS_KP920_CR2(CR2_RECINVSID), CPU_VHE, KERNEL_DRIVER_BTM,
	  BTM_MODE_AUTO, BTM_ALREADY_ENABLED, NULL },
	{ "no btm comes before e2h-mismatch",
	  REGS_GENERIC(IDR0_S1P | IDR0_HYP | TTF_AA64, CR2_NO_BTM), CPU_VHE,
	  KERNEL_SVA, BTM_MODE_AUTO, BTM_NO_BTM, NULL },
	{ "e2h-mismatch comes before asid-width",
	  REGS_GENERIC(IDR0_S1P | TTF_AA64 | IDR0_BTM | IDR0_HYP, CR2_NO_BTM),
	  CPU_VHE, KERNEL_SVA, BTM_MODE_AUTO, BTM_E2H_MISMATCH, NULL },
	{ "e2h-mismatch comes before the erratum", REGS_MMU700_EL1, CPU_VHE,
	  KERNEL_SVA, BTM_MODE_FORCE, BTM_E2H_MISMATCH, NULL },
	{ "e2h-mismatch comes before the driver", REGS_KP920, CPU_EL1,
	  KERNEL_GEN(BTM_DRIVER_BOND), BTM_MODE_AUTO, BTM_E2H_MISMATCH,
	  NULL },
};

static void check_case(const struct decide_case *c)
{
	struct smmu_features feat;
	struct btm_decision out;

	memset(&feat, 0xa5, sizeof(feat));
	smmu_decode_features(&c->regs, &feat);
	/* Poison the result so that a field left unwritten is caught. */
	memset(&out, 0xa5, sizeof(out));
	btm_decide(&feat, c->regs.cr2, &c->cpu, &c->kernel, c->mode, &out);

	if (out.reason != c->reason)
		fail_msg("%s: reason %s, expected %s", c->name,
			 btm_reason_key(out.reason), btm_reason_key(c->reason));
	if (!c->erratum_part && out.erratum)
		fail_msg("%s: unexpected erratum %s", c->name,
			 out.erratum->part);
	if (c->erratum_part &&
	    (!out.erratum || strcmp(out.erratum->part, c->erratum_part)))
		fail_msg("%s: erratum %s, expected %s", c->name,
			 out.erratum ? out.erratum->part : "(none)",
			 c->erratum_part);
	if (btm_usable(&out) != (c->reason == BTM_USABLE ||
				 c->reason == BTM_USABLE_FORCED ||
				 c->reason == BTM_USABLE_KVM))
		fail_msg("%s: btm_usable() disagrees with the reason",
			 c->name);
}

/* Every case of the table, and the table reaches every reason. */
static void test_decide_table(void **state)
{
	bool seen[BTM_NR_REASONS] = { false };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		check_case(&cases[i]);
		seen[cases[i].reason] = true;
	}
	for (i = 0; i < BTM_NR_REASONS; i++)
		if (!seen[i])
			fail_msg("no case ends in %s",
				 btm_reason_key((enum btm_reason)i));
}

static struct smmu_features features(struct smmu_id_regs regs)
{
	struct smmu_features feat;

	memset(&feat, 0, sizeof(feat));
	smmu_decode_features(&regs, &feat);
	return feat;
}

/* The fixtures decode as described, so the table tests what it says. */
static void test_fixtures_decode(void **state)
{
	struct smmu_features f = features((struct smmu_id_regs)REGS_KP920);

	(void)state;
	assert_int_equal(f.implementer, 0x736);
	assert_int_equal(f.product_id, 0);
	assert_int_equal(f.variant, 3);
	assert_int_equal(f.revision, 0);
	assert_true(f.s1p && f.s2p && f.btm && f.hyp && f.ats && f.pri);
	assert_true(f.coherent);
	assert_int_equal(f.asid_bits, 16);
	assert_int_equal(f.vmid_bits, 16);

	f = features((struct smmu_id_regs)REGS_MMU600);
	assert_int_equal(f.implementer, 0x43b);
	assert_int_equal(f.product_id, 0x483);
	assert_int_equal(f.variant, 1);
	assert_int_equal(f.revision, 1);

	f = features((struct smmu_id_regs)REGS_QEMU);
	assert_true(f.s1p);
	assert_false(f.btm);
	assert_false(f.hyp);
}

/*
 * Over every combination of the facts KVM and E2H depend on: KVM changes
 * only which usable outcome is given, never whether BTM is usable, and
 * never needs enable=force; e2h-mismatch is given exactly when CR2.E2H
 * disagrees with the CPU on an SMMU with HYP.
 */
static void test_kvm_and_e2h_combinations(void **state)
{
	unsigned int bits;

	(void)state;
	for (bits = 0; bits < 64; bits++) {
		bool vhe = bits & 1, hyp = bits & 2, s2p = bits & 4;
		bool e2h = bits & 8, s2vmid0 = bits & 16;
		bool force = bits & 32;
		struct smmu_id_regs regs = REGS_KP920;
		struct btm_cpu_facts cpu = CPU_EL1;
		struct btm_kernel_facts kernel = KERNEL_SVA;
		enum btm_mode mode = force ? BTM_MODE_FORCE : BTM_MODE_AUTO;
		struct btm_decision plain, kvm;
		struct smmu_features feat;

		if (!hyp)
			regs.idr0 &= ~IDR0_HYP;
		if (!s2p)
			regs.idr0 &= ~IDR0_S2P;
		regs.cr2 = e2h ? CR2_NO_BTM_E2H : CR2_NO_BTM;
		cpu.vhe = vhe;
		kernel.s1_s2vmid_zero = s2vmid0;
		feat = features(regs);

		btm_decide(&feat, regs.cr2, &cpu, &kernel, mode, &plain);
		kernel.kvm = true;
		btm_decide(&feat, regs.cr2, &cpu, &kernel, mode, &kvm);

		if (btm_usable(&plain) != btm_usable(&kvm))
			fail_msg("bits %#x: %s without KVM, %s with", bits,
				 btm_reason_key(plain.reason),
				 btm_reason_key(kvm.reason));
		if (!btm_usable(&plain))
			assert_int_equal(plain.reason, kvm.reason);
		assert_int_not_equal(plain.reason, BTM_USABLE_KVM);
		if (plain.reason == BTM_USABLE)
			assert_int_equal(kvm.reason, s2p || !vhe ?
					 BTM_USABLE_KVM : BTM_USABLE);
		if (plain.reason == BTM_USABLE_FORCED)
			assert_int_equal(kvm.reason, BTM_USABLE_FORCED);
		if (kvm.reason == BTM_USABLE_KVM)
			assert_true(s2p || !vhe);

		if (vhe && !hyp)
			assert_int_equal(plain.reason, BTM_VHE_NO_HYP);
		else
			assert_int_equal(plain.reason == BTM_E2H_MISMATCH,
					 hyp && e2h != vhe);
	}
}

static void test_find_erratum(void **state)
{
	static const struct {
		u16 implementer, product_id;
		const char *part;
	} parts[] = {
		{ 0x43b, 0x487, "MMU-700" },
		{ 0x43b, 0x48a, "MMU-L1" },
		{ 0x43b, 0x498, "MMU-S3" },
		{ 0x43b, 0x483, NULL },		/* MMU-600: no BTM erratum */
		{ 0x736, 0x487, NULL },		/* same product id, not Arm */
		{ 0x736, 0x000, NULL },		/* HiSilicon Hip08 */
		{ 0x000, 0x000, NULL },		/* QEMU */
	};
	const struct btm_erratum *e;
	struct smmu_features f;
	size_t i;

	(void)state;
	memset(&f, 0, sizeof(f));
	for (i = 0; i < ARRAY_LEN(parts); i++) {
		f.implementer = parts[i].implementer;
		f.product_id = parts[i].product_id;
		e = btm_find_erratum(&f);
		if (!parts[i].part) {
			assert_null(e);
			continue;
		}
		assert_non_null(e);
		assert_string_equal(e->part, parts[i].part);
		assert_int_equal(e->implementer, parts[i].implementer);
		assert_int_equal(e->product_id, parts[i].product_id);
		assert_non_null(e->errata);
		assert_true(e->errata[0] != '\0');
	}

	f.implementer = 0x43b;
	f.product_id = 0x487;
	assert_non_null(strstr(btm_find_erratum(&f)->errata, "every MMU-700"));
	f.product_id = 0x48a;
	assert_string_equal(btm_find_erratum(&f)->errata, "3878312");
	f.product_id = 0x498;
	assert_string_equal(btm_find_erratum(&f)->errata, "3995052");
}

static void test_reason_keys(void **state)
{
	static const char * const keys[BTM_NR_REASONS] = {
		[BTM_USABLE] = "usable",
		[BTM_USABLE_FORCED] = "usable-forced",
		[BTM_USABLE_KVM] = "usable-kvm",
		[BTM_DISABLED] = "disabled",
		[BTM_NO_STAGE1] = "no-stage1",
		[BTM_NO_BTM] = "no-btm",
		[BTM_ALREADY_ENABLED] = "already-enabled",
		[BTM_VHE_NO_HYP] = "vhe-no-hyp",
		[BTM_E2H_MISMATCH] = "e2h-mismatch",
		[BTM_ASID_WIDTH] = "asid-width",
		[BTM_ERRATUM] = "erratum",
		[BTM_CPU_ERRATUM] = "cpu-erratum",
		[BTM_DRIVER_UNSUPPORTED] = "driver-unsupported",
		[BTM_NO_SVA] = "no-sva",
		[BTM_SVA_UNSUPPORTED] = "sva-unsupported",
		[BTM_VMID] = "vmid",
	};
	int i;

	(void)state;
	for (i = 0; i < BTM_NR_REASONS; i++) {
		assert_non_null(keys[i]);
		assert_string_equal(btm_reason_key(i), keys[i]);
	}
	assert_string_equal(btm_reason_key(BTM_NR_REASONS), "unknown");
	assert_string_equal(btm_reason_key((enum btm_reason)-1), "unknown");
	assert_string_equal(btm_reason_key((enum btm_reason)1000), "unknown");
}

/* Keys and texts: present, distinct, and shaped as documented. */
static void test_reason_strings_distinct(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < BTM_NR_REASONS; i++) {
		const char *key = btm_reason_key(i);
		const char *text = btm_reason_text(i);
		size_t len;
		const char *p;

		assert_non_null(key);
		assert_non_null(text);
		assert_true(key[0] != '\0');
		len = strlen(text);
		assert_true(len > 0);
		if (text[len - 1] == '.' || text[len - 1] == '\n')
			fail_msg("text of %s ends in punctuation", key);
		for (p = key; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			      (*p >= '0' && *p <= '9') || *p == '-'))
				fail_msg("key %s is not lowercase", key);
		assert_string_not_equal(key, "unknown");
		assert_string_not_equal(text, "unknown reason");
		for (j = 0; j < i; j++) {
			assert_string_not_equal(key, btm_reason_key(j));
			assert_string_not_equal(text, btm_reason_text(j));
		}
	}
	assert_string_equal(btm_reason_text(BTM_NR_REASONS), "unknown reason");
	assert_string_equal(btm_reason_text((enum btm_reason)-1),
			    "unknown reason");
	assert_non_null(strstr(btm_reason_text(BTM_NO_BTM), "SMMU_IDR0.BTM"));
	assert_non_null(strstr(btm_reason_text(BTM_VHE_NO_HYP),
			       "SMMU_IDR0.HYP"));
	assert_non_null(strstr(btm_reason_text(BTM_DISABLED), "enable=off"));
	assert_non_null(strstr(btm_reason_text(BTM_USABLE_FORCED),
			       "enable=force"));
	assert_non_null(strstr(btm_reason_text(BTM_USABLE_KVM), "KVM"));
	assert_non_null(strstr(btm_reason_text(BTM_E2H_MISMATCH),
			       "SMMU_CR2.E2H"));
}

static void test_usable(void **state)
{
	struct btm_decision d = { .erratum = NULL };
	int i;

	(void)state;
	for (i = 0; i < BTM_NR_REASONS; i++) {
		d.reason = i;
		assert_int_equal(btm_usable(&d),
				 i == BTM_USABLE || i == BTM_USABLE_FORCED ||
				 i == BTM_USABLE_KVM);
	}
	d.reason = BTM_NR_REASONS;
	assert_false(btm_usable(&d));
}

static void test_parse_mode(void **state)
{
	static const struct {
		const char *text;
		enum btm_mode mode;
	} good[] = {
		{ "auto", BTM_MODE_AUTO },
		{ "off", BTM_MODE_OFF },
		{ "force", BTM_MODE_FORCE },
		{ "auto\n", BTM_MODE_AUTO },
		{ "off\n", BTM_MODE_OFF },
		{ "force\n", BTM_MODE_FORCE },
	};
	static const char * const bad[] = {
		"", "\n", "Auto", "OFF", "on", "of", "offf", "forc", "forced",
		"auto\n\n", "off ", " off", "auto\nx", "force\r\n", "1", "0",
	};
	enum btm_mode mode;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(good); i++) {
		mode = (enum btm_mode)99;
		assert_int_equal(btm_parse_mode(good[i].text, &mode), 0);
		assert_int_equal(mode, good[i].mode);
	}
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		mode = BTM_MODE_FORCE;
		if (btm_parse_mode(bad[i], &mode) != -EINVAL)
			fail_msg("\"%s\" was accepted", bad[i]);
		/* A rejected value leaves the mode alone. */
		assert_int_equal(mode, BTM_MODE_FORCE);
	}
	mode = BTM_MODE_OFF;
	assert_int_equal(btm_parse_mode(NULL, &mode), -EINVAL);
	assert_int_equal(mode, BTM_MODE_OFF);
}

/* The names round-trip through the parser. */
static void test_mode_names(void **state)
{
	enum btm_mode modes[] = { BTM_MODE_AUTO, BTM_MODE_OFF, BTM_MODE_FORCE };
	enum btm_mode parsed;
	size_t i;

	(void)state;
	assert_string_equal(btm_mode_name(BTM_MODE_AUTO), "auto");
	assert_string_equal(btm_mode_name(BTM_MODE_OFF), "off");
	assert_string_equal(btm_mode_name(BTM_MODE_FORCE), "force");
	for (i = 0; i < ARRAY_LEN(modes); i++) {
		assert_int_equal(btm_parse_mode(btm_mode_name(modes[i]),
						&parsed), 0);
		assert_int_equal(parsed, modes[i]);
	}
}

static void test_driver_gen_names(void **state)
{
	(void)state;
	assert_string_equal(btm_driver_gen_name(BTM_DRIVER_UNKNOWN), "unknown");
	assert_string_equal(btm_driver_gen_name(BTM_DRIVER_BOND), "6.1-bond");
	assert_string_equal(btm_driver_gen_name(BTM_DRIVER_S1_CFG),
			    "6.2-6.6-s1cfg");
	assert_string_equal(btm_driver_gen_name(BTM_DRIVER_DOMAIN),
			    "6.10-6.12-domain");
	assert_string_equal(btm_driver_gen_name(BTM_DRIVER_REPLACE),
			    "6.13-6.19-replace");
	assert_string_equal(btm_driver_gen_name(BTM_DRIVER_INVS), "7.x-invs");
	assert_string_equal(btm_driver_gen_name((enum btm_driver_gen)42),
			    "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide_table),
		cmocka_unit_test(test_kvm_and_e2h_combinations),
		cmocka_unit_test(test_fixtures_decode),
		cmocka_unit_test(test_find_erratum),
		cmocka_unit_test(test_reason_keys),
		cmocka_unit_test(test_reason_strings_distinct),
		cmocka_unit_test(test_usable),
		cmocka_unit_test(test_parse_mode),
		cmocka_unit_test(test_mode_names),
		cmocka_unit_test(test_driver_gen_names),
	};

	return cmocka_run_group_tests_name("btm_decision", tests, NULL, NULL);
}
