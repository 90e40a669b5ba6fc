"""arrears.Account and the ledger from Python: posting, allocation, reversals, interest, status,
itemization, tables, JSON and pickling, and the bad-input contract (clear error, nothing changed).
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import arrears
from arrears import Account, Money
from arrears.ledger import (
    AccountDebtor,
    Allocation,
    AllocationPolicy,
    Balance,
    FeeRules,
    InterestTerms,
    Itemization,
    LateFeeRule,
    LedgerEntry,
    Transaction,
    account_status_transitions,
    post_debtor_payment,
    transactions_table,
)

T0 = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
D = date


def example(**kwargs: Any) -> Account:
    """$1,000 placed and a $30 fee on 2025-01-01; 12% actual/365 simple interest."""
    kwargs.setdefault("interest", InterestTerms("0.12"))
    a = Account("A1", D(2025, 1, 1), original_creditor="First Bank", **kwargs)
    a.post_charge("1000.00", D(2025, 1, 1), "placement", posted_at=T0)
    a.post_fee("30.00", D(2025, 1, 1), "fee", posted_at=T0)
    return a


def snapshot(a: Account) -> str:
    return a.to_json()


class TestPosting:
    def test_payment_pays_fees_then_interest_then_principal(self) -> None:
        a = example()
        interest = a.accrue_interest(D(2025, 1, 31), posted_at=T0)
        assert interest is not None
        assert interest.amount == Money("9.86")  # 30 days on $1,000 at 12%/365
        paid = a.post_payment("100.00", D(2025, 2, 1), "CHK-1", posted_at=T0)
        assert isinstance(paid, Allocation)
        assert (paid.fees, paid.interest, paid.principal) == (
            Money("30.00"),
            Money("9.86"),
            Money("60.14"),
        )
        assert paid.unapplied == Money("0")
        assert paid.total == Money("100.00")
        assert paid.transaction_id == 4
        b = a.balance()
        assert isinstance(b, Balance)
        assert b.principal == Money("939.86")
        assert b.total == Money("939.86")

    def test_amounts_accept_str_decimal_int_and_money(self) -> None:
        a = example()
        a.post_payment(Decimal("1.50"), D(2025, 2, 1), "d", posted_at=T0)
        a.post_payment(2, D(2025, 2, 1), "i", posted_at=T0)  # an int is whole units
        a.post_payment(Money("0.25"), D(2025, 2, 1), "m", posted_at=T0)
        assert a.balance().total == Money("1026.25")

    def test_overpayment_is_unapplied_credit(self) -> None:
        a = Account("A", D(2025, 1, 1))
        a.post_charge("50", D(2025, 1, 1), posted_at=T0)
        paid = a.post_payment("80", D(2025, 1, 2), posted_at=T0)
        assert paid.unapplied == Money("30")
        assert a.balance().total == Money("-30")

    def test_backdated_payment_recomputes_interest_and_later_allocations(self) -> None:
        a = example()
        a.accrue_interest(D(2025, 1, 31), posted_at=T0)
        p1 = a.post_payment("100", D(2025, 2, 1), "P1", posted_at=T0)
        a.post_payment("50", D(2025, 1, 15), "P0", posted_at=T0)
        interest = a.transaction(3)
        assert interest.amount == Money("9.76")  # 14 days on 1,000 + 16 days on 980
        assert interest.posted_amount == Money("9.86")
        assert interest.restated
        again = a.transaction(p1.transaction_id or 0)
        assert again.allocation.principal == Money("90.24")
        assert again.posted_allocation == p1
        assert again.restated
        assert [t.id for t in a.transaction_list()] == [1, 2, 5, 3, 4]
        assert [e.id for e in a.entries] == [1, 2, 3, 4, 5]

    def test_balance_as_of_reads_the_end_of_the_day(self) -> None:
        a = example()
        a.post_payment("100", D(2025, 3, 1), posted_at=T0)
        assert a.balance(D(2024, 12, 31)).total == Money("0")
        assert a.balance(D(2025, 2, 28)).total == Money("1030")
        assert a.balance(D(2025, 3, 1)).total == Money("930")

    def test_posted_at_defaults_to_now(self) -> None:
        a = example()
        before = datetime.now(timezone.utc) - timedelta(seconds=2)
        a.post_payment("1", D(2025, 2, 1))
        assert a.entries[-1].posted_at >= before

    def test_fees_costs_adjustments_write_offs_and_discounts(self) -> None:
        a = example()
        court = a.post_fee("75", D(2025, 1, 5), "court", component="costs", posted_at=T0)
        assert court.component == "costs"
        waive = a.post_adjustment("-10", "fees", D(2025, 1, 6), "waive", posted_at=T0)
        assert waive.balance_effect == Money("-10")
        assert a.balance().costs == Money("75")
        discount = a.post_settlement_discount("95", D(2025, 2, 1), "settle", posted_at=T0)
        assert discount.allocation.fees == Money("20")
        assert discount.allocation.costs == Money("75")
        off = a.post_write_off(None, D(2025, 2, 2), "wo", posted_at=T0)  # the whole balance
        assert off.amount == Money("1000")
        assert a.balance().total == Money("0")

    def test_principal_first_policy_and_its_change_from_a_date(self) -> None:
        judgment = AllocationPolicy(payment=["principal", "interest", "fees", "costs"])
        a = example()
        early = a.post_payment("10", D(2025, 1, 5), "early", posted_at=T0)
        late = a.post_payment("10", D(2025, 3, 5), "late", posted_at=T0)
        assert late.fees == Money("10")
        a.change_allocation_policy(judgment, D(2025, 3, 1))
        assert a.transaction(early.transaction_id or 0).allocation.fees == Money("10")
        assert a.transaction(late.transaction_id or 0).allocation.principal == Money("10")
        assert a.allocation_changes == [(D(2025, 3, 1), judgment)]


class TestReversal:
    def test_reversal_restores_exactly_what_the_payment_paid(self) -> None:
        a = example()
        a.accrue_interest(D(2025, 1, 31), posted_at=T0)
        before = a.balance()
        paid = a.post_payment("100", D(2025, 2, 1), "P1", posted_at=T0)
        r = a.reverse(paid.transaction_id or 0, "chargeback", posted_at=T0)
        assert isinstance(r, Transaction)
        assert r.type == "payment_reversal"
        assert r.reverses == paid.transaction_id
        assert r.reason == "chargeback"
        assert r.allocation.principal == paid.principal
        assert r.allocation.interest == paid.interest
        assert a.balance() == before
        assert a.transaction(paid.transaction_id or 0).reversed_by == r.id

    def test_nsf_reversal_posts_the_nsf_fee(self) -> None:
        a = example(fees=FeeRules(nsf="25"))
        paid = a.post_payment("40", D(2025, 2, 1), "CHK-9", posted_at=T0)
        a.reverse(paid.transaction_id or 0, "nsf", posted_at=T0)
        fee = a.transaction(5)
        assert (fee.type, fee.amount, fee.reference) == ("fee", Money("25"), "nsf:CHK-9")
        assert fee.reverses == paid.transaction_id
        assert a.balance().total == Money("1055")

    def test_later_reversal_date(self) -> None:
        a = Account("A", D(2025, 1, 1), interest=InterestTerms("0.365"))
        a.post_charge("1000", D(2025, 1, 1), posted_at=T0)
        paid = a.post_payment("500", D(2025, 1, 11), posted_at=T0)
        a.reverse(paid.transaction_id or 0, "nsf", effective=D(2025, 1, 21), posted_at=T0)
        a.accrue_interest(D(2025, 1, 31), posted_at=T0)
        assert a.balance().interest == Money("25")  # 10 + 5 + 10 days at $1/$0.50 a day


def unchanged(a: Account, action: Callable[[], object], error: type[Exception], match: str) -> None:
    """The action raises `error` matching `match` and the account is exactly as before."""
    before = snapshot(a)
    with pytest.raises(error, match=match):
        action()
    assert snapshot(a) == before


class TestBadInput:
    @pytest.fixture
    def a(self) -> Account:
        a = example()
        paid = a.post_payment("10", D(2025, 2, 1), "P1", posted_at=T0)
        a.reverse(paid.transaction_id or 0, "nsf", posted_at=T0)
        return a

    @pytest.mark.parametrize("amount", ["0", "0.00", "-5", -5, 0])
    def test_zero_or_negative_payment(self, a: Account, amount: object) -> None:
        unchanged(
            a,
            lambda: a.post_payment(amount, D(2025, 2, 2), "x", posted_at=T0),  # type: ignore[arg-type]
            arrears.ValidationError,
            r"amount: .* is not positive",
        )

    def test_float_amount(self, a: Account) -> None:
        unchanged(
            a,
            lambda: a.post_payment(1.5, D(2025, 2, 2), posted_at=T0),  # type: ignore[arg-type]
            arrears.ValidationError,
            "float",
        )

    def test_currency_mismatch(self, a: Account) -> None:
        unchanged(
            a,
            lambda: a.post_payment(Money("5", "EUR"), D(2025, 2, 2), posted_at=T0),
            arrears.ValidationError,
            "EUR",
        )

    def test_effective_before_the_account_opened(self, a: Account) -> None:
        unchanged(
            a,
            lambda: a.post_payment("5", D(2024, 12, 31), posted_at=T0),
            arrears.ValidationError,
            r"effective: 2024-12-31 is before the account opened \(2025-01-01\)",
        )

    def test_reversing_twice_is_a_conflict(self, a: Account) -> None:
        unchanged(
            a, lambda: a.reverse(3, "nsf", posted_at=T0), arrears.ConflictError, "already reversed"
        )

    def test_unknown_transaction_is_not_found(self, a: Account) -> None:
        unchanged(a, lambda: a.reverse(99, "nsf"), arrears.NotFoundError, "no transaction 99")
        with pytest.raises(LookupError):
            a.transaction(0)

    def test_only_payments_can_be_reversed(self, a: Account) -> None:
        unchanged(a, lambda: a.reverse(1, "error"), arrears.ValidationError, "is a charge")

    def test_unknown_reason_lists_the_choices(self, a: Account) -> None:
        a.post_payment("1", D(2025, 2, 3), "P2", posted_at=T0)
        unchanged(
            a,
            lambda: a.reverse(5, "bounced"),
            arrears.ValidationError,
            "reason: unknown reversal reason 'bounced' .*nsf, chargeback, error or other",
        )

    def test_reversal_before_the_payment(self, a: Account) -> None:
        a.post_payment("1", D(2025, 2, 3), "P2", posted_at=T0)
        unchanged(
            a,
            lambda: a.reverse(5, "nsf", effective=D(2025, 2, 2)),
            arrears.ValidationError,
            "before the payment's effective date",
        )

    def test_duplicate_payment_reference(self, a: Account) -> None:
        a.post_payment("1", D(2025, 2, 3), "CHK-7", posted_at=T0)
        unchanged(
            a,
            lambda: a.post_payment("1", D(2025, 2, 4), "CHK-7", posted_at=T0),
            arrears.ConflictError,
            "'CHK-7' was already posted",
        )

    def test_datetime_and_naive_instants(self, a: Account) -> None:
        unchanged(
            a,
            lambda: a.post_payment("1", datetime(2025, 2, 3, 9), posted_at=T0),  # type: ignore[arg-type]
            arrears.ValidationError,
            r"datetime\.date",
        )
        unchanged(
            a,
            lambda: a.post_payment("1", D(2025, 2, 3), posted_at=datetime(2025, 2, 3)),
            arrears.ValidationError,
            "naive",
        )

    def test_write_off_more_than_owed(self, a: Account) -> None:
        unchanged(
            a,
            lambda: a.post_write_off("5000", D(2025, 2, 3), posted_at=T0),
            arrears.ValidationError,
            "more than the balance",
        )

    def test_bad_component_and_zero_adjustment(self, a: Account) -> None:
        unchanged(
            a,
            lambda: a.post_fee("1", D(2025, 2, 3), component="principal"),
            arrears.ValidationError,
            "'fees' or 'costs'",
        )
        unchanged(
            a,
            lambda: a.post_adjustment("0", "fees", D(2025, 2, 3)),
            arrears.ValidationError,
            "must change something",
        )
        unchanged(
            a,
            lambda: a.post_charge("1", D(2025, 2, 3), component="penalty"),
            arrears.ValidationError,
            "unknown component 'penalty'",
        )


class TestInterest:
    def test_accrue_twice_and_no_rate(self) -> None:
        a = example()
        assert a.accrue_interest(D(2025, 1, 31), posted_at=T0) is not None
        assert a.accrue_interest(D(2025, 1, 31), posted_at=T0) is None
        assert Account("B", D(2025, 1, 1)).accrue_interest(D(2025, 1, 31)) is None

    def test_accrued_interest_posts_nothing(self) -> None:
        a = example()
        assert a.accrued_interest(D(2025, 1, 31)) == Money("9.86")
        assert len(a.entries) == 2

    def test_terms_cap_compound_and_rate_changes(self) -> None:
        terms = InterestTerms(
            "0.365",
            day_count="actual/360",
            compound=True,
            cap="50",
            rate_changes=[(D(2025, 3, 1), "0")],
        )
        assert terms.annual_rate == Decimal("0.365")
        assert terms.cap == Money("50")
        assert terms.rate_changes == [(D(2025, 3, 1), Decimal("0"))]
        a = Account("A", D(2025, 1, 1), interest=InterestTerms("0.365", cap="15"))
        a.post_charge("1000", D(2025, 1, 1), posted_at=T0)
        a.accrue_interest(D(2025, 1, 11), posted_at=T0)
        a.accrue_interest(D(2025, 1, 31), posted_at=T0)
        assert a.balance().interest == Money("15")
        a.change_interest_rate("0", D(2025, 1, 6))
        assert a.balance().interest == Money("5")

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"annual_rate": "-0.1"}, "annual_rate: -0.1 is negative"),
            ({"annual_rate": 0.12}, "float"),
            ({"day_count": "actual/364"}, "day_count"),
            ({"rounding": "bankers"}, "rounding"),
            ({"start_on": D(2025, 2, 1), "stop_on": D(2025, 1, 1)}, "stop_on"),
        ],
    )
    def test_bad_terms(self, kwargs: dict[str, Any], match: str) -> None:
        with pytest.raises(arrears.ValidationError, match=match):
            InterestTerms(**kwargs)

    def test_late_fee_rule(self) -> None:
        rule = LateFeeRule("15", "0.05", maximum="25", grace_days=10)
        assert rule.amount_for("400") == Money("20")
        a = Account("A", D(2025, 1, 1), fees=FeeRules(late=rule))
        a.post_charge("400", D(2025, 1, 1), posted_at=T0)
        fee = a.post_late_fee(D(2025, 2, 1), "400", posted_at=T0)
        assert (fee.effective, fee.amount) == (D(2025, 2, 12), Money("20"))
        with pytest.raises(arrears.ConflictError):
            a.post_late_fee(D(2025, 2, 1), "400")
        with pytest.raises(arrears.ValidationError, match="grace_days"):
            LateFeeRule("15", grace_days=-1)


class TestAccount:
    def full(self) -> Account:
        return Account(
            "A7",
            D(2024, 1, 15),
            account_number="4111111111111111",
            debtors=[AccountDebtor("D1"), AccountDebtor("D2", role="co_signer", ecoa_code="5")],
            original_creditor="First Bank",
            current_creditor="Buyer LLC",
            product_type="credit_card",
            charged_off_on=D(2025, 6, 30),
            first_delinquency_on=D(2025, 2, 1),
            itemization_date=D(2025, 6, 30),
            itemization_basis="charge_off",
            client="acme",
            portfolio="2025-Q3",
            tags=["b", "a", "b"],
            queue="early",
            collector="agent-17",
            interest=InterestTerms("0.1"),
            fees=FeeRules(nsf="20"),
        )

    def test_fields(self) -> None:
        a = self.full()
        assert a.tags == ("a", "b")
        assert a.debtors[1] == AccountDebtor("D2", role="co_signer", ecoa_code="5")
        assert a.masked_account_number == "************1111"
        assert "4111111111111111" not in repr(a)
        assert a.status == "active"
        assert a.itemization_basis == "charge_off"
        with pytest.raises(AttributeError):
            a.status = "paid"  # type: ignore[misc]

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"debtors": [AccountDebtor("D1"), AccountDebtor("D2")]}, "exactly one primary"),
            ({"debtors": [AccountDebtor("D1"), AccountDebtor("D1", role="joint")]}, "listed twice"),
            ({"itemization_date": D(2025, 6, 1)}, "itemization_basis: required"),
            (
                {
                    "charged_off_on": D(2025, 6, 30),
                    "itemization_date": D(2025, 5, 31),
                    "itemization_basis": "charge_off",
                },
                "charged_off_on",
            ),
            ({"itemization_basis": "statement", "itemization_date": D(2025, 1, 1)}, "statement"),
            ({"product_type": "payday"}, "product type 'payday'"),
            ({"status": "open"}, "account status 'open'"),
            ({"charged_off_on": D(2023, 1, 1)}, "before the account opened"),
            ({"currency": "usd"}, "'usd'"),
        ],
    )
    def test_bad_fields(self, kwargs: dict[str, Any], match: str) -> None:
        with pytest.raises(arrears.ValidationError, match=match):
            Account("A", D(2024, 1, 1), **kwargs)
        with pytest.raises(arrears.ValidationError, match="ecoa_code: '4'"):
            AccountDebtor("D1", ecoa_code="4")

    def test_status_lifecycle(self) -> None:
        a = self.full()
        assert "disputed" in a.allowed_statuses()
        a.set_status("disputed", D(2025, 7, 1), "letter")
        with pytest.raises(arrears.ConflictError, match="cannot go from 'disputed' to 'legal'"):
            a.set_status("legal", D(2025, 7, 2))
        a.set_status("active", D(2025, 7, 20), "verified")
        assert [s.status for s in a.status_history] == ["active", "disputed", "active"]
        transitions = account_status_transitions()
        assert transitions["recalled"] == []
        assert set(transitions) == {
            "active", "promise", "plan", "disputed", "settled", "paid", "closed", "recalled",
            "legal", "bankrupt", "deceased",
        }  # fmt: skip

    def test_assignment_and_tags(self) -> None:
        a = self.full()
        a.assign(queue="late", collector=None)
        assert (a.queue, a.collector) == ("late", None)
        a.add_tag("c")
        a.remove_tag("a")
        assert a.tags == ("b", "c")
        with pytest.raises(arrears.NotFoundError):
            a.remove_tag("zzz")

    def test_itemization(self) -> None:
        a = self.full()
        a.post_charge("1000", D(2025, 6, 30), "placement", posted_at=T0)
        a.accrue_interest(D(2025, 7, 31), posted_at=T0)
        a.post_payment("50", D(2025, 8, 1), "P", posted_at=T0)
        it = a.itemization()
        assert isinstance(it, Itemization)
        assert it.on_itemization_date == Money("1000")
        assert it.interest == Money("8.49")  # 31 days on $1,000 at 10%/365
        assert it.payments == Money("50")
        assert it.current == Money("958.49")
        assert it.current == a.balance().total
        with pytest.raises(arrears.ValidationError, match="no itemization date"):
            Account("X", D(2025, 1, 1)).itemization()

    def test_last_payment_date(self) -> None:
        a = Account("A", D(2025, 1, 1), last_payment_on=D(2025, 3, 1))
        a.post_charge("10", D(2025, 1, 1), posted_at=T0)
        assert a.last_payment_date() == D(2025, 3, 1)
        a.post_payment("1", D(2025, 4, 1), posted_at=T0)
        assert a.last_payment_date() == D(2025, 4, 1)


class TestTablesAndSerialization:
    def test_transactions_is_an_arrow_table(self) -> None:
        a = example()
        paid = a.post_payment("100", D(2025, 2, 1), "P1", posted_at=T0)
        a.reverse(paid.transaction_id or 0, "error", posted_at=T0)
        t = a.transactions
        assert isinstance(t, arrears.Table)
        assert t.num_rows == 4
        rows = t.to_pylist()
        assert rows[2]["type"] == "payment"
        assert rows[2]["fees_cents"] == 3000
        assert rows[2]["reversed_by"] == 4
        assert rows[3]["reverses"] == 3
        assert rows[3]["reason"] == "error"
        assert rows[0]["component"] == "principal"
        assert rows[2]["component"] is None
        assert rows[2]["balance_effect_cents"] == -10000
        assert rows[3]["balance_total_cents"] == 103000
        assert hasattr(t, "__arrow_c_stream__")
        df = t.to_pandas()
        assert df["amount_cents"].sum() == 100000 + 3000 + 10000 + 10000
        assert list(df["effective"].dt.date) == [D(2025, 1, 1)] * 2 + [D(2025, 2, 1)] * 2

    def test_transactions_of_many_accounts(self) -> None:
        a, b = example(), Account("B", D(2025, 1, 1))
        b.post_charge("5", D(2025, 1, 1), posted_at=T0)
        t = transactions_table([a, b])
        assert t.to_pydict()["account_id"] == ["A1", "A1", "B"]
        with pytest.raises(arrears.ValidationError, match=r"accounts\[1\]"):
            transactions_table([a, "B"])  # type: ignore[list-item]

    def test_account_round_trips(self) -> None:
        a = TestAccount().full()
        a.post_charge("1000", D(2025, 6, 30), "placement", posted_at=T0)
        paid = a.post_payment("50", D(2025, 8, 1), "P", posted_at=T0)
        a.reverse(paid.transaction_id or 0, "nsf", posted_at=T0)
        a.set_status("promise", D(2025, 8, 2))
        assert Account.from_json(a.to_json()) == a
        assert Account.from_dict(a.to_dict()) == a
        assert pickle.loads(pickle.dumps(a)) == a
        b = copy.deepcopy(a)
        assert b == a
        b.add_tag("new")
        assert b != a
        with pytest.raises(TypeError):
            hash(a)
        data = a.to_dict()
        data["colour"] = "red"
        with pytest.raises(arrears.ValidationError, match=r"\$\.colour"):
            Account.from_dict(data)

    def test_value_types_round_trip_and_hash(self) -> None:
        a = example()
        a.post_payment("100", D(2025, 2, 1), "P1", posted_at=T0)
        values: list[Any] = [
            a.transaction(3),
            a.transaction(3).allocation,
            a.balance(),
            a.entries[0],
            AccountDebtor("D2", role="joint", ecoa_code="2"),
            AllocationPolicy(settlement_discount=["interest", "fees", "costs", "principal"]),
            InterestTerms(
                "0.1299", cap=Money("100", "EUR"), rate_changes=[(D(2026, 1, 1), "0.09")]
            ),
            LateFeeRule("10", "0.05", maximum="20", grace_days=5),
            FeeRules(late=LateFeeRule("10"), nsf="25"),
            a.status_history[0],
            TestAccount().full().itemization(D(2025, 7, 1)),
        ]
        for v in values:
            cls = type(v)
            assert cls.from_json(v.to_json()) == v, cls
            assert cls.from_dict(v.to_dict()) == v, cls
            assert pickle.loads(pickle.dumps(v)) == v, cls
            assert hash(cls.from_json(v.to_json())) == hash(v), cls
            assert copy.copy(v) == v
            json.loads(v.to_json())
        assert isinstance(values[3], LedgerEntry)

    def test_pickle_state_is_versioned(self) -> None:
        state = example().balance().__getstate__()
        assert state[0] == 1
        with pytest.raises(arrears.ValidationError, match="unknown state version"):
            Balance.__new__(Balance).__setstate__((2, state[1]))

    def test_reprs_and_html(self) -> None:
        a = example(account_number="12345678")
        a.post_payment("100", D(2025, 2, 1), "<b>", posted_at=T0)
        r = repr(a)
        assert r.startswith("Account(id='A1', account_number='****5678', status='active'")
        html = a._repr_html_()
        assert "$930.00" in html
        assert "&lt;b&gt;" in html
        assert "<b>" not in html.replace("<strong>", "")
        assert repr(a.transaction(3)).startswith("Transaction(id=3, type='payment'")
        assert "fees='30.00'" in repr(a.transaction(3).allocation)


class TestDebtorPayment:
    def test_pro_rata_split_is_all_or_nothing(self) -> None:
        x, y = Account("X", D(2025, 1, 1)), Account("Y", D(2025, 1, 1))
        x.post_charge("300", D(2025, 1, 1), posted_at=T0)
        y.post_charge("100", D(2025, 1, 1), posted_at=T0)
        parts = post_debtor_payment([x, y], "100", D(2025, 2, 1), "CHK-1", posted_at=T0)
        assert [p.total if p else None for p in parts] == [Money("75"), Money("25")]
        before = (x.to_json(), y.to_json())
        with pytest.raises(arrears.ConflictError):
            post_debtor_payment([x, y], "10", D(2025, 2, 2), "CHK-1")
        assert (x.to_json(), y.to_json()) == before
        seq = post_debtor_payment([x, y], "250", D(2025, 2, 3), "CHK-2", method="sequential")
        assert [p.total if p else None for p in seq] == [Money("225"), Money("25")]
        with pytest.raises(arrears.ValidationError, match="unknown split method"):
            post_debtor_payment([x, y], "1", D(2025, 2, 4), method="largest")
