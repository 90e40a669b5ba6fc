"""arrears.calendar: dates in and out, holidays, business days, month arithmetic, day counts."""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import arrears
from arrears.calendar import (
    BusinessCalendar,
    add_months,
    day_count,
    end_of_month,
    is_leap_year,
    us_federal_holiday_name,
    us_federal_holidays,
    year_fraction,
)


def test_holidays_2026_match_the_reference_table() -> None:
    assert us_federal_holidays(2026) == [
        date(2026, 1, 1), date(2026, 1, 19), date(2026, 2, 16), date(2026, 5, 25),
        date(2026, 6, 19), date(2026, 7, 4), date(2026, 9, 7), date(2026, 10, 12),
        date(2026, 11, 11), date(2026, 11, 26), date(2026, 12, 25),
    ]  # fmt: skip


def test_observed_days() -> None:
    observed = us_federal_holidays(2027, observed=True)
    for d in (date(2027, 6, 18), date(2027, 7, 5), date(2027, 12, 24), date(2027, 12, 31)):
        assert d in observed  # 2027-12-31 is New Year's Day 2028 (a Saturday), observed
    assert date(2027, 7, 5) not in us_federal_holidays(2027)
    assert us_federal_holiday_name(date(2027, 7, 5)) == "Independence Day (observed)"
    assert us_federal_holiday_name(date(2027, 7, 6)) is None


def test_juneteenth_starts_in_2021() -> None:
    assert date(2020, 6, 19) not in us_federal_holidays(2020)
    assert date(2021, 6, 19) in us_federal_holidays(2021)


def test_years_before_1971_are_rejected() -> None:
    with pytest.raises(arrears.ValidationError, match="1970"):
        us_federal_holidays(1970)


def test_datetime_is_rejected_as_a_date() -> None:
    with pytest.raises(arrears.ValidationError, match=r"datetime\.date"):
        add_months(datetime(2026, 1, 31, 12, 0), 1)  # type: ignore[arg-type]
    with pytest.raises(arrears.ValidationError):
        add_months("2026-01-31", 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
    ],
)
def test_add_months_clamps(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


def test_leap_years_and_month_ends() -> None:
    assert is_leap_year(2024) and is_leap_year(2000)
    assert not is_leap_year(1900) and not is_leap_year(2026)
    assert end_of_month(date(2028, 2, 1)) == date(2028, 2, 29)


def test_business_days_over_the_new_year() -> None:
    cal = BusinessCalendar()
    assert cal.add_business_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert cal.business_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 5
    assert not cal.is_business_day(date(2026, 7, 3))
    assert BusinessCalendar("us_federal", observed=False).is_business_day(date(2026, 7, 3))
    assert BusinessCalendar("none").is_business_day(date(2026, 12, 25))
    custom = BusinessCalendar([date(2026, 3, 17)])
    assert not custom.is_business_day(date(2026, 3, 17))
    assert cal.adjust(date(2026, 5, 30), "modified_following") == date(2026, 5, 29)
    with pytest.raises(arrears.ValidationError, match="'nextish'"):
        cal.adjust(date(2026, 5, 30), "nextish")
    with pytest.raises(arrears.ValidationError, match="'uk'"):
        BusinessCalendar("uk")


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.integers(-300, 300))
def test_business_day_steps_invert(start: date, n: int) -> None:
    cal = BusinessCalendar()
    end = cal.add_business_days(start, n)
    assert cal.business_days_between(start, end) == n
    if n:
        assert cal.is_business_day(end)


def test_business_calendar_value_semantics() -> None:
    cal = BusinessCalendar("us_federal", observed=False, extra_holidays=[date(2026, 3, 17)])
    assert pickle.loads(pickle.dumps(cal)) == cal
    assert hash(cal) == hash(BusinessCalendar("us_federal", False, [date(2026, 3, 17)]))
    assert cal != BusinessCalendar()
    assert "observed=False" in repr(cal)
    assert cal.extra_holidays == [date(2026, 3, 17)]


def test_day_counts_from_the_reference() -> None:
    a, b = date(2026, 1, 31), date(2026, 3, 1)
    assert day_count(a, b) == 29
    assert day_count(a, b, "30/360") == 31
    assert year_fraction(a, b, "actual/360") == Fraction(29, 360)
    assert year_fraction(date(2024, 1, 1), date(2025, 1, 1), "actual/actual") == 1
    assert isinstance(year_fraction(a, b), Fraction)
    with pytest.raises(arrears.ValidationError, match="'bus/252'"):
        day_count(a, b, "bus/252")


def test_30_360_with_start_after_end_is_minus_the_forward_count() -> None:
    # docs/foundation.md "Start after end": not the formula applied to the reversed dates (-75).
    a, b = date(2026, 1, 15), date(2026, 3, 31)
    assert day_count(a, b, "30/360") == 76
    assert day_count(b, a, "30/360") == -76
    assert year_fraction(b, a, "30/360") == -year_fraction(a, b, "30/360")


def test_dates_come_back_as_date_objects() -> None:
    out = add_months(date(2026, 1, 15), 1)
    assert type(out) is date
    assert out - date(2026, 1, 15) == timedelta(days=31)
    assert timezone.utc  # aware datetimes are the instant type (used by compliance)
