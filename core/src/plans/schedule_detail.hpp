// Entry points schedule.cpp shares with the batch builder (schedule_batch.cpp) and the tests.
#pragma once

#include <cstdint>

#include "arrears/rational.hpp"
#include "arrears/rounding.hpp"
#include "arrears/schedule.hpp"

namespace arrears::plans_detail {

// PMT / P as a double (the estimate level_payment rounds unless it is near a boundary).
double level_payment_factor(const Rational& r, int n);
std::int64_t level_payment_with_factor(std::int64_t principal_minor, const Rational& r, int n,
                                       RoundingMode mode, double factor);
// Day number of the k-th due date from an anchor day number.
std::int64_t batch_due_day(Frequency f, std::int64_t anchor, std::int64_t k);
void batch_due_days(Frequency f, std::int64_t anchor, int n, std::int32_t* out);
// The level payment through the exact big-integer path only (tests compare it with the fast one).
std::int64_t level_payment_exact(std::int64_t principal_minor, const Rational& r, int n,
                                 RoundingMode mode);

}  // namespace arrears::plans_detail
