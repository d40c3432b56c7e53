// SPDX-License-Identifier: GPL-2.0
/*
 * Which masters of an SMMU stall and which use ATS, and the status file's
 * lists of them. Pure logic: compiled into the module and into the host
 * unit tests.
 */
#include <linux/string.h>

#include "smmu_masters.h"

static void list_append(struct master_list *l, const char *s, size_t n)
{
	if (l->len) {
		memcpy(l->text + l->len, ", ", 2);
		l->len += 2;
	}
	memcpy(l->text + l->len, s, n);
	l->len += n;
	l->text[l->len] = '\0';
}

/**
 * master_list_add() - count a master, and name it while there is room
 * @l: the list, zeroed before the first master
 * @name: the master's device name
 *
 * The first MASTER_LIST_NAMES masters are named, each as long as its name
 * leaves room for the ", ..." that a later one may need: a field report
 * shows which masters these are without a line that grows with the board.
 * The first master left unnamed ends the text in "...".
 */
void master_list_add(struct master_list *l, const char *name)
{
	static const char more[] = "...";
	size_t n = strlen(name);

	l->count++;
	if (l->count > l->named + 1)
		return;
	/* ", " and the name, then ", ..." and the NUL still fit after them */
	if (l->named < MASTER_LIST_NAMES &&
	    l->len + (l->len ? 2 : 0) + n + sizeof(", ...") <= sizeof(l->text)) {
		list_append(l, name, n);
		l->named++;
		return;
	}
	list_append(l, more, sizeof(more) - 1);
}

/**
 * smmu_master_stalls() - whether the driver makes a master stall on faults
 * @model: the SMMU's IDR0.STALL_MODEL
 * @dma_can_stall: the master has the firmware property "dma-can-stall"
 *
 * The arm-smmu-v3 driver's rule in arm_smmu_probe_device(): the master
 * stalls when the SMMU supports stalls and the firmware says the master
 * can take them, or when the SMMU forces stalls on every master. Its CDs
 * then set CD.S, and an SVA CD of smmu-btm's must too.
 *
 * Return: true for a stall master.
 */
bool smmu_master_stalls(enum smmu_stall_model model, bool dma_can_stall)
{
	switch (model) {
	case SMMU_STALL_FORCED:
		return true;
	case SMMU_STALL_BOTH:
		return dma_can_stall;
	default:
		return false;
	}
}

/**
 * smmu_master_ats_capable() - whether the driver would enable ATS for a master
 * @feat: the SMMU's features
 * @rc_ats: the firmware says the master's root complex supports ATS
 *	    (IORT's or the device tree's; IOMMU_FWSPEC_PCI_RC_ATS)
 * @dev_ats: the PCI master has an ATS capability the kernel may use
 *	     (pci_ats_supported(): not for an untrusted device)
 *
 * The driver's rule (arm_smmu_ats_supported()): all three. It enables ATS
 * when it attaches a domain that allows it, so a capable master need not
 * have it on.
 *
 * Return: true where ATS can be enabled for the master.
 */
bool smmu_master_ats_capable(const struct smmu_features *feat, bool rc_ats,
			     bool dev_ats)
{
	return feat->ats && rc_ats && dev_ats;
}
