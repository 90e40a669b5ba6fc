// Payment allocation: the waterfall that decides which balance component a credit pays first,
// the per-transaction-type policy (Apache Fineract's "payment allocation rule": an ordered list
// per transaction type), and the split of one debtor's payment across several accounts.
//
// apply_credit() is THE allocation rule: the object API (Ledger) and the columnar batch path
// (payment_batch.hpp) both call it, so they cannot drift apart.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arrears {

// The parts a balance is made of. Unapplied credit (an overpayment) is kept apart from these.
enum class Component : std::uint8_t { principal, interest, fees, costs };
inline constexpr std::size_t kComponentCount = 4;
inline constexpr std::array<Component, kComponentCount> kAllComponents{
    Component::principal, Component::interest, Component::fees, Component::costs};

std::string_view to_string(Component c) noexcept;
// "principal", "interest", "fees", "costs"; anything else is a ValidationError naming `field`.
Component parse_component(std::string_view name, std::string_view field = "component");

// An ordering of all four components: a credit pays order[0] first, then order[1], ...
class Waterfall {
public:
    // The default: fees, costs, interest, principal.
    Waterfall() noexcept = default;
    // Must name each of the four components exactly once; otherwise ValidationError naming
    // `field` ("allocation.payment: 'principal' appears twice").
    explicit Waterfall(std::span<const Component> order, std::string_view field = "order");
    static Waterfall parse(std::span<const std::string> names, std::string_view field = "order");

    const std::array<Component, kComponentCount>& order() const noexcept { return order_; }
    // "fees > costs > interest > principal"
    std::string to_string() const;

    friend bool operator==(const Waterfall&, const Waterfall&) = default;

private:
    std::array<Component, kComponentCount> order_{Component::fees, Component::costs,
                                                  Component::interest, Component::principal};
};

// The amounts one credit took from each component (indexed by Component) and the part left over
// as unapplied credit. applied + unapplied == the credit, always.
struct CreditSplit {
    std::array<std::int64_t, kComponentCount> applied{};
    std::int64_t unapplied = 0;
};

// Applies a credit of `amount` minor units (> 0) to `balances` (4 non-negative amounts indexed by
// Component) in waterfall order: each component takes min(what is left, its balance); what is
// left after the last component is unapplied credit. `balances` is reduced in place.
// Never fails for valid input (amount > 0, balances >= 0): no rounding, no overflow possible.
inline CreditSplit apply_credit(std::int64_t* balances, std::int64_t amount,
                                const Waterfall& waterfall) noexcept {
    CreditSplit split;
    std::int64_t left = amount;
    for (Component c : waterfall.order()) {
        const auto i = static_cast<std::size_t>(c);
        const std::int64_t take = left < balances[i] ? left : balances[i];
        balances[i] -= take;
        split.applied[i] = take;
        left -= take;
        if (left == 0) break;
    }
    split.unapplied = left;
    return split;
}

// The waterfall per credit type. Interest, fees and charges are debits and need none; a negative
// adjustment credits the one component it names.
struct AllocationPolicy {
    Waterfall payment;
    Waterfall write_off;
    Waterfall settlement_discount;

    std::string repr() const;
    friend bool operator==(const AllocationPolicy&, const AllocationPolicy&) = default;
};

// JSON: a waterfall is ["fees", "costs", "interest", "principal"]; a policy is
// {"payment": [...], "write_off": [...], "settlement_discount": [...]} (missing keys keep the
// default, unknown keys are rejected with their JSON path).
void to_json(nlohmann::json& j, const Waterfall& w);
void from_json(const nlohmann::json& j, Waterfall& w);
void to_json(nlohmann::json& j, const AllocationPolicy& p);
void from_json(const nlohmann::json& j, AllocationPolicy& p);
AllocationPolicy parse_allocation_policy(const nlohmann::json& j, const std::string& path = "$");

// How one payment from a debtor is split across that debtor's accounts.
enum class SplitMethod : std::uint8_t {
    pro_rata,    // in proportion to each account's balance (leftover cents first-come)
    sequential,  // fill the accounts in the order given; any excess goes to the last one
};
std::string_view to_string(SplitMethod m) noexcept;
SplitMethod parse_split_method(std::string_view name, std::string_view field = "method");

// Splits `amount` (> 0 minor units) across accounts whose balances (total owed, minor units) are
// `balances`; negative balances count as zero. The parts always sum to `amount`.
// pro_rata: if amount <= total owed, part i = amount * b_i / total (floor, leftover cents one
// each to the first accounts with a balance), so no account is paid more than it owes; an amount
// above the total pays every balance and splits the excess by the same weights. Throws
// ValidationError when nothing is owed on any account (there is no proportion to use).
// sequential: account i gets min(left, b_i) in order; the excess goes to the last account.
std::vector<std::int64_t> split_across_accounts(std::int64_t amount,
                                                std::span<const std::int64_t> balances,
                                                SplitMethod method);

}  // namespace arrears
