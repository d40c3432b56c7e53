// SPDX-License-Identifier: GPL-2.0
/*
 * smmu_btm_ktest: the SVA provider installed on the SMMU of the guest's
 * virtio-blk disk; ASID moves of the disk's live DMA domain, through
 * src/domain_move.c, while the harness reads the disk and checksums it
 * (tests/guest/tests.sh); then SVA domains from the provider for the test
 * mm, once plainly and once after the disk's domain was put on the mm's
 * CPU ASID, which the allocation must take from it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kallsyms.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/iommu.h>
#include <linux/math64.h>
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <asm/sysreg.h>

#include <linux/bitfield.h>
#include <linux/module.h>

#include "asid_alloc.h"
#include "binding.h"
#include "compat.h"
#include "domain_move.h"
#include "driver_domain.h"
#include "driver_gen.h"
#include "generated/layout.h"
#include "ktest.h"
#include "smmu_btm.h"
#include "smmu_cd.h"
#include "sva_mm.h"
#include "sva_notifier.h"
#include "sva_provider.h"

#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_BLK_LEGACY	0x1001
#define VIRTIO_BLK_MODERN	0x1042

/* The iommu_ops a device has now (the core's ops_of() is private). */
static const struct iommu_ops *ops_of(struct device *dev)
{
	return dev->iommu->iommu_dev->ops;
}

static char *move_dev;
module_param(move_dev, charp, 0444);
MODULE_PARM_DESC(move_dev, "PCI name of the device whose DMA domain the moves and the file \"move\" take, on whose SMMU the provider goes, instead of the disk (only the moves are tested then)");

/*
 * The device named by move_dev, else the disk's first function, which the
 * tests never remove while this module uses it (they remove and rescan the
 * second one meanwhile); with a reference.
 */
static struct pci_dev *find_target(void)
{
	struct pci_dev *pdev = NULL;
	struct device *dev;

	if (move_dev) {
		dev = bus_find_device_by_name(&pci_bus_type, NULL, move_dev);
		if (dev && iommu_get_domain_for_dev(dev))
			return to_pci_dev(dev);
		put_device(dev);
		return NULL;
	}
	for_each_pci_dev(pdev)
		if (pdev->vendor == VIRTIO_VENDOR &&
		    (pdev->device == VIRTIO_BLK_LEGACY ||
		     pdev->device == VIRTIO_BLK_MODERN) &&
		    !PCI_FUNC(pdev->devfn) &&
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

/*
 * Move @domain @moves times, a short pause between: DMA runs meanwhile.
 * With @busy_ok (the disk is removed and rescanned meanwhile) a move may be
 * refused because a master's group is busy; no other error is allowed.
 */
static void move_many(struct asid_alloc *aa, struct iommu_domain *domain,
		      unsigned int moves, bool busy_ok)
{
	struct mutex *lock = btm_move_asid_lock();
	unsigned int i, done = 0, busy = 0, bad = 0;
	u16 from = 0, to = 0, first = 0, now;
	int ret = 0;

	for (i = 0; i < moves && !ret; i++) {
		mutex_lock(lock);
		ret = btm_move_domain(aa, domain, ASID_MOVE_FREE, NULL, &from,
				      &to);
		if (!ret && (from == to || btm_move_domain_asid(domain, &now) ||
			     now != to || asid_kind_of(aa, from) != ASID_FREE ||
			     asid_kind_of(aa, to) != ASID_FREE ||
			     xa_load(btm_move_asid_xa(), from) ||
			     !xa_load(btm_move_asid_xa(), to)))
			bad++;
		mutex_unlock(lock);
		if (ret == -EBUSY && busy_ok) {
			busy++;
			ret = 0;
		} else if (!ret && !done++) {
			first = from;
		}
		usleep_range(200, 400);
	}
	check(busy_ok ? "moves-racing-rescan" : "moves",
	      !ret && !bad && done,
	      "%u of %u moves done (%u busy), error %d, %u left ASIDs wrong",
	      done, moves, busy, ret, bad);
	pr_info("moved the disk's domain %u times (%u refused busy), ASID %u to %u\n",
		done, busy, first, to);
}

/* SMMU_IDR5.OAS (bits 2:0, the encoding of ID_AA64MMFR0_EL1.PARange) */
#define KTEST_SMMU_IDR5		0x14
#define KTEST_IDR5_OAS		GENMASK(2, 0)

/* The SMMU's output size, from its own register (encoded as PARange). */
static unsigned int smmu_oas(struct btm_provider *p)
{
	void __iomem *regs = *(void __iomem **)
		BTM_AT(p->smmu, BTM_OFF_arm_smmu_device__base);

	return FIELD_GET(KTEST_IDR5_OAS, readl_relaxed(regs + KTEST_SMMU_IDR5));
}

/*
 * Review R3: 7.x's driver has no SVA on an SMMU that outputs fewer address
 * bits than the CPUs have, and neither may the provider's domains: QEMU's
 * stock SMMU (OAS 44 bits) under -cpu max (PARange 52 bits). Read from the
 * registers here, not from the provider's verdict. Before 7.x the provider
 * makes its domains there all the same (the driver refuses at the device's
 * SVA enable instead).
 */
static bool sva_refused_for_oas(struct btm_provider *p)
{
	return btm_gen->gen == BTM_DRIVER_INVS && smmu_oas(p) < ktest_parange();
}

/*
 * Review R5: a paging domain the driver finalised for the disk but never
 * attached (as a VFIO or iommufd one may be) moves too: 7.x has no entry
 * for its ASID in its invalidation array until an attach. Where domains get
 * their ASID only at their first attach (before 6.11) there is none to move.
 */
static void move_unattached(struct asid_alloc *aa, struct device *dev)
{
	struct iommu_domain *domain = btm_paging_domain_for(dev);
	u16 from = 0, to = 0, now = 0;
	int ret;

	if (PTR_ERR_OR_ZERO(domain) == -EOPNOTSUPP)
		return;
	check("move-unattached-domain-alloc", !IS_ERR(domain), "error %ld",
	      PTR_ERR(domain));
	if (IS_ERR(domain))
		return;
	mutex_lock(btm_move_asid_lock());
	ret = btm_move_domain(aa, domain, ASID_MOVE_FREE, NULL, &from, &to);
	if (!ret)
		ret = btm_move_domain_asid(domain, &now);
	mutex_unlock(btm_move_asid_lock());
	check("move-unattached-domain", !ret && from != to && now == to,
	      "error %d, ASID %u to %u, now %u", ret, from, to, now);
	iommu_domain_free(domain);
}

/*
 * A PCI device attached to a stage-1 DMA domain on another SMMU than
 * @smmu's (the btm board's second SMMU), with a reference; NULL if none.
 */
static struct pci_dev *other_smmu_dev(struct arm_smmu_device *smmu,
				      struct iommu_domain **domain)
{
	struct pci_dev *pdev = NULL;
	u16 asid;

	for_each_pci_dev(pdev) {
		*domain = iommu_get_domain_for_dev(&pdev->dev);
		if (*domain && !btm_move_domain_asid(*domain, &asid) &&
		    domain_smmu(smmu_domain_of(*domain)) != smmu)
			return pdev;
	}
	return NULL;
}

/*
 * Review R4: a bind through one SMMU moves a DMA domain of another in the
 * first one's allocator; the new ASID must fit the domain's own SMMU. The
 * board's SMMUs both have 16-bit ASIDs, so the second one's width is made
 * 8 bits where the driver keeps it (struct arm_smmu_device.asid_bits, which
 * the move reads, as the driver's allocations do) for this one move, and
 * every ASID below 256 is taken: the move must find none free, where
 * with the first SMMU's width it took one above 255.
 */
static void move_across_widths(struct asid_alloc *aa, struct iommu_domain *disk)
{
	struct arm_smmu_device *smmu = domain_smmu(smmu_domain_of(disk));
	struct xarray *xa = btm_move_asid_xa();
	DECLARE_BITMAP(blocked, 256) = {};
	struct iommu_domain *domain;
	struct pci_dev *pdev;
	u16 from = 0, to = 0;
	u32 *bits, saved;
	u32 asid;
	int ret = 0;

	pdev = other_smmu_dev(smmu, &domain);
	if (!pdev)
		return;
	bits = BTM_AT(domain_smmu(smmu_domain_of(domain)),
		      BTM_OFF_arm_smmu_device__asid_bits);
	mutex_lock(btm_move_asid_lock());
	for (asid = 1; asid < 256; asid++)
		if (!xa_insert(xa, asid, NULL, GFP_KERNEL))
			__set_bit(asid, blocked);
	saved = *bits;
	*bits = 8;
	ret = btm_move_domain(aa, domain, ASID_MOVE_FREE, NULL, &from, &to);
	*bits = saved;
	for (asid = 1; asid < 256; asid++)
		if (test_bit(asid, blocked))
			xa_release(xa, asid);
	mutex_unlock(btm_move_asid_lock());
	check("cross-smmu-asid-width", ret == -EBUSY || (!ret && to < 256),
	      "%s: error %d, ASID %u to %u on an SMMU of 8-bit ASIDs (moved in a %u-bit allocator)",
	      pci_name(pdev), ret, from, to, ilog2(aa->nr));
	pci_dev_put(pdev);
}

/*
 * Put @domain on @cpu_asid: every free ASID below it in the driver's xarray
 * is reserved for one move, which takes the lowest free one. An SVA domain
 * for the mm that owns that CPU ASID then meets it there.
 */
static int put_on_asid(struct asid_alloc *aa, struct iommu_domain *domain,
		       u16 cpu_asid)
{
	struct xarray *xa = btm_move_asid_xa();
	unsigned long *blocked;
	u16 from, to = 0;
	u32 asid;
	int ret = 0;

	blocked = bitmap_zalloc(aa->nr, GFP_KERNEL);
	if (!blocked)
		return -ENOMEM;
	mutex_lock(btm_move_asid_lock());
	if (xa_load(xa, cpu_asid) || asid_kind_of(aa, cpu_asid) != ASID_FREE)
		ret = -EBUSY;
	for (asid = 1; !ret && asid < cpu_asid; asid++) {
		ret = xa_insert(xa, asid, NULL, GFP_KERNEL);
		if (!ret)
			__set_bit(asid, blocked);
		else if (ret == -EBUSY)
			ret = 0;
	}
	if (!ret)
		ret = btm_move_domain(aa, domain, ASID_MOVE_FREE, NULL, &from, &to);
	for (asid = 1; asid < cpu_asid; asid++)
		if (test_bit(asid, blocked))
			xa_release(xa, asid);
	mutex_unlock(btm_move_asid_lock());
	bitmap_free(blocked);
	return ret ?: to == cpu_asid ? 0 : -EIO;
}

/* CD word 0's fields, to name where two CDs differ. */
static const struct {
	const char *name;
	u64 mask;
} cd0_fields[] = {
	{ "T0SZ", SMMU_CD0_T0SZ }, { "TG0", SMMU_CD0_TG0 },
	{ "IRGN0", SMMU_CD0_IR0 }, { "ORGN0", SMMU_CD0_OR0 },
	{ "SH0", SMMU_CD0_SH0 }, { "EPD0", SMMU_CD0_EPD0 },
	{ "ENDI", BIT_ULL(15) }, { "EPD1", SMMU_CD0_EPD1 },
	{ "V", SMMU_CD0_V }, { "IPS", SMMU_CD0_IPS }, { "AA64", SMMU_CD0_AA64 },
	{ "HD", BIT_ULL(42) }, { "HA", BIT_ULL(43) }, { "S", SMMU_CD0_S },
	{ "R", SMMU_CD0_R }, { "A", SMMU_CD0_A }, { "ASET", SMMU_CD0_ASET },
	{ "ASID", SMMU_CD0_ASID },
};

/* The fields of word 0 that differ in @diff, into @buf. */
static void cd0_diff_names(u64 diff, char *buf, size_t len)
{
	unsigned int i;
	size_t n = 0;

	buf[0] = 0;
	for (i = 0; i < ARRAY_SIZE(cd0_fields); i++) {
		if (!(diff & cd0_fields[i].mask))
			continue;
		n += scnprintf(buf + n, len - n, "%s%s", n ? "," : "",
			       cd0_fields[i].name);
		diff &= ~cd0_fields[i].mask;
	}
	if (diff)
		scnprintf(buf + n, len - n, "%sbits %#llx", n ? "," : "", diff);
}

/*
 * The driver is the oracle: on a kernel whose driver builds SVA CDs itself
 * (arm_smmu_make_sva_cd(), with CONFIG_ARM_SMMU_V3_SVA), smmu-btm's CD for
 * the same mm and master, stall on and off, must be the driver's bit for
 * bit but for what must differ: ASET, 0 on the CPU's ASID where the
 * driver's is always 1. The master is a copy of the disk's, with
 * stall_enabled set as wanted (the builder reads no more of it for a CD
 * with an mm).
 */
static void check_cd_oracle(struct device *dev, struct iommu_domain *domain,
			    struct mm_struct *mm, u16 asid)
{
	void (*make_sva_cd)(void *target, void *master, struct mm_struct *mm,
			    u16 asid);
	unsigned long addr = btm_kallsyms_lookup("arm_smmu_make_sva_cd");
	__le64 driver[8], ours[4];
	char sym[KSYM_SYMBOL_LEN], name[32], fields[96];
	unsigned int stall, i;
	u64 diff[4];
	void *master;
	int ret;

	if (!IS_ENABLED(CONFIG_ARM_SMMU_V3_SVA) || BTM_SVA_MM_AT_ATTACH)
		return;
	if (addr)
		sprint_symbol(sym, addr);
	check("cd-oracle-found", addr && strstr(sym, "+0x0/"),
	      "the driver's arm_smmu_make_sva_cd is not in kallsyms");
	if (!addr || !strstr(sym, "+0x0/"))
		return;
	make_sva_cd = (void *)addr;
	master = kmemdup(dev_iommu_priv_get(dev), BTM_SIZEOF_arm_smmu_master,
			 GFP_KERNEL);
	if (!master)
		return;
	for (stall = 0; stall < 2; stall++) {
		*(bool *)BTM_AT(master, BTM_OFF_arm_smmu_master__stall_enabled) =
			stall;
		memset(driver, 0, sizeof(driver));
		make_sva_cd(driver, master, mm, asid);
		ret = btm_provider_sva_cd(domain, master, ours);
		for (i = 0; i < 4; i++)
			diff[i] = le64_to_cpu(ours[i] ^ driver[i]);
		cd0_diff_names(diff[0] & ~SMMU_CD0_ASET, fields, sizeof(fields));
		snprintf(name, sizeof(name), "cd-oracle-stall-%s",
			 stall ? "on" : "off");
		check(name, !ret && (diff[0] & SMMU_CD0_ASET) &&
		      !(le64_to_cpu(ours[0]) & SMMU_CD0_ASET) &&
		      !(diff[0] & ~SMMU_CD0_ASET) && !diff[1] && !diff[2] &&
		      !diff[3] && !!(le64_to_cpu(ours[0]) & SMMU_CD0_S) == stall,
		      "error %d; ours %#llx %#llx %#llx, the driver's %#llx %#llx %#llx; word 0 differs beyond ASET in: %s",
		      ret, le64_to_cpu(ours[0]), le64_to_cpu(ours[1]),
		      le64_to_cpu(ours[3]), le64_to_cpu(driver[0]),
		      le64_to_cpu(driver[1]), le64_to_cpu(driver[3]),
		      fields[0] ? fields : "none");
		pr_info("%s: ours %#llx, the driver's %#llx: they differ in ASET only, which must (ASET 0: the CPU's ASID)\n",
			name, le64_to_cpu(ours[0]), le64_to_cpu(driver[0]));
	}
	kfree(master);
}

/*
 * An SVA domain from the provider, through the ops the device now has: on
 * the CPU ASID, with an ASET=0 CD for it, holding a module reference; its
 * attach fails cleanly (QEMU's SMMU has no substreams); free gives all back.
 * (On 6.2 to 6.9 the ASID comes with that first attach.)
 * With @dma_domain on the CPU ASID first, the allocation must move it.
 */
static void sva_domain(struct btm_provider *p, struct device *dev,
		       struct mm_struct *mm, u16 cpu_asid,
		       struct iommu_domain *dma_domain)
{
	const char *tag = dma_domain ? "sva-conflict" : "sva";
	unsigned int refs = module_refcount(THIS_MODULE);
	int moved = atomic_read(&p->moved);
	struct iommu_domain *domain;
	struct asid_counts counts;
	__le64 cd[4];
	u64 cd0, tcr;
	bool shared = false;
	u16 asid = 0, now = 0;
	char name[32];
	int ret;

	domain = btm_ops_sva_alloc(ops_of(dev), dev, mm);
	/*
	 * QEMU's SMMU has no substreams: an attach fails cleanly. On 6.2 to
	 * 6.9 the failed attach is still the domain's first, which sets it up
	 * (those kernels tell a domain its mm only after allocating it).
	 */
	ret = IS_ERR(domain) ? PTR_ERR(domain) : btm_set_dev_pasid(domain, dev, 1);
	/* With LPA2 (TCR_EL1.DS) the SMMU cannot walk the CPU's tables. */
	if (read_sysreg(tcr_el1) & KTEST_TCR_DS) {
		snprintf(name, sizeof(name), "%s-refused-for-lpa2", tag);
		check(name, ret == -EOPNOTSUPP,
		      "the SVA domain's allocation and first attach gave %d on a CPU using LPA2",
		      ret);
		if (!IS_ERR(domain))
			domain->ops->free(domain);
		return;
	}
	snprintf(name, sizeof(name), "%s-supported-checks", tag);
	check(name, sva_refused_for_oas(p) == (ret == -EOPNOTSUPP),
	      "the SVA domain's allocation and first attach gave %d with SMMU_IDR5.OAS %u and PARange %u",
	      ret, smmu_oas(p), ktest_parange());
	if (sva_refused_for_oas(p)) {
		if (!IS_ERR(domain))
			domain->ops->free(domain);
		return;
	}
	snprintf(name, sizeof(name), "%s-alloc", tag);
	check(name, !IS_ERR(domain), "error %ld", PTR_ERR(domain));
	if (IS_ERR(domain))
		return;
	snprintf(name, sizeof(name), "%s-attach-refused", tag);
	check(name, ret == -EINVAL,
	      "set_dev_pasid() returned %d for PASID 1 of a device with %u PASIDs",
	      ret, btm_dev_max_pasids(dev));
	ret = btm_provider_sva_asid(domain, &asid, &shared);
	snprintf(name, sizeof(name), "%s-cpu-asid", tag);
	check(name, !ret && shared && asid == cpu_asid,
	      "error %d, ASID %u (CPU's %u), shared %d", ret, asid, cpu_asid,
	      shared);
	ret = btm_provider_sva_cd(domain, NULL, cd);
	tcr = read_sysreg(tcr_el1);
	cd0 = le64_to_cpu(cd[0]);
	snprintf(name, sizeof(name), "%s-cd", tag);
	/*
	 * ASET 0 on the CPU ASID; the mm's pgd; the CPU's own TCR and MAIR;
	 * the output size the system's PARange, which covers TCR_EL1's, capped
	 * to the SMMU's (where it is smaller, before 7.x).
	 */
	check(name, !ret && !(cd0 & SMMU_CD0_ASET) &&
	      FIELD_GET(SMMU_CD0_ASID, cd0) == cpu_asid &&
	      le64_to_cpu(cd[1]) == (virt_to_phys(mm->pgd) & SMMU_CD1_TTB0) &&
	      FIELD_GET(SMMU_CD0_T0SZ, cd0) == (tcr & 63) &&
	      FIELD_GET(SMMU_CD0_TG0, cd0) == ((tcr >> 14) & 3) &&
	      FIELD_GET(SMMU_CD0_IPS, cd0) ==
	      min(ktest_parange(), smmu_oas(p)) &&
	      (cd0 & SMMU_CD0_V) && le64_to_cpu(cd[3]) == read_sysreg(mair_el1),
	      "error %d, CD0 %#llx CD1 %#llx CD3 %#llx, TCR_EL1 %#llx", ret,
	      cd0, le64_to_cpu(cd[1]), le64_to_cpu(cd[3]), tcr);
	if (!dma_domain)
		check_cd_oracle(dev, domain, mm, cpu_asid);
	snprintf(name, sizeof(name), "%s-holds-module", tag);
	check(name, module_refcount(THIS_MODULE) == refs + 1,
	      "module references %d, %u before", module_refcount(THIS_MODULE),
	      refs);
	if (dma_domain) {
		btm_move_domain_asid(dma_domain, &now);
		check("sva-moved-dma-domain",
		      atomic_read(&p->moved) == moved + 1 && now != cpu_asid,
		      "moves by the provider %d (%d before), DMA domain on %u",
		      atomic_read(&p->moved), moved, now);
		pr_info("the disk's domain gave CPU ASID %u to the SVA domain and runs on ASID %u\n",
			cpu_asid, now);
	}
	domain->ops->free(domain);
	/* The domain itself goes once its notifier's grace period is over. */
	btm_shim_exit();
	mutex_lock(btm_move_asid_lock());
	asid_alloc_counts(&p->aa, &counts);
	mutex_unlock(btm_move_asid_lock());
	snprintf(name, sizeof(name), "%s-freed", tag);
	check(name, !counts.nr_pinned && !counts.nr_moving &&
	      module_refcount(THIS_MODULE) == refs &&
	      asid_kind_of(&p->aa, cpu_asid) == ASID_FREE,
	      "pinned %u, moving %u, module references %d (%u before)",
	      counts.nr_pinned, counts.nr_moving, module_refcount(THIS_MODULE),
	      refs);
}

/* Whether the driver's xarray holds @asid, reserved or not. */
static bool asid_held(u16 asid)
{
	struct xarray *xa = btm_move_asid_xa();
	int ret;

	ret = xa_insert(xa, asid, NULL, GFP_KERNEL);
	if (!ret)
		xa_release(xa, asid);
	return ret == -EBUSY;
}

/*
 * Two SVA domains for one mm share its CPU ASID; the driver's xarray keeps
 * it reserved until the last of them is freed (and a process bound on two
 * SMMUs takes the same path through the reservation count).
 */
static void sva_two_domains(struct device *dev, struct mm_struct *mm,
			    u16 cpu_asid)
{
	struct iommu_domain *domain[2];
	bool held[3] = {};
	unsigned int i;
	int ret = 0;

	for (i = 0; i < 2; i++) {
		domain[i] = btm_ops_sva_alloc(ops_of(dev), dev, mm);
		/* The first attach sets a 6.2 to 6.9 domain up; QEMU refuses. */
		if (!IS_ERR(domain[i]))
			btm_set_dev_pasid(domain[i], dev, 1);
		else
			ret = PTR_ERR(domain[i]);
	}
	for (i = 0; i < 2; i++) {
		mutex_lock(btm_move_asid_lock());
		held[i] = asid_held(cpu_asid);
		mutex_unlock(btm_move_asid_lock());
		if (!IS_ERR(domain[i]))
			domain[i]->ops->free(domain[i]);
	}
	btm_shim_exit();
	mutex_lock(btm_move_asid_lock());
	held[2] = asid_held(cpu_asid);
	mutex_unlock(btm_move_asid_lock());
	check("sva-two-domains-one-reservation",
	      !ret && held[0] && held[1] && !held[2],
	      "error %d; CPU ASID %u held with two domains %d, with one %d, with none %d",
	      ret, cpu_asid, held[0], held[1], held[2]);
}

static struct btm_provider provider;
static bool provider_installed;

/*
 * Bind to the driver, place the move's hooks and install the provider on
 * @pdev's SMMU; @hooked and @installed say how far that got.
 */
static int setup(struct pci_dev *pdev, bool *hooked, bool *installed)
{
	struct iommu_device *iommu = pdev->dev.iommu->iommu_dev;
	void *smmu = (char *)iommu - BTM_OFF_arm_smmu_device__iommu;
	u32 features = *(u32 *)BTM_AT(smmu, BTM_OFF_arm_smmu_device__features);
	/* The notifier's SMMU facts, as smmu-btm takes them from the driver. */
	const struct inv_smmu inv = {
		.range_inv = features & SMMU_DRV_FEAT_RANGE_INV,
		.el2 = features & SMMU_DRV_FEAT_E2H,
		.page_shift = PAGE_SHIFT,
		.force_sync = *(u32 *)BTM_AT(smmu,
					     BTM_OFF_arm_smmu_device__options) &
			      SMMU_DRV_OPT_CMDQ_FORCE_SYNC,
	};
	struct btm_binding binding = {};
	int ret;

	*hooked = false;
	*installed = false;
	ret = btm_kallsyms_init();
	if (!ret)
		ret = btm_check_kernel(&binding);
	if (!ret)
		ret = btm_bind_symbols(&binding, ops_of(&pdev->dev), NULL);
	if (!ret)
		ret = btm_move_init();
	*hooked = !ret;
	if (!ret)
		ret = btm_provider_init();
	if (!ret)
		/* QEMU's SMMU does not force stalls. */
		ret = btm_provider_install(&provider, iommu, smmu, *(u32 *)
					   ((char *)smmu + BTM_OFF_arm_smmu_device__asid_bits),
					   false, &inv, false);
	*installed = !ret;
	return ret;
}

/* Undo setup(); false if the provider still has SVA domains. */
static bool teardown(bool hooked, bool installed)
{
	if (installed && btm_provider_remove(&provider)) {
		pr_err("provider still has SVA domains; leaving it installed\n");
		return false;
	}
	if (hooked)
		btm_move_exit();
	return true;
}

/* The provider is on the disk's SMMU: the device's ops and domain say so. */
static void check_provider(struct device *dev, bool installed)
{
	const struct iommu_ops *want = installed ? provider.ops : provider.orig;
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	check(installed ? "provider-installed" : "provider-removed",
	      ops_of(dev) == want && domain &&
	      btm_domain_owned_by(domain, want) &&
	      btm_provider_hooks(ops_of(dev)) == installed,
	      "device ops %ps, want %ps; SVA allocation through the provider: %d",
	      ops_of(dev), want, btm_provider_hooks(ops_of(dev)));
}

/**
 * ktest_moves() - the ASID move and SVA provider checks on the disk's SMMU
 * @mm: the test mm
 * @moves: how many moves of the disk's DMA domain to make under DMA
 * @keep: leave the provider installed until ktest_moves_exit()
 * @race: the disk is removed and rescanned meanwhile: a move may be refused
 */
void ktest_moves(struct mm_struct *mm, unsigned int moves, bool keep,
		 bool race)
{
	struct btm_move_stats stats;
	struct iommu_domain *domain;
	struct asid_counts counts;
	unsigned int before, after;
	bool hooked, installed, sva;
	struct pci_dev *pdev;
	u16 cpu_asid;
	int ret;

	pdev = find_target();
	check("disk-found", pdev, "no %s behind an IOMMU",
	      move_dev ?: "virtio-blk PCI device");
	if (!pdev)
		return;
	domain = iommu_get_domain_for_dev(&pdev->dev);
	ret = setup(pdev, &hooked, &installed);
	check("setup", !ret, "error %d (hooks placed: %d)", ret, hooked);
	if (ret)
		goto exit;
	provider_installed = true;
	check_provider(&pdev->dev, true);

	mutex_lock(btm_move_asid_lock());
	before = driver_asid_count(btm_move_asid_xa());
	mutex_unlock(btm_move_asid_lock());

	move_many(&provider.aa, domain, moves, race);
	if (!race && !move_dev) {
		move_unattached(&provider.aa, &pdev->dev);
		move_across_widths(&provider.aa, domain);
	}

	/*
	 * The disk comes and goes, or the domain is another device's (the SVA
	 * checks below are for a device without PASIDs): only the moves are
	 * tested then.
	 */
	cpu_asid = race || move_dev ? 0 : btm_sva_pin_asid(mm);
	check("cpu-asid-pin", race || move_dev || cpu_asid,
	      "arm64_mm_context_get() returned 0");
	if (cpu_asid) {
		sva_domain(&provider, &pdev->dev, mm, cpu_asid, NULL);
		/*
		 * Under LPA2, or where the SMMU is refused SVA, there is no
		 * SVA domain to meet the conflict.
		 */
		sva = !(read_sysreg(tcr_el1) & KTEST_TCR_DS) &&
		      !sva_refused_for_oas(&provider);
		if (sva)
			sva_two_domains(&pdev->dev, mm, cpu_asid);
		if (sva) {
			ret = put_on_asid(&provider.aa, domain, cpu_asid);
			check("conflict-made", !ret,
			      "error %d putting the domain on CPU ASID %u",
			      ret, cpu_asid);
			if (!ret)
				sva_domain(&provider, &pdev->dev, mm, cpu_asid,
					   domain);
		}
		btm_sva_unpin_asid(mm);
	}

	mutex_lock(btm_move_asid_lock());
	after = driver_asid_count(btm_move_asid_xa());
	asid_alloc_counts(&provider.aa, &counts);
	mutex_unlock(btm_move_asid_lock());
	/* The allocator holds smmu-btm's own ASIDs only: none left. */
	check("no-asid-leak", after == before && !counts.nr_pinned &&
	      !counts.nr_moving && !counts.nr_private &&
	      !atomic_read(&provider.domains),
	      "driver ASIDs %u before, %u after; allocator: %u private, %u pinned, %u moving; %d SVA domains",
	      before, after, counts.nr_private, counts.nr_pinned,
	      counts.nr_moving, atomic_read(&provider.domains));
	pr_info("provider: %d SVA domains moved a DMA domain, %d fell back to a private ASID\n",
		atomic_read(&provider.moved), atomic_read(&provider.fallbacks));
	if (keep)
		goto put;
	/* Left installed, ktest_moves_exit() tries again. */
	provider_installed = !teardown(false, true);
	check("provider-remove", !provider_installed, "SVA domains left");
	if (provider_installed)
		goto put;
	check_provider(&pdev->dev, false);
	installed = false;
exit:
	teardown(hooked, installed);
	btm_move_read_stats(&stats);
	check("no-array-leak", !stats.arrays, "%ld invalidation arrays not freed",
	      stats.arrays);
	pr_info("moves %llu, undone %llu, invalidations hooked %llu, widened %llu\n",
		stats.moves, stats.undone, stats.hooked, stats.covers);
put:
	pci_dev_put(pdev);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void print_ns(const char *what, u64 *ns, unsigned int n,
		     unsigned int masters)
{
	if (!n) {
		pr_info("BENCH %s masters=%u n=0\n", what, masters);
		return;
	}
	sort(ns, n, sizeof(*ns), cmp_u64, NULL);
	pr_info("BENCH %s masters=%u n=%u median_us=%llu.%03llu p99_us=%llu.%03llu\n",
		what, masters, n, ns[n / 2] / 1000, ns[n / 2] % 1000,
		ns[n * 99 / 100] / 1000, ns[n * 99 / 100] % 1000);
}

/**
 * ktest_bench() - time ASID moves of the first disk's DMA domain
 * @moves: how many
 *
 * Prints the median and 99th percentile of one move (the driver's ASID
 * mutex held), with the number of CDs each move rewrites; then the same of
 * the moves during which this thread never left its CPU, and how many did:
 * the disks' readers compete for the guest's two CPUs, and a move that is
 * switched out counts the time another task ran. The provider is installed
 * for its allocator, and removed.
 */
void ktest_bench(unsigned int moves)
{
	struct iommu_domain *domain;
	unsigned int i, masters = 0;
	struct btm_move_stats stats;
	bool hooked = false, installed = false;
	struct pci_dev *pdev;
	u64 *move_ns, *quiet_ns, t0;
	unsigned long switches;
	unsigned int quiet = 0;
	u16 from, to;
	int ret;

	pdev = find_target();
	check("bench-disk", pdev, "no virtio-blk PCI device behind an IOMMU");
	if (!pdev)
		return;
	domain = iommu_get_domain_for_dev(&pdev->dev);
	move_ns = kvmalloc_array(2 * (size_t)moves, sizeof(u64), GFP_KERNEL);
	quiet_ns = move_ns ? move_ns + moves : NULL;
	ret = move_ns ? setup(pdev, &hooked, &installed) : -ENOMEM;
	check("bench-setup", !ret, "error %d", ret);
	for (i = 0; !ret && i < moves; i++) {
		mutex_lock(btm_move_asid_lock());
		switches = current->nvcsw + current->nivcsw;
		t0 = ktime_get_ns();
		ret = btm_move_domain(&provider.aa, domain, ASID_MOVE_FREE,
				      NULL, &from, &to);
		move_ns[i] = ktime_get_ns() - t0;
		if (current->nvcsw + current->nivcsw == switches)
			quiet_ns[quiet++] = move_ns[i];
		masters = btm_move_domain_cds(domain);
		mutex_unlock(btm_move_asid_lock());
		usleep_range(100, 200);
	}
	check("bench-moves", !ret && i == moves, "%u moves, error %d", i, ret);
	if (!ret && i == moves) {
		print_ns("move", move_ns, moves, masters);
		print_ns("move-on-cpu", quiet_ns, quiet, masters);
		pr_info("BENCH switched masters=%u moves=%u switched_out=%u\n",
			masters, moves, moves - quiet);
	}
	btm_move_read_stats(&stats);
	pr_info("BENCH hooks masters=%u hooked=%llu missed=%llu widened=%llu armings=%llu arm_us=%llu\n",
		masters, stats.hooked, stats.missed, stats.covers,
		stats.armings,
		stats.armings ? div64_u64(stats.arm_ns, stats.armings * 1000) : 0);
	/* The bench allocates no SVA domain: removal cannot be refused. */
	teardown(hooked, installed);
	kvfree(move_ns);
	pci_dev_put(pdev);
}

/* Time @binds SVA domain allocations for @mm on @dev, freeing each. */
static int bench_binds(struct device *dev, struct mm_struct *mm,
		       unsigned int binds, unsigned int dma_domains)
{
	struct iommu_domain *domain;
	unsigned int i;
	u64 *ns, t0;
	int ret = 0;

	ns = kvmalloc_array(binds, sizeof(u64), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	for (i = 0; i < binds && !ret; i++) {
		t0 = ktime_get_ns();
		domain = btm_ops_sva_alloc(ops_of(dev), dev, mm);
		ns[i] = ktime_get_ns() - t0;
		if (IS_ERR(domain))
			ret = PTR_ERR(domain);
		else
			domain->ops->free(domain);
	}
	btm_shim_exit();
	if (!ret) {
		sort(ns, binds, sizeof(*ns), cmp_u64, NULL);
		pr_info("BENCH bind dma_domains=%u n=%u median_us=%llu.%03llu p99_us=%llu.%03llu\n",
			dma_domains, binds, ns[binds / 2] / 1000,
			ns[binds / 2] % 1000, ns[binds * 99 / 100] / 1000,
			ns[binds * 99 / 100] % 1000);
	}
	kvfree(ns);
	return ret;
}

/**
 * ktest_bench_bind() - time SVA domain allocations against DMA domains
 * @mm: the test mm
 * @binds: allocations to time at each count
 *
 * With the disk's DMA domain alone, then with 10,000 stage-1 DMA domains
 * of the driver's (each on an ASID of its own, finalised for the disk at
 * their allocation), @binds SVA domains are allocated and freed through
 * the provider, each on the mm's CPU ASID, and the median and 99th
 * percentile of one allocation printed: what a bind costs, under the
 * driver's ASID mutex, as the driver's table fills. Drivers that give a
 * domain its ASID only at its first attach (6.2 to 6.9) say so instead.
 */
void ktest_bench_bind(struct mm_struct *mm, unsigned int binds)
{
	static const unsigned int counts[] = { 1, 10000 };
	bool hooked = false, installed = false;
	struct iommu_domain **doms = NULL;
	unsigned int c, n = 0;
	struct pci_dev *pdev;
	int ret;

	pdev = find_target();
	check("bench-disk", pdev, "no virtio-blk PCI device behind an IOMMU");
	if (!pdev)
		return;
	ret = setup(pdev, &hooked, &installed);
	check("bench-setup", !ret, "error %d", ret);
	doms = ret ? NULL : kvcalloc(counts[1], sizeof(*doms), GFP_KERNEL);
	for (c = 0; doms && c < ARRAY_SIZE(counts); c++) {
		while (n + 1 < counts[c]) {
			doms[n] = btm_paging_domain_for(&pdev->dev);
			if (IS_ERR(doms[n]))
				break;
			n++;
		}
		if (n + 1 < counts[c]) {
			pr_info("BENCH bind dma_domains=%u n/a: %ld (this driver gives a domain its ASID at its first attach)\n",
				counts[c], PTR_ERR(doms[n]));
			break;
		}
		ret = bench_binds(&pdev->dev, mm, binds, counts[c]);
		check("bench-binds", !ret, "error %d with %u DMA domains", ret,
		      counts[c]);
	}
	while (n)
		iommu_domain_free(doms[--n]);
	kvfree(doms);
	teardown(hooked, installed);
	pci_dev_put(pdev);
}

/*
 * The debugfs file "move", with the provider left installed. Writing "1"
 * moves the disk's DMA domain once and returns the move's error, so that
 * the guest's fault-injection walk can fail each step of one move in turn.
 * Writing "mine" puts the domain on the writer's CPU ASID, so that the
 * writer's next SVA bind must move it away again while the disk is in use
 * (the moves-under-DMA test). A read tells what a failed move must not
 * leave behind, and the domain's ASID, which must stay in the driver's
 * table for the domain.
 */
static ssize_t move_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	struct iommu_domain *domain;
	struct pci_dev *pdev;
	char text[8] = "";
	u16 from, to, cpu;
	int ret;

	if (copy_from_user(text, ubuf, min(len, sizeof(text) - 1)))
		return -EFAULT;
	pdev = provider_installed ? find_target() : NULL;
	if (!pdev)
		return -ENODEV;
	domain = iommu_get_domain_for_dev(&pdev->dev);
	if (sysfs_streq(text, "mine")) {
		cpu = btm_sva_pin_asid(current->mm);
		ret = cpu ? put_on_asid(&provider.aa, domain, cpu) : -EINVAL;
		if (cpu)
			btm_sva_unpin_asid(current->mm);
	} else {
		mutex_lock(btm_move_asid_lock());
		ret = btm_move_domain(&provider.aa, domain, ASID_MOVE_FREE,
				      NULL, &from, &to);
		mutex_unlock(btm_move_asid_lock());
	}
	pci_dev_put(pdev);
	return ret ?: len;
}

static int move_show(struct seq_file *m, void *unused)
{
	struct btm_move_stats stats;
	struct iommu_domain *domain;
	struct asid_counts counts;
	struct pci_dev *pdev;
	unsigned int driver;
	u16 asid = 0;
	bool owned;
	int ret;

	pdev = provider_installed ? find_target() : NULL;
	if (!pdev)
		return -ENODEV;
	domain = iommu_get_domain_for_dev(&pdev->dev);
	mutex_lock(btm_move_asid_lock());
	ret = btm_move_domain_asid(domain, &asid);
	owned = !ret && xa_load(btm_move_asid_xa(), asid);
	driver = driver_asid_count(btm_move_asid_xa());
	asid_alloc_counts(&provider.aa, &counts);
	mutex_unlock(btm_move_asid_lock());
	pci_dev_put(pdev);
	btm_move_read_stats(&stats);
	seq_printf(m, "driver_asids %u private %u pinned %u moving %u arrays %ld covering %d owned %d\n",
		   driver, counts.nr_private, counts.nr_pinned,
		   counts.nr_moving, stats.arrays, stats.covering, owned);
	seq_printf(m, "asid %u moves %llu undone %llu armed %d armings %llu\n",
		   asid, stats.moves, stats.undone, stats.armed,
		   stats.armings);
	return 0;
}

static int move_open(struct inode *inode, struct file *file)
{
	return single_open(file, move_show, NULL);
}

/* By hand: DEFINE_SHOW_STORE_ATTRIBUTE() came with 6.7. */
static const struct file_operations move_fops = {
	.owner = THIS_MODULE,
	.open = move_open,
	.read = seq_read,
	.write = move_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * ktest_move_file() - create the debugfs file "move" in @dir
 * @dir: the test module's debugfs folder
 */
void ktest_move_file(struct dentry *dir)
{
	debugfs_create_file("move", 0600, dir, NULL, &move_fops);
}

/**
 * ktest_provider() - the provider ktest_moves() left installed
 * @dev: set to the disk's device, for which SVA domains are allocated
 *
 * Return: the provider, or NULL when none is installed.
 */
struct btm_provider *ktest_provider(struct device **dev)
{
	struct pci_dev *pdev;

	if (!provider_installed)
		return NULL;
	pdev = find_target();
	if (!pdev)
		return NULL;
	*dev = &pdev->dev;
	/* The device outlives the test module's use: the disk stays. */
	pci_dev_put(pdev);
	return &provider;
}

/**
 * ktest_moves_exit() - remove the provider ktest_moves() left installed
 */
void ktest_moves_exit(void)
{
	if (provider_installed && teardown(true, true))
		provider_installed = false;
}
