// Rules that used to be written in the bindings and now live in the core: validation of the
// debtor flags and of an account's debtor, day names, reprs, replacing a contact point, the
// Reg F itemization "as of the last transaction", batch output memory, compliance decisions and
// the payment plan builders.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "arrears/account.hpp"
#include "arrears/aging.hpp"
#include "arrears/contact_policy.hpp"
#include "arrears/debtor.hpp"
#include "arrears/fee_rules.hpp"
#include "arrears/ledger.hpp"
#include "arrears/payment_batch.hpp"
#include "arrears/payment_plan.hpp"
#include "arrears/schedule.hpp"

using namespace arrears;

namespace {

Date D(const char* iso) { return parse_date(iso); }
const Currency USD = Currency::of("USD");

}  // namespace

TEST_CASE("an account debtor needs an id and a current Metro 2 ECOA code", "[account]") {
    CHECK_NOTHROW(AccountDebtor{"D1", DebtorRole::primary, "1"}.validate());
    CHECK_THROWS_WITH(AccountDebtor({"", DebtorRole::primary, "1"}).validate(), "debtor_id: empty");
    CHECK_THROWS_WITH(AccountDebtor({"D1", DebtorRole::joint, "4"}).validate(),
                      "ecoa_code: '4' is not a Metro 2 ECOA code (1, 2, 3, 5, 7, T, X, W or Z)");
    CHECK_THROWS_WITH(AccountDebtor({"D1", DebtorRole::joint, "0"}).validate("debtors[1]"),
                      Catch::StartsWith("debtors[1].ecoa_code: '0'"));
}

TEST_CASE("debtor flags reject an end before their start", "[debtor]") {
    CHECK_THROWS_WITH(validate_military_service({D("2025-05-01"), D("2025-04-01")}, ""),
                      "until: 2025-04-01 is before since 2025-05-01");
    const Instant requested = parse_instant("2025-05-01T12:00:00Z");
    MediumOptOut o{Channel::call, "", requested, RecordMethod::oral, parse_instant("2025-04-01T12:00:00Z")};
    CHECK_THROWS_WITH(validate_opt_out(o, "opt_outs[0]."), "opt_outs[0].withdrawn_at: before requested_at");
    InconvenientTime t{0x7f, 9 * 60, 17 * 60, "", D("2025-05-01"), D("2025-04-30"), ""};
    CHECK_THROWS_WITH(validate_inconvenient_time(t, ""), Catch::StartsWith("withdrawn_on: 2025-04-30"));
    t.withdrawn_on.reset();
    t.weekdays = 0;
    CHECK_THROWS_WITH(validate_inconvenient_time(t, ""), "weekdays: names no day");
}

TEST_CASE("day names map to the weekday bits and back", "[debtor]") {
    CHECK(parse_weekdays({"sat", "sun"}) == 0x60);
    CHECK(weekday_names(0x60) == std::vector<std::string>{"sat", "sun"});
    CHECK_THROWS_WITH(parse_weekdays({"mon", "sunday"}),
                      "weekdays[1]: 'sunday' is not a day (mon, tue, wed, thu, fri, sat, sun)");
    CHECK_THROWS_WITH(parse_weekdays({}), "weekdays: names no day");
}

TEST_CASE("flags show what identifies them in their repr", "[debtor]") {
    CHECK(Bankruptcy{7, "26-1", "", D("2025-01-02"), std::nullopt, std::nullopt}.repr() ==
          "Bankruptcy(chapter=7, filed_on=2025-01-02, case_number='26-1')");
    CHECK(InconvenientTime{0x60, 9 * 60, 17 * 60 + 30, "", D("2025-01-02"), std::nullopt, ""}.repr() ==
          "InconvenientTime(09:00-17:30, sat,sun)");
    CHECK(ConsentRecord{Channel::text, false, parse_instant("2025-01-02T03:04:05Z"), RecordMethod::oral, ""}
              .repr() == "ConsentRecord('text', revoked at 2025-01-02T03:04:05Z, method='oral')");
    LateFeeRule late{Money::parse("15.00", USD), Rational::parse("0.05"), std::nullopt, 10};
    CHECK(late.repr() == "LateFeeRule(fixed='15.00', percent='0.05', grace_days=10)");
    FeeRules fees{late, std::nullopt};
    CHECK(fees.repr() == "FeeRules(late=" + late.repr() + ")");
    CHECK(StatusChange{AccountStatus::disputed, D("2025-01-02"), "letter"}.repr() ==
          "StatusChange('disputed', 2025-01-02, 'letter')");
}

TEST_CASE("a contact point with a known id replaces the old one, a new id is added", "[debtor]") {
    Debtor d;
    d.id = "D1";
    d.first_name = "Ana";
    d.last_name = "Lopez";
    Phone p;
    p.number = "2125550100";
    d.phones.push_back(p);
    d.normalize();
    Phone better = d.phones[0];
    better.confidence = 90;
    const Debtor replaced = d.with_contact_point(better);
    REQUIRE(replaced.phones.size() == 1);
    CHECK(replaced.phones[0].confidence == 90);
    Phone other;
    other.number = "3125550100";
    CHECK(d.with_contact_point(other).phones.size() == 2);
    CHECK(d.phones[0].confidence == 50);  // the original is unchanged
}

TEST_CASE("a ledger entry reads like its transaction", "[ledger]") {
    AccountInfo info;
    info.id = "A1";
    info.itemization_date = D("2025-01-01");
    info.itemization_basis = ItemizationBasis::last_statement;
    info.last_statement_on = D("2025-01-01");
    LedgerTerms terms;
    terms.currency = USD;
    terms.opened_on = D("2024-06-01");
    Account a(info, terms);
    const Instant at = parse_instant("2025-02-01T12:00:00Z");
    a.ledger().post_charge(Money::parse("100.00", USD), D("2025-01-01"), "placement", Component::principal, at);
    a.ledger().post_payment(Money::parse("40.00", USD), D("2025-03-01"), "CHK-1", at);
    const auto& entry = a.ledger().entries().back();
    CHECK(entry.repr() == "LedgerEntry(id=2, type='payment', effective=2025-03-01, amount='40.00', "
                          "reference='CHK-1', currency='USD')");
    // The itemization with no date is as of the last effective date.
    CHECK(a.itemization().as_of == D("2025-03-01"));
    CHECK(a.itemization().current == Money::parse("60.00", USD));
}

TEST_CASE("batch output memory is writable, 2 MB aligned when large, and freed with its owner", "[batch]") {
    auto small = allocate_batch_output(10);
    small[9] = 42;
    CHECK(small[9] == 42);
    const std::size_t count = std::size_t{3} << 20;  // 24 MB
    auto large = allocate_batch_output(count);
    large[0] = 1;
    large[count - 1] = 2;
    CHECK(large[count - 1] == 2);
#ifdef __linux__
    CHECK(reinterpret_cast<std::uintptr_t>(large.get()) % (std::size_t{1} << 21) == 0);
#endif
}

TEST_CASE("a bucket label is the label of the bucket holding the days past due", "[aging]") {
    const Buckets b;
    CHECK(b.label_of(0) == b.labels()[0]);
    CHECK(b.label_of(45) == b.labels()[2]);
    CHECK(b.label_of(10'000) == b.labels().back());
}

TEST_CASE("a decision is allowed exactly when it has no reason", "[compliance]") {
    CHECK_NOTHROW(Decision{}.validate());
    CHECK_THROWS_WITH((Decision{true, {{"r", "", "m"}}, {}}.validate()),
                      "reasons: an allowed decision has no reasons");
    CHECK_THROWS_WITH((Decision{false, {}, {}}.validate()), "reasons: a blocked decision needs a reason");
    CHECK_THROWS_WITH((Decision{false, {{"", "", "m"}}, {}}.validate()), "rule: a reason names its rule id");
}

TEST_CASE("the plan builders check their own terms", "[plans]") {
    const std::vector<PlanAccount> one{{"A1", Money::parse("1000.00", USD)}};
    const Date day = D("2026-01-15");
    CHECK_THROWS_WITH(PaymentPlan::installment(day, one, D("2026-02-01"), 12, Money::parse("100.00", USD),
                                               Frequency::monthly, Rational{}, RoundingMode::half_up),
                      "count: give exactly one of count and amount");
    const auto by_count = PaymentPlan::installment(day, one, D("2026-02-01"), 4, std::nullopt,
                                                   Frequency::monthly, Rational{}, RoundingMode::half_up);
    CHECK(by_count.schedule().count() == 4);
    CHECK(by_count.total() == Money::parse("1000.00", USD));
    CHECK_THROWS_WITH(PaymentPlan::settlement(day, one, Money::parse("1200.00", USD), D("2026-02-01"),
                                              std::nullopt, 1, Frequency::monthly, RoundingMode::half_up),
                      "settlement_amount: 1200.00 is above the balance 1000.00");
    const auto lump = PaymentPlan::settlement(day, one, Money::parse("600.00", USD), D("2026-02-01"),
                                              std::nullopt, 1, Frequency::monthly, RoundingMode::half_up);
    CHECK(lump.schedule().first_due() == D("2026-02-01"));  // due on the offer expiry
    CHECK(lump.discount() == Money::parse("400.00", USD));
    CHECK_THROWS_WITH(PaymentPlan::promise(day, one, Money::parse("0", USD), D("2026-02-01")),
                      "amount: 0.00 must be positive");
    CHECK_THROWS_WITH(PaymentPlan::installment(day, {}, D("2026-02-01"), 4, std::nullopt, Frequency::monthly,
                                               Rational{}, RoundingMode::half_up),
                      "accounts: a plan needs at least one account");
}

TEST_CASE("a level payment takes 1 to kMaxInstallments installments", "[plans]") {
    CHECK(level_payment(Money::parse("1200.00", USD), 12, Rational{}, Frequency::monthly, RoundingMode::half_up) ==
          Money::parse("100.00", USD));
    CHECK_THROWS_WITH(level_payment(Money::parse("1200.00", USD), 0, Rational{}, Frequency::monthly,
                                    RoundingMode::half_up),
                      "count: 0 is outside 1..1200");
}
