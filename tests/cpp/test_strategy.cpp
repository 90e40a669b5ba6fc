#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "arrears/arrow_import.hpp"
#include "arrears/error.hpp"
#include "arrears/portfolio.hpp"
#include "arrears/strategy.hpp"

using namespace arrears;

namespace {

Date D(const char* iso) { return parse_date(iso); }

std::shared_ptr<const Portfolio> portfolio() {
    Table t;
    t.add_utf8("account_id", {"A", "B", "C", "D", "E", "F"});
    t.add_int64("balance_cents", {10'000, 200'000, 30'000, 40'000, 500'000, 60'000});
    t.add_dates("oldest_unpaid_due", {D("2026-11-13"), D("2026-08-01"), D("2026-05-01"), D("2026-11-01"),
                                      D("2026-09-01"), D("2026-11-22")});
    t.add_utf8("status", {"active", "active", "disputed", "active", "active", "bankrupt"});
    t.add_bool("cease", {0, 0, 0, 1, 0, 0});
    t.add_dates("last_payment_date", {D("2026-11-01"), D("2026-01-01"), D("2026-11-20"), D("2026-06-01"),
                                      D("2026-11-22"), D("2026-11-22")}, {1, 1, 1, 1, 1, 0});
    t.add_int64("broken_promises", {0, 3, 1, 0, 2, 0});
    t.add_utf8("state", {"NY", "MA", "WA", "TX", "NY", "CA"});
    ArrowArrayStream s{};
    Table::export_stream(std::make_shared<const Table>(std::move(t)), &s);
    auto in = ArrowImport::read(&s);
    return Portfolio::from_arrow(*in);
}

const char* kStrategy = R"({
  "name": "test",
  "factors": [
    {"column": "dpd", "weight": 50, "cap": 100},
    {"column": "balance_cents", "weight": 30, "cap": 300000},
    {"column": "days_since_last_payment", "weight": 20, "cap": 200, "null_value": 1}
  ],
  "exclusions": ["disputed", "cease", "bankrupt"],
  "segments": [
    {"name": "high", "when": {"all": [{"column": "dpd", ">=": 60}, {"column": "balance_cents", ">=": 100000}]},
     "treatment": {"type": "call", "queue": "senior"}},
    {"name": "ny", "when": {"column": "state", "in": ["NY"]}, "treatment": {"type": "call", "queue": "ny"}},
    {"name": "rest", "treatment": {"type": "letter", "template": "reminder"}}
  ]
})";

template <class T>
const std::vector<T>& col(const Table& t, const char* name) {
    return std::get<std::vector<T>>(t.column(name).values);
}

std::vector<std::string> labels(const Table& t, const char* name) {
    const auto& d = std::get<DictionaryValues>(t.column(name).values);
    std::vector<std::string> out;
    for (auto c : d.codes) out.push_back(c < 0 ? "" : (*d.categories)[static_cast<std::size_t>(c)]);
    return out;
}

}  // namespace

TEST_CASE("scores are weighted, capped factors; segments take the first match", "[strategy]") {
    const Strategy s = Strategy::from_json(kStrategy);
    auto p = portfolio();
    const Table r = s.apply(*p, D("2026-11-23"));
    const auto& score = col<double>(r, "score");
    // A: dpd 10 -> 50*10/100 = 5; balance 10000 -> 30*10000/300000 = 1; 22 days -> 20*22/200 = 2.2
    CHECK(score[0] == Approx(8.2));
    // B: dpd 114 capped at 100 -> 50; 200000 -> 20; 326 days capped -> 20
    CHECK(score[1] == Approx(90.0));
    // F: no last payment -> null_value 1 -> 20
    CHECK(col<double>(r, "part_days_since_last_payment")[5] == Approx(20.0));
    // E: dpd 83 -> 41.5; 500000 capped -> 30; 1 day -> 0.1
    CHECK(score[4] == Approx(71.6));
    // A is in NY (second segment); B and E are 60+ dpd with 1000+ dollars (first segment).
    CHECK(labels(r, "segment") == std::vector<std::string>{"ny", "high", "", "", "high", ""});
    CHECK(labels(r, "exclusion") == std::vector<std::string>{"", "", "disputed", "cease", "", "bankrupt"});
    CHECK(labels(r, "treatment") == std::vector<std::string>{"call", "call", "none", "none", "call", "none"});
    CHECK(labels(r, "queue") == std::vector<std::string>{"ny", "senior", "", "", "senior", ""});
}

TEST_CASE("worklists are ordered by score, per queue, and cut to the top", "[strategy][worklist]") {
    const Strategy s = Strategy::from_json(kStrategy);
    auto p = portfolio();
    const Table w = s.worklist(*p, D("2026-11-23"), WorklistOptions{});
    CHECK(labels(w, "queue") == std::vector<std::string>{"senior", "senior", "ny"});
    CHECK(col<std::string>(w, "account_id") == std::vector<std::string>{"B", "E", "A"});
    CHECK(col<std::int32_t>(w, "rank") == std::vector<std::int32_t>{1, 2, 1});
    const Table only = s.worklist(*p, D("2026-11-23"), WorklistOptions{{"ny"}, std::nullopt, std::nullopt});
    CHECK(only.num_rows() == 1);
    const Table top = s.worklist(*p, D("2026-11-23"), WorklistOptions{{}, std::size_t{1}, std::nullopt});
    CHECK(col<std::string>(top, "account_id") == std::vector<std::string>{"B", "A"});
    const Table half = s.worklist(*p, D("2026-11-23"), WorklistOptions{{"senior"}, std::nullopt, 50.0});
    CHECK(col<std::string>(half, "account_id") == std::vector<std::string>{"B"});
    CHECK_THROWS_WITH(s.worklist(*p, D("2026-11-23"), WorklistOptions{{"nope"}, {}, {}}), Catch::Contains("'nope'"));
    CHECK_THROWS_AS(s.worklist(*p, D("2026-11-23"), WorklistOptions{{}, {}, 0.0}), ValidationError);
}

TEST_CASE("strategy JSON errors carry the JSON path", "[strategy]") {
    CHECK_THROWS_WITH(Strategy::from_json(R"({"name": "x", "factors": [{"column": "dpd", "weight": 1}]})"),
                      Catch::Contains("$.factors[0].cap"));
    CHECK_THROWS_WITH(Strategy::from_json(R"({"name": "x", "segmnts": []})"), Catch::Contains("$.segmnts"));
    CHECK_THROWS_WITH(Strategy::from_json(R"({"name": "x", "segments": [{"name": "a", "treatment": {"type": "call"}}]})"),
                      Catch::Contains("needs a queue"));
    CHECK_THROWS_WITH(Strategy::from_json(R"({"name": "x", "arms": [{"name": "a", "percent": 60}, {"name": "b", "percent": 30}]})"),
                      Catch::Contains("add up to 90.00"));
    CHECK_THROWS_WITH(Strategy::from_json(R"({"name": "x", "exclusions": ["vacation"]})"), Catch::Contains("$.exclusions[0]"));
    CHECK_THROWS_WITH(Strategy::from_json(R"({"name": "x", "segments": [{"name": "a", "when": {"column": "dpd", ">": 1, "<": 5}, "treatment": {"type": "hold"}}]})"),
                      Catch::Contains("exactly one operator"));
    // Columns are checked against the portfolio when applied, with the path.
    const Strategy s = Strategy::from_json(R"({"name": "x", "segments": [{"name": "a", "when": {"column": "score_x", ">": 1}, "treatment": {"type": "hold"}}]})");
    CHECK_THROWS_WITH(s.apply(*portfolio(), D("2026-11-23")), Catch::Contains("$.segments[0].when.column") && Catch::Contains("'score_x'"));
    const Strategy t = Strategy::from_json(R"({"name": "x", "segments": [{"name": "a", "when": {"column": "state", ">": 1}, "treatment": {"type": "hold"}}]})");
    CHECK_THROWS_WITH(t.apply(*portfolio(), D("2026-11-23")), Catch::Contains("holds text"));
    const Strategy u = Strategy::from_json(R"({"name": "x", "exclusions": ["attorney"]})");
    CHECK_THROWS_WITH(u.apply(*portfolio(), D("2026-11-23")), Catch::Contains("attorney"));
}

TEST_CASE("champion/challenger splits are stable and close to the percentages", "[strategy][arms]") {
    const Strategy s = Strategy::from_json(R"({"name": "x", "seed": "2026Q4",
        "arms": [{"name": "champion", "percent": 80}, {"name": "challenger", "percent": 20}]})");
    std::size_t challenger = 0;
    const std::size_t n = 100'000;
    for (std::size_t i = 0; i < n; ++i) challenger += s.arm_of("ACC-" + std::to_string(i)) == 1;
    const double share = static_cast<double>(challenger) / n;
    CHECK(share > 0.19);
    CHECK(share < 0.21);
    CHECK(s.arm_of("ACC-12345") == s.arm_of("ACC-12345"));
    const Strategy other_seed = Strategy::from_json(R"({"name": "x", "seed": "2027Q1",
        "arms": [{"name": "champion", "percent": 80}, {"name": "challenger", "percent": 20}]})");
    std::size_t differ = 0;
    for (std::size_t i = 0; i < 1000; ++i)
        differ += s.arm_of("ACC-" + std::to_string(i)) != other_seed.arm_of("ACC-" + std::to_string(i));
    CHECK(differ > 100);  // a new seed reshuffles
}

TEST_CASE("a strategy round-trips through JSON", "[strategy]") {
    const Strategy s = Strategy::from_json(kStrategy);
    const Strategy again = Strategy::from_document(s.to_json());
    CHECK(again.to_json() == s.to_json());
}
