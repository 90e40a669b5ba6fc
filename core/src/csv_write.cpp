// CSV out: the one writer of every CSV arrears makes (csv.hpp).
#include <string>

#include "arrears/csv.hpp"
#include "arrears/error.hpp"

namespace arrears {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// [+-] digits [. digits] [e [+-] digits], or [+-] . digits ...: what a spreadsheet reads as a
// number, never as a formula.
bool plain_number(std::string_view s) noexcept {
    std::size_t i = 0;
    const std::size_t n = s.size();
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    while (i < n && digit(s[i])) ++i, ++digits;
    if (i < n && s[i] == '.') {
        ++i;
        while (i < n && digit(s[i])) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exponent = 0;
        while (i < n && digit(s[i])) ++i, ++exponent;
        if (exponent == 0) return false;
    }
    return i == n;
}

}  // namespace

bool csv_formula_risk(std::string_view value) noexcept {
    if (value.empty()) return false;
    switch (value.front()) {
        case '=':
        case '@':
        case '\t':
        case '\r': return true;
        case '+':
        case '-': return !plain_number(value);
        default: return false;
    }
}

void append_csv_field(std::string& out, std::string_view value, CsvCell cell, CsvQuote quoting) {
    const bool text = cell == CsvCell::text;
    const bool neutralize = text && csv_formula_risk(value);
    const bool quoted = (text && quoting == CsvQuote::text) ||
                        value.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quoted) {
        if (neutralize) out += '\'';
        out += value;
        return;
    }
    out += '"';
    if (neutralize) out += '\'';
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string csv_text(const std::vector<std::string>& header,
                     const std::vector<std::vector<std::optional<std::string>>>& columns,
                     const std::vector<CsvCell>& kinds, CsvQuote quoting, std::string_view newline) {
    if (columns.size() != header.size())
        throw ValidationError("columns: " + std::to_string(columns.size()) + " columns for " +
                              std::to_string(header.size()) + " header names");
    if (!kinds.empty() && kinds.size() != header.size())
        throw ValidationError("kinds: " + std::to_string(kinds.size()) + " kinds for " +
                              std::to_string(header.size()) + " columns");
    const std::size_t rows = columns.empty() ? 0 : columns.front().size();
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (columns[c].size() != rows)
            throw ValidationError("columns: column " + quote(header[c]) + " has " +
                                  std::to_string(columns[c].size()) + " cells, the first " + std::to_string(rows));
    std::string out;
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (c > 0) out += ',';
        append_csv_field(out, header[c], CsvCell::text, quoting);
    }
    out += newline;
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (c > 0) out += ',';
            const auto& cell = columns[c][r];
            if (cell) append_csv_field(out, *cell, kinds.empty() ? CsvCell::text : kinds[c], quoting);
        }
        out += newline;
    }
    return out;
}

}  // namespace arrears
