#!/usr/bin/env bash
# Installs the Debian packages arrears builds against, when any is missing.
# Uses apt-get directly as root, sudo otherwise; says what to do when neither works.
set -euo pipefail

packages=(
  g++ make pkg-config ccache tzdata
  libsqlite3-dev            # SQLite 3.40 (the same library Python's sqlite3 uses)
  nlohmann-json3-dev        # JSON
  catch2                    # C++ tests (v2 single header)
  libhowardhinnant-date-dev # dates and time zones (system tzdata)
  libkainjow-mustache-dev   # letter templates
  libssl-dev                # SHA-256 of letter campaign outputs (OpenSSL libcrypto)
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# python3 -m venv needs ensurepip (Debian splits it into python3-venv).
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
# arrears.spark's tests run a local Spark, which needs a Java runtime (Spark 4 wants Java 17+).
if ! command -v java >/dev/null 2>&1; then
  missing+=(default-jre-headless)
fi
# Never let Debian's pybind11 shadow the PyPI one in CMake.
if dpkg-query -W -f='${Status}' pybind11-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "warning: Debian's pybind11-dev is installed; arrears uses pybind11 from PyPI and its" >&2
  echo "         CMake config is found first. Remove it: apt-get remove pybind11-dev" >&2
fi

[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "arrears: installing missing Debian packages: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  run=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run=(sudo)
else
  echo "error: these Debian packages are missing and I cannot install them (not root, no" >&2
  echo "       passwordless sudo): ${missing[*]}" >&2
  echo "       Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
