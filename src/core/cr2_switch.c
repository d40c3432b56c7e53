// SPDX-License-Identifier: GPL-2.0
/*
 * Setting or clearing SMMU_CR2.PTM on a live SMMU. Pure logic: compiled into
 * the module and into the host unit tests, which run it against a model
 * SMMU, so it includes only headers that tests/unit/include/linux/ stands
 * in for and touches registers only through struct smmu_reg_io.
 *
 * Why the sequence is what it is (IHI 0070):
 * - CR2 is read-only once SMMUEN is 1, and must not be written until
 *   CR0ACK.SMMUEN has followed SMMUEN to 0 either (6.3.12).
 * - A new PTM takes effect by the time the next SMMUEN update to 1
 *   completes; broadcasts that arrive meanwhile may or may not take effect
 *   (6.3.12.1). Hence everything cached is invalidated before SMMUEN is set
 *   again, so that nothing a missed broadcast should have removed survives.
 * - While SMMUEN is 0, transactions bypass translation unless GBPA.ABORT is
 *   set. Bypass would hand devices physical memory, so the switch refuses
 *   to disable an SMMU whose GBPA does not keep ABORT (QEMU 7.2 has no GBPA).
 * - The command queue keeps working while SMMUEN is 0 as long as CMDQEN is
 *   1, so only SMMUEN is cleared and the invalidation goes through it.
 * - An SMMU in Service Failure Mode (GERROR.SFM_ERR active, 7.5) is one
 *   the driver disables for good: the switch neither starts on one nor
 *   enables one again that entered it while disabled.
 *
 * Design: doc/ptm-switch.md.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>

#include "cr2_switch.h"
#include "smmu_regs.h"

/* The CR2 fields this file writes and checks. */
#define CR2_FIELDS	(CR2_E2H | CR2_RECINVSID | CR2_PTM)

static const char * const cr2_step_names[CR2_NR_STEPS] = {
	[CR2_STEP_NONE] = "none",
	[CR2_STEP_NO_BTM] = "no-btm",
	[CR2_STEP_CR0_BUSY] = "cr0-busy",
	[CR2_STEP_GBPA_WAIT] = "gbpa-wait",
	[CR2_STEP_GBPA_ABORT] = "gbpa-abort",
	[CR2_STEP_DISABLE] = "disable",
	[CR2_STEP_CR2_WRITE] = "cr2-write",
	[CR2_STEP_INVALIDATE] = "invalidate",
	[CR2_STEP_SFM] = "service-failure",
	[CR2_STEP_ENABLE] = "enable",
	[CR2_STEP_GBPA_RESTORE] = "gbpa-restore",
};

/*
 * Records that @step failed with @err. The first failure is the one
 * returned, since later ones are often its consequences; all are kept in
 * the mask so that a failed clean-up is not hidden.
 */
static int cr2_fail(struct cr2_switch_report *rep, enum cr2_switch_step step,
		    int err)
{
	rep->failed_steps |= BIT(step);
	if (rep->failed_step == CR2_STEP_NONE) {
		rep->failed_step = step;
		rep->err = err;
	}
	return rep->err;
}

/*
 * Reads @offset until (value & @mask) == @want, with io->delay() between
 * two reads and at most io->poll_limit of them. *@val gets the last value
 * read; *@polls, when given, is increased by the number of delays.
 */
static int cr2_poll(const struct smmu_reg_io *io, unsigned int offset,
		    u32 mask, u32 want, u32 *val, unsigned int *polls)
{
	unsigned int waited = 0;

	for (;;) {
		*val = io->read(io->ctx, offset);
		if ((*val & mask) == want)
			return 0;
		if (waited == io->poll_limit)
			return -ETIMEDOUT;
		io->delay(io->ctx);
		waited++;
		if (polls)
			(*polls)++;
	}
}

/*
 * Writes @want to CR2, which the caller has made writable, and checks that
 * it stuck. What did not stick is put back to @old, so that a failed switch
 * leaves CR2 as it found it as far as the register allows.
 */
static int cr2_write(const struct smmu_reg_io *io, u32 old, u32 want,
		     struct cr2_switch_report *rep)
{
	u32 now;

	io->write(io->ctx, SMMU_CR2, want);
	now = io->read(io->ctx, SMMU_CR2);
	rep->cr2_after = now;
	if (!((now ^ want) & CR2_FIELDS))
		return 0;
	if ((now ^ old) & CR2_FIELDS) {
		io->write(io->ctx, SMMU_CR2, old);
		rep->cr2_after = io->read(io->ctx, SMMU_CR2);
	}
	return cr2_fail(rep, CR2_STEP_CR2_WRITE, -EIO);
}

/* Puts @gbpa back, waiting for the update so that it is known to hold. */
static void cr2_gbpa_restore(const struct smmu_reg_io *io, u32 gbpa,
			     struct cr2_switch_report *rep)
{
	int ret;

	io->write(io->ctx, SMMU_GBPA, gbpa | GBPA_UPDATE);
	ret = cr2_poll(io, SMMU_GBPA, GBPA_UPDATE, 0, &rep->gbpa_after, NULL);
	if (!ret && rep->gbpa_after != gbpa)
		ret = -EIO;
	if (ret)
		cr2_fail(rep, CR2_STEP_GBPA_RESTORE, ret);
}

/*
 * Makes the SMMU abort incoming transactions while SMMUEN is 0, and checks
 * that it will. *@changed tells whether GBPA was written, hence must be
 * restored afterwards. Every failure leaves the SMMU enabled, where GBPA
 * has no effect, and GBPA as found whenever it can be written at all.
 */
static int cr2_gbpa_abort(const struct smmu_reg_io *io,
			  struct cr2_switch_report *rep, bool *changed)
{
	u32 gbpa;
	int ret;

	*changed = false;
	/* A write while an earlier update is in progress would be lost. */
	ret = cr2_poll(io, SMMU_GBPA, GBPA_UPDATE, 0, &gbpa, NULL);
	rep->gbpa_after = gbpa;
	if (ret)
		return cr2_fail(rep, CR2_STEP_GBPA_WAIT, ret);
	rep->gbpa_before = gbpa;
	if (gbpa & GBPA_ABORT)
		return 0;

	io->write(io->ctx, SMMU_GBPA, gbpa | GBPA_ABORT | GBPA_UPDATE);
	ret = cr2_poll(io, SMMU_GBPA, GBPA_UPDATE, 0, &rep->gbpa_after, NULL);
	/*
	 * Not writable again before the update completes: GBPA stays as it
	 * is, which does no harm while the SMMU stays enabled.
	 */
	if (ret)
		return cr2_fail(rep, CR2_STEP_GBPA_ABORT, ret);
	if (rep->gbpa_after & GBPA_ABORT) {
		*changed = true;
		return 0;
	}
	/*
	 * ABORT did not stick (no GBPA at all reads 0 and ignores writes):
	 * disabling the SMMU now would let DMA bypass translation.
	 */
	ret = cr2_fail(rep, CR2_STEP_GBPA_ABORT, -EOPNOTSUPP);
	if (rep->gbpa_after != gbpa)
		cr2_gbpa_restore(io, gbpa, rep);
	return ret;
}

/* GERROR.SFM_ERR is active: the SMMU entered Service Failure Mode. */
static bool cr2_sfm(const struct smmu_reg_io *io)
{
	return (io->read(io->ctx, SMMU_GERROR) ^
		io->read(io->ctx, SMMU_GERRORN)) & GERROR_SFM_ERR;
}

/* The switch on an enabled SMMU: CR2 is written only while disabled. */
static int cr2_switch_live(const struct smmu_reg_io *io, u32 cr0, u32 cr2,
			   u32 want, struct cr2_switch_report *rep)
{
	bool gbpa_changed;
	u32 ack;
	int ret;

	ret = cr2_gbpa_abort(io, rep, &gbpa_changed);
	if (ret)
		return ret;

	/*
	 * Only SMMUEN: CMDQEN must stay 1 for invalidate_all(), and the
	 * event and PRI queues have no reason to stop.
	 */
	rep->disabled = true;
	io->write(io->ctx, SMMU_CR0, cr0 & ~CR0_SMMUEN);
	ret = cr2_poll(io, SMMU_CR0ACK, CR0_SMMUEN, 0, &ack,
		       &rep->stopped_polls);
	if (ret) {
		/* CR2 stays read-only until CR0ACK.SMMUEN reads 0. */
		cr2_fail(rep, CR2_STEP_DISABLE, ret);
	} else {
		cr2_write(io, cr2, want, rep);
		/*
		 * Also after a failed write, which may have changed a field
		 * on its way: the SMMU is to hold nothing cached under a
		 * PTM, E2H or RECINVSID it does not have when it restarts.
		 */
		ret = io->invalidate_all(io->ctx, want & CR2_E2H);
		if (ret)
			cr2_fail(rep, CR2_STEP_INVALIDATE, ret);
	}

	/*
	 * In Service Failure Mode the driver's error handler, which the
	 * caller holds off meanwhile, disables the SMMU for good: it stays
	 * disabled, aborting. Anything else, it is enabled again whatever
	 * failed: a disabled SMMU aborts all DMA. After a failed invalidation
	 * that may leave stale entries, which the report's error tells the
	 * caller to deal with.
	 */
	if (cr2_sfm(io)) {
		rep->left_disabled = true;
		return cr2_fail(rep, CR2_STEP_SFM, -EIO);
	}
	io->write(io->ctx, SMMU_CR0, cr0);
	ret = cr2_poll(io, SMMU_CR0ACK, CR0_SMMUEN, CR0_SMMUEN, &ack,
		       &rep->stopped_polls);
	if (ret) {
		/*
		 * Not known to translate: restoring a GBPA without ABORT
		 * would let the transactions it aborts now bypass instead.
		 */
		rep->left_disabled = true;
		return cr2_fail(rep, CR2_STEP_ENABLE, ret);
	}
	if (gbpa_changed)
		cr2_gbpa_restore(io, rep->gbpa_before, rep);
	return rep->err;
}

/**
 * smmu_cr2_set_ptm() - set or clear SMMU_CR2.PTM on an SMMU that may be live
 * @io: how to reach the SMMU
 * @ptm: the PTM wanted: false lets broadcast TLB maintenance reach the SMMU,
 *	 true keeps it out
 * @rep: filled in with what was done, also on failure
 *
 * Nothing is written when PTM already has the value. On a disabled SMMU,
 * CR2 is written directly; whoever enables the SMMU next invalidates its
 * caches first, as the driver's reset does. On an enabled SMMU, GBPA.ABORT
 * is set, SMMUEN is cleared, CR2 is written with E2H and RECINVSID kept,
 * everything cached is invalidated, SMMUEN is set again and GBPA restored.
 * Transactions arriving meanwhile are aborted, so the caller should keep
 * devices quiet; broadcasts meanwhile may be lost, which the invalidation
 * makes up for.
 *
 * Every failure leaves CR2 as it was when it can, the SMMU enabled if it
 * was, and GBPA as it was, except that GBPA.ABORT stays set while the SMMU
 * cannot be seen enabled again (@rep->left_disabled), and that an SMMU in
 * Service Failure Mode is not enabled again.
 *
 * Context: the caller must be the only one changing CR0, CR2 and GBPA (the
 * driver's global error handler, which disables an SMMU in Service Failure
 * Mode, held off), and the command queue must accept invalidate_all();
 * nothing here sleeps unless the callbacks do.
 *
 * Return: 0 on success or when there was nothing to do; -EOPNOTSUPP when
 * SMMU_IDR0.BTM is 0 or GBPA cannot abort (nothing disabled then); -EBUSY
 * when CR0ACK.SMMUEN does not yet agree with CR0 (nothing written);
 * -ETIMEDOUT when a poll gave up; -EIO when CR2 or GBPA did not read back
 * as written, or in Service Failure Mode; or the error of invalidate_all(). The first failure is
 * returned; @rep names every failed step.
 */
int smmu_cr2_set_ptm(const struct smmu_reg_io *io, bool ptm,
		     struct cr2_switch_report *rep)
{
	u32 cr0, ack, cr2, want;

	*rep = (struct cr2_switch_report){ .failed_step = CR2_STEP_NONE };
	cr2 = io->read(io->ctx, SMMU_CR2);
	rep->cr2_before = cr2;
	rep->cr2_after = cr2;
	want = ptm ? cr2 | CR2_PTM : cr2 & ~CR2_PTM;
	if (want == cr2)
		return 0;
	/* PTM is RES0 without BTM: there is nothing to switch. */
	if (!(io->read(io->ctx, SMMU_IDR0) & IDR0_BTM))
		return cr2_fail(rep, CR2_STEP_NO_BTM, -EOPNOTSUPP);

	cr0 = io->read(io->ctx, SMMU_CR0);
	ack = io->read(io->ctx, SMMU_CR0ACK);
	/* Someone else's enable or disable is in flight: not ours to race. */
	if ((cr0 ^ ack) & CR0_SMMUEN)
		return cr2_fail(rep, CR2_STEP_CR0_BUSY, -EBUSY);
	if (cr2_sfm(io))
		return cr2_fail(rep, CR2_STEP_SFM, -EIO);
	if (!(cr0 & CR0_SMMUEN))
		return cr2_write(io, cr2, want, rep);
	return cr2_switch_live(io, cr0, cr2, want, rep);
}

/**
 * cr2_switch_step_name() - a short name for a step of the switch, for logs
 * @step: the step
 *
 * Return: e.g. "disable" or "gbpa-abort"; "unknown" for an out-of-range
 * value.
 */
const char *cr2_switch_step_name(enum cr2_switch_step step)
{
	if ((unsigned int)step >= CR2_NR_STEPS)
		return "unknown";
	return cr2_step_names[step];
}
