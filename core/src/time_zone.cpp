#include "arrears/time_zone.hpp"

#include "arrears/error.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <date/tz.h>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>

namespace arrears {

namespace {

using namespace std::chrono;

constexpr std::int64_t kTableStart = -2208988800; // 1900-01-01T00:00:00Z
constexpr int kLastYear = 2200;                   // tables are exact up to here

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    return sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count();
}

// ---- POSIX TZ strings (the TZif footer), e.g. "EST5EDT,M3.2.0,M11.1.0" ----------------------

struct PosixDate {
    char form = 'M'; // 'M' (Mm.w.d), 'J' (Jn, 1..365, no Feb 29) or 'N' (n, 0..365)
    int month = 0, week = 0, weekday = 0, day = 0;
    std::int64_t time = 7200; // seconds after local midnight (may be negative or > 24h)
};

struct PosixTz {
    std::int32_t std_offset = 0; // seconds east of UTC
    bool has_dst = false;
    std::int32_t dst_offset = 0;
    PosixDate start, end;
};

class PosixParser {
public:
    explicit PosixParser(std::string_view s) : s_(s) {}

    std::optional<PosixTz> parse() {
        PosixTz tz;
        if (!name()) return std::nullopt;
        std::int64_t off = 0;
        if (!hms(off, true)) return std::nullopt;
        tz.std_offset = static_cast<std::int32_t>(-off); // POSIX offsets are west-positive
        if (i_ == s_.size()) return tz;
        if (!name()) return std::nullopt;
        tz.has_dst = true;
        tz.dst_offset = tz.std_offset + 3600;
        if (i_ < s_.size() && s_[i_] != ',') {
            if (!hms(off, true)) return std::nullopt;
            tz.dst_offset = static_cast<std::int32_t>(-off);
        }
        if (i_ == s_.size()) {
            // No rule: POSIX leaves it implementation-defined; zic always writes one. Use the
            // historical U.S. default the way glibc does.
            tz.start = {'M', 3, 2, 0, 0, 7200};
            tz.end = {'M', 11, 1, 0, 0, 7200};
            return tz;
        }
        if (!eat(',') || !rule(tz.start) || !eat(',') || !rule(tz.end)) return std::nullopt;
        if (i_ != s_.size()) return std::nullopt;
        return tz;
    }

private:
    bool eat(char c) {
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    bool name() {
        if (eat('<')) {
            const auto close = s_.find('>', i_);
            if (close == std::string_view::npos) return false;
            i_ = close + 1;
            return true;
        }
        const std::size_t b = i_;
        while (i_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[i_])))
            ++i_;
        return i_ - b >= 3;
    }
    bool number(std::int64_t& v) {
        const std::size_t b = i_;
        v = 0;
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])) && i_ - b < 4)
            v = v * 10 + (s_[i_++] - '0');
        return i_ > b;
    }
    bool hms(std::int64_t& out, bool allow_sign) {
        int sign = 1;
        if (allow_sign) {
            if (eat('-'))
                sign = -1;
            else
                eat('+');
        }
        std::int64_t h = 0, m = 0, sec = 0;
        if (!number(h)) return false;
        if (eat(':')) {
            if (!number(m)) return false;
            if (eat(':') && !number(sec)) return false;
        }
        out = sign * (h * 3600 + m * 60 + sec);
        return true;
    }
    bool rule(PosixDate& d) {
        std::int64_t v = 0;
        if (eat('M')) {
            std::int64_t w = 0, wd = 0;
            if (!number(v) || !eat('.') || !number(w) || !eat('.') || !number(wd)) return false;
            if (v < 1 || v > 12 || w < 1 || w > 5 || wd > 6) return false;
            d.form = 'M';
            d.month = static_cast<int>(v);
            d.week = static_cast<int>(w);
            d.weekday = static_cast<int>(wd);
        } else if (eat('J')) {
            if (!number(v) || v < 1 || v > 365) return false;
            d.form = 'J';
            d.day = static_cast<int>(v);
        } else {
            if (!number(v) || v > 365) return false;
            d.form = 'N';
            d.day = static_cast<int>(v);
        }
        d.time = 7200;
        if (eat('/')) return hms(d.time, true);
        return true;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

// Local day number of a POSIX rule date in year y.
std::int64_t rule_day(const PosixDate& d, int y) {
    const bool leap = is_leap_year(y);
    switch (d.form) {
    case 'J': {
        int n = d.day; // 1..365, Feb 29 never counted
        if (leap && n >= 60) ++n;
        return days_from_civil(y, 1, 1) + n - 1;
    }
    case 'N':
        return days_from_civil(y, 1, 1) + d.day;
    default: {
        const std::int64_t first = days_from_civil(y, static_cast<unsigned>(d.month), 1);
        // 1970-01-01 was a Thursday (weekday 4).
        const std::int64_t wd_first = floor_modulo(first + 4, 7);
        std::int64_t day = first + floor_modulo(d.weekday - wd_first, 7) + 7 * (d.week - 1);
        const std::int64_t next_month =
            d.month == 12 ? days_from_civil(y + 1, 1, 1)
                          : days_from_civil(y, static_cast<unsigned>(d.month + 1), 1);
        while (day >= next_month)
            day -= 7; // week 5 = the last such weekday
        return day;
    }
    }
}

std::optional<PosixTz> read_footer(const std::string& zone_name) {
    const char* dir = std::getenv("TZDIR");
    const std::string path =
        std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + zone_name;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.size() < 6 || data.compare(0, 4, "TZif") != 0 || data[4] < '2' || data.back() != '\n')
        return std::nullopt;
    const auto open = data.rfind('\n', data.size() - 2);
    if (open == std::string::npos) return std::nullopt;
    const std::string footer = data.substr(open + 1, data.size() - open - 2);
    if (footer.empty()) return std::nullopt;
    return PosixParser(footer).parse();
}

} // namespace

namespace {
constexpr std::int64_t kBucketEnd = 7258118400; // 2200-01-01T00:00:00Z
} // namespace

TimeZone::TimeZone(std::string_view name, std::string_view field) : name_(name) {
    build(field);
    // Bucket index: for each 2^20-second bucket from 1900 to 2200, the last transition at or
    // before the bucket's start; offset_at then steps forward at most a few transitions.
    const std::int64_t buckets = ((kBucketEnd - kIndexStart) >> kBucketBits) + 1;
    bucket_.resize(static_cast<std::size_t>(buckets));
    std::size_t i = 0;
    for (std::int64_t b = 0; b < buckets; ++b) {
        const std::int64_t t = kIndexStart + (b << kBucketBits);
        while (i + 1 < starts_.size() && starts_[i + 1] <= t)
            ++i;
        bucket_[static_cast<std::size_t>(b)] = static_cast<std::uint32_t>(i);
    }
}

void TimeZone::build(std::string_view field) {
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(name_);
    } catch (const std::exception&) {
        throw ValidationError(std::string(field) + ": " + quote(name_) +
                              " is not an IANA time zone name (e.g. 'America/New_York')");
    }
    // Offsets from tzdata, up to the last transition the file stores.
    auto t = sys_seconds{seconds{kTableStart}};
    auto info = zone->get_info(t);
    starts_.push_back(INT64_MIN);
    offsets_.push_back(static_cast<std::int32_t>(info.offset.count()));
    const auto horizon = sys_seconds{seconds{days_from_civil(kLastYear, 1, 1) * 86400}};
    while (info.end < horizon) {
        t = info.end;
        info = zone->get_info(t);
        const auto off = static_cast<std::int32_t>(info.offset.count());
        if (off != offsets_.back()) {
            starts_.push_back(t.time_since_epoch().count());
            offsets_.push_back(off);
        }
    }
    const auto unbounded = sys_seconds{seconds{days_from_civil(9999, 1, 1) * 86400}};
    if (info.end < unbounded) return; // the file covers the whole horizon
    // Beyond the last stored transition: the POSIX TZ rule from the file's footer.
    const auto tz = read_footer(name_);
    if (!tz || !tz->has_dst) return;
    const std::int64_t last = info.begin.time_since_epoch().count();
    const int first_year = static_cast<int>(year_month_day{floor<days>(info.begin)}.year());
    std::vector<std::pair<std::int64_t, std::int32_t>> changes;
    for (int y = first_year; y <= kLastYear; ++y) {
        // DST starts at a local standard time, ends at a local daylight time.
        changes.emplace_back(rule_day(tz->start, y) * 86400 + tz->start.time - tz->std_offset,
                             tz->dst_offset);
        changes.emplace_back(rule_day(tz->end, y) * 86400 + tz->end.time - tz->dst_offset,
                             tz->std_offset);
    }
    std::sort(changes.begin(), changes.end());
    for (const auto& [when, off] : changes) {
        if (when <= last || off == offsets_.back()) continue;
        starts_.push_back(when);
        offsets_.push_back(off);
    }
}

std::int32_t TimeZone::search(std::int64_t t) const noexcept {
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
    return offsets_[static_cast<std::size_t>(it - starts_.begin()) - 1];
}

std::int64_t TimeZone::to_utc(std::int64_t local) const noexcept {
    // Transitions are far more than two days apart, so the offsets one day either side are the
    // only candidates.
    const std::int32_t before = offset_at(local - 86400);
    const std::int32_t after = offset_at(local + 86400);
    const std::int64_t t1 = local - before;
    const bool ok1 = offset_at(t1) == before;
    if (before == after) return t1;
    const std::int64_t t2 = local - after;
    const bool ok2 = offset_at(t2) == after;
    if (ok1 && ok2) return std::min(t1, t2);
    if (ok1) return t1;
    if (ok2) return t2;
    // A skipped local time: the transition instant.
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), std::min(t1, t2));
    return it == starts_.end() ? t1 : *it;
}

std::int64_t TimeZone::local_day(std::int64_t t) const noexcept {
    return floor_divide(to_local(t), 86400);
}

Date TimeZone::local_date(Instant t) const noexcept {
    return Date{sys_days{days{local_day(t.time_since_epoch().count())}}};
}

bool TimeZone::same_rules_since_2000(const TimeZone& other) const noexcept {
    constexpr std::int64_t y2000 = 946684800;
    if (offset_at(y2000) != other.offset_at(y2000)) return false;
    auto a = std::upper_bound(starts_.begin(), starts_.end(), y2000);
    auto b = std::upper_bound(other.starts_.begin(), other.starts_.end(), y2000);
    for (; a != starts_.end() && b != other.starts_.end(); ++a, ++b) {
        const auto ia = static_cast<std::size_t>(a - starts_.begin());
        const auto ib = static_cast<std::size_t>(b - other.starts_.begin());
        if (*a != *b || offsets_[ia] != other.offsets_[ib]) return false;
    }
    return a == starts_.end() && b == other.starts_.end();
}

const TimeZone& find_time_zone(std::string_view name, std::string_view field) {
    static std::shared_mutex mutex;
    static std::unordered_map<std::string, std::unique_ptr<TimeZone>> zones;
    const std::string key(name);
    {
        std::shared_lock lock(mutex);
        if (auto it = zones.find(key); it != zones.end()) return *it->second;
    }
    auto zone = std::make_unique<TimeZone>(name, field); // may throw; built outside the lock
    std::unique_lock lock(mutex);
    auto [it, inserted] = zones.emplace(key, std::move(zone));
    return *it->second;
}

} // namespace arrears
