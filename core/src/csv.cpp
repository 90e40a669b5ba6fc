#include "arrears/csv.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "arrears/error.hpp"

namespace arrears {

std::string CsvProblem::message() const {
    std::string out = "line " + std::to_string(line);
    if (!column.empty()) out += ", column " + quote(column);
    return out + ": " + reason;
}

std::ptrdiff_t CsvTable::index_of(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<std::ptrdiff_t>(i);
    return -1;
}

namespace {

struct Record {
    std::vector<std::string> fields;
    std::size_t line = 0;
    bool unterminated = false;
};

// Reads one record starting at pos; advances pos and the line counter.
bool next_record(std::string_view text, std::size_t& pos, std::size_t& line, char delim, Record& rec) {
    rec.fields.clear();
    rec.unterminated = false;
    if (pos >= text.size()) return false;
    rec.line = line;
    std::string field;
    bool quoted = false, in_quotes = false, after_quote = false;
    while (pos < text.size()) {
        const char c = text[pos];
        if (in_quotes) {
            if (c == '"') {
                if (pos + 1 < text.size() && text[pos + 1] == '"') {
                    field += '"';
                    pos += 2;
                    continue;
                }
                in_quotes = false;
                after_quote = true;
                ++pos;
                continue;
            }
            if (c == '\n') ++line;
            field += c;
            ++pos;
            continue;
        }
        if (c == delim) {
            rec.fields.push_back(std::move(field));
            field.clear();
            quoted = after_quote = false;
            ++pos;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
            ++pos;
            ++line;
            rec.fields.push_back(std::move(field));
            return true;
        }
        if (c == '"' && field.empty() && !quoted) {
            quoted = in_quotes = true;
            ++pos;
            continue;
        }
        if (after_quote) {
            // text after a closing quote: keep it (lenient) but it is unusual; treat as literal
            after_quote = false;
        }
        field += c;
        ++pos;
    }
    if (in_quotes) rec.unterminated = true;
    rec.fields.push_back(std::move(field));
    return true;
}

bool blank(const Record& r) { return r.fields.size() == 1 && r.fields[0].empty(); }

}  // namespace

CsvTable read_csv(std::string_view text, std::string source, char delimiter) {
    CsvTable t;
    t.source = std::move(source);
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::size_t pos = 0, line = 1;
    Record rec;
    // Header: the first non-blank record.
    while (true) {
        if (!next_record(text, pos, line, delimiter, rec))
            throw ValidationError(t.source + ": the file is empty (no header row)");
        if (!blank(rec)) break;
    }
    if (rec.unterminated) throw ValidationError(t.source + " line " + std::to_string(rec.line) + ": unterminated quote in the header");
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
        std::string name = rec.fields[i];
        if (valid_utf8_prefix(name) != name.size())
            throw ValidationError(t.source + " line " + std::to_string(rec.line) + ": the header is not UTF-8 "
                                  "(save the file as UTF-8)");
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
        while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.erase(name.begin());
        if (name.empty())
            throw ValidationError(t.source + " line " + std::to_string(rec.line) + ": header column " +
                                  std::to_string(i + 1) + " has no name");
        for (const auto& h : t.header)
            if (h == name) throw ValidationError(t.source + ": duplicate header column " + quote(name));
        t.header.push_back(name);
    }
    t.columns.resize(t.header.size());
    while (next_record(text, pos, line, delimiter, rec)) {
        if (blank(rec)) continue;
        if (rec.unterminated) {
            t.problems.push_back({rec.line, "", "unterminated quote (the rest of the file is one field)"});
            break;
        }
        if (rec.fields.size() != t.header.size()) {
            t.problems.push_back({rec.line, "", "has " + std::to_string(rec.fields.size()) + " fields, the header has " +
                                                    std::to_string(t.header.size())});
            continue;
        }
        bool ok = true;
        for (std::size_t c = 0; c < rec.fields.size(); ++c) {
            const std::size_t good = valid_utf8_prefix(rec.fields[c]);
            if (good != rec.fields[c].size()) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(rec.fields[c][good]));
                t.problems.push_back({rec.line, t.header[c], std::string("is not UTF-8 (byte ") + hex + " at position " +
                                                                 std::to_string(good + 1) + "; save the file as UTF-8)"});
                ok = false;
                break;
            }
        }
        if (!ok) continue;
        for (std::size_t c = 0; c < rec.fields.size(); ++c) t.columns[c].push_back(rec.fields[c]);
        t.lines.push_back(rec.line);
    }
    return t;
}

CsvTable read_csv_file(const std::string& path, char delimiter) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) throw NotFoundError("csv: no file at " + quote(path));
    if (S_ISDIR(st.st_mode)) throw ValidationError("csv: " + quote(path) + " is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw StorageError(0, "csv: cannot read " + quote(path));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string name = path;
    if (auto slash = name.find_last_of('/'); slash != std::string::npos) name = name.substr(slash + 1);
    return read_csv(buffer.str(), name, delimiter);
}

}  // namespace arrears
