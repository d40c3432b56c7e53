/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pasid_dma_test: user interface of the test driver for QEMU's
 * pasid-dma-testdev (see tests/qemu/README.md).
 *
 * Opening /dev/pasid-dma-testN binds the caller's address space to the
 * device (SVA); the ioctls below then make the device access the caller's
 * own virtual addresses through its PASID. pread() and pwrite() on the file
 * read and write the device's 64 KiB data buffer.
 */
#ifndef PASID_DMA_TEST_H
#define PASID_DMA_TEST_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define PDT_BUF_SIZE		0x10000

/* Operations, as the device numbers them */
#define PDT_OP_READ		1	/* memory -> device buffer */
#define PDT_OP_WRITE		2	/* device buffer -> memory */
#define PDT_OP_FILL		3	/* 32-bit pattern -> memory */
#define PDT_OP_COMPARE		4	/* memory == pattern? */

/* Outcome bits, as the device reports them */
#define PDT_STATUS_DONE		_BITUL(0)
#define PDT_STATUS_FAULT	_BITUL(1)
#define PDT_STATUS_MISMATCH	_BITUL(2)
#define PDT_STATUS_ERROR	_BITUL(3)

/* pdt_op.flags */
#define PDT_FLAG_NO_PASID	_BITUL(0)	/* issue the DMA without PASID */

/**
 * struct pdt_op - one device operation on the caller's memory
 * @addr: virtual address in the caller's address space
 * @len: bytes (read/write: at most PDT_BUF_SIZE - @buf_off)
 * @op: PDT_OP_*
 * @flags: PDT_FLAG_*
 * @pattern: fill/compare pattern; byte i of the range gets byte (i % 4)
 * @buf_off: offset in the device buffer (read/write)
 * @status: out: PDT_STATUS_* bits
 * @done_bytes: out: bytes done before a fault or mismatch (else @len)
 * @fault_addr: out: address of the fault or of the first mismatching byte
 * @mismatch: out: [7:0] the byte found, [15:8] the byte expected
 * @pasid: out: the PASID used (0 with PDT_FLAG_NO_PASID)
 * @stalls: out: retries of accesses the SMMU held (its stall model): the
 *	    kernel resolved a fault while the access waited
 */
struct pdt_op {
	__u64 addr;
	__u32 len;
	__u32 op;
	__u32 flags;
	__u32 pattern;
	__u32 buf_off;
	__u32 status;
	__u32 done_bytes;
	__u32 mismatch;
	__u64 fault_addr;
	__u32 pasid;
	__u32 stalls;
};

/**
 * struct pdt_info - the binding of this open file
 * @pasid: PASID of the caller's address space on the device
 * @asid: the ASID the CPU uses for the caller at EL0 (the odd one under KPTI)
 * @buf_size: size of the device buffer
 * @domain_pgsizes: the low 32 bits of the bound SVA domain's page sizes
 *	(iommu_domain.pgsize_bitmap), which the driver's range TLBIs take
 *	their granule from; PDT_PGSIZES_UNKNOWN where the kernel's bind
 *	handle does not give the domain (6.1)
 * @ats: 1 when ATS is enabled on the function (the device then translates
 *	 through its ATC)
 * @atc_hits: accesses the device's ATC translated, since its reset
 * @atc_misses: ATS Translation Requests the device sent
 * @atc_invals: ATC entries the IOMMU invalidated
 */
struct pdt_info {
	__u32 pasid;
	__u32 asid;
	__u32 buf_size;
	__u32 domain_pgsizes;
	__u32 ats;
	__u32 atc_hits;
	__u32 atc_misses;
	__u32 atc_invals;
};

#define PDT_PGSIZES_UNKNOWN	0xffffffffu

/**
 * struct pdt_tlbi - debug: a broadcast TLBI from the CPU, nothing else
 * @addr: virtual address, in the caller's address space
 * @flags: PDT_TLBI_*
 * @reserved: zero
 */
struct pdt_tlbi {
	__u64 addr;
	__u32 flags;
	__u32 reserved;
};

#define PDT_TLBI_ASID		_BITUL(0)	/* ASIDE1IS instead of VAE1IS */

#define PDT_IOC_MAGIC		0xd7
#define PDT_IOC_INFO		_IOR(PDT_IOC_MAGIC, 0, struct pdt_info)
#define PDT_IOC_RUN		_IOWR(PDT_IOC_MAGIC, 1, struct pdt_op)
/*
 * Debug ioctls, only with the module parameter debug_btm=1 (else -EPERM):
 * PDT_IOC_TLBI issues TLBI VAE1IS (or ASIDE1IS) for the caller's ASID with
 * no other invalidation (no mmu_notifier, so no SMMU command);
 * PDT_IOC_SET_PTM writes SMMU_CR2.PTM (0 or 1) of the device's SMMU, with
 * the SMMU disabled (SMMU_GBPA.ABORT set) for the moment of the write.
 */
#define PDT_IOC_TLBI		_IOW(PDT_IOC_MAGIC, 2, struct pdt_tlbi)
#define PDT_IOC_SET_PTM		_IOW(PDT_IOC_MAGIC, 3, __u32)
/*
 * Tests: ask the IOMMU driver to disable SVA on the device, as a device
 * driver may, while this file keeps its process bound. 0 when the driver
 * did (SVA is enabled again at once), or its error; 0 also on kernels
 * without the SVA feature call. Root only.
 */
#define PDT_IOC_DISABLE_SVA	_IO(PDT_IOC_MAGIC, 4)

/**
 * struct pdt_cd - the context descriptor the SMMU fetches for this bind
 * @ste0: word 0 of the device's stream table entry
 * @cd: the CD of the file's PASID, as 64-bit words
 * @pgd: physical address of the caller's page tables (its TTBR0)
 * @asid: the ASID the CPU uses for the caller at EL0 (the odd one under KPTI)
 * @sid: the device's StreamID
 * @pasid: the file's PASID
 * @pinned: how many pins the caller's CPU ASID has (arm64_mm_context_get())
 */
struct pdt_cd {
	__u64 ste0;
	__u64 cd[8];
	__u64 pgd;
	__u32 asid;
	__u32 sid;
	__u32 pasid;
	__u32 pinned;
};

/*
 * Tests: read the CD of this file's PASID the way the SMMU finds it, from
 * SMMU_STRTAB_BASE through the device's STE and CD table, not through the
 * IOMMU driver's structures. Root only; reads only.
 */
#define PDT_IOC_CD		_IOR(PDT_IOC_MAGIC, 5, struct pdt_cd)

/*
 * Debug (debug_btm=1, root): the stall checks' mutation. Clear CD.S in the
 * CD of this file's PASID, found as PDT_IOC_CD finds it, with no CFGI: the
 * SMMU sees it at its next fetch of that CD, which on the project's QEMU
 * (no configuration prefetch) is the device's first access with the PASID
 * after the bind's own CFGI_CD. A CD written without CD.S, as a stall
 * master's must not be.
 */
#define PDT_IOC_CD_NO_STALL	_IO(PDT_IOC_MAGIC, 6)

/**
 * struct pdt_dma_check - DMA API round trips through the function's own
 *	DMA domain (requests without PASID), for the moves-under-ATS test
 * @rounds: in: how many; each maps a page the CPU filled with the round's
 *	    pattern, has the device compare the page through its IOVA and
 *	    unmaps it (the page is freed a round later, so that an IOVA the
 *	    next round reuses maps another page: a stale translation, in the
 *	    IOTLB or in the function's ATC, makes the device see the old one)
 * @bad: out: rounds in which the device did not see the round's pattern
 * @first_bad: out: the first of them
 * @status: out: the device's status in that round
 * @reused: out: rounds whose IOVA was the one the round before unmapped (a
 *	    check only where the IOVA allocator gives it again)
 */
struct pdt_dma_check {
	__u32 rounds;
	__u32 bad;
	__u32 first_bad;
	__u32 status;
	__u32 reused;
};

/* Root only: the pages are the kernel's, the IOVAs the DMA API's. */
#define PDT_IOC_DMA_CHECK	_IOWR(PDT_IOC_MAGIC, 7, struct pdt_dma_check)

/*
 * Root only: smmu_btm's broadcast check with this device as the observer
 * (smmu_btm_check_device(), taken with symbol_get(): -ENOPKG when smmu_btm
 * is not loaded), in the caller's process, through this file's PASID. The
 * result is in smmu_btm's status file.
 */
#define PDT_IOC_BCHECK		_IO(PDT_IOC_MAGIC, 8)

#endif /* PASID_DMA_TEST_H */
