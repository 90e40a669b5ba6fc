#include "arrears/error.hpp"

#include <cstdio>

namespace arrears {

std::string quote(std::string_view value) {
    constexpr std::size_t max_chars = 60;
    std::string out = "'";
    std::size_t n = 0;
    for (char c : value) {
        if (n++ == max_chars) {
            out += "...";
            break;
        }
        auto uc = static_cast<unsigned char>(c);
        if (c == '\'' || c == '\\') {
            out += '\\';
            out += c;
        } else if (uc < 0x20 || uc == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", uc);
            out += buf;
        } else {
            out += c;
        }
    }
    out += "'";
    return out;
}

}  // namespace arrears
