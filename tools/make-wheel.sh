#!/usr/bin/env bash
# Builds the wheel users install: dist/arrears-<version>-<python>-manylinux_*.whl.
#
# 1. `pip wheel .` with the build folder under build/ and the flags of `make build` (so ccache
#    serves the objects `make build` compiled); nothing outside build/ and dist/ may change
#    (a plain install never writes into the source tree).
# 2. LICENSE and NOTICE (third-party components compiled in or bundled, with their licenses;
#    regenerate with tools/third-party-notice.sh) go into the wheel's license files.
# 3. auditwheel repair: the shared libraries the extension needs beyond the manylinux policy
#    (libdate-tz, libsqlite3, libcrypto) are copied into the wheel and the tag is set.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
raw=build/wheel-raw
out=${WHEEL_DIR:-dist}

rm -rf "$raw"
mkdir -p "$raw" "$out"

tree_state() {
  # Caches of the tools a developer runs meanwhile (pytest, mypy, ruff, hypothesis) and the
  # demo folder are not the build's doing.
  git status --porcelain --ignored --untracked-files=all -- . ':!build' ':!dist' ':!.venv' \
    ':!.mypy_cache' ':!.pytest_cache' ':!.ruff_cache' ':!.hypothesis' ':!demo' \
    | { grep -v '__pycache__/' || true; } | sort
}
before=$(tree_state)
"$PY" -m pip wheel -q --no-build-isolation --no-deps -w "$raw" \
  -Cbuild-dir=build/wheel -Ccmake.define.ARREARS_WARNINGS_AS_ERRORS=ON .
after=$(tree_state)
if [[ "$before" != "$after" ]]; then
  echo "make wheel: building the wheel wrote into the source tree:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi

rm -f "$out"/arrears-*.whl
PATH="$(cd "$(dirname "$PY")" && pwd):$PATH" "$PY" -m auditwheel repair -w "$out" "$raw"/arrears-*.whl
ls "$out"/arrears-*.whl
