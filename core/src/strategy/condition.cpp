#include "strategy/condition.hpp"

#include <algorithm>
#include <array>

#include "arrears/error.hpp"

namespace arrears {

namespace {

using Op = Condition::Op;

constexpr std::array<std::pair<std::string_view, Op>, 10> kCompare{{
    {"==", Op::eq}, {"!=", Op::ne}, {"<", Op::lt}, {"<=", Op::le}, {">", Op::gt}, {">=", Op::ge},
    {"in", Op::in}, {"not_in", Op::not_in}, {"between", Op::between}, {"is_null", Op::is_null},
}};

std::string_view op_name(Op op) {
    for (const auto& [name, o] : kCompare)
        if (o == op) return name;
    switch (op) {
        case Op::all: return "all";
        case Op::any: return "any";
        case Op::not_: return "not";
        default: return "?";
    }
}

}  // namespace

std::shared_ptr<const Condition> Condition::parse(const JsonView& j) {
    j.require_object();
    auto c = std::make_shared<Condition>();
    c->path = j.path();
    for (auto [key, op] : {std::pair{"all", Op::all}, std::pair{"any", Op::any}}) {
        if (j.has(key)) {
            j.check_keys({key});
            c->op = op;
            const JsonView list = j.at(key);
            if (list.size() == 0) list.fail("needs at least one condition");
            for (std::size_t i = 0; i < list.size(); ++i) c->children.push_back(parse(list.at(i)));
            return c;
        }
    }
    if (j.has("not")) {
        j.check_keys({"not"});
        c->op = Op::not_;
        c->children.push_back(parse(j.at("not")));
        return c;
    }
    j.check_keys({"column", "==", "!=", "<", "<=", ">", ">=", "in", "not_in", "between", "is_null"});
    c->column = j.at("column").as_string();
    int ops = 0;
    for (const auto& [name, op] : kCompare) {
        if (!j.json().contains(name)) continue;
        ++ops;
        c->op = op;
        c->literal = j.json().at(name);
        const JsonView v(c->literal, j.path() + "." + std::string(name));
        switch (op) {
            case Op::in:
            case Op::not_in:
                v.require_array();
                if (v.size() == 0) v.fail("needs at least one value");
                break;
            case Op::between:
                if (!v.is_array() || v.size() != 2) v.fail("expected [low, high]");
                break;
            case Op::is_null:
                v.as_bool();
                break;
            default:
                if (v.is_array() || v.is_object() || v.is_null())
                    v.fail("expected a number, string or boolean");
        }
    }
    if (ops != 1)
        j.fail("expected exactly one operator (==, !=, <, <=, >, >=, in, not_in, between, is_null)");
    return c;
}

Json Condition::to_json() const {
    switch (op) {
        case Op::all:
        case Op::any: {
            Json list = Json::array();
            for (const auto& ch : children) list.push_back(ch->to_json());
            return Json{{std::string(op_name(op)), list}};
        }
        case Op::not_: return Json{{"not", children[0]->to_json()}};
        default: return Json{{"column", column}, {std::string(op_name(op)), literal}};
    }
}

// ------------------------------------------------------------------------------------------
// RowValue

RowValue RowValue::bind(const std::string& name, const BindContext& ctx, const std::string& path) {
    RowValue v;
    v.portfolio_ = &ctx.portfolio;
    v.as_of_ = ctx.as_of_days;
    v.buckets_ = &ctx.buckets;
    if (name == "dpd") {
        v.source_ = Source::dpd;
        v.kind_ = Kind::number;
        return v;
    }
    if (name == "bucket") {
        v.source_ = Source::bucket;
        v.kind_ = Kind::category;
        v.categories_ = std::make_shared<const std::vector<std::string>>(ctx.buckets.labels());
        return v;
    }
    if (name == "balance_cents") {
        v.source_ = Source::balance;
        return v;
    }
    if (name == "oldest_unpaid_due") {
        v.source_ = Source::due;
        v.kind_ = Kind::date;
        v.dates_ = &ctx.portfolio.oldest_unpaid_due();
        return v;
    }
    if (name == "account_id") {
        v.source_ = Source::account_id;
        v.kind_ = Kind::text;
        return v;
    }
    if (name.rfind("days_since_", 0) == 0) {
        const std::string rest = name.substr(11);
        std::vector<std::string> candidates{rest, rest + "_date"};
        if (rest == "first_delinquency") candidates.push_back("date_of_first_delinquency");
        for (const auto& c : candidates) {
            if (c == "oldest_unpaid_due") {
                v.dates_ = &ctx.portfolio.oldest_unpaid_due();
            } else if (ctx.portfolio.has_column(c) &&
                       ctx.portfolio.column(c).kind == PortfolioColumn::Kind::date) {
                v.dates_ = &ctx.portfolio.column(c).date;
            }
            if (v.dates_) {
                v.source_ = Source::days_since;
                v.kind_ = Kind::number;
                return v;
            }
        }
        throw ValidationError(path + ": " + quote(name) + " needs a date column named " +
                              quote(candidates[0]) + " or " + quote(candidates[1]) +
                              " in the portfolio");
    }
    if (!ctx.portfolio.has_column(name))
        throw ValidationError(path + ": no column " + quote(name) +
                              " in the portfolio (nor a derived value: dpd, bucket, days_since_*)");
    v.source_ = Source::column;
    v.column_ = &ctx.portfolio.column(name);
    switch (v.column_->kind) {
        case PortfolioColumn::Kind::integer:
        case PortfolioColumn::Kind::real: v.kind_ = Kind::number; break;
        case PortfolioColumn::Kind::flag: v.kind_ = Kind::flag; break;
        case PortfolioColumn::Kind::date:
            v.kind_ = Kind::date;
            v.dates_ = &v.column_->date;
            break;
        case PortfolioColumn::Kind::category:
            v.kind_ = Kind::category;
            v.categories_ = v.column_->category.categories;
            break;
        case PortfolioColumn::Kind::text: v.kind_ = Kind::text; break;
    }
    return v;
}

bool RowValue::valid(std::size_t row) const noexcept {
    switch (source_) {
        case Source::dpd:
        case Source::bucket:
        case Source::balance:
        case Source::account_id: return true;
        case Source::due:
        case Source::days_since: return dates_->is_valid(row);
        case Source::column: return column_->is_valid(row);
    }
    return false;
}

double RowValue::number(std::size_t row) const noexcept {
    switch (source_) {
        case Source::dpd: return portfolio_->dpd(row, as_of_);
        case Source::balance: return static_cast<double>(portfolio_->balance_cents().values[row]);
        case Source::due: return dates_->values[row];
        case Source::days_since: return static_cast<double>(as_of_ - dates_->values[row]);
        case Source::column:
            switch (column_->kind) {
                case PortfolioColumn::Kind::integer: return static_cast<double>(column_->integer.values[row]);
                case PortfolioColumn::Kind::real: return column_->real.values[row];
                case PortfolioColumn::Kind::flag: return column_->flag.values[row];
                case PortfolioColumn::Kind::date: return column_->date.values[row];
                default: return 0;
            }
        default: return 0;
    }
}

void RowValue::fill(std::size_t begin, std::size_t end, double* out, std::uint8_t* ok) const noexcept {
    const std::size_t n = end - begin;
    auto from_dates = [&](const ColumnData<std::int32_t>& d, bool since) {
        const std::int32_t* v = d.values.data() + begin;
        for (std::size_t k = 0; k < n; ++k) out[k] = since ? static_cast<double>(as_of_ - v[k]) : v[k];
        if (d.valid.empty()) std::fill(ok, ok + n, std::uint8_t{1});
        else std::copy(d.valid.begin() + static_cast<std::ptrdiff_t>(begin), d.valid.begin() + static_cast<std::ptrdiff_t>(end), ok);
    };
    switch (source_) {
        case Source::dpd: {
            const auto& due = portfolio_->oldest_unpaid_due();
            const std::int32_t* v = due.values.data() + begin;
            for (std::size_t k = 0; k < n; ++k) {
                const std::int32_t d = as_of_ - v[k];
                out[k] = d > 0 ? d : 0;
            }
            if (due.has_nulls())
                for (std::size_t k = 0; k < n; ++k)
                    if (!due.valid[begin + k]) out[k] = 0;
            std::fill(ok, ok + n, std::uint8_t{1});
            return;
        }
        case Source::balance: {
            const std::int64_t* v = portfolio_->balance_cents().values.data() + begin;
            for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<double>(v[k]);
            std::fill(ok, ok + n, std::uint8_t{1});
            return;
        }
        case Source::due: from_dates(*dates_, false); return;
        case Source::days_since: from_dates(*dates_, true); return;
        case Source::column:
            switch (column_->kind) {
                case PortfolioColumn::Kind::integer: {
                    const std::int64_t* v = column_->integer.values.data() + begin;
                    for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<double>(v[k]);
                    break;
                }
                case PortfolioColumn::Kind::real: {
                    const double* v = column_->real.values.data() + begin;
                    std::copy(v, v + n, out);
                    break;
                }
                case PortfolioColumn::Kind::flag: {
                    const std::uint8_t* v = column_->flag.values.data() + begin;
                    for (std::size_t k = 0; k < n; ++k) out[k] = v[k];
                    break;
                }
                case PortfolioColumn::Kind::date: from_dates(column_->date, false); return;
                default: std::fill(out, out + n, 0.0);
            }
            for (std::size_t k = 0; k < n; ++k) ok[k] = column_->is_valid(begin + k) ? 1 : 0;
            return;
        default:
            for (std::size_t k = 0; k < n; ++k) {
                out[k] = number(begin + k);
                ok[k] = valid(begin + k) ? 1 : 0;
            }
    }
}

std::int32_t RowValue::code(std::size_t row) const noexcept {
    if (source_ == Source::bucket) return buckets_->index_of(portfolio_->dpd(row, as_of_));
    return column_->category.codes[row];
}

std::string_view RowValue::text(std::size_t row) const noexcept {
    if (source_ == Source::account_id) return portfolio_->account_id(row);
    return column_->text->at(row);
}

// ------------------------------------------------------------------------------------------
// Bound conditions

namespace {

class Combine final : public BoundCondition {
public:
    Combine(Op op, std::vector<std::unique_ptr<BoundCondition>> children)
        : op_(op), children_(std::move(children)) {}
    bool eval(std::size_t row) const noexcept override {
        if (op_ == Op::not_) return !children_[0]->eval(row);
        if (op_ == Op::all) {
            for (const auto& c : children_)
                if (!c->eval(row)) return false;
            return true;
        }
        for (const auto& c : children_)
            if (c->eval(row)) return true;
        return false;
    }

private:
    Op op_;
    std::vector<std::unique_ptr<BoundCondition>> children_;
};

class IsNull final : public BoundCondition {
public:
    IsNull(RowValue v, bool want_null) : v_(std::move(v)), want_null_(want_null) {}
    bool eval(std::size_t row) const noexcept override { return v_.valid(row) != want_null_; }

private:
    RowValue v_;
    bool want_null_;
};

class NumberCompare final : public BoundCondition {
public:
    NumberCompare(RowValue v, Op op, std::vector<double> operands)
        : v_(std::move(v)), op_(op), x_(std::move(operands)) {}
    bool eval(std::size_t row) const noexcept override {
        if (!v_.valid(row)) return false;  // a null satisfies no comparison
        const double a = v_.number(row);
        switch (op_) {
            case Op::eq: return a == x_[0];
            case Op::ne: return a != x_[0];
            case Op::lt: return a < x_[0];
            case Op::le: return a <= x_[0];
            case Op::gt: return a > x_[0];
            case Op::ge: return a >= x_[0];
            case Op::between: return a >= x_[0] && a <= x_[1];
            case Op::in: return std::find(x_.begin(), x_.end(), a) != x_.end();
            case Op::not_in: return std::find(x_.begin(), x_.end(), a) == x_.end();
            default: return false;
        }
    }

private:
    RowValue v_;
    Op op_;
    std::vector<double> x_;
};

class CategoryMember final : public BoundCondition {
public:
    CategoryMember(RowValue v, std::vector<std::uint8_t> member, bool negate)
        : v_(std::move(v)), member_(std::move(member)), negate_(negate) {}
    bool eval(std::size_t row) const noexcept override {
        const std::int32_t c = v_.code(row);
        if (c < 0) return false;
        return (member_[static_cast<std::size_t>(c)] != 0) != negate_;
    }

private:
    RowValue v_;
    std::vector<std::uint8_t> member_;
    bool negate_;
};

class TextMember final : public BoundCondition {
public:
    TextMember(RowValue v, std::vector<std::string> values, bool negate)
        : v_(std::move(v)), values_(std::move(values)), negate_(negate) {}
    bool eval(std::size_t row) const noexcept override {
        if (!v_.valid(row)) return false;
        const std::string_view t = v_.text(row);
        const bool hit = std::find(values_.begin(), values_.end(), t) != values_.end();
        return hit != negate_;
    }

private:
    RowValue v_;
    std::vector<std::string> values_;
    bool negate_;
};

std::vector<Json> operands_of(const Condition& c) {
    if (c.literal.is_array()) return {c.literal.begin(), c.literal.end()};
    return {c.literal};
}

}  // namespace

std::unique_ptr<BoundCondition> BoundCondition::bind(const Condition& c, const BindContext& ctx) {
    if (c.op == Op::all || c.op == Op::any || c.op == Op::not_) {
        std::vector<std::unique_ptr<BoundCondition>> children;
        for (const auto& ch : c.children) children.push_back(bind(*ch, ctx));
        return std::make_unique<Combine>(c.op, std::move(children));
    }
    const std::string path = c.path + ".column";
    RowValue v = RowValue::bind(c.column, ctx, path);
    const std::string op_path = c.path + "." + std::string(op_name(c.op));
    if (c.op == Op::is_null) return std::make_unique<IsNull>(std::move(v), c.literal.get<bool>());
    const auto operands = operands_of(c);
    auto fail = [&](const std::string& why) -> ValidationError {
        return ValidationError(op_path + ": " + why);
    };
    switch (v.kind()) {
        case RowValue::Kind::number:
        case RowValue::Kind::flag:
        case RowValue::Kind::date: {
            std::vector<double> xs;
            for (std::size_t i = 0; i < operands.size(); ++i) {
                const Json& o = operands[i];
                if (v.kind() == RowValue::Kind::date && o.is_string()) {
                    xs.push_back(days_since_epoch(parse_date(o.get<std::string>(), op_path)));
                } else if (v.kind() == RowValue::Kind::flag && o.is_boolean()) {
                    xs.push_back(o.get<bool>() ? 1.0 : 0.0);
                } else if (o.is_number()) {
                    xs.push_back(o.get<double>());
                } else {
                    throw fail("column " + quote(c.column) + " holds " +
                               (v.kind() == RowValue::Kind::date ? "dates (write \"YYYY-MM-DD\")"
                                                                 : "numbers") +
                               ", got " + o.dump());
                }
            }
            if (c.op == Op::between && xs[0] > xs[1]) throw fail("low is above high");
            return std::make_unique<NumberCompare>(std::move(v), c.op, std::move(xs));
        }
        case RowValue::Kind::category:
        case RowValue::Kind::text: {
            if (c.op != Op::eq && c.op != Op::ne && c.op != Op::in && c.op != Op::not_in)
                throw fail("column " + quote(c.column) + " holds text; use ==, !=, in or not_in");
            std::vector<std::string> values;
            for (const Json& o : operands) {
                if (!o.is_string()) throw fail("column " + quote(c.column) + " holds text, got " + o.dump());
                values.push_back(o.get<std::string>());
            }
            const bool negate = c.op == Op::ne || c.op == Op::not_in;
            if (v.kind() == RowValue::Kind::text)
                return std::make_unique<TextMember>(std::move(v), std::move(values), negate);
            std::vector<std::uint8_t> member(v.categories().size(), 0);
            for (std::size_t k = 0; k < member.size(); ++k)
                member[k] = std::find(values.begin(), values.end(), v.categories()[k]) != values.end();
            return std::make_unique<CategoryMember>(std::move(v), std::move(member), negate);
        }
    }
    throw fail("unsupported comparison");
}

}  // namespace arrears
