"""Runs the benchmarks in bench/bench_*.py and writes bench/RESULTS.md.

    python bench/run.py                 # all benchmarks, full sizes
    python bench/run.py --quick         # small sizes (a smoke run)
    python bench/run.py -k aging        # only benchmarks whose name contains "aging"
    python bench/run.py --check         # also verify every variant agrees with arrears

Each (benchmark, size, variant) runs in a fresh subprocess (see harness.py).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Benchmark, measure  # noqa: E402


def discover() -> dict[str, list[Benchmark]]:
    found: dict[str, list[Benchmark]] = {}
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        found[path.stem] = list(getattr(module, "BENCHMARKS", []))
    return found


def reports(k: str, quick: bool) -> list[str]:
    """Sections from modules with a ``report(quick)`` function (jobs that do not fit the
    harness, such as the nightly batch, which changes its store), selected by module name."""
    out = []
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        fn = getattr(module, "report", None)
        if fn is not None and k in path.stem.removeprefix("bench_"):
            out.append(fn(quick))
    return out


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_gib:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def run_one(spec: str, repeat: int | None) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE / "run.py"), "--one", spec]
    if repeat:
        cmd += ["--repeat", str(repeat)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_one(bench: Benchmark, size: int) -> list[str]:
    if bench.check is None:
        return []
    data = bench.setup(size)
    base = bench.variants[bench.baseline](data)
    problems = []
    for name, fn in bench.variants.items():
        if name == bench.baseline:
            continue
        try:
            bench.check(fn(data), base)
        except Exception as exc:
            problems.append(f"{bench.name}/{name} at {size}: {exc}")
    return problems


def fmt_time(s: float) -> str:
    return f"{s * 1e3:.1f} ms" if s < 10 else f"{s:.2f} s"


def write_results(results: list[dict[str, Any]], benches: dict[str, Benchmark], quick: bool) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {machine()}",
        f"- Mode: {'quick (small sizes)' if quick else 'full'}; command: `make bench`"
        + (" BENCH_ARGS=--quick" if quick else ""),
        "- Median of timed runs after one warm-up run; each cell ran in its own process.",
        "  *extra peak* is the peak RSS during the job above the RSS with its input loaded.",
        "",
    ]
    by_bench: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        by_bench.setdefault(r["benchmark"], []).append(r)
    for name, rows in by_bench.items():
        bench = benches[name]
        lines += [f"## {name}", ""]
        if bench.description:
            lines += [bench.description, ""]
        if bench.targets:
            lines += [f"Targets: {bench.targets}", ""]
        lines += [
            f"| size ({bench.unit}) | variant | median | throughput ({bench.unit}/s) | "
            f"extra peak MiB | vs {bench.baseline} |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for size in sorted({r["size"] for r in rows}):
            at = [r for r in rows if r["size"] == size]
            base = next((r for r in at if r["variant"] == bench.baseline and "median_s" in r), None)
            for r in at:
                if "median_s" not in r:
                    lines.append(f"| {size:,} | {r['variant']} | failed: {r.get('error')} | | | |")
                    continue
                ratio = "" if base is None else f"{r['median_s'] / base['median_s']:.1f}x"
                extra = "" if r["extra_peak_mib"] is None else f"{r['extra_peak_mib']:.0f}"
                lines.append(
                    f"| {size:,} | {r['variant']} | {fmt_time(r['median_s'])} | "
                    f"{r['throughput']:,.0f} | {extra} | {ratio} |"
                )
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes only")
    p.add_argument("-k", default="", help="only benchmarks whose name contains this")
    p.add_argument("--check", action="store_true", help="verify variants agree (smallest size)")
    p.add_argument("--repeat", type=int, default=None)
    p.add_argument("--one", help=argparse.SUPPRESS)
    p.add_argument("--output", default=str(HERE / "RESULTS.md"))
    args = p.parse_args()

    modules = discover()
    benches = {b.name: b for bs in modules.values() for b in bs}
    if args.one:
        name, size, variant = args.one.rsplit(":", 2)
        print(json.dumps(measure(benches[name], int(size), variant, args.repeat)))
        return 0

    selected = [b for b in benches.values() if args.k in b.name]
    results: list[dict[str, Any]] = []
    problems: list[str] = []
    for bench in selected:
        sizes = bench.quick_sizes if args.quick else bench.sizes
        if args.check:
            problems += check_one(bench, min(sizes))
        for size in sizes:
            for variant in bench.variants:
                r = run_one(f"{bench.name}:{size}:{variant}", args.repeat)
                r.setdefault("benchmark", bench.name)
                r.setdefault("size", size)
                r.setdefault("variant", variant)
                results.append(r)
                shown = fmt_time(r["median_s"]) if "median_s" in r else r.get("error")
                print(f"{bench.name:28} {size:>12,} {variant:18} {shown}", flush=True)
    text = write_results(results, benches, args.quick)
    extra = reports(args.k, args.quick)
    if extra:
        text = text + "\n" + "\n".join(extra)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(text + "\n")
    print(f"wrote {args.output}")
    for msg in problems:
        print("DISAGREE:", msg, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
