#include "plans/bigint.hpp"

#include <algorithm>
#include <limits>

#include "arrears/error.hpp"

namespace arrears::plans_detail {

BigUint::BigUint(u128 v) {
    while (v != 0) {
        limbs_.push_back(static_cast<std::uint32_t>(v & 0xffffffffu));
        v >>= 32;
    }
}

void BigUint::trim() noexcept {
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
}

std::size_t BigUint::bit_length() const noexcept {
    if (limbs_.empty()) return 0;
    const std::uint32_t top = limbs_.back();
    return (limbs_.size() - 1) * 32 + static_cast<std::size_t>(32 - __builtin_clz(top));
}

BigUint operator*(const BigUint& a, const BigUint& b) {
    BigUint r;
    if (a.is_zero() || b.is_zero()) return r;
    r.limbs_.assign(a.limbs_.size() + b.limbs_.size(), 0);
    for (std::size_t i = 0; i < a.limbs_.size(); ++i) {
        std::uint64_t carry = 0;
        const std::uint64_t ai = a.limbs_[i];
        for (std::size_t j = 0; j < b.limbs_.size(); ++j) {
            const std::uint64_t cur = ai * b.limbs_[j] + r.limbs_[i + j] + carry;
            r.limbs_[i + j] = static_cast<std::uint32_t>(cur);
            carry = cur >> 32;
        }
        std::size_t k = i + b.limbs_.size();
        while (carry != 0) {
            const std::uint64_t cur = static_cast<std::uint64_t>(r.limbs_[k]) + carry;
            r.limbs_[k] = static_cast<std::uint32_t>(cur);
            carry = cur >> 32;
            ++k;
        }
    }
    r.trim();
    return r;
}

BigUint operator+(const BigUint& a, const BigUint& b) {
    const BigUint& big = a.limbs_.size() >= b.limbs_.size() ? a : b;
    const BigUint& small = a.limbs_.size() >= b.limbs_.size() ? b : a;
    BigUint r = big;
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < r.limbs_.size(); ++i) {
        const std::uint64_t cur = static_cast<std::uint64_t>(r.limbs_[i]) +
                                  (i < small.limbs_.size() ? small.limbs_[i] : 0u) + carry;
        r.limbs_[i] = static_cast<std::uint32_t>(cur);
        carry = cur >> 32;
        if (carry == 0 && i >= small.limbs_.size()) break;
    }
    if (carry != 0) r.limbs_.push_back(static_cast<std::uint32_t>(carry));
    return r;
}

BigUint operator-(const BigUint& a, const BigUint& b) {
    if (a < b) throw Error("BigUint: negative difference");
    BigUint r = a;
    std::int64_t borrow = 0;
    for (std::size_t i = 0; i < r.limbs_.size(); ++i) {
        std::int64_t cur = static_cast<std::int64_t>(r.limbs_[i]) - borrow -
                           (i < b.limbs_.size() ? static_cast<std::int64_t>(b.limbs_[i]) : 0);
        borrow = 0;
        if (cur < 0) {
            cur += static_cast<std::int64_t>(1) << 32;
            borrow = 1;
        }
        r.limbs_[i] = static_cast<std::uint32_t>(cur);
        if (borrow == 0 && i >= b.limbs_.size()) break;
    }
    r.trim();
    return r;
}

BigUint BigUint::mul_small(std::uint64_t m) const {
    return *this * BigUint(static_cast<u128>(m));
}

BigUint BigUint::pow(unsigned n) const {
    BigUint result(1);
    BigUint base = *this;
    while (n != 0) {
        if (n & 1u) result = result * base;
        n >>= 1;
        if (n != 0) base = base * base;
    }
    return result;
}

std::strong_ordering operator<=>(const BigUint& a, const BigUint& b) noexcept {
    if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() <=> b.limbs_.size();
    for (std::size_t i = a.limbs_.size(); i-- > 0;)
        if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] <=> b.limbs_[i];
    return std::strong_ordering::equal;
}

std::int64_t round_quotient(const BigUint& num, const BigUint& den, RoundingMode mode) {
    if (den.is_zero()) throw ValidationError("round_quotient: division by zero");
    // floor(num / den) by binary search over the quotient's bits (at most 63 of them).
    if (num.bit_length() > den.bit_length() + 63)
        throw OverflowError("round_quotient: the result does not fit in 64 bits");
    std::uint64_t q = 0;
    for (int bit = 63; bit-- > 0;) {
        const std::uint64_t trial = q | (std::uint64_t{1} << bit);
        if (den.mul_small(trial) <= num) q = trial;
    }
    if (den.mul_small(q + 1) <= num)  // q == 2^63 - 1 and still too small
        throw OverflowError("round_quotient: the result does not fit in 64 bits");
    const BigUint rem = num - den.mul_small(q);
    if (rem.is_zero()) return static_cast<std::int64_t>(q);
    bool up = false;
    const auto twice = rem.mul_small(2) <=> den;
    switch (mode) {
        case RoundingMode::down:
        case RoundingMode::floor: up = false; break;
        case RoundingMode::up:
        case RoundingMode::ceiling: up = true; break;
        case RoundingMode::half_up: up = twice >= 0; break;
        case RoundingMode::half_down: up = twice > 0; break;
        case RoundingMode::half_even: up = twice > 0 || (twice == 0 && (q % 2 != 0)); break;
    }
    if (up) {
        if (q == static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw OverflowError("round_quotient: the result does not fit in 64 bits");
        ++q;
    }
    return static_cast<std::int64_t>(q);
}

}  // namespace arrears::plans_detail
