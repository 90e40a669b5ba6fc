// A contact attempt: one call, text, email, letter or voicemail between the collector and a
// consumer, about one or more debts. The history of attempts is what the Regulation F contact
// rules count (12 CFR 1006.14(b)); the store keeps them as contact events. Plain data, JSON in
// and out.
#pragma once

#include "arrears/date.hpp"
#include "arrears/json.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arrears {

enum class ContactChannel : std::uint8_t { call, text, email, letter, voicemail };
inline constexpr int kChannelCount = 5;
enum class Direction : std::uint8_t { outbound, inbound };
enum class Outcome : std::uint8_t {
    connected,     // the call reached the dialed number (rang, answered or voicemail)
    not_connected, // busy, not in service, no ring: not connected to the dialed number
    conversation,  // the collector talked with the person
    left_message,  // a voicemail or message was left
    delivered,     // a text, email or letter went out (not returned)
    bounced,       // returned undeliverable
};
inline constexpr int kOutcomeCount = 6;

// Purposes a message or action can be tagged with; rules use them as exceptions (cease allows
// terminating_efforts, remedy_notice, remedy_intent) or triggers (time-barred debt blocks
// legal_action and threat_of_suit).
enum class ContactTag : std::uint8_t {
    terminating_efforts,  // 12 CFR 1006.6(c)(2)(i): collection efforts are being terminated
    remedy_notice,        // 1006.6(c)(2)(ii): remedies that may be invoked
    remedy_intent,        // 1006.6(c)(2)(iii): a specified remedy will be invoked
    opt_out_confirmation, // 1006.14(h)(2)(i): the one confirmation of a medium opt-out
    reply,                // 1006.14(h)(2)(ii), 1006.6(b)(1): the one reply to a consumer contact
    required_by_law,      // 1006.14(h)(2)(iii): other applicable law requires this medium
    verification,         // 1006.38(d)(2)(i): verification of a disputed debt
    dispute_response,     // 1006.38(c), (d)(2)(ii): original-creditor info, duplicative notice
    legal_action,         // bringing a legal action (suit) on the debt
    threat_of_suit,       // a message that threatens legal action
    proof_of_claim,       // a proof of claim in bankruptcy (1006.26(b) does not apply)
    validation_notice,    // the 1006.34 validation notice
};
inline constexpr int kContactTagCount = 12;
using TagSet = std::uint32_t; // bit i = ContactTag i
inline constexpr TagSet tag_bit(ContactTag t) {
    return TagSet{1} << static_cast<unsigned>(t);
}
inline constexpr std::uint8_t channel_bit(ContactChannel c) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(c));
}
inline constexpr std::uint8_t kAllChannels = (1u << kChannelCount) - 1;

std::string_view to_string(ContactChannel c);
std::string_view to_string(Direction d);
std::string_view to_string(Outcome o);
std::string_view to_string(ContactTag t);
// Parsers name `field` and the allowed values in their ValidationError.
ContactChannel parse_contact_channel(std::string_view s, std::string_view field = "channel");
Direction parse_direction(std::string_view s, std::string_view field = "direction");
Outcome parse_outcome(std::string_view s, std::string_view field = "outcome");
ContactTag parse_contact_tag(std::string_view s, std::string_view field = "tags");
std::vector<std::string> tag_names(TagSet tags);
TagSet parse_tags(const std::vector<std::string>& names, std::string_view field = "tags");
std::uint8_t parse_channel_set(const std::vector<std::string>& names, std::string_view field);
std::vector<std::string> channel_names(std::uint8_t mask);

class ContactAttempt {
public:
    // Validates and normalizes (debt ids de-duplicated, order kept); throws ValidationError.
    // consent: the person gave prior consent directly to the collector during this contact, for
    // calls about these debts (12 CFR 1006.14(b)(3)(i)).
    ContactAttempt(std::string consumer_id, std::vector<std::string> debt_ids,
                   ContactChannel channel, Direction direction, Outcome outcome, Instant at,
                   bool consent = false, TagSet tags = 0);

    const std::string& consumer_id() const noexcept { return consumer_id_; }
    const std::vector<std::string>& debt_ids() const noexcept { return debt_ids_; }
    ContactChannel channel() const noexcept { return channel_; }
    Direction direction() const noexcept { return direction_; }
    Outcome outcome() const noexcept { return outcome_; }
    Instant at() const noexcept { return at_; }
    bool consent() const noexcept { return consent_; }
    TagSet tags() const noexcept { return tags_; }
    bool has_tag(ContactTag t) const noexcept { return (tags_ & tag_bit(t)) != 0; }

    Json to_json() const;
    static ContactAttempt from_json(const JsonView& v);
    std::string repr() const;
    friend bool operator==(const ContactAttempt&, const ContactAttempt&) = default;

private:
    std::string consumer_id_;
    std::vector<std::string> debt_ids_; // at least one; a call about several debts names each
    ContactChannel channel_;
    Direction direction_;
    Outcome outcome_;
    Instant at_;
    bool consent_;
    TagSet tags_;
};

} // namespace arrears
