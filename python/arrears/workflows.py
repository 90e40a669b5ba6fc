"""The nightly batch: the whole job of a collections floor, run for one date.

``nightly(store, as_of, config)`` runs, in order, each step in its own transaction:

1. ``interest`` — post the interest accrued through ``as_of`` on interest-bearing accounts;
2. ``plans`` — evaluate every open payment plan, settlement and promise against the payments
   in the ledgers (kept, missed, broken, completed; ``plans/events.csv``);
   ``close`` — open accounts whose balance the payments cleared move to status paid;
3. ``aging`` — load the portfolio as of the date, age it, record the bucket moves since the
   previous run in the bucket history;
4. ``strategy`` — score and segment every account (champion/challenger; ``segments.parquet``),
   build the call worklists (``worklists/<queue>.csv``), each call cleared (or not) by the
   compliance engine at tomorrow's call time;
5. ``letters`` — the configured letter campaigns (``[[campaigns]]``: validation notices for new
   placements, the strategy's letter treatments, letters on plan events such as a broken
   promise), each written to ``letters/<campaign>-<date>/`` and logged in the store;
6. ``metro2`` — on the reporting day (``[metro2] day``), the Metro 2 file of every account
   (``metro2/``), recorded as a submission;
7. ``reports`` — aging, roll rates, liquidation, collectors; CSV and PNG.

Each step is one store transaction: its records, its files' output intents (arrears.outputs) and
the step's mark in ``runs`` commit together; the files are renamed into place after the commit.
A step that finished for a date is skipped when the run is repeated, so re-running a date never
does anything twice; outputs go under ``out_dir/<date>/``. A run first finishes what a crashed
run left (:func:`arrears.outputs.reconcile`), and one nightly run at a time holds a store
(:class:`NightlyRunning` for a second one).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import html
import json
import os
import pathlib
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from arrears._core.compliance import ContactPolicy
from arrears._progress import progress_bar
from arrears.aging import Buckets
from arrears.config import Config
from arrears.errors import ConflictError, ValidationError
from arrears.outputs import Output, reconcile
from arrears.portfolio import Portfolio, bucket_moves
from arrears.strategy import Strategy

if TYPE_CHECKING:
    from arrears.store import Store

__all__ = [
    "NightlyRunning",
    "NightlySummary",
    "StepResult",
    "build_campaign",
    "campaign_accounts",
    "metro2_settings",
    "nightly",
    "run_campaign",
]

RUN = "nightly"


class NightlyRunning(ConflictError):
    """Another nightly run holds the store (``arrears nightly`` exits 2); nothing was done."""


@contextlib.contextmanager
def _nightly_lock(store: Store, as_of: dt.date) -> Iterator[None]:
    """One nightly run per store at a time: an exclusive ``flock`` on ``<store>.nightly-lock``
    (released by the kernel when the process ends, however it ends). A second run does not
    wait: it raises :class:`NightlyRunning` naming the run that holds the lock."""
    path = store.path
    if not path or path == ":memory:" or path.startswith("file:"):
        yield
        return
    import fcntl

    lock = f"{path}.nightly-lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            raise NightlyRunning(
                f"nightly: another nightly run holds the store {path!r} ({holder}); nothing was "
                f"done for {as_of}: run it again when that run has finished"
            ) from None
        started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, as of {as_of}, started {started}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


@dataclasses.dataclass
class StepResult:
    name: str
    status: str  # "ran" or "skipped" (already done for this date)
    seconds: float
    detail: dict[str, Any]


@dataclasses.dataclass
class NightlySummary:
    """What a nightly run did: per step, whether it ran, how long it took, what it produced."""

    as_of: dt.date
    out_dir: str
    steps: list[StepResult] = dataclasses.field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    def step(self, name: str) -> StepResult:
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "out_dir": self.out_dir,
            "seconds": round(self.seconds, 3),
            "steps": [dataclasses.asdict(s) for s in self.steps],
        }

    def __str__(self) -> str:
        lines = [f"nightly run for {self.as_of} -> {self.out_dir}"]
        for s in self.steps:
            head = f"  {s.name:10} {s.status:8} {s.seconds:7.2f} s"
            facts = ", ".join(
                f"{k}={v}" for k, v in s.detail.items() if not isinstance(v, (dict, list))
            )
            lines.append(f"{head}  {facts}")
        lines.append(f"  {'total':10} {'':8} {self.seconds:7.2f} s")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(s.name)}</td><td>{s.status}</td><td>{s.seconds:.2f}</td>"
            f"<td><code>{html.escape(json.dumps(s.detail, default=str)[:300])}</code></td></tr>"
            for s in self.steps
        )
        return (
            f"<p><b>Nightly run</b> {self.as_of} ({self.seconds:.1f} s)</p><table><thead><tr>"
            "<th>step</th><th>status</th><th>seconds</th><th>detail</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )


def _check(cfg: Config, as_of: dt.date) -> None:
    """Configuration problems found before the first step, not after the letters went out."""
    if cfg.campaigns and not cfg.collector:
        raise ValidationError(
            f"config: {len(cfg.campaigns)} campaigns but no [collector] (who the letters are from)"
        )
    if cfg.metro2:
        metro2_settings(cfg.metro2, as_of, date_created=as_of)


def metro2_settings(
    settings: Mapping[str, Any], as_of: dt.date, date_created: dt.date | None = None
) -> tuple[Any, Any]:
    """The header and profile of the ``[metro2]`` table as the nightly run and ``arrears metro2
    export`` read it: :func:`arrears.metro2.header_and_profile` plus the run's own ``day``."""
    from arrears import metro2

    _metro2_day(settings.get("day", "month_end"), as_of)
    return metro2.header_and_profile(settings, as_of, date_created=date_created, ignore=("day",))


def _metro2_day(day: Any, as_of: dt.date) -> bool:
    """Whether ``as_of`` is the reporting day ``day`` ("month_end" or a day of the month)."""
    last = (as_of.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    if day == "month_end":
        return as_of == last
    if isinstance(day, int) and not isinstance(day, bool) and 1 <= day <= 31:
        return as_of.day == min(day, last.day)
    raise ValidationError(f"config: metro2.day {day!r} is not 'month_end' or a day 1-31")


def _previous_run(store: Store, as_of: dt.date) -> dt.date | None:
    rows = store.query(
        "SELECT max(as_of) AS d FROM runs WHERE kind = ? AND step = 'aging' AND as_of < ?",
        [RUN, as_of],
    ).to_pylist()
    d = rows[0]["d"] if rows else None
    return d if isinstance(d, dt.date) else (dt.date.fromisoformat(d) if d else None)


def nightly(
    store: Store,
    as_of: dt.date,
    config: Config | None = None,
    *,
    progress: bool | None = None,
    log: Callable[[str], None] | None = None,
) -> NightlySummary:
    """Runs the nightly batch for ``as_of``; see the module docstring for the steps.
    ``progress``: a bar over the steps and one for each long call in them (None: on a terminal
    or in Jupyter only)."""

    cfg = config or Config()
    _check(cfg, as_of)
    with _nightly_lock(store, as_of):
        return _nightly(store, as_of, cfg, progress, log)


def _nightly(
    store: Store,
    as_of: dt.date,
    cfg: Config,
    progress: bool | None,
    log: Callable[[str], None] | None,
) -> NightlySummary:
    root = pathlib.Path(cfg.out_dir)
    reconcile(store, [root])  # what a crashed run committed and did not publish, or left staged
    out = root / as_of.isoformat()
    summary = NightlySummary(as_of, str(out))
    buckets = Buckets(cfg.buckets)
    strategy = Strategy.from_dict(cfg.strategy)
    state: dict[str, Any] = {}

    def portfolio() -> Portfolio:
        if "portfolio" not in state:
            state["portfolio"] = store.load_portfolio(as_of)
        p: Portfolio = state["portfolio"]
        return p

    # Each step's long calls show their own bar under the bar of the steps. A step writes its
    # files through the Output it is given (arrears.outputs).
    steps: list[tuple[str, Callable[[Output], dict[str, Any]]]] = [
        ("interest", lambda o: _interest(store, as_of)),
        ("plans", lambda o: _plans(store, as_of, cfg, o, progress)),
        ("close", lambda o: _close(store, as_of)),
        ("aging", lambda o: _aging(store, as_of, portfolio, buckets, o, progress)),
        ("strategy", lambda o: _strategy(store, as_of, portfolio(), strategy, cfg, o, progress)),
        ("letters", lambda o: _letters(store, as_of, cfg, out, progress)),
        ("metro2", lambda o: _metro2(store, as_of, cfg, out, progress)),
        ("reports", lambda o: _reports(store, as_of, buckets, o, progress)),
    ]
    with progress_bar("nightly", len(steps), progress, unit="steps") as bar:
        for k, (name, fn) in enumerate(steps):
            if bar:  # a step without a bar of its own still says it is running
                bar.describe(f"nightly ({name})")
            t0 = time.perf_counter()
            done = store.handle.run_step(RUN, as_of, name)
            if done is not None:
                result = StepResult(name, "skipped", 0.0, json.loads(done))
            else:
                # One transaction: the step's records, its outputs' intents and its mark. Its
                # files are derived from the store, so one left by an unfinished attempt of an
                # older arrears is replaced (a committed step is skipped, never redone).
                key = f"{RUN}/{as_of.isoformat()}/{name}"
                output = Output(out, key, store=store, replace=True)
                with store.transaction():
                    detail = fn(output)
                    output.commit()
                    store.handle.mark_run_step(RUN, as_of, name, json.dumps(detail, default=str))
                result = StepResult(name, "ran", time.perf_counter() - t0, detail)
            summary.steps.append(result)
            if log:
                log(f"{name}: {result.status} in {result.seconds:.2f} s")
            if bar:
                bar(k + 1, len(steps))
    written = Output(out, f"{RUN}/{as_of.isoformat()}/summary", store=store, replace=True)
    written.write_json("summary.json", summary.to_dict())
    written.commit()
    return summary


def _interest(store: Store, as_of: dt.date) -> dict[str, Any]:
    posted_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    accounts, cents = store.handle.accrue_interest(as_of, posted_at)
    return {"accounts": accounts, "interest_cents": cents}


def _plans(
    store: Store, as_of: dt.date, cfg: Config, out: Output, progress: bool | None = False
) -> dict[str, Any]:
    events = store.evaluate_plans(as_of, threads=cfg.threads, progress=progress).to_pandas()
    out.write_csv("plans/events.csv", events)
    status = store.query("SELECT status, count(*) AS n FROM plans GROUP BY status").to_pylist()
    recorded = store.query(
        "SELECT type, count(*) AS n FROM plan_events WHERE recorded_on = ? GROUP BY type",
        [as_of],
    ).to_pylist()
    return {
        "evaluated": int(events["plan_id"].nunique()) if len(events) else 0,
        "plans_by_status": {r["status"]: r["n"] for r in status},
        "new_events": {r["type"]: r["n"] for r in recorded},
    }


def _close(store: Store, as_of: dt.date) -> dict[str, Any]:
    closed = store.close_paid_accounts(as_of)
    return {"paid_in_full": len(closed)}


def _aging(
    store: Store,
    as_of: dt.date,
    portfolio: Callable[[], Portfolio],
    buckets: Buckets,
    out: Output,
    progress: bool | None = False,
) -> dict[str, Any]:
    # Two portfolio loads (today's and the previous run's) and the moves between them: a bar
    # over those parts.
    with progress_bar("aging", 4, progress, "parts") as bar:
        tick = bar or (lambda _done, _total: None)
        p = portfolio()
        tick(1, 4)
        summary = p.bucket_summary(as_of, buckets)
        out.write_csv("aging.csv", summary)
        tick(2, 4)
        previous = _previous_run(store, as_of) or (as_of - dt.timedelta(days=1))
        before = store.load_portfolio(previous)
        tick(3, 4)
        moves = bucket_moves(before, previous, p, as_of, buckets)
        recorded = store.record_bucket_moves(moves, as_of)
        tick(4, 4)
    rows = summary.to_pylist()
    return {
        "accounts": len(p),
        "balance_cents": p.total_balance_cents,
        "bucket_moves": recorded,
        "since": previous.isoformat(),
        "buckets": {
            r["bucket"]: {"accounts": r["accounts"], "balance_cents": r["balance_cents"]}
            for r in rows
        },
    }


def _strategy(
    store: Store,
    as_of: dt.date,
    p: Portfolio,
    strategy: Strategy,
    cfg: Config,
    out: Output,
    progress: bool | None = False,
) -> dict[str, Any]:
    applied = strategy.apply(p, as_of, threads=cfg.threads, progress=progress)
    import pyarrow.parquet as pq

    pq.write_table(applied.to_arrow(), out.file("segments.parquet"))
    frame = applied.to_pandas()
    call_at = dt.datetime.combine(as_of + dt.timedelta(days=1), cfg.call_time_utc, dt.timezone.utc)
    policy = ContactPolicy(cfg.policy_json) if cfg.policy_json else ContactPolicy.regulation_f()
    gate = store.compliance_gate(
        call_at, "call", policy, state_overlays=cfg.state_overlays, threads=cfg.threads
    )
    worklist = strategy.worklist(
        p,
        as_of,
        queues=cfg.queues or None,
        top_n=cfg.top_n,
        top_percent=cfg.top_percent,
        compliance=gate,
        threads=cfg.threads,
        progress=progress,
    ).to_pandas()
    for queue, rows in worklist.groupby("queue", observed=True):
        out.write_csv(f"worklists/{queue}.csv", rows)
    blocked = worklist[~worklist["call_allowed"]]
    return {
        "accounts": len(frame),
        "excluded": int(frame["excluded"].sum()),
        "segments": {str(k): int(v) for k, v in frame["segment"].value_counts().items()},
        "treatments": {str(k): int(v) for k, v in frame["treatment"].value_counts().items()},
        "arms": {str(k): int(v) for k, v in frame["arm"].value_counts().items()},
        "calls": len(worklist),
        "calls_allowed": int(worklist["call_allowed"].sum()),
        "calls_blocked_by_rule": {
            str(k): int(v) for k, v in blocked["blocked_rule"].value_counts().items()
        },
        "call_time": call_at.isoformat(),
    }


def campaign_accounts(
    store: Store, as_of: dt.date, spec: dict[str, Any], segments: Any = None
) -> list[str]:
    """The accounts a configured campaign selects on ``as_of`` (``spec`` as checked by
    :func:`arrears.config.campaign_settings`), before suppression (the campaign applies that)
    and without those that had the same letter within ``every_days``. ``select = "treatment"``
    reads ``segments`` (the strategy's per-account table: ``account_id``, ``treatment``,
    ``template``, as ``Strategy.apply(...).to_arrow()`` or a Parquet file of it)."""
    letter = spec.get("letter") or "custom"
    select = spec["select"]
    open_status = "('active', 'promise', 'plan', 'disputed', 'legal')"
    if select == "new":
        # Every open account that never had a validation notice (12 CFR 1006.34(a): within five
        # days of the initial communication, or as the initial communication itself).
        # The placement date is the first posting of the account (account_state).
        sql = (
            "SELECT a.id FROM accounts a JOIN account_state s ON s.account_id = a.id "
            f"WHERE a.status IN {open_status} AND s.balance_cents > 0 "
            "AND s.first_effective_on <= ?1 AND NOT EXISTS (SELECT 1 FROM letters l "
            "WHERE l.account_id = a.id AND l.template = 'validation_notice')"
        )
        args: list[Any] = [as_of]
        if spec.get("placed_within_days") is not None:
            sql += " AND s.first_effective_on >= ?2"
            args.append(as_of - dt.timedelta(days=int(spec["placed_within_days"])))
        ids = [r["id"] for r in store.query(sql + " ORDER BY a.id", args).to_pylist()]
    elif select == "treatment":
        # The accounts the strategy gave a letter treatment with this template.
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        if segments is None:
            raise ValidationError(
                f"campaign {spec['name']!r}: select = 'treatment' needs the strategy's segments"
            )
        seg = (
            pq.read_table(segments, columns=["account_id", "treatment", "template"])
            if isinstance(segments, (str, pathlib.Path))
            else segments
        )
        want = pc.and_(pc.equal(seg["treatment"], "letter"), pc.equal(seg["template"], letter))
        ids = sorted(str(x) for x in seg.filter(want)["account_id"].to_pylist())
    elif select == "plan_event":
        sql = (
            "SELECT DISTINCT pa.account_id AS id FROM plan_events e "
            "JOIN plans p ON p.id = e.plan_id JOIN plan_accounts pa ON pa.plan_id = p.id "
            "WHERE e.type = ?1 AND e.event_date > ?2 AND e.event_date <= ?3"
        )
        args = [spec["event"], as_of - dt.timedelta(days=int(spec["within_days"])), as_of]
        if spec.get("kind"):
            sql += " AND p.kind = ?4"
            args.append(spec["kind"])
        ids = [r["id"] for r in store.query(sql + " ORDER BY 1", args).to_pylist()]
    elif select == "resolved":
        # Paid or settled recently (status changed within within_days), not yet told so.
        sql = (
            "SELECT a.id FROM accounts a WHERE a.status IN ('paid', 'settled') "
            "AND json_extract(a.data, '$.status_history[#-1].effective') > ?1 "
            "AND json_extract(a.data, '$.status_history[#-1].effective') <= ?2 "
            "AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.account_id = a.id "
            "AND l.template = ?3 AND l.sent_on >= "
            "json_extract(a.data, '$.status_history[#-1].effective'))"
        )
        args = [as_of - dt.timedelta(days=int(spec["within_days"])), as_of, letter]
        ids = [r["id"] for r in store.query(sql + " ORDER BY a.id", args).to_pylist()]
    else:  # new_plan: a confirmation of each plan made on the date
        sql = (
            "SELECT DISTINCT pa.account_id AS id FROM plans p JOIN plan_accounts pa "
            "ON pa.plan_id = p.id WHERE p.plan_date = ?1 AND p.cancelled_on IS NULL"
        )
        args = [as_of]
        if spec.get("kind"):
            sql += " AND p.kind = ?2"
            args.append(spec["kind"])
        ids = [r["id"] for r in store.query(sql + " ORDER BY 1", args).to_pylist()]
    wait = spec.get("after_notice_days")
    if ids and wait is not None:
        # Collection letters after the validation notice's period (12 CFR 1006.34(b)(5): 30 days
        # after receipt, assumed 5 business days after mailing), so none can overshadow it.
        noticed = {
            r["account_id"]
            for r in store.query(
                "SELECT DISTINCT account_id FROM letters WHERE template = 'validation_notice' "
                "AND sent_on <= ?",
                [as_of - dt.timedelta(days=int(wait))],
            ).to_pylist()
        }
        ids = [i for i in ids if i in noticed]
    every = int(spec.get("every_days") or 0)
    if ids and every:
        recent = {
            r["account_id"]
            for r in store.query(
                "SELECT DISTINCT account_id FROM letters WHERE template = ? AND sent_on > ?",
                [letter, as_of - dt.timedelta(days=every)],
            ).to_pylist()
        }
        ids = [i for i in ids if i not in recent]
    return ids


def _read(path: str, spec: dict[str, Any], key: str) -> str:
    try:
        return pathlib.Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"campaign {spec['name']!r}: {key} {path!r}: {exc.strerror}") from exc


_PLAN_LETTERS = {"plan_confirmation", "settlement_offer", "promise_broken", "paid_in_full"}


def build_campaign(
    store: Store,
    as_of: dt.date,
    spec: dict[str, Any],
    collector: dict[str, Any],
    ids: list[str],
    progress: bool | None = None,
) -> Any:
    """The :class:`arrears.letters.Campaign` of a configured campaign for ``ids`` on ``as_of``,
    named ``<name>-<date>`` (``progress``: a bar while its letter data is read)."""
    from arrears._core.letters import builtin_partials
    from arrears.letters import Campaign, Template, store_selection

    letter = spec.get("letter")
    selection = store_selection(
        store,
        as_of,
        ids,
        plans=letter in _PLAN_LETTERS or spec["select"] != "new",
        progress=progress,
    )
    template: Any = letter
    text_template = None
    if spec.get("template"):
        # A custom template may include the built-in pieces ({{> letterhead}}, {{> disclosure}},
        # {{> how_to_pay}} ...); its own partials of the same name are not possible here.
        language = spec.get("language", "en")
        template = Template(
            _read(spec["template"], spec, "template"),
            partials=builtin_partials(language, "html"),
            language=language,
        )
        if spec.get("text_template"):
            text_template = Template(
                _read(spec["text_template"], spec, "text_template"),
                partials=builtin_partials(language, "text"),
                escape="none",
                language=language,
            )
    send_at = None
    if spec["channel"] == "email":
        send_at = dt.datetime.combine(as_of, dt.time(15, 0), dt.timezone.utc)
    return Campaign(
        f"{spec['name']}-{as_of.isoformat()}",
        template,
        selection,
        as_of,
        collector=collector,
        channel=spec["channel"],
        letter=letter if spec.get("template") else None,
        text_template=text_template,
        send_at=send_at,
    )


def run_campaign(
    store: Store,
    as_of: dt.date,
    spec: dict[str, Any],
    collector: dict[str, Any],
    folder: pathlib.Path,
    segments: Any = None,
    progress: bool | None = False,
) -> dict[str, Any]:
    """Runs one configured campaign for ``as_of`` into ``folder/<name>-<date>/`` and logs its
    letters in the store; a campaign already logged for the date is not sent again.
    ``progress``: a bar over its letters (None: on a terminal or in Jupyter only)."""
    name = f"{spec['name']}-{as_of.isoformat()}"
    logged = store.query(
        "SELECT letters, suppressed FROM campaigns WHERE id = ?", [name]
    ).to_pylist()
    if logged:  # sent by an earlier (interrupted) run of this date: never twice
        row = logged[0]
        return {"status": "already sent", "sent": row["letters"], "suppressed": row["suppressed"]}
    ids = campaign_accounts(store, as_of, spec, segments)
    if not ids:
        return {"status": "nothing selected", "selected": 0, "sent": 0, "suppressed": 0}
    campaign = build_campaign(store, as_of, spec, collector, ids, progress)
    with progress_bar(f"letters {spec['name']}", len(ids), progress, "letters") as bar:
        result = campaign.run(
            folder / name,
            formats=spec.get("formats"),
            pdf=bool(spec.get("pdf", False)),
            csv_mapping=spec.get("csv_mapping"),
            log=store.letter_sink(campaign),
            progress=bar or False,
        )
    counts = result.counts
    return {
        "status": "sent",
        "selected": counts["selected"],
        "sent": counts["letters"],
        "suppressed": counts["suppressed"],
        "suppressed_by_reason": {k: v for k, v in campaign.suppressed_by_reason.items() if v},
        "folder": str(result.out_dir),
    }


def _letters(
    store: Store, as_of: dt.date, cfg: Config, out: pathlib.Path, progress: bool | None = False
) -> dict[str, Any]:
    if not cfg.campaigns:
        return {"campaigns": {}, "note": "no [[campaigns]] configured"}
    ldir = out / "letters"
    done = {
        f"{spec['name']}-{as_of.isoformat()}": run_campaign(
            store, as_of, spec, cfg.collector, ldir, out / "segments.parquet", progress
        )
        for spec in cfg.campaigns
    }
    return {"campaigns": done}


def _metro2(
    store: Store, as_of: dt.date, cfg: Config, out: pathlib.Path, progress: bool | None = False
) -> dict[str, Any]:
    settings = dict(cfg.metro2)
    if not settings:
        return {"note": "no [metro2] configured"}
    day = settings.get("day", "month_end")
    if not _metro2_day(day, as_of):
        return {"note": f"not a reporting day (day = {day!r})"}
    from arrears import metro2

    # Created today, or on the activity date when a run is made ahead (tests, back-fills).
    created = max(dt.date.today(), as_of)
    header, profile = metro2_settings(settings, as_of, date_created=created)
    path = out / "metro2" / f"metro2-{profile.identification_number}-{as_of.isoformat()}.txt"
    f = metro2.monthly_file(
        store, as_of, header, profile, path=path, threads=cfg.threads, progress=progress
    )
    reasons: dict[str, int] = {}
    for e in f.excluded:
        reasons[e.code] = reasons.get(e.code, 0) + 1
    return {
        "file": str(path),
        "sha256": f.sha256,
        "submission_id": f.submission_id,
        "reported": len(f.reported),
        "excluded": len(f.excluded),
        "excluded_by_reason": reasons,
    }


def _reports(
    store: Store, as_of: dt.date, buckets: Buckets, out: Output, progress: bool | None = False
) -> dict[str, Any]:
    from arrears import reports
    from arrears.plots import save_png

    start = as_of - dt.timedelta(days=30)
    made: list[tuple[str, Callable[[], reports.Report]]] = [
        ("aging", lambda: reports.aging(store, as_of, buckets=buckets)),
        ("aging_by_client", lambda: reports.aging(store, as_of, by="client", buckets=buckets)),
        ("roll_rates", lambda: reports.roll_rates(store, start, as_of, buckets=buckets)),
        ("liquidation", lambda: reports.liquidation(store, as_of)),
        ("collectors", lambda: reports.collectors(store, start, as_of)),
        ("contacts", lambda: reports.contacts(store, start, as_of)),
        ("cure_rate", lambda: reports.cure_rate(store, start, as_of, buckets=buckets)),
    ]
    written = []
    with progress_bar("reports", len(made), progress, "reports") as bar:
        for k, (name, make) in enumerate(made):
            r = make()
            out.write_csv(f"reports/{name}.csv", r.frame)
            save_png(r, str(out.file(f"reports/{name}.png")))
            written.append(name)
            if bar:
                bar(k + 1, len(made))
    return {"reports": written}
