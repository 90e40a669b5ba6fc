"""The wheel users install (`make wheel`), installed the way a user installs it.

`make test` builds dist/arrears-*-manylinux_*.whl first and sets ARREARS_WHEEL_TEST=1, which
makes a missing wheel a failure here; a plain `pytest` run without the wheel skips these tests.
The wheel goes into a new virtualenv with its base dependencies only (no extras), so this is
also the test that `pip install arrears` runs the CLI and the nightly batch.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _wheel() -> Path:
    wheels = sorted((ROOT / "dist").glob("arrears-*-manylinux_*.whl"))
    if not wheels:
        if os.environ.get("ARREARS_WHEEL_TEST") == "1":
            pytest.fail("no dist/arrears-*-manylinux_*.whl: `make wheel` did not build it")
        pytest.skip("no wheel in dist/ (run `make wheel`; `make test` does)")
    return wheels[-1]


def test_a_plain_install_never_writes_into_the_source_tree() -> None:
    # scikit-build-core writes its build folder wherever tool.scikit-build.build-dir says; set
    # there, a `pip install .` writes into the checkout (and fails in a read-only one).
    # `make` passes -Cbuild-dir for its editable install instead.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "build-dir" not in config["tool"]["scikit-build"]


def test_the_wheel_is_manylinux_bundles_its_libraries_and_carries_the_licenses() -> None:
    wheel = _wheel()
    names = zipfile.ZipFile(wheel).namelist()
    libs = [n for n in names if n.startswith("arrears.libs/")]
    for lib in ("libdate-tz", "libsqlite3", "libcrypto"):
        assert any(lib in n for n in libs), f"{lib} is not bundled: {libs}"
    licenses = {Path(n).name for n in names if "/licenses/" in n}
    assert {"LICENSE", "NOTICE"} <= licenses
    notice = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("/licenses/NOTICE"))
    ).decode()
    for component in ("howardhinnant-date", "sqlite3", "libssl3", "nlohmann-json3", "mustache"):
        assert component in notice, component
    assert "Apache License" in notice
    assert "_core.cpython" in " ".join(names)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv with the wheel and its base dependencies (no extras)."""
    wheel = _wheel()
    env_dir = tmp_path_factory.mktemp("wheel") / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        timeout=900,
    )
    return env_dir


def _run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_installed_wheel_holds_no_extras_and_imports_from_site_packages(
    installed: Path, tmp_path: Path
) -> None:
    out = _run(
        installed,
        str(installed / "bin" / "python"),
        "-c",
        "import importlib.util as u, arrears, arrears._core as c;"
        "print(arrears.__file__); print(c.__file__);"
        "print(u.find_spec('pyspark') is None, u.find_spec('weasyprint') is None)",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    package, core, no_extras = out.stdout.splitlines()
    assert str(installed) in package and str(installed) in core  # not the source tree
    assert no_extras == "True True"


def test_the_installed_wheel_runs_the_demo_and_the_cli_in_the_folder_it_leaves(
    installed: Path, tmp_path: Path
) -> None:
    demo = _run(installed, "arrears", "demo", "--accounts", "2000", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr[-3000:]
    folder = tmp_path / "demo"
    assert (folder / "arrears.db").is_file()
    outputs = list((folder / "out").rglob("*"))
    assert any(p.suffix == ".png" for p in outputs), "no report charts (matplotlib)"
    assert any(p.name.endswith(".csv") and "worklists" in p.parts for p in outputs)
    assert any("metro2" in p.parts for p in outputs) or "metro2" in demo.stdout.lower()

    db = str(folder / "arrears.db")
    for args in (
        ("age", "--json"),
        ("worklist", "--csv"),
        ("report", "aging"),
        ("campaign", "history"),
        ("plan", "list"),
    ):
        result = _run(installed, "arrears", *args, "--db", db, cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr[-2000:])
        assert result.stdout.strip(), args
