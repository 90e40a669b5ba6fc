"""What every ``arrears`` command shares: the global options, :class:`Ctx` (the config, the store
and the as-of date of one invocation), :func:`run` (errors as one line with the documented exit
code), and the parameter types that read dates, times, percentages, counts, amounts and files.

``arrears.cli`` defines the root group and registers the command groups of ``cli_plans``,
``cli_campaigns`` and ``cli_metro2``; all of them import this module (and ``cli_output``), none
imports ``arrears.cli``.

The contract (docs/automation.md): global options go before or after the command (``arrears
--db x.db age`` or ``arrears age --db x.db``); a usage error (a bad option value, a missing file,
an unknown id, a configuration error, a missing optional extra) is one line on stderr naming the
option and the value, exit 2, before anything is written; a failure is one line, exit 1; a run
that finished with rejected records exits 3. ``--debug`` shows tracebacks instead.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import importlib
import importlib.metadata
import importlib.util
import math
import os
import pathlib
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, overload

import click

from arrears.errors import Error, StorageError, ValidationError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_REJECTED = 3
EXIT_INTERRUPTED = 130

_SQLITE_NOTADB = 26  # SQLite's result code for "file is not a database"

_OPTIONS = "arrears.options"  # the global options given so far, in the root context's meta
_CTX = "arrears.ctx"


def fail(message: str, code: int) -> NoReturn:
    """Prints ``arrears: error: <message>`` as one line on stderr and exits with ``code``."""
    click.echo(f"arrears: error: {one_line(message)}", err=True)
    sys.exit(code)


def one_line(text: str) -> str:
    return "; ".join(part.strip() for part in str(text).splitlines() if part.strip())


# -- parameter types: one reader per kind of value -----------------------------------------------

if TYPE_CHECKING:
    _Param = click.ParamType[Any, Any]  # generic in click 8.2+
else:
    _Param = click.ParamType

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class DateParam(_Param):
    """A calendar date written YYYY-MM-DD."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if not _DATE.fullmatch(text):
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            self.fail(f"{value!r} is not a date ({exc})", param, ctx)


class TimeParam(_Param):
    """A time of day written HH:MM (24 hours)."""

    name = "time"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.time):
            return value
        m = _TIME.fullmatch(str(value).strip())
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            self.fail(f"{value!r} is not a time of day (HH:MM, 00:00 to 23:59)", param, ctx)
        return dt.time(int(m[1]), int(m[2]))


class PercentParam(_Param):
    """A share in percent: more than 0, at most 100."""

    name = "percent"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "PERCENT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not (0 < number <= 100):
            self.fail(f"{value!r} is not a percentage (more than 0, at most 100)", param, ctx)
        return number


class AmountParam(_Param):
    """A positive amount as a decimal string, read by arrears.Money (never a float)."""

    name = "amount"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "AMOUNT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from decimal import Decimal, InvalidOperation

        from arrears import Money

        text = str(value).strip()
        try:
            Decimal(text)
            money = Money(text)
        except (InvalidOperation, ValueError, Error):
            self.fail(f"{value!r} is not an amount (a decimal such as 125.50)", param, ctx)
        if money.minor <= 0:
            self.fail(f"{value!r} must be more than zero", param, ctx)
        return text


class CurrencyParam(_Param):
    """An ISO 4217 currency code arrears knows."""

    name = "currency"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from arrears._core.money import known_currencies

        text = str(value).strip()
        if text not in known_currencies():
            self.fail(f"{value!r} is not an ISO 4217 currency code arrears knows", param, ctx)
        return text


class ColumnMapParam(_Param):
    """``your_column=field``: a column of an import file read as an arrears field."""

    name = "column_map"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "COLUMN=FIELD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        src, sep, dst = str(value).partition("=")
        if not sep or not src.strip() or not dst.strip():
            self.fail(f"{value!r} is not COLUMN=FIELD", param, ctx)
        return (src.strip(), dst.strip())


class OutputFile(click.Path):
    """A file to write: not a folder, its folder exists, and it ends in ``suffix`` if given."""

    def __init__(self, suffix: str | None = None) -> None:
        super().__init__(dir_okay=False)
        self.suffix = suffix

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        name = pathlib.Path(os.fsdecode(path))
        if not name.parent.is_dir():
            self.fail(f"{str(name)!r}: there is no folder {str(name.parent)!r}", param, ctx)
        if self.suffix and name.suffix.lower() != self.suffix:
            self.fail(f"{str(name)!r} does not end in {self.suffix}", param, ctx)
        return path


DATE = DateParam()
TIME = TimeParam()
PERCENT = PercentParam()
AMOUNT = AmountParam()
CURRENCY = CurrencyParam()
COLUMN_MAP = ColumnMapParam()
COUNT = click.IntRange(min=1)  # a positive whole number
INPUT_FILE = click.Path(exists=True, dir_okay=False)
OUTPUT_FILE = OutputFile()
PNG_FILE = OutputFile(".png")
FOLDER = click.Path(file_okay=False)


# -- global options ------------------------------------------------------------------------------


class GlobalOption(click.Option):
    """An option every command takes, before or after its name; the value given last wins."""

    def __init__(self, decls: Sequence[str], **kwargs: Any) -> None:
        super().__init__(decls, expose_value=False, callback=_remember, **kwargs)


def _remember(click_ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    source = click_ctx.get_parameter_source(str(param.name))
    if value is None or source in (None, click.core.ParameterSource.DEFAULT):
        return value
    given = click_ctx.find_root().meta.setdefault(_OPTIONS, {})
    if param.name in ("json", "csv"):
        other = "csv" if param.name == "json" else "json"
        if given.get("fmt") == other:
            raise click.UsageError("--json and --csv: give one output format, not both")
        given["fmt"] = param.name
    else:
        given[str(param.name)] = value
    return value


def _global_params() -> list[click.Parameter]:
    return [
        GlobalOption(
            ["--db"],
            metavar="PATH",
            help="The store (default $ARREARS_DB, else [store] path of the config, else "
            "./arrears.db).",
        ),
        GlobalOption(
            ["--config"],
            type=click.Path(exists=True, dir_okay=False),
            metavar="FILE",
            help="A TOML config (default ./arrears.toml if present).",
        ),
        GlobalOption(["--as-of", "as_of"], type=DATE, help="The as-of date (default today)."),
        GlobalOption(["--json"], is_flag=True, help="Print JSON Lines (one object per line)."),
        GlobalOption(["--csv"], is_flag=True, help="Print CSV."),
        GlobalOption(
            ["--actor"], metavar="NAME", help="Who the audit log names (default from the config)."
        ),
        GlobalOption(
            ["--progress/--no-progress"], default=None, help="Progress bars (default: on a tty)."
        ),
        GlobalOption(["--debug"], is_flag=True, help="Show tracebacks."),
    ]


def given_options(click_ctx: click.Context) -> dict[str, Any]:
    """The global options given on the command line so far (before and after the command)."""
    options: dict[str, Any] = click_ctx.find_root().meta.setdefault(_OPTIONS, {})
    return options


class _HelpSections:
    """--help lists a command's own options, then the global ones."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        own: list[tuple[str, str]] = []
        common: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is not None:
                (common if isinstance(param, GlobalOption) else own).append(record)
        if own:
            with formatter.section("Options"):
                formatter.write_dl(own)
        if common:
            with formatter.section("Global options (before or after the command)"):
                formatter.write_dl(common)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class Command(_HelpSections, click.Command):
    """An arrears command: its own options plus the global ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_global_params())


# Click 8.2+ raises this for a group without its subcommand (8.1 printed the help and exited 0).
_NO_ARGS_IS_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())


class Group(_HelpSections, click.Group):
    """An arrears command group: the global options, subcommands of the same kinds, and usage
    errors printed as one line (exit 2) instead of click's usage block."""

    command_class = Command
    group_class = type  # subgroups are Groups too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_global_params())

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except _NO_ARGS_IS_HELP as exc:  # `arrears plan`: its help
            click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
            sys.exit(EXIT_OK)
        except click.ClickException as exc:
            fail(usage_message(exc), exc.exit_code)
        except click.exceptions.Abort:
            fail("interrupted", EXIT_INTERRUPTED)
        except OSError as exc:
            if exc.errno != errno.EPIPE:  # `arrears ... | head` closed the pipe: not an error
                raise
            # Python flushes stdout again at exit: let that go nowhere (Python docs, "Note on
            # SIGPIPE").
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_FAILURE)
        sys.exit(rv if isinstance(rv, int) else EXIT_OK)


def _param_name(param: click.Parameter | None) -> str | None:
    if param is None:
        return None
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name


def usage_message(exc: click.ClickException) -> str:
    """A click error as one line that starts with the option it is about."""
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
        hint = exc.param_hint
        name = (
            hint if isinstance(hint, str) else " / ".join(hint) if hint else _param_name(exc.param)
        )
        return one_line(f"{name}: {exc.message}" if name else exc.message)
    return one_line(exc.format_message())


# -- the context of one invocation ---------------------------------------------------------------


class Ctx:
    """The config, the store path, the as-of date and the output format of one command."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        from arrears.config import load_config

        config = options.get("config")
        path = config or ("arrears.toml" if os.path.exists("arrears.toml") else None)
        self.config = load_config(path)
        self.db: str = (
            options.get("db")
            or os.environ.get("ARREARS_DB")
            or (self.config.store_path if path else "arrears.db")
        )
        self.as_of: dt.date = options.get("as_of") or dt.date.today()
        self.fmt: str = options.get("fmt", "text")
        self.debug = bool(options.get("debug"))
        self.actor: str = options.get("actor") or self.config.actor
        self.progress: bool | None = options.get("progress")
        self.currency = "USD"  # of amounts without a currency column; the store's once opened

    def store(self, create: bool = False) -> Any:
        from arrears.store import Store

        if not create and self.db != ":memory:" and not os.path.exists(self.db):
            raise ValidationError(
                f"--db: no store at {self.db!r} (create one with `arrears init --db {self.db}`)"
            )
        folder = pathlib.Path(self.db).parent
        if create and self.db != ":memory:" and not folder.is_dir():
            raise ValidationError(f"--db: there is no folder {str(folder)!r} for {self.db!r}")
        try:
            store = Store(self.db, actor=self.actor)
        except StorageError as exc:
            if exc.code & 0xFF != _SQLITE_NOTADB:
                raise
            raise ValidationError(f"--db: {self.db!r} is not an arrears store ({exc})") from exc
        rows = store.query("SELECT currency FROM accounts LIMIT 1").to_pylist()
        if rows:
            self.currency = rows[0]["currency"]
        return store

    def require_extras(self, campaigns: Iterable[Mapping[str, Any]]) -> None:
        """Refuses (exit 2, before anything is written) campaigns that need a missing extra."""
        for spec in campaigns:
            if spec.get("pdf"):
                require_extra("pdf", f"campaign {spec.get('name')!r}: pdf = true")


def current(click_ctx: click.Context | None = None) -> Ctx:
    """The :class:`Ctx` of this invocation, made once all global options are read."""
    click_ctx = click_ctx or click.get_current_context()
    meta = click_ctx.find_root().meta
    if _CTX not in meta:
        meta[_CTX] = Ctx(given_options(click_ctx))
    ctx: Ctx = meta[_CTX]
    return ctx


# -- dependencies --------------------------------------------------------------------------------

# Optional extras (pyproject.toml) -> the module that provides them.
EXTRAS = {"pdf": "weasyprint", "spark": "pyspark"}


class MissingDependency(click.UsageError):
    """An extra or a dependency is not installed: exit 2, before anything is written."""


def require_extra(extra: str, what: str) -> None:
    module = EXTRAS[extra]
    try:
        importlib.import_module(module)
    except (ImportError, OSError) as exc:
        reason = one_line(str(exc)).split(";")[0]
        raise MissingDependency(
            f"{what} needs {module}, which does not load ({reason}): pip install 'arrears[{extra}]'"
        ) from exc


@functools.cache
def _base_requirements() -> tuple[tuple[str, str], ...]:
    """(module, requirement) of each base dependency, from the installed package's metadata."""
    try:
        requires = importlib.metadata.requires("arrears") or []
    except importlib.metadata.PackageNotFoundError:  # run from a source tree: nothing to check
        return ()
    found = []
    for requirement in requires:
        if ";" in requirement:  # an extra's, or one for other Python versions
            continue
        name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        if name:
            found.append((name[0].lower().replace("-", "_"), requirement.strip()))
    return tuple(found)


def require_dependencies() -> None:
    """Every base dependency is installed (checked before a command starts, so none is found
    missing after a step was committed)."""
    for module, requirement in _base_requirements():
        if importlib.util.find_spec(module) is None:
            raise MissingDependency(
                f"{module} is not installed and arrears needs it: pip install '{requirement}'"
            )


# -- running a command ---------------------------------------------------------------------------


def option_error(exc: ValidationError, options: Mapping[str, str]) -> click.BadParameter | None:
    """An engine error about a field ("by: 'x' is not ...") as a usage error of the option that
    set it (``options`` maps field -> option), or None when no option set that field."""
    text = str(exc)
    field = text.split(":", 1)[0].strip()
    for name in (field, field.split("[", 1)[0]):
        if name in options:
            option = options[name]
            if option.lstrip("-") == name.replace("_", "-"):
                text = text.split(":", 1)[1].strip()  # "--by: by: ..." says it twice
            return click.BadParameter(text, param_hint=option)
    return None


def _is_config_error(exc: Exception) -> bool:
    text = str(exc)
    return text.startswith(("config:", "--")) or ".toml" in text.split(":", 1)[0]


@overload
def run(fn: Callable[..., Any]) -> Callable[..., Any]: ...
@overload
def run(
    *, options: Mapping[str, str] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]: ...
def run(fn: Callable[..., Any] | None = None, *, options: Mapping[str, str] | None = None) -> Any:
    """Decorates a command body ``fn(ctx, **params)``: passes the :class:`Ctx`, checks the base
    dependencies, and turns errors into one line and the documented exit code. ``options`` maps
    fields named in ValidationErrors to the options that set them (those are usage errors)."""

    def decorate(body: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(body)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            click_ctx = click.get_current_context()
            debug = bool(given_options(click_ctx).get("debug"))
            try:
                require_dependencies()
                return body(current(click_ctx), *args, **kwargs)
            except click.ClickException:
                raise
            except ValidationError as exc:
                if debug:
                    raise
                usage = option_error(exc, options or {})
                if usage is not None:
                    raise usage from exc
                fail(str(exc), EXIT_USAGE if _is_config_error(exc) else EXIT_FAILURE)
            except Error as exc:
                if debug:
                    raise
                fail(str(exc), EXIT_FAILURE)
            except OSError as exc:
                if debug:
                    raise
                where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
                fail(f"{where}{exc.strerror or exc}", EXIT_FAILURE)
            except KeyError as exc:
                if debug:
                    raise
                fail(str(exc), EXIT_FAILURE)

        return wrapper

    return decorate(fn) if fn is not None else decorate
