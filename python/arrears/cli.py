"""The ``arrears`` command line: nightly batches and day-to-day operations on a store.

Every command reads ``--db`` (default ``./arrears.db``) and ``--config`` (``arrears.toml`` when
present), prints tables for people and ``--json`` / ``--csv`` for scripts. Exit codes: 0 ok,
1 failure, 2 usage or configuration error, 3 finished but some records were rejected.
Errors print one line (``--debug`` shows the traceback).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import click

from arrears import __version__
from arrears.errors import Error, ValidationError

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_REJECTED = 3


class Ctx:
    def __init__(
        self,
        db: str | None,
        config: str | None,
        as_of: dt.date | None,
        fmt: str,
        debug: bool,
        actor: str | None,
        progress: bool | None,
    ) -> None:
        from arrears.config import load_config

        path = config or ("arrears.toml" if os.path.exists("arrears.toml") else None)
        self.config = load_config(path)
        self.db = (
            db or os.environ.get("ARREARS_DB") or (self.config.store_path if path else "arrears.db")
        )
        self.as_of = as_of or dt.date.today()
        self.fmt = fmt
        self.debug = debug
        self.actor = actor or self.config.actor
        self.progress = progress

    def store(self, create: bool = False) -> Any:
        from arrears.store import Store

        if not create and self.db != ":memory:" and not os.path.exists(self.db):
            raise ValidationError(
                f"--db: no store at {self.db!r} (create one with `arrears init --db {self.db}`)"
            )
        return Store(self.db, actor=self.actor)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"arrears: error: {message}", err=True)
    sys.exit(code)


def run(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turns arrears errors into one clear line and the documented exit codes."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx: Ctx = click.get_current_context().find_object(Ctx)  # type: ignore[assignment]
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            if ctx and ctx.debug:
                raise
            _fail(str(exc), EXIT_USAGE if _is_config_error(exc) else EXIT_FAILURE)
        except Error as exc:
            if ctx and ctx.debug:
                raise
            _fail(str(exc), EXIT_FAILURE)
        except (OSError, KeyError) as exc:
            if ctx and ctx.debug:
                raise
            _fail(str(exc), EXIT_FAILURE)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _is_config_error(exc: Exception) -> bool:
    text = str(exc)
    return text.startswith(("config:", "--")) or ".toml" in text.split(":", 1)[0]


def emit(ctx: Ctx, data: Any, title: str | None = None) -> None:
    """Prints a DataFrame, a list of dicts or a dict in the chosen format."""
    import pandas as pd

    if isinstance(data, dict) and not all(isinstance(v, list) for v in data.values()):
        if ctx.fmt == "json":
            click.echo(json.dumps(data, indent=2, default=str))
        elif ctx.fmt == "csv":
            w = pd.DataFrame([data])
            click.echo(w.to_csv(index=False), nl=False)
        else:
            if title:
                click.echo(title)
            for k, v in data.items():
                click.echo(f"  {k}: {v}")
        return
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    if ctx.fmt == "json":
        click.echo(frame.to_json(orient="records", date_format="iso", indent=2))
    elif ctx.fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        if title:
            click.echo(title)
        click.echo(frame.to_string(index=False) if len(frame) else "(no rows)")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="arrears")
@click.option("--db", help="The store (default ./arrears.db, or [store] path in the config).")
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False),
    help="A TOML config (default ./arrears.toml if present).",
)
@click.option("--as-of", "as_of", help="The as-of date, YYYY-MM-DD (default today).")
@click.option("--json", "fmt", flag_value="json", help="Print JSON.")
@click.option("--csv", "fmt", flag_value="csv", help="Print CSV.")
@click.option("--actor", help="Who the audit log names for changes (default from the config).")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bars (default: on a terminal)."
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def main(
    click_ctx: click.Context,
    db: str | None,
    config: str | None,
    as_of: str | None,
    fmt: str | None,
    actor: str | None,
    progress: bool | None,
    debug: bool,
) -> None:
    """arrears: a debt-collections engine (store, aging, strategies, compliance, letters)."""
    try:
        click_ctx.obj = Ctx(db, config, _date(as_of), fmt or "text", debug, actor, progress)
    except ValidationError as exc:
        if debug:
            raise
        _fail(str(exc), EXIT_USAGE)


pass_ctx = click.make_pass_decorator(Ctx)


@main.command()
@pass_ctx
@run
def init(ctx: Ctx) -> None:
    """Create a new store (or open and migrate an existing one)."""
    existed = os.path.exists(ctx.db)
    with ctx.store(create=True) as s:
        emit(
            ctx,
            {"store": ctx.db, "schema_version": s.schema_version, "created": not existed},
            "store ready",
        )


# -- imports -------------------------------------------------------------------------------------


def _mapping(items: Sequence[str]) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            raise click.BadParameter(f"{item!r}: write --map your_column=field")
        src, dst = item.split("=", 1)
        out[src.strip()] = dst.strip()
    return out


def _import(
    ctx: Ctx, kind: str, path: str, keep_good: bool, maps: Sequence[str], currency: str
) -> None:
    from arrears.store import ImportRejected

    with ctx.store() as s:
        fn = getattr(s, f"import_{kind}")
        kwargs: dict[str, Any] = {"mapping": _mapping(maps), "keep_good": keep_good}
        if kind in ("accounts", "payments"):
            kwargs["currency"] = currency
        try:
            r = fn(path, **kwargs)
        except ImportRejected as exc:
            r = exc.report
        result = {
            "kind": r.kind,
            "source": r.source,
            "rows": r.rows,
            "inserted": r.inserted,
            "updated": r.updated,
            "unchanged": r.unchanged,
            "rejected": r.rejected,
            "committed": r.committed,
        }
        if ctx.fmt == "json":
            result["problems"] = [
                {"where": p.where, "column": p.column, "reason": p.reason} for p in r.problems
            ]
            emit(ctx, result)
        else:
            emit(ctx, result, f"import {kind}")
            for p in r.problems[:50]:
                click.echo(f"  rejected {p.message()}", err=True)
            if len(r.problems) > 50:
                click.echo(f"  ... and {len(r.problems) - 50} more", err=True)
        if not r.committed:
            _fail(
                f"{r.rejected} rows rejected; nothing written (use --keep-good to load the rest)",
                EXIT_FAILURE,
            )
        if r.rejected:
            sys.exit(EXIT_REJECTED)


@main.command("import")
@click.argument("kind", type=click.Choice(["accounts", "debtors", "payments", "contacts"]))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--keep-good", is_flag=True, help="Load the good rows and report the bad ones.")
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD", help="Rename a column.")
@click.option("--currency", default="USD", show_default=True)
@pass_ctx
@run
def import_(
    ctx: Ctx, kind: str, file: str, keep_good: bool, maps: tuple[str, ...], currency: str
) -> None:
    """Import a CSV file of accounts, debtors, payments or contacts (skip-trace)."""
    _import(ctx, kind, file, keep_good, maps, currency)


@main.command("post-payments")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--keep-good", is_flag=True)
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD")
@click.option("--currency", default="USD", show_default=True)
@pass_ctx
@run
def post_payments(
    ctx: Ctx, file: str, keep_good: bool, maps: tuple[str, ...], currency: str
) -> None:
    """Post a file of payments to the ledgers (same as `import payments`)."""
    _import(ctx, "payments", file, keep_good, maps, currency)


# -- portfolio -------------------------------------------------------------------------------------


@main.command()
@click.option("--by", multiple=True, help="Group by a portfolio column (client, portfolio ...).")
@pass_ctx
@run
def age(ctx: Ctx, by: tuple[str, ...]) -> None:
    """Accounts and balance per delinquency bucket as of --as-of."""
    from arrears import reports
    from arrears.aging import Buckets

    with ctx.store() as s:
        r = reports.aging(s, ctx.as_of, by=list(by) or None, buckets=Buckets(ctx.config.buckets))
        cols = [*by, "bucket", "accounts", "balance"] if by else ["bucket", "accounts", "balance"]
        emit(ctx, r.frame[cols], f"aging as of {ctx.as_of}")


@main.command()
@click.option("--queue", "queues", multiple=True, help="Only these queues.")
@click.option("--top-n", type=int)
@click.option("--top-percent", type=float)
@click.option(
    "--call-time", default=None, help="UTC time the calls are planned, HH:MM (default from config)."
)
@click.option("--no-compliance", is_flag=True, help="Skip the compliance check (not for dialing!).")
@pass_ctx
@run
def worklist(
    ctx: Ctx,
    queues: tuple[str, ...],
    top_n: int | None,
    top_percent: float | None,
    call_time: str | None,
    no_compliance: bool,
) -> None:
    """Call worklists ordered by score, each call cleared by the compliance engine."""
    from arrears._core import compliance as _core
    from arrears.strategy import Strategy

    cfg = ctx.config
    strategy = Strategy.from_dict(cfg.strategy)
    when = dt.time.fromisoformat(call_time) if call_time else cfg.call_time_utc
    at = dt.datetime.combine(ctx.as_of, when, dt.timezone.utc)
    with ctx.store() as s:
        p = s.load_portfolio(ctx.as_of)
        gate = None
        if not no_compliance:
            policy = _core.ContactPolicy(cfg.policy_json) if cfg.policy_json else None
            gate = s.compliance_gate(at, "call", policy, state_overlays=cfg.state_overlays)
        wl = strategy.worklist(
            p,
            ctx.as_of,
            queues=list(queues) or None,
            top_n=top_n or cfg.top_n,
            top_percent=top_percent or cfg.top_percent,
            compliance=gate,
            progress=ctx.progress,
        ).to_pandas()
        cols = [
            c
            for c in (
                "queue",
                "rank",
                "account_id",
                "segment",
                "score",
                "dpd",
                "balance_cents",
                "call_allowed",
                "next_allowed_at",
                "blocked_rule",
            )
            if c in wl.columns
        ]
        emit(
            ctx,
            wl[cols] if ctx.fmt == "text" else wl,
            f"worklist as of {ctx.as_of}, calls at {at:%H:%M} UTC",
        )


# -- reports ---------------------------------------------------------------------------------------

REPORTS = [
    "aging",
    "roll-rates",
    "liquidation",
    "promises",
    "collectors",
    "contacts",
    "cure-rate",
    "dso",
]


@main.command()
@click.argument("name", type=click.Choice(REPORTS))
@click.option("--from", "start", help="Start date (default: 30 days before --as-of).")
@click.option(
    "--by", default=None, help="Grouping (aging: a column; liquidation/dso: client or portfolio)."
)
@click.option("--png", type=click.Path(dir_okay=False), help="Also save the chart as PNG.")
@pass_ctx
@run
def report(ctx: Ctx, name: str, start: str | None, by: str | None, png: str | None) -> None:
    """Reports: aging, roll rates, liquidation, promises, collectors, contacts, cure rate, DSO."""
    from arrears import reports
    from arrears.aging import Buckets

    begin = _date(start) or (ctx.as_of - dt.timedelta(days=30))
    buckets = Buckets(ctx.config.buckets)
    with ctx.store() as s:
        r = {
            "aging": lambda: reports.aging(s, ctx.as_of, by=by, buckets=buckets),
            "roll-rates": lambda: reports.roll_rates(s, begin, ctx.as_of, buckets=buckets),
            "liquidation": lambda: reports.liquidation(s, ctx.as_of, by=by or "placement_month"),
            "promises": lambda: reports.promises(s, begin, ctx.as_of),
            "collectors": lambda: reports.collectors(s, begin, ctx.as_of),
            "contacts": lambda: reports.contacts(s, begin, ctx.as_of),
            "cure-rate": lambda: reports.cure_rate(s, begin, ctx.as_of, buckets=buckets),
            "dso": lambda: reports.dso(s, ctx.as_of, by=by or "client"),
        }[name]()
        if png:
            from arrears.plots import save_png

            save_png(r, png)
        emit(ctx, r.frame, f"{name} {r.meta}")


# -- nightly and demo ----------------------------------------------------------------------


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Output folder (default from config).",
)
@pass_ctx
@run
def nightly(ctx: Ctx, out_dir: str | None) -> None:
    """Run the nightly batch for --as-of (steps already done for that date are skipped)."""
    from arrears.workflows import nightly as run_nightly

    cfg = ctx.config
    if out_dir:
        cfg.out_dir = out_dir
    with ctx.store() as s:
        summary = run_nightly(s, ctx.as_of, cfg, progress=ctx.progress)
    if ctx.fmt == "json":
        emit(ctx, summary.to_dict())
    else:
        click.echo(str(summary))


@main.command()
@click.option(
    "--accounts", "n", type=int, default=100_000, show_default=True, help="Accounts to generate."
)
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False), default="demo", show_default=True
)
@click.option("--seed", type=int, default=2026, show_default=True)
@pass_ctx
@run
def demo(ctx: Ctx, n: int, directory: str, seed: int) -> None:
    """Generate a realistic portfolio into DIR/arrears.db, run the nightly batch, write DIR/out/."""
    from arrears.demo import demo_run

    summary = demo_run(
        pathlib.Path(directory),
        n,
        seed,
        ctx.as_of,
        progress=ctx.progress,
        echo=None if ctx.fmt == "json" else click.echo,
    )
    if ctx.fmt == "json":
        emit(ctx, summary)


# The command groups in their own modules register themselves on `main` when imported.
from arrears import cli_campaigns, cli_metro2, cli_plans  # noqa: E402, F401

if __name__ == "__main__":  # pragma: no cover
    main()
