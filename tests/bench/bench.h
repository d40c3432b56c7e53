/* SPDX-License-Identifier: GPL-2.0 */
/* What the host benchmarks share: a clock, and the median of RUNS runs. */
#ifndef SMMU_BTM_BENCH_H
#define SMMU_BTM_BENCH_H

#include <stdlib.h>
#include <time.h>

#define RUNS	7

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of RUNS figures; @v is sorted on return. */
static inline double median(double *v)
{
	qsort(v, RUNS, sizeof(*v), cmp_double);
	return v[RUNS / 2];
}

#endif /* SMMU_BTM_BENCH_H */
