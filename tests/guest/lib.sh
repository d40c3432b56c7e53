# SPDX-License-Identifier: GPL-2.0
# Guest test helpers (busybox sh). Each test is a shell function that
# returns 0 for pass; what it prints to FAIL_WHY explains a failure.

PASSED=0
FAILED=0

# selected NAME: whether the harness asked for this test (--only).
selected() {
	case ",${ARG_skip:-none}," in
	*",$1,"*) return 1 ;;
	esac
	case ",${ARG_only:-all}," in
	*,all,* | *",$1,"*) return 0 ;;
	esac
	return 1
}

# run_test NAME FUNCTION: run one test and report it in the harness format.
# A test fails when it returns non-zero or when any fail() ran in it, even
# if a later command of the test succeeded. Tests --only left out are not run.
run_test() {
	selected "$1" || return 0
	FAIL_WHY=
	t0=$(cut -d' ' -f1 /proc/uptime)
	if "$2" && [ -z "$FAIL_WHY" ]; then
		PASSED=$((PASSED + 1))
		echo "SMMUBTM-TEST $1 PASS"
	else
		FAILED=$((FAILED + 1))
		echo "SMMUBTM-TEST $1 FAIL ${FAIL_WHY:-(no reason given)}"
	fi
	# What each test costs the run (the budget of make check)
	echo "SMMUBTM-TIME $1 $(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime)"
}

# show TEXT: a line of evidence the harness repeats in its own output
# (make check's log), not only in the serial log.
show() {
	echo "SMMUBTM-SHOW $*"
}

# report NAME PASS|FAIL [WHY]: a result found by other means than a test
# function (the in-guest test module's checks).
report() {
	name=$1
	result=$2
	shift 2
	if [ "$result" = PASS ]; then
		PASSED=$((PASSED + 1))
		echo "SMMUBTM-TEST $name PASS"
	else
		FAILED=$((FAILED + 1))
		echo "SMMUBTM-TEST $name FAIL ${*:-(no reason given)}"
	fi
}

# fail WHY: record why the running test failed (the first reason is kept).
fail() {
	[ -n "$FAIL_WHY" ] || FAIL_WHY="$*"
	return 1
}

# The PCI device behind /dev/vda, by its sysfs path.
# rmmod MODULE, retried for up to 5 s while it is busy: an SVA domain's
# last reference on its module goes only after the notifier's SRCU grace
# period, which ends shortly after the bound process exits; busybox rmmod
# does not wait (O_NONBLOCK). A reference that never goes still fails.
# Its counter has a name of its own: a caller's $i survives it.
rmmod_settled() {
	rmmod_tries=0
	until rmmod "$1" 2>/dev/null; do
		rmmod_tries=$((rmmod_tries + 1))
		[ $rmmod_tries -lt 50 ] || { rmmod "$1"; return; }
		sleep 0.1
	done
}

vda_pci_dev() {
	readlink -f /sys/block/vda/device/..
}

# md5 of a whole disk (/dev/vda unless given), read through the SMMU after
# dropping the caches.
disk_md5() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	md5sum "${1:-/dev/vda}" | cut -d' ' -f1
}

status_file=/sys/kernel/debug/smmu_btm/status

# status_value KEY: the value of "KEY: value" in the status file.
status_value() {
	sed -n "s/^$1: //p" "$status_file"
}
