"""A measure's result as a table: CSV and XLSX downloads, every cell spreadsheet-safe."""

from __future__ import annotations

import contextlib
import csv
import io
from decimal import Decimal
from typing import Any

# --- CSV ------------------------------------------------------------------------------------------------------------------


def flatten(group: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One level of columns: nested figures become ``findings_malpractice``, ``awarded_total``..."""
    flat: dict[str, Any] = {}
    for name, value in group.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{name}_"))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: Any) -> Any:
    """A cell value no spreadsheet will run: text starting like a formula (``=HYPERLINK(...)``, ``+``,
    ``-``, ``@``, a tab or line break; OWASP's "CSV injection") gets a leading apostrophe; numbers,
    and text that is a number (``-1.50``), stay as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        Decimal(value)
    except ArithmeticError:
        return "'" + value
    return value if value.strip() == value else "'" + value


def table_rows(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """A measure's groups as columns and rows (one per group; nested figures flattened; ``None``
    as an empty cell), every cell spreadsheet-safe: what the CSV and XLSX downloads write."""
    rows = [flatten(group) for group in result["groups"]]
    columns: list[str] = []
    for row in rows:
        columns.extend(name for name in row if name not in columns)
    cells = [[spreadsheet_safe("" if row.get(name) is None else row[name]) for name in columns] for row in rows]
    return [str(spreadsheet_safe(name)) for name in columns], cells


def to_csv(result: dict[str, Any]) -> str:
    """A measure's groups as CSV, one row per group; empty cells for ``None``."""
    columns, rows = table_rows(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_xlsx(result: dict[str, Any]) -> bytes:
    """The same table as ``to_csv`` as an Excel workbook (openpyxl): one sheet of figures, one row per
    group, and a sheet naming the query (measure, period, breakdown, filters, public). Text is always
    stored as text, never as a formula, whatever it starts with."""
    from openpyxl import Workbook  # imported here: only downloads need it

    columns, rows = table_rows(result)
    workbook = Workbook(write_only=True)
    figures = workbook.create_sheet(str(result.get("measure", "figures"))[:31])
    for values in [columns, *rows]:
        figures.append([_xlsx_cell(figures, value) for value in values])
    about = workbook.create_sheet("query")
    query: dict[str, Any] = {name: result.get(name) for name in ("measure", "from", "to", "at", "by", "public") if name in result}
    query.update({f"filter {name}": value for name, value in (result.get("filters") or {}).items()})
    for name, value in query.items():
        about.append([_xlsx_cell(about, name), _xlsx_cell(about, "" if value is None else str(value))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """Text as a string cell (openpyxl would otherwise store text starting with "=" as a formula)."""
    if not isinstance(value, str) or value == "":
        return value if value != "" else None
    with contextlib.suppress(ArithmeticError):
        number = Decimal(value)
        if number.is_finite() and value.strip() == value:
            return number  # money and figures as numbers a spreadsheet can add up
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
