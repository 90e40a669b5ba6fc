// Time zones for "local time at the consumer's location" (Reg F 12 CFR 1006.6(b)(1)).
//
// A TimeZone is an IANA zone (system tzdata, read through Howard Hinnant's date/tz) flattened into
// a sorted table of UTC offsets, so converting an instant to local time is one binary search and
// the compliance engine can do it millions of times per second. Howard Hinnant's OS-tzdb reader
// stops at the last transition stored in the TZif file (2037 in Debian's "fat" files, earlier in
// "slim" ones); the table is extended to 2200 with the POSIX TZ rule in the file's footer, the way
// zic intends (RFC 8536 section 3.3).
#pragma once

#include "arrears/date.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arrears {

class TimeZone {
public:
    // Throws ValidationError ("<field>: 'Mars/Base' is not an IANA time zone name").
    explicit TimeZone(std::string_view name, std::string_view field = "time_zone");

    const std::string& name() const noexcept { return name_; }
    // UTC offset in seconds (local = utc + offset) in effect at the UTC second t. O(1) for
    // 1900-2200 (a bucket index into the transitions), a binary search outside.
    std::int32_t offset_at(std::int64_t t) const noexcept {
        const std::int64_t b = (t - kIndexStart) >> kBucketBits;
        if (b < 0 || b >= static_cast<std::int64_t>(bucket_.size())) return search(t);
        std::size_t i = bucket_[static_cast<std::size_t>(b)];
        while (i + 1 < starts_.size() && starts_[i + 1] <= t)
            ++i;
        return offsets_[i];
    }
    // Local seconds since 1970-01-01 00:00 local.
    std::int64_t to_local(std::int64_t t) const noexcept { return t + offset_at(t); }
    // The UTC second of a local time. Ambiguous local times (the repeated hour in autumn) give the
    // earlier instant; local times that do not exist (the skipped hour in spring) give the instant
    // of the transition, i.e. the first existing local time after them.
    std::int64_t to_utc(std::int64_t local) const noexcept;
    // Local calendar day number (days since 1970-01-01) of the UTC second t.
    std::int64_t local_day(std::int64_t t) const noexcept;
    // The UTC second at which local day `day` (days since 1970-01-01) starts.
    std::int64_t day_start(std::int64_t day) const noexcept { return to_utc(day * 86400); }
    // The UTC second of local time `seconds_of_day` on local day `day`.
    std::int64_t at_local(std::int64_t day, std::int64_t seconds_of_day) const noexcept {
        return to_utc(day * 86400 + seconds_of_day);
    }
    Date local_date(Instant t) const noexcept;
    // Same offsets as `other` for every instant from 2000 on (America/Detroit and New_York).
    bool same_rules_since_2000(const TimeZone& other) const noexcept;

private:
    static constexpr std::int64_t kIndexStart = -2208988800; // 1900-01-01T00:00:00Z
    static constexpr int kBucketBits = 20;                   // ~12 days per bucket
    std::int32_t search(std::int64_t t) const noexcept;
    void build(std::string_view field);
    std::string name_;
    std::vector<std::int64_t> starts_;  // UTC second each offset starts; starts_[0] = INT64_MIN
    std::vector<std::int32_t> offsets_; // offset in effect from starts_[i]
    std::vector<std::uint32_t> bucket_; // per 2^20 s from 1900: last transition at or before
};

// Shared, immutable zone tables (built once per name, thread-safe). Throws ValidationError for
// unknown names, naming `field`.
const TimeZone& find_time_zone(std::string_view name, std::string_view field = "time_zone");

// Floor division helpers used with local seconds.
inline std::int64_t floor_divide(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline std::int64_t floor_modulo(std::int64_t a, std::int64_t b) noexcept {
    return a - floor_divide(a, b) * b;
}

} // namespace arrears
