// Letter campaigns: suppression with a reason per account, and the batch renderer that builds
// every letter's data and renders it in worker threads into the files of one folder: combined
// HTML/text files per batch, optionally one file per letter, a print-vendor CSV and index.csv;
// each file's SHA-256. The renderer does no I/O itself: it hands each file to a FileSink
// (file_sink.hpp). PDFs, .eml files, the manifest and the communication log are added by the
// Python side (arrears.letters.Campaign), which owns the folder's life cycle (arrears.outputs).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/builtin_letters.hpp"
#include "arrears/calendar.hpp"
#include "arrears/date.hpp"
#include "arrears/file_sink.hpp"
#include "arrears/letter.hpp"
#include "arrears/sha256.hpp"
#include "arrears/template.hpp"

namespace arrears {

// Why a selected account gets no letter. Checked in this order; the first that applies is the
// one reported.
enum class SuppressionReason : std::uint8_t {
    deceased,
    bankruptcy,          // automatic stay
    attorney,            // §1006.6(b)(2): talk to the attorney instead
    cease,               // §1006.6(c): unless the letter is cease_exempt
    dispute_pause,       // §1006.38(d)(2): unless the letter is dispute_exempt
    time_barred,         // §1006.26(b): only letters tagged legal
    no_mailing_address,  // mail: address flagged bad or not mailable
    no_email_address,    // e-mail: no address
    email_opt_out,       // e-mail: opted out (§1006.14(h))
    time_of_day,         // e-mail: outside 8 a.m.-9 p.m. where the consumer is (§1006.6(b)(1)(i))
};
std::string_view to_string(SuppressionReason r);
std::vector<SuppressionReason> all_suppression_reasons();

// What a letter is, for suppression. Tags: "collection", "legal" (mentions legal action),
// "cease_exempt" (a §1006.6(c)(2) notice), "dispute_exempt" (may go while a dispute pauses
// collection). Unknown tags are a ValidationError.
struct LetterTags {
    bool legal = false;
    bool cease_exempt = false;
    bool dispute_exempt = false;
    static LetterTags parse(const std::vector<std::string>& tags);
};

// E-mail timing: allowed when the consumer's local time is in [start_minute, end_minute) of the
// day. Without a known zone the e-mail must be allowed in every zone of `unknown_zone_zones`
// (the intersection; the reference's rule for an unknown location).
struct SendWindow {
    int start_minute = 8 * 60;
    int end_minute = 21 * 60;
    std::vector<std::string> unknown_zone_zones = {
        "America/New_York", "America/Chicago",   "America/Denver", "America/Phoenix",
        "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu"};
};

// The first reason that stops the letter, or nullopt. send_at is needed for e-mail.
std::optional<SuppressionReason> suppression_reason(const LetterAccount& account,
                                                    const LetterRecipient& recipient,
                                                    LetterChannel channel, const LetterTags& tags,
                                                    std::optional<Instant> send_at = std::nullopt,
                                                    const SendWindow& window = {});

// The accounts of a campaign as columns (struct of arrays). Text columns are views into memory
// the caller keeps alive for the call (the Python binding points them at the str objects of the
// selection); an empty column means "absent" (every row gets the default). `owned` keeps any
// text the caller had to convert.
struct LetterColumns {
    using Text = std::vector<std::string_view>;
    using Flags = std::vector<std::uint8_t>;
    using Cents = std::vector<std::int64_t>;
    std::size_t rows = 0;

    // account
    Text account_id, reference, account_number, creditor, original_creditor, product, currency;
    Text itemization_reference;
    std::vector<Date> itemization_date;
    Cents itemization_amount_cents, interest_cents, fees_cents, payments_credits_cents, current_cents;
    Flags time_barred, initial_communication, english_notice_sent;
    std::vector<std::vector<std::string>> notices;
    std::vector<std::vector<LetterInstallment>> plan;
    std::vector<std::optional<SettlementTerms>> settlement;
    std::vector<std::optional<PromiseTerms>> promise;
    std::vector<std::optional<Resolution>> resolution;
    std::vector<std::optional<DisputeResponse>> dispute;
    std::vector<std::vector<std::pair<std::string, std::string>>> extra;
    // recipient
    Text recipient_name, address_line1, address_line2, city, state, postal_code, country;
    Text email, language, time_zone;
    Flags address_ok, email_opt_out, deceased, bankruptcy, attorney, cease, dispute_pause;

    std::vector<std::string> owned;  // storage for converted text (reserve before pointing at it)

    // Throws ValidationError naming the column when a present column has the wrong length or a
    // required one (account_id, creditor, current_cents, recipient_name) is absent.
    void check() const;
    // Row i as plain values. Money columns are in `currency` (default USD) minor units.
    LetterAccount account(std::size_t i) const;
    LetterRecipient recipient(std::size_t i) const;
};

// suppression_reason for every row of a table (reads only the columns suppression needs).
// Errors (an unknown time zone) name the account and row.
std::vector<std::optional<SuppressionReason>> suppression_reasons(const LetterColumns& table,
                                                                  LetterChannel channel, const LetterTags& tags,
                                                                  std::optional<Instant> send_at = std::nullopt,
                                                                  const SendWindow& window = {});

struct CampaignSpec {
    std::string name = "campaign";
    LetterKind kind = LetterKind::custom;
    LetterChannel channel = LetterChannel::mail;
    // Templates by (language, format); every language used and every format asked must be here.
    std::map<std::pair<Language, LetterFormat>, Template> templates;
    std::optional<Language> language;  // nullopt: each recipient's own language
    // Spanish validation notices carry the English notice too (in the same letter) unless the
    // account says an English one went out before (§1006.34(e) translations).
    bool english_with_translation = true;
    CollectorProfile collector;
    Date sent{};
    BusinessCalendar calendar;
    std::size_t batch_size = 1000;
    std::vector<LetterFormat> formats = {LetterFormat::html};
    bool combined = true;        // one file per batch and format
    bool one_file_each = false;  // letters/<letter_id>.<ext>
    std::string stylesheet;      // inside HTML documents
    std::vector<std::pair<std::string, std::string>> csv_columns;  // (header, data path)
    bool collect = false;        // keep each letter's text in the result (e-mail, previews)
    unsigned threads = 0;        // 0: hardware concurrency
};

struct RenderedLetter {
    std::size_t row = 0;
    std::string letter_id;       // "<campaign>-000001"
    std::size_t batch = 0;       // 1-based
    Language language = Language::en;
    std::vector<std::pair<std::string, std::uint64_t>> offsets;  // per combined file: byte offset
    std::vector<std::uint64_t> lengths;                          // and length of the letter
    std::string html;            // when collected
    std::string text;
};

struct CampaignOutput {
    std::vector<RenderedLetter> letters;
    std::vector<WrittenFile> files;
};

// progress(done, total) is called from the calling thread between batches; returning false
// cancels (ValidationError "cancelled"). An exception thrown by it stops the workers and is
// rethrown. Data errors name the account and row; of several, the first row's is reported.
using CampaignProgress = std::function<bool(std::size_t done, std::size_t total)>;

// Renders `rows` of `table` (in that order) and, with a sink, writes the files through it:
// letters-NNNN.html/.txt per batch, letters/<id>.* with one_file_each, print_vendor.csv with
// csv_columns (every cell quoted), and index.csv (where each letter is: file, byte offset and
// length per format); both CSVs through append_csv_field. Without a sink (nullptr) nothing is
// written (previews, dry runs). When a letter fails to build or render, the sink discards what
// was written and the error names the account and row.
CampaignOutput render_campaign(const LetterColumns& table, const std::vector<std::size_t>& rows,
                               const CampaignSpec& spec, FileSink* sink,
                               const CampaignProgress& progress = {});

// The value at a dotted path in letter data ("recipient.address.postal_code",
// "recipient.address_lines.0") as text; nullopt when the path is absent or not a scalar.
std::optional<std::string> lookup_text(const TemplateData& data, std::string_view path);

}  // namespace arrears
