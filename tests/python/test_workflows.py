"""The nightly batch's plan, letter and Metro 2 steps on a generated portfolio: who each campaign
selects (checked against the store with independent SQL), that nothing is sent twice (the next
day, a re-run, a run interrupted after a campaign was logged), the Metro 2 reporting day, the
configuration's errors, and the `arrears campaign` commands."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from arrears import demo, metro2
from arrears.config import load_config
from arrears.errors import ValidationError
from arrears.store import Store
from arrears.workflows import nightly

AS_OF = dt.date(2026, 11, 23)
N = 1200


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    base = tmp_path_factory.mktemp("demo")
    result = demo.demo_run(base, N, 2026, AS_OF)
    return base, result


@pytest.fixture
def copy(demo_dir: tuple[Path, dict[str, Any]], tmp_path: Path) -> Path:
    """A private copy of the demo's store and outputs (the tests below write to them)."""
    base, _ = demo_dir
    shutil.copy(base / "arrears.db", tmp_path / "arrears.db")
    shutil.copytree(base / "out", tmp_path / "out")
    return tmp_path


def rows(store: Store, sql: str, *args: Any) -> list[dict[str, Any]]:
    return store.query(sql, list(args)).to_pylist()


def test_campaign_counts_match_the_store(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    base, r = demo_dir
    with Store(base / "arrears.db") as s:
        logged = {x["id"]: x for x in rows(s, "SELECT * FROM campaigns")}
        for name, c in r["letters"].items():
            assert c["status"] in ("sent", "nothing selected")
            if c["status"] == "nothing selected":
                continue
            row = logged[name]
            assert row["letters"] == c["sent"]
            assert row["suppressed"] == c["suppressed"]
            assert c["sent"] + c["suppressed"] == c["selected"]
            reasons = json.loads(row["suppressed_by_reason"])
            assert {k: v for k, v in reasons.items() if v} == c["suppressed_by_reason"]
            n = rows(s, "SELECT count(*) AS n FROM letters WHERE campaign_id = ?", name)[0]["n"]
            assert n == c["sent"]
            folder = base / "out" / AS_OF.isoformat() / "letters" / name
            manifest = json.loads((folder / "manifest.json").read_text())
            assert manifest["counts"]["letters"] == c["sent"]
            vendor = (folder / "print_vendor.csv").read_text().splitlines()
            assert (
                vendor[0].startswith('"LetterId","Name","Address1"')
                and len(vendor) == c["sent"] + 1
            )
        assert r["letters"]["reminder-2026-11-23"]["sent"] > 0
        assert r["letters"]["validation-2026-11-23"]["sent"] > 0


def test_validation_notices_go_to_new_placements_once(
    demo_dir: tuple[Path, dict[str, Any]],
) -> None:
    base, _ = demo_dir
    with Store(base / "arrears.db") as s:
        bad = rows(
            s,
            "SELECT l.account_id, st.first_effective_on FROM letters l "
            "JOIN account_state st ON st.account_id = l.account_id "
            "WHERE l.campaign_id = 'validation-2026-11-23' AND st.first_effective_on < ?",
            AS_OF - dt.timedelta(days=30),
        )
        assert bad == []
        twice = rows(
            s,
            "SELECT account_id, count(*) AS n FROM letters WHERE template = 'validation_notice' "
            "GROUP BY account_id HAVING n > 1",
        )
        assert twice == []
        # Every open account with a balance placed by the onboarding date got its notice then.
        onboarding = AS_OF - dt.timedelta(days=40)
        missing = rows(
            s,
            "SELECT a.id FROM accounts a JOIN account_state st ON st.account_id = a.id "
            "WHERE a.status IN ('active', 'promise', 'plan', 'disputed', 'legal') "
            "AND st.balance_cents > 0 AND st.first_effective_on <= ? AND NOT EXISTS ("
            "SELECT 1 FROM letters l WHERE l.account_id = a.id "
            "AND l.template = 'validation_notice')",
            onboarding,
        )
        suppressed = rows(
            s, "SELECT suppressed FROM campaigns WHERE id = ?", f"onboarding-{onboarding}"
        )[0]["suppressed"]
        assert len(missing) == suppressed


def test_reminders_wait_for_the_validation_period(
    demo_dir: tuple[Path, dict[str, Any]],
) -> None:
    base, _ = demo_dir
    with Store(base / "arrears.db") as s:
        early = rows(
            s,
            "SELECT r.account_id FROM letters r WHERE r.campaign_id = 'reminder-2026-11-23' "
            "AND NOT EXISTS (SELECT 1 FROM letters v WHERE v.account_id = r.account_id "
            "AND v.template = 'validation_notice' AND v.sent_on <= ?)",
            AS_OF - dt.timedelta(days=35),
        )
        assert early == []


def test_broken_promise_letters_follow_recent_broken_promises(
    demo_dir: tuple[Path, dict[str, Any]],
) -> None:
    base, r = demo_dir
    with Store(base / "arrears.db") as s:
        sent = {
            x["account_id"]
            for x in rows(
                s,
                "SELECT account_id FROM letters WHERE campaign_id = 'promise-broken-2026-11-23'",
            )
        }
        expected = {
            x["account_id"]
            for x in rows(
                s,
                "SELECT pa.account_id FROM plan_events e JOIN plans p ON p.id = e.plan_id "
                "JOIN plan_accounts pa ON pa.plan_id = p.id WHERE p.kind = 'promise' "
                "AND e.type = 'broken' AND e.event_date > ? AND e.event_date <= ?",
                AS_OF - dt.timedelta(days=7),
                AS_OF,
            )
        }
    c = r["letters"]["promise-broken-2026-11-23"]
    assert sent <= expected
    assert len(expected) == c.get("selected", 0)
    assert r["plans"]["plans_by_status"].get("broken", 0) > 0


def test_paid_accounts_close_and_get_their_letter(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    base, r = demo_dir
    with Store(base / "arrears.db") as s:
        open_cleared = rows(
            s,
            "SELECT a.id FROM accounts a JOIN account_state st ON st.account_id = a.id "
            "WHERE st.balance_cents <= 0 AND a.status = 'active'",
        )
        assert open_cleared == []
        recent = {
            x["id"]
            for x in rows(
                s,
                "SELECT id FROM accounts WHERE status IN ('paid', 'settled') AND "
                "json_extract(data, '$.status_history[#-1].effective') > ?",
                AS_OF - dt.timedelta(days=7),
            )
        }
        sent = {
            x["account_id"]
            for x in rows(
                s, "SELECT account_id FROM letters WHERE campaign_id = 'paid-in-full-2026-11-23'"
            )
        }
    c = r["letters"]["paid-in-full-2026-11-23"]
    assert c["selected"] == len(recent) > 0
    assert sent <= recent and len(sent) == c["sent"]


def test_metro2_file_on_the_reporting_day(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    _, r = demo_dir
    m = r["metro2"]
    text = Path(m["file"]).read_text()
    parsed = metro2.parse(text)
    assert parsed.ok, parsed.problems
    assert len(parsed.records) == m["reported"]
    assert m["reported"] + m["excluded"] <= N
    assert sum(m["excluded_by_reason"].values()) == m["excluded"]


def test_the_next_night_sends_nothing_twice(copy: Path) -> None:
    cfg = demo.demo_config(str(copy / "out"), AS_OF)  # Metro 2 on the 23rd only
    nxt = AS_OF + dt.timedelta(days=1)
    with Store(copy / "arrears.db") as s:
        summary = nightly(s, nxt, cfg, progress=False)
        assert summary.step("metro2").detail["note"].startswith("not a reporting day")
        repeated = rows(
            s,
            "SELECT a.account_id FROM letters a JOIN letters b ON a.account_id = b.account_id "
            "AND a.template = b.template AND a.campaign_id < b.campaign_id "
            "WHERE a.template IN ('reminder', 'validation_notice')",
        )
        assert repeated == []
        again = nightly(s, nxt, cfg, progress=False)
        assert {st.status for st in again.steps} == {"skipped"}


def test_an_interrupted_run_does_not_resend(copy: Path) -> None:
    cfg = demo.demo_config(str(copy / "out"), AS_OF)
    # The run died after the campaigns were logged, before the letters step was marked done.
    with sqlite3.connect(copy / "arrears.db") as db:
        db.execute("DELETE FROM runs WHERE step = 'letters'")
    with Store(copy / "arrears.db") as s:
        before = rows(s, "SELECT count(*) AS n FROM letters")[0]["n"]
        summary = nightly(s, AS_OF, cfg, progress=False)
        letters = summary.step("letters")
        assert letters.status == "ran"
        statuses = {c["status"] for c in letters.detail["campaigns"].values()}
        assert "already sent" in statuses and statuses <= {"already sent", "nothing selected"}
        assert rows(s, "SELECT count(*) AS n FROM letters")[0]["n"] == before
        assert summary.step("metro2").status == "skipped"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[campaigns]]\nname = "a"\nletter = "reminder"\ncolour = 1\n', "unknown key 'colour'"),
        ('[[campaigns]]\nname = "a"\nletter = "remindr"\n', "'remindr' is not a built-in"),
        ('[[campaigns]]\nname = "a"\nletter = "reminder"\nselect = "all"\n', "select 'all'"),
        (
            '[[campaigns]]\nname = "a"\nletter = "promise_broken"\nselect = "plan_event"\n',
            "needs event",
        ),
        (
            '[[campaigns]]\nname = "a"\nletter = "reminder"\nevery_days = -1\n',
            "every_days -1",
        ),
        (
            '[[campaigns]]\nname = "a"\nletter = "reminder"\n'
            '[[campaigns]]\nname = "a"\nletter = "reminder"\n',
            "'a' is used twice",
        ),
        ('[[campaigns]]\nletter = "reminder"\n', "name is required"),
        ('[collector]\nname = "X"\nfax = "1"\n', "fax"),
        # Wrong types are named too (they used to raise TypeError or AttributeError).
        ("[nightly]\nthreads = [1]\n", r"nightly\.threads: \[1\] must be a whole number"),
        ("[nightly]\nout_dir = [1]\n", r"nightly\.out_dir: \[1\] must be text"),
        ('[nightly]\nbuckets = ["a"]\n', "'a' is not a whole number of days"),
        ("[worklist]\ntop_percent = true\n", "top_percent: True must be a number"),
        ("[compliance]\npolicy = 3\n", r"compliance\.policy: 3 must be text"),
        ("campaigns = [1]\n", "campaigns must be an array of tables"),
        ("metro2 = 1\n", r"\[metro2\] must be a table"),
        ('[collector]\nname = "X"\n', "missing field 'address'"),
        ('[collector]\nname = "X"\nphone = "1"\naddress = "here"\n', "expected an address"),
        ('[collector]\nname = "X"\nphone = "1"\naddress = { city = "Y" }\n', "'line1'"),
    ],
)
def test_config_errors_name_the_key(tmp_path: Path, body: str, message: str) -> None:
    p = tmp_path / "arrears.toml"
    p.write_text(body)
    with pytest.raises(ValidationError, match=message):
        load_config(p)


def test_a_config_file_that_is_not_utf8_is_a_validation_error(tmp_path: Path) -> None:
    p = tmp_path / "arrears.toml"
    p.write_bytes(b'[store]\nactor = "caf\xe9"\n')  # Latin-1
    with pytest.raises(ValidationError, match="byte 21 is not UTF-8"):
        load_config(p)


def test_campaigns_without_a_collector_fail_before_sending(copy: Path) -> None:
    cfg = demo.demo_config(str(copy / "out"), AS_OF)
    cfg.collector = {}
    nxt = AS_OF + dt.timedelta(days=2)
    with Store(copy / "arrears.db") as s:
        before = rows(s, "SELECT count(*) AS n FROM letters")[0]["n"]
        with pytest.raises(ValidationError, match="no \\[collector\\]"):
            nightly(s, nxt, cfg, progress=False)
        assert rows(s, "SELECT count(*) AS n FROM letters")[0]["n"] == before
        assert (
            rows(s, "SELECT count(*) AS n FROM runs WHERE step = 'letters' AND as_of = ?", nxt)[0][
                "n"
            ]
            == 0
        )


def test_metro2_day_setting(copy: Path) -> None:
    cfg = demo.demo_config(str(copy / "out"), AS_OF)
    cfg.metro2["day"] = "month_end"
    cfg.campaigns = []
    with Store(copy / "arrears.db") as s:
        for step in ("interest", "plans", "aging", "strategy", "letters", "reports"):
            s.handle.mark_run_step("nightly", dt.date(2026, 11, 30), step, "{}")
        m = nightly(s, dt.date(2026, 11, 30), cfg, progress=False).step("metro2").detail
        assert m["reported"] > 0 and Path(m["file"]).exists()
    cfg.metro2["day"] = 0
    with (
        Store(copy / "arrears.db") as s,
        pytest.raises(ValidationError, match=r"metro2\.day 0"),
    ):
        nightly(s, dt.date(2026, 11, 29), cfg, progress=False)


@pytest.mark.parametrize(
    ("day", "as_of", "due"),
    [
        ("month_end", dt.date(2028, 2, 29), True),  # leap year
        ("month_end", dt.date(2028, 2, 28), False),
        ("month_end", dt.date(2027, 2, 28), True),
        ("month_end", dt.date(2026, 12, 31), True),
        (31, dt.date(2026, 11, 30), True),  # past the month's end: its last day
        (31, dt.date(2026, 12, 30), False),
        (15, dt.date(2026, 11, 15), True),
        (15, dt.date(2026, 11, 16), False),
    ],
)
def test_metro2_reporting_day(day: Any, as_of: dt.date, due: bool) -> None:
    from arrears.workflows import _metro2_day

    assert _metro2_day(day, as_of) is due


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"identification_number": ""}, "metro2.identification_number"),
        ({"reporter_nam": "X"}, "metro2.reporter_nam"),
        ({"day": "monthly"}, "metro2.day 'monthly'"),
    ],
)
def test_bad_metro2_settings_stop_the_run_before_it_starts(
    copy: Path, change: dict[str, Any], message: str
) -> None:
    cfg = demo.demo_config(str(copy / "out"), AS_OF)
    cfg.metro2.update(change)
    nxt = AS_OF + dt.timedelta(days=3)
    with Store(copy / "arrears.db") as s:
        with pytest.raises(ValidationError, match=re.escape(message)):
            nightly(s, nxt, cfg, progress=False)
        assert rows(s, "SELECT count(*) AS n FROM runs WHERE as_of = ?", nxt)[0]["n"] == 0


# -- the campaign commands ---------------------------------------------------------------------

CONFIG = """
[store]
path = "arrears.db"

[nightly]
out_dir = "out"

[collector]
name = "Northwind Recovery Services LLC"
phone = "(800) 555-0100"
address = { line1 = "PO Box 1000", city = "Chicago", state = "IL", postal_code = "60602" }

[[campaigns]]
name = "validation"
letter = "validation_notice"
select = "new"

[[campaigns]]
name = "custom"
template = "nudge.mustache"
letter = "reminder"
select = "treatment"
"""


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "arrears", "--no-progress", "--as-of", "2026-11-25", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_campaign_commands(copy: Path) -> None:
    (copy / "arrears.toml").write_text(CONFIG)
    (copy / "nudge.mustache").write_text(
        "{{> letterhead}}<p>Dear {{recipient.name}}, please call us about your {{account.creditor}} account, balance {{balance}}."
        "</p>{{> disclosure}}"
    )
    listed = cli("--json", "campaign", "list", cwd=copy)
    assert listed.returncode == 0, listed.stderr
    by_name = {c["name"]: c for c in map(json.loads, listed.stdout.splitlines())}
    assert set(by_name) == {"validation", "custom"}
    preview = cli("campaign", "preview", "custom", cwd=copy)
    assert preview.returncode == 0, preview.stderr
    if by_name["custom"]["selected"]:
        assert "please call us about" in preview.stdout
    sent = cli("--json", "campaign", "run", "custom", cwd=copy)
    assert sent.returncode == 0, sent.stderr
    result = json.loads(sent.stdout)
    assert result["campaign"] == "custom-2026-11-25"
    again = json.loads(cli("--json", "campaign", "run", "custom", cwd=copy).stdout)
    assert again["status"] in ("already sent", "nothing selected")
    history = [
        json.loads(line)
        for line in cli(
            "--json", "campaign", "history", "--since", "2026-11-25", cwd=copy
        ).stdout.splitlines()
    ]
    if result["status"] == "sent":
        assert [h["campaign"] for h in history] == ["custom-2026-11-25"]
        assert history[0]["letters"] == result["sent"]
    unknown = cli("campaign", "run", "nope", cwd=copy)
    assert unknown.returncode == 2 and "no campaign named 'nope'" in unknown.stderr


def test_demo_events_follow_placement(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    base, _ = demo_dir
    with Store(base / "arrears.db") as s:
        early = rows(
            s,
            "SELECT d.account_id FROM disputes d JOIN account_state st ON st.account_id = d.account_id "
            "WHERE d.received_on < st.first_effective_on",
        )
        assert early == []
        plans = rows(
            s,
            "SELECT p.id FROM plans p JOIN plan_accounts pa ON pa.plan_id = p.id "
            "JOIN account_state st ON st.account_id = pa.account_id "
            "WHERE p.plan_date < st.first_effective_on",
        )
        assert plans == []


# -- progress ----------------------------------------------------------------------------------


def test_the_nightly_shows_a_bar_for_each_long_step(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = demo.demo_config(str(copy / "out"), AS_OF)
    month_later = dt.date(2026, 12, 23)  # a Metro 2 day; the reminders are due again
    with Store(copy / "arrears.db") as s:
        summary = nightly(s, month_later, cfg, progress=True)
    assert summary.step("letters").detail["campaigns"]["reminder-2026-12-23"]["sent"] > 0
    err = capsys.readouterr().err
    for bar in (
        "nightly (interest)",  # the steps without a bar of their own name themselves
        "nightly (close)",
        "plans",
        "aging",
        "strategy default",
        "worklist default",
        "letters reminder",
        "metro2",
        "reports",
    ):
        assert f"{bar}:" in err, bar


def test_a_bar_takes_the_total_its_call_reports(capsys: pytest.CaptureFixture[str]) -> None:
    from arrears._progress import progress_bar

    with progress_bar("letters x", 10, True, "letters") as bar:
        assert bar is not None
        bar(4, 8)  # the campaign suppressed two of the ten it selected
        bar(8, 8)
    assert "/8.00 [" in capsys.readouterr().err  # the bar's total is now 8
    with progress_bar("quiet", 10, False) as none:
        assert none is None
    assert capsys.readouterr().err == ""


def test_slices_only_with_a_bar(capsys: pytest.CaptureFixture[str]) -> None:
    from arrears._progress import chunks

    assert list(chunks(10, "rows", False, "rows", 4)) == [(0, 10)]  # one call, all or nothing
    assert list(chunks(10, "rows", True, "rows", 4)) == [(0, 4), (4, 8), (8, 10)]
    assert list(chunks(0, "rows", True, "rows", 4)) == []
    assert "rows:" in capsys.readouterr().err


def test_jupyter_without_ipywidgets_gets_a_text_bar_and_a_hint(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from tqdm.std import tqdm

    from arrears import _progress

    monkeypatch.setattr(_progress, "_in_kernel", lambda: True)
    monkeypatch.setattr(_progress, "_hinted", False)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # not installed
    with caplog.at_level(logging.INFO, logger="arrears"):
        assert _progress._tqdm() is tqdm
        assert _progress._tqdm() is tqdm
    hints = [r.message for r in caplog.records if "arrears[notebook]" in r.message]
    assert len(hints) == 1  # once, in the log; no warning from tqdm
