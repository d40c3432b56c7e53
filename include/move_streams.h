/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.10+: the CDs an ASID move rewrites, found through the domain's list
 * and the SMMU's stream tree, and rewritten with the driver's CD writer.
 */
#ifndef SMMU_BTM_MOVE_STREAMS_H
#define SMMU_BTM_MOVE_STREAMS_H

#include <linux/types.h>

struct btm_cd_ref;
struct btm_move;

int btm_streams_find_cds(struct btm_move *m);
int btm_streams_write_cd(struct btm_move *m, struct btm_cd_ref *ref, u16 asid);
unsigned int btm_streams_unlisted_cds(void *smmu_domain, u16 asid);

#endif /* SMMU_BTM_MOVE_STREAMS_H */
