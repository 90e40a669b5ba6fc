# arrears: the README's two commands (`make demo`, `make test`) and the steps behind them.
# Everything a fresh Debian machine needs is installed here: apt packages (tools/ensure-deps.sh),
# a virtualenv (.venv) and the package itself (editable, fixed build dir build/py).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
BUILD_DIR := build/py
CPP_TESTS := $(BUILD_DIR)/tests/cpp/arrears_tests
# Catch2 tests are built with the extension; warnings are errors in the project's own code.
# The fixed build folder is for this editable install only (pyproject.toml sets none, so a plain
# `pip install .` builds in a temporary folder).
SKBUILD_FLAGS := -Cbuild-dir=$(BUILD_DIR) -Ccmake.define.ARREARS_BUILD_TESTS=ON \
  -Ccmake.define.ARREARS_WARNINGS_AS_ERRORS=ON
PYTEST_ARGS ?=
# ccache (installed by tools/ensure-deps.sh) keys on paths relative to the checkout, so a second
# clone or worktree of the same sources compiles from the cache.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

.PHONY: all deps venv build wheel test test-cpp test-py stubs stubtest fuzz lint format bench demo docs-images clean

all: build

deps:
	@bash tools/ensure-deps.sh

# The virtualenv with build tools and the [dev] extra; redone when pyproject.toml changes.
# The dependencies are installed first, with pip's normal build isolation (pyspark is an sdist:
# built in isolation it gets the setuptools and wheel it needs, whatever the venv holds and
# whatever the pip cache does not). Only arrears itself is built without isolation, against the
# build tools installed here, so `make build` can rebuild it incrementally.
$(VENV)/.stamp: pyproject.toml tools/requirements.py | deps
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q "scikit-build-core>=0.10" "pybind11>=3.0" "cmake>=3.24" ninja
	$(PY) tools/requirements.py dev > $(VENV)/requirements-dev.txt
	$(PIP) install -q -r $(VENV)/requirements-dev.txt
	$(PIP) install -q --no-build-isolation --no-deps $(SKBUILD_FLAGS) -e .
	@touch $@

venv: $(VENV)/.stamp

# Incremental rebuild of the C++ core, the extension and the Catch2 binary.
build: venv
	$(PIP) install -q --no-build-isolation --no-deps $(SKBUILD_FLAGS) -e .

# The wheel users install: dist/arrears-*-manylinux_*.whl (auditwheel bundles libdate-tz,
# libsqlite3 and libcrypto; LICENSE and NOTICE inside). Reuses make build's objects via ccache.
wheel: build
	PY=$(PY) bash tools/make-wheel.sh

test-cpp: build
	$(CPP_TESTS)

# The stubs of the compiled module: python/arrears/_core/*.pyi, one per submodule. The Metro 2
# segment classes are generated from the C++ layout tables (`make stubs` rewrites them; the check
# regenerates them into a temporary folder and diffs); mypy.stubtest then checks arrears._core and
# every submodule in the stub package against the built module.
STUBTEST := $(PY) -m mypy.stubtest arrears._core --mypy-config-file pyproject.toml

stubs: build
	$(PY) tools/gen_stubs.py

stubtest: build
	$(PY) tools/gen_stubs.py --check
	$(STUBTEST)

test-py: build
	$(PY) -m pytest $(PYTEST_ARGS)

# The contract with CI: C++ tests, stub check, then pytest (which also runs the notebooks and
# installs the wheel into a new virtualenv: ARREARS_WHEEL_TEST=1 makes a missing wheel a failure).
test: build wheel
	$(CPP_TESTS)
	$(PY) tools/gen_stubs.py --check
	$(STUBTEST)
	ARREARS_WHEEL_TEST=1 $(PY) -m pytest $(PYTEST_ARGS)

# The long run of the property tests that feed arbitrary bytes and strings to every parser
# (tests/python/test_fuzz.py, thirty times the examples of make test; about an hour).
FUZZ_ARGS ?=
fuzz: build
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/python/test_fuzz.py -q $(FUZZ_ARGS)

lint: venv
	$(PY) -m ruff check python tests/python bench tools/gen_stubs.py
	$(PY) -m ruff format --check python tests/python bench tools/gen_stubs.py
	$(PY) -m mypy

format: venv
	$(PY) -m ruff format python tests/python bench tools/gen_stubs.py
	clang-format -i core/include/arrears/*.hpp core/src/*.cpp bindings/*.cpp bindings/*.hpp \
	  bindings/glue/*.cpp bindings/glue/*.hpp tests/cpp/*.cpp

bench: build
	$(PY) bench/run.py $(BENCH_ARGS)

# The main job on a generated portfolio: demo/arrears.db, outputs in demo/out/.
DEMO_ARGS ?=
demo: build
	$(VENV)/bin/arrears demo $(DEMO_ARGS)

# The report gallery of docs/reports.md: each chart drawn from a fixed demo into docs/images/.
docs-images: build
	$(PY) tools/docs_images.py --out docs/images

clean:
	rm -rf build dist $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
