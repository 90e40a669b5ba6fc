// The account state the store keeps beside the journal, and payments posted on it without the
// journal: the same entry and the same state as Ledger::post_payment, or "ask the ledger".
#include <catch2/catch.hpp>

#include "arrears/account_state.hpp"
#include "arrears/error.hpp"
#include "test_support.hpp"

using namespace arrears;
using namespace arrears::test;

namespace {

Account account() {
    AccountInfo i;
    i.id = "A1";
    i.debtors = {{"D1", DebtorRole::primary, "1"}};
    i.last_payment_on = D("2025-05-01");  // the creditor's
    LedgerTerms t;
    t.currency = USD;
    t.opened_on = D("2023-01-15");
    t.interest.annual_rate = Rational::parse("0.12");
    Account a(i, t);
    a.ledger().post_charge(usd("1000.00"), D("2025-06-30"), "placement", Component::principal, T0);
    a.ledger().post_fee(usd("35.00"), D("2025-06-30"), "placement", Component::fees, T0);
    return a;
}

const Waterfall& waterfall(const Account& a) { return a.ledger().terms().allocation.payment; }

}  // namespace

TEST_CASE("the state of an account: balance, journal size and dates, last payment", "[ledger][state]") {
    Account a = account();
    AccountState s = account_state(a);
    CHECK(s.balance == a.ledger().balance());
    CHECK(s.balance.total() == usd("1035.00"));
    CHECK(s.entries == 2);
    CHECK(s.first_effective == D("2025-06-30"));
    CHECK(s.last_effective == D("2025-06-30"));
    CHECK(s.last_payment == D("2025-05-01"));
    CHECK(s.interest_bearing);
    REQUIRE(s.last);
    CHECK(*s.last == a.ledger().transactions().back().entry);
    // After a reversal the entry that sorts last is not known (it sorts by its payment).
    const auto p = a.ledger().post_payment(usd("10.00"), D("2026-01-05"), "p1", T0);
    a.ledger().reverse(p.id(), ReversalReason::error, std::nullopt, T0);
    s = account_state(a);
    CHECK_FALSE(s.last);
    CHECK(s.last_payment == D("2025-05-01"));
}

TEST_CASE("payments posted on the state match the ledger's, entry and state", "[ledger][state]") {
    // Payments in a fixed pseudo-random order of days and amounts; each goes on the state when
    // it can, else through the ledger (whose state is then taken): either way, after each
    // payment, the state equals account_state of the account posted through the ledger.
    Account ledger_side = account();
    AccountState state = account_state(ledger_side);
    std::uint64_t seed = 12345;
    auto next = [&](std::uint64_t n) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return (seed >> 33) % n;
    };
    int on_state = 0, through_ledger = 0;
    for (int k = 0; k < 60; ++k) {
        // Mostly later days, often the same day, sometimes backdated.
        const Date day = add_days(D("2026-01-01"), static_cast<std::int64_t>(k / 2 + next(4)));
        const Money amount = Money(static_cast<std::int64_t>(1 + next(9000)), USD);
        std::string ref = std::to_string(next(1000));  // references sort in no particular order
        ref += "-";
        ref += std::to_string(k);
        const auto entry = next_payment_entry(state, waterfall(ledger_side), amount, day, ref, T0);
        const Transaction t = ledger_side.ledger().post_payment(amount, day, ref, T0);
        if (entry) {
            CHECK(*entry == t.entry);
            append(state, *entry);
            ++on_state;
        } else {
            state = account_state(ledger_side);
            ++through_ledger;
        }
        REQUIRE(state == account_state(ledger_side));
    }
    CHECK(on_state > 10);
    CHECK(through_ledger > 10);
    CHECK(state.balance.unapplied > 0);  // paid past zero: the rest is unapplied credit
}

TEST_CASE("the state asks for the ledger when it cannot decide", "[ledger][state]") {
    const Account a = account();
    const AccountState s = account_state(a);
    const Waterfall& w = waterfall(a);
    CHECK(next_payment_entry(s, w, usd("5.00"), D("2026-01-05"), "p", T0));
    // Backdated: the replay decides.
    CHECK_FALSE(next_payment_entry(s, w, usd("5.00"), D("2025-06-01"), "p", T0));
    // On the last effective date: sorts after the known last entry (a payment after a fee).
    CHECK(next_payment_entry(s, w, usd("5.00"), D("2025-06-30"), "p", T0));
    AccountState unknown = s;
    unknown.last.reset();
    CHECK_FALSE(next_payment_entry(unknown, w, usd("5.00"), D("2025-06-30"), "p", T0));
    // Another currency, or not a positive amount: Ledger::post_payment gives the error.
    CHECK_FALSE(next_payment_entry(s, w, Money::parse("5.00", Currency::of("EUR")), D("2026-01-05"), "p", T0));
    CHECK_FALSE(next_payment_entry(s, w, usd("0.00"), D("2026-01-05"), "p", T0));
    // An empty journal: the ledger checks the date against the opening.
    AccountInfo info = a.info();
    const Account empty(info, a.ledger().terms());
    CHECK_FALSE(next_payment_entry(account_state(empty), w, usd("5.00"), D("2026-01-05"), "p", T0));
}

TEST_CASE("a payment after the creditor's last payment date moves the last payment", "[ledger][state]") {
    Account a = account();
    AccountState s = account_state(a);
    auto e = next_payment_entry(s, waterfall(a), usd("5.00"), D("2026-02-01"), "p1", T0);
    REQUIRE(e);
    append(s, *e);
    CHECK(s.last_payment == D("2026-02-01"));
    CHECK(s.entries == 3);
    CHECK(s.last_effective == D("2026-02-01"));
    CHECK(s.balance.total() == usd("1030.00"));
    a.ledger().post_payment(usd("5.00"), D("2026-02-01"), "p1", T0);
    CHECK(s == account_state(a));
}
