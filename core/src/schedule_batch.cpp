// installment_schedules: many schedules in one call, in columns, on all cores; and the
// single-schedule table. Output columns live in uninitialised buffers from the plans buffer pool
// (plans/buffer_pool.hpp), lent to the Table without a copy.
#include <algorithm>
#include <array>
#include <cstring>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <new>

#include "arrears/error.hpp"
#include "arrears/schedule.hpp"
#include "plans/buffer_pool.hpp"
#include "plans/civil.hpp"
#include "plans/fast_round.hpp"
#include "plans/schedule_detail.hpp"

namespace arrears {

namespace {

template <class T>
struct Buffer {
    std::shared_ptr<void> owner;
    T* data;
    std::size_t size;
    explicit Buffer(std::size_t n) : owner(plans_detail::pooled_buffer(n * sizeof(T))), data(static_cast<T*>(owner.get())), size(n) {}
    BorrowedValues borrowed() const { return BorrowedValues{data, size, owner}; }
};

std::string row(const char* column, std::size_t i) {
    return std::string(column) + "[" + std::to_string(i) + "]";
}

template <class T>
const T& pick(std::span<const T> s, std::size_t i) {
    return s.size() == 1 ? s[0] : s[i];
}

template <class T>
void check_length(std::span<const T> s, std::size_t n, const char* column) {
    if (s.size() != n && s.size() != 1)
        throw ValidationError(std::string(column) + ": " + std::to_string(s.size()) +
                              " values for " + std::to_string(n) +
                              " schedules (give one value per schedule, or one for all)");
}

// Amortization of up to kLanes schedules with the same count in lockstep. Each schedule is the
// same computation as installment_schedule's (level payment, half-up interest on the running
// balance, the last installment absorbing the residue); running several side by side lets the
// processor overlap their period-to-period dependency chains.
constexpr int kLanes = 8;

struct Lane {
    std::int64_t principal;
    std::int64_t a;  // periodic rate a / b (unreduced)
    std::int64_t b;
    double factor;   // level_payment_factor (a > 0)
    const plans_detail::HalfUpDivider* interest_of;  // x·a/b half-up for this lane's b
    std::size_t o;   // first output row
    std::size_t row; // input row, for errors
};

void amortize_group(const Lane* lanes, int count, int n, RoundingMode mode, std::int64_t* amount,
                    std::int64_t* principal, std::int64_t* interest, const char** why) {
    std::int64_t pay[kLanes];
    std::int64_t bal[kLanes];
    bool overpaid[kLanes];
    for (int l = 0; l < count; ++l) {
        const Lane& x = lanes[l];
        pay[l] = x.a == 0 ? round_div(x.principal, n, mode)
                          : plans_detail::level_payment_with_factor(x.principal, Rational{x.a, x.b}, n,
                                                                    mode, x.factor);
        bal[l] = x.principal;
        overpaid[l] = pay[l] <= 0;
    }
    for (int k = 0; k + 1 < n; ++k) {
        for (int l = 0; l < count; ++l) {
            const Lane& x = lanes[l];
            const std::int64_t i = (*x.interest_of)(bal[l], x.a);
            const std::int64_t part = pay[l] - i;
            bal[l] -= part;
            overpaid[l] |= bal[l] <= 0;
            const std::size_t at = x.o + static_cast<std::size_t>(k);
            amount[at] = pay[l];
            principal[at] = part;
            interest[at] = i;
        }
    }
    for (int l = 0; l < count; ++l) {
        const Lane& x = lanes[l];
        const std::int64_t i = (*x.interest_of)(bal[l], x.a);
        const std::size_t at = x.o + static_cast<std::size_t>(n - 1);
        amount[at] = bal[l] + i;
        principal[at] = bal[l];
        interest[at] = i;
        why[l] = nullptr;
        if (overpaid[l])
            why[l] = x.a == 0 ? "leaves nothing for the last installment"
                     : pay[l] <= 0 ? "rounds the regular payment to zero"
                                   : "pays the balance off before the last installment";
    }
}

}  // namespace

Table to_table(const Schedule& s) {
    std::vector<std::int32_t> number, due;
    std::vector<std::int64_t> amount, principal, interest;
    for (const auto& x : s.installments()) {
        number.push_back(x.number);
        due.push_back(days_since_epoch(x.due));
        amount.push_back(x.amount.minor());
        principal.push_back(x.principal.minor());
        interest.push_back(x.interest.minor());
    }
    Table t;
    t.add_int32("number", std::move(number))
        .add_date32("due", std::move(due))
        .add_int64("amount_cents", std::move(amount))
        .add_int64("principal_cents", std::move(principal))
        .add_int64("interest_cents", std::move(interest));
    return t;
}

Table installment_schedules(const ScheduleBatchInput& in, unsigned threads, Progress* progress) {
    const std::size_t n = in.totals_minor.size();
    check_length(in.counts, n, "counts");
    check_length(in.first_due_days, n, "first_dues");
    check_length(in.rate_numerators, n, "annual_rates");
    check_length(in.frequencies, n, "frequencies");
    if (in.rounding != RoundingMode::half_up && in.rounding != RoundingMode::up &&
        in.rounding != RoundingMode::down)
        throw ValidationError("rounding: " + std::string(to_string(in.rounding)) +
                              " is not a schedule rounding (expected half_up, up or down)");
    if (in.rate_scale <= 0 || in.rate_scale > 1'000'000'000'000)
        throw ValidationError("rate_scale: " + std::to_string(in.rate_scale) +
                              " is outside 1..10^12");

    // Validation and row offsets, serially (cheap): nothing is computed for bad input.
    std::vector<std::int64_t> offsets(n + 1);
    std::int64_t rows = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t total = in.totals_minor[i];
        if (total <= 0)
            throw ValidationError(row("totals", i) + ": " +
                                  Money(total, in.currency).amount_string() + " must be positive");
        const std::int64_t count = pick(in.counts, i);
        if (count < 1 || count > kMaxInstallments)
            throw ValidationError(row("counts", i) + ": " + std::to_string(count) +
                                  " is outside 1.." + std::to_string(kMaxInstallments));
        const std::int64_t rate = pick(in.rate_numerators, i);
        if (rate < 0 || rate > in.rate_scale)
            throw ValidationError(row("annual_rates", i) + ": " + std::to_string(rate) + "/" +
                                  std::to_string(in.rate_scale) +
                                  " is outside 0..1 (a fraction: 0.12 for 12%)");
        const std::int64_t anchor = pick(in.first_due_days, i);
        if (anchor < plans_detail::kMinDay || anchor > plans_detail::kMaxDay)
            throw ValidationError(row("first_dues", i) + ": day " + std::to_string(anchor) +
                                  " is outside 0001-01-01..9999-12-31");
        // A month is at most 31 days: only schedules that could reach the end of the calendar
        // need their exact last date.
        if (anchor + 31 * count > plans_detail::kMaxDay &&
            plans_detail::batch_due_day(pick(in.frequencies, i), anchor, count - 1) >
                plans_detail::kMaxDay)
            throw ValidationError(row("first_dues", i) +
                                  ": the schedule runs past the last supported date 9999-12-31");
        offsets[i] = rows;
        rows += count;
    }
    offsets[n] = rows;
    const auto total_rows = static_cast<std::size_t>(rows);
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw ValidationError("totals: more than 2^31 schedules in one call");
    Buffer<std::int64_t> amount(total_rows), principal(total_rows), interest(total_rows);
    Buffer<std::int32_t> schedule(total_rows), number(total_rows), due(total_rows);

    std::mutex failure_mutex;
    std::size_t failed_row = std::numeric_limits<std::size_t>::max();
    std::string failure;
    if (progress) progress->set_total(n);

    auto fail = [&](std::size_t i, int count, const char* why) {
        std::lock_guard lock(failure_mutex);
        if (i < failed_row) {
            failed_row = i;
            failure = row("totals", i) + ": " + Money(in.totals_minor[i], in.currency).amount_string() +
                      " over " + std::to_string(count) + " installments rounded " +
                      std::string(to_string(in.rounding)) + " " + why;
        }
    };

    parallel_for(n, threads, [&](std::size_t begin, std::size_t end, unsigned) {
        // Periodic rates stay unreduced (num / (scale · periods)): exact, and no gcd per row.
        // PMT factors (two libm calls) are cached per (rate, frequency, count) in a small
        // direct-mapped table; the next row's slot is prefetched (the output stream keeps
        // evicting it from the caches).
        struct Slot {
            std::uint64_t key = ~std::uint64_t{0};
            double factor = 0;
        };
        std::vector<Slot> cache(std::size_t{1} << 14);
        auto key_of = [&](std::size_t i) {
            return (static_cast<std::uint64_t>(pick(in.rate_numerators, i)) << 13) |
                   (static_cast<std::uint64_t>(offsets[i + 1] - offsets[i]) << 2) |
                   static_cast<std::uint64_t>(pick(in.frequencies, i));
        };
        auto slot_of = [](std::uint64_t key) {
            return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 50);
        };
        constexpr int kCachedDays = 16;
        struct DaySlot {
            std::uint64_t key = ~std::uint64_t{0};
            std::array<std::int32_t, kCachedDays> days{};
        };
        std::vector<DaySlot> day_cache(1024);
        const std::array<plans_detail::HalfUpDivider, 4> dividers{
            plans_detail::HalfUpDivider(in.rate_scale * periods_per_year(Frequency::weekly)),
            plans_detail::HalfUpDivider(in.rate_scale * periods_per_year(Frequency::biweekly)),
            plans_detail::HalfUpDivider(in.rate_scale * periods_per_year(Frequency::semimonthly)),
            plans_detail::HalfUpDivider(in.rate_scale * periods_per_year(Frequency::monthly))};
        std::array<Lane, kLanes> group{};
        int lanes = 0;
        int group_count = 0;
        auto flush = [&] {
            if (lanes == 0) return;
            std::array<const char*, kLanes> why{};
            amortize_group(group.data(), lanes, group_count, in.rounding, amount.data, principal.data,
                           interest.data, why.data());
            for (int l = 0; l < lanes; ++l)
                if (why[static_cast<std::size_t>(l)]) fail(group[static_cast<std::size_t>(l)].row, group_count, why[static_cast<std::size_t>(l)]);
            lanes = 0;
        };
        constexpr std::size_t kStep = 8192;
        for (std::size_t step = begin; step < end; step += kStep) {
            const std::size_t stop = std::min(end, step + kStep);
            for (std::size_t i = step; i < stop; ++i) {
                const auto o = static_cast<std::size_t>(offsets[i]);
                const auto count = static_cast<int>(offsets[i + 1] - offsets[i]);
                const Frequency f = pick(in.frequencies, i);
                const std::int64_t num = pick(in.rate_numerators, i);
                const std::int64_t den = in.rate_scale * periods_per_year(f);
                if (i + 1 < end) __builtin_prefetch(&cache[slot_of(key_of(i + 1))]);
                const std::uint64_t key = key_of(i);
                Slot& slot = cache[slot_of(key)];
                if (slot.key != key) {
                    slot.key = key;
                    slot.factor = num == 0 ? 0.0 : plans_detail::level_payment_factor(Rational{num, den}, count);
                }
                // Due dates repeat across schedules (a few hundred distinct anchors): short
                // schedules are copied from a per-thread cache keyed by (anchor, frequency).
                const std::int64_t anchor = pick(in.first_due_days, i);
                if (count <= kCachedDays) {
                    const std::uint64_t dkey = (static_cast<std::uint64_t>(anchor) << 2) | static_cast<std::uint64_t>(f);
                    DaySlot& ds = day_cache[static_cast<std::size_t>((dkey * 0x9E3779B97F4A7C15ull) >> 54)];
                    if (ds.key != dkey) {
                        ds.key = dkey;
                        plans_detail::batch_due_days(f, anchor, kCachedDays, ds.days.data());
                    }
                    std::memcpy(due.data + o, ds.days.data(), static_cast<std::size_t>(count) * sizeof(std::int32_t));
                } else {
                    plans_detail::batch_due_days(f, anchor, count, due.data + o);
                }
                for (int k = 0; k < count; ++k) {
                    const std::size_t at = o + static_cast<std::size_t>(k);
                    schedule.data[at] = static_cast<std::int32_t>(i);
                    number.data[at] = k + 1;
                }
                if (lanes > 0 && count != group_count) flush();
                group_count = count;
                group[static_cast<std::size_t>(lanes++)] = {in.totals_minor[i], num, den, slot.factor,
                                                           &dividers[static_cast<std::size_t>(f)], o, i};
                if (lanes == kLanes) flush();
            }
            flush();
            if (progress) {
                progress->advance(stop - step);
                if (progress->cancelled()) return;
            }
        }
    });
    if (progress) progress->check();
    if (failed_row != std::numeric_limits<std::size_t>::max()) throw ValidationError(failure);

    Table t;
    t.add_borrowed("schedule", ColumnType::int32, schedule.borrowed())
        .add_borrowed("number", ColumnType::int32, number.borrowed())
        .add_borrowed("due", ColumnType::date32, due.borrowed())
        .add_borrowed("amount_cents", ColumnType::int64, amount.borrowed())
        .add_borrowed("principal_cents", ColumnType::int64, principal.borrowed())
        .add_borrowed("interest_cents", ColumnType::int64, interest.borrowed());
    return t;
}

}  // namespace arrears
