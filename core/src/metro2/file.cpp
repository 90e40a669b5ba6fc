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

struct Line {
    std::string_view text;
    std::int64_t number;
};

bool is_header_line(std::string_view l) { return l.size() >= 10 && l.substr(4, 6) == "HEADER"; }
bool is_trailer_line(std::string_view l) { return l.size() >= 11 && l.substr(4, 7) == "TRAILER"; }

void tag(std::vector<Metro2Problem>& problems, std::size_t from, std::int64_t line) {
    for (std::size_t i = from; i < problems.size(); ++i) {
        problems[i].line = line;
        problems[i].message = "line " + std::to_string(line) + ": " + problems[i].message;
    }
}

// Header or trailer: 426 characters, or longer with blank padding (fixed-length files pad them
// to the data record length). The RDW must equal the physical length.
template <class Rec>
std::optional<Rec> read_control(const Line& line, std::vector<Metro2Problem>& problems,
                                std::string_view prefix) {
    const std::size_t from = problems.size();
    std::string_view t = line.text;
    std::optional<Rec> rec;
    if (t.size() > Rec::length &&
        t.substr(Rec::length).find_first_not_of(' ') == std::string_view::npos) {
        rec = Rec::decode(t.substr(0, Rec::length), problems, prefix);
    } else {
        rec = Rec::decode(t, problems, prefix);
    }
    const std::string_view rdw = t.substr(0, 4);
    if (rec && rdw.find_first_not_of("0123456789") == std::string_view::npos &&
        std::stoul(std::string(rdw)) != t.size())
        problems.push_back({std::string(prefix) + "record_descriptor_word", "rdw_mismatch",
                            std::string(prefix) + "record_descriptor_word: says " +
                                std::string(rdw) + " but the record is " +
                                std::to_string(t.size()) + " characters",
                            0});
    tag(problems, from, line.number);
    return rec;
}

}  // namespace

Metro2File parse_metro2_file(std::string_view text, bool validate, unsigned threads) {
    Metro2File file;
    std::vector<Line> lines;
    lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
    std::vector<Metro2Problem> problems;
    {
        std::size_t start = 0;
        std::int64_t number = 0;
        while (start < text.size()) {
            const std::size_t end = text.find('\n', start);
            std::string_view l = text.substr(start, end == std::string_view::npos ? text.size() - start
                                                                                  : end - start);
            if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
            ++number;
            if (l.empty()) {
                problems.push_back({"", "empty_line", "line " + std::to_string(number) + ": is empty",
                                    number});
            } else {
                lines.push_back({l, number});
            }
            if (end == std::string_view::npos) break;
            start = end + 1;
        }
    }
    if (lines.empty()) {
        problems.push_back({"", "empty_file", "the file has no records", 0});
        file.problems = std::move(problems);
        return file;
    }

    // Header: the first line; trailer: the last line.
    std::vector<Line> data;
    data.reserve(lines.size());
    std::optional<Line> trailer_line;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        if (is_header_line(l.text)) {
            if (i == 0) {
                file.header = read_control<HeaderRecord>(l, problems, "header.");
            } else {
                problems.push_back({"header", "misplaced_header",
                                    "line " + std::to_string(l.number) +
                                        ": a header record after the first line (skipped)",
                                    l.number});
            }
        } else if (is_trailer_line(l.text)) {
            if (i + 1 != lines.size() || trailer_line) {
                problems.push_back({"trailer", "misplaced_trailer",
                                    "line " + std::to_string(l.number) +
                                        ": a trailer record before the last line (skipped)",
                                    l.number});
            } else {
                trailer_line = l;
            }
        } else {
            if (i == 0)
                problems.push_back({"header", "missing_header",
                                    "line " + std::to_string(l.number) +
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
        tag(problems, from, lines.front().number);
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
            tag(part.problems, from, data[i].number);
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
        file.trailer = read_control<TrailerRecord>(*trailer_line, problems, "trailer.");
        if (file.trailer) {
            const TrailerRecord expected = compute_metro2_trailer(std::span<const DataRecord>(file.records));
            for (std::size_t i = 0; i < kTrailerFieldCount; ++i) {
                const Metro2Field& f = kMetro2TrailerFields[i];
                if (f.type != Metro2FieldType::count) continue;
                const auto said = file.trailer->number_at(i), got = expected.number_at(i);
                if (said != got)
                    problems.push_back({"trailer." + std::string(f.name), "trailer_mismatch",
                                        "line " + std::to_string(trailer_line->number) +
                                            ": trailer." + std::string(f.name) + ": the trailer says " +
                                            std::to_string(said) + ", the records read give " +
                                            std::to_string(got),
                                        trailer_line->number});
            }
        }
    } else {
        problems.push_back({"trailer", "missing_trailer",
                            "line " + std::to_string(lines.back().number) +
                                ": the file does not end with a trailer record",
                            lines.back().number});
    }

    std::stable_sort(problems.begin(), problems.end(),
                     [](const Metro2Problem& a, const Metro2Problem& b) { return a.line < b.line; });
    file.problems = std::move(problems);
    return file;
}

}  // namespace arrears
