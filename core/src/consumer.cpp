#include "arrears/consumer.hpp"

#include "arrears/debtor.hpp"
#include "arrears/error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace arrears {

namespace {

constexpr std::array<std::string_view, 56> kStates{
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
    "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
    "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
    "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP"};

void sort_ids(std::vector<std::string>& ids, const char* field) {
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (ids[i].empty())
            throw ValidationError(std::string(field) + "[" + std::to_string(i) +
                                  "]: a debt id must not be empty");
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

constexpr std::array<std::string_view, 7> kDayNames{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};

std::string weekday_list(const LocalTimeRange& r) {
    if (r.weekdays == LocalTimeRange::kEveryDay) return "";
    std::string out = ", (";
    int n = 0;
    for (int w = 0; w < 7; ++w)
        if (r.weekdays & (1u << w))
            out += (n++ ? ", '" : "'") + std::string(kDayNames[static_cast<std::size_t>(w)]) + "'";
    return out + (n == 1 ? ",)" : ")");
}

std::vector<std::string> strings(const JsonView& v) {
    v.require_array();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i)
        out.push_back(v.at(i).as_string());
    return out;
}

} // namespace

std::string_view weekday_name(int weekday) {
    return kDayNames[static_cast<std::size_t>(((weekday % 7) + 7) % 7)];
}

int parse_weekday(std::string_view name, std::string_view field) {
    for (std::size_t i = 0; i < kDayNames.size(); ++i)
        if (kDayNames[i] == name) return static_cast<int>(i);
    throw ValidationError(std::string(field) + ": " + quote(name) +
                          " is not a day (mon, tue, wed, thu, fri, sat, sun)");
}

std::int32_t parse_local_time(std::string_view text, std::string_view field) {
    auto bad = [&]() -> ValidationError {
        return ValidationError(std::string(field) + ": " + quote(text) +
                               " is not a local time HH:MM or HH:MM:SS (00:00 to 24:00)");
    };
    auto two = [&](std::size_t at) -> int {
        if (at + 2 > text.size() || !std::isdigit(static_cast<unsigned char>(text[at])) ||
            !std::isdigit(static_cast<unsigned char>(text[at + 1])))
            throw bad();
        return (text[at] - '0') * 10 + (text[at + 1] - '0');
    };
    if (text.size() != 5 && text.size() != 8) throw bad();
    const int h = two(0);
    if (text[2] != ':') throw bad();
    const int m = two(3);
    int s = 0;
    if (text.size() == 8) {
        if (text[5] != ':') throw bad();
        s = two(6);
    }
    if (m > 59 || s > 59 || h > 24 || (h == 24 && (m || s))) throw bad();
    return h * 3600 + m * 60 + s;
}

std::string format_local_time(std::int64_t seconds_of_day) {
    const auto h = seconds_of_day / 3600, m = seconds_of_day / 60 % 60, s = seconds_of_day % 60;
    char buf[16];
    if (s)
        std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(h), static_cast<int>(m),
                      static_cast<int>(s));
    else
        std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(h), static_cast<int>(m));
    return buf;
}

std::string parse_state_code(std::string_view code, std::string_view field) {
    std::string up(code);
    for (auto& c : up)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (std::find(kStates.begin(), kStates.end(), up) == kStates.end())
        throw ValidationError(std::string(field) + ": " + quote(code) +
                              " is not a U.S. state, DC or territory code (e.g. 'MA')");
    return up;
}

Consumer::Consumer(Init init) : d_(std::move(init)) {
    if (d_.id.empty()) throw ValidationError("id: a consumer id must not be empty");
    std::vector<std::string> zones;
    for (std::size_t i = 0; i < d_.time_zones.size(); ++i) {
        const std::string field = "time_zones[" + std::to_string(i) + "]";
        const TimeZone& z = find_time_zone(d_.time_zones[i], field);
        if (std::find(zones.begin(), zones.end(), z.name()) != zones.end()) continue;
        zones.push_back(z.name());
        zones_.push_back(&z);
    }
    d_.time_zones = std::move(zones);
    if (d_.state) d_.state = parse_state_code(*d_.state);
    sort_ids(d_.cease, "cease");
    sort_ids(d_.disputed, "disputed");
    sort_ids(d_.time_barred, "time_barred");
    if (d_.opted_out >> kChannelCount)
        throw ValidationError("opted_out: unknown channel bits " + std::to_string(d_.opted_out));
    for (std::size_t i = 0; i < d_.inconvenient.size(); ++i) {
        const auto& r = d_.inconvenient[i];
        const std::string field = "inconvenient[" + std::to_string(i) + "]";
        if (r.start < 0 || r.start > 86400 || r.end < 0 || r.end > 86400)
            throw ValidationError(field + ": times must be within 00:00..24:00");
        if (r.start == r.end || r.start == 86400)
            throw ValidationError(field + ": (" + format_local_time(r.start) + ", " +
                                  format_local_time(r.end) +
                                  ") is empty; the whole day is (00:00, 24:00)");
        if ((r.weekdays & LocalTimeRange::kEveryDay) == 0 || (r.weekdays >> 7))
            throw ValidationError(field + ": the weekdays name no day");

    }
}

Consumer Consumer::from_debtor(const Debtor& debtor, Instant as_of,
                               std::vector<std::string> disputed,
                               std::vector<std::string> time_barred) {
    const Date day = Date{std::chrono::floor<std::chrono::days>(as_of)};
    Init in;
    in.id = debtor.id;
    in.time_zones = debtor.possible_time_zones();
    // The state of the best mailing address (else the first address not known to be bad).
    const Address* where = nullptr;
    if (const auto best = debtor.best_contact_point(Channel::mail, as_of))
        where = &debtor.addresses[*best];
    for (const auto& a : debtor.addresses)
        if (!where && a.status != ContactStatus::bad) where = &a;
    if (where && !where->state.empty()) {
        try {
            in.state = parse_state_code(where->state);
        } catch (const ValidationError&) {
            // Military (AA, AE, AP) and other codes carry no state overlay: leave it unknown.
        }
    }
    for (const auto& c : debtor.cease_communications)
        if (c.active_on(day)) in.cease.push_back(c.account_id);
    for (const auto& o : debtor.opt_outs) {
        if (!o.active_at(as_of) || !o.contact_point_id.empty()) continue;
        switch (o.channel) {
            case Channel::call: in.opted_out |= channel_bit(ContactChannel::call); break;
            case Channel::text: in.opted_out |= channel_bit(ContactChannel::text); break;
            case Channel::email: in.opted_out |= channel_bit(ContactChannel::email); break;
            case Channel::mail: in.opted_out |= channel_bit(ContactChannel::letter); break;
        }
    }
    for (const auto& t : debtor.inconvenient_times) {
        if (!t.active_on(day) || (t.weekdays & LocalTimeRange::kEveryDay) == 0) continue;
        LocalTimeRange r{t.start_minute * 60, t.end_minute * 60,
                         static_cast<std::uint8_t>(t.weekdays & LocalTimeRange::kEveryDay)};
        if (t.start_minute == t.end_minute) {  // the whole of each listed day
            r.start = 0;
            r.end = 86400;
        }
        in.inconvenient.push_back(r);
    }
    in.attorney = debtor.attorney_represented(day);
    in.bankruptcy = debtor.open_bankruptcy(day) != nullptr;
    in.deceased = debtor.is_deceased();
    in.disputed = std::move(disputed);
    in.time_barred = std::move(time_barred);
    return Consumer(std::move(in));
}

Json Consumer::to_json() const {
    Json ranges = Json::array();
    for (const auto& r : d_.inconvenient) {
        Json one = Json::array({format_local_time(r.start), format_local_time(r.end)});
        if (r.weekdays != LocalTimeRange::kEveryDay) {
            Json days = Json::array();
            for (int w = 0; w < 7; ++w)
                if (r.weekdays & (1u << w)) days.push_back(std::string(weekday_name(w)));
            one.push_back(days);
        }
        ranges.push_back(one);
    }
    return Json{{"id", d_.id},
                {"time_zones", d_.time_zones},
                {"state", d_.state ? Json(*d_.state) : Json(nullptr)},
                {"cease", d_.cease},
                {"disputed", d_.disputed},
                {"opted_out", channel_names(d_.opted_out)},
                {"inconvenient", ranges},
                {"attorney", d_.attorney},
                {"bankruptcy", d_.bankruptcy},
                {"deceased", d_.deceased},
                {"time_barred", d_.time_barred}};
}

Consumer Consumer::from_json(const JsonView& v) {
    v.require_object();
    v.check_keys({"id", "time_zones", "state", "cease", "disputed", "opted_out", "inconvenient",
                  "attorney", "bankruptcy", "deceased", "time_barred"});
    Init in;
    in.id = v.at("id").as_string();
    if (auto z = v.find("time_zones")) in.time_zones = strings(*z);
    if (auto s = v.find("state")) in.state = s->as_string();
    if (auto c = v.find("cease")) in.cease = strings(*c);
    if (auto c = v.find("disputed")) in.disputed = strings(*c);
    if (auto c = v.find("time_barred")) in.time_barred = strings(*c);
    if (auto c = v.find("opted_out")) in.opted_out = parse_channel_set(strings(*c), c->path());
    if (auto r = v.find("inconvenient")) {
        r->require_array();
        for (std::size_t i = 0; i < r->size(); ++i) {
            const JsonView e = r->at(i);
            e.require_array();
            if (e.size() != 2 && e.size() != 3)
                e.fail("expected [start, end] or [start, end, [day names such as \"sat\"]]");
            LocalTimeRange range{parse_local_time(e.at(0).as_string(), e.at(0).path()),
                                 parse_local_time(e.at(1).as_string(), e.at(1).path())};
            if (e.size() == 3) {
                const JsonView days = e.at(2);
                days.require_array();
                range.weekdays = 0;
                for (std::size_t k = 0; k < days.size(); ++k) {
                    const JsonView day = days.at(k);
                    const int w = parse_weekday(day.as_string(), day.path());
                    range.weekdays = static_cast<std::uint8_t>(range.weekdays | (1u << w));
                }
            }
            in.inconvenient.push_back(range);
        }
    }
    if (auto b = v.find("attorney")) in.attorney = b->as_bool();
    if (auto b = v.find("bankruptcy")) in.bankruptcy = b->as_bool();
    if (auto b = v.find("deceased")) in.deceased = b->as_bool();
    try {
        return Consumer(std::move(in));
    } catch (const ValidationError& e) {
        const std::string what = e.what();
        if (what.rfind("$", 0) == 0) throw;
        throw ValidationError(v.path() + "." + what);
    }
}

std::string Consumer::repr() const {
    std::string out = "Consumer(" + quote(d_.id);
    auto list = [](const std::vector<std::string>& v) {
        std::string s = "(";
        for (std::size_t i = 0; i < v.size(); ++i)
            s += (i ? ", " : "") + quote(v[i]);
        return s + (v.size() == 1 ? ",)" : ")");
    };
    if (!d_.time_zones.empty()) out += ", time_zones=" + list(d_.time_zones);
    if (d_.state) out += ", state=" + quote(*d_.state);
    if (!d_.cease.empty()) out += ", cease=" + list(d_.cease);
    if (!d_.disputed.empty()) out += ", disputed=" + list(d_.disputed);
    if (d_.opted_out) out += ", opted_out=" + list(channel_names(d_.opted_out));
    if (!d_.inconvenient.empty()) {
        out += ", inconvenient=(";
        for (std::size_t i = 0; i < d_.inconvenient.size(); ++i)
            out += (i ? ", ('" : "('") + format_local_time(d_.inconvenient[i].start) + "', '" +
                   format_local_time(d_.inconvenient[i].end) + "'" + weekday_list(d_.inconvenient[i]) +
                   ")";
        out += d_.inconvenient.size() == 1 ? ",)" : ")";
    }
    if (d_.attorney) out += ", attorney=True";
    if (d_.bankruptcy) out += ", bankruptcy=True";
    if (d_.deceased) out += ", deceased=True";
    if (!d_.time_barred.empty()) out += ", time_barred=" + list(d_.time_barred);
    return out + ")";
}

} // namespace arrears
