/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-in for <linux/types.h>, so the module's pure-logic files build
 * unchanged in the unit tests (as tools/include does for the kernel's own
 * user-space harnesses).
 */
#ifndef UNIT_LINUX_TYPES_H
#define UNIT_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#endif
