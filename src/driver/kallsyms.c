// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms for a module: kallsyms_lookup_name() is not exported since v5.7,
 * but a kprobe registered on it by name reports its address. Both it and
 * kallsyms_on_each_symbol() are then called through pointers, at load only,
 * to resolve the table in binding.c: upstream un-exported them to keep
 * modules off non-exported symbols, and reaching the driver's private
 * functions is exactly what this module must do, with every address
 * validated before use. Needs CONFIG_KPROBES (dkms.conf requires it).
 *
 * Design: doc/binding.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/security.h>

#include "binding.h"
#include "compat.h"

static unsigned long (*lookup_name)(const char *name);
static int (*on_each_symbol)(int (*fn)(BTM_KSYM_CB_PARAMS),
			     void *data);

/**
 * btm_kallsyms_init() - find kallsyms_lookup_name and kallsyms_on_each_symbol
 *
 * Return: 0, -EPERM when the kernel's lockdown forbids kprobes, or -ENOENT
 * when kprobes cannot reach them otherwise.
 */
int btm_kallsyms_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int ret;

	ret = register_kprobe(&kp);
	if (ret && security_locked_down(LOCKDOWN_KPROBES)) {
		pr_err("refused: the kernel is locked down against kprobes (lockdown=confidentiality), and smmu-btm finds the driver's symbols through one\n");
		return -EPERM;
	}
	if (ret) {
		pr_err("cannot reach kallsyms_lookup_name through a kprobe (%d)\n",
		       ret);
		return -ENOENT;
	}
	lookup_name = (unsigned long (*)(const char *))kp.addr;
	unregister_kprobe(&kp);

	on_each_symbol = (void *)lookup_name("kallsyms_on_each_symbol");
	if (!on_each_symbol) {
		pr_err("kallsyms_on_each_symbol not found\n");
		return -ENOENT;
	}
	return 0;
}

/**
 * btm_kallsyms_lookup() - address of a kernel symbol
 * @name: the symbol, or "module:symbol"
 *
 * Return: its address, or 0.
 */
unsigned long btm_kallsyms_lookup(const char *name)
{
	return lookup_name(name);
}

struct each_ctx {
	int (*fn)(void *data, const char *name, unsigned long addr);
	void *data;
};

static int each_cb(BTM_KSYM_CB_PARAMS)
{
	struct each_ctx *ctx = data;

	return ctx->fn(ctx->data, name, addr);
}

/**
 * btm_kallsyms_for_each() - call @fn for every symbol of the kernel image
 * @fn: called with @data, the name and the address; non-zero stops the walk
 * @data: passed to @fn
 *
 * Return: what @fn returned last.
 */
int btm_kallsyms_for_each(int (*fn)(void *data, const char *name,
				    unsigned long addr), void *data)
{
	struct each_ctx ctx = { .fn = fn, .data = data };

	return on_each_symbol(each_cb, &ctx);
}
