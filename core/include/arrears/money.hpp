// Money: an exact amount in integer minor units of one ISO 4217 currency. Never a float.
// Arithmetic is checked: mixing currencies or overflowing int64 throws, it never wraps.
#pragma once

#include <compare>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/currency.hpp"
#include "arrears/rational.hpp"
#include "arrears/rounding.hpp"

namespace arrears {

class Money {
public:
    constexpr Money() noexcept = default;  // 0.00 USD
    constexpr Money(std::int64_t minor, Currency currency) noexcept
        : minor_(minor), currency_(currency) {}

    static Money from_minor(std::int64_t minor, Currency currency = {}) noexcept {
        return Money(minor, currency);
    }
    // Whole units: from_units(12, USD) is 12.00. Throws OverflowError when it does not fit.
    static Money from_units(std::int64_t units, Currency currency = {});
    // Exact decimal text ("1234.56", "-0.5", "12"); more decimal places than the currency has
    // (other than trailing zeros) is a ValidationError, as is anything that is not a plain
    // decimal number. `field` names the input in error messages.
    static Money parse(std::string_view text, Currency currency = {},
                       std::string_view field = "amount");

    std::int64_t minor() const noexcept { return minor_; }
    Currency currency() const noexcept { return currency_; }
    bool is_zero() const noexcept { return minor_ == 0; }
    bool is_negative() const noexcept { return minor_ < 0; }
    bool is_positive() const noexcept { return minor_ > 0; }

    // Plain decimal text with exactly exponent() decimals: "-1234.50" (what Decimal() reads).
    std::string amount_string() const;
    // Display form: "$1,234.56", "-$1,234.56", "¥1,235", "CHF 1,234.56". locale: en_US or es_US.
    std::string format(std::string_view locale = "en_US") const;
    // Debug form: Money('1234.56', 'USD').
    std::string repr() const;

    Money operator-() const;
    Money abs() const;
    Money& operator+=(const Money& other);
    Money& operator-=(const Money& other);
    friend Money operator+(Money a, const Money& b) { return a += b; }
    friend Money operator-(Money a, const Money& b) { return a -= b; }
    friend Money operator*(const Money& a, std::int64_t factor);
    friend Money operator*(std::int64_t factor, const Money& a) { return a * factor; }

    // Exact product with a rational factor, rounded once with `mode`.
    Money multiply(const Rational& factor, RoundingMode mode) const;
    // Round to `places` decimal places (0 <= places <= exponent): round(0, half_up) of 12.50 USD
    // is 13.00 USD. The result keeps the currency's minor units.
    Money round(int places, RoundingMode mode) const;

    // Split into n parts that sum exactly to *this; the leftover minor units go one each to the
    // first parts ("first come"). Negative amounts split the same way with the sign carried.
    std::vector<Money> allocate(std::size_t n) const;
    // Split in proportion to non-negative integer weights (at least one positive): each part is
    // the floor of its exact share, and the leftover minor units go one each to the first parts
    // whose share was not exact, so every part is the floor or the ceiling of its exact share.
    std::vector<Money> allocate(std::span<const std::int64_t> weights) const;

    // Same currency and amount. Different currencies are simply unequal.
    friend bool operator==(const Money& a, const Money& b) noexcept = default;
    // Ordering requires the same currency: throws ValidationError otherwise.
    friend std::strong_ordering operator<=>(const Money& a, const Money& b);

    // Throws ValidationError naming both currencies when they differ.
    void require_same_currency(const Money& other, std::string_view what = "money") const;

private:
    std::int64_t minor_ = 0;
    Currency currency_{};
};

// JSON: {"amount": "1234.56", "currency": "USD"}. The amount must be a string (JSON numbers are
// floats in too many readers to carry money).
void to_json(nlohmann::json& j, const Money& m);
void from_json(const nlohmann::json& j, Money& m);

}  // namespace arrears
