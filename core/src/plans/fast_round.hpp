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

namespace arrears::plans_detail {

// round(x · a / b) half-up in integers only, for a divisor b fixed over many calls (the periodic
// rate's denominator): floor((2·x·a + b) / (2·b)) with the division replaced by a multiplication
// (Granlund & Montgomery, "Division by invariant integers using multiplication", 1994, Thm 4.2:
// with l = ceil(log2 d) and m = ceil(2^(N+l) / d), floor(n / d) = floor(n·m / 2^(N+l)) for every
// 0 <= n < 2^N; here N = 62, so m < 2^63 and n·m fits in 128 bits). Numerators that do not fit
// go to round_div. Exact either way.
class HalfUpDivider {
public:
    explicit HalfUpDivider(std::int64_t b) : b_(b) {
        const auto d = static_cast<std::uint64_t>(b) * 2;
        const unsigned l = d <= 1 ? 0u : static_cast<unsigned>(64 - __builtin_clzll(d - 1));
        shift_ = kN + l;
        m_ = static_cast<std::uint64_t>(((static_cast<u128>(1) << shift_) + d - 1) / d);
    }

    // x >= 0, a >= 0.
    std::int64_t operator()(std::int64_t x, std::int64_t a) const {
        const u128 n = static_cast<u128>(x) * static_cast<u128>(a) * 2 + static_cast<u128>(b_);
        if (x >= 0 && n < (static_cast<u128>(1) << kN))
            return static_cast<std::int64_t>((n * m_) >> shift_);
        return round_div(static_cast<i128>(x) * a, b_, RoundingMode::half_up);
    }

private:
    static constexpr unsigned kN = 62;
    std::int64_t b_;
    std::uint64_t m_ = 0;
    unsigned shift_ = 0;
};

}  // namespace arrears::plans_detail
