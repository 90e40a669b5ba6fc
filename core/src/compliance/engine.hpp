// The contact-rule engine shared by ContactPolicy::check (one contact, explained) and
// check_contacts (columns, many threads). Private to the core.
#pragma once

#include "arrears/consumer.hpp"
#include "arrears/contact_batch.hpp"
#include "arrears/contact_policy.hpp"
#include "arrears/time_zone.hpp"

#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace arrears::detail {

// The rows of one consumer's history: cols rows index[begin..end) (or begin..end directly).
struct HistorySlice {
    const ContactColumns* cols = nullptr;
    const std::uint32_t* index = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
    bool by_time = false; // rows begin..end are in non-decreasing `at` order
    std::size_t row(std::size_t k) const noexcept { return index ? index[k] : k; }
    // The first k in [from_end_of, end) whose row is at or after t, scanning back from the end
    // (the recent rows are the ones read next); begin when not by_time.
    std::size_t first_at(std::int64_t t, std::size_t upto) const noexcept {
        if (!by_time) return begin;
        std::size_t k = upto;
        while (k > begin && cols->at[row(k - 1)] >= t)
            --k;
        return k;
    }
};

// A consumer with debt ids turned into the codes the history uses (sorted code lists).
struct ConsumerFacts {
    const TimeZone* const* zones = nullptr;
    std::size_t n_zones = 0;
    std::uint8_t opted_out = 0;
    std::vector<std::int32_t> cease, disputed, time_barred;
    const LocalTimeRange* inconvenient = nullptr;
    std::size_t n_inconvenient = 0;
    bool attorney = false, bankruptcy = false, deceased = false;
};

struct ProposalFacts {
    std::int64_t at = 0;
    ContactChannel channel = ContactChannel::call;
    TagSet tags = 0;
    const std::int32_t* debts = nullptr;
    std::size_t n_debts = 0;
};

struct EvalResult {
    std::uint64_t blocking = 0;       // bit i: rule i blocks
    bool permanent = false;           // some block never lifts by itself
    std::int64_t lift = INT64_MIN;    // no allowed instant before this (temporary blocks)
    std::int64_t expires = INT64_MAX; // an exception used now (consent) ends here
};

struct Explanation {
    std::vector<Reason> reasons;
    std::vector<Reason> notes;
    const std::vector<std::string>* debt_names = nullptr;
};

struct Candidate {
    std::int64_t at;
    std::int64_t event;
    std::int32_t debt;
    std::int32_t slot; // index among the proposal's debts, -1 if none
};

// The counting rules of one (policy, channel, tags): which history rows feed which rule.
struct Plan {
    const ContactPolicy* policy = nullptr;
    ContactChannel channel = ContactChannel::call;
    TagSet tags = 0;
    std::uint8_t mode = 255;
    std::size_t n_rules = 0;
    std::size_t n_counting = 0;
    std::size_t counting[64] = {}; // rule index of counting rule q
    bool consumer_unit[64] = {};   // rule q counts per consumer (dedupe by event)
    std::uint64_t any_debt = 0;    // bit q: rule q counts rows about any debt
    std::uint64_t feeds[kChannelCount * 2 * kOutcomeCount] = {}; // bit q: (ch, dir, oc) feeds q
    bool need_consent = false;
    bool track_replies = false;
    std::int64_t lookback = 0;         // seconds before the contact that can matter (counting)
    std::int64_t consent_lookback = 0; // ... for consents that exempt those rows
};

struct WindowEntry {
    const TimeZone* zone = nullptr;
    std::int64_t day = 0, w = 0, lo = 0, hi = 0;
};

struct Scratch {
    Plan plan;
    std::array<WindowEntry, 64> windows{}; // (zone, local day, W) -> UTC span, direct-mapped
    bool reusable = false; // set by next_allowed: the last pass over the history still holds
    std::vector<std::vector<Candidate>> cands; // per rule: a buffer of cand_len[rule] used
    std::vector<std::size_t> cand_len;
    std::vector<std::pair<std::int64_t, std::int32_t>> consents;
    std::vector<std::int64_t> days;
    std::vector<std::int64_t> events;
};

// What a contact or action is checked for.
enum class Mode : std::uint8_t { contact, action };

void evaluate(const ContactPolicy& policy, const ConsumerFacts& consumer,
              const ProposalFacts& proposal, const HistorySlice& history, Scratch& scratch,
              EvalResult& out, Explanation* explain, Mode mode = Mode::contact);

// Earliest allowed instant >= proposal.at (empty: never / not within 400 days).
std::optional<std::int64_t> next_allowed(const ContactPolicy& policy, const ConsumerFacts& consumer,
                                         ProposalFacts proposal, const HistorySlice& history,
                                         Scratch& scratch, std::int64_t* window_end,
                                         const EvalResult* first = nullptr);

inline constexpr std::int64_t kHorizonSeconds = 400LL * 86400;

} // namespace arrears::detail
