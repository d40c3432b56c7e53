// SPDX-License-Identifier: GPL-2.0
/*
 * smmu_btm_stress: allocate and free SVA domains for the first virtio-blk
 * disk from several threads, as the iommu core does, for as long as it is
 * loaded, while the harness loads and unloads smmu_btm.ko in a loop
 * (tests/guest/tests.sh). Each allocation reads the ops the device has at
 * that moment, as the core does, so a thread may find the provider's entry
 * just as the provider goes away: the case where module text could run
 * after its module was freed. Built with smmu-btm from a checkout, never
 * part of the DKMS tree; it links none of smmu_btm's code.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/jiffies.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "compat.h"

#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_BLK_MODERN	0x1042

static unsigned int threads = 4;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "threads allocating and freeing SVA domains");

static struct task_struct **workers;
static struct mm_struct *mm;
static struct pci_dev *disk;
static atomic64_t allocs, frees, refused;

static int stress_thread(void *unused)
{
	struct device *dev = &disk->dev;
	struct iommu_domain *domain;

	while (!kthread_should_stop()) {
		/*
		 * In bursts of 50 ms, 50 ms apart: between them the domains
		 * freed are gone (each holds a reference on smmu_btm until
		 * its notifier's grace period ends), so the harness's unload
		 * gets through, often just as the next burst starts.
		 */
		if ((jiffies / msecs_to_jiffies(50)) & 1) {
			usleep_range(1000, 2000);
			continue;
		}
		/* The ops the device has now, as the core reads them. */
		domain = btm_ops_sva_alloc(READ_ONCE(dev->iommu->iommu_dev)->ops,
					   dev, mm);
		if (IS_ERR(domain)) {
			atomic64_inc(&refused);
		} else {
			atomic64_inc(&allocs);
			/*
			 * 6.2 to 6.9: the first attach sets a domain up; QEMU's
			 * SMMU has no substreams, so it is refused after that
			 * (the driver's own refuses a master without SVA).
			 * Later drivers set a domain up at its allocation, and
			 * their own SVA attach trusts the core's PASID checks.
			 */
			if (BTM_SVA_MM_AT_ATTACH)
				btm_set_dev_pasid(domain, dev, 1);
			domain->ops->free(domain);
			atomic64_inc(&frees);
		}
		/* As between a process's binds: a system call apart. */
		cond_resched_tasks_rcu_qs();
	}
	return 0;
}

static void stress_stop(unsigned int n)
{
	while (n)
		kthread_stop(workers[--n]);
}

static int __init stress_init(void)
{
	unsigned int i;

	for_each_pci_dev(disk)
		if (disk->vendor == VIRTIO_VENDOR &&
		    disk->device == VIRTIO_BLK_MODERN && !PCI_FUNC(disk->devfn) &&
		    iommu_get_domain_for_dev(&disk->dev))
			break;
	if (!disk || !current->mm || !threads) {
		pr_err("no disk behind an IOMMU, no mm or no thread: nothing to stress\n");
		pci_dev_put(disk);
		return -ENODEV;
	}
	/* Its address space, not only the struct: SVA domains need users. */
	mm = current->mm;
	mmget(mm);
	workers = kcalloc(threads, sizeof(*workers), GFP_KERNEL);
	if (!workers)
		goto err;
	for (i = 0; i < threads; i++) {
		workers[i] = kthread_run(stress_thread, NULL, "btm-stress/%u", i);
		if (IS_ERR(workers[i])) {
			stress_stop(i);
			goto err;
		}
	}
	pr_info("%u threads allocating SVA domains for %s\n", threads,
		pci_name(disk));
	return 0;

err:
	kfree(workers);
	mmput(mm);
	pci_dev_put(disk);
	return -ENOMEM;
}

static void __exit stress_exit(void)
{
	stress_stop(threads);
	kfree(workers);
	mmput(mm);
	pci_dev_put(disk);
	pr_info("STRESS allocs=%lld frees=%lld refused=%lld\n",
		atomic64_read(&allocs), atomic64_read(&frees),
		atomic64_read(&refused));
}

module_init(stress_init);
module_exit(stress_exit);

MODULE_DESCRIPTION("SVA domain allocations racing smmu_btm's unload (tests only)");
MODULE_LICENSE("GPL");
