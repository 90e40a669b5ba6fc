#include "arrears/time_zones.hpp"

#include <algorithm>
#include <cctype>

#include "time_zone_data.hpp"

namespace arrears {

namespace {

std::vector<std::string_view> split(std::string_view zones) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start < zones.size()) {
        std::size_t end = zones.find(' ', start);
        if (end == std::string_view::npos) end = zones.size();
        if (end > start) out.push_back(zones.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::vector<std::string> to_strings(std::string_view zones) {
    std::vector<std::string> out;
    for (auto z : split(zones)) out.emplace_back(z);
    return out;
}

const detail::StateRow* find_state(std::string_view state) {
    for (const auto& row : detail::state_rows())
        if (row.state == state) return &row;
    return nullptr;
}

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

bool is_us_state_code(std::string_view state) noexcept { return find_state(state) != nullptr; }

std::vector<std::string> time_zones_for_address(std::string_view state, std::string_view zip) {
    const detail::StateRow* row = find_state(state);
    if (row == nullptr) return {};
    const std::string_view zip5 = zip.substr(0, std::min<std::size_t>(zip.size(), 5));
    if (zip5.size() == 5 && all_digits(zip5)) {
        const std::string_view zip3 = zip5.substr(0, 3);
        const detail::ZipRow* prefix = nullptr;
        for (const auto& z : detail::zip_rows()) {
            if (z.state != state) continue;
            if (z.zip == zip5) return to_strings(z.zones);
            if (z.zip == zip3) prefix = &z;
        }
        if (prefix != nullptr) return to_strings(prefix->zones);
        const auto zones = split(row->zones);
        if (zones.empty()) return {};
        return {std::string(zones.front())};
    }
    return to_strings(row->zones);
}

std::vector<std::string> time_zones_for_area_code(std::string_view area_code) {
    for (const auto& row : detail::area_code_rows())
        if (row.area_code == area_code) return to_strings(row.zones);
    return {};
}

std::vector<std::string> possible_time_zones(std::string_view state, std::string_view zip,
                                             std::string_view area_code) {
    std::vector<std::string> out;
    if (!state.empty()) out = time_zones_for_address(state, zip);
    if (!area_code.empty())
        for (auto& z : time_zones_for_area_code(area_code)) out.push_back(std::move(z));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<StateZonesRow> state_time_zone_table() {
    std::vector<StateZonesRow> out;
    for (const auto& r : detail::state_rows()) out.push_back({r.state, r.name, split(r.zones)});
    return out;
}

std::vector<ZipZonesRow> zip_time_zone_table() {
    std::vector<ZipZonesRow> out;
    for (const auto& r : detail::zip_rows()) out.push_back({r.state, r.zip, split(r.zones), r.note});
    return out;
}

std::vector<AreaCodeZonesRow> area_code_time_zone_table() {
    std::vector<AreaCodeZonesRow> out;
    for (const auto& r : detail::area_code_rows())
        out.push_back({r.area_code, r.state, split(r.zones)});
    return out;
}

}  // namespace arrears
