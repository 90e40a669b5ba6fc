#include "arrears/json.hpp"

#include <cmath>

#include "arrears/error.hpp"

namespace arrears {

bool JsonView::has(std::string_view key) const {
    return j_->is_object() && j_->contains(key) && !(*j_)[std::string(key)].is_null();
}

void JsonView::fail(const std::string& message) const {
    throw ValidationError(path_ + ": " + message);
}

std::string JsonView::describe() const {
    std::string text = j_->dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return text;
}

void JsonView::require_object() const {
    if (!j_->is_object()) fail("expected an object, got " + describe());
}

void JsonView::require_array() const {
    if (!j_->is_array()) fail("expected an array, got " + describe());
}

JsonView JsonView::at(std::string_view key) const {
    require_object();
    auto it = j_->find(key);
    if (it == j_->end()) JsonView(*j_, path_ + "." + std::string(key)).fail("required field missing");
    return JsonView(*it, path_ + "." + std::string(key));
}

std::optional<JsonView> JsonView::find(std::string_view key) const {
    require_object();
    auto it = j_->find(key);
    if (it == j_->end() || it->is_null()) return std::nullopt;
    return JsonView(*it, path_ + "." + std::string(key));
}

JsonView JsonView::at(std::size_t index) const {
    require_array();
    if (index >= j_->size()) fail("index " + std::to_string(index) + " out of range");
    return JsonView((*j_)[index], path_ + "[" + std::to_string(index) + "]");
}

std::size_t JsonView::size() const {
    require_array();
    return j_->size();
}

std::string JsonView::as_string() const {
    if (!j_->is_string()) fail("expected a string, got " + describe());
    return j_->get<std::string>();
}

std::int64_t JsonView::as_int() const {
    if (j_->is_number_integer()) return j_->get<std::int64_t>();
    if (j_->is_number_unsigned()) {
        const auto u = j_->get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
    }
    fail("expected an integer, got " + describe());
}

double JsonView::as_double() const {
    if (!j_->is_number()) fail("expected a number, got " + describe());
    const double v = j_->get<double>();
    if (!std::isfinite(v)) fail("expected a finite number");
    return v;
}

bool JsonView::as_bool() const {
    if (!j_->is_boolean()) fail("expected true or false, got " + describe());
    return j_->get<bool>();
}

Rational JsonView::as_decimal() const {
    if (j_->is_number_integer() || j_->is_number_unsigned()) return Rational::of(as_int(), 1);
    if (!j_->is_string())
        fail("expected a decimal string such as \"0.12\", got " + describe() +
             " (write decimals as strings so no binary rounding happens)");
    try {
        return Rational::parse(j_->get<std::string>(), path_);
    } catch (const ValidationError&) {
        fail("expected a decimal string such as \"0.12\", got " + describe());
    }
}

Date JsonView::as_date() const {
    if (!j_->is_string()) fail("expected an ISO date string, got " + describe());
    return parse_date(j_->get<std::string>(), path_);
}

Money JsonView::as_money(Currency default_currency) const {
    if (j_->is_string()) return Money::parse(j_->get<std::string>(), default_currency, path_);
    require_object();
    check_keys({"amount", "currency"});
    const Currency c = has("currency") ? Currency::of(at("currency").as_string(), path_ + ".currency")
                                       : default_currency;
    return Money::parse(at("amount").as_string(), c, path_ + ".amount");
}

void JsonView::check_keys(std::initializer_list<std::string_view> allowed) const {
    require_object();
    for (auto it = j_->begin(); it != j_->end(); ++it) {
        bool ok = false;
        for (auto a : allowed) ok = ok || a == it.key();
        if (!ok) {
            std::string expected;
            for (auto a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
            JsonView(it.value(), path_ + "." + it.key())
                .fail("unknown field (expected one of: " + expected + ")");
        }
    }
}

Json parse_json(std::string_view text, std::string_view what) {
    try {
        return Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& e) {
        throw ValidationError(std::string(what) + ": invalid JSON at byte " +
                              std::to_string(e.byte) + ": " + e.what());
    } catch (const Json::out_of_range& e) {  // a number no double holds: 1e400
        throw ValidationError(std::string(what) + ": invalid JSON: " + e.what());
    }
}

}  // namespace arrears
