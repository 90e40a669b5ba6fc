"""The SQLite store: arrears' state in one file.

``arrears.Store(path)`` opens (or creates) a store; ``":memory:"`` works for tests. It is a
context manager and a handle (not picklable). Analysts can read the same file with pandas,
DuckDB or the ``sqlite3`` shell through the documented views (docs/store.md).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from arrears._core import store as _store
from arrears._core.compliance import ContactAttempt, ContactPolicy
from arrears._core.debtor import Debtor
from arrears._core.ledger import Account
from arrears._core.money import Money
from arrears._core.plans import PaymentPlan
from arrears._progress import progress_bar
from arrears.errors import ConflictError, ValidationError
from arrears.frames import Table, as_arrow_stream

if TYPE_CHECKING:
    from arrears.letters import Campaign
    from arrears.portfolio import Portfolio

__all__ = ["ImportRejected", "LetterSink", "Store"]

ImportReport = _store.ImportReport


class ImportRejected(ValidationError):
    """An all-or-nothing import found bad rows, so nothing was written. ``report`` lists every
    problem with its line (or row), column and reason; pass ``keep_good=True`` to load the good
    rows and get the same report back."""

    def __init__(self, report: _store.ImportReport) -> None:
        shown = "; ".join(p.message() for p in report.problems[:10])
        more = f" (and {len(report.problems) - 10} more)" if len(report.problems) > 10 else ""
        super().__init__(
            f"{report.kind} import from {report.source!r}: {report.rejected} of {report.rows} rows "
            f"rejected, nothing written: {shown}{more}"
        )
        self.report = report

    def __reduce__(self) -> Any:
        return (ValidationError, (str(self),))


class Store:
    """One SQLite file (WAL, foreign keys, STRICT tables, versioned schema, audit log).

    ``actor`` names who made the changes in the audit log (a collector, ``nightly-batch``).
    ``read_only=True`` opens an existing file without writing to it.
    """

    __slots__ = ("_cache", "_pending", "_s")

    def __init__(
        self,
        path: str | os.PathLike[str] = "arrears.db",
        *,
        read_only: bool = False,
        actor: str = "arrears",
        busy_timeout_ms: int = 5000,
        create: bool = True,
    ) -> None:
        self._s: _store.Store = _store.Store(
            os.fspath(path), read_only, busy_timeout_ms, actor, create
        )
        # Portfolio tables by as-of date, valid while nothing in the store changed.
        self._cache: dict[datetime.date, tuple[tuple[int, int], Table]] = {}
        # Outputs (arrears.outputs) recorded in the open transaction: (publish, discard) each,
        # run when the outermost transaction commits or rolls back.
        self._pending: list[tuple[Callable[[], None], Callable[[], None]]] = []

    # -- handle life ----------------------------------------------------------------------------
    @property
    def handle(self) -> _store.Store:
        return self._s

    def close(self) -> None:
        self._cache.clear()
        self._s.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __reduce__(self) -> Any:
        raise TypeError("a Store is an open database handle and cannot be pickled")

    def __repr__(self) -> str:
        state = "open" if self._s.is_open else "closed"
        mode = ", read-only" if self._s.read_only else ""
        return f"Store({self._s.path!r}, {state}{mode})"

    # -- facts ----------------------------------------------------------------------------------
    @property
    def path(self) -> str:
        return self._s.path

    @property
    def schema_version(self) -> int:
        return self._s.schema_version

    @property
    def actor(self) -> str:
        return self._s.actor

    @actor.setter
    def actor(self, value: str) -> None:
        self._s.actor = value

    # -- settings -------------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        value = self._s.setting(key)
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        if not isinstance(value, str):
            raise ValidationError(f"value: settings are text, got {type(value).__name__}")
        self._s.set_setting(key, value)

    # -- reading --------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> Table:
        """A read-only SQL query as an arrears.Table (``?`` placeholders, ``params`` bound:
        None, int, float, str, datetime.date)."""
        return self._s.query(sql, list(params))

    def read_table(self, name: str) -> Table:
        """A whole table or view."""
        return self._s.read_table(name)

    def tables(self) -> list[str]:
        return self._s.table_names()

    def views(self) -> list[str]:
        return self._s.view_names()

    def export(self, name: str, path: str | os.PathLike[str], format: str | None = None) -> int:  # noqa: A002
        """Writes a table or view to ``path`` as CSV (RFC 4180, through the one CSV writer:
        text cells a spreadsheet would run as formulas get a leading apostrophe) or Parquet
        (needs pyarrow); the format follows the suffix unless given. The file is written
        privately (0600) and renamed over ``path`` when complete. Returns the rows written."""
        from arrears.outputs import staged_file

        target = os.fspath(path)
        fmt = format or ("parquet" if target.endswith(".parquet") else "csv")
        if fmt not in ("csv", "parquet"):
            raise ValidationError(f"format: {fmt!r} is not csv or parquet")
        with staged_file(target) as staged:
            if fmt == "csv":
                return int(self._s.export_csv(name, str(staged)))
            import pyarrow.parquet as pq

            table = self.read_table(name)
            pq.write_table(table.to_arrow(), staged)
            return table.num_rows

    # -- transactions ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT) around the block; an exception
        rolls everything in it back. Nested blocks join the outer one. Outputs recorded in it
        (arrears.outputs) are published after the outermost commit, removed on a rollback."""
        self._s.begin()
        try:
            yield self
        except BaseException:
            self._s.rollback()
            self._settle(committed=False)
            raise
        try:
            self._s.commit()
        except BaseException:
            self._settle(committed=False)
            raise
        if not self._s.in_transaction:
            self._settle(committed=True)

    def _after_commit(self, publish: Callable[[], None], discard: Callable[[], None]) -> None:
        """Runs ``publish`` when the open write transaction commits, ``discard`` if it rolls
        back (arrears.outputs records its intents with this)."""
        if not self._s.in_transaction:
            raise ConflictError("store: an output is recorded inside a write transaction")
        self._pending.append((publish, discard))

    def _settle(self, committed: bool) -> None:
        pending, self._pending = self._pending, []
        error: BaseException | None = None
        for publish, discard in pending:
            try:
                (publish if committed else discard)()
            except BaseException as exc:  # the others still go; reconcile retries this one
                error = error or exc
        if error is not None:
            raise error

    # -- the domain -----------------------------------------------------------------------------
    def save(self, obj: Debtor | Account) -> None:
        """Saves a Debtor or an Account (upsert by id; an account's new journal entries are
        appended, its derived balances refreshed)."""
        if isinstance(obj, Debtor):
            self._s.save_debtor(obj)
        elif isinstance(obj, Account):
            self._s.save_account(obj)
        else:
            raise ValidationError(
                f"save: expected a Debtor or an Account, got {type(obj).__name__}"
            )

    def debtor(self, debtor_id: str) -> Debtor:
        return self._s.load_debtor(debtor_id)

    def account(self, account_id: str) -> Account:
        return self._s.load_account(account_id)

    def has_debtor(self, debtor_id: str) -> bool:
        return self._s.has_debtor(debtor_id)

    def has_account(self, account_id: str) -> bool:
        return self._s.has_account(account_id)

    def account_ids(self, debtor_id: str | None = None) -> list[str]:
        return self._s.account_ids(debtor_id or "")

    def post_payment(
        self, account_id: str, amount: Any, effective: datetime.date, reference: str = ""
    ) -> Any:
        """Posts one payment to a stored account in one transaction; returns its allocation."""
        with self.transaction():
            account = self.account(account_id)
            allocation = account.post_payment(amount, effective, reference)
            self.save(account)
        return allocation

    def reverse(
        self,
        account_id: str,
        transaction_id: int,
        reason: str,
        effective: datetime.date | None = None,
    ) -> Any:
        """Reverses a payment of a stored account (NSF, chargeback ...) in one transaction."""
        with self.transaction():
            account = self.account(account_id)
            result = account.reverse(transaction_id, reason, effective=effective)
            self.save(account)
        return result

    # -- imports --------------------------------------------------------------------------------
    def _import(
        self,
        fn: Any,
        source: Any,
        mapping: Mapping[str, str] | None,
        keep_good: bool,
        currency: str,
    ) -> _store.ImportReport:
        if not isinstance(source, (str, os.PathLike)):
            source = as_arrow_stream(source, "source")
        report: _store.ImportReport = fn(source, keep_good, dict(mapping or {}), currency, None)
        if not report.committed:
            raise ImportRejected(report)
        return report

    def import_debtors(
        self, source: Any, *, mapping: Mapping[str, str] | None = None, keep_good: bool = False
    ) -> _store.ImportReport:
        """Debtors with their addresses, phones and emails from a CSV path, a DataFrame or an
        Arrow table; upsert by ``debtor_id`` (docs/store.md lists the columns)."""
        return self._import(self._s.import_debtors, source, mapping, keep_good, "USD")

    def import_accounts(
        self,
        source: Any,
        *,
        mapping: Mapping[str, str] | None = None,
        keep_good: bool = False,
        currency: str = "USD",
    ) -> _store.ImportReport:
        """Accounts and their placed balances; upsert by ``account_id`` (a re-import updates the
        descriptive fields, never the ledger)."""
        return self._import(self._s.import_accounts, source, mapping, keep_good, currency)

    def import_contacts(
        self, source: Any, *, mapping: Mapping[str, str] | None = None, keep_good: bool = False
    ) -> _store.ImportReport:
        """Contact points, e.g. a skip-trace vendor file (source, confidence, seen dates)."""
        return self._import(self._s.import_contacts, source, mapping, keep_good, "USD")

    def import_payments(
        self,
        source: Any,
        *,
        mapping: Mapping[str, str] | None = None,
        keep_good: bool = False,
        currency: str = "USD",
    ) -> _store.ImportReport:
        """Payments posted to the ledgers; a (account_id, reference) already posted is skipped."""
        return self._import(self._s.import_payments, source, mapping, keep_good, currency)

    # -- contacts and compliance ----------------------------------------------------------------
    def record_contacts(
        self, attempts: Iterable[ContactAttempt], collector: str | None = None
    ) -> None:
        """Appends contact attempts (calls, texts, e-mails, letters) to the contact history the
        compliance engine reads."""
        self._s.record_contacts(list(attempts), collector or "")

    def contact_history(self, since: datetime.datetime, until: datetime.datetime) -> Table:
        """One row per (contact, debt) from ``since`` to ``until`` (aware datetimes)."""
        return self._s.contact_history(since, until)

    def check_contacts(
        self,
        account_ids: Iterable[str],
        at: datetime.datetime,
        channel: str = "call",
        policy: ContactPolicy | None = None,
        *,
        state_overlays: bool = True,
        history_days: int = 14,
        threads: int = 0,
    ) -> Table:
        """The compliance engine over stored debtors and contacts: for each account, may we
        contact its debtor on ``channel`` at ``at``, when next, and which rule blocks it.
        ``policy`` defaults to Regulation F; state overlays (MA, WA ...) are added per consumer."""
        base = policy or ContactPolicy.regulation_f()
        return self._s.check_contacts(
            [str(a) for a in account_ids], at, channel, base, state_overlays, history_days, threads
        )

    def compliance_gate(
        self,
        at: datetime.datetime | Callable[[datetime.date], datetime.datetime],
        channel: str = "call",
        policy: ContactPolicy | None = None,
        **options: Any,
    ) -> Callable[[Table, datetime.date], dict[str, Any]]:
        """The ``compliance=`` callable for :meth:`arrears.Strategy.worklist`: every worklist row
        gets ``call_allowed``, ``next_allowed_at``, ``window_end_at``, ``blocked_rule`` and
        ``citation`` from :meth:`check_contacts` at the planned call time ``at``."""

        def gate(worklist: Table, as_of: datetime.date) -> dict[str, Any]:
            when = at(as_of) if callable(at) else at
            checked = self.check_contacts(
                worklist.column("account_id").tolist(), when, channel, policy, **options
            ).to_pydict()
            return {
                k: checked[k]
                for k in (
                    "call_allowed",
                    "next_allowed_at",
                    "window_end_at",
                    "blocked_rule",
                    "citation",
                )
            }

        return gate

    # -- the batch engine -----------------------------------------------------------------------
    def portfolio_table(self, as_of: datetime.date) -> Table:
        """The columns the portfolio engine reads, for every account as of a date. Kept for
        the last few dates while nothing in the store changes (reports of one run share it)."""
        version = self._s.change_counter()
        hit = self._cache.get(as_of)
        if hit is not None and hit[0] == version:
            return hit[1]
        table = self._s.portfolio_table(as_of)
        self._cache = {d: v for d, v in self._cache.items() if v[0] == version}
        if len(self._cache) >= 4:
            self._cache.pop(next(iter(self._cache)))
        self._cache[as_of] = (version, table)
        return table

    def load_portfolio(
        self, as_of: datetime.date, columns: Sequence[str] | None = None
    ) -> Portfolio:
        """A Portfolio of every account as of a date, read straight into columns."""
        from arrears.portfolio import Portfolio

        return Portfolio.from_arrow(self.portfolio_table(as_of), columns)

    def record_bucket_moves(self, moves: Table, as_of: datetime.date) -> int:
        """Appends bucket moves (from ``arrears.portfolio.bucket_moves``) to the bucket history;
        a second call for the same date adds nothing. Returns the rows added."""
        return int(self._s.record_bucket_moves(moves, as_of))

    # -- progress of the batch calls --------------------------------------------------------------
    @contextlib.contextmanager
    def _progress(
        self, progress: bool | Callable[[int, int], object] | None, desc: str, total_sql: str
    ) -> Iterator[Callable[[int, int], object] | None]:
        """A callback for a batch call: the caller's own, or a tqdm bar (``progress=True``, or
        None on an interactive terminal / in Jupyter) over the rows ``total_sql`` counts."""
        if callable(progress):
            yield progress
            return
        if progress is False:
            yield None
            return
        total = int(self._s.query(total_sql, []).to_pylist()[0]["n"])
        with progress_bar(desc, total, progress, "accounts") as callback:
            yield callback

    # -- plans ----------------------------------------------------------------------------------
    def close_paid_accounts(self, as_of: datetime.date) -> list[str]:
        """Open accounts (active, legal) whose balance as of ``as_of`` is cleared and that are in
        no open plan move to status ``paid``, effective on the payment that cleared them (plans
        close their own accounts when evaluated); one transaction, audited. Returns their ids;
        running it again changes nothing."""
        return list(self._s.close_paid_accounts(as_of))

    def save_plan(self, plan: PaymentPlan) -> None:
        """Saves a payment plan, settlement or promise (an agreement; it needs a ``plan_id``).

        Its accounts (and debtor, when given) must be in the store, in the plan's currency and in
        no other open plan. Saving the same plan again changes nothing; saving
        ``plan.cancel(on)`` records the cancellation; any other change is a ConflictError. A new
        plan moves its active accounts to status ``plan`` (``promise`` for a promise to pay)."""
        if not isinstance(plan, PaymentPlan):
            raise ValidationError(f"plan: expected a PaymentPlan, got {type(plan).__name__}")
        self._s.save_plan(plan)

    def plan(self, plan_id: str) -> PaymentPlan:
        """The stored plan (NotFoundError when there is none)."""
        return self._s.load_plan(plan_id)

    def has_plan(self, plan_id: str) -> bool:
        return self._s.has_plan(plan_id)

    def plans(self, account_id: str | None = None, status: str | None = None) -> list[PaymentPlan]:
        """Stored plans sorted by id: all, those covering ``account_id``, and/or those whose status
        at their last evaluation is ``status`` (active, current, delinquent, broken, completed,
        cancelled)."""
        return self._s.load_plans(account_id or "", status)

    def plan_payments(
        self, plan_id: str, as_of: datetime.date
    ) -> list[tuple[datetime.date, Money]]:
        """The payments that count for a plan as of a date: the unreversed payments posted to its
        accounts' ledgers on or after the plan date. ``plan.evaluate(store.plan_payments(id, d),
        d)`` is what :meth:`evaluate_plans` computes for it."""
        return self._s.plan_payments(plan_id, as_of)

    def evaluate_plans(
        self,
        as_of: datetime.date,
        *,
        plan_ids: Sequence[str] | None = None,
        threads: int = 0,
        posted_at: datetime.datetime | None = None,
        progress: bool | Callable[[int, int], object] | None = None,
    ) -> Table:
        """Evaluates every open plan (or ``plan_ids``) as of a date against the payments in the
        ledgers, in one C++ call (GIL released) and one transaction.

        Stores each plan's status, installment states and events; a completed settlement posts
        the settlement discount on each account's ledger and the account becomes ``settled``;
        an account whose plan ends moves to ``paid`` (nothing left owing) or back to
        ``active``. Evaluating again as of the same date changes nothing and returns no rows.

        Returns one row per new event of every plan whose status changed or that has new events
        (columns plan_id, debtor_id, kind, previous_status, status, status_date, event,
        event_date, installment, amount_cents, account_id, detail), for letters (a broken
        promise: ``event == "broken"``) and worklists."""
        if plan_ids is not None and len(plan_ids) == 0:
            raise ValidationError("plan_ids: empty; pass None to evaluate every open plan")
        count = (
            "SELECT count(*) AS n FROM plans WHERE status IN ('active', 'current', 'delinquent')"
        )
        with self._progress(progress, "plans", count) as callback:
            return self._s.evaluate_plans(as_of, list(plan_ids or ()), threads, posted_at, callback)

    def reage_dates(self, account_id: str) -> list[datetime.date]:
        """Dates the account was re-aged (the ``previous_reages`` of ReagingRule.decide)."""
        return self._s.reage_dates(account_id)

    def record_reaging(
        self,
        account_id: str,
        reaged_on: datetime.date,
        *,
        plan_id: str = "",
        days_past_due_before: int = 0,
        reason: str = "",
    ) -> None:
        """Records a re-aging decision (append-only; once per account and date)."""
        self._s.record_reaging(account_id, reaged_on, plan_id, days_past_due_before, reason)

    # -- disputes -------------------------------------------------------------------------------
    def record_dispute(
        self,
        account_id: str,
        received_on: datetime.date,
        *,
        written: bool = True,
        within_validation: bool = True,
    ) -> int:
        """Records a dispute of an account; returns its id. While open it pauses collection
        letters (a written dispute within the validation period, until the verification is sent:
        12 CFR 1006.38(d)(2)) and is reported to the bureaus with compliance condition XB."""
        return int(self._s.record_dispute(account_id, received_on, written, within_validation))

    def record_verification(self, dispute_id: int, sent_on: datetime.date) -> None:
        """The verification (or the duplicative-dispute notice) went out on ``sent_on``."""
        self._s.record_verification(dispute_id, sent_on)

    def resolve_dispute(self, dispute_id: int, resolution: str, resolved_on: datetime.date) -> None:
        """Closes a dispute: ``resolved`` (verified or corrected; Metro 2 XH),
        ``resolved_disagrees`` (the consumer disagrees; XC) or ``withdrawn`` (XR)."""
        self._s.resolve_dispute(dispute_id, resolution, resolved_on)

    # -- letters --------------------------------------------------------------------------------
    def letter_table(
        self,
        account_ids: Sequence[str] | None,
        as_of: datetime.date,
        *,
        threads: int = 0,
        progress: bool | Callable[[int, int], object] | None = None,
    ) -> Table:
        """The letter columns (``arrears.letters.LETTER_COLUMNS``) of stored accounts as of a
        date, built in C++ in one call: itemization from the ledger, the primary debtor's best
        mailing address, e-mail, language and time zone, the suppression flags (deceased,
        bankruptcy, attorney, cease for this debt, a dispute pausing collection, e-mail opt-out),
        ``initial_communication`` and ``english_notice_sent`` from the communication history,
        and ``debtor_id``. ``account_ids=None`` takes every account. Pass the table to
        ``arrears.letters.Campaign`` as the selection."""
        if account_ids is not None and len(account_ids) == 0:
            raise ValidationError("account_ids: empty; pass None for every account")
        if isinstance(account_ids, str):
            raise ValidationError("account_ids: expected a list of ids, got a str")
        ids = list(account_ids or ())
        count = f"SELECT {len(ids)} AS n" if ids else "SELECT count(*) AS n FROM accounts"
        with self._progress(progress, "letters", count) as callback:
            return self._s.letter_table(ids, as_of, threads, callback)

    def log_letters(
        self, records: Sequence[Mapping[str, Any]], *, campaign: Campaign | None = None
    ) -> int:
        """Logs letters sent (the records ``Campaign.run`` hands its ``log``): each becomes a row
        of ``letters`` and a contact event (channel letter or email, outbound, delivered) with
        its debt, and the campaign a row of ``campaigns``, in one transaction. A campaign name is
        logged once (ConflictError the second time). Returns the letters logged."""
        suppressed: int | None = None
        reasons = ""
        if campaign is not None:
            suppressed = int(campaign.counts["suppressed"])
            reasons = json.dumps(campaign.suppressed_by_reason, sort_keys=True)
        return int(self._s.log_letters([dict(r) for r in records], suppressed, reasons))

    def letter_sink(self, campaign: Campaign | None = None) -> LetterSink:
        """A ``log`` for ``Campaign.run`` that records the letters in this store:
        ``campaign.run(out, log=store.letter_sink(campaign))`` (the campaign, when given, adds
        its suppression counts to the ``campaigns`` row). The campaign's folder is then an
        output of this store (arrears.outputs): recorded with the letters, published after
        they commit."""
        return LetterSink(self, campaign)

    def audit_log(self, table: str | None = None, since: datetime.date | None = None) -> Table:
        """The audit log (who, when, what, before/after as JSON), optionally for one table."""
        sql = "SELECT id, at, actor, table_name, row_key, action, before, after FROM audit_log"
        clauses, params = [], []
        if table is not None:
            clauses.append("table_name = ?")
            params.append(table)
        if since is not None:
            clauses.append("at >= ?")
            params.append(since.isoformat())
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return self.query(sql + " ORDER BY id", params)


class LetterSink:
    """The ``log`` of ``Campaign.run`` that records letters in a store (``Store.letter_sink``);
    ``store`` is where the campaign's output intent goes too."""

    __slots__ = ("campaign", "store")

    def __init__(self, store: Store, campaign: Campaign | None = None) -> None:
        self.store = store
        self.campaign = campaign

    def __call__(self, records: list[dict[str, Any]]) -> int:
        return self.store.log_letters(records, campaign=self.campaign)
