// SPDX-License-Identifier: GPL-2.0
/*
 * Binding to the running arm-smmu-v3 driver.
 *
 * Private driver structures and functions are not kABI. The structure
 * layouts come from the target kernel's BTF at build time (generated/layout.h,
 * written by kbuild/gen-layout) and are only trusted once the running
 * kernel's BTF is shown to be the one they were read from. Functions and
 * data come from kallsyms, each checked to be exactly one symbol of that
 * name (a known compiler clone only where smmu-btm never calls it), to
 * start at the address found, and to lie in the kernel image's text or data
 * (the driver is built in; a modular one is refused).
 *
 * Design: doc/binding.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "driver_calls.h"
#include "driver_gen.h"
#include "generated/layout.h"
#include "smmu_btm.h"

#define GEN(g)	BIT(BTM_DRIVER_##g)

/* Where a symbol's address goes in struct btm_driver_calls. */
#define CALL(member)	.stored = true, \
			.slot = offsetof(struct btm_driver_calls, member)

struct btm_driver_calls btm_drv;

/**
 * struct btm_sym_spec - one driver symbol smmu-btm uses
 * @name: its name in the driver's source
 * @gens: the driver generations that require it
 * @data: a variable (else a function)
 * @is_ops: the driver's iommu_ops, which the iommu core also hands out: the
 *	    symbol must be that very address (arm-smmu, the SMMUv2 driver,
 *	    has its own arm_smmu_ops)
 * @clone_ok: smmu-btm only locates this function and never calls it, so a
 *	      GCC clone of it (another calling convention) will do
 * @stored: smmu-btm uses it, through btm_drv; else it is only checked to
 *	    be there, as part of the driver's shape
 * @slot: with @stored, the offset of its member in struct btm_driver_calls
 */
struct btm_sym_spec {
	const char *name;
	unsigned int gens;
	bool data;
	bool is_ops;
	bool clone_ok;
	bool stored;
	size_t slot;
};

/*
 * The table of every driver symbol the module uses, per generation. A
 * generation lists a symbol only where its build keeps it: 6.1 (Debian) has
 * no CONFIG_KALLSYMS_ALL, so no data symbols, and inlines the domain
 * finaliser; 6.2 to 6.8 write SVA CDs (in the DMA domain's CD table to
 * 6.6, in the master's from 6.7) with arm_smmu_write_ctx_desc() (quiet_cd: the CD of an exited mm;
 * sva_lock: the SVA mutex that guards a master's bonds); 7.x
 * replaced the ASID and ATC invalidation helpers by
 * arm_smmu_domain_inv_range().
 */
static const struct btm_sym_spec btm_syms[BTM_SYM_NR] = {
	[BTM_SYM_OPS] = {
		.name = "arm_smmu_ops",
		.gens = GEN(S1_CFG) | GEN(MASTER_CD) | GEN(DOMAIN) | GEN(REPLACE) | GEN(INVS),
		.data = true,
		.is_ops = true,
		CALL(ops),
	},
	[BTM_SYM_DEVICE_RESET] = {
		.name = "arm_smmu_device_reset",
		.gens = GEN(BOND) | GEN(S1_CFG) | GEN(MASTER_CD) | GEN(DOMAIN) |
			GEN(REPLACE) | GEN(INVS),
	},
	[BTM_SYM_CMDQ_ISSUE_CMDLIST] = {
		.name = "arm_smmu_cmdq_issue_cmdlist",
		.gens = GEN(BOND) | GEN(S1_CFG) | GEN(MASTER_CD) | GEN(DOMAIN) |
			GEN(REPLACE) | GEN(INVS),
		CALL(cmdq_issue_cmdlist),
	},
	[BTM_SYM_ASID_XA] = {
		.name = "arm_smmu_asid_xa",
		.gens = GEN(S1_CFG) | GEN(MASTER_CD) | GEN(DOMAIN) | GEN(REPLACE) | GEN(INVS),
		.data = true,
		CALL(asid_xa),
	},
	[BTM_SYM_ASID_LOCK] = {
		.name = "arm_smmu_asid_lock",
		.gens = GEN(S1_CFG) | GEN(MASTER_CD) | GEN(DOMAIN) | GEN(REPLACE) | GEN(INVS),
		.data = true,
		CALL(asid_lock),
	},
	[BTM_SYM_TLB_INV_ASID] = {
		.name = "arm_smmu_tlb_inv_asid",
		.gens = GEN(BOND) | GEN(S1_CFG) | GEN(MASTER_CD) | GEN(DOMAIN) | GEN(REPLACE),
		CALL(tlb_inv_asid),
	},
	[BTM_SYM_TLB_INV_RANGE_ASID] = {
		.name = "arm_smmu_tlb_inv_range_asid",
		.gens = GEN(BOND) | GEN(S1_CFG) | GEN(MASTER_CD) | GEN(DOMAIN) | GEN(REPLACE),
	},
	[BTM_SYM_ATC_INV_DOMAIN] = {
		.name = "arm_smmu_atc_inv_domain",
		.gens = GEN(BOND) | GEN(DOMAIN) | GEN(REPLACE),
	},
	[BTM_SYM_DOMAIN_INV_RANGE] = {
		.name = "arm_smmu_domain_inv_range",
		.gens = GEN(INVS),
		CALL(domain_inv_range),
	},
	[BTM_SYM_WRITE_CTX_DESC] = {
		.name = "arm_smmu_write_ctx_desc",
		.gens = GEN(BOND) | GEN(S1_CFG) | GEN(MASTER_CD),
		CALL(write_ctx_desc),
	},
	[BTM_SYM_WRITE_CD_ENTRY] = {
		.name = "arm_smmu_write_cd_entry",
		.gens = GEN(DOMAIN) | GEN(REPLACE) | GEN(INVS),
		CALL(write_cd_entry),
	},
	[BTM_SYM_GET_CD_PTR] = {
		.name = "arm_smmu_get_cd_ptr",
		.gens = GEN(DOMAIN) | GEN(REPLACE) | GEN(INVS),
		CALL(get_cd_ptr),
	},
	[BTM_SYM_MAKE_S1_CD] = {
		.name = "arm_smmu_make_s1_cd",
		.gens = GEN(DOMAIN) | GEN(REPLACE) | GEN(INVS),
	},
	[BTM_SYM_DOMAIN_FINALISE] = {
		.name = "arm_smmu_domain_finalise",
		.gens = GEN(DOMAIN) | GEN(REPLACE) | GEN(INVS),
		.clone_ok = true,
	},
	[BTM_SYM_TLB_INV_CONTEXT] = {
		.name = "arm_smmu_tlb_inv_context",
		.gens = GEN(S1_CFG) | GEN(MASTER_CD) | GEN(DOMAIN) | GEN(REPLACE),
		CALL(tlb_inv_context_at),
	},
	[BTM_SYM_TLB_INV_WALK] = {
		.name = "arm_smmu_tlb_inv_walk",
		.gens = GEN(S1_CFG) | GEN(MASTER_CD) | GEN(DOMAIN) | GEN(REPLACE),
		CALL(tlb_inv_walk_at),
	},
	[BTM_SYM_QUIET_CD] = {
		.name = "quiet_cd",
		.gens = GEN(S1_CFG) | GEN(MASTER_CD),
		.data = true,
		CALL(quiet_cd),
	},
	[BTM_SYM_SVA_LOCK] = {
		.name = "sva_lock",
		.gens = GEN(S1_CFG) | GEN(MASTER_CD),
		.data = true,
		CALL(sva_lock),
	},
	[BTM_SYM_DOMAIN_ALLOC] = {
		.name = "arm_smmu_domain_alloc",
		.gens = GEN(DOMAIN) | GEN(REPLACE) | GEN(INVS),
		CALL(domain_alloc),
	},
	[BTM_SYM_SET_PASID] = {
		.name = "arm_smmu_set_pasid",
		.gens = GEN(DOMAIN) | GEN(REPLACE) | GEN(INVS),
		CALL(set_pasid),
	},
};

/*
 * Suffixes GCC gives the clones its IPA passes make of a static function.
 * A clone has its own calling convention (or is a fragment), so it stands
 * in for the function only where smmu-btm never calls it.
 */
static const char *const clone_suffixes[] = {
	".constprop.0", ".isra.0", ".part.0",
};

/* Candidates kept per symbol: enough to pick arm_smmu_ops among two. */
#define MAX_CANDIDATES	4

/**
 * struct sym_candidates - what kallsyms holds under one table name
 * @exact: symbols of exactly that name
 * @clones: symbols of that name with a clone suffix
 * @addr: the first MAX_CANDIDATES exact ones
 * @clone_addr: the first clone
 */
struct sym_candidates {
	unsigned int exact;
	unsigned int clones;
	unsigned long addr[MAX_CANDIDATES];
	unsigned long clone_addr;
};

struct sym_search {
	const char *names[BTM_SYM_NR];
	unsigned int gens;
	struct sym_candidates found[BTM_SYM_NR];
};

/**
 * btm_sym_name() - the driver's name of a symbol
 * @sym: the symbol
 *
 * Return: its name.
 */
const char *btm_sym_name(enum btm_sym sym)
{
	return btm_syms[sym].name;
}

/* 0 if @found is not @want, 1 if it is exactly, 2 if it is a clone of it. */
static int name_matches(const char *found, const char *want)
{
	size_t len = strlen(want);
	unsigned int i;

	if (strncmp(found, want, len))
		return 0;
	if (!found[len])
		return 1;
	for (i = 0; i < ARRAY_SIZE(clone_suffixes); i++)
		if (!strcmp(found + len, clone_suffixes[i]))
			return 2;
	return 0;
}

static int search_cb(void *data, const char *name, unsigned long addr)
{
	struct sym_search *search = data;
	struct sym_candidates *c;
	unsigned int i;

	/* Every name in the table starts so: skip the rest cheaply. */
	if (strncmp(name, "arm_smmu_", 9) && strncmp(name, "smmu_btm_", 9) &&
	    strcmp(name, "quiet_cd") && strcmp(name, "sva_lock"))
		return 0;
	for (i = 0; i < BTM_SYM_NR; i++) {
		if (!(search->gens & btm_syms[i].gens))
			continue;
		c = &search->found[i];
		switch (name_matches(name, search->names[i])) {
		case 1:
			if (c->exact < MAX_CANDIDATES)
				c->addr[c->exact] = addr;
			c->exact++;
			break;
		case 2:
			if (!c->clones)
				c->clone_addr = addr;
			c->clones++;
			break;
		}
	}
	return 0;
}

/* The kernel image's bounds, for symbols of a built-in driver. */
struct image_bounds {
	unsigned long text_start, text_end, data_start, data_end;
};

/*
 * Without CONFIG_KALLSYMS_ALL (Debian 6.1) the data bounds are not in
 * kallsyms; such a kernel lists no data symbol either, and check_symbol()
 * refuses one whose bound it lacks.
 */
static void get_image_bounds(struct image_bounds *b)
{
	b->text_start = btm_kallsyms_lookup("_stext");
	b->text_end = btm_kallsyms_lookup("_etext");
	b->data_start = btm_kallsyms_lookup("__start_rodata");
	b->data_end = btm_kallsyms_lookup("_end");
}

static bool in_image(unsigned long addr, bool data,
		     const struct image_bounds *b)
{
	if (data)
		return addr >= b->data_start && addr < b->data_end;
	return addr >= b->text_start && addr < b->text_end;
}

/*
 * sprint_symbol() must name the symbol itself ("name+0x0/size", or the
 * clone's name where a clone is accepted), with no module tag, inside the
 * kernel image's text or data.
 */
static int check_symbol(const char *want, unsigned long addr, bool data,
			const struct image_bounds *bounds)
{
	char buf[KSYM_SYMBOL_LEN];
	char *offset;

	sprint_symbol(buf, addr);
	offset = strchr(buf, '+');
	if (!offset || strncmp(offset, "+0x0/", 5) || strchr(offset, ' '))
		goto bad;
	*offset = '\0';
	if (!name_matches(buf, want) || !in_image(addr, data, bounds))
		goto bad;
	return 0;
bad:
	sprint_symbol(buf, addr);
	pr_err("%s: driver symbol %s resolves to %s, not the driver's; not loading\n",
	       init_utsname()->release, want, buf);
	return -EINVAL;
}

/* The one address table entry @i stands for, or 0 after one line. */
static unsigned long resolve(const struct sym_search *search, unsigned int i,
			     const void *driver_ops)
{
	const struct btm_sym_spec *spec = &btm_syms[i];
	const struct sym_candidates *c = &search->found[i];
	const char *release = init_utsname()->release;
	char buf[KSYM_SYMBOL_LEN];
	unsigned int j;

	if (spec->is_ops) {
		for (j = 0; j < min(c->exact, MAX_CANDIDATES); j++)
			if (c->addr[j] == (unsigned long)driver_ops)
				return c->addr[j];
		pr_err("%s: none of the %u symbols %s is the driver's iommu_ops; not loading\n",
		       release, c->exact, spec->name);
		return 0;
	}
	if (c->exact == 1)
		return c->addr[0];
	if (c->exact > 1) {
		pr_err("%s: driver symbol %s is ambiguous (%u symbols); not loading\n",
		       release, spec->name, c->exact);
		return 0;
	}
	if (c->clones == 1 && spec->clone_ok)
		return c->clone_addr;
	if (c->clones) {
		sprint_symbol(buf, c->clone_addr);
		pr_err("%s: driver symbol %s exists only as the compiler clone %s (%u), whose calling convention is not the source's; not loading\n",
		       release, spec->name, buf, c->clones);
		return 0;
	}
	pr_err("%s: required driver symbol %s not found%s; not loading\n",
	       release, spec->name, search->names[i] == spec->name ? "" :
	       " (test_missing_symbol hid it)");
	return 0;
}

/**
 * btm_bind_symbols() - resolve and validate every symbol the generation needs
 * @binding: @binding->gen set by btm_check_kernel(); filled in
 * @driver_ops: the driver's iommu_ops, as the iommu core holds them
 * @missing: test hook: a symbol name to look up under a name that cannot
 *	     exist, to exercise the refusal; NULL normally
 *
 * The driver is built into the kernel image (btm_check_kernel()'s caller
 * refuses a modular one), so kallsyms_on_each_symbol() sees all of it.
 * What smmu-btm uses of it goes, typed, into btm_drv, and the generation's
 * table of operations into btm_gen.
 *
 * Return: 0, or a negative errno after one line naming the symbol at fault
 * and the kernel release.
 */
int btm_bind_symbols(struct btm_binding *binding, const void *driver_ops,
		     const char *missing)
{
	struct image_bounds bounds;
	struct sym_search *search;
	unsigned long addr;
	unsigned int i;
	int ret = 0;

	/* Every member is one address wide: a symbol's is copied in whole. */
	BUILD_BUG_ON(sizeof(btm_drv) != 15 * sizeof(unsigned long));
	memset(&btm_drv, 0, sizeof(btm_drv));
	btm_gen = NULL;
	search = kzalloc(sizeof(*search), GFP_KERNEL);
	if (!search)
		return -ENOMEM;
	search->gens = BIT(binding->gen);
	for (i = 0; i < BTM_SYM_NR; i++)
		search->names[i] = missing && !strcmp(missing, btm_syms[i].name) ?
				   "smmu_btm_test_missing_symbol" :
				   btm_syms[i].name;
	get_image_bounds(&bounds);
	btm_kallsyms_for_each(search_cb, search);

	binding->required = 0;
	binding->resolved = 0;
	for (i = 0; i < BTM_SYM_NR; i++) {
		if (!(search->gens & btm_syms[i].gens))
			continue;
		binding->required++;
		addr = resolve(search, i, driver_ops);
		ret = addr ? check_symbol(btm_syms[i].name, addr,
					  btm_syms[i].data, &bounds) : -ENOENT;
		if (ret)
			break;
		if (btm_syms[i].stored)
			memcpy((u8 *)&btm_drv + btm_syms[i].slot, &addr,
			       sizeof(addr));
		binding->resolved++;
	}
	kfree(search);
	if (ret)
		memset(&btm_drv, 0, sizeof(btm_drv));
	else
		btm_gen = btm_gen_ops_of(binding->gen);
	return ret;
}

/* CRC-32 (zlib's) and size of a file, read in chunks. */
static int file_crc32(const char *path, u32 *crc, size_t *size)
{
	const size_t chunk = 64 * 1024;
	struct file *file;
	loff_t pos = 0;
	ssize_t n;
	void *buf;
	int ret = 0;

	file = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	buf = kmalloc(chunk, GFP_KERNEL);
	if (!buf) {
		filp_close(file, NULL);
		return -ENOMEM;
	}
	*crc = ~0U;
	*size = 0;
	while ((n = kernel_read(file, buf, chunk, &pos)) > 0) {
		*crc = crc32_le(*crc, buf, n);
		*size += n;
	}
	if (n < 0)
		ret = n;
	*crc = ~*crc;
	kfree(buf);
	filp_close(file, NULL);
	return ret;
}

/**
 * btm_check_kernel() - is the running kernel the one the layouts are from?
 * @binding: its @gen and @btf are set
 *
 * The release must match, and where the kernel exposes its BTF, the BTF must
 * be byte for byte the one kbuild/gen-layout read.
 *
 * Return: 0, or a negative errno after one line saying what differs.
 */
int btm_check_kernel(struct btm_binding *binding)
{
	const char *release = init_utsname()->release;
	size_t size;
	u32 crc;
	int ret;

	binding->gen = BTM_LAYOUT_DRIVER_GEN;
	if (strcmp(release, BTM_LAYOUT_KREL)) {
		pr_err("built for %s, running %s: rebuild smmu-btm for this kernel (dkms autoinstall)\n",
		       BTM_LAYOUT_KREL, release);
		return -EINVAL;
	}
	ret = file_crc32("/sys/kernel/btf/vmlinux", &crc, &size);
	/*
	 * Only a kernel built without BTF may lack the file; elsewhere its
	 * absence (another mount namespace, a chroot) must not skip the check.
	 */
	if (ret == -ENOENT && !IS_ENABLED(CONFIG_DEBUG_INFO_BTF)) {
		binding->btf = "unavailable";
		return 0;
	}
	if (ret) {
		pr_err("%s: cannot read /sys/kernel/btf/vmlinux (%d); not loading\n",
		       release, ret);
		return ret;
	}
	if (crc != BTM_LAYOUT_BTF_CRC || size != BTM_LAYOUT_BTF_SIZE) {
		pr_err("%s: the kernel's BTF (crc %08x, %zu bytes) is not the one smmu-btm was built from (crc %08x, %u bytes): rebuild it against this kernel's own headers\n",
		       release, crc, size, BTM_LAYOUT_BTF_CRC,
		       BTM_LAYOUT_BTF_SIZE);
		return -EINVAL;
	}
	binding->btf = "verified";
	return 0;
}

/* Read a field of the driver's struct arm_smmu_device, layout from BTF. */
#define DRV_FIELD(drv, type, member) \
	(*(type *)((char *)(drv) + BTM_OFF_arm_smmu_device__##member))

static bool feature_agrees(u32 features, u32 bit, bool id_reg)
{
	return !!(features & bit) == id_reg;
}

/**
 * btm_bind_smmu() - find and check the driver's structure for one SMMU
 * @smmu: found by discovery; @drv and @drv_features are set
 *
 * The driver keeps its struct arm_smmu_device as the platform device's
 * driver data. Before anything in it is trusted, the fields read through the
 * BTF layout must agree with what is known independently: it embeds the
 * iommu_device the core holds, points back at the SMMU's device, and its
 * ASID width and features match the ID registers.
 *
 * Return: 0, or -EINVAL after one line naming the field that disagrees.
 */
int btm_bind_smmu(struct btm_smmu *smmu)
{
	void *drv = dev_get_drvdata(smmu->hwdev);
	const char *field = NULL;
	u32 features;

	BUILD_BUG_ON(BTM_SIZE_arm_smmu_device__dev != sizeof(struct device *));
	BUILD_BUG_ON(BTM_SIZE_arm_smmu_device__features != sizeof(u32));
	BUILD_BUG_ON(BTM_SIZE_arm_smmu_device__asid_bits != sizeof(u32));

	/* First the check that reads no memory, then the fields. */
	if (!drv)
		field = "driver data";
	else if ((char *)drv + BTM_OFF_arm_smmu_device__iommu !=
		 (char *)smmu->iommu)
		field = "arm_smmu_device.iommu";
	else if (DRV_FIELD(drv, struct device *, dev) != smmu->hwdev)
		field = "arm_smmu_device.dev";
	else if (DRV_FIELD(drv, u32, asid_bits) != smmu->feat.asid_bits)
		field = "arm_smmu_device.asid_bits";
	if (field)
		goto bad;

	features = DRV_FIELD(drv, u32, features);
	if (!feature_agrees(features, SMMU_DRV_FEAT_TRANS_S1, smmu->feat.s1p) ||
	    !feature_agrees(features, SMMU_DRV_FEAT_HYP, smmu->feat.hyp) ||
	    !feature_agrees(features, SMMU_DRV_FEAT_RANGE_INV,
			    smmu->feat.range_inv)) {
		field = "arm_smmu_device.features";
		goto bad;
	}
	smmu->drv = drv;
	smmu->drv_features = features;
	return 0;
bad:
	pr_err("%s: %s: the driver's %s does not match the layout built from BTF; not loading\n",
	       init_utsname()->release, dev_name(smmu->hwdev), field);
	return -EINVAL;
}
