"""The nightly batch end to end (issue 10): a generated portfolio in SQLite (the demo's: debtors,
accounts, payments, plans, life events, call history, validation notices mailed at placement)
to every output of one night: plans evaluated, paid accounts closed, aging with bucket history,
scores and compliance-cleared worklists, the letter campaigns (rendered, written, logged), the
Metro 2 file and the reports with their charts.

Not a harness benchmark: a night changes its store, so each size runs once, in its own process,
on a fresh copy of a prepared store (cached under bench/out/nightly-<n>/, made once by
``arrears.demo.prepare``). Reported per step: wall time and the process's CPU time (both cores
count), and the peak RSS of the whole night.

    python bench/bench_nightly.py            # 100,000 and 1,000,000 accounts
    python bench/bench_nightly.py --quick    # 10,000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 11, 23)
SIZES = (100_000, 1_000_000)
QUICK_SIZES = (10_000,)
TARGET = "the nightly batch for 1e6 accounts from SQLite to all outputs in <= 15 s (issue 10)"

BENCHMARKS: list[Any] = []  # see report(): run.py appends it to RESULTS.md


def prepared(n: int) -> Path:
    """The prepared store for ``n`` accounts (made once, then reused)."""
    from arrears import demo

    folder = HERE / "out" / f"nightly-{n}"
    if not (folder / "ready").exists():
        shutil.rmtree(folder, ignore_errors=True)
        store, _, history = demo.prepare(folder, n, 2026, AS_OF)
        store.close()
        (folder / "ready").write_text(json.dumps(history, default=str))
    return folder


def one_night(n: int) -> dict[str, Any]:
    """Runs the night on a copy of the prepared store, in this process."""
    from arrears import demo
    from arrears.store import Store
    from arrears.workflows import nightly

    source = prepared(n)
    with tempfile.TemporaryDirectory(dir=HERE / "out") as tmp:
        shutil.copy(source / "arrears.db", Path(tmp) / "arrears.db")
        cfg = demo.demo_config(str(Path(tmp) / "out"), AS_OF)
        cpu: list[float] = [time.process_time()]

        def tick(_msg: str) -> None:
            cpu.append(time.process_time())

        wall0, cpu0 = time.perf_counter(), time.process_time()
        with Store(Path(tmp) / "arrears.db") as store:
            summary = nightly(store, AS_OF, cfg, progress=False, log=tick)
        wall, total_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    steps = [
        {"step": s.name, "wall_s": s.seconds, "cpu_s": cpu[i + 1] - cpu[i]}
        for i, s in enumerate(summary.steps)
    ]
    letters = summary.step("letters").detail.get("campaigns", {})
    return {
        "accounts": n,
        "steps": steps,
        "wall_s": wall,
        "cpu_s": total_cpu,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "letters": sum(int(c.get("sent", 0)) for c in letters.values()),
        "metro2_reported": summary.step("metro2").detail.get("reported", 0),
        "calls": summary.step("strategy").detail["calls"],
    }


def report(quick: bool = False) -> str:
    """Markdown for bench/RESULTS.md: each size in its own process."""
    rows = []
    for n in QUICK_SIZES if quick else SIZES:
        out = subprocess.run(
            [sys.executable, str(Path(__file__)), "--one", str(n)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            rows.append({"accounts": n, "error": (out.stderr.strip().splitlines() or ["?"])[-1]})
        else:
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"nightly {n:>12,} done", file=sys.stderr, flush=True)
    return markdown(rows)


def markdown(rows: list[dict[str, Any]]) -> str:
    """The RESULTS.md section for the nights in ``rows`` (one_night's results)."""
    lines = [
        "## nightly (end to end)",
        "",
        (__doc__ or "").split("\n\n")[0],
        "",
        f"Target: {TARGET}",
        "",
    ]
    for r in rows:
        if "error" in r:
            lines += [f"- {r['accounts']:,} accounts: failed: {r['error']}", ""]
            continue
        lines += [
            f"**{r['accounts']:,} accounts**: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, "
            f"peak RSS {r['peak_rss_mib']:,.0f} MiB; {r['letters']:,} letters, "
            f"{r['calls']:,} calls, {r['metro2_reported']:,} Metro 2 records.",
            "",
            "| step | wall s | CPU s |",
            "|---|---:|---:|",
        ]
        lines += [f"| {s['step']} | {s['wall_s']:.2f} | {s['cpu_s']:.2f} |" for s in r["steps"]]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(one_night(args.one)))
        return 0
    print(report(args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
