#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "arrears/money.hpp"

using namespace arrears;

namespace {
const Currency USD = Currency::of("USD");
const Currency JPY = Currency::of("JPY");
const Currency KWD = Currency::of("KWD");
Money usd(std::int64_t minor) { return Money::from_minor(minor, USD); }
}  // namespace

TEST_CASE("currencies carry their ISO 4217 minor-unit exponent", "[money]") {
    CHECK(USD.exponent() == 2);
    CHECK(Currency::of("EUR").exponent() == 2);
    CHECK(Currency::of("GBP").exponent() == 2);
    CHECK(Currency::of("CAD").exponent() == 2);
    CHECK(JPY.exponent() == 0);
    CHECK(KWD.exponent() == 3);
    CHECK(KWD.scale() == 1000);
    CHECK_THROWS_AS(Currency::of("XYZ"), ValidationError);
    CHECK_THROWS_WITH(Currency::of("usd"), Catch::Contains("'usd'"));
}

TEST_CASE("parsing accepts exact decimals and rejects extra precision", "[money]") {
    CHECK(Money::parse("1234.56", USD).minor() == 123456);
    CHECK(Money::parse("-0.5", USD).minor() == -50);
    CHECK(Money::parse("+12", USD).minor() == 1200);
    CHECK(Money::parse(".07", USD).minor() == 7);
    CHECK(Money::parse("1.000", USD).minor() == 100);  // trailing zeros are exact
    CHECK(Money::parse("1235", JPY).minor() == 1235);
    CHECK(Money::parse("1.234", KWD).minor() == 1234);
    CHECK_THROWS_WITH(Money::parse("1.005", USD), Catch::Contains("'1.005'") &&
                                                      Catch::Contains("more decimal places"));
    CHECK_THROWS_AS(Money::parse("1.5", JPY), ValidationError);
    for (const char* bad : {"", "-", ".", "1,234.56", "1e3", " 12", "12 ", "1.2.3", "NaN", "$5"})
        CHECK_THROWS_AS(Money::parse(bad, USD), ValidationError);
    CHECK_THROWS_AS(Money::parse("92233720368547758.08", USD), OverflowError);
    CHECK(Money::parse("92233720368547758.07", USD).minor() ==
          std::numeric_limits<std::int64_t>::max());
    CHECK(Money::parse("-92233720368547758.08", USD).minor() ==
          std::numeric_limits<std::int64_t>::min());
}

TEST_CASE("amount text and display formats", "[money]") {
    CHECK(usd(123456).amount_string() == "1234.56");
    CHECK(usd(-5).amount_string() == "-0.05");
    CHECK(usd(0).amount_string() == "0.00");
    CHECK(usd(123456).format() == "$1,234.56");
    CHECK(usd(-123456).format() == "-$1,234.56");
    CHECK(usd(228456).format("es_US") == "$2,284.56");
    CHECK(usd(100000000).format() == "$1,000,000.00");
    CHECK(usd(99).format() == "$0.99");
    CHECK(Money::from_minor(1235, JPY).format() == "¥1,235");
    CHECK(Money::from_minor(123456, Currency::of("EUR")).format() == "€1,234.56");
    CHECK(Money::from_minor(123456, Currency::of("CHF")).format() == "CHF 1,234.56");
    CHECK(Money::from_minor(1234567, KWD).amount_string() == "1234.567");
    CHECK(usd(std::numeric_limits<std::int64_t>::min()).amount_string() ==
          "-92233720368547758.08");
    CHECK_THROWS_AS(usd(1).format("xx_YY"), ValidationError);
    CHECK(usd(1234).repr() == "Money('12.34', 'USD')");
}

TEST_CASE("arithmetic is exact, currency-checked and overflow-checked", "[money]") {
    CHECK((usd(150) + usd(275)).minor() == 425);
    CHECK((usd(150) - usd(275)).minor() == -125);
    CHECK((-usd(150)).minor() == -150);
    CHECK((usd(150) * 3).minor() == 450);
    CHECK(usd(-7).abs().minor() == 7);
    CHECK_THROWS_AS(usd(1) + Money::from_minor(1, JPY), ValidationError);
    CHECK_THROWS_WITH(usd(1) - Money::from_minor(1, JPY), Catch::Contains("USD") &&
                                                             Catch::Contains("JPY"));
    const auto max = std::numeric_limits<std::int64_t>::max();
    const auto min = std::numeric_limits<std::int64_t>::min();
    CHECK_THROWS_AS(usd(max) + usd(1), OverflowError);
    CHECK_THROWS_AS(usd(min) - usd(1), OverflowError);
    CHECK_THROWS_AS(-usd(min), OverflowError);
    CHECK_THROWS_AS(usd(max / 2 + 1) * 2, OverflowError);
    CHECK_THROWS_AS(Money::from_units(max / 10, USD), OverflowError);
    CHECK(Money::from_units(12, USD).minor() == 1200);
    CHECK(Money::from_units(12, JPY).minor() == 12);
}

TEST_CASE("comparisons need one currency; equality does not", "[money]") {
    CHECK(usd(1) < usd(2));
    CHECK(usd(2) >= usd(2));
    CHECK(usd(1) != Money::from_minor(1, JPY));
    CHECK_FALSE(usd(1) == Money::from_minor(1, JPY));
    CHECK_THROWS_AS((void)(usd(1) < Money::from_minor(2, JPY)), ValidationError);
}

TEST_CASE("every rounding mode at ties and off ties", "[money][rounding]") {
    using R = RoundingMode;
    // value/10 for value in {25, 35, -25, -35, 26, -24}: expected per mode
    struct Row {
        std::int64_t num;
        R mode;
        std::int64_t expected;
    };
    auto row = GENERATE(table<std::int64_t, R, std::int64_t>({
        {25, R::half_even, 2},  {35, R::half_even, 4},  {-25, R::half_even, -2},
        {-35, R::half_even, -4}, {25, R::half_up, 3},   {-25, R::half_up, -3},
        {25, R::half_down, 2},  {-25, R::half_down, -2}, {25, R::down, 2},
        {-25, R::down, -2},     {25, R::up, 3},         {-25, R::up, -3},
        {25, R::floor, 2},      {-25, R::floor, -3},    {25, R::ceiling, 3},
        {-25, R::ceiling, -2},  {26, R::half_even, 3},  {-24, R::half_up, -2},
        {26, R::down, 2},       {21, R::up, 3},         {-21, R::floor, -3},
        {-29, R::ceiling, -2},  {20, R::up, 2},         {-20, R::floor, -2},
    }));
    const auto [num, mode, expected] = row;
    INFO(num << "/10 with " << to_string(mode));
    CHECK(round_div(num, 10, mode) == expected);
    CHECK(round_div(-num, -10, mode) == expected);  // sign of the divisor is normalized
}

TEST_CASE("rounding to fewer places and by a rational factor", "[money][rounding]") {
    CHECK(usd(1250).round(0, RoundingMode::half_up).minor() == 1300);
    CHECK(usd(1250).round(0, RoundingMode::half_even).minor() == 1200);
    CHECK(usd(-1250).round(0, RoundingMode::half_up).minor() == -1300);
    CHECK(usd(1299).round(0, RoundingMode::down).minor() == 1200);
    CHECK(usd(1201).round(0, RoundingMode::up).minor() == 1300);
    CHECK(usd(1234).round(1, RoundingMode::half_even).minor() == 1230);
    CHECK(usd(1234).round(2, RoundingMode::half_even).minor() == 1234);
    CHECK_THROWS_AS(usd(1).round(3, RoundingMode::half_up), ValidationError);
    CHECK_THROWS_AS(usd(1).round(-1, RoundingMode::half_up), ValidationError);
    // 10.01 * 0.5 = 5.005
    CHECK(usd(1001).multiply(Rational::of(1, 2), RoundingMode::half_even).minor() == 500);
    CHECK(usd(1001).multiply(Rational::of(1, 2), RoundingMode::half_up).minor() == 501);
    CHECK(usd(100000).multiply(Rational::parse("0.0125"), RoundingMode::half_up).minor() == 1250);
    CHECK_THROWS_AS(round_div(1, 0, RoundingMode::half_up), ValidationError);
    CHECK_THROWS_AS(round_div(static_cast<i128>(std::numeric_limits<std::int64_t>::max()) * 4, 2,
                              RoundingMode::half_up),
                    OverflowError);
    CHECK(parse_rounding_mode("half_up") == RoundingMode::half_up);
    CHECK_THROWS_WITH(parse_rounding_mode("bankers"), Catch::Contains("'bankers'"));
}

TEST_CASE("allocation hands leftovers out first-come and always sums to the whole", "[money]") {
    auto parts = usd(100000).allocate(3);
    REQUIRE(parts.size() == 3);
    CHECK(parts[0].minor() == 33334);
    CHECK(parts[1].minor() == 33333);
    CHECK(parts[2].minor() == 33333);

    parts = usd(-100).allocate(3);
    CHECK(parts[0].minor() == -34);
    CHECK(parts[1].minor() == -33);
    CHECK(parts[2].minor() == -33);

    std::vector<std::int64_t> w{0, 1, 1};
    parts = usd(5).allocate(w);
    CHECK(parts[0].minor() == 0);  // a zero weight never receives a leftover cent
    CHECK(parts[1].minor() == 3);
    CHECK(parts[2].minor() == 2);

    std::vector<std::int64_t> w2{70, 20, 10};
    parts = usd(1001).allocate(w2);
    CHECK(parts[0].minor() == 701);
    CHECK(parts[1].minor() == 200);
    CHECK(parts[2].minor() == 100);

    CHECK_THROWS_AS(usd(1).allocate(0), ValidationError);
    std::vector<std::int64_t> zero{0, 0};
    CHECK_THROWS_AS(usd(1).allocate(zero), ValidationError);
    std::vector<std::int64_t> negative{1, -1};
    CHECK_THROWS_WITH(usd(1).allocate(negative), Catch::Contains("weights[1]"));
}

TEST_CASE("a leftover cent never goes to a part whose share was exact", "[money]") {
    // 30.58 over weights 492, 193, 36011: shares 41 (exact), 16.08, 3000.91 -> leftover 1
    std::vector<std::int64_t> w{492, 193, 36011};
    const auto parts = usd(3058).allocate(w);
    CHECK(parts[0].minor() == 41);
    CHECK(parts[1].minor() == 17);
    CHECK(parts[2].minor() == 3000);
}

TEST_CASE("allocation invariants over random amounts and weights", "[money][property]") {
    std::mt19937_64 rng(20261123);
    std::uniform_int_distribution<std::int64_t> amount(-1'000'000'000'000LL, 1'000'000'000'000LL);
    std::uniform_int_distribution<std::int64_t> weight(0, 1'000'000);
    std::uniform_int_distribution<std::size_t> count(1, 40);
    for (int trial = 0; trial < 5000; ++trial) {
        const Money m = usd(amount(rng));
        std::vector<std::int64_t> w(count(rng));
        for (auto& x : w) x = weight(rng);
        w[w.size() / 2] += 1;  // at least one positive weight
        const auto parts = m.allocate(w);
        std::int64_t sum = 0;
        i128 total_weight = 0;
        for (auto x : w) total_weight += x;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            sum += parts[i].minor();
            if (w[i] == 0) REQUIRE(parts[i].minor() == 0);
            // each part is within one minor unit of its exact share
            const i128 exact_num = static_cast<i128>(m.minor()) * w[i];
            const i128 diff = static_cast<i128>(parts[i].minor()) * total_weight - exact_num;
            REQUIRE((diff < 0 ? -diff : diff) < total_weight);
            REQUIRE((parts[i].minor() == 0 || (parts[i].minor() < 0) == m.is_negative()));
        }
        REQUIRE(sum == m.minor());
        const auto even = m.allocate(w.size());
        std::int64_t even_sum = 0;
        for (const auto& p : even) even_sum += p.minor();
        REQUIRE(even_sum == m.minor());
        REQUIRE(even.front().abs() >= even.back().abs());
    }
}

TEST_CASE("arithmetic agrees with 128-bit integers over random inputs", "[money][property]") {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> any(std::numeric_limits<std::int64_t>::min(),
                                                    std::numeric_limits<std::int64_t>::max());
    for (int trial = 0; trial < 20000; ++trial) {
        const std::int64_t a = any(rng) >> (trial % 64), b = any(rng) >> (trial % 61);
        const i128 exact = static_cast<i128>(a) + b;
        const bool fits = exact >= std::numeric_limits<std::int64_t>::min() &&
                          exact <= std::numeric_limits<std::int64_t>::max();
        if (fits) {
            REQUIRE((usd(a) + usd(b)).minor() == static_cast<std::int64_t>(exact));
            REQUIRE((usd(a) + usd(b) - usd(b)).minor() == a);
        } else {
            REQUIRE_THROWS_AS(usd(a) + usd(b), OverflowError);
        }
        REQUIRE(Money::parse(usd(a).amount_string(), USD) == usd(a));
    }
}

TEST_CASE("money JSON round trip", "[money][json]") {
    nlohmann::json j = usd(123456);
    CHECK(j.dump() == R"({"amount":"1234.56","currency":"USD"})");
    CHECK(j.get<Money>() == usd(123456));
    CHECK_THROWS_AS(nlohmann::json::parse(R"({"amount":1234.56,"currency":"USD"})").get<Money>(),
                    ValidationError);
    CHECK_THROWS_AS(nlohmann::json::parse(R"({"amount":"1","currency":"ABC"})").get<Money>(),
                    ValidationError);
    CHECK_THROWS_AS(nlohmann::json::parse(R"({"amount":"1.001","currency":"USD"})").get<Money>(),
                    ValidationError);
}

TEST_CASE("rationals parse decimals exactly", "[rational]") {
    CHECK(Rational::parse("0.12") == Rational::of(3, 25));
    CHECK(Rational::parse("-1.5") == Rational::of(-3, 2));
    CHECK(Rational::parse("7") == Rational::of(7, 1));
    CHECK(Rational::parse("0.1299").to_string() == "0.1299");
    CHECK(Rational::of(1, 3).to_string() == "1/3");
    CHECK(Rational::of(-1, 8).to_string() == "-0.125");
    CHECK_THROWS_AS(Rational::parse("1e-3"), ValidationError);
    CHECK_THROWS_AS(Rational::parse(""), ValidationError);
    CHECK_THROWS_AS(Rational::of(1, 0), ValidationError);
}
