#include "arrears/allocation.hpp"

#include <nlohmann/json.hpp>

#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "arrears/rounding.hpp"
#include "enum_names.hpp"

namespace arrears {

namespace {
constexpr std::array<std::string_view, 4> kComponentNames{"principal", "interest", "fees", "costs"};
constexpr std::array<std::string_view, 2> kSplitNames{"pro_rata", "sequential"};
}  // namespace

std::string_view to_string(Component c) noexcept { return detail::enum_name(kComponentNames, c); }

Component parse_component(std::string_view name, std::string_view field) {
    return detail::parse_enum<Component>(kComponentNames, name, field, "component");
}

Waterfall::Waterfall(std::span<const Component> order, std::string_view field) {
    if (order.size() != kComponentCount)
        throw ValidationError(std::string(field) + ": a waterfall names all four components " +
                              "(principal, interest, fees, costs) once each, got " +
                              std::to_string(order.size()));
    std::array<bool, kComponentCount> seen{};
    for (std::size_t i = 0; i < kComponentCount; ++i) {
        const auto k = static_cast<std::size_t>(order[i]);
        if (k >= kComponentCount)
            throw ValidationError(std::string(field) + ": invalid component");
        if (seen[k])
            throw ValidationError(std::string(field) + ": " + quote(arrears::to_string(order[i])) +
                                  " appears twice");
        seen[k] = true;
        order_[i] = order[i];
    }
}

Waterfall Waterfall::parse(std::span<const std::string> names, std::string_view field) {
    std::vector<Component> order;
    order.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        order.push_back(
            parse_component(names[i], std::string(field) + "[" + std::to_string(i) + "]"));
    return Waterfall(order, field);
}

std::string Waterfall::to_string() const {
    std::string out;
    for (std::size_t i = 0; i < kComponentCount; ++i) {
        if (i > 0) out += " > ";
        out += arrears::to_string(order_[i]);
    }
    return out;
}

std::string AllocationPolicy::repr() const {
    return "AllocationPolicy(payment='" + payment.to_string() + "', write_off='" +
           write_off.to_string() + "', settlement_discount='" + settlement_discount.to_string() +
           "')";
}

void to_json(nlohmann::json& j, const Waterfall& w) {
    j = nlohmann::json::array();
    for (Component c : w.order()) j.push_back(std::string(to_string(c)));
}

namespace {
Waterfall waterfall_from(const JsonView& v) {
    v.require_array();
    std::vector<std::string> names;
    for (std::size_t i = 0; i < v.size(); ++i) names.push_back(v.at(i).as_string());
    return Waterfall::parse(names, v.path());
}
}  // namespace

void from_json(const nlohmann::json& j, Waterfall& w) { w = waterfall_from(JsonView(j, "$")); }

void to_json(nlohmann::json& j, const AllocationPolicy& p) {
    j = nlohmann::json{{"payment", p.payment},
                       {"write_off", p.write_off},
                       {"settlement_discount", p.settlement_discount}};
}

AllocationPolicy parse_allocation_policy(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"payment", "write_off", "settlement_discount"});
    AllocationPolicy p;
    if (auto x = v.find("payment")) p.payment = waterfall_from(*x);
    if (auto x = v.find("write_off")) p.write_off = waterfall_from(*x);
    if (auto x = v.find("settlement_discount")) p.settlement_discount = waterfall_from(*x);
    return p;
}

void from_json(const nlohmann::json& j, AllocationPolicy& p) { p = parse_allocation_policy(j); }

std::string_view to_string(SplitMethod m) noexcept { return detail::enum_name(kSplitNames, m); }

SplitMethod parse_split_method(std::string_view name, std::string_view field) {
    return detail::parse_enum<SplitMethod>(kSplitNames, name, field, "split method");
}

std::vector<std::int64_t> split_across_accounts(std::int64_t amount,
                                                std::span<const std::int64_t> balances,
                                                SplitMethod method) {
    if (amount <= 0)
        throw ValidationError("amount: a payment must be positive, got " + std::to_string(amount) +
                              " minor units");
    if (balances.empty()) throw ValidationError("accounts: no accounts to split the payment across");
    const std::size_t n = balances.size();
    std::vector<std::int64_t> parts(n, 0);
    std::vector<std::int64_t> owed(n);
    i128 total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        owed[i] = balances[i] > 0 ? balances[i] : 0;
        total += owed[i];
    }
    if (method == SplitMethod::sequential) {
        std::int64_t left = amount;
        for (std::size_t i = 0; i < n && left > 0; ++i) {
            const std::int64_t take = left < owed[i] ? left : owed[i];
            parts[i] = take;
            left -= take;
        }
        parts[n - 1] += left;
        return parts;
    }
    if (total == 0)
        throw ValidationError("accounts: nothing is owed on any of the " + std::to_string(n) +
                              " accounts, so there is no proportion for a pro-rata split");
    // Proportional shares of `share` by the owed weights, floor + leftover first-come.
    auto proportional = [&](i128 share) {
        std::vector<std::int64_t> out(n, 0);
        i128 given = 0;
        for (std::size_t i = 0; i < n; ++i) {
            out[i] = static_cast<std::int64_t>(share * owed[i] / total);
            given += out[i];
        }
        for (std::size_t i = 0; given < share; i = (i + 1) % n) {
            if (owed[i] == 0) continue;
            out[i] += 1;
            given += 1;
        }
        return out;
    };
    if (static_cast<i128>(amount) <= total) return proportional(amount);
    std::vector<std::int64_t> excess = proportional(static_cast<i128>(amount) - total);
    for (std::size_t i = 0; i < n; ++i) parts[i] = owed[i] + excess[i];
    return parts;
}

}  // namespace arrears
