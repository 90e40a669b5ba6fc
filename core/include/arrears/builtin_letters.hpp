// The built-in letters, in English and Spanish, as HTML and plain text: the validation notice
// (CFPB Model Form B-1, section by section, with the tear-off response form and the Spanish
// request lines), payment reminder, payment plan confirmation, settlement offer, promise-broken
// notice, paid-in-full / settled-in-full letter and dispute verification response. They render
// the data of build_letter_data (letter.hpp). Shared pieces are partials a campaign may replace:
// letterhead, closing, disclosure, state_disclosures, e_mail_footer.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/letter.hpp"
#include "arrears/letter_format.hpp"
#include "arrears/template.hpp"

namespace arrears {

enum class LetterFormat : std::uint8_t { html, text };
LetterFormat parse_letter_format(std::string_view name, std::string_view field = "format");
std::string_view to_string(LetterFormat f);

// The built-in template; `partials` replace or add partials (for example a state's
// "state_disclosures"). HTML templates render one <article class="letter"> fragment; wrap
// fragments with html_document. Text templates do not escape.
Template builtin_template(LetterKind kind, Language lang, LetterFormat format = LetterFormat::html,
                          const std::map<std::string, std::string>& partials = {});
// Source and partials of a built-in template, for reading and for starting a custom one.
std::string builtin_source(LetterKind kind, Language lang, LetterFormat format);
std::map<std::string, std::string> builtin_partials(Language lang, LetterFormat format);

// Print stylesheet of the HTML letters: US Letter pages, one letter per sheet (a validation
// notice with state disclosures takes two), the tear-off form behind a cut line.
std::string_view builtin_stylesheet();
// A complete HTML document around letter fragments (a combined batch file, or one letter).
std::string html_document_head(std::string_view title, std::string_view stylesheet);
std::string_view html_document_tail();

// The tags of a built-in letter, which decide suppression: "collection" (an attempt to collect),
// "cease_exempt" (allowed after a cease request: 12 CFR 1006.6(c)(2)), "dispute_exempt"
// (allowed while a dispute pauses collection).
std::vector<std::string> builtin_tags(LetterKind kind);
// The subject line of an e-mail letter.
std::string builtin_subject(LetterKind kind, Language lang);

}  // namespace arrears
