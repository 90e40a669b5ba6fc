// Disputes in the store: recorded, verified and resolved (what letters and Metro 2 read).
#include "arrears/store.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

namespace {

bool before(Date a, Date b) { return std::chrono::sys_days{a} < std::chrono::sys_days{b}; }

}  // namespace

std::int64_t Store::record_dispute(std::string_view account_id, Date received_on, bool written,
                                   bool within_validation) {
    std::int64_t id = 0;
    write([&] {
        auto acc = impl_->prepare("SELECT opened_on FROM accounts WHERE id = ?");
        acc.bind(1, account_id);
        if (!acc.step()) throw NotFoundError("account: no account " + quote(account_id) + " in the store");
        const Date opened = parse_date(acc.text(0), "accounts.opened_on");
        acc.reset();
        if (before(received_on, opened))
            throw ValidationError("received_on: " + to_iso(received_on) + " is before the account opened (" +
                                  to_iso(opened) + ")");
        auto debtor = impl_->prepare("SELECT debtor_id FROM account_debtors WHERE account_id = ? AND role = 'primary'");
        debtor.bind(1, account_id);
        const std::optional<std::string> debtor_id =
            debtor.step() ? std::optional<std::string>(std::string(debtor.text(0))) : std::nullopt;
        debtor.reset();
        auto ins = impl_->prepare(
            "INSERT INTO disputes (account_id, debtor_id, received_on, written, within_validation) VALUES (?, ?, ?, ?, ?)");
        ins.bind(1, account_id).bind(2, debtor_id).bind(3, to_iso(received_on));
        ins.bind(4, static_cast<std::int64_t>(written)).bind(5, static_cast<std::int64_t>(within_validation));
        ins.run();
        id = sqlite3_last_insert_rowid(impl_->handle());
    });
    return id;
}

void Store::record_verification(std::int64_t dispute_id, Date sent_on) {
    write([&] {
        auto st = impl_->prepare("SELECT received_on, verification_sent_on FROM disputes WHERE id = ?");
        st.bind(1, dispute_id);
        if (!st.step()) throw NotFoundError("dispute: no dispute " + std::to_string(dispute_id) + " in the store");
        const Date received = parse_date(st.text(0), "disputes.received_on");
        const bool sent = !st.is_null(1);
        st.reset();
        if (sent) throw ConflictError("dispute " + std::to_string(dispute_id) + ": the verification was already sent");
        if (before(sent_on, received))
            throw ValidationError("sent_on: " + to_iso(sent_on) + " is before the dispute was received (" +
                                  to_iso(received) + ")");
        auto up = impl_->prepare("UPDATE disputes SET verification_sent_on = ? WHERE id = ?");
        up.bind(1, to_iso(sent_on)).bind(2, dispute_id);
        up.run();
    });
}

void Store::resolve_dispute(std::int64_t dispute_id, std::string_view resolution, Date resolved_on) {
    if (resolution != "resolved" && resolution != "resolved_disagrees" && resolution != "withdrawn")
        throw ValidationError("resolution: " + quote(resolution) +
                              " is not resolved, resolved_disagrees or withdrawn");
    write([&] {
        auto st = impl_->prepare("SELECT received_on, resolved_on FROM disputes WHERE id = ?");
        st.bind(1, dispute_id);
        if (!st.step()) throw NotFoundError("dispute: no dispute " + std::to_string(dispute_id) + " in the store");
        const Date received = parse_date(st.text(0), "disputes.received_on");
        const bool resolved = !st.is_null(1);
        st.reset();
        if (resolved) throw ConflictError("dispute " + std::to_string(dispute_id) + " is already resolved");
        if (before(resolved_on, received))
            throw ValidationError("resolved_on: " + to_iso(resolved_on) + " is before the dispute was received (" +
                                  to_iso(received) + ")");
        auto up = impl_->prepare("UPDATE disputes SET resolution = ?, resolved_on = ? WHERE id = ?");
        up.bind(1, resolution).bind(2, to_iso(resolved_on)).bind(3, dispute_id);
        up.run();
    });
}

}  // namespace arrears
