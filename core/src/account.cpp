#include "arrears/account.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "enum_names.hpp"

namespace arrears {

namespace {

constexpr std::array<std::string_view, 5> kRoleNames{"primary", "co_signer", "joint",
                                                     "authorized_user", "guarantor"};
constexpr std::array<std::string_view, 11> kProductNames{
    "credit_card", "auto_loan", "personal_loan", "student_loan", "medical",       "utility",
    "telecom",     "retail",    "mortgage",      "returned_check", "other"};
constexpr std::array<std::string_view, 5> kBasisNames{"last_statement", "charge_off",
                                                      "last_payment", "transaction", "judgment"};
constexpr std::array<std::string_view, 11> kStatusNames{
    "active", "promise", "plan",     "disputed", "settled", "paid",
    "closed", "recalled", "legal",   "bankrupt", "deceased"};

using S = AccountStatus;

// The lifecycle, one row per current status (docs/ledger.md shows it as a table).
std::vector<AccountStatus> successors(AccountStatus from) {
    switch (from) {
        case S::active:
            return {S::promise, S::plan,   S::disputed, S::settled, S::paid,
                    S::closed,  S::recalled, S::legal,  S::bankrupt, S::deceased};
        case S::promise:
            return {S::active, S::plan,     S::disputed, S::settled, S::paid,
                    S::closed, S::recalled, S::legal,    S::bankrupt, S::deceased};
        case S::plan:
            return {S::active,   S::disputed, S::settled,  S::paid,    S::closed,
                    S::recalled, S::legal,    S::bankrupt, S::deceased};
        case S::disputed:
            return {S::active, S::settled, S::paid, S::closed, S::recalled, S::bankrupt,
                    S::deceased};
        case S::legal:
            return {S::active, S::promise,  S::plan,     S::disputed, S::settled,
                    S::paid,   S::closed,   S::recalled, S::bankrupt, S::deceased};
        case S::bankrupt:
            return {S::active, S::settled, S::paid, S::closed, S::recalled, S::deceased};
        case S::deceased: return {S::active, S::settled, S::paid, S::closed, S::recalled};
        case S::settled: return {S::active, S::closed};
        case S::paid: return {S::active, S::closed};
        case S::closed: return {S::active};
        case S::recalled: return {};
    }
    return {};
}

bool before(Date a, Date b) { return to_days(a) < to_days(b); }

void check_not_before_opening(const std::optional<Date>& d, Date opened, const char* field) {
    if (!d) return;
    check_date(*d, field);
    if (before(*d, opened))
        throw ValidationError(std::string(field) + ": " + to_iso(*d) +
                              " is before the account opened (" + to_iso(opened) + ")");
}

void check_basis_date(const std::optional<Date>& named, Date itemization, const char* field,
                      std::string_view basis) {
    if (named && *named != itemization)
        throw ValidationError("itemization_date: " + to_iso(itemization) + " is not the " +
                              std::string(field) + " (" + to_iso(*named) +
                              ") although the itemization basis is '" + std::string(basis) + "'");
}

}  // namespace

std::string_view to_string(DebtorRole r) noexcept { return detail::enum_name(kRoleNames, r); }
DebtorRole parse_debtor_role(std::string_view name, std::string_view field) {
    return detail::parse_enum<DebtorRole>(kRoleNames, name, field, "debtor role");
}

bool is_valid_ecoa_code(std::string_view code) noexcept {
    static constexpr std::array<std::string_view, 9> codes{"1", "2", "3", "5", "7",
                                                           "T", "X", "W", "Z"};
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string StatusChange::repr() const {
    return "StatusChange('" + std::string(to_string(status)) + "', " + to_iso(effective) +
           (reason.empty() ? "" : ", " + quote(reason)) + ")";
}

void AccountDebtor::validate(std::string_view at) const {
    const std::string prefix = at.empty() ? std::string() : std::string(at) + ".";
    if (debtor_id.empty()) throw ValidationError(prefix + "debtor_id: empty");
    if (!is_valid_ecoa_code(ecoa_code))
        throw ValidationError(prefix + "ecoa_code: " + quote(ecoa_code) +
                              " is not a Metro 2 ECOA code (1, 2, 3, 5, 7, T, X, W or Z)");
}

std::string AccountDebtor::repr() const {
    return "AccountDebtor(debtor_id=" + quote(debtor_id) + ", role='" +
           std::string(to_string(role)) + "', ecoa_code='" + ecoa_code + "')";
}

std::string_view to_string(ProductType p) noexcept { return detail::enum_name(kProductNames, p); }
ProductType parse_product_type(std::string_view name, std::string_view field) {
    return detail::parse_enum<ProductType>(kProductNames, name, field, "product type");
}

std::string_view to_string(ItemizationBasis b) noexcept {
    return detail::enum_name(kBasisNames, b);
}
ItemizationBasis parse_itemization_basis(std::string_view name, std::string_view field) {
    return detail::parse_enum<ItemizationBasis>(kBasisNames, name, field, "itemization basis");
}

std::string_view to_string(AccountStatus s) noexcept { return detail::enum_name(kStatusNames, s); }
AccountStatus parse_account_status(std::string_view name, std::string_view field) {
    return detail::parse_enum<AccountStatus>(kStatusNames, name, field, "account status");
}

bool can_transition(AccountStatus from, AccountStatus to) noexcept {
    const auto next = successors(from);
    return std::find(next.begin(), next.end(), to) != next.end();
}

std::vector<AccountStatus> allowed_transitions(AccountStatus from) { return successors(from); }

// --- Account ---------------------------------------------------------------------------------

Account::Account(AccountInfo info, LedgerTerms terms, AccountStatus status)
    : info_(std::move(info)), ledger_(std::move(terms)) {
    history_.push_back({status, ledger_.terms().opened_on, "opened"});
    validate();
}

Account::Account(AccountInfo info, Ledger ledger, std::vector<StatusChange> status_history)
    : info_(std::move(info)), ledger_(std::move(ledger)), history_(std::move(status_history)) {
    if (history_.empty())
        throw ValidationError("status_history: empty; the first entry is the opening status");
    for (std::size_t i = 0; i < history_.size(); ++i) {
        const std::string at = "status_history[" + std::to_string(i) + "]";
        check_date(history_[i].effective, at + ".effective");
        if (i == 0) {
            if (before(history_[0].effective, opened_on()))
                throw ValidationError(at + ".effective: before the account opened");
            continue;
        }
        if (before(history_[i].effective, history_[i - 1].effective))
            throw ValidationError(at + ".effective: " + to_iso(history_[i].effective) +
                                  " is before the previous change");
        if (!can_transition(history_[i - 1].status, history_[i].status))
            throw ValidationError(at + ".status: '" +
                                  std::string(to_string(history_[i - 1].status)) + "' -> '" +
                                  std::string(to_string(history_[i].status)) +
                                  "' is not an allowed transition");
    }
    validate();
}

void Account::validate() const {
    const AccountInfo& a = info_;
    if (a.id.empty()) throw ValidationError("id: an account needs a non-empty id");
    const Date opened = opened_on();
    std::set<std::string> seen;
    int primaries = 0;
    for (std::size_t i = 0; i < a.debtors.size(); ++i) {
        const auto& d = a.debtors[i];
        const std::string at = "debtors[" + std::to_string(i) + "]";
        d.validate(at);
        if (!seen.insert(d.debtor_id).second)
            throw ValidationError(at + ".debtor_id: " + quote(d.debtor_id) +
                                  " is listed twice on account " + quote(a.id));
        if (d.role == DebtorRole::primary) ++primaries;
    }
    if (!a.debtors.empty() && primaries != 1)
        throw ValidationError("debtors: an account has exactly one primary debtor, got " +
                              std::to_string(primaries));
    check_not_before_opening(a.last_statement_on, opened, "last_statement_on");
    check_not_before_opening(a.charged_off_on, opened, "charged_off_on");
    check_not_before_opening(a.first_delinquency_on, opened, "first_delinquency_on");
    check_not_before_opening(a.last_payment_on, opened, "last_payment_on");
    check_not_before_opening(a.judgment_on, opened, "judgment_on");
    check_not_before_opening(a.itemization_date, opened, "itemization_date");
    if (a.charged_off_on && a.first_delinquency_on && before(*a.charged_off_on, *a.first_delinquency_on))
        throw ValidationError("charged_off_on: " + to_iso(*a.charged_off_on) +
                              " is before the date of first delinquency " +
                              to_iso(*a.first_delinquency_on));
    if (a.itemization_date.has_value() != a.itemization_basis.has_value())
        throw ValidationError(a.itemization_date
                                  ? "itemization_basis: required with an itemization date (one of "
                                    "last_statement, charge_off, last_payment, transaction, "
                                    "judgment)"
                                  : "itemization_date: required with an itemization basis");
    if (a.itemization_date) {
        const Date d = *a.itemization_date;
        const auto basis = to_string(*a.itemization_basis);
        switch (*a.itemization_basis) {
            case ItemizationBasis::last_statement:
                check_basis_date(a.last_statement_on, d, "last_statement_on", basis);
                break;
            case ItemizationBasis::charge_off:
                check_basis_date(a.charged_off_on, d, "charged_off_on", basis);
                break;
            case ItemizationBasis::last_payment:
                check_basis_date(a.last_payment_on, d, "last_payment_on", basis);
                break;
            case ItemizationBasis::judgment:
                check_basis_date(a.judgment_on, d, "judgment_on", basis);
                break;
            case ItemizationBasis::transaction: break;
        }
    }
    for (std::size_t i = 0; i < a.tags.size(); ++i) {
        if (a.tags[i].empty()) throw ValidationError("tags[" + std::to_string(i) + "]: empty tag");
        if (i > 0 && !(a.tags[i - 1] < a.tags[i]))
            throw ValidationError("tags: not sorted and unique at " + quote(a.tags[i]));
    }
}

void Account::set_status(AccountStatus to, Date effective, std::string reason) {
    check_date(effective, "effective");
    const StatusChange& last = history_.back();
    if (before(effective, last.effective))
        throw ValidationError("effective: " + to_iso(effective) +
                              " is before the last status change (" + to_iso(last.effective) +
                              ", to '" + std::string(to_string(last.status)) + "')");
    if (!can_transition(last.status, to)) {
        std::string allowed;
        for (auto s : successors(last.status))
            allowed += (allowed.empty() ? "" : ", ") + std::string(to_string(s));
        throw ConflictError("status: account " + quote(info_.id) + " cannot go from '" +
                            std::string(to_string(last.status)) + "' to '" +
                            std::string(to_string(to)) + "' (allowed: " +
                            (allowed.empty() ? "none, it is final" : allowed) + ")");
    }
    history_.push_back({to, effective, std::move(reason)});
}

void Account::assign(std::optional<std::string> queue, std::optional<std::string> collector) {
    info_.queue = std::move(queue);
    info_.collector = std::move(collector);
}

void Account::add_tag(std::string tag) {
    if (tag.empty()) throw ValidationError("tag: empty tag");
    auto it = std::lower_bound(info_.tags.begin(), info_.tags.end(), tag);
    if (it == info_.tags.end() || *it != tag) info_.tags.insert(it, std::move(tag));
}

void Account::remove_tag(std::string_view tag) {
    auto it = std::lower_bound(info_.tags.begin(), info_.tags.end(), tag);
    if (it == info_.tags.end() || *it != tag)
        throw NotFoundError("tag: account " + quote(info_.id) + " has no tag " + quote(tag));
    info_.tags.erase(it);
}

Itemization Account::itemization(Date as_of) const {
    if (!info_.itemization_date)
        throw ValidationError("itemization_date: account " + quote(info_.id) +
                              " has no itemization date");
    return ledger_.itemization(*info_.itemization_date, as_of);
}

Itemization Account::itemization() const {
    Date d = info_.itemization_date.value_or(opened_on());
    for (const auto& t : ledger_.transactions())
        if (to_days(d) < to_days(t.entry.effective)) d = t.entry.effective;
    return itemization(d);
}

namespace {
std::optional<Date> latest(std::optional<Date> posted, std::optional<Date> creditor) {
    if (!creditor) return posted;
    if (!posted) return creditor;
    return before(*posted, *creditor) ? creditor : posted;
}
}  // namespace

std::optional<Date> Account::last_payment_date() const {
    return latest(ledger_.last_payment_date(), info_.last_payment_on);
}

std::optional<Date> Account::last_payment_date(Date as_of) const {
    return latest(ledger_.last_payment_date(as_of), info_.last_payment_on);
}

std::string Account::masked_account_number() const {
    const std::string& n = info_.account_number;
    if (n.empty()) return "";
    if (n.size() <= 4) return std::string(n.size(), '*');
    return std::string(n.size() - 4, '*') + n.substr(n.size() - 4);
}

std::string Account::repr() const {
    std::string out = "Account(id=" + quote(info_.id);
    if (!info_.account_number.empty()) out += ", account_number='" + masked_account_number() + "'";
    out += ", status='" + std::string(to_string(status())) + "', opened_on=" +
           to_iso(opened_on());
    if (!info_.current_creditor.empty()) out += ", creditor=" + quote(info_.current_creditor);
    out += ", balance='" + ledger_.balance().total().amount_string() + "', currency='" +
           std::string(currency().code()) + "', transactions=" +
           std::to_string(ledger_.entries().size()) + ")";
    return out;
}

std::vector<std::optional<Transaction>> post_debtor_payment(std::span<Account* const> accounts,
                                                            const Money& amount, Date effective,
                                                            const std::string& reference,
                                                            SplitMethod method, Instant posted_at) {
    if (accounts.empty()) throw ValidationError("accounts: no accounts to post the payment to");
    std::vector<std::int64_t> owed;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        const Account& a = *accounts[i];
        if (a.currency() != amount.currency())
            throw ValidationError("amount: " + amount.amount_string() + " " +
                                  std::string(amount.currency().code()) + " but account " +
                                  quote(a.id()) + " is in " + std::string(a.currency().code()));
        for (std::size_t k = 0; k < i; ++k)
            if (accounts[k] == accounts[i] || accounts[k]->id() == a.id())
                throw ValidationError("accounts: account " + quote(a.id()) + " is listed twice");
        if (!amount.is_positive())
            throw ValidationError("amount: " + amount.amount_string() + " is not positive");
        if (before(effective, a.opened_on()))
            throw ValidationError("effective: " + to_iso(effective) + " is before account " +
                                  quote(a.id()) + " opened (" + to_iso(a.opened_on()) + ")");
        owed.push_back(a.ledger().balance(effective).total().minor());
    }
    const std::vector<std::int64_t> parts = split_across_accounts(amount.minor(), owed, method);
    // Post on copies; commit only when every account accepted its part.
    std::vector<Account> staged;
    staged.reserve(accounts.size());
    std::vector<std::optional<Transaction>> out(accounts.size());
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        staged.push_back(*accounts[i]);
        if (parts[i] == 0) continue;
        out[i] = staged.back().ledger().post_payment(Money(parts[i], amount.currency()), effective,
                                                     reference, posted_at, "split payment");
    }
    for (std::size_t i = 0; i < accounts.size(); ++i) *accounts[i] = std::move(staged[i]);
    return out;
}

// --- JSON ------------------------------------------------------------------------------------

namespace {
nlohmann::json opt_date(const std::optional<Date>& d) {
    return d ? nlohmann::json(to_iso(*d)) : nlohmann::json(nullptr);
}
nlohmann::json opt_string(const std::optional<std::string>& s) {
    return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}
}  // namespace

void to_json(nlohmann::json& j, const AccountDebtor& d) {
    j = nlohmann::json{{"debtor_id", d.debtor_id},
                       {"role", std::string(to_string(d.role))},
                       {"ecoa_code", d.ecoa_code}};
}

void to_json(nlohmann::json& j, const StatusChange& s) {
    j = nlohmann::json{{"status", std::string(to_string(s.status))},
                       {"effective", to_iso(s.effective)},
                       {"reason", s.reason}};
}

StatusChange parse_status_change(const nlohmann::json& j, const std::string& path) {
    const JsonView s(j, path);
    s.require_object();
    s.check_keys({"status", "effective", "reason"});
    StatusChange c;
    c.status = parse_account_status(s.at("status").as_string(), path + ".status");
    c.effective = s.at("effective").as_date();
    if (auto r = s.find("reason")) c.reason = r->as_string();
    return c;
}

AccountDebtor parse_account_debtor(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"debtor_id", "role", "ecoa_code"});
    AccountDebtor d;
    d.debtor_id = v.at("debtor_id").as_string();
    if (auto x = v.find("role")) d.role = parse_debtor_role(x->as_string(), x->path());
    if (auto x = v.find("ecoa_code")) d.ecoa_code = x->as_string();
    return d;
}

void to_json(nlohmann::json& j, const AccountInfo& a) {
    nlohmann::json debtors = nlohmann::json::array();
    for (const auto& d : a.debtors) debtors.push_back(d);
    j = nlohmann::json{
        {"id", a.id},
        {"account_number", a.account_number},
        {"debtors", debtors},
        {"original_creditor", a.original_creditor},
        {"current_creditor", a.current_creditor},
        {"creditor_on_itemization_date", a.creditor_on_itemization_date},
        {"product_type", std::string(to_string(a.product_type))},
        {"last_statement_on", opt_date(a.last_statement_on)},
        {"charged_off_on", opt_date(a.charged_off_on)},
        {"first_delinquency_on", opt_date(a.first_delinquency_on)},
        {"last_payment_on", opt_date(a.last_payment_on)},
        {"judgment_on", opt_date(a.judgment_on)},
        {"itemization_date", opt_date(a.itemization_date)},
        {"itemization_basis", a.itemization_basis
                                  ? nlohmann::json(std::string(to_string(*a.itemization_basis)))
                                  : nlohmann::json(nullptr)},
        {"client", a.client},
        {"portfolio", a.portfolio},
        {"tags", a.tags},
        {"queue", opt_string(a.queue)},
        {"collector", opt_string(a.collector)}};
}

namespace {
constexpr std::array<std::string_view, 19> kInfoKeys{
    "id",           "account_number",      "debtors",          "original_creditor",
    "current_creditor", "creditor_on_itemization_date", "product_type", "last_statement_on",
    "charged_off_on", "first_delinquency_on", "last_payment_on", "judgment_on",
    "itemization_date", "itemization_basis", "client", "portfolio", "tags", "queue", "collector"};

AccountInfo info_from(const JsonView& v) {
    AccountInfo a;
    a.id = v.at("id").as_string();
    auto str = [&](const char* key, std::string& out) {
        if (auto x = v.find(key)) out = x->as_string();
    };
    auto date = [&](const char* key, std::optional<Date>& out) {
        if (auto x = v.find(key)) out = x->as_date();
    };
    str("account_number", a.account_number);
    if (auto x = v.find("debtors")) {
        x->require_array();
        for (std::size_t i = 0; i < x->size(); ++i)
            a.debtors.push_back(parse_account_debtor(x->at(i).json(), x->at(i).path()));
    }
    str("original_creditor", a.original_creditor);
    str("current_creditor", a.current_creditor);
    str("creditor_on_itemization_date", a.creditor_on_itemization_date);
    if (auto x = v.find("product_type")) a.product_type = parse_product_type(x->as_string(), x->path());
    date("last_statement_on", a.last_statement_on);
    date("charged_off_on", a.charged_off_on);
    date("first_delinquency_on", a.first_delinquency_on);
    date("last_payment_on", a.last_payment_on);
    date("judgment_on", a.judgment_on);
    date("itemization_date", a.itemization_date);
    if (auto x = v.find("itemization_basis"))
        a.itemization_basis = parse_itemization_basis(x->as_string(), x->path());
    str("client", a.client);
    str("portfolio", a.portfolio);
    if (auto x = v.find("tags")) {
        x->require_array();
        for (std::size_t i = 0; i < x->size(); ++i) a.tags.push_back(x->at(i).as_string());
        std::sort(a.tags.begin(), a.tags.end());
        a.tags.erase(std::unique(a.tags.begin(), a.tags.end()), a.tags.end());
    }
    if (auto x = v.find("queue")) a.queue = x->as_string();
    if (auto x = v.find("collector")) a.collector = x->as_string();
    return a;
}
}  // namespace

AccountInfo parse_account_info(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    for (auto it = j.begin(); it != j.end(); ++it)
        if (std::find(kInfoKeys.begin(), kInfoKeys.end(), it.key()) == kInfoKeys.end())
            JsonView(it.value(), path + "." + it.key()).fail("unknown field");
    return info_from(v);
}

void to_json(nlohmann::json& j, const Account& a) {
    j = a.info();
    j["version"] = 1;
    j["terms"] = a.ledger().terms();
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& e : a.ledger().entries()) entries.push_back(e);
    j["entries"] = entries;
    nlohmann::json history = nlohmann::json::array();
    for (const auto& s : a.status_history()) history.push_back(s);
    j["status_history"] = history;
}

namespace {
// The account JSON without its ledger: known keys, version; then info and status history.
JsonView account_json(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    static constexpr std::array<std::string_view, 4> kLedgerKeys{"version", "terms", "entries",
                                                                 "status_history"};
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string_view k = it.key();
        const bool known = std::find(kInfoKeys.begin(), kInfoKeys.end(), k) != kInfoKeys.end() ||
                           std::find(kLedgerKeys.begin(), kLedgerKeys.end(), k) != kLedgerKeys.end();
        if (!known) JsonView(it.value(), path + "." + it.key()).fail("unknown field");
    }
    if (auto x = v.find("version"))
        if (x->as_int() != 1) x->fail("unsupported account version " + std::to_string(x->as_int()));
    return v;
}

Account assemble(const JsonView& v, AccountInfo info, LedgerTerms terms,
                 std::vector<LedgerEntry> entries) {
    std::vector<StatusChange> history;
    const JsonView h = v.at("status_history");
    h.require_array();
    for (std::size_t i = 0; i < h.size(); ++i) {
        const JsonView c = h.at(i);
        history.push_back(parse_status_change(c.json(), c.path()));
    }
    return Account(std::move(info), Ledger::from_entries(std::move(terms), std::move(entries)),
                   std::move(history));
}
}  // namespace

Account parse_account(const nlohmann::json& j, const std::string& path) {
    const JsonView v = account_json(j, path);
    AccountInfo info = info_from(v);
    LedgerTerms terms = parse_ledger_terms(v.at("terms").json(), path + ".terms");
    std::vector<LedgerEntry> entries;
    if (auto x = v.find("entries")) {
        x->require_array();
        for (std::size_t i = 0; i < x->size(); ++i)
            entries.push_back(parse_ledger_entry(x->at(i).json(), terms.currency, x->at(i).path()));
    }
    return assemble(v, std::move(info), std::move(terms), std::move(entries));
}

Account parse_account(const nlohmann::json& j, LedgerTerms terms, std::vector<LedgerEntry> entries,
                      const std::string& path) {
    const JsonView v = account_json(j, path);
    return assemble(v, info_from(v), std::move(terms), std::move(entries));
}

}  // namespace arrears
