"""`arrears metro2`: the monthly Metro 2 file and its check (registered on ``arrears.cli.main``)."""

from __future__ import annotations

import os
import pathlib
import sys
from collections.abc import Callable
from typing import Any

import click

from arrears.cli import (
    EXIT_FAILURE,
    Ctx,
    _fail,
    emit,
    main,
    pass_ctx,
    run,
)
from arrears.errors import ValidationError

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
        header, profile = header_and_profile(settings, ctx.as_of, ignore=("day",))
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
