#include <catch2/catch.hpp>

#include <date/tz.h>
#include <nlohmann/json.hpp>
#include <string>

#include "arrears/contact_point.hpp"
#include "arrears/debtor.hpp"
#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "arrears/time_zones.hpp"

using namespace arrears;

namespace {

Date D(const char* iso) { return parse_date(iso); }
Instant I(const char* iso) { return parse_instant(iso); }
using Zones = std::vector<std::string>;

Phone phone(const char* number, ContactType type = ContactType::mobile, int confidence = 50) {
    Phone p;
    p.number = number;
    p.type = type;
    p.confidence = confidence;
    p.normalize();
    return p;
}

Address address(const char* state, const char* zip) {
    Address a;
    a.line1 = "1 Main St";
    a.city = "Somewhere";
    a.state = state;
    a.zip = zip;
    a.normalize();
    return a;
}

Debtor debtor() {
    Debtor d;
    d.id = "D1";
    d.first_name = "Ana";
    d.middle_name = "M.";
    d.last_name = "Lopez";
    d.suffix = "Jr";
    d.ssn = Ssn::parse("123-45-6789");
    return d;
}

}  // namespace

TEST_CASE("an SSN is kept whole but only ever shown masked", "[debtor][ssn]") {
    const Ssn s = Ssn::parse("123-45-6789");
    CHECK(s.digits() == "123456789");
    CHECK(s.masked() == "***-**-6789");
    CHECK(Ssn::parse("123456789") == s);
    Debtor d = debtor();
    CHECK(d.repr().find("***-**-6789") != std::string::npos);
    CHECK(d.repr().find("123") == std::string::npos);
    // Invalid numbers: the message never contains the digits given.
    for (const char* bad : {"123-45-678", "000-12-3456", "666-12-3456", "912-34-5678",
                            "123-00-4567", "123-45-0000", "12a-45-6789"}) {
        try {
            Ssn::parse(bad);
            FAIL("accepted " << bad);
        } catch (const ValidationError& e) {
            const std::string msg = e.what();
            CHECK(msg.rfind("ssn:", 0) == 0);
            CHECK(msg.find("45") == std::string::npos);
            CHECK(msg.find("678") == std::string::npos);
        }
    }
}

TEST_CASE("phone numbers normalize to E.164 NANP numbers", "[debtor][contact]") {
    auto [input, expected] = GENERATE(table<const char*, const char*>({
        {"(212) 555-1234", "+12125551234"},
        {"212.555.1234", "+12125551234"},
        {"+1 212 555 1234", "+12125551234"},
        {"1-212-555-1234", "+12125551234"},
        {"2125551234", "+12125551234"},
    }));
    CHECK(normalize_phone_number(input) == expected);
    for (const char* bad : {"555-1234", "+44 20 7946 0958", "(112) 555-1234", "(212) 155-1234",
                            "(911) 555-1234", "212-555-12345", "212-555-CALL"})
        CHECK_THROWS_AS(normalize_phone_number(bad), ValidationError);
    CHECK_THROWS_WITH(normalize_phone_number("555-1234", "phones[0].number"),
                      Catch::Contains("phones[0].number") && Catch::Contains("'555-1234'"));
    const Phone p = phone("(850) 555-0100");
    CHECK(p.area_code() == "850");
    CHECK(p.formatted() == "(850) 555-0100");
    CHECK(p.id == "+18505550100");
}

TEST_CASE("addresses and emails normalize and validate", "[debtor][contact]") {
    const Address a = address("fl", "325011234");
    CHECK(a.state == "FL");
    CHECK(a.zip == "32501-1234");
    CHECK(a.id == "1 MAIN ST, 32501-1234");
    CHECK_THROWS_WITH(address("XX", "12345"), Catch::Contains("state: 'XX'"));
    CHECK_THROWS_WITH(address("NY", "1234"), Catch::Contains("zip: '1234'"));
    Address typed = address("NY", "10001");
    typed.type = ContactType::mobile;
    CHECK_THROWS_WITH(typed.normalize(), Catch::Contains("not a type of address"));
    Email e;
    e.address = " Ana.Lopez@Example.COM ";
    e.normalize();
    CHECK(e.address == "Ana.Lopez@example.com");
    CHECK(e.id == "ana.lopez@example.com");
    for (const char* bad : {"ana", "ana@", "@x.com", "ana@@x.com", "ana@x", "a b@x.com", "ana@.com"}) {
        Email x;
        x.address = bad;
        CHECK_THROWS_AS(x.normalize(), ValidationError);
    }
    Phone p = phone("2125551234");
    p.consents.push_back({Channel::email, true, I("2025-01-01T00:00:00Z"), RecordMethod::written, ""});
    CHECK_THROWS_WITH(p.normalize(), Catch::Contains("consents[0].channel"));
    p.consents.clear();
    p.confidence = 101;
    CHECK_THROWS_WITH(p.normalize(), Catch::Contains("confidence: 101"));
}

TEST_CASE("the latest consent record at the instant decides", "[debtor][contact]") {
    Phone p = phone("2125551234");
    p.consents = {
        {Channel::text, true, I("2025-01-01T00:00:00Z"), RecordMethod::electronic, ""},
        {Channel::text, false, I("2025-03-01T00:00:00Z"), RecordMethod::oral, "STOP"},
    };
    CHECK(p.consent(Channel::text, I("2024-12-31T00:00:00Z")) == std::nullopt);
    CHECK(p.consent(Channel::text, I("2025-02-01T00:00:00Z")) == true);
    CHECK(p.consent(Channel::text, I("2025-03-01T00:00:00Z")) == false);
    CHECK(p.consent(Channel::text) == false);
    CHECK(p.consent(Channel::call) == std::nullopt);
}

TEST_CASE("flags answer whether they were in effect on a date", "[debtor][flags]") {
    Bankruptcy b{13, "25-10001", "S.D.N.Y.", D("2025-03-01"), std::nullopt, D("2025-09-01")};
    CHECK_FALSE(b.open_on(D("2025-02-28")));
    CHECK(b.open_on(D("2025-03-01")));
    CHECK(b.open_on(D("2025-08-31")));
    CHECK_FALSE(b.open_on(D("2025-09-01")));  // dismissed
    CeaseCommunication c{"A1", D("2025-05-01"), RecordMethod::written, std::nullopt};
    MediumOptOut o{Channel::email, "", I("2025-05-01T10:00:00Z"), RecordMethod::electronic,
                   I("2025-06-01T00:00:00Z")};
    Debtor d = debtor();
    d.bankruptcies = {b};
    d.cease_communications = {c};
    d.opt_outs = {o};
    d.attorneys = {{"J. Doe", "Doe LLP", "2125550199", "", D("2025-04-01"), std::nullopt}};
    d.military_service = {{D("2024-01-01"), D("2025-01-01")}};
    d.normalize();
    CHECK(d.attorneys[0].phone == "+12125550199");
    CHECK(d.open_bankruptcy(D("2025-04-01")) != nullptr);
    CHECK(d.cease_requested("A1", D("2025-05-01")));
    CHECK_FALSE(d.cease_requested("A2", D("2025-05-01")));
    CHECK_FALSE(d.cease_requested("A1", D("2025-04-30")));
    CHECK(d.opted_out(Channel::email, "anything", I("2025-05-15T00:00:00Z")));
    CHECK_FALSE(d.opted_out(Channel::email, "anything", I("2025-06-01T00:00:00Z")));  // withdrawn
    CHECK_FALSE(d.opted_out(Channel::call, "", I("2025-05-15T00:00:00Z")));
    CHECK(d.attorney_represented(D("2025-04-01")));
    CHECK(d.active_duty(D("2024-06-01")));
    CHECK_FALSE(d.active_duty(D("2025-01-01")));
    Debtor bad = debtor();
    bad.bankruptcies = {{9, "", "", D("2025-01-01"), std::nullopt, std::nullopt}};
    CHECK_THROWS_WITH(bad.normalize(), Catch::Contains("bankruptcies[0].chapter: 9"));
    bad = debtor();
    bad.opt_outs = {{Channel::call, "nope", I("2025-01-01T00:00:00Z"), RecordMethod::oral, std::nullopt}};
    CHECK_THROWS_WITH(bad.normalize(), Catch::Contains("opt_outs[0].contact_point_id: 'nope'"));
}

TEST_CASE("inconvenient times cover local minutes, wrapping past midnight", "[debtor][flags]") {
    // Saturdays and Sundays, 21:00 to 10:00 the next morning.
    InconvenientTime t{0b1100000, 21 * 60, 10 * 60, "", D("2025-01-01"), std::nullopt, ""};
    CHECK(t.covers(5, 21 * 60));       // Saturday 21:00
    CHECK(t.covers(6, 9 * 60 + 59));   // Sunday 09:59 (Saturday night)
    CHECK(t.covers(0, 9 * 60));        // Monday 09:00 (Sunday night)
    CHECK_FALSE(t.covers(0, 10 * 60)); // Monday 10:00
    CHECK_FALSE(t.covers(5, 9 * 60));  // Saturday 09:00 (Friday night is not designated)
    CHECK_FALSE(t.covers(4, 22 * 60)); // Friday 22:00
    InconvenientTime work{0b0011111, 9 * 60, 17 * 60, "", D("2025-01-01"), std::nullopt, ""};
    CHECK(work.covers(2, 12 * 60));
    CHECK_FALSE(work.covers(2, 17 * 60));
}

TEST_CASE("the best contact point follows the documented rule", "[debtor][contact]") {
    Debtor d = debtor();
    d.phones = {phone("2125550101", ContactType::home, 90), phone("2125550102", ContactType::mobile, 60),
                phone("2125550103", ContactType::mobile, 60), phone("2125550104", ContactType::work, 99)};
    d.phones[3].status = ContactStatus::bad;  // highest confidence, but bad
    d.normalize();
    // call: not bad; unverified all; highest confidence -> the home phone
    CHECK(d.best_contact_point(Channel::call) == 0u);
    // text: mobile phones only; equal on everything -> first in the list
    CHECK(d.best_contact_point(Channel::text) == 1u);
    // a verified phone beats a more trusted unverified one
    d.phones[2].status = ContactStatus::good;
    CHECK(d.best_contact_point(Channel::call) == 2u);
    // consent given beats no record (even a verified phone); a revocation removes it
    d.phones[1].consents = {{Channel::text, true, I("2025-01-01T00:00:00Z"), RecordMethod::electronic, ""}};
    d.phones[2].consents = {{Channel::text, false, I("2025-02-01T00:00:00Z"), RecordMethod::oral, ""}};
    CHECK(d.best_contact_point(Channel::text) == 1u);
    // before any consent record, the verified phone wins again
    CHECK(d.best_contact_point(Channel::text, I("2024-12-31T00:00:00Z")) == 2u);
    // an opt-out for that phone removes it; one for the whole medium removes all
    d.opt_outs = {{Channel::text, d.phones[1].id, I("2025-03-01T00:00:00Z"), RecordMethod::oral, std::nullopt}};
    CHECK(d.best_contact_point(Channel::text) == std::nullopt);
    CHECK(d.best_contact_point(Channel::text, I("2025-01-20T00:00:00Z")) == 1u);
    // later last_seen breaks a tie of status and confidence
    Debtor m = debtor();
    m.addresses = {address("NY", "10001"), address("NY", "10002")};
    m.addresses[0].last_seen = D("2024-01-01");
    m.addresses[1].last_seen = D("2025-01-01");
    m.normalize();
    CHECK(m.best_contact_point(Channel::mail) == 1u);
    // the source breaks a tie of last_seen: debtor-given beats skip-trace
    m.addresses[1].last_seen = D("2024-01-01");
    m.addresses[1].source = ContactSource::skip_trace;
    CHECK(m.best_contact_point(Channel::mail) == 0u);
    CHECK(m.best_contact_point(Channel::email) == std::nullopt);
}

TEST_CASE("time zones come from the state, narrowed by ZIP", "[time_zones]") {
    auto [state, zip, expected] = GENERATE(table<const char*, const char*, Zones>({
        {"NY", "10001", Zones{"America/New_York"}},
        {"FL", "32301", Zones{"America/New_York"}},                    // Tallahassee
        {"FL", "32501", Zones{"America/Chicago"}},                     // Pensacola
        {"FL", "32456", Zones{"America/New_York"}},                    // Port St. Joe (5-digit row)
        {"TX", "79901", Zones{"America/Denver"}},                      // El Paso
        {"TX", "75201", Zones{"America/Chicago"}},                     // Dallas
        {"AZ", "85004", Zones{"America/Phoenix"}},                     // Phoenix: no DST
        {"AZ", "86515", Zones{"America/Denver", "America/Phoenix"}},   // Window Rock
        {"IN", "46204", Zones{"America/Indiana/Indianapolis"}},
        {"IN", "46320", Zones{"America/Chicago"}},                     // Hammond
        {"IN", "47586", Zones{"America/Indiana/Tell_City"}},
        {"ID", "83814", Zones{"America/Los_Angeles"}},                 // Coeur d'Alene
        {"ID", "83702", Zones{"America/Boise"}},
        {"MI", "49801", Zones{"America/Menominee"}},
        {"OR", "97914", Zones{"America/Boise"}},                       // Ontario, OR
        {"HI", "96813", Zones{"Pacific/Honolulu"}},
        {"PR", "00901", Zones{"America/Puerto_Rico"}},
        {"FL", "", Zones{"America/New_York", "America/Chicago"}},     // no ZIP: every zone
        {"KY", "abcde", Zones{"America/New_York", "America/Chicago"}},
        {"AE", "09001", Zones{}},                                      // military mail
        {"ZZ", "12345", Zones{}},
    }));
    CHECK(time_zones_for_address(state, zip) == expected);
}

TEST_CASE("area codes give their zones; toll-free codes none", "[time_zones]") {
    CHECK(time_zones_for_area_code("212") == Zones{"America/New_York"});
    CHECK(time_zones_for_area_code("850") == Zones{"America/New_York", "America/Chicago"});
    CHECK(time_zones_for_area_code("915") == Zones{"America/Denver"});
    CHECK(time_zones_for_area_code("808") == Zones{"Pacific/Honolulu"});
    CHECK(time_zones_for_area_code("800").empty());
    CHECK(time_zones_for_area_code("999").empty());
    // disagreement -> a list (Pensacola address, New York mobile)
    CHECK(possible_time_zones("FL", "32501", "212") == Zones{"America/Chicago", "America/New_York"});
    Debtor d = debtor();
    d.addresses = {address("FL", "32501")};
    d.phones = {phone("2125550101"), phone("8085550101")};
    d.phones[1].status = ContactStatus::bad;  // a bad number does not locate anyone
    d.normalize();
    CHECK(d.possible_time_zones() == Zones{"America/Chicago", "America/New_York"});
}

TEST_CASE("every zone in the tables is a real IANA zone", "[time_zones]") {
    std::size_t checked = 0;
    auto check = [&](std::string_view zone) {
        INFO(zone);
        CHECK_NOTHROW(date::locate_zone(zone));
        ++checked;
    };
    for (const auto& r : state_time_zone_table())
        for (auto z : r.zones) check(z);
    for (const auto& r : zip_time_zone_table()) {
        CHECK(is_us_state_code(r.state));
        CHECK((r.zip.size() == 3 || r.zip.size() == 5));
        for (auto z : r.zones) check(z);
    }
    for (const auto& r : area_code_time_zone_table()) {
        CHECK(r.area_code.size() == 3);
        CHECK(is_us_state_code(r.state));
        for (auto z : r.zones) check(z);
    }
    CHECK(checked > 400);
    // No area code listed twice.
    auto codes = area_code_time_zone_table();
    std::sort(codes.begin(), codes.end(),
              [](const auto& a, const auto& b) { return a.area_code < b.area_code; });
    for (std::size_t i = 1; i < codes.size(); ++i) CHECK(codes[i - 1].area_code != codes[i].area_code);
}

TEST_CASE("a debtor round-trips through JSON with its SSN whole", "[debtor][json]") {
    Debtor d = debtor();
    d.date_of_birth = D("1980-02-29");
    d.preferred_language = "es";
    d.addresses = {address("NY", "10001")};
    d.phones = {phone("2125550101")};
    d.phones[0].consents = {{Channel::call, true, I("2025-01-01T00:00:00Z"), RecordMethod::oral, "IVR"}};
    Email e;
    e.address = "ana@example.com";
    e.normalize();
    d.emails = {e};
    d.deceased = Deceased{D("2025-05-01"), D("2025-05-10"), "family"};
    d.bankruptcies = {{7, "25-1", "", D("2025-01-01"), D("2025-04-01"), std::nullopt}};
    d.attorneys = {{"J. Doe", "", "", "", D("2025-01-01"), std::nullopt}};
    d.military_service = {{D("2020-01-01"), std::nullopt}};
    d.cease_communications = {{"A1", D("2025-02-01"), RecordMethod::written, std::nullopt}};
    d.opt_outs = {{Channel::email, e.id, I("2025-01-01T00:00:00Z"), RecordMethod::electronic, std::nullopt}};
    d.inconvenient_times = {{0b0011111, 8 * 60, 17 * 60, "", D("2025-01-01"), std::nullopt, "at work"}};
    d.normalize();
    const Json j = d;
    CHECK(j["ssn"] == "123456789");
    const Debtor back = parse_debtor(j);
    CHECK(back == d);
    Json bad = j;
    bad["phones"][0]["number"] = "12";
    CHECK_THROWS_WITH(parse_debtor(bad), Catch::Contains("$.phones[0].number"));
    bad = j;
    bad["ssn"] = "000-00-0000";
    try {
        parse_debtor(bad);
        FAIL("accepted a bad SSN");
    } catch (const ValidationError& err) {
        CHECK(std::string(err.what()).find("$.ssn") != std::string::npos);
    }
}
