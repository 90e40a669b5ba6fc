#include "arrears/reaging.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "arrears/error.hpp"
#include "arrears/json.hpp"

namespace arrears {

void ReagingRule::validate() const {
    if (consecutive_kept < 1 || consecutive_kept > 120)
        throw ValidationError("consecutive_kept: " + std::to_string(consecutive_kept) +
                              " is outside 1..120");
    if (min_months_between < 0 || min_months_between > 1200)
        throw ValidationError("min_months_between: " + std::to_string(min_months_between) +
                              " is outside 0..1200");
    if (max_reages < 1 || max_reages > 1000)
        throw ValidationError("max_reages: " + std::to_string(max_reages) + " is outside 1..1000");
    if (max_reages_window_months < 1 || max_reages_window_months > 1200)
        throw ValidationError("max_reages_window_months: " +
                              std::to_string(max_reages_window_months) + " is outside 1..1200");
}

namespace {

bool before(Date a, Date b) { return to_days(a) < to_days(b); }

}  // namespace

ReagingDecision decide_reaging(const ReagingRule& rule, const PlanEvaluation& ev,
                               int days_past_due, std::optional<Date> dofd,
                               std::span<const Date> previous_reages) {
    rule.validate();
    if (days_past_due < 0)
        throw ValidationError("days_past_due: " + std::to_string(days_past_due) +
                              " must not be negative");
    ReagingDecision d;
    d.date_of_first_delinquency = dofd;  // never changed by re-aging
    d.days_past_due = days_past_due;

    // Kept / missed outcomes per installment, in installment order (the events are in date order;
    // a prepayment can keep several installments on one date).
    struct Outcome {
        int number;
        bool kept;
        Date date;
    };
    std::vector<Outcome> outcomes;
    std::optional<Date> ended;  // broken / cancelled: no re-aging from then on
    for (const auto& e : ev.events) {
        if (e.type == PlanEventType::kept) outcomes.push_back({e.installment, true, e.date});
        if (e.type == PlanEventType::missed) outcomes.push_back({e.installment, false, e.date});
        if ((e.type == PlanEventType::broken || e.type == PlanEventType::cancelled ||
             e.type == PlanEventType::offer_expired) && !ended)
            ended = e.date;
    }
    std::stable_sort(outcomes.begin(), outcomes.end(),
                     [](const Outcome& a, const Outcome& b) { return a.number < b.number; });

    std::vector<Date> prior(previous_reages.begin(), previous_reages.end());
    std::sort(prior.begin(), prior.end(), [](Date a, Date b) { return before(a, b); });

    int streak = 0;
    std::optional<Date> streak_date;  // latest kept date in the streak
    std::string blocked;
    for (const auto& o : outcomes) {
        if (!o.kept) {
            streak = 0;
            streak_date.reset();
            continue;
        }
        ++streak;
        if (!streak_date || before(*streak_date, o.date)) streak_date = o.date;
        if (d.reaged || streak < rule.consecutive_kept) continue;
        const Date on = *streak_date;
        if (ended && !before(on, *ended)) {
            blocked = "the plan ended on " + to_iso(*ended);
            continue;
        }
        if (days_past_due == 0) {
            blocked = "the account is not delinquent";
            continue;
        }
        // Frequency limits, counted back from the candidate date.
        bool too_soon = false;
        int in_window = 1;  // this one
        for (Date p : prior) {
            if (before(on, p)) continue;  // a later re-age does not limit an earlier one
            if (before(on, add_months(p, rule.min_months_between))) too_soon = true;
            if (before(on, add_months(p, rule.max_reages_window_months))) ++in_window;
        }
        if (too_soon) {
            blocked = "re-aged less than " + std::to_string(rule.min_months_between) +
                      " months before";
            continue;
        }
        if (in_window > rule.max_reages) {
            blocked = "already re-aged " + std::to_string(in_window - 1) + " times in " +
                      std::to_string(rule.max_reages_window_months) + " months";
            continue;
        }
        d.reaged = true;
        d.reaged_on = on;
    }
    d.kept_streak = streak;
    if (d.reaged) {
        // Delinquency restarts at the re-age date: only plan installments due after it count.
        int dpd = 0;
        const auto asof = to_days(ev.as_of);
        for (const auto& s : ev.installments) {
            if (!before(*d.reaged_on, s.due)) continue;
            if (s.status != InstallmentState::paid && to_days(s.due) < asof) {
                dpd = static_cast<int>((asof - to_days(s.due)).count());
                break;
            }
        }
        d.days_past_due = dpd;
        d.reason = std::to_string(rule.consecutive_kept) + " consecutive kept installments by " +
                   to_iso(*d.reaged_on) + "; days past due reset, date of first delinquency kept";
    } else if (!blocked.empty()) {
        d.reason = "not re-aged: " + blocked;
    } else {
        d.reason = "not re-aged: " + std::to_string(streak) + " consecutive kept installment" +
                   (streak == 1 ? "" : "s") + " of " + std::to_string(rule.consecutive_kept);
    }
    return d;
}

void to_json(nlohmann::json& j, const ReagingRule& r) {
    j = nlohmann::json{{"consecutive_kept", r.consecutive_kept},
                       {"min_months_between", r.min_months_between},
                       {"max_reages", r.max_reages},
                       {"max_reages_window_months", r.max_reages_window_months}};
}

ReagingRule reaging_rule_from_json(const nlohmann::json& json, std::string_view path) {
    const JsonView v(json, std::string(path));
    v.check_keys({"consecutive_kept", "min_months_between", "max_reages", "max_reages_window_months"});
    ReagingRule r;
    auto read = [&](std::string_view key, int& out) {
        if (auto f = v.find(key)) {
            const std::int64_t x = f->as_int();
            if (x < -1'000'000 || x > 1'000'000) f->fail("out of range");
            out = static_cast<int>(x);
        }
    };
    read("consecutive_kept", r.consecutive_kept);
    read("min_months_between", r.min_months_between);
    read("max_reages", r.max_reages);
    read("max_reages_window_months", r.max_reages_window_months);
    try {
        r.validate();
    } catch (const ValidationError& e) {
        throw ValidationError(v.path() + "." + e.what());
    }
    return r;
}

void to_json(nlohmann::json& j, const ReagingDecision& d) {
    j = nlohmann::json{{"reaged", d.reaged},
                       {"reaged_on", d.reaged_on ? nlohmann::json(to_iso(*d.reaged_on)) : nlohmann::json(nullptr)},
                       {"days_past_due", d.days_past_due},
                       {"date_of_first_delinquency", d.date_of_first_delinquency
                                                         ? nlohmann::json(to_iso(*d.date_of_first_delinquency))
                                                         : nlohmann::json(nullptr)},
                       {"kept_streak", d.kept_streak},
                       {"reason", d.reason}};
}

ReagingDecision reaging_decision_from_json(const nlohmann::json& json, std::string_view path) {
    const JsonView v(json, std::string(path));
    v.check_keys({"reaged", "reaged_on", "days_past_due", "date_of_first_delinquency", "kept_streak", "reason"});
    ReagingDecision d;
    d.reaged = v.at("reaged").as_bool();
    if (auto f = v.find("reaged_on")) d.reaged_on = f->as_date();
    d.days_past_due = static_cast<int>(v.at("days_past_due").as_int());
    if (auto f = v.find("date_of_first_delinquency")) d.date_of_first_delinquency = f->as_date();
    d.kept_streak = static_cast<int>(v.at("kept_streak").as_int());
    d.reason = v.at("reason").as_string();
    return d;
}

}  // namespace arrears
