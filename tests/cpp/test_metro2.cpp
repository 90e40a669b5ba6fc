// Metro 2: positions, encoding rules, validation rules, file writer/reader and the collection
// profile. Expected positions and codes are written from ../shared/reference/metro2.md.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "arrears/error.hpp"
#include "arrears/metro2.hpp"
#include "arrears/metro2_file.hpp"
#include "arrears/metro2_profile.hpp"

using namespace arrears;
using F = Metro2BaseField;

namespace {

Date d(int y, unsigned m, unsigned day) { return make_date(y, m, day); }

// Puts `value` at 1-based `pos` in `line`.
void put(std::string& line, std::size_t pos, std::string_view value) {
    line.replace(pos - 1, value.size(), value);
}

bool has_code(const std::vector<Metro2Problem>& problems, std::string_view code) {
    for (const auto& p : problems)
        if (p.code == code) return true;
    return false;
}

std::string codes_of(const std::vector<Metro2Problem>& problems) {
    std::string out;
    for (const auto& p : problems) out += p.code + " (" + p.field + ") ";
    return out;
}

// A valid unpaid collection account (status 93), as the profile writes it.
BaseSegment valid_base() {
    BaseSegment b;
    b.set_text(F::identification_number, "AGENCY01")
        .set_text(F::consumer_account_number, "C100234")
        .set_text(F::portfolio_type, "O")
        .set_text(F::account_type, "48")
        .set_date(F::date_opened, d(2023, 1, 15))
        .set_number(F::highest_credit, 1500)
        .set_text(F::terms_duration, "001")
        .set_text(F::account_status, "93")
        .set_text(F::payment_history_profile, "GGBBBBBBBBBBBBBBBBBBBBBB")
        .set_number(F::current_balance, 1234)
        .set_number(F::amount_past_due, 1234)
        .set_date(F::date_of_account_information, d(2024, 4, 30))
        .set_date(F::date_of_first_delinquency, d(2023, 8, 14))
        .set_text(F::surname, "OBRIEN")
        .set_text(F::first_name, "MARY")
        .set_text(F::social_security_number, "123456789")
        .set_date(F::date_of_birth, d(1980, 5, 1))
        .set_text(F::ecoa_code, "1")
        .set_text(F::first_line_of_address, "12 MAIN ST")
        .set_text(F::city, "SPRINGFIELD")
        .set_text(F::state, "IL")
        .set_text(F::zip_code, "62701");
    return b;
}

DataRecord valid_record() {
    DataRecord r;
    r.base = valid_base();
    K1Segment k1;
    k1.set_text(Metro2K1Field::original_creditor_name, "MERCY HOSPITAL")
        .set_text(Metro2K1Field::creditor_classification, "02");
    r.k1 = k1;
    return r;
}

HeaderRecord valid_header() {
    HeaderRecord h;
    h.set_text(Metro2HeaderField::reporter_name, "ACME COLLECTIONS")
        .set_text(Metro2HeaderField::reporter_address, "1 FIRST ST CHICAGO IL 60601")
        .set_text(Metro2HeaderField::equifax_program_identifier, "EQ12345")
        .set_date(Metro2HeaderField::activity_date, d(2024, 4, 30))
        .set_date(Metro2HeaderField::date_created, d(2024, 5, 1));
    return h;
}

}  // namespace

// ---- layout ----------------------------------------------------------------------------------

TEST_CASE("segment lengths match the reference", "[metro2]") {
    CHECK(BaseSegment::length == 426);
    CHECK(HeaderRecord::length == 426);
    CHECK(TrailerRecord::length == 426);
    CHECK(J1Segment::length == 100);
    CHECK(J2Segment::length == 200);
    CHECK(K1Segment::length == 34);
    CHECK(K2Segment::length == 34);
    CHECK(K3Segment::length == 40);
    CHECK(K4Segment::length == 30);
    CHECK(L1Segment::length == 54);
    CHECK(N1Segment::length == 146);
    CHECK(BaseSegment().encode().size() == 426);
}

TEST_CASE("base segment positions match the reference table", "[metro2]") {
    // (field, start, end) from reference §2.2 "Base Segment, character format".
    auto [name, start, end] = GENERATE(table<std::string, int, int>({
        {"processing_indicator", 5, 5},          {"time_stamp", 6, 19},
        {"correction_indicator", 20, 20},        {"identification_number", 21, 40},
        {"cycle_identifier", 41, 42},            {"consumer_account_number", 43, 72},
        {"portfolio_type", 73, 73},              {"account_type", 74, 75},
        {"date_opened", 76, 83},                 {"credit_limit", 84, 92},
        {"highest_credit", 93, 101},             {"terms_duration", 102, 104},
        {"terms_frequency", 105, 105},           {"scheduled_monthly_payment_amount", 106, 114},
        {"actual_payment_amount", 115, 123},     {"account_status", 124, 125},
        {"payment_rating", 126, 126},            {"payment_history_profile", 127, 150},
        {"special_comment", 151, 152},           {"compliance_condition_code", 153, 154},
        {"current_balance", 155, 163},           {"amount_past_due", 164, 172},
        {"original_charge_off_amount", 173, 181}, {"date_of_account_information", 182, 189},
        {"date_of_first_delinquency", 190, 197}, {"date_closed", 198, 205},
        {"date_of_last_payment", 206, 213},      {"interest_type_indicator", 214, 214},
        {"surname", 232, 256},                   {"first_name", 257, 276},
        {"middle_name", 277, 296},               {"generation_code", 297, 297},
        {"social_security_number", 298, 306},    {"date_of_birth", 307, 314},
        {"telephone_number", 315, 324},          {"ecoa_code", 325, 325},
        {"consumer_information_indicator", 326, 327}, {"country_code", 328, 329},
        {"first_line_of_address", 330, 361},     {"second_line_of_address", 362, 393},
        {"city", 394, 413},                      {"state", 414, 415},
        {"zip_code", 416, 424},                  {"address_indicator", 425, 425},
        {"residence_code", 426, 426},
    }));
    const std::size_t i = BaseSegment::find_field(name);
    REQUIRE(i != std::string_view::npos);
    CHECK(BaseSegment::fields()[i].start == start);
    CHECK(BaseSegment::fields()[i].end() == end);
}

TEST_CASE("the reference's worked decode reads back field by field", "[metro2]") {
    // reference §2.6: moov unpacked_fixed_request.dat, the data record's base segment.
    std::string line(426, ' ');
    put(line, 1, "1000");
    put(line, 5, "1");
    put(line, 6, "01012020011122");
    put(line, 20, "0");
    put(line, 21, "6666666");
    put(line, 43, "553723456");
    put(line, 73, "M");
    put(line, 74, "48");
    put(line, 76, "11222019");
    put(line, 84, "000000000");
    put(line, 93, "000002438");
    put(line, 102, "LOC");
    put(line, 106, "000000000");
    put(line, 115, "000000100");
    put(line, 124, "62");
    put(line, 127, "BBBBBBBBBBBBBBBBBBBBBBBB");
    put(line, 151, "AS");
    put(line, 153, "XA");
    put(line, 155, "000002233");
    put(line, 164, "000000000");
    put(line, 173, "000000000");
    put(line, 182, "09202002");
    put(line, 190, "07192001");
    put(line, 198, "08022002");
    put(line, 206, "08022002");
    put(line, 232, "SMITH-JONES");
    put(line, 257, "JUNIOR");
    put(line, 297, "S");
    put(line, 298, "159328759");
    put(line, 307, "03181972");
    put(line, 315, "5175555555");
    put(line, 325, "1");
    put(line, 328, "US");
    put(line, 414, "MI");
    put(line, 416, "72654");
    put(line, 425, "Y");
    put(line, 426, "O");

    const BaseSegment b = BaseSegment::decode(line);
    CHECK(b.text(F::identification_number) == "6666666");
    CHECK(b.text(F::consumer_account_number) == "553723456");
    CHECK(b.text(F::portfolio_type) == "M");
    CHECK(b.text(F::account_type) == "48");
    CHECK(b.date(F::date_opened) == d(2019, 11, 22));
    CHECK(b.number(F::highest_credit) == 2438);
    CHECK(b.text(F::terms_duration) == "LOC");
    CHECK(b.number(F::actual_payment_amount) == 100);
    CHECK(b.text(F::account_status) == "62");
    CHECK(b.text(F::payment_rating).empty());
    CHECK(b.text(F::special_comment) == "AS");
    CHECK(b.text(F::compliance_condition_code) == "XA");
    CHECK(b.number(F::current_balance) == 2233);
    CHECK(b.date(F::date_of_account_information) == d(2002, 9, 20));
    CHECK(b.date(F::date_of_first_delinquency) == d(2001, 7, 19));
    CHECK(b.date(F::date_closed) == d(2002, 8, 2));
    CHECK(b.date(F::date_of_last_payment) == d(2002, 8, 2));
    CHECK(b.text(F::surname) == "SMITH-JONES");
    CHECK(b.text(F::first_name) == "JUNIOR");
    CHECK(b.text(F::generation_code) == "S");
    CHECK(b.text(F::social_security_number) == "159328759");
    CHECK(b.date(F::date_of_birth) == d(1972, 3, 18));
    CHECK(b.text(F::telephone_number) == "5175555555");
    CHECK(b.text(F::ecoa_code) == "1");
    CHECK(b.text(F::country_code) == "US");
    CHECK(b.text(F::state) == "MI");
    CHECK(b.text(F::zip_code) == "72654");
    CHECK(b.text(F::address_indicator) == "Y");
    CHECK(b.text(F::residence_code) == "O");
    const auto ts = b.timestamp(F::time_stamp);
    REQUIRE(ts);
    CHECK(to_iso(*ts) == "2020-01-01T01:11:22Z");
    // Re-encoding gives the same text, with the RDW of a lone base segment.
    std::string expected = line;
    put(expected, 1, "0426");
    CHECK(b.encode() == expected);
    // "This sample is a format fixture, not a valid collections record: status 62 with a
    // positive balance."
    CHECK(has_code(b.validate(), "current_balance_not_zero"));
}

TEST_CASE("trailer and appended segment positions match the reference tables", "[metro2]") {
    auto pos = [](auto fields, std::string_view name) {
        for (const auto& f : fields)
            if (f.name == name) return std::pair<int, int>(f.start, f.end());
        return std::pair<int, int>(0, 0);
    };
    using P = std::pair<int, int>;
    CHECK(pos(TrailerRecord::fields(), "total_base_records") == P(12, 20));
    CHECK(pos(TrailerRecord::fields(), "block_count") == P(57, 65));
    CHECK(pos(TrailerRecord::fields(), "total_status_code_93") == P(219, 227));
    CHECK(pos(TrailerRecord::fields(), "total_ecoa_code_z") == P(264, 272));
    CHECK(pos(TrailerRecord::fields(), "total_telephone_numbers_all_segments") == P(399, 407));
    CHECK(pos(HeaderRecord::fields(), "activity_date") == P(48, 55));
    CHECK(pos(HeaderRecord::fields(), "reporter_address") == P(120, 215));
    CHECK(pos(HeaderRecord::fields(), "prbc_program_identifier") == P(271, 280));
    CHECK(pos(J1Segment::fields(), "ecoa_code") == P(97, 97));
    CHECK(pos(J2Segment::fields(), "zip_code") == P(188, 196));
    CHECK(pos(K1Segment::fields(), "creditor_classification") == P(33, 34));
    CHECK(pos(K2Segment::fields(), "purchased_name") == P(4, 33));
    CHECK(pos(K3Segment::fields(), "mortgage_identification_number") == P(23, 40));
    CHECK(pos(K4Segment::fields(), "balloon_payment_amount") == P(21, 29));
    CHECK(pos(L1Segment::fields(), "new_identification_number") == P(34, 53));
    CHECK(pos(N1Segment::fields(), "occupation") == P(128, 145));
    // The moov K1 fixture: "K1WETCOSAT INDUSTRIES LTD.      04".
    const auto k1 = K1Segment::decode("K1WETCOSAT INDUSTRIES LTD.      04");
    CHECK(k1.text(Metro2K1Field::original_creditor_name) == "WETCOSAT INDUSTRIES LTD.");
    CHECK(k1.text(Metro2K1Field::creditor_classification) == "04");
}

// ---- encoding rules --------------------------------------------------------------------------

TEST_CASE("alphanumeric fields are left-justified and blank-filled", "[metro2]") {
    BaseSegment b;
    b.set_text(F::surname, "SMITH");
    CHECK(b.image().substr(231, 25) == "SMITH                    ");
    CHECK(b.text(F::surname) == "SMITH");
}

TEST_CASE("numeric fields are right-justified and zero-filled; dates are MMDDYYYY", "[metro2]") {
    BaseSegment b;
    b.set_number(F::current_balance, 1234);
    CHECK(b.image().substr(154, 9) == "000001234");
    b.set_text(F::social_security_number, "12345678");  // N: right-justified, zero-filled
    CHECK(b.image().substr(297, 9) == "012345678");
    b.set_date(F::date_opened, d(2019, 11, 22));
    CHECK(b.image().substr(75, 8) == "11222019");
    b.set_date(F::date_opened, std::nullopt);
    CHECK(b.image().substr(75, 8) == "00000000");
    CHECK(BaseSegment().image().substr(5, 14) == "00000000000000");  // empty timestamp
    CHECK(BaseSegment().image().substr(0, 5) == "04261");  // RDW, processing indicator 1
}

TEST_CASE("an over-long value or a number that does not fit is an error, never truncated",
          "[metro2]") {
    BaseSegment b = valid_base();
    const std::string before(b.image());
    CHECK_THROWS_WITH(b.set_text(F::surname, std::string(26, 'A')),
                      Catch::Contains("surname") && Catch::Contains("26 characters") &&
                          Catch::Contains("holds 25"));
    CHECK_THROWS_AS(b.set_number(F::current_balance, 1'000'000'000), OverflowError);
    CHECK_NOTHROW(b.set_number(F::current_balance, 999'999'999));
    b.set_number(F::current_balance, 1234);
    CHECK_THROWS_AS(b.set_text(F::state, "ILL"), ValidationError);
    CHECK_THROWS_AS(b.set_text(F::social_security_number, "1234567890"), ValidationError);
    CHECK_THROWS_AS(b.set_text(F::telephone_number, "555-1234"), ValidationError);
    CHECK_THROWS_AS(b.set_text(F::city, "Montr\xc3\xa9" "al"), ValidationError);  // not ASCII
    CHECK_THROWS_AS(b.set_text(F::city, "A\nB"), ValidationError);
    CHECK_THROWS_AS(b.set_number(F::current_balance, -1), ValidationError);
    CHECK(std::string(b.image()) == before);  // nothing half-changed
    TrailerRecord t;
    CHECK_THROWS_AS(t.set_number(Metro2TrailerField::total_base_records, 1'000'000'000),
                    OverflowError);
}

TEST_CASE("SSN values never appear in error messages", "[metro2]") {
    BaseSegment b;
    try {
        b.set_text(F::social_security_number, "1234567890");
        FAIL("expected an error");
    } catch (const ValidationError& e) {
        CHECK_THAT(e.what(), !Catch::Contains("1234567890") && Catch::Contains("masked"));
    }
    std::string line(valid_base().image());
    put(line, 298, "12345678X");
    try {
        (void)BaseSegment::decode(line);
        FAIL("expected an error");
    } catch (const ValidationError& e) {
        CHECK_THAT(e.what(), !Catch::Contains("12345678X") && Catch::Contains("298-306"));
    }
    CHECK_THAT(valid_base().repr(), !Catch::Contains("123456789") && !Catch::Contains("1980") &&
                                        Catch::Contains("social_security_number=<masked>"));
    // An account number that holds the SSN (even with separators) is flagged and never shown.
    BaseSegment leaky = valid_base();
    leaky.set_text(F::consumer_account_number, "A123-45-6789");
    CHECK_THAT(leaky.repr(), !Catch::Contains("6789"));
    const auto problems = leaky.validate();
    CHECK(has_code(problems, "ssn_in_account_number"));
    for (const auto& p : problems) CHECK_THAT(p.message, !Catch::Contains("6789"));
    DataRecord r = valid_record();
    r.base = leaky;
    std::vector<DataRecord> records = {r};
    CHECK_THROWS_WITH(write_metro2_file(valid_header(), records),
                      !Catch::Contains("6789") && Catch::Contains("ssn_in_account_number"));
}

TEST_CASE("money is whole dollars: cents truncated by default, negatives report as zero",
          "[metro2]") {
    const Currency usd = Currency::of("USD");
    auto whole = [&](const char* amount, RoundingMode mode = RoundingMode::down) {
        return metro2_whole_dollars(Money::parse(amount, usd), mode);
    };
    CHECK(whole("1234.99") == 1234);
    CHECK(whole("1234.50", RoundingMode::half_up) == 1235);
    CHECK(whole("1234.50", RoundingMode::half_even) == 1234);
    CHECK(whole("0.99") == 0);
    CHECK(whole("-50.00") == 0);
    CHECK_THROWS_AS(metro2_whole_dollars(Money::parse("5", Currency::of("EUR"))), ValidationError);
    BaseSegment b;
    b.set_money(F::current_balance, Money::parse("-12.34", usd));
    CHECK(b.number(F::current_balance) == 0);
    CHECK_THROWS_AS(b.set_money(F::current_balance, Money::parse("1000000000.00", usd)),
                    OverflowError);
}

TEST_CASE("decode rejects wrong lengths, bad dates and letters in numbers", "[metro2]") {
    const std::string good(valid_base().image());
    CHECK(BaseSegment::decode(good) == valid_base());
    CHECK_THROWS_WITH(BaseSegment::decode(good.substr(0, 425)), Catch::Contains("426"));
    std::string bad_date = good;
    put(bad_date, 76, "13322019");
    CHECK_THROWS_WITH(BaseSegment::decode(bad_date),
                      Catch::Contains("date_opened") && Catch::Contains("76-83"));
    std::string letters = good;
    put(letters, 155, "00000X234");
    CHECK_THROWS_WITH(BaseSegment::decode(letters), Catch::Contains("current_balance"));
    CHECK_THROWS_WITH(J1Segment::decode("K1" + std::string(98, ' ')),
                      Catch::Contains("segment_identifier"));
    // Blank numeric fields are read as zero, with a problem (tolerant reader).
    std::string blank_phone = good;
    put(blank_phone, 315, std::string(10, ' '));
    std::vector<Metro2Problem> problems;
    const auto b = BaseSegment::decode(blank_phone, problems);
    REQUIRE(b);
    CHECK(b->text(F::telephone_number) == "0000000000");
    CHECK(has_code(problems, "blank_numeric"));
}

// ---- validation ------------------------------------------------------------------------------

TEST_CASE("the valid fixture has no problems", "[metro2]") {
    CHECK(codes_of(valid_base().validate(d(2024, 4, 30))).empty());
    CHECK(codes_of(valid_record().validate(d(2024, 4, 30))).empty());
}

namespace {
struct Rule {
    const char* name;
    std::function<void(BaseSegment&)> breaks;
    const char* code;
    std::function<void(BaseSegment&)> passes;  // a nearby variant that is fine
};

void set_status(BaseSegment& b, const char* status, const char* rating, std::int64_t balance,
                std::int64_t past_due) {
    b.set_text(F::account_status, status)
        .set_text(F::payment_rating, rating)
        .set_number(F::current_balance, balance)
        .set_number(F::amount_past_due, past_due);
}
}  // namespace

TEST_CASE("every base rule fails on a bad value and passes on a good one", "[metro2]") {
    const std::vector<Rule> rules = {
        {"status 13 needs a payment rating",
         [](BaseSegment& b) { set_status(b, "13", "", 0, 0); }, "payment_rating_required",
         [](BaseSegment& b) { set_status(b, "13", "0", 0, 0); b.set_date(F::date_of_first_delinquency, std::nullopt); }},
        {"status 93 must not carry a payment rating",
         [](BaseSegment& b) { b.set_text(F::payment_rating, "G"); }, "payment_rating_not_allowed",
         [](BaseSegment& b) { b.set_text(F::payment_rating, ""); }},
        {"status 93 needs a DOFD",
         [](BaseSegment& b) { b.set_date(F::date_of_first_delinquency, std::nullopt); },
         "date_of_first_delinquency_required", [](BaseSegment&) {}},
        {"status 13 with rating 1 needs a DOFD",
         [](BaseSegment& b) { set_status(b, "13", "1", 0, 0); b.set_date(F::date_of_first_delinquency, std::nullopt); },
         "date_of_first_delinquency_required",
         [](BaseSegment& b) { set_status(b, "13", "1", 0, 0); }},
        {"a current account has no DOFD",
         [](BaseSegment& b) { set_status(b, "11", "", 100, 0); }, "date_of_first_delinquency_not_allowed",
         [](BaseSegment& b) { set_status(b, "11", "", 100, 0); b.set_date(F::date_of_first_delinquency, std::nullopt); }},
        {"a current account in bankruptcy keeps its DOFD (petition date)",
         [](BaseSegment& b) { set_status(b, "11", "", 100, 0); }, "date_of_first_delinquency_not_allowed",
         [](BaseSegment& b) { set_status(b, "11", "", 100, 0); b.set_text(F::consumer_information_indicator, "D"); }},
        {"status 11 has nothing past due",
         [](BaseSegment& b) { set_status(b, "11", "", 100, 50); b.set_date(F::date_of_first_delinquency, std::nullopt); },
         "amount_past_due_not_zero",
         [](BaseSegment& b) { set_status(b, "11", "", 100, 0); b.set_date(F::date_of_first_delinquency, std::nullopt); }},
        {"status 71 needs an amount past due",
         [](BaseSegment& b) { set_status(b, "71", "", 100, 0); }, "amount_past_due_required",
         [](BaseSegment& b) { set_status(b, "71", "", 100, 30); }},
        {"status 62 has a zero balance",
         [](BaseSegment& b) { set_status(b, "62", "", 10, 0); }, "current_balance_not_zero",
         [](BaseSegment& b) { set_status(b, "62", "", 0, 0); }},
        {"status 93 with a zero balance should be a paid status",
         [](BaseSegment& b) { set_status(b, "93", "", 0, 0); }, "current_balance_required",
         [](BaseSegment& b) { set_status(b, "93", "", 1, 1); }},
        {"status 97 needs the original charge-off amount",
         [](BaseSegment& b) { set_status(b, "97", "", 100, 100); }, "original_charge_off_amount_required",
         [](BaseSegment& b) { set_status(b, "97", "", 100, 100); b.set_number(F::original_charge_off_amount, 150); }},
        {"amount past due cannot exceed the balance",
         [](BaseSegment& b) { b.set_number(F::amount_past_due, 2000); }, "amount_past_due_exceeds_balance",
         [](BaseSegment& b) { b.set_number(F::amount_past_due, 1000); }},
        {"AU (settled for less) goes with a paid status",
         [](BaseSegment& b) { b.set_text(F::special_comment, "AU"); }, "special_comment_status_mismatch",
         [](BaseSegment& b) { set_status(b, "62", "", 0, 0); b.set_text(F::special_comment, "AU"); }},
        {"unknown account status",
         [](BaseSegment& b) { b.set_text(F::account_status, "99"); }, "invalid_code",
         [](BaseSegment& b) { b.set_text(F::account_status, "DA"); }},
        {"payment history values come from the allowed set",
         [](BaseSegment& b) { b.set_text(F::payment_history_profile, "GGZBBBBBBBBBBBBBBBBBBBBB"); },
         "invalid_payment_history",
         [](BaseSegment& b) { b.set_text(F::payment_history_profile, "GGDGBBBBBBBBBBBBBBBBBBBB"); }},
        {"payment history is 24 months",
         [](BaseSegment& b) { b.set_text(F::payment_history_profile, "GGBB"); }, "invalid_payment_history",
         [](BaseSegment& b) { b.set_text(F::payment_history_profile, std::string(24, 'G')); }},
        {"no B before a non-B in the payment history",
         [](BaseSegment& b) { b.set_text(F::payment_history_profile, "GBGBBBBBBBBBBBBBBBBBBBBB"); }, "embedded_b",
         [](BaseSegment& b) { b.set_text(F::payment_history_profile, std::string(24, 'B')); }},
        {"SSN or date of birth must be reported",
         [](BaseSegment& b) { b.set_text(F::social_security_number, "999999999").set_date(F::date_of_birth, std::nullopt); },
         "ssn_or_dob_required",
         [](BaseSegment& b) { b.set_text(F::social_security_number, "000000000"); }},
        {"an authorized user needs a date of birth",
         [](BaseSegment& b) { b.set_text(F::ecoa_code, "3").set_date(F::date_of_birth, std::nullopt); },
         "date_of_birth_required", [](BaseSegment& b) { b.set_text(F::ecoa_code, "3"); }},
        {"ECOA codes 0, 4 and 6 are obsolete",
         [](BaseSegment& b) { b.set_text(F::ecoa_code, "4"); }, "obsolete_code",
         [](BaseSegment& b) { b.set_text(F::ecoa_code, "2"); }},
        {"unknown ECOA code",
         [](BaseSegment& b) { b.set_text(F::ecoa_code, "9"); }, "invalid_code",
         [](BaseSegment& b) { b.set_text(F::ecoa_code, "Z"); }},
        {"minors are not reported",
         [](BaseSegment& b) { b.set_date(F::date_of_birth, d(2010, 1, 1)); }, "minor",
         [](BaseSegment& b) { b.set_date(F::date_of_birth, d(2006, 4, 30)); }},
        {"a date after the as-of date",
         [](BaseSegment& b) { b.set_date(F::date_of_account_information, d(2024, 5, 1)); }, "future_date",
         [](BaseSegment& b) { b.set_date(F::date_of_account_information, d(2024, 4, 1)); }},
        {"the date of last payment is not after the date of account information",
         [](BaseSegment& b) { b.set_date(F::date_of_account_information, d(2024, 4, 1)).set_date(F::date_of_last_payment, d(2024, 4, 2)); },
         "after_date_of_account_information",
         [](BaseSegment& b) { b.set_date(F::date_of_last_payment, d(2024, 4, 2)); }},
        {"required fields",
         [](BaseSegment& b) { b.set_text(F::first_line_of_address, ""); }, "required",
         [](BaseSegment& b) { b.set_text(F::second_line_of_address, ""); }},
        {"identification number: at least 5, no blanks",
         [](BaseSegment& b) { b.set_text(F::identification_number, "AG 01"); }, "invalid_identification_number",
         [](BaseSegment& b) { b.set_text(F::identification_number, "AG001"); }},
        {"identification number is never 9-filled",
         [](BaseSegment& b) { b.set_text(F::identification_number, "99999999"); }, "invalid_identification_number",
         [](BaseSegment& b) { b.set_text(F::identification_number, "99999998"); }},
        {"no special characters in the account number",
         [](BaseSegment& b) { b.set_text(F::consumer_account_number, "C-100234"); }, "invalid_account_number",
         [](BaseSegment& b) { b.set_text(F::consumer_account_number, "C100234X"); }},
        {"no SSN in the account number",
         [](BaseSegment& b) { b.set_text(F::consumer_account_number, "X123456789Y"); }, "ssn_in_account_number",
         [](BaseSegment& b) { b.set_text(F::consumer_account_number, "X12345678"); }},
        {"names: no special characters but the hyphen",
         [](BaseSegment& b) { b.set_text(F::surname, "O'BRIEN"); }, "invalid_name",
         [](BaseSegment& b) { b.set_text(F::surname, "SMITH-JONES"); }},
        {"names: no messages",
         [](BaseSegment& b) { b.set_text(F::first_name, "BABY"); }, "name_contains_message",
         [](BaseSegment& b) { b.set_text(F::first_name, "BABYLON"); }},
        {"addresses: no internal messages",
         [](BaseSegment& b) { b.set_text(F::second_line_of_address, "DO NOT MAIL"); }, "address_internal_message",
         [](BaseSegment& b) { b.set_text(F::second_line_of_address, "APT 4"); }},
        {"state is a USPS code",
         [](BaseSegment& b) { b.set_text(F::state, "XX"); }, "invalid_state",
         [](BaseSegment& b) { b.set_text(F::state, "PR"); }},
        {"ZIP code is 5 or 9 digits",
         [](BaseSegment& b) { b.set_text(F::zip_code, "6270"); }, "invalid_zip",
         [](BaseSegment& b) { b.set_text(F::zip_code, "627011234"); }},
        {"terms duration is LOC, REV or digits",
         [](BaseSegment& b) { b.set_text(F::terms_duration, "1"); }, "invalid_terms_duration",
         [](BaseSegment& b) { b.set_text(F::terms_duration, "REV"); }},
        {"compliance condition code set",
         [](BaseSegment& b) { b.set_text(F::compliance_condition_code, "XZ"); }, "invalid_code",
         [](BaseSegment& b) { b.set_text(F::compliance_condition_code, "XB"); }},
        {"consumer information indicators W, X, Y are obsolete",
         [](BaseSegment& b) { b.set_text(F::consumer_information_indicator, "W"); }, "obsolete_code",
         [](BaseSegment& b) { b.set_text(F::consumer_information_indicator, "T"); }},
        {"processing indicator is the constant 1",
         [](BaseSegment& b) { b.set_text(F::processing_indicator, "2"); }, "invalid_code",
         [](BaseSegment& b) { b.set_text(F::processing_indicator, "1"); }},
    };
    for (const auto& rule : rules) {
        SECTION(rule.name) {
            BaseSegment bad = valid_base();
            rule.breaks(bad);
            const auto found = bad.validate(d(2024, 4, 30));
            INFO(codes_of(found));
            CHECK(has_code(found, rule.code));
            BaseSegment good = valid_base();
            rule.passes(good);
            const auto fine = good.validate(d(2024, 4, 30));
            INFO(codes_of(fine));
            CHECK(fine.empty());
        }
    }
}

TEST_CASE("segment rules: J1/J2 consumers, K1, K2, K4, L1", "[metro2]") {
    J1Segment j;
    j.set_text(Metro2J1Field::surname, "OBRIEN").set_text(Metro2J1Field::first_name, "JOHN")
        .set_text(Metro2J1Field::ecoa_code, "2");
    CHECK(has_code(j.validate(), "ssn_or_dob_required"));
    j.set_date(Metro2J1Field::date_of_birth, d(1979, 1, 1));
    CHECK(j.validate().empty());
    j.set_text(Metro2J1Field::ecoa_code, "6");
    CHECK(has_code(j.validate(), "obsolete_code"));

    J2Segment j2;
    j2.set_text(Metro2J2Field::surname, "SMITH").set_text(Metro2J2Field::ecoa_code, "5")
        .set_text(Metro2J2Field::social_security_number, "987654321");
    CHECK(has_code(j2.validate(), "required"));  // J2 address is required
    j2.set_text(Metro2J2Field::first_line_of_address, "9 OAK AVE").set_text(Metro2J2Field::city, "PEORIA")
        .set_text(Metro2J2Field::state, "IL").set_text(Metro2J2Field::zip_code, "61602");
    CHECK(j2.validate().empty());

    K1Segment k1;
    k1.set_text(Metro2K1Field::original_creditor_name, "MERCY").set_text(Metro2K1Field::creditor_classification, "16");
    CHECK(has_code(k1.validate(), "invalid_code"));
    k1.set_text(Metro2K1Field::creditor_classification, "15");
    CHECK(k1.validate().empty());

    K2Segment k2;
    k2.set_text(Metro2K2Field::purchased_indicator, "1");
    CHECK(has_code(k2.validate(), "required"));
    k2.set_text(Metro2K2Field::purchased_indicator, "9");  // remove: no name needed
    CHECK(k2.validate().empty());

    K4Segment k4;
    k4.set_text(Metro2K4Field::specialized_payment_indicator, "01");
    CHECK(has_code(k4.validate(), "required"));
    k4.set_date(Metro2K4Field::balloon_payment_due_date, d(2030, 1, 1))
        .set_number(Metro2K4Field::balloon_payment_amount, 5000);
    CHECK(k4.validate().empty());

    L1Segment l1;
    l1.set_text(Metro2L1Field::change_indicator, "3").set_text(Metro2L1Field::new_consumer_account_number, "N1");
    CHECK(has_code(l1.validate(), "required"));
    l1.set_text(Metro2L1Field::new_identification_number, "NEWID1");
    CHECK(l1.validate().empty());
}

TEST_CASE("collection records report the original creditor in K1", "[metro2]") {
    DataRecord r = valid_record();
    r.k1.reset();
    auto problems = r.validate(d(2024, 4, 30));
    CHECK(has_code(problems, "original_creditor_required"));
    CHECK(problems.front().field == "k1");
    r = valid_record();
    r.base.set_text(F::account_type, "0C");
    CHECK(has_code(r.validate(), "purchased_from_required"));
    K2Segment k2;
    k2.set_text(Metro2K2Field::purchased_indicator, "1").set_text(Metro2K2Field::purchased_name, "BIG BANK");
    r.k2 = k2;
    CHECK(r.validate(d(2024, 4, 30)).empty());
}

// ---- data records and files ------------------------------------------------------------------

TEST_CASE("a data record's RDW is its total length and segments round-trip", "[metro2]") {
    DataRecord r = valid_record();
    J1Segment j;
    j.set_text(Metro2J1Field::surname, "OBRIEN").set_text(Metro2J1Field::first_name, "JOHN")
        .set_text(Metro2J1Field::ecoa_code, "2").set_date(Metro2J1Field::date_of_birth, d(1979, 1, 1));
    r.j1 = {j, j};
    const std::string text = r.encode();
    CHECK(text.size() == 426 + 200 + 34);
    CHECK(text.substr(0, 4) == "0660");
    CHECK(text.substr(426, 2) == "J1");
    CHECK(text.substr(626, 2) == "K1");
    CHECK(DataRecord::decode(text) == r);
    CHECK(DataRecord::decode(text + std::string(340, ' ')) == r);  // fixed-length padding
    CHECK_THROWS_WITH(DataRecord::decode(text + "ZZ"), Catch::Contains("ZZ"));
    CHECK_THROWS_WITH(DataRecord::decode(text.substr(0, 650)), Catch::Contains("K1"));
    r.j1.assign(100, j);
    CHECK_THROWS_AS(r.length(), OverflowError);  // RDW holds 9999
}

TEST_CASE("the trailer counts statuses, segments, SSNs, dates of birth and phones", "[metro2]") {
    DataRecord a = valid_record();  // 93, SSN + DOB, no phone
    DataRecord b = valid_record();
    set_status(b.base, "62", "", 0, 0);
    b.base.set_text(F::social_security_number, "999999999").set_text(F::telephone_number, "2175551234");
    J2Segment j2;
    j2.set_text(Metro2J2Field::surname, "SMITH").set_text(Metro2J2Field::ecoa_code, "Z")
        .set_text(Metro2J2Field::social_security_number, "987654321");
    b.j2 = {j2};
    b.j1 = {J1Segment()};  // a blank J1 is not counted
    const std::vector<DataRecord> records = {a, b};
    const TrailerRecord t = compute_metro2_trailer(std::span<const DataRecord>(records));
    using T = Metro2TrailerField;
    CHECK(t.number(T::total_base_records) == 2);
    CHECK(t.number(T::block_count) == 4);
    CHECK(t.number(T::total_status_code_93) == 1);
    CHECK(t.number(T::total_status_code_62) == 1);
    CHECK(t.number(T::total_status_code_97) == 0);
    CHECK(t.number(T::total_consumer_segments_j1) == 0);
    CHECK(t.number(T::total_consumer_segments_j2) == 1);
    CHECK(t.number(T::total_original_creditor_segments) == 2);
    CHECK(t.number(T::total_ecoa_code_z) == 1);
    CHECK(t.number(T::total_social_security_numbers_base_segments) == 1);  // 9-filled not counted
    CHECK(t.number(T::total_social_security_numbers_j2_segments) == 1);
    CHECK(t.number(T::total_social_security_numbers_all_segments) == 2);
    CHECK(t.number(T::total_dates_of_birth_base_segments) == 2);
    CHECK(t.number(T::total_dates_of_birth_all_segments) == 2);
    CHECK(t.number(T::total_telephone_numbers_all_segments) == 1);
}

TEST_CASE("a written file parses back with no problems", "[metro2]") {
    std::vector<DataRecord> records;
    for (int i = 0; i < 5000; ++i) {
        DataRecord r = valid_record();
        r.base.set_text(F::consumer_account_number, std::string("C").append(std::to_string(100000 + i)));
        records.push_back(r);
    }
    const std::string text = write_metro2_file(valid_header(), records, {true, "\n", 2});
    const Metro2File file = parse_metro2_file(text, true, 2);
    INFO(codes_of(file.problems));
    CHECK(file.problems.empty());
    REQUIRE(file.records.size() == records.size());
    CHECK(file.records == records);
    CHECK(file.record_lines.front() == 2);
    CHECK(file.record_lines.back() == 5001);
    REQUIRE(file.trailer);
    CHECK(file.trailer->number(Metro2TrailerField::total_status_code_93) == 5000);
    CHECK(write_metro2_file(valid_header(), records, {true, "\r\n", 1}).size() ==
          text.size() + 5002);
}

TEST_CASE("bare base segments are written like records without appended segments", "[metro2]") {
    std::vector<BaseSegment> bases(3, valid_base());
    bases[1].set_text(F::account_status, "DA");
    std::vector<DataRecord> records;
    std::vector<const BaseSegment*> ptrs;
    for (const auto& b : bases) {
        records.emplace_back(b);
        ptrs.push_back(&b);
    }
    const Metro2WriteOptions unchecked{false, "\n", 0};
    CHECK(write_metro2_file(valid_header(), std::span<const BaseSegment* const>(ptrs), unchecked) ==
          write_metro2_file(valid_header(), records, unchecked));
    CHECK(compute_metro2_trailer(std::span<const BaseSegment* const>(ptrs)) ==
          compute_metro2_trailer(std::span<const DataRecord>(records)));
    // Into a caller's buffer: requested once, with the exact size, and filled the same way.
    std::vector<char> buffer;
    int requests = 0;
    write_metro2_file(valid_header(), std::span<const BaseSegment* const>(ptrs), unchecked,
                      [&](std::size_t size) {
                          ++requests;
                          buffer.assign(size, '\0');
                          return buffer.data();
                      });
    CHECK(requests == 1);
    CHECK(std::string(buffer.begin(), buffer.end()) ==
          write_metro2_file(valid_header(), records, unchecked));
    // Checked, a bare 93 collection base segment lacks its K1 (the record rule still applies).
    CHECK_THROWS_WITH(write_metro2_file(valid_header(), std::span<const BaseSegment* const>(ptrs)),
                      Catch::Contains("original_creditor_required"));
}

TEST_CASE("the writer refuses invalid records unless told not to check", "[metro2]") {
    std::vector<DataRecord> records = {valid_record()};
    records[0].base.set_text(F::payment_rating, "G");
    CHECK_THROWS_WITH(write_metro2_file(valid_header(), records),
                      Catch::Contains("record 0") && Catch::Contains("payment_rating"));
    CHECK_NOTHROW(write_metro2_file(valid_header(), records, {false, "\n", 0}));
    records[0] = valid_record();
    records[0].base.set_date(F::date_of_account_information, d(2024, 5, 1));  // after activity
    CHECK_THROWS_WITH(write_metro2_file(valid_header(), records), Catch::Contains("future_date") ||
                                                                      Catch::Contains("after the as-of"));
    CHECK_THROWS_AS(write_metro2_file(valid_header(), records, {false, "\t", 0}), ValidationError);
}

TEST_CASE("the reader reports malformed lines with their line numbers and keeps going",
          "[metro2]") {
    std::vector<DataRecord> records(3, valid_record());
    std::string text = write_metro2_file(valid_header(), records);
    // Line 3 (the second record): a bad date; line 4 gets an unknown segment appended.
    const std::size_t line3 = 427 + 461;  // header + newline, record (426 + K1 34) + newline
    REQUIRE(text.substr(line3 + 75, 8) == "01152023");
    text.replace(line3 + 75, 8, "13452019");  // date_opened, positions 76-83
    const std::size_t line4 = line3 + 461;
    REQUIRE(text[line4 + 460] == '\n');
    text.insert(line4 + 460, "ZZ");
    const Metro2File file = parse_metro2_file(text);
    CHECK(file.records.size() == 1);
    CHECK(file.record_lines == std::vector<std::int64_t>{2});
    bool bad_date = false, unknown = false, mismatch = false;
    for (const auto& p : file.problems) {
        if (p.code == "invalid_date" && p.line == 3 && p.field == "date_opened") bad_date = true;
        if (p.code == "unknown_segment" && p.line == 4) unknown = true;
        if (p.code == "trailer_mismatch" && p.line == 5) mismatch = true;
        CHECK_THAT(p.message, Catch::StartsWith("line "));
    }
    CHECK(bad_date);
    CHECK(unknown);
    CHECK(mismatch);  // the trailer counts 3 records, 1 could be read
}

TEST_CASE("the reader reads records back to back and variable-blocked files", "[metro2]") {
    std::vector<DataRecord> records(3, valid_record());
    Metro2WriteOptions back_to_back;
    back_to_back.newline = "";
    const std::string chained = write_metro2_file(valid_header(), records, back_to_back);
    const Metro2File a = parse_metro2_file(chained);
    CHECK(a.problems.empty());
    CHECK(a.records == records);
    CHECK(a.record_lines == std::vector<std::int64_t>{2, 3, 4});
    // Variable-blocked: a 4-digit BDW (the block's length, its own 4 bytes included) per block.
    std::string blocked;
    for (std::size_t at = 0; at < chained.size();) {
        const std::size_t len = std::stoul(chained.substr(at, 4));
        blocked += std::to_string(len + 4).insert(0, 4 - std::to_string(len + 4).size(), '0');
        blocked += chained.substr(at, len);
        at += len;
    }
    const Metro2File b = parse_metro2_file(blocked);
    CHECK(b.problems.empty());
    CHECK(b.records == records);
    // Packed: one problem, no cascade of field errors.
    const Metro2File p = parse_metro2_file(std::string("\x01\x6e\x00\x00HEADER", 10) + std::string(356, '\0'));
    REQUIRE(p.problems.size() == 1);
    CHECK(p.problems[0].code == "packed_format");
}

TEST_CASE("the reader flags missing header and trailer, short lines and RDW mismatches",
          "[metro2]") {
    const std::string rec = valid_record().encode();
    std::string text = rec + "\n" + rec.substr(0, 300) + "\n\n" + "0999" + rec.substr(4) + "\n";
    const Metro2File file = parse_metro2_file(text, false);
    std::vector<std::pair<std::string, std::int64_t>> got;
    for (const auto& p : file.problems) got.emplace_back(p.code, p.line);
    using P = std::pair<std::string, std::int64_t>;
    auto has = [&](P x) { return std::find(got.begin(), got.end(), x) != got.end(); };
    CHECK(has(P("missing_header", 1)));
    CHECK(has(P("too_short", 2)));
    CHECK(has(P("empty_line", 3)));
    CHECK(has(P("rdw_mismatch", 4)));
    CHECK(has(P("missing_trailer", 4)));
    CHECK(file.records.size() == 2);
}

// ---- collection profile ----------------------------------------------------------------------

namespace {

Metro2AccountFacts facts() {
    Metro2AccountFacts f;
    f.account_number = "C100234";
    f.date_opened = d(2023, 1, 15);
    f.date_placed = d(2024, 3, 1);
    f.date_of_first_delinquency = d(2023, 8, 14);
    f.original_amount = Money::parse("1500.00");
    f.current_balance = Money::parse("1234.56");
    f.original_creditor_name = "Mercy Hospital";
    f.creditor_classification = "02";
    f.earliest_furnishing_date = d(2024, 4, 1);
    Metro2Consumer c;
    c.surname = "O'Brien";
    c.first_name = "Mary";
    c.social_security_number = "123456789";
    c.date_of_birth = d(1980, 5, 1);
    c.first_line_of_address = "12 Main St";
    c.city = "Springfield";
    c.state = "IL";
    c.zip_code = "62701";
    f.consumers = {c};
    return f;
}

Metro2Profile agency() {
    Metro2Profile p;
    p.identification_number = "AGENCY01";
    return p;
}

const Date kAsOf = make_date(2024, 4, 30);

DataRecord record_of(const Metro2AccountFacts& f, const Metro2Profile& p = agency()) {
    auto o = metro2_account_record(f, p, kAsOf);
    if (auto* e = std::get_if<Metro2Exclusion>(&o)) FAIL(e->code + ": " + e->message);
    return std::get<DataRecord>(o);
}

std::string exclusion_of(const Metro2AccountFacts& f, const Metro2Profile& p = agency()) {
    auto o = metro2_account_record(f, p, kAsOf);
    if (auto* e = std::get_if<Metro2Exclusion>(&o)) return e->code;
    return "reported";
}

}  // namespace

TEST_CASE("an unpaid collection reports status 93 with the original creditor in K1", "[metro2]") {
    const DataRecord r = record_of(facts());
    CHECK(r.base.text(F::account_status) == "93");
    CHECK(r.base.text(F::payment_rating).empty());
    CHECK(r.base.text(F::portfolio_type) == "O");
    CHECK(r.base.text(F::account_type) == "48");
    CHECK(r.base.number(F::current_balance) == 1234);  // cents truncated
    CHECK(r.base.number(F::amount_past_due) == 1234);
    CHECK(r.base.number(F::highest_credit) == 1500);
    CHECK(r.base.date(F::date_of_account_information) == kAsOf);
    CHECK(r.base.date(F::date_of_first_delinquency) == d(2023, 8, 14));  // passed through
    CHECK(r.base.text(F::payment_history_profile) == std::string(24, 'B'));
    CHECK(r.base.text(F::surname) == "OBRIEN");
    REQUIRE(r.k1);
    CHECK(r.k1->text(Metro2K1Field::original_creditor_name) == "MERCY HOSPITAL");
    CHECK(r.k1->text(Metro2K1Field::creditor_classification) == "02");
    CHECK_FALSE(r.k2);
}

TEST_CASE("paid, settled and deleted collections", "[metro2]") {
    Metro2AccountFacts f = facts();
    f.state = Metro2CollectionState::paid;
    f.date_paid = d(2024, 4, 20);
    DataRecord r = record_of(f);
    CHECK(r.base.text(F::account_status) == "62");
    CHECK(r.base.text(F::special_comment).empty());
    CHECK(r.base.number(F::current_balance) == 0);
    CHECK(r.base.date(F::date_of_account_information) == d(2024, 4, 20));
    CHECK(r.base.date(F::date_closed) == d(2024, 4, 20));
    CHECK(r.base.date(F::date_of_first_delinquency) == d(2023, 8, 14));

    f.state = Metro2CollectionState::settled;
    r = record_of(f);
    CHECK(r.base.text(F::account_status) == "62");
    CHECK(r.base.text(F::special_comment) == "AU");

    f.date_paid.reset();
    CHECK(exclusion_of(f) == "missing_facts");

    f = facts();
    f.state = Metro2CollectionState::deleted;
    CHECK(exclusion_of(f) == "not_previously_reported");
    f.previously_reported = true;
    f.earliest_furnishing_date.reset();  // a deletion is always sent
    r = record_of(f);
    CHECK(r.base.text(F::account_status) == "DA");
}

TEST_CASE("a debt buyer reports K2 purchased-from", "[metro2]") {
    Metro2Profile p = agency();
    p.account_type = "0C";
    Metro2AccountFacts f = facts();
    CHECK(exclusion_of(f, p) == "missing_facts");
    f.purchased_from = "Big Bank NA";
    const DataRecord r = record_of(f, p);
    REQUIRE(r.k2);
    CHECK(r.k2->text(Metro2K2Field::purchased_indicator) == "1");
    CHECK(r.k2->text(Metro2K2Field::purchased_name) == "BIG BANK NA");
}

TEST_CASE("disputes: XB while open, XH or XC once resolved, XR to clear", "[metro2]") {
    auto ccc = [](Metro2DisputeState s, std::string last = "") {
        Metro2AccountFacts f = facts();
        f.dispute = s;
        f.last_reported_compliance_condition_code = std::move(last);
        return std::string(record_of(f).base.text(F::compliance_condition_code));
    };
    CHECK(ccc(Metro2DisputeState::none) == "");
    CHECK(ccc(Metro2DisputeState::open) == "XB");
    CHECK(ccc(Metro2DisputeState::resolved, "XB") == "XH");
    CHECK(ccc(Metro2DisputeState::resolved_disagrees, "XB") == "XC");
    CHECK(ccc(Metro2DisputeState::withdrawn, "XB") == "XR");
    CHECK(ccc(Metro2DisputeState::none, "XB") == "XR");  // never leave XB on
    CHECK(ccc(Metro2DisputeState::none, "XH") == "");
}

TEST_CASE("co-signers become J1 (same address) or J2 (other address) with their ECOA codes",
          "[metro2]") {
    Metro2AccountFacts f = facts();
    Metro2Consumer spouse;
    spouse.surname = "OBRIEN";
    spouse.first_name = "JOHN";
    spouse.ecoa_code = "2";
    spouse.date_of_birth = d(1979, 1, 1);
    Metro2Consumer cosigner;
    cosigner.surname = "SMITH";
    cosigner.first_name = "ANN";
    cosigner.ecoa_code = "5";
    cosigner.social_security_number = "987654321";
    cosigner.first_line_of_address = "9 Oak Ave";
    cosigner.city = "Peoria";
    cosigner.state = "IL";
    cosigner.zip_code = "61602";
    f.consumers.push_back(spouse);
    f.consumers.push_back(cosigner);
    const DataRecord r = record_of(f);
    REQUIRE(r.j1.size() == 1);
    REQUIRE(r.j2.size() == 1);
    CHECK(r.j1[0].text(Metro2J1Field::ecoa_code) == "2");
    CHECK(r.j2[0].text(Metro2J2Field::ecoa_code) == "5");
    CHECK(r.j2[0].text(Metro2J2Field::city) == "PEORIA");
}

TEST_CASE("consumer facts in everyday forms become bureau forms", "[metro2]") {
    Metro2AccountFacts f = facts();
    f.consumers[0].zip_code = "62701-1234";
    f.consumers[0].telephone_number = "+12175551234";
    f.consumers[0].generation_code = "Jr.";
    f.consumers[0].middle_name = "st. claire";
    DataRecord r = record_of(f);
    CHECK(r.base.text(F::zip_code) == "627011234");
    CHECK(r.base.text(F::telephone_number) == "2175551234");
    CHECK(r.base.text(F::generation_code) == "J");
    CHECK(r.base.text(F::middle_name) == "ST CLAIRE");
    f.consumers[0].telephone_number = "(217) 555-1234";
    f.consumers[0].generation_code = "III";
    r = record_of(f);
    CHECK(r.base.text(F::telephone_number) == "2175551234");
    CHECK(r.base.text(F::generation_code) == "3");
    f.consumers[0].telephone_number = "217555123x";
    CHECK(exclusion_of(f) == "invalid_facts");
}

TEST_CASE("accounts not yet eligible are left out with a reason", "[metro2]") {
    Metro2AccountFacts f = facts();
    f.earliest_furnishing_date = d(2024, 5, 15);
    CHECK(exclusion_of(f) == "passive_collection_period");
    f.earliest_furnishing_date.reset();
    CHECK(exclusion_of(f) == "no_earliest_furnishing_date");

    f = facts();
    f.debt_type = "medical";
    f.client_excluded_debt_types = {"medical"};
    CHECK(exclusion_of(f) == "client_excluded_debt_type");
    f.client_excluded_debt_types.clear();
    Metro2Profile p = agency();
    p.excluded_debt_types = {"medical"};
    CHECK(exclusion_of(f, p) == "excluded_debt_type");
    CHECK(exclusion_of(f) == "reported");
}

TEST_CASE("the date of first delinquency is passed through and never re-aged", "[metro2]") {
    Metro2AccountFacts f = facts();
    f.date_of_first_delinquency.reset();
    CHECK(exclusion_of(f) == "missing_facts");
    f = facts();
    f.last_reported_date_of_first_delinquency = d(2023, 7, 14);
    CHECK(exclusion_of(f) == "re_aged");
    f.last_reported_date_of_first_delinquency = d(2023, 8, 14);
    CHECK(exclusion_of(f) == "reported");
    f.date_placed = d(2023, 8, 1);  // the DOFD must precede placement
    CHECK(exclusion_of(f) == "invalid_facts");
}

TEST_CASE("obsolete: 7 years after the 180 days that follow the DOFD", "[metro2]") {
    Metro2AccountFacts f = facts();
    // DOFD 2016-11-01 + 180 days = 2017-04-30; + 7 years = 2024-04-30: not reportable then.
    f.date_of_first_delinquency = d(2016, 11, 1);
    f.date_placed.reset();
    CHECK(exclusion_of(f) == "obsolete");
    f.date_of_first_delinquency = d(2016, 11, 2);
    CHECK(exclusion_of(f) == "reported");
}

TEST_CASE("facts that break a record rule or do not fit are excluded, not thrown", "[metro2]") {
    Metro2AccountFacts f = facts();
    f.consumers[0].surname = std::string(30, 'A');
    CHECK(exclusion_of(f) == "invalid_facts");
    f = facts();
    f.current_balance = Money::parse("0.50");
    CHECK(exclusion_of(f) == "invalid_facts");  // rounds to $0 while unpaid
    f = facts();
    f.consumers[0].date_of_birth = d(2010, 1, 1);
    CHECK(exclusion_of(f) == "invalid_facts");  // a minor
    Metro2Profile bad = agency();
    bad.identification_number = "AB";
    CHECK_THROWS_WITH(metro2_account_record(facts(), bad, kAsOf),
                      Catch::Contains("profile.identification_number"));
}

TEST_CASE("facts from JSON reject unknown keys and never echo an SSN", "[metro2]") {
    const Json ok = Json::parse(R"({"account_number": "A1", "current_balance": "12.50",
        "date_of_first_delinquency": "2023-08-14", "state": "paid",
        "consumers": [{"surname": "X", "social_security_number": "123456789"}]})");
    const auto f = metro2_facts_from_json(JsonView(ok));
    CHECK(f.current_balance.minor() == 1250);
    CHECK(f.state == Metro2CollectionState::paid);
    CHECK(f.consumers.at(0).social_security_number == "123456789");
    CHECK_THROWS_WITH(metro2_facts_from_json(JsonView(Json::parse(R"({"account_number": "A1", "balance": "1"})"))),
                      Catch::Contains("$.balance"));
    const Json bad_ssn = Json::parse(R"({"account_number": "A1", "consumers": [{"surname": "X",
        "social_security_number": "12345678Z"}]})");
    CHECK_THROWS_WITH(metro2_facts_from_json(JsonView(bad_ssn)),
                      Catch::Contains("$.consumers[0].social_security_number") &&
                          !Catch::Contains("12345678Z"));
    const Json bad_dob = Json::parse(R"({"account_number": "A1", "consumers": [{"surname": "X",
        "date_of_birth": "1980-02-30"}]})");
    CHECK_THROWS_WITH(metro2_facts_from_json(JsonView(bad_dob)), !Catch::Contains("1980"));
}

TEST_CASE("batch building keeps input order and splits records from exclusions", "[metro2]") {
    std::vector<Metro2AccountFacts> many;
    for (int i = 0; i < 3000; ++i) {
        Metro2AccountFacts f = facts();
        f.account_number = std::string("C").append(std::to_string(i));
        if (i % 3 == 0) f.earliest_furnishing_date = d(2024, 6, 1);
        many.push_back(f);
    }
    const auto out = metro2_account_records(many, agency(), kAsOf, 2);
    CHECK(out.records.size() == 2000);
    CHECK(out.exclusions.size() == 1000);
    CHECK(out.records.front().base.text(F::consumer_account_number) == "C1");
    CHECK(out.exclusions.front().account_number == "C0");
    CHECK(out.exclusions.back().code == "passive_collection_period");
}
