#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <vector>

#include "arrears/allocation.hpp"
#include "arrears/error.hpp"
#include "arrears/json.hpp"

using namespace arrears;

namespace {
using Parts = std::array<std::int64_t, 4>;  // principal, interest, fees, costs
const Waterfall kPrincipalFirst{std::array<Component, 4>{Component::principal, Component::interest,
                                                         Component::fees, Component::costs}};
}  // namespace

TEST_CASE("the default waterfall pays fees, then costs, then interest, then principal",
          "[allocation]") {
    // balances (P, I, F, C), payment -> applied (P, I, F, C), unapplied
    auto [balance, amount, applied, unapplied] = GENERATE(table<Parts, std::int64_t, Parts, std::int64_t>({
        {Parts{100000, 2000, 3000, 500}, 1000, Parts{0, 0, 1000, 0}, 0},        // fees only
        {Parts{100000, 2000, 3000, 500}, 3000, Parts{0, 0, 3000, 0}, 0},        // fees exactly
        {Parts{100000, 2000, 3000, 500}, 3200, Parts{0, 0, 3000, 200}, 0},      // into costs
        {Parts{100000, 2000, 3000, 500}, 4500, Parts{0, 1000, 3000, 500}, 0},   // into interest
        {Parts{100000, 2000, 3000, 500}, 10000, Parts{4500, 2000, 3000, 500}, 0},  // into principal
        {Parts{100000, 2000, 3000, 500}, 105500, Parts{100000, 2000, 3000, 500}, 0},  // pays off
        {Parts{100000, 2000, 3000, 500}, 105501, Parts{100000, 2000, 3000, 500}, 1},  // 1 cent over
        {Parts{0, 0, 0, 0}, 2500, Parts{0, 0, 0, 0}, 2500},                     // nothing owed
        {Parts{5000, 0, 0, 0}, 1, Parts{1, 0, 0, 0}, 0},                        // one cent
    }));
    std::int64_t b[4] = {balance[0], balance[1], balance[2], balance[3]};
    const CreditSplit split = apply_credit(b, amount, Waterfall{});
    CHECK(split.applied == applied);
    CHECK(split.unapplied == unapplied);
    for (std::size_t i = 0; i < 4; ++i) CHECK(b[i] == balance[i] - applied[i]);
}

TEST_CASE("a principal-first waterfall (after judgment in some states) pays principal first",
          "[allocation]") {
    std::int64_t b[4] = {10000, 500, 300, 200};
    const CreditSplit split = apply_credit(b, 10600, kPrincipalFirst);
    CHECK(split.applied == Parts{10000, 500, 100, 0});
    CHECK(split.unapplied == 0);
    CHECK(kPrincipalFirst.to_string() == "principal > interest > fees > costs");
    CHECK(Waterfall{}.to_string() == "fees > costs > interest > principal");
}

TEST_CASE("the parts of a credit always sum to the credit", "[allocation][property]") {
    std::mt19937_64 rng(20260101);
    std::uniform_int_distribution<std::int64_t> bal(0, 100000), amt(1, 500000);
    std::vector<Component> order{Component::principal, Component::interest, Component::fees,
                                 Component::costs};
    for (int round = 0; round < 2000; ++round) {
        std::shuffle(order.begin(), order.end(), rng);
        const Waterfall w(order);
        std::int64_t b[4] = {bal(rng), bal(rng), bal(rng), bal(rng)};
        const std::int64_t before = b[0] + b[1] + b[2] + b[3];
        const std::int64_t amount = amt(rng);
        const CreditSplit s = apply_credit(b, amount, w);
        const std::int64_t applied = s.applied[0] + s.applied[1] + s.applied[2] + s.applied[3];
        REQUIRE(applied + s.unapplied == amount);
        REQUIRE(b[0] + b[1] + b[2] + b[3] == before - applied);
        for (auto x : b) REQUIRE(x >= 0);
        // Unapplied credit only when everything is paid.
        if (s.unapplied > 0) REQUIRE(b[0] + b[1] + b[2] + b[3] == 0);
        // Waterfall order: a later component is only touched once the earlier ones are zero.
        bool earlier_open = false;
        for (Component c : w.order()) {
            const auto i = static_cast<std::size_t>(c);
            if (earlier_open) REQUIRE(s.applied[i] == 0);
            if (b[i] > 0) earlier_open = true;
        }
    }
}

TEST_CASE("a waterfall names each component exactly once", "[allocation]") {
    const std::vector<std::string> twice{"fees", "fees", "interest", "principal"};
    CHECK_THROWS_WITH(Waterfall::parse(twice, "allocation.payment"),
                      Catch::Contains("allocation.payment") && Catch::Contains("'fees' appears twice"));
    const std::vector<std::string> short_list{"fees", "interest", "principal"};
    CHECK_THROWS_WITH(Waterfall::parse(short_list, "payment"), Catch::Contains("all four"));
    const std::vector<std::string> unknown{"fees", "costs", "interest", "penalty"};
    CHECK_THROWS_WITH(Waterfall::parse(unknown, "payment"),
                      Catch::Contains("payment[3]") && Catch::Contains("'penalty'"));
}

TEST_CASE("an allocation policy reads from JSON with its path in errors", "[allocation][json]") {
    const Json j = parse_json(R"({"payment": ["principal", "interest", "fees", "costs"]})");
    const AllocationPolicy p = parse_allocation_policy(j);
    CHECK(p.payment == kPrincipalFirst);
    CHECK(p.write_off == Waterfall{});
    const AllocationPolicy back = parse_allocation_policy(Json(p));
    CHECK(back == p);
    CHECK_THROWS_WITH(parse_allocation_policy(parse_json(R"({"payments": []})")),
                      Catch::Contains("$.payments") && Catch::Contains("unknown field"));
    CHECK_THROWS_WITH(
        parse_allocation_policy(parse_json(R"({"write_off": ["fees", "fees", "costs", "interest"]})")),
        Catch::Contains("$.write_off"));
}

TEST_CASE("a pro-rata split follows the balances and never overpays an account", "[allocation]") {
    // 100.00 across balances 500.00, 300.00, 200.00 -> 50.00, 30.00, 20.00
    CHECK(split_across_accounts(10000, std::vector<std::int64_t>{50000, 30000, 20000},
                                SplitMethod::pro_rata) == std::vector<std::int64_t>{5000, 3000, 2000});
    // 1.00 across three equal balances: 33, 33, 33 and one leftover cent to the first
    CHECK(split_across_accounts(100, std::vector<std::int64_t>{700, 700, 700},
                                SplitMethod::pro_rata) == std::vector<std::int64_t>{34, 33, 33});
    // accounts with nothing owed get nothing, also no leftover cent
    CHECK(split_across_accounts(101, std::vector<std::int64_t>{0, 1000, 1000},
                                SplitMethod::pro_rata) == std::vector<std::int64_t>{0, 51, 50});
    // more than owed: every balance paid, the excess split by the same weights
    CHECK(split_across_accounts(2000, std::vector<std::int64_t>{1000, 0, 500},
                                SplitMethod::pro_rata) == std::vector<std::int64_t>{1334, 0, 666});
    CHECK_THROWS_WITH(split_across_accounts(100, std::vector<std::int64_t>{0, -5},
                                            SplitMethod::pro_rata),
                      Catch::Contains("nothing is owed"));
    CHECK_THROWS_AS(split_across_accounts(0, std::vector<std::int64_t>{100}, SplitMethod::pro_rata),
                    ValidationError);
}

TEST_CASE("a sequential split fills accounts in order, the excess to the last", "[allocation]") {
    CHECK(split_across_accounts(1500, std::vector<std::int64_t>{1000, 1000, 1000},
                                SplitMethod::sequential) == std::vector<std::int64_t>{1000, 500, 0});
    CHECK(split_across_accounts(5000, std::vector<std::int64_t>{1000, 1000},
                                SplitMethod::sequential) == std::vector<std::int64_t>{1000, 4000});
    CHECK(split_across_accounts(300, std::vector<std::int64_t>{0, 0}, SplitMethod::sequential) ==
          std::vector<std::int64_t>{0, 300});
}

TEST_CASE("pro-rata parts always sum to the payment and stay within the balances",
          "[allocation][property]") {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> bal(0, 1000000), amt(1, 3000000);
    std::uniform_int_distribution<int> count(1, 8);
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::int64_t> b(static_cast<std::size_t>(count(rng)));
        for (auto& x : b) x = bal(rng);
        const std::int64_t total = std::accumulate(b.begin(), b.end(), std::int64_t{0});
        if (total == 0) continue;
        const std::int64_t amount = amt(rng);
        const auto parts = split_across_accounts(amount, b, SplitMethod::pro_rata);
        REQUIRE(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}) == amount);
        for (std::size_t i = 0; i < b.size(); ++i) {
            REQUIRE(parts[i] >= 0);
            if (amount <= total) REQUIRE(parts[i] <= b[i]);
            if (b[i] == 0) REQUIRE(parts[i] == 0);
        }
    }
}
