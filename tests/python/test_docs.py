"""The docs run: every ```python block in README.md and docs/*.md is executed (issue 15 item 7).

Conventions (documented in docs/development.md, "Docs that run"):

- A page's blocks run in order in one namespace (a later block uses the names of earlier ones),
  in a new temporary working directory per page. A failure names the page and the block's line.
- `<!-- doctest-setup: name[, name ...] -->` on a page runs the named setups from `SETUPS` below
  in that directory before the first block. Setups write the files a reader is assumed to have
  (`arrears.db`, `strategy.toml`, ...) and never put names into the namespace: whatever a block
  uses, the page itself defines or imports.
- `<!-- doctest-file: name -->` on the line before a fenced block of any language (a JSON
  strategy, a TOML config) writes that block's text to `name` in the page's directory before the
  first block runs, so the page's own examples are what its Python blocks read.
- A block whose first line is `# Not run by the doc tests: <reason>` is skipped (the reason is
  required). Keep those rare: a Spark cluster, a network service.

The pages are globbed when the tests are collected, so a new page is covered without an edit here.
The file also checks that product docs cite public sources, never the project's reference notes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import arrears
from arrears import demo

ROOT = Path(__file__).resolve().parents[2]
# The date the docs' examples use, and their demo store's as-of date.
AS_OF = dt.date(2026, 11, 23)

SETUP_RE = re.compile(r"<!--\s*doctest-setup:\s*(.*?)\s*-->")
FILE_RE = re.compile(r"^\s*<!--\s*doctest-file:\s*(\S+)\s*-->\s*$")
SKIP_RE = re.compile(r"#\s*not run by the doc tests:?(.*)$", re.IGNORECASE)
FENCE_RE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\s`]*)")


def doc_pages() -> list[Path]:
    """README.md and every page under docs/, as they are when the tests are collected."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def rel(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:  # a page made by a test below
        return path.name


@dataclass(frozen=True)
class Block:
    line: int  # the 1-based line of the block's first code line
    source: str
    skip: str | None  # the reason, for a block marked not to run


@dataclass
class Page:
    path: Path
    setups: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # name -> text (doctest-file)


class DocFormatError(ValueError):
    """A page breaks the docs' conventions (unclosed fence, a skip marker without a reason)."""


def parse_page(path: Path) -> Page:
    """The page's setups and its ```python blocks, with their line numbers."""
    lines = path.read_text(encoding="utf-8").splitlines()
    page = Page(path)
    for m in SETUP_RE.finditer("\n".join(lines)):
        page.setups += [name.strip() for name in m.group(1).split(",") if name.strip()]
    i = 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = len(m["indent"]), m["fence"], m["info"].lower()
        start = i + 1
        j = start
        while j < len(lines):
            close = FENCE_RE.match(lines[j])
            if close and close["fence"].startswith(fence) and not close["info"]:
                break
            j += 1
        else:
            raise DocFormatError(f"{rel(path)}:{i + 1}: the {fence} fence is never closed")
        body = [line[indent:] if line[:indent].isspace() else line for line in lines[start:j]]
        before = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        named = FILE_RE.match(before)
        if named:
            page.files[named.group(1)] = "\n".join(body) + "\n"
        if info in ("python", "py"):
            skip = None
            first = next((b for b in body if b.strip()), "")
            marker = SKIP_RE.match(first.strip())
            if marker:
                skip = marker.group(1).strip()
                if not skip:
                    raise DocFormatError(
                        f"{rel(path)}:{start + 1}: '# Not run by the doc tests:' needs a reason"
                    )
            page.blocks.append(Block(start + 1, "\n".join(body) + "\n", skip))
        i = j + 1
    return page


# ---- setups: the files a page's reader is assumed to have ----------------------------------------

STRATEGY_TOML = """\
name = "collections-2026"
seed = "2026Q4"
buckets = [1, 31, 61, 91, 121, 181]
exclusions = ["disputed", "cease", "bankrupt", "deceased", "attorney"]

[[factors]]
column = "dpd"
weight = 50
cap = 180

[[factors]]
column = "balance_cents"
weight = 30
cap = 500000
transform = "log"

[[factors]]
column = "days_since_last_payment"
weight = 20
cap = 365
null_value = 1

[[factors]]
column = "broken_promises"
weight = 10
cap = 3

[[segments]]
name = "early"
when = { column = "dpd", between = [1, 90] }
treatment = { type = "call", queue = "early" }

[[segments]]
name = "late"
when = { column = "dpd", ">" = 90 }
treatment = { type = "call", queue = "late" }

[[segments]]
name = "rest"
treatment = { type = "letter", template = "reminder" }
"""


def toml_table(values: dict[str, object], name: str = "") -> str:
    """Flat str/number values (and nested tables of them) as TOML; JSON strings are TOML strings."""
    head = [f"[{name}]"] if name else []
    plain = [f"{k} = {json.dumps(v)}" for k, v in values.items() if not isinstance(v, dict)]
    nested = [toml_table(v, k) for k, v in values.items() if isinstance(v, dict)]
    return "\n".join([*head, *plain, "", *nested])


@dataclass
class SetupContext:
    cwd: Path
    request: pytest.FixtureRequest


def setup_demo_store(ctx: SetupContext) -> None:
    """`arrears.db`: the demo's store (2,000 generated accounts as of 2026-11-23 with their
    payments, calls, plans, life events and the validation notices mailed at placement)."""
    source: Path = ctx.request.getfixturevalue("demo_db")
    shutil.copy(source, ctx.cwd / "arrears.db")


def setup_strategy_file(ctx: SetupContext) -> None:
    """`strategy.toml`: a strategy over the store's portfolio columns, as in docs/portfolio.md."""
    (ctx.cwd / "strategy.toml").write_text(STRATEGY_TOML, encoding="utf-8")


def setup_collector_file(ctx: SetupContext) -> None:
    """`collector.toml`: the demo's collector profile (name, mailing address, phone, hours,
    e-mail)."""
    (ctx.cwd / "collector.toml").write_text(toml_table(demo.DEMO_COLLECTOR), encoding="utf-8")


def setup_vendor_mapping(ctx: SetupContext) -> None:
    """`vendor.toml` and `vendor.json`: the demo's print-vendor CSV mapping (letter id, name,
    address, reference, file and sequence)."""
    columns = demo.DEMO_PRINT_VENDOR["columns"]
    toml = "\n".join(f"[[columns]]\n{toml_table(c)}" for c in columns)
    (ctx.cwd / "vendor.toml").write_text(toml, encoding="utf-8")
    (ctx.cwd / "vendor.json").write_text(json.dumps({"columns": columns}), encoding="utf-8")


def setup_placement_files(ctx: SetupContext) -> None:
    """`placements/debtors.csv`, `accounts.csv`, `payments.csv`: a client's placement files
    (200 generated accounts, the columns of docs/store.md's imports)."""
    data = demo.generate(200, seed=7, as_of=AS_OF)
    folder = ctx.cwd / "placements"
    folder.mkdir()
    data.debtors.to_csv(folder / "debtors.csv", index=False)
    data.accounts.to_csv(folder / "accounts.csv", index=False)
    data.payments.to_csv(folder / "payments.csv", index=False)


SETUPS: dict[str, Callable[[SetupContext], None]] = {
    "demo_store": setup_demo_store,
    "strategy_file": setup_strategy_file,
    "collector_file": setup_collector_file,
    "vendor_mapping": setup_vendor_mapping,
    "placement_files": setup_placement_files,
}


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store, built once per test session; pages get a copy."""
    folder = tmp_path_factory.mktemp("doc-demo")
    store, _, _ = demo.prepare(folder, 2_000, 2026, AS_OF)
    store.evaluate_plans(AS_OF)
    store.close()
    # One file to copy: the write-ahead log folded in.
    with sqlite3.connect(folder / "arrears.db") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder / "arrears.db"


# ---- running a page -----------------------------------------------------------------------------


def pages_with_code() -> Iterator[Path]:
    for path in doc_pages():
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(`{3,}|~{3,})\s*(python|py)\s*$", text, re.MULTILINE | re.IGNORECASE):
            yield path


def run_page(page: Page, cwd: Path, request: pytest.FixtureRequest) -> int:
    """Runs the page's setups, then its blocks in order in one namespace; returns how many ran."""
    unknown = [s for s in page.setups if s not in SETUPS]
    if unknown:
        raise DocFormatError(
            f"{rel(page.path)}: unknown doctest-setup {unknown}; known: {sorted(SETUPS)}"
        )
    for name in page.setups:
        SETUPS[name](SetupContext(cwd, request))
    for name, text in page.files.items():
        (cwd / name).write_text(text, encoding="utf-8")
    namespace: dict[str, object] = {"__name__": "__doc_page__"}
    ran = 0
    for block in page.blocks:
        if block.skip:
            continue
        try:
            # Padded so that a traceback's line numbers are the page's own.
            code = compile("\n" * (block.line - 1) + block.source, rel(page.path), "exec")
            exec(code, namespace)
        except Exception as e:
            tb = "".join(traceback.format_exception(type(e), e, e.__traceback__, limit=-3))
            pytest.fail(
                f"{rel(page.path)}:{block.line}: this block failed: {type(e).__name__}: {e}\n{tb}",
                pytrace=False,
            )
        ran += 1
    return ran


@pytest.mark.parametrize("path", list(pages_with_code()), ids=rel)
def test_the_python_blocks_of_a_page_run(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)
    page = parse_page(path)
    try:
        run_page(page, tmp_path, request)
    finally:
        plt.close("all")


def test_every_page_with_python_blocks_is_collected() -> None:
    # The glob finds the pages: every docs page with a python block is a test case.
    found = {rel(p) for p in pages_with_code()}
    assert "README.md" in found and "docs/portfolio.md" in found
    for path in doc_pages():
        page = parse_page(path)
        assert (rel(path) in found) == bool(page.blocks), rel(path)


# ---- the collector's own contract ---------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "page.md"
    p.write_text(text, encoding="utf-8")
    return p


def test_blocks_share_one_namespace_in_order_and_run_in_the_page_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    page = parse_page(
        write(
            tmp_path,
            "# t\n\n```python\nx = 2\nopen('made.txt', 'w').write('x')\n```\n\ntext\n\n"
            '<!-- doctest-file: conf.json -->\n```json\n{"a": 1}\n```\n'
            "```python\n# Not run by the doc tests: needs a cluster\nraise SystemExit\n```\n\n"
            "```python\nimport json\nassert x * 21 == json.load(open('conf.json'))['a'] * 42\n```\n",
        )
    )
    assert [b.line for b in page.blocks] == [4, 15, 20]
    assert page.files == {"conf.json": '{"a": 1}\n'}
    assert page.blocks[1].skip == "needs a cluster"
    cwd = tmp_path / "run"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    assert run_page(page, cwd, request) == 2
    assert (cwd / "made.txt").exists()


def test_a_failing_block_is_reported_with_its_page_and_line(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    page = parse_page(
        write(tmp_path, "```python\nx = 1\n```\n\n```python\n\nundefined_name\n```\n")
    )
    page.path = ROOT / "docs" / "page.md"  # as if it were a docs page
    with pytest.raises(pytest.fail.Exception) as info:
        run_page(page, tmp_path, request)
    message = str(info.value)
    assert message.startswith("docs/page.md:6: this block failed: NameError")
    assert 'File "docs/page.md", line 7' in message


def test_a_skip_marker_needs_a_reason_and_a_setup_must_exist(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(DocFormatError, match=r"page.md:2: .* needs a reason"):
        parse_page(write(tmp_path, "```python\n# Not run by the doc tests:\nx = 1\n```\n"))
    with pytest.raises(DocFormatError, match="never closed"):
        parse_page(write(tmp_path, "```python\nx = 1\n"))
    page = parse_page(write(tmp_path, "<!-- doctest-setup: nosuch -->\n```python\nx = 1\n```\n"))
    page.path = ROOT / "page.md"
    with pytest.raises(DocFormatError, match="unknown doctest-setup"):
        run_page(page, tmp_path, request)


def test_an_indented_block_in_a_list_and_other_languages(tmp_path: Path) -> None:
    text = "- item\n\n  ```python\n  y = 1\n  ```\n\n```bash\nexit 1\n```\n```\nplain\n```\n"
    page = parse_page(write(tmp_path, text))
    assert [(b.line, b.source) for b in page.blocks] == [(4, "y = 1\n")]


# ---- citations ----------------------------------------------------------------------------------

# The project's reference notes (shared/reference/*.md) are not shipped: a product page cites the
# public source they name (a CFR section, the CRRG, a statute), never the notes or their sections.
REFERENCE_NOTES = re.compile(
    r"shared/|reference/|\bref §"
    r"|\b(regulation-f|payment-math|ach-and-payments|agency-operations|disclosures-and-furnishing)"
    r"(\.md)?\b"
    r"|§\s?[1-6]\.\d+\b(?!\d)"
)


def product_pages() -> list[Path]:
    # development.md is for developers of arrears, who have the notes.
    return [p for p in doc_pages() if p.name != "development.md"]


def test_product_docs_cite_public_sources_not_the_reference_notes() -> None:
    found = [
        f"{rel(p)}:{n}: {line.strip()}"
        for p in product_pages()
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if REFERENCE_NOTES.search(line)
    ]
    assert not found, "cite the public source instead:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        "Facts come from `../shared/reference/metro2.md`",
        "conventions (`shared/reference/payment-math.md` §3.2)",
        "in all of them (regulation-f.md §1.2)",
        "(ref §2.2 leaves rounding open)",
        "[x.amount for x in s]   # (§3.1 worked vector)",
    ],
)
def test_the_citation_check_catches_the_reference_notes(line: str) -> None:
    assert REFERENCE_NOTES.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "12 CFR 1006.34(b)(5)",
        "§1006.6(b)(1)(i)",
        "5 U.S.C. 6103(a)",
        "See [docs/metro2.md](docs/metro2.md).",
        "CRRG, Field 25 (Date of First Delinquency)",
    ],
)
def test_the_citation_check_lets_public_citations_through(line: str) -> None:
    assert not REFERENCE_NOTES.search(line)


def test_the_store_of_the_docs_is_the_demo(demo_db: Path) -> None:
    with arrears.Store(demo_db, read_only=True) as s:
        assert len(s.load_portfolio(AS_OF)) == 2_000
