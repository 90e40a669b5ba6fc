"""Writes the example notebooks in notebooks/ from the cells below (run by hand after editing;
the test suite executes the .ipynb files with nbmake)."""

from __future__ import annotations

import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = pathlib.Path(__file__).resolve().parent.parent / "notebooks"

PORTFOLIO = [
    ("md", """# A tour of the portfolio engine

A collections team's first question every morning: *who hasn't paid, and how serious is it?*
This notebook builds a small synthetic portfolio in an embedded store, ages it, applies a
strategy with a champion/challenger split, backtests it on history, and draws the reports.
Everything heavy runs in C++ over columns; what comes back are Arrow tables that pandas reads."""),
    ("code", """import datetime as dt
import tempfile, pathlib
import arrears
from arrears import demo, reports

AS_OF = dt.date(2026, 11, 23)
folder = pathlib.Path(tempfile.mkdtemp())
store, data = demo.build_store(folder / "tour.db", 5_000, seed=7, as_of=AS_OF)
store"""),
    ("md", "The placement files the store was loaded from (debtors, accounts, payments):"),
    ("code", "data.accounts.head()"),
    ("md", """## Load and age
`load_portfolio` reads every account's columns straight into the engine. Aging works for any
date — past dates replay the ledgers of accounts that changed since."""),
    ("code", """portfolio = store.load_portfolio(AS_OF)
portfolio"""),
    ("code", """aging = reports.aging(store, AS_OF)
aging.plot();
aging.frame[["bucket", "accounts", "balance"]]"""),
    ("code", "reports.aging(store, AS_OF, by='client').frame.pivot(index='client', columns='bucket', values='accounts')"),
    ("md", """## A strategy: factors, exclusions, segments, arms
Scores are weighted, capped factors; every part of a score comes back as a column, so each
decision explains itself. 20% of accounts go to a challenger that weights balance more."""),
    ("code", """strategy = arrears.Strategy.from_dict({
    "name": "tour",
    "factors": [
        {"column": "dpd", "weight": 50, "cap": 365},
        {"column": "balance_cents", "weight": 30, "cap": 1_000_000, "transform": "log"},
        {"column": "days_since_last_payment", "weight": 20, "cap": 365, "null_value": 1},
    ],
    "exclusions": ["disputed", "cease", "bankrupt", "deceased"],
    "segments": [
        {"name": "early", "when": {"column": "dpd", "between": [1, 90]},
         "treatment": {"type": "call", "queue": "early"}},
        {"name": "recovery", "when": {"column": "balance_cents", ">=": 300_000},
         "treatment": {"type": "call", "queue": "recovery"}},
        {"name": "letters", "treatment": {"type": "letter", "template": "reminder"}},
    ],
    "arms": [
        {"name": "champion", "percent": 80},
        {"name": "challenger", "percent": 20,
         "factors": [{"column": "balance_cents", "weight": 70, "cap": 1_000_000},
                     {"column": "dpd", "weight": 30, "cap": 365}]},
    ],
})
applied = strategy.apply(portfolio, AS_OF).to_pandas()
applied.groupby(["arm", "segment"], observed=True).size().unstack(fill_value=0)"""),
    ("md", "The call worklist for tomorrow 15:00 UTC, each call cleared by the compliance engine:"),
    ("code", """call_at = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.timezone.utc)
worklist = strategy.worklist(portfolio, AS_OF, top_percent=20,
                             compliance=store.compliance_gate(call_at)).to_pandas()
worklist[["queue", "rank", "account_id", "score", "part_dpd", "part_balance_cents", "call_allowed", "blocked_rule"]].head(10)"""),
    ("code", "worklist.groupby(['queue', 'call_allowed'], observed=True).size()"),
    ("md", """## Backtest champion and challenger on history
Run the strategy as of three past month-ends and see what each arm's segments collected in the
30 days after."""),
    ("code", """snapshots = [(d, store.load_portfolio(d)) for d in (dt.date(2026, 7, 31), dt.date(2026, 8, 31), dt.date(2026, 9, 30))]
payments = data.payments
bt = strategy.backtest(snapshots, payments, horizon_days=30).to_pandas()
bt.groupby(["arm", "segment"])[["accounts", "collected_cents", "balance_cents"]].sum().assign(
    liquidation=lambda f: f.collected_cents / f.balance_cents)"""),
    ("md", "## Roll rates and liquidation curves"),
    ("code", """reports.roll_rates(store, dt.date(2026, 10, 23), AS_OF).plot();"""),
    ("code", """reports.liquidation(store, AS_OF).plot();"""),
]

PLANS = [
    ("md", """# Payment plans, offers and compliance, explained

The "advise" duty: from a debtor's budget and the client's policy, propose the plans and
settlements a collector may offer; schedule them exactly; follow them; and check every contact
against Regulation F — with the rule and citation behind each answer."""),
    ("code", """import datetime as dt
from arrears import plans, Money
from arrears.compliance import Consumer, ContactAttempt, ContactPolicy, validation_period

AS_OF = dt.date(2026, 11, 23)"""),
    ("md", "## What can this debtor afford?"),
    ("code", """budget = plans.Budget(monthly_income="2400.00", monthly_expenses="2150.00", available_funds="300.00")
policy = plans.OfferPolicy(minimum_payment="25", maximum_term_months=12, settlement_floor="0.6", offer_expiry_days=14)
offers = plans.propose_offers("1850.00", budget, policy, AS_OF)
for o in offers[:5]:
    print(o)"""),
    ("md", "## An exact schedule (the reference's worked vector) and its APR"),
    ("code", """s = plans.installment_schedule("1000.00", 12, dt.date(2026, 2, 1), annual_rate="0.12")
print([str(x.amount) for x in s][-2:], s.total_interest, plans.apr("1000.00", s))
s"""),
    ("md", "## Following a plan: kept, missed, broken"),
    ("code", """plan = plans.installment_plan("300.00", plan_date=dt.date(2026, 1, 15), first_due=dt.date(2026, 2, 1), count=3)
ev = plan.evaluate([(dt.date(2026, 2, 1), "100.00")], as_of=dt.date(2026, 4, 10))
print(ev.status, [(e.type, e.date) for e in ev.events])
ev"""),
    ("md", """## May we call? Each decision explained
A consumer whose address and phone disagree on the time zone can be called only when it is
08:00–21:00 in **both** zones."""),
    ("code", """consumer = Consumer("D1", time_zones=["America/New_York", "America/Los_Angeles"])
policy = ContactPolicy.regulation_f()
at = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.timezone.utc)   # 09:00 New York, 06:00 Los Angeles
call = ContactAttempt("D1", ["A1"], "call", "outbound", "connected", at)
decision = policy.check(consumer, call, [])
decision"""),
    ("code", """print(policy.next_allowed(consumer, call, []))
history = [ContactAttempt("D1", ["A1"], "call", "outbound", "connected", at - dt.timedelta(days=d, hours=-6)) for d in range(1, 8)]
policy.check(consumer, ContactAttempt("D1", ["A1"], "call", "outbound", "connected", at + dt.timedelta(hours=6)), history)"""),
    ("md", "## The validation period of a notice sent before a holiday weekend"),
    ("code", """receipt, end = validation_period(dt.date(2026, 11, 24))
print("assumed receipt", receipt, "- the consumer may dispute through", end)"""),
]


def write(name: str, cells: list[tuple[str, str]]) -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
    HERE.mkdir(exist_ok=True)
    nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    write("portfolio_tour.ipynb", PORTFOLIO)
    write("plans_and_compliance.ipynb", PLANS)
