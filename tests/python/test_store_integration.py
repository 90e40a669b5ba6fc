"""The nightly batch on stored data, from Python: plans saved and evaluated against the ledgers,
letter campaigns selected from the store and logged back into it, and the monthly Metro 2 file
with its submission history."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arrears
from arrears import Account, Debtor, Money, Store
from arrears import metro2 as m2
from arrears.debtor import Address as DebtorAddress
from arrears.debtor import Deceased
from arrears.letters import LETTER_COLUMNS, Address, Campaign, CollectorProfile, store_selection
from arrears.plans import installment_plan, promise_to_pay, settlement

D = datetime.date
SENT = D(2026, 5, 4)


def debtor(i: str = "D1", ssn: str = "123-45-6789", **kw: object) -> Debtor:
    return Debtor(
        i,
        "Ana",
        "Lopez",
        ssn=ssn,
        date_of_birth=D(1980, 5, 17),
        addresses=[DebtorAddress("1 Main St", "Boston", "MA", "02110")],
        **kw,
    )


def account(i: str = "A1", debtors: object = ("D1",), principal: str = "1000.00") -> Account:
    a = Account(
        i,
        D(2023, 1, 15),
        debtors=list(debtors),  # type: ignore[call-overload]
        account_number=f"4111000000{i}",
        original_creditor="Bank of Rockville",
        current_creditor="Bank of Rockville",
        product_type="credit_card",
        charged_off_on=D(2025, 6, 30),
        first_delinquency_on=D(2025, 1, 10),
        itemization_date=D(2025, 6, 30),
        itemization_basis="charge_off",
    )
    a.post_charge(principal, D(2025, 6, 30), "placement")
    return a


@pytest.fixture
def store() -> Store:
    s = Store(":memory:", actor="nightly-batch")
    s.save(debtor("D1"))
    s.save(debtor("D2", ssn="234-56-7890"))
    s.save(account("A1"))
    return s


@pytest.fixture
def collector() -> CollectorProfile:
    return CollectorProfile(
        "North South Group",
        Address("1234 Main Street", "Suite 100", "Anytown", "MA", "02110"),
        "(800) 123-4567",
    )


def header(activity: datetime.date) -> m2.HeaderRecord:
    return m2.HeaderRecord(
        reporter_name="NORTH SOUTH GROUP",
        reporter_address="1234 MAIN STREET ANYTOWN MA 02110",
        activity_date=activity,
        date_created=activity,
        equifax_program_identifier="EQ12345",
    )


PROFILE = m2.Metro2Profile(identification_number="AGENCY01")


# ---- plans ------------------------------------------------------------------------------------


class TestPlans:
    def test_save_read_and_list(self, store: Store) -> None:
        p = settlement(
            "1000.00",
            "600.00",
            plan_date=D(2026, 1, 10),
            offer_expiry=D(2026, 1, 31),
            account_id="A1",
            plan_id="P1",
            debtor_id="D1",
        )
        store.save_plan(p)
        assert store.plan("P1") == p and store.has_plan("P1")
        assert store.plans() == [p] == store.plans(account_id="A1") == store.plans(status="active")
        assert store.plans(status="broken") == [] and store.plans(account_id="A9") == []
        assert store.account("A1").status == "plan"
        store.save_plan(p)  # the same agreement: nothing changes
        with pytest.raises(arrears.ValidationError, match="status"):
            store.plans(status="late")
        with pytest.raises(arrears.NotFoundError, match="'P9'"):
            store.plan("P9")

    def test_bad_plans_are_refused_and_nothing_is_stored(self, store: Store) -> None:
        ok = dict(plan_date=D(2026, 1, 10), first_due=D(2026, 2, 1), count=3)
        with pytest.raises(arrears.ValidationError, match="plan_id"):
            store.save_plan(installment_plan("300.00", account_id="A1", **ok))  # type: ignore[arg-type]
        with pytest.raises(arrears.NotFoundError, match="account 'A9'"):
            store.save_plan(installment_plan("300.00", account_id="A9", plan_id="P1", **ok))  # type: ignore[arg-type]
        with pytest.raises(arrears.ValidationError, match="expected a PaymentPlan"):
            store.save_plan("P1")  # type: ignore[arg-type]
        store.save_plan(installment_plan("300.00", account_id="A1", plan_id="P1", **ok))  # type: ignore[arg-type]
        with pytest.raises(arrears.ConflictError, match="open plan 'P1'"):
            store.save_plan(installment_plan("300.00", account_id="A1", plan_id="P2", **ok))  # type: ignore[arg-type]
        with pytest.raises(arrears.ConflictError, match="other terms"):
            store.save_plan(installment_plan("600.00", account_id="A1", plan_id="P1", **ok))  # type: ignore[arg-type]
        assert [p.plan_id for p in store.plans()] == ["P1"]
        with pytest.raises(arrears.ValidationError, match="plan_ids: empty"):
            store.evaluate_plans(D(2026, 3, 1), plan_ids=[])

    def test_settlement_completion_posts_the_discount_once(self, store: Store) -> None:
        store.save_plan(
            settlement(
                "1000.00",
                "600.00",
                plan_date=D(2026, 1, 10),
                offer_expiry=D(2026, 1, 31),
                account_id="A1",
                plan_id="P1",
            )
        )
        store.post_payment("A1", "600.00", D(2026, 1, 20), "chk-1")
        out = store.evaluate_plans(D(2026, 2, 1))
        assert isinstance(out, arrears.Table)
        rows = out.to_pylist()
        assert {r["event"] for r in rows} >= {
            "kept",
            "completed",
            "settlement_discount",
            "discount_posted",
            "account_status",
        }
        assert all(r["status"] == "completed" and r["previous_status"] == "active" for r in rows)
        posted = [r for r in rows if r["event"] == "discount_posted"]
        assert posted == [dict(posted[0], account_id="A1", amount_cents=40000)]
        a = store.account("A1")
        assert a.status == "settled" and a.balance().total == Money("0")
        assert store.query(
            "SELECT type, amount_cents, reference FROM v_transactions WHERE type = "
            "'settlement_discount'"
        ).to_pylist() == [
            {"type": "settlement_discount", "amount_cents": 40000, "reference": "plan:P1"}
        ]
        assert store.evaluate_plans(D(2026, 2, 1)).num_rows == 0
        assert store.evaluate_plans(D(2026, 3, 1)).num_rows == 0
        assert store.query("SELECT count(*) AS n FROM transactions").to_pylist() == [{"n": 3}]

    def test_a_broken_promise_is_found_once_after_the_grace_period(self, store: Store) -> None:
        store.save_plan(
            promise_to_pay(
                "1000.00",
                "200.00",
                due=D(2026, 2, 1),
                plan_date=D(2026, 1, 20),
                account_id="A1",
                plan_id="P1",
            )
        )
        assert store.evaluate_plans(D(2026, 2, 6)).to_pylist()[0]["status"] == "current"
        assert store.evaluate_plans(D(2026, 2, 6)).num_rows == 0
        broken = [
            r for r in store.evaluate_plans(D(2026, 2, 7)).to_pylist() if r["event"] == "broken"
        ]
        assert broken == [
            dict(
                broken[0],
                plan_id="P1",
                kind="promise",
                event_date=D(2026, 2, 7),
                status="broken",
                debtor_id="D1",
            )
        ]
        assert store.account("A1").status == "active"
        assert store.plans(status="broken")[0].plan_id == "P1"
        # Broken is final: the plan is not evaluated again.
        assert store.evaluate_plans(D(2026, 2, 20), plan_ids=["P1"]).num_rows == 0

    def test_a_read_only_store_evaluates_nothing(self, tmp_path: Path) -> None:
        path = tmp_path / "a.db"
        with Store(path) as s:
            s.save(debtor())
        with (
            Store(path, read_only=True) as s,
            pytest.raises(arrears.StorageError, match="read-only"),
        ):
            s.evaluate_plans(D(2026, 2, 1))

    @settings(max_examples=40, deadline=None)
    @given(
        payments=st.lists(
            st.tuples(st.integers(0, 120), st.integers(1, 30_000)), min_size=0, max_size=6
        ),
        days=st.integers(0, 150),
    )
    def test_the_stored_evaluation_is_the_plans_own(
        self, payments: list[tuple[int, int]], days: int
    ) -> None:
        s = Store(":memory:")
        s.save(debtor())
        s.save(account())
        plan = installment_plan(
            "600.00",
            plan_date=D(2026, 1, 10),
            first_due=D(2026, 2, 1),
            count=3,
            account_id="A1",
            plan_id="P1",
        )
        s.save_plan(plan)
        start = D(2026, 1, 10)
        for k, (day, cents) in enumerate(payments):
            s.post_payment("A1", Money(cents, "USD"), start + datetime.timedelta(days=day), f"p{k}")
        as_of = start + datetime.timedelta(days=days)
        expected = plan.evaluate(s.plan_payments("P1", as_of), as_of)
        s.evaluate_plans(as_of)
        stored = s.query("SELECT status FROM plans").to_pylist()[0]["status"]
        assert stored == expected.status
        events = s.query("SELECT type, event_date FROM plan_events ORDER BY seq").to_pylist()
        assert [(e["type"], e["event_date"]) for e in events] == [
            (e.type, e.date) for e in expected.events
        ]
        assert s.evaluate_plans(as_of).num_rows == 0  # idempotent


# ---- letters ----------------------------------------------------------------------------------


class TestLetters:
    def test_letter_table_has_the_campaign_columns(self, store: Store) -> None:
        t = store.letter_table(None, SENT)
        assert set(t.column_names) - {"debtor_id"} <= set(LETTER_COLUMNS)
        row = t.to_pylist()[0]
        assert row["itemization_amount_cents"] == row["current_cents"] == 100000
        assert row["itemization_date"] == D(2025, 6, 30)
        assert row["recipient_name"] == "Ana Lopez" and row["postal_code"] == "02110"
        assert row["initial_communication"] is True and row["english_notice_sent"] is False
        with pytest.raises(arrears.NotFoundError, match="'A9'"):
            store.letter_table(["A9"], SENT)
        with pytest.raises(arrears.ValidationError, match="listed twice"):
            store.letter_table(["A1", "A1"], SENT)
        with pytest.raises(arrears.ValidationError, match="account_ids"):
            store.letter_table("A1", SENT)  # type: ignore[arg-type]

    def test_placed_principal_counts_as_owed_on_the_itemization_date(self, store: Store) -> None:
        # Charged-off debt placed later: the import books the placed balance on placed_on. The
        # balance placed (principal, interest, fees) is what was owed at charge-off
        # (1006.34(c)(2)(vi)), not charges since; only what is added after placement is.
        import pandas as pd

        store.import_accounts(
            pd.DataFrame(
                {
                    "account_id": ["A7"],
                    "debtor_id": ["D1"],
                    "opened_on": [D(2022, 1, 5)],
                    "charged_off_on": [D(2024, 3, 31)],
                    "itemization_date": [D(2024, 3, 31)],
                    "itemization_basis": ["charge_off"],
                    "placed_on": [D(2025, 9, 1)],
                    "principal": ["1500.00"],
                    "interest": ["120.50"],
                    "fees": ["35.00"],
                }
            )
        )
        store.post_payment("A7", "100.00", D(2026, 1, 15), "p-1")
        row = store.letter_table(["A7"], SENT).to_pylist()[0]
        assert row["itemization_date"] == D(2024, 3, 31)
        assert row["itemization_amount_cents"] == 150000 + 12050 + 3500
        assert (row["interest_cents"], row["fees_cents"]) == (0, 0)
        assert row["payments_credits_cents"] == 10000
        assert row["current_cents"] == 150000 + 12050 + 3500 - 10000
        # Before the placement nothing is owed on the ledger yet, and the amount stays as it was.
        early = store.letter_table(["A7"], D(2025, 8, 31)).to_pylist()[0]
        assert early["itemization_amount_cents"] == early["current_cents"] == 0

    def test_a_campaign_from_the_store_is_logged_as_communications(
        self, store: Store, collector: CollectorProfile, tmp_path: Path
    ) -> None:
        store.save(account("A2", debtors=("D2",)))
        store.save(
            debtor("D2", ssn="234-56-7890", deceased=Deceased(D(2026, 3, 1), source="family"))
        )
        c = Campaign(
            "vn-2026-05-04",
            "validation_notice",
            store.letter_table(None, SENT),
            SENT,
            collector=collector,
        )
        assert c.suppressed == [None, "deceased"]
        result = c.run(tmp_path / "vn", log=store.letter_sink(c))
        assert result.counts == {"selected": 2, "suppressed": 1, "letters": 1}
        letters = store.query(
            "SELECT letter_id, account_id, debtor_id, template, channel, sent_on, file FROM letters"
        ).to_pylist()
        assert letters == [
            {
                "letter_id": "vn-2026-05-04-000001",
                "account_id": "A1",
                "debtor_id": "D1",
                "template": "validation_notice",
                "channel": "mail",
                "sent_on": SENT,
                "file": "letters-0001.html",
            }
        ]
        events = store.query(
            "SELECT e.debtor_id, e.channel, e.outcome, d.account_id FROM contact_events e "
            "JOIN contact_event_debts d ON d.event_id = e.id"
        ).to_pylist()
        assert events == [
            {"debtor_id": "D1", "channel": "letter", "outcome": "delivered", "account_id": "A1"}
        ]
        camp = store.query("SELECT letters, suppressed, suppressed_by_reason FROM campaigns")
        row = camp.to_pylist()[0]
        assert row["letters"] == 1 and row["suppressed"] == 1
        assert json.loads(row["suppressed_by_reason"])["deceased"] == 1
        after = store.letter_table(["A1"], SENT + datetime.timedelta(days=1)).to_pylist()[0]
        assert after["initial_communication"] is False and after["english_notice_sent"] is True

    def test_a_failing_campaign_logs_nothing(
        self, store: Store, collector: CollectorProfile, tmp_path: Path
    ) -> None:
        # A1 has no itemization date: its validation notice cannot be built.
        a = Account("A3", D(2023, 1, 15), debtors=["D1"], original_creditor="Bank of Rockville")
        a.post_charge("50.00", D(2025, 6, 30), "placement")
        store.save(a)
        table = store.letter_table(None, SENT)
        assert table.to_pylist()[1]["itemization_date"] is None
        c = Campaign("vn-bad", "validation_notice", table, SENT, collector=collector)
        with pytest.raises(arrears.ValidationError, match="A3"):
            c.run(tmp_path / "bad", log=store.letter_sink(c))
        assert not (tmp_path / "bad").exists()
        # A campaign logged twice: the sink refuses, the second folder is removed.
        good = Campaign(
            "vn-1", "validation_notice", store.letter_table(["A1"], SENT), SENT, collector=collector
        )
        good.run(tmp_path / "one", log=store.letter_sink(good))
        with pytest.raises(arrears.ConflictError, match="'vn-1' was logged before"):
            good.run(tmp_path / "two", log=store.letter_sink(good))
        assert not (tmp_path / "two").exists()
        n = store.query("SELECT count(*) AS n FROM letters").to_pylist()[0]["n"]
        e = store.query("SELECT count(*) AS n FROM contact_events").to_pylist()[0]["n"]
        assert n == e == 1

    def test_bad_letter_records_name_the_record_and_field(self, store: Store) -> None:
        record = {
            "letter_id": "x-1",
            "campaign": "x",
            "account_id": "A1",
            "channel": "mail",
            "letter": "reminder",
            "language": "en",
            "template_sha256": "ab",
            "sent": SENT,
            "batch": 1,
            "file": "letters-0001.html",
            "offset": 0,
            "length": 10,
        }
        for change, match in [
            ({"channel": "fax"}, r"records\[0\]\.channel"),
            ({"sent": "2026-05-04"}, r"records\[0\]\.sent"),
            ({"language": "fr"}, r"records\[0\]\.language"),
            ({"color": "red"}, "unknown field 'color'"),
            ({"batch": 1.5}, r"records\[0\]\.batch"),
        ]:
            with pytest.raises(arrears.ValidationError, match=match):
                store.log_letters([dict(record, **change)])
        assert store.query("SELECT count(*) AS n FROM letters").to_pylist() == [{"n": 0}]
        assert store.log_letters([record]) == 1

    def test_promise_broken_letters_from_the_evaluation(
        self, store: Store, collector: CollectorProfile, tmp_path: Path
    ) -> None:
        store.save_plan(
            promise_to_pay(
                "1000.00",
                "200.00",
                due=D(2026, 2, 1),
                plan_date=D(2026, 1, 20),
                account_id="A1",
                plan_id="P1",
            )
        )
        store.post_payment("A1", "50.00", D(2026, 1, 30), "chk-1")
        broken = [
            r["plan_id"]
            for r in store.evaluate_plans(D(2026, 2, 9)).to_pylist()
            if r["event"] == "broken" and r["kind"] == "promise"
        ]
        accounts = [a for p in broken for a, _ in store.plan(p).accounts]
        selection = store_selection(store, D(2026, 2, 10), accounts, plans=True)
        assert selection["promise"][0] == {
            "amount_cents": 20000,
            "due": D(2026, 2, 1),
            "received_cents": 5000,
        }
        c = Campaign(
            "pb-2026-02-10", "promise_broken", selection, D(2026, 2, 10), collector=collector
        )
        c.run(tmp_path / "pb", log=store.letter_sink(c))
        assert "$200.00" in (tmp_path / "pb" / "letters-0001.html").read_text()
        assert store.query("SELECT template FROM letters").to_pylist() == [
            {"template": "promise_broken"}
        ]


# ---- Metro 2 ----------------------------------------------------------------------------------


def notice(store: Store, account_id: str, sent: datetime.date) -> None:
    store.log_letters(
        [
            {
                "letter_id": f"vn-{account_id}",
                "campaign": f"vn-{account_id}",
                "account_id": account_id,
                "channel": "mail",
                "letter": "validation_notice",
                "language": "en",
                "template_sha256": "x",
                "sent": sent,
                "batch": 1,
                "file": "letters-0001.html",
            }
        ]
    )


class TestMetro2:
    def test_disputed_paid_and_settled_accounts_in_files_that_reparse_clean(
        self, store: Store, tmp_path: Path
    ) -> None:
        store.save(account("A2", debtors=("D2",)))
        store.save(account("A3", debtors=("D2",)))
        for a in ("A1", "A2", "A3"):
            notice(store, a, D(2026, 1, 5))
        dispute = store.record_dispute("A1", D(2026, 1, 20))
        jan = m2.monthly_file(
            store, D(2026, 1, 31), header(D(2026, 1, 31)), PROFILE, path=tmp_path / "jan.txt"
        )
        assert isinstance(jan, m2.MonthlyFile) and jan.submission_id is not None
        assert jan.reported == ["A1", "A2", "A3"] and jan.excluded == []
        assert (tmp_path / "jan.txt").read_text() == jan.text
        f = m2.parse(jan.text)
        assert f.ok, f.problems
        assert [r.base.compliance_condition_code for r in f.records] == ["XB", "", ""]
        assert {r.base.account_status for r in f.records} == {"93"}

        store.resolve_dispute(dispute, "resolved", D(2026, 2, 10))
        store.post_payment("A2", "1000.00", D(2026, 2, 12), "chk-2")
        a2 = store.account("A2")
        a2.set_status("paid", D(2026, 2, 12))
        store.save(a2)
        store.save_plan(
            settlement(
                "1000.00",
                "600.00",
                plan_date=D(2026, 2, 1),
                offer_expiry=D(2026, 2, 20),
                account_id="A3",
                plan_id="P3",
            )
        )
        store.post_payment("A3", "600.00", D(2026, 2, 14), "chk-3")
        store.evaluate_plans(D(2026, 2, 28))
        feb = m2.monthly_file(store, D(2026, 2, 28), header(D(2026, 2, 28)), PROFILE)
        g = m2.parse(feb.text)
        assert g.ok, g.problems
        by_number = {r.base.consumer_account_number: r.base for r in g.records}
        a1, a2b, a3 = (by_number[f"4111000000{i}"] for i in ("A1", "A2", "A3"))
        assert a1.compliance_condition_code == "XH" and a1.payment_history_profile[0] == "G"
        assert (a2b.account_status, a2b.special_comment, a2b.current_balance) == ("62", "", 0)
        assert a2b.date_closed == D(2026, 2, 12)
        assert (a3.account_status, a3.special_comment) == ("62", "AU")
        history = store.query(
            "SELECT s.activity_on, r.account_id, r.account_status, r.payment_history_profile "
            "FROM metro2_reported r JOIN metro2_submissions s ON s.id = r.submission_id "
            "ORDER BY 1, 2"
        ).to_pylist()
        assert len(history) == 6

    def test_dry_runs_passive_periods_and_second_files(self, store: Store) -> None:
        dry = m2.monthly_file(store, D(2026, 1, 31), header(D(2026, 1, 31)), PROFILE, record=False)
        assert dry.submission_id is None and dry.reported == []
        assert dry.excluded == [("A1", "no_earliest_furnishing_date", dry.excluded[0].message)]
        assert m2.parse(dry.text).ok
        assert store.query("SELECT count(*) AS n FROM metro2_submissions").to_pylist() == [{"n": 0}]
        notice(store, "A1", D(2026, 1, 20))
        jan = m2.monthly_file(store, D(2026, 1, 31), header(D(2026, 1, 31)), PROFILE)
        assert jan.excluded[0].code == "passive_collection_period"
        assert "2026-02-04" in jan.excluded[0].message
        with pytest.raises(arrears.ConflictError, match="recorded before"):
            m2.monthly_file(store, D(2026, 1, 31), header(D(2026, 1, 31)), PROFILE)
        with pytest.raises(arrears.ValidationError, match=r"header\.activity_date"):
            m2.monthly_file(store, D(2026, 2, 28), header(D(2026, 2, 27)), PROFILE)
        with pytest.raises(arrears.ValidationError, match="account_ids"):
            m2.monthly_file(store, D(2026, 2, 28), header(D(2026, 2, 28)), PROFILE, account_ids=[])
        rows = store.query("SELECT code FROM metro2_excluded").to_pylist()
        assert rows == [{"code": "passive_collection_period"}]

    def test_progress_is_reported_and_a_cancel_records_nothing(self, store: Store) -> None:
        notice(store, "A1", D(2026, 1, 5))
        seen: list[tuple[int, int]] = []
        t = store.letter_table(None, SENT, progress=lambda done, total: seen.append((done, total)))
        assert t.num_rows == 1 and seen[-1] == (1, 1)

        def stop(done: int, total: int) -> None:
            raise RuntimeError("stop")

        with pytest.raises(KeyboardInterrupt):
            m2.monthly_file(store, D(2026, 1, 31), header(D(2026, 1, 31)), PROFILE, progress=stop)
        assert store.query("SELECT count(*) AS n FROM metro2_submissions").to_pylist() == [{"n": 0}]
        f = m2.monthly_file(store, D(2026, 1, 31), header(D(2026, 1, 31)), PROFILE, progress=False)
        assert f.reported == ["A1"]

    def test_no_ssn_or_birth_date_in_the_log_and_no_name_in_exclusions(self, store: Store) -> None:
        store.save(
            Debtor(
                "D3",
                "Ana",
                "X" * 30,
                ssn="345-67-8901",
                date_of_birth=D(1980, 5, 17),
                addresses=[DebtorAddress("1 Main St", "Boston", "MA", "02110")],
            )
        )
        store.save(account("A3", debtors=("D3",)))
        notice(store, "A3", D(2026, 1, 5))
        jan = m2.monthly_file(
            store, D(2026, 1, 31), header(D(2026, 1, 31)), PROFILE, account_ids=["A3"]
        )
        assert [e.code for e in jan.excluded] == ["invalid_facts"]
        excluded = json.dumps(store.read_table("metro2_excluded").to_pylist(), default=str)
        log = json.dumps(store.audit_log().to_pylist(), default=str)
        for secret in ("345678901", "345-67-8901", "1980-05-17"):
            assert secret not in excluded and secret not in log
        assert "X" * 26 not in excluded and "surname" in excluded


# ---- closing paid accounts ---------------------------------------------------------------------


class TestClosePaidAccounts:
    def test_cleared_accounts_close_on_the_clearing_payment(self, store: Store) -> None:
        store.save(account("A2", principal="300.00"))
        store.save(account("A3", principal="300.00"))
        store.save(account("A4", principal="300.00"))
        store.post_payment("A1", "1000.00", D(2026, 3, 2), "p1")  # cleared
        store.post_payment("A2", "299.99", D(2026, 3, 2), "p2")  # a cent short
        store.post_payment("A3", "300.00", D(2026, 4, 9), "p3")  # cleared after as_of
        # A4 cleared too, but it is in an open plan: the plan's evaluation closes it.
        store.save_plan(
            promise_to_pay(
                Money("300.00"),
                Money("300.00"),
                due=D(2026, 4, 1),
                plan_date=D(2026, 3, 1),
                account_id="A4",
                plan_id="P4",
            )
        )
        store.post_payment("A4", "300.00", D(2026, 3, 3), "p4")
        as_of = D(2026, 3, 31)
        assert store.close_paid_accounts(as_of) == ["A1"]
        history = store.account("A1").status_history
        assert (history[-1].status, history[-1].effective) == ("paid", D(2026, 3, 2))
        assert [store.account(i).status for i in ("A2", "A3", "A4")] == [
            "active",
            "active",
            "promise",
        ]
        assert store.close_paid_accounts(as_of) == []  # idempotent
        audit = store.audit_log("accounts").to_pylist()
        assert any(r["action"] == "batch" and '"closed_paid":1' in r["after"] for r in audit)
        # The promise, evaluated, completes and closes its account; A3 closes on a later date.
        store.evaluate_plans(as_of)
        assert store.account("A4").status == "paid"
        assert store.close_paid_accounts(D(2026, 4, 30)) == ["A3"]

    def test_read_only_store_refuses(self, tmp_path: Path) -> None:
        path = tmp_path / "s.db"
        with Store(path) as s:
            s.save(debtor("D1"))
            s.save(account("A1"))
        with Store(path, read_only=True) as ro, pytest.raises(arrears.StorageError):
            ro.close_paid_accounts(D(2026, 3, 31))
