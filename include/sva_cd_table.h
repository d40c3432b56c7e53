/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.2 to 6.8: the provider's SVA CDs in the CD table of each device's DMA
 * domain (to 6.6) or of the device's master (6.7, 6.8), written with the
 * driver's own CD writer.
 */
#ifndef SMMU_BTM_SVA_CD_TABLE_H
#define SMMU_BTM_SVA_CD_TABLE_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct btm_sva;
struct device;
struct inv_batch;

/**
 * struct btm_sva_attach - an SVA domain's CD in one CD table
 * @node: entry in the SVA domain's list of attachments (RCU: the notifier
 *	  reads it)
 * @all: entry in the list of every attachment of every SVA domain
 * @sva: the SVA domain
 * @dma: the driver's DMA domain of the device(s): to 6.6 its CD table
 *	 holds the CD; its masters are the ATC invalidation's targets
 * @table: what holds the CD table: @dma to 6.6, the master from 6.7
 * @pasid: the CD's SSID there
 * @users: devices attached through it (to 6.6 the masters of a group share
 *	   the DMA domain, so its table, and the PASID; from 6.7 one)
 * @bonds: a placeholder on each attached master's list of bonds
 *	   (struct btm_bond_hold), so that the driver keeps SVA enabled,
 *	   and with it the DMA domain, while the CD is in its table, and
 *	   until no reader of @node can still hold @dma
 */
struct btm_sva_attach {
	struct list_head node;
	struct list_head all;
	struct btm_sva *sva;
	void *dma;
	void *table;
	u32 pasid;
	unsigned int users;
	struct list_head bonds;
};

int btm_cdt_shim_init(void);
bool btm_cdt_ats_possible(struct btm_sva *sva);
void btm_cdt_plan_atcs(struct inv_batch *b, struct btm_sva *sva, u64 start,
		       u64 size);
int btm_cdt_attach(struct btm_sva *sva, struct device *dev, u32 pasid,
		   const u64 cd[4]);
void btm_cdt_detach(struct btm_sva *sva, struct device *dev, u32 pasid);
void btm_cdt_quiesce(struct btm_sva *sva);

#endif /* SMMU_BTM_SVA_CD_TABLE_H */
