#include "arrears/contact_policy.hpp"

#include "arrears/error.hpp"
#include "compliance/builtin.hpp"
#include "compliance/engine.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

namespace arrears {

namespace {

constexpr std::array<std::string_view, 11> kKinds{
    "frequency",  "conversation",   "time_of_day",   "designated_times",
    "cease",      "medium_opt_out", "dispute_pause", "attorney",
    "bankruptcy", "deceased",       "time_barred"};

template <std::size_t N>
std::size_t lookup(const std::array<std::string_view, N>& names, const JsonView& v) {
    const std::string s = v.as_string();
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return i;
    std::string all;
    for (std::size_t i = 0; i < N; ++i)
        all += (i ? ", " : "") + std::string(names[i]);
    v.fail(quote(s) + " is not one of " + all);
}

std::vector<std::string> strings(const JsonView& v) {
    v.require_array();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i)
        out.push_back(v.at(i).as_string());
    return out;
}

std::uint8_t channel_set(const JsonView& v) {
    std::uint8_t out = 0;
    v.require_array();
    for (std::size_t i = 0; i < v.size(); ++i) {
        const JsonView e = v.at(i);
        out |= channel_bit(parse_contact_channel(e.as_string(), e.path()));
    }
    if (!out) v.fail("at least one channel is required");
    return out;
}

TagSet tag_set(const JsonView& v) {
    TagSet out = 0;
    v.require_array();
    for (std::size_t i = 0; i < v.size(); ++i) {
        const JsonView e = v.at(i);
        out |= tag_bit(parse_contact_tag(e.as_string(), e.path()));
    }
    return out;
}

int int_in(const JsonView& v, int lo, int hi) {
    const std::int64_t x = v.as_int();
    if (x < lo || x > hi)
        v.fail(std::to_string(x) + " is out of range " + std::to_string(lo) + ".." +
               std::to_string(hi));
    return static_cast<int>(x);
}

const char* overlay_text(std::string_view code) {
    if (code == "MA") return detail::kOverlayMA;
    if (code == "NYC") return detail::kOverlayNYC;
    if (code == "WA") return detail::kOverlayWA;
    return nullptr;
}

// Debt ids -> codes for one check: the proposal's debts, the history's and the consumer's.
class DebtCodes {
public:
    std::int32_t code(const std::string& id) {
        auto [it, inserted] = map_.emplace(id, static_cast<std::int32_t>(names_.size()));
        if (inserted) names_.push_back(id);
        return it->second;
    }
    const std::vector<std::string>& names() const { return names_; }

private:
    std::unordered_map<std::string, std::int32_t> map_;
    std::vector<std::string> names_;
};

std::vector<std::int32_t> codes(const std::vector<std::string>& ids, DebtCodes& dc) {
    std::vector<std::int32_t> out;
    out.reserve(ids.size());
    for (const auto& id : ids)
        out.push_back(dc.code(id));
    std::sort(out.begin(), out.end());
    return out;
}

struct OneCheck {
    DebtCodes debts;
    std::vector<std::int32_t> proposal_debts;
    std::vector<std::int64_t> at, event;
    std::vector<std::uint8_t> channel, direction, outcome, consent;
    std::vector<TagSet> tags;
    std::vector<std::int32_t> debt;
    ContactColumns cols;
    detail::ConsumerFacts consumer;
    detail::ProposalFacts proposal;
    detail::HistorySlice slice;

    OneCheck(const Consumer& c, const ContactAttempt& p, const std::vector<ContactAttempt>& history,
             bool contact = true) {
        if (p.consumer_id() != c.id())
            throw ValidationError("proposed.consumer_id: " + quote(p.consumer_id()) +
                                  " is not the consumer " + quote(c.id()));
        if (contact && p.direction() != Direction::outbound)
            throw ValidationError("proposed.direction: 'inbound'; only outbound contacts are "
                                  "checked (the consumer may always contact the collector)");
        for (const auto& d : p.debt_ids())
            proposal_debts.push_back(debts.code(d));
        // Rows in time order (stable: the rows of one contact stay together).
        std::vector<std::size_t> by_time(history.size());
        for (std::size_t i = 0; i < by_time.size(); ++i)
            by_time[i] = i;
        std::stable_sort(by_time.begin(), by_time.end(), [&](std::size_t a, std::size_t b) {
            return history[a].at() < history[b].at();
        });
        for (const std::size_t i : by_time) {
            const ContactAttempt& h = history[i];
            if (h.consumer_id() != c.id())
                throw ValidationError("history[" + std::to_string(i) +
                                      "].consumer_id: " + quote(h.consumer_id()) +
                                      " is not the consumer " + quote(c.id()));
            for (const auto& d : h.debt_ids()) {
                at.push_back(h.at().time_since_epoch().count());
                event.push_back(static_cast<std::int64_t>(i));
                channel.push_back(static_cast<std::uint8_t>(h.channel()));
                direction.push_back(static_cast<std::uint8_t>(h.direction()));
                outcome.push_back(static_cast<std::uint8_t>(h.outcome()));
                consent.push_back(h.consent() ? 1 : 0);
                tags.push_back(h.tags());
                debt.push_back(debts.code(d));
            }
        }
        cols = {at.size(),        nullptr,        debt.data(),    at.data(),   channel.data(),
                direction.data(), outcome.data(), consent.data(), tags.data(), event.data()};
        slice = {&cols, nullptr, 0, at.size(), true};
        consumer.zones = c.zones().data();
        consumer.n_zones = c.zones().size();
        consumer.opted_out = c.opted_out();
        consumer.cease = codes(c.cease(), debts);
        consumer.disputed = codes(c.disputed(), debts);
        consumer.time_barred = codes(c.time_barred(), debts);
        consumer.inconvenient = c.inconvenient().data();
        consumer.n_inconvenient = c.inconvenient().size();
        consumer.attorney = c.attorney();
        consumer.bankruptcy = c.bankruptcy();
        consumer.deceased = c.deceased();
        proposal.at = p.at().time_since_epoch().count();
        proposal.channel = p.channel();
        proposal.tags = p.tags();
        proposal.debts = proposal_debts.data();
        proposal.n_debts = proposal_debts.size();
    }
};

Json reasons_json(const std::vector<Reason>& v) {
    Json out = Json::array();
    for (const auto& r : v)
        out.push_back(r.to_json());
    return out;
}

} // namespace

std::string_view to_string(RuleKind k) {
    return kKinds[static_cast<std::size_t>(k)];
}
std::string_view to_string(CountUnit u) {
    return u == CountUnit::person_debt ? "person_debt" : "consumer";
}
std::string_view to_string(CountMode m) {
    return m == CountMode::connected ? "connected" : "attempted";
}

// ---- ContactRule JSON ---------------------------------------------------------------------

ContactRule ContactRule::from_json(const JsonView& v) {
    v.require_object();
    ContactRule r;
    r.kind = static_cast<RuleKind>(lookup(kKinds, v.at("kind")));
    switch (r.kind) {
    case RuleKind::frequency:
        v.check_keys({"id", "kind", "citation", "summary", "notes", "channels", "allowed_tags",
                      "counted_channels", "max", "window_days", "unit", "count", "consent_days"});
        break;
    case RuleKind::conversation:
        v.check_keys({"id", "kind", "citation", "summary", "notes", "channels", "allowed_tags",
                      "conversation_channels", "window_days", "consent_days"});
        break;
    case RuleKind::time_of_day:
        v.check_keys({"id", "kind", "citation", "summary", "notes", "channels", "allowed_tags",
                      "start", "end"});
        break;
    case RuleKind::designated_times:
        v.check_keys({"id", "kind", "citation", "summary", "notes", "channels", "allowed_tags",
                      "allow_reply"});
        break;
    case RuleKind::medium_opt_out:
        v.check_keys({"id", "kind", "citation", "summary", "notes", "channels", "allowed_tags",
                      "allow_confirmation", "allow_reply"});
        break;
    case RuleKind::dispute_pause:
        v.check_keys({"id", "kind", "citation", "summary", "notes", "channels", "allowed_tags",
                      "written_only"});
        break;
    case RuleKind::time_barred:
        v.check_keys({"id", "kind", "citation", "summary", "notes", "channels", "allowed_tags",
                      "blocked_tags"});
        break;
    default:
        v.check_keys({"id", "kind", "citation", "summary", "notes", "channels", "allowed_tags"});
    }
    r.id = v.at("id").as_string();
    if (r.id.empty()) v.at("id").fail("a rule id must not be empty");
    r.citation = v.at("citation").as_string();
    if (r.citation.empty()) v.at("citation").fail("every rule needs its legal citation");
    if (auto s = v.find("summary")) r.summary = s->as_string();
    if (auto s = v.find("notes")) r.notes = s->as_string();
    if (auto c = v.find("channels")) r.channels = channel_set(*c);
    if (auto t = v.find("allowed_tags")) r.allowed_tags = tag_set(*t);
    switch (r.kind) {
    case RuleKind::frequency: {
        r.max = int_in(v.at("max"), 1, 10000);
        r.window_days = int_in(v.at("window_days"), 1, 366);
        if (auto u = v.find("unit")) {
            const std::string s = u->as_string();
            if (s == "person_debt")
                r.unit = CountUnit::person_debt;
            else if (s == "consumer")
                r.unit = CountUnit::consumer;
            else
                u->fail(quote(s) + " is not one of person_debt, consumer");
        }
        if (auto m = v.find("count")) {
            const std::string s = m->as_string();
            if (s == "connected")
                r.count = CountMode::connected;
            else if (s == "attempted")
                r.count = CountMode::attempted;
            else
                m->fail(quote(s) + " is not one of connected, attempted");
        }
        r.counted_channels = r.channels;
        if (auto c = v.find("counted_channels")) r.counted_channels = channel_set(*c);
        if (auto c = v.find("consent_days")) r.consent_days = int_in(*c, 0, 366);
        break;
    }
    case RuleKind::conversation:
        r.window_days = int_in(v.at("window_days"), 1, 366);
        r.conversation_channels = channel_bit(ContactChannel::call);
        if (auto c = v.find("conversation_channels")) r.conversation_channels = channel_set(*c);
        if (auto c = v.find("consent_days")) r.consent_days = int_in(*c, 0, 366);
        break;
    case RuleKind::time_of_day: {
        const JsonView s = v.at("start"), e = v.at("end");
        r.start = parse_local_time(s.as_string(), s.path());
        r.end = parse_local_time(e.as_string(), e.path());
        if (r.start == r.end) e.fail("the window is empty (start equals end)");
        break;
    }
    case RuleKind::designated_times:
        if (auto b = v.find("allow_reply")) r.allow_reply = b->as_bool();
        break;
    case RuleKind::medium_opt_out:
        if (auto b = v.find("allow_reply")) r.allow_reply = b->as_bool();
        if (auto b = v.find("allow_confirmation")) r.allow_confirmation = b->as_bool();
        break;
    case RuleKind::dispute_pause:
        if (auto b = v.find("written_only")) r.written_only = b->as_bool();
        break;
    case RuleKind::time_barred:
        r.blocked_tags = tag_set(v.at("blocked_tags"));
        if (!r.blocked_tags) v.at("blocked_tags").fail("at least one tag is required");
        break;
    default:
        break;
    }
    return r;
}

Json ContactRule::to_json() const {
    Json j{{"id", id}, {"kind", std::string(to_string(kind))}, {"citation", citation}};
    if (!summary.empty()) j["summary"] = summary;
    if (!notes.empty()) j["notes"] = notes;
    j["channels"] = channel_names(channels);
    if (allowed_tags) j["allowed_tags"] = tag_names(allowed_tags);
    switch (kind) {
    case RuleKind::frequency:
        j["counted_channels"] = channel_names(counted_channels);
        j["max"] = max;
        j["window_days"] = window_days;
        j["unit"] = std::string(to_string(unit));
        j["count"] = std::string(to_string(count));
        j["consent_days"] = consent_days;
        break;
    case RuleKind::conversation:
        j["conversation_channels"] = channel_names(conversation_channels);
        j["window_days"] = window_days;
        j["consent_days"] = consent_days;
        break;
    case RuleKind::time_of_day:
        j["start"] = format_local_time(start);
        j["end"] = format_local_time(end);
        break;
    case RuleKind::designated_times:
        j["allow_reply"] = allow_reply;
        break;
    case RuleKind::medium_opt_out:
        j["allow_confirmation"] = allow_confirmation;
        j["allow_reply"] = allow_reply;
        break;
    case RuleKind::dispute_pause:
        j["written_only"] = written_only;
        break;
    case RuleKind::time_barred:
        j["blocked_tags"] = tag_names(blocked_tags);
        break;
    default:
        break;
    }
    return j;
}

// ---- Reason, Decision -----------------------------------------------------------------------

Json Reason::to_json() const {
    return Json{{"rule", rule}, {"citation", citation}, {"message", message}};
}

void Reason::validate() const {
    if (rule.empty()) throw ValidationError("rule: a reason names its rule id");
}

void Decision::validate() const {
    if (allowed != reasons.empty())
        throw ValidationError(allowed ? "reasons: an allowed decision has no reasons"
                                      : "reasons: a blocked decision needs a reason");
    for (const auto& r : reasons) r.validate();
    for (const auto& n : notes) n.validate();
}

std::string Reason::repr() const {
    return "Reason(" + quote(rule) + ", " + quote(citation) + ", " + quote(message) + ")";
}

Json Decision::to_json() const {
    return Json{
        {"allowed", allowed}, {"reasons", reasons_json(reasons)}, {"notes", reasons_json(notes)}};
}

std::string Decision::repr() const {
    if (allowed) return "Decision(allowed=True, notes=" + std::to_string(notes.size()) + ")";
    std::string rules;
    for (std::size_t i = 0; i < reasons.size(); ++i)
        rules += (i ? ", " : "") + quote(reasons[i].rule);
    return "Decision(allowed=False, reasons=[" + rules + "])";
}

void Decision::raise_if_blocked() const {
    if (allowed) return;
    if (reasons.empty()) throw ComplianceError("", "", "contact not allowed");
    throw ComplianceError(reasons.front().rule, reasons.front().citation, reasons.front().message);
}

// ---- ContactPolicy -------------------------------------------------------------------------

ContactPolicy::ContactPolicy(std::string name, std::vector<std::string> served_time_zones,
                             std::vector<ContactRule> rules, std::vector<std::string> overlays,
                             std::string note)
    : name_(std::move(name)), note_(std::move(note)), rules_(std::move(rules)),
      overlays_(std::move(overlays)) {
    if (name_.empty()) throw ValidationError("name: a policy needs a name");
    if (rules_.size() > 64)
        throw ValidationError("rules: " + std::to_string(rules_.size()) +
                              " rules; a policy holds at most 64");
    for (std::size_t i = 0; i < rules_.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (rules_[i].id == rules_[j].id)
                throw ValidationError("rules[" + std::to_string(i) + "].id: duplicate rule id " +
                                      quote(rules_[i].id));
    if (served_time_zones.empty())
        throw ValidationError("served_time_zones: at least one zone is needed for consumers whose "
                              "location is unknown");
    for (std::size_t i = 0; i < served_time_zones.size(); ++i) {
        const TimeZone& z =
            find_time_zone(served_time_zones[i], "served_time_zones[" + std::to_string(i) + "]");
        if (std::find(served_names_.begin(), served_names_.end(), z.name()) != served_names_.end())
            continue;
        served_names_.push_back(z.name());
        const bool same = std::any_of(served_.begin(), served_.end(), [&](const TimeZone* o) {
            return o->same_rules_since_2000(z);
        });
        if (!same) served_.push_back(&z);
    }
}

ContactPolicy ContactPolicy::regulation_f() {
    return parse(detail::kRegulationF);
}

std::vector<std::string> ContactPolicy::overlay_codes() {
    return {"MA", "NYC", "WA"};
}

Json ContactPolicy::overlay_json(std::string_view code) {
    const char* text = overlay_text(code);
    if (!text)
        throw NotFoundError("code: no overlay on file for " + quote(code) +
                            " (on file: MA, NYC, WA)");
    return parse_json(text, "overlay");
}

std::vector<std::string> ContactPolicy::default_served_time_zones() {
    const Json j = parse_json(detail::kRegulationF, "regulation_f");
    return j.at("served_time_zones").get<std::vector<std::string>>();
}

ContactPolicy ContactPolicy::for_state(std::string_view code) {
    return for_states({std::string(code)});
}

ContactPolicy ContactPolicy::for_states(const std::vector<std::string>& codes) {
    return regulation_f().with_overlays(codes);
}

ContactPolicy ContactPolicy::with_overlays(const std::vector<std::string>& codes) const {
    Json base = to_json();
    std::vector<std::string> applied = overlays_, missing;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const std::string field = codes.size() == 1 ? "state" : "states[" + std::to_string(i) + "]";
        std::string code = codes[i];
        for (auto& ch : code)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (code != "NYC") code = parse_state_code(code, field);
        if (std::find(applied.begin(), applied.end(), code) != applied.end() ||
            std::find(missing.begin(), missing.end(), code) != missing.end())
            continue;
        const char* text = overlay_text(code);
        if (!text) {
            missing.push_back(code);
            continue;
        }
        const Json overlay = parse_json(text, "overlay");
        for (const auto& rule : overlay.at("rules"))
            base["rules"].push_back(rule);
        base["name"] =
            base["name"].get<std::string>() + " + " + overlay.at("name").get<std::string>();
        base["note"] = base["note"].get<std::string>() + " " + code + ": " +
                       overlay.at("note").get<std::string>();
        applied.push_back(code);
    }
    if (applied.size() == overlays_.size() && missing.empty()) return *this;
    for (const auto& m : missing)
        base["note"] = base["note"].get<std::string>() + " " + m +
                       ": no state overlay on file; Regulation F alone applies here.";
    base["overlays"] = applied;
    return from_json(JsonView(base));
}

ContactPolicy ContactPolicy::from_json(const JsonView& v) {
    v.require_object();
    v.check_keys({"format", "version", "name", "note", "overlays", "served_time_zones", "rules"});
    if (auto f = v.find("format"); f && f->as_string() != "arrears.contact_policy")
        f->fail("expected \"arrears.contact_policy\"");
    if (auto ver = v.find("version"); ver && ver->as_int() != 1)
        ver->fail("unsupported version " + std::to_string(ver->as_int()) + " (this build reads 1)");
    std::vector<std::string> zones = default_served_time_zones();
    if (auto z = v.find("served_time_zones")) zones = strings(*z);
    const JsonView rv = v.at("rules");
    rv.require_array();
    std::vector<ContactRule> rules;
    for (std::size_t i = 0; i < rv.size(); ++i)
        rules.push_back(ContactRule::from_json(rv.at(i)));
    std::vector<std::string> overlays;
    if (auto o = v.find("overlays")) overlays = strings(*o);
    try {
        return ContactPolicy(v.at("name").as_string(), std::move(zones), std::move(rules),
                             std::move(overlays), v.find("note") ? v.at("note").as_string() : "");
    } catch (const ValidationError& e) {
        const std::string what = e.what();
        if (what.rfind("$", 0) == 0) throw;
        throw ValidationError(v.path() + "." + what);
    }
}

ContactPolicy ContactPolicy::parse(std::string_view json_text) {
    const Json j = parse_json(json_text, "policy");
    return from_json(JsonView(j));
}

Json ContactPolicy::to_json() const {
    Json rules = Json::array();
    for (const auto& r : rules_)
        rules.push_back(r.to_json());
    return Json{{"format", "arrears.contact_policy"},
                {"version", 1},
                {"name", name_},
                {"note", note_},
                {"overlays", overlays_},
                {"served_time_zones", served_names_},
                {"rules", rules}};
}

const ContactRule& ContactPolicy::rule(std::string_view id) const {
    for (const auto& r : rules_)
        if (r.id == id) return r;
    throw NotFoundError("rule: " + quote(id) + " is not a rule of policy " + quote(name_));
}

std::string ContactPolicy::repr() const {
    return "ContactPolicy(" + quote(name_) + ", rules=" + std::to_string(rules_.size()) + ")";
}

Decision ContactPolicy::check(const Consumer& consumer, const ContactAttempt& proposed,
                              const std::vector<ContactAttempt>& history) const {
    OneCheck one(consumer, proposed, history);
    detail::Scratch scratch;
    detail::EvalResult result;
    detail::Explanation ex;
    ex.debt_names = &one.debts.names();
    detail::evaluate(*this, one.consumer, one.proposal, one.slice, scratch, result, &ex);
    Decision d;
    d.allowed = result.blocking == 0;
    d.reasons = std::move(ex.reasons);
    d.notes = std::move(ex.notes);
    return d;
}

std::optional<Instant>
ContactPolicy::next_allowed(const Consumer& consumer, const ContactAttempt& proposed,
                            const std::vector<ContactAttempt>& history) const {
    const auto w = next_window(consumer, proposed, history);
    if (!w) return std::nullopt;
    return w->start;
}

std::optional<ContactWindow>
ContactPolicy::next_window(const Consumer& consumer, const ContactAttempt& proposed,
                           const std::vector<ContactAttempt>& history) const {
    OneCheck one(consumer, proposed, history);
    detail::Scratch scratch;
    std::int64_t end = INT64_MIN;
    const auto start =
        detail::next_allowed(*this, one.consumer, one.proposal, one.slice, scratch, &end);
    if (!start) return std::nullopt;
    ContactWindow w;
    w.start = Instant{std::chrono::seconds{*start}};
    if (end != INT64_MIN) w.end = Instant{std::chrono::seconds{end}};
    return w;
}

Decision ContactPolicy::check_action(const Consumer& consumer,
                                     const std::vector<std::string>& debt_ids, TagSet tags) const {
    const ContactAttempt action(consumer.id(), debt_ids, ContactChannel::letter,
                                Direction::outbound, Outcome::delivered, Instant{}, false, tags);
    OneCheck one(consumer, action, {}, false);
    detail::Scratch scratch;
    detail::EvalResult result;
    detail::Explanation ex;
    ex.debt_names = &one.debts.names();
    detail::evaluate(*this, one.consumer, one.proposal, one.slice, scratch, result, &ex,
                     detail::Mode::action);
    Decision d;
    d.allowed = result.blocking == 0;
    d.reasons = std::move(ex.reasons);
    d.notes = std::move(ex.notes);
    return d;
}

DisputeAssessment ContactPolicy::assess_dispute(Date received, Date validation_end, bool written,
                                                std::optional<Date> verification_sent) const {
    check_date(received, "received");
    check_date(validation_end, "validation_end");
    if (verification_sent) {
        check_date(*verification_sent, "verification_sent");
        if (to_days(*verification_sent) < to_days(received))
            throw ValidationError("verification_sent: " + to_iso(*verification_sent) +
                                  " is before the dispute was received (" + to_iso(received) + ")");
    }
    DisputeAssessment a;
    const bool timely = to_days(received) <= to_days(validation_end);
    const std::string how = written ? "written" : "oral";
    for (const auto& r : rules_) {
        if (r.kind != RuleKind::dispute_pause) continue;
        std::string msg;
        if (!timely) {
            msg = "The dispute was received on " + to_iso(received) +
                  ", after the validation period ended on " + to_iso(validation_end) +
                  ": collection is not paused under this rule.";
        } else if (!written && r.written_only) {
            msg = "An oral dispute does not pause collection under this rule (it must be in "
                  "writing, electronic included).";
        } else if (verification_sent) {
            msg = "Verification was sent on " + to_iso(*verification_sent) +
                  ": the pause that the " + how + " dispute of " + to_iso(received) +
                  " started has ended.";
        } else {
            msg = "A " + how + " dispute received on " + to_iso(received) +
                  ", within the validation period ending " + to_iso(validation_end) +
                  ": collection of the debt is paused until verification is sent.";
            a.pauses_collection = true;
        }
        a.reasons.push_back({r.id, r.citation, msg});
    }
    a.mark_disputed = true;
    a.reasons.push_back({"fdcpa.disputed_debt_reporting", "15 U.S.C. 1692e(8)",
                         "Report the debt as disputed to the credit bureaus (Metro 2 compliance "
                         "condition code XB) while the dispute stands."});
    return a;
}

} // namespace arrears
