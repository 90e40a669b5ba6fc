"""The arrears command line through subprocesses: exit codes, JSON output, imports with
rejected rows, the nightly run and the demo at a small size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

AS_OF = "2026-11-23"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "arrears", "--no-progress", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def jsonl(text: str) -> list[dict]:
    """--json prints JSON Lines: one object per line."""
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "debtors.csv").write_text(
        "debtor_id,first_name,last_name,address_line1,city,state,zip,phone\n"
        "D1,Ana,Lopez,1 Main St,Albany,NY,12207,518-555-0101\n"
        "D2,Bo,Smith,9 Oak Ave,Seattle,WA,98101,206-555-0199\n"
    )
    (tmp_path / "accounts.csv").write_text(
        "account_id,debtor_id,opened_on,first_delinquency_on,principal,client\n"
        "A1,D1,2024-01-15,2026-06-01,1200.00,acme\n"
        "A2,D2,2023-03-01,2026-10-01,300.00,acme\n"
    )
    (tmp_path / "payments.csv").write_text(
        "account_id,amount,effective_date,reference\n"
        "A1,100.00,2026-11-01,p1\n"
        "A9,5.00,2026-11-01,p2\n"
        "A2,abc,2026-11-01,p3\n"
    )
    return tmp_path


def test_init_import_age_and_exit_codes(workdir: Path) -> None:
    r = cli("--db", "x.db", "--json", "init", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["created"] is True
    assert cli("--db", "x.db", "import", "debtors", "debtors.csv", cwd=workdir).returncode == 0
    r = cli("--db", "x.db", "--json", "import", "accounts", "accounts.csv", cwd=workdir)
    assert r.returncode == 0 and json.loads(r.stdout)["inserted"] == 2
    # All or nothing: two bad rows reject the file (exit 1), nothing posted.
    r = cli("--db", "x.db", "--json", "post-payments", "payments.csv", cwd=workdir)
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["committed"] is False and out["rejected"] == 2
    assert {p["where"] for p in out["problems"]} == {"line 3", "line 4"}
    assert "line 4, column 'amount'" in r.stderr or "rejected" in r.stderr
    # Keep the good rows: finished with rejected records (exit 3).
    r = cli(
        "--db", "x.db", "--json", "import", "payments", "payments.csv", "--keep-good", cwd=workdir
    )
    assert r.returncode == 3 and json.loads(r.stdout)["inserted"] == 1
    r = cli("--db", "x.db", "--as-of", AS_OF, "--json", "age", cwd=workdir)
    assert r.returncode == 0
    rows = {row["bucket"]: row for row in jsonl(r.stdout)}
    assert rows["31-60"]["accounts"] == 1 and rows["121-180"]["balance"] == "1100.00"
    r = cli("--db", "x.db", "--as-of", AS_OF, "--csv", "age", "--by", "client", cwd=workdir)
    assert r.returncode == 0 and r.stdout.splitlines()[0] == "client,bucket,accounts,balance"


def test_usage_and_clear_errors(workdir: Path) -> None:
    r = cli("--db", "missing.db", "age", cwd=workdir)
    assert r.returncode == 2 and "arrears init" in r.stderr and "Traceback" not in r.stderr
    r = cli("--as-of", "2026-13-01", "age", cwd=workdir)
    assert r.returncode == 2 and "--as-of" in r.stderr and "2026-13-01" in r.stderr
    (workdir / "bad.toml").write_text("[nightly]\nout = 'x'\n")
    r = cli("--config", "bad.toml", "age", cwd=workdir)
    assert r.returncode == 2 and "nightly.out" in r.stderr
    r = cli("report", "nonsense", cwd=workdir)
    assert r.returncode == 2


def test_worklist_report_and_nightly(workdir: Path) -> None:
    for args in (
        ("init",),
        ("import", "debtors", "debtors.csv"),
        ("import", "accounts", "accounts.csv"),
    ):
        assert cli("--db", "y.db", *args, cwd=workdir).returncode == 0
    r = cli(
        "--db", "y.db", "--as-of", AS_OF, "--json", "worklist", "--call-time", "17:00", cwd=workdir
    )
    assert r.returncode == 0, r.stderr
    wl = jsonl(r.stdout)
    # A2 (31-60 dpd) is called; A1 (121-180 dpd, under $2,500) gets a letter instead.
    assert [row["account_id"] for row in wl] == ["A2"]
    assert wl[0]["call_allowed"] is True  # 09:00 in Seattle
    r = cli(
        "--db", "y.db", "--as-of", AS_OF, "--json", "worklist", "--call-time", "14:00", cwd=workdir
    )
    by_id = {row["account_id"]: row for row in jsonl(r.stdout)}
    assert (
        by_id["A2"]["call_allowed"] is False and by_id["A2"]["blocked_rule"] == "reg_f.time_of_day"
    )
    r = cli(
        "--db", "y.db", "--as-of", AS_OF, "report", "roll-rates", "--png", "rr.png", cwd=workdir
    )
    assert r.returncode == 0 and (workdir / "rr.png").stat().st_size > 1000
    r = cli("--db", "y.db", "--as-of", AS_OF, "--json", "nightly", "--out", "out", cwd=workdir)
    assert r.returncode == 0, r.stderr
    first = json.loads(r.stdout)
    assert [s["status"] for s in first["steps"]] == ["ran"] * len(first["steps"])
    again = json.loads(
        cli(
            "--db", "y.db", "--as-of", AS_OF, "--json", "nightly", "--out", "out", cwd=workdir
        ).stdout
    )
    assert {s["status"] for s in again["steps"]} == {"skipped"}
    assert (workdir / "out" / AS_OF / "reports" / "aging.png").exists()


def test_demo_small(tmp_path: Path) -> None:
    r = cli("--as-of", AS_OF, "--json", "demo", "--accounts", "1500", "--dir", "d", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["accounts"] == 1500 and s["calls"] > 0
    assert sum(b["accounts"] for b in s["buckets"].values()) <= 1500
    out = tmp_path / "d" / "out" / AS_OF
    assert (out / "worklists").is_dir() and (out / "summary.json").exists()
    assert (out / "metro2").is_dir() and (out / "letters").is_dir()
    # A second demo in the same folder replaces the first (it does not trip over its letters).
    again = cli("--as-of", AS_OF, "--json", "demo", "--accounts", "300", "--dir", "d", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["accounts"] == 300
