// Rational: an exact fraction num/den (den > 0), the form rates and factors take in the core
// ("0.1299" is 1299/10000). Never a binary float.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "arrears/rounding.hpp"

namespace arrears {

struct Rational {
    std::int64_t num = 0;
    std::int64_t den = 1;

    // Reduced form with den > 0. Throws ValidationError when den == 0.
    static Rational of(std::int64_t num, std::int64_t den);
    // Parses a plain decimal ("0.12", "-3", "12.5"); throws ValidationError naming `field`.
    static Rational parse(std::string_view text, std::string_view field = "value");

    bool is_zero() const noexcept { return num == 0; }
    bool is_negative() const noexcept { return num < 0; }
    // Exact decimal text when den is a power of ten times 2^a 5^b, else "num/den".
    std::string to_string() const;

    friend bool operator==(const Rational& a, const Rational& b) noexcept {
        return static_cast<i128>(a.num) * b.den == static_cast<i128>(b.num) * a.den;
    }
    friend std::strong_ordering operator<=>(const Rational& a, const Rational& b) noexcept {
        return static_cast<i128>(a.num) * b.den <=> static_cast<i128>(b.num) * a.den;
    }
};

}  // namespace arrears
