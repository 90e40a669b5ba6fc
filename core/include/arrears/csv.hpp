// CSV in: RFC 4180 (quoted fields, doubled quotes, CRLF or LF, newlines inside quotes), UTF-8
// with or without a BOM, a header row. Problems are reported with the file, line and column
// instead of failing the whole file, so an import can load the good rows and name the bad ones.
#pragma once

#include <cstdint>
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

}  // namespace arrears
