/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.2 to 6.9: the provider's SVA CDs in the CD table of each device's DMA
 * domain, written with the driver's own CD writer.
 */
#ifndef SMMU_BTM_SVA_CD_TABLE_H
#define SMMU_BTM_SVA_CD_TABLE_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "binding.h"

struct btm_sva;
struct device;

/**
 * struct btm_sva_attach - an SVA domain's CD in one DMA domain's CD table
 * @node: entry in the SVA domain's list of attachments (RCU: the notifier
 *	  reads it)
 * @all: entry in the list of every attachment of every SVA domain
 * @sva: the SVA domain
 * @dma: the driver's DMA domain whose CD table holds the CD
 * @pasid: the CD's SSID there
 * @users: devices attached through it (the masters of a group share the
 *	   DMA domain, so its table, and the PASID)
 * @rcu: frees it after readers are done
 */
struct btm_sva_attach {
	struct list_head node;
	struct list_head all;
	struct btm_sva *sva;
	void *dma;
	u32 pasid;
	unsigned int users;
	struct rcu_head rcu;
};

int btm_cdt_init(const struct btm_binding *binding);
int btm_cdt_attach(struct btm_sva *sva, struct device *dev, u32 pasid,
		   const u64 cd[4]);
void btm_cdt_detach(struct btm_sva *sva, struct device *dev, u32 pasid);
void btm_cdt_quiesce(struct btm_sva *sva);

#endif /* SMMU_BTM_SVA_CD_TABLE_H */
