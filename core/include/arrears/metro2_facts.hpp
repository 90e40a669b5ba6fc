// From an account to the Metro 2 facts of one month's report (docs/metro2.md, "Mapping from the
// ledger's Account and Debtor"): a pure function of the account, its debtors, what was reported
// before, its contact history and its disputes. The store loads these rows and calls it
// (Store::metro2_monthly_file); metro2_account_record (metro2_profile.hpp) turns the facts into a
// record or an exclusion.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "arrears/account.hpp"
#include "arrears/date.hpp"
#include "arrears/debtor.hpp"
#include "arrears/metro2_profile.hpp"

namespace arrears {

// One earlier report of the account under the same identification number, before the reporting
// date: the submission's activity date and what the base segment said.
struct Metro2PriorReport {
    Date activity_on;
    std::string account_status;             // 93, 62, DA ...
    std::string compliance_condition_code;  // XB, XH ... or ""
    std::optional<Date> date_of_first_delinquency;
    friend bool operator==(const Metro2PriorReport&, const Metro2PriorReport&) = default;
};

// A contact that counts toward 12 CFR 1006.30(a)(1): a letter or e-mail delivered, one returned
// undeliverable (the notice of undeliverability), or a telephone conversation with the consumer.
enum class Metro2ContactKind : std::uint8_t { delivered, returned, conversation };
struct Metro2Contact {
    Date on;
    std::string channel;  // letter, email, call: a return matches a message of its channel
    Metro2ContactKind kind = Metro2ContactKind::delivered;
    friend bool operator==(const Metro2Contact&, const Metro2Contact&) = default;
};

// A dispute of the account, received on or before the reporting date.
struct Metro2Dispute {
    Date received;
    std::optional<Date> resolved;
    std::string resolution;  // withdrawn, resolved_disagrees, or another outcome (resolved)
    friend bool operator==(const Metro2Dispute&, const Metro2Dispute&) = default;
};

// What is on file about the account besides the account itself, as of the reporting date.
struct Metro2AccountHistory {
    std::vector<Metro2PriorReport> reported;  // before the reporting date, oldest first
    std::vector<Metro2Contact> contacts;      // on or before the reporting date, any order
    std::vector<Metro2Dispute> disputes;      // received on or before the reporting date
};

// The furnisher's choices for the mapping (the store's settings
// metro2.creditor_classification and metro2.client_excluded_debt_types).
struct Metro2Mapping {
    // Product type ("medical", "returned_check" ...) -> K1 Creditor Classification code; a
    // product not listed gets default_creditor_classification.
    std::unordered_map<std::string, std::string> creditor_classification;
    // Client -> the debt types that client never wants reported.
    std::unordered_map<std::string, std::vector<std::string>> client_excluded_debt_types;
};

// K1 Creditor Classification from the product (CRRG "Creditor Classification Codes"): 01 retail,
// 02 medical, 07 student loan, 08 credit card, 10 utility, 11 telecom, 12 financial, 14 auto;
// "" where no code fits (returned check, other).
std::string default_creditor_classification(ProductType product);

// The Payment History Profile of this month's report: a code for each of the 24 months before
// the reporting month, most recent first: G for a month the account was reported as a
// collection (93 or 62, the latest report of that month), D for a month with nothing (or
// something else) reported; it stops at the first month reported (the profile B-fills the rest).
// Empty when the account was never reported.
std::string metro2_payment_history_profile(std::span<const Metro2PriorReport> reported, Date as_of);

// The facts of the account for the report as of `as_of`, or nullopt when there is nothing to
// report: an account paid, settled or recalled is reported once, while its last report was still
// open (not 62 or DA); one never reported, or whose closing was reported, is not reported again.
// `debtors` holds the debtors of account.info().debtors in that order (nullptr: not on file, left
// out); the primary consumer comes first in the facts, the others as listed. Payments count as
// of the date (a payment reversed by then does not); the balance is the ledger's at the end of
// `as_of`; contact points are those valid at the end of that day.
std::optional<Metro2AccountFacts> metro2_account_facts(const Account& account,
                                                       std::span<const Debtor* const> debtors,
                                                       const Metro2AccountHistory& history,
                                                       const Metro2Mapping& mapping,
                                                       const Metro2Profile& profile, Date as_of);

}  // namespace arrears
