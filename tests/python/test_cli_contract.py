"""The contract of the `arrears` command line that scripts rely on (docs/automation.md): every
subcommand answers bad input with exit 2 and one line on stderr naming the option and the value,
before anything is written; global options work before and after the subcommand; --json is JSON
Lines; money is a decimal string in JSON and CSV; missing extras are found before any write."""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from arrears.cli import main

AS_OF = "2026-11-23"

CONFIG = """\
[collector]
name = "Northwind Recovery Services LLC"
phone = "(800) 555-0100"
hours = "Monday to Friday, 8 a.m. to 8 p.m. Central"
address = { line1 = "PO Box 1000", city = "Chicago", state = "IL", postal_code = "60602" }

[[campaigns]]
name = "validation"
letter = "validation_notice"
select = "new"

[metro2]
identification_number = "AGENCY01"
reporter_name = "NORTH SOUTH GROUP"
reporter_address = "1234 MAIN STREET ANYTOWN MA 02110"
reporter_telephone_number = "8001234567"
equifax_program_identifier = "EQ12345"
day = "month_end"
"""


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["--no-progress", *args], env=env, prog_name="arrears")


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result


def lines(result: Result) -> list[dict[str, Any]]:
    """JSON Lines: every line of stdout one JSON object."""
    rows = [json.loads(line) for line in ok(result).stdout.splitlines()]
    assert all(isinstance(row, dict) for row in rows), result.stdout
    return rows


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return list(con.iterdump())


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store t.db with two debtors and two accounts (A1: 121-180 days past due, $1,100 after
    a payment; A2: 31-60, $300), arrears.toml with a campaign and [metro2] (with the nightly's
    `day`)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ARREARS_DB", raising=False)
    (tmp_path / "debtors.csv").write_text(
        "debtor_id,first_name,last_name,address_line1,city,state,zip,phone\n"
        "D1,Ana,Lopez,1 Main St,Albany,NY,12207,518-555-0101\n"
        "D2,Bo,Smith,9 Oak Ave,Seattle,WA,98101,206-555-0199\n"
    )
    (tmp_path / "accounts.csv").write_text(
        "account_id,debtor_id,opened_on,first_delinquency_on,principal,client,account_number,"
        "original_creditor,charged_off_on,itemization_date,itemization_basis\n"
        "A1,D1,2024-01-15,2026-06-01,1200.00,acme,41110001,Bank of Rockville,2026-10-01,"
        "2026-10-01,charge_off\n"
        "A2,D2,2023-03-01,2026-10-01,300.00,acme,41110002,Bank of Rockville,2026-10-15,"
        "2026-10-15,charge_off\n"
    )
    (tmp_path / "payments.csv").write_text(
        "account_id,amount,effective_date,reference\nA1,100.00,2026-11-01,p1\n"
    )
    ok(cli("--db", "t.db", "init"))
    for kind in ("debtors", "accounts", "payments"):
        ok(cli("--db", "t.db", "import", kind, f"{kind}.csv"))
    (tmp_path / "arrears.toml").write_text(CONFIG + '\n[store]\npath = "t.db"\n')
    yield tmp_path


# ---- every subcommand, bad input ----------------------------------------------------------------

# (args, the words the one error line must contain). All exit 2 and leave the store as it was.
# fmt: off
BAD: list[tuple[list[str], list[str]]] = [
    (["--as-of", "2026-13-01", "age"], ["--as-of", "2026-13-01"]),
    (["age", "--as-of", "2026-02-30"], ["--as-of", "2026-02-30"]),
    (["--json", "--csv", "age"], ["--json", "--csv"]),
    (["--json", "age", "--csv"], ["--json", "--csv"]),
    (["age", "--config", "nosuch.toml"], ["--config", "nosuch.toml"]),
    (["age", "--db", "missing.db"], ["--db", "missing.db", "arrears init --db missing.db"]),
    (["age", "--nosuch"], ["--nosuch"]),
    (["age", "--db", "accounts.csv"], ["--db", "accounts.csv", "not an arrears store"]),
    (["nosuch"], ["nosuch"]),
    (["init", "--db", "nodir/x.db"], ["--db", "nodir"]),
    (["import", "accounts", "nosuch.csv"], ["FILE", "nosuch.csv"]),
    (["import", "loans", "accounts.csv"], ["KIND", "loans"]),
    (["import", "accounts", "accounts.csv", "--map", "principal"], ["--map", "principal"]),
    (["import", "accounts", "accounts.csv", "--currency", "XYZ"], ["--currency", "XYZ"]),
    (["post-payments", "nosuch.csv"], ["FILE", "nosuch.csv"]),
    (["age", "--by", "nosuch"], ["--by", "nosuch"]),
    (["worklist", "--call-time", "25:00"], ["--call-time", "25:00"]),
    (["worklist", "--call-time", "noon"], ["--call-time", "noon"]),
    (["worklist", "--top-n", "-1"], ["--top-n", "-1"]),
    (["worklist", "--top-n", "ten"], ["--top-n", "ten"]),
    (["worklist", "--top-percent", "150"], ["--top-percent", "150"]),
    (["worklist", "--top-percent", "0"], ["--top-percent", "0"]),
    (["worklist", "--queue", "nosuch"], ["--queue", "nosuch"]),
    (["report", "nosuch"], ["NAME", "nosuch"]),
    (["report", "aging", "--by", "nosuch"], ["--by", "nosuch"]),
    (["report", "liquidation", "--by", "nosuch"], ["--by", "nosuch"]),
    (["report", "dso", "--by", "nosuch"], ["--by", "nosuch"]),
    (["report", "liquidation", "--vintage", "decade"], ["--vintage", "decade"]),
    (["report", "aging", "--vintage", "year"], ["--vintage", "year"]),
    (["report", "promises", "--by", "client"], ["--by", "client"]),
    (["report", "roll-rates", "--from", "2026-12-01"], ["--from", "2026-12-01", AS_OF]),
    (["report", "cure-rate", "--from", "2026-02-30"], ["--from", "2026-02-30"]),
    (["report", "aging", "--from", "2026-10-01"], ["--from", "2026-10-01"]),
    (["report", "aging", "--png", "nodir/a.png"], ["--png", "nodir"]),
    (["report", "aging", "--png", "aging.txt"], ["--png", "aging.txt", ".png"]),
    (["nightly", "--out", "accounts.csv"], ["--out", "accounts.csv"]),
    (["demo", "--accounts", "0"], ["--accounts", "0"]),
    (["demo", "--dir", "accounts.csv"], ["--dir", "accounts.csv"]),
    (
        ["plan", "new", "installment", "--id", "P", "--account", "A1", "--installments", "0",
         "--first", "2026-12-01"],
        ["--installments", "0"],
    ),
    (
        ["plan", "new", "settlement", "--id", "P", "--account", "A1", "--amount", "100",
         "--expires", "2026-12-32"],
        ["--expires", "2026-12-32"],
    ),
    (
        ["plan", "new", "promise", "--id", "P", "--account", "A9", "--amount", "10",
         "--due", "2026-12-01"],
        ["--account", "A9"],
    ),
    (["plan", "new", "monthly"], ["monthly"]),
    (["plan", "list", "--status", "nosuch"], ["--status", "nosuch"]),
    (["plan", "show", "P-9"], ["PLAN_ID", "P-9"]),
    (["plan", "evaluate", "--plan", "P-9"], ["--plan", "P-9"]),
    (["plan", "cancel", "P-9"], ["PLAN_ID", "P-9"]),
    (["metro2", "export"], ["--out"]),
    (["metro2", "export", "--out", "nodir/m.txt"], ["--out", "nodir"]),
    (["metro2", "export", "--out", "m.txt", "--reporter-name", "X" * 41], ["--reporter-name"]),
    (["metro2", "validate", "nosuch.txt"], ["FILE", "nosuch.txt"]),
    (["campaign", "list", "--as-of", "23/11/2026"], ["--as-of", "23/11/2026"]),
    (["campaign", "preview", "nosuch"], ["NAME", "nosuch"]),
    (["campaign", "preview", "validation", "-n", "0"], ["-n", "0"]),
    (["campaign", "run", "nosuch"], ["NAME", "nosuch"]),
    (["campaign", "history", "--since", "yesterday"], ["--since", "yesterday"]),
]
# fmt: on


def _leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= _leaf_commands(command, (*prefix, name))
        else:
            found.add((*prefix, name))
    return found


def test_every_subcommand_has_a_bad_input_case() -> None:
    covered = set()
    for args, _ in BAD:
        words = tuple(a for a in args if not a.startswith("-"))
        for n in range(1, len(words) + 1):
            covered.add(words[:n])
    assert _leaf_commands(main) - covered == set()


@pytest.mark.parametrize(("args", "words"), BAD, ids=[" ".join(a)[:60] for a, _ in BAD])
def test_bad_input_is_one_line_and_exit_2(work: Path, args: list[str], words: list[str]) -> None:
    before = dump(work / "t.db")
    r = cli("--as-of", AS_OF, *args)
    assert r.exit_code == 2, (r.stdout, r.stderr, r.exception)
    assert len(r.stderr.splitlines()) == 1, r.stderr
    assert r.stderr.startswith("arrears: error: ")
    for word in words:
        assert word in r.stderr, r.stderr
    assert r.stdout == ""
    assert dump(work / "t.db") == before
    assert not (work / "nodir").exists() and not (work / "m.txt").exists()


def test_through_the_entry_point(work: Path) -> None:
    """A real process: no traceback, no warning, one line, exit 2 (and exit 2 for --help's
    absence of a command is not an error: `arrears plan` prints its help)."""
    for args in (["worklist", "--call-time", "25:00"], ["worklist", "--top-n", "-1"]):
        r = subprocess.run(
            [sys.executable, "-m", "arrears", *args], capture_output=True, text=True, cwd=work
        )
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
        assert args[1] in r.stderr and args[2] in r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "arrears", "plan"], capture_output=True, text=True, cwd=work
    )
    assert r.returncode == 0 and "Commands:" in r.stdout and "list" in r.stdout


def test_failures_are_one_line_exit_1(work: Path) -> None:
    ok(cli("--as-of", "2026-11-30", "metro2", "export", "--out", "m1.txt"))
    r = cli("--as-of", "2026-11-30", "metro2", "export", "--out", "m2.txt")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1
    assert not (work / "m2.txt").exists()
    # A file with problems: the report on stdout, one line on stderr.
    r = cli("metro2", "validate", "accounts.csv")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1, r.stderr
    assert r.stderr.startswith("arrears: error: accounts.csv: ") and "problems" in r.stderr
    assert "problems" in r.stdout


def test_a_known_currency_is_accepted(work: Path) -> None:
    (work / "eur.csv").write_text(
        "account_id,debtor_id,opened_on,principal,client\nE1,D1,2024-01-15,10.00,acme\n"
    )
    r = ok(cli("--db", "t.db", "--json", "import", "accounts", "eur.csv", "--currency", "EUR"))
    assert json.loads(r.stdout)["inserted"] == 1


# ---- global options anywhere --------------------------------------------------------------------


def test_global_options_before_or_after_the_subcommand(work: Path) -> None:
    (work / "arrears.toml").unlink()
    before = lines(cli("--db", "t.db", "--as-of", AS_OF, "--json", "age"))
    after = lines(cli("age", "--db", "t.db", "--as-of", AS_OF, "--json"))
    mixed = lines(cli("--db", "t.db", "age", "--json", "--as-of", AS_OF))
    assert before == after == mixed and len(before) > 1
    # Nested subcommands too, and the last value given wins.
    ok(cli("plan", "new", "promise", "--id", "P-1", "--account", "A2", "--amount", "50",
           "--due", "2026-12-01", "--db", "t.db", "--as-of", AS_OF))  # fmt: skip
    listed = lines(cli("--db", "missing.db", "plan", "list", "--db", "t.db", "--json"))
    assert [p["plan_id"] for p in listed] == ["P-1"] and listed[0]["total"] == "50.00"
    assert ok(cli("plan", "list", "--csv", "--db", "t.db")).stdout.startswith("plan_id,")


def test_every_global_option_is_read_before_and_after() -> None:
    from arrears.cli_context import given_options

    args = ["--db", "x.db", "--config", __file__, "--as-of", AS_OF, "--json", "--actor", "me",
            "--no-progress", "--debug"]  # fmt: skip
    expected = {
        "db": "x.db", "config": __file__, "as_of": datetime.date(2026, 11, 23), "fmt": "json",
        "actor": "me", "progress": False, "debug": True,
    }  # fmt: skip
    root = main.make_context("arrears", [*args, "age"])
    assert given_options(root) == expected
    root = main.make_context("arrears", ["plan"])
    plan = main.commands["plan"]
    assert isinstance(plan, click.Group)
    sub = plan.make_context("plan", ["list"], parent=root)
    leaf = plan.commands["list"].make_context("list", args, parent=sub)
    assert given_options(leaf) == expected
    # The value given last wins; --csv after --json is refused.
    root = main.make_context("arrears", ["--progress", "--as-of", "2026-01-01", "age"])
    leaf = main.commands["age"].make_context(
        "age", ["--no-progress", "--as-of", AS_OF], parent=root
    )
    assert given_options(leaf)["progress"] is False and given_options(leaf)["as_of"].day == 23
    with pytest.raises(click.UsageError, match="--json and --csv"):
        main.commands["age"].make_context(
            "age", ["--csv"], parent=main.make_context("arrears", ["--json", "age"])
        )


def test_the_hint_to_init_works_as_written(work: Path) -> None:
    r = cli("age", "--db", "new.db")
    assert r.exit_code == 2
    hint = r.stderr.split("`")[1]
    assert hint == "arrears init --db new.db"
    ok(cli(*hint.split()[1:]))
    assert (work / "new.db").exists()
    ok(cli("age", "--db", "new.db"))


def test_arrears_db_from_the_environment(work: Path) -> None:
    (work / "arrears.toml").unlink()
    r = lines(cli("--json", "--as-of", AS_OF, "age", env={"ARREARS_DB": "t.db"}))
    assert sum(row["accounts"] for row in r) == 2
    # --db wins over the environment.
    r2 = cli("age", "--db", "missing.db", env={"ARREARS_DB": "t.db"})
    assert r2.exit_code == 2 and "missing.db" in r2.stderr


def test_shell_completion_knows_commands_and_global_options(work: Path) -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_ARREARS_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        r = CliRunner().invoke(main, [], env=env, prog_name="arrears")
        assert r.exit_code == 0, r.stderr
        return [line.split(",", 1)[1] for line in r.stdout.splitlines()]

    assert "plan" in complete("arrears pl")
    assert "--db" in complete("arrears age --d")
    assert "--json" in complete("arrears plan list --js")
    assert "roll-rates" in complete("arrears report ro")
    r = CliRunner().invoke(main, [], env={"_ARREARS_COMPLETE": "bash_source"}, prog_name="arrears")
    assert "_ARREARS_COMPLETE=bash_complete" in r.stdout


# ---- output: JSON Lines, money as decimal strings, CSV ------------------------------------------


# The money keys of the commands' output (a store column x_cents is printed as x).
MONEY_KEYS = {
    "balance", "amount", "collected", "placed", "paid", "total", "receivables", "sales",
    "interest", "discount", "remaining", "balance_remaining", "next_amount", "principal", "fees",
}  # fmt: skip


def _money_values(row: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(row, dict):
        for key, value in row.items():
            if key.startswith("part_"):  # a score part (points), named after its factor column
                continue
            assert not key.endswith("_cents"), f"{path}{key} in the output"
            if key in MONEY_KEYS:
                yield f"{path}{key}", value
            yield from _money_values(value, f"{path}{key}.")
    elif isinstance(row, list):
        for value in row:
            yield from _money_values(value, path)


def test_json_lines_and_money_as_strings_everywhere(work: Path) -> None:
    commands = [
        ["init"],
        ["age"],
        ["age", "--by", "client"],
        ["worklist", "--call-time", "17:00"],
        *[["report", name] for name in ("aging", "liquidation", "collectors", "dso", "promises")],
        ["plan", "new", "promise", "--id", "P-1", "--account", "A2", "--amount", "50",
         "--due", "2026-12-01"],
        ["plan", "list"],
        ["plan", "show", "P-1"],
        ["plan", "evaluate"],
        ["campaign", "list"],
        ["campaign", "preview", "validation"],
        ["metro2", "export", "--out", "m.txt", "--no-record"],
        ["metro2", "validate", "m.txt"],
        ["nightly"],
        ["campaign", "history"],
    ]  # fmt: skip
    seen = 0
    for args in commands:
        rows = lines(cli("--json", "--as-of", AS_OF, *args))
        for row in rows:
            for key, value in _money_values(row):
                assert value is None or isinstance(value, str), (args, key, value)
                seen += 1
    assert seen > 20
    aging = {r["bucket"]: r for r in lines(cli("--json", "--as-of", AS_OF, "age"))}
    assert aging["121-180"]["balance"] == "1100.00" and aging["31-60"]["balance"] == "300.00"
    worklist = lines(cli("--json", "--as-of", AS_OF, "worklist", "--call-time", "17:00"))
    assert worklist[0]["balance"] == "300.00"


def test_money_in_csv_and_text(work: Path) -> None:
    csv = ok(cli("--csv", "--as-of", AS_OF, "age")).stdout.splitlines()
    assert csv[0] == "bucket,accounts,balance"
    assert any(line.endswith(",1,1100.00") for line in csv), csv
    text = ok(cli("--as-of", AS_OF, "age")).stdout
    assert "1100.00" in text and "1100.0 " not in text and "aging as of 2026-11-23" in text


def test_json_lines_append_to_a_log(work: Path) -> None:
    log = work / "nightly.jsonl"
    for day in ("2026-11-23", "2026-11-24"):
        out = ok(cli("--json", "--as-of", day, "nightly")).stdout
        assert out.count("\n") == 1
        with log.open("a") as f:
            f.write(out)
    runs = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["as_of"] for r in runs] == ["2026-11-23", "2026-11-24"]


def test_report_png_prints_the_path(work: Path) -> None:
    r = ok(cli("--as-of", AS_OF, "report", "aging", "--png", "aging.png"))
    assert r.stdout.splitlines()[-1] == "chart: aging.png" and (work / "aging.png").exists()
    assert "Aging as of Nov 23, 2026" in r.stdout and "{" not in r.stdout
    r = ok(cli("--json", "--as-of", AS_OF, "report", "aging", "--png", "a2.png"))
    assert r.stderr.strip() == "chart: a2.png" and (work / "a2.png").exists()
    assert all(json.loads(line) for line in r.stdout.splitlines())


def test_metro2_export_reads_the_nightly_metro2_table(work: Path) -> None:
    """`day` belongs to the nightly's [metro2] table; export reads the same table."""
    out = lines(cli("--json", "--as-of", "2026-11-30", "metro2", "export", "--out", "m.txt"))
    assert out[0]["reported"] + out[0]["excluded"] == 2 and (work / "m.txt").exists()
    (work / "arrears.toml").write_text(CONFIG.replace('day = "month_end"', 'day = "friday"'))
    r = cli("--as-of", "2026-11-30", "metro2", "export", "--out", "m2.txt", "--db", "t.db")
    assert r.exit_code == 2 and "metro2.day" in r.stderr and "friday" in r.stderr
    assert not (work / "m2.txt").exists()


# ---- optional extras and dependencies: checked before anything is written ------------------------


def _without(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    real_import, real_find = importlib.import_module, importlib.util.find_spec

    def import_module(name: str, package: str | None = None) -> Any:
        if name == module or name.startswith(module + "."):
            raise ModuleNotFoundError(f"No module named {module!r}")
        return real_import(name, package)

    def find_spec(name: str, package: str | None = None) -> Any:
        return None if name == module else real_find(name, package)

    monkeypatch.setattr(importlib, "import_module", import_module)
    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_pdf_letters_without_the_extra_stop_before_any_write(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "arrears.toml").write_text(
        CONFIG.replace('select = "new"', 'select = "new"\npdf = true') + '[store]\npath = "t.db"\n'
    )
    _without(monkeypatch, "weasyprint")
    before = dump(work / "t.db")
    for args in (["nightly"], ["campaign", "run", "validation"]):
        r = cli("--as-of", AS_OF, *args)
        assert r.exit_code == 2, (r.stdout, r.stderr, r.exception)
        assert len(r.stderr.splitlines()) == 1 and "pip install 'arrears[pdf]'" in r.stderr
        assert "validation" in r.stderr
        assert dump(work / "t.db") == before
        assert not (work / "out").exists()


def test_a_missing_dependency_stops_before_any_write(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without(monkeypatch, "matplotlib")
    before = dump(work / "t.db")
    r = cli("--as-of", AS_OF, "nightly")
    assert r.exit_code == 2, (r.stdout, r.stderr, r.exception)
    assert len(r.stderr.splitlines()) == 1 and "pip install 'matplotlib" in r.stderr
    assert dump(work / "t.db") == before and not (work / "out").exists()


# ---- module structure ------------------------------------------------------------------------------


def test_command_modules_do_not_import_the_entry_point() -> None:
    """cli.py imports the command groups; they share cli_context / cli_output (no cycle)."""
    code = (
        "import sys\n"
        "import arrears.cli_plans, arrears.cli_campaigns, arrears.cli_metro2\n"
        "assert 'arrears.cli' not in sys.modules, 'a command module imports arrears.cli'\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
