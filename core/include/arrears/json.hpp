// JSON in the core: nlohmann/json plus JsonView, a reader for configuration documents whose
// errors name the JSON path ("$.factors[2].weight: expected a number, got \"high\"").
// Dates are ISO strings; money is {"amount": "12.34", "currency": "USD"}.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "arrears/date.hpp"
#include "arrears/error.hpp"
#include "arrears/money.hpp"
#include "arrears/rational.hpp"

namespace arrears {

using Json = nlohmann::json;

class JsonView {
public:
    explicit JsonView(const Json& j, std::string path = "$") : j_(&j), path_(std::move(path)) {}

    const Json& json() const noexcept { return *j_; }
    const std::string& path() const noexcept { return path_; }

    bool is_null() const noexcept { return j_->is_null(); }
    bool is_object() const noexcept { return j_->is_object(); }
    bool is_array() const noexcept { return j_->is_array(); }
    bool has(std::string_view key) const;
    // Required member of an object; missing -> ValidationError "$.a.b: required field missing".
    JsonView at(std::string_view key) const;
    // Optional member; absent or null -> nullopt.
    std::optional<JsonView> find(std::string_view key) const;
    // Array element.
    JsonView at(std::size_t index) const;
    std::size_t size() const;  // array length (throws unless an array)

    std::string as_string() const;
    std::int64_t as_int() const;     // an integer JSON number
    double as_double() const;        // any JSON number (scores and weights; never money)
    bool as_bool() const;
    Rational as_decimal() const;     // "0.1299" (string) or an integer; floats are refused
    Date as_date() const;            // "2026-02-28"
    Money as_money(Currency default_currency = {}) const;  // {"amount","currency"} or "12.34"

    // Rejects members other than `allowed` (typos in config must not pass silently).
    void check_keys(std::initializer_list<std::string_view> allowed) const;
    void require_object() const;
    void require_array() const;
    [[noreturn]] void fail(const std::string& message) const;

private:
    std::string describe() const;  // short rendering of the value for messages
    const Json* j_;
    std::string path_;
};

// Parses text as JSON; syntax errors become ValidationError with the byte offset.
Json parse_json(std::string_view text, std::string_view what = "json");

}  // namespace arrears

// std::chrono::year_month_day <-> "YYYY-MM-DD".
template <>
struct nlohmann::adl_serializer<std::chrono::year_month_day> {
    static void to_json(nlohmann::json& j, const std::chrono::year_month_day& d) {
        j = arrears::to_iso(d);
    }
    static void from_json(const nlohmann::json& j, std::chrono::year_month_day& d) {
        if (!j.is_string()) throw arrears::ValidationError("date: expected an ISO date string");
        d = arrears::parse_date(j.get<std::string>());
    }
};
