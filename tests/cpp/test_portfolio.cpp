#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <random>

#include "arrears/aging.hpp"
#include "arrears/arrow_import.hpp"
#include "arrears/error.hpp"
#include "arrears/portfolio.hpp"
#include "arrears/strategy.hpp"

using namespace arrears;

namespace {

Date D(const char* iso) { return parse_date(iso); }

std::shared_ptr<const Portfolio> make_portfolio(Table t, std::vector<std::string> only = {}) {
    ArrowArrayStream s{};
    Table::export_stream(std::make_shared<const Table>(std::move(t)), &s);
    auto in = ArrowImport::read(&s);
    return Portfolio::from_arrow(*in, only);
}

// Five accounts as of 2026-11-23; due dates chosen to land on bucket edges.
Table five() {
    Table t;
    t.add_utf8("account_id", {"A", "B", "C", "D", "E"});
    t.add_int64("balance_cents", {10'000, 20'000, 30'000, 40'000, 50'000});
    t.add_dates("oldest_unpaid_due",
                {D("2026-11-23"), D("2026-11-22"), D("2026-10-24"), D("2026-10-23"), D("2020-01-01")},
                {1, 1, 1, 1, 0});
    t.add_utf8("status", {"active", "disputed", "active", "bankrupt", "active"});
    t.add_bool("cease", {0, 0, 1, 0, 0});
    t.add_dates("last_payment_date", {D("2026-11-01"), D("2026-01-01"), D("2026-11-20"), D("2026-06-01"), D("2026-11-22")},
                {1, 1, 1, 1, 0});
    t.add_int64("broken_promises", {0, 3, 1, 0, 2});
    return t;
}

}  // namespace

TEST_CASE("days past due: the due date is day 0", "[aging]") {
    CHECK(days_past_due(D("2026-11-23"), D("2026-11-23")) == 0);
    CHECK(days_past_due(D("2026-11-22"), D("2026-11-23")) == 1);
    CHECK(days_past_due(D("2026-12-01"), D("2026-11-23")) == 0);  // not yet due
    CHECK(days_past_due(std::nullopt, D("2026-11-23")) == 0);
    CHECK(days_past_due(D("2024-02-28"), D("2024-03-01")) == 2);  // leap day counts
    CHECK(days_past_due(D("2025-02-28"), D("2025-03-01")) == 1);
}

TEST_CASE("bucket edges put each dpd in exactly one bucket", "[aging]") {
    const Buckets b;  // [1, 31, 61, 91, 121, 181]
    auto [dpd, label] = GENERATE(table<int, const char*>({
        {0, "current"}, {1, "1-30"}, {30, "1-30"}, {31, "31-60"}, {60, "31-60"}, {61, "61-90"},
        {90, "61-90"}, {91, "91-120"}, {120, "91-120"}, {121, "121-180"}, {180, "121-180"},
        {181, "181+"}, {5000, "181+"},
    }));
    INFO(dpd << " days past due");
    CHECK(b.labels()[static_cast<std::size_t>(b.index_of(dpd))] == label);
}

TEST_CASE("buckets are validated: sorted, positive, non-overlapping", "[aging]") {
    CHECK_THROWS_WITH(Buckets(std::vector<std::int32_t>{}), Catch::Contains("at least one edge"));
    CHECK_THROWS_WITH(Buckets({0, 31}), Catch::Contains("buckets[0]"));
    CHECK_THROWS_WITH(Buckets({1, 31, 31}), Catch::Contains("buckets[2]"));
    CHECK_THROWS_WITH(Buckets({1, 61, 31}), Catch::Contains("sorted"));
    CHECK_THROWS_AS(Buckets({1, 31}, {"a", "b"}), ValidationError);
    CHECK_THROWS_AS(Buckets({1, 31}, {"a", "b", "a"}), ValidationError);
    const Buckets custom({1, 91}, {"current", "early", "late"});
    CHECK(custom.labels()[2] == "late");
    CHECK(custom.upper(1) == 90);
    CHECK_FALSE(custom.upper(2).has_value());
    const Json j = parse_json(R"({"edges": [1, 31], "extra": 1})");
    CHECK_THROWS_WITH(Buckets::from_json(JsonView(j)), Catch::Contains("$.extra"));
}

TEST_CASE("a portfolio needs its required columns, unique non-null ids and known types", "[portfolio]") {
    Table missing;
    missing.add_utf8("account_id", {"A"});
    missing.add_int64("balance_cents", {1});
    CHECK_THROWS_WITH(make_portfolio(std::move(missing)), Catch::Contains("'oldest_unpaid_due'"));

    Table d2;
    d2.add_utf8("account_id", {"A", "B", "A"});
    d2.add_int64("balance_cents", {1, 2, 3});
    d2.add_date32("oldest_unpaid_due", {0, 0, 0});
    CHECK_THROWS_WITH(make_portfolio(std::move(d2)), Catch::Contains("duplicate 'A' at rows 0 and 2"));

    Table nulls;
    nulls.add_utf8("account_id", {"A", "B"}, {1, 0});
    nulls.add_int64("balance_cents", {1, 2});
    nulls.add_date32("oldest_unpaid_due", {0, 0});
    CHECK_THROWS_WITH(make_portfolio(std::move(nulls)), Catch::Contains("null at row 1"));

    Table wrong;
    wrong.add_utf8("account_id", {"A"});
    wrong.add_float64("balance_cents", {1.5});
    wrong.add_date32("oldest_unpaid_due", {0});
    CHECK_THROWS_WITH(make_portfolio(std::move(wrong)), Catch::Contains("'balance_cents'") && Catch::Contains("'g'"));
}

TEST_CASE("aging and bucket totals agree with a row-by-row count", "[portfolio][aging]") {
    auto p = make_portfolio(five());
    REQUIRE(p->size() == 5);
    CHECK(p->find("C") == std::optional<std::size_t>(2));
    CHECK_FALSE(p->find("Z").has_value());
    CHECK(p->column("status").kind == PortfolioColumn::Kind::category);
    CHECK(p->column("cease").kind == PortfolioColumn::Kind::flag);
    CHECK(p->column("last_payment_date").kind == PortfolioColumn::Kind::date);
    CHECK(p->balance_cents().borrowed());  // zero-copy from the Arrow input

    const Table aged = p->age(D("2026-11-23"), Buckets{});
    const auto& dpd = std::get<std::vector<std::int32_t>>(aged.column("dpd").values);
    CHECK(dpd == std::vector<std::int32_t>{0, 1, 30, 31, 0});

    const Table summary = p->bucket_summary(D("2026-11-23"), Buckets{}, 2);
    const auto& accounts = std::get<std::vector<std::int64_t>>(summary.column("accounts").values);
    const auto& balance = std::get<std::vector<std::int64_t>>(summary.column("balance_cents").values);
    CHECK(accounts == std::vector<std::int64_t>{2, 2, 1, 0, 0, 0, 0});
    CHECK(balance == std::vector<std::int64_t>{60'000, 50'000, 40'000, 0, 0, 0, 0});
    // As of an earlier date the same snapshot ages less (past dates work).
    const Table earlier = p->bucket_summary(D("2026-11-01"), Buckets{});
    CHECK(std::get<std::vector<std::int64_t>>(earlier.column("accounts").values)[0] == 3);
}

TEST_CASE("bucket totals over a random portfolio match a naive loop", "[portfolio][property]") {
    std::mt19937 rng(42);
    const std::size_t n = 200'003;
    std::vector<std::string> ids(n);
    std::vector<std::int64_t> bal(n);
    std::vector<std::int32_t> due(n);
    std::vector<std::uint8_t> ok(n);
    for (std::size_t i = 0; i < n; ++i) {
        ids[i] = "ACC" + std::to_string(i);
        bal[i] = static_cast<std::int64_t>(rng() % 10'000'000) - 1000;
        due[i] = 20'000 + static_cast<std::int32_t>(rng() % 600);
        ok[i] = rng() % 5 != 0;
    }
    Table t;
    t.add_utf8("account_id", ids);
    t.add_int64("balance_cents", bal);
    t.add_date32("oldest_unpaid_due", due, ok);
    auto p = make_portfolio(std::move(t));
    const Buckets b({1, 31, 61, 91, 121, 181});
    const Date as_of = date_from_epoch_days(20'400);
    std::vector<std::int64_t> count(b.size(), 0), sum(b.size(), 0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t d = ok[i] ? std::max(0, 20'400 - due[i]) : 0;
        const auto k = static_cast<std::size_t>(b.index_of(d));
        ++count[k];
        sum[k] += bal[i];
    }
    for (unsigned threads : {1u, 2u, 3u}) {
        const Table s = p->bucket_summary(as_of, b, threads);
        CHECK(std::get<std::vector<std::int64_t>>(s.column("accounts").values) == count);
        CHECK(std::get<std::vector<std::int64_t>>(s.column("balance_cents").values) == sum);
    }
}

TEST_CASE("bucket moves between two snapshots", "[portfolio][aging]") {
    auto before = make_portfolio(five());
    Table later = five();
    auto after = make_portfolio(std::move(later));
    const Table same = bucket_moves(*before, D("2026-11-23"), *after, D("2026-11-23"), Buckets{});
    CHECK(same.num_rows() == 0);
    const Table moved = bucket_moves(*before, D("2026-11-23"), *after, D("2026-11-24"), Buckets{});
    // A (0 -> 1 dpd) and C (30 -> 31) move; B stays 1-30; D stays 31-60; E has no due date.
    const auto& ids = std::get<std::vector<std::string>>(moved.column("account_id").values);
    CHECK(ids == std::vector<std::string>{"A", "C"});
}
