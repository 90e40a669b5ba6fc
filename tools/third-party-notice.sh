#!/usr/bin/env bash
# Writes NOTICE: the copyright and license of every third-party component the arrears wheel
# compiles in (header-only libraries, libstdc++ templates) or bundles (auditwheel copies
# libdate-tz, libsqlite3 and libcrypto into arrears.libs/), from this machine's Debian
# packages. Run it when a dependency changes; the wheel test checks each component is named.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "Third-party software in the arrears wheel"
  echo "========================================="
  echo
  echo "arrears' own license: see LICENSE. The components below are compiled into the"
  echo "extension module (header-only libraries) or bundled beside it in arrears.libs/."
  for pkg in libhowardhinnant-date-dev libsqlite3-0 libssl3 nlohmann-json3-dev \
             libkainjow-mustache-dev libstdc++6; do
    f=/usr/share/doc/$pkg/copyright
    version=$(dpkg-query -W -f='${Version}' "$pkg")
    echo
    echo "------------------------------------------------------------------------------"
    echo "$pkg $version (from the Debian package's copyright file)"
    echo "------------------------------------------------------------------------------"
    cat "$f"
  done
  echo
  echo "------------------------------------------------------------------------------"
  echo "Apache License 2.0 (the license of OpenSSL 3, libcrypto)"
  echo "------------------------------------------------------------------------------"
  cat /usr/share/common-licenses/Apache-2.0
} > NOTICE
