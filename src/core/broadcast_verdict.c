// SPDX-License-Identifier: GPL-2.0
/*
 * The broadcast check's pure logic: the GATOS register encodings (IHI 0070
 * 6.3, chapter 9) and the verdict from the observer's three lookups.
 */
#include <linux/bits.h>
#include <linux/types.h>

#include "broadcast_verdict.h"

/* SMMU_GATOS_SID */
#define GATOS_SID_SSID_SHIFT	32
#define GATOS_SID_SSID_MASK	GENMASK_ULL(51, 32)
#define GATOS_SID_SSID_VALID	BIT_ULL(52)
/* SMMU_GATOS_ADDR: ADDR [63:12], TYPE [11:10], PnU [9], RnW [8] */
#define GATOS_ADDR_ADDR		GENMASK_ULL(63, 12)
#define GATOS_ADDR_TYPE_S1	BIT_ULL(10)	/* TYPE 0b01: stage 1 */
#define GATOS_ADDR_RNW		BIT_ULL(8)
/* SMMU_GATOS_PAR */
#define GATOS_PAR_FAULT		BIT_ULL(0)
#define GATOS_PAR_FAULTCODE	GENMASK_ULL(11, 4)
#define GATOS_PAR_FAULTCODE_SHIFT 4
#define GATOS_PAR_SIZE		BIT_ULL(11)
#define GATOS_PAR_ADDR		GENMASK_ULL(55, 12)

/**
 * tlbi_va_arg() - the operand of a CPU's TLBI by VA for 4KB, 16KB or 64KB pages
 * @va: the address
 * @asid: the ASID
 *
 * VA[55:12] in bits [43:0], the ASID in bits [63:48] (Arm ARM, TLBI VAE1):
 * the same for every granule, as the low bits of a larger page's number
 * are ignored.
 *
 * Return: the operand.
 */
u64 tlbi_va_arg(u64 va, u16 asid)
{
	return ((va >> 12) & GENMASK_ULL(43, 0)) | ((u64)asid << 48);
}

/**
 * tlbi_asid_arg() - the operand of a CPU's TLBI by ASID
 * @asid: the ASID
 *
 * Return: the ASID in bits [63:48].
 */
u64 tlbi_asid_arg(u16 asid)
{
	return (u64)asid << 48;
}

/**
 * tlbi_range2_arg() - the operand of a CPU's range TLBI of two pages
 * @va: the first page's address
 * @asid: the ASID
 * @page_shift: the CPU's page size, log2 (12, 14 or 16)
 *
 * Arm ARM, TLBI RVAE1: ASID [63:48], TG [47:46] (the granule: 0b01 4KB,
 * 0b10 16KB, 0b11 64KB), SCALE [45:44] and NUM [43:39] (pages =
 * (NUM + 1) << (5 * SCALE + 1): 0 and 0 for two, the smallest range),
 * TTL [38:37] 0 (no hint), BaseADDR [36:0] the page number.
 *
 * Return: the operand, or 0 for a page size the CPU has no TG for.
 */
u64 tlbi_range2_arg(u64 va, u16 asid, unsigned int page_shift)
{
	u64 tg;

	switch (page_shift) {
	case 12:
		tg = 1;
		break;
	case 14:
		tg = 2;
		break;
	case 16:
		tg = 3;
		break;
	default:
		return 0;
	}
	return ((u64)asid << 48) | (tg << 46) |
	       ((va >> page_shift) & GENMASK_ULL(36, 0));
}

/**
 * gatos_sid_value() - the SMMU_GATOS_SID value for a lookup
 * @sid: the StreamID
 * @ssid_valid: whether the lookup is for a substream
 * @ssid: the SubstreamID (the PASID), used when @ssid_valid
 *
 * Return: the register value.
 */
u64 gatos_sid_value(u32 sid, bool ssid_valid, u32 ssid)
{
	u64 v = sid;

	if (ssid_valid)
		v |= (((u64)ssid << GATOS_SID_SSID_SHIFT) & GATOS_SID_SSID_MASK) |
		     GATOS_SID_SSID_VALID;
	return v;
}

/**
 * gatos_addr_value() - the SMMU_GATOS_ADDR value for the check's lookup
 * @va: the address to translate
 *
 * A stage 1 lookup of an unprivileged data read: how the device reads the
 * bound process's page.
 *
 * Return: the register value.
 */
u64 gatos_addr_value(u64 va)
{
	return (va & GATOS_ADDR_ADDR) | GATOS_ADDR_TYPE_S1 | GATOS_ADDR_RNW;
}

/**
 * gatos_par_decode() - read an SMMU_GATOS_PAR result
 * @par: the register value, read once GATOS_CTRL.RUN is 0 again
 * @pa: the translated page's address, when it translated
 * @fault_code: the FAULTCODE, when it did not
 *
 * Return: true when the lookup translated.
 */
bool gatos_par_decode(u64 par, u64 *pa, unsigned int *fault_code)
{
	u64 addr;

	if (par & GATOS_PAR_FAULT) {
		*fault_code = (par & GATOS_PAR_FAULTCODE) >>
			      GATOS_PAR_FAULTCODE_SHIFT;
		return false;
	}
	addr = par & GATOS_PAR_ADDR;
	/* Over 4KB, the lowest set bit of ADDR gives the size: clear it. */
	if ((par & GATOS_PAR_SIZE) && addr)
		addr &= ~(addr & -addr);
	*pa = addr;
	*fault_code = 0;
	return true;
}

/**
 * bcheck_decide() - the verdict from one run of the check
 * @obs: the three lookups and the two pages
 * @why: set to one line saying why
 *
 * Delivered only when the observer first showed that it can see a stale
 * entry (the negative control): an observer that never sees one, such as
 * an SMMU that walks the tables for every ATOS lookup, would call any
 * board delivered.
 *
 * Return: the verdict.
 */
enum bcheck_verdict bcheck_decide(const struct bcheck_obs *obs,
				  const char **why)
{
	if (!obs->before.ok || obs->before.pa != obs->old_pa) {
		*why = "the observer did not translate the test page to its page";
		return BCHECK_UNPROVEN;
	}
	if (!obs->stale.ok || obs->stale.pa != obs->old_pa) {
		*why = "negative control failed: no stale entry seen without an invalidation";
		return BCHECK_UNPROVEN;
	}
	if (!obs->after.ok) {
		*why = "the observer did not translate the test page after the broadcast";
		return BCHECK_UNPROVEN;
	}
	if (obs->after.pa == obs->new_pa) {
		*why = "stale without an invalidation, fresh after the CPU's broadcast";
		return BCHECK_DELIVERED;
	}
	if (obs->after.pa == obs->old_pa) {
		*why = "the stale entry outlived the CPU's broadcast TLBI";
		return BCHECK_NOT_DELIVERED;
	}
	*why = "the observer translated the test page to neither page";
	return BCHECK_UNPROVEN;
}

static bool first_of(const enum bcheck_verdict *kinds, unsigned int n,
		     enum bcheck_verdict v, unsigned int *at)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (kinds[i] == v) {
			*at = i;
			return true;
		}
	return false;
}

/**
 * bcheck_combine() - one SMMU's verdict from those of each kind checked
 * @kinds: the verdicts, one per kind of broadcast
 * @n: how many
 * @decisive: set to the index of the kind that decided
 *
 * One kind lost is a board that loses broadcasts: NOT delivered wins. Then
 * unproven: every kind must have been proven for delivered.
 *
 * Return: the verdict, BCHECK_NOT_RUN when @n is 0.
 */
enum bcheck_verdict bcheck_combine(const enum bcheck_verdict *kinds,
				   unsigned int n, unsigned int *decisive)
{
	if (first_of(kinds, n, BCHECK_NOT_DELIVERED, decisive))
		return BCHECK_NOT_DELIVERED;
	if (first_of(kinds, n, BCHECK_UNPROVEN, decisive))
		return BCHECK_UNPROVEN;
	if (first_of(kinds, n, BCHECK_DELIVERED, decisive))
		return BCHECK_DELIVERED;
	*decisive = 0;
	return BCHECK_NOT_RUN;
}

/**
 * bcheck_observers() - an SMMU's verdict over its two observers
 * @atos: the verdict by ATOS
 * @device: the verdict by a device
 *
 * Lost for one observer is lost. Otherwise one observer's proof is enough:
 * the other may simply be unable to tell (no ATOS, an ATOS that walks).
 *
 * Return: NOT delivered if either says so, else delivered if either does,
 * else unproven if either ran, else not run.
 */
enum bcheck_verdict bcheck_observers(enum bcheck_verdict atos,
				     enum bcheck_verdict device)
{
	if (atos == BCHECK_NOT_DELIVERED || device == BCHECK_NOT_DELIVERED)
		return BCHECK_NOT_DELIVERED;
	if (atos == BCHECK_DELIVERED || device == BCHECK_DELIVERED)
		return BCHECK_DELIVERED;
	if (atos == BCHECK_UNPROVEN || device == BCHECK_UNPROVEN)
		return BCHECK_UNPROVEN;
	return BCHECK_NOT_RUN;
}

/**
 * bcheck_kind_name() - a kind of broadcast, for people
 * @kind: the kind
 *
 * Return: a constant string.
 */
const char *bcheck_kind_name(enum bcheck_kind kind)
{
	switch (kind) {
	case BCHECK_BY_VA:
		return "by VA";
	case BCHECK_BY_ASID:
		return "by ASID";
	case BCHECK_BY_RANGE:
		return "by range";
	default:
		return "?";
	}
}

/**
 * bcheck_verdict_name() - the status file's word for a verdict
 * @verdict: the verdict
 *
 * Return: a constant string.
 */
const char *bcheck_verdict_name(enum bcheck_verdict verdict)
{
	switch (verdict) {
	case BCHECK_DELIVERED:
		return "delivered";
	case BCHECK_NOT_DELIVERED:
		return "NOT delivered";
	case BCHECK_UNPROVEN:
		return "unproven";
	default:
		return "not run";
	}
}
