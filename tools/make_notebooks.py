"""Writes the example notebooks in notebooks/ from the cells below (run by hand after editing;
the test suite executes the .ipynb files with nbmake)."""

from __future__ import annotations

import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = pathlib.Path(__file__).resolve().parent.parent / "notebooks"

PORTFOLIO = [
    (
        "md",
        """# A tour of the portfolio engine

A collections team's first question every morning: *who hasn't paid, and how serious is it?*
This notebook builds a small synthetic portfolio in an embedded store, ages it, applies a
strategy with a champion/challenger split, backtests it on history, and draws the reports.
Everything heavy runs in C++ over columns; what comes back are Arrow tables that pandas reads.""",
    ),
    (
        "code",
        """import datetime as dt
import tempfile, pathlib
import arrears
from arrears import demo, reports

AS_OF = dt.date(2026, 11, 23)
folder = pathlib.Path(tempfile.mkdtemp())
store, data = demo.build_store(folder / "tour.db", 5_000, seed=7, as_of=AS_OF)
store""",
    ),
    ("md", "The placement files the store was loaded from (debtors, accounts, payments):"),
    ("code", "data.accounts.head()"),
    (
        "md",
        """## Load and age
`load_portfolio` reads every account's columns straight into the engine. Aging works for any
date — past dates replay the ledgers of accounts that changed since.""",
    ),
    (
        "code",
        """portfolio = store.load_portfolio(AS_OF)
portfolio""",
    ),
    (
        "code",
        """aging = reports.aging(store, AS_OF)
aging.plot();
aging.frame[["bucket", "accounts", "balance"]]""",
    ),
    (
        "code",
        "reports.aging(store, AS_OF, by='client').frame.pivot(index='client', columns='bucket', values='accounts')",
    ),
    (
        "md",
        """## A strategy: factors, exclusions, segments, arms
Scores are weighted, capped factors; every part of a score comes back as a column, so each
decision explains itself. 20% of accounts go to a challenger that weights balance more.""",
    ),
    (
        "code",
        """strategy = arrears.Strategy.from_dict({
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
applied.groupby(["arm", "segment"], observed=True).size().unstack(fill_value=0)""",
    ),
    ("md", "The call worklist for tomorrow 15:00 UTC, each call cleared by the compliance engine:"),
    (
        "code",
        """call_at = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.timezone.utc)
worklist = strategy.worklist(portfolio, AS_OF, top_percent=20,
                             compliance=store.compliance_gate(call_at)).to_pandas()
worklist[["queue", "rank", "account_id", "score", "part_dpd", "part_balance_cents", "call_allowed", "blocked_rule"]].head(10)""",
    ),
    ("code", "worklist.groupby(['queue', 'call_allowed'], observed=True).size()"),
    (
        "md",
        """## Backtest champion and challenger on history
Run the strategy as of three past month-ends and see what each arm's segments collected in the
30 days after.""",
    ),
    (
        "code",
        """snapshots = [(d, store.load_portfolio(d)) for d in (dt.date(2026, 7, 31), dt.date(2026, 8, 31), dt.date(2026, 9, 30))]
payments = data.payments
bt = strategy.backtest(snapshots, payments, horizon_days=30).to_pandas()
bt.groupby(["arm", "segment"])[["accounts", "collected_cents", "balance_cents"]].sum().assign(
    liquidation=lambda f: f.collected_cents / f.balance_cents)""",
    ),
    ("md", "## Roll rates and liquidation curves"),
    ("code", """reports.roll_rates(store, dt.date(2026, 10, 23), AS_OF).plot();"""),
    ("code", """reports.liquidation(store, AS_OF).plot();"""),
]

PLANS = [
    (
        "md",
        """# Payment plans, offers and compliance, explained

The "advise" duty: from a debtor's budget and the client's policy, propose the plans and
settlements a collector may offer; schedule them exactly; follow them; and check every contact
against Regulation F — with the rule and citation behind each answer.""",
    ),
    (
        "code",
        """import datetime as dt
from arrears import plans, Money
from arrears.compliance import Consumer, ContactAttempt, ContactPolicy, validation_period

AS_OF = dt.date(2026, 11, 23)""",
    ),
    ("md", "## What can this debtor afford?"),
    (
        "code",
        """budget = plans.Budget(monthly_income="2400.00", monthly_expenses="2150.00", available_funds="300.00")
policy = plans.OfferPolicy(minimum_payment="25", maximum_term_months=12, settlement_floor="0.6", offer_expiry_days=14)
offers = plans.propose_offers("1850.00", budget, policy, AS_OF)
for o in offers[:5]:
    print(o)""",
    ),
    ("md", "## An exact schedule (the reference's worked vector) and its APR"),
    (
        "code",
        """s = plans.installment_schedule("1000.00", 12, dt.date(2026, 2, 1), annual_rate="0.12")
print([str(x.amount) for x in s][-2:], s.total_interest, plans.apr("1000.00", s))
s""",
    ),
    ("md", "## Following a plan: kept, missed, broken"),
    (
        "code",
        """plan = plans.installment_plan("300.00", plan_date=dt.date(2026, 1, 15), first_due=dt.date(2026, 2, 1), count=3)
ev = plan.evaluate([(dt.date(2026, 2, 1), "100.00")], as_of=dt.date(2026, 4, 10))
print(ev.status, [(e.type, e.date) for e in ev.events])
ev""",
    ),
    (
        "md",
        """## May we call? Each decision explained
A consumer whose address and phone disagree on the time zone can be called only when it is
08:00–21:00 in **both** zones.""",
    ),
    (
        "code",
        """consumer = Consumer("D1", time_zones=["America/New_York", "America/Los_Angeles"])
policy = ContactPolicy.regulation_f()
at = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.timezone.utc)   # 09:00 New York, 06:00 Los Angeles
call = ContactAttempt("D1", ["A1"], "call", "outbound", "connected", at)
decision = policy.check(consumer, call, [])
decision""",
    ),
    (
        "code",
        """print(policy.next_allowed(consumer, call, []))
history = [ContactAttempt("D1", ["A1"], "call", "outbound", "connected", at - dt.timedelta(days=d, hours=-6)) for d in range(1, 8)]
policy.check(consumer, ContactAttempt("D1", ["A1"], "call", "outbound", "connected", at + dt.timedelta(hours=6)), history)""",
    ),
    ("md", "## The validation period of a notice sent before a holiday weekend"),
    (
        "code",
        """receipt, end = validation_period(dt.date(2026, 11, 24))
print("assumed receipt", receipt, "- the consumer may dispute through", end)""",
    ),
]

CAMPAIGN = [
    (
        "md",
        """# A letter campaign from the store

The letter-campaign desk's job: pick the accounts that need a letter, leave out everyone the law
says must not get one (and say why), render the letters, hand a print vendor a folder it can
trust, and record every letter as a communication so compliance and credit reporting see it.
This notebook does that end to end on a small synthetic portfolio. The guide is
`docs/letter-campaigns.md`; reference details are in `docs/letters.md`.""",
    ),
    (
        "code",
        """import datetime as dt
import hashlib, json, pathlib, tempfile
import pandas as pd
import arrears
from arrears import demo
from arrears.letters import Address, Campaign, CollectorProfile, Template, store_selection

AS_OF = dt.date(2026, 11, 23)          # the letter date
folder = pathlib.Path(tempfile.mkdtemp())
store, data = demo.build_store(folder / "letters.db", 2_000, seed=11, as_of=AS_OF)
print(store.query("SELECT count(*) AS accounts FROM accounts").to_pylist()[0])""",
    ),
    (
        "md",
        """## Life happened before the letters go out
A few debtors died, filed for bankruptcy, hired an attorney, asked us to stop, or disputed in
writing; one account had a phone conversation. These are the facts suppression reads, recorded
in the store the way the collectors' desk records them.""",
    ),
    (
        "code",
        """from arrears.debtor import AttorneyRepresentation, Bankruptcy, CeaseCommunication, Deceased
from arrears.compliance import ContactAttempt

owner = dict(zip(data.accounts.account_id, data.accounts.debtor_id))
ids = list(data.accounts.account_id)
before = AS_OF - dt.timedelta(days=10)
changes = {
    ids[0]: {"deceased": Deceased(before, source="family")},
    ids[1]: {"bankruptcies": [Bankruptcy(7, before)]},
    ids[2]: {"attorneys": [AttorneyRepresentation(before, name="R. Counsel")]},
    ids[3]: {"cease_communications": [CeaseCommunication(ids[3], before)]},
}
for account_id, change in changes.items():
    store.save(store.debtor(owner[account_id]).replace(**change))
store.record_dispute(ids[4], before)
talked = dt.datetime.combine(before, dt.time(15, 0), tzinfo=dt.timezone.utc)
store.record_contacts([ContactAttempt(owner[ids[5]], [ids[5]], "call", "outbound", "conversation", talked)])""",
    ),
    (
        "md",
        """## The selection, from the store
`store_selection(store, as_of)` builds, in one C++ call, every column a letter needs: the
itemization from the ledger (12 CFR 1006.34(c)(2)), the primary debtor's best mailing address,
language and time zone, the suppression flags, and from the contact history whether a letter
would be the **initial communication** about the debt. It is a dict of columns; pandas reads it.""",
    ),
    (
        "code",
        """selection = pd.DataFrame(store_selection(store, AS_OF))
selection[["account_id", "recipient_name", "state", "postal_code", "language",
           "itemization_date", "itemization_amount_cents", "current_cents",
           "initial_communication", "deceased", "cease", "dispute_pause"]].head()""",
    ),
    (
        "md",
        """## Who needs a validation notice?
A debt collector must send the validation notice of 12 CFR 1006.34 in (or within five days of)
its initial communication. Accounts with nothing logged yet (`initial_communication` true) and
a balance get it now; the account we already talked to gets it through another path (the desk
sends it within five days of that call), and paid-off accounts get no collection letter.""",
    ),
    (
        "code",
        """needs_notice = selection[selection.initial_communication & (selection.current_cents > 0)]
print(len(selection), "accounts,", len(needs_notice), "owe and have no communication logged yet")
print("already talked to:", sorted(selection.account_id[~selection.initial_communication]))
print("paid off:", int((selection.current_cents == 0).sum()))""",
    ),
    (
        "md",
        """## The campaign
A `CollectorProfile` holds what the notice prints about us: name, the address where disputes
are accepted, phone and hours, the electronic dispute and request addresses. `Campaign` checks
the selection once and decides suppression up front, one reason per account, in a fixed order
(`docs/letter-campaigns.md` lists it). In Jupyter a campaign shows its counts and the first
letters.""",
    ),
    (
        "code",
        """collector = CollectorProfile(
    "North South Group",
    Address("1234 Main Street", "Suite 100", "Anytown", "MA", "02110"),
    "(800) 123-4567",
    hours="from 8am to 8pm Eastern, Monday to Saturday",
    website="www.example.com",
    dispute_url="www.example.com/dispute",
    original_creditor_url="www.example.com/request",
    email="letters@example.com",
)
name = f"vn-{AS_OF.isoformat()}"
notices = Campaign(name, "validation_notice", needs_notice, AS_OF, collector=collector)
print(notices.counts)
print({reason: n for reason, n in notices.suppressed_by_reason.items() if n})""",
    ),
    (
        "md",
        "Which account was left out, and why (the manifest will list the same):",
    ),
    (
        "code",
        """pd.DataFrame({"account_id": needs_notice.account_id, "reason": notices.suppressed}).dropna()""",
    ),
    ("code", "notices"),
    (
        "md",
        """## Dry run
`dry_run()` renders every letter (a bad account or a template miss fails now, naming it) and
writes and logs nothing.""",
    ),
    (
        "code",
        """preview = notices.dry_run()
print(preview.counts, "- letters rendered in memory:", len(preview.letters), "shown")""",
    ),
    (
        "md",
        """## Run: the folder for the print vendor, and the log in the store
The print vendor's CSV comes from a mapping of headers to paths in the letter data (ZIP codes
stay text). `log=store.letter_sink(campaign)` records every letter in the store in one
transaction once the folder is complete; if anything fails, the folder is removed and nothing
counts as sent. (`pdf=True` adds one PDF per batch with the `[pdf]` extra.)""",
    ),
    (
        "code",
        """vendor = {"columns": [
    {"header": "LetterId", "field": "letter_id"},
    {"header": "Name", "field": "recipient.name"},
    {"header": "Address1", "field": "recipient.address.line1"},
    {"header": "City", "field": "recipient.address.city"},
    {"header": "State", "field": "recipient.address.state"},
    {"header": "ZIP", "field": "recipient.address.postal_code"},
    {"header": "Reference", "field": "reference"},
    {"header": "Balance", "field": "balance"},
    {"header": "File", "field": "batch_file"},
]}
out = folder / "out" / name
result = notices.run(out, csv_mapping=vendor, log=store.letter_sink(notices))
result""",
    ),
    ("code", """pd.read_csv(out / "print_vendor.csv", dtype=str).head()"""),
    (
        "md",
        """### The manifest: what was sent, and proof of it
`manifest.json` records the counts, every suppressed account with its reason, the template's
SHA-256 and every file's size and SHA-256. An auditor can recompute the hashes:""",
    ),
    (
        "code",
        """manifest = json.loads((out / "manifest.json").read_text())
print(manifest["counts"], manifest["suppressed"])
print("template sha256:", manifest["template"]["sha256"][:16], "...")
for f in manifest["files"]:
    actual = hashlib.sha256((out / f["path"]).read_bytes()).hexdigest()
    print(f"{f['path']:20} {f['bytes']:>9,} bytes  hash matches: {actual == f['sha256']}")""",
    ),
    (
        "md",
        """### The letters in the store
Each letter is a row of `letters` (with the batch file, byte offset and length of its text) and
a contact event (channel letter, outcome delivered) linked to its debt.""",
    ),
    (
        "code",
        """store.query(
    "SELECT letter_id, account_id, template, language, sent_on, file, byte_offset, byte_length "
    "FROM letters ORDER BY letter_id LIMIT 5").to_pandas()""",
    ),
    (
        "code",
        """store.query(
    "SELECT l.campaign_id, count(*) AS letters, "
    "  (SELECT count(*) FROM contact_events e WHERE e.channel = 'letter') AS contact_events, "
    "  c.suppressed, c.suppressed_by_reason "
    "FROM letters l JOIN campaigns c ON c.id = l.campaign_id GROUP BY l.campaign_id").to_pandas()""",
    ),
    (
        "md",
        """## The same campaign twice is refused
A campaign name is logged once. Running it again writes the folder, the store refuses the log
with a `ConflictError`, and the second folder is removed: nothing is half-written, nothing is
sent twice.""",
    ),
    (
        "code",
        """letters_before = store.query("SELECT count(*) AS n FROM letters").to_pylist()[0]["n"]
again = folder / "out" / (name + "-again")
try:
    notices.run(again, csv_mapping=vendor, log=store.letter_sink(notices))
except arrears.ConflictError as e:
    print("refused:", e)
print("second folder exists:", again.exists())
print("letters logged:", letters_before, "->", store.query("SELECT count(*) AS n FROM letters").to_pylist()[0]["n"])""",
    ),
    (
        "md",
        """## What logging changed
The letters are now communications about their debts. A selection after the letter date sees
it: `initial_communication` turns false (later letters carry the subsequent-communication
disclosure of 1006.18(e)), `english_notice_sent` turns true, and only the suppressed accounts
(and the paid-off ones, which got no letter) still wait for a first communication.""",
    ),
    (
        "code",
        """LATER = AS_OF + dt.timedelta(days=45)
after = pd.DataFrame(store_selection(store, LATER))
pd.crosstab(selection.set_index("account_id").initial_communication.rename("initial before"),
            after.set_index("account_id").initial_communication.rename("initial after"))""",
    ),
    (
        "code",
        """still = after[after.initial_communication & (after.current_cents > 0)]
print("still owe and wait for a first communication:", sorted(still.account_id))
print("the accounts the campaign suppressed:", sorted(still.account_id) == sorted(a for a, r in zip(needs_notice.account_id, notices.suppressed) if r))""",
    ),
    (
        "md",
        """The logged letters also start the clock for credit reporting: a collector may not furnish a
debt before it has communicated about it, and a mailed letter allows furnishing from the 15th day
after mailing (12 CFR 1006.30(a)(1)). A Metro 2 dry run at month end (`record=False`: nothing
is recorded) leaves out, among the accounts that owe, exactly those still waiting for a first
communication (other exclusions are Metro 2's own checks, docs/metro2.md).""",
    ),
    (
        "code",
        """from collections import Counter
from arrears import metro2 as m2

month_end = dt.date(2026, 12, 31)
header = m2.HeaderRecord(reporter_name="NORTH SOUTH GROUP",
                         reporter_address="1234 MAIN STREET ANYTOWN MA 02110",
                         activity_date=month_end, date_created=month_end,
                         equifax_program_identifier="EQ12345")
dry = m2.monthly_file(store, month_end, header, m2.Metro2Profile(identification_number="AGENCY01"),
                      record=False)
print("reported:", len(dry.reported), "- left out:", dict(Counter(e.code for e in dry.excluded)))
owes = set(after.account_id[after.current_cents > 0])
not_yet = sorted(e.account_id for e in dry.excluded
                 if e.code == "no_earliest_furnishing_date" and e.account_id in owes)
print("owe, no furnishing date yet:", not_yet)
print("the accounts still waiting for a first communication:", not_yet == sorted(still.account_id))""",
    ),
    (
        "md",
        """## A custom reminder with a field of our own
Forty-five days later the validation period has ended. The client wants a short reminder that
prints its payment-portal code. A `Template` is Mustache: `{{x}}` escapes HTML, sections
repeat or test, partials hold shared pieces. Strict mode (the default) makes a missing value an
error, so no letter goes out with a blank amount; the campaign refuses a template that never
prints the 1006.18(e) `disclosure`. Custom values go in the `extra` column and are read as
`{{extra.name}}`.""",
    ),
    (
        "code",
        """reminder = Template(
    \"\"\"<article class="letter">
{{>letterhead}}
<p>{{recipient.name}}<br>{{#recipient.address_lines}}{{.}}<br>{{/recipient.address_lines}}</p>
<p>Reference {{reference}} &middot; {{account.creditor}} account {{account.number}}</p>
<p>As of {{letter_date}} you owe <b>{{balance}}</b>.
Pay online at {{collector.website}} with portal code <b>{{extra.portal_code}}</b>.</p>
<p><small>{{disclosure}}</small></p>
</article>\"\"\",
    partials={"letterhead": "<header>{{collector.name}} &middot; {{collector.phone}}</header>"},
)
lint = reminder.lint(required=["disclosure"])
print("variables:", lint.variables)
print("missing required:", lint.missing_required)""",
    ),
    (
        "md",
        """The reminder goes to accounts that got a notice and still owe; the portal code is the
client's (here derived from the account id). Spanish speakers need a Spanish template, so this
English one goes to the English letters only.""",
    ),
    (
        "code",
        """sent_ids = set(store.query("SELECT account_id FROM letters").to_pandas().account_id)
owing = after[after.account_id.isin(sent_ids) & (after.current_cents > 0) & (after.language == "en")].copy()
owing["extra"] = [{"portal_code": "NSG-" + a[-6:]} for a in owing.account_id]
reminders = Campaign(f"rem-{LATER.isoformat()}", reminder, owing, LATER, collector=collector)
print(reminders.counts)
print(reminders.preview(1)[0])""",
    ),
    (
        "code",
        """reminders.dry_run()""",
    ),
    (
        "md",
        """The disclosure above is the short one: these debtors heard from us before. A missing custom
field is an error naming it, before anything is written:""",
    ),
    (
        "code",
        """broken = owing.drop(columns=["extra"])
try:
    Campaign("rem-broken", reminder, broken, LATER, collector=collector).dry_run()
except arrears.ValidationError as e:
    print(type(e).__name__, ":", e)""",
    ),
    (
        "md",
        """## E-mail needs the opt-out notice
An e-mailed letter must tell the consumer how to opt out of e-mail (12 CFR 1006.6(e)); the
campaign refuses an e-mail template that never prints `email_opt_out`. The built-in letters
carry it; this is the text they print:""",
    ),
    (
        "code",
        """from arrears.letters import email_opt_out_text
print(email_opt_out_text(collector))
send_at = dt.datetime.combine(LATER, dt.time(15, 0), tzinfo=dt.timezone.utc)
try:
    Campaign("rem-email", reminder, owing, send_at, collector=collector, channel="email",
             text_template=Template("{{disclosure}} {{balance}}", escape="none"))
except arrears.ValidationError as e:
    print("refused:", e)""",
    ),
    (
        "md",
        """Run the reminder like the notices (`reminders.run(folder, log=store.letter_sink(reminders))`);
the guide describes the outputs and what the store does with each letter.""",
    ),
]


def write(name: str, cells: list[tuple[str, str]]) -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells
    ]
    for i, cell in enumerate(nb.cells):  # stable ids: regenerating changes only edited cells
        cell["id"] = f"{pathlib.Path(name).stem[:20]}-{i:02d}"
    HERE.mkdir(exist_ok=True)
    nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    write("portfolio_tour.ipynb", PORTFOLIO)
    write("plans_and_compliance.ipynb", PLANS)
    write("letter_campaign.ipynb", CAMPAIGN)
