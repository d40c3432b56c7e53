/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-in for <linux/errno.h>. The kernel's E* values are its uapi
 * ones, which the host's own <linux/errno.h> (the uapi copy that glibc's
 * <errno.h> itself includes) provides. Including <errno.h> here instead
 * would find this file again through glibc and define nothing.
 */
#ifndef UNIT_LINUX_ERRNO_H
#define UNIT_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif
