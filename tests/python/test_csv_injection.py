"""CSV formula injection: every CSV arrears writes goes through one writer (the core's
append_csv_field, ``arrears.outputs.csv_text`` from Python), which gives a text cell that a
spreadsheet would run as a formula (first character ``= + - @``, tab or CR) a leading
apostrophe, and leaves numbers (``-12.50``) as they are. One test per CSV arrears writes: the
print-vendor file, index.csv, worklists, plan events, aging and the reports, ``--csv`` output,
``Store.export`` and ``Report.to_csv``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from arrears import demo
from arrears.cli_output import emit
from arrears.outputs import csv_text
from arrears.store import Store
from arrears.workflows import nightly

AS_OF = dt.date(2026, 11, 23)
NAME = "=cmd|' /C calc'!A0"
CLIENT = "@SUM(1+1)*cmd|' /C calc'!A0"
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def unsafe(cell: str) -> bool:
    """A cell a spreadsheet would run as a formula."""
    return bool(cell) and cell[0] in "=+-@\t\r" and not PLAIN_NUMBER.match(cell)


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def check(text: str, *neutralized: str) -> list[list[str]]:
    """No cell of ``text`` runs as a formula, and each of ``neutralized`` is there with its
    apostrophe."""
    rows = cells(text)
    flat = [c for row in rows for c in row]
    assert [c for c in flat if unsafe(c)] == []
    for value in neutralized:
        assert any(c == "'" + value or c.startswith("'" + value) for c in flat), value
    return rows


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose debtors are named like formulas, whose client is one and whose account ids
    start with '+', with promises and plans on those accounts, after a nightly run."""
    d = tmp_path_factory.mktemp("hostile")
    data = demo.generate(80, 2026, AS_OF)
    data.debtors["first_name"] = NAME
    data.accounts["client"] = CLIENT
    for frame in (data.accounts, data.payments):
        frame["account_id"] = "+" + frame["account_id"].astype(str)
    with Store(d / "arrears.db") as s:
        s.import_debtors(data.debtors)
        s.import_accounts(data.accounts)
        s.import_payments(data.payments)
        plans, payments = demo.plan_book(data, 11, promises=0.3, installments=0.1)
        with s.transaction():
            for plan in plans:
                s.save_plan(plan)
        if len(payments):
            s.import_payments(payments)
        cfg = demo.demo_config(str(d / "out"), AS_OF)
        for c in cfg.campaigns:
            c["pdf"] = False
        nightly(s, AS_OF, cfg, progress=False)
    return d


def out(hostile: Path, rel: str) -> str:
    return (hostile / "out" / AS_OF.isoformat() / rel).read_text(encoding="utf-8")


def test_the_print_vendor_file(hostile: Path) -> None:
    rows = check(out(hostile, f"letters/validation-{AS_OF}/print_vendor.csv"), NAME)
    assert rows[0][:2] == ["LetterId", "Name"]
    assert len(rows) > 1


def test_the_index_of_a_campaign(hostile: Path) -> None:
    rows = check(out(hostile, f"letters/validation-{AS_OF}/index.csv"), "+A0")
    assert rows[1][2].isdigit()  # the row number is a number, written as one


def test_the_worklists(hostile: Path) -> None:
    folder = hostile / "out" / AS_OF.isoformat() / "worklists"
    files = sorted(folder.glob("*.csv"))
    assert files
    for f in files:
        check(f.read_text(), "+A0")


def test_the_plan_events(hostile: Path) -> None:
    rows = check(out(hostile, "plans/events.csv"), "+A0")
    assert len(rows) > 1


def test_aging_and_the_reports(hostile: Path) -> None:
    check(out(hostile, "aging.csv"))
    check(out(hostile, "reports/aging_by_client.csv"), CLIENT)
    for f in (hostile / "out" / AS_OF.isoformat() / "reports").glob("*.csv"):
        check(f.read_text())


def cli(d: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "arrears", "--no-progress", "--db", str(d / "arrears.db"),
         "--as-of", AS_OF.isoformat(), "--csv", *args],
        capture_output=True, text=True, timeout=600, cwd=d,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_csv_output_of_the_commands(hostile: Path) -> None:
    check(cli(hostile, "age", "--by", "client"), CLIENT)
    check(cli(hostile, "worklist", "--no-compliance"), "+A0")
    check(cli(hostile, "report", "aging", "--by", "client"), CLIENT)
    one = check(cli(hostile, "plan", "list"), "+A0")
    assert len(one) > 1


def test_store_export(hostile: Path, tmp_path: Path) -> None:
    with Store(hostile / "arrears.db") as s:
        s.set_setting("note", '=HYPERLINK("http://x")')
        s.set_setting("amount", "-12.50")
        s.export("accounts", tmp_path / "accounts.csv")
        s.export("settings", tmp_path / "settings.csv")
        s.export("v_account_balance", tmp_path / "balances.csv")
    check((tmp_path / "accounts.csv").read_text(), "+A0", CLIENT)
    settings = dict(check((tmp_path / "settings.csv").read_text(), "=HYPERLINK")[1:])  # type: ignore[arg-type]
    assert settings["amount"] == "-12.50"
    check((tmp_path / "balances.csv").read_text(), "+A0")


def test_report_to_csv(hostile: Path, tmp_path: Path) -> None:
    from arrears import reports

    with Store(hostile / "arrears.db") as s:
        r = reports.aging(s, AS_OF, by="client")
    r.to_csv(str(tmp_path / "r.csv"))
    check((tmp_path / "r.csv").read_text(), CLIENT)


def test_numbers_keep_their_sign_and_text_is_neutralized() -> None:
    frame = pd.DataFrame(
        {
            "note": ["=1+1", "-12.50", "+1 555 0100", "@x", "\tx", "plain", None],
            "amount": ["-12.50", "3.00", "-0.01", "+7", "0", "-1e3", "-"],
            "cents": [-1250, 300, -1, 7, 0, -1000, 5],
            "rate": [-0.5, 0.25, float("nan"), 1e20, -1e-05, 0.0, 2.0],
            "flag": [True, False, True, False, True, False, True],
        }
    )
    rows = cells(csv_text(frame))
    assert rows[0] == ["note", "amount", "cents", "rate", "flag"]
    assert [r[0] for r in rows[1:]] == [
        "'=1+1",
        "-12.50",
        "'+1 555 0100",
        "'@x",
        "'\tx",
        "plain",
        "",
    ]
    assert [r[1] for r in rows[1:]] == ["-12.50", "3.00", "-0.01", "+7", "0", "-1e3", "'-"]
    assert [r[2] for r in rows[1:]] == ["-1250", "300", "-1", "7", "0", "-1000", "5"]
    assert [r[3] for r in rows[1:]] == ["-0.5", "0.25", "", "1e+20", "-1e-05", "0.0", "2.0"]
    assert [r[4] for r in rows[1:]] == ["True", "False"] * 3 + ["True"]
    # As pandas wrote the same frame before (bar the neutralized cells).
    assert csv_text(frame.drop(columns=["note"]).iloc[:5]) == frame.drop(columns=["note"]).iloc[
        :5
    ].to_csv(index=False)


def test_cli_csv_keeps_negative_amounts(capsys: pytest.CaptureFixture[str]) -> None:
    ctx: Any = types.SimpleNamespace(fmt="csv", currency="USD")
    emit(
        ctx,
        pd.DataFrame({"account_id": ["=A1", "-A2"], "balance_cents": [-1250, 300], "dpd": [-3, 4]}),
    )
    assert cells(capsys.readouterr().out) == [
        ["account_id", "balance", "dpd"],
        ["'=A1", "-12.50", "-3"],
        ["'-A2", "3.00", "4"],
    ]
    emit(ctx, {"note": "@x", "balance_cents": -5, "nested": {"a": 1}})
    assert cells(capsys.readouterr().out) == [
        ["note", "balance", "nested"],
        ["'@x", "-0.05", json.dumps({"a": 1})],
    ]
