# SPDX-License-Identifier: GPL-2.0
# The lockdown check (scripts/qemu-run /integrity or /confidentiality, on a
# kernel with the lockdown LSM and a signing key of its own: the 7.2 kit,
# whose modules scripts/kbuild-gen signs with that key). Ubuntu's Secure
# Boot kernels run lockdown=integrity: only signed modules load. The
# control first: the unsigned smmu_btm must be refused by the kernel and
# leave nothing. Then the signed one must load and report under
# integrity; under confidentiality it loads and reports, or refuses in
# one line that names the lockdown, and never half-loads.

# The lockdown the kernel is in: "integrity", "confidentiality" or "none".
lockdown_mode() {
	[ -e /sys/kernel/security/lockdown ] ||
		mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	sed -n 's/.*\[\([a-z]*\)\].*/\1/p' /sys/kernel/security/lockdown 2>/dev/null
}

# Nothing of smmu_btm left: no module, no status directory.
smmu_btm_gone() {
	[ ! -d /sys/module/smmu_btm ] && [ ! -e "$(dirname "$status_file")" ]
}

t_lockdown() {
	mode=$(lockdown_mode)
	want=$(sed -n 's/.*lockdown=\([a-z]*\).*/\1/p' /proc/cmdline)
	[ "$mode" = "$want" ] || { fail "lockdown is '$mode', the command line asked for '$want'"; return; }
	# The control: the kernel itself refuses the unsigned module.
	if insmod /smmu_btm_unsigned.ko 2>/tmp/insmod.err; then
		rmmod smmu_btm
		fail "the unsigned smmu_btm loaded under lockdown=$mode"
		return
	fi
	show "lockdown: $mode; the unsigned smmu_btm refused: $(tr '\n' ' ' </tmp/insmod.err)($(dmesg | grep -m1 'Lockdown:.*unsigned module'))"
	smmu_btm_gone || fail "the refused unsigned smmu_btm left something behind"
	dmesg -c >/dev/null
	if insmod /smmu_btm.ko 2>/tmp/insmod.err; then
		show "lockdown: $mode; the signed smmu_btm loaded: btm_state $(status_value smmu0.btm_state), binding.driver $(status_value binding.driver)"
		[ -n "$(status_value binding.driver)" ] || fail "no status under lockdown=$mode"
		rmmod smmu_btm || fail "rmmod smmu_btm failed under lockdown=$mode"
		return
	fi
	lines=$(dmesg | grep 'smmu_btm: ')
	show "lockdown: $mode; the signed smmu_btm refused: $lines"
	[ "$mode" = confidentiality ] || fail "the signed smmu_btm refused under lockdown=$mode: $(cat /tmp/insmod.err)"
	[ "$(echo "$lines" | grep -c .)" = 1 ] && echo "$lines" | grep -q 'locked down' ||
		fail "the refusal is not one line naming the lockdown: $lines"
	smmu_btm_gone || fail "the refused smmu_btm left something behind"
}
