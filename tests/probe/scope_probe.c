// SPDX-License-Identifier: GPL-2.0
/*
 * The scope probe: which IOTLB entries each invalidation of the project's
 * emulated SMMU reaches, tried one rule at a time (issue 29, tests/qemu
 * 0010 and 0011).
 *
 * A bare-metal program, so that nothing else touches the SMMU or sends a
 * TLBI: QEMU's virt board (highmem=off, iommu=smmuv3, virtualization=on)
 * starts it at EL2 with the MMU off. It programs the SMMU itself (a linear
 * stream table, one STE for the PASID DMA test device on 00:03.0, CD 0,
 * stage 1 or stage 2 tables mapping one page) and for each case:
 *
 *  1. the device reads the page through the SMMU: it finds page A;
 *  2. the page table entry is switched to page B with no invalidation, and
 *     the device reads again: still A, so the SMMU holds a TLB entry and
 *     the observer can see a stale one (the case is an ERROR otherwise);
 *  3. the invalidation under test: a command on the SMMU's queue, or a
 *     TLBI on the CPU with the regime, VMID, PTM or SMMUEN it needs;
 *  4. the device reads: A means the entry was kept, B that it was dropped.
 *
 * Each rule (IHI 0070 3.17, 4.4.2 and the Arm ARM's TLBI scopes) has a case
 * whose entry must be kept, which the SMMU model failed before 0011, and a
 * control whose entry must be dropped, so that a case cannot pass because
 * the invalidation reached nothing at all. Lines "PROBE name PASS|FAIL|
 * ERROR ..." on the PL011, then "PROBE done: N passed, M failed";
 * scripts/scope-probe boots it on a board with stage 2 and one without.
 */
#include <stdbool.h>
#include <stdint.h>

typedef uint64_t u64;
typedef uint32_t u32;

#define BIT(n)		(1u << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The virt board with highmem=off (hw/arm/virt.c's memory map) */
#define UART_BASE	0x09000000UL
#define SMMU_BASE	0x09050000UL
#define ECAM_BASE	0x3f000000UL
#define BAR0_ADDR	0x10000000UL	/* in the 32-bit PCIe MMIO window */
#define PDT_DEVFN	(3 << 3)	/* 00:03.0 */
#define PDT_SID		PDT_DEVFN	/* bus 0: the StreamID is the devfn */

/* What the probe lays out in RAM, above itself */
#define STRTAB		0x40400000UL	/* 256 STEs, aligned to their 16 KiB */
#define CMDQ		0x40410000UL	/* 256 commands of 16 bytes */
#define CDTAB		0x40411000UL	/* CD 0 */
#define S1_L1		0x40412000UL
#define S1_L2		0x40413000UL
#define S1_L3		0x40414000UL
#define S2_L1		0x40415000UL
#define S2_L2		0x40416000UL
#define S2_L3		0x40417000UL
#define PAGE_A		0x40418000UL
#define PAGE_B		0x40419000UL
#define IOVA		0x10000000UL	/* the device's address: VA or IPA */
#define STRTAB_LOG2	8
#define CMDQ_LOG2	8

/* SMMU registers (IHI 0070 6.3) */
#define SMMU_IDR0		0x00
#define SMMU_IDR0_S2P		BIT(0)
#define SMMU_IDR0_BTM		BIT(5)
#define SMMU_IDR0_HYP		BIT(9)
#define SMMU_CR0		0x20
#define SMMU_CR0ACK		0x24
#define SMMU_CR0_SMMUEN		BIT(0)
#define SMMU_CR0_CMDQEN		BIT(3)
#define SMMU_CR2		0x2c
#define SMMU_CR2_E2H		BIT(0)
#define SMMU_CR2_PTM		BIT(2)
#define SMMU_STRTAB_BASE	0x80
#define SMMU_STRTAB_BASE_CFG	0x88
#define SMMU_CMDQ_BASE		0x90
#define SMMU_CMDQ_PROD		0x98
#define SMMU_CMDQ_CONS		0x9c
#define SMMU_CMDQ_CONS_ERR(c)	(((c) >> 24) & 0x7f)

/* Commands (4.1, 4.3, 4.4, 4.7) */
#define CMD_CFGI_ALL		0x04
#define CMD_TLBI_NH_VA		0x12
#define CMD_TLBI_EL2_ALL	0x20
#define CMD_TLBI_NSNH_ALL	0x30
#define CMD_SYNC		0x46

/* The PASID DMA test device's BAR0 (tests/qemu 0006) */
#define PDT_PASID		0x08
#define PDT_ADDR		0x10
#define PDT_ADDR_HI		0x14
#define PDT_LEN			0x18
#define PDT_OP			0x20
#define PDT_PATTERN		0x24
#define PDT_DOORBELL		0x28
#define PDT_STATUS		0x2c
#define PDT_MISMATCH		0x3c
#define PDT_OP_COMPARE		4
#define PDT_STATUS_DONE		BIT(0)
#define PDT_STATUS_FAULT	BIT(1)
#define PDT_STATUS_MISMATCH	BIT(2)

/* VMSAv8-64 descriptors, 4 KiB granule */
#define DESC_TABLE		3ULL
#define DESC_PAGE		3ULL
#define DESC_AF			BIT_ULL(10)
#define DESC_SH_INNER		(3ULL << 8)
#define DESC_S1_AP_RW_ANY	BIT_ULL(6)
#define DESC_S1_NG		BIT_ULL(11)
#define DESC_S2_AP_RW		(3ULL << 6)
#define DESC_S2_MEMATTR_WB	(0xfULL << 2)

/* HCR_EL2 */
#define HCR_RW			BIT_ULL(31)
#define HCR_TGE			BIT_ULL(27)
#define HCR_E2H			BIT_ULL(34)

#define ASID			0x42

static inline void w32(u64 addr, u32 v)
{
	*(volatile u32 *)addr = v;
}

static inline u32 r32(u64 addr)
{
	return *(volatile u32 *)addr;
}

static inline void w64(u64 addr, u64 v)
{
	*(volatile u64 *)addr = v;
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

static inline void isb_now(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static void putc_uart(char c)
{
	while (r32(UART_BASE + 0x18) & BIT(5))	/* FR.TXFF */
		;
	w32(UART_BASE, c);
}

static void puts_uart(const char *s)
{
	while (*s) {
		if (*s == '\n')
			putc_uart('\r');
		putc_uart(*s++);
	}
}

static void putu(unsigned int v)
{
	char b[12];
	int i = 0;

	do {
		b[i++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (i)
		putc_uart(b[--i]);
}

static void zero(u64 addr, u64 len)
{
	for (u64 i = 0; i < len; i += 8)
		w64(addr + i, 0);
}

static void fill(u64 addr, u32 pattern, u64 len)
{
	for (u64 i = 0; i < len; i += 4)
		w32(addr + i, pattern);
}

/* ---- the SMMU ---- */

static u32 cmdq_prod;
static int errors;

static void smmu_cr0(u32 v)
{
	w32(SMMU_BASE + SMMU_CR0, v);
	while (r32(SMMU_BASE + SMMU_CR0ACK) != v)
		;
}

/* One command, then the queue's consumer must have passed it cleanly. */
static void smmu_cmd(u64 dw0, u64 dw1)
{
	u64 slot = CMDQ + (cmdq_prod & ((1u << CMDQ_LOG2) - 1)) * 16;
	u32 cons;

	w64(slot, dw0);
	w64(slot + 8, dw1);
	dsb_sy();
	cmdq_prod = (cmdq_prod + 1) & ((2u << CMDQ_LOG2) - 1);
	w32(SMMU_BASE + SMMU_CMDQ_PROD, cmdq_prod);
	while (((cons = r32(SMMU_BASE + SMMU_CMDQ_CONS)) &
		((2u << CMDQ_LOG2) - 1)) != cmdq_prod && !SMMU_CMDQ_CONS_ERR(cons))
		;
	if (SMMU_CMDQ_CONS_ERR(cons)) {
		puts_uart("PROBE command error ");
		putu(SMMU_CMDQ_CONS_ERR(cons));
		puts_uart("\n");
		errors++;
	}
}

static void smmu_sync(void)
{
	smmu_cmd(CMD_SYNC, 0);
}

static void smmu_inv_everything(void)
{
	smmu_cmd(CMD_CFGI_ALL, 31);	/* Range 31: every StreamID */
	smmu_cmd(CMD_TLBI_NSNH_ALL, 0);
	smmu_cmd(CMD_TLBI_EL2_ALL, 0);
	smmu_sync();
}

/* How the case's STE translates, and the CD's and CR2's settings */
enum world { NS_EL1, EL2_E2H, S2_ONLY };

struct setup {
	enum world world;
	u32 vmid;		/* STE.S2VMID */
	bool aset;		/* CD.ASET */
	bool ptm;		/* SMMU_CR2.PTM */
};

static void write_tables(const struct setup *su, u64 page)
{
	u64 s1_leaf = page | DESC_PAGE | DESC_AF | DESC_SH_INNER |
		      DESC_S1_AP_RW_ANY | DESC_S1_NG;
	u64 s2_leaf = page | DESC_PAGE | DESC_AF | DESC_SH_INNER |
		      DESC_S2_AP_RW | DESC_S2_MEMATTR_WB;

	/* IOVA 0x10000000: L1 index 0, L2 index 128, L3 index 0 */
	w64(S1_L1, S1_L2 | DESC_TABLE);
	w64(S1_L2 + 128 * 8, S1_L3 | DESC_TABLE);
	w64(S2_L1, S2_L2 | DESC_TABLE);
	w64(S2_L2 + 128 * 8, S2_L3 | DESC_TABLE);
	w64(su->world == S2_ONLY ? S2_L3 : S1_L3,
	    su->world == S2_ONLY ? s2_leaf : s1_leaf);
	dsb_sy();
}

static void write_ste(const struct setup *su)
{
	u64 ste = STRTAB + PDT_SID * 64;
	u64 dw0 = 1;				/* V */
	u64 dw1 = 0, dw2 = su->vmid, dw3 = 0;

	if (su->world == S2_ONLY) {
		dw0 |= 6ULL << 1;		/* Config: S1 bypass, S2 */
		dw2 |= 25ULL << 32 |		/* S2T0SZ: 39-bit IPA */
		       1ULL << 38 |		/* S2SL0: start at level 1 */
		       2ULL << 48 |		/* S2PS: 40 bits */
		       1ULL << 51;		/* S2AA64 */
		dw3 = S2_L1;
	} else {
		dw0 |= 5ULL << 1 | CDTAB;	/* S1 translate, S2 bypass */
		if (su->world == EL2_E2H)
			dw1 |= 2ULL << 30;	/* STRW: EL2 (E2H by CR2) */
	}
	zero(ste, 64);
	w64(ste + 8, dw1);
	w64(ste + 16, dw2);
	w64(ste + 24, dw3);
	dsb_sy();
	w64(ste, dw0);
	dsb_sy();
}

static void write_cd(const struct setup *su)
{
	u64 dw0 = 25 |				/* T0SZ: 39-bit VA, TG0 4K */
		  1ULL << 30 |			/* EPD1 */
		  1ULL << 31 |			/* V */
		  2ULL << 32 |			/* IPS: 40 bits */
		  1ULL << 41 |			/* AA64 */
		  1ULL << 45 |			/* R */
		  1ULL << 46 |			/* A */
		  (u64)su->aset << 47 |
		  (u64)ASID << 48;

	zero(CDTAB, 64);
	w64(CDTAB + 8, S1_L1);
	dsb_sy();
	w64(CDTAB, dw0);
	dsb_sy();
}

/*
 * The SMMU set up for a case: disabled while SMMU_CR2 is written (6.3.12),
 * then enabled with every cache invalidated and the page mapped to A.
 */
static void smmu_prepare(const struct setup *su)
{
	smmu_cr0(SMMU_CR0_CMDQEN);
	w32(SMMU_BASE + SMMU_CR2, (su->world == EL2_E2H ? SMMU_CR2_E2H : 0) |
				  (su->ptm ? SMMU_CR2_PTM : 0));
	zero(S1_L1, 6 * 4096);
	write_tables(su, PAGE_A);
	write_cd(su);
	write_ste(su);
	smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_SMMUEN);
	smmu_inv_everything();
}

static void smmu_init(void)
{
	zero(STRTAB, 64 << STRTAB_LOG2);
	zero(CMDQ, 16 << CMDQ_LOG2);
	smmu_cr0(0);
	w64(SMMU_BASE + SMMU_STRTAB_BASE, STRTAB);
	w32(SMMU_BASE + SMMU_STRTAB_BASE_CFG, STRTAB_LOG2);	/* linear */
	w64(SMMU_BASE + SMMU_CMDQ_BASE, CMDQ | CMDQ_LOG2);
	w32(SMMU_BASE + SMMU_CMDQ_PROD, 0);
	w32(SMMU_BASE + SMMU_CMDQ_CONS, 0);
	cmdq_prod = 0;
}

/* ---- the device ---- */

static u64 pdt_regs;

static bool pdt_init(void)
{
	u64 cfg = ECAM_BASE + ((u64)PDT_DEVFN << 12);

	if (r32(cfg) != 0x00f01b36)	/* Red Hat, pasid-dma-testdev */
		return false;
	w32(cfg + 0x10, BAR0_ADDR);
	if ((r32(cfg + 0x10) & 6) == 4)	/* a 64-bit BAR */
		w32(cfg + 0x14, 0);
	w32(cfg + 0x04, r32(cfg + 0x04) | 6);	/* memory, bus master */
	pdt_regs = BAR0_ADDR;
	return true;
}

/* What the device reads at IOVA: 'A', 'B', 'F' (fault) or '?' */
static char device_reads(void)
{
	u32 st;

	w32(pdt_regs + PDT_PASID, 0);
	w32(pdt_regs + PDT_ADDR, (u32)IOVA);
	w32(pdt_regs + PDT_ADDR_HI, 0);
	w32(pdt_regs + PDT_LEN, 64);
	w32(pdt_regs + PDT_OP, PDT_OP_COMPARE);
	w32(pdt_regs + PDT_PATTERN, 0xaaaaaaaa);
	w32(pdt_regs + PDT_DOORBELL, 1);
	st = r32(pdt_regs + PDT_STATUS);
	if (st == PDT_STATUS_DONE)
		return 'A';
	if (st & PDT_STATUS_FAULT)
		return 'F';
	if ((st & PDT_STATUS_MISMATCH) &&
	    (r32(pdt_regs + PDT_MISMATCH) & 0xff) == 0xbb)
		return 'B';
	return '?';
}

/* ---- the CPU's side: regimes and TLBIs ---- */

/* TLBIs name EL2&0 (a VHE host: E2H and TGE) */
static void regime_el20(void)
{
	u64 hcr = HCR_RW | HCR_E2H | HCR_TGE;

	__asm__ volatile("msr hcr_el2, %0" : : "r"(hcr));
	isb_now();
}

/* TLBIs of the EL1 forms name EL1&0 with VMID @vmid (a hypervisor's) */
static void regime_el10(u32 vmid)
{
	u64 hcr = HCR_RW, vttbr = (u64)vmid << 48;

	__asm__ volatile("msr hcr_el2, %0" : : "r"(hcr));
	__asm__ volatile("msr vttbr_el2, %0" : : "r"(vttbr));
	isb_now();
}

static inline void tlbi_alle1is(void)
{
	__asm__ volatile("tlbi alle1is\n dsb ish\n isb" : : : "memory");
}

static inline void tlbi_vmalle1is(void)
{
	__asm__ volatile("tlbi vmalle1is\n dsb ish\n isb" : : : "memory");
}

static inline void tlbi_vmalls12e1(void)
{
	__asm__ volatile("tlbi vmalls12e1\n dsb ish\n isb" : : : "memory");
}

static inline void tlbi_vmalls12e1is(void)
{
	__asm__ volatile("tlbi vmalls12e1is\n dsb ish\n isb" : : : "memory");
}

/* TLBI VAE1IS for the cases' ASID and address */
static inline void tlbi_vae1is(void)
{
	u64 arg = (u64)ASID << 48 | (IOVA >> 12);

	__asm__ volatile("tlbi vae1is, %0\n dsb ish\n isb"
			 : : "r"(arg) : "memory");
}

static void op_nsnh_all(void)
{
	smmu_cmd(CMD_TLBI_NSNH_ALL, 0);
	smmu_sync();
}

static void op_el2_all(void)
{
	smmu_cmd(CMD_TLBI_EL2_ALL, 0);
	smmu_sync();
}

static void op_nh_va(void)
{
	/* CMD_TLBI_NH_VA: ASID, VMID 0, the address (TG 0: one 4K page) */
	smmu_cmd(CMD_TLBI_NH_VA | (u64)ASID << 48, IOVA);
	smmu_sync();
}

/* The same command with no CMD_SYNC after it */
static void op_nh_va_no_sync(void)
{
	smmu_cmd(CMD_TLBI_NH_VA | (u64)ASID << 48, IOVA);
}

static void op_alle1is(void)
{
	tlbi_alle1is();
}

static void op_vmalls12e1_local(void)
{
	regime_el10(0);
	tlbi_vmalls12e1();
	regime_el20();
}

static void op_vmalls12e1is(void)
{
	regime_el10(0);
	tlbi_vmalls12e1is();
	regime_el20();
}

static void op_vmalls12e1is_vmid7(void)
{
	regime_el10(7);
	tlbi_vmalls12e1is();
	regime_el20();
}

static void op_vmalle1is_el10(void)
{
	regime_el10(0);
	tlbi_vmalle1is();
	regime_el20();
}

static void op_vmalle1is_vmid7(void)
{
	regime_el10(7);
	tlbi_vmalle1is();
	regime_el20();
}

static void op_vmalle1is_vmid3(void)
{
	regime_el10(3);
	tlbi_vmalle1is();
	regime_el20();
}

static void op_vmalle1is_smmu_off(void)
{
	smmu_cr0(SMMU_CR0_CMDQEN);
	op_vmalle1is_el10();
	smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_SMMUEN);
}

static void op_vae1is_el20(void)
{
	tlbi_vae1is();
}

static void op_vmalle1is_el20(void)
{
	tlbi_vmalle1is();
}

static void op_vae1is_el10(void)
{
	regime_el10(0);
	tlbi_vae1is();
	regime_el20();
}

struct probe_case {
	const char *name;
	struct setup setup;
	void (*op)(void);
	char want;		/* 'A': the entry is kept; 'B': dropped */
	int needs_s2;		/* 1: only with stage 2; -1: only without */
	const char *rule;
};

static const struct probe_case cases[] = {
	{
		.name = "nsnh-all/el2-e2h",
		.setup = { .world = EL2_E2H },
		.op = op_nsnh_all,
		.want = 'A',
		.rule = "CMD_TLBI_NSNH_ALL leaves EL2 entries (4.4.2)",
	},
	{
		.name = "nsnh-all/ns-el1",
		.setup = { .world = NS_EL1 },
		.op = op_nsnh_all,
		.want = 'B',
		.rule = "control: CMD_TLBI_NSNH_ALL drops NS-EL1 entries",
	},
	{
		.name = "el2-all/el2-e2h",
		.setup = { .world = EL2_E2H },
		.op = op_el2_all,
		.want = 'B',
		.rule = "control: CMD_TLBI_EL2_ALL drops EL2 entries",
	},
	{
		.name = "alle1is/el2-e2h",
		.setup = { .world = EL2_E2H },
		.op = op_alle1is,
		.want = 'A',
		.rule = "TLBI ALLE1IS (EL1&0) leaves EL2-E2H entries",
	},
	{
		.name = "alle1is/ns-el1",
		.setup = { .world = NS_EL1 },
		.op = op_alle1is,
		.want = 'B',
		.rule = "control: TLBI ALLE1IS drops NS-EL1 entries",
	},
	{
		.name = "vmalls12e1-local/ns-el1",
		.setup = { .world = NS_EL1 },
		.op = op_vmalls12e1_local,
		.want = 'A',
		.rule = "TLBI VMALLS12E1 (not IS) is not broadcast",
	},
	{
		.name = "vmalls12e1is/ns-el1",
		.setup = { .world = NS_EL1 },
		.op = op_vmalls12e1is,
		.want = 'B',
		.rule = "control: TLBI VMALLS12E1IS drops NS-EL1 entries of its VMID",
	},
	{
		.name = "vmalle1is-smmuen0/ns-el1",
		.setup = { .world = NS_EL1 },
		.op = op_vmalle1is_smmu_off,
		.want = 'A',
		.rule = "a disabled SMMU (SMMUEN 0) takes no broadcast",
	},
	{
		.name = "vmalle1is/ns-el1",
		.setup = { .world = NS_EL1 },
		.op = op_vmalle1is_el10,
		.want = 'B',
		.rule = "control: TLBI VMALLE1IS drops NS-EL1 entries of its VMID",
	},
	{
		.name = "vae1is-ptm1/el2-e2h",
		.setup = { .world = EL2_E2H, .ptm = true },
		.op = op_vae1is_el20,
		.want = 'A',
		.rule = "SMMU_CR2.PTM 1: broadcasts ignored",
	},
	{
		.name = "vae1is/el2-e2h",
		.setup = { .world = EL2_E2H },
		.op = op_vae1is_el20,
		.want = 'B',
		.rule = "control: TLBI VAE1IS of a VHE host drops its EL2-E2H entry",
	},
	{
		.name = "vae1is-aset1/el2-e2h",
		.setup = { .world = EL2_E2H, .aset = true },
		.op = op_vae1is_el20,
		.want = 'A',
		.rule = "CD.ASET 1: TLBI by ASID and VA leaves the entry (3.17)",
	},
	{
		.name = "vmalle1is-aset1/el2-e2h",
		.setup = { .world = EL2_E2H, .aset = true },
		.op = op_vmalle1is_el20,
		.want = 'B',
		.rule = "control: a TLBI for all ASIDs drops CD.ASET 1 entries",
	},
	{
		.name = "vae1is-el10/el2-e2h",
		.setup = { .world = EL2_E2H },
		.op = op_vae1is_el10,
		.want = 'A',
		.rule = "TLBI VAE1IS for EL1&0 leaves EL2-E2H entries of the same ASID",
	},
	{
		.name = "nh-va/el2-e2h",
		.setup = { .world = EL2_E2H },
		.op = op_nh_va,
		.want = 'A',
		.rule = "CMD_TLBI_NH_VA leaves EL2-E2H entries of the same ASID",
	},
	{
		.name = "nh-va/ns-el1",
		.setup = { .world = NS_EL1 },
		.op = op_nh_va,
		.want = 'B',
		.rule = "control: CMD_TLBI_NH_VA drops the NS-EL1 entry",
	},
	{
		.name = "nh-va-no-sync/ns-el1",
		.setup = { .world = NS_EL1 },
		.op = op_nh_va_no_sync,
		.want = 'A',
		.rule = "a TLBI command completes only at a CMD_SYNC (4.7.3)",
	},
	{
		.name = "vmalle1is/s2-only",
		.setup = { .world = S2_ONLY, .vmid = 7 },
		.op = op_vmalle1is_vmid7,
		.want = 'A',
		.needs_s2 = 1,
		.rule = "TLBI VMALLE1IS leaves stage 2 entries of its VMID",
	},
	{
		.name = "vmalls12e1is/s2-only",
		.setup = { .world = S2_ONLY, .vmid = 7 },
		.op = op_vmalls12e1is_vmid7,
		.want = 'B',
		.needs_s2 = 1,
		.rule = "control: TLBI VMALLS12E1IS drops stage 2 entries of its VMID",
	},
	{
		.name = "vmalle1is-vmid3/ns-el1-vmid7",
		.setup = { .world = NS_EL1, .vmid = 7 },
		.op = op_vmalle1is_vmid3,
		.want = 'A',
		.needs_s2 = 1,
		.rule = "TLBI VMALLE1IS for VMID 3 leaves VMID 7's entries",
	},
	{
		.name = "vmalle1is-vmid7/ns-el1-vmid7",
		.setup = { .world = NS_EL1, .vmid = 7 },
		.op = op_vmalle1is_vmid7,
		.want = 'B',
		.needs_s2 = 1,
		.rule = "control: TLBI VMALLE1IS for VMID 7 drops them",
	},
};

static const char *word(char c)
{
	switch (c) {
	case 'A':
		return "kept";
	case 'B':
		return "dropped";
	case 'F':
		return "faulted";
	default:
		return "unreadable";
	}
}

int probe_main(void);

int probe_main(void)
{
	u32 idr0 = r32(SMMU_BASE + SMMU_IDR0);
	bool s2p = idr0 & SMMU_IDR0_S2P;
	unsigned int passed = 0, failed = 0, i;

	puts_uart("PROBE start: SMMU IDR0 stage 2 ");
	puts_uart(s2p ? "yes" : "no");
	puts_uart(", BTM ");
	puts_uart(idr0 & SMMU_IDR0_BTM ? "yes" : "no");
	puts_uart(", HYP ");
	puts_uart(idr0 & SMMU_IDR0_HYP ? "yes\n" : "no\n");
	if (!(idr0 & SMMU_IDR0_BTM) || !(idr0 & SMMU_IDR0_HYP) || !pdt_init()) {
		puts_uart("PROBE done: 0 passed, 1 failed (the board needs ");
		puts_uart("btm, hyp and the test device on 00:03.0)\n");
		return 1;
	}
	fill(PAGE_A, 0xaaaaaaaa, 4096);
	fill(PAGE_B, 0xbbbbbbbb, 4096);
	smmu_init();
	regime_el20();

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct probe_case *c = &cases[i];
		char first, cached, after;

		if ((c->needs_s2 > 0 && !s2p) || (c->needs_s2 < 0 && s2p))
			continue;
		errors = 0;
		smmu_prepare(&c->setup);
		first = device_reads();
		write_tables(&c->setup, PAGE_B);	/* no invalidation */
		cached = device_reads();
		c->op();
		after = device_reads();
		puts_uart("PROBE ");
		puts_uart(c->name);
		if (errors || first != 'A' || cached != 'A') {
			puts_uart(" ERROR: no stale entry to observe (first read ");
			puts_uart(word(first));
			puts_uart(", after the silent change ");
			puts_uart(word(cached));
			puts_uart(")\n");
			failed++;
		} else if (after == c->want) {
			puts_uart(" PASS: ");
			puts_uart(word(after));
			puts_uart(": ");
			puts_uart(c->rule);
			puts_uart("\n");
			passed++;
		} else {
			puts_uart(" FAIL: ");
			puts_uart(word(after));
			puts_uart(", want ");
			puts_uart(word(c->want));
			puts_uart(": ");
			puts_uart(c->rule);
			puts_uart("\n");
			failed++;
		}
	}
	puts_uart("PROBE done: ");
	putu(passed);
	puts_uart(" passed, ");
	putu(failed);
	puts_uart(" failed\n");
	return failed ? 1 : 0;
}
