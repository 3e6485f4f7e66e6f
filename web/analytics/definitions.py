"""What every statistic means, for readers: the methodology page (``/public/statistics/methodology``).

Each measure is declared once here with its reader's definition (kk, ru, en through Flask-Babel);
its figures, their labels and what each rate or median is built on (its numerator and
denominator, which public output suppresses it on) come from ``projections.statistics`` and
``web.analytics.tables``, the same declarations the pages, downloads, API and ``medcourt stats``
use, so the page cannot drift from the figures it explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from projections import statistics as stats
from web.analytics.tables import figure_label


@dataclass(frozen=True)
class MeasureDefinition:
    name: str
    definition: Any  # a lazy translation
    counts: tuple[str, ...]
    basis: dict[str, tuple[str, ...]]


MEASURES: tuple[MeasureDefinition, ...] = (
    MeasureDefinition("outcomes", _l(
        "Incoming: cases received in the period plus reopenings dated in it. Resolved: rulings decided in the period (a reopened "
        "case can be resolved again). Clearance rate: resolved / incoming × 100. Liability rate: rulings finding liability / merits "
        "rulings (liability found or no liability). Time to disposition: days from receipt to the case's first ruling, for first "
        "rulings in the period: median, 90th percentile (nearest rank) and the share within 60 days. Pending at end: cases received "
        "by the last day of the period without a ruling after their latest (re)opening. Disposition time (CEPEJ): days in the period "
        "× pending at its end / resolved in it."), stats.OUTCOME_COUNTS, stats.OUTCOME_BASIS),
    MeasureDefinition("pending", _l(
        "The cases pending at the end of the last day of the period, and their age: that day minus the day the case was received, "
        "in bands of 0–30, 31–60, 61–90, 91–180, 181–365 and more than 365 days (CourTools measure 4)."),
        stats.PENDING_COUNTS, stats.PENDING_BASIS),
    MeasureDefinition("funnel", _l(
        "Cases received in the period, followed to the end of the period: filed → an expert report found the standard of care not "
        "met (wholly or partly) → a ruling found malpractice → liability found. Each stage counts the cases of the stage before it."),
        stats.FUNNEL_COUNTS, stats.FUNNEL_BASIS),
    MeasureDefinition("experts", _l(
        "Expert examinations ordered in the period; reports received in it, with their turnaround (days from the order to the "
        "report: median, mean, 90th percentile); reports received after their due date; examinations still without a report and "
        "past their due date at the end of the period. Overdue is both."), stats.EXPERT_COUNTS, stats.EXPERT_BASIS),
    MeasureDefinition("hearings", _l(
        "Hearings dated in the period. Trial date certainty: the share of held hearings held at the time first scheduled (CourTools "
        "measure 5); reschedulings per held hearing."), stats.HEARING_COUNTS, stats.HEARING_BASIS),
    MeasureDefinition("mediation", _l(
        "Referrals to mediation (and reconciliation in criminal cases) in the period, mediations concluded in it and their outcome. "
        "Success rate: settled / concluded."), stats.MEDIATION_COUNTS, stats.MEDIATION_BASIS),
    MeasureDefinition("compensation", _l(
        "Merits rulings of the period on claims for compensation: the amounts claimed, awarded and payable per head (payable is "
        "awarded less the claimant's contributory fault). A case's claim counts once, with its first merits ruling in the period, "
        "however often it is ruled on. No-fault insurer compensation is its own head, in merits rulings and approved settlements."),
        stats.COMPENSATION_COUNTS, stats.COMPENSATION_BASIS),
    MeasureDefinition("appeals", _l(
        "Appeal rate: appeals filed in the period / rulings given in it. Reversal rate: appeals decided in the period with the ruling "
        "reversed, modified or remanded / appeals decided in it. Appeals count with the ruling appealed against."),
        stats.APPEAL_COUNTS, stats.APPEAL_BASIS),
)

GENERAL = (
    _l("A period is a closed range of dates; dates are court-local (Asia/Almaty); days are calendar days."),
    _l("Rates are percentages from 0 to 100, rounded to two places. A figure whose denominator is zero is shown as n/a, never as 0."),
    _l("Breakdowns by year or month split the period at calendar boundaries and compute every figure for each part. A ruling counts "
       "for the judge who gave it, an examination for the judge who ordered it, a hearing for the judge it was booked for, anything "
       "else for the case's current judge."),
    _l("Analysts see exact figures, sealed cases included. Public statistics cover one whole calendar quarter or one whole calendar "
       "year, never months or judges; every count from 1 to 4 is shown as \"<5\", and every rate, median or amount built on a count "
       "from 1 to 4 as \"suppressed\", as is any further count from which a hidden one could be worked out."),
)


def measure_figures(measure: MeasureDefinition) -> list[dict[str, str]]:
    """The figures of a measure, each with its label and what public output suppresses it on."""
    rows = []
    for name in measure.counts:
        rows.append({"name": name, "label": figure_label(name), "basis": ""})
    for name, basis in measure.basis.items():
        rows.append({"name": name, "label": figure_label(name), "basis": ", ".join(figure_label(path.replace(".*", "")) for path in basis)})
    return rows
