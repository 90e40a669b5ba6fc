// Payment plans: schedules, APR, matching and status, re-aging, offers. Expected numbers come from
// shared/reference/payment-math.md (§3.1 worked vectors, §3.3 APR vectors) or are worked by hand
// in the comments.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "arrears/apr.hpp"
#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "arrears/offers.hpp"
#include "arrears/payment_plan.hpp"
#include "arrears/reaging.hpp"
#include "arrears/schedule.hpp"
#include "plans/bigint.hpp"
#include "plans/buffer_pool.hpp"
#include "plans/fast_round.hpp"
#include "plans/schedule_detail.hpp"

using namespace arrears;

namespace {
const Currency USD{};
Date D(const char* iso) { return parse_date(iso); }
Money M(const char* s) { return Money::parse(s, USD); }
Rational R(const char* s) { return Rational::parse(s); }
std::vector<std::string> amounts(const Schedule& s) {
    std::vector<std::string> out;
    for (const auto& x : s.installments()) out.push_back(x.amount.amount_string());
    return out;
}
std::vector<std::string> repeat(const char* v, int n, const char* last) {
    std::vector<std::string> out(static_cast<std::size_t>(n), v);
    out.emplace_back(last);
    return out;
}
PaymentPlan simple_plan(const char* balance, int count, const char* first_due, PlanRules rules = {},
                        const char* plan_date = "2026-01-15") {
    return PaymentPlan(PlanKind::installment, D(plan_date), {{"A1", M(balance)}},
                       installment_schedule(M(balance), count, D(first_due)), rules);
}
std::vector<std::string> event_list(const PlanEvaluation& e) {
    std::vector<std::string> out;
    for (const auto& x : e.events) {
        std::string s = to_iso(x.date) + " " + std::string(to_string(x.type));
        if (x.installment) s += " #" + std::to_string(x.installment);
        out.push_back(s);
    }
    return out;
}
}  // namespace

// ---- dates ---------------------------------------------------------------------------------

TEST_CASE("frequencies parse by name and unknown ones are rejected", "[plans][schedule]") {
    CHECK(parse_frequency("weekly") == Frequency::weekly);
    CHECK(parse_frequency("semimonthly") == Frequency::semimonthly);
    CHECK(periods_per_year(Frequency::biweekly) == 26);
    CHECK(periods_per_year(Frequency::semimonthly) == 24);
    CHECK_THROWS_WITH(parse_frequency("fortnightly"),
                      Catch::Contains("frequency") && Catch::Contains("'fortnightly'"));
    CHECK_THROWS_AS(parse_frequency("Monthly"), ValidationError);
}

TEST_CASE("due dates come from the anchor with month-end clamping, never chained", "[plans][schedule]") {
    auto [anchor, freq, expected] = GENERATE(table<const char*, Frequency, std::vector<std::string>>({
        {"2024-01-31", Frequency::monthly, {"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"}},
        {"2026-01-31", Frequency::monthly, {"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"}},
        {"2026-01-30", Frequency::monthly, {"2026-01-30", "2026-02-28", "2026-03-30", "2026-04-30"}},
        {"2026-11-30", Frequency::monthly, {"2026-11-30", "2026-12-30", "2027-01-30", "2027-02-28"}},
        {"2026-01-01", Frequency::weekly, {"2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22"}},
        {"2026-12-24", Frequency::biweekly, {"2026-12-24", "2027-01-07", "2027-01-21", "2027-02-04"}},
        {"2026-01-01", Frequency::semimonthly, {"2026-01-01", "2026-01-16", "2026-02-01", "2026-02-16"}},
        {"2026-01-15", Frequency::semimonthly, {"2026-01-15", "2026-01-30", "2026-02-15", "2026-02-28", "2026-03-15", "2026-03-30"}},
        {"2026-01-31", Frequency::semimonthly, {"2026-01-31", "2026-02-15", "2026-02-28", "2026-03-15", "2026-03-31"}},
        {"2026-01-20", Frequency::semimonthly, {"2026-01-20", "2026-02-05", "2026-02-20", "2026-03-05"}},
        {"2026-02-28", Frequency::semimonthly, {"2026-02-28", "2026-03-15", "2026-03-31", "2026-04-15"}},
        {"2024-02-28", Frequency::semimonthly, {"2024-02-28", "2024-03-13", "2024-03-28", "2024-04-13"}},
    }));
    INFO(anchor << " " << to_string(freq));
    std::vector<std::string> got;
    for (Date d : due_dates(D(anchor), freq, static_cast<int>(expected.size()))) got.push_back(to_iso(d));
    CHECK(got == expected);
    CHECK(to_iso(nth_due_date(D(anchor), freq, static_cast<int>(expected.size()) - 1)) == expected.back());
}

TEST_CASE("a schedule that would run past 9999-12-31 is rejected", "[plans][schedule]") {
    CHECK_THROWS_WITH(installment_schedule(M("100"), 12, D("9999-06-01")),
                      Catch::Contains("9999-12-31"));
}

// ---- zero-interest splits (payment-math.md §3.1 convention 3) ------------------------------

TEST_CASE("zero-interest schedules split exactly; the last installment absorbs the remainder",
          "[plans][schedule]") {
    auto [total, count, rounding, expected] =
        GENERATE(table<const char*, int, RoundingMode, std::vector<std::string>>({
            {"1000.00", 3, RoundingMode::half_up, {"333.33", "333.33", "333.34"}},
            {"2284.56", 7, RoundingMode::half_up, repeat("326.37", 6, "326.34")},
            {"2284.56", 7, RoundingMode::down, repeat("326.36", 6, "326.40")},
            {"2284.56", 7, RoundingMode::up, repeat("326.37", 6, "326.34")},
            {"100.00", 1, RoundingMode::half_up, {"100.00"}},
            {"100.00", 3, RoundingMode::up, {"33.34", "33.34", "33.32"}},
            {"0.05", 5, RoundingMode::half_up, {"0.01", "0.01", "0.01", "0.01", "0.01"}},
        }));
    INFO(total << " / " << count << " " << to_string(rounding));
    const Schedule s = installment_schedule(M(total), count, D("2026-02-01"), Frequency::monthly,
                                            Rational{}, rounding);
    CHECK(amounts(s) == expected);
    CHECK(s.total_amount() == M(total));
    CHECK(s.total_interest().is_zero());
    for (const auto& x : s.installments()) CHECK(x.principal == x.amount);
}

// ---- level payment (payment-math.md §3.1 convention 1, worked vector) ----------------------

TEST_CASE("$1,000 at 12% over 12 months is 11 x 88.85 + 88.84 with interest 66.19", "[plans][schedule]") {
    const Schedule s = installment_schedule(M("1000.00"), 12, D("2026-02-01"), Frequency::monthly,
                                            R("0.12"), RoundingMode::half_up);
    CHECK(amounts(s) == repeat("88.85", 11, "88.84"));
    CHECK(s.total_interest() == M("66.19"));
    CHECK(s.total_amount() == M("1066.19"));
    CHECK(s[0].interest == M("10.00"));
    CHECK(s[0].principal == M("78.85"));
    CHECK(M("1000.00") - s[0].principal == M("921.15"));
    CHECK(s.total() == M("1000.00"));
    // Exact PMT 88.848788678...: rounded up it is 88.85 too; rounded down 88.84.
    CHECK(level_payment(100000, Rational{1, 100}, 12, RoundingMode::half_up) == 8885);
    CHECK(level_payment(100000, Rational{1, 100}, 12, RoundingMode::up) == 8885);
    CHECK(level_payment(100000, Rational{1, 100}, 12, RoundingMode::down) == 8884);
}

TEST_CASE("rounding the payment up keeps the last installment no larger", "[plans][schedule]") {
    // $5,000 at 19.99% over 24 months: exact PMT 254.45458... -> up 254.46, last 254.29.
    const Schedule s = installment_schedule(M("5000.00"), 24, D("2026-03-01"), Frequency::monthly,
                                            R("0.1999"), RoundingMode::up);
    CHECK(s.regular_amount() == M("254.46"));
    CHECK(s.installments().back().amount == M("254.29"));
    Money principal(0, USD);
    for (const auto& x : s.installments()) principal += x.principal;
    CHECK(principal == M("5000.00"));
}

TEST_CASE("the fast level payment equals the exact big-integer one", "[plans][schedule]") {
    std::mt19937_64 rng(20260201);
    std::uniform_int_distribution<std::int64_t> principal(1, 5'000'000'000);
    std::uniform_int_distribution<std::int64_t> rate(1, 100000);  // up to 100%, 5 decimals
    std::uniform_int_distribution<int> count(1, 480);
    for (int i = 0; i < 3000; ++i) {
        const std::int64_t p = principal(rng);
        const Rational r = Rational::of(rate(rng), 100000 * 12);
        const int n = count(rng);
        for (RoundingMode mode : {RoundingMode::half_up, RoundingMode::up, RoundingMode::down}) {
            INFO(p << " " << r.num << "/" << r.den << " n=" << n);
            REQUIRE(level_payment(p, r, n, mode) == plans_detail::level_payment_exact(p, r, n, mode));
        }
    }
    // Exact ties are decided exactly: 2 periods at 100%/period on 300 cents is 400 exactly, and
    // P = 1 at r = 1/2, n = 1 is 1.5 -> half_up 2, down 1.
    CHECK(level_payment(300, Rational{1, 1}, 2, RoundingMode::half_up) == 400);
    CHECK(level_payment(1, Rational{1, 2}, 1, RoundingMode::half_up) == 2);
    CHECK(level_payment(1, Rational{1, 2}, 1, RoundingMode::down) == 1);
}

TEST_CASE("per-period interest rounds half-up exactly like round_div", "[plans][schedule]") {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> x(0, 9'000'000'000'000'000);
    std::uniform_int_distribution<std::int64_t> a(0, 2'000'000);
    std::uniform_int_distribution<std::int64_t> b(1, 12'000'000'000);
    for (int i = 0; i < 20000; ++i) {
        const std::int64_t xx = i % 2 ? x(rng) % 100'000'000 : x(rng);
        const std::int64_t aa = a(rng), bb = b(rng);
        const double ab = static_cast<double>(aa) / static_cast<double>(bb);
        REQUIRE(plans_detail::interest_half_up(xx, aa, bb, ab) ==
                round_div(static_cast<i128>(xx) * aa, bb, RoundingMode::half_up));
    }
    CHECK(plans_detail::interest_half_up(50, 1, 100, 0.01) == 1);   // 0.5 -> 1
    CHECK(plans_detail::interest_half_up(49, 1, 100, 0.01) == 0);
    // Exact ties and near-ties across magnitudes: x·a/b = k + 1/2 exactly, and one unit off.
    for (std::int64_t k = 1; k < 2'000'000'000'000; k = k * 7 + 3) {
        const std::int64_t b = 1200;
        for (std::int64_t x : {(2 * k + 1) * 600, (2 * k + 1) * 600 - 1, (2 * k + 1) * 600 + 1}) {
            const double ab = 1.0 / static_cast<double>(b);
            REQUIRE(plans_detail::interest_half_up(x, 1, b, ab) ==
                    round_div(static_cast<i128>(x), b, RoundingMode::half_up));
        }
    }
}

TEST_CASE("the invariant-divisor interest rounds half-up exactly like round_div", "[plans][schedule]") {
    std::mt19937_64 rng(17);
    for (std::int64_t b : {std::int64_t{1}, std::int64_t{2}, std::int64_t{12}, std::int64_t{1200}, std::int64_t{120000},
                           std::int64_t{520000}, std::int64_t{1'000'000'000'000} * 52, std::int64_t{1} << 40,
                           (std::int64_t{1} << 40) + 1}) {
        const plans_detail::HalfUpDivider div(b);
        for (int i = 0; i < 20000; ++i) {
            const std::int64_t x = static_cast<std::int64_t>(rng() >> (i % 3 == 0 ? 1 : 24));
            const std::int64_t a = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(b + 1));
            REQUIRE(div(x, a) == round_div(static_cast<i128>(x) * a, b, RoundingMode::half_up));
        }
        // Exact ties and their neighbours.
        for (std::int64_t k = 0; k < 1'000'000'000'000; k = k * 5 + 1) {
            for (std::int64_t x : {b * k + (b + 1) / 2, b * k + b / 2, b * k + b / 2 + 1}) {
                if (x < 0) continue;
                REQUIRE(div(x, 1) == round_div(static_cast<i128>(x), b, RoundingMode::half_up));
            }
        }
    }
}

TEST_CASE("big-integer quotients round like round_div", "[plans][schedule]") {
    using plans_detail::BigUint;
    std::mt19937_64 rng(11);
    for (int i = 0; i < 5000; ++i) {
        const auto num = static_cast<std::int64_t>(rng() >> 2);
        const auto den = static_cast<std::int64_t>((rng() >> 34) + 1);
        for (RoundingMode mode : {RoundingMode::half_up, RoundingMode::half_even, RoundingMode::up,
                                  RoundingMode::down, RoundingMode::half_down}) {
            REQUIRE(plans_detail::round_quotient(BigUint(static_cast<u128>(num)),
                                                 BigUint(static_cast<u128>(den)), mode) ==
                    round_div(num, den, mode));
        }
    }
    const BigUint big = BigUint(u128{101}).pow(60);
    CHECK(big - big == BigUint());
    CHECK((big + BigUint(1)) > big);
    CHECK_THROWS_AS(plans_detail::round_quotient(big, BigUint(1), RoundingMode::down), OverflowError);
}

TEST_CASE("weekly, biweekly and semimonthly rates are the annual rate over 52, 26, 24", "[plans][schedule]") {
    // $1,200 at 26% biweekly over 26: r = 1% per period, PMT = 1200·0.01/(1-1.01^-26) = 52.6426... -> 52.64
    const Schedule s = installment_schedule(M("1200.00"), 26, D("2026-01-02"), Frequency::biweekly,
                                            R("0.26"));
    CHECK(s.regular_amount() == M("52.64"));
    CHECK(s[0].interest == M("12.00"));
    CHECK(to_iso(s[1].due) == "2026-01-16");
}

TEST_CASE("a fixed installment amount sets the count; the last installment is the rest", "[plans][schedule]") {
    const Schedule z = installment_schedule_by_amount(M("1000.00"), M("300.00"), D("2026-02-01"));
    CHECK(amounts(z) == std::vector<std::string>{"300.00", "300.00", "300.00", "100.00"});
    // At 12% paying 88.85 a month rebuilds the reference vector: 11 x 88.85 + 88.84.
    const Schedule s = installment_schedule_by_amount(M("1000.00"), M("88.85"), D("2026-02-01"),
                                                      Frequency::monthly, R("0.12"));
    CHECK(amounts(s) == repeat("88.85", 11, "88.84"));
    CHECK(s.total_interest() == M("66.19"));
    CHECK(amounts(installment_schedule_by_amount(M("50.00"), M("80.00"), D("2026-02-01"))) ==
          std::vector<std::string>{"50.00"});
    CHECK_THROWS_WITH(installment_schedule_by_amount(M("1000.00"), M("10.00"), D("2026-02-01"),
                                                     Frequency::monthly, R("0.12")),
                      Catch::Contains("amount: 10.00 does not cover the first period's interest 10.00"));
    CHECK_THROWS_WITH(installment_schedule_by_amount(M("1000000.00"), M("0.01"), D("2026-02-01")),
                      Catch::Contains("more than 1200"));
    CHECK_THROWS_WITH(installment_schedule_by_amount(M("100.00"), M("0"), D("2026-02-01")),
                      Catch::Contains("amount: 0.00 must be positive"));
}

TEST_CASE("bad schedule input is rejected with the field and the value", "[plans][schedule]") {
    const Date due = D("2026-02-01");
    CHECK_THROWS_WITH(installment_schedule(M("0"), 3, due), Catch::Contains("total: 0.00 must be positive"));
    CHECK_THROWS_WITH(installment_schedule(M("-5"), 3, due), Catch::Contains("total: -5.00"));
    CHECK_THROWS_WITH(installment_schedule(M("100"), 0, due), Catch::Contains("count: 0 is outside 1..1200"));
    CHECK_THROWS_WITH(installment_schedule(M("100"), 1201, due), Catch::Contains("count: 1201"));
    CHECK_THROWS_WITH(installment_schedule(M("100"), 3, due, Frequency::monthly, R("-0.01")),
                      Catch::Contains("annual_rate: -0.01 is outside 0..1"));
    CHECK_THROWS_WITH(installment_schedule(M("100"), 3, due, Frequency::monthly, R("12")),
                      Catch::Contains("write 0.12 for 12%"));
    CHECK_THROWS_WITH(installment_schedule(M("100"), 3, due, Frequency::monthly, R("0.1234567890123")),
                      Catch::Contains("more than 12 decimal places"));
    CHECK_THROWS_WITH(installment_schedule(M("100"), 3, due, Frequency::monthly, Rational{}, RoundingMode::half_even),
                      Catch::Contains("rounding: half_even"));
    CHECK_THROWS_WITH(parse_schedule_rounding("ceiling"), Catch::Contains("expected half_up, up or down"));
    // 0.10 over 7 rounded up is 0.02 x 6 = 0.12: nothing left for the last one.
    CHECK_THROWS_WITH(installment_schedule(M("0.10"), 7, due, Frequency::monthly, Rational{}, RoundingMode::up),
                      Catch::Contains("leaves nothing for the last installment"));
    CHECK_THROWS_WITH(installment_schedule(M("0.03"), 5, due), Catch::Contains("count: 5"));
    CHECK_THROWS_WITH(installment_schedule(M("0.05"), 12, due, Frequency::monthly, R("0.12")),
                      Catch::Contains("rounds the regular payment to zero"));
}

TEST_CASE("schedules survive a JSON round trip and invalid ones are refused", "[plans][schedule]") {
    const Schedule s = installment_schedule(M("1000.00"), 12, D("2026-02-01"), Frequency::monthly, R("0.12"));
    const nlohmann::json j = s;
    CHECK(j["installments"][11]["amount"] == "88.84");
    CHECK(schedule_from_json(j) == s);
    nlohmann::json bad = j;
    bad["installments"][3]["amount"] = "88.86";
    CHECK_THROWS_WITH(schedule_from_json(bad), Catch::Contains("installments[3]: amount 88.86 is not principal"));
    bad = j;
    bad["installments"][2]["due"] = "2026-01-01";
    CHECK_THROWS_WITH(schedule_from_json(bad), Catch::Contains("is not after"));
    bad = j;
    bad["extra"] = 1;
    CHECK_THROWS_WITH(schedule_from_json(bad), Catch::Contains("$.extra: unknown field"));
}

TEST_CASE("custom schedules from payments infer a regular frequency", "[plans][schedule]") {
    const std::vector<std::pair<Date, Money>> p{{D("2026-01-31"), M("10")}, {D("2026-02-28"), M("10")},
                                                {D("2026-03-31"), M("5")}};
    const Schedule s = Schedule::from_payments(p);
    CHECK(s.frequency() == Frequency::monthly);
    CHECK(s.total() == M("25"));
    const std::vector<std::pair<Date, Money>> w{{D("2026-01-01"), M("10")}, {D("2026-01-15"), M("10")}};
    CHECK(Schedule::from_payments(w).frequency() == Frequency::biweekly);
    const std::vector<std::pair<Date, Money>> bad{{D("2026-01-01"), M("10")}, {D("2026-01-01"), M("10")}};
    CHECK_THROWS_WITH(Schedule::from_payments(bad), Catch::Contains("installments[1].due"));
}

// ---- batch ---------------------------------------------------------------------------------

namespace {
template <class T>
const T* col(const Table& t, const char* name) {
    return static_cast<const T*>(std::get<BorrowedValues>(t.column(name).values).data);
}
}  // namespace

TEST_CASE("the batch builder gives the same schedules as the single one", "[plans][batch]") {
    std::mt19937_64 rng(3);
    const std::size_t n = 40000;  // enough for two threads
    std::vector<std::int64_t> totals(n), counts(n), dues(n), rates(n);
    std::vector<Frequency> freqs(n);
    const Frequency all[] = {Frequency::weekly, Frequency::biweekly, Frequency::semimonthly, Frequency::monthly};
    for (std::size_t i = 0; i < n; ++i) {
        totals[i] = static_cast<std::int64_t>(rng() % 5'000'000) + 5000;
        counts[i] = static_cast<std::int64_t>(rng() % 36) + 1;
        dues[i] = 20000 + static_cast<std::int64_t>(rng() % 3000);
        rates[i] = i % 5 == 0 ? 0 : static_cast<std::int64_t>(rng() % 3600);
        freqs[i] = all[rng() % 4];
    }
    for (RoundingMode mode : {RoundingMode::half_up, RoundingMode::up}) {
        ScheduleBatchInput in{totals, counts, dues, rates, 10000, freqs, mode, USD};
        std::uint64_t last_done = 0;
        Progress progress([&](std::uint64_t done, std::uint64_t) {
            last_done = done;
            return true;
        });
        const Table out = installment_schedules(in, 2, &progress);
        CHECK(last_done == n);
        REQUIRE(out.num_rows() ==
                static_cast<std::size_t>(std::accumulate(counts.begin(), counts.end(), std::int64_t{0})));
        const auto* sched = col<std::int32_t>(out, "schedule");
        const auto* number = col<std::int32_t>(out, "number");
        const auto* due = col<std::int32_t>(out, "due");
        const auto* amount = col<std::int64_t>(out, "amount_cents");
        const auto* principal = col<std::int64_t>(out, "principal_cents");
        const auto* interest = col<std::int64_t>(out, "interest_cents");
        std::size_t row = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (i % 7 != 0) {
                row += static_cast<std::size_t>(counts[i]);
                continue;
            }
            const Schedule s = installment_schedule(
                Money(totals[i], USD), static_cast<int>(counts[i]),
                from_days(std::chrono::sys_days{std::chrono::days{dues[i]}}), freqs[i],
                Rational::of(rates[i], 10000), mode);
            for (int k = 0; k < s.count(); ++k, ++row) {
                const auto& x = s[static_cast<std::size_t>(k)];
                REQUIRE(sched[row] == static_cast<std::int32_t>(i));
                REQUIRE(number[row] == k + 1);
                REQUIRE(amount[row] == x.amount.minor());
                REQUIRE(interest[row] == x.interest.minor());
                REQUIRE(principal[row] == x.principal.minor());
                REQUIRE(due[row] == days_since_epoch(x.due));
            }
        }
    }
    const Table one = to_table(installment_schedule(M("1000.00"), 12, D("2026-02-01"), Frequency::monthly, R("0.12")));
    CHECK(one.num_rows() == 12);
    CHECK(std::get<std::vector<std::int64_t>>(one.column("amount_cents").values)[11] == 8884);
}

TEST_CASE("released batch buffers are reused by the next call", "[plans][batch]") {
    std::vector<std::int64_t> totals(50000, 100000), counts{12}, dues{20000}, rates{1200};
    std::vector<Frequency> freqs{Frequency::monthly};
    const ScheduleBatchInput in{totals, counts, dues, rates, 10000, freqs, RoundingMode::half_up, USD};
    std::int64_t first_amount = 0;
    {
        const Table t = installment_schedules(in);
        first_amount = col<std::int64_t>(t, "amount_cents")[0];
    }
    const char* limit = std::getenv("ARREARS_BUFFER_POOL_MB");
    const bool pooling = limit == nullptr || std::string(limit) != "0";
    const std::size_t kept = plans_detail::pooled_bytes();
    if (pooling) CHECK(kept >= 50000 * 12 * sizeof(std::int64_t));
    else CHECK(kept == 0);
    const Table again = installment_schedules(in);
    if (pooling) CHECK(plans_detail::pooled_bytes() < kept);
    CHECK(col<std::int64_t>(again, "amount_cents")[0] == first_amount);
    CHECK(col<std::int64_t>(again, "amount_cents")[0] == 8885);
}

TEST_CASE("the batch builder names the first bad row and can be cancelled", "[plans][batch]") {
    std::vector<std::int64_t> totals{100000, -5, 100000}, counts{12}, dues{20000}, rates{1200};
    std::vector<Frequency> freqs{Frequency::monthly};
    ScheduleBatchInput in{totals, counts, dues, rates, 10000, freqs, RoundingMode::half_up, USD};
    CHECK_THROWS_WITH(installment_schedules(in), Catch::Contains("totals[1]: -0.05 must be positive"));
    totals[1] = 100000;
    std::vector<std::int64_t> bad_rates{1200, 20000, 1200};
    in.rate_numerators = bad_rates;
    CHECK_THROWS_WITH(installment_schedules(in), Catch::Contains("annual_rates[1]"));
    in.rate_numerators = rates;
    std::vector<std::int64_t> two{1, 2};
    in.counts = two;
    CHECK_THROWS_WITH(installment_schedules(in), Catch::Contains("counts: 2 values for 3 schedules"));
    in.counts = counts;
    std::vector<std::int64_t> tiny{10, 10, 10};
    std::vector<std::int64_t> seven{7}, zero_rate{0};
    in.totals_minor = tiny;
    in.counts = seven;
    in.rate_numerators = zero_rate;
    in.rounding = RoundingMode::up;
    CHECK_THROWS_WITH(installment_schedules(in), Catch::Contains("totals[0]: 0.10 over 7 installments rounded up"));
    in.rounding = RoundingMode::half_up;
    in.counts = counts;
    in.rate_numerators = rates;
    std::vector<std::int64_t> many(100000, 100000);
    in.totals_minor = many;
    Progress stop([](std::uint64_t, std::uint64_t) { return false; });
    CHECK_THROWS_AS(installment_schedules(in, 2, &stop), Cancelled);
}

// ---- APR (payment-math.md §3.3 vectors) ----------------------------------------------------

TEST_CASE("APR by the actuarial method matches the Appendix J vectors", "[plans][apr]") {
    const Schedule s = installment_schedule(M("1000.00"), 12, D("2026-02-01"), Frequency::monthly, R("0.12"));
    const Rational a = apr(M("1000.00"), s);
    const double v = static_cast<double>(a.num) / static_cast<double>(a.den);
    CHECK(v == Approx(0.120009).margin(0.000002));
    CHECK(std::abs(v - 0.12) < 0.00125);  // 1/8 of a percentage point
    const Rational b = apr(M("975.00"), s);
    const double w = static_cast<double>(b.num) / static_cast<double>(b.den);
    CHECK(w == Approx(0.16837).margin(0.00001));
    // Equal payments and amount financed: no finance charge, APR 0.
    const Schedule z = installment_schedule(M("1200.00"), 12, D("2026-02-01"));
    CHECK(apr(M("1200.00"), z).is_zero());
    CHECK_THROWS_WITH(apr(M("1300.00"), z), Catch::Contains("amount_financed: 1300.00 is more than"));
    CHECK_THROWS_WITH(apr(M("0"), z), Catch::Contains("amount_financed"));
    CHECK_THROWS_WITH(apr(M("1000.00"), s, D("2026-03-01")), Catch::Contains("before the advance"));
}

TEST_CASE("APR takes the unit-period from the payment dates and refuses irregular ones",
          "[plans][apr]") {
    const Schedule s = installment_schedule(M("1000.00"), 26, D("2026-01-08"), Frequency::weekly, R("0.15"));
    std::vector<std::pair<Date, Money>> pairs;
    for (const auto& x : s.installments()) pairs.emplace_back(x.due, x.amount);
    CHECK(regular_frequency(pairs) == Frequency::weekly);
    CHECK(apr(M("1000.00"), pairs, std::nullopt) == apr(M("1000.00"), s));
    CHECK(apr(M("1000.00"), pairs, std::nullopt) == apr(M("1000.00"), pairs, Frequency::weekly));
    CHECK(apr(M("1000.00"), pairs, std::nullopt) != apr(M("1000.00"), pairs, Frequency::monthly));
    pairs[3].first = add_days(pairs[3].first, 2);
    CHECK_FALSE(regular_frequency(pairs).has_value());
    CHECK_THROWS_WITH(apr(M("1000.00"), pairs, std::nullopt),
                      Catch::StartsWith("unit_period: the payment dates are irregular (payments[3] "
                                        "2026-01-31 is not weekly from 2026-01-08)"));
    CHECK_NOTHROW(apr(M("1000.00"), pairs, Frequency::weekly));
    const Schedule odd = Schedule::from_payments(pairs);  // labelled monthly, does not follow it
    CHECK_THROWS_WITH(apr(M("1000.00"), odd),
                      Catch::StartsWith("unit_period: the schedule's due dates do not follow its "
                                        "frequency monthly (payments[1] 2026-01-15)"));
}

TEST_CASE("unit-periods are counted back from the payment; odd days are days/30", "[plans][apr]") {
    auto [advance, payment, whole, num, den] = GENERATE(table<const char*, const char*, long, std::int64_t, std::int64_t>({
        {"2026-01-10", "2026-02-25", 1, 1, 2},     // Jan 25 .. Feb 25 whole, 15 odd days
        {"2025-12-31", "2026-02-28", 2, 0, 1},     // month ends step to month ends
        {"2026-01-31", "2026-02-28", 1, 0, 1},
        {"2026-01-15", "2026-01-15", 0, 0, 1},
        {"2026-01-01", "2026-03-15", 2, 7, 15},    // Jan 15 .. Mar 15, 14 odd days
    }));
    INFO(advance << " -> " << payment);
    const UnitPeriods u = unit_periods(D(advance), D(payment), Frequency::monthly);
    CHECK(u.whole == whole);
    CHECK(u.fraction == Rational::of(num, den));
    const UnitPeriods w = unit_periods(D("2026-01-01"), D("2026-01-24"), Frequency::weekly);
    CHECK(w.whole == 3);
    CHECK(w.fraction == Rational::of(2, 7));
    const UnitPeriods sm = unit_periods(D("2026-01-01"), D("2026-02-20"), Frequency::semimonthly);
    CHECK(sm.whole == 3);  // Jan 20 .. Feb 20 is 2 half-months; Jan 1 .. Jan 20 is 19 days = 1 + 4/15
    CHECK(sm.fraction == Rational::of(4, 15));
}

// ---- plans: matching and status ------------------------------------------------------------

TEST_CASE("payments are matched oldest due first; partials and overpayments carry forward", "[plans][match]") {
    // 300.00 over 3 monthly installments of 100.00 from Feb 1.
    const PaymentPlan plan = simple_plan("300.00", 3, "2026-02-01");
    const std::vector<Payment> pays{{D("2026-02-01"), M("60.00")}, {D("2026-02-03"), M("90.00")}};
    const PlanEvaluation e = plan.evaluate(pays, D("2026-02-10"));
    REQUIRE(e.payments.size() == 2);
    CHECK(e.payments[0].applied == std::vector<InstallmentAllocation>{{1, M("60.00")}});
    CHECK(e.payments[1].applied == std::vector<InstallmentAllocation>{{1, M("40.00")}, {2, M("50.00")}});
    CHECK(e.installments[0].status == InstallmentState::paid);
    CHECK(to_iso(*e.installments[0].paid_on) == "2026-02-03");
    CHECK(e.installments[1].status == InstallmentState::partial);
    CHECK(e.installments[1].paid == M("50.00"));
    CHECK(e.installments[2].status == InstallmentState::due);
    CHECK(e.status == PlanStatus::current);
    CHECK(event_list(e) == std::vector<std::string>{"2026-02-03 kept #1"});
    CHECK(e.paid == M("150.00"));
    CHECK(e.remaining == M("150.00"));
    // Overpaying the whole plan: the excess is returned as unapplied, never lost.
    const std::vector<Payment> big{{D("2026-02-01"), M("350.00")}};
    const PlanEvaluation f = plan.evaluate(big, D("2026-02-01"));
    CHECK(f.status == PlanStatus::completed);
    CHECK(f.payments[0].unapplied == M("50.00"));
    CHECK(f.payments[0].note == "exceeds the plan total");
    CHECK(event_list(f) == std::vector<std::string>{"2026-02-01 kept #1", "2026-02-01 kept #2",
                                                    "2026-02-01 kept #3", "2026-02-01 completed"});
}

TEST_CASE("grace days and the tolerance decide kept; misses break the plan", "[plans][status]") {
    PlanRules rules;
    rules.grace_days = 5;
    rules.tolerance = M("1.00");
    rules.break_after_missed = 2;
    rules.break_after_days_late = std::nullopt;
    const PaymentPlan plan = simple_plan("300.00", 3, "2026-02-01", rules);
    // Paid 99.50 on day 5 of grace: kept within tolerance. Nothing for March: missed on Mar 7.
    const std::vector<Payment> pays{{D("2026-02-06"), M("99.50")}};
    CHECK(plan.evaluate(pays, D("2026-01-20")).status == PlanStatus::active);
    CHECK(plan.evaluate(pays, D("2026-03-06")).status == PlanStatus::current);
    const PlanEvaluation mar = plan.evaluate(pays, D("2026-03-07"));
    CHECK(mar.status == PlanStatus::delinquent);
    CHECK(event_list(mar) == std::vector<std::string>{"2026-02-06 kept #1", "2026-03-07 missed #2"});
    CHECK(mar.events[1].amount == M("100.00"));  // nothing of #2 paid (#1 is short 0.50, within tolerance)
    CHECK(mar.days_past_due == 6);
    CHECK(mar.installments[1].status == InstallmentState::missed);
    const PlanEvaluation apr_ = plan.evaluate(pays, D("2026-04-07"));
    CHECK(apr_.status == PlanStatus::broken);
    CHECK(to_iso(*apr_.status_date) == "2026-04-07");
    CHECK(apr_.events.back().detail == "2 missed installments");
    // The same payment a day later than the grace: missed, then caught up (paid late, no kept).
    const std::vector<Payment> late{{D("2026-02-07"), M("100.00")}};
    const PlanEvaluation l = plan.evaluate(late, D("2026-02-20"));
    CHECK(event_list(l) == std::vector<std::string>{"2026-02-07 missed #1"});
    CHECK(l.installments[0].status == InstallmentState::paid);
    CHECK(l.installments[0].days_late == 6);
    CHECK(l.status == PlanStatus::current);
    CHECK(l.missed_count == 1);
}

TEST_CASE("a plan breaks when an installment is more than D days late", "[plans][status]") {
    PlanRules rules;
    rules.grace_days = 3;
    rules.break_after_missed = std::nullopt;
    rules.break_after_days_late = 10;
    const PaymentPlan plan = simple_plan("300.00", 3, "2026-02-01", rules);
    const std::vector<Payment> none;
    CHECK(plan.evaluate(none, D("2026-02-11")).status == PlanStatus::delinquent);
    const PlanEvaluation e = plan.evaluate(none, D("2026-02-12"));
    CHECK(e.status == PlanStatus::broken);
    CHECK(event_list(e) == std::vector<std::string>{"2026-02-05 missed #1", "2026-02-12 broken"});
    CHECK(e.events.back().detail == "installment 1 more than 10 days late");
    // Payments after the break are not applied to the plan.
    const std::vector<Payment> after{{D("2026-02-20"), M("100.00")}};
    const PlanEvaluation f = plan.evaluate(after, D("2026-03-01"));
    CHECK(f.payments[0].unapplied == M("100.00"));
    CHECK(f.payments[0].note == "the plan was broken on 2026-02-12");
}

TEST_CASE("statuses do not depend on the order payments were recorded", "[plans][status]") {
    const PaymentPlan plan = simple_plan("1000.00", 5, "2026-02-01");
    std::vector<Payment> pays{{D("2026-02-01"), M("150")}, {D("2026-03-09"), M("20")}, {D("2026-02-01"), M("50")},
                              {D("2026-04-01"), M("200")}, {D("2026-03-02"), M("200")}, {D("2026-09-01"), M("1")}};
    const PlanEvaluation base = plan.evaluate(pays, D("2026-05-10"));
    std::mt19937 rng(5);
    for (int i = 0; i < 20; ++i) {
        std::shuffle(pays.begin(), pays.end(), rng);
        REQUIRE(plan.evaluate(pays, D("2026-05-10")) == base);
    }
}

TEST_CASE("a settlement writes off the rest on completion and returns the balance on default", "[plans][settlement]") {
    const Schedule s = installment_schedule(M("600.00"), 3, D("2026-02-01"));
    const PaymentPlan plan(PlanKind::settlement, D("2026-01-15"), {{"A1", M("1000.00")}}, s, {},
                           D("2026-02-01"));
    CHECK(plan.discount() == M("400.00"));
    const std::vector<Payment> pays{{D("2026-02-01"), M("200")}, {D("2026-03-01"), M("200")},
                                    {D("2026-04-01"), M("200")}};
    const PlanEvaluation done = plan.evaluate(pays, D("2026-04-30"));
    CHECK(done.status == PlanStatus::completed);
    REQUIRE(done.events.back().type == PlanEventType::settlement_discount);
    CHECK(done.events.back().amount == M("400.00"));
    CHECK(to_iso(done.events.back().date) == "2026-04-01");
    CHECK(done.events.back().accounts == std::vector<AccountAmount>{{"A1", M("400.00")}});
    CHECK(done.balance_remaining.is_zero());
    // Default: two payments missed -> broken, void: the discount is withdrawn.
    const std::vector<Payment> one{{D("2026-02-01"), M("200")}};
    const PlanEvaluation broke = plan.evaluate(one, D("2026-05-01"));
    CHECK(broke.status == PlanStatus::broken);
    CHECK(broke.events.back().type == PlanEventType::settlement_voided);
    CHECK(broke.events.back().amount == M("400.00"));
    CHECK(broke.balance_remaining == M("800.00"));
    // Configurable: pro rata keeps the discount earned by what was paid (200 x 400/600 = 133.33).
    PlanRules pr;
    pr.on_default = SettlementDefault::pro_rata;
    const PaymentPlan plan2(PlanKind::settlement, D("2026-01-15"), {{"A1", M("1000.00")}}, s, pr,
                            D("2026-02-01"));
    const PlanEvaluation b2 = plan2.evaluate(one, D("2026-05-01"));
    std::vector<std::string> types;
    for (const auto& x : b2.events) types.emplace_back(to_string(x.type));
    // #2 missed Mar 7, still unpaid more than 30 days after Mar 1: broken Apr 1.
    CHECK(types == std::vector<std::string>{"kept", "missed", "broken", "settlement_discount",
                                            "settlement_voided"});
    CHECK(to_iso(b2.events[2].date) == "2026-04-01");
    CHECK(b2.events[3].amount == M("133.33"));
    CHECK(b2.events[4].amount == M("266.67"));
    CHECK(b2.balance_remaining == M("666.67"));
}

TEST_CASE("a settlement offer expires when nothing is paid by its expiry", "[plans][settlement]") {
    const std::pair<Date, Money> lump{D("2026-02-01"), M("500")};
    const PaymentPlan plan(PlanKind::settlement, D("2026-01-15"), {{"A1", M("1000")}},
                           Schedule::from_payments(std::span(&lump, 1)), PlanRules{}, D("2026-02-10"));
    const std::vector<Payment> none;
    const PlanEvaluation e = plan.evaluate(none, D("2026-02-11"));
    CHECK(e.status == PlanStatus::cancelled);
    CHECK(event_list(e) == std::vector<std::string>{"2026-02-07 missed #1", "2026-02-11 offer_expired"});
}

TEST_CASE("settlement and plan terms are validated", "[plans][validation]") {
    const Schedule s = installment_schedule(M("1200.00"), 3, D("2026-02-01"));
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::settlement, D("2026-01-15"), {{"A1", M("1000.00")}}, s, {},
                                  D("2026-02-01")),
                      Catch::Contains("settlement: 1200.00 is above the balance 1000.00"));
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::installment, D("2026-01-15"), {{"A1", M("1000.00")}}, s),
                      Catch::Contains("total: 1200.00 is above the balance 1000.00"));
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::installment, D("2026-02-15"), {{"A1", M("1200.00")}}, s),
                      Catch::Contains("first_due: 2026-02-01 is before the plan date 2026-02-15"));
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::settlement, D("2026-01-15"), {{"A1", M("2000.00")}}, s),
                      Catch::Contains("offer_expiry: a settlement needs"));
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::settlement, D("2026-01-15"), {{"A1", M("2000.00")}}, s, {},
                                  D("2026-01-20")),
                      Catch::Contains("is before the first due date"));
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::promise, D("2026-01-15"), {{"A1", M("2000.00")}}, s),
                      Catch::Contains("one date and amount"));
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::installment, D("2026-01-15"), {{"A1", M("600")}, {"A1", M("600")}}, s),
                      Catch::Contains("'A1' appears twice"));
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::installment, D("2026-01-15"), {{"A1", M("-1")}}, s),
                      Catch::Contains("accounts[0].balance: -1.00 must be positive"));
    PlanRules r;
    r.grace_days = 10;
    r.break_after_days_late = 5;
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::installment, D("2026-01-15"), {{"A1", M("1200")}}, s, r),
                      Catch::Contains("break_after_days_late: 5 is less than grace_days 10"));
    r = {};
    r.tolerance = Money::parse("1", Currency::of("EUR"));
    CHECK_THROWS_WITH(PaymentPlan(PlanKind::installment, D("2026-01-15"), {{"A1", M("1200")}}, s, r),
                      Catch::Contains("tolerance: currency mismatch"));
    const PaymentPlan ok(PlanKind::installment, D("2026-01-15"), {{"A1", M("1200")}}, s);
    const std::vector<Payment> neg{{D("2026-02-01"), M("-5")}};
    CHECK_THROWS_WITH(ok.evaluate(neg, D("2026-03-01")), Catch::Contains("payments[0].amount: -5.00 must be positive"));
    CHECK_THROWS_WITH(ok.evaluate({}, D("2026-01-01")), Catch::Contains("as_of: 2026-01-01 is before the plan date"));
    CHECK_THROWS_AS(ok.cancel(D("2026-03-01")).cancel(D("2026-03-02")), ConflictError);
}

TEST_CASE("a promise to pay breaks when missed, whatever the miss count", "[plans][promise]") {
    const std::pair<Date, Money> p{D("2026-02-01"), M("250.00")};
    PlanRules r;
    r.grace_days = 0;
    r.break_after_missed = 3;
    const PaymentPlan plan(PlanKind::promise, D("2026-01-20"), {{"A1", M("900.00")}},
                           Schedule::from_payments(std::span(&p, 1)), r);
    const std::vector<Payment> short_{{D("2026-02-01"), M("200.00")}};
    const PlanEvaluation e = plan.evaluate(short_, D("2026-02-02"));
    CHECK(e.status == PlanStatus::broken);
    CHECK(event_list(e) == std::vector<std::string>{"2026-02-02 missed #1", "2026-02-02 broken"});
    const std::vector<Payment> kept{{D("2026-01-30"), M("250.00")}};
    CHECK(plan.evaluate(kept, D("2026-02-02")).status == PlanStatus::completed);
    CHECK(plan.evaluate(kept, D("2026-02-02")).balance_remaining == M("650.00"));
}

TEST_CASE("a cancelled plan stops applying payments from its cancellation date", "[plans][status]") {
    const PaymentPlan plan = simple_plan("300.00", 3, "2026-02-01").cancel(D("2026-02-15"));
    const std::vector<Payment> pays{{D("2026-02-01"), M("100")}, {D("2026-02-15"), M("100")}};
    const PlanEvaluation e = plan.evaluate(pays, D("2026-03-01"));
    CHECK(e.status == PlanStatus::cancelled);
    CHECK(e.paid == M("100"));
    CHECK(e.payments[1].unapplied == M("100"));
    CHECK(event_list(e) == std::vector<std::string>{"2026-02-01 kept #1", "2026-02-15 cancelled"});
}

TEST_CASE("several accounts share payments pro rata without taking a cent back", "[plans][accounts]") {
    const Schedule s = installment_schedule(M("600.00"), 3, D("2026-02-01"));
    const PaymentPlan plan(PlanKind::settlement, D("2026-01-15"),
                           {{"A", M("500.00")}, {"B", M("300.00")}, {"C", M("200.00")}}, s, {},
                           D("2026-02-01"));
    const std::vector<Payment> pays{{D("2026-02-01"), M("200")}, {D("2026-03-01"), M("200")},
                                    {D("2026-04-01"), M("200")}};
    const PlanEvaluation e = plan.evaluate(pays, D("2026-04-01"));
    CHECK(e.payments[0].accounts ==
          std::vector<AccountAmount>{{"A", M("100.00")}, {"B", M("60.00")}, {"C", M("40.00")}});
    CHECK(e.events.back().accounts ==
          std::vector<AccountAmount>{{"A", M("200.00")}, {"B", M("120.00")}, {"C", M("80.00")}});
    // Monotone cumulative split: every per-payment share is non-negative and they add up.
    std::mt19937_64 rng(9);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<PlanAccount> accts;
        const int k = 2 + static_cast<int>(rng() % 4);
        std::int64_t bal = 0;
        for (int i = 0; i < k; ++i) {
            const auto b = static_cast<std::int64_t>(rng() % 700 + 1);
            bal += b;
            accts.push_back({"acct" + std::to_string(i), Money(b, USD)});
        }
        const PaymentPlan p(PlanKind::installment, D("2026-01-15"), accts,
                            installment_schedule(Money(bal, USD), 1, D("2026-02-01")));
        std::vector<Money> prev = p.split_amount(Money(0, USD));
        for (std::int64_t x = 1; x <= bal; ++x) {
            const std::vector<Money> cur = p.split_amount(Money(x, USD));
            Money sum(0, USD);
            for (std::size_t i = 0; i < cur.size(); ++i) {
                REQUIRE(cur[i] >= prev[i]);
                REQUIRE(cur[i] <= accts[i].balance);
                sum += cur[i];
            }
            REQUIRE(sum.minor() == x);
            prev = cur;
        }
    }
    // Sequential: the first account is paid off first.
    const PaymentPlan seq(PlanKind::installment, D("2026-01-15"), {{"A", M("50")}, {"B", M("50")}},
                          installment_schedule(M("100"), 2, D("2026-02-01")), {}, std::nullopt,
                          AccountSplit::sequential);
    CHECK(seq.split_amount(M("70")) == std::vector<Money>{M("50"), M("20")});
}

TEST_CASE("plans and evaluations survive a JSON round trip", "[plans][json]") {
    const Schedule s = installment_schedule(M("600.00"), 3, D("2026-02-01"));
    PlanRules r;
    r.tolerance = M("0.50");
    r.break_after_days_late = std::nullopt;
    const PaymentPlan plan(PlanKind::settlement, D("2026-01-15"), {{"A", M("500.00")}, {"B", M("500.00")}}, s, r,
                           D("2026-02-03"), AccountSplit::sequential, "P-1", "D-9");
    const nlohmann::json j = plan;
    CHECK(j["rules"]["break_after_days_late"].is_null());
    CHECK(payment_plan_from_json(j) == plan);
    const std::vector<Payment> pays{{D("2026-02-01"), M("200")}};
    const PlanEvaluation e = plan.evaluate(pays, D("2026-04-01"));
    const nlohmann::json je = e;
    CHECK(plan_evaluation_from_json(je) == e);
    nlohmann::json bad = j;
    bad["rules"]["grace_days"] = 400;
    CHECK_THROWS_WITH(payment_plan_from_json(bad), Catch::Contains("$.rules.grace_days"));
    bad = j;
    bad["kind"] = "loan";
    CHECK_THROWS_WITH(payment_plan_from_json(bad), Catch::Contains("unknown plan kind 'loan'"));
}

// ---- re-aging ------------------------------------------------------------------------------

TEST_CASE("three consecutive kept installments re-age once; the first delinquency date stays", "[plans][reaging]") {
    const PaymentPlan plan = simple_plan("600.00", 6, "2026-02-01");
    const std::vector<Payment> pays{{D("2026-02-01"), M("100")}, {D("2026-03-01"), M("100")},
                                    {D("2026-04-01"), M("100")}};
    const ReagingRule rule;
    const Date dofd = D("2025-09-01");
    const ReagingDecision d = decide_reaging(rule, plan.evaluate(pays, D("2026-04-10")), 120, dofd);
    CHECK(d.reaged);
    CHECK(to_iso(*d.reaged_on) == "2026-04-01");
    CHECK(d.days_past_due == 0);
    CHECK(d.date_of_first_delinquency == dofd);
    CHECK(d.kept_streak == 3);
    // Two kept only: not yet.
    const std::vector<Payment> two(pays.begin(), pays.begin() + 2);
    const ReagingDecision n = decide_reaging(rule, plan.evaluate(two, D("2026-03-10")), 120, dofd);
    CHECK_FALSE(n.reaged);
    CHECK(n.days_past_due == 120);
    CHECK(n.reason == "not re-aged: 2 consecutive kept installments of 3");
    // Re-aged eight months ago: at most once in 12 months.
    const std::vector<Date> prior{D("2025-08-01")};
    const ReagingDecision t = decide_reaging(rule, plan.evaluate(pays, D("2026-04-10")), 120, dofd, prior);
    CHECK_FALSE(t.reaged);
    CHECK(t.reason == "not re-aged: re-aged less than 12 months before");
    // Twice in five years already.
    const std::vector<Date> twice{D("2022-01-01"), D("2024-01-01")};
    CHECK_FALSE(decide_reaging(rule, plan.evaluate(pays, D("2026-04-10")), 120, dofd, twice).reaged);
    // A miss resets the streak: kept, missed, kept, kept is not three in a row.
    const std::vector<Payment> gap{{D("2026-02-01"), M("100")}, {D("2026-03-20"), M("100")},
                                   {D("2026-04-01"), M("100")}, {D("2026-05-01"), M("100")}};
    const ReagingDecision g = decide_reaging(rule, plan.evaluate(gap, D("2026-05-10")), 120, dofd);
    CHECK_FALSE(g.reaged);
    CHECK(g.kept_streak == 2);
    // Days past due after re-aging count from the next unpaid installment.
    const ReagingDecision later = decide_reaging(rule, plan.evaluate(pays, D("2026-05-20")), 150, dofd);
    CHECK(later.reaged);
    CHECK(later.days_past_due == 19);  // installment 4 due May 1
    CHECK_THROWS_WITH(decide_reaging(ReagingRule{0, 12, 2, 60}, plan.evaluate(pays, D("2026-04-10")), 1, dofd),
                      Catch::Contains("consecutive_kept: 0"));
}

// ---- offers --------------------------------------------------------------------------------

TEST_CASE("offers follow the budget and the policy, best first", "[plans][offers]") {
    const Budget budget{M("2500.00"), M("2200.00"), M("700.00")};  // 300 a month, 700 at once
    OfferPolicy policy;
    policy.minimum_payment = M("50.00");
    policy.maximum_term_months = 12;
    policy.settlement_floor = R("0.6");
    policy.offer_expiry_days = 14;
    const auto offers = propose_offers(M("1500.00"), budget, policy, D("2026-03-01"));
    std::vector<std::string> got;
    for (const auto& o : offers) got.push_back(o.description);
    CHECK(got == std::vector<std::string>{
                     "Pay $1,500.00 in 5 monthly payments of $300.00, the first by 2026-03-15",
                     "Pay $1,500.00 in 12 monthly payments of $125.00, the first by 2026-03-15",
                     "Settle $1,500.00 for $900.00 (60%) paid by 2026-03-15",
                     "Settle $1,500.00 for $900.00 (60%) in 3 monthly payments of $300.00, the first by 2026-03-15",
                     "Settle $1,500.00 for $900.00 (60%) in 12 monthly payments of $75.00, the first by 2026-03-15",
                 });
    CHECK(offers[2].kind == PlanKind::settlement);
    CHECK(offers[2].discount == M("600.00"));
    // Each offer turns into a valid plan.
    for (const auto& o : offers) CHECK(o.to_plan(D("2026-03-01")).total() == o.total);
    // Nothing affordable: an empty list, not a plan the debtor cannot keep.
    const Budget broke{M("1000"), M("1000"), M("0")};
    CHECK(propose_offers(M("1500.00"), broke, policy, D("2026-03-01")).empty());
    policy.settlement_floor = R("1.5");
    CHECK_THROWS_WITH(propose_offers(M("1500.00"), budget, policy, D("2026-03-01")),
                      Catch::Contains("settlement_floor: 1.5"));
}
