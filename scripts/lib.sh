# SPDX-License-Identifier: GPL-2.0
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
#   driver generation the module must recognise there.
gen_table() {
	cat <<'TABLE'
6.1	^6\.1\.	bookworm bookworm-security bookworm-updates	6.1-bond
6.6	^6\.6\.	kit:linux-6.6	6.2-6.9-shared-cd
6.12	^6\.12\.	trixie trixie-security bookworm-backports	6.10+-domain
7	^7\.	sid	7.x-invs
TABLE
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
	gen_table | awk -F'\t' -v g="$1" '$1 == g { print $4 }'
}

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
