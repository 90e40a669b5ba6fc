#include "arrears/campaign.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

#include <date/tz.h>

#include "arrears/csv.hpp"
#include "arrears/error.hpp"

namespace arrears {

namespace {

constexpr std::array<std::string_view, 10> kReasonNames = {
    "deceased",           "bankruptcy",       "attorney",      "cease",      "dispute_pause",
    "time_barred",        "no_mailing_address", "no_email_address", "email_opt_out", "time_of_day"};

bool flag(const LetterColumns::Flags& f, std::size_t i, bool fallback) {
    return f.empty() ? fallback : f[i] != 0;
}

std::string text(const LetterColumns::Text& t, std::size_t i) {
    return t.empty() ? std::string() : std::string(t[i]);
}

int local_minute(const std::string& zone_name, Instant at, std::string_view field) {
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(zone_name);
    } catch (const std::exception&) {
        throw ValidationError(std::string(field) + ": " + quote(zone_name) + " is not an IANA time zone");
    }
    const auto local = zone->to_local(at);
    const auto day = date::floor<date::days>(local);
    return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
}

std::string pad(std::size_t n, int width) {
    std::string s = std::to_string(n);
    if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
    return s;
}

std::string_view extension(LetterFormat f) { return f == LetterFormat::html ? "html" : "txt"; }

}  // namespace

std::string_view to_string(SuppressionReason r) { return kReasonNames[static_cast<std::size_t>(r)]; }

std::vector<SuppressionReason> all_suppression_reasons() {
    std::vector<SuppressionReason> out;
    for (std::size_t i = 0; i < kReasonNames.size(); ++i) out.push_back(static_cast<SuppressionReason>(i));
    return out;
}

LetterTags LetterTags::parse(const std::vector<std::string>& tags) {
    LetterTags t;
    for (const auto& tag : tags) {
        if (tag == "collection") continue;
        if (tag == "legal")
            t.legal = true;
        else if (tag == "cease_exempt")
            t.cease_exempt = true;
        else if (tag == "dispute_exempt")
            t.dispute_exempt = true;
        else
            throw ValidationError("tags: " + quote(tag) +
                                  " is not a letter tag (expected collection, legal, cease_exempt or "
                                  "dispute_exempt)");
    }
    return t;
}

std::optional<SuppressionReason> suppression_reason(const LetterAccount& account,
                                                    const LetterRecipient& r, LetterChannel channel,
                                                    const LetterTags& tags,
                                                    std::optional<Instant> send_at,
                                                    const SendWindow& window) {
    if (r.deceased) return SuppressionReason::deceased;
    if (r.bankruptcy) return SuppressionReason::bankruptcy;
    if (r.attorney) return SuppressionReason::attorney;
    if (r.cease && !tags.cease_exempt) return SuppressionReason::cease;
    if (r.dispute_pause && !tags.dispute_exempt) return SuppressionReason::dispute_pause;
    if (account.time_barred && tags.legal) return SuppressionReason::time_barred;
    if (channel == LetterChannel::mail) {
        if (!r.address_ok || !is_mailable(r.address)) return SuppressionReason::no_mailing_address;
        return std::nullopt;
    }
    bool has_email = false;
    for (char c : r.email)
        if (c != ' ' && c != '\t') has_email = true;
    if (!has_email) return SuppressionReason::no_email_address;
    if (r.email_opt_out) return SuppressionReason::email_opt_out;
    if (!send_at)
        throw ValidationError("send_at: an e-mail campaign needs the send time to check the time of day "
                              "(12 CFR 1006.6(b)(1)(i))");
    auto allowed = [&](const std::string& zone, std::string_view field) {
        const int m = local_minute(zone, *send_at, field);
        return m >= window.start_minute && m < window.end_minute;
    };
    if (!r.time_zone.empty()) {
        if (!allowed(r.time_zone, "recipient.time_zone")) return SuppressionReason::time_of_day;
        return std::nullopt;
    }
    for (const auto& zone : window.unknown_zone_zones)
        if (!allowed(zone, "send_window.unknown_zone_zones")) return SuppressionReason::time_of_day;
    return std::nullopt;
}

std::vector<std::optional<SuppressionReason>> suppression_reasons(const LetterColumns& t, LetterChannel channel,
                                                                  const LetterTags& tags,
                                                                  std::optional<Instant> send_at,
                                                                  const SendWindow& window) {
    t.check();
    std::vector<std::optional<SuppressionReason>> out(t.rows);
    LetterAccount a;
    LetterRecipient r;
    for (std::size_t i = 0; i < t.rows; ++i) {
        a.time_barred = flag(t.time_barred, i, false);
        r.address.line1 = text(t.address_line1, i);
        r.address.city = text(t.city, i);
        r.address.state = text(t.state, i);
        r.address.postal_code = text(t.postal_code, i);
        r.address.country = t.country.empty() || t.country[i].empty() ? std::string("US") : std::string(t.country[i]);
        r.address_ok = flag(t.address_ok, i, true);
        r.email = text(t.email, i);
        r.email_opt_out = flag(t.email_opt_out, i, false);
        r.time_zone = text(t.time_zone, i);
        r.deceased = flag(t.deceased, i, false);
        r.bankruptcy = flag(t.bankruptcy, i, false);
        r.attorney = flag(t.attorney, i, false);
        r.cease = flag(t.cease, i, false);
        r.dispute_pause = flag(t.dispute_pause, i, false);
        try {
            out[i] = suppression_reason(a, r, channel, tags, send_at, window);
        } catch (const ValidationError& e) {
            throw ValidationError("account " + quote(t.account_id.empty() ? std::string_view() : t.account_id[i]) +
                                  " (row " + std::to_string(i) + "): " + e.what());
        }
    }
    return out;
}

void LetterColumns::check() const {
    auto text_len = [&](const Text& t, const char* name, bool required) {
        if (t.empty()) {
            if (required && rows > 0) throw ValidationError(std::string(name) + ": required column is missing");
            return;
        }
        if (t.size() != rows)
            throw ValidationError(std::string(name) + ": " + std::to_string(t.size()) + " values for " +
                                  std::to_string(rows) + " rows");
    };
    auto any_len = [&](std::size_t n, const char* name, bool required) {
        if (n == 0) {
            if (required && rows > 0) throw ValidationError(std::string(name) + ": required column is missing");
            return;
        }
        if (n != rows)
            throw ValidationError(std::string(name) + ": " + std::to_string(n) + " values for " +
                                  std::to_string(rows) + " rows");
    };
    text_len(account_id, "account_id", true);
    text_len(reference, "reference", false);
    text_len(account_number, "account_number", false);
    text_len(creditor, "creditor", true);
    text_len(original_creditor, "original_creditor", false);
    text_len(product, "product", false);
    text_len(currency, "currency", false);
    text_len(itemization_reference, "itemization_reference", false);
    any_len(itemization_date.size(), "itemization_date", false);
    any_len(itemization_amount_cents.size(), "itemization_amount_cents", false);
    any_len(interest_cents.size(), "interest_cents", false);
    any_len(fees_cents.size(), "fees_cents", false);
    any_len(payments_credits_cents.size(), "payments_credits_cents", false);
    any_len(current_cents.size(), "current_cents", true);
    any_len(time_barred.size(), "time_barred", false);
    any_len(initial_communication.size(), "initial_communication", false);
    any_len(english_notice_sent.size(), "english_notice_sent", false);
    any_len(notices.size(), "notices", false);
    any_len(plan.size(), "plan", false);
    any_len(settlement.size(), "settlement", false);
    any_len(promise.size(), "promise", false);
    any_len(resolution.size(), "resolution", false);
    any_len(dispute.size(), "dispute", false);
    any_len(extra.size(), "extra", false);
    text_len(recipient_name, "recipient_name", true);
    text_len(address_line1, "address_line1", false);
    text_len(address_line2, "address_line2", false);
    text_len(city, "city", false);
    text_len(state, "state", false);
    text_len(postal_code, "postal_code", false);
    text_len(country, "country", false);
    text_len(email, "email", false);
    text_len(language, "language", false);
    text_len(time_zone, "time_zone", false);
    for (const auto* f : {&address_ok, &email_opt_out, &deceased, &bankruptcy, &attorney, &cease, &dispute_pause})
        any_len(f->size(), "flag", false);
}

LetterAccount LetterColumns::account(std::size_t i) const {
    LetterAccount a;
    a.account_id = text(account_id, i);
    a.reference = text(reference, i);
    a.account_number = text(account_number, i);
    a.creditor = text(creditor, i);
    a.original_creditor = text(original_creditor, i);
    a.product = text(product, i);
    const Currency cur = currency.empty() || currency[i].empty() ? Currency{} : Currency::of(currency[i], "currency");
    LetterItemization& it = a.itemization;
    if (!itemization_reference.empty() && !itemization_reference[i].empty())
        it.reference = parse_itemization_reference(itemization_reference[i]);
    if (!itemization_date.empty()) it.date = itemization_date[i];
    it.current = Money(current_cents[i], cur);
    it.amount = itemization_amount_cents.empty() ? it.current : Money(itemization_amount_cents[i], cur);
    it.interest = Money(interest_cents.empty() ? 0 : interest_cents[i], cur);
    it.fees = Money(fees_cents.empty() ? 0 : fees_cents[i], cur);
    it.payments_credits = Money(payments_credits_cents.empty() ? 0 : payments_credits_cents[i], cur);
    a.time_barred = flag(time_barred, i, false);
    a.initial_communication = flag(initial_communication, i, false);
    a.english_notice_sent = flag(english_notice_sent, i, false);
    if (!notices.empty()) a.notices = notices[i];
    if (!plan.empty()) a.plan = plan[i];
    if (!settlement.empty()) a.settlement = settlement[i];
    if (!promise.empty()) a.promise = promise[i];
    if (!resolution.empty()) a.resolution = resolution[i];
    if (!dispute.empty()) a.dispute = dispute[i];
    if (!extra.empty()) a.extra = extra[i];
    return a;
}

LetterRecipient LetterColumns::recipient(std::size_t i) const {
    LetterRecipient r;
    r.name = text(recipient_name, i);
    r.address.line1 = text(address_line1, i);
    r.address.line2 = text(address_line2, i);
    r.address.city = text(city, i);
    r.address.state = text(state, i);
    r.address.postal_code = text(postal_code, i);
    if (!country.empty() && !country[i].empty()) r.address.country = std::string(country[i]);
    r.address_ok = flag(address_ok, i, true);
    r.email = text(email, i);
    r.email_opt_out = flag(email_opt_out, i, false);
    if (!language.empty() && !language[i].empty()) r.language = parse_language(language[i]);
    r.time_zone = text(time_zone, i);
    r.deceased = flag(deceased, i, false);
    r.bankruptcy = flag(bankruptcy, i, false);
    r.attorney = flag(attorney, i, false);
    r.cease = flag(cease, i, false);
    r.dispute_pause = flag(dispute_pause, i, false);
    return r;
}

std::optional<std::string> lookup_text(const TemplateData& d, std::string_view path) {
    TemplateData::Node n = d.root();
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        const std::string_view part = path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (d.kind(n) == TemplateData::Kind::object) {
            n = d.find(n, part);
        } else if (d.kind(n) == TemplateData::Kind::list) {
            std::size_t index = 0;
            auto res = std::from_chars(part.data(), part.data() + part.size(), index);
            if (res.ec != std::errc() || res.ptr != part.data() + part.size() || index >= d.size(n)) return std::nullopt;
            TemplateData::Node c = d.first(n);
            for (std::size_t k = 0; k < index; ++k) c = d.next(c);
            n = c;
        } else {
            return std::nullopt;
        }
        if (n == TemplateData::npos) return std::nullopt;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    switch (d.kind(n)) {
        case TemplateData::Kind::string: return std::string(d.text(n));
        case TemplateData::Kind::integer: return std::to_string(d.integer(n));
        case TemplateData::Kind::boolean: return std::string(d.boolean(n) ? "true" : "false");
        case TemplateData::Kind::null: return std::string();
        default: return std::nullopt;
    }
}

namespace {

struct BatchResult {
    std::vector<RenderedLetter> letters;
    std::vector<WrittenFile> files;
    std::string csv;  // rows (no header)
};

struct Failure {
    std::size_t row = 0;
    std::exception_ptr error;
};

}  // namespace

CampaignOutput render_campaign(const LetterColumns& table, const std::vector<std::size_t>& rows,
                               const CampaignSpec& spec, FileSink* sink,
                               const CampaignProgress& progress) {
    table.check();
    if (spec.batch_size == 0) throw ValidationError("batch_size: must be at least 1");
    if (spec.formats.empty()) throw ValidationError("formats: at least one of html, text");
    check_date(spec.sent, "sent");
    spec.collector.check("collector");
    for (std::size_t r : rows)
        if (r >= table.rows)
            throw ValidationError("rows: " + std::to_string(r) + " is outside the table of " +
                                  std::to_string(table.rows) + " rows");
    for (LetterFormat f : spec.formats) {
        if (spec.language && !spec.templates.contains({*spec.language, f}))
            throw ValidationError("templates: no " + std::string(to_string(*spec.language)) + " " +
                                  std::string(to_string(f)) + " template");
    }
    const bool write = sink != nullptr;

    const std::size_t total = rows.size();
    const std::size_t batches = (total + spec.batch_size - 1) / spec.batch_size;
    std::vector<BatchResult> results(batches);
    std::atomic<std::size_t> next_batch{0};
    std::atomic<std::size_t> done{0};
    std::atomic<bool> stop{false};
    std::mutex failures_mutex;
    std::vector<Failure> failures;
    const std::string head = html_document_head(spec.name, spec.stylesheet);
    const LetterBuilder builder(spec.kind, spec.collector, spec.sent, spec.calendar, spec.channel);
    // Template lookups once: [language][format index].
    const Template* chosen[2][2] = {{nullptr, nullptr}, {nullptr, nullptr}};
    for (std::size_t f = 0; f < spec.formats.size() && f < 2; ++f)
        for (Language l : {Language::en, Language::es}) {
            auto it = spec.templates.find({l, spec.formats[f]});
            if (it != spec.templates.end()) chosen[static_cast<int>(l)][f] = &it->second;
        }
    if (spec.formats.size() > 2) throw ValidationError("formats: at most html and text");
    const std::string_view tail = html_document_tail();

    auto render_batch = [&](std::size_t b) {
        BatchResult& out = results[b];
        const std::size_t first = b * spec.batch_size;
        const std::size_t last = std::min(total, first + spec.batch_size);
        std::vector<std::string> bodies(spec.formats.size());
        for (auto& s : bodies) s.reserve((last - first) * 6000);
        TemplateData data, english;
        for (std::size_t k = first; k < last && !stop.load(std::memory_order_relaxed); ++k) {
            const std::size_t row = rows[k];
            RenderedLetter letter;
            letter.row = row;
            letter.letter_id = spec.name + "-" + pad(k + 1, 6);
            letter.batch = b + 1;
            try {
                const LetterAccount acc = table.account(row);
                const LetterRecipient rec = table.recipient(row);
                const Language lang = spec.language.value_or(rec.language);
                letter.language = lang;
                builder.build(acc, rec, lang, data);
                data.add_string(data.root(), "letter_id", letter.letter_id);
                data.add_string(data.root(), "campaign", spec.name);
                const bool companion = spec.kind == LetterKind::validation_notice && lang == Language::es &&
                                       spec.english_with_translation && !acc.english_notice_sent;
                if (companion) {
                    builder.build(acc, rec, Language::en, english);
                    english.add_string(english.root(), "letter_id", letter.letter_id);
                    english.add_string(english.root(), "campaign", spec.name);
                }
                for (std::size_t f = 0; f < spec.formats.size(); ++f) {
                    const LetterFormat fmt = spec.formats[f];
                    const Template* tpl = chosen[static_cast<int>(lang)][f];
                    if (tpl == nullptr)
                        throw ValidationError("templates: no " + std::string(to_string(lang)) + " " +
                                              std::string(to_string(fmt)) + " template for this letter's language");
                    std::string& body = bodies[f];
                    const std::size_t start = body.size();
                    tpl->render_append(data, body);
                    if (companion) {
                        const Template* en = chosen[static_cast<int>(Language::en)][f];
                        if (en == nullptr)
                            throw ValidationError("templates: a Spanish validation notice goes with the English "
                                                  "one; no en " + std::string(to_string(fmt)) + " template");
                        if (fmt == LetterFormat::text) body += "\n\f\n";
                        en->render_append(english, body);
                    }
                    const std::string_view piece(body.data() + start, body.size() - start);
                    letter.offsets.emplace_back(std::string(extension(fmt)), start);
                    letter.lengths.push_back(piece.size());
                    if (write && spec.one_file_each) {
                        const std::string path = "letters/" + letter.letter_id + "." + std::string(extension(fmt));
                        if (fmt == LetterFormat::html)
                            out.files.push_back(sink->write(path, to_string(fmt), {head, piece, tail}));
                        else
                            out.files.push_back(sink->write(path, to_string(fmt), {piece}));
                    }
                    if (spec.collect) (fmt == LetterFormat::html ? letter.html : letter.text) = std::string(piece);
                }
                if (!spec.csv_columns.empty()) {
                    for (std::size_t c = 0; c < spec.csv_columns.size(); ++c) {
                        if (c > 0) out.csv += ',';
                        const std::string& field = spec.csv_columns[c].second;
                        std::string value;
                        if (field == "batch")
                            value = std::to_string(b + 1);
                        else if (field == "sequence")
                            value = std::to_string(k + 1);
                        else if (field == "batch_file")
                            value = "letters-" + pad(b + 1, 4) + "." + std::string(extension(spec.formats.front()));
                        else
                            value = lookup_text(data, field).value_or(std::string());
                        append_csv_field(out.csv, value, CsvCell::text, CsvQuote::text);
                    }
                    out.csv += "\r\n";
                }
            } catch (const std::exception& e) {
                const std::string id = table.account_id.empty() ? std::string() : std::string(table.account_id[row]);
                std::lock_guard lock(failures_mutex);
                try {
                    throw ValidationError("account " + quote(id) + " (row " + std::to_string(row) + "): " + e.what());
                } catch (...) {
                    failures.push_back({row, std::current_exception()});
                }
                stop = true;
                return;
            }
            out.letters.push_back(std::move(letter));
            done.fetch_add(1, std::memory_order_relaxed);
        }
        if (stop || !write || !spec.combined) return;
        for (std::size_t f = 0; f < spec.formats.size(); ++f) {
            const std::string path = "letters-" + pad(b + 1, 4) + "." + std::string(extension(spec.formats[f]));
            const std::string_view kind = to_string(spec.formats[f]);
            if (spec.formats[f] == LetterFormat::html) {
                for (auto& l : out.letters) l.offsets[f].second += head.size();
                out.files.push_back(sink->write(path, kind, {head, bodies[f], tail}));
            } else {
                out.files.push_back(sink->write(path, kind, {bodies[f]}));
            }
        }
    };

    auto worker = [&](bool caller) {
        while (!stop.load()) {
            const std::size_t b = next_batch.fetch_add(1);
            if (b >= batches) break;
            try {
                render_batch(b);
            } catch (...) {
                std::lock_guard lock(failures_mutex);
                failures.push_back({0, std::current_exception()});
                stop = true;
            }
            if (caller && progress && !stop.load()) {
                try {
                    if (!progress(done.load(), total)) throw ValidationError("campaign: cancelled");
                } catch (...) {
                    std::lock_guard lock(failures_mutex);
                    failures.push_back({0, std::current_exception()});
                    stop = true;
                }
            }
        }
    };

    unsigned n_threads = spec.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : spec.threads;
    n_threads = static_cast<unsigned>(std::min<std::size_t>(n_threads, std::max<std::size_t>(batches, 1)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < n_threads; ++t) pool.emplace_back(worker, false);
    worker(true);
    for (auto& th : pool) th.join();

    auto remove_written = [&] {
        if (write) sink->discard();
    };
    if (!failures.empty()) {
        remove_written();
        auto first = std::min_element(failures.begin(), failures.end(),
                                      [](const Failure& a, const Failure& b) { return a.row < b.row; });
        std::rethrow_exception(first->error);
    }

    CampaignOutput output;
    output.letters.reserve(total);
    std::string csv;
    if (!spec.csv_columns.empty()) {
        for (std::size_t c = 0; c < spec.csv_columns.size(); ++c) {
            if (c > 0) csv += ',';
            append_csv_field(csv, spec.csv_columns[c].first, CsvCell::text, CsvQuote::text);
        }
        csv += "\r\n";
    }
    for (auto& r : results) {
        for (auto& l : r.letters) output.letters.push_back(std::move(l));
        for (auto& f : r.files) output.files.push_back(std::move(f));
        csv += r.csv;
    }
    if (write && !spec.csv_columns.empty()) {
        try {
            output.files.push_back(sink->write("print_vendor.csv", "csv", {csv}));
        } catch (...) {
            remove_written();
            throw;
        }
    }
    if (write) {
        // index.csv: where each letter is, for audits and for the communication log.
        constexpr CsvQuote q = CsvQuote::text;
        auto text_cell = [&](std::string& line, std::string_view v) { append_csv_field(line, v, CsvCell::text, q); };
        auto number_cell = [&](std::string& line, std::uint64_t v) {
            append_csv_field(line, std::to_string(v), CsvCell::number, q);
        };
        std::string index;
        text_cell(index, "letter_id");
        for (const char* name : {"account_id", "row", "batch", "language"}) {
            index += ',';
            text_cell(index, name);
        }
        for (LetterFormat f : spec.formats) {
            const std::string ext(extension(f));
            for (const char* name : {"file_", "offset_", "length_"}) {
                index += ',';
                text_cell(index, name + ext);
            }
        }
        index += "\r\n";
        index.reserve(index.size() + output.letters.size() * 96);
        for (const auto& l : output.letters) {
            text_cell(index, l.letter_id);
            index += ',';
            text_cell(index, table.account_id[l.row]);
            index += ',';
            number_cell(index, l.row);
            index += ',';
            number_cell(index, l.batch);
            index += ',';
            text_cell(index, to_string(l.language));
            for (std::size_t f = 0; f < spec.formats.size(); ++f) {
                const std::string ext(extension(spec.formats[f]));
                index += ',';
                if (spec.combined) {
                    text_cell(index, "letters-" + pad(l.batch, 4) + "." + ext);
                    index += ',';
                    number_cell(index, l.offsets[f].second);
                } else {
                    text_cell(index, "letters/" + l.letter_id + "." + ext);
                    index += ',';
                    number_cell(index, 0);
                }
                index += ',';
                number_cell(index, l.lengths[f]);
            }
            index += "\r\n";
        }
        try {
            output.files.push_back(sink->write("index.csv", "index", {index}));
        } catch (...) {
            remove_written();
            throw;
        }
    }
    if (progress) {
        bool go = false;
        try {
            go = progress(total, total);
        } catch (...) {
            remove_written();
            throw;
        }
        if (!go) {
            remove_written();
            throw ValidationError("campaign: cancelled");
        }
    }
    return output;
}

}  // namespace arrears
