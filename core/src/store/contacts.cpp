// Contact history in the store, and the compliance gate of a worklist: one C++ call from stored
// debtors and contact events to "may we call now, and if not, when".
#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "arrears/consumer.hpp"
#include "arrears/contact_batch.hpp"
#include "arrears/json.hpp"
#include "arrears/store.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

void Store::record_contacts(const std::vector<ContactAttempt>& attempts, std::string_view collector) {
    write([&] {
        sqlite3* db = impl_->handle();
        auto event = impl_->prepare(
            "INSERT INTO contact_events (debtor_id, channel, direction, outcome, at, consent, tags, collector, data, actor) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, arrears_actor())");
        auto debt = impl_->prepare("INSERT INTO contact_event_debts (event_id, account_id) VALUES (?, ?)");
        for (const ContactAttempt& a : attempts) {
            event.bind(1, a.consumer_id()).bind(2, to_string(a.channel())).bind(3, to_string(a.direction()));
            event.bind(4, to_string(a.outcome())).bind(5, to_iso(a.at())).bind(6, static_cast<std::int64_t>(a.consent()));
            event.bind(7, static_cast<std::int64_t>(a.tags()));
            if (collector.empty()) event.bind_null(8); else event.bind(8, collector);
            event.bind(9, a.to_json().dump());
            event.run();
            const std::int64_t id = sqlite3_last_insert_rowid(db);
            for (const auto& d : a.debt_ids()) {
                debt.bind(1, id).bind(2, d);
                debt.run();
            }
        }
    });
}

Table Store::contact_history(Instant since, Instant until) const {
    auto st = impl_->prepare(R"sql(
        SELECT e.id, e.debtor_id, d.account_id, e.at, e.channel, e.direction, e.outcome, e.consent, e.tags
        FROM contact_events e JOIN contact_event_debts d ON d.event_id = e.id
        WHERE e.at >= ? AND e.at < ? ORDER BY e.debtor_id, e.at, e.id)sql");
    st.bind(1, to_iso(since)).bind(2, to_iso(until));
    std::vector<std::int64_t> event, at, tags;
    std::vector<std::string> consumer, account, channel, direction, outcome;
    std::vector<std::uint8_t> consent;
    while (st.step()) {
        event.push_back(st.int64(0));
        consumer.emplace_back(st.text(1));
        account.emplace_back(st.text(2));
        at.push_back(parse_instant(st.text(3)).time_since_epoch().count());
        channel.emplace_back(st.text(4));
        direction.emplace_back(st.text(5));
        outcome.emplace_back(st.text(6));
        consent.push_back(static_cast<std::uint8_t>(st.int64(7) != 0));
        tags.push_back(st.int64(8));
    }
    Table t;
    t.add_int64("event_id", std::move(event));
    t.add_utf8("consumer_id", std::move(consumer));
    t.add_utf8("account_id", std::move(account));
    t.add_timestamp("at", std::move(at));
    t.add_utf8("channel", std::move(channel));
    t.add_utf8("direction", std::move(direction));
    t.add_utf8("outcome", std::move(outcome));
    t.add_bool("consent", std::move(consent));
    t.add_int64("tags", std::move(tags));
    return t;
}

Table Store::check_contacts(const std::vector<std::string>& account_ids, Instant at, ContactChannel channel,
                            const ContactPolicy& base, bool state_overlays, int history_days,
                            unsigned threads) const {
    if (history_days < 7 || history_days > 400)
        throw ValidationError("history_days: " + std::to_string(history_days) + " is outside 7..400");
    const std::string day = to_iso(Date{std::chrono::floor<std::chrono::days>(at)});
    // Primary debtors of the accounts.
    std::unordered_map<std::string, std::string> owner;
    {
        auto st = impl_->prepare("SELECT account_id, debtor_id FROM account_debtors WHERE role = 'primary'");
        while (st.step()) owner.emplace(std::string(st.text(0)), std::string(st.text(1)));
    }
    // Accounts whose collection a dispute pauses (received, not yet verified or resolved).
    std::unordered_map<std::string, std::vector<std::string>> disputed;  // debtor -> accounts
    {
        auto st = impl_->prepare(
            "SELECT d.account_id, ad.debtor_id FROM disputes d JOIN account_debtors ad "
            "ON ad.account_id = d.account_id AND ad.role = 'primary' "
            "WHERE d.received_on <= ? AND d.verification_sent_on IS NULL AND d.resolved_on IS NULL "
            "AND d.within_validation = 1");
        st.bind(1, day);
        while (st.step()) disputed[std::string(st.text(1))].emplace_back(st.text(0));
    }
    std::vector<std::string> consumer_of(account_ids.size());
    std::unordered_map<std::string, std::int64_t> consumer_index;
    std::vector<std::string> consumer_ids;
    for (std::size_t i = 0; i < account_ids.size(); ++i) {
        auto it = owner.find(account_ids[i]);
        if (it == owner.end())
            throw NotFoundError("account_ids[" + std::to_string(i) + "]: account " + quote(account_ids[i]) +
                                " has no primary debtor in the store");
        consumer_of[i] = it->second;
        if (consumer_index.emplace(it->second, static_cast<std::int64_t>(consumer_ids.size())).second)
            consumer_ids.push_back(it->second);
    }
    // Consumers from the stored debtors, as of `at`.
    std::vector<Consumer> consumers;
    consumers.reserve(consumer_ids.size());
    for (const auto& id : consumer_ids) {
        const Debtor d = load_debtor(id);
        auto dis = disputed.find(id);
        consumers.push_back(Consumer::from_debtor(d, at, dis == disputed.end() ? std::vector<std::string>{} : dis->second));
    }
    // Policies: the base, and the base with each state's overlay where one exists.
    std::vector<ContactPolicy> policies{base};
    std::vector<std::int32_t> consumer_policy(consumers.size(), 0);
    if (state_overlays) {
        const auto codes = ContactPolicy::overlay_codes();
        std::map<std::string, std::int32_t> by_state;
        for (std::size_t c = 0; c < consumers.size(); ++c) {
            const auto& st = consumers[c].state();
            if (!st || std::find(codes.begin(), codes.end(), *st) == codes.end()) continue;
            auto [it, fresh] = by_state.emplace(*st, static_cast<std::int32_t>(policies.size()));
            if (fresh) policies.push_back(base.with_overlays({*st}));
            consumer_policy[c] = it->second;
        }
    }
    // History of those consumers, as columns.
    std::unordered_map<std::string, std::int32_t> debt_code;
    std::vector<std::string> debt_names;
    auto code_of = [&](const std::string& d) {
        auto [it, fresh] = debt_code.emplace(d, static_cast<std::int32_t>(debt_names.size()));
        if (fresh) debt_names.push_back(d);
        return it->second;
    };
    std::vector<std::int64_t> h_consumer, h_at, h_event;
    std::vector<std::int32_t> h_debt;
    std::vector<std::uint8_t> h_channel, h_direction, h_outcome, h_consent;
    std::vector<TagSet> h_tags;
    {
        const Instant since = at - std::chrono::days{history_days};
        auto st = impl_->prepare(R"sql(
            SELECT e.id, e.debtor_id, d.account_id, e.at, e.channel, e.direction, e.outcome, e.consent, e.tags
            FROM contact_events e JOIN contact_event_debts d ON d.event_id = e.id
            WHERE e.at >= ? AND e.at <= ? ORDER BY e.debtor_id, e.at, e.id)sql");
        st.bind(1, to_iso(since)).bind(2, to_iso(at));
        while (st.step()) {
            auto c = consumer_index.find(std::string(st.text(1)));
            if (c == consumer_index.end()) continue;
            h_event.push_back(st.int64(0));
            h_consumer.push_back(c->second);
            h_debt.push_back(code_of(std::string(st.text(2))));
            h_at.push_back(parse_instant(st.text(3)).time_since_epoch().count());
            h_channel.push_back(static_cast<std::uint8_t>(parse_contact_channel(st.text(4), "contact_events.channel")));
            h_direction.push_back(static_cast<std::uint8_t>(parse_direction(st.text(5), "contact_events.direction")));
            h_outcome.push_back(static_cast<std::uint8_t>(parse_outcome(st.text(6), "contact_events.outcome")));
            h_consent.push_back(static_cast<std::uint8_t>(st.int64(7) != 0));
            h_tags.push_back(static_cast<TagSet>(st.int64(8)));
        }
    }
    const std::size_t n = account_ids.size();
    std::vector<std::int64_t> p_consumer(n), p_at(n, at.time_since_epoch().count());
    std::vector<std::int32_t> p_debt(n);
    std::vector<std::uint8_t> p_channel(n, static_cast<std::uint8_t>(channel));
    for (std::size_t i = 0; i < n; ++i) {
        p_consumer[i] = consumer_index.at(consumer_of[i]);
        p_debt[i] = code_of(account_ids[i]);
    }
    for (const auto& c : consumers) {
        for (const auto& d : c.cease()) code_of(d);
        for (const auto& d : c.disputed()) code_of(d);
        for (const auto& d : c.time_barred()) code_of(d);
    }
    ProposalColumns proposed;
    proposed.size = n;
    proposed.consumer = p_consumer.data();
    proposed.debt = p_debt.data();
    proposed.at = p_at.data();
    proposed.channel = p_channel.data();
    ContactColumns history;
    history.size = h_event.size();
    history.consumer = h_consumer.data();
    history.debt = h_debt.data();
    history.at = h_at.data();
    history.channel = h_channel.data();
    history.direction = h_direction.data();
    history.outcome = h_outcome.data();
    history.consent = h_consent.data();
    history.tags = h_tags.data();
    history.event = h_event.data();
    std::vector<const ContactPolicy*> policy_ptrs;
    for (const auto& p : policies) policy_ptrs.push_back(&p);
    std::vector<const Consumer*> consumer_ptrs;
    for (const auto& c : consumers) consumer_ptrs.push_back(&c);
    BatchOptions options;
    options.threads = threads;
    const BatchResult r = arrears::check_contacts(policy_ptrs, consumer_ptrs, consumer_policy, debt_names,
                                                  proposed, history, options);
    std::vector<std::string> ids(account_ids), who(n), rule(n), citation(n);
    std::vector<std::uint8_t> rule_ok(n, 0), next_ok(n, 0), end_ok(n, 0);
    std::vector<std::int64_t> next(n, 0), end(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        who[i] = consumer_of[i];
        if (r.next_allowed[i] != kNoInstant) {
            next[i] = r.next_allowed[i];
            next_ok[i] = 1;
        }
        if (r.window_end[i] != kNoInstant) {
            end[i] = r.window_end[i];
            end_ok[i] = 1;
        }
        if (!r.allowed[i] && r.blocking[i] != 0) {
            const auto& rules = policies[static_cast<std::size_t>(r.policy[i])].rules();
            for (std::size_t b = 0; b < rules.size(); ++b) {
                if (r.blocking[i] & (std::uint64_t{1} << b)) {
                    rule[i] = rules[b].id;
                    citation[i] = rules[b].citation;
                    rule_ok[i] = 1;
                    break;
                }
            }
        }
    }
    std::vector<std::uint8_t> allowed(r.allowed.begin(), r.allowed.end());
    Table t;
    t.add_utf8("account_id", std::move(ids));
    t.add_utf8("consumer_id", std::move(who));
    t.add_bool("call_allowed", std::move(allowed));
    t.add_timestamp("next_allowed_at", std::move(next), std::move(next_ok));
    t.add_timestamp("window_end_at", std::move(end), std::move(end_ok));
    std::vector<std::uint8_t> citation_ok = rule_ok;
    t.add_utf8("blocked_rule", std::move(rule), std::move(rule_ok));
    t.add_utf8("citation", std::move(citation), std::move(citation_ok));
    return t;
}

}  // namespace arrears
