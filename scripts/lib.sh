# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared shell helpers for the smmu-btm scripts: cache location, generation
# table, messages. Sourced, never run.

SMMU_BTM_CACHE=${SMMU_BTM_CACHE:-$HOME/.cache/smmu-btm}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
	echo "smmu-btm: error: $*" >&2
	exit 1
}

note() {
	echo "smmu-btm: $*"
}

# The kernel generations the project tests. One line each, tab-separated:
#   id, version regex, suites to search (the newest version found in any of
#   them wins) or "kit:NAME" for a kernel kit in ../shared/kits/NAME, the
#   driver generation the module must recognise there, the guest's timeout
#   in seconds (debug kernels under TCG are slow), the QEMU runs made of
#   it in `make check` (MODE[+BOARD][/light][/kpti][/sva][/devices][/acpi], scripts/qemu-run),
#   and the runs only SMMU_BTM_FULL=1 adds. `make check` is the run CI makes
#   and stays under 30 minutes on a warm cache: every generation but
#   Debian's 7.x (the 7.2 kit has its driver shape, with SVA; 7.x runs in
#   the full run) on the project's BTM board at EL2 (the VHE host BTM is
#   for), with the full guest tests; the negative control (the broken
#   board) on the 6.14 and 7.2 kits at EL2 (6.6's and 6.8's, and 6.14's at
#   EL1, in the full run) and the LPA2 CPU where a kernel
#   uses LPA2 (52-bit VA with 4 KB pages); 6.1 also at EL1 on QEMU's stock
#   SMMU; the 6.13+ shape (6.14) at EL1 too, its SVA tests (/sva). The 64K debug kernel
#   (KASAN, kmemleak, lockdep, fault injection: every test runs four to
#   ten times slower, its EL2 run alone about 14 minutes) is left to
#   SMMU_BTM_FULL=1 (make check-full, about an hour), which also adds the
#   EL1 runs of every kernel, the broken board at EL1 and full stress
#   counts everywhere. /light leaves out the stress tests that do not
#   depend on the exception level, which the same kernel's EL2 run has
#   (LIGHT_SKIP). /kpti boots with kpti=1 (Kunpeng 920's default) and runs
#   only the SVA tests, on 6.8 and 7.2 at EL2 and 7.2's broken board (6.8's
#   in the full run). /sva runs only the SVA tests. The variants board (one
#   SMMU per way a board loses broadcasts) runs the table of hunts on 6.8
#   and 7.2 at EL2; the full run adds 6.6 and 6.14 at EL2 and 6.8 at EL1.
#   The 64K debug kernel runs only its device-class tests in make check
#   (/devices: the stall and ATS masters, moves under ATS; about 45 s).
#   /acpi boots the btm board through UEFI firmware with ACPI, where a
#   kernel before 6.11 gets ATS (6.6 and 6.8 at EL2; the full run adds
#   6.6 at EL1).
#   /integrity and /confidentiality boot the 7.2 kit under that lockdown, its modules
#   signed with its own key (scripts/kbuild-gen). A generation with no
#   run in make check is built only by the full run's matrix.
#   SMMU_BTM_GENERATIONS names a file that replaces this table (the
#   refusal tests use it).
gen_table() {
	if [ -n "${SMMU_BTM_GENERATIONS:-}" ]; then
		cat "$SMMU_BTM_GENERATIONS"
		return
	fi
	cat <<'TABLE'
6.1	^6\.1\.	bookworm bookworm-security bookworm-updates	6.1-bond	300	el1 el2+btm	
6.6	^6\.6\.	kit:linux-6.6	6.2-6.6-s1cfg	900	el2+btm el2+btm/acpi	el2+broken el1+btm el1+btm/acpi el1+broken el2+variants
6.8	^6\.8\.	kit:linux-6.8	6.7-6.8-master-cd	900	el2+btm el2+btm/acpi el2+btm/kpti el2+variants	el2+broken el2+broken/kpti el1+btm el1+broken el1+variants
6.12	^6\.12\.	trixie trixie-security bookworm-backports	6.10-6.12-domain	300	el2+btm el1-lpa2/light	el1
6.14	^6\.14\.	kit:linux-6.14	6.13-6.19-replace	900	el2+btm el2+broken el1+btm/sva	el1+broken el2+variants
6.12-64k	^6\.12\.	kit:linux-6.12-64k	6.10-6.12-domain	1800	el2+btm/devices	el2+btm el1+btm el1+broken el2+broken
7	^7\.	sid	7.x-invs	300		el2+btm el1 el1-lpa2
7.2	^7\.2\.	kit:linux-7.2	7.x-invs	900	el2+btm el2+variants el2+broken el1+btm/light el2+btm/kpti el2+broken/kpti el2+btm/integrity el2+btm/confidentiality	el1+broken
TABLE
}

# gen_field GEN COLUMN: one column of GEN's row in the table.
gen_field() {
	gen_table | awk -F'\t' -v g="$1" -v c="$2" '$1 == g { print $c }'
}

# The Debian suites the generations come from (kits excluded).
gen_suites() {
	gen_table | cut -f3 | tr ' ' '\n' | grep -v '^kit:' | sort -u
}

# Where the shared kits are: SMMU_BTM_SHARED, else ../shared beside the tree.
shared_dir() {
	echo "${SMMU_BTM_SHARED:-$(cd "$TOP/.." && pwd)/shared}"
}

# gen_driver GEN: the driver generation expected for GEN.
gen_driver() {
	gen_field "$1" 4
}

# gen_timeout GEN: seconds a guest test run of GEN may take.
gen_timeout() {
	gen_field "$1" 5
}

# gen_modes GEN: the QEMU modes GEN is tested in.
gen_modes() {
	if [ "${SMMU_BTM_FULL:-0}" = 1 ]; then
		echo "$(gen_field "$1" 6 | sed 's,/light,,g; s,/sva,,g; s,[^ ]*/devices,,g') $(gen_field "$1" 7)"
	else
		gen_field "$1" 6
	fi
}

# The guest tests a /light run leaves out: they exercise loads, unloads,
# moves and device removal, not anything the exception level changes.
# shellcheck disable=SC2034 # used by qemu-run, which sources this file
LIGHT_SKIP=unload-under-binds,moves-racing-rescan,provider-remove-rescan,failed-load-leaves-nothing,moves-under-dma,moves-under-ats

gen_ids() {
	gen_table | cut -f1
}

gen_dir() {
	echo "$SMMU_BTM_CACHE/gen/$1"
}

# Load the manifest setup wrote for generation $1 into the caller's
# variables: KREL VERSION SUITE CCNAME BUILD (host|chroot) CHROOT KDIR IMAGE
# MODROOT. Fails with a clear line when setup has not been run.
gen_load() {
	local m
	m="$(gen_dir "$1")/manifest"
	[ -f "$m" ] || die "generation $1 is not in the cache ($SMMU_BTM_CACHE): run scripts/setup (as root) first"
	# shellcheck disable=SC1090
	. "$m"
}

cached_gens() {
	local g
	for g in $(gen_ids); do
		if [ -f "$(gen_dir "$g")/manifest" ]; then
			echo "$g"
		fi
	done
}

# The QEMU every guest run uses: the project's own build (scripts/build-qemu,
# with the SMMU's substreams, BTM and the PASID test device), from the cache.
# SMMU_BTM_QEMU overrides it.
qemu_bin() {
	local own=$SMMU_BTM_CACHE/qemu/bin/qemu-system-aarch64
	if [ -n "${SMMU_BTM_QEMU:-}" ]; then
		echo "$SMMU_BTM_QEMU"
	elif [ -x "$own" ]; then
		echo "$own"
	else
		return 1
	fi
}
