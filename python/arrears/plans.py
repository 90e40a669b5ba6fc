"""Payment plans, settlements and promises to pay.

Schedules (exact money; the worked numbers of the reference)::

    >>> from datetime import date
    >>> from arrears.plans import installment_schedule, apr
    >>> s = installment_schedule("1000.00", 12, date(2026, 2, 1), annual_rate="0.12")
    >>> [str(x.amount.amount) for x in s][-2:], s.total_interest
    (['88.85', '88.84'], Money('66.19', 'USD'))
    >>> apr("1000.00", s)
    Decimal('0.120009')

Plans and their status on a date::

    >>> from arrears.plans import installment_plan
    >>> plan = installment_plan("300.00", plan_date=date(2026, 1, 15), first_due=date(2026, 2, 1),
    ...                         count=3)
    >>> ev = plan.evaluate([(date(2026, 2, 1), "100.00")], as_of=date(2026, 3, 10))
    >>> ev.status, [(e.type, e.date.isoformat()) for e in ev.events]
    ('delinquent', [('kept', '2026-02-01'), ('missed', '2026-03-07')])

Everything is computed in C++ (``arrears._core``); see docs/plans.md for the rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from arrears._core import plans as _plans
from arrears._core.money import Money
from arrears._core.plans import (
    Budget,
    InstallmentStatus,
    Offer,
    OfferPolicy,
    PaymentMatch,
    PaymentPlan,
    PlanEvaluation,
    PlanEvent,
    PlanRules,
    ReagingDecision,
    ReagingRule,
    Schedule,
    ScheduledInstallment,
    due_dates,
    installment_schedule,
    installment_schedule_by_amount,
    level_payment,
    propose_offers,
)
from arrears._progress import progress_bar
from arrears.errors import ValidationError
from arrears.frames import Table

__all__ = [
    "FREQUENCIES",
    "Budget",
    "InstallmentStatus",
    "Offer",
    "OfferPolicy",
    "PaymentMatch",
    "PaymentPlan",
    "PlanEvaluation",
    "PlanEvent",
    "PlanRules",
    "ReagingDecision",
    "ReagingRule",
    "Schedule",
    "ScheduledInstallment",
    "apr",
    "due_dates",
    "installment_plan",
    "installment_schedule",
    "installment_schedule_by_amount",
    "installment_schedules",
    "level_payment",
    "payments_from_frame",
    "promise_to_pay",
    "propose_offers",
    "settlement",
]

FREQUENCIES = ("weekly", "biweekly", "semimonthly", "monthly")

Amount = str | Decimal | int | Money
Accounts = Sequence[tuple[str, Amount]]


# -- APR ----------------------------------------------------------------------------------------


def apr(
    amount_financed: Amount,
    schedule: Schedule | Iterable[ScheduledInstallment | tuple[datetime.date, Amount]],
    advance: datetime.date | None = None,
    unit_period: str | None = None,
) -> Decimal:
    """The APR (a ``Decimal`` fraction, 6 places) by the Regulation Z Appendix J actuarial method.

    ``schedule`` is a ``Schedule``, its ``installments`` (``ScheduledInstallment`` values) or
    ``(date, amount)`` pairs. Without ``unit_period`` the unit-period is the frequency the dates
    follow (as ``Schedule.from_payments`` infers it; one payment is monthly); dates that follow
    no frequency are a ``ValidationError`` asking for ``unit_period`` rather than a silent
    monthly. ``advance`` defaults to one unit-period before the first payment. See docs/plans.md.
    """
    if isinstance(schedule, Schedule):
        return _plans.apr(amount_financed, schedule, advance, unit_period)
    pairs = [(x.due, x.amount) if isinstance(x, ScheduledInstallment) else x for x in schedule]
    return _plans.apr(amount_financed, pairs, advance, unit_period)


# -- plans --------------------------------------------------------------------------------------


def installment_plan(
    balance: Amount | None = None,
    *,
    plan_date: datetime.date,
    first_due: datetime.date,
    count: int | None = None,
    amount: Amount | None = None,
    frequency: str = "monthly",
    annual_rate: str | Decimal | int | Fraction = "0",
    rounding: str = "half_up",
    rules: PlanRules | None = None,
    accounts: Accounts | None = None,
    account_id: str = "",
    split: str = "pro_rata",
    plan_id: str = "",
    debtor_id: str = "",
    currency: str = "USD",
) -> PaymentPlan:
    """An installment plan for the whole balance: ``count`` installments or a fixed ``amount``.

    The balance is ``balance`` (one account, ``account_id``) or the sum of ``accounts`` —
    ``[(account_id, balance), ...]`` of one debtor; payments are split between them ``pro_rata``
    (default) or ``sequential`` (docs/plans.md)."""
    return PaymentPlan.installment(
        balance,
        plan_date=plan_date,
        first_due=first_due,
        count=count,
        amount=amount,
        frequency=frequency,
        annual_rate=annual_rate,
        rounding=rounding,
        rules=rules,
        accounts=accounts,
        account_id=account_id,
        split=split,
        plan_id=plan_id,
        debtor_id=debtor_id,
        currency=currency,
    )


def settlement(
    balance: Amount | None = None,
    settlement_amount: Amount | None = None,
    *,
    plan_date: datetime.date,
    offer_expiry: datetime.date,
    first_due: datetime.date | None = None,
    count: int = 1,
    frequency: str = "monthly",
    rounding: str = "half_up",
    rules: PlanRules | None = None,
    accounts: Accounts | None = None,
    account_id: str = "",
    split: str = "pro_rata",
    plan_id: str = "",
    debtor_id: str = "",
    currency: str = "USD",
) -> PaymentPlan:
    """A settlement: ``settlement_amount`` (at most the balance) as a lump sum due on the offer
    expiry (``count=1``) or in ``count`` installments from ``first_due``. On completion the rest
    of the balance is written off (a ``settlement_discount`` event); on default the settlement is
    void and the full balance returns (``rules.on_default="pro_rata"`` keeps the discount earned
    by what was paid)."""
    return PaymentPlan.settlement(
        balance,
        settlement_amount,
        plan_date=plan_date,
        offer_expiry=offer_expiry,
        first_due=first_due,
        count=count,
        frequency=frequency,
        rounding=rounding,
        rules=rules,
        accounts=accounts,
        account_id=account_id,
        split=split,
        plan_id=plan_id,
        debtor_id=debtor_id,
        currency=currency,
    )


def promise_to_pay(
    balance: Amount | None = None,
    amount: Amount | None = None,
    *,
    due: datetime.date,
    plan_date: datetime.date,
    rules: PlanRules | None = None,
    accounts: Accounts | None = None,
    account_id: str = "",
    plan_id: str = "",
    debtor_id: str = "",
    currency: str = "USD",
) -> PaymentPlan:
    """A promise to pay ``amount`` by ``due`` (kept within the rules' grace days and tolerance;
    broken as soon as it is missed)."""
    return PaymentPlan.promise(
        balance,
        amount,
        due=due,
        plan_date=plan_date,
        rules=rules,
        accounts=accounts,
        account_id=account_id,
        plan_id=plan_id,
        debtor_id=debtor_id,
        currency=currency,
    )


def payments_from_frame(
    frame: Any,
    date: str = "date",
    amount_cents: str = "amount_cents",
    currency: str = "USD",
) -> list[tuple[datetime.date, Money]]:
    """(date, Money) payment pairs from a DataFrame (or any mapping of columns) with a date
    column and an integer ``*_cents`` column, for :meth:`PaymentPlan.evaluate`. Timestamps must
    be whole days; float amounts are refused."""
    days = _day_column(frame[date], date)
    cents = _int_column(frame[amount_cents], amount_cents)
    if len(days) != len(cents):
        raise ValidationError(f"{amount_cents}: {len(cents)} values for {len(days)} dates")
    epoch = datetime.date(1970, 1, 1)
    return [
        (epoch + datetime.timedelta(days=int(d)), Money.from_minor(int(c), currency))
        for d, c in zip(days.tolist(), cents.tolist(), strict=True)
    ]


# -- batch schedules ----------------------------------------------------------------------------

_MAX_RATE_SCALE = 10**12


def _int_column(values: object, field: str) -> np.ndarray[Any, np.dtype[np.int64]]:
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValidationError(f"{field}: expected a one-dimensional column, got shape {arr.shape}")
    if arr.dtype.kind == "f":
        raise ValidationError(
            f"{field}: {arr.dtype} values; pass integers (money as integer minor units, e.g. a "
            "*_cents column): floats cannot hold cents exactly"
        )
    if arr.dtype.kind == "b":
        raise ValidationError(f"{field}: bool values; pass integers")
    if arr.dtype.kind == "O":
        for i, v in enumerate(arr.tolist()):
            if not isinstance(v, int) or isinstance(v, bool):
                raise ValidationError(f"{field}[{i}]: expected an int, got {v!r}")
    elif arr.dtype.kind not in "iu":
        raise ValidationError(f"{field}: expected integers, got {arr.dtype}")
    try:
        return np.ascontiguousarray(arr, dtype=np.int64)
    except OverflowError as exc:
        raise ValidationError(f"{field}: a value does not fit in 64 bits") from exc


def _day_column(values: object, field: str) -> np.ndarray[Any, np.dtype[np.int64]]:
    if isinstance(values, datetime.datetime):
        raise ValidationError(f"{field}: {values!r} is a datetime; pass a datetime.date")
    if isinstance(values, datetime.date):
        values = [values]
    if hasattr(values, "to_numpy"):  # pandas Series / Index
        values = values.to_numpy()
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValidationError(f"{field}: expected a one-dimensional column of dates")
    if arr.dtype.kind == "O":
        for i, v in enumerate(arr.tolist()):
            if isinstance(v, datetime.datetime) or not isinstance(v, datetime.date):
                raise ValidationError(f"{field}[{i}]: expected a datetime.date, got {v!r}")
        arr = arr.astype("datetime64[D]")
    if arr.dtype.kind != "M":
        raise ValidationError(
            f"{field}: expected dates (datetime64 or datetime.date), got {arr.dtype}"
        )
    if np.isnat(arr).any():
        raise ValidationError(f"{field}[{int(np.argmax(np.isnat(arr)))}]: missing date (NaT)")
    if arr.dtype == np.dtype("datetime64[D]"):
        return np.ascontiguousarray(arr).view(np.int64)
    days = arr.astype("datetime64[D]")
    if not np.array_equal(days.astype(arr.dtype), arr):
        i = int(np.argmax(days.astype(arr.dtype) != arr))
        raise ValidationError(f"{field}[{i}]: {arr[i]} has a time of day; pass whole dates")
    return np.ascontiguousarray(days.view(np.int64))


def _rate_column(
    values: object, rate_scale: int | None
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], int]:
    """Exact rates as integer numerators over one scale."""
    if rate_scale is not None:
        if isinstance(rate_scale, bool) or not isinstance(rate_scale, int):
            raise ValidationError(f"rate_scale: expected an int, got {rate_scale!r}")
        return _int_column(values, "annual_rates"), rate_scale
    scalar = isinstance(values, str | Decimal | int | Fraction) and not isinstance(values, bool)
    items = [values] if scalar else list(values)  # type: ignore[call-overload]
    fractions: list[Fraction] = []
    for i, v in enumerate(items):
        where = "annual_rate" if scalar else f"annual_rates[{i}]"
        if isinstance(v, float | np.floating):
            raise ValidationError(f"{where}: {v!r} is a float; pass a str or Decimal ('0.1299')")
        if isinstance(v, bool) or not isinstance(v, str | Decimal | int | Fraction | np.integer):
            raise ValidationError(f"{where}: expected a str, Decimal, int or Fraction, got {v!r}")
        try:
            fractions.append(Fraction(v) if not isinstance(v, np.integer) else Fraction(int(v)))
        except (ValueError, ArithmeticError) as exc:
            raise ValidationError(f"{where}: {v!r} is not a decimal number") from exc
    scale = 1
    for f in fractions:
        scale = scale * f.denominator // np.gcd(scale, f.denominator)
        if scale > _MAX_RATE_SCALE:
            raise ValidationError("annual_rates: more than 12 decimal places")
    nums = np.array([int(f * scale) for f in fractions], dtype=np.int64)
    return nums, scale


def installment_schedules(
    totals_minor: object,
    counts: object,
    first_dues: object,
    annual_rates: object = "0",
    *,
    rate_scale: int | None = None,
    frequency: str | Sequence[str] = "monthly",
    rounding: str = "half_up",
    currency: str = "USD",
    threads: int = 0,
    progress: bool | Callable[[int, int], None] | None = None,
) -> Table:
    """Many schedules in one call, in columns, on all cores with the GIL released.

    Inputs are columns (one value per schedule, or one value for all): ``totals_minor`` integer
    minor units (a ``*_cents`` column; floats are refused), ``counts``, ``first_dues``
    (datetime64 or ``datetime.date``), ``annual_rates`` as decimal strings/Decimals, or integers
    over ``rate_scale`` (``annual_rates=np.array([1299]), rate_scale=10_000`` is 12.99%; the fast
    path for millions of rows), ``frequency`` one name or one per schedule.

    Returns an :class:`arrears.Table` with one row per installment, schedule-major: ``schedule``
    (input row), ``number``, ``due``, ``amount_cents``, ``principal_cents``, ``interest_cents``;
    the same numbers as :func:`installment_schedule` row by row. A bad row raises
    ValidationError naming it (``totals[17]: ...``) and nothing is returned."""
    totals = _int_column(totals_minor, "totals")
    count_col = _int_column(counts, "counts")
    days = _day_column(first_dues, "first_dues")
    nums, scale = _rate_column(annual_rates, rate_scale)
    freq: str | list[str] = frequency if isinstance(frequency, str) else list(frequency)
    if isinstance(progress, bool) or progress is None:
        with progress_bar("schedules", len(totals), progress, "schedules") as cb:
            return _plans.installment_schedules(
                totals, count_col, days, nums, scale, freq, rounding, currency, threads, cb
            )
    return _plans.installment_schedules(
        totals, count_col, days, nums, scale, freq, rounding, currency, threads, progress
    )
