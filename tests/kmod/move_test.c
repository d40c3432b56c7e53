// SPDX-License-Identifier: GPL-2.0
/*
 * smmu_btm_ktest: ASID moves of the live DMA domain of the guest's
 * virtio-blk disk, through src/domain_move.c, while the harness reads the
 * disk and checksums it (tests/guest/tests.sh). Then the conflict an SVA
 * bind meets: the disk's domain is put on the test mm's CPU ASID, and the
 * mm's pin takes that ASID from it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/iommu.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "asid_alloc.h"
#include "binding.h"
#include "domain_move.h"
#include "generated/layout.h"
#include "ktest.h"
#include "sva_mm.h"

#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_BLK_LEGACY	0x1001
#define VIRTIO_BLK_MODERN	0x1042

/* Owner of the ASIDs the driver holds, and of those the test blocks. */
static int foreign, blocker;

static void *kt_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static void kt_free(void *ptr)
{
	kvfree(ptr);
}

static const struct asid_alloc_ops kt_alloc_ops = {
	.zalloc = kt_zalloc,
	.free = kt_free,
};

static struct pci_dev *find_disk(void)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (pdev->vendor == VIRTIO_VENDOR &&
		    (pdev->device == VIRTIO_BLK_LEGACY ||
		     pdev->device == VIRTIO_BLK_MODERN) &&
		    iommu_get_domain_for_dev(&pdev->dev))
			return pdev;
	return NULL;
}

static unsigned int driver_asid_count(struct xarray *xa)
{
	unsigned long index;
	unsigned int n = 0;
	void *entry;

	xa_for_each(xa, index, entry)
		n++;
	return n;
}

/* Move @domain @moves times, a short pause between: DMA runs meanwhile. */
static void move_many(struct asid_alloc *aa, struct iommu_domain *domain,
		      unsigned int moves)
{
	struct mutex *lock = btm_move_asid_lock();
	unsigned int i, bad = 0;
	u16 from = 0, to = 0, first = 0;
	int ret = 0;

	for (i = 0; i < moves && !ret; i++) {
		mutex_lock(lock);
		ret = btm_move_mirror_driver_asids(aa, &foreign);
		if (!ret)
			ret = btm_move_domain(aa, domain, ASID_MOVE_FREE, NULL,
					      &from, &to);
		if (!ret && (from == to || btm_move_domain_asid(domain, &to) ||
			     asid_kind_of(aa, from) != ASID_FREE ||
			     xa_load(btm_move_asid_xa(), from)))
			bad++;
		mutex_unlock(lock);
		if (!i)
			first = from;
		usleep_range(200, 400);
	}
	check("moves", !ret && !bad, "%u of %u moves done, error %d, %u left the old ASID held",
	      i - !!ret, moves, ret, bad);
	pr_info("moved the disk's domain %u times, ASID %u to %u\n", i, first, to);
}

/*
 * Put @domain on @cpu_asid (every other free ASID blocked for one move),
 * then take that ASID for @mm as an SVA bind does: the pin must move the
 * domain away, and the mm must hold the ASID afterwards.
 */
static void take_cpu_asid(struct asid_alloc *aa, struct iommu_domain *domain,
			  struct mm_struct *mm, u16 cpu_asid)
{
	struct mutex *lock = btm_move_asid_lock();
	struct xarray *xa = btm_move_asid_xa();
	void *displaced = NULL;
	u16 from, to, now = 0;
	u32 asid;
	int ret;

	mutex_lock(lock);
	ret = btm_move_mirror_driver_asids(aa, &foreign);
	if (!ret && asid_kind_of(aa, cpu_asid) != ASID_FREE)
		ret = -EBUSY;
	for (asid = 1; !ret && asid < aa->nr; asid++)
		if (asid != cpu_asid && asid_kind_of(aa, asid) == ASID_FREE)
			ret = asid_reserve_private(aa, asid, &blocker);
	if (!ret)
		ret = btm_move_domain(aa, domain, ASID_MOVE_FREE, NULL, &from, &to);
	for (asid = 1; asid < aa->nr; asid++)
		if (asid_owner(aa, asid) == &blocker)
			asid_free_private(aa, asid);
	check("conflict-made", !ret && to == cpu_asid,
	      "error %d, domain on %u, CPU ASID %u", ret, to, cpu_asid);
	if (ret || to != cpu_asid)
		goto out;

	ret = asid_pin_shared(aa, cpu_asid, mm, &displaced);
	check("pin-finds-conflict", ret == ASID_PIN_MOVE,
	      "asid_pin_shared() returned %d", ret);
	if (ret != ASID_PIN_MOVE)
		goto out;
	ret = btm_move_domain(aa, domain, ASID_MOVE_PIN, mm, &from, &to);
	if (!ret) {
		/* What an SVA domain's entry would be: taken, not a domain. */
		xa_erase(xa, cpu_asid);
		ret = xa_reserve(xa, cpu_asid, GFP_KERNEL);
	}
	btm_move_domain_asid(domain, &now);
	check("conflict-resolved", !ret && from == cpu_asid && now == to &&
	      now != cpu_asid && asid_kind_of(aa, cpu_asid) == ASID_PINNED &&
	      asid_owner(aa, cpu_asid) == mm && !xa_load(xa, cpu_asid) &&
	      xa_load(xa, now),
	      "error %d, moved %u to %u, domain on %u, CPU ASID %u kind %d",
	      ret, from, to, now, cpu_asid, asid_kind_of(aa, cpu_asid));
	pr_info("the disk's domain gave CPU ASID %u up and runs on ASID %u\n",
		cpu_asid, now);
	if (!asid_unpin(aa, cpu_asid))
		xa_release(xa, cpu_asid);
out:
	mutex_unlock(lock);
}

/**
 * ktest_moves() - the ASID move checks on the live disk domain
 * @mm: the test mm, for the conflict
 * @moves: how many moves to make under DMA
 */
void ktest_moves(struct mm_struct *mm, unsigned int moves)
{
	struct btm_binding binding = {};
	struct btm_move_stats stats;
	struct iommu_domain *domain;
	struct asid_counts counts;
	unsigned int before, after;
	struct asid_alloc aa;
	struct pci_dev *pdev;
	void *smmu;
	u16 cpu_asid;
	int ret;

	pdev = find_disk();
	check("disk-found", pdev, "no virtio-blk PCI device behind an IOMMU");
	if (!pdev)
		return;
	domain = iommu_get_domain_for_dev(&pdev->dev);
	ret = btm_kallsyms_init();
	if (!ret)
		ret = btm_check_kernel(&binding);
	if (!ret)
		ret = btm_bind_symbols(&binding, pdev->dev.iommu->iommu_dev->ops,
				       NULL);
	if (!ret)
		ret = btm_move_init(&binding);
	check("move-init", !ret, "error %d", ret);
	if (ret)
		goto put;
	smmu = (char *)pdev->dev.iommu->iommu_dev - BTM_OFF_arm_smmu_device__iommu;
	ret = asid_alloc_init(&aa, *(u32 *)((char *)smmu +
					    BTM_OFF_arm_smmu_device__asid_bits),
			      &kt_alloc_ops);
	check("allocator", !ret, "error %d", ret);
	if (ret)
		goto exit;

	mutex_lock(btm_move_asid_lock());
	before = driver_asid_count(btm_move_asid_xa());
	mutex_unlock(btm_move_asid_lock());

	move_many(&aa, domain, moves);

	cpu_asid = btm_sva_pin_asid(mm);
	check("conflict-pin", cpu_asid, "arm64_mm_context_get() returned 0");
	if (cpu_asid) {
		take_cpu_asid(&aa, domain, mm, cpu_asid);
		btm_sva_unpin_asid(mm);
	}

	mutex_lock(btm_move_asid_lock());
	after = driver_asid_count(btm_move_asid_xa());
	btm_move_mirror_driver_asids(&aa, &foreign);
	mutex_unlock(btm_move_asid_lock());
	asid_alloc_counts(&aa, &counts);
	check("no-asid-leak", after == before && !counts.nr_pinned &&
	      !counts.nr_moving && counts.nr_private == after,
	      "driver ASIDs %u before, %u after; allocator: %u private, %u pinned, %u moving",
	      before, after, counts.nr_private, counts.nr_pinned,
	      counts.nr_moving);
	asid_alloc_destroy(&aa);
exit:
	btm_move_exit();
	btm_move_read_stats(&stats);
	check("no-array-leak", !stats.arrays, "%ld invalidation arrays not freed",
	      stats.arrays);
	pr_info("moves %llu, undone %llu, invalidations hooked %llu, widened %llu\n",
		stats.moves, stats.undone, stats.hooked, stats.covers);
put:
	pci_dev_put(pdev);
}
