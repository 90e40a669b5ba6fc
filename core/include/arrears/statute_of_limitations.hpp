// Statutes of limitations by state and debt type, for time-barred debt (12 CFR 1006.26): a debt
// whose limitation period has run must not be sued on or threatened with suit. The built-in table
// is data compiled from a survey whose citations were not checked: it is marked as needing legal
// review, and every entry can be overridden (or a reviewed table loaded from JSON).
#pragma once

#include "arrears/date.hpp"
#include "arrears/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arrears {

struct LimitationPeriod {
    std::string state;     // "CA"
    std::string debt_type; // "open_account", "written_contract", "promissory_note", "oral_contract"
    int years = 0;
    std::string citation;
    std::string note;
    Json to_json() const;
    friend bool operator==(const LimitationPeriod&, const LimitationPeriod&) = default;
};

class StatuteOfLimitations {
public:
    // Validates (state codes, debt types non-empty, 1..50 years, no duplicate (state, type)).
    StatuteOfLimitations(std::vector<LimitationPeriod> periods, bool needs_legal_review = true,
                         std::string note = "");
    static StatuteOfLimitations builtin();
    static StatuteOfLimitations from_json(const JsonView& v);
    static StatuteOfLimitations parse(std::string_view json_text);
    Json to_json() const;

    const std::vector<LimitationPeriod>& periods() const noexcept { return periods_; }
    bool needs_legal_review() const noexcept { return needs_legal_review_; }
    const std::string& note() const noexcept { return note_; }

    std::optional<LimitationPeriod> find(std::string_view state, std::string_view debt_type) const;
    // NotFoundError naming the state and debt type when the table has no entry.
    const LimitationPeriod& period(std::string_view state, std::string_view debt_type) const;
    // The first day the debt is time-barred: runs_from + years (Feb 29 -> Feb 28). Counting the
    // anniversary itself as barred is the conservative reading (one day early, never late).
    Date expires_on(std::string_view state, std::string_view debt_type, Date runs_from) const;
    bool is_time_barred(std::string_view state, std::string_view debt_type, Date runs_from,
                        Date as_of) const;
    // A copy with the entry for (state, debt_type) replaced or added.
    StatuteOfLimitations with_period(LimitationPeriod period) const;

    std::string repr() const;
    friend bool operator==(const StatuteOfLimitations& a, const StatuteOfLimitations& b) {
        return a.to_json() == b.to_json();
    }

private:
    std::vector<LimitationPeriod> periods_; // sorted by (state, debt_type)
    bool needs_legal_review_;
    std::string note_;
};

} // namespace arrears
