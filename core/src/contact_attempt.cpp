#include "arrears/contact_attempt.hpp"

#include "arrears/error.hpp"

#include <algorithm>
#include <array>

namespace arrears {

namespace {

constexpr std::array<std::string_view, kChannelCount> kChannels{"call", "text", "email", "letter",
                                                                "voicemail"};
constexpr std::array<std::string_view, 2> kDirections{"outbound", "inbound"};
constexpr std::array<std::string_view, kOutcomeCount> kOutcomes{
    "connected", "not_connected", "conversation", "left_message", "delivered", "bounced"};
constexpr std::array<std::string_view, kContactTagCount> kTags{"terminating_efforts",
                                                               "remedy_notice",
                                                               "remedy_intent",
                                                               "opt_out_confirmation",
                                                               "reply",
                                                               "required_by_law",
                                                               "verification",
                                                               "dispute_response",
                                                               "legal_action",
                                                               "threat_of_suit",
                                                               "proof_of_claim",
                                                               "validation_notice"};

template <std::size_t N> std::string choices(const std::array<std::string_view, N>& names) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (i) out += i + 1 == N ? " or " : ", ";
        out += names[i];
    }
    return out;
}

template <std::size_t N>
std::size_t lookup(const std::array<std::string_view, N>& names, std::string_view s,
                   std::string_view field) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return i;
    throw ValidationError(std::string(field) + ": " + quote(s) + " is not one of " +
                          choices(names));
}

void check_id(const std::string& id, const std::string& field) {
    if (id.empty()) throw ValidationError(field + ": an id must not be empty");
}

} // namespace

std::string_view to_string(ContactChannel c) {
    return kChannels[static_cast<std::size_t>(c)];
}
std::string_view to_string(Direction d) {
    return kDirections[static_cast<std::size_t>(d)];
}
std::string_view to_string(Outcome o) {
    return kOutcomes[static_cast<std::size_t>(o)];
}
std::string_view to_string(ContactTag t) {
    return kTags[static_cast<std::size_t>(t)];
}

ContactChannel parse_contact_channel(std::string_view s, std::string_view field) {
    return static_cast<ContactChannel>(lookup(kChannels, s, field));
}
Direction parse_direction(std::string_view s, std::string_view field) {
    return static_cast<Direction>(lookup(kDirections, s, field));
}
Outcome parse_outcome(std::string_view s, std::string_view field) {
    return static_cast<Outcome>(lookup(kOutcomes, s, field));
}
ContactTag parse_contact_tag(std::string_view s, std::string_view field) {
    return static_cast<ContactTag>(lookup(kTags, s, field));
}

std::vector<std::string> tag_names(TagSet tags) {
    std::vector<std::string> out;
    for (int i = 0; i < kContactTagCount; ++i)
        if (tags & (TagSet{1} << i)) out.emplace_back(kTags[static_cast<std::size_t>(i)]);
    return out;
}

TagSet parse_tags(const std::vector<std::string>& names, std::string_view field) {
    TagSet out = 0;
    for (std::size_t i = 0; i < names.size(); ++i)
        out |= tag_bit(
            parse_contact_tag(names[i], std::string(field) + "[" + std::to_string(i) + "]"));
    return out;
}

std::uint8_t parse_channel_set(const std::vector<std::string>& names, std::string_view field) {
    std::uint8_t out = 0;
    for (std::size_t i = 0; i < names.size(); ++i)
        out |= channel_bit(
            parse_contact_channel(names[i], std::string(field) + "[" + std::to_string(i) + "]"));
    return out;
}

std::vector<std::string> channel_names(std::uint8_t mask) {
    std::vector<std::string> out;
    for (int i = 0; i < kChannelCount; ++i)
        if (mask & (1u << i)) out.emplace_back(kChannels[static_cast<std::size_t>(i)]);
    return out;
}

ContactAttempt::ContactAttempt(std::string consumer_id, std::vector<std::string> debt_ids,
                               ContactChannel channel, Direction direction, Outcome outcome,
                               Instant at, bool consent, TagSet tags)
    : consumer_id_(std::move(consumer_id)), channel_(channel), direction_(direction),
      outcome_(outcome), at_(at), consent_(consent), tags_(tags) {
    check_id(consumer_id_, "consumer_id");
    if (debt_ids.empty())
        throw ValidationError("debt_ids: a contact attempt is about at least one debt; none given");
    for (std::size_t i = 0; i < debt_ids.size(); ++i) {
        check_id(debt_ids[i], "debt_ids[" + std::to_string(i) + "]");
        if (std::find(debt_ids_.begin(), debt_ids_.end(), debt_ids[i]) == debt_ids_.end())
            debt_ids_.push_back(std::move(debt_ids[i]));
    }
    if (static_cast<unsigned>(channel_) >= kChannelCount)
        throw ValidationError("channel: invalid value " +
                              std::to_string(static_cast<int>(channel_)));
    if (static_cast<unsigned>(direction_) >= 2)
        throw ValidationError("direction: invalid value " +
                              std::to_string(static_cast<int>(direction_)));
    if (static_cast<unsigned>(outcome_) >= kOutcomeCount)
        throw ValidationError("outcome: invalid value " +
                              std::to_string(static_cast<int>(outcome_)));
    if (tags_ >> kContactTagCount)
        throw ValidationError("tags: unknown tag bits " + std::to_string(tags_));
}

Json ContactAttempt::to_json() const {
    return Json{{"consumer_id", consumer_id_},
                {"debt_ids", debt_ids_},
                {"channel", std::string(to_string(channel_))},
                {"direction", std::string(to_string(direction_))},
                {"outcome", std::string(to_string(outcome_))},
                {"at", to_iso(at_)},
                {"consent", consent_},
                {"tags", tag_names(tags_)}};
}

ContactAttempt ContactAttempt::from_json(const JsonView& v) {
    v.require_object();
    v.check_keys(
        {"consumer_id", "debt_ids", "channel", "direction", "outcome", "at", "consent", "tags"});
    std::vector<std::string> debts;
    const JsonView d = v.at("debt_ids");
    d.require_array();
    for (std::size_t i = 0; i < d.size(); ++i)
        debts.push_back(d.at(i).as_string());
    TagSet tags = 0;
    if (auto t = v.find("tags")) {
        t->require_array();
        for (std::size_t i = 0; i < t->size(); ++i) {
            const JsonView e = t->at(i);
            tags |= tag_bit(parse_contact_tag(e.as_string(), e.path()));
        }
    }
    auto field = [&](const char* key) { return v.at(key).path(); };
    const ContactChannel channel =
        parse_contact_channel(v.at("channel").as_string(), field("channel"));
    const Direction direction = parse_direction(v.at("direction").as_string(), field("direction"));
    const Outcome outcome = parse_outcome(v.at("outcome").as_string(), field("outcome"));
    const Instant at = parse_instant(v.at("at").as_string(), field("at"));
    const bool consent = v.find("consent") ? v.at("consent").as_bool() : false;
    const std::string consumer = v.at("consumer_id").as_string();
    try {
        return ContactAttempt(consumer, std::move(debts), channel, direction, outcome, at, consent,
                              tags);
    } catch (const ValidationError& e) {
        throw ValidationError(v.path() + "." + e.what());
    }
}

std::string ContactAttempt::repr() const {
    std::string ids;
    for (std::size_t i = 0; i < debt_ids_.size(); ++i)
        ids += (i ? ", " : "") + quote(debt_ids_[i]);
    std::string out = "ContactAttempt(" + quote(consumer_id_) + ", [" + ids + "], '" +
                      std::string(to_string(channel_)) + "', '" +
                      std::string(to_string(direction_)) + "', '" +
                      std::string(to_string(outcome_)) + "', '" + to_iso(at_) + "'";
    if (consent_) out += ", consent=True";
    if (tags_) {
        out += ", tags=[";
        const auto names = tag_names(tags_);
        for (std::size_t i = 0; i < names.size(); ++i)
            out += (i ? ", '" : "'") + names[i] + "'";
        out += "]";
    }
    return out + ")";
}

} // namespace arrears
