// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU and kernel facts the BTM decision needs, read on the running
 * system.
 *
 * Design: doc/decision.md.
 */
#include <linux/bitfield.h>
#include <linux/kconfig.h>
#include <linux/mm.h>
#include <asm/cpufeature.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

#include "driver_gen.h"
#include "smmu_btm.h"

/* ID_AA64MMFR0_EL1.ASIDBits (Arm ARM D19.2): 0b0010 means 16 bits. */
#define MMFR0_ASIDBITS		GENMASK_ULL(7, 4)
#define MMFR0_ASIDBITS_16	2
#define MMFR0_PARANGE		GENMASK_ULL(3, 0)
#define TCR_EL1_T0SZ_FIELD	GENMASK_ULL(5, 0)

/*
 * CPU capabilities are macros of the kernel's generated cpucaps header: a
 * kernel that lacks one never uses the feature.
 */
#ifdef ARM64_HAFT
#define CPUS_HAFT()		cpus_have_cap(ARM64_HAFT)
#else
#define CPUS_HAFT()		false
#endif
#ifdef ARM64_HAS_BBML2_NOABORT
#define CPUS_BBML2_NOABORT()	cpus_have_cap(ARM64_HAS_BBML2_NOABORT)
#else
#define CPUS_BBML2_NOABORT()	false
#endif

/**
 * btm_read_cpu_facts() - the CPU side of the decision
 * @cpu: filled in
 */
void btm_read_cpu_facts(struct btm_cpu_facts *cpu)
{
	u64 mmfr0 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1);

	cpu->vhe = is_kernel_in_hyp_mode();
	cpu->asid_bits = FIELD_GET(MMFR0_ASIDBITS, mmfr0) == MMFR0_ASIDBITS_16 ?
			 16 : 8;
	cpu->kpti = arm64_kernel_unmapped_at_el0();
	cpu->tlbi_range = system_supports_tlb_range();
	cpu->tlbi_repeat = cpus_have_cap(ARM64_WORKAROUND_REPEAT_TLBI);
	/* The user VA size every CPU's TCR_EL1 has, as the SVA CD takes it. */
	cpu->va_bits = 64 - FIELD_GET(TCR_EL1_T0SZ_FIELD, read_sysreg(tcr_el1));
	cpu->parange = FIELD_GET(MMFR0_PARANGE, mmfr0);
	cpu->page_size = PAGE_SIZE;
	cpu->bbml2_noabort = CPUS_BBML2_NOABORT();
	cpu->haft = CPUS_HAFT();
}

/**
 * btm_read_kernel_facts() - the kernel and driver side of the decision
 * @kernel: filled in
 * @gen: the driver generation the binding recognised
 * @driver_features: the driver's feature word for this SMMU
 */
void btm_read_kernel_facts(struct btm_kernel_facts *kernel,
			   enum btm_driver_gen gen, u32 driver_features)
{
	kernel->driver_gen = gen;
	kernel->iommu_sva = IS_ENABLED(CONFIG_IOMMU_SVA);
	kernel->driver_sva = IS_ENABLED(CONFIG_ARM_SMMU_V3_SVA);
	kernel->driver_btm = driver_features & SMMU_DRV_FEAT_BTM;
	kernel->s1_s2vmid_zero = btm_gen && btm_gen->s1_s2vmid_zero;
	/*
	 * KVM can run guests when built in and the kernel owns EL2. A non-VHE
	 * host's EL2 availability is not visible to modules (__boot_cpu_mode
	 * is not exported), so only VHE hosts are counted.
	 */
	kernel->kvm = IS_ENABLED(CONFIG_KVM) && is_kernel_in_hyp_mode();
}
