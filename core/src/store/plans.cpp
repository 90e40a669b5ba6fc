// Payment plans in the store: saving agreements, evaluating every open plan against the payments
// in the ledgers (statuses, installment states, events), posting settlement discounts, and the
// account status changes a plan brings (docs/store.md, "Plans").
#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "arrears/json.hpp"
#include "arrears/parallel.hpp"
#include "arrears/store.hpp"
#include "store/bulk.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

namespace {

using store_detail::ids_json;

bool terminal(PlanStatus s) {
    return s == PlanStatus::broken || s == PlanStatus::completed || s == PlanStatus::cancelled;
}

constexpr std::string_view kOpenStatuses = "('active', 'current', 'delinquent')";

std::optional<std::string> iso(const std::optional<Date>& d) {
    if (!d) return std::nullopt;
    return to_iso(*d);
}

Date later(Date a, Date b) { return std::chrono::sys_days{a} < std::chrono::sys_days{b} ? b : a; }

std::string plan_reference(std::string_view plan_id) { return "plan:" + std::string(plan_id); }

// A stored payment: its date, amount and, when reversed, the reversal's effective date.
struct StoredPayment {
    Date date{};
    std::int64_t cents = 0;
    std::optional<Date> reversed_on;
};
using PaymentsByAccount = std::unordered_map<std::string, std::vector<StoredPayment>>;

PaymentsByAccount read_payments(sqlite3* db, const std::vector<std::string>& account_ids) {
    PaymentsByAccount out;
    if (account_ids.empty()) return out;
    sql::Statement st(db, R"sql(
        SELECT p.account_id, p.effective_date, p.amount_cents,
               (SELECT min(r.effective_date) FROM transactions r
                 WHERE r.account_id = p.account_id AND r.type = 'payment_reversal' AND r.reverses = p.seq)
        FROM json_each(?1) j JOIN transactions p ON p.account_id = j.value
        WHERE p.type = 'payment')sql");
    st.bind(1, ids_json(account_ids));
    while (st.step()) {
        StoredPayment p;
        p.date = parse_date(st.text(1), "transactions.effective_date");
        p.cents = st.int64(2);
        if (!st.is_null(3)) p.reversed_on = parse_date(st.text(3), "transactions.effective_date");
        out[std::string(st.text(0))].push_back(p);
    }
    return out;
}

// The payments that count for `plan` as of a date (see Store::plan_payments).
std::vector<Payment> payments_for(const PaymentPlan& plan, const PaymentsByAccount& all, Date as_of) {
    std::vector<Payment> out;
    const auto start = std::chrono::sys_days{plan.plan_date()};
    const auto end = std::chrono::sys_days{as_of};
    for (const auto& a : plan.accounts()) {
        auto it = all.find(a.account_id);
        if (it == all.end()) continue;
        for (const auto& p : it->second) {
            const auto d = std::chrono::sys_days{p.date};
            if (d < start || d > end) continue;
            if (p.reversed_on && std::chrono::sys_days{*p.reversed_on} <= end) continue;
            out.push_back({p.date, Money(p.cents, plan.currency())});
        }
    }
    return out;
}

std::string accounts_json(const std::vector<AccountAmount>& accounts) {
    if (accounts.empty()) return {};
    Json j = Json::array();
    for (const auto& a : accounts) j.push_back({{"account_id", a.account_id}, {"amount_cents", a.amount.minor()}});
    return j.dump();
}

struct StoredEvent {
    std::string type, date, detail, accounts, recorded_on;
    std::int64_t installment = 0, amount = 0;
};

struct StoredInstallment {
    std::string status;
    std::int64_t paid = 0, days_late = 0;
    std::optional<std::string> paid_on;
};

// The output table of evaluate_plans, a row at a time.
struct RunRows {
    std::vector<std::string> plan_id, debtor_id, kind, previous, status, event, account_id, detail;
    std::vector<std::uint8_t> event_valid, account_valid;
    std::vector<std::int32_t> status_date, event_date;
    std::vector<std::uint8_t> status_date_valid, event_date_valid;
    std::vector<std::int64_t> installment, amount;
    std::vector<std::uint8_t> installment_valid, amount_valid;

    void add(const PaymentPlan& plan, const std::string& debtor, PlanStatus before, const PlanEvaluation& ev,
             const std::string* event_type, std::optional<Date> date, std::optional<std::int64_t> number,
             std::optional<std::int64_t> cents, const std::string* account, const std::string& text) {
        plan_id.push_back(plan.plan_id());
        debtor_id.push_back(debtor);
        kind.emplace_back(to_string(plan.kind()));
        previous.emplace_back(to_string(before));
        status.emplace_back(to_string(ev.status));
        status_date.push_back(ev.status_date ? days_since_epoch(*ev.status_date) : 0);
        status_date_valid.push_back(ev.status_date.has_value());
        event.push_back(event_type ? *event_type : std::string());
        event_valid.push_back(event_type != nullptr);
        event_date.push_back(date ? days_since_epoch(*date) : 0);
        event_date_valid.push_back(date.has_value());
        installment.push_back(number.value_or(0));
        installment_valid.push_back(number.has_value());
        amount.push_back(cents.value_or(0));
        amount_valid.push_back(cents.has_value());
        account_id.push_back(account ? *account : std::string());
        account_valid.push_back(account != nullptr);
        detail.push_back(text);
    }

    Table table() {
        Table t;
        t.add_utf8("plan_id", std::move(plan_id));
        t.add_utf8("debtor_id", std::move(debtor_id));
        t.add_utf8("kind", std::move(kind));
        t.add_utf8("previous_status", std::move(previous));
        t.add_utf8("status", std::move(status));
        t.add_date32("status_date", std::move(status_date), std::move(status_date_valid));
        t.add_utf8("event", std::move(event), std::move(event_valid));
        t.add_date32("event_date", std::move(event_date), std::move(event_date_valid));
        t.add_int64("installment", std::move(installment), std::move(installment_valid));
        t.add_int64("amount_cents", std::move(amount), std::move(amount_valid));
        t.add_utf8("account_id", std::move(account_id), std::move(account_valid));
        t.add_utf8("detail", std::move(detail));
        return t;
    }
};

PaymentPlan plan_from_data(std::string_view id, std::string_view data) {
    try {
        return payment_plan_from_json(parse_json(data, "plans.data"));
    } catch (const ValidationError& e) {
        throw StorageError(0, "store: plan " + quote(id) + " cannot be read back: " + e.what());
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Saving and reading plans

void Store::save_plan(const PaymentPlan& plan) {
    const std::string& id = plan.plan_id();
    if (id.empty()) throw ValidationError("plan.plan_id: a stored plan needs an id");
    const std::string data = Json(plan).dump();
    write([&] {
        sqlite3* db = impl_->handle();
        // An existing plan: the same agreement (nothing to do), or its cancellation.
        {
            auto st = impl_->prepare("SELECT data, status FROM plans WHERE id = ?");
            st.bind(1, id);
            if (st.step()) {
                const PaymentPlan stored = plan_from_data(id, st.text(0));
                const PlanStatus status = parse_plan_status(st.text(1), "plans.status");
                st.reset();
                if (stored == plan) return;
                const bool cancelling = !stored.cancelled_on() && plan.cancelled_on() &&
                                        stored.cancel(*plan.cancelled_on()) == plan;
                if (!cancelling)
                    throw ConflictError("plan " + quote(id) +
                                        ": the store holds this plan with other terms; a plan is an "
                                        "agreement: cancel it and save a new plan under a new id");
                if (terminal(status))
                    throw ConflictError("plan " + quote(id) + " is already " + std::string(to_string(status)) +
                                        "; it cannot be cancelled");
                auto up = impl_->prepare("UPDATE plans SET cancelled_on = ?, data = ? WHERE id = ?");
                up.bind(1, to_iso(*plan.cancelled_on())).bind(2, data).bind(3, id);
                up.run();
                return;
            }
        }
        // The accounts: in the store, in the plan's currency, in no other open plan.
        std::string debtor = plan.debtor_id();
        if (!debtor.empty() && !has_debtor(debtor))
            throw NotFoundError("plan " + quote(id) + ": debtor " + quote(debtor) +
                                " is not in the store (save the debtor first)");
        for (const auto& pa : plan.accounts()) {
            if (pa.account_id.empty())
                throw ValidationError("plan " + quote(id) + ": a stored plan names its accounts (account_id is empty)");
            auto acc = impl_->prepare("SELECT currency FROM accounts WHERE id = ?");
            acc.bind(1, pa.account_id);
            if (!acc.step())
                throw NotFoundError("plan " + quote(id) + ": account " + quote(pa.account_id) +
                                    " is not in the store (save the account first)");
            if (acc.text(0) != plan.currency().code())
                throw ValidationError("plan " + quote(id) + ": account " + quote(pa.account_id) + " is in " +
                                      std::string(acc.text(0)) + ", the plan in " +
                                      std::string(plan.currency().code()));
            acc.reset();
            auto other = impl_->prepare(
                "SELECT p.id, p.status FROM plan_accounts pa JOIN plans p ON p.id = pa.plan_id "
                "WHERE pa.account_id = ? AND p.status IN " + std::string(kOpenStatuses) +
                " AND p.cancelled_on IS NULL LIMIT 1");
            other.bind(1, pa.account_id);
            if (other.step())
                throw ConflictError("plan " + quote(id) + ": account " + quote(pa.account_id) + " is in open plan " +
                                    quote(other.text(0)) + " (" + std::string(other.text(1)) +
                                    "); cancel that plan first");
            other.reset();
            auto debtors = impl_->prepare("SELECT debtor_id, role FROM account_debtors WHERE account_id = ?");
            debtors.bind(1, pa.account_id);
            bool on_account = false;
            std::string primary;
            while (debtors.step()) {
                on_account = on_account || debtors.text(0) == plan.debtor_id();
                if (debtors.text(1) == "primary") primary = std::string(debtors.text(0));
            }
            debtors.reset();
            if (!plan.debtor_id().empty() && !on_account)
                throw ValidationError("plan " + quote(id) + ": debtor " + quote(plan.debtor_id()) +
                                      " is not on account " + quote(pa.account_id) +
                                      " (a plan covers accounts of one debtor)");
            if (debtor.empty()) debtor = primary;
        }
        const Schedule& s = plan.schedule();
        auto ins = impl_->prepare(R"sql(
            INSERT INTO plans (id, kind, debtor_id, plan_date, currency, balance_cents, total_cents,
                               discount_cents, installment_count, frequency, annual_rate, split,
                               offer_expiry, cancelled_on, data)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15))sql");
        ins.bind(1, id).bind(2, to_string(plan.kind()));
        if (debtor.empty()) ins.bind_null(3); else ins.bind(3, debtor);
        ins.bind(4, to_iso(plan.plan_date())).bind(5, plan.currency().code());
        ins.bind(6, plan.balance().minor()).bind(7, plan.total().minor()).bind(8, plan.discount().minor());
        ins.bind(9, static_cast<std::int64_t>(s.count())).bind(10, to_string(s.frequency()));
        ins.bind(11, s.annual_rate().to_string()).bind(12, to_string(plan.split()));
        ins.bind(13, iso(plan.offer_expiry())).bind(14, iso(plan.cancelled_on())).bind(15, data);
        ins.run();
        auto acc = impl_->prepare(
            "INSERT INTO plan_accounts (plan_id, position, account_id, balance_cents) VALUES (?, ?, ?, ?)");
        for (std::size_t i = 0; i < plan.accounts().size(); ++i) {
            const auto& pa = plan.accounts()[i];
            acc.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, pa.account_id).bind(4, pa.balance.minor());
            acc.run();
        }
        auto inst = impl_->prepare(
            "INSERT INTO installments (plan_id, number, due_on, amount_cents, principal_cents, interest_cents) "
            "VALUES (?, ?, ?, ?, ?, ?)");
        for (const auto& x : s.installments()) {
            inst.bind(1, id).bind(2, static_cast<std::int64_t>(x.number)).bind(3, to_iso(x.due));
            inst.bind(4, x.amount.minor()).bind(5, x.principal.minor()).bind(6, x.interest.minor());
            inst.run();
        }
        (void)db;
        // The accounts' lifecycle: an active account (or one with a promise, for a plan) is now
        // under a plan or a promise.
        const AccountStatus target = plan.kind() == PlanKind::promise ? AccountStatus::promise : AccountStatus::plan;
        for (const auto& pa : plan.accounts()) {
            Account a = load_account(pa.account_id);
            const AccountStatus now = a.status();
            if ((now != AccountStatus::active && now != AccountStatus::promise) || now == target ||
                !can_transition(now, target))
                continue;
            a.set_status(target, later(plan.plan_date(), a.status_history().back().effective), "plan " + id);
            save_account(a);
        }
    });
}

bool Store::has_plan(std::string_view id) const {
    auto st = impl_->prepare("SELECT 1 FROM plans WHERE id = ?");
    st.bind(1, id);
    return st.step();
}

PaymentPlan Store::load_plan(std::string_view id) const {
    auto st = impl_->prepare("SELECT data FROM plans WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) throw NotFoundError("plan: no plan " + quote(id) + " in the store");
    return plan_from_data(id, st.text(0));
}

std::vector<PaymentPlan> Store::load_plans(std::string_view account_id, std::optional<PlanStatus> status) const {
    std::string sql = "SELECT p.id, p.data FROM plans p WHERE 1";
    if (!account_id.empty())
        sql += " AND EXISTS (SELECT 1 FROM plan_accounts pa WHERE pa.plan_id = p.id AND pa.account_id = ?1)";
    if (status) sql += " AND p.status = ?2";
    sql += " ORDER BY p.id";
    sql::Statement st(impl_->handle(), sql);
    if (!account_id.empty()) st.bind(1, account_id);
    if (status) st.bind(2, to_string(*status));
    std::vector<PaymentPlan> out;
    while (st.step()) out.push_back(plan_from_data(st.text(0), st.text(1)));
    return out;
}

std::vector<Payment> Store::plan_payments(std::string_view plan_id, Date as_of) const {
    const PaymentPlan plan = load_plan(plan_id);
    std::vector<std::string> ids;
    for (const auto& a : plan.accounts()) ids.push_back(a.account_id);
    auto out = payments_for(plan, read_payments(impl_->handle(), ids), as_of);
    std::sort(out.begin(), out.end(), [](const Payment& a, const Payment& b) {
        return std::chrono::sys_days{a.date} < std::chrono::sys_days{b.date} ||
               (a.date == b.date && a.amount.minor() < b.amount.minor());
    });
    return out;
}

std::vector<Date> Store::reage_dates(std::string_view account_id) const {
    auto st = impl_->prepare("SELECT reaged_on FROM reagings WHERE account_id = ? ORDER BY reaged_on");
    st.bind(1, account_id);
    std::vector<Date> out;
    while (st.step()) out.push_back(parse_date(st.text(0), "reagings.reaged_on"));
    return out;
}

void Store::record_reaging(std::string_view account_id, Date reaged_on, std::string_view plan_id,
                           int days_past_due_before, std::string_view reason) {
    if (days_past_due_before < 0)
        throw ValidationError("days_past_due_before: " + std::to_string(days_past_due_before) + " is negative");
    write([&] {
        if (!has_account(account_id))
            throw NotFoundError("account: no account " + quote(account_id) + " in the store");
        if (!plan_id.empty() && !has_plan(plan_id))
            throw NotFoundError("plan: no plan " + quote(plan_id) + " in the store");
        auto st = impl_->prepare(
            "INSERT INTO reagings (account_id, reaged_on, plan_id, days_past_due_before, reason, actor) "
            "VALUES (?, ?, ?, ?, ?, arrears_actor())");
        st.bind(1, account_id).bind(2, to_iso(reaged_on));
        if (plan_id.empty()) st.bind_null(3); else st.bind(3, plan_id);
        st.bind(4, static_cast<std::int64_t>(days_past_due_before)).bind(5, reason);
        try {
            st.run();
        } catch (const StorageError& e) {
            if ((e.code() & 0xff) == SQLITE_CONSTRAINT)
                throw ConflictError("account " + quote(account_id) + " was already re-aged on " + to_iso(reaged_on));
            throw;
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Evaluation

Table Store::evaluate_plans(Date as_of, Instant posted_at, const PlanRunOptions& options) {
    sqlite3* db = impl_->handle();
    if (impl_->options.read_only)
        throw StorageError(SQLITE_READONLY, "store: " + quote(impl_->path) + " is open read-only");
    const std::string as_of_iso = to_iso(as_of);
    RunRows rows;
    write([&] {
        // 1. The plans to evaluate.
        std::string sql =
            "SELECT p.id, p.data, p.status, s.evaluated_on, coalesce(p.debtor_id, '') FROM plans p "
            "LEFT JOIN plan_state s ON s.plan_id = p.id WHERE p.status IN " + std::string(kOpenStatuses) +
            " AND p.plan_date <= ?1";
        if (!options.plan_ids.empty()) {
            sql::Statement missing(db, "SELECT j.value FROM json_each(?1) j WHERE NOT EXISTS "
                                       "(SELECT 1 FROM plans p WHERE p.id = j.value) LIMIT 1");
            missing.bind(1, ids_json(options.plan_ids));
            if (missing.step()) throw NotFoundError("plan_ids: no plan " + quote(missing.text(0)) + " in the store");
            sql += " AND p.id IN (SELECT value FROM json_each(?2))";
        }
        sql += " ORDER BY p.id";
        std::vector<std::string> ids, data, debtors;
        std::vector<PlanStatus> before;
        {
            sql::Statement st(db, sql);
            st.bind(1, as_of_iso);
            if (!options.plan_ids.empty()) st.bind(2, ids_json(options.plan_ids));
            while (st.step()) {
                if (!st.is_null(3) && st.text(3) > as_of_iso)
                    throw ConflictError("plan " + quote(st.text(0)) + " was evaluated as of " + std::string(st.text(3)) +
                                        "; evaluating it as of the earlier " + as_of_iso +
                                        " would undo what is stored (evaluate as of that date or later)");
                ids.emplace_back(st.text(0));
                data.emplace_back(st.text(1));
                before.push_back(parse_plan_status(st.text(2), "plans.status"));
                debtors.emplace_back(st.text(4));
            }
        }
        const std::size_t n = ids.size();
        std::vector<std::optional<PaymentPlan>> plans(n);
        parallel_for(n, options.threads, [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e; ++i) plans[i] = plan_from_data(ids[i], data[i]);
        }, 512);
        data.clear();

        // 2. The payments on their accounts, then the evaluations.
        std::vector<std::string> account_ids;
        {
            std::set<std::string> seen;
            for (const auto& p : plans)
                for (const auto& a : p->accounts())
                    if (seen.insert(a.account_id).second) account_ids.push_back(a.account_id);
        }
        const PaymentsByAccount payments = read_payments(db, account_ids);
        if (options.progress) {
            options.progress->set_total(n);
            options.progress->check();
        }
        std::vector<std::optional<PlanEvaluation>> evals(n);
        parallel_for(n, options.threads, [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e; ++i) {
                const auto list = payments_for(*plans[i], payments, as_of);
                try {
                    evals[i] = plans[i]->evaluate(list, as_of);
                } catch (const ValidationError& ex) {
                    throw ValidationError("plan " + quote(ids[i]) + ": " + ex.what());
                }
            }
            if (options.progress) options.progress->advance(e - b);
        }, 256);
        if (options.progress) options.progress->check();

        // 3. What is stored from the last evaluation.
        const std::string ids_text = ids_json(ids);
        std::unordered_map<std::string, std::vector<StoredEvent>> stored_events;
        {
            sql::Statement st(db, "SELECT e.plan_id, e.type, e.event_date, e.installment, e.amount_cents, e.detail, "
                                  "coalesce(e.accounts, ''), e.recorded_on FROM json_each(?1) j "
                                  "JOIN plan_events e ON e.plan_id = j.value ORDER BY e.plan_id, e.seq");
            st.bind(1, ids_text);
            while (st.step())
                stored_events[std::string(st.text(0))].push_back(
                    {std::string(st.text(1)), std::string(st.text(2)), std::string(st.text(5)),
                     std::string(st.text(6)), std::string(st.text(7)), st.int64(3), st.int64(4)});
        }
        std::unordered_map<std::string, std::map<std::int64_t, StoredInstallment>> stored_inst;
        {
            sql::Statement st(db, "SELECT i.plan_id, i.number, i.status, i.paid_cents, i.paid_on, i.days_late "
                                  "FROM json_each(?1) j JOIN installments i ON i.plan_id = j.value");
            st.bind(1, ids_text);
            while (st.step())
                stored_inst[std::string(st.text(0))][st.int64(1)] = {std::string(st.text(2)), st.int64(3), st.int64(5),
                                                                     st.optional_text(4)};
        }

        // 4. Store what changed.
        auto up_state = impl_->prepare(R"sql(
            INSERT INTO plan_state (plan_id, evaluated_on, paid_cents, remaining_cents, balance_remaining_cents,
                                    missed_count, days_past_due)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (plan_id) DO UPDATE SET evaluated_on = excluded.evaluated_on,
                paid_cents = excluded.paid_cents, remaining_cents = excluded.remaining_cents,
                balance_remaining_cents = excluded.balance_remaining_cents,
                missed_count = excluded.missed_count, days_past_due = excluded.days_past_due)sql");
        auto up_inst = impl_->prepare(
            "UPDATE installments SET status = ?3, paid_cents = ?4, paid_on = ?5, days_late = ?6 "
            "WHERE plan_id = ?1 AND number = ?2");
        auto del_events = impl_->prepare("DELETE FROM plan_events WHERE plan_id = ?");
        auto ins_event = impl_->prepare(
            "INSERT INTO plan_events (plan_id, seq, type, event_date, installment, amount_cents, detail, accounts, "
            "recorded_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        auto up_status = impl_->prepare("UPDATE plans SET status = ?2, status_date = ?3 WHERE id = ?1");
        std::size_t changed = 0, postings = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const PaymentPlan& plan = *plans[i];
            const PlanEvaluation& ev = *evals[i];
            const std::string& id = ids[i];
            up_state.bind(1, id).bind(2, as_of_iso).bind(3, ev.paid.minor()).bind(4, ev.remaining.minor());
            up_state.bind(5, ev.balance_remaining.minor()).bind(6, static_cast<std::int64_t>(ev.missed_count));
            up_state.bind(7, static_cast<std::int64_t>(ev.days_past_due));
            up_state.run();
            {
                const auto& have = stored_inst[id];
                for (const auto& s : ev.installments) {
                    const auto it = have.find(s.number);
                    const std::optional<std::string> paid_on = iso(s.paid_on);
                    const std::string status(to_string(s.status));
                    if (it != have.end() && it->second.status == status && it->second.paid == s.paid.minor() &&
                        it->second.paid_on == paid_on && it->second.days_late == s.days_late)
                        continue;
                    up_inst.bind(1, id).bind(2, static_cast<std::int64_t>(s.number)).bind(3, status);
                    up_inst.bind(4, s.paid.minor()).bind(5, paid_on).bind(6, static_cast<std::int64_t>(s.days_late));
                    up_inst.run();
                }
            }
            // Events: the stored list is replaced when it differs; an event seen before keeps
            // the date it was first recorded; the new ones are reported.
            const auto& old_events = stored_events[id];
            std::vector<const PlanEvent*> fresh;
            bool same = old_events.size() == ev.events.size();
            std::vector<std::string> recorded(ev.events.size(), as_of_iso);
            for (std::size_t k = 0; k < ev.events.size(); ++k) {
                const PlanEvent& e = ev.events[k];
                const std::string type(to_string(e.type)), date = to_iso(e.date);
                const StoredEvent* match = nullptr;
                for (const auto& o : old_events)
                    if (o.type == type && o.date == date && o.installment == e.installment) match = &o;
                if (match) recorded[k] = match->recorded_on;
                else fresh.push_back(&e);
                if (same) {
                    const StoredEvent& o = old_events[k];
                    same = o.type == type && o.date == date && o.installment == e.installment &&
                           o.amount == e.amount.minor() && o.detail == e.detail && o.accounts == accounts_json(e.accounts);
                }
            }
            if (!same) {
                del_events.bind(1, id);
                del_events.run();
                for (std::size_t k = 0; k < ev.events.size(); ++k) {
                    const PlanEvent& e = ev.events[k];
                    ins_event.bind(1, id).bind(2, static_cast<std::int64_t>(k + 1)).bind(3, to_string(e.type));
                    ins_event.bind(4, to_iso(e.date)).bind(5, static_cast<std::int64_t>(e.installment));
                    ins_event.bind(6, e.amount.minor()).bind(7, e.detail);
                    const std::string acc = accounts_json(e.accounts);
                    if (acc.empty()) ins_event.bind_null(8); else ins_event.bind(8, acc);
                    ins_event.bind(9, recorded[k]);
                    ins_event.run();
                }
            }
            const bool status_changed = ev.status != before[i];
            if (status_changed) {
                up_status.bind(1, id).bind(2, to_string(ev.status)).bind(3, iso(ev.status_date));
                up_status.run();
            }
            if (!status_changed && fresh.empty()) continue;
            ++changed;
            if (fresh.empty())
                rows.add(plan, debtors[i], before[i], ev, nullptr, std::nullopt, std::nullopt, std::nullopt, nullptr, "");
            for (const PlanEvent* e : fresh) {
                const std::string type(to_string(e->type));
                rows.add(plan, debtors[i], before[i], ev, &type, e->date,
                         e->installment ? std::optional<std::int64_t>(e->installment) : std::nullopt,
                         e->amount.minor(), nullptr, e->detail);
            }
            if (!status_changed || !terminal(ev.status)) continue;

            // 5. A plan that just ended: settlement discounts and the accounts' lifecycle.
            const Date ended = ev.status_date.value_or(as_of);
            const PlanEvent* discount = nullptr;
            for (const PlanEvent* e : fresh)
                if (e->type == PlanEventType::settlement_discount) discount = e;
            const std::string reference = plan_reference(id);
            for (const auto& pa : plan.accounts()) {
                Account a = load_account(pa.account_id);
                bool dirty = false;
                if (discount) {
                    bool posted = false;
                    for (const auto& entry : a.ledger().entries())
                        posted = posted || (entry.type == TransactionType::settlement_discount && entry.reference == reference);
                    const Money owed = a.ledger().balance(discount->date).total();
                    Money amount = owed;  // completed: what remains is forgiven ("in full settlement")
                    if (ev.status != PlanStatus::completed) {
                        // pro rata on default: the share of the discount this account earned
                        amount = Money(0, owed.currency());
                        for (const auto& x : discount->accounts)
                            if (x.account_id == pa.account_id) amount = x.amount;
                        if (amount.minor() > owed.minor()) amount = owed;
                    }
                    if (!posted && amount.is_positive()) {
                        a.ledger().post_settlement_discount(amount, discount->date, reference, posted_at,
                                                            "settlement " + id + " " + std::string(to_string(ev.status)));
                        dirty = true;
                        ++postings;
                        static const std::string kPosted = "discount_posted";
                        rows.add(plan, debtors[i], before[i], ev, &kPosted, discount->date, std::nullopt, amount.minor(),
                                 &pa.account_id, "settlement discount posted to the account's ledger");
                    }
                }
                const AccountStatus now = a.status();
                std::optional<AccountStatus> next;
                if (ev.status == PlanStatus::completed && !a.ledger().balance(ended).total().is_positive())
                    next = plan.kind() == PlanKind::settlement ? AccountStatus::settled : AccountStatus::paid;
                else if (now == AccountStatus::plan || now == AccountStatus::promise)
                    next = AccountStatus::active;
                if (next && *next != now && can_transition(now, *next)) {
                    a.set_status(*next, later(ended, a.status_history().back().effective),
                                 "plan " + id + " " + std::string(to_string(ev.status)));
                    dirty = true;
                    static const std::string kStatus = "account_status";
                    rows.add(plan, debtors[i], before[i], ev, &kStatus, a.status_history().back().effective,
                             std::nullopt, std::nullopt, &pa.account_id,
                             std::string(to_string(now)) + " -> " + std::string(to_string(*next)));
                }
                if (dirty) save_account(a);
            }
        }
        audit("batch", "plans", as_of_iso,
              Json{{"evaluated", n}, {"changed", changed}, {"discounts_posted", postings}}.dump());
    });
    return rows.table();
}

}  // namespace arrears
