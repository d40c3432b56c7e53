/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmu_notifier of the provider's SVA domains: the invalidation shim.
 */
#ifndef SMMU_BTM_SVA_NOTIFIER_H
#define SMMU_BTM_SVA_NOTIFIER_H

#include "binding.h"

struct btm_sva;

int btm_notifier_init(const struct btm_binding *binding);
int btm_sva_notifier_register(struct btm_sva *sva);
void btm_sva_notifier_put(struct btm_sva *sva);
void btm_notifier_exit(void);
void btm_sva_flush(struct btm_sva *sva);

#endif /* SMMU_BTM_SVA_NOTIFIER_H */
