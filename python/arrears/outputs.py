"""Writing files: the one way every arrears step writes its outputs.

Letters, Metro 2 files, worklists, reports, plan events, a run's summary, exports: each is an
:class:`Output`, written in five moves (docs/development.md, "Writing files"):

1. **stage** — the files are written into a private staging folder beside where they go,
   ``<folder>/.arrears-staging/<owner>/`` (folders 0700, files 0600, narrowed by the umask);
2. **intent** — the output (key, folder, staging folder, each entry with its size and SHA-256)
   is recorded in the store (``outputs``, state ``committed``) *in the same transaction as the
   records it stands for*: the letters of a campaign, a Metro 2 submission, a nightly step;
3. **commit** — the transaction commits the records and the intent together, or neither;
4. **publish** — each entry is renamed into place (atomic on one file system), then the intent
   is marked ``published`` and the staging folder removed;
5. **reconcile** (:func:`reconcile`, before a run writes again) — an intent still ``committed``
   is published (the crash came after the commit), and a staging folder that no committed
   intent owns and whose process is gone is removed (the crash came before it: its records
   were rolled back, so the run does it again).

So a file appears only once its records are committed, never twice, and a crash at any moment
leaves nothing the next run cannot finish. ``ARREARS_CRASH_AT`` is the test hook: a pattern
(``fnmatch``) of ``<key>:<point>`` (points ``staged``, ``recorded``, ``committed``,
``publishing``, ``published``) at which the process ends at once with exit status 86.

Every CSV goes through :func:`csv_text`, the core's one CSV writer (cells a spreadsheet would
run as formulas are neutralized; docs/letter-campaigns.md, "CSV files and spreadsheets").
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arrears._core.table import csv_text as _csv_text
from arrears.errors import ConflictError, ValidationError

if TYPE_CHECKING:
    import pandas as pd

    from arrears.store import Store

__all__ = [
    "CRASH_ENV",
    "CRASH_EXIT",
    "STAGING",
    "Output",
    "csv_text",
    "reconcile",
    "write_csv_file",
    "write_file",
]

_log = logging.getLogger("arrears")

CRASH_ENV = "ARREARS_CRASH_AT"
CRASH_EXIT = 86
STAGING = ".arrears-staging"
POINTS = ("staged", "recorded", "committed", "publishing", "published")

# Staging folders of this process that are still being written (never reconciled away).
_ACTIVE: set[str] = set()
_LEGACY_PARTIAL = re.compile(r"^\..+\.partial-(\d+)$")


def crash_point(key: str, point: str) -> None:
    """The test hook: ends the process at once (``os._exit``, as ``kill -9`` would, no cleanup)
    when ``ARREARS_CRASH_AT`` matches ``<key>:<point>``."""
    pattern = os.environ.get(CRASH_ENV)
    if pattern and fnmatch.fnmatchcase(f"{key}:{point}", pattern):
        os._exit(CRASH_EXIT)


# -- owners of staging folders ------------------------------------------------------------------


def _start_time(pid: int) -> str:
    """The process' start time in clock ticks since boot (Linux), so a pid reused by another
    process is told apart; "0" where /proc is not available."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read().decode("ascii", "replace")
    except OSError:
        return "0"
    fields = text[text.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else "0"


def _owner_token() -> str:
    own = f"{os.getpid()}-{_start_time(os.getpid())}"
    return f"{own}-{secrets.token_hex(4)}"


def _pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs (ours included)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_alive(token: str) -> bool:
    """Whether the process that made a staging folder (``<pid>-<start>-<random>``) still runs."""
    parts = token.split("-")
    if len(parts) != 3 or not parts[0].isdigit():
        return False
    pid, start = int(parts[0]), parts[1]
    if pid == os.getpid() and start == _start_time(pid):
        return token in _ACTIVE
    if os.path.exists("/proc/self/stat"):
        return start != "0" and _start_time(pid) == start
    return _pid_alive(pid)


# -- modes ----------------------------------------------------------------------------------------


def _mkdir_private(path: Path) -> None:
    """Creates ``path`` and its missing parents 0700 (narrowed by the umask)."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir(mode=0o700)


def _seal(root: Path, dir_mode: int) -> None:
    """Every file under ``root`` 0600, every folder 0700, both narrowed as the umask narrowed
    ``dir_mode`` (the staging folder's own mode): files written by other libraries (pandas,
    pyarrow, matplotlib) into the private staging folder get the same modes as ours."""
    file_mode = dir_mode & 0o666
    for here, dirs, files in os.walk(root):
        for d in dirs:
            p = os.path.join(here, d)
            if stat.S_IMODE(os.lstat(p).st_mode) != dir_mode:
                os.chmod(p, dir_mode)
        for name in files:
            p = os.path.join(here, name)
            if stat.S_IMODE(os.lstat(p).st_mode) != file_mode:
                os.chmod(p, file_mode)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB pieces."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _relative(rel: str | os.PathLike[str]) -> str:
    p = Path(rel)
    if not str(rel) or p.is_absolute() or ".." in p.parts or p.parts[:1] == (STAGING,):
        raise ValidationError(f"path: {str(rel)!r} must be a relative path inside the folder")
    return p.as_posix()


# -- one output -----------------------------------------------------------------------------------


class Output:
    """One output of a step: entries (files or folders) published into ``folder``.

    ``key`` names it in the store (``nightly/2026-11-23/strategy``, ``campaign/<name>``,
    ``metro2/<id>/<date>``): one output per key, unless ``replace`` (an output every run
    rewrites, such as a summary or an export; its entries replace what is there). Write the
    entries with :meth:`file` / :meth:`directory` (paths into the staging folder) or
    :meth:`write_bytes`, :meth:`write_text`, :meth:`write_json`, :meth:`write_csv`; then
    :meth:`commit` inside the store's write transaction that records what the output stands for
    (the files are published when that transaction commits, removed if it rolls back). Without a
    store, :meth:`commit` publishes at once (atomically, privately; nothing to reconcile with).
    """

    def __init__(
        self,
        folder: str | os.PathLike[str],
        key: str,
        *,
        store: Store | None = None,
        replace: bool = False,
    ) -> None:
        if not isinstance(key, str) or not key:
            raise ValidationError(f"key: {key!r} must be non-empty text")
        self.folder = Path(os.path.abspath(folder))
        self.key = key
        self.replace = replace
        self._store = store
        self._token: str | None = None
        self._entries: dict[str, dict[str, Any]] = {}
        self._state = "open"
        self._recorded = False

    def __repr__(self) -> str:
        n = len(self._entries)
        return f"Output({self.key!r} -> {str(self.folder)!r}, {n} entries, {self._state})"

    # -- staging --

    @property
    def staging(self) -> Path:
        """The private staging folder (created on first use)."""
        if self._token is None:
            if self._state != "open":
                raise ConflictError(f"output {self.key!r}: already {self._state}")
            _mkdir_private(self.folder)
            base = self.folder / STAGING
            _mkdir_private(base)
            token = _owner_token()
            (base / token).mkdir(mode=0o700)
            _ACTIVE.add(token)
            self._token = token
        return self.folder / STAGING / self._token

    @property
    def entries(self) -> list[str]:
        return list(self._entries)

    def _declare(self, rel: str | os.PathLike[str], kind: str) -> tuple[str, Path]:
        if self._state != "open":
            raise ConflictError(f"output {self.key!r}: already {self._state}")
        name = _relative(rel)
        if name in self._entries:
            raise ValidationError(f"path: {name!r} is already an entry of output {self.key!r}")
        target = self.folder / name
        if not self.replace and (target.exists() or target.is_symlink()):
            raise ValidationError(
                f"path: {str(target)!r} exists; output {self.key!r} writes a new "
                f"{'folder' if kind == 'dir' else 'file'} (never over an existing one)"
            )
        staged = self.staging / name
        _mkdir_private(staged.parent)
        self._entries[name] = {"path": name, "type": kind, "replace": self.replace}
        return name, staged

    def file(self, rel: str | os.PathLike[str]) -> Path:
        """Declares the file entry ``rel`` and returns the staged path to write it to."""
        return self._declare(rel, "file")[1]

    def directory(self, rel: str | os.PathLike[str]) -> Path:
        """Declares the folder entry ``rel`` (published as one rename) and returns the staged
        folder, created empty."""
        _, staged = self._declare(rel, "dir")
        staged.mkdir(mode=0o700)
        return staged

    def write_bytes(
        self, rel: str | os.PathLike[str], data: bytes, sha256: str | None = None
    ) -> Path:
        """Writes the file entry ``rel`` (``sha256``: its hash when the caller has it)."""
        name, staged = self._declare(rel, "file")
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        digest = sha256 or hashlib.sha256(data).hexdigest()
        self._entries[name].update(bytes=len(data), sha256=digest)
        return staged

    def write_text(self, rel: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
        return self.write_bytes(rel, text.encode(encoding))

    def write_json(self, rel: str | os.PathLike[str], data: Any) -> Path:
        return self.write_text(rel, json.dumps(data, indent=2, default=str) + "\n")

    def write_csv(self, rel: str | os.PathLike[str], data: Any, **options: Any) -> Path:
        """Writes ``data`` (see :func:`csv_text`) as the CSV file ``rel``."""
        return self.write_text(rel, csv_text(data, **options))

    # -- commit and publish --

    def _describe(self) -> list[dict[str, Any]]:
        """Seals the modes and completes each entry's size and hash (files) or count (folders)."""
        if self._token is None:
            return []
        staging = self.staging
        _seal(staging, stat.S_IMODE(staging.stat().st_mode))
        out = []
        for name, entry in self._entries.items():
            p = staging / name
            if entry["type"] == "file":
                if not p.is_file():
                    raise ValidationError(f"output {self.key!r}: entry {name!r} was never written")
                if "sha256" not in entry:
                    entry.update(bytes=p.stat().st_size, sha256=sha256_file(p))
            else:
                files = [f for f in p.rglob("*") if f.is_file()]
                entry.update(files=len(files), bytes=sum(f.stat().st_size for f in files))
            out.append(dict(entry))
        return out

    def commit(self) -> None:
        """Records the intent with the open transaction's records and publishes after its
        commit (a transaction of its own when none is open); without a store, publishes now."""
        if self._state != "open":
            raise ConflictError(f"output {self.key!r}: already {self._state}")
        try:
            entries = self._describe()
        except BaseException:
            self.discard()
            raise
        crash_point(self.key, "staged")
        store = self._store
        if store is None:
            self._state = "committed"
            self._publish()
            return
        if not store.handle.in_transaction:
            with store.transaction():
                self._record(store, entries)
            return
        self._record(store, entries)

    def _record(self, store: Store, entries: list[dict[str, Any]]) -> None:
        try:
            if entries:
                store.handle.record_output(
                    self.key, str(self.folder), str(self.staging), json.dumps(entries), self.replace
                )
                self._recorded = True
        except BaseException:
            self.discard()
            raise
        crash_point(self.key, "recorded")
        self._state = "recorded"
        store._after_commit(self._after_commit, self.discard)

    def _after_commit(self) -> None:
        self._state = "committed"
        self._publish()

    def _publish(self) -> None:
        crash_point(self.key, "committed")
        entries = list(self._entries.values())
        staging = self.folder / STAGING / self._token if self._token else None
        for k, entry in enumerate(entries):
            assert staging is not None
            _move(staging / entry["path"], self.folder / entry["path"], entry)
            if k == 0:
                crash_point(self.key, "publishing")
        crash_point(self.key, "published")
        if self._recorded and self._store is not None:
            self._store.handle.mark_output_published(self.key)
        self._state = "published"
        self._cleanup()

    def discard(self) -> None:
        """Removes the staged files (the records they stood for were not committed)."""
        if self._state in ("published", "discarded"):
            return
        self._state = "discarded"
        self._cleanup()

    def _cleanup(self) -> None:
        if self._token is None:
            return
        shutil.rmtree(self.folder / STAGING / self._token, ignore_errors=True)
        _ACTIVE.discard(self._token)
        with contextlib.suppress(OSError):
            (self.folder / STAGING).rmdir()  # only when empty


def _move(src: Path, dst: Path, entry: Mapping[str, Any]) -> None:
    """Puts one staged entry in place; idempotent, so a publish cut short is finished later."""
    replace = bool(entry.get("replace"))
    if not src.exists() and not src.is_symlink():
        if dst.exists():
            return  # moved before the crash
        _log.warning("output entry %s: neither staged nor published (removed by hand?)", dst)
        return
    _mkdir_private(dst.parent)
    if entry["type"] == "file":
        if replace:
            os.replace(src, dst)
            return
        try:
            os.link(src, dst)  # never over an existing file
        except FileExistsError:
            if not os.path.samefile(src, dst):
                raise ConflictError(
                    f"output: {str(dst)!r} appeared while {str(src)!r} waited to be published; "
                    "move it away and run again"
                ) from None
        os.unlink(src)
        return
    if dst.exists() and replace:
        shutil.rmtree(dst)
    try:
        os.rename(src, dst)
    except OSError as exc:
        raise ConflictError(
            f"output: {str(dst)!r} exists; {str(src)!r} cannot be published there ({exc.strerror})"
        ) from exc


# -- after a crash ---------------------------------------------------------------------------------


def _walk(root: Path, depth: int) -> Iterator[os.DirEntry[str]]:
    """Every entry under ``root`` down to ``depth`` folders deep, without entering hidden
    folders (a staging folder is yielded, not entered)."""
    if not root.is_dir():
        return
    stack = [(root, 0)]
    while stack:
        here, level = stack.pop()
        try:
            children = list(os.scandir(here))
        except OSError:
            continue
        for e in children:
            yield e
            if level < depth and e.is_dir(follow_symlinks=False) and not e.name.startswith("."):
                stack.append((Path(e.path), level + 1))


def _staging_folders(root: Path, depth: int) -> Iterator[Path]:
    return (Path(e.path) for e in _walk(root, depth) if e.name == STAGING and e.is_dir())


def _legacy_partials(root: Path, depth: int) -> Iterator[Path]:
    """``.<name>.partial-<pid>`` files and folders of arrears before the output protocol."""
    return (Path(e.path) for e in _walk(root, depth) if _LEGACY_PARTIAL.match(e.name))


def reconcile(
    store: Store, folders: Sequence[str | os.PathLike[str]] = (), *, depth: int = 3
) -> dict[str, int]:
    """Finishes what a crash interrupted. Every output the store committed and did not publish
    is published (unless the process that committed it still runs); then, under each of
    ``folders`` (``depth`` levels down), each staging folder that no committed output owns and
    whose process is gone is removed, with the ``.partial-<pid>`` leftovers of arrears before
    this protocol. Returns the counts (``published``, ``removed``)."""
    published = removed = 0
    pending = store.query(
        "SELECT key, folder, staging, entries, state FROM outputs WHERE state = 'committed' "
        "ORDER BY committed_at, key"
    ).to_pylist()
    owned: set[str] = set()
    for row in pending:
        staging = Path(row["staging"])
        owned.add(os.path.abspath(staging))
        if _owner_alive(staging.name):
            continue  # its own process is publishing it right now
        folder = Path(row["folder"])
        for entry in json.loads(row["entries"]):
            _move(staging / entry["path"], folder / entry["path"], entry)
        store.handle.mark_output_published(row["key"])
        shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(OSError):
            staging.parent.rmdir()
        published += 1
    for where in folders:
        root = Path(os.path.abspath(where))
        for base in _staging_folders(root, depth):
            for child in list(base.iterdir()):
                if os.path.abspath(child) in owned or _owner_alive(child.name):
                    continue
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()
                removed += 1
            with contextlib.suppress(OSError):
                base.rmdir()
        for leftover in _legacy_partials(root, depth):
            pid = int(_LEGACY_PARTIAL.match(leftover.name).group(1))  # type: ignore[union-attr]
            if _pid_alive(pid):
                continue
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
            removed += 1
    if published or removed:
        _log.info(
            "outputs: %d published after a crash, %d staged leftovers removed", published, removed
        )
    return {"published": published, "removed": removed}


# -- single files ---------------------------------------------------------------------------------


def write_file(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Writes one file that stands for no stored records (an export, a chart, a dry-run Metro 2
    file): staged privately, then renamed over ``path`` (atomically; a file there is replaced)."""
    target = Path(os.path.abspath(path))
    out = Output(target.parent, f"file/{target.name}", replace=True)
    if isinstance(data, str):
        out.write_text(target.name, data)
    else:
        out.write_bytes(target.name, data)
    out.commit()
    return target


def write_csv_file(path: str | os.PathLike[str], data: Any, **options: Any) -> Path:
    """:func:`write_file` of :func:`csv_text`."""
    return write_file(path, csv_text(data, **options))


@contextlib.contextmanager
def staged_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A staged path for a library that writes files itself (matplotlib, pyarrow): the file is
    published over ``path`` when the block ends, removed when it raises."""
    target = Path(os.path.abspath(path))
    out = Output(target.parent, f"file/{target.name}", replace=True)
    staged = out.file(target.name)
    try:
        yield staged
    except BaseException:
        out.discard()
        raise
    out.commit()


# -- CSV ------------------------------------------------------------------------------------------


def _texts(values: pd.Series) -> tuple[list[str | None], bool]:
    """A column's cells as text (as pandas' to_csv writes them) and whether it is numeric."""
    import pandas as pd
    from pandas.api import types

    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    missing = values.isna().to_numpy()
    if types.is_bool_dtype(values.dtype):
        cells: list[Any] = ["True" if v else "False" for v in values.astype(object).tolist()]
        numeric = False
    elif types.is_datetime64_any_dtype(values.dtype):
        # As pandas writes them: a column of midnights as dates, else the instant as text.
        known = values.dropna()
        if getattr(values.dt, "tz", None) is None and bool((known == known.dt.normalize()).all()):
            cells = values.dt.strftime("%Y-%m-%d").tolist()
        else:
            cells = values.astype(str).tolist()
        numeric = False
    elif types.is_numeric_dtype(values.dtype):
        cells = (
            values.astype(object).map(str).tolist()
            if missing.any()
            else values.astype(str).tolist()
        )
        numeric = True
    else:
        cells = [
            v if v is None or type(v) is str else _text(v) for v in values.astype(object).tolist()
        ]
        numeric = False
    if missing.any():
        cells = [None if m else c for c, m in zip(cells, missing.tolist(), strict=True)]
    return cells, numeric


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def csv_text(data: Any, *, newline: str = "\n", quote_text: bool = False) -> str:
    """CSV text (a header line, one line per row) of a DataFrame, rows (dicts) or anything
    Arrow (an ``arrears.Table``, pyarrow), written by the core's one CSV writer
    (``_core.table.csv_text``): numeric columns as they are, every other cell a spreadsheet
    would run as a formula (starting with ``= + - @``, a tab or a carriage return, and not a
    plain number such as ``-12.50``) with a leading apostrophe; cells quoted when needed (or
    every text cell with ``quote_text``). Missing values are empty."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        frame = data
    elif isinstance(data, list):
        frame = pd.DataFrame(data)
    else:
        import pyarrow as pa

        frame = pa.table(data).to_pandas()
    header = [str(c) for c in frame.columns]
    columns: list[list[str | None]] = []
    numeric: list[bool] = []
    for k in range(frame.shape[1]):
        cells, is_number = _texts(frame.iloc[:, k])
        columns.append(cells)
        numeric.append(is_number)
    return _csv_text(header, columns, numeric, quote_text, newline)
