/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in for <linux/string.h>: the C library's memcpy() and strlen(). */
#ifndef UNIT_LINUX_STRING_H
#define UNIT_LINUX_STRING_H

#include <string.h>

#endif
