// Columnar batch posting: many payments over many accounts in one call.
//
// Input is a struct of arrays (one row per payment: account index, effective day, amount in
// minor units) and the accounts' balances by component; output is the new balances and,
// optionally, each payment's allocation. Each account's payments are applied in effective-date
// order (input order breaks ties) with apply_credit(), the rule the object API uses, so a batch
// and a sequence of Account::post_payment calls allocate identically. The work is partitioned by
// account over `threads` threads (parallel.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "arrears/allocation.hpp"
#include "arrears/error.hpp"
#include "arrears/parallel.hpp"

namespace arrears {

// Read-only view of an integer column of 32- or 64-bit elements. `divisor` turns the stored
// unit into days for date columns (1 for days, 86400 for seconds, 86'400'000'000'000 for ns;
// floor division). A 64-bit column never holds INT64_MIN (numpy's NaT) as a valid value.
struct IntColumn {
    const void* data = nullptr;
    std::size_t size = 0;
    int width = 8;  // 4 or 8 bytes
    std::int64_t divisor = 1;
};

// Balance columns, one element per account, indexed principal, interest, fees, costs,
// unapplied (the order of Component, then unapplied). in[4] may be null (no unapplied credit).
// out[k] may equal in[k] (in place).
struct BalanceColumns {
    std::size_t accounts = 0;
    const std::int64_t* in[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};
    std::int64_t* out[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};
};

struct PaymentBatchOptions {
    unsigned threads = 0;  // 0: hardware concurrency
    // Reports (payments + accounts) done; when its callback returns false the batch stops with
    // Cancelled and writes nothing the caller should use. In place, a request arriving after the
    // writes started is ignored, so an in-place batch is never left half applied.
    Progress* progress = nullptr;
    bool in_place = false;
    // Scratch memory bound: the accounts are processed in passes of at most this many payments
    // (8 bytes each); 0 is the default of 2^26 (512 MB).
    std::size_t records_per_pass = 0;
};

// Validates everything first (ValidationError naming the column and the row: an account index
// out of range, an amount that is not positive, a negative balance, a NaT date, a rule index
// out of range) and writes nothing when it throws. `rules` are the payment waterfalls; rule of
// account a is rules[account_rule[a]] (account_rule may be empty: every account uses rules[0]).
// `allocations`, when not null, receives n x 5 int64 (row-major: principal, interest, fees,
// costs, unapplied) in input row order.
void post_payment_batch(const IntColumn& account, const IntColumn& effective,
                        std::span<const std::int64_t> amount, const BalanceColumns& balances,
                        std::span<const Waterfall> rules, std::span<const std::uint8_t> account_rule,
                        std::int64_t* allocations, const PaymentBatchOptions& options = {});

// Uninitialized memory for `count` int64 values of a batch output (balances, n x 5 allocations).
// On Linux, from 8 MB up, a private mapping aligned to 2 MB and advised MADV_HUGEPAGE: the batch
// writes allocation rows in random order, and huge pages turn hundreds of thousands of page
// faults and TLB misses into hundreds. Otherwise (or when mapping fails) operator new. The memory
// lives as long as any copy of the pointer.
std::shared_ptr<std::int64_t[]> allocate_batch_output(std::size_t count);

}  // namespace arrears
