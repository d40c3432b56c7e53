# SPDX-License-Identifier: GPL-2.0
# Guest tests for debug kernels (the 6.12-64k kit): fault injection into
# smmu_btm's load, a bind and a move, and a kmemleak scan after
# load/unload cycles and SVA domain allocations. Each runs only where the
# kernel has the facility.

# Fault injection into smmu_btm's load, an SVA bind through its provider,
# and an ASID move: each step runs with the Nth fault-injection point of
# its task failed (failnth), for N = 1, 2, ... until the step needs fewer
# than N (failnth's "left" not 0). The points are every allocation
# (failslab) and, for bind and move, every one of the module's own steps
# marked ALLOW_ERROR_INJECTION, registered with fail_function (they
# return -EINVAL when failed); the kernel's own points on the way (the
# module loader's, open()'s, the iommu core's) are walked too. Each
# failure must leave nothing behind, each step that absorbed the fault
# must have worked, and the step must work normally afterwards.

# inject_walk KIND ARGS...: walk "failnth N KIND ARGS" from N = 1 by
# $stride; after each point inject_check_KIND judges what it left (it
# returns 1, fail() saying why); returns 1 at the first such point.
inject_walk() {
	kind=$1
	shift
	n=1 points=0 refused=0 absorbed=0
	while [ "$n" -le 5000 ]; do
		before=$(dmesg | grep -c 'smmu_btm: ')
		out=$(failnth "$n" "$kind" "$@")
		left=${out##*left=}
		left=${left%% *}
		case "$out" in ret=0*) ok=1 ;; *) ok=0 ;; esac
		if [ "$left" != 0 ]; then
			[ "$kind" != load ] || [ "$ok" = 0 ] || rmmod smmu_btm
			return 0
		fi
		points=$((points + 1))
		if [ "$ok" = 1 ]; then
			absorbed=$((absorbed + 1))
		else
			refused=$((refused + 1))
		fi
		"inject_check_$kind" "$out" || return 1
		n=$((n + stride))
	done
	fail "more than 5000 points on the $kind path"
	return 1
}

# Load: a failed load leaves no module, no kprobe and at most one smmu_btm
# error line; a load that absorbed the fault unloads.
inject_check_load() {
	if [ "$ok" = 1 ]; then
		rmmod smmu_btm || { fail "point $n: absorbed, then no unload"; return 1; }
	else
		[ ! -e /sys/module/smmu_btm ] || { fail "point $n: failed load left the module"; return 1; }
		errs=$(dmesg | grep 'smmu_btm: ' | tail -n +$((before + 1)) | grep -vc 'tainting\|test_btm_active')
		[ "$errs" -le 1 ] || { fail "point $n: $errs lines: $(dmesg | grep 'smmu_btm: ' | tail -n "$errs" | tr '\n' '|')"; return 1; }
	fi
	[ -z "$(move_probes)" ] || { fail "point $n: kprobes left: $(move_probes)"; return 1; }
}

# Bind: a bind that absorbed the fault translates (the device filled and
# compared a page through it); bound or not, once the file is closed no
# SVA domain is live and the driver holds the ASIDs it held before.
inject_check_open() {
	case "$ok:$out" in
	1:*dma=ok | 0:*dma=none) ;;
	*) fail "point $n: $out"; return 1 ;;
	esac
	d=$(status_value smmu0.sva_domains) a=$(status_value driver.asids)
	[ "${d%% live*}" = 0 ] && [ "$a" = "$asids0" ] ||
		{ fail "point $n: sva_domains '$d', driver.asids '$a' (before: '$asids0')"; return 1; }
}

# Move: a failed move leaves the domain on one ASID of the driver's table,
# nothing moving, pinned or allocated, and the hooks covering no domain.
inject_check_write() {
	m=$(head -n 1 "$move_file")
	[ "$m" = "$move0" ] || { fail "point $n: '$m', before: '$move0'"; return 1; }
}

# fail_function: register every step of MODULE marked for error injection
# (none: return 1); "fei_clear" removes them all.
fei_register() {
	fei_n=0
	for f in $(sed -n "s/^\([a-z_0-9]*\) \[$1\].*/\1/p" /sys/kernel/debug/error_injection/list); do
		echo "$f" >/sys/kernel/debug/fail_function/inject || { fail "fail_function refused $f"; return 1; }
		fei_n=$((fei_n + 1))
	done
	[ "$fei_n" -gt 0 ] || { fail "no function of $1 is marked for error injection"; return 1; }
}

fei_clear() {
	echo >/sys/kernel/debug/fail_function/inject
}

# Sleeping allocations too (failslab skips them by default), and no stack
# dump per injected fault; both put back by inject_end.
inject_begin() {
	echo N >/sys/kernel/debug/failslab/ignore-gfp-wait
	echo 0 >/sys/kernel/debug/failslab/verbose
	echo 0 >/sys/kernel/debug/fail_function/verbose
	echo "SMMUBTM-EXPECT allocfail begin $1" >/dev/kmsg
}

inject_end() {
	fei_clear
	echo Y >/sys/kernel/debug/failslab/ignore-gfp-wait
	echo "SMMUBTM-EXPECT allocfail end $1" >/dev/kmsg
}

inject_stride() {
	stride=$1
	[ "${ARG_full:-0}" = 1 ] && stride=1
}

# The load (provider and move hooks installed: test_btm_active=1): every
# 25th point by default (about 24 of some 580 on the 64K kit, 3 s each
# under KASAN), every one in the full run.
t_fault_inject_load() {
	[ -w /proc/self/fail-nth ] || { echo "no /proc/self/fail-nth: skipped"; return 0; }
	inject_stride 25
	inject_begin fault-inject-load
	inject_walk load /smmu_btm.ko test_btm_active=1
	walked=$?
	inject_end fault-inject-load
	[ "$walked" = 0 ] || return
	if [ "$stride" = 1 ]; then
		walked="$points of $points points on the load path injected"
	else
		walked="$((n - stride)) to $((n - 1)) points on the load path, $points injected (every ${stride}th)"
	fi
	show "FAULT-INJECTION load: $walked, $refused loads refused, $absorbed absorbed; all clean"
	[ "$points" -gt 0 ] || fail "no fault was injected"
	insmod /smmu_btm.ko test_btm_active=1 || { fail "the normal load after the injections failed"; return; }
	[ "$(status_value smmu0.provider)" != "not installed" ] || fail "no provider after the injections"
	rmmod smmu_btm || fail "rmmod failed"
}

# A bind of a process to the PASID test device through smmu-btm's
# provider (BTM switched on), every point. Then normal binds work, and
# the module unloads (no domain left).
# Where the kernel has fail-nth and fail_function (the 64K kit).
have_fail_function() {
	[ -w /proc/self/fail-nth ] && [ -d /sys/kernel/debug/fail_function ]
}

t_fault_inject_bind() {
	have_fail_function || { echo "no fail-nth or fail_function: skipped"; return 0; }
	[ -e /pasid_dma_test.ko ] && [ "$ARG_board" = btm ] || { echo "no PASID test device: skipped"; return 0; }
	inject_stride 1
	insmod /smmu_btm.ko ptm=clear-restore || { fail "insmod failed"; return; }
	insmod /pasid_dma_test.ko || { rmmod smmu_btm; fail "the PASID DMA test driver did not load"; return; }
	asids0=$(status_value driver.asids)
	inject_begin fault-inject-bind
	fei_register smmu_btm && inject_walk open /dev/pasid-dma-test0
	walked=$?
	inject_end fault-inject-bind
	if [ "$walked" = 0 ]; then
		show "FAULT-INJECTION bind: $((n - 1)) points on the bind path ($fei_n of smmu_btm's own steps registered), $points injected, $refused binds refused, $absorbed absorbed; all clean"
		pdt-test -l 5 >/tmp/pdt.out 2>&1 || fail "binds after the injections: $(tail -n 1 /tmp/pdt.out)"
	fi
	rmmod pasid_dma_test
	rmmod smmu_btm || fail "rmmod failed after the bind injections"
}

# One ASID move of the disk's DMA domain (the test module's file "move",
# provider installed), every point. Then the disk reads back right, and
# the test module's own checks pass on a fresh load (no ASID, pin or
# array leaked).
t_fault_inject_move() {
	have_fail_function || { echo "no fail-nth or fail_function: skipped"; return 0; }
	inject_stride 1
	insmod /smmu_btm_ktest.ko moves=1 provider_stays=1 || { fail "the test module did not load"; return; }
	move_file=/sys/kernel/debug/smmu_btm_ktest/move
	move0=$(head -n 1 "$move_file")
	inject_begin fault-inject-move
	fei_register smmu_btm_ktest && inject_walk write "$move_file" 1
	walked=$?
	inject_end fault-inject-move
	stats=$(sed -n 2p "$move_file")
	rmmod smmu_btm_ktest || { fail "the test module did not unload"; return; }
	[ "$walked" = 0 ] || return
	set -- $stats
	show "FAULT-INJECTION move: $((n - 1)) points on the move path ($fei_n of its own steps registered), $points injected, $refused moves refused, $absorbed absorbed; all clean (the domain on ASID $2; $4 moves done, $6 undone)"
	[ "$(disk_md5)" = "$ARG_md5" ] || fail "the disk reads back wrong after the injected moves"
	insmod /smmu_btm_ktest.ko moves=10 || { fail "the test module's checks failed after the injections"; return; }
	rmmod smmu_btm_ktest
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
	run_test fault-inject-bind t_fault_inject_bind
	run_test fault-inject-move t_fault_inject_move
	run_test leak-scan t_leak_scan
}
