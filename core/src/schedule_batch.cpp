// installment_schedules: many schedules in one call, in columns, on all cores.
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <new>

#include "arrears/error.hpp"
#include "arrears/schedule.hpp"
#include "plans/civil.hpp"
#include "plans/parallel.hpp"
#include "plans/schedule_detail.hpp"

namespace arrears {

template <class T>
ColumnBuffer<T> ColumnBuffer<T>::allocate(std::size_t n) {
    constexpr std::size_t huge = std::size_t{2} << 20;
    const std::size_t bytes = std::max<std::size_t>(1, n) * sizeof(T);
    void* p = nullptr;
    if (bytes >= huge) {
        // Whole 2 MiB pages, advised as huge pages: one page fault per 2 MiB instead of 512.
        p = std::aligned_alloc(huge, (bytes + huge - 1) / huge * huge);
        if (p) (void)madvise(p, bytes, MADV_HUGEPAGE);
    } else {
        p = std::malloc(bytes);
    }
    if (!p) throw std::bad_alloc();
    ColumnBuffer<T> out;
    out.data = std::unique_ptr<T[], void (*)(T*)>(static_cast<T*>(p), [](T* q) { std::free(q); });
    out.size = n;
    return out;
}

template struct ColumnBuffer<std::int64_t>;
template struct ColumnBuffer<std::int32_t>;

namespace {

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

}  // namespace

ScheduleColumns installment_schedules(const ScheduleBatchInput& in, unsigned threads,
                                      const BatchProgress& progress) {
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

    ScheduleColumns out;
    out.offsets = ColumnBuffer<std::int64_t>::allocate(n + 1);
    // Validation and offsets, serially (cheap): nothing is computed for bad input.
    std::int64_t rows = 0;
    out.offsets[0] = 0;
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
        const std::int64_t last = plans_detail::batch_due_day(pick(in.frequencies, i), anchor,
                                                              count - 1);
        if (last > plans_detail::kMaxDay)
            throw ValidationError(row("first_dues", i) +
                                  ": the schedule runs past the last supported date 9999-12-31");
        rows += count;
        out.offsets[i + 1] = rows;
    }
    const auto total_rows = static_cast<std::size_t>(rows);
    out.schedule = ColumnBuffer<std::int64_t>::allocate(total_rows);
    out.number = ColumnBuffer<std::int32_t>::allocate(total_rows);
    out.due_days = ColumnBuffer<std::int64_t>::allocate(total_rows);
    out.amount = ColumnBuffer<std::int64_t>::allocate(total_rows);
    out.principal = ColumnBuffer<std::int64_t>::allocate(total_rows);
    out.interest = ColumnBuffer<std::int64_t>::allocate(total_rows);

    std::mutex failure_mutex;
    std::size_t failed_row = std::numeric_limits<std::size_t>::max();
    std::string failure;

    auto body = [&](std::size_t begin, std::size_t end) {
        // Periodic rates stay unreduced (num / (scale · periods)): exact, and no gcd per row.
        std::int64_t cached_num = -1;
        Frequency cached_f = Frequency::monthly;
        Rational r{};
        double rd = 0;
        for (std::size_t i = begin; i < end; ++i) {
            const std::int64_t o = out.offsets[i];
            const auto count = static_cast<int>(out.offsets[i + 1] - o);
            const Frequency f = pick(in.frequencies, i);
            const std::int64_t num = pick(in.rate_numerators, i);
            if (num != cached_num || f != cached_f) {
                cached_num = num;
                cached_f = f;
                r = Rational{num, in.rate_scale * periods_per_year(f)};
                rd = static_cast<double>(r.num) / static_cast<double>(r.den);
            }
            const auto idx = static_cast<std::size_t>(o);
            plans_detail::batch_due_days(f, pick(in.first_due_days, i), count, &out.due_days[idx]);
            for (int k = 0; k < count; ++k) {
                out.schedule[idx + static_cast<std::size_t>(k)] = static_cast<std::int64_t>(i);
                out.number[idx + static_cast<std::size_t>(k)] = k + 1;
            }
            const char* why = plans_detail::batch_amortize(
                in.totals_minor[i], count, r, rd, in.rounding,
                {&out.amount[idx], &out.principal[idx], &out.interest[idx]});
            if (why) {
                std::lock_guard lock(failure_mutex);
                if (i < failed_row) {
                    failed_row = i;
                    failure = row("totals", i) + ": " +
                              Money(in.totals_minor[i], in.currency).amount_string() + " over " +
                              std::to_string(count) + " installments rounded " +
                              std::string(to_string(in.rounding)) + " " + why;
                }
            }
        }
    };
    const bool finished = plans_detail::parallel_chunks(n, 8192, threads, body, progress);
    if (!finished) throw CancelledError("installment_schedules: cancelled");
    if (failed_row != std::numeric_limits<std::size_t>::max()) throw ValidationError(failure);
    return out;
}

}  // namespace arrears
