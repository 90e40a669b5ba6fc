// Entry points schedule.cpp shares with the batch builder (schedule_batch.cpp) and the tests.
#pragma once

#include <cstdint>

#include "arrears/rational.hpp"
#include "arrears/rounding.hpp"
#include "arrears/schedule.hpp"

namespace arrears::plans_detail {

struct BatchRowWriter {
    std::int64_t* amount;
    std::int64_t* principal;
    std::int64_t* interest;
};

// One schedule of the batch into the column slices (same rules as installment_schedule);
// nullptr, or the reason the terms leave nothing for the last installment.
const char* batch_amortize(std::int64_t principal, int n, const Rational& r, double rd,
                           RoundingMode mode, BatchRowWriter w);
// Day number of the k-th due date from an anchor day number.
std::int64_t batch_due_day(Frequency f, std::int64_t anchor, std::int64_t k);
void batch_due_days(Frequency f, std::int64_t anchor, int n, std::int64_t* out);
// The level payment through the exact big-integer path only (tests compare it with the fast one).
std::int64_t level_payment_exact(std::int64_t principal_minor, const Rational& r, int n,
                                 RoundingMode mode);

}  // namespace arrears::plans_detail
