"""`arrears plan`: payment plans, settlements and promises from the command line (``arrears.cli``
registers the group)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import click

from arrears.cli_context import AMOUNT, COUNT, DATE, Ctx, Group, option_error, run
from arrears.cli_output import emit, money_text
from arrears.errors import ValidationError

# `arrears plan new|list|show|evaluate|cancel` over the stored plans (docs/plans.md, docs/store.md
# "Plans").

# Fields of the plan constructors named in their errors -> the options that set them.
_PLAN_OPTIONS = {
    "balance": "--account",
    "accounts": "--account",
    "account_id": "--account",
    "settlement_amount": "--amount",
    "amount": "--amount",
    "count": "--installments",
    "first_due": "--first",
    "offer_expiry": "--expires",
    "due": "--due",
    "frequency": "--every",
    "annual_rate": "--rate",
    "rounding": "--rounding",
    "split": "--split",
    "plan_id": "--id",
    "debtor_id": "--debtor",
    "rules.grace_days": "--grace-days",
    "grace_days": "--grace-days",
    "rules.tolerance": "--tolerance",
    "tolerance": "--tolerance",
    "rules.break_after_missed": "--break-after-missed",
    "break_after_missed": "--break-after-missed",
    "rules.break_after_days_late": "--break-after-days-late",
    "break_after_days_late": "--break-after-days-late",
    "rules.on_default": "--on-default",
    "on_default": "--on-default",
}


def _plan_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options every `plan new` kind takes (applied in reverse so --help lists them in order)."""
    options = [
        click.option("--id", "plan_id", required=True, help="The plan id (a new one)."),
        click.option(
            "--account",
            "accounts",
            multiple=True,
            required=True,
            help="An account of the plan; repeat for several accounts of one debtor.",
        ),
        click.option(
            "--debtor",
            "debtor_id",
            help="The debtor (default: the accounts' primary debtor when they share one).",
        ),
        click.option("--grace-days", type=click.IntRange(min=0), help="Default 5."),
        click.option(
            "--tolerance", type=AMOUNT, help="A shortfall still counted as kept (default 0)."
        ),
        click.option("--break-after-missed", type=COUNT, help="Default 2."),
        click.option("--break-after-days-late", type=click.IntRange(min=0), help="Default 30."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _plan_rules(
    currency: str,
    grace_days: int | None,
    tolerance: str | None,
    break_after_missed: int | None,
    break_after_days_late: int | None,
    on_default: str | None = None,
) -> Any:
    from arrears.plans import PlanRules

    kwargs: dict[str, Any] = {}
    if grace_days is not None:
        kwargs["grace_days"] = grace_days
    if tolerance is not None:
        kwargs["tolerance"] = tolerance
    if break_after_missed is not None:
        kwargs["break_after_missed"] = break_after_missed
    if break_after_days_late is not None:
        kwargs["break_after_days_late"] = break_after_days_late
    if on_default is not None:
        kwargs["on_default"] = on_default
    return PlanRules(currency=currency, **kwargs) if kwargs else None


def _new_plan(
    ctx: Ctx,
    plan_id: str,
    accounts: Sequence[str],
    debtor_id: str | None,
    build: Callable[[dict[str, Any]], Any],
) -> None:
    """Builds the plan from the accounts' balances as of --as-of (the plan date) and saves it."""
    if len(set(accounts)) != len(accounts):
        raise ValidationError(f"--account: {', '.join(accounts)} names an account twice")
    with ctx.store() as s:
        if s.has_plan(plan_id):
            raise ValidationError(f"--id: a plan {plan_id!r} exists (a new plan needs a new id)")
        balances: list[tuple[str, Any]] = []
        primaries: set[str] = set()
        currencies: set[str] = set()
        for account_id in accounts:
            if not s.has_account(account_id):
                raise ValidationError(f"--account: no account {account_id!r} in the store")
            account = s.account(account_id)
            balances.append((account_id, account.balance(ctx.as_of).total))
            currencies.add(account.currency)
            primaries.update(d.debtor_id for d in account.debtors if d.role == "primary")
        if len(currencies) != 1:
            raise ValidationError(f"--account: the accounts are in {', '.join(sorted(currencies))}")
        currency = currencies.pop()
        if debtor_id is None and len(primaries) == 1:
            debtor_id = next(iter(primaries))
        common: dict[str, Any] = {
            "plan_date": ctx.as_of,
            "plan_id": plan_id,
            "debtor_id": debtor_id or "",
            "currency": currency,
        }
        if len(balances) == 1:
            common["balance"], common["account_id"] = balances[0][1], balances[0][0]
        else:
            common["accounts"] = balances
        try:
            plan = build(common)
        except ValidationError as exc:
            raise (option_error(exc, _PLAN_OPTIONS) or exc) from exc
        s.save_plan(plan)
        emit(ctx, _for_text(ctx, _plan_summary(plan)), f"plan {plan_id} saved")


def _for_text(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    """None shows as "-" for people; scripts get null."""
    return {k: "-" if v is None else v for k, v in row.items()} if ctx.fmt == "text" else row


def _plan_summary(plan: Any, status: str | None = None) -> dict[str, Any]:
    sched = plan.schedule
    out: dict[str, Any] = {
        "plan_id": plan.plan_id,
        "kind": plan.kind,
        "debtor_id": plan.debtor_id,
        "accounts": ",".join(a for a, _ in plan.accounts),
        "plan_date": plan.plan_date.isoformat(),
        "currency": plan.currency,
        "balance": money_text(plan.balance),
        "total": money_text(plan.total),
        "discount": money_text(plan.discount),
        "installment_count": sched.count,
        "frequency": sched.frequency,
        "first_due": sched.first_due.isoformat(),
        "last_due": sched.last_due.isoformat(),
        "offer_expiry": plan.offer_expiry.isoformat() if plan.offer_expiry else None,
        "cancelled_on": plan.cancelled_on.isoformat() if plan.cancelled_on else None,
    }
    if status is not None:
        out["status"] = status
    return out


@click.group(cls=Group)
def plan() -> None:
    """Payment plans, settlements and promises to pay (docs/plans.md)."""


@plan.group("new")
def plan_new() -> None:
    """Agree a new plan on --as-of (the plan date) for the accounts' balances on that date."""


@plan_new.command("installment")
@_plan_options
@click.option("--installments", "count", type=COUNT, help="How many.")
@click.option("--amount", type=AMOUNT, help="A fixed installment amount instead of a count.")
@click.option(
    "--every",
    "frequency",
    type=click.Choice(["weekly", "biweekly", "semimonthly", "monthly"]),
    default="monthly",
    show_default=True,
)
@click.option("--first", "first_due", type=DATE, required=True, help="First due date.")
@click.option(
    "--rate",
    "annual_rate",
    default="0",
    show_default=True,
    help="Annual interest rate as a decimal fraction (0.12 = 12%).",
)
@click.option(
    "--rounding", type=click.Choice(["half_up", "up"]), default="half_up", show_default=True
)
@click.option(
    "--split",
    type=click.Choice(["pro_rata", "sequential"]),
    default="pro_rata",
    show_default=True,
    help="How payments are shared by several accounts.",
)
@run
def plan_new_installment(
    ctx: Ctx,
    plan_id: str,
    accounts: tuple[str, ...],
    debtor_id: str | None,
    grace_days: int | None,
    tolerance: str | None,
    break_after_missed: int | None,
    break_after_days_late: int | None,
    count: int | None,
    amount: str | None,
    frequency: str,
    first_due: dt.date,
    annual_rate: str,
    rounding: str,
    split: str,
) -> None:
    """An installment plan for the whole balance: --installments N or a fixed --amount."""
    from arrears.plans import installment_plan

    if (count is None) == (amount is None):
        raise click.UsageError("give --installments N or --amount X (one of them)")

    def build(common: dict[str, Any]) -> Any:
        rules = _plan_rules(
            common["currency"], grace_days, tolerance, break_after_missed, break_after_days_late
        )
        return installment_plan(
            first_due=first_due,
            count=count,
            amount=amount,
            frequency=frequency,
            annual_rate=annual_rate,
            rounding=rounding,
            rules=rules,
            split=split,
            **common,
        )

    _new_plan(ctx, plan_id, accounts, debtor_id, build)


@plan_new.command("settlement")
@_plan_options
@click.option("--amount", type=AMOUNT, required=True, help="The settlement amount.")
@click.option("--expires", "offer_expiry", type=DATE, required=True, help="The offer expiry.")
@click.option("--installments", "count", type=COUNT, default=1, show_default=True)
@click.option(
    "--first",
    "first_due",
    type=DATE,
    help="First due date (default: a lump sum due on the expiry).",
)
@click.option(
    "--every",
    "frequency",
    type=click.Choice(["weekly", "biweekly", "semimonthly", "monthly"]),
    default="monthly",
    show_default=True,
)
@click.option(
    "--rounding", type=click.Choice(["half_up", "up"]), default="half_up", show_default=True
)
@click.option(
    "--split", type=click.Choice(["pro_rata", "sequential"]), default="pro_rata", show_default=True
)
@click.option(
    "--on-default",
    type=click.Choice(["void", "pro_rata"]),
    help="On a break: void the discount (default) or keep the share earned.",
)
@run
def plan_new_settlement(
    ctx: Ctx,
    plan_id: str,
    accounts: tuple[str, ...],
    debtor_id: str | None,
    grace_days: int | None,
    tolerance: str | None,
    break_after_missed: int | None,
    break_after_days_late: int | None,
    amount: str,
    offer_expiry: dt.date,
    count: int,
    first_due: dt.date | None,
    frequency: str,
    rounding: str,
    split: str,
    on_default: str | None,
) -> None:
    """A settlement for less than the balance, as a lump sum or in installments."""
    from arrears.plans import settlement

    if offer_expiry < ctx.as_of:
        raise ValidationError(f"--expires: {offer_expiry} is before the plan date {ctx.as_of}")

    def build(common: dict[str, Any]) -> Any:
        rules = _plan_rules(
            common["currency"],
            grace_days,
            tolerance,
            break_after_missed,
            break_after_days_late,
            on_default,
        )
        return settlement(
            settlement_amount=amount,
            offer_expiry=offer_expiry,
            first_due=first_due,
            count=count,
            frequency=frequency,
            rounding=rounding,
            rules=rules,
            split=split,
            **common,
        )

    _new_plan(ctx, plan_id, accounts, debtor_id, build)


@plan_new.command("promise")
@_plan_options
@click.option("--amount", type=AMOUNT, required=True, help="The amount promised.")
@click.option("--due", type=DATE, required=True, help="The date promised.")
@run
def plan_new_promise(
    ctx: Ctx,
    plan_id: str,
    accounts: tuple[str, ...],
    debtor_id: str | None,
    grace_days: int | None,
    tolerance: str | None,
    break_after_missed: int | None,
    break_after_days_late: int | None,
    amount: str,
    due: dt.date,
) -> None:
    """A promise to pay --amount by --due (broken as soon as it is missed)."""
    from arrears.plans import promise_to_pay

    def build(common: dict[str, Any]) -> Any:
        rules = _plan_rules(
            common["currency"], grace_days, tolerance, break_after_missed, break_after_days_late
        )
        return promise_to_pay(amount=amount, due=due, rules=rules, **common)

    _new_plan(ctx, plan_id, accounts, debtor_id, build)


PLAN_LIST_COLUMNS = [
    "plan_id",
    "kind",
    "debtor_id",
    "accounts",
    "plan_date",
    "total",
    "paid",
    "status",
    "next_due",
    "next_amount",
    "evaluated_on",
]
PLAN_STATUSES = ["active", "current", "delinquent", "broken", "completed", "cancelled"]

_PLAN_STATE_SQL = """
SELECT p.id AS plan_id, p.status, p.status_date, s.evaluated_on, s.paid_cents,
       s.remaining_cents, s.missed_count, s.days_past_due,
       (SELECT i.due_on FROM installments i WHERE i.plan_id = p.id AND i.status <> 'paid'
        ORDER BY i.number LIMIT 1) AS next_due,
       (SELECT i.amount_cents - i.paid_cents FROM installments i
        WHERE i.plan_id = p.id AND i.status <> 'paid' ORDER BY i.number LIMIT 1) AS next_cents
FROM plans p LEFT JOIN plan_state s ON s.plan_id = p.id
"""


@plan.command("list")
@click.option("--status", type=click.Choice(PLAN_STATUSES), help="Status at the last evaluation.")
@click.option("--account", "account_id", help="Plans covering this account.")
@run
def plan_list(ctx: Ctx, status: str | None, account_id: str | None) -> None:
    """Stored plans with their status at the last evaluation (`plan evaluate`)."""
    with ctx.store() as s:
        plans = s.plans(account_id=account_id, status=status)
        state = {r["plan_id"]: r for r in s.query(_PLAN_STATE_SQL).to_pylist()}
    rows = []
    for p in plans:
        st = state.get(p.plan_id, {})
        terminal = st.get("status") in ("broken", "completed", "cancelled")
        rows.append(
            {
                "plan_id": p.plan_id,
                "kind": p.kind,
                "debtor_id": p.debtor_id,
                "accounts": ",".join(a for a, _ in p.accounts),
                "plan_date": p.plan_date.isoformat(),
                "total": money_text(p.total),
                "paid": money_text(st.get("paid_cents"), p.currency) or "0.00",
                "status": st.get("status"),
                "next_due": None if terminal else st.get("next_due"),
                "next_amount": None if terminal else money_text(st.get("next_cents"), p.currency),
                "evaluated_on": st.get("evaluated_on"),
            }
        )
    import pandas as pd

    frame = pd.DataFrame(rows, columns=PLAN_LIST_COLUMNS)
    emit(ctx, frame.fillna("-") if ctx.fmt == "text" else frame, f"{len(rows)} plans")


def _stored_plan(store: Any, plan_id: str) -> Any:
    if not store.has_plan(plan_id):
        raise click.BadParameter(f"no plan {plan_id!r} in the store", param_hint="PLAN_ID")
    return store.plan(plan_id)


@plan.command("show")
@click.argument("plan_id")
@run
def plan_show(ctx: Ctx, plan_id: str) -> None:
    """One plan: its terms, and each installment and event as of --as-of (computed from the
    ledgers' payments; nothing is stored: `plan evaluate` stores it)."""
    with ctx.store() as s:
        p = _stored_plan(s, plan_id)
        if ctx.as_of < p.plan_date:
            raise ValidationError(
                f"--as-of: {ctx.as_of} is before the plan date {p.plan_date} of {plan_id!r}"
            )
        stored = s.query("SELECT status FROM plans WHERE id = ?", [plan_id]).to_pylist()
        ev = p.evaluate(s.plan_payments(plan_id, ctx.as_of), ctx.as_of)
    summary = _plan_summary(p)
    summary.update(
        {
            "as_of": ctx.as_of.isoformat(),
            "status": ev.status,
            "status_date": ev.status_date.isoformat() if ev.status_date else None,
            "stored_status": stored[0]["status"] if stored else None,
            "paid": money_text(ev.paid),
            "remaining": money_text(ev.remaining),
            "balance_remaining": money_text(ev.balance_remaining),
            "missed_count": ev.missed_count,
            "days_past_due": ev.days_past_due,
        }
    )
    installments = [
        {
            "number": i.number,
            "due": i.due.isoformat(),
            "amount": money_text(i.amount),
            "paid": money_text(i.paid),
            "status": i.status,
            "paid_on": i.paid_on.isoformat() if i.paid_on else None,
            "days_late": i.days_late,
        }
        for i in ev.installments
    ]
    events = [
        {
            "type": e.type,
            "date": e.date.isoformat(),
            "installment": e.installment,
            "amount": money_text(e.amount),
            "detail": e.detail,
        }
        for e in ev.events
    ]
    if ctx.fmt == "json":
        emit(ctx, {**summary, "installments": installments, "events": events})
    elif ctx.fmt == "csv":
        emit(ctx, installments)
    else:
        emit(ctx, _for_text(ctx, summary), f"plan {plan_id}")
        click.echo("")
        emit(ctx, [_for_text(ctx, i) for i in installments], "installments")
        click.echo("")
        emit(ctx, events, "events")


@plan.command("evaluate")
@click.option("--plan", "plan_ids", multiple=True, help="Only this plan (repeatable).")
@run
def plan_evaluate(ctx: Ctx, plan_ids: tuple[str, ...]) -> None:
    """Evaluate the open plans as of --as-of against the ledgers and store the outcome; prints the
    new events (kept, missed, broken, completed, settlement_discount ...)."""
    with ctx.store() as s:
        for pid in plan_ids:
            if not s.has_plan(pid):
                raise ValidationError(f"--plan: no plan {pid!r} in the store")
        events = s.evaluate_plans(
            ctx.as_of,
            plan_ids=list(plan_ids) or None,
            threads=ctx.config.threads,
            progress=ctx.progress,
        ).to_pandas()
        counts = s.query(
            "SELECT status, count(*) AS plans FROM plans GROUP BY status ORDER BY status"
        ).to_pylist()
    emit(ctx, events, f"plan events as of {ctx.as_of} ({len(events)} new)")
    if ctx.fmt == "text":
        click.echo("")
        emit(ctx, counts, "plans by status")


@plan.command("cancel")
@click.argument("plan_id")
@click.option("--on", "on", type=DATE, help="The cancellation date (default --as-of).")
@run
def plan_cancel(ctx: Ctx, plan_id: str, on: dt.date | None) -> None:
    """Cancel a plan (recorded now; its accounts leave the plan at the next evaluation, which
    runs at once when the date is not after --as-of)."""
    from arrears.errors import ConflictError

    day = on or ctx.as_of
    with ctx.store() as s:
        p = _stored_plan(s, plan_id)
        stored = s.query("SELECT status, status_date FROM plans WHERE id = ?", [plan_id])
        row = stored.to_pylist()[0]
        if p.cancelled_on is not None or row["status"] in ("broken", "completed", "cancelled"):
            since = p.cancelled_on or row["status_date"]
            state = "cancelled" if p.cancelled_on is not None else row["status"]
            raise ConflictError(
                f"plan {plan_id!r}: already {state} (on {since}); nothing to cancel"
            )
        s.save_plan(p.cancel(day))
        if day <= ctx.as_of:
            s.evaluate_plans(ctx.as_of, plan_ids=[plan_id], threads=ctx.config.threads)
        status = s.query("SELECT status FROM plans WHERE id = ?", [plan_id]).to_pylist()
    emit(
        ctx,
        {"plan_id": plan_id, "cancelled_on": day.isoformat(), "status": status[0]["status"]},
        f"plan {plan_id} cancelled",
    )
