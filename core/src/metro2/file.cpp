// Metro 2 file writer (trailer totals computed) and tolerant line-based reader.
#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "arrears/error.hpp"
#include "arrears/metro2_file.hpp"
#include "metro2/codes.hpp"
#include "metro2/parallel.hpp"

namespace arrears {

namespace codes = metro2_codes;

namespace {

using TF = Metro2TrailerField;

constexpr std::size_t kTrailerFieldCount = std::size(kMetro2TrailerFields);

struct StatusTotal {
    std::string_view status;
    TF field;
};
constexpr StatusTotal kStatusTotals[] = {
    {"DF", TF::total_status_code_df}, {"DA", TF::total_status_code_da},
    {"05", TF::total_status_code_05}, {"11", TF::total_status_code_11},
    {"13", TF::total_status_code_13}, {"61", TF::total_status_code_61},
    {"62", TF::total_status_code_62}, {"63", TF::total_status_code_63},
    {"64", TF::total_status_code_64}, {"65", TF::total_status_code_65},
    {"71", TF::total_status_code_71}, {"78", TF::total_status_code_78},
    {"80", TF::total_status_code_80}, {"82", TF::total_status_code_82},
    {"83", TF::total_status_code_83}, {"84", TF::total_status_code_84},
    {"88", TF::total_status_code_88}, {"89", TF::total_status_code_89},
    {"93", TF::total_status_code_93}, {"94", TF::total_status_code_94},
    {"95", TF::total_status_code_95}, {"96", TF::total_status_code_96},
    {"97", TF::total_status_code_97},
};

constexpr std::size_t idx(TF f) { return static_cast<std::size_t>(f); }

bool digits_reported(std::string_view digits) { return codes::ssn_reported(digits); }

// "Do not count blank- or 9-filled segments": a J1/J2 counts when some value field holds
// something other than blanks, zeros or nines.
template <class Seg>
bool segment_reported(const Seg& s) {
    const auto fields = Seg::fields();
    const std::string_view image = s.image();
    for (const auto& f : fields) {
        if (!f.is_value()) continue;
        const std::string_view v = image.substr(f.offset(), f.length);
        if (v.find_first_not_of(" 09") != std::string_view::npos) return true;
    }
    return false;
}

template <class Seg>
void count_consumer(const Seg& s, std::array<std::int64_t, kTrailerFieldCount>& n, TF ssn_field,
                    TF dob_field) {
    using F = typename Seg::Field;
    if (s.text(F::ecoa_code) == "Z") ++n[idx(TF::total_ecoa_code_z)];
    if (codes::ssn_reported(s.text(F::social_security_number))) {
        ++n[idx(ssn_field)];
        ++n[idx(TF::total_social_security_numbers_all_segments)];
    }
    if (s.date(F::date_of_birth)) {
        ++n[idx(dob_field)];
        ++n[idx(TF::total_dates_of_birth_all_segments)];
    }
    if (digits_reported(s.text(F::telephone_number)))
        ++n[idx(TF::total_telephone_numbers_all_segments)];
}

[[noreturn]] void bad_newline(std::string_view nl) {
    throw ValidationError("newline: " + quote(nl) + " must be \"\\n\", \"\\r\\n\" or \"\"");
}

// The writer and the trailer work on DataRecords or on bare base segments (no appended
// segments): these overloads give both the same shape.
const BaseSegment& base_of(const DataRecord& r) { return r.base; }
const BaseSegment& base_of(const BaseSegment& b) { return b; }
std::size_t length_of(const DataRecord& r) { return r.length(); }
std::size_t length_of(const BaseSegment&) { return BaseSegment::length; }
void encode_record(const DataRecord& r, char* out) { r.encode_into(out); }
void encode_record(const BaseSegment& b, char* out) {
    std::memcpy(out, b.image().data(), BaseSegment::length);  // its RDW is already 0426
}
std::vector<Metro2Problem> validate_record(const DataRecord& r, std::optional<Date> as_of) {
    return r.validate(as_of);
}
std::vector<Metro2Problem> validate_record(const BaseSegment& b, std::optional<Date> as_of) {
    return DataRecord(b).validate(as_of);
}

void count_segments(const DataRecord& r, std::array<std::int64_t, kTrailerFieldCount>& n) {
    for (const auto& s : r.j1) {
        if (segment_reported(s)) ++n[idx(TF::total_consumer_segments_j1)];
        count_consumer(s, n, TF::total_social_security_numbers_j1_segments,
                       TF::total_dates_of_birth_j1_segments);
    }
    for (const auto& s : r.j2) {
        if (segment_reported(s)) ++n[idx(TF::total_consumer_segments_j2)];
        count_consumer(s, n, TF::total_social_security_numbers_j2_segments,
                       TF::total_dates_of_birth_j2_segments);
    }
    if (r.k1) ++n[idx(TF::total_original_creditor_segments)];
    if (r.k2) ++n[idx(TF::total_purchased_to_segments)];
    if (r.k3) ++n[idx(TF::total_mortgage_information_segments)];
    if (r.k4) ++n[idx(TF::total_payment_information_segments)];
    if (r.l1) ++n[idx(TF::total_change_segments)];
    if (r.n1) ++n[idx(TF::total_employment_segments)];
}
void count_segments(const BaseSegment&, std::array<std::int64_t, kTrailerFieldCount>&) {}

// "****6789": enough to find the account, never an SSN held in it.
std::string masked_account(const BaseSegment& b) {
    const std::string_view a = b.text(Metro2BaseField::consumer_account_number);
    if (codes::account_holds_ssn(a, b.text(Metro2BaseField::social_security_number)))
        return "<masked>";
    return "'****" + std::string(a.substr(a.size() > 4 ? a.size() - 4 : 0)) + "'";
}

template <class Rec>
TrailerRecord trailer_for(std::span<const Rec* const> records) {
    std::array<std::int64_t, kTrailerFieldCount> n{};
    for (const Rec* r : records) {
        const BaseSegment& base = base_of(*r);
        ++n[idx(TF::total_base_records)];
        const std::string_view status = base.text(Metro2BaseField::account_status);
        for (const auto& st : kStatusTotals)
            if (st.status == status) ++n[idx(st.field)];
        count_consumer(base, n, TF::total_social_security_numbers_base_segments,
                       TF::total_dates_of_birth_base_segments);
        count_segments(*r, n);
    }
    // "the number of blocks on the file": moov writes base records + 2 (header and trailer).
    n[idx(TF::block_count)] = static_cast<std::int64_t>(records.size()) + 2;
    TrailerRecord t;
    for (std::size_t i = 0; i < kTrailerFieldCount; ++i)
        if (kMetro2TrailerFields[i].type == Metro2FieldType::count) t.set_number_at(i, n[i]);
    return t;
}

template <class Rec>
void write_file(const HeaderRecord& header, std::span<const Rec* const> records,
                const Metro2WriteOptions& options, const Metro2Buffer& buffer) {
    const std::string_view nl = options.newline;
    if (nl != "\n" && nl != "\r\n" && !nl.empty()) bad_newline(nl);
    const std::size_t n = records.size();

    if (options.check) {
        const auto activity = header.date(Metro2HeaderField::activity_date);
        std::vector<Metro2Problem> problems = validate_segment(header, std::nullopt, "header.");
        for (auto& q : problems) q.message += " [" + q.code + "]";
        const std::size_t chunks = metro2_detail::thread_count(options.threads, n, 2048);
        std::vector<std::vector<Metro2Problem>> found(chunks);
        metro2_detail::parallel_chunks(n, chunks, [&](std::size_t c, std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                auto p = validate_record(*records[i], activity);
                for (auto& q : p) {
                    q.message = "record " + std::to_string(i) + " (account " +
                                masked_account(base_of(*records[i])) + "): " + q.message + " [" +
                                q.code + "]";
                    found[c].push_back(std::move(q));
                }
            }
        });
        for (auto& f : found) problems.insert(problems.end(), f.begin(), f.end());
        if (!problems.empty()) {
            std::string msg = "write_file: " + std::to_string(problems.size()) +
                              " problem(s); nothing was written (pass check=False to write "
                              "anyway): ";
            for (std::size_t i = 0; i < problems.size() && i < 5; ++i)
                msg += (i ? "; " : "") + problems[i].message;
            if (problems.size() > 5) msg += "; ...";
            throw ValidationError(msg);
        }
    }

    const TrailerRecord trailer = trailer_for(records);
    std::vector<std::size_t> offsets(n + 1);
    std::size_t pos = HeaderRecord::length + nl.size();
    for (std::size_t i = 0; i < n; ++i) {
        offsets[i] = pos;
        pos += length_of(*records[i]) + nl.size();
    }
    offsets[n] = pos;
    char* out = buffer(pos + TrailerRecord::length + nl.size());
    std::memcpy(out, header.image().data(), HeaderRecord::length);
    std::memcpy(out + HeaderRecord::length, nl.data(), nl.size());
    const std::size_t chunks = metro2_detail::thread_count(options.threads, n, 4096);
    metro2_detail::parallel_chunks(n, chunks, [&](std::size_t, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            encode_record(*records[i], out + offsets[i]);
            std::memcpy(out + offsets[i + 1] - nl.size(), nl.data(), nl.size());
        }
    });
    std::memcpy(out + offsets[n], trailer.image().data(), TrailerRecord::length);
    std::memcpy(out + offsets[n] + TrailerRecord::length, nl.data(), nl.size());
}

template <class Rec>
std::string write_string(const HeaderRecord& header, std::span<const Rec* const> records,
                         const Metro2WriteOptions& options) {
    std::string out;
    write_file(header, records, options, [&out](std::size_t size) {
        out.resize(size);
        return out.data();
    });
    return out;
}

template <class Rec>
std::vector<const Rec*> pointers(std::span<const Rec> records) {
    std::vector<const Rec*> ptrs;
    ptrs.reserve(records.size());
    for (const auto& r : records) ptrs.push_back(&r);
    return ptrs;
}

}  // namespace

TrailerRecord compute_metro2_trailer(std::span<const DataRecord* const> records) {
    return trailer_for(records);
}
TrailerRecord compute_metro2_trailer(std::span<const BaseSegment* const> records) {
    return trailer_for(records);
}
TrailerRecord compute_metro2_trailer(std::span<const DataRecord> records) {
    const auto ptrs = pointers(records);
    return trailer_for(std::span<const DataRecord* const>(ptrs));
}

std::string write_metro2_file(const HeaderRecord& header,
                              std::span<const DataRecord* const> records,
                              const Metro2WriteOptions& options) {
    return write_string(header, records, options);
}
std::string write_metro2_file(const HeaderRecord& header,
                              std::span<const BaseSegment* const> records,
                              const Metro2WriteOptions& options) {
    return write_string(header, records, options);
}
std::string write_metro2_file(const HeaderRecord& header, std::span<const DataRecord> records,
                              const Metro2WriteOptions& options) {
    const auto ptrs = pointers(records);
    return write_string(header, std::span<const DataRecord* const>(ptrs), options);
}
void write_metro2_file(const HeaderRecord& header, std::span<const DataRecord* const> records,
                       const Metro2WriteOptions& options, const Metro2Buffer& buffer) {
    write_file(header, records, options, buffer);
}
void write_metro2_file(const HeaderRecord& header, std::span<const BaseSegment* const> records,
                       const Metro2WriteOptions& options, const Metro2Buffer& buffer) {
    write_file(header, records, options, buffer);
}

// ---- reader ----------------------------------------------------------------------------------

namespace {

// How the records are laid out in the file (CRRG, file structure):
//   lines   one record per line (the layout write_file produces)
//   records records back to back, each as long as its RDW says (no line breaks)
//   blocks  variable-blocked: each block starts with a 4-digit Block Descriptor Word (the block
//           length, its own 4 bytes included) and holds records back to back
enum class Layout { lines, records, blocks };

// A record as found in the file: its bytes, its number (the line in a line-separated file, the
// record's ordinal otherwise) and the offset of its first byte.
struct Line {
    std::string_view text;
    std::int64_t number;
    std::size_t offset;
};

bool is_header_line(std::string_view l) { return l.size() >= 10 && l.substr(4, 6) == "HEADER"; }
bool is_trailer_line(std::string_view l) { return l.size() >= 11 && l.substr(4, 7) == "TRAILER"; }

bool four_digits(std::string_view s, std::size_t at) {
    if (at + 4 > s.size()) return false;
    for (std::size_t i = at; i < at + 4; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}
std::size_t four_digit_value(std::string_view s, std::size_t at) {
    std::size_t v = 0;
    for (std::size_t i = at; i < at + 4; ++i) v = v * 10 + static_cast<std::size_t>(s[i] - '0');
    return v;
}

// "line 3" or "record 3 (byte 853)": where a problem is, in the file's own terms.
std::string where(Layout layout, std::int64_t number, std::size_t offset) {
    if (layout == Layout::lines) return "line " + std::to_string(number);
    return "record " + std::to_string(number) + " (byte " + std::to_string(offset + 1) + ")";
}
std::string where(Layout layout, const Line& l) { return where(layout, l.number, l.offset); }

void tag(std::vector<Metro2Problem>& problems, std::size_t from, Layout layout, const Line& line) {
    const std::string at = where(layout, line);
    for (std::size_t i = from; i < problems.size(); ++i) {
        problems[i].line = line.number;
        problems[i].message = at + ": " + problems[i].message;
    }
}

// Header or trailer: 426 bytes, or longer with blank padding (fixed-length files pad them to the
// data record length). The RDW must equal the physical length.
template <class Rec>
std::optional<Rec> read_control(const Line& line, Layout layout,
                                std::vector<Metro2Problem>& problems, std::string_view prefix) {
    const std::size_t from = problems.size();
    std::string_view t = line.text;
    std::optional<Rec> rec;
    if (t.size() > Rec::length &&
        t.substr(Rec::length).find_first_not_of(' ') == std::string_view::npos) {
        rec = Rec::decode(t.substr(0, Rec::length), problems, prefix);
    } else {
        rec = Rec::decode(t, problems, prefix);
    }
    if (rec && four_digits(t, 0) && four_digit_value(t, 0) != t.size())
        problems.push_back({std::string(prefix) + "record_descriptor_word", "rdw_mismatch",
                            std::string(prefix) + "record_descriptor_word: says " +
                                std::string(t.substr(0, 4)) + " but the record is " +
                                std::to_string(t.size()) + " bytes",
                            0});
    tag(problems, from, layout, line);
    return rec;
}

// A file whose first record the character format cannot describe: packed (binary RDW/BDW: bytes
// 3-4, or 7-8 after a BDW, are binary zeros, as in "016E0000") or EBCDIC ("0426" is F0F4F2F6).
// One problem says so instead of a field error for every byte of every record.
bool foreign_format(std::string_view text, std::vector<Metro2Problem>& problems) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    if ((text.size() >= 4 && byte(2) == 0 && byte(3) == 0) ||
        (text.size() >= 8 && byte(6) == 0 && byte(7) == 0)) {
        problems.push_back(
            {"", "packed_format",
             "the file looks like the Metro 2 packed format (bytes 3-4 or 7-8 are binary "
             "zeros, as in a binary record or block descriptor word; packed dates and amounts, "
             "366-byte base segments): only the character format (426-byte base segments, all "
             "text) is read; ask the sender for it",
             0});
        return true;
    }
    if (text.size() >= 4 && byte(0) >= 0xF0 && byte(0) <= 0xF9 && byte(1) >= 0xF0 &&
        byte(1) <= 0xF9 && byte(2) >= 0xF0 && byte(2) <= 0xF9 && byte(3) >= 0xF0 &&
        byte(3) <= 0xF9) {
        problems.push_back({"", "ebcdic",
                            "the file is EBCDIC (its record descriptor word is EBCDIC digits); "
                            "convert it to ASCII first",
                            0});
        return true;
    }
    return false;
}

Layout detect_layout(std::string_view text) {
    // moov-io/metro2 detects a variable-blocked file by "HEADER" after two descriptor words.
    if (four_digits(text, 0) && four_digits(text, 4) && text.size() >= 14 &&
        text.substr(8, 6) == "HEADER")
        return Layout::blocks;
    // Back to back: the first line is longer than its RDW says, and another RDW follows it.
    if (four_digits(text, 0)) {
        const std::size_t rdw = four_digit_value(text, 0);
        std::size_t first = text.find('\n');
        if (first == std::string_view::npos) first = text.size();
        if (first > 0 && text[first - 1] == '\r') --first;
        if (rdw >= 4 && first > rdw && four_digits(text, rdw)) return Layout::records;
    }
    return Layout::lines;
}

void split_lines(std::string_view text, std::vector<Line>& lines,
                 std::vector<Metro2Problem>& problems) {
    lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
    std::size_t start = 0;
    std::int64_t number = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        std::string_view l = text.substr(
            start, end == std::string_view::npos ? text.size() - start : end - start);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        ++number;
        if (l.empty()) {
            problems.push_back({"", "empty_line", "line " + std::to_string(number) + ": is empty",
                                number});
        } else {
            lines.push_back({l, number, start});
        }
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
}

// Records back to back in text[begin, end), each as long as its RDW; line breaks between records
// are skipped. A record that cannot be delimited ends the reading: nothing after it can be found.
// Returns false when reading stopped early.
bool split_chained(std::string_view text, std::size_t begin, std::size_t end, Layout layout,
                   std::int64_t& number, std::vector<Line>& lines,
                   std::vector<Metro2Problem>& problems, std::string_view container) {
    std::size_t pos = begin;
    while (pos < end) {
        if (text[pos] == '\n' || text[pos] == '\r') {
            ++pos;
            continue;
        }
        ++number;
        const std::string at = where(layout, number, pos);
        if (!four_digits(text, pos) || pos + 4 > end) {
            problems.push_back(
                {"record_descriptor_word", "invalid_rdw",
                 at + ": record_descriptor_word: " + quote(text.substr(pos, std::min<std::size_t>(4, end - pos))) +
                     " is not four digits; without line breaks a record is found by its RDW, "
                     "so the " + std::to_string(end - pos) + " bytes from here on are not read",
                 number});
            return false;
        }
        const std::size_t len = four_digit_value(text, pos);
        if (len <= 4 || pos + len > end) {
            problems.push_back(
                {"record_descriptor_word", len <= 4 ? "invalid_rdw" : "truncated_record",
                 at + ": record_descriptor_word: says " + std::to_string(len) + " bytes but " +
                     std::string(container) + " has " + std::to_string(end - pos) +
                     " bytes left; the " + std::to_string(end - pos) +
                     " bytes from here on are not read",
                 number});
            return false;
        }
        lines.push_back({text.substr(pos, len), number, pos});
        pos += len;
    }
    return true;
}

void split_blocks(std::string_view text, std::vector<Line>& lines,
                  std::vector<Metro2Problem>& problems) {
    std::size_t pos = 0;
    std::int64_t number = 0;
    std::int64_t block = 0;
    while (pos < text.size()) {
        if (text[pos] == '\n' || text[pos] == '\r') {
            ++pos;
            continue;
        }
        ++block;
        const std::string at = "block " + std::to_string(block) + " (byte " +
                               std::to_string(pos + 1) + ")";
        const std::size_t len = four_digits(text, pos) ? four_digit_value(text, pos) : 0;
        if (len <= 8 || pos + len > text.size()) {
            problems.push_back(
                {"block_descriptor_word", len == 0 ? "invalid_bdw" : "truncated_block",
                 at + ": block_descriptor_word: " +
                     (len == 0 ? quote(text.substr(pos, 4)) + " is not four digits"
                               : "says " + std::to_string(len) + " bytes but the file has " +
                                     std::to_string(text.size() - pos) + " bytes left") +
                     "; the " + std::to_string(text.size() - pos) +
                     " bytes from here on are not read",
                 number + 1});
            return;
        }
        if (!split_chained(text, pos + 4, pos + len, Layout::blocks, number, lines, problems,
                           at))
            return;
        pos += len;
    }
}

}  // namespace

Metro2File parse_metro2_file(std::string_view text, bool validate, unsigned threads) {
    Metro2File file;
    std::vector<Metro2Problem> problems;
    if (foreign_format(text, problems)) {
        file.problems = std::move(problems);
        return file;
    }
    const Layout layout = detect_layout(text);
    std::vector<Line> lines;
    if (layout == Layout::lines) {
        split_lines(text, lines, problems);
    } else if (layout == Layout::records) {
        std::int64_t number = 0;
        split_chained(text, 0, text.size(), layout, number, lines, problems, "the file");
    } else {
        split_blocks(text, lines, problems);
    }
    if (lines.empty()) {
        problems.push_back({"", "empty_file", "the file has no records", 0});
        file.problems = std::move(problems);
        return file;
    }

    // Header: the first record; trailer: the last.
    std::vector<Line> data;
    data.reserve(lines.size());
    std::optional<Line> trailer_line;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        if (is_header_line(l.text)) {
            if (i == 0) {
                file.header = read_control<HeaderRecord>(l, layout, problems, "header.");
            } else {
                problems.push_back({"header", "misplaced_header",
                                    where(layout, l) + ": a header record after the first " +
                                        (layout == Layout::lines ? "line" : "record") +
                                        " (skipped)",
                                    l.number});
            }
        } else if (is_trailer_line(l.text)) {
            if (i + 1 != lines.size() || trailer_line) {
                problems.push_back({"trailer", "misplaced_trailer",
                                    where(layout, l) + ": a trailer record before the last " +
                                        (layout == Layout::lines ? "line" : "record") +
                                        " (skipped)",
                                    l.number});
            } else {
                trailer_line = l;
            }
        } else {
            if (i == 0)
                problems.push_back({"header", "missing_header",
                                    where(layout, l) +
                                        ": the file does not start with a header record",
                                    l.number});
            data.push_back(l);
        }
    }

    const std::optional<Date> activity =
        file.header ? file.header->date(Metro2HeaderField::activity_date) : std::nullopt;
    if (validate && file.header) {
        const std::size_t from = problems.size();
        auto p = validate_segment(*file.header, std::nullopt, "header.");
        problems.insert(problems.end(), p.begin(), p.end());
        tag(problems, from, layout, lines.front());
    }

    struct Chunk {
        std::vector<DataRecord> records;
        std::vector<std::int64_t> lines;
        std::vector<Metro2Problem> problems;
    };
    const std::size_t chunks = metro2_detail::thread_count(threads, data.size(), 2048);
    std::vector<Chunk> parts(chunks);
    metro2_detail::parallel_chunks(data.size(), chunks, [&](std::size_t c, std::size_t b, std::size_t e) {
        Chunk& part = parts[c];
        part.records.reserve(e - b);
        part.lines.reserve(e - b);
        for (std::size_t i = b; i < e; ++i) {
            const std::size_t from = part.problems.size();
            auto r = DataRecord::decode(data[i].text, part.problems);
            if (r && validate) {
                auto p = r->validate(activity);
                part.problems.insert(part.problems.end(), std::make_move_iterator(p.begin()),
                                     std::make_move_iterator(p.end()));
            }
            tag(part.problems, from, layout, data[i]);
            if (r) {
                part.records.push_back(std::move(*r));
                part.lines.push_back(data[i].number);
            }
        }
    });
    std::size_t total = 0;
    for (const auto& part : parts) total += part.records.size();
    file.records.reserve(total);
    file.record_lines.reserve(total);
    for (auto& part : parts) {
        file.records.insert(file.records.end(), std::make_move_iterator(part.records.begin()),
                            std::make_move_iterator(part.records.end()));
        file.record_lines.insert(file.record_lines.end(), part.lines.begin(), part.lines.end());
        problems.insert(problems.end(), std::make_move_iterator(part.problems.begin()),
                        std::make_move_iterator(part.problems.end()));
    }

    if (trailer_line) {
        file.trailer = read_control<TrailerRecord>(*trailer_line, layout, problems, "trailer.");
        if (file.trailer) {
            const TrailerRecord expected = compute_metro2_trailer(std::span<const DataRecord>(file.records));
            for (std::size_t i = 0; i < kTrailerFieldCount; ++i) {
                const Metro2Field& f = kMetro2TrailerFields[i];
                if (f.type != Metro2FieldType::count) continue;
                const auto said = file.trailer->number_at(i), got = expected.number_at(i);
                if (said != got)
                    problems.push_back({"trailer." + std::string(f.name), "trailer_mismatch",
                                        where(layout, *trailer_line) + ": trailer." +
                                            std::string(f.name) + ": the trailer says " +
                                            std::to_string(said) + ", the records read give " +
                                            std::to_string(got),
                                        trailer_line->number});
            }
        }
    } else {
        problems.push_back({"trailer", "missing_trailer",
                            where(layout, lines.back()) +
                                ": the file does not end with a trailer record",
                            lines.back().number});
    }

    std::stable_sort(problems.begin(), problems.end(),
                     [](const Metro2Problem& a, const Metro2Problem& b) { return a.line < b.line; });
    file.problems = std::move(problems);
    return file;
}

}  // namespace arrears
