"""Compliance: single-contact decisions (Regulation F) over a worklist, 50 history events each.

One proposed call per consumer at a random second of 2026-03-11 against that consumer's 50
contact events of the 30 days before (calls, texts, emails, letters, voicemails; outcomes and
directions mixed; a few consents, conversations, cease/opt-out/attorney/bankruptcy/deceased/
dispute flags and designated inconvenient times). Time zones: one, two, or unknown (every served
zone). The answer per row is "allowed now?".

Variants (same data, same run):

- ``arrears``: ``check_worklist`` with ``threads=1`` (the per-core figure), decisions only.
- ``arrears_2cores``: the same on every core.
- ``arrears_windows``: every core, also the next allowed instant and window end (what the
  worklist attaches to each call entry).
- ``python``: a straightforward plain-Python implementation of the same Regulation F rules
  (zoneinfo for local times, a loop over each consumer's events), written below.

The input is columnar (int codes, int64 UTC seconds, pandas Categorical debt ids), the history
in (consumer, time) order, as the store and the portfolio hand it over; building it is setup,
not timed. The plain-Python variant gets the same events as lists of tuples per consumer.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from arrears.compliance import (
    CHANNELS,
    DIRECTIONS,
    OUTCOMES,
    Consumer,
    ContactPolicy,
    check_worklist,
)
from harness import Benchmark

EVENTS_PER_CONSUMER = 50
NOW_DAY = int(datetime(2026, 3, 11, tzinfo=timezone.utc).timestamp())
ZONE_SETS: list[tuple[str, ...]] = [
    ("America/New_York",),
    ("America/Chicago",),
    ("America/Los_Angeles",),
    ("America/New_York", "America/Los_Angeles"),
    ("America/Denver",),
    (),
]
ZONE_WEIGHTS = [0.45, 0.2, 0.1, 0.1, 0.05, 0.1]


def setup(n: int, python: bool = True) -> dict[str, Any]:
    rng = np.random.default_rng(20260311 + n)
    ndebts = rng.integers(1, 4, n)
    zone_pick = rng.choice(len(ZONE_SETS), n, p=ZONE_WEIGHTS)
    flag = rng.random((n, 8))
    consumers = []
    for i in range(n):
        first = f"A{i}-0"
        consumers.append(
            Consumer(
                f"C{i}",
                ZONE_SETS[zone_pick[i]],
                cease=[first] if flag[i, 0] < 0.02 else (),
                disputed=[first] if flag[i, 1] < 0.02 else (),
                opted_out=["call"] if flag[i, 2] < 0.02 else (),
                attorney=bool(flag[i, 3] < 0.01),
                bankruptcy=bool(flag[i, 4] < 0.01),
                deceased=bool(flag[i, 5] < 0.005),
                inconvenient=[("09:00", "17:00")] if flag[i, 6] < 0.03 else (),
            )
        )
    # History: 50 events per consumer, grouped by consumer (as the store returns them).
    m = n * EVENTS_PER_CONSUMER
    h_consumer = np.repeat(np.arange(n, dtype=np.int64), EVENTS_PER_CONSUMER)
    h_debt_idx = (rng.random(m) * np.repeat(ndebts, EVENTS_PER_CONSUMER)).astype(np.int64)
    day = rng.integers(1, 31, m)
    second = rng.integers(12 * 3600, 26 * 3600, m)  # 07:00-21:00 Eastern, roughly
    h_at = NOW_DAY - day * 86400 + second
    h_channel = rng.choice(5, m, p=[0.7, 0.1, 0.1, 0.05, 0.05]).astype(np.uint8)
    h_direction = (rng.random(m) < 0.1).astype(np.uint8)
    call_outcome = rng.choice([0, 1, 2, 3], m, p=[0.4, 0.4, 0.05, 0.15])
    h_outcome = np.where(h_channel == 0, call_outcome, 4).astype(np.uint8)
    h_consent = (rng.random(m) < 0.01).astype(np.uint8)
    # In (consumer, at) order, as the store returns a contact history.
    order = np.lexsort((h_at, h_consumer))
    h_debt_idx, h_at, h_channel = h_debt_idx[order], h_at[order], h_channel[order]
    h_direction, h_outcome, h_consent = h_direction[order], h_outcome[order], h_consent[order]
    # Proposals: one call per consumer about one of its debts.
    p_debt_idx = (rng.random(n) * ndebts).astype(np.int64)
    p_at = NOW_DAY + rng.integers(0, 86400, n)
    names = [f"A{i}-{j}" for i in range(n) for j in range(3)]
    categories = pd.Index(names)
    h_codes = (h_consumer * 3 + h_debt_idx).astype(np.int32)
    p_codes = (np.arange(n) * 3 + p_debt_idx).astype(np.int32)
    history = {
        "consumer": h_consumer,
        "debt_id": pd.Categorical.from_codes(h_codes, categories=categories),
        "at": h_at.astype(np.int64),
        "channel": h_channel,
        "direction": h_direction,
        "outcome": h_outcome,
        "consent": h_consent,
    }
    proposed = {
        "consumer": np.arange(n, dtype=np.int64),
        "debt_id": pd.Categorical.from_codes(p_codes, categories=categories),
        "at": p_at.astype(np.int64),
        "channel": np.zeros(n, dtype=np.uint8),
    }
    return {
        "policy": ContactPolicy.regulation_f(),
        "consumers": consumers,
        "proposed": proposed,
        "history": history,
        "py": _python_inputs(consumers, proposed, history, names) if python else None,
    }


# ---- arrears ----------------------------------------------------------------------------------


def run_arrears(data: dict[str, Any], threads: int = 1, windows: bool = False) -> np.ndarray:
    out = check_worklist(
        data["policy"],
        data["consumers"],
        data["proposed"],
        data["history"],
        threads=threads,
        next_allowed=windows,
    )
    return np.asarray(out["allowed"])


# ---- plain Python -------------------------------------------------------------------------------
#
# The same rules as ContactPolicy.regulation_f(), written the way one would without the engine:
# zoneinfo for every local time, a loop over the consumer's events for every proposal.

UTC = timezone.utc
SERVED = [ZoneInfo(z) for z in ContactPolicy.regulation_f().served_time_zones]
CALL_LIKE = {"call", "voicemail"}
NOT_COUNTED = {"not_connected", "bounced"}


def _python_inputs(
    consumers: list[Consumer], proposed: dict[str, Any], history: dict[str, Any], names: list[str]
) -> dict[str, Any]:
    events: list[list[tuple[Any, ...]]] = [[] for _ in consumers]
    h_codes = history["debt_id"].codes
    for k in range(len(history["at"])):
        events[history["consumer"][k]].append(
            (
                datetime.fromtimestamp(int(history["at"][k]), UTC),
                names[h_codes[k]],
                CHANNELS[history["channel"][k]],
                DIRECTIONS[history["direction"][k]],
                OUTCOMES[history["outcome"][k]],
                bool(history["consent"][k]),
            )
        )
    people = []
    for c in consumers:
        people.append(
            {
                "zones": [ZoneInfo(z) for z in c.time_zones] or SERVED,
                "cease": set(c.cease),
                "disputed": set(c.disputed),
                "opted_out": set(c.opted_out),
                "attorney": c.attorney,
                "bankruptcy": c.bankruptcy,
                "deceased": c.deceased,
                "inconvenient": [
                    (s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in c.inconvenient
                ],
            }
        )
    p_codes = proposed["debt_id"].codes
    proposals = [
        (
            int(proposed["consumer"][i]),
            names[p_codes[i]],
            CHANNELS[proposed["channel"][i]],
            datetime.fromtimestamp(int(proposed["at"][i]), UTC),
        )
        for i in range(len(proposed["at"]))
    ]
    return {"events": events, "people": people, "proposals": proposals}


def _consented(
    consents: list[tuple[datetime, str]], debt: str, when: datetime, zone: ZoneInfo
) -> bool:
    """Prior consent given directly about `debt` within 7 local days (its date is day 1)."""
    day = when.astimezone(zone).date()
    for at, d in consents:
        if d == debt and at <= when:
            age = (day - at.astimezone(zone).date()).days
            if 0 <= age < 7:
                return True
    return False


def python_allowed(person: dict[str, Any], events: list[tuple[Any, ...]], proposal: Any) -> bool:
    _, debt, channel, when = proposal
    # Status and per-debt blocks.
    if person["attorney"] or person["bankruptcy"] or person["deceased"]:
        return False
    if debt in person["cease"] or debt in person["disputed"]:
        return False
    opted = person["opted_out"]
    if channel in opted or (channel == "voicemail" and "call" in opted):
        return False
    consents = [(at, d) for at, d, _ch, _dr, _oc, consent in events if consent]
    for zone in person["zones"]:
        local = when.astimezone(zone)
        minutes = local.hour * 60 + local.minute
        # Time of day: [08:00, 21:00) local.
        if not (8 * 60 <= minutes < 21 * 60):
            return False
        # Designated inconvenient times.
        for start, end in person["inconvenient"]:
            inside = start <= minutes < end if start < end else (minutes >= start or minutes < end)
            if inside:
                return False
        if channel not in CALL_LIKE or _consented(consents, debt, when, zone):
            continue
        today = local.date()
        first_day = today - timedelta(days=6)
        placed = 0
        for at, d, ch, direction, outcome, _consent in events:
            if d != debt:
                continue
            day = at.astimezone(zone).date()
            if not (first_day <= day <= today):
                continue
            # A telephone conversation about the debt in the last 7 local days.
            if outcome == "conversation" and ch == "call":
                return False
            if (
                direction == "outbound"
                and ch in CALL_LIKE
                and outcome not in NOT_COUNTED
                and not _consented(consents, debt, at, zone)
            ):
                placed += 1
        if placed >= 7:
            return False
    return True


def run_python(data: dict[str, Any]) -> np.ndarray:
    py = data["py"]
    events, people = py["events"], py["people"]
    return np.array(
        [python_allowed(people[p[0]], events[p[0]], p) for p in py["proposals"]], dtype=bool
    )


def check(result: Any, base: Any) -> None:
    result, base = np.asarray(result), np.asarray(base)
    if not np.array_equal(result, base):
        bad = np.flatnonzero(result != base)
        raise AssertionError(f"{bad.size} decisions differ, first at row {int(bad[0])}")


BENCHMARKS = [
    Benchmark(
        name="compliance_decisions",
        setup=setup,
        variants={
            "arrears": run_arrears,
            "arrears_2cores": lambda d: run_arrears(d, threads=0),
            "arrears_windows": lambda d: run_arrears(d, threads=0, windows=True),
            "python": run_python,
        },
        sizes=(20_000, 100_000),
        quick_sizes=(2_000,),
        unit="decisions",
        repeat=3,
        description=__doc__.split("\n\n")[0] if __doc__ else "",
        targets=">= 1 M single-contact decisions per second per core (variant `arrears`, 1 "
        "thread) with 50 history events per consumer; >= 30x the plain-Python implementation",
        check=check,
    ),
    Benchmark(
        name="compliance_worklist",
        setup=lambda n: setup(n, python=False),
        variants={
            "arrears": run_arrears,
            "arrears_2cores": lambda d: run_arrears(d, threads=0),
            "arrears_windows": lambda d: run_arrears(d, threads=0, windows=True),
        },
        sizes=(400_000,),
        quick_sizes=(5_000,),
        unit="decisions",
        repeat=3,
        description="The worklist scale: 400,000 proposed calls against 20 million history "
        "rows (50 per consumer), no plain-Python variant (it would take minutes).",
        targets=">= 1 M decisions per second per core",
    ),
]


def cpu_time_report(size: int = 100_000, repeat: int = 3) -> None:
    """Per-core throughput from CPU time (robust on a shared machine where wall time is not).

    ``python bench/bench_compliance.py [size]``: each variant runs `repeat` times in this process
    after one warm-up; the best CPU time (all threads of the process) is reported.
    """
    import time

    data = setup(size)
    variants = {
        "arrears (1 thread)": run_arrears,
        "arrears_windows (1 thread)": lambda d: run_arrears(d, threads=1, windows=True),
        "python": run_python,
    }
    base = None
    for name, fn in variants.items():
        result = fn(data)
        if base is None:
            base = result
        check(result, base)
        best = float("inf")
        for _ in range(repeat):
            t0 = time.process_time()
            fn(data)
            best = min(best, time.process_time() - t0)
        print(f"{name:28} {size:>9,} decisions  cpu {best * 1e3:9.1f} ms  {size / best:>12,.0f} /s")


if __name__ == "__main__":
    cpu_time_report(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
