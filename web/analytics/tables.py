"""The figures of a statistics result as tables a page can show (and tests can read back).

Every cell keeps the figure exactly as the statistics gave it in ``data-value`` and shows it
formatted for the reader; a missing figure (zero denominator) reads "n/a", a withheld one
"<5" or "suppressed".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from projections import statistics as stats
from web.i18n import fmt_money, label

# What each figure is, for formatting: a count, a percentage, days, or money (KZT).
KIND_OF: dict[str, str] = {}
for _name in ("clearance_rate", "liability_rate", "share_within_60_days", "late_rate", "date_certainty_rate", "success_rate",
              "award_to_claim_rate", "appeal_rate", "reversal_rate", "care_not_met_rate", "malpractice_rate"):
    KIND_OF[_name] = "rate"
for _name in ("median_days_to_disposition", "p90_days_to_disposition", "disposition_time_days", "median_age_days", "p90_age_days",
              "oldest_age_days", "median_turnaround_days", "mean_turnaround_days", "p90_turnaround_days", "median_days_to_conclusion"):
    KIND_OF[_name] = "days"
for _name in ("median_award", "insurer_compensation"):
    KIND_OF[_name] = "money"
KIND_OF["mean_reschedulings"] = "number"

KEY_KINDS = {"track": "track", "court": "court", "specialty": "specialty", "finding": "finding"}


def figure_label(name: str) -> str:
    """The reader's name of a figure (a field of a statistics group)."""
    names = {
        "incoming": _("Incoming"), "filed": _("Filed"), "reopened": _("Reopened"), "resolved": _("Resolved"),
        "clearance_rate": _("Clearance rate"), "merits": _("Merits rulings"), "liability_found": _("Liability found"),
        "no_liability": _("No liability"), "liability_rate": _("Liability rate"), "first_rulings": _("First rulings"),
        "median_days_to_disposition": _("Median days to disposition"), "p90_days_to_disposition": _("90th percentile days"),
        "share_within_60_days": _("Within 60 days"), "pending_at_end": _("Pending at end"),
        "disposition_time_days": _("Disposition time (CEPEJ, days)"), "pending": _("Pending"),
        "median_age_days": _("Median age (days)"), "p90_age_days": _("90th percentile age (days)"), "oldest_age_days": _("Oldest (days)"),
        "ordered": _("Ordered"), "reported": _("Reported"), "median_turnaround_days": _("Median turnaround (days)"),
        "mean_turnaround_days": _("Mean turnaround (days)"), "p90_turnaround_days": _("90th percentile turnaround (days)"),
        "reported_late": _("Reported late"), "late_rate": _("Late share"), "missing_overdue_at_end": _("Missing, past due"),
        "overdue": _("Overdue"), "held": _("Held"), "held_as_first_scheduled": _("Held as first scheduled"),
        "date_certainty_rate": _("Trial date certainty"), "reschedulings": _("Reschedulings"),
        "mean_reschedulings": _("Reschedulings per held hearing"), "cancelled": _("Cancelled"), "referred": _("Referred"),
        "concluded": _("Concluded"), "success_rate": _("Success rate"), "median_days_to_conclusion": _("Median days to conclusion"),
        "rulings": _("Rulings"), "rulings_with_award": _("Rulings with an award"), "award_to_claim_rate": _("Awarded of claimed"),
        "median_award": _("Median award"), "rulings_with_insurer_compensation": _("Rulings with insurer compensation"),
        "insurer_compensation": _("Insurer compensation"), "appeals_filed": _("Appeals filed"), "appeal_rate": _("Appeal rate"),
        "appeals_decided": _("Appeals decided"), "reversal_rate": _("Reversal rate"), "care_not_met": _("Standard of care not met"),
        "care_not_met_rate": _("Share of filed"), "malpractice": _("Malpractice found"), "malpractice_rate": _("Share of care not met"),
        "first_rulings_within_60_days": _("First rulings within 60 days"), "appeals_changed": _("Reversed, modified or remanded"),
        "claims": _("Claims counted"),
    }
    if name in names:
        return str(names[name])
    head, _sep, rest = name.partition(".")
    if head in ("findings",):
        return label("finding", rest)
    if head in ("dispositions",):
        return label("disposition", rest)
    if head == "outcomes":
        return label("appeal_outcome", rest) if rest in ("upheld", "modified", "reversed", "remanded") else label("mediation_outcome", rest)
    if head == "age_bands":
        return str(_("%(band)s days", band=rest))
    if head in ("claimed", "awarded", "payable"):
        part = {"claimed": _("Claimed"), "awarded": _("Awarded"), "payable": _("Payable")}[head]
        return f"{part}: {_('total') if rest == 'total' else label('head', rest)}"
    return name.replace("_", " ")


def value_at(group: dict[str, Any], path: str) -> Any:
    value: Any = group
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def kind_of(path: str) -> str:
    head = path.split(".")[0]
    if head in ("claimed", "awarded", "payable"):
        return "money"
    return KIND_OF.get(head, "count")


def formatted(value: Any, kind: str) -> str:
    if value is None:
        return str(_("n/a"))
    if isinstance(value, str) and value in (stats.SMALL, stats.SUPPRESSED):
        return value
    if kind == "money":
        return fmt_money(value)
    text = str(format_decimal(value))
    return f"{text} %" if kind == "rate" else text


def group_label(group: dict[str, Any], by: str | None) -> str:
    key = str(group["key"])
    if "label" in group:
        return str(group["label"])
    if by is None or key == stats.ALL:
        return str(_("All"))
    if by in KEY_KINDS:
        return label(KEY_KINDS[by], key)
    return key


@dataclass(frozen=True)
class Cell:
    field: str
    value: Any
    text: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: list[Cell]


@dataclass
class Table:
    caption: str
    key_label: str
    columns: list[tuple[str, str]]  # (field path, header)
    rows: list[Row] = field(default_factory=list)


def group_table(result: dict[str, Any], fields: Sequence[str], *, caption: str, key_label: str) -> Table:
    """One row per group, one column per figure."""
    table = Table(caption=caption, key_label=key_label, columns=[(f, figure_label(f)) for f in fields])
    for group in result["groups"]:
        cells = [Cell(f, value_at(group, f), formatted(value_at(group, f), kind_of(f))) for f in fields]
        table.rows.append(Row(str(group["key"]), group_label(group, result.get("by")), cells))
    return table


def figure_table(result: dict[str, Any], fields: Sequence[str], *, caption: str) -> Table:
    """The figures of a single-group result, one row each."""
    group = result["groups"][0]
    table = Table(caption=caption, key_label=_("Figure"), columns=[("value", _("Value"))])
    for f in fields:
        value = value_at(group, f)
        table.rows.append(Row(f, figure_label(f), [Cell(f, value, formatted(value, kind_of(f)))]))
    return table


def flat_fields(result: dict[str, Any]) -> list[str]:
    """Every figure of a result, nested ones as dotted paths, in the order the statistics give them."""
    names: list[str] = []
    for group in result["groups"]:
        for path in _paths(group):
            if path not in names and path not in ("key", "label"):
                names.append(path)
    return names


def _paths(group: dict[str, Any], prefix: str = "") -> list[str]:
    paths: list[str] = []
    for name, value in group.items():
        if isinstance(value, dict):
            paths.extend(_paths(value, f"{prefix}{name}."))
        else:
            paths.append(f"{prefix}{name}")
    return paths
