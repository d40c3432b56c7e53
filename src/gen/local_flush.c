// SPDX-License-Identifier: GPL-2.0
/*
 * 7.x: which notifier calls follow a flush of the CPU's own TLB only.
 *
 * 7.x makes a PTE more permissive (a write to a page reused in place, an
 * access or dirty flag set by software) with a TLBI of the calling CPU's
 * TLB alone (TLBF_NOBROADCAST), then calls the secondary-TLB notifier like
 * any other flush: no SMMU snoops that TLBI. The functions that do so are
 * __ptep_set_access_flags_anysz (every page size: PTEs, PMDs, hugetlb
 * pages that are not contiguous) and contpte_ptep_set_access_flags (a
 * contiguous range). A kretprobe on each counts, per CPU, the calls under
 * way; the notifier reads the count of its own CPU.
 *
 * Both run under the page table lock of the PTE they change, so the
 * calling task stays on its CPU (preemption disabled, or migration with
 * PREEMPT_RT) from the kretprobe's entry to its notifier call; the count
 * is kept per CPU rather than as a flag, so that with PREEMPT_RT a task
 * that leaves one of them cannot clear the mark of a task preempted in
 * another. The return handler undoes the entry's count on the CPU that
 * counted it. A count left over by a call that was under way when the
 * probes were removed makes later calls on that CPU send TLBIs (the counts
 * are cleared before the probes are placed again); a call the probes
 * missed (no free instance) makes every call send them, until they are
 * placed again. Neither can make the shim send less than it must.
 *
 * The probes exist while a provider is installed (providers_get() to
 * providers_put()); they are removed before the module can go, and the
 * counts are the module's own memory, which nothing in the kernel points
 * to after that.
 *
 * Where the kernel has no such flush (conftest: no TLBF_NOBROADCAST),
 * nothing is placed and every call follows a broadcast.
 *
 * Design: doc/invalidation-shim.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/kprobes.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/smp.h>

#include "compat.h"
#include "driver_gen.h"
#include "shim_route.h"

#ifdef HAVE_TLBF_NOBROADCAST
#define KERNEL_LOCAL	true
#else
#define KERNEL_LOCAL	false
#endif

static DEFINE_PER_CPU(atomic_t, local_depth);

/* What a call's entry counted, for its return. */
struct local_mark {
	int cpu;
};

static int local_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct local_mark *m = (struct local_mark *)ri->data;

	/* Kprobe handlers run with preemption disabled. */
	m->cpu = smp_processor_id();
	atomic_inc(per_cpu_ptr(&local_depth, m->cpu));
	return 0;
}

static int local_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct local_mark *m = (struct local_mark *)ri->data;

	atomic_dec(per_cpu_ptr(&local_depth, m->cpu));
	return 0;
}

static struct kretprobe probes[] = {
	{ .kp.symbol_name = "__ptep_set_access_flags_anysz" },
	{ .kp.symbol_name = "contpte_ptep_set_access_flags" },
};

/* Which of @probes the kernel must have, and which are registered. */
static bool required(unsigned int i)
{
	return i == 0 || IS_ENABLED(CONFIG_ARM64_CONTPTE);
}

static bool registered[ARRAY_SIZE(probes)];
static DEFINE_MUTEX(users_lock);
static unsigned int users;
/* Every required probe is registered (read by the notifier). */
static bool placed;

static void remove_probes(void)
{
	unsigned int i;

	WRITE_ONCE(placed, false);
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		if (registered[i]) {
			unregister_kretprobe(&probes[i]);
			registered[i] = false;
		}
}

/**
 * btm_local_flush_get() - place the markers (one more user)
 *
 * A required probe that cannot be placed leaves every notifier call
 * unknown (sent as the stock driver sends it); it is logged, not fatal.
 *
 * Context: process.
 * Return: 0.
 */
int btm_local_flush_get(void)
{
	unsigned int i, ok = 0;
	int cpu, ret;

	if (!KERNEL_LOCAL)
		return 0;
	mutex_lock(&users_lock);
	if (users++) {
		mutex_unlock(&users_lock);
		return 0;
	}
	for_each_possible_cpu(cpu)
		atomic_set(per_cpu_ptr(&local_depth, cpu), 0);
	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		probes[i].entry_handler = local_entry;
		probes[i].handler = local_return;
		probes[i].data_size = sizeof(struct local_mark);
		/* At most two per CPU at once (contpte's holds the other). */
		probes[i].maxactive = max(64U, 4 * num_possible_cpus());
		probes[i].nmissed = 0;
		probes[i].kp.nmissed = 0;
		probes[i].kp.addr = NULL;
		probes[i].kp.flags = 0;
		ret = register_kretprobe(&probes[i]);
		registered[i] = !ret;
		if (!ret || !required(i))
			ok++;
		else
			pr_warn("no marker on %s (%d): every SVA invalidation sends TLBIs\n",
				probes[i].kp.symbol_name, ret);
	}
	WRITE_ONCE(placed, ok == ARRAY_SIZE(probes));
	mutex_unlock(&users_lock);
	return 0;
}

/**
 * btm_local_flush_put() - one user fewer; the last removes the markers
 *
 * Context: process.
 */
void btm_local_flush_put(void)
{
	if (!KERNEL_LOCAL)
		return;
	mutex_lock(&users_lock);
	if (!WARN_ON(!users) && !--users)
		remove_probes();
	mutex_unlock(&users_lock);
}

/**
 * btm_local_flush_now() - how the CPU flushed before this notifier call
 *
 * Context: the notifier's callback. A call that follows a local-only
 * flush runs on the CPU that flushed (see above); any other caller may
 * read another CPU's count, which can only make it send more.
 * Return: see shim_cpu_flush().
 */
enum shim_cpu_flush btm_local_flush_now(void)
{
	bool missed = false;
	unsigned int i;

	if (!KERNEL_LOCAL)
		return SHIM_FLUSH_BROADCAST;
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		if (READ_ONCE(registered[i]) &&
		    (READ_ONCE(probes[i].nmissed) ||
		     READ_ONCE(probes[i].kp.nmissed)))
			missed = true;
	return shim_cpu_flush(KERNEL_LOCAL, READ_ONCE(placed), missed,
			      atomic_read(raw_cpu_ptr(&local_depth)));
}
