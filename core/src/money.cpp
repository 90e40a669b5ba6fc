#include "arrears/money.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "arrears/error.hpp"

namespace arrears {
namespace {

std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* what) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        throw OverflowError(std::string("Money: ") + what + " overflows 64-bit minor units");
    return r;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* what) {
    std::int64_t r;
    if (__builtin_mul_overflow(a, b, &r))
        throw OverflowError(std::string("Money: ") + what + " overflows 64-bit minor units");
    return r;
}

// |v| as digits, without sign.
std::string magnitude_digits(std::int64_t v) {
    unsigned long long mag = v < 0 ? 0ULL - static_cast<unsigned long long>(v)
                                   : static_cast<unsigned long long>(v);
    return std::to_string(mag);
}

std::string group_thousands(const std::string& digits, char sep) {
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i != 0 && (n - i) % 3 == 0) out += sep;
        out += digits[i];
    }
    return out;
}

std::string_view symbol_for(std::string_view code) {
    struct Entry { std::string_view code, symbol; };
    static constexpr Entry symbols[] = {
        {"USD", "$"},   {"EUR", "€"},   {"GBP", "£"},   {"JPY", "¥"},   {"CAD", "CA$"},
        {"AUD", "A$"},  {"MXN", "MX$"}, {"CNY", "CN¥"}, {"INR", "₹"},   {"KRW", "₩"},
        {"NZD", "NZ$"}, {"HKD", "HK$"}, {"ILS", "₪"},   {"BRL", "R$"},  {"VND", "₫"},
        {"PHP", "₱"},   {"TWD", "NT$"}, {"XAF", "FCFA"},
    };
    for (const auto& e : symbols)
        if (e.code == code) return e.symbol;
    return {};
}

}  // namespace

Money Money::from_units(std::int64_t units, Currency currency) {
    return Money(checked_mul(units, currency.scale(), "amount"), currency);
}

Money Money::parse(std::string_view text, Currency currency, std::string_view field) {
    auto bad = [&](const std::string& why) {
        return ValidationError(std::string(field) + ": " + quote(text) + " " + why);
    };
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    i128 whole = 0;
    std::int64_t frac = 0;
    int frac_digits = 0;
    bool digits = false, point = false;
    const int exponent = currency.exponent();
    constexpr i128 limit = static_cast<i128>(std::numeric_limits<std::int64_t>::max()) + 1;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9')
            throw bad("is not a plain decimal amount (digits, an optional sign and point)");
        digits = true;
        const int d = c - '0';
        if (!point) {
            whole = whole * 10 + d;
            if (whole > limit) throw OverflowError(std::string(field) + ": " + quote(text) +
                                                   " does not fit in 64-bit minor units");
        } else if (frac_digits < exponent) {
            frac = frac * 10 + d;
            ++frac_digits;
        } else if (d != 0) {
            throw bad("has more decimal places than " + std::string(currency.code()) +
                      " allows (" + std::to_string(exponent) + ")");
        }
    }
    if (!digits) throw bad("is not a plain decimal amount (digits, an optional sign and point)");
    for (; frac_digits < exponent; ++frac_digits) frac *= 10;
    i128 minor = whole * currency.scale() + frac;
    if (negative) minor = -minor;
    if (minor > std::numeric_limits<std::int64_t>::max() ||
        minor < std::numeric_limits<std::int64_t>::min())
        throw OverflowError(std::string(field) + ": " + quote(text) +
                            " does not fit in 64-bit minor units");
    return Money(static_cast<std::int64_t>(minor), currency);
}

std::string Money::amount_string() const {
    std::string digits = magnitude_digits(minor_);
    const auto exp = static_cast<std::size_t>(currency_.exponent());
    if (digits.size() <= exp) digits.insert(0, exp + 1 - digits.size(), '0');
    std::string out = minor_ < 0 ? "-" : "";
    out += digits.substr(0, digits.size() - exp);
    if (exp > 0) out += "." + digits.substr(digits.size() - exp);
    return out;
}

std::string Money::format(std::string_view locale) const {
    // es_US follows CLDR es-US, which writes dollars exactly like en-US ($2,284.56).
    if (locale != "en_US" && locale != "es_US")
        throw ValidationError("locale: unsupported locale " + quote(locale) +
                              " (expected en_US or es_US)");
    std::string digits = magnitude_digits(minor_);
    const auto exp = static_cast<std::size_t>(currency_.exponent());
    if (digits.size() <= exp) digits.insert(0, exp + 1 - digits.size(), '0');
    std::string number = group_thousands(digits.substr(0, digits.size() - exp), ',');
    if (exp > 0) number += "." + digits.substr(digits.size() - exp);
    const std::string_view symbol = symbol_for(currency_.code());
    std::string out = minor_ < 0 ? "-" : "";
    if (symbol.empty()) {
        out += std::string(currency_.code()) + " " + number;
    } else {
        out += std::string(symbol) + number;
    }
    return out;
}

std::string Money::repr() const {
    return "Money('" + amount_string() + "', '" + std::string(currency_.code()) + "')";
}

void Money::require_same_currency(const Money& other, std::string_view what) const {
    if (currency_ != other.currency_)
        throw ValidationError(std::string(what) + ": currency mismatch, " +
                              std::string(currency_.code()) + " and " +
                              std::string(other.currency_.code()));
}

Money Money::operator-() const {
    return Money(checked_mul(minor_, -1, "negation"), currency_);
}

Money Money::abs() const { return minor_ < 0 ? -*this : *this; }

Money& Money::operator+=(const Money& other) {
    require_same_currency(other, "addition");
    minor_ = checked_add(minor_, other.minor_, "addition");
    return *this;
}

Money& Money::operator-=(const Money& other) {
    require_same_currency(other, "subtraction");
    std::int64_t r;
    if (__builtin_sub_overflow(minor_, other.minor_, &r))
        throw OverflowError("Money: subtraction overflows 64-bit minor units");
    minor_ = r;
    return *this;
}

Money operator*(const Money& a, std::int64_t factor) {
    return Money(checked_mul(a.minor_, factor, "multiplication"), a.currency_);
}

Money Money::multiply(const Rational& factor, RoundingMode mode) const {
    return Money(round_div(static_cast<i128>(minor_) * factor.num, factor.den, mode),
                 currency_);
}

Money Money::round(int places, RoundingMode mode) const {
    if (places < 0 || places > currency_.exponent())
        throw ValidationError("places: " + std::to_string(places) + " is outside 0.." +
                              std::to_string(currency_.exponent()) + " for " +
                              std::string(currency_.code()));
    std::int64_t step = 1;
    for (int i = places; i < currency_.exponent(); ++i) step *= 10;
    return Money(checked_mul(round_div(minor_, step, mode), step, "rounding"), currency_);
}

std::vector<Money> Money::allocate(std::size_t n) const {
    if (n == 0) throw ValidationError("n: cannot allocate into 0 parts");
    std::vector<std::int64_t> weights(n, 1);
    return allocate(weights);
}

std::vector<Money> Money::allocate(std::span<const std::int64_t> weights) const {
    if (weights.empty()) throw ValidationError("weights: cannot allocate into 0 parts");
    i128 total_weight = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] < 0)
            throw ValidationError("weights[" + std::to_string(i) + "]: " +
                                  std::to_string(weights[i]) + " is negative");
        total_weight += weights[i];
    }
    if (total_weight == 0) throw ValidationError("weights: all weights are zero");
    const bool negative = minor_ < 0;
    const i128 total = negative ? -static_cast<i128>(minor_) : minor_;
    std::vector<Money> parts;
    parts.reserve(weights.size());
    i128 given = 0;
    std::vector<std::uint8_t> inexact(weights.size(), 0);
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const i128 exact = total * weights[i];
        const i128 share = exact / total_weight;  // floor: all terms non-negative
        inexact[i] = exact % total_weight != 0;
        given += share;
        parts.emplace_back(static_cast<std::int64_t>(share), currency_);
    }
    // The leftover is the sum of the fractional parts, so it is smaller than the number of parts
    // whose share was not exact: one unit each to the first of those makes every part the floor
    // or the ceiling of its exact share.
    i128 leftover = total - given;
    for (std::size_t i = 0; leftover > 0 && i < parts.size(); ++i) {
        if (!inexact[i]) continue;
        parts[i].minor_ += 1;
        --leftover;
    }
    if (negative)
        for (auto& p : parts) p.minor_ = -p.minor_;
    return parts;
}

std::strong_ordering operator<=>(const Money& a, const Money& b) {
    a.require_same_currency(b, "comparison");
    return a.minor_ <=> b.minor_;
}

void to_json(nlohmann::json& j, const Money& m) {
    j = nlohmann::json{{"amount", m.amount_string()}, {"currency", std::string(m.currency().code())}};
}

void from_json(const nlohmann::json& j, Money& m) {
    if (!j.is_object()) throw ValidationError("money: expected an object {\"amount\", \"currency\"}");
    if (!j.contains("currency") || !j.at("currency").is_string())
        throw ValidationError("money.currency: missing or not a string");
    if (!j.contains("amount") || !j.at("amount").is_string())
        throw ValidationError("money.amount: missing or not a string (write \"12.34\", not 12.34)");
    const Currency c = Currency::of(j.at("currency").get<std::string>(), "money.currency");
    m = Money::parse(j.at("amount").get<std::string>(), c, "money.amount");
}

}  // namespace arrears
