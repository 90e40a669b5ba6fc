"""The ``arrears`` command line: nightly batches and day-to-day operations on a store.

Every command reads ``--db`` (default ``$ARREARS_DB``, else ``./arrears.db``) and ``--config``
(``arrears.toml`` when present), prints tables for people and ``--json`` (JSON Lines) /
``--csv`` for scripts; the global options go before or after the command. Exit codes: 0 ok,
1 failure, 2 usage or configuration error, 3 finished but some records were rejected. Errors
print one line (``--debug`` shows the traceback). The shared parts live in
:mod:`arrears.cli_context` and :mod:`arrears.cli_output`; the ``plan``, ``campaign`` and
``metro2`` groups in their own modules, registered here.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from arrears import __version__
from arrears.cli_campaigns import campaign
from arrears.cli_context import (
    COLUMN_MAP,
    COUNT,
    CURRENCY,
    DATE,
    EXIT_FAILURE,
    EXIT_REJECTED,
    EXIT_USAGE,
    FOLDER,
    INPUT_FILE,
    PERCENT,
    PNG_FILE,
    TIME,
    Ctx,
    Group,
    fail,
    run,
)
from arrears.cli_metro2 import metro2
from arrears.cli_output import emit
from arrears.cli_plans import plan

__all__ = ["main"]


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="arrears")
def main() -> None:
    """arrears: a debt-collections engine (store, aging, strategies, compliance, letters).

    Global options go before or after the command: `arrears --db x.db age` or
    `arrears age --db x.db`. Shell completion: eval "$(_ARREARS_COMPLETE=bash_source arrears)".
    """


main.add_command(plan)
main.add_command(campaign)
main.add_command(metro2)


@main.command()
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

_IMPORT_FIELDS = {"mapping": "--map", "currency": "--currency"}


def _import(
    ctx: Ctx,
    kind: str,
    path: str,
    keep_good: bool,
    maps: Sequence[tuple[str, str]],
    currency: str,
) -> None:
    from arrears.store import ImportRejected

    with ctx.store() as s:
        fn = getattr(s, f"import_{kind}")
        kwargs: dict[str, Any] = {"mapping": dict(maps), "keep_good": keep_good}
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
        fail(
            f"{r.rejected} rows rejected; nothing written (use --keep-good to load the rest)",
            EXIT_FAILURE,
        )
    if r.rejected:
        sys.exit(EXIT_REJECTED)


def _import_options(fn: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--keep-good", is_flag=True, help="Load the good rows and report the bad ones."
            ),
            click.option("--map", "maps", type=COLUMN_MAP, multiple=True, help="Rename a column."),
            click.option("--currency", type=CURRENCY, default="USD", show_default=True),
        ]
    ):
        fn = option(fn)
    return fn


@main.command("import")
@click.argument("kind", type=click.Choice(["accounts", "debtors", "payments", "contacts"]))
@click.argument("file", type=INPUT_FILE)
@_import_options
@run(options=_IMPORT_FIELDS)
def import_(
    ctx: Ctx,
    kind: str,
    file: str,
    keep_good: bool,
    maps: tuple[tuple[str, str], ...],
    currency: str,
) -> None:
    """Import a CSV file of accounts, debtors, payments or contacts (skip-trace)."""
    _import(ctx, kind, file, keep_good, maps, currency)


@main.command("post-payments")
@click.argument("file", type=INPUT_FILE)
@_import_options
@run(options=_IMPORT_FIELDS)
def post_payments(
    ctx: Ctx, file: str, keep_good: bool, maps: tuple[tuple[str, str], ...], currency: str
) -> None:
    """Post a file of payments to the ledgers (same as `import payments`)."""
    _import(ctx, "payments", file, keep_good, maps, currency)


# -- portfolio -------------------------------------------------------------------------------------


@main.command()
@click.option("--by", multiple=True, help="Group by a portfolio column (client, portfolio ...).")
@run(options={"by": "--by"})
def age(ctx: Ctx, by: tuple[str, ...]) -> None:
    """Accounts and balance per delinquency bucket as of --as-of."""
    from arrears import reports
    from arrears.aging import Buckets

    with ctx.store() as s:
        r = reports.aging(s, ctx.as_of, by=list(by) or None, buckets=Buckets(ctx.config.buckets))
    cols = [*by, "bucket", "accounts", "balance_cents"]
    emit(ctx, r.frame[cols], f"aging as of {ctx.as_of}")


@main.command()
@click.option("--queue", "queues", multiple=True, help="Only these queues (repeatable).")
@click.option("--top-n", type=COUNT, help="At most this many calls per queue.")
@click.option("--top-percent", type=PERCENT, help="The top share of each queue, 0-100.")
@click.option("--call-time", type=TIME, help="UTC time the calls are planned (default: config).")
@click.option("--no-compliance", is_flag=True, help="Skip the compliance check (not for dialing!).")
@run(options={"queues": "--queue", "top_n": "--top-n", "top_percent": "--top-percent"})
def worklist(
    ctx: Ctx,
    queues: tuple[str, ...],
    top_n: int | None,
    top_percent: float | None,
    call_time: dt.time | None,
    no_compliance: bool,
) -> None:
    """Call worklists ordered by score, each call cleared by the compliance engine."""
    from arrears._core.compliance import ContactPolicy
    from arrears.strategy import Strategy

    cfg = ctx.config
    strategy = Strategy.from_dict(cfg.strategy)
    at = dt.datetime.combine(ctx.as_of, call_time or cfg.call_time_utc, dt.timezone.utc)
    with ctx.store() as s:
        p = s.load_portfolio(ctx.as_of)
        gate = None
        if not no_compliance:
            policy = ContactPolicy(cfg.policy_json) if cfg.policy_json else None
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
    shown = (
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
    cols = [c for c in shown if c in wl.columns]
    emit(
        ctx,
        wl[cols] if ctx.fmt == "text" else wl,
        f"worklist as of {ctx.as_of}, calls at {at:%H:%M} UTC",
    )


# -- reports ---------------------------------------------------------------------------------------

# Report -> the groupings --by takes (None: no --by), and whether it covers --from .. --as-of.
REPORTS: dict[str, tuple[str | None, bool]] = {
    "aging": ("a portfolio column", False),
    "roll-rates": (None, True),
    "liquidation": ("placement_month, client or portfolio", False),
    "promises": (None, True),
    "collectors": (None, True),
    "contacts": (None, True),
    "cure-rate": (None, True),
    "dso": ("client or portfolio", False),
}


@main.command()
@click.argument("name", type=click.Choice(list(REPORTS)))
@click.option("--from", "start", type=DATE, help="Start date (default: 30 days before --as-of).")
@click.option(
    "--by", default=None, help="Grouping (aging: a column; liquidation/dso: client or portfolio)."
)
@click.option(
    "--vintage",
    type=click.Choice(["auto", "month", "quarter", "year"]),
    default=None,
    help="Liquidation curves per month, quarter or year of placement (default auto).",
)
@click.option("--png", type=PNG_FILE, help="Also save the chart as PNG (prints the path).")
@run(options={"by": "--by", "start": "--from", "end": "--as-of", "vintage": "--vintage"})
def report(
    ctx: Ctx,
    name: str,
    start: dt.date | None,
    by: str | None,
    vintage: str | None,
    png: str | None,
) -> None:
    """Reports: aging, roll rates, liquidation, promises, collectors, contacts, cure rate, DSO."""
    from arrears import reports
    from arrears.aging import Buckets

    groupings, ranged = REPORTS[name]
    if by is not None and groupings is None:
        raise click.BadParameter(
            f"the {name} report has no grouping (got {by!r})", param_hint="--by"
        )
    if start is not None and not ranged:
        raise click.BadParameter(
            f"the {name} report is as of --as-of; it takes no start date (got {start})",
            param_hint="--from",
        )
    if start is not None and start >= ctx.as_of:
        raise click.BadParameter(f"{start} is not before --as-of {ctx.as_of}", param_hint="--from")
    if vintage is not None and name != "liquidation":
        raise click.BadParameter(
            f"only the liquidation report has vintages (got {vintage!r} for {name})",
            param_hint="--vintage",
        )
    begin = start or (ctx.as_of - dt.timedelta(days=30))
    buckets = Buckets(ctx.config.buckets)
    with ctx.store() as s:
        r = {
            "aging": lambda: reports.aging(s, ctx.as_of, by=by, buckets=buckets),
            "roll-rates": lambda: reports.roll_rates(s, begin, ctx.as_of, buckets=buckets),
            "liquidation": lambda: reports.liquidation(
                s, ctx.as_of, by=by or "placement_month", vintage=vintage or "auto"
            ),
            "promises": lambda: reports.promises(s, begin, ctx.as_of),
            "collectors": lambda: reports.collectors(s, begin, ctx.as_of),
            "contacts": lambda: reports.contacts(s, begin, ctx.as_of),
            "cure-rate": lambda: reports.cure_rate(s, begin, ctx.as_of, buckets=buckets),
            "dso": lambda: reports.dso(s, ctx.as_of, by=by or "client"),
        }[name]()
    emit(ctx, r.frame, r.title)
    if png:
        from arrears.outputs import staged_file
        from arrears.plots import save_png

        with staged_file(png) as staged:
            save_png(r, str(staged))
        written = png
        # stdout stays JSON Lines / CSV for scripts; people read it after the table.
        click.echo(f"chart: {written}", err=ctx.fmt != "text")


# -- nightly and demo ----------------------------------------------------------------------


@main.command()
@click.option("--out", "out_dir", type=FOLDER, help="Output folder (default from config).")
@run
def nightly(ctx: Ctx, out_dir: str | None) -> None:
    """Run the nightly batch for --as-of (steps already done for that date are skipped)."""
    from arrears.workflows import NightlyRunning
    from arrears.workflows import nightly as run_nightly

    cfg = ctx.config
    if out_dir:
        cfg.out_dir = out_dir
    ctx.require_extras(cfg.campaigns)
    with ctx.store() as s:
        try:
            summary = run_nightly(s, ctx.as_of, cfg, progress=ctx.progress)
        except NightlyRunning as exc:
            fail(str(exc), EXIT_USAGE)
    if ctx.fmt == "text":
        click.echo(str(summary))
    else:
        emit(ctx, summary.to_dict())


@main.command()
@click.option(
    "--accounts", "n", type=COUNT, default=100_000, show_default=True, help="Accounts to generate."
)
@click.option("--dir", "directory", type=FOLDER, default="demo", show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
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
        echo=None if ctx.fmt != "text" else click.echo,
    )
    if ctx.fmt != "text":
        emit(ctx, summary)


if __name__ == "__main__":  # pragma: no cover
    main()
