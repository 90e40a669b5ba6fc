"""The nightly batch on stored data: letter columns, the monthly Metro 2 file and the plan
evaluation, each one C++ call on the store, against doing the same from Python with the store's
object API (load each account and debtor, compute, collect) — what a data team would write
without these calls.

The store holds n accounts, each with its debtor (address, phone, e-mail, SSN, date of birth), a
placed balance and (half of them) a payment, a validation notice logged for every account (so
the Metro 2 file reports them all) and a payment plan for one account in ten."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import numpy as np

from harness import Benchmark

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
D = datetime.date
AS_OF = D(2026, 5, 29)  # the letter date
PLANS_AS_OF = D(2026, 3, 15)  # first installments kept or missed, no plan broken yet
REPORT = D(2026, 5, 31)  # the Metro 2 activity date


def _ssn(i: int) -> str:
    """A valid SSN per row (area 101-600, group 01-98, serial 0001-9998)."""
    return f"{101 + i % 500:03d}{1 + (i // 500) % 98:02d}{1 + i % 9998:04d}"


def _store(n: int) -> Path:
    """A store with n accounts (built once per size, then reused)."""
    import pandas as pd

    import arrears
    from arrears.plans import installment_plan

    path = OUT / f"integration-{n}.db"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    rng = np.random.default_rng(11)
    debtors = pd.DataFrame(
        {
            "debtor_id": [f"D{i:08d}" for i in range(n)],
            "first_name": "Ana",
            "last_name": "Lopez",
            "ssn": [_ssn(i) for i in range(n)],
            "date_of_birth": "1980-05-17",
            "address_line1": [f"{i} Main St" for i in range(n)],
            "city": "Boston",
            "state": "MA",
            "zip": "02110",
            "phone": "(617) 555-0100",
            "email": [f"a{i}@example.com" for i in range(n)],
            "preferred_language": np.where(rng.random(n) < 0.1, "es", "en"),
        }
    )
    ids = [f"A{i:08d}" for i in range(n)]
    accounts = pd.DataFrame(
        {
            "account_id": ids,
            "debtor_id": debtors["debtor_id"],
            "opened_on": "2023-01-15",
            "charged_off_on": "2025-06-30",
            "first_delinquency_on": "2025-01-10",
            "itemization_date": "2025-06-30",
            "itemization_basis": "charge_off",
            "original_creditor": "Bank of Rockville",
            "account_number": [f"4111{i:012d}" for i in range(n)],
            "product_type": "credit_card",
            "principal_cents": rng.integers(10_000, 1_000_000, n),
        }
    )
    payments = pd.DataFrame(
        {
            "account_id": ids[::2],
            "effective_date": "2026-01-05",
            "reference": "chk-1",
            "amount_cents": 1000,
        }
    )
    with arrears.Store(tmp, actor="bench") as s:
        s.import_debtors(debtors)
        s.import_accounts(accounts)
        s.import_payments(payments)
        s.log_letters(
            [
                {
                    "letter_id": f"vn-{i:08d}",
                    "campaign": "vn",
                    "account_id": a,
                    "channel": "mail",
                    "letter": "validation_notice",
                    "language": "en",
                    "template_sha256": "0" * 64,
                    "sent": D(2026, 1, 20),
                    "batch": i // 1000 + 1,
                    "file": f"letters-{i // 1000 + 1:04d}.html",
                }
                for i, a in enumerate(ids)
            ]
        )
        for i in range(0, n, 10):
            s.save_plan(
                installment_plan(
                    "300.00",
                    plan_date=D(2026, 2, 1),
                    first_due=D(2026, 3, 1),
                    count=3,
                    account_id=ids[i],
                    plan_id=f"P{i:08d}",
                )
            )
        for i in range(0, n, 20):  # half the plans get their first installment
            s.post_payment(ids[i], "100.00", D(2026, 3, 1), "plan-1")
    os.replace(tmp, path)
    return path


def setup(n: int) -> dict[str, Any]:
    return {"db": _store(n)}


# -- letter columns -------------------------------------------------------------------------------


def letters_arrears(d: dict[str, Any]) -> int:
    import arrears

    with arrears.Store(d["db"], read_only=True) as s:
        return int(s.letter_table(None, AS_OF).num_rows)


def letters_python(d: dict[str, Any]) -> int:
    """The same columns from the object API: each account and debtor loaded and mapped."""
    import arrears

    at = datetime.datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 59, 59, tzinfo=datetime.UTC)
    rows = []
    with arrears.Store(d["db"], read_only=True) as s:
        for account_id in s.account_ids():
            a = s.account(account_id)
            debtor = s.debtor(a.debtors[0].debtor_id)
            it = a.itemization(AS_OF)
            address = debtor.best_contact_point("mail", at)
            email = debtor.best_contact_point("email", at)
            rows.append(
                {
                    "account_id": account_id,
                    "creditor": a.current_creditor or a.original_creditor,
                    "itemization_date": it.itemization_date,
                    "itemization_amount_cents": it.on_itemization_date.minor,
                    "interest_cents": it.interest.minor,
                    "fees_cents": it.fees.minor + it.other_charges.minor,
                    "payments_credits_cents": it.payments.minor + it.credits.minor,
                    "current_cents": it.current.minor,
                    "recipient_name": debtor.full_name,
                    "address_line1": address.line1 if address else "",
                    "postal_code": address.zip if address else "",
                    "email": email.address if email else "",
                    "language": "es" if debtor.preferred_language.startswith("es") else "en",
                    "deceased": debtor.is_deceased,
                    "bankruptcy": debtor.open_bankruptcy(AS_OF) is not None,
                    "attorney": debtor.attorney_represented(AS_OF),
                    "cease": debtor.cease_requested(account_id, AS_OF),
                }
            )
    return len(rows)


# -- the monthly Metro 2 file ---------------------------------------------------------------------


def _metro2_setup() -> tuple[Any, Any]:
    from arrears import metro2 as m2

    profile = m2.Metro2Profile(identification_number="AGENCY01")
    header = m2.HeaderRecord(
        reporter_name="NORTH SOUTH GROUP",
        reporter_address="1234 MAIN STREET ANYTOWN MA 02110",
        activity_date=REPORT,
        date_created=REPORT,
        equifax_program_identifier="EQ12345",
    )
    return profile, header


def metro2_arrears(d: dict[str, Any]) -> int:
    import arrears
    from arrears import metro2 as m2

    profile, header = _metro2_setup()
    with arrears.Store(d["db"], read_only=True) as s:
        f = m2.monthly_file(s, REPORT, header, profile, record=False)
        return len(f.reported)


def metro2_python(d: dict[str, Any]) -> int:
    """Facts built in Python from the object API, then the same records and file."""
    import arrears
    from arrears import metro2 as m2

    profile, header = _metro2_setup()
    at = datetime.datetime(REPORT.year, REPORT.month, REPORT.day, 23, 59, 59, tzinfo=datetime.UTC)
    facts = []
    with arrears.Store(d["db"], read_only=True) as s:
        notices = {
            r["account_id"]: r["sent_on"]
            for r in s.query(
                "SELECT account_id, min(sent_on) AS sent_on FROM letters "
                "WHERE template = 'validation_notice' GROUP BY account_id"
            ).to_pylist()
        }
        for account_id in s.account_ids():
            a = s.account(account_id)
            consumers = []
            for ad in a.debtors:
                debtor = s.debtor(ad.debtor_id)
                address = debtor.best_contact_point("mail", at)
                phone = debtor.best_contact_point("call", at)
                consumers.append(
                    {
                        "surname": debtor.last_name,
                        "first_name": debtor.first_name,
                        "social_security_number": debtor.reveal_ssn() or "",
                        "date_of_birth": debtor.date_of_birth,
                        "telephone_number": phone.number if phone else "",
                        "ecoa_code": ad.ecoa_code,
                        "first_line_of_address": address.line1 if address else "",
                        "city": address.city if address else "",
                        "state": address.state if address else "",
                        "zip_code": address.zip if address else "",
                    }
                )
            placement = [e for e in a.entries if e.reference == "placement"]
            facts.append(
                {
                    "account_number": a.account_number,
                    "date_opened": a.opened_on,
                    "date_placed": placement[0].effective if placement else a.opened_on,
                    "date_of_first_delinquency": a.first_delinquency_on,
                    "date_of_last_payment": a.last_payment_date(),
                    "original_amount": sum(
                        (e.amount for e in placement if e.component == "principal"),
                        arrears.Money(0),
                    ),
                    "current_balance": a.balance(REPORT).total,
                    "original_creditor_name": a.original_creditor,
                    "creditor_classification": "08",
                    "debt_type": a.product_type,
                    "earliest_furnishing_date": notices[account_id] + datetime.timedelta(days=15),
                    "consumers": consumers,
                }
            )
    records, _ = m2.build_records(facts, profile, REPORT)
    m2.write_file(header, records)
    return len(records)


# -- plans ----------------------------------------------------------------------------------------


def plans_arrears(d: dict[str, Any]) -> int:
    import arrears

    with arrears.Store(d["db"]) as s:
        s.handle.begin()
        try:
            rows = s.evaluate_plans(PLANS_AS_OF).num_rows
        finally:
            s.handle.rollback()  # leave the stored evaluations as they were for the next run
        return int(rows)


def plans_python(d: dict[str, Any]) -> int:
    """Each plan loaded, its payments read, evaluated (the same C++ evaluate), not stored."""
    import arrears

    with arrears.Store(d["db"], read_only=True) as s:
        changed = 0
        for plan in s.plans():
            ev = plan.evaluate(s.plan_payments(plan.plan_id, PLANS_AS_OF), PLANS_AS_OF)
            changed += ev.status != "active"
        return changed


BENCHMARKS = [
    Benchmark(
        name="integration_letter_table",
        setup=setup,
        variants={"arrears": letters_arrears, "python": letters_python},
        sizes=(100_000,),
        quick_sizes=(5_000,),
        unit="accounts",
        repeat=3,
        description="The letter columns of every stored account as of a date: itemization from "
        "the ledger, the debtor's best address and e-mail, language, suppression flags and the "
        "communication history. arrears: `store.letter_table(None, as_of)` (one C++ call, "
        "threads). python: the store's object API account by account.",
        targets="handle 1e5-1e6 accounts in one call (integration brief)",
    ),
    Benchmark(
        name="integration_metro2_monthly_file",
        setup=setup,
        variants={"arrears": metro2_arrears, "python": metro2_python},
        sizes=(100_000,),
        quick_sizes=(5_000,),
        unit="accounts",
        repeat=3,
        description="The monthly Metro 2 file from the store (dry run: built, not recorded). "
        "arrears: `metro2.monthly_file(store, as_of, header, profile, record=False)`. python: "
        "facts from the object API, then `build_records` and `write_file`.",
        targets="handle 1e5-1e6 accounts in one call (integration brief)",
    ),
    Benchmark(
        name="integration_evaluate_plans",
        setup=setup,
        variants={"arrears": plans_arrears, "python": plans_python},
        sizes=(100_000,),
        quick_sizes=(5_000,),
        unit="accounts (one plan in ten)",
        repeat=3,
        description="Every open plan evaluated against the ledgers. arrears: "
        "`store.evaluate_plans(as_of)` (evaluated, compared and stored; rolled back after "
        "timing). python: `store.plans()`, then each plan's `plan_payments` and `evaluate` "
        "(nothing stored).",
        targets="one call for all active plans (integration brief)",
    ),
]
