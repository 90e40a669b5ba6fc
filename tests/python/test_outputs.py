"""The output protocol (arrears.outputs): a crash injected at every point of it, in every step of
the nightly run and in the commands that write files, leaves a store and an output folder from
which the next run completes with the same files and records as a run that was never
interrupted; one nightly run per store at a time; every file and folder private to its owner."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from arrears import demo
from arrears.config import Config
from arrears.outputs import CRASH_ENV, CRASH_EXIT, STAGING, Output, reconcile
from arrears.store import Store
from arrears.workflows import NightlyRunning, nightly

# After today, so the Metro 2 header's creation date (today, or the activity date when later)
# is the same in every run being compared.
AS_OF = dt.date(2030, 6, 14)
DAY = AS_OF.isoformat()
PAST = dt.date(2026, 11, 23)
N = 120
STEPS = ["interest", "plans", "close", "aging", "strategy", "letters", "metro2", "reports"]
BEFORE_COMMIT = ("rendered", "staged", "recorded")


def config(out: Path) -> Config:
    cfg = demo.demo_config(str(out), AS_OF)
    for c in cfg.campaigns:
        c["pdf"] = False
    return cfg


def run(d: Path) -> Any:
    with Store(d / "arrears.db") as s:
        return nightly(s, AS_OF, config(d / "out"), progress=False)


def _crashing_run(d: str, pattern: str) -> None:
    """A nightly run in a child process that ends at the crash point ``pattern``."""
    os.environ[CRASH_ENV] = pattern
    run(Path(d))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("outputs-base")
    store, _, _ = demo.prepare(d, N, 2026, AS_OF)
    store.close()
    return d


@pytest.fixture(scope="module")
def past(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store as of a past date: `arrears metro2 export` dates its file today, not before."""
    d = tmp_path_factory.mktemp("outputs-past")
    store, _, _ = demo.prepare(d, 60, 2026, PAST)
    store.close()
    return d


def fresh(base: Path, where: Path) -> Path:
    shutil.copytree(base, where)
    return where


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def snapshot(d: Path) -> dict[str, Any]:
    """What a run leaves, without what differs between copies and runs (the folder, times)."""
    prefix = str(d)
    out = d / "out" / DAY

    def plain(text: str) -> Any:
        return json.loads(text.replace(prefix, "<base>"))

    files: dict[str, Any] = {}
    for p in sorted(out.rglob("*")):
        assert STAGING not in p.parts and ".partial-" not in p.name, p
        if p.is_file():
            rel = p.relative_to(out).as_posix()
            if rel == "summary.json":
                data = plain(p.read_text())
                files[rel] = [(s["name"], s["detail"]) for s in data["steps"]]
            else:
                files[rel] = _sha(p)
    assert not list((d / "out").rglob(STAGING))
    db = sqlite3.connect(f"file:{d / 'arrears.db'}?mode=ro", uri=True)
    try:
        q = lambda sql: db.execute(sql).fetchall()  # noqa: E731
        facts = {
            "runs": {
                s: plain(x) for s, x in q(f"SELECT step, detail FROM runs WHERE as_of = '{DAY}'")
            },
            "letters": q("SELECT id, account_id, campaign_id FROM letters ORDER BY id"),
            "campaigns": q("SELECT id, letters, suppressed FROM campaigns ORDER BY id"),
            "metro2": q(
                "SELECT activity_on, file_name, sha256, base_records, excluded FROM metro2_submissions"
            ),
            "plan_events": q("SELECT plan_id, type, event_date FROM plan_events ORDER BY 1, 2, 3"),
            "bucket_history": q("SELECT count(*) FROM bucket_history"),
            "transactions": q("SELECT count(*), sum(amount_cents) FROM transactions"),
            "contact_events": q("SELECT count(*) FROM contact_events"),
            "outputs": {
                k: (state, _timeless(k, plain(entries)))
                for k, state, entries in q("SELECT key, state, entries FROM outputs")
            },
        }
    finally:
        db.close()
    return {"files": files, "store": facts}


def _timeless(key: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The summary holds each step's seconds: its size and hash differ from run to run."""
    if key.endswith("/summary"):
        return [{k: v for k, v in e.items() if k not in ("bytes", "sha256")} for e in entries]
    return entries


@pytest.fixture(scope="module")
def reference(base: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    d = fresh(base, tmp_path_factory.mktemp("reference") / "w")
    summary = run(d)
    assert {s.status for s in summary.steps} == {"ran"}
    snap = snapshot(d)
    assert all(state == "published" for state, _ in snap["store"]["outputs"].values())
    return snap


@pytest.fixture(scope="module")
def processes() -> Any:
    """Children forked from a server that imported arrears once: a crashing run costs its own
    work, not an interpreter start."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(
        ["arrears.workflows", "arrears.demo", "pyarrow.parquet", "test_outputs"]
    )
    return ctx


def crash(processes: Any, d: Path, key: str, point: str) -> None:
    p = processes.Process(target=_crashing_run, args=(str(d), f"{key}:{point}"))
    p.start()
    p.join(300)
    assert p.exitcode == CRASH_EXIT, f"{key}:{point} was not reached (exit {p.exitcode})"


def steps(reference: dict[str, Any]) -> list[str]:
    """The nightly's steps in their order, as the uninterrupted run reported them."""
    names = [name for name, _ in reference["files"]["summary.json"]]
    assert set(STEPS) <= set(names), names
    return names


def execution_order(reference: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Per step, the outputs it writes (its own last) in the order the run makes them."""
    keys = reference["store"]["outputs"]
    campaigns = [f"campaign/{c['name']}-{DAY}" for c in config(Path("x")).campaigns]
    groups: list[tuple[str, list[str]]] = []
    for step in steps(reference):
        nested: list[str] = []
        if step == "letters":
            nested = [k for k in campaigns if k in keys]
            assert len(nested) >= 2, keys  # two campaigns send letters: a crash between them
        if step == "metro2":
            nested = [k for k in keys if k.startswith("metro2/")]
            assert nested, keys
        groups.append((step, [*nested, f"nightly/{DAY}/{step}"]))
    groups.append(("summary", [f"nightly/{DAY}/summary"]))
    return groups


def _entries(reference: dict[str, Any], key: str, d: Path) -> list[Path]:
    row = reference["store"]["outputs"].get(key)
    if row is None:
        return []
    folder = d / "out" / DAY
    if key.startswith("campaign/"):
        folder = folder / "letters"
    elif key.startswith("metro2/"):
        folder = folder / "metro2"
    return [folder / e["path"] for e in row[1]]


def _check_nothing_published(reference: dict[str, Any], d: Path, keys: list[str]) -> None:
    """No output of a step whose transaction did not commit is published, recorded or (for a
    campaign) logged."""
    db = sqlite3.connect(d / "arrears.db")
    try:
        for key in keys:
            for target in _entries(reference, key, d):
                assert not target.exists(), f"{target} published before its records committed"
            n = db.execute("SELECT count(*) FROM outputs WHERE key = ?", [key]).fetchone()[0]
            assert n == 0, key
            if key.startswith("campaign/"):
                name = key.split("/", 1)[1]
                logged = db.execute("SELECT count(*) FROM letters WHERE campaign_id = ?", [name])
                assert logged.fetchone()[0] == 0, key
    finally:
        db.close()


@pytest.mark.slow
def test_a_crash_before_any_commit_is_undone_and_redone(
    base: Path, reference: dict[str, Any], processes: Any, tmp_path: Path
) -> None:
    """Every point before a commit, in execution order: each run crashes at the next one (its
    own staged files and records rolled back, nothing published), the last run completes."""
    d = fresh(base, tmp_path / "w")
    for _, keys in execution_order(reference):
        for k, key in enumerate(keys):
            points = BEFORE_COMMIT if key.startswith("campaign/") else BEFORE_COMMIT[1:]
            for point in points:
                crash(processes, d, key, point)
                _check_nothing_published(reference, d, keys)
                if any(_entries(reference, x, d) for x in keys[: k + 1]):
                    assert list((d / "out").rglob(STAGING)), "the crash left its staged files"
    summary = run(d)
    assert [s.name for s in summary.steps] == steps(reference)
    assert snapshot(d) == reference


def after_commit_chains(reference: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """The points after a commit: every output right after its commit (nothing renamed yet),
    and for outputs of several kinds (a step with several files, a campaign folder, the Metro 2
    file, the summary) also after its first rename and after its last. A run that crashed
    after a step's commit resumes at the next step, so each chain takes one point per step."""
    groups = []
    multi = {f"nightly/{DAY}/strategy", f"nightly/{DAY}/reports", f"nightly/{DAY}/summary"}
    for _, keys in execution_order(reference):
        points: list[tuple[str, str]] = []
        first_campaign = next((k for k in keys if k.startswith("campaign/")), None)
        for key in keys:
            points.append((key, "committed"))
            if key in multi or key == first_campaign or key.startswith("metro2/"):
                points += [(key, "publishing"), (key, "published")]
        groups.append(points)
    width = max(len(g) for g in groups)
    return [[g[i] for g in groups if i < len(g)] for i in range(width)]


@pytest.mark.slow
def test_a_crash_after_a_commit_is_published_by_the_next_run(
    base: Path, reference: dict[str, Any], processes: Any, tmp_path: Path
) -> None:
    chains = after_commit_chains(reference)
    assert sum(len(c) for c in chains) >= 20
    for n, chain in enumerate(chains):
        d = fresh(base, tmp_path / f"chain{n}")
        for key, point in chain:
            crash(processes, d, key, point)
            if _entries(reference, key, d):
                db = sqlite3.connect(d / "arrears.db")
                state = db.execute("SELECT state FROM outputs WHERE key = ?", [key]).fetchone()
                db.close()
                assert state == ("committed",), f"{key}:{point}: intent {state}"
        summary = run(d)
        assert [s.name for s in summary.steps] == steps(reference)
        assert snapshot(d) == reference, f"chain {chain}"


def test_an_unrecorded_staging_folder_and_old_partial_files_are_removed(
    base: Path, reference: dict[str, Any], tmp_path: Path
) -> None:
    """Left by processes that are gone: a campaign folder written without a store (no intent
    anywhere), and the ``.partial-<pid>`` files and unmarked steps' files of arrears before the
    protocol."""
    d = fresh(base, tmp_path / "w")
    letters = d / "out" / DAY / "letters"
    letters.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)
    (letters / f".validation-{DAY}.partial-{pid}").mkdir()
    (letters / f".validation-{DAY}.partial-{pid}" / "index.csv").write_text("pii")
    metro = d / "out" / DAY / "metro2"
    metro.mkdir()
    (metro / f".metro2-NWRS0001-{DAY}.txt.partial-{pid}").write_text("pii")
    # A step's file left by an unfinished run of an older arrears (the step is not done).
    (d / "out" / DAY / "plans").mkdir()
    (d / "out" / DAY / "plans" / "events.csv").write_text("plan_id\n")
    orphan = letters / STAGING / f"{pid}-1-00000000" / "x"
    orphan.mkdir(parents=True)
    (orphan / "letters-0001.html").write_text("pii")
    summary = run(d)
    assert {s.status for s in summary.steps} == {"ran"}
    assert snapshot(d) == reference


def test_a_campaign_command_that_crashed_after_logging_is_finished_by_the_next(
    base: Path, tmp_path: Path
) -> None:
    """`arrears campaign run` killed after the letters were logged: the next command publishes
    the folder and sends nothing again (before: the folder was renamed before the letters were
    logged, and every re-run failed on it)."""
    d = fresh(base, tmp_path / "w")
    (d / "arrears.toml").write_text(TOML)
    env = {**os.environ, CRASH_ENV: f"campaign/validation-{DAY}:committed"}
    crashed = cli(d, "campaign", "run", "validation", env=env)
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    folder = d / "out" / DAY / "letters" / f"validation-{DAY}"
    assert not folder.exists()
    with Store(d / "arrears.db") as s:
        sent = s.query("SELECT letters FROM campaigns WHERE id = ?", [f"validation-{DAY}"])
        assert sent.to_pylist()[0]["letters"] > 0
    again = cli(d, "--json", "campaign", "run", "validation")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["status"] == "already sent"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["counts"]["letters"] == sent.to_pylist()[0]["letters"]
    assert not list((d / "out").rglob(STAGING))


def test_a_metro2_export_that_crashed_is_redone_or_finished(past: Path, tmp_path: Path) -> None:
    key = f"metro2/NWRS0001/{PAST}"
    d = fresh(past, tmp_path / "w")
    (d / "arrears.toml").write_text(TOML)
    target = d / "m2.txt"
    env = {**os.environ, CRASH_ENV: f"{key}:recorded"}
    crashed = cli(d, "metro2", "export", "--out", str(target), env=env, as_of=PAST)
    assert crashed.returncode == CRASH_EXIT
    assert not target.exists()
    assert list(d.glob(f"{STAGING}/*"))
    # Before the commit: nothing was recorded, so the next export writes it.
    done = cli(d, "--json", "metro2", "export", "--out", str(target), as_of=PAST)
    assert done.returncode == 0, done.stderr
    sha = json.loads(done.stdout)["sha256"]
    assert _sha(target) == sha
    assert not list(d.glob(f"{STAGING}*"))
    # After the commit: the next command publishes the file, then says it was written before.
    d2 = fresh(past, tmp_path / "w2")
    (d2 / "arrears.toml").write_text(TOML)
    target2 = d2 / "m2.txt"
    env = {**os.environ, CRASH_ENV: f"{key}:committed"}
    assert (
        cli(d2, "metro2", "export", "--out", str(target2), env=env, as_of=PAST).returncode
        == CRASH_EXIT
    )
    assert not target2.exists()
    again = cli(d2, "metro2", "export", "--out", str(target2), as_of=PAST)
    assert again.returncode == 1 and "exists; a Metro 2 file is written once" in again.stderr
    assert _sha(target2) == sha
    assert not list(d2.glob(f"{STAGING}*"))


def test_an_output_recorded_in_a_transaction_that_rolls_back_leaves_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as s:
        out = Output(tmp_path / "out", "test/rollback", store=s)
        with pytest.raises(RuntimeError), s.transaction():
            out.write_text("a.txt", "secret")
            out.commit()
            raise RuntimeError("the step failed")
        assert not (tmp_path / "out" / "a.txt").exists()
        assert not list((tmp_path / "out").rglob(STAGING))
        assert s.query("SELECT count(*) AS n FROM outputs").to_pylist()[0]["n"] == 0
        done = Output(tmp_path / "out", "test/rollback", store=s)
        done.write_text("a.txt", "secret")
        done.commit()
        assert (tmp_path / "out" / "a.txt").read_text() == "secret"
        again = Output(tmp_path / "out", "test/again", store=s)
        with pytest.raises(Exception, match="exists; output 'test/again' writes a new file"):
            again.write_text("a.txt", "other")
        assert reconcile(s, [tmp_path / "out"]) == {"published": 0, "removed": 0}


# -- one nightly run at a time ---------------------------------------------------------------------

HOLD = """
import datetime as dt, sys
from pathlib import Path
import arrears.outputs
import test_outputs

def hold(key, point):
    if key.endswith("/plans") and point == "recorded":
        print("holding", flush=True)
        sys.stdin.readline()

arrears.outputs.crash_point = hold
test_outputs.run(Path(sys.argv[1]))
print("done", flush=True)
"""


def test_a_second_nightly_run_exits_2_while_one_runs(base: Path, tmp_path: Path) -> None:
    """Process A stops inside its plans step (its transaction open, the lock held); process B,
    the CLI, is refused at once with exit 2 and changes nothing; A then finishes; B again finds
    every step done and leaves plans/events.csv as A wrote it."""
    d = fresh(base, tmp_path / "w")
    (d / "arrears.toml").write_text(TOML)
    here = Path(__file__).parent
    a = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(d)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(here), os.environ.get("PYTHONPATH", "")]),
        },
    )
    try:
        assert a.stdout is not None and a.stdin is not None
        assert a.stdout.readline().strip() == "holding"
        b = cli(d, "nightly")
        assert b.returncode == 2, b.stderr
        assert "another nightly run holds the store" in b.stderr
        assert f"pid {a.pid}, as of {DAY}" in b.stderr
        a.stdin.write("\n")
        a.stdin.flush()
        assert a.stdout.readline().strip() == "done"
    finally:
        a.communicate(timeout=300)
    assert a.returncode == 0
    events = d / "out" / DAY / "plans" / "events.csv"
    written = events.read_bytes()
    assert written.count(b"\n") > 1
    again = cli(d, "--json", "nightly")
    assert again.returncode == 0, again.stderr
    assert {s["status"] for s in json.loads(again.stdout)["steps"]} == {"skipped"}
    assert events.read_bytes() == written


def test_the_lock_of_a_killed_run_does_not_block_the_next(base: Path, tmp_path: Path) -> None:
    d = fresh(base, tmp_path / "w")
    (d / "arrears.toml").write_text(TOML)
    env = {**os.environ, CRASH_ENV: f"nightly/{DAY}/aging:recorded"}
    assert cli(d, "nightly", env=env).returncode == CRASH_EXIT
    assert (d / "arrears.db.nightly-lock").exists()
    again = cli(d, "nightly")
    assert again.returncode == 0, again.stderr


def test_the_lock_is_per_store_in_one_process_too(base: Path, tmp_path: Path) -> None:
    from arrears.workflows import _nightly_lock

    d = fresh(base, tmp_path / "w")
    with Store(d / "arrears.db") as s, _nightly_lock(s, AS_OF):
        with pytest.raises(NightlyRunning, match="nothing was done for 2030-06-14"):
            run(d)
        assert (
            s.query("SELECT count(*) AS n FROM runs WHERE as_of = ?", [AS_OF]).to_pylist()[0]["n"]
            == 0
        )


# -- private files -----------------------------------------------------------------------------------


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _modes(root: Path) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {"files": set(), "folders": set()}
    for p in [root, *root.rglob("*")]:
        kind = "folders" if p.is_dir() else "files"
        seen[kind].add(oct(stat.S_IMODE(p.stat().st_mode)))
    return seen


@pytest.mark.parametrize("umask", [0o000, 0o022], indirect=True)
def test_every_file_the_nightly_writes_is_private(base: Path, tmp_path: Path, umask: int) -> None:
    d = fresh(base, tmp_path / "w")
    shutil.rmtree(d / "out")
    (d / "arrears.db").unlink()
    store, _, _ = demo.prepare(d, 40, 2026, AS_OF)  # a store created under this umask
    with store:
        for suffix in ("", "-wal", "-shm"):
            assert oct(stat.S_IMODE(os.stat(f"{store.path}{suffix}").st_mode)) == "0o600", suffix
        nightly(store, AS_OF, config(d / "out"), progress=False)
    assert _modes(d / "out") == {"files": {"0o600"}, "folders": {"0o700"}}
    assert oct(stat.S_IMODE((d / "arrears.db.nightly-lock").stat().st_mode)) == "0o600"


@pytest.mark.parametrize("umask", [0o022], indirect=True)
def test_the_commands_that_write_files_write_them_private(
    past: Path, tmp_path: Path, umask: int
) -> None:
    d = fresh(past, tmp_path / "w")
    (d / "arrears.toml").write_text(TOML)
    for args in (
        ("metro2", "export", "--out", "m2.txt"),
        ("metro2", "export", "--no-record", "--out", "dry.txt"),
        ("report", "aging", "--png", "aging.png"),
        ("campaign", "run", "validation", "--out", "sent"),
    ):
        done = cli(d, *args, as_of=PAST)
        assert done.returncode == 0, done.stderr
    for name in ("m2.txt", "dry.txt", "aging.png"):
        assert oct(stat.S_IMODE((d / name).stat().st_mode)) == "0o600", name
    assert _modes(d / "sent") == {"files": {"0o600"}, "folders": {"0o700"}}
    with Store(d / "arrears.db") as s:
        s.export("letters", d / "letters.csv")
        s.export("letters", d / "letters.parquet")
    for name in ("letters.csv", "letters.parquet"):
        assert oct(stat.S_IMODE((d / name).stat().st_mode)) == "0o600", name
    assert not list(d.rglob(STAGING)) and not list(d.rglob("*.partial-*"))


# -- helpers -------------------------------------------------------------------------------------------

TOML = textwrap.dedent(
    f"""
    [nightly]
    out_dir = "out"

    [collector]
    name = "Northwind Recovery Services LLC"
    phone = "(800) 555-0100"
    hours = "Monday to Friday, 8 a.m. to 8 p.m. Central"
    website = "www.example.com/pay"
    address = {{ line1 = "PO Box 1000", city = "Chicago", state = "IL", postal_code = "60602" }}

    [[campaigns]]
    name = "validation"
    letter = "validation_notice"
    select = "new"
    placed_within_days = 30

    [metro2]
    identification_number = "NWRS0001"
    reporter_name = "NORTHWIND RECOVERY SERVICES LLC"
    reporter_address = "PO BOX 1000 CHICAGO IL 60602"
    reporter_telephone_number = "8005550100"
    equifax_program_identifier = "EQ00001"
    day = {AS_OF.day}
    """
)


def cli(
    d: Path, *args: str, env: dict[str, str] | None = None, as_of: dt.date = AS_OF
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "arrears", "--no-progress", "--as-of", as_of.isoformat(), *args],
        cwd=d,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
