// The monthly Metro 2 file from the store: the rows each account's facts need are loaded and
// handed to metro2_account_facts (metro2_facts.hpp), records built by the collection profile, the
// file's text made, and the submission recorded with what was reported for each account and what
// was left out, in one transaction. The store writes no file: arrears.metro2.monthly_file writes
// the text through arrears.outputs, whose intent joins this transaction.
#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "arrears/campaign.hpp"
#include "arrears/json.hpp"
#include "arrears/metro2_facts.hpp"
#include "arrears/metro2_file.hpp"
#include "arrears/store.hpp"
#include "store/bulk.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

namespace {

using store_detail::ids_json;
namespace fs = std::filesystem;

// Masks quoted values in a message (record rules can quote a name or an address line): the
// store keeps exclusion messages, never the consumer's data in them.
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
    Metro2Mapping mapping;
    if (auto s = setting("metro2.client_excluded_debt_types")) {
        const Json j = parse_json(*s, "settings.metro2.client_excluded_debt_types");
        const JsonView v(j, "settings['metro2.client_excluded_debt_types']");
        v.require_object();
        for (auto it = j.begin(); it != j.end(); ++it) {
            const JsonView list(it.value(), v.path() + "." + it.key());
            for (std::size_t i = 0; i < list.size(); ++i)
                mapping.client_excluded_debt_types[it.key()].push_back(list.at(i).as_string());
        }
    }
    if (auto s = setting("metro2.creditor_classification")) {
        const Json j = parse_json(*s, "settings.metro2.creditor_classification");
        const JsonView v(j, "settings['metro2.creditor_classification']");
        v.require_object();
        for (auto it = j.begin(); it != j.end(); ++it) {
            (void)parse_product_type(it.key(), v.path() + "." + it.key());
            mapping.creditor_classification[it.key()] = JsonView(it.value(), v.path() + "." + it.key()).as_string();
        }
    }

    const std::vector<std::string> ids = store_detail::resolve_account_ids(db, options.account_ids);
    const std::size_t n = ids.size();
    std::vector<std::optional<Metro2Outcome>> outcomes(n);  // nullopt: nothing to report
    // The history of the accounts of the chunk being mapped (rows read on this thread).
    std::vector<Metro2AccountHistory> history;
    std::size_t chunk_begin = 0;

    auto before_chunk = [&](std::size_t begin, std::size_t end) {
        chunk_begin = begin;
        history.assign(end - begin, Metro2AccountHistory{});
        const std::vector<std::string> part(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                            ids.begin() + static_cast<std::ptrdiff_t>(end));
        const std::string json = ids_json(part);
        auto of = [&](const sql::Statement& st) -> Metro2AccountHistory& {
            return history[static_cast<std::size_t>(st.int64(0))];
        };
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
                Metro2PriorReport r;
                r.activity_on = parse_date(st.text(1), "metro2_submissions.activity_on");
                r.account_status = std::string(st.text(2));
                r.compliance_condition_code = std::string(st.text(3));
                if (!st.is_null(4))
                    r.date_of_first_delinquency = parse_date(st.text(4), "metro2_reported.date_of_first_delinquency");
                of(st).reported.push_back(std::move(r));
            }
        }
        {
            // Reg F 1006.30(a)(1): letters and e-mails delivered (and any returned), conversations
            // by telephone.
            sql::Statement st(db, R"sql(
                SELECT j.key, substr(e.at, 1, 10), e.channel, e.outcome
                FROM json_each(?1) j JOIN contact_event_debts d ON d.account_id = j.value
                JOIN contact_events e ON e.id = d.event_id
                WHERE substr(e.at, 1, 10) <= ?2
                  AND ((e.channel IN ('letter', 'email') AND e.outcome IN ('delivered', 'bounced'))
                       OR (e.channel = 'call' AND e.outcome = 'conversation')))sql");
            st.bind(1, json).bind(2, as_of_iso);
            while (st.step()) {
                const std::string_view outcome = st.text(3);
                of(st).contacts.push_back({parse_date(st.text(1), "contact_events.at"), std::string(st.text(2)),
                                           outcome == "delivered" ? Metro2ContactKind::delivered
                                           : outcome == "bounced" ? Metro2ContactKind::returned
                                                                  : Metro2ContactKind::conversation});
            }
        }
        {
            sql::Statement st(db, "SELECT j.key, d.received_on, d.resolved_on, coalesce(d.resolution, '') "
                                  "FROM json_each(?1) j JOIN disputes d ON d.account_id = j.value WHERE d.received_on <= ?2");
            st.bind(1, json).bind(2, as_of_iso);
            while (st.step()) {
                Metro2Dispute d;
                d.received = parse_date(st.text(1), "disputes.received_on");
                if (!st.is_null(2)) d.resolved = parse_date(st.text(2), "disputes.resolved_on");
                d.resolution = std::string(st.text(3));
                of(st).disputes.push_back(std::move(d));
            }
        }
    };

    store_detail::for_each_account(db, ids, options.threads, before_chunk,
        [&](std::size_t i, const Account& a, const store_detail::DebtorMap& debtors) {
            std::vector<const Debtor*> on_account;
            for (const auto& ad : a.info().debtors) {
                auto it = debtors.find(ad.debtor_id);
                on_account.push_back(it == debtors.end() ? nullptr : &it->second);
            }
            const auto facts = metro2_account_facts(a, on_account, history[i - chunk_begin], mapping, profile, as_of);
            if (!facts) return;
            Metro2Outcome o = metro2_account_record(*facts, profile, as_of);
            if (auto* ex = std::get_if<Metro2Exclusion>(&o))
                if (ex->code == "invalid_facts") ex->message = mask_quoted(ex->message);
            outcomes[i] = std::move(o);
        },
        options.progress);

    Metro2Run run;
    std::vector<const DataRecord*> records;
    std::vector<std::size_t> record_index;
    for (std::size_t i = 0; i < n; ++i) {
        if (!outcomes[i]) continue;
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
