"""Public output: small cells and the cells that would give them away (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeGuard

from projections.statistics.core import SMALL, SUPPRESSED

# --- public output ------------------------------------------------------------------------------------------------

Relation = tuple[str, tuple[str, ...]]
"""A total and the parts it is the sum of, as paths into a group (``findings.*``: every finding)."""

_UNBOUNDED = 10**15


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _count_cells(group: Mapping[str, Any], counts: Iterable[str]) -> dict[str, int]:
    """Every count of the group by its path (``findings.malpractice`` for a count in a dict)."""
    cells: dict[str, int] = {}
    for name in counts:
        value = group.get(name)
        if isinstance(value, dict):
            cells.update({f"{name}.{key}": v for key, v in value.items() if _is_count(v)})
        elif _is_count(value):
            cells[name] = value
    return cells


def _expand(paths: Iterable[str], cells: Mapping[str, int]) -> list[str]:
    expanded: list[str] = []
    for path in paths:
        if path.endswith(".*"):
            expanded.extend(p for p in cells if p.startswith(path[:-1]))
        else:
            expanded.append(path)
    return expanded


def _pinned(cells: Mapping[str, int], primary: set[str], secondary: set[str], relations: Sequence[tuple[str, list[str]]]) -> set[str]:
    """The hidden cells whose values follow from the relations and what is shown (bounds
    propagation: a shown count is exact, ``"<5"`` is 1-4, a complementary cell 0 or 5 and more)."""
    bounds = {p: (v, v) for p, v in cells.items()}
    bounds.update({p: (1, 4) for p in primary})
    bounds.update({p: (0, _UNBOUNDED) for p in secondary})

    def tighten(path: str, low: int, high: int) -> bool:
        old_low, old_high = bounds[path]
        low, high = max(low, old_low), min(high, old_high)
        if path in secondary:  # shown counts hidden as complements were never 1-4
            low = 5 if 1 <= low <= 4 else low
            high = 0 if 1 <= high <= 4 else high
        if (low, high) != (old_low, old_high) and low <= high:
            bounds[path] = (low, high)
            return True
        return False

    for _round in range(4 * len(cells) + 4):
        changed = False
        for total, parts in relations:
            low_sum = sum(bounds[p][0] for p in parts)
            high_sum = sum(bounds[p][1] for p in parts)
            changed |= tighten(total, low_sum, high_sum)
            total_low, total_high = bounds[total]
            for part in parts:
                part_low, part_high = bounds[part]
                changed |= tighten(part, total_low - (high_sum - part_high), total_high - (low_sum - part_low))
        if not changed:
            break
    return {p for p in primary | secondary if bounds[p][0] == bounds[p][1]}


def hidden_cells(group: Mapping[str, Any], counts: Iterable[str], relations: Iterable[Relation] = ()) -> dict[str, str]:
    """The counts of a group the public may not see, by path: ``"<5"`` for a count from 1 to 4,
    ``"suppressed"`` for a count hidden so that those cannot be worked out (see the module docstring)."""
    cells = _count_cells(group, counts)
    primary = {path for path, value in cells.items() if 1 <= value <= 4}
    secondary: set[str] = set()
    # Only the relations that hold in this group (a None figure, e.g. incoming by finding, ties nothing).
    ties: list[tuple[str, list[str]]] = []
    for total, parts in relations:
        members = _expand(parts, cells)
        if total in cells and members and all(p in cells for p in members) and cells[total] == sum(cells[p] for p in members):
            ties.append((total, members))
    tied = sorted({path for total, members in ties for path in (total, *members)})
    unfixable: set[str] = set()
    while primary and ties:
        pinned = _pinned(cells, primary, secondary, ties) - unfixable
        if not pinned:
            break
        exposed = min(pinned)
        shown = [p for p in tied if p not in primary and p not in secondary]
        if exposed in _pinned(cells, primary, secondary | set(shown), ties):
            unfixable.add(exposed)  # hiding everything left would not free it (e.g. "<5" cells that must all be 1)
            continue
        # Hide the shown count that best frees it: one after which it is no longer pinned, else
        # one leaving the fewest small counts pinned; then small non-zero counts (zeros hide little).
        scores = []
        for candidate in shown:
            after = _pinned(cells, primary, secondary | {candidate}, ties) - unfixable
            scores.append((exposed in after, len(after & primary), cells[candidate] == 0, cells[candidate], candidate))
        secondary.add(min(scores)[-1])
    return {path: SMALL if path in primary else SUPPRESSED for path in primary | secondary}


def suppress(group: dict[str, Any], counts: Iterable[str], basis: Mapping[str, tuple[str, ...]],
             relations: Iterable[Relation] = ()) -> dict[str, Any]:
    """The group as the public may see it. ``counts`` names count fields (or dicts of counts);
    ``basis`` maps each derived figure to the counts it is built on (paths; ``outcomes.*``);
    ``relations`` ties counts together (see ``hidden_cells``)."""
    counts = list(counts)
    hidden = hidden_cells(group, counts, relations)
    cells = _count_cells(group, counts)
    shown: dict[str, Any] = {}
    for name, value in group.items():
        if name in basis:
            withheld = any(path in hidden for path in _expand(basis[name], cells))
            if isinstance(value, dict):
                shown[name] = {k: (SUPPRESSED if withheld and v is not None else v) for k, v in value.items()}
            else:
                shown[name] = SUPPRESSED if withheld and value is not None else value
        elif isinstance(value, dict):
            shown[name] = {k: hidden.get(f"{name}.{k}", v) for k, v in value.items()}
        else:
            shown[name] = hidden.get(name, value)
    return shown
