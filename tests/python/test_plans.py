"""The arrears.plans contract: schedules (reference vectors, numpy-financial and a decimal oracle),
APR, plans and their evaluation, re-aging, offers, the batch builder, JSON and pickling, bad
input."""

from __future__ import annotations

import copy
import json
import pickle
import random
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears import Money, ValidationError, plans
from arrears.plans import (
    Budget,
    OfferPolicy,
    PaymentPlan,
    PlanRules,
    ReagingRule,
    Schedule,
    apr,
    installment_plan,
    installment_schedule,
    installment_schedule_by_amount,
    installment_schedules,
    promise_to_pay,
    propose_offers,
    settlement,
)

PERIODS = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}


def amounts(s: Schedule) -> list[str]:
    return [str(x.amount.amount) for x in s]


# -- an independent oracle: the reference's method in exact Python fractions --------------------


def _round_cents(x: Fraction, mode: str) -> Fraction:
    """x (dollars) rounded to cents: half_up (ties away from zero), up (ceiling), down (floor)."""
    c = x * 100
    fl = c.numerator // c.denominator
    if mode == "down" or c == fl:
        q = fl
    elif mode == "up":
        q = fl + 1
    else:
        q = fl + 1 if c - fl >= Fraction(1, 2) else fl
    return Fraction(q, 100)


def exact_schedule(total: str, n: int, annual_rate: str, per_year: int, rounding: str) -> list:
    P, r = Fraction(total), Fraction(annual_rate) / per_year
    pmt = P / n if r == 0 else P * r / (1 - (1 + r) ** -n)
    pmt = _round_cents(pmt, rounding)
    rows, balance = [], P
    for k in range(n):
        i = _round_cents(balance * r, "half_up")
        if k < n - 1:
            rows.append((pmt, pmt - i, i))
            balance -= pmt - i
        else:
            rows.append((balance + i, balance, i))
    return [tuple(Decimal(v.numerator) / v.denominator for v in row) for row in rows]


# -- schedules: reference vectors ----------------------------------------------------------------


class TestReferenceVectors:
    def test_level_payment_worked_vector(self) -> None:
        s = installment_schedule("1000.00", 12, date(2026, 2, 1), annual_rate="0.12")
        assert amounts(s) == ["88.85"] * 11 + ["88.84"]
        assert s.total_interest == Money("66.19")
        assert s.total_amount == Money("1066.19")
        assert (s[0].interest, s[0].principal) == (Money("10.00"), Money("78.85"))
        assert Money("1000.00") - s[0].principal == Money("921.15")
        assert s.regular_amount == Money("88.85") and s.last_amount == Money("88.84")

    @pytest.mark.parametrize(
        ("total", "count", "rounding", "expected"),
        [
            ("1000.00", 3, "half_up", ["333.33", "333.33", "333.34"]),
            ("2284.56", 7, "half_up", ["326.37"] * 6 + ["326.34"]),
            ("2284.56", 7, "up", ["326.37"] * 6 + ["326.34"]),
            ("2284.56", 7, "down", ["326.36"] * 6 + ["326.40"]),
        ],
    )
    def test_zero_interest_splits(
        self, total: str, count: int, rounding: str, expected: list[str]
    ) -> None:
        s = installment_schedule(total, count, date(2026, 2, 1), rounding=rounding)
        assert amounts(s) == expected
        assert sum(x.amount for x in s) == Money(total)

    def test_apr_vectors(self) -> None:
        s = installment_schedule("1000.00", 12, date(2026, 2, 1), annual_rate="0.12")
        a = apr("1000.00", s)
        assert isinstance(a, Decimal)
        assert round(a * 100, 2) == Decimal("12.00")
        assert abs(a - Decimal("0.12")) <= Decimal("0.00125")  # 1/8 of a percentage point
        b = apr(Money("975.00"), s)
        assert round(b * 100, 2) == Decimal("16.84")
        # The same payments as plain (date, amount) pairs.
        pairs = [(x.due, x.amount) for x in s]
        assert apr("975.00", pairs) == b

    def test_level_payment_function(self) -> None:
        assert plans.level_payment("1000.00", 12, "0.12") == Money("88.85")
        assert plans.level_payment("1000.00", 12, "0.12", rounding="down") == Money("88.84")


# -- schedules: oracles ---------------------------------------------------------------------------


class TestOracles:
    def test_numpy_financial_payment(self) -> None:
        rng = random.Random(5)
        checked = 0
        for _ in range(400):
            cents = rng.randint(10_000, 5_000_000)
            bp = rng.randint(1, 3600)
            n = rng.randint(2, 120)
            exact = npf.pmt(bp / 10_000 / 12, n, -cents / 100)
            frac = exact * 100 % 1
            if abs(frac - 0.5) < 1e-6:  # a float cannot decide a near-tie; the exact path does
                continue
            s = installment_schedule(
                Money.from_minor(cents), n, date(2026, 1, 15), annual_rate=Decimal(bp) / 10_000
            )
            assert s.regular_amount.minor == int(np.floor(exact * 100 + 0.5))
            # The float annuity with the same rounded payment: the last payment is the balance
            # left after n-1 payments plus its interest. Per-period rounding of the interest
            # (half a cent at most each period, compounding) is the only difference.
            r, pay = bp / 10_000 / 12, s.regular_amount.minor / 100
            left = -npf.fv(r, n - 1, -pay, cents / 100) * (1 + r)
            float_interest = pay * (n - 1) + left - cents / 100
            bound = 0.005 * sum((1 + r) ** k for k in range(n)) + 0.01
            assert abs(float(s.total_interest.amount) - float_interest) <= bound
            checked += 1
        assert checked > 350

    @given(
        total=st.integers(min_value=100, max_value=10**9),
        n=st.integers(min_value=1, max_value=60),
        bp=st.integers(min_value=0, max_value=10_000),
        frequency=st.sampled_from(list(PERIODS)),
        rounding=st.sampled_from(["half_up", "up", "down"]),
    )
    def test_exact_oracle(self, total: int, n: int, bp: int, frequency: str, rounding: str) -> None:
        money = Money.from_minor(total)
        rate = str(Decimal(bp) / 10_000)
        expected = exact_schedule(str(money.amount), n, rate, PERIODS[frequency], rounding)
        if any(row[0] <= 0 for row in expected) or (
            n > 1
            and any(sum(r[1] for r in expected[: k + 1]) >= money.amount for k in range(n - 1))
        ):
            with pytest.raises(ValidationError):
                installment_schedule(money, n, date(2026, 3, 31), frequency, rate, rounding)
            return
        s = installment_schedule(money, n, date(2026, 3, 31), frequency, rate, rounding)
        got = [(x.amount.amount, x.principal.amount, x.interest.amount) for x in s]
        assert got == expected


# -- schedules: properties and dates ------------------------------------------------------------


def _apr_oracle(amount: str, amounts: list[Money], periods_per_year: int) -> Decimal:
    """Appendix J (b)(8) for one advance one unit-period before payments exactly one unit-period
    apart: amount = sum(P_k / (1 + i)^k); APR = i * periods_per_year, by bisection in Fractions."""
    target = Fraction(amount)
    pays = [Fraction(str(m.amount)) for m in amounts]

    def excess(i: Fraction) -> Fraction:
        pv, factor = Fraction(0), Fraction(1)
        for p in pays:
            factor /= 1 + i
            pv += p * factor
        return pv - target

    lo, hi = Fraction(0), Fraction(1, 10)
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if excess(mid) > 0 else (lo, mid)
    rate = (lo + hi) / 2 * periods_per_year
    return Decimal(rate.numerator) / Decimal(rate.denominator)


class TestAprUnitPeriod:
    """Issue 17: (date, amount) pairs used to be read as monthly whatever their dates."""

    @pytest.mark.parametrize(("frequency", "per_year"), [("weekly", 52), ("biweekly", 26)])
    def test_pairs_take_the_unit_period_their_dates_follow(
        self, frequency: str, per_year: int
    ) -> None:
        s = installment_schedule(
            "1000.00", 26, date(2026, 1, 8), frequency=frequency, annual_rate="0.15"
        )
        pairs = [(x.due, x.amount) for x in s]
        got = apr("1000.00", pairs)
        oracle = _apr_oracle("1000.00", [x.amount for x in s], per_year)
        assert abs(got - oracle) <= Decimal("0.000001"), (got, oracle)
        assert got == apr("1000.00", s) == apr("1000.00", pairs, unit_period=frequency)
        assert abs(got - Decimal("0.15")) <= Decimal("0.00125")  # 1/8 point of the note rate

    def test_semimonthly_pairs_agree_with_their_schedule(self) -> None:
        s = installment_schedule(
            "1000.00", 24, date(2026, 1, 15), frequency="semimonthly", annual_rate="0.12"
        )
        assert apr("1000.00", [(x.due, x.amount) for x in s]) == apr("1000.00", s)

    def test_the_packages_installments_are_accepted_directly(self) -> None:
        s = installment_schedule("1000.00", 12, date(2026, 2, 1), annual_rate="0.12")
        assert apr("1000.00", s.installments) == apr("1000.00", list(s)) == apr("1000.00", s)

    def test_irregular_dates_need_a_unit_period(self) -> None:
        pairs = [
            (date(2026, 2, 1), "400.00"),
            (date(2026, 3, 1), "400.00"),
            (date(2026, 3, 20), "250.00"),
        ]
        with pytest.raises(ValidationError) as e:
            apr("1000.00", pairs)
        message = str(e.value)
        assert message.startswith("unit_period: the payment dates are irregular (payments[2]")
        assert "2026-03-20 is not monthly from 2026-02-01" in message
        assert "Appendix J (b)(4)" in message
        monthly = apr("1000.00", pairs, unit_period="monthly")
        assert Decimal("0") < monthly < Decimal("1")
        # A schedule built from the same dates is labelled monthly but does not follow it.
        schedule = Schedule.from_payments(pairs)
        with pytest.raises(ValidationError, match="do not follow its frequency monthly"):
            apr("1000.00", schedule)
        assert apr("1000.00", schedule, unit_period="monthly") == monthly

    def test_one_payment_is_a_monthly_unit_period(self) -> None:
        one = [(date(2026, 3, 1), "1010.00")]
        assert apr("1000.00", one) == apr("1000.00", one, unit_period="monthly")


class TestScheduleProperties:
    @given(
        total=st.integers(min_value=1, max_value=10**11),
        n=st.integers(min_value=1, max_value=360),
        bp=st.integers(min_value=0, max_value=10_000),
        frequency=st.sampled_from(list(PERIODS)),
        rounding=st.sampled_from(["half_up", "up", "down"]),
    )
    def test_installments_always_sum_to_the_total(
        self, total: int, n: int, bp: int, frequency: str, rounding: str
    ) -> None:
        money = Money.from_minor(total)
        try:
            s = installment_schedule(
                money, n, date(2026, 1, 31), frequency, Decimal(bp) / 10_000, rounding
            )
        except ValidationError as exc:  # terms too small to split: said so, naming the field
            assert "count:" in str(exc)
            return
        assert sum(x.principal for x in s) == money
        assert sum(x.amount for x in s) == money + s.total_interest
        assert all(x.amount == x.principal + x.interest for x in s)
        assert all(x.amount.minor > 0 and x.interest.minor >= 0 for x in s)
        if bp == 0:
            assert sum(x.amount for x in s) == money
        assert len({x.amount for x in list(s)[:-1]}) <= 1  # level until the last

    def test_month_end_clamping_from_the_anchor(self) -> None:
        s = installment_schedule("400", 4, date(2024, 1, 31))
        assert [x.due for x in s] == [
            date(2024, 1, 31),
            date(2024, 2, 29),
            date(2024, 3, 31),
            date(2024, 4, 30),
        ]
        assert plans.due_dates(date(2026, 1, 15), 4, "semimonthly") == [
            date(2026, 1, 15),
            date(2026, 1, 30),
            date(2026, 2, 15),
            date(2026, 2, 28),
        ]
        assert plans.due_dates(date(2026, 1, 1), 3, "biweekly")[-1] == date(2026, 1, 29)

    def test_fixed_amount_variant(self) -> None:
        s = installment_schedule_by_amount("1000.00", "300.00", date(2026, 2, 1))
        assert amounts(s) == ["300.00", "300.00", "300.00", "100.00"]
        t = installment_schedule_by_amount("1000.00", "88.85", date(2026, 2, 1), annual_rate="0.12")
        assert amounts(t) == ["88.85"] * 11 + ["88.84"]
        with pytest.raises(ValidationError, match="does not cover the first period's interest"):
            installment_schedule_by_amount("1000", "10", date(2026, 2, 1), annual_rate="0.12")

    def test_table_and_html(self) -> None:
        s = installment_schedule("1000.00", 12, date(2026, 2, 1), annual_rate="0.12")
        t = s.to_table()
        assert t.column_names == [
            "number",
            "due",
            "amount_cents",
            "principal_cents",
            "interest_cents",
        ]
        df = t.to_pandas()
        assert df["amount_cents"].sum() == 106619
        assert df["interest_cents"].iloc[0] == 1000
        assert "<table>" in s._repr_html_() and "$88.84" in s._repr_html_()

    def test_from_payments(self) -> None:
        s = Schedule.from_payments([(date(2026, 1, 1), "10"), (date(2026, 1, 15), "10.50")])
        assert s.frequency == "biweekly" and s.total == Money("20.50")


class TestScheduleValueType:
    def test_json_pickle_hash(self) -> None:
        s = installment_schedule("1000.00", 12, date(2026, 2, 1), annual_rate="0.12")
        assert Schedule.from_json(s.to_json()) == s
        assert Schedule.from_json(s.to_dict()) == s
        assert pickle.loads(pickle.dumps(s)) == s
        assert copy.deepcopy(s) == s
        assert hash(s) == hash(Schedule.from_json(s.to_json()))
        assert s.annual_rate == Decimal("0.12")
        x = s[0]
        assert pickle.loads(pickle.dumps(x)) == x
        assert s[-1] == s[11]
        with pytest.raises(IndexError):
            s[12]
        with pytest.raises(AttributeError):
            s.total = Money("1")  # type: ignore[misc]

    def test_json_errors_name_the_path(self) -> None:
        d = installment_schedule("100", 2, date(2026, 2, 1)).to_dict()
        d["installments"][1]["amount"] = 50.0
        with pytest.raises(ValidationError, match=r"\$\.installments\[1\]\.amount"):
            Schedule.from_json(d)


class TestScheduleBadInput:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"total": "0"}, "total: 0.00 must be positive"),
            ({"total": "-10"}, "total: -10.00 must be positive"),
            ({"count": 0}, "count: 0 is outside 1..1200"),
            ({"frequency": "fortnightly"}, "frequency: unknown frequency 'fortnightly'"),
            ({"annual_rate": "1.5"}, "annual_rate: 1.5 is outside 0..1"),
            ({"annual_rate": "-0.01"}, "annual_rate: -0.01 is outside 0..1"),
            ({"annual_rate": 0.12}, "annual_rate: 0.12 is a float"),
            ({"total": 100.0}, "total: 100.0 is a float"),
            ({"rounding": "half_even"}, "rounding: unknown schedule rounding 'half_even'"),
        ],
    )
    def test_rejected(self, kwargs: dict, message: str) -> None:
        args = {"total": "100", "count": 3, "first_due": date(2026, 2, 1)} | kwargs
        with pytest.raises(ValidationError, match=message.replace(".", r"\.")):
            installment_schedule(**args)

    def test_datetime_is_not_a_date(self) -> None:
        with pytest.raises(ValidationError, match="first_due"):
            installment_schedule("100", 3, datetime(2026, 2, 1, 9, 30))  # type: ignore[arg-type]


# -- plans ----------------------------------------------------------------------------------------

PLAN_DATE = date(2026, 1, 15)


def three_month_plan(**kwargs: object) -> PaymentPlan:
    return installment_plan(
        "300.00", plan_date=PLAN_DATE, first_due=date(2026, 2, 1), count=3, **kwargs
    )


class TestPlans:
    def test_evaluate_reports_status_and_dated_events(self) -> None:
        plan = three_month_plan()
        pays = [(date(2026, 2, 3), "100.00"), (date(2026, 3, 12), "40.00")]
        ev = plan.evaluate(pays, date(2026, 3, 20))
        assert ev.status == "delinquent"
        assert [(e.type, e.date, e.installment) for e in ev.events] == [
            ("kept", date(2026, 2, 3), 1),
            ("missed", date(2026, 3, 7), 2),
        ]
        assert [s.status for s in ev.installments] == ["paid", "missed", "due"]
        assert ev.installments[1].paid == Money("40.00")
        assert ev.days_past_due == 19
        assert ev.payments[1].applied == [(2, Money("40.00"))]
        assert plan.evaluate(pays, date(2026, 1, 20)).status == "active"
        assert plan.evaluate(pays[:1], date(2026, 2, 20)).status == "current"
        html = ev._repr_html_()
        assert "Status delinquent" in html and "<table>" in html and "missed" in html
        plan_html = plan._repr_html_()
        assert "<table>" in plan_html and "Status active" in plan_html and "$100.00" in plan_html
        df = ev.to_table().to_pandas()
        assert list(df["status"].astype(str)) == ["paid", "missed", "due"]
        assert list(ev.events_table().to_pandas()["type"].astype(str)) == ["kept", "missed"]

    def test_break_rules(self) -> None:
        rules = PlanRules(grace_days=0, break_after_missed=1, break_after_days_late=None)
        ev = three_month_plan(rules=rules).evaluate([], date(2026, 2, 2))
        assert ev.status == "broken" and ev.events[-1].detail == "1 missed installment"
        lenient = PlanRules(break_after_missed=None, break_after_days_late=None)
        assert three_month_plan(rules=lenient).evaluate([], date(2027, 1, 1)).status == (
            "delinquent"
        )

    def test_tolerance_counts_short_payments_as_kept(self) -> None:
        plan = three_month_plan(rules=PlanRules(tolerance="1.00"))
        ev = plan.evaluate([(date(2026, 2, 1), "99.25")], date(2026, 2, 10))
        assert ev.events[0].type == "kept" and ev.installments[0].status == "paid"

    def test_settlement_completion_writes_off_the_rest(self) -> None:
        plan = settlement("1000.00", "600.00", plan_date=PLAN_DATE, offer_expiry=date(2026, 2, 1))
        assert plan.kind == "settlement" and plan.discount == Money("400.00")
        ev = plan.evaluate([(date(2026, 1, 30), "600.00")], date(2026, 2, 5))
        assert ev.status == "completed"
        disc = ev.events[-1]
        assert (disc.type, disc.amount, disc.date) == (
            "settlement_discount",
            Money("400.00"),
            date(2026, 1, 30),
        )
        assert ev.balance_remaining == Money("0")

    def test_settlement_default_void_or_pro_rata(self) -> None:
        kw = {"plan_date": PLAN_DATE, "offer_expiry": date(2026, 2, 1), "count": 3}
        void = settlement("1000.00", "600.00", **kw)
        ev = void.evaluate([(date(2026, 2, 1), "200")], date(2026, 6, 1))
        assert ev.status == "broken"
        assert ev.events[-1].type == "settlement_voided" and ev.balance_remaining == Money("800")
        pro = settlement("1000.00", "600.00", rules=PlanRules(on_default="pro_rata"), **kw)
        ev2 = pro.evaluate([(date(2026, 2, 1), "200")], date(2026, 6, 1))
        types = [e.type for e in ev2.events]
        assert types[-2:] == ["settlement_discount", "settlement_voided"]
        assert ev2.events[-2].amount == Money("133.33")

    def test_offer_expiry(self) -> None:
        plan = settlement("1000", "500", plan_date=PLAN_DATE, offer_expiry=date(2026, 1, 31))
        ev = plan.evaluate([], date(2026, 2, 1))
        assert ev.status == "cancelled" and ev.events[-1].type == "offer_expired"

    def test_promise_to_pay(self) -> None:
        p = promise_to_pay("900", "250", due=date(2026, 2, 1), plan_date=PLAN_DATE)
        assert p.kind == "promise" and p.total == Money("250")
        assert p.evaluate([(date(2026, 2, 1), "250")], date(2026, 2, 1)).status == "completed"
        broken = p.evaluate([], date(2026, 2, 7))
        assert broken.status == "broken" and broken.events[-1].detail == "promise to pay missed"

    def test_several_accounts_split_pro_rata(self) -> None:
        plan = installment_plan(
            accounts=[("A-1", "600"), ("A-2", "300"), ("A-3", "100")],
            plan_date=PLAN_DATE,
            first_due=date(2026, 2, 1),
            count=4,
            debtor_id="D-7",
        )
        assert plan.balance == Money("1000") and len(plan.accounts) == 3
        ev = plan.evaluate([(date(2026, 2, 1), "250")], date(2026, 2, 1))
        assert ev.payments[0].accounts == [
            ("A-1", Money("150")),
            ("A-2", Money("75")),
            ("A-3", Money("25")),
        ]
        assert plan.split_amount("0.01") == [
            ("A-1", Money("0.01")),
            ("A-2", Money("0")),
            ("A-3", Money("0")),
        ]

    def test_payments_from_a_dataframe(self) -> None:
        import pandas as pd

        df = pd.DataFrame(
            {"date": pd.to_datetime(["2026-02-01", "2026-03-01"]), "amount_cents": [10000, 5000]}
        )
        pays = plans.payments_from_frame(df)
        assert pays == [(date(2026, 2, 1), Money("100")), (date(2026, 3, 1), Money("50"))]
        assert three_month_plan().evaluate(pays, date(2026, 3, 2)).paid == Money("150")
        with pytest.raises(ValidationError, match="amount_cents: float64 values"):
            plans.payments_from_frame(df.assign(amount_cents=[1.0, 2.0]))

    def test_cancel_returns_a_new_plan(self) -> None:
        plan = three_month_plan()
        cancelled = plan.cancel(date(2026, 2, 10))
        assert plan.cancelled_on is None and cancelled.cancelled_on == date(2026, 2, 10)
        assert cancelled.evaluate([], date(2026, 3, 1)).status == "cancelled"

    def test_value_type(self) -> None:
        plan = settlement(
            "1000.00",
            "600.00",
            plan_date=PLAN_DATE,
            offer_expiry=date(2026, 2, 1),
            count=3,
            plan_id="P-1",
            debtor_id="D-1",
            rules=PlanRules(grace_days=3, tolerance="0.50", break_after_days_late=None),
        )
        assert PaymentPlan.from_json(plan.to_json()) == plan
        assert pickle.loads(pickle.dumps(plan)) == plan
        assert hash(plan) == hash(pickle.loads(pickle.dumps(plan)))
        assert json.loads(plan.to_json())["rules"]["break_after_days_late"] is None
        ev = plan.evaluate([(date(2026, 2, 1), "200")], date(2026, 4, 1))
        assert plans.PlanEvaluation.from_json(ev.to_json()) == ev
        assert pickle.loads(pickle.dumps(ev)) == ev
        for item in (ev.events[0], ev.installments[0], ev.payments[0], plan.rules):
            assert pickle.loads(pickle.dumps(item)) == item
        assert "PaymentPlan(settlement" in repr(plan)


class TestPlanBadInput:
    def test_settlement_above_balance(self) -> None:
        with pytest.raises(
            ValidationError, match=re.escape("settlement_amount: 1200.00 is above the bal")
        ):
            settlement("1000", "1200", plan_date=PLAN_DATE, offer_expiry=date(2026, 2, 1))

    def test_first_due_before_plan_date(self) -> None:
        with pytest.raises(ValidationError, match="first_due: 2026-01-01 is before the plan date"):
            installment_plan("300", plan_date=PLAN_DATE, first_due=date(2026, 1, 1), count=3)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"count": 0}, "count: 0 is outside"),
            ({"count": None}, "count: give exactly one of count and amount"),
            ({"frequency": "daily"}, "frequency: unknown frequency 'daily'"),
            ({"annual_rate": "2"}, "annual_rate: 2 is outside 0..1"),
            ({"rules": PlanRules(grace_days=0, break_after_days_late=0)}, None),
        ],
    )
    def test_rejected_terms(self, kwargs: dict, message: str | None) -> None:
        args = {"plan_date": PLAN_DATE, "first_due": date(2026, 2, 1), "count": 3} | kwargs
        if message is None:  # a valid edge: breaking on the first late day is allowed
            installment_plan("300", **args)
            return
        with pytest.raises(ValidationError, match=message):
            installment_plan("300", **args)

    def test_rules_validation(self) -> None:
        with pytest.raises(ValidationError, match=re.escape("grace_days: 400 is outside 0..365")):
            PlanRules(grace_days=400)
        with pytest.raises(ValidationError, match="break_after_days_late: 3 is less than"):
            PlanRules(grace_days=5, break_after_days_late=3)
        with pytest.raises(ValidationError, match="on_default: unknown settlement default"):
            PlanRules(on_default="forgive")
        with pytest.raises(ValidationError, match=r"\$\.grace_days"):
            PlanRules.from_json('{"grace_days": 400}')
        with pytest.raises(ValidationError, match="unknown field"):
            PlanRules.from_json('{"grace": 4}')

    def test_bad_payments_change_nothing(self) -> None:
        plan = three_month_plan()
        before = plan.to_json()
        with pytest.raises(ValidationError, match=r"payments\[1\]\.amount: -5\.00 must be pos"):
            plan.evaluate([(date(2026, 2, 1), "100"), (date(2026, 2, 2), "-5")], date(2026, 3, 1))
        with pytest.raises(ValidationError, match=r"payments\[0\]\.amount: 1\.5 is a float"):
            plan.evaluate([(date(2026, 2, 1), 1.5)], date(2026, 3, 1))
        with pytest.raises(ValidationError, match="as_of: 2026-01-01 is before the plan date"):
            plan.evaluate([], date(2026, 1, 1))
        with pytest.raises(ValidationError, match="currency mismatch"):
            plan.evaluate([(date(2026, 2, 1), Money("100", "EUR"))], date(2026, 3, 1))
        assert plan.to_json() == before

    def test_accounts_validation(self) -> None:
        with pytest.raises(ValidationError, match="'A' appears twice"):
            installment_plan(
                accounts=[("A", "1"), ("A", "2")],
                plan_date=PLAN_DATE,
                first_due=date(2026, 2, 1),
                count=1,
            )
        with pytest.raises(ValidationError, match="balance: give either balance or accounts"):
            installment_plan(
                "3", accounts=[("A", "3")], plan_date=PLAN_DATE, first_due=PLAN_DATE, count=1
            )


# -- properties of matching ------------------------------------------------------------------------

payment_lists = st.lists(
    st.tuples(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=40000)),
    max_size=12,
)


class TestMatchingProperties:
    @given(pays=payment_lists, as_of_day=st.integers(min_value=0, max_value=220))
    def test_matching_never_loses_a_payment(self, pays: list, as_of_day: int) -> None:
        plan = installment_plan(
            "1000.00",
            plan_date=date(2026, 1, 1),
            first_due=date(2026, 1, 20),
            count=6,
            rules=PlanRules(tolerance="0.50"),
        )
        payments = [(date(2025, 12, 20) + timedelta(days=d), Money.from_minor(c)) for d, c in pays]
        as_of = date(2026, 1, 1) + timedelta(days=as_of_day)
        ev = plan.evaluate(payments, as_of)
        counted = [p for p in payments if p[0] <= as_of]
        assert len(ev.payments) == len(counted)
        assert sum((m.amount for m in ev.payments), Money("0")) == sum(
            (p[1] for p in counted), Money("0")
        )
        for m in ev.payments:
            assert sum((a for _, a in m.applied), Money("0")) + m.unapplied == m.amount
            assert m.unapplied.minor >= 0 and all(a.minor > 0 for _, a in m.applied)
        applied = sum((a for m in ev.payments for _, a in m.applied), Money("0"))
        assert applied == ev.paid <= plan.total
        assert sum((s.paid for s in ev.installments), Money("0")) == ev.paid

    @given(
        pays=payment_lists, as_of_day=st.integers(min_value=0, max_value=220), seed=st.integers()
    )
    def test_status_does_not_depend_on_recording_order(
        self, pays: list, as_of_day: int, seed: int
    ) -> None:
        plan = settlement(
            accounts=[("A", "700"), ("B", "300")],
            settlement_amount="600",
            plan_date=date(2026, 1, 1),
            offer_expiry=date(2026, 1, 20),
            first_due=date(2026, 1, 20),
            count=4,
        )
        payments = [(date(2026, 1, 1) + timedelta(days=d), Money.from_minor(c)) for d, c in pays]
        as_of = date(2026, 1, 1) + timedelta(days=as_of_day)
        shuffled = payments[:]
        random.Random(seed).shuffle(shuffled)
        assert plan.evaluate(shuffled, as_of) == plan.evaluate(payments, as_of)


# -- re-aging and offers --------------------------------------------------------------------------


class TestReaging:
    def test_three_kept_payments_reage_and_keep_the_first_delinquency_date(self) -> None:
        plan = installment_plan("600", plan_date=PLAN_DATE, first_due=date(2026, 2, 1), count=6)
        pays = [(date(2026, m, 1), "100") for m in (2, 3, 4)]
        ev = plan.evaluate(pays, date(2026, 4, 10))
        rule = ReagingRule()
        d = rule.decide(ev, 95, date(2025, 10, 1))
        assert d and d.reaged_on == date(2026, 4, 1) and d.days_past_due == 0
        assert d.date_of_first_delinquency == date(2025, 10, 1)
        again = rule.decide(ev, 95, date(2025, 10, 1), [date(2025, 12, 1)])
        assert not again and "less than 12 months" in again.reason
        assert pickle.loads(pickle.dumps(d)) == d and pickle.loads(pickle.dumps(rule)) == rule
        with pytest.raises(ValidationError, match="consecutive_kept: 0"):
            ReagingRule(consecutive_kept=0)


class TestOffers:
    def test_best_first_within_policy_and_budget(self) -> None:
        budget = Budget("2500", "2200", available_funds="700")
        policy = OfferPolicy(minimum_payment="50", maximum_term_months=12, settlement_floor="0.6")
        offers = propose_offers("1500", budget, policy, date(2026, 3, 1))
        assert [(o.kind, o.total, o.count) for o in offers] == [
            ("installment", Money("1500"), 5),
            ("installment", Money("1500"), 12),
            ("settlement", Money("900"), 1),
            ("settlement", Money("900"), 3),
            ("settlement", Money("900"), 12),
        ]
        assert all(o.regular_payment <= budget.disposable for o in offers if o.count > 1)
        plan = offers[2].to_plan(date(2026, 3, 1))
        assert plan.kind == "settlement" and plan.offer_expiry == date(2026, 3, 15)
        assert pickle.loads(pickle.dumps(offers[0])) == offers[0]
        assert OfferPolicy.from_json(policy.to_json()) == policy
        assert Budget.from_json(budget.to_dict()) == budget

    def test_bad_budget_and_policy(self) -> None:
        with pytest.raises(ValidationError, match=re.escape("monthly_income: -1.00 is negative")):
            Budget("-1", "0")
        with pytest.raises(ValidationError, match=re.escape("settlement_floor: 1.2 is outside")):
            OfferPolicy(settlement_floor="1.2")
        with pytest.raises(ValidationError, match=re.escape("balance: 0.00 must be positive")):
            propose_offers("0", Budget("1", "0"), OfferPolicy(), date(2026, 1, 1))


# -- the batch builder ----------------------------------------------------------------------------


class TestBatch:
    def test_matches_the_single_schedules(self) -> None:
        rng = np.random.default_rng(2)
        n = 500
        totals = rng.integers(1_000, 3_000_000, n)
        counts = rng.integers(1, 40, n)
        dues = np.datetime64("2026-01-01") + rng.integers(0, 400, n).astype("timedelta64[D]")
        rates = [str(Decimal(int(b)) / 10_000) for b in rng.integers(0, 3600, n)]
        freqs = [list(PERIODS)[i % 4] for i in range(n)]
        seen: list[int] = []
        t = installment_schedules(
            totals, counts, dues, rates, frequency=freqs, progress=lambda d, _t: seen.append(d)
        )
        assert seen and seen[-1] == n
        df = t.to_pandas()
        assert len(df) == counts.sum()
        for i in range(0, n, 37):
            s = installment_schedule(
                Money.from_minor(int(totals[i])),
                int(counts[i]),
                dues[i].astype(date),
                freqs[i],
                rates[i],
            )
            rows = df[df["schedule"] == i]
            assert list(rows["amount_cents"]) == [x.amount.minor for x in s]
            assert list(rows["interest_cents"]) == [x.interest.minor for x in s]
            assert list(rows["principal_cents"]) == [x.principal.minor for x in s]
            assert [d.date() for d in rows["due"]] == [x.due for x in s]

    def test_scalar_broadcast_and_integer_rates(self) -> None:
        t = installment_schedules(
            [100_000, 200_000], 12, date(2026, 2, 1), np.array([1200, 0]), rate_scale=10_000
        )
        amount = t["amount_cents"]
        assert list(amount[:12]) == [8885] * 11 + [8884]
        assert sum(amount[12:]) == 200_000

    def test_bad_columns_name_the_row(self) -> None:
        with pytest.raises(ValidationError, match=r"totals\[1\]: -0\.05 must be positive"):
            installment_schedules([100, -5], 3, date(2026, 2, 1))
        with pytest.raises(ValidationError, match="totals: float64 values"):
            installment_schedules(np.array([100.0]), 3, date(2026, 2, 1))
        with pytest.raises(ValidationError, match=r"annual_rates\[0\]: 0\.12 is a float"):
            installment_schedules([100], 3, date(2026, 2, 1), [0.12])
        with pytest.raises(ValidationError, match="has a time of day"):
            installment_schedules([100], 3, np.array(["2026-02-01T10:00"], dtype="M8[m]"))
        with pytest.raises(ValidationError, match=r"counts\[0\]: 0 is outside"):
            installment_schedules([100], [0], date(2026, 2, 1))
        with pytest.raises(ValidationError, match="counts: 2 values for 3 schedules"):
            installment_schedules([100, 100, 100], [1, 2], date(2026, 2, 1))
        with pytest.raises(ValidationError, match="frequencies"):
            installment_schedules([100], 3, date(2026, 2, 1), frequency=["weekly", "x"])

    def test_progress_exception_stops_the_call(self) -> None:
        def boom(done: int, total: int) -> None:
            raise RuntimeError("stop")

        with pytest.raises(KeyboardInterrupt):
            installment_schedules(np.full(100_000, 10_000), 12, date(2026, 2, 1), progress=boom)
