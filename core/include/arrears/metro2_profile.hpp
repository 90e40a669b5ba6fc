// From account facts to Metro 2 records: the collection-agency / debt-buyer profile (reference
// §2.5 "Typical collection-agency or debt-buyer profile", FCRA 623(a)(5), 605(c); Regulation F
// 1006.30(a)). The input is a plain value type of its own, so the ledger/debtor types and the
// store can change without touching the rules; docs/metro2.md maps their fields onto it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/json.hpp"
#include "arrears/metro2.hpp"
#include "arrears/money.hpp"
#include "arrears/rounding.hpp"

namespace arrears {

// One consumer on the account: the first of Metro2AccountFacts::consumers is the primary
// (base segment), the others are associated consumers (co-signers, co-makers): a J1 segment
// when they share the primary's address (or have none), a J2 segment otherwise.
struct Metro2Consumer {
    std::string surname;
    std::string first_name;
    std::string middle_name;
    std::string generation_code;           // J, S, 2-9, or a suffix: Jr, Sr, II ... IX
    std::string social_security_number;    // 9 digits, or "" when there is none
    std::optional<Date> date_of_birth;
    std::string telephone_number;          // 10 digits, E.164 "+1..." or "(217) 555-1234"
    std::string ecoa_code = "1";           // 1 individual, 2 joint, 5 co-maker ... (§2.4)
    std::string consumer_information_indicator;
    std::string country_code;
    std::string first_line_of_address;
    std::string second_line_of_address;
    std::string city;
    std::string state;
    std::string zip_code;                  // "62701", "627011234" or "62701-1234"
    std::string address_indicator;
    std::string residence_code;

    bool has_address() const;
    bool same_address(const Metro2Consumer& other) const;
    friend bool operator==(const Metro2Consumer&, const Metro2Consumer&) = default;
};

// Where the collection stands: 93 while unpaid, 62 paid in full, 62 + special comment AU
// settled for less, DA deleted (recalled by the client, or a dispute outcome).
enum class Metro2CollectionState : std::uint8_t { unpaid, paid, settled, deleted };
// The consumer's dispute: XB while it is investigated, XH when resolved, XC when resolved and
// the consumer still disagrees, XR to remove the code (withdrawn).
enum class Metro2DisputeState : std::uint8_t { none, open, resolved, resolved_disagrees, withdrawn };

std::string_view to_string(Metro2CollectionState s) noexcept;
std::string_view to_string(Metro2DisputeState s) noexcept;
Metro2CollectionState parse_metro2_collection_state(std::string_view s,
                                                    std::string_view field = "state");
Metro2DisputeState parse_metro2_dispute_state(std::string_view s,
                                              std::string_view field = "dispute");

struct Metro2AccountFacts {
    std::string account_number;                      // Consumer Account Number (no SSN in it)
    Metro2CollectionState state = Metro2CollectionState::unpaid;
    std::optional<Date> date_opened;                 // CRRG Date Opened (check date for NSF)
    std::optional<Date> date_placed;                 // placed with the agency / bought
    std::optional<Date> date_of_first_delinquency;   // from the original creditor, never re-aged
    std::optional<Date> date_of_last_payment;
    std::optional<Date> date_paid;                   // paid or settled: the day it was
    Money original_amount;                           // Highest Credit (original amount)
    Money current_balance;
    std::optional<Money> amount_past_due;            // default: the whole balance while unpaid
    Money last_payment_amount;                       // Actual Payment Amount this period
    Metro2DisputeState dispute = Metro2DisputeState::none;
    std::string original_creditor_name;              // K1
    std::string creditor_classification;             // K1 code 01-15 (02 medical ...)
    std::string purchased_from;                      // debt buyer: the seller (K2, indicator 1)
    std::string debt_type;                           // "medical", "utility" ... (free text)
    std::vector<std::string> client_excluded_debt_types;  // the placing client's exclusions
    // Regulation F 1006.30(a): the first date the debt may be furnished (from the compliance
    // engine). Absent means no qualifying contact yet: the account is not reported.
    std::optional<Date> earliest_furnishing_date;
    // From the submission history: was the account reported before, with which DOFD and which
    // compliance condition code, and the payment history profile to report this month.
    bool previously_reported = false;
    std::optional<Date> last_reported_date_of_first_delinquency;
    std::string last_reported_compliance_condition_code;
    std::string payment_history_profile;             // most recent first; B-filled to 24
    std::vector<Metro2Consumer> consumers;           // [0] is the primary consumer

    friend bool operator==(const Metro2AccountFacts&, const Metro2AccountFacts&) = default;
};

// A furnisher's settings for the profile.
struct Metro2Profile {
    std::string identification_number;     // the furnisher's id at the bureaus (base field 5)
    std::string account_type = "48";       // 48 collection agency/attorney, 0C debt buyer
    std::string portfolio_type = "O";      // Open
    std::string terms_duration = "001";    // Open: "Constant of 001, One payment as scheduled"
    std::string terms_frequency;           // blank unless the bureau asks for one
    std::string cycle_identifier;
    RoundingMode rounding = RoundingMode::down;  // cents -> whole dollars: truncate
    std::vector<std::string> excluded_debt_types;  // never reported (e.g. state medical-debt bans)

    friend bool operator==(const Metro2Profile&, const Metro2Profile&) = default;
};

// The profile's own fields must make a valid base segment (identification number of at least 5
// letters/digits, known portfolio type ...): ValidationError "profile.<field>: ..." otherwise.
// Checked once per run by metro2_account_record(s), not once per account.
void validate_metro2_profile(const Metro2Profile& profile);

// An account left out of this month's file, and why. Codes:
//   not_previously_reported       state deleted, but it was never reported: nothing to delete
//   excluded_debt_type            the profile never reports this debt type
//   client_excluded_debt_type     the placing client excludes this debt type
//   no_earliest_furnishing_date   no validation notice / contact yet (12 CFR 1006.30(a))
//   passive_collection_period     as_of is before the earliest furnishing date (1006.30(a))
//   obsolete                      7 years + 180 days after the DOFD (FCRA 605(a)(4), (c))
//   missing_facts                 a fact the record needs is missing (DOFD, date paid ...)
//   re_aged                       the DOFD differs from the one reported before (FCRA 623(a)(5))
//   invalid_facts                 facts contradict each other or the record rules
struct Metro2Exclusion {
    std::string account_number;
    std::string code;
    std::string message;
    friend bool operator==(const Metro2Exclusion&, const Metro2Exclusion&) = default;
    std::string repr() const;
};

using Metro2Outcome = std::variant<DataRecord, Metro2Exclusion>;

// The record for one account as of `as_of` (the reporting date), or why it is left out. Never
// throws for an account's data: problems become an exclusion; a record is only returned when it
// passes DataRecord::validate(as_of).
Metro2Outcome metro2_account_record(const Metro2AccountFacts& facts, const Metro2Profile& profile,
                                    Date as_of);

struct Metro2Records {
    std::vector<DataRecord> records;
    std::vector<Metro2Exclusion> exclusions;
};
// Many accounts on up to `threads` threads (0 = hardware concurrency); input order is kept.
Metro2Records metro2_account_records(std::span<const Metro2AccountFacts> facts,
                                     const Metro2Profile& profile, Date as_of,
                                     unsigned threads = 0);

// JSON forms (keys are the member names; unknown keys are rejected; money as {"amount",
// "currency"} or a decimal string; dates ISO). Errors name the JSON path and never show an SSN
// or a date of birth.
Metro2AccountFacts metro2_facts_from_json(const JsonView& json);
std::vector<Metro2AccountFacts> metro2_facts_list_from_json(const JsonView& json);
Metro2Profile metro2_profile_from_json(const JsonView& json);

}  // namespace arrears
