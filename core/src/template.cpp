// Mustache templates over kainjow/mustache.
//
// How the pieces fit:
// 1. A scanner (below) reads the template and each partial: tags with their line and column,
//    set delimiters, standalone lines (spec "Standalone" rules) and partial indentation. It
//    reports every syntax error with a position, which kainjow cannot (it gives byte offsets and
//    accepts some broken templates).
// 2. The scanner rewrites each source for kainjow: every tag is written with control-character
//    delimiters and carries the index of its entry in a tag table, standalone lines are already
//    removed, comments and set-delimiter tags are gone. kainjow then evaluates the template:
//    sections, inverted sections, iteration, partial inclusion and escaping decisions.
// 3. Name lookup is ours (ShapeContext, a kainjow context): it resolves names with the spec's
//    rules (dotted names resolve against the first context that has the first part), enforces
//    strict mode with the tag's position, and hands kainjow placeholders instead of values.
// 4. The result of that evaluation is a skeleton: literal text with numbered holes, each marked
//    escaped or raw. It depends only on the data's shape (which keys exist, booleans, empty
//    strings, list lengths), so it is cached per shape; a letter is rendered by filling the
//    holes of its shape's skeleton with its values. kainjow runs once per shape, not per letter.
#include "arrears/template.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <charconv>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

namespace arrears {

namespace km = kainjow::mustache;

TemplateEscape parse_template_escape(std::string_view name, std::string_view field) {
    if (name == "html") return TemplateEscape::html;
    if (name == "none") return TemplateEscape::none;
    throw ValidationError(std::string(field) + ": " + quote(name) + " is not an escape mode " +
                          "(expected 'html' or 'none')");
}

std::string_view to_string(TemplateEscape e) {
    return e == TemplateEscape::html ? "html" : "none";
}

TemplateSyntaxError::TemplateSyntaxError(std::string source, int line, int column,
                                         std::string problem)
    : ValidationError(source + " line " + std::to_string(line) + ", column " +
                      std::to_string(column) + ": " + problem),
      source_(std::move(source)),
      line_(line),
      column_(column),
      problem_(std::move(problem)) {}

namespace detail {

namespace {

// Delimiters and markers in the kainjow-facing sources and skeletons. Templates may not contain
// these bytes (the scanner rejects C0 control characters other than tab, LF, FF and CR).
constexpr char kOpen = '\x0E';
constexpr char kClose = '\x0F';
constexpr char kRawHole = '\x01';
constexpr char kEscapedHole = '\x03';
constexpr char kHoleEnd = '\x02';
constexpr char kSectionMark = '\x07';  // keeps kainjow's own standalone-line guess from firing
// A variable tag at the end of every partial: kainjow looks it up when the partial is done, which
// is how ShapeContext knows how many partials are open (kainjow has no hook for that). Tag
// table indexes are digits, so the name cannot collide.
constexpr std::string_view kPartialEnd = "end";

enum class TagKind : std::uint8_t { variable, raw, section, inverted, close, comment, partial, set_delimiter };

bool is_standalone_kind(TagKind k) {
    return k != TagKind::variable && k != TagKind::raw;
}

std::string_view kind_name(TagKind k) {
    switch (k) {
        case TagKind::variable: return "variable";
        case TagKind::raw: return "raw";
        case TagKind::section: return "section";
        case TagKind::inverted: return "inverted";
        case TagKind::close: return "close";
        case TagKind::comment: return "comment";
        case TagKind::partial: return "partial";
        case TagKind::set_delimiter: return "set_delimiter";
    }
    return "?";
}

struct Token {
    bool is_text = true;
    TagKind kind = TagKind::variable;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string name;
    int line = 0;
    int column = 0;
    std::size_t open = 0;     // for close tags: index of the matching open token
    int section_depth = 0;    // number of enclosing sections (0 at top level)
    bool standalone = false;
    std::string indent;       // standalone partials: the whitespace before the tag
};

std::string_view trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
    return s.substr(b, e - b);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

class Positions {
public:
    explicit Positions(std::string_view src) : src_(src) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < src.size(); ++i)
            if (src[i] == '\n') starts_.push_back(i + 1);
    }
    // 1-based line and column (columns count characters, not UTF-8 bytes). The scanner asks in
    // increasing order, so counting resumes from the previous answer on the same line: linear
    // in the source even when every tag is on one line.
    std::pair<int, int> at(std::size_t pos) const {
        auto it = std::upper_bound(starts_.begin(), starts_.end(), pos);
        const std::size_t line_start = *(it - 1);
        std::size_t from = line_start;
        int col = 1;
        if (last_pos_ >= line_start && last_pos_ <= pos) {
            from = last_pos_;
            col = last_col_;
        }
        for (std::size_t i = from; i < pos && i < src_.size(); ++i)
            if ((static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80) ++col;
        last_pos_ = pos;
        last_col_ = col;
        return {static_cast<int>(it - starts_.begin()), col};
    }

private:
    std::string_view src_;
    std::vector<std::size_t> starts_;
    mutable std::size_t last_pos_ = std::string_view::npos;
    mutable int last_col_ = 1;
};

struct Scan {
    std::vector<Token> tokens;
    std::vector<char> deleted;  // per source byte: removed by a standalone tag
};

[[noreturn]] void syntax_error(const std::string& unit, const Positions& pos, std::size_t at,
                               int column_offset, const std::string& problem) {
    auto [line, col] = pos.at(at);
    throw TemplateSyntaxError(unit, line, std::max(1, col - column_offset), problem);
}

void check_name(const std::string& unit, const Positions& pos, std::size_t at, int column_offset,
                std::string_view name, std::string_view tag_text) {
    if (name.empty())
        syntax_error(unit, pos, at, column_offset, "empty name in tag " + quote(tag_text));
    for (char c : name)
        if (is_space(c))
            syntax_error(unit, pos, at, column_offset,
                         "tag name " + quote(name) + " contains whitespace");
    if (name == ".") return;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = name.find('.', start);
        const std::size_t end = dot == std::string_view::npos ? name.size() : dot;
        if (end == start)
            syntax_error(unit, pos, at, column_offset,
                         "tag name " + quote(name) + " has an empty part between dots");
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
}

// Tokenizes one source (the template, or one partial) with the Mustache rules.
Scan scan(const std::string& src, const std::string& unit, int column_offset) {
    const Positions pos(src);
    for (std::size_t i = 0; i < src.size(); ++i) {
        const auto c = static_cast<unsigned char>(src[i]);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "U+%04X", c);
            syntax_error(unit, pos, i, column_offset,
                         std::string("control character ") + hex + " is not allowed in a template");
        }
    }
    Scan out;
    std::string open = "{{", close = "}}";
    std::vector<std::size_t> stack;
    std::size_t p = 0;
    const std::size_t n = src.size();
    auto add_text = [&](std::size_t b, std::size_t e) {
        if (e > b) {
            Token t;
            t.begin = b;
            t.end = e;
            out.tokens.push_back(std::move(t));
        }
    };
    while (p < n) {
        const std::size_t at = src.find(open, p);
        if (at == std::string::npos) {
            add_text(p, n);
            break;
        }
        add_text(p, at);
        const bool triple = open == "{{" && close == "}}" && at + 2 < n && src[at + 2] == '{';
        const std::size_t cstart = at + open.size() + (triple ? 1 : 0);
        const std::string closing = triple ? "}}}" : close;
        const std::size_t cend = src.find(closing, cstart);
        if (cend == std::string::npos)
            syntax_error(unit, pos, at, column_offset,
                         "unclosed tag: " + quote(open + (triple ? "{" : "")) + " has no " +
                             quote(closing));
        const std::size_t end = cend + closing.size();
        const std::string_view whole(src.data() + at, end - at);
        const std::string_view content = trim(std::string_view(src).substr(cstart, cend - cstart));
        Token t;
        t.is_text = false;
        t.begin = at;
        t.end = end;
        std::tie(t.line, t.column) = pos.at(at);
        t.column = std::max(1, t.column - column_offset);
        t.section_depth = static_cast<int>(stack.size());
        if (triple) {
            t.kind = TagKind::raw;
            t.name = std::string(content);
        } else if (content.empty()) {
            syntax_error(unit, pos, at, column_offset, "empty tag " + quote(whole));
        } else {
            const char sigil = content[0];
            std::string_view rest = trim(content.substr(1));
            switch (sigil) {
                case '!': t.kind = TagKind::comment; break;
                case '=': {
                    t.kind = TagKind::set_delimiter;
                    if (content.size() < 3 || content.back() != '=')
                        syntax_error(unit, pos, at, column_offset,
                                     "invalid set-delimiter tag " + quote(whole) +
                                         " (expected {{=<open> <close>=}})");
                    const std::string_view inner = trim(content.substr(1, content.size() - 2));
                    std::size_t sp = 0;
                    while (sp < inner.size() && !is_space(inner[sp])) ++sp;
                    std::size_t rs = sp;
                    while (rs < inner.size() && is_space(inner[rs])) ++rs;
                    const std::string_view a = inner.substr(0, sp);
                    const std::string_view b = inner.substr(rs);
                    bool ok = !a.empty() && !b.empty() && a.find('=') == std::string_view::npos &&
                              b.find('=') == std::string_view::npos;
                    for (char c : b)
                        if (is_space(c)) ok = false;
                    if (!ok)
                        syntax_error(unit, pos, at, column_offset,
                                     "invalid set-delimiter tag " + quote(whole) +
                                         " (expected two delimiters without whitespace or '=')");
                    open = std::string(a);
                    close = std::string(b);
                    break;
                }
                case '#': t.kind = TagKind::section; t.name = std::string(rest); break;
                case '^': t.kind = TagKind::inverted; t.name = std::string(rest); break;
                case '/': t.kind = TagKind::close; t.name = std::string(rest); break;
                case '>': t.kind = TagKind::partial; t.name = std::string(rest); break;
                case '&': t.kind = TagKind::raw; t.name = std::string(rest); break;
                case '{':
                    t.kind = TagKind::raw;
                    if (!rest.empty() && rest.back() == '}') rest = trim(rest.substr(0, rest.size() - 1));
                    t.name = std::string(rest);
                    break;
                default: t.kind = TagKind::variable; t.name = std::string(content); break;
            }
        }
        if (t.kind != TagKind::comment && t.kind != TagKind::set_delimiter) {
            if (t.kind == TagKind::partial) {
                if (t.name.empty())
                    syntax_error(unit, pos, at, column_offset, "empty partial name in " + quote(whole));
                for (char c : t.name)
                    if (is_space(c))
                        syntax_error(unit, pos, at, column_offset,
                                     "partial name " + quote(t.name) + " contains whitespace");
            } else {
                check_name(unit, pos, at, column_offset, t.name, whole);
            }
        }
        if (t.kind == TagKind::section || t.kind == TagKind::inverted) {
            if (stack.size() >= static_cast<std::size_t>(Template::max_nesting))
                syntax_error(unit, pos, at, column_offset,
                             "section " + quote(t.name) + " nests more than " +
                                 std::to_string(Template::max_nesting) + " sections deep");
            stack.push_back(out.tokens.size());
        } else if (t.kind == TagKind::close) {
            if (stack.empty())
                syntax_error(unit, pos, at, column_offset,
                             "closing tag " + quote(whole) + " has no open section");
            const Token& o = out.tokens[stack.back()];
            if (o.name != t.name)
                syntax_error(unit, pos, at, column_offset,
                             "section " + quote(o.name) + " (opened at line " +
                                 std::to_string(o.line) + ", column " + std::to_string(o.column) +
                                 ") is closed by " + quote(whole));
            t.open = stack.back();
            stack.pop_back();
            t.section_depth = static_cast<int>(stack.size());
        }
        out.tokens.push_back(std::move(t));
        p = end;
    }
    if (!stack.empty()) {
        const Token& o = out.tokens[stack.back()];
        syntax_error(unit, pos, o.begin, column_offset,
                     "section " + quote(o.name) + " is never closed");
    }
    // Standalone lines: a line holding only whitespace and one section, inverted, close,
    // comment, partial or set-delimiter tag is removed, newline included.
    out.deleted.assign(n, 0);
    for (Token& t : out.tokens) {
        if (t.is_text || !is_standalone_kind(t.kind)) continue;
        std::size_t ls = t.begin;
        while (ls > 0 && (src[ls - 1] == ' ' || src[ls - 1] == '\t')) --ls;
        if (ls > 0 && src[ls - 1] != '\n') continue;
        std::size_t le = t.end;
        while (le < n && (src[le] == ' ' || src[le] == '\t')) ++le;
        if (le < n) {
            if (src[le] == '\n') {
                le += 1;
            } else if (src[le] == '\r' && le + 1 < n && src[le + 1] == '\n') {
                le += 2;
            } else {
                continue;
            }
        }
        t.standalone = true;
        if (t.kind == TagKind::partial) t.indent = src.substr(ls, t.begin - ls);
        std::fill(out.deleted.begin() + static_cast<std::ptrdiff_t>(ls),
                  out.deleted.begin() + static_cast<std::ptrdiff_t>(t.begin), 1);
        std::fill(out.deleted.begin() + static_cast<std::ptrdiff_t>(t.end),
                  out.deleted.begin() + static_cast<std::ptrdiff_t>(le), 1);
    }
    return out;
}

std::string indent_source(const std::string& src, const std::string& indent) {
    if (indent.empty()) return src;
    std::string out;
    out.reserve(src.size() + indent.size() * 8);
    out += indent;
    for (std::size_t i = 0; i < src.size(); ++i) {
        out += src[i];
        if (src[i] == '\n' && i + 1 < src.size()) out += indent;
    }
    return out;
}

int utf8_length(std::string_view s) {
    int n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

struct TagInfo {
    TagKind kind;
    std::string name;
    std::vector<std::string> parts;  // empty for "."
    std::string indent;              // partial sites
    std::string unit;                // "template" / "partial 'x'"
    int line;
    int column;
};

std::vector<std::string> split_name(const std::string& name) {
    std::vector<std::string> parts;
    if (name == ".") return parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = name.find('.', start);
        parts.push_back(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts;
}

struct Skeleton {
    struct Hole {
        std::uint32_t text_end;  // literal text before this hole ends here
        std::uint32_t leaf;
        bool escape;
    };
    std::string text;
    std::vector<Hole> holes;
};

// The names a template can look up (every part of every dotted name), as an open-addressing
// table keyed by TemplateData's key hash: the shape walk checks each member against it.
class KeyTable {
public:
    void build(const std::set<std::string>& keys) {
        std::size_t cap = 16;
        while (cap < keys.size() * 2) cap *= 2;
        slots_.assign(cap, Slot{});
        mask_ = static_cast<std::uint32_t>(cap - 1);
        std::uint32_t index = 0;
        for (const auto& k : keys) {
            const std::uint32_t h = TemplateData::hash_key(k);
            std::uint32_t i = h & mask_;
            while (slots_[i].used) i = (i + 1) & mask_;
            slots_[i] = Slot{h, index++, k, true};
        }
        size_ = keys.size();
    }
    // Index of the key, or -1.
    std::int64_t find(std::uint32_t h, std::string_view key) const noexcept {
        for (std::uint32_t i = h & mask_;; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (!s.used) return -1;
            if (s.hash == h && s.key == key) return s.index;
        }
    }
    bool contains(std::string_view key) const noexcept {
        return find(TemplateData::hash_key(key), key) >= 0;
    }
    std::size_t size() const noexcept { return size_; }

private:
    struct Slot {
        std::uint32_t hash = 0;
        std::uint32_t index = 0;
        std::string key;
        bool used = false;
    };
    std::vector<Slot> slots_;
    std::uint32_t mask_ = 0;
    std::size_t size_ = 0;
};

using Node = TemplateData::Node;
using Kind = TemplateData::Kind;
constexpr Node kNone = TemplateData::npos;

std::string describe_node(const TemplateData& d, Node n) {
    switch (d.kind(n)) {
        case Kind::null: return "null";
        case Kind::boolean: return d.boolean(n) ? "true" : "false";
        case Kind::object: return "an object";
        case Kind::list: return "a list";
        default: return "a value";
    }
}

}  // namespace

struct CompiledTemplate {
    std::string source;
    std::map<std::string, std::string> partials;
    TemplateOptions options;

    // Tag table: every tag of every compiled unit; kainjow sees the index as the tag's name.
    std::deque<TagInfo> tags;
    std::size_t base_tags = 0;  // tags of the template and the unindented partials
    KeyTable relevant;          // every name part
    std::set<std::string> reachable_partials;  // from the template, at any depth

    // Guarded by engine_mutex: kainjow state, the tag table, lazily compiled indented partials.
    mutable std::mutex engine_mutex;
    std::unique_ptr<km::mustache> engine;
    std::map<std::pair<std::string, std::string>, std::string> units;  // (partial, indent) -> source

    mutable std::shared_mutex cache_mutex;
    std::unordered_map<std::string, std::shared_ptr<const Skeleton>> cache;
    static constexpr std::size_t kMaxShapes = 512;

    std::string compile_unit(const std::string& unit_name, const std::string& src,
                             int column_offset, bool partial,
                             std::vector<Token>* tokens_out = nullptr);
    const std::string& partial_unit(const std::string& name, const std::string& indent);
    std::shared_ptr<const Skeleton> skeleton(const TemplateData& data, const std::vector<Node>& leaves,
                                             std::vector<std::string>* misses);
};

std::string CompiledTemplate::compile_unit(const std::string& unit_name, const std::string& src,
                                           int column_offset, bool partial,
                                           std::vector<Token>* tokens_out) {
    Scan sc = scan(src, unit_name, column_offset);
    std::string out;
    out.reserve(src.size() + sc.tokens.size() * 8 + 16);
    out += "{{=";
    out += kOpen;
    out += ' ';
    out += kClose;
    out += "=}}";
    std::vector<std::size_t> ids(sc.tokens.size(), 0);
    for (std::size_t i = 0; i < sc.tokens.size(); ++i) {
        const Token& t = sc.tokens[i];
        if (t.is_text) {
            for (std::size_t b = t.begin; b < t.end; ++b)
                if (!sc.deleted[b]) out += src[b];
            continue;
        }
        if (t.kind == TagKind::comment || t.kind == TagKind::set_delimiter) continue;
        std::size_t id;
        if (t.kind == TagKind::close) {
            id = ids[t.open];
        } else {
            id = tags.size();
            TagInfo info{t.kind, t.name, {}, t.indent, unit_name, t.line, t.column};
            if (t.kind != TagKind::partial) info.parts = split_name(t.name);
            tags.push_back(std::move(info));
        }
        ids[i] = id;
        const std::string sid = std::to_string(id);
        switch (t.kind) {
            case TagKind::variable: out += kOpen; out += sid; out += kClose; break;
            case TagKind::raw: out += kOpen; out += '&'; out += sid; out += kClose; break;
            case TagKind::section:
            case TagKind::inverted:
                out += kSectionMark;
                out += kOpen;
                out += t.kind == TagKind::section ? '#' : '^';
                out += sid;
                out += kClose;
                out += kSectionMark;
                break;
            case TagKind::close:
                out += kSectionMark;
                out += kOpen;
                out += '/';
                out += sid;
                out += kClose;
                out += kSectionMark;
                break;
            case TagKind::partial: out += kOpen; out += '>'; out += sid; out += kClose; break;
            default: break;
        }
    }
    if (partial) {
        out += kOpen;
        out += kPartialEnd;
        out += kClose;
    }
    if (tokens_out) *tokens_out = std::move(sc.tokens);
    return out;
}

const std::string& CompiledTemplate::partial_unit(const std::string& name, const std::string& indent) {
    auto key = std::make_pair(name, indent);
    auto it = units.find(key);
    if (it != units.end()) return it->second;
    const std::string unit_name = "partial " + quote(name);
    std::string rewritten = compile_unit(unit_name, indent_source(partials.at(name), indent),
                                         utf8_length(indent), true);
    return units.emplace(std::move(key), std::move(rewritten)).first->second;
}

namespace {

// Name lookup for kainjow: resolves the tag named by its table index against the data, enforces
// strict mode and hands out placeholders (holes) instead of values.
class ShapeContext final : public km::basic_context<std::string> {
public:
    ShapeContext(CompiledTemplate& t, const TemplateData& data,
                 const std::unordered_map<Node, std::uint32_t>& leaf_ids,
                 std::vector<std::string>* misses)
        : t_(t), d_(data), leaf_ids_(leaf_ids), misses_(misses) {
        stack_.push_back(data.root());
    }

    void push(const km::data* d) override {
        auto it = node_of_.find(d);
        stack_.push_back(it == node_of_.end() ? kNone : it->second);
    }
    void pop() override { stack_.pop_back(); }

    const km::data* get(const std::string& name) const override {
        if (name == kPartialEnd) {
            --open_partials_;
            return nullptr;
        }
        const TagInfo& tag = info(name);
        const bool interpolation = tag.kind == TagKind::variable || tag.kind == TagKind::raw;
        if (!interpolation) check_depth(tag);
        const Node node = resolve(tag);
        if (node == kNone) {
            if (t_.options.strict)
                fail(tag, std::string("missing ") + (interpolation ? "variable " : "section ") +
                              quote(tag.name));
            // A missing inverted section renders; handing kainjow a false value (rather than
            // nothing) makes it push a context, so every open section is counted in stack_.
            if (tag.kind == TagKind::inverted) return keep(km::data(false), kNone);
            return nullptr;
        }
        const Kind k = d_.kind(node);
        if (interpolation) {
            if (k == Kind::string || k == Kind::integer) return hole(node);
            if (t_.options.strict)
                fail(tag, "variable " + quote(tag.name) + " is " + describe_node(d_, node) +
                              ", not text");
            return k == Kind::boolean ? hole(node) : nullptr;
        }
        switch (k) {
            case Kind::null: return keep(km::data(false), node);
            case Kind::boolean: return keep(km::data(d_.boolean(node)), node);
            case Kind::string:
                if (d_.text(node).empty()) return keep(km::data(false), node);
                return keep(km::data(std::string("x")), node);
            case Kind::object: return keep(km::data(km::data::type::object), node);
            case Kind::list: {
                km::data list(km::data::type::list);
                for (std::size_t i = 0; i < d_.size(node); ++i) list.push_back(km::data(true));
                const km::data* stored = keep(std::move(list), node);
                const auto& items = stored->list_value();
                Node child = d_.first(node);
                for (std::size_t i = 0; i < items.size(); ++i, child = d_.next(child))
                    node_of_[&items[i]] = child;
                return stored;
            }
            case Kind::integer: return keep(km::data(std::string("x")), node);  // truthy
        }
        return nullptr;
    }

    const km::data* get_partial(const std::string& name) const override {
        const TagInfo& tag = info(name);
        check_depth(tag);
        // Unknown partials are refused at construction in strict mode; otherwise they render
        // as nothing (the spec).
        if (!t_.partials.contains(tag.name)) return nullptr;
        arena_.emplace_back(t_.partial_unit(tag.name, tag.indent));
        ++open_partials_;
        return &arena_.back();
    }

private:
    // Sections and partials open around the tag about to open another: kainjow recurses for
    // each, so the limit keeps a partial that includes itself (through a section the data keeps
    // true) from exhausting the stack.
    void check_depth(const TagInfo& tag) const {
        const std::size_t open = stack_.size() - 1 + open_partials_;
        if (open >= static_cast<std::size_t>(Template::max_nesting))
            throw TemplateSyntaxError(
                tag.unit, tag.line, tag.column,
                std::string(tag.kind == TagKind::partial ? "partial " : "section ") +
                    quote(tag.name) + " opens inside " + std::to_string(open) +
                    " nested sections and partials (the limit is " +
                    std::to_string(Template::max_nesting) + "; a partial that includes itself?)");
    }

    const TagInfo& info(const std::string& name) const {
        std::size_t id = 0;
        std::from_chars(name.data(), name.data() + name.size(), id);
        return t_.tags.at(id);
    }

    Node resolve(const TagInfo& tag) const {
        if (tag.parts.empty()) {  // "{{.}}": a missing inverted section pushed kNone, skip it
            for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
                if (*it != kNone) return *it;
            return kNone;
        }
        Node found = kNone;
        for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
            if (*it == kNone || d_.kind(*it) != Kind::object) continue;
            found = d_.find(*it, tag.parts[0]);
            if (found != kNone) break;
        }
        for (std::size_t i = 1; found != kNone && i < tag.parts.size(); ++i) {
            if (d_.kind(found) != Kind::object) return kNone;
            found = d_.find(found, tag.parts[i]);
        }
        return found;
    }

    void fail(const TagInfo& tag, const std::string& problem) const {
        if (misses_ != nullptr) {
            misses_->push_back(tag.name + " (" + tag.unit + " line " + std::to_string(tag.line) +
                               ", column " + std::to_string(tag.column) + ")");
            return;
        }
        throw TemplateSyntaxError(tag.unit, tag.line, tag.column, problem);
    }

    const km::data* hole(Node node) const {
        auto it = leaf_ids_.find(node);
        if (it == leaf_ids_.end()) return nullptr;  // every reachable leaf is numbered
        std::string text(1, kRawHole);
        text += std::to_string(it->second);
        text += kHoleEnd;
        arena_.emplace_back(std::move(text));
        return &arena_.back();
    }

    const km::data* keep(km::data d, Node node) const {
        arena_.push_back(std::move(d));
        node_of_[&arena_.back()] = node;
        return &arena_.back();
    }

    CompiledTemplate& t_;
    const TemplateData& d_;
    const std::unordered_map<Node, std::uint32_t>& leaf_ids_;
    std::vector<std::string>* misses_;
    std::vector<Node> stack_;
    mutable std::deque<km::data> arena_;
    mutable std::unordered_map<const km::data*, Node> node_of_;
    mutable std::size_t open_partials_ = 0;
};

void put_varint(std::string& s, std::uint64_t v) {
    while (v >= 0x80) {
        s += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    s += static_cast<char>(v);
}

// Walks the data along the names the template can reach, in member order: the shape signature
// (which keys exist, booleans, empty strings, list lengths) and the leaves (the values holes can
// show). Two data trees with the same signature render to the same skeleton.
void walk_shape(const KeyTable& relevant, const TemplateData& d, Node n, std::string& sig,
                std::vector<Node>& leaves) {
    switch (d.kind(n)) {
        case Kind::object:
            sig += '{';
            for (Node c = d.first(n); c != kNone; c = d.next(c)) {
                const std::int64_t idx = relevant.find(d.key_hash(c), d.key(c));
                if (idx < 0) continue;
                put_varint(sig, static_cast<std::uint64_t>(idx));
                walk_shape(relevant, d, c, sig, leaves);
            }
            sig += '}';
            break;
        case Kind::list:
            sig += '[';
            put_varint(sig, d.size(n));
            for (Node c = d.first(n); c != kNone; c = d.next(c)) walk_shape(relevant, d, c, sig, leaves);
            sig += ']';
            break;
        case Kind::string:
            sig += d.text(n).empty() ? 'e' : 's';
            leaves.push_back(n);
            break;
        case Kind::boolean:
            sig += d.boolean(n) ? 't' : 'f';
            leaves.push_back(n);
            break;
        case Kind::integer:
            sig += 'n';
            leaves.push_back(n);
            break;
        case Kind::null: sig += 'z'; break;
    }
}

Skeleton parse_skeleton(const std::string& rendered) {
    Skeleton s;
    s.text.reserve(rendered.size());
    for (std::size_t i = 0; i < rendered.size(); ++i) {
        const char c = rendered[i];
        if (c == kSectionMark) continue;
        if (c == kRawHole || c == kEscapedHole) {
            std::size_t j = i + 1;
            std::uint32_t leaf = 0;
            while (j < rendered.size() && rendered[j] != kHoleEnd)
                leaf = leaf * 10 + static_cast<std::uint32_t>(rendered[j++] - '0');
            s.holes.push_back({static_cast<std::uint32_t>(s.text.size()), leaf, c == kEscapedHole});
            i = j;
            continue;
        }
        s.text += c;
    }
    return s;
}

void append_leaf(const TemplateData& d, Node n, bool escape, std::string& out) {
    switch (d.kind(n)) {
        case Kind::string:
            if (escape)
                html_escape_append(d.text(n), out);
            else
                out += d.text(n);
            break;
        case Kind::integer: {
            char buf[24];
            auto r = std::to_chars(buf, buf + sizeof buf, d.integer(n));
            out.append(buf, r.ptr);
            break;
        }
        case Kind::boolean: out += d.boolean(n) ? "true" : "false"; break;
        default: break;
    }
}

}  // namespace

std::shared_ptr<const Skeleton> CompiledTemplate::skeleton(const TemplateData& data,
                                                           const std::vector<Node>& leaves,
                                                           std::vector<std::string>* misses) {
    std::unordered_map<Node, std::uint32_t> leaf_ids;
    leaf_ids.reserve(leaves.size());
    for (std::size_t i = 0; i < leaves.size(); ++i)
        leaf_ids.emplace(leaves[i], static_cast<std::uint32_t>(i));
    std::lock_guard lock(engine_mutex);
    ShapeContext ctx(*this, data, leaf_ids, misses);
    const std::string rendered = engine->render(ctx);
    if (!engine->is_valid())
        throw ValidationError("template: internal error rendering: " + engine->error_message());
    return std::make_shared<const Skeleton>(parse_skeleton(rendered));
}

}  // namespace detail

using detail::CompiledTemplate;
using detail::TagKind;

namespace {

// Partials reached from `from` outside any section; a cycle among them never ends.
void check_partials(CompiledTemplate& t,
                    const std::map<std::string, std::vector<detail::Token>>& unit_tokens) {
    // Unknown partials, anywhere: an error in strict mode (a letter must not silently lose a
    // disclosure); otherwise they render as nothing, as the spec says.
    for (const auto& [unit, tokens] : unit_tokens) {
        for (const auto& tok : tokens) {
            if (tok.is_text || tok.kind != TagKind::partial) continue;
            if (t.options.strict && !t.partials.contains(tok.name))
                throw TemplateSyntaxError(unit.empty() ? "template" : "partial " + quote(unit),
                                          tok.line, tok.column,
                                          "unknown partial " + quote(tok.name));
        }
    }
    // Reachable partials and unconditional cycles.
    std::map<std::string, int> state;  // 1 visiting, 2 done
    const auto known = [&](const detail::Token& tok) {
        return !tok.is_text && tok.kind == TagKind::partial && t.partials.contains(tok.name);
    };
    // Both walks keep their own stack (no recursion): a long chain of partials is data.
    std::vector<std::string> todo{""};
    while (!todo.empty()) {
        const std::string unit = std::move(todo.back());
        todo.pop_back();
        for (const auto& tok : unit_tokens.at(unit))
            if (known(tok) && t.reachable_partials.insert(tok.name).second) todo.push_back(tok.name);
    }
    // Depth-first over includes outside sections; meeting a unit still on the path is a cycle.
    struct Frame {
        const std::string* unit;
        std::size_t next = 0;  // token index to look at next
    };
    const auto visit = [&](const std::string& from) {
        std::vector<Frame> path{{&from}};
        state[from] = 1;
        while (!path.empty()) {
            Frame& f = path.back();
            const auto& tokens = unit_tokens.at(*f.unit);
            if (f.next == tokens.size()) {
                state[*f.unit] = 2;
                path.pop_back();
                continue;
            }
            const detail::Token& tok = tokens[f.next++];
            if (!known(tok) || tok.section_depth > 0) continue;
            const int st = state[tok.name];
            if (st == 1)
                throw TemplateSyntaxError(f.unit->empty() ? "template" : "partial " + quote(*f.unit),
                                          tok.line, tok.column,
                                          "partial " + quote(tok.name) +
                                              " includes itself with no section in between "
                                              "(it would never end)");
            if (st == 0) {
                state[tok.name] = 1;
                path.push_back({&unit_tokens.find(tok.name)->first});
            }
        }
    };
    const std::string root;
    visit(root);
    for (const auto& [name, src] : t.partials)
        if (state[name] == 0) visit(unit_tokens.find(name)->first);
}

}  // namespace
Template::Template(std::string source, std::map<std::string, std::string> partials,
                   TemplateOptions options)
    : impl_(std::make_shared<CompiledTemplate>()) {
    CompiledTemplate& t = *impl_;
    t.source = std::move(source);
    t.partials = std::move(partials);
    t.options = options;
    for (const auto& [name, src] : t.partials) {
        (void)src;
        if (name.empty()) throw ValidationError("partials: a partial name is empty");
        for (char c : name)
            if (detail::is_space(c))
                throw ValidationError("partials: name " + quote(name) + " contains whitespace");
    }
    std::map<std::string, std::vector<detail::Token>> unit_tokens;
    const std::string root = t.compile_unit("template", t.source, 0, false, &unit_tokens[""]);
    for (const auto& [name, src] : t.partials) {
        std::string rewritten =
            t.compile_unit("partial " + quote(name), src, 0, true, &unit_tokens[name]);
        t.units.emplace(std::make_pair(name, std::string()), std::move(rewritten));
    }
    t.base_tags = t.tags.size();
    check_partials(t, unit_tokens);
    std::set<std::string> names;
    for (const auto& tag : t.tags)
        for (const auto& part : tag.parts) names.insert(part);
    t.relevant.build(names);
    t.engine = std::make_unique<km::mustache>(root);
    if (!t.engine->is_valid())
        throw ValidationError("template: internal error compiling the template: " +
                              t.engine->error_message());
    const bool html = options.escape == TemplateEscape::html;
    t.engine->set_custom_escape([html](const std::string& s) {
        if (html && !s.empty() && s[0] == detail::kRawHole) {
            std::string marked = s;
            marked[0] = detail::kEscapedHole;
            return marked;
        }
        return s;
    });
}

void Template::render_append(const TemplateData& data, std::string& out) const {
    CompiledTemplate& t = *impl_;
    thread_local std::string sig;
    thread_local std::vector<detail::Node> leaves;
    sig.clear();
    leaves.clear();
    detail::walk_shape(t.relevant, data, data.root(), sig, leaves);
    std::shared_ptr<const detail::Skeleton> sk;
    {
        std::shared_lock lock(t.cache_mutex);
        auto it = t.cache.find(sig);
        if (it != t.cache.end()) sk = it->second;
    }
    if (!sk) {
        sk = t.skeleton(data, leaves, nullptr);
        std::unique_lock lock(t.cache_mutex);
        if (t.cache.size() < CompiledTemplate::kMaxShapes) t.cache.emplace(sig, sk);
    }
    out.reserve(out.size() + sk->text.size() + leaves.size() * 16);
    std::uint32_t prev = 0;
    for (const auto& h : sk->holes) {
        out.append(sk->text, prev, h.text_end - prev);
        prev = h.text_end;
        detail::append_leaf(data, leaves[h.leaf], h.escape, out);
    }
    out.append(sk->text, prev, std::string::npos);
}

std::string Template::render(const TemplateData& data) const {
    std::string out;
    render_append(data, out);
    return out;
}

TemplateLint Template::lint(const TemplateData* data, const std::vector<std::string>& required) const {
    CompiledTemplate& t = *impl_;
    TemplateLint r;
    std::set<std::string> vars, secs, parts, interpolated_reachable;
    std::vector<detail::TagInfo> base;
    {
        std::lock_guard lock(t.engine_mutex);
        base.assign(t.tags.begin(), t.tags.begin() + static_cast<std::ptrdiff_t>(t.base_tags));
    }
    std::set<std::string> reachable_units{"template"};
    for (const auto& p : t.reachable_partials) reachable_units.insert("partial " + quote(p));
    for (const auto& tag : base) {
        switch (tag.kind) {
            case TagKind::variable:
            case TagKind::raw:
                vars.insert(tag.name);
                if (reachable_units.contains(tag.unit)) interpolated_reachable.insert(tag.name);
                break;
            case TagKind::section:
            case TagKind::inverted: secs.insert(tag.name); break;
            case TagKind::partial: parts.insert(tag.name); break;
            default: break;
        }
    }
    r.variables.assign(vars.begin(), vars.end());
    r.sections.assign(secs.begin(), secs.end());
    r.partials.assign(parts.begin(), parts.end());
    for (const auto& name : required)
        if (!interpolated_reachable.contains(name)) r.missing_required.push_back(name);
    if (data != nullptr) {
        std::string sig;
        std::vector<detail::Node> leaves;
        detail::walk_shape(t.relevant, *data, data->root(), sig, leaves);
        std::vector<std::string> misses;
        if (t.options.strict) t.skeleton(*data, leaves, &misses);
        std::set<std::string> seen;
        for (auto& m : misses)
            if (seen.insert(m).second) r.missing.push_back(std::move(m));
        if (data->kind(data->root()) == TemplateData::Kind::object)
            for (auto c = data->first(data->root()); c != TemplateData::npos; c = data->next(c))
                if (!t.relevant.contains(data->key(c))) r.unused.emplace_back(data->key(c));
    }
    return r;
}

const std::string& Template::source() const noexcept { return impl_->source; }
const std::map<std::string, std::string>& Template::partials() const noexcept {
    return impl_->partials;
}
const TemplateOptions& Template::options() const noexcept { return impl_->options; }

std::vector<TemplateTag> Template::tags() const {
    std::vector<TemplateTag> out;
    std::lock_guard lock(impl_->engine_mutex);
    for (std::size_t i = 0; i < impl_->base_tags; ++i) {
        const auto& tag = impl_->tags[i];
        out.push_back({tag.name, std::string(detail::kind_name(tag.kind)), tag.unit, tag.line, tag.column});
    }
    return out;
}

std::size_t Template::cached_shapes() const {
    std::shared_lock lock(impl_->cache_mutex);
    return impl_->cache.size();
}

bool operator==(const Template& a, const Template& b) {
    return a.impl_ == b.impl_ ||
           (a.source() == b.source() && a.partials() == b.partials() &&
            a.options().strict == b.options().strict && a.options().escape == b.options().escape &&
            a.options().language == b.options().language);
}

// ---- TemplateData ---------------------------------------------------------------------------

TemplateData::TemplateData() {
    nodes_.push_back(N{Kind::object});
}

std::uint32_t TemplateData::hash_key(std::string_view key) noexcept {
    // Keys are short names and this runs for every member of every letter: two fixed 8-byte
    // loads (first and last eight bytes) for longer keys, a byte loop for short ones.
    const std::size_t n = key.size();
    std::uint64_t h = 0x9E3779B97F4A7C15ull * (n + 1);
    if (n >= 8) {
        std::uint64_t a, b;
        std::memcpy(&a, key.data(), 8);
        std::memcpy(&b, key.data() + n - 8, 8);
        h ^= a * 0xBF58476D1CE4E5B9ull;
        h ^= (b ^ (h >> 29)) * 0x94D049BB133111EBull;
    } else {
        for (char c : key) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    }
    h ^= h >> 32;
    return static_cast<std::uint32_t>(h);
}

TemplateData::Node TemplateData::add(Node parent, std::string_view key, Kind kind) {
    if (parent >= nodes_.size() || (nodes_[parent].kind != Kind::object && nodes_[parent].kind != Kind::list))
        throw ValidationError("template data: parent node " + std::to_string(parent) +
                              " is not an object or a list");
    if (text_.size() + key.size() > 0xFFFFFFF0u || nodes_.size() >= 0xFFFFFFF0u)
        throw OverflowError("template data: more than 4 GiB of text or 4 billion nodes");
    const std::uint32_t depth = nodes_[parent].depth + 1u;
    if (depth > max_depth)
        throw ValidationError("data: values nest more than " + std::to_string(max_depth) +
                              " levels deep (dicts and lists inside each other)");
    N n{kind};
    n.depth = static_cast<std::uint16_t>(depth);
    if (nodes_[parent].kind == Kind::object) {
        n.key_off = static_cast<std::uint32_t>(text_.size());
        n.key_len = static_cast<std::uint32_t>(key.size());
        n.key_hash = hash_key(key);
        text_ += key;
    }
    const Node id = static_cast<Node>(nodes_.size());
    nodes_.push_back(n);
    N& p = nodes_[parent];
    if (p.last == npos)
        p.first = id;
    else
        nodes_[p.last].next = id;
    p.last = id;
    ++p.count;
    return id;
}

TemplateData::Node TemplateData::add_string(Node parent, std::string_view key, std::string_view value) {
    const Node id = add(parent, key, Kind::string);
    if (text_.size() + value.size() > 0xFFFFFFF0u)
        throw OverflowError("template data: more than 4 GiB of text");
    nodes_[id].val_off = static_cast<std::uint32_t>(text_.size());
    nodes_[id].num = static_cast<std::int64_t>(value.size());
    text_ += value;
    return id;
}

TemplateData::Node TemplateData::add_bool(Node parent, std::string_view key, bool value) {
    const Node id = add(parent, key, Kind::boolean);
    nodes_[id].num = value ? 1 : 0;
    return id;
}

TemplateData::Node TemplateData::add_int(Node parent, std::string_view key, std::int64_t value) {
    const Node id = add(parent, key, Kind::integer);
    nodes_[id].num = value;
    return id;
}

TemplateData::Node TemplateData::add_null(Node parent, std::string_view key) {
    return add(parent, key, Kind::null);
}
TemplateData::Node TemplateData::add_object(Node parent, std::string_view key) {
    return add(parent, key, Kind::object);
}
TemplateData::Node TemplateData::add_list(Node parent, std::string_view key) {
    return add(parent, key, Kind::list);
}

void TemplateData::reserve(std::size_t nodes, std::size_t text_bytes) {
    nodes_.reserve(nodes);
    text_.reserve(text_bytes);
}

void TemplateData::clear() {
    nodes_.clear();
    text_.clear();
    nodes_.push_back(N{Kind::object});
}

TemplateData::Node TemplateData::find(Node object, std::string_view key) const noexcept {
    if (nodes_[object].kind != Kind::object) return npos;
    for (Node c = nodes_[object].first; c != npos; c = nodes_[c].next)
        if (this->key(c) == key) return c;
    return npos;
}

namespace {

void from_json_into(TemplateData& d, TemplateData::Node parent, std::string_view key, const Json& j,
                    std::string& path) {
    switch (j.type()) {
        case Json::value_t::null: d.add_null(parent, key); break;
        case Json::value_t::boolean: d.add_bool(parent, key, j.get<bool>()); break;
        case Json::value_t::number_integer: d.add_int(parent, key, j.get<std::int64_t>()); break;
        case Json::value_t::number_unsigned: {
            const auto v = j.get<std::uint64_t>();
            if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                throw OverflowError(path + ": " + std::to_string(v) + " does not fit in 64 bits");
            d.add_int(parent, key, static_cast<std::int64_t>(v));
            break;
        }
        case Json::value_t::string: d.add_string(parent, key, j.get_ref<const std::string&>()); break;
        case Json::value_t::number_float:
            throw ValidationError(path + ": " + j.dump() +
                                  " is a float; format numbers (money, rates) as text first");
        case Json::value_t::object: {
            const auto n = d.add_object(parent, key);
            for (auto it = j.begin(); it != j.end(); ++it) {
                const std::size_t len = path.size();
                path += '.';
                path += it.key();
                from_json_into(d, n, it.key(), *it, path);
                path.resize(len);
            }
            break;
        }
        case Json::value_t::array: {
            const auto n = d.add_list(parent, key);
            for (std::size_t i = 0; i < j.size(); ++i) {
                const std::size_t len = path.size();
                path += '[' + std::to_string(i) + ']';
                from_json_into(d, n, {}, j[i], path);
                path.resize(len);
            }
            break;
        }
        default: throw ValidationError(path + ": unsupported value in template data");
    }
}

Json to_json_node(const TemplateData& d, TemplateData::Node n) {
    switch (d.kind(n)) {
        case TemplateData::Kind::null: return nullptr;
        case TemplateData::Kind::boolean: return d.boolean(n);
        case TemplateData::Kind::integer: return d.integer(n);
        case TemplateData::Kind::string: return std::string(d.text(n));
        case TemplateData::Kind::list: {
            Json a = Json::array();
            for (auto c = d.first(n); c != TemplateData::npos; c = d.next(c)) a.push_back(to_json_node(d, c));
            return a;
        }
        case TemplateData::Kind::object: {
            Json o = Json::object();
            for (auto c = d.first(n); c != TemplateData::npos; c = d.next(c))
                o[std::string(d.key(c))] = to_json_node(d, c);
            return o;
        }
    }
    return nullptr;
}

}  // namespace

TemplateData TemplateData::from_json(const Json& j) {
    TemplateData d;
    if (!j.is_object())
        throw ValidationError("data: expected an object at the top, got " + std::string(j.type_name()));
    std::string path = "data";
    for (auto it = j.begin(); it != j.end(); ++it) {
        path = "data." + it.key();
        from_json_into(d, d.root(), it.key(), *it, path);
    }
    return d;
}

Json TemplateData::to_json() const { return to_json_node(*this, root()); }

}  // namespace arrears
