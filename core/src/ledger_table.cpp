#include "arrears/ledger_table.hpp"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace arrears {

Table transactions_table(std::span<const Account* const> accounts) {
    std::size_t rows = 0;
    for (const Account* a : accounts) rows += a->ledger().transactions().size();
    std::vector<std::string> account_id, reference, note, currency;
    std::vector<std::int32_t> type, component, reason, effective;
    std::vector<std::int64_t> id, posted_at, amount, reverses, reversed_by, effect, posted_amount;
    std::vector<std::uint8_t> has_reverses, has_reversed_by, restated;
    std::array<std::vector<std::int64_t>, 5> alloc, balance;
    std::vector<std::int64_t> balance_total;
    for (auto* v : {&account_id, &reference, &note, &currency}) v->reserve(rows);
    for (const Account* a : accounts) {
        for (const Transaction& t : a->ledger().transactions()) {
            const LedgerEntry& e = t.entry;
            account_id.push_back(a->id());
            id.push_back(e.id);
            type.push_back(static_cast<std::int32_t>(e.type));
            effective.push_back(days_since_epoch(e.effective));
            posted_at.push_back(e.posted_at.time_since_epoch().count());
            amount.push_back(t.amount.minor());
            currency.emplace_back(t.amount.currency().code());
            reference.push_back(e.reference);
            note.push_back(e.note);
            component.push_back(e.component ? static_cast<std::int32_t>(*e.component) : -1);
            reverses.push_back(e.reverses.value_or(0));
            has_reverses.push_back(e.reverses.has_value());
            reason.push_back(e.reason ? static_cast<std::int32_t>(*e.reason) : -1);
            reversed_by.push_back(t.reversed_by.value_or(0));
            has_reversed_by.push_back(t.reversed_by.has_value());
            for (std::size_t k = 0; k < 4; ++k) {
                alloc[k].push_back(t.allocation.parts[k]);
                balance[k].push_back(t.balance_after.parts[k]);
            }
            alloc[4].push_back(t.allocation.unapplied);
            balance[4].push_back(t.balance_after.unapplied);
            balance_total.push_back(t.balance_after.total().minor());
            effect.push_back(t.balance_effect().minor());
            restated.push_back(t.restated ? 1 : 0);
            posted_amount.push_back(e.amount.minor());
        }
    }
    auto labels = [](auto names) {
        auto out = std::make_shared<std::vector<std::string>>();
        for (auto n : names) out->emplace_back(n);
        return std::shared_ptr<const std::vector<std::string>>(out);
    };
    const auto types = labels(std::array<std::string_view, 8>{
        to_string(TransactionType::charge), to_string(TransactionType::interest),
        to_string(TransactionType::fee), to_string(TransactionType::payment),
        to_string(TransactionType::payment_reversal), to_string(TransactionType::adjustment),
        to_string(TransactionType::write_off), to_string(TransactionType::settlement_discount)});
    const auto components = labels(std::array<std::string_view, 4>{
        to_string(Component::principal), to_string(Component::interest),
        to_string(Component::fees), to_string(Component::costs)});
    const auto reasons = labels(std::array<std::string_view, 4>{
        to_string(ReversalReason::nsf), to_string(ReversalReason::chargeback),
        to_string(ReversalReason::error), to_string(ReversalReason::other)});
    Table t;
    t.add_utf8("account_id", std::move(account_id));
    t.add_int64("id", std::move(id));
    t.add_dictionary("type", std::move(type), types);
    t.add_date32("effective", std::move(effective));
    t.add_timestamp("posted_at", std::move(posted_at));
    t.add_int64("amount_cents", std::move(amount));
    t.add_utf8("currency", std::move(currency));
    t.add_utf8("reference", std::move(reference));
    t.add_utf8("note", std::move(note));
    t.add_dictionary("component", std::move(component), components);
    t.add_int64("reverses", std::move(reverses), std::move(has_reverses));
    t.add_dictionary("reason", std::move(reason), reasons);
    t.add_int64("reversed_by", std::move(reversed_by), std::move(has_reversed_by));
    const char* parts[5] = {"principal", "interest", "fees", "costs", "unapplied"};
    for (std::size_t k = 0; k < 5; ++k) t.add_int64(std::string(parts[k]) + "_cents", std::move(alloc[k]));
    t.add_int64("balance_effect_cents", std::move(effect));
    for (std::size_t k = 0; k < 5; ++k)
        t.add_int64("balance_" + std::string(parts[k]) + "_cents", std::move(balance[k]));
    t.add_int64("balance_total_cents", std::move(balance_total));
    t.add_bool("restated", std::move(restated));
    t.add_int64("posted_amount_cents", std::move(posted_amount));
    return t;
}

Table transactions_table(const Account& account) {
    const Account* one[1] = {&account};
    return transactions_table(std::span<const Account* const>(one, 1));
}

}  // namespace arrears
