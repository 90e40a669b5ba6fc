"""`arrears demo` leaves a working folder: the arrears.toml it ran with next to its store, so the
CLI works there as the docs show; its floor has desks and collectors; its long steps show bars."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from arrears import demo, reports
from arrears.config import load_config
from arrears.letters import _load_mapping
from arrears.store import Store

AS_OF = dt.date(2026, 11, 23)
N = 800


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("demo")
    demo.demo_run(base, N, 2026, AS_OF, progress=False)
    return base


@pytest.fixture
def folder(demo_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the demo folder (the commands below write to it)."""
    target = tmp_path / "demo"
    shutil.copytree(demo_dir, target)
    return target


def arrears(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI as a user types it in the folder: no --db, no --config."""
    env = {k: v for k, v in os.environ.items() if k != "ARREARS_DB"}
    return subprocess.run(
        [sys.executable, "-m", "arrears", "--no-progress", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def records(stdout: str) -> list[dict[str, Any]]:
    """--json output: a JSON array, or JSON Lines (one object per line)."""
    text = stdout.strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return data if isinstance(data, list) else [data]


# -- the configuration -------------------------------------------------------------------------


def test_the_written_config_is_the_demo_config(tmp_path: Path) -> None:
    path = demo.write_config(tmp_path, AS_OF)
    assert path == tmp_path / "arrears.toml"
    loaded = load_config(path)
    expected = demo.demo_config(str(tmp_path / "out"), AS_OF)
    assert loaded.store_path == str(tmp_path / "arrears.db")
    assert loaded.out_dir == expected.out_dir
    assert loaded.actor == expected.actor == "demo"
    assert loaded.collector == expected.collector
    assert loaded.metro2 == expected.metro2 and loaded.metro2["day"] == AS_OF.day
    assert len(loaded.campaigns) == len(expected.campaigns) == 4
    for got, want in zip(loaded.campaigns, expected.campaigns, strict=True):
        assert _load_mapping(got.pop("csv_mapping")) == _load_mapping(want.pop("csv_mapping"))
        assert got == want


def test_the_demo_leaves_its_config_next_to_its_store(demo_dir: Path) -> None:
    assert (demo_dir / "arrears.toml").is_file() and (demo_dir / "arrears.db").is_file()
    assert load_config(demo_dir / "arrears.toml").store_path == str(demo_dir / "arrears.db")
    # It ran with that file: its letters use the print-vendor mapping the file names.
    vendor = next((demo_dir / "out" / AS_OF.isoformat() / "letters").glob("*/print_vendor.csv"))
    assert vendor.read_text().splitlines()[0].startswith('"LetterId","Name","Address1"')


# -- the CLI in the demo folder ----------------------------------------------------------------


def test_campaign_list_in_the_demo_folder(folder: Path) -> None:
    listed = arrears("--json", "--as-of", AS_OF.isoformat(), "campaign", "list", cwd=folder)
    assert listed.returncode == 0, listed.stderr
    names = [c["name"] for c in records(listed.stdout)]
    assert names == ["validation", "reminder", "promise-broken", "paid-in-full"]


def test_metro2_export_in_the_demo_folder(folder: Path) -> None:
    # The demo recorded the file for its date; a dry run writes it again without recording.
    dry = arrears(
        "--as-of", AS_OF.isoformat(), "metro2", "export", "--out", "m2.txt", "--no-record",
        cwd=folder,
    )  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    text = (folder / "m2.txt").read_text()
    # The furnisher from arrears.toml: the reporter in the header, the id in each record.
    header, first = text.splitlines()[:2]
    assert "NORTHWIND RECOVERY SERVICES LLC" in header and first[20:40].strip() == "NWRS0001"
    # A new reporting date is recorded.
    month_end = dt.date(2026, 11, 30)
    recorded = arrears(
        "--as-of", month_end.isoformat(), "metro2", "export", "--out", "m2-nov.txt", cwd=folder
    )
    assert recorded.returncode == 0, recorded.stderr
    with Store(folder / "arrears.db") as s:
        dates = s.query("SELECT activity_on FROM metro2_submissions ORDER BY 1").to_pylist()
    assert [str(d["activity_on"]) for d in dates] == [AS_OF.isoformat(), month_end.isoformat()]


def test_the_next_night_in_the_demo_folder(folder: Path) -> None:
    nxt = AS_OF + dt.timedelta(days=1)
    run = arrears("--as-of", nxt.isoformat(), "nightly", cwd=folder)
    assert run.returncode == 0, run.stderr
    summary = json.loads((folder / "out" / nxt.isoformat() / "summary.json").read_text())
    assert [s["status"] for s in summary["steps"]] == ["ran"] * 8
    # The demo's campaigns from arrears.toml (the defaults have none).
    letters = next(s for s in summary["steps"] if s["name"] == "letters")["detail"]["campaigns"]
    names = ("validation", "reminder", "promise-broken", "paid-in-full")
    assert set(letters) == {f"{n}-{nxt.isoformat()}" for n in names}
    with Store(folder / "arrears.db") as s:
        ran = s.query("SELECT DISTINCT as_of FROM runs ORDER BY 1").to_pylist()
    assert [str(r["as_of"]) for r in ran] == [AS_OF.isoformat(), nxt.isoformat()]


def test_a_report_chart_in_the_demo_folder(folder: Path) -> None:
    made = arrears(
        "--as-of", AS_OF.isoformat(), "report", "collectors", "--png", "collectors.png", cwd=folder
    )
    assert made.returncode == 0, made.stderr
    assert (folder / "collectors.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "{" not in made.stdout.splitlines()[0]  # a title, not a dict


# -- desks and collectors ----------------------------------------------------------------------


def test_every_account_has_a_desk_and_a_collector_of_that_desk(demo_dir: Path) -> None:
    with Store(demo_dir / "arrears.db") as s:
        rows = s.query(
            "SELECT queue, collector, count(*) AS n FROM accounts GROUP BY 1, 2"
        ).to_pylist()
    assert sum(r["n"] for r in rows) == N
    for r in rows:
        assert r["collector"] in demo.DESKS[r["queue"]]
    for desk, people in demo.DESKS.items():
        assert len(people) >= 3
        assert {r["collector"] for r in rows if r["queue"] == desk} == set(people)


def test_the_collector_and_contact_reports_have_a_bar_per_collector(demo_dir: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    everyone = {p for people in demo.DESKS.values() for p in people}
    start = AS_OF - dt.timedelta(days=30)
    with Store(demo_dir / "arrears.db") as s:
        collectors = reports.collectors(s, start, AS_OF)
        contacts = reports.contacts(s, start, AS_OF)
    assert set(collectors.frame["collector"]) == everyone
    assert (collectors.frame["collected"] > 0).sum() > 1
    assert set(contacts.frame["collector"]) == everyone  # calls made by the assigned collector
    for report in (collectors, contacts):
        ax = report.plot()
        bars = [p for p in ax.patches if p.get_width() > 0]
        assert len(bars) > 1
        assert {t.get_text() for t in ax.get_yticklabels()} == everyone
        plt.close(ax.figure)


# -- progress ----------------------------------------------------------------------------------


def test_every_long_step_of_the_demo_shows_a_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo.demo_run(tmp_path, 300, 2026, AS_OF, progress=True)
    err = capsys.readouterr().err
    for bar in (
        "generating 300 accounts",
        "importing debtors",
        "importing accounts",
        "importing payments",
        "call history",
        "plans",
        "life events",
        "validation notices",
        "nightly (close)",
        "aging",
        "strategy default",
        "worklist default",
        "letters validation",
        "metro2",
        "reports",
    ):
        assert f"{bar}:" in err, bar


def test_no_bar_without_progress_even_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from arrears import _progress

    monkeypatch.setattr(_progress, "_interactive", lambda: True)  # where None shows bars
    demo.demo_run(tmp_path, 300, 2026, AS_OF, progress=False)
    assert capsys.readouterr().err == ""
