// ArrowImport: reads columns out of any Arrow C stream (pyarrow, pandas, polars, DuckDB ...)
// into the core's contiguous columns. Fixed-width columns of the right type in a single chunk
// are used in place (zero-copy, kept alive by the import); everything else is converted once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/arrow_c.hpp"
#include "arrears/string_column.hpp"
#include "arrears/table.hpp"

namespace arrears {

// A contiguous read-only column of T that either borrows Arrow memory (kept alive by `owner`)
// or owns its values. `valid` is empty when there are no nulls, else one byte per row.
template <class T>
struct ColumnData {
    std::span<const T> values;
    std::vector<T> owned;
    std::vector<std::uint8_t> valid;
    std::shared_ptr<const void> owner;

    std::size_t size() const noexcept { return values.size(); }
    bool is_valid(std::size_t i) const noexcept { return valid.empty() || valid[i] != 0; }
    bool has_nulls() const noexcept { return !valid.empty(); }
    bool borrowed() const noexcept { return owner != nullptr; }
    void own(std::vector<T> v) {
        owned = std::move(v);
        values = std::span<const T>(owned.data(), owned.size());
        owner.reset();
    }
};

class ArrowImport : public std::enable_shared_from_this<ArrowImport> {
public:
    // Takes ownership of the stream (moves it out; the source's release is set to null) and
    // reads every batch. Throws ValidationError when the stream is not a struct of columns or
    // reports an error.
    static std::shared_ptr<ArrowImport> read(ArrowArrayStream* stream);

    ~ArrowImport();
    ArrowImport(const ArrowImport&) = delete;
    ArrowImport& operator=(const ArrowImport&) = delete;

    std::size_t num_rows() const noexcept { return rows_; }
    std::vector<std::string> column_names() const;
    bool has_column(std::string_view name) const;
    // Arrow format string of a column ("l", "u", "tdD" ...); NotFoundError when absent.
    std::string format(std::string_view name) const;

    // Conversions; each throws ValidationError naming the column and its Arrow type when the
    // type cannot be read as asked, NotFoundError when the column is absent.
    // Integers of any width (signed or unsigned that fit) -> int64. Floats are refused.
    ColumnData<std::int64_t> int64(std::string_view name) const;
    // Any numeric -> double.
    ColumnData<double> float64(std::string_view name) const;
    // Booleans (and integers 0/1) -> 0/1 bytes.
    ColumnData<std::uint8_t> boolean(std::string_view name) const;
    // date32, date64 and timestamps of any unit (the UTC date of a zoned timestamp, the wall
    // date of a naive one) -> days since 1970-01-01.
    ColumnData<std::int32_t> days(std::string_view name) const;
    // utf8, large utf8, string view and dictionary-encoded strings -> StringColumn.
    StringColumn strings(std::string_view name) const;
    // Timestamps of any unit -> seconds since the epoch (floor).
    ColumnData<std::int64_t> seconds(std::string_view name) const;

    // Every column copied into an owned Table, keeping its kind (integers of 32 bits or fewer
    // stay int32, dates date32, timestamps seconds, strings utf8, dictionaries categories).
    Table to_table() const;

private:
    ArrowImport() = default;
    std::size_t index_of(std::string_view name) const;

    ArrowSchema schema_{};
    std::vector<ArrowArray> batches_;
    std::size_t rows_ = 0;
};

}  // namespace arrears
