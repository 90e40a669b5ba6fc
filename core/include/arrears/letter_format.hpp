// Formatting for letters: dates, money, addresses, account numbers and reference numbers, in
// English and Spanish. Pure functions; no locale of the process is consulted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/money.hpp"

namespace arrears {

enum class Language : std::uint8_t { en, es };
// "en" / "es" (also "en_US", "en-US", "es_US", "es-US"); anything else is a ValidationError.
Language parse_language(std::string_view text, std::string_view field = "language");
std::string_view to_string(Language l);

// "August 28, 2020" (en, Model Form B-1 style) / "28 de agosto de 2020" (es).
std::string format_date(Date d, Language lang = Language::en);
// "$2,284.56" in both languages (CLDR en-US and es-US write dollars the same way).
std::string format_money(const Money& m, Language lang = Language::en);

// A postal address as the letter prints it. postal_code is text: ZIP codes keep leading zeros.
struct LetterAddress {
    std::string line1;
    std::string line2;
    std::string city;
    std::string state;        // two-letter USPS code for US addresses
    std::string postal_code;  // "02110" or "02110-1234" for US addresses
    std::string country = "US";

    friend bool operator==(const LetterAddress&, const LetterAddress&) = default;
};

// A US address is mailable with line1, city, a two-letter state and a 5- or 9-digit ZIP
// ("12345" or "12345-6789"); another country's with line1, city and the country. On failure
// `why` (when given) says what is wrong: "postal_code '1234' is not a ZIP code".
bool is_mailable(const LetterAddress& a, std::string* why = nullptr);
// Lines under the name: line1, line2 (when present), "City, ST 12345", and the country for
// non-US addresses. Empty parts are left out.
std::vector<std::string> address_lines(const LetterAddress& a);

// The last `visible` letters and digits of an account number behind asterisks:
// "4111-1111-1111-1234" -> "****1234". Numbers with no more than `visible` letters and digits
// are masked entirely ("****"); an empty number stays empty.
std::string truncate_account_number(std::string_view number, int visible = 4);

// A reference number for letters and payment slips, derived from an account id: the id's
// letters and digits in upper case, a dash and a Luhn mod 36 check character, so a mistyped
// reference on a returned slip is caught: "584345" -> "584345-X". Throws ValidationError when
// the id has no letter or digit.
std::string reference_number(std::string_view account_id);
// True when `reference` ends in the right check character.
bool reference_number_valid(std::string_view reference);

// English indefinite article for a product name: "a credit card", "an auto loan".
std::string with_article(std::string_view noun_phrase);

}  // namespace arrears
