/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.2 to 6.x: covering an ASID move with kprobes on the driver's
 * invalidation entry points.
 */
#ifndef SMMU_BTM_MOVE_PROBES_H
#define SMMU_BTM_MOVE_PROBES_H

#include <linux/types.h>

struct btm_move;
struct btm_move_stats;

int btm_probes_init(void);
int btm_probes_get(void);
void btm_probes_put(void);
int btm_probes_arm(void);
void btm_probes_disarm(void);
void btm_probes_publish(struct btm_move *m, const u16 *asids, unsigned int n);
void btm_probes_tlbi(struct btm_move *m, u16 asid);
void btm_probes_read_stats(struct btm_move_stats *stats);

/* A generation's ASID moves covered by the probes, in its table. */
#define BTM_GEN_MOVE_PROBES					\
	.move_cover_get = btm_probes_get,			\
	.move_cover_put = btm_probes_put,			\
	.move_cover_arm = btm_probes_arm,			\
	.move_cover_disarm = btm_probes_disarm,			\
	.move_publish = btm_probes_publish,			\
	.move_tlbi = btm_probes_tlbi,				\
	.move_read_stats = btm_probes_read_stats

#endif /* SMMU_BTM_MOVE_PROBES_H */
