// Compliance deadlines computed from dates: the validation period (12 CFR 1006.34(b)(5)), the
// earliest date a debt may be furnished to a credit bureau (1006.30(a)), and record retention
// (1006.100). Pure functions of their arguments; the "as of" date is always a parameter.
#pragma once

#include "arrears/contact_policy.hpp"
#include "arrears/date.hpp"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace arrears {

// How federal holidays are skipped when counting the 5 days to assumed receipt.
enum class HolidayCounting : std::uint8_t {
    conservative, // skip the statutory dates (5 U.S.C. 6103(a)) and their observed weekdays
    statutory,    // skip only the statutory dates
};
HolidayCounting parse_holiday_counting(std::string_view s, std::string_view field = "holidays");

struct ValidationPeriod {
    Date assumed_receipt; // the 5th day after `sent`, counting only Mon-Fri non-holidays
    Date end;             // assumed_receipt + 30 calendar days, never rolled off a weekend
    friend bool operator==(const ValidationPeriod&, const ValidationPeriod&) = default;
};

// The validation period for information provided (mailed, sent) on `sent`.
ValidationPeriod validation_period(Date sent,
                                   HolidayCounting holidays = HolidayCounting::conservative);

// A letter or electronic message about the debt: when it went out and, if a notice of
// undeliverability came back, when that notice arrived.
struct SentMessage {
    Date sent;
    std::optional<Date> undeliverable;
    friend bool operator==(const SentMessage&, const SentMessage&) = default;
};

// 12 CFR 1006.30(a)(1): the earliest date the debt may be furnished to a consumer reporting
// agency: sent + 15 for a message with no undeliverability notice within the 14 days after it
// (comment 30(a)(1)-2, -3), or the day after a conversation with the consumer in person or by
// telephone. Empty when neither has happened.
std::optional<Date> earliest_furnishing_date(const std::vector<SentMessage>& messages,
                                             const std::vector<Date>& conversations);

// 12 CFR 1006.100: records are kept until 3 years after the last collection activity on the
// debt ((a), kind "records"); call recordings 3 years after the call ((b), kind "recording").
// The earliest purge date is the day after the third anniversary (Feb 29 -> Mar 1).
enum class RetentionKind : std::uint8_t { records, recording };
RetentionKind parse_retention_kind(std::string_view s, std::string_view field = "kind");
Date earliest_purge_date(Date last_activity);
// allowed when as_of >= earliest_purge_date(last_activity); the reason cites 1006.100.
Decision retention_purge_allowed(Date last_activity, Date as_of,
                                 RetentionKind kind = RetentionKind::records);
// Throws ComplianceError(rule, citation, message) when the purge is not allowed yet.
void require_retention_elapsed(Date last_activity, Date as_of,
                               RetentionKind kind = RetentionKind::records);

} // namespace arrears
