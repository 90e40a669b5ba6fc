"""Dates, U.S. federal holidays, business days and day counts.

Dates are :class:`datetime.date`; a :class:`datetime.datetime` is rejected (a time of day dropped
in silence is a bug). Month arithmetic clamps to the month end (QuantLib's rule)::

    >>> from datetime import date
    >>> from arrears.calendar import add_months, BusinessCalendar
    >>> add_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    >>> BusinessCalendar().add_business_days(date(2026, 7, 2), 1)   # July 3 is observed
    datetime.date(2026, 7, 6)
"""

from __future__ import annotations

from arrears._core.calendar import (
    BusinessCalendar,
    add_months,
    day_count,
    end_of_month,
    is_leap_year,
    us_federal_holiday_name,
    us_federal_holidays,
    year_fraction,
)

__all__ = [
    "BusinessCalendar",
    "add_months",
    "day_count",
    "end_of_month",
    "is_leap_year",
    "us_federal_holiday_name",
    "us_federal_holidays",
    "year_fraction",
]
