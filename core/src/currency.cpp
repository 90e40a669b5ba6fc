#include "arrears/currency.hpp"

#include <array>
#include <string>

#include "arrears/error.hpp"

namespace arrears {

// ISO 4217 active codes with their minor-unit exponents (a practical subset: the currencies a
// collections book plausibly carries; extend the table, never guess an exponent).
struct CurrencyTable {
    static constexpr std::array<Currency, 62> entries{{
        {"AED", 2}, {"ARS", 2}, {"AUD", 2}, {"BGN", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2},
        {"CHF", 2}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CRC", 2}, {"CZK", 2}, {"DKK", 2},
        {"DOP", 2}, {"EGP", 2}, {"EUR", 2}, {"GBP", 2}, {"GTQ", 2}, {"HKD", 2}, {"HNL", 2},
        {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"ISK", 0}, {"JMD", 2},
        {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"MAD", 2},
        {"MXN", 2}, {"MYR", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3},
        {"PAB", 2}, {"PEN", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"RON", 2},
        {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"THB", 2}, {"TND", 3}, {"TRY", 2}, {"TWD", 2},
        {"UAH", 2}, {"USD", 2}, {"UYU", 2}, {"VND", 0}, {"XAF", 0}, {"ZAR", 2},
    }};
};

Currency Currency::of(std::string_view code, std::string_view field) {
    for (const auto& c : CurrencyTable::entries)
        if (c.code() == code) return c;
    throw ValidationError(std::string(field) + ": unknown ISO 4217 currency code " + quote(code));
}

std::int64_t Currency::scale() const noexcept {
    std::int64_t s = 1;
    for (int i = 0; i < exponent_; ++i) s *= 10;
    return s;
}

std::vector<Currency> Currency::all() {
    return {CurrencyTable::entries.begin(), CurrencyTable::entries.end()};
}

}  // namespace arrears
