// SPDX-License-Identifier: GPL-2.0
/*
 * Host model of a move on a 6.2 to 6.9 driver, where a stage-1 domain's
 * masters share its one CD table and the driver attaches and detaches a
 * master without the ASID mutex a move holds: attach installs the master's
 * STE (pointing at the domain's table) and only then adds the master to
 * the domain's list; detach takes it off the list, then installs an abort
 * STE. The SMMU caches a stream's CD when it first translates through the
 * STE and keeps it until a CMD_CFGI (an STE's CFGI drops the stream's
 * cached CDs too). The move rewrites the table's CD to the new ASID b,
 * invalidates cached CDs, then TLBIs the old ASID a and hands a over: from
 * then on no stream may still translate through a CD cached on a.
 *
 * Every interleaving of one master's attach (or detach) with the move's
 * steps is run, with the move invalidating as the driver's CD writer does
 * (CMD_CFGI_CD for the masters on the list: 570b0c8) and as the module
 * now does (that, then CMD_CFGI_ALL). The first must be caught, the second
 * never. Output: "PASS cd-cache/<case>" or "FAIL cd-cache/<case>: why".
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define A	1	/* the domain's ASID before the move */
#define B	2	/* after */

enum master_step { STE_TO_DOMAIN, LIST_ADD, LIST_DEL, STE_ABORT };

struct smmu {
	unsigned int cd_asid;	/* the table's CD 0, in memory */
	bool ste_to_domain;	/* the master's STE points at the table */
	bool listed;		/* on the domain's list of masters */
	bool cached;		/* the SMMU holds the master's CD */
	unsigned int cached_asid;
};

/* The SMMU translates for the master whenever its STE allows. */
static void translate(struct smmu *s)
{
	if (s->ste_to_domain && !s->cached) {
		s->cached = true;
		s->cached_asid = s->cd_asid;
	}
}

static void master_step(struct smmu *s, enum master_step step)
{
	switch (step) {
	case STE_TO_DOMAIN:
		s->ste_to_domain = true;
		s->cached = false;	/* the STE's CFGI */
		break;
	case LIST_ADD:
		s->listed = true;
		break;
	case LIST_DEL:
		s->listed = false;
		break;
	case STE_ABORT:
		s->ste_to_domain = false;
		s->cached = false;
		break;
	}
	translate(s);
}

/*
 * Move step @i: 0 writes the CD, 1 invalidates cached CDs (those of listed
 * masters, and with @cfgi_all every one), 2 TLBIs a and hands it over.
 * Returns false when, after the hand-over, the master still translates
 * through a CD cached on a.
 */
static bool move_step(struct smmu *s, unsigned int i, bool cfgi_all)
{
	switch (i) {
	case 0:
		s->cd_asid = B;
		break;
	case 1:
		if (s->listed || cfgi_all)
			s->cached = false;
		break;
	}
	translate(s);
	return i < 2 || !(s->ste_to_domain && s->cached && s->cached_asid == A);
}

/*
 * The master's two steps @m0, @m1 go before move steps @p0 <= @p1 (3:
 * after the move); true when the hand-over and everything after it is
 * clean.
 */
static bool run(enum master_step m0, enum master_step m1, bool attached,
		unsigned int p0, unsigned int p1, bool cfgi_all)
{
	struct smmu s = { .cd_asid = A, .ste_to_domain = attached,
			  .listed = attached };
	bool ok = true;
	unsigned int i;

	translate(&s);
	for (i = 0; i <= 3; i++) {
		if (i == p0)
			master_step(&s, m0);
		if (i == p1)
			master_step(&s, m1);
		if (i < 3)
			ok &= move_step(&s, i, cfgi_all);
		else
			ok &= !(s.ste_to_domain && s.cached && s.cached_asid == A);
	}
	return ok;
}

/* Every interleaving; the first bad one is named in @why. */
static bool all(bool attach, bool cfgi_all, char *why, size_t len)
{
	enum master_step m0 = attach ? STE_TO_DOMAIN : LIST_DEL;
	enum master_step m1 = attach ? LIST_ADD : STE_ABORT;
	unsigned int p0, p1;

	for (p0 = 0; p0 <= 3; p0++)
		for (p1 = p0; p1 <= 3; p1++)
			if (!run(m0, m1, !attach, p0, p1, cfgi_all)) {
				snprintf(why, len, "%s before move step %u, %s before move step %u: the master still translates through a CD cached on the old ASID once it is handed over",
					 attach ? "STE installed" : "taken off the list",
					 p0, attach ? "listed" : "STE aborted", p1);
				return false;
			}
	return true;
}

int main(void)
{
	unsigned int passed = 0, failed = 0, i;
	char why[256];
	static const struct {
		const char *name;
		bool attach;
		bool cfgi_all;
		bool want_ok;
	} cases[] = {
		{ "attach-during-move", true, true, true },
		{ "detach-during-move", false, true, true },
		{ "570b0c8-attach-caught", true, false, false },
		{ "570b0c8-detach-caught", false, false, false },
	};

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = all(cases[i].attach, cases[i].cfgi_all, why,
			      sizeof(why));

		if (ok == cases[i].want_ok) {
			printf("PASS cd-cache/%s%s%s\n", cases[i].name,
			       ok ? "" : ": ", ok ? "" : why);
			passed++;
		} else {
			printf("FAIL cd-cache/%s: %s\n", cases[i].name,
			       ok ? "no interleaving caught" : why);
			failed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
