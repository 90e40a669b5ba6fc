"""Strategies from Python: loading (JSON, TOML, dict), apply, worklists with the compliance seam,
champion/challenger arms and the backtest."""

from __future__ import annotations

import datetime
import pickle
from pathlib import Path

import pandas as pd
import pytest

import arrears
from arrears import Portfolio, Strategy

AS_OF = datetime.date(2026, 11, 23)

CONFIG = {
    "name": "collections-2026",
    "factors": [
        {"column": "dpd", "weight": 50, "cap": 180},
        {"column": "balance_cents", "weight": 30, "cap": 500_000, "transform": "log"},
        {"column": "broken_promises", "weight": 20, "cap": 3},
    ],
    "exclusions": ["disputed", "cease"],
    "segments": [
        {
            "name": "early",
            "when": {"column": "dpd", "between": [1, 60]},
            "treatment": {"type": "call", "queue": "early"},
        },
        {
            "name": "late",
            "when": {"column": "dpd", ">": 60},
            "treatment": {"type": "call", "queue": "late"},
        },
        {"name": "current", "treatment": {"type": "hold"}},
    ],
    "arms": [{"name": "champion", "percent": 70}, {"name": "challenger", "percent": 30}],
}


def portfolio(n: int = 1000) -> Portfolio:
    due = [AS_OF - datetime.timedelta(days=(i * 7) % 400) if i % 9 else None for i in range(n)]
    return Portfolio.from_pandas(
        pd.DataFrame(
            {
                "account_id": [f"ACC{i:05d}" for i in range(n)],
                "balance_cents": [(i * 7919) % 900_000 for i in range(n)],
                "oldest_unpaid_due": pd.to_datetime(due),
                "broken_promises": [i % 4 for i in range(n)],
                "status": ["disputed" if i % 50 == 0 else "active" for i in range(n)],
                "cease": [i % 77 == 0 for i in range(n)],
            }
        )
    )


def test_apply_gives_every_account_a_decision() -> None:
    s = Strategy.from_dict(CONFIG)
    df = s.apply(portfolio(), AS_OF).to_pandas()
    assert len(df) == 1000
    excluded = df[df.excluded]
    assert set(excluded.exclusion) == {"disputed", "cease"}
    assert excluded.segment.isna().all()
    worked = df[~df.excluded]
    assert set(worked.segment) == {"early", "late", "current"}
    assert (worked[worked.segment == "late"].dpd > 60).all()
    parts = df[["part_dpd", "part_balance_cents", "part_broken_promises"]].sum(axis=1)
    assert (parts - df.score).abs().max() < 1e-9
    assert set(df.arm) == {"champion", "challenger"}


def test_worklist_order_cut_and_compliance_seam() -> None:
    s = Strategy.from_dict(CONFIG)
    p = portfolio()
    full = s.worklist(p, AS_OF).to_pandas()
    for _, q in full.groupby("queue", observed=True):
        assert q["score"].is_monotonic_decreasing
        assert q["rank"].tolist() == list(range(1, len(q) + 1))
    top = s.worklist(p, AS_OF, queues="late", top_percent=10).to_pandas()
    late = full[full.queue == "late"]
    assert len(top) == -(-len(late) // 10)
    assert top.account_id.tolist() == late.account_id.tolist()[: len(top)]

    seen = {}

    def gate(worklist: arrears.Table, as_of: datetime.date) -> dict[str, list[object]]:
        seen["rows"] = worklist.num_rows
        seen["as_of"] = as_of
        return {"call_allowed": [i % 2 == 0 for i in range(worklist.num_rows)]}

    gated = s.worklist(p, AS_OF, top_n=5, compliance=gate).to_pandas()
    assert seen == {"rows": len(gated), "as_of": AS_OF}
    assert gated["call_allowed"].tolist()[:2] == [True, False]


def test_loading_forms_and_errors(tmp_path: Path) -> None:
    s = Strategy.from_dict(CONFIG)
    assert Strategy.from_json(s.to_json()) == s
    assert pickle.loads(pickle.dumps(s)) == s
    toml = tmp_path / "s.toml"
    toml.write_text(
        'name = "t"\n[[factors]]\ncolumn = "dpd"\nweight = 1\ncap = 90\n'
        '[[segments]]\nname = "all"\ntreatment = { type = "letter", template = "reminder" }\n'
    )
    t = Strategy.from_file(toml)
    assert t.name == "t" and t.segment_names == ["all"]
    with pytest.raises(arrears.ValidationError, match=r"\$\.factors\[0\]\.weight"):
        Strategy.from_dict(
            {"name": "x", "factors": [{"column": "dpd", "weight": "high", "cap": 1}]}
        )
    with pytest.raises(arrears.ValidationError, match="TOML"):
        Strategy.from_toml("name = ")
    with pytest.raises(arrears.ValidationError, match="cannot read"):
        Strategy.from_file(tmp_path / "missing.json")
    bad_column = Strategy.from_dict(
        {
            "name": "x",
            "segments": [
                {"name": "a", "when": {"column": "fico", ">": 600}, "treatment": {"type": "hold"}}
            ],
        }
    )
    with pytest.raises(arrears.ValidationError, match="'fico'"):
        bad_column.apply(portfolio(10), AS_OF)


def test_arms_are_stable_and_proportional() -> None:
    s = Strategy.from_dict(CONFIG)
    arms = [s.arm_of(f"ACC{i:05d}") for i in range(20_000)]
    share = arms.count("challenger") / len(arms)
    assert 0.28 < share < 0.32
    assert arms == [s.arm_of(f"ACC{i:05d}") for i in range(20_000)]


def test_backtest_reports_collections_per_arm_and_segment() -> None:
    s = Strategy.from_dict(CONFIG)
    p1, p2 = portfolio(), portfolio()
    payments = pd.DataFrame(
        {
            "account_id": ["ACC00001", "ACC00001", "ACC00002", "ACC99999"],
            "effective_date": pd.to_datetime(
                ["2026-11-24", "2027-02-01", "2026-11-23", "2026-11-24"]
            ),
            "amount_cents": [5_000, 7_000, 9_000, 1_000],
        }
    )
    snapshots = [(AS_OF, p1), (AS_OF - datetime.timedelta(days=30), p2)]
    bt = s.backtest(snapshots, payments, horizon_days=30).to_pandas()
    first = bt[bt.as_of == pd.Timestamp(AS_OF)]
    # Only ACC00001's payment on the 24th is inside (as_of, as_of + 30]; the 23rd is the
    # snapshot day itself and ACC99999 is not in the portfolio.
    assert first.collected_cents.sum() == 5_000
    assert first.accounts.sum() == 1000
    second = bt[bt.as_of == pd.Timestamp(AS_OF - datetime.timedelta(days=30))]
    assert second.collected_cents.sum() == 9_000
    with pytest.raises(arrears.ValidationError, match="horizon_days"):
        s.backtest(snapshots, payments, horizon_days=0)
