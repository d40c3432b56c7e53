/* SPDX-License-Identifier: GPL-2.0 */
/* The in-guest test module's checks (tests only). */
#ifndef SMMU_BTM_KTEST_H
#define SMMU_BTM_KTEST_H

#include <linux/bits.h>
#include <linux/types.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>

struct btm_provider;
struct dentry;
struct device;
struct mm_struct;

/* TCR_EL1.DS: 52-bit addresses with 4KB or 16KB granules (LPA2) */
#define KTEST_TCR_DS		BIT_ULL(59)

/* ID_AA64MMFR0_EL1.PARange of the system, as the driver reads it. */
static inline unsigned int ktest_parange(void)
{
	return read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1) & 0xf;
}

__printf(3, 4)
void check(const char *name, bool ok, const char *fmt, ...);
void ktest_moves(struct mm_struct *mm, unsigned int moves, bool keep,
		 bool race);
void ktest_moves_exit(void);
void ktest_move_file(struct dentry *dir);
void ktest_bench(unsigned int moves);
void ktest_bench_bind(struct mm_struct *mm, unsigned int binds);
struct btm_provider *ktest_provider(struct device **dev);
int ktest_shim_init(void);
void ktest_shim_exit(void);

#endif /* SMMU_BTM_KTEST_H */
