"""`arrears plan ...` and `arrears metro2 ...` through click's CliRunner on a small stored
portfolio: plans of each kind created, listed, shown, evaluated after a payment and cancelled;
bad option values named and nothing stored; the Metro 2 file exported, validated, refused the
second time for the same date, and the [metro2] settings checked."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import arrears
from arrears import Account, Debtor, Store
from arrears import metro2 as m2
from arrears.cli import main
from arrears.debtor import Address

D = datetime.date
PLAN_DAY = "2026-01-15"


def debtor(i: str, ssn: str) -> Debtor:
    return Debtor(
        i,
        "Ana",
        "Lopez",
        ssn=ssn,
        date_of_birth=D(1980, 5, 17),
        addresses=[Address("1 Main St", "Boston", "MA", "02110")],
    )


def account(i: str, debtor_id: str, principal: str) -> Account:
    a = Account(
        i,
        D(2023, 1, 15),
        debtors=[debtor_id],
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


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store t.db: D1 owes A1 ($600) and A2 ($300), D2 owes A3 ($500), D3 owes A4 ($200);
    validation notices mailed on 2026-01-05."""
    monkeypatch.chdir(tmp_path)
    with Store(tmp_path / "t.db", actor="test") as s:
        for i, ssn in (("D1", "123-45-6789"), ("D2", "234-56-7890"), ("D3", "345-67-8901")):
            s.save(debtor(i, ssn))
        for i, d, amount in (
            ("A1", "D1", "600.00"),
            ("A2", "D1", "300.00"),
            ("A3", "D2", "500.00"),
            ("A4", "D3", "200.00"),
        ):
            s.save(account(i, d, amount))
            notice(s, i, D(2026, 1, 5))
    (tmp_path / "arrears.toml").write_text(
        "[metro2]\n"
        'identification_number = "AGENCY01"\n'
        'reporter_name = "NORTH SOUTH GROUP"\n'
        'reporter_address = "1234 MAIN STREET ANYTOWN MA 02110"\n'
        'reporter_telephone_number = "8001234567"\n'
        'equifax_program_identifier = "EQ12345"\n'
    )
    return tmp_path


def cli(*args: str, as_of: str = PLAN_DAY) -> Result:
    runner = CliRunner()
    return runner.invoke(main, ["--db", "t.db", "--as-of", as_of, "--no-progress", *args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result


def as_json(*args: str, as_of: str = PLAN_DAY) -> Any:
    """--json prints JSON Lines: one object, or a list of the rows."""
    rows = [json.loads(line) for line in ok(cli("--json", *args, as_of=as_of)).stdout.splitlines()]
    return rows[0] if len(rows) == 1 and args[:2] in _ONE_OBJECT else rows


# Commands about one thing print one object; the others a row per line.
_ONE_OBJECT = {("plan", "show"), ("plan", "cancel"), ("metro2", "export"), ("metro2", "validate")}


def stored_plans() -> list[str]:
    with Store("t.db") as s:
        return [p.plan_id for p in s.plans()]


def make_plans() -> None:
    ok(
        cli(
            "plan", "new", "installment", "--id", "P-1", "--account", "A1", "--account", "A2",
            "--installments", "3", "--first", "2026-02-01",
        )
    )  # fmt: skip
    ok(
        cli(
            "plan", "new", "settlement", "--id", "P-2", "--account", "A3", "--amount", "300.00",
            "--expires", "2026-02-01",
        )
    )  # fmt: skip
    ok(
        cli(
            "plan", "new", "promise", "--id", "P-3", "--account", "A4", "--amount", "200.00",
            "--due", "2026-01-25",
        )
    )  # fmt: skip


# ---- plans ------------------------------------------------------------------------------------


def test_each_kind_created_listed_and_shown(work: Path) -> None:
    make_plans()
    rows = as_json("plan", "list")
    assert [(r["plan_id"], r["kind"], r["accounts"]) for r in rows] == [
        ("P-1", "installment", "A1,A2"),
        ("P-2", "settlement", "A3"),
        ("P-3", "promise", "A4"),
    ]
    by_id = {r["plan_id"]: r for r in rows}
    assert by_id["P-1"]["total"] == "900.00" and by_id["P-1"]["debtor_id"] == "D1"
    assert by_id["P-2"]["total"] == "300.00" and by_id["P-3"]["total"] == "200.00"
    assert {r["status"] for r in rows} == {"active"}
    # Before any evaluation the next installment is the first one.
    assert by_id["P-1"]["next_due"] == "2026-02-01" and by_id["P-1"]["next_amount"] == "300.00"

    shown = as_json("plan", "show", "P-1")
    assert shown["kind"] == "installment" and shown["plan_date"] == PLAN_DAY
    assert [i["due"] for i in shown["installments"]] == ["2026-02-01", "2026-03-01", "2026-04-01"]
    assert sum(arrears.Money(i["amount"]).minor for i in shown["installments"]) == 90000
    assert shown["status"] == "active" and shown["events"] == []

    settlement = as_json("plan", "show", "P-2")
    assert settlement["discount"] == "200.00" and settlement["offer_expiry"] == "2026-02-01"

    text = ok(cli("plan", "show", "P-3")).stdout
    assert "installments" in text and "2026-01-25" in text and "promise" in text
    assert ok(cli("plan", "list", "--account", "A3")).stdout.count("P-") == 1
    csv = ok(cli("--csv", "plan", "list")).stdout.splitlines()
    assert csv[0].startswith("plan_id,kind,debtor_id,accounts") and len(csv) == 4


def test_evaluate_after_a_payment_changes_the_status(work: Path) -> None:
    make_plans()
    with Store("t.db") as s:
        s.post_payment("A4", "200.00", D(2026, 1, 24), "chk-1")
        s.post_payment("A1", "200.00", D(2026, 2, 1), "chk-2")
        s.post_payment("A2", "100.00", D(2026, 2, 1), "chk-3")
    events = as_json("plan", "evaluate", as_of="2026-02-10")
    got = {(e["plan_id"], e["event"]) for e in events}
    assert ("P-3", "kept") in got and ("P-3", "completed") in got
    assert ("P-1", "kept") in got
    statuses = {e["plan_id"]: e["status"] for e in events}
    assert statuses["P-3"] == "completed" and statuses["P-1"] == "current"
    # The settlement offer expired unpaid on 2026-02-01.
    assert statuses["P-2"] == "cancelled"
    # Again for the same date: nothing new.
    assert as_json("plan", "evaluate", as_of="2026-02-10") == []
    listed = {r["plan_id"]: r for r in as_json("plan", "list", as_of="2026-02-10")}
    assert listed["P-1"]["status"] == "current" and listed["P-1"]["next_due"] == "2026-03-01"
    assert listed["P-3"]["paid"] == "200.00" and listed["P-3"]["next_due"] is None
    assert [r["plan_id"] for r in as_json("plan", "list", "--status", "completed")] == ["P-3"]
    # Text mode ends with the status counts.
    ok(cli("plan", "evaluate", as_of="2026-03-20"))
    text = ok(cli("plan", "evaluate", as_of="2026-04-20")).stdout
    assert "plans by status" in text and "cancelled" in text
    assert as_json("plan", "show", "P-1", as_of="2026-03-20")["status"] == "delinquent"


def test_evaluate_one_plan_and_unknown_plan(work: Path) -> None:
    make_plans()
    events = as_json("plan", "evaluate", "--plan", "P-3", as_of="2026-02-10")
    assert {e["plan_id"] for e in events} == {"P-3"} and events[-1]["status"] == "broken"
    r = cli("plan", "evaluate", "--plan", "P-9")
    assert r.exit_code == 2 and "--plan" in r.stderr and "P-9" in r.stderr


def test_cancel(work: Path) -> None:
    make_plans()
    out = as_json("plan", "cancel", "P-1", as_of="2026-01-20")
    assert out == {"plan_id": "P-1", "cancelled_on": "2026-01-20", "status": "cancelled"}
    with Store("t.db") as s:
        assert s.account("A1").status == "active"
    r = cli("plan", "cancel", "P-1", as_of="2026-01-21")
    assert r.exit_code == 1 and "P-1" in r.stderr and "Traceback" not in r.stderr
    # The accounts are free for a new plan.
    ok(cli("plan", "new", "promise", "--id", "P-4", "--account", "A1", "--amount", "50", "--due",
           "2026-02-01", as_of="2026-01-21"))  # fmt: skip


@pytest.mark.parametrize(
    ("args", "option", "value"),
    [
        (["promise", "--amount", "abc", "--due", "2026-02-01"], "--amount", "abc"),
        (["promise", "--amount", "12.5x", "--due", "2026-02-01"], "--amount", "12.5x"),
        (["promise", "--amount", "-5", "--due", "2026-02-01"], "--amount", "-5"),
        (["promise", "--amount", "10.001", "--due", "2026-02-01"], "--amount", "10.001"),
        (["promise", "--amount", "10", "--due", "2026-02-30"], "--due", "2026-02-30"),
        (["promise", "--amount", "900", "--due", "2026-02-01"], "--amount", ""),
        (["installment", "--installments", "0", "--first", "2026-02-01"], "--installments", "0"),
        (["installment", "--installments", "3", "--first", "2026-01-01"], "--first", "2026-01-01"),
        (["installment", "--installments", "3", "--first", "01/02/2026"], "--first", "01/02/2026"),
        (
            ["installment", "--installments", "3", "--first", "2026-02-01", "--every", "daily"],
            "--every",
            "daily",
        ),
        (["installment", "--first", "2026-02-01"], "--installments", ""),
        (
            ["settlement", "--amount", "700.00", "--expires", "2026-02-01"],
            "--amount",
            "",
        ),
        (
            ["settlement", "--amount", "100.00", "--expires", "2026-01-01"],
            "--expires",
            "",
        ),
    ],
)
def test_bad_values_name_the_option_and_store_nothing(
    work: Path, args: list[str], option: str, value: str
) -> None:
    r = cli("plan", "new", args[0], "--id", "P-X", "--account", "A1", *args[1:])
    assert r.exit_code == 2, (r.stdout, r.stderr)
    # One error line names the option and the value.
    errors = r.stderr.splitlines()
    assert len(errors) == 1 and option in errors[0] and value in errors[0], r.stderr
    assert "Traceback" not in r.stderr
    assert stored_plans() == []
    with Store("t.db") as s:
        assert s.account("A1").status == "active"


def test_unknown_account_duplicate_id_and_account_in_another_plan(work: Path) -> None:
    r = cli("plan", "new", "promise", "--id", "P-X", "--account", "A9", "--amount", "5",
            "--due", "2026-02-01")  # fmt: skip
    assert r.exit_code == 2 and "--account" in r.stderr and "A9" in r.stderr
    make_plans()
    r = cli("plan", "new", "promise", "--id", "P-1", "--account", "A4", "--amount", "5",
            "--due", "2026-02-01")  # fmt: skip
    assert r.exit_code == 2 and "--id" in r.stderr and "P-1" in r.stderr
    # A1 is in P-1 already: a conflict (exit 1), nothing stored.
    r = cli("plan", "new", "promise", "--id", "P-5", "--account", "A1", "--amount", "5",
            "--due", "2026-02-01")  # fmt: skip
    assert r.exit_code == 1 and "A1" in r.stderr
    assert stored_plans() == ["P-1", "P-2", "P-3"]
    r = cli("plan", "show", "P-9")
    assert r.exit_code == 2 and "PLAN_ID" in r.stderr and "P-9" in r.stderr
    r = cli("plan", "show", "P-1", as_of="2026-01-01")
    assert r.exit_code == 2 and "--as-of" in r.stderr and "2026-01-15" in r.stderr


def test_fixed_amount_interest_and_rules(work: Path) -> None:
    ok(
        cli(
            "plan", "new", "installment", "--id", "P-1", "--account", "A3", "--amount", "120.00",
            "--every", "biweekly", "--first", "2026-01-29", "--rate", "0.10", "--grace-days", "3",
            "--tolerance", "1.00",
        )
    )  # fmt: skip
    shown = as_json("plan", "show", "P-1")
    assert shown["frequency"] == "biweekly" and shown["installment_count"] >= 5
    assert len(shown["installments"]) == shown["installment_count"]
    assert {i["amount"] for i in shown["installments"][:-1]} == {"120.00"}
    with Store("t.db") as s:
        rules = s.plan("P-1").rules
        assert rules.grace_days == 3 and rules.tolerance == arrears.Money("1.00")
    r = cli("plan", "new", "installment", "--id", "P-2", "--account", "A4", "--installments",
            "3", "--first", "2026-02-01", "--rate", "abc")  # fmt: skip
    assert r.exit_code == 2 and "--rate" in r.stderr and stored_plans() == ["P-1"]


# ---- Metro 2 ----------------------------------------------------------------------------------


def test_export_validate_and_second_export(work: Path) -> None:
    out = as_json("metro2", "export", "--out", "jan.txt", as_of="2026-01-31")
    text = (work / "jan.txt").read_bytes()
    assert out["sha256"] == hashlib.sha256(text).hexdigest()
    assert out["reported"] == 4 and out["excluded"] == 0 and out["submission_id"] == 1
    checked = as_json("metro2", "validate", "jan.txt")
    assert checked["problems"] == [] and checked["records"] == 4
    assert checked["header"] and checked["trailer"] and checked["by_status"] == {"93": 4}
    header = m2.parse(text).header
    assert header is not None and header.activity_date == D(2026, 1, 31)
    assert header.reporter_name == "NORTH SOUTH GROUP"
    assert "problems: 0" in ok(cli("metro2", "validate", "jan.txt")).stdout

    # The same date again: a conflict, and neither file is touched.
    r = cli("metro2", "export", "--out", "jan2.txt", as_of="2026-01-31")
    assert r.exit_code == 1 and "recorded before" in r.stderr
    assert not (work / "jan2.txt").exists() and (work / "jan.txt").read_bytes() == text
    assert [p.name for p in work.iterdir() if "partial" in p.name] == []
    r = cli("metro2", "export", "--out", "jan.txt", as_of="2026-01-31")
    assert r.exit_code == 1 and (work / "jan.txt").read_bytes() == text
    with Store("t.db") as s:
        assert s.query("SELECT count(*) AS n FROM metro2_submissions").to_pylist() == [{"n": 1}]


def test_export_text_output_dry_run_and_exclusions(work: Path) -> None:
    # Before the furnishing date (mailing + 15): every account left out, with the reason.
    r = ok(cli("metro2", "export", "--out", "early.txt", "--no-record", as_of="2026-01-10"))
    assert "excluded: 4" in r.stdout and "passive_collection_period: 4" in r.stdout
    assert "dry run" in r.stdout
    assert m2.parse((work / "early.txt").read_bytes()).ok
    with Store("t.db") as s:
        assert s.query("SELECT count(*) AS n FROM metro2_submissions").to_pylist() == [{"n": 0}]


def test_config_errors_and_overrides(work: Path) -> None:
    (work / "typo.toml").write_text(
        '[metro2]\nidentfication_number = "AGENCY01"\nreporter_name = "X"\n'
    )
    r = cli("--config", "typo.toml", "metro2", "export", "--out", "a.txt", as_of="2026-01-31")
    assert r.exit_code == 2 and "metro2.identfication_number" in r.stderr
    assert "typo.toml" in r.stderr and not (work / "a.txt").exists()

    (work / "partial.toml").write_text(
        '[metro2]\nreporter_name = "NORTH SOUTH GROUP"\nexperian_program_identifier = "EX123"\n'
    )
    r = cli("--config", "partial.toml", "metro2", "export", "--out", "a.txt", as_of="2026-01-31")
    assert r.exit_code == 2 and "identification_number" in r.stderr
    # Options fill in what the config lacks.
    r = cli(
        "--config", "partial.toml", "metro2", "export", "--out", "a.txt",
        "--identification-number", "AGENCY02", "--reporter-address", "1 MAIN ST BOSTON MA",
        as_of="2026-01-31",
    )  # fmt: skip
    ok(r)
    header = m2.parse((work / "a.txt").read_bytes()).header
    assert header is not None and header.reporter_address == "1 MAIN ST BOSTON MA"
    with Store("t.db") as s:
        ids = s.query("SELECT identification_number FROM metro2_submissions").to_pylist()
        assert ids == [{"identification_number": "AGENCY02"}]
    # A bad override is named by its option.
    r = cli("metro2", "export", "--out", "b.txt", "--reporter-name", "X" * 41, as_of="2026-01-31")
    assert r.exit_code == 2 and "--reporter-name" in r.stderr and not (work / "b.txt").exists()


def test_validate_reports_problems_with_lines(work: Path) -> None:
    ok(cli("metro2", "export", "--out", "jan.txt", as_of="2026-01-31"))
    lines = (work / "jan.txt").read_text().splitlines()
    lines[2] = lines[2][:100]  # a truncated record
    (work / "bad.txt").write_text("\n".join(lines) + "\n")
    r = cli("--json", "metro2", "validate", "bad.txt")
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert (
        len(r.stdout.splitlines()) == 1
        and out["records"] == 3
        and any(p["line"] == 3 for p in out["problems"])
    )
    assert any(p["code"] == "trailer_mismatch" for p in out["problems"])
    r = cli("metro2", "validate", "missing.txt")
    assert r.exit_code == 2 and "missing.txt" in r.stderr


def test_validate_reports_latin1_bytes_without_a_traceback(work: Path) -> None:
    ok(cli("metro2", "export", "--out", "jan.txt", as_of="2026-01-31"))
    data = bytearray((work / "jan.txt").read_bytes())
    second = data.index(b"\n") + 1
    data[second + 240] = 0xC9  # "É" in Latin-1 inside the surname: not UTF-8
    (work / "latin1.txt").write_bytes(bytes(data))
    for fmt in ([], ["--json"], ["--csv"]):
        r = cli(*fmt, "metro2", "validate", "latin1.txt")
        assert r.exit_code == 1 and (r.exception is None or isinstance(r.exception, SystemExit))
        assert "Traceback" not in r.stdout + r.stderr and "\\xc9" in r.stdout, r.stdout


# ---- header_and_profile -----------------------------------------------------------------------

SETTINGS = {
    "identification_number": "AGENCY01",
    "reporter_name": "NORTH SOUTH GROUP",
    "reporter_address": "1234 MAIN STREET ANYTOWN MA 02110",
    "transunion_program_identifier": "TU12345",
}


def test_header_and_profile() -> None:
    as_of = D(2026, 1, 31)
    header, profile = m2.header_and_profile(
        {**SETTINGS, "account_type": "0C", "excluded_debt_types": ["medical"],
         "cycle_identifier": "BM", "program_date": D(2020, 1, 1)},
        as_of,
        date_created=D(2026, 2, 1),
    )  # fmt: skip
    assert header.activity_date == as_of and header.date_created == D(2026, 2, 1)
    assert header.cycle_identifier == "BM" and header.program_date == D(2020, 1, 1)
    assert profile.identification_number == "AGENCY01" and profile.account_type == "0C"
    assert profile.cycle_identifier == "BM" and profile.excluded_debt_types == ["medical"]
    header, _ = m2.header_and_profile(SETTINGS, as_of)
    assert header.date_created == datetime.date.today()
    # A caller's own keys can share the table.
    m2.header_and_profile({**SETTINGS, "day": 31}, as_of, ignore={"day"})


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        ({**SETTINGS, "reporter_nam": "X"}, r"metro2\.reporter_nam: unknown key"),
        ({"reporter_name": "X"}, r"metro2\.identification_number: missing"),
        ({**SETTINGS, "account_type": 48}, r"metro2\.account_type: expected a string"),
        ({**SETTINGS, "program_date": "2020-13-01"}, r"metro2\.program_date"),
        ({**SETTINGS, "excluded_debt_types": "medical"}, r"metro2\.excluded_debt_types"),
        ({**SETTINGS, "reporter_name": ""}, r"reporter_name"),
        ({**SETTINGS, "portfolio_type": "ZZ"}, r"portfolio_type"),
        ({**SETTINGS, "transunion_program_identifier": ""}, r"metro2\..*program_identifier"),
    ],
)
def test_header_and_profile_refuses(settings: dict[str, Any], match: str) -> None:
    with pytest.raises(arrears.ValidationError, match=match):
        m2.header_and_profile(settings, D(2026, 1, 31))
