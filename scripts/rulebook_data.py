"""The data the default rulebook is adopted with that the domain cannot import itself.

R17's non-working days come from the ``holidays`` package's calendar of Kazakhstan (public
holidays and the days off transferred by government decree). ``medcourt init`` and the demo
hand them to ``Docket.install_default_rulebook``; an administrator extends them by adopting a
new rulebook version.
"""

from __future__ import annotations

from datetime import date

import holidays

from domain.rulebook import NON_WORKING_DAYS_YEARS


def kz_non_working_days(years: range = NON_WORKING_DAYS_YEARS) -> list[date]:
    """Kazakhstan's public holidays and transferred days off in ``years``."""
    return sorted(holidays.country_holidays("KZ", years=list(years)))
