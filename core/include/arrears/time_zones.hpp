// The IANA time zones a debtor may be in, from an address (state, ZIP) and a phone area code.
//
// Reg F 1006.6(b)(1)(i) makes times before 8 a.m. and after 9 p.m. local time at the consumer's
// location inconvenient; when the collector's information places the consumer in more than one
// time zone, a call is allowed only when it is convenient in all of them
// (shared/reference/regulation-f.md §1.2). So every lookup answers with a LIST of zones: one zone
// when the data is unambiguous, several when a state, ZIP prefix or area code straddles zones.
//
// The tables (core/src/time_zone_data.cpp) were written from working knowledge of U.S. time-zone
// boundaries, ZIP prefixes and area codes, not from an authoritative data set. They are data for
// a compliance officer to review; time_zone_tables() exports them for that review.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace arrears {

// The zones of a U.S. state or territory (USPS code, upper case), narrowed by the ZIP code:
// a 5-digit exception, else a 3-digit-prefix exception, else the state's main zone; without a
// usable ZIP, every zone of the state. Unknown codes and the military codes AA/AE/AP give an
// empty list (no location known).
std::vector<std::string> time_zones_for_address(std::string_view state, std::string_view zip);
// The zones an area code serves ("212", or the first three digits of a NANP number); empty for
// non-geographic codes (toll-free 8xx, 500, 900 ...) and codes outside the table.
std::vector<std::string> time_zones_for_area_code(std::string_view area_code);
// The union of both lookups, sorted and without duplicates; empty inputs are skipped.
std::vector<std::string> possible_time_zones(std::string_view state, std::string_view zip,
                                             std::string_view area_code);
// True for the USPS codes of the 50 states, DC, the territories and the military codes.
bool is_us_state_code(std::string_view state) noexcept;

// The tables, row by row, for review and export.
struct StateZonesRow {
    std::string_view state;
    std::string_view name;
    std::vector<std::string_view> zones;  // zones[0] is the zone of ZIPs not listed as exceptions
};
struct ZipZonesRow {
    std::string_view state;
    std::string_view zip;  // 3-digit prefix or 5-digit ZIP
    std::vector<std::string_view> zones;
    std::string_view note;
};
struct AreaCodeZonesRow {
    std::string_view area_code;
    std::string_view state;
    std::vector<std::string_view> zones;
};
std::vector<StateZonesRow> state_time_zone_table();
std::vector<ZipZonesRow> zip_time_zone_table();
std::vector<AreaCodeZonesRow> area_code_time_zone_table();

}  // namespace arrears
