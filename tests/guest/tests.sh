# SPDX-License-Identifier: GPL-2.0
# Guest tests: the module against the real built-in arm-smmu-v3 driver.
# ARG_* come from the kernel command line the harness writes.
#
# Status lines and the test module's files are split into their fields with
# set -- $(...), on purpose.
# shellcheck disable=SC2046

t_kernel() {
	[ "$(uname -r)" = "$ARG_krel" ] || fail "running $(uname -r), expected $ARG_krel"
}

t_exception_level() {
	case "$ARG_el" in
	el2) dmesg | grep -q 'CPU: All CPU(s) started at EL2' || fail "CPUs did not start at EL2" ;;
	el1) dmesg | grep -q 'CPU: All CPU(s) started at EL1' || fail "CPUs did not start at EL1" ;;
	*) fail "unknown exception level '$ARG_el'" ;;
	esac
}

t_disk_reads_back() {
	[ -b /dev/vda ] || fail "no /dev/vda"
	sum=$(disk_md5)
	[ "$sum" = "$ARG_md5" ] || fail "disk md5 $sum, host wrote $ARG_md5"
}

t_disk_behind_smmu() {
	dev=$(vda_pci_dev)
	[ -e "$dev/iommu_group" ] || fail "$dev has no iommu group"
	type=$(cat "$dev/iommu_group/type")
	case "$type" in
	DMA | DMA-FQ) ;;
	*) fail "iommu group type $type, expected DMA" ;;
	esac
	[ -e "$dev/iommu" ] || fail "$dev has no iommu link"
	case "$(basename "$(readlink -f "$dev/iommu")")" in
	smmu3.*) ;;
	*) fail "$dev is not behind an SMMUv3" ;;
	esac
}

t_load() {
	insmod /smmu_btm.ko || fail "insmod smmu_btm.ko failed"
	[ -d /sys/module/smmu_btm ] || fail "module not in /sys/module"
}

t_one_line_per_smmu() {
	n_class=$(ls -d /sys/class/iommu/smmu3.* | wc -l)
	n_log=$(dmesg | grep -c 'smmu_btm: smmu3\..*: arm-smmu-v3 ')
	[ "$n_class" -ge 1 ] || fail "no SMMUv3 in /sys/class/iommu"
	[ "$n_log" = "$n_class" ] || fail "$n_log SMMU lines logged, $n_class SMMUs in sysfs"
}

t_version() {
	v=$(cat /sys/module/smmu_btm/version)
	[ "$v" = "$ARG_version" ] || fail "module version $v, expected $ARG_version"
}

t_status_file() {
	[ -f "$status_file" ] || fail "no $status_file"
	sed 's/^/SMMUBTM-STATUS /' "$status_file"
	perm=$(stat -c '%a %u' "$status_file")
	[ "$perm" = "400 0" ] || fail "status file is '$perm' (mode, uid), expected '400 0' (root-only)"
	[ "$(status_value version)" = "$ARG_version" ] || fail "status version '$(status_value version)'"
	[ "$(status_value kernel)" = "$ARG_krel" ] || fail "status kernel '$(status_value kernel)'"
	[ "$(status_value smmus)" = "$(ls -d /sys/class/iommu/smmu3.* | wc -l)" ] ||
		fail "status smmus '$(status_value smmus)'"
	name=$(status_value smmu0.name)
	[ -e "/sys/class/iommu/$name" ] || fail "smmu0.name '$name' is not in /sys/class/iommu"
	clients=$(status_value smmu0.clients)
	[ "$clients" -ge 1 ] 2>/dev/null || fail "smmu0.clients '$clients'"
	case "$(status_value smmu0.arch)" in
	SMMUv3.[0-9]*) ;;
	*) fail "smmu0.arch '$(status_value smmu0.arch)'" ;;
	esac
	# Each SMMU's masters: a count, and the names of the first few
	for i in $(seq 0 $(($(status_value smmus) - 1))); do
		for k in stall_masters ats_masters ats_capable; do
			case "$(status_value "smmu$i.$k")" in
			0 | [1-9]*" ("*")") ;;
			*) fail "smmu$i.$k '$(status_value "smmu$i.$k")'" ;;
			esac
		done
	done
}

# The decision this board and kernel must get: QEMU's own SMMU has no BTM;
# the project's boards (tests/qemu) advertise it, and then the kernel
# decides: 6.1's driver is not supported, Debian's kernels have no
# CONFIG_IOMMU_SVA, the SVA kits can use it (at EL2, where KVM runs on a
# VHE host and the SMMU has stage 2, at KVM's cost).
expected_reason() {
	if [ "$ARG_board" = stock ]; then
		echo no-btm
	elif [ "$ARG_drvgen" = 6.1-bond ]; then
		echo driver-unsupported
	elif [ "$ARG_sva" != 1 ]; then
		echo no-sva
	elif [ "$ARG_el" = el2 ]; then
		echo usable-kvm
	else
		echo usable
	fi
}

# BTM is usable on this board and kernel.
btm_usable() {
	case "$(expected_reason)" in
	usable*) return 0 ;;
	esac
	return 1
}

# The driver's CR2 with PTM as given: E2H only on a VHE host with an SMMU
# that has HYP (the project's boards), RECINVSID always.
driver_cr2() { # PTM
	e2h=0
	[ "$ARG_board" != stock ] && [ "$ARG_el" = el2 ] && e2h=1
	printf '0x%08x (now): PTM %u, E2H %u, RECINVSID 1' $((2 + 4 * $1 + e2h)) "$1" "$e2h"
}

# Nothing switched or installed by a plain load (ptm=keep): off where BTM is
# not usable, pending where it is (PTM is still the driver's 1).
t_status_btm_state() {
	want=off
	btm_usable && want=pending
	[ "$(status_value ptm)" = keep ] || fail "ptm '$(status_value ptm)', expected keep"
	[ "$(status_value smmu0.btm_state)" = $want ] || fail "btm_state '$(status_value smmu0.btm_state)', expected $want"
	[ "$(status_value smmu0.ptm_switch)" = none ] || fail "ptm_switch '$(status_value smmu0.ptm_switch)'"
	[ "$(status_value smmu0.provider)" = "not installed" ] || fail "provider '$(status_value smmu0.provider)'"
	cr2=$(status_value smmu0.cr2)
	[ "$cr2" = "$(driver_cr2 1)" ] || fail "live cr2 '$cr2', expected '$(driver_cr2 1)'"
	# SMMUEN, EVTQEN and CMDQEN (PRIQEN may be set; ATSCHK, bit 4, is
	# where the SMMU has ATS, as the btm board's do)
	case "$(status_value smmu0.cr0)" in
	"0x0000000"[d-f]" (now)" | "0x0000001"[d-f]" (now)") ;;
	*) fail "live cr0 '$(status_value smmu0.cr0)': not enabled with its queues" ;;
	esac
}

# ptm=clear switches only where BTM is usable. There it clears PTM through
# the abort window, the SMMU is active, and unload leaves PTM 0 (the
# default, see doc/ptm-switch.md); a second load finds it so and uses it with nothing to
# switch; ptm=clear-restore sets it to 1 again at unload. The disk is read
# and checksummed before the switch and right after it, but is idle for
# the window itself, as doc/ptm-switch.md asks: DMA in the window is aborted, and
# a device may take that as fatal (QEMU's virtio-blk, whose descriptor
# fetch is aborted, marks itself broken and every later read hangs).
t_ptm_clear() {
	rm -f /tmp/stop-reader /tmp/sums /tmp/pause-reader /tmp/reader-paused
	(while [ ! -e /tmp/stop-reader ]; do
		if [ -e /tmp/pause-reader ]; then
			touch /tmp/reader-paused
			sleep 0.05
			continue
		fi
		rm -f /tmp/reader-paused
		disk_md5 >>/tmp/sums
	done) &
	while [ ! -s /tmp/sums ]; do sleep 0.1; done
	touch /tmp/pause-reader
	while [ ! -e /tmp/reader-paused ]; do sleep 0.05; done
	reads_before=$(wc -l </tmp/sums)
	insmod /smmu_btm.ko ptm=clear || fail "insmod ptm=clear failed"
	rm -f /tmp/pause-reader
	p=$(status_value ptm) s=$(status_value smmu0.btm_state) w=$(status_value smmu0.ptm_switch)
	c=$(status_value smmu0.cr2) u=$(status_value smmu0.ptm_at_unload)
	while [ "$(wc -l </tmp/sums)" -lt $((reads_before + 2)) ]; do sleep 0.1; done
	touch /tmp/pause-reader
	while [ ! -e /tmp/reader-paused ]; do sleep 0.05; done
	rmmod smmu_btm || fail "rmmod failed"
	after=$(live_cr2)
	touch /tmp/stop-reader
	wait
	reads=$(wc -l </tmp/sums)
	bad=$(grep -vc "^$ARG_md5\$" /tmp/sums)
	show "ptm=clear: $w; disk read $reads_before times before the switch and $((reads - reads_before)) after it, $bad bad"
	[ "$bad" = 0 ] || fail "$bad disk reads with a wrong checksum around the switch"
	[ "$p" = clear ] || fail "ptm '$p'"
	if ! btm_usable; then
		[ "$s" = off ] && [ "$w" = none ] || fail "btm_state '$s', ptm_switch '$w' where BTM is not usable"
		[ "$c" = "$(driver_cr2 1)" ] || fail "cr2 '$c' after ptm=clear"
		return
	fi
	[ "$s" = active ] || fail "btm_state '$s' after ptm=clear"
	case "$w" in
	"done: CR2 0x"*) ;;
	*) fail "ptm_switch '$w'" ;;
	esac
	[ "$c" = "$(driver_cr2 0)" ] || fail "cr2 '$c' with BTM switched on"
	case "$u" in
	"left 0"*) ;;
	*) fail "ptm_at_unload '$u'" ;;
	esac
	[ "$after" = "$(driver_cr2 0)" ] || fail "cr2 '$after' after unload, expected PTM left 0"
	# A second load: PTM is 0 already, nothing to switch, even with keep.
	insmod /smmu_btm.ko || fail "a second load failed"
	s=$(status_value smmu0.btm_state) w=$(status_value smmu0.ptm_switch)
	rmmod smmu_btm
	[ "$s" = active ] && [ "$w" = none ] || fail "second load: btm_state '$s', ptm_switch '$w'"
	insmod /smmu_btm.ko ptm=clear-restore || fail "insmod ptm=clear-restore failed"
	u=$(status_value smmu0.ptm_at_unload)
	rmmod smmu_btm
	case "$u" in
	"set to 1 again"*) ;;
	*) fail "ptm_at_unload '$u' with clear-restore" ;;
	esac
	after=$(live_cr2)
	[ "$after" = "$(driver_cr2 1)" ] || fail "cr2 '$after' after clear-restore, expected PTM 1"
}

# The live CR2, read through a load of the module that changes nothing.
live_cr2() {
	insmod /smmu_btm.ko enable=off || return
	status_value smmu0.cr2
	rmmod smmu_btm
}

t_refuse_bad_ptm() {
	refused_cleanly "invalid ptm=sometimes: use keep, clear or clear-restore" ptm=sometimes
}

t_status_read_only() {
	if echo x 2>/dev/null >"$status_file"; then
		fail "the status file accepted a write"
	fi
	return 0
}

t_disk_with_module() {
	sum=$(disk_md5)
	[ "$sum" = "$ARG_md5" ] || fail "disk md5 $sum with the module loaded, host wrote $ARG_md5"
}

t_unload() {
	rmmod smmu_btm || fail "rmmod failed"
	[ ! -e /sys/module/smmu_btm ] || fail "module still in /sys/module"
	[ ! -e /sys/kernel/debug/smmu_btm ] || fail "debugfs directory left behind"
	dmesg | grep -q 'smmu_btm: unloaded' || fail "no unload line in the log"
}

t_reload() {
	insmod /smmu_btm.ko || fail "second insmod failed"
	rmmod smmu_btm || fail "second rmmod failed"
}

t_disk_after_unload() {
	sum=$(disk_md5)
	[ "$sum" = "$ARG_md5" ] || fail "disk md5 $sum after unload, host wrote $ARG_md5"
}

t_status_decision() {
	want=$(expected_reason)
	btm=yes usable=no
	[ "$ARG_board" = stock ] && btm=no
	btm_usable && usable=yes
	[ "$(status_value smmu0.btm)" = $btm ] || fail "smmu0.btm '$(status_value smmu0.btm)' on the $ARG_board board"
	[ "$(status_value smmu0.btm_usable)" = $usable ] || fail "btm_usable '$(status_value smmu0.btm_usable)', expected $usable"
	[ "$(status_value smmu0.reason)" = "$want" ] ||
		fail "reason '$(status_value smmu0.reason)', expected $want"
	[ "$want" != no-btm ] || status_value smmu0.reason_text | grep -q 'SMMU_IDR0.BTM is 0' ||
		fail "reason_text '$(status_value smmu0.reason_text)'"
}

t_status_cpu() {
	want=EL1
	[ "$ARG_el" = el2 ] && want="EL2 (VHE)"
	[ "$(status_value cpu.el)" = "$want" ] || fail "cpu.el '$(status_value cpu.el)', expected '$want'"
	case "$(status_value cpu.asid_bits)" in
	8 | 16) ;;
	*) fail "cpu.asid_bits '$(status_value cpu.asid_bits)'" ;;
	esac
}

t_status_binding() {
	[ "$(status_value binding.driver)" = "$ARG_drvgen" ] ||
		fail "binding.driver '$(status_value binding.driver)', expected '$ARG_drvgen'"
	[ "$(status_value binding.btf)" = verified ] || fail "binding.btf '$(status_value binding.btf)'"
	[ "$(status_value binding.layout)" = checked ] || fail "binding.layout '$(status_value binding.layout)'"
	syms=$(status_value binding.symbols)
	[ "${syms%/*}" = "${syms#*/}" ] && [ "${syms%/*}" -gt 0 ] || fail "binding.symbols '$syms'"
}

# The driver's global ASID allocator: the disk's stage-1 DMA domain holds
# one on 6.12 and 7.x; 6.1 exposes no allocator.
t_status_driver_asids() {
	v=$(status_value driver.asids)
	if [ "$ARG_drvgen" = 6.1-bond ]; then
		[ "$v" = "not visible on this kernel" ] || fail "driver.asids '$v' on 6.1"
		return
	fi
	n=${v%% in use*}
	[ "$n" -ge 1 ] 2>/dev/null || fail "driver.asids '$v', expected at least the disk's DMA domain"
}

t_status_tool() {
	out=$(smmu-btm-status) || fail "smmu-btm-status failed"
	echo "$out" | sed 's/^/SMMUBTM-TOOL /'
	usable=no
	btm_usable && usable=yes
	echo "$out" | grep -q "BTM usable: $usable ($(expected_reason))" || fail "smmu-btm-status did not show the decision"
}

# smmu-btm-report: one file, every section, the status and the decision in
# it, the disk under its SMMU, devices' capabilities read; refused without
# root in one line, writing nothing. (The PASID test device's capabilities:
# t_report_pasid; a device is behind its SMMU once a driver has bound it.)
t_report_tool() {
	rep=/tmp/smmu-btm-report.txt
	out=$(smmu-btm-report -o $rep) || fail "smmu-btm-report failed"
	[ "$out" = $rep ] || fail "it printed '$out', not the report's path"
	grep -E '^(==== |smmu[0-9]+: |  decision: |  PCI |    (PASID|PRI|ATS|no ext))' $rep |
		sed 's/^/SMMUBTM-REPORT /'
	for s in "status file" "kernel log" "kernel" "SMMUs: ID registers" \
		"IOMMUs and the devices" "uacce devices" "KVM" "end"; do
		grep -q "^==== $s" $rep || fail "no section '$s'"
	done
	grep -qx "version: $ARG_version" $rep || fail "no status file in it"
	grep -q "smmu_btm: " $rep || fail "no smmu_btm kernel log line in it"
	grep -q "^release: $ARG_krel\$" $rep || fail "no kernel release in it"
	usable=no
	btm_usable && usable=yes
	grep -q "^  decision: BTM usable $usable " $rep || fail "smmu0's decision is not in it"
	disk=$(basename "$(vda_pci_dev)")
	grep -q "^  PCI $disk .*group" $rep || fail "the disk $disk is not listed behind its SMMU"
	# Under each PCI device: its capabilities, or that it has no
	# extended configuration space (a conventional PCI device).
	[ "$(grep -c '^  PCI ' $rep)" = "$(grep -cE '^    (ATS \(0x0f\)|no extended config space)' $rep)" ] ||
		fail "not every PCI device's capabilities were read"
	rm -f $rep
	# busybox's su, as an unprivileged user of the initramfs's own.
	mkdir -p /etc
	grep -qs '^nobody:' /etc/passwd || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
	if out=$(su -s /bin/sh nobody -c "smmu-btm-report -o $rep" 2>&1); then
		fail "it ran without root"
	fi
	[ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "run as root" ||
		fail "without root it said '$out', not one line asking for root"
	[ ! -e $rep ] || fail "without root it wrote $rep"
}

# insmod must fail, print EXPECTED in the kernel log and leave nothing.
refused_cleanly() {
	expected=$1
	shift
	if insmod /smmu_btm.ko "$@" 2>/dev/null; then
		rmmod smmu_btm
		fail "insmod $* succeeded"
		return 1
	fi
	dmesg | grep -q "smmu_btm: .*$expected" || fail "no '$expected' line in the kernel log"
	[ ! -e /sys/module/smmu_btm ] || fail "module left loaded"
	[ ! -e /sys/kernel/debug/smmu_btm ] || fail "debugfs directory left behind"
}

t_refuse_missing_symbol() {
	refused_cleanly "required driver symbol arm_smmu_device_reset not found (test_missing_symbol hid it); not loading" \
		test_missing_symbol=arm_smmu_device_reset
}

t_refuse_bad_enable() {
	refused_cleanly "invalid enable=sometimes: use auto, off or force" enable=sometimes
}

t_enable_off() {
	insmod /smmu_btm.ko enable=off || fail "insmod enable=off failed"
	r=$(status_value smmu0.reason)
	e=$(status_value enable)
	rmmod smmu_btm || fail "rmmod failed"
	[ "$e" = off ] || fail "enable '$e'"
	[ "$r" = disabled ] || fail "reason '$r', expected disabled"
}

t_enable_force() {
	insmod /smmu_btm.ko enable=force || fail "insmod enable=force failed"
	r=$(status_value smmu0.reason)
	rmmod smmu_btm || fail "rmmod failed"
	dmesg | grep -q 'smmu_btm: enable=force: ' || fail "no force warning in the log"
	[ $(($(cat /proc/sys/kernel/tainted) & 64)) = 64 ] || fail "kernel not tainted (TAINT_USER)"
	# Force overrides errata, never missing hardware: nothing here to
	# override, so the decision is what it is without force.
	[ "$r" = "$(expected_reason)" ] || fail "reason '$r' under force, expected $(expected_reason)"
}

# Unreclaimable slab memory, in kB, after a settle; printed, not asserted.
slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sed -n 's/^SUnreclaim: *\([0-9]*\) kB/\1/p' /proc/meminfo
}

# The in-guest test module's checks, each reported as ktest/<name> (once,
# though insmod may try a failing load twice). The load must succeed exactly
# when every check passed.
# On 6.2+ drivers the test module also moves the disk's DMA domain to a
# fresh ASID 1,000 times while both of its functions (/dev/vda, /dev/vdb:
# two masters of the one domain) are read and checksummed here in loops,
# each read after dropping the page cache, so through DMA.
run_ktest() {
	moves=0
	case "$ARG_drvgen" in
	*-s1cfg | *-master-cd | *-domain | *-replace | *-invs) moves=1000 ;;
	esac
	rm -f /tmp/sums /tmp/stop-reader
	if [ "$moves" -gt 0 ]; then
		for d in /dev/vd?; do
			(while [ ! -e /tmp/stop-reader ]; do disk_md5 "$d" >>/tmp/sums; done) &
		done
		while [ ! -s /tmp/sums ]; do sleep 0.1; done
		reads_before=$(wc -l </tmp/sums)
	fi
	slab_before=$(slab_kb)
	if insmod /smmu_btm_ktest.ko moves=$moves 2>/dev/null; then
		loaded=yes
		rmmod smmu_btm_ktest
	else
		loaded=no
	fi
	if [ "$moves" -gt 0 ]; then
		reads_during=$(($(wc -l </tmp/sums) - reads_before))
		touch /tmp/stop-reader
		wait
		bad=$(grep -vc "^$ARG_md5\$" /tmp/sums)
		reads=$(wc -l </tmp/sums)
		echo "disk reads: $reads, $reads_during while the module moved ASIDs, $bad bad"
		echo "slab (SUnreclaim): $slab_before kB before the test module, $(slab_kb) kB after it was unloaded"
		if [ "$bad" != 0 ] || [ "$reads_during" -lt 1 ]; then
			report ktest/disk-during-moves FAIL "$reads reads, $reads_during during the moves, $bad with a wrong checksum"
		else
			report ktest/disk-during-moves PASS
		fi
	fi
	dmesg | sed -n 's/.*smmu_btm_ktest: CHECK \([^ ]*\) \(PASS\|FAIL\) *\(.*\)/\1 \2 \3/p' |
		awk '!seen[$0]++' >/tmp/ktest
	[ -s /tmp/ktest ] || report ktest/ran FAIL "the test module printed no check"
	while read -r name result why; do
		report "ktest/$name" "$result" "$why"
	done </tmp/ktest
	if grep -q ' FAIL' /tmp/ktest; then
		[ "$loaded" = no ] || report ktest/load-fails-on-failure FAIL "loaded despite a failed check"
	else
		[ "$loaded" = yes ] || report ktest/load FAIL "insmod failed with every check passing"
	fi
}

# Remove the disk's PCI device and rescan the bus; the disk must come back
# and read back correctly.
remove_rescan() {
	dev=$(vda_pci_dev)
	[ -e "$dev/remove" ] || fail "no PCI device behind /dev/vda"
	echo 1 >"$dev/remove"
	i=0
	while [ -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -b /dev/vda ] && fail "/dev/vda still there after removing $dev"
	echo 1 >/sys/bus/pci/rescan
	i=0
	while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -b /dev/vda ] || fail "/dev/vda did not come back after a rescan"
	sum=$(disk_md5)
	[ "$sum" = "$ARG_md5" ] || fail "disk md5 $sum after the rescan, host wrote $ARG_md5"
}

# Review R7: what a move hands the driver must outlive the module that made
# it (on 7.x the invalidation arrays, their locks' lockdep classes, the RCU
# callbacks that free the arrays replaced). Move the disk's domain, unload
# the test module, then remove the disk: the driver takes its entries off
# the array the move installed, under that array's lock. The kernel's
# lockdep and oops reports since the move fail the test (and the log scan).
t_move_then_unload_then_remove() {
	from=$(dmesg | wc -l)
	insmod /smmu_btm_ktest.ko moves=10 2>/dev/null || fail "the test module's checks failed"
	rmmod smmu_btm_ktest 2>/dev/null
	[ ! -e /sys/module/smmu_btm_ktest ] || fail "the test module did not unload"
	remove_rescan
	bad=$(dmesg | tail -n +"$((from + 1))" |
		grep -E 'bad unlock balance|possible recursive locking|BUG:|Oops|Unable to handle|WARNING:' | head -n 3)
	[ -z "$bad" ] || fail "after the move and unload, removing the disk: $bad"
}

# 6.2+: with the SVA provider installed on the disk's SMMU (the test module
# leaves it so), the disk is removed and rescanned; then the module is
# unloaded, which puts the driver's ops back and re-owns the rescanned
# disk's domains, and the disk is removed and rescanned again.
t_provider_remove_rescan() {
	insmod /smmu_btm_ktest.ko moves=1 provider_stays=1 ||
		fail "the test module did not load with the provider left installed"
	remove_rescan
	rmmod smmu_btm_ktest || fail "the test module did not unload"
	dmesg | grep -q 'provider still has SVA domains' &&
		fail "the provider could not be removed"
	remove_rescan
}

# A load of the test module that fails, with the provider installed and the
# move hooks placed, must take both away: the disk is removed (its driver's
# teardown unmaps through the hooked entry points) and rescanned, and a
# normal load binds to the driver's own ops again.
t_failed_load_leaves_nothing() {
	if insmod /smmu_btm_ktest.ko moves=1 provider_stays=1 fail_on_purpose=1 2>/dev/null; then
		rmmod smmu_btm_ktest
		fail "the test module loaded despite a failed check"
		return
	fi
	remove_rescan || return
	insmod /smmu_btm_ktest.ko moves=1 || fail "a normal load failed after the failed one"
	rmmod smmu_btm_ktest || fail "the test module did not unload"
}

# One run of tests/guest/tlbloop.c: its TLBLOOP line is printed, and its
# KEY=VALUE words become shell variables L_KEY (numbers and mode names only).
tlbloop_run() { # MODE ITERATIONS
	line=$(tlbloop "$@") || { echo "$line"; return 1; }
	echo "$line"
	L_seen= L_tlbi= L_atc= L_sync= L_avoided= L_cmdq= L_loop= L_local=
	L_local_cmds=
	for kv in ${line#TLBLOOP }; do
		case "$kv" in
		*=*[!a-z0-9]*) ;;
		[a-z_]*=*) eval "L_${kv%%=*}=\${kv#*=}" ;;
		esac
	done
}

# local-tlbi-write-after-cow (within shim-routes, the SMMU marked
# BTM-active): write a page, fork a child that exits at once, write it
# again. The second write reuses the page in place (wp_page_reuse). 7.x
# makes it writable with a flush of the CPU's own TLB only
# (TLBF_NOBROADCAST), which the SMMU never snoops, and still calls the
# notifier: the shim must invalidate the page through the command queue, at
# least once per reuse, or the SMMU keeps the read-only entry. Before 7.x
# the same change is flushed by broadcast, and nothing is sent.
t_local_tlbi_write_after_cow() {
	m=50
	tlbloop_run btm $m 1 cow || { fail "tlbloop btm cow failed"; return; }
	[ "$L_loop" = cow ] || fail "tlbloop ran loop=$L_loop, not cow"
	[ "$L_atc" = 0 ] || fail "cow: $L_atc ATC commands without ATS"
	[ "$L_cmdq" = $((L_tlbi + L_atc + L_sync)) ] ||
		fail "cow: the command queue consumed $L_cmdq commands, the counters say $((L_tlbi + L_atc + L_sync))"
	# Every command sent must be one a local-only flush asked for.
	[ "$L_local_cmds" = $((L_tlbi + L_atc + L_sync)) ] ||
		fail "cow: $L_tlbi TLBIs and $L_sync syncs sent, of which $L_local_cmds commands for local-only flushes: the rest were not needed under BTM"
	major=$(uname -r | cut -d. -f1)
	if [ "$major" -ge 7 ]; then
		[ "$L_local" -ge $m ] && [ "$L_tlbi" -ge $m ] && [ "$L_sync" -ge $m ] ||
			fail "local-tlbi-write-after-cow: $L_local local-only flushes seen, $L_tlbi TLBIs and $L_sync syncs for $m reuses flushed on the CPU alone (one of each per reuse at least)"
	else
		[ "$L_local" = 0 ] && [ "$L_tlbi" = 0 ] && [ "$L_sync" = 0 ] ||
			fail "cow: $L_local local-only flushes, sent $L_tlbi TLBIs, $L_sync syncs where every flush is broadcast"
	fi
}

# 6.2+: the invalidation shim. With the provider left on the disk's SMMU,
# tlbloop gives its mm an SVA domain and munmaps and mprotects in a loop.
# stock: every invalidation sends the stock TLBIs and a CMD_SYNC, and the
# SMMU's command queue consumed exactly what the counters say were sent.
# btm (the SMMU marked BTM-active, which taints): not one command, the same
# invalidations seen, and what stock sent for them counted as avoided.
# No ATS in QEMU, so no ATC command either way. Under LPA2 there is no SVA
# domain for the mm: tlbloop is refused with EOPNOTSUPP. Nor on 7.x on
# QEMU's stock SMMU, whose 44-bit output size is below -cpu max's 52-bit
# PARange: 7.x's driver has no SVA there, and the provider refuses as it
# does (sva-supported-checks).
t_shim_routes() {
	insmod /smmu_btm_ktest.ko moves=1 provider_stays=1 ||
		fail "the test module did not load with the provider left installed"
	why=
	[ "$ARG_lpa2" = 1 ] && why="an LPA2 mm"
	case "$ARG_drvgen/$ARG_board" in
	*-invs/stock) why="a 7.x mm on an SMMU with a smaller output size" ;;
	esac
	if [ -n "$why" ]; then
		out=$(tlbloop stock 10)
		rmmod smmu_btm_ktest
		case "$out" in
		*"error=95 "*) return 0 ;;
		*) fail "$why was given an SVA domain: $out" ;;
		esac
		return
	fi
	n=300
	tlbloop_run stock $n || { rmmod smmu_btm_ktest; fail "tlbloop stock failed"; return; }
	s_seen=$L_seen s_tlbi=$L_tlbi s_sync=$L_sync
	[ "$L_seen" -ge $((3 * n)) ] || fail "stock: $L_seen invalidations seen for $n iterations"
	[ "$L_tlbi" -ge "$L_seen" ] || fail "stock: $L_tlbi TLBIs for $L_seen invalidations"
	[ "$L_sync" = "$L_seen" ] || fail "stock: $L_sync syncs for $L_seen invalidations"
	[ "$L_atc" = 0 ] || fail "stock: $L_atc ATC commands without ATS"
	[ "$L_avoided" = 0 ] || fail "stock: $L_avoided commands counted as avoided"
	[ "$L_cmdq" = $((L_tlbi + L_atc + L_sync)) ] ||
		fail "stock: the command queue consumed $L_cmdq commands, the counters say $((L_tlbi + L_atc + L_sync))"
	tlbloop_run btm $n || { rmmod smmu_btm_ktest; fail "tlbloop btm failed"; return; }
	[ "$L_seen" -ge $((3 * n)) ] || fail "btm: $L_seen invalidations seen for $n iterations"
	[ "$L_tlbi" = 0 ] && [ "$L_sync" = 0 ] && [ "$L_atc" = 0 ] ||
		fail "btm: sent $L_tlbi TLBIs, $L_atc ATC commands, $L_sync syncs"
	[ "$L_cmdq" = 0 ] || fail "btm: the command queue consumed $L_cmdq commands"
	# Avoided: per invalidation, the stock run's TLBIs and its sync. (A
	# write fault after mprotect may add a one-page flush in either run,
	# so the two runs' totals need not be equal.)
	[ $(((L_avoided - L_seen) * s_seen)) = $((s_tlbi * L_seen)) ] ||
		fail "btm: $L_avoided commands avoided for $L_seen invalidations; stock sent $s_tlbi TLBIs and $s_sync syncs for $s_seen"
	[ $(($(cat /proc/sys/kernel/tainted) & 64)) = 64 ] ||
		fail "marking the SMMU BTM-active did not taint the kernel"
	t_local_tlbi_write_after_cow
	# A bound process that exits: its mm goes first (the notifier's
	# release invalidates the whole ASID: one TLBI, one sync), then the
	# domain, once the file is closed.
	p=/sys/kernel/debug/smmu_btm_ktest/provider
	set -- $(cat $p)
	released=$4 seen=$6 tlbi=$8 sync=${10} flushes=${12} fcmds=${14}
	tlbloop stock 10 16 exit >/dev/null || fail "tlbloop stock ... exit failed"
	set -- $(cat $p)
	[ "$2" = 0 ] || fail "$2 SVA domains left after the process exited"
	[ "$4" = $((released + 1)) ] || fail "released $4 after an exit, $released before"
	[ "$6" -ge $((seen + 30)) ] && [ $(($8 - tlbi)) = $(($6 - seen)) ] &&
		[ $((${10} - sync)) = $(($6 - seen)) ] ||
		fail "seen $seen to $6, TLBIs $tlbi to $8, syncs $sync to ${10}: 30 or more from the loop, one TLBI and one sync each"
	# The exit's release and the domain's free each flush the whole ASID.
	[ $((${12} - flushes)) = 2 ] && [ $((${14} - fcmds)) = 4 ] ||
		fail "flushes $flushes to ${12}, their commands $fcmds to ${14}: 2 expected (release, free), a TLBI and a sync each"
	# The exited process's domain holds the module until its free runs.
	rmmod_settled smmu_btm_ktest || fail "the test module did not unload"
}

# The kprobes the ASID move arms: "ADDR TYPE SYMBOL+OFF [FLAGS]" lines of
# the kernel's list for the driver's functions.
move_probes() {
	grep ' arm_smmu_' /sys/kernel/debug/kprobes/list 2>/dev/null
}

# The move's kprobes exist only while a provider is installed, and trap
# only around moves: none after a plain load (which installs no
# provider: ptm=keep leaves a usable SMMU pending while its PTM is 1, as
# the tests before this one leave it), and with a provider installed every
# one of them disarmed.
t_move_hooks() {
	insmod /smmu_btm.ko || { fail "insmod failed"; return; }
	plain=$(move_probes) st=$(status_value move_hooks)
	rmmod smmu_btm
	[ -z "$plain" ] || fail "kprobes after a plain load: $plain"
	case "$st" in
	"none registered"* | "none (this driver's"*) ;;
	*) fail "move_hooks '$st' after a plain load" ;;
	esac
	case "$ARG_drvgen" in
	*-s1cfg | *-master-cd | *-domain | *-replace) ;;
	*) return ;;
	esac
	insmod /smmu_btm.ko test_btm_active=1 || { fail "insmod test_btm_active=1 failed"; return; }
	probes=$(move_probes) st=$(status_value move_hooks)
	rmmod smmu_btm
	echo "$probes" | sed 's/^/move-probe: /'
	[ "$(echo "$probes" | grep -c .)" = 4 ] || fail "$(echo "$probes" | grep -c .) move kprobes with a provider installed, expected 4"
	echo "$probes" | grep -v '\[DISABLED\]' | grep -q . &&
		fail "an armed move kprobe outside a move: $(echo "$probes" | grep -v DISABLED)"
	case "$st" in
	"4 registered, disarmed"*) ;;
	*) fail "move_hooks '$st' with a provider installed" ;;
	esac
	[ -z "$(move_probes)" ] || fail "kprobes left after unload: $(move_probes)"
	move_hooks_idle
}

# smmu-btm-check -t: CMD_SYNCs timed on every SMMU, each with a median
# and a 99th percentile above zero, in order; a count of 0 refused.
t_sync_timing() {
	insmod /smmu_btm.ko || { fail "insmod failed"; return; }
	out=$(smmu-btm-check -t 500 2>&1)
	rc=$?
	echo 0 >/sys/module/smmu_btm/parameters/time_syncs 2>/dev/null && fail "time_syncs took 0"
	n=$(status_value smmus)
	rmmod smmu_btm
	echo "$out" | sed 's/^/sync-timing: /'
	# 6.1: smmu-btm does not drive that driver's queue: refused, no oops.
	if [ "$ARG_drvgen" = 6.1-bond ]; then
		[ "$rc" != 0 ] || fail "smmu-btm-check -t 500 succeeded on the 6.1 driver"
		return
	fi
	[ "$rc" = 0 ] || { fail "smmu-btm-check -t 500 exited $rc"; return; }
	[ "$(echo "$out" | grep -c 'CMD_SYNC ns: median [1-9][0-9]* p99 [1-9][0-9]* min [0-9]* max [0-9]* of 500 ')" = "$n" ] ||
		fail "not one timing of 500 syncs per SMMU ($n): $out"
	echo "$out" | awk '{ for (f = 1; f <= NF; f++) v[$f] = $(f + 1); if (v["median"] > v["p99"] || v["p99"] > v["max"] || v["min"] > v["median"]) bad = 1 } END { exit bad }' ||
		fail "timings out of order: $out"
	show "sync-timing: $(echo "$out" | head -n 1)"
}

# A move arms the probes; moves that follow within a second find them
# armed (no second arming); a second and a half after the last move they
# are disarmed again. Line 2 of the test module's move file: asid A moves
# M undone U armed 0|1 armings N.
move_hooks_idle() {
	insmod /smmu_btm_ktest.ko moves=1 provider_stays=1 || { fail "the test module did not load"; return; }
	f=/sys/kernel/debug/smmu_btm_ktest/move
	sleep 1.5
	set -- $(sed -n 2p $f)
	a0=$8 n0=${10}
	for i in 1 2 3 4 5; do
		echo 1 >$f || fail "move $i failed"
	done
	set -- $(sed -n 2p $f)
	a1=$8 n1=${10} probes=$(move_probes | grep -vc DISABLED)
	sleep 1.5
	set -- $(sed -n 2p $f)
	a2=$8 idle=$(move_probes | grep -vc DISABLED)
	rmmod smmu_btm_ktest
	show "move-hooks idle: armed $a0 before, $a1 after 5 moves ($((n1 - n0)) armings, $probes probes armed), $a2 1.5 s later ($idle armed)"
	[ "$a0" = 0 ] && [ "$a1" = 1 ] && [ $((n1 - n0)) = 1 ] && [ "$probes" = 4 ] &&
		[ "$a2" = 0 ] && [ "$idle" = 0 ] ||
		fail "expected disarmed, armed once by 5 moves with 4 probes armed, disarmed after 1.5 s"
	[ -z "$(move_probes)" ] || fail "kprobes left after the test module's unload: $(move_probes)"
}

# SVA domains allocated and freed from 4 threads, through the ops the disk
# has at each moment (the iommu core's way), while smmu_btm is loaded with
# its provider and unloaded again, 4 times (10 in the full run): a thread that finds the
# provider's entry as it goes must never run the module's text after the
# module is gone (the log scan fails on any oops or KASAN report).
t_unload_under_binds() {
	insmod /smmu_btm_stress.ko threads=4 || { fail "the stress module did not load"; return; }
	loads=0 busy=0 cycles=4
	# SMMU_BTM_FULL=1 (make check's full run): more cycles, more chances.
	[ "${ARG_full:-0}" = 1 ] && cycles=10
	for i in $(seq "$cycles"); do
		insmod /smmu_btm.ko test_btm_active=1 || { fail "load $i failed"; break; }
		loads=$((loads + 1))
		sleep 0.$((i % 5))
		while ! rmmod smmu_btm 2>/dev/null; do
			busy=$((busy + 1))
			[ "$busy" -lt 3000 ] || { fail "smmu_btm never became free to unload"; break 2; }
			sleep 0.01
		done
	done
	rmmod smmu_btm_stress || fail "the stress module did not unload"
	line=$(dmesg | grep 'STRESS allocs=' | tail -n 1)
	echo "$loads loads and unloads, $busy unload attempts refused busy; ${line#*: }"
	allocs=${line#*allocs=}
	allocs=${allocs%% *}
	# Under LPA2 every allocation is refused, after entering the provider.
	if [ "$ARG_lpa2" = 1 ]; then
		[ "$allocs" = 0 ] || fail "SVA domains allocated for an LPA2 mm: $line"
	else
		[ "${allocs:-0}" -gt 0 ] || fail "no SVA domain was allocated: $line"
	fi
	[ ! -e /sys/module/smmu_btm ] || fail "smmu_btm left loaded"
}

# 100 ASID moves (300 in the full run) of the disk's DMA domain while its
# second function (a master of that domain, found through the SMMU's
# stream tree on 6.10+) is removed and rescanned in a loop: a move must never use a master the driver frees
# or write back a CD the driver cleared (KASAN sees the first), and may be
# refused while the master's group is busy. The first function is read and
# checksummed throughout.
t_moves_racing_rescan() {
	# By its address: after an earlier remove and rescan of the first
	# function, the block devices' names may have swapped.
	dev1=/sys/bus/pci/devices/0000:00:02.1
	[ -e "$dev1/remove" ] || { fail "no second disk function"; return; }
	rm -f /tmp/stop-rescan /tmp/sums
	d0=/dev/$(ls /sys/bus/pci/devices/0000:00:02.0/virtio*/block)
	(while [ ! -e /tmp/stop-rescan ]; do disk_md5 "$d0" >>/tmp/sums; done) &
	(n=0; while [ ! -e /tmp/stop-rescan ]; do
		echo 1 >"$dev1/remove" 2>/dev/null
		echo 1 >/sys/bus/pci/rescan
		n=$((n + 1))
		echo "$n" >/tmp/rescans
	done) &
	moves=100
	[ "${ARG_full:-0}" = 1 ] && moves=300
	insmod /smmu_btm_ktest.ko moves=$moves race=1 2>/dev/null
	loaded=$?
	touch /tmp/stop-rescan
	wait
	[ "$loaded" = 0 ] && rmmod smmu_btm_ktest
	i=0
	while ! ls "$dev1"/virtio*/block >/dev/null 2>&1 && [ $i -lt 100 ]; do
		echo 1 >/sys/bus/pci/rescan
		sleep 0.1
		i=$((i + 1))
	done
	bad=$(grep -vc "^$ARG_md5\$" /tmp/sums)
	echo "$(cat /tmp/rescans) removes and rescans, $(wc -l </tmp/sums) reads of $d0, $bad bad"
	dmesg | grep 'smmu_btm_ktest: moved the disk' | tail -n 1
	dmesg | grep -q 'smmu_btm_ktest: CHECK moves-racing-rescan PASS' ||
		fail "$(dmesg | grep 'CHECK moves-racing-rescan' | tail -n 1)"
	[ "$loaded" = 0 ] || fail "the test module's checks failed"
	[ "$bad" = 0 ] || fail "$bad reads of $d0 with a wrong checksum"
	ls "$dev1"/virtio*/block >/dev/null 2>&1 || fail "the second function's disk did not come back"
}

# What the driver holds that smmu-btm may touch: its ASIDs in use, its
# feature word and the live CR2, as the status file shows them.
driver_state() {
	insmod /smmu_btm.ko || { echo "insmod failed"; return; }
	echo "asids '$(status_value driver.asids)' features $(status_value smmu0.driver_features) cr2 '$(status_value smmu0.cr2)'"
	rmmod smmu_btm
}

# With test_btm_active=1 (taints), smmu_btm.ko uses QEMU's SMMU as if BTM
# were on, without writing a register: on 6.2+ it installs its provider
# there, the disk keeps working through a remove and rescan, and unload
# puts everything back (the driver's ASIDs, feature word and CR2 read the
# same after as before); on 6.1 it reports the failure and stays off.
t_test_btm_active() {
	before=$(driver_state)
	insmod /smmu_btm.ko test_btm_active=1 || fail "insmod test_btm_active=1 failed"
	sed 's/^/SMMUBTM-STATUS /' "$status_file" | grep -E 'btm_state|provider|sva_domains|invalidations|ptm|cr2'
	s=$(status_value smmu0.btm_state) p=$(status_value smmu0.provider)
	inv=$(status_value smmu0.invalidations) w=$(status_value smmu0.ptm_switch)
	c=$(status_value smmu0.cr2)
	[ $(($(cat /proc/sys/kernel/tainted) & 64)) = 64 ] || fail "test_btm_active=1 did not taint"
	case "$ARG_drvgen" in
	*-s1cfg | *-master-cd | *-domain | *-replace | *-invs)
		# PTM is 1: the shim must keep sending the stock TLBIs.
		[ "$s" = active ] && [ "$p" = "installed, stock TLBIs (PTM is 1)" ] ||
			{ rmmod smmu_btm; fail "btm_state '$s', provider '$p'"; return; }
		[ "$inv" = "seen 0 tlbi 0 atc 0 sync 0 avoided 0 local 0 local_cmds 0" ] || fail "invalidations '$inv' with no SVA domain"
		remove_rescan || { rmmod smmu_btm; return 1; }
		;;
	*)
		[ "$s" = failed ] && [ "$p" = "not installed" ] ||
			{ rmmod smmu_btm; fail "btm_state '$s', provider '$p' on a driver without the SVA domain API"; return; }
		;;
	esac
	[ "$w" = none ] || fail "ptm_switch '$w': test_btm_active must write no register"
	[ "$c" = "$(driver_cr2 1)" ] || fail "cr2 '$c' under test_btm_active"
	rmmod smmu_btm || fail "rmmod failed"
	sum=$(disk_md5)
	[ "$sum" = "$ARG_md5" ] || fail "disk md5 $sum after unload, host wrote $ARG_md5"
	after=$(driver_state)
	[ "$after" = "$before" ] || fail "the driver's state after unload: $after; before: $before"
}

run_all() {
	run_test kernel t_kernel
	run_test exception-level t_exception_level
	run_test disk-reads-back t_disk_reads_back
	run_test disk-behind-smmu t_disk_behind_smmu
	# Booted with lockdown= (scripts/qemu-run /integrity, /confidentiality).
	case " $(cat /proc/cmdline) " in
	*" lockdown="*) run_test lockdown t_lockdown ;;
	esac
	run_test load t_load
	run_test one-line-per-smmu t_one_line_per_smmu
	run_test version t_version
	run_test status-file t_status_file
	run_test status-read-only t_status_read_only
	run_test status-btm-state t_status_btm_state
	run_test status-decision t_status_decision
	run_test status-cpu t_status_cpu
	run_test status-binding t_status_binding
	run_test status-driver-asids t_status_driver_asids
	run_test status-tool t_status_tool
	run_test report-tool t_report_tool
	run_test disk-with-module t_disk_with_module
	run_test unload t_unload
	run_test refuse-missing-symbol t_refuse_missing_symbol
	run_test refuse-bad-enable t_refuse_bad_enable
	run_test refuse-bad-ptm t_refuse_bad_ptm
	run_test ptm-clear t_ptm_clear
	run_test enable-off t_enable_off
	run_test reload t_reload
	run_test enable-force t_enable_force
	run_test disk-after-unload t_disk_after_unload
	selected ktest && run_ktest
	case "$ARG_drvgen" in
	*-s1cfg | *-master-cd | *-domain | *-replace | *-invs)
		run_test move-then-unload-then-remove t_move_then_unload_then_remove
		run_test provider-remove-rescan t_provider_remove_rescan
		run_test failed-load-leaves-nothing t_failed_load_leaves_nothing
		run_test moves-racing-rescan t_moves_racing_rescan
		# Last: these taint the kernel, which t_enable_force checks for.
		run_test shim-routes t_shim_routes
		;;
	esac
	run_test test-btm-active t_test_btm_active
	run_test move-hooks t_move_hooks
	run_test sync-timing t_sync_timing
	run_pasid
	case "$ARG_drvgen" in
	*-s1cfg | *-master-cd | *-domain | *-replace | *-invs)
		# Once per kernel: each load and unload waits out RCU Tasks.
		[ "$ARG_el" = el2 ] && run_test unload-under-binds t_unload_under_binds
		run_debugkernel
		;;
	esac
}

# make demo: load, show the status, unload; on the BTM board, then the job
# itself (t_demo_job).
run_demo() {
	run_test load t_load
	run_test status-file t_status_file
	run_test status-tool t_status_tool
	run_test unload t_unload
	[ "$ARG_board" = btm ] && [ "$ARG_sva" = 1 ] && run_test demo-job t_demo_job
}

# One path of the demo: the process bound to the PASID test device, the
# device reads two pages, the CPU unmaps one and protects the other, the
# device faults on both; the commands the driver queued for that change
# alone, from a kprobe event on arm_smmu_cmdq_issue_cmdlist().
demo_path() { # NAME
	t=/sys/kernel/tracing
	: >$t/trace
	insmod /pasid_dma_test.ko || { fail "the PASID DMA test driver did not load"; return 1; }
	expect_faults begin "demo $1"
	pdt-test -e $t/events/smmubtm/cmdlist/enable >/tmp/demo-$1 2>&1
	rc=$?
	expect_faults end "demo $1"
	rmmod pasid_dma_test
	sed "s/^/SMMUBTM-DEMO $1 /" /tmp/demo-$1
	[ "$rc" = 0 ] || fail "$1: $(grep -m1 FAIL /tmp/demo-$1)"
	awk -v name="$1" '
	/ cmdlist: / {
		for (f = 1; f <= NF; f++) {
			if ($f ~ /^n=/) cmds += substr($f, 3)
			if ($f ~ /^sync=/) syncs += substr($f, 6) != 0
		}
	}
	END { printf "SMMUBTM-DEMO %s queued commands=%d syncs=%d\n", name, cmds, syncs }' $t/trace |
		tee -a /tmp/demo-counts
}

# make demo on the BTM board: the driver's own SVA path first (smmu_btm
# not loaded), then smmu_btm loaded with ptm=clear: the same change must
# fault the device with no command sent. Unloading leaves PTM 0 (ptm=clear);
# in the test runs (run_pasid) ptm=clear-restore sets it again, for the
# tests that follow.
t_demo_job() {
	ptm=clear-restore
	[ "$ARG_demo" = 1 ] && ptm=clear
	[ ! -e /sys/bus/pci/devices/0001:40:00.0 ] || rescan_expander_ports >/dev/null
	t=/sys/kernel/tracing
	[ -e $t/trace ] || mount -t tracefs nodev $t 2>/dev/null
	case "$ARG_drvgen" in
	*-s1cfg | *-master-cd) args='n=$arg3:s32 sync=$arg4:u8' ;;
	*) args='n=$arg4:s32 sync=$arg5:u8' ;;
	esac
	echo "p:smmubtm/cmdlist arm_smmu_cmdq_issue_cmdlist $args" >>$t/kprobe_events ||
		{ fail "no kprobe event on arm_smmu_cmdq_issue_cmdlist"; return; }
	: >/tmp/demo-counts
	demo_path stock
	insmod /smmu_btm.ko ptm=$ptm || { fail "insmod ptm=$ptm failed"; return; }
	echo "SMMUBTM-DEMO btm btm_state: $(status_value smmu0.btm_state)"
	echo "SMMUBTM-DEMO btm btm_state_text: $(status_value smmu0.btm_state_text)"
	set -- $(status_value smmu0.invalidations)
	seen0=$2 tlbi0=$4 sync0=$8 avoided0=${10}
	demo_path btm
	set -- $(status_value smmu0.invalidations)
	echo "SMMUBTM-DEMO btm smmu_btm counted: invalidations seen $(($2 - seen0)), TLBIs $(($4 - tlbi0)), syncs $(($8 - sync0)), commands avoided $((${10} - avoided0))"
	[ "$(status_value smmu0.btm_state)" = active ] || fail "btm_state '$(status_value smmu0.btm_state)'"
	rmmod_settled smmu_btm || fail "rmmod smmu_btm failed"
	echo "-:smmubtm/cmdlist" >>$t/kprobe_events
	# The point of the demo, checked: the stock path queued TLBIs and a
	# sync for the change, smmu-btm's path queued nothing.
	grep -q '^SMMUBTM-DEMO stock queued commands=[1-9][0-9]* syncs=[1-9]' /tmp/demo-counts ||
		fail "the stock path queued no command: $(grep ' stock queued' /tmp/demo-counts)"
	grep -q '^SMMUBTM-DEMO btm queued commands=0 syncs=0$' /tmp/demo-counts ||
		fail "smmu-btm's path queued commands: $(grep ' btm queued' /tmp/demo-counts)"
}

# make bench: time ASID moves of the disk's DMA domain (its masters: the
# functions qemu-run --bench gave the disk) while the disks are read; then
# again with the disks idle ("idle-disks" lines), which tells the move's
# own time from what the emulated DMA beside it costs it.
t_bench_moves() {
	for d in /dev/vd?; do
		(while [ ! -e /tmp/stop-reader ]; do cat "$d" >/dev/null; echo 3 >/proc/sys/vm/drop_caches; done) &
	done
	insmod /smmu_btm_ktest.ko bench_moves=2000 || fail "the test module did not load"
	touch /tmp/stop-reader
	wait
	rmmod smmu_btm_ktest
	dmesg | sed -n 's/.*smmu_btm_ktest: BENCH /SMMUBTM-BENCH /p'
	dmesg -c >/dev/null
	insmod /smmu_btm_ktest.ko bench_moves=2000 || fail "the test module did not load"
	rmmod smmu_btm_ktest
	dmesg | sed -n 's/.*smmu_btm_ktest: BENCH /SMMUBTM-BENCH idle-disks /p'
}

# For the benches' awk programs: median(v, n), the median of v[1..n]
# (which it sorts).
AWK_MEDIAN='
function median(v, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return v[int((n + 1) / 2)]
}'

# The ratios of one page count's rounds in /tmp/bench: each mode of $2
# against "none", the median over the rounds of each round's own ratio.
bench_table() { # PAGES MODES
	awk -v pages="$1" -v list="$2" "$AWK_MEDIAN"'
	{
		for (f = 2; f <= NF; f++) {
			split($f, kv, "=")
			w[kv[1]] = kv[2]
		}
		if (w["mode"] == "none")
			r++
		cpu[w["mode"], r] = w["cpu_ns"]
	}
	END {
		line = "SMMUBTM-BENCH notifier pages=" pages " ratio"
		for (k = 1; k <= r; k++)
			base[k] = cpu["none", k]
		printf "SMMUBTM-BENCH notifier pages=%s median_cpu_ms none=%.1f", pages, median(base, r) / 1e6
		nm = split(list, modes, " ")
		for (i = 1; i <= nm; i++) {
			for (k = 1; k <= r; k++) {
				v[k] = cpu[modes[i], k]
				q[k] = cpu[modes[i], k] / cpu["none", k]
			}
			printf " %s=%.1f", modes[i], median(v, r) / 1e6
			line = line sprintf(" %s/none=%.3f", modes[i], median(q, r))
		}
		print ""
		print line
	}' /tmp/bench
}

# make bench: the CPU time of tlbloop's munmap/mprotect loop with (a) no
# SVA domain, (b) the stock path's TLBIs and syncs through QEMU's SMMU
# command queue, (c) the BTM path, and a bare mmu_notifier that does
# nothing (what any binding costs). The four run back to back in each of
# 9 rounds; a ratio is the median over the rounds of each round's own
# ratio, so that drift in the emulator's speed between rounds cancels.
# 7.x: the markers of the CPU's local-only flushes (src/gen/local_flush.c)
# are kretprobes, placed while a provider is installed, that every write
# fault making a PTE more permissive pays, on any mm of the system. An
# unbound process's write, fork, reuse loop (16 reuses in place per
# iteration), with the markers placed (the test module's provider
# installed) and without, alternating; the difference per reuse is what
# one marked call costs, fork's own cost cancelling out.
bench_markers() {
	[ "${ARG_drvgen##*-}" = invs ] || return 0
	n=300
	: >/tmp/bench
	for r in 1 2 3 4 5 6 7; do
		tlbloop none $n 16 cow >>/tmp/bench || fail "tlbloop none cow failed"
		insmod /smmu_btm_ktest.ko moves=1 provider_stays=1 ||
			{ fail "the test module did not load"; return; }
		tlbloop none $n 16 cow | sed 's/mode=none/mode=markers/' >>/tmp/bench
		rmmod smmu_btm_ktest
	done
	sed 's/^/SMMUBTM-BENCH markers round /' /tmp/bench
	bench_table 16-cow markers | tee /tmp/bench-table
	awk -v reuses=$((n * 16)) '/median_cpu_ms/ {
		for (f = 1; f <= NF; f++) {
			split($f, kv, "=")
			ms[kv[1]] = kv[2]
		}
		printf "SMMUBTM-BENCH markers per reuse in place: %.0f ns more with the markers placed (medians of 7 rounds, guest CPU time under TCG: noisy)\n",
			(ms["markers"] - ms["none"]) * 1e6 / reuses
	}' /tmp/bench-table
}

t_bench_notifier() {
	insmod /smmu_btm_ktest.ko moves=1 provider_stays=1 || fail "the test module did not load"
	for pages in 1 16; do
		: >/tmp/bench
		for r in 1 2 3 4 5 6 7 8 9; do
			for m in none bare stock btm; do
				tlbloop "$m" 2000 "$pages" >>/tmp/bench || fail "tlbloop $m failed"
			done
		done
		sed 's/^/SMMUBTM-BENCH notifier round /' /tmp/bench
		for m in none bare stock btm; do
			line=$(grep "^TLBLOOP mode=$m " /tmp/bench | tail -n 1)
			echo "SMMUBTM-BENCH notifier pages=$pages mode=$m last round: seen=${line#* seen=}"
		done
		bench_table "$pages" "bare stock btm"
	done
	profile_notifier
	rmmod smmu_btm_ktest
	bench_markers
}

# make bench: where the notifier's time goes, from the function graph
# tracer: tlbloop's 1-page loop in each SVA mode with the graph of the
# notifier callbacks traced, then per function its calls, its mean time
# and its mean self time (less its traced callees). The tracer's own cost
# is in every figure, so they rank the parts; the ratios above measure.
profile_notifier() {
	t=/sys/kernel/tracing
	[ -e $t/trace ] || mount -t tracefs nodev $t 2>/dev/null
	if ! echo function_graph >$t/current_tracer 2>/dev/null; then
		echo "SMMUBTM-BENCH notifier profile: no function_graph tracer here"
		return
	fi
	echo 1 >$t/options/funcgraph-tail
	# Interrupts taken inside a callback would count as its time.
	echo 0 >$t/options/funcgraph-irqs
	echo 8192 >$t/buffer_size_kb
	for m in bare stock btm; do
		echo 'sva_mn_invalidate bare_invalidate' >$t/set_graph_function
		: >$t/trace
		echo 1 >$t/tracing_on
		tlbloop "$m" 300 1 >/dev/null || fail "tlbloop $m failed under the tracer"
		echo 0 >$t/tracing_on
		awk -v mode="$m" '
		function dur(    i) {
			for (i = 1; i < NF; i++)
				if ($(i + 1) == "us" && $i ~ /^[0-9.]+$/)
					return $i
			return -1
		}
		function name(s) {
			sub(/^.*\| */, "", s)
			sub(/^} \/\* /, "", s)
			sub(/ \*\/.*$/, "", s)
			sub(/ \[.*$/, "", s)
			sub(/\(.*$/, "", s)
			return s
		}
		/\|/ {
			d = dur()
			f = name($0)
			if ($0 ~ /\) \{ *$/) {
				depth++
				kids[depth] = 0
				next
			}
			if (d < 0)
				next
			if ($0 ~ /\| *} /) {
				self[f] += d - kids[depth]
				depth--
			} else {
				self[f] += d
			}
			total[f] += d
			calls[f]++
			if (depth > 0)
				kids[depth] += d
		}
		END {
			for (f in calls)
				if (calls[f] >= 100)
					printf "%.2f SMMUBTM-BENCH notifier profile mode=%s fn=%s calls=%d mean_us=%.2f self_us=%.2f\n", self[f] / calls[f], mode, f, calls[f], total[f] / calls[f], self[f] / calls[f]
		}' $t/trace | sort -rn | cut -d' ' -f2-
	done
	echo nop >$t/current_tracer
	: >$t/set_graph_function
}

# make bench: the same loop with the process really bound to the PASID
# test device (iommu_sva_bind_device(), /dev/pasid-dma-test0): no binding,
# the driver's own SVA path ("stock": smmu_btm not loaded) and smmu-btm's
# BTM path ("btm": ptm=clear-restore, each load switching PTM off and each
# unload on again, the disks idle), in 9 interleaved rounds.
t_bench_bound() {
	[ ! -e /sys/bus/pci/devices/0001:40:00.0 ] || rescan_expander_ports
	for pages in 1 16; do
		: >/tmp/bench
		for r in 1 2 3 4 5 6 7 8 9; do
			tlbloop none 2000 "$pages" >>/tmp/bench || fail "tlbloop none failed"
			insmod /pasid_dma_test.ko || { fail "the PASID DMA test driver did not load"; return; }
			tlbloop dev 2000 "$pages" | sed 's/mode=dev /mode=stock /' >>/tmp/bench
			rmmod pasid_dma_test
			insmod /smmu_btm.ko ptm=clear-restore || { fail "insmod ptm=clear-restore failed"; return; }
			insmod /pasid_dma_test.ko || { rmmod smmu_btm; fail "the PASID DMA test driver did not load"; return; }
			tlbloop dev 2000 "$pages" | sed 's/mode=dev /mode=btm /' >>/tmp/bench
			state=$(status_value smmu0.btm_state) doms=$(status_value smmu0.sva_domains)
			rmmod pasid_dma_test
			rmmod smmu_btm
			set_up=${doms#*live, }
			[ "$state" = active ] && [ "${set_up%% *}" -ge 1 ] 2>/dev/null ||
				fail "round $r: btm_state '$state', SVA domains '$doms'"
		done
		grep -q 'error=' /tmp/bench && fail "tlbloop: $(grep -m1 'error=' /tmp/bench)"
		sed 's/^/SMMUBTM-BENCH bound round /' /tmp/bench
		bench_table "$pages" "stock btm" | sed 's/SMMUBTM-BENCH notifier/SMMUBTM-BENCH bound/'
	done
}

# make bench: the cost of an SVA domain's allocation (a bind) with the
# disk's DMA domain alone and with 10,000 DMA domains in the driver's table.
t_bench_bind() {
	insmod /smmu_btm_ktest.ko bench_binds=200 || fail "the test module did not load"
	rmmod smmu_btm_ktest
	dmesg | sed -n 's/.*smmu_btm_ktest: BENCH /SMMUBTM-BENCH /p'
}

# make bench: how long DMA stays aborted while ptm=clear switches PTM off,
# as the module times it from GBPA.ABORT set to GBPA restored: 20 loads
# with ptm=clear-restore (each unload sets PTM again, untimed), the disks
# idle as doc/ptm-switch.md asks.
t_bench_ptm() {
	n0=$(dmesg | grep -c 'SMMU_CR2.PTM cleared')
	for i in $(seq 20); do
		insmod /smmu_btm.ko ptm=clear-restore || { fail "load $i failed"; return; }
		rmmod smmu_btm || { fail "unload $i failed"; return; }
	done
	dmesg | grep 'SMMU_CR2.PTM cleared' | tail -n +$((n0 + 1)) |
		sed -n 's/.* in \([0-9]*\) us.*/\1/p' | sort -n >/tmp/ptm-us
	n=$(wc -l </tmp/ptm-us)
	[ "$n" = 20 ] || { fail "$n switches timed, not 20"; return; }
	echo "SMMUBTM-BENCH ptm-window n=$n median_us=$(awk 'NR == 10 || NR == 11 { s += $1 } END { print s / 2 }' /tmp/ptm-us) max_us=$(tail -n 1 /tmp/ptm-us) min_us=$(head -n 1 /tmp/ptm-us)"
}

# make bench: guest instructions per flush (qemu-run --bench-insns boots
# with -icount shift=0, so a nanosecond of the guest's clock is one
# instruction and tlbloop's CPU time is the instructions its loop took,
# whatever the host does). Each tlbloop iteration makes three flushes of
# its range (mprotect read-only, mprotect writable, munmap). Paths, bound
# (a real iommu_sva_bind_device() through /dev/pasid-dma-test0): none (no
# SVA domain), stock (the driver's own SVA path) and btm (smmu_btm with
# ptm=clear-restore); unbound (the test module gives the mm an SVA domain
# of the provider, attached to no device): bare (a notifier that does
# nothing), stock (the SMMU not BTM-active) and btm. 9 rounds each, modes
# interleaved, on one CPU (the other offline) with no transparent huge
# pages. Then one counting round per path with a kprobe event on the
# driver's arm_smmu_cmdq_issue_cmdlist(): the commands and CMD_SYNCs the
# SMMU was really sent. Each loop also marks its start and end on the
# console, which the host timestamps (qemu-run): the host's time per flush,
# emulator and all.
insns_loop() { # MODE-NAME TLBLOOP-MODE ITERS PAGES
	TLBLOOP_MARK=/dev/console tlbloop "$2" "$3" "$4" | sed "s/mode=$2 /mode=$1 /" >>/tmp/insns
}

insns_bound() { # NAME ITERS PAGES [FUNCTION]: tlbloop's dev mode on each path
	case "$1" in
	none) "${4:-insns_loop}" none none "$2" "$3" ;;
	stock)
		insmod /pasid_dma_test.ko || { fail "the PASID DMA test driver did not load"; return 1; }
		"${4:-insns_loop}" stock-bound dev "$2" "$3"
		rmmod pasid_dma_test ;;
	btm)
		insmod /smmu_btm.ko ptm=clear-restore || { fail "insmod ptm=clear-restore failed"; return 1; }
		insmod /pasid_dma_test.ko || { rmmod smmu_btm; fail "the PASID DMA test driver did not load"; return 1; }
		st=$(status_value smmu0.btm_state)
		"${4:-insns_loop}" btm-bound dev "$2" "$3"
		rmmod pasid_dma_test
		rmmod_settled smmu_btm
		[ "$st" = active ] || { fail "btm_state '$st' with ptm=clear-restore"; return 1; } ;;
	esac
}

# The commands and syncs one run of tlbloop queued, from the kprobe event:
# "CMDS SYNCS".
insns_queued() { # TLBLOOP-MODE ITERS PAGES
	t=/sys/kernel/tracing
	: >$t/trace
	echo 1 >$t/events/smmubtm/cmdlist/enable
	tlbloop "$1" "$2" "$3" >/tmp/count-loop || fail "tlbloop $1 failed while counting"
	echo 0 >$t/events/smmubtm/cmdlist/enable
	awk '
	/ cmdlist: / {
		for (f = 1; f <= NF; f++) {
			if ($f ~ /^n=/) cmds += substr($f, 3)
			if ($f ~ /^sync=/) syncs += substr($f, 6) != 0
		}
	}
	END { print cmds + 0, syncs + 0 }' $t/trace
}

# The commands and syncs per flush: a run of ITERS iterations less one of
# none, which leaves the bind's, the unbind's and the exit's own commands
# out.
insns_count() { # MODE-NAME TLBLOOP-MODE ITERS PAGES
	set -- "$1" "$2" "$3" "$4" $(insns_queued "$2" 0 "$4") $(insns_queued "$2" "$3" "$4")
	awk -v mode="$1" -v flushes=$(($3 * 3)) -v pages="$4" -v c0="$5" -v s0="$6" -v c1="$7" -v s1="$8" 'BEGIN {
		printf "SMMUBTM-BENCH insns count pages=%s mode=%s flushes=%d cmds_per_flush=%.2f syncs_per_flush=%.2f around_the_loop=%d+%d\n",
			pages, mode, flushes, (c1 - c0) / flushes, (s1 - s0) / flushes, c0, s0
	}'
}

t_bench_insns() {
	[ ! -e /sys/bus/pci/devices/0001:40:00.0 ] || rescan_expander_ports
	# One CPU: the clock is global, so the other's instructions (a
	# kworker, its timer ticks) would count in this one's CPU time.
	echo 0 >/sys/devices/system/cpu/cpu1/online || fail "CPU 1 did not go offline"
	# 512 pages are a PMD's worth: measure flushes of 512 PTEs, not
	# of one huge page (whether a mapping gets one varies by kernel).
	thp=/sys/kernel/mm/transparent_hugepage/enabled
	thp0=$(sed 's/.*\[\(.*\)\].*/\1/' $thp 2>/dev/null)
	[ ! -w $thp ] || echo never >$thp
	t=/sys/kernel/tracing
	[ -e $t/trace ] || mount -t tracefs nodev $t 2>/dev/null
	case "$ARG_drvgen" in
	*-s1cfg | *-master-cd) args='n=$arg3:s32 sync=$arg4:u8' ;;
	*) args='n=$arg4:s32 sync=$arg5:u8' ;;
	esac
	echo "p:smmubtm/cmdlist arm_smmu_cmdq_issue_cmdlist $args" >>$t/kprobe_events ||
		fail "no kprobe event on arm_smmu_cmdq_issue_cmdlist"
	echo 16384 >$t/buffer_size_kb
	for spec in 1:300 16:100 512:10; do
		pages=${spec%:*} n=${spec#*:}
		: >/tmp/insns
		for r in 1 2 3 4 5 6 7 8 9; do
			for m in none stock btm; do
				insns_bound $m "$n" "$pages" || return
			done
		done
		insmod /smmu_btm_ktest.ko moves=1 provider_stays=1 || { fail "the test module did not load"; return; }
		for r in 1 2 3 4 5 6 7 8 9; do
			for m in bare stock btm; do
				insns_loop "$m-unbound" "$m" "$n" "$pages"
			done
		done
		grep -q 'error=' /tmp/insns && fail "tlbloop: $(grep -m1 'error=' /tmp/insns)"
		sed 's/^/SMMUBTM-BENCH insns round /' /tmp/insns
		awk -v pages="$pages" "$AWK_MEDIAN"'
		{
			for (f = 2; f <= NF; f++) {
				split($f, kv, "=")
				w[kv[1]] = kv[2]
			}
			m = w["mode"]
			if (!(m in nr))
				order[++nm] = m
			v[m, ++nr[m]] = w["cpu_ns"] / w["iters"] / 3
		}
		END {
			for (i = 1; i <= nm; i++) {
				m = order[i]
				lo = hi = v[m, 1]
				for (k = 1; k <= nr[m]; k++) {
					x[k] = v[m, k]
					if (x[k] < lo) lo = x[k]
					if (x[k] > hi) hi = x[k]
				}
				med[m] = median(x, nr[m])
				printf "SMMUBTM-BENCH insns pages=%s mode=%s rounds=%d insns_per_flush=%.0f spread_pct=%.2f\n",
					pages, m, nr[m], med[m], (hi - lo) * 100 / med[m]
			}
			# Each round less the same round of none: drift in
			# the guest between rounds cancels.
			for (i = 1; i <= nm; i++) {
				m = order[i]
				if (m == "none")
					continue
				for (k = 1; k <= nr[m]; k++)
					x[k] = v[m, k] - v["none", k]
				printf "SMMUBTM-BENCH insns pages=%s mode=%s over_none_per_flush=%.0f\n",
					pages, m, median(x, nr[m])
			}
		}' /tmp/insns
		for m in bare stock btm; do
			insns_count "$m-unbound" "$m" 20 "$pages"
		done
		rmmod smmu_btm_ktest
		for m in none stock btm; do
			insns_bound $m 20 "$pages" insns_count || return
		done
	done
	echo "-:smmubtm/cmdlist" >>$t/kprobe_events
	echo 1 >/sys/devices/system/cpu/cpu1/online
	[ ! -w $thp ] || echo "$thp0" >$thp
}

run_bench() {
	if [ "$ARG_bench" = insns ]; then
		run_test bench-insns t_bench_insns
	elif [ "$ARG_bench" = ptm ]; then
		run_test bench-ptm t_bench_ptm
	elif [ "$ARG_bench" = bind ]; then
		run_test bench-bind t_bench_bind
	elif [ "$ARG_bench" = notifier ]; then
		run_test bench-notifier t_bench_notifier
	elif [ "$ARG_bench" = bound ]; then
		run_test bench-bound t_bench_bound
	else
		run_test bench-moves t_bench_moves
	fi
}
