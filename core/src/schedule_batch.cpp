// installment_schedules: many schedules in one call, in columns, on all cores; and the
// single-schedule table.
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <new>

#include "arrears/error.hpp"
#include "arrears/schedule.hpp"
#include "plans/civil.hpp"
#include "plans/schedule_detail.hpp"

namespace arrears {

namespace {

// An uninitialised buffer (the builder writes every element), shared with the Table that exports
// it. Large buffers are 2 MiB aligned and advised as transparent huge pages: one page fault per
// 2 MiB instead of 512 when the workers first touch them.
std::shared_ptr<void> raw_buffer(std::size_t bytes) {
    constexpr std::size_t huge = std::size_t{2} << 20;
    bytes = std::max<std::size_t>(bytes, 1);
    void* p = nullptr;
    if (bytes >= huge) {
        p = std::aligned_alloc(huge, (bytes + huge - 1) / huge * huge);
        if (p) (void)madvise(p, bytes, MADV_HUGEPAGE);
    } else {
        p = std::malloc(bytes);
    }
    if (!p) throw std::bad_alloc();
    return std::shared_ptr<void>(p, [](void* q) { std::free(q); });
}

template <class T>
struct Buffer {
    std::shared_ptr<void> owner;
    T* data;
    std::size_t size;
    explicit Buffer(std::size_t n) : owner(raw_buffer(n * sizeof(T))), data(static_cast<T*>(owner.get())), size(n) {}
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
        const std::int64_t last =
            plans_detail::batch_due_day(pick(in.frequencies, i), anchor, count - 1);
        if (last > plans_detail::kMaxDay)
            throw ValidationError(row("first_dues", i) +
                                  ": the schedule runs past the last supported date 9999-12-31");
        offsets[i] = rows;
        rows += count;
    }
    offsets[n] = rows;
    const auto total_rows = static_cast<std::size_t>(rows);
    Buffer<std::int64_t> schedule(total_rows), amount(total_rows), principal(total_rows),
        interest(total_rows);
    Buffer<std::int32_t> number(total_rows), due(total_rows);

    std::mutex failure_mutex;
    std::size_t failed_row = std::numeric_limits<std::size_t>::max();
    std::string failure;
    if (progress) progress->set_total(n);

    parallel_for(n, threads, [&](std::size_t begin, std::size_t end, unsigned) {
        std::vector<std::int64_t> days(static_cast<std::size_t>(kMaxInstallments));
        // Periodic rates stay unreduced (num / (scale · periods)): exact, and no gcd per row.
        std::int64_t cached_num = -1;
        Frequency cached_f = Frequency::monthly;
        Rational r{};
        double rd = 0;
        constexpr std::size_t kStep = 8192;
        for (std::size_t step = begin; step < end; step += kStep) {
            const std::size_t stop = std::min(end, step + kStep);
            for (std::size_t i = step; i < stop; ++i) {
                const auto o = static_cast<std::size_t>(offsets[i]);
                const auto count = static_cast<int>(offsets[i + 1] - offsets[i]);
                const Frequency f = pick(in.frequencies, i);
                const std::int64_t num = pick(in.rate_numerators, i);
                if (num != cached_num || f != cached_f) {
                    cached_num = num;
                    cached_f = f;
                    r = Rational{num, in.rate_scale * periods_per_year(f)};
                    rd = static_cast<double>(r.num) / static_cast<double>(r.den);
                }
                plans_detail::batch_due_days(f, pick(in.first_due_days, i), count, days.data());
                for (int k = 0; k < count; ++k) {
                    const std::size_t at = o + static_cast<std::size_t>(k);
                    schedule.data[at] = static_cast<std::int64_t>(i);
                    number.data[at] = k + 1;
                    due.data[at] = static_cast<std::int32_t>(days[static_cast<std::size_t>(k)]);
                }
                const char* why = plans_detail::batch_amortize(
                    in.totals_minor[i], count, r, rd, in.rounding,
                    {amount.data + o, principal.data + o, interest.data + o});
                if (why) {
                    std::lock_guard lock(failure_mutex);
                    if (i < failed_row) {
                        failed_row = i;
                        failure = row("totals", i) + ": " +
                                  Money(in.totals_minor[i], in.currency).amount_string() +
                                  " over " + std::to_string(count) + " installments rounded " +
                                  std::string(to_string(in.rounding)) + " " + why;
                    }
                }
            }
            if (progress) {
                progress->advance(stop - step);
                if (progress->cancelled()) return;
            }
        }
    });
    if (progress) progress->check();
    if (failed_row != std::numeric_limits<std::size_t>::max()) throw ValidationError(failure);

    Table t;
    t.add_borrowed("schedule", ColumnType::int64, schedule.borrowed())
        .add_borrowed("number", ColumnType::int32, number.borrowed())
        .add_borrowed("due", ColumnType::date32, due.borrowed())
        .add_borrowed("amount_cents", ColumnType::int64, amount.borrowed())
        .add_borrowed("principal_cents", ColumnType::int64, principal.borrowed())
        .add_borrowed("interest_cents", ColumnType::int64, interest.borrowed());
    return t;
}

}  // namespace arrears
