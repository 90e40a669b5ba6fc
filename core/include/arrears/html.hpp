// HTML rendering: the one escape function (letters, notebook views) and the notebook views
// (`_repr_html_`) of the domain values that have no rendering of their own. Schedules, plans and
// evaluations render themselves (to_html members) with the same escape.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace arrears {

struct Debtor;
class Account;
struct Decision;
struct Metro2Field;

// & < > " ' become &amp; &lt; &gt; &quot; &#39; (also what a template's {{x}} does).
void html_escape_append(std::string_view text, std::string& out);
std::string html_escape(std::string_view text);

// A debtor: name, masked SSN, time zones, the compliance flags, and a table of its contact
// points with the channels each is the best contact point for.
std::string to_html(const Debtor& debtor);
// An account: status, product, creditor, the balance by component and its last 20 transactions.
std::string to_html(const Account& account);
// A compliance decision: allowed or blocked in colour, then each reason and note with its rule id
// and citation.
std::string to_html(const Decision& decision);
// A Metro 2 segment's fields (name, positions, value as written; SSN and date of birth masked)
// from its layout table and fixed-width image.
std::string metro2_fields_html(std::span<const Metro2Field> fields, std::string_view image);

}  // namespace arrears
