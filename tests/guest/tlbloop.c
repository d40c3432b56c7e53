// SPDX-License-Identifier: GPL-2.0
/*
 * tlbloop MODE ITERATIONS [PAGES [exit|cow]]: the guest's munmap and
 * mprotect loop. With "exit", the process ends with its SVA domain still
 * bound, so that the mm goes away first, as when a bound process is killed.
 * With "cow", each iteration instead writes PAGES pages, forks a child that
 * exits at once, and writes them again once it is gone: the second write
 * reuses the pages in place (wp_page_reuse), which 7.x flushes from the
 * CPU's own TLB only (TLBF_NOBROADCAST) before it calls the notifier.
 *
 * MODE none: no SVA domain. bare: only an mmu_notifier that does nothing
 * (the floor of any binding). dev: the process bound to the PASID test
 * device (/dev/pasid-dma-test0, a real iommu_sva_bind_device()), on
 * whichever path is loaded; no counts. stock or btm: the test module
 * (tests/kmod/shim_test.c) gives this process's mm an SVA domain of the
 * provider through its debugfs file, with the SMMU marked BTM-active for
 * btm. Each iteration maps PAGES pages, writes them, makes them read-only,
 * writable again, and unmaps them: three TLB invalidations of the range.
 * Prints one line: the loop's CPU time (user and system, so the notifier's
 * cost is in it) and what the SVA domain's invalidations sent meanwhile.
 * With TLBLOOP_MARK=FILE in the environment, a line goes to FILE (the
 * console) right before the loop and right after it, for the host to
 * time the loop by its own clock (make bench under -icount).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SVA_FILE	"/sys/kernel/debug/smmu_btm_ktest/sva"
#define DEV_FILE	"/dev/pasid-dma-test0"

struct counts {
	unsigned long long seen, tlbi, atc, sync, avoided, cmdq, local,
			   local_cmds;
};

static int read_counts(int fd, struct counts *c)
{
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return sscanf(buf, "seen %llu tlbi %llu atc %llu sync %llu avoided %llu cmdq %llu local %llu local_cmds %llu",
		      &c->seen, &c->tlbi, &c->atc, &c->sync, &c->avoided,
		      &c->cmdq, &c->local, &c->local_cmds) == 8 ? 0 : -1;
}

static void mark(const char *mark_file, const char *what)
{
	FILE *f;

	if (!mark_file)
		return;
	f = fopen(mark_file, "w");
	if (f) {
		fprintf(f, "SMMUBTM-PHASE %s\n", what);
		fclose(f);
	}
}

static long long ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *mark_file = getenv("TLBLOOP_MARK");
	struct counts before = { 0 }, after = { 0 };
	long long cpu, wall;
	size_t len, page = sysconf(_SC_PAGESIZE);
	int iters, pages, fd = -1, i, cow, status;
	char *p;
	pid_t pid;

	if (argc < 3 || (strcmp(argv[1], "none") && strcmp(argv[1], "stock") &&
			 strcmp(argv[1], "btm") && strcmp(argv[1], "bare") &&
			 strcmp(argv[1], "dev"))) {
		fprintf(stderr, "usage: tlbloop none|bare|dev|stock|btm ITERATIONS [PAGES [exit|cow]]\n");
		return 2;
	}
	iters = atoi(argv[2]);
	pages = argc > 3 ? atoi(argv[3]) : 16;
	len = pages * page;
	cow = argc > 4 && !strcmp(argv[4], "cow");
	if (!strcmp(argv[1], "dev")) {
		/* Bound while the file is open; closed at exit. */
		if (open(DEV_FILE, O_RDWR) < 0) {
			printf("TLBLOOP mode=dev error=%d (%s)\n", errno,
			       strerror(errno));
			return 1;
		}
	} else if (strcmp(argv[1], "none")) {
		fd = open(SVA_FILE, O_RDWR);
		if (fd < 0 || write(fd, argv[1], strlen(argv[1])) < 0) {
			printf("TLBLOOP mode=%s error=%d (%s)\n", argv[1], errno,
			       strerror(errno));
			return 1;
		}
		if (read_counts(fd, &before)) {
			printf("TLBLOOP mode=%s error=counts\n", argv[1]);
			return 1;
		}
	}
	mark(mark_file, "begin");
	cpu = ns(CLOCK_PROCESS_CPUTIME_ID);
	wall = ns(CLOCK_MONOTONIC);
	for (i = 0; cow && i < iters; i++) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		memset(p, i, len);
		pid = fork();
		if (pid < 0)
			return 1;
		if (!pid)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			return 1;
		/* The pages are this mm's alone again: reused, not copied. */
		memset(p, i + 1, len);
		munmap(p, len);
	}
	for (i = 0; !cow && i < iters; i++) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		memset(p, i, len);
		if (mprotect(p, len, PROT_READ) ||
		    mprotect(p, len, PROT_READ | PROT_WRITE))
			return 1;
		p[len - 1] = 0;
		munmap(p, len);
	}
	cpu = ns(CLOCK_PROCESS_CPUTIME_ID) - cpu;
	wall = ns(CLOCK_MONOTONIC) - wall;
	mark(mark_file, "end");
	if (fd >= 0 && read_counts(fd, &after)) {
		printf("TLBLOOP mode=%s error=counts\n", argv[1]);
		return 1;
	}
	printf("TLBLOOP mode=%s loop=%s iters=%d pages=%d cpu_ns=%lld wall_ns=%lld seen=%llu tlbi=%llu atc=%llu sync=%llu avoided=%llu cmdq=%llu local=%llu local_cmds=%llu\n",
	       argv[1], cow ? "cow" : "map", iters, pages, cpu, wall,
	       after.seen - before.seen,
	       after.tlbi - before.tlbi, after.atc - before.atc,
	       after.sync - before.sync, after.avoided - before.avoided,
	       after.cmdq - before.cmdq, after.local - before.local,
	       after.local_cmds - before.local_cmds);
	if (fd >= 0 && !(argc > 4 && !strcmp(argv[4], "exit")))
		close(fd);
	return 0;
}
