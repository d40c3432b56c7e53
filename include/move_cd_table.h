/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.2 to 6.8: the ASID move's CD, SSID 0 of a CD table the driver writes
 * with arm_smmu_write_ctx_desc().
 */
#ifndef SMMU_BTM_MOVE_CD_TABLE_H
#define SMMU_BTM_MOVE_CD_TABLE_H

#include <linux/types.h>

struct btm_move;

int btm_cdt_move_find_cds(struct btm_move *m);
void btm_cdt_move_ctx_desc(struct btm_move *m, u16 asid, u64 *copy);

#endif /* SMMU_BTM_MOVE_CD_TABLE_H */
