// Aging: days past due and delinquency buckets (Fineract's DelinquencyBucket/Range shape: ordered,
// non-overlapping ranges, the last one open-ended).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/json.hpp"

namespace arrears {

// Days past due as of `as_of` for an account whose oldest unpaid installment was due on
// `oldest_unpaid_due` (nullopt: nothing past due). The due date itself is day 0; the next day
// is 1 day past due; an as-of date before the due date is 0.
std::int32_t days_past_due(std::optional<Date> oldest_unpaid_due, Date as_of);
inline std::int32_t days_past_due_days(std::int32_t due_epoch_days, std::int32_t as_of_epoch_days) {
    const std::int32_t d = as_of_epoch_days - due_epoch_days;
    return d > 0 ? d : 0;
}

// Buckets([1, 31, 61, 91, 121, 181]) means: current (0 dpd), 1-30, 31-60, 61-90, 91-120,
// 121-180, 181+. Edges must be positive and strictly increasing (so the ranges never overlap);
// the last bucket is open-ended. Labels default to that form; custom labels are allowed.
class Buckets {
public:
    Buckets();  // the default: [1, 31, 61, 91, 121, 181]
    explicit Buckets(std::vector<std::int32_t> edges, std::vector<std::string> labels = {});
    static Buckets from_json(const JsonView& j);  // [1, 31, ...] or {"edges": [...], "labels": [...]}

    const std::vector<std::int32_t>& edges() const noexcept { return edges_; }
    const std::vector<std::string>& labels() const noexcept { return labels_; }
    std::size_t size() const noexcept { return labels_.size(); }  // edges().size() + 1
    // Index of the bucket holding `dpd` (0 = current).
    std::int32_t index_of(std::int32_t dpd) const noexcept {
        std::int32_t k = 0;
        for (std::int32_t e : edges_) k += dpd >= e;
        return k;
    }
    // Label of the bucket holding `dpd`.
    const std::string& label_of(std::int32_t dpd) const noexcept {
        return labels_[static_cast<std::size_t>(index_of(dpd))];
    }
    // Lowest dpd in bucket k, and the highest (nullopt for the open-ended last bucket).
    std::int32_t lower(std::size_t k) const noexcept { return k == 0 ? 0 : edges_[k - 1]; }
    std::optional<std::int32_t> upper(std::size_t k) const noexcept {
        if (k >= edges_.size()) return std::nullopt;
        return edges_[k] - 1;
    }
    Json to_json() const;
    std::string repr() const;
    friend bool operator==(const Buckets&, const Buckets&) = default;

private:
    std::vector<std::int32_t> edges_;
    std::vector<std::string> labels_;
};

}  // namespace arrears
