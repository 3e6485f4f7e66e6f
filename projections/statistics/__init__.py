"""The court's statistics (DOMAIN.md section 4), from the statistics projection's pre-aggregated facts.

Every function takes an open SQLAlchemy ``Connection`` to the read models, a period (a
closed range of court-local dates) or a date, and keywords: ``by`` (a breakdown),
``filters`` (which rows count: ``Filters`` or a mapping of ``court``, ``track``,
``specialty``, ``judge``) and ``public``. It returns a plain dict ``{"measure", "from",
"to", "by", "filters", "public", "groups": [...]}``; each group has its ``key`` (``"all"``
without a breakdown) and the measure's figures, read from the statistics projection's facts
(projections/outcome_facts.py, projections/section_facts.py): counts are sums of them, and
medians, percentiles and means are exact order statistics of their day (or amount) counts,
ranked in the database (``facts.summaries``). What each figure is built on is declared once,
in ``registry``.

Definitions, where DOMAIN.md leaves a choice:

- Rates are percentages rounded to 2 places; a rate or mean whose denominator is zero is
  ``None``. Days are calendar days between court-local dates.
- "As of D" means dated on or before D (``received_on``, ``decided_on``, ``reopened_on``);
  "after its latest (re)opening" means recorded later (a higher case version), so a
  backdated ruling still closes the case it was recorded in.
- Percentile p90 is the nearest-rank percentile; medians use ``statistics.median``.
- Breakdowns by year or month split the period at calendar boundaries and compute every
  measure for each part (so ``pending_at_end`` is at the end of each month). Breakdowns by
  judge attribute a ruling to the judge who gave it, an examination to the judge who
  ordered it, a hearing to the judge it was booked for, and anything else to the case's
  current judge (``"unassigned"`` if none). A breakdown by finding applies to measures
  of rulings only; the others are ``None`` there (a case has no finding until ruled).
- Filters (court, track, specialty, judge; any combination, with any breakdown) keep the
  rows whose value of that dimension is the one asked for, attributed exactly as the
  breakdown by it attributes them: a judge filter counts a ruling for the judge who gave
  it, an examination for the judge who ordered it, a hearing for the judge it was booked
  for, the rest for the case's current judge (``"unassigned"``: rows with no judge); a
  court filter counts a hearing for the court it is held in. So a filtered figure is
  always the matching group of the breakdown by that dimension, for each part of a
  breakdown by year or month too.
- Public outputs (``public=True``) suppress small cells, group by group:

  1. *Primary*: a count from 1 to 4 is shown as ``"<5"``.
  2. *Complementary*: the counts of a group are tied by additive relations (``incoming``
     = ``filed`` + ``reopened``; ``merits`` = ``liability_found`` + ``no_liability`` = the
     sum of ``findings``; ``resolved`` = the sum of ``dispositions``, whose
     ``liability_found`` and ``no_liability`` are those counts again; a pending caseload is
     the sum of its age bands; ``overdue`` = ``reported_late`` + ``missing_overdue_at_end``;
     concluded mediations and decided appeals are the sums of their outcomes: the
     ``*_RELATIONS`` below). While a hidden count can be worked out from the shown figures
     of the group, one more count is hidden, shown as ``"suppressed"``: the shown count of
     those relations whose hiding frees it (preferring the smallest non-zero one). In the
     end no hidden count is the difference of shown ones, and none is pinned down by the
     relations' bounds either ("<5" is 1-4, so two "<5" adding up to 2 are both 1; a
     complementary count is 0 or at least 5), unless even hiding every count of its
     relations would not free it (four "<5" in a total of "<5" are all 1). Protection is
     within a group: figures of different queries (a total against the sum of its
     breakdown's groups, a month against its year) are not reconciled.
  3. *Derived*: every figure built on a hidden count (rate, mean, median, percentile,
     money total) is shown as ``"suppressed"``; a rate is built on both its counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections import tables as t  # noqa: F401 - ``stats.t``: the tables the figures come from
from projections.statistics.activity import *  # noqa: F403
from projections.statistics.activity import experts, hearings, mediation
from projections.statistics.core import *  # noqa: F403
from projections.statistics.downloads import *  # noqa: F403
from projections.statistics.outcomes import *  # noqa: F403
from projections.statistics.outcomes import outcomes
from projections.statistics.registry import GENERAL, MEASURE_NAMES, PUBLIC_MEASURE_NAMES, REGISTRY, Figure, Measure  # noqa: F401 - declared once
from projections.statistics.rulings import *  # noqa: F403
from projections.statistics.rulings import appeals, compensation, funnel
from projections.statistics.suppression import *  # noqa: F403

MEASURES: dict[str, Callable[..., dict[str, Any]]] = {
    "outcomes": outcomes,
    "experts": experts,
    "hearings": hearings,
    "mediation": mediation,
    "compensation": compensation,
    "appeals": appeals,
    "funnel": funnel,
}
"""The period measures by name (``pending`` takes a date instead of a period); ``REGISTRY``
declares every measure (period ones and ``pending``), its figures and what they are built on."""
assert set(MEASURES) | {"pending"} == set(REGISTRY), "every measure is declared in the registry and computed here"
