// Imports: debtors, accounts, contact points (skip-trace files) and payments, from CSV or Arrow.
#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "arrears/account_state.hpp"
#include "arrears/json.hpp"
#include "arrears/store.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

// ---------------------------------------------------------------------------------------------
// ImportSource

ImportSource ImportSource::from_csv(CsvTable csv) {
    ImportSource s;
    s.name_ = csv.source;
    s.rows_ = csv.rows();
    s.columns_ = csv.header;
    s.lines_ = csv.lines;
    s.read_problems_ = csv.problems;
    s.csv_ = std::make_shared<const CsvTable>(std::move(csv));
    return s;
}

ImportSource ImportSource::from_arrow(std::shared_ptr<const ArrowImport> table, std::string name) {
    ImportSource s;
    s.name_ = std::move(name);
    s.rows_ = table->num_rows();
    s.columns_ = table->column_names();
    for (const auto& c : s.columns_) {
        const std::string fmt = table->format(c);
        ArrowColumn col;
        const bool is_int = fmt.size() == 1 && std::string_view("lLiIsScC").find(fmt[0]) != std::string_view::npos;
        if (is_int) {
            col.kind = Cell::Kind::integer;
            col.integer = table->int64(c);
        } else if (fmt == "g" || fmt == "f") {
            col.kind = Cell::Kind::real;
            col.real = table->float64(c);
        } else if (fmt == "b") {
            col.kind = Cell::Kind::boolean;
            col.flag = table->boolean(c);
        } else if (fmt == "tdD" || fmt == "tdm" || fmt.rfind("ts", 0) == 0) {
            col.kind = Cell::Kind::date;
            col.days = table->days(c);
        } else if (fmt == "n") {
            col.kind = Cell::Kind::null;
        } else {
            col.kind = Cell::Kind::text;
            col.text = table->strings(c);  // ValidationError names the column for other types
        }
        s.arrow_columns_.push_back(std::move(col));
    }
    s.arrow_ = std::move(table);
    return s;
}

std::string ImportSource::where(std::size_t row) const {
    if (csv_) return "line " + std::to_string(lines_[row]);
    return "row " + std::to_string(row + 1);
}

ImportSource::Cell ImportSource::cell(std::size_t column, std::size_t row) const {
    Cell c;
    if (csv_) {
        const std::string_view v = csv_->columns[column].at(row);
        std::size_t b = 0, e = v.size();
        while (b < e && (v[b] == ' ' || v[b] == '\t')) ++b;
        while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
        if (b == e) return c;
        c.kind = Cell::Kind::text;
        c.text = std::string(v.substr(b, e - b));
        return c;
    }
    const ArrowColumn& col = arrow_columns_[column];
    switch (col.kind) {
        case Cell::Kind::null: return c;
        case Cell::Kind::integer:
            if (!col.integer.is_valid(row)) return c;
            c.kind = Cell::Kind::integer;
            c.integer = col.integer.values[row];
            c.text = std::to_string(c.integer);
            return c;
        case Cell::Kind::real:
            if (!col.real.is_valid(row)) return c;
            c.kind = Cell::Kind::real;
            c.text = std::to_string(col.real.values[row]);
            return c;
        case Cell::Kind::boolean:
            if (!col.flag.is_valid(row)) return c;
            c.kind = Cell::Kind::boolean;
            c.integer = col.flag.values[row];
            c.text = c.integer ? "true" : "false";
            return c;
        case Cell::Kind::date:
            if (!col.days.is_valid(row)) return c;
            c.kind = Cell::Kind::date;
            c.integer = col.days.values[row];
            c.text = to_iso(date_from_epoch_days(col.days.values[row]));
            return c;
        case Cell::Kind::text: {
            if (!col.text.is_valid(row)) return c;
            const std::string_view v = col.text.at(row);
            std::size_t b = 0, e = v.size();
            while (b < e && (v[b] == ' ' || v[b] == '\t')) ++b;
            while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
            if (b == e) return c;
            c.kind = Cell::Kind::text;
            c.text = std::string(v.substr(b, e - b));
            return c;
        }
    }
    return c;
}

bool ImportSource::is_text_column(std::size_t column) const noexcept {
    return csv_ != nullptr || arrow_columns_[column].kind == Cell::Kind::text;
}

std::optional<std::string_view> ImportSource::text_view(std::size_t column, std::size_t row) const {
    std::string_view v;
    if (csv_) {
        v = csv_->columns[column].at(row);
    } else {
        const ArrowColumn& col = arrow_columns_[column];
        if (col.kind != Cell::Kind::text || !col.text.is_valid(row)) return std::nullopt;
        v = col.text.at(row);
    }
    std::size_t b = 0, e = v.size();
    while (b < e && (v[b] == ' ' || v[b] == '\t')) ++b;
    while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
    if (b == e) return std::nullopt;
    return v.substr(b, e - b);
}

std::string ImportProblem::message() const {
    std::string out = where;
    if (!column.empty()) out += ", column " + quote(column);
    return out + ": " + reason;
}

// ---------------------------------------------------------------------------------------------
// Row reading with problems collected per row.

namespace {

// Fields whose values must never be echoed in a message.
bool sensitive(std::string_view field) { return field == "ssn" || field == "date_of_birth"; }

struct Columns {
    std::map<std::string, std::size_t, std::less<>> field_to_column;  // arrears field -> source column
    const ImportSource* source = nullptr;

    Columns(const ImportSource& src, const ImportOptions& options, std::string_view kind,
            std::initializer_list<std::string_view> required) : source(&src) {
        for (std::size_t c = 0; c < src.columns().size(); ++c) {
            std::string field = src.columns()[c];
            for (const auto& [from, to] : options.mapping)
                if (from == field) field = to;
            field_to_column.emplace(field, c);
        }
        for (const auto& [from, to] : options.mapping)
            if (std::find(src.columns().begin(), src.columns().end(), from) == src.columns().end())
                throw ValidationError(std::string(kind) + " import: the mapping names column " + quote(from) +
                                      ", which " + src.name() + " does not have");
        for (std::string_view r : required) {
            if (field_to_column.count(r)) continue;
            std::string have;
            for (const auto& c : src.columns()) have += (have.empty() ? "" : ", ") + c;
            throw ValidationError(std::string(kind) + " import: " + src.name() + " has no column for " + quote(r) +
                                  " (columns: " + have + "; map yours with mapping={'your_column': '" +
                                  std::string(r) + "'})");
        }
    }
    bool has(std::string_view field) const { return field_to_column.count(field) > 0; }
    // The source column of a field, if the source has one.
    std::optional<std::size_t> column(std::string_view field) const {
        auto it = field_to_column.find(field);
        if (it == field_to_column.end()) return std::nullopt;
        return it->second;
    }
    // The columns of an amount field: <field> and <field>_cents.
    struct Amount {
        std::optional<std::size_t> units, cents;
    };
    Amount amount(std::string_view field) const { return {column(field), column(std::string(field) + "_cents")}; }
    std::string column_name(std::string_view field) const {
        auto it = field_to_column.find(field);
        return it == field_to_column.end() ? std::string(field) : source->columns()[it->second];
    }
};

class Row {
public:
    Row(const Columns& cols, std::size_t row, std::vector<ImportProblem>& problems)
        : cols_(cols), row_(row), problems_(problems), first_problem_(problems.size()) {}

    bool ok() const { return problems_.size() == first_problem_; }
    void problem(std::string_view field, std::string reason) {
        problems_.push_back({cols_.source->where(row_), field.empty() ? std::string() : cols_.column_name(field),
                             std::move(reason)});
    }
    ImportSource::Cell cell(std::string_view field) const {
        auto it = cols_.field_to_column.find(field);
        if (it == cols_.field_to_column.end()) return {};
        return cols_.source->cell(it->second, row_);
    }
    std::optional<std::string> text(std::string_view field) {
        auto c = cell(field);
        if (c.kind == ImportSource::Cell::Kind::null) return std::nullopt;
        return c.text;
    }
    std::string required_text(std::string_view field) {
        auto t = text(field);
        if (!t) {
            problem(field, "is required and empty");
            return {};
        }
        return *t;
    }
    // YYYY-MM-DD or MM/DD/YYYY text, or a date cell. The forms with `col` take the field's
    // column looked up once for all rows.
    std::optional<Date> date(std::string_view field) { return date(field, cols_.column(field)); }
    std::optional<Date> date(std::string_view field, std::optional<std::size_t> col) {
        if (!col) return std::nullopt;
        if (cols_.source->is_text_column(*col)) {
            const auto t = cols_.source->text_view(*col, row_);
            return t ? date_text(field, *t) : std::nullopt;
        }
        auto c = cols_.source->cell(*col, row_);
        if (c.kind == ImportSource::Cell::Kind::null) return std::nullopt;
        if (c.kind == ImportSource::Cell::Kind::date) return date_from_epoch_days(static_cast<std::int32_t>(c.integer));
        return date_text(field, c.text);
    }
    std::optional<Date> required_date(std::string_view field) { return required_date(field, cols_.column(field)); }
    std::optional<Date> required_date(std::string_view field, std::optional<std::size_t> col) {
        const std::size_t before = problems_.size();
        auto d = date(field, col);
        if (!d && problems_.size() == before) problem(field, "is required and empty");
        return d;
    }
    // <field> as decimal text or whole-unit integer, or <field>_cents as integer minor units.
    std::optional<Money> money(std::string_view field, Currency currency) {
        return money(field, currency, cols_.amount(field));
    }
    std::optional<Money> money(std::string_view field, Currency currency, const Columns::Amount& at) {
        if (auto cents = at.cents ? cols_.source->cell(*at.cents, row_) : ImportSource::Cell{};
            cents.kind != ImportSource::Cell::Kind::null) {
            const std::string cents_field = std::string(field) + "_cents";
            if (cents.kind == ImportSource::Cell::Kind::integer) return Money(cents.integer, currency);
            if (cents.kind == ImportSource::Cell::Kind::text) {
                try {
                    const Rational r = Rational::parse(cents.text, cents_field);
                    if (r.den == 1) return Money(r.num, currency);
                } catch (const ValidationError&) {
                }
            }
            problem(cents_field, quote(cents.text) + " is not a whole number of minor units");
            return std::nullopt;
        }
        const auto col = at.units;
        if (!col) return std::nullopt;
        if (cols_.source->is_text_column(*col)) {
            const auto t = cols_.source->text_view(*col, row_);
            return t ? amount_text(field, *t, currency) : std::nullopt;
        }
        auto c = cols_.source->cell(*col, row_);
        switch (c.kind) {
            case ImportSource::Cell::Kind::null: return std::nullopt;
            case ImportSource::Cell::Kind::integer:
                try {
                    return Money::from_units(c.integer, currency);
                } catch (const OverflowError&) {
                    problem(field, quote(c.text) + " does not fit in 64-bit minor units");
                    return std::nullopt;
                }
            case ImportSource::Cell::Kind::text: return amount_text(field, c.text, currency);
            case ImportSource::Cell::Kind::real:
                problem(field, "holds binary floats, which cannot carry cents exactly; give decimal text "
                               "or integer minor units in " + quote(std::string(field) + "_cents"));
                return std::nullopt;
            default:
                problem(field, "is not an amount");
                return std::nullopt;
        }
    }
    std::optional<std::int64_t> integer(std::string_view field, std::int64_t lo, std::int64_t hi) {
        auto c = cell(field);
        if (c.kind == ImportSource::Cell::Kind::null) return std::nullopt;
        std::int64_t v = 0;
        if (c.kind == ImportSource::Cell::Kind::integer) {
            v = c.integer;
        } else {
            try {
                const Rational r = Rational::parse(c.text, field);
                if (r.den != 1) throw ValidationError("x");
                v = r.num;
            } catch (const ValidationError&) {
                problem(field, quote(c.text) + " is not a whole number");
                return std::nullopt;
            }
        }
        if (v < lo || v > hi) {
            problem(field, std::to_string(v) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
            return std::nullopt;
        }
        return v;
    }
    template <class F>
    auto parse(std::string_view field, F&& f) -> std::optional<decltype(f(std::string_view{}))> {
        auto t = text(field);
        if (!t) return std::nullopt;
        try {
            return f(*t);
        } catch (const ValidationError& e) {
            std::string msg = e.what();
            // drop the "field: " prefix the domain parsers put first
            if (auto colon = msg.find(": "); colon != std::string::npos && colon < 40) msg = msg.substr(colon + 2);
            problem(field, sensitive(field) ? "is not valid" : msg);
            return std::nullopt;
        }
    }

private:
    // The one date parse of the imports: YYYY-MM-DD or MM/DD/YYYY.
    std::optional<Date> date_text(std::string_view field, std::string_view t) {
        try {
            if (t.size() == 10 && t[2] == '/' && t[5] == '/')
                return parse_date(std::string(t.substr(6, 4)) + "-" + std::string(t.substr(0, 2)) + "-" +
                                      std::string(t.substr(3, 2)),
                                  field);
            return parse_date(t, field);
        } catch (const ValidationError&) {
            problem(field, sensitive(field) ? "is not a valid date (YYYY-MM-DD or MM/DD/YYYY)"
                                            : quote(t) + " is not a valid date (YYYY-MM-DD or MM/DD/YYYY)");
            return std::nullopt;
        }
    }
    // The one amount parse of the imports: plain decimal text in the currency.
    std::optional<Money> amount_text(std::string_view field, std::string_view t, Currency currency) {
        try {
            return Money::parse(t, currency, field);
        } catch (const ValidationError&) {
            problem(field, quote(t) + " is not an amount in " + std::string(currency.code()) +
                               " (plain decimal like 1234.56; at most " + std::to_string(currency.exponent()) +
                               " decimals)");
            return std::nullopt;
        }
    }

    const Columns& cols_;
    std::size_t row_;
    std::vector<ImportProblem>& problems_;
    std::size_t first_problem_;
};

Currency currency_of(Row& r, const ImportOptions& o) {
    if (auto c = r.text("currency")) {
        try {
            return Currency::of(*c, "currency");
        } catch (const ValidationError&) {
            r.problem("currency", "unknown ISO 4217 currency code " + quote(*c));
        }
    }
    return Currency::of(o.currency, "options.currency");
}

// Thrown inside a write to roll an all-or-nothing import back.
struct RollBack {};

template <class Body>
ImportReport run_import(Store& store, const char* kind, const ImportSource& src, const ImportOptions& options,
                        Body&& body) {
    ImportReport report;
    report.kind = kind;
    report.source = src.name();
    report.rows = src.rows() + src.read_problems().size();
    for (const auto& p : src.read_problems()) report.problems.push_back({"line " + std::to_string(p.line), p.column, p.reason});
    try {
        store.write([&] {
            body(report);
            if (!options.keep_good && !report.problems.empty()) throw RollBack{};
            store.audit("import", kind, src.name(),
                        Json{{"rows", report.rows}, {"inserted", report.inserted}, {"updated", report.updated},
                             {"unchanged", report.unchanged}, {"rejected", report.rejected}}
                            .dump());
        });
        report.committed = true;
    } catch (const RollBack&) {
        report.committed = false;
        report.inserted = report.updated = report.unchanged = 0;
    }
    report.rejected = 0;
    {
        std::vector<std::string> rows_with_problems;
        for (const auto& p : report.problems) rows_with_problems.push_back(p.where);
        std::sort(rows_with_problems.begin(), rows_with_problems.end());
        report.rejected = static_cast<std::size_t>(
            std::unique(rows_with_problems.begin(), rows_with_problems.end()) - rows_with_problems.begin());
    }
    return report;
}

// A savepoint per row, so a row that fails half-way (a ledger conflict, a lifecycle rule)
// leaves nothing behind while the good rows stay.
// Only needed when good rows are kept: without keep_good any problem rolls the whole file back.
class Savepoint {
public:
    explicit Savepoint(sqlite3* db, bool active = true) : db_(db), active_(active) {
        if (active_) sql::exec(db_, "SAVEPOINT import_row");
    }
    ~Savepoint() {
        if (active_ && !done_)
            sqlite3_exec(db_, "ROLLBACK TO import_row; RELEASE import_row", nullptr, nullptr, nullptr);
    }
    void release() {
        if (active_) sql::exec(db_, "RELEASE import_row");
        done_ = true;
    }

private:
    sqlite3* db_;
    bool active_;
    bool done_ = false;
};

std::string strip_prefix(const std::string& msg) {
    if (auto colon = msg.find(": "); colon != std::string::npos && colon < 48) return msg.substr(colon + 2);
    return msg;
}

template <class Point>
bool same_point(const Point& a, const Point& b);
template <>
bool same_point(const Address& a, const Address& b) {
    return a.line1 == b.line1 && a.zip.substr(0, 5) == b.zip.substr(0, 5);
}
template <>
bool same_point(const Phone& a, const Phone& b) { return a.number == b.number; }
template <>
bool same_point(const Email& a, const Email& b) { return a.address == b.address; }

// Adds a contact point to a list, or refreshes the one that is the same point: later last_seen,
// higher confidence, a better status; returns true when something changed.
template <class Point>
bool merge_point(std::vector<Point>& list, Point p) {
    for (auto& q : list) {
        if (!same_point(q, p)) continue;
        const Point before = q;
        if (p.last_seen && (!q.last_seen || std::chrono::sys_days{*p.last_seen} > std::chrono::sys_days{*q.last_seen}))
            q.last_seen = p.last_seen;
        if (p.first_seen && (!q.first_seen || std::chrono::sys_days{*p.first_seen} < std::chrono::sys_days{*q.first_seen}))
            q.first_seen = p.first_seen;
        if (p.confidence > q.confidence) q.confidence = p.confidence;
        if (p.status == ContactStatus::bad || (p.status == ContactStatus::good && q.status == ContactStatus::unverified))
            q.status = p.status;
        if (p.verified_on) q.verified_on = p.verified_on;
        return !(before == q);
    }
    if (p.id.empty() || std::any_of(list.begin(), list.end(), [&](const Point& q) { return q.id == p.id; })) {
        p.normalize();  // derives the default id from the value
        std::string base = p.id;
        for (int k = 2; std::any_of(list.begin(), list.end(), [&](const Point& q) { return q.id == p.id; }); ++k)
            p.id = base + "-" + std::to_string(k);
    }
    list.push_back(std::move(p));
    return true;
}

// Contact points of one row (address, phone, email columns), with a default source.
struct RowPoints {
    std::optional<Address> address;
    std::optional<Phone> phone;
    std::optional<Email> email;
};

void fill_common(Row& r, ContactPoint& p, ContactSource default_source) {
    p.source = default_source;
    if (auto s = r.parse("source", [](std::string_view v) { return parse_contact_source(v); })) p.source = *s;
    if (auto c = r.integer("confidence", 0, 100)) p.confidence = static_cast<int>(*c);
    p.first_seen = r.date("first_seen");
    p.last_seen = r.date("last_seen");
    p.verified_on = r.date("verified_on");
    if (auto s = r.parse("status", [](std::string_view v) { return parse_contact_status(v); })) p.status = *s;
}

RowPoints read_points(Row& r, ContactSource default_source) {
    RowPoints out;
    if (auto line1 = r.text("address_line1")) {
        Address a;
        fill_common(r, a, default_source);
        a.line1 = *line1;
        a.line2 = r.text("address_line2").value_or("");
        a.city = r.text("city").value_or("");
        a.state = r.text("state").value_or("");
        a.zip = r.text("zip").value_or("");
        if (auto t = r.parse("address_type", [](std::string_view v) { return parse_contact_type(v); })) a.type = *t;
        try {
            a.normalize();
            out.address = std::move(a);
        } catch (const ValidationError& e) {
            r.problem("address_line1", "address: " + strip_prefix(e.what()));
        }
    }
    if (auto number = r.text("phone")) {
        Phone p;
        fill_common(r, p, default_source);
        p.number = *number;
        p.type = ContactType::home;
        if (auto t = r.parse("phone_type", [](std::string_view v) { return parse_contact_type(v); })) p.type = *t;
        try {
            p.normalize();
            out.phone = std::move(p);
        } catch (const ValidationError& e) {
            r.problem("phone", strip_prefix(e.what()));
        }
    }
    if (auto addr = r.text("email")) {
        Email e;
        fill_common(r, e, default_source);
        e.address = *addr;
        e.type = ContactType::home;
        if (auto t = r.parse("email_type", [](std::string_view v) { return parse_contact_type(v); })) e.type = *t;
        try {
            e.normalize();
            out.email = std::move(e);
        } catch (const ValidationError& ex) {
            r.problem("email", strip_prefix(ex.what()));
        }
    }
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

ImportReport Store::import_debtors(const ImportSource& src, const ImportOptions& options) {
    const Columns cols(src, options, "debtors", {"debtor_id", "last_name"});
    return run_import(*this, "debtors", src, options, [&](ImportReport& report) {
        sqlite3* db = impl_->handle();
        for (std::size_t i = 0; i < src.rows(); ++i) {
            Row r(cols, i, report.problems);
            const std::string id = r.required_text("debtor_id");
            const bool exists = !id.empty() && has_debtor(id);
            Debtor d;
            if (exists) d = load_debtor(id);
            const Json before = exists ? Json(d) : Json();
            d.id = id;
            d.last_name = r.required_text("last_name");
            if (auto v = r.text("first_name")) d.first_name = *v;
            if (auto v = r.text("middle_name")) d.middle_name = *v;
            if (auto v = r.text("suffix")) d.suffix = *v;
            if (auto v = r.date("date_of_birth")) d.date_of_birth = v;
            if (auto v = r.parse("ssn", [](std::string_view t) { return Ssn::parse(t); })) d.ssn = v;
            if (auto v = r.text("preferred_language")) d.preferred_language = *v;
            RowPoints pts = read_points(r, ContactSource::creditor_file);
            if (!r.ok()) continue;
            if (pts.address) merge_point(d.addresses, std::move(*pts.address));
            if (pts.phone) merge_point(d.phones, std::move(*pts.phone));
            if (pts.email) merge_point(d.emails, std::move(*pts.email));
            Savepoint sp(db, options.keep_good);
            try {
                d.normalize();
                if (exists && Json(d) == before) {
                    ++report.unchanged;
                } else {
                    save_debtor(d);
                    ++(exists ? report.updated : report.inserted);
                }
                sp.release();
            } catch (const ValidationError& e) {
                r.problem("", strip_prefix(e.what()));
            }
        }
    });
}

ImportReport Store::import_contacts(const ImportSource& src, const ImportOptions& options) {
    const Columns cols(src, options, "contacts", {"debtor_id"});
    if (!cols.has("address_line1") && !cols.has("phone") && !cols.has("email"))
        throw ValidationError("contacts import: " + src.name() +
                              " has none of the columns address_line1, phone or email");
    return run_import(*this, "contacts", src, options, [&](ImportReport& report) {
        sqlite3* db = impl_->handle();
        for (std::size_t i = 0; i < src.rows(); ++i) {
            Row r(cols, i, report.problems);
            const std::string id = r.required_text("debtor_id");
            if (!id.empty() && !has_debtor(id)) r.problem("debtor_id", "debtor " + quote(id) + " is not in the store");
            RowPoints pts = read_points(r, ContactSource::skip_trace);
            if (!r.ok()) continue;
            if (!pts.address && !pts.phone && !pts.email) {
                r.problem("", "has no address, phone or email");
                continue;
            }
            Debtor d = load_debtor(id);
            bool changed = false;
            if (pts.address) changed |= merge_point(d.addresses, std::move(*pts.address));
            if (pts.phone) changed |= merge_point(d.phones, std::move(*pts.phone));
            if (pts.email) changed |= merge_point(d.emails, std::move(*pts.email));
            if (!changed) {
                ++report.unchanged;
                continue;
            }
            Savepoint sp(db, options.keep_good);
            try {
                save_debtor(d);
                ++report.updated;
                sp.release();
            } catch (const ValidationError& e) {
                r.problem("", strip_prefix(e.what()));
            }
        }
    });
}

ImportReport Store::import_accounts(const ImportSource& src, Instant posted_at, const ImportOptions& options) {
    const Columns cols(src, options, "accounts", {"account_id", "debtor_id", "opened_on"});
    if (!cols.has("principal") && !cols.has("principal_cents") && !cols.has("balance") && !cols.has("balance_cents"))
        throw ValidationError("accounts import: " + src.name() +
                              " has no principal (or balance) column, in decimal text or *_cents");
    return run_import(*this, "accounts", src, options, [&](ImportReport& report) {
        sqlite3* db = impl_->handle();
        for (std::size_t i = 0; i < src.rows(); ++i) {
            Row r(cols, i, report.problems);
            const Currency currency = currency_of(r, options);
            const std::string id = r.required_text("account_id");
            const std::string debtor = r.required_text("debtor_id");
            if (!debtor.empty() && !has_debtor(debtor))
                r.problem("debtor_id", "debtor " + quote(debtor) + " is not in the store (import debtors first)");
            const auto co_debtor = r.text("co_debtor_id");
            if (co_debtor && !has_debtor(*co_debtor))
                r.problem("co_debtor_id", "debtor " + quote(*co_debtor) + " is not in the store");
            AccountInfo info;
            info.id = id;
            info.debtors.push_back(AccountDebtor{debtor, DebtorRole::primary, "1"});
            if (co_debtor) info.debtors.push_back(AccountDebtor{*co_debtor, DebtorRole::co_signer, "2"});
            info.account_number = r.text("account_number").value_or("");
            info.original_creditor = r.text("original_creditor").value_or("");
            info.current_creditor = r.text("current_creditor").value_or(info.original_creditor);
            if (auto p = r.parse("product_type", [](std::string_view v) { return parse_product_type(v); })) info.product_type = *p;
            info.last_statement_on = r.date("last_statement_on");
            info.charged_off_on = r.date("charged_off_on");
            info.first_delinquency_on = r.date("first_delinquency_on");
            info.last_payment_on = r.date("last_payment_on");
            info.judgment_on = r.date("judgment_on");
            info.itemization_date = r.date("itemization_date");
            if (auto b = r.parse("itemization_basis", [](std::string_view v) { return parse_itemization_basis(v); }))
                info.itemization_basis = b;
            info.client = r.text("client").value_or("");
            info.portfolio = r.text("portfolio").value_or("");
            info.queue = r.text("queue");
            info.collector = r.text("collector");
            const auto opened = r.required_date("opened_on");
            std::optional<AccountStatus> status;
            if (auto s = r.parse("status", [](std::string_view v) { return parse_account_status(v); })) status = s;
            auto principal = r.money("principal", currency);
            if (!principal) principal = r.money("balance", currency);
            if (!principal && r.ok()) r.problem("principal", "is required and empty");
            const auto interest = r.money("interest", currency);
            const auto fees = r.money("fees", currency);
            const auto costs = r.money("costs", currency);
            const auto oldest_due = r.date("oldest_unpaid_due");
            std::optional<Rational> rate;
            if (auto t = r.text("annual_rate")) {
                try {
                    rate = Rational::parse(*t, "annual_rate");
                    if (rate->is_negative() || *rate > Rational::of(1, 1)) {
                        r.problem("annual_rate", quote(*t) + " is outside 0..1 (0.12 is 12% a year)");
                        rate.reset();
                    }
                } catch (const ValidationError&) {
                    r.problem("annual_rate", quote(*t) + " is not a decimal rate (0.12 is 12% a year)");
                }
            }
            std::optional<DayCountConvention> day_count;
            if (auto d = r.parse("day_count", [](std::string_view v) { return parse_day_count(v); })) day_count = d;
            const auto placed = r.date("placed_on");
            if (!r.ok() || !opened) continue;
            Savepoint sp(db, options.keep_good);
            try {
                if (has_account(id)) {
                    Account a = load_account(id);
                    const Json before = a;
                    AccountInfo merged = info;
                    merged.tags = a.info().tags;
                    // The ledger is never rewritten by a re-import: balances come from postings.
                    Account updated(merged, a.ledger(), a.status_history());
                    if (status && *status != updated.status()) updated.set_status(*status, std::max(updated.status_history().back().effective, *opened), "import");
                    if (Json(updated) == before) {
                        ++report.unchanged;
                    } else {
                        save_account(updated);
                        ++report.updated;
                    }
                } else {
                    LedgerTerms terms;
                    terms.currency = currency;
                    terms.opened_on = *opened;
                    if (rate) terms.interest.annual_rate = *rate;
                    if (day_count) terms.interest.day_count = *day_count;
                    Account a(info, terms, status.value_or(AccountStatus::active));
                    Date on = placed ? *placed
                              : info.itemization_date ? *info.itemization_date
                              : info.charged_off_on ? *info.charged_off_on
                                                    : *opened;
                    if (std::chrono::sys_days{on} < std::chrono::sys_days{*opened}) on = *opened;
                    if (principal && principal->is_positive())
                        a.ledger().post_charge(*principal, on, "placement", Component::principal, posted_at);
                    if (interest && interest->is_positive())
                        a.ledger().post_charge(*interest, on, "placement", Component::interest, posted_at);
                    if (fees && fees->is_positive())
                        a.ledger().post_fee(*fees, on, "placement", Component::fees, posted_at);
                    if (costs && costs->is_positive())
                        a.ledger().post_fee(*costs, on, "placement", Component::costs, posted_at);
                    save_account(a);
                    ++report.inserted;
                }
                if (oldest_due) {
                    auto st = impl_->prepare("UPDATE accounts SET oldest_unpaid_due = ? WHERE id = ? AND oldest_unpaid_due IS NOT ?");
                    st.bind(1, to_iso(*oldest_due)).bind(2, id).bind(3, to_iso(*oldest_due));
                    st.run();
                }
                sp.release();
            } catch (const ValidationError& e) {
                r.problem("", strip_prefix(e.what()));
            } catch (const ConflictError& e) {
                r.problem("", strip_prefix(e.what()));
            }
        }
    });
}

ImportReport Store::import_payments(const ImportSource& src, Instant posted_at, const ImportOptions& options) {
    const Columns cols(src, options, "payments", {"account_id", "effective_date", "reference"});
    if (!cols.has("amount") && !cols.has("amount_cents"))
        throw ValidationError("payments import: " + src.name() + " has no amount (or amount_cents) column");
    return run_import(*this, "payments", src, options, [&](ImportReport& report) {
        sqlite3* db = impl_->handle();
        const std::size_t n = src.rows();
        // 1. Read and check every row into columns (no per-row objects, no copies of text).
        std::vector<std::string_view> ids(n), refs(n);
        std::vector<std::int32_t> days(n, 0);
        std::vector<std::int64_t> minor(n, 0);
        std::vector<std::uint8_t> good(n, 0);
        std::vector<Currency> given_currency(n, Currency::of(options.currency, "options.currency"));
        std::deque<std::string> owned_refs;  // references read from non-text columns
        const auto col = [&](std::string_view f) { return cols.field_to_column.at(std::string(f)); };
        const std::size_t c_id = col("account_id"), c_ref = col("reference");
        const auto c_day = cols.column("effective_date");
        const Columns::Amount c_amount = cols.amount("amount");
        const bool has_cents = c_amount.cents.has_value();
        const bool has_currency = cols.has("currency");
        for (std::size_t i = 0; i < n; ++i) {
            Row r(cols, i, report.problems);
            auto id = src.text_view(c_id, i);
            if (!id && !src.is_text_column(c_id)) {
                r.problem("account_id", "must be text");
                continue;
            }
            if (!id) r.problem("account_id", "is required and empty");
            auto ref = src.is_text_column(c_ref) ? src.text_view(c_ref, i) : std::nullopt;
            std::string ref_owned;
            if (!ref && !src.is_text_column(c_ref)) {
                auto c = src.cell(c_ref, i);
                if (c.kind != ImportSource::Cell::Kind::null) ref_owned = c.text;
            }
            if (!ref && ref_owned.empty()) r.problem("reference", "is required and empty (it makes re-imports idempotent)");
            const std::optional<Date> effective = r.required_date("effective_date", c_day);
            if (has_currency) {
                if (auto c = r.text("currency")) {
                    try {
                        given_currency[i] = Currency::of(*c, "currency");
                    } catch (const ValidationError&) {
                        r.problem("currency", "unknown ISO 4217 currency code " + quote(*c));
                    }
                }
            }
            const std::optional<Money> amount = r.money("amount", given_currency[i], c_amount);
            if (!amount && r.ok()) r.problem(has_cents ? "amount_cents" : "amount", "is required and empty");
            if (amount && !amount->is_positive())
                r.problem(has_cents ? "amount_cents" : "amount", "must be positive, got " + amount->amount_string());
            if (!r.ok()) continue;
            ids[i] = *id;
            if (ref) {
                refs[i] = *ref;
            } else {
                owned_refs.push_back(std::move(ref_owned));  // a deque: views stay valid
                refs[i] = owned_refs.back();
            }
            days[i] = days_since_epoch(*effective);
            minor[i] = amount->minor();
            good[i] = 1;
        }
        // 2. The state of every account named: one scan when many, point reads when few.
        struct Target {
            AccountState state;
            Waterfall waterfall;        // the payment waterfall of the account's terms
            bool policy_changes = false;  // ... which change over time: the ledger decides
            bool dirty = false;         // state changed here, account_state not yet written
        };
        std::unordered_map<std::string, Target> targets;
        std::unordered_map<std::string_view, Target*> by_view;
        by_view.reserve(n / 2 + 16);
        for (std::size_t i = 0; i < n; ++i)
            if (good[i]) by_view.try_emplace(ids[i], nullptr);
        targets.reserve(by_view.size());
        const std::string state_sql = R"sql(
            SELECT a.id, s.principal_cents, s.interest_cents, s.fees_cents, s.costs_cents, s.unapplied_cents,
                   s.entries, s.first_effective_on, s.last_effective_on, s.last_payment_on, s.interest_bearing,
                   a.currency, json_extract(a.data, '$.terms.allocation.payment'),
                   coalesce(json_array_length(a.data, '$.terms.allocation_changes'), 0)
            FROM accounts a JOIN account_state s ON s.account_id = a.id)sql";
        auto opt_date = [](const sql::Statement& st, int c, const char* field) {
            return st.is_null(c) ? std::nullopt : std::optional<Date>(parse_date(st.text(c), field));
        };
        auto read_target = [&](const sql::Statement& st) {
            Target x;
            x.state.balance.currency = Currency::of(st.text(11));
            for (int c = 0; c < 4; ++c) x.state.balance.parts[static_cast<std::size_t>(c)] = st.int64(1 + c);
            x.state.balance.unapplied = st.int64(5);
            x.state.entries = st.int64(6);
            x.state.first_effective = opt_date(st, 7, "account_state.first_effective_on");
            x.state.last_effective = opt_date(st, 8, "account_state.last_effective_on");
            x.state.last_payment = opt_date(st, 9, "account_state.last_payment_on");
            x.state.interest_bearing = st.int64(10) != 0;
            if (!st.is_null(12)) from_json(parse_json(st.text(12)), x.waterfall);
            x.policy_changes = st.int64(13) > 0;
            return x;
        };
        if (by_view.size() > 2000) {
            auto all = impl_->prepare(state_sql);
            while (all.step()) {
                const std::string_view id = all.text(0);
                if (by_view.count(id)) targets.emplace(std::string(id), read_target(all));
            }
        } else {
            auto one = impl_->prepare(state_sql + " WHERE a.id = ?");
            for (auto& [id, ptr] : by_view) {
                one.bind(1, id);
                if (one.step()) targets.emplace(std::string(id), read_target(one));
                one.reset();
            }
        }
        for (auto& [id, ptr] : by_view) {
            auto it = targets.find(std::string(id));
            ptr = it == targets.end() ? nullptr : &it->second;
        }
        // 3. Post, in input order: on the state when the payment sorts last (next_payment_entry),
        // else through the account's ledger (a backdated or same-day payment, one reposted after
        // a reversal, an account whose allocation policy changes over time).
        auto insert = impl_->prepare(R"sql(
            INSERT INTO transactions (account_id, seq, type, effective_date, posted_at, amount_cents, currency,
                                      reference, principal_cents, interest_cents, fees_cents, costs_cents,
                                      unapplied_cents, actor)
            VALUES (?1, ?2, 'payment', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, arrears_actor())
            ON CONFLICT DO NOTHING)sql");
        auto standing = impl_->prepare(R"sql(
            SELECT 1 FROM transactions p WHERE p.account_id = ? AND p.type = 'payment' AND p.reference = ?
              AND NOT EXISTS (SELECT 1 FROM transactions r WHERE r.account_id = p.account_id
                              AND r.type = 'payment_reversal' AND r.reverses = p.seq))sql");
        const std::string posted_iso = to_iso(posted_at);
        std::string day_iso;
        std::int32_t day_cached = std::numeric_limits<std::int32_t>::min();
        for (std::size_t i = 0; i < n; ++i) {
            if (!good[i]) continue;
            Target* t = by_view.find(ids[i])->second;
            Row r(cols, i, report.problems);
            if (!t) {
                r.problem("account_id", "account " + quote(ids[i]) + " is not in the store");
                continue;
            }
            const Currency currency = t->state.balance.currency;
            if (given_currency[i] != currency) {
                r.problem(has_currency ? "currency" : (has_cents ? "amount_cents" : "amount"),
                          "the payment is in " + std::string(given_currency[i].code()) + ", the account in " +
                              std::string(currency.code()));
                continue;
            }
            const Money amount(minor[i], currency);
            const Date effective = date_from_epoch_days(days[i]);
            if (!t->policy_changes) {
                if (auto e = next_payment_entry(t->state, t->waterfall, amount, effective, refs[i], posted_at)) {
                    if (days[i] != day_cached) {
                        day_cached = days[i];
                        day_iso = to_iso(effective);
                    }
                    insert.bind_static(1, ids[i]).bind(2, e->id).bind_static(3, day_iso).bind_static(4, posted_iso);
                    insert.bind(5, minor[i]).bind_static(6, t->state.balance.currency.code()).bind_static(7, refs[i]);
                    for (std::size_t c = 0; c < kComponentCount; ++c)
                        insert.bind(8 + static_cast<int>(c), e->posted_allocation.parts[c]);
                    insert.bind(12, e->posted_allocation.unapplied);
                    insert.run();
                    if (sqlite3_changes(db) == 1) {  // else: the reference is taken (see below)
                        append(t->state, std::move(*e));
                        t->dirty = true;
                        ++report.inserted;
                        continue;
                    }
                }
            }
            // Already posted? (re-imports are idempotent)
            standing.bind(1, ids[i]).bind(2, refs[i]);
            const bool stands = standing.step();
            standing.reset();
            if (stands) {
                ++report.unchanged;
                continue;
            }
            const std::string id(ids[i]);
            if (t->dirty) {  // before the savepoint: a row that fails must not take it back
                impl_->write_account_state(id, t->state);
                t->dirty = false;
            }
            Savepoint sp(db, options.keep_good);
            try {
                Account a = load_account(id);
                a.ledger().post_payment(amount, effective, std::string(refs[i]), posted_at);
                save_account(a);  // writes account_state
                t->state = account_state(a);
                ++report.inserted;
                sp.release();
            } catch (const ValidationError& e) {
                r.problem("", strip_prefix(e.what()));
            } catch (const ConflictError& e) {
                r.problem("reference", strip_prefix(e.what()));
            }
        }
        for (auto& [id, t] : targets)
            if (t.dirty) impl_->write_account_state(id, t.state);
    });
}

}  // namespace arrears
