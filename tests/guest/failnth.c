// SPDX-License-Identifier: GPL-2.0
/*
 * failnth: run one step of smmu-btm with the Nth fault-injection point this
 * task reaches made to fail (/proc/self/fail-nth: every failslab
 * allocation and fail_function site, in order), and say whether the fault
 * was injected.
 *
 *   failnth N load MODULE [PARAMS]   load a module (finit_module)
 *   failnth N open DEV               bind: open the PASID DMA test device,
 *                                    then (disarmed) have the device fill
 *                                    and compare a page of this process
 *   failnth N write FILE TEXT        write TEXT to FILE (one write)
 *
 * It prints "ret=R errno=E left=L", where L is 0 when the fault was
 * injected and the count still to go when the step needed fewer than N
 * points; open adds " dma=ok", " dma=bad" or " dma=none" (not bound). The
 * guest's fault-injection tests walk N = 1, 2, ... until L is not 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pasid_dma_test.h"

static int nth_fd;

static void arm(const char *n)
{
	if (write(nth_fd, n, strlen(n)) < 0) {
		perror("fail-nth");
		exit(2);
	}
}

/* Read what is left, then disarm before anything else can take it. */
static void disarm(char *left, size_t size)
{
	ssize_t n = pread(nth_fd, left, size - 1, 0);

	if (n <= 0)
		strcpy(left, "?");
	else
		left[n] = '\0';
	left[strcspn(left, "\n")] = '\0';
	if (write(nth_fd, "0", 1) < 0)
		perror("fail-nth");
}

/* The bound device fills a page of ours with a pattern and compares it. */
static const char *device_check(int fd)
{
	static uint32_t page[1024] __attribute__((aligned(4096)));
	struct pdt_op op = {
		.addr = (uintptr_t)page, .len = sizeof(page),
		.op = PDT_OP_FILL, .pattern = 0x5aa5c33c,
	};
	unsigned int i;

	memset(page, 0, sizeof(page));
	if (ioctl(fd, PDT_IOC_RUN, &op) || op.status != PDT_STATUS_DONE)
		return "bad";
	for (i = 0; i < 1024; i++)
		if (page[i] != 0x5aa5c33c)
			return "bad";
	op.op = PDT_OP_COMPARE;
	op.status = 0;
	if (ioctl(fd, PDT_IOC_RUN, &op) || op.status != PDT_STATUS_DONE)
		return "bad";
	return "ok";
}

int main(int argc, char **argv)
{
	const char *dma = NULL;
	char left[32];
	int fd = -1, ret, err;

	if (argc < 4 || (strcmp(argv[2], "load") && strcmp(argv[2], "open") &&
			 strcmp(argv[2], "write")) ||
	    (!strcmp(argv[2], "write") && argc != 5) ||
	    (!strcmp(argv[2], "open") && argc != 4) || argc > 5) {
		fprintf(stderr, "usage: %s N load MODULE [PARAMS] | N open DEV | N write FILE TEXT\n",
			argv[0]);
		return 2;
	}
	nth_fd = open("/proc/self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0) {
		perror("/proc/self/fail-nth");
		return 2;
	}
	if (strcmp(argv[2], "open")) {
		fd = open(argv[3], !strcmp(argv[2], "load") ? O_RDONLY | O_CLOEXEC :
			  O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(argv[3]);
			return 2;
		}
	}
	arm(argv[1]);
	if (!strcmp(argv[2], "load")) {
		ret = syscall(SYS_finit_module, fd, argc > 4 ? argv[4] : "", 0);
	} else if (!strcmp(argv[2], "write")) {
		ret = write(fd, argv[4], strlen(argv[4]));
		ret = ret < 0 ? ret : 0;
	} else {
		fd = open(argv[3], O_RDWR | O_CLOEXEC);
		ret = fd < 0 ? -1 : 0;
	}
	err = ret ? errno : 0;
	disarm(left, sizeof(left));
	if (!strcmp(argv[2], "open"))
		dma = fd < 0 ? "none" : device_check(fd);
	if (fd >= 0)
		close(fd);
	printf("ret=%d errno=%d left=%s%s%s\n", ret, err, left,
	       dma ? " dma=" : "", dma ? dma : "");
	return 0;
}
