#include "arrears/table.hpp"

#include <cstring>
#include <limits>
#include <type_traits>

#include "arrears/error.hpp"

namespace arrears {

using namespace std::chrono;

std::string_view to_string(ColumnType t) noexcept {
    switch (t) {
        case ColumnType::int64: return "int64";
        case ColumnType::int32: return "int32";
        case ColumnType::float64: return "float64";
        case ColumnType::boolean: return "bool";
        case ColumnType::date32: return "date32";
        case ColumnType::timestamp: return "timestamp[s, UTC]";
        case ColumnType::utf8: return "utf8";
        case ColumnType::dictionary: return "dictionary";
    }
    return "int64";
}

std::size_t Column::size() const {
    return std::visit(
        [](const auto& v) -> std::size_t {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::shared_ptr<const StringColumn>>)
                return v ? v->size() : 0;
            else if constexpr (std::is_same_v<V, DictionaryValues>)
                return v.codes.size();
            else if constexpr (std::is_same_v<V, BorrowedValues>)
                return v.length;
            else
                return v.size();
        },
        values);
}

std::int64_t Column::null_count() const {
    std::int64_t n = 0;
    for (auto v : valid) n += v == 0;
    return n;
}

std::int32_t days_since_epoch(Date d) {
    return static_cast<std::int32_t>(sys_days{d}.time_since_epoch().count());
}

Date date_from_epoch_days(std::int32_t days) { return Date{sys_days{std::chrono::days{days}}}; }

const Column& Table::column(std::string_view name) const {
    for (const auto& c : columns_)
        if (c.name == name) return c;
    throw NotFoundError("column: no column named " + quote(name));
}

Table& Table::add(Column column) {
    const std::size_t n = column.size();
    for (const auto& c : columns_)
        if (c.name == column.name)
            throw ValidationError("column: duplicate column name " + quote(column.name));
    if (!columns_.empty() && n != rows_)
        throw ValidationError("column " + quote(column.name) + ": has " + std::to_string(n) +
                              " rows, the table has " + std::to_string(rows_));
    if (!column.valid.empty() && column.valid.size() != n)
        throw ValidationError("column " + quote(column.name) + ": validity has " +
                              std::to_string(column.valid.size()) + " entries for " +
                              std::to_string(n) + " rows");
    if (column.null_count() == 0) column.valid.clear();
    rows_ = n;
    columns_.push_back(std::move(column));
    return *this;
}

Table& Table::add_int64(std::string name, std::vector<std::int64_t> v, std::vector<std::uint8_t> ok) {
    return add(Column{std::move(name), ColumnType::int64, std::move(v), std::move(ok)});
}
Table& Table::add_int32(std::string name, std::vector<std::int32_t> v, std::vector<std::uint8_t> ok) {
    return add(Column{std::move(name), ColumnType::int32, std::move(v), std::move(ok)});
}
Table& Table::add_float64(std::string name, std::vector<double> v, std::vector<std::uint8_t> ok) {
    return add(Column{std::move(name), ColumnType::float64, std::move(v), std::move(ok)});
}
Table& Table::add_bool(std::string name, std::vector<std::uint8_t> v, std::vector<std::uint8_t> ok) {
    return add(Column{std::move(name), ColumnType::boolean, std::move(v), std::move(ok)});
}
Table& Table::add_date32(std::string name, std::vector<std::int32_t> v, std::vector<std::uint8_t> ok) {
    return add(Column{std::move(name), ColumnType::date32, std::move(v), std::move(ok)});
}
Table& Table::add_dates(std::string name, const std::vector<Date>& dates, std::vector<std::uint8_t> ok) {
    std::vector<std::int32_t> days(dates.size());
    for (std::size_t i = 0; i < dates.size(); ++i)
        days[i] = (ok.empty() || ok[i]) ? days_since_epoch(dates[i]) : 0;
    return add_date32(std::move(name), std::move(days), std::move(ok));
}
Table& Table::add_timestamp(std::string name, std::vector<std::int64_t> v, std::vector<std::uint8_t> ok) {
    return add(Column{std::move(name), ColumnType::timestamp, std::move(v), std::move(ok)});
}
Table& Table::add_utf8(std::string name, std::vector<std::string> v, std::vector<std::uint8_t> ok) {
    return add(Column{std::move(name), ColumnType::utf8, std::move(v), std::move(ok)});
}
Table& Table::add_strings(std::string name, std::shared_ptr<const StringColumn> strings) {
    if (!strings) throw ValidationError("column " + quote(name) + ": no strings given");
    std::vector<std::uint8_t> ok = strings->valid;
    return add(Column{std::move(name), ColumnType::utf8, std::move(strings), std::move(ok)});
}
Table& Table::add_dictionary(std::string name, std::vector<std::int32_t> codes,
                             std::shared_ptr<const std::vector<std::string>> categories) {
    if (!categories) throw ValidationError("column " + quote(name) + ": no categories given");
    std::vector<std::uint8_t> ok;
    const auto n_cat = static_cast<std::int32_t>(categories->size());
    for (std::size_t i = 0; i < codes.size(); ++i) {
        if (codes[i] < -1 || codes[i] >= n_cat)
            throw ValidationError("column " + quote(name) + ": code " + std::to_string(codes[i]) +
                                  " at row " + std::to_string(i) + " is not a category");
        if (codes[i] == -1) {
            if (ok.empty()) ok.assign(codes.size(), 1);
            ok[i] = 0;
        }
    }
    return add(Column{std::move(name), ColumnType::dictionary,
                      DictionaryValues{std::move(codes), std::move(categories)}, std::move(ok)});
}
Table& Table::add_borrowed(std::string name, ColumnType type, BorrowedValues values,
                           std::vector<std::uint8_t> ok) {
    if (type == ColumnType::utf8 || type == ColumnType::dictionary || type == ColumnType::boolean)
        throw ValidationError("column " + quote(name) + ": borrowed values must be fixed-width");
    return add(Column{std::move(name), type, std::move(values), std::move(ok)});
}

// ---------------------------------------------------------------------------------------------
// Export through the C Data / Stream interfaces.

namespace {

const char* format_of(ColumnType t) {
    switch (t) {
        case ColumnType::int64: return "l";
        case ColumnType::int32: return "i";
        case ColumnType::float64: return "g";
        case ColumnType::boolean: return "b";
        case ColumnType::date32: return "tdD";
        case ColumnType::timestamp: return "tss:UTC";
        case ColumnType::utf8: return "u";
        case ColumnType::dictionary: return "i";
    }
    return "l";
}

std::vector<std::uint8_t> to_bitmap(const std::vector<std::uint8_t>& bytes) {
    std::vector<std::uint8_t> bits((bytes.size() + 7) / 8, 0);
    for (std::size_t i = 0; i < bytes.size(); ++i)
        if (bytes[i]) bits[i / 8] = static_cast<std::uint8_t>(bits[i / 8] | (1u << (i % 8)));
    return bits;
}

struct SchemaPrivate {
    std::string name;
    std::string format;
    std::vector<ArrowSchema*> children;
    ArrowSchema* dictionary = nullptr;
};

void release_schema(ArrowSchema* s) {
    if (s == nullptr || s->release == nullptr) return;
    auto* p = static_cast<SchemaPrivate*>(s->private_data);
    for (ArrowSchema* child : p->children) {
        if (child->release) child->release(child);
        delete child;
    }
    if (p->dictionary) {
        if (p->dictionary->release) p->dictionary->release(p->dictionary);
        delete p->dictionary;
    }
    delete p;
    s->release = nullptr;
}

void fill_schema(ArrowSchema* s, std::string name, std::string format, std::int64_t flags) {
    auto* p = new SchemaPrivate{std::move(name), std::move(format), {}};
    s->format = p->format.c_str();
    s->name = p->name.c_str();
    s->metadata = nullptr;
    s->flags = flags;
    s->n_children = 0;
    s->children = nullptr;
    s->dictionary = nullptr;
    s->release = &release_schema;
    s->private_data = p;
}

void export_schema(const Table& t, ArrowSchema* out) {
    fill_schema(out, "", "+s", 0);
    auto* p = static_cast<SchemaPrivate*>(out->private_data);
    for (const Column& c : t.columns()) {
        auto* child = new ArrowSchema{};
        const bool shared = std::holds_alternative<std::shared_ptr<const StringColumn>>(c.values);
        fill_schema(child, c.name, shared ? "U" : format_of(c.type), ARROW_FLAG_NULLABLE);
        p->children.push_back(child);
        if (c.type == ColumnType::dictionary) {
            auto* dict = new ArrowSchema{};
            fill_schema(dict, "", "u", 0);
            child->dictionary = dict;
            static_cast<SchemaPrivate*>(child->private_data)->dictionary = dict;
        }
    }
    out->n_children = static_cast<std::int64_t>(p->children.size());
    out->children = p->children.data();
}

struct ArrayPrivate {
    std::shared_ptr<const Table> table;  // keeps the column data alive
    std::vector<std::uint8_t> validity;
    std::vector<std::uint8_t> bits;      // boolean values
    std::vector<std::int32_t> offsets;   // utf8
    std::string chars;                   // utf8
    const void* buffers[3] = {nullptr, nullptr, nullptr};
    std::vector<ArrowArray*> children;
    ArrowArray* dictionary = nullptr;
};

void release_array(ArrowArray* a) {
    if (a == nullptr || a->release == nullptr) return;
    auto* p = static_cast<ArrayPrivate*>(a->private_data);
    for (ArrowArray* child : p->children) {
        if (child->release) child->release(child);
        delete child;
    }
    if (p->dictionary) {
        if (p->dictionary->release) p->dictionary->release(p->dictionary);
        delete p->dictionary;
    }
    delete p;
    a->release = nullptr;
}

void export_column(const std::shared_ptr<const Table>& table, const Column& c, ArrowArray* out) {
    auto* p = new ArrayPrivate{};
    p->table = table;
    const auto n = static_cast<std::int64_t>(c.size());
    if (!c.valid.empty()) {
        p->validity = to_bitmap(c.valid);
        p->buffers[0] = p->validity.data();
    }
    std::int64_t n_buffers = 2;
    if (const auto* borrowed = std::get_if<BorrowedValues>(&c.values)) {
        p->buffers[1] = borrowed->data;
    } else if (const auto* shared = std::get_if<std::shared_ptr<const StringColumn>>(&c.values)) {
        p->buffers[1] = (*shared)->offsets.data();
        p->buffers[2] = (*shared)->chars.data();
        n_buffers = 3;
    } else if (const auto* dict = std::get_if<DictionaryValues>(&c.values)) {
        p->buffers[1] = dict->codes.data();
        auto* d = new ArrowArray{};
        p->dictionary = d;
        // The dictionary's strings are copied once into its own private data.
        auto* dp = new ArrayPrivate{};
        dp->table = table;
        dp->offsets.reserve(dict->categories->size() + 1);
        dp->offsets.push_back(0);
        for (const auto& label : *dict->categories) {
            dp->chars += label;
            dp->offsets.push_back(static_cast<std::int32_t>(dp->chars.size()));
        }
        dp->buffers[1] = dp->offsets.data();
        dp->buffers[2] = dp->chars.data();
        d->length = static_cast<std::int64_t>(dict->categories->size());
        d->null_count = 0;
        d->offset = 0;
        d->n_buffers = 3;
        d->n_children = 0;
        d->buffers = dp->buffers;
        d->children = nullptr;
        d->dictionary = nullptr;
        d->release = &release_array;
        d->private_data = dp;
    } else {
        switch (c.type) {
            case ColumnType::int64:
            case ColumnType::timestamp:
                p->buffers[1] = std::get<std::vector<std::int64_t>>(c.values).data();
                break;
            case ColumnType::int32:
            case ColumnType::date32:
                p->buffers[1] = std::get<std::vector<std::int32_t>>(c.values).data();
                break;
            case ColumnType::float64:
                p->buffers[1] = std::get<std::vector<double>>(c.values).data();
                break;
            case ColumnType::boolean:
                p->bits = to_bitmap(std::get<std::vector<std::uint8_t>>(c.values));
                p->buffers[1] = p->bits.data();
                break;
            case ColumnType::utf8: {
                const auto& strings = std::get<std::vector<std::string>>(c.values);
                p->offsets.reserve(strings.size() + 1);
                p->offsets.push_back(0);
                std::size_t total = 0;
                for (const auto& s : strings) total += s.size();
                if (total > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
                    throw OverflowError("column " + quote(c.name) + ": more than 2 GiB of text");
                p->chars.reserve(total);
                for (const auto& s : strings) {
                    p->chars += s;
                    p->offsets.push_back(static_cast<std::int32_t>(p->chars.size()));
                }
                p->buffers[1] = p->offsets.data();
                p->buffers[2] = p->chars.data();
                n_buffers = 3;
                break;
            }
            case ColumnType::dictionary: break;
        }
    }
    out->length = n;
    out->null_count = c.null_count();
    out->offset = 0;
    out->n_buffers = n_buffers;
    out->n_children = 0;
    out->buffers = p->buffers;
    out->children = nullptr;
    out->dictionary = p->dictionary;
    out->release = &release_array;
    out->private_data = p;
}

void export_array(const std::shared_ptr<const Table>& table, ArrowArray* out) {
    auto* p = new ArrayPrivate{};
    p->table = table;
    try {
        for (const Column& c : table->columns()) {
            auto* child = new ArrowArray{};
            p->children.push_back(child);
            export_column(table, c, child);
        }
    } catch (...) {
        for (ArrowArray* child : p->children) {
            if (child->release) child->release(child);
            delete child;
        }
        delete p;
        throw;
    }
    out->length = static_cast<std::int64_t>(table->num_rows());
    out->null_count = 0;
    out->offset = 0;
    out->n_buffers = 1;
    out->n_children = static_cast<std::int64_t>(p->children.size());
    out->buffers = p->buffers;
    out->children = p->children.data();
    out->dictionary = nullptr;
    out->release = &release_array;
    out->private_data = p;
}

struct StreamPrivate {
    std::shared_ptr<const Table> table;
    bool done = false;
    std::string error;
};

int stream_get_schema(ArrowArrayStream* s, ArrowSchema* out) {
    auto* p = static_cast<StreamPrivate*>(s->private_data);
    try {
        export_schema(*p->table, out);
        return 0;
    } catch (const std::exception& e) {
        p->error = e.what();
        return 12;  // ENOMEM-ish: a failure the consumer reports with get_last_error
    }
}

int stream_get_next(ArrowArrayStream* s, ArrowArray* out) {
    auto* p = static_cast<StreamPrivate*>(s->private_data);
    if (p->done) {
        std::memset(out, 0, sizeof(*out));  // release == NULL marks the end of the stream
        return 0;
    }
    try {
        export_array(p->table, out);
        p->done = true;
        return 0;
    } catch (const std::exception& e) {
        p->error = e.what();
        return 22;  // EINVAL
    }
}

const char* stream_last_error(ArrowArrayStream* s) {
    auto* p = static_cast<StreamPrivate*>(s->private_data);
    return p->error.empty() ? nullptr : p->error.c_str();
}

void stream_release(ArrowArrayStream* s) {
    if (s == nullptr || s->release == nullptr) return;
    delete static_cast<StreamPrivate*>(s->private_data);
    s->release = nullptr;
}

}  // namespace

void Table::export_stream(std::shared_ptr<const Table> table, ArrowArrayStream* out) {
    out->get_schema = &stream_get_schema;
    out->get_next = &stream_get_next;
    out->get_last_error = &stream_last_error;
    out->release = &stream_release;
    out->private_data = new StreamPrivate{std::move(table), false, {}};
}

}  // namespace arrears
