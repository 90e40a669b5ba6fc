#include <catch2/catch.hpp>

#include "arrears/error.hpp"
#include "arrears/utf8.hpp"

using arrears::quote;

TEST_CASE("quote escapes quotes, backslashes and control characters", "[error]") {
    CHECK(quote("ab") == "'ab'");
    CHECK(quote("it's") == "'it\\'s'");
    CHECK(quote("a\\b") == "'a\\\\b'");
    CHECK(quote(std::string_view("a\0b\n\x7f", 5)) == "'a\\x00b\\x0a\\x7f'");
}

TEST_CASE("quote keeps whole UTF-8 characters and escapes bytes that are not UTF-8", "[error]") {
    CHECK(quote("caf\xc3\xa9") == "'caf\xc3\xa9'");                  // é stays é
    CHECK(quote("caf\xe9") == "'caf\\xe9'");                           // Latin-1 é
    CHECK(quote("\xc3") == "'\\xc3'");                                 // a truncated character
    CHECK(quote("\xa9x") == "'\\xa9x'");                               // a stray continuation
    CHECK(quote("\xc0\xaf") == "'\\xc0\\xaf'");                        // an overlong '/'
    CHECK(quote("\xed\xa0\x80") == "'\\xed\\xa0\\x80'");               // a UTF-16 surrogate
    CHECK(quote("\xf4\x90\x80\x80") == "'\\xf4\\x90\\x80\\x80'");      // above U+10FFFF
    CHECK(quote("\xf0\x9f\x92\xb0") == "'\xf0\x9f\x92\xb0'");          // U+1F4B0 stays
}

TEST_CASE("quote cuts long values after 60 characters, never inside one", "[error]") {
    std::string e;
    for (int i = 0; i < 100; ++i) e += "\xc3\xa9";
    std::string want = "'";
    for (int i = 0; i < 60; ++i) want += "\xc3\xa9";
    CHECK(quote(e) == want + "...'");
    CHECK(arrears::is_valid_utf8(quote(e)));
    CHECK(quote(std::string(60, 'x')) == "'" + std::string(60, 'x') + "'");
}

TEST_CASE("valid_utf8_prefix stops at the first byte that does not start a character", "[error]") {
    using arrears::valid_utf8_prefix;
    CHECK(valid_utf8_prefix("plain") == 5);
    CHECK(valid_utf8_prefix("a\xc3\xa9" "b") == 4);
    CHECK(valid_utf8_prefix("ab\xff") == 2);
    CHECK(valid_utf8_prefix("a\xe2\x82") == 1);  // € cut short
}
