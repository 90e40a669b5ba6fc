#include "arrears/rational.hpp"

#include <limits>
#include <numeric>

#include "arrears/error.hpp"

namespace arrears {

Rational Rational::of(std::int64_t num, std::int64_t den) {
    if (den == 0) throw ValidationError("Rational: denominator is zero");
    if (den == std::numeric_limits<std::int64_t>::min() ||
        num == std::numeric_limits<std::int64_t>::min())
        throw OverflowError("Rational: value out of range");
    if (den < 0) {
        num = -num;
        den = -den;
    }
    const std::int64_t g = std::gcd(num, den);
    return Rational{num / (g == 0 ? 1 : g), den / (g == 0 ? 1 : g)};
}

Rational Rational::parse(std::string_view text, std::string_view field) {
    auto bad = [&](const char* why) {
        return ValidationError(std::string(field) + ": " + quote(text) + " " + why);
    };
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    i128 num = 0;
    i128 den = 1;
    bool digits = false;
    bool point = false;
    constexpr i128 limit = std::numeric_limits<std::int64_t>::max();
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9') throw bad("is not a decimal number");
        digits = true;
        num = num * 10 + (c - '0');
        if (point) den *= 10;
        if (num > limit || den > limit) throw bad("has too many digits");
    }
    if (!digits) throw bad("is not a decimal number");
    return of(static_cast<std::int64_t>(negative ? -num : num), static_cast<std::int64_t>(den));
}

std::string Rational::to_string() const {
    // Find k with den | 10^k.
    std::int64_t d = den;
    int twos = 0, fives = 0;
    while (d % 2 == 0) { d /= 2; ++twos; }
    while (d % 5 == 0) { d /= 5; ++fives; }
    if (d != 1 || std::max(twos, fives) > 18)
        return std::to_string(num) + "/" + std::to_string(den);
    const int k = std::max(twos, fives);
    i128 scaled = static_cast<i128>(num);
    for (int j = 0; j < k; ++j) scaled *= 10;
    scaled /= den;
    const bool neg = scaled < 0;
    u128 mag = static_cast<u128>(neg ? -scaled : scaled);
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(mag % 10)));
        mag /= 10;
    } while (mag != 0);
    while (static_cast<int>(digits.size()) <= k) digits.insert(digits.begin(), '0');
    std::string out = neg ? "-" : "";
    out += digits.substr(0, digits.size() - static_cast<std::size_t>(k));
    if (k > 0) out += "." + digits.substr(digits.size() - static_cast<std::size_t>(k));
    return out;
}

}  // namespace arrears
