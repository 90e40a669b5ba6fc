#include "compliance/engine.hpp"

#include "arrears/error.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <span>

namespace arrears::detail {

namespace {

constexpr std::int64_t kDay = 86400;

std::string day_iso(std::int64_t day) {
    return to_iso(Date{std::chrono::sys_days{std::chrono::days{day}}});
}

std::string local_hhmm(const TimeZone& z, std::int64_t t) {
    return format_local_time(floor_modulo(z.to_local(t), kDay) / 60 * 60);
}

std::string local_when(const TimeZone& z, std::int64_t t) {
    const std::int64_t local = z.to_local(t);
    return day_iso(floor_divide(local, kDay)) + " " +
           format_local_time(floor_modulo(local, kDay) / 60 * 60) + " " + z.name();
}

bool contains(const std::vector<std::int32_t>& sorted, std::int32_t code) {
    return std::binary_search(sorted.begin(), sorted.end(), code);
}

ContactChannel medium(ContactChannel c) {
    return c == ContactChannel::voicemail ? ContactChannel::call : c;
}

bool counts(CountMode mode, std::uint8_t outcome) {
    if (mode == CountMode::attempted) return true;
    return outcome != static_cast<std::uint8_t>(Outcome::not_connected) &&
           outcome != static_cast<std::uint8_t>(Outcome::bounced);
}

std::string noun(std::uint8_t channels) {
    if (channels == (channel_bit(ContactChannel::call) | channel_bit(ContactChannel::voicemail)) ||
        channels == channel_bit(ContactChannel::call))
        return "calls";
    if (channels == kAllChannels) return "contact attempts (all media)";
    std::string out = "contacts by ";
    const auto names = channel_names(channels);
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? (i + 1 == names.size() ? " or " : ", ") : "") + names[i];
    return out;
}

std::string tags_text(TagSet tags) {
    std::string out;
    const auto names = tag_names(tags);
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + names[i];
    return out;
}

struct Ctx {
    const ContactPolicy& policy;
    const ConsumerFacts& consumer;
    const ProposalFacts& p;
    const TimeZone* const* zones;
    std::size_t n_zones;
    bool location_known;
    EvalResult& out;
    Explanation* ex;
    Scratch& s;

    // The contact's local time in zone zi (seconds since 1970-01-01 local), once per zone.
    std::int64_t local_cache[8] = {};
    std::uint8_t local_known = 0;
    std::int64_t local(std::size_t zi) {
        if (zi >= 8) return zones[zi]->to_local(p.at);
        if (!(local_known & (1u << zi))) {
            local_cache[zi] = zones[zi]->to_local(p.at);
            local_known = static_cast<std::uint8_t>(local_known | (1u << zi));
        }
        return local_cache[zi];
    }
    std::int64_t day(std::size_t zi) { return floor_divide(local(zi), 86400); }

    std::string debt(std::int32_t code) const {
        if (ex && ex->debt_names && code >= 0 &&
            static_cast<std::size_t>(code) < ex->debt_names->size())
            return quote((*ex->debt_names)[static_cast<std::size_t>(code)]);
        return "#" + std::to_string(code);
    }
    // Messages are built only when explaining (the batch path never formats a string).
    template <class F> void block(std::size_t i, const ContactRule& r, F&& message) {
        out.blocking |= std::uint64_t{1} << i;
        if (ex) ex->reasons.push_back({r.id, r.citation, message()});
    }
    template <class F>
    void block_until(std::size_t i, const ContactRule& r, std::int64_t lift, F&& message) {
        out.lift = std::max(out.lift, lift);
        block(i, r, std::forward<F>(message));
    }
    template <class F> void block_forever(std::size_t i, const ContactRule& r, F&& message) {
        out.permanent = true;
        block(i, r, std::forward<F>(message));
    }
    template <class F> void note(const ContactRule& r, F&& message) {
        if (ex) ex->notes.push_back({r.id, r.citation, message()});
    }
    // [lo, hi): the UTC span of the local days d-W+1 .. d in zone zi. Cached in the scratch
    // across contacts: a worklist's contacts fall on a few local days.
    std::pair<std::int64_t, std::int64_t> window(std::size_t zi, std::int64_t d, std::int64_t W) {
        const TimeZone* z = zones[zi];
        const auto h =
            (reinterpret_cast<std::uintptr_t>(z) >> 4) ^ static_cast<std::uintptr_t>(d * 31 + W);
        auto& e = s.windows[h % s.windows.size()];
        if (e.zone != z || e.day != d || e.w != W) {
            e.zone = z;
            e.day = d;
            e.w = W;
            e.lo = z->day_start(d - (W - 1));
            e.hi = z->day_start(d + 1);
        }
        return {e.lo, e.hi};
    }
    std::string where() const {
        return location_known ? (n_zones > 1 ? " in every time zone where the consumer may be" : "")
                              : " in every served U.S. time zone (the consumer's location is "
                                "unknown)";
    }
};

// Is a call at `t` (local day `day` in zone z) about `debt` covered by consent given directly
// within `days` local days (consent date = day 1) before it? Returns the consent day or INT64_MIN.
std::int64_t consent_day(const Scratch& s, const TimeZone& z, std::int32_t debt, std::int64_t t,
                         std::int64_t day, int days) {
    std::int64_t best = INT64_MIN;
    for (const auto& [at, d] : s.consents) {
        if (d != debt || at > t) continue;
        const std::int64_t cd = z.local_day(at);
        if (day - cd >= 0 && day - cd < days) best = std::max(best, cd);
    }
    return best;
}

void frequency(Ctx& c, std::size_t i, const ContactRule& r, Scratch& s) {
    const std::span<const Candidate> cands(s.cands[i].data(), s.cand_len[i]);
    const std::int64_t W = r.window_days;
    const std::size_t slots = r.unit == CountUnit::person_debt ? c.p.n_debts : 1;
    for (std::size_t slot = 0; slot < slots; ++slot) {
        const std::int32_t debt = r.unit == CountUnit::person_debt ? c.p.debts[slot] : -1;
        for (std::size_t zi = 0; zi < c.n_zones; ++zi) {
            const TimeZone& z = *c.zones[zi];
            const std::int64_t d = c.day(zi);
            // A call placed with consent does not count, so it cannot be in excess.
            if (r.consent_days > 0 && r.unit == CountUnit::person_debt && !s.consents.empty()) {
                const std::int64_t cd = consent_day(s, z, debt, c.p.at, d, r.consent_days);
                if (cd != INT64_MIN) {
                    c.out.expires = std::min(c.out.expires, z.day_start(cd + r.consent_days));
                    if (zi == 0)
                        c.note(r, [&] {
                            return std::string(
                                "This call does not count toward the limit: the consumer gave "
                                "consent directly on " +
                                day_iso(cd) + " (" + z.name() + "), good through " +
                                day_iso(cd + r.consent_days - 1) + " (12 CFR 1006.14(b)(3)(i)).");
                        });
                    continue;
                }
            }
            const auto [lo, hi] = c.window(zi, d, W);
            s.days.clear();
            const bool consents = r.consent_days > 0 && !s.consents.empty();
            for (const Candidate& k : cands) {
                if (k.at < lo || k.at >= hi) continue;
                if (r.unit == CountUnit::person_debt && k.slot != static_cast<std::int32_t>(slot))
                    continue;
                if (consents &&
                    consent_day(s, z, k.debt, k.at, z.local_day(k.at), r.consent_days) != INT64_MIN)
                    continue;
                s.days.push_back(k.at);
            }
            const auto n = static_cast<std::int64_t>(s.days.size());
            auto about = [&] {
                return r.unit == CountUnit::person_debt
                           ? " about debt " + c.debt(debt)
                           : std::string(" to this consumer (all debts)");
            };
            auto span = [&] {
                return "the " + std::to_string(W) + " days " + day_iso(d - (W - 1)) + " to " +
                       day_iso(d) + " (local dates, " + z.name() + ")";
            };
            if (n >= r.max) {
                for (auto& t : s.days)
                    t = z.local_day(t);
                std::sort(s.days.begin(), s.days.end());
                std::int64_t lift = z.day_start(s.days[static_cast<std::size_t>(n - r.max)] + W);
                if (r.consent_days > 0) // consent given later would exempt the call earlier
                    for (const auto& [at, dd] : s.consents)
                        if (at > c.p.at && (r.unit == CountUnit::consumer || dd == debt))
                            lift = std::min(lift, at);
                c.block_until(i, r, lift, [&] {
                    return std::string(std::to_string(n) + " " + noun(r.counted_channels) +
                                       about() + " already in " + span() + "; at most " +
                                       std::to_string(r.max) + " are allowed, so this " +
                                       std::string(to_string(c.p.channel)) +
                                       " would be one too many. Not before " + local_when(z, lift) +
                                       " under this rule.");
                });
                break; // one reason per debt
            }
            if (zi == 0)
                c.note(r, [&] {
                    return std::string(std::to_string(n) + " of at most " + std::to_string(r.max) +
                                       " " + noun(r.counted_channels) + about() + " in " + span() +
                                       ".");
                });
        }
    }
}

void conversation(Ctx& c, std::size_t i, const ContactRule& r, Scratch& s) {
    const std::span<const Candidate> cands(s.cands[i].data(), s.cand_len[i]);
    const std::int64_t W = r.window_days;
    for (std::size_t slot = 0; slot < c.p.n_debts; ++slot) {
        const std::int32_t debt = c.p.debts[slot];
        bool blocked = false;
        for (std::size_t zi = 0; zi < c.n_zones && !blocked; ++zi) {
            const TimeZone& z = *c.zones[zi];
            const std::int64_t d = c.day(zi);
            if (r.consent_days > 0 && !s.consents.empty()) {
                const std::int64_t cd = consent_day(s, z, debt, c.p.at, d, r.consent_days);
                if (cd != INT64_MIN) {
                    c.out.expires = std::min(c.out.expires, z.day_start(cd + r.consent_days));
                    if (zi == 0)
                        c.note(r, [&] {
                            return std::string(
                                "This call does not count: the consumer gave consent directly "
                                "on " +
                                day_iso(cd) + ", good through " + day_iso(cd + r.consent_days - 1) +
                                " (12 CFR 1006.14(b)(3)(i)).");
                        });
                    continue;
                }
            }
            const auto [lo, hi] = c.window(zi, d, W);
            std::int64_t latest = INT64_MIN;
            for (const Candidate& k : cands)
                if (k.slot == static_cast<std::int32_t>(slot) && k.at >= lo && k.at < hi)
                    latest = std::max(latest, k.at);
            if (latest == INT64_MIN) continue;
            const std::int64_t cd = z.local_day(latest);
            const std::int64_t lift = z.day_start(cd + W);
            c.block_until(i, r, lift, [&] {
                return std::string("A telephone conversation about debt " + c.debt(debt) +
                                   " took place on " + day_iso(cd) + " (" + z.name() +
                                   "), which is day 1 of " + std::to_string(W) +
                                   " days without calls about it (through " + day_iso(cd + W - 1) +
                                   "). Not before " + local_when(z, lift) + " under this rule.");
            });
            blocked = true;
        }
        if (!blocked)
            c.note(r, [&] {
                return std::string("No telephone conversation about debt " + c.debt(debt) +
                                   " in the last " + std::to_string(W) + " local days.");
            });
    }
}

void time_of_day(Ctx& c, std::size_t i, const ContactRule& r) {
    auto window = [&] { return format_local_time(r.start) + " to " + format_local_time(r.end); };
    std::int64_t lift = INT64_MIN;
    const TimeZone* first = nullptr;
    for (std::size_t zi = 0; zi < c.n_zones; ++zi) {
        const TimeZone& z = *c.zones[zi];
        const std::int64_t local = c.local(zi);
        const std::int64_t d = floor_divide(local, kDay);
        const std::int64_t tod = floor_modulo(local, kDay);
        const bool ok =
            r.start < r.end ? (tod >= r.start && tod < r.end) : (tod >= r.start || tod < r.end);
        if (ok) continue;
        if (!first) first = &z;
        if (r.start < r.end)
            lift = std::max(lift, z.at_local(tod < r.start ? d : d + 1, r.start));
        else
            lift = std::max(lift, z.at_local(d, r.start));
    }
    if (first) {
        c.block_until(i, r, lift, [&] {
            return std::string("It is " + local_hhmm(*first, c.p.at) + " for the consumer in " +
                               first->name() + "; contact is allowed only from " + window() +
                               " local time" + c.where() + ".");
        });
        return;
    }
    auto zones = [&] {
        std::string out;
        for (std::size_t zi = 0; zi < c.n_zones; ++zi)
            out += (zi ? ", " : "") + c.zones[zi]->name() + " " + local_hhmm(*c.zones[zi], c.p.at);
        return out;
    };
    c.note(r, [&] {
        return std::string("Local time is within " + window() + c.where() + " (" + zones() + ").");
    });
}

// The latest inbound contact through the proposal's medium at or before the proposal, and
// whether an outbound reply followed it.
struct ReplyState {
    std::int64_t latest_inbound = INT64_MIN;
    std::int64_t latest_reply = INT64_MIN;
    bool confirmation_sent = false;
    bool unanswered() const { return latest_inbound != INT64_MIN && latest_reply < latest_inbound; }
};

void designated_times(Ctx& c, std::size_t i, const ContactRule& r, const ReplyState& reply) {
    std::int64_t lift = INT64_MIN;
    bool found = false;
    std::string message;
    for (std::size_t k = 0; k < c.consumer.n_inconvenient; ++k) {
        const LocalTimeRange& range = c.consumer.inconvenient[k];
        for (std::size_t zi = 0; zi < c.n_zones; ++zi) {
            const TimeZone& z = *c.zones[zi];
            const std::int64_t local = c.local(zi);
            const std::int64_t d = floor_divide(local, kDay);
            const std::int64_t tod = floor_modulo(local, kDay);
            if (!range.contains(weekday_of(d), tod)) continue;
            if (r.allow_reply && (c.p.tags & tag_bit(ContactTag::reply)) && reply.unanswered()) {
                bool inbound_inconvenient = false;
                for (std::size_t zj = 0; zj < c.n_zones; ++zj) {
                    const std::int64_t in = c.zones[zj]->to_local(reply.latest_inbound);
                    inbound_inconvenient |= range.contains(weekday_of(floor_divide(in, kDay)),
                                                           floor_modulo(in, kDay));
                }
                if (inbound_inconvenient) {
                    c.note(r, [&] {
                        return std::string(
                            "Allowed once: a reply through the same medium to the consumer's own "
                            "contact at a time they called inconvenient (" +
                            local_when(z, reply.latest_inbound) + ").");
                    });
                    return;
                }
            }
            // The end of the part of the range we are in: today's end, or tomorrow's for the
            // evening part of a range that wraps past midnight.
            const bool evening = range.start > range.end && tod >= range.start &&
                                 ((range.weekdays >> weekday_of(d)) & 1);
            const std::int64_t e = z.at_local(evening ? d + 1 : d, range.end);
            lift = std::max(lift, e);
            const bool first = !found;
            found = true;
            if (first && c.ex)
                message = "The consumer said " + format_local_time(range.start) + " to " +
                          format_local_time(range.end) + " is inconvenient for them, and it is " +
                          local_hhmm(z, c.p.at) + " in " + z.name() + "; the range ends at " +
                          local_when(z, e) + ".";
        }
    }
    if (found) {
        // One range can end inside another: the loop in next_allowed re-checks from `lift`.
        c.block_until(i, r, lift, [&] { return std::string(message); });
        return;
    }
    if (c.consumer.n_inconvenient)
        c.note(r, [&] {
            return std::string("Outside every time the consumer designated as inconvenient.");
        });
}

} // namespace

void evaluate(const ContactPolicy& policy, const ConsumerFacts& consumer, const ProposalFacts& p,
              const HistorySlice& h, Scratch& s, EvalResult& out, Explanation* ex, Mode mode) {
    out = EvalResult{};
    const auto& rules = policy.rules();
    const bool known = consumer.n_zones > 0;
    Ctx c{policy,
          consumer,
          p,
          known ? consumer.zones : policy.served_zones().data(),
          known ? consumer.n_zones : policy.served_zones().size(),
          known,
          out,
          ex,
          s};
    const std::uint8_t pbit = channel_bit(p.channel);

    // Which counting rules apply to this contact, and which history rows feed each: a table
    // by (channel, direction, outcome), built once per (policy, channel, tags) and kept in the
    // scratch, so the pass over the history touches no rule.
    Plan& plan = s.plan;
    if (plan.policy != &policy || plan.channel != p.channel || plan.tags != p.tags ||
        plan.mode != static_cast<std::uint8_t>(mode) || plan.n_rules != rules.size()) {
        plan = Plan{};
        plan.policy = &policy;
        plan.channel = p.channel;
        plan.tags = p.tags;
        plan.mode = static_cast<std::uint8_t>(mode);
        plan.n_rules = rules.size();
        for (std::size_t i = 0; i < rules.size() && mode == Mode::contact; ++i) {
            const ContactRule& r = rules[i];
            if ((r.kind != RuleKind::frequency && r.kind != RuleKind::conversation) ||
                !(r.channels & pbit) || (p.tags & r.allowed_tags))
                continue;
            const std::size_t q = plan.n_counting++;
            plan.counting[q] = i;
            plan.consumer_unit[q] = r.kind == RuleKind::frequency && r.unit == CountUnit::consumer;
            if (plan.consumer_unit[q]) plan.any_debt |= std::uint64_t{1} << q;
            if (r.consent_days > 0) plan.need_consent = true;
            // A row counts if its local date is within window_days of the contact's; a consent
            // exempts it if given within consent_days before that row. Two days of margin
            // cover the spread of UTC offsets and DST.
            plan.lookback = std::max<std::int64_t>(plan.lookback, (r.window_days + 2) * 86400LL);
            plan.consent_lookback = std::max<std::int64_t>(
                plan.consent_lookback, (r.window_days + r.consent_days + 2) * 86400LL);
            for (int ch = 0; ch < kChannelCount; ++ch)
                for (int dir = 0; dir < 2; ++dir)
                    for (int oc = 0; oc < kOutcomeCount; ++oc) {
                        const auto cbit = static_cast<std::uint8_t>(1u << ch);
                        const bool feeds = r.kind == RuleKind::frequency
                                               ? dir == static_cast<int>(Direction::outbound) &&
                                                     (r.counted_channels & cbit) &&
                                                     counts(r.count, static_cast<std::uint8_t>(oc))
                                               : oc == static_cast<int>(Outcome::conversation) &&
                                                     (r.conversation_channels & cbit);
                        if (feeds)
                            plan.feeds[(ch * 2 + dir) * kOutcomeCount + oc] |= std::uint64_t{1}
                                                                               << q;
                    }
        }
        plan.track_replies =
            (p.tags & (tag_bit(ContactTag::reply) | tag_bit(ContactTag::opt_out_confirmation))) !=
            0;
    }
    // next_allowed re-evaluates the same contact at later instants: the pass over the history
    // depends on the instant only through the reply tracking, so its result is reused.
    const bool reuse = s.reusable && plan.policy == &policy && !plan.track_replies;
    s.reusable = false;
    ReplyState reply;
    if (!reuse) {
        if (s.cands.size() < rules.size()) {
            s.cands.resize(rules.size());
            s.cand_len.resize(rules.size());
        }
        const std::size_t rows = h.end - h.begin;
        for (std::size_t q = 0; q < plan.n_counting; ++q) {
            const std::size_t i = plan.counting[q];
            if (s.cands[i].size() < rows) s.cands[i].resize(rows);
            s.cand_len[i] = 0;
        }
        s.consents.clear();

        // One pass over the history.
        if (mode == Mode::contact && (plan.n_counting || plan.track_replies)) {
            const ContactColumns& col = *h.cols;
            const ContactChannel pmedium = medium(p.channel);
            const bool consents = plan.need_consent && col.consent;
            // With rows in time order only the recent ones can matter (replies look at all).
            const std::size_t from =
                plan.track_replies ? h.begin : h.first_at(p.at - plan.lookback, h.end);
            if (consents)
                for (std::size_t k = h.first_at(p.at - plan.consent_lookback, from); k < from;
                     ++k) {
                    const std::size_t row = h.row(k);
                    if (col.consent[row]) s.consents.emplace_back(col.at[row], col.debt[row]);
                }
            for (std::size_t k = from; k < h.end; ++k) {
                const std::size_t row = h.row(k);
                const std::uint8_t ch = col.channel[row];
                const std::uint8_t dir = col.direction[row];
                const std::uint8_t oc = col.outcome[row];
                if (consents && col.consent[row])
                    s.consents.emplace_back(col.at[row], col.debt[row]);
                if (plan.track_replies) {
                    const std::int64_t at = col.at[row];
                    const TagSet tags = col.tags ? col.tags[row] : 0;
                    if (medium(static_cast<ContactChannel>(ch)) == pmedium && at <= p.at) {
                        if (dir == static_cast<std::uint8_t>(Direction::inbound))
                            reply.latest_inbound = std::max(reply.latest_inbound, at);
                        else if (tags & tag_bit(ContactTag::reply))
                            reply.latest_reply = std::max(reply.latest_reply, at);
                    }
                    if (dir == static_cast<std::uint8_t>(Direction::outbound) &&
                        ch == static_cast<std::uint8_t>(p.channel) &&
                        (tags & tag_bit(ContactTag::opt_out_confirmation)))
                        reply.confirmation_sent = true;
                }
                // Branch-free from here: the candidate is written to every rule's buffer and kept
                // (its length advanced) only where the row feeds the rule.
                std::uint64_t feeds = plan.feeds[(ch * 2 + dir) * kOutcomeCount + oc];
                const std::int32_t debt = col.debt[row];
                std::int32_t slot = -1;
                if (p.n_debts == 1) {
                    slot = debt == p.debts[0] ? 0 : -1;
                } else {
                    for (std::size_t j = 0; j < p.n_debts; ++j)
                        if (p.debts[j] == debt) {
                            slot = static_cast<std::int32_t>(j);
                            break;
                        }
                }
                feeds &= slot >= 0 ? ~std::uint64_t{0} : plan.any_debt;
                const std::int64_t at = col.at[row];
                const std::int64_t event =
                    col.event ? col.event[row] : static_cast<std::int64_t>(row);
                for (std::size_t q = 0; q < plan.n_counting; ++q) {
                    const std::size_t i = plan.counting[q];
                    Candidate* buf = s.cands[i].data();
                    std::size_t& len = s.cand_len[i];
                    std::size_t keep = (feeds >> q) & 1;
                    // Rows of one event (a contact about several debts) count once per consumer;
                    // they are expected next to each other.
                    if (plan.consumer_unit[q])
                        keep &= static_cast<std::size_t>(len == 0 || buf[len - 1].event != event);
                    buf[len] = {at, event, debt, slot};
                    len += keep;
                }
            }
        }

    } // !reuse

    for (std::size_t i = 0; i < rules.size(); ++i) {
        const ContactRule& r = rules[i];
        if (mode == Mode::action && r.kind != RuleKind::time_barred &&
            r.kind != RuleKind::bankruptcy && r.kind != RuleKind::dispute_pause)
            continue;
        if (mode == Mode::contact && !(r.channels & pbit)) continue;
        if (p.tags & r.allowed_tags) {
            c.note(r, [&] {
                return std::string("Does not apply: the contact is tagged " +
                                   tags_text(p.tags & r.allowed_tags) + ".");
            });
            continue;
        }
        switch (r.kind) {
        case RuleKind::frequency:
            frequency(c, i, r, s);
            break;
        case RuleKind::conversation:
            conversation(c, i, r, s);
            break;
        case RuleKind::time_of_day:
            time_of_day(c, i, r);
            break;
        case RuleKind::designated_times:
            designated_times(c, i, r, reply);
            break;
        case RuleKind::cease:
            for (std::size_t j = 0; j < p.n_debts; ++j)
                if (contains(consumer.cease, p.debts[j]))
                    c.block_forever(i, r, [&] {
                        return std::string(
                            "The consumer asked in writing to stop communication about "
                            "debt " +
                            c.debt(p.debts[j]) +
                            "; only a notice that collection efforts are ending or "
                            "a notice about remedies may be sent (tag it " +
                            tags_text(r.allowed_tags) + ").");
                    });
            break;
        case RuleKind::medium_opt_out: {
            const bool opted = (consumer.opted_out & pbit) ||
                               (p.channel == ContactChannel::voicemail &&
                                (consumer.opted_out & channel_bit(ContactChannel::call)));
            if (!opted) break;
            const std::string ch(to_string(p.channel));
            const bool electronic =
                p.channel == ContactChannel::text || p.channel == ContactChannel::email;
            if (r.allow_confirmation && (p.tags & tag_bit(ContactTag::opt_out_confirmation)) &&
                electronic && !reply.confirmation_sent) {
                c.note(r, [&] {
                    return std::string(
                        "Allowed: the one electronic confirmation of the consumer's " + ch +
                        " opt-out (12 CFR 1006.14(h)(2)(i)).");
                });
                break;
            }
            if (r.allow_reply && (p.tags & tag_bit(ContactTag::reply)) && reply.unanswered()) {
                c.note(r, [&] {
                    return std::string("Allowed once: the reply through " + ch +
                                       " to the contact the consumer started on " +
                                       to_iso(Instant{std::chrono::seconds{reply.latest_inbound}}) +
                                       " (12 CFR 1006.14(h)(2)(ii)).");
                });
                break;
            }
            c.block_forever(i, r, [&] {
                return std::string("The consumer asked not to be contacted by " + ch +
                                   "; only one electronic confirmation of the opt-out and one "
                                   "reply to a contact the consumer starts through " +
                                   ch + " are allowed.");
            });
            break;
        }
        case RuleKind::dispute_pause:
            for (std::size_t j = 0; j < p.n_debts; ++j)
                if (contains(consumer.disputed, p.debts[j]))
                    c.block_forever(i, r, [&] {
                        return std::string("Debt " + c.debt(p.debts[j]) +
                                           " is disputed and collection on it is paused until "
                                           "verification is sent; only " +
                                           tags_text(r.allowed_tags) + " messages may go out.");
                    });
            break;
        case RuleKind::attorney:
            if (consumer.attorney)
                c.block_forever(i, r, [&] {
                    return std::string(
                        "The consumer is represented by an attorney about this debt; "
                        "communicate with the attorney instead.");
                });
            break;
        case RuleKind::bankruptcy:
            if (consumer.bankruptcy)
                c.block_forever(i, r, [&] {
                    return std::string("The consumer is in bankruptcy: the automatic stay forbids "
                                       "any act to collect the debt.");
                });
            break;
        case RuleKind::deceased:
            if (consumer.deceased)
                c.block_forever(i, r, [&] {
                    return std::string(
                        "The consumer is deceased; communicate only with the executor, "
                        "administrator or personal representative of the estate.");
                });
            break;
        case RuleKind::time_barred:
            if (!(p.tags & r.blocked_tags)) break;
            for (std::size_t j = 0; j < p.n_debts; ++j)
                if (contains(consumer.time_barred, p.debts[j]))
                    c.block_forever(i, r, [&] {
                        return std::string("Debt " + c.debt(p.debts[j]) +
                                           " is time-barred (the statute of limitations has run): "
                                           "no legal action and no threat of suit (tagged " +
                                           tags_text(p.tags & r.blocked_tags) + ").");
                    });
            break;
        }
    }
}

std::optional<std::int64_t> next_allowed(const ContactPolicy& policy, const ConsumerFacts& consumer,
                                         ProposalFacts p, const HistorySlice& history,
                                         Scratch& scratch, std::int64_t* window_end,
                                         const EvalResult* first) {
    const std::int64_t start = p.at;
    EvalResult r;
    for (int iter = 0; iter < 256; ++iter) {
        if (iter == 0 && first) {
            r = *first;
        } else {
            scratch.reusable = iter > 0 || first; // same contact, same history: a later instant
            evaluate(policy, consumer, p, history, scratch, r, nullptr);
        }
        if (!r.blocking) break;
        if (r.permanent) return std::nullopt;
        const std::int64_t next = std::max(r.lift, p.at + 1);
        if (next - start > kHorizonSeconds) return std::nullopt;
        p.at = next;
    }
    if (r.blocking) return std::nullopt;
    if (window_end) {
        // The first instant after p.at at which a time rule closes the window.
        const bool known = consumer.n_zones > 0;
        const TimeZone* const* zones = known ? consumer.zones : policy.served_zones().data();
        const std::size_t nz = known ? consumer.n_zones : policy.served_zones().size();
        std::int64_t end = r.expires;
        const std::uint8_t pbit = channel_bit(p.channel);
        for (const ContactRule& rule : policy.rules()) {
            if (!(rule.channels & pbit) || (p.tags & rule.allowed_tags)) continue;
            for (std::size_t zi = 0; zi < nz; ++zi) {
                const TimeZone& z = *zones[zi];
                const std::int64_t local = z.to_local(p.at);
                const std::int64_t d = floor_divide(local, 86400);
                const std::int64_t tod = floor_modulo(local, 86400);
                if (rule.kind == RuleKind::time_of_day) {
                    std::int64_t e;
                    if (rule.start < rule.end)
                        e = z.at_local(d, rule.end);
                    else
                        e = z.at_local(tod >= rule.start ? d + 1 : d, rule.end);
                    if (e > p.at) end = std::min(end, e);
                } else if (rule.kind == RuleKind::designated_times) {
                    // The next start of a designated range on one of its days.
                    for (std::size_t k = 0; k < consumer.n_inconvenient; ++k) {
                        const LocalTimeRange& range = consumer.inconvenient[k];
                        for (std::int64_t dd = d; dd <= d + 7; ++dd) {
                            if (!((range.weekdays >> weekday_of(dd)) & 1)) continue;
                            const std::int64_t e = z.at_local(dd, range.start);
                            if (e > p.at) {
                                end = std::min(end, e);
                                break;
                            }
                        }
                    }
                }
            }
        }
        *window_end = end == INT64_MAX ? INT64_MIN : end;
    }
    return p.at;
}

} // namespace arrears::detail
