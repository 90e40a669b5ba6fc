// UTF-8 checks for text that comes from outside (files, Python bytes, a database) before it is
// put into a message or handed back to Python, where invalid UTF-8 cannot become a str.
#pragma once

#include <cstddef>
#include <string_view>

namespace arrears {

// Length in bytes of the well-formed UTF-8 character starting at s[i] (1 to 4), or 0 when the
// bytes there are not one (a stray continuation byte, a truncated sequence, an overlong form, a
// surrogate or a code point above U+10FFFF; RFC 3629).
std::size_t utf8_char_size(std::string_view s, std::size_t i) noexcept;

// Length of the valid UTF-8 prefix of s (== s.size() when all of it is valid): the offset of the
// first byte that does not start a well-formed character.
std::size_t valid_utf8_prefix(std::string_view s) noexcept;

inline bool is_valid_utf8(std::string_view s) noexcept { return valid_utf8_prefix(s) == s.size(); }

}  // namespace arrears
