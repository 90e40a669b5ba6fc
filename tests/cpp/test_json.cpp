#include <catch2/catch.hpp>

#include "arrears/error.hpp"
#include "arrears/json.hpp"

using namespace arrears;

TEST_CASE("JsonView errors name the JSON path", "[json]") {
    const Json doc = parse_json(R"({"factors":[{"column":"dpd","weight":2},{"column":"x","weight":"high"}],
                                    "rate":"0.12","start":"2026-01-31","cap":{"amount":"5.00"}})");
    const JsonView root(doc);
    CHECK(root.at("factors").at(0).at("weight").as_double() == 2.0);
    CHECK_THROWS_WITH(root.at("factors").at(1).at("weight").as_double(),
                      Catch::StartsWith("$.factors[1].weight: expected a number"));
    CHECK_THROWS_WITH(root.at("missing"), Catch::StartsWith("$.missing: required field missing"));
    CHECK_THROWS_WITH(root.at("factors").at(0).check_keys({"column"}),
                      Catch::StartsWith("$.factors[0].weight: unknown field"));
    CHECK(root.at("rate").as_decimal() == Rational::of(3, 25));
    CHECK(to_iso(root.at("start").as_date()) == "2026-01-31");
    CHECK(root.at("cap").as_money().minor() == 500);
    CHECK_FALSE(root.find("nothing").has_value());
    CHECK_THROWS_WITH(parse_json("{", "strategy"), Catch::StartsWith("strategy: invalid JSON"));
    const Json floaty = parse_json(R"({"rate":0.12})");
    CHECK_THROWS_WITH(JsonView(floaty).at("rate").as_decimal(), Catch::Contains("$.rate"));
}
