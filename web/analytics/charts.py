"""Charts as inline SVG, drawn on the server: no script, no network, readable by screen readers.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that states what
it shows, and every bar or point carries its own ``<title>`` with the exact figure; the
page shows the same figures in a table beside it. Colours are presentation attributes
(the site's Content-Security-Policy allows no inline styles) from a palette that stays
distinguishable for the common forms of colour blindness, and a legend names them.

A figure that is missing (``None``: its denominator is zero) or withheld in public
output (``"<5"``, ``"suppressed"``) is not drawn; its place is marked with the same text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

PALETTE = ("#0b4f6c", "#d95f02", "#1b9e77", "#7570b3", "#a6761d", "#e7298a")
INK = "#1a1a1a"
GRID = "#c8c8c8"
WIDTH = 720
_ids = count(1)


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its title (for a visible caption) and the SVG (what ``{{ chart }}`` renders)."""

    title: str
    svg: Markup

    def __html__(self) -> str:
        return str(self.svg)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Any]


def number(value: Any) -> float | None:
    """The value as a number to draw, or None when it is missing or withheld."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def shown(value: Any, unit: str = "") -> str:
    """How a figure reads in a bar's title and data label."""
    if value is None:
        return str(_("n/a"))
    drawn = number(value)
    if drawn is None:
        return str(value)
    text = f"{int(drawn):,}" if drawn == int(drawn) and not isinstance(value, float) else f"{drawn:,.1f}"
    return f"{text}{unit}"


def nice_ticks(top: float, *, percent: bool = False, min_step: float = 0) -> list[float]:
    """Round tick values from 0 to at least ``top`` (about five of them)."""
    if percent:
        return [0, 25, 50, 75, 100]
    top = max(top, 1.0)
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), 10 * magnitude)
    if min_step and step < min_step:
        step = min_step
    if step >= 1:
        step = math.ceil(step)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 6))
    return ticks


def _tick_label(value: float, unit: str) -> str:
    return (f"{int(value):,}" if value == int(value) else f"{value:,.1f}") + unit


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts = ['<g class="legend">']
    for index, item in enumerate(series):
        left = x + index * 170
        parts.append(f'<rect x="{left:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>')
        parts.append(f'<text x="{left + 17:.1f}" y="{y:.1f}" fill="{INK}">{escape(item.name)}</text>')
    parts.append("</g>")
    return parts


def _label_every(n: int, room: float) -> int:
    """Show every k-th category label so that labels do not overlap."""
    return max(1, math.ceil(n * 46 / max(room, 1)))


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    unit: str = "",
    percent: bool = False,
    public: bool = False,
    height: int = 300,
    chart_id: str | None = None,
) -> Chart:
    """Vertical bars, one group per category, one bar per series."""
    chart_id = chart_id or f"chart-{next(_ids)}"
    left, right, top, bottom = 64, 16, 16, 74 if len(series) > 1 else 56
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    values = [number(v) for s in series for v in s.values]
    highest = max((v for v in values if v is not None), default=0.0)
    ticks = nice_ticks(highest, percent=percent, min_step=5 if public and not percent else 0)
    scale_top = ticks[-1] or 1.0
    parts = _open(chart_id, title, desc, WIDTH, height)
    for tick in ticks:
        y = top + plot_h - plot_h * tick / scale_top
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{_tick_label(tick, unit)}</text>')
    n = max(len(categories), 1)
    group_w = plot_w / n
    bar_w = max(1.0, group_w * 0.8 / max(len(series), 1))
    every = _label_every(n, plot_w)
    parts.append('<g class="bars">')
    for i, category in enumerate(categories):
        x0 = left + i * group_w + group_w * 0.1
        for j, item in enumerate(series):
            raw = item.values[i] if i < len(item.values) else None
            value = number(raw)
            x = x0 + j * bar_w
            label = f"{category} — {item.name}: {shown(raw, unit)}"
            if value is None:
                parts.append(
                    f'<text class="missing" x="{x + bar_w / 2:.1f}" y="{top + plot_h - 4:.1f}" text-anchor="middle" '
                    f'font-size="10" fill="{INK}"><title>{escape(label)}</title>{escape(shown(raw))}</text>'
                )
                continue
            h = plot_h * value / scale_top
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}" data-value="{escape(str(raw))}"><title>{escape(label)}</title></rect>'
            )
        if i % every == 0:
            cx = left + i * group_w + group_w / 2
            parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="{INK}">{escape(category)}</text>')
    parts.append("</g>")
    parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{INK}"/>')
    if len(series) > 1:
        parts.extend(_legend(series, left, height - 14))
    parts.append("</svg>")
    return Chart(title, Markup("".join(parts)))


def hbar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    unit: str = "",
    percent: bool = False,
    public: bool = False,
    chart_id: str | None = None,
) -> Chart:
    """Horizontal bars: long category names (courts, specialties, funnel stages) read on the left."""
    chart_id = chart_id or f"chart-{next(_ids)}"
    row_h = 14 * max(len(series), 1) + 10
    left, right, top = 170, 70, 10
    bottom = 44 if len(series) > 1 else 26
    height = top + bottom + row_h * max(len(categories), 1)
    plot_w = WIDTH - left - right
    values = [number(v) for s in series for v in s.values]
    highest = max((v for v in values if v is not None), default=0.0)
    ticks = nice_ticks(highest, percent=percent, min_step=5 if public and not percent else 0)
    scale_top = ticks[-1] or 1.0
    plot_h = row_h * max(len(categories), 1)
    parts = _open(chart_id, title, desc, WIDTH, height)
    for tick in ticks:
        x = left + plot_w * tick / scale_top
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle" fill="{INK}">{_tick_label(tick, unit)}</text>')
    parts.append('<g class="bars">')
    for i, category in enumerate(categories):
        y0 = top + i * row_h + 5
        parts.append(f'<text x="{left - 6}" y="{y0 + row_h / 2:.1f}" text-anchor="end" fill="{INK}">{escape(category)}</text>')
        for j, item in enumerate(series):
            raw = item.values[i] if i < len(item.values) else None
            value = number(raw)
            y = y0 + j * 14
            label = f"{category} — {item.name}: {shown(raw, unit)}"
            if value is None:
                parts.append(f'<text class="missing" x="{left + 4}" y="{y + 11:.1f}" fill="{INK}"><title>{escape(label)}</title>{escape(shown(raw))}</text>')
                continue
            w = plot_w * value / scale_top
            parts.append(
                f'<rect x="{left}" y="{y:.1f}" width="{w:.1f}" height="12" fill="{PALETTE[j % len(PALETTE)]}" '
                f'data-value="{escape(str(raw))}"><title>{escape(label)}</title></rect>'
            )
            parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 10:.1f}" fill="{INK}">{escape(shown(raw, unit))}</text>')
    parts.append("</g>")
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="{INK}"/>')
    if len(series) > 1:
        parts.extend(_legend(series, left, height - 8))
    parts.append("</svg>")
    return Chart(title, Markup("".join(parts)))


def line_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    unit: str = "",
    percent: bool = False,
    public: bool = False,
    height: int = 300,
    chart_id: str | None = None,
) -> Chart:
    """Lines over time, one per series, with a marker (and its figure) at each point."""
    chart_id = chart_id or f"chart-{next(_ids)}"
    left, right, top, bottom = 64, 16, 16, 74 if len(series) > 1 else 56
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    values = [number(v) for s in series for v in s.values]
    highest = max((v for v in values if v is not None), default=0.0)
    ticks = nice_ticks(highest, percent=percent and highest <= 100, min_step=5 if public and not percent else 0)
    scale_top = ticks[-1] or 1.0
    n = max(len(categories), 1)
    step = plot_w / n
    parts = _open(chart_id, title, desc, WIDTH, height)
    for tick in ticks:
        y = top + plot_h - plot_h * tick / scale_top
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{_tick_label(tick, unit)}</text>')
    every = _label_every(n, plot_w)
    for i, category in enumerate(categories):
        if i % every == 0:
            parts.append(f'<text x="{left + step * (i + 0.5):.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="{INK}">{escape(category)}</text>')
    parts.append('<g class="lines">')
    for j, item in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        run: list[str] = []
        markers: list[str] = []
        for i, category in enumerate(categories):
            raw = item.values[i] if i < len(item.values) else None
            value = number(raw)
            x = left + step * (i + 0.5)
            label = f"{category} — {item.name}: {shown(raw, unit)}"
            if value is None:
                if len(run) > 1:
                    parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
                run = []
                markers.append(f'<text class="missing" x="{x:.1f}" y="{top + plot_h - 4:.1f}" text-anchor="middle" font-size="10" fill="{INK}"><title>{escape(label)}</title>{escape(shown(raw))}</text>')
                continue
            y = top + plot_h - plot_h * min(value, scale_top) / scale_top
            run.append(f"{x:.1f},{y:.1f}")
            markers.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}" data-value="{escape(str(raw))}"><title>{escape(label)}</title></circle>'
            )
        if len(run) > 1:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
        parts.extend(markers)
    parts.append("</g>")
    parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{INK}"/>')
    if len(series) > 1:
        parts.extend(_legend(series, left, height - 14))
    parts.append("</svg>")
    return Chart(title, Markup("".join(parts)))
