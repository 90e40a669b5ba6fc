// Letter data: the plain inputs a letter is built from (an account, the person it goes to, the
// collector's profile) and the builders that turn them into the TemplateData a template renders:
// formatted money and dates, address blocks, the truncated account number, the reference
// number, the §1006.18(e) disclosure, the §1006.34(c) itemization (checked: it must add up), the
// validation end date (§1006.34(b)(5)), plan schedules, settlement terms and the §1006.6(e)
// e-mail opt-out text.
//
// The inputs are plain values on purpose: the integration maps Account / Debtor / compliance
// decisions onto them (docs/letters.md, "Integration").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/calendar.hpp"
#include "arrears/date.hpp"
#include "arrears/json.hpp"
#include "arrears/letter_format.hpp"
#include "arrears/money.hpp"
#include "arrears/template.hpp"

namespace arrears {

enum class LetterKind : std::uint8_t {
    validation_notice,  // §1006.34, Model Form B-1
    reminder,
    plan_confirmation,
    settlement_offer,
    promise_broken,
    paid_in_full,       // paid in full or settled in full
    dispute_response,   // §1006.38(d)(2) verification (or duplicative-dispute notice)
    custom,             // the common fields only (plus `extra`)
};
LetterKind parse_letter_kind(std::string_view name, std::string_view field = "letter");
std::string_view to_string(LetterKind k);
std::vector<LetterKind> all_letter_kinds();  // the built-in ones, without custom

// §1006.34(b)(3): the reference date the itemization is counted from.
enum class ItemizationReference : std::uint8_t {
    last_statement,
    charge_off,
    last_payment,
    transaction,
    judgment,
};
ItemizationReference parse_itemization_reference(std::string_view name,
                                                 std::string_view field = "itemization_reference");
std::string_view to_string(ItemizationReference r);

// §1006.34(c)(2)(vi)-(ix). All amounts in one currency; interest, fees and payments_credits are
// non-negative magnitudes (a refund of interest is a credit).
struct LetterItemization {
    ItemizationReference reference = ItemizationReference::charge_off;
    Date date{};
    Money amount;            // owed on the itemization date
    Money interest;          // charged since
    Money fees;              // charged since
    Money payments_credits;  // paid or credited since
    Money current;           // owed now

    // amount + interest + fees - payments_credits must equal current; nothing negative; one
    // currency. Throws ValidationError naming `field` and the numbers.
    void check(std::string_view field = "itemization") const;
};

struct LetterInstallment {
    Date due{};
    Money amount;
};

struct SettlementTerms {
    Money amount;                        // accepted in full settlement
    Date expires{};                      // the offer's last day
    std::vector<LetterInstallment> installments;  // empty: one payment by `expires`
};

struct PromiseTerms {
    Money amount;  // promised
    Date due{};    // promised by
    Money received;  // received toward it (less than amount, or the promise was kept)
};

struct Resolution {
    Date date{};     // the day the account was paid or settled
    Money paid;      // total the consumer paid to resolve it
    bool settled = false;  // settled for less than the balance (otherwise paid in full)
};

struct DisputeResponse {
    Date received{};  // when the written dispute arrived
    bool duplicative = false;   // §1006.38(d)(2)(ii): same dispute, no new information
    std::optional<Date> previous_response;  // duplicative: when the earlier response went out
    std::string reason;                     // duplicative: the brief reason
    std::vector<std::string> documents;     // verification enclosed (not duplicative)
};

// The person the letter goes to, with the facts that decide whether it may go at all.
struct LetterRecipient {
    std::string name;
    LetterAddress address;
    bool address_ok = true;       // false: mail came back or the address is known bad
    std::string email;
    bool email_opt_out = false;   // opted out of e-mail to this address (§1006.14(h), §1006.6(e))
    Language language = Language::en;  // the language the consumer asked for
    std::string time_zone;        // IANA zone for e-mail timing; empty: unknown
    bool deceased = false;
    bool bankruptcy = false;      // in bankruptcy (automatic stay)
    bool attorney = false;        // represented by an attorney (§1006.6(b)(2))
    bool cease = false;           // asked in writing to stop (§1006.6(c))
    bool dispute_pause = false;   // collection paused by a dispute (§1006.38)
};

struct LetterAccount {
    std::string account_id;
    std::string reference;          // empty: reference_number(account_id)
    std::string account_number;     // as on the itemization date; printed truncated
    std::string creditor;           // owed now (§1006.34(c)(2)(v))
    std::string original_creditor;  // on the itemization date ((c)(2)(iii)); empty: creditor
    std::string product;            // "Main Street Department Store credit card"
    LetterItemization itemization;
    bool time_barred = false;       // the statute of limitations has run (§1006.26)
    bool initial_communication = false;  // this letter is the first communication (§1006.18(e))
    bool english_notice_sent = false;    // an English validation notice went out before
    std::vector<std::string> notices;    // state disclosures printed under "Important information"
    std::vector<LetterInstallment> plan;
    std::optional<SettlementTerms> settlement;
    std::optional<PromiseTerms> promise;
    std::optional<Resolution> resolution;
    std::optional<DisputeResponse> dispute;
    std::vector<std::pair<std::string, std::string>> extra;  // custom fields: data["extra"][k]
};

// The collector, from a JSON profile (CollectorProfile::from_json).
struct CollectorProfile {
    std::string name;              // "North South Group"
    LetterAddress address;               // where disputes and requests are accepted by mail
    std::string phone;             // "(800) 123-4567"
    std::string hours;             // "from 8am to 8pm EST, Monday to Saturday"
    std::string hours_es;          // Spanish hours text; empty: `hours`
    std::string website;           // "www.example.com"
    std::string dispute_url;       // electronic disputes; empty: not accepted electronically
    std::string original_creditor_url;  // electronic original-creditor requests
    std::string email;             // From: address of e-mail letters
    std::string email_opt_out;     // how to opt out, en: "reply with the word STOP"
    std::string email_opt_out_es;  // es: "responda con la palabra STOP"
    std::string payable_to;        // checks payable to; empty: name
    bool spanish_disclosures = true;  // §1006.34(d)(3)(vi) Spanish lines on English notices
    std::string time_zone = "America/New_York";  // the collector's own zone

    // Keys as the member names; address is {"line1", "line2", "city", "state",
    // "postal_code", "country"}. Unknown keys are rejected with their JSON path.
    static CollectorProfile from_json(const JsonView& j);
    Json to_json() const;
    // name, a mailable address and a phone are required for letters.
    void check(std::string_view field = "collector") const;
};

// §1006.34(b)(5) as payment-math.md §3.5 spells it: the consumer is assumed to receive a notice
// on the fifth business day (Saturdays, Sundays and 5 U.S.C. 6103(a) holidays excluded, with
// their observed days) after the day it is sent; the validation period ends 30 calendar days
// later (no roll to a business day). The compliance area owns the public
// `validation_period`; letters use this until they share one function.
Date letters_assumed_receipt(Date sent, const BusinessCalendar& calendar = {});
Date letters_validation_end(Date sent, const BusinessCalendar& calendar = {});

// §1006.18(e) wording in `lang`: the validation-notice form names collector and creditor
// ("North South Group is a debt collector. We are trying to collect a debt that you owe to Bank
// of Rockville. We will use any information you give us to help collect the debt."); other
// initial communications get the general form; subsequent ones "This communication is from a
// debt collector."
std::string debt_collector_disclosure(LetterKind kind, bool initial, std::string_view collector,
                                      std::string_view creditor, Language lang);
// §1006.6(e) opt-out text for e-mail, with the collector's method.
std::string email_opt_out_text(const CollectorProfile& collector, Language lang);

enum class LetterChannel : std::uint8_t { mail, email };
LetterChannel parse_letter_channel(std::string_view name, std::string_view field = "channel");
std::string_view to_string(LetterChannel c);

// Builds letter data for one campaign: the kind, collector, letter date, calendar and channel
// are fixed, so what they alone decide (the letter date, the validation end date, the
// collector's block, the opt-out text) is worked out once, in both languages. Thread safe.
class LetterBuilder {
public:
    // Validates the collector (ValidationError naming the field).
    LetterBuilder(LetterKind kind, CollectorProfile collector, Date sent,
                  BusinessCalendar calendar = {}, LetterChannel channel = LetterChannel::mail);
    // The data of one letter into `out` (cleared first).
    void build(const LetterAccount& account, const LetterRecipient& recipient, Language lang,
               TemplateData& out) const;
    LetterKind kind() const noexcept { return kind_; }

private:
    struct PerLanguage {
        std::string letter_date, end_date, hours, opt_out, receipt_iso, end_iso;
    };
    LetterKind kind_;
    CollectorProfile collector_;
    Date sent_;
    BusinessCalendar calendar_;
    LetterChannel channel_;
    std::string sent_iso_;
    std::vector<std::string> collector_lines_;
    std::string collector_inline_;
    std::string payable_to_;
    PerLanguage en_, es_;
};

// Builds the data of one letter into `out` (cleared first). Throws ValidationError naming the
// field ("account.itemization: ...", "collector.address: ...") when an input is missing or
// inconsistent. `sent` is the letter's date (the day it is mailed or e-mailed).
void build_letter_data(LetterKind kind, const LetterAccount& account,
                       const LetterRecipient& recipient, const CollectorProfile& collector,
                       Date sent, Language lang, TemplateData& out,
                       const BusinessCalendar& calendar = {}, LetterChannel channel = LetterChannel::mail);
TemplateData letter_data(LetterKind kind, const LetterAccount& account,
                         const LetterRecipient& recipient, const CollectorProfile& collector,
                         Date sent, Language lang, const BusinessCalendar& calendar = {},
                         LetterChannel channel = LetterChannel::mail);

}  // namespace arrears
