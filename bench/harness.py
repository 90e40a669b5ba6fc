"""Benchmark harness: the arrears way against the way a data team would do it today.

A benchmark module ``bench/bench_<area>.py`` defines ``BENCHMARKS``, a list of :class:`Benchmark`.
Each (benchmark, size, variant) runs in its own subprocess so its peak memory is its own: the
data is built by ``setup(size)`` (not timed), then the variant runs once to warm up with the
peak-RSS counter reset (Linux ``/proc/self/clear_refs``), then ``repeat`` timed runs give the
median. ``bench/run.py`` runs everything and writes ``bench/RESULTS.md``.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import statistics
import time
from collections.abc import Callable
from typing import Any


@dataclasses.dataclass(frozen=True)
class Benchmark:
    name: str
    """Job name, e.g. ``aging``."""
    setup: Callable[[int], Any]
    """Builds the input for one size (not timed). Same data for every variant."""
    variants: dict[str, Callable[[Any], Any]]
    """``{"arrears": fn, "pandas": fn, ...}``; each fn(data) does the whole job."""
    sizes: tuple[int, ...]
    quick_sizes: tuple[int, ...] = (10_000,)
    unit: str = "items"
    repeat: int = 5
    description: str = ""
    targets: str = ""
    """The targets stated in the issue, printed next to the numbers."""
    baseline: str = "arrears"
    """Variant the ratios are computed against."""
    check: Callable[[Any, Any], None] | None = None
    """check(result_of_variant, result_of_baseline) raises if they disagree (run in --check)."""


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def measure(bench: Benchmark, size: int, variant: str, repeat: int | None = None) -> dict[str, Any]:
    """Runs one variant at one size in this process; returns the measurements."""
    data = bench.setup(size)
    fn = bench.variants[variant]
    gc.collect()
    rss_before = _status_kib("VmRSS")
    can_reset = _reset_peak()
    fn(data)  # warm-up, and the run whose peak memory is reported
    peak = _status_kib("VmHWM")
    extra_kib = max(0, peak - rss_before) if can_reset else None
    times = []
    for _ in range(repeat or bench.repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    return {
        "benchmark": bench.name,
        "size": size,
        "variant": variant,
        "median_s": median,
        "min_s": min(times),
        "throughput": size / median if median > 0 else float("inf"),
        "peak_rss_mib": peak / 1024,
        "extra_peak_mib": None if extra_kib is None else extra_kib / 1024,
        "data_rss_mib": rss_before / 1024,
        "runs": len(times),
        "pid": os.getpid(),
    }
