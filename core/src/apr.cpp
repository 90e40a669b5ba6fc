#include "arrears/apr.hpp"

#include <cmath>
#include <vector>

#include "arrears/error.hpp"
#include "plans/civil.hpp"

namespace arrears {

namespace {

std::int64_t day_number(Date d) { return to_days(d).time_since_epoch().count(); }

// The date `months` whole months before `from`, keeping `from`'s day (or the month end when
// `from` is a month end), clamped to the target month's end.
std::int64_t months_back(const plans_detail::Civil& from, bool month_end, long months) {
    const std::int64_t idx = from.y * 12 + (from.m - 1) - months;
    const std::int64_t y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
    const auto m = static_cast<unsigned>(idx - y * 12 + 1);
    const unsigned last = plans_detail::last_day(y, m);
    const unsigned d = month_end ? last : std::min(from.d, last);
    return plans_detail::days_from_civil(y, m, d);
}

}  // namespace

UnitPeriods unit_periods(Date advance, Date payment, Frequency unit_period) {
    const std::int64_t a = day_number(advance);
    const std::int64_t p = day_number(payment);
    if (p < a)
        throw ValidationError("payment: " + to_iso(payment) + " is before the advance " +
                              to_iso(advance));
    UnitPeriods out;
    switch (unit_period) {
        case Frequency::weekly:
        case Frequency::biweekly: {
            const std::int64_t len = unit_period == Frequency::weekly ? 7 : 14;
            out.whole = static_cast<long>((p - a) / len);
            out.fraction = Rational::of((p - a) % len, len);
            return out;
        }
        case Frequency::monthly:
        case Frequency::semimonthly: {
            const auto c = plans_detail::civil_from_days(p);
            const bool month_end = c.d == plans_detail::last_day(c.y, c.m);
            long months = 0;
            std::int64_t start = p;
            // Whole months backward from the payment while they stay on or after the advance.
            long lo = 0, hi = static_cast<long>((p - a) / 28) + 1;
            while (lo < hi) {  // largest months with months_back(...) >= a
                const long mid = (lo + hi + 1) / 2;
                if (months_back(c, month_end, mid) >= a)
                    lo = mid;
                else
                    hi = mid - 1;
            }
            months = lo;
            start = months_back(c, month_end, months);
            std::int64_t odd = start - a;
            if (unit_period == Frequency::monthly) {
                out.whole = months;
                out.fraction = Rational::of(odd, 30);
            } else {
                out.whole = 2 * months;
                if (odd >= 15) {
                    ++out.whole;
                    odd -= 15;
                }
                out.fraction = Rational::of(odd, 15);
            }
            return out;
        }
    }
    return out;
}

namespace {

// The first payment whose date breaks frequency f (counted from the first payment).
std::size_t first_off(std::span<const std::pair<Date, Money>> payments, Frequency f) {
    std::size_t k = 1;
    while (k < payments.size() && follows_frequency(payments.first(k + 1), f)) ++k;
    return k;
}

[[noreturn]] void irregular(std::span<const std::pair<Date, Money>> payments,
                            std::optional<Frequency> expected) {
    std::string why;
    if (expected) {
        const std::size_t k = first_off(payments, *expected);
        why = "the schedule's due dates do not follow its frequency " +
              std::string(to_string(*expected)) + " (payments[" + std::to_string(k) + "] " +
              to_iso(payments[k].first) + ")";
    } else {
        // Name the date where the best-fitting frequency stops matching.
        std::size_t k = 0;
        Frequency best = Frequency::monthly;
        for (Frequency f :
             {Frequency::monthly, Frequency::semimonthly, Frequency::biweekly, Frequency::weekly}) {
            const std::size_t off = first_off(payments, f);
            if (off > k) {
                k = off;
                best = f;
            }
        }
        why = "the payment dates are irregular (payments[" + std::to_string(k) + "] " +
              to_iso(payments[k].first) + " is not " + std::string(to_string(best)) + " from " +
              to_iso(payments.front().first) + ")";
    }
    throw ValidationError("unit_period: " + why +
                          "; pass the unit_period (weekly, biweekly, semimonthly or monthly): for "
                          "irregular payments Regulation Z Appendix J (b)(4) makes it the most "
                          "frequent period between them");
}

}  // namespace

Rational apr(Money amount_financed, std::span<const std::pair<Date, Money>> payments,
             std::optional<Frequency> unit_period_arg, std::optional<Date> advance) {
    if (!amount_financed.is_positive())
        throw ValidationError("amount_financed: " + amount_financed.amount_string() +
                              " must be positive");
    if (payments.empty()) throw ValidationError("schedule: no payments");
    std::optional<Frequency> unit = unit_period_arg;
    if (!unit) unit = payments.size() == 1 ? Frequency::monthly : regular_frequency(payments);
    if (!unit) irregular(payments, std::nullopt);
    const Frequency unit_period = *unit;
    Money sum(0, amount_financed.currency());
    for (std::size_t i = 0; i < payments.size(); ++i) {
        payments[i].second.require_same_currency(amount_financed,
                                                 "payments[" + std::to_string(i) + "].amount");
        if (payments[i].second.is_negative())
            throw ValidationError("payments[" + std::to_string(i) + "].amount: " +
                                  payments[i].second.amount_string() + " is negative");
        sum += payments[i].second;
    }
    if (sum < amount_financed)
        throw ValidationError("amount_financed: " + amount_financed.amount_string() +
                              " is more than the payments total " + sum.amount_string() +
                              " (no finance charge to express as a rate)");
    Date first = payments.front().first;
    for (const auto& [d, m] : payments)
        if (to_days(d) < to_days(first)) first = d;
    Date start;
    if (advance) {
        start = *advance;
    } else {
        switch (unit_period) {
            case Frequency::weekly: start = add_days(first, -7); break;
            case Frequency::biweekly: start = add_days(first, -14); break;
            case Frequency::semimonthly: start = add_days(first, -15); break;
            case Frequency::monthly: {
                const auto c = plans_detail::civil_from_days(day_number(first));
                const bool month_end = c.d == plans_detail::last_day(c.y, c.m);
                start = from_days(std::chrono::sys_days{
                    std::chrono::days{months_back(c, month_end, 1)}});
                break;
            }
        }
    }
    check_date(start, "advance");
    if (sum == amount_financed) return Rational{0, 1};

    struct Term {
        long double amount;
        long double t;
        long double f;
    };
    std::vector<Term> terms;
    terms.reserve(payments.size());
    for (std::size_t i = 0; i < payments.size(); ++i) {
        UnitPeriods u;
        try {
            u = unit_periods(start, payments[i].first, unit_period);
        } catch (const ValidationError&) {
            throw ValidationError("payments[" + std::to_string(i) + "].due: " +
                                  to_iso(payments[i].first) + " is before the advance " +
                                  to_iso(start));
        }
        terms.push_back({static_cast<long double>(payments[i].second.minor()),
                         static_cast<long double>(u.whole),
                         static_cast<long double>(u.fraction.num) /
                             static_cast<long double>(u.fraction.den)});
    }
    const long double target = static_cast<long double>(amount_financed.minor());
    // Present value of the payments at unit-period rate i, minus the amount financed: strictly
    // decreasing in i, positive at 0 (payments exceed the amount financed).
    auto excess = [&](long double i) {
        long double pv = 0;
        for (const auto& x : terms) pv += x.amount / ((1 + x.f * i) * std::pow(1 + i, x.t));
        return pv - target;
    };
    long double lo = 0, hi = 0.01L;
    while (excess(hi) > 0) {
        lo = hi;
        hi *= 2;
        if (hi > 1e6L) throw ValidationError("schedule: no finite rate makes the payments' "
                                             "present value equal the amount financed");
    }
    for (int it = 0; it < 200 && hi - lo > 1e-18L * hi; ++it) {
        const long double mid = (lo + hi) / 2;
        (excess(mid) > 0 ? lo : hi) = mid;
    }
    const long double annual = (lo + hi) / 2 * periods_per_year(unit_period);
    return Rational::of(static_cast<std::int64_t>(std::llround(annual * 1e6L)), 1'000'000);
}

Rational apr(Money amount_financed, const Schedule& schedule, std::optional<Date> advance) {
    std::vector<std::pair<Date, Money>> payments;
    payments.reserve(schedule.installments().size());
    for (const auto& x : schedule.installments()) payments.emplace_back(x.due, x.amount);
    if (!follows_frequency(payments, schedule.frequency()))
        irregular(payments, schedule.frequency());
    return apr(amount_financed, payments, schedule.frequency(), advance);
}

}  // namespace arrears
