// round(x · a / b) half-up for the per-period interest in the batch loop, without a 128-bit
// division: a double gives a candidate, two exact 128-bit products confirm it, and anything the
// candidate cannot settle goes to round_div. The result is always round_div's (tested in
// test_plans.cpp against round_div on random operands).
#pragma once

#include <cstdint>

#include "arrears/rounding.hpp"

namespace arrears::plans_detail {

// x >= 0, a >= 0, b > 0. `ab` is a / b as a double (precomputed by the caller).
inline std::int64_t interest_half_up(std::int64_t x, std::int64_t a, std::int64_t b, double ab) {
    const double estimate = static_cast<double>(x) * ab + 0.5;
    if (estimate < 9.0e18) {
        const auto q = static_cast<std::int64_t>(estimate);  // floor: estimate >= 0
        // half-up: q is right iff (2q - 1)·b <= 2·x·a < (2q + 1)·b
        const i128 twice = static_cast<i128>(x) * a * 2;
        const i128 lo = static_cast<i128>(2 * q - 1) * b;
        const i128 hi = static_cast<i128>(2 * q + 1) * b;
        if (lo <= twice && twice < hi) return q;
    }
    return round_div(static_cast<i128>(x) * a, b, RoundingMode::half_up);
}

}  // namespace arrears::plans_detail
