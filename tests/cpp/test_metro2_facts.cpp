// Account -> Metro 2 facts without a store: the pure mapping the store's monthly file calls with
// its loaded rows (docs/metro2.md, "Mapping from the ledger's Account and Debtor").
#include <catch2/catch.hpp>

#include "arrears/error.hpp"
#include "arrears/metro2_facts.hpp"
#include "test_support.hpp"

using namespace arrears;
using namespace arrears::test;

namespace {

const Date AS_OF = D("2026-03-05");

Debtor debtor(const char* id, const char* first = "Ana") {
    Debtor d;
    d.id = id;
    d.first_name = first;
    d.last_name = "Lopez";
    d.ssn = Ssn::parse("123-45-6789");
    d.date_of_birth = D("1980-05-17");
    Address a;
    a.line1 = "1 Main St";
    a.city = "Boston";
    a.state = "MA";
    a.zip = "02110";
    d.addresses.push_back(a);
    Phone p;
    p.number = "(617) 555-0100";
    d.phones.push_back(p);
    d.normalize();
    return d;
}

// A charged-off credit card placed for collection: $1,000 principal placed on 2025-06-30.
Account account(std::vector<AccountDebtor> debtors = {{"D1", DebtorRole::primary, "1"}}) {
    AccountInfo i;
    i.id = "A1";
    i.account_number = "4111000000A1";
    i.debtors = std::move(debtors);
    i.original_creditor = "Bank of Rockville";
    i.current_creditor = "Debt Seller LLC";
    i.product_type = ProductType::credit_card;
    i.client = "acme";
    i.charged_off_on = D("2025-06-30");
    i.first_delinquency_on = D("2025-01-10");
    LedgerTerms t;
    t.currency = USD;
    t.opened_on = D("2023-01-15");
    Account a(i, t);
    a.ledger().post_charge(usd("1000.00"), D("2025-06-30"), "placement", Component::principal, T0);
    a.ledger().post_fee(usd("35.00"), D("2025-06-30"), "placement", Component::fees, T0);
    return a;
}

Metro2Profile profile() {
    Metro2Profile p;
    p.identification_number = "AGENCY0001";
    return p;
}

Metro2PriorReport report(const char* on, const char* status, const char* code = "") {
    return {D(on), status, code, D("2025-01-10")};
}

struct Fixture {
    Debtor d1 = debtor("D1");
    std::vector<const Debtor*> debtors{&d1};
    Metro2AccountHistory history;
    Metro2Mapping mapping;
    std::optional<Metro2AccountFacts> facts(const Account& a, Date as_of = AS_OF,
                                            const Metro2Profile& p = profile()) const {
        return metro2_account_facts(a, debtors, history, mapping, p, as_of);
    }
};

}  // namespace

TEST_CASE("an unpaid account maps its ledger, its creditor and its consumer", "[metro2][facts]") {
    Fixture fx;
    const Account a = account();
    const auto f = fx.facts(a);
    REQUIRE(f);
    CHECK(f->account_number == "4111000000A1");
    CHECK(f->state == Metro2CollectionState::unpaid);
    CHECK(f->date_opened == D("2023-01-15"));
    CHECK(f->date_placed == D("2025-06-30"));
    CHECK(f->original_amount == usd("1000.00"));  // the principal placed, not the fee
    CHECK(f->current_balance == usd("1035.00"));
    CHECK(f->date_of_first_delinquency == D("2025-01-10"));
    CHECK_FALSE(f->date_of_last_payment);
    CHECK(f->last_payment_amount == usd("0.00"));
    CHECK(f->original_creditor_name == "Bank of Rockville");
    CHECK(f->creditor_classification == "08");
    CHECK(f->debt_type == "credit_card");
    CHECK(f->purchased_from.empty());  // an agency (48), not a debt buyer
    CHECK_FALSE(f->previously_reported);
    CHECK(f->payment_history_profile.empty());
    CHECK_FALSE(f->earliest_furnishing_date);  // no letter, no conversation yet
    REQUIRE(f->consumers.size() == 1);
    const Metro2Consumer& c = f->consumers[0];
    CHECK(c.surname == "Lopez");
    CHECK(c.social_security_number == "123456789");
    CHECK(c.telephone_number == "+16175550100");
    CHECK(c.first_line_of_address == "1 Main St");
    CHECK(c.zip_code == "02110");
    CHECK(c.ecoa_code == "1");
    CHECK(c.consumer_information_indicator.empty());
}

TEST_CASE("the primary consumer comes first; a deceased consumer reports ECOA X", "[metro2][facts]") {
    Fixture fx;
    Debtor co = debtor("D2", "Bo");
    co.deceased = Deceased{D("2026-01-02"), D("2026-01-10"), "family"};
    const Account a = account({{"D2", DebtorRole::co_signer, "2"}, {"D1", DebtorRole::primary, "1"}});
    fx.debtors = {&co, &fx.d1};
    auto f = fx.facts(a);
    REQUIRE(f);
    REQUIRE(f->consumers.size() == 2);
    CHECK(f->consumers[0].first_name == "Ana");
    CHECK(f->consumers[1].first_name == "Bo");
    CHECK(f->consumers[1].ecoa_code == "X");
    fx.debtors = {nullptr, &fx.d1};  // a debtor not on file is left out
    f = fx.facts(a);
    REQUIRE(f);
    CHECK(f->consumers.size() == 1);
}

TEST_CASE("payments count as of the reporting date", "[metro2][facts]") {
    Fixture fx;
    Account a = account();
    a.ledger().post_payment(usd("50.00"), D("2026-02-10"), "p1", T0);
    a.ledger().post_payment(usd("20.00"), D("2026-03-02"), "p2", T0);
    a.ledger().post_payment(usd("30.00"), D("2026-03-04"), "p3", T0);
    const auto nsf = a.ledger().post_payment(usd("40.00"), D("2026-03-03"), "p4", T0);
    a.ledger().reverse(nsf.id(), ReversalReason::nsf, D("2026-03-04"), T0);  // returned by as_of
    const auto late = a.ledger().post_payment(usd("10.00"), D("2026-03-01"), "p5", T0);
    a.ledger().reverse(late.id(), ReversalReason::chargeback, D("2026-03-09"), T0);  // after as_of
    a.ledger().post_payment(usd("99.00"), D("2026-03-06"), "p6", T0);  // after as_of
    auto f = fx.facts(a);
    REQUIRE(f);
    CHECK(f->date_of_last_payment == D("2026-03-04"));
    CHECK(f->last_payment_amount == usd("60.00"));  // p2 + p3 + p5 in March
    CHECK(f->current_balance == a.ledger().balance(AS_OF).total());
    CHECK(f->date_of_last_payment == a.last_payment_date(AS_OF));
    // The creditor's last payment date counts when it is the latest.
    AccountInfo info = a.info();
    info.last_payment_on = D("2026-03-05");
    const Account with_creditor_date(info, a.ledger(), a.status_history());
    f = fx.facts(with_creditor_date);
    REQUIRE(f);
    CHECK(f->date_of_last_payment == D("2026-03-05"));
}

TEST_CASE("a closed account is reported once, while its last report is open", "[metro2][facts]") {
    Fixture fx;
    Account a = account();
    a.ledger().post_payment(usd("1035.00"), D("2026-02-20"), "p1", T0);
    a.set_status(AccountStatus::paid, D("2026-02-20"));
    CHECK_FALSE(fx.facts(a));  // never reported: nothing to close
    fx.history.reported = {report("2026-01-05", "93"), report("2026-02-05", "93")};
    auto f = fx.facts(a);
    REQUIRE(f);
    CHECK(f->state == Metro2CollectionState::paid);
    CHECK(f->date_paid == D("2026-02-20"));
    CHECK(f->previously_reported);
    CHECK(f->last_reported_date_of_first_delinquency == D("2025-01-10"));
    fx.history.reported.push_back(report("2026-03-01", "62"));
    CHECK_FALSE(fx.facts(a));  // its closing was reported
    fx.history.reported.back().activity_on = AS_OF;  // a report on the date itself is not "before"
    CHECK(fx.facts(a));
}

TEST_CASE("the payment history profile: G for collection months, D otherwise, up to the first",
          "[metro2][facts]") {
    const std::vector<Metro2PriorReport> reports{
        report("2025-10-05", "93"), report("2025-12-05", "DA"), report("2026-01-05", "DA"),
        report("2026-01-20", "93"), report("2026-02-05", "93")};
    // Feb G, Jan G (the latest report of January), Dec D, Nov nothing: D, Oct G.
    CHECK(metro2_payment_history_profile(reports, AS_OF) == "GGDDG");
    CHECK(metro2_payment_history_profile({}, AS_OF).empty());
    Fixture fx;
    fx.history.reported = reports;
    const auto f = fx.facts(account());
    REQUIRE(f);
    CHECK(f->payment_history_profile == "GGDDG");
    CHECK(f->previously_reported);
}

TEST_CASE("the earliest furnishing date from the contact history", "[metro2][facts]") {
    Fixture fx;
    const Account a = account();
    using K = Metro2ContactKind;
    // A letter returned within 14 days does not count (1006.30(a)(1), comment 30(a)(1)-3).
    fx.history.contacts = {{D("2026-01-02"), "letter", K::delivered}, {D("2026-01-09"), "letter", K::returned}};
    CHECK_FALSE(fx.facts(a)->earliest_furnishing_date);
    // A return of another channel does not touch the letter: sent + 15.
    fx.history.contacts[1].channel = "email";
    CHECK(fx.facts(a)->earliest_furnishing_date == D("2026-01-17"));
    // A conversation allows furnishing the next day.
    fx.history.contacts = {{D("2026-02-01"), "call", K::conversation}};
    CHECK(fx.facts(a)->earliest_furnishing_date == D("2026-02-02"));
    // Contacts after the reporting date do not count.
    fx.history.contacts = {{D("2026-03-06"), "call", K::conversation}};
    CHECK_FALSE(fx.facts(a)->earliest_furnishing_date);
}

TEST_CASE("disputes: open, resolved since the last report, or nothing to say", "[metro2][facts]") {
    Fixture fx;
    Account a = account();
    fx.history.disputes = {{D("2026-02-01"), std::nullopt, ""}};
    CHECK(fx.facts(a)->dispute == Metro2DisputeState::open);
    fx.history.disputes = {{D("2026-02-01"), D("2026-03-06"), "withdrawn"}};  // resolved after as_of
    CHECK(fx.facts(a)->dispute == Metro2DisputeState::open);
    fx.history.reported = {report("2026-02-05", "93", "XB")};
    fx.history.disputes = {{D("2026-02-01"), D("2026-02-20"), "resolved_disagrees"}};
    auto f = fx.facts(a);
    CHECK(f->dispute == Metro2DisputeState::resolved_disagrees);
    CHECK(f->last_reported_compliance_condition_code == "XB");
    fx.history.disputes = {{D("2026-01-01"), D("2026-01-20"), "withdrawn"}, {D("2026-02-01"), D("2026-02-20"), "withdrawn"}};
    CHECK(fx.facts(a)->dispute == Metro2DisputeState::withdrawn);
    fx.history.disputes = {{D("2026-01-01"), D("2026-02-01"), "verified"}};  // reported since
    CHECK(fx.facts(a)->dispute == Metro2DisputeState::none);
    fx.history.disputes = {{D("2026-03-06"), std::nullopt, ""}};  // received after as_of
    CHECK(fx.facts(a)->dispute == Metro2DisputeState::none);
    a.set_status(AccountStatus::disputed, D("2026-03-01"));
    CHECK(fx.facts(a)->dispute == Metro2DisputeState::open);
}

TEST_CASE("creditor classification, client exclusions and the debt buyer's seller", "[metro2][facts]") {
    CHECK(default_creditor_classification(ProductType::medical) == "02");
    CHECK(default_creditor_classification(ProductType::mortgage) == "12");
    CHECK(default_creditor_classification(ProductType::returned_check).empty());
    Fixture fx;
    fx.mapping.creditor_classification["credit_card"] = "03";
    fx.mapping.client_excluded_debt_types["acme"] = {"medical", "credit_card"};
    fx.mapping.client_excluded_debt_types["other"] = {"utility"};
    Metro2Profile buyer = profile();
    buyer.account_type = "0C";
    const auto f = fx.facts(account(), AS_OF, buyer);
    REQUIRE(f);
    CHECK(f->creditor_classification == "03");
    CHECK(f->client_excluded_debt_types == std::vector<std::string>{"medical", "credit_card"});
    CHECK(f->purchased_from == "Debt Seller LLC");
}

TEST_CASE("bankruptcy sets the consumer information indicator by chapter and stage",
          "[metro2][facts]") {
    Fixture fx;
    const Account a = account();
    Bankruptcy b;
    b.chapter = 13;
    b.filed_on = D("2026-01-15");
    fx.d1.bankruptcies = {b};
    CHECK(fx.facts(a)->consumers[0].consumer_information_indicator == "D");
    fx.d1.bankruptcies[0].chapter = 7;
    fx.d1.bankruptcies[0].discharged_on = D("2026-03-01");
    CHECK(fx.facts(a)->consumers[0].consumer_information_indicator == "E");
    fx.d1.bankruptcies[0].discharged_on.reset();
    fx.d1.bankruptcies[0].dismissed_on = D("2026-03-01");
    CHECK(fx.facts(a)->consumers[0].consumer_information_indicator.empty());  // never reported
    fx.history.reported = {report("2026-02-05", "93")};
    CHECK(fx.facts(a)->consumers[0].consumer_information_indicator == "Q");  // once, to remove it
    fx.history.reported.push_back(report("2026-03-02", "93"));
    CHECK(fx.facts(a)->consumers[0].consumer_information_indicator.empty());
}

TEST_CASE("the facts make the record the profile builds", "[metro2][facts]") {
    Fixture fx;
    fx.history.contacts = {{D("2026-01-02"), "letter", Metro2ContactKind::delivered}};
    const auto f = fx.facts(account());
    REQUIRE(f);
    const Metro2Outcome o = metro2_account_record(*f, profile(), AS_OF);
    REQUIRE(std::holds_alternative<DataRecord>(o));
    CHECK(std::get<DataRecord>(o).base.text(Metro2BaseField::account_status) == "93");
}
