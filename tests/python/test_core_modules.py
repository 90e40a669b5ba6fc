"""The compiled module's shape: one submodule per area, importable and picklable by name, stubs
that match the C++ tables, and one public name per function."""

from __future__ import annotations

import ast
import importlib
import pathlib
import pickle
import subprocess
import sys

import pytest

import arrears
from arrears import _core

ROOT = pathlib.Path(__file__).resolve().parents[2]
STUBS = ROOT / "python" / "arrears" / "_core"
AREAS = [
    "aging",
    "calendar",
    "compliance",
    "debtor",
    "ledger",
    "letters",
    "metro2",
    "money",
    "plans",
    "portfolio",
    "store",
    "strategy",
    "table",
]

sys.path.insert(0, str(ROOT / "tools"))
import gen_stubs  # noqa: E402


@pytest.mark.parametrize("area", AREAS)
def test_each_area_is_a_submodule_importable_by_its_dotted_name(area: str) -> None:
    module = importlib.import_module(f"arrears._core.{area}")
    assert module is getattr(_core, area)
    assert module.__name__ == f"arrears._core.{area}"


def test_every_submodule_has_a_stub_and_nothing_else_does() -> None:
    stubs = {p.stem for p in STUBS.glob("*.pyi")} - {"__init__"}
    assert stubs == set(AREAS)
    assert not (ROOT / "python" / "arrears" / "_core.pyi").exists()


def test_classes_live_in_their_area() -> None:
    assert arrears.Money.__module__ == "arrears._core.money"
    assert arrears.Account.__module__ == "arrears._core.ledger"
    assert arrears.metro2.BaseSegment.__module__ == "arrears._core.metro2"
    assert arrears.Table is _core.table.Table


def test_a_pickle_made_here_loads_in_a_fresh_interpreter() -> None:
    # Spark workers unpickle by module path: "arrears._core.debtor" must import on its own.
    debtor = arrears.debtor.Debtor("D1", "Ana", "Lopez", ssn="123-45-6789")
    data = pickle.dumps((arrears.Money("12.34"), debtor, arrears.metro2.BaseSegment()))
    code = (
        "import pickle, sys\n"
        "money, debtor, base = pickle.loads(sys.stdin.buffer.read())\n"
        "print(money, debtor.reveal_ssn(), base.length)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, check=True
    ).stdout
    assert out.decode().split() == ["$12.34", "123456789", "426"]


def test_no_prefixed_names_remain() -> None:
    flat = [n for area in AREAS for n in vars(getattr(_core, area)) if not n.startswith("__")]
    assert [n for n in flat if n.startswith("metro2_") or n.endswith("_metro2_file")] == []
    assert not hasattr(_core, "Money")  # nothing bound at the root but the submodules


def test_facade_functions_are_the_compiled_ones_where_python_adds_nothing() -> None:
    assert arrears.metro2.whole_dollars is _core.metro2.whole_dollars
    assert arrears.metro2.compute_trailer is _core.metro2.compute_trailer
    assert arrears.metro2.write_file is _core.metro2.write_file
    assert arrears.calendar.add_months is _core.calendar.add_months


def test_the_stubs_import_nothing_from_the_facade() -> None:
    for path in STUBS.glob("*.pyi"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.startswith("arrears"):
                    assert name == "arrears._core" or name.startswith("arrears._core."), (
                        f"{path.name} imports {name}"
                    )


def test_the_generated_metro2_stubs_are_current() -> None:
    assert gen_stubs.check() == []


def test_a_stale_metro2_stub_is_caught(tmp_path: pathlib.Path) -> None:
    text = (STUBS / "metro2.pyi").read_text()
    line = "    def current_balance(self) -> int: ...\n"
    assert line in text
    stale = tmp_path / "metro2.pyi"
    stale.write_text(text.replace(line, "", 1))
    diff = "".join(gen_stubs.check(stale))
    assert "+    def current_balance(self) -> int: ..." in diff


def test_generated_stubs_follow_the_layout_tables() -> None:
    text = (STUBS / "metro2.pyi").read_text()
    for cls in gen_stubs.segment_classes():
        for field in cls.layout():
            if field.type in gen_stubs.NOT_VALUES:
                continue
            assert f"    def {field.name}(self) -> {gen_stubs.TYPES[field.type][1]}: ..." in text
