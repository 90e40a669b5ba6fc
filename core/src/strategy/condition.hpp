// Conditions of a strategy (segments, exclusions): parsed from JSON, then bound to a portfolio's
// columns for fast per-row evaluation. Private to the core.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arrears/aging.hpp"
#include "arrears/json.hpp"
#include "arrears/portfolio.hpp"

namespace arrears {

struct Condition {
    enum class Op : std::uint8_t { all, any, not_, eq, ne, lt, le, gt, ge, in, not_in, between, is_null };
    Op op = Op::all;
    std::vector<std::shared_ptr<const Condition>> children;
    std::string column;
    Json literal;  // the operand as written (number, string, bool, list)
    std::string path;

    // {"all": [...]}, {"any": [...]}, {"not": {...}} or {"column": c, "<op>": value}
    // with <op> one of == != < <= > >= in not_in between is_null.
    static std::shared_ptr<const Condition> parse(const JsonView& j);
    Json to_json() const;
};

// Everything a bound value may need besides the portfolio.
struct BindContext {
    const Portfolio& portfolio;
    std::int32_t as_of_days;
    const Buckets& buckets;
};

// A column or derived value read per row.
class RowValue {
public:
    enum class Kind : std::uint8_t { number, category, text, flag, date };
    // Resolves `name` (a portfolio column, or derived: dpd, bucket, days_since_<date column>,
    // days_since_last_payment / _last_contact / _charge_off / _first_delinquency);
    // ValidationError naming `path` when unknown.
    static RowValue bind(const std::string& name, const BindContext& ctx, const std::string& path);

    Kind kind() const noexcept { return kind_; }
    bool valid(std::size_t row) const noexcept;
    double number(std::size_t row) const noexcept;        // number, flag, date (days)
    std::int32_t code(std::size_t row) const noexcept;    // category
    std::string_view text(std::size_t row) const noexcept;
    // number() and valid() for rows [begin, end) in one tight loop per source kind.
    void fill(std::size_t begin, std::size_t end, double* values, std::uint8_t* valid) const noexcept;
    const std::vector<std::string>& categories() const noexcept { return *categories_; }

private:
    enum class Source : std::uint8_t { dpd, bucket, days_since, column, balance, due, account_id };
    Kind kind_ = Kind::number;
    Source source_ = Source::column;
    const Portfolio* portfolio_ = nullptr;
    const PortfolioColumn* column_ = nullptr;
    const ColumnData<std::int32_t>* dates_ = nullptr;
    const Buckets* buckets_ = nullptr;
    std::shared_ptr<const std::vector<std::string>> categories_;
    std::int32_t as_of_ = 0;
};

class BoundCondition {
public:
    virtual ~BoundCondition() = default;
    virtual bool eval(std::size_t row) const noexcept = 0;
    static std::unique_ptr<BoundCondition> bind(const Condition& c, const BindContext& ctx);
};

}  // namespace arrears
