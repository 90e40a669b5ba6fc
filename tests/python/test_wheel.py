"""The wheel users install (`make wheel`), installed the way a user installs it.

`make test` builds dist/arrears-*-manylinux_*.whl first and sets ARREARS_WHEEL_TEST=1, which
makes a missing wheel a failure here; a plain `pytest` run without the wheel skips these tests.
The wheel goes into a new virtualenv with its base dependencies only (no extras), so this is
also the test that `pip install arrears` runs the CLI and the nightly batch.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import venv
import zipfile
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[2]


def _wheel() -> Path:
    wheels = sorted((ROOT / "dist").glob("arrears-*-manylinux_*.whl"))
    if not wheels:
        if os.environ.get("ARREARS_WHEEL_TEST") == "1":
            pytest.fail("no dist/arrears-*-manylinux_*.whl: `make wheel` did not build it")
        pytest.skip("no wheel in dist/ (run `make wheel`; `make test` does)")
    return wheels[-1]


def test_a_plain_install_never_writes_into_the_source_tree() -> None:
    # scikit-build-core writes its build folder wherever tool.scikit-build.build-dir says; set
    # there, a `pip install .` writes into the checkout (and fails in a read-only one).
    # `make` passes -Cbuild-dir for its editable install instead.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "build-dir" not in config["tool"]["scikit-build"]


def test_the_wheel_is_manylinux_bundles_its_libraries_and_carries_the_licenses() -> None:
    wheel = _wheel()
    names = zipfile.ZipFile(wheel).namelist()
    libs = [n for n in names if n.startswith("arrears.libs/")]
    for lib in ("libdate-tz", "libsqlite3", "libcrypto"):
        assert any(lib in n for n in libs), f"{lib} is not bundled: {libs}"
    licenses = {Path(n).name for n in names if "/licenses/" in n}
    assert {"LICENSE", "NOTICE"} <= licenses
    notice = (
        zipfile.ZipFile(wheel)
        .read(next(n for n in names if n.endswith("/licenses/NOTICE")))
        .decode()
    )
    for component in ("howardhinnant-date", "sqlite3", "libssl3", "nlohmann-json3", "mustache"):
        assert component in notice, component
    assert "Apache License" in notice
    assert "_core.cpython" in " ".join(names)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv with the wheel and its base dependencies (no extras)."""
    wheel = _wheel()
    env_dir = tmp_path_factory.mktemp("wheel") / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        timeout=900,
    )
    return env_dir


def _run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_installed_wheel_holds_no_extras_and_imports_from_site_packages(
    installed: Path, tmp_path: Path
) -> None:
    out = _run(
        installed,
        str(installed / "bin" / "python"),
        "-c",
        "import importlib.util as u, arrears, arrears._core as c;"
        "print(arrears.__file__); print(c.__file__);"
        "print(u.find_spec('pyspark') is None, u.find_spec('weasyprint') is None)",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    package, core, no_extras = out.stdout.splitlines()
    assert str(installed) in package and str(installed) in core  # not the source tree
    assert no_extras == "True True"


def test_the_installed_wheel_runs_the_demo_and_every_command_of_the_automation_guide(
    installed: Path, tmp_path: Path
) -> None:
    demo = _run(installed, "arrears", "--no-progress", "demo", "--accounts", "2000", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr[-3000:]
    folder = tmp_path / "demo"
    assert (folder / "arrears.db").is_file() and (folder / "arrears.toml").is_file()
    outputs = list((folder / "out").rglob("*"))
    assert any(p.suffix == ".png" for p in outputs), "no report charts (matplotlib)"
    assert any(p.suffix == ".csv" and "worklists" in p.parts for p in outputs)
    assert any(p.suffix == ".txt" and "metro2" in p.parts for p in outputs)
    summary = json.loads(next(p for p in outputs if p.name == "summary.json").read_text())
    as_of = dt.date.fromisoformat(summary["as_of"])
    next_day = (as_of + dt.timedelta(days=1)).isoformat()

    # Every command of docs/automation.md, as a user types it in the demo's working folder
    # (its arrears.toml names the store), global options after the command.
    for args in (
        ("age", "--json"),
        ("age", "--by", "client", "--csv"),
        ("worklist", "--top-n", "5", "--csv"),
        *(("report", name, "--png", f"{name}.png") for name in REPORTS),
        ("plan", "list", "--json"),
        ("plan", "evaluate"),
        (
            "plan",
            "new",
            "promise",
            "--id",
            "WHEEL-P1",
            "--account",
            _open_account(folder),
            "--amount",
            "25.00",
            "--due",
            next_day,
        ),
        ("plan", "show", "WHEEL-P1", "--json"),
        ("plan", "cancel", "WHEEL-P1"),
        ("campaign", "list"),
        ("campaign", "history", "--json"),
        ("metro2", "export", "--out", "check.txt", "--no-record"),
        ("nightly", "--as-of", next_day, "--json"),
    ):
        result = _run(installed, "arrears", *args, "--no-progress", cwd=folder)
        assert result.returncode == 0, (args, result.stderr[-2000:])
        assert result.stdout.strip(), args
    for name in REPORTS:
        assert (folder / f"{name}.png").stat().st_size > 10_000, name
    campaign = _run(installed, "arrears", "campaign", "list", "--json", cwd=folder)
    first = json.loads(campaign.stdout.splitlines()[0])["name"]
    preview = _run(installed, "arrears", "campaign", "preview", first, cwd=folder)
    assert preview.returncode == 0, preview.stderr[-2000:]
    check = _run(installed, "arrears", "metro2", "validate", "check.txt", cwd=folder)
    assert check.returncode in (0, 1) and check.stdout.strip(), check.stderr[-2000:]

    # A new store from files: init, import, post-payments (the first-hour path).
    work = tmp_path / "new"
    work.mkdir()
    (work / "debtors.csv").write_text(
        "debtor_id,first_name,last_name,address_line1,city,state,zip,phone\n"
        "D1,Ana,Lopez,1 Main St,Albany,NY,12207,518-555-0101\n"
    )
    (work / "accounts.csv").write_text(
        "account_id,debtor_id,opened_on,first_delinquency_on,principal,client\n"
        "A1,D1,2024-01-15,2026-06-01,1200.00,acme\n"
    )
    (work / "payments.csv").write_text(
        "account_id,amount,effective_date,reference\nA1,100.00,2026-11-01,p1\n"
    )
    for args in (
        ("init",),
        ("import", "debtors", "debtors.csv"),
        ("import", "accounts", "accounts.csv"),
        ("post-payments", "payments.csv"),
        ("age", "--as-of", "2026-11-23", "--json"),
    ):
        result = _run(installed, "arrears", *args, "--db", "x.db", "--no-progress", cwd=work)
        assert result.returncode == 0, (args, result.stderr[-2000:])
    assert '"balance": "1100.00"' in result.stdout


REPORTS = (
    "aging",
    "roll-rates",
    "liquidation",
    "promises",
    "collectors",
    "contacts",
    "cure-rate",
    "dso",
)


def _open_account(folder: Path) -> str:
    """An active account in no open plan, from the demo's store (read with sqlite3)."""
    with sqlite3.connect(folder / "arrears.db") as db:
        row = db.execute(
            "SELECT a.id FROM accounts a JOIN account_state s ON s.account_id = a.id"
            " WHERE a.status = 'active' AND s.balance_cents > 10000 AND NOT EXISTS ("
            " SELECT 1 FROM plan_accounts pa JOIN plans p ON p.id = pa.plan_id"
            " WHERE pa.account_id = a.id AND p.status IN ('active', 'current', 'delinquent'))"
            " ORDER BY a.id LIMIT 1"
        ).fetchone()
    assert row, "no open account in the demo store"
    return str(row[0])
