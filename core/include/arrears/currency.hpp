// Currency: an ISO 4217 code and its minor-unit exponent (USD 2, JPY 0, KWD 3).
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>
#include <vector>

namespace arrears {

class Currency {
public:
    // USD.
    constexpr Currency() noexcept : code_{'U', 'S', 'D'}, exponent_(2) {}
    // Looks the code up in the ISO 4217 table; throws ValidationError naming `field` for a code it
    // does not know. Codes are upper case ("usd" is rejected: stored data should be canonical).
    static Currency of(std::string_view code, std::string_view field = "currency");

    std::string_view code() const noexcept { return {code_, 3}; }
    // Number of minor-unit digits: 2 for USD (cents), 0 for JPY, 3 for KWD.
    int exponent() const noexcept { return exponent_; }
    // 10^exponent: minor units in one whole unit.
    std::int64_t scale() const noexcept;

    // Every currency arrears knows, for documentation and validation lists.
    static std::vector<Currency> all();

    friend bool operator==(const Currency& a, const Currency& b) noexcept {
        return a.code() == b.code();
    }
    friend auto operator<=>(const Currency& a, const Currency& b) noexcept {
        return a.code() <=> b.code();
    }

private:
    constexpr Currency(const char* code, std::int8_t exponent) noexcept
        : code_{code[0], code[1], code[2]}, exponent_(exponent) {}
    friend struct CurrencyTable;

    char code_[3];
    std::int8_t exponent_;
};

}  // namespace arrears
