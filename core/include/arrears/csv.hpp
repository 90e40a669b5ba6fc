// CSV in and out. In: RFC 4180 (quoted fields, doubled quotes, CRLF or LF, newlines inside quotes), UTF-8
// with or without a BOM, a header row. Problems are reported with the file, line and column
// instead of failing the whole file, so an import can load the good rows and name the bad ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/string_column.hpp"
#include "arrears/utf8.hpp"  // valid_utf8_prefix

namespace arrears {

struct CsvProblem {
    std::size_t line = 0;  // 1-based physical line where the record starts
    std::string column;    // header name, or empty when the whole row is at fault
    std::string reason;
    std::string message() const;  // "line 12, column 'amount': ..."
};

struct CsvTable {
    std::string source;                    // file name or "<text>", for messages
    std::vector<std::string> header;
    std::vector<StringColumn> columns;     // one per header name; empty fields are "" (valid)
    std::vector<std::size_t> lines;        // the starting line of each kept record
    std::vector<CsvProblem> problems;      // records skipped because of their shape or encoding

    std::size_t rows() const noexcept { return lines.size(); }
    // Index of a header name, or -1.
    std::ptrdiff_t index_of(std::string_view name) const noexcept;
};

// Throws ValidationError for problems that leave nothing to read: no header row, an empty or
// duplicate header name, an invalid UTF-8 header. Record-level problems go to `problems`.
CsvTable read_csv(std::string_view text, std::string source = "<text>", char delimiter = ',');
// Reads a file (NotFoundError when missing, StorageError when unreadable).
CsvTable read_csv_file(const std::string& path, char delimiter = ',');

// CSV out: every CSV arrears writes goes through append_csv_field (the campaign's print-vendor
// file and index.csv, Store::export_csv, and through csv_text the worklists, reports, plan
// events and the CLI's --csv), so one rule keeps a spreadsheet from running a cell as a formula
// (CSV injection): a text cell whose first character is = + - @, a tab or a carriage return gets
// a leading apostrophe, unless the whole cell is a plain number ("-12.50", "+1e3", which a
// spreadsheet reads as the number it is). Cells of numeric columns (CsvCell::number) are written
// as they are. Then a field is quoted (RFC 4180: in double quotes, quotes doubled) when it holds
// a comma, a quote, CR or LF, or always for text cells with CsvQuote::text.
enum class CsvCell : std::uint8_t { text, number };
enum class CsvQuote : std::uint8_t { minimal, text };
void append_csv_field(std::string& out, std::string_view value, CsvCell cell = CsvCell::text,
                      CsvQuote quoting = CsvQuote::minimal);
// Whether a text cell gets the apostrophe.
bool csv_formula_risk(std::string_view value) noexcept;
// A whole CSV text: the header line, then one line per row of `columns` (all of one length; a
// nullopt cell is empty), each line ended by `newline`. kinds: one per column (empty: text).
std::string csv_text(const std::vector<std::string>& header,
                     const std::vector<std::vector<std::optional<std::string>>>& columns,
                     const std::vector<CsvCell>& kinds = {}, CsvQuote quoting = CsvQuote::minimal,
                     std::string_view newline = "\r\n");

}  // namespace arrears
