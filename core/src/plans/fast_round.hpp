// round(x · a / b) half-up for the per-period interest, without a 128-bit division: a double
// estimate decides unless it lies within its error bound of a rounding boundary, and then
// round_div decides. The result is always round_div's (tested in test_plans.cpp against
// round_div on random operands, boundaries included).
#pragma once

#include <cstdint>

#include "arrears/rounding.hpp"

namespace arrears::plans_detail {

// x >= 0, a >= 0, b > 0. `ab` is a / b as a double (precomputed by the caller).
//
// e = x·ab + 1/2 differs from the exact x·a/b + 1/2 by at most x·(a/b)·2^-51 + 2^-52 (x exact
// below 2^53, ab and the product each within half an ulp). When the fraction of e is farther
// than tol = e·2^-50 + 2^-50 (more than that bound) from 0 and from 1, floor(e) is the exact
// half-up result.
inline std::int64_t interest_half_up(std::int64_t x, std::int64_t a, std::int64_t b, double ab) {
    constexpr double k2m50 = 1.0 / 1125899906842624.0;  // 2^-50
    if (x < (std::int64_t{1} << 53)) {
        const double e = static_cast<double>(x) * ab + 0.5;
        if (e < 4.0e15) {
            const auto q = static_cast<std::int64_t>(e);  // floor: e > 0
            const double frac = e - static_cast<double>(q);
            const double tol = (e + 1.0) * k2m50;
            if (frac > tol && frac < 1.0 - tol) return q;
        }
    }
    return round_div(static_cast<i128>(x) * a, b, RoundingMode::half_up);
}

}  // namespace arrears::plans_detail
