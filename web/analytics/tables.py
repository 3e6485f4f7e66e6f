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

# What each figure is, for formatting (a count, a percentage, days, money or a number), and its
# reader's name: both as the statistics registry declares them, once.
KIND_OF: dict[str, str] = {}
LABELS: dict[str, str] = {}
for _measure in stats.REGISTRY.values():
    for _figure in _measure.figures:
        KIND_OF.setdefault(_figure.name, _figure.kind)
        LABELS.setdefault(_figure.name, _figure.label)

KEY_KINDS = {"track": "track", "court": "court", "specialty": "specialty", "finding": "finding"}


def figure_label(name: str) -> str:
    """The reader's name of a figure (a field of a statistics group)."""
    if name in LABELS:
        return str(_(LABELS[name]))
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
