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
    from arrears import _core
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


# -- letter campaigns ------------------------------------------------------------------------------


def _campaign_spec(ctx: Ctx, name: str) -> dict[str, Any]:
    for spec in ctx.config.campaigns:
        if spec["name"] == name:
            if not ctx.config.collector:
                raise ValidationError("config: no [collector] (who the letters are from)")
            return spec
    known = ", ".join(c["name"] for c in ctx.config.campaigns) or "none configured"
    raise ValidationError(f"config: no campaign named {name!r} in [[campaigns]] ({known})")


def _segments(ctx: Ctx, store: Any, spec: dict[str, Any]) -> Any:
    """The strategy's treatments for --as-of: the nightly run's segments.parquet when there is
    one, else the strategy applied now."""
    if spec["select"] != "treatment":
        return None
    saved = pathlib.Path(ctx.config.out_dir) / ctx.as_of.isoformat() / "segments.parquet"
    if saved.exists():
        return saved
    from arrears.strategy import Strategy

    strategy = Strategy.from_dict(ctx.config.strategy)
    return strategy.apply(store.load_portfolio(ctx.as_of), ctx.as_of, progress=False).to_arrow()


@main.group()
def campaign() -> None:
    """Letter campaigns configured in [[campaigns]]: list, preview, run, history."""


@campaign.command("list")
@pass_ctx
@run
def campaign_list(ctx: Ctx) -> None:
    """The configured campaigns and how many accounts each selects on --as-of."""
    from arrears.workflows import campaign_accounts

    rows = []
    with ctx.store() as s:
        for spec in ctx.config.campaigns:
            ids = campaign_accounts(s, ctx.as_of, spec, _segments(ctx, s, spec))
            rows.append(
                {
                    "name": spec["name"],
                    "letter": spec.get("letter") or "custom",
                    "select": spec["select"],
                    "channel": spec["channel"],
                    "selected": len(ids),
                }
            )
    emit(ctx, rows, f"campaigns as of {ctx.as_of}")


@campaign.command("preview")
@click.argument("name")
@click.option("-n", "count", type=int, default=1, show_default=True, help="Letters to show.")
@pass_ctx
@run
def campaign_preview(ctx: Ctx, name: str, count: int) -> None:
    """Counts, suppressions and the first letters (as text) of a campaign; nothing is sent."""
    from arrears.workflows import build_campaign, campaign_accounts

    spec = _campaign_spec(ctx, name)
    with ctx.store() as s:
        ids = campaign_accounts(s, ctx.as_of, spec, _segments(ctx, s, spec))
        if not ids:
            emit(ctx, {"campaign": name, "selected": 0}, f"campaign {name}")
            return
        c = build_campaign(s, ctx.as_of, spec, ctx.config.collector, ids)
        info: dict[str, Any] = {
            "campaign": c.name,
            **c.counts,
            "suppressed_by_reason": {k: v for k, v in c.suppressed_by_reason.items() if v},
        }
        try:
            letters = c.preview(count, format="text")
        except ValidationError:  # a custom HTML template without a text version
            letters = c.preview(count, format="html")
        if ctx.fmt == "json":
            info["letters"] = letters
            emit(ctx, info)
            return
        emit(ctx, info, f"campaign {c.name} (preview, nothing sent)")
        for letter in letters:
            click.echo("-" * 78)
            click.echo(letter)


@campaign.command("run")
@click.argument("name")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Parent folder (default <out_dir>/<date>/letters).",
)
@pass_ctx
@run
def campaign_run(ctx: Ctx, name: str, out_dir: str | None) -> None:
    """Send one configured campaign for --as-of now: write its folder, log its letters."""
    from arrears.workflows import run_campaign

    spec = _campaign_spec(ctx, name)
    folder = (
        pathlib.Path(out_dir)
        if out_dir
        else pathlib.Path(ctx.config.out_dir) / ctx.as_of.isoformat() / "letters"
    )
    with ctx.store() as s:
        result = run_campaign(
            s, ctx.as_of, spec, ctx.config.collector, folder, _segments(ctx, s, spec)
        )
    emit(ctx, {"campaign": f"{name}-{ctx.as_of.isoformat()}", **result}, f"campaign {name}")


@campaign.command("history")
@click.option("--since", help="Only campaigns on or after this date (YYYY-MM-DD).")
@pass_ctx
@run
def campaign_history(ctx: Ctx, since: str | None) -> None:
    """The campaigns logged in the store: letters sent and suppressed."""
    with ctx.store() as s:
        rows = s.query(
            "SELECT id AS campaign, template, channel, as_of, letters, suppressed, "
            "suppressed_by_reason, created_at FROM campaigns WHERE as_of >= ? ORDER BY as_of, id",
            [_date(since) or dt.date(1900, 1, 1)],
        ).to_pandas()
    emit(ctx, rows, "campaigns logged")


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


# -- payment plans and Metro 2 ---------------------------------------------------------------------
# `arrears plan new|list|show|evaluate|cancel` over the stored plans (docs/plans.md, docs/store.md
# "Plans"); `arrears metro2 export|validate` over arrears.metro2 (docs/metro2.md).


def _amount_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A positive decimal amount, kept as its string and read by arrears.Money (never a float)."""
    if value is None:
        return None
    from decimal import Decimal, InvalidOperation

    from arrears import Money

    text = value.strip()
    try:
        Decimal(text)
        money = Money(text)
    except (InvalidOperation, ValueError, Error):
        raise click.BadParameter(
            f"{value!r} is not an amount (a decimal such as 125.50)", ctx, param
        ) from None
    if money.minor <= 0:
        raise click.BadParameter(f"{value!r} must be more than zero", ctx, param)
    return text


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", ctx, param) from None


AMOUNT: dict[str, Any] = {"callback": _amount_option, "metavar": "AMOUNT"}
DATE: dict[str, Any] = {"callback": _date_option, "metavar": "YYYY-MM-DD"}

# Fields of the plan constructors named in their errors -> the options that set them.
_PLAN_OPTIONS = {
    "balance": "--account",
    "accounts": "--account",
    "account_id": "--account",
    "settlement_amount": "--amount",
    "amount": "--amount",
    "count": "--installments",
    "first_due": "--first",
    "offer_expiry": "--expires",
    "due": "--due",
    "frequency": "--every",
    "annual_rate": "--rate",
    "rounding": "--rounding",
    "split": "--split",
    "plan_id": "--id",
    "debtor_id": "--debtor",
    "rules.grace_days": "--grace-days",
    "grace_days": "--grace-days",
    "rules.tolerance": "--tolerance",
    "tolerance": "--tolerance",
    "rules.break_after_missed": "--break-after-missed",
    "break_after_missed": "--break-after-missed",
    "rules.break_after_days_late": "--break-after-days-late",
    "break_after_days_late": "--break-after-days-late",
    "rules.on_default": "--on-default",
    "on_default": "--on-default",
}


def _as_option_error(exc: ValidationError) -> ValidationError:
    """A constructor's "first_due: ..." becomes "--first: ..." (a usage error, exit 2)."""
    text = str(exc)
    field = text.split(":", 1)[0].strip()
    for name in (field, field.split("[", 1)[0]):
        if name in _PLAN_OPTIONS:
            return ValidationError(f"{_PLAN_OPTIONS[name]}: {text}")
    return ValidationError(f"plan: {text}")


def _plan_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options every `plan new` kind takes (applied in reverse so --help lists them in order)."""
    options = [
        click.option("--id", "plan_id", required=True, help="The plan id (a new one)."),
        click.option(
            "--account",
            "accounts",
            multiple=True,
            required=True,
            help="An account of the plan; repeat for several accounts of one debtor.",
        ),
        click.option(
            "--debtor",
            "debtor_id",
            help="The debtor (default: the accounts' primary debtor when they share one).",
        ),
        click.option("--grace-days", type=click.IntRange(min=0), help="Default 5."),
        click.option(
            "--tolerance", **AMOUNT, help="A shortfall still counted as kept (default 0)."
        ),
        click.option("--break-after-missed", type=click.IntRange(min=1), help="Default 2."),
        click.option("--break-after-days-late", type=click.IntRange(min=0), help="Default 30."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _plan_rules(
    currency: str,
    grace_days: int | None,
    tolerance: str | None,
    break_after_missed: int | None,
    break_after_days_late: int | None,
    on_default: str | None = None,
) -> Any:
    from arrears.plans import PlanRules

    kwargs: dict[str, Any] = {}
    if grace_days is not None:
        kwargs["grace_days"] = grace_days
    if tolerance is not None:
        kwargs["tolerance"] = tolerance
    if break_after_missed is not None:
        kwargs["break_after_missed"] = break_after_missed
    if break_after_days_late is not None:
        kwargs["break_after_days_late"] = break_after_days_late
    if on_default is not None:
        kwargs["on_default"] = on_default
    return PlanRules(currency=currency, **kwargs) if kwargs else None


def _new_plan(
    ctx: Ctx,
    plan_id: str,
    accounts: Sequence[str],
    debtor_id: str | None,
    build: Callable[[dict[str, Any]], Any],
) -> None:
    """Builds the plan from the accounts' balances as of --as-of (the plan date) and saves it."""
    if len(set(accounts)) != len(accounts):
        raise ValidationError(f"--account: {', '.join(accounts)} names an account twice")
    with ctx.store() as s:
        if s.has_plan(plan_id):
            raise ValidationError(f"--id: a plan {plan_id!r} exists (a new plan needs a new id)")
        balances: list[tuple[str, Any]] = []
        primaries: set[str] = set()
        currencies: set[str] = set()
        for account_id in accounts:
            if not s.has_account(account_id):
                raise ValidationError(f"--account: no account {account_id!r} in the store")
            account = s.account(account_id)
            balances.append((account_id, account.balance(ctx.as_of).total))
            currencies.add(account.currency)
            primaries.update(d.debtor_id for d in account.debtors if d.role == "primary")
        if len(currencies) != 1:
            raise ValidationError(f"--account: the accounts are in {', '.join(sorted(currencies))}")
        currency = currencies.pop()
        if debtor_id is None and len(primaries) == 1:
            debtor_id = next(iter(primaries))
        common: dict[str, Any] = {
            "plan_date": ctx.as_of,
            "plan_id": plan_id,
            "debtor_id": debtor_id or "",
            "currency": currency,
        }
        if len(balances) == 1:
            common["balance"], common["account_id"] = balances[0][1], balances[0][0]
        else:
            common["accounts"] = balances
        try:
            plan = build(common)
        except ValidationError as exc:
            raise _as_option_error(exc) from exc
        s.save_plan(plan)
        emit(ctx, _for_text(ctx, _plan_summary(plan)), f"plan {plan_id} saved")


def _for_text(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    """None shows as "-" for people; scripts get null."""
    return {k: "-" if v is None else v for k, v in row.items()} if ctx.fmt == "text" else row


def _money(m: Any) -> str:
    return f"{m.amount}"


def _plan_summary(plan: Any, status: str | None = None) -> dict[str, Any]:
    sched = plan.schedule
    out: dict[str, Any] = {
        "plan_id": plan.plan_id,
        "kind": plan.kind,
        "debtor_id": plan.debtor_id,
        "accounts": ",".join(a for a, _ in plan.accounts),
        "plan_date": plan.plan_date.isoformat(),
        "currency": plan.currency,
        "balance": _money(plan.balance),
        "total": _money(plan.total),
        "discount": _money(plan.discount),
        "installment_count": sched.count,
        "frequency": sched.frequency,
        "first_due": sched.first_due.isoformat(),
        "last_due": sched.last_due.isoformat(),
        "offer_expiry": plan.offer_expiry.isoformat() if plan.offer_expiry else None,
        "cancelled_on": plan.cancelled_on.isoformat() if plan.cancelled_on else None,
    }
    if status is not None:
        out["status"] = status
    return out


@main.group()
def plan() -> None:
    """Payment plans, settlements and promises to pay (docs/plans.md)."""


@plan.group("new")
def plan_new() -> None:
    """Agree a new plan on --as-of (the plan date) for the accounts' balances on that date."""


@plan_new.command("installment")
@_plan_options
@click.option("--installments", "count", type=click.IntRange(min=1), help="How many.")
@click.option("--amount", **AMOUNT, help="A fixed installment amount instead of a count.")
@click.option(
    "--every",
    "frequency",
    type=click.Choice(["weekly", "biweekly", "semimonthly", "monthly"]),
    default="monthly",
    show_default=True,
)
@click.option("--first", "first_due", **DATE, required=True, help="First due date.")
@click.option(
    "--rate",
    "annual_rate",
    default="0",
    show_default=True,
    help="Annual interest rate as a decimal fraction (0.12 = 12%).",
)
@click.option(
    "--rounding", type=click.Choice(["half_up", "up"]), default="half_up", show_default=True
)
@click.option(
    "--split",
    type=click.Choice(["pro_rata", "sequential"]),
    default="pro_rata",
    show_default=True,
    help="How payments are shared by several accounts.",
)
@pass_ctx
@run
def plan_new_installment(
    ctx: Ctx,
    plan_id: str,
    accounts: tuple[str, ...],
    debtor_id: str | None,
    grace_days: int | None,
    tolerance: str | None,
    break_after_missed: int | None,
    break_after_days_late: int | None,
    count: int | None,
    amount: str | None,
    frequency: str,
    first_due: dt.date,
    annual_rate: str,
    rounding: str,
    split: str,
) -> None:
    """An installment plan for the whole balance: --installments N or a fixed --amount."""
    from arrears.plans import installment_plan

    if (count is None) == (amount is None):
        raise click.UsageError("give --installments N or --amount X (one of them)")

    def build(common: dict[str, Any]) -> Any:
        rules = _plan_rules(
            common["currency"], grace_days, tolerance, break_after_missed, break_after_days_late
        )
        return installment_plan(
            first_due=first_due,
            count=count,
            amount=amount,
            frequency=frequency,
            annual_rate=annual_rate,
            rounding=rounding,
            rules=rules,
            split=split,
            **common,
        )

    _new_plan(ctx, plan_id, accounts, debtor_id, build)


@plan_new.command("settlement")
@_plan_options
@click.option("--amount", **AMOUNT, required=True, help="The settlement amount.")
@click.option("--expires", "offer_expiry", **DATE, required=True, help="The offer expiry.")
@click.option("--installments", "count", type=click.IntRange(min=1), default=1, show_default=True)
@click.option(
    "--first",
    "first_due",
    **DATE,
    help="First due date (default: a lump sum due on the expiry).",
)
@click.option(
    "--every",
    "frequency",
    type=click.Choice(["weekly", "biweekly", "semimonthly", "monthly"]),
    default="monthly",
    show_default=True,
)
@click.option(
    "--rounding", type=click.Choice(["half_up", "up"]), default="half_up", show_default=True
)
@click.option(
    "--split", type=click.Choice(["pro_rata", "sequential"]), default="pro_rata", show_default=True
)
@click.option(
    "--on-default",
    type=click.Choice(["void", "pro_rata"]),
    help="On a break: void the discount (default) or keep the share earned.",
)
@pass_ctx
@run
def plan_new_settlement(
    ctx: Ctx,
    plan_id: str,
    accounts: tuple[str, ...],
    debtor_id: str | None,
    grace_days: int | None,
    tolerance: str | None,
    break_after_missed: int | None,
    break_after_days_late: int | None,
    amount: str,
    offer_expiry: dt.date,
    count: int,
    first_due: dt.date | None,
    frequency: str,
    rounding: str,
    split: str,
    on_default: str | None,
) -> None:
    """A settlement for less than the balance, as a lump sum or in installments."""
    from arrears.plans import settlement

    if offer_expiry < ctx.as_of:
        raise ValidationError(f"--expires: {offer_expiry} is before the plan date {ctx.as_of}")

    def build(common: dict[str, Any]) -> Any:
        rules = _plan_rules(
            common["currency"],
            grace_days,
            tolerance,
            break_after_missed,
            break_after_days_late,
            on_default,
        )
        return settlement(
            settlement_amount=amount,
            offer_expiry=offer_expiry,
            first_due=first_due,
            count=count,
            frequency=frequency,
            rounding=rounding,
            rules=rules,
            split=split,
            **common,
        )

    _new_plan(ctx, plan_id, accounts, debtor_id, build)


@plan_new.command("promise")
@_plan_options
@click.option("--amount", **AMOUNT, required=True, help="The amount promised.")
@click.option("--due", **DATE, required=True, help="The date promised.")
@pass_ctx
@run
def plan_new_promise(
    ctx: Ctx,
    plan_id: str,
    accounts: tuple[str, ...],
    debtor_id: str | None,
    grace_days: int | None,
    tolerance: str | None,
    break_after_missed: int | None,
    break_after_days_late: int | None,
    amount: str,
    due: dt.date,
) -> None:
    """A promise to pay --amount by --due (broken as soon as it is missed)."""
    from arrears.plans import promise_to_pay

    def build(common: dict[str, Any]) -> Any:
        rules = _plan_rules(
            common["currency"], grace_days, tolerance, break_after_missed, break_after_days_late
        )
        return promise_to_pay(amount=amount, due=due, rules=rules, **common)

    _new_plan(ctx, plan_id, accounts, debtor_id, build)


PLAN_LIST_COLUMNS = [
    "plan_id",
    "kind",
    "debtor_id",
    "accounts",
    "plan_date",
    "total",
    "paid",
    "status",
    "next_due",
    "next_amount",
    "evaluated_on",
]
PLAN_STATUSES = ["active", "current", "delinquent", "broken", "completed", "cancelled"]

_PLAN_STATE_SQL = """
SELECT p.id AS plan_id, p.status, p.status_date, s.evaluated_on, s.paid_cents,
       s.remaining_cents, s.missed_count, s.days_past_due,
       (SELECT i.due_on FROM installments i WHERE i.plan_id = p.id AND i.status <> 'paid'
        ORDER BY i.number LIMIT 1) AS next_due,
       (SELECT i.amount_cents - i.paid_cents FROM installments i
        WHERE i.plan_id = p.id AND i.status <> 'paid' ORDER BY i.number LIMIT 1) AS next_cents
FROM plans p LEFT JOIN plan_state s ON s.plan_id = p.id
"""


def _cents(cents: int | None, currency: str) -> str | None:
    from arrears import Money

    return None if cents is None else _money(Money.from_minor(int(cents), currency))


@plan.command("list")
@click.option("--status", type=click.Choice(PLAN_STATUSES), help="Status at the last evaluation.")
@click.option("--account", "account_id", help="Plans covering this account.")
@pass_ctx
@run
def plan_list(ctx: Ctx, status: str | None, account_id: str | None) -> None:
    """Stored plans with their status at the last evaluation (`plan evaluate`)."""
    with ctx.store() as s:
        plans = s.plans(account_id=account_id, status=status)
        state = {r["plan_id"]: r for r in s.query(_PLAN_STATE_SQL).to_pylist()}
    rows = []
    for p in plans:
        st = state.get(p.plan_id, {})
        terminal = st.get("status") in ("broken", "completed", "cancelled")
        rows.append(
            {
                "plan_id": p.plan_id,
                "kind": p.kind,
                "debtor_id": p.debtor_id,
                "accounts": ",".join(a for a, _ in p.accounts),
                "plan_date": p.plan_date.isoformat(),
                "total": _money(p.total),
                "paid": _cents(st.get("paid_cents"), p.currency) or "0.00",
                "status": st.get("status"),
                "next_due": None if terminal else st.get("next_due"),
                "next_amount": None if terminal else _cents(st.get("next_cents"), p.currency),
                "evaluated_on": st.get("evaluated_on"),
            }
        )
    import pandas as pd

    frame = pd.DataFrame(rows, columns=PLAN_LIST_COLUMNS)
    emit(ctx, frame.fillna("-") if ctx.fmt == "text" else frame, f"{len(rows)} plans")


@plan.command("show")
@click.argument("plan_id")
@pass_ctx
@run
def plan_show(ctx: Ctx, plan_id: str) -> None:
    """One plan: its terms, and each installment and event as of --as-of (computed from the
    ledgers' payments; nothing is stored: `plan evaluate` stores it)."""
    with ctx.store() as s:
        p = s.plan(plan_id)
        if ctx.as_of < p.plan_date:
            raise ValidationError(
                f"--as-of: {ctx.as_of} is before the plan date {p.plan_date} of {plan_id!r}"
            )
        stored = s.query("SELECT status FROM plans WHERE id = ?", [plan_id]).to_pylist()
        ev = p.evaluate(s.plan_payments(plan_id, ctx.as_of), ctx.as_of)
    summary = _plan_summary(p)
    summary.update(
        {
            "as_of": ctx.as_of.isoformat(),
            "status": ev.status,
            "status_date": ev.status_date.isoformat() if ev.status_date else None,
            "stored_status": stored[0]["status"] if stored else None,
            "paid": _money(ev.paid),
            "remaining": _money(ev.remaining),
            "balance_remaining": _money(ev.balance_remaining),
            "missed_count": ev.missed_count,
            "days_past_due": ev.days_past_due,
        }
    )
    installments = [
        {
            "number": i.number,
            "due": i.due.isoformat(),
            "amount": _money(i.amount),
            "paid": _money(i.paid),
            "status": i.status,
            "paid_on": i.paid_on.isoformat() if i.paid_on else None,
            "days_late": i.days_late,
        }
        for i in ev.installments
    ]
    events = [
        {
            "type": e.type,
            "date": e.date.isoformat(),
            "installment": e.installment,
            "amount": _money(e.amount),
            "detail": e.detail,
        }
        for e in ev.events
    ]
    if ctx.fmt == "json":
        click.echo(
            json.dumps({**summary, "installments": installments, "events": events}, indent=2)
        )
    elif ctx.fmt == "csv":
        emit(ctx, installments)
    else:
        emit(ctx, _for_text(ctx, summary), f"plan {plan_id}")
        click.echo("")
        emit(ctx, [_for_text(ctx, i) for i in installments], "installments")
        click.echo("")
        emit(ctx, events, "events")


def _readable(ctx: Ctx, frame: Any) -> Any:
    """Dates as YYYY-MM-DD, integer columns with gaps as integers (not floats), and for people
    blanks instead of NaN."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%d").astype(object)
        elif pd.api.types.is_float_dtype(values) and column.endswith(("_cents", "installment")):
            out[column] = values.astype("Int64")
        if ctx.fmt == "text" and out[column].isna().any():
            out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out


@plan.command("evaluate")
@click.option("--plan", "plan_ids", multiple=True, help="Only this plan (repeatable).")
@pass_ctx
@run
def plan_evaluate(ctx: Ctx, plan_ids: tuple[str, ...]) -> None:
    """Evaluate the open plans as of --as-of against the ledgers and store the outcome; prints the
    new events (kept, missed, broken, completed, settlement_discount ...)."""
    with ctx.store() as s:
        for pid in plan_ids:
            if not s.has_plan(pid):
                raise ValidationError(f"--plan: no plan {pid!r} in the store")
        events = s.evaluate_plans(
            ctx.as_of,
            plan_ids=list(plan_ids) or None,
            threads=ctx.config.threads,
            progress=ctx.progress,
        ).to_pandas()
        counts = s.query(
            "SELECT status, count(*) AS plans FROM plans GROUP BY status ORDER BY status"
        ).to_pylist()
    emit(ctx, _readable(ctx, events), f"plan events as of {ctx.as_of} ({len(events)} new)")
    if ctx.fmt == "text":
        click.echo("")
        emit(ctx, counts, "plans by status")


@plan.command("cancel")
@click.argument("plan_id")
@click.option("--on", "on", **DATE, help="The cancellation date (default --as-of).")
@pass_ctx
@run
def plan_cancel(ctx: Ctx, plan_id: str, on: dt.date | None) -> None:
    """Cancel a plan (recorded now; its accounts leave the plan at the next evaluation, which
    runs at once when the date is not after --as-of)."""
    from arrears.errors import ConflictError

    day = on or ctx.as_of
    with ctx.store() as s:
        p = s.plan(plan_id)
        stored = s.query("SELECT status, status_date FROM plans WHERE id = ?", [plan_id])
        row = stored.to_pylist()[0]
        if p.cancelled_on is not None or row["status"] in ("broken", "completed", "cancelled"):
            since = p.cancelled_on or row["status_date"]
            state = "cancelled" if p.cancelled_on is not None else row["status"]
            raise ConflictError(
                f"plan {plan_id!r}: already {state} (on {since}); nothing to cancel"
            )
        s.save_plan(p.cancel(day))
        if day <= ctx.as_of:
            s.evaluate_plans(ctx.as_of, plan_ids=[plan_id], threads=ctx.config.threads)
        status = s.query("SELECT status FROM plans WHERE id = ?", [plan_id]).to_pylist()
    emit(
        ctx,
        {"plan_id": plan_id, "cancelled_on": day.isoformat(), "status": status[0]["status"]},
        f"plan {plan_id} cancelled",
    )


# Override options of `metro2 export`: one per [metro2] setting that is text.
_METRO2_OPTIONS = (
    "identification_number",
    "reporter_name",
    "reporter_address",
    "reporter_telephone_number",
    "equifax_program_identifier",
    "experian_program_identifier",
    "transunion_program_identifier",
    "innovis_program_identifier",
    "account_type",
    "portfolio_type",
    "cycle_identifier",
    "rounding",
)


def _metro2_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for key in reversed(_METRO2_OPTIONS):
        flag = "--" + key.replace("_", "-")
        fn = click.option(flag, key, help=f"Overrides metro2.{key} of the config.")(fn)
    return fn


@main.group()
def metro2() -> None:
    """Metro 2 credit reporting: the monthly file and its validation (docs/metro2.md)."""


@metro2.command("export")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    required=True,
    help="The file to write (never overwritten when recorded).",
)
@click.option(
    "--no-record", is_flag=True, help="A dry run: write the file but record no submission."
)
@_metro2_options
@pass_ctx
@run
def metro2_export(ctx: Ctx, out: str, no_record: bool, **overrides: str | None) -> None:
    """Write the Metro 2 file for the reporting date --as-of from the store and record what was
    reported for each account. Settings from the config's [metro2] table; options override."""
    from collections import Counter

    from arrears.metro2 import header_and_profile, monthly_file

    given = {k: v for k, v in overrides.items() if v is not None}
    settings = {**ctx.config.metro2, **given}
    try:
        header, profile = header_and_profile(settings, ctx.as_of)
    except ValidationError as exc:
        text = str(exc)
        key = text.split(":", 1)[0].removeprefix("metro2.")
        if key in given:
            raise ValidationError(f"--{key.replace('_', '-')}: {text}") from exc
        raise ValidationError(f"{ctx.config.source or 'config'}: {text}") from exc
    with ctx.store() as s:
        f = monthly_file(
            s,
            ctx.as_of,
            header,
            profile,
            path=None if no_record else out,
            record=not no_record,
            threads=ctx.config.threads,
            progress=ctx.progress,
        )
    if no_record:
        tmp = pathlib.Path(out).with_name(f".{pathlib.Path(out).name}.partial-{os.getpid()}")
        tmp.write_bytes(f.text.encode("ascii"))
        os.replace(tmp, out)
    reasons = Counter(e.code for e in f.excluded)
    result: dict[str, Any] = {
        "as_of": ctx.as_of.isoformat(),
        "path": out,
        "sha256": f.sha256,
        "submission_id": f.submission_id,
        "recorded": not no_record,
        "reported": len(f.reported),
        "excluded": len(f.excluded),
    }
    if ctx.fmt == "json":
        result["excluded_by_reason"] = dict(sorted(reasons.items()))
        result["excluded_accounts"] = [e._asdict() for e in f.excluded]
        emit(ctx, result)
        return
    emit(ctx, result, f"metro2 file for {ctx.as_of}" + ("" if f.submission_id else " (dry run)"))
    if ctx.fmt == "text" and reasons:
        click.echo("excluded by reason:")
        for code, n in reasons.most_common():
            click.echo(f"  {code}: {n}")


@metro2.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_ctx
@run
def metro2_validate(ctx: Ctx, file: str) -> None:
    """Read a Metro 2 file (character format) and report every problem with its line; exit 1 when
    there is any."""
    from collections import Counter

    from arrears.metro2 import parse

    try:
        data = pathlib.Path(file).read_bytes()
    except OSError as exc:
        _fail(f"{file}: cannot read: {exc.strerror}", EXIT_FAILURE)
    f = parse(data, threads=ctx.config.threads)
    statuses = Counter(r.base.account_status for r in f.records)
    problems = [
        {"line": p.line, "field": p.field, "code": p.code, "message": p.message} for p in f.problems
    ]
    result: dict[str, Any] = {
        "file": file,
        "header": f.header is not None,
        "trailer": f.trailer is not None,
        "records": len(f.records),
        "by_status": dict(sorted(statuses.items())),
        "problems": len(problems),
    }
    if ctx.fmt == "json":
        emit(ctx, {**result, "problems": problems})
    elif ctx.fmt == "csv":
        import pandas as pd

        frame = pd.DataFrame(problems, columns=["line", "field", "code", "message"])
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        emit(ctx, result, f"metro2 file {file}")
        if problems:
            click.echo("")
            emit(ctx, problems[:200], "problems")
            if len(problems) > 200:
                click.echo(f"  ... and {len(problems) - 200} more")
    if problems:
        sys.exit(EXIT_FAILURE)


if __name__ == "__main__":  # pragma: no cover
    main()
