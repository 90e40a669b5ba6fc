// A Metro 2 file: header record, one data record per account, trailer record; character format
// (CRRG, file structure). The writer computes the trailer and puts one record per line; the
// reader is tolerant: it reports malformed records with their place in the file and keeps going.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/metro2.hpp"

namespace arrears {

// Trailer totals for `records` (reference §2.2 trailer and its notes): base records, one count
// per account status, J1/J2 segments (blank segments not counted), ECOA Z across base/J1/J2,
// K1/K2/K3/K4/L1/N1 segments, SSNs (zero- or 9-filled not counted), dates of birth and
// telephone numbers per segment kind, and BlockCount = records + 2 (header and trailer, as moov
// writes it). OverflowError when a total exceeds nine digits.
TrailerRecord compute_metro2_trailer(std::span<const DataRecord> records);
TrailerRecord compute_metro2_trailer(std::span<const DataRecord* const> records);
// Bare base segments (records without appended segments), used in place.
TrailerRecord compute_metro2_trailer(std::span<const BaseSegment* const> records);

struct Metro2WriteOptions {
    // Validate the header and every record (as of the header's activity date) and refuse to
    // write a file with problems (ValidationError listing the first ones).
    bool check = true;
    // Line terminator after every record: "\n" (default), "\r\n", or "" (records back to back).
    std::string newline = "\n";
    // Threads for validating and encoding; 0 = hardware concurrency.
    unsigned threads = 0;
};

// Header, records and the computed trailer, one per line. The header and trailer are 426
// characters; each data record is as long as its RDW.
std::string write_metro2_file(const HeaderRecord& header, std::span<const DataRecord> records,
                              const Metro2WriteOptions& options = {});
std::string write_metro2_file(const HeaderRecord& header,
                              std::span<const DataRecord* const> records,
                              const Metro2WriteOptions& options = {});
// Bare base segments, written without copying them into DataRecords.
std::string write_metro2_file(const HeaderRecord& header,
                              std::span<const BaseSegment* const> records,
                              const Metro2WriteOptions& options = {});

// Writing into a buffer the caller owns (the Python binding writes straight into a str): the
// writer checks and sizes the file first, then calls `buffer(size)` once for `size` bytes to
// fill. Nothing is requested when a check fails.
using Metro2Buffer = std::function<char*(std::size_t size)>;
void write_metro2_file(const HeaderRecord& header, std::span<const DataRecord* const> records,
                       const Metro2WriteOptions& options, const Metro2Buffer& buffer);
void write_metro2_file(const HeaderRecord& header, std::span<const BaseSegment* const> records,
                       const Metro2WriteOptions& options, const Metro2Buffer& buffer);

struct Metro2File {
    std::optional<HeaderRecord> header;
    std::vector<DataRecord> records;
    std::vector<std::int64_t> record_lines;  // 1-based line (or ordinal, without line breaks)
    std::optional<TrailerRecord> trailer;
    std::vector<Metro2Problem> problems;     // sorted by line
};

// Tolerant reader of the character format, in any of the CRRG's layouts: one record per line
// ("\n", a trailing "\r" dropped; the layout write_metro2_file produces), records back to back
// without line breaks (each as long as its RDW says; detected when the first line is longer than
// its RDW and another RDW follows), or variable-blocked (each block starts with a 4-digit Block
// Descriptor Word giving the block's length, as moov-io/metro2 detects it: "HEADER" after two
// descriptor words). A header record starts "....HEADER", a trailer "....TRAILER"; every other
// record is a data record of 426 bytes plus appended segments (426, 526, 626 ...), optionally
// blank-padded. A record that cannot be read becomes a problem with its line (or, without line
// breaks, its ordinal and first byte: "record 3 (byte 853)") and is left out of `records`; a
// descriptor word that cannot delimit a record stops the reading there (invalid_rdw,
// truncated_record, invalid_bdw, truncated_block). RDW mismatches, blank numeric fields and
// trailer totals that disagree with the records are reported too. With `validate`, every
// record's rule problems are added (as of the header's activity date). A packed file (binary
// descriptor words) or an EBCDIC one is one problem (packed_format, ebcdic) and nothing else.
Metro2File parse_metro2_file(std::string_view text, bool validate = true, unsigned threads = 0);

}  // namespace arrears
