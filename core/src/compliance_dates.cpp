#include "arrears/compliance_dates.hpp"

#include "arrears/calendar.hpp"
#include "arrears/error.hpp"

#include <algorithm>

namespace arrears {

HolidayCounting parse_holiday_counting(std::string_view s, std::string_view field) {
    if (s == "conservative") return HolidayCounting::conservative;
    if (s == "statutory") return HolidayCounting::statutory;
    throw ValidationError(std::string(field) + ": " + quote(s) +
                          " is not one of conservative, statutory");
}

ValidationPeriod validation_period(Date sent, HolidayCounting holidays) {
    check_date(sent, "sent");
    const BusinessCalendar calendar("us_federal", holidays == HolidayCounting::conservative);
    // Day 1 is the day after `sent`; only Monday-Friday days that are not holidays count
    // (12 CFR 1006.34(b)(5); reference payment-math.md 3.5).
    ValidationPeriod p;
    p.assumed_receipt = calendar.add_business_days(sent, 5);
    p.end = add_days(p.assumed_receipt, 30);
    return p;
}

std::optional<Date> earliest_furnishing_date(const std::vector<SentMessage>& messages,
                                             const std::vector<Date>& conversations) {
    std::optional<Date> best;
    auto consider = [&](Date d) {
        if (!best || to_days(d) < to_days(*best)) best = d;
    };
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const SentMessage& m = messages[i];
        check_date(m.sent, "messages[" + std::to_string(i) + "].sent");
        if (m.undeliverable) {
            check_date(*m.undeliverable, "messages[" + std::to_string(i) + "].undeliverable");
            if (to_days(*m.undeliverable) < to_days(m.sent))
                throw ValidationError("messages[" + std::to_string(i) +
                                      "].undeliverable: " + to_iso(*m.undeliverable) +
                                      " is before the message was sent (" + to_iso(m.sent) + ")");
            // Returned within the 14 days after sending: this message does not satisfy (a)(1)(ii).
            if (days_between(m.sent, *m.undeliverable) <= 14) continue;
        }
        consider(add_days(m.sent, 15));
    }
    for (std::size_t i = 0; i < conversations.size(); ++i) {
        check_date(conversations[i], "conversations[" + std::to_string(i) + "]");
        consider(add_days(conversations[i], 1));
    }
    return best;
}

RetentionKind parse_retention_kind(std::string_view s, std::string_view field) {
    if (s == "records") return RetentionKind::records;
    if (s == "recording") return RetentionKind::recording;
    throw ValidationError(std::string(field) + ": " + quote(s) +
                          " is not one of records, recording");
}

Date earliest_purge_date(Date last_activity) {
    check_date(last_activity, "last_activity");
    return add_days(add_months(last_activity, 36), 1);
}

Decision retention_purge_allowed(Date last_activity, Date as_of, RetentionKind kind) {
    check_date(as_of, "as_of");
    const Date earliest = earliest_purge_date(last_activity);
    const bool records = kind == RetentionKind::records;
    Reason r{records ? "reg_f.record_retention" : "reg_f.recording_retention",
             records ? "12 CFR 1006.100(a)" : "12 CFR 1006.100(b)", ""};
    const std::string what = records ? "the last collection activity on the debt" : "the call";
    Decision d;
    d.allowed = to_days(as_of) >= to_days(earliest);
    if (d.allowed) {
        r.message = "Three years have passed since " + what + " (" + to_iso(last_activity) +
                    "): the " + (records ? "records" : "recording") + " may be purged from " +
                    to_iso(earliest) + ".";
        d.notes.push_back(std::move(r));
    } else {
        r.message = std::string(records ? "Records" : "The recording") +
                    " must be kept until 3 years after " + what + " (" + to_iso(last_activity) +
                    "); purging is allowed from " + to_iso(earliest) + ", not on " + to_iso(as_of) +
                    ".";
        d.reasons.push_back(std::move(r));
    }
    return d;
}

void require_retention_elapsed(Date last_activity, Date as_of, RetentionKind kind) {
    retention_purge_allowed(last_activity, as_of, kind).raise_if_blocked();
}

} // namespace arrears
