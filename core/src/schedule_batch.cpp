// installment_schedules: many schedules in one call, in columns, on all cores; and the
// single-schedule table. Output columns live in uninitialised buffers from the plans buffer pool
// (plans/buffer_pool.hpp), lent to the Table without a copy.
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <new>
#include <optional>

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

// The columns are far larger than the caches: each group's rows are assembled in small scratch
// columns (cache-resident) and then written out with non-temporal stores, which do not first read
// the lines they fill (half the memory traffic of plain stores).
template <class T>
void stream_out(T* dst, const T* src, std::size_t n) {
#if defined(__x86_64__)
    std::size_t i = 0;
    auto one = [&](std::size_t k) {
        if constexpr (sizeof(T) == 8)
            _mm_stream_si64(reinterpret_cast<long long*>(dst + k), static_cast<long long>(src[k]));
        else
            _mm_stream_si32(reinterpret_cast<int*>(dst + k), static_cast<int>(src[k]));
    };
    for (; i < n && (reinterpret_cast<std::uintptr_t>(dst + i) & 15u) != 0; ++i) one(i);
    constexpr std::size_t kPer = 16 / sizeof(T);
    for (; i + kPer <= n; i += kPer)
        _mm_stream_si128(reinterpret_cast<__m128i*>(dst + i),
                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i)));
    for (; i < n; ++i) one(i);
#else
    std::memcpy(dst, src, n * sizeof(T));
#endif
}

// Orders the non-temporal stores before the worker reports done.
struct StoreFence {
    ~StoreFence() {
#if defined(__x86_64__)
        _mm_sfence();
#endif
    }
};

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
    std::size_t o;   // first row of this lane in the group's scratch columns
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

    // Row checks, serially before any work (a sequential pass is cheap): the first bad row is
    // reported and nothing is computed. With one count for every schedule the offsets are
    // i · count and need no table.
    auto invalid = [&](std::size_t i) -> std::optional<std::string> {
        const std::int64_t total = in.totals_minor[i];
        if (total <= 0)
            return row("totals", i) + ": " + Money(total, in.currency).amount_string() +
                   " must be positive";
        const std::int64_t count = pick(in.counts, i);
        if (count < 1 || count > kMaxInstallments)
            return row("counts", i) + ": " + std::to_string(count) + " is outside 1.." +
                   std::to_string(kMaxInstallments);
        const std::int64_t rate = pick(in.rate_numerators, i);
        if (rate < 0 || rate > in.rate_scale)
            return row("annual_rates", i) + ": " + std::to_string(rate) + "/" +
                   std::to_string(in.rate_scale) + " is outside 0..1 (a fraction: 0.12 for 12%)";
        const std::int64_t anchor = pick(in.first_due_days, i);
        if (anchor < plans_detail::kMinDay || anchor > plans_detail::kMaxDay)
            return row("first_dues", i) + ": day " + std::to_string(anchor) +
                   " is outside 0001-01-01..9999-12-31";
        // A month is at most 31 days: only schedules that could reach the end of the calendar
        // need their exact last date.
        if (anchor + 31 * count > plans_detail::kMaxDay &&
            plans_detail::batch_due_day(pick(in.frequencies, i), anchor, count - 1) >
                plans_detail::kMaxDay)
            return row("first_dues", i) +
                   ": the schedule runs past the last supported date 9999-12-31";
        return std::nullopt;
    };
    const bool uniform = in.counts.size() == 1;
    std::vector<std::int64_t> offsets(uniform ? 0 : n + 1);
    std::int64_t rows = 0;
    if (uniform) {
        const std::int64_t count = in.counts[0];
        if (count < 1 || count > kMaxInstallments)
            throw ValidationError("counts[0]: " + std::to_string(count) + " is outside 1.." +
                                  std::to_string(kMaxInstallments));
        for (std::size_t i = 0; i < n; ++i)
            if (auto message = invalid(i)) throw ValidationError(*message);
        rows = static_cast<std::int64_t>(n) * count;
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            if (auto message = invalid(i)) throw ValidationError(*message);
            offsets[i] = rows;
            rows += in.counts[i];
        }
        offsets[n] = rows;
    }
    const std::int64_t uniform_count = uniform ? in.counts[0] : 0;
    auto offset_of = [&](std::size_t i) {
        return uniform ? static_cast<std::int64_t>(i) * uniform_count : offsets[i];
    };
    const auto total_rows = static_cast<std::size_t>(rows);
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw ValidationError("totals: more than 2^31 schedules in one call");
    Buffer<std::int64_t> amount(total_rows), principal(total_rows), interest(total_rows);
    Buffer<std::int32_t> schedule(total_rows), number(total_rows), due(total_rows);

    std::mutex failure_mutex;
    std::size_t failed_row = std::numeric_limits<std::size_t>::max();
    std::string failure;
    if (progress) progress->set_total(n);

    auto record = [&](std::size_t i, std::string message) {
        std::lock_guard lock(failure_mutex);
        if (i < failed_row) {
            failed_row = i;
            failure = std::move(message);
        }
    };
    auto fail = [&](std::size_t i, int count, const char* why) {
        record(i, row("totals", i) + ": " + Money(in.totals_minor[i], in.currency).amount_string() +
                      " over " + std::to_string(count) + " installments rounded " +
                      std::string(to_string(in.rounding)) + " " + why);
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
                   (static_cast<std::uint64_t>(offset_of(i + 1) - offset_of(i)) << 2) |
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
        std::size_t group_start = 0;
        const auto scratch_rows = static_cast<std::size_t>(kLanes * kMaxInstallments);
        std::vector<std::int64_t> s_amount(scratch_rows), s_principal(scratch_rows), s_interest(scratch_rows);
        std::vector<std::int32_t> s_due(scratch_rows), s_schedule(scratch_rows), s_number(scratch_rows);
        const StoreFence fence;
        auto flush = [&] {
            if (lanes == 0) return;
            std::array<const char*, kLanes> why{};
            amortize_group(group.data(), lanes, group_count, in.rounding, s_amount.data(),
                           s_principal.data(), s_interest.data(), why.data());
            for (int l = 0; l < lanes; ++l)
                if (why[static_cast<std::size_t>(l)]) fail(group[static_cast<std::size_t>(l)].row, group_count, why[static_cast<std::size_t>(l)]);
            const auto rows_out = static_cast<std::size_t>(lanes * group_count);
            stream_out(amount.data + group_start, s_amount.data(), rows_out);
            stream_out(principal.data + group_start, s_principal.data(), rows_out);
            stream_out(interest.data + group_start, s_interest.data(), rows_out);
            stream_out(due.data + group_start, s_due.data(), rows_out);
            stream_out(schedule.data + group_start, s_schedule.data(), rows_out);
            stream_out(number.data + group_start, s_number.data(), rows_out);
            lanes = 0;
        };
        constexpr std::size_t kStep = 8192;
        for (std::size_t step = begin; step < end; step += kStep) {
            const std::size_t stop = std::min(end, step + kStep);
            for (std::size_t i = step; i < stop; ++i) {
                const auto o = static_cast<std::size_t>(offset_of(i));
                const auto count = static_cast<int>(offset_of(i + 1) - offset_of(i));
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
                if (lanes > 0 && count != group_count) flush();
                if (lanes == 0) group_start = o;
                group_count = count;
                const auto so = static_cast<std::size_t>(lanes * count);  // scratch offset
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
                    std::memcpy(s_due.data() + so, ds.days.data(), static_cast<std::size_t>(count) * sizeof(std::int32_t));
                } else {
                    plans_detail::batch_due_days(f, anchor, count, s_due.data() + so);
                }
                for (int k = 0; k < count; ++k) {
                    s_schedule[so + static_cast<std::size_t>(k)] = static_cast<std::int32_t>(i);
                    s_number[so + static_cast<std::size_t>(k)] = k + 1;
                }
                group[static_cast<std::size_t>(lanes++)] = {in.totals_minor[i], num, den, slot.factor,
                                                           &dividers[static_cast<std::size_t>(f)], so, i};
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
