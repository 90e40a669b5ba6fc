#include "arrears/payment_batch.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "arrears/parallel.hpp"
#include "arrears/rounding.hpp"

namespace arrears {

namespace {

constexpr const char* kBalanceNames[5] = {"principal", "interest", "fees", "costs", "unapplied"};
constexpr std::int64_t kNaT = std::numeric_limits<std::int64_t>::min();

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

    // 1. Validate every row and every account before writing anything.
    std::vector<Problem> problems(threads);
    std::vector<i128> sums(threads, 0);
    std::vector<std::int64_t> max_unapplied(threads, 0);
    auto chunk = [](std::size_t total, unsigned parts, unsigned t) {
        return std::pair<std::size_t, std::size_t>{total * t / parts, total * (t + 1) / parts};
    };
    each_thread([&](unsigned t) {
            Problem& pr = problems[t];
            const auto [lo, hi] = chunk(n, threads, t);
            i128 sum = 0;
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
            }
            sums[t] = sum;
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

    // 2. Count the payments of each account (each thread owns a contiguous account range).
    std::unique_ptr<std::uint32_t[]> pos(new std::uint32_t[accounts + 1]());
    std::vector<std::size_t> range_count(threads, 0);
    std::vector<std::size_t> range_lo(threads + 1);
    for (unsigned t = 0; t <= threads; ++t) range_lo[t] = accounts * t / threads;
    each_thread([&](unsigned t) {
            const std::size_t lo = range_lo[t], hi = range_lo[t + 1];
            std::size_t count = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const auto a = static_cast<std::size_t>(acct[i]);
                if (a >= lo && a < hi) {
                    ++pos[a];
                    ++count;
                }
            }
            range_count[t] = count;
        });

    // 3. Group, order and apply, account by account.
    std::vector<std::size_t> range_base(threads + 1, 0);
    for (unsigned t = 0; t < threads; ++t) range_base[t + 1] = range_base[t] + range_count[t];
    std::unique_ptr<std::uint32_t[]> perm(new std::uint32_t[n > 0 ? n : 1]);
    std::vector<std::int64_t*> out(5);
    for (int k = 0; k < 5; ++k) out[static_cast<std::size_t>(k)] = balances.out[k];

    struct Row {
        std::int64_t day;
        std::uint32_t index;
    };
    each_thread([&](unsigned t) {
            const std::size_t lo = range_lo[t], hi = range_lo[t + 1];
            // Exclusive prefix sums: pos[a] becomes the start of account a's slice.
            std::size_t running = range_base[t];
            for (std::size_t a = lo; a < hi; ++a) {
                const std::size_t c = pos[a];
                pos[a] = static_cast<std::uint32_t>(running);
                running += c;
            }
            for (std::size_t i = 0; i < n; ++i) {
                const auto a = static_cast<std::size_t>(acct[i]);
                if (a >= lo && a < hi) perm[pos[a]++] = static_cast<std::uint32_t>(i);
            }
            // Now pos[a] is the end of account a's slice (and the start of a + 1's).
            std::vector<Row> rows;
            std::size_t start = range_base[t];
            std::size_t since_report = 0;
            for (std::size_t a = lo; a < hi; ++a) {
                const std::size_t end = pos[a];
                std::int64_t b[5];
                for (int k = 0; k < 5; ++k)
                    b[k] = balances.in[k] != nullptr ? balances.in[k][a] : 0;
                if (end > start) {
                    rows.clear();
                    for (std::size_t k = start; k < end; ++k) {
                        if (k + 16 < range_base[t + 1]) {
                            const std::uint32_t ahead = perm[k + 16];
                            __builtin_prefetch(&amount[ahead]);
                            __builtin_prefetch(&eff[ahead]);
                            if (allocations) __builtin_prefetch(&allocations[5 * std::size_t{ahead}], 1);
                        }
                        const std::uint32_t p = perm[k];
                        const std::int64_t raw = static_cast<std::int64_t>(eff[p]);
                        rows.push_back({divisor == 1 ? raw : floor_div(raw, divisor), p});
                    }
                    // Effective date, then input order (perm is in input order already).
                    if (rows.size() > 1)
                        std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
                            return x.day < y.day;
                        });
                    const Waterfall& rule = rules[account_rule.empty() ? 0 : account_rule[a]];
                    for (const Row& r : rows) {
                        const CreditSplit split = apply_credit(b, amount[r.index], rule);
                        b[4] += split.unapplied;
                        if (allocations) {
                            std::int64_t* row = allocations + 5 * std::size_t{r.index};
                            row[0] = split.applied[0];
                            row[1] = split.applied[1];
                            row[2] = split.applied[2];
                            row[3] = split.applied[3];
                            row[4] = split.unapplied;
                        }
                    }
                }
                for (std::size_t k = 0; k < 5; ++k) out[k][a] = b[k];
                since_report += end - start + 1;
                start = end;
                if (since_report >= 65536) {
                    if (progress) {
                        progress->advance(since_report);
                        if (!in_place) progress->check();
                    }
                    since_report = 0;
                }
            }
            if (progress) progress->advance(since_report);
        });
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

}  // namespace arrears
