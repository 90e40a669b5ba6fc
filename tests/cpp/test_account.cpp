#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "arrears/account.hpp"
#include "arrears/error.hpp"
#include "arrears/json.hpp"

using namespace arrears;

namespace {

const Currency USD = Currency::of("USD");
Date D(const char* iso) { return parse_date(iso); }
Money usd(const char* amount) { return Money::parse(amount, USD); }
const Instant T0 = parse_instant("2026-01-01T12:00:00Z");

AccountInfo info(const char* id = "A1") {
    AccountInfo a;
    a.id = id;
    a.account_number = "4111111111111111";
    a.debtors = {{"D1", DebtorRole::primary, "1"}, {"D2", DebtorRole::co_signer, "5"}};
    a.original_creditor = "First Bank";
    a.current_creditor = "Debt Buyer LLC";
    a.product_type = ProductType::credit_card;
    a.charged_off_on = D("2025-06-30");
    a.first_delinquency_on = D("2025-02-01");
    a.itemization_date = D("2025-06-30");
    a.itemization_basis = ItemizationBasis::charge_off;
    return a;
}

LedgerTerms terms() {
    LedgerTerms t;
    t.currency = USD;
    t.opened_on = D("2024-01-15");
    return t;
}

}  // namespace

TEST_CASE("an account validates its description", "[account]") {
    CHECK_NOTHROW(Account(info(), terms()));
    auto with = [](auto change) {
        AccountInfo a = info();
        change(a);
        return a;
    };
    CHECK_THROWS_WITH(Account(with([](AccountInfo& a) { a.id.clear(); }), terms()), Catch::Contains("id"));
    CHECK_THROWS_WITH(Account(with([](AccountInfo& a) { a.debtors[1].role = DebtorRole::primary; }), terms()),
                      Catch::Contains("exactly one primary"));
    CHECK_THROWS_WITH(Account(with([](AccountInfo& a) { a.debtors[1].debtor_id = "D1"; }), terms()),
                      Catch::Contains("'D1' is listed twice"));
    CHECK_THROWS_WITH(Account(with([](AccountInfo& a) { a.debtors[0].ecoa_code = "4"; }), terms()),
                      Catch::Contains("debtors[0].ecoa_code") && Catch::Contains("'4'"));
    CHECK_THROWS_WITH(Account(with([](AccountInfo& a) { a.charged_off_on = D("2023-01-01"); }), terms()),
                      Catch::Contains("charged_off_on: 2023-01-01") && Catch::Contains("before the account opened"));
    CHECK_THROWS_WITH(
        Account(with([](AccountInfo& a) { a.first_delinquency_on = D("2025-07-01"); }), terms()),
        Catch::Contains("before the date of first delinquency"));
}

TEST_CASE("the itemization date agrees with the date its basis names", "[account][regf]") {
    // 12 CFR 1006.34(b)(3): last statement, charge-off, last payment, transaction, judgment.
    auto [basis, field] = GENERATE(table<ItemizationBasis, const char*>({
        {ItemizationBasis::last_statement, "last_statement_on"},
        {ItemizationBasis::charge_off, "charged_off_on"},
        {ItemizationBasis::last_payment, "last_payment_on"},
        {ItemizationBasis::judgment, "judgment_on"},
    }));
    AccountInfo a = info();
    a.charged_off_on.reset();
    a.itemization_basis = basis;
    a.itemization_date = D("2025-06-30");
    CHECK_NOTHROW(Account(a, terms()));  // the named date unknown: nothing to contradict
    const Date other = D("2025-05-31");
    if (basis == ItemizationBasis::last_statement) a.last_statement_on = other;
    if (basis == ItemizationBasis::charge_off) a.charged_off_on = other;
    if (basis == ItemizationBasis::last_payment) a.last_payment_on = other;
    if (basis == ItemizationBasis::judgment) a.judgment_on = other;
    CHECK_THROWS_WITH(Account(a, terms()), Catch::Contains("itemization_date") && Catch::Contains(field));
    AccountInfo missing = info();
    missing.itemization_basis.reset();
    CHECK_THROWS_WITH(Account(missing, terms()), Catch::Contains("itemization_basis: required"));
}

TEST_CASE("the status lifecycle allows only documented moves", "[account][status]") {
    auto [from, to, allowed] = GENERATE(table<AccountStatus, AccountStatus, bool>({
        {AccountStatus::active, AccountStatus::promise, true},
        {AccountStatus::promise, AccountStatus::active, true},  // promise broken
        {AccountStatus::plan, AccountStatus::active, true},     // plan broken
        {AccountStatus::plan, AccountStatus::promise, false},
        {AccountStatus::disputed, AccountStatus::active, true},  // verified
        {AccountStatus::disputed, AccountStatus::legal, false},  // collection stops while disputed
        {AccountStatus::disputed, AccountStatus::plan, false},
        {AccountStatus::active, AccountStatus::paid, true},
        {AccountStatus::paid, AccountStatus::active, true},      // the last payment came back
        {AccountStatus::paid, AccountStatus::settled, false},
        {AccountStatus::settled, AccountStatus::closed, true},
        {AccountStatus::closed, AccountStatus::active, true},    // reopened
        {AccountStatus::closed, AccountStatus::paid, false},
        {AccountStatus::recalled, AccountStatus::active, false},  // final
        {AccountStatus::bankrupt, AccountStatus::active, true},   // dismissed
        {AccountStatus::bankrupt, AccountStatus::legal, false},
        {AccountStatus::deceased, AccountStatus::settled, true},  // the estate settles
        {AccountStatus::legal, AccountStatus::plan, true},        // stipulated payments
        {AccountStatus::active, AccountStatus::active, false},
    }));
    CHECK(can_transition(from, to) == allowed);
}

TEST_CASE("status changes are recorded with their dates", "[account][status]") {
    Account a(info(), terms());
    a.set_status(AccountStatus::disputed, D("2025-07-01"), "consumer letter");
    a.set_status(AccountStatus::active, D("2025-07-20"), "verified");
    CHECK(a.status() == AccountStatus::active);
    REQUIRE(a.status_history().size() == 3);
    CHECK(a.status_history()[1].reason == "consumer letter");
    CHECK_THROWS_AS(a.set_status(AccountStatus::paid, D("2025-07-01"), ""), ValidationError);
    a.set_status(AccountStatus::recalled, D("2025-08-01"), "");
    CHECK_THROWS_WITH(a.set_status(AccountStatus::active, D("2025-08-02"), ""),
                      Catch::Contains("none, it is final"));
    CHECK_THROWS_AS(a.set_status(AccountStatus::active, D("2025-08-02"), ""), ConflictError);
    CHECK(a.status_history().size() == 4);
}

TEST_CASE("tags stay sorted and unique; queue and collector are assigned", "[account]") {
    Account a(info(), terms());
    a.add_tag("portfolio-7");
    a.add_tag("client-x");
    a.add_tag("portfolio-7");
    CHECK(a.info().tags == std::vector<std::string>{"client-x", "portfolio-7"});
    a.remove_tag("client-x");
    CHECK_THROWS_AS(a.remove_tag("client-x"), NotFoundError);
    a.assign("early-stage", "agent-17");
    CHECK(a.info().queue == "early-stage");
    CHECK(a.info().collector == "agent-17");
}

TEST_CASE("the last payment date is the later of the creditor's and the ledger's", "[account]") {
    AccountInfo i = info();
    i.last_payment_on = D("2025-03-01");
    Account a(i, terms());
    CHECK(a.last_payment_date() == D("2025-03-01"));
    a.ledger().post_charge(usd("100.00"), D("2025-06-30"), "placement", Component::principal, T0);
    const auto p = a.ledger().post_payment(usd("10.00"), D("2025-08-01"), "P", T0);
    CHECK(a.last_payment_date() == D("2025-08-01"));
    a.ledger().reverse(p.id(), ReversalReason::nsf, std::nullopt, T0);
    CHECK(a.last_payment_date() == D("2025-03-01"));
}

TEST_CASE("the last payment date as of a date counts the payments standing then", "[account]") {
    AccountInfo i = info();
    i.last_payment_on = D("2025-03-01");
    Account a(i, terms());
    a.ledger().post_charge(usd("100.00"), D("2025-06-30"), "placement", Component::principal, T0);
    a.ledger().post_payment(usd("10.00"), D("2025-08-01"), "P1", T0);
    const auto p2 = a.ledger().post_payment(usd("10.00"), D("2025-09-01"), "P2", T0);
    a.ledger().reverse(p2.id(), ReversalReason::nsf, D("2025-09-10"), T0);
    CHECK(a.last_payment_date(D("2025-07-31")) == D("2025-03-01"));  // the creditor's
    CHECK(a.last_payment_date(D("2025-08-31")) == D("2025-08-01"));
    CHECK(a.last_payment_date(D("2025-09-05")) == D("2025-09-01"));  // not reversed yet
    CHECK(a.last_payment_date(D("2025-09-10")) == D("2025-08-01"));  // reversed that day
    CHECK(a.last_payment_date() == D("2025-08-01"));
    CHECK(a.ledger().last_payment_date(D("2025-07-31")) == std::nullopt);
    CHECK(a.ledger().payment_stands(a.ledger().transaction(p2.id()), D("2025-09-09")));
    CHECK_FALSE(a.ledger().payment_stands(a.ledger().transaction(p2.id()), D("2025-08-31")));
    CHECK_FALSE(a.ledger().payment_stands(a.ledger().transaction(1), D("2025-09-09")));  // a charge
}

TEST_CASE("reprs mask the account number", "[account]") {
    Account a(info(), terms());
    CHECK(a.masked_account_number() == "************1111");
    CHECK(a.repr().find("4111111111111111") == std::string::npos);
    CHECK(a.repr().find("1111") != std::string::npos);
}

TEST_CASE("an account round-trips through JSON", "[account][json]") {
    Account a(info(), terms());
    a.ledger().post_charge(usd("100.00"), D("2025-06-30"), "placement", Component::principal, T0);
    const auto p = a.ledger().post_payment(usd("10.00"), D("2025-08-01"), "P", T0);
    a.ledger().reverse(p.id(), ReversalReason::nsf, std::nullopt, T0);
    a.set_status(AccountStatus::promise, D("2025-08-05"), "");
    a.add_tag("x");
    const Json j = a;
    const Account back = parse_account(j);
    CHECK(back == a);
    CHECK(back.ledger().transactions() == a.ledger().transactions());
    Json extra = j;
    extra["colour"] = "red";
    CHECK_THROWS_WITH(parse_account(extra), Catch::Contains("$.colour"));
    Json bad_move = j;
    bad_move["status_history"][1]["status"] = "recalled";
    bad_move["status_history"].push_back({{"status", "active"}, {"effective", "2025-08-06"}, {"reason", ""}});
    CHECK_THROWS_WITH(parse_account(bad_move), Catch::Contains("status_history[2]"));
    // With the terms and the journal given apart (the store's shape): the same account and the
    // same checks.
    Json rest = j;
    rest.erase("terms");
    rest.erase("entries");
    CHECK(parse_account(rest, a.ledger().terms(), a.ledger().entries()) == a);
    rest["colour"] = "red";
    CHECK_THROWS_WITH(parse_account(rest, a.ledger().terms(), a.ledger().entries()),
                      Catch::Contains("$.colour"));
}

TEST_CASE("one payment split across a debtor's accounts is all or nothing", "[account][allocation]") {
    Account a(info("A"), terms()), b(info("B"), terms()), c(info("C"), terms());
    a.ledger().post_charge(usd("300.00"), D("2025-01-01"), "p", Component::principal, T0);
    b.ledger().post_charge(usd("100.00"), D("2025-01-01"), "p", Component::principal, T0);
    std::vector<Account*> accounts{&a, &b, &c};
    const auto out = post_debtor_payment(accounts, usd("100.00"), D("2025-02-01"), "CHK-9",
                                         SplitMethod::pro_rata, T0);
    REQUIRE(out[0]);
    CHECK(out[0]->amount == usd("75.00"));
    CHECK(out[1]->amount == usd("25.00"));
    CHECK_FALSE(out[2]);
    CHECK(c.ledger().entries().empty());
    // The same reference again conflicts on A; B must not change either.
    const auto b_entries = b.ledger().entries();
    CHECK_THROWS_AS(post_debtor_payment(accounts, usd("10.00"), D("2025-02-02"), "CHK-9",
                                        SplitMethod::pro_rata, T0),
                    ConflictError);
    CHECK(b.ledger().entries() == b_entries);
    Account eur(info("E"), [] {
        LedgerTerms t = terms();
        t.currency = Currency::of("EUR");
        return t;
    }());
    std::vector<Account*> mixed{&a, &eur};
    CHECK_THROWS_WITH(post_debtor_payment(mixed, usd("10.00"), D("2025-02-03"), "x",
                                          SplitMethod::pro_rata, T0),
                      Catch::Contains("'E' is in EUR"));
}
