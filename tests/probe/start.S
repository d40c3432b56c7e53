/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the scope probe, a bare-metal program that QEMU's virt board
 * starts at EL2 (virtualization=on, no EL3) with the MMU off. It needs a
 * stack and a zeroed .bss, then runs probe_main() and powers the board off
 * through PSCI (SMC, the conduit QEMU gives EL2).
 */
	.section .text.start, "ax"
	.global _start
_start:
	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	probe_main
	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF */
	smc	#0
3:	wfi
	b	3b
