// SPDX-License-Identifier: GPL-2.0
/*
 * pasid_dma_test: test driver for QEMU's pasid-dma-testdev
 *
 * The device (tests/qemu/README.md) is a polled PCIe DMA engine with a PASID
 * capability. Opening /dev/pasid-dma-testN binds the opening process's
 * address space to the device with iommu_sva_bind_device(), through the
 * kernel's normal SVA path; ioctls make the device read, write, fill or
 * compare the process's own virtual addresses with that PASID; pread() and
 * pwrite() reach the device's data buffer; close unbinds.
 *
 * Kernel differences: iommu_dev_enable_feature(IOMMU_DEV_FEAT_SVA) exists
 * in 6.6, 6.8 and 6.12 (not in 7.x) and is required there before a bind;
 * kbuild/conftest probes it and include/compat.h has the one seam. A
 * kernel without CONFIG_IOMMU_SVA cannot bind: the module refuses to load
 * there, with one line saying so.
 *
 * The debug_btm parameter enables two test-only ioctls (see
 * pasid_dma_test.h) that check an SMMU's broadcast TLB maintenance: a bare
 * TLBI from the CPU, and a write of SMMU_CR2.PTM behind the SMMU driver.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/iopoll.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-ats.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/barrier.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>

#include "compat.h"
#include "pasid_dma_test.h"
#include "smmu_btm_observer.h"

#define PDT_VENDOR_ID		0x1b36
#define PDT_DEVICE_ID		0x00f0

/* BAR0 registers */
#define PDT_REG_ID		0x00
#define PDT_REG_PASID		0x08
#define PDT_REG_ADDR		0x10
#define PDT_REG_ADDR_HI		0x14
#define PDT_REG_LEN		0x18
#define PDT_REG_BUF_OFF		0x1c
#define PDT_REG_OP		0x20
#define PDT_REG_PATTERN		0x24
#define PDT_REG_DOORBELL	0x28
#define PDT_REG_STATUS		0x2c
#define PDT_REG_FAULT_ADDR	0x30
#define PDT_REG_FAULT_ADDR_HI	0x34
#define PDT_REG_DONE_BYTES	0x38
#define PDT_REG_MISMATCH	0x3c
#define PDT_REG_STALLS		0x44
#define PDT_REG_ATC_HITS	0x48
#define PDT_REG_ATC_MISSES	0x4c
#define PDT_REG_ATC_INVALS	0x50

/* The same device with an ATS capability and an ATC (QEMU's ats=on) */
#define PDT_ATS_DEVICE_ID	0x00f1

/*
 * The same device with a HiSilicon accelerator's identity (19e5:a250, the
 * ZIP engine of Kunpeng 920, revision 0x21): Linux's quirk_huawei_pcie_sva
 * marks it dma-can-stall, so the SMMU driver makes it a stall master.
 */
#define PDT_HISI_VENDOR_ID	0x19e5
#define PDT_HISI_ZIP_ID		0xa250

#define PDT_ID_VALUE		0x414d4450	/* "PDMA" */
#define PDT_PASID_VALID		BIT(31)

/* SMMUv3 registers for the debug PTM write and CD walk (IHI 0070 6.3) */
#define SMMU_CR0		0x20
#define SMMU_CR0_SMMUEN		BIT(0)
#define SMMU_CR0ACK		0x24
#define SMMU_CR2		0x2c
#define SMMU_CR2_PTM		BIT(2)
#define SMMU_GBPA		0x44
#define SMMU_GBPA_ABORT		BIT(20)
#define SMMU_GBPA_UPDATE	BIT(31)
#define SMMU_POLL_US		100000
#define SMMU_STRTAB_BASE	0x80
#define SMMU_STRTAB_BASE_CFG	0x88
#define SMMU_STRTAB_CFG_2LVL(c)	(((c) >> 16 & 3) == 1)
#define SMMU_STRTAB_CFG_SPLIT(c) ((c) >> 6 & 0x1f)
#define SMMU_TABLE_ADDR		GENMASK_ULL(51, 6)
#define SMMU_STE0_V		BIT_ULL(0)
#define SMMU_STE0_S1FMT(w)	((w) >> 4 & 3)
#define SMMU_STE0_S1CDMAX(w)	((w) >> 59)
#define SMMU_CD_L1_V		BIT_ULL(0)
#define SMMU_CD_L1_L2PTR	GENMASK_ULL(51, 12)
#define SMMU_STE_L1_SPAN	GENMASK_ULL(4, 0)
#define SMMU_ENTRY_BYTES	64	/* an STE or a CD */
#define SMMU_CD0_S		BIT_ULL(44)	/* stall on faults */

static bool debug_btm;
module_param(debug_btm, bool, 0444);
MODULE_PARM_DESC(debug_btm,
		 "Allow the test-only ioctls PDT_IOC_TLBI and PDT_IOC_SET_PTM");

static DEFINE_IDA(pdt_ida);

static bool pdt_ats_on(struct pci_dev *pdev)
{
#ifdef CONFIG_PCI_ATS
	return pdev->ats_enabled;
#else
	return false;
#endif
}

struct pdt_dev {
	struct pci_dev *pdev;
	void __iomem *regs;
	void __iomem *buf;
	struct miscdevice misc;
	char name[32];
	int id;
	bool sva_feature;
	bool pasid_by_us;
	/* one device operation or buffer access at a time */
	struct mutex lock;
};

struct pdt_file {
	struct pdt_dev *pdt;
	struct iommu_sva *handle;
	struct mm_struct *mm;
	u32 pasid;
};

static int pdt_open(struct inode *inode, struct file *file)
{
	struct pdt_dev *pdt = container_of(file->private_data, struct pdt_dev,
					   misc);
	struct pdt_file *pf;
	int err;

	if (!current->mm)
		return -EINVAL;
	/*
	 * Where the kernel has the SVA feature call, the IOMMU driver's own
	 * checks (arm_smmu_sva_supported()) answer through it; some versions
	 * would still bind without it, with a CD the SMMU cannot use. (Where
	 * the kernel has no such call, the feature counts as on.)
	 */
	if (!pdt->sva_feature)
		return -EOPNOTSUPP;

	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;

	pf->handle = btm_sva_bind(&pdt->pdev->dev, current->mm);
	if (IS_ERR(pf->handle)) {
		err = PTR_ERR(pf->handle);
		dev_info(&pdt->pdev->dev, "SVA bind of pid %d failed: %d\n",
			 task_pid_nr(current), err);
		kfree(pf);
		return err;
	}
	pf->pdt = pdt;
	pf->mm = current->mm;
	pf->pasid = iommu_sva_get_pasid(pf->handle);
	file->private_data = pf;
	dev_dbg(&pdt->pdev->dev, "pid %d bound, PASID %u\n",
		task_pid_nr(current), pf->pasid);
	return 0;
}

static int pdt_release(struct inode *inode, struct file *file)
{
	struct pdt_file *pf = file->private_data;

	/* Operations are synchronous: no DMA of this file is in flight */
	iommu_sva_unbind_device(pf->handle);
	kfree(pf);
	return 0;
}

/* Run @op on the device with PASID @op->pasid (0: none) and wait for it. */
static int pdt_exec(struct pdt_dev *pdt, struct pdt_op *op)
{
	void __iomem *r = pdt->regs;
	u32 status;
	int err;

	mutex_lock(&pdt->lock);
	writel(op->pasid ? PDT_PASID_VALID | op->pasid : 0, r + PDT_REG_PASID);
	writel(lower_32_bits(op->addr), r + PDT_REG_ADDR);
	writel(upper_32_bits(op->addr), r + PDT_REG_ADDR_HI);
	writel(op->len, r + PDT_REG_LEN);
	writel(op->buf_off, r + PDT_REG_BUF_OFF);
	writel(op->op, r + PDT_REG_OP);
	writel(op->pattern, r + PDT_REG_PATTERN);
	writel(1, r + PDT_REG_DOORBELL);
	err = readl_poll_timeout(r + PDT_REG_STATUS, status,
				 status & PDT_STATUS_DONE, 10, USEC_PER_SEC);
	if (!err) {
		op->status = status;
		op->done_bytes = readl(r + PDT_REG_DONE_BYTES);
		op->fault_addr = readl(r + PDT_REG_FAULT_ADDR) |
				 (u64)readl(r + PDT_REG_FAULT_ADDR_HI) << 32;
		op->mismatch = readl(r + PDT_REG_MISMATCH);
		op->stalls = readl(r + PDT_REG_STALLS);
	}
	mutex_unlock(&pdt->lock);
	return err;
}

static int pdt_run(struct pdt_file *pf, struct pdt_op *op)
{
	bool bounded = op->op == PDT_OP_READ || op->op == PDT_OP_WRITE;

	if (op->op < PDT_OP_READ || op->op > PDT_OP_COMPARE || !op->len ||
	    (op->flags & ~PDT_FLAG_NO_PASID))
		return -EINVAL;
	if (bounded && (op->len > PDT_BUF_SIZE ||
			op->buf_off > PDT_BUF_SIZE - op->len))
		return -EINVAL;
	/* The PASID belongs to the address space that opened the file */
	if (current->mm != pf->mm)
		return -EPERM;

	op->pasid = op->flags & PDT_FLAG_NO_PASID ? 0 : pf->pasid;
	return pdt_exec(pf->pdt, op);
}

/*
 * The rounds of struct pdt_dma_check. The pattern changes every round and
 * each page is freed only after the next one is mapped, so that the page
 * behind a reused IOVA always differs from the one before it. Mapped both
 * ways: the project's SMMU answers a Translation Request for a read-only
 * page with no access at all (the test device asks for write too), and the
 * ATC would then never hold the mapping.
 */
static int pdt_dma_check(struct pdt_dev *pdt, struct pdt_dma_check *dc)
{
	struct device *dev = &pdt->pdev->dev;
	struct page *page, *prev = NULL;
	dma_addr_t iova, last = DMA_MAPPING_ERROR;
	struct pdt_op op;
	int err = 0;
	u32 i;

	dc->bad = 0;
	dc->reused = 0;
	for (i = 0; i < dc->rounds && !err; i++) {
		page = alloc_page(GFP_KERNEL);
		if (!page) {
			err = -ENOMEM;
			break;
		}
		op = (struct pdt_op){
			.len = PAGE_SIZE,
			.op = PDT_OP_COMPARE,
			.pattern = 0xd3000000 | (i & 0xffffff),
		};
		memset32(page_address(page), op.pattern, PAGE_SIZE / 4);
		iova = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
		err = dma_mapping_error(dev, iova);
		if (!err) {
			dc->reused += iova == last;
			last = iova;
			op.addr = iova;
			err = pdt_exec(pdt, &op);
			dma_unmap_page(dev, iova, PAGE_SIZE, DMA_BIDIRECTIONAL);
		}
		if (!err && op.status != PDT_STATUS_DONE && !dc->bad++) {
			dc->first_bad = i;
			dc->status = op.status;
		}
		if (prev)
			__free_page(prev);
		prev = page;
	}
	if (prev)
		__free_page(prev);
	return err;
}

/*
 * Debug: a broadcast TLBI by VA (or ASID) for the caller, nothing else. The
 * operand is encoded here (Arm ARM: ASID in [63:48], VA[55:12] in [43:0])
 * rather than with <asm/tlbflush.h> helpers, which change between kernels.
 * The ASID is the mm's kernel ASID, which the SVA CD uses.
 */
static void pdt_dbg_tlbi(struct pdt_tlbi *t)
{
	u64 arg = (u64)ASID(current->mm) << 48 |
		  ((t->addr >> 12) & GENMASK_ULL(43, 0));

	dsb(ishst);
	if (t->flags & PDT_TLBI_ASID)
		asm volatile("tlbi aside1is, %0" : : "r" (arg) : "memory");
	else
		asm volatile("tlbi vae1is, %0" : : "r" (arg) : "memory");
	dsb(ish);
}

/*
 * Debug: write SMMU_CR2.PTM of the device's SMMU. CR2 only changes while
 * the SMMU is disabled (IHI 0070 6.3.12), so: make incoming transactions
 * abort (GBPA.ABORT), clear SMMUEN, write CR2, restore CR0 and GBPA. Every
 * master of that SMMU has its DMA aborted meanwhile: only for idle test
 * machines.
 */
/* The first 4 KiB of registers of @dev's SMMU, mapped, and where they are. */
/* TTBR1_EL1.ASID, where TCR_EL1.A1 puts the CPU's current ASID */
#define PDT_TTBR_ASID		GENMASK_ULL(63, 48)

/*
 * The ASID the CPU tags the bound task's user-space translations with.
 * Read live from TTBR1_EL1 while the task runs here, not taken from its mm.
 * Under KPTI the kernel runs on the even ASID of a pair and returns to
 * user space on the odd one (the trampoline sets USER_ASID_FLAG on its way
 * out), so at EL0 the CPU uses the odd one; that is the ASID an SVA CD
 * must carry for the SMMU to take the CPU's broadcasts for user space.
 * Asked by another task, the bound mm's own, by the same rule.
 */
static u32 pdt_el0_asid(struct mm_struct *mm)
{
	u32 asid = current->mm == mm ?
		   FIELD_GET(PDT_TTBR_ASID, read_sysreg(ttbr1_el1)) : ASID(mm);

	return arm64_kernel_unmapped_at_el0() ? asid | 1 : asid;
}

static void __iomem *pdt_smmu_regs(struct device *dev, struct resource **res)
{
	struct iommu_device *iommu;

	iommu = dev->iommu ? dev->iommu->iommu_dev : NULL;
	if (!iommu || !iommu->dev || !iommu->dev->parent ||
	    !dev_is_platform(iommu->dev->parent))
		return IOMEM_ERR_PTR(-ENODEV);
	*res = platform_get_resource(to_platform_device(iommu->dev->parent),
				     IORESOURCE_MEM, 0);
	if (!*res)
		return IOMEM_ERR_PTR(-ENODEV);
	return ioremap((*res)->start, SZ_4K) ?: IOMEM_ERR_PTR(-ENOMEM);
}

static int pdt_dbg_set_ptm(struct pdt_dev *pdt, u32 ptm)
{
	struct device *dev = &pdt->pdev->dev;
	struct resource *res;
	void __iomem *base;
	u32 gbpa, cr0, cr2, val;
	int err;

	base = pdt_smmu_regs(dev, &res);
	if (IS_ERR(base))
		return PTR_ERR(base);

	gbpa = readl(base + SMMU_GBPA);
	cr0 = readl(base + SMMU_CR0);
	writel(gbpa | SMMU_GBPA_ABORT | SMMU_GBPA_UPDATE, base + SMMU_GBPA);
	err = readl_poll_timeout(base + SMMU_GBPA, val,
				 !(val & SMMU_GBPA_UPDATE), 1, SMMU_POLL_US);
	if (err)
		goto out;
	writel(cr0 & ~SMMU_CR0_SMMUEN, base + SMMU_CR0);
	err = readl_poll_timeout(base + SMMU_CR0ACK, val,
				 !(val & SMMU_CR0_SMMUEN), 1, SMMU_POLL_US);
	if (err)
		goto out;
	cr2 = readl(base + SMMU_CR2);
	writel(ptm ? cr2 | SMMU_CR2_PTM : cr2 & ~SMMU_CR2_PTM,
	       base + SMMU_CR2);
	writel(cr0, base + SMMU_CR0);
	err = readl_poll_timeout(base + SMMU_CR0ACK, val, val == cr0, 1,
				 SMMU_POLL_US);
	writel((gbpa & ~SMMU_GBPA_UPDATE) | SMMU_GBPA_UPDATE, base + SMMU_GBPA);
	if (!err)
		err = readl_poll_timeout(base + SMMU_GBPA, val,
					 !(val & SMMU_GBPA_UPDATE), 1,
					 SMMU_POLL_US);
	dev_info(dev, "debug: SMMU %pR CR2 0x%x -> 0x%x\n", res, cr2,
		 readl(base + SMMU_CR2));
out:
	iounmap(base);
	return err;
}

/* @n little-endian words of table memory at @phys, into @words. */
static int pdt_read_table(phys_addr_t phys, u64 *words, unsigned int n)
{
	__le64 *p = memremap(phys, n * sizeof(*p), MEMREMAP_WB);
	unsigned int i;

	if (!p)
		return -EFAULT;
	for (i = 0; i < n; i++)
		words[i] = le64_to_cpu(READ_ONCE(p[i]));
	memunmap(p);
	return 0;
}

/*
 * Where entry @index of a two-level table (level 1 at @l1, @split bits of
 * index per leaf) is: the level-1 descriptor must have a bit of @valid
 * set, and holds the leaf's address in @ptr.
 */
static int pdt_leaf_entry(phys_addr_t l1, u32 index, unsigned int split,
			  u64 valid, u64 ptr, phys_addr_t *at)
{
	u64 desc;
	int err = pdt_read_table(l1 + (u64)(index >> split) * 8, &desc, 1);

	if (err)
		return err;
	if (!(desc & valid))
		return -ENOENT;
	*at = (desc & ptr) + (u64)(index & (BIT(split) - 1)) * SMMU_ENTRY_BYTES;
	return 0;
}

/*
 * Tests: the CD the SMMU fetches for @pf's PASID, found as the SMMU finds
 * it (IHI 0070 3.3, 5.2, 5.4): SMMU_STRTAB_BASE and its format, the
 * device's STE, then its CD table, linear or two-level. Nothing of the
 * IOMMU driver's own structures is read, so the CD is checked as the
 * hardware uses it.
 */
static int pdt_dbg_cd(struct pdt_file *pf, struct pdt_cd *out,
		      phys_addr_t *cd_at)
{
	struct device *dev = &pf->pdt->pdev->dev;
	struct iommu_fwspec *fwspec = dev_iommu_fwspec_get(dev);
	struct resource *res;
	void __iomem *base;
	u64 strtab, cfg, ste0;
	phys_addr_t at;
	int err;

	if (!fwspec || !fwspec->num_ids)
		return -ENODEV;
	base = pdt_smmu_regs(dev, &res);
	if (IS_ERR(base))
		return PTR_ERR(base);
	strtab = readq(base + SMMU_STRTAB_BASE) & SMMU_TABLE_ADDR;
	cfg = readl(base + SMMU_STRTAB_BASE_CFG);
	iounmap(base);

	out->sid = fwspec->ids[0];
	out->pasid = pf->pasid;
	out->asid = pdt_el0_asid(pf->mm);
	out->pgd = virt_to_phys(pf->mm->pgd);
	out->pinned = refcount_read(&pf->mm->context.pinned);
	at = strtab + (u64)out->sid * SMMU_ENTRY_BYTES;
	if (SMMU_STRTAB_CFG_2LVL(cfg)) {
		err = pdt_leaf_entry(strtab, out->sid,
				     SMMU_STRTAB_CFG_SPLIT(cfg),
				     SMMU_STE_L1_SPAN, SMMU_TABLE_ADDR, &at);
		if (err)
			return err;
	}
	err = pdt_read_table(at, &ste0, 1);
	if (err)
		return err;
	out->ste0 = ste0;
	if (!(ste0 & SMMU_STE0_V) || !SMMU_STE0_S1CDMAX(ste0))
		return -ENOENT;
	at = ste0 & SMMU_TABLE_ADDR;
	if (SMMU_STE0_S1FMT(ste0)) {
		/* Leaf tables of 4 KiB (S1Fmt 1) or 64 KiB (2) of CDs. */
		err = pdt_leaf_entry(at, out->pasid,
				     SMMU_STE0_S1FMT(ste0) == 1 ? 6 : 10,
				     SMMU_CD_L1_V, SMMU_CD_L1_L2PTR, &at);
		if (err)
			return err;
	} else {
		at += (u64)out->pasid * SMMU_ENTRY_BYTES;
	}
	*cd_at = at;
	return pdt_read_table(at, out->cd, ARRAY_SIZE(out->cd));
}

/* Debug: clear CD.S of @pf's CD in memory, behind the SMMU driver. */
static int pdt_dbg_cd_no_stall(struct pdt_file *pf)
{
	struct pdt_cd cd = {};
	phys_addr_t at;
	__le64 *p;
	int err;

	err = pdt_dbg_cd(pf, &cd, &at);
	if (err)
		return err;
	p = memremap(at, sizeof(*p), MEMREMAP_WB);
	if (!p)
		return -EFAULT;
	WRITE_ONCE(*p, cpu_to_le64(cd.cd[0] & ~SMMU_CD0_S));
	memunmap(p);
	/* The SMMU reads CDs through the coherent path (IDR0.COHACC) */
	wmb();
	return 0;
}

/* smmu_btm's observer: the device reads @len bytes at @va into @buf. */
static int pdt_observe_read(void *ctx, unsigned long va, void *buf,
			    size_t len)
{
	struct pdt_file *pf = ctx;
	struct pdt_op op = {
		.addr = va, .len = len, .op = PDT_OP_READ, .pasid = pf->pasid,
	};
	int err;

	if (len > PDT_BUF_SIZE)
		return -EINVAL;
	err = pdt_exec(pf->pdt, &op);
	if (err)
		return err;
	if (op.status & (PDT_STATUS_FAULT | PDT_STATUS_ERROR))
		return -EFAULT;
	memcpy_fromio(buf, pf->pdt->buf, len);
	return 0;
}

static int pdt_bcheck(struct pdt_file *pf)
{
	int (*check)(struct device *dev, u32 pasid, smmu_btm_read_fn read,
		     void *ctx);
	int err;

	if (current->mm != pf->mm)
		return -EPERM;
	check = symbol_get(smmu_btm_check_device);
	if (!check)
		return -ENOPKG;
	err = check(&pf->pdt->pdev->dev, pf->pasid, pdt_observe_read, pf);
	symbol_put(smmu_btm_check_device);
	return err;
}

static long pdt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pdt_file *pf = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct iommu_domain *domain;
	struct pdt_dma_check dc;
	struct pdt_info info = {};
	struct pdt_cd cd = {};
	struct pdt_tlbi tlbi;
	struct pdt_op op;
	phys_addr_t at;
	u32 ptm;
	int err;

	switch (cmd) {
	case PDT_IOC_INFO:
		info.pasid = pf->pasid;
		info.asid = pdt_el0_asid(pf->mm);
		info.buf_size = PDT_BUF_SIZE;
		domain = btm_sva_domain(pf->handle);
		info.domain_pgsizes = domain ? lower_32_bits(domain->pgsize_bitmap) :
					       PDT_PGSIZES_UNKNOWN;
		info.ats = pdt_ats_on(pf->pdt->pdev);
		info.atc_hits = readl(pf->pdt->regs + PDT_REG_ATC_HITS);
		info.atc_misses = readl(pf->pdt->regs + PDT_REG_ATC_MISSES);
		info.atc_invals = readl(pf->pdt->regs + PDT_REG_ATC_INVALS);
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	case PDT_IOC_RUN:
		if (copy_from_user(&op, uarg, sizeof(op)))
			return -EFAULT;
		err = pdt_run(pf, &op);
		if (err)
			return err;
		return copy_to_user(uarg, &op, sizeof(op)) ? -EFAULT : 0;
	case PDT_IOC_TLBI:
		if (!debug_btm)
			return -EPERM;
		if (current->mm != pf->mm)
			return -EPERM;
		if (copy_from_user(&tlbi, uarg, sizeof(tlbi)))
			return -EFAULT;
		pdt_dbg_tlbi(&tlbi);
		return 0;
	case PDT_IOC_DISABLE_SVA:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		err = btm_dev_sva_disable(&pf->pdt->pdev->dev);
		if (!err && btm_dev_sva_enable(&pf->pdt->pdev->dev))
			pf->pdt->sva_feature = false;
		return err;
	case PDT_IOC_SET_PTM:
		if (!debug_btm || !capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (get_user(ptm, (u32 __user *)uarg))
			return -EFAULT;
		mutex_lock(&pf->pdt->lock);
		err = pdt_dbg_set_ptm(pf->pdt, ptm);
		mutex_unlock(&pf->pdt->lock);
		return err;
	case PDT_IOC_CD:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		err = pdt_dbg_cd(pf, &cd, &at);
		if (err)
			return err;
		return copy_to_user(uarg, &cd, sizeof(cd)) ? -EFAULT : 0;
	case PDT_IOC_DMA_CHECK:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (copy_from_user(&dc, uarg, sizeof(dc)))
			return -EFAULT;
		err = pdt_dma_check(pf->pdt, &dc);
		if (err)
			return err;
		return copy_to_user(uarg, &dc, sizeof(dc)) ? -EFAULT : 0;
	case PDT_IOC_CD_NO_STALL:
		if (!debug_btm || !capable(CAP_SYS_ADMIN))
			return -EPERM;
		return pdt_dbg_cd_no_stall(pf);
	case PDT_IOC_BCHECK:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		return pdt_bcheck(pf);
	default:
		return -ENOTTY;
	}
}

static ssize_t pdt_buf_rw(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos, bool write)
{
	struct pdt_file *pf = file->private_data;
	struct pdt_dev *pdt = pf->pdt;
	size_t done = 0;
	u8 *bounce;
	int err = 0;

	if (*ppos < 0)
		return -EINVAL;
	if (*ppos >= PDT_BUF_SIZE || !count)
		return 0;
	count = min_t(size_t, count, PDT_BUF_SIZE - *ppos);

	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	mutex_lock(&pdt->lock);
	while (done < count) {
		size_t n = min_t(size_t, count - done, PAGE_SIZE);
		void __iomem *io = pdt->buf + *ppos + done;

		if (write) {
			if (copy_from_user(bounce, ubuf + done, n)) {
				err = -EFAULT;
				break;
			}
			memcpy_toio(io, bounce, n);
		} else {
			memcpy_fromio(bounce, io, n);
			if (copy_to_user(ubuf + done, bounce, n)) {
				err = -EFAULT;
				break;
			}
		}
		done += n;
	}
	mutex_unlock(&pdt->lock);
	kfree(bounce);

	*ppos += done;
	return done ? done : err;
}

static ssize_t pdt_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	return pdt_buf_rw(file, ubuf, count, ppos, false);
}

static ssize_t pdt_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	return pdt_buf_rw(file, (char __user *)ubuf, count, ppos, true);
}

static loff_t pdt_llseek(struct file *file, loff_t offset, int whence)
{
	return fixed_size_llseek(file, offset, whence, PDT_BUF_SIZE);
}

static const struct file_operations pdt_fops = {
	.owner = THIS_MODULE,
	.open = pdt_open,
	.release = pdt_release,
	.unlocked_ioctl = pdt_ioctl,
	.read = pdt_read,
	.write = pdt_write,
	.llseek = pdt_llseek,
};

static bool pdt_pasid_on(struct pci_dev *pdev)
{
#ifdef CONFIG_PCI_PASID
	return pdev->pasid_enabled;
#else
	return false;
#endif
}

/*
 * SVA needs PASID enabled on the function (arm-smmu-v3 does it when it
 * probes a PASID-capable master; do it here where the IOMMU driver did
 * not) and, on kernels that have it, the SVA feature of the device.
 */
static void pdt_enable_sva(struct pdt_dev *pdt)
{
	struct pci_dev *pdev = pdt->pdev;
	int err = 0;

#ifdef CONFIG_PCI_PASID
	if (!pdev->pasid_enabled) {
		err = pci_enable_pasid(pdev, 0);
		if (err)
			dev_info(&pdev->dev, "cannot enable PASID: %d\n", err);
		else
			pdt->pasid_by_us = true;
	}
#endif
	err = btm_dev_sva_enable(&pdev->dev);
	if (err)
		dev_info(&pdev->dev, "cannot enable SVA: %d\n", err);
	else
		pdt->sva_feature = true;
}

static void pdt_disable_sva(struct pdt_dev *pdt)
{
	if (pdt->sva_feature)
		btm_dev_sva_disable(&pdt->pdev->dev);
#ifdef CONFIG_PCI_PASID
	if (pdt->pasid_by_us)
		pci_disable_pasid(pdt->pdev);
#endif
}

static int pdt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pdt_dev *pdt;
	int err;

	pdt = kzalloc(sizeof(*pdt), GFP_KERNEL);
	if (!pdt)
		return -ENOMEM;
	pdt->pdev = pdev;
	mutex_init(&pdt->lock);

	err = pci_enable_device_mem(pdev);
	if (err)
		goto err_free;
	err = pci_request_regions(pdev, KBUILD_MODNAME);
	if (err)
		goto err_disable;
	pdt->regs = pci_iomap(pdev, 0, 0);
	pdt->buf = pci_iomap(pdev, 2, PDT_BUF_SIZE);
	if (!pdt->regs || !pdt->buf) {
		err = -ENOMEM;
		goto err_unmap;
	}
	if (readl(pdt->regs + PDT_REG_ID) != PDT_ID_VALUE) {
		dev_err(&pdev->dev, "unexpected ID 0x%08x\n",
			readl(pdt->regs + PDT_REG_ID));
		err = -ENODEV;
		goto err_unmap;
	}
	pci_set_master(pdev);
	pci_set_drvdata(pdev, pdt);
	pdt_enable_sva(pdt);

	pdt->id = ida_alloc(&pdt_ida, GFP_KERNEL);
	if (pdt->id < 0) {
		err = pdt->id;
		goto err_sva;
	}
	snprintf(pdt->name, sizeof(pdt->name), "pasid-dma-test%d", pdt->id);
	pdt->misc.minor = MISC_DYNAMIC_MINOR;
	pdt->misc.name = pdt->name;
	pdt->misc.fops = &pdt_fops;
	pdt->misc.parent = &pdev->dev;
	err = misc_register(&pdt->misc);
	if (err)
		goto err_ida;

	dev_info(&pdev->dev, "/dev/%s, PASID %s, ATS %s, SVA feature %s, %s\n",
		 pdt->name, pdt_pasid_on(pdev) ? "on" : "off",
		 pdt_ats_on(pdev) ? "on" : "off",
		 pdt->sva_feature ? "on" : "not needed or refused",
		 device_property_read_bool(&pdev->dev, "dma-can-stall") ?
		 "dma-can-stall" : "no stalls");
	return 0;

err_ida:
	ida_free(&pdt_ida, pdt->id);
err_sva:
	pdt_disable_sva(pdt);
	pci_clear_master(pdev);
err_unmap:
	if (pdt->buf)
		pci_iounmap(pdev, pdt->buf);
	if (pdt->regs)
		pci_iounmap(pdev, pdt->regs);
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(pdt);
	return err;
}

static void pdt_remove(struct pci_dev *pdev)
{
	struct pdt_dev *pdt = pci_get_drvdata(pdev);

	misc_deregister(&pdt->misc);
	ida_free(&pdt_ida, pdt->id);
	pdt_disable_sva(pdt);
	pci_clear_master(pdev);
	pci_iounmap(pdev, pdt->buf);
	pci_iounmap(pdev, pdt->regs);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	kfree(pdt);
}

static const struct pci_device_id pdt_ids[] = {
	{ PCI_DEVICE(PDT_VENDOR_ID, PDT_DEVICE_ID) },
	{ PCI_DEVICE(PDT_VENDOR_ID, PDT_ATS_DEVICE_ID) },
	{ PCI_DEVICE(PDT_HISI_VENDOR_ID, PDT_HISI_ZIP_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pdt_ids);

static struct pci_driver pdt_driver = {
	.name = KBUILD_MODNAME,
	.id_table = pdt_ids,
	.probe = pdt_probe,
	.remove = pdt_remove,
};

static int __init pdt_init(void)
{
	if (!IS_ENABLED(CONFIG_IOMMU_SVA)) {
		pr_err("this kernel has no CONFIG_IOMMU_SVA: cannot bind processes to devices\n");
		return -EOPNOTSUPP;
	}
	return pci_register_driver(&pdt_driver);
}
module_init(pdt_init);

static void __exit pdt_exit(void)
{
	pci_unregister_driver(&pdt_driver);
}
module_exit(pdt_exit);

MODULE_DESCRIPTION("Test driver for QEMU's pasid-dma-testdev (SVA DMA)");
MODULE_LICENSE("GPL");
