#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "arrears/error.hpp"
#include "arrears/interest.hpp"
#include "arrears/json.hpp"

using namespace arrears;

namespace {
Date D(const char* iso) { return parse_date(iso); }
const Currency USD = Currency::of("USD");

std::int64_t cents(const InterestTerms& t, std::int64_t base, const char* from, const char* to) {
    return interest_between(base, D(from), D(to), t).round(RoundingMode::half_up);
}
}  // namespace

// shared/reference/payment-math.md §3.2 vectors: $10,000.00 at 6%.
TEST_CASE("simple interest matches the day-count vectors of the reference", "[interest]") {
    auto [convention, from, to, expected] = GENERATE(table<const char*, const char*, const char*, std::int64_t>({
        {"actual/365", "2026-01-31", "2026-03-01", 4767},
        {"actual/360", "2026-01-31", "2026-03-01", 4833},
        {"30/360", "2026-01-31", "2026-03-01", 5167},
        {"actual/365", "2026-01-15", "2026-02-15", 5096},
        {"30/360", "2026-01-15", "2026-02-15", 5000},
    }));
    InterestTerms t;
    t.annual_rate = Rational::parse("0.06");
    t.day_count = parse_day_count(convention);
    CHECK(cents(t, 1000000, from, to) == expected);
}

TEST_CASE("interest is cut into pieces at rate changes", "[interest]") {
    InterestTerms t;
    t.annual_rate = Rational::parse("0.12");
    t.rate_changes = {{D("2026-01-16"), Rational::parse("0.06")}};
    // $1,000 for 15 days at 12% and 16 days at 6% (actual/365): 4.9315 + 2.6301 = 7.5616
    CHECK(cents(t, 100000, "2026-01-01", "2026-02-01") == 756);
    // entirely before or after the change
    CHECK(cents(t, 100000, "2026-01-01", "2026-01-16") == 493);
    CHECK(cents(t, 100000, "2026-01-16", "2026-02-01") == 263);
    CHECK(t.rate_on(D("2026-01-15")) == Rational::parse("0.12"));
    CHECK(t.rate_on(D("2026-01-16")) == Rational::parse("0.06"));
}

TEST_CASE("no interest before start_on or after stop_on", "[interest]") {
    InterestTerms t;
    t.annual_rate = Rational::parse("0.365");  // 0.1% a day under actual/365
    t.start_on = D("2026-01-11");
    t.stop_on = D("2026-01-21");
    CHECK(cents(t, 100000, "2026-01-01", "2026-02-01") == 1000);  // 10 days x $1.00
    CHECK(cents(t, 100000, "2026-01-01", "2026-01-11") == 0);
    CHECK(cents(t, 100000, "2026-01-21", "2026-02-01") == 0);
    CHECK(interest_between(0, D("2026-01-01"), D("2026-02-01"), t).is_zero());
    CHECK(interest_between(-500, D("2026-01-01"), D("2026-02-01"), t).is_zero());
}

TEST_CASE("exact amounts add without rounding", "[interest]") {
    ExactAmount a{1, 3};
    a.add(ExactAmount{1, 6});
    CHECK(a == ExactAmount{1, 2});
    a.add(ExactAmount{1, 2});
    CHECK(a.round(RoundingMode::half_up) == 1);
    ExactAmount b{5, 2};
    CHECK(b.round(RoundingMode::half_up) == 3);
    CHECK(b.round(RoundingMode::half_even) == 2);
    CHECK(b.round(RoundingMode::down) == 2);
}

TEST_CASE("interest terms are validated with the field named", "[interest]") {
    InterestTerms t;
    t.annual_rate = Rational::parse("-0.01");
    CHECK_THROWS_WITH(t.validate(USD), Catch::Contains("interest.annual_rate") && Catch::Contains("negative"));
    t.annual_rate = Rational::parse("0.1");
    t.cap = Money::parse("10.00", Currency::of("EUR"));
    CHECK_THROWS_WITH(t.validate(USD), Catch::Contains("interest.cap"));
    t.cap = Money::parse("10.00", USD);
    t.start_on = D("2026-02-01");
    t.stop_on = D("2026-01-01");
    CHECK_THROWS_WITH(t.validate(USD), Catch::Contains("interest.stop_on"));
    t.stop_on.reset();
    t.rate_changes = {{D("2026-03-01"), Rational::parse("0.1")}, {D("2026-03-01"), Rational::parse("0.2")}};
    CHECK_THROWS_WITH(t.validate(USD), Catch::Contains("rate_changes[1]"));
}

TEST_CASE("interest terms round-trip through JSON", "[interest][json]") {
    InterestTerms t;
    t.annual_rate = Rational::parse("0.1299");
    t.day_count = DayCountConvention::actual_360;
    t.compound = true;
    t.rounding = RoundingMode::half_even;
    t.start_on = D("2026-01-01");
    t.cap = Money::parse("250.00", USD);
    t.rate_changes = {{D("2026-06-01"), Rational::parse("0.09")}};
    const InterestTerms back = parse_interest_terms(Json(t), USD);
    CHECK(back == t);
    CHECK_THROWS_WITH(parse_interest_terms(parse_json(R"({"annual_rate": 0.12})"), USD),
                      Catch::Contains("$.annual_rate"));
    CHECK_THROWS_WITH(parse_interest_terms(parse_json(R"({"rate": "0.12"})"), USD),
                      Catch::Contains("$.rate") && Catch::Contains("unknown field"));
}
