// Installment schedules: due dates from an anchor, exact zero-interest splits and level-payment
// amortization. Facts and worked numbers: shared/reference/payment-math.md §3.1.
//
//   installment_schedule(1000.00, 12, 2026-02-01, monthly, 0.12, half_up)
//     -> 11 x 88.85 + 88.84 (interest 66.19)
//   installment_schedule(2284.56, 7, ..., rate 0, half_up) -> 6 x 326.37 + 326.34
//
// Dates are generated from the first due date (the anchor), never chained, with month-end
// clamping: a monthly schedule anchored on Jan 31 falls on Feb 28/29, Mar 31, Apr 30 ...
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/error.hpp"
#include "arrears/money.hpp"
#include "arrears/parallel.hpp"
#include "arrears/rational.hpp"
#include "arrears/rounding.hpp"
#include "arrears/table.hpp"

namespace arrears {

// Installments per schedule: 1..kMaxInstallments (100 years of monthly payments).
inline constexpr int kMaxInstallments = 1200;

enum class Frequency : std::uint8_t { weekly, biweekly, semimonthly, monthly };

// "weekly", "biweekly", "semimonthly", "monthly"; anything else is a ValidationError naming field.
Frequency parse_frequency(std::string_view name, std::string_view field = "frequency");
std::string_view to_string(Frequency f) noexcept;
// Payment periods in a year: 52, 26, 24, 12 (also the Reg Z Appendix J unit-periods per year).
int periods_per_year(Frequency f) noexcept;

// The k-th due date (k = 0 is first_due itself), computed from the anchor, never chained:
//   weekly / biweekly  first_due + 7k / 14k days
//   monthly            add_months(first_due, k), clamped to the month end
//   semimonthly        two days a month: day d and d+15 when the anchor's day d <= 15 (the second
//                      clamped to the month end: 15th and 30th -> Feb 28); d-15 and d when d > 15;
//                      the 15th and the last day of the month when the anchor is a month end.
Date nth_due_date(Date first_due, Frequency f, int k);
std::vector<Date> due_dates(Date first_due, Frequency f, int count);

// How the regular payment is rounded to the minor unit. Per-period interest is always rounded
// half-up (payment-math.md §3.1 convention 1); the last installment absorbs the residue.
//   half_up  the regular payment rounded half-up: the last may be slightly larger or smaller
//   up       rounded up (ceiling): the last is never larger than the regular payment
//   down     rounded down (floor): the last is never smaller (zero-interest plans)
// Parses "half_up", "up", "down"; other RoundingMode names are rejected.
RoundingMode parse_schedule_rounding(std::string_view name, std::string_view field = "rounding");

// One installment of a schedule. (Not "Installment": the letters area has its own display-only
// arrears::Installment {due, amount}, and one name with two definitions breaks the ODR.)
struct ScheduledInstallment {
    int number = 0;  // 1-based
    Date due{};
    Money amount;     // principal + interest
    Money principal;
    Money interest;

    friend bool operator==(const ScheduledInstallment&, const ScheduledInstallment&) = default;
};

// An immutable schedule: the installments and the terms that produced them. Invariants (checked
// by the constructor): numbers 1..n in order, due dates strictly increasing, every amount
// positive and equal to principal + interest, one currency, principal summing to total().
class Schedule {
public:
    Schedule(Money total, Frequency frequency, Rational annual_rate, RoundingMode rounding,
             std::vector<ScheduledInstallment> installments);

    // A zero-interest schedule from explicit (due, amount) pairs: custom plans, lump sums,
    // promises. Frequency is regular_frequency(payments) when there is one, else monthly.
    static Schedule from_payments(std::span<const std::pair<Date, Money>> payments,
                                  std::optional<Frequency> frequency = std::nullopt);

    const std::vector<ScheduledInstallment>& installments() const noexcept { return installments_; }
    int count() const noexcept { return static_cast<int>(installments_.size()); }
    const ScheduledInstallment& operator[](std::size_t i) const { return installments_.at(i); }
    Currency currency() const noexcept { return total_.currency(); }

    Money total() const noexcept { return total_; }            // principal financed
    Money total_amount() const noexcept { return total_amount_; }  // sum of installment amounts
    Money total_interest() const noexcept { return total_amount_ - total_; }
    Money regular_amount() const { return installments_.front().amount; }
    Date first_due() const { return installments_.front().due; }
    Date last_due() const { return installments_.back().due; }
    Frequency frequency() const noexcept { return frequency_; }
    const Rational& annual_rate() const noexcept { return annual_rate_; }
    RoundingMode rounding() const noexcept { return rounding_; }

    std::string repr() const;
    std::string to_html() const;

    friend bool operator==(const Schedule&, const Schedule&) = default;

private:
    Money total_;
    Money total_amount_;
    Frequency frequency_;
    Rational annual_rate_;
    RoundingMode rounding_;
    std::vector<ScheduledInstallment> installments_;
};

// True when the due dates generated by `frequency` from the first payment's date (month ends
// clamped, each date from the anchor) are exactly the payments' dates.
bool follows_frequency(std::span<const std::pair<Date, Money>> payments, Frequency frequency);
// The frequency the payment dates follow: monthly, semimonthly, biweekly or weekly, tried in that
// order; nullopt for fewer than two payments or dates that follow none of them.
std::optional<Frequency> regular_frequency(std::span<const std::pair<Date, Money>> payments);

// The regular (level) payment in minor units: P·r / (1 − (1+r)^−n) rounded with `mode`, where
// r = annual_rate / periods_per_year; P/n rounded when the rate is zero. Exact: the value is the
// correctly rounded exact rational (see schedule.cpp for how it is computed fast).
std::int64_t level_payment(std::int64_t principal_minor, const Rational& periodic_rate, int n,
                           RoundingMode mode);

// The same for a Money total over `count` (1..kMaxInstallments) installments of `frequency` at
// `annual_rate`; ValidationError naming count otherwise.
Money level_payment(const Money& total, int count, const Rational& annual_rate, Frequency frequency,
                    RoundingMode mode);

// `total` over `count` installments. Zero rate: regular = total/count rounded with `rounding`,
// last = total − regular·(count−1). Positive rate: level payment, interest on the running
// balance rounded half-up each period, last = remaining balance + its interest.
// Throws ValidationError (naming the field and value) for: total <= 0, count outside
// 1..kMaxInstallments, annual_rate outside 0..1 (write 0.12 for 12%) or with more than 12
// decimal places, a rounding other than half_up/up/down, or terms that leave the last
// installment at zero or below (e.g. 0.05 over 7 installments).
Schedule installment_schedule(Money total, int count, Date first_due,
                              Frequency frequency = Frequency::monthly,
                              Rational annual_rate = Rational{},
                              RoundingMode rounding = RoundingMode::half_up);

// `total` paid `amount` per period until done; the last installment is what remains (with its
// interest), at most `amount`. Throws when amount <= 0, when it does not cover the first
// period's interest, or when it would take more than kMaxInstallments installments.
Schedule installment_schedule_by_amount(Money total, Money amount, Date first_due,
                                        Frequency frequency = Frequency::monthly,
                                        Rational annual_rate = Rational{});

// Validates an annual rate (0 <= rate <= 1) and returns the periodic rate rate / periods.
Rational periodic_rate(const Rational& annual_rate, Frequency frequency,
                       std::string_view field = "annual_rate");

void to_json(nlohmann::json& j, const ScheduledInstallment& x);
void to_json(nlohmann::json& j, const Schedule& s);
Schedule schedule_from_json(const nlohmann::json& j, std::string_view path = "$");
ScheduledInstallment installment_from_json(const nlohmann::json& j, Currency currency,
                                  std::string_view path = "$");

// One schedule as a table: number, due (date32), amount_cents, principal_cents, interest_cents.
Table to_table(const Schedule& s);

// ---- batch: many schedules at once, in columns -------------------------------------------

// Inputs, one entry per schedule (struct of arrays). Rates are exact: rate_numerators[i] /
// rate_scale (1299 with scale 10000 is 12.99%). Dates are days since 1970-01-01.
// A span of size 1 is broadcast to every schedule.
struct ScheduleBatchInput {
    std::span<const std::int64_t> totals_minor;
    std::span<const std::int64_t> counts;
    std::span<const std::int64_t> first_due_days;
    std::span<const std::int64_t> rate_numerators;
    std::int64_t rate_scale = 1;
    std::span<const Frequency> frequencies;
    RoundingMode rounding = RoundingMode::half_up;
    Currency currency{};
};

// Builds every schedule with the same rules as installment_schedule, on `threads` threads
// (0 = hardware concurrency), into one table with a row per installment, schedule-major:
//   schedule (int32, the input row), number (int32), due (date32), amount_cents,
//   principal_cents, interest_cents (int64 minor units).
// Bad input anywhere is a ValidationError naming the first bad row ("totals[17]: -5.00 must be
// positive") and nothing is returned. `progress` (optional) counts schedules; when it asks to
// stop the call throws Cancelled.
Table installment_schedules(const ScheduleBatchInput& input, unsigned threads = 0,
                            Progress* progress = nullptr);

}  // namespace arrears
