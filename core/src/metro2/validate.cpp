// Metro 2 validation rules (reference §2.2 field notes, §2.4 code tables, §2.5 field rules).
// Every rule adds a Metro2Problem with a stable code; none throws. Values of the SSN and date of
// birth never appear in messages.
#include <algorithm>
#include <cctype>
#include <string>

#include "arrears/error.hpp"
#include "arrears/metro2.hpp"
#include "metro2/codes.hpp"

namespace arrears {

namespace codes = metro2_codes;

namespace {

class Checker {
public:
    Checker(std::vector<Metro2Problem>& out, std::string_view prefix) : out_(out), prefix_(prefix) {}

    void add(std::string_view field, std::string_view code, const std::string& message) {
        std::string path = std::string(prefix_) + std::string(field);
        out_.push_back({path, std::string(code), path + ": " + message, 0});
    }

private:
    std::vector<Metro2Problem>& out_;
    std::string_view prefix_;
};

bool all_zero(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return is_upper(c) || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// `phrase` (upper case) occurs in `t` (already upper-cased) as whole words.
bool has_phrase(std::string_view t, std::string_view phrase) {
    std::size_t pos = 0;
    while ((pos = t.find(phrase, pos)) != std::string::npos) {
        const bool left = pos == 0 || !is_alnum(t[pos - 1]);
        const std::size_t after = pos + phrase.size();
        const bool right = after >= t.size() || !is_alnum(t[after]);
        if (left && right) return true;
        ++pos;
    }
    return false;
}

// Required fields (the reference table's "Y"): blank text, zero digits or no date.
template <class Seg>
void check_required(const Seg& s, Checker& c, std::initializer_list<std::string_view> skip = {}) {
    const auto fields = Seg::fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const Metro2Field& f = fields[i];
        if (!f.is_value() || f.requirement != Metro2Requirement::required) continue;
        if (codes::in(f.name, skip)) continue;
        bool missing = false;
        switch (f.type) {
            case Metro2FieldType::alphanumeric: missing = s.text_at(i).empty(); break;
            case Metro2FieldType::digits: missing = all_zero(s.text_at(i)); break;
            case Metro2FieldType::date: missing = !s.date_at(i); break;
            case Metro2FieldType::timestamp: missing = !s.timestamp_at(i); break;
            default: break;
        }
        if (missing) c.add(f.name, "required", "is required and is blank or zero");
    }
}

void check_code(Checker& c, std::string_view field, std::string_view value, codes::Codes set,
                std::string_view what, codes::Codes obsolete = {}) {
    if (value.empty()) return;
    if (codes::in(value, obsolete)) {
        c.add(field, "obsolete_code",
              quote(value) + " is an obsolete " + std::string(what) + " and may no longer be reported");
        return;
    }
    if (!codes::in(value, set)) c.add(field, "invalid_code", quote(value) + " is not a " + std::string(what));
}

// "Other than the hyphen, do not report special characters in any of the Consumer Name fields";
// "The name fields should not contain messages, such as 'Parent of', 'Baby', 'Daughter',
// 'Child'" (CRRG, quoted by moov; reference §2.2 fill rules).
void check_name(Checker& c, std::string_view field, std::string_view value) {
    if (value.empty()) return;
    for (char ch : value) {
        if (!is_alpha(ch) && ch != ' ' && ch != '-') {
            c.add(field, "invalid_name",
                  quote(value) + " has " + quote(std::string_view(&ch, 1)) +
                      "; names hold letters, blanks and the hyphen only");
            return;
        }
    }
    const std::string up = upper(value);
    for (std::string_view m : {"PARENT OF", "BABY", "DAUGHTER", "CHILD", "ESTATE OF", "TRUSTEE"}) {
        if (has_phrase(up, m)) {
            c.add(field, "name_contains_message",
                  quote(value) + " holds the message " + quote(m) + "; report the consumer's name only");
            return;
        }
    }
}

// "Eliminate internal messages such as: Do not mail, Attorney, Charge-off, Chapter 13, Fraud,
// Trustee, Estate of, Care of, M/R (Mail Returned)" (reference §2.2).
void check_address_line(Checker& c, std::string_view field, std::string_view value) {
    if (value.empty()) return;
    const std::string up = upper(value);
    for (std::string_view m : {"DO NOT MAIL", "ATTORNEY", "CHARGE-OFF", "CHARGE OFF", "CHAPTER 13",
                               "FRAUD", "TRUSTEE", "ESTATE OF", "CARE OF", "C/O", "M/R",
                               "MAIL RETURNED", "RETURNED MAIL"}) {
        if (has_phrase(up, m)) {
            c.add(field, "address_internal_message",
                  quote(value) + " holds the internal message " + quote(m));
            return;
        }
    }
}

bool domestic(std::string_view country) { return country.empty() || country == "US"; }

void check_state_zip(Checker& c, std::string_view country, std::string_view state,
                     std::string_view zip) {
    if (!country.empty() && (country.size() != 2 || !is_upper(country[0]) || !is_upper(country[1])))
        c.add("country_code", "invalid_code", quote(country) + " is not a two-letter country code");
    if (!domestic(country)) return;
    if (!state.empty() && !codes::in(state, codes::kStates))
        c.add("state", "invalid_state", quote(state) + " is not a USPS state abbreviation");
    if (!zip.empty()) {
        // "Use entire field if reporting 9-digit zip codes. Otherwise, left-justify and blank fill."
        const bool digits = std::all_of(zip.begin(), zip.end(), is_digit);
        if (!digits || (zip.size() != 5 && zip.size() != 9))
            c.add("zip_code", "invalid_zip", quote(zip) + " is not a 5- or 9-digit ZIP code");
    }
}

// Consumer identity shared by the base, J1 and J2 segments.
template <class Seg>
void check_consumer(const Seg& s, Checker& c, std::optional<Date> as_of,
                    std::optional<Date> reference_date) {
    using F = typename Seg::Field;
    check_name(c, "surname", s.text(F::surname));
    check_name(c, "first_name", s.text(F::first_name));
    check_name(c, "middle_name", s.text(F::middle_name));
    check_code(c, "generation_code", s.text(F::generation_code), codes::kGenerationCode,
               "Generation Code");
    check_code(c, "ecoa_code", s.text(F::ecoa_code), codes::kEcoa, "ECOA Code (1, 2, 3, 5, 7, T, X, W, Z)",
               codes::kEcoaObsolete);
    check_code(c, "consumer_information_indicator", s.text(F::consumer_information_indicator),
               codes::kConsumerInformation, "Consumer Information Indicator",
               codes::kConsumerInformationObsolete);

    const bool ssn = codes::ssn_reported(s.text(F::social_security_number));
    const auto dob = s.date(F::date_of_birth);
    // "If the Social Security Number is not reported, the Date of Birth is required" and the
    // reverse (reference §2.2).
    if (!ssn && !dob)
        c.add("social_security_number", "ssn_or_dob_required",
              "neither a Social Security Number nor a date of birth is reported; one is required");
    // "When reporting Authorized Users (ECOA Code 3), the full Date of Birth must be reported".
    if (s.text(F::ecoa_code) == "3" && !dob)
        c.add("date_of_birth", "date_of_birth_required",
              "an authorized user (ECOA 3) needs a date of birth");
    if (dob) {
        if (as_of && *dob > *as_of)
            c.add("date_of_birth", "future_date", "is after the as-of date " + to_iso(*as_of));
        // "Do not report minors" (reference §2.2): under 18 on the reporting date.
        const auto on = as_of ? as_of : reference_date;
        if (on && *dob <= *on && add_months(*dob, 18 * 12) > *on)
            c.add("date_of_birth", "minor", "the consumer is under 18; minors are not reported");
    }
}

template <class Seg>
void check_address(const Seg& s, Checker& c) {
    using F = typename Seg::Field;
    check_address_line(c, "first_line_of_address", s.text(F::first_line_of_address));
    check_address_line(c, "second_line_of_address", s.text(F::second_line_of_address));
    check_state_zip(c, s.text(F::country_code), s.text(F::state), s.text(F::zip_code));
    check_code(c, "address_indicator", s.text(F::address_indicator), codes::kAddressIndicator,
               "Address Indicator");
    check_code(c, "residence_code", s.text(F::residence_code), codes::kResidenceCode,
               "Residence Code (O, R)");
}

void check_history(Checker& c, std::string_view php) {
    if (php.empty()) return;  // reported by the required check
    if (php.size() != 24) {
        c.add("payment_history_profile", "invalid_payment_history",
              quote(php) + " is " + std::to_string(php.size()) +
                  " characters; it holds 24 months, B-filled at the end");
        return;
    }
    for (std::size_t i = 0; i < php.size(); ++i) {
        if (codes::kHistoryCodes.find(php[i]) == std::string_view::npos) {
            c.add("payment_history_profile", "invalid_payment_history",
                  quote(php) + " has " + quote(php.substr(i, 1)) + " at month " +
                      std::to_string(i + 1) + "; allowed: 0-6, B, D, E, G, H, J, K, L");
            return;
        }
    }
    // "A 'B' may not be embedded within other values": once B starts, only B follows.
    const auto first_b = php.find('B');
    if (first_b != std::string_view::npos &&
        php.find_first_not_of('B', first_b) != std::string_view::npos)
        c.add("payment_history_profile", "embedded_b",
              quote(php) + " has a B before month " +
                  std::to_string(php.find_first_not_of('B', first_b) + 1) +
                  "; B only fills the months with no history at the end");
}

}  // namespace

std::vector<Metro2Problem> validate_segment(const BaseSegment& s, std::optional<Date> as_of,
                                            std::string_view prefix) {
    using F = Metro2BaseField;
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    check_required(s, c);

    // -- identification
    const std::string_view id = s.text(F::identification_number);
    if (!id.empty()) {
        // "must be unique, at least 5 digits long ... no embedded blanks or special characters.
        // Entire field should never be zero, blank or 9 filled."
        const bool alnum = std::all_of(id.begin(), id.end(), is_alnum);
        if (!alnum || id.size() < 5 || id.find_first_not_of('0') == std::string_view::npos ||
            id.find_first_not_of('9') == std::string_view::npos)
            c.add("identification_number", "invalid_identification_number",
                  quote(id) + " must be at least 5 letters or digits, with no blanks or special "
                              "characters, and not all zeros or nines");
    }
    const std::string_view account = s.text(F::consumer_account_number);
    if (!account.empty() && !std::all_of(account.begin(), account.end(), is_alnum))
        c.add("consumer_account_number", "invalid_account_number",
              "has blanks or special characters (value not shown)");
    check_code(c, "processing_indicator", s.text(F::processing_indicator), codes::kProcessingIndicator,
               "Processing Indicator (a constant 1)");
    check_code(c, "correction_indicator", s.text(F::correction_indicator), codes::kCorrectionIndicator,
               "Correction Indicator (0 or 1)");

    // -- account
    check_code(c, "portfolio_type", s.text(F::portfolio_type), codes::kPortfolioType,
               "Portfolio Type (C, I, M, O, R)");
    const std::string_view type = s.text(F::account_type);
    if (!type.empty() && (type.size() != 2 || !is_alnum(type[0]) || !is_alnum(type[1])))
        c.add("account_type", "invalid_code", quote(type) + " is not a two-character Account Type");
    const std::string_view terms = s.text(F::terms_duration);
    if (!terms.empty() && terms != "LOC" && terms != "REV" &&
        (terms.size() != 3 || !std::all_of(terms.begin(), terms.end(), is_digit)))
        c.add("terms_duration", "invalid_terms_duration",
              quote(terms) + " is not LOC, REV or a zero-filled number (001 for Open accounts)");
    check_code(c, "terms_frequency", s.text(F::terms_frequency), codes::kTermsFrequency,
               "Terms Frequency");
    check_code(c, "interest_type_indicator", s.text(F::interest_type_indicator),
               codes::kInterestType, "Interest Type Indicator (F, V)");
    check_code(c, "special_comment", s.text(F::special_comment), codes::kSpecialComment,
               "Special Comment code");
    check_code(c, "compliance_condition_code", s.text(F::compliance_condition_code),
               codes::kComplianceCondition, "Compliance Condition Code");
    check_history(c, s.text(F::payment_history_profile));

    // -- status, rating, DOFD, balances (reference §2.4, §2.5)
    const std::string status(s.text(F::account_status));
    const std::string rating(s.text(F::payment_rating));
    const auto dofd = s.date(F::date_of_first_delinquency);
    const std::int64_t balance = s.number(F::current_balance);
    const std::int64_t past_due = s.number(F::amount_past_due);
    check_code(c, "payment_rating", rating, codes::kPaymentRating, "Payment Rating");
    if (!status.empty() && !codes::in(status, codes::kAccountStatus)) {
        c.add("account_status", "invalid_code", quote(status) + " is not an Account Status code");
    } else if (!status.empty() && status != "DA" && status != "DF") {
        const bool needs_rating = codes::in(status, codes::kRatingRequired);
        if (needs_rating && rating.empty())
            c.add("payment_rating", "payment_rating_required",
                  "status " + status + " needs a Payment Rating (statuses 05, 13, 65, 88, 89, 94, 95)");
        if (!needs_rating && !rating.empty())
            c.add("payment_rating", "payment_rating_not_allowed",
                  quote(rating) + " must be blank with status " + status +
                      " (a rating goes only with 05, 13, 65, 88, 89, 94, 95)");

        const bool rated_delinquent = (status == "05" || status == "13") &&
                                      codes::in(rating, codes::kDelinquentRating);
        if ((codes::in(status, codes::kDofdRequired) || rated_delinquent) && !dofd)
            c.add("date_of_first_delinquency", "date_of_first_delinquency_required",
                  "status " + status + (rated_delinquent ? " with rating " + rating : "") +
                      " needs the date of first delinquency (FCRA 623(a)(5))");
        const bool current = status == "11" || ((status == "05" || status == "13") && rating == "0");
        if (current && dofd &&
            !codes::in(s.text(F::consumer_information_indicator), codes::kBankruptcyIndicator))
            c.add("date_of_first_delinquency", "date_of_first_delinquency_not_allowed",
                  to_iso(*dofd) + " must be zero-filled for a current account (status " + status +
                      (rating.empty() ? "" : ", rating " + rating) + ") without a bankruptcy indicator");

        if (status == "11" && past_due > 0)
            c.add("amount_past_due", "amount_past_due_not_zero",
                  std::to_string(past_due) + " must be zero for a current account (status 11)");
        if (codes::in(status, codes::kPastDueStatus) && past_due == 0)
            c.add("amount_past_due", "amount_past_due_required",
                  "status " + status + " (past due) needs an amount past due above zero");
        if (codes::in(status, codes::kPaidStatus) && balance > 0)
            c.add("current_balance", "current_balance_not_zero",
                  std::to_string(balance) + " must be zero for a paid or closed account (status " +
                      status + ")");
        if (codes::in(status, codes::kUnpaidStatus) && balance == 0)
            c.add("current_balance", "current_balance_required",
                  "status " + status + " reports an unpaid balance but the balance is zero (report "
                  "a paid status such as 62 or 64)");
        if (codes::in(status, codes::kChargeOffStatus) && s.number(F::original_charge_off_amount) == 0)
            c.add("original_charge_off_amount", "original_charge_off_amount_required",
                  "status " + status + " needs the original charge-off amount");
        if (s.text(F::special_comment) == "AU" && !codes::in(status, codes::kPaidStatus))
            c.add("special_comment", "special_comment_status_mismatch",
                  "AU (paid for less than the full balance) needs a paid status (13, 61-65), not " +
                      status);
    }
    if (past_due > balance)
        c.add("amount_past_due", "amount_past_due_exceeds_balance",
              std::to_string(past_due) + " is more than the current balance " +
                  std::to_string(balance));

    // -- dates: none in the future; account dates not after the Date of Account Information
    const auto doai = s.date(F::date_of_account_information);
    for (F f : {F::date_opened, F::date_of_account_information, F::date_of_first_delinquency,
                F::date_closed, F::date_of_last_payment}) {
        const auto d = s.date(f);
        if (!d) continue;
        const std::string_view name = BaseSegment::field(f).name;
        if (as_of && *d > *as_of)
            c.add(name, "future_date", to_iso(*d) + " is after the as-of date " + to_iso(*as_of));
        else if (f != F::date_of_account_information && doai && *d > *doai)
            c.add(name, "after_date_of_account_information",
                  to_iso(*d) + " is after the date of account information " + to_iso(*doai));
    }

    // -- consumer
    check_consumer(s, c, as_of, doai);
    check_address(s, c);
    const std::string_view ssn = s.text(F::social_security_number);
    // "Do not report the Social Security Number, in whole or in part, within the Consumer
    // Account Number." (checked for the whole SSN; values are not shown)
    if (codes::account_holds_ssn(account, ssn))
        c.add("consumer_account_number", "ssn_in_account_number",
              "contains the consumer's Social Security Number");
    return out;
}

std::vector<Metro2Problem> validate_segment(const HeaderRecord& s, std::optional<Date> as_of,
                                            std::string_view prefix) {
    using F = Metro2HeaderField;
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    check_required(s, c);
    const auto activity = s.date(F::activity_date);
    const auto created = s.date(F::date_created);
    // ActivityDate: "A future date should not be reported"; DateCreated is when the file was made.
    if (activity && created && *activity > *created)
        c.add("activity_date", "future_date",
              to_iso(*activity) + " is after the date created " + to_iso(*created));
    if (activity && as_of && *activity > *as_of)
        c.add("activity_date", "future_date", to_iso(*activity) + " is after the as-of date " + to_iso(*as_of));
    if (s.text(F::innovis_program_identifier).empty() &&
        s.text(F::equifax_program_identifier).empty() &&
        s.text(F::experian_program_identifier).empty() &&
        s.text(F::transunion_program_identifier).empty())
        c.add("equifax_program_identifier", "program_identifier_required",
              "no consumer reporting agency program identifier (Innovis, Equifax, Experian, "
              "TransUnion) is set");
    return out;
}

std::vector<Metro2Problem> validate_segment(const TrailerRecord&, std::optional<Date>,
                                            std::string_view) {
    return {};  // counts only; the reader compares them with the records
}

std::vector<Metro2Problem> validate_segment(const J1Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix) {
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    check_required(s, c);
    check_consumer(s, c, as_of, std::nullopt);
    return out;
}

std::vector<Metro2Problem> validate_segment(const J2Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix) {
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    check_required(s, c);
    check_consumer(s, c, as_of, std::nullopt);
    check_address(s, c);
    return out;
}

std::vector<Metro2Problem> validate_segment(const K1Segment& s, std::optional<Date>,
                                            std::string_view prefix) {
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    check_required(s, c);
    const std::string_view cls = s.text(Metro2K1Field::creditor_classification);
    if (cls != "00") check_code(c, "creditor_classification", cls, codes::kCreditorClassification,
                                "Creditor Classification (01-15)");
    return out;
}

std::vector<Metro2Problem> validate_segment(const K2Segment& s, std::optional<Date>,
                                            std::string_view prefix) {
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    const std::string_view ind = s.text(Metro2K2Field::purchased_indicator);
    check_required(s, c, {"purchased_name"});
    if (ind != "0") check_code(c, "purchased_indicator", ind, codes::kPurchasedIndicator,
                               "Purchased From/Sold To indicator (1, 2, 9)");
    // Indicator 9 removes the K2; otherwise the name is needed.
    if (ind != "9" && s.text(Metro2K2Field::purchased_name).empty())
        c.add("purchased_name", "required", "is required and is blank");
    return out;
}

std::vector<Metro2Problem> validate_segment(const K3Segment& s, std::optional<Date>,
                                            std::string_view prefix) {
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    check_required(s, c);
    check_code(c, "agency_identifier", s.text(Metro2K3Field::agency_identifier),
               codes::kAgencyIdentifier, "Agency Identifier (00, 01, 02)");
    return out;
}

std::vector<Metro2Problem> validate_segment(const K4Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix) {
    using F = Metro2K4Field;
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    check_required(s, c);
    const std::string_view ind = s.text(F::specialized_payment_indicator);
    if (ind != "00") check_code(c, "specialized_payment_indicator", ind, codes::kSpecializedPayment,
                                "Specialized Payment Indicator (01 balloon, 02 deferred)");
    if (ind == "01") {
        if (!s.date(F::balloon_payment_due_date))
            c.add("balloon_payment_due_date", "required", "a balloon payment (01) needs its due date");
        if (s.number(F::balloon_payment_amount) == 0)
            c.add("balloon_payment_amount", "required", "a balloon payment (01) needs its amount");
    }
    if (ind == "02" && !s.date(F::deferred_payment_start_date))
        c.add("deferred_payment_start_date", "required",
              "a deferred payment (02) needs its start date");
    (void)as_of;  // K4 dates are scheduled dates and may lie in the future
    return out;
}

std::vector<Metro2Problem> validate_segment(const L1Segment& s, std::optional<Date>,
                                            std::string_view prefix) {
    using F = Metro2L1Field;
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    check_required(s, c);
    const std::string_view ind = s.text(F::change_indicator);
    if (ind != "0") check_code(c, "change_indicator", ind, codes::kChangeIndicator,
                               "Change Indicator (1, 2, 3)");
    if ((ind == "1" || ind == "3") && s.text(F::new_consumer_account_number).empty())
        c.add("new_consumer_account_number", "required",
              "change indicator " + std::string(ind) + " needs the new consumer account number");
    if ((ind == "2" || ind == "3") && s.text(F::new_identification_number).empty())
        c.add("new_identification_number", "required",
              "change indicator " + std::string(ind) + " needs the new identification number");
    return out;
}

std::vector<Metro2Problem> validate_segment(const N1Segment& s, std::optional<Date>,
                                            std::string_view prefix) {
    std::vector<Metro2Problem> out;
    Checker c(out, prefix);
    check_required(s, c);
    return out;
}

void validate_record_rules(const DataRecord& r, std::vector<Metro2Problem>& out) {
    using F = Metro2BaseField;
    Checker c(out, "");
    const std::string_view status = r.base.text(F::account_status);
    const std::string_view type = r.base.text(F::account_type);
    const bool deleting = status == "DA" || status == "DF";
    // Collection agencies and debt buyers report the original creditor in K1; debt buyers name
    // the seller in K2 with indicator 1 (reference §2.5 collection profile).
    if (!deleting && (type == codes::kCollectionAgency || type == codes::kDebtBuyer) && !r.k1)
        c.add("k1", "original_creditor_required",
              "account type " + std::string(type) +
                  " (collection agency / debt buyer) reports the original creditor in a K1 segment");
    if (!deleting && type == codes::kDebtBuyer && !r.k2)
        c.add("k2", "purchased_from_required",
              "account type 0C (debt buyer) names the seller in a K2 segment (indicator 1)");
    // No consumer's SSN inside the account number.
    const std::string_view account = r.base.text(F::consumer_account_number);
    auto check_ssn = [&](std::string_view ssn, const std::string& who) {
        if (codes::account_holds_ssn(account, ssn))
            c.add("consumer_account_number", "ssn_in_account_number",
                  "contains the Social Security Number of " + who);
    };
    for (std::size_t i = 0; i < r.j1.size(); ++i)
        check_ssn(r.j1[i].text(Metro2J1Field::social_security_number),
                  "the J1 consumer " + std::to_string(i));
    for (std::size_t i = 0; i < r.j2.size(); ++i)
        check_ssn(r.j2[i].text(Metro2J2Field::social_security_number),
                  "the J2 consumer " + std::to_string(i));
}

}  // namespace arrears
