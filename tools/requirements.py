"""Print the requirements of arrears (base + the extras named on the command line), one per line.

`make` installs these with pip's normal build isolation first, and only then installs arrears
itself with --no-build-isolation --no-deps. So no dependency is ever built without isolation
(pyspark ships only an sdist; a venv's old setuptools without `wheel` cannot build it), and
nothing depends on what an earlier build left in the pip cache.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


def requirements(extras: list[str]) -> list[str]:
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
    optional = project.get("optional-dependencies", {})
    out = list(project.get("dependencies", []))
    pending = list(extras)
    seen: set[str] = set()
    while pending:
        extra = pending.pop()
        if extra in seen:
            continue
        if extra not in optional:
            sys.exit(f"tools/requirements.py: no extra {extra!r} in pyproject.toml")
        seen.add(extra)
        for req in optional[extra]:
            # "arrears[x]" inside an extra names other extras of this package.
            m = re.fullmatch(r"arrears\[([\w,\s-]+)\]", req.strip())
            if m:
                pending.extend(e.strip() for e in m.group(1).split(","))
            else:
                out.append(req)
    return list(dict.fromkeys(out))


if __name__ == "__main__":
    print("\n".join(requirements(sys.argv[1:])))
