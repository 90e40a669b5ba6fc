#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "arrears/ledger.hpp"

using namespace arrears;

namespace {

const Currency USD = Currency::of("USD");
Date D(const char* iso) { return parse_date(iso); }
Money usd(const char* amount) { return Money::parse(amount, USD); }
Money cents(std::int64_t minor) { return Money(minor, USD); }
const Instant T0 = parse_instant("2026-01-01T12:00:00Z");

LedgerTerms terms(const char* rate = "0", const char* opened = "2025-01-01") {
    LedgerTerms t;
    t.currency = USD;
    t.opened_on = D(opened);
    t.interest.annual_rate = Rational::parse(rate);
    return t;
}

// The worked example: $1,000 placed, a $30 fee, 12% actual/365 simple interest.
Ledger example() {
    Ledger l(terms("0.12"));
    l.post_charge(usd("1000.00"), D("2025-01-01"), "placement", Component::principal, T0);
    l.post_fee(usd("30.00"), D("2025-01-01"), "fee", Component::fees, T0);
    return l;
}

std::int64_t sum_parts(const Allocation& a) {
    return a.parts[0] + a.parts[1] + a.parts[2] + a.parts[3] + a.unapplied;
}

}  // namespace

TEST_CASE("a payment pays fees, then interest, then principal", "[ledger]") {
    Ledger l = example();
    // 30 days of interest on $1,000 at 12%/365: 9.8630 -> 9.86
    const auto interest = l.accrue_interest(D("2025-01-31"), T0);
    REQUIRE(interest);
    CHECK(interest->amount == usd("9.86"));
    const Transaction p = l.post_payment(usd("100.00"), D("2025-02-01"), "P1", T0);
    CHECK(p.allocation.fees() == usd("30.00"));
    CHECK(p.allocation.interest() == usd("9.86"));
    CHECK(p.allocation.principal() == usd("60.14"));
    CHECK(p.allocation.unapplied_credit() == usd("0.00"));
    CHECK(p.allocation.transaction_id == p.id());
    const Balance b = l.balance();
    CHECK(b.principal() == usd("939.86"));
    CHECK(b.total() == usd("939.86"));
}

TEST_CASE("an overpayment becomes unapplied credit", "[ledger]") {
    Ledger l(terms());
    l.post_charge(usd("50.00"), D("2025-01-01"), "c", Component::principal, T0);
    const Transaction p = l.post_payment(usd("80.00"), D("2025-01-05"), "P", T0);
    CHECK(p.allocation.principal() == usd("50.00"));
    CHECK(p.allocation.unapplied_credit() == usd("30.00"));
    CHECK(l.balance().total() == usd("-30.00"));
    CHECK(l.balance().unapplied_credit() == usd("30.00"));
}

TEST_CASE("a backdated payment re-computes interest and later allocations", "[ledger][replay]") {
    Ledger l = example();
    l.accrue_interest(D("2025-01-31"), T0);
    const Transaction p1 = l.post_payment(usd("100.00"), D("2025-02-01"), "P1", T0);
    // Arrives later, effective January 15: it pays the $30 fee and $20 of principal, so the
    // interest to January 31 is 14 days on $1,000 + 16 days on $980 = 4.6027 + 5.1551 = 9.76.
    const Transaction p0 = l.post_payment(usd("50.00"), D("2025-01-15"), "P0", T0);
    CHECK(p0.allocation.fees() == usd("30.00"));
    CHECK(p0.allocation.principal() == usd("20.00"));
    const Transaction& interest = l.transaction(3);
    CHECK(interest.amount == usd("9.76"));
    CHECK(interest.entry.amount == usd("9.86"));  // as posted: never changed
    CHECK(interest.restated);
    const Transaction& again = l.transaction(p1.id());
    CHECK(again.allocation.fees() == usd("0.00"));
    CHECK(again.allocation.interest() == usd("9.76"));
    CHECK(again.allocation.principal() == usd("90.24"));
    CHECK(again.restated);
    CHECK(again.entry.posted_allocation == p1.allocation);  // the journal keeps what it was
    CHECK(l.balance().total() == usd("889.76"));
    // The journal is in arrival order, the ledger in effective order.
    CHECK(l.entries().back().id == p0.id());
    CHECK(l.transactions()[2].id() == p0.id());
}

TEST_CASE("reversing a payment restores exactly what it paid", "[ledger][reversal]") {
    Ledger l = example();
    l.accrue_interest(D("2025-01-31"), T0);
    const Balance before = l.balance();
    const Transaction p = l.post_payment(usd("100.00"), D("2025-02-01"), "P1", T0);
    const Transaction r = l.reverse(p.id(), ReversalReason::chargeback, std::nullopt, T0);
    CHECK(r.allocation.parts == p.allocation.parts);
    CHECK(r.entry.reverses == p.id());
    CHECK(l.transaction(p.id()).reversed_by == r.id());
    CHECK(l.balance() == before);
    CHECK(r.balance_effect() == usd("100.00"));
}

TEST_CASE("a reversal on the payment's own date undoes it as if it was never posted",
          "[ledger][reversal]") {
    // Two payments the same day: without the first, the second pays the fee.
    Ledger with = example(), without = example();
    const Transaction a = with.post_payment(usd("30.00"), D("2025-02-01"), "A", T0);
    with.post_payment(usd("30.00"), D("2025-02-01"), "B", T0);
    without.post_payment(usd("30.00"), D("2025-02-01"), "B", T0);
    with.reverse(a.id(), ReversalReason::error, std::nullopt, T0);
    CHECK(with.balance() == without.balance());
    CHECK(with.balance().fees() == usd("0.00"));
    CHECK(with.balance().principal() == usd("1000.00"));
    // The reversal sits right after its payment in the ledger.
    CHECK(with.transactions()[2].id() == a.id());
    CHECK(with.transactions()[3].entry.type == TransactionType::payment_reversal);
}

TEST_CASE("a later reversal restores the payment on its own date, then interest resumes",
          "[ledger][reversal]") {
    Ledger l(terms("0.365"));  // 0.1% a day (actual/365)
    l.post_charge(usd("1000.00"), D("2025-01-01"), "c", Component::principal, T0);
    const Transaction p = l.post_payment(usd("500.00"), D("2025-01-11"), "P", T0);
    l.reverse(p.id(), ReversalReason::nsf, D("2025-01-21"), T0);
    l.accrue_interest(D("2025-01-31"), T0);
    // 10 days on 1,000 + 10 days on 500 + 10 days on 1,000 = 10 + 5 + 10
    CHECK(l.balance().interest() == usd("25.00"));
    CHECK(l.balance().principal() == usd("1000.00"));
}

TEST_CASE("an NSF reversal posts the NSF fee, which the returned payment never pays",
          "[ledger][reversal][fees]") {
    LedgerTerms t = terms();
    t.fees.nsf = usd("25.00");
    Ledger l(t);
    l.post_charge(usd("100.00"), D("2025-01-01"), "c", Component::principal, T0);
    const Transaction p = l.post_payment(usd("40.00"), D("2025-02-01"), "P", T0);
    l.reverse(p.id(), ReversalReason::nsf, std::nullopt, T0);
    CHECK(l.entries().size() == 4);
    const Transaction& fee = l.transaction(4);
    CHECK(fee.entry.type == TransactionType::fee);
    CHECK(fee.amount == usd("25.00"));
    CHECK(fee.entry.reverses == p.id());
    CHECK_FALSE(l.transaction(p.id()).restated);  // still paid principal only
    CHECK(l.balance().fees() == usd("25.00"));
    CHECK(l.balance().total() == usd("125.00"));
    // A chargeback posts no NSF fee.
    const Transaction p2 = l.post_payment(usd("10.00"), D("2025-02-02"), "P2", T0);
    l.reverse(p2.id(), ReversalReason::chargeback, std::nullopt, T0);
    CHECK(l.entries().size() == 6);
}

TEST_CASE("bad postings are rejected and change nothing", "[ledger][errors]") {
    Ledger l = example();
    const Transaction p = l.post_payment(usd("10.00"), D("2025-02-01"), "P1", T0);
    l.reverse(p.id(), ReversalReason::nsf, std::nullopt, T0);
    const auto entries = l.entries();
    const auto view = l.transactions();
    const Balance balance = l.balance();
    auto unchanged = [&] {
        CHECK(l.entries() == entries);
        CHECK(l.transactions() == view);
        CHECK(l.balance() == balance);
    };
    CHECK_THROWS_WITH(l.post_payment(usd("0.00"), D("2025-02-01"), "x", T0),
                      Catch::Contains("amount") && Catch::Contains("not positive"));
    unchanged();
    CHECK_THROWS_AS(l.post_payment(usd("-5.00"), D("2025-02-01"), "x", T0), ValidationError);
    unchanged();
    CHECK_THROWS_WITH(l.post_payment(Money::parse("5.00", Currency::of("EUR")), D("2025-02-01"), "x", T0),
                      Catch::Contains("EUR") && Catch::Contains("USD"));
    unchanged();
    CHECK_THROWS_WITH(l.post_payment(usd("5.00"), D("2024-12-31"), "x", T0),
                      Catch::Contains("effective: 2024-12-31") && Catch::Contains("before the account opened"));
    unchanged();
    CHECK_THROWS_WITH(l.reverse(p.id(), ReversalReason::nsf, std::nullopt, T0),
                      Catch::Contains("already reversed"));
    CHECK_THROWS_AS(l.reverse(p.id(), ReversalReason::nsf, std::nullopt, T0), ConflictError);
    unchanged();
    CHECK_THROWS_AS(l.reverse(99, ReversalReason::nsf, std::nullopt, T0), NotFoundError);
    CHECK_THROWS_WITH(l.reverse(0, ReversalReason::nsf, std::nullopt, T0), Catch::Contains("no transaction 0"));
    unchanged();
    CHECK_THROWS_WITH(l.reverse(1, ReversalReason::error, std::nullopt, T0),
                      Catch::Contains("is a charge") && Catch::Contains("only payments"));
    unchanged();
    const Transaction p2 = l.post_payment(usd("10.00"), D("2025-02-05"), "P2", T0);
    const auto entries2 = l.entries();
    CHECK_THROWS_WITH(l.reverse(p2.id(), ReversalReason::nsf, D("2025-02-04"), T0),
                      Catch::Contains("before the payment's effective date"));
    CHECK(l.entries() == entries2);
    CHECK_THROWS_WITH(l.post_payment(usd("10.00"), D("2025-02-06"), "P2", T0),
                      Catch::Contains("reference") && Catch::Contains("already posted"));
    CHECK_THROWS_AS(l.post_payment(usd("10.00"), D("2025-02-06"), "P2", T0), ConflictError);
    CHECK(l.entries() == entries2);
    CHECK_THROWS_WITH(l.post_fee(usd("1.00"), D("2025-02-06"), "f", Component::principal, T0),
                      Catch::Contains("'fees' or 'costs'"));
    CHECK_THROWS_WITH(l.post_adjustment(usd("0.00"), Component::fees, D("2025-02-06"), "a", T0),
                      Catch::Contains("adjustment must change something"));
    CHECK_THROWS_WITH(l.post_write_off(usd("5000.00"), D("2025-02-06"), "w", T0),
                      Catch::Contains("more than the balance"));
    CHECK_THROWS_WITH(l.post_settlement_discount(usd("5000.00"), D("2025-02-06"), "s", T0),
                      Catch::Contains("more than the balance"));
    CHECK(l.entries() == entries2);
}

TEST_CASE("a reversed payment's reference may be posted again", "[ledger][reversal]") {
    Ledger l(terms());
    l.post_charge(usd("100.00"), D("2025-01-01"), "c", Component::principal, T0);
    const Transaction p = l.post_payment(usd("10.00"), D("2025-01-02"), "CHK-1", T0);
    l.reverse(p.id(), ReversalReason::nsf, std::nullopt, T0);
    CHECK_NOTHROW(l.post_payment(usd("10.00"), D("2025-01-09"), "CHK-1", T0));
}

TEST_CASE("accruing interest twice through the same date posts nothing", "[ledger][interest]") {
    Ledger l = example();
    CHECK(l.accrue_interest(D("2025-01-31"), T0));
    CHECK_FALSE(l.accrue_interest(D("2025-01-31"), T0));
    CHECK(l.entries().size() == 3);
    Ledger no_rate(terms("0"));
    CHECK_FALSE(no_rate.accrue_interest(D("2025-01-31"), T0));
    CHECK(no_rate.entries().empty());
    CHECK_THROWS_AS(l.accrue_interest(D("2024-06-30"), T0), ValidationError);
}

TEST_CASE("accrued_interest tells what an accrual would post without posting it", "[ledger][interest]") {
    Ledger l = example();
    CHECK(l.accrued_interest(D("2025-01-31")) == usd("9.86"));
    CHECK(l.entries().size() == 2);
    l.accrue_interest(D("2025-01-31"), T0);
    // 28 more days on $1,000 (the posted interest earns nothing: simple interest)
    CHECK(l.accrued_interest(D("2025-02-28")) == usd("9.21"));
}

TEST_CASE("compound interest also accrues on posted interest", "[ledger][interest]") {
    LedgerTerms t = terms("0.365");
    t.interest.compound = true;
    Ledger l(t);
    l.post_charge(usd("1000.00"), D("2025-01-01"), "c", Component::principal, T0);
    l.accrue_interest(D("2025-01-11"), T0);  // 10.00
    l.accrue_interest(D("2025-01-21"), T0);  // 10 days on 1,010.00 = 10.10
    CHECK(l.balance().interest() == usd("20.10"));
}

TEST_CASE("the interest cap bounds all interest ever accrued", "[ledger][interest]") {
    LedgerTerms t = terms("0.365");
    t.interest.cap = usd("15.00");
    Ledger l(t);
    l.post_charge(usd("1000.00"), D("2025-01-01"), "c", Component::principal, T0);
    CHECK(l.accrue_interest(D("2025-01-11"), T0)->amount == usd("10.00"));
    CHECK(l.accrue_interest(D("2025-01-21"), T0)->amount == usd("5.00"));
    CHECK(l.accrue_interest(D("2025-01-31"), T0)->amount == usd("0.00"));
    CHECK(l.balance().interest() == usd("15.00"));
}

TEST_CASE("a rate change re-computes interest from its date", "[ledger][interest]") {
    Ledger l(terms("0.365"));
    l.post_charge(usd("1000.00"), D("2025-01-01"), "c", Component::principal, T0);
    l.accrue_interest(D("2025-01-31"), T0);
    CHECK(l.balance().interest() == usd("30.00"));
    l.change_interest_rate(Rational::parse("0"), D("2025-01-21"));
    CHECK(l.balance().interest() == usd("20.00"));
    CHECK(l.transaction(2).restated);
    CHECK_THROWS_AS(l.change_interest_rate(Rational::parse("0.1"), D("2025-01-10")), ValidationError);
}

TEST_CASE("an allocation policy change re-allocates later payments only", "[ledger][allocation]") {
    Ledger l = example();
    const Transaction early = l.post_payment(usd("10.00"), D("2025-01-05"), "early", T0);
    const Transaction late = l.post_payment(usd("10.00"), D("2025-03-05"), "late", T0);
    CHECK(late.allocation.fees() == usd("10.00"));
    AllocationPolicy judgment;
    judgment.payment = Waterfall(std::array<Component, 4>{Component::principal, Component::interest,
                                                          Component::fees, Component::costs});
    l.change_allocation_policy(judgment, D("2025-03-01"));
    CHECK(l.transaction(early.id()).allocation.fees() == usd("10.00"));
    CHECK(l.transaction(late.id()).allocation.principal() == usd("10.00"));
    CHECK(l.transaction(late.id()).restated);
}

TEST_CASE("a negative adjustment credits one component; beyond it, unapplied", "[ledger]") {
    Ledger l = example();
    const Transaction waive = l.post_adjustment(usd("-40.00"), Component::fees, D("2025-01-02"), "waive", T0);
    CHECK(waive.allocation.fees() == usd("30.00"));
    CHECK(waive.allocation.unapplied_credit() == usd("10.00"));
    CHECK(waive.balance_effect() == usd("-40.00"));
    const Transaction add = l.post_adjustment(usd("12.00"), Component::costs, D("2025-01-03"), "court", T0);
    CHECK(add.balance_effect() == usd("12.00"));
    CHECK(l.balance().costs() == usd("12.00"));
}

TEST_CASE("write-offs and settlement discounts use their own waterfalls", "[ledger]") {
    LedgerTerms t = terms();
    t.allocation.settlement_discount =
        Waterfall(std::array<Component, 4>{Component::interest, Component::fees, Component::costs,
                                           Component::principal});
    Ledger l(t);
    l.post_charge(usd("100.00"), D("2025-01-01"), "c", Component::principal, T0);
    l.post_charge(usd("20.00"), D("2025-01-01"), "i", Component::interest, T0);
    l.post_fee(usd("5.00"), D("2025-01-01"), "f", Component::fees, T0);
    const Transaction d = l.post_settlement_discount(usd("22.00"), D("2025-02-01"), "settle", T0);
    CHECK(d.allocation.interest() == usd("20.00"));
    CHECK(d.allocation.fees() == usd("2.00"));
    const Transaction w = l.post_write_off(usd("103.00"), D("2025-02-02"), "wo", T0);
    CHECK(w.allocation.fees() == usd("3.00"));
    CHECK(w.allocation.principal() == usd("100.00"));
    CHECK(l.balance().total() == usd("0.00"));
}

TEST_CASE("late fees follow the rule, once per due date", "[ledger][fees]") {
    LateFeeRule rule;
    rule.fixed = usd("15.00");
    rule.percent = Rational::parse("0.05");
    rule.maximum = usd("25.00");
    rule.grace_days = 10;
    // greater of $15 and 5%, at most $25, at most the amount past due
    CHECK(rule.amount_for(usd("100.00")) == usd("15.00"));
    CHECK(rule.amount_for(usd("400.00")) == usd("20.00"));
    CHECK(rule.amount_for(usd("1000.00")) == usd("25.00"));
    CHECK(rule.amount_for(usd("9.00")) == usd("9.00"));
    LedgerTerms t = terms();
    t.fees.late = rule;
    Ledger l(t);
    l.post_charge(usd("400.00"), D("2025-01-01"), "c", Component::principal, T0);
    const Transaction fee = l.post_late_fee(D("2025-02-01"), usd("400.00"), T0);
    CHECK(fee.entry.effective == D("2025-02-12"));
    CHECK(fee.amount == usd("20.00"));
    CHECK(fee.entry.reference == "late:2025-02-01");
    CHECK_THROWS_AS(l.post_late_fee(D("2025-02-01"), usd("400.00"), T0), ConflictError);
    Ledger none(terms());
    CHECK_THROWS_WITH(none.post_late_fee(D("2025-02-01"), usd("1.00"), T0), Catch::Contains("no late-fee rule"));
    LateFeeRule bad = rule;
    bad.grace_days = -1;
    CHECK_THROWS_WITH(bad.validate(USD), Catch::Contains("grace_days"));
}

TEST_CASE("balance as of a date reads the ledger at the end of that day", "[ledger]") {
    Ledger l = example();
    l.post_payment(usd("100.00"), D("2025-03-01"), "P", T0);
    CHECK(l.balance(D("2024-12-31")).total() == usd("0.00"));
    CHECK(l.balance(D("2025-01-01")).total() == usd("1030.00"));
    CHECK(l.balance(D("2025-02-28")).total() == usd("1030.00"));
    CHECK(l.balance(D("2025-03-01")).total() == usd("930.00"));
}

TEST_CASE("the itemization adds up to the current balance", "[ledger][itemization]") {
    Ledger l(terms("0.365"));
    l.post_charge(usd("1000.00"), D("2025-01-01"), "c", Component::principal, T0);
    l.accrue_interest(D("2025-01-31"), T0);  // 30.00 on the itemization date
    l.accrue_interest(D("2025-02-10"), T0);  // 10.00 after it
    l.post_fee(usd("5.00"), D("2025-02-11"), "f", Component::fees, T0);
    const Transaction p = l.post_payment(usd("100.00"), D("2025-02-12"), "P", T0);
    l.post_payment(usd("7.00"), D("2025-02-13"), "Q", T0);
    l.reverse(p.id(), ReversalReason::nsf, D("2025-02-14"), T0);
    l.post_adjustment(usd("-3.00"), Component::fees, D("2025-02-15"), "waive", T0);
    const Itemization it = l.itemization(D("2025-01-31"), D("2025-02-20"));
    CHECK(it.on_itemization_date == usd("1030.00"));
    CHECK(it.interest == usd("10.00"));
    CHECK(it.fees == usd("5.00"));
    CHECK(it.payments == usd("7.00"));
    CHECK(it.credits == usd("3.00"));
    CHECK(it.current == it.on_itemization_date + it.interest + it.fees + it.other_charges -
                            it.payments - it.credits);
    CHECK(it.current == l.balance(D("2025-02-20")).total());
    CHECK_THROWS_AS(l.itemization(D("2025-02-01"), D("2025-01-01")), ValidationError);
}

TEST_CASE("a placement posted after the itemization date is the amount itemized", "[ledger][itemization]") {
    // Charged off on 2025-01-31 (the itemization date), placed with the agency on 2025-03-03:
    // the placed principal, interest and fees are the debt as itemized, not charges since.
    Ledger l(terms("0"));
    l.post_charge(usd("900.00"), D("2025-03-03"), "placement", Component::principal, T0);
    l.post_charge(usd("60.00"), D("2025-03-03"), "placement", Component::interest, T0);
    l.post_fee(usd("40.00"), D("2025-03-03"), "placement", Component::fees, T0);
    l.post_fee(usd("15.00"), D("2025-03-10"), "late", Component::fees, T0);
    l.post_payment(usd("100.00"), D("2025-03-20"), "P", T0);
    const Itemization it = l.itemization(D("2025-01-31"), D("2025-04-01"));
    CHECK(it.on_itemization_date == usd("1000.00"));
    CHECK(it.interest == usd("0.00"));
    CHECK(it.fees == usd("15.00"));
    CHECK(it.other_charges == usd("0.00"));
    CHECK(it.payments == usd("100.00"));
    CHECK(it.current == usd("915.00"));
    CHECK(it.current == it.on_itemization_date + it.interest + it.fees + it.other_charges -
                            it.payments - it.credits);
}

TEST_CASE("a journal round-trips through JSON and replays to the same ledger", "[ledger][json]") {
    Ledger l = example();
    l.accrue_interest(D("2025-01-31"), T0);
    const Transaction p = l.post_payment(usd("100.00"), D("2025-02-01"), "P1", T0);
    l.post_payment(usd("50.00"), D("2025-01-15"), "P0", T0);
    l.reverse(p.id(), ReversalReason::nsf, std::nullopt, T0);
    std::vector<LedgerEntry> entries;
    for (const auto& e : l.entries()) entries.push_back(parse_ledger_entry(Json(e), USD, "$"));
    const Ledger back = Ledger::from_entries(parse_ledger_terms(Json(l.terms())), entries);
    CHECK(back == l);
    CHECK(back.transactions() == l.transactions());
    for (const auto& t : l.transactions()) CHECK(parse_transaction(Json(t), USD, "$") == t);
    CHECK(parse_balance(Json(l.balance()), USD, "$") == l.balance());
}

TEST_CASE("a corrupt journal is rejected with the entry named", "[ledger][json]") {
    Ledger l = example();
    const Transaction p = l.post_payment(usd("10.00"), D("2025-02-01"), "P1", T0);
    l.reverse(p.id(), ReversalReason::nsf, std::nullopt, T0);
    auto entries = l.entries();
    auto bad_ids = entries;
    bad_ids[1].id = 7;
    CHECK_THROWS_WITH(Ledger::from_entries(l.terms(), bad_ids), Catch::Contains("entries[1].id"));
    auto twice = entries;
    twice.push_back(entries.back());
    twice.back().id = static_cast<std::int64_t>(twice.size());
    CHECK_THROWS_WITH(Ledger::from_entries(l.terms(), twice), Catch::Contains("reversed twice"));
    auto early = entries;
    early[0].effective = D("2024-01-01");
    CHECK_THROWS_WITH(Ledger::from_entries(l.terms(), early), Catch::Contains("entries[0].effective"));
    auto negative = entries;
    negative[2].amount = usd("-10.00");
    CHECK_THROWS_WITH(Ledger::from_entries(l.terms(), negative), Catch::Contains("entries[2].amount"));
}

// --- property tests over random histories ---------------------------------------------------

namespace {

struct Event {
    enum Kind { charge, fee, payment, reversal, interest, adjustment } kind;
    int day;  // days after 2025-01-01
    std::int64_t minor;
    Component component = Component::principal;
    int target = -1;  // reversal: index of the payment event
    std::string reference;
};

std::vector<Event> random_history(std::mt19937_64& rng) {
    std::uniform_int_distribution<int> kind(0, 99), day(0, 120), count(1, 40);
    std::uniform_int_distribution<std::int64_t> amount(1, 60000);
    std::vector<Event> events;
    events.push_back({Event::charge, 0, 100000, Component::principal, -1, "placement"});
    const int n = count(rng);
    std::vector<int> payments;
    for (int i = 0; i < n; ++i) {
        const int k = kind(rng);
        std::string reference = std::to_string(i);
        reference.insert(reference.begin(), 'r');
        Event e{Event::charge, day(rng), amount(rng), Component::principal, -1, reference};
        if (k < 10) {
            e.kind = Event::charge;
            e.component = kAllComponents[static_cast<std::size_t>(k % 4)];
        } else if (k < 20) {
            e.kind = Event::fee;
            e.component = k % 2 ? Component::fees : Component::costs;
        } else if (k < 60) {
            e.kind = Event::payment;
            payments.push_back(static_cast<int>(events.size()));
        } else if (k < 72 && !payments.empty()) {
            e.kind = Event::reversal;
            e.target = payments[static_cast<std::size_t>(k) % payments.size()];
            payments.erase(std::find(payments.begin(), payments.end(), e.target));
            e.day = std::max(e.day, events[static_cast<std::size_t>(e.target)].day);
        } else if (k < 88) {
            e.kind = Event::interest;
        } else {
            e.kind = Event::adjustment;
            e.component = kAllComponents[static_cast<std::size_t>(k % 4)];
            if (k % 3 == 0) e.minor = -e.minor;
        }
        events.push_back(e);
    }
    return events;
}

// Posts the events in the given arrival order; a reversal names its payment by event index.
Ledger post_all(const std::vector<Event>& events, const std::vector<std::size_t>& order) {
    LedgerTerms t = terms("0.2399");
    t.fees.nsf = usd("20.00");
    Ledger l(t);
    std::map<int, std::int64_t> id_of;
    const Date base = D("2025-01-01");
    for (std::size_t k : order) {
        const Event& e = events[k];
        const Date d = add_days(base, e.day);
        switch (e.kind) {
            case Event::charge:
                id_of[static_cast<int>(k)] =
                    l.post_charge(cents(e.minor), d, e.reference, e.component, T0).id();
                break;
            case Event::fee:
                l.post_fee(cents(e.minor), d, e.reference, e.component, T0);
                break;
            case Event::payment:
                id_of[static_cast<int>(k)] = l.post_payment(cents(e.minor), d, e.reference, T0).id();
                break;
            case Event::reversal:
                l.reverse(id_of.at(e.target), e.minor % 2 ? ReversalReason::nsf : ReversalReason::chargeback,
                          d, T0);
                break;
            case Event::interest: l.accrue_interest(d, T0); break;
            case Event::adjustment:
                l.post_adjustment(cents(e.minor), e.component, d, e.reference, T0);
                break;
        }
    }
    return l;
}

// A random arrival order in which every reversal comes after its payment.
std::vector<std::size_t> random_order(const std::vector<Event>& events, std::mt19937_64& rng) {
    std::vector<std::size_t> order(events.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    for (bool moved = true; moved;) {
        moved = false;
        for (std::size_t i = 0; i < order.size() && !moved; ++i) {
            const Event& e = events[order[i]];
            if (e.kind != Event::reversal) continue;
            const auto target = std::find(order.begin(), order.end(), static_cast<std::size_t>(e.target));
            if (target > order.begin() + static_cast<std::ptrdiff_t>(i)) {
                std::rotate(order.begin() + static_cast<std::ptrdiff_t>(i), order.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                            target + 1);
                moved = true;
            }
        }
    }
    return order;
}

// The ledger's content without arrival details (ids, posting instants, as-posted values).
using Row = std::tuple<std::string, std::string, std::int64_t, std::string, int,
                       std::array<std::int64_t, 4>, std::int64_t, std::array<std::int64_t, 4>,
                       std::int64_t, bool>;
std::vector<Row> content(const Ledger& l) {
    std::vector<Row> rows;
    for (const auto& t : l.transactions())
        rows.emplace_back(std::string(to_string(t.type())), to_iso(t.entry.effective),
                          t.amount.minor(), t.entry.reference,
                          t.entry.component ? static_cast<int>(*t.entry.component) : -1,
                          t.allocation.parts, t.allocation.unapplied, t.balance_after.parts,
                          t.balance_after.unapplied, t.reversed_by.has_value());
    return rows;
}

}  // namespace

TEST_CASE("random histories keep every cent and give one ledger whatever the arrival order",
          "[ledger][property]") {
    std::mt19937_64 rng(1234567);
    for (int round = 0; round < 1000; ++round) {
        const auto events = random_history(rng);
        std::vector<std::size_t> in_order(events.size());
        for (std::size_t i = 0; i < in_order.size(); ++i) in_order[i] = i;
        const Ledger first = post_all(events, in_order);

        // Allocations sum to each amount; no component and no credit goes negative.
        std::int64_t debits = 0, credits = 0, effects = 0;
        for (const auto& t : first.transactions()) {
            REQUIRE(sum_parts(t.allocation) == (t.amount.is_negative() ? -t.amount.minor() : t.amount.minor()));
            for (auto p : t.balance_after.parts) REQUIRE(p >= 0);
            REQUIRE(t.balance_after.unapplied >= 0);
            effects += t.balance_effect().minor();
            switch (t.type()) {
                case TransactionType::payment:
                case TransactionType::write_off:
                case TransactionType::settlement_discount: credits += t.amount.minor(); break;
                case TransactionType::adjustment:
                    (t.amount.is_negative() ? credits : debits) += std::abs(t.amount.minor());
                    break;
                default: debits += t.amount.minor();
            }
        }
        // The balance is charges minus credits: no cent created or lost.
        REQUIRE(first.balance().total().minor() == debits - credits);
        REQUIRE(first.balance().total().minor() == effects);

        // Replaying the journal from scratch gives the ledger the postings built step by step.
        const Ledger replayed = Ledger::from_entries(first.terms(), first.entries());
        REQUIRE(replayed.transactions() == first.transactions());

        // A same-day reversal without an NSF fee is as if its payment had never been posted.
        std::vector<bool> drop(events.size(), false);
        for (const auto& e : events)
            if (e.kind == Event::reversal && e.minor % 2 == 0 &&
                e.day == events[static_cast<std::size_t>(e.target)].day) {
                drop[static_cast<std::size_t>(e.target)] = true;
            }
        std::vector<Event> kept;
        std::vector<int> new_index(events.size(), -1);
        for (std::size_t i = 0; i < events.size(); ++i) {
            const Event& e = events[i];
            if (drop[i] || (e.kind == Event::reversal && drop[static_cast<std::size_t>(e.target)]))
                continue;
            new_index[i] = static_cast<int>(kept.size());
            kept.push_back(e);
            if (e.kind == Event::reversal) kept.back().target = new_index[static_cast<std::size_t>(e.target)];
        }
        std::vector<std::size_t> kept_order(kept.size());
        for (std::size_t i = 0; i < kept_order.size(); ++i) kept_order[i] = i;
        REQUIRE(post_all(kept, kept_order).balance() == first.balance());

        // Any arrival order gives the same ledger.
        for (int k = 0; k < 3; ++k) {
            const Ledger other = post_all(events, random_order(events, rng));
            REQUIRE(content(other) == content(first));
            REQUIRE(other.balance() == first.balance());
        }
    }
}
