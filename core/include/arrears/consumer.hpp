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

// A local time range the consumer designated as inconvenient (12 CFR 1006.6(b)(1)(i)), in seconds
// after local midnight. start > end wraps past midnight (21:30-09:00).
struct LocalTimeRange {
    std::int32_t start = 0;
    std::int32_t end = 0;
    bool contains(std::int64_t seconds_of_day) const noexcept {
        return start < end ? (seconds_of_day >= start && seconds_of_day < end)
                           : (seconds_of_day >= start || seconds_of_day < end);
    }
    friend bool operator==(const LocalTimeRange&, const LocalTimeRange&) = default;
};

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
