/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmu_notifier of the provider's SVA domains: the invalidation shim.
 */
#ifndef SMMU_BTM_SVA_NOTIFIER_H
#define SMMU_BTM_SVA_NOTIFIER_H

#include <linux/types.h>

struct btm_sva;
struct inv_batch;

int btm_shim_init(void);
int btm_shim_register(struct btm_sva *sva);
void btm_shim_put(struct btm_sva *sva);
void btm_shim_exit(void);
int btm_shim_local_get(void);
void btm_shim_local_put(void);
void btm_shim_flush(struct btm_sva *sva);

/* For the generations' ways of reaching an SVA domain's masters (src/gen/). */
void btm_shim_plan_master_atcs(struct inv_batch *b, void *master, u32 ssid,
			       u64 start, u64 size);
bool btm_shim_domain_ats(void *sd);

#endif /* SMMU_BTM_SVA_NOTIFIER_H */
