/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which masters of an SMMU stall on faults and which use PCIe ATS, as the
 * arm-smmu-v3 driver decides it, and the lists the status file names them
 * in. Pure logic: no kernel dependencies; compiled into the module and
 * into the host tests.
 */
#ifndef SMMU_BTM_MASTERS_H
#define SMMU_BTM_MASTERS_H

#include <linux/types.h>

#include "smmu_regs.h"

/* The masters a list names; past them it ends in "...". */
#define MASTER_LIST_NAMES	8
/*
 * Room for eight names of 17 characters ("2f000000.hisi_sec"; a PCI name,
 * "0001:40:00.0", has 12) with their separators; fewer longer ones.
 */
#define MASTER_LIST_TEXT	160

/**
 * struct master_list - masters counted, the first few of them named
 * @count: the masters added
 * @named: how many of them @text names
 * @len: the length of @text
 * @text: their names, ", " between two, then ", ..." when @count is more
 *	  than @named; NUL-terminated
 */
struct master_list {
	unsigned int count;
	unsigned int named;
	size_t len;
	char text[MASTER_LIST_TEXT];
};

/**
 * struct smmu_masters - the masters of one SMMU the status file names
 * @stall: the masters the driver made stall on faults
 * @ats: the PCI masters with ATS enabled
 * @ats_capable: the PCI masters the driver would enable ATS for
 */
struct smmu_masters {
	struct master_list stall;
	struct master_list ats;
	struct master_list ats_capable;
};

void master_list_add(struct master_list *l, const char *name);
bool smmu_master_stalls(enum smmu_stall_model model, bool dma_can_stall);
bool smmu_master_ats_capable(const struct smmu_features *feat, bool rc_ats,
			     bool dev_ats);

#endif /* SMMU_BTM_MASTERS_H */
