#include "arrears/payment_batch.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "arrears/parallel.hpp"
#include "arrears/rounding.hpp"

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace arrears {

namespace {

constexpr const char* kBalanceNames[5] = {"principal", "interest", "fees", "costs", "unapplied"};
constexpr std::int64_t kNaT = std::numeric_limits<std::int64_t>::min();

// Scratch memory for the records: on Linux a private mapping advised to use 2 MB pages (the
// scatter writes to hundreds of places at once; huge pages keep that in the TLB).
struct Scratch {
    void* data = nullptr;
    std::size_t length = 0;
    bool mapped = false;
    Scratch() = default;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch() { release(); }
    void release() {
        if (data == nullptr) return;
#ifdef __linux__
        if (mapped) munmap(data, length);
        else
#endif
            ::operator delete(data);
        data = nullptr;
    }
    void* reserve(std::size_t bytes) {
        if (bytes <= length && data) return data;
        release();
        length = bytes;
#ifdef __linux__
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
            madvise(p, bytes, MADV_HUGEPAGE);
            data = p;
            mapped = true;
            return data;
        }
#endif
        data = ::operator new(bytes);
        mapped = false;
        return data;
    }
};

template <class T>
const T* as(const IntColumn& c) {
    return static_cast<const T*>(c.data);
}

inline std::int64_t floor_div(std::int64_t v, std::int64_t d) {
    std::int64_t q = v / d;
    if ((v % d != 0) && ((v < 0) != (d < 0))) --q;
    return q;
}

struct Problem {
    std::size_t row = std::numeric_limits<std::size_t>::max();
    std::string message;
    void offer(std::size_t r, std::string m) {
        if (r < row) {
            row = r;
            message = std::move(m);
        }
    }
};

template <class A, class D>
void run_batch(const IntColumn& account_col, const IntColumn& effective_col,
               std::span<const std::int64_t> amount, const BalanceColumns& balances,
               std::span<const Waterfall> rules, std::span<const std::uint8_t> account_rule,
               std::int64_t* allocations, const PaymentBatchOptions& options) {
    const A* acct = as<A>(account_col);
    const D* eff = as<D>(effective_col);
    const std::int64_t divisor = effective_col.divisor;
    const std::size_t n = amount.size();
    const std::size_t accounts = balances.accounts;
    const unsigned threads = resolve_threads(options.threads, std::max(n, accounts), 4096);
    Progress* progress = options.progress;
    const bool in_place = options.in_place;
    // Runs fn(t) once for each t in [0, threads), on `threads` threads.
    auto each_thread = [threads](auto&& fn) {
        parallel_for(threads, threads, [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t t = b; t < e; ++t) fn(static_cast<unsigned>(t));
        }, 1);
    };
    if (progress) {
        progress->set_total(n + accounts);
        progress->advance(0);
        if (!in_place) progress->check();
    }

    // Without per-payment allocations the order of an account's payments does not matter: the
    // waterfall is a greedy fill, so applying the payments one by one or their sum at once
    // gives the same balances (see the balances-only path below).
    const bool sum_only = allocations == nullptr;

    // 1. Validate every row and every account before writing anything.
    std::vector<Problem> problems(threads);
    std::vector<i128> sums(threads, 0);
    // Payments per unit of 4096 accounts, per thread (input chunk): the pass plan needs them.
    constexpr int kUnitBits = 12;
    const std::size_t units = (accounts + (std::size_t{1} << kUnitBits) - 1) >> kUnitBits;
    std::vector<std::vector<std::uint32_t>> unit_counts(threads);
    std::vector<std::int64_t> min_day(threads, std::numeric_limits<std::int64_t>::max());
    std::vector<std::int64_t> max_day(threads, std::numeric_limits<std::int64_t>::min());
    std::vector<std::int64_t> max_unapplied(threads, 0);
    auto chunk = [](std::size_t total, unsigned parts, unsigned t) {
        return std::pair<std::size_t, std::size_t>{total * t / parts, total * (t + 1) / parts};
    };
    each_thread([&](unsigned t) {
            Problem& pr = problems[t];
            const auto [lo, hi] = chunk(n, threads, t);
            i128 sum = 0;
            std::vector<std::uint32_t>& uc = unit_counts[t];
            uc.assign(units, 0);
            std::int64_t lo_day = std::numeric_limits<std::int64_t>::max();
            std::int64_t hi_day = std::numeric_limits<std::int64_t>::min();
            for (std::size_t i = lo; i < hi; ++i) {
                const std::int64_t a = static_cast<std::int64_t>(acct[i]);
                const std::int64_t m = amount[i];
                if (a < 0 || static_cast<std::size_t>(a) >= accounts) {
                    pr.offer(i, "account[" + std::to_string(i) + "]: " + std::to_string(a) +
                                    " is out of range for " + std::to_string(accounts) +
                                    " accounts");
                    break;
                }
                if (m <= 0) {
                    pr.offer(i, "amount[" + std::to_string(i) + "]: " + std::to_string(m) +
                                    " minor units is not a positive payment");
                    break;
                }
                if constexpr (sizeof(D) == 8) {
                    if (static_cast<std::int64_t>(eff[i]) == kNaT) {
                        pr.offer(i, "effective[" + std::to_string(i) + "]: NaT is not a date");
                        break;
                    }
                }
                sum += m;
                if (sum_only) continue;  // no dates or pass plan needed
                ++uc[static_cast<std::size_t>(a) >> kUnitBits];
                const std::int64_t raw = static_cast<std::int64_t>(eff[i]);
                const std::int64_t day = divisor == 1 ? raw : floor_div(raw, divisor);
                lo_day = std::min(lo_day, day);
                hi_day = std::max(hi_day, day);
            }
            sums[t] = sum;
            min_day[t] = lo_day;
            max_day[t] = hi_day;
            const auto [alo, ahi] = chunk(accounts, threads, t);
            std::int64_t maxu = 0;
            for (std::size_t a = alo; a < ahi && pr.row == std::numeric_limits<std::size_t>::max();
                 ++a) {
                for (int k = 0; k < 5; ++k) {
                    if (balances.in[k] == nullptr) continue;
                    const std::int64_t v = balances.in[k][a];
                    if (v < 0) {
                        // Rows of the balance columns come after all payment rows in the order
                        // of problems reported.
                        pr.offer(n + a, std::string(kBalanceNames[k]) + "[" + std::to_string(a) +
                                            "]: " + std::to_string(v) + " is a negative balance");
                        break;
                    }
                    if (k == 4) maxu = std::max(maxu, v);
                }
                if (!account_rule.empty() && account_rule[a] >= rules.size())
                    pr.offer(n + a, "account_rule[" + std::to_string(a) + "]: " +
                                        std::to_string(account_rule[a]) + " is out of range for " +
                                        std::to_string(rules.size()) + " rules");
            }
            max_unapplied[t] = maxu;
        });
    const Problem* first = nullptr;
    for (const auto& p : problems)
        if (p.row != std::numeric_limits<std::size_t>::max() && (!first || p.row < first->row))
            first = &p;
    if (first) throw ValidationError(first->message);
    i128 total = *std::max_element(max_unapplied.begin(), max_unapplied.end());
    for (auto s : sums) total += s;
    if (total > std::numeric_limits<std::int64_t>::max())
        throw OverflowError("amount: the payments add up to more than 64-bit minor units hold");

    std::int64_t* const* out = balances.out;
    // Balances only: each thread sums the payments of its own account range (no atomics, no
    // sort), then applies one waterfall per account on the sum paid.
    if (sum_only) {
        std::vector<std::int64_t> paid(accounts, 0);
        std::vector<std::size_t> range(threads + 1);
        for (unsigned t = 0; t <= threads; ++t) range[t] = accounts * t / threads;
        each_thread([&](unsigned t) {
            const std::size_t lo = range[t], hi = range[t + 1];
            for (std::size_t i = 0; i < n; ++i) {
                const auto a = static_cast<std::size_t>(acct[i]);
                if (a >= lo && a < hi) paid[a] += amount[i];
            }
            std::size_t since_report = 0;
            for (std::size_t a = lo; a < hi; ++a) {
                std::int64_t bal[5];
                for (int c = 0; c < 5; ++c)
                    bal[c] = balances.in[c] != nullptr ? balances.in[c][a] : 0;
                if (paid[a] > 0) {
                    const Waterfall& rule = rules[account_rule.empty() ? 0 : account_rule[a]];
                    bal[4] += apply_credit(bal, paid[a], rule).unapplied;
                }
                for (std::size_t c = 0; c < 5; ++c) out[c][a] = bal[c];
                if (++since_report == 65536 && progress) {
                    progress->advance(since_report);
                    since_report = 0;
                }
            }
            if (progress) progress->advance(since_report + (n * (t + 1) / threads - n * t / threads));
        });
        return;
    }

    const std::int64_t first_day = n > 0 ? *std::min_element(min_day.begin(), min_day.end()) : 0;
    const std::int64_t last_day = n > 0 ? *std::max_element(max_day.begin(), max_day.end()) : 0;
    // Records carry (account within block, day offset) in one 32-bit key.
    const auto day_span = static_cast<std::uint64_t>(static_cast<i128>(last_day) - first_day);
    const int day_bits = day_span == 0 ? 0 : static_cast<int>(std::bit_width(day_span));
    if (day_bits > 24)
        throw ValidationError("effective: the payment dates span " + std::to_string(day_span) +
                              " days; a batch covers at most 16777215 days");
    const int block_bits = std::min(12, 32 - day_bits);  // ~16K records a block: in L2
    const std::size_t block_size = std::size_t{1} << block_bits;
    const std::size_t blocks = (accounts + block_size - 1) / block_size;


    // 2. Passes over ranges of whole units bound the scratch memory (8 bytes per payment of a
    // pass); each pass is split into blocks of at most 4096 accounts.
    const std::size_t per_pass =
        options.records_per_pass > 0 ? options.records_per_pass : std::size_t{1} << 26;
    std::vector<std::size_t> pass_units{0};  // unit boundaries of the passes
    {
        std::size_t in_pass = 0;
        for (std::size_t u = 0; u < units; ++u) {
            std::size_t c = 0;
            for (unsigned t = 0; t < threads; ++t) c += unit_counts[t][u];
            if (in_pass > 0 && in_pass + c > per_pass) {
                pass_units.push_back(u);
                in_pass = 0;
            }
            in_pass += c;
        }
        if (pass_units.back() != units || units == 0) pass_units.push_back(units);
    }
    const int unit_shift = kUnitBits - block_bits;  // blocks per unit = 2^unit_shift

    // 8 bytes a payment: the row (for its amount and its allocation row) and a sort key.
    struct Record {
        std::uint32_t row;
        std::uint32_t key;  // account within block << day_bits | day - first_day
    };
    const std::uint32_t day_mask = day_bits == 0 ? 0u : static_cast<std::uint32_t>((std::uint64_t{1} << day_bits) - 1);
    auto chunk_of = [&](unsigned t) { return chunk(n, threads, t); };
    Scratch scratch;  // uninitialized: every record is written before it is read
    Record* records = nullptr;
    std::vector<std::vector<std::size_t>> offsets(threads);

    for (std::size_t pass = 0; pass + 1 < pass_units.size(); ++pass) {
        const std::size_t block_lo = pass_units[pass] << unit_shift;
        const std::size_t block_hi = std::min(blocks, pass_units[pass + 1] << unit_shift);
        const std::size_t nb = block_hi - block_lo;
        const std::size_t acct_lo = block_lo << block_bits;
        const std::size_t acct_hi = std::min(accounts, block_hi << block_bits);
        // 2a. This pass's payments per block, per thread (input chunks): known from the
        // validation when blocks are units, else counted.
        if (unit_shift == 0) {
            for (unsigned t = 0; t < threads; ++t) {
                offsets[t].assign(nb + 1, 0);
                for (std::size_t b = 0; b < nb; ++b) offsets[t][b] = unit_counts[t][block_lo + b];
            }
        } else each_thread([&](unsigned t) {
            std::vector<std::size_t>& count = offsets[t];
            count.assign(nb + 1, 0);
            const auto [lo, hi] = chunk_of(t);
            for (std::size_t i = lo; i < hi; ++i) {
                const auto a = static_cast<std::size_t>(acct[i]);
                if (a >= acct_lo && a < acct_hi) ++count[(a >> block_bits) - block_lo];
            }
        });
        // Block-major, thread-minor offsets keep every block's records in input order.
        std::vector<std::size_t> block_start(nb + 1, 0);
        std::size_t running = 0;
        for (std::size_t b = 0; b < nb; ++b) {
            block_start[b] = running;
            for (unsigned t = 0; t < threads; ++t) {
                const std::size_t c = offsets[t][b];
                offsets[t][b] = running;
                running += c;
            }
        }
        block_start[nb] = running;
        records = static_cast<Record*>(scratch.reserve(std::max<std::size_t>(running, 1) * sizeof(Record)));
        // 2b. Scatter the records (sequential reads, one open cache line per block).
        each_thread([&](unsigned t) {
            std::vector<std::size_t>& at = offsets[t];
            const auto [lo, hi] = chunk_of(t);
            for (std::size_t i = lo; i < hi; ++i) {
                const auto a = static_cast<std::size_t>(acct[i]);
                if (a < acct_lo || a >= acct_hi) continue;
                const std::int64_t raw = static_cast<std::int64_t>(eff[i]);
                const std::int64_t day = divisor == 1 ? raw : floor_div(raw, divisor);
                const auto within = static_cast<std::uint32_t>(a & (block_size - 1));
                records[at[(a >> block_bits) - block_lo]++] =
                    Record{static_cast<std::uint32_t>(i),
                           (within << day_bits) | static_cast<std::uint32_t>(day - first_day)};
            }
        });
        // 2c. Blocks in parallel: order each account's payments and apply them.
        std::atomic<std::size_t> next_block{0};
        each_thread([&](unsigned) {
            std::vector<std::uint32_t> start(block_size + 1), fill(block_size);
            std::vector<Record> sorted;
            for (std::size_t b = next_block++; b < nb; b = next_block++) {
                const std::size_t r0 = block_start[b], r1 = block_start[b + 1];
                const std::size_t a0 = (block_lo + b) << block_bits;
                const std::size_t a1 = std::min(accounts, a0 + block_size);
                // Stable counting sort of the block's records by account (the block is in L2).
                std::fill(start.begin(), start.end(), 0u);
                for (std::size_t k = r0; k < r1; ++k) ++start[(records[k].key >> day_bits) + 1];
                for (std::size_t j = 0; j < block_size; ++j) start[j + 1] += start[j];
                std::copy(start.begin(), start.end() - 1, fill.begin());
                sorted.resize(r1 - r0);
                for (std::size_t k = r0; k < r1; ++k) sorted[fill[records[k].key >> day_bits]++] = records[k];
                const std::size_t m = sorted.size();
                for (std::size_t a = a0; a < a1; ++a) {
                    const std::size_t j = a - a0;
                    std::int64_t bal[5];
                    for (int c = 0; c < 5; ++c)
                        bal[c] = balances.in[c] != nullptr ? balances.in[c][a] : 0;
                    const std::uint32_t p0 = start[j], p1 = start[j + 1];
                    if (p1 > p0) {
                        // Effective date order; equal dates keep input order (insertion sort is
                        // stable and the records arrive in input order).
                        for (std::uint32_t q = p0 + 1; q < p1; ++q) {
                            const Record r = sorted[q];
                            std::uint32_t k = q;
                            while (k > p0 && (sorted[k - 1].key & day_mask) > (r.key & day_mask)) {
                                sorted[k] = sorted[k - 1];
                                --k;
                            }
                            sorted[k] = r;
                        }
                        const Waterfall& rule = rules[account_rule.empty() ? 0 : account_rule[a]];
                        for (std::uint32_t q = p0; q < p1; ++q) {
                            if (q + 16 < m) {
                                const std::size_t ahead = sorted[q + 16].row;
                                __builtin_prefetch(&amount[ahead]);
                                __builtin_prefetch(&allocations[5 * ahead], 1);
                            }
                            const Record& r = sorted[q];
                            const CreditSplit split = apply_credit(bal, amount[r.row], rule);
                            bal[4] += split.unapplied;
                            if (allocations) {
                                std::int64_t* row = allocations + 5 * std::size_t{r.row};
                                row[0] = split.applied[0];
                                row[1] = split.applied[1];
                                row[2] = split.applied[2];
                                row[3] = split.applied[3];
                                row[4] = split.unapplied;
                            }
                        }
                    }
                    for (std::size_t c = 0; c < 5; ++c) out[c][a] = bal[c];
                }
                if (progress) {
                    progress->advance((r1 - r0) + (a1 - a0));
                    if (!in_place) progress->check();
                }
            }
        });
    }
    // In place, a cancel request arriving after the writes started is not honoured (the batch
    // is never left half applied); a copy is discarded by the caller when this throws.
    if (progress && !in_place) progress->check();
}

}  // namespace

void post_payment_batch(const IntColumn& account, const IntColumn& effective,
                        std::span<const std::int64_t> amount, const BalanceColumns& balances,
                        std::span<const Waterfall> rules, std::span<const std::uint8_t> account_rule,
                        std::int64_t* allocations, const PaymentBatchOptions& options) {
    const std::size_t n = amount.size();
    if (account.size != n || effective.size != n)
        throw ValidationError("account, effective, amount: the payment columns have different "
                              "lengths (" + std::to_string(account.size) + ", " +
                              std::to_string(effective.size) + ", " + std::to_string(n) + ")");
    if (n > std::numeric_limits<std::uint32_t>::max())
        throw ValidationError("amount: more than 4294967295 payments in one batch; split it");
    if (rules.empty()) throw ValidationError("rules: at least one waterfall is needed");
    if (!account_rule.empty() && account_rule.size() != balances.accounts)
        throw ValidationError("account_rule: " + std::to_string(account_rule.size()) +
                              " entries for " + std::to_string(balances.accounts) + " accounts");
    for (int k = 0; k < 4; ++k)
        if (balances.in[k] == nullptr || balances.out[k] == nullptr)
            throw ValidationError(std::string(kBalanceNames[k]) + ": balance column missing");
    if (balances.out[4] == nullptr) throw ValidationError("unapplied: output column missing");
    if (effective.divisor <= 0) throw ValidationError("effective: the day divisor is not positive");
    if ((account.width != 4 && account.width != 8) || (effective.width != 4 && effective.width != 8))
        throw ValidationError("account, effective: columns are 32- or 64-bit integers");
    if (account.width == 4) {
        if (effective.width == 4)
            run_batch<std::int32_t, std::int32_t>(account, effective, amount, balances, rules,
                                                  account_rule, allocations, options);
        else
            run_batch<std::int32_t, std::int64_t>(account, effective, amount, balances, rules,
                                                  account_rule, allocations, options);
    } else {
        if (effective.width == 4)
            run_batch<std::int64_t, std::int32_t>(account, effective, amount, balances, rules,
                                                  account_rule, allocations, options);
        else
            run_batch<std::int64_t, std::int64_t>(account, effective, amount, balances, rules,
                                                  account_rule, allocations, options);
    }
}

std::shared_ptr<std::int64_t[]> allocate_batch_output(std::size_t count) {
    const std::size_t bytes = std::max<std::size_t>(count, 1) * sizeof(std::int64_t);
#ifdef __linux__
    constexpr std::size_t kHuge = std::size_t{1} << 21;
    if (bytes >= 4 * kHuge) {
        const std::size_t length = (bytes + kHuge - 1) / kHuge * kHuge + kHuge;
        void* raw = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw != MAP_FAILED) {
            // Align the start to 2 MB so every page of the array can be a huge page.
            const auto base = reinterpret_cast<std::uintptr_t>(raw);
            const std::uintptr_t aligned = (base + kHuge - 1) & ~(kHuge - 1);
            madvise(reinterpret_cast<void*>(aligned), length - (aligned - base), MADV_HUGEPAGE);
            return std::shared_ptr<std::int64_t[]>(reinterpret_cast<std::int64_t*>(aligned),
                                                   [raw, length](std::int64_t*) { munmap(raw, length); });
        }
    }
#endif
    return std::shared_ptr<std::int64_t[]>(new std::int64_t[bytes / sizeof(std::int64_t)]);
}

}  // namespace arrears
