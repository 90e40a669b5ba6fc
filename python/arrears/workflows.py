"""The nightly batch: the whole job of a collections floor, run for one date.

``nightly(store, as_of, config)`` runs, in order, each step in its own transaction:

1. ``interest`` — post the interest accrued through ``as_of`` on interest-bearing accounts;
2. ``aging`` — load the portfolio as of the date, age it, record the bucket moves since the
   previous run in the bucket history;
3. ``strategy`` — score and segment every account (champion/challenger), build the call
   worklists, each call cleared (or not) by the compliance engine at tomorrow's call time;
4. ``reports`` — aging, roll rates, liquidation, collectors; CSV and PNG.

A step that finished for a date is recorded in the store (``runs``) and skipped when the run is
repeated, so re-running a date never does anything twice; outputs go under ``out_dir/<date>/``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import pathlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from arrears import _core
from arrears.aging import Buckets
from arrears.config import Config
from arrears.portfolio import Portfolio, bucket_moves
from arrears.strategy import Strategy

if TYPE_CHECKING:
    from arrears.store import Store

__all__ = ["NightlySummary", "StepResult", "nightly"]

RUN = "nightly"


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
    """Runs the nightly batch for ``as_of``; see the module docstring for the steps."""
    from arrears._progress import progress_bar

    cfg = config or Config()
    out = pathlib.Path(cfg.out_dir) / as_of.isoformat()
    out.mkdir(parents=True, exist_ok=True)
    summary = NightlySummary(as_of, str(out))
    buckets = Buckets(cfg.buckets)
    strategy = Strategy.from_dict(cfg.strategy)
    state: dict[str, Any] = {}

    def portfolio() -> Portfolio:
        if "portfolio" not in state:
            state["portfolio"] = store.load_portfolio(as_of)
        p: Portfolio = state["portfolio"]
        return p

    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("interest", lambda: _interest(store, as_of)),
        ("aging", lambda: _aging(store, as_of, portfolio(), buckets, out)),
        ("strategy", lambda: _strategy(store, as_of, portfolio(), strategy, cfg, out)),
        ("reports", lambda: _reports(store, as_of, buckets, out)),
    ]
    with progress_bar("nightly", len(steps), progress, unit="steps") as bar:
        for k, (name, fn) in enumerate(steps):
            t0 = time.perf_counter()
            done = store.handle.run_step(RUN, as_of, name)
            if done is not None:
                result = StepResult(name, "skipped", 0.0, json.loads(done))
            else:
                detail = fn()
                store.handle.mark_run_step(RUN, as_of, name, json.dumps(detail, default=str))
                result = StepResult(name, "ran", time.perf_counter() - t0, detail)
            summary.steps.append(result)
            if log:
                log(f"{name}: {result.status} in {result.seconds:.2f} s")
            if bar:
                bar(k + 1, len(steps))
    (out / "summary.json").write_text(json.dumps(summary.to_dict(), indent=2, default=str))
    return summary


def _interest(store: Store, as_of: dt.date) -> dict[str, Any]:
    posted_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    accounts, cents = store.handle.accrue_interest(as_of, posted_at)
    return {"accounts": accounts, "interest_cents": cents}


def _aging(
    store: Store, as_of: dt.date, p: Portfolio, buckets: Buckets, out: pathlib.Path
) -> dict[str, Any]:
    summary = p.bucket_summary(as_of, buckets)
    summary.to_pandas().to_csv(out / "aging.csv", index=False)
    previous = _previous_run(store, as_of) or (as_of - dt.timedelta(days=1))
    before = store.load_portfolio(previous)
    moves = bucket_moves(before, previous, p, as_of, buckets)
    recorded = store.record_bucket_moves(moves, as_of)
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
    store: Store, as_of: dt.date, p: Portfolio, strategy: Strategy, cfg: Config, out: pathlib.Path
) -> dict[str, Any]:
    applied = strategy.apply(p, as_of, threads=cfg.threads, progress=False)
    frame = applied.to_pandas()
    frame.to_csv(out / "segments.csv", index=False)
    call_at = dt.datetime.combine(as_of + dt.timedelta(days=1), cfg.call_time_utc, dt.timezone.utc)
    policy = (
        _core.ContactPolicy(cfg.policy_json)
        if cfg.policy_json
        else _core.ContactPolicy.regulation_f()
    )
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
        progress=False,
    ).to_pandas()
    wl_dir = out / "worklists"
    wl_dir.mkdir(exist_ok=True)
    for queue, rows in worklist.groupby("queue", observed=True):
        rows.to_csv(wl_dir / f"{queue}.csv", index=False)
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


def _reports(store: Store, as_of: dt.date, buckets: Buckets, out: pathlib.Path) -> dict[str, Any]:
    from arrears import reports
    from arrears.plots import save_png

    rdir = out / "reports"
    rdir.mkdir(exist_ok=True)
    start = as_of - dt.timedelta(days=30)
    made = [
        reports.aging(store, as_of, buckets=buckets),
        reports.aging(store, as_of, by="client", buckets=buckets),
        reports.roll_rates(store, start, as_of, buckets=buckets),
        reports.liquidation(store, as_of),
        reports.collectors(store, start, as_of),
        reports.contacts(store, start, as_of),
        reports.cure_rate(store, start, as_of, buckets=buckets),
    ]
    written = []
    for r in made:
        suffix = "_by_" + "_".join(r.meta["by"]) if r.name == "aging" and r.meta.get("by") else ""
        stem = rdir / f"{r.name}{suffix}"
        r.to_csv(str(stem) + ".csv")
        save_png(r, str(stem) + ".png")
        written.append(stem.name)
    return {"reports": written}
