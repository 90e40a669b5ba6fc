// Account -> Metro 2 facts (see metro2_facts.hpp and docs/metro2.md, "Mapping from the ledger's
// Account and Debtor").
#include "arrears/metro2_facts.hpp"

#include <map>

#include "arrears/compliance_dates.hpp"

namespace arrears {

namespace {

bool before(Date a, Date b) { return to_days(a) < to_days(b); }

int month_index(Date d) {
    return static_cast<int>(d.year()) * 12 + static_cast<int>(static_cast<unsigned>(d.month())) - 1;
}

bool closed_report(const Metro2PriorReport& r) {
    return r.account_status == "62" || r.account_status == "DA";
}

// Reg F 1006.30(a)(1): each message delivered, with the first notice of undeliverability of its
// channel on or after it; conversations as they are; then the compliance engine's date.
std::optional<Date> furnishing_date(const std::vector<Metro2Contact>& contacts, Date as_of) {
    std::vector<SentMessage> messages;
    std::vector<Date> conversations;
    for (const auto& c : contacts) {
        if (before(as_of, c.on)) continue;
        if (c.kind == Metro2ContactKind::conversation) conversations.push_back(c.on);
        if (c.kind != Metro2ContactKind::delivered) continue;
        SentMessage m{c.on, std::nullopt};
        for (const auto& back : contacts)
            if (back.kind == Metro2ContactKind::returned && back.channel == c.channel &&
                !before(as_of, back.on) && !before(back.on, c.on) &&
                (!m.undeliverable || before(back.on, *m.undeliverable)))
                m.undeliverable = back.on;
        messages.push_back(m);
    }
    return earliest_furnishing_date(messages, conversations);
}

// The Consumer Information Indicator of the latest bankruptcy filed by as_of: A-D while the case
// is open (chapter 7, 11, 12, 13), E-H once discharged, Q once when a dismissal removes an
// indicator that could have been reported (the last report came before the dismissal).
std::string consumer_information_indicator(const Debtor& d, Date as_of,
                                           const std::optional<Date>& last_reported) {
    const Bankruptcy* latest = nullptr;
    for (const auto& b : d.bankruptcies)
        if (!before(as_of, b.filed_on) && (!latest || before(latest->filed_on, b.filed_on))) latest = &b;
    if (!latest) return "";
    auto by_chapter = [&](const char* codes) -> std::string {
        switch (latest->chapter) {
            case 7: return std::string(1, codes[0]);
            case 11: return std::string(1, codes[1]);
            case 12: return std::string(1, codes[2]);
            case 13: return std::string(1, codes[3]);
            default: return "";
        }
    };
    if (latest->open_on(as_of)) return by_chapter("ABCD");
    if (latest->discharged_on && !before(as_of, *latest->discharged_on)) return by_chapter("EFGH");
    if (latest->dismissed_on && !before(as_of, *latest->dismissed_on) && last_reported &&
        before(*last_reported, *latest->dismissed_on))
        return "Q";
    return "";
}

Metro2Consumer consumer_of(const Debtor& d, const AccountDebtor& on_account, Date as_of,
                           const std::optional<Date>& last_reported) {
    const Instant at = end_of_day(as_of);
    Metro2Consumer c;
    c.surname = d.last_name;
    c.first_name = d.first_name;
    c.middle_name = d.middle_name;
    c.generation_code = d.suffix;
    if (d.ssn) c.social_security_number = d.ssn->digits();
    c.date_of_birth = d.date_of_birth;
    if (auto k = d.best_contact_point(Channel::call, at)) c.telephone_number = d.phones[*k].number;
    c.ecoa_code = d.is_deceased() ? "X" : on_account.ecoa_code;
    c.consumer_information_indicator = consumer_information_indicator(d, as_of, last_reported);
    if (auto k = d.best_contact_point(Channel::mail, at)) {
        const Address& addr = d.addresses[*k];
        c.first_line_of_address = addr.line1;
        c.second_line_of_address = addr.line2;
        c.city = addr.city;
        c.state = addr.state;
        c.zip_code = addr.zip;
        if (!addr.country.empty() && addr.country != "US") c.country_code = addr.country;
    }
    return c;
}

// The dispute to report: open now (or the account's status says disputed); else the latest one
// resolved since the last report.
Metro2DisputeState dispute_state(const std::vector<Metro2Dispute>& disputes, bool status_disputed,
                                 const std::optional<Date>& last_reported, Date as_of) {
    if (status_disputed) return Metro2DisputeState::open;
    const Metro2Dispute* resolved = nullptr;
    for (const auto& d : disputes) {
        if (before(as_of, d.received)) continue;
        if (!d.resolved || before(as_of, *d.resolved)) return Metro2DisputeState::open;
        if ((!last_reported || before(*last_reported, *d.resolved)) &&
            (!resolved || before(*resolved->resolved, *d.resolved)))
            resolved = &d;
    }
    if (!resolved) return Metro2DisputeState::none;
    if (resolved->resolution == "withdrawn") return Metro2DisputeState::withdrawn;
    if (resolved->resolution == "resolved_disagrees") return Metro2DisputeState::resolved_disagrees;
    return Metro2DisputeState::resolved;
}

}  // namespace

std::string default_creditor_classification(ProductType p) {
    switch (p) {
        case ProductType::retail: return "01";
        case ProductType::medical: return "02";
        case ProductType::student_loan: return "07";
        case ProductType::credit_card: return "08";
        case ProductType::utility: return "10";
        case ProductType::telecom: return "11";
        case ProductType::personal_loan:
        case ProductType::mortgage: return "12";
        case ProductType::auto_loan: return "14";
        case ProductType::returned_check:
        case ProductType::other: return "";
    }
    return "";
}

std::string metro2_payment_history_profile(std::span<const Metro2PriorReport> reported, Date as_of) {
    const int now = month_index(as_of);
    std::map<int, const std::string*> status_by_month;  // the latest report of each month
    std::optional<int> first_month;
    for (const auto& r : reported) {
        if (!before(r.activity_on, as_of)) continue;
        const int m = month_index(r.activity_on);
        if (!first_month || m < *first_month) first_month = m;
        status_by_month[m] = &r.account_status;
    }
    if (!first_month) return {};
    std::string out;
    for (int k = 1; k <= 24; ++k) {
        const int m = now - k;
        if (m < *first_month) break;  // B-filled by the profile
        auto it = status_by_month.find(m);
        const bool collection = it != status_by_month.end() && (*it->second == "93" || *it->second == "62");
        out += collection ? 'G' : 'D';
    }
    return out;
}

std::optional<Metro2AccountFacts> metro2_account_facts(const Account& account,
                                                       std::span<const Debtor* const> debtors,
                                                       const Metro2AccountHistory& history,
                                                       const Metro2Mapping& mapping,
                                                       const Metro2Profile& profile, Date as_of) {
    const AccountInfo& info = account.info();
    const Ledger& ledger = account.ledger();
    const Metro2PriorReport* last_report = nullptr;  // the latest report before as_of
    for (const auto& r : history.reported)
        if (before(r.activity_on, as_of)) last_report = &r;
    const std::optional<Date> last_reported_on =
        last_report ? std::optional<Date>(last_report->activity_on) : std::nullopt;
    const bool open_report = last_report && !closed_report(*last_report);

    Metro2AccountFacts f;
    f.account_number = info.account_number.empty() ? info.id : info.account_number;
    const AccountStatus status = account.status();
    switch (status) {
        case AccountStatus::paid: f.state = Metro2CollectionState::paid; break;
        case AccountStatus::settled: f.state = Metro2CollectionState::settled; break;
        case AccountStatus::recalled: f.state = Metro2CollectionState::deleted; break;
        default: f.state = Metro2CollectionState::unpaid; break;
    }
    if (f.state != Metro2CollectionState::unpaid && !open_report) return std::nullopt;

    f.date_opened = account.opened_on();
    // Placed: the earliest placement posting, else the earliest entry. Original amount: the
    // principal placed, else the first principal charged.
    std::int64_t placed_principal = 0;
    std::optional<std::int64_t> first_principal;
    std::optional<Date> earliest;
    for (const auto& e : ledger.entries()) {
        if (!earliest || before(e.effective, *earliest)) earliest = e.effective;
        if (e.reference == "placement" && (!f.date_placed || before(e.effective, *f.date_placed)))
            f.date_placed = e.effective;
        if (e.type == TransactionType::charge && e.component == Component::principal) {
            if (e.reference == "placement") placed_principal += e.amount.minor();
            if (!first_principal) first_principal = e.amount.minor();
        }
    }
    if (!f.date_placed) f.date_placed = earliest;
    f.original_amount =
        Money(placed_principal ? placed_principal : first_principal.value_or(0), account.currency());
    f.date_of_first_delinquency = info.first_delinquency_on;  // as furnished; never re-aged
    f.current_balance = ledger.balance(as_of).total();
    // Payments standing as of the date: the last one, and those in the reporting month.
    f.date_of_last_payment = account.last_payment_date(as_of);
    const Date month_start{as_of.year(), as_of.month(), std::chrono::day{1}};
    std::int64_t month_paid = 0;
    for (const auto& t : ledger.transactions())
        if (t.type() == TransactionType::payment && ledger.payment_stands(t, as_of) &&
            !before(t.entry.effective, month_start))
            month_paid += t.entry.amount.minor();
    f.last_payment_amount = Money(month_paid, account.currency());
    if (f.state == Metro2CollectionState::paid || f.state == Metro2CollectionState::settled)
        f.date_paid = account.status_history().back().effective;
    f.dispute = dispute_state(history.disputes, status == AccountStatus::disputed, last_reported_on, as_of);
    f.original_creditor_name = info.original_creditor;
    const std::string product(to_string(info.product_type));
    auto cls = mapping.creditor_classification.find(product);
    f.creditor_classification = cls != mapping.creditor_classification.end()
                                    ? cls->second
                                    : default_creditor_classification(info.product_type);
    if (profile.account_type == "0C") f.purchased_from = info.current_creditor;
    f.debt_type = product;
    if (auto ex = mapping.client_excluded_debt_types.find(info.client);
        ex != mapping.client_excluded_debt_types.end())
        f.client_excluded_debt_types = ex->second;
    f.earliest_furnishing_date = furnishing_date(history.contacts, as_of);
    f.previously_reported = open_report;
    if (last_report) {
        f.last_reported_date_of_first_delinquency = last_report->date_of_first_delinquency;
        f.last_reported_compliance_condition_code = last_report->compliance_condition_code;
    }
    f.payment_history_profile = metro2_payment_history_profile(history.reported, as_of);
    // Consumers: the primary first, then the others as listed on the account.
    const auto& listed = info.debtors;
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t k = 0; k < listed.size() && k < debtors.size(); ++k)
            if ((listed[k].role == DebtorRole::primary) == (pass == 0) && debtors[k])
                f.consumers.push_back(consumer_of(*debtors[k], listed[k], as_of, last_reported_on));
    return f;
}

}  // namespace arrears
