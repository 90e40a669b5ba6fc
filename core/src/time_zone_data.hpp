// Private: the raw time-zone tables (time_zone_data.cpp). Zones are space-separated IANA names.
#pragma once

#include <string_view>
#include <vector>

namespace arrears::detail {

struct StateRow {
    std::string_view state;
    std::string_view name;
    std::string_view zones;  // first: zone of ZIPs without an exception row
};
struct ZipRow {
    std::string_view state;
    std::string_view zip;  // 3 or 5 digits
    std::string_view zones;
    std::string_view note;
};
struct AreaCodeRow {
    std::string_view area_code;
    std::string_view state;
    std::string_view zones;
};

const std::vector<StateRow>& state_rows();
const std::vector<ZipRow>& zip_rows();
const std::vector<AreaCodeRow>& area_code_rows();

}  // namespace arrears::detail
