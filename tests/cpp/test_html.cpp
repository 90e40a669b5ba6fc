// The core's HTML rendering: one escape, and the notebook views that used to live in the
// bindings (debtor, account, compliance decision, Metro 2 segment).
#include <catch2/catch.hpp>

#include <string>

#include "arrears/account.hpp"
#include "arrears/contact_policy.hpp"
#include "arrears/debtor.hpp"
#include "arrears/html.hpp"
#include "arrears/metro2.hpp"

using namespace arrears;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("html_escape escapes the five characters HTML gives meaning to", "[html]") {
    CHECK(html_escape(R"(<a href="x">Tom & Jerry's</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    CHECK(html_escape("plain text") == "plain text");
    std::string out = "x";
    html_escape_append("<", out);
    CHECK(out == "x&lt;");
}

TEST_CASE("a blocked decision shows each reason with its rule and citation, escaped", "[html]") {
    const Decision d{false, {{"reg_f.time_of_day", "12 CFR 1006.6(b)(1)(i)", "before 8 a.m. <local>"}},
                     {{"note.zone", "", "two zones"}}};
    const std::string html = to_html(d);
    CHECK(contains(html, "blocked"));
    CHECK(contains(html, "<code>reg_f.time_of_day</code>"));
    CHECK(contains(html, "before 8 a.m. &lt;local&gt;"));
    CHECK(contains(html, "<td>note</td>"));
    CHECK(to_html(Decision{}) == "<div><strong style='color:#1a7f37'>allowed</strong></div>");
}

TEST_CASE("a debtor's view masks the SSN and names the best contact point per channel", "[html]") {
    Debtor d;
    d.id = "D1";
    d.first_name = "Ana";
    d.last_name = "<Lopez>";
    d.ssn = Ssn::parse("123-45-6789");
    Phone p;
    p.number = "(212) 555-0100";
    d.phones.push_back(p);
    d.normalize();
    const std::string html = to_html(d);
    CHECK(contains(html, "***-**-6789"));
    CHECK_FALSE(contains(html, "123456789"));
    CHECK_FALSE(contains(html, "123-45"));
    CHECK(contains(html, "Ana &lt;Lopez&gt;"));
    CHECK(contains(html, "(212) 555-0100"));
    CHECK(contains(html, ">call"));  // the best (only) phone for calls
}

TEST_CASE("an account's view shows the balance and escapes what users typed", "[html]") {
    AccountInfo info;
    info.id = "A<1>";
    LedgerTerms terms;
    terms.currency = Currency::of("USD");
    terms.opened_on = parse_date("2025-01-01");
    Account a(info, terms);
    CHECK(contains(to_html(a), "no transactions"));
    a.ledger().post_charge(Money::parse("100.00", terms.currency), parse_date("2025-01-02"), "ref <x>",
                           Component::principal, parse_instant("2025-01-02T12:00:00Z"), "");
    const std::string html = to_html(a);
    CHECK(contains(html, "Account A&lt;1&gt;"));
    CHECK(contains(html, "$100.00"));
    CHECK(contains(html, "ref &lt;x&gt;"));
}

TEST_CASE("a Metro 2 segment's view shows positions and masks the SSN", "[html][metro2]") {
    BaseSegment b;
    b.set_text(Metro2BaseField::social_security_number, "123456789")
        .set_text(Metro2BaseField::consumer_account_number, "C<1>");
    const std::string html = metro2_fields_html(BaseSegment::fields(), b.image());
    CHECK(contains(html, "&lt;masked&gt;"));
    CHECK_FALSE(contains(html, "123456789"));
    CHECK(contains(html, "C&lt;1&gt;"));
    CHECK(contains(html, "<td>consumer_account_number</td><td>43-72</td>"));
}
