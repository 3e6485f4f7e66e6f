"""What every statistic means, for readers: the methodology page (``/public/statistics/methodology``).

Nothing is declared here: each measure's definition, its figures, their labels, how each
derived figure is computed (numerator and denominator) and what public output suppresses it
on come from the statistics registry (``projections.statistics.registry``), the declarations
the pages, downloads, API and ``medcourt stats`` use, so the page cannot drift from the
figures it explains. This module only words them in the reader's language (kk, ru, en).
"""

from __future__ import annotations

from flask_babel import gettext as _

from projections import statistics as stats
from projections.statistics.registry import MEAN, MEDIAN, OLDEST, P90, RATE, RATIO, TOTAL, Figure, Measure
from web.analytics.tables import figure_label

MEASURES: tuple[Measure, ...] = tuple(stats.REGISTRY.values())


def general() -> list[str]:
    """What holds for every measure, translated."""
    return [_(rule) for rule in stats.GENERAL]


def definition(measure: Measure) -> str:
    return _(measure.definition)


def _name(path: str | None) -> str:
    return figure_label(path.replace(".*", "")) if path else ""


def formula(figure: Figure) -> str:
    """How a figure is computed, in words: a count is counted; a rate is its numerator over its denominator..."""
    numerator, denominator = _name(figure.numerator), _name(figure.denominator)
    if figure.of == RATE:
        return _("%(numerator)s / %(denominator)s × 100", numerator=numerator, denominator=denominator)
    if figure.of == RATIO:
        if figure.name == "disposition_time_days":
            return _("days in the period × %(numerator)s / %(denominator)s", numerator=numerator, denominator=denominator)
        return _("%(numerator)s / %(denominator)s", numerator=numerator, denominator=denominator)
    if figure.of == MEDIAN:
        return _("median over %(count)s", count=denominator)
    if figure.of == P90:
        return _("90th percentile (nearest rank) over %(count)s", count=denominator)
    if figure.of == MEAN:
        return _("mean over %(count)s", count=denominator)
    if figure.of == OLDEST:
        return _("largest over %(count)s", count=denominator)
    if figure.of == TOTAL:
        return _("sum over %(count)s", count=denominator)
    return _("a count")


def measure_figures(measure: Measure) -> list[dict[str, str]]:
    """The figures of a measure, each with its label, how it is computed and what public output suppresses it on."""
    return [
        {"name": figure.name, "label": figure_label(figure.name), "formula": formula(figure),
         "basis": ", ".join(_name(path) for path in figure.basis)}
        for figure in measure.figures
    ]
