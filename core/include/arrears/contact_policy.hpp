// Contact policy: the rules that decide whether a proposed contact with a consumer is allowed now
// (Regulation F, 12 CFR part 1006, plus state and local overlays), when it would next be allowed,
// and why. A policy is data: a JSON document of rules, each with a stable id, a legal citation and
// its parameters, which a compliance officer reviews and changes. Every applicable rule must pass,
// so with overlays the stricter rule always wins.
//
// Rule kinds (parameters in the JSON, see docs/compliance.md):
//   frequency         at most `max` counted contacts within `window_days` consecutive local days,
//                     per (person, debt) or per consumer (1006.14(b)(2)(i)(A), 940 CMR 7.04(1)(f),
//                     6 RCNY 5-77, RCW 19.16.250)
//   conversation      no calls within `window_days` local days after a telephone conversation
//                     about the debt, the conversation date being day 1 (1006.14(b)(2)(i)(B))
//   time_of_day       local time in [start, end) in every possible time zone (1006.6(b)(1)(i))
//   designated_times  not in a range the consumer designated as inconvenient (1006.6(b)(1)(i))
//   cease             nothing about a debt under a cease notice except `allowed_tags`
//                     (1006.6(c))
//   medium_opt_out    no contact through an opted-out medium, except one confirmation and one
//                     reply to a consumer-initiated contact (1006.14(h))
//   dispute_pause     no collection on a debt under a timely dispute until verification
//                     (1006.38(d)(2))
//   attorney, bankruptcy, deceased   consumer-level blocks
//   time_barred       no legal action or threat of suit on time-barred debt (1006.26(b))
#pragma once

#include "arrears/consumer.hpp"
#include "arrears/contact_attempt.hpp"
#include "arrears/date.hpp"
#include "arrears/json.hpp"
#include "arrears/time_zone.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arrears {

enum class RuleKind : std::uint8_t {
    frequency,
    conversation,
    time_of_day,
    designated_times,
    cease,
    medium_opt_out,
    dispute_pause,
    attorney,
    bankruptcy,
    deceased,
    time_barred,
};
enum class CountUnit : std::uint8_t { person_debt, consumer };
// connected: outbound attempts that reached the dialed number or address (not `not_connected`,
// not `bounced`); attempted: every outbound attempt.
enum class CountMode : std::uint8_t { connected, attempted };

std::string_view to_string(RuleKind k);
std::string_view to_string(CountUnit u);
std::string_view to_string(CountMode m);

struct ContactRule {
    std::string id; // stable: "reg_f.call_frequency"
    RuleKind kind = RuleKind::frequency;
    std::string citation;                 // "12 CFR 1006.14(b)(2)(i)(A)"
    std::string summary;                  // one sentence for the reviewer
    std::string notes;                    // interpretation choices, sources
    std::uint8_t channels = kAllChannels; // channels of the proposed contact the rule restricts
    TagSet allowed_tags = 0;              // contacts tagged with any of these are exempt
    // frequency, conversation
    int max = 0;
    int window_days = 7;
    CountUnit unit = CountUnit::person_debt;
    CountMode count = CountMode::connected;
    std::uint8_t counted_channels = 0;      // frequency: history channels that count
    std::uint8_t conversation_channels = 0; // conversation: where a conversation happens
    int consent_days = 0; // > 0: calls with consent given within this many days do not count
    // time_of_day
    std::int32_t start = 0;
    std::int32_t end = 0;
    // designated_times, medium_opt_out
    bool allow_reply = false;
    bool allow_confirmation = false;
    // dispute_pause
    bool written_only = true;
    // time_barred
    TagSet blocked_tags = 0;

    Json to_json() const;
    static ContactRule from_json(const JsonView& v);
    friend bool operator==(const ContactRule&, const ContactRule&) = default;
};

// Why a decision went the way it did: the rule, its citation and a sentence for a collector.
struct Reason {
    std::string rule;
    std::string citation;
    std::string message;
    void validate() const;  // a reason names its rule id
    Json to_json() const;
    std::string repr() const;
    friend bool operator==(const Reason&, const Reason&) = default;
};

struct Decision {
    bool allowed = true;
    std::vector<Reason> reasons; // why not (empty when allowed)
    std::vector<Reason> notes;   // what was checked and which exceptions applied
    // Allowed exactly when there is no reason; every reason and note names its rule.
    void validate() const;
    Json to_json() const;
    std::string repr() const;
    // Throws ComplianceError(rule, citation, message) of the first reason when not allowed.
    void raise_if_blocked() const;
    friend bool operator==(const Decision&, const Decision&) = default;
};

// [start, end): an allowed window; end is empty when nothing ends it (no time-of-day rule).
struct ContactWindow {
    Instant start{};
    std::optional<Instant> end;
    friend bool operator==(const ContactWindow&, const ContactWindow&) = default;
};

struct DisputeAssessment {
    bool pauses_collection = false; // collection on the debt stops until verification is sent
    bool mark_disputed = true;      // report the debt as disputed (Metro 2 XB)
    std::vector<Reason> reasons;
    friend bool operator==(const DisputeAssessment&, const DisputeAssessment&) = default;
};

class ContactPolicy {
public:
    // Validates: unique rule ids, at most 64 rules, served zones exist. Throws ValidationError.
    ContactPolicy(std::string name, std::vector<std::string> served_time_zones,
                  std::vector<ContactRule> rules, std::vector<std::string> overlays = {},
                  std::string note = "");

    // Regulation F alone (the built-in rule set; see `to_json()` for the data).
    static ContactPolicy regulation_f();
    // Regulation F plus the overlay for a state ("MA", "WA") or locality ("NYC"). A state without
    // an overlay on file gives Regulation F alone (overlays() is then empty).
    static ContactPolicy for_state(std::string_view code);
    // Regulation F plus several overlays (a consumer who may be in more than one jurisdiction).
    static ContactPolicy for_states(const std::vector<std::string>& codes);
    // This policy plus the overlays on file for `codes` (state codes or "NYC", any case): their
    // rules are added, the name and note say which were applied; a code already applied adds
    // nothing, a code without an overlay on file only a note. The one place overlays are merged
    // (for_states, and the store's compliance gate per consumer state, use it).
    ContactPolicy with_overlays(const std::vector<std::string>& codes) const;
    // The overlay codes on file: {"MA", "NYC", "WA"}.
    static std::vector<std::string> overlay_codes();
    // The built-in overlay document for a code (rules only), for review.
    static Json overlay_json(std::string_view code);
    // The U.S. zones served when a consumer's location is unknown (50 states and DC).
    static std::vector<std::string> default_served_time_zones();

    static ContactPolicy from_json(const JsonView& v);
    static ContactPolicy parse(std::string_view json_text);
    Json to_json() const;

    const std::string& name() const noexcept { return name_; }
    const std::string& note() const noexcept { return note_; }
    const std::vector<std::string>& served_time_zones() const noexcept { return served_names_; }
    const std::vector<ContactRule>& rules() const noexcept { return rules_; }
    const std::vector<std::string>& overlays() const noexcept { return overlays_; }
    const ContactRule& rule(std::string_view id) const; // NotFoundError
    // Zones checked for a consumer with no known location: served zones, with zones that have
    // had the same offsets since 2000 merged.
    const std::vector<const TimeZone*>& served_zones() const noexcept { return served_; }

    // The proposed contact (direction outbound) against the consumer's history (events of this
    // consumer; any order). ValidationError when the attempt or history names another consumer.
    Decision check(const Consumer& consumer, const ContactAttempt& proposed,
                   const std::vector<ContactAttempt>& history) const;
    // Earliest instant >= proposed.at() at which the same contact would be allowed, or empty
    // when never (cease, opt-out, dispute pause, attorney, bankruptcy, deceased, time-barred
    // suit, or no instant in the next 400 days).
    std::optional<Instant> next_allowed(const Consumer& consumer, const ContactAttempt& proposed,
                                        const std::vector<ContactAttempt>& history) const;
    // next_allowed and the end of that allowed window.
    std::optional<ContactWindow> next_window(const Consumer& consumer,
                                             const ContactAttempt& proposed,
                                             const std::vector<ContactAttempt>& history) const;
    // A non-contact action (filing suit, a proof of claim) on debts: the time-barred, bankruptcy
    // and dispute-pause rules.
    Decision check_action(const Consumer& consumer, const std::vector<std::string>& debt_ids,
                          TagSet tags) const;
    // A dispute received on `received` for a debt whose validation period ends `validation_end`:
    // a dispute in writing (or, where an overlay says so, orally) on or before that date pauses
    // collection until verification is sent (1006.38(d)(2)); any dispute marks the debt disputed
    // for credit reporting (15 U.S.C. 1692e(8)).
    DisputeAssessment assess_dispute(Date received, Date validation_end, bool written,
                                     std::optional<Date> verification_sent) const;

    std::string repr() const;
    friend bool operator==(const ContactPolicy& a, const ContactPolicy& b) {
        return a.to_json() == b.to_json();
    }

private:
    std::string name_;
    std::string note_;
    std::vector<std::string> served_names_;
    std::vector<const TimeZone*> served_;
    std::vector<ContactRule> rules_;
    std::vector<std::string> overlays_;
};

} // namespace arrears
