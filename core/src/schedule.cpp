#include "arrears/schedule.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "arrears/error.hpp"
#include "arrears/html.hpp"
#include "arrears/json.hpp"
#include "plans/bigint.hpp"
#include "plans/civil.hpp"
#include "plans/fast_round.hpp"
#include "plans/schedule_detail.hpp"

namespace arrears {

using plans_detail::BigUint;

namespace {

std::string count_text(std::int64_t n) { return std::to_string(n); }

}  // namespace

// ---- frequency and dates -------------------------------------------------------------------

Frequency parse_frequency(std::string_view name, std::string_view field) {
    if (name == "weekly") return Frequency::weekly;
    if (name == "biweekly") return Frequency::biweekly;
    if (name == "semimonthly") return Frequency::semimonthly;
    if (name == "monthly") return Frequency::monthly;
    throw ValidationError(std::string(field) + ": unknown frequency " + quote(name) +
                          " (expected weekly, biweekly, semimonthly or monthly)");
}

std::string_view to_string(Frequency f) noexcept {
    switch (f) {
        case Frequency::weekly: return "weekly";
        case Frequency::biweekly: return "biweekly";
        case Frequency::semimonthly: return "semimonthly";
        case Frequency::monthly: return "monthly";
    }
    return "monthly";
}

int periods_per_year(Frequency f) noexcept {
    switch (f) {
        case Frequency::weekly: return 52;
        case Frequency::biweekly: return 26;
        case Frequency::semimonthly: return 24;
        case Frequency::monthly: return 12;
    }
    return 12;
}

namespace {

// The two days of a semimonthly schedule and whether the anchor is the second of the pair.
// d2 is a "preferred" day clamped to each month's end (31 = always the last day).
struct SemimonthlyPair {
    unsigned d1;
    unsigned d2;
    bool anchor_is_second;
};

SemimonthlyPair semimonthly_pair(std::int64_t y, unsigned m, unsigned d) {
    if (d == plans_detail::last_day(y, m) && d >= 28) return {15, 31, true};
    if (d <= 15) return {d, d + 15, false};
    return {d - 15, d, true};
}

// Day number of the k-th due date; the inner loop of both the single and the batch builders.
struct DueDateGenerator {
    Frequency f;
    std::int64_t anchor_days;
    std::int64_t y;
    unsigned m;
    unsigned d;
    SemimonthlyPair pair{};

    DueDateGenerator(Frequency freq, std::int64_t anchor) : f(freq), anchor_days(anchor) {
        const auto c = plans_detail::civil_from_days(anchor);
        y = c.y;
        m = c.m;
        d = c.d;
        if (f == Frequency::semimonthly) pair = semimonthly_pair(y, m, d);
    }

    std::int64_t month_day(std::int64_t month_offset, unsigned preferred) const {
        const std::int64_t idx = y * 12 + (m - 1) + month_offset;
        const std::int64_t yy = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
        const auto mm = static_cast<unsigned>(idx - yy * 12 + 1);
        const unsigned dd = std::min(preferred, plans_detail::last_day(yy, mm));
        return plans_detail::days_from_civil(yy, mm, dd);
    }

    std::int64_t operator()(std::int64_t k) const {
        switch (f) {
            case Frequency::weekly: return anchor_days + 7 * k;
            case Frequency::biweekly: return anchor_days + 14 * k;
            case Frequency::monthly: return month_day(k, d);
            case Frequency::semimonthly: {
                const std::int64_t idx = k + (pair.anchor_is_second ? 1 : 0);
                const std::int64_t month_offset = idx / 2;
                return month_day(month_offset, idx % 2 == 0 ? pair.d1 : pair.d2);
            }
        }
        return anchor_days;
    }
};

std::int64_t day_number(Date d) { return to_days(d).time_since_epoch().count(); }
Date from_day_number(std::int64_t n) { return from_days(std::chrono::sys_days{std::chrono::days{n}}); }

void check_day_range(std::int64_t day, std::string_view field) {
    if (day < plans_detail::kMinDay || day > plans_detail::kMaxDay)
        throw ValidationError(std::string(field) +
                              ": the schedule runs past the last supported date 9999-12-31");
}

}  // namespace

Date nth_due_date(Date first_due, Frequency f, int k) {
    check_date(first_due, "first_due");
    if (k < 0) throw ValidationError("k: " + std::to_string(k) + " must not be negative");
    const std::int64_t day = DueDateGenerator(f, day_number(first_due))(k);
    check_day_range(day, "first_due");
    return from_day_number(day);
}

std::vector<Date> due_dates(Date first_due, Frequency f, int count) {
    if (count < 1 || count > kMaxInstallments)
        throw ValidationError("count: " + count_text(count) + " is outside 1.." +
                              count_text(kMaxInstallments));
    check_date(first_due, "first_due");
    const DueDateGenerator gen(f, day_number(first_due));
    std::vector<Date> out;
    out.reserve(static_cast<std::size_t>(count));
    for (int k = 0; k < count; ++k) {
        const std::int64_t day = gen(k);
        check_day_range(day, "first_due");
        out.push_back(from_day_number(day));
    }
    return out;
}

RoundingMode parse_schedule_rounding(std::string_view name, std::string_view field) {
    if (name == "half_up") return RoundingMode::half_up;
    if (name == "up") return RoundingMode::up;
    if (name == "down") return RoundingMode::down;
    throw ValidationError(std::string(field) + ": unknown schedule rounding " + quote(name) +
                          " (expected half_up, up or down)");
}

namespace {

void check_schedule_rounding(RoundingMode mode) {
    if (mode != RoundingMode::half_up && mode != RoundingMode::up && mode != RoundingMode::down)
        throw ValidationError("rounding: " + std::string(to_string(mode)) +
                              " is not a schedule rounding (expected half_up, up or down)");
}

}  // namespace

// ---- Schedule ------------------------------------------------------------------------------

Schedule::Schedule(Money total, Frequency frequency, Rational annual_rate, RoundingMode rounding,
                   std::vector<ScheduledInstallment> installments)
    : total_(total),
      frequency_(frequency),
      annual_rate_(annual_rate),
      rounding_(rounding),
      installments_(std::move(installments)) {
    check_schedule_rounding(rounding);
    (void)periodic_rate(annual_rate, frequency);
    if (!total_.is_positive())
        throw ValidationError("total: " + total_.amount_string() + " must be positive");
    if (installments_.empty()) throw ValidationError("installments: a schedule needs at least one");
    if (installments_.size() > static_cast<std::size_t>(kMaxInstallments))
        throw ValidationError("installments: " + count_text(static_cast<std::int64_t>(installments_.size())) +
                              " is more than " + count_text(kMaxInstallments));
    Money principal_sum(0, total_.currency());
    Money amount_sum(0, total_.currency());
    for (std::size_t i = 0; i < installments_.size(); ++i) {
        const ScheduledInstallment& x = installments_[i];
        const std::string at = "installments[" + count_text(static_cast<std::int64_t>(i)) + "]";
        check_date(x.due, at + ".due");
        if (x.number != static_cast<int>(i) + 1)
            throw ValidationError(at + ".number: " + count_text(x.number) + " should be " +
                                  count_text(static_cast<std::int64_t>(i) + 1));
        x.amount.require_same_currency(total_, at + ".amount");
        x.principal.require_same_currency(total_, at + ".principal");
        x.interest.require_same_currency(total_, at + ".interest");
        if (!x.amount.is_positive())
            throw ValidationError(at + ".amount: " + x.amount.amount_string() + " must be positive");
        if (x.interest.is_negative())
            throw ValidationError(at + ".interest: " + x.interest.amount_string() +
                                  " must not be negative");
        if (x.principal + x.interest != x.amount)
            throw ValidationError(at + ": amount " + x.amount.amount_string() +
                                  " is not principal " + x.principal.amount_string() +
                                  " + interest " + x.interest.amount_string());
        if (i > 0 && !(to_days(installments_[i - 1].due) < to_days(x.due)))
            throw ValidationError(at + ".due: " + to_iso(x.due) + " is not after " +
                                  to_iso(installments_[i - 1].due));
        principal_sum += x.principal;
        amount_sum += x.amount;
    }
    if (principal_sum != total_)
        throw ValidationError("installments: principal sums to " + principal_sum.amount_string() +
                              ", not the total " + total_.amount_string());
    total_amount_ = amount_sum;
}

Schedule Schedule::from_payments(std::span<const std::pair<Date, Money>> payments,
                                 std::optional<Frequency> frequency) {
    if (payments.empty()) throw ValidationError("payments: a schedule needs at least one");
    const Currency currency = payments.front().second.currency();
    Money total(0, currency);
    std::vector<ScheduledInstallment> items;
    items.reserve(payments.size());
    for (std::size_t i = 0; i < payments.size(); ++i) {
        const auto& [due, amount] = payments[i];
        const std::string at = "payments[" + count_text(static_cast<std::int64_t>(i)) + "]";
        amount.require_same_currency(Money(0, currency), at + ".amount");
        if (!amount.is_positive())
            throw ValidationError(at + ".amount: " + amount.amount_string() + " must be positive");
        total += amount;
        items.push_back({static_cast<int>(i) + 1, due, amount, amount, Money(0, currency)});
    }
    const Frequency f =
        frequency ? *frequency : regular_frequency(payments).value_or(Frequency::monthly);
    return Schedule(total, f, Rational{}, RoundingMode::half_up, std::move(items));
}

bool follows_frequency(std::span<const std::pair<Date, Money>> payments, Frequency frequency) {
    if (payments.empty()) return true;
    const DueDateGenerator gen(frequency, day_number(payments.front().first));
    for (std::size_t k = 0; k < payments.size(); ++k)
        if (gen(static_cast<std::int64_t>(k)) != day_number(payments[k].first)) return false;
    return true;
}

std::optional<Frequency> regular_frequency(std::span<const std::pair<Date, Money>> payments) {
    if (payments.size() < 2) return std::nullopt;
    for (Frequency candidate :
         {Frequency::monthly, Frequency::semimonthly, Frequency::biweekly, Frequency::weekly})
        if (follows_frequency(payments, candidate)) return candidate;
    return std::nullopt;
}

std::string Schedule::repr() const {
    std::string out = "Schedule(" + std::to_string(installments_.size()) + " x " +
                      std::string(to_string(frequency_)) + " from " + to_iso(first_due()) +
                      ", total=" + total_.amount_string() + " " +
                      std::string(total_.currency().code());
    if (!annual_rate_.is_zero()) out += ", annual_rate=" + annual_rate_.to_string();
    out += ", regular=" + regular_amount().amount_string() +
           ", last=" + installments_.back().amount.amount_string() + ")";
    return out;
}

std::string Schedule::to_html() const {
    std::string h = "<div class=\"arrears-schedule\"><p><b>Schedule</b>: " +
                    std::to_string(installments_.size()) + " " +
                    std::string(to_string(frequency_)) + " installments, total " +
                    html_escape(total_.format());
    if (!annual_rate_.is_zero())
        h += ", annual rate " + html_escape(annual_rate_.to_string()) + ", interest " +
             html_escape(total_interest().format());
    h += "</p><table><thead><tr><th>#</th><th>due</th><th>amount</th><th>principal</th>"
         "<th>interest</th></tr></thead><tbody>";
    for (const auto& x : installments_) {
        h += "<tr><td>" + std::to_string(x.number) + "</td><td>" + to_iso(x.due) +
             "</td><td style=\"text-align:right\">" + html_escape(x.amount.format()) +
             "</td><td style=\"text-align:right\">" + html_escape(x.principal.format()) +
             "</td><td style=\"text-align:right\">" + html_escape(x.interest.format()) +
             "</td></tr>";
    }
    h += "</tbody></table></div>";
    return h;
}

// ---- level payment -------------------------------------------------------------------------

Rational periodic_rate(const Rational& annual_rate, Frequency frequency, std::string_view field) {
    if (annual_rate.is_negative() || annual_rate > Rational{1, 1})
        throw ValidationError(std::string(field) + ": " + annual_rate.to_string() +
                              " is outside 0..1 (a fraction: write 0.12 for 12%)");
    if (annual_rate.den > 1'000'000'000'000)
        throw ValidationError(std::string(field) + ": " + annual_rate.to_string() +
                              " has more than 12 decimal places");
    return Rational::of(annual_rate.num, annual_rate.den * periods_per_year(frequency));
}

namespace {

// Exact PMT = P·a·(a+b)^n / (b·((a+b)^n − b^n)) for r = a/b > 0, rounded with `mode`.
std::int64_t exact_level_payment(std::int64_t principal, const Rational& r, int n,
                                 RoundingMode mode) {
    const BigUint a(static_cast<u128>(r.num));
    const BigUint b(static_cast<u128>(r.den));
    const BigUint growth = (a + b).pow(static_cast<unsigned>(n));
    const BigUint base = b.pow(static_cast<unsigned>(n));
    const BigUint num = (a * growth).mul_small(static_cast<std::uint64_t>(principal));
    const BigUint den = b * (growth - base);
    return plans_detail::round_quotient(num, den, mode);
}

// The rounding of a double estimate x whose relative error is far below `tolerance`; nullopt
// when x is too close to a rounding boundary for the estimate to decide.
std::optional<std::int64_t> decide_rounding(double x, RoundingMode mode) {
    if (!std::isfinite(x) || x < 0 || x > 4.0e15) return std::nullopt;
    const double tolerance = x * 1e-11 + 1e-9;
    const double fl = std::floor(x);
    const double frac = x - fl;
    const auto base = static_cast<std::int64_t>(fl);
    switch (mode) {
        case RoundingMode::half_up:
            if (std::fabs(frac - 0.5) <= tolerance) return std::nullopt;
            return base + (frac > 0.5 ? 1 : 0);
        case RoundingMode::up:
        case RoundingMode::ceiling:
            if (frac <= tolerance || frac >= 1 - tolerance) return std::nullopt;
            return base + 1;
        case RoundingMode::down:
        case RoundingMode::floor:
            if (frac <= tolerance || frac >= 1 - tolerance) return std::nullopt;
            return base;
        default: return std::nullopt;
    }
}

}  // namespace

namespace plans_detail {

double level_payment_factor(const Rational& r, int n) {
    const double rd = static_cast<double>(r.num) / static_cast<double>(r.den);
    return rd / -std::expm1(-static_cast<double>(n) * std::log1p(rd));
}

std::int64_t level_payment_with_factor(std::int64_t principal_minor, const Rational& r, int n,
                                       RoundingMode mode, double factor) {
    // A double estimate decides the rounding unless it lies within a hair (1e-11 relative, a
    // thousand times the estimate's error bound) of a rounding boundary; then the exact rational
    // decides. Either way the result is the correctly rounded exact value.
    if (auto v = decide_rounding(static_cast<double>(principal_minor) * factor, mode)) return *v;
    return exact_level_payment(principal_minor, r, n, mode);
}

}  // namespace plans_detail

std::int64_t level_payment(std::int64_t principal_minor, const Rational& r, int n,
                           RoundingMode mode) {
    if (n < 1) throw ValidationError("count: " + count_text(n) + " must be at least 1");
    if (principal_minor <= 0)
        throw ValidationError("total: " + count_text(principal_minor) + " must be positive");
    if (r.is_zero()) return round_div(principal_minor, n, mode);
    return plans_detail::level_payment_with_factor(principal_minor, r, n, mode,
                                                   plans_detail::level_payment_factor(r, n));
}

// ---- builders ------------------------------------------------------------------------------

namespace {

void check_total(const Money& total) {
    if (!total.is_positive())
        throw ValidationError("total: " + total.amount_string() + " must be positive");
}

void check_count(int count) {
    if (count < 1 || count > kMaxInstallments)
        throw ValidationError("count: " + count_text(count) + " is outside 1.." +
                              count_text(kMaxInstallments));
}

// Shared by the single and the batch builders: writes amount/principal/interest for one
// schedule (all in minor units). Returns false with `why` set when the terms leave the last
// installment at zero or below.
struct AmortizeResult {
    bool ok = true;
    const char* why = nullptr;
};

template <class Sink>
AmortizeResult amortize(std::int64_t principal, int n, const Rational& r, double factor,
                        RoundingMode mode, Sink&& sink) {
    if (r.is_zero()) {
        const std::int64_t regular = round_div(principal, n, mode);
        std::int64_t last;
        if (__builtin_mul_overflow(regular, static_cast<std::int64_t>(n - 1), &last))
            throw OverflowError("total: the installments overflow 64-bit minor units");
        last = principal - last;
        if (last <= 0 || regular <= 0) return {false, "leaves nothing for the last installment"};
        for (int k = 0; k + 1 < n; ++k) sink(k, regular, regular, std::int64_t{0});
        sink(n - 1, last, last, std::int64_t{0});
        return {};
    }
    const std::int64_t payment =
        plans_detail::level_payment_with_factor(principal, r, n, mode, factor);
    std::int64_t balance = principal;
    if (payment <= 0) return {false, "rounds the regular payment to zero"};
    const plans_detail::HalfUpDivider interest_of(r.den);
    for (int k = 0; k + 1 < n; ++k) {
        const std::int64_t interest = interest_of(balance, r.num);
        const std::int64_t part = payment - interest;
        balance -= part;
        if (balance <= 0) return {false, "pays the balance off before the last installment"};
        sink(k, payment, part, interest);
    }
    const std::int64_t interest = interest_of(balance, r.num);
    sink(n - 1, balance + interest, balance, interest);
    return {};
}

}  // namespace

Schedule installment_schedule(Money total, int count, Date first_due, Frequency frequency,
                              Rational annual_rate, RoundingMode rounding) {
    check_total(total);
    check_count(count);
    check_schedule_rounding(rounding);
    check_date(first_due, "first_due");
    const Rational r = periodic_rate(annual_rate, frequency);
    const std::vector<Date> dates = due_dates(first_due, frequency, count);
    const Currency c = total.currency();
    std::vector<ScheduledInstallment> items(static_cast<std::size_t>(count));
    const double factor = r.is_zero() ? 0.0 : plans_detail::level_payment_factor(r, count);
    const AmortizeResult res =
        amortize(total.minor(), count, r, factor, rounding,
                 [&](int k, std::int64_t amount, std::int64_t principal, std::int64_t interest) {
                     auto& x = items[static_cast<std::size_t>(k)];
                     x = {k + 1, dates[static_cast<std::size_t>(k)], Money(amount, c),
                          Money(principal, c), Money(interest, c)};
                 });
    if (!res.ok)
        throw ValidationError("count: " + count_text(count) + " installments of " +
                              total.amount_string() + " rounded " +
                              std::string(to_string(rounding)) + " " + res.why +
                              "; use fewer installments");
    return Schedule(total, frequency, annual_rate, rounding, std::move(items));
}

Schedule installment_schedule_by_amount(Money total, Money amount, Date first_due,
                                        Frequency frequency, Rational annual_rate) {
    check_total(total);
    amount.require_same_currency(total, "amount");
    if (!amount.is_positive())
        throw ValidationError("amount: " + amount.amount_string() + " must be positive");
    check_date(first_due, "first_due");
    const Rational r = periodic_rate(annual_rate, frequency);
    const Currency c = total.currency();
    std::vector<std::array<std::int64_t, 3>> rows;  // amount, principal, interest
    std::int64_t balance = total.minor();
    const std::int64_t pay = amount.minor();
    while (true) {
        const std::int64_t interest = round_div(static_cast<i128>(balance) * r.num, r.den,
                                                RoundingMode::half_up);
        if (rows.empty() && pay <= interest)
            throw ValidationError("amount: " + amount.amount_string() +
                                  " does not cover the first period's interest " +
                                  Money(interest, c).amount_string());
        if (balance + interest <= pay) {
            rows.push_back({balance + interest, balance, interest});
            break;
        }
        rows.push_back({pay, pay - interest, interest});
        balance -= pay - interest;
        if (rows.size() >= static_cast<std::size_t>(kMaxInstallments))
            throw ValidationError("amount: " + amount.amount_string() + " would take more than " +
                                  count_text(kMaxInstallments) + " installments to pay " +
                                  total.amount_string());
    }
    const std::vector<Date> dates = due_dates(first_due, frequency, static_cast<int>(rows.size()));
    std::vector<ScheduledInstallment> items;
    items.reserve(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
        items.push_back({static_cast<int>(k) + 1, dates[k], Money(rows[k][0], c),
                         Money(rows[k][1], c), Money(rows[k][2], c)});
    return Schedule(total, frequency, annual_rate, RoundingMode::half_up, std::move(items));
}

// ---- JSON ----------------------------------------------------------------------------------

void to_json(nlohmann::json& j, const ScheduledInstallment& x) {
    j = nlohmann::json{{"number", x.number},
                       {"due", to_iso(x.due)},
                       {"amount", x.amount.amount_string()},
                       {"principal", x.principal.amount_string()},
                       {"interest", x.interest.amount_string()}};
}

void to_json(nlohmann::json& j, const Schedule& s) {
    j = nlohmann::json{{"total", s.total()},
                       {"frequency", std::string(to_string(s.frequency()))},
                       {"annual_rate", s.annual_rate().to_string()},
                       {"rounding", std::string(to_string(s.rounding()))},
                       {"installments", s.installments()}};
}

ScheduledInstallment installment_from_json(const nlohmann::json& json, Currency c, std::string_view path) {
    const JsonView x(json, std::string(path));
    x.check_keys({"number", "due", "amount", "principal", "interest"});
    const std::int64_t number = x.at("number").as_int();
    if (number < 1 || number > kMaxInstallments) x.at("number").fail("out of range");
    return {static_cast<int>(number), x.at("due").as_date(), x.at("amount").as_money(c),
            x.at("principal").as_money(c), x.at("interest").as_money(c)};
}

Schedule schedule_from_json(const nlohmann::json& json, std::string_view path) {
    const JsonView v(json, std::string(path));
    v.check_keys({"total", "frequency", "annual_rate", "rounding", "installments"});
    const Money total = v.at("total").as_money();
    const Currency c = total.currency();
    const Frequency f = parse_frequency(v.at("frequency").as_string(), v.path() + ".frequency");
    const Rational rate = v.at("annual_rate").as_decimal();
    const RoundingMode rounding =
        parse_schedule_rounding(v.at("rounding").as_string(), v.path() + ".rounding");
    const JsonView items = v.at("installments");
    std::vector<ScheduledInstallment> out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out.push_back(installment_from_json(items.at(i).json(), c, items.at(i).path()));
    try {
        return Schedule(total, f, rate, rounding, std::move(out));
    } catch (const ValidationError& e) {
        throw ValidationError(v.path() + ": " + e.what());
    }
}

// ---- batch ---------------------------------------------------------------------------------

// The batch builder (schedule_batch.cpp) runs the same amortize() and date generator through
// these entry points.
namespace plans_detail {

std::int64_t batch_due_day(Frequency f, std::int64_t anchor, std::int64_t k) {
    return DueDateGenerator(f, anchor)(k);
}

std::int64_t level_payment_exact(std::int64_t principal_minor, const Rational& r, int n,
                                 RoundingMode mode) {
    if (r.is_zero()) return round_div(principal_minor, n, mode);
    return exact_level_payment(principal_minor, r, n, mode);
}

void batch_due_days(Frequency f, std::int64_t anchor, int n, std::int32_t* out) {
    // The same dates as DueDateGenerator (each from the anchor's day, clamped to its month),
    // walking month starts by adding month lengths instead of converting every date.
    switch (f) {
        case Frequency::weekly:
        case Frequency::biweekly: {
            const std::int64_t step = f == Frequency::weekly ? 7 : 14;
            for (int k = 0; k < n; ++k) out[k] = static_cast<std::int32_t>(anchor + step * k);
            return;
        }
        case Frequency::monthly:
        case Frequency::semimonthly: {
            const auto c = plans_detail::civil_from_days(anchor);
            std::int64_t y = c.y;
            unsigned m = c.m;
            std::int64_t start = anchor - (c.d - 1);
            auto next_month = [&](unsigned len) {
                start += len;
                if (++m == 13) {
                    m = 1;
                    ++y;
                }
            };
            if (f == Frequency::monthly) {
                constexpr unsigned char kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
                bool leap_year = plans_detail::leap(y);
                for (int k = 0; k < n; ++k) {
                    const unsigned len = m == 2 && leap_year ? 29u : kDays[m - 1];
                    out[k] = static_cast<std::int32_t>(start + std::min(c.d, len) - 1);
                    start += len;
                    if (++m == 13) {
                        m = 1;
                        leap_year = plans_detail::leap(++y);
                    }
                }
                return;
            }
            const SemimonthlyPair pair = semimonthly_pair(c.y, c.m, c.d);
            bool second = pair.anchor_is_second;
            for (int k = 0; k < n; ++k) {
                const unsigned len = plans_detail::last_day(y, m);
                out[k] = static_cast<std::int32_t>(
                    start + (second ? std::min(pair.d2, len) : pair.d1) - 1);
                if (second) next_month(len);
                second = !second;
            }
            return;
        }
    }
}

}  // namespace plans_detail

Money level_payment(const Money& total, int count, const Rational& annual_rate, Frequency frequency,
                    RoundingMode mode) {
    if (count < 1 || count > kMaxInstallments)
        throw ValidationError("count: " + std::to_string(count) + " is outside 1.." +
                              std::to_string(kMaxInstallments));
    return Money(level_payment(total.minor(), periodic_rate(annual_rate, frequency), count, mode),
                 total.currency());
}

}  // namespace arrears
