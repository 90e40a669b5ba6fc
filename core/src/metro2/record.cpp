// Field formatting for every Metro 2 segment, driven by the layout tables in metro2.hpp, and the
// data record (base segment + appended segments).
#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

#include "arrears/error.hpp"
#include "arrears/metro2.hpp"
#include "metro2/codes.hpp"

namespace arrears {

using namespace std::chrono;

std::string_view to_string(Metro2FieldType type) noexcept {
    switch (type) {
        case Metro2FieldType::rdw: return "rdw";
        case Metro2FieldType::identifier: return "identifier";
        case Metro2FieldType::reserved: return "reserved";
        case Metro2FieldType::alphanumeric: return "alphanumeric";
        case Metro2FieldType::digits: return "digits";
        case Metro2FieldType::count: return "count";
        case Metro2FieldType::money: return "money";
        case Metro2FieldType::date: return "date";
        case Metro2FieldType::timestamp: return "timestamp";
    }
    return "?";
}

std::string_view to_string(Metro2Requirement requirement) noexcept {
    switch (requirement) {
        case Metro2Requirement::required: return "required";
        case Metro2Requirement::applicable: return "applicable";
        case Metro2Requirement::optional: return "optional";
    }
    return "?";
}

namespace {

struct KindInfo {
    std::span<const Metro2Field> fields;
    std::string_view name;
    std::string_view identifier;
    std::size_t length;
};

template <Metro2SegmentKind K>
constexpr KindInfo info_of() {
    using L = Metro2Layout<K>;
    return {L::fields, L::name, L::identifier, L::length};
}

constexpr KindInfo kKinds[] = {
    info_of<Metro2SegmentKind::header>(), info_of<Metro2SegmentKind::base>(),
    info_of<Metro2SegmentKind::trailer>(), info_of<Metro2SegmentKind::j1>(),
    info_of<Metro2SegmentKind::j2>(),     info_of<Metro2SegmentKind::k1>(),
    info_of<Metro2SegmentKind::k2>(),     info_of<Metro2SegmentKind::k3>(),
    info_of<Metro2SegmentKind::k4>(),     info_of<Metro2SegmentKind::l1>(),
    info_of<Metro2SegmentKind::n1>(),
};

const KindInfo& info(Metro2SegmentKind kind) { return kKinds[static_cast<std::size_t>(kind)]; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_of(std::string_view s, char c) {
    return std::all_of(s.begin(), s.end(), [c](char x) { return x == c; });
}
bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }

// "(positions 298-306)"
std::string positions(const Metro2Field& f) {
    if (f.length == 1) return "(position " + std::to_string(f.start) + ")";
    return "(positions " + std::to_string(f.start) + "-" + std::to_string(f.end()) + ")";
}

// A value for a message: quoted, or masked for the SSN and date of birth, and for account
// numbers (one that breaks a rule may be the one holding an SSN).
std::string shown(const Metro2Field& f, std::string_view value) {
    if (f.is_sensitive()) return "the value (masked)";
    if (f.name == "consumer_account_number" || f.name == "new_consumer_account_number")
        return "the account number (not shown)";
    return quote(value);
}

void write_unsigned(char* out, std::size_t width, std::uint64_t v) {
    for (std::size_t i = width; i-- > 0;) {
        out[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
}

std::uint64_t read_unsigned(std::string_view s) {
    std::uint64_t v = 0;
    for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v;
}

void write_date(char* out, Date d) {
    write_unsigned(out, 2, static_cast<unsigned>(d.month()));
    write_unsigned(out + 2, 2, static_cast<unsigned>(d.day()));
    write_unsigned(out + 4, 4, static_cast<std::uint64_t>(static_cast<int>(d.year())));
}

std::optional<Date> read_date(std::string_view s) {  // MMDDYYYY; nullopt when invalid
    if (s.size() != 8 || !all_digits(s)) return std::nullopt;
    const auto m = static_cast<unsigned>(read_unsigned(s.substr(0, 2)));
    const auto d = static_cast<unsigned>(read_unsigned(s.substr(2, 2)));
    const auto y = static_cast<int>(read_unsigned(s.substr(4, 4)));
    const Date date{year{y}, month{m}, day{d}};
    if (!date.ok() || y < kMinYear) return std::nullopt;
    return date;
}

std::optional<Instant> read_timestamp(std::string_view s) {  // MMDDYYYYHHMMSS
    if (s.size() != 14) return std::nullopt;
    const auto d = read_date(s.substr(0, 8));
    if (!d || !all_digits(s.substr(8))) return std::nullopt;
    const auto hh = read_unsigned(s.substr(8, 2)), mm = read_unsigned(s.substr(10, 2)),
               ss = read_unsigned(s.substr(12, 2));
    if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
    return Instant{sys_days{*d} + hours{hh} + minutes{mm} + seconds{ss}};
}

std::uint64_t pow10(std::size_t n) {
    std::uint64_t p = 1;
    for (std::size_t i = 0; i < n; ++i) p *= 10;
    return p;
}

}  // namespace

std::string_view to_string(Metro2SegmentKind kind) noexcept { return info(kind).name; }

std::span<const Metro2Field> metro2_layout(Metro2SegmentKind kind) noexcept {
    return info(kind).fields;
}

std::size_t metro2_segment_length(Metro2SegmentKind kind) noexcept { return info(kind).length; }

std::int64_t metro2_whole_dollars(const Money& amount, RoundingMode mode, std::string_view field) {
    if (amount.currency().code() != "USD")
        throw ValidationError(std::string(field) + ": " + amount.repr() +
                              " is not in USD; Metro 2 amounts are whole US dollars");
    if (amount.is_negative()) return 0;  // "Credit balances (negative balances) ... as zero"
    return round_div(amount.minor(), amount.currency().scale(), mode);
}

std::string Metro2Problem::repr() const {
    std::string out = "Metro2Problem(field=" + quote(field) + ", code=" + quote(code) +
                      ", message=" + metro2_detail::quote_all(message);
    if (line > 0) out += ", line=" + std::to_string(line);
    return out + ")";
}

namespace metro2_detail {

std::string quote_all(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

void wrong_type(const Metro2Field& f, std::string_view wanted) {
    throw ValidationError(std::string(f.name) + ": is a " + std::string(to_string(f.type)) +
                          " field, not " + std::string(wanted));
}

void throw_problems(std::string_view what, const std::vector<Metro2Problem>& problems) {
    std::string msg(what);
    msg += ": ";
    std::size_t shown_count = 0;
    for (const auto& p : problems) {
        if (shown_count == 5) {
            msg += "; and " + std::to_string(problems.size() - 5) + " more";
            break;
        }
        msg += (shown_count++ ? "; " : "") + p.message;
    }
    if (problems.empty()) msg += "cannot be read";
    throw ValidationError(msg);
}

std::size_t find_field(std::span<const Metro2Field> fields, std::string_view name) {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].is_value() && fields[i].name == name) return i;
    return std::string_view::npos;
}

void fill_default(std::span<const Metro2Field> fields, Metro2SegmentKind kind, char* image) {
    const KindInfo& k = info(kind);
    for (const auto& f : fields) {
        char* p = image + f.offset();
        switch (f.type) {
            case Metro2FieldType::rdw: write_unsigned(p, f.length, k.length); break;
            case Metro2FieldType::identifier: std::memcpy(p, k.identifier.data(), f.length); break;
            case Metro2FieldType::reserved:
            case Metro2FieldType::alphanumeric: std::memset(p, ' ', f.length); break;
            case Metro2FieldType::digits:
            case Metro2FieldType::count:
            case Metro2FieldType::money:
            case Metro2FieldType::date:
            case Metro2FieldType::timestamp: std::memset(p, '0', f.length); break;
        }
    }
    // Base segment: "Processing Indicator: report a constant of 1" (CRRG, quoted by moov);
    // Correction Indicator 0 = normal update (reference §2.2 notes).
    if (kind == Metro2SegmentKind::base) image[4] = '1';
}

void set_text(const Metro2Field& f, char* image, std::string_view value) {
    char* p = image + f.offset();
    if (f.type == Metro2FieldType::alphanumeric) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            const auto c = static_cast<unsigned char>(value[i]);
            if (c < 0x20 || c > 0x7e)
                throw ValidationError(std::string(f.name) + ": " + shown(f, value) +
                                      " has a character that is not printable ASCII at index " +
                                      std::to_string(i) +
                                      " (Metro 2 character format is fixed-width ASCII)");
        }
        if (value.size() > f.length)
            throw ValidationError(std::string(f.name) + ": " + shown(f, value) + " is " +
                                  std::to_string(value.size()) + " characters; the field holds " +
                                  std::to_string(f.length) + " " + positions(f) +
                                  " and is never truncated");
        std::memcpy(p, value.data(), value.size());
        std::memset(p + value.size(), ' ', f.length - value.size());
        return;
    }
    if (f.type == Metro2FieldType::digits) {
        if (!all_digits(value))
            throw ValidationError(std::string(f.name) + ": " + shown(f, value) +
                                  " must be digits only");
        if (value.size() > f.length)
            throw ValidationError(std::string(f.name) + ": " + shown(f, value) + " is " +
                                  std::to_string(value.size()) + " digits; the field holds " +
                                  std::to_string(f.length) + " " + positions(f));
        const std::size_t pad = f.length - value.size();
        std::memset(p, '0', pad);
        std::memcpy(p + pad, value.data(), value.size());
        return;
    }
    wrong_type(f, "text");
}

void set_number(const Metro2Field& f, char* image, std::int64_t value) {
    if (f.type != Metro2FieldType::count && f.type != Metro2FieldType::money)
        wrong_type(f, "a number");
    if (value < 0)
        throw ValidationError(std::string(f.name) + ": " + std::to_string(value) +
                              " is negative; Metro 2 numbers are unsigned" +
                              (f.type == Metro2FieldType::money
                                   ? " (convert amounts with metro2_whole_dollars, which "
                                     "reports credit balances as zero)"
                                   : ""));
    const auto v = static_cast<std::uint64_t>(value);
    if (f.length < 19 && v >= pow10(f.length))
        throw OverflowError(std::string(f.name) + ": " + std::to_string(value) +
                            " does not fit in " + std::to_string(f.length) + " digits " +
                            positions(f));
    write_unsigned(image + f.offset(), f.length, v);
}

void set_money(const Metro2Field& f, char* image, const Money& value, RoundingMode mode) {
    if (f.type != Metro2FieldType::money) wrong_type(f, "an amount of money");
    set_number(f, image, metro2_whole_dollars(value, mode, f.name));
}

void set_date(const Metro2Field& f, char* image, std::optional<Date> value) {
    if (f.type != Metro2FieldType::date) wrong_type(f, "a date");
    char* p = image + f.offset();
    if (!value) {
        std::memset(p, '0', f.length);
        return;
    }
    if (!value->ok() || static_cast<int>(value->year()) < kMinYear ||
        static_cast<int>(value->year()) > kMaxYear)
        throw ValidationError(std::string(f.name) + ": not a valid date");
    write_date(p, *value);
}

void set_timestamp(const Metro2Field& f, char* image, std::optional<Instant> value) {
    if (f.type != Metro2FieldType::timestamp) wrong_type(f, "a timestamp");
    char* p = image + f.offset();
    if (!value) {
        std::memset(p, '0', f.length);
        return;
    }
    const auto day_start = floor<days>(*value);
    const Date d{day_start};
    if (!d.ok() || static_cast<int>(d.year()) < kMinYear ||
        static_cast<int>(d.year()) > kMaxYear)
        throw ValidationError(std::string(f.name) + ": " + to_iso(*value) +
                              " is outside years 1-9999");
    const hh_mm_ss<seconds> tod{*value - day_start};
    write_date(p, d);
    write_unsigned(p + 8, 2, static_cast<std::uint64_t>(tod.hours().count()));
    write_unsigned(p + 10, 2, static_cast<std::uint64_t>(tod.minutes().count()));
    write_unsigned(p + 12, 2, static_cast<std::uint64_t>(tod.seconds().count()));
}

std::string_view get_text(const Metro2Field& f, const char* image) {
    std::string_view s(image + f.offset(), f.length);
    if (f.type == Metro2FieldType::alphanumeric) {
        const auto last = s.find_last_not_of(' ');
        return last == std::string_view::npos ? std::string_view{} : s.substr(0, last + 1);
    }
    if (f.type == Metro2FieldType::digits || f.type == Metro2FieldType::identifier) return s;
    wrong_type(f, "text");
}

std::int64_t get_number(const Metro2Field& f, const char* image) {
    if (f.type != Metro2FieldType::count && f.type != Metro2FieldType::money &&
        f.type != Metro2FieldType::rdw)
        wrong_type(f, "a number");
    return static_cast<std::int64_t>(read_unsigned({image + f.offset(), f.length}));
}

std::optional<Date> get_date(const Metro2Field& f, const char* image) {
    if (f.type != Metro2FieldType::date) wrong_type(f, "a date");
    std::string_view s(image + f.offset(), f.length);
    if (all_of(s, '0')) return std::nullopt;
    return read_date(s);
}

std::optional<Instant> get_timestamp(const Metro2Field& f, const char* image) {
    if (f.type != Metro2FieldType::timestamp) wrong_type(f, "a timestamp");
    std::string_view s(image + f.offset(), f.length);
    if (all_of(s, '0')) return std::nullopt;
    return read_timestamp(s);
}

bool decode(std::span<const Metro2Field> fields, Metro2SegmentKind kind, std::string_view text,
            char* image, std::vector<Metro2Problem>& problems, std::string_view prefix) {
    const KindInfo& k = info(kind);
    auto add = [&](const Metro2Field* f, std::string code, std::string message) {
        std::string path(prefix);
        if (f) path += f->name;
        else if (!path.empty() && path.back() == '.') path.pop_back();
        problems.push_back({path, std::move(code),
                            (path.empty() ? std::string(k.name) : path) + ": " + message, 0});
    };
    if (text.size() != k.length) {
        add(nullptr, "wrong_length",
            std::string(k.name) + " is " + std::to_string(k.length) + " bytes, got " +
                std::to_string(text.size()));
        return false;
    }
    bool ok = true;
    for (const auto& f : fields) {
        const std::string_view s = text.substr(f.offset(), f.length);
        char* p = image + f.offset();
        switch (f.type) {
            case Metro2FieldType::rdw: write_unsigned(p, f.length, k.length); break;
            case Metro2FieldType::identifier:
                if (s != k.identifier) {
                    add(&f, "wrong_identifier",
                        quote(s) + " " + positions(f) + " is not " + quote(k.identifier));
                    ok = false;
                }
                std::memcpy(p, k.identifier.data(), f.length);
                break;
            case Metro2FieldType::reserved: std::memset(p, ' ', f.length); break;
            case Metro2FieldType::alphanumeric: {
                bool printable = true;
                for (char c : s) {
                    const auto uc = static_cast<unsigned char>(c);
                    printable = printable && uc >= 0x20 && uc <= 0x7e;
                }
                if (!printable) {
                    add(&f, "not_printable",
                        shown(f, s) + " " + positions(f) + " has a byte that is not printable ASCII");
                    ok = false;
                }
                std::memcpy(p, s.data(), f.length);
                break;
            }
            case Metro2FieldType::digits:
            case Metro2FieldType::count:
            case Metro2FieldType::money:
            case Metro2FieldType::date:
            case Metro2FieldType::timestamp: {
                if (all_of(s, ' ')) {
                    add(&f, "blank_numeric",
                        std::string("blank ") + positions(f) +
                            "; numeric fields are zero-filled (read as zero)");
                    std::memset(p, '0', f.length);
                    break;
                }
                if (!all_digits(s)) {
                    add(&f, "not_digits", shown(f, s) + " " + positions(f) + " is not all digits");
                    ok = false;
                    std::memset(p, '0', f.length);
                    break;
                }
                if (f.type == Metro2FieldType::date && !all_of(s, '0') && !read_date(s)) {
                    add(&f, "invalid_date",
                        shown(f, s) + " " + positions(f) + " is not a valid MMDDYYYY date");
                    ok = false;
                    std::memset(p, '0', f.length);
                    break;
                }
                if (f.type == Metro2FieldType::timestamp && !all_of(s, '0') && !read_timestamp(s)) {
                    add(&f, "invalid_timestamp",
                        shown(f, s) + " " + positions(f) + " is not a valid MMDDYYYYHHMMSS time");
                    ok = false;
                    std::memset(p, '0', f.length);
                    break;
                }
                std::memcpy(p, s.data(), f.length);
                break;
            }
        }
    }
    return ok;
}

std::string repr(std::span<const Metro2Field> fields, Metro2SegmentKind kind, const char* image) {
    const KindInfo& k = info(kind);
    std::string blank(k.length, ' ');
    fill_default(fields, kind, blank.data());
    std::string out(k.name);
    out += '(';
    bool first = true;
    for (const auto& f : fields) {
        if (!f.is_value()) continue;
        const std::string_view now(image + f.offset(), f.length);
        if (now == std::string_view(blank).substr(f.offset(), f.length)) continue;
        out += first ? "" : ", ";
        first = false;
        out += f.name;
        out += '=';
        if (f.is_sensitive()) {
            out += "<masked>";
            continue;
        }
        if (kind == Metro2SegmentKind::base && f.name == "consumer_account_number" &&
            metro2_codes::account_holds_ssn(
                get_text(f, image),
                get_text(fields[metro2_detail::find_field(fields, "social_security_number")], image))) {
            out += "<masked: holds the SSN>";
            continue;
        }
        switch (f.type) {
            case Metro2FieldType::alphanumeric:
            case Metro2FieldType::digits: out += quote(get_text(f, image)); break;
            case Metro2FieldType::count:
            case Metro2FieldType::money: out += std::to_string(get_number(f, image)); break;
            case Metro2FieldType::date: {
                const auto d = get_date(f, image);
                out += d ? to_iso(*d) : "None";
                break;
            }
            case Metro2FieldType::timestamp: {
                const auto t = get_timestamp(f, image);
                out += t ? to_iso(*t) : "None";
                break;
            }
            default: break;
        }
    }
    return out + ")";
}

}  // namespace metro2_detail

// ---- DataRecord ------------------------------------------------------------------------------

namespace {

template <class Seg>
std::optional<Seg> decode_appended(std::string_view text, std::size_t& pos,
                                   std::vector<Metro2Problem>& problems, std::string prefix,
                                   bool& ok) {
    if (pos + Seg::length > text.size()) {
        problems.push_back({prefix.substr(0, prefix.size() - 1), "truncated_segment",
                            prefix.substr(0, prefix.size() - 1) + ": a " +
                                std::string(Seg::name) + " needs " +
                                std::to_string(Seg::length) + " bytes from position " +
                                std::to_string(pos + 1) + ", the record has " +
                                std::to_string(text.size() - pos),
                            0});
        ok = false;
        pos = text.size();
        return std::nullopt;
    }
    auto s = Seg::decode(text.substr(pos, Seg::length), problems, prefix);
    pos += Seg::length;
    if (!s) ok = false;
    return s;
}

template <class Seg>
void put_once(std::optional<Seg>& slot, std::optional<Seg> value, std::string_view name,
              std::vector<Metro2Problem>& problems, bool& ok) {
    if (!value) return;
    if (slot) {
        problems.push_back({std::string(name), "duplicate_segment",
                            std::string(name) + ": appears twice; it may occur once per record", 0});
        ok = false;
        return;
    }
    slot = std::move(value);
}

template <class Seg>
void append_problems(std::vector<Metro2Problem>& out, const Seg& s, std::optional<Date> as_of,
                     const std::string& prefix) {
    auto p = validate_segment(s, as_of, prefix);
    out.insert(out.end(), std::make_move_iterator(p.begin()), std::make_move_iterator(p.end()));
}

}  // namespace

std::size_t DataRecord::length() const {
    std::size_t n = BaseSegment::length + j1.size() * J1Segment::length +
                    j2.size() * J2Segment::length;
    if (k1) n += K1Segment::length;
    if (k2) n += K2Segment::length;
    if (k3) n += K3Segment::length;
    if (k4) n += K4Segment::length;
    if (l1) n += L1Segment::length;
    if (n1) n += N1Segment::length;
    if (n > kMetro2MaxRecordLength)
        throw OverflowError("record_descriptor_word: the record is " + std::to_string(n) +
                            " bytes (" + std::to_string(j1.size()) + " J1, " +
                            std::to_string(j2.size()) + " J2 segments); the RDW holds at most " +
                            std::to_string(kMetro2MaxRecordLength));
    return n;
}

void DataRecord::encode_into(char* out) const {
    const std::size_t n = length();
    auto put = [&out](std::string_view image) {
        std::memcpy(out, image.data(), image.size());
        out += image.size();
    };
    char* start = out;
    put(base.image());
    write_unsigned(start, 4, n);
    for (const auto& s : j1) put(s.image());
    for (const auto& s : j2) put(s.image());
    if (k1) put(k1->image());
    if (k2) put(k2->image());
    if (k3) put(k3->image());
    if (k4) put(k4->image());
    if (l1) put(l1->image());
    if (n1) put(n1->image());
}

std::string DataRecord::encode() const {
    std::string out(length(), ' ');
    encode_into(out.data());
    return out;
}

std::optional<DataRecord> DataRecord::decode(std::string_view text,
                                             std::vector<Metro2Problem>& problems) {
    if (text.size() < BaseSegment::length) {
        problems.push_back({"", "too_short",
                            "record: " + std::to_string(text.size()) +
                                " bytes; a data record is at least " +
                                std::to_string(BaseSegment::length) + " (the base segment)",
                            0});
        return std::nullopt;
    }
    auto base = BaseSegment::decode(text.substr(0, BaseSegment::length), problems);
    bool ok = base.has_value();
    DataRecord r;
    if (base) r.base = *base;

    const std::string_view rdw = text.substr(0, 4);
    if (!all_digits(rdw)) {
        problems.push_back({"record_descriptor_word", "invalid_rdw",
                            "record_descriptor_word: " + quote(rdw) +
                                " (positions 1-4) is not four digits",
                            0});
    } else if (read_unsigned(rdw) != text.size()) {
        problems.push_back({"record_descriptor_word", "rdw_mismatch",
                            "record_descriptor_word: says " + std::string(rdw) +
                                " but the record is " + std::to_string(text.size()) +
                                " bytes",
                            0});
    }

    std::size_t pos = BaseSegment::length;
    while (pos < text.size()) {
        const std::string_view rest = text.substr(pos);
        if (all_of(rest, ' ')) break;  // fixed-length padding
        const std::string_view id = text.substr(pos, std::min<std::size_t>(2, rest.size()));
        if (id == "J1") {
            auto s = decode_appended<J1Segment>(text, pos, problems,
                                                "j1[" + std::to_string(r.j1.size()) + "].", ok);
            if (s) r.j1.push_back(*s);
        } else if (id == "J2") {
            auto s = decode_appended<J2Segment>(text, pos, problems,
                                                "j2[" + std::to_string(r.j2.size()) + "].", ok);
            if (s) r.j2.push_back(*s);
        } else if (id == "K1") {
            put_once(r.k1, decode_appended<K1Segment>(text, pos, problems, "k1.", ok), "k1",
                     problems, ok);
        } else if (id == "K2") {
            put_once(r.k2, decode_appended<K2Segment>(text, pos, problems, "k2.", ok), "k2",
                     problems, ok);
        } else if (id == "K3") {
            put_once(r.k3, decode_appended<K3Segment>(text, pos, problems, "k3.", ok), "k3",
                     problems, ok);
        } else if (id == "K4") {
            put_once(r.k4, decode_appended<K4Segment>(text, pos, problems, "k4.", ok), "k4",
                     problems, ok);
        } else if (id == "L1") {
            put_once(r.l1, decode_appended<L1Segment>(text, pos, problems, "l1.", ok), "l1",
                     problems, ok);
        } else if (id == "N1") {
            put_once(r.n1, decode_appended<N1Segment>(text, pos, problems, "n1.", ok), "n1",
                     problems, ok);
        } else {
            problems.push_back({"", "unknown_segment",
                                "record: " + quote(id) + " at position " +
                                    std::to_string(pos + 1) +
                                    " is not a segment identifier (J1, J2, K1, K2, K3, K4, L1, "
                                    "N1)",
                                0});
            ok = false;
            break;
        }
    }
    if (!ok) return std::nullopt;
    return r;
}

DataRecord DataRecord::decode(std::string_view text) {
    std::vector<Metro2Problem> problems;
    auto r = decode(text, problems);
    if (!r) metro2_detail::throw_problems("DataRecord", problems);
    return *r;
}

std::vector<Metro2Problem> DataRecord::validate(std::optional<Date> as_of) const {
    std::vector<Metro2Problem> out = validate_segment(base, as_of);
    for (std::size_t i = 0; i < j1.size(); ++i)
        append_problems(out, j1[i], as_of, "j1[" + std::to_string(i) + "].");
    for (std::size_t i = 0; i < j2.size(); ++i)
        append_problems(out, j2[i], as_of, "j2[" + std::to_string(i) + "].");
    if (k1) append_problems(out, *k1, as_of, "k1.");
    if (k2) append_problems(out, *k2, as_of, "k2.");
    if (k3) append_problems(out, *k3, as_of, "k3.");
    if (k4) append_problems(out, *k4, as_of, "k4.");
    if (l1) append_problems(out, *l1, as_of, "l1.");
    if (n1) append_problems(out, *n1, as_of, "n1.");
    validate_record_rules(*this, out);
    try {
        (void)length();
    } catch (const OverflowError& e) {
        out.push_back({"record_descriptor_word", "record_too_long", e.what(), 0});
    }
    return out;
}

std::string DataRecord::repr() const {
    std::string out = "DataRecord(base=" + base.repr();
    auto list = [&out](const char* name, const auto& v) {
        if (v.empty()) return;
        out += std::string(", ") + name + "=[";
        for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i].repr();
        out += "]";
    };
    auto one = [&out](const char* name, const auto& v) {
        if (v) out += std::string(", ") + name + "=" + v->repr();
    };
    list("j1", j1);
    list("j2", j2);
    one("k1", k1);
    one("k2", k2);
    one("k3", k3);
    one("k4", k4);
    one("l1", l1);
    one("n1", n1);
    return out + ")";
}

}  // namespace arrears
