// SPDX-License-Identifier: GPL-2.0
/*
 * smmu_btm_ktest: the invalidation shim, driven from user space. With the
 * provider left installed on the disk's SMMU, /sys/kernel/debug/
 * smmu_btm_ktest/sva gives the writing process's mm an SVA domain of the
 * provider: "stock" as it is (QEMU's SMMU has no BTM), "btm" with the SMMU
 * marked BTM-active, which no real SMMU without BTM may be (so it taints);
 * "bare" registers only an mmu_notifier that does nothing, the floor any
 * SVA binding costs, for the benchmark to compare with.
 * Reading the file returns the provider's counters since the write, and
 * how many commands the SMMU's command queue consumed meanwhile, which must
 * agree when nothing else uses the queue. Closing it frees the domain.
 * .../provider shows the provider's counters, which outlive the process.
 * tests/guest/tlbloop.c is the user.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "driver_domain.h"
#include "generated/layout.h"
#include "ktest.h"
#include "sva_provider.h"

/* SMMU_CMDQ_BASE (LOG2SIZE in bits 4:0) and SMMU_CMDQ_CONS, page 0 */
#define SMMU_CMDQ_BASE		0x90
#define SMMU_CMDQ_CONS		0x9c
#define CMDQ_LOG2SIZE		GENMASK(4, 0)

static struct dentry *shim_dir;
/* Serialises the file's writes, reads and release over private_data. */
static DEFINE_MUTEX(bind_lock);

struct shim_bind {
	struct mmu_notifier bare;
	struct iommu_domain *domain;
	struct btm_provider *p;
	struct inv_counts base;
	u32 cons;
};

static void __iomem *smmu_regs(struct btm_provider *p)
{
	return *(void __iomem **)BTM_AT(p->smmu, BTM_OFF_arm_smmu_device__base);
}

/* The queue's read index with its wrap bit, which counts modulo 2 * size. */
static u32 cmdq_cons(struct btm_provider *p, u32 *mask)
{
	void __iomem *regs = smmu_regs(p);
	u32 log2 = readq_relaxed(regs + SMMU_CMDQ_BASE) & CMDQ_LOG2SIZE;

	*mask = (2U << log2) - 1;
	return readl_relaxed(regs + SMMU_CMDQ_CONS) & *mask;
}

static void bare_invalidate(struct mmu_notifier *mn, struct mm_struct *mm,
			    unsigned long start, unsigned long end)
{
}

static void bare_free(struct mmu_notifier *mn)
{
	kfree(container_of(mn, struct shim_bind, bare));
}

static const struct mmu_notifier_ops bare_ops = {
	.BTM_MN_INVALIDATE_SECONDARY = bare_invalidate,
	.free_notifier = bare_free,
};

static ssize_t sva_bind(struct file *file, const char __user *ubuf,
			size_t len)
{
	struct shim_bind *bind;
	struct device *dev;
	char mode[8] = {};
	bool btm;
	u32 mask;
	int ret;

	if (file->private_data)
		return -EBUSY;
	if (len >= sizeof(mode) || copy_from_user(mode, ubuf, len))
		return -EINVAL;
	bind = kzalloc(sizeof(*bind), GFP_KERNEL);
	if (!bind)
		return -ENOMEM;
	if (sysfs_streq(mode, "bare")) {
		bind->bare.ops = &bare_ops;
		ret = mmu_notifier_register(&bind->bare, current->mm);
		if (ret) {
			kfree(bind);
			return ret;
		}
		file->private_data = bind;
		return len;
	}
	btm = sysfs_streq(mode, "btm");
	if (!btm && !sysfs_streq(mode, "stock")) {
		kfree(bind);
		return -EINVAL;
	}
	bind->p = ktest_provider(&dev);
	if (!bind->p) {
		kfree(bind);
		return -ENODEV;
	}
	bind->domain = btm_ops_sva_alloc(dev->iommu->iommu_dev->ops, dev,
					 current->mm);
	/*
	 * A first attach, which QEMU's SMMU (no substreams) refuses: on 6.2
	 * to 6.9 it sets the domain up, its ASID and notifier.
	 */
	ret = IS_ERR(bind->domain) ? PTR_ERR(bind->domain) :
	      btm_set_dev_pasid(bind->domain, dev, 1);
	if (ret != -EINVAL) {
		if (!IS_ERR(bind->domain))
			bind->domain->ops->free(bind->domain);
		kfree(bind);
		return ret ?: -EIO;
	}
	if (btm) {
		pr_warn("marking the SMMU BTM-active for a test, which it is not: tainting\n");
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}
	WRITE_ONCE(bind->p->btm, btm);
	btm_provider_counts(bind->p, &bind->base);
	bind->cons = cmdq_cons(bind->p, &mask);
	file->private_data = bind;
	return len;
}

static ssize_t sva_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&bind_lock);
	ret = sva_bind(file, ubuf, len);
	mutex_unlock(&bind_lock);
	return ret;
}

static ssize_t sva_read_locked(struct file *file, char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct shim_bind *bind = file->private_data;
	struct inv_counts c;
	static const char none[] =
		"seen 0 tlbi 0 atc 0 sync 0 avoided 0 cmdq 0 local 0 local_cmds 0\n";
	char buf[200];
	u32 mask, cons;
	int n;

	if (!bind)
		return -ENOENT;
	if (!bind->p)
		return simple_read_from_buffer(ubuf, len, ppos, none,
					       sizeof(none) - 1);
	btm_provider_counts(bind->p, &c);
	cons = cmdq_cons(bind->p, &mask);
	n = scnprintf(buf, sizeof(buf),
		      "seen %llu tlbi %llu atc %llu sync %llu avoided %llu cmdq %u local %llu local_cmds %llu\n",
		      c.seen - bind->base.seen, c.tlbi - bind->base.tlbi,
		      c.atc - bind->base.atc, c.sync - bind->base.sync,
		      c.avoided - bind->base.avoided,
		      (cons - bind->cons) & mask, c.local - bind->base.local,
		      c.local_cmds - bind->base.local_cmds);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static ssize_t sva_read(struct file *file, char __user *ubuf, size_t len,
			loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&bind_lock);
	ret = sva_read_locked(file, ubuf, len, ppos);
	mutex_unlock(&bind_lock);
	return ret;
}

static int sva_release(struct inode *inode, struct file *file)
{
	struct shim_bind *bind = file->private_data;

	if (bind && !bind->p) {
		/* Freed by bare_free() after the notifier's grace period. */
		mmu_notifier_put(&bind->bare);
	} else if (bind) {
		bind->domain->ops->free(bind->domain);
		WRITE_ONCE(bind->p->btm, false);
		kfree(bind);
	}
	return 0;
}

/* The provider's own counters, whole: what outlives a bound process. */
static int provider_show(struct seq_file *m, void *unused)
{
	struct btm_provider *p;
	struct device *dev;
	struct inv_counts c;

	p = ktest_provider(&dev);
	if (!p)
		return -ENODEV;
	btm_provider_counts(p, &c);
	seq_printf(m, "domains %d released %d seen %llu tlbi %llu sync %llu flushes %llu flush_cmds %llu moved %d shared %d fallbacks %d\n",
		   atomic_read(&p->domains), atomic_read(&p->released), c.seen,
		   c.tlbi, c.sync, c.flushes, c.flush_cmds,
		   atomic_read(&p->moved), atomic_read(&p->shared),
		   atomic_read(&p->fallbacks));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(provider);

static const struct file_operations sva_fops = {
	.owner = THIS_MODULE,
	.write = sva_write,
	.read = sva_read,
	.release = sva_release,
	.llseek = default_llseek,
};

/**
 * ktest_shim_init() - create the test module's debugfs file for the shim
 *
 * Return: 0, or a negative errno when debugfs cannot hold it.
 */
int ktest_shim_init(void)
{
	shim_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(shim_dir))
		return PTR_ERR(shim_dir);
	debugfs_create_file("sva", 0600, shim_dir, NULL, &sva_fops);
	debugfs_create_file("provider", 0400, shim_dir, NULL, &provider_fops);
	ktest_move_file(shim_dir);
	return 0;
}

/**
 * ktest_shim_exit() - remove it; returns once no call into it is left
 */
void ktest_shim_exit(void)
{
	debugfs_remove(shim_dir);
	shim_dir = NULL;
	/* bare_free() is module code, run after a grace period. */
	mmu_notifier_synchronize();
}
