// Letter templates: Mustache (https://mustache.github.io/mustache.5.html), rendered with
// kainjow/mustache behind this interface (no kainjow type appears here).
//
// Full Mustache behaviour: HTML-escaped {{x}}, raw {{{x}}} and {{&x}}, sections, inverted
// sections, partials (with standalone indentation), comments, set delimiters, dotted names and
// the implicit iterator {{.}}. Data is a Json tree: objects, arrays, strings, integers, booleans
// and null. Falsey for sections: false, null, "" and []. Floats are refused (money is never a
// float; format numbers before they reach a letter).
//
// strict (the default) makes every name lookup that finds nothing an error naming the tag and
// its line and column, and so is interpolating null, a boolean, an object or an array: a letter
// must never go out with a blank amount or date. Non-strict follows the Mustache spec (a miss
// renders as the empty string, a missing section is falsey).
//
// Syntax errors (unclosed tags and sections, mismatched closing tags, empty or blank names,
// invalid set-delimiter tags, control characters) are TemplateSyntaxError with the line and
// column (1-based, counted in characters) in the template or the named partial. In strict mode
// an unknown partial is an error at construction (a letter must not silently lose a
// disclosure); non-strict renders it as the empty string, as the spec says.
//
// Limits, so that no template or data can exhaust the stack: sections nest at most
// Template::max_nesting (100) deep in one source (TemplateSyntaxError at construction); at
// render, sections and partials open around a tag count together against the same limit (a
// partial that includes itself through a section the data keeps true); data nests at most
// TemplateData::max_depth (512) levels of objects and lists (ValidationError).
//
// Not supported (letters need none of them, and each would let data run code or change the
// template): lambdas, template inheritance (blocks and parents), dynamic partial names, floats in
// the data, and a root that is not an object.
//
// Rendering is thread safe: a Template is immutable; copies share one compiled form.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/error.hpp"
#include "arrears/html.hpp"  // html_escape: what {{x}} does
#include "arrears/json.hpp"
#include "arrears/letter_format.hpp"

namespace arrears {

enum class TemplateEscape : std::uint8_t {
    html,  // {{x}} escapes & < > " ' (HTML letters)
    none,  // {{x}} is inserted as is (plain-text letters and e-mail text parts)
};
TemplateEscape parse_template_escape(std::string_view name, std::string_view field = "escape");
std::string_view to_string(TemplateEscape e);

struct TemplateOptions {
    bool strict = true;
    TemplateEscape escape = TemplateEscape::html;
    // The letter's language. The template does not use it; it tells campaigns which recipients
    // the template is for and the Python binding how to format Money and dates handed to render().
    Language language = Language::en;
};

// A template that does not parse. source() is "template" or "partial 'name'".
class TemplateSyntaxError : public ValidationError {
public:
    TemplateSyntaxError(std::string source, int line, int column, std::string problem);
    const std::string& source() const noexcept { return source_; }
    int line() const noexcept { return line_; }
    int column() const noexcept { return column_; }
    const std::string& problem() const noexcept { return problem_; }

private:
    std::string source_;
    int line_;
    int column_;
    std::string problem_;
};

// One tag of a template, for listings and lint.
struct TemplateTag {
    std::string name;    // "amount", "itemization.date", "." ; partial name for partials
    std::string kind;    // variable, raw, section, inverted, partial
    std::string source;  // "template" or "partial 'footer'"
    int line = 0;
    int column = 0;
};

// What lint found. ok() when nothing is missing.
struct TemplateLint {
    std::vector<std::string> variables;         // names interpolated ({{x}}, {{{x}}}, {{&x}}), sorted
    std::vector<std::string> sections;          // names used as sections or inverted sections
    std::vector<std::string> partials;          // partial names referenced
    std::vector<std::string> missing;           // with data: "name (template line 3, column 7)"
    std::vector<std::string> unused;            // with data: top-level keys no tag can reach
    std::vector<std::string> missing_required;  // required names not interpolated anywhere
    bool ok() const noexcept { return missing.empty() && missing_required.empty(); }
};

// The data a template renders: a tree of objects, lists, strings, integers, booleans and null,
// held in one arena (nodes in a vector, all text in one buffer) so a letter's data is built with
// a handful of allocations. Members keep the order they were added in.
class TemplateData {
public:
    enum class Kind : std::uint8_t { null, boolean, integer, string, list, object };
    using Node = std::uint32_t;
    static constexpr Node npos = 0xFFFFFFFFu;

    // How many objects and lists a value may sit inside (the root counts as none): deeper data is
    // a ValidationError, never a stack overflow while building, walking or rendering it.
    static constexpr std::uint32_t max_depth = 512;

    TemplateData();  // an empty object as root
    // Json -> TemplateData. Floats are refused with their path ("data.rows[1].x: 1.5 is a float").
    static TemplateData from_json(const Json& j);
    Json to_json() const;

    Node root() const noexcept { return 0; }
    Kind kind(Node n) const noexcept { return nodes_[n].kind; }
    std::string_view key(Node n) const noexcept { return view(nodes_[n].key_off, nodes_[n].key_len); }
    std::uint32_t key_hash(Node n) const noexcept { return nodes_[n].key_hash; }
    std::string_view text(Node n) const noexcept {
        return view(nodes_[n].val_off, static_cast<std::uint32_t>(nodes_[n].num));
    }
    bool boolean(Node n) const noexcept { return nodes_[n].num != 0; }
    std::int64_t integer(Node n) const noexcept { return nodes_[n].num; }
    std::size_t size(Node n) const noexcept { return nodes_[n].count; }
    Node first(Node n) const noexcept { return nodes_[n].first; }
    Node next(Node n) const noexcept { return nodes_[n].next; }
    Node find(Node object, std::string_view key) const noexcept;  // npos when absent
    std::size_t node_count() const noexcept { return nodes_.size(); }

    // Building. `parent` is an object (members need a key; keys must be unique within an object,
    // which is not checked) or a list (the key is ignored).
    Node add_string(Node parent, std::string_view key, std::string_view value);
    Node add_bool(Node parent, std::string_view key, bool value);
    Node add_int(Node parent, std::string_view key, std::int64_t value);
    Node add_null(Node parent, std::string_view key);
    Node add_object(Node parent, std::string_view key);
    Node add_list(Node parent, std::string_view key);
    void reserve(std::size_t nodes, std::size_t text_bytes);
    void clear();  // back to an empty root object, keeping the capacity

    static std::uint32_t hash_key(std::string_view key) noexcept;  // FNV-1a

private:
    struct N {
        Kind kind;
        std::uint16_t depth = 0;  // objects and lists around it (fits in the padding after kind)
        std::uint32_t key_off = 0, key_len = 0, key_hash = 0;
        std::uint32_t val_off = 0;
        std::int64_t num = 0;  // integer, boolean, or string length
        Node first = npos, last = npos, next = npos;
        std::uint32_t count = 0;
    };
    Node add(Node parent, std::string_view key, Kind kind);
    std::string_view view(std::uint32_t off, std::uint32_t len) const noexcept {
        return std::string_view(text_.data() + off, len);
    }
    std::vector<N> nodes_;
    std::string text_;
};

namespace detail {
struct CompiledTemplate;
}

class Template {
public:
    // Sections (and, at render, sections and partials together) nested deeper than this are a
    // TemplateSyntaxError.
    static constexpr int max_nesting = 100;

    // Parses `source` and every partial now; syntax errors, unknown partials and partials that
    // include themselves without a section in between are reported here.
    explicit Template(std::string source, std::map<std::string, std::string> partials = {},
                      TemplateOptions options = {});

    std::string render(const TemplateData& data) const;
    std::string render(const Json& data) const { return render(TemplateData::from_json(data)); }
    // Appends the rendered letter to `out` (batch rendering reuses one buffer).
    void render_append(const TemplateData& data, std::string& out) const;

    // Names used, and with `data` the names a strict render would miss (all of them, not only
    // the first) and the top-level keys no tag can reach. `required`: names that must be
    // interpolated somewhere in the template or its partials (disclosures).
    TemplateLint lint(const TemplateData* data, const std::vector<std::string>& required = {}) const;

    const std::string& source() const noexcept;
    const std::map<std::string, std::string>& partials() const noexcept;
    const TemplateOptions& options() const noexcept;
    // Every tag of the template and of the partials, in source order.
    std::vector<TemplateTag> tags() const;
    // Compiled shapes held in the render cache (for tests and diagnostics).
    std::size_t cached_shapes() const;

    friend bool operator==(const Template& a, const Template& b);

private:
    std::shared_ptr<detail::CompiledTemplate> impl_;
};

}  // namespace arrears
