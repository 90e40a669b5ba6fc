// A small unsigned arbitrary-precision integer, private to the plans area. It exists for one job:
// the exact level payment PMT = P·r / (1 − (1+r)^−n) with r = a/b, whose numerator and
// denominator ((a+b)^n, b^n) outgrow 128 bits after a dozen periods. Only the operations that
// job needs: products, differences, comparisons and an exact rounded quotient.
#pragma once

#include <compare>
#include <cstdint>
#include <vector>

#include "arrears/rounding.hpp"

namespace arrears::plans_detail {

class BigUint {
public:
    BigUint() = default;
    explicit BigUint(u128 v);

    bool is_zero() const noexcept { return limbs_.empty(); }
    std::size_t bit_length() const noexcept;

    friend BigUint operator*(const BigUint& a, const BigUint& b);
    friend BigUint operator+(const BigUint& a, const BigUint& b);
    // a - b; requires a >= b.
    friend BigUint operator-(const BigUint& a, const BigUint& b);
    BigUint mul_small(std::uint64_t m) const;
    BigUint pow(unsigned n) const;

    friend std::strong_ordering operator<=>(const BigUint& a, const BigUint& b) noexcept;
    friend bool operator==(const BigUint& a, const BigUint& b) noexcept = default;

private:
    void trim() noexcept;
    std::vector<std::uint32_t> limbs_;  // little-endian base 2^32, no leading zero limbs
};

// num / den rounded with `mode` (both non-negative, den > 0); the quotient must fit in int64,
// else OverflowError. Exact: no floating point anywhere.
std::int64_t round_quotient(const BigUint& num, const BigUint& den, RoundingMode mode);

}  // namespace arrears::plans_detail
