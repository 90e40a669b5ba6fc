// Metro 2 code tables (reference §2.4) and the rule helpers shared by the validator and the
// collection profile. Private to the core.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/metro2.hpp"

namespace arrears::metro2_codes {

using Codes = std::span<const std::string_view>;

inline bool in(std::string_view value, Codes set) {
    return std::find(set.begin(), set.end(), value) != set.end();
}
inline bool in(std::string_view value, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), value) != set.end();
}

// Account Status (Field 17A): moov's validator set, §2.4.
inline constexpr std::string_view kAccountStatus[] = {"05", "11", "13", "61", "62", "63", "64", "65",
                                         "71", "78", "80", "82", "83", "84", "88", "89",
                                         "93", "94", "95", "96", "97", "DA", "DF"};
// Payment Rating (Field 17B).
inline constexpr std::string_view kPaymentRating[] = {"0", "1", "2", "3", "4", "5", "6", "G", "L"};
// "must also be reported when the Account Status Code is 05, 13, 65, 88, 89, 94, or 95".
inline constexpr std::string_view kRatingRequired[] = {"05", "13", "65", "88", "89", "94", "95"};
// DOFD hierarchy rule 1: statuses 61-65, 71, 78, 80, 82-84, 88-89, 93-97.
inline constexpr std::string_view kDofdRequired[] = {"61", "62", "63", "64", "65", "71", "78", "80", "82",
                                        "83", "84", "88", "89", "93", "94", "95", "96", "97"};
// DOFD hierarchy rule 2: statuses 05 and 13 with Payment Rating 1-6, G or L.
inline constexpr std::string_view kDelinquentRating[] = {"1", "2", "3", "4", "5", "6", "G", "L"};
// DOFD hierarchy rule 3: bankruptcy / receivership / reaffirmation-rescinded indicators.
inline constexpr std::string_view kBankruptcyIndicator[] = {"A", "B", "C", "D", "E", "F", "G", "H",
                                               "Z", "1A", "V", "W", "X", "Y"};
// Statuses 71-84 must have Amount Past Due > 0.
inline constexpr std::string_view kPastDueStatus[] = {"71", "78", "80", "82", "83", "84"};
// Statuses 13 and 61-65 must have Current Balance = 0.
inline constexpr std::string_view kPaidStatus[] = {"13", "61", "62", "63", "64", "65"};
// Original Charge-off Amount: "For Status Codes 64 and 97".
inline constexpr std::string_view kChargeOffStatus[] = {"64", "97"};
// Unpaid collection / charge-off: a zero balance contradicts the status (engine rule).
inline constexpr std::string_view kUnpaidStatus[] = {"93", "97"};

// Payment History Profile (Field 18) values.
inline constexpr std::string_view kHistoryCodes = "0123456BDEGHJKL";

inline constexpr std::string_view kSpecialComment[] = {
    "B",  "C",  "H",  "I",  "M",  "O",  "S",  "V",  "AB", "AC", "AH", "AI", "AL", "AM",
    "AN", "AO", "AP", "AS", "AT", "AU", "AV", "AW", "AX", "AZ", "BA", "BB", "BC", "BD",
    "BE", "BF", "BG", "BH", "BI", "BJ", "BK", "BL", "BN", "BO", "BP", "BS", "BT", "CH",
    "CI", "CJ", "CK", "CL", "CM", "CN", "CO", "CP", "CS", "DE"};
inline constexpr std::string_view kComplianceCondition[] = {"XA", "XB", "XC", "XD", "XE",
                                               "XF", "XG", "XH", "XJ", "XR"};
inline constexpr std::string_view kEcoa[] = {"1", "2", "3", "5", "7", "T", "X", "W", "Z"};
inline constexpr std::string_view kEcoaObsolete[] = {"0", "4", "6"};
inline constexpr std::string_view kConsumerInformation[] = {"A", "B", "C", "D", "E", "F", "G", "H",
                                               "Q", "R", "S", "T", "U", "V", "1A", "2A"};
inline constexpr std::string_view kConsumerInformationObsolete[] = {"W", "X", "Y"};
inline constexpr std::string_view kPortfolioType[] = {"C", "I", "M", "O", "R"};
inline constexpr std::string_view kTermsFrequency[] = {"D", "P", "W", "B", "E", "M",
                                          "L", "Q", "T", "S", "Y"};
inline constexpr std::string_view kInterestType[] = {"F", "V"};
inline constexpr std::string_view kGenerationCode[] = {"J", "S", "2", "3", "4", "5", "6", "7", "8", "9"};
inline constexpr std::string_view kAddressIndicator[] = {"C", "Y", "N", "M", "S", "B", "U", "D", "P"};
inline constexpr std::string_view kResidenceCode[] = {"O", "R"};
inline constexpr std::string_view kCreditorClassification[] = {"01", "02", "03", "04", "05",
                                                  "06", "07", "08", "09", "10",
                                                  "11", "12", "13", "14", "15"};
inline constexpr std::string_view kPurchasedIndicator[] = {"1", "2", "9"};
inline constexpr std::string_view kAgencyIdentifier[] = {"00", "01", "02"};
inline constexpr std::string_view kSpecializedPayment[] = {"01", "02"};
inline constexpr std::string_view kChangeIndicator[] = {"1", "2", "3"};
// USPS state, territory and military codes (CRRG Exhibit 14 is the USPS list).
inline constexpr std::string_view kStates[] = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI", "UM", "FM", "MH", "PW",
    "AA", "AE", "AP"};
inline constexpr std::string_view kProcessingIndicator[] = {"1"};
inline constexpr std::string_view kCorrectionIndicator[] = {"0", "1"};

// Collection-agency and debt-buyer account types (§2.4, §2.5).
inline constexpr std::string_view kCollectionAgency = "48";
inline constexpr std::string_view kDebtBuyer = "0C";

// An SSN that is reported: not all zeros and not all nines ("zero- or 9-fill all positions"
// when there is none; the trailer does not count those).
inline bool ssn_reported(std::string_view digits) {
    return !digits.empty() && digits.find_first_not_of('0') != std::string_view::npos &&
           digits.find_first_not_of('9') != std::string_view::npos;
}

// The account number holds the whole SSN, ignoring separators ("123-45-6789" counts).
inline bool account_holds_ssn(std::string_view account, std::string_view ssn) {
    if (!ssn_reported(ssn)) return false;
    std::string digits;
    for (char c : account)
        if (c >= '0' && c <= '9') digits += c;
    return digits.find(ssn) != std::string::npos;
}

}  // namespace arrears::metro2_codes

namespace arrears {
struct DataRecord;
// Cross-segment rules of a data record (metro2/validate.cpp).
void validate_record_rules(const DataRecord& record, std::vector<Metro2Problem>& out);
}  // namespace arrears
