#include "arrears/fee_rules.hpp"

#include <nlohmann/json.hpp>

#include "arrears/error.hpp"
#include "arrears/json.hpp"

namespace arrears {

void LateFeeRule::validate(Currency currency, std::string_view field) const {
    const std::string f(field);
    fixed.require_same_currency(Money(0, currency), f + ".fixed");
    if (fixed.is_negative())
        throw ValidationError(f + ".fixed: " + fixed.amount_string() + " is negative");
    if (percent.is_negative())
        throw ValidationError(f + ".percent: " + percent.to_string() + " is negative");
    if (percent > Rational::of(1, 1))
        throw ValidationError(f + ".percent: " + percent.to_string() +
                              " is more than 1 (100% of the past-due amount)");
    if (maximum) {
        maximum->require_same_currency(Money(0, currency), f + ".maximum");
        if (maximum->is_negative())
            throw ValidationError(f + ".maximum: " + maximum->amount_string() + " is negative");
    }
    if (grace_days < 0 || grace_days > 366)
        throw ValidationError(f + ".grace_days: " + std::to_string(grace_days) +
                              " is outside 0..366");
    if (fixed.is_zero() && percent.is_zero())
        throw ValidationError(f + ": a late fee rule needs a fixed amount or a percent");
}

Money LateFeeRule::amount_for(const Money& past_due) const {
    Money fee = past_due.multiply(percent, RoundingMode::half_up);
    if (fee < fixed) fee = fixed;
    if (maximum && *maximum < fee) fee = *maximum;
    if (past_due < fee) fee = past_due;
    return fee;
}

void FeeRules::validate(Currency currency, std::string_view field) const {
    const std::string f(field);
    if (late) late->validate(currency, f + ".late");
    if (nsf) {
        nsf->require_same_currency(Money(0, currency), f + ".nsf");
        if (!nsf->is_positive())
            throw ValidationError(f + ".nsf: " + nsf->amount_string() + " is not positive");
    }
}

std::string LateFeeRule::repr() const {
    std::string out = "LateFeeRule(fixed='" + fixed.amount_string() + "', percent='" +
                      percent.to_string() + "'";
    if (maximum) out += ", maximum='" + maximum->amount_string() + "'";
    return out + ", grace_days=" + std::to_string(grace_days) + ")";
}

std::string FeeRules::repr() const {
    std::string out = "FeeRules(";
    if (late) out += "late=" + late->repr();
    if (nsf) out += std::string(late ? ", " : "") + "nsf='" + nsf->amount_string() + "'";
    return out + ")";
}

void to_json(nlohmann::json& j, const LateFeeRule& r) {
    j = nlohmann::json{{"fixed", r.fixed},
                       {"percent", r.percent.to_string()},
                       {"maximum", nullptr},
                       {"grace_days", r.grace_days}};
    if (r.maximum) j["maximum"] = *r.maximum;
}

void to_json(nlohmann::json& j, const FeeRules& f) {
    j = nlohmann::json{{"late", nullptr}, {"nsf", nullptr}};
    if (f.late) j["late"] = *f.late;
    if (f.nsf) j["nsf"] = *f.nsf;
}

LateFeeRule parse_late_fee_rule(const nlohmann::json& j, Currency currency, const std::string& path) {
    const JsonView late(j, path);
    late.require_object();
    late.check_keys({"fixed", "percent", "maximum", "grace_days"});
    LateFeeRule r;
    r.fixed = Money(0, currency);
    if (auto x = late.find("fixed")) r.fixed = x->as_money(currency);
    if (auto x = late.find("percent")) r.percent = x->as_decimal();
    if (auto x = late.find("maximum")) r.maximum = x->as_money(currency);
    if (auto x = late.find("grace_days")) {
        const auto g = x->as_int();
        if (g < 0 || g > 366) x->fail(std::to_string(g) + " is outside 0..366");
        r.grace_days = static_cast<int>(g);
    }
    r.validate(currency, path);
    return r;
}

FeeRules parse_fee_rules(const nlohmann::json& j, Currency currency, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"late", "nsf"});
    FeeRules f;
    if (auto late = v.find("late")) f.late = parse_late_fee_rule(late->json(), currency, late->path());
    if (auto x = v.find("nsf")) f.nsf = x->as_money(currency);
    f.validate(currency, path);
    return f;
}

}  // namespace arrears
