"""`arrears campaign`: the letter campaigns of ``[[campaigns]]`` (``arrears.cli`` registers the
group)."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any

import click

from arrears.cli_context import COUNT, DATE, FOLDER, Ctx, Group, run
from arrears.cli_output import emit
from arrears.errors import ValidationError
from arrears.outputs import reconcile

# -- letter campaigns ------------------------------------------------------------------------------


def _campaign_spec(ctx: Ctx, name: str) -> dict[str, Any]:
    for spec in ctx.config.campaigns:
        if spec["name"] == name:
            if not ctx.config.collector:
                raise ValidationError("config: no [collector] (who the letters are from)")
            return spec
    known = ", ".join(c["name"] for c in ctx.config.campaigns) or "none configured"
    where = ctx.config.source or "the config"
    raise click.BadParameter(
        f"no campaign named {name!r} in [[campaigns]] of {where} ({known})", param_hint="NAME"
    )


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


@click.group(cls=Group)
def campaign() -> None:
    """Letter campaigns configured in [[campaigns]]: list, preview, run, history."""


@campaign.command("list")
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
@click.option("-n", "count", type=COUNT, default=1, show_default=True, help="Letters to show.")
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
    type=FOLDER,
    help="Parent folder (default <out_dir>/<date>/letters).",
)
@run
def campaign_run(ctx: Ctx, name: str, out_dir: str | None) -> None:
    """Send one configured campaign for --as-of now: write its folder, log its letters."""
    from arrears.workflows import run_campaign

    spec = _campaign_spec(ctx, name)
    ctx.require_extras([spec])
    folder = (
        pathlib.Path(out_dir)
        if out_dir
        else pathlib.Path(ctx.config.out_dir) / ctx.as_of.isoformat() / "letters"
    )
    with ctx.store() as s:
        reconcile(s, [folder], depth=0)  # what a crashed run of this command left
        result = run_campaign(
            s, ctx.as_of, spec, ctx.config.collector, folder, _segments(ctx, s, spec)
        )
    emit(ctx, {"campaign": f"{name}-{ctx.as_of.isoformat()}", **result}, f"campaign {name}")


@campaign.command("history")
@click.option("--since", type=DATE, help="Only campaigns on or after this date.")
@run
def campaign_history(ctx: Ctx, since: dt.date | None) -> None:
    """The campaigns logged in the store: letters sent and suppressed."""
    with ctx.store() as s:
        rows = s.query(
            "SELECT id AS campaign, template, channel, as_of, letters, suppressed, "
            "suppressed_by_reason, created_at FROM campaigns WHERE as_of >= ? ORDER BY as_of, id",
            [since or dt.date(1900, 1, 1)],
        ).to_pylist()
    for row in rows:  # stored as JSON text: an object in --json, JSON text in CSV and tables
        row["suppressed_by_reason"] = json.loads(row["suppressed_by_reason"] or "{}")
    emit(ctx, rows, "campaigns logged")
