// The monthly Metro 2 file from the store: stored accounts and debtors mapped onto the Metro 2
// account facts (docs/metro2.md, "Mapping from the ledger's Account and Debtor"), records built
// by the collection profile, the file's text made, and the submission recorded with what was
// reported for each account and what was left out, in one transaction. The store writes no file:
// arrears.metro2.monthly_file writes the text through arrears.outputs, whose intent joins this
// transaction.
#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "arrears/campaign.hpp"
#include "arrears/compliance_dates.hpp"
#include "arrears/json.hpp"
#include "arrears/metro2_file.hpp"
#include "arrears/store.hpp"
#include "store/bulk.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

namespace {

using store_detail::ids_json;
namespace fs = std::filesystem;

bool before(Date a, Date b) { return std::chrono::sys_days{a} < std::chrono::sys_days{b}; }

int month_index(Date d) { return static_cast<int>(d.year()) * 12 + static_cast<int>(static_cast<unsigned>(d.month())) - 1; }

// K1 Creditor Classification from the product (reference §2.4); a setting may override or add
// (metro2.creditor_classification: {"returned_check": "01", ...}).
std::string default_classification(ProductType p) {
    switch (p) {
        case ProductType::retail: return "01";
        case ProductType::medical: return "02";
        case ProductType::student_loan: return "07";
        case ProductType::credit_card: return "08";
        case ProductType::utility: return "10";
        case ProductType::telecom: return "11";
        case ProductType::personal_loan:
        case ProductType::mortgage: return "12";
        case ProductType::auto_loan: return "14";
        case ProductType::returned_check:
        case ProductType::other: return "";
    }
    return "";
}

// What the submission history says about one account.
struct Reported {
    bool any = false;
    std::string last_status, last_code, last_activity;
    std::optional<Date> last_dofd;
    int first_month = 0;
    std::map<int, std::string> status_by_month;  // the latest report in each month
};

struct DisputeRow {
    Date received{};
    std::optional<Date> resolved;
    std::string resolution;
};

// The payment history profile for this month's report: the code for each of the 24 months
// before the reporting month, most recent first — G (collection) for a month the account was
// reported as a collection (93, 62), D for a month with nothing reported, B-fill before the
// first report (reference §2.4 "Payment History Profile").
std::string history_profile(const Reported& r, Date as_of) {
    if (!r.any) return {};
    const int now = month_index(as_of);
    std::string out;
    for (int k = 1; k <= 24; ++k) {
        const int m = now - k;
        if (m < r.first_month) break;  // B-filled by the profile
        auto it = r.status_by_month.find(m);
        if (it == r.status_by_month.end()) out += 'D';
        else out += (it->second == "93" || it->second == "62") ? 'G' : 'D';
    }
    return out;
}

// Masks quoted values in a message (record rules can quote a name or an address line).
std::string mask_quoted(const std::string& msg) {
    std::string out;
    bool inside = false;
    for (char c : msg) {
        if (c == '\'') {
            out += c;
            if (!inside) out += "...";
            inside = !inside;
        } else if (!inside) {
            out += c;
        }
    }
    return out;
}

std::string cii_for(const Debtor& d, Date as_of, const std::optional<Date>& last_reported) {
    const Bankruptcy* latest = nullptr;
    for (const auto& b : d.bankruptcies)
        if (!before(as_of, b.filed_on) && (!latest || before(latest->filed_on, b.filed_on))) latest = &b;
    if (!latest) return "";
    auto by_chapter = [&](const char* codes) -> std::string {
        switch (latest->chapter) {
            case 7: return std::string(1, codes[0]);
            case 11: return std::string(1, codes[1]);
            case 12: return std::string(1, codes[2]);
            case 13: return std::string(1, codes[3]);
            default: return "";
        }
    };
    if (latest->open_on(as_of)) return by_chapter("ABCD");
    if (latest->discharged_on && !before(as_of, *latest->discharged_on)) return by_chapter("EFGH");
    // Dismissed: Q removes the indicator, reported once (only if one could have been reported).
    if (latest->dismissed_on && !before(as_of, *latest->dismissed_on) && last_reported &&
        before(*last_reported, *latest->dismissed_on))
        return "Q";
    return "";
}

}  // namespace

Metro2Run Store::metro2_monthly_file(Date as_of, const HeaderRecord& header, const Metro2Profile& profile,
                                     const Metro2RunOptions& options) {
    sqlite3* db = impl_->handle();
    validate_metro2_profile(profile);
    const auto activity = header.date(Metro2HeaderField::activity_date);
    if (!activity || *activity != as_of)
        throw ValidationError("header.activity_date: " + (activity ? to_iso(*activity) : std::string("(none)")) +
                              " is not the reporting date " + to_iso(as_of) + " (as_of)");
    if (options.newline != "\n" && options.newline != "\r\n" && !options.newline.empty())
        throw ValidationError("newline: expected \"\\n\", \"\\r\\n\" or \"\"");
    if (options.record && impl_->options.read_only)
        throw StorageError(SQLITE_READONLY, "store: " + quote(impl_->path) + " is open read-only");
    const std::string as_of_iso = to_iso(as_of);
    auto recorded_before = [&] {
        sql::Statement st(db, "SELECT id, file_name FROM metro2_submissions WHERE activity_on = ? AND identification_number = ?");
        st.bind(1, as_of_iso).bind(2, profile.identification_number);
        if (st.step())
            throw ConflictError("metro2: a file for " + as_of_iso + " and identification number " +
                                quote(profile.identification_number) + " was recorded before (submission " +
                                std::to_string(st.int64(0)) + ", " + quote(st.text(1)) + ")");
    };
    if (options.record) recorded_before();

    // Settings: client exclusions and creditor classifications.
    std::unordered_map<std::string, std::vector<std::string>> client_excluded;
    if (auto s = setting("metro2.client_excluded_debt_types")) {
        const Json j = parse_json(*s, "settings.metro2.client_excluded_debt_types");
        const JsonView v(j, "settings['metro2.client_excluded_debt_types']");
        v.require_object();
        for (auto it = j.begin(); it != j.end(); ++it) {
            const JsonView list(it.value(), v.path() + "." + it.key());
            for (std::size_t i = 0; i < list.size(); ++i) client_excluded[it.key()].push_back(list.at(i).as_string());
        }
    }
    std::unordered_map<std::string, std::string> classification;
    if (auto s = setting("metro2.creditor_classification")) {
        const Json j = parse_json(*s, "settings.metro2.creditor_classification");
        const JsonView v(j, "settings['metro2.creditor_classification']");
        v.require_object();
        for (auto it = j.begin(); it != j.end(); ++it) {
            (void)parse_product_type(it.key(), v.path() + "." + it.key());
            classification[it.key()] = JsonView(it.value(), v.path() + "." + it.key()).as_string();
        }
    }

    const std::vector<std::string> ids = store_detail::resolve_account_ids(db, options.account_ids);
    const std::size_t n = ids.size();
    std::vector<Reported> reported(n);
    std::vector<std::optional<Date>> furnish_from(n);
    std::vector<std::vector<DisputeRow>> disputes(n);
    std::vector<std::optional<Metro2Outcome>> outcomes(n);
    std::vector<std::uint8_t> skip(n, 0);

    auto before_chunk = [&](std::size_t begin, std::size_t end) {
        const std::vector<std::string> part(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                            ids.begin() + static_cast<std::ptrdiff_t>(end));
        const std::string json = ids_json(part);
        {
            sql::Statement st(db, R"sql(
                SELECT j.key, s.activity_on, r.account_status, r.compliance_condition_code,
                       r.date_of_first_delinquency
                FROM json_each(?1) j JOIN metro2_reported r ON r.account_id = j.value
                JOIN metro2_submissions s ON s.id = r.submission_id
                WHERE s.identification_number = ?2 AND s.activity_on < ?3
                ORDER BY s.activity_on, s.id)sql");
            st.bind(1, json).bind(2, profile.identification_number).bind(3, as_of_iso);
            while (st.step()) {
                Reported& r = reported[begin + static_cast<std::size_t>(st.int64(0))];
                const Date on = parse_date(st.text(1), "metro2_submissions.activity_on");
                if (!r.any) r.first_month = month_index(on);
                r.any = true;
                r.last_activity = std::string(st.text(1));
                r.last_status = std::string(st.text(2));
                r.last_code = std::string(st.text(3));
                r.last_dofd = st.is_null(4) ? std::nullopt
                                            : std::optional<Date>(parse_date(st.text(4), "metro2_reported.date_of_first_delinquency"));
                r.status_by_month[month_index(on)] = r.last_status;
            }
        }
        {
            // Reg F 1006.30(a)(1): the contact history of each debt — letters and e-mails
            // delivered (and any returned), conversations by telephone — through the compliance
            // engine's earliest_furnishing_date.
            sql::Statement st(db, R"sql(
                SELECT j.key, substr(e.at, 1, 10), e.channel, e.outcome
                FROM json_each(?1) j JOIN contact_event_debts d ON d.account_id = j.value
                JOIN contact_events e ON e.id = d.event_id
                WHERE substr(e.at, 1, 10) <= ?2
                  AND ((e.channel IN ('letter', 'email') AND e.outcome IN ('delivered', 'bounced'))
                       OR (e.channel = 'call' AND e.outcome = 'conversation')))sql");
            st.bind(1, json).bind(2, as_of_iso);
            struct History {
                std::vector<std::pair<Date, std::string>> sent, returned;
                std::vector<Date> conversations;
            };
            std::map<std::size_t, History> history;
            while (st.step()) {
                History& h = history[static_cast<std::size_t>(st.int64(0))];
                const Date on = parse_date(st.text(1), "contact_events.at");
                const std::string channel(st.text(2));
                if (st.text(3) == "delivered") h.sent.emplace_back(on, channel);
                else if (st.text(3) == "bounced") h.returned.emplace_back(on, channel);
                else h.conversations.push_back(on);
            }
            for (auto& [k, h] : history) {
                std::vector<SentMessage> messages;
                for (const auto& [sent, channel] : h.sent) {
                    SentMessage m{sent, std::nullopt};
                    for (const auto& [back, how] : h.returned)  // the first return after it
                        if (how == channel && !before(back, sent) && (!m.undeliverable || before(back, *m.undeliverable)))
                            m.undeliverable = back;
                    messages.push_back(m);
                }
                furnish_from[begin + k] = earliest_furnishing_date(messages, h.conversations);
            }
        }
        {
            sql::Statement st(db, "SELECT j.key, d.received_on, d.resolved_on, coalesce(d.resolution, '') "
                                  "FROM json_each(?1) j JOIN disputes d ON d.account_id = j.value WHERE d.received_on <= ?2");
            st.bind(1, json).bind(2, as_of_iso);
            while (st.step()) {
                DisputeRow row;
                row.received = parse_date(st.text(1), "disputes.received_on");
                if (!st.is_null(2)) row.resolved = parse_date(st.text(2), "disputes.resolved_on");
                row.resolution = std::string(st.text(3));
                disputes[begin + static_cast<std::size_t>(st.int64(0))].push_back(std::move(row));
            }
        }
    };

    const Instant at = store_detail::end_of_day(as_of);
    const Date month_start = std::chrono::year_month_day{as_of.year(), as_of.month(), std::chrono::day{1}};
    store_detail::for_each_account(db, ids, options.threads, before_chunk,
        [&](std::size_t i, const Account& a, const store_detail::DebtorMap& debtors) {
            const AccountInfo& info = a.info();
            const Reported& rep = reported[i];
            Metro2AccountFacts f;
            f.account_number = info.account_number.empty() ? info.id : info.account_number;
            const AccountStatus status = a.status();
            const bool open_report = rep.any && rep.last_status != "62" && rep.last_status != "DA";
            switch (status) {
                case AccountStatus::paid: f.state = Metro2CollectionState::paid; break;
                case AccountStatus::settled: f.state = Metro2CollectionState::settled; break;
                case AccountStatus::recalled: f.state = Metro2CollectionState::deleted; break;
                default: f.state = Metro2CollectionState::unpaid; break;
            }
            // A closed account is reported once, when its last report was still open; one never
            // reported, or whose closing was reported, has nothing to report.
            if (f.state != Metro2CollectionState::unpaid && !open_report) {
                skip[i] = 1;
                return;
            }
            f.date_opened = a.opened_on();
            const auto& entries = a.ledger().entries();
            std::int64_t placed_principal = 0;
            std::optional<std::int64_t> first_principal;
            for (const auto& e : entries) {
                if (e.reference == "placement" && (!f.date_placed || before(e.effective, *f.date_placed)))
                    f.date_placed = e.effective;
                if (e.type == TransactionType::charge && e.component == Component::principal) {
                    if (e.reference == "placement") placed_principal += e.amount.minor();
                    if (!first_principal) first_principal = e.amount.minor();
                }
            }
            if (!f.date_placed && !entries.empty()) {
                f.date_placed = entries.front().effective;
                for (const auto& e : entries)
                    if (before(e.effective, *f.date_placed)) f.date_placed = e.effective;
            }
            f.original_amount = Money(placed_principal ? placed_principal : first_principal.value_or(0), a.currency());
            f.date_of_first_delinquency = info.first_delinquency_on;  // as furnished; never re-aged
            f.current_balance = a.ledger().balance(as_of).total();
            // Payments standing as of the date: the last one, and those in the reporting month.
            std::int64_t month_paid = 0;
            std::optional<Date> last_paid = info.last_payment_on;
            for (const auto& t : a.ledger().transactions()) {
                if (t.type() != TransactionType::payment || before(as_of, t.entry.effective)) continue;
                if (t.reversed_by && !before(as_of, a.ledger().transaction(*t.reversed_by).entry.effective)) continue;
                if (!last_paid || before(*last_paid, t.entry.effective)) last_paid = t.entry.effective;
                if (!before(t.entry.effective, month_start)) month_paid += t.entry.amount.minor();
            }
            f.date_of_last_payment = last_paid;
            f.last_payment_amount = Money(month_paid, a.currency());
            if (f.state == Metro2CollectionState::paid || f.state == Metro2CollectionState::settled)
                f.date_paid = a.status_history().back().effective;
            // The dispute: open now; else resolved since the last report.
            std::optional<Date> last_reported_on;
            if (rep.any) last_reported_on = parse_date(rep.last_activity);
            const DisputeRow* resolved = nullptr;
            for (const auto& d : disputes[i]) {
                if (!d.resolved || before(as_of, *d.resolved)) {
                    f.dispute = Metro2DisputeState::open;
                    break;
                }
                if ((!last_reported_on || before(*last_reported_on, *d.resolved)) &&
                    (!resolved || before(*resolved->resolved, *d.resolved)))
                    resolved = &d;
            }
            if (status == AccountStatus::disputed) f.dispute = Metro2DisputeState::open;
            if (f.dispute == Metro2DisputeState::none && resolved) {
                if (resolved->resolution == "withdrawn") f.dispute = Metro2DisputeState::withdrawn;
                else if (resolved->resolution == "resolved_disagrees")
                    f.dispute = Metro2DisputeState::resolved_disagrees;
                else f.dispute = Metro2DisputeState::resolved;
            }
            f.original_creditor_name = info.original_creditor;
            const std::string product(to_string(info.product_type));
            auto cls = classification.find(product);
            f.creditor_classification = cls != classification.end() ? cls->second : default_classification(info.product_type);
            if (profile.account_type == "0C") f.purchased_from = info.current_creditor;
            f.debt_type = product;
            if (auto ex = client_excluded.find(info.client); ex != client_excluded.end())
                f.client_excluded_debt_types = ex->second;
            f.earliest_furnishing_date = furnish_from[i];
            f.previously_reported = open_report;
            f.last_reported_date_of_first_delinquency = rep.last_dofd;
            f.last_reported_compliance_condition_code = rep.last_code;
            f.payment_history_profile = history_profile(rep, as_of);
            // Consumers: the primary first, then the others as listed on the account.
            std::vector<const AccountDebtor*> order;
            for (const auto& ad : info.debtors)
                if (ad.role == DebtorRole::primary) order.push_back(&ad);
            for (const auto& ad : info.debtors)
                if (ad.role != DebtorRole::primary) order.push_back(&ad);
            for (const AccountDebtor* ad : order) {
                auto it = debtors.find(ad->debtor_id);
                if (it == debtors.end()) continue;
                const Debtor& d = it->second;
                Metro2Consumer c;
                c.surname = d.last_name;
                c.first_name = d.first_name;
                c.middle_name = d.middle_name;
                c.generation_code = d.suffix;
                if (d.ssn) c.social_security_number = d.ssn->digits();
                c.date_of_birth = d.date_of_birth;
                if (auto k = d.best_contact_point(Channel::call, at)) c.telephone_number = d.phones[*k].number;
                c.ecoa_code = d.is_deceased() ? "X" : ad->ecoa_code;
                c.consumer_information_indicator = cii_for(d, as_of, last_reported_on);
                if (auto k = d.best_contact_point(Channel::mail, at)) {
                    const Address& addr = d.addresses[*k];
                    c.first_line_of_address = addr.line1;
                    c.second_line_of_address = addr.line2;
                    c.city = addr.city;
                    c.state = addr.state;
                    c.zip_code = addr.zip;
                    if (!addr.country.empty() && addr.country != "US") c.country_code = addr.country;
                }
                f.consumers.push_back(std::move(c));
            }
            Metro2Outcome o = metro2_account_record(f, profile, as_of);
            if (auto* ex = std::get_if<Metro2Exclusion>(&o))
                if (ex->code == "invalid_facts") ex->message = mask_quoted(ex->message);
            outcomes[i] = std::move(o);
        },
        options.progress);

    Metro2Run run;
    std::vector<const DataRecord*> records;
    std::vector<std::size_t> record_index;
    for (std::size_t i = 0; i < n; ++i) {
        if (skip[i]) continue;
        if (auto* r = std::get_if<DataRecord>(&*outcomes[i])) {
            records.push_back(r);
            record_index.push_back(i);
            run.reported.push_back(ids[i]);
        } else {
            const auto& ex = std::get<Metro2Exclusion>(*outcomes[i]);
            run.excluded.push_back({ids[i], ex.code, ex.message});
        }
    }
    Metro2WriteOptions wo;
    wo.newline = options.newline;
    wo.threads = options.threads;
    run.text = write_metro2_file(header, std::span<const DataRecord* const>(records), wo);
    run.sha256 = sha256_hex(run.text);
    if (!options.record) return run;

    // The file itself is written by the caller (arrears.outputs), in this transaction's intent.
    const std::string file_name = options.path.empty() ? std::string() : fs::path(options.path).filename().string();
    try {
        write([&] {
            recorded_before();
            auto sub = impl_->prepare(R"sql(
                INSERT INTO metro2_submissions (activity_on, identification_number, file_name, sha256, base_records,
                                                excluded, created_at, actor)
                VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), arrears_actor()))sql");
            sub.bind(1, as_of_iso).bind(2, profile.identification_number).bind(3, file_name).bind(4, run.sha256);
            sub.bind(5, static_cast<std::int64_t>(records.size())).bind(6, static_cast<std::int64_t>(run.excluded.size()));
            sub.run();
            const std::int64_t id = sqlite3_last_insert_rowid(db);
            run.submission_id = id;
            auto rep = impl_->prepare(R"sql(
                INSERT INTO metro2_reported (submission_id, account_id, account_status, payment_rating,
                                             payment_history_profile, special_comment, compliance_condition_code,
                                             current_balance, amount_past_due, date_of_account_information,
                                             date_of_first_delinquency, date_closed)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12))sql");
            using F = Metro2BaseField;
            auto opt_iso = [](std::optional<Date> d) { return d ? std::optional<std::string>(to_iso(*d)) : std::nullopt; };
            for (std::size_t k = 0; k < records.size(); ++k) {
                const BaseSegment& b = records[k]->base;
                rep.bind(1, id).bind(2, ids[record_index[k]]).bind(3, b.text(F::account_status));
                rep.bind(4, b.text(F::payment_rating)).bind(5, b.text(F::payment_history_profile));
                rep.bind(6, b.text(F::special_comment)).bind(7, b.text(F::compliance_condition_code));
                rep.bind(8, b.number(F::current_balance)).bind(9, b.number(F::amount_past_due));
                rep.bind(10, opt_iso(b.date(F::date_of_account_information)).value_or(as_of_iso));
                rep.bind(11, opt_iso(b.date(F::date_of_first_delinquency))).bind(12, opt_iso(b.date(F::date_closed)));
                rep.run();
            }
            auto exc = impl_->prepare(
                "INSERT INTO metro2_excluded (submission_id, account_id, code, message) VALUES (?, ?, ?, ?)");
            for (const auto& e : run.excluded) {
                exc.bind(1, id).bind(2, e.account_id).bind(3, e.code).bind(4, e.message);
                exc.run();
            }
            audit("batch", "metro2_submissions", std::to_string(id),
                  Json{{"activity_on", as_of_iso}, {"records", records.size()}, {"excluded", run.excluded.size()},
                       {"sha256", run.sha256}}.dump());
        });
    } catch (...) {
        run.submission_id.reset();
        throw;
    }
    return run;
}

}  // namespace arrears
