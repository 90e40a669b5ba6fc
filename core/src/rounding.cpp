#include "arrears/rounding.hpp"

#include <array>
#include <limits>
#include <string>
#include <utility>

#include "arrears/error.hpp"

namespace arrears {
namespace {

constexpr std::array<std::pair<std::string_view, RoundingMode>, 7> kModes{{
    {"half_even", RoundingMode::half_even},
    {"half_up", RoundingMode::half_up},
    {"half_down", RoundingMode::half_down},
    {"down", RoundingMode::down},
    {"up", RoundingMode::up},
    {"floor", RoundingMode::floor},
    {"ceiling", RoundingMode::ceiling},
}};

}  // namespace

std::int64_t round_div(i128 num, i128 den, RoundingMode mode) {
    if (den == 0) throw ValidationError("round_div: division by zero");
    if (den < 0) {
        num = -num;
        den = -den;
    }
    i128 q = num / den;  // truncated toward zero
    i128 r = num % den;  // same sign as num
    if (r != 0) {
        const int sign = num < 0 ? -1 : 1;
        const i128 twice = (r < 0 ? -r : r) * 2;
        bool away = false;  // away from zero
        switch (mode) {
            case RoundingMode::down: away = false; break;
            case RoundingMode::up: away = true; break;
            case RoundingMode::floor: away = sign < 0; break;
            case RoundingMode::ceiling: away = sign > 0; break;
            case RoundingMode::half_up: away = twice >= den; break;
            case RoundingMode::half_down: away = twice > den; break;
            case RoundingMode::half_even:
                away = twice > den || (twice == den && (q % 2 != 0));
                break;
        }
        if (away) q += sign;
    }
    if (q > std::numeric_limits<std::int64_t>::max() || q < std::numeric_limits<std::int64_t>::min())
        throw OverflowError("round_div: the result does not fit in 64 bits");
    return static_cast<std::int64_t>(q);
}

RoundingMode parse_rounding_mode(std::string_view name, std::string_view field) {
    for (const auto& [text, mode] : kModes)
        if (text == name) return mode;
    throw ValidationError(std::string(field) + ": unknown rounding mode " + quote(name) +
                          " (expected half_even, half_up, half_down, down, up, floor or ceiling)");
}

std::string_view to_string(RoundingMode mode) noexcept {
    for (const auto& [text, m] : kModes)
        if (m == mode) return text;
    return "half_even";
}

}  // namespace arrears
