// Letters from the store: the letter columns of stored accounts and debtors as of a date (one
// batch call), and the sink that logs every letter a campaign sent as a communication.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "arrears/contact_attempt.hpp"
#include "arrears/json.hpp"
#include "arrears/letter.hpp"
#include "arrears/store.hpp"
#include "store/bulk.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

namespace {

using store_detail::ids_json;

// The product as the English letters print it after an article ("You had a credit card from
// ..."). Spanish letters get no product (the same LetterAccount also fills the English notice a
// Spanish one carries, so the phrase cannot be in either language alone): they say "una cuenta".
std::string_view product_phrase(ProductType p) {
    switch (p) {
        case ProductType::credit_card: return "credit card";
        case ProductType::auto_loan: return "auto loan";
        case ProductType::personal_loan: return "personal loan";
        case ProductType::student_loan: return "student loan";
        case ProductType::medical: return "medical account";
        case ProductType::utility: return "utility account";
        case ProductType::telecom: return "telecommunications account";
        case ProductType::retail: return "retail account";
        case ProductType::mortgage: return "mortgage loan";
        case ProductType::returned_check: return "returned check";
        case ProductType::other: return "";
    }
    return "";
}

// Per-account facts from the communication history and the disputes, read per chunk.
struct History {
    std::vector<std::uint8_t> communicated, notice_sent, dispute_pause;
};

void read_flags(sqlite3* db, const std::vector<std::string>& ids, std::size_t begin, std::size_t end,
                const std::string& as_of, History& h) {
    const std::vector<std::string> part(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                        ids.begin() + static_cast<std::ptrdiff_t>(end));
    const std::string json = ids_json(part);
    auto run = [&](const char* sql, std::vector<std::uint8_t>& out) {
        sql::Statement st(db, sql);
        st.bind(1, json).bind(2, as_of);
        while (st.step()) out[begin + static_cast<std::size_t>(st.int64(0))] = 1;
    };
    // A communication (Reg F 1006.2(d)): something that conveyed information about the debt —
    // a letter or e-mail delivered, or a conversation — on or before the date.
    run(R"sql(SELECT j.key FROM json_each(?1) j WHERE EXISTS (
            SELECT 1 FROM contact_event_debts d JOIN contact_events e ON e.id = d.event_id
            WHERE d.account_id = j.value AND e.outcome IN ('delivered', 'conversation')
              AND substr(e.at, 1, 10) <= ?2))sql",
        h.communicated);
    run(R"sql(SELECT j.key FROM json_each(?1) j WHERE EXISTS (
            SELECT 1 FROM letters l WHERE l.account_id = j.value AND l.template = 'validation_notice'
              AND l.sent_on <= ?2))sql",
        h.notice_sent);
    // 1006.38(d)(2): a written dispute within the validation period pauses collection until the
    // verification is sent.
    run(R"sql(SELECT j.key FROM json_each(?1) j WHERE EXISTS (
            SELECT 1 FROM disputes d WHERE d.account_id = j.value AND d.received_on <= ?2
              AND (d.resolved_on IS NULL OR d.resolved_on > ?2) AND d.written = 1
              AND d.within_validation = 1
              AND (d.verification_sent_on IS NULL OR d.verification_sent_on > ?2)))sql",
        h.dispute_pause);
}

// The contact tags a letter carries (contact_attempt.hpp), for the compliance rules: the
// validation notice; a paid-in-full or settled letter says collection has ended (1006.6(c)(2)(i));
// a dispute response is a verification or a duplicative-dispute notice (1006.38).
std::int64_t letter_tags(std::string_view letter) {
    TagSet t = 0;
    if (letter == "validation_notice") t |= tag_bit(ContactTag::validation_notice);
    if (letter == "paid_in_full") t |= tag_bit(ContactTag::terminating_efforts);
    if (letter == "dispute_response") t |= tag_bit(ContactTag::verification) | tag_bit(ContactTag::dispute_response);
    return static_cast<std::int64_t>(t);
}

std::string letter_at(const LetterRecord& r) {
    if (r.send_at) return to_iso(*r.send_at);
    // A mailed letter: noon UTC of the letter date, the same calendar day in every US zone.
    return to_iso(r.sent) + "T12:00:00Z";
}

}  // namespace

Table Store::letter_table(const std::vector<std::string>& account_ids, Date as_of, unsigned threads,
                          Progress* progress) const {
    sqlite3* db = impl_->handle();
    const std::vector<std::string> ids = store_detail::resolve_account_ids(db, account_ids);
    const std::size_t n = ids.size();
    const std::string as_of_iso = to_iso(as_of);
    const Instant at = end_of_day(as_of);

    std::vector<std::string> debtor_id(n), account_number(n), creditor(n), original_creditor(n), product(n),
        currency(n), reference(n), recipient(n), line1(n), line2(n), city(n), state(n), zip(n), country(n),
        email(n), language(n), zone(n);
    std::vector<std::int32_t> item_date(n, 0);
    std::vector<std::uint8_t> item_valid(n, 0);
    std::vector<std::int64_t> item_amount(n, 0), interest(n, 0), fees(n, 0), credits(n, 0), current(n, 0);
    std::vector<std::uint8_t> address_ok(n, 0), opt_out(n, 0), deceased(n, 0), bankruptcy(n, 0), attorney(n, 0),
        cease(n, 0), pause(n, 0), initial(n, 0), english(n, 0);
    History h{std::vector<std::uint8_t>(n, 0), std::vector<std::uint8_t>(n, 0), std::vector<std::uint8_t>(n, 0)};

    store_detail::for_each_account(
        db, ids, threads,
        [&](std::size_t begin, std::size_t end) { read_flags(db, ids, begin, end, as_of_iso, h); },
        [&](std::size_t i, const Account& a, const store_detail::DebtorMap& debtors) {
            const AccountInfo& info = a.info();
            account_number[i] = info.account_number;
            creditor[i] = info.current_creditor.empty() ? info.original_creditor : info.current_creditor;
            original_creditor[i] =
                info.creditor_on_itemization_date.empty() ? info.original_creditor : info.creditor_on_itemization_date;
            currency[i] = std::string(a.currency().code());
            reference[i] = info.itemization_basis ? std::string(to_string(*info.itemization_basis)) : "charge_off";
            const Money now = a.ledger().balance(as_of).total();
            current[i] = now.minor();
            item_amount[i] = now.minor();
            if (info.itemization_date && !(std::chrono::sys_days{as_of} < std::chrono::sys_days{*info.itemization_date})) {
                const Itemization it = a.itemization(as_of);
                item_date[i] = days_since_epoch(it.itemization_date);
                item_valid[i] = 1;
                item_amount[i] = it.on_itemization_date.minor();
                interest[i] = it.interest.minor();
                // Principal charged after the itemization date (rare) is shown with the fees, so
                // that amount + interest + fees - payments and credits = current (1006.34(c)(2)).
                fees[i] = it.fees.minor() + it.other_charges.minor();
                std::int64_t paid = it.payments.minor() + it.credits.minor();
                if (paid < 0) {  // a payment made before the date and reversed after it
                    fees[i] -= paid;
                    paid = 0;
                }
                credits[i] = paid;
            }
            const bool spanish = [&] {
                for (const auto& ad : info.debtors)
                    if (ad.role == DebtorRole::primary) {
                        auto it = debtors.find(ad.debtor_id);
                        return it != debtors.end() && it->second.preferred_language.rfind("es", 0) == 0;
                    }
                return false;
            }();
            product[i] = spanish ? "" : std::string(product_phrase(info.product_type));
            initial[i] = h.communicated[i] ? 0 : 1;
            // A validation notice logged before means an English notice went out: a Spanish one
            // carries the English notice unless one was sent before (arrears.letters.Campaign).
            english[i] = h.notice_sent[i];
            pause[i] = h.dispute_pause[i] || a.status() == AccountStatus::disputed;
            deceased[i] = a.status() == AccountStatus::deceased;
            bankruptcy[i] = a.status() == AccountStatus::bankrupt;
            for (const auto& ad : info.debtors) {
                if (ad.role != DebtorRole::primary) continue;
                debtor_id[i] = ad.debtor_id;
                auto it = debtors.find(ad.debtor_id);
                if (it == debtors.end()) break;
                const Debtor& d = it->second;
                recipient[i] = d.full_name();
                if (auto k = d.best_contact_point(Channel::mail, at)) {
                    const Address& ad2 = d.addresses[*k];
                    line1[i] = ad2.line1;
                    line2[i] = ad2.line2;
                    city[i] = ad2.city;
                    state[i] = ad2.state;
                    zip[i] = ad2.zip;
                    country[i] = ad2.country;
                    address_ok[i] = 1;
                }
                if (auto k = d.best_contact_point(Channel::email, at)) {
                    email[i] = d.emails[*k].address;
                } else {
                    for (const auto& e : d.emails)
                        if (e.status != ContactStatus::bad && d.opted_out(Channel::email, e.id, at)) {
                            email[i] = e.address;
                            opt_out[i] = 1;
                            break;
                        }
                }
                language[i] = d.preferred_language.rfind("es", 0) == 0 ? "es" : "en";
                const auto zones = d.possible_time_zones();
                if (zones.size() == 1) zone[i] = zones.front();
                deceased[i] = deceased[i] || d.is_deceased();
                bankruptcy[i] = bankruptcy[i] || d.open_bankruptcy(as_of) != nullptr;
                attorney[i] = d.attorney_represented(as_of);
                cease[i] = d.cease_requested(info.id, as_of);
                break;
            }
            if (language[i].empty()) language[i] = "en";
        },
        progress);

    Table t;
    t.add_utf8("account_id", std::vector<std::string>(ids));
    t.add_utf8("debtor_id", std::move(debtor_id));
    t.add_utf8("account_number", std::move(account_number));
    t.add_utf8("creditor", std::move(creditor));
    t.add_utf8("original_creditor", std::move(original_creditor));
    t.add_utf8("product", std::move(product));
    t.add_utf8("currency", std::move(currency));
    t.add_utf8("itemization_reference", std::move(reference));
    t.add_date32("itemization_date", std::move(item_date), std::move(item_valid));
    t.add_int64("itemization_amount_cents", std::move(item_amount));
    t.add_int64("interest_cents", std::move(interest));
    t.add_int64("fees_cents", std::move(fees));
    t.add_int64("payments_credits_cents", std::move(credits));
    t.add_int64("current_cents", std::move(current));
    t.add_bool("initial_communication", std::move(initial));
    t.add_bool("english_notice_sent", std::move(english));
    t.add_utf8("recipient_name", std::move(recipient));
    t.add_utf8("address_line1", std::move(line1));
    t.add_utf8("address_line2", std::move(line2));
    t.add_utf8("city", std::move(city));
    t.add_utf8("state", std::move(state));
    t.add_utf8("postal_code", std::move(zip));
    t.add_utf8("country", std::move(country));
    t.add_bool("address_ok", std::move(address_ok));
    t.add_utf8("email", std::move(email));
    t.add_bool("email_opt_out", std::move(opt_out));
    t.add_utf8("language", std::move(language));
    t.add_utf8("time_zone", std::move(zone));
    t.add_bool("deceased", std::move(deceased));
    t.add_bool("bankruptcy", std::move(bankruptcy));
    t.add_bool("attorney", std::move(attorney));
    t.add_bool("cease", std::move(cease));
    t.add_bool("dispute_pause", std::move(pause));
    return t;
}

std::size_t Store::log_letters(const std::vector<LetterRecord>& records, const LetterLogOptions& options) {
    if (records.empty()) return 0;
    // Check every record before writing anything.
    for (std::size_t i = 0; i < records.size(); ++i) {
        const LetterRecord& r = records[i];
        const std::string at = "records[" + std::to_string(i) + "].";
        auto require = [&](const std::string& v, const char* field) {
            if (v.empty()) throw ValidationError(at + field + ": required");
        };
        require(r.letter_id, "letter_id");
        require(r.campaign, "campaign");
        require(r.account_id, "account_id");
        require(r.template_sha256, "template_sha256");
        require(r.file, "file");
        if (r.channel != "mail" && r.channel != "email")
            throw ValidationError(at + "channel: " + quote(r.channel) + " is not 'mail' or 'email'");
        if (r.letter != "custom") (void)parse_letter_kind(r.letter, at + "letter");
        (void)parse_language(r.language, at + "language");
        if (r.batch < 1) throw ValidationError(at + "batch: " + std::to_string(r.batch) + " is not a batch number");
        if ((r.offset && *r.offset < 0) || (r.length && *r.length < 0))
            throw ValidationError(at + "offset: negative byte offset or length");
    }
    write([&] {
        sqlite3* db = impl_->handle();
        // One campaigns row per campaign in the records; a campaign is logged once.
        std::vector<std::string> campaigns;
        std::unordered_map<std::string, std::int64_t> counts;
        for (const auto& r : records)
            if (counts[r.campaign]++ == 0) campaigns.push_back(r.campaign);
        for (const auto& c : campaigns) {
            auto seen = impl_->prepare("SELECT letters, as_of FROM campaigns WHERE id = ?");
            seen.bind(1, c);
            if (seen.step())
                throw ConflictError("campaign " + quote(c) + " was logged before (" + std::to_string(seen.int64(0)) +
                                    " letters as of " + std::string(seen.text(1)) +
                                    "); a campaign name is used once, so no letter is logged twice");
            seen.reset();
            const LetterRecord* first = nullptr;
            for (const auto& r : records)
                if (r.campaign == c) {
                    first = &r;
                    break;
                }
            auto ins = impl_->prepare(R"sql(
                INSERT INTO campaigns (id, name, template, template_hash, channel, as_of, status, letters,
                                       suppressed, suppressed_by_reason, created_at)
                VALUES (?1, ?1, ?2, ?3, ?4, ?5, 'sent', ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))sql");
            ins.bind(1, c).bind(2, first->letter).bind(3, first->template_sha256).bind(4, first->channel);
            ins.bind(5, to_iso(first->sent)).bind(6, counts[c]);
            if (options.suppressed) ins.bind(7, *options.suppressed); else ins.bind_null(7);
            if (options.suppressed_by_reason.empty()) ins.bind_null(8); else ins.bind(8, options.suppressed_by_reason);
            ins.run();
        }
        auto debtor_of = impl_->prepare(
            "SELECT debtor_id FROM account_debtors WHERE account_id = ? ORDER BY role != 'primary', debtor_id LIMIT 1");
        auto account_exists = impl_->prepare("SELECT 1 FROM accounts WHERE id = ?");
        auto event = impl_->prepare(
            "INSERT INTO contact_events (debtor_id, channel, direction, outcome, at, consent, tags, data, actor) "
            "VALUES (?, ?, 'outbound', 'delivered', ?, 0, ?, ?, arrears_actor())");
        auto debt = impl_->prepare("INSERT INTO contact_event_debts (event_id, account_id) VALUES (?, ?)");
        auto letter = impl_->prepare(R"sql(
            INSERT INTO letters (letter_id, campaign_id, account_id, debtor_id, template, language, channel,
                                 template_sha256, sent_on, send_at, batch, file, byte_offset, byte_length,
                                 contact_event_id, actor)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, arrears_actor())
            ON CONFLICT (letter_id) DO NOTHING)sql");
        for (std::size_t i = 0; i < records.size(); ++i) {
            const LetterRecord& r = records[i];
            account_exists.bind(1, r.account_id);
            const bool exists = account_exists.step();
            account_exists.reset();
            if (!exists)
                throw NotFoundError("records[" + std::to_string(i) + "].account_id: no account " + quote(r.account_id) +
                                    " in the store");
            debtor_of.bind(1, r.account_id);
            const std::string debtor = debtor_of.step() ? std::string(debtor_of.text(0)) : std::string();
            debtor_of.reset();
            if (debtor.empty())
                throw ValidationError("records[" + std::to_string(i) + "].account_id: account " + quote(r.account_id) +
                                      " has no debtor to address the letter to");
            const Json data{{"letter_id", r.letter_id}, {"campaign", r.campaign}, {"letter", r.letter},
                            {"language", r.language}, {"template_sha256", r.template_sha256}, {"file", r.file}};
            event.bind(1, debtor).bind(2, r.channel == "mail" ? "letter" : "email").bind(3, letter_at(r));
            event.bind(4, letter_tags(r.letter)).bind(5, data.dump());
            event.run();
            const std::int64_t event_id = sqlite3_last_insert_rowid(db);
            debt.bind(1, event_id).bind(2, r.account_id);
            debt.run();
            letter.bind(1, r.letter_id).bind(2, r.campaign).bind(3, r.account_id).bind(4, debtor).bind(5, r.letter);
            letter.bind(6, r.language).bind(7, r.channel).bind(8, r.template_sha256).bind(9, to_iso(r.sent));
            if (r.send_at) letter.bind(10, to_iso(*r.send_at)); else letter.bind_null(10);
            letter.bind(11, r.batch).bind(12, r.file).bind(13, r.offset).bind(14, r.length).bind(15, event_id);
            letter.run();
            if (sqlite3_changes(db) == 0)
                throw ConflictError("records[" + std::to_string(i) + "].letter_id: letter " + quote(r.letter_id) +
                                    " was logged before");
        }
    });
    return records.size();
}

}  // namespace arrears
