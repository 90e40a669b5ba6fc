// The contact-rule engine shared by ContactPolicy::check (one contact, explained) and
// check_contacts (columns, many threads). Private to the core.
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arrears/consumer.hpp"
#include "arrears/contact_batch.hpp"
#include "arrears/contact_policy.hpp"
#include "arrears/time_zone.hpp"

namespace arrears::detail {

// The rows of one consumer's history: cols rows index[begin..end) (or begin..end directly).
struct HistorySlice {
    const ContactColumns* cols = nullptr;
    const std::uint32_t* index = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t row(std::size_t k) const noexcept { return index ? index[k] : k; }
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
    Channel channel = Channel::call;
    TagSet tags = 0;
    const std::int32_t* debts = nullptr;
    std::size_t n_debts = 0;
};

struct EvalResult {
    std::uint64_t blocking = 0;  // bit i: rule i blocks
    bool permanent = false;      // some block never lifts by itself
    std::int64_t lift = INT64_MIN;  // no allowed instant before this (temporary blocks)
    std::int64_t expires = INT64_MAX;  // an exception used now (consent) ends here
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
    std::int32_t slot;  // index among the proposal's debts, -1 if none
};

struct Scratch {
    std::vector<std::vector<Candidate>> cands;  // per rule
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

}  // namespace arrears::detail
