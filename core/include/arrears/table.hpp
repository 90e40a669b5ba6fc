// Table: an owned columnar result (struct of arrays) that leaves the core as Arrow through the C
// Stream Interface, so pyarrow, pandas, polars and DuckDB read it without copies. Columns are
// moved in (no copy); nulls are a per-row validity vector (1 = value present).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "arrears/arrow_c.hpp"
#include "arrears/date.hpp"
#include "arrears/string_column.hpp"

namespace arrears {

enum class ColumnType : std::uint8_t {
    int64,      // Arrow "l"
    int32,      // Arrow "i"
    float64,    // Arrow "g" (scores, rates for display; never money)
    boolean,    // Arrow "b" (stored one byte per row, exported as a bitmap)
    date32,     // Arrow "tdD": days since 1970-01-01
    timestamp,  // Arrow "tss:UTC": seconds since the epoch, UTC
    utf8,       // Arrow "u" (owned strings) or "U" (a shared StringColumn, zero-copy)
    dictionary, // Arrow "i" indices into a "u" dictionary (categories; pandas Categorical)
};

// Fixed-width values owned elsewhere (a portfolio column, an Arrow import) and kept alive by
// `owner`: exported without a copy.
struct BorrowedValues {
    const void* data = nullptr;
    std::size_t length = 0;
    std::shared_ptr<const void> owner;
};

// int32 codes into a shared list of category labels; code -1 is null.
struct DictionaryValues {
    std::vector<std::int32_t> codes;
    std::shared_ptr<const std::vector<std::string>> categories;
};
std::string_view to_string(ColumnType t) noexcept;

struct Column {
    std::string name;
    ColumnType type = ColumnType::int64;
    // int64 / timestamp: i64; int32 / date32: i32; float64: f64; boolean: u8; utf8: strings or a
    // shared StringColumn; dictionary: DictionaryValues; any fixed-width type: BorrowedValues.
    std::variant<std::vector<std::int64_t>, std::vector<std::int32_t>, std::vector<double>,
                 std::vector<std::uint8_t>, std::vector<std::string>,
                 std::shared_ptr<const StringColumn>, DictionaryValues, BorrowedValues>
        values;
    std::vector<std::uint8_t> valid;  // empty: no nulls; else one entry per row, 1 = present

    std::size_t size() const;
    std::int64_t null_count() const;
};

class Table {
public:
    Table() = default;

    std::size_t num_rows() const noexcept { return rows_; }
    std::size_t num_columns() const noexcept { return columns_.size(); }
    const std::vector<Column>& columns() const noexcept { return columns_; }
    const Column& column(std::string_view name) const;  // NotFoundError when absent

    // Each add_* moves the vector in; its length must match the rows of the first column, and
    // a non-empty `valid` must have the same length (ValidationError otherwise).
    Table& add_int64(std::string name, std::vector<std::int64_t> values,
                     std::vector<std::uint8_t> valid = {});
    Table& add_int32(std::string name, std::vector<std::int32_t> values,
                     std::vector<std::uint8_t> valid = {});
    Table& add_float64(std::string name, std::vector<double> values,
                       std::vector<std::uint8_t> valid = {});
    Table& add_bool(std::string name, std::vector<std::uint8_t> values,
                    std::vector<std::uint8_t> valid = {});
    // Days since 1970-01-01 (see days_since_epoch).
    Table& add_date32(std::string name, std::vector<std::int32_t> days,
                      std::vector<std::uint8_t> valid = {});
    Table& add_dates(std::string name, const std::vector<Date>& dates,
                     std::vector<std::uint8_t> valid = {});
    Table& add_timestamp(std::string name, std::vector<std::int64_t> seconds,
                         std::vector<std::uint8_t> valid = {});
    Table& add_utf8(std::string name, std::vector<std::string> values,
                    std::vector<std::uint8_t> valid = {});
    // Shares the strings (no copy); nulls come from the column's own validity.
    Table& add_strings(std::string name, std::shared_ptr<const StringColumn> strings);
    // Categorical labels: codes index `categories`; a code of -1 is null.
    Table& add_dictionary(std::string name, std::vector<std::int32_t> codes,
                          std::shared_ptr<const std::vector<std::string>> categories);
    // Fixed-width values owned elsewhere (type int64, int32, float64, date32 or timestamp).
    Table& add_borrowed(std::string name, ColumnType type, BorrowedValues values,
                        std::vector<std::uint8_t> valid = {});

    // Exports the table as a stream of one record batch. The table's memory is shared with the
    // stream (std::shared_ptr) and freed when the consumer releases the last array.
    static void export_stream(std::shared_ptr<const Table> table, ArrowArrayStream* out);

private:
    Table& add(Column column);
    std::vector<Column> columns_;
    std::size_t rows_ = 0;
};

std::int32_t days_since_epoch(Date d);
Date date_from_epoch_days(std::int32_t days);

}  // namespace arrears
