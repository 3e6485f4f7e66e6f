"""Figures the load and fault tests measured, shown at the end of every run (also with ``-q``, in CI).

A test records a line with ``record_property("figures", line)``; this hook prints every such
line of the passed and failed tests under one heading.
"""

from __future__ import annotations

from typing import Any

import pytest

FIGURES = "figures"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    lines = [
        f"{report.nodeid}\n    {value}"
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", [])
        if name == FIGURES
    ]
    if lines:
        terminalreporter.section("load and fault figures")
        for line in lines:
            terminalreporter.write_line(line)
