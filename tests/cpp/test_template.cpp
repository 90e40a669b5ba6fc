// Mustache behaviour of arrears::Template, checked against the behaviours the Mustache
// specification documents (https://github.com/mustache/spec: interpolation, sections, inverted,
// partials, comments, delimiters). The cases are written here from the documented rules, with
// our own data; where arrears deliberately differs from the spec (strict mode, unknown partials,
// empty strings being falsey) the test says so.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <thread>

#include "arrears/json.hpp"
#include "arrears/template.hpp"

using namespace arrears;

namespace {

struct Case {
    const char* name;
    const char* tmpl;
    const char* data;
    const char* expected;
    std::map<std::string, std::string> partials = {};
};

std::string lenient(const std::string& tmpl, const char* data,
                    std::map<std::string, std::string> partials = {}) {
    return Template(tmpl, std::move(partials), TemplateOptions{false, TemplateEscape::html, Language::en})
        .render(Json::parse(data));
}

std::string strict(const std::string& tmpl, const char* data,
                   std::map<std::string, std::string> partials = {}) {
    return Template(tmpl, std::move(partials)).render(Json::parse(data));
}

void run(const std::vector<Case>& cases) {
    for (const auto& c : cases) {
        INFO(c.name);
        CHECK(lenient(c.tmpl, c.data, c.partials) == c.expected);
    }
}

}  // namespace

TEST_CASE("interpolation follows the spec", "[template][spec]") {
    run({
        {"text without tags renders as is", "Dear {customer},\n", "{}", "Dear {customer},\n"},
        {"a plain tag interpolates", "Balance: {{amount}}.", R"({"amount":"$12.00"})", "Balance: $12.00."},
        {"values are not re-interpolated", "{{a}} / {{b}}", R"({"a":"{{b}}","b":"x"})", "{{b}} / x"},
        {"double mustache escapes HTML", "{{v}}", R"({"v":"Smith & Sons <\"LLC\">"})",
         "Smith &amp; Sons &lt;&quot;LLC&quot;&gt;"},
        {"triple mustache does not escape", "{{{v}}}", R"({"v":"a & <b>"})", "a & <b>"},
        {"ampersand does not escape", "{{&v}}", R"({"v":"a & <b>"})", "a & <b>"},
        {"integers interpolate", "{{n}} days", R"({"n":30})", "30 days"},
        {"negative integers interpolate", "{{{n}}}", R"({"n":-5})", "-5"},
        {"a miss renders empty", "I ({{nothing}}) am here", "{}", "I () am here"},
        {"a triple-mustache miss renders empty", "[{{{nothing}}}]", "{}", "[]"},
        {"an ampersand miss renders empty", "[{{&nothing}}]", "{}", "[]"},
        {"null interpolates as empty", "[{{v}}]", R"({"v":null})", "[]"},
        {"dotted names walk objects", "{{a.b.c}}", R"({"a":{"b":{"c":"deep"}}})", "deep"},
        {"dotted names: a broken chain is a miss", "[{{a.b.c}}]", R"({"a":{"b":{}}})", "[]"},
        {"dotted names: a broken chain does not resolve upward", "[{{a.b.c}}]",
         R"({"a":{"b":{}},"c":"wrong"})", "[]"},
        {"dotted names resolve against the first context holding the first part",
         "{{#a}}[{{b.c}}]{{/a}}", R"({"a":{"b":{}},"b":{"c":"wrong"}})", "[]"},
        {"dotted names are found in outer contexts", "{{#a}}{{b.c}}{{/a}}",
         R"({"a":{"x":1},"b":{"c":"outer"}})", "outer"},
        {"the implicit iterator renders the current value", "{{#list}}({{.}}){{/list}}",
         R"({"list":["a","b",3]})", "(a)(b)(3)"},
        {"surrounding whitespace is kept", "| {{v}} |", R"({"v":"-"})", "| - |"},
        {"an interpolation is never standalone", "  {{v}}\n", R"({"v":"-"})", "  -\n"},
        {"a standalone triple mustache is kept", "  {{{v}}}\n", R"({"v":"-"})", "  -\n"},
        {"padding inside tags is ignored", "|{{ v }}|{{{ v }}}|{{& v }}|", R"({"v":"x"})", "|x|x|x|"},
    });
}

TEST_CASE("sections follow the spec", "[template][spec]") {
    run({
        {"true renders the section", "[{{#b}}yes{{/b}}]", R"({"b":true})", "[yes]"},
        {"false omits it", "[{{#b}}yes{{/b}}]", R"({"b":false})", "[]"},
        {"null omits it", "[{{#b}}yes{{/b}}]", R"({"b":null})", "[]"},
        {"an object is pushed on the context", "{{#who}}Hi {{name}}.{{/who}}",
         R"({"who":{"name":"Ana"}})", "Hi Ana."},
        {"outer contexts stay visible", "{{#a}}{{x}}{{#b}}{{x}}{{y}}{{#c}}{{x}}{{y}}{{z}}{{/c}}{{/b}}{{/a}}",
         R"({"a":{"x":"1"},"b":{"y":"2"},"c":{"z":"3"}})", "112123"},
        {"lists iterate", "{{#rows}}<{{n}}>{{/rows}}", R"({"rows":[{"n":1},{"n":2},{"n":3}]})", "<1><2><3>"},
        {"an empty list omits the section", "[{{#rows}}row{{/rows}}]", R"({"rows":[]})", "[]"},
        {"a string is not a list", "[{{#s}}once{{/s}}]", R"({"s":"123"})", "[once]"},
        {"a section may appear twice", "{{#b}}1{{/b}}-{{#b}}2{{/b}}", R"({"b":true})", "1-2"},
        {"nested truthy sections render", "| A {{#b}}B {{#b}}C{{/b}} D{{/b}} E |", R"({"b":true})",
         "| A B C D E |"},
        {"nested falsey sections are omitted", "| A {{#b}}B {{#b}}C{{/b}} D{{/b}} E |",
         R"({"b":false})", "| A  E |"},
        {"a miss is falsey", "[{{#nothing}}found{{/nothing}}]", "{}", "[]"},
        {"dotted section names", "[{{#a.b}}yes{{/a.b}}]", R"({"a":{"b":true}})", "[yes]"},
        {"dotted section name broken chain is falsey", "[{{#a.b}}yes{{/a.b}}]", R"({"a":{}})", "[]"},
        {"list of lists with the implicit iterator", "{{#l}}({{#.}}{{.}}{{/.}}){{/l}}",
         R"({"l":[["a","b"],["c"]]})", "(ab)(c)"},
        {"surrounding whitespace is kept", " | {{#b}}\t|\t{{/b}} | \n", R"({"b":true})", " | \t|\t | \n"},
        {"internal whitespace is kept", " | {{#b}} {{! note }}\n {{/b}} | \n", R"({"b":true})",
         " |  \n  | \n"},
        {"indented inline sections keep whitespace", " {{#b}}YES{{/b}}\n {{#b}}OK{{/b}}\n",
         R"({"b":true})", " YES\n OK\n"},
        {"standalone lines are removed", "| one\n{{#b}}\n|\n{{/b}}\n| two\n", R"({"b":true})",
         "| one\n|\n| two\n"},
        {"indented standalone lines are removed", "| one\n  {{#b}}\n|\n  {{/b}}\n| two\n",
         R"({"b":true})", "| one\n|\n| two\n"},
        {"CRLF counts as a newline for standalone tags", "|\r\n{{#b}}\r\n{{/b}}\r\n|", R"({"b":true})",
         "|\r\n|"},
        {"standalone needs no previous line", "  {{#b}}\n#{{/b}}\n/", R"({"b":true})", "#\n/"},
        {"standalone needs no following newline", "#{{#b}}\n/\n  {{/b}}", R"({"b":true})", "#\n/\n"},
        {"two section tags on a line are not standalone", "  {{#b}}{{/b}}\n", R"({"b":true})", "  \n"},
        {"a whitespace-only line inside a list is kept", "{{#l}}\n  \n{{/l}}", R"({"l":[1,2]})",
         "  \n  \n"},
        {"padding in section tags", "|{{# b }}={{/ b }}|", R"({"b":true})", "|=|"},
    });
}

TEST_CASE("inverted sections follow the spec", "[template][spec]") {
    run({
        {"false renders the inverted section", "[{{^b}}none{{/b}}]", R"({"b":false})", "[none]"},
        {"true omits it", "[{{^b}}none{{/b}}]", R"({"b":true})", "[]"},
        {"null renders it", "[{{^b}}none{{/b}}]", R"({"b":null})", "[none]"},
        {"an object omits it", "[{{^o}}none{{/o}}]", R"({"o":{}})", "[]"},
        {"a non-empty list omits it", "[{{^l}}none{{/l}}]", R"({"l":[1]})", "[]"},
        {"an empty list renders it", "[{{^l}}none{{/l}}]", R"({"l":[]})", "[none]"},
        {"a miss renders it", "[{{^nothing}}none{{/nothing}}]", "{}", "[none]"},
        {"inverted and normal together", "{{#b}}yes{{/b}}{{^b}}no{{/b}}", R"({"b":false})", "no"},
        {"nested inverted", "| A {{^b}}B {{^c}}C{{/c}} D{{/b}} E |", R"({"b":false,"c":false})",
         "| A B C D E |"},
        {"dotted names", "[{{^a.b}}no{{/a.b}}]", R"({"a":{"b":false}})", "[no]"},
        {"standalone lines are removed", "| one\n{{^b}}\n|\n{{/b}}\n| two\n", R"({"b":false})",
         "| one\n|\n| two\n"},
        {"standalone CRLF", "|\r\n{{^b}}\r\n{{/b}}\r\n|", R"({"b":false})", "|\r\n|"},
        {"padding", "|{{^ b }}={{/ b }}|", R"({"b":false})", "|=|"},
    });
}

TEST_CASE("partials follow the spec", "[template][spec]") {
    run({
        {"a partial expands", "[{{>p}}]", "{}", "[from partial]", {{"p", "from partial"}}},
        {"a missing partial renders nothing (non-strict)", "[{{>missing}}]", "{}", "[]"},
        {"a partial uses the current context", "[{{>p}}]", R"({"t":"ctx"})", "[*ctx*]", {{"p", "*{{t}}*"}}},
        {"partials recurse through sections", "{{>node}}",
         R"({"c":"X","nodes":[{"c":"Y","nodes":[]}]})", "X<Y<>>",
         {{"node", "{{c}}<{{#nodes}}{{>node}}{{/nodes}}>"}}},
        {"surrounding whitespace is kept", "| {{>p}} |", "{}", "| \t|\t |", {{"p", "\t|\t"}}},
        {"inline partials are not indented", "  {{v}}  {{> p}}\n", R"({"v":"|"})", "  |  >\n>\n",
         {{"p", ">\n>"}}},
        {"CRLF standalone partial", "|\r\n{{>p}}\r\n|", "{}", "|\r\n>|", {{"p", ">"}}},
        {"standalone partial without previous line is indented", "  {{>p}}\n>", "{}", "  >\n  >>",
         {{"p", ">\n>"}}},
        {"standalone partial without newline is indented", ">\n  {{>p}}", "{}", ">\n  >\n  >",
         {{"p", ">\n>"}}},
        {"every line of a standalone partial is indented, values are not", "\\\n {{>p}}\n/\n",
         R"({"content":"<\n->"})", "\\\n |\n <\n->a b<\n->c\n |\n/\n",
         {{"p", "|\n{{{content}}}a b{{{content}}}c\n|\n"}}},
        {"padding in partial tags", "|{{> p }}|", "{}", "|[]|", {{"p", "[]"}}},
        {"a partial's delimiters do not leak out", "[ {{>inc}} ]\n[ .{{v}}.  .|v|. ]\n",
         R"({"v":"yes"})", "[ .yes.  .yes. ]\n[ .yes.  .|v|. ]\n",
         {{"inc", ".{{v}}. {{= | | =}} .|v|."}}},
        {"the parent's delimiters do not reach a partial", "[ {{>inc}} ]\n{{= | | =}}\n[ |>inc| ]\n",
         R"({"v":"yes"})", "[ .yes. ]\n[ .yes. ]\n", {{"inc", ".{{v}}."}}},
    });
}

TEST_CASE("comments follow the spec", "[template][spec]") {
    run({
        {"inline comments vanish", "12345{{! a comment }}67890", "{}", "1234567890"},
        {"multiline comments vanish", "12345{{!\n  a comment\n  over lines\n}}67890", "{}", "1234567890"},
        {"standalone comment lines are removed", "Begin.\n{{! note }}\nEnd.\n", "{}", "Begin.\nEnd.\n"},
        {"indented standalone comments are removed", "Begin.\n  {{! note }}\nEnd.\n", "{}",
         "Begin.\nEnd.\n"},
        {"CRLF standalone comment", "|\r\n{{! note }}\r\n|", "{}", "|\r\n|"},
        {"standalone comment without previous line", "  {{! note }}\n!", "{}", "!"},
        {"standalone comment without newline", "!\n  {{! note }}", "{}", "!\n"},
        {"multiline standalone comment", "Begin.\n{{!\nnote\n}}\nEnd.\n", "{}", "Begin.\nEnd.\n"},
        {"indented multiline standalone comment", "Begin.\n  {{!\n    note\n  }}\nEnd.\n", "{}",
         "Begin.\nEnd.\n"},
        {"indented inline comment keeps whitespace", "  12 {{! 34 }}\n", "{}", "  12 \n"},
        {"surrounding whitespace is kept", "12345 {{! note }} 67890", "{}", "12345  67890"},
        {"a comment named like a variable is still a comment", "comments never show: >{{! v }}<",
         R"({"v":"shown"})", "comments never show: ><"},
    });
}

TEST_CASE("set delimiters follow the spec", "[template][spec]") {
    run({
        {"delimiters change", "{{=<% %>=}}(<%t%>)", R"({"t":"Hey!"})", "(Hey!)"},
        {"regex-special characters work", "({{=[ ]=}}[t])", R"({"t":"It worked!"})", "(It worked!)"},
        {"delimiters persist across sections",
         "[\n{{#s}}\n  {{d}}\n  |d|\n{{/s}}\n\n{{= | | =}}\n|#s|\n  {{d}}\n  |d|\n|/s|\n]\n",
         R"({"s":true,"d":"I got interpolated."})",
         "[\n  I got interpolated.\n  |d|\n\n  {{d}}\n  I got interpolated.\n]\n"},
        {"delimiters persist across inverted sections",
         "[\n{{^s}}\n  {{d}}\n  |d|\n{{/s}}\n\n{{= | | =}}\n|^s|\n  {{d}}\n  |d|\n|/s|\n]\n",
         R"({"s":false,"d":"I got interpolated."})",
         "[\n  I got interpolated.\n  |d|\n\n  {{d}}\n  I got interpolated.\n]\n"},
        {"surrounding whitespace is kept", "| {{=@ @=}} |", "{}", "|  |"},
        {"outlying whitespace inline is kept", " | {{=@ @=}}\n", "{}", " | \n"},
        {"standalone set-delimiter lines are removed", "Begin.\n{{=@ @=}}\nEnd.\n", "{}", "Begin.\nEnd.\n"},
        {"indented standalone set-delimiter lines are removed", "Begin.\n  {{=@ @=}}\nEnd.\n", "{}",
         "Begin.\nEnd.\n"},
        {"CRLF standalone", "|\r\n{{= @ @ =}}\r\n|", "{}", "|\r\n|"},
        {"standalone without previous line", "  {{=@ @=}}\n=", "{}", "="},
        {"standalone without newline", "=\n  {{=@ @=}}", "{}", "=\n"},
        {"padding in the tag", "|{{= @   @ =}}|", "{}", "||"},
        {"triple mustache only with braces; ampersand with any delimiters", "{{=<% %>=}}<%&v%>|{{{v}}}",
         R"({"v":"<b>"})", "<b>|{{{v}}}"},
    });
}

TEST_CASE("strict mode turns every miss into an error naming the tag and its position",
          "[template][strict]") {
    CHECK(strict("Pay {{amount}} by {{date}}.", R"({"amount":"$1.00","date":"May 1, 2026"})") ==
          "Pay $1.00 by May 1, 2026.");
    CHECK_THROWS_WITH(strict("Dear {{name}},\nPay {{amount}}.", R"({"name":"Ana"})"),
                      "template line 2, column 5: missing variable 'amount'");
    CHECK_THROWS_AS(strict("{{amount}}", "{}"), TemplateSyntaxError);
    CHECK_THROWS_WITH(strict("[{{#flag}}x{{/flag}}]", "{}"),
                      "template line 1, column 2: missing section 'flag'");
    CHECK_THROWS_WITH(strict("{{a}}", R"({"a":null})"), Catch::Contains("'a' is null, not text"));
    CHECK_THROWS_WITH(strict("{{a}}", R"({"a":true})"), Catch::Contains("'a' is true, not text"));
    CHECK_THROWS_WITH(strict("{{a}}", R"({"a":[1]})"), Catch::Contains("'a' is a list, not text"));
    CHECK_THROWS_WITH(strict("{{a}}", R"({"a":{}})"), Catch::Contains("'a' is an object, not text"));
    // A miss inside a partial names the partial.
    CHECK_THROWS_WITH(strict("x\n{{>foot}}", "{}", {{"foot", "Call {{phone}}"}}),
                      "partial 'foot' line 1, column 6: missing variable 'phone'");
    // A standalone indented partial still reports the partial's own column.
    CHECK_THROWS_WITH(strict("x\n    {{>foot}}\n", "{}", {{"foot", "Call {{phone}}\n"}}),
                      "partial 'foot' line 1, column 6: missing variable 'phone'");
    // A miss in the second item of a list.
    CHECK_THROWS_WITH(strict("{{#rows}}{{due}} {{/rows}}", R"({"rows":[{"due":"a"},{}]})"),
                      Catch::Contains("missing variable 'due'"));
    // Falsey values are fine in sections: strict is about names that are absent.
    CHECK(strict("[{{#a}}x{{/a}}{{^b}}y{{/b}}{{#c}}z{{/c}}]", R"({"a":false,"b":null,"c":""})") == "[y]");
}

TEST_CASE("empty strings are falsey for sections (arrears' choice; the spec is silent)",
          "[template]") {
    CHECK(strict("[{{#web}}Visit {{web}}{{/web}}]", R"({"web":""})") == "[]");
    CHECK(strict("[{{^web}}no site{{/web}}]", R"({"web":""})") == "[no site]");
}

TEST_CASE("syntax errors carry the line and column", "[template][errors]") {
    auto error_of = [](const std::string& t, std::map<std::string, std::string> p = {}) -> std::string {
        try {
            Template tt(t, std::move(p));
        } catch (const TemplateSyntaxError& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(error_of("ok\nthen {{name") == "template line 2, column 6: unclosed tag: '{{' has no '}}'");
    CHECK(error_of("{{{raw}}") == "template line 1, column 1: unclosed tag: '{{{' has no '}}}'");
    CHECK(error_of("a\n\n  {{#items}}\nx") ==
          "template line 3, column 3: section 'items' is never closed");
    CHECK(error_of("{{#a}}x{{/b}}") ==
          "template line 1, column 8: section 'a' (opened at line 1, column 1) is closed by '{{/b}}'");
    CHECK(error_of("x{{/a}}") == "template line 1, column 2: closing tag '{{/a}}' has no open section");
    CHECK(error_of("x {{}} y") == "template line 1, column 3: empty tag '{{}}'");
    CHECK(error_of("x {{#}}{{/}}") == "template line 1, column 3: empty name in tag '{{#}}'");
    CHECK(error_of("{{first name}}") ==
          "template line 1, column 1: tag name 'first name' contains whitespace");
    CHECK(error_of("{{a..b}}") == "template line 1, column 1: tag name 'a..b' has an empty part between dots");
    CHECK(error_of("{{=<% %>}}") ==
          "template line 1, column 1: invalid set-delimiter tag '{{=<% %>}}' (expected {{=<open> <close>=}})");
    CHECK(error_of("{{=<%%>=}}") ==
          "template line 1, column 1: invalid set-delimiter tag '{{=<%%>=}}' (expected two delimiters "
          "without whitespace or '=')");
    CHECK(error_of("a\x01") == "template line 1, column 2: control character U+0001 is not allowed in a template");
    // Columns count characters, not UTF-8 bytes.
    CHECK(error_of("Señor {{x") == "template line 1, column 7: unclosed tag: '{{' has no '}}'");
    // Errors in partials name the partial; unknown partials are errors, not blanks.
    CHECK(error_of("{{>foot}}", {{"foot", "a\n{{#x}}"}}) ==
          "partial 'foot' line 2, column 1: section 'x' is never closed");
    CHECK(error_of("Dear X,\n{{>disclosure}}") ==
          "template line 2, column 1: unknown partial 'disclosure'");
    CHECK(error_of("{{>a}}", {{"a", "{{>b}}"}, {"b", "x {{>a}}"}}) ==
          "partial 'b' line 1, column 3: partial 'a' includes itself with no section in between (it "
          "would never end)");
    CHECK_NOTHROW(Template("{{>a}}", {{"a", "{{#more}}{{>a}}{{/more}}"}}));
    TemplateSyntaxError e("template", 3, 7, "x");
    CHECK(e.line() == 3);
    CHECK(e.column() == 7);
    CHECK(e.source() == "template");
}

TEST_CASE("nesting is limited so that no template or data exhausts the stack", "[template][errors]") {
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "{{#a}}";
    deep += "x";
    for (int i = 0; i < 100; ++i) deep += "{{/a}}";
    CHECK(strict(deep, R"({"a":true})") == "x");
    CHECK_THROWS_WITH(Template("{{#a}}" + deep + "{{/a}}"),
                      "template line 1, column 601: section 'a' nests more than 100 sections deep");
    // A partial that includes itself through a section the data keeps true.
    CHECK_THROWS_WITH(strict("{{>p}}", R"({"a":true})", {{"p", "{{#a}}{{>p}}{{/a}}"}}),
                      Catch::StartsWith("partial 'p' line 1, column 7: partial 'p' opens inside 100 "
                                        "nested sections and partials (the limit is 100"));
    CHECK_THROWS_AS(lenient("{{>p}}", "{}", {{"p", "{{^no}}{{>p}}{{/no}}"}}), TemplateSyntaxError);
    // Inside a missing inverted section (now a counted context) {{.}} is still the one around it.
    CHECK(lenient("{{#a}}{{^no}}<{{.}}>{{/no}}{{/a}}", R"({"a":["x","y"]})") == "<x><y>");
    // Data: a value at most TemplateData::max_depth levels down.
    TemplateData d;
    auto node = d.root();
    for (std::uint32_t i = 1; i < TemplateData::max_depth; ++i) node = d.add_list(node, "a");
    CHECK_NOTHROW(d.add_string(node, "a", "x"));  // 512 levels down
    const auto last = d.add_list(node, "b");       // a list 512 levels down...
    CHECK_THROWS_WITH(d.add_null(last, ""),        // ...holds nothing
                      "data: values nest more than 512 levels deep (dicts and lists inside each other)");
}

TEST_CASE("building a template is linear in its tags, even on one line", "[template]") {
    // Columns used to be counted from the line start for every tag (quadratic); a long line of
    // tags still reports the right column.
    std::string src;
    for (int i = 0; i < 2000; ++i) src += "{{x}}";
    src += "{{y";
    try {
        Template t(src);
        FAIL("no error");
    } catch (const TemplateSyntaxError& e) {
        CHECK(e.column() == 2000 * 5 + 1);
    }
}

TEST_CASE("floats in the data are refused with the path", "[template][errors]") {
    CHECK_THROWS_WITH(strict("{{#rows}}{{x}}{{/rows}}", R"({"rows":[{"x":1},{"x":1.5}]})"),
                      "data.rows[1].x: 1.5 is a float; format numbers (money, rates) as text first");
}

TEST_CASE("escape none inserts values as they are (plain-text letters)", "[template]") {
    Template t("{{a}} {{{a}}}", {}, TemplateOptions{true, TemplateEscape::none, Language::en});
    CHECK(t.render(Json::parse(R"({"a":"A & B <c>"})")) == "A & B <c> A & B <c>");
}

TEST_CASE("a shape's skeleton is reused, and different values still render their own text",
          "[template][cache]") {
    Template t("{{#rows}}{{n}};{{/rows}}{{#flag}}!{{/flag}}{{name}}");
    CHECK(t.render(Json::parse(R"({"rows":[{"n":1}],"flag":true,"name":"a"})")) == "1;!a");
    CHECK(t.render(Json::parse(R"({"rows":[{"n":2}],"flag":true,"name":"b & c"})")) == "2;!b &amp; c");
    CHECK(t.cached_shapes() == 1);
    CHECK(t.render(Json::parse(R"({"rows":[{"n":2},{"n":3}],"flag":false,"name":"d"})")) == "2;3;d");
    CHECK(t.cached_shapes() == 2);
    // Keys no tag can reach do not make new shapes.
    CHECK(t.render(Json::parse(R"({"rows":[{"n":9}],"flag":true,"name":"e","other":[1,2,3]})")) == "9;!e");
    CHECK(t.cached_shapes() == 2);
}

TEST_CASE("rendering from several threads gives the same letters", "[template][threads]") {
    Template t("{{#items}}<li>{{label}}: {{amount}}</li>{{/items}}{{^items}}none{{/items}}");
    std::vector<Json> data;
    std::vector<std::string> expected;
    for (int i = 0; i < 200; ++i) {
        Json d;
        d["items"] = Json::array();
        std::string e;
        for (int k = 0; k < i % 4; ++k) {
            d["items"].push_back({{"label", "L" + std::to_string(k)}, {"amount", std::to_string(i * k)}});
            e += "<li>L" + std::to_string(k) + ": " + std::to_string(i * k) + "</li>";
        }
        if (i % 4 == 0) e = "none";
        data.push_back(d);
        expected.push_back(e);
    }
    std::vector<std::string> got(data.size());
    std::vector<std::thread> threads;
    for (int w = 0; w < 4; ++w)
        threads.emplace_back([&, w] {
            for (std::size_t i = static_cast<std::size_t>(w); i < data.size(); i += 4) got[i] = t.render(data[i]);
        });
    for (auto& th : threads) th.join();
    CHECK(got == expected);
}

TEST_CASE("lint lists names, what strict rendering would miss, unused keys and required ones",
          "[template][lint]") {
    Template t("Dear {{name}},\n{{#plan}}{{#rows}}{{due}}{{/rows}}{{/plan}}{{>foot}}",
               {{"foot", "{{disclosure}} {{phone}}"}});
    const Json data = Json::parse(R"({"name":"A","plan":{"rows":[{"x":1}]},"extra":"e","disclosure":"d"})");
    const auto td = TemplateData::from_json(data);
    const auto r = t.lint(&td, {"disclosure", "opt_out"});
    CHECK(r.variables == std::vector<std::string>{"disclosure", "due", "name", "phone"});
    CHECK(r.sections == std::vector<std::string>{"plan", "rows"});
    CHECK(r.partials == std::vector<std::string>{"foot"});
    CHECK(r.missing == std::vector<std::string>{"due (template line 2, column 19)",
                                               "phone (partial 'foot' line 1, column 16)"});
    CHECK(r.unused == std::vector<std::string>{"extra"});
    CHECK(r.missing_required == std::vector<std::string>{"opt_out"});
    CHECK_FALSE(r.ok());
    const auto clean = t.lint(nullptr, {"disclosure"});
    CHECK(clean.ok());
}
