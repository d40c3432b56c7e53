// SPDX-License-Identifier: GPL-2.0
/*
 * 6.2 to 6.8: the ASID move of a domain whose CDs live in CD tables the
 * driver writes with arm_smmu_write_ctx_desc(): the CD to rewrite is SSID 0
 * of the domain's table (to 6.6) or of each master's (6.7, 6.8), written
 * from a copy of the domain's context descriptor on the new ASID. Given a
 * live CD, the driver's writer changes only its ASID (and would write the
 * whole CD from the copy, as the driver would, were it not live), then
 * sends CMD_CFGI_CD for every master using the table and a sync.
 *
 * Design: doc/asid-move.md.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "driver_domain.h"
#include "move_cd_table.h"
#include "move_private.h"

/**
 * btm_cdt_move_find_cds() - the one CD a move rewrites: SSID 0, for every
 * master (the domain's table to 6.6; each master's from 6.7, which the
 * generation's writer walks)
 * @m: the move
 *
 * Return: 0, or -ENOMEM.
 */
int btm_cdt_move_find_cds(struct btm_move *m)
{
	m->cds = kzalloc(sizeof(*m->cds), GFP_KERNEL);
	if (!m->cds)
		return -ENOMEM;
	m->nr_cds = 1;
	return 0;
}

/**
 * btm_cdt_move_ctx_desc() - a copy of the moving domain's context
 * descriptor (struct arm_smmu_ctx_desc) on another ASID
 * @m: the move
 * @asid: the ASID
 * @copy: filled in; MOVE_CD_MAX_BYTES long
 */
void btm_cdt_move_ctx_desc(struct btm_move *m, u16 asid, u64 *copy)
{
	memcpy(copy, BTM_AT(m->smmu_domain, DOMAIN_CD_OFF), MOVE_CTX_DESC_BYTES);
	*(u16 *)BTM_AT(copy, BTM_OFF_arm_smmu_ctx_desc__asid) = asid;
}
