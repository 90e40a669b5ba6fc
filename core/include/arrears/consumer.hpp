// The compliance engine's view of a consumer: where they may be (time zones, state) and the facts
// that restrict contact (cease per debt, disputes pausing collection, medium opt-outs, designated
// inconvenient times, attorney, bankruptcy, deceased, time-barred debts). Built from a Debtor by
// the ledger area or given directly. Immutable once built.
#pragma once

#include "arrears/contact_attempt.hpp"
#include "arrears/json.hpp"
#include "arrears/time_zone.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arrears {

struct Debtor;

// A local time range the consumer designated as inconvenient (12 CFR 1006.6(b)(1)(i)), in seconds
// after local midnight, on some days of the week (bit 0 Monday ... bit 6 Sunday). start > end
// wraps past midnight (21:30-09:00: from 21:30 on a listed day to 09:00 the next morning);
// (00:00, 24:00) is the whole day.
struct LocalTimeRange {
    std::int32_t start = 0;
    std::int32_t end = 0;
    std::uint8_t weekdays = 0x7f;
    static constexpr std::uint8_t kEveryDay = 0x7f;
    // weekday: 0 Monday ... 6 Sunday (of the local date); seconds_of_day: 0..86399.
    bool contains(int weekday, std::int64_t seconds_of_day) const noexcept {
        auto on = [this](int w) { return ((weekdays >> ((w % 7 + 7) % 7)) & 1) != 0; };
        if (start < end) return on(weekday) && seconds_of_day >= start && seconds_of_day < end;
        return (on(weekday) && seconds_of_day >= start) || (on(weekday - 1) && seconds_of_day < end);
    }
    friend bool operator==(const LocalTimeRange&, const LocalTimeRange&) = default;
};
// Day names as the ledger writes them: "mon" ... "sun" (index = weekday, 0 Monday).
std::string_view weekday_name(int weekday);
int parse_weekday(std::string_view name, std::string_view field);
// The weekday (0 Monday ... 6 Sunday) of a local day number (days since 1970-01-01, a Thursday).
inline int weekday_of(std::int64_t day) noexcept {
    return static_cast<int>(((day + 3) % 7 + 7) % 7);
}

// "08:00" / "08:00:30" -> seconds after midnight ("24:00" is allowed, as the end of the day).
std::int32_t parse_local_time(std::string_view text, std::string_view field);
std::string format_local_time(std::int64_t seconds_of_day); // "08:00" (or "08:00:30")

// U.S. state, DC and territory codes ("MA"); throws ValidationError for anything else.
std::string parse_state_code(std::string_view code, std::string_view field = "state");

class Consumer {
public:
    struct Init {
        std::string id;
        std::vector<std::string> time_zones; // IANA names; empty = location unknown
        std::optional<std::string> state;
        std::vector<std::string> cease;    // debt ids with a cease-communication notice
        std::vector<std::string> disputed; // debt ids whose collection is paused by a dispute
        std::uint8_t opted_out = 0;        // channel bits the consumer opted out of
        std::vector<LocalTimeRange> inconvenient;
        bool attorney = false;
        bool bankruptcy = false;
        bool deceased = false;
        std::vector<std::string> time_barred; // debt ids past the statute of limitations
    };
    // Validates (zones exist, state code, ids non-empty, ranges non-empty) and normalizes (debt
    // id lists sorted and de-duplicated, zones de-duplicated in order). Throws ValidationError.
    explicit Consumer(Init init);

    // The consumer view of a ledger Debtor as of an instant: its possible time zones, the state
    // of its best mailing address, the cease notices, whole-medium opt-outs and designated
    // inconvenient times in force then (a designation for one contact point is applied to every
    // medium: the contact attempt does not say which point it uses), attorney representation,
    // an open bankruptcy, deceased. Disputes and time-barred debts are facts of the accounts:
    // pass their debt ids.
    static Consumer from_debtor(const Debtor& debtor, Instant as_of,
                                std::vector<std::string> disputed = {},
                                std::vector<std::string> time_barred = {});

    const std::string& id() const noexcept { return d_.id; }
    const std::vector<std::string>& time_zones() const noexcept { return d_.time_zones; }
    const std::optional<std::string>& state() const noexcept { return d_.state; }
    const std::vector<std::string>& cease() const noexcept { return d_.cease; }
    const std::vector<std::string>& disputed() const noexcept { return d_.disputed; }
    std::uint8_t opted_out() const noexcept { return d_.opted_out; }
    const std::vector<LocalTimeRange>& inconvenient() const noexcept { return d_.inconvenient; }
    bool attorney() const noexcept { return d_.attorney; }
    bool bankruptcy() const noexcept { return d_.bankruptcy; }
    bool deceased() const noexcept { return d_.deceased; }
    const std::vector<std::string>& time_barred() const noexcept { return d_.time_barred; }
    // Resolved zones, in the order of time_zones().
    const std::vector<const TimeZone*>& zones() const noexcept { return zones_; }

    Json to_json() const;
    static Consumer from_json(const JsonView& v);
    std::string repr() const;
    friend bool operator==(const Consumer& a, const Consumer& b) {
        return a.to_json() == b.to_json();
    }

private:
    Init d_;
    std::vector<const TimeZone*> zones_;
};

} // namespace arrears
