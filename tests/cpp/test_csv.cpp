#include <catch2/catch.hpp>

#include "arrears/csv.hpp"
#include "arrears/error.hpp"

using namespace arrears;

TEST_CASE("CSV records: quotes, doubled quotes, CRLF, newlines inside quotes, BOM", "[csv]") {
    const auto t = read_csv("\xEF\xBB\xBF" "id,name,amount\r\n1,\"Smith, John\",12.50\r\n2,\"He said \"\"hi\"\"\",3\r\n"
                            "3,\"two\nlines\",4\n\n4,,5", "a.csv");
    REQUIRE(t.header == std::vector<std::string>{"id", "name", "amount"});
    REQUIRE(t.rows() == 4);
    CHECK(t.columns[1].at(0) == "Smith, John");
    CHECK(t.columns[1].at(1) == "He said \"hi\"");
    CHECK(t.columns[1].at(2) == "two\nlines");
    CHECK(t.columns[1].at(3).empty());
    CHECK(t.lines == std::vector<std::size_t>{2, 3, 4, 7});  // the blank line 6 is skipped
    CHECK(t.problems.empty());
    CHECK(t.index_of("amount") == 2);
    CHECK(t.index_of("nope") == -1);
}

TEST_CASE("CSV problems name the line and column and keep the good rows", "[csv]") {
    const auto t = read_csv("id,name\n1,ok\n2,caf\xE9\n3,x,extra\n4,fine\n5,\"open", "b.csv");
    CHECK(t.rows() == 2);
    REQUIRE(t.problems.size() == 3);
    CHECK(t.problems[0].message() == "line 3, column 'name': is not UTF-8 (byte 0xE9 at position 4; save the file as UTF-8)");
    CHECK(t.problems[1].message() == "line 4: has 3 fields, the header has 2");
    CHECK(t.problems[2].line == 6);
}

TEST_CASE("CSV files without a usable header are refused", "[csv]") {
    CHECK_THROWS_WITH(read_csv("", "e.csv"), Catch::Contains("empty"));
    CHECK_THROWS_WITH(read_csv("a,a\n1,2", "d.csv"), Catch::Contains("duplicate header column 'a'"));
    CHECK_THROWS_WITH(read_csv("a,,c\n", "d.csv"), Catch::Contains("column 2 has no name"));
    CHECK_THROWS_AS(read_csv_file("/nonexistent/file.csv"), NotFoundError);
    CHECK_THROWS_AS(read_csv_file("/tmp"), ValidationError);
}

TEST_CASE("UTF-8 validation rejects overlong and surrogate forms", "[csv]") {
    CHECK(valid_utf8_prefix("héllo") == 6);
    CHECK(valid_utf8_prefix("\xC0\xAF") == 0);          // overlong '/'
    CHECK(valid_utf8_prefix("a\xED\xA0\x80") == 1);     // surrogate
    CHECK(valid_utf8_prefix("\xF0\x9F\x92\xB8") == 4);  // emoji
}

TEST_CASE("CSV out: a text cell a spreadsheet would run as a formula gets an apostrophe", "[csv][write]") {
    using Row = std::tuple<std::string, std::string>;
    auto [cell, written] = GENERATE(table<std::string, std::string>({
        Row{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
        Row{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
        Row{"+HYPERLINK(\"x\")", "\"'+HYPERLINK(\"\"x\"\")\""},
        Row{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
        Row{"\tx", "'\tx"},
        Row{"\rx", "\"'\rx\""},
        Row{"-", "'-"},
        Row{"+1 555 0100", "'+1 555 0100"},
        // plain numbers are what they look like, never formulas: their sign stays
        Row{"-12.50", "-12.50"},
        Row{"+15550100", "+15550100"},
        Row{"-1e-05", "-1e-05"},
        Row{"-.5", "-.5"},
        Row{"a=b", "a=b"},
        Row{"Smith, John", "\"Smith, John\""},
        Row{"", ""},
    }));
    INFO(cell);
    std::string out;
    append_csv_field(out, cell);
    CHECK(out == written);
    CHECK(csv_formula_risk(cell) == (written.find('\'') == 0 || written.rfind("\"'", 0) == 0));
}

TEST_CASE("CSV out: numeric cells keep their sign, CsvQuote::text quotes every text cell", "[csv][write]") {
    std::string out;
    append_csv_field(out, "-inf", CsvCell::number);
    CHECK(out == "-inf");
    out.clear();
    append_csv_field(out, "=x", CsvCell::text, CsvQuote::text);
    out += ',';
    append_csv_field(out, "12", CsvCell::number, CsvQuote::text);
    CHECK(out == "\"'=x\",12");
    const std::string text = csv_text({"name", "amount"}, {{std::string("=1+1"), std::nullopt}, {std::string("-12.50"), std::string("3")}},
                                      {CsvCell::text, CsvCell::number}, CsvQuote::minimal, "\n");
    CHECK(text == "name,amount\n'=1+1,-12.50\n,3\n");
    CHECK_THROWS_WITH(csv_text({"a", "b"}, {{std::string("1")}, {}}), "columns: column 'b' has 0 cells, the first 1");
    CHECK_THROWS_WITH(csv_text({"a"}, {}), "columns: 0 columns for 1 header names");
}
