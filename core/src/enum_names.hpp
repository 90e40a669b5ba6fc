// Private helper: enum <-> name tables for the domain enums (names are the Python strings).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "arrears/error.hpp"

namespace arrears::detail {

template <class E, std::size_t N>
std::string_view enum_name(const std::array<std::string_view, N>& names, E value) noexcept {
    const auto i = static_cast<std::size_t>(value);
    return i < N ? names[i] : std::string_view("?");
}

template <std::size_t N>
std::string expected_list(const std::array<std::string_view, N>& names) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (i > 0) out += i + 1 == N ? " or " : ", ";
        out += names[i];
    }
    return out;
}

// Parses an exact name; otherwise "<field>: unknown <what> 'x' (expected a, b or c)".
template <class E, std::size_t N>
E parse_enum(const std::array<std::string_view, N>& names, std::string_view text,
             std::string_view field, std::string_view what) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == text) return static_cast<E>(i);
    throw ValidationError(std::string(field) + ": unknown " + std::string(what) + " " +
                          quote(text) + " (expected " + expected_list(names) + ")");
}

}  // namespace arrears::detail
