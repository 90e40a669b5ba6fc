#include "arrears/interest.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "arrears/error.hpp"
#include "arrears/json.hpp"

namespace arrears {

namespace {

i128 gcd128(i128 a, i128 b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b != 0) {
        const i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

i128 mul(i128 a, i128 b) {
    i128 out = 0;
    if (__builtin_mul_overflow(a, b, &out))
        throw OverflowError("interest: the exact interest amount does not fit in 128 bits");
    return out;
}

i128 plus(i128 a, i128 b) {
    i128 out = 0;
    if (__builtin_add_overflow(a, b, &out))
        throw OverflowError("interest: the exact interest amount does not fit in 128 bits");
    return out;
}

bool before(Date a, Date b) { return to_days(a) < to_days(b); }

}  // namespace

void ExactAmount::add(const ExactAmount& other) {
    if (other.num == 0) return;
    if (num == 0) {
        *this = other;
        return;
    }
    const i128 g = gcd128(den, other.den);
    const i128 lcm = mul(den / g, other.den);
    num = plus(mul(num, lcm / den), mul(other.num, lcm / other.den));
    den = lcm;
    const i128 r = gcd128(num, den);
    if (r > 1) {
        num /= r;
        den /= r;
    }
}

void InterestTerms::validate(Currency currency, std::string_view field) const {
    const std::string f(field);
    if (annual_rate.is_negative())
        throw ValidationError(f + ".annual_rate: " + annual_rate.to_string() +
                              " is negative; rates are annual fractions such as 0.12");
    if (cap) {
        cap->require_same_currency(Money(0, currency), f + ".cap");
        if (cap->is_negative())
            throw ValidationError(f + ".cap: " + cap->amount_string() + " is negative");
    }
    if (start_on) check_date(*start_on, f + ".start_on");
    if (stop_on) check_date(*stop_on, f + ".stop_on");
    if (start_on && stop_on && before(*stop_on, *start_on))
        throw ValidationError(f + ".stop_on: " + to_iso(*stop_on) + " is before start_on " +
                              to_iso(*start_on));
    for (std::size_t i = 0; i < rate_changes.size(); ++i) {
        const std::string at = f + ".rate_changes[" + std::to_string(i) + "]";
        check_date(rate_changes[i].effective, at + ".effective");
        if (rate_changes[i].annual_rate.is_negative())
            throw ValidationError(at + ".annual_rate: " + rate_changes[i].annual_rate.to_string() +
                                  " is negative");
        if (i > 0 && !before(rate_changes[i - 1].effective, rate_changes[i].effective))
            throw ValidationError(at + ".effective: " + to_iso(rate_changes[i].effective) +
                                  " is not after the previous change " +
                                  to_iso(rate_changes[i - 1].effective));
    }
}

bool InterestTerms::accrues() const noexcept {
    if (!annual_rate.is_zero()) return true;
    return std::any_of(rate_changes.begin(), rate_changes.end(),
                       [](const RateChange& r) { return !r.annual_rate.is_zero(); });
}

Rational InterestTerms::rate_on(Date d) const noexcept {
    Rational rate = annual_rate;
    for (const auto& change : rate_changes) {
        if (before(d, change.effective)) break;
        rate = change.annual_rate;
    }
    return rate;
}

std::string InterestTerms::repr() const {
    std::string out = "InterestTerms(annual_rate='" + annual_rate.to_string() + "', day_count='" +
                      std::string(to_string(day_count)) + "'";
    if (compound) out += ", compound=True";
    if (rounding != RoundingMode::half_up)
        out += ", rounding='" + std::string(to_string(rounding)) + "'";
    if (start_on) out += ", start_on=" + to_iso(*start_on);
    if (stop_on) out += ", stop_on=" + to_iso(*stop_on);
    if (cap) out += ", cap='" + cap->amount_string() + "'";
    if (!rate_changes.empty()) {
        out += ", rate_changes=[";
        for (std::size_t i = 0; i < rate_changes.size(); ++i) {
            if (i > 0) out += ", ";
            out += "(" + to_iso(rate_changes[i].effective) + ", '" +
                   rate_changes[i].annual_rate.to_string() + "')";
        }
        out += "]";
    }
    return out + ")";
}

ExactAmount interest_between(std::int64_t base, Date start, Date end,
                             const InterestTerms& terms) {
    ExactAmount total;
    if (base <= 0 || !before(start, end)) return total;
    if (terms.start_on && before(start, *terms.start_on)) start = *terms.start_on;
    if (terms.stop_on && before(*terms.stop_on, end)) end = *terms.stop_on;
    Date cursor = start;
    while (before(cursor, end)) {
        // The piece runs to the next rate change after `cursor`, or to `end`.
        Date piece_end = end;
        for (const auto& change : terms.rate_changes)
            if (before(cursor, change.effective)) {
                if (before(change.effective, end)) piece_end = change.effective;
                break;
            }
        const Rational rate = terms.rate_on(cursor);
        if (!rate.is_zero()) {
            const Rational yf = year_fraction(cursor, piece_end, terms.day_count);
            ExactAmount piece{mul(mul(base, rate.num), yf.num), mul(rate.den, yf.den)};
            total.add(piece);
        }
        cursor = piece_end;
    }
    return total;
}

void to_json(nlohmann::json& j, const InterestTerms& t) {
    j = nlohmann::json{{"annual_rate", t.annual_rate.to_string()},
                       {"day_count", std::string(to_string(t.day_count))},
                       {"compound", t.compound},
                       {"rounding", std::string(to_string(t.rounding))},
                       {"start_on", nullptr},
                       {"stop_on", nullptr},
                       {"cap", nullptr},
                       {"rate_changes", nlohmann::json::array()}};
    if (t.start_on) j["start_on"] = to_iso(*t.start_on);
    if (t.stop_on) j["stop_on"] = to_iso(*t.stop_on);
    if (t.cap) j["cap"] = *t.cap;
    for (const auto& r : t.rate_changes)
        j["rate_changes"].push_back(
            {{"effective", to_iso(r.effective)}, {"annual_rate", r.annual_rate.to_string()}});
}

InterestTerms parse_interest_terms(const nlohmann::json& j, Currency currency,
                                   const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"annual_rate", "day_count", "compound", "rounding", "start_on", "stop_on", "cap",
                  "rate_changes"});
    InterestTerms t;
    if (auto x = v.find("annual_rate")) t.annual_rate = x->as_decimal();
    if (auto x = v.find("day_count")) t.day_count = parse_day_count(x->as_string(), x->path());
    if (auto x = v.find("compound")) t.compound = x->as_bool();
    if (auto x = v.find("rounding")) t.rounding = parse_rounding_mode(x->as_string(), x->path());
    if (auto x = v.find("start_on")) t.start_on = x->as_date();
    if (auto x = v.find("stop_on")) t.stop_on = x->as_date();
    if (auto x = v.find("cap")) t.cap = x->as_money(currency);
    if (auto x = v.find("rate_changes")) {
        x->require_array();
        for (std::size_t i = 0; i < x->size(); ++i) {
            const JsonView r = x->at(i);
            r.require_object();
            r.check_keys({"effective", "annual_rate"});
            t.rate_changes.push_back({r.at("effective").as_date(), r.at("annual_rate").as_decimal()});
        }
    }
    t.validate(currency, path);
    return t;
}

}  // namespace arrears
