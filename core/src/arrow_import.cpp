#include "arrears/arrow_import.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#include "arrears/error.hpp"

namespace arrears {

namespace {

bool bit(const void* bitmap, std::int64_t i) {
    const auto* bytes = static_cast<const std::uint8_t*>(bitmap);
    return (bytes[i >> 3] >> (i & 7)) & 1;
}

std::string describe(std::string_view name, std::string_view format) {
    return "column " + quote(name) + " (Arrow type " + quote(format) + ")";
}

// Fills valid[] for rows [start, start+len) of one chunk; returns true if any null was seen.
bool collect_validity(const ArrowArray& a, std::vector<std::uint8_t>& valid, std::size_t base) {
    if (a.null_count == 0 || a.buffers[0] == nullptr) {
        if (!valid.empty()) std::fill(valid.begin() + static_cast<std::ptrdiff_t>(base),
                                      valid.begin() + static_cast<std::ptrdiff_t>(base) + a.length, 1);
        return false;
    }
    if (valid.empty()) return true;  // caller resizes and calls again
    for (std::int64_t i = 0; i < a.length; ++i)
        valid[base + static_cast<std::size_t>(i)] = bit(a.buffers[0], a.offset + i) ? 1 : 0;
    return true;
}

template <class Out, class In>
void widen(const ArrowArray& a, std::vector<Out>& out, std::size_t base) {
    const auto* src = static_cast<const In*>(a.buffers[1]) + a.offset;
    for (std::int64_t i = 0; i < a.length; ++i)
        out[base + static_cast<std::size_t>(i)] = static_cast<Out>(src[i]);
}

template <class In>
void widen_unsigned_checked(const ArrowArray& a, std::vector<std::int64_t>& out, std::size_t base,
                            std::string_view name, std::string_view format) {
    const auto* src = static_cast<const In*>(a.buffers[1]) + a.offset;
    for (std::int64_t i = 0; i < a.length; ++i) {
        if constexpr (sizeof(In) == 8) {
            if (src[i] > static_cast<In>(std::numeric_limits<std::int64_t>::max()))
                throw OverflowError(describe(name, format) + ": value at row " +
                                    std::to_string(base + static_cast<std::size_t>(i)) +
                                    " does not fit in int64");
        }
        out[base + static_cast<std::size_t>(i)] = static_cast<std::int64_t>(src[i]);
    }
}

template <class T>
ColumnData<T> all_null(std::size_t rows) {
    ColumnData<T> out;
    out.valid.assign(rows, 0);
    out.own(std::vector<T>(rows, T{}));
    return out;
}

}  // namespace

std::shared_ptr<ArrowImport> ArrowImport::read(ArrowArrayStream* stream) {
    if (stream == nullptr || stream->release == nullptr)
        throw ValidationError("arrow: the stream was already consumed or released");
    ArrowArrayStream s = *stream;  // move out
    stream->release = nullptr;
    struct StreamGuard {
        ArrowArrayStream* s;
        ~StreamGuard() { if (s->release) s->release(s); }
    } guard{&s};

    std::shared_ptr<ArrowImport> out(new ArrowImport());
    auto fail = [&](const char* what, int code) {
        const char* msg = s.get_last_error ? s.get_last_error(&s) : nullptr;
        return ValidationError(std::string("arrow: ") + what + " failed (code " + std::to_string(code) +
                               ")" + (msg ? std::string(": ") + msg : std::string()));
    };
    if (int rc = s.get_schema(&s, &out->schema_); rc != 0) throw fail("reading the schema", rc);
    if (std::string_view(out->schema_.format) != "+s")
        throw ValidationError("arrow: expected a table (struct of columns), got Arrow type " +
                              quote(out->schema_.format));
    while (true) {
        ArrowArray batch{};
        if (int rc = s.get_next(&s, &batch); rc != 0) throw fail("reading a batch", rc);
        if (batch.release == nullptr) break;
        if (batch.n_children != out->schema_.n_children) {
            batch.release(&batch);
            throw ValidationError("arrow: a batch has a different number of columns than the schema");
        }
        out->rows_ += static_cast<std::size_t>(batch.length);
        out->batches_.push_back(batch);
    }
    return out;
}

ArrowImport::~ArrowImport() {
    for (ArrowArray& b : batches_)
        if (b.release) b.release(&b);
    if (schema_.release) schema_.release(&schema_);
}

std::vector<std::string> ArrowImport::column_names() const {
    std::vector<std::string> names;
    for (std::int64_t i = 0; i < schema_.n_children; ++i)
        names.emplace_back(schema_.children[i]->name ? schema_.children[i]->name : "");
    return names;
}

bool ArrowImport::has_column(std::string_view name) const {
    for (std::int64_t i = 0; i < schema_.n_children; ++i)
        if (schema_.children[i]->name && name == schema_.children[i]->name) return true;
    return false;
}

std::size_t ArrowImport::index_of(std::string_view name) const {
    for (std::int64_t i = 0; i < schema_.n_children; ++i)
        if (schema_.children[i]->name && name == schema_.children[i]->name)
            return static_cast<std::size_t>(i);
    throw NotFoundError("column " + quote(name) + ": missing from the input");
}

std::string ArrowImport::format(std::string_view name) const {
    return schema_.children[index_of(name)]->format;
}

ColumnData<std::int64_t> ArrowImport::int64(std::string_view name) const {
    const std::size_t col = index_of(name);
    const std::string fmt = schema_.children[col]->format;
    if (fmt == "n") return all_null<std::int64_t>(rows_);  // Arrow null type: every row null
    ColumnData<std::int64_t> out;
    static const std::string ints = "lLiIsScC";
    if (fmt.size() != 1 || ints.find(fmt[0]) == std::string::npos)
        throw ValidationError(describe(name, fmt) + ": expected an integer column");
    bool nulls = false;
    for (const ArrowArray& b : batches_) nulls = nulls || (b.children[col]->null_count != 0);
    if (fmt == "l" && batches_.size() == 1 && !nulls) {  // zero-copy
        const ArrowArray& a = *batches_[0].children[col];
        out.values = std::span<const std::int64_t>(
            static_cast<const std::int64_t*>(a.buffers[1]) + a.offset, static_cast<std::size_t>(a.length));
        out.owner = shared_from_this();
        return out;
    }
    std::vector<std::int64_t> v(rows_);
    if (nulls) out.valid.assign(rows_, 1);
    std::size_t base = 0;
    for (const ArrowArray& b : batches_) {
        const ArrowArray& a = *b.children[col];
        if (nulls) collect_validity(a, out.valid, base);
        switch (fmt[0]) {
            case 'l': widen<std::int64_t, std::int64_t>(a, v, base); break;
            case 'i': widen<std::int64_t, std::int32_t>(a, v, base); break;
            case 's': widen<std::int64_t, std::int16_t>(a, v, base); break;
            case 'c': widen<std::int64_t, std::int8_t>(a, v, base); break;
            case 'L': widen_unsigned_checked<std::uint64_t>(a, v, base, name, fmt); break;
            case 'I': widen_unsigned_checked<std::uint32_t>(a, v, base, name, fmt); break;
            case 'S': widen_unsigned_checked<std::uint16_t>(a, v, base, name, fmt); break;
            case 'C': widen_unsigned_checked<std::uint8_t>(a, v, base, name, fmt); break;
        }
        base += static_cast<std::size_t>(a.length);
    }
    out.own(std::move(v));
    return out;
}

ColumnData<double> ArrowImport::float64(std::string_view name) const {
    const std::size_t col = index_of(name);
    const std::string fmt = schema_.children[col]->format;
    if (fmt == "n") return all_null<double>(rows_);
    static const std::string numeric = "gflLiIsScC";
    if (fmt.size() != 1 || numeric.find(fmt[0]) == std::string::npos)
        throw ValidationError(describe(name, fmt) + ": expected a numeric column");
    ColumnData<double> out;
    bool nulls = false;
    for (const ArrowArray& b : batches_) nulls = nulls || (b.children[col]->null_count != 0);
    if (fmt == "g" && batches_.size() == 1 && !nulls) {
        const ArrowArray& a = *batches_[0].children[col];
        out.values = std::span<const double>(static_cast<const double*>(a.buffers[1]) + a.offset,
                                             static_cast<std::size_t>(a.length));
        out.owner = shared_from_this();
        return out;
    }
    std::vector<double> v(rows_);
    if (nulls) out.valid.assign(rows_, 1);
    std::size_t base = 0;
    for (const ArrowArray& b : batches_) {
        const ArrowArray& a = *b.children[col];
        if (nulls) collect_validity(a, out.valid, base);
        switch (fmt[0]) {
            case 'g': widen<double, double>(a, v, base); break;
            case 'f': widen<double, float>(a, v, base); break;
            case 'l': widen<double, std::int64_t>(a, v, base); break;
            case 'L': widen<double, std::uint64_t>(a, v, base); break;
            case 'i': widen<double, std::int32_t>(a, v, base); break;
            case 'I': widen<double, std::uint32_t>(a, v, base); break;
            case 's': widen<double, std::int16_t>(a, v, base); break;
            case 'S': widen<double, std::uint16_t>(a, v, base); break;
            case 'c': widen<double, std::int8_t>(a, v, base); break;
            case 'C': widen<double, std::uint8_t>(a, v, base); break;
        }
        base += static_cast<std::size_t>(a.length);
    }
    out.own(std::move(v));
    return out;
}

ColumnData<std::uint8_t> ArrowImport::boolean(std::string_view name) const {
    const std::size_t col = index_of(name);
    const std::string fmt = schema_.children[col]->format;
    if (fmt == "n") return all_null<std::uint8_t>(rows_);
    if (fmt != "b") {
        auto ints = int64(name);  // 0/1 integers are accepted
        ColumnData<std::uint8_t> out;
        std::vector<std::uint8_t> v(ints.size());
        for (std::size_t i = 0; i < ints.size(); ++i) {
            if (ints.is_valid(i) && ints.values[i] != 0 && ints.values[i] != 1)
                throw ValidationError(describe(name, fmt) + ": row " + std::to_string(i) +
                                      " holds " + std::to_string(ints.values[i]) +
                                      ", expected a boolean (0 or 1)");
            v[i] = static_cast<std::uint8_t>(ints.values[i]);
        }
        out.valid = std::move(ints.valid);
        out.own(std::move(v));
        return out;
    }
    ColumnData<std::uint8_t> out;
    std::vector<std::uint8_t> v(rows_);
    bool nulls = false;
    for (const ArrowArray& b : batches_) nulls = nulls || (b.children[col]->null_count != 0);
    if (nulls) out.valid.assign(rows_, 1);
    std::size_t base = 0;
    for (const ArrowArray& b : batches_) {
        const ArrowArray& a = *b.children[col];
        if (nulls) collect_validity(a, out.valid, base);
        for (std::int64_t i = 0; i < a.length; ++i)
            v[base + static_cast<std::size_t>(i)] = bit(a.buffers[1], a.offset + i) ? 1 : 0;
        base += static_cast<std::size_t>(a.length);
    }
    out.own(std::move(v));
    return out;
}

ColumnData<std::int32_t> ArrowImport::days(std::string_view name) const {
    const std::size_t col = index_of(name);
    const std::string fmt = schema_.children[col]->format;
    if (fmt == "n") return all_null<std::int32_t>(rows_);
    std::int64_t per_day = 0;  // timestamp units per day
    bool date32 = false, date64 = false;
    if (fmt == "tdD") date32 = true;
    else if (fmt == "tdm") date64 = true;
    else if (fmt.rfind("tss:", 0) == 0) per_day = 86'400;
    else if (fmt.rfind("tsm:", 0) == 0) per_day = 86'400'000;
    else if (fmt.rfind("tsu:", 0) == 0) per_day = 86'400'000'000;
    else if (fmt.rfind("tsn:", 0) == 0) per_day = 86'400'000'000'000;
    else
        throw ValidationError(describe(name, fmt) + ": expected a date or timestamp column");
    ColumnData<std::int32_t> out;
    bool nulls = false;
    for (const ArrowArray& b : batches_) nulls = nulls || (b.children[col]->null_count != 0);
    if (date32 && batches_.size() == 1 && !nulls) {
        const ArrowArray& a = *batches_[0].children[col];
        out.values = std::span<const std::int32_t>(
            static_cast<const std::int32_t*>(a.buffers[1]) + a.offset, static_cast<std::size_t>(a.length));
        out.owner = shared_from_this();
        return out;
    }
    std::vector<std::int32_t> v(rows_);
    if (nulls) out.valid.assign(rows_, 1);
    std::size_t base = 0;
    for (const ArrowArray& b : batches_) {
        const ArrowArray& a = *b.children[col];
        if (nulls) collect_validity(a, out.valid, base);
        if (date32) {
            widen<std::int32_t, std::int32_t>(a, v, base);
        } else {
            const auto* src = static_cast<const std::int64_t*>(a.buffers[1]) + a.offset;
            const std::int64_t unit = date64 ? 86'400'000 : per_day;
            for (std::int64_t i = 0; i < a.length; ++i) {
                std::int64_t x = src[i];
                std::int64_t d = x / unit;
                if (x % unit != 0 && x < 0) --d;  // floor toward the past
                v[base + static_cast<std::size_t>(i)] = static_cast<std::int32_t>(d);
            }
        }
        base += static_cast<std::size_t>(a.length);
    }
    out.own(std::move(v));
    return out;
}

namespace {

void append_strings(const ArrowArray& a, const std::string& fmt, StringColumn& out,
                    std::size_t base, std::string_view name) {
    const bool has_nulls = a.null_count != 0 && a.buffers[0] != nullptr;
    for (std::int64_t i = 0; i < a.length; ++i) {
        const std::int64_t row = a.offset + i;
        if (has_nulls && !bit(a.buffers[0], row)) {
            if (out.valid.empty()) out.valid.assign(base + static_cast<std::size_t>(i), 1);
            out.valid.push_back(0);
            out.push_back({});
            continue;
        }
        if (!out.valid.empty()) out.valid.push_back(1);
        if (fmt == "u") {
            const auto* offs = static_cast<const std::int32_t*>(a.buffers[1]);
            const auto* data = static_cast<const char*>(a.buffers[2]);
            out.push_back(std::string_view(data + offs[row], static_cast<std::size_t>(offs[row + 1] - offs[row])));
        } else if (fmt == "U") {
            const auto* offs = static_cast<const std::int64_t*>(a.buffers[1]);
            const auto* data = static_cast<const char*>(a.buffers[2]);
            out.push_back(std::string_view(data + offs[row], static_cast<std::size_t>(offs[row + 1] - offs[row])));
        } else if (fmt == "vu") {
            // 16-byte views: int32 length, then either 12 inline bytes or prefix, buffer, offset.
            const auto* view = static_cast<const std::uint8_t*>(a.buffers[1]) + row * 16;
            std::int32_t len;
            std::memcpy(&len, view, 4);
            if (len <= 12) {
                out.push_back(std::string_view(reinterpret_cast<const char*>(view + 4), static_cast<std::size_t>(len)));
            } else {
                std::int32_t buffer_index, offset;
                std::memcpy(&buffer_index, view + 8, 4);
                std::memcpy(&offset, view + 12, 4);
                const auto* data = static_cast<const char*>(a.buffers[2 + buffer_index]);
                out.push_back(std::string_view(data + offset, static_cast<std::size_t>(len)));
            }
        } else {
            throw ValidationError(describe(name, fmt) + ": expected a string column");
        }
    }
}

}  // namespace

StringColumn ArrowImport::strings(std::string_view name) const {
    const std::size_t col = index_of(name);
    const ArrowSchema& field = *schema_.children[col];
    const std::string fmt = field.format;
    StringColumn out;
    if (fmt == "n") {
        out.offsets.assign(rows_ + 1, 0);
        out.valid.assign(rows_, 0);
        return out;
    }
    out.offsets.reserve(rows_ + 1);
    const bool dictionary = field.dictionary != nullptr;
    const std::string value_fmt = dictionary ? field.dictionary->format : fmt;
    if (value_fmt != "u" && value_fmt != "U" && value_fmt != "vu")
        throw ValidationError(describe(name, dictionary ? "dictionary<" + value_fmt + ">" : fmt) +
                              ": expected a string column");
    std::size_t base = 0;
    for (const ArrowArray& b : batches_) {
        const ArrowArray& a = *b.children[col];
        if (!dictionary) {
            append_strings(a, fmt, out, base, name);
        } else {
            StringColumn dict;
            append_strings(*a.dictionary, value_fmt, dict, 0, name);
            const bool has_nulls = a.null_count != 0 && a.buffers[0] != nullptr;
            for (std::int64_t i = 0; i < a.length; ++i) {
                const std::int64_t row = a.offset + i;
                if (has_nulls && !bit(a.buffers[0], row)) {
                    if (out.valid.empty()) out.valid.assign(base + static_cast<std::size_t>(i), 1);
                    out.valid.push_back(0);
                    out.push_back({});
                    continue;
                }
                if (!out.valid.empty()) out.valid.push_back(1);
                std::int64_t k = 0;
                switch (fmt[0]) {
                    case 'c': k = static_cast<const std::int8_t*>(a.buffers[1])[row]; break;
                    case 'C': k = static_cast<const std::uint8_t*>(a.buffers[1])[row]; break;
                    case 's': k = static_cast<const std::int16_t*>(a.buffers[1])[row]; break;
                    case 'S': k = static_cast<const std::uint16_t*>(a.buffers[1])[row]; break;
                    case 'i': k = static_cast<const std::int32_t*>(a.buffers[1])[row]; break;
                    case 'I': k = static_cast<const std::uint32_t*>(a.buffers[1])[row]; break;
                    case 'l': k = static_cast<const std::int64_t*>(a.buffers[1])[row]; break;
                    default:
                        throw ValidationError(describe(name, fmt) + ": unsupported dictionary index type");
                }
                if (k < 0 || static_cast<std::size_t>(k) >= dict.size())
                    throw ValidationError(describe(name, fmt) + ": dictionary index out of range");
                out.push_back(dict.at(static_cast<std::size_t>(k)));
            }
        }
        base += static_cast<std::size_t>(a.length);
    }
    return out;
}

ColumnData<std::int64_t> ArrowImport::seconds(std::string_view name) const {
    const std::size_t col = index_of(name);
    const std::string fmt = schema_.children[col]->format;
    if (fmt == "n") return all_null<std::int64_t>(rows_);
    std::int64_t per_second = 0;
    if (fmt.rfind("tss:", 0) == 0) per_second = 1;
    else if (fmt.rfind("tsm:", 0) == 0) per_second = 1'000;
    else if (fmt.rfind("tsu:", 0) == 0) per_second = 1'000'000;
    else if (fmt.rfind("tsn:", 0) == 0) per_second = 1'000'000'000;
    else throw ValidationError(describe(name, fmt) + ": expected a timestamp column");
    ColumnData<std::int64_t> out;
    std::vector<std::int64_t> v(rows_);
    bool nulls = false;
    for (const ArrowArray& b : batches_) nulls = nulls || (b.children[col]->null_count != 0);
    if (nulls) out.valid.assign(rows_, 1);
    std::size_t base = 0;
    for (const ArrowArray& b : batches_) {
        const ArrowArray& a = *b.children[col];
        if (nulls) collect_validity(a, out.valid, base);
        const auto* src = static_cast<const std::int64_t*>(a.buffers[1]) + a.offset;
        for (std::int64_t i = 0; i < a.length; ++i) {
            std::int64_t q = src[i] / per_second;
            if (src[i] % per_second != 0 && src[i] < 0) --q;
            v[base + static_cast<std::size_t>(i)] = q;
        }
        base += static_cast<std::size_t>(a.length);
    }
    out.own(std::move(v));
    return out;
}

Table ArrowImport::to_table() const {
    Table t;
    for (std::int64_t c = 0; c < schema_.n_children; ++c) {
        const ArrowSchema& field = *schema_.children[c];
        const std::string name = field.name ? field.name : "";
        const std::string fmt = field.format;
        if (field.dictionary) {
            StringColumn s = strings(name);
            std::vector<std::int32_t> codes(s.size(), -1);
            auto cats = std::make_shared<std::vector<std::string>>();
            std::vector<std::pair<std::string, std::int32_t>> seen;
            for (std::size_t i = 0; i < s.size(); ++i) {
                if (!s.is_valid(i)) continue;
                const std::string_view v = s.at(i);
                auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& e) { return e.first == v; });
                if (it == seen.end()) {
                    seen.emplace_back(std::string(v), static_cast<std::int32_t>(cats->size()));
                    cats->emplace_back(v);
                    codes[i] = seen.back().second;
                } else {
                    codes[i] = it->second;
                }
            }
            t.add_dictionary(name, std::move(codes), std::move(cats));
        } else if (fmt == "l" || fmt == "L" || fmt == "I") {
            auto v = int64(name);
            t.add_int64(name, std::vector<std::int64_t>(v.values.begin(), v.values.end()), std::move(v.valid));
        } else if (fmt == "i" || fmt == "s" || fmt == "c" || fmt == "S" || fmt == "C") {
            auto v = int64(name);
            std::vector<std::int32_t> x(v.size());
            for (std::size_t i = 0; i < v.size(); ++i) x[i] = static_cast<std::int32_t>(v.values[i]);
            t.add_int32(name, std::move(x), std::move(v.valid));
        } else if (fmt == "g" || fmt == "f") {
            auto v = float64(name);
            t.add_float64(name, std::vector<double>(v.values.begin(), v.values.end()), std::move(v.valid));
        } else if (fmt == "b") {
            auto v = boolean(name);
            t.add_bool(name, std::vector<std::uint8_t>(v.values.begin(), v.values.end()), std::move(v.valid));
        } else if (fmt == "tdD" || fmt == "tdm") {
            auto v = days(name);
            t.add_date32(name, std::vector<std::int32_t>(v.values.begin(), v.values.end()), std::move(v.valid));
        } else if (fmt.rfind("ts", 0) == 0) {
            auto v = seconds(name);
            t.add_timestamp(name, std::vector<std::int64_t>(v.values.begin(), v.values.end()), std::move(v.valid));
        } else if (fmt == "u" || fmt == "U" || fmt == "vu" || fmt == "n") {
            // (the Arrow null type, a column with no value at all, reads as all-null text)
            t.add_strings(name, std::make_shared<const StringColumn>(strings(name)));
        } else {
            throw ValidationError(describe(name, fmt) + ": not a type an arrears table holds");
        }
    }
    return t;
}

}  // namespace arrears
