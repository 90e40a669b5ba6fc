// Batch contact checks: a whole worklist of proposed contacts against the contact histories of
// their consumers, in columns (struct of arrays), on all cores. Same rule code as
// ContactPolicy::check. This is the call the portfolio worklist makes to attach "allowed now /
// next allowed window" to every call entry.
#pragma once

#include "arrears/consumer.hpp"
#include "arrears/contact_attempt.hpp"
#include "arrears/contact_policy.hpp"

#include <climits>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace arrears {

// History rows: one row per (contact event, debt); rows of one event share `event`.
// Codes: channel/direction/outcome are the enum values; consent is 0/1; times are UTC seconds.
struct ContactColumns {
    std::size_t size = 0;
    const std::int64_t* consumer = nullptr; // index into the consumers vector
    const std::int32_t* debt = nullptr;     // index into debt_names
    const std::int64_t* at = nullptr;
    const std::uint8_t* channel = nullptr;
    const std::uint8_t* direction = nullptr;
    const std::uint8_t* outcome = nullptr;
    const std::uint8_t* consent = nullptr; // optional (all 0)
    const TagSet* tags = nullptr;          // optional (all 0)
    const std::int64_t* event = nullptr;   // optional (every row its own event)
};

// Proposed contacts: one row per (contact, debt), direction outbound.
struct ProposalColumns {
    std::size_t size = 0;
    const std::int64_t* consumer = nullptr;
    const std::int32_t* debt = nullptr;
    const std::int64_t* at = nullptr;
    const std::uint8_t* channel = nullptr;
    const TagSet* tags = nullptr; // optional
};

struct BatchOptions {
    unsigned threads = 0;     // 0 = hardware concurrency
    bool next_allowed = true; // also compute next_allowed and window_end
    // Called from the calling thread with (0, total) first, then about every 0.1 s, and with
    // (total, total) at the end; return false to cancel (the result then has cancelled = true).
    std::function<bool(std::size_t, std::size_t)> progress;
};

inline constexpr std::int64_t kNoInstant = INT64_MIN;

struct BatchResult {
    std::vector<std::uint8_t> allowed;
    std::vector<std::int64_t> next_allowed; // UTC seconds; kNoInstant = never
    std::vector<std::int64_t> window_end;   // UTC seconds; kNoInstant = open or never
    std::vector<std::uint64_t> blocking;    // bit i = rule i of the row's policy blocks now
    std::vector<std::int32_t> policy;       // index of the policy used for the row
    bool cancelled = false;
};

// The codes of the debt ids that consumers name (cease, disputed, time_barred); an id may have
// several codes, an id that is absent matches no row.
using DebtCodes = std::unordered_map<std::string, std::vector<std::int32_t>>;
// Those ids, collected from the consumers (unique, in first-seen order).
std::vector<std::string> named_debt_ids(const std::vector<const Consumer*>& consumers);

// consumer_policy[i] picks the policy for consumers[i] (empty: policies[0] for everyone).
// Debt codes in the columns are < n_debts. Bad codes or indexes throw ValidationError naming
// the column and row before any work starts.
BatchResult check_contacts(const std::vector<const ContactPolicy*>& policies,
                           const std::vector<const Consumer*>& consumers,
                           const std::vector<std::int32_t>& consumer_policy,
                           const DebtCodes& debt_codes, std::size_t n_debts,
                           const ProposalColumns& proposed, const ContactColumns& history,
                           const BatchOptions& options = {});
// The same with the debt ids of all codes: debt_names[code] (a name may repeat).
BatchResult check_contacts(const std::vector<const ContactPolicy*>& policies,
                           const std::vector<const Consumer*>& consumers,
                           const std::vector<std::int32_t>& consumer_policy,
                           const std::vector<std::string>& debt_names,
                           const ProposalColumns& proposed, const ContactColumns& history,
                           const BatchOptions& options = {});

} // namespace arrears
