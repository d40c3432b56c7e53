/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Setting or clearing SMMU_CR2.PTM on a live SMMU. CR2 may only be written
 * while the SMMU is disabled (IHI 0070 6.3.12), so the switch disables it
 * for as short a time as it can, with incoming transactions aborted rather
 * than let through untranslated. Pure logic: every register access goes
 * through struct smmu_reg_io, so the host unit tests drive it against a
 * model SMMU.
 */
#ifndef SMMU_BTM_CR2_SWITCH_H
#define SMMU_BTM_CR2_SWITCH_H

#include <linux/types.h>

/**
 * struct smmu_reg_io - how the switch reaches one SMMU
 * @read: read the 32-bit register at @offset of register page 0
 * @write: write @val to the 32-bit register at @offset of page 0
 * @invalidate_all: issue CMD_CFGI_ALL, CMD_TLBI_NSNH_ALL, CMD_TLBI_EL2_ALL
 *		    when @el2, then CMD_SYNC, and wait for the sync; return 0
 *		    or a negative errno. Called while SMMUEN is 0 with CMDQEN
 *		    still 1, so the command queue must be usable then.
 * @delay: wait between two polls of a register (about 1 us in the kernel)
 * @ctx: passed to every callback
 * @poll_limit: how many times a poll waits with @delay before it gives up;
 *		a register is read at most @poll_limit + 1 times per poll
 */
struct smmu_reg_io {
	u32 (*read)(void *ctx, unsigned int offset);
	void (*write)(void *ctx, unsigned int offset, u32 val);
	int (*invalidate_all)(void *ctx, bool el2);
	void (*delay)(void *ctx);
	void *ctx;
	unsigned int poll_limit;
};

/* The steps of the switch, in order, as the report names a failed one. */
enum cr2_switch_step {
	CR2_STEP_NONE,		/* nothing failed */
	CR2_STEP_NO_BTM,	/* SMMU_IDR0.BTM is 0: PTM is RES0 */
	CR2_STEP_CR0_BUSY,	/* an SMMUEN update is still in progress */
	CR2_STEP_GBPA_WAIT,	/* an earlier GBPA update never completed */
	CR2_STEP_GBPA_ABORT,	/* GBPA.ABORT could not be set */
	CR2_STEP_DISABLE,	/* CR0ACK.SMMUEN did not clear */
	CR2_STEP_CR2_WRITE,	/* CR2 did not read back as written */
	CR2_STEP_INVALIDATE,	/* invalidate_all() failed */
	CR2_STEP_SFM,		/* the SMMU is in Service Failure Mode */
	CR2_STEP_ENABLE,	/* CR0ACK.SMMUEN did not set again */
	CR2_STEP_GBPA_RESTORE,	/* the original GBPA did not come back */
	CR2_NR_STEPS,
};

/**
 * struct cr2_switch_report - what smmu_cr2_set_ptm() did
 * @cr2_before: SMMU_CR2 as first read
 * @cr2_after: SMMU_CR2 as last read
 * @gbpa_before: SMMU_GBPA as found (Update clear), when the SMMU was
 *		 enabled and PTM had to change; else 0
 * @gbpa_after: SMMU_GBPA as last read; 0 when it was not read
 * @disabled: SMMUEN was cleared for the switch
 * @left_disabled: SMMUEN was cleared and CR0ACK.SMMUEN was not seen at 1
 *		   again, or the SMMU entered Service Failure Mode meanwhile
 *		   and was not enabled again: GBPA.ABORT is left set, so
 *		   transactions are aborted, not bypassed
 * @stopped_polls: polls waited from the write clearing SMMUEN until
 *		   CR0ACK.SMMUEN read 1 again (or the switch gave up); time
 *		   spent in invalidate_all() is not counted
 * @failed_step: the first step that failed, CR2_STEP_NONE if none did
 * @failed_steps: BIT() of every step that failed, the first one included
 * @err: the first step's error, as returned; 0 if none
 */
struct cr2_switch_report {
	u32 cr2_before;
	u32 cr2_after;
	u32 gbpa_before;
	u32 gbpa_after;
	bool disabled;
	bool left_disabled;
	unsigned int stopped_polls;
	enum cr2_switch_step failed_step;
	u32 failed_steps;
	int err;
};

int smmu_cr2_set_ptm(const struct smmu_reg_io *io, bool ptm,
		     struct cr2_switch_report *rep);
const char *cr2_switch_step_name(enum cr2_switch_step step);

#endif /* SMMU_BTM_CR2_SWITCH_H */
