/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place kernel-generation differences are bridged. Each seam is
 * driven by a HAVE_* macro that scripts/conftest probed at build time.
 */
#ifndef SMMU_BTM_COMPAT_H
#define SMMU_BTM_COMPAT_H

#include "generated/conftest.h"

struct module;

/* The parameters of a kallsyms_on_each_symbol() callback. */
#if defined(HAVE_KALLSYMS_EACH_MODULE_ARG) == \
	defined(HAVE_KALLSYMS_EACH_NO_MODULE_ARG)
#error "kallsyms_on_each_symbol(): not exactly one known form (generated/conftest.h.log)"
#endif
#ifdef HAVE_KALLSYMS_EACH_MODULE_ARG
#define BTM_KSYM_CB_PARAMS \
	void *data, const char *name, struct module *mod, unsigned long addr
#else
#define BTM_KSYM_CB_PARAMS void *data, const char *name, unsigned long addr
#endif

#endif /* SMMU_BTM_COMPAT_H */
