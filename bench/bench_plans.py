"""Payment-plan schedules: many twelve-installment interest-bearing schedules in one call.

Issue 5's target: 1e6 schedules in one call at least 8x faster than the numpy way in the same
run. Every variant builds the same schedules (the reference's convention 1: level payment
rounded half-up, per-period interest rounded half-up on the running balance, the last
installment absorbing the residue) with their due dates:

- ``arrears``: ``arrears.plans.installment_schedules`` (C++, exact, GIL released, both cores).
  Timed runs follow a warm-up, so they reuse the output buffers the previous result released
  (the plans buffer pool); ``ARREARS_BUFFER_POOL_MB=0 python bench/run.py -k plans`` measures
  every call with fresh memory.
- ``numpy``: vectorised numpy over the 1e6 schedules, period by period: a float PMT rounded to
  cents, exact integer-cent interest, month arithmetic with numpy datetime64 (clamped).
- ``numpy-financial``: ``npf.pmt`` / ``npf.ipmt`` over a (schedules x periods) grid in float64,
  rounded to cents (what the library gives; it does not round interest on the running balance,
  so it can differ from the others by a cent here and there).
- ``python``: plain Python with ``decimal`` (the reference's own method), one schedule at a
  time; measured at smaller sizes in its own benchmark.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from harness import Benchmark

PERIODS = 12
RATE_SCALE = 10_000  # rates in basis points: 1299 is 12.99%


def setup(n: int) -> dict[str, Any]:
    rng = np.random.default_rng(20260201)
    totals = rng.integers(10_000, 2_500_000, n, dtype=np.int64)  # $100 .. $25,000 in cents
    # APRs from 4.99% to 35.99% in basis points (realistic plan rates), a few at 0%.
    rates = rng.integers(499, 3600, n, dtype=np.int64)
    rates[rng.random(n) < 0.05] = 0
    first_due = np.datetime64("2026-01-01") + rng.integers(0, 365, n).astype("timedelta64[D]")
    return {"n": n, "totals": totals, "rates": rates, "first_due": first_due}


# -- arrears ------------------------------------------------------------------------------------


def run_arrears(d: dict[str, Any]) -> Any:
    from arrears.plans import installment_schedules

    return installment_schedules(
        d["totals"], PERIODS, d["first_due"], d["rates"], rate_scale=RATE_SCALE, progress=False
    )


# -- numpy --------------------------------------------------------------------------------------


def _numpy_dates(first_due: np.ndarray) -> np.ndarray:
    months = first_due.astype("datetime64[M]")
    day0 = (first_due - months.astype("datetime64[D]")).astype(np.int64)
    grid = months[:, None] + np.arange(PERIODS)
    start = grid.astype("datetime64[D]")
    length = ((grid + 1).astype("datetime64[D]") - start).astype(np.int64)
    return start + np.minimum(day0[:, None], length - 1).astype("timedelta64[D]")


def run_numpy(d: dict[str, Any]) -> dict[str, np.ndarray]:
    totals, rates = d["totals"], d["rates"]
    den = RATE_SCALE * 12
    r = rates / den
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = np.where(r > 0, totals * r / -np.expm1(-PERIODS * np.log1p(r)), totals / PERIODS)
    payment = np.floor(exact + 0.5).astype(np.int64)
    amount = np.empty((len(totals), PERIODS), dtype=np.int64)
    interest = np.empty_like(amount)
    principal = np.empty_like(amount)
    balance = totals.copy()
    for k in range(PERIODS):
        i = (balance * rates * 2 + den) // (2 * den)  # half-up, exact in integer cents
        interest[:, k] = i
        if k < PERIODS - 1:
            amount[:, k] = payment
            principal[:, k] = payment - i
            balance -= payment - i
        else:
            amount[:, k] = balance + i
            principal[:, k] = balance
    return {
        "due": _numpy_dates(d["first_due"]),
        "amount": amount,
        "principal": principal,
        "interest": interest,
    }


# -- numpy-financial ----------------------------------------------------------------------------


def run_numpy_financial(d: dict[str, Any]) -> dict[str, np.ndarray]:
    import numpy_financial as npf

    totals, rates = d["totals"], d["rates"]
    r = (rates / (RATE_SCALE * 12))[:, None]
    per = np.arange(1, PERIODS + 1)[None, :]
    pv = totals[:, None].astype(np.float64)
    payment = np.round(-npf.pmt(r, PERIODS, pv), 0)
    interest = np.round(-npf.ipmt(r, per, PERIODS, pv), 0)
    interest = np.nan_to_num(interest)  # ipmt is nan at rate 0
    amount = np.broadcast_to(payment, interest.shape).astype(np.int64)
    principal = amount - interest.astype(np.int64)
    return {
        "due": _numpy_dates(d["first_due"]),
        "amount": amount,
        "principal": principal,
        "interest": interest.astype(np.int64),
    }


# -- plain Python -------------------------------------------------------------------------------

_CENT = Decimal("0.01")


def _python_schedule(total_cents: int, rate_bp: int, first: datetime.date) -> list[tuple[Any, ...]]:
    P = Decimal(total_cents) / 100
    r = Decimal(rate_bp) / (RATE_SCALE * 12)
    pmt = P / PERIODS if r == 0 else P * r / (1 - (1 + r) ** -PERIODS)
    pmt = pmt.quantize(_CENT, rounding=ROUND_HALF_UP)
    rows = []
    balance = P
    for k in range(PERIODS):
        m = first.month - 1 + k
        y, m = first.year + m // 12, m % 12 + 1
        last_day = (datetime.date(y + m // 12, m % 12 + 1, 1) - datetime.timedelta(days=1)).day
        due = datetime.date(y, m, min(first.day, last_day))
        interest = (balance * r).quantize(_CENT, rounding=ROUND_HALF_UP)
        if k < PERIODS - 1:
            rows.append((due, pmt, pmt - interest, interest))
            balance -= pmt - interest
        else:
            rows.append((due, balance + interest, balance, interest))
    return rows


def run_python(d: dict[str, Any]) -> list[list[tuple[Any, ...]]]:
    firsts = d["first_due"].astype(datetime.date).tolist()
    return [
        _python_schedule(t, r, f)
        for t, r, f in zip(d["totals"].tolist(), d["rates"].tolist(), firsts, strict=True)
    ]


# -- agreement ----------------------------------------------------------------------------------


def _as_grid(result: Any, n: int) -> dict[str, np.ndarray]:
    if isinstance(result, dict):
        return result
    if isinstance(result, list):  # plain Python
        cents = np.array(
            [[[int(v * 100) for v in row[1:]] for row in sched] for sched in result], dtype=np.int64
        )
        due = np.array([[row[0] for row in sched] for sched in result], dtype="datetime64[D]")
        return {
            "due": due,
            "amount": cents[:, :, 0],
            "principal": cents[:, :, 1],
            "interest": cents[:, :, 2],
        }
    return {
        "due": result["due"].reshape(n, PERIODS),
        "amount": result["amount_cents"].reshape(n, PERIODS),
        "principal": result["principal_cents"].reshape(n, PERIODS),
        "interest": result["interest_cents"].reshape(n, PERIODS),
    }


def check(result: Any, baseline: Any) -> None:
    base = _as_grid(baseline, len(baseline) // PERIODS)
    got = _as_grid(result, base["amount"].shape[0])
    if not np.array_equal(got["due"], base["due"]):
        raise AssertionError("due dates differ")
    # numpy-financial does not round interest on the running balance: allow a cent per period
    # there (and the residue in the last installment); every other variant must be exact.
    if np.array_equal(got["amount"][:, :-1], base["amount"][:, :-1]) and np.array_equal(
        got["interest"], base["interest"]
    ):
        if not np.array_equal(got["amount"], base["amount"]):
            raise AssertionError("last installments differ")
        return
    diff = np.abs(got["interest"] - base["interest"]).max()
    if diff > 1 or np.abs(got["amount"][:, :-1] - base["amount"][:, :-1]).max() > 1:
        raise AssertionError(f"schedules differ by more than a cent (interest: {diff} cents)")


BENCHMARKS = [
    Benchmark(
        name="plans_schedules",
        setup=setup,
        variants={
            "arrears": run_arrears,
            "numpy": run_numpy,
            "numpy-financial": run_numpy_financial,
        },
        sizes=(100_000, 1_000_000),
        quick_sizes=(10_000,),
        unit="schedules",
        description="12-installment interest-bearing schedules with due dates, one call "
        "(1e6 schedules = 12e6 installment rows).",
        targets="1e6 schedules >= 8x the numpy way",
        check=check,
    ),
    Benchmark(
        name="plans_schedules_python",
        setup=setup,
        variants={"arrears": run_arrears, "python": run_python},
        sizes=(10_000, 100_000),
        quick_sizes=(1_000,),
        unit="schedules",
        repeat=3,
        description="The same schedules against plain Python with decimal, one at a time.",
        check=check,
    ),
]
