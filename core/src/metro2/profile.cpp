// The collection-agency / debt-buyer profile: account facts -> Metro 2 data record, or the
// reason the account is left out this month.
#include "arrears/metro2_profile.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "arrears/error.hpp"
#include "metro2/codes.hpp"
#include "metro2/parallel.hpp"

namespace arrears {

namespace codes = metro2_codes;

std::string_view to_string(Metro2CollectionState s) noexcept {
    switch (s) {
        case Metro2CollectionState::unpaid: return "unpaid";
        case Metro2CollectionState::paid: return "paid";
        case Metro2CollectionState::settled: return "settled";
        case Metro2CollectionState::deleted: return "deleted";
    }
    return "?";
}

std::string_view to_string(Metro2DisputeState s) noexcept {
    switch (s) {
        case Metro2DisputeState::none: return "none";
        case Metro2DisputeState::open: return "open";
        case Metro2DisputeState::resolved: return "resolved";
        case Metro2DisputeState::resolved_disagrees: return "resolved_disagrees";
        case Metro2DisputeState::withdrawn: return "withdrawn";
    }
    return "?";
}

Metro2CollectionState parse_metro2_collection_state(std::string_view s, std::string_view field) {
    for (auto v : {Metro2CollectionState::unpaid, Metro2CollectionState::paid,
                   Metro2CollectionState::settled, Metro2CollectionState::deleted})
        if (to_string(v) == s) return v;
    throw ValidationError(std::string(field) + ": " + quote(s) +
                          " is not one of unpaid, paid, settled, deleted");
}

Metro2DisputeState parse_metro2_dispute_state(std::string_view s, std::string_view field) {
    for (auto v : {Metro2DisputeState::none, Metro2DisputeState::open, Metro2DisputeState::resolved,
                   Metro2DisputeState::resolved_disagrees, Metro2DisputeState::withdrawn})
        if (to_string(v) == s) return v;
    throw ValidationError(std::string(field) + ": " + quote(s) +
                          " is not one of none, open, resolved, resolved_disagrees, withdrawn");
}

bool Metro2Consumer::has_address() const {
    return !first_line_of_address.empty() || !second_line_of_address.empty() || !city.empty() ||
           !state.empty() || !zip_code.empty();
}

bool Metro2Consumer::same_address(const Metro2Consumer& o) const {
    return country_code == o.country_code && first_line_of_address == o.first_line_of_address &&
           second_line_of_address == o.second_line_of_address && city == o.city &&
           state == o.state && zip_code == o.zip_code;
}

std::string Metro2Exclusion::repr() const {
    return "Metro2Exclusion(account_number=" + quote(account_number) + ", code=" + quote(code) +
           ", message=" + metro2_detail::quote_all(message) + ")";
}

namespace {

std::string trimmed_upper(std::string_view s) {
    const auto b = s.find_first_not_of(' ');
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(' ');
    std::string out(s.substr(b, e - b + 1));
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

// Bureau name form: upper case, without the apostrophes and periods the CRRG does not allow
// ("Other than the hyphen, do not report special characters in any of the Consumer Name
// fields"): "O'Brien" -> "OBRIEN", "St. John" -> "ST JOHN".
std::string bureau_name(std::string_view s) {
    std::string out;
    for (char c : trimmed_upper(s))
        if (c != '\'' && c != '.') out += c;
    return out;
}

// ZIP+4 written with a dash ("62701-1234", the ledger's Address form) -> "627011234": Metro 2
// uses the whole 9-digit field. Other values are left to the record validation.
std::string bureau_zip(std::string_view s) {
    std::string t = trimmed_upper(s);
    if (t.size() == 10 && t[5] == '-' &&
        std::all_of(t.begin(), t.begin() + 5, [](char c) { return c >= '0' && c <= '9'; }) &&
        std::all_of(t.begin() + 6, t.end(), [](char c) { return c >= '0' && c <= '9'; }))
        t.erase(5, 1);
    return t;
}

// A NANP telephone number in E.164 ("+12175551234") or with punctuation ("(217) 555-1234")
// -> the 10 digits Metro 2 holds (area code + 7 digits). Text with anything else is kept as is
// (and rejected by the field if it is not digits).
std::string bureau_phone(std::string_view s) {
    std::string digits;
    for (char c : s) {
        if (c >= '0' && c <= '9') digits += c;
        else if (std::string_view("+-(). ").find(c) == std::string_view::npos) return std::string(s);
    }
    if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
    return digits;
}

// Name suffix -> Generation Code (J, S, 2-9): "Jr" -> J, "Sr" -> S, "III" -> 3 ...
std::string generation_code(std::string_view s) {
    std::string t;
    for (char c : trimmed_upper(s))
        if (c != '.') t += c;
    static constexpr std::pair<std::string_view, std::string_view> kSuffixes[] = {
        {"JR", "J"}, {"SR", "S"}, {"II", "2"}, {"III", "3"}, {"IV", "4"},
        {"V", "5"},  {"VI", "6"}, {"VII", "7"}, {"VIII", "8"}, {"IX", "9"}};
    for (const auto& [suffix, code] : kSuffixes)
        if (t == suffix) return std::string(code);
    return t;
}

struct Excluded {
    std::string code;
    std::string message;
};

template <class Seg>
void put_consumer(Seg& s, const Metro2Consumer& c) {
    using F = typename Seg::Field;
    s.set_text(F::surname, bureau_name(c.surname));
    s.set_text(F::first_name, bureau_name(c.first_name));
    s.set_text(F::middle_name, bureau_name(c.middle_name));
    s.set_text(F::generation_code, generation_code(c.generation_code));
    s.set_text(F::social_security_number, c.social_security_number);
    s.set_date(F::date_of_birth, c.date_of_birth);
    s.set_text(F::telephone_number, bureau_phone(c.telephone_number));
    s.set_text(F::ecoa_code, trimmed_upper(c.ecoa_code));
    s.set_text(F::consumer_information_indicator, trimmed_upper(c.consumer_information_indicator));
}

template <class Seg>
void put_address(Seg& s, const Metro2Consumer& c) {
    using F = typename Seg::Field;
    s.set_text(F::country_code, trimmed_upper(c.country_code));
    s.set_text(F::first_line_of_address, trimmed_upper(c.first_line_of_address));
    s.set_text(F::second_line_of_address, trimmed_upper(c.second_line_of_address));
    s.set_text(F::city, trimmed_upper(c.city));
    s.set_text(F::state, trimmed_upper(c.state));
    s.set_text(F::zip_code, bureau_zip(c.zip_code));
    s.set_text(F::address_indicator, trimmed_upper(c.address_indicator));
    s.set_text(F::residence_code, trimmed_upper(c.residence_code));
}

// Compliance Condition Code (§2.4 "Collections lifecycle"): XB while investigating, XH or XC
// once resolved, XR to remove a code; never leave XB on after the dispute is over.
std::string compliance_code(const Metro2AccountFacts& f) {
    const std::string& last = f.last_reported_compliance_condition_code;
    switch (f.dispute) {
        case Metro2DisputeState::open: return "XB";
        case Metro2DisputeState::resolved: return "XH";
        case Metro2DisputeState::resolved_disagrees: return "XC";
        case Metro2DisputeState::withdrawn: return (!last.empty() && last != "XR") ? "XR" : "";
        case Metro2DisputeState::none: return last == "XB" ? "XR" : "";
    }
    return "";
}

std::optional<Excluded> eligibility(const Metro2AccountFacts& f, const Metro2Profile& p,
                                    Date as_of) {
    if (f.state == Metro2CollectionState::deleted) {
        if (!f.previously_reported)
            return Excluded{"not_previously_reported",
                            "state 'deleted' but the account was never reported: nothing to delete"};
        return std::nullopt;  // a deletion is always sent
    }
    const std::string again =
        f.previously_reported ? " (it was reported before: send state 'deleted' to remove it)" : "";
    if (!f.debt_type.empty()) {
        if (std::find(p.excluded_debt_types.begin(), p.excluded_debt_types.end(), f.debt_type) !=
            p.excluded_debt_types.end())
            return Excluded{"excluded_debt_type",
                            "debt type " + quote(f.debt_type) + " is never reported" + again};
        if (std::find(f.client_excluded_debt_types.begin(), f.client_excluded_debt_types.end(),
                      f.debt_type) != f.client_excluded_debt_types.end())
            return Excluded{"client_excluded_debt_type", "the client excludes debt type " +
                                                             quote(f.debt_type) + " from reporting" +
                                                             again};
    }
    if (!f.earliest_furnishing_date)
        return Excluded{"no_earliest_furnishing_date",
                        "no earliest furnishing date: the consumer has not been spoken to or sent "
                        "a notice yet (12 CFR 1006.30(a)(1))"};
    if (as_of < *f.earliest_furnishing_date)
        return Excluded{"passive_collection_period",
                        "not before " + to_iso(*f.earliest_furnishing_date) +
                            " (passive collection period, 12 CFR 1006.30(a)(1))"};
    if (!f.date_of_first_delinquency)
        return Excluded{"missing_facts",
                        "date_of_first_delinquency: required; pass through the original "
                        "creditor's date (FCRA 623(a)(5))"};
    const Date dofd = *f.date_of_first_delinquency;
    if (f.last_reported_date_of_first_delinquency && *f.last_reported_date_of_first_delinquency != dofd)
        return Excluded{"re_aged",
                        "date_of_first_delinquency: " + to_iso(dofd) + " differs from " +
                            to_iso(*f.last_reported_date_of_first_delinquency) +
                            " reported before; the date is never re-aged (FCRA 623(a)(5))"};
    if (dofd > as_of)
        return Excluded{"invalid_facts", "date_of_first_delinquency: " + to_iso(dofd) +
                                             " is after the reporting date " + to_iso(as_of)};
    if (f.date_placed && dofd >= *f.date_placed)
        return Excluded{"invalid_facts",
                        "date_of_first_delinquency: " + to_iso(dofd) +
                            " must precede the date placed " + to_iso(*f.date_placed) +
                            " (FCRA 623(a)(5)(B))"};
    // FCRA 605(a)(4), (c)(1): 7 years from the end of the 180-day period that begins on the
    // date of first delinquency.
    const Date purge = add_months(add_days(dofd, 180), 7 * 12);
    if (as_of >= purge)
        return Excluded{"obsolete", "the delinquency of " + to_iso(dofd) +
                                        " may not be reported on or after " + to_iso(purge) +
                                        " (FCRA 605(a)(4), (c)(1))" + again};
    return std::nullopt;
}

std::optional<Excluded> missing_facts(const Metro2AccountFacts& f, const Metro2Profile& p,
                                      Date as_of) {
    auto missing = [](std::string m) { return Excluded{"missing_facts", std::move(m)}; };
    if (f.consumers.empty()) return missing("consumers: at least the primary consumer is needed");
    if (!f.date_opened) return missing("date_opened: required (Date Opened is never zero)");
    const bool deleting = f.state == Metro2CollectionState::deleted;
    if (!deleting && (p.account_type == codes::kCollectionAgency || p.account_type == codes::kDebtBuyer) &&
        f.original_creditor_name.empty())
        return missing("original_creditor_name: required for account type " + p.account_type +
                       " (K1 segment)");
    if (!deleting && p.account_type == codes::kDebtBuyer && f.purchased_from.empty())
        return missing("purchased_from: a debt buyer (account type 0C) names the seller (K2)");
    if (f.state == Metro2CollectionState::paid || f.state == Metro2CollectionState::settled) {
        if (!f.date_paid) return missing("date_paid: required when the state is paid or settled");
        if (*f.date_paid > as_of)
            return Excluded{"invalid_facts", "date_paid: " + to_iso(*f.date_paid) +
                                                 " is after the reporting date " + to_iso(as_of)};
    }
    return std::nullopt;
}

DataRecord build(const Metro2AccountFacts& f, const Metro2Profile& p, Date as_of) {
    using F = Metro2BaseField;
    DataRecord r;
    BaseSegment& b = r.base;
    const auto money = [&](F field, const Money& m) { b.set_money(field, m, p.rounding); };
    b.set_text(F::identification_number, p.identification_number);
    b.set_text(F::cycle_identifier, p.cycle_identifier);
    b.set_text(F::consumer_account_number, f.account_number);
    b.set_text(F::portfolio_type, p.portfolio_type);
    b.set_text(F::account_type, p.account_type);
    b.set_date(F::date_opened, f.date_opened);
    money(F::highest_credit, f.original_amount);
    b.set_text(F::terms_duration, p.terms_duration);
    b.set_text(F::terms_frequency, p.terms_frequency);
    money(F::actual_payment_amount, f.last_payment_amount);

    std::string history = trimmed_upper(f.payment_history_profile);
    if (history.size() > 24)
        throw ValidationError("payment_history_profile: " + quote(history) + " is " +
                              std::to_string(history.size()) + " months; it holds 24");
    history.append(24 - history.size(), 'B');
    b.set_text(F::payment_history_profile, history);
    b.set_text(F::compliance_condition_code, compliance_code(f));
    b.set_date(F::date_of_first_delinquency, f.date_of_first_delinquency);
    b.set_date(F::date_of_last_payment, f.date_of_last_payment);

    switch (f.state) {
        case Metro2CollectionState::unpaid: {
            b.set_text(F::account_status, "93");
            money(F::current_balance, f.current_balance);
            money(F::amount_past_due, f.amount_past_due.value_or(f.current_balance));
            b.set_date(F::date_of_account_information, as_of);
            if (b.number(F::current_balance) == 0)
                throw ValidationError("current_balance: " + f.current_balance.repr() +
                                      " reports as $0 while the state is 'unpaid'; report it as "
                                      "paid or settled");
            break;
        }
        case Metro2CollectionState::paid:
        case Metro2CollectionState::settled: {
            b.set_text(F::account_status, "62");
            if (f.state == Metro2CollectionState::settled) b.set_text(F::special_comment, "AU");
            b.set_number(F::current_balance, 0);
            b.set_number(F::amount_past_due, 0);
            // Statuses 13 and 61-65: "report the date paid" as the Date of Account Information.
            b.set_date(F::date_of_account_information, f.date_paid);
            b.set_date(F::date_closed, f.date_paid);
            if (!f.date_of_last_payment) b.set_date(F::date_of_last_payment, f.date_paid);
            break;
        }
        case Metro2CollectionState::deleted: {
            b.set_text(F::account_status, "DA");
            money(F::current_balance, f.current_balance);
            b.set_date(F::date_of_account_information, as_of);
            break;
        }
    }

    const Metro2Consumer& primary = f.consumers.front();
    put_consumer(b, primary);
    put_address(b, primary);
    for (std::size_t i = 1; i < f.consumers.size(); ++i) {
        const Metro2Consumer& c = f.consumers[i];
        if (!c.has_address() || c.same_address(primary)) {
            J1Segment j;
            put_consumer(j, c);
            r.j1.push_back(j);
        } else {
            J2Segment j;
            put_consumer(j, c);
            put_address(j, c);
            r.j2.push_back(j);
        }
    }
    if (!f.original_creditor_name.empty()) {
        K1Segment k;
        k.set_text(Metro2K1Field::original_creditor_name, trimmed_upper(f.original_creditor_name));
        k.set_text(Metro2K1Field::creditor_classification, f.creditor_classification);
        r.k1 = k;
    }
    if (!f.purchased_from.empty()) {
        K2Segment k;
        k.set_text(Metro2K2Field::purchased_indicator, "1");  // 1 = purchased from
        k.set_text(Metro2K2Field::purchased_name, trimmed_upper(f.purchased_from));
        r.k2 = k;
    }
    return r;
}

}  // namespace

void validate_metro2_profile(const Metro2Profile& p) {
    using F = Metro2BaseField;
    BaseSegment b;
    try {
        b.set_text(F::identification_number, p.identification_number);
        b.set_text(F::cycle_identifier, p.cycle_identifier);
        b.set_text(F::portfolio_type, p.portfolio_type);
        b.set_text(F::account_type, p.account_type);
        b.set_text(F::terms_duration, p.terms_duration);
        b.set_text(F::terms_frequency, p.terms_frequency);
    } catch (const ValidationError& e) {
        throw ValidationError(std::string("profile.") + e.what());
    }
    for (const auto& problem : validate_segment(b, std::nullopt, "profile.")) {
        for (std::string_view name : {"identification_number", "cycle_identifier", "portfolio_type",
                                      "account_type", "terms_duration", "terms_frequency"})
            if (problem.field == "profile." + std::string(name)) throw ValidationError(problem.message);
    }
}

namespace {

Metro2Outcome record_for(const Metro2AccountFacts& f, const Metro2Profile& p, Date as_of) {
    auto excluded = [&](std::string code, std::string message) -> Metro2Outcome {
        return Metro2Exclusion{f.account_number, std::move(code), std::move(message)};
    };
    if (auto e = eligibility(f, p, as_of)) return excluded(e->code, e->message);
    if (auto e = missing_facts(f, p, as_of)) return excluded(e->code, e->message);
    try {
        DataRecord r = build(f, p, as_of);
        const auto problems = r.validate(as_of);
        if (!problems.empty()) {
            std::string msg;
            for (std::size_t i = 0; i < problems.size() && i < 5; ++i)
                msg += (i ? "; " : "") + problems[i].message;
            if (problems.size() > 5) msg += "; and " + std::to_string(problems.size() - 5) + " more";
            return excluded("invalid_facts", msg);
        }
        return r;
    } catch (const ValidationError& e) {
        return excluded("invalid_facts", e.what());
    }
}

}  // namespace

Metro2Outcome metro2_account_record(const Metro2AccountFacts& f, const Metro2Profile& p,
                                    Date as_of) {
    validate_metro2_profile(p);
    return record_for(f, p, as_of);
}

Metro2Records metro2_account_records(std::span<const Metro2AccountFacts> facts,
                                     const Metro2Profile& profile, Date as_of, unsigned threads) {
    validate_metro2_profile(profile);
    std::vector<Metro2Outcome> outcomes(facts.size());
    const std::size_t chunks = metro2_detail::thread_count(threads, facts.size(), 1024);
    metro2_detail::parallel_chunks(facts.size(), chunks, [&](std::size_t, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) outcomes[i] = record_for(facts[i], profile, as_of);
    });
    Metro2Records out;
    for (auto& o : outcomes) {
        if (auto* r = std::get_if<DataRecord>(&o)) out.records.push_back(std::move(*r));
        else out.exclusions.push_back(std::move(std::get<Metro2Exclusion>(o)));
    }
    return out;
}

// ---- JSON ------------------------------------------------------------------------------------

namespace {

std::string opt_string(const JsonView& v, std::string_view key) {
    auto x = v.find(key);
    return x ? x->as_string() : std::string{};
}

std::optional<Date> opt_date(const JsonView& v, std::string_view key) {
    auto x = v.find(key);
    if (!x) return std::nullopt;
    return x->as_date();
}

Money opt_money(const JsonView& v, std::string_view key) {
    auto x = v.find(key);
    return x ? x->as_money() : Money{};
}

// SSN and date of birth: errors say what is wrong without showing the value.
std::string read_ssn(const JsonView& v) {
    auto x = v.find("social_security_number");
    if (!x) return {};
    if (!x->json().is_string()) x->fail("expected a string of 9 digits (value masked)");
    std::string s = x->json().get<std::string>();
    if (!s.empty() && (s.size() != 9 || s.find_first_not_of("0123456789") != std::string::npos))
        x->fail("expected 9 digits or \"\" (value masked)");
    return s;
}

std::optional<Date> read_dob(const JsonView& v) {
    auto x = v.find("date_of_birth");
    if (!x) return std::nullopt;
    if (!x->json().is_string()) x->fail("expected an ISO date string (value masked)");
    try {
        return parse_date(x->json().get<std::string>(), "date_of_birth");
    } catch (const ValidationError&) {
        x->fail("expected an ISO date YYYY-MM-DD (value masked)");
    }
}

std::vector<std::string> string_list(const JsonView& v, std::string_view key) {
    std::vector<std::string> out;
    auto x = v.find(key);
    if (!x) return out;
    for (std::size_t i = 0; i < x->size(); ++i) out.push_back(x->at(i).as_string());
    return out;
}

Metro2Consumer consumer_from_json(const JsonView& v) {
    v.check_keys({"surname", "first_name", "middle_name", "generation_code",
                  "social_security_number", "date_of_birth", "telephone_number", "ecoa_code",
                  "consumer_information_indicator", "country_code", "first_line_of_address",
                  "second_line_of_address", "city", "state", "zip_code", "address_indicator",
                  "residence_code"});
    Metro2Consumer c;
    c.surname = v.at("surname").as_string();
    c.first_name = opt_string(v, "first_name");
    c.middle_name = opt_string(v, "middle_name");
    c.generation_code = opt_string(v, "generation_code");
    c.social_security_number = read_ssn(v);
    c.date_of_birth = read_dob(v);
    c.telephone_number = opt_string(v, "telephone_number");
    if (v.has("ecoa_code")) c.ecoa_code = v.at("ecoa_code").as_string();
    c.consumer_information_indicator = opt_string(v, "consumer_information_indicator");
    c.country_code = opt_string(v, "country_code");
    c.first_line_of_address = opt_string(v, "first_line_of_address");
    c.second_line_of_address = opt_string(v, "second_line_of_address");
    c.city = opt_string(v, "city");
    c.state = opt_string(v, "state");
    c.zip_code = opt_string(v, "zip_code");
    c.address_indicator = opt_string(v, "address_indicator");
    c.residence_code = opt_string(v, "residence_code");
    return c;
}

}  // namespace

Metro2AccountFacts metro2_facts_from_json(const JsonView& v) {
    v.check_keys({"account_number", "state", "date_opened", "date_placed",
                  "date_of_first_delinquency", "date_of_last_payment", "date_paid",
                  "original_amount", "current_balance", "amount_past_due", "last_payment_amount",
                  "dispute", "original_creditor_name", "creditor_classification", "purchased_from",
                  "debt_type", "client_excluded_debt_types", "earliest_furnishing_date",
                  "previously_reported", "last_reported_date_of_first_delinquency",
                  "last_reported_compliance_condition_code", "payment_history_profile",
                  "consumers"});
    Metro2AccountFacts f;
    f.account_number = v.at("account_number").as_string();
    if (auto s = v.find("state")) f.state = parse_metro2_collection_state(s->as_string(), s->path());
    f.date_opened = opt_date(v, "date_opened");
    f.date_placed = opt_date(v, "date_placed");
    f.date_of_first_delinquency = opt_date(v, "date_of_first_delinquency");
    f.date_of_last_payment = opt_date(v, "date_of_last_payment");
    f.date_paid = opt_date(v, "date_paid");
    f.original_amount = opt_money(v, "original_amount");
    f.current_balance = opt_money(v, "current_balance");
    if (auto x = v.find("amount_past_due")) f.amount_past_due = x->as_money();
    f.last_payment_amount = opt_money(v, "last_payment_amount");
    if (auto s = v.find("dispute")) f.dispute = parse_metro2_dispute_state(s->as_string(), s->path());
    f.original_creditor_name = opt_string(v, "original_creditor_name");
    f.creditor_classification = opt_string(v, "creditor_classification");
    f.purchased_from = opt_string(v, "purchased_from");
    f.debt_type = opt_string(v, "debt_type");
    f.client_excluded_debt_types = string_list(v, "client_excluded_debt_types");
    f.earliest_furnishing_date = opt_date(v, "earliest_furnishing_date");
    if (auto x = v.find("previously_reported")) f.previously_reported = x->as_bool();
    f.last_reported_date_of_first_delinquency = opt_date(v, "last_reported_date_of_first_delinquency");
    f.last_reported_compliance_condition_code = opt_string(v, "last_reported_compliance_condition_code");
    f.payment_history_profile = opt_string(v, "payment_history_profile");
    if (auto cs = v.find("consumers"))
        for (std::size_t i = 0; i < cs->size(); ++i) f.consumers.push_back(consumer_from_json(cs->at(i)));
    return f;
}

std::vector<Metro2AccountFacts> metro2_facts_list_from_json(const JsonView& v) {
    std::vector<Metro2AccountFacts> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(metro2_facts_from_json(v.at(i)));
    return out;
}

Metro2Profile metro2_profile_from_json(const JsonView& v) {
    v.check_keys({"identification_number", "account_type", "portfolio_type", "terms_duration",
                  "terms_frequency", "cycle_identifier", "rounding", "excluded_debt_types"});
    Metro2Profile p;
    p.identification_number = v.at("identification_number").as_string();
    if (v.has("account_type")) p.account_type = v.at("account_type").as_string();
    if (v.has("portfolio_type")) p.portfolio_type = v.at("portfolio_type").as_string();
    if (v.has("terms_duration")) p.terms_duration = v.at("terms_duration").as_string();
    p.terms_frequency = opt_string(v, "terms_frequency");
    p.cycle_identifier = opt_string(v, "cycle_identifier");
    if (auto r = v.find("rounding")) p.rounding = parse_rounding_mode(r->as_string(), r->path());
    p.excluded_debt_types = string_list(v, "excluded_debt_types");
    return p;
}

}  // namespace arrears
