# SPDX-License-Identifier: GPL-2.0
#
# scripts/bench's table of guest instructions per flush: FILE1 and FILE2
# are two boots' "BENCH GEN/MODE insns ..." lines (tests/guest/tests.sh,
# t_bench_insns). Per flush size and path: the median over each boot's
# rounds, how far the second boot's median is from the first's, the
# larger of the two boots' spreads (max - min over the rounds, against the
# median), the instructions more than no SVA domain at all, and the SMMU
# commands and CMD_SYNCs each flush sent (first boot). Then, from the
# host's clock (noisy: the host's load is in it), the first boot's time per
# flush and the emulator's share of it: the time less the row's
# instructions at the none row's host time per instruction. Usage:
#   awk -v gen=GEN [-v md=1] -f insns_table.awk FILE1 FILE2
# md=1 prints the table's rows as Markdown, for doc/performance.md.
function field(name,    f, kv) {
	for (f = 1; f <= NF; f++)
		if (index($f, name "=") == 1) {
			split($f, kv, "=")
			return kv[2]
		}
	return ""
}

FNR == 1 { run++ }
$3 != "insns" || $4 == "round" { next }
$4 == "host" {
	if (run == 1)
		host[field("pages") SUBSEP field("mode")] = field("host_ns_per_flush")
	next
}
$4 == "count" {
	if (run == 1) {
		k = field("pages") SUBSEP field("mode")
		cmds[k] = field("cmds_per_flush")
		syncs[k] = field("syncs_per_flush")
	}
	next
}
{
	p = field("pages")
	m = field("mode")
	k = p SUBSEP m
	if (field("insns_per_flush") != "") {
		if (!(k in seen)) {
			seen[k] = 1
			keys[++nk] = k
		}
		ipf[k, run] = field("insns_per_flush")
		s = field("spread_pct")
		if (s + 0 > spread[k] + 0)
			spread[k] = s
	} else if (field("over_none_per_flush") != "") {
		over[k, run] = field("over_none_per_flush")
	}
}
END {
	if (!nk) {
		printf "FAIL %s --bench-insns: no figures\n", gen
		exit
	}
	fmt = md ? "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" : \
		"%-6s %5s  %-13s %12s %12s %7s %8s %12s %12s %7s %7s %10s %10s\n"
	printf fmt, "kernel", "pages",
		"path", "insns/flush", "second boot", "diff %", "spread %", "over none",
		"second boot", "cmds", "syncs", "host ns", "emulator"
	if (md)
		print "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	worst = 0
	for (i = 1; i <= nk; i++) {
		k = keys[i]
		split(k, pm, SUBSEP)
		a = ipf[k, 1]
		b = ipf[k, 2]
		d = a ? (b - a) * 100 / a : 0
		if (d < 0)
			d = -d
		if (d > worst)
			worst = d
		base = pm[1] SUBSEP "none"
		emu = "-"
		if ((k in host) && (base in host) && ipf[base, 1] > 0)
			emu = sprintf("%.0f", host[k] - a * host[base] / ipf[base, 1])
		printf fmt, gen, pm[1],
			pm[2], a, b == "" ? "-" : b, sprintf("%.2f", d), sprintf("%.2f", spread[k]),
			pm[2] == "none" ? "-" : over[k, 1],
			pm[2] == "none" ? "-" : over[k, 2],
			k in cmds ? cmds[k] : "-", k in syncs ? syncs[k] : "-",
			k in host ? host[k] : "-", emu
	}
	printf "%s: the two boots' instructions per flush differ by %.2f %% at most\n", gen, worst
}
