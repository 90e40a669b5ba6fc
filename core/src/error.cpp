#include "arrears/error.hpp"

#include <cstdio>

#include "arrears/utf8.hpp"

namespace arrears {

std::string quote(std::string_view value) {
    constexpr std::size_t max_chars = 60;
    std::string out = "'";
    std::size_t n = 0;
    const auto escape = [&out](unsigned char b) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", b);
        out += buf;
    };
    for (std::size_t i = 0; i < value.size();) {
        if (n++ == max_chars) {
            out += "...";
            break;
        }
        const auto uc = static_cast<unsigned char>(value[i]);
        const std::size_t size = utf8_char_size(value, i);
        if (size == 0 || uc < 0x20 || uc == 0x7f) {
            escape(uc);  // a control character, or a byte that is not UTF-8 (Latin-1, binary)
            ++i;
            continue;
        }
        if (uc == '\'' || uc == '\\') out += '\\';
        out.append(value, i, size);  // a whole character: never cut inside one
        i += size;
    }
    out += "'";
    return out;
}

}  // namespace arrears
