#include "arrears/consumer.hpp"

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

std::vector<std::string> strings(const JsonView& v) {
    v.require_array();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i)
        out.push_back(v.at(i).as_string());
    return out;
}

} // namespace

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
        if (r.start == r.end || (r.start == 0 && r.end == 86400) ||
            (r.start == 86400 && r.end == 0))
            throw ValidationError(field + ": (" + format_local_time(r.start) + ", " +
                                  format_local_time(r.end) +
                                  ") is empty or the whole day; block the channel with opted_out "
                                  "or use cease instead");
    }
}

Json Consumer::to_json() const {
    Json ranges = Json::array();
    for (const auto& r : d_.inconvenient)
        ranges.push_back(Json::array({format_local_time(r.start), format_local_time(r.end)}));
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
            if (e.size() != 2) e.fail("expected [start, end], two local times");
            in.inconvenient.push_back({parse_local_time(e.at(0).as_string(), e.at(0).path()),
                                       parse_local_time(e.at(1).as_string(), e.at(1).path())});
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
                   format_local_time(d_.inconvenient[i].end) + "')";
        out += d_.inconvenient.size() == 1 ? ",)" : ")";
    }
    if (d_.attorney) out += ", attorney=True";
    if (d_.bankruptcy) out += ", bankruptcy=True";
    if (d_.deceased) out += ", deceased=True";
    if (!d_.time_barred.empty()) out += ", time_barred=" + list(d_.time_barred);
    return out + ")";
}

} // namespace arrears
