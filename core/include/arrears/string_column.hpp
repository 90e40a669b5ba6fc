// StringColumn: many strings as Arrow-style int64 offsets + one character buffer (8 bytes of
// offset per row plus the text), the layout Arrow calls large_utf8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arrears {

struct StringColumn {
    std::vector<std::int64_t> offsets{0};
    std::string chars;
    std::vector<std::uint8_t> valid;

    std::size_t size() const noexcept { return offsets.size() - 1; }
    std::string_view at(std::size_t i) const noexcept {
        return std::string_view(chars).substr(static_cast<std::size_t>(offsets[i]),
                                              static_cast<std::size_t>(offsets[i + 1] - offsets[i]));
    }
    bool is_valid(std::size_t i) const noexcept { return valid.empty() || valid[i] != 0; }
    void push_back(std::string_view s) {
        chars.append(s);
        offsets.push_back(static_cast<std::int64_t>(chars.size()));
    }
};

}  // namespace arrears
