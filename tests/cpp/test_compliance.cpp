// Compliance engine: every case here comes from ../shared/reference/regulation-f.md and
// payment-math.md 3.4-3.5 (dates, windows and counts pinned there), not from the implementation.
#include "arrears/compliance_dates.hpp"
#include "arrears/consumer.hpp"
#include "arrears/contact_attempt.hpp"
#include "arrears/contact_batch.hpp"
#include "arrears/contact_policy.hpp"
#include "arrears/error.hpp"
#include "arrears/statute_of_limitations.hpp"
#include "arrears/time_zone.hpp"

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

using namespace arrears;

namespace {

Instant T(const std::string& iso) {
    return parse_instant(iso);
}
std::int64_t S(const std::string& iso) {
    return T(iso).time_since_epoch().count();
}
Date D(const char* iso) {
    return parse_date(iso);
}

const std::vector<std::string> kEastern{"America/New_York"};
const std::vector<std::string> kEasternPacific{"America/New_York", "America/Los_Angeles"};

Consumer person(std::vector<std::string> zones = kEastern) {
    Consumer::Init in;
    in.id = "C1";
    in.time_zones = std::move(zones);
    return Consumer(std::move(in));
}

Consumer with(std::function<void(Consumer::Init&)> edit,
              std::vector<std::string> zones = kEastern) {
    Consumer::Init in;
    in.id = "C1";
    in.time_zones = std::move(zones);
    edit(in);
    return Consumer(std::move(in));
}

ContactAttempt contact(const std::string& at, ContactChannel ch = ContactChannel::call,
                       std::vector<std::string> debts = {"D1"},
                       Outcome outcome = Outcome::connected, Direction dir = Direction::outbound,
                       bool consent = false, TagSet tags = 0) {
    return ContactAttempt("C1", std::move(debts), ch, dir, outcome, T(at), consent, tags);
}
ContactAttempt call(const std::string& at, std::vector<std::string> debts = {"D1"},
                    Outcome outcome = Outcome::connected) {
    return contact(at, ContactChannel::call, std::move(debts), outcome);
}

bool blocked_by(const Decision& d, const std::string& rule) {
    return std::any_of(d.reasons.begin(), d.reasons.end(),
                       [&](const Reason& r) { return r.rule == rule; });
}

std::string iso(const std::optional<Instant>& t) {
    return t ? to_iso(*t) : "never";
}

} // namespace

// ---- time zones --------------------------------------------------------------------------------

TEST_CASE("US DST in 2026 changes on Sun 2026-03-08 and Sun 2026-11-01", "[compliance][tz]") {
    const TimeZone& ny = find_time_zone("America/New_York");
    auto [utc, offset_hours] = GENERATE(table<const char*, int>({
        {"2026-03-08T06:59:59Z", -5},
        {"2026-03-08T07:00:00Z", -4}, // 02:00 EST -> 03:00 EDT
        {"2026-11-01T05:59:59Z", -4},
        {"2026-11-01T06:00:00Z", -5}, // 02:00 EDT -> 01:00 EST
        {"2040-03-11T06:59:59Z", -5}, // beyond the 2037 end of the tzdata file: POSIX footer
        {"2040-03-11T07:00:00Z", -4},
        {"2099-07-01T12:00:00Z", -4},
        {"2099-12-01T12:00:00Z", -5},
    }));
    INFO(utc);
    CHECK(ny.offset_at(S(utc)) == offset_hours * 3600);
}

TEST_CASE("zones without DST keep one offset", "[compliance][tz]") {
    CHECK(find_time_zone("Pacific/Honolulu").offset_at(S("2026-06-10T12:00:00Z")) == -36000);
    CHECK(find_time_zone("America/Phoenix").offset_at(S("2026-06-10T12:00:00Z")) == -25200);
    CHECK(find_time_zone("America/Phoenix").offset_at(S("2050-01-10T12:00:00Z")) == -25200);
}

TEST_CASE("local times that are skipped or repeated map to the documented instant",
          "[compliance][tz]") {
    const TimeZone& ny = find_time_zone("America/New_York");
    const std::int64_t mar8 = days_between(D("1970-01-01"), D("2026-03-08"));
    const std::int64_t nov1 = days_between(D("1970-01-01"), D("2026-11-01"));
    CHECK(ny.at_local(mar8, 2 * 3600 + 1800) == S("2026-03-08T07:00:00Z")); // 02:30 skipped
    CHECK(ny.at_local(mar8, 8 * 3600) == S("2026-03-08T12:00:00Z"));        // 08:00 EDT
    CHECK(ny.at_local(nov1, 1 * 3600 + 1800) == S("2026-11-01T05:30:00Z")); // earlier 01:30
    CHECK(ny.at_local(nov1, 8 * 3600) == S("2026-11-01T13:00:00Z"));        // 08:00 EST
    CHECK(ny.day_start(mar8) == S("2026-03-08T05:00:00Z"));
    CHECK(to_iso(ny.local_date(T("2026-03-10T03:30:00Z"))) == "2026-03-09");
}

TEST_CASE("unknown zone names are rejected with the field", "[compliance][tz]") {
    CHECK_THROWS_WITH(find_time_zone("Mars/Olympus", "time_zones[1]"),
                      Catch::Contains("time_zones[1]") && Catch::Contains("Mars/Olympus"));
    Consumer::Init in;
    in.id = "C1";
    in.time_zones = {"America/New_York", "Nowhere/City"};
    CHECK_THROWS_AS(Consumer(in), ValidationError);
}

// ---- time of day (12 CFR 1006.6(b)(1)(i)) -------------------------------------------------------

TEST_CASE("time of day: [08:00, 21:00) local across the 2026 DST changes", "[compliance][time]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = person();
    auto [utc, allowed] = GENERATE(table<const char*, bool>({
        {"2026-03-07T12:59:59Z", false}, // Sat 07:59:59 EST
        {"2026-03-07T13:00:00Z", true},  // Sat 08:00 EST
        {"2026-03-08T12:00:00Z", true},  // Sun 08:00 EDT (same UTC hour was 07:00 the day before)
        {"2026-03-08T11:59:59Z", false}, // Sun 07:59:59 EDT
        {"2026-03-08T00:59:59Z", true},  // Sat 19:59:59 EST
        {"2026-03-09T00:59:59Z", true},  // Sun 20:59:59 EDT
        {"2026-03-09T01:00:00Z", false}, // Sun 21:00:00 EDT: the end is excluded
        {"2026-10-31T12:30:00Z", true},  // Sat 08:30 EDT
        {"2026-11-01T12:30:00Z", false}, // Sun 07:30 EST
        {"2026-11-01T13:00:00Z", true},  // Sun 08:00 EST
        {"2026-11-01T01:30:00Z", false}, // Sat 21:30 EDT
        {"2026-11-02T01:30:00Z", true},  // Sun 20:30 EST
        {"2026-11-02T02:00:00Z", false}, // Sun 21:00 EST
    }));
    INFO(utc);
    const Decision d = policy.check(c, contact(utc, ContactChannel::text), {});
    CHECK(d.allowed == allowed);
    if (!allowed) CHECK(blocked_by(d, "reg_f.time_of_day"));
}

TEST_CASE("Eastern plus Pacific allows 11:00-21:00 Eastern (08:00-18:00 Pacific)",
          "[compliance][time]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = person(kEasternPacific);
    auto [utc, allowed] = GENERATE(table<const char*, bool>({
        {"2026-06-10T14:59:59Z", false}, // 10:59:59 EDT = 07:59:59 PDT
        {"2026-06-10T15:00:00Z", true},  // 11:00 EDT = 08:00 PDT
        {"2026-06-11T00:59:59Z", true},  // 20:59:59 EDT = 17:59:59 PDT
        {"2026-06-11T01:00:00Z", false}, // 21:00 EDT = 18:00 PDT
        {"2026-01-14T15:59:59Z", false}, // 10:59:59 EST = 07:59:59 PST
        {"2026-01-14T16:00:00Z", true},  // 11:00 EST = 08:00 PST
        {"2026-01-15T01:59:59Z", true},  // 20:59:59 EST
        {"2026-01-15T02:00:00Z", false}, // 21:00 EST
    }));
    INFO(utc);
    CHECK(policy.check(c, contact(utc), {}).allowed == allowed);
}

TEST_CASE("no known location: 18:00-01:00 UTC in June, 18:00-02:00 UTC in January 2026",
          "[compliance][time]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = person({});
    auto [utc, allowed] = GENERATE(table<const char*, bool>({
        {"2026-06-10T17:59:59Z", false}, // 07:59:59 HST
        {"2026-06-10T18:00:00Z", true},  // 14:00 EDT, 08:00 HST
        {"2026-06-11T00:59:59Z", true},
        {"2026-06-11T01:00:00Z", false}, // 21:00 EDT
        {"2026-01-14T17:59:59Z", false},
        {"2026-01-14T18:00:00Z", true}, // 13:00 EST, 08:00 HST
        {"2026-01-15T01:59:59Z", true},
        {"2026-01-15T02:00:00Z", false}, // 21:00 EST
    }));
    INFO(utc);
    const Decision d = policy.check(c, contact(utc, ContactChannel::email), {});
    CHECK(d.allowed == allowed);
    if (!allowed) CHECK_THAT(d.reasons.at(0).message, Catch::Contains("location is unknown"));
}

TEST_CASE("next allowed window for an unknown location is the all-zone intersection",
          "[compliance][time]") {
    const auto policy = ContactPolicy::regulation_f();
    const auto w = policy.next_window(person({}), contact("2026-06-10T12:00:00Z"), {});
    REQUIRE(w);
    CHECK(to_iso(w->start) == "2026-06-10T18:00:00Z");
    REQUIRE(w->end);
    CHECK(to_iso(*w->end) == "2026-06-11T01:00:00Z");
    const auto w2 =
        policy.next_window(person(kEasternPacific), contact("2026-06-11T01:00:00Z"), {});
    REQUIRE(w2);
    CHECK(to_iso(w2->start) == "2026-06-11T15:00:00Z");
    CHECK(to_iso(*w2->end) == "2026-06-12T01:00:00Z");
    // An allowed contact is allowed at its own instant.
    CHECK(iso(policy.next_allowed(person(), contact("2026-06-10T15:00:00Z"), {})) ==
          "2026-06-10T15:00:00Z");
}

TEST_CASE("next allowed across the spring-forward night is 08:00 EDT", "[compliance][time]") {
    const auto policy = ContactPolicy::regulation_f();
    // Sat 2026-03-07 22:00 EST -> Sun 08:00 EDT = 12:00Z (not 13:00Z as the day before).
    CHECK(iso(policy.next_allowed(person(), contact("2026-03-08T03:00:00Z"), {})) ==
          "2026-03-08T12:00:00Z");
    // Sat 2026-10-31 22:00 EDT -> Sun 08:00 EST = 13:00Z.
    CHECK(iso(policy.next_allowed(person(), contact("2026-11-01T02:00:00Z"), {})) ==
          "2026-11-01T13:00:00Z");
}

TEST_CASE("consumer-designated inconvenient times are blocked in every zone",
          "[compliance][time]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = with([](Consumer::Init& in) {
        in.inconvenient = {{9 * 3600, 17 * 3600}}; // at work 09:00-17:00
    });
    CHECK(policy.check(c, call("2026-06-10T12:59:00Z"), {}).allowed);     // 08:59 EDT
    const Decision d = policy.check(c, call("2026-06-10T13:00:00Z"), {}); // 09:00 EDT
    CHECK_FALSE(d.allowed);
    CHECK(blocked_by(d, "reg_f.inconvenient_time"));
    CHECK(d.reasons.at(0).citation == "12 CFR 1006.6(b)(1)(i)");
    CHECK(policy.check(c, call("2026-06-10T21:00:00Z"), {}).allowed); // 17:00 EDT
    CHECK(iso(policy.next_allowed(c, call("2026-06-10T14:00:00Z"), {})) == "2026-06-10T21:00:00Z");
    const auto w = policy.next_window(c, call("2026-06-10T12:00:00Z"), {});
    REQUIRE(w);
    CHECK(to_iso(*w->end) == "2026-06-10T13:00:00Z"); // the window closes at 09:00 EDT

    // A range across midnight, two zones: 19:00-09:00 local anywhere.
    const Consumer night = with(
        [](Consumer::Init& in) { in.inconvenient = {{19 * 3600, 9 * 3600}}; }, kEasternPacific);
    CHECK_FALSE(policy.check(night, call("2026-06-10T15:30:00Z"), {}).allowed); // 08:30 PDT
    CHECK(policy.check(night, call("2026-06-10T16:00:00Z"), {}).allowed);       // 09:00 PDT
    CHECK_FALSE(policy.check(night, call("2026-06-10T23:00:00Z"), {}).allowed); // 19:00 EDT
}

TEST_CASE("one reply to a consumer contact at a designated inconvenient time",
          "[compliance][time]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = with([](Consumer::Init& in) { in.inconvenient = {{9 * 3600, 17 * 3600}}; });
    const auto inbound =
        contact("2026-06-10T14:00:00Z", ContactChannel::email, {"D1"}, Outcome::delivered,
                Direction::inbound); // 10:00 EDT
    const auto reply =
        contact("2026-06-10T14:30:00Z", ContactChannel::email, {"D1"}, Outcome::delivered,
                Direction::outbound, false, tag_bit(ContactTag::reply));
    CHECK(policy.check(c, reply, {inbound}).allowed);
    const auto second =
        contact("2026-06-10T15:00:00Z", ContactChannel::email, {"D1"}, Outcome::delivered,
                Direction::outbound, false, tag_bit(ContactTag::reply));
    CHECK_FALSE(policy.check(c, second, {inbound, reply}).allowed);
    // The consumer wrote at a convenient time: no exception at an inconvenient one.
    const auto evening =
        contact("2026-06-10T22:00:00Z", ContactChannel::email, {"D1"}, Outcome::delivered,
                Direction::inbound); // 18:00 EDT
    const auto late_reply =
        contact("2026-06-11T14:00:00Z", ContactChannel::email, {"D1"}, Outcome::delivered,
                Direction::outbound, false, tag_bit(ContactTag::reply));
    CHECK_FALSE(policy.check(c, late_reply, {evening}).allowed);
}

// ---- call frequency (12 CFR 1006.14(b))
// -----------------------------------------------------------

namespace {
// Calls at 15:00 UTC (10:00/11:00 local in New York) on 2026-03-{first..last}.
std::vector<ContactAttempt> daily_calls(int first, int last,
                                        std::vector<std::string> debts = {"D1"}) {
    std::vector<ContactAttempt> out;
    for (int d = first; d <= last; ++d)
        out.push_back(call(
            "2026-03-" + std::string(d < 10 ? "0" : "") + std::to_string(d) + "T15:00:00Z", debts));
    return out;
}
} // namespace

TEST_CASE("the 7th call in 7 days is allowed, the 8th is blocked", "[compliance][frequency]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = person();
    auto h = daily_calls(2, 7); // six calls, 2026-03-02 .. 03-07
    const Decision seventh = policy.check(c, call("2026-03-08T16:00:00Z"), h);
    CHECK(seventh.allowed);
    h.push_back(call("2026-03-08T16:00:00Z"));
    const Decision eighth = policy.check(c, call("2026-03-08T18:00:00Z"), h);
    CHECK_FALSE(eighth.allowed);
    REQUIRE(eighth.reasons.size() == 1);
    CHECK(eighth.reasons[0].rule == "reg_f.call_frequency");
    CHECK(eighth.reasons[0].citation == "12 CFR 1006.14(b)(2)(i)(A)");
    CHECK_THAT(eighth.reasons[0].message, Catch::Contains("7 calls") && Catch::Contains("'D1'"));
    // The call of 03-02 leaves the window on 03-09, at 08:00 EDT (the time-of-day rule).
    CHECK(iso(policy.next_allowed(c, call("2026-03-08T18:00:00Z"), h)) == "2026-03-09T12:00:00Z");
    // Seven calls on the same day also fill the window.
    std::vector<ContactAttempt> same_day;
    for (int hh = 13; hh < 20; ++hh)
        same_day.push_back(call("2026-03-10T" + std::to_string(hh) + ":00:00Z"));
    CHECK_FALSE(policy.check(c, call("2026-03-10T21:00:00Z"), same_day).allowed);
    CHECK(iso(policy.next_allowed(c, call("2026-03-10T21:00:00Z"), same_day)) ==
          "2026-03-17T12:00:00Z");
}

TEST_CASE("calls that do not count toward 7 in 7", "[compliance][frequency]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = person();
    auto h = daily_calls(2, 7);
    SECTION("not connected") {
        h.push_back(call("2026-03-08T14:00:00Z", {"D1"}, Outcome::not_connected));
        CHECK(policy.check(c, call("2026-03-08T16:00:00Z"), h).allowed);
    }
    SECTION("inbound calls") {
        h.push_back(contact("2026-03-08T14:00:00Z", ContactChannel::call, {"D1"},
                            Outcome::connected, Direction::inbound));
        CHECK(policy.check(c, call("2026-03-08T16:00:00Z"), h).allowed);
    }
    SECTION("calls about another debt") {
        h.push_back(call("2026-03-08T14:00:00Z", {"D2"}));
        CHECK(policy.check(c, call("2026-03-08T16:00:00Z"), h).allowed);
        CHECK_FALSE(policy.check(c, call("2026-03-08T16:00:00Z", {"D2"}), daily_calls(2, 8, {"D2"}))
                        .allowed);
    }
    SECTION("texts and emails are outside (b)(2)") {
        h.push_back(
            contact("2026-03-08T14:00:00Z", ContactChannel::text, {"D1"}, Outcome::delivered));
        CHECK(policy.check(c, call("2026-03-08T16:00:00Z"), h).allowed);
    }
    SECTION("a connected call that left a message counts") {
        h.push_back(call("2026-03-08T14:00:00Z", {"D1"}, Outcome::left_message));
        CHECK_FALSE(policy.check(c, call("2026-03-08T16:00:00Z"), h).allowed);
    }
    SECTION("a call about several debts counts against each") {
        h.push_back(call("2026-03-08T14:00:00Z", {"D1", "D2"}));
        CHECK_FALSE(policy.check(c, call("2026-03-08T16:00:00Z"), h).allowed);
        const Decision d = policy.check(c, call("2026-03-08T16:00:00Z", {"D2", "D1"}), h);
        CHECK_FALSE(d.allowed);
        CHECK(d.reasons.size() == 1); // only D1 is over
    }
}

TEST_CASE("the window is 7 consecutive local dates, not UTC dates", "[compliance][frequency]") {
    const auto policy = ContactPolicy::regulation_f();
    // 2026-03-03T03:30Z is 2026-03-02 22:30 in New York: outside the window of 03-09.
    std::vector<ContactAttempt> h{call("2026-03-03T03:30:00Z")};
    for (const auto& x : daily_calls(4, 9))
        h.push_back(x);
    CHECK(policy.check(person(), call("2026-03-09T18:00:00Z"), h).allowed);
    // For a consumer who may be in Honolulu too, 22:30 EST is 17:30 HST on 03-02 as well;
    // in UTC it would have been 03-03 and blocked.
    CHECK(policy
              .check(person({"America/New_York", "Pacific/Honolulu"}), call("2026-03-09T19:00:00Z"),
                     h)
              .allowed);
}

TEST_CASE("two possible zones: the date that counts in either zone counts",
          "[compliance][frequency]") {
    const auto policy = ContactPolicy::regulation_f();
    // 2026-03-10T06:30Z is 03-10 02:30 EDT but 03-09 23:30 PDT.
    std::vector<ContactAttempt> h{call("2026-03-10T06:30:00Z")};
    for (const auto& x : daily_calls(11, 16))
        h.push_back(x);
    const auto proposed = call("2026-03-16T17:00:00Z"); // 13:00 EDT, 10:00 PDT
    CHECK(policy.check(person({"America/Los_Angeles"}), proposed, h).allowed);    // 6 in window
    CHECK_FALSE(policy.check(person({"America/New_York"}), proposed, h).allowed); // 7 in window
    CHECK_FALSE(policy.check(person(kEasternPacific), proposed, h).allowed);      // stricter wins
}

TEST_CASE("7 in 7 across the March DST change", "[compliance][frequency]") {
    const auto policy = ContactPolicy::regulation_f();
    // One call a day at 12:30 local, 2026-03-05 .. 03-11 (EST then EDT).
    std::vector<ContactAttempt> h;
    for (int d = 5; d <= 11; ++d) {
        const bool edt = d >= 8;
        h.push_back(call("2026-03-" + std::string(d < 10 ? "0" : "") + std::to_string(d) +
                         (edt ? "T16:30:00Z" : "T17:30:00Z")));
    }
    CHECK_FALSE(policy.check(person(), call("2026-03-11T20:00:00Z"), h).allowed);
    // 03-05 leaves the window on 03-12, which starts at 00:00 EDT; 08:00 EDT = 12:00Z.
    CHECK(iso(policy.next_allowed(person(), call("2026-03-11T20:00:00Z"), h)) ==
          "2026-03-12T12:00:00Z");
}

TEST_CASE("after a conversation no calls about the debt for 7 days, its date being day 1",
          "[compliance][conversation]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = person();
    const std::vector<ContactAttempt> h{
        call("2026-03-10T14:00:00Z", {"D1"}, Outcome::conversation)};
    auto [utc, allowed] = GENERATE(table<const char*, bool>({
        {"2026-03-10T20:00:00Z", false}, // later the same day (16:00 EDT)
        {"2026-03-13T15:00:00Z", false},
        {"2026-03-16T15:00:00Z", false}, // day 7
        {"2026-03-17T00:59:00Z", false}, // 03-16 20:59 EDT, still day 7
        {"2026-03-17T12:00:00Z", true},  // 03-17 08:00 EDT: the period has ended
    }));
    INFO(utc);
    const Decision d = policy.check(c, call(utc), h);
    CHECK(d.allowed == allowed);
    if (!allowed) {
        CHECK(blocked_by(d, "reg_f.call_after_conversation"));
        CHECK(d.reasons.at(0).citation == "12 CFR 1006.14(b)(2)(i)(B)");
    }
    CHECK(iso(policy.next_allowed(c, call("2026-03-10T20:00:00Z"), h)) == "2026-03-17T12:00:00Z");
}

TEST_CASE("conversation prong: inbound, other debts, several debts, texts",
          "[compliance][conversation]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = person();
    const auto inbound = contact("2026-03-10T14:00:00Z", ContactChannel::call, {"D1"},
                                 Outcome::conversation, Direction::inbound);
    CHECK_FALSE(policy.check(c, call("2026-03-12T15:00:00Z"), {inbound}).allowed);
    CHECK(policy.check(c, call("2026-03-12T15:00:00Z", {"D2"}), {inbound}).allowed);
    const auto both = call("2026-03-10T14:00:00Z", {"D1", "D2"}, Outcome::conversation);
    CHECK_FALSE(policy.check(c, call("2026-03-12T15:00:00Z", {"D2"}), {both}).allowed);
    // Texts and emails are not telephone calls: (b)(2) does not restrict them.
    CHECK(policy.check(c, contact("2026-03-12T15:00:00Z", ContactChannel::text, {"D1"}), {inbound})
              .allowed);
    // A voicemail drop is treated as a call.
    CHECK_FALSE(
        policy.check(c, contact("2026-03-12T15:00:00Z", ContactChannel::voicemail), {inbound})
            .allowed);
}

TEST_CASE("calls with consent given directly within 7 days do not count", "[compliance][consent]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = person();
    // A conversation on 03-10 in which the consumer asks to be called back: consent on 03-10.
    const auto consented = contact("2026-03-10T14:00:00Z", ContactChannel::call, {"D1"},
                                   Outcome::conversation, Direction::inbound, true);
    CHECK(policy.check(c, call("2026-03-11T15:00:00Z"), {consented}).allowed);
    CHECK(policy.check(c, call("2026-03-17T00:30:00Z"), {consented}).allowed); // 03-16, day 7
    CHECK(policy.check(c, call("2026-03-17T12:00:00Z"), {consented}).allowed); // 03-17: the
    // conversation period has ended too.
    // Seven calls already this week; consent on 03-10 makes calls through 03-16 not count.
    auto h = daily_calls(4, 10);
    CHECK_FALSE(policy.check(c, call("2026-03-10T18:00:00Z"), h).allowed);
    h.push_back(contact("2026-03-10T16:00:00Z", ContactChannel::email, {"D1"}, Outcome::delivered,
                        Direction::inbound, true));
    CHECK(policy.check(c, call("2026-03-10T18:00:00Z"), h).allowed);
    CHECK(policy.check(c, call("2026-03-16T18:00:00Z"), h).allowed);
    // Consent about another debt does not help; consent given after the call does not either.
    auto h2 = daily_calls(4, 10);
    h2.push_back(contact("2026-03-10T16:00:00Z", ContactChannel::email, {"D2"}, Outcome::delivered,
                         Direction::inbound, true));
    CHECK_FALSE(policy.check(c, call("2026-03-10T18:00:00Z"), h2).allowed);
    auto h3 = daily_calls(4, 10);
    h3.push_back(contact("2026-03-10T19:00:00Z", ContactChannel::email, {"D1"}, Outcome::delivered,
                         Direction::inbound, true));
    CHECK_FALSE(policy.check(c, call("2026-03-10T18:00:00Z"), h3).allowed);
    // The consent window ends the allowed window: the call on 03-16 is allowed until midnight
    // only because of consent, and 21:00 EDT comes first.
    const auto w = policy.next_window(c, call("2026-03-16T18:00:00Z"), h);
    REQUIRE(w);
    CHECK(to_iso(*w->end) == "2026-03-17T01:00:00Z");
}

// ---- cease, opt-out, dispute, attorney, bankruptcy, deceased, time-barred -----------------------

TEST_CASE("cease: every medium blocked for that debt except the (c)(2) notices",
          "[compliance][cease]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = with([](Consumer::Init& in) { in.cease = {"D1"}; });
    const std::string at = "2026-06-10T15:00:00Z";
    for (ContactChannel ch : {ContactChannel::call, ContactChannel::text, ContactChannel::email,
                              ContactChannel::letter, ContactChannel::voicemail}) {
        INFO(to_string(ch));
        const Decision d = policy.check(c, contact(at, ch), {});
        CHECK_FALSE(d.allowed);
        CHECK(blocked_by(d, "reg_f.cease"));
        CHECK(d.reasons.at(0).citation == "12 CFR 1006.6(c)");
    }
    for (ContactTag tag :
         {ContactTag::terminating_efforts, ContactTag::remedy_notice, ContactTag::remedy_intent})
        CHECK(policy
                  .check(c,
                         contact(at, ContactChannel::letter, {"D1"}, Outcome::delivered,
                                 Direction::outbound, false, tag_bit(tag)),
                         {})
                  .allowed);
    CHECK_FALSE(policy
                    .check(c,
                           contact(at, ContactChannel::letter, {"D1"}, Outcome::delivered,
                                   Direction::outbound, false, tag_bit(ContactTag::reply)),
                           {})
                    .allowed);
    CHECK(policy.check(c, call(at, {"D2"}), {}).allowed);
    CHECK_FALSE(policy.check(c, call(at, {"D2", "D1"}), {}).allowed);
    CHECK_FALSE(policy.next_allowed(c, call(at), {}));
}

TEST_CASE("medium opt-out: one confirmation, one reply", "[compliance][opt_out]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = with([](Consumer::Init& in) {
        in.opted_out = channel_bit(ContactChannel::email) | channel_bit(ContactChannel::call);
    });
    const std::string at = "2026-06-10T15:00:00Z";
    const auto confirm =
        contact(at, ContactChannel::email, {"D1"}, Outcome::delivered, Direction::outbound, false,
                tag_bit(ContactTag::opt_out_confirmation));
    CHECK_FALSE(policy.check(c, contact(at, ContactChannel::email), {}).allowed);
    CHECK(policy.check(c, confirm, {}).allowed);
    CHECK_FALSE(policy.check(c, confirm, {confirm}).allowed); // only one
    // The confirmation is electronic: not by call.
    CHECK_FALSE(
        policy
            .check(c,
                   contact(at, ContactChannel::call, {"D1"}, Outcome::connected,
                           Direction::outbound, false, tag_bit(ContactTag::opt_out_confirmation)),
                   {})
            .allowed);
    // The consumer emails in: one reply by email.
    const auto inbound = contact("2026-06-10T14:00:00Z", ContactChannel::email, {"D1"},
                                 Outcome::delivered, Direction::inbound);
    const auto reply = contact(at, ContactChannel::email, {"D1"}, Outcome::delivered,
                               Direction::outbound, false, tag_bit(ContactTag::reply));
    CHECK(policy.check(c, reply, {inbound}).allowed);
    CHECK_FALSE(policy.check(c, reply, {}).allowed);
    CHECK_FALSE(policy
                    .check(c,
                           contact("2026-06-10T16:00:00Z", ContactChannel::email, {"D1"},
                                   Outcome::delivered, Direction::outbound, false,
                                   tag_bit(ContactTag::reply)),
                           {inbound, reply})
                    .allowed);
    // A new inbound email allows a new reply.
    const auto inbound2 = contact("2026-06-10T17:00:00Z", ContactChannel::email, {"D1"},
                                  Outcome::delivered, Direction::inbound);
    CHECK(policy
              .check(c,
                     contact("2026-06-10T18:00:00Z", ContactChannel::email, {"D1"},
                             Outcome::delivered, Direction::outbound, false,
                             tag_bit(ContactTag::reply)),
                     {inbound, reply, inbound2})
              .allowed);
    // Opting out of calls covers voicemail; texts and letters stay open.
    CHECK_FALSE(policy.check(c, contact(at, ContactChannel::voicemail), {}).allowed);
    CHECK(policy.check(c, contact(at, ContactChannel::text), {}).allowed);
    CHECK(policy.check(c, contact(at, ContactChannel::letter), {}).allowed);
    CHECK(blocked_by(policy.check(c, contact(at, ContactChannel::email), {}),
                     "reg_f.medium_opt_out"));
    CHECK_FALSE(policy.next_allowed(c, contact(at, ContactChannel::email), {}));
}

TEST_CASE("a dispute pauses collection on that debt until verification", "[compliance][dispute]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = with([](Consumer::Init& in) { in.disputed = {"D1"}; });
    const std::string at = "2026-06-10T15:00:00Z";
    const Decision d = policy.check(c, contact(at, ContactChannel::letter), {});
    CHECK_FALSE(d.allowed);
    CHECK(blocked_by(d, "reg_f.dispute_pause"));
    CHECK(d.reasons.at(0).citation == "12 CFR 1006.38(d)(2)");
    CHECK(policy
              .check(c,
                     contact(at, ContactChannel::letter, {"D1"}, Outcome::delivered,
                             Direction::outbound, false, tag_bit(ContactTag::verification)),
                     {})
              .allowed);
    CHECK(policy.check(c, call(at, {"D2"}), {}).allowed);
    CHECK_FALSE(policy.next_allowed(c, call(at), {}));
}

TEST_CASE("dispute assessment: within the validation period, later, oral, verified",
          "[compliance][dispute]") {
    const auto reg_f = ContactPolicy::regulation_f();
    const auto nyc = ContactPolicy::for_state("NYC");
    const Date end = D("2026-08-09");
    CHECK(reg_f.assess_dispute(D("2026-08-09"), end, true, std::nullopt).pauses_collection);
    CHECK(reg_f.assess_dispute(D("2026-07-20"), end, true, std::nullopt).pauses_collection);
    const auto late = reg_f.assess_dispute(D("2026-08-10"), end, true, std::nullopt);
    CHECK_FALSE(late.pauses_collection);
    CHECK(late.mark_disputed);
    CHECK(late.reasons.back().citation == "15 U.S.C. 1692e(8)");
    CHECK_FALSE(reg_f.assess_dispute(D("2026-07-20"), end, false, std::nullopt).pauses_collection);
    CHECK(nyc.assess_dispute(D("2026-07-20"), end, false, std::nullopt).pauses_collection);
    CHECK_FALSE(
        reg_f.assess_dispute(D("2026-07-20"), end, true, D("2026-07-30")).pauses_collection);
    CHECK_THROWS_WITH(reg_f.assess_dispute(D("2026-07-20"), end, true, D("2026-07-19")),
                      Catch::Contains("verification_sent"));
}

TEST_CASE("attorney, bankruptcy and deceased block every contact, with the reason",
          "[compliance][status]") {
    const auto policy = ContactPolicy::regulation_f();
    const std::string at = "2026-06-10T15:00:00Z";
    auto [flag, rule] = GENERATE(table<int, std::string>(
        {{0, "reg_f.attorney"}, {1, "bankruptcy.automatic_stay"}, {2, "reg_f.deceased"}}));
    const Consumer c = with([flag = flag](Consumer::Init& in) {
        in.attorney = flag == 0;
        in.bankruptcy = flag == 1;
        in.deceased = flag == 2;
    });
    const Decision d = policy.check(c, contact(at, ContactChannel::letter), {});
    CHECK_FALSE(d.allowed);
    REQUIRE(d.reasons.size() == 1);
    CHECK(d.reasons[0].rule == rule);
    CHECK_FALSE(d.reasons[0].citation.empty());
    CHECK_FALSE(d.reasons[0].message.empty());
    CHECK_FALSE(policy.next_allowed(c, call(at), {}));
    CHECK_THROWS_AS(d.raise_if_blocked(), ComplianceError);
}

TEST_CASE("time-barred debt: no legal action or threat of suit", "[compliance][time_barred]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = with([](Consumer::Init& in) { in.time_barred = {"D1"}; });
    const std::string at = "2026-06-10T15:00:00Z";
    auto letter = [&](TagSet tags, std::vector<std::string> debts = {"D1"}) {
        return contact(at, ContactChannel::letter, std::move(debts), Outcome::delivered,
                       Direction::outbound, false, tags);
    };
    CHECK(policy.check(c, letter(0), {}).allowed);
    const Decision d = policy.check(c, letter(tag_bit(ContactTag::threat_of_suit)), {});
    CHECK_FALSE(d.allowed);
    CHECK(blocked_by(d, "reg_f.time_barred_suit"));
    CHECK(d.reasons.at(0).citation == "12 CFR 1006.26(b)");
    CHECK(policy.check(c, letter(tag_bit(ContactTag::threat_of_suit), {"D2"}), {}).allowed);
    CHECK_FALSE(policy.check_action(c, {"D1"}, tag_bit(ContactTag::legal_action)).allowed);
    CHECK(policy
              .check_action(c, {"D1"},
                            tag_bit(ContactTag::legal_action) | tag_bit(ContactTag::proof_of_claim))
              .allowed);
    CHECK(policy.check_action(c, {"D2"}, tag_bit(ContactTag::legal_action)).allowed);
    const Consumer bankrupt = with([](Consumer::Init& in) { in.bankruptcy = true; });
    CHECK_FALSE(policy.check_action(bankrupt, {"D2"}, tag_bit(ContactTag::legal_action)).allowed);
    CHECK(policy.check_action(bankrupt, {"D2"}, tag_bit(ContactTag::proof_of_claim)).allowed);
}

// ---- state and local overlays (reference 1.12) --------------------------------------------------

TEST_CASE("Massachusetts: 2 telephone communications per debt in 7 days", "[compliance][overlay]") {
    const auto ma = ContactPolicy::for_state("MA");
    const auto reg_f = ContactPolicy::regulation_f();
    const Consumer c = person();
    std::vector<ContactAttempt> h{
        call("2026-03-09T15:00:00Z"),
        contact("2026-03-10T15:00:00Z", ContactChannel::text, {"D1"}, Outcome::delivered)};
    const Decision d = ma.check(c, call("2026-03-11T15:00:00Z"), h);
    CHECK_FALSE(d.allowed);
    CHECK(blocked_by(d, "ma.telephone_frequency"));
    CHECK(d.reasons.at(0).citation == "940 CMR 7.04(1)(f)");
    CHECK(reg_f.check(c, call("2026-03-11T15:00:00Z"), h).allowed);      // Reg F alone allows it
    CHECK(ma.check(c, call("2026-03-11T15:00:00Z", {"D2"}), h).allowed); // per debt
    CHECK(ma.check(c, contact("2026-03-11T15:00:00Z", ContactChannel::email), h)
              .allowed); // not telephone
    h[0] = call("2026-03-09T15:00:00Z", {"D1"}, Outcome::not_connected);
    CHECK(ma.check(c, call("2026-03-11T15:00:00Z"), h).allowed);
    // Rolling 7 days: the call of 03-09 leaves the window on 03-16.
    h[0] = call("2026-03-09T15:00:00Z");
    CHECK(iso(ma.next_allowed(c, call("2026-03-11T15:00:00Z"), h)) == "2026-03-16T12:00:00Z");
    // No consent exception in Massachusetts.
    h.push_back(contact("2026-03-10T16:00:00Z", ContactChannel::email, {"D1"}, Outcome::delivered,
                        Direction::inbound, true));
    CHECK_FALSE(ma.check(c, call("2026-03-11T15:00:00Z"), h).allowed);
}

TEST_CASE("New York City: 3 attempted communications per consumer in 7 days, all media",
          "[compliance][overlay]") {
    const auto nyc = ContactPolicy::for_state("NYC");
    const Consumer c = person();
    const std::vector<ContactAttempt> h{
        contact("2026-03-09T15:00:00Z", ContactChannel::letter, {"D1"}, Outcome::delivered),
        contact("2026-03-10T15:00:00Z", ContactChannel::email, {"D2"}, Outcome::delivered),
        call("2026-03-11T15:00:00Z", {"D3"}, Outcome::not_connected), // attempts count
    };
    const Decision d = nyc.check(c, call("2026-03-12T15:00:00Z", {"D4"}), h);
    CHECK_FALSE(d.allowed);
    CHECK(blocked_by(d, "nyc.communication_frequency"));
    CHECK(d.reasons.at(0).citation == "6 RCNY 5-77");
    CHECK(ContactPolicy::regulation_f().check(c, call("2026-03-12T15:00:00Z", {"D4"}), h).allowed);
    // A letter about three debts is one attempt.
    const std::vector<ContactAttempt> h2{
        contact("2026-03-09T15:00:00Z", ContactChannel::letter, {"D1", "D2", "D3"},
                Outcome::delivered),
        contact("2026-03-10T15:00:00Z", ContactChannel::email, {"D2"}, Outcome::delivered)};
    CHECK(nyc.check(c, call("2026-03-12T15:00:00Z", {"D4"}), h2).allowed);
    CHECK(iso(nyc.next_allowed(c, call("2026-03-12T15:00:00Z", {"D4"}), h)) ==
          "2026-03-16T12:00:00Z");
}

TEST_CASE("Washington: 3 communications a week; 07:30 start loses to Reg F's 08:00",
          "[compliance][overlay]") {
    const auto wa = ContactPolicy::for_state("WA");
    const Consumer c = person({"America/Los_Angeles"});
    // 07:15 PDT: both rules block; 07:45 PDT: only Regulation F does.
    const Decision early = wa.check(c, call("2026-06-10T14:15:00Z"), {});
    CHECK(blocked_by(early, "wa.time_of_day"));
    CHECK(blocked_by(early, "reg_f.time_of_day"));
    const Decision later = wa.check(c, call("2026-06-10T14:45:00Z"), {});
    CHECK_FALSE(later.allowed);
    CHECK_FALSE(blocked_by(later, "wa.time_of_day"));
    CHECK(blocked_by(later, "reg_f.time_of_day"));
    CHECK(wa.check(c, call("2026-06-10T15:00:00Z"), {}).allowed);
    const std::vector<ContactAttempt> h{
        contact("2026-06-08T17:00:00Z", ContactChannel::letter, {"D1"}, Outcome::delivered),
        contact("2026-06-09T17:00:00Z", ContactChannel::text, {"D2"}, Outcome::delivered),
        call("2026-06-09T18:00:00Z", {"D1"}, Outcome::not_connected), // not a communication
        call("2026-06-10T16:00:00Z", {"D2"}, Outcome::left_message)};
    const Decision d = wa.check(c, call("2026-06-10T18:00:00Z"), h);
    CHECK_FALSE(d.allowed);
    CHECK(blocked_by(d, "wa.communication_frequency"));
    CHECK(d.reasons.at(0).citation == "RCW 19.16.250");
}

TEST_CASE("overlays: codes, unknown states, several at once", "[compliance][overlay]") {
    CHECK(ContactPolicy::overlay_codes() == std::vector<std::string>{"MA", "NYC", "WA"});
    const auto ca = ContactPolicy::for_state("CA");
    CHECK(ca.overlays().empty());
    CHECK(ca.rules().size() == ContactPolicy::regulation_f().rules().size());
    CHECK_THROWS_WITH(ContactPolicy::for_state("ZZ"), Catch::Contains("'ZZ'"));
    const auto both = ContactPolicy::for_states({"ma", "WA"});
    CHECK(both.overlays() == std::vector<std::string>{"MA", "WA"});
    CHECK_NOTHROW(both.rule("ma.telephone_frequency"));
    CHECK_NOTHROW(both.rule("wa.time_of_day"));
    CHECK_THROWS_AS(both.rule("nyc.communication_frequency"), NotFoundError);
}

TEST_CASE("overlays merge onto any base, each code once", "[compliance][overlay]") {
    const auto ma = ContactPolicy::for_state("MA");
    CHECK(ContactPolicy::regulation_f().with_overlays({"MA"}) == ma);
    CHECK(ma.with_overlays({"ma"}) == ma);  // already applied: nothing added twice
    CHECK(ma.with_overlays({"WA"}) == ContactPolicy::for_states({"MA", "WA"}));
    Json house = ContactPolicy::regulation_f().to_json();
    house["name"] = "House rules";
    house["rules"] = Json::array({house["rules"][0]});
    const auto merged = ContactPolicy::from_json(JsonView(house)).with_overlays({"MA"});
    CHECK(merged.name() == "House rules + " + ContactPolicy::overlay_json("MA").at("name").get<std::string>());
    CHECK(merged.overlays() == std::vector<std::string>{"MA"});
    CHECK(merged.rules().size() == 1 + ContactPolicy::overlay_json("MA").at("rules").size());
    CHECK(merged.rules()[0].id == ContactPolicy::regulation_f().rules()[0].id);
}

// ---- policy JSON -----------------------------------------------------------------------------

TEST_CASE("policies round-trip through JSON and reject bad documents with the JSON path",
          "[compliance][json]") {
    const auto ma = ContactPolicy::for_state("MA");
    CHECK(ContactPolicy::parse(ma.to_json().dump()) == ma);
    for (const auto& r : ma.rules()) {
        INFO(r.id);
        CHECK_FALSE(r.citation.empty());
        CHECK_FALSE(r.summary.empty());
    }
    Json j = ContactPolicy::regulation_f().to_json();
    j["rules"][0]["maxx"] = 3;
    CHECK_THROWS_WITH(ContactPolicy::from_json(JsonView(j)),
                      Catch::Contains("$.rules[0]") && Catch::Contains("maxx"));
    j = ContactPolicy::regulation_f().to_json();
    j["rules"][0]["max"] = 0;
    CHECK_THROWS_WITH(ContactPolicy::from_json(JsonView(j)), Catch::Contains("$.rules[0].max"));
    j = ContactPolicy::regulation_f().to_json();
    j["rules"][2]["start"] = "8am";
    CHECK_THROWS_WITH(ContactPolicy::from_json(JsonView(j)), Catch::Contains("$.rules[2].start"));
    j = ContactPolicy::regulation_f().to_json();
    j["rules"][1]["id"] = j["rules"][0]["id"];
    CHECK_THROWS_WITH(ContactPolicy::from_json(JsonView(j)), Catch::Contains("duplicate rule id"));
    j = ContactPolicy::regulation_f().to_json();
    j["rules"][0]["channels"] = Json::array({"pigeon"});
    CHECK_THROWS_WITH(ContactPolicy::from_json(JsonView(j)),
                      Catch::Contains("$.rules[0].channels[0]"));
    j = ContactPolicy::regulation_f().to_json();
    j["served_time_zones"] = Json::array({"America/Nowhere"});
    CHECK_THROWS_WITH(ContactPolicy::from_json(JsonView(j)),
                      Catch::Contains("served_time_zones[0]"));
    j = ContactPolicy::regulation_f().to_json();
    j["rules"][0].erase("citation");
    CHECK_THROWS_WITH(ContactPolicy::from_json(JsonView(j)),
                      Catch::Contains("$.rules[0].citation"));
}

TEST_CASE("an officer's edit takes effect: 5 calls in 7 days", "[compliance][json]") {
    Json j = ContactPolicy::regulation_f().to_json();
    j["rules"][0]["max"] = 5;
    const auto strict = ContactPolicy::from_json(JsonView(j));
    const auto h = daily_calls(2, 6); // 5 calls
    CHECK_FALSE(strict.check(person(), call("2026-03-07T16:00:00Z"), h).allowed);
    CHECK(ContactPolicy::regulation_f().check(person(), call("2026-03-07T16:00:00Z"), h).allowed);
}

TEST_CASE("contact attempts and consumers round-trip through JSON", "[compliance][json]") {
    const auto a =
        contact("2026-03-10T14:00:00Z", ContactChannel::email, {"D1", "D2", "D1"},
                Outcome::delivered, Direction::inbound, true, tag_bit(ContactTag::reply));
    CHECK(a.debt_ids() == std::vector<std::string>{"D1", "D2"});
    CHECK(ContactAttempt::from_json(JsonView(a.to_json())) == a);
    Json bad = a.to_json();
    bad["channel"] = "fax";
    CHECK_THROWS_WITH(ContactAttempt::from_json(JsonView(bad)),
                      Catch::Contains("$.channel") && Catch::Contains("'fax'"));
    bad = a.to_json();
    bad["at"] = "2026-03-10T14:00:00";
    CHECK_THROWS_WITH(ContactAttempt::from_json(JsonView(bad)), Catch::Contains("$.at"));
    bad = a.to_json();
    bad["debt_ids"] = Json::array();
    CHECK_THROWS_WITH(ContactAttempt::from_json(JsonView(bad)), Catch::Contains("debt_ids"));
    const Consumer c = with([](Consumer::Init& in) {
        in.state = "ma";
        in.cease = {"D2", "D1", "D2"};
        in.inconvenient = {{9 * 3600, 17 * 3600}};
        in.opted_out = channel_bit(ContactChannel::text);
    });
    CHECK(c.state() == std::optional<std::string>("MA"));
    CHECK(c.cease() == std::vector<std::string>{"D1", "D2"});
    CHECK(Consumer::from_json(JsonView(c.to_json())) == c);
    Json cj = c.to_json();
    cj["inconvenient"] = Json::array({Json::array({"09:00", "09:00"})});
    CHECK_THROWS_WITH(Consumer::from_json(JsonView(cj)), Catch::Contains("inconvenient[0]"));
}

// ---- validation period (1006.34(b)(5); payment-math.md 3.4-3.5) -----------------------------

TEST_CASE("validation period: 5 days excluding weekends and federal holidays, then 30 days",
          "[compliance][validation]") {
    auto [sent, holidays, receipt,
          end] = GENERATE(table<const char*, const char*, const char*, const char*>({
        // July 4 2026 is a Saturday, observed Friday July 3.
        {"2026-07-02", "conservative", "2026-07-10", "2026-08-09"}, // end is a Sunday: not rolled
        {"2026-07-02", "statutory", "2026-07-09", "2026-08-08"},    // end is a Saturday
        // Juneteenth 2027 is a Saturday, observed Friday June 18.
        {"2027-06-16", "conservative", "2027-06-24", "2027-07-24"},
        {"2027-06-16", "statutory", "2027-06-23", "2027-07-23"},
        // July 4 2027 is a Sunday, observed Monday July 5.
        {"2027-07-01", "conservative", "2027-07-09", "2027-08-08"},
        {"2027-07-01", "statutory", "2027-07-08", "2027-08-07"},
        // Christmas 2027 and New Year's Day 2028 are Saturdays (observed Dec 24 and Dec 31).
        {"2027-12-22", "conservative", "2027-12-30", "2028-01-29"},
        {"2027-12-22", "statutory", "2027-12-29", "2028-01-28"},
        {"2027-12-29", "conservative", "2028-01-06", "2028-02-05"},
        {"2027-12-29", "statutory", "2028-01-05", "2028-02-04"},
        // Weekday holidays count the same either way.
        {"2026-11-20", "conservative", "2026-11-30", "2026-12-30"}, // Thanksgiving Thu 11-26
        {"2026-01-16", "statutory", "2026-01-26", "2026-02-25"},    // MLK Day Mon 01-19
        {"2026-03-07", "conservative", "2026-03-13", "2026-04-12"}, // sent on a Saturday
        {"2026-03-02", "conservative", "2026-03-09", "2026-04-08"},
    }));
    INFO(sent << " " << holidays);
    const auto p = validation_period(D(sent), parse_holiday_counting(holidays));
    CHECK(to_iso(p.assumed_receipt) == receipt);
    CHECK(to_iso(p.end) == end);
}

TEST_CASE("validation period rejects unknown holiday modes", "[compliance][validation]") {
    CHECK_THROWS_WITH(parse_holiday_counting("observed"),
                      Catch::Contains("holidays") && Catch::Contains("'observed'"));
}

// ---- furnishing (1006.30(a)) and retention (1006.100) -----------------------------------------

TEST_CASE("earliest furnishing date: 14 full days after mailing, or after a conversation",
          "[compliance][furnishing]") {
    CHECK(to_iso(*earliest_furnishing_date({{D("2026-03-02"), std::nullopt}}, {})) == "2026-03-17");
    CHECK_FALSE(earliest_furnishing_date({{D("2026-03-02"), D("2026-03-16")}}, {})); // day 14
    CHECK(to_iso(*earliest_furnishing_date({{D("2026-03-02"), D("2026-03-17")}}, {})) ==
          "2026-03-17");
    CHECK_FALSE(earliest_furnishing_date({{D("2026-03-02"), D("2026-03-02")}}, {}));
    CHECK(to_iso(*earliest_furnishing_date(
              {{D("2026-03-02"), D("2026-03-05")}, {D("2026-03-09"), std::nullopt}}, {})) ==
          "2026-03-24");
    CHECK(to_iso(*earliest_furnishing_date({{D("2026-03-02"), std::nullopt}}, {D("2026-03-05")})) ==
          "2026-03-06");
    CHECK_FALSE(earliest_furnishing_date({}, {}));
    CHECK_THROWS_WITH(earliest_furnishing_date({{D("2026-03-02"), D("2026-03-01")}}, {}),
                      Catch::Contains("messages[0].undeliverable"));
}

TEST_CASE("records are kept 3 years after the last collection activity",
          "[compliance][retention]") {
    CHECK(to_iso(earliest_purge_date(D("2026-03-10"))) == "2029-03-11");
    CHECK(to_iso(earliest_purge_date(D("2024-02-29"))) == "2027-03-01");
    const Decision early = retention_purge_allowed(D("2026-03-10"), D("2029-03-10"));
    CHECK_FALSE(early.allowed);
    CHECK(early.reasons.at(0).rule == "reg_f.record_retention");
    CHECK(early.reasons.at(0).citation == "12 CFR 1006.100(a)");
    CHECK(retention_purge_allowed(D("2026-03-10"), D("2029-03-11")).allowed);
    const Decision rec =
        retention_purge_allowed(D("2026-03-10"), D("2027-01-01"), RetentionKind::recording);
    CHECK(rec.reasons.at(0).citation == "12 CFR 1006.100(b)");
    try {
        require_retention_elapsed(D("2026-03-10"), D("2028-01-01"));
        FAIL("expected ComplianceError");
    } catch (const ComplianceError& e) {
        CHECK(e.rule() == "reg_f.record_retention");
        CHECK(e.citation() == "12 CFR 1006.100(a)");
    }
}

// ---- statute of limitations (1006.26; reference 1.13) --------------------------------------

TEST_CASE("statute of limitations table: needs review, lookups, overrides", "[compliance][sol]") {
    const auto t = StatuteOfLimitations::builtin();
    CHECK(t.needs_legal_review());
    auto [state, type, years] =
        GENERATE(table<const char*, const char*, int>({{"CA", "open_account", 4},
                                                       {"NY", "open_account", 3},
                                                       {"NY", "promissory_note", 6},
                                                       {"FL", "written_contract", 5},
                                                       {"IL", "written_contract", 10},
                                                       {"MA", "open_account", 6},
                                                       {"DE", "promissory_note", 6},
                                                       {"RI", "open_account", 10},
                                                       {"WA", "written_contract", 6},
                                                       {"AL", "open_account", 3},
                                                       {"GA", "written_contract", 6},
                                                       {"NV", "open_account", 4}}));
    INFO(state << " " << type);
    CHECK(t.period(state, type).years == years);
    CHECK_FALSE(t.period(state, type).citation.empty());
}

TEST_CASE("time-barred from the anniversary of the date the period runs from",
          "[compliance][sol]") {
    const auto t = StatuteOfLimitations::builtin();
    CHECK(to_iso(t.expires_on("CA", "open_account", D("2020-03-10"))) == "2024-03-10");
    CHECK_FALSE(t.is_time_barred("CA", "open_account", D("2020-03-10"), D("2024-03-09")));
    CHECK(t.is_time_barred("CA", "open_account", D("2020-03-10"), D("2024-03-10")));
    CHECK(t.is_time_barred("ny", "open_account", D("2022-05-01"), D("2025-05-01")));
    CHECK(to_iso(t.expires_on("NY", "open_account", D("2024-02-29"))) == "2027-02-28");
    CHECK_THROWS_AS(t.is_time_barred("WA", "open_account", D("2020-01-01"), D("2026-01-01")),
                    NotFoundError);
    const auto reviewed = t.with_period({"WA", "open_account", 6, "RCW 4.16.040", "reviewed"});
    CHECK(reviewed.is_time_barred("WA", "open_account", D("2020-01-01"), D("2026-01-01")));
    const auto shorter = t.with_period({"CA", "open_account", 2, "test", ""});
    CHECK(shorter.is_time_barred("CA", "open_account", D("2020-03-10"), D("2022-03-10")));
    CHECK(StatuteOfLimitations::parse(t.to_json().dump()) == t);
    Json j = t.to_json();
    j["periods"][0]["years"] = 0;
    CHECK_THROWS_WITH(StatuteOfLimitations::from_json(JsonView(j)),
                      Catch::Contains("$.periods[0].years"));
}

// ---- batch ---------------------------------------------------------------------------------

TEST_CASE("the batch form agrees with check() row by row", "[compliance][batch]") {
    const auto policy = ContactPolicy::for_state("MA");
    std::vector<Consumer> people;
    people.push_back(person());
    people.push_back(with(
        [](Consumer::Init& in) {
            in.id = "C2";
            in.cease = {"D3"};
        },
        kEasternPacific));
    people.push_back(with([](Consumer::Init& in) { in.id = "C3"; }, {}));
    const std::vector<std::string> debts{"D1", "D2", "D3"};
    // History rows (consumer, debt, at, channel, direction, outcome, consent).
    struct Row {
        int c;
        int d;
        const char* at;
        ContactChannel ch;
        Direction dir;
        Outcome oc;
        bool consent;
    };
    const std::vector<Row> rows{
        {1, 2, "2026-03-09T15:00:00Z", ContactChannel::call, Direction::outbound,
         Outcome::connected, false},
        {0, 0, "2026-03-09T15:00:00Z", ContactChannel::call, Direction::outbound,
         Outcome::connected, false},
        {0, 0, "2026-03-10T15:00:00Z", ContactChannel::text, Direction::outbound,
         Outcome::delivered, false},
        {2, 1, "2026-03-10T14:00:00Z", ContactChannel::call, Direction::inbound,
         Outcome::conversation, true},
        {0, 1, "2026-03-10T15:00:00Z", ContactChannel::call, Direction::outbound,
         Outcome::conversation, false},
    };
    std::vector<std::int64_t> hc, hat, hev;
    std::vector<std::int32_t> hd;
    std::vector<std::uint8_t> hch, hdir, hoc, hcon;
    std::vector<std::vector<ContactAttempt>> per(people.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row& r = rows[i];
        hc.push_back(r.c);
        hd.push_back(r.d);
        hat.push_back(S(r.at));
        hev.push_back(static_cast<std::int64_t>(i));
        hch.push_back(static_cast<std::uint8_t>(r.ch));
        hdir.push_back(static_cast<std::uint8_t>(r.dir));
        hoc.push_back(static_cast<std::uint8_t>(r.oc));
        hcon.push_back(r.consent);
        per[static_cast<std::size_t>(r.c)].push_back(ContactAttempt(
            people[static_cast<std::size_t>(r.c)].id(), {debts[static_cast<std::size_t>(r.d)]},
            r.ch, r.dir, r.oc, T(r.at), r.consent));
    }
    ContactColumns h;
    h.size = rows.size();
    h.consumer = hc.data();
    h.debt = hd.data();
    h.at = hat.data();
    h.channel = hch.data();
    h.direction = hdir.data();
    h.outcome = hoc.data();
    h.consent = hcon.data();
    h.event = hev.data();
    std::vector<std::int64_t> pc, pat;
    std::vector<std::int32_t> pd;
    std::vector<std::uint8_t> pch;
    for (int c = 0; c < 3; ++c)
        for (int d = 0; d < 3; ++d)
            for (const char* at :
                 {"2026-03-11T03:00:00Z", "2026-03-11T15:00:00Z", "2026-03-11T19:00:00Z"})
                for (ContactChannel ch : {ContactChannel::call, ContactChannel::email}) {
                    pc.push_back(c);
                    pd.push_back(d);
                    pat.push_back(S(at));
                    pch.push_back(static_cast<std::uint8_t>(ch));
                }
    ProposalColumns p;
    p.size = pc.size();
    p.consumer = pc.data();
    p.debt = pd.data();
    p.at = pat.data();
    p.channel = pch.data();
    std::vector<const Consumer*> ptrs;
    for (const auto& c : people)
        ptrs.push_back(&c);
    // The same rows in (consumer, at) order: the engine then skips rows older than the windows.
    std::vector<std::size_t> ord(rows.size());
    for (std::size_t i = 0; i < ord.size(); ++i)
        ord[i] = i;
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) {
        return std::pair(hc[a], hat[a]) < std::pair(hc[b], hat[b]);
    });
    auto permute = [&](auto v) {
        auto out = v;
        for (std::size_t i = 0; i < ord.size(); ++i)
            out[i] = v[ord[i]];
        return out;
    };
    const auto shc = permute(hc), shat = permute(hat), shev = permute(hev);
    const auto shd = permute(hd);
    const auto shch = permute(hch), shdir = permute(hdir), shoc = permute(hoc),
               shcon = permute(hcon);
    ContactColumns sorted_h = h;
    sorted_h.consumer = shc.data();
    sorted_h.debt = shd.data();
    sorted_h.at = shat.data();
    sorted_h.channel = shch.data();
    sorted_h.direction = shdir.data();
    sorted_h.outcome = shoc.data();
    sorted_h.consent = shcon.data();
    sorted_h.event = shev.data();
    for (unsigned threads : {1u, 2u, 3u}) {
        BatchOptions options;
        options.threads = threads == 3 ? 1 : threads;
        const BatchResult r =
            check_contacts({&policy}, ptrs, {}, debts, p, threads == 3 ? sorted_h : h, options);
        REQUIRE(r.allowed.size() == p.size);
        for (std::size_t i = 0; i < p.size; ++i) {
            const auto& c = people[static_cast<std::size_t>(pc[i])];
            const ContactAttempt a(c.id(), {debts[static_cast<std::size_t>(pd[i])]},
                                   static_cast<ContactChannel>(pch[i]), Direction::outbound,
                                   Outcome::connected, Instant{std::chrono::seconds{pat[i]}});
            const auto& hist = per[static_cast<std::size_t>(pc[i])];
            INFO("row " << i << " " << a.repr());
            const Decision d = policy.check(c, a, hist);
            CHECK(static_cast<bool>(r.allowed[i]) == d.allowed);
            CHECK(std::popcount(r.blocking[i]) == static_cast<int>(d.reasons.size()));
            const auto w = policy.next_window(c, a, hist);
            CHECK((r.next_allowed[i] == kNoInstant) == !w.has_value());
            if (w) {
                CHECK(r.next_allowed[i] == w->start.time_since_epoch().count());
                CHECK(r.window_end[i] ==
                      (w->end ? w->end->time_since_epoch().count() : kNoInstant));
            }
        }
    }
}

TEST_CASE("the batch form rejects bad codes before doing anything", "[compliance][batch]") {
    const auto policy = ContactPolicy::regulation_f();
    const Consumer c = person();
    std::vector<std::int64_t> pc{0}, pat{S("2026-03-11T15:00:00Z")};
    std::vector<std::int32_t> pd{0};
    std::vector<std::uint8_t> pch{9};
    ProposalColumns p{1, pc.data(), pd.data(), pat.data(), pch.data(), nullptr};
    CHECK_THROWS_WITH(check_contacts({&policy}, {&c}, {}, {"D1"}, p, {}),
                      Catch::Contains("proposed.channel[0]"));
    pch[0] = 0;
    pc[0] = 3;
    CHECK_THROWS_WITH(check_contacts({&policy}, {&c}, {}, {"D1"}, p, {}),
                      Catch::Contains("proposed.consumer[0]"));
    pc[0] = 0;
    CHECK(check_contacts({&policy}, {&c}, {}, {"D1"}, p, {}).allowed.at(0) == 1);
    // A debt id listed twice: the consumer's cease matches both codes.
    const Consumer ceased = with([](Consumer::Init& in) { in.cease = {"D1"}; });
    pd[0] = 1;
    CHECK(check_contacts({&policy}, {&ceased}, {}, {"D1", "D1"}, p, {}).allowed.at(0) == 0);
    CHECK(check_contacts({&policy}, {&ceased}, {}, {"D0", "D1"}, p, {}).allowed.at(0) == 0);
    CHECK(check_contacts({&policy}, {&ceased}, {}, {"D1", "D2"}, p, {}).allowed.at(0) == 1);
}

// ---- designated times on some days; Consumer::from_debtor ------------------------------------

TEST_CASE("a designated time can name days: never on Sundays, Friday evenings", "[compliance][time]") {
    const auto policy = ContactPolicy::regulation_f();
    constexpr std::uint8_t sun = 1u << 6, fri = 1u << 4;
    const Consumer c = with([](Consumer::Init& in) {
        in.inconvenient = {{0, 86400, sun}, {19 * 3600, 9 * 3600, fri}};
    });
    auto [utc, allowed] = GENERATE(table<const char*, bool>({
        {"2026-03-08T14:00:00Z", false},  // Sun 10:00 EDT: the whole of Sunday
        {"2026-03-09T12:00:00Z", true},   // Mon 08:00 EDT
        {"2026-03-12T23:30:00Z", true},   // Thu 19:30 EDT: Thursdays are fine
        {"2026-03-13T23:30:00Z", false},  // Fri 19:30 EDT
        {"2026-03-14T12:30:00Z", false},  // Sat 08:30 EDT: the Friday range runs to 09:00
        {"2026-03-14T13:00:00Z", true},   // Sat 09:00 EDT
    }));
    INFO(utc);
    const Decision d = policy.check(c, call(utc), {});
    CHECK(d.allowed == allowed);
    if (!allowed) CHECK(blocked_by(d, "reg_f.inconvenient_time"));
    CHECK(iso(policy.next_allowed(c, call("2026-03-08T14:00:00Z"), {})) == "2026-03-09T12:00:00Z");
    CHECK(iso(policy.next_allowed(c, call("2026-03-13T23:30:00Z"), {})) == "2026-03-14T13:00:00Z");
    // Thursday 10:00: the window runs to 21:00 (Friday's range starts only on Friday).
    const auto w = policy.next_window(c, call("2026-03-12T14:00:00Z"), {});
    REQUIRE(w);
    CHECK(to_iso(*w->end) == "2026-03-13T01:00:00Z");
    const auto fw = policy.next_window(c, call("2026-03-13T14:00:00Z"), {});  // Friday 10:00
    REQUIRE(fw);
    CHECK(to_iso(*fw->end) == "2026-03-13T23:00:00Z");  // 19:00 EDT
    CHECK(Consumer::from_json(JsonView(c.to_json())) == c);
    CHECK(c.to_json()["inconvenient"][0][2] == Json::array({"sun"}));
}
