// Rounding: the one place where arrears turns an exact quotient into an integer number of minor
// units. Every rounding in the library goes through round_div with a named mode.
#pragma once

#include <cstdint>
#include <string_view>

namespace arrears {

// 128-bit integers for exact intermediate products (GCC/Clang extension).
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

// Modes follow Python's decimal module (ROUND_HALF_EVEN, ROUND_HALF_UP, ...):
//   half_even  ties to the even neighbour (banker's rounding)
//   half_up    ties away from zero
//   half_down  ties toward zero
//   down       toward zero (truncate)
//   up         away from zero
//   floor      toward negative infinity
//   ceiling    toward positive infinity
enum class RoundingMode : std::uint8_t { half_even, half_up, half_down, down, up, floor, ceiling };

// num / den rounded with `mode`. den must not be zero. Throws OverflowError when the result does
// not fit in int64.
std::int64_t round_div(i128 num, i128 den, RoundingMode mode);

// "half_even" -> RoundingMode::half_even; throws ValidationError naming `field` and the value.
RoundingMode parse_rounding_mode(std::string_view name, std::string_view field = "rounding");
std::string_view to_string(RoundingMode mode) noexcept;

}  // namespace arrears
