#include "arrears/letter_format.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "arrears/error.hpp"

namespace arrears {

namespace {

constexpr std::array<std::string_view, 12> kMonthsEn = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> kMonthsEs = {
    "enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
    "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int value36(char c) {
    if (is_digit(c)) return c - '0';
    return std::toupper(static_cast<unsigned char>(c)) - 'A' + 10;
}
char char36(int v) { return static_cast<char>(v < 10 ? '0' + v : 'A' + (v - 10)); }

// Luhn mod N (N = 36) check character over the code points of `payload`.
char luhn36(std::string_view payload) {
    int factor = 2;
    int sum = 0;
    for (auto it = payload.rbegin(); it != payload.rend(); ++it) {
        int addend = factor * value36(*it);
        factor = factor == 2 ? 1 : 2;
        addend = addend / 36 + addend % 36;
        sum += addend;
    }
    return char36((36 - sum % 36) % 36);
}

}  // namespace

Language parse_language(std::string_view text, std::string_view field) {
    if (text == "en" || text == "en_US" || text == "en-US") return Language::en;
    if (text == "es" || text == "es_US" || text == "es-US") return Language::es;
    throw ValidationError(std::string(field) + ": " + quote(text) +
                          " is not a letter language (expected 'en' or 'es')");
}

std::string_view to_string(Language l) { return l == Language::en ? "en" : "es"; }

std::string format_date(Date d, Language lang) {
    check_date(d, "date");
    const auto month = static_cast<unsigned>(d.month()) - 1;
    const auto day = std::to_string(static_cast<unsigned>(d.day()));
    const auto year = std::to_string(static_cast<int>(d.year()));
    if (lang == Language::es)
        return day + " de " + std::string(kMonthsEs[month]) + " de " + year;
    return std::string(kMonthsEn[month]) + " " + day + ", " + year;
}

std::string format_money(const Money& m, Language lang) {
    // US dollars (most letters) without temporaries; the same text Money::format gives
    // ("$2,284.56", "-$50.00"), which formats every other currency.
    if (m.currency() != Currency{}) return m.format(lang == Language::es ? "es_US" : "en_US");
    const std::int64_t v = m.minor();
    unsigned long long mag = v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
    char digits[24];
    int nd = 0;
    do {
        digits[nd++] = static_cast<char>('0' + mag % 10);
        mag /= 10;
    } while (mag != 0);
    while (nd < 3) digits[nd++] = '0';  // at least "0.0x"
    char buf[40];
    int pos = 0;
    if (v < 0) buf[pos++] = '-';
    buf[pos++] = '$';
    const int whole = nd - 2;
    for (int i = whole - 1; i >= 0; --i) {
        buf[pos++] = digits[i + 2];
        if (i != 0 && i % 3 == 0) buf[pos++] = ',';
    }
    buf[pos++] = '.';
    buf[pos++] = digits[1];
    buf[pos++] = digits[0];
    return std::string(buf, static_cast<std::size_t>(pos));
}

bool is_mailable(const LetterAddress& a, std::string* why) {
    auto fail = [&](std::string reason) {
        if (why) *why = std::move(reason);
        return false;
    };
    auto blank = [](const std::string& s) {
        for (char c : s)
            if (!std::isspace(static_cast<unsigned char>(c))) return false;
        return true;
    };
    if (blank(a.line1)) return fail("line1 is empty");
    if (blank(a.city)) return fail("city is empty");
    if (a.country.empty() || a.country == "US") {
        if (a.state.size() != 2 || !std::isalpha(static_cast<unsigned char>(a.state[0])) ||
            !std::isalpha(static_cast<unsigned char>(a.state[1])))
            return fail("state " + quote(a.state) + " is not a two-letter state code");
        const std::string& z = a.postal_code;
        const bool five = z.size() == 5 && std::all_of(z.begin(), z.end(), is_digit);
        const bool nine = z.size() == 10 && z[5] == '-' &&
                          std::all_of(z.begin(), z.begin() + 5, is_digit) &&
                          std::all_of(z.begin() + 6, z.end(), is_digit);
        if (!five && !nine) return fail("postal_code " + quote(z) + " is not a ZIP code");
        return true;
    }
    return true;
}

std::vector<std::string> address_lines(const LetterAddress& a) {
    std::vector<std::string> lines;
    if (!a.line1.empty()) lines.push_back(a.line1);
    if (!a.line2.empty()) lines.push_back(a.line2);
    std::string last = a.city;
    if (!a.state.empty()) {
        if (!last.empty()) last += ", ";
        last += a.state;
    }
    if (!a.postal_code.empty()) {
        if (!last.empty()) last += " ";
        last += a.postal_code;
    }
    if (!last.empty()) lines.push_back(std::move(last));
    if (!a.country.empty() && a.country != "US") lines.push_back(a.country);
    return lines;
}

std::string truncate_account_number(std::string_view number, int visible) {
    if (visible < 0) throw ValidationError("visible: " + std::to_string(visible) + " is negative");
    if (number.empty()) return {};
    std::string tail;
    for (auto it = number.rbegin(); it != number.rend() && static_cast<int>(tail.size()) < visible; ++it)
        if (is_alnum(*it)) tail.insert(tail.begin(), *it);
    std::size_t alnum = 0;
    for (char c : number)
        if (is_alnum(c)) ++alnum;
    if (alnum <= static_cast<std::size_t>(visible)) return "****";
    return "****" + tail;
}

std::string reference_number(std::string_view account_id) {
    std::string payload;
    for (char c : account_id)
        if (is_alnum(c)) payload += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (payload.empty())
        throw ValidationError("account_id: " + quote(account_id) +
                              " has no letter or digit to build a reference number from");
    return payload + "-" + luhn36(payload);
}

bool reference_number_valid(std::string_view reference) {
    const auto dash = reference.rfind('-');
    if (dash == std::string_view::npos || dash + 2 != reference.size() || dash == 0) return false;
    const std::string_view payload = reference.substr(0, dash);
    for (char c : payload)
        if (!is_digit(c) && !(c >= 'A' && c <= 'Z')) return false;
    return luhn36(payload) == reference.back();
}

std::string with_article(std::string_view noun_phrase) {
    if (noun_phrase.empty()) return {};
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(noun_phrase[0])));
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o';
    return std::string(vowel ? "an " : "a ") + std::string(noun_phrase);
}

}  // namespace arrears
