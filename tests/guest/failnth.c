// SPDX-License-Identifier: GPL-2.0
/*
 * failnth N MODULE [PARAMS]: load MODULE with the Nth fault-injection
 * point this task reaches made to fail (/proc/self/fail-nth: every
 * failslab allocation and fail_function site, in order), and say whether
 * the fault was injected: "ret=R errno=E left=L", where L is 0 when it was
 * and the count still to go when the load needed fewer than N points.
 * The guest's fault-injection test walks N = 1, 2, ... until L is not 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char left[32] = "";
	int fd, nth, ret, err;
	ssize_t n;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s N MODULE [PARAMS]\n", argv[0]);
		return 2;
	}
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	nth = open("/proc/self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fd < 0 || nth < 0) {
		perror(fd < 0 ? argv[2] : "/proc/self/fail-nth");
		return 2;
	}
	if (write(nth, argv[1], strlen(argv[1])) < 0) {
		perror("fail-nth");
		return 2;
	}
	ret = syscall(SYS_finit_module, fd, argc > 3 ? argv[3] : "", 0);
	err = ret ? errno : 0;
	n = pread(nth, left, sizeof(left) - 1, 0);
	if (n <= 0)
		left[0] = '?';
	left[strcspn(left, "\n")] = '\0';
	/* Disarm, or the output's own allocations could take the fault. */
	if (write(nth, "0", 1) < 0)
		perror("fail-nth");
	printf("ret=%d errno=%d left=%s\n", ret, err, left);
	return 0;
}
