#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "arrears/error.hpp"
#include "arrears/ledger.hpp"
#include "arrears/payment_batch.hpp"

using namespace arrears;

namespace {

const Currency USD = Currency::of("USD");
const Instant T0 = parse_instant("2026-01-01T00:00:00Z");
const Waterfall kPrincipalFirst{std::array<Component, 4>{Component::principal, Component::interest,
                                                         Component::fees, Component::costs}};

struct Batch {
    std::vector<std::int32_t> account;
    std::vector<std::int32_t> day;
    std::vector<std::int64_t> amount;
    std::array<std::vector<std::int64_t>, 5> balance;  // P, I, F, C, unapplied
    std::vector<std::uint8_t> rule;
};

Batch random_batch(std::mt19937_64& rng, std::size_t accounts, std::size_t payments) {
    Batch b;
    std::uniform_int_distribution<std::int32_t> acct(0, static_cast<std::int32_t>(accounts) - 1),
        day(20000, 20030);
    std::uniform_int_distribution<std::int64_t> amt(1, 40000), bal(0, 50000);
    for (std::size_t i = 0; i < payments; ++i) {
        b.account.push_back(acct(rng));
        b.day.push_back(day(rng));
        b.amount.push_back(amt(rng));
    }
    for (auto& col : b.balance) col.resize(accounts);
    for (std::size_t a = 0; a < accounts; ++a) {
        for (int k = 0; k < 4; ++k) b.balance[static_cast<std::size_t>(k)][a] = bal(rng);
        b.balance[4][a] = 0;
        b.rule.push_back(static_cast<std::uint8_t>(a % 2));
    }
    return b;
}

struct Result {
    std::array<std::vector<std::int64_t>, 5> balance;
    std::vector<std::int64_t> allocation;
};

Result run(const Batch& b, unsigned threads, bool with_rules = true) {
    Result r;
    const std::size_t accounts = b.balance[0].size();
    for (auto& col : r.balance) col.assign(accounts, -1);
    r.allocation.assign(b.amount.size() * 5, -1);
    BalanceColumns cols;
    cols.accounts = accounts;
    for (std::size_t k = 0; k < 5; ++k) {
        cols.in[k] = b.balance[k].data();
        cols.out[k] = r.balance[k].data();
    }
    const std::vector<Waterfall> rules{Waterfall{}, kPrincipalFirst};
    PaymentBatchOptions options;
    options.threads = threads;
    post_payment_batch(IntColumn{b.account.data(), b.account.size(), 4, 1},
                       IntColumn{b.day.data(), b.day.size(), 4, 1}, b.amount, cols, rules,
                       with_rules ? std::span<const std::uint8_t>(b.rule) : std::span<const std::uint8_t>(),
                       r.allocation.data(), options);
    return r;
}

// An independent oracle: each account's payments stably sorted by day, then paid into fees,
// costs, interest, principal (or principal first) one by one.
Result reference(const Batch& b) {
    const std::size_t accounts = b.balance[0].size();
    Result r;
    for (std::size_t k = 0; k < 5; ++k) r.balance[k] = b.balance[k];
    r.allocation.assign(b.amount.size() * 5, 0);
    std::vector<std::vector<std::size_t>> rows(accounts);
    for (std::size_t i = 0; i < b.account.size(); ++i) rows[static_cast<std::size_t>(b.account[i])].push_back(i);
    for (std::size_t a = 0; a < accounts; ++a) {
        std::stable_sort(rows[a].begin(), rows[a].end(),
                         [&](std::size_t x, std::size_t y) { return b.day[x] < b.day[y]; });
        const std::array<std::size_t, 4> order =
            b.rule[a] == 0 ? std::array<std::size_t, 4>{2, 3, 1, 0} : std::array<std::size_t, 4>{0, 1, 2, 3};
        for (std::size_t i : rows[a]) {
            std::int64_t left = b.amount[i];
            for (std::size_t c : order) {
                const std::int64_t take = std::min(left, r.balance[c][a]);
                r.balance[c][a] -= take;
                r.allocation[i * 5 + c] = take;
                left -= take;
            }
            r.allocation[i * 5 + 4] = left;
            r.balance[4][a] += left;
        }
    }
    return r;
}

}  // namespace

TEST_CASE("a batch allocates exactly like an independent reference implementation", "[batch]") {
    std::mt19937_64 rng(2024);
    for (int round = 0; round < 5; ++round) {
        Batch b = random_batch(rng, 12000, 50000);
        if (round % 2 == 1) {
            std::uniform_int_distribution<std::int32_t> far(-(1 << 21), 1 << 21);
            for (auto& d : b.day) d = far(rng);  // smaller blocks
        }
        const Result expected = reference(b);
        const Result got = run(b, static_cast<unsigned>(1 + round % 3));
        REQUIRE(got.balance == expected.balance);
        REQUIRE(got.allocation == expected.allocation);
    }
}

TEST_CASE("a batch allocates exactly like posting each payment to its account's ledger",
          "[batch][property]") {
    std::mt19937_64 rng(99);
    const Batch b = random_batch(rng, 9000, 20000);  // 3 blocks
    const Result r = run(b, 2);
    for (std::size_t a = 0; a < 9000; ++a) {
        LedgerTerms t;
        t.currency = USD;
        t.opened_on = from_days(std::chrono::sys_days{std::chrono::days{19000}});
        if (b.rule[a] == 1) t.allocation.payment = kPrincipalFirst;
        Ledger l(t);
        for (std::size_t k = 0; k < 4; ++k)
            if (b.balance[k][a] > 0)
                l.post_charge(Money(b.balance[k][a], USD), t.opened_on, "opening",
                              kAllComponents[k], T0);
        std::vector<std::pair<std::size_t, std::int64_t>> ids;  // payment row -> transaction id
        for (std::size_t i = 0; i < b.account.size(); ++i) {
            if (static_cast<std::size_t>(b.account[i]) != a) continue;
            // Zero-padded references keep the ledger's same-day order = input order.
            std::string ref = std::to_string(i);
            ref.insert(0, 8 - ref.size(), '0');
            const Date d = from_days(std::chrono::sys_days{std::chrono::days{b.day[i]}});
            ids.emplace_back(i, l.post_payment(Money(b.amount[i], USD), d, ref, T0).id());
        }
        for (const auto& [row, id] : ids) {
            const Allocation& al = l.transaction(id).allocation;
            for (std::size_t k = 0; k < 4; ++k) REQUIRE(r.allocation[row * 5 + k] == al.parts[k]);
            REQUIRE(r.allocation[row * 5 + 4] == al.unapplied);
        }
        const Balance bal = l.balance();
        for (std::size_t k = 0; k < 4; ++k) REQUIRE(r.balance[k][a] == bal.parts[k]);
        REQUIRE(r.balance[4][a] == bal.unapplied);
    }
}

TEST_CASE("the batch result does not depend on the thread count", "[batch]") {
    std::mt19937_64 rng(5);
    const Batch b = random_batch(rng, 1000, 20000);
    const Result one = run(b, 1);
    for (unsigned threads : {2u, 3u, 8u}) {
        const Result many = run(b, threads);
        CHECK(many.balance == one.balance);
        CHECK(many.allocation == one.allocation);
    }
    // Every allocation row sums to its payment.
    for (std::size_t i = 0; i < b.amount.size(); ++i) {
        std::int64_t sum = 0;
        for (std::size_t k = 0; k < 5; ++k) sum += one.allocation[i * 5 + k];
        REQUIRE(sum == b.amount[i]);
    }
}

TEST_CASE("many blocks and many passes give the same result as one pass", "[batch]") {
    std::mt19937_64 rng(21);
    const Batch b = random_batch(rng, 30000, 90000);  // 8 blocks of 4096 accounts
    const Result one = run(b, 2);
    Result r;
    for (auto& col : r.balance) col.assign(30000, -1);
    r.allocation.assign(b.amount.size() * 5, -1);
    BalanceColumns cols;
    cols.accounts = 30000;
    for (std::size_t k = 0; k < 5; ++k) {
        cols.in[k] = b.balance[k].data();
        cols.out[k] = r.balance[k].data();
    }
    const std::vector<Waterfall> rules{Waterfall{}, kPrincipalFirst};
    PaymentBatchOptions options;
    options.threads = 3;
    options.records_per_pass = 7000;  // 13 passes
    post_payment_batch(IntColumn{b.account.data(), b.account.size(), 4, 1},
                       IntColumn{b.day.data(), b.day.size(), 4, 1}, b.amount, cols, rules, b.rule,
                       r.allocation.data(), options);
    CHECK(r.balance == one.balance);
    CHECK(r.allocation == one.allocation);
    // Dates spread over 2^22 days make blocks smaller than the 4096-account units.
    Batch wide = b;
    std::uniform_int_distribution<std::int32_t> far(0, 1 << 22);
    for (auto& d : wide.day) d = far(rng);
    const Result wide_one = run(wide, 1);
    post_payment_batch(IntColumn{wide.account.data(), wide.account.size(), 4, 1},
                       IntColumn{wide.day.data(), wide.day.size(), 4, 1}, wide.amount, cols, rules,
                       wide.rule, r.allocation.data(), options);
    CHECK(r.balance == wide_one.balance);
    CHECK(r.allocation == wide_one.allocation);
    CHECK(r.allocation != one.allocation);  // the dates did change the order
}

TEST_CASE("in place, the balances are updated in the input columns", "[batch]") {
    std::mt19937_64 rng(8);
    Batch b = random_batch(rng, 100, 1000);
    const Result copy = run(b, 2);
    BalanceColumns cols;
    cols.accounts = 100;
    for (std::size_t k = 0; k < 5; ++k) {
        cols.in[k] = b.balance[k].data();
        cols.out[k] = b.balance[k].data();
    }
    PaymentBatchOptions options;
    options.in_place = true;
    const std::vector<Waterfall> rules{Waterfall{}, kPrincipalFirst};
    post_payment_batch(IntColumn{b.account.data(), b.account.size(), 4, 1},
                       IntColumn{b.day.data(), b.day.size(), 4, 1}, b.amount, cols, rules, b.rule,
                       nullptr, options);
    CHECK(b.balance == copy.balance);
}

TEST_CASE("dates in seconds order payments like dates in days", "[batch]") {
    std::mt19937_64 rng(11);
    const Batch b = random_batch(rng, 50, 600);
    const Result days = run(b, 2);
    std::vector<std::int64_t> seconds;
    for (auto d : b.day) seconds.push_back(std::int64_t{d} * 86400 + 3600);  // 01:00 that day
    Result r;
    for (auto& col : r.balance) col.assign(50, 0);
    r.allocation.assign(b.amount.size() * 5, 0);
    BalanceColumns cols;
    cols.accounts = 50;
    for (std::size_t k = 0; k < 5; ++k) {
        cols.in[k] = b.balance[k].data();
        cols.out[k] = r.balance[k].data();
    }
    const std::vector<Waterfall> rules{Waterfall{}, kPrincipalFirst};
    post_payment_batch(IntColumn{b.account.data(), b.account.size(), 4, 1},
                       IntColumn{seconds.data(), seconds.size(), 8, 86400}, b.amount, cols, rules,
                       b.rule, r.allocation.data());
    CHECK(r.allocation == days.allocation);
}

TEST_CASE("a bad row is reported by column and row, and nothing is written", "[batch][errors]") {
    std::mt19937_64 rng(3);
    auto expect = [&](auto spoil, const char* message) {
        Batch b = random_batch(rng, 20, 200);
        std::fill(b.rule.begin(), b.rule.end(), std::uint8_t{0});
        spoil(b);
        Result r;
        for (auto& col : r.balance) col.assign(20, -7);
        r.allocation.assign(b.amount.size() * 5, -7);
        BalanceColumns cols;
        cols.accounts = 20;
        for (std::size_t k = 0; k < 5; ++k) {
            cols.in[k] = b.balance[k].data();
            cols.out[k] = r.balance[k].data();
        }
        const std::vector<Waterfall> rules{Waterfall{}};
        CHECK_THROWS_WITH(post_payment_batch(IntColumn{b.account.data(), b.account.size(), 4, 1},
                                             IntColumn{b.day.data(), b.day.size(), 4, 1}, b.amount,
                                             cols, rules, b.rule, r.allocation.data()),
                          Catch::Contains(message));
        for (const auto& col : r.balance)
            for (auto v : col) REQUIRE(v == -7);
        for (auto v : r.allocation) REQUIRE(v == -7);
    };
    expect([](Batch& b) { b.account[17] = 20; }, "account[17]: 20 is out of range for 20 accounts");
    expect([](Batch& b) { b.account[3] = -1; }, "account[3]: -1");
    expect([](Batch& b) { b.amount[150] = 0; }, "amount[150]: 0 minor units is not a positive");
    expect([](Batch& b) { b.amount[9] = -100; }, "amount[9]");
    expect([](Batch& b) { b.balance[2][5] = -1; }, "fees[5]: -1 is a negative balance");
    expect([](Batch& b) { b.rule[4] = 1; }, "account_rule[4]: 1 is out of range for 1 rules");
    // The first bad row is the one reported.
    expect([](Batch& b) {
        b.amount[190] = 0;
        b.amount[12] = 0;
    }, "amount[12]");
}

TEST_CASE("dates far apart are ordered too; more than 2^24 days apart is refused", "[batch]") {
    std::vector<std::int64_t> account{0, 0, 0}, amount{100, 200, 300};
    std::vector<std::int64_t> day{1'000'000, -1'000'000, 0};  // 5,475 years apart
    std::vector<std::int64_t> p{1000}, z{0};
    std::vector<std::int64_t> out[5] = {{0}, {0}, {0}, {0}, {0}};
    std::vector<std::int64_t> alloc(15);
    BalanceColumns cols;
    cols.accounts = 1;
    for (int k = 0; k < 4; ++k) {
        cols.in[k] = k == 0 ? p.data() : z.data();
        cols.out[k] = out[k].data();
    }
    cols.out[4] = out[4].data();
    const std::vector<Waterfall> rules{kPrincipalFirst};
    post_payment_batch(IntColumn{account.data(), 3, 8, 1}, IntColumn{day.data(), 3, 8, 1}, amount,
                       cols, rules, {}, alloc.data());
    // applied oldest first: 200 (day -1e6), 300 (day 0), then 500 of the 100 paid last
    CHECK(alloc[5 * 1 + 0] == 200);
    CHECK(alloc[5 * 2 + 0] == 300);
    CHECK(alloc[5 * 0 + 0] == 100);
    CHECK(out[0][0] == 400);
    day[1] = -20'000'000;
    CHECK_THROWS_WITH(post_payment_batch(IntColumn{account.data(), 3, 8, 1},
                                         IntColumn{day.data(), 3, 8, 1}, amount, cols, rules, {},
                                         alloc.data()),
                      Catch::Contains("effective: the payment dates span"));
}

TEST_CASE("NaT dates and mismatched columns are rejected", "[batch][errors]") {
    std::vector<std::int64_t> account{0, 0}, amount{100, 100};
    std::vector<std::int64_t> day{20000, std::numeric_limits<std::int64_t>::min()};
    std::vector<std::int64_t> p{500}, z{0};
    std::vector<std::int64_t> out[5] = {{0}, {0}, {0}, {0}, {0}};
    BalanceColumns cols;
    cols.accounts = 1;
    for (int k = 0; k < 4; ++k) {
        cols.in[k] = k == 0 ? p.data() : z.data();
        cols.out[k] = out[k].data();
    }
    cols.out[4] = out[4].data();
    const std::vector<Waterfall> rules{Waterfall{}};
    CHECK_THROWS_WITH(post_payment_batch(IntColumn{account.data(), 2, 8, 1}, IntColumn{day.data(), 2, 8, 1},
                                         amount, cols, rules, {}, nullptr),
                      Catch::Contains("effective[1]: NaT"));
    CHECK_THROWS_WITH(post_payment_batch(IntColumn{account.data(), 1, 8, 1}, IntColumn{day.data(), 2, 8, 1},
                                         amount, cols, rules, {}, nullptr),
                      Catch::Contains("different lengths"));
}

TEST_CASE("progress is reported from start to end, and false cancels", "[batch]") {
    std::mt19937_64 rng(4);
    const Batch b = random_batch(rng, 2000, 5000);
    std::array<std::vector<std::int64_t>, 5> out;
    for (auto& col : out) col.assign(2000, -7);
    BalanceColumns cols;
    cols.accounts = 2000;
    for (std::size_t k = 0; k < 5; ++k) {
        cols.in[k] = b.balance[k].data();
        cols.out[k] = out[k].data();
    }
    const std::vector<Waterfall> rules{Waterfall{}, kPrincipalFirst};
    std::vector<std::pair<std::uint64_t, std::uint64_t>> reports;
    Progress stop([&reports](std::uint64_t done, std::uint64_t total) {
        reports.emplace_back(done, total);
        return false;
    });
    PaymentBatchOptions options;
    options.progress = &stop;
    CHECK_THROWS_AS(post_payment_batch(IntColumn{b.account.data(), b.account.size(), 4, 1},
                                       IntColumn{b.day.data(), b.day.size(), 4, 1}, b.amount, cols,
                                       rules, b.rule, nullptr, options),
                    Cancelled);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].first == 0);
    for (const auto& col : out)
        for (auto v : col) REQUIRE(v == -7);
    reports.clear();
    Progress go([&reports](std::uint64_t done, std::uint64_t total) {
        reports.emplace_back(done, total);
        return true;
    });
    options.progress = &go;
    post_payment_batch(IntColumn{b.account.data(), b.account.size(), 4, 1},
                       IntColumn{b.day.data(), b.day.size(), 4, 1}, b.amount, cols, rules, b.rule,
                       nullptr, options);
    REQUIRE(reports.size() >= 2);
    CHECK(reports.front().first == 0);
    CHECK(reports.back().first == reports.back().second);
    CHECK(reports.back().second == 5000 + 2000);
}
