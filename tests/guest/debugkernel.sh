# SPDX-License-Identifier: GPL-2.0
# Guest tests for debug kernels (the 6.12-64k kit): fault injection into
# smmu_btm's load, and a kmemleak scan after load/unload cycles and SVA
# domain allocations. Each runs only where the kernel has the facility.

# Load smmu_btm (provider and move hooks installed: test_btm_active=1)
# with the Nth fault-injection point of the loading task failed, for
# N = 1, 2, ... until a load needs fewer than N (failnth's "left" not 0):
# every allocation (failslab) and fail_function site on the path, the
# kernel's module loader's included. The full run takes every point, the
# default one every 25th (about 24 of some 580 points on the 64K kit,
# 3 s each under KASAN). A failed load must leave no module, no kprobe,
# and at most one smmu_btm error line; a load that absorbed the fault
# must unload. Then a normal load must work (a patched ops table or a
# reserved ASID left behind would make it refuse).
# Walk the load path's points from 1 by $stride; returns 1 at the first
# point that left something behind (fail() says which).
inject_walk() {
	n=1 points=0 failed_loads=0 absorbed=0
	while [ "$n" -le 5000 ]; do
		before=$(dmesg | grep -c 'smmu_btm: ')
		out=$(failnth "$n" /smmu_btm.ko test_btm_active=1)
		left=${out##*left=}
		if [ "$left" != 0 ]; then
			case "$out" in ret=0*) rmmod smmu_btm ;; esac
			return 0
		fi
		points=$((points + 1))
		case "$out" in
		ret=0*)
			absorbed=$((absorbed + 1))
			rmmod smmu_btm || { fail "point $n: absorbed, then no unload"; return 1; }
			;;
		*)
			failed_loads=$((failed_loads + 1))
			[ ! -e /sys/module/smmu_btm ] || { fail "point $n: failed load left the module"; return 1; }
			errs=$(dmesg | grep 'smmu_btm: ' | tail -n +$((before + 1)) | grep -vc 'tainting\|test_btm_active')
			[ "$errs" -le 1 ] || { fail "point $n: $errs lines: $(dmesg | grep 'smmu_btm: ' | tail -n "$errs" | tr '\n' '|')"; return 1; }
			;;
		esac
		[ -z "$(move_probes)" ] || { fail "point $n: kprobes left: $(move_probes)"; return 1; }
		n=$((n + stride))
	done
	fail "more than 5000 points on the load path"
	return 1
}

t_fault_inject_load() {
	[ -w /proc/self/fail-nth ] || { echo "no /proc/self/fail-nth: skipped"; return 0; }
	stride=25
	[ "${ARG_full:-0}" = 1 ] && stride=1
	# Sleeping allocations too (failslab skips them by default), and no
	# stack dump per injected fault; both put back however the walk ends.
	fs=/sys/kernel/debug/failslab
	echo N >"$fs/ignore-gfp-wait"
	echo 0 >"$fs/verbose"
	echo 0 >/sys/kernel/debug/fail_function/verbose 2>/dev/null
	echo "SMMUBTM-EXPECT allocfail begin fault-inject-load" >/dev/kmsg
	inject_walk
	walked=$?
	echo Y >"$fs/ignore-gfp-wait"
	echo "SMMUBTM-EXPECT allocfail end fault-inject-load" >/dev/kmsg
	[ "$walked" = 0 ] || return
	show "FAULT-INJECTION load: $((n - stride)) to $((n - 1)) points on the load path, $points injected (every ${stride}th), $failed_loads loads refused, $absorbed absorbed; all clean"
	[ "$points" -gt 0 ] || fail "no fault was injected"
	insmod /smmu_btm.ko test_btm_active=1 || { fail "the normal load after the injections failed"; return; }
	[ "$(status_value smmu0.provider)" != "not installed" ] || fail "no provider after the injections"
	rmmod smmu_btm || fail "rmmod failed"
}

slab_kb() {
	sed -n 's/^Slab: *\([0-9]*\) kB/\1/p' /proc/meminfo
}

# Load/unload cycles (20; 100 in the full run) with the provider, then SVA
# domains allocated and freed through it for 10 s (the stress module),
# then two kmemleak scans: nothing may be reported. Slab before and after
# in the log (KASAN's quarantine keeps freed objects a while).
t_leak_scan() {
	km=/sys/kernel/debug/kmemleak
	[ -w "$km" ] || { echo "no kmemleak: skipped"; return 0; }
	cycles=20
	[ "${ARG_full:-0}" = 1 ] && cycles=100
	echo scan >"$km"
	echo clear >"$km"
	s0=$(slab_kb)
	for i in $(seq "$cycles"); do
		insmod /smmu_btm.ko test_btm_active=1 || { fail "load $i failed"; return; }
		rmmod smmu_btm || { fail "unload $i failed"; return; }
	done
	insmod /smmu_btm.ko test_btm_active=1 || { fail "load failed"; return; }
	insmod /smmu_btm_stress.ko threads=2 || { rmmod smmu_btm; fail "the stress module did not load"; return; }
	sleep 10
	rmmod smmu_btm_stress
	rmmod smmu_btm || fail "rmmod failed"
	line=$(dmesg | grep 'STRESS allocs=' | tail -n 1)
	echo 3 >/proc/sys/vm/drop_caches
	echo scan >"$km"
	echo scan >"$km"
	leaks=$(grep -c '^unreferenced object' "$km")
	show "LEAK-SCAN: $cycles loads and unloads, ${line#*: }; slab $s0 kB before, $(slab_kb) kB after; kmemleak: $leaks unreferenced objects"
	[ "$leaks" = 0 ] || { head -n 40 "$km"; fail "kmemleak reported $leaks objects"; }
}

run_debugkernel() {
	[ "$ARG_el" = el2 ] || return 0
	run_test fault-inject-load t_fault_inject_load
	run_test leak-scan t_leak_scan
}
