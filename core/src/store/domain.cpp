// Persistence of debtors and accounts (with their ledgers).
#include <nlohmann/json.hpp>

#include "arrears/json.hpp"
#include "arrears/store.hpp"
#include "store/bulk.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

using store_detail::entry_from_row;
using store_detail::kEntryColumns;

namespace {

std::optional<std::string> iso(const std::optional<Date>& d) {
    if (!d) return std::nullopt;
    return to_iso(*d);
}

template <class Point>
void upsert_point(sqlite3* db, const std::string& debtor_id, const Point& p, std::string_view kind,
                  std::string_view value, std::optional<std::string> state, std::optional<std::string> zip) {
    sql::Statement st(db, R"sql(
        INSERT INTO contact_points (debtor_id, id, kind, type, value, state, zip, source, confidence,
                                    status, first_seen_on, last_seen_on, verified_on)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
        ON CONFLICT (debtor_id, id) DO UPDATE SET
            kind = excluded.kind, type = excluded.type, value = excluded.value, state = excluded.state,
            zip = excluded.zip, source = excluded.source, confidence = excluded.confidence,
            status = excluded.status, first_seen_on = excluded.first_seen_on,
            last_seen_on = excluded.last_seen_on, verified_on = excluded.verified_on
        WHERE (kind, type, value, state, zip, source, confidence, status, first_seen_on, last_seen_on,
               verified_on) IS NOT (excluded.kind, excluded.type, excluded.value, excluded.state,
               excluded.zip, excluded.source, excluded.confidence, excluded.status,
               excluded.first_seen_on, excluded.last_seen_on, excluded.verified_on))sql");
    st.bind(1, debtor_id).bind(2, p.id).bind(3, kind).bind(4, to_string(p.type)).bind(5, value);
    st.bind(6, state).bind(7, zip).bind(8, to_string(p.source)).bind(9, static_cast<std::int64_t>(p.confidence));
    st.bind(10, to_string(p.status)).bind(11, iso(p.first_seen)).bind(12, iso(p.last_seen)).bind(13, iso(p.verified_on));
    st.run();
    for (const auto& c : p.consents) {
        sql::Statement ins(db, "INSERT INTO consents (debtor_id, contact_point_id, channel, given, at, method) "
                               "VALUES (?, ?, ?, ?, ?, ?)");
        ins.bind(1, debtor_id).bind(2, p.id).bind(3, to_string(c.channel)).bind(4, static_cast<std::int64_t>(c.given));
        ins.bind(5, to_iso(c.at)).bind(6, to_string(c.method));
        ins.run();
    }
}

}  // namespace

void Store::save_debtor(const Debtor& input) {
    Debtor d = input;
    d.normalize();
    if (d.id.empty()) throw ValidationError("debtor.id: a debtor needs an id");
    Json j = d;
    const std::string data = j.dump();
    write([&] {
        sqlite3* db = impl_->handle();
        const Bankruptcy* open = nullptr;
        for (const auto& b : d.bankruptcies)
            if (!b.discharged_on && !b.dismissed_on) open = &b;
        auto st = impl_->prepare(R"sql(
            INSERT INTO debtors (id, first_name, middle_name, last_name, date_of_birth, ssn,
                                 preferred_language, deceased_on, bankruptcy_chapter, bankruptcy_filed_on,
                                 bankruptcy_closed_on, attorney_represented, active_duty_military,
                                 cease_communications, data)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?15, ?14)
            ON CONFLICT (id) DO UPDATE SET
                first_name = excluded.first_name, middle_name = excluded.middle_name,
                last_name = excluded.last_name, date_of_birth = excluded.date_of_birth, ssn = excluded.ssn,
                preferred_language = excluded.preferred_language, deceased_on = excluded.deceased_on,
                bankruptcy_chapter = excluded.bankruptcy_chapter,
                bankruptcy_filed_on = excluded.bankruptcy_filed_on,
                bankruptcy_closed_on = excluded.bankruptcy_closed_on,
                attorney_represented = excluded.attorney_represented,
                active_duty_military = excluded.active_duty_military,
                cease_communications = excluded.cease_communications, data = excluded.data
            WHERE data IS NOT excluded.data)sql");
        st.bind(1, d.id).bind(2, d.first_name).bind(3, d.middle_name).bind(4, d.last_name);
        st.bind(5, iso(d.date_of_birth));
        if (d.ssn) st.bind(6, d.ssn->digits()); else st.bind_null(6);
        st.bind(7, d.preferred_language);
        if (d.deceased) st.bind(8, to_iso(d.deceased->date_of_death.value_or(d.deceased->reported_on))); else st.bind_null(8);
        if (open) {
            st.bind(9, static_cast<std::int64_t>(open->chapter)).bind(10, to_iso(open->filed_on)).bind_null(11);
        } else if (!d.bankruptcies.empty()) {
            const auto& b = d.bankruptcies.back();
            st.bind(9, static_cast<std::int64_t>(b.chapter)).bind(10, to_iso(b.filed_on));
            st.bind(11, iso(b.discharged_on ? b.discharged_on : b.dismissed_on));
        } else {
            st.bind_null(9).bind_null(10).bind_null(11);
        }
        bool attorney = false, military = false;
        for (const auto& a : d.attorneys) attorney = attorney || !a.until;
        for (const auto& m : d.military_service) military = military || !m.until;
        st.bind(12, static_cast<std::int64_t>(attorney)).bind(13, static_cast<std::int64_t>(military));
        st.bind(14, data);
        if (d.cease_communications.empty()) st.bind_null(15);
        else st.bind(15, j.at("cease_communications").dump());
        st.run();
        if (sqlite3_changes(db) == 0) return;  // nothing changed: no rows rewritten, no audit noise
        // Contact points: upsert what is there, drop what is gone; consents follow.
        auto del_consents = impl_->prepare("DELETE FROM consents WHERE debtor_id = ?");
        del_consents.bind(1, d.id);
        del_consents.run();
        std::vector<std::string> ids;
        for (const auto& a : d.addresses) {
            std::string value = a.line1;
            if (!a.line2.empty()) value += ", " + a.line2;
            value += ", " + a.city + ", " + a.state + " " + a.zip;
            upsert_point(db, d.id, a, "address", value, a.state, a.zip);
            ids.push_back(a.id);
        }
        for (const auto& p : d.phones) {
            upsert_point(db, d.id, p, "phone", p.number, std::nullopt, std::nullopt);
            ids.push_back(p.id);
        }
        for (const auto& e : d.emails) {
            upsert_point(db, d.id, e, "email", e.address, std::nullopt, std::nullopt);
            ids.push_back(e.id);
        }
        Json keep = ids;
        auto gone = impl_->prepare("DELETE FROM contact_points WHERE debtor_id = ? AND id NOT IN "
                                "(SELECT value FROM json_each(?))");
        gone.bind(1, d.id).bind(2, keep.dump());
        gone.run();
    });
}

bool Store::has_debtor(std::string_view id) const {
    auto st = impl_->prepare("SELECT 1 FROM debtors WHERE id = ?");
    st.bind(1, id);
    return st.step();
}

Debtor Store::load_debtor(std::string_view id) const {
    auto st = impl_->prepare("SELECT data FROM debtors WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) throw NotFoundError("debtor: no debtor " + quote(id) + " in the store");
    return parse_debtor(parse_json(st.text(0), "debtors.data"));
}

void Store::save_account(const Account& account) {
    Json j = account;
    j.erase("entries");
    const std::string data = j.dump();
    const AccountInfo& info = account.info();
    const Ledger& ledger = account.ledger();
    write([&] {
        sqlite3* db = impl_->handle();
        for (const auto& ad : info.debtors)
            if (!has_debtor(ad.debtor_id))
                throw NotFoundError("account " + quote(info.id) + ": debtor " + quote(ad.debtor_id) +
                                    " is not in the store (save the debtor first)");
        auto st = impl_->prepare(R"sql(
            INSERT INTO accounts (id, external_id, client, portfolio, status, currency, product_type,
                                  original_creditor, current_creditor, opened_on, charged_off_on,
                                  first_delinquency_on, itemization_date, itemization_basis, queue,
                                  collector, data)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
            ON CONFLICT (id) DO UPDATE SET
                external_id = excluded.external_id, client = excluded.client,
                portfolio = excluded.portfolio, status = excluded.status, currency = excluded.currency,
                product_type = excluded.product_type, original_creditor = excluded.original_creditor,
                current_creditor = excluded.current_creditor, opened_on = excluded.opened_on,
                charged_off_on = excluded.charged_off_on,
                first_delinquency_on = excluded.first_delinquency_on,
                itemization_date = excluded.itemization_date,
                itemization_basis = excluded.itemization_basis, queue = excluded.queue,
                collector = excluded.collector, data = excluded.data
            WHERE data IS NOT excluded.data)sql");
        st.bind(1, info.id);
        if (info.account_number.empty()) st.bind_null(2); else st.bind(2, info.account_number);
        st.bind(3, info.client).bind(4, info.portfolio).bind(5, to_string(account.status()));
        st.bind(6, account.currency().code()).bind(7, to_string(info.product_type));
        st.bind(8, info.original_creditor).bind(9, info.current_creditor).bind(10, to_iso(account.opened_on()));
        st.bind(11, iso(info.charged_off_on)).bind(12, iso(info.first_delinquency_on)).bind(13, iso(info.itemization_date));
        if (info.itemization_basis) st.bind(14, to_string(*info.itemization_basis)); else st.bind_null(14);
        st.bind(15, info.queue).bind(16, info.collector).bind(17, data);
        st.run();
        if (sqlite3_changes(db) > 0) {
            auto del = impl_->prepare("DELETE FROM account_debtors WHERE account_id = ?");
            del.bind(1, info.id);
            del.run();
            for (const auto& ad : info.debtors) {
                auto ins = impl_->prepare("INSERT INTO account_debtors (account_id, debtor_id, role, ecoa_code) VALUES (?, ?, ?, ?)");
                ins.bind(1, info.id).bind(2, ad.debtor_id).bind(3, to_string(ad.role)).bind(4, ad.ecoa_code);
                ins.run();
            }
        }
        // Journal: append what the store does not have; what it has must match.
        auto count = impl_->prepare("SELECT coalesce(max(seq), 0) FROM transactions WHERE account_id = ?");
        count.bind(1, info.id);
        count.step();
        const auto stored = static_cast<std::size_t>(count.int64(0));
        count.reset();
        const auto& entries = ledger.entries();
        if (stored > entries.size())
            throw ConflictError("account " + quote(info.id) + ": the store holds " + std::to_string(stored) +
                                " journal entries, this copy " + std::to_string(entries.size()) +
                                " (it is stale: load the account again and redo the change)");
        if (stored > 0) {
            auto last = impl_->prepare("SELECT " + std::string(kEntryColumns) +
                                        " FROM transactions WHERE account_id = ? AND seq = ?");
            last.bind(1, info.id).bind(2, static_cast<std::int64_t>(stored));
            last.step();
            const LedgerEntry on_file = entry_from_row(last);
            if (!(on_file == entries[stored - 1]))
                throw ConflictError("account " + quote(info.id) + ": journal entry " + std::to_string(stored) +
                                    " differs from the stored one (the journal is append-only)");
        }
        auto ins = impl_->prepare(R"sql(
            INSERT INTO transactions (account_id, seq, type, effective_date, posted_at, amount_cents, currency,
                                      reference, note, component, reverses, reason, principal_cents,
                                      interest_cents, fees_cents, costs_cents, unapplied_cents, ref_generation,
                                      actor)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                    arrears_actor()))sql");
        for (std::size_t k = stored; k < entries.size(); ++k) {
            const LedgerEntry& e = entries[k];
            std::int64_t generation = 0;  // earlier payments with this reference (all reversed)
            if (e.type == TransactionType::payment && !e.reference.empty())
                for (std::size_t q = 0; q < k; ++q)
                    generation += entries[q].type == TransactionType::payment && entries[q].reference == e.reference;
            ins.bind(1, info.id).bind(2, e.id).bind(3, to_string(e.type)).bind(4, to_iso(e.effective));
            ins.bind(5, to_iso(e.posted_at)).bind(6, e.amount.minor()).bind(7, e.amount.currency().code());
            ins.bind(8, e.reference).bind(9, e.note);
            if (e.component) ins.bind(10, to_string(*e.component)); else ins.bind_null(10);
            ins.bind(11, e.reverses);
            if (e.reason) ins.bind(12, to_string(*e.reason)); else ins.bind_null(12);
            for (std::size_t c = 0; c < kComponentCount; ++c)
                ins.bind(13 + static_cast<int>(c), e.posted_allocation.parts[c]);
            ins.bind(17, e.posted_allocation.unapplied).bind(18, generation);
            ins.run();
        }
        impl_->write_account_state(info.id, account_state(account));
    });
}

void Store::Impl::write_account_state(std::string_view account_id, const AccountState& s) {
    // An UPDATE of the row, else an INSERT: the same twelve values in the same order (an upsert
    // costs several times an UPDATE here, and imports write this row for every account paid).
    auto bind = [&](sql::Statement& st) {
        st.bind(1, account_id);
        for (std::size_t c = 0; c < kComponentCount; ++c) st.bind(2 + static_cast<int>(c), s.balance.parts[c]);
        st.bind(6, s.balance.unapplied).bind(7, s.balance.total().minor()).bind(8, s.entries);
        st.bind(9, iso(s.last_effective)).bind(10, iso(s.last_payment));
        st.bind(11, static_cast<std::int64_t>(s.interest_bearing)).bind(12, iso(s.first_effective));
        st.run();
    };
    auto update = prepare(R"sql(
        UPDATE account_state SET principal_cents = ?2, interest_cents = ?3, fees_cents = ?4, costs_cents = ?5,
            unapplied_cents = ?6, balance_cents = ?7, entries = ?8, last_effective_on = ?9,
            last_payment_on = ?10, interest_bearing = ?11, first_effective_on = ?12
        WHERE account_id = ?1)sql");
    bind(update);
    if (sqlite3_changes(handle()) > 0) return;
    auto insert = prepare(R"sql(
        INSERT INTO account_state (account_id, principal_cents, interest_cents, fees_cents, costs_cents,
                                   unapplied_cents, balance_cents, entries, last_effective_on,
                                   last_payment_on, interest_bearing, first_effective_on)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12))sql");
    bind(insert);
}

bool Store::has_account(std::string_view id) const {
    auto st = impl_->prepare("SELECT 1 FROM accounts WHERE id = ?");
    st.bind(1, id);
    return st.step();
}

Account Store::load_account(std::string_view id) const {
    auto st = impl_->prepare("SELECT data FROM accounts WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) throw NotFoundError("account: no account " + quote(id) + " in the store");
    Json j = parse_json(st.text(0), "accounts.data");
    Json entries = Json::array();
    auto tx = impl_->prepare("SELECT " + std::string(kEntryColumns) + " FROM transactions WHERE account_id = ? ORDER BY seq");
    tx.bind(1, id);
    while (tx.step()) entries.push_back(entry_from_row(tx));
    j["entries"] = std::move(entries);
    return parse_account(j);
}

std::vector<std::string> Store::account_ids(std::string_view debtor_id) const {
    std::vector<std::string> out;
    if (debtor_id.empty()) {
        auto st = impl_->prepare("SELECT id FROM accounts ORDER BY id");
        while (st.step()) out.emplace_back(st.text(0));
    } else {
        auto st = impl_->prepare("SELECT account_id FROM account_debtors WHERE debtor_id = ? ORDER BY account_id");
        st.bind(1, debtor_id);
        while (st.step()) out.emplace_back(st.text(0));
    }
    return out;
}

void Store::update_account(std::string_view id, const std::function<void(Account&)>& change) {
    write([&] {
        Account a = load_account(id);
        change(a);
        save_account(a);
    });
}

std::size_t Store::record_bucket_moves(const ArrowImport& moves, Date as_of) {
    const StringColumn ids = moves.strings("account_id");
    const StringColumn from = moves.strings("from_bucket");
    const StringColumn to = moves.strings("to_bucket");
    const auto from_dpd = moves.int64("from_dpd");
    const auto to_dpd = moves.int64("to_dpd");
    std::size_t added = 0;
    write([&] {
        sqlite3* db = impl_->handle();
        auto ins = impl_->prepare("INSERT INTO bucket_history (account_id, as_of, from_bucket, to_bucket, from_dpd, to_dpd) "
                               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, as_of) DO NOTHING");
        const std::string day = to_iso(as_of);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (!ids.is_valid(i)) throw ValidationError("moves.account_id: null at row " + std::to_string(i));
            ins.bind(1, ids.at(i)).bind(2, day);
            if (from.is_valid(i)) ins.bind(3, from.at(i)); else ins.bind_null(3);
            if (to.is_valid(i)) ins.bind(4, to.at(i)); else ins.bind_null(4);
            if (from_dpd.is_valid(i)) ins.bind(5, from_dpd.values[i]); else ins.bind_null(5);
            if (to_dpd.is_valid(i)) ins.bind(6, to_dpd.values[i]); else ins.bind_null(6);
            ins.run();
            added += static_cast<std::size_t>(sqlite3_changes(db));
        }
    });
    return added;
}

std::pair<std::size_t, std::int64_t> Store::accrue_interest(Date through, Instant posted_at) {
    std::size_t accounts = 0;
    std::int64_t interest = 0;
    write([&] {
        std::vector<std::string> ids;
        {
            auto st = impl_->prepare("SELECT account_id FROM account_state WHERE interest_bearing = 1 ORDER BY account_id");
            while (st.step()) ids.emplace_back(st.text(0));
        }
        for (const auto& id : ids) {
            Account a = load_account(id);
            if (auto t = a.ledger().accrue_interest(through, posted_at)) {
                save_account(a);
                ++accounts;
                interest += t->amount.minor();
            }
        }
    });
    return {accounts, interest};
}

}  // namespace arrears
