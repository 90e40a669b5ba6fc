// Letter formatting, letter data, the built-in letters and campaign rendering. Expected values
// come from ../shared/reference/regulation-f.md (Model Form B-1, §1006.18(e), §1006.34) and
// payment-math.md §3.5, not from the implementation.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "arrears/builtin_letters.hpp"
#include "arrears/campaign.hpp"
#include "arrears/letter.hpp"
#include "arrears/letter_format.hpp"

using namespace arrears;

namespace {

Money usd(std::int64_t cents) { return Money::from_minor(cents, Currency{}); }
Date ymd(int y, unsigned m, unsigned d) { return make_date(y, m, d); }

CollectorProfile collector() {
    CollectorProfile c;
    c.name = "North South Group";
    c.address = LetterAddress{"1234 Main Street", "Suite 100", "Anytown", "MA", "02110", "US"};
    c.phone = "(800) 123-4567";
    c.hours = "from 8am to 8pm EST, Monday to Saturday";
    c.website = "www.example.com";
    c.dispute_url = "www.example.com/dispute";
    c.original_creditor_url = "www.example.com/request";
    return c;
}

// The Model Form B-1 example debt.
LetterAccount model_account() {
    LetterAccount a;
    a.account_id = "584345";
    a.reference = "584-345";
    a.account_number = "123-456-789";
    a.creditor = "Bank of Rockville";
    a.product = "Main Street Department Store credit card";
    a.itemization = LetterItemization{ItemizationReference::last_statement, ymd(2017, 1, 2), usd(223456),
                                usd(7500), usd(2500), usd(5000), usd(228456)};
    return a;
}

LetterRecipient model_recipient() {
    LetterRecipient r;
    r.name = "Erica Smith";
    r.address = LetterAddress{"123 Elm Street", "", "Springfield", "IL", "62704", "US"};
    r.email = "erica@example.com";
    return r;
}

std::string render(LetterKind kind, Language lang, LetterFormat fmt, const LetterAccount& a,
                   const LetterRecipient& r, Date sent, LetterChannel ch = LetterChannel::mail) {
    return builtin_template(kind, lang, fmt).render(letter_data(kind, a, r, collector(), sent, lang, {}, ch));
}

}  // namespace

TEST_CASE("dates print as Month D, YYYY and D de mes de YYYY", "[letters][format]") {
    CHECK(format_date(ymd(2020, 8, 28)) == "August 28, 2020");
    CHECK(format_date(ymd(2017, 1, 2)) == "January 2, 2017");
    CHECK(format_date(ymd(2020, 8, 28), Language::es) == "28 de agosto de 2020");
    CHECK(format_date(ymd(2026, 9, 1), Language::es) == "1 de septiembre de 2026");
    CHECK(format_money(usd(228456)) == "$2,284.56");
    CHECK(format_money(usd(228456), Language::es) == "$2,284.56");
    CHECK(format_money(usd(-5000)) == "-$50.00");
    CHECK(parse_language("es-US") == Language::es);
    CHECK_THROWS_WITH(parse_language("fr"), "language: 'fr' is not a letter language (expected 'en' or 'es')");
}

TEST_CASE("addresses: lines, and what makes one mailable", "[letters][format]") {
    const LetterAddress a{"1234 Main Street", "Suite 100", "Anytown", "MA", "02110", "US"};
    CHECK(address_lines(a) == std::vector<std::string>{"1234 Main Street", "Suite 100", "Anytown, MA 02110"});
    CHECK(is_mailable(a));
    std::string why;
    auto bad = a;
    bad.postal_code = "2110";  // a ZIP that lost its leading zero
    CHECK_FALSE(is_mailable(bad, &why));
    CHECK(why == "postal_code '2110' is not a ZIP code");
    bad = a;
    bad.postal_code = "02110-1234";
    CHECK(is_mailable(bad));
    bad.line1 = " ";
    CHECK_FALSE(is_mailable(bad, &why));
    CHECK(why == "line1 is empty");
    const LetterAddress abroad{"10 Downing Street", "", "London", "", "SW1A 2AA", "United Kingdom"};
    CHECK(is_mailable(abroad));
    CHECK(address_lines(abroad).back() == "United Kingdom");
}

TEST_CASE("account numbers are truncated to their last four characters", "[letters][format]") {
    CHECK(truncate_account_number("4111-1111-1111-1234") == "****1234");
    CHECK(truncate_account_number("123-456-789") == "****6789");
    CHECK(truncate_account_number("1234") == "****");
    CHECK(truncate_account_number("") == "");
    CHECK(truncate_account_number("AB12CD", 2) == "****CD");
}

TEST_CASE("reference numbers carry a Luhn mod 36 check character", "[letters][format]") {
    const std::string ref = reference_number("584345");
    CHECK(ref.rfind("584345-", 0) == 0);
    CHECK(reference_number_valid(ref));
    std::string typo = ref;
    typo[2] = typo[2] == '4' ? '5' : '4';  // one wrong digit is caught
    CHECK_FALSE(reference_number_valid(typo));
    std::string swapped = ref;
    std::swap(swapped[0], swapped[1]);  // swapping neighbours is caught
    CHECK_FALSE(reference_number_valid(swapped));
    CHECK(reference_number("acct_00017") == reference_number("ACCT00017"));
    CHECK_THROWS_WITH(reference_number("--"), Catch::Contains("has no letter or digit"));
    CHECK(with_article("credit card") == "a credit card");
    CHECK(with_article("auto loan") == "an auto loan");
}

TEST_CASE("the itemization must add up (12 CFR 1006.34(c)(2)(viii))", "[letters][itemization]") {
    LetterItemization it = model_account().itemization;  // 2,234.56 + 75 + 25 - 50 = 2,284.56
    CHECK_NOTHROW(it.check());
    it.current = usd(228457);
    CHECK_THROWS_WITH(it.check("account.itemization"),
                      "account.itemization: $2,234.56 + $75.00 interest + $25.00 fees - $50.00 payments and "
                      "credits = $2,284.56, not the current amount $2,284.57 (12 CFR 1006.34(c)(2)(viii))");
    it = model_account().itemization;
    it.interest = usd(-100);
    CHECK_THROWS_WITH(it.check(), Catch::Contains("itemization.interest: -$1.00 is negative (a refund belongs in "
                                                  "payments_credits)"));
    it = model_account().itemization;
    it.fees = Money::from_minor(2500, Currency::of("EUR"));
    CHECK_THROWS_WITH(it.check(), Catch::Contains("itemization.fees: currency EUR differs"));
}

TEST_CASE("assumed receipt is the fifth business day after sending; the period ends 30 days later",
          "[letters][validation]") {
    // payment-math.md §3.5: the sent day is not counted; weekends and federal holidays skipped;
    // no roll when day 30 is a weekend.
    auto [sent, receipt, end] = GENERATE(table<Date, Date, Date>({
        {ymd(2026, 5, 4), ymd(2026, 5, 11), ymd(2026, 6, 10)},      // Monday
        {ymd(2026, 7, 2), ymd(2026, 7, 10), ymd(2026, 8, 9)},       // July 3 observed; ends on a Sunday
        {ymd(2026, 11, 20), ymd(2026, 11, 30), ymd(2026, 12, 30)},  // Thanksgiving
        {ymd(2026, 12, 19), ymd(2026, 12, 28), ymd(2027, 1, 27)},   // sent on a Saturday; Christmas
    }));
    CHECK(letters_assumed_receipt(sent) == receipt);
    CHECK(letters_validation_end(sent) == end);
}

TEST_CASE("the 1006.18(e) disclosure: initial versus subsequent, in the letter's language",
          "[letters][disclosure]") {
    CHECK(debt_collector_disclosure(LetterKind::validation_notice, true, "North South Group", "Bank of Rockville",
                                    Language::en) ==
          "North South Group is a debt collector. We are trying to collect a debt that you owe to Bank of "
          "Rockville. We will use any information you give us to help collect the debt.");
    CHECK(debt_collector_disclosure(LetterKind::reminder, true, "X", "Y", Language::en) ==
          "This communication is from a debt collector. This is an attempt to collect a debt and any "
          "information obtained will be used for that purpose.");
    CHECK(debt_collector_disclosure(LetterKind::reminder, false, "X", "Y", Language::en) ==
          "This communication is from a debt collector.");
    CHECK(debt_collector_disclosure(LetterKind::reminder, false, "X", "Y", Language::es) ==
          "Esta comunicación proviene de un cobrador de deudas.");
    const auto d = letter_data(LetterKind::reminder, model_account(), model_recipient(), collector(),
                               ymd(2026, 5, 4), Language::en);
    CHECK(lookup_text(d, "disclosure") == "This communication is from a debt collector.");
    auto first = model_account();
    first.initial_communication = true;
    const auto d2 = letter_data(LetterKind::reminder, first, model_recipient(), collector(), ymd(2026, 5, 4),
                                Language::en);
    CHECK(lookup_text(d2, "disclosure_initial") == "true");
}

TEST_CASE("every required validation-notice item is present, in English", "[letters][validation]") {
    const Date sent = ymd(2026, 5, 4);
    for (auto fmt : {LetterFormat::html, LetterFormat::text}) {
        INFO(to_string(fmt));
        const std::string n = render(LetterKind::validation_notice, Language::en, fmt, model_account(),
                                     model_recipient(), sent);
        auto has = [&](const std::string& s) {
            INFO(s);
            CHECK(n.find(s) != std::string::npos);
        };
        // (c)(1) the 1006.18(e) statement
        has("North South Group is a debt collector. We are trying to collect a debt that you owe to Bank of "
            "Rockville. We will use any information you give us to help collect the debt.");
        // (c)(2)(i) collector name and mailing address; (c)(2)(ii) consumer name and address
        has("1234 Main Street");
        has("Anytown, MA 02110");
        has("Erica Smith");
        has("Springfield, IL 62704");
        has("Reference: 584-345");
        // (c)(2)(iii)-(v) creditors and the (truncated) account number
        has("Main Street Department Store credit card from Bank of Rockville with account number ****6789");
        // (c)(2)(vi)-(ix) itemization date, amount, itemization, current amount
        has("As of January 2, 2017, you owed:");
        has("$2,234.56");
        has("Between January 2, 2017 and today:");
        has("You were charged this amount in interest:");
        has("+ $75.00");
        has("You were charged this amount in fees:");
        has("+ $25.00");
        has("You paid or were credited this amount toward the debt:");
        has("$50.00");
        has("Total amount of the debt now:");
        has("$2,284.56");
        // (c)(3)(i)-(iii) the validation end date with each statement; the CFPB reference
        has("How can you dispute the debt?");
        has("Call or write to us by June 10, 2026, to dispute all or part of the debt");
        has("If you do not, we will assume that our information is correct.");
        has("we must stop collection on any amount you dispute until we send you information that shows you owe "
            "the debt");
        has("What else can you do?");
        has("Write to ask for the name and address of the original creditor, if different from the current "
            "creditor.");
        has("If you write by June 10, 2026, we must stop collection until we send you that information.");
        has("www.cfpb.gov/debt-collection");
        has("We accept disputes electronically at www.example.com/dispute.");
        has("We accept such requests electronically at www.example.com/request.");
        has("Contact us about your payment options.");
        // (d)(3)(vi) Spanish lines
        has("Póngase en contacto con nosotros para solicitar una copia de este formulario en español.");
        has("Quiero este formulario en español.");
        // (c)(4) the response form
        has("How do you want to respond?");
        has("Mail this form to:");
        has("I want to dispute the debt because I think:");
        has("This is not my debt.");
        has("The amount is wrong.");
        has("Other (please describe on reverse or attach additional information).");
        has("I want you to send me the name and address of the original creditor.");
        has("I enclosed this amount:");
        has("Make your check payable to North South Group. Include the reference number 584-345.");
        CHECK(n.find("Notice: See reverse side") == std::string::npos);  // no reverse side without notices
    }
}

TEST_CASE("every required validation-notice item is present, in Spanish", "[letters][validation]") {
    const Date sent = ymd(2026, 5, 4);
    auto acc = model_account();
    acc.notices = {"Aviso para residentes de Massachusetts: ..."};
    for (auto fmt : {LetterFormat::html, LetterFormat::text}) {
        INFO(to_string(fmt));
        const std::string n = render(LetterKind::validation_notice, Language::es, fmt, acc, model_recipient(), sent);
        auto has = [&](const std::string& s) {
            INFO(s);
            CHECK(n.find(s) != std::string::npos);
        };
        has("North South Group es un cobrador de deudas. Estamos tratando de cobrar una deuda que usted le debe a "
            "Bank of Rockville.");
        has("1234 Main Street");
        has("Erica Smith");
        has("Springfield, IL 62704");
        has("Referencia: 584-345");
        has("de Bank of Rockville con el número de cuenta ****6789");
        has("Al 2 de enero de 2017, usted debía:");
        has("$2,234.56");
        has("Entre el 2 de enero de 2017 y hoy:");
        has("Se le cobró esta cantidad en intereses:");
        has("Se le cobró esta cantidad en cargos:");
        has("Usted pagó o se le acreditó esta cantidad a la deuda:");
        has("Cantidad total de la deuda ahora:");
        has("$2,284.56");
        has("a más tardar el 10 de junio de 2026 para disputar toda la deuda o parte de ella");
        has("supondremos que nuestra información es correcta");
        has("debemos dejar de cobrar cualquier cantidad que usted dispute");
        has("Escríbanos para pedir el nombre y la dirección del acreedor original");
        has("www.cfpb.gov/debt-collection");
        has("Aviso: Vea al reverso información importante.");
        has("Aviso para residentes de Massachusetts");
        has("Envíe este formulario por correo a:");
        has("Quiero disputar la deuda porque creo que:");
        has("Esta deuda no es mía.");
        has("La cantidad es incorrecta.");
        has("Quiero que me envíen el nombre y la dirección del acreedor original.");
        has("Adjunto esta cantidad:");
        has("Haga su cheque pagadero a North South Group. Incluya el número de referencia 584-345.");
        // A Spanish notice does not offer a Spanish copy.
        CHECK(n.find("Quiero este formulario en español") == std::string::npos);
    }
}

TEST_CASE("HTML letters escape what the data says", "[letters]") {
    auto acc = model_account();
    acc.creditor = "Smith & Sons <Lending>";
    const std::string n = render(LetterKind::validation_notice, Language::en, LetterFormat::html, acc,
                                 model_recipient(), ymd(2026, 5, 4));
    CHECK(n.find("Smith &amp; Sons &lt;Lending&gt;") != std::string::npos);
    CHECK(n.find("<Lending>") == std::string::npos);
    const std::string t = render(LetterKind::validation_notice, Language::en, LetterFormat::text, acc,
                                 model_recipient(), ymd(2026, 5, 4));
    CHECK(t.find("Smith & Sons <Lending>") != std::string::npos);
}

TEST_CASE("every built-in letter renders in both languages and formats", "[letters][builtin]") {
    auto acc = model_account();
    acc.plan = {{ymd(2026, 6, 1), usd(100000)}, {ymd(2026, 7, 1), usd(100000)}, {ymd(2026, 8, 1), usd(28456)}};
    acc.settlement = SettlementTerms{usd(150000), ymd(2026, 6, 15), {}};
    acc.promise = PromiseTerms{usd(20000), ymd(2026, 4, 30), usd(5000)};
    acc.dispute = DisputeResponse{ymd(2026, 4, 20), false, std::nullopt, "", {"Copy of the last statement"}};
    const Date sent = ymd(2026, 5, 4);
    for (LetterKind kind : all_letter_kinds()) {
        for (Language lang : {Language::en, Language::es}) {
            for (LetterFormat fmt : {LetterFormat::html, LetterFormat::text}) {
                INFO(to_string(kind) << " " << to_string(lang) << " " << to_string(fmt));
                auto a = acc;
                if (kind == LetterKind::paid_in_full) {
                    a.itemization.payments_credits = a.itemization.amount + a.itemization.interest + a.itemization.fees;
                    a.itemization.current = usd(0);
                    a.resolution = Resolution{ymd(2026, 5, 1), usd(228456), false};
                }
                const auto data = letter_data(kind, a, model_recipient(), collector(), sent, lang);
                const Template t = builtin_template(kind, lang, fmt);
                const std::string out = t.render(data);
                CHECK(out.find("584-345") != std::string::npos);
                const bool has_disclosure =
                    out.find(lang == Language::en ? "This communication is from a debt collector"
                                                  : "Esta comunicación proviene de un cobrador de deudas") !=
                    std::string::npos;
                CHECK((has_disclosure || kind == LetterKind::validation_notice));
                const auto lint = t.lint(&data, {"disclosure"});
                CHECK(lint.ok());
                CHECK(lint.missing.empty());
            }
        }
    }
    const std::string plan = render(LetterKind::plan_confirmation, Language::en, LetterFormat::text, acc,
                                    model_recipient(), sent);
    CHECK(plan.find("  1. June 1, 2026: $1,000.00\n  2. July 1, 2026: $1,000.00\n  3. August 1, 2026: $284.56\n") !=
          std::string::npos);
    CHECK(plan.find("3 payments totaling $2,284.56") != std::string::npos);
    const std::string offer = render(LetterKind::settlement_offer, Language::en, LetterFormat::text, acc,
                                     model_recipient(), sent);
    CHECK(offer.find("We will accept $1,500.00 to settle this debt in full, $784.56 less than the balance.") !=
          std::string::npos);
    CHECK(offer.find("This offer expires on June 15, 2026.") != std::string::npos);
    const std::string broken = render(LetterKind::promise_broken, Language::en, LetterFormat::text, acc,
                                      model_recipient(), sent);
    CHECK(broken.find("We received $50.00, so $150.00 of that payment is still outstanding.") != std::string::npos);
}

TEST_CASE("e-mail letters carry the 1006.6(e) opt-out", "[letters][email]") {
    const std::string n = render(LetterKind::reminder, Language::en, LetterFormat::text, model_account(),
                                 model_recipient(), ymd(2026, 5, 4), LetterChannel::email);
    CHECK(n.find("If you do not want to receive e-mails from us at this address, reply to this e-mail with the "
                 "word STOP. There is no charge, and we will ask for nothing but this e-mail address.") !=
          std::string::npos);
    const std::string mail = render(LetterKind::reminder, Language::en, LetterFormat::text, model_account(),
                                    model_recipient(), ymd(2026, 5, 4));
    CHECK(mail.find("e-mails from us") == std::string::npos);
}

TEST_CASE("letter data rejects inputs that would make a wrong letter", "[letters][errors]") {
    const Date sent = ymd(2026, 5, 4);
    auto build = [&](LetterKind k, const LetterAccount& a) {
        return letter_data(k, a, model_recipient(), collector(), sent, Language::en);
    };
    auto a = model_account();
    a.itemization.fees = usd(2600);
    CHECK_THROWS_WITH(build(LetterKind::validation_notice, a), Catch::StartsWith("account.itemization: $2,234.56"));
    a = model_account();
    a.itemization.date = ymd(2026, 6, 1);
    CHECK_THROWS_WITH(build(LetterKind::validation_notice, a),
                      "account.itemization.date: 2026-06-01 is after the letter date 2026-05-04");
    a = model_account();
    a.creditor = "";
    CHECK_THROWS_WITH(build(LetterKind::reminder, a), "account.creditor: required, got ''");
    a = model_account();
    CHECK_THROWS_WITH(build(LetterKind::plan_confirmation, a), "account.plan: a plan confirmation needs the installments");
    a.plan = {{ymd(2026, 6, 1), usd(100)}, {ymd(2026, 6, 1), usd(100)}};
    CHECK_THROWS_WITH(build(LetterKind::plan_confirmation, a),
                      "account.plan[1].due: 2026-06-01 is not after the previous installment's 2026-06-01");
    a = model_account();
    a.settlement = SettlementTerms{usd(300000), ymd(2026, 6, 1), {}};
    CHECK_THROWS_WITH(build(LetterKind::settlement_offer, a),
                      "account.settlement.amount: $3,000.00 is not less than the balance $2,284.56");
    a.settlement = SettlementTerms{usd(100000), ymd(2026, 5, 1), {}};
    CHECK_THROWS_WITH(build(LetterKind::settlement_offer, a),
                      "account.settlement.expires: 2026-05-01 is before the letter date 2026-05-04");
    a = model_account();
    a.promise = PromiseTerms{usd(100), ymd(2026, 5, 10), usd(0)};
    CHECK_THROWS_WITH(build(LetterKind::promise_broken, a), Catch::Contains("a promise is not broken before it is due"));
    a = model_account();
    a.resolution = Resolution{ymd(2026, 5, 1), usd(100), false};
    CHECK_THROWS_WITH(build(LetterKind::paid_in_full, a), Catch::Contains("a paid-in-full letter needs a zero balance"));
    a = model_account();
    a.dispute = DisputeResponse{ymd(2026, 5, 1), true, std::nullopt, "same", {}};
    CHECK_THROWS_WITH(build(LetterKind::dispute_response, a), Catch::Contains("must refer to the earlier response"));
    auto no_url = collector();
    no_url.dispute_url = "";
    CHECK_THROWS_WITH(letter_data(LetterKind::validation_notice, model_account(), model_recipient(), no_url, sent,
                                  Language::en, {}, LetterChannel::email),
                      "collector.dispute_url: required, got ''");
    CHECK_NOTHROW(letter_data(LetterKind::validation_notice, model_account(), model_recipient(), no_url, sent,
                              Language::en, {}, LetterChannel::mail));
    auto c = collector();
    c.address.postal_code = "";
    CHECK_THROWS_WITH(letter_data(LetterKind::reminder, model_account(), model_recipient(), c, sent, Language::en),
                      Catch::StartsWith("collector.address: postal_code '' is not a ZIP code"));
}

TEST_CASE("collector profiles read from JSON with paths in errors", "[letters][collector]") {
    const Json j = collector().to_json();
    const auto back = CollectorProfile::from_json(JsonView(j, "collector"));
    CHECK(back.name == "North South Group");
    CHECK(back.address == collector().address);
    Json bad = j;
    bad["adress"] = "x";
    CHECK_THROWS_WITH(CollectorProfile::from_json(JsonView(bad, "collector")), Catch::Contains("adress"));
    bad = j;
    bad["address"]["state"] = 5;
    CHECK_THROWS_WITH(CollectorProfile::from_json(JsonView(bad, "collector")),
                      Catch::StartsWith("collector.address.state: expected a string"));
}

TEST_CASE("suppression reasons, in order of precedence", "[letters][suppression]") {
    const auto acc = model_account();
    const LetterTags collection{};
    auto reason = [&](auto change, LetterChannel ch = LetterChannel::mail, LetterTags tags = {},
                      std::optional<Instant> at = std::nullopt, LetterAccount a = model_account()) {
        LetterRecipient r = model_recipient();
        change(r);
        auto got = suppression_reason(a, r, ch, tags, at);
        return got ? std::string(to_string(*got)) : std::string("send");
    };
    auto none = [](LetterRecipient&) {};
    CHECK(reason(none) == "send");
    CHECK(reason([](LetterRecipient& r) { r.deceased = true; r.cease = true; }) == "deceased");
    CHECK(reason([](LetterRecipient& r) { r.bankruptcy = true; }) == "bankruptcy");
    CHECK(reason([](LetterRecipient& r) { r.attorney = true; }) == "attorney");
    CHECK(reason([](LetterRecipient& r) { r.cease = true; }) == "cease");
    CHECK(reason([](LetterRecipient& r) { r.cease = true; }, LetterChannel::mail, LetterTags::parse({"cease_exempt"})) ==
          "send");
    CHECK(reason([](LetterRecipient& r) { r.dispute_pause = true; }) == "dispute_pause");
    CHECK(reason([](LetterRecipient& r) { r.dispute_pause = true; }, LetterChannel::mail,
                 LetterTags::parse({"dispute_exempt"})) == "send");
    auto barred = acc;
    barred.time_barred = true;
    CHECK(reason(none, LetterChannel::mail, LetterTags::parse({"legal"}), std::nullopt, barred) == "time_barred");
    CHECK(reason(none, LetterChannel::mail, collection, std::nullopt, barred) == "send");  // no legal threat
    CHECK(reason([](LetterRecipient& r) { r.address_ok = false; }) == "no_mailing_address");
    CHECK(reason([](LetterRecipient& r) { r.address.postal_code = "6270"; }) == "no_mailing_address");
    // E-mail: address, opt-out, time of day (8 a.m. to 9 p.m. where the consumer is).
    const Instant noon_eastern = parse_instant("2026-05-04T16:00:00Z");   // 12:00 EDT, 09:00 PDT
    const Instant early = parse_instant("2026-05-04T12:30:00Z");          // 08:30 EDT, 05:30 PDT
    CHECK(reason([](LetterRecipient& r) { r.email = ""; }, LetterChannel::email, {}, noon_eastern) == "no_email_address");
    CHECK(reason([](LetterRecipient& r) { r.email_opt_out = true; }, LetterChannel::email, {}, noon_eastern) ==
          "email_opt_out");
    CHECK(reason([](LetterRecipient& r) { r.time_zone = "America/New_York"; }, LetterChannel::email, {}, early) == "send");
    CHECK(reason([](LetterRecipient& r) { r.time_zone = "America/Los_Angeles"; }, LetterChannel::email, {}, early) ==
          "time_of_day");
    // Unknown zone: must be fine everywhere from Eastern to Hawaii; at noon Eastern it is 6 a.m. in Honolulu.
    CHECK(reason(none, LetterChannel::email, {}, noon_eastern) == "time_of_day");
    CHECK(reason(none, LetterChannel::email, {}, parse_instant("2026-05-04T19:00:00Z")) == "send");  // 09:00 HST
    // 9 p.m. itself is too late; 8 a.m. is fine (half-open window).
    CHECK(reason([](LetterRecipient& r) { r.time_zone = "America/Chicago"; }, LetterChannel::email, {},
                 parse_instant("2026-05-05T02:00:00Z")) == "time_of_day");
    CHECK(reason([](LetterRecipient& r) { r.time_zone = "America/Chicago"; }, LetterChannel::email, {},
                 parse_instant("2026-05-04T13:00:00Z")) == "send");
    CHECK_THROWS_WITH(reason([](LetterRecipient& r) { r.time_zone = "Mars/Olympus"; }, LetterChannel::email, {}, early),
                      "recipient.time_zone: 'Mars/Olympus' is not an IANA time zone");
    CHECK_THROWS_WITH(reason(none, LetterChannel::email), Catch::StartsWith("send_at: an e-mail campaign needs the send time"));
    CHECK_THROWS_WITH(LetterTags::parse({"legall"}), Catch::StartsWith("tags: 'legall' is not a letter tag"));
}

namespace {

struct Table {
    std::vector<std::string> ids, names, creditors;
    LetterColumns cols;
    explicit Table(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            std::string id = "A";
            id += std::to_string(1000 + i);
            ids.push_back(id);
            names.push_back(i % 2 ? "Erica Smith" : "José Núñez");
            creditors.push_back("Bank of Rockville");
        }
        cols.rows = n;
        for (std::size_t i = 0; i < n; ++i) {
            cols.account_id.push_back(ids[i]);
            cols.recipient_name.push_back(names[i]);
            cols.creditor.push_back(creditors[i]);
            cols.address_line1.push_back("123 Elm Street");
            cols.city.push_back("Springfield");
            cols.state.push_back("IL");
            cols.postal_code.push_back("02704");
            cols.language.push_back(i % 3 == 0 ? "es" : "en");
            cols.itemization_date.push_back(ymd(2026, 1, 31));
            cols.itemization_amount_cents.push_back(100000 + static_cast<std::int64_t>(i));
            cols.interest_cents.push_back(500);
            cols.fees_cents.push_back(0);
            cols.payments_credits_cents.push_back(1000);
            cols.current_cents.push_back(99500 + static_cast<std::int64_t>(i));
        }
    }
};

std::string slurp(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

CampaignSpec notice_spec() {
    CampaignSpec spec;
    spec.name = "vn-test";
    spec.kind = LetterKind::validation_notice;
    spec.collector = collector();
    spec.sent = ymd(2026, 5, 4);
    spec.batch_size = 4;
    spec.formats = {LetterFormat::html, LetterFormat::text};
    spec.stylesheet = std::string(builtin_stylesheet());
    for (Language l : {Language::en, Language::es})
        for (LetterFormat f : {LetterFormat::html, LetterFormat::text})
            spec.templates.emplace(std::make_pair(l, f), builtin_template(LetterKind::validation_notice, l, f));
    spec.csv_columns = {{"Letter", "letter_id"}, {"Name", "recipient.name"},
                        {"ZIP", "recipient.address.postal_code"}, {"Batch", "batch"}};
    return spec;
}

}  // namespace

TEST_CASE("a campaign writes batch files whose hashes match, and a CSV with ZIP codes as text",
          "[letters][campaign]") {
    Table t(10);
    const auto dir = std::filesystem::temp_directory_path() / "arrears_campaign_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < 10; ++i) rows.push_back(i);
    CampaignSpec spec = notice_spec();
    spec.threads = 2;
    spec.collect = true;
    std::vector<std::size_t> seen;
    FolderSink sink(dir.string());
    const auto out = render_campaign(t.cols, rows, spec, &sink, [&](std::size_t done, std::size_t total) {
        CHECK(total == 10);
        seen.push_back(done);
        return true;
    });
    REQUIRE(out.letters.size() == 10);
    CHECK(out.letters[0].letter_id == "vn-test-000001");
    CHECK(out.letters[9].batch == 3);
    CHECK(seen.back() == 10);
    // 3 batches x (html, text) + the print-vendor CSV + index.csv
    REQUIRE(out.files.size() == 8);
    for (const auto& f : out.files) {
        INFO(f.path);
        const std::string bytes = slurp(dir / f.path);
        CHECK(bytes.size() == f.bytes);
        CHECK(sha256_hex(bytes) == f.sha256);
    }
    const std::string csv = slurp(dir / "print_vendor.csv");
    CHECK(csv.rfind("\"Letter\",\"Name\",\"ZIP\",\"Batch\"\r\n\"vn-test-000001\",\"José Núñez\",\"02704\",\"1\"\r\n", 0) ==
          0);
    // Offsets point at each letter inside the combined file.
    const std::string html1 = slurp(dir / "letters-0001.html");
    const auto& l2 = out.letters[1];
    CHECK(html1.substr(l2.offsets[0].second, l2.lengths[0]) == l2.html);
    CHECK(html1.rfind("<!DOCTYPE html>", 0) == 0);
    const std::string index = slurp(dir / "index.csv");
    CHECK(index.rfind("\"letter_id\",\"account_id\",\"row\",\"batch\",\"language\",\"file_html\",\"offset_html\","
                      "\"length_html\",\"file_txt\",\"offset_txt\",\"length_txt\"\r\n\"vn-test-000001\",\"A1000\",0,1,\"es\","
                      "\"letters-0001.html\",", 0) == 0);
#ifndef _WIN32
    // Written private: no one but the owner reads the letters (docs/store.md).
    for (const auto& f : out.files) CHECK((std::filesystem::status(dir / f.path).permissions() & std::filesystem::perms::group_read) == std::filesystem::perms::none);
#endif
    // Row 0 asked for Spanish: its letter holds the Spanish notice and then the English one.
    CHECK(out.letters[0].language == Language::es);
    CHECK(out.letters[0].text.find("Nuestra información indica") < out.letters[0].text.find("Our information shows"));
    CHECK(out.letters[1].text.find("Nuestra información") == std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a failing letter stops the campaign, names the account and leaves no files",
          "[letters][campaign]") {
    Table t(9);
    t.cols.current_cents[6] += 1;  // row 6 does not add up
    const auto dir = std::filesystem::temp_directory_path() / "arrears_campaign_fail";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::vector<std::size_t> rows{0, 1, 2, 3, 4, 5, 6, 7, 8};
    CampaignSpec spec = notice_spec();
    spec.threads = 2;
    FolderSink sink(dir.string());
    CHECK_THROWS_WITH(render_campaign(t.cols, rows, spec, &sink),
                      Catch::StartsWith("account 'A1006' (row 6): account.itemization: $1,000.06 + $5.00 interest"));
    CHECK(std::filesystem::is_empty(dir));
    std::filesystem::remove_all(dir);
    LetterColumns empty;
    empty.rows = 2;
    CHECK_THROWS_WITH(render_campaign(empty, {}, spec, nullptr), "account_id: required column is missing");
}

TEST_CASE("letter money formatting agrees with Money::format", "[letters][format]") {
    for (std::int64_t v : {0LL, 1LL, 9LL, 10LL, 99LL, 100LL, 101LL, 99999LL, 100000LL, 123456789LL, -1LL, -5000LL,
                           -123456789LL, 9223372036854775807LL, -9223372036854775807LL - 1}) {
        INFO(v);
        CHECK(format_money(usd(v)) == usd(v).format());
        CHECK(format_money(usd(v), Language::es) == usd(v).format("es_US"));
    }
    const Money eur = Money::from_minor(123456, Currency::of("EUR"));
    CHECK(format_money(eur) == eur.format());
}
