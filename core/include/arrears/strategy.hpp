// Strategy: how a collections team decides who gets what treatment. A JSON document (TOML on
// the Python side) with
//   - factors: weighted, capped scores over columns (balance, dpd, days since last payment ...),
//   - exclusions: accounts no one may work (disputed, cease, bankrupt, deceased, attorney, legal),
//   - segments: ordered rules (first match wins) -> a treatment (a call queue, a letter, a hold),
//   - arms: champion/challenger splits by a stable hash of the account id, each arm optionally
//     with its own factors and segments.
// Validated on load with JSON-path errors; columns are checked against a portfolio when applied.
// The format is documented in docs/portfolio.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/aging.hpp"
#include "arrears/date.hpp"
#include "arrears/json.hpp"
#include "arrears/parallel.hpp"
#include "arrears/portfolio.hpp"
#include "arrears/table.hpp"

namespace arrears {

struct Treatment {
    std::string type;       // "call", "letter", "email", "text", "hold", "legal_review", ...
    std::string queue;      // worklist queue (calls); empty when none
    std::string template_;  // letter template name; empty when none
    friend bool operator==(const Treatment&, const Treatment&) = default;
};

struct Condition;  // defined in src/strategy/condition.hpp

struct Factor {
    std::string name;    // part column is "part_<name>"
    std::string column;  // a portfolio column or a derived value (dpd, days_since_*, ...)
    double weight = 1.0;
    double floor = 0.0;
    double cap = 1.0;
    bool higher_is_worse = true;  // "direction": "higher" (default) or "lower"
    bool log = false;             // "transform": "linear" (default) or "log"
    double null_value = 0.0;      // normalized value used when the column is null
    std::string path;             // JSON path, for error messages
};

struct Segment {
    std::string name;
    std::shared_ptr<const Condition> when;  // null: matches every account (a catch-all)
    Treatment treatment;
    std::string path;
};

struct Exclusion {
    std::string reason;
    std::shared_ptr<const Condition> when;  // null for shorthand reasons, resolved per portfolio
    std::string path;
};

struct Arm {
    std::string name;
    std::int32_t basis_points = 10000;  // share of accounts, in 1/100 of a percent
    std::vector<Factor> factors;        // empty: the strategy's
    std::vector<Segment> segments;      // empty: the strategy's
    bool own_factors = false;
    bool own_segments = false;
};

struct WorklistOptions {
    std::vector<std::string> queues;     // empty: every queue
    std::optional<std::size_t> top_n;    // per queue
    std::optional<double> top_percent;   // per queue, of the eligible accounts (0 < p <= 100)
};

class Strategy {
public:
    static Strategy from_json(std::string_view text);
    static Strategy from_document(const Json& document);
    Json to_json() const;

    const std::string& name() const noexcept { return name_; }
    const Buckets& buckets() const noexcept { return buckets_; }
    const std::vector<Factor>& factors() const noexcept { return factors_; }
    const std::vector<Segment>& segments() const noexcept { return segments_; }
    const std::vector<Exclusion>& exclusions() const noexcept { return exclusions_; }
    const std::vector<Arm>& arms() const noexcept { return arms_; }
    const std::string& seed() const noexcept { return seed_; }

    // Arm of an account id (stable: the same id always lands in the same arm for a seed).
    std::size_t arm_of(std::string_view account_id) const noexcept;

    // Per account: account_id, arm, excluded, exclusion, segment, treatment, queue, template,
    // score, dpd, bucket, balance_cents, part_<factor>... Throws ValidationError (with the JSON
    // path) when a column the strategy names is missing from the portfolio or has the wrong kind.
    Table apply(const Portfolio& portfolio, Date as_of, unsigned threads = 0,
                Progress* progress = nullptr) const;
    // Call worklists: for each queue, the non-excluded accounts whose treatment names it, ordered
    // by score (then dpd, balance, account id), cut to top_n / top_percent. Columns: queue, rank,
    // account_id, arm, segment, treatment, score, dpd, bucket, balance_cents, part_<factor>...
    Table worklist(const Portfolio& portfolio, Date as_of, const WorklistOptions& options,
                   unsigned threads = 0, Progress* progress = nullptr) const;

    // Champion/challenger backtest over historical snapshots: for each snapshot, the accounts
    // each (arm, segment, treatment) selected and what they paid in the `horizon_days` after the
    // snapshot date. payments: account_id, effective_date (days), amount_cents.
    Table backtest(const std::vector<std::pair<Date, std::shared_ptr<const Portfolio>>>& snapshots,
                   const ArrowImport& payments, std::int32_t horizon_days, unsigned threads = 0) const;

private:
    struct Bound;   // the strategy bound to a portfolio's columns (src/strategy.cpp)
    struct Scored;  // per-account results
    std::unique_ptr<Bound> bind(const Portfolio& portfolio, Date as_of) const;
    Scored score(const Bound& bound, unsigned threads, Progress* progress) const;

    std::string name_;
    std::string seed_;
    Buckets buckets_;
    std::vector<Factor> factors_;
    std::vector<Segment> segments_;
    std::vector<Exclusion> exclusions_;
    std::vector<Arm> arms_;
    Json source_;
};

}  // namespace arrears
