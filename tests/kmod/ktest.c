// SPDX-License-Identifier: GPL-2.0
/*
 * smmu_btm_ktest: in-guest checks of the kernel side of smmu-btm that need
 * no SMMU, run when the module is loaded. Built with smmu-btm, never part of
 * the DKMS tree. Each check prints "CHECK <name> PASS" or "CHECK <name>
 * FAIL <why>"; the load fails if any check does, so nothing stays loaded.
 *
 * The test mm is the loading process's own (insmod's), whose ASID is live
 * on this CPU while the module initialises.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>

#include "ktest.h"
#include "smmu_cd.h"
#include "sva_mm.h"

/* TTBR1_EL1.ASID: Linux sets TCR_EL1.A1, so TTBR1 holds the live ASID. */
#define TTBR_ASID	GENMASK_ULL(63, 48)

static unsigned int moves;
module_param(moves, uint, 0444);
MODULE_PARM_DESC(moves, "ASID moves of the first virtio-blk disk's DMA domain (0: none)");

static bool provider_stays;
module_param(provider_stays, bool, 0444);
MODULE_PARM_DESC(provider_stays, "leave the SVA provider installed on the disk's SMMU until unload");

static unsigned int bench_moves;
module_param(bench_moves, uint, 0444);
MODULE_PARM_DESC(bench_moves, "time this many ASID moves of the disk's DMA domain instead of testing");

static unsigned int bench_binds;
module_param(bench_binds, uint, 0444);
MODULE_PARM_DESC(bench_binds, "time this many SVA domain allocations with 1 and 10,000 DMA domains instead of testing");

static bool race;
module_param(race, bool, 0444);
MODULE_PARM_DESC(race, "the disk is removed and rescanned while it is moved: a move may be refused busy");

static bool fail_on_purpose;
module_param(fail_on_purpose, bool, 0444);
MODULE_PARM_DESC(fail_on_purpose, "fail one check, to test that a failed load leaves nothing behind");

static unsigned int failed;

/**
 * check() - report one check, and count it if it failed
 * @name: the check's name, one word
 * @ok: whether it passed
 * @fmt: printf format of why it failed
 */
void check(const char *name, bool ok, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (ok) {
		pr_info("CHECK %s PASS\n", name);
		return;
	}
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("CHECK %s FAIL %pV\n", name, &vaf);
	va_end(args);
	failed++;
}

/* The CPU ASID of @mm in user space: with KPTI, the odd one of the pair. */
static u16 user_asid(u16 asid)
{
	return arm64_kernel_unmapped_at_el0() ? asid | 1 : asid;
}

static void check_pinned_sva_cd(struct mm_struct *mm)
{
	struct smmu_sva_cd params;
	u16 asid, again, live;
	u64 cd[4], tcr;

	asid = btm_sva_pin_asid(mm);
	check("pin", asid, "arm64_mm_context_get() returned 0");
	if (!asid)
		return;
	preempt_disable();
	live = FIELD_GET(TTBR_ASID, read_sysreg(ttbr1_el1));
	tcr = read_sysreg(tcr_el1);
	preempt_enable();
	check("asid-is-cpu-asid", asid == user_asid(ASID(mm)) &&
	      asid == user_asid(live),
	      "pinned %u, mm's %u, live on this CPU %u", asid,
	      user_asid(ASID(mm)), user_asid(live));

	again = btm_sva_pin_asid(mm);
	check("pin-twice-same-asid", again == asid, "second pin %u, first %u",
	      again, asid);
	if (again)
		btm_sva_unpin_asid(mm);

	/* With LPA2 the CD must be refused, and there is nothing to check. */
	if (btm_sva_cd_params(mm, asid, true, &params)) {
		check("cd-refused-only-for-lpa2", tcr & KTEST_TCR_DS,
		      "refused with TCR_EL1 %#llx", tcr);
		btm_sva_unpin_asid(mm);
		return;
	}
	check("cd-built-without-lpa2", !(tcr & KTEST_TCR_DS), "TCR_EL1 %#llx", tcr);
	smmu_encode_sva_cd(cd, &params);
	check("cd-aset-0", !(cd[0] & SMMU_CD0_ASET), "CD0 %#llx", cd[0]);
	check("cd-asid", FIELD_GET(SMMU_CD0_ASID, cd[0]) == asid,
	      "CD0 %#llx, ASID %u", cd[0], asid);
	check("cd-ttb0", cd[1] == (virt_to_phys(mm->pgd) & SMMU_CD1_TTB0),
	      "CD1 %#llx, pgd at %pa", cd[1], &(phys_addr_t){ virt_to_phys(mm->pgd) });
	/*
	 * The CD takes its granule from PAGE_SIZE and its output size from
	 * the sanitised PARange, as the driver's own SVA CD; this CPU's
	 * TCR_EL1, set up by the kernel from the same facts, must agree
	 * (its IPS at most the PARange: capped at the kernel's PA size).
	 */
	check("cd-tcr", FIELD_GET(SMMU_CD0_T0SZ, cd[0]) == (tcr & 63) &&
	      FIELD_GET(SMMU_CD0_TG0, cd[0]) == ((tcr >> 14) & 3) &&
	      FIELD_GET(SMMU_CD0_IPS, cd[0]) == ktest_parange() &&
	      FIELD_GET(SMMU_CD0_IPS, cd[0]) >= ((tcr >> 32) & 7) &&
	      (cd[0] & SMMU_CD0_V) && (cd[0] & SMMU_CD0_EPD1) &&
	      !(cd[0] & SMMU_CD0_EPD0),
	      "CD0 %#llx, TCR_EL1 %#llx", cd[0], tcr);
	check("cd-mair", cd[3] == read_sysreg(mair_el1), "CD3 %#llx", cd[3]);
	btm_sva_unpin_asid(mm);
}

static int __init ktest_init(void)
{
	if (!current->mm) {
		pr_info("CHECK has-mm FAIL loaded without a user mm\n");
		return -EINVAL;
	}
	if (bench_moves || bench_binds) {
		if (bench_moves)
			ktest_bench(bench_moves);
		if (bench_binds)
			ktest_bench_bind(current->mm, bench_binds);
		return failed ? -EINVAL : 0;
	}
	check_pinned_sva_cd(current->mm);
	if (moves)
		ktest_moves(current->mm, moves, provider_stays, race);
	if (provider_stays)
		check("shim-file", !ktest_shim_init(), "no debugfs");
	if (fail_on_purpose)
		check("failing-on-purpose", false, "as fail_on_purpose=1 asks");
	pr_info("DONE %u failed\n", failed);
	if (!failed)
		return 0;
	/* A failed load leaves nothing behind: no provider, no probe. */
	ktest_shim_exit();
	ktest_moves_exit();
	return -EINVAL;
}

static void __exit ktest_exit(void)
{
	ktest_shim_exit();
	ktest_moves_exit();
}

module_init(ktest_init);
module_exit(ktest_exit);

MODULE_DESCRIPTION("In-guest checks of smmu-btm (tests only)");
MODULE_LICENSE("GPL");
