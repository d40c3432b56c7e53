// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the SMMU_CR2.PTM switch (src/core/cr2_switch.c), run against a
 * model SMMU that does what IHI 0070 says the registers involved do, and
 * records every move that would be wrong on real hardware:
 * - CR2 written while SMMUEN or CR0ACK.SMMUEN is 1 (ignored, as SMMUv3.2
 *   does);
 * - translation newly bypassed: SMMUEN or CR0ACK.SMMUEN at 0 while the
 *   GBPA in effect has ABORT clear;
 * - SMMUEN set again after a CR2 write without a successful invalidation
 *   in between, and invalidation outside that window;
 * - GBPA written while an update is in progress or without Update.
 * Each case states the violations it expects, and test_model_catches()
 * shows that wrong orders do get recorded.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cr2_switch.h"
#include "smmu_regs.h"

/* IDR0 of an SMMU with BTM and HYP, and of QEMU 7.2's (no BTM). */
#define IDR0_BTM_HYP	(IDR0_S1P | IDR0_S2P | IDR0_BTM | IDR0_HYP)
#define IDR0_QEMU	0x0d40101a
/* CR0 as the driver leaves a running SMMU: every queue and SMMUEN. */
#define CR0_RUNNING	(CR0_SMMUEN | CR0_PRIQEN | CR0_EVENTQEN | CR0_CMDQEN)
/* CR2 as the driver leaves it on a VHE host, without BTM and with it. */
#define CR2_VHE_NO_BTM	(CR2_E2H | CR2_RECINVSID | CR2_PTM)
#define CR2_VHE_BTM	(CR2_E2H | CR2_RECINVSID)
/* A GBPA with fields other than ABORT set (SHCFG = 1, MTCFG, MEMATTR 0xf). */
#define GBPA_FIELDS	(0x1000u | 0x10u | 0xfu)
#define POLL_LIMIT	10

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct model {
	/* registers */
	u32 idr0;
	u32 cr0;
	u32 cr0ack;
	u32 cr2;
	u32 gbpa;		/* in effect */
	u32 gerror;
	u32 gerrorn;

	/* behaviour */
	bool has_gbpa;		/* false: reads 0, ignores writes */
	unsigned int ack_delay;	/* CR0ACK reads showing the old value */
	bool ack_refuses_clear;	/* CR0ACK.SMMUEN never follows 1 -> 0 */
	bool ack_refuses_set;	/* CR0ACK.SMMUEN never follows 0 -> 1 */
	unsigned int gbpa_delay; /* GBPA reads that still show Update */
	bool gbpa_stuck;	/* a GBPA update never completes */
	bool cr2_ptm_stuck;	/* CR2.PTM ignores writes */
	int inval_ret;		/* what invalidate_all() returns */
	bool sfm_in_inval;	/* invalidate_all() raises GERROR.SFM_ERR */

	/* updates in flight */
	unsigned int ack_left;
	bool ack_stuck;
	bool gbpa_pending;
	u32 gbpa_next;
	unsigned int gbpa_left;

	/* counts */
	unsigned int reads;
	unsigned int writes;
	unsigned int cr0_writes;
	unsigned int cr2_writes;
	unsigned int gbpa_reads;
	unsigned int gbpa_writes;
	unsigned int delays;
	unsigned int inval_calls;
	bool inval_el2;

	/* violations */
	bool need_inval;	/* CR2 written, not invalidated since */
	bool bypassing;
	unsigned int v_cr2_enabled;
	unsigned int v_bypass;
	unsigned int v_stale_enable;
	unsigned int v_inval_outside;
	unsigned int v_inval_no_cmdq;
	unsigned int v_gbpa_misuse;
	unsigned int v_enable_in_sfm;
};

static bool model_translation_off(const struct model *m)
{
	return !(m->cr0 & CR0_SMMUEN) || !(m->cr0ack & CR0_SMMUEN);
}

/*
 * Whether ABORT holds: during a GBPA update either value may be in effect,
 * so only if both have it.
 */
static bool model_aborting(const struct model *m)
{
	if (!(m->gbpa & GBPA_ABORT))
		return false;
	return !m->gbpa_pending || (m->gbpa_next & GBPA_ABORT);
}

/* Called after every access: records each entry into bypass. */
static void model_check(struct model *m)
{
	bool bypass = model_translation_off(m) && !model_aborting(m);

	if (bypass && !m->bypassing)
		m->v_bypass++;
	m->bypassing = bypass;
}

static u32 model_read(void *ctx, unsigned int offset)
{
	struct model *m = ctx;
	u32 val = 0;

	m->reads++;
	switch (offset) {
	case SMMU_IDR0:
		val = m->idr0;
		break;
	case SMMU_CR0:
		val = m->cr0;
		break;
	case SMMU_CR0ACK:
		if (m->cr0ack != m->cr0 && !m->ack_stuck) {
			if (m->ack_left)
				m->ack_left--;
			else
				m->cr0ack = m->cr0;
		}
		val = m->cr0ack;
		break;
	case SMMU_CR2:
		val = m->cr2;
		break;
	case SMMU_GERROR:
		val = m->gerror;
		break;
	case SMMU_GERRORN:
		val = m->gerrorn;
		break;
	case SMMU_GBPA:
		m->gbpa_reads++;
		if (!m->has_gbpa)
			break;
		if (m->gbpa_pending && !m->gbpa_stuck) {
			if (m->gbpa_left) {
				m->gbpa_left--;
			} else {
				m->gbpa = m->gbpa_next;
				m->gbpa_pending = false;
			}
		}
		val = m->gbpa_pending ? m->gbpa_next | GBPA_UPDATE : m->gbpa;
		break;
	default:
		fail_msg("read of unexpected offset 0x%x", offset);
	}
	model_check(m);
	return val;
}

static void model_write(void *ctx, unsigned int offset, u32 val)
{
	struct model *m = ctx;

	m->writes++;
	switch (offset) {
	case SMMU_CR0:
		m->cr0_writes++;
		if ((val ^ m->cr0ack) & CR0_SMMUEN)
			m->ack_stuck = val & CR0_SMMUEN ? m->ack_refuses_set :
							  m->ack_refuses_clear;
		m->ack_left = m->ack_delay;
		if ((val & CR0_SMMUEN) && !(m->cr0 & CR0_SMMUEN)) {
			if ((m->gerror ^ m->gerrorn) & GERROR_SFM_ERR)
				m->v_enable_in_sfm++;
			if (m->need_inval)
				m->v_stale_enable++;
			m->need_inval = false;
		}
		m->cr0 = val;
		break;
	case SMMU_CR2:
		m->cr2_writes++;
		if ((m->cr0 | m->cr0ack) & CR0_SMMUEN) {
			m->v_cr2_enabled++;
			break;
		}
		val &= CR2_E2H | CR2_RECINVSID | CR2_PTM;
		if (m->cr2_ptm_stuck)
			val = (val & ~CR2_PTM) | (m->cr2 & CR2_PTM);
		m->cr2 = val;
		m->need_inval = true;
		break;
	case SMMU_GBPA:
		m->gbpa_writes++;
		if (!m->has_gbpa)
			break;
		if (m->gbpa_pending || !(val & GBPA_UPDATE)) {
			m->v_gbpa_misuse++;
			break;
		}
		m->gbpa_pending = true;
		m->gbpa_next = val & ~GBPA_UPDATE;
		m->gbpa_left = m->gbpa_delay;
		break;
	default:
		fail_msg("write of unexpected offset 0x%x", offset);
	}
	model_check(m);
}

static int model_invalidate_all(void *ctx, bool el2)
{
	struct model *m = ctx;

	m->inval_calls++;
	m->inval_el2 = el2;
	if (!(m->cr0 & CR0_CMDQEN)) {
		m->v_inval_no_cmdq++;
		return -EIO;
	}
	if (!model_translation_off(m) || !m->need_inval)
		m->v_inval_outside++;
	if (m->sfm_in_inval)
		m->gerror ^= GERROR_SFM_ERR;
	if (m->inval_ret)
		return m->inval_ret;
	m->need_inval = false;
	return 0;
}

static void model_delay(void *ctx)
{
	struct model *m = ctx;

	m->delays++;
	model_check(m);
}

/* A running SMMU with BTM, HYP and GBPA, CR2 as @cr2. */
static void model_init(struct model *m, u32 cr2)
{
	memset(m, 0, sizeof(*m));
	m->idr0 = IDR0_BTM_HYP;
	m->cr0 = CR0_RUNNING;
	m->cr0ack = CR0_RUNNING;
	m->cr2 = cr2;
	m->gbpa = GBPA_FIELDS;
	m->has_gbpa = true;
}

/* After the changes to the model a case makes to model_init()'s. */
static void model_start(struct model *m)
{
	m->bypassing = model_translation_off(m) && !model_aborting(m);
}

static struct smmu_reg_io model_io(struct model *m)
{
	return (struct smmu_reg_io){
		.read = model_read,
		.write = model_write,
		.invalidate_all = model_invalidate_all,
		.delay = model_delay,
		.ctx = m,
		.poll_limit = POLL_LIMIT,
	};
}

static int run(struct model *m, bool ptm, struct cr2_switch_report *rep)
{
	struct smmu_reg_io io = model_io(m);

	model_start(m);
	/* Poison the report so that a field left unwritten is caught. */
	memset(rep, 0xa5, sizeof(*rep));
	return smmu_cr2_set_ptm(&io, ptm, rep);
}

static void assert_no_violations(const struct model *m)
{
	assert_int_equal(m->v_cr2_enabled, 0);
	assert_int_equal(m->v_bypass, 0);
	assert_int_equal(m->v_stale_enable, 0);
	assert_int_equal(m->v_inval_outside, 0);
	assert_int_equal(m->v_inval_no_cmdq, 0);
	assert_int_equal(m->v_gbpa_misuse, 0);
	assert_int_equal(m->v_enable_in_sfm, 0);
}

/* The SMMU runs as before: CR0 and its ACK as found, GBPA settled. */
static void assert_running_as_found(const struct model *m, u32 gbpa)
{
	assert_int_equal(m->cr0, CR0_RUNNING);
	assert_int_equal(m->cr0ack, CR0_RUNNING);
	assert_false(m->gbpa_pending);
	assert_int_equal(m->gbpa, gbpa);
}

static void assert_failed(const struct cr2_switch_report *rep,
			  enum cr2_switch_step step, int err)
{
	assert_int_equal(rep->failed_step, step);
	assert_int_equal(rep->err, err);
	if (step == CR2_STEP_NONE)
		assert_int_equal(rep->failed_steps, 0);
	else
		assert_true(rep->failed_steps & BIT(step));
}

/* The load direction on a VHE host, with slow ACKs and GBPA updates. */
static void test_clear_ptm_live(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.ack_delay = 3;
	m.gbpa_delay = 2;
	assert_int_equal(run(&m, false, &rep), 0);

	assert_int_equal(m.cr2, CR2_VHE_BTM);
	assert_int_equal(m.cr2_writes, 1);
	assert_running_as_found(&m, GBPA_FIELDS);
	/* ABORT set and cleared, one write each. */
	assert_int_equal(m.gbpa_writes, 2);
	assert_int_equal(m.cr0_writes, 2);
	assert_int_equal(m.inval_calls, 1);
	assert_true(m.inval_el2);
	assert_no_violations(&m);

	assert_int_equal(rep.cr2_before, CR2_VHE_NO_BTM);
	assert_int_equal(rep.cr2_after, CR2_VHE_BTM);
	assert_int_equal(rep.gbpa_before, GBPA_FIELDS);
	assert_int_equal(rep.gbpa_after, GBPA_FIELDS);
	assert_true(rep.disabled);
	assert_false(rep.left_disabled);
	/* Three polls for each of the two CR0ACK updates, none for GBPA. */
	assert_int_equal(rep.stopped_polls, 6);
	assert_int_equal(m.delays, 6 + 2 * 2);
	assert_failed(&rep, CR2_STEP_NONE, 0);
}

/* A non-VHE host's CR2 has no E2H, and the invalidation no EL2 part. */
static void test_clear_ptm_live_el1(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_PTM | CR2_RECINVSID);
	assert_int_equal(run(&m, false, &rep), 0);
	assert_int_equal(m.cr2, CR2_RECINVSID);
	assert_int_equal(m.inval_calls, 1);
	assert_false(m.inval_el2);
	assert_running_as_found(&m, GBPA_FIELDS);
	assert_no_violations(&m);
	assert_int_equal(rep.stopped_polls, 0);
	assert_int_equal(rep.failed_steps, 0);
}

/* The unload direction: PTM back to 1. */
static void test_set_ptm_live(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_BTM);
	m.ack_delay = 1;
	assert_int_equal(run(&m, true, &rep), 0);
	assert_int_equal(m.cr2, CR2_VHE_NO_BTM);
	assert_int_equal(m.inval_calls, 1);
	assert_running_as_found(&m, GBPA_FIELDS);
	assert_no_violations(&m);
	assert_int_equal(rep.cr2_before, CR2_VHE_BTM);
	assert_int_equal(rep.cr2_after, CR2_VHE_NO_BTM);
	assert_int_equal(rep.stopped_polls, 2);
	assert_failed(&rep, CR2_STEP_NONE, 0);
}

/* Nothing to do: not a single write, whatever the rest of the SMMU says. */
static void test_already_at_value(void **state)
{
	static const struct {
		u32 cr2;
		bool ptm;
	} cases[] = {
		{ CR2_VHE_BTM, false },
		{ CR2_VHE_NO_BTM, true },
		{ CR2_RECINVSID, false },
		{ CR2_PTM, true },
	};
	struct cr2_switch_report rep;
	struct model m;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		model_init(&m, cases[i].cr2);
		m.has_gbpa = false;
		m.idr0 = IDR0_QEMU;
		assert_int_equal(run(&m, cases[i].ptm, &rep), 0);
		assert_int_equal(m.writes, 0);
		assert_int_equal(m.delays, 0);
		assert_int_equal(m.inval_calls, 0);
		assert_int_equal(m.cr2, cases[i].cr2);
		assert_int_equal(rep.cr2_before, cases[i].cr2);
		assert_int_equal(rep.cr2_after, cases[i].cr2);
		assert_false(rep.disabled);
		assert_false(rep.left_disabled);
		assert_int_equal(rep.stopped_polls, 0);
		assert_int_equal(rep.gbpa_before, 0);
		assert_int_equal(rep.gbpa_after, 0);
		assert_failed(&rep, CR2_STEP_NONE, 0);
		assert_no_violations(&m);
	}
}

/* A disabled SMMU: CR2 written directly, CR0 and GBPA not touched. */
static void test_smmu_disabled(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.cr0 = CR0_CMDQEN | CR0_EVENTQEN;
	m.cr0ack = m.cr0;
	assert_int_equal(run(&m, false, &rep), 0);
	assert_int_equal(m.cr2, CR2_VHE_BTM);
	assert_int_equal(m.writes, 1);
	assert_int_equal(m.cr2_writes, 1);
	assert_int_equal(m.gbpa_reads, 0);
	assert_int_equal(m.inval_calls, 0);
	assert_int_equal(m.cr0, CR0_CMDQEN | CR0_EVENTQEN);
	assert_no_violations(&m);
	assert_false(rep.disabled);
	assert_int_equal(rep.cr2_after, CR2_VHE_BTM);
	assert_failed(&rep, CR2_STEP_NONE, 0);
}

/* A disabled SMMU whose CR2.PTM does not stick. */
static void test_smmu_disabled_cr2_stuck(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.cr0 = CR0_CMDQEN;
	m.cr0ack = m.cr0;
	m.cr2_ptm_stuck = true;
	assert_int_equal(run(&m, false, &rep), -EIO);
	assert_int_equal(m.cr2, CR2_VHE_NO_BTM);
	assert_int_equal(m.cr2_writes, 1);
	assert_int_equal(rep.cr2_after, CR2_VHE_NO_BTM);
	assert_failed(&rep, CR2_STEP_CR2_WRITE, -EIO);
	assert_no_violations(&m);
}

/*
 * QEMU 7.2-like GBPA (reads 0, writes ignored) on an SMMU with BTM: the
 * switch must stop before disabling anything.
 */
static void test_no_gbpa(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.has_gbpa = false;
	m.gbpa = 0;
	assert_int_equal(run(&m, false, &rep), -EOPNOTSUPP);
	assert_int_equal(m.cr0_writes, 0);
	assert_int_equal(m.cr2_writes, 0);
	assert_int_equal(m.gbpa_writes, 1);
	assert_int_equal(m.inval_calls, 0);
	assert_int_equal(m.cr2, CR2_VHE_NO_BTM);
	assert_running_as_found(&m, 0);
	assert_no_violations(&m);
	assert_false(rep.disabled);
	assert_int_equal(rep.cr2_after, CR2_VHE_NO_BTM);
	assert_failed(&rep, CR2_STEP_GBPA_ABORT, -EOPNOTSUPP);
	assert_int_equal(rep.failed_steps, BIT(CR2_STEP_GBPA_ABORT));
}

/* Without IDR0.BTM, PTM is RES0: refused before anything is written. */
static void test_no_btm(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_BTM);
	m.idr0 = IDR0_QEMU;
	assert_int_equal(run(&m, true, &rep), -EOPNOTSUPP);
	assert_int_equal(m.writes, 0);
	assert_failed(&rep, CR2_STEP_NO_BTM, -EOPNOTSUPP);
	assert_no_violations(&m);
}

/* Someone else's SMMUEN update in flight: nothing written. */
static void test_cr0_busy(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.cr0ack = CR0_RUNNING & ~CR0_SMMUEN;
	m.ack_stuck = true;
	assert_int_equal(run(&m, false, &rep), -EBUSY);
	assert_int_equal(m.writes, 0);
	assert_failed(&rep, CR2_STEP_CR0_BUSY, -EBUSY);

	model_init(&m, CR2_VHE_NO_BTM);
	m.cr0 = CR0_RUNNING & ~CR0_SMMUEN;
	m.ack_stuck = true;
	assert_int_equal(run(&m, false, &rep), -EBUSY);
	assert_int_equal(m.writes, 0);
	assert_int_equal(m.v_cr2_enabled, 0);
	assert_failed(&rep, CR2_STEP_CR0_BUSY, -EBUSY);
}

/* GBPA already aborts: used as it is, neither written nor restored. */
static void test_gbpa_already_aborts(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.gbpa = GBPA_FIELDS | GBPA_ABORT;
	assert_int_equal(run(&m, false, &rep), 0);
	assert_int_equal(m.gbpa_writes, 0);
	assert_int_equal(m.cr2, CR2_VHE_BTM);
	assert_running_as_found(&m, GBPA_FIELDS | GBPA_ABORT);
	assert_no_violations(&m);
	assert_int_equal(rep.gbpa_before, GBPA_FIELDS | GBPA_ABORT);
	assert_failed(&rep, CR2_STEP_NONE, 0);
}

/* An earlier GBPA update that never completes: nothing written. */
static void test_gbpa_busy(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.gbpa_pending = true;
	m.gbpa_next = GBPA_FIELDS;
	m.gbpa_stuck = true;
	assert_int_equal(run(&m, false, &rep), -ETIMEDOUT);
	assert_int_equal(m.writes, 0);
	assert_int_equal(m.gbpa_reads, POLL_LIMIT + 1);
	assert_int_equal(m.delays, POLL_LIMIT);
	assert_failed(&rep, CR2_STEP_GBPA_WAIT, -ETIMEDOUT);
	assert_false(rep.disabled);
	assert_no_violations(&m);
}

/* The update setting ABORT never completes: the SMMU is left running. */
static void test_gbpa_abort_timeout(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.gbpa_stuck = true;
	assert_int_equal(run(&m, false, &rep), -ETIMEDOUT);
	assert_int_equal(m.gbpa_writes, 1);
	assert_int_equal(m.cr0_writes, 0);
	assert_int_equal(m.cr2_writes, 0);
	assert_int_equal(m.cr2, CR2_VHE_NO_BTM);
	assert_false(rep.disabled);
	assert_failed(&rep, CR2_STEP_GBPA_ABORT, -ETIMEDOUT);
	assert_no_violations(&m);
}

/*
 * CR0ACK.SMMUEN never clears: CR2 untouched, SMMUEN written back, GBPA
 * restored.
 */
static void test_disable_timeout(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.ack_refuses_clear = true;
	assert_int_equal(run(&m, false, &rep), -ETIMEDOUT);
	assert_int_equal(m.cr2_writes, 0);
	assert_int_equal(m.cr2, CR2_VHE_NO_BTM);
	assert_int_equal(m.inval_calls, 0);
	assert_int_equal(m.cr0_writes, 2);
	assert_running_as_found(&m, GBPA_FIELDS);
	assert_int_equal(m.gbpa_writes, 2);
	assert_no_violations(&m);
	assert_true(rep.disabled);
	assert_false(rep.left_disabled);
	assert_int_equal(rep.stopped_polls, POLL_LIMIT);
	assert_int_equal(rep.cr2_after, CR2_VHE_NO_BTM);
	assert_int_equal(rep.gbpa_after, GBPA_FIELDS);
	assert_failed(&rep, CR2_STEP_DISABLE, -ETIMEDOUT);
	assert_int_equal(rep.failed_steps, BIT(CR2_STEP_DISABLE));
}

/*
 * CR0ACK.SMMUEN never sets again: reported, and GBPA keeps ABORT since
 * restoring it would let DMA bypass translation.
 */
static void test_enable_timeout(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.ack_refuses_set = true;
	assert_int_equal(run(&m, false, &rep), -ETIMEDOUT);
	assert_int_equal(m.cr2, CR2_VHE_BTM);
	assert_int_equal(m.inval_calls, 1);
	assert_int_equal(m.cr0, CR0_RUNNING);
	assert_int_equal(m.cr0ack, CR0_RUNNING & ~CR0_SMMUEN);
	assert_int_equal(m.gbpa, GBPA_FIELDS | GBPA_ABORT);
	assert_int_equal(m.gbpa_writes, 1);
	assert_no_violations(&m);
	assert_true(rep.disabled);
	assert_true(rep.left_disabled);
	assert_int_equal(rep.stopped_polls, POLL_LIMIT);
	assert_int_equal(rep.gbpa_after, GBPA_FIELDS | GBPA_ABORT);
	assert_failed(&rep, CR2_STEP_ENABLE, -ETIMEDOUT);
	assert_int_equal(rep.failed_steps, BIT(CR2_STEP_ENABLE));
}

/* The poll gives up after exactly poll_limit delays. */
static void test_poll_limit(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.ack_delay = POLL_LIMIT;
	assert_int_equal(run(&m, false, &rep), 0);
	assert_int_equal(rep.stopped_polls, 2 * POLL_LIMIT);
	assert_no_violations(&m);

	model_init(&m, CR2_VHE_NO_BTM);
	m.ack_delay = POLL_LIMIT + 1;
	assert_int_equal(run(&m, false, &rep), -ETIMEDOUT);
	assert_failed(&rep, CR2_STEP_DISABLE, -ETIMEDOUT);
	assert_int_equal(m.cr2_writes, 0);
	/* SMMUEN written back before CR0ACK followed: no wait for it. */
	assert_int_equal(rep.stopped_polls, POLL_LIMIT);
	assert_running_as_found(&m, GBPA_FIELDS);
	assert_no_violations(&m);
}

/* CR2.PTM does not stick: -EIO, still invalidated, SMMU running again. */
static void test_cr2_write_ignored(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.cr2_ptm_stuck = true;
	assert_int_equal(run(&m, false, &rep), -EIO);
	assert_int_equal(m.cr2, CR2_VHE_NO_BTM);
	assert_int_equal(m.cr2_writes, 1);
	assert_int_equal(m.inval_calls, 1);
	assert_running_as_found(&m, GBPA_FIELDS);
	assert_no_violations(&m);
	assert_int_equal(rep.cr2_after, CR2_VHE_NO_BTM);
	assert_false(rep.left_disabled);
	assert_failed(&rep, CR2_STEP_CR2_WRITE, -EIO);
	assert_int_equal(rep.failed_steps, BIT(CR2_STEP_CR2_WRITE));
}

/*
 * The invalidation fails: the SMMU is enabled again regardless (the model
 * records that as a stale enable, which is the caller's to handle) and the
 * error is the one returned.
 */
static void test_invalidate_fails(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.inval_ret = -ETIMEDOUT;
	assert_int_equal(run(&m, false, &rep), -ETIMEDOUT);
	assert_int_equal(m.cr2, CR2_VHE_BTM);
	assert_int_equal(m.inval_calls, 1);
	assert_running_as_found(&m, GBPA_FIELDS);
	assert_int_equal(m.v_stale_enable, 1);
	m.v_stale_enable = 0;
	assert_no_violations(&m);
	assert_false(rep.left_disabled);
	assert_failed(&rep, CR2_STEP_INVALIDATE, -ETIMEDOUT);
	assert_int_equal(rep.failed_steps, BIT(CR2_STEP_INVALIDATE));
}

/*
 * Service Failure Mode: an SMMU already in it is not touched; one that
 * enters it while disabled for the switch stays disabled, aborting (the
 * driver's error handler, held off meanwhile, then disables it for good).
 */
static void test_service_failure(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.gerror = GERROR_SFM_ERR;
	assert_int_equal(run(&m, false, &rep), -EIO);
	assert_failed(&rep, CR2_STEP_SFM, -EIO);
	assert_int_equal(m.writes, 0);
	assert_false(rep.disabled);
	assert_no_violations(&m);

	model_init(&m, CR2_VHE_NO_BTM);
	m.sfm_in_inval = true;
	assert_int_equal(run(&m, false, &rep), -EIO);
	assert_failed(&rep, CR2_STEP_SFM, -EIO);
	assert_int_equal(rep.failed_steps, BIT(CR2_STEP_SFM));
	assert_true(rep.disabled);
	assert_true(rep.left_disabled);
	assert_int_equal(m.cr0, CR0_RUNNING & ~CR0_SMMUEN);
	assert_int_equal(m.gbpa, GBPA_FIELDS | GBPA_ABORT);
	assert_no_violations(&m);
}

/* Two failures: the first is returned, both are in the mask. */
static void test_failures_accumulate(void **state)
{
	struct cr2_switch_report rep;
	struct model m;

	(void)state;
	model_init(&m, CR2_VHE_NO_BTM);
	m.inval_ret = -ENOMEM;
	m.ack_refuses_set = true;
	assert_int_equal(run(&m, false, &rep), -ENOMEM);
	assert_failed(&rep, CR2_STEP_INVALIDATE, -ENOMEM);
	assert_int_equal(rep.failed_steps,
			 BIT(CR2_STEP_INVALIDATE) | BIT(CR2_STEP_ENABLE));
	assert_true(rep.left_disabled);
	assert_int_equal(m.gbpa, GBPA_FIELDS | GBPA_ABORT);
	assert_int_equal(m.v_bypass, 0);

	model_init(&m, CR2_VHE_NO_BTM);
	m.cr2_ptm_stuck = true;
	m.inval_ret = -EIO;
	assert_int_equal(run(&m, false, &rep), -EIO);
	assert_failed(&rep, CR2_STEP_CR2_WRITE, -EIO);
	assert_int_equal(rep.failed_steps,
			 BIT(CR2_STEP_CR2_WRITE) | BIT(CR2_STEP_INVALIDATE));
	assert_running_as_found(&m, GBPA_FIELDS);
}

/* Drives the model straight, as a broken switch would. */
static void wr(struct model *m, unsigned int offset, u32 val)
{
	model_write(m, offset, val);
}

static u32 rd(struct model *m, unsigned int offset)
{
	return model_read(m, offset);
}

/* Sets GBPA.ABORT and waits for it, as the switch does. */
static void abort_on(struct model *m)
{
	wr(m, SMMU_GBPA, m->gbpa | GBPA_ABORT | GBPA_UPDATE);
	while (rd(m, SMMU_GBPA) & GBPA_UPDATE)
		;
}

/* Clears SMMUEN and waits for CR0ACK, as the switch does. */
static void smmu_off(struct model *m)
{
	wr(m, SMMU_CR0, m->cr0 & ~CR0_SMMUEN);
	while (rd(m, SMMU_CR0ACK) & CR0_SMMUEN)
		;
}

/*
 * The model's records catch the wrong orders a broken switch could use,
 * so that the cases above can fail.
 */
static void test_model_catches(void **state)
{
	struct model m;

	(void)state;
	/* CR2 written on a running SMMU: ignored and recorded. */
	model_init(&m, CR2_VHE_NO_BTM);
	model_start(&m);
	wr(&m, SMMU_CR2, CR2_VHE_BTM);
	assert_int_equal(m.v_cr2_enabled, 1);
	assert_int_equal(m.cr2, CR2_VHE_NO_BTM);

	/* CR2 written before CR0ACK.SMMUEN followed SMMUEN to 0. */
	model_init(&m, CR2_VHE_NO_BTM);
	m.ack_delay = 2;
	model_start(&m);
	abort_on(&m);
	wr(&m, SMMU_CR0, CR0_RUNNING & ~CR0_SMMUEN);
	wr(&m, SMMU_CR2, CR2_VHE_BTM);
	assert_int_equal(m.v_cr2_enabled, 1);
	assert_int_equal(m.v_bypass, 0);

	/* SMMUEN cleared without ABORT. */
	model_init(&m, CR2_VHE_NO_BTM);
	model_start(&m);
	wr(&m, SMMU_CR0, CR0_RUNNING & ~CR0_SMMUEN);
	assert_int_equal(m.v_bypass, 1);

	/* SMMUEN cleared before the update setting ABORT completed. */
	model_init(&m, CR2_VHE_NO_BTM);
	m.gbpa_delay = 2;
	model_start(&m);
	wr(&m, SMMU_GBPA, GBPA_FIELDS | GBPA_ABORT | GBPA_UPDATE);
	wr(&m, SMMU_CR0, CR0_RUNNING & ~CR0_SMMUEN);
	assert_int_equal(m.v_bypass, 1);

	/* SMMUEN set again without invalidating after the CR2 write. */
	model_init(&m, CR2_VHE_NO_BTM);
	model_start(&m);
	abort_on(&m);
	smmu_off(&m);
	wr(&m, SMMU_CR2, CR2_VHE_BTM);
	wr(&m, SMMU_CR0, CR0_RUNNING);
	assert_int_equal(m.v_stale_enable, 1);
	assert_int_equal(m.v_cr2_enabled, 0);
	assert_int_equal(m.v_bypass, 0);

	/* Invalidation before the CR2 write, or while still running. */
	model_init(&m, CR2_VHE_NO_BTM);
	model_start(&m);
	assert_int_equal(model_invalidate_all(&m, true), 0);
	assert_int_equal(m.v_inval_outside, 1);
	abort_on(&m);
	smmu_off(&m);
	assert_int_equal(model_invalidate_all(&m, true), 0);
	assert_int_equal(m.v_inval_outside, 2);
	wr(&m, SMMU_CR2, CR2_VHE_BTM);
	assert_int_equal(model_invalidate_all(&m, true), 0);
	assert_int_equal(m.v_inval_outside, 2);
	wr(&m, SMMU_CR0, CR0_RUNNING);
	assert_int_equal(m.v_stale_enable, 0);

	/* GBPA restored before CR0ACK.SMMUEN is back at 1. */
	model_init(&m, CR2_VHE_NO_BTM);
	m.ack_delay = 2;
	model_start(&m);
	abort_on(&m);
	smmu_off(&m);
	wr(&m, SMMU_CR0, CR0_RUNNING);
	wr(&m, SMMU_GBPA, GBPA_FIELDS | GBPA_UPDATE);
	rd(&m, SMMU_GBPA);
	assert_int_equal(m.v_bypass, 1);

	/* CR0 written without CMDQEN: the invalidation cannot run. */
	model_init(&m, CR2_VHE_NO_BTM);
	model_start(&m);
	abort_on(&m);
	wr(&m, SMMU_CR0, 0);
	wr(&m, SMMU_CR2, CR2_VHE_BTM);
	assert_int_equal(model_invalidate_all(&m, true), -EIO);
	assert_int_equal(m.v_inval_no_cmdq, 1);

	/* GBPA written without Update, or during an update. */
	model_init(&m, CR2_VHE_NO_BTM);
	m.gbpa_delay = 1;
	model_start(&m);
	wr(&m, SMMU_GBPA, GBPA_FIELDS | GBPA_ABORT);
	assert_int_equal(m.v_gbpa_misuse, 1);
	wr(&m, SMMU_GBPA, GBPA_FIELDS | GBPA_ABORT | GBPA_UPDATE);
	wr(&m, SMMU_GBPA, GBPA_FIELDS | GBPA_UPDATE);
	assert_int_equal(m.v_gbpa_misuse, 2);

	/* An SMMU found disabled and bypassing is not a new bypass. */
	model_init(&m, CR2_VHE_NO_BTM);
	m.cr0 = CR0_CMDQEN;
	m.cr0ack = CR0_CMDQEN;
	model_start(&m);
	rd(&m, SMMU_CR0);
	assert_int_equal(m.v_bypass, 0);
}

static void test_step_names(void **state)
{
	static const char * const names[CR2_NR_STEPS] = {
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
	int i;

	(void)state;
	for (i = 0; i < CR2_NR_STEPS; i++) {
		assert_non_null(names[i]);
		assert_string_equal(cr2_switch_step_name(i), names[i]);
	}
	assert_string_equal(cr2_switch_step_name(CR2_NR_STEPS), "unknown");
	assert_string_equal(cr2_switch_step_name((enum cr2_switch_step)-1),
			    "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clear_ptm_live),
		cmocka_unit_test(test_clear_ptm_live_el1),
		cmocka_unit_test(test_set_ptm_live),
		cmocka_unit_test(test_already_at_value),
		cmocka_unit_test(test_smmu_disabled),
		cmocka_unit_test(test_smmu_disabled_cr2_stuck),
		cmocka_unit_test(test_no_gbpa),
		cmocka_unit_test(test_no_btm),
		cmocka_unit_test(test_cr0_busy),
		cmocka_unit_test(test_gbpa_already_aborts),
		cmocka_unit_test(test_gbpa_busy),
		cmocka_unit_test(test_gbpa_abort_timeout),
		cmocka_unit_test(test_disable_timeout),
		cmocka_unit_test(test_enable_timeout),
		cmocka_unit_test(test_poll_limit),
		cmocka_unit_test(test_cr2_write_ignored),
		cmocka_unit_test(test_invalidate_fails),
		cmocka_unit_test(test_failures_accumulate),
		cmocka_unit_test(test_service_failure),
		cmocka_unit_test(test_model_catches),
		cmocka_unit_test(test_step_names),
	};

	return cmocka_run_group_tests_name("cr2_switch", tests, NULL, NULL);
}
