// Metro 2 records, character format (426-byte base segment; the packed 366-byte format is out of
// scope). Facts: ../shared/reference/metro2.md §2.2 (layouts), §2.4 (codes), §2.5 (field rules).
//
// Each segment's layout is one table (the X-macro lists below): name, reference name, 1-based
// start, length, type and requirement. Everything that reads or writes a record goes through the
// table, so positions are data. A segment object *is* its fixed-width image: setters check and
// format a value into the image (an over-long text or a number that does not fit throws, nothing
// is truncated), getters read it back, encode() copies it, decode() checks it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/money.hpp"
#include "arrears/rounding.hpp"

namespace arrears {

enum class Metro2SegmentKind : std::uint8_t { header, base, trailer, j1, j2, k1, k2, k3, k4, l1, n1 };

// How a field is formatted (reference §2.2 "Fill rules").
enum class Metro2FieldType : std::uint8_t {
    rdw,           // Record Descriptor Word: 4 digits, the record length; computed when encoded
    identifier,    // constant record/segment identifier: HEADER, TRAILER, J1, K2 ...
    reserved,      // blank-filled, not a value
    alphanumeric,  // AN: left-justified, blank-filled, printable ASCII
    digits,        // N held as text (codes, SSN, telephone): right-justified, zero-filled
    count,         // N held as an integer (trailer totals): right-justified, zero-filled
    money,         // N in whole dollars: right-justified, zero-filled, never negative
    date,          // MMDDYYYY, all zeros when not applicable
    timestamp,     // MMDDYYYYHHMMSS (UTC), all zeros when not applicable
};

// The reference table's "Req" column: Y = required, A = report if applicable, - = optional.
enum class Metro2Requirement : std::uint8_t { required, applicable, optional };

struct Metro2Field {
    std::string_view name;            // snake_case: "current_balance" (reserved: "reserved_215")
    std::string_view reference_name;  // the reference table's name: "CurrentBalance"
    std::uint16_t start;              // 1-based first position
    std::uint16_t length;
    Metro2FieldType type;
    Metro2Requirement requirement;

    constexpr std::uint16_t end() const { return static_cast<std::uint16_t>(start + length - 1); }
    constexpr std::size_t offset() const { return static_cast<std::size_t>(start) - 1; }
    // A value the user sets (not the RDW, an identifier or a reserved filler).
    constexpr bool is_value() const {
        return type != Metro2FieldType::rdw && type != Metro2FieldType::identifier &&
               type != Metro2FieldType::reserved;
    }
    // SSN and date of birth never appear in reprs or error messages.
    constexpr bool is_sensitive() const {
        return name == "social_security_number" || name == "date_of_birth";
    }
};

std::string_view to_string(Metro2FieldType type) noexcept;
std::string_view to_string(Metro2Requirement requirement) noexcept;
std::string_view to_string(Metro2SegmentKind kind) noexcept;

// ---- layout tables (reference §2.2, character format) -----------------------------------------
// X(name, reference name, start, length, type, requirement)

#define ARREARS_METRO2_HEADER_FIELDS(X)                                                      \
    X(record_descriptor_word, "RecordDescriptorWord", 1, 4, rdw, required)                 \
    X(record_identifier, "RecordIdentifier", 5, 6, identifier, required)                   \
    X(cycle_identifier, "CycleIdentifier", 11, 2, alphanumeric, applicable)                \
    X(innovis_program_identifier, "InnovisProgramIdentifier", 13, 10, alphanumeric,        \
      applicable)                                                                          \
    X(equifax_program_identifier, "EquifaxProgramIdentifier", 23, 10, alphanumeric,        \
      applicable)                                                                          \
    X(experian_program_identifier, "ExperianProgramIdentifier", 33, 5, alphanumeric,       \
      applicable)                                                                          \
    X(transunion_program_identifier, "TransUnionProgramIdentifier", 38, 10, alphanumeric,  \
      applicable)                                                                          \
    X(activity_date, "ActivityDate", 48, 8, date, required)                                \
    X(date_created, "DateCreated", 56, 8, date, required)                                  \
    X(program_date, "ProgramDate", 64, 8, date, optional)                                  \
    X(program_revision_date, "ProgramRevisionDate", 72, 8, date, optional)                 \
    X(reporter_name, "ReporterName", 80, 40, alphanumeric, required)                       \
    X(reporter_address, "ReporterAddress", 120, 96, alphanumeric, required)                \
    X(reporter_telephone_number, "ReporterTelephoneNumber", 216, 10, digits, optional)     \
    X(software_vendor_name, "SoftwareVendorName", 226, 40, alphanumeric, applicable)       \
    X(software_version_number, "SoftwareVersionNumber", 266, 5, alphanumeric, applicable)  \
    X(prbc_program_identifier, "PRBCProgramIdentifier", 271, 10, alphanumeric, applicable) \
    X(reserved_281, "Reserved", 281, 146, reserved, optional)

#define ARREARS_METRO2_BASE_FIELDS(X)                                                         \
    X(record_descriptor_word, "RecordDescriptorWord", 1, 4, rdw, required)                    \
    X(processing_indicator, "ProcessingIndicator", 5, 1, digits, optional)                    \
    X(time_stamp, "TimeStamp", 6, 14, timestamp, optional)                                    \
    X(correction_indicator, "CorrectionIndicator", 20, 1, digits, optional)                   \
    X(identification_number, "IdentificationNumber", 21, 20, alphanumeric, required)          \
    X(cycle_identifier, "CycleIdentifier", 41, 2, alphanumeric, applicable)                   \
    X(consumer_account_number, "ConsumerAccountNumber", 43, 30, alphanumeric, required)       \
    X(portfolio_type, "PortfolioType", 73, 1, alphanumeric, required)                         \
    X(account_type, "AccountType", 74, 2, alphanumeric, required)                             \
    X(date_opened, "DateOpened", 76, 8, date, required)                                       \
    X(credit_limit, "CreditLimit", 84, 9, money, applicable)                                  \
    X(highest_credit, "HighestCredit", 93, 9, money, optional)                                \
    X(terms_duration, "TermsDuration", 102, 3, alphanumeric, required)                        \
    X(terms_frequency, "TermsFrequency", 105, 1, alphanumeric, applicable)                    \
    X(scheduled_monthly_payment_amount, "ScheduledMonthlyPaymentAmount", 106, 9, money,       \
      applicable)                                                                             \
    X(actual_payment_amount, "ActualPaymentAmount", 115, 9, money, applicable)                \
    X(account_status, "AccountStatus", 124, 2, alphanumeric, required)                        \
    X(payment_rating, "PaymentRating", 126, 1, alphanumeric, applicable)                      \
    X(payment_history_profile, "PaymentHistoryProfile", 127, 24, alphanumeric, required)      \
    X(special_comment, "SpecialComment", 151, 2, alphanumeric, applicable)                    \
    X(compliance_condition_code, "ComplianceConditionCode", 153, 2, alphanumeric, applicable) \
    X(current_balance, "CurrentBalance", 155, 9, money, applicable)                           \
    X(amount_past_due, "AmountPastDue", 164, 9, money, applicable)                            \
    X(original_charge_off_amount, "OriginalChargeOffAmount", 173, 9, money, applicable)       \
    X(date_of_account_information, "DateAccountInformation", 182, 8, date, required)          \
    X(date_of_first_delinquency, "DateFirstDelinquency", 190, 8, date, applicable)            \
    X(date_closed, "DateClosed", 198, 8, date, applicable)                                    \
    X(date_of_last_payment, "DateLastPayment", 206, 8, date, applicable)                      \
    X(interest_type_indicator, "InterestTypeIndicator", 214, 1, alphanumeric, optional)       \
    X(reserved_215, "Reserved2", 215, 17, reserved, optional)                                 \
    X(surname, "Surname", 232, 25, alphanumeric, required)                                    \
    X(first_name, "FirstName", 257, 20, alphanumeric, required)                               \
    X(middle_name, "MiddleName", 277, 20, alphanumeric, applicable)                           \
    X(generation_code, "GenerationCode", 297, 1, alphanumeric, applicable)                    \
    X(social_security_number, "SocialSecurityNumber", 298, 9, digits, optional)               \
    X(date_of_birth, "DateBirth", 307, 8, date, optional)                                     \
    X(telephone_number, "TelephoneNumber", 315, 10, digits, optional)                         \
    X(ecoa_code, "ECOACode", 325, 1, alphanumeric, required)                                  \
    X(consumer_information_indicator, "ConsumerInformationIndicator", 326, 2, alphanumeric,   \
      applicable)                                                                             \
    X(country_code, "CountryCode", 328, 2, alphanumeric, optional)                            \
    X(first_line_of_address, "FirstLineAddress", 330, 32, alphanumeric, required)             \
    X(second_line_of_address, "SecondLineAddress", 362, 32, alphanumeric, applicable)         \
    X(city, "City", 394, 20, alphanumeric, required)                                          \
    X(state, "State", 414, 2, alphanumeric, required)                                         \
    X(zip_code, "ZipCode", 416, 9, alphanumeric, required)                                    \
    X(address_indicator, "AddressIndicator", 425, 1, alphanumeric, optional)                  \
    X(residence_code, "ResidenceCode", 426, 1, alphanumeric, optional)

#define ARREARS_METRO2_TRAILER_FIELDS(X)                                                     \
    X(record_descriptor_word, "RecordDescriptorWord", 1, 4, rdw, required)                 \
    X(record_identifier, "RecordIdentifier", 5, 7, identifier, required)                   \
    X(total_base_records, "TotalBaseRecords", 12, 9, count, required)                      \
    X(reserved_21, "Reserved1", 21, 9, reserved, optional)                                 \
    X(total_status_code_df, "TotalStatusCodeDF", 30, 9, count, optional)                   \
    X(total_consumer_segments_j1, "TotalConsumerSegmentsJ1", 39, 9, count, applicable)     \
    X(total_consumer_segments_j2, "TotalConsumerSegmentsJ2", 48, 9, count, applicable)     \
    X(block_count, "BlockCount", 57, 9, count, required)                                   \
    X(total_status_code_da, "TotalStatusCodeDA", 66, 9, count, optional)                   \
    X(total_status_code_05, "TotalStatusCode05", 75, 9, count, optional)                   \
    X(total_status_code_11, "TotalStatusCode11", 84, 9, count, optional)                   \
    X(total_status_code_13, "TotalStatusCode13", 93, 9, count, optional)                   \
    X(total_status_code_61, "TotalStatusCode61", 102, 9, count, optional)                  \
    X(total_status_code_62, "TotalStatusCode62", 111, 9, count, optional)                  \
    X(total_status_code_63, "TotalStatusCode63", 120, 9, count, optional)                  \
    X(total_status_code_64, "TotalStatusCode64", 129, 9, count, optional)                  \
    X(total_status_code_65, "TotalStatusCode65", 138, 9, count, optional)                  \
    X(total_status_code_71, "TotalStatusCode71", 147, 9, count, optional)                  \
    X(total_status_code_78, "TotalStatusCode78", 156, 9, count, optional)                  \
    X(total_status_code_80, "TotalStatusCode80", 165, 9, count, optional)                  \
    X(total_status_code_82, "TotalStatusCode82", 174, 9, count, optional)                  \
    X(total_status_code_83, "TotalStatusCode83", 183, 9, count, optional)                  \
    X(total_status_code_84, "TotalStatusCode84", 192, 9, count, optional)                  \
    X(total_status_code_88, "TotalStatusCode88", 201, 9, count, optional)                  \
    X(total_status_code_89, "TotalStatusCode89", 210, 9, count, optional)                  \
    X(total_status_code_93, "TotalStatusCode93", 219, 9, count, optional)                  \
    X(total_status_code_94, "TotalStatusCode94", 228, 9, count, optional)                  \
    X(total_status_code_95, "TotalStatusCode95", 237, 9, count, optional)                  \
    X(total_status_code_96, "TotalStatusCode96", 246, 9, count, optional)                  \
    X(total_status_code_97, "TotalStatusCode97", 255, 9, count, optional)                  \
    X(total_ecoa_code_z, "TotalECOACodeZ", 264, 9, count, optional)                        \
    X(total_employment_segments, "TotalEmploymentSegments", 273, 9, count, optional)       \
    X(total_original_creditor_segments, "TotalOriginalCreditorSegments", 282, 9, count,    \
      optional)                                                                            \
    X(total_purchased_to_segments, "TotalPurchasedToSegments", 291, 9, count, optional)    \
    X(total_mortgage_information_segments, "TotalMortgageInformationSegments", 300, 9,     \
      count, optional)                                                                     \
    X(total_payment_information_segments, "TotalPaymentInformationSegments", 309, 9,       \
      count, optional)                                                                     \
    X(total_change_segments, "TotalChangeSegments", 318, 9, count, optional)               \
    X(total_social_security_numbers_all_segments, "TotalSocialNumbersAllSegments", 327, 9, \
      count, optional)                                                                     \
    X(total_social_security_numbers_base_segments, "TotalSocialNumbersBaseSegments", 336,  \
      9, count, optional)                                                                  \
    X(total_social_security_numbers_j1_segments, "TotalSocialNumbersJ1Segments", 345, 9,   \
      count, optional)                                                                     \
    X(total_social_security_numbers_j2_segments, "TotalSocialNumbersJ2Segments", 354, 9,   \
      count, optional)                                                                     \
    X(total_dates_of_birth_all_segments, "TotalDatesBirthAllSegments", 363, 9, count,      \
      optional)                                                                            \
    X(total_dates_of_birth_base_segments, "TotalDatesBirthBaseSegments", 372, 9, count,    \
      optional)                                                                            \
    X(total_dates_of_birth_j1_segments, "TotalDatesBirthJ1Segments", 381, 9, count,        \
      optional)                                                                            \
    X(total_dates_of_birth_j2_segments, "TotalDatesBirthJ2Segments", 390, 9, count,        \
      optional)                                                                            \
    X(total_telephone_numbers_all_segments, "TotalTelephoneNumbersAllSegments", 399, 9,    \
      count, optional)                                                                     \
    X(reserved_408, "Reserved2", 408, 19, reserved, optional)

#define ARREARS_METRO2_J1_FIELDS(X)                                                         \
    X(segment_identifier, "SegmentIdentifier", 1, 2, identifier, required)                \
    X(reserved_3, "Reserved1", 3, 1, reserved, optional)                                  \
    X(surname, "Surname", 4, 25, alphanumeric, required)                                  \
    X(first_name, "FirstName", 29, 20, alphanumeric, required)                            \
    X(middle_name, "MiddleName", 49, 20, alphanumeric, applicable)                        \
    X(generation_code, "GenerationCode", 69, 1, alphanumeric, applicable)                 \
    X(social_security_number, "SocialSecurityNumber", 70, 9, digits, optional)            \
    X(date_of_birth, "DateBirth", 79, 8, date, optional)                                  \
    X(telephone_number, "TelephoneNumber", 87, 10, digits, optional)                      \
    X(ecoa_code, "ECOACode", 97, 1, alphanumeric, required)                               \
    X(consumer_information_indicator, "ConsumerInformationIndicator", 98, 2, alphanumeric, \
      applicable)                                                                         \
    X(reserved_100, "Reserved2", 100, 1, reserved, optional)

#define ARREARS_METRO2_J2_FIELDS(X)                                                         \
    X(segment_identifier, "SegmentIdentifier", 1, 2, identifier, required)                \
    X(reserved_3, "Reserved1", 3, 1, reserved, optional)                                  \
    X(surname, "Surname", 4, 25, alphanumeric, required)                                  \
    X(first_name, "FirstName", 29, 20, alphanumeric, optional)                            \
    X(middle_name, "MiddleName", 49, 20, alphanumeric, applicable)                        \
    X(generation_code, "GenerationCode", 69, 1, alphanumeric, applicable)                 \
    X(social_security_number, "SocialSecurityNumber", 70, 9, digits, optional)            \
    X(date_of_birth, "DateBirth", 79, 8, date, optional)                                  \
    X(telephone_number, "TelephoneNumber", 87, 10, digits, optional)                      \
    X(ecoa_code, "ECOACode", 97, 1, alphanumeric, required)                               \
    X(consumer_information_indicator, "ConsumerInformationIndicator", 98, 2, alphanumeric, \
      applicable)                                                                         \
    X(country_code, "CountryCode", 100, 2, alphanumeric, optional)                        \
    X(first_line_of_address, "FirstLineAddress", 102, 32, alphanumeric, required)         \
    X(second_line_of_address, "SecondLineAddress", 134, 32, alphanumeric, applicable)     \
    X(city, "City", 166, 20, alphanumeric, required)                                      \
    X(state, "State", 186, 2, alphanumeric, required)                                     \
    X(zip_code, "ZipCode", 188, 9, alphanumeric, required)                                \
    X(address_indicator, "AddressIndicator", 197, 1, alphanumeric, optional)              \
    X(residence_code, "ResidenceCode", 198, 1, alphanumeric, optional)                    \
    X(reserved_199, "Reserved2", 199, 2, reserved, optional)

#define ARREARS_METRO2_K1_FIELDS(X)                                                  \
    X(segment_identifier, "SegmentIdentifier", 1, 2, identifier, required)         \
    X(original_creditor_name, "OriginalCreditorName", 3, 30, alphanumeric, required) \
    X(creditor_classification, "CreditorClassification", 33, 2, digits, required)

#define ARREARS_METRO2_K2_FIELDS(X)                                          \
    X(segment_identifier, "SegmentIdentifier", 1, 2, identifier, required) \
    X(purchased_indicator, "PurchasedIndicator", 3, 1, digits, required)   \
    X(purchased_name, "PurchasedName", 4, 30, alphanumeric, required)      \
    X(reserved_34, "Reserved", 34, 1, reserved, optional)

#define ARREARS_METRO2_K3_FIELDS(X)                                                      \
    X(segment_identifier, "SegmentIdentifier", 1, 2, identifier, required)             \
    X(agency_identifier, "AgencyIdentifier", 3, 2, digits, applicable)                 \
    X(account_number, "AccountNumber", 5, 18, alphanumeric, applicable)                \
    X(mortgage_identification_number, "MortgageIdentificationNumber", 23, 18, alphanumeric, \
      optional)

#define ARREARS_METRO2_K4_FIELDS(X)                                                          \
    X(segment_identifier, "SegmentIdentifier", 1, 2, identifier, required)                 \
    X(specialized_payment_indicator, "SpecializedPaymentIndicator", 3, 2, digits, required) \
    X(deferred_payment_start_date, "DeferredPaymentStartDate", 5, 8, date, applicable)     \
    X(balloon_payment_due_date, "BalloonPaymentDueDate", 13, 8, date, applicable)          \
    X(balloon_payment_amount, "BalloonPaymentAmount", 21, 9, money, applicable)            \
    X(reserved_30, "Reserved", 30, 1, reserved, optional)

#define ARREARS_METRO2_L1_FIELDS(X)                                                             \
    X(segment_identifier, "SegmentIdentifier", 1, 2, identifier, required)                    \
    X(change_indicator, "ChangeIndicator", 3, 1, digits, required)                            \
    X(new_consumer_account_number, "NewConsumerAccountNumber", 4, 30, alphanumeric, applicable) \
    X(new_identification_number, "NewIdentificationNumber", 34, 20, alphanumeric, applicable)   \
    X(reserved_54, "Reserved", 54, 1, reserved, optional)

#define ARREARS_METRO2_N1_FIELDS(X)                                                           \
    X(segment_identifier, "SegmentIdentifier", 1, 2, identifier, required)                  \
    X(employer_name, "EmployerName", 3, 30, alphanumeric, required)                         \
    X(first_line_of_employer_address, "FirstLineEmployerAddress", 33, 32, alphanumeric,     \
      optional)                                                                             \
    X(second_line_of_employer_address, "SecondLineEmployerAddress", 65, 32, alphanumeric,   \
      optional)                                                                             \
    X(employer_city, "EmployerCity", 97, 20, alphanumeric, optional)                        \
    X(employer_state, "EmployerState", 117, 2, alphanumeric, optional)                      \
    X(zip_code, "ZipCode", 119, 9, alphanumeric, optional)                                  \
    X(occupation, "Occupation", 128, 18, alphanumeric, applicable)                          \
    X(reserved_146, "Reserved", 146, 1, reserved, optional)

#define ARREARS_METRO2_ENUM_ENTRY(name, ref, start, len, type, req) name,
#define ARREARS_METRO2_FIELD_ENTRY(name, ref, start, len, type, req)                          \
    Metro2Field{#name, ref, start, len, Metro2FieldType::type, Metro2Requirement::req},

#define ARREARS_METRO2_DEFINE_LAYOUT(Kind, EnumName, TableName, FIELDS)       \
    enum class EnumName : std::uint8_t { FIELDS(ARREARS_METRO2_ENUM_ENTRY) }; \
    inline constexpr Metro2Field TableName[] = {FIELDS(ARREARS_METRO2_FIELD_ENTRY)};

ARREARS_METRO2_DEFINE_LAYOUT(header, Metro2HeaderField, kMetro2HeaderFields,
                             ARREARS_METRO2_HEADER_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(base, Metro2BaseField, kMetro2BaseFields, ARREARS_METRO2_BASE_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(trailer, Metro2TrailerField, kMetro2TrailerFields,
                             ARREARS_METRO2_TRAILER_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(j1, Metro2J1Field, kMetro2J1Fields, ARREARS_METRO2_J1_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(j2, Metro2J2Field, kMetro2J2Fields, ARREARS_METRO2_J2_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(k1, Metro2K1Field, kMetro2K1Fields, ARREARS_METRO2_K1_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(k2, Metro2K2Field, kMetro2K2Fields, ARREARS_METRO2_K2_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(k3, Metro2K3Field, kMetro2K3Fields, ARREARS_METRO2_K3_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(k4, Metro2K4Field, kMetro2K4Fields, ARREARS_METRO2_K4_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(l1, Metro2L1Field, kMetro2L1Fields, ARREARS_METRO2_L1_FIELDS)
ARREARS_METRO2_DEFINE_LAYOUT(n1, Metro2N1Field, kMetro2N1Fields, ARREARS_METRO2_N1_FIELDS)

#undef ARREARS_METRO2_DEFINE_LAYOUT

// True when the fields tile 1..length with no gap and no overlap (checked at compile time below).
constexpr bool metro2_layout_is_contiguous(std::span<const Metro2Field> fields,
                                           std::size_t length) {
    std::size_t next = 1;
    for (const auto& f : fields) {
        if (f.start != next || f.length == 0) return false;
        next += f.length;
    }
    return next == length + 1;
}

template <Metro2SegmentKind K>
struct Metro2Layout;

#define ARREARS_METRO2_LAYOUT_TRAITS(Kind, EnumName, TableName, Name, Identifier, Length) \
    template <>                                                                         \
    struct Metro2Layout<Metro2SegmentKind::Kind> {                                      \
        using Field = EnumName;                                                         \
        static constexpr std::string_view name = Name;                                  \
        static constexpr std::string_view identifier = Identifier;                      \
        static constexpr std::size_t length = Length;                                   \
        static constexpr std::span<const Metro2Field> fields{TableName};                \
    };                                                                                  \
    static_assert(metro2_layout_is_contiguous(TableName, Length),                       \
                  Name " layout must tile positions 1.." #Length);

ARREARS_METRO2_LAYOUT_TRAITS(header, Metro2HeaderField, kMetro2HeaderFields, "HeaderRecord",
                             "HEADER", 426)
ARREARS_METRO2_LAYOUT_TRAITS(base, Metro2BaseField, kMetro2BaseFields, "BaseSegment", "", 426)
ARREARS_METRO2_LAYOUT_TRAITS(trailer, Metro2TrailerField, kMetro2TrailerFields, "TrailerRecord",
                             "TRAILER", 426)
ARREARS_METRO2_LAYOUT_TRAITS(j1, Metro2J1Field, kMetro2J1Fields, "J1Segment", "J1", 100)
ARREARS_METRO2_LAYOUT_TRAITS(j2, Metro2J2Field, kMetro2J2Fields, "J2Segment", "J2", 200)
ARREARS_METRO2_LAYOUT_TRAITS(k1, Metro2K1Field, kMetro2K1Fields, "K1Segment", "K1", 34)
ARREARS_METRO2_LAYOUT_TRAITS(k2, Metro2K2Field, kMetro2K2Fields, "K2Segment", "K2", 34)
ARREARS_METRO2_LAYOUT_TRAITS(k3, Metro2K3Field, kMetro2K3Fields, "K3Segment", "K3", 40)
ARREARS_METRO2_LAYOUT_TRAITS(k4, Metro2K4Field, kMetro2K4Fields, "K4Segment", "K4", 30)
ARREARS_METRO2_LAYOUT_TRAITS(l1, Metro2L1Field, kMetro2L1Fields, "L1Segment", "L1", 54)
ARREARS_METRO2_LAYOUT_TRAITS(n1, Metro2N1Field, kMetro2N1Fields, "N1Segment", "N1", 146)

#undef ARREARS_METRO2_LAYOUT_TRAITS

// The layout of a segment kind, for code that works on any segment.
std::span<const Metro2Field> metro2_layout(Metro2SegmentKind kind) noexcept;
std::size_t metro2_segment_length(Metro2SegmentKind kind) noexcept;

// ---- problems --------------------------------------------------------------------------------

// One finding of validate() or of the tolerant reader. `field` is a path: "account_status",
// "j2[1].ecoa_code", "k1.creditor_classification" ("" when the problem is the whole line);
// `code` is a stable id ("payment_rating_required"); `line` is the 1-based line of the file, 0
// when the problem is not tied to a file line. Messages never contain an SSN or a date of birth.
struct Metro2Problem {
    std::string field;
    std::string code;
    std::string message;
    std::int64_t line = 0;

    friend bool operator==(const Metro2Problem&, const Metro2Problem&) = default;
    std::string repr() const;
};

// ---- field formatting shared by all segments (implementation in metro2/record.cpp) -----------

namespace metro2_detail {
void fill_default(std::span<const Metro2Field> fields, Metro2SegmentKind kind, char* image);
void set_text(const Metro2Field& f, char* image, std::string_view value);
void set_number(const Metro2Field& f, char* image, std::int64_t value);
void set_money(const Metro2Field& f, char* image, const Money& value, RoundingMode mode);
void set_date(const Metro2Field& f, char* image, std::optional<Date> value);
void set_timestamp(const Metro2Field& f, char* image, std::optional<Instant> value);
std::string_view get_text(const Metro2Field& f, const char* image);
std::int64_t get_number(const Metro2Field& f, const char* image);
std::optional<Date> get_date(const Metro2Field& f, const char* image);
std::optional<Instant> get_timestamp(const Metro2Field& f, const char* image);
// Checks `text` against the layout and copies it into `image` (normalised: reserved fields
// blank, the RDW set to the segment length, an all-blank numeric field zero-filled). Problems go
// to `problems` with `prefix` before the field names; returns false when a problem is fatal (a
// value that cannot be read: wrong length, bad date, letters in a number, wrong identifier).
bool decode(std::span<const Metro2Field> fields, Metro2SegmentKind kind, std::string_view text,
            char* image, std::vector<Metro2Problem>& problems, std::string_view prefix);
std::string repr(std::span<const Metro2Field> fields, Metro2SegmentKind kind, const char* image);
std::size_t find_field(std::span<const Metro2Field> fields, std::string_view name);  // npos
[[noreturn]] void throw_problems(std::string_view what, const std::vector<Metro2Problem>& problems);
[[noreturn]] void wrong_type(const Metro2Field& f, std::string_view wanted);
// quote() without the length limit (messages in reprs are shown whole).
std::string quote_all(std::string_view value);
}  // namespace metro2_detail

// ---- segments --------------------------------------------------------------------------------

template <Metro2SegmentKind K>
class Metro2Segment {
public:
    using Layout = Metro2Layout<K>;
    using Field = typename Layout::Field;
    static constexpr Metro2SegmentKind kind = K;
    static constexpr std::size_t length = Layout::length;
    static constexpr std::string_view name = Layout::name;

    // All alphanumeric fields blank, numbers and dates zero, identifiers set; the base segment's
    // Processing Indicator is 1 ("Report a constant of 1") and its Correction Indicator 0.
    Metro2Segment() { metro2_detail::fill_default(Layout::fields, K, image_.data()); }

    static constexpr std::span<const Metro2Field> fields() { return Layout::fields; }
    static constexpr const Metro2Field& field(Field f) {
        return Layout::fields[static_cast<std::size_t>(f)];
    }
    // Index of the field named `name`, or npos.
    static std::size_t find_field(std::string_view field_name) {
        return metro2_detail::find_field(Layout::fields, field_name);
    }

    // Setters throw ValidationError (OverflowError for a number that does not fit) naming the
    // field; the segment is unchanged when they throw.
    Metro2Segment& set_text(Field f, std::string_view v) { return set_text_at(index(f), v); }
    Metro2Segment& set_number(Field f, std::int64_t v) { return set_number_at(index(f), v); }
    // Whole dollars from Money (USD only): negative amounts report as zero, cents go by `mode`
    // (default: truncate, RoundingMode::down).
    Metro2Segment& set_money(Field f, const Money& v, RoundingMode mode = RoundingMode::down) {
        return set_money_at(index(f), v, mode);
    }
    Metro2Segment& set_date(Field f, std::optional<Date> v) { return set_date_at(index(f), v); }
    Metro2Segment& set_timestamp(Field f, std::optional<Instant> v) {
        return set_timestamp_at(index(f), v);
    }
    // Alphanumeric: the value without trailing blanks; digits: the full zero-filled text.
    std::string_view text(Field f) const { return text_at(index(f)); }
    std::int64_t number(Field f) const { return number_at(index(f)); }
    std::optional<Date> date(Field f) const { return date_at(index(f)); }
    std::optional<Instant> timestamp(Field f) const { return timestamp_at(index(f)); }

    Metro2Segment& set_text_at(std::size_t i, std::string_view v) {
        metro2_detail::set_text(Layout::fields[i], image_.data(), v);
        return *this;
    }
    Metro2Segment& set_number_at(std::size_t i, std::int64_t v) {
        metro2_detail::set_number(Layout::fields[i], image_.data(), v);
        return *this;
    }
    Metro2Segment& set_money_at(std::size_t i, const Money& v, RoundingMode mode) {
        metro2_detail::set_money(Layout::fields[i], image_.data(), v, mode);
        return *this;
    }
    Metro2Segment& set_date_at(std::size_t i, std::optional<Date> v) {
        metro2_detail::set_date(Layout::fields[i], image_.data(), v);
        return *this;
    }
    Metro2Segment& set_timestamp_at(std::size_t i, std::optional<Instant> v) {
        metro2_detail::set_timestamp(Layout::fields[i], image_.data(), v);
        return *this;
    }
    std::string_view text_at(std::size_t i) const {
        return metro2_detail::get_text(Layout::fields[i], image_.data());
    }
    std::int64_t number_at(std::size_t i) const {
        return metro2_detail::get_number(Layout::fields[i], image_.data());
    }
    std::optional<Date> date_at(std::size_t i) const {
        return metro2_detail::get_date(Layout::fields[i], image_.data());
    }
    std::optional<Instant> timestamp_at(std::size_t i) const {
        return metro2_detail::get_timestamp(Layout::fields[i], image_.data());
    }

    // The fixed-width image: exactly `length` characters.
    std::string_view image() const { return {image_.data(), length}; }
    std::string encode() const { return std::string(image()); }
    // Strict: `text` must be exactly `length` characters that read back (ValidationError naming
    // the field and position otherwise). The RDW and reserved positions are not checked.
    static Metro2Segment decode(std::string_view text) {
        std::vector<Metro2Problem> problems;
        auto s = decode(text, problems);
        if (!s) metro2_detail::throw_problems(name, problems);
        return *s;
    }
    // Tolerant: problems are appended (field names prefixed with `prefix`), nullopt when fatal.
    static std::optional<Metro2Segment> decode(std::string_view text,
                                               std::vector<Metro2Problem>& problems,
                                               std::string_view prefix = {}) {
        Metro2Segment s;
        if (!metro2_detail::decode(Layout::fields, K, text, s.image_.data(), problems, prefix))
            return std::nullopt;
        return s;
    }
    // Rule findings (reference §2.4, §2.5); `as_of` is the date no date may be after (the
    // file's activity date). Never throws for a rule; the list is empty when the segment is fine.
    std::vector<Metro2Problem> validate(std::optional<Date> as_of = std::nullopt) const {
        return validate_segment(*this, as_of);
    }
    // Fields that differ from the default, SSN and date of birth masked.
    std::string repr() const { return metro2_detail::repr(Layout::fields, K, image_.data()); }

    friend bool operator==(const Metro2Segment&, const Metro2Segment&) = default;

private:
    static constexpr std::size_t index(Field f) { return static_cast<std::size_t>(f); }
    std::array<char, Layout::length> image_{};
};

using HeaderRecord = Metro2Segment<Metro2SegmentKind::header>;
using BaseSegment = Metro2Segment<Metro2SegmentKind::base>;
using TrailerRecord = Metro2Segment<Metro2SegmentKind::trailer>;
using J1Segment = Metro2Segment<Metro2SegmentKind::j1>;
using J2Segment = Metro2Segment<Metro2SegmentKind::j2>;
using K1Segment = Metro2Segment<Metro2SegmentKind::k1>;
using K2Segment = Metro2Segment<Metro2SegmentKind::k2>;
using K3Segment = Metro2Segment<Metro2SegmentKind::k3>;
using K4Segment = Metro2Segment<Metro2SegmentKind::k4>;
using L1Segment = Metro2Segment<Metro2SegmentKind::l1>;
using N1Segment = Metro2Segment<Metro2SegmentKind::n1>;

// Rules per segment (metro2/validate.cpp). `prefix` goes before every field name.
std::vector<Metro2Problem> validate_segment(const HeaderRecord& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const BaseSegment& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const TrailerRecord& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const J1Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const J2Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const K1Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const K2Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const K3Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const K4Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const L1Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});
std::vector<Metro2Problem> validate_segment(const N1Segment& s, std::optional<Date> as_of,
                                            std::string_view prefix = {});

// ---- data records ----------------------------------------------------------------------------

// One account: the base segment and its appended segments, written in the order J1*, J2*, K1,
// K2, K3, K4, L1, N1 (reference §2.1). The RDW of the encoded record is its total length.
struct DataRecord {
    DataRecord() = default;
    explicit DataRecord(const BaseSegment& base_segment) : base(base_segment) {}

    BaseSegment base;
    std::vector<J1Segment> j1;
    std::vector<J2Segment> j2;
    std::optional<K1Segment> k1;
    std::optional<K2Segment> k2;
    std::optional<K3Segment> k3;
    std::optional<K4Segment> k4;
    std::optional<L1Segment> l1;
    std::optional<N1Segment> n1;

    // Total length (the RDW). OverflowError when it exceeds the RDW's four digits (9999).
    std::size_t length() const;
    std::string encode() const;
    // Writes exactly length() characters at `out`.
    void encode_into(char* out) const;
    // Strict: the base segment and whole appended segments; ValidationError otherwise. Trailing
    // blanks (fixed-length padding) are accepted; the RDW is not checked (see the reader).
    static DataRecord decode(std::string_view text);
    // Tolerant: problems appended (RDW mismatch, blank numeric fields ...); nullopt when fatal.
    static std::optional<DataRecord> decode(std::string_view text,
                                            std::vector<Metro2Problem>& problems);
    // Base rules, each segment's rules (fields prefixed "j1[0].", "k1." ...) and the
    // collection-furnisher rules across segments.
    std::vector<Metro2Problem> validate(std::optional<Date> as_of = std::nullopt) const;
    std::string repr() const;

    friend bool operator==(const DataRecord&, const DataRecord&) = default;
};

// The RDW cannot say more than 9999 bytes.
inline constexpr std::size_t kMetro2MaxRecordLength = 9999;

// Whole dollars for a Metro 2 amount: USD only; negative amounts are zero ("Credit balances
// (negative balances) should be reported as zero"); cents by `mode` (default: truncate).
std::int64_t metro2_whole_dollars(const Money& amount, RoundingMode mode = RoundingMode::down,
                                  std::string_view field = "amount");

}  // namespace arrears
