// SPDX-License-Identifier: GPL-2.0
/*
 * pdt-test: exercise pasid_dma_test.ko on the caller's own memory.
 *
 *   pdt-test [-x] [-d /dev/pasid-dma-test0]     the data-path tests
 *   pdt-test -b [-d DEV] [-n]                   broadcast TLBI check
 *   pdt-test -l N [-m MOVEFILE] [-d DEV]        N binds, each checked
 *   pdt-test -c CDFILE [-d DEV]                 the bind's CD, its oracle
 *   pdt-test -k [-d DEV]                        the read-only control
 *   pdt-test -2 DEV2 [-w WAITFILE] [-d DEV]     one process, two devices
 *   pdt-test -A ARMFILE -R REMOVEFILE [-d DEV]  unbind and remove racing
 *                                               the notifier (see below)
 *   pdt-test -S [-Z] [-d DEV]                   a stall master's faults
 *   pdt-test -e ENABLEFILE [-d DEV]             make demo's one change
 *
 * The data-path tests bind the process (open), then have the device read,
 * write, fill and compare its memory through the PASID, byte-exact, across
 * page boundaries and at unaligned addresses; then munmap part of a buffer
 * and check that the device's next access faults exactly there; and check
 * that the same access without PASID faults; then hunts stale
 * translations: after mprotect to none and to read-only, madvise
 * (MADV_DONTNEED), fork with a copy-on-write in the parent, fork with a
 * reuse in place after the child's exit, mremap, and
 * the split and collapse of transparent huge pages and a page's migration
 * to the other NUMA node (where the guest has two), the device's next
 * access must fault or reach the page as it now is. -x also
 * checks that SVA cannot be disabled while bound. The last line is
 * "N passed, M failed"; the exit status is 0 only without failures.
 *
 * The control (-k) is the broken board's: the device reads a page, which
 * is then made PROT_NONE, and another, which is then unmapped; each next
 * read must fault. Nothing in it lets the device write, so that on a
 * board whose SMMU keeps stale translations the device only reads old
 * pages and corrupts none: the full tests' writes would land in freed
 * pages there, and a CI run once lost pdt-test itself to that. The same
 * control passes on every good board.
 *
 * The CD check (root) reads the CD the SMMU fetches for the bind, walked
 * from the SMMU's stream table base as the SMMU walks it: valid, AArch64,
 * on the process's page tables (TTB0) and its CPU ASID with ASET 0 where
 * it is smmu-btm's. The first run saves the CD in CDFILE (the driver's own
 * SVA path: the oracle); a later run, smmu-btm's, must equal it in every
 * field but the process's own (TTB0, ASID) and ASET: the driver shares
 * the CPU's ASID with ASET 0 up to 6.9 and gives SVA a private ASID with
 * ASET 1 from 6.10, where smmu-btm's must be the CPU's with ASET 0.
 *
 * The two-device check binds the process through DEV and DEV2 (behind two
 * SMMUs): both read its memory and then fault after a munmap and an
 * mprotect to none. DEV is then unbound (WAITFILE, when given, is created
 * then, and the test goes on once it is removed, so that the caller can
 * read each SMMU's counters in between); DEV2 must still fault after
 * CPU-side changes, its CD still on the CPU's ASID, which stays pinned.
 *
 * The race (with smmu_btm_race.ko, root): a second thread runs the
 * notifier in a loop; ARMFILE (the module's "arm" parameter) gets "1", so
 * that its next reader is held; then the process unbinds and writes "1"
 * to REMOVEFILE (the device's sysfs "remove"). The module gives the
 * verdict.
 *
 * The stall checks (-S) are for a device the SMMU driver made a stall
 * master (dma-can-stall), behind an SMMU with the stall model: an access
 * that faults is held by the SMMU, the kernel's I/O page fault handler
 * resolves the fault and resumes it, and the device goes on. Each check
 * needs the device to have stalled at least once (its STALLS count): a
 * page never touched (the device's writes land), a shared file page whose
 * mapping was dropped (the device reads the file's data), a page write-
 * protected by fork (the device's write lands in the parent's copy); and
 * a page made read-only, which the handler cannot resolve: the access
 * must stall, then abort. A CD without CD.S turns each into an abort
 * without a stall: the checks fail, as they must. -Z (debug_btm=1, root)
 * makes that mutation first: CD.S cleared in the bind's CD.
 *
 * make demo's change (-e): the device reads two pages of the process;
 * "1" goes to ENABLEFILE (a trace event's enable file, so that the caller
 * counts what the SMMU is sent for the change alone), the process unmaps
 * the first page and makes the second PROT_NONE, "0" goes to ENABLEFILE;
 * then the device reads both again, and each read must fault.
 *
 * The broadcast check (module parameter debug_btm=1, root) clears
 * SMMU_CR2.PTM (unless -n), has the device read one page twice, issues a
 * bare TLBI VAE1IS for that page and reads it again; then has the device
 * read 16 pages and munmaps them (the kernel's own range TLBI); then puts
 * PTM back to 1.
 * Its effect on the SMMU's TLB is seen in QEMU's smmuv3_btm_* and
 * smmu_iotlb_lookup_* trace events (tests/qemu/README.md).
 */
#define _GNU_SOURCE	/* mremap(), CPU affinity */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdint.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "pasid_dma_test.h"

static int passed, failed;
static int fd;
static long page;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			passed++;					\
		} else {						\
			failed++;					\
			printf("FAIL %s:%d: ", __func__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

static int run(struct pdt_op *op, __u32 opcode, void *addr, __u32 len,
	       __u32 buf_off, __u32 pattern, __u32 flags)
{
	memset(op, 0, sizeof(*op));
	op->op = opcode;
	op->addr = (uintptr_t)addr;
	op->len = len;
	op->buf_off = buf_off;
	op->pattern = pattern;
	op->flags = flags;
	if (ioctl(fd, PDT_IOC_RUN, op)) {
		printf("PDT_IOC_RUN: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void fill_random(__u8 *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = seed >> 16;
	}
}

static __u8 pattern_byte(__u32 pattern, size_t i)
{
	return pattern >> (8 * (i & 3));
}

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	/* Dirty every page: without HTTU the SMMU cannot set AF or dirty */
	memset(p, 0x5a, len);
	return p;
}

/* Device reads memory into its buffer: compare the buffer with memory */
static void test_read(void)
{
	size_t len = 3 * page + 123;
	__u8 *mem = map(4 * page);
	__u8 *src = mem + 77, *got;

	/* At most the device buffer; with 64K pages, still across a page */
	if (len > PDT_BUF_SIZE - 100) {
		len = PDT_BUF_SIZE - 100;
		src = mem + page - 1000;
	}
	got = malloc(len);
	struct pdt_op op;

	fill_random(src, len, 1);
	if (run(&op, PDT_OP_READ, src, len, 100, 0, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == PDT_STATUS_DONE && op.done_bytes == len,
	      "read: status 0x%x done %u of %zu", op.status, op.done_bytes,
	      len);
	CHECK(pread(fd, got, len, 100) == (ssize_t)len, "pread");
	CHECK(!memcmp(got, src, len), "read: buffer differs from memory");
	printf("read: %zu bytes at %p (unaligned, across pages) via PASID %u\n",
	       len, src, op.pasid);
	free(got);
	munmap(mem, 4 * page);
}

/* How many bytes of @a and @b differ, and the offset of the first */
static size_t differing(const __u8 *a, const __u8 *b, size_t n)
{
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		bad += a[i] != b[i];
	return bad;
}

static size_t first_differing(const __u8 *a, const __u8 *b, size_t n)
{
	size_t i;

	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	return i;
}

/* Device writes its buffer to memory: compare memory with what we put */
static void test_write(void)
{
	size_t len = PDT_BUF_SIZE - 9;
	__u8 *mem = map(PDT_BUF_SIZE + 2 * page);
	__u8 *dst = mem + page - 5, *data = malloc(len);
	struct pdt_op op;

	fill_random(data, len, 2);
	CHECK(pwrite(fd, data, len, 9) == (ssize_t)len, "pwrite");
	if (run(&op, PDT_OP_WRITE, dst, len, 9, 0, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == PDT_STATUS_DONE && op.done_bytes == len,
	      "write: status 0x%x done %u", op.status, op.done_bytes);
	CHECK(!memcmp(dst, data, len),
	      "write: memory differs from buffer: %zu bytes, the first at +%zu (page %zu of the write's)",
	      differing(dst, data, len), first_differing(dst, data, len),
	      (first_differing(dst, data, len) + page - 5) / page);
	CHECK(dst[-1] == 0x5a && dst[len] == 0x5a,
	      "write: bytes around the range changed");
	printf("write: %zu bytes at %p\n", len, dst);
	free(data);
	munmap(mem, PDT_BUF_SIZE + 2 * page);
}

/* Device fills memory with a pattern, then compares; then a mismatch */
static void test_fill_compare(void)
{
	size_t len = 1 << 20, i, bad = 0;
	__u8 *mem = map(len + 2 * page);
	__u8 *dst = mem + 3;
	__u32 pat = 0xa1b2c3d4;
	struct pdt_op op;

	if (run(&op, PDT_OP_FILL, dst, len, 0, pat, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == PDT_STATUS_DONE && op.done_bytes == len,
	      "fill: status 0x%x done %u", op.status, op.done_bytes);
	for (i = 0; i < len; i++)
		bad += dst[i] != pattern_byte(pat, i);
	CHECK(!bad && mem[2] == 0x5a && dst[len] == 0x5a,
	      "fill: %zu bytes wrong", bad);

	if (run(&op, PDT_OP_COMPARE, dst, len, 0, pat, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == PDT_STATUS_DONE, "compare: status 0x%x", op.status);

	dst[len / 2 + 1] ^= 0x40;
	if (run(&op, PDT_OP_COMPARE, dst, len, 0, pat, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == (PDT_STATUS_DONE | PDT_STATUS_MISMATCH) &&
	      op.fault_addr == (uintptr_t)(dst + len / 2 + 1) &&
	      op.done_bytes == len / 2 + 1 &&
	      (op.mismatch & 0xff) == dst[len / 2 + 1] &&
	      (op.mismatch >> 8 & 0xff) == pattern_byte(pat, len / 2 + 1),
	      "compare: status 0x%x at 0x%llx done %u mismatch 0x%x",
	      op.status, (unsigned long long)op.fault_addr, op.done_bytes,
	      op.mismatch);
	printf("fill/compare: %zu bytes, mismatch found at +%u\n", len,
	       op.done_bytes);
	munmap(mem, len + 2 * page);
}

/*
 * munmap the middle of a range: the next access faults exactly there. The
 * reads are compares (memory is 0x5a), whose length is not bounded by the
 * device buffer, so that they span pages of any size.
 */
static void test_munmap_fault(void)
{
	__u8 *mem = map(4 * page);
	__u8 *hole = mem + 2 * page;
	__u32 same = 0x5a5a5a5a;
	struct pdt_op op;

	if (run(&op, PDT_OP_COMPARE, mem, 4 * page, 0, same, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == PDT_STATUS_DONE, "before munmap: status 0x%x",
	      op.status);

	munmap(hole, page);
	if (run(&op, PDT_OP_COMPARE, mem + page, 2 * page, 0, same, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == (PDT_STATUS_DONE | PDT_STATUS_FAULT) &&
	      op.fault_addr == (uintptr_t)hole && op.done_bytes == page,
	      "after munmap: status 0x%x at 0x%llx (hole %p) done %u",
	      op.status, (unsigned long long)op.fault_addr, hole,
	      op.done_bytes);
	printf("munmap: device access faulted at %p after %u bytes\n",
	       (void *)(uintptr_t)op.fault_addr, op.done_bytes);

	/* Fill must not write into the hole either */
	if (run(&op, PDT_OP_FILL, hole + page, page, 0, 0x11111111, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == PDT_STATUS_DONE && hole[page] == 0x11,
	      "fill after the hole: status 0x%x", op.status);
	if (run(&op, PDT_OP_FILL, hole, page, 0, 0x22222222, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == (PDT_STATUS_DONE | PDT_STATUS_FAULT) &&
	      op.done_bytes == 0, "fill into the hole: status 0x%x",
	      op.status);
	munmap(mem, 2 * page);
	munmap(hole + page, page);
}

/*
 * The stale-translation hunt: the device touches memory first, so that the
 * SMMU's TLB holds its translation; then a CPU-side change. The device's
 * next access must fault or reach memory as it is now, never the old
 * page or the old permission. The invalidation that makes it so is the
 * driver's TLBI on the stock path, the CPU's broadcast under BTM.
 */
static int warm(void *addr, size_t len, __u32 pattern)
{
	struct pdt_op op;

	if (run(&op, PDT_OP_COMPARE, addr, len, 0, pattern, 0))
		return -1;
	CHECK(op.status == PDT_STATUS_DONE, "warming %p: status 0x%x", addr,
	      op.status);
	return op.status == PDT_STATUS_DONE ? 0 : -1;
}

/* What the device found at @addr after the change, as a word for the log. */
static const char *seen(const struct pdt_op *op)
{
	if (op->status & PDT_STATUS_FAULT)
		return "faulted";
	if (op->status & PDT_STATUS_MISMATCH)
		return "saw other data";
	return op->status == PDT_STATUS_DONE ? "reached the page" : "error";
}

static void hunt_mprotect_none(void)
{
	__u8 *mem = map(page);
	struct pdt_op op;

	if (warm(mem, page, 0x5a5a5a5a) == 0 &&
	    !mprotect(mem, page, PROT_NONE) &&
	    !run(&op, PDT_OP_COMPARE, mem, page, 0, 0x5a5a5a5a, 0)) {
		CHECK(op.status & PDT_STATUS_FAULT,
		      "mprotect(PROT_NONE): the device still read the page (status 0x%x)",
		      op.status);
		printf("hunt mprotect-none: device %s\n", seen(&op));
	}
	munmap(mem, page);
}

static void hunt_mprotect_ro(void)
{
	__u8 *mem = map(page);
	struct pdt_op op;

	/* A device write first: the SMMU caches a writable entry. */
	if (run(&op, PDT_OP_FILL, mem, page, 0, 0x5a5a5a5a, 0) ||
	    op.status != PDT_STATUS_DONE || mprotect(mem, page, PROT_READ)) {
		CHECK(0, "mprotect(PROT_READ): setup failed (status 0x%x)",
		      op.status);
		munmap(mem, page);
		return;
	}
	if (!run(&op, PDT_OP_FILL, mem, page, 0, 0x66666666, 0)) {
		CHECK((op.status & PDT_STATUS_FAULT) && mem[0] == 0x5a,
		      "mprotect(PROT_READ): the device still wrote the page (status 0x%x, byte 0x%02x)",
		      op.status, mem[0]);
		printf("hunt mprotect-ro: device write %s\n", seen(&op));
	}
	if (!run(&op, PDT_OP_COMPARE, mem, page, 0, 0x5a5a5a5a, 0))
		CHECK(op.status == PDT_STATUS_DONE,
		      "mprotect(PROT_READ): the device cannot read (status 0x%x)",
		      op.status);
	munmap(mem, page);
}

static void hunt_dontneed(void)
{
	__u8 *mem = map(page);
	struct pdt_op op;

	if (warm(mem, page, 0x5a5a5a5a) == 0 &&
	    !madvise(mem, page, MADV_DONTNEED) &&
	    !run(&op, PDT_OP_COMPARE, mem, page, 0, 0x5a5a5a5a, 0)) {
		CHECK(op.status != PDT_STATUS_DONE,
		      "madvise(MADV_DONTNEED): the device still read the old page");
		printf("hunt dontneed: device %s\n", seen(&op));
	}
	munmap(mem, page);
}

/*
 * A child of fork that keeps its copy of the page at @mem (0x5a bytes)
 * mapped until keeper_done() lets it go, then exits 0 only if the copy is
 * unchanged at both ends. The write end of its pipe goes to @go_w.
 */
static pid_t keeper_fork(__u8 *mem, int *go_w)
{
	int go[2];
	pid_t pid;
	char c;

	if (pipe(go))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(mem[0] == 0x5a && mem[page - 1] == 0x5a ? 0 : 3);
	}
	close(go[0]);
	if (pid < 0) {
		close(go[1]);
		return -1;
	}
	*go_w = go[1];
	return pid;
}

/* Lets the keeper go: whether its copy of the page stayed as it was. */
static int keeper_done(pid_t pid, int go_w)
{
	int st = 0;

	close(go_w);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* fork, then a write in the parent: copy-on-write gives it a new page. */
static void hunt_cow(void)
{
	__u8 *mem = map(page);
	struct pdt_op op;
	int go_w;
	pid_t pid;

	if (warm(mem, page, 0x5a5a5a5a)) {
		munmap(mem, page);
		return;
	}
	pid = keeper_fork(mem, &go_w);
	if (pid < 0) {
		CHECK(0, "fork + write: no child: %s", strerror(errno));
		munmap(mem, page);
		return;
	}
	memset(mem, 0x77, page);
	if (!run(&op, PDT_OP_COMPARE, mem, page, 0, 0x77777777, 0)) {
		CHECK(op.status == PDT_STATUS_DONE ||
		      (op.status & PDT_STATUS_FAULT),
		      "fork + write: the device read the old page (status 0x%x, byte 0x%02x)",
		      op.status, op.mismatch & 0xff);
		printf("hunt cow: device %s\n",
		       op.status == PDT_STATUS_DONE ? "read the new page" :
						      seen(&op));
	}
	CHECK(keeper_done(pid, go_w),
	      "fork + write: the child saw its page change");
	munmap(mem, page);
}

/*
 * fork, the device reads, the child exits, then a write in the parent: the
 * page is reused in place (wp_page_reuse), which 7.x makes writable with a
 * TLBI of the CPU's own TLB only. The SMMU cached the read-only entry; the
 * device's write after the reuse must land in the parent's page.
 */
static void hunt_cow_reuse(void)
{
	__u8 *mem = map(page);
	struct pdt_op op;
	pid_t pid;
	int st = 0;

	if (warm(mem, page, 0x5a5a5a5a)) {
		munmap(mem, page);
		return;
	}
	pid = fork();
	if (pid == 0)
		_exit(0);
	/* The read-only entry, into the SMMU's TLB. */
	if (pid < 0 || run(&op, PDT_OP_COMPARE, mem, page, 0, 0x5a5a5a5a, 0) ||
	    waitpid(pid, &st, 0) != pid) {
		CHECK(0, "fork + reuse: setup failed");
		munmap(mem, page);
		return;
	}
	mem[0] = 0x77;
	if (!run(&op, PDT_OP_FILL, mem, page, 0, 0x66666666, 0)) {
		CHECK(op.status == PDT_STATUS_DONE && mem[0] == 0x66 &&
		      mem[page - 1] == 0x66,
		      "fork + reuse + write: the device's write did not land (status 0x%x, byte 0x%02x)",
		      op.status, mem[0]);
		printf("hunt cow-reuse: device write %s\n",
		       op.status == PDT_STATUS_DONE && mem[0] == 0x66 ?
		       "landed in the parent's page" : seen(&op));
	}
	munmap(mem, page);
}

/*
 * fork after a device write: fork write-protects the parent's pages for
 * copy-on-write and invalidates the whole mm (flush_tlb_mm: TLBI ASIDE1IS),
 * the only invalidation of the page. The SMMU held a writable entry; the
 * device's next write must fault (it cannot break COW), or it would write
 * into the page the child shares.
 */
static void hunt_fork_wp(void)
{
	__u8 *mem = map(page);
	struct pdt_op op;
	pid_t pid = -1;
	int go_w;

	if (!run(&op, PDT_OP_FILL, mem, page, 0, 0x5a5a5a5a, 0) &&
	    op.status == PDT_STATUS_DONE)
		pid = keeper_fork(mem, &go_w);
	if (pid < 0) {
		CHECK(0, "fork + device write: setup failed (status 0x%x)",
		      op.status);
		munmap(mem, page);
		return;
	}
	if (!run(&op, PDT_OP_FILL, mem, page, 0, 0x66666666, 0)) {
		CHECK((op.status & PDT_STATUS_FAULT) && mem[0] == 0x5a,
		      "fork + device write: the device wrote the shared page (status 0x%x, byte 0x%02x)",
		      op.status, mem[0]);
		printf("hunt fork-wp: device write %s\n",
		       mem[0] == 0x5a ? seen(&op) : "landed in the page the child shares");
	}
	CHECK(keeper_done(pid, go_w),
	      "fork + device write: the child's page changed");
	munmap(mem, page);
}

/* mremap to a new place: the old address must fault, the new one work. */
static void hunt_mremap(void)
{
	__u8 *mem = map(page), *dst, *moved;
	struct pdt_op op;

	dst = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dst == MAP_FAILED || warm(mem, page, 0x5a5a5a5a)) {
		munmap(mem, page);
		return;
	}
	moved = mremap(mem, page, page, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	CHECK(moved == dst, "mremap: %s", strerror(errno));
	if (moved != dst)
		return;
	if (!run(&op, PDT_OP_COMPARE, mem, page, 0, 0x5a5a5a5a, 0)) {
		CHECK(op.status & PDT_STATUS_FAULT,
		      "mremap: the device still read the old address (status 0x%x)",
		      op.status);
		printf("hunt mremap: old address %s\n", seen(&op));
	}
	if (!run(&op, PDT_OP_COMPARE, dst, page, 0, 0x5a5a5a5a, 0)) {
		CHECK(op.status == PDT_STATUS_DONE,
		      "mremap: the new address does not read (status 0x%x)",
		      op.status);
		printf("hunt mremap: new address %s\n", seen(&op));
	}
	munmap(dst, page);
}

#ifndef MPOL_MF_MOVE
#define MPOL_MF_MOVE	(1 << 1)
#endif

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

/* The kernel's THP size, or 0 when it has none or one too big to try. */
static size_t thp_size(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
			"r");
	unsigned long size = 0;

	if (f) {
		if (fscanf(f, "%lu", &size) != 1)
			size = 0;
		fclose(f);
	}
	/* 64K pages make it 512 MiB: more than the guest can spare. */
	return size <= (32ul << 20) ? size : 0;
}

/* kB of this process's anonymous memory in huge pages. */
static long anon_huge_kb(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[128];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* @size bytes at a multiple of @size, mapped (not touched). */
static __u8 *map_aligned(size_t size, void **base)
{
	__u8 *p = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	*base = p;
	return (__u8 *)(((uintptr_t)p + size - 1) & ~(uintptr_t)(size - 1));
}

/*
 * A huge page the device has read through (the SMMU may hold one block
 * entry for it) is split: one page of it made PROT_NONE, another dropped
 * (MADV_DONTNEED). The device must fault on both and still read the rest.
 */
static void hunt_thp_split(void)
{
	size_t size = thp_size();
	long kb0 = anon_huge_kb();
	struct pdt_op op;
	void *base;
	__u8 *mem;

	if (!size || kb0 < 0) {
		printf("hunt thp-split: no transparent huge pages of at most 32 MiB here: skipped\n");
		return;
	}
	mem = map_aligned(size, &base);
	madvise(mem, size, MADV_HUGEPAGE);
	memset(mem, 0x5a, size);
	if (anon_huge_kb() - kb0 < (long)(size >> 10)) {
		printf("hunt thp-split: the kernel gave no huge page: skipped\n");
		munmap(base, 2 * size);
		return;
	}
	if (warm(mem, size, 0x5a5a5a5a) == 0 &&
	    !mprotect(mem + size / 2, page, PROT_NONE) &&
	    !madvise(mem + size / 4, page, MADV_DONTNEED)) {
		if (!run(&op, PDT_OP_COMPARE, mem + size / 2, page, 0,
			 0x5a5a5a5a, 0)) {
			CHECK(op.status & PDT_STATUS_FAULT,
			      "THP split, PROT_NONE page: the device still read it (status 0x%x)",
			      op.status);
			printf("hunt thp-split: protected page: device %s\n",
			       seen(&op));
		}
		if (!run(&op, PDT_OP_COMPARE, mem + size / 4, page, 0,
			 0x5a5a5a5a, 0)) {
			CHECK(op.status != PDT_STATUS_DONE,
			      "THP split, dropped page: the device still read the old page");
			printf("hunt thp-split: dropped page: device %s\n",
			       seen(&op));
		}
		if (!run(&op, PDT_OP_COMPARE, mem + size / 2 + page,
			 size / 2 - page, 0, 0x5a5a5a5a, 0)) {
			CHECK(op.status == PDT_STATUS_DONE,
			      "THP split: the device cannot read the rest (status 0x%x)",
			      op.status);
			printf("hunt thp-split: the rest: device %s\n",
			       seen(&op));
		}
	}
	munmap(base, 2 * size);
}

/*
 * Small pages the device has read through are collapsed into a huge page
 * (MADV_COLLAPSE copies them and frees the old ones); the CPU then writes
 * the huge page, and the device must read what it wrote.
 */
static void hunt_thp_collapse(void)
{
	size_t size = thp_size();
	struct pdt_op op;
	long kb0;
	void *base;
	__u8 *mem;

	if (!size) {
		printf("hunt thp-collapse: no transparent huge pages of at most 32 MiB here: skipped\n");
		return;
	}
	mem = map_aligned(size, &base);
	madvise(mem, size, MADV_NOHUGEPAGE);
	memset(mem, 0x5a, size);
	if (warm(mem, size, 0x5a5a5a5a)) {
		munmap(base, 2 * size);
		return;
	}
	kb0 = anon_huge_kb();
	madvise(mem, size, MADV_HUGEPAGE);
	errno = 0;
	if (madvise(mem, size, MADV_COLLAPSE) ||
	    anon_huge_kb() - kb0 < (long)(size >> 10)) {
		printf("hunt thp-collapse: MADV_COLLAPSE: %s: skipped\n",
		       errno ? strerror(errno) : "no huge page");
		munmap(base, 2 * size);
		return;
	}
	memset(mem, 0x77, size);
	if (!run(&op, PDT_OP_COMPARE, mem, size, 0, 0x77777777, 0)) {
		CHECK(op.status == PDT_STATUS_DONE,
		      "THP collapse: the device read the old small pages (status 0x%x at %#llx)",
		      op.status, (unsigned long long)op.fault_addr);
		printf("hunt thp-collapse: device %s\n",
		       op.status == PDT_STATUS_DONE ? "read the huge page" :
						      seen(&op));
	}
	munmap(base, 2 * size);
}

/*
 * Page migration: a page the device has read is moved to the other NUMA
 * node (move_pages), and the CPU then writes the new page; the device
 * must read what it wrote, never the old page.
 */
static void hunt_move_pages(void)
{
	__u8 *mem = map(page);
	int node = -1, to, status = -1;
	struct pdt_op op;
	void *addr = mem;

	if (access("/sys/devices/system/node/node1", F_OK) ||
	    syscall(SYS_move_pages, 0, 1, &addr, NULL, &node, 0) ||
	    node < 0) {
		printf("hunt move-pages: one NUMA node only: skipped\n");
		munmap(mem, page);
		return;
	}
	to = !node;
	if (warm(mem, page, 0x5a5a5a5a) == 0 &&
	    !syscall(SYS_move_pages, 0, 1, &addr, &to, &status,
		     MPOL_MF_MOVE)) {
		CHECK(status == to, "move_pages: the page stayed on node %d",
		      status);
		memset(mem, 0x77, page);
		if (!run(&op, PDT_OP_COMPARE, mem, page, 0, 0x77777777, 0)) {
			CHECK(op.status == PDT_STATUS_DONE,
			      "move_pages: the device read the old page (status 0x%x)",
			      op.status);
			printf("hunt move-pages: node %d to %d; device %s\n",
			       node, status,
			       op.status == PDT_STATUS_DONE ? "read the new page" :
							      seen(&op));
		}
	}
	munmap(mem, page);
}

/*
 * A child binds itself, has the device touch its memory and exits without
 * closing: its mm goes before its file, so the bind outlives the mm for a
 * moment. Nothing may be reported and the child must exit normally.
 */
static void hunt_exit(const char *dev)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		struct pdt_op op;
		__u8 *mem;

		fd = open(dev, O_RDWR);
		if (fd < 0)
			_exit(2);
		mem = map(page);
		if (run(&op, PDT_OP_COMPARE, mem, page, 0, 0x5a5a5a5a, 0) ||
		    op.status != PDT_STATUS_DONE)
			_exit(3);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	CHECK(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "exit while bound: child status 0x%x", st);
	printf("hunt exit: a bound child exited without closing (status 0x%x)\n",
	       st);
}

/* The random hunt's pool: each page's state as the CPU side left it. */
#define POOL 8
enum pool_state { P_RW, P_RO, P_NONE, P_ABSENT };

struct pool {
	__u8 *base;
	enum pool_state state[POOL];
	__u8 val[POOL];
};

static atomic_int keep_busy;
/* Whether the random hunt checks that read-only pages refuse the device */
static int random_writes = 1;

/* The second thread: device reads of a stable buffer, as long as it may. */
static void *busy_device(void *arg)
{
	__u8 *mem = arg;
	struct pdt_op op;

	while (keep_busy)
		if (run(&op, PDT_OP_READ, mem, 4096, 0, 0, 0) ||
		    op.status != PDT_STATUS_DONE)
			break;
	return NULL;
}

/* The device's view of page @i must be what the CPU side left there. */
static int pool_check(struct pool *p, int i, unsigned int seed, int step)
{
	__u8 *pg = p->base + i * page;
	__u32 pat = p->val[i] * 0x01010101u;
	struct pdt_op op;
	int ok;

	if (run(&op, PDT_OP_COMPARE, pg, page, 0, pat, 0))
		return -1;
	if (p->state[i] == P_RW || p->state[i] == P_RO)
		ok = op.status == PDT_STATUS_DONE;
	else
		ok = (op.status & PDT_STATUS_FAULT) != 0;
	if (ok && p->state[i] == P_RO && random_writes) {
		/* A read-only page must refuse the device's write. */
		if (run(&op, PDT_OP_FILL, pg, page, 0, ~pat, 0))
			return -1;
		ok = (op.status & PDT_STATUS_FAULT) && pg[0] == p->val[i];
	}
	if (!ok)
		printf("FAIL random seed %u step %d: page %d state %d value 0x%02x: status 0x%x\n",
		       seed, step, i, p->state[i], p->val[i], op.status);
	return ok ? 0 : 1;
}

/*
 * -r SEED: random CPU-side changes to a pool of pages (writes, mprotect
 * to none, read-only and back, MADV_DONTNEED, munmap and a fresh mmap),
 * each followed by the device's check of a random page, while a second
 * thread keeps the device reading. A failure names the seed and step.
 */
static void hunt_random(unsigned int seed, int steps)
{
	struct pool p = { 0 };
	__u8 *busy = map(page);
	pthread_t thr;
	int step, i, bad = 0;

	srand(seed);
	p.base = map(POOL * page);
	for (i = 0; i < POOL; i++)
		p.val[i] = 0x5a;
	keep_busy = 1;
	if (pthread_create(&thr, NULL, busy_device, busy)) {
		CHECK(0, "random: no second thread");
		return;
	}
	for (step = 0; step < steps && !bad; step++) {
		__u8 *pg;

		i = rand() % POOL;
		pg = p.base + i * page;
		switch (rand() % 6) {
		case 0:	/* write, making the page present and writable */
			if (mprotect(pg, page, PROT_READ | PROT_WRITE))
				break;
			p.val[i] = 1 + rand() % 254;
			memset(pg, p.val[i], page);
			p.state[i] = P_RW;
			break;
		case 1:
			if (!mprotect(pg, page, PROT_NONE) &&
			    p.state[i] != P_ABSENT)
				p.state[i] = P_NONE;
			break;
		case 2:
			if (p.state[i] == P_ABSENT)
				break;
			if (!mprotect(pg, page, PROT_READ))
				p.state[i] = P_RO;
			break;
		case 3:
			if (!madvise(pg, page, MADV_DONTNEED))
				p.state[i] = P_ABSENT;
			break;
		case 4:
			munmap(pg, page);
			if (mmap(pg, page, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
				 0) != pg) {
				bad = 1;
				break;
			}
			p.state[i] = P_ABSENT;
			break;
		default:	/* no change: the device's view must hold */
			break;
		}
		bad |= pool_check(&p, rand() % POOL, seed, step) != 0;
	}
	keep_busy = 0;
	pthread_join(thr, NULL);
	CHECK(!bad, "random seed %u failed at step %d of %d", seed, step - 1,
	      steps);
	printf("hunt random: seed %u, %d steps, %s\n", seed, step,
	       bad ? "FAILED" : "the device never saw a page the CPU had changed");
	munmap(p.base, POOL * page);
	munmap(busy, page);
}

/*
 * -l N: N binds and unbinds of this process, each with a device compare of
 * a page through the new bind (the moves-under-DMA test runs several).
 */
static int bind_loop(const char *dev, int n, const char *move)
{
	__u8 *mem = map(page);
	int i, lock = -1, mine = 0;
	struct pdt_op op;

	/*
	 * With @move (the test module's file "move"), each bind is made with
	 * the disk's DMA domain on this process's CPU ASID, which the bind
	 * must then move away; a lock keeps the other processes from moving
	 * it on in between, not from their DMA.
	 */
	if (move) {
		lock = open("/tmp/pdt-move.lock", O_RDWR | O_CREAT, 0600);
		if (lock < 0) {
			perror("/tmp/pdt-move.lock");
			return 2;
		}
	}
	for (i = 0; i < n; i++) {
		if (move) {
			int m;

			flock(lock, LOCK_EX);
			m = open(move, O_WRONLY);
			if (m >= 0 && write(m, "mine", 4) == 4)
				mine++;
			else
				printf("bind %d: the domain was not put on this ASID: %s\n",
				       i, strerror(errno));
			if (m >= 0)
				close(m);
		}
		fd = open(dev, O_RDWR);
		if (move)
			flock(lock, LOCK_UN);
		if (fd < 0) {
			printf("FAIL bind %d: %s\n", i, strerror(errno));
			return 1;
		}
		if (run(&op, PDT_OP_COMPARE, mem, page, 0, 0x5a5a5a5a, 0) ||
		    op.status != PDT_STATUS_DONE) {
			printf("FAIL bind %d: compare status 0x%x\n", i,
			       op.status);
			close(fd);
			return 1;
		}
		close(fd);
	}
	printf("%d binds, each with a byte-exact device compare; %d made with the test module's DMA domain on this process's ASID\n",
	       n, mine);
	return 0;
}

/* Without PASID the device uses the DMA domain: a user VA faults */
static void test_no_pasid(void)
{
	__u8 *mem = map(page);
	struct pdt_op op;

	if (run(&op, PDT_OP_READ, mem, 64, 0, 0, PDT_FLAG_NO_PASID)) {
		failed++;
		return;
	}
	CHECK(op.status == (PDT_STATUS_DONE | PDT_STATUS_FAULT),
	      "no PASID: status 0x%x", op.status);
	munmap(mem, page);
}

/*
 * -x: the driver keeps a bond list per master (6.2 to 6.8) and refuses to
 * disable SVA while a bind is on it, because the CD table the bind's CD
 * sits in (and before 6.7 the DMA domain owning it) must outlive the
 * bind. A bind made through smmu-btm's provider must be refused the same
 * way; the device must go on translating for us afterwards.
 */
static void test_disable_refused(void)
{
	__u8 *mem = map(page);
	struct pdt_op op;
	int ret = ioctl(fd, PDT_IOC_DISABLE_SVA);

	CHECK(ret < 0 && errno == EBUSY, "disabling SVA while bound: %s",
	      ret ? strerror(errno) : "allowed");
	memset(mem, 0x5a, page);
	if (run(&op, PDT_OP_COMPARE, mem, page, 0, 0x5a5a5a5a, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == PDT_STATUS_DONE,
	      "compare after the disable attempt: status 0x%x", op.status);
	munmap(mem, page);
}

static int set_ptm(__u32 ptm)
{
	if (ioctl(fd, PDT_IOC_SET_PTM, &ptm)) {
		printf("PDT_IOC_SET_PTM %u: %s\n", ptm, strerror(errno));
		return -1;
	}
	return 0;
}

/* One page read twice, a bare TLBI VAE1IS for it, then read again */
static int btm_check(int keep_ptm)
{
	__u8 *mem = map(page);
	struct pdt_tlbi t = { .addr = (uintptr_t)mem };
	struct pdt_op op;
	__u8 *range;
	int i;

	if (!keep_ptm && set_ptm(0))
		return 1;
	for (i = 0; i < 2; i++) {
		run(&op, PDT_OP_READ, mem, 64, 0, 0, 0);
		CHECK(op.status == PDT_STATUS_DONE, "read %d: 0x%x", i,
		      op.status);
	}
	printf("BTM-CHECK tlbi vae1is %p\n", mem);
	fflush(stdout);
	if (ioctl(fd, PDT_IOC_TLBI, &t)) {
		printf("PDT_IOC_TLBI: %s\n", strerror(errno));
		failed++;
	}
	run(&op, PDT_OP_READ, mem, 64, 0, 0, 0);
	CHECK(op.status == PDT_STATUS_DONE, "read after TLBI: 0x%x",
	      op.status);

	/* The kernel's own range invalidation: munmap of 16 cached pages */
	range = map(16 * page);
	run(&op, PDT_OP_COMPARE, range, 16 * page, 0, 0x5a5a5a5a, 0);
	CHECK(op.status == PDT_STATUS_DONE, "range read: 0x%x", op.status);
	printf("BTM-CHECK munmap %p 16 pages\n", range);
	fflush(stdout);
	munmap(range, 16 * page);
	printf("BTM-CHECK done\n");
	if (!keep_ptm && set_ptm(1))
		failed++;
	munmap(mem, page);
	return 0;
}

#define CD0_V		(1ULL << 31)
#define CD0_AA64	(1ULL << 41)
#define CD0_ASET	(1ULL << 47)
#define CD0_ASID(w)	((unsigned int)((w) >> 48))
#define CD0_OWN		(0xffffULL << 48 | CD0_ASET)
#define CD1_TTB0	(((1ULL << 52) - 1) & ~0xfULL)

/* See the header: the bind's CD, checked, saved or compared with CDFILE. */
static int cd_check(const char *file)
{
	struct pdt_cd cd = { 0 };
	unsigned long long want[8];
	unsigned int i, diff = 0;
	FILE *f;

	if (ioctl(fd, PDT_IOC_CD, &cd)) {
		CHECK(0, "PDT_IOC_CD: %s", strerror(errno));
		return -1;
	}
	printf("cd: sid %u pasid %u ste0 %#llx cd %#llx %#llx %#llx %#llx; CPU ASID %u, pgd %#llx\n",
	       cd.sid, cd.pasid, (unsigned long long)cd.ste0,
	       (unsigned long long)cd.cd[0], (unsigned long long)cd.cd[1],
	       (unsigned long long)cd.cd[2], (unsigned long long)cd.cd[3],
	       cd.asid, (unsigned long long)cd.pgd);
	/* STE.S1Fmt (bits 5:4) and S1CDMax (63:59): how the CD was found */
	printf("cd-table: %s (S1Fmt %llu, S1CDMax %llu)\n",
	       (cd.ste0 >> 4) & 3 ? "2-level" : "linear",
	       (unsigned long long)(cd.ste0 >> 4) & 3,
	       (unsigned long long)(cd.ste0 >> 59));
	CHECK((cd.cd[0] & CD0_V) && (cd.cd[0] & CD0_AA64),
	      "CD word 0 %#llx: not a valid AArch64 CD",
	      (unsigned long long)cd.cd[0]);
	CHECK((cd.cd[1] & CD1_TTB0) == cd.pgd,
	      "CD TTB0 %#llx is not the process's page tables %#llx",
	      (unsigned long long)(cd.cd[1] & CD1_TTB0),
	      (unsigned long long)cd.pgd);
	f = fopen(file, "r");
	if (!f) {
		f = fopen(file, "w");
		if (!f)
			return -1;
		for (i = 0; i < 8; i++)
			fprintf(f, "%#llx\n", (unsigned long long)cd.cd[i]);
		fclose(f);
		printf("cd: saved as the oracle in %s\n", file);
		return 0;
	}
	for (i = 0; i < 8; i++)
		if (fscanf(f, "%llx", &want[i]) != 1)
			break;
	fclose(f);
	CHECK(i == 8, "%s: %u words, not 8", file, i);
	if (i != 8)
		return -1;
	CHECK(CD0_ASID(cd.cd[0]) == cd.asid && !(cd.cd[0] & CD0_ASET),
	      "CD ASID %u ASET %d: not the CPU's ASID %u with ASET 0",
	      CD0_ASID(cd.cd[0]), !!(cd.cd[0] & CD0_ASET), cd.asid);
	diff |= ((cd.cd[0] ^ want[0]) & ~CD0_OWN) ? 1 : 0;
	diff |= ((cd.cd[1] ^ want[1]) & ~CD1_TTB0) ? 2 : 0;
	for (i = 2; i < 8; i++)
		diff |= cd.cd[i] != want[i] ? 1u << i : 0;
	CHECK(!diff,
	      "CD words differing from the driver's beyond TTB0, ASID and ASET: mask %#x (ours %#llx %#llx %#llx, the driver's %#llx %#llx %#llx)",
	      diff, (unsigned long long)cd.cd[0],
	      (unsigned long long)cd.cd[1], (unsigned long long)cd.cd[3],
	      want[0], want[1], want[3]);
	if (!diff)
		printf("cd-oracle: equal to the driver's own CD but for TTB0 and ASID (the process's) and ASET (%d, the driver's %d)\n",
		       !!(cd.cd[0] & CD0_ASET), !!(want[0] & CD0_ASET));
	return diff ? -1 : 0;
}

/*
 * Each of the @n devices @fds reads fresh memory; then, after a munmap of
 * one page and an mprotect to none of another, each must fault on both.
 */
static void fault_check(const int *fds, int n, const char *phase)
{
	__u8 *mem = map(4 * page), *hole = mem + 2 * page;
	__u32 same = 0x5a5a5a5a;
	struct pdt_op op;
	int i, save = fd, bad = failed;

	for (i = 0; i < n; i++) {
		fd = fds[i];
		if (run(&op, PDT_OP_COMPARE, mem, 4 * page, 0, same, 0))
			failed++;
		else
			CHECK(op.status == PDT_STATUS_DONE,
			      "%s, device %d: before the changes: status 0x%x",
			      phase, i, op.status);
	}
	munmap(hole, page);
	mprotect(mem, page, PROT_NONE);
	for (i = 0; i < n; i++) {
		fd = fds[i];
		if (run(&op, PDT_OP_COMPARE, mem + page, 2 * page, 0, same, 0))
			failed++;
		else
			CHECK(op.status == (PDT_STATUS_DONE | PDT_STATUS_FAULT) &&
			      op.fault_addr == (uintptr_t)hole,
			      "%s, device %d: after munmap: status 0x%x at 0x%llx (hole %p)",
			      phase, i, op.status,
			      (unsigned long long)op.fault_addr, hole);
		if (run(&op, PDT_OP_COMPARE, mem, page, 0, same, 0))
			failed++;
		else
			CHECK(op.status == (PDT_STATUS_DONE | PDT_STATUS_FAULT) &&
			      op.done_bytes == 0,
			      "%s, device %d: after mprotect to none: status 0x%x, %u bytes read",
			      phase, i, op.status, op.done_bytes);
	}
	munmap(mem, 4 * page);
	fd = save;
	if (failed == bad)
		printf("two: %s: %d device(s) read the memory, then faulted after a munmap and after an mprotect to none\n",
		       phase, n);
}

/* See the header: one process bound through two devices. */
static int two_devices(const char *dev, const char *dev2, const char *wait)
{
	struct pdt_info info[2];
	struct pdt_cd cd = { 0 };
	int fds[2], i;
	FILE *f;

	fds[0] = fd;
	fds[1] = open(dev2, O_RDWR);
	if (fds[1] < 0) {
		CHECK(0, "open %s (SVA bind): %s", dev2, strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++)
		if (ioctl(fds[i], PDT_IOC_INFO, &info[i]))
			return -1;
	printf("two: bound through %s (PASID %u) and %s (PASID %u), CPU ASID %u\n",
	       dev, info[0].pasid, dev2, info[1].pasid, info[1].asid);
	fault_check(fds, 2, "both bound");
	close(fds[0]);
	fd = fds[1];
	if (wait) {
		f = fopen(wait, "w");
		if (f)
			fclose(f);
		while (!access(wait, F_OK))
			usleep(10000);
	}
	fault_check(&fds[1], 1, "the first unbound");
	if (ioctl(fd, PDT_IOC_CD, &cd)) {
		CHECK(0, "PDT_IOC_CD: %s", strerror(errno));
		return -1;
	}
	CHECK(CD0_ASID(cd.cd[0]) == cd.asid && !(cd.cd[0] & CD0_ASET) &&
	      cd.pinned >= 1,
	      "the first unbound: the second's CD ASID %u ASET %d, CPU ASID %u pinned %u times",
	      CD0_ASID(cd.cd[0]), !!(cd.cd[0] & CD0_ASET), cd.asid,
	      cd.pinned);
	printf("two: the first unbound: the second's CD on ASID %u, the CPU's, pinned %u time(s)\n",
	       CD0_ASID(cd.cd[0]), cd.pinned);
	return 0;
}

static atomic_int race_stop;

/* Keep the calling thread on CPU @cpu: 0, or -1 with errno set. */
static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/*
 * The CPU-side changes: each MADV_DONTNEED flushes, so the notifier runs.
 * On CPU 0, so that the held reader (interrupts off) is there.
 */
static void *race_flusher(void *buf)
{
	pin_to(0);
	while (!atomic_load(&race_stop)) {
		*(volatile char *)buf = 1;
		madvise(buf, page, MADV_DONTNEED);
	}
	return NULL;
}

static int write_file(const char *path, const char *what)
{
	int f = open(path, O_WRONLY), ok;

	if (f < 0)
		return -1;
	ok = write(f, what, strlen(what)) == (ssize_t)strlen(what);
	close(f);
	return ok ? 0 : -1;
}

/*
 * The read-only control (-k): see the top of the file. A stale read after
 * mprotect reads the process's own page; after munmap, a freed one, which
 * may hold anything by then, so that both a clean read and a mismatch are
 * stale: only a fault is right.
 */
/* An anonymous mapping the CPU never touched: no page behind it yet */
static void *map_untouched(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/* Every byte of @p is the pattern's stream */
static int holds_pattern(const __u8 *p, size_t len, __u32 pattern)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern_byte(pattern, i))
			return 0;
	return 1;
}

static void stall_untouched(void)
{
	int failed0 = failed;
	size_t len = 4 * page;
	__u8 *mem = map_untouched(len);
	struct pdt_op op;

	if (run(&op, PDT_OP_FILL, mem, len, 0, 0x5aa5c33c, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == PDT_STATUS_DONE && op.done_bytes == len,
	      "untouched: status 0x%x done %u of %zu, stalls %u", op.status,
	      op.done_bytes, len, op.stalls);
	CHECK(op.stalls >= 1, "untouched: the device never stalled");
	CHECK(holds_pattern(mem, len, 0x5aa5c33c),
	      "untouched: the device's writes are not in memory");
	if (failed == failed0)
		printf("stall untouched: the device wrote %zu bytes into pages the CPU never touched; its accesses were held, %u retries, until the kernel resolved them\n",
		       len, op.stalls);
	munmap(mem, len);
}

static void stall_dropped_file(void)
{
	int failed0 = failed;
	size_t len = 4 * page;
	int mfd = memfd_create("pdt-stall", MFD_CLOEXEC);
	struct pdt_op op;
	__u8 *mem;
	size_t i;

	if (mfd < 0 || ftruncate(mfd, len)) {
		printf("memfd: %s\n", strerror(errno));
		failed++;
		return;
	}
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (mem == MAP_FAILED) {
		printf("mmap memfd: %s\n", strerror(errno));
		failed++;
		close(mfd);
		return;
	}
	for (i = 0; i < len; i++)
		mem[i] = pattern_byte(0x1e2d3c4b, i);
	/* The mapping goes; the data stays in the file */
	madvise(mem, len, MADV_DONTNEED);
	if (run(&op, PDT_OP_COMPARE, mem, len, 0, 0x1e2d3c4b, 0)) {
		failed++;
	} else {
		CHECK(op.status == PDT_STATUS_DONE && op.done_bytes == len,
		      "dropped file: status 0x%x done %u of %zu, stalls %u",
		      op.status, op.done_bytes, len, op.stalls);
		CHECK(op.stalls >= 1, "dropped file: the device never stalled");
		if (failed == failed0)
			printf("stall dropped-file: the device read the file's %zu bytes through dropped mappings; held, %u retries, until resolved\n",
			       len, op.stalls);
	}
	munmap(mem, len);
	close(mfd);
}

static void stall_fork_wp(void)
{
	int failed0 = failed;
	__u8 *mem = map(page);
	int go[2], child;
	struct pdt_op op;
	char c = 0;

	if (pipe(go)) {
		failed++;
		return;
	}
	child = fork();
	if (!child) {
		/* Hold the parent's page write-protected until it is done */
		close(go[1]);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(mem[0] == 0x5a ? 0 : 3);
	}
	close(go[0]);
	if (run(&op, PDT_OP_FILL, mem, page, 0, 0x77665544, 0)) {
		failed++;
	} else {
		CHECK(op.status == PDT_STATUS_DONE && op.done_bytes == page,
		      "fork-wp: status 0x%x done %u, stalls %u", op.status,
		      op.done_bytes, op.stalls);
		CHECK(op.stalls >= 1, "fork-wp: the device never stalled");
		CHECK(holds_pattern(mem, page, 0x77665544),
		      "fork-wp: the device's write is not in the parent's page");
		if (failed == failed0)
			printf("stall fork-wp: the device wrote the parent's write-protected page once the kernel had copied it; held, %u retries\n",
			       op.stalls);
	}
	if (write(go[1], &c, 1) != 1)
		perror("pipe");
	close(go[1]);
	if (child > 0) {
		int st = 0;

		waitpid(child, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "fork-wp: the child's copy changed (status 0x%x)", st);
	}
	munmap(mem, page);
}

static void stall_read_only(void)
{
	int failed0 = failed;
	__u8 *mem = map(page);
	struct pdt_op op;

	mprotect(mem, page, PROT_READ);
	if (run(&op, PDT_OP_FILL, mem, page, 0, 0x11223344, 0)) {
		failed++;
		return;
	}
	CHECK(op.status == (PDT_STATUS_DONE | PDT_STATUS_FAULT) &&
	      op.done_bytes == 0,
	      "read-only: status 0x%x done %u, stalls %u", op.status,
	      op.done_bytes, op.stalls);
	CHECK(op.stalls >= 1, "read-only: the device never stalled");
	CHECK(mem[0] == 0x5a, "read-only: the page changed");
	if (failed == failed0)
		printf("stall read-only: the device's write was held (retried %u times), the kernel could not resolve it, and it aborted\n",
		       op.stalls);
	munmap(mem, page);
}

static void stall_checks(int no_stall)
{
	if (no_stall) {
		if (ioctl(fd, PDT_IOC_CD_NO_STALL)) {
			printf("PDT_IOC_CD_NO_STALL: %s\n", strerror(errno));
			failed++;
			return;
		}
		printf("mutation: CD.S cleared in the bind's CD\n");
	}
	stall_untouched();
	stall_dropped_file();
	stall_fork_wp();
	stall_read_only();
}

/*
 * -D STOPFILE: DMA API round trips through the function's own DMA domain
 * (PDT_IOC_DMA_CHECK), 32 at a time, until STOPFILE exists; the moves-
 * under-ATS test moves that domain's ASID meanwhile. Every round must show
 * the device the page the CPU filled for it.
 */
static void dma_check_until(const char *stop)
{
	unsigned int rounds = 0, bad = 0, first = 0, status = 0, reused = 0;
	struct pdt_info before = {}, after = {};
	struct pdt_dma_check dc;
	int err = 0;

	ioctl(fd, PDT_IOC_INFO, &before);
	while (access(stop, F_OK)) {
		dc = (struct pdt_dma_check){ .rounds = 32 };
		if (ioctl(fd, PDT_IOC_DMA_CHECK, &dc)) {
			err = errno;
			break;
		}
		if (dc.bad && !bad) {
			first = rounds + dc.first_bad;
			status = dc.status;
		}
		rounds += dc.rounds;
		bad += dc.bad;
		reused += dc.reused;
	}
	CHECK(!err, "PDT_IOC_DMA_CHECK: %s", strerror(err));
	CHECK(rounds, "no round ran");
	CHECK(!bad, "%u of %u rounds: the device did not see the page mapped for it (first: round %u, status 0x%x)",
	      bad, rounds, first, status);
	printf("dma-check: %u rounds through the DMA domain, %u bad; %u on the IOVA the round before unmapped\n",
	       rounds, bad, reused);
	if (!ioctl(fd, PDT_IOC_INFO, &after) && after.ats)
		printf("dma-check: meanwhile the ATC translated %u accesses, sent %u translation requests, had %u entries invalidated\n",
		       after.atc_hits - before.atc_hits,
		       after.atc_misses - before.atc_misses,
		       after.atc_invals - before.atc_invals);
}

static void demo_change(const char *enable)
{
	char *mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct pdt_op op;
	int i;

	if (mem == MAP_FAILED) {
		CHECK(0, "mmap: %s", strerror(errno));
		return;
	}
	memset(mem, 0x5a, 2 * page);
	for (i = 0; i < 2; i++) {
		if (run(&op, PDT_OP_COMPARE, mem + i * page, page, 0,
			0x5a5a5a5a, 0))
			return;
		printf("demo: the device read page %d at %p: %s\n", i,
		       mem + i * page, seen(&op));
		CHECK(op.status == PDT_STATUS_DONE, "page %d before: status 0x%x",
		      i, op.status);
	}
	CHECK(!write_file(enable, "1"), "%s: %s", enable, strerror(errno));
	CHECK(!munmap(mem, page), "munmap: %s", strerror(errno));
	CHECK(!mprotect(mem + page, page, PROT_NONE), "mprotect: %s",
	      strerror(errno));
	CHECK(!write_file(enable, "0"), "%s: %s", enable, strerror(errno));
	printf("demo: the CPU unmapped page 0 and made page 1 PROT_NONE\n");
	for (i = 0; i < 2; i++) {
		if (run(&op, PDT_OP_COMPARE, mem + i * page, page, 0,
			0x5a5a5a5a, 0))
			return;
		printf("demo: the device read page %d again: %s\n", i,
		       seen(&op));
		CHECK(op.status & PDT_STATUS_FAULT,
		      "page %d after the change: status 0x%x", i, op.status);
	}
	munmap(mem + page, page);
}

static void read_only_control(void)
{
	__u8 *mem = map(2 * page);
	struct pdt_op op;

	if (warm(mem, 2 * page, 0x5a5a5a5a))
		return;
	if (!mprotect(mem, page, PROT_NONE) &&
	    !run(&op, PDT_OP_COMPARE, mem, page, 0, 0x5a5a5a5a, 0)) {
		CHECK(op.status & PDT_STATUS_FAULT,
		      "control: after mprotect(PROT_NONE) the device still read the page (status 0x%x)",
		      op.status);
		printf("control mprotect-none: device %s\n", seen(&op));
	}
	if (!munmap(mem + page, page) &&
	    !run(&op, PDT_OP_COMPARE, mem + page, page, 0, 0x5a5a5a5a, 0)) {
		CHECK(op.status & PDT_STATUS_FAULT,
		      "control: after munmap the device still read the address (status 0x%x)",
		      op.status);
		printf("control munmap: device %s\n", seen(&op));
	}
	munmap(mem, page);
}

/*
 * Review R1 (with smmu_btm_race.ko): a second thread keeps the notifier
 * running while the next reader is held (ARMFILE), then the process
 * unbinds (closes the device) and the device is removed (REMOVEFILE),
 * which lets the driver disable SVA and free the DMA domain. The module
 * gives the verdict; this only makes the race.
 */
static int race_detach(const char *armfile, const char *removefile)
{
	pthread_t t;
	char *buf;

	/*
	 * The unbind and removal on CPU 1, away from the held reader: a
	 * sleep whose timer sat on the held CPU would end only after the
	 * hold, and the race would not be made.
	 */
	if (pin_to(1)) {
		CHECK(0, "race: cannot run on CPU 1: %s", strerror(errno));
		return 1;
	}
	buf = mmap(NULL, page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || pthread_create(&t, NULL, race_flusher, buf)) {
		printf("race: no flusher thread\n");
		return 1;
	}
	usleep(100000);
	CHECK(!write_file(armfile, "1"), "arming %s: %s", armfile,
	      strerror(errno));
	usleep(100000);
	close(fd);
	fd = -1;
	CHECK(!write_file(removefile, "1"), "removing through %s: %s",
	      removefile, strerror(errno));
	atomic_store(&race_stop, 1);
	pthread_join(t, NULL);
	printf("race: unbound and removed while a reader was held\n");
	return 0;
}

/*
 * -H NAME: one hunt alone, for the table of hunts by board (a hunt is to
 * fail on the broken board it targets; tests/guest/pasid.sh). The random
 * hunt then reads only: on a board that keeps stale entries, a device
 * write through one could land in a freed page.
 */
static const struct {
	const char *name;
	void (*fn)(void);
} hunts[] = {
	{ "mprotect-none", hunt_mprotect_none },
	{ "mprotect-ro", hunt_mprotect_ro },
	{ "dontneed", hunt_dontneed },
	{ "cow", hunt_cow },
	{ "cow-reuse", hunt_cow_reuse },
	{ "fork-wp", hunt_fork_wp },
	{ "mremap", hunt_mremap },
	{ "thp-split", hunt_thp_split },
	{ "thp-collapse", hunt_thp_collapse },
	{ "move-pages", hunt_move_pages },
};

static int one_hunt(const char *name, unsigned int seed, int steps)
{
	size_t i;

	if (!strcmp(name, "random")) {
		random_writes = 0;
		hunt_random(seed ? seed : 1, steps);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(hunts); i++) {
		if (!strcmp(name, hunts[i].name)) {
			hunts[i].fn();
			return 0;
		}
	}
	printf("no hunt named %s\n", name);
	return -1;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/pasid-dma-test0", *move = NULL, *cdfile = NULL;
	const char *dev2 = NULL, *wait = NULL, *arm = NULL, *remove = NULL;
	const char *hunt = NULL, *dma_stop = NULL, *demo = NULL;
	int btm = 0, keep_ptm = 0, disable = 0, steps = 2000, loops = 0, c;
	int only_control = 0, stall = 0, no_stall = 0, bcheck = 0;
	unsigned int seed = 0;
	struct pdt_info info;

	while ((c = getopt(argc, argv, "2:A:Bbc:D:d:e:H:kl:m:nR:r:Ss:w:xZ")) != -1) {
		switch (c) {
		case 'e':
			demo = optarg;
			break;
		case 'B':
			bcheck = 1;
			break;
		case '2':
			dev2 = optarg;
			break;
		case 'w':
			wait = optarg;
			break;
		case 'H':
			hunt = optarg;
			break;
		case 'A':
			arm = optarg;
			break;
		case 'R':
			remove = optarg;
			break;
		case 'c':
			cdfile = optarg;
			break;
		case 'b':
			btm = 1;
			break;
		case 'd':
			dev = optarg;
			break;
		case 'D':
			dma_stop = optarg;
			break;
		case 'k':
			only_control = 1;
			break;
		case 'S':
			stall = 1;
			break;
		case 'Z':
			no_stall = 1;
			break;
		case 'n':
			keep_ptm = 1;
			break;
		case 'x':
			disable = 1;
			break;
		case 'r':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 's':
			steps = atoi(optarg);
			break;
		case 'l':
			loops = atoi(optarg);
			break;
		case 'm':
			move = optarg;
			break;
		default:
			fprintf(stderr,
				"usage: %s [-e ENABLEFILE | -B | -b [-n] | -c CDFILE | -k | -S [-Z] | -H HUNT [-r SEED -s N] | -2 DEV2 [-w WAITFILE] | -A ARMFILE -R REMOVEFILE | -l N [-m MOVEFILE] | -D STOPFILE | [-x] [-r SEED [-s N]]] [-d DEV]\n",
				argv[0]);
			return 2;
		}
	}
	/* Each line out at once: what a crash leaves is still shown */
	setvbuf(stdout, NULL, _IOLBF, 0);
	page = sysconf(_SC_PAGESIZE);
	if (loops)
		return bind_loop(dev, loops, move);
	fd = open(dev, O_RDWR);
	if (fd < 0) {
		printf("open %s (SVA bind): %s\n", dev, strerror(errno));
		printf("0 passed, 1 failed\n");
		return 1;
	}
	if (ioctl(fd, PDT_IOC_INFO, &info)) {
		perror("PDT_IOC_INFO");
		return 1;
	}
	printf("bound: pid %d PASID %u ASID %u page %ld", getpid(),
	       info.pasid, info.asid, page);
	if (info.domain_pgsizes != PDT_PGSIZES_UNKNOWN)
		printf(" domain-pgsizes 0x%x", info.domain_pgsizes);
	printf("\n");

	if (demo) {
		demo_change(demo);
	} else if (bcheck) {
		/* smmu_btm's broadcast check, this device observing */
		if (ioctl(fd, PDT_IOC_BCHECK)) {
			printf("FAIL bcheck: PDT_IOC_BCHECK: %s\n", strerror(errno));
			failed++;
		} else {
			printf("bcheck: ran (the result is in smmu_btm's status)\n");
			passed++;
		}
	} else if (hunt) {
		if (one_hunt(hunt, seed, steps))
			failed++;
	} else if (dma_stop) {
		dma_check_until(dma_stop);
	} else if (arm && remove) {
		race_detach(arm, remove);
	} else if (btm) {
		btm_check(keep_ptm);
	} else if (cdfile) {
		cd_check(cdfile);
	} else if (only_control) {
		read_only_control();
	} else if (stall) {
		stall_checks(no_stall);
	} else if (dev2) {
		if (two_devices(dev, dev2, wait))
			failed++;
	} else {
		test_read();
		test_write();
		test_fill_compare();
		test_munmap_fault();
		test_no_pasid();
		hunt_mprotect_none();
		hunt_mprotect_ro();
		hunt_dontneed();
		hunt_cow();
		hunt_cow_reuse();
		hunt_fork_wp();
		hunt_mremap();
		hunt_thp_split();
		hunt_thp_collapse();
		hunt_move_pages();
		hunt_exit(dev);
		if (!seed)
			seed = getpid() ^ (unsigned int)time(NULL);
		hunt_random(seed, steps);
		if (disable)
			test_disable_refused();
	}
	/* Through the device's ATC: what it translated, asked, dropped */
	if (fd >= 0 && !ioctl(fd, PDT_IOC_INFO, &info) && info.ats)
		printf("atc: ATS on; the ATC translated %u accesses, sent %u translation requests, had %u entries invalidated\n",
		       info.atc_hits, info.atc_misses, info.atc_invals);
	if (fd >= 0)
		close(fd);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
