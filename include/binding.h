/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Binding to the running arm-smmu-v3 driver: its non-exported functions and
 * data, found through kallsyms and validated, and the check that the
 * structure layouts compiled in (from the target kernel's BTF) belong to the
 * running kernel.
 */
#ifndef SMMU_BTM_BINDING_H
#define SMMU_BTM_BINDING_H

#include <linux/types.h>

#include "btm_decision.h"

/* Every driver function and variable smmu-btm uses; see binding.c. */
enum btm_sym {
	BTM_SYM_OPS,
	BTM_SYM_DEVICE_RESET,
	BTM_SYM_CMDQ_ISSUE_CMDLIST,
	BTM_SYM_ASID_XA,
	BTM_SYM_ASID_LOCK,
	BTM_SYM_TLB_INV_ASID,
	BTM_SYM_TLB_INV_RANGE_ASID,
	BTM_SYM_ATC_INV_DOMAIN,
	BTM_SYM_DOMAIN_INV_RANGE,
	BTM_SYM_WRITE_CTX_DESC,
	BTM_SYM_WRITE_CD_ENTRY,
	BTM_SYM_GET_CD_PTR,
	BTM_SYM_MAKE_S1_CD,
	BTM_SYM_DOMAIN_FINALISE,
	BTM_SYM_TLB_INV_CONTEXT,
	BTM_SYM_TLB_INV_WALK,
	BTM_SYM_DOMAIN_ALLOC,
	BTM_SYM_SET_PASID,
	BTM_SYM_QUIET_CD,
	BTM_SYM_SVA_LOCK,
	BTM_SYM_NR,
};

/**
 * struct btm_binding - what was resolved, and how it was checked
 * @gen: the driver generation the build-time BTF showed
 * @resolved: how many symbols were resolved and validated
 * @required: how many this generation requires
 * @btf: "verified" when the running kernel's BTF has the CRC the layout was
 *	 built from, "unavailable" when the kernel exposes no BTF
 */
struct btm_binding {
	enum btm_driver_gen gen;
	unsigned int resolved;
	unsigned int required;
	const char *btf;
};

int btm_check_kernel(struct btm_binding *binding);
int btm_bind_symbols(struct btm_binding *binding, const void *driver_ops,
		     const char *missing);
const char *btm_sym_name(enum btm_sym sym);

int btm_kallsyms_init(void);
unsigned long btm_kallsyms_lookup(const char *name);
int btm_kallsyms_for_each(int (*fn)(void *data, const char *name,
				    unsigned long addr), void *data);

#endif /* SMMU_BTM_BINDING_H */
