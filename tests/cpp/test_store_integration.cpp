// The store running the nightly batch on stored data: plans evaluated against the ledgers,
// letter columns and the letter log, and the monthly Metro 2 file with its submission history.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "arrears/error.hpp"
#include "arrears/campaign.hpp"
#include "arrears/metro2_file.hpp"
#include "arrears/store.hpp"

using namespace arrears;
namespace fs = std::filesystem;

namespace {

const Currency USD = Currency::of("USD");
Date D(const char* iso) { return parse_date(iso); }
Money usd(const char* amount) { return Money::parse(amount, USD); }
const Instant T0 = parse_instant("2026-01-01T12:00:00Z");
const Instant T1 = parse_instant("2026-03-01T06:30:00Z");  // when the nightly evaluates plans

std::int64_t count(const Store& s, const std::string& sql) {
    const Table t = s.query(sql);
    return std::get<std::vector<std::int64_t>>(t.columns()[0].values).at(0);
}

std::string text(const Store& s, const std::string& sql) {
    const Table t = s.query(sql);
    return std::get<std::vector<std::string>>(t.columns()[0].values).at(0);
}

template <class T>
const std::vector<T>& col(const Table& t, const char* name) {
    return std::get<std::vector<T>>(t.column(name).values);
}

Debtor debtor(const char* id, const char* ssn = "123-45-6789") {
    Debtor d;
    d.id = id;
    d.first_name = "Ana";
    d.last_name = "Lopez";
    d.ssn = Ssn::parse(ssn);
    d.date_of_birth = D("1980-05-17");
    Address a;
    a.line1 = "1 Main St";
    a.city = "Boston";
    a.state = "MA";
    a.zip = "02110";
    a.source = ContactSource::creditor_file;
    d.addresses.push_back(a);
    Phone p;
    p.number = "(617) 555-0100";
    d.phones.push_back(p);
    return d;
}

// A charged-off credit card placed for collection: $1,000 principal on the charge-off date.
Account account(const char* id, std::vector<AccountDebtor> debtors = {{"D1", DebtorRole::primary, "1"}},
                const char* principal = "1000.00") {
    AccountInfo i;
    i.id = id;
    i.account_number = std::string("4111000000") + id;
    i.debtors = std::move(debtors);
    i.original_creditor = "Bank of Rockville";
    i.current_creditor = "Bank of Rockville";
    i.product_type = ProductType::credit_card;
    i.charged_off_on = D("2025-06-30");
    i.first_delinquency_on = D("2025-01-10");
    i.itemization_date = D("2025-06-30");
    i.itemization_basis = ItemizationBasis::charge_off;
    LedgerTerms t;
    t.currency = USD;
    t.opened_on = D("2023-01-15");
    Account a(i, t);
    a.ledger().post_charge(usd(principal), D("2025-06-30"), "placement", Component::principal, T0);
    return a;
}

struct Book {
    Store s{":memory:", StoreOptions{false, 1000, "tester", true}};
    Book() {
        s.save_debtor(debtor("D1"));
        s.save_debtor(debtor("D2", "234-56-7890"));
        s.save_account(account("A1"));
    }
    void pay(const char* id, const char* amount, const char* on, const char* ref) {
        s.update_account(id, [&](Account& a) { a.ledger().post_payment(usd(amount), D(on), ref, T0); });
    }
};

PaymentPlan settlement_plan(const char* id, const char* account_id, const char* amount, int count = 1,
                            PlanRules rules = {}) {
    return PaymentPlan(PlanKind::settlement, D("2026-01-10"), {{account_id, usd("1000.00")}},
                       installment_schedule(usd(amount), count, D("2026-01-31")), rules, D("2026-02-28"),
                       AccountSplit::pro_rata, id, "D1");
}

PaymentPlan promise(const char* id, const char* account_id, const char* amount, const char* due) {
    return PaymentPlan(PlanKind::promise, D("2026-01-20"), {{account_id, usd("1000.00")}},
                       installment_schedule(usd(amount), 1, D(due)), PlanRules{}, std::nullopt,
                       AccountSplit::pro_rata, id, "D1");
}

}  // namespace

// ---- plans ------------------------------------------------------------------------------------

TEST_CASE("a saved plan reads back equal and puts its account under a plan", "[store][plans]") {
    Book b;
    const PaymentPlan p = settlement_plan("P1", "A1", "600.00");
    b.s.save_plan(p);
    CHECK(b.s.load_plan("P1") == p);
    CHECK(b.s.has_plan("P1"));
    CHECK(b.s.load_account("A1").status() == AccountStatus::plan);
    CHECK(count(b.s, "SELECT count(*) FROM installments WHERE plan_id = 'P1'") == 1);
    CHECK(count(b.s, "SELECT balance_cents FROM plan_accounts WHERE plan_id = 'P1'") == 100000);
    const auto before = count(b.s, "SELECT count(*) FROM audit_log");
    b.s.save_plan(p);  // the same agreement again: nothing changes
    CHECK(count(b.s, "SELECT count(*) FROM audit_log") == before);
    CHECK(b.s.load_plans("A1").size() == 1);
    CHECK(b.s.load_plans("A9").empty());
    CHECK(b.s.load_plans({}, PlanStatus::broken).empty());
}

TEST_CASE("plans the store cannot keep are refused and nothing is written", "[store][plans]") {
    Book b;
    b.s.save_account(account("A2", {{"D2", DebtorRole::primary, "1"}}));
    const auto plans = count(b.s, "SELECT count(*) FROM plans");
    CHECK_THROWS_WITH(b.s.save_plan(settlement_plan("", "A1", "600.00")), "plan.plan_id: a stored plan needs an id");
    CHECK_THROWS_AS(b.s.save_plan(settlement_plan("P1", "A9", "600.00")), NotFoundError);
    // A plan covers accounts of its debtor.
    CHECK_THROWS_WITH(b.s.save_plan(settlement_plan("P1", "A2", "600.00")), Catch::Contains("is not on account 'A2'"));
    b.s.save_plan(settlement_plan("P1", "A1", "600.00"));
    // One open plan per account; other terms under the same id are a new agreement.
    CHECK_THROWS_WITH(b.s.save_plan(settlement_plan("P2", "A1", "500.00")), Catch::Contains("is in open plan 'P1'"));
    CHECK_THROWS_WITH(b.s.save_plan(settlement_plan("P1", "A1", "500.00")), Catch::Contains("other terms"));
    CHECK(count(b.s, "SELECT count(*) FROM plans") == plans + 1);
    CHECK(b.s.load_plan("P1").total() == usd("600.00"));
}

TEST_CASE("a completed settlement posts its discount and settles the account, once", "[store][plans]") {
    Book b;
    b.s.save_plan(settlement_plan("P1", "A1", "600.00"));
    b.pay("A1", "600.00", "2026-01-20", "chk-1");
    const Table t = b.s.evaluate_plans(D("2026-02-01"), T1);
    CHECK(count(b.s, "SELECT count(*) FROM plans WHERE id = 'P1' AND status = 'completed' "
                     "AND status_date = '2026-01-20'") == 1);
    const Account a = b.s.load_account("A1");
    CHECK(a.status() == AccountStatus::settled);
    CHECK(a.status_history().back().effective == D("2026-01-20"));
    CHECK(a.ledger().balance().total().is_zero());
    const auto& last = a.ledger().entries().back();
    CHECK(last.type == TransactionType::settlement_discount);
    CHECK(last.amount == usd("400.00"));
    CHECK(last.effective == D("2026-01-20"));
    CHECK(last.reference == "plan:P1");
    CHECK(last.posted_at == T1);  // the instant the caller gave: the core reads no clock
    const auto& events = col<std::string>(t, "event");
    CHECK(std::find(events.begin(), events.end(), "completed") != events.end());
    CHECK(std::find(events.begin(), events.end(), "discount_posted") != events.end());
    // Idempotent: nothing new, nothing posted again (the plan is no longer open).
    const auto entries = count(b.s, "SELECT count(*) FROM transactions");
    const auto audit = count(b.s, "SELECT count(*) FROM audit_log WHERE action != 'batch'");
    CHECK(b.s.evaluate_plans(D("2026-02-01"), T1).num_rows() == 0);
    CHECK(b.s.evaluate_plans(D("2026-03-01"), T1).num_rows() == 0);
    CHECK(count(b.s, "SELECT count(*) FROM transactions") == entries);
    CHECK(count(b.s, "SELECT count(*) FROM audit_log WHERE action != 'batch'") == audit);
}

TEST_CASE("a promise breaks the day after its grace period and the account is active again",
          "[store][plans]") {
    // Due Feb 1 with 5 grace days: still only late on Feb 6, broken on Feb 7 (docs/plans.md).
    using Row = std::tuple<const char*, const char*>;
    const auto [as_of, status] = GENERATE(table<const char*, const char*>({
        Row{"2026-01-25", "active"}, Row{"2026-02-01", "current"}, Row{"2026-02-06", "current"},
        Row{"2026-02-07", "broken"},
    }));
    Book b;
    b.s.save_plan(promise("P1", "A1", "200.00", "2026-02-01"));
    CHECK(b.s.load_account("A1").status() == AccountStatus::promise);
    b.s.evaluate_plans(D(as_of), T1);
    CHECK(text(b.s, "SELECT status FROM plans WHERE id = 'P1'") == status);
    const bool broken = std::string(status) == "broken";
    CHECK(b.s.load_account("A1").status() == (broken ? AccountStatus::active : AccountStatus::promise));
    CHECK(count(b.s, "SELECT count(*) FROM plan_events WHERE type = 'broken' AND event_date = '2026-02-07'") ==
          (broken ? 1 : 0));
}

TEST_CASE("a promise paid within grace is kept and a reversed payment does not count", "[store][plans]") {
    Book b;
    b.s.save_plan(promise("P1", "A1", "200.00", "2026-02-01"));
    b.pay("A1", "200.00", "2026-02-04", "chk-1");
    b.s.evaluate_plans(D("2026-02-05"), T1);
    CHECK(text(b.s, "SELECT status FROM plans") == "completed");
    CHECK(b.s.load_account("A1").status() == AccountStatus::active);  // a balance remains
    Book c;
    c.s.save_plan(promise("P1", "A1", "200.00", "2026-02-01"));
    c.pay("A1", "200.00", "2026-02-04", "chk-1");
    c.s.update_account("A1", [](Account& a) { a.ledger().reverse(2, ReversalReason::nsf, std::nullopt, T0); });
    CHECK(c.s.plan_payments("P1", D("2026-02-10")).empty());
    c.s.evaluate_plans(D("2026-02-10"), T1);
    CHECK(text(c.s, "SELECT status FROM plans") == "broken");
}

TEST_CASE("a broken settlement with pro rata default posts the discount earned", "[store][plans]") {
    // $600 on $1,000 in three installments, $200 paid: 133.33 kept (docs/plans.md).
    Book b;
    PlanRules rules;
    rules.on_default = SettlementDefault::pro_rata;
    b.s.save_plan(settlement_plan("P1", "A1", "600.00", 3, rules));
    b.pay("A1", "200.00", "2026-01-31", "chk-1");
    b.s.evaluate_plans(D("2026-04-30"), T1);
    CHECK(text(b.s, "SELECT status FROM plans") == "broken");
    const Account a = b.s.load_account("A1");
    CHECK(a.ledger().entries().back().type == TransactionType::settlement_discount);
    CHECK(a.ledger().entries().back().amount == usd("133.33"));
    CHECK(a.ledger().balance().total() == usd("666.67"));
    CHECK(a.status() == AccountStatus::active);
}

TEST_CASE("a settlement over two accounts posts each account's discount", "[store][plans]") {
    Book b;
    b.s.save_account(account("A2", {{"D1", DebtorRole::primary, "1"}}, "500.00"));
    const PaymentPlan p(PlanKind::settlement, D("2026-01-10"), {{"A1", usd("1000.00")}, {"A2", usd("500.00")}},
                        installment_schedule(usd("900.00"), 1, D("2026-01-31")), PlanRules{}, D("2026-02-28"),
                        AccountSplit::pro_rata, "P1", "D1");
    b.s.save_plan(p);
    b.pay("A1", "900.00", "2026-01-25", "chk-1");
    b.s.evaluate_plans(D("2026-02-01"), T1);
    // The payment landed on A1; the plan splits it 600/300, but what is posted is what each
    // account still owes: the settlement forgives the rest of both.
    CHECK(b.s.load_account("A1").ledger().balance().total().is_zero());
    CHECK(b.s.load_account("A2").ledger().balance().total().is_zero());
    CHECK(b.s.load_account("A1").status() == AccountStatus::settled);
    CHECK(b.s.load_account("A2").status() == AccountStatus::settled);
    CHECK(count(b.s, "SELECT sum(amount_cents) FROM transactions WHERE type = 'settlement_discount'") == 60000);
}

TEST_CASE("evaluating as of an earlier date than stored is refused", "[store][plans]") {
    Book b;
    b.s.save_plan(promise("P1", "A1", "200.00", "2026-02-01"));
    b.s.evaluate_plans(D("2026-02-03"), T1);
    CHECK_THROWS_AS(b.s.evaluate_plans(D("2026-02-02"), T1), ConflictError);
    CHECK_NOTHROW(b.s.evaluate_plans(D("2026-02-03"), T1));
    CHECK_THROWS_AS(b.s.evaluate_plans(D("2026-02-03"), T1, PlanRunOptions{{"P9"}}), NotFoundError);
}

TEST_CASE("a cancelled plan ends at its next evaluation", "[store][plans]") {
    Book b;
    const PaymentPlan p = promise("P1", "A1", "200.00", "2026-02-01");
    b.s.save_plan(p);
    b.s.save_plan(p.cancel(D("2026-01-25")));
    CHECK(b.s.load_plan("P1").cancelled_on() == D("2026-01-25"));
    b.s.evaluate_plans(D("2026-01-26"), T1);
    CHECK(text(b.s, "SELECT status FROM plans") == "cancelled");
    CHECK(b.s.load_account("A1").status() == AccountStatus::active);
    CHECK_THROWS_AS(b.s.save_plan(p.cancel(D("2026-01-28"))), ConflictError);
}

TEST_CASE("re-agings are recorded once per account and date", "[store][plans]") {
    Book b;
    b.s.record_reaging("A1", D("2026-04-01"), "", 95, "3 kept");
    CHECK(b.s.reage_dates("A1") == std::vector<Date>{D("2026-04-01")});
    CHECK_THROWS_AS(b.s.record_reaging("A1", D("2026-04-01"), "", 95, "again"), ConflictError);
    CHECK_THROWS_AS(b.s.record_reaging("A9", D("2026-04-01"), "", 1, ""), NotFoundError);
}

// ---- letters ----------------------------------------------------------------------------------

TEST_CASE("letter columns carry the ledger's itemization", "[store][letters]") {
    Book b;
    b.pay("A1", "100.00", "2026-01-05", "chk-1");
    b.s.update_account("A1", [](Account& a) {
        a.ledger().post_fee(usd("25.00"), D("2026-02-01"), "late", Component::fees, T0);
    });
    const Table t = b.s.letter_table({}, D("2026-05-04"));
    const Itemization it = b.s.load_account("A1").itemization(D("2026-05-04"));
    CHECK(col<std::int64_t>(t, "itemization_amount_cents")[0] == it.on_itemization_date.minor());
    CHECK(col<std::int64_t>(t, "itemization_amount_cents")[0] == 100000);
    CHECK(col<std::int64_t>(t, "fees_cents")[0] == 2500);
    CHECK(col<std::int64_t>(t, "payments_credits_cents")[0] == 10000);
    CHECK(col<std::int32_t>(t, "itemization_date")[0] == days_since_epoch(D("2025-06-30")));
    CHECK(col<std::int64_t>(t, "current_cents")[0] == 92500);
    CHECK(col<std::string>(t, "itemization_reference")[0] == "charge_off");
    CHECK(col<std::string>(t, "recipient_name")[0] == "Ana Lopez");
    CHECK(col<std::string>(t, "postal_code")[0] == "02110");
    CHECK(col<std::string>(t, "product")[0] == "credit card");
    CHECK(col<std::uint8_t>(t, "initial_communication")[0] == 1);
    CHECK_THROWS_AS(b.s.letter_table({"A9"}, D("2026-05-04")), NotFoundError);
}

TEST_CASE("batch reads rebuild each account exactly, whatever its terms", "[store][letters]") {
    // Accounts that share terms and one with its own (interest, a backdated payment restating
    // the accruals): the columns equal what load_account's replay gives.
    Book b;
    AccountInfo i = account("A2").info();
    i.id = "A2";
    LedgerTerms t;
    t.currency = USD;
    t.opened_on = D("2023-01-15");
    t.interest.annual_rate = Rational::parse("0.0599");
    Account a(i, t);
    a.ledger().post_charge(usd("1000.00"), D("2025-06-30"), "placement", Component::principal, T0);
    a.ledger().accrue_interest(D("2025-12-31"), T0);
    a.ledger().post_payment(usd("200.00"), D("2025-09-30"), "late-posted", T0);
    a.ledger().accrue_interest(D("2026-03-31"), T0);
    b.s.save_account(a);
    b.s.save_account(account("A3"));
    const Table t2 = b.s.letter_table({"A3", "A2", "A1"}, D("2026-05-04"));
    CHECK(col<std::string>(t2, "account_id") == std::vector<std::string>{"A3", "A2", "A1"});
    for (std::size_t r = 0; r < 3; ++r) {
        const std::string id = col<std::string>(t2, "account_id")[r];
        const Account stored = b.s.load_account(id);
        const Itemization it = stored.itemization(D("2026-05-04"));
        CHECK(col<std::int64_t>(t2, "interest_cents")[r] == it.interest.minor());
        CHECK(col<std::int64_t>(t2, "current_cents")[r] == it.current.minor());
        CHECK(col<std::int64_t>(t2, "payments_credits_cents")[r] == it.payments.minor() + it.credits.minor());
    }
    CHECK(col<std::int64_t>(t2, "interest_cents")[1] > 0);
}

TEST_CASE("letter flags come from the debtor and the disputes as of the date", "[store][letters]") {
    // (what, flag column, set on 2026-03-01: false before, true after)
    const auto [what, column] = GENERATE(table<const char*, const char*>({
        {"bankruptcy", "bankruptcy"}, {"attorney", "attorney"}, {"cease", "cease"},
        {"dispute", "dispute_pause"}, {"deceased", "deceased"}, {"opt_out", "email_opt_out"},
    }));
    Book b;
    Debtor d = debtor("D1");
    Email e;
    e.address = "ana@example.com";
    d.emails.push_back(e);
    const std::string w = what;
    if (w == "bankruptcy") d.bankruptcies.push_back({7, "1:26-bk-1", "D. Mass.", D("2026-03-01"), {}, {}});
    if (w == "attorney") d.attorneys.push_back({"J. Doe", "Doe LLP", "", "", D("2026-03-01"), {}});
    if (w == "cease") d.cease_communications.push_back({"A1", D("2026-03-01"), RecordMethod::written, {}});
    if (w == "deceased") d.deceased = Deceased{D("2026-03-01"), D("2026-03-01"), "family"};
    if (w == "opt_out") {
        d.normalize();
        d.opt_outs.push_back({Channel::email, d.emails[0].id, parse_instant("2026-03-01T15:00:00Z"),
                              RecordMethod::electronic, {}});
    }
    b.s.save_debtor(d);
    if (w == "dispute") b.s.record_dispute("A1", D("2026-03-01"));
    const Table before = b.s.letter_table({"A1"}, D("2026-02-27"));
    const Table after = b.s.letter_table({"A1"}, D("2026-03-02"));
    // The date of death is a fact without an "until": a deceased debtor is deceased whatever the date.
    CHECK(col<std::uint8_t>(before, column)[0] == (w == "deceased" ? 1 : 0));
    CHECK(col<std::uint8_t>(after, column)[0] == 1);
    if (w == "opt_out") CHECK(col<std::string>(after, "email")[0] == "ana@example.com");
    if (w == "dispute") {
        const auto id = count(b.s, "SELECT id FROM disputes");
        b.s.record_verification(id, D("2026-03-10"));
        CHECK(col<std::uint8_t>(b.s.letter_table({"A1"}, D("2026-03-11")), column)[0] == 0);
    }
}

TEST_CASE("the letter log records letters and contact events in one transaction", "[store][letters]") {
    Book b;
    b.s.save_account(account("A2", {{"D2", DebtorRole::primary, "1"}}));
    auto record = [](const char* id, const char* account) {
        LetterRecord r;
        r.letter_id = id;
        r.campaign = "vn-1";
        r.account_id = account;
        r.channel = "mail";
        r.letter = "validation_notice";
        r.language = "en";
        r.template_sha256 = std::string(64, 'a');
        r.sent = D("2026-05-04");
        r.batch = 1;
        r.file = "letters-0001.html";
        r.offset = 0;
        r.length = 100;
        return r;
    };
    // A bad record anywhere: nothing is logged.
    CHECK_THROWS_AS(b.s.log_letters({record("vn-1-000001", "A1"), record("vn-1-000002", "A9")}), NotFoundError);
    auto bad = record("vn-1-000001", "A1");
    bad.channel = "fax";
    CHECK_THROWS_WITH(b.s.log_letters({bad}), "records[0].channel: 'fax' is not 'mail' or 'email'");
    CHECK(count(b.s, "SELECT count(*) FROM letters") == 0);
    CHECK(count(b.s, "SELECT count(*) FROM contact_events") == 0);
    CHECK(count(b.s, "SELECT count(*) FROM campaigns") == 0);

    CHECK(b.s.log_letters({record("vn-1-000001", "A1"), record("vn-1-000002", "A2")}) == 2);
    CHECK(count(b.s, "SELECT count(*) FROM contact_events WHERE channel = 'letter' AND outcome = 'delivered' "
                     "AND direction = 'outbound' AND at = '2026-05-04T12:00:00Z'") == 2);
    CHECK(count(b.s, "SELECT count(*) FROM contact_event_debts d JOIN letters l ON l.contact_event_id = d.event_id "
                     "AND l.account_id = d.account_id") == 2);
    CHECK(text(b.s, "SELECT debtor_id FROM letters WHERE account_id = 'A2'") == "D2");
    // Logged once.
    CHECK_THROWS_AS(b.s.log_letters({record("vn-1-000001", "A1")}), ConflictError);
    // The history now says the next letter is not the first, and an English notice went out.
    const Table t = b.s.letter_table({"A1"}, D("2026-05-05"));
    CHECK(col<std::uint8_t>(t, "initial_communication")[0] == 0);
    CHECK(col<std::uint8_t>(t, "english_notice_sent")[0] == 1);
    const Table earlier = b.s.letter_table({"A1"}, D("2026-05-03"));
    CHECK(col<std::uint8_t>(earlier, "initial_communication")[0] == 1);
}

// ---- Metro 2 ----------------------------------------------------------------------------------

namespace {

HeaderRecord header(const char* activity) {
    HeaderRecord h;
    h.set_text(Metro2HeaderField::reporter_name, "NORTH SOUTH GROUP");
    h.set_text(Metro2HeaderField::reporter_address, "1234 MAIN STREET ANYTOWN MA 02110");
    h.set_text(Metro2HeaderField::equifax_program_identifier, "EQ12345");
    h.set_date(Metro2HeaderField::activity_date, D(activity));
    h.set_date(Metro2HeaderField::date_created, D(activity));
    return h;
}

Metro2Profile profile() {
    Metro2Profile p;
    p.identification_number = "AGENCY01";
    return p;
}

void notice(Store& s, const char* account, const char* sent, const char* campaign) {
    LetterRecord r;
    r.letter_id = std::string(campaign) + "-" + account;
    r.campaign = campaign;
    r.account_id = account;
    r.channel = "mail";
    r.letter = "validation_notice";
    r.language = "en";
    r.template_sha256 = "x";
    r.sent = D(sent);
    r.batch = 1;
    r.file = "letters-0001.html";
    s.log_letters({r});
}

std::string reported(const Store& s, const char* account, const char* column, const char* activity) {
    return text(s, std::string("SELECT coalesce(") + column +
                       ", '') FROM metro2_reported r JOIN metro2_submissions s ON s.id = r.submission_id "
                       "WHERE r.account_id = '" + account + "' AND s.activity_on = '" + activity + "'");
}

}  // namespace

TEST_CASE("no account is furnished before 14 days after the first validation notice", "[store][metro2]") {
    // 12 CFR 1006.30(a)(1), comment 30(a)(1)-2: mailed May 4, the 14 days are May 5..18; May 19 on.
    const auto [activity, reported_] = GENERATE(table<const char*, bool>({
        {"2026-05-18", false}, {"2026-05-19", true},
    }));
    Book b;
    notice(b.s, "A1", "2026-05-04", "vn");
    Metro2RunOptions o;
    o.record = false;
    const Metro2Run run = b.s.metro2_monthly_file(D(activity), header(activity), profile(), o);
    CHECK(run.reported.size() == (reported_ ? 1u : 0u));
    if (!reported_) CHECK(run.excluded.at(0).code == "passive_collection_period");
    CHECK(count(b.s, "SELECT count(*) FROM metro2_submissions") == 0);
}

TEST_CASE("a conversation allows furnishing the next day; a letter returned within 14 days does not count",
          "[store][metro2]") {
    // 1006.30(a)(1)(i) and comment 30(a)(1)-3, through the compliance engine's
    // earliest_furnishing_date over the stored contact history.
    Book b;
    b.s.save_account(account("A2"));
    notice(b.s, "A1", "2026-01-05", "vn-1");
    notice(b.s, "A2", "2026-01-05", "vn-2");
    b.s.record_contacts({ContactAttempt("D1", {"A1"}, ContactChannel::letter, Direction::outbound, Outcome::bounced,
                                        parse_instant("2026-01-12T15:00:00Z"))});
    b.s.record_contacts({ContactAttempt("D1", {"A1"}, ContactChannel::call, Direction::outbound,
                                        Outcome::conversation, parse_instant("2026-01-29T15:00:00Z"))});
    Metro2RunOptions o;
    o.record = false;
    const Metro2Run early = b.s.metro2_monthly_file(D("2026-01-29"), header("2026-01-29"), profile(), o);
    REQUIRE(early.excluded.size() == 1);  // A1: the notice came back, the call is today
    CHECK(early.excluded[0].account_id == "A1");
    CHECK(early.excluded[0].code == "passive_collection_period");
    CHECK(early.reported == std::vector<std::string>{"A2"});
    const Metro2Run next = b.s.metro2_monthly_file(D("2026-01-30"), header("2026-01-30"), profile(), o);
    CHECK(next.reported == std::vector<std::string>{"A1", "A2"});
}

TEST_CASE("a monthly file of disputed, paid and settled accounts re-parses clean and is recorded",
          "[store][metro2]") {
    Book b;
    // A1 unpaid and disputed; A2 paid later; A3 settled later; A4 with a co-signer.
    b.s.save_account(account("A2", {{"D2", DebtorRole::primary, "1"}}));
    b.s.save_account(account("A3", {{"D2", DebtorRole::primary, "1"}}));
    b.s.save_account(account("A4", {{"D1", DebtorRole::primary, "2"}, {"D2", DebtorRole::co_signer, "2"}}));
    for (const char* id : {"A1", "A2", "A3", "A4"}) notice(b.s, id, "2026-01-05", std::string("vn-").append(id).c_str());
    b.s.record_dispute("A1", D("2026-01-20"));
    fs::path dir = fs::temp_directory_path() / ("arrears-m2-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    Metro2RunOptions o;
    o.path = (dir / "jan.txt").string();
    const Metro2Run jan = b.s.metro2_monthly_file(D("2026-01-31"), header("2026-01-31"), profile(), o);
    CHECK(jan.reported == std::vector<std::string>{"A1", "A2", "A3", "A4"});
    CHECK(jan.submission_id.has_value());
    // The store records the file's name and hash; the caller writes the text (arrears.outputs).
    CHECK(sha256_hex(jan.text) == jan.sha256);
    CHECK_FALSE(fs::exists(o.path));
    CHECK(count(b.s, "SELECT count(*) FROM metro2_submissions WHERE file_name = 'jan.txt' AND sha256 = '" + jan.sha256 + "'") == 1);
    const Metro2File f = parse_metro2_file(jan.text);
    CHECK(f.problems.empty());
    REQUIRE(f.records.size() == 4);
    CHECK(f.records[0].base.text(Metro2BaseField::compliance_condition_code) == "XB");
    CHECK(f.records[3].j1.size() == 1);  // the co-signer at the same address
    CHECK(reported(b.s, "A1", "account_status", "2026-01-31") == "93");
    CHECK(reported(b.s, "A1", "date_of_first_delinquency", "2026-01-31") == "2025-01-10");
    // A second file for the same date is refused and changes nothing.
    const auto rows = count(b.s, "SELECT count(*) FROM metro2_reported");
    o.path.clear();
    CHECK_THROWS_AS(b.s.metro2_monthly_file(D("2026-01-31"), header("2026-01-31"), profile(), o), ConflictError);
    CHECK(count(b.s, "SELECT count(*) FROM metro2_reported") == rows);

    // February: A1's dispute resolved, A2 paid in full, A3 settled (a completed settlement).
    b.s.resolve_dispute(count(b.s, "SELECT id FROM disputes"), "resolved", D("2026-02-10"));
    b.pay("A2", "1000.00", "2026-02-12", "chk-2");
    b.s.update_account("A2", [](Account& a) { a.set_status(AccountStatus::paid, D("2026-02-12")); });
    const PaymentPlan p(PlanKind::settlement, D("2026-02-01"), {{"A3", usd("1000.00")}},
                        installment_schedule(usd("600.00"), 1, D("2026-02-15")), PlanRules{}, D("2026-02-20"),
                        AccountSplit::pro_rata, "P3", "D2");
    b.s.save_plan(p);
    b.pay("A3", "600.00", "2026-02-14", "chk-3");
    b.s.evaluate_plans(D("2026-02-28"), T1);
    o.path = (dir / "feb.txt").string();
    const Metro2Run feb = b.s.metro2_monthly_file(D("2026-02-28"), header("2026-02-28"), profile(), o);
    const Metro2File g = parse_metro2_file(feb.text);
    CHECK(g.problems.empty());
    CHECK(reported(b.s, "A1", "compliance_condition_code", "2026-02-28") == "XH");
    CHECK(reported(b.s, "A2", "account_status", "2026-02-28") == "62");
    CHECK(reported(b.s, "A2", "special_comment", "2026-02-28") == "");
    CHECK(reported(b.s, "A2", "date_closed", "2026-02-28") == "2026-02-12");
    CHECK(reported(b.s, "A3", "account_status", "2026-02-28") == "62");
    CHECK(reported(b.s, "A3", "special_comment", "2026-02-28") == "AU");
    CHECK(reported(b.s, "A1", "payment_history_profile", "2026-02-28") == "G" + std::string(23, 'B'));

    // April (nothing recorded in March): A1 has G for February, D for March; A2 and A3 are done.
    const Metro2Run apr = b.s.metro2_monthly_file(D("2026-04-30"), header("2026-04-30"), profile(), {});
    CHECK(apr.reported == std::vector<std::string>{"A1", "A4"});
    CHECK(reported(b.s, "A1", "payment_history_profile", "2026-04-30") == "DGG" + std::string(21, 'B'));
    CHECK(reported(b.s, "A1", "compliance_condition_code", "2026-04-30") == "");
    fs::remove_all(dir);
}

TEST_CASE("a date of first delinquency changed after reporting is never re-aged", "[store][metro2]") {
    Book b;
    notice(b.s, "A1", "2026-01-05", "vn");
    b.s.metro2_monthly_file(D("2026-01-31"), header("2026-01-31"), profile(), {});
    b.s.update_account("A1", [](Account& a) {
        AccountInfo i = a.info();
        i.first_delinquency_on = D("2025-06-01");
        a = Account(i, a.ledger(), a.status_history());
    });
    const Metro2Run feb = b.s.metro2_monthly_file(D("2026-02-28"), header("2026-02-28"), profile(), {});
    REQUIRE(feb.excluded.size() == 1);
    CHECK(feb.excluded[0].code == "re_aged");
    CHECK(count(b.s, "SELECT count(*) FROM metro2_excluded WHERE code = 're_aged' AND account_id = 'A1'") == 1);
}

TEST_CASE("the monthly file checks its header date", "[store][metro2]") {
    // (That an existing file is never overwritten is arrears.outputs' rule: tests/python/test_outputs.py.)
    Book b;
    CHECK_THROWS_WITH(b.s.metro2_monthly_file(D("2026-01-31"), header("2026-01-30"), profile(), {}),
                      Catch::Contains("header.activity_date: 2026-01-30 is not the reporting date 2026-01-31"));
    CHECK(count(b.s, "SELECT count(*) FROM metro2_submissions") == 0);
}

TEST_CASE("a cancelled evaluation stores nothing", "[store][plans]") {
    Book b;
    b.s.save_plan(promise("P1", "A1", "200.00", "2026-02-01"));
    Progress stop([](std::uint64_t, std::uint64_t) { return false; });
    PlanRunOptions o;
    o.progress = &stop;
    CHECK_THROWS_AS(b.s.evaluate_plans(D("2026-02-07"), T1, o), Cancelled);
    CHECK(text(b.s, "SELECT status FROM plans") == "active");
    CHECK(count(b.s, "SELECT count(*) FROM plan_state") == 0);
    CHECK(b.s.load_account("A1").status() == AccountStatus::promise);
}
