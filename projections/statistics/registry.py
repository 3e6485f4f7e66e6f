"""Every statistic declared once: its measure, its figures, what each figure is built on.

A ``Measure`` is one query of DOMAIN.md section 4 (outcomes, pending, funnel, experts,
hearings, mediation, compensation, appeals): its title and definition for readers, its
breakdowns, whether the public sees it, and its ``Figure``s in the order results give them.
A figure is a count, or is derived: a rate (``numerator`` / ``denominator`` × 100), a
ratio, a median, percentile or mean of days or money over a count. Its ``basis`` is the
counts public output suppresses it on (a rate: both of its counts). The relations tie
counts that add up, for complementary suppression (projections/statistics/suppression.py).

The statistics functions take their counts, bases and relations from here; the analytics
pages, their CSV, JSON and XLSX downloads, the API and ``medcourt stats`` take their list
of measures, breakdowns, titles and labels from here; the methodology page shows it. Texts
are English message ids marked with ``N_`` for the web's catalogs (web/translations, kk, ru,
en; ``pybabel extract -k N_``): the pages translate them where they show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from projections.statistics.core import AGE_BANDS, BREAKDOWNS


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for translation, translate later"
    """Mark ``message`` for the translation catalogs; it is translated where it is shown."""
    return message


COUNT, RATE, DAYS, MONEY, NUMBER = "count", "rate", "days", "money", "number"
MEDIAN, P90, MEAN, OLDEST, TOTAL, RATIO = "median", "p90", "mean", "oldest", "total", "ratio"


@dataclass(frozen=True)
class Figure:
    """One figure of a measure's groups. ``kind``: how it reads (count, rate, days, money, number);
    ``of``: how a derived figure is computed (rate, ratio, median, p90, mean, oldest, total) from
    ``numerator`` and ``denominator`` (for a median, the count it is the median over);
    ``parts``: a figure that is a dict of counts or amounts (findings, age bands, heads)."""

    name: str
    label: str
    kind: str = COUNT
    of: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    basis: tuple[str, ...] = ()
    parts: bool = False

    @property
    def derived(self) -> bool:
        return bool(self.basis)


Relation = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Measure:
    name: str
    title: str
    summary: str  # one line, for `medcourt stats --help`
    definition: str
    breakdowns: tuple[str, ...]
    figures: tuple[Figure, ...]
    headline: str
    public: bool = True
    relations: tuple[Relation, ...] = field(default=())
    at_a_date: bool = False  # counted at a date (the period's end), not over a period

    @property
    def counts(self) -> tuple[str, ...]:
        """The count figures (and dicts of counts), which public output suppresses cell by cell."""
        return tuple(f.name for f in self.figures if f.kind == COUNT and not f.derived)

    @property
    def basis(self) -> dict[str, tuple[str, ...]]:
        """Each derived figure and the counts it is built on."""
        return {f.name: f.basis for f in self.figures if f.derived}

    def figure(self, name: str) -> Figure:
        for candidate in self.figures:
            if candidate.name == name:
                return candidate
        raise KeyError(f"{self.name} has no figure {name}")


def _count(name: str, label: str, parts: bool = False) -> Figure:
    return Figure(name, label, COUNT, parts=parts)


def _rate(name: str, label: str, numerator: str, denominator: str) -> Figure:
    return Figure(name, label, RATE, RATE, numerator, denominator, (numerator, denominator))


def _of(name: str, label: str, of: str, over: str, kind: str = DAYS, numerator: str | None = None) -> Figure:
    return Figure(name, label, kind, of, numerator, over, (over,))


PENDING_BREAKDOWNS: tuple[str, ...] = ("track", "court", "specialty", "judge")
EXPERT_BREAKDOWNS: tuple[str, ...] = ("track", "court", "specialty", "year", "month", "judge", "expert")
HEARING_BREAKDOWNS: tuple[str, ...] = ("track", "court", "specialty", "year", "month", "judge")
MEDIATION_BREAKDOWNS: tuple[str, ...] = ("track", "court", "specialty", "year", "month", "judge", "mediator")
COMPENSATION_BREAKDOWNS: tuple[str, ...] = ("track", "court", "specialty", "year", "month", "judge", "finding")
APPEAL_BREAKDOWNS: tuple[str, ...] = ("track", "court", "specialty", "year", "month", "judge", "finding")
FUNNEL_BREAKDOWNS: tuple[str, ...] = ("track", "court", "specialty", "year", "month", "judge")
CHANGED_ON_APPEAL: tuple[str, ...] = ("reversed", "modified", "remanded")

OUTCOMES = Measure(
    "outcomes", N_("Outcomes"), "incoming, resolved, clearance, liability, findings, time to disposition, pending, CEPEJ disposition time",
    N_("Incoming: cases received in the period plus reopenings dated in it. Resolved: rulings decided in the period (a reopened "
       "case can be resolved again). Clearance rate: resolved / incoming × 100. Liability rate: rulings finding liability / merits "
       "rulings (liability found or no liability). Time to disposition: days from receipt to the case's first ruling, for first "
       "rulings in the period: median, 90th percentile (nearest rank) and the share within 60 days. Pending at end: cases received "
       "by the last day of the period without a ruling after their latest (re)opening. Disposition time (CEPEJ): days in the period "
       "× pending at its end / resolved in it."),
    BREAKDOWNS,
    (
        _count("incoming", N_("Incoming")), _count("filed", N_("Filed")), _count("reopened", N_("Reopened")),
        _count("resolved", N_("Resolved")), _rate("clearance_rate", N_("Clearance rate"), "resolved", "incoming"),
        _count("merits", N_("Merits rulings")), _count("liability_found", N_("Liability found")), _count("no_liability", N_("No liability")),
        _rate("liability_rate", N_("Liability rate"), "liability_found", "merits"),
        _count("findings", N_("Findings"), parts=True), _count("dispositions", N_("Dispositions"), parts=True),
        _count("first_rulings", N_("First rulings")),
        _of("median_days_to_disposition", N_("Median days to disposition"), MEDIAN, "first_rulings"),
        _of("p90_days_to_disposition", N_("90th percentile days"), P90, "first_rulings"),
        _count("first_rulings_within_60_days", N_("First rulings within 60 days")),
        _rate("share_within_60_days", N_("Within 60 days"), "first_rulings_within_60_days", "first_rulings"),
        _count("pending_at_end", N_("Pending at end")),
        Figure("disposition_time_days", N_("Disposition time (CEPEJ, days)"), DAYS, RATIO, "pending_at_end", "resolved", ("pending_at_end", "resolved")),
    ),
    "clearance_rate",
    relations=(
        ("incoming", ("filed", "reopened")),
        ("merits", ("liability_found", "no_liability")),
        ("merits", ("findings.*",)),
        ("resolved", ("dispositions.*",)),
        ("liability_found", ("dispositions.liability_found",)),
        ("no_liability", ("dispositions.no_liability",)),
    ),
)

PENDING = Measure(
    "pending", N_("Pending caseload"), "the pending caseload at a date and its age (CourTools 4)",
    N_("The cases pending at the end of the last day of the period, and their age: that day minus the day the case was received, "
       "in bands of 0–30, 31–60, 61–90, 91–180, 181–365 and more than 365 days (CourTools measure 4)."),
    PENDING_BREAKDOWNS,
    (
        _count("pending", N_("Pending")), _count("age_bands", N_("Age bands"), parts=True),
        _of("median_age_days", N_("Median age (days)"), MEDIAN, "pending"),
        _of("p90_age_days", N_("90th percentile age (days)"), P90, "pending"),
        _of("oldest_age_days", N_("Oldest (days)"), OLDEST, "pending"),
    ),
    "pending",
    relations=(("pending", ("age_bands.*",)),),
    at_a_date=True,
)

FUNNEL = Measure(
    "funnel", N_("From claim to liability"), "filed -> standard of care not met -> malpractice -> liability",
    N_("Cases received in the period, followed to the end of the period: filed → an expert report found the standard of care not "
       "met (wholly or partly) → a ruling found malpractice → liability found. Each stage counts the cases of the stage before it."),
    FUNNEL_BREAKDOWNS,
    (
        _count("filed", N_("Filed")), _count("care_not_met", N_("Standard of care not met")),
        _rate("care_not_met_rate", N_("Share of filed"), "care_not_met", "filed"),
        _count("malpractice", N_("Malpractice found")), _rate("malpractice_rate", N_("Share of care not met"), "malpractice", "care_not_met"),
        _count("liability_found", N_("Liability found")), _rate("liability_rate", N_("Liability rate"), "liability_found", "malpractice"),
    ),
    "liability_found",
)

EXPERTS = Measure(
    "experts", N_("Expert examinations"), "expert examinations: turnaround and overdue reports",
    N_("Expert examinations ordered in the period; reports received in it, with their turnaround (days from the order to the "
       "report: median, mean, 90th percentile); reports received after their due date; examinations still without a report and "
       "past their due date at the end of the period. Overdue is both."),
    EXPERT_BREAKDOWNS,
    (
        _count("ordered", N_("Ordered")), _count("reported", N_("Reported")),
        _of("median_turnaround_days", N_("Median turnaround (days)"), MEDIAN, "reported"),
        _of("mean_turnaround_days", N_("Mean turnaround (days)"), MEAN, "reported"),
        _of("p90_turnaround_days", N_("90th percentile turnaround (days)"), P90, "reported"),
        _count("reported_late", N_("Reported late")), _rate("late_rate", N_("Late share"), "reported_late", "reported"),
        _count("missing_overdue_at_end", N_("Missing, past due")), _count("overdue", N_("Overdue")),
    ),
    "late_rate",
    public=False,
    relations=(("overdue", ("reported_late", "missing_overdue_at_end")),),
)

HEARINGS = Measure(
    "hearings", N_("Trial date certainty"), "trial date certainty: hearings held at their first scheduled time, reschedulings",
    N_("Hearings dated in the period. Trial date certainty: the share of held hearings held at the time first scheduled (CourTools "
       "measure 5); reschedulings per held hearing."),
    HEARING_BREAKDOWNS,
    (
        _count("held", N_("Held")), _count("held_as_first_scheduled", N_("Held as first scheduled")),
        _rate("date_certainty_rate", N_("Trial date certainty"), "held_as_first_scheduled", "held"),
        _count("reschedulings", N_("Reschedulings")),
        Figure("mean_reschedulings", N_("Reschedulings per held hearing"), NUMBER, RATIO, "reschedulings", "held", ("reschedulings", "held")),
        _count("cancelled", N_("Cancelled")),
    ),
    "date_certainty_rate",
    public=False,
)

MEDIATION = Measure(
    "mediation", N_("Mediation"), "mediation referrals, outcomes and success rate",
    N_("Referrals to mediation (and reconciliation in criminal cases) in the period, mediations concluded in it and their outcome. "
       "Success rate: settled / concluded."),
    MEDIATION_BREAKDOWNS,
    (
        _count("referred", N_("Referred")), _count("concluded", N_("Concluded")), _count("outcomes", N_("Outcomes"), parts=True),
        _rate("success_rate", N_("Success rate"), "outcomes.settled", "concluded"),
        _of("median_days_to_conclusion", N_("Median days to conclusion"), MEDIAN, "concluded"),
    ),
    "success_rate",
    relations=(("concluded", ("outcomes.*",)),),
)

COMPENSATION = Measure(
    "compensation", N_("Compensation"), "claimed, awarded and payable compensation per head; median award",
    N_("Merits rulings of the period on claims for compensation: the amounts claimed, awarded and payable per head (payable is "
       "awarded less the claimant's contributory fault). A case's claim counts once, with its first merits ruling in the period, "
       "however often it is ruled on. No-fault insurer compensation is its own head, in merits rulings and approved settlements."),
    COMPENSATION_BREAKDOWNS,
    (
        _count("rulings", N_("Rulings")), _count("claims", N_("Claims counted")), _count("rulings_with_award", N_("Rulings with an award")),
        Figure("claimed", N_("Claimed"), MONEY, TOTAL, None, "claims", ("claims",), parts=True),
        Figure("awarded", N_("Awarded"), MONEY, TOTAL, None, "rulings", ("rulings", "rulings_with_award"), parts=True),
        Figure("payable", N_("Payable"), MONEY, TOTAL, None, "rulings", ("rulings", "rulings_with_award"), parts=True),
        Figure("award_to_claim_rate", N_("Awarded of claimed"), RATE, RATE, "awarded.total", "claimed.total", ("claims", "rulings_with_award")),
        _of("median_award", N_("Median award"), MEDIAN, "rulings_with_award", MONEY),
        _count("rulings_with_insurer_compensation", N_("Rulings with insurer compensation")),
        Figure("insurer_compensation", N_("Insurer compensation"), MONEY, TOTAL, None, "rulings_with_insurer_compensation",
               ("rulings_with_insurer_compensation",)),
    ),
    "award_to_claim_rate",
)

APPEALS = Measure(
    "appeals", N_("Appeals"), "appeal rate and reversal rate",
    N_("Appeal rate: appeals filed in the period / rulings given in it. Reversal rate: appeals decided in the period with the ruling "
       "reversed, modified or remanded / appeals decided in it. Appeals count with the ruling appealed against."),
    APPEAL_BREAKDOWNS,
    (
        _count("rulings", N_("Rulings")), _count("appeals_filed", N_("Appeals filed")),
        _rate("appeal_rate", N_("Appeal rate"), "appeals_filed", "rulings"),
        _count("appeals_decided", N_("Appeals decided")), _count("outcomes", N_("Outcomes"), parts=True),
        _count("appeals_changed", N_("Reversed, modified or remanded")),
        _rate("reversal_rate", N_("Reversal rate"), "appeals_changed", "appeals_decided"),
    ),
    "reversal_rate",
    relations=(
        ("appeals_decided", ("outcomes.*",)),
        ("appeals_decided", ("outcomes.upheld", "appeals_changed")),
        ("appeals_changed", tuple(f"outcomes.{outcome}" for outcome in CHANGED_ON_APPEAL)),
    ),
)

REGISTRY: dict[str, Measure] = {m.name: m for m in (OUTCOMES, PENDING, FUNNEL, EXPERTS, HEARINGS, MEDIATION, COMPENSATION, APPEALS)}
"""Every measure by name, in the order pages list them."""

MEASURE_NAMES: tuple[str, ...] = tuple(REGISTRY)
PUBLIC_MEASURE_NAMES: tuple[str, ...] = tuple(name for name, m in REGISTRY.items() if m.public)
AGE_BAND_NAMES: tuple[str, ...] = tuple(band for band, _low, _high in AGE_BANDS)

GENERAL: tuple[str, ...] = (
    N_("A period is a closed range of dates; dates are court-local (Asia/Almaty); days are calendar days."),
    N_("Rates are percentages from 0 to 100, rounded to two places. A figure whose denominator is zero is shown as n/a, never as 0."),
    N_("Breakdowns by year or month split the period at calendar boundaries and compute every figure for each part. A ruling counts "
       "for the judge who gave it, an examination for the judge who ordered it, a hearing for the judge it was booked for, anything "
       "else for the case's current judge."),
    N_("Analysts see exact figures, sealed cases included. Public statistics cover one whole calendar quarter or one whole calendar "
       "year, never months or judges; every count from 1 to 4 is shown as \"<5\", and every rate, median or amount built on a count "
       "from 1 to 4 as \"suppressed\", as is any further count from which a hidden one could be worked out."),
)
"""What holds for every measure (the methodology page's first list)."""
